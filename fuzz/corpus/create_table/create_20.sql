CREATE TABLE `escapes` (
  `id` int(11) NOT NULL,
  `label` varchar(20) NOT NULL,
  `s` varchar(100) DEFAULT NULL,
  `t` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci