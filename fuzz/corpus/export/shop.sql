?/*M!999999\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: 127.0.0.1    Database: shop
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
-- Table structure for table `orders`
--

DROP TABLE IF EXISTS `orders`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `orders` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` int(10) unsigned NOT NULL,
  `contact_email` varchar(255) NOT NULL,
  `status` enum('cart','paid','shipped','cancelled') NOT NULL DEFAULT 'cart',
  `total` decimal(10,2) NOT NULL DEFAULT 0.00,
  `ordered_at` datetime(3) DEFAULT NULL,
  `note` varchar(500) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_orders_user` (`user_id`),
  CONSTRAINT `fk_orders_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=13 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `orders`
--

LOCK TABLES `orders` WRITE;
/*!40000 ALTER TABLE `orders` DISABLE KEYS */;
INSERT INTO `orders` VALUES
(1,1,'taro.yamada@example.jp','shipped',12800.00,'2023-01-10 12:00:00.123','のし紙希望'),
(2,1,'taro.yamada@example.jp','paid',3400.50,'2023-02-14 09:00:00.000',NULL),
(3,2,'hanako.sato@example.jp','cancelled',990.00,'2023-01-20 15:30:00.500','住所変更のため'),
(4,3,'ichiro@example.com','shipped',45000.00,'2023-03-01 10:10:10.010','Gift wrap, please (red)'),
(5,4,'alice.oconnor@example.org','paid',59.99,'2023-03-02 11:11:11.111','Leave at the door; don\'t ring'),
(6,5,'bob@example.net','cart',0.00,NULL,NULL),
(7,6,'misaki.t@example.jp','shipped',2500.00,'2023-03-20 08:00:00.000','🎁'),
(8,6,'misaki.t@example.jp','shipped',7300.00,'2023-04-02 19:45:00.250',NULL),
(9,7,'ken.tanaka@example.jp','paid',18000.00,'2023-04-03 13:00:00.000','領収書: 田中商店'),
(10,8,'chloe.martin@example.fr','shipped',120.00,'2023-04-25 16:00:00.999',NULL),
(11,9,'sakura.ito@example.jp','paid',4321.00,'2023-05-06 06:06:06.606',NULL),
(12,10,'sho.watanabe@example.jp','cancelled',100.00,'2023-07-01 00:00:00.001','テスト注文');
/*!40000 ALTER TABLE `orders` ENABLE KEYS */;
UNLOCK TABLES;

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
  `phone` varchar(20) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL,
  `birth_date` date DEFAULT NULL,
  `memo` text DEFAULT NULL COMMENT 'free text from support staff',
  `profile` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`profile`)),
  `avatar` blob DEFAULT NULL,
  `created_at` datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_users_email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=11 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `users`
--

LOCK TABLES `users` WRITE;
/*!40000 ALTER TABLE `users` DISABLE KEYS */;
INSERT INTO `users` VALUES
(1,'山田 太郎','taro.yamada@example.jp','090-1234-5678','東京都千代田区丸の内1-1-1','1985-04-12','VIP顧客。電話は夕方のみ','{\"newsletter\": true, \"tags\": [\"vip\", \"tokyo\"]}','�PNG\r\n\Z\n\0\0','2023-01-05 10:00:00'),
(2,'佐藤 花子','hanako.sato@example.jp','080-2345-6789','大阪府大阪市北区梅田2-2-2','1990-11-30',NULL,'{\"newsletter\": false}',NULL,'2023-01-06 11:30:00'),
(3,'鈴木 一郎','ichiro@example.com','+81 3-1111-2222','愛知県名古屋市中区栄3-3-3','1978-02-01','Asked to be called \"Ichi\".\nPrefers email.','{\"lang\": \"ja\"}',NULL,'2023-02-01 09:15:00'),
(4,'Alice O\'Connor','alice.oconnor@example.org','+1 (555) 010-2030','12 Harbour Rd, Cork, Ireland','1992-07-19','It\'s her second account; the first was closed.','{\"lang\": \"en\", \"score\": 4.5}',NULL,'2023-02-11 18:45:00'),
(5,'Bob Smith','bob@example.net',NULL,NULL,NULL,'',NULL,NULL,'2023-03-03 08:00:00'),
(6,'高橋 美咲','misaki.t@example.jp','070-3456-7890','福岡県福岡市博多区博多駅前4-4-4','2001-12-24','誕生日にクーポン送付 🎂','{\"newsletter\": true, \"coupon\": \"XMAS\"}','����\0JFIF','2023-03-15 12:00:00'),
(7,'田中 健','ken.tanaka@example.jp','090-9876-5432','北海道札幌市中央区北1条西5-5','1969-06-06','Backslash in memo: C:\\Users\\ken',NULL,NULL,'2023-04-01 07:30:00'),
(8,'Chloé Martin','chloe.martin@example.fr','+33 6 12 34 56 78','5 rue des Lilas, 69003 Lyon','1988-03-08','Tab	here','{\"lang\": \"fr\"}',NULL,'2023-04-20 20:20:20'),
(9,'伊藤 さくら','sakura.ito@example.jp','080-1111-2222','京都府京都市左京区6-6','1995-04-01',NULL,'{}',NULL,'2023-05-05 05:05:05'),
(10,'渡辺 翔','sho.watanabe@example.jp','090-0000-1111','沖縄県那覇市7-7-7','2000-01-01','旧姓: 中村','{\"tags\": []}',NULL,'2023-06-30 23:59:59');
/*!40000 ALTER TABLE `users` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed
