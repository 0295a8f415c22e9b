CREATE TABLE `a` (`id` int, `v` text);
CREATE TABLE `b` (`id` int);
INSERT INTO `a` VALUES (1,'x');
INSERT INTO `b` VALUES (2);
INSERT INTO `a` VALUES (3,'y');
