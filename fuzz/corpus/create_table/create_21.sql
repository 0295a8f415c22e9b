CREATE TABLE `gen` (
  `id` int(11) NOT NULL,
  `a` int(11) NOT NULL,
  `v` int(11) GENERATED ALWAYS AS (`a` * 2) VIRTUAL,
  `email` varchar(100) DEFAULT NULL,
  `s` varchar(100) GENERATED ALWAYS AS (lcase(`email`)) STORED,
  `domain` varchar(100) GENERATED ALWAYS AS (substring_index(`email`,'@',-1)) VIRTUAL,
  `last` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci