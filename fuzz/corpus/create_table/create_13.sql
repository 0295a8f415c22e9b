CREATE TABLE IF NOT EXISTS `visits` (
  `visit_id` int(11) NOT NULL,
  `patient_id` int(11) NOT NULL,
  `visited_on` datetime NOT NULL,
  `fee` decimal(8,2) NOT NULL DEFAULT 0.00,
  `diagnosis` varchar(255) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci