//! The PII scan: which columns of a dump look like personal data.
//!
//! A [`Scanner`] is a [`RowVisitor`]: it runs on the one masking path (see
//! [`crate::pipeline::visit`]) and looks at up to `sample` rows of each
//! table per chunk, counting per column how many values each detector
//! ([`detect`]) recognises. [`ScanResult::findings`] then combines that with
//! what the column's name says ([`names`]) and its type into
//! [`Finding`]s: a kind, a confidence and the evidence (detector, matched
//! and sampled counts). A finding never holds a value, and nothing here
//! keeps one: only counters (and the range of years seen in date columns).
//!
//! [`suggest`] turns a finding into a rule for `masker check --scaffold`,
//! checked by binding it to the table through the real [`Catalog`]: a
//! suggestion that `mask` would refuse is never made.

pub mod detect;
mod json_paths;
pub mod names;

use serde::Serialize;

use crate::engine::Catalog;
use crate::pipeline::visit::{RowVisitor, VisitedRow};
use crate::rules::{toml_key, RulesBuilder};
use crate::schema::{Column, ColumnType, TableName, TableSchema};

/// A kind of personal data. The order is the priority when a column's name
/// says two things (`ip_address` is an IP address, `email_confirm_token` a secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A password, its hash or salt, a token, an API key.
    Secret,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// An email address.
    Email,
    /// A phone or fax number.
    Phone,
    /// A payment card number.
    CardNumber,
    /// A date of birth.
    BirthDate,
    /// A postal code.
    PostalCode,
    /// A national id, passport or licence number.
    NationalId,
    /// A login or nickname.
    UserName,
    /// A person's name.
    PersonName,
    /// A postal address.
    Address,
}

impl Kind {
    /// Words for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Secret => "secret (password, hash, salt, token)",
            Kind::IpAddress => "IP address",
            Kind::Email => "email address",
            Kind::Phone => "phone number",
            Kind::CardNumber => "card number",
            Kind::BirthDate => "birth date",
            Kind::PostalCode => "postal code",
            Kind::NationalId => "national id",
            Kind::PersonName => "person name",
            Kind::UserName => "user name",
            Kind::Address => "address",
        }
    }
}

/// Why a column was reported: one detector's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// `name` (the column's name) or a value detector (`email`, `phone_in_text`, ...).
    pub detector: &'static str,
    /// For `name`: the dictionary word that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<&'static str>,
    /// Sampled values the detector recognised (value detectors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<u64>,
    /// Non-empty values sampled (value detectors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampled: Option<u64>,
}

/// A column that looks like personal data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `db.table` or `table`.
    pub table: String,
    /// The column.
    pub column: String,
    /// What it looks like.
    pub kind: Kind,
    /// In `0.5..=1`.
    pub confidence: f32,
    /// Why.
    pub evidence: Vec<Evidence>,
    /// For a JSON column: the paths where sampled documents held emails
    /// or phone numbers (`owner.email`, `contacts[].tel`), with the kind.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub json_paths: Vec<(String, Kind)>,
    /// Sampled values held letters or digits outside ASCII (kanji, kana,
    /// full-width digits), which `fpe` keeps: it is then never suggested.
    #[serde(skip)]
    pub other_script: bool,
}

/// A value detector: name, kind, test, share of sampled values that must match.
struct Detector {
    name: &'static str,
    kind: Kind,
    test: fn(&[u8]) -> bool,
    /// Minimum share of non-empty sampled values.
    share: f32,
    /// Column types it applies to.
    applies: fn(&ColumnType) -> bool,
}

fn textual(t: &ColumnType) -> bool {
    matches!(
        t,
        ColumnType::Char { .. } | ColumnType::Text { .. } | ColumnType::Json
    )
}

fn integer(t: &ColumnType) -> bool {
    matches!(
        t,
        ColumnType::Integer { bytes: 8, .. } | ColumnType::Decimal { scale: 0, .. }
    ) || matches!(
        t,
        ColumnType::Integer {
            bytes: 4,
            unsigned: true
        }
    )
}

fn dated(t: &ColumnType) -> bool {
    matches!(t, ColumnType::Date | ColumnType::DateTime) || textual(t)
}

fn has_email(v: &[u8]) -> bool {
    detect::emails_in(v).next().is_some()
}

fn has_phone(v: &[u8]) -> bool {
    detect::phones_in(v).next().is_some()
}

