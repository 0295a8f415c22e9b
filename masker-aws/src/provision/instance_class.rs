//! RDS DB instance classes: memory and vCPUs, for rendering with
//! production's sizing (`--instance-class db.r6g.large`) instead of a local
//! budget.
//!
//! Owns the class table only. The memory is the class's memory: RDS's
//! `DBInstanceClassMemory` is lower by a reserve AWS does not publish, so
//! values rendered from it are an upper bound of production's. Classes not
//! in the table are refused, never guessed; `db.serverless` has no fixed
//! size.

use thiserror::Error;

const GIB: u64 = 1 << 30;

/// A class's memory and vCPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassSize {
    /// Memory in bytes.
    pub memory: u64,
    /// vCPUs.
    pub vcpus: u64,
}

/// A class this tool has no size for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ClassError {
    /// Not in the table.
    #[error(
        "instance class `{0}` is not in the table (masker-aws/src/provision/instance_class.rs); \
         give --memory and --cpus instead"
    )]
    Unknown(String),
    /// Aurora Serverless v2.
    #[error("`db.serverless` has no fixed size; give --memory and --cpus")]
    Serverless,
}

/// Burstable classes: size -> (vCPUs, GiB).
const BURSTABLE: &[(&str, u64, u64)] = &[
    ("micro", 2, 1),
    ("small", 2, 2),
    ("medium", 2, 4),
    ("large", 2, 8),
    ("xlarge", 4, 16),
    ("2xlarge", 8, 32),
];

/// Fixed-performance families and the sizes RDS offers for them; `r*`
/// classes have 8 GiB per vCPU, `m*` classes 4 GiB.
const FAMILIES: &[(&[&str], &[&str])] = &[
    (
        &["r5", "m5"],
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
        ],
    ),
    (
        &["r6g", "r7g", "m6g", "m7g"],
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
        ],
    ),
    (
        &["r6i", "m6i"],
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
            "32xlarge",
        ],
    ),
];

fn vcpus_of(size: &str) -> Option<u64> {
    match size {
        "large" => Some(2),
        "xlarge" => Some(4),
        _ => size
            .strip_suffix("xlarge")?
            .parse::<u64>()
            .ok()
            .map(|n| n * 4),
    }
}

/// The memory and vCPUs of an RDS instance class such as `db.r6g.large`.
pub fn class_size(class: &str) -> Result<ClassSize, ClassError> {
    if class == "db.serverless" {
        return Err(ClassError::Serverless);
    }
    let unknown = || ClassError::Unknown(class.to_owned());
    let rest = class.strip_prefix("db.").ok_or_else(unknown)?;
    let (family, size) = rest.split_once('.').ok_or_else(unknown)?;
    if family == "t3" || family == "t4g" {
        return BURSTABLE
            .iter()
            .find(|(s, ..)| *s == size)
            .map(|&(_, vcpus, gib)| ClassSize {
                memory: gib * GIB,
                vcpus,
            })
            .ok_or_else(unknown);
    }
    let (_, sizes) = FAMILIES
        .iter()
        .find(|(families, ..)| families.contains(&family))
        .ok_or_else(unknown)?;
    if !sizes.contains(&size) {
        return Err(unknown());
    }
    let vcpus = vcpus_of(size).ok_or_else(unknown)?;
    let gib_per_vcpu = if family.starts_with('r') { 8 } else { 4 };
    Ok(ClassSize {
        memory: vcpus * gib_per_vcpu * GIB,
        vcpus,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_class_memory_table() {
        let cases = [
            ("db.t3.micro", 1, 2),
            ("db.t4g.medium", 4, 2),
            ("db.t3.2xlarge", 32, 8),
            ("db.r5.large", 16, 2),
            ("db.r5.24xlarge", 768, 96),
            ("db.r6g.large", 16, 2),
            ("db.r6g.16xlarge", 512, 64),
            ("db.r6i.32xlarge", 1024, 128),
            ("db.r7g.2xlarge", 64, 8),
            ("db.m5.large", 8, 2),
            ("db.m6g.4xlarge", 64, 16),
            ("db.m6i.12xlarge", 192, 48),
        ];
        for (class, gib, vcpus) in cases {
            assert_eq!(
                class_size(class),
                Ok(ClassSize {
                    memory: gib * GIB,
                    vcpus
                }),
                "{class}"
            );
        }
    }

    #[test]
    fn unknown_classes_are_refused() {
        for class in [
            "db.r6g.24xlarge",
            "db.x9.large",
            "r5.large",
            "db.r5",
            "db.t3.nano",
        ] {
            assert_eq!(
                class_size(class),
                Err(ClassError::Unknown(class.into())),
                "{class}"
            );
        }
        assert_eq!(class_size("db.serverless"), Err(ClassError::Serverless));
    }
}
