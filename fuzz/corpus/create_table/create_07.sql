CREATE TABLE IF NOT EXISTS `tags` (
  `contact_id` int(10) unsigned NOT NULL,
  `tag` varchar(30) NOT NULL,
  PRIMARY KEY (`contact_id`,`tag`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci