CREATE TABLE `order` (
  `group` int(11) NOT NULL,
  `key` varchar(10) DEFAULT NULL,
  PRIMARY KEY (`group`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci