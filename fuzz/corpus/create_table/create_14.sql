CREATE TABLE `members` (
  `member_no` int NOT NULL AUTO_INCREMENT,
  `name` varchar(80) NOT NULL,
  `kana` varchar(80) DEFAULT NULL,
  `email` varchar(200) DEFAULT NULL,
  `postal_code` char(8) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL,
  `joined_on` date NOT NULL,
  PRIMARY KEY (`member_no`),
  UNIQUE KEY `email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4