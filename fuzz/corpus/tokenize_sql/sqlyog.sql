�/*
SQLyog Community v13.2.1 (64 bit)
MySQL - 8.0.35 : Database - library
*********************************************************************
*/

/*!40101 SET NAMES utf8 */;

/*!40101 SET SQL_MODE=''*/;

/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
CREATE DATABASE /*!32312 IF NOT EXISTS*/`library` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;

USE `library`;

/*Table structure for table `members` */

DROP TABLE IF EXISTS `members`;

CREATE TABLE `members` (
  `member_no` int NOT NULL AUTO_INCREMENT,
  `name` varchar(80) NOT NULL,
  `kana` varchar(80) DEFAULT NULL,
  `email` varchar(200) DEFAULT NULL,
  `postal_code` char(8) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL,
  `joined_on` date NOT NULL,
  PRIMARY KEY (`member_no`),
  UNIQUE KEY `email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4;

/*Data for the table `members` */

insert  into `members`(`member_no`,`name`,`kana`,`email`,`postal_code`,`address`,`joined_on`) values 
(1,'藤原 彩','フジワラ アヤ','aya.f@example.jp','150-0001','東京都渋谷区神宮前0-0-0','2022-04-01'),
(2,'Tom O\'Hara',NULL,'tom@example.ie',NULL,'7 Quay St, Galway','2023-07-15'),
(3,'李 明','リ メイ',NULL,'530-0001','大阪府大阪市北区梅田0-0-0 (3F)','2024-01-05');

/*Table structure for table `loans` */

DROP TABLE IF EXISTS `loans`;

CREATE TABLE `loans` (
  `loan_id` int NOT NULL AUTO_INCREMENT,
  `member_no` int NOT NULL,
  `isbn` varchar(17) NOT NULL,
  `due` date DEFAULT NULL,
  `returned` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`loan_id`),
  KEY `member_no` (`member_no`),
  CONSTRAINT `loans_ibfk_1` FOREIGN KEY (`member_no`) REFERENCES `members` (`member_no`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4;

/*Data for the table `loans` */

insert  into `loans`(`loan_id`,`member_no`,`isbn`,`due`,`returned`) values 
(1,1,'978-4-00-000000-1','2024-05-01',1),
(2,1,'978-4-00-000000-2','2024-05-15',0),
(3,2,'978-0-00-000000-3',NULL,0);

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;
