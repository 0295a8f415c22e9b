CREATE TABLE `quotes` (
  `id` int NOT NULL,
  `author` varchar(100) NOT NULL,
  `text` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4