-- --------------------------------------------------------
-- Host:                         192.168.10.5
-- Server version:               10.6.16-MariaDB - MariaDB Server
-- Server OS:                    debian-linux-gnu
-- HeidiSQL Version:             12.6.0.6765
-- --------------------------------------------------------

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8 */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;


-- Dumping database structure for crm
CREATE DATABASE IF NOT EXISTS `crm` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */;
USE `crm`;

-- Dumping structure for table crm.contacts
CREATE TABLE IF NOT EXISTS `contacts` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `company` varchar(100) NOT NULL DEFAULT '',
  `person` varchar(100) DEFAULT NULL,
  `email` varchar(255) DEFAULT NULL,
  `tel` varchar(40) DEFAULT NULL,
  `memo` mediumtext DEFAULT NULL,
  `updated` datetime DEFAULT NULL ON UPDATE current_timestamp(),
  PRIMARY KEY (`id`),
  KEY `company` (`company`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- Dumping data for table crm.contacts: ~4 rows (approximately)
INSERT INTO `contacts` (`id`, `company`, `person`, `email`, `tel`, `memo`, `updated`) VALUES
	(1, '株式会社サンプル', '斎藤 真一', 'saito@sample.example.jp', '06-6000-0001', '担当変更あり', '2024-04-01 10:00:00'),
	(2, 'Acme, Inc.', 'Wile E. Coyote', 'wile@acme.example', '+1-555-0199', 'Orders (many) rockets;\nnever pays on time', NULL),
	(3, '', NULL, NULL, NULL, NULL, NULL),
	(4, 'O\'Reilly & Sons', 'Ann O\'Reilly', 'ann@oreilly.example', '01-234 5678', 'Tab	inside and a backslash \\ too', '2024-04-02 16:20:00');

-- Dumping structure for table crm.tags
CREATE TABLE IF NOT EXISTS `tags` (
  `contact_id` int(10) unsigned NOT NULL,
  `tag` varchar(30) NOT NULL,
  PRIMARY KEY (`contact_id`,`tag`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- Dumping data for table crm.tags: ~3 rows (approximately)
INSERT INTO `tags` (`contact_id`, `tag`) VALUES
	(1, 'vip'),
	(2, 'late-payer'),
	(4, 'press');

/*!40103 SET TIME_ZONE=IFNULL(@OLD_TIME_ZONE, 'system') */;
/*!40101 SET SQL_MODE=IFNULL(@OLD_SQL_MODE, '') */;
/*!40014 SET FOREIGN_KEY_CHECKS=IFNULL(@OLD_FOREIGN_KEY_CHECKS, 1) */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40111 SET SQL_NOTES=IFNULL(@OLD_SQL_NOTES, 1) */;
