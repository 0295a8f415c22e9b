//! Shared helpers for masker benchmarks: a deterministic, realistic dump built
//! in memory (no external files, no database), the rules that mask it, and
//! sample cell values for the per-transform benches.
//!
//! The dump imitates `mariadb-dump` 10.11 with default options: the usual
//! header of conditional comments, `DROP TABLE`/`CREATE TABLE`, `LOCK TABLES`,
//! and extended INSERTs with one tuple per line, cut into statements of about
//! 1 MB (mariadb-dump's `net_buffer_length` behaviour). Tables:
//! `users` (Japanese and English names, emails, phones, addresses, birth
//! dates, free text with every escape, JSON preferences), `orders` (numbers,
//! dates, ENUM, short notes) and `blobs` (`_binary` values with raw bytes).

use std::ops::Range;

use masker_core::tokenizer::sql::{Event, Splitter};

/// A small, fast, deterministic PRNG (SplitMix64): the same seed gives the
/// same dump on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One element of `items`.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len() as u64) as usize]
    }
}

const JA_FAMILY: &[&str] = &[
    "山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤",
];
const JA_GIVEN: &[&str] = &[
    "太郎",
    "花子",
    "一郎",
    "美咲",
    "健太",
    "さくら",
    "翔",
    "陽菜",
    "大輔",
    "結衣",
];
const EN_FIRST: &[&str] = &[
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "O'Brien", "Zoë",
];
const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "O'Neil",
    "Müller",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.jp",
    "mail.example.org",
    "example.co.jp",
];
const PREFS: &[&str] = &["東京都", "大阪府", "北海道", "福岡県", "愛知県", "京都府"];
const CITIES: &[&str] = &["港区", "中央区", "札幌市", "福岡市", "名古屋市", "京都市"];
const STREETS: &[&str] = &["Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln"];
const MEMOS: &[&str] = &[
    "VIP customer; call before 5pm",
    "Line one\\nline two\\ttabbed",
    "He said \\\"hello\\\" and left",
    "It\\'s a \\\\ backslash and 100\\% sure",
    "住所変更のため連絡 (2023年)",
    "絵文字 🎉 もOK",
    "ctrl \\0 zero and \\Z sub",
    "",
];
const STATUSES: &[&str] = &["cart", "paid", "shipped", "cancelled"];

