-- Tricky content for masker's round-trip tests. Load into an empty database,
-- with a utf8mb4 connection (create_tricky.sh does both):
--     mariadb --default-character-set=utf8mb4 DBNAME < tricky.sql
-- No database name appears here, so the script works in any database.
-- Every person, email and phone number is invented.

SET NAMES utf8mb4;
-- Allow the zero date below; everything else would load under strict mode too.
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';

-- Personal data, the shape masking rules are written for. The same table name
-- exists in the second database (tricky_second.sql).
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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO users (name, email, phone, address, birth_date, memo) VALUES
('山田 太郎', 'taro@example.jp', '090-1234-5678', '東京都港区芝公園4-2-8', '1980-01-31', '電話NG'),
('O''Brien, Pat', 'pat.obrien@example.com', '+1-555-0100', '1 Main St\nApt 2', '1975-12-01', 'quote '' and backslash \\ inside'),
('Emoji 😀 User', 'emoji@example.org', NULL, NULL, NULL, '🍣🍺 multi-byte 𠮷 (4-byte kanji)'),
('', 'empty-name@example.net', '', '', '0000-00-00', ''),
('NULL', 'null-string@example.net', 'NULL', 'NULL', NULL, NULL);

-- Every escape mysqldump writes, and the ones it must read back.
CREATE TABLE escapes (
  id int NOT NULL PRIMARY KEY,
  label varchar(20) NOT NULL,
  s varchar(100) DEFAULT NULL,
  t text DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO escapes VALUES
(1, 'nul', 'a\0b', NULL),
(2, 'single quote', 'it\'s', 'it''s doubled'),
(3, 'double quote', 'say \"hi\"', 'say "hi" bare'),
(4, 'backspace', 'x\by', NULL),
(5, 'newline', 'line1\nline2', 'line1
line2
line3 (raw newlines in the script)'),
(6, 'carriage return', 'a\rb', 'crlf\r\nend'),
(7, 'tab', 'a\tb', 'a	b (raw tab)'),
(8, 'ctrl-z', 'a\Zb', NULL),
(9, 'backslash', 'C:\\temp\\new', '\\\\server\\share'),
(10, 'percent', '100\%', 'LIKE escape kept: \% \_'),
(11, 'underscore', 'a\_b', NULL),
(12, 'all at once', '\0\'\"\b\n\r\t\Z\\\%\_', 'end with backslash \\'),
(13, 'looks like sql', '\'),(99,\'x\');--', '/* not a comment */ -- nor this # nor this'),
(14, 'delimiter', ';;', 'DELIMITER ;; and $$'),
(15, 'japanese', '日本語の文字列', 'ソ表能予 (0x5C trail bytes in cp932)'),
(16, 'empty', '', ''),
(17, 'null', NULL, NULL),
(18, 'spaces', '   ', ' leading and trailing ');

-- latin1 and cp932 tables: the dump transcodes them to the connection charset.
CREATE TABLE latin1_text (
  id int NOT NULL PRIMARY KEY,
  name varchar(50) NOT NULL,
  note text
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

INSERT INTO latin1_text VALUES
(1, 'café', 'crème brûlée'),
(2, 'Ñandú', '£5 ± 1°'),
(3, 'Straße', 'naïve façade «quoted»'),
(4, 'plain', NULL),
(5, '', 'ÿ þ ð æ (high latin1 bytes)');

CREATE TABLE cp932_text (
  id int NOT NULL PRIMARY KEY,
  name varchar(50) CHARACTER SET cp932 NOT NULL,
  note text CHARACTER SET cp932
) ENGINE=InnoDB DEFAULT CHARSET=cp932;

INSERT INTO cp932_text VALUES
(1, 'ソフト', '表示'),
(2, '能力', '予定'),
(3, '①②③', '㈱ ～ ∥ －'),
(4, 'ｶﾀｶﾅ', 'half-width kana'),
(5, 'ascii', NULL);

-- Binary data: one row per byte value, and all 256 values in one cell.
CREATE TABLE bytes (
  id int NOT NULL PRIMARY KEY,
  b1 binary(1) NOT NULL,
  vb varbinary(256) DEFAULT NULL,
  bl blob DEFAULT NULL
) ENGINE=InnoDB;

INSERT INTO bytes (id, b1, vb)
  SELECT seq, UNHEX(LPAD(HEX(seq), 2, '0')), UNHEX(LPAD(HEX(seq), 2, '0')) FROM seq_0_to_255;
UPDATE bytes SET bl = (SELECT GROUP_CONCAT(UNHEX(LPAD(HEX(seq), 2, '0')) ORDER BY seq SEPARATOR '')
                       FROM seq_0_to_255) WHERE id = 0;
UPDATE bytes SET bl = UNHEX('00FF5C27220D0A1A5C6E') WHERE id = 1;

-- JSON, BIT, numbers, dates.
CREATE TABLE misc (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  doc json DEFAULT NULL,
  flag bit(1) DEFAULT NULL,
  bits bit(5) DEFAULT NULL,
  i bigint DEFAULT NULL,
  u bigint unsigned DEFAULT NULL,
  d decimal(20,10) DEFAULT NULL,
  f float DEFAULT NULL,
  g double DEFAULT NULL,
  dt date DEFAULT NULL,
  dtt datetime(6) DEFAULT NULL,
  ts timestamp NULL DEFAULT NULL,
  tm time DEFAULT NULL,
  y year DEFAULT NULL,
  e enum('small','medium','large','it''s') DEFAULT NULL,
  st set('a','b','c') DEFAULT NULL
) ENGINE=InnoDB;

INSERT INTO misc (doc, flag, bits, i, u, d, f, g, dt, dtt, ts, tm, y, e, st) VALUES
('{"name": "山田", "tags": ["a", "b"], "nested": {"quote": "it\'s", "nl": "a\\nb"}}',
   b'1', b'10101', -9223372036854775808, 18446744073709551615, -1234567890.0123456789,
   -1.5e-10, 1.7976931348623157e308, '2024-02-29', '2024-02-29 23:59:59.999999',
   '2038-01-19 03:14:07', '-838:59:59', 2155, 'it''s', 'a,c'),
('[]', b'0', b'00000', 0, 0, 0, 0, -0.0, '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01',
   '00:00:00', 1901, 'small', ''),
('{"emoji": "😀", "num": 1e3, "neg": -0.5}', b'1', b'11111', 9223372036854775807, 1, 0.0000000001,
   3.4e38, -2.2250738585072014e-308, '9999-12-31', NULL, NULL, '838:59:59', NULL, 'large', 'a,b,c'),
(NULL, NULL, b'00001', -1, NULL, -0.5, NULL, 1e-300, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- Generated columns: MariaDB dumps a value for each of them, MySQL leaves them out.
CREATE TABLE gen (
  id int NOT NULL PRIMARY KEY,
  a int NOT NULL,
  v int AS (a * 2) VIRTUAL,
  email varchar(100) DEFAULT NULL,
  s varchar(100) AS (lower(email)) STORED,
  domain varchar(100) GENERATED ALWAYS AS (substring_index(email, '@', -1)) VIRTUAL,
  last int DEFAULT NULL
) ENGINE=InnoDB;

INSERT INTO gen (id, a, email, last) VALUES
(1, 5, 'Alice@Example.COM', 1),
(2, -3, NULL, NULL),
(3, 0, 'x@y', 3);

-- Odd identifiers: backticks, spaces, reserved words, non-ASCII, comment markers.
CREATE TABLE `odd ``name`` table` (
  `select` int NOT NULL,
  `values` varchar(20) DEFAULT NULL,
  `with space` varchar(20) DEFAULT NULL,
  `a``b` int DEFAULT NULL,
  `日本語カラム` varchar(20) DEFAULT NULL,
  `#hash` int DEFAULT NULL,
  `--dash` int DEFAULT NULL,
  `),(` int DEFAULT NULL,
  PRIMARY KEY (`select`)
) ENGINE=InnoDB;

INSERT INTO `odd ``name`` table` VALUES
(1, 'v', 'w s', 2, '値', 3, 4, 5),
(2, NULL, '', NULL, NULL, NULL, NULL, NULL);

CREATE TABLE `order` (`group` int NOT NULL PRIMARY KEY, `key` varchar(10)) ENGINE=InnoDB;
INSERT INTO `order` VALUES (1, 'k'), (2, NULL);

-- An empty table: CREATE TABLE and no INSERT.
CREATE TABLE empty_table (id int NOT NULL PRIMARY KEY, name varchar(10)) ENGINE=InnoDB;

-- A view, a trigger, a procedure, a function and an event, with ';' in their bodies.
CREATE VIEW user_emails AS
  SELECT id, email, concat(name, ';', ' <', email, '>') AS display FROM users;

CREATE TABLE audit_log (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id int unsigned NOT NULL,
  what varchar(100) NOT NULL
) ENGINE=InnoDB;

DELIMITER ;;
CREATE TRIGGER users_after_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NEW.email <> OLD.email THEN
    INSERT INTO audit_log (user_id, what) VALUES (NEW.id, 'email changed; old one kept nowhere');
  END IF;
END;;

CREATE PROCEDURE count_users(IN min_id int, OUT n int)
BEGIN
  DECLARE s varchar(20) DEFAULT 'a;b''c';
  SELECT count(*) INTO n FROM users WHERE id >= min_id;
  SELECT s;
END;;

CREATE FUNCTION mask_hint(v varchar(255)) RETURNS varchar(255) DETERMINISTIC
BEGIN
  DECLARE out_v varchar(255);
  SET out_v = concat(left(v, 1), '***;');
  RETURN out_v;
END;;

CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
DO BEGIN
  DELETE FROM audit_log WHERE id < 0;
  DELETE FROM audit_log WHERE what = ';';
END;;
DELIMITER ;

UPDATE users SET email = 'taro.yamada@example.jp' WHERE id = 1;
