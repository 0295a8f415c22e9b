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
INSERT INTO `audit_log` VALUES (1,1,'email changed; old one kept nowhere');
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
INSERT INTO `bytes` VALUES (0,'\0','\0','\0	\n\r\Z !\"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ');
INSERT INTO `bytes` VALUES (1,'','','\0ˇ\\\'\"\r\n\Z\\n');
INSERT INTO `bytes` VALUES (2,'','',NULL);
INSERT INTO `bytes` VALUES (3,'','',NULL);
INSERT INTO `bytes` VALUES (4,'','',NULL);
INSERT INTO `bytes` VALUES (5,'','',NULL);
INSERT INTO `bytes` VALUES (6,'','',NULL);
INSERT INTO `bytes` VALUES (7,'','',NULL);
INSERT INTO `bytes` VALUES (8,'','',NULL);
INSERT INTO `bytes` VALUES (9,'	','	',NULL);
INSERT INTO `bytes` VALUES (10,'\n','\n',NULL);
INSERT INTO `bytes` VALUES (11,'','',NULL);
INSERT INTO `bytes` VALUES (12,'','',NULL);
INSERT INTO `bytes` VALUES (13,'\r','\r',NULL);
INSERT INTO `bytes` VALUES (14,'','',NULL);
INSERT INTO `bytes` VALUES (15,'','',NULL);
INSERT INTO `bytes` VALUES (16,'','',NULL);
INSERT INTO `bytes` VALUES (17,'','',NULL);
INSERT INTO `bytes` VALUES (18,'','',NULL);
INSERT INTO `bytes` VALUES (19,'','',NULL);
INSERT INTO `bytes` VALUES (20,'','',NULL);
INSERT INTO `bytes` VALUES (21,'','',NULL);
INSERT INTO `bytes` VALUES (22,'','',NULL);
INSERT INTO `bytes` VALUES (23,'','',NULL);
INSERT INTO `bytes` VALUES (24,'','',NULL);
INSERT INTO `bytes` VALUES (25,'','',NULL);
INSERT INTO `bytes` VALUES (26,'\Z','\Z',NULL);
INSERT INTO `bytes` VALUES (27,'','',NULL);
INSERT INTO `bytes` VALUES (28,'','',NULL);
INSERT INTO `bytes` VALUES (29,'','',NULL);
INSERT INTO `bytes` VALUES (30,'','',NULL);
INSERT INTO `bytes` VALUES (31,'','',NULL);
INSERT INTO `bytes` VALUES (32,' ',' ',NULL);
INSERT INTO `bytes` VALUES (33,'!','!',NULL);
INSERT INTO `bytes` VALUES (34,'\"','\"',NULL);
INSERT INTO `bytes` VALUES (35,'#','#',NULL);
INSERT INTO `bytes` VALUES (36,'$','$',NULL);
INSERT INTO `bytes` VALUES (37,'%','%',NULL);
INSERT INTO `bytes` VALUES (38,'&','&',NULL);
INSERT INTO `bytes` VALUES (39,'\'','\'',NULL);
INSERT INTO `bytes` VALUES (40,'(','(',NULL);
INSERT INTO `bytes` VALUES (41,')',')',NULL);
INSERT INTO `bytes` VALUES (42,'*','*',NULL);
INSERT INTO `bytes` VALUES (43,'+','+',NULL);
INSERT INTO `bytes` VALUES (44,',',',',NULL);
INSERT INTO `bytes` VALUES (45,'-','-',NULL);
INSERT INTO `bytes` VALUES (46,'.','.',NULL);
INSERT INTO `bytes` VALUES (47,'/','/',NULL);
INSERT INTO `bytes` VALUES (48,'0','0',NULL);
INSERT INTO `bytes` VALUES (49,'1','1',NULL);
INSERT INTO `bytes` VALUES (50,'2','2',NULL);
INSERT INTO `bytes` VALUES (51,'3','3',NULL);
INSERT INTO `bytes` VALUES (52,'4','4',NULL);
INSERT INTO `bytes` VALUES (53,'5','5',NULL);
INSERT INTO `bytes` VALUES (54,'6','6',NULL);
INSERT INTO `bytes` VALUES (55,'7','7',NULL);
INSERT INTO `bytes` VALUES (56,'8','8',NULL);
INSERT INTO `bytes` VALUES (57,'9','9',NULL);
INSERT INTO `bytes` VALUES (58,':',':',NULL);
INSERT INTO `bytes` VALUES (59,';',';',NULL);
INSERT INTO `bytes` VALUES (60,'<','<',NULL);
INSERT INTO `bytes` VALUES (61,'=','=',NULL);
INSERT INTO `bytes` VALUES (62,'>','>',NULL);
INSERT INTO `bytes` VALUES (63,'?','?',NULL);
INSERT INTO `bytes` VALUES (64,'@','@',NULL);
INSERT INTO `bytes` VALUES (65,'A','A',NULL);
INSERT INTO `bytes` VALUES (66,'B','B',NULL);
INSERT INTO `bytes` VALUES (67,'C','C',NULL);
INSERT INTO `bytes` VALUES (68,'D','D',NULL);
INSERT INTO `bytes` VALUES (69,'E','E',NULL);
INSERT INTO `bytes` VALUES (70,'F','F',NULL);
INSERT INTO `bytes` VALUES (71,'G','G',NULL);
INSERT INTO `bytes` VALUES (72,'H','H',NULL);
INSERT INTO `bytes` VALUES (73,'I','I',NULL);
INSERT INTO `bytes` VALUES (74,'J','J',NULL);
INSERT INTO `bytes` VALUES (75,'K','K',NULL);
INSERT INTO `bytes` VALUES (76,'L','L',NULL);
INSERT INTO `bytes` VALUES (77,'M','M',NULL);
INSERT INTO `bytes` VALUES (78,'N','N',NULL);
INSERT INTO `bytes` VALUES (79,'O','O',NULL);
INSERT INTO `bytes` VALUES (80,'P','P',NULL);
INSERT INTO `bytes` VALUES (81,'Q','Q',NULL);
INSERT INTO `bytes` VALUES (82,'R','R',NULL);
INSERT INTO `bytes` VALUES (83,'S','S',NULL);
INSERT INTO `bytes` VALUES (84,'T','T',NULL);
INSERT INTO `bytes` VALUES (85,'U','U',NULL);
INSERT INTO `bytes` VALUES (86,'V','V',NULL);
INSERT INTO `bytes` VALUES (87,'W','W',NULL);
INSERT INTO `bytes` VALUES (88,'X','X',NULL);
INSERT INTO `bytes` VALUES (89,'Y','Y',NULL);
INSERT INTO `bytes` VALUES (90,'Z','Z',NULL);
INSERT INTO `bytes` VALUES (91,'[','[',NULL);
INSERT INTO `bytes` VALUES (92,'\\','\\',NULL);
INSERT INTO `bytes` VALUES (93,']',']',NULL);
INSERT INTO `bytes` VALUES (94,'^','^',NULL);
INSERT INTO `bytes` VALUES (95,'_','_',NULL);
INSERT INTO `bytes` VALUES (96,'`','`',NULL);
INSERT INTO `bytes` VALUES (97,'a','a',NULL);
INSERT INTO `bytes` VALUES (98,'b','b',NULL);
INSERT INTO `bytes` VALUES (99,'c','c',NULL);
INSERT INTO `bytes` VALUES (100,'d','d',NULL);
INSERT INTO `bytes` VALUES (101,'e','e',NULL);
INSERT INTO `bytes` VALUES (102,'f','f',NULL);
INSERT INTO `bytes` VALUES (103,'g','g',NULL);
INSERT INTO `bytes` VALUES (104,'h','h',NULL);
INSERT INTO `bytes` VALUES (105,'i','i',NULL);
INSERT INTO `bytes` VALUES (106,'j','j',NULL);
INSERT INTO `bytes` VALUES (107,'k','k',NULL);
INSERT INTO `bytes` VALUES (108,'l','l',NULL);
INSERT INTO `bytes` VALUES (109,'m','m',NULL);
INSERT INTO `bytes` VALUES (110,'n','n',NULL);
INSERT INTO `bytes` VALUES (111,'o','o',NULL);
INSERT INTO `bytes` VALUES (112,'p','p',NULL);
INSERT INTO `bytes` VALUES (113,'q','q',NULL);
INSERT INTO `bytes` VALUES (114,'r','r',NULL);
INSERT INTO `bytes` VALUES (115,'s','s',NULL);
INSERT INTO `bytes` VALUES (116,'t','t',NULL);
INSERT INTO `bytes` VALUES (117,'u','u',NULL);
INSERT INTO `bytes` VALUES (118,'v','v',NULL);
INSERT INTO `bytes` VALUES (119,'w','w',NULL);
INSERT INTO `bytes` VALUES (120,'x','x',NULL);
INSERT INTO `bytes` VALUES (121,'y','y',NULL);
INSERT INTO `bytes` VALUES (122,'z','z',NULL);
INSERT INTO `bytes` VALUES (123,'{','{',NULL);
INSERT INTO `bytes` VALUES (124,'|','|',NULL);
INSERT INTO `bytes` VALUES (125,'}','}',NULL);
INSERT INTO `bytes` VALUES (126,'~','~',NULL);
INSERT INTO `bytes` VALUES (127,'','',NULL);
INSERT INTO `bytes` VALUES (128,'Ä','Ä',NULL);
INSERT INTO `bytes` VALUES (129,'Å','Å',NULL);
INSERT INTO `bytes` VALUES (130,'Ç','Ç',NULL);
INSERT INTO `bytes` VALUES (131,'É','É',NULL);
INSERT INTO `bytes` VALUES (132,'Ñ','Ñ',NULL);
INSERT INTO `bytes` VALUES (133,'Ö','Ö',NULL);
INSERT INTO `bytes` VALUES (134,'Ü','Ü',NULL);
INSERT INTO `bytes` VALUES (135,'á','á',NULL);
INSERT INTO `bytes` VALUES (136,'à','à',NULL);
INSERT INTO `bytes` VALUES (137,'â','â',NULL);
INSERT INTO `bytes` VALUES (138,'ä','ä',NULL);
INSERT INTO `bytes` VALUES (139,'ã','ã',NULL);
INSERT INTO `bytes` VALUES (140,'å','å',NULL);
INSERT INTO `bytes` VALUES (141,'ç','ç',NULL);
INSERT INTO `bytes` VALUES (142,'é','é',NULL);
INSERT INTO `bytes` VALUES (143,'è','è',NULL);
INSERT INTO `bytes` VALUES (144,'ê','ê',NULL);
INSERT INTO `bytes` VALUES (145,'ë','ë',NULL);
INSERT INTO `bytes` VALUES (146,'í','í',NULL);
INSERT INTO `bytes` VALUES (147,'ì','ì',NULL);
INSERT INTO `bytes` VALUES (148,'î','î',NULL);
INSERT INTO `bytes` VALUES (149,'ï','ï',NULL);
INSERT INTO `bytes` VALUES (150,'ñ','ñ',NULL);
INSERT INTO `bytes` VALUES (151,'ó','ó',NULL);
INSERT INTO `bytes` VALUES (152,'ò','ò',NULL);
INSERT INTO `bytes` VALUES (153,'ô','ô',NULL);
INSERT INTO `bytes` VALUES (154,'ö','ö',NULL);
INSERT INTO `bytes` VALUES (155,'õ','õ',NULL);
INSERT INTO `bytes` VALUES (156,'ú','ú',NULL);
INSERT INTO `bytes` VALUES (157,'ù','ù',NULL);
INSERT INTO `bytes` VALUES (158,'û','û',NULL);
INSERT INTO `bytes` VALUES (159,'ü','ü',NULL);
INSERT INTO `bytes` VALUES (160,'†','†',NULL);
INSERT INTO `bytes` VALUES (161,'°','°',NULL);
INSERT INTO `bytes` VALUES (162,'¢','¢',NULL);
INSERT INTO `bytes` VALUES (163,'£','£',NULL);
INSERT INTO `bytes` VALUES (164,'§','§',NULL);
INSERT INTO `bytes` VALUES (165,'•','•',NULL);
INSERT INTO `bytes` VALUES (166,'¶','¶',NULL);
INSERT INTO `bytes` VALUES (167,'ß','ß',NULL);
INSERT INTO `bytes` VALUES (168,'®','®',NULL);
INSERT INTO `bytes` VALUES (169,'©','©',NULL);
INSERT INTO `bytes` VALUES (170,'™','™',NULL);
INSERT INTO `bytes` VALUES (171,'´','´',NULL);
INSERT INTO `bytes` VALUES (172,'¨','¨',NULL);
INSERT INTO `bytes` VALUES (173,'≠','≠',NULL);
INSERT INTO `bytes` VALUES (174,'Æ','Æ',NULL);
INSERT INTO `bytes` VALUES (175,'Ø','Ø',NULL);
INSERT INTO `bytes` VALUES (176,'∞','∞',NULL);
INSERT INTO `bytes` VALUES (177,'±','±',NULL);
INSERT INTO `bytes` VALUES (178,'≤','≤',NULL);
INSERT INTO `bytes` VALUES (179,'≥','≥',NULL);
INSERT INTO `bytes` VALUES (180,'¥','¥',NULL);
INSERT INTO `bytes` VALUES (181,'µ','µ',NULL);
INSERT INTO `bytes` VALUES (182,'∂','∂',NULL);
INSERT INTO `bytes` VALUES (183,'∑','∑',NULL);
INSERT INTO `bytes` VALUES (184,'∏','∏',NULL);
INSERT INTO `bytes` VALUES (185,'π','π',NULL);
INSERT INTO `bytes` VALUES (186,'∫','∫',NULL);
INSERT INTO `bytes` VALUES (187,'ª','ª',NULL);
INSERT INTO `bytes` VALUES (188,'º','º',NULL);
INSERT INTO `bytes` VALUES (189,'Ω','Ω',NULL);
INSERT INTO `bytes` VALUES (190,'æ','æ',NULL);
INSERT INTO `bytes` VALUES (191,'ø','ø',NULL);
INSERT INTO `bytes` VALUES (192,'¿','¿',NULL);
INSERT INTO `bytes` VALUES (193,'¡','¡',NULL);
INSERT INTO `bytes` VALUES (194,'¬','¬',NULL);
INSERT INTO `bytes` VALUES (195,'√','√',NULL);
INSERT INTO `bytes` VALUES (196,'ƒ','ƒ',NULL);
INSERT INTO `bytes` VALUES (197,'≈','≈',NULL);
INSERT INTO `bytes` VALUES (198,'∆','∆',NULL);
INSERT INTO `bytes` VALUES (199,'«','«',NULL);
INSERT INTO `bytes` VALUES (200,'»','»',NULL);
INSERT INTO `bytes` VALUES (201,'…','…',NULL);
INSERT INTO `bytes` VALUES (202,' ',' ',NULL);
INSERT INTO `bytes` VALUES (203,'À','À',NULL);
INSERT INTO `bytes` VALUES (204,'Ã','Ã',NULL);
INSERT INTO `bytes` VALUES (205,'Õ','Õ',NULL);
INSERT INTO `bytes` VALUES (206,'Œ','Œ',NULL);
INSERT INTO `bytes` VALUES (207,'œ','œ',NULL);
INSERT INTO `bytes` VALUES (208,'–','–',NULL);
INSERT INTO `bytes` VALUES (209,'—','—',NULL);
INSERT INTO `bytes` VALUES (210,'“','“',NULL);
INSERT INTO `bytes` VALUES (211,'”','”',NULL);
INSERT INTO `bytes` VALUES (212,'‘','‘',NULL);
INSERT INTO `bytes` VALUES (213,'’','’',NULL);
INSERT INTO `bytes` VALUES (214,'÷','÷',NULL);
INSERT INTO `bytes` VALUES (215,'◊','◊',NULL);
INSERT INTO `bytes` VALUES (216,'ÿ','ÿ',NULL);
INSERT INTO `bytes` VALUES (217,'Ÿ','Ÿ',NULL);
INSERT INTO `bytes` VALUES (218,'⁄','⁄',NULL);
INSERT INTO `bytes` VALUES (219,'€','€',NULL);
INSERT INTO `bytes` VALUES (220,'‹','‹',NULL);
INSERT INTO `bytes` VALUES (221,'›','›',NULL);
INSERT INTO `bytes` VALUES (222,'ﬁ','ﬁ',NULL);
INSERT INTO `bytes` VALUES (223,'ﬂ','ﬂ',NULL);
INSERT INTO `bytes` VALUES (224,'‡','‡',NULL);
INSERT INTO `bytes` VALUES (225,'·','·',NULL);
INSERT INTO `bytes` VALUES (226,'‚','‚',NULL);
INSERT INTO `bytes` VALUES (227,'„','„',NULL);
INSERT INTO `bytes` VALUES (228,'‰','‰',NULL);
INSERT INTO `bytes` VALUES (229,'Â','Â',NULL);
INSERT INTO `bytes` VALUES (230,'Ê','Ê',NULL);
INSERT INTO `bytes` VALUES (231,'Á','Á',NULL);
INSERT INTO `bytes` VALUES (232,'Ë','Ë',NULL);
INSERT INTO `bytes` VALUES (233,'È','È',NULL);
INSERT INTO `bytes` VALUES (234,'Í','Í',NULL);
INSERT INTO `bytes` VALUES (235,'Î','Î',NULL);
INSERT INTO `bytes` VALUES (236,'Ï','Ï',NULL);
INSERT INTO `bytes` VALUES (237,'Ì','Ì',NULL);
INSERT INTO `bytes` VALUES (238,'Ó','Ó',NULL);
INSERT INTO `bytes` VALUES (239,'Ô','Ô',NULL);
INSERT INTO `bytes` VALUES (240,'','',NULL);
INSERT INTO `bytes` VALUES (241,'Ò','Ò',NULL);
INSERT INTO `bytes` VALUES (242,'Ú','Ú',NULL);
INSERT INTO `bytes` VALUES (243,'Û','Û',NULL);
INSERT INTO `bytes` VALUES (244,'Ù','Ù',NULL);
INSERT INTO `bytes` VALUES (245,'ı','ı',NULL);
INSERT INTO `bytes` VALUES (246,'ˆ','ˆ',NULL);
INSERT INTO `bytes` VALUES (247,'˜','˜',NULL);
INSERT INTO `bytes` VALUES (248,'¯','¯',NULL);
INSERT INTO `bytes` VALUES (249,'˘','˘',NULL);
INSERT INTO `bytes` VALUES (250,'˙','˙',NULL);
INSERT INTO `bytes` VALUES (251,'˚','˚',NULL);
INSERT INTO `bytes` VALUES (252,'¸','¸',NULL);
INSERT INTO `bytes` VALUES (253,'˝','˝',NULL);
INSERT INTO `bytes` VALUES (254,'˛','˛',NULL);
INSERT INTO `bytes` VALUES (255,'ˇ','ˇ',NULL);
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
INSERT INTO `cp932_text` VALUES (1,'„ÇΩ„Éï„Éà','Ë°®Á§∫');
INSERT INTO `cp932_text` VALUES (2,'ËÉΩÂäõ','‰∫àÂÆö');
INSERT INTO `cp932_text` VALUES (3,'‚ë†‚ë°‚ë¢','„à± ÔΩû ‚à• Ôºç');
INSERT INTO `cp932_text` VALUES (4,'ÔΩ∂ÔæÄÔΩ∂ÔæÖ','half-width kana');
INSERT INTO `cp932_text` VALUES (5,'ascii',NULL);
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
INSERT INTO `escapes` VALUES (1,'nul','a\0b',NULL);
INSERT INTO `escapes` VALUES (2,'single quote','it\'s','it\'s doubled');
INSERT INTO `escapes` VALUES (3,'double quote','say \"hi\"','say \"hi\" bare');
INSERT INTO `escapes` VALUES (4,'backspace','xy',NULL);
INSERT INTO `escapes` VALUES (5,'newline','line1\nline2','line1\nline2\nline3 (raw newlines in the script)');
INSERT INTO `escapes` VALUES (6,'carriage return','a\rb','crlf\r\nend');
INSERT INTO `escapes` VALUES (7,'tab','a	b','a	b (raw tab)');
INSERT INTO `escapes` VALUES (8,'ctrl-z','a\Zb',NULL);
INSERT INTO `escapes` VALUES (9,'backslash','C:\\temp\\new','\\\\server\\share');
INSERT INTO `escapes` VALUES (10,'percent','100\\%','LIKE escape kept: \\% \\_');
INSERT INTO `escapes` VALUES (11,'underscore','a\\_b',NULL);
INSERT INTO `escapes` VALUES (12,'all at once','\0\'\"\n\r	\Z\\\\%\\_','end with backslash \\');
INSERT INTO `escapes` VALUES (13,'looks like sql','\'),(99,\'x\');--','/* not a comment */ -- nor this # nor this');
INSERT INTO `escapes` VALUES (14,'delimiter',';;','DELIMITER ;; and $$');
INSERT INTO `escapes` VALUES (15,'japanese','Êó•Êú¨Ë™û„ÅÆÊñáÂ≠óÂàó','„ÇΩË°®ËÉΩ‰∫à (0x5C trail bytes in cp932)');
INSERT INTO `escapes` VALUES (16,'empty','','');
INSERT INTO `escapes` VALUES (17,'null',NULL,NULL);
INSERT INTO `escapes` VALUES (18,'spaces','   ',' leading and trailing ');
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
INSERT INTO `gen` VALUES (1,5,10,'Alice@Example.COM','alice@example.com','Example.COM',1);
INSERT INTO `gen` VALUES (2,-3,-6,NULL,NULL,NULL,NULL);
INSERT INTO `gen` VALUES (3,0,0,'x@y','x@y','y',3);
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
INSERT INTO `latin1_text` VALUES (1,'caf√©','cr√®me br√ªl√©e');
INSERT INTO `latin1_text` VALUES (2,'√ëand√∫','¬£5 ¬± 1¬∞');
INSERT INTO `latin1_text` VALUES (3,'Stra√üe','na√Øve fa√ßade ¬´quoted¬ª');
INSERT INTO `latin1_text` VALUES (4,'plain',NULL);
INSERT INTO `latin1_text` VALUES (5,'','√ø √æ √∞ √¶ (high latin1 bytes)');
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
INSERT INTO `misc` VALUES (1,'{\"name\": \"Â±±Áî∞\", \"tags\": [\"a\", \"b\"], \"nested\": {\"quote\": \"it\'s\", \"nl\": \"a\\nb\"}}','','',-9223372036854775808,18446744073709551615,-1234567890.0123456789,-0.00000000015,1.7976931348623157e308,'2024-02-29','2024-02-29 23:59:59.999999','2038-01-19 03:14:07','-838:59:59',2155,'it\'s','a,c');
INSERT INTO `misc` VALUES (2,'[]','\0','\0',0,0,0.0000000000,0,0,'1000-01-01','1000-01-01 00:00:00.000000','1970-01-01 00:00:01','00:00:00',1901,'small','');
INSERT INTO `misc` VALUES (3,'{\"emoji\": \"üòÄ\", \"num\": 1e3, \"neg\": -0.5}','','',9223372036854775807,1,0.0000000001,3.4e38,-2.2250738585072014e-308,'9999-12-31',NULL,NULL,'838:59:59',NULL,'large','a,b,c');
INSERT INTO `misc` VALUES (4,NULL,NULL,'',-1,NULL,-0.5000000000,NULL,1e-300,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
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
INSERT INTO `odd ``name`` table` VALUES (1,'v','w s',2,'ÂÄ§',3,4,5);
INSERT INTO `odd ``name`` table` VALUES (2,NULL,'',NULL,NULL,NULL,NULL,NULL);
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
INSERT INTO `order` VALUES (1,'k');
INSERT INTO `order` VALUES (2,NULL);
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
INSERT INTO `users` VALUES (1,'Â±±Áî∞ Â§™ÈÉé','taro.yamada@example.jp','090-1234-5678','Êù±‰∫¨ÈÉΩÊ∏ØÂå∫ËäùÂÖ¨Âúí4-2-8','1980-01-31','ÈõªË©±NG');
INSERT INTO `users` VALUES (2,'O\'Brien, Pat','pat.obrien@example.com','+1-555-0100','1 Main St\nApt 2','1975-12-01','quote \' and backslash \\ inside');
INSERT INTO `users` VALUES (3,'Emoji üòÄ User','emoji@example.org',NULL,NULL,NULL,'üç£üç∫ multi-byte †Æ∑ (4-byte kanji)');
INSERT INTO `users` VALUES (4,'','empty-name@example.net','','','0000-00-00','');
INSERT INTO `users` VALUES (5,'NULL','null-string@example.net','NULL','NULL',NULL,NULL);
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
