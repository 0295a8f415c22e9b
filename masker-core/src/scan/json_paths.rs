//! Where personal data sits inside sampled JSON documents: the paths of
//! string values that are emails or phone numbers (`owner.email`,
//! `contacts[].tel`), so the scaffold can suggest a `json` rule that masks
//! those fields and keeps the rest of the document. Only sampled values are
//! parsed (serde_json; allocation is fine off the hot path), and only
//! paths whose member names are plain words (`[A-Za-z0-9_]`), which every
//! path syntax writes the same way; a document that does not parse is
//! skipped.

use std::collections::BTreeMap;

use serde_json::Value;

use super::detect;

/// Per path, how many sampled documents held an email / a phone number there.
pub(super) type PathCounts = BTreeMap<String, [u64; 2]>;

/// Index of the email count in [`PathCounts`]' pairs.
pub(super) const EMAIL: usize = 0;
/// Index of the phone count.
pub(super) const PHONE: usize = 1;

/// Add the paths of `doc`'s email and phone strings to `counts` (each path
/// at most once per document).
pub(super) fn collect(doc: &[u8], counts: &mut PathCounts) {
    let Ok(v) = serde_json::from_slice::<Value>(doc) else {
        return;
    };
    let mut found: BTreeMap<String, [bool; 2]> = BTreeMap::new();
    walk(&v, &mut String::new(), &mut found);
    for (path, [email, phone]) in found {
        let c = counts.entry(path).or_default();
        c[EMAIL] += u64::from(email);
        c[PHONE] += u64::from(phone);
    }
}

fn walk(v: &Value, path: &mut String, found: &mut BTreeMap<String, [bool; 2]>) {
    match v {
        Value::String(s) if !path.is_empty() => {
            let b = s.as_bytes();
            let email = detect::email(b);
            let phone = !email && detect::phone(b);
            if email || phone {
                let f = found.entry(path.clone()).or_default();
                f[EMAIL] |= email;
                f[PHONE] |= phone;
            }
        }
        Value::Object(m) => {
            for (k, child) in m {
                if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    continue;
                }
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(child, path, found);
                path.truncate(len);
            }
        }
        Value::Array(items) if !path.is_empty() => {
            let len = path.len();
            path.push_str("[]");
            for child in items {
                walk(child, path, found);
            }
            path.truncate(len);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones_are_found_by_path() {
        let mut c = PathCounts::new();
        collect(
            br#"{"owner": {"email": "a@example.com", "name": "A"}, "contacts": [{"tel": "090-1234-5678"}, {"tel": "03-1234-5678"}], "odd key": "b@example.com", "n": 5}"#,
            &mut c,
        );
        collect(br#"{"owner": {"email": "c@example.com"}}"#, &mut c);
        collect(b"not json", &mut c);
        assert_eq!(c.get("owner.email"), Some(&[2, 0]));
        assert_eq!(c.get("contacts[].tel"), Some(&[0, 1]), "once per document");
        assert!(!c.contains_key("owner.name"));
        assert!(!c.keys().any(|k| k.contains("odd")), "{c:?}");
    }
}
