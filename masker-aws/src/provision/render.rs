//! Rendering merged parameter groups into a `my.cnf` for the local server.
//!
//! Owns the option-file syntax (quoting, comments) and the policy for each
//! parameter: evaluate formulas, rename, leave out with a reason, or report
//! a problem. It does not read files, talk to AWS or start servers.
//!
//! Policy for values it cannot evaluate (an unknown variable or function):
//! a value set in the group (`user`, `system`) is a problem that stops the
//! render; an engine default is left out with a comment and a warning (the
//! local server's own default then applies; `--set NAME=VALUE` chooses
//! one). Nothing is guessed.

use std::fmt::Write as _;

use thiserror::Error;

use super::engine::Server;
use super::formula::{self, Budget};
use super::knowledge::{classify, Disposition};
use super::params::{merge, Level, ParameterGroup, Source};

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderInput<'a> {
    /// The local server that will read the file.
    pub server: &'a Server,
    /// A line naming the RDS engine and version, for the header.
    pub engine_label: &'a str,
    /// The Aurora cluster parameter group, if any.
    pub cluster: Option<&'a ParameterGroup>,
    /// The instance parameter group, if any.
    pub instance: Option<&'a ParameterGroup>,
    /// The local budget the formulas are evaluated for.
    pub budget: Budget,
    /// `NAME=VALUE` settings given on the command line: written as given
    /// (renamed where the option-file name differs), after the groups, and
    /// overriding them.
    pub overrides: &'a [(String, String)],
}

/// One line written under `[mysqld]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The RDS parameter name (or the name given with `--set`).
    pub parameter: String,
    /// The option-file name written.
    pub option: String,
    /// The name `SHOW VARIABLES` reports it under.
    pub variable: String,
    /// The value written (formulas evaluated), before option-file quoting.
    pub value: String,
    /// Where it came from, e.g. ``instance group `prod`, set in the group``.
    pub origin: String,
    /// The RDS source; `None` for a `--set` setting.
    pub source: Option<Source>,
}

/// A parameter with a value that was not written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The RDS parameter name.
    pub parameter: String,
    /// Where it came from.
    pub origin: String,
    /// Why it was left out.
    pub reason: String,
}

/// A rendered `my.cnf`.
#[derive(Debug, Clone)]
pub struct MyCnf {
    /// The settings written, in file order.
    pub settings: Vec<Setting>,
    /// The parameters left out, by name.
    pub left_out: Vec<LeftOut>,
    /// Engine defaults that could not be evaluated (also in `left_out`).
    pub warnings: Vec<String>,
    /// The file's text.
    pub text: String,
}

/// One parameter that stops the render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The parameter name.
    pub parameter: String,
    /// Where it came from.
    pub origin: String,
    /// What is wrong.
    pub message: String,
}

/// The render failed; every problem is listed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} parameter(s) cannot be rendered:{}", .0.len(), list(.0))]
pub struct RenderError(pub Vec<Problem>);

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("\n  {} ({}): {}", p.parameter, p.origin, p.message))
        .collect()
}

fn group_label(group: &ParameterGroup) -> String {
    let level = match group.level {
        Level::Cluster => "cluster",
        Level::Instance => "instance",
    };
    format!("{level} group `{}`", group.name)
}

fn origin(group: &ParameterGroup, source: Source) -> String {
    let source = match source {
        Source::User => "set in the group",
        Source::EngineDefault => "engine default",
        Source::System => "set by RDS",
        Source::Unreported => "source not reported",
    };
    format!("{}, {source}", group_label(group))
}

const COMMAND_LINE: &str = "command line (--set)";

