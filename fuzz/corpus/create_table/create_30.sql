CREATE TABLE escapes (
  id int NOT NULL PRIMARY KEY,
  label varchar(20) NOT NULL,
  s varchar(100) DEFAULT NULL,
  t text DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4