//! Issue 13: a `json` path that can never match the column's documents is
//! caught by `check` on a sample (a warning naming the column and the path),
//! and by `mask` the same way, at any thread count.

use masker_core::rules::{Rules, RulesBuilder};
use masker_core::{check_reader, mask_reader, MaskOptions};

const DUMP: &str = "CREATE TABLE `people` (\n  `id` int NOT NULL,\n  `profile` json DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\n\
INSERT INTO `people` VALUES (1,'{\\\"owner\\\": {\\\"email\\\": \\\"a@x.com\\\"}, \\\"tags\\\": [\\\"t\\\"]}'),\
(2,'{\\\"owner\\\": {\\\"email\\\": \\\"b@x.com\\\"}}'),(3,NULL);\n";

fn rules(toml: &str) -> Rules {
    RulesBuilder::new()
        .toml(toml, "rules.toml")
        .key(b"json path check key 0123")
        .build()
        .unwrap()
}

#[test]
fn a_json_path_that_matches_no_document_is_warned_about() {
    // `Owner` (capital O) and `owner.mail` never occur; `owner.email` and `tags[]` do.
    let r = rules(
        "[tables.people]\nprofile = { json = { \"owner.email\" = \"hash\", \"Owner.email\" = \"hash\", \
         \"owner.mail\" = \"null\", \"tags[]\" = \"keep\" } }\n",
    );
    for threads in [1, 3] {
        let opts = MaskOptions {
            threads,
            chunk_size: 64,
            ..MaskOptions::default()
        };
        let checked = check_reader(&r, DUMP.as_bytes(), &opts).unwrap();
        let mut out = Vec::new();
        let masked = mask_reader(&r, DUMP.as_bytes(), &mut out, &opts).unwrap();
        for s in [&checked, &masked] {
            let w = s.warnings.join("\n");
            assert!(
                w.contains("people.profile: json path Owner.email matched none of the 2 documents"),
                "{w}"
            );
            assert!(w.contains("json path owner.mail matched none"), "{w}");
            assert!(!w.contains("path owner.email "), "{w}");
            assert!(!w.contains("tags"), "{w}");
        }
    }
    // Every path matched: no warning.
    let r = rules("[tables.people]\nprofile = { json = { \"owner.email\" = \"hash\" } }\n");
    let s = check_reader(&r, DUMP.as_bytes(), &MaskOptions::default()).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}
