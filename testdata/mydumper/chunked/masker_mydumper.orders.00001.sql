/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `orders` (`id`,`user_id`,`amount`,`ship_to`) VALUES
(4,1,40.75,"4 Looking Glass Road"),
(5,2,50.00,"5 Hammer Way"),
(6,4,60.10,NULL);
