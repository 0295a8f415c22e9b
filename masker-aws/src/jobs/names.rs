//! Names a run gives to what it creates: the run id, the identifiers of the
//! copied snapshot, restored cluster and instance, their tags (run id and
//! expiry, which `sweep` reads), UTC time stamps, and the generated master
//! password. It must not call AWS; the password type never prints itself.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_rds::primitives::DateTime;
use aws_sdk_rds::primitives::DateTimeFormat;

/// Tag holding the run id.
pub const TAG_RUN: &str = "masker:run-id";
/// Tag holding the expiry time (RFC 3339, UTC): `sweep` deletes after it.
pub const TAG_EXPIRES: &str = "masker:expires";
/// Tag of a masked staging snapshot: the run that made it (kept, never swept).
pub const TAG_STAGING: &str = "masker:staging-of-run";
/// Tag holding the job (`backup`, `mask`).
pub const TAG_JOB: &str = "masker:job";
/// Tag of a sharded run's restored cluster and password secret: the plan's
/// `s3://` prefix, from which `sweep` deletes the plan's objects once the
/// run has expired (the prefix is not derivable: `--plan` may name any).
pub const TAG_PLAN: &str = "masker:plan";

/// Longest tag value RDS and Secrets Manager accept.
pub const TAG_VALUE_MAX: usize = 256;

/// Check that `value` can be the value of a tag on RDS and Secrets Manager
/// resources: at most [`TAG_VALUE_MAX`] characters, each a letter, digit,
/// space or one of `_ . : / = + - @`. The error says which rule fails.
pub fn check_tag_value(value: &str) -> Result<(), String> {
    let n = value.chars().count();
    if n > TAG_VALUE_MAX {
        return Err(format!(
            "{n} characters, more than the {TAG_VALUE_MAX} a tag value may have"
        ));
    }
    let allowed = |c: char| {
        c.is_alphanumeric()
            || c.is_whitespace()
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
    };
    match value.chars().find(|&c| !allowed(c)) {
        Some(c) => Err(format!(
            "the character {c:?} is not allowed in a tag value (letters, digits, spaces and _.:/=+-@ are)"
        )),
        None => Ok(()),
    }
}

/// RFC 3339 UTC time (`2026-11-27T15:00:00Z`).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    DateTime::from_secs(secs as i64)
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_else(|_| secs.to_string())
}

/// Parse an RFC 3339 time written by [`rfc3339`].
pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let t = DateTime::from_str(s, DateTimeFormat::DateTime).ok()?;
    let secs = u64::try_from(t.secs()).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// One run: its id and the identifiers of what it creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunNames {
    /// `20261127t150000z-a1b2c3d4`
    pub run_id: String,
    /// `2026-11-27` (the dump's date directory).
    pub date: String,
    /// When the run started (RFC 3339).
    pub started: String,
    /// When `sweep` may delete what it created (RFC 3339).
    pub expires: String,
}

impl RunNames {
    /// A new run starting `now`, whose resources expire after `ttl_hours`.
    pub fn new(now: SystemTime, ttl_hours: u32) -> RunNames {
        let mut r = [0u8; 4];
        // The OS RNG failing is not recoverable; the clock part keeps ids distinct anyway.
        let _ = getrandom::getrandom(&mut r);
        let started = rfc3339(now);
        let compact: String = started
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        RunNames {
            run_id: format!("{compact}-{}", hex(&r)),
            date: started[..10].to_owned(),
            expires: rfc3339(now + Duration::from_secs(u64::from(ttl_hours) * 3600)),
            started,
        }
    }

    /// The copied snapshot's identifier.
    pub fn copy_id(&self) -> String {
        format!("masker-{}-copy", self.run_id)
    }

    /// The restored cluster's identifier.
    pub fn cluster_id(&self) -> String {
        format!("masker-{}", self.run_id)
    }

    /// The restored instance's identifier.
    pub fn instance_id(&self) -> String {
        format!("masker-{}-1", self.run_id)
    }

    /// The cluster parameter group the run creates (database auditing on).
    pub fn audit_group_id(&self) -> String {
        format!("masker-{}-audit", self.run_id)
    }

    /// The masked staging snapshot's identifier.
    pub fn staging_id(&self) -> String {
        format!("masker-{}-staging", self.run_id)
    }

    /// The scratch database of the restore test.
    pub fn scratch_database(&self) -> String {
        format!("masker_restore_test_{}", self.run_id.replace('-', "_"))
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A generated master password, held in memory only. `Debug` and `Display`
/// print `<redacted>`.
pub struct Secret(String);

impl Secret {
    /// 32 characters from the OS RNG, from letters and digits (RDS refuses
    /// `/`, `@`, `"` and spaces).
    pub fn generate() -> Result<Secret, getrandom::Error> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut out = String::with_capacity(32);
        while out.len() < 32 {
            let mut b = [0u8; 64];
            getrandom::getrandom(&mut b)?;
            // Rejection sampling: 248 = 4 * 62 keeps the choice uniform.
            for x in b {
                if x < 248 && out.len() < 32 {
                    out.push(ALPHABET[usize::from(x) % 62] as char);
                }
            }
        }
        Ok(Secret(out))
    }

    /// A password read back from where the run stored it (Secrets Manager).
    pub(crate) fn from_stored(s: String) -> Secret {
        Secret(s)
    }

    /// The password, for the one API call and the connection that need it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_valid_rds_identifiers_and_expire_later() {
        let now = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let n = RunNames::new(now, 2);
        let id = n.cluster_id();
        assert!(id.len() <= 63 && id.starts_with("masker-"), "{id}");
        assert!(id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        assert!(!id.contains("--"));
        assert_eq!(n.date.len(), 10);
        let exp = parse_rfc3339(&n.expires).unwrap();
        assert_eq!(exp.duration_since(now).unwrap(), Duration::from_secs(7200));
    }

    #[test]
    fn plan_urls_that_cannot_be_tag_values_are_refused() {
        assert_eq!(
            check_tag_value("s3://backups/daily/_plans/20261127t150000z-a1b2c3d4"),
            Ok(())
        );
        assert_eq!(check_tag_value("s3://b/p/exec-name_1=x+y@z"), Ok(()));
        let long = format!("s3://b/{}", "p".repeat(TAG_VALUE_MAX));
        let e = check_tag_value(&long).unwrap_err();
        assert!(e.contains("more than the 256"), "{e}");
        assert_eq!(check_tag_value(&long[..TAG_VALUE_MAX]), Ok(()));
        for bad in ["s3://b/p~1", "s3://b/p(1)", "s3://b/p*", "s3://b/p?x"] {
            let e = check_tag_value(bad).unwrap_err();
            assert!(e.contains("is not allowed in a tag value"), "{bad}: {e}");
        }
    }

    #[test]
    fn passwords_are_long_random_and_never_printed() {
        let a = Secret::generate().unwrap();
        let b = Secret::generate().unwrap();
        assert_eq!(a.expose().len(), 32);
        assert_ne!(a.expose(), b.expose());
        assert!(a.expose().chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(format!("{a:?}"), "<redacted>");
    }
}
