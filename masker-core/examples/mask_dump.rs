//! Mask a small dump with rules given as a string, through the public API:
//! compile the rules once, stream the dump through `mask_reader`, read the
//! summary. Run it with `cargo run -p masker-core --example mask_dump`;
//! `cargo test` builds it and runs its test.

use masker_core::rules::RulesBuilder;
use masker_core::{mask_reader, MaskOptions};

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
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
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
