-- A small database for testdata/mydumper/refresh.sh: the traps a masker meets
-- in mydumper output. Every value of a column the rules in rules.toml mask is
-- distinctive (grep finds it in a masked file if it leaked).
SET NAMES utf8mb4;

CREATE TABLE users (
  id int NOT NULL AUTO_INCREMENT,
  email varchar(255) NOT NULL,
  name varchar(100) DEFAULT NULL,
  phone varchar(20) DEFAULT NULL,
  -- generated from masked columns: must not keep the originals
  email_domain varchar(255) AS (substring_index(email, '@', -1)) STORED,
  name_upper varchar(100) AS (upper(name)) VIRTUAL,
  profile json DEFAULT NULL,
  avatar blob DEFAULT NULL,
  note text DEFAULT NULL,
  created_at datetime NOT NULL DEFAULT '2024-01-01 00:00:00',
  PRIMARY KEY (id),
  UNIQUE KEY email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO users (id, email, name, phone, profile, avatar, note, created_at) VALUES
  (1, 'alice.liddell@wonder.example', 'Alice Liddell', '090-1111-2222',
   '{"owner": {"email": "alice.private@mail.example"}, "tags": ["vip"]}',
   0x00FF0A0D1A275C22, 'line one\nline two\ttabbed, with ''quotes''', '2024-02-03 04:05:06'),
  (2, 'bob.builder@construct.example', 'Bob Builder', '080-3333-4444',
   '{"owner": {"email": "bob.private@mail.example"}, "tags": []}',
   NULL, NULL, '2024-03-04 05:06:07'),
  (3, 'chiyo.yamada@nihon.example', '山田千代', '070-5555-6666',
   NULL, 0x89504E470D0A1A0A, 'メモ: 予約あり', '2024-04-05 06:07:08'),
  (4, 'dora.nullphone@nowhere.example', 'Dora Explorer', NULL,
   '{"owner": {"email": "dora.private@mail.example"}}', '', '', '2024-05-06 07:08:09');

CREATE TABLE customers_latin1 (
  id int NOT NULL,
  name varchar(60) NOT NULL,
  city varchar(60) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

INSERT INTO customers_latin1 VALUES
  (1, 'Jürgen Müllerhof', 'Zürichsee'),
  (2, 'François Légèreté', 'Besançon'),
  (3, 'Åsa Øresund', NULL);

CREATE TABLE orders (
  id int NOT NULL AUTO_INCREMENT,
  user_id int NOT NULL,
  amount decimal(10,2) NOT NULL,
  ship_to varchar(200) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY user_id (user_id),
  CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO orders (user_id, amount, ship_to) VALUES
  (1, 10.50, '1 Rabbit Hole Lane'),
  (2, 20.00, '2 Scaffold Street'),
  (3, 30.25, '3-3 Sakura Dori'),
  (1, 40.75, '4 Looking Glass Road'),
  (2, 50.00, '5 Hammer Way'),
  (4, 60.10, NULL),
  (3, 70.70, '7-7 Fuji Chome');

CREATE TABLE audit_log (
  id int NOT NULL AUTO_INCREMENT,
  message varchar(200) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DELIMITER ;;
CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW
BEGIN
  INSERT INTO audit_log (message) VALUES (CONCAT('order ', NEW.id, '; placed'));
END;;
CREATE PROCEDURE order_count(IN uid int)
BEGIN
  SELECT COUNT(*) FROM orders WHERE user_id = uid;
END;;
DELIMITER ;

CREATE VIEW user_emails AS SELECT id, email FROM users;
