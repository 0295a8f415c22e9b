//! Auto-increment headroom: how much of an integer key type's range the
//! next auto-increment value has used. This module only does arithmetic on
//! `information_schema` text (`COLUMN_TYPE`, `AUTO_INCREMENT`); it reads
//! nothing from a server.

/// The largest value of an integer column type as `information_schema.COLUMNS.COLUMN_TYPE`
/// spells it (`int(11)`, `bigint(20) unsigned`, `tinyint unsigned zerofill`).
/// `None` for a type that is not an integer.
pub fn integer_max(column_type: &str) -> Option<u64> {
    let lower = column_type.trim().to_ascii_lowercase();
    let base = lower
        .split(|c: char| c == '(' || c.is_whitespace())
        .next()
        .unwrap_or_default();
    let unsigned = lower.split_whitespace().any(|w| w == "unsigned");
    let bits: u32 = match base {
        "tinyint" => 8,
        "smallint" => 16,
        "mediumint" => 24,
        "int" | "integer" => 32,
        "bigint" => 64,
        _ => return None,
    };
    Some(if unsigned {
        u64::MAX >> (64 - bits)
    } else {
        u64::MAX >> (65 - bits)
    })
}

/// The fraction (0 to 1) of `max` used when the next auto-increment value
/// is `next`: the largest value handed out so far is `next - 1`.
pub fn used_fraction(next: u64, max: u64) -> f64 {
    if max == 0 {
        return 0.0;
    }
    let used = next.saturating_sub(1).min(max);
    used as f64 / max as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_types_and_their_maxima() {
        assert_eq!(integer_max("tinyint(4)"), Some(127));
        assert_eq!(integer_max("tinyint(3) unsigned"), Some(255));
        assert_eq!(integer_max("smallint(6)"), Some(32_767));
        assert_eq!(integer_max("SMALLINT UNSIGNED"), Some(65_535));
        assert_eq!(integer_max("mediumint(9)"), Some(8_388_607));
        assert_eq!(
            integer_max("mediumint(8) unsigned zerofill"),
            Some(16_777_215)
        );
        assert_eq!(integer_max("int(11)"), Some(2_147_483_647));
        assert_eq!(integer_max("int unsigned"), Some(4_294_967_295));
        assert_eq!(integer_max("integer"), Some(2_147_483_647));
        assert_eq!(integer_max("bigint(20)"), Some(i64::MAX as u64));
        assert_eq!(integer_max("bigint(20) unsigned"), Some(u64::MAX));
        assert_eq!(integer_max("decimal(10,0)"), None);
        assert_eq!(integer_max("double"), None);
        assert_eq!(integer_max(""), None);
    }

    #[test]
    fn fraction_counts_the_values_handed_out() {
        assert_eq!(used_fraction(1, 255), 0.0);
        assert_eq!(used_fraction(0, 255), 0.0);
        assert!((used_fraction(251, 255) - 250.0 / 255.0).abs() < 1e-12);
        assert_eq!(used_fraction(256, 255), 1.0);
        assert_eq!(
            used_fraction(u64::MAX, u64::MAX),
            (u64::MAX - 1) as f64 / u64::MAX as f64
        );
        assert_eq!(used_fraction(5, 0), 0.0);
    }
}