fn ja_address(v: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(v) else {
        return false;
    };
    s.contains(['都', '道', '府', '県']) && s.contains(['市', '区', '町', '村'])
}

const DETECTORS: &[Detector] = &[
    Detector {
        name: "email",
        kind: Kind::Email,
        test: detect::email,
        share: 0.6,
        applies: textual,
    },
    Detector {
        name: "phone",
        kind: Kind::Phone,
        test: detect::phone,
        share: 0.6,
        applies: textual,
    },
    Detector {
        name: "phone_integer",
        kind: Kind::Phone,
        test: detect::phone_integer,
        share: 0.8,
        applies: integer,
    },
    Detector {
        name: "card_number",
        kind: Kind::CardNumber,
        test: detect::card_number,
        share: 0.6,
        applies: |t| textual(t) || integer(t),
    },
    Detector {
        name: "ip_address",
        kind: Kind::IpAddress,
        test: detect::ip_address,
        share: 0.6,
        applies: textual,
    },
    Detector {
        name: "postal_code",
        kind: Kind::PostalCode,
        test: detect::postal_code,
        share: 0.6,
        applies: textual,
    },
    Detector {
        name: "birth_date",
        kind: Kind::BirthDate,
        test: detect::birth_date,
        share: 0.9,
        applies: dated,
    },
    Detector {
        name: "person_name",
        kind: Kind::PersonName,
        test: detect::person_name,
        share: 0.3,
        applies: textual,
    },
    Detector {
        name: "ja_address",
        kind: Kind::Address,
        test: ja_address,
        share: 0.6,
        applies: textual,
    },
    // Inside free text and JSON: a few values are enough (a note that quotes an email).
    Detector {
        name: "email_in_text",
        kind: Kind::Email,
        test: has_email,
        share: 0.02,
        applies: |t| textual(t) || matches!(t, ColumnType::Blob { .. }),
    },
    Detector {
        name: "phone_in_text",
        kind: Kind::Phone,
        test: has_phone,
        share: 0.02,
        applies: |t| textual(t) || matches!(t, ColumnType::Blob { .. }),
    },
];

/// Values at least this long are not sampled by the detectors (a blob).
const MAX_SAMPLED_LEN: usize = 64 << 10;
/// An in-text detector needs at least this many matching values.
const MIN_IN_TEXT: u64 = 2;

/// One column's counters.
#[derive(Debug, Clone, Default)]
struct ColumnStats {
    sampled: u64,
    /// Sampled values holding letters or digits outside ASCII, which `fpe`
    /// would keep ([`crate::transform::holds_other_script`]).
    other_script: u64,
    hits: [u64; DETECTORS.len()],
    year_min: u16,
    year_max: u16,
    /// JSON columns: where emails and phones sat in the documents.
    json_paths: json_paths::PathCounts,
}

/// One table's counters in a part.
#[derive(Debug, Clone)]
struct TableStats {
    name: TableName,
    rows: usize,
    columns: Vec<ColumnStats>,
}

/// What a [`Scanner`] gathers from one chunk (see [`RowVisitor::Part`]).
#[derive(Debug, Default)]
pub struct ScanPart {
    tables: Vec<TableStats>,
}

/// Samples values and counts detector matches. See the module docs.
#[derive(Debug, Clone)]
pub struct Scanner {
    sample: usize,
}

impl Scanner {
    /// A scanner looking at up to `sample` rows of each table (per chunk;
    /// [`ScanResult::merge`] stops adding once a table has `sample` rows).
    pub fn new(sample: usize) -> Self {
        Scanner {
            sample: sample.max(1),
        }
    }
}

impl RowVisitor for Scanner {
    type Part = ScanPart;

