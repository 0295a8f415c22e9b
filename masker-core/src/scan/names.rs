//! Column names that say what a column holds: dictionaries in English,
//! Japanese and other languages, matched with aho-corasick on the
//! normalised name (`homeTel1` -> `home_tel1`), and the context that
//! decides whether a bare `name` is a person's (the table) or not (a
//! product or menu table), and whether a name describes the data or only
//! something about it (`email_accept`, `mail_sent_at`).
//!
//! It sees names and types only, never values.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::Kind;

/// How a dictionary word must sit in the column name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Anywhere (long or non-ASCII words: `email`, `電話`).
    Anywhere,
    /// A whole word between `_`, digits or the ends (`tel`, `ip`, `zip`).
    Word,
}

/// What a dictionary word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    Is(Kind),
    /// A word for "name": a person's only in a people context.
    GenericName,
}

use Fit::{Anywhere, Word};
use Meaning::{GenericName, Is};

const DICTIONARY: &[(&str, Fit, Meaning)] = &[
    // Secrets: passwords, their hashes, salts, tokens.
    ("password", Anywhere, Is(Kind::Secret)),
    ("passwd", Anywhere, Is(Kind::Secret)),
    ("pwd", Word, Is(Kind::Secret)),
    ("pass", Word, Is(Kind::Secret)),
    ("passcode", Anywhere, Is(Kind::Secret)),
    ("secret", Anywhere, Is(Kind::Secret)),
    ("token", Anywhere, Is(Kind::Secret)),
    ("salt", Word, Is(Kind::Secret)),
    ("hash", Word, Is(Kind::Secret)),
    ("api_key", Anywhere, Is(Kind::Secret)),
    ("apikey", Anywhere, Is(Kind::Secret)),
    ("contrasena", Anywhere, Is(Kind::Secret)),
    ("senha", Anywhere, Is(Kind::Secret)),
    ("パスワード", Anywhere, Is(Kind::Secret)),
    ("暗証", Anywhere, Is(Kind::Secret)),
    // Email.
    ("email", Anywhere, Is(Kind::Email)),
    ("e_mail", Anywhere, Is(Kind::Email)),
    ("mail", Word, Is(Kind::Email)),
    ("mailaddress", Anywhere, Is(Kind::Email)),
    ("mail_address", Anywhere, Is(Kind::Email)),
    ("correo", Anywhere, Is(Kind::Email)),
    ("courriel", Anywhere, Is(Kind::Email)),
    ("メール", Anywhere, Is(Kind::Email)),
    ("メアド", Anywhere, Is(Kind::Email)),
    // Phone.
    ("phone", Anywhere, Is(Kind::Phone)),
    ("tel", Word, Is(Kind::Phone)),
    ("telephone", Anywhere, Is(Kind::Phone)),
    ("mobile", Anywhere, Is(Kind::Phone)),
    ("cell", Word, Is(Kind::Phone)),
    ("fax", Word, Is(Kind::Phone)),
    ("telefono", Anywhere, Is(Kind::Phone)),
    ("telefone", Anywhere, Is(Kind::Phone)),
    ("telefon", Anywhere, Is(Kind::Phone)),
    ("celular", Anywhere, Is(Kind::Phone)),
    ("movil", Anywhere, Is(Kind::Phone)),
    ("handy", Word, Is(Kind::Phone)),
    ("電話", Anywhere, Is(Kind::Phone)),
    ("携帯", Anywhere, Is(Kind::Phone)),
    ("ｔｅｌ", Anywhere, Is(Kind::Phone)),
    // Person names.
    ("first_name", Anywhere, Is(Kind::PersonName)),
    ("last_name", Anywhere, Is(Kind::PersonName)),
    ("full_name", Anywhere, Is(Kind::PersonName)),
    ("family_name", Anywhere, Is(Kind::PersonName)),
    ("given_name", Anywhere, Is(Kind::PersonName)),
    ("middle_name", Anywhere, Is(Kind::PersonName)),
    ("firstname", Anywhere, Is(Kind::PersonName)),
    ("lastname", Anywhere, Is(Kind::PersonName)),
    ("fullname", Anywhere, Is(Kind::PersonName)),
    ("surname", Anywhere, Is(Kind::PersonName)),
    ("apellido", Anywhere, Is(Kind::PersonName)),
    ("cognome", Anywhere, Is(Kind::PersonName)),
    ("sobrenome", Anywhere, Is(Kind::PersonName)),
    ("vorname", Anywhere, Is(Kind::PersonName)),
    ("nachname", Anywhere, Is(Kind::PersonName)),
    ("prenom", Anywhere, Is(Kind::PersonName)),
    ("prénom", Anywhere, Is(Kind::PersonName)),
    ("nazwisko", Anywhere, Is(Kind::PersonName)),
    ("imie", Word, Is(Kind::PersonName)),
    ("kana", Anywhere, Is(Kind::PersonName)),
    ("furigana", Anywhere, Is(Kind::PersonName)),
    ("shimei", Anywhere, Is(Kind::PersonName)),
    ("氏名", Anywhere, Is(Kind::PersonName)),
    ("名前", Anywhere, Is(Kind::PersonName)),
    ("姓名", Anywhere, Is(Kind::PersonName)),
    ("名字", Anywhere, Is(Kind::PersonName)),
    ("フリガナ", Anywhere, Is(Kind::PersonName)),
    ("ふりがな", Anywhere, Is(Kind::PersonName)),
    ("カナ", Anywhere, Is(Kind::PersonName)),
    ("이름", Anywhere, Is(Kind::PersonName)),
    ("성명", Anywhere, Is(Kind::PersonName)),
    ("имя", Anywhere, Is(Kind::PersonName)),
    ("фамилия", Anywhere, Is(Kind::PersonName)),
    ("name", Word, GenericName),
    ("names", Word, GenericName),
    ("nombre", Word, GenericName),
    ("nome", Word, GenericName),
    ("nama", Word, GenericName),
    ("naam", Word, GenericName),
    ("nom", Word, GenericName),
    // User names.
    ("username", Anywhere, Is(Kind::UserName)),
    ("user_name", Anywhere, Is(Kind::UserName)),
    ("login", Word, Is(Kind::UserName)),
    ("login_id", Anywhere, Is(Kind::UserName)),
    ("login_name", Anywhere, Is(Kind::UserName)),
    ("nickname", Anywhere, Is(Kind::UserName)),
    ("nick_name", Anywhere, Is(Kind::UserName)),
    ("screen_name", Anywhere, Is(Kind::UserName)),
    ("ニックネーム", Anywhere, Is(Kind::UserName)),
    // Addresses.
    ("address", Anywhere, Is(Kind::Address)),
    ("addr", Word, Is(Kind::Address)),
    ("street", Anywhere, Is(Kind::Address)),
    ("direccion", Anywhere, Is(Kind::Address)),
    ("dirección", Anywhere, Is(Kind::Address)),
    ("endereco", Anywhere, Is(Kind::Address)),
    ("endereço", Anywhere, Is(Kind::Address)),
    ("indirizzo", Anywhere, Is(Kind::Address)),
    ("adresse", Anywhere, Is(Kind::Address)),
    ("alamat", Anywhere, Is(Kind::Address)),
    ("住所", Anywhere, Is(Kind::Address)),
    ("所在地", Anywhere, Is(Kind::Address)),
    ("番地", Anywhere, Is(Kind::Address)),
    // Postal codes.
    ("zip", Word, Is(Kind::PostalCode)),
    ("zipcode", Anywhere, Is(Kind::PostalCode)),
    ("postal", Anywhere, Is(Kind::PostalCode)),
    ("postcode", Anywhere, Is(Kind::PostalCode)),
    ("post_code", Anywhere, Is(Kind::PostalCode)),
    ("cep", Word, Is(Kind::PostalCode)),
    ("plz", Word, Is(Kind::PostalCode)),
    ("codigo_postal", Anywhere, Is(Kind::PostalCode)),
    ("郵便", Anywhere, Is(Kind::PostalCode)),
    ("〒", Anywhere, Is(Kind::PostalCode)),
    // Birth dates.
    ("birth", Anywhere, Is(Kind::BirthDate)),
    ("dob", Word, Is(Kind::BirthDate)),
    ("nacimiento", Anywhere, Is(Kind::BirthDate)),
    ("nascimento", Anywhere, Is(Kind::BirthDate)),
    ("geburt", Anywhere, Is(Kind::BirthDate)),
    ("生年月日", Anywhere, Is(Kind::BirthDate)),
    ("誕生日", Anywhere, Is(Kind::BirthDate)),
    // Cards.
    ("card", Word, Is(Kind::CardNumber)),
    ("cardnumber", Anywhere, Is(Kind::CardNumber)),
    ("credit_card", Anywhere, Is(Kind::CardNumber)),
    ("creditcard", Anywhere, Is(Kind::CardNumber)),
    ("cc_number", Anywhere, Is(Kind::CardNumber)),
    ("クレジット", Anywhere, Is(Kind::CardNumber)),
    // IP addresses.
    ("ip", Word, Is(Kind::IpAddress)),
    ("ipaddress", Anywhere, Is(Kind::IpAddress)),
    ("ip_addr", Anywhere, Is(Kind::IpAddress)),
    ("remote_addr", Anywhere, Is(Kind::IpAddress)),
    // National ids.
    ("ssn", Word, Is(Kind::NationalId)),
    ("passport", Anywhere, Is(Kind::NationalId)),
    ("my_number", Anywhere, Is(Kind::NationalId)),
    ("mynumber", Anywhere, Is(Kind::NationalId)),
    ("national_id", Anywhere, Is(Kind::NationalId)),
    ("tax_id", Anywhere, Is(Kind::NationalId)),
    ("dni", Word, Is(Kind::NationalId)),
    ("cpf", Word, Is(Kind::NationalId)),
    ("マイナンバー", Anywhere, Is(Kind::NationalId)),
    ("免許", Anywhere, Is(Kind::NationalId)),
];

