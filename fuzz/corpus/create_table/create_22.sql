CREATE TABLE `latin1_text` (
  `id` int(11) NOT NULL,
  `name` varchar(50) NOT NULL,
  `note` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci