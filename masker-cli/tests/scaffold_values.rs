//! `masker check --scaffold` suggests rules from sampled values, not only from
//! column names: columns with meaningless names holding emails, phone
//! numbers, card numbers and Japanese addresses are flagged.

mod util;

use util::*;

#[test]
fn scaffold_flags_personal_data_by_its_values() {
    let dump = testdata("scaffold/pii_values.sql");
    let mut c = masker();
    c.args(["check", "--scaffold"]).arg(&dump);
    let out = run(&mut c, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rules = stdout_str(&out);
    let line = |col: &str| {
        rules
            .lines()
            .find(|l| l.starts_with(&format!("{col} = ")))
            .unwrap_or_else(|| panic!("no rule for {col} in:\n{rules}"))
            .to_owned()
    };
    assert!(line("c1").contains("format = \"email\""), "{rules}");
    assert!(line("c1").contains("email address"));
    assert!(line("c2").contains("\"fpe\"") && line("c2").contains("phone"));
    assert!(line("c3").contains("\"fpe\"") && line("c3").contains("card"));
    assert!(line("c4").contains("kind = \"address\""));
    assert_eq!(line("note"), "note = \"keep\"");
    // A unique column gets a transform that keeps values distinct, not fake.
    assert!(
        line("login_name").starts_with("login_name = \"hash\""),
        "{rules}"
    );
    assert_eq!(line("id"), "id = \"keep\"");
    // No sampled value is echoed into the scaffold.
    for v in ["a@example.com", "090-1234-5678", "4111", "丸の内"] {
        assert!(!rules.contains(v), "{v} leaked into the scaffold");
    }

    // The scaffold is a strict rules file that masks the dump.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, &rules).unwrap();
    let masked = mask_ok(&path, &dump, &[], Some("scaffold-key"));
    for v in [
        "a@example.com",
        "090-1234-5678",
        "4111 1111 1111 1111",
        "丸の内",
    ] {
        assert!(!contains(&masked, v.as_bytes()), "{v} not masked");
    }
}
