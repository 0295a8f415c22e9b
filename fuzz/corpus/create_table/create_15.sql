CREATE TABLE `loans` (
  `loan_id` int NOT NULL AUTO_INCREMENT,
  `member_no` int NOT NULL,
  `isbn` varchar(17) NOT NULL,
  `due` date DEFAULT NULL,
  `returned` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`loan_id`),
  KEY `member_no` (`member_no`),
  CONSTRAINT `loans_ibfk_1` FOREIGN KEY (`member_no`) REFERENCES `members` (`member_no`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4