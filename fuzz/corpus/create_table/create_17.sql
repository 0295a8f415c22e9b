CREATE TABLE `bytes` (
  `id` int(11) NOT NULL,
  `b1` binary(1) NOT NULL,
  `vb` varbinary(256) DEFAULT NULL,
  `bl` blob DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci