CREATE TABLE `literals` (
  `id` int NOT NULL,
  `bin` varbinary(16) DEFAULT NULL,
  `flag` bit(1) DEFAULT NULL,
  `bits` bit(5) DEFAULT NULL,
  `txt` varchar(40) DEFAULT NULL,
  `num` double DEFAULT NULL,
  `dec` decimal(12,4) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4