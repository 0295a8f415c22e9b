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
INSERT INTO `audit_log` VALUES
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
INSERT INTO `bytes` VALUES
(0,0x00,0x00,0x000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF),
(1,0x01,0x01,0x00FF5C27220D0A1A5C6E),
(2,0x02,0x02,NULL),
(3,0x03,0x03,NULL),
(4,0x04,0x04,NULL),
(5,0x05,0x05,NULL),
(6,0x06,0x06,NULL),
(7,0x07,0x07,NULL),
(8,0x08,0x08,NULL),
(9,0x09,0x09,NULL),
(10,0x0A,0x0A,NULL),
(11,0x0B,0x0B,NULL),
(12,0x0C,0x0C,NULL),
(13,0x0D,0x0D,NULL),
(14,0x0E,0x0E,NULL),
(15,0x0F,0x0F,NULL),
(16,0x10,0x10,NULL),
(17,0x11,0x11,NULL),
(18,0x12,0x12,NULL),
(19,0x13,0x13,NULL),
(20,0x14,0x14,NULL),
(21,0x15,0x15,NULL),
(22,0x16,0x16,NULL),
(23,0x17,0x17,NULL),
(24,0x18,0x18,NULL),
(25,0x19,0x19,NULL),
(26,0x1A,0x1A,NULL),
(27,0x1B,0x1B,NULL),
(28,0x1C,0x1C,NULL),
(29,0x1D,0x1D,NULL),
(30,0x1E,0x1E,NULL),
(31,0x1F,0x1F,NULL),
(32,0x20,0x20,NULL),
(33,0x21,0x21,NULL),
(34,0x22,0x22,NULL),
(35,0x23,0x23,NULL),
(36,0x24,0x24,NULL),
(37,0x25,0x25,NULL),
(38,0x26,0x26,NULL),
(39,0x27,0x27,NULL),
(40,0x28,0x28,NULL),
(41,0x29,0x29,NULL),
(42,0x2A,0x2A,NULL),
(43,0x2B,0x2B,NULL),
(44,0x2C,0x2C,NULL),
(45,0x2D,0x2D,NULL),
(46,0x2E,0x2E,NULL),
(47,0x2F,0x2F,NULL),
(48,0x30,0x30,NULL),
(49,0x31,0x31,NULL),
(50,0x32,0x32,NULL),
(51,0x33,0x33,NULL),
(52,0x34,0x34,NULL),
(53,0x35,0x35,NULL),
(54,0x36,0x36,NULL),
(55,0x37,0x37,NULL),
(56,0x38,0x38,NULL),
(57,0x39,0x39,NULL),
(58,0x3A,0x3A,NULL),
(59,0x3B,0x3B,NULL),
(60,0x3C,0x3C,NULL),
(61,0x3D,0x3D,NULL),
(62,0x3E,0x3E,NULL),
(63,0x3F,0x3F,NULL),
(64,0x40,0x40,NULL),
(65,0x41,0x41,NULL),
(66,0x42,0x42,NULL),
(67,0x43,0x43,NULL),
(68,0x44,0x44,NULL),
(69,0x45,0x45,NULL),
(70,0x46,0x46,NULL),
(71,0x47,0x47,NULL),
(72,0x48,0x48,NULL),
(73,0x49,0x49,NULL),
(74,0x4A,0x4A,NULL),
(75,0x4B,0x4B,NULL),
(76,0x4C,0x4C,NULL),
(77,0x4D,0x4D,NULL),
(78,0x4E,0x4E,NULL),
(79,0x4F,0x4F,NULL),
(80,0x50,0x50,NULL),
(81,0x51,0x51,NULL),
(82,0x52,0x52,NULL),
(83,0x53,0x53,NULL),
(84,0x54,0x54,NULL),
(85,0x55,0x55,NULL),
(86,0x56,0x56,NULL),
(87,0x57,0x57,NULL),
(88,0x58,0x58,NULL),
(89,0x59,0x59,NULL),
(90,0x5A,0x5A,NULL),
(91,0x5B,0x5B,NULL),
(92,0x5C,0x5C,NULL),
(93,0x5D,0x5D,NULL),
(94,0x5E,0x5E,NULL),
(95,0x5F,0x5F,NULL),
(96,0x60,0x60,NULL),
(97,0x61,0x61,NULL),
(98,0x62,0x62,NULL),
(99,0x63,0x63,NULL),
(100,0x64,0x64,NULL),
(101,0x65,0x65,NULL),
(102,0x66,0x66,NULL),
(103,0x67,0x67,NULL),
(104,0x68,0x68,NULL),
(105,0x69,0x69,NULL),
(106,0x6A,0x6A,NULL),
(107,0x6B,0x6B,NULL),
(108,0x6C,0x6C,NULL),
(109,0x6D,0x6D,NULL),
(110,0x6E,0x6E,NULL),
(111,0x6F,0x6F,NULL),
(112,0x70,0x70,NULL),
(113,0x71,0x71,NULL),
(114,0x72,0x72,NULL),
(115,0x73,0x73,NULL),
(116,0x74,0x74,NULL),
(117,0x75,0x75,NULL),
(118,0x76,0x76,NULL),
(119,0x77,0x77,NULL),
(120,0x78,0x78,NULL),
(121,0x79,0x79,NULL),
(122,0x7A,0x7A,NULL),
(123,0x7B,0x7B,NULL),
(124,0x7C,0x7C,NULL),
(125,0x7D,0x7D,NULL),
(126,0x7E,0x7E,NULL),
(127,0x7F,0x7F,NULL),
(128,0x80,0x80,NULL),
(129,0x81,0x81,NULL),
(130,0x82,0x82,NULL),
(131,0x83,0x83,NULL),
(132,0x84,0x84,NULL),
(133,0x85,0x85,NULL),
(134,0x86,0x86,NULL),
(135,0x87,0x87,NULL),
(136,0x88,0x88,NULL),
(137,0x89,0x89,NULL),
(138,0x8A,0x8A,NULL),
(139,0x8B,0x8B,NULL),
(140,0x8C,0x8C,NULL),
(141,0x8D,0x8D,NULL),
(142,0x8E,0x8E,NULL),
(143,0x8F,0x8F,NULL),
(144,0x90,0x90,NULL),
(145,0x91,0x91,NULL),
(146,0x92,0x92,NULL),
(147,0x93,0x93,NULL),
(148,0x94,0x94,NULL),
(149,0x95,0x95,NULL),
(150,0x96,0x96,NULL),
(151,0x97,0x97,NULL),
(152,0x98,0x98,NULL),
(153,0x99,0x99,NULL),
(154,0x9A,0x9A,NULL),
(155,0x9B,0x9B,NULL),
(156,0x9C,0x9C,NULL),
(157,0x9D,0x9D,NULL),
(158,0x9E,0x9E,NULL),
(159,0x9F,0x9F,NULL),
(160,0xA0,0xA0,NULL),
(161,0xA1,0xA1,NULL),
(162,0xA2,0xA2,NULL),
(163,0xA3,0xA3,NULL),
(164,0xA4,0xA4,NULL),
(165,0xA5,0xA5,NULL),
(166,0xA6,0xA6,NULL),
(167,0xA7,0xA7,NULL),
(168,0xA8,0xA8,NULL),
(169,0xA9,0xA9,NULL),
(170,0xAA,0xAA,NULL),
(171,0xAB,0xAB,NULL),
(172,0xAC,0xAC,NULL),
(173,0xAD,0xAD,NULL),
(174,0xAE,0xAE,NULL),
(175,0xAF,0xAF,NULL),
(176,0xB0,0xB0,NULL),
(177,0xB1,0xB1,NULL),
(178,0xB2,0xB2,NULL),
(179,0xB3,0xB3,NULL),
(180,0xB4,0xB4,NULL),
(181,0xB5,0xB5,NULL),
(182,0xB6,0xB6,NULL),
(183,0xB7,0xB7,NULL),
(184,0xB8,0xB8,NULL),
(185,0xB9,0xB9,NULL),
(186,0xBA,0xBA,NULL),
(187,0xBB,0xBB,NULL),
(188,0xBC,0xBC,NULL),
(189,0xBD,0xBD,NULL),
(190,0xBE,0xBE,NULL),
(191,0xBF,0xBF,NULL),
(192,0xC0,0xC0,NULL),
(193,0xC1,0xC1,NULL),
(194,0xC2,0xC2,NULL),
(195,0xC3,0xC3,NULL),
(196,0xC4,0xC4,NULL),
(197,0xC5,0xC5,NULL),
(198,0xC6,0xC6,NULL),
(199,0xC7,0xC7,NULL),
(200,0xC8,0xC8,NULL),
(201,0xC9,0xC9,NULL),
(202,0xCA,0xCA,NULL),
(203,0xCB,0xCB,NULL),
(204,0xCC,0xCC,NULL),
(205,0xCD,0xCD,NULL),
(206,0xCE,0xCE,NULL),
(207,0xCF,0xCF,NULL),
(208,0xD0,0xD0,NULL),
(209,0xD1,0xD1,NULL),
(210,0xD2,0xD2,NULL),
(211,0xD3,0xD3,NULL),
(212,0xD4,0xD4,NULL),
(213,0xD5,0xD5,NULL),
(214,0xD6,0xD6,NULL),
(215,0xD7,0xD7,NULL),
(216,0xD8,0xD8,NULL),
(217,0xD9,0xD9,NULL),
(218,0xDA,0xDA,NULL),
(219,0xDB,0xDB,NULL),
(220,0xDC,0xDC,NULL),
(221,0xDD,0xDD,NULL),
(222,0xDE,0xDE,NULL),
(223,0xDF,0xDF,NULL),
(224,0xE0,0xE0,NULL),
(225,0xE1,0xE1,NULL),
(226,0xE2,0xE2,NULL),
(227,0xE3,0xE3,NULL),
(228,0xE4,0xE4,NULL),
(229,0xE5,0xE5,NULL),
(230,0xE6,0xE6,NULL),
(231,0xE7,0xE7,NULL),
(232,0xE8,0xE8,NULL),
(233,0xE9,0xE9,NULL),
(234,0xEA,0xEA,NULL),
(235,0xEB,0xEB,NULL),
(236,0xEC,0xEC,NULL),
(237,0xED,0xED,NULL),
(238,0xEE,0xEE,NULL),
(239,0xEF,0xEF,NULL),
(240,0xF0,0xF0,NULL),
(241,0xF1,0xF1,NULL),
(242,0xF2,0xF2,NULL),
(243,0xF3,0xF3,NULL),
(244,0xF4,0xF4,NULL),
(245,0xF5,0xF5,NULL),
(246,0xF6,0xF6,NULL),
(247,0xF7,0xF7,NULL),
(248,0xF8,0xF8,NULL),
(249,0xF9,0xF9,NULL),
(250,0xFA,0xFA,NULL),
(251,0xFB,0xFB,NULL),
(252,0xFC,0xFC,NULL),
(253,0xFD,0xFD,NULL),
(254,0xFE,0xFE,NULL),
(255,0xFF,0xFF,NULL);
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
INSERT INTO `cp932_text` VALUES
(1,'ソフト','表示'),
(2,'能力','予定'),
(3,'①②③','㈱ ～ ∥ －'),
(4,'ｶﾀｶﾅ','half-width kana'),
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
INSERT INTO `escapes` VALUES
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
(15,'japanese','日本語の文字列','ソ表能予 (0x5C trail bytes in cp932)'),
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
INSERT INTO `gen` VALUES
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
INSERT INTO `latin1_text` VALUES
(1,'café','crème brûlée'),
(2,'Ñandú','£5 ± 1°'),
(3,'Straße','naïve façade «quoted»'),
(4,'plain',NULL),
(5,'','ÿ þ ð æ (high latin1 bytes)');
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
INSERT INTO `misc` VALUES
(1,'{\"name\": \"山田\", \"tags\": [\"a\", \"b\"], \"nested\": {\"quote\": \"it\'s\", \"nl\": \"a\\nb\"}}',0x01,0x15,-9223372036854775808,18446744073709551615,-1234567890.0123456789,-0.00000000015,1.7976931348623157e308,'2024-02-29','2024-02-29 23:59:59.999999','2038-01-19 03:14:07','-838:59:59',2155,'it\'s','a,c'),
(2,'[]',0x00,0x00,0,0,0.0000000000,0,0,'1000-01-01','1000-01-01 00:00:00.000000','1970-01-01 00:00:01','00:00:00',1901,'small',''),
(3,'{\"emoji\": \"😀\", \"num\": 1e3, \"neg\": -0.5}',0x01,0x1F,9223372036854775807,1,0.0000000001,3.4e38,-2.2250738585072014e-308,'9999-12-31',NULL,NULL,'838:59:59',NULL,'large','a,b,c'),
(4,NULL,NULL,0x01,-1,NULL,-0.5000000000,NULL,1e-300,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
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
  `日本語カラム` varchar(20) DEFAULT NULL,
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
INSERT INTO `odd ``name`` table` VALUES
(1,'v','w s',2,'値',3,4,5),
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
INSERT INTO `order` VALUES
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
INSERT INTO `users` VALUES
(1,'山田 太郎','taro.yamada@example.jp','090-1234-5678','東京都港区芝公園4-2-8','1980-01-31','電話NG'),
(2,'O\'Brien, Pat','pat.obrien@example.com','+1-555-0100','1 Main St\nApt 2','1975-12-01','quote \' and backslash \\ inside'),
(3,'Emoji 😀 User','emoji@example.org',NULL,NULL,NULL,'🍣🍺 multi-byte 𠮷 (4-byte kanji)'),
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
