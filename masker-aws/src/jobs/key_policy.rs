//! Whether a KMS key policy lets another account use a snapshot encrypted
//! with the key: sharing an encrypted cluster snapshot only helps if the
//! receiving account may describe the key, decrypt with it and create
//! grants on it (what RDS needs to copy or restore the snapshot there).
//! This module owns reading the policy document; it calls nothing. It is a
//! check of the key policy alone: IAM policies and grants of the other
//! account are not seen.

use serde_json::Value;

/// What an account needs on the key to copy or restore a shared snapshot.
pub const SHARE_ACTIONS: [&str; 3] = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey"];

/// The actions of [`SHARE_ACTIONS`] that `policy` (a key policy document)
/// does not allow `account` (12 digits): not allowed by an `Allow`
/// statement naming the account (`ACCOUNT`, `arn:aws:iam::ACCOUNT:...`) or
/// everyone (`*`), or denied by a `Deny` statement. Statements with a
/// `NotPrincipal` or `NotAction` are not trusted to allow.
pub fn missing_share_actions(policy: &str, account: &str) -> Result<Vec<&'static str>, String> {
    let doc: Value =
        serde_json::from_str(policy).map_err(|e| format!("the key policy is not JSON: {e}"))?;
    let statements: Vec<&Value> = match &doc["Statement"] {
        Value::Array(a) => a.iter().collect(),
        s @ Value::Object(_) => vec![s],
        _ => return Err("the key policy has no Statement".into()),
    };
    let mut missing = Vec::new();
    for action in SHARE_ACTIONS {
        let applies = |s: &Value| {
            s.get("NotPrincipal").is_none()
                && s.get("NotAction").is_none()
                && names_account(&s["Principal"], account)
                && strings(&s["Action"]).any(|a| action_matches(a, action))
        };
        let allowed = statements
            .iter()
            .any(|s| s["Effect"] == "Allow" && applies(s));
        let denied = statements
            .iter()
            .any(|s| s["Effect"] == "Deny" && applies(s));
        if !allowed || denied {
            missing.push(action);
        }
    }
    Ok(missing)
}

/// A string or a list of strings.
fn strings(v: &Value) -> impl Iterator<Item = &str> {
    let list: Vec<&str> = match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    list.into_iter()
}

fn names_account(principal: &Value, account: &str) -> bool {
    let matches = |p: &str| {
        p == "*"
            || p == account
            || p.strip_prefix("arn:aws:iam::")
                .or_else(|| p.strip_prefix("arn:aws-cn:iam::"))
                .or_else(|| p.strip_prefix("arn:aws-us-gov:iam::"))
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(acct, _)| acct == account)
    };
    match principal {
        Value::String(s) => matches(s),
        Value::Object(o) => o.get("AWS").is_some_and(|v| strings(v).any(matches)),
        _ => false,
    }
}

/// IAM action matching: case-insensitive, `*` matches any run of characters.
fn action_matches(pattern: &str, action: &str) -> bool {
    fn glob(p: &[u8], a: &[u8]) -> bool {
        match p.split_first() {
            None => a.is_empty(),
            Some((b'*', rest)) => (0..=a.len()).any(|i| glob(rest, &a[i..])),
            Some((c, rest)) => a
                .split_first()
                .is_some_and(|(x, tail)| x.eq_ignore_ascii_case(c) && glob(rest, tail)),
        }
    }
    glob(pattern.as_bytes(), action.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;

    #[test]
    fn the_default_policy_grants_only_its_own_account() {
        assert!(missing_share_actions(OWN_ONLY, "111122223333")
            .unwrap()
            .is_empty());
        assert_eq!(
            missing_share_actions(OWN_ONLY, "210987654321").unwrap(),
            SHARE_ACTIONS
        );
    }

    #[test]
    fn a_statement_for_the_account_grants_what_it_lists() {
        let p = r#"{"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::210987654321:root", "333344445555"]},
             "Action": ["kms:Decrypt", "kms:describekey", "kms:ReEncrypt*"], "Resource": "*"}]}"#;
        assert_eq!(
            missing_share_actions(p, "210987654321").unwrap(),
            ["kms:CreateGrant"]
        );
        assert_eq!(
            missing_share_actions(p, "333344445555").unwrap(),
            ["kms:CreateGrant"]
        );
        let all = p.replace("\"kms:ReEncrypt*\"", "\"kms:Create*\"");
        assert!(missing_share_actions(&all, "210987654321")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn deny_and_not_principal_statements_do_not_grant() {
        let p = r#"{"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "kms:*"},
            {"Effect": "Deny", "Principal": {"AWS": "210987654321"}, "Action": "kms:CreateGrant"}]}"#;
        assert_eq!(
            missing_share_actions(p, "210987654321").unwrap(),
            ["kms:CreateGrant"]
        );
        let p =
            r#"{"Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "1"}, "Action": "*"}}"#;
        assert_eq!(
            missing_share_actions(p, "210987654321").unwrap(),
            SHARE_ACTIONS
        );
        assert!(missing_share_actions("{", "1").is_err());
        assert!(missing_share_actions("{}", "1").is_err());
    }

    #[test]
    fn action_patterns_match_like_iam() {
        assert!(action_matches("kms:*", "kms:Decrypt"));
        assert!(action_matches("*", "kms:Decrypt"));
        assert!(action_matches("KMS:DECRYPT", "kms:Decrypt"));
        assert!(action_matches("kms:De*pt", "kms:Decrypt"));
        assert!(!action_matches("kms:Decrypt*x", "kms:Decrypt"));
        assert!(!action_matches("s3:*", "kms:Decrypt"));
    }
}