    fn row(&self, part: &mut ScanPart, row: &VisitedRow<'_>) {
        let table = row.table();
        let i = match part.tables.iter().rposition(|t| t.name == *table.name()) {
            Some(i) => i,
            None => {
                part.tables.push(TableStats {
                    name: table.name().clone(),
                    rows: 0,
                    columns: vec![ColumnStats::default(); row.len()],
                });
                part.tables.len() - 1
            }
        };
        let stats = &mut part.tables[i];
        if stats.rows >= self.sample || stats.columns.len() != row.len() {
            return;
        }
        stats.rows += 1;
        for (col, column) in table.schema().columns.iter().enumerate() {
            let Some(v) = row.original(col) else { continue };
            if v.is_empty() || v.len() > MAX_SAMPLED_LEN {
                continue;
            }
            let s = &mut stats.columns[col];
            s.sampled += 1;
            s.other_script += u64::from(crate::transform::holds_other_script(v));
            let mut inside = false;
            for (d, det) in DETECTORS.iter().enumerate() {
                if (det.applies)(&column.ty) && (det.test)(v) {
                    s.hits[d] += 1;
                    inside |= det.name.ends_with("_in_text");
                }
            }
            if inside && column.ty == ColumnType::Json {
                json_paths::collect(v, &mut s.json_paths);
            }
            if let Some(y) = detect::date_year(v) {
                s.year_min = if s.year_min == 0 {
                    y
                } else {
                    s.year_min.min(y)
                };
                s.year_max = s.year_max.max(y);
            }
        }
    }
}

/// The merged counters of a scan.
#[derive(Debug, Default)]
pub struct ScanResult {
    sample: usize,
    tables: Vec<TableStats>,
}

impl ScanResult {
    /// An empty result for a scan of `sample` rows per table.
    pub fn new(sample: usize) -> Self {
        ScanResult {
            sample: sample.max(1),
            tables: Vec::new(),
        }
    }

    /// Add a chunk's part (in input order), until a table has `sample` rows.
    pub fn merge(&mut self, part: ScanPart) {
        for t in part.tables {
            match self.tables.iter_mut().find(|m| m.name == t.name) {
                None => self.tables.push(t),
                Some(m) if m.rows >= self.sample || m.columns.len() != t.columns.len() => {}
                Some(m) => {
                    m.rows += t.rows;
                    for (a, b) in m.columns.iter_mut().zip(t.columns) {
                        a.sampled += b.sampled;
                        a.other_script += b.other_script;
                        for (x, y) in a.hits.iter_mut().zip(b.hits) {
                            *x += y;
                        }
                        if b.year_min != 0 {
                            a.year_min = if a.year_min == 0 {
                                b.year_min
                            } else {
                                a.year_min.min(b.year_min)
                            };
                        }
                        a.year_max = a.year_max.max(b.year_max);
                        for (path, n) in b.json_paths {
                            let c = a.json_paths.entry(path).or_default();
                            c[0] += n[0];
                            c[1] += n[1];
                        }
                    }
                }
            }
        }
    }

    /// Rows sampled of `table`.
    pub fn rows(&self, table: &TableName) -> usize {
        self.tables
            .iter()
            .find(|t| t.name == *table)
            .map_or(0, |t| t.rows)
    }

    /// The findings for `schemas` (every table read, rows or not), in schema
    /// order. Generated columns are left out: they cannot be masked (the
    /// engine regenerates them when their table has masked columns).
    pub fn findings(&self, schemas: &[TableSchema]) -> Vec<Finding> {
        let mut out = Vec::new();
        for schema in schemas {
            let stats = self.tables.iter().find(|t| t.name == schema.name);
            for (c, column) in schema.columns.iter().enumerate() {
                if column.generated {
                    continue;
                }
                let s = stats.and_then(|t| t.columns.get(c));
                if let Some(f) = judge(schema, column, s) {
                    out.push(f);
                }
            }
        }
        out
    }
}

/// Can the column hold a value of `kind` at all? (`varchar(2)` holds no email.)
fn fits(kind: Kind, ty: &ColumnType) -> bool {
    let chars = match ty {
        ColumnType::Char { max_chars, .. } => Some(u64::from(*max_chars)),
        ColumnType::Text { max_bytes } | ColumnType::Blob { max_bytes } => Some(*max_bytes),
        ColumnType::Binary { max_bytes, .. } => Some(u64::from(*max_bytes)),
        ColumnType::Json => Some(u64::MAX),
        _ => None,
    };
    match kind {
        Kind::Secret => chars.is_some_and(|n| n >= 4),
        Kind::Email => chars.is_some_and(|n| n >= 6),
        Kind::Phone | Kind::CardNumber | Kind::NationalId => {
            chars.is_some_and(|n| n >= 6) || integer(ty) || matches!(ty, ColumnType::Integer { .. })
        }
        Kind::BirthDate => {
            chars.is_some_and(|n| n >= 8) || matches!(ty, ColumnType::Date | ColumnType::DateTime)
        }
        Kind::IpAddress => {
            chars.is_some_and(|n| n >= 7) || matches!(ty, ColumnType::Integer { bytes: 4.., .. })
        }
        Kind::PostalCode => {
            chars.is_some_and(|n| n >= 5) || matches!(ty, ColumnType::Integer { .. })
        }
        Kind::PersonName | Kind::UserName | Kind::Address => chars.is_some_and(|n| n >= 3),
    }
}

