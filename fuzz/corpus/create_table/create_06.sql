CREATE TABLE IF NOT EXISTS `contacts` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `company` varchar(100) NOT NULL DEFAULT '',
  `person` varchar(100) DEFAULT NULL,
  `email` varchar(255) DEFAULT NULL,
  `tel` varchar(40) DEFAULT NULL,
  `memo` mediumtext DEFAULT NULL,
  `updated` datetime DEFAULT NULL ON UPDATE current_timestamp(),
  PRIMARY KEY (`id`),
  KEY `company` (`company`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci