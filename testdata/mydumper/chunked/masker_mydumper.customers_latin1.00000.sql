/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `customers_latin1` (`id`,`name`,`city`) VALUES
(1,"Jürgen Müllerhof","Zürichsee"),
(2,"François Légèreté","Besançon"),
(3,"Åsa Øresund",NULL);
