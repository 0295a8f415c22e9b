//! Helpers shared by the integration tests: the fixtures under `testdata/`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Every `.sql` file under `testdata/`, sorted by path, with its bytes.
pub fn fixtures() -> &'static [(PathBuf, Vec<u8>)] {
    static FILES: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "sql") {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(&testdata(), &mut out);
        assert!(
            out.len() >= 20,
            "testdata/ has too few .sql files: {}",
            out.len()
        );
        out
    })
}

/// The `testdata/` directory.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// True for the fixtures that must be rejected (`testdata/bad/`).
pub fn is_bad(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "bad")
}

/// The path relative to `testdata/`, for messages.
pub fn name(path: &Path) -> String {
    path.strip_prefix(testdata())
        .unwrap_or(path)
        .display()
        .to_string()
}
