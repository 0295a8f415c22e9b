Q-- Routines and triggers between DELIMITER changes: `;;` as mysqldump writes
-- them, then a `$$` block as hand-written scripts do. Bodies contain `;`,
-- strings with `;;` and `$$`, and comments.
SET NAMES utf8mb4;

DROP TABLE IF EXISTS `accounts`;
CREATE TABLE `accounts` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(255) NOT NULL,
  `balance` decimal(10,2) NOT NULL DEFAULT 0.00,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `ledger`;
CREATE TABLE `ledger` (
  `id` int NOT NULL AUTO_INCREMENT,
  `account_id` int NOT NULL,
  `note` varchar(100) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `accounts` VALUES (1,'a@example.com',10.00),(2,'b@example.com',-5.50);

/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `accounts_after_insert` AFTER INSERT ON `accounts` FOR EACH ROW BEGIN
  INSERT INTO `ledger` (`account_id`, `note`) VALUES (NEW.id, 'opened; welcome;;');
END */;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;

DELIMITER ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `close_account`(IN p_id int)
BEGIN
  -- a comment with ; and ;; inside
  DELETE FROM `ledger` WHERE `account_id` = p_id;
  DELETE FROM `accounts` WHERE `id` = p_id; /* done; */
END ;;
DELIMITER ;

DELIMITER $$
CREATE DEFINER=`root`@`localhost` FUNCTION `masked`(v varchar(255)) RETURNS varchar(255) CHARSET utf8mb4
    DETERMINISTIC
BEGIN
  RETURN concat(left(v, 1), '$$;', repeat('*', greatest(char_length(v) - 1, 0)));
END$$
DELIMITER ;

INSERT INTO `accounts` VALUES (3,'c@example.com',0.00);
