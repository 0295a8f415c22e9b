/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;
/*!40103 SET TIME_ZONE='+00:00' */;
INSERT INTO `users` (`id`,`email`,`name`,`phone`,`profile`,`avatar`,`note`,`created_at`) VALUES
(1,"alice.liddell@wonder.example","Alice Liddell","090-1111-2222","{\"owner\": {\"email\": \"alice.private@mail.example\"}, \"tags\": [\"vip\"]}","\0ÿ\n\r\Z\'\\\"","line one\nline two	tabbed, with \'quotes\'","2024-02-03 04:05:06");
INSERT INTO `users` (`id`,`email`,`name`,`phone`,`profile`,`avatar`,`note`,`created_at`) VALUES
(2,"bob.builder@construct.example","Bob Builder","080-3333-4444","{\"owner\": {\"email\": \"bob.private@mail.example\"}, \"tags\": []}",NULL,NULL,"2024-03-04 05:06:07");
