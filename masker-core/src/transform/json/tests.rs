//! Tests of the JSON path masker: what is replaced, what stays byte for
//! byte, what is refused; property tests against serde_json as the oracle.

use std::sync::Arc;

use super::*;

/// Upper-cases ASCII (a visible stand-in for a masking transform).
#[derive(Debug)]
struct Upper;
impl Transform for Upper {
    fn apply(&self, input: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        match input {
            None => Ok(Cell::Null),
            Some(v) => {
                out.extend(v.to_ascii_uppercase());
                Ok(Cell::Value)
            }
        }
    }
    fn describe(&self) -> String {
        "upper".into()
    }
}

/// Writes a fixed output whatever the input.
#[derive(Debug)]
struct Fixed(&'static str);
impl Transform for Fixed {
    fn apply(&self, _: Option<&[u8]>, out: &mut Vec<u8>) -> Result<Cell, MaskError> {
        out.extend_from_slice(self.0.as_bytes());
        Ok(Cell::Value)
    }
    fn describe(&self) -> String {
        "fixed".into()
    }
}

/// Always NULL.
#[derive(Debug)]
struct Nul;
impl Transform for Nul {
    fn apply(&self, _: Option<&[u8]>, _: &mut Vec<u8>) -> Result<Cell, MaskError> {
        Ok(Cell::Null)
    }
    fn describe(&self) -> String {
        "null".into()
    }
}

fn rule(path: &str, t: Option<Arc<dyn Transform>>, whole: bool) -> PathRule {
    PathRule {
        path: JsonPath::parse(path).unwrap(),
        transform: t,
        replaces_containers: whole,
    }
}

fn json(rules: Vec<PathRule>) -> JsonTransform {
    JsonTransform::with_fit(rules, None)
}

fn mask(t: &JsonTransform, doc: &str) -> Result<String, String> {
    let mut out = b"before".to_vec();
    t.apply(Some(doc.as_bytes()), &mut out).map_err(|e| e.0)?;
    assert!(out.starts_with(b"before"), "appends to the buffer");
    let s = String::from_utf8(out[6..].to_vec()).unwrap();
    serde_json::from_str::<serde_json::Value>(&s).expect("masked output is valid JSON");
    Ok(s)
}

fn upper(path: &str) -> PathRule {
    rule(path, Some(Arc::new(Upper)), false)
}

#[test]
fn masks_only_the_named_paths_and_keeps_every_other_byte() {
    let t = json(vec![
        upper("owner.email"),
        rule("tags[]", Some(Arc::new(Nul)), true),
        upper("contacts[].phone"),
    ]);
    let doc = "{ \"owner\" : {\"email\":\"a@x.com\", \"name\":\"Ann\"},\n\t\"tags\":[\"x\", 1,{\"k\":2}],\
               \"contacts\":[{\"phone\":\"abc\",\"note\":\"\\u00e9\"},{\"phone\":\"de\"}], \"email\":\"z\" }";
    let want = "{ \"owner\" : {\"email\":\"A@X.COM\", \"name\":\"Ann\"},\n\t\"tags\":[null, null,null],\
                \"contacts\":[{\"phone\":\"ABC\",\"note\":\"\\u00e9\"},{\"phone\":\"DE\"}], \"email\":\"z\" }";
    assert_eq!(mask(&t, doc).unwrap(), want);
    // A document without the paths is unchanged.
    assert_eq!(
        mask(&t, " [1, {\"a\" : \"b\"}] ").unwrap(),
        " [1, {\"a\" : \"b\"}] "
    );
    let mut out = Vec::new();
    assert_eq!(t.apply(None, &mut out).unwrap(), Cell::Null);
}

#[test]
fn masked_strings_are_unescaped_in_and_escaped_out() {
    let t = json(vec![upper("a")]);
    assert_eq!(
        mask(&t, r#"{"a":"q\"\\\n\u00e9\ud83d\ude00"}"#).unwrap(),
        "{\"a\":\"Q\\\"\\\\\\né😀\"}"
    );
    // Escaped member names match by their unescaped text.
    assert_eq!(mask(&t, r#"{"\u0061":"x"}"#).unwrap(), r#"{"\u0061":"X"}"#);
    // A transform writing controls and quotes is escaped.
    let t = json(vec![rule("a", Some(Arc::new(Fixed("\"\u{1}\t"))), false)]);
    assert_eq!(mask(&t, r#"{"a":"x"}"#).unwrap(), r#"{"a":"\"\u0001\t"}"#);
}

#[test]
fn numbers_booleans_and_null_follow_the_documented_policy() {
    let num = json(vec![rule("*", Some(Arc::new(Fixed("42"))), false)]);
    assert_eq!(
        mask(&num, r#"{"n":1.5,"s":"x","b":true,"z":null}"#).unwrap(),
        r#"{"n":42,"s":"42","b":42,"z":42}"#
    );
    let hex = json(vec![rule("*", Some(Arc::new(Fixed("ab12"))), false)]);
    assert_eq!(
        mask(&hex, r#"{"n":1.5,"b":false}"#).unwrap(),
        r#"{"n":"ab12","b":"ab12"}"#
    );
    // NULL out writes null; null in gives the transform NULL.
    let t = json(vec![upper("*")]);
    assert_eq!(
        mask(&t, r#"{"z":null,"n":7}"#).unwrap(),
        r#"{"z":null,"n":7}"#
    );
    let t = json(vec![rule("*", Some(Arc::new(Nul)), true)]);
    assert_eq!(
        mask(&t, r#"{"s":"x","n":7}"#).unwrap(),
        r#"{"s":null,"n":null}"#
    );
}

#[test]
fn containers_are_replaced_whole_or_refused() {
    let t = json(vec![rule("a", Some(Arc::new(Nul)), true), upper("a.b")]);
    assert_eq!(
        mask(&t, r#"{"a":{"b":"x","c":[1,{"d":2}]},"e":1}"#).unwrap(),
        r#"{"a":null,"e":1}"#
    );
    let t = json(vec![rule("a", Some(Arc::new(Fixed("gone"))), true)]);
    assert_eq!(mask(&t, r#"{"a":[1,2]}"#).unwrap(), r#"{"a":"gone"}"#);
    let t = json(vec![upper("a")]);
    let e = mask(&t, r#"{"a":{"secret":"value"}}"#).unwrap_err();
    assert!(e.contains("JSON path a matched an object"), "{e}");
    assert!(!e.contains("secret") && !e.contains("value"), "{e}");
    let e = mask(&t, r#"{"a":["x"]}"#).unwrap_err();
    assert!(e.contains("matched an array") && e.contains("a[]"), "{e}");
    // keep is no rule: rules below it apply.
    let t = json(vec![rule("a", None, false), upper("a.b")]);
    assert_eq!(
        mask(&t, r#"{"a":{"b":"x"}}"#).unwrap(),
        r#"{"a":{"b":"X"}}"#
    );
}

#[test]
fn specific_paths_win_over_wildcards() {
    let t = json(vec![
        rule("a.*", Some(Arc::new(Fixed("w"))), false),
        upper("a.b"),
        rule("l[1]", Some(Arc::new(Fixed("one"))), false),
        rule("l[]", Some(Arc::new(Fixed("any"))), false),
    ]);
    assert_eq!(
        mask(&t, r#"{"a":{"b":"x","c":"y"},"l":["p","q","r"]}"#).unwrap(),
        r#"{"a":{"b":"X","c":"w"},"l":["any","one","any"]}"#
    );
    // Wildcard paths reach under names that other paths also name.
    let t = json(vec![upper("a.*.c"), rule("a.b.d", None, false)]);
    assert_eq!(
        mask(&t, r#"{"a":{"b":{"c":"x","d":"y"}}}"#).unwrap(),
        r#"{"a":{"b":{"c":"X","d":"y"}}}"#
    );
}

#[test]
fn invalid_documents_are_errors_without_their_text() {
    let t = json(vec![upper("a")]);
    for bad in [
        "",
        "   ",
        "{",
        "{\"a\":\"secret\"",
        "{\"a\" \"secret\"}",
        "{\"a\":\"secret\",}",
        "[1,]",
        "[1 2]",
        "{'a':1}",
        "{a:1}",
        "01",
        "1.",
        "tru",
        "nul",
        "\"secret",
        "\"sec\nret\"",
        "\"\\x\"",
        "\"\\ud800\"",
        "{\"a\":1} x",
        "{\"a\":1}}",
        "]",
        "NaN",
        "\u{feff}{}",
    ] {
        let e = mask(&t, bad).expect_err(bad);
        assert!(e.starts_with("invalid JSON at byte "), "{bad:?}: {e}");
        assert!(!e.contains("secret"), "{e}");
    }
    let mut out = Vec::new();
    let e = t.apply(Some(b"{\"a\":\"\xff\"}"), &mut out).unwrap_err();
    assert!(e.0.contains("UTF-8"), "{e}");
}

#[test]
fn transform_errors_name_the_path() {
    #[derive(Debug)]
    struct Fails;
    impl Transform for Fails {
        fn apply(&self, _: Option<&[u8]>, _: &mut Vec<u8>) -> Result<Cell, MaskError> {
            Err(MaskError("not a date".into()))
        }
        fn describe(&self) -> String {
            "fails".into()
        }
    }
    let t = json(vec![rule("born", Some(Arc::new(Fails)), false)]);
    let e = mask(&t, r#"{"born":"x"}"#).unwrap_err();
    assert_eq!(e, "JSON path born: not a date");
    let bin = json(vec![rule("a", Some(Arc::new(Fixed("\u{0}"))), false)]);
    assert!(mask(&bin, r#"{"a":"x"}"#).is_ok());
}

#[test]
fn deep_nesting_uses_no_recursion() {
    let depth = 200_000;
    let doc = format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let t = json(vec![rule("[]", None, false), rule("[][]", None, false)]);
    let mut out = Vec::new();
    t.apply(Some(doc.as_bytes()), &mut out).unwrap();
    assert_eq!(out, doc.as_bytes());
    let t = json(vec![upper("[][]")]);
    let mut out = Vec::new();
    t.apply(Some(b"[[\"a\"],[\"b\"],[], \"c\"]"), &mut out)
        .unwrap();
    assert_eq!(out, b"[[\"A\"],[\"B\"],[], \"c\"]");
    assert!(validate(&doc.as_bytes()[..doc.len() - 1]).is_err());
}

#[test]
fn describe_lists_each_path() {
    let t = json(vec![upper("owner.email"), rule("tags[]", None, false)]);
    assert_eq!(
        t.describe(),
        "json { owner.email -> upper; tags[] -> keep }"
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn ws() -> impl Strategy<Value = String> {
        "[ \t\n\r]{0,2}"
    }

    /// One piece of a string body: a plain character or an escape.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[^\"\\\\\\x00-\\x1f]",
            1 => prop_oneof![
                Just("\\\"".to_owned()),
                Just("\\\\".to_owned()),
                Just("\\/".to_owned()),
                Just("\\b".to_owned()),
                Just("\\n".to_owned()),
                Just("\\t".to_owned()),
                Just("\\u00e9".to_owned()),
                Just("\\u0000".to_owned()),
                Just("\\uD83D\\uDE00".to_owned()),
                "\\\\u[0-7][0-9a-fA-F]{3}",
            ],
        ]
    }

    fn string() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..6).prop_map(|p| format!("\"{}\"", p.concat()))
    }

    fn number() -> impl Strategy<Value = String> {
        "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?"
    }

    fn member_name() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::sample::select(vec!["a", "b", "email", "tags", "名前"])
                .prop_map(|s| format!("\"{s}\"")),
            1 => string(),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            3 => string(),
            2 => number(),
            1 => prop::sample::select(vec!["true", "false", "null"]).prop_map(str::to_owned),
        ];
        leaf.prop_recursive(10, 80, 5, |inner| {
            prop_oneof![
                prop::collection::vec((ws(), inner.clone(), ws()), 0..5).prop_map(|items| {
                    let body: Vec<String> = items
                        .into_iter()
                        .map(|(a, v, b)| format!("{a}{v}{b}"))
                        .collect();
                    format!("[{}]", body.join(","))
                }),
                prop::collection::vec((ws(), member_name(), ws(), ws(), inner, ws()), 0..5)
                    .prop_map(|items| {
                        let body: Vec<String> = items
                            .into_iter()
                            .map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"))
                            .collect();
                        format!("{{{}}}", body.join(","))
                    }),
            ]
        })
    }

    fn document() -> impl Strategy<Value = String> {
        (ws(), value(), ws()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
    }

    fn keep_rules() -> JsonTransform {
        json(
            [
                "a", "*", "[]", "a.b", "email", "tags[]", "*.*", "[][]", "名前", "a[0]",
            ]
            .iter()
            .map(|p| rule(p, None, false))
            .collect(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// JSON masking with `keep` rules is the identity, byte for byte.
        #[test]
        fn keep_is_the_identity(doc in document()) {
            let mut out = Vec::new();
            prop_assert_eq!(keep_rules().apply(Some(doc.as_bytes()), &mut out).unwrap(), Cell::Value);
            prop_assert_eq!(out, doc.as_bytes());
        }

        /// Masking output is valid JSON, and the same document with the
        /// masked members put back parses to the same value.
        #[test]
        fn masked_output_is_valid_and_touches_only_matches(doc in document()) {
            let t = json(vec![upper("*"), upper("[]"), upper("*.email")]);
            let mut out = Vec::new();
            if let Err(e) = t.apply(Some(doc.as_bytes()), &mut out) {
                // Only a container at a matched path may be refused.
                prop_assert!(e.0.contains("matched an"), "{}", e.0);
            } else {
                let masked: serde_json::Value = serde_json::from_slice(&out).unwrap();
                let orig: serde_json::Value = serde_json::from_str(&doc).unwrap();
                fn up(v: &serde_json::Value) -> serde_json::Value {
                    match v {
                        serde_json::Value::String(s) => serde_json::Value::String(s.to_ascii_uppercase()),
                        serde_json::Value::Bool(b) => serde_json::Value::String(b.to_string().to_ascii_uppercase()),
                        other => other.clone(),
                    }
                }
                match (&orig, &masked) {
                    (serde_json::Value::Array(a), serde_json::Value::Array(m)) => {
                        prop_assert_eq!(a.len(), m.len());
                    }
                    (serde_json::Value::Object(a), serde_json::Value::Object(m)) => {
                        prop_assert_eq!(a.len(), m.len());
                        for (k, v) in a {
                            if !v.is_object() && !v.is_array() && !v.is_number() {
                                prop_assert_eq!(&m[k], &up(v));
                            }
                        }
                    }
                    (a, m) => prop_assert_eq!(a, m, "a scalar root is matched by no path"),
                }
            }
        }

        /// The strict reader accepts exactly what serde_json accepts, on
        /// documents and on documents with a byte changed or cut.
        #[test]
        fn reader_agrees_with_serde_json(doc in document(), at in any::<prop::sample::Index>(), b in any::<u8>(), cut in any::<bool>()) {
            let mut bytes = doc.into_bytes();
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                if cut { bytes.truncate(i) } else { bytes[i] = b }
            }
            let ours = validate(&bytes).is_ok();
            // serde_json refuses numbers beyond f64 when it builds a Value
            // (JSON has no such limit) and skips escapes unchecked when it
            // ignores a value: each way checks what the other does not.
            let theirs = match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(_) => true,
                Err(e) if e.to_string().starts_with("number out of range") => {
                    serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok()
                }
                Err(_) => false,
            };
            prop_assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(&bytes));
        }
    }
}
