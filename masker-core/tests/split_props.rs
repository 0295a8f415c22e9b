//! Property tests: the fast push splitter agrees with the slow reference
//! splitter on every way of cutting the input (whole, one byte at a time,
//! random piece sizes), on inputs built from dump-like fragments and on the
//! fixtures in `testdata/` cut at random points.
//!
//! "Agrees" means the same events at the same absolute offsets when both
//! succeed, and an error at the same offset when either fails.

#[allow(dead_code)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;
mod common;

use masker_core::tokenizer::reference::split_all;
use proptest::prelude::*;

use checks::{assert_agrees, split_pieces};
use common::{fixtures, is_bad, name};

/// One dump-like fragment. Fragments are concatenated, so one may open a
/// string that the next closes: that is on purpose.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    let fixed = prop::sample::select(vec![
        "-- comment; with 'quote\n",
        "--\n",
        "--x\n",
        "-- ",
        "# hash comment ;\n",
        "#",
        "/* block ; ' \" ` */",
        "/* star ** slash */ ",
        "/*",
        "*/",
        "/*!40101 SET NAMES utf8mb4 */;\n",
        "/*!40103 SET TIME_ZONE='+00:00' */;\n",
        "/*M!100616 SET @x=1 */;\n",
        "/*M!999999\\- enable the sandbox mode */ \n",
        "/*!50503 SET 'a;b' */",
        "/*M",
        "SET @a = 'x;y';\n",
        "LOCK TABLES `t` WRITE;\n",
        "UNLOCK TABLES;\n",
        "USE `db`;\n",
        "CREATE TABLE `t` (`a` int, `b` varchar(10) DEFAULT 'x)y');\n",
        "INSERT INTO `t` VALUES ",
        "INSERT IGNORE INTO `t` (`a`,`b`) VALUES ",
        "REPLACE INTO t VALUE ",
        "insert into t select 1;\n",
        "INSERT INTO t SET a=1;\n",
        "(1,'a'),",
        "(2,NULL)",
        "(3,'a)b','c''d','e\\'f')",
        "(-1.5e3,0x1F,_binary 'x\\0y',b'101',X'0A')",
        "((nested))",
        ",",
        ")",
        "(",
        " ON DUPLICATE KEY UPDATE a=VALUES(a)",
        ";",
        ";\n",
        ";;",
        "\n",
        " ",
        "DELIMITER ;;\n",
        "DELIMITER ;\n",
        "DELIMITER $$\n",
        "DELIMITER //\n",
        "DELIMITER --\n",
        "DELIMITER ;",
        "DELIMITER\n",
        "DELIMITER \n",
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a=1; SET @b=';'; END ;;\n",
        "CREATE PROCEDURE p() BEGIN SELECT 1; END$$\n",
        "/*!50003 CREATE*/ /*!50017 DEFINER=`u`@`%`*/ /*!50003 TRIGGER x BEGIN END */;;\n",
        "$$",
        "//",
        "`odd``name`",
        "`",
        "'",
        "\"",
        "\\",
        "''",
        "'\\''",
        "'it''s'",
        "\"say \\\"hi\\\"\"",
        "'\\\\'",
        "-",
        "/",
        "*",
        "!",
        "#",
        "VALUES",
        "values (1)",
        "SELECT",
        "x",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    let quoted = (
        prop::sample::select(vec![b'\'', b'"', b'`']),
        prop::collection::vec(prop::sample::select(b"ab;()'\"`\\\n,-#/*".to_vec()), 0..12),
    )
        .prop_map(|(q, body)| {
            // A well-formed quoted token: escape the quote by doubling it, and
            // keep backslashes paired outside backticks.
            let mut v = vec![q];
            for b in body {
                if b == q {
                    v.extend([q, q]);
                } else if b == b'\\' && q != b'`' {
                    v.extend([b'\\', b'\\']);
                } else {
                    v.push(b);
                }
            }
            v.push(q);
            v
        });
    let insert = prop::collection::vec(
        prop::collection::vec(
            prop::sample::select(vec![
                "1",
                "-2.5",
                "NULL",
                "'a;b'",
                "'x\\'y'",
                "'p''q'",
                "\"r)s\"",
                "0xFF",
                "_utf8mb4'日本'",
            ]),
            1..4,
        ),
        1..4,
    )
    .prop_map(|rows| {
        let mut v = b"INSERT INTO `t` VALUES ".to_vec();
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                v.extend_from_slice(b",\n");
            }
            v.push(b'(');
            v.extend_from_slice(row.join(",").as_bytes());
            v.push(b')');
        }
        v.extend_from_slice(b";\n");
        v
    });
    let delimiter_block = prop::sample::select(vec![";;", "$$", "//", "|", "END"]).prop_map(|d| {
        format!("DELIMITER {d}\nCREATE PROCEDURE p() BEGIN SELECT ';'; SELECT 2; END {d}\nDELIMITER ;\n")
            .into_bytes()
    });
    let bytes = prop::collection::vec(any::<u8>(), 0..6);
    prop_oneof![
        6 => fixed,
        2 => quoted,
        2 => insert,
        1 => delimiter_block,
        1 => bytes,
    ]
}

