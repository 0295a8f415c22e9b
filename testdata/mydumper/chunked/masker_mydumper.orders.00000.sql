/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `orders` (`id`,`user_id`,`amount`,`ship_to`) VALUES
(1,1,10.50,"1 Rabbit Hole Lane"),
(2,2,20.00,"2 Scaffold Street"),
(3,3,30.25,"3-3 Sakura Dori");
