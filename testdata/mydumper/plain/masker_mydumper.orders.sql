/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `orders` VALUES
(1,1,10.50,"1 Rabbit Hole Lane"),
(2,2,20.00,"2 Scaffold Street"),
(3,3,30.25,"3-3 Sakura Dori"),
(4,1,40.75,"4 Looking Glass Road"),
(5,2,50.00,"5 Hammer Way"),
(6,4,60.10,NULL),
(7,3,70.70,"7-7 Fuji Chome");
