/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `users` (`id`,`email`,`name`,`phone`,`profile`,`avatar`,`note`,`created_at`) VALUES
(3,"chiyo.yamada@nihon.example","山田千代","070-5555-6666",NULL,"�PNG\r\n\Z\n","メモ: 予約あり","2024-04-05 06:07:08");
INSERT INTO `users` (`id`,`email`,`name`,`phone`,`profile`,`avatar`,`note`,`created_at`) VALUES
(4,"dora.nullphone@nowhere.example","Dora Explorer",NULL,"{\"owner\": {\"email\": \"dora.private@mail.example\"}}","","","2024-05-06 07:08:09");