/// Last (or first) words that make a column a fact *about* the data, not
/// the data: `email_accept`, `mail_sent_at`, `is_phone_verified`, `tel_type`.
const ABOUT: &[&str] = &[
    "flag",
    "flg",
    "accept",
    "accepted",
    "agree",
    "agreed",
    "allow",
    "allowed",
    "enabled",
    "enable",
    "disabled",
    "verified",
    "confirmed",
    "status",
    "type",
    "kind",
    "count",
    "cnt",
    "at",
    "sent",
    "optin",
    "opt",
    "subscribed",
    "valid",
    "format",
    "template",
    "changed",
    "updated",
    "created",
    "error",
    "errors",
    "length",
    "len",
    "visible",
    "public",
    "permission",
    "setting",
    "settings",
    "pref",
    "preference",
    "lang",
    "locale",
    "label",
    "title",
    "subject",
    "server",
    "host",
    "port",
    "queue",
    "is",
    "has",
    "can",
    "use",
    "send",
    "need",
    "show",
    "hide",
    "notify",
    "notification",
    "bounce",
    "bounced",
    "receive",
    "magazine",
    "newsletter",
    "domain",
    "policy",
    "limit",
    "expires",
    "expired",
    "expire",
    "ttl",
    "version",
];

/// Words in a table's name (or before `name` in a column's) that mean people.
const PEOPLE: &[&str] = &[
    "user",
    "users",
    "member",
    "members",
    "customer",
    "customers",
    "client",
    "clients",
    "employee",
    "employees",
    "staff",
    "person",
    "persons",
    "people",
    "account",
    "accounts",
    "contact",
    "contacts",
    "patient",
    "patients",
    "student",
    "students",
    "teacher",
    "teachers",
    "admin",
    "admins",
    "guest",
    "guests",
    "owner",
    "owners",
    "applicant",
    "applicants",
    "driver",
    "drivers",
    "profile",
    "profiles",
    "subscriber",
    "subscribers",
    "recipient",
    "recipients",
    "sender",
    "senders",
    "receiver",
    "buyer",
    "buyers",
    "author",
    "authors",
    "family",
    "given",
    "real",
    "display",
    "usuario",
    "usuarios",
    "cliente",
    "clientes",
    "alumno",
    "alumnos",
    "aluno",
    "alunos",
    "empleado",
    "empleados",
    "paciente",
    "pacientes",
    "persona",
    "personas",
    "pessoa",
    "pessoas",
    "utente",
    "utenti",
    "pelanggan",
    "pengguna",
    "kunde",
    "kunden",
    "mitglied",
    "会員",
    "顧客",
    "ユーザ",
    "ユーザー",
    "社員",
    "従業員",
    "利用者",
    "患者",
    "生徒",
    "担当者",
];