/// Write a string literal body with MySQL escaping (the way mariadb-dump does).
fn push_escaped(out: &mut Vec<u8>, s: &[u8]) {
    for &b in s {
        match b {
            0 => out.extend_from_slice(b"\\0"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            26 => out.extend_from_slice(b"\\Z"),
            b'\'' => out.extend_from_slice(b"\\'"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            _ => out.push(b),
        }
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'\'');
    push_escaped(out, s.as_bytes());
    out.push(b'\'');
}

const HEADER: &str = "/*M!999999\\- enable the sandbox mode */ \n\
-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n\
--\n-- Host: localhost    Database: bench\n\
-- ------------------------------------------------------\n\
-- Server version\t10.11.6-MariaDB-0+deb12u1\n\n\
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n\
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n\
/*!40101 SET NAMES utf8mb4 */;\n\
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n\
/*!40103 SET TIME_ZONE='+00:00' */;\n\
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n\
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n\
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n\
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n";

const USERS_DDL: &str = "CREATE TABLE `users` (\n\
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n\
  `name` varchar(100) NOT NULL,\n\
  `email` varchar(255) NOT NULL,\n\
  `phone` varchar(32) DEFAULT NULL,\n\
  `address` varchar(255) DEFAULT NULL,\n\
  `birth_date` date DEFAULT NULL,\n\
  `memo` text DEFAULT NULL,\n\
  `prefs` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`prefs`)),\n\
  PRIMARY KEY (`id`),\n\
  UNIQUE KEY `uq_email` (`email`)\n\
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

const ORDERS_DDL: &str = "CREATE TABLE `orders` (\n\
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n\
  `user_id` int(10) unsigned NOT NULL,\n\
  `contact_email` varchar(255) NOT NULL,\n\
  `status` enum('cart','paid','shipped','cancelled') NOT NULL DEFAULT 'cart',\n\
  `total` decimal(10,2) NOT NULL DEFAULT 0.00,\n\
  `ordered_at` datetime(3) DEFAULT NULL,\n\
  `note` varchar(500) DEFAULT NULL,\n\
  PRIMARY KEY (`id`),\n\
  KEY `idx_orders_user` (`user_id`)\n\
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

const BLOBS_DDL: &str = "CREATE TABLE `blobs` (\n\
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n\
  `kind` varchar(16) NOT NULL,\n\
  `data` mediumblob DEFAULT NULL,\n\
  PRIMARY KEY (`id`)\n\
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

/// A user's name: Japanese (`山田 太郎`) or English (`James O'Brien`).
pub fn name(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        format!("{} {}", rng.pick(JA_FAMILY), rng.pick(JA_GIVEN))
    } else {
        format!("{} {}", rng.pick(EN_FIRST), rng.pick(EN_LAST))
    }
}

/// An email address, unique for `id`.
pub fn email(rng: &mut Rng, id: u64) -> String {
    let first = rng
        .pick(EN_FIRST)
        .to_ascii_lowercase()
        .replace(['\'', 'ë'], "");
    format!("{first}.{id}@{}", rng.pick(DOMAINS))
}

/// A Japanese or international phone number.
pub fn phone(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!("090-{:04}-{:04}", rng.below(10000), rng.below(10000)),
        1 => format!("03-{:04}-{:04}", rng.below(10000), rng.below(10000)),
        _ => format!("+1 (555) {:03}-{:04}", rng.below(1000), rng.below(10000)),
    }
}

/// A Japanese or English street address.
pub fn address(rng: &mut Rng) -> String {
    if rng.below(3) > 0 {
        format!(
            "{}{}{}丁目{}-{}",
            rng.pick(PREFS),
            rng.pick(CITIES),
            rng.below(9) + 1,
            rng.below(30) + 1,
            rng.below(20) + 1
        )
    } else {
        format!(
            "{} {}, Springfield",
            rng.below(9000) + 100,
            rng.pick(STREETS)
        )
    }
}

fn user_row(out: &mut Vec<u8>, rng: &mut Rng, id: u64) {
    out.extend_from_slice(format!("({id},").as_bytes());
    push_str(out, &name(rng));
    out.push(b',');
    push_str(out, &email(rng, id));
    out.push(b',');
    if rng.below(10) == 0 {
        out.extend_from_slice(b"NULL");
    } else {
        push_str(out, &phone(rng));
    }
    out.push(b',');
    push_str(out, &address(rng));
    out.extend_from_slice(
        format!(
            ",'{}-{:02}-{:02}',",
            1950 + rng.below(55),
            rng.below(12) + 1,
            rng.below(28) + 1
        )
        .as_bytes(),
    );
    if rng.below(4) == 0 {
        out.extend_from_slice(b"NULL");
    } else {
        // Already escaped text, written as is.
        out.push(b'\'');
        out.extend_from_slice(rng.pick(MEMOS).as_bytes());
        out.push(b'\'');
    }
    out.extend_from_slice(
        format!(
            ",'{{\\\"lang\\\": \\\"{}\\\", \\\"news\\\": {}, \\\"tags\\\": [\\\"a\\\", \\\"b{}\\\"]}}')",
            if rng.below(2) == 0 { "ja" } else { "en" },
            rng.below(2) == 0,
            rng.below(100)
        )
        .as_bytes(),
    );
}

