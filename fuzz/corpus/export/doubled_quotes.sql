�-- Hand-written dump style: strings quote a quote by doubling it ('') instead of
-- escaping it (\'), sometimes both in one literal. Also "double-quoted" strings.
SET NAMES utf8mb4;

DROP TABLE IF EXISTS `quotes`;
CREATE TABLE `quotes` (
  `id` int NOT NULL,
  `author` varchar(100) NOT NULL,
  `text` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `quotes` VALUES (1,'Patrick O''Brien','It''s ''fine''');
INSERT INTO `quotes` VALUES (2,'Mixed','both '' and \' here'),(3,'Empty doubled',''''),(4,'Only quotes','''''''');
INSERT INTO `quotes` VALUES (5,"Double ""quoted""","with 'single' inside"),(6,'Ends with doubled','x''');
INSERT INTO `quotes` (`id`,`author`,`text`) VALUES
(7,'Comma, paren ('')',' '','' '),
(8,'日本語の''引用''','「かぎ括弧」');