/// A dump-like input of up to `n` fragments.
fn dumpish(n: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(fragment(), 0..n).prop_map(|v| v.concat())
}

/// Piece sizes for the random-chunk feeding.
fn sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..24, 1..8)
}

/// Check one input every way.
fn check_all_feedings(input: &[u8], sizes: &[usize]) {
    assert_agrees(input, &[usize::MAX], "whole");
    assert_agrees(input, &[1], "one byte at a time");
    assert_agrees(input, sizes, "random pieces");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn grammar_inputs_agree(input in dumpish(24), sizes in sizes()) {
        check_all_feedings(&input, &sizes);
    }

    #[test]
    fn grammar_inputs_agree_cut_anywhere(input in dumpish(16), cut in any::<prop::sample::Index>()) {
        let cut = cut.index(input.len() + 1);
        assert_agrees(&input, &[cut, usize::MAX], "cut in two");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A fixture truncated at a random point, fed in random pieces.
    #[test]
    fn fixture_prefixes_agree(file in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>(), sizes in sizes()) {
        let (_, data) = &fixtures()[file.index(fixtures().len())];
        let input = &data[..cut.index(data.len() + 1)];
        assert_agrees(input, &[usize::MAX], "whole");
        assert_agrees(input, &sizes, "random pieces");
    }

    /// A random slice out of the middle of a fixture (starts inside strings,
    /// comments and tuples), fed whole and in random pieces.
    #[test]
    fn fixture_slices_agree(file in any::<prop::sample::Index>(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(), sizes in sizes()) {
        let (_, data) = &fixtures()[file.index(fixtures().len())];
        let (a, b) = (a.index(data.len() + 1), b.index(data.len() + 1));
        let input = &data[a.min(b)..a.max(b)];
        assert_agrees(input, &[usize::MAX], "whole");
        assert_agrees(input, &sizes, "random pieces");
    }
}

/// Every fixture, whole, one byte at a time, and at every odd piece size up to
/// 17: the deterministic core of the properties above.
#[test]
fn fixtures_agree_at_every_piece_size() {
    for (path, data) in fixtures() {
        let want = split_all(data);
        for step in [usize::MAX, 1, 2, 3, 5, 7, 11, 13, 17] {
            let got = split_pieces(data, &[step], true);
            assert_eq!(got, want, "{} at step {step}", name(path));
        }
    }
}

/// Good fixtures split without error; the reference agrees.
#[test]
fn good_fixtures_split_cleanly() {
    for (path, data) in fixtures() {
        if is_bad(path) {
            continue;
        }
        assert!(
            split_all(data).is_ok(),
            "{} rejected by the reference",
            name(path)
        );
    }
}

/// Every fixture cut in two at every byte: the splitter's state survives any
/// boundary (a quote, a backslash, `*/`, `),(`, a multi-byte delimiter).
#[test]
fn small_fixtures_cut_at_every_byte() {
    for (path, data) in fixtures() {
        if data.len() > 8 * 1024 {
            continue;
        }
        let want = split_all(data);
        for cut in 0..=data.len() {
            let got = split_pieces(data, &[cut, usize::MAX], true);
            assert_eq!(got, want, "{} cut at {cut}", name(path));
        }
    }
}
