�-- The second database of the tricky set: a `users` table with the same name as
-- the first database's, but other columns and rows, so `a.users` and `b.users`
-- must stay apart. Loaded by create_tricky.sh into DBNAME2.
SET NAMES utf8mb4;

CREATE TABLE users (
  user_id bigint NOT NULL PRIMARY KEY,
  login varchar(40) NOT NULL,
  email varchar(255) DEFAULT NULL,
  tel varchar(20) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO users VALUES
(100, 'second_taro', 'taro.yamada@example.jp', '03-0000-0000'),
(101, 'nobody', NULL, NULL),
(102, 'ナカムラ', 'nakamura@example.jp', '06-1111-2222');

CREATE TABLE settings (
  k varchar(20) NOT NULL PRIMARY KEY,
  v text
) ENGINE=InnoDB;
INSERT INTO settings VALUES ('theme', 'dark'), ('motd', 'Hello;\nWorld');
