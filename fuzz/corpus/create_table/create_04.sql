CREATE TABLE `ledger` (
  `id` int NOT NULL AUTO_INCREMENT,
  `account_id` int NOT NULL,
  `note` varchar(100) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4