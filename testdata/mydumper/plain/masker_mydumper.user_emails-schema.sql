/*!40101 SET NAMES binary*/;
CREATE TABLE `user_emails`(
`id` int,
`email` int
)ENGINE=MyISAM;