/// Words that make a `name` a thing's, not a person's.
const THINGS: &[&str] = &[
    "product",
    "products",
    "item",
    "items",
    "menu",
    "menus",
    "category",
    "categories",
    "file",
    "filename",
    "shop",
    "store",
    "company",
    "brand",
    "tag",
    "tags",
    "city",
    "country",
    "role",
    "roles",
    "group",
    "groups",
    "plan",
    "plans",
    "service",
    "services",
    "course",
    "courses",
    "event",
    "events",
    "project",
    "projects",
    "table",
    "host",
    "domain",
    "app",
    "page",
    "site",
    "producto",
    "productos",
    "produto",
    "produtos",
    "prodotto",
    "produk",
    "barang",
    "tienda",
    "empresa",
    "marca",
    "categoria",
    "blob",
    "blobs",
    "setting",
    "settings",
    "option",
    "options",
    "商品",
    "メニュー",
    "カテゴリ",
    "店舗",
];

fn dictionary() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(DICTIONARY.iter().map(|d| d.0))
            .expect("static patterns")
    })
}

/// `homeTel1` -> `home_tel1`, `E-Mail` -> `e_mail`: ASCII lower case,
/// camel-case humps and `-`/space/`.` as `_`.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if matches!(c, '-' | ' ' | '.') {
            out.push('_');
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// The words of a normalised name (split at `_` and digits).
fn words(n: &str) -> Vec<&str> {
    n.split(|c: char| c == '_' || c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .collect()
}

/// What a column's name says it holds, with a confidence in `0..=1` and the
/// dictionary word that matched; `None` when the name says nothing (or only
/// something about personal data: a flag, a date, a count).
pub fn classify(table: &str, column: &str) -> Option<(Kind, f32, &'static str)> {
    let n = normalise(column);
    let boundary = |i: usize| {
        i == 0 || i >= n.len() || {
            let b = n.as_bytes()[i - 1];
            let a = n.as_bytes()[i];
            b == b'_' || a == b'_' || b.is_ascii_digit() || a.is_ascii_digit()
        }
    };
    let mut best: Option<(Kind, f32, &'static str)> = None;
    for m in dictionary().find_iter(&n) {
        let (word, fit, meaning) = DICTIONARY[m.pattern().as_usize()];
        if fit == Word && !(boundary(m.start()) && boundary(m.end())) {
            continue;
        }
        let found = match meaning {
            Is(kind) => Some((kind, 0.9, word)),
            GenericName => {
                person_name_context(table, &n, m.start()).map(|c| (Kind::PersonName, c, word))
            }
        };
        if let Some(f) = found {
            if best.is_none_or(|b| f.0 < b.0) {
                best = Some(f);
            }
        }
    }
    let (kind, conf, word) = best?;
    // A secret stays a secret (`email_confirm_token`); other kinds described
    // by a flag, a date or a count are not the data itself.
    let w = words(&n);
    let about = |x: &&str| ABOUT.contains(x);
    let described = w.last().is_some_and(about) || (w.len() > 1 && w.first().is_some_and(about));
    if kind != Kind::Secret && described && !(kind == Kind::BirthDate && w.contains(&"date")) {
        return None;
    }
    Some((kind, conf, word))
}

/// The confidence that a generic `name` word at `at` in normalised column
/// `n` of `table` is a person's name: from the word before it in the column
/// (`customer_name`, `product_name`) or the table's name (`users.name`,
/// `menus.name`). `None` when it is a thing's name.
fn person_name_context(table: &str, n: &str, at: usize) -> Option<f32> {
    let before = words(&n[..at]);
    if let Some(w) = before.last() {
        if PEOPLE.contains(w) {
            return Some(0.85);
        }
        if THINGS.contains(w) {
            return None;
        }
        // Another qualifier (`shop_name`, `item_name`...): not a person's
        // unless the table says so.
    }
    let t = normalise(table);
    let tw = words(&t);
    let people = tw.iter().any(|w| PEOPLE.contains(w))
        || PEOPLE.iter().any(|p| !p.is_ascii() && t.contains(p));
    let things = tw.iter().any(|w| THINGS.contains(w))
        || THINGS.iter().any(|p| !p.is_ascii() && t.contains(p));
    match (people, things, before.is_empty()) {
        (true, false, _) => Some(0.75),
        (_, true, _) => None,
        // `name` in a table of unknown kind: values must confirm it.
        (false, false, true) => Some(0.4),
        (false, false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (table, column, expected kind).
    const CASES: &[(&str, &str, Option<Kind>)] = &[
        ("users", "email", Some(Kind::Email)),
        ("users", "EmailAddress", Some(Kind::Email)),
        ("users", "mail", Some(Kind::Email)),
        ("users", "email_accept", None),
        ("users", "mail_sent_at", None),
        ("users", "is_phone_verified", None),
        ("users", "email_confirm_token", Some(Kind::Secret)),
        ("users", "password", Some(Kind::Secret)),
        ("users", "password_hash", Some(Kind::Secret)),
        ("users", "salt", Some(Kind::Secret)),
        ("users", "remember_token", Some(Kind::Secret)),
        ("users", "tel", Some(Kind::Phone)),
        ("users", "homeTel1", Some(Kind::Phone)),
        ("hotels", "hotel", None),
        ("users", "電話番号", Some(Kind::Phone)),
        ("users", "first_name", Some(Kind::PersonName)),
        ("clientes", "nombre", Some(Kind::PersonName)),
        ("clientes", "apellido1", Some(Kind::PersonName)),
        ("alunos", "Nome", Some(Kind::PersonName)),
        ("pelanggan", "nama", Some(Kind::PersonName)),
        ("users", "name", Some(Kind::PersonName)),
        ("users", "氏名", Some(Kind::PersonName)),
        ("users", "name_kana", Some(Kind::PersonName)),
        ("products", "name", None),
        ("menus", "name", None),
        ("orders", "product_name", None),
        ("orders", "customer_name", Some(Kind::PersonName)),
        ("商品", "商品名", None),
        ("users", "address", Some(Kind::Address)),
        ("users", "住所", Some(Kind::Address)),
        ("users", "ip_address", Some(Kind::IpAddress)),
        ("users", "zip", Some(Kind::PostalCode)),
        ("users", "zipper", None),
        ("users", "郵便番号", Some(Kind::PostalCode)),
        ("users", "birth_date", Some(Kind::BirthDate)),
        ("users", "生年月日", Some(Kind::BirthDate)),
        ("users", "card_no", Some(Kind::CardNumber)),
        ("games", "discard", None),
        ("users", "description", None),
        ("users", "shipping", None),
        ("users", "recipe", None),
        ("users", "login", Some(Kind::UserName)),
        ("contacts", "login_name", Some(Kind::UserName)),
        ("users", "created_at", None),
        ("users", "id", None),
    ];

    #[test]
    fn every_dictionary_case() {
        for (table, column, want) in CASES {
            let got = classify(table, column).filter(|f| f.1 >= 0.5).map(|f| f.0);
            assert_eq!(got, *want, "{table}.{column}");
        }
    }

    #[test]
    fn normalises_names() {
        assert_eq!(normalise("homeTel1"), "home_tel1");
        assert_eq!(normalise("E-Mail"), "e_mail");
        assert_eq!(normalise("電話番号"), "電話番号");
    }
}