fn judge(schema: &TableSchema, column: &Column, stats: Option<&ColumnStats>) -> Option<Finding> {
    let by_name =
        names::classify(&schema.name.table, &column.name).filter(|(k, _, _)| fits(*k, &column.ty));
    let mut by_values: Option<(Kind, f32, Evidence)> = None;
    if let Some(s) = stats.filter(|s| s.sampled >= 3) {
        for (d, det) in DETECTORS.iter().enumerate() {
            let hits = s.hits[d];
            let share = hits as f32 / s.sampled as f32;
            let in_text = det.name.ends_with("_in_text");
            if hits == 0 || share < det.share || (in_text && hits < MIN_IN_TEXT) {
                continue;
            }
            // Birth dates spread over decades, none recent.
            if det.kind == Kind::BirthDate && s.year_max.saturating_sub(s.year_min) < 20 {
                continue;
            }
            let conf = if in_text {
                0.6
            } else {
                (0.5 + share / 2.0).min(0.95)
            };
            if by_values.as_ref().is_none_or(|b| conf > b.1) {
                by_values = Some((
                    det.kind,
                    conf,
                    Evidence {
                        detector: det.name,
                        word: None,
                        matched: Some(hits),
                        sampled: Some(s.sampled),
                    },
                ));
            }
        }
    }
    let name_evidence = |word| Evidence {
        detector: "name",
        word: Some(word),
        matched: None,
        sampled: None,
    };
    let (kind, confidence, evidence) = match (by_name, by_values) {
        (Some((k, c, w)), Some((vk, vc, e))) if vk == k => {
            (k, 1.0 - (1.0 - c) * (1.0 - vc), vec![name_evidence(w), e])
        }
        // The values say something else: believe a strong name, else the values.
        (Some((k, c, w)), Some((vk, vc, e))) => {
            if c >= 0.8 {
                (k, c, vec![name_evidence(w), e])
            } else {
                (vk, vc, vec![e, name_evidence(w)])
            }
        }
        (Some((k, c, w)), None) => (k, c, vec![name_evidence(w)]),
        (None, Some((vk, vc, e))) => (vk, vc, vec![e]),
        (None, None) => return None,
    };
    // A path counts when it held the kind in at least two sampled documents
    // (or in the only one).
    let json_paths = stats
        .map(|s| {
            let needed = MIN_IN_TEXT.min(s.sampled.max(1));
            s.json_paths
                .iter()
                .filter_map(|(p, n)| {
                    if n[json_paths::EMAIL] >= needed {
                        Some((p.clone(), Kind::Email))
                    } else if n[json_paths::PHONE] >= needed {
                        Some((p.clone(), Kind::Phone))
                    } else {
                        None
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    (confidence >= 0.5).then(|| Finding {
        table: schema.name.to_string(),
        column: column.name.clone(),
        kind,
        confidence: (confidence * 100.0).round() / 100.0,
        evidence,
        json_paths,
        other_script: stats.is_some_and(|s| s.other_script > 0),
    })
}

/// Rules to suggest for a kind, best first (TOML values). Personal data
/// inside free text or JSON is nulled (or hashed when the column is NOT
/// NULL): no transform keeps the rest of such a value.
fn candidates(kind: Kind, column: &Column, in_text: bool) -> Vec<String> {
    if in_text {
        return vec!["\"null\"".to_owned(), "\"hash\"".to_owned()];
    }
    let fake = |k: &str| format!("{{ transform = \"fake\", kind = \"{k}\" }}");
    let words = names::normalise(&column.name);
    let mut c = match kind {
        Kind::Email => vec!["{ transform = \"hash\", format = \"email\" }".to_owned()],
        Kind::Phone | Kind::CardNumber | Kind::NationalId => vec!["\"fpe\"".to_owned()],
        Kind::PersonName if words.contains("first") || words.contains("given") => {
            vec![fake("first_name")]
        }
        Kind::PersonName
            if words.contains("last") || words.contains("family") || words.contains("surname") =>
        {
            vec![fake("last_name")]
        }
        Kind::PersonName => vec![fake("name")],
        Kind::UserName => vec![fake("username")],
        Kind::Address => vec![fake("address")],
        Kind::PostalCode => vec![fake("postal_code"), "\"fpe\"".to_owned()],
        Kind::BirthDate => vec![fake("date")],
        Kind::IpAddress => vec![fake("ipv4")],
        Kind::Secret => vec![],
    };
    c.push("\"hash\"".to_owned());
    c.push("\"fpe\"".to_owned());
    c.push("\"null\"".to_owned());
    c
}

/// The rule to write for a finding's column of `schema`: the first
/// candidate for its kind that binds to the column through the real
/// [`Catalog`] (type, width, uniqueness, NOT NULL), so that `mask` accepts
/// it. `None` when no candidate fits (the column is then left `keep`).
pub fn suggest(schema: &TableSchema, finding: &Finding) -> Option<String> {
    let column = finding.column.as_str();
    let col = schema.columns.iter().find(|c| c.name == column)?;
    let table_key = toml_key(&schema.name.to_string());
    let in_text = finding
        .evidence
        .first()
        .is_some_and(|e| e.detector.ends_with("_in_text"));
    // Inside JSON: mask the fields that hold the data, keep the document.
    let json_rule = (!finding.json_paths.is_empty()).then(|| {
        let paths: Vec<String> = finding
            .json_paths
            .iter()
            .map(|(p, kind)| {
                let rule = match kind {
                    Kind::Email => "{ transform = \"hash\", format = \"email\" }",
                    _ => "\"hash\"",
                };
                format!("{} = {rule}", serde_json::Value::from(p.as_str()))
            })
            .collect();
        format!("{{ json = {{ {} }} }}", paths.join(", "))
    });
    json_rule
        .into_iter()
        .chain(candidates(finding.kind, col, in_text))
        // fpe would keep letters and digits outside ASCII, and refuses them.
        .filter(|spec| !(finding.other_script && spec.as_str() == "\"fpe\""))
        .find(|spec| {
            let text = format!("[tables.{table_key}]\n{} = {spec}\n", toml_key(column));
            let Ok(rules) = RulesBuilder::new()
                .toml(&text, "scaffold suggestion")
                .key(b"scaffold check key")
                .build()
            else {
                return false;
            };
            let mut catalog = Catalog::new(&rules);
            catalog.define(schema.clone(), true).is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::visit::visit_reader;
    use crate::rules::Rules;
    use crate::MaskOptions;

    fn scan(dump: &str) -> Vec<Finding> {
        let mut result = ScanResult::new(1000);
        let v = visit_reader(
            &Rules::empty(),
            dump.as_bytes(),
            &MaskOptions::default(),
            &Scanner::new(1000),
            |p| result.merge(p),
        )
        .unwrap();
        result.findings(&v.schemas)
    }

    /// Issue 13: the scaffold suggests JSON paths when sampled documents
    /// hold emails or phone numbers, and the suggestion binds.
    #[test]
    fn json_documents_give_paths_and_a_json_rule() {
        let mut dump = String::from(
            "CREATE TABLE `p` (`id` int NOT NULL, `profile` json DEFAULT NULL, PRIMARY KEY (`id`));\nINSERT INTO `p` VALUES ",
        );
        for i in 0..6 {
            if i > 0 {
                dump.push(',');
            }
            dump.push_str(&format!(
                "({i},'{{\\\"owner\\\": {{\\\"email\\\": \\\"u{i}@example.com\\\"}}, \\\"contacts\\\": [{{\\\"tel\\\": \\\"090-1234-{i:04}\\\"}}], \\\"theme\\\": \\\"dark\\\"}}')"
            ));
        }
        dump.push_str(";\n");
        let f = scan(&dump);
        let profile = f
            .iter()
            .find(|f| f.column == "profile")
            .expect("profile found");
        assert_eq!(
            profile.json_paths,
            vec![
                ("contacts[].tel".to_owned(), Kind::Phone),
                ("owner.email".to_owned(), Kind::Email)
            ]
        );
        let schema = crate::schema::parse_create_table(
            b"CREATE TABLE `p` (`id` int NOT NULL, `profile` json DEFAULT NULL, PRIMARY KEY (`id`))",
        )
        .unwrap();
        assert_eq!(
            suggest(&schema, profile).as_deref(),
            Some(
                "{ json = { \"contacts[].tel\" = \"hash\", \"owner.email\" = { transform = \"hash\", format = \"email\" } } }"
            )
        );
    }

    fn kinds(f: &[Finding]) -> Vec<(String, Kind)> {
        f.iter().map(|f| (f.column.clone(), f.kind)).collect()
    }

    #[test]
    fn innocent_names_with_personal_values_are_found() {
        let mut dump = String::from(
            "CREATE TABLE `t` (`id` bigint, `note` text, `extra` json, `contact` varchar(64), `tel2` bigint, `ts` bigint, `flag` varchar(2));\nINSERT INTO `t` VALUES ",
        );
        for i in 0..20 {
            if i > 0 {
                dump.push(',');
            }
            dump.push_str(&format!(
                "({i},'please mail u{i}@example.com today','{{\"phone\":\"090-1234-{:04}\"}}','Mary Smith',90{:08},17000000{:05},'Y')",
                i, i, i
            ));
        }
        dump.push_str(";\n");
        let got = kinds(&scan(&dump));
        assert_eq!(
            got,
            vec![
                ("note".to_owned(), Kind::Email),
                ("extra".to_owned(), Kind::Phone),
                ("contact".to_owned(), Kind::PersonName),
                ("tel2".to_owned(), Kind::Phone),
            ]
        );
    }

    #[test]
    fn findings_never_hold_values() {
        let dump = "CREATE TABLE `u` (`email` varchar(64));\nINSERT INTO `u` VALUES ('secret.person@example.com'),('b@example.com'),('c@example.com');\n";
        let f = scan(dump);
        assert_eq!(f.len(), 1);
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains("secret.person"), "{json}");
        assert!(json.contains("\"matched\":3"), "{json}");
    }

    /// QA finding: `fpe` keeps characters outside ASCII, so a phone column
    /// written in full-width digits (or a name column in kanji) must never
    /// be scaffolded as `fpe`, which `mask` refuses for such values.
    #[test]
    fn fpe_is_not_suggested_for_values_outside_ascii() {
        let rows = |v: &str| {
            (0..5)
                .map(|i| format!("({i},'{v}')"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let dump = |v: &str| {
            format!(
                "CREATE TABLE `c` (`id` int NOT NULL, `tel` varchar(64) DEFAULT NULL, PRIMARY KEY (`id`));\nINSERT INTO `c` VALUES {};\n",
                rows(v)
            )
        };
        let schema = crate::schema::parse_create_table(
            b"CREATE TABLE `c` (`id` int NOT NULL, `tel` varchar(64) DEFAULT NULL, PRIMARY KEY (`id`))",
        )
        .unwrap();
        let suggestion = |values: &str| {
            let findings = scan(&dump(values));
            let f = findings
                .iter()
                .find(|f| f.column == "tel")
                .expect("tel found");
            suggest(&schema, f)
        };
        assert_eq!(suggestion("090-1234-5678").as_deref(), Some("\"fpe\""));
        let wide = suggestion("０９０－１２３４－５６７８");
        assert!(
            wide.is_some() && wide.as_deref() != Some("\"fpe\""),
            "{wide:?}"
        );
    }

    #[test]
    fn suggestions_bind_to_the_column() {
        let schema = crate::schema::parse_create_table(
            b"CREATE TABLE `u` (`email` varchar(255) NOT NULL, `flag` varchar(2), `code` varchar(4), PRIMARY KEY (`email`))",
        )
        .unwrap();
        let finding = |column: &str, detector| Finding {
            table: "u".into(),
            column: column.into(),
            kind: Kind::Email,
            confidence: 0.9,
            evidence: vec![Evidence {
                detector,
                word: None,
                matched: Some(3),
                sampled: Some(3),
            }],
            json_paths: vec![],
            other_script: false,
        };
        // A unique email (the primary key): hash keeps it distinct.
        assert_eq!(
            suggest(&schema, &finding("email", "email")).as_deref(),
            Some("{ transform = \"hash\", format = \"email\" }")
        );
        // A hashed email cannot fit two characters: the next candidate that binds.
        let s = suggest(&schema, &finding("flag", "email")).unwrap();
        assert!(!s.contains("email"), "{s}");
        // Emails inside text: the value is nulled.
        assert_eq!(
            suggest(&schema, &finding("code", "email_in_text")).as_deref(),
            Some("\"null\"")
        );
        assert!(suggest(&schema, &finding("nope", "email")).is_none());
    }
}
