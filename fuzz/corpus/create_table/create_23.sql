CREATE TABLE `misc` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `doc` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`doc`)),
  `flag` bit(1) DEFAULT NULL,
  `bits` bit(5) DEFAULT NULL,
  `i` bigint(20) DEFAULT NULL,
  `u` bigint(20) unsigned DEFAULT NULL,
  `d` decimal(20,10) DEFAULT NULL,
  `f` float DEFAULT NULL,
  `g` double DEFAULT NULL,
  `dt` date DEFAULT NULL,
  `dtt` datetime(6) DEFAULT NULL,
  `ts` timestamp NULL DEFAULT NULL,
  `tm` time DEFAULT NULL,
  `y` year(4) DEFAULT NULL,
  `e` enum('small','medium','large','it''s') DEFAULT NULL,
  `st` set('a','b','c') DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci