/*M!999999\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: 127.0.0.1    Database: masker_tricky
-- ------------------------------------------------------
-- Server version	10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `audit_log`
--

DROP TABLE IF EXISTS `audit_log`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `audit_log` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(10) unsigned NOT NULL,
  `what` varchar(100) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `audit_log`
--

LOCK TABLES `audit_log` WRITE;
/*!40000 ALTER TABLE `audit_log` DISABLE KEYS */;
REPLACE INTO `audit_log` VALUES
(1,1,'email changed; old one kept nowhere');
/*!40000 ALTER TABLE `audit_log` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `bytes`
--

DROP TABLE IF EXISTS `bytes`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `bytes` (
  `id` int(11) NOT NULL,
  `b1` binary(1) NOT NULL,
  `vb` varbinary(256) DEFAULT NULL,
  `bl` blob DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `bytes`
--

LOCK TABLES `bytes` WRITE;
/*!40000 ALTER TABLE `bytes` DISABLE KEYS */;
REPLACE INTO `bytes` VALUES
(0,'\0','\0','\0	\n\r\Z !\"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ'),
(1,'','','\0ˇ\\\'\"\r\n\Z\\n'),
(2,'','',NULL),
(3,'','',NULL),
(4,'','',NULL),
(5,'','',NULL),
(6,'','',NULL),
(7,'','',NULL),
(8,'','',NULL),
(9,'	','	',NULL),
(10,'\n','\n',NULL),
(11,'','',NULL),
(12,'','',NULL),
(13,'\r','\r',NULL),
(14,'','',NULL),
(15,'','',NULL),
(16,'','',NULL),
(17,'','',NULL),
(18,'','',NULL),
(19,'','',NULL),
(20,'','',NULL),
(21,'','',NULL),
(22,'','',NULL),
(23,'','',NULL),
(24,'','',NULL),
(25,'','',NULL),
(26,'\Z','\Z',NULL),
(27,'','',NULL),
(28,'','',NULL),
(29,'','',NULL),
(30,'','',NULL),
(31,'','',NULL),
(32,' ',' ',NULL),
(33,'!','!',NULL),
(34,'\"','\"',NULL),
(35,'#','#',NULL),
(36,'$','$',NULL),
(37,'%','%',NULL),
(38,'&','&',NULL),
(39,'\'','\'',NULL),
(40,'(','(',NULL),
(41,')',')',NULL),
(42,'*','*',NULL),
(43,'+','+',NULL),
(44,',',',',NULL),
(45,'-','-',NULL),
(46,'.','.',NULL),
(47,'/','/',NULL),
(48,'0','0',NULL),
(49,'1','1',NULL),
(50,'2','2',NULL),
(51,'3','3',NULL),
(52,'4','4',NULL),
(53,'5','5',NULL),
(54,'6','6',NULL),
(55,'7','7',NULL),
(56,'8','8',NULL),
(57,'9','9',NULL),
(58,':',':',NULL),
(59,';',';',NULL),
(60,'<','<',NULL),
(61,'=','=',NULL),
(62,'>','>',NULL),
(63,'?','?',NULL),
(64,'@','@',NULL),
(65,'A','A',NULL),
(66,'B','B',NULL),
(67,'C','C',NULL),
(68,'D','D',NULL),
(69,'E','E',NULL),
(70,'F','F',NULL),
(71,'G','G',NULL),
(72,'H','H',NULL),
(73,'I','I',NULL),
(74,'J','J',NULL),
(75,'K','K',NULL),
(76,'L','L',NULL),
(77,'M','M',NULL),
(78,'N','N',NULL),
(79,'O','O',NULL),
(80,'P','P',NULL),
(81,'Q','Q',NULL),
(82,'R','R',NULL),
(83,'S','S',NULL),
(84,'T','T',NULL),
(85,'U','U',NULL),
(86,'V','V',NULL),
(87,'W','W',NULL),
(88,'X','X',NULL),
(89,'Y','Y',NULL),
(90,'Z','Z',NULL),
(91,'[','[',NULL),
(92,'\\','\\',NULL),
(93,']',']',NULL),
(94,'^','^',NULL),
(95,'_','_',NULL),
(96,'`','`',NULL),
(97,'a','a',NULL),
(98,'b','b',NULL),
(99,'c','c',NULL),
(100,'d','d',NULL),
(101,'e','e',NULL),
(102,'f','f',NULL),
(103,'g','g',NULL),
(104,'h','h',NULL),
(105,'i','i',NULL),
(106,'j','j',NULL),
(107,'k','k',NULL),
(108,'l','l',NULL),
(109,'m','m',NULL),
(110,'n','n',NULL),
(111,'o','o',NULL),
(112,'p','p',NULL),
(113,'q','q',NULL),
(114,'r','r',NULL),
(115,'s','s',NULL),
(116,'t','t',NULL),
(117,'u','u',NULL),
(118,'v','v',NULL),
(119,'w','w',NULL),
(120,'x','x',NULL),
(121,'y','y',NULL),
(122,'z','z',NULL),
(123,'{','{',NULL),
(124,'|','|',NULL),
(125,'}','}',NULL),
(126,'~','~',NULL),
(127,'','',NULL),
(128,'Ä','Ä',NULL),
(129,'Å','Å',NULL),
(130,'Ç','Ç',NULL),
(131,'É','É',NULL),
(132,'Ñ','Ñ',NULL),
(133,'Ö','Ö',NULL),
(134,'Ü','Ü',NULL),
(135,'á','á',NULL),
(136,'à','à',NULL),
(137,'â','â',NULL),
(138,'ä','ä',NULL),
(139,'ã','ã',NULL),
(140,'å','å',NULL),
(141,'ç','ç',NULL),
(142,'é','é',NULL),
(143,'è','è',NULL),
(144,'ê','ê',NULL),
(145,'ë','ë',NULL),
(146,'í','í',NULL),
(147,'ì','ì',NULL),
(148,'î','î',NULL),
(149,'ï','ï',NULL),
(150,'ñ','ñ',NULL),
(151,'ó','ó',NULL),
(152,'ò','ò',NULL),
(153,'ô','ô',NULL),
(154,'ö','ö',NULL),
(155,'õ','õ',NULL),
(156,'ú','ú',NULL),
(157,'ù','ù',NULL),
(158,'û','û',NULL),
(159,'ü','ü',NULL),
(160,'†','†',NULL),
(161,'°','°',NULL),
(162,'¢','¢',NULL),
(163,'£','£',NULL),
(164,'§','§',NULL),
(165,'•','•',NULL),
(166,'¶','¶',NULL),
(167,'ß','ß',NULL),
(168,'®','®',NULL),
(169,'©','©',NULL),
(170,'™','™',NULL),
(171,'´','´',NULL),
(172,'¨','¨',NULL),
(173,'≠','≠',NULL),
(174,'Æ','Æ',NULL),
(175,'Ø','Ø',NULL),
(176,'∞','∞',NULL),
(177,'±','±',NULL),
(178,'≤','≤',NULL),
(179,'≥','≥',NULL),
(180,'¥','¥',NULL),
(181,'µ','µ',NULL),
(182,'∂','∂',NULL),
(183,'∑','∑',NULL),
(184,'∏','∏',NULL),
(185,'π','π',NULL),
(186,'∫','∫',NULL),
(187,'ª','ª',NULL),
(188,'º','º',NULL),
(189,'Ω','Ω',NULL),
(190,'æ','æ',NULL),
(191,'ø','ø',NULL),
(192,'¿','¿',NULL),
(193,'¡','¡',NULL),
(194,'¬','¬',NULL),
(195,'√','√',NULL),
(196,'ƒ','ƒ',NULL),
(197,'≈','≈',NULL),
(198,'∆','∆',NULL),
(199,'«','«',NULL),
(200,'»','»',NULL),
(201,'…','…',NULL),
(202,' ',' ',NULL),
(203,'À','À',NULL),
(204,'Ã','Ã',NULL),
(205,'Õ','Õ',NULL),
(206,'Œ','Œ',NULL),
(207,'œ','œ',NULL),
(208,'–','–',NULL),
(209,'—','—',NULL),
(210,'“','“',NULL),
(211,'”','”',NULL),
(212,'‘','‘',NULL),
(213,'’','’',NULL),
(214,'÷','÷',NULL),
(215,'◊','◊',NULL),
(216,'ÿ','ÿ',NULL),
(217,'Ÿ','Ÿ',NULL),
(218,'⁄','⁄',NULL),
(219,'€','€',NULL),
(220,'‹','‹',NULL),
(221,'›','›',NULL),
(222,'ﬁ','ﬁ',NULL),
(223,'ﬂ','ﬂ',NULL),
(224,'‡','‡',NULL),
(225,'·','·',NULL),
(226,'‚','‚',NULL),
(227,'„','„',NULL),
(228,'‰','‰',NULL),
(229,'Â','Â',NULL),
(230,'Ê','Ê',NULL),
(231,'Á','Á',NULL),
(232,'Ë','Ë',NULL),
(233,'È','È',NULL),
(234,'Í','Í',NULL),
(235,'Î','Î',NULL),
(236,'Ï','Ï',NULL),
(237,'Ì','Ì',NULL),
(238,'Ó','Ó',NULL),
(239,'Ô','Ô',NULL),
(240,'','',NULL),
(241,'Ò','Ò',NULL),
(242,'Ú','Ú',NULL),
(243,'Û','Û',NULL),
(244,'Ù','Ù',NULL),
(245,'ı','ı',NULL),
(246,'ˆ','ˆ',NULL),
(247,'˜','˜',NULL),
(248,'¯','¯',NULL),
(249,'˘','˘',NULL),
(250,'˙','˙',NULL),
(251,'˚','˚',NULL),
(252,'¸','¸',NULL),
(253,'˝','˝',NULL),
(254,'˛','˛',NULL),
(255,'ˇ','ˇ',NULL);
/*!40000 ALTER TABLE `bytes` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `cp932_text`
--

DROP TABLE IF EXISTS `cp932_text`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `cp932_text` (
  `id` int(11) NOT NULL,
  `name` varchar(50) NOT NULL,
  `note` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=cp932 COLLATE=cp932_japanese_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `cp932_text`
--

LOCK TABLES `cp932_text` WRITE;
/*!40000 ALTER TABLE `cp932_text` DISABLE KEYS */;
REPLACE INTO `cp932_text` VALUES
(1,'„ÇΩ„Éï„Éà','Ë°®Á§∫'),
(2,'ËÉΩÂäõ','‰∫àÂÆö'),
(3,'‚ë†‚ë°‚ë¢','„à± ÔΩû ‚à• Ôºç'),
(4,'ÔΩ∂ÔæÄÔΩ∂ÔæÖ','half-width kana'),
(5,'ascii',NULL);
/*!40000 ALTER TABLE `cp932_text` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `empty_table`
--

DROP TABLE IF EXISTS `empty_table`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `empty_table` (
  `id` int(11) NOT NULL,
  `name` varchar(10) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `empty_table`
--

LOCK TABLES `empty_table` WRITE;
/*!40000 ALTER TABLE `empty_table` DISABLE KEYS */;
/*!40000 ALTER TABLE `empty_table` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `escapes`
--

DROP TABLE IF EXISTS `escapes`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `escapes` (
  `id` int(11) NOT NULL,
  `label` varchar(20) NOT NULL,
  `s` varchar(100) DEFAULT NULL,
  `t` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `escapes`
--

LOCK TABLES `escapes` WRITE;
/*!40000 ALTER TABLE `escapes` DISABLE KEYS */;
REPLACE INTO `escapes` VALUES
(1,'nul','a\0b',NULL),
(2,'single quote','it\'s','it\'s doubled'),
(3,'double quote','say \"hi\"','say \"hi\" bare'),
(4,'backspace','xy',NULL),
(5,'newline','line1\nline2','line1\nline2\nline3 (raw newlines in the script)'),
(6,'carriage return','a\rb','crlf\r\nend'),
(7,'tab','a	b','a	b (raw tab)'),
(8,'ctrl-z','a\Zb',NULL),
(9,'backslash','C:\\temp\\new','\\\\server\\share'),
(10,'percent','100\\%','LIKE escape kept: \\% \\_'),
(11,'underscore','a\\_b',NULL),
(12,'all at once','\0\'\"\n\r	\Z\\\\%\\_','end with backslash \\'),
(13,'looks like sql','\'),(99,\'x\');--','/* not a comment */ -- nor this # nor this'),
(14,'delimiter',';;','DELIMITER ;; and $$'),
(15,'japanese','Êó•Êú¨Ë™û„ÅÆÊñáÂ≠óÂàó','„ÇΩË°®ËÉΩ‰∫à (0x5C trail bytes in cp932)'),
(16,'empty','',''),
(17,'null',NULL,NULL),
(18,'spaces','   ',' leading and trailing ');
/*!40000 ALTER TABLE `escapes` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `gen`
--

DROP TABLE IF EXISTS `gen`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `gen` (
  `id` int(11) NOT NULL,
  `a` int(11) NOT NULL,
  `v` int(11) GENERATED ALWAYS AS (`a` * 2) VIRTUAL,
  `email` varchar(100) DEFAULT NULL,
  `s` varchar(100) GENERATED ALWAYS AS (lcase(`email`)) STORED,
  `domain` varchar(100) GENERATED ALWAYS AS (substring_index(`email`,'@',-1)) VIRTUAL,
  `last` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `gen`
--

LOCK TABLES `gen` WRITE;
/*!40000 ALTER TABLE `gen` DISABLE KEYS */;
REPLACE INTO `gen` VALUES
(1,5,10,'Alice@Example.COM','alice@example.com','Example.COM',1),
(2,-3,-6,NULL,NULL,NULL,NULL),
(3,0,0,'x@y','x@y','y',3);
/*!40000 ALTER TABLE `gen` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `latin1_text`
--

DROP TABLE IF EXISTS `latin1_text`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `latin1_text` (
  `id` int(11) NOT NULL,
  `name` varchar(50) NOT NULL,
  `note` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `latin1_text`
--

LOCK TABLES `latin1_text` WRITE;
/*!40000 ALTER TABLE `latin1_text` DISABLE KEYS */;
REPLACE INTO `latin1_text` VALUES
(1,'caf√©','cr√®me br√ªl√©e'),
(2,'√ëand√∫','¬£5 ¬± 1¬∞'),
(3,'Stra√üe','na√Øve fa√ßade ¬´quoted¬ª'),
(4,'plain',NULL),
(5,'','√ø √æ √∞ √¶ (high latin1 bytes)');
/*!40000 ALTER TABLE `latin1_text` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `misc`
--

DROP TABLE IF EXISTS `misc`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `misc` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `doc` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`doc`)),
  `flag` bit(1) DEFAULT NULL,
  `bits` bit(5) DEFAULT NULL,
  `i` bigint(20) DEFAULT NULL,
  `u` bigint(20) unsigned DEFAULT NULL,
  `d` decimal(20,10) DEFAULT NULL,
  `f` float DEFAULT NULL,
  `g` double DEFAULT NULL,
  `dt` date DEFAULT NULL,
  `dtt` datetime(6) DEFAULT NULL,
  `ts` timestamp NULL DEFAULT NULL,
  `tm` time DEFAULT NULL,
  `y` year(4) DEFAULT NULL,
  `e` enum('small','medium','large','it''s') DEFAULT NULL,
  `st` set('a','b','c') DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `misc`
--

LOCK TABLES `misc` WRITE;
/*!40000 ALTER TABLE `misc` DISABLE KEYS */;
REPLACE INTO `misc` VALUES
(1,'{\"name\": \"Â±±Áî∞\", \"tags\": [\"a\", \"b\"], \"nested\": {\"quote\": \"it\'s\", \"nl\": \"a\\nb\"}}','','',-9223372036854775808,18446744073709551615,-1234567890.0123456789,-0.00000000015,1.7976931348623157e308,'2024-02-29','2024-02-29 23:59:59.999999','2038-01-19 03:14:07','-838:59:59',2155,'it\'s','a,c'),
(2,'[]','\0','\0',0,0,0.0000000000,0,0,'1000-01-01','1000-01-01 00:00:00.000000','1970-01-01 00:00:01','00:00:00',1901,'small',''),
(3,'{\"emoji\": \"üòÄ\", \"num\": 1e3, \"neg\": -0.5}','','',9223372036854775807,1,0.0000000001,3.4e38,-2.2250738585072014e-308,'9999-12-31',NULL,NULL,'838:59:59',NULL,'large','a,b,c'),
(4,NULL,NULL,'',-1,NULL,-0.5000000000,NULL,1e-300,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
/*!40000 ALTER TABLE `misc` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `odd ``name`` table`
--

DROP TABLE IF EXISTS `odd ``name`` table`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `odd ``name`` table` (
  `select` int(11) NOT NULL,
  `values` varchar(20) DEFAULT NULL,
  `with space` varchar(20) DEFAULT NULL,
  `a``b` int(11) DEFAULT NULL,
  `Êó•Êú¨Ë™û„Ç´„É©„É†` varchar(20) DEFAULT NULL,
  `#hash` int(11) DEFAULT NULL,
  `--dash` int(11) DEFAULT NULL,
  `),(` int(11) DEFAULT NULL,
  PRIMARY KEY (`select`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `odd ``name`` table`
--

LOCK TABLES `odd ``name`` table` WRITE;
/*!40000 ALTER TABLE `odd ``name`` table` DISABLE KEYS */;
REPLACE INTO `odd ``name`` table` VALUES
(1,'v','w s',2,'ÂÄ§',3,4,5),
(2,NULL,'',NULL,NULL,NULL,NULL,NULL);
/*!40000 ALTER TABLE `odd ``name`` table` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `order`
--

DROP TABLE IF EXISTS `order`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `order` (
  `group` int(11) NOT NULL,
  `key` varchar(10) DEFAULT NULL,
  PRIMARY KEY (`group`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `order`
--

LOCK TABLES `order` WRITE;
/*!40000 ALTER TABLE `order` DISABLE KEYS */;
REPLACE INTO `order` VALUES
(1,'k'),
(2,NULL);
/*!40000 ALTER TABLE `order` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Temporary table structure for view `user_emails`
--

DROP TABLE IF EXISTS `user_emails`;
/*!50001 DROP VIEW IF EXISTS `user_emails`*/;
SET @saved_cs_client     = @@character_set_client;
SET character_set_client = utf8mb4;
/*!50001 CREATE VIEW `user_emails` AS SELECT
 NULL AS `id`,
 NULL AS `email`,
 NULL AS `display` */;
SET character_set_client = @saved_cs_client;

--
-- Table structure for table `users`
--

DROP TABLE IF EXISTS `users`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `users` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(100) NOT NULL,
  `email` varchar(255) NOT NULL,
  `phone` varchar(32) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL,
  `birth_date` date DEFAULT NULL,
  `memo` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `users`
--

LOCK TABLES `users` WRITE;
/*!40000 ALTER TABLE `users` DISABLE KEYS */;
REPLACE INTO `users` VALUES
(1,'Â±±Áî∞ Â§™ÈÉé','taro.yamada@example.jp','090-1234-5678','Êù±‰∫¨ÈÉΩÊ∏ØÂå∫ËäùÂÖ¨Âúí4-2-8','1980-01-31','ÈõªË©±NG'),
(2,'O\'Brien, Pat','pat.obrien@example.com','+1-555-0100','1 Main St\nApt 2','1975-12-01','quote \' and backslash \\ inside'),
(3,'Emoji üòÄ User','emoji@example.org',NULL,NULL,NULL,'üç£üç∫ multi-byte †Æ∑ (4-byte kanji)'),
(4,'','empty-name@example.net','','','0000-00-00',''),
(5,'NULL','null-string@example.net','NULL','NULL',NULL,NULL);
/*!40000 ALTER TABLE `users` ENABLE KEYS */;
UNLOCK TABLES;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_general_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER users_after_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NEW.email <> OLD.email THEN
    INSERT INTO audit_log (user_id, what) VALUES (NEW.id, 'email changed; old one kept nowhere');
  END IF;
END 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;

--
-- Final view structure for view `user_emails`
--

/*!50001 DROP VIEW IF EXISTS `user_emails`*/;
/*!50001 SET @saved_cs_client          = @@character_set_client */;
/*!50001 SET @saved_cs_results         = @@character_set_results */;
/*!50001 SET @saved_col_connection     = @@collation_connection */;
/*!50001 SET character_set_client      = utf8mb4 */;
/*!50001 SET character_set_results     = utf8mb4 */;
/*!50001 SET collation_connection      = utf8mb4_general_ci */;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER */
/*!50001 VIEW `user_emails` AS select `users`.`id` AS `id`,`users`.`email` AS `email`,concat(`users`.`name`,';',' <',`users`.`email`,'>') AS `display` from `users` */;
/*!50001 SET character_set_client      = @saved_cs_client */;
/*!50001 SET character_set_results     = @saved_cs_results */;
/*!50001 SET collation_connection      = @saved_col_connection */;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed
