CREATE TABLE `cp932_text` (
  `id` int(11) NOT NULL,
  `name` varchar(50) NOT NULL,
  `note` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=cp932 COLLATE=cp932_japanese_ci