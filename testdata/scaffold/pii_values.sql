CREATE TABLE `contacts` (
  `id` int NOT NULL,
  `c1` varchar(100) DEFAULT NULL,
  `c2` varchar(40) DEFAULT NULL,
  `c3` varchar(40) DEFAULT NULL,
  `c4` varchar(200) DEFAULT NULL,
  `note` text,
  `login_name` varchar(64) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `login_name` (`login_name`)
);
INSERT INTO `contacts` VALUES (1,'a@example.com','090-1234-5678','4111 1111 1111 1111','東京都千代田区丸の内1-1','hello','taro'),(2,'b.c@example.co.jp','+81 3-1234-5678','5500-0000-0000-0004','大阪府大阪市北区梅田2','x','hanako'),(3,'d@x.org','(03) 1234 5678','4012888888881881','北海道札幌市中央区','y','jiro'),(4,NULL,NULL,NULL,NULL,NULL,NULL);
