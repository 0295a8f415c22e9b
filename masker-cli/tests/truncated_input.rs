//! A gzip or zstd input cut short is an invalid input (exit 1) naming the
//! file as typed and the decompressed offset reached, never an I/O error
//! "incomplete deflate stream" without a file name (issue 11).

mod util;

use std::path::Path;

use util::*;

/// The decompressed offset in `PATH: truncated input: the CODEC stream ends
/// early after N decompressed bytes`, checking the rest of the message.
fn truncated_offset(err: &str, path: &str, codec: &str) -> u64 {
    let prefix =
        format!("masker: error: {path}: truncated input: the {codec} stream ends early after ");
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no truncation message for {path} ({codec}) in:\n{err}"));
    let n = line
        .strip_suffix(" decompressed bytes")
        .unwrap_or_else(|| panic!("message does not end with the offset: {line}"));
    n.parse().unwrap_or_else(|_| panic!("not an offset: {n}"))
}

fn compressed(codec: &str, data: &[u8]) -> Vec<u8> {
    match codec {
        "gzip" => tool("gzip", &["-c"], data),
        _ => tool("zstd", &["-q", "-c"], data),
    }
}

#[test]
fn truncated_gzip_and_zstd_input_is_exit_1_naming_the_file() {
    let data = std::fs::read(testdata("example/shop.sql")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for codec in ["gzip", "zstd"] {
        let z = compressed(codec, &data);
        // Inside the header, early data, the middle, and the last byte.
        let cuts = [6, 20, z.len() / 4, z.len() / 2, z.len() - 1];
        for cut in cuts {
            let p = dir.path().join(format!("cut-{cut}.sql.{codec}"));
            std::fs::write(&p, &z[..cut]).unwrap();
            let out_path = dir.path().join("out.sql");
            let out = mask_file(
                &empty_rules(),
                &p,
                &["-o", out_path.to_str().unwrap()],
                None,
            );
            let err = stderr(&out);
            assert_eq!(code(&out), 1, "{codec} cut at {cut}: {err}");
            let n = truncated_offset(&err, &p.display().to_string(), codec);
            assert!(n <= data.len() as u64, "{codec} cut at {cut}: offset {n}");
            assert!(!err.contains("incomplete"), "{err}");
            assert!(
                !Path::new(&out_path).exists(),
                "{codec}: out.sql left behind"
            );
            std::fs::remove_file(&p).unwrap();
            assert!(
                std::fs::read_dir(dir.path()).unwrap().next().is_none(),
                "{codec} cut at {cut}: temporary files left"
            );
        }
    }
}

#[test]
fn truncated_compressed_stdin_says_stdin() {
    let data = std::fs::read(testdata("example/shop.sql")).unwrap();
    for codec in ["gzip", "zstd"] {
        let z = compressed(codec, &data);
        let mut c = masker();
        c.args(["mask", "--rules"]).arg(empty_rules()).arg("-");
        let out = run(&mut c, Some(&z[..z.len() - 1]));
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        truncated_offset(&stderr(&out), "<stdin>", codec);
    }
}

#[test]
fn truncated_gzip_tsv_stream_is_exit_1_naming_the_file() {
    let rows: String = (0..2000).map(|i| format!("{i}\tname {i}\n")).collect();
    let z = compressed("gzip", rows.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.txt.gz");
    std::fs::write(&p, &z[..z.len() / 2]).unwrap();
    let out = mask_file(
        &empty_rules(),
        &p,
        &["--format", "tsv", "--table", "t", "--columns", "id,name"],
        None,
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let n = truncated_offset(&stderr(&out), &p.display().to_string(), "gzip");
    assert!(n < rows.len() as u64);
}

#[test]
fn whole_compressed_input_still_masks() {
    let data = std::fs::read(testdata("example/shop.sql")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for codec in ["gzip", "zstd"] {
        let p = dir.path().join(format!("whole.{codec}"));
        std::fs::write(&p, compressed(codec, &data)).unwrap();
        let got = mask_ok(&empty_rules(), &p, &[], None);
        assert_same_bytes(codec, &data, &got);
    }
}

/// QA finding: a 0-byte dump (what a failed upstream `mysqldump > file`
/// leaves) masked "successfully" to an empty output with `--allow-missing`
/// or empty rules. `mask` and `check` both refuse it with exit 1, and no
/// output file appears.
#[test]
fn empty_input_is_refused_by_mask_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.sql");
    std::fs::write(&empty, b"").unwrap();
    let out = dir.path().join("out.sql");
    for rules in [testdata("example/rules.toml"), empty_rules()] {
        let o = run(
            masker()
                .args(["mask", "--allow-missing", "--rules"])
                .arg(&rules)
                .arg(&empty)
                .arg("-o")
                .arg(&out)
                .env("MASKER_KEY", "empty-input-test-key-0123"),
            None,
        );
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains("the input is empty"), "{}", stderr(&o));
        assert!(!out.exists());
        let c = run(
            masker()
                .args(["check", "--allow-missing", "--rules"])
                .arg(&rules)
                .arg(&empty),
            None,
        );
        assert_eq!(code(&c), 1, "{}", stderr(&c));
        assert!(stderr(&c).contains("the input is empty"), "{}", stderr(&c));
    }
    let o = run(
        masker()
            .args(["mask", "--rules"])
            .arg(empty_rules())
            .arg("-"),
        Some(b""),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("standard input: the input is empty"),
        "{}",
        stderr(&o)
    );
}
