//! Mask a small dump with rules given as a string, through the public API:
//! compile the rules once, stream the dump through `mask_reader`, read the
//! summary; a failure to compile the rules is a list of typed problems.
//! Run it with `cargo run -p masker-core --example mask_dump`;
//! `cargo test` builds it and runs its test.

use masker_core::rules::RulesBuilder;
use masker_core::{mask_reader, ErrorKind, MaskOptions};

const DUMP: &[u8] = b"CREATE TABLE `users` (\n  `id` int NOT NULL,\n  `email` varchar(64) NOT NULL,\n  `memo` text,\n  PRIMARY KEY (`id`)\n);\nINSERT INTO `users` VALUES (1,'ann@example.com','likes tea'),(2,'bob@example.com',NULL);\n";

const RULES: &str = r#"
[tables.users]
email = { transform = "hash", format = "email" }
memo = "null"
"#;

/// Masked values per `table.column`.
type Counts = Vec<(String, u64)>;

/// Mask `DUMP`; returns the masked dump and the summary's per-column counts.
fn mask() -> Result<(Vec<u8>, Counts), masker_core::Error> {
    // Rules are compiled and checked before any byte is read; a real program
    // takes the key from the environment (`key_from_env`) or a key file.
    let rules = RulesBuilder::new()
        .toml(RULES, "example rules")
        .key(b"an example key, never a real one")
        .build()?;
    let mut out = Vec::new();
    let summary = mask_reader(&rules, DUMP, &mut out, &MaskOptions::default())?;
    Ok((out, summary.masked.into_iter().collect()))
}

fn main() {
    match mask() {
        Ok((out, counts)) => {
            print!("{}", String::from_utf8_lossy(&out));
            for (column, n) in counts {
                eprintln!("{column}: {n} values masked");
            }
        }
        Err(e) => {
            report(&e);
            std::process::exit(1);
        }
    }
}

/// Print an error. Rule problems are typed: each has its config path and a
/// kind, so a tool can point at the setting; `Display` gives the whole line.
fn report(e: &masker_core::Error) {
    match e.kind() {
        ErrorKind::Config(problems) => {
            for p in problems {
                eprintln!("rules: {} ({:?}): {}", p.path, p.kind, p.message);
            }
        }
        _ => eprintln!("error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use masker_core::rules::RulesBuilder;
    use masker_core::{ConfigProblemKind, ErrorKind};

    #[test]
    fn rule_problems_come_with_their_path_and_kind() {
        let e = RulesBuilder::new()
            .toml("[tables.users]\nemail = \"hsah\"\n", "example rules")
            .key(b"an example key")
            .build()
            .unwrap_err();
        let ErrorKind::Config(problems) = e.kind() else {
            panic!("{e}");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "tables.users.email");
        assert_eq!(problems[0].kind, ConfigProblemKind::InvalidValue);
        assert!(problems[0]
            .message
            .starts_with("unknown transform \"hsah\""));
    }
    #[test]
    fn the_example_masks_emails_and_memos() {
        let (out, counts) = super::mask().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains("ann@example.com") && !text.contains("likes tea"),
            "{text}"
        );
        assert!(text.contains("(2,'"), "{text}");
        assert_eq!(
            counts,
            vec![
                ("users.email".to_string(), 2),
                ("users.memo".to_string(), 1)
            ]
        );
    }
}
