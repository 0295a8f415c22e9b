//! Directory outputs are all or nothing (issue 11): `mask --tab IN -o DIR`
//! and `--to tsv --out-dir DIR` build a temporary sibling and rename it into
//! place on success; a failure leaves an old `DIR` untouched and no
//! temporary directory; a non-empty `DIR` needs `--force`, which replaces it
//! whole. Also `--split-mb` with a fraction.

mod util;

use std::path::{Path, PathBuf};

use util::*;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A `--tab` folder: table `a` (valid), and table `b` with a short row when
/// `broken`.
fn tab_dir(root: &Path, broken: bool) -> PathBuf {
    let d = root.join("in");
    std::fs::create_dir(&d).unwrap();
    for t in ["a", "b"] {
        std::fs::write(
            d.join(format!("{t}.sql")),
            format!("CREATE TABLE `{t}` (`id` int, `name` varchar(10));\n"),
        )
        .unwrap();
    }
    std::fs::write(d.join("a.txt"), "1\tx\n2\ty\n").unwrap();
    let b = if broken { "1\tx\n2\n" } else { "3\tz\n" };
    std::fs::write(d.join("b.txt"), b).unwrap();
    d
}

/// An existing output folder holding one old file.
fn old_output(root: &Path, name: &str) -> PathBuf {
    let d = root.join(name);
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("old.txt"), b"old key").unwrap();
    d
}

fn mask_tab(tab: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut c = masker();
    c.args(["mask", "--rules"])
        .arg(empty_rules())
        .arg("--tab")
        .arg(tab)
        .arg("-o")
        .arg(out)
        .args(extra);
    run(&mut c, None)
}

fn export(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--to", "tsv", "--out-dir", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    mask_file(&empty_rules(), input, &args, None)
}

#[test]
fn tab_failure_leaves_no_temp_dir_and_the_old_output_untouched() {
    let root = tempfile::tempdir().unwrap();
    let tab = tab_dir(root.path(), true);
    let out = old_output(root.path(), "out");
    // One thread: table a is finished before b fails.
    let o = mask_tab(&tab, &out, &["--force", "--threads", "1"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(!stderr(&o).contains("masker-tmp"), "{}", stderr(&o));
    assert_eq!(names(&out), ["old.txt"]);
    assert_eq!(names(root.path()), ["in", "out"]);

    // Without an old output, a failure leaves none.
    let fresh = root.path().join("fresh");
    let o = mask_tab(&tab, &fresh, &["--threads", "1"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(names(root.path()), ["in", "out"]);
}

#[test]
fn tab_into_non_empty_dir_refused_without_force_replaced_with_it() {
    let root = tempfile::tempdir().unwrap();
    let tab = tab_dir(root.path(), false);
    let out = old_output(root.path(), "out");
    let o = mask_tab(&tab, &out, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(names(&out), ["old.txt"]);

    let o = mask_tab(&tab, &out, &["--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(names(&out), ["a.sql", "a.txt", "b.sql", "b.txt"]);
    assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"1\tx\n2\ty\n");
    assert_eq!(names(root.path()), ["in", "out"]);

    // An empty directory needs no --force.
    let empty = root.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = mask_tab(&tab, &empty, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(names(&empty), ["a.sql", "a.txt", "b.sql", "b.txt"]);
}

#[test]
fn tab_output_into_its_own_input_is_refused_even_with_force() {
    let root = tempfile::tempdir().unwrap();
    let tab = tab_dir(root.path(), false);
    let o = mask_tab(&tab, &tab, &["--force"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(names(&tab), ["a.sql", "a.txt", "b.sql", "b.txt"]);
    assert_eq!(names(root.path()), ["in"]);
}

#[test]
fn export_failure_leaves_no_temp_dir_and_the_old_output_untouched() {
    let root = tempfile::tempdir().unwrap();
    let out = old_output(root.path(), "export");
    let o = export(&testdata("bad/truncated_in_tuple.sql"), &out, &["--force"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(names(&out), ["old.txt"]);
    assert_eq!(names(root.path()), ["export"]);
}

#[test]
fn export_into_non_empty_dir_refused_without_force_replaced_with_it() {
    let root = tempfile::tempdir().unwrap();
    let out = old_output(root.path(), "export");
    let shop = testdata("example/shop.sql");
    let o = export(&shop, &out, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(names(&out), ["old.txt"]);

    let o = export(&shop, &out, &["--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files = names(&out);
    assert!(!files.contains(&"old.txt".to_owned()), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".tsv")), "{files:?}");
    assert!(files.iter().all(|f| !f.contains("masker-tmp")), "{files:?}");
    assert_eq!(names(root.path()), ["export"]);
    // The load commands name the user's directory, not the temporary one.
    assert!(!stderr(&o).contains("masker-tmp"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&out.display().to_string()),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_creates_missing_parent_directories() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("a/b/export");
    let o = export(&testdata("example/shop.sql"), &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(names(&out).iter().any(|f| f.ends_with(".tsv")));
    assert_eq!(names(&root.path().join("a/b")), ["export"]);
}

/// A dump of about 3 MB: table `t`, INSERTs of 1000 rows.
fn big_dump() -> Vec<u8> {
    let mut d = String::from("CREATE TABLE `t` (`id` int, `v` varchar(100));\n");
    for i in 0..60 {
        d.push_str("INSERT INTO `t` VALUES ");
        let rows: Vec<String> = (0..1000)
            .map(|j| {
                format!(
                    "({},'value number {:06} padded to fifty bytes')",
                    i * 1000 + j,
                    j
                )
            })
            .collect();
        d.push_str(&rows.join(","));
        d.push_str(";\n");
    }
    d.into_bytes()
}

#[test]
fn split_mb_accepts_a_fraction() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("big.sql");
    std::fs::write(&input, big_dump()).unwrap();
    let out = root.path().join("export");
    // Parts are cut between the core's (1 MiB) chunks: half a MB gives one
    // part per chunk.
    let o = export(&input, &out, &["--split-mb", "0.5"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let parts: Vec<String> = names(&out)
        .into_iter()
        .filter(|f| f.starts_with("t-0"))
        .collect();
    assert!(parts.len() >= 2, "not split: {:?}", names(&out));
    for p in &parts {
        let len = std::fs::metadata(out.join(p)).unwrap().len();
        assert!(len < 1_500_000, "{p}: {len} bytes");
    }

    for bad in ["0", "-1", "x"] {
        let o = export(&input, &root.path().join("other"), &["--split-mb", bad]);
        assert_eq!(code(&o), 2, "--split-mb {bad}: {}", stderr(&o));
    }
}

#[test]
fn force_without_an_output_directory_is_a_usage_error() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out.sql");
    let o = mask_file(
        &empty_rules(),
        &testdata("example/shop.sql"),
        &["-o", out.to_str().unwrap(), "--force"],
        None,
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(names(root.path()).is_empty());
}