fn order_row(out: &mut Vec<u8>, rng: &mut Rng, id: u64, users: u64) {
    let user = rng.below(users) + 1;
    out.extend_from_slice(format!("({id},{user},").as_bytes());
    push_str(out, &email(rng, user));
    out.extend_from_slice(
        format!(
            ",'{}',{}.{:02},'2023-{:02}-{:02} {:02}:{:02}:{:02}.{:03}',",
            rng.pick(STATUSES),
            rng.below(100000),
            rng.below(100),
            rng.below(12) + 1,
            rng.below(28) + 1,
            rng.below(24),
            rng.below(60),
            rng.below(60),
            rng.below(1000)
        )
        .as_bytes(),
    );
    if rng.below(3) == 0 {
        out.extend_from_slice(b"NULL)");
    } else {
        push_str(out, "Gift wrap, please (red); leave at door");
        out.push(b')');
    }
}

fn blob_row(out: &mut Vec<u8>, rng: &mut Rng, id: u64) {
    out.extend_from_slice(format!("({id},'png',_binary '").as_bytes());
    let len = 200 + rng.below(800) as usize;
    let mut raw = Vec::with_capacity(len);
    for _ in 0..len {
        raw.push(rng.next_u64() as u8);
    }
    push_escaped(out, &raw);
    out.extend_from_slice(b"')");
}

/// Append one table: DDL, then extended INSERTs of about 1 MB each, one
/// tuple per line, under `LOCK TABLES`, until the table's rows take about
/// `budget` bytes. Returns the number of rows.
fn table(
    out: &mut Vec<u8>,
    name: &str,
    ddl: &str,
    budget: usize,
    mut row: impl FnMut(&mut Vec<u8>, u64),
) -> u64 {
    out.extend_from_slice(
        format!(
            "\n--\n-- Table structure for table `{name}`\n--\n\n\
             DROP TABLE IF EXISTS `{name}`;\n\
             /*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
             /*!40101 SET character_set_client = utf8mb4 */;\n\
             {ddl};\n\
             /*!40101 SET character_set_client = @saved_cs_client */;\n\n\
             --\n-- Dumping data for table `{name}`\n--\n\n\
             LOCK TABLES `{name}` WRITE;\n\
             /*!40000 ALTER TABLE `{name}` DISABLE KEYS */;\n"
        )
        .as_bytes(),
    );
    let begin = out.len();
    let more = |out: &Vec<u8>| out.len() - begin < budget;
    let mut id = 1;
    while more(out) {
        out.extend_from_slice(format!("INSERT INTO `{name}` VALUES ").as_bytes());
        let start = out.len();
        let mut first = true;
        while more(out) && out.len() - start < 1_000_000 {
            if !first {
                out.extend_from_slice(b",\n");
            }
            first = false;
            row(out, id);
            id += 1;
        }
        out.extend_from_slice(b";\n");
    }
    out.extend_from_slice(
        format!("/*!40000 ALTER TABLE `{name}` ENABLE KEYS */;\nUNLOCK TABLES;\n").as_bytes(),
    );
    id - 1
}

/// A realistic mariadb-dump of about `bytes` bytes (users ~70%, orders ~15%,
/// blobs ~15%). Deterministic: the same size always gives the same bytes.
pub fn dump(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + (1 << 20));
    out.extend_from_slice(HEADER.as_bytes());
    let mut rng = Rng::new(0x6d61_736b_6572);
    let users = table(&mut out, "users", USERS_DDL, bytes * 70 / 100, |o, id| {
        user_row(o, &mut rng, id)
    });
    let mut rng2 = Rng::new(7);
    table(&mut out, "orders", ORDERS_DDL, bytes * 15 / 100, |o, id| {
        order_row(o, &mut rng2, id, users)
    });
    let mut rng3 = Rng::new(11);
    table(&mut out, "blobs", BLOBS_DDL, bytes * 15 / 100, |o, id| {
        blob_row(o, &mut rng3, id)
    });
    out.extend_from_slice(
        b"/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\n\
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n\
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n\
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n\
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n\
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n\
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n\
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\n-- Dump completed\n",
    );
    out
}