/// Renders the merged groups for the local server.
pub fn render_my_cnf(input: &RenderInput<'_>) -> Result<MyCnf, RenderError> {
    let mut settings = Vec::new();
    let mut left_out = Vec::new();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();

    let names = |name: &str| match classify(name, input.server) {
        Disposition::Write { option, variable } => (option.to_owned(), variable.to_owned()),
        _ => (name.to_owned(), name.replace('-', "_")),
    };
    let overridden: Vec<String> = input.overrides.iter().map(|(n, _)| names(n).0).collect();

    for r in merge(input.cluster, input.instance) {
        let p = r.parameter;
        let Some(raw) = p.value.as_deref() else {
            continue; // no value: the server's own default, as on RDS
        };
        let origin = origin(r.group, p.source);
        if !valid_name(&p.name) {
            problems.push(Problem {
                parameter: p.name.escape_debug().to_string(),
                origin,
                message: "not a valid option name".into(),
            });
            continue;
        }
        let (option, variable) = match classify(&p.name, input.server) {
            Disposition::LeaveOut(reason) => {
                left_out.push(LeftOut {
                    parameter: p.name.clone(),
                    origin,
                    reason,
                });
                continue;
            }
            Disposition::Write { option, variable } => (option.to_owned(), variable.to_owned()),
            Disposition::WriteAsIs => (p.name.clone(), p.name.replace('-', "_")),
        };
        if overridden.contains(&option) {
            left_out.push(LeftOut {
                parameter: p.name.clone(),
                origin,
                reason: "overridden on the command line (--set)".into(),
            });
            continue;
        }
        let value = if formula::is_formula(raw) {
            formula::evaluate(raw, &input.budget)
                .map(|v| v.to_string())
                .map_err(|e| format!("formula `{}`: {e}", raw.escape_debug()))
        } else if raw.contains('{') {
            Err(format!(
                "`{}` has a formula inside a literal, which RDS expands and this tool does not",
                raw.escape_debug()
            ))
        } else {
            Ok(raw.to_owned())
        };
        match value {
            Ok(value) => settings.push(Setting {
                parameter: p.name.clone(),
                option,
                variable,
                value,
                origin,
                source: Some(p.source),
            }),
            Err(message) if p.source == Source::EngineDefault => {
                warnings.push(format!("{} ({origin}): left out: {message}", p.name));
                left_out.push(LeftOut {
                    parameter: p.name.clone(),
                    origin,
                    reason: format!(
                        "{message}; the local server's default applies (choose one with --set {}=VALUE)",
                        p.name
                    ),
                });
            }
            Err(message) => problems.push(Problem {
                parameter: p.name.clone(),
                origin,
                message,
            }),
        }
    }
    dedupe_options(&mut settings, &mut left_out, &mut problems);

    for (name, value) in input.overrides {
        if !valid_name(name) {
            problems.push(Problem {
                parameter: name.escape_debug().to_string(),
                origin: COMMAND_LINE.into(),
                message: "not a valid option name".into(),
            });
            continue;
        }
        let (option, variable) = names(name);
        settings.push(Setting {
            parameter: name.clone(),
            option,
            variable,
            value: value.clone(),
            origin: COMMAND_LINE.into(),
            source: None,
        });
    }

    if !problems.is_empty() {
        return Err(RenderError(problems));
    }
    let text = text(input, &settings, &left_out);
    Ok(MyCnf {
        settings,
        left_out,
        warnings,
        text,
    })
}

