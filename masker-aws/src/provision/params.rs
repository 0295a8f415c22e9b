//! RDS parameter groups as data: reading the JSON that
//! `aws rds describe-db-parameters` / `describe-db-cluster-parameters`
//! prints, and merging an Aurora cluster group with an instance group.
//!
//! Owns the input model only; it does not evaluate formulas or decide what
//! a parameter means locally (that is `render` and `knowledge`).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use thiserror::Error;

/// Where a parameter value comes from, as RDS reports it in `Source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Set by the group's owner (`user`).
    User,
    /// The engine's default in RDS (`engine-default`).
    EngineDefault,
    /// Set by RDS itself (`system`).
    System,
    /// No `Source` in the input (RDS always sends one; emulators may not).
    /// Treated like a value set in the group.
    Unreported,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::User => "user",
            Source::EngineDefault => "engine-default",
            Source::System => "system",
            Source::Unreported => "not reported",
        })
    }
}

/// Which kind of group a parameter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// An Aurora DB cluster parameter group.
    Cluster,
    /// A DB (instance) parameter group.
    Instance,
}

/// One parameter of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// `ParameterName`.
    pub name: String,
    /// `ParameterValue`; `None` when RDS prints none (the server default).
    pub value: Option<String>,
    /// `Source`.
    pub source: Source,
}

/// A parameter group: its name, level and parameters (sorted by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroup {
    /// The group's name (or, offline, the label given for the file).
    pub name: String,
    /// Cluster or instance.
    pub level: Level,
    /// The parameters, by name.
    pub parameters: BTreeMap<String, Parameter>,
}

