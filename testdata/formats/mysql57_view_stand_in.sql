-- view stand-in (MySQL 5.7)
/*!50001 CREATE TABLE `v` (
  `id` tinyint NOT NULL
) ENGINE=MyISAM */;
CREATE TABLE `t` (`id` int NOT NULL, PRIMARY KEY (`id`));
INSERT INTO `t` VALUES (1);