/// Two RDS parameters can name one option (`tx_isolation` and
/// `transaction_isolation`): a value set in a group beats an engine
/// default, the same value is written once, and two different values of
/// the same standing are a problem.
fn dedupe_options(
    settings: &mut Vec<Setting>,
    left_out: &mut Vec<LeftOut>,
    problems: &mut Vec<Problem>,
) {
    let is_default = |s: &Setting| s.source == Some(Source::EngineDefault);
    let mut kept: Vec<Setting> = Vec::with_capacity(settings.len());
    for s in settings.drain(..) {
        let Some(i) = kept.iter().position(|k| k.option == s.option) else {
            kept.push(s);
            continue;
        };
        let current = kept[i].clone();
        let (winner, loser) = if is_default(&current) && !is_default(&s) {
            (s, current)
        } else {
            (current, s)
        };
        if winner.value == loser.value || is_default(&loser) != is_default(&winner) {
            let how = if winner.value == loser.value {
                "same option and value as"
            } else {
                "superseded by"
            };
            left_out.push(LeftOut {
                reason: format!("{how} `{}`", winner.parameter),
                parameter: loser.parameter,
                origin: loser.origin,
            });
        } else {
            problems.push(Problem {
                message: format!(
                    "sets option `{}` to `{}`, but `{}` ({}) sets it to `{}`",
                    loser.option,
                    loser.value.escape_debug(),
                    winner.parameter,
                    winner.origin,
                    winner.value.escape_debug()
                ),
                parameter: loser.parameter,
                origin: loser.origin,
            });
        }
        kept[i] = winner;
    }
    *settings = kept;
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn text(input: &RenderInput<'_>, settings: &[Setting], left_out: &[LeftOut]) -> String {
    let mut t = String::new();
    let groups: Vec<String> = [input.cluster, input.instance]
        .into_iter()
        .flatten()
        .map(group_label)
        .collect();
    let b = &input.budget;
    // Writing to a String cannot fail.
    let _ = writeln!(
        t,
        "# Rendered by `masker-aws my-cnf` from RDS parameter groups; do not edit by hand."
    );
    let _ = writeln!(t, "# RDS engine: {}", comment(input.engine_label));
    let _ = writeln!(t, "# Local server: {}", input.server);
    let _ = writeln!(t, "# Groups: {}", comment(&groups.join(", ")));
    let _ = writeln!(
        t,
        "# Formulas evaluated for DBInstanceClassMemory={} DBInstanceVCPU={} EndPointPort={} TrueIfReplica={}{}",
        b.memory,
        b.vcpus,
        b.port,
        u8::from(b.replica),
        b.allocated_storage
            .map(|s| format!(" AllocatedStorage={s}"))
            .unwrap_or_default()
    );
    let _ = writeln!(t, "\n[mysqld]");
    for s in settings {
        let renamed = if s.option != s.parameter {
            format!(" (RDS parameter `{}`)", comment(&s.parameter))
        } else {
            String::new()
        };
        let _ = writeln!(t, "# {}{renamed}", comment(&s.origin));
        let _ = writeln!(t, "{} = {}", s.option, option_value(&s.value));
    }
    if !left_out.is_empty() {
        let _ = writeln!(t, "\n# Left out:");
        for l in left_out {
            let _ = writeln!(
                t,
                "# {} ({}): {}",
                comment(&l.parameter),
                comment(&l.origin),
                comment(&l.reason)
            );
        }
    }
    t
}

/// Text safe inside a `#` comment line.
fn comment(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_debug().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// A value in option-file syntax: bare when safe, else double-quoted with
/// `\\`, `\"`, `\n`, `\r`, `\t` escapes (which the server's option-file
/// reader undoes).
pub fn option_value(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.trim() != value
        || value
            .chars()
            .any(|c| matches!(c, '#' | '\'' | '"' | '\\') || c.is_control());
    if !needs_quotes {
        return value.to_owned();
    }
    let mut q = String::with_capacity(value.len() + 2);
    q.push('"');
    for c in value.chars() {
        match c {
            '\\' => q.push_str("\\\\"),
            '"' => q.push_str("\\\""),
            '\n' => q.push_str("\\n"),
            '\r' => q.push_str("\\r"),
            '\t' => q.push_str("\\t"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// The `option = value` lines of a `my.cnf` this module rendered, as
/// `(option, value as written)`, for comparing two runs.
pub fn written_options(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::engine::{Family, Version};
    use super::*;

    fn maria() -> Server {
        Server {
            family: Family::Mariadb,
            version: Version(10, 11, 6),
            image: "mariadb:10.11.6".into(),
        }
    }

    fn group(level: Level, json: &str) -> ParameterGroup {
        ParameterGroup::from_json("prod", level, json).unwrap()
    }

    fn render(g: &ParameterGroup, overrides: &[(String, String)]) -> Result<MyCnf, RenderError> {
        let server = maria();
        render_my_cnf(&RenderInput {
            server: &server,
            engine_label: "mariadb 10.11.6",
            cluster: None,
            instance: Some(g),
            budget: Budget::new(2 << 30, 2),
            overrides,
        })
    }

    #[test]
    fn writes_evaluates_renames_and_leaves_out() {
        let g = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"innodb_buffer_pool_size","ParameterValue":"{DBInstanceClassMemory*3/4}","Source":"engine-default"},
              {"ParameterName":"time_zone","ParameterValue":"Asia/Tokyo","Source":"user"},
              {"ParameterName":"datadir","ParameterValue":"/rdsdbdata/db/","Source":"engine-default"},
              {"ParameterName":"init_connect","ParameterValue":"SET NAMES utf8mb4 # hi","Source":"user"},
              {"ParameterName":"autocommit","Source":"engine-default"}
            ]}"#,
        );
        let cnf = render(&g, &[]).unwrap();
        let t = &cnf.text;
        assert!(t.contains("[mysqld]\n"), "{t}");
        assert!(
            t.contains(
                "# instance group `prod`, engine default\ninnodb_buffer_pool_size = 1610612736\n"
            ),
            "{t}"
        );
        assert!(
            t.contains("# instance group `prod`, set in the group (RDS parameter `time_zone`)\ndefault_time_zone = Asia/Tokyo\n"),
            "{t}"
        );
        assert!(
            t.contains("init_connect = \"SET NAMES utf8mb4 # hi\"\n"),
            "{t}"
        );
        assert!(
            t.contains("# datadir (instance group `prod`, engine default): a path"),
            "{t}"
        );
        assert!(!t.contains("autocommit"), "{t}");
        assert_eq!(
            written_options(t),
            [
                (
                    "init_connect".to_owned(),
                    "\"SET NAMES utf8mb4 # hi\"".to_owned()
                ),
                ("innodb_buffer_pool_size".into(), "1610612736".into()),
                ("default_time_zone".into(), "Asia/Tokyo".into()),
            ]
        );
    }

    #[test]
    fn unevaluable_user_formulas_stop_the_render_and_are_all_listed() {
        let g = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"max_connections","ParameterValue":"{DBInstanceClassMemry/12582880}","Source":"user"},
              {"ParameterName":"table_open_cache","ParameterValue":"LOG(2)","Source":"user"},
              {"ParameterName":"thread_cache_size","ParameterValue":"x{DBInstanceVCPU}","Source":"system"}
            ]}"#,
        );
        let e = render(&g, &[]).unwrap_err();
        assert_eq!(e.0.len(), 3, "{e}");
        let msg = e.to_string();
        assert!(msg.contains("max_connections (instance group `prod`, set in the group): formula `{DBInstanceClassMemry/12582880}`: unknown variable `DBInstanceClassMemry`"), "{msg}");
        assert!(msg.contains("table_open_cache"), "{msg}");
        assert!(
            msg.contains("thread_cache_size (instance group `prod`, set by RDS)"),
            "{msg}"
        );
    }

    #[test]
    fn unevaluable_engine_defaults_are_left_out_with_a_warning() {
        let g = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"max_connections","ParameterValue":"GREATEST({log(DBInstanceClassMemory/805306368)*45},{log(DBInstanceClassMemory/8187281408)*1000})","Source":"engine-default"}
            ]}"#,
        );
        let cnf = render(&g, &[]).unwrap();
        assert!(cnf.settings.is_empty());
        assert_eq!(cnf.warnings.len(), 1);
        assert!(
            cnf.warnings[0].contains("unknown function `log`"),
            "{:?}",
            cnf.warnings
        );
        assert!(
            cnf.text.contains("--set max_connections=VALUE"),
            "{}",
            cnf.text
        );
    }

    #[test]
    fn command_line_settings_override_the_group() {
        let g = group(
            Level::Instance,
            r#"{"Parameters":[{"ParameterName":"max_connections","ParameterValue":"100","Source":"user"}]}"#,
        );
        let sets = [
            ("max_connections".to_owned(), "7".to_owned()),
            ("port".to_owned(), "3999".to_owned()),
        ];
        let cnf = render(&g, &sets).unwrap();
        assert_eq!(
            written_options(&cnf.text),
            [
                ("max_connections".to_owned(), "7".to_owned()),
                ("port".into(), "3999".into())
            ]
        );
        assert!(cnf
            .text
            .contains("# max_connections (instance group `prod`, set in the group): overridden"));
    }

    #[test]
    fn two_parameters_for_one_option_agree_or_stop_the_render() {
        let same = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"transaction_isolation","ParameterValue":"READ-COMMITTED","Source":"user"},
              {"ParameterName":"tx_isolation","ParameterValue":"READ-COMMITTED","Source":"user"}
            ]}"#,
        );
        let cnf = render(&same, &[]).unwrap();
        assert_eq!(
            cnf.text
                .matches("\ntransaction_isolation = READ-COMMITTED\n")
                .count(),
            1,
            "{}",
            cnf.text
        );
        assert!(cnf.text.contains("# tx_isolation (instance group `prod`, set in the group): same option and value as `transaction_isolation`"), "{}", cnf.text);
        let differ = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"transaction_isolation","ParameterValue":"READ-COMMITTED","Source":"user"},
              {"ParameterName":"tx_isolation","ParameterValue":"REPEATABLE-READ","Source":"engine-default"}
            ]}"#,
        );
        let cnf = render(&differ, &[]).unwrap();
        assert!(
            cnf.text
                .contains("\ntransaction_isolation = READ-COMMITTED\n"),
            "{}",
            cnf.text
        );
        assert!(cnf.text.contains("# tx_isolation (instance group `prod`, engine default): superseded by `transaction_isolation`"), "{}", cnf.text);
        let conflict = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"transaction_isolation","ParameterValue":"READ-COMMITTED","Source":"user"},
              {"ParameterName":"tx_isolation","ParameterValue":"REPEATABLE-READ","Source":"user"}
            ]}"#,
        );
        let e = render(&conflict, &[]).unwrap_err().to_string();
        assert!(e.contains("tx_isolation (instance group `prod`, set in the group): sets option `transaction_isolation` to `REPEATABLE-READ`, but `transaction_isolation`"), "{e}");
    }

    #[test]
    fn option_values_are_quoted_when_needed() {
        assert_eq!(option_value("utf8mb4"), "utf8mb4");
        assert_eq!(
            option_value("STRICT_TRANS_TABLES,NO_ZERO_DATE"),
            "STRICT_TRANS_TABLES,NO_ZERO_DATE"
        );
        assert_eq!(option_value(""), "\"\"");
        assert_eq!(option_value("a#b"), "\"a#b\"");
        assert_eq!(option_value("it's \"x\"\\\n"), "\"it's \\\"x\\\"\\\\\\n\"");
    }

    #[test]
    fn hostile_names_and_values_cannot_break_the_file() {
        let g = group(
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"x\n[client]\npassword","ParameterValue":"1","Source":"user"},
              {"ParameterName":"init_connect","ParameterValue":"a\n[client]","Source":"user"}
            ]}"#,
        );
        let e = render(&g, &[]).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(e.to_string().contains("not a valid option name"), "{e}");
        let g = group(
            Level::Instance,
            r#"{"Parameters":[{"ParameterName":"init_connect","ParameterValue":"a\n[client]","Source":"user"}]}"#,
        );
        let cnf = render(&g, &[]).unwrap();
        assert_eq!(cnf.text.matches("\n[").count(), 1, "{}", cnf.text);
    }
}