/// A parameter group that could not be read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// The text is not the JSON `describe-db-parameters` prints.
    #[error("{group}: not the JSON of `aws rds describe-db-parameters`: {source}")]
    Json {
        /// The group (or file) label.
        group: String,
        /// The parser's message (with line and column).
        source: serde_json::Error,
    },
    /// A `Source` other than `user`, `engine-default`, `system`.
    #[error("{group}: parameter `{parameter}` has unknown Source `{found}`")]
    UnknownSource {
        /// The group label.
        group: String,
        /// The parameter.
        parameter: String,
        /// The `Source` found.
        found: String,
    },
    /// The same parameter twice in one group.
    #[error("{group}: parameter `{parameter}` appears twice")]
    Duplicate {
        /// The group label.
        group: String,
        /// The parameter.
        parameter: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeOutput {
    parameters: Vec<RawParameter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawParameter {
    parameter_name: String,
    parameter_value: Option<String>,
    source: Option<String>,
}

impl ParameterGroup {
    /// Reads the JSON that `aws rds describe-db-parameters` (or
    /// `describe-db-cluster-parameters`) prints; `name` labels the group in
    /// comments and errors. Fields other than the name, value and source are
    /// ignored.
    pub fn from_json(name: &str, level: Level, json: &str) -> Result<Self, ParamsError> {
        let out: DescribeOutput =
            serde_json::from_str(json).map_err(|source| ParamsError::Json {
                group: name.to_owned(),
                source,
            })?;
        Self::from_parameters(
            name,
            level,
            out.parameters
                .into_iter()
                .map(|p| (p.parameter_name, p.parameter_value, p.source)),
        )
    }

    /// Builds a group from `(ParameterName, ParameterValue, Source)` triples
    /// as the RDS API returns them.
    pub fn from_parameters(
        name: &str,
        level: Level,
        parameters: impl IntoIterator<Item = (String, Option<String>, Option<String>)>,
    ) -> Result<Self, ParamsError> {
        let mut group = ParameterGroup {
            name: name.to_owned(),
            level,
            parameters: BTreeMap::new(),
        };
        for (parameter_name, value, source) in parameters {
            let source = match source.as_deref() {
                Some("user") => Source::User,
                Some("engine-default") => Source::EngineDefault,
                Some("system") => Source::System,
                None => Source::Unreported,
                Some(other) => {
                    return Err(ParamsError::UnknownSource {
                        group: name.to_owned(),
                        parameter: parameter_name,
                        found: other.to_owned(),
                    })
                }
            };
            let p = Parameter {
                name: parameter_name.clone(),
                value,
                source,
            };
            if group.parameters.insert(parameter_name.clone(), p).is_some() {
                return Err(ParamsError::Duplicate {
                    group: name.to_owned(),
                    parameter: parameter_name,
                });
            }
        }
        Ok(group)
    }
}

/// A parameter after merging groups, with the group it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'g> {
    /// The parameter.
    pub parameter: &'g Parameter,
    /// The group that supplied it.
    pub group: &'g ParameterGroup,
}

/// Merges an Aurora cluster group and an instance group (either may be
/// absent). A value set in a group (`user` or `system`) beats an engine
/// default; between two set values, or two defaults, the instance group
/// wins, as on Aurora. The result is sorted by parameter name.
pub fn merge<'g>(
    cluster: Option<&'g ParameterGroup>,
    instance: Option<&'g ParameterGroup>,
) -> Vec<Resolved<'g>> {
    let rank = |r: &Resolved<'_>| {
        let set = r.parameter.source != Source::EngineDefault;
        let has_value = r.parameter.value.is_some();
        let inst = r.group.level == Level::Instance;
        (has_value && set, has_value, inst)
    };
    let mut merged: BTreeMap<&str, Resolved<'g>> = BTreeMap::new();
    for group in cluster.into_iter().chain(instance) {
        for (name, parameter) in &group.parameters {
            let candidate = Resolved { parameter, group };
            match merged.get(name.as_str()) {
                Some(current) if rank(current) > rank(&candidate) => {}
                _ => {
                    merged.insert(name, candidate);
                }
            }
        }
    }
    merged.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, level: Level, json: &str) -> ParameterGroup {
        ParameterGroup::from_json(name, level, json).unwrap()
    }

    #[test]
    fn reads_describe_output_and_ignores_other_fields() {
        let g = group(
            "g",
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"max_connections","ParameterValue":"{DBInstanceClassMemory/12582880}",
               "Description":"x","Source":"engine-default","ApplyType":"dynamic","DataType":"integer",
               "AllowedValues":"1-100000","IsModifiable":true,"ApplyMethod":"pending-reboot"},
              {"ParameterName":"autocommit","Source":"engine-default","IsModifiable":true}
            ],"Marker":null}"#,
        );
        assert_eq!(g.parameters.len(), 2);
        assert_eq!(g.parameters["autocommit"].value, None);
        assert_eq!(
            g.parameters["max_connections"].source,
            Source::EngineDefault
        );
    }

    #[test]
    fn bad_input_names_the_group_and_parameter() {
        let e = ParameterGroup::from_json("prod", Level::Instance, "{").unwrap_err();
        assert!(e.to_string().starts_with("prod: not the JSON"), "{e}");
        let e = ParameterGroup::from_json(
            "prod",
            Level::Instance,
            r#"{"Parameters":[{"ParameterName":"a","Source":"magic"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "prod: parameter `a` has unknown Source `magic`"
        );
        let e = ParameterGroup::from_json(
            "prod",
            Level::Instance,
            r#"{"Parameters":[{"ParameterName":"a"},{"ParameterName":"a"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "prod: parameter `a` appears twice");
    }

    #[test]
    fn instance_overrides_cluster_but_not_with_a_default() {
        let cluster = group(
            "c",
            Level::Cluster,
            r#"{"Parameters":[
              {"ParameterName":"a","ParameterValue":"1","Source":"user"},
              {"ParameterName":"b","ParameterValue":"1","Source":"user"},
              {"ParameterName":"c","ParameterValue":"1","Source":"engine-default"},
              {"ParameterName":"d","ParameterValue":"1","Source":"user"}
            ]}"#,
        );
        let instance = group(
            "i",
            Level::Instance,
            r#"{"Parameters":[
              {"ParameterName":"a","ParameterValue":"2","Source":"user"},
              {"ParameterName":"b","ParameterValue":"2","Source":"engine-default"},
              {"ParameterName":"c","ParameterValue":"2","Source":"engine-default"},
              {"ParameterName":"d","Source":"engine-default"},
              {"ParameterName":"e","ParameterValue":"2","Source":"system"}
            ]}"#,
        );
        let merged: Vec<_> = merge(Some(&cluster), Some(&instance))
            .into_iter()
            .map(|r| {
                (
                    r.parameter.name.as_str(),
                    r.parameter.value.as_deref(),
                    r.group.name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            merged,
            [
                ("a", Some("2"), "i"),
                ("b", Some("1"), "c"),
                ("c", Some("2"), "i"),
                ("d", Some("1"), "c"),
                ("e", Some("2"), "i"),
            ]
        );
    }
}
