//! With empty rules, `masker mask` is the identity, byte for byte, on every
//! committed fixture dump: at 1 and 4 threads, from a file and from stdin,
//! from gzip and zstd input, and into `.gz` / `.zst` outputs.

mod util;

use std::path::PathBuf;

use util::*;

fn fixture_files() -> Vec<PathBuf> {
    let mut v = files_in(&testdata("formats"), ".sql");
    assert!(
        v.len() >= 5,
        "expected the format fixtures in testdata/formats, found {v:?}"
    );
    v.push(testdata("example/shop.sql"));
    // Optional: the committed mariadb-dump variants.
    v.extend(files_in(&testdata("mariadb/dumps"), ""));
    v
}

fn name(p: &std::path::Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn identity_file_input_threads_1_and_4() {
    for f in fixture_files() {
        let input = std::fs::read(&f).unwrap();
        for t in ["1", "4"] {
            let out = mask_ok(&empty_rules(), &f, &["--threads", t], None);
            assert_same_bytes(&format!("{} --threads {t}", name(&f)), &input, &out);
        }
    }
}

#[test]
fn identity_stdin_input() {
    for f in fixture_files() {
        let input = std::fs::read(&f).unwrap();
        for args in [vec!["-"], vec!["-", "--threads", "3"]] {
            let mut c = masker();
            c.arg("mask").arg("--rules").arg(empty_rules()).args(&args);
            let out = run(&mut c, Some(&input));
            assert_eq!(code(&out), 0, "{} via stdin: {}", name(&f), stderr(&out));
            assert_same_bytes(
                &format!("{} via stdin {args:?}", name(&f)),
                &input,
                &out.stdout,
            );
        }
    }
}

#[test]
fn identity_gzip_and_zstd_input() {
    let dir = tempfile::tempdir().unwrap();
    for f in fixture_files() {
        let input = std::fs::read(&f).unwrap();
        let gz = dir.path().join("in.sql.gz");
        std::fs::write(&gz, tool("gzip", &["-c"], &input)).unwrap();
        let zst = dir.path().join("in.sql.zst");
        std::fs::write(&zst, tool("zstd", &["-q", "-c"], &input)).unwrap();
        // A compressed file whose name does not say so: detection is by magic bytes.
        let disguised = dir.path().join("in.sql");
        std::fs::write(&disguised, tool("zstd", &["-q", "-c"], &input)).unwrap();
        for (p, t) in [
            (&gz, "1"),
            (&gz, "4"),
            (&zst, "1"),
            (&zst, "4"),
            (&disguised, "2"),
        ] {
            let out = mask_ok(&empty_rules(), p, &["--threads", t], None);
            assert_same_bytes(
                &format!("{} compressed as {} --threads {t}", name(&f), p.display()),
                &input,
                &out,
            );
        }
        // Compressed data on stdin.
        let mut c = masker();
        c.arg("mask").arg("--rules").arg(empty_rules()).arg("-");
        let out = run(&mut c, Some(&tool("gzip", &["-c"], &input)));
        assert_eq!(
            code(&out),
            0,
            "{} gzip on stdin: {}",
            name(&f),
            stderr(&out)
        );
        assert_same_bytes(&format!("{} gzip on stdin", name(&f)), &input, &out.stdout);
    }
}

#[test]
fn identity_compressed_output() {
    for f in fixture_files() {
        let input = std::fs::read(&f).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[&str], &str); 4] = [
            ("out.sql.gz", &[], "gzip"),
            ("out.sql.zst", &["--threads", "4"], "zstd"),
            ("out.sql", &[], "cat"),
            ("forced.bin", &["--compress", "zstd"], "zstd"),
        ];
        for (file, extra, codec) in cases {
            let out_path = dir.path().join(file);
            let mut args: Vec<&str> = vec!["-o", out_path.to_str().unwrap()];
            args.extend_from_slice(extra);
            let out = mask_file(&empty_rules(), &f, &args, None);
            assert_eq!(code(&out), 0, "{} -o {file}: {}", name(&f), stderr(&out));
            assert!(
                out.stdout.is_empty(),
                "{} -o {file}: the dump went to stdout too ({} bytes)",
                name(&f),
                out.stdout.len()
            );
            let written = std::fs::read(&out_path)
                .unwrap_or_else(|e| panic!("{} -o {file}: no output file: {e}", name(&f)));
            let plain = match codec {
                "gzip" => {
                    assert_eq!(&written[..2], &[0x1f, 0x8b], "{file} is not gzip");
                    tool("gzip", &["-dc"], &written)
                }
                "zstd" => {
                    assert_eq!(
                        &written[..4],
                        &[0x28, 0xb5, 0x2f, 0xfd],
                        "{file} is not zstd"
                    );
                    tool("zstd", &["-dc"], &written)
                }
                _ => written,
            };
            assert_same_bytes(&format!("{} -o {file} {extra:?}", name(&f)), &input, &plain);
            // Nothing else (no leftover temporary file) in the directory.
            let left: Vec<_> = files_in(dir.path(), "")
                .into_iter()
                .filter(|p| !cases.iter().any(|c| p.ends_with(c.0)))
                .collect();
            assert!(left.is_empty(), "temporary files left behind: {left:?}");
        }
    }
}
