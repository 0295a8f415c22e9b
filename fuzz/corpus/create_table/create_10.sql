CREATE TABLE `customers` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `email` varchar(255) NOT NULL,
  `full_name` varchar(100) DEFAULT NULL,
  `email_domain` varchar(255) GENERATED ALWAYS AS (substring_index(`email`,_utf8mb4'@',-(1))) VIRTUAL,
  `phone` varchar(32) DEFAULT NULL,
  `name_upper` varchar(100) GENERATED ALWAYS AS (upper(`full_name`)) STORED,
  `avatar` blob,
  `token` varbinary(16) DEFAULT NULL,
  `active` bit(1) NOT NULL DEFAULT b'1',
  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_customers_email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci