/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `orders` (`id`,`user_id`,`amount`,`ship_to`) VALUES
(7,3,70.70,"7-7 Fuji Chome");