/// The tuple lists of `dump` (from just after `VALUES` to just before the
/// statement's `;`), found with the fast splitter: the input of the value
/// tokenizer.
pub fn tuple_lists(dump: &[u8]) -> Vec<Range<usize>> {
    let mut s = Splitter::new();
    let mut rest = dump;
    let mut lists = Vec::new();
    let mut start = None;
    loop {
        let (ev, used) = s.split(rest).expect("generated dump splits");
        rest = &rest[used..];
        match ev {
            Event::NeedMore => break,
            Event::ValuesStart => start = Some(s.offset() as usize),
            Event::StatementEnd => {
                if let Some(a) = start.take() {
                    lists.push(a..s.offset() as usize - 1);
                }
            }
            Event::TupleEnd => {}
        }
    }
    s.finish().expect("generated dump is complete");
    lists
}

/// The masking rules the pipeline benches use on [`dump`] (as in
/// `benches/scripts/bench-rules.toml`): hashed emails, Japanese fake names,
/// format-preserving phones, fake addresses, memo nulled.
pub const RULES_TOML: &str = r#"
[key]
env = "MASKER_KEY"

[tables.users]
email   = { transform = "hash", format = "email" }
name    = { transform = "fake", kind = "name", locale = "ja_JP" }
phone   = "fpe"
address = { transform = "fake", kind = "address", locale = "ja_JP" }
memo    = "null"

[tables.orders]
contact_email = { transform = "hash", format = "email" }
"#;

/// The secret the benches mask with.
pub const KEY: &[u8] = b"bench-key-0123456789";

/// Compiled [`RULES_TOML`] with [`KEY`].
pub fn rules() -> masker_core::rules::Rules {
    masker_core::rules::RulesBuilder::new()
        .toml(RULES_TOML, "bench-rules.toml")
        .key(KEY)
        .build()
        .expect("bench rules build")
}

/// A `profile` JSON document as the benchmark dump's generator writes it
/// (`benches/scripts/gen_dump.sh`: MariaDB's `JSON_OBJECT` output, with its
/// spacing): age, plan, two tags, a boolean, a score and a nickname with an
/// escaped quote or backslash.
pub fn profile(rng: &mut Rng) -> String {
    let jp = rng.below(10) < 6;
    format!(
        "{{\"age\": {}, \"plan\": \"{}\", \"tags\": [\"{}\", \"{}\"], \"newsletter\": {}, \"score\": {}.{:04}, \"nickname\": \"{}\"}}",
        18 + rng.below(60),
        rng.pick(&["free", "pro", "enterprise"]),
        rng.pick(&["gold", "silver", "new", "churn-risk", "beta"]),
        rng.pick(&["旅行", "グルメ", "sports", "music"]),
        rng.below(2) == 0,
        rng.below(100),
        rng.below(100) * 100,
        if jp { "たろう \\\"taro\\\"" } else { "Bob \\\\ O'Neil" }
    )
}

/// `n` sample values made by `f`, for the per-transform benches.
pub fn samples(n: usize, seed: u64, mut f: impl FnMut(&mut Rng, u64) -> String) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    (0..n as u64).map(|i| f(&mut rng, i).into_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_is_deterministic_masks_and_is_the_identity_with_empty_rules() {
        let d = dump(300_000);
        assert_eq!(d, dump(300_000));
        assert!(d.len() > 295_000 && d.len() < 310_000, "{}", d.len());
        assert_eq!(tuple_lists(&d).len(), 3);
        let empty = masker_core::mask_slice(&masker_core::rules::Rules::empty(), &d).unwrap();
        assert!(empty == d);
        let masked = masker_core::mask_slice(&rules(), &d).unwrap();
        assert!(masked != d);
    }

    #[test]
    fn profiles_are_valid_json() {
        let mut rng = Rng::new(5);
        for _ in 0..200 {
            let p = profile(&mut rng);
            masker_core::transform::json::validate(p.as_bytes()).unwrap();
        }
    }
}
