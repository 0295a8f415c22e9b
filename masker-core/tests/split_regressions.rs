//! Regressions: minimal inputs on which the fast splitter and the reference
//! splitter disagreed, found by `split_props.rs` and the `tokenize_sql` fuzz
//! target, fixed in `tokenizer::sql`. The fixes follow the mysql client: the
//! delimiter wins over a comment, `DELIMITER` takes the first word of its line,
//! and a partial delimiter match keeps its first byte's ordinary meaning.

use masker_core::tokenizer::reference::split_all;

#[allow(dead_code)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;

fn assert_agrees(input: &[u8]) {
    assert_eq!(
        checks::split_whole(input),
        split_all(input),
        "on {:?}",
        String::from_utf8_lossy(input)
    );
}

/// Was wrong in the fast splitter: a lone `;` between tuples under `DELIMITER ;;` is
/// garbage (the reference says so at byte 37); the fast splitter accepts it.
/// The values tokenizer still rejects the dump, so `mask_slice` fails anyway.
#[test]
fn lone_delimiter_byte_between_tuples() {
    assert_agrees(b"DELIMITER ;;\nINSERT INTO t VALUES (1);(2);;\n");
    assert_agrees(b"DELIMITER $$\nINSERT INTO t VALUES (1)$(2)$$\n");
}

/// Was wrong in the fast splitter: in `--- x;` the 2nd and 3rd dashes open a `-- `
/// comment (MySQL, the mysql client and the reference agree); the fast
/// splitter ends a statement at the `;` inside the comment.
#[test]
fn dash_run_before_comment() {
    assert_agrees(b"SELECT 1 --- x; y\n;");
}

/// Was wrong in the fast splitter: the 16-byte limit of a DELIMITER argument is applied
/// before trimming the spaces around it.
#[test]
fn delimiter_length_counts_spaces() {
    assert_agrees(b"DELIMITER ;SET @a = 'x;y';\n");
    assert_agrees(b"DELIMITER ;;               \nSELECT 1;;\n");
}

/// Was disputed (now the mysql client's rule in both): with a delimiter that starts like a comment, the fast splitter
/// lets the delimiter win between statements (as the mysql client does), the
/// reference lets the comment win. Inside a statement the fast splitter also
/// drops a `#` comment whose first byte began a failed delimiter match.
#[test]
fn delimiter_starts_like_a_comment() {
    assert_agrees(b"DELIMITER --\n-- x\n");
    assert_agrees(b"DELIMITER ##\nSET a=1 # c ## d\n##\n");
}

/// Was wrong in the fast splitter: a statement start matching the first byte
/// of a multi-byte delimiter began a statement, so `/* ... */` after
/// `DELIMITER //` was not a comment.
#[test]
fn comment_that_starts_like_the_delimiter() {
    assert_agrees(b"DELIMITER //\n/* block ; ' \" ` */");
    assert_agrees(b"DELIMITER //\n/* c */ SELECT 1//\n");
}

/// Was different: the first byte of a multi-byte delimiter left at the end of
/// input between tuples is garbage at its own offset, not a truncation.
#[test]
fn partial_delimiter_at_end_between_tuples() {
    assert_agrees(b"DELIMITER --\nINSERT INTO `t` VALUES -");
    assert_agrees(b"DELIMITER $$\nINSERT INTO t VALUES (1)$");
}
