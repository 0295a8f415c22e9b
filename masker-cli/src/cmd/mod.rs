//! Subcommands. Each parses its flags, builds what the core needs, and runs it.

pub mod check;
pub mod dump;
pub mod explain;
pub mod leaks;
pub mod load;
pub mod mask;
pub mod monitor;
pub mod mydumper_in;
pub mod scan;
pub mod tsv_in;
pub mod verify;

use std::path::Path;

use masker_core::rules::{Rules, RulesBuilder};

use crate::report::{Failure, EXIT_CONFIG};

/// Read and compile a rules file. `need_key`: masking needs the key; checks do not.
pub fn load_rules(path: &Path, need_key: bool) -> Result<Rules, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::new(
            EXIT_CONFIG,
            format!("cannot read rules file {}: {e}", path.display()),
        )
    })?;
    let rules = RulesBuilder::new()
        .toml(&text, &path.display().to_string())
        .key_from_env()
        .allow_missing_key(!need_key)
        .build()?;
    for w in rules.warnings() {
        eprintln!("masker: warning: {w}");
    }
    Ok(rules)
}
