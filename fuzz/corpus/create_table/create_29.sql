CREATE TABLE users (
  id int unsigned NOT NULL AUTO_INCREMENT,
  name varchar(100) NOT NULL,
  email varchar(255) NOT NULL,
  phone varchar(32) DEFAULT NULL,
  address varchar(255) DEFAULT NULL,
  birth_date date DEFAULT NULL,
  memo text DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4