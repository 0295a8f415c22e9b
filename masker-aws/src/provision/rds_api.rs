//! Reading parameter groups through the RDS API
//! (`DescribeDBParameters`, `DescribeDBClusterParameters`, every page).
//!
//! The only async code of the crate: a small current-thread tokio runtime
//! lives inside [`read_groups`], so callers stay synchronous. Credentials
//! and region come from the standard AWS environment (`aws-config`: env
//! variables, profiles, IMDS, ...); `endpoint_url` overrides the endpoint
//! (tests, VPC endpoints). It turns API answers into [`ParameterGroup`]s and
//! does nothing else.

use aws_config::BehaviorVersion;
use aws_sdk_rds::error::DisplayErrorContext;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use thiserror::Error;

use super::params::{Level, ParameterGroup, ParamsError};

/// A group that could not be read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RdsError {
    /// The API call failed (the message carries the whole cause chain).
    #[error("{call} {group}: {message}")]
    Api {
        /// The API call.
        call: &'static str,
        /// The group.
        group: String,
        /// The SDK's message.
        message: String,
    },
    /// The answer had a parameter without a name.
    #[error("{call} {group}: a parameter without ParameterName")]
    Nameless {
        /// The API call.
        call: &'static str,
        /// The group.
        group: String,
    },
    /// The parameters do not form a group.
    #[error(transparent)]
    Params(#[from] ParamsError),
    /// The async runtime could not start.
    #[error("starting the async runtime: {0}")]
    Runtime(std::io::Error),
}

type Triple = (String, Option<String>, Option<String>);

fn triple(
    call: &'static str,
    group: &str,
    name: Option<&str>,
    value: Option<&str>,
    source: Option<&str>,
) -> Result<Triple, RdsError> {
    let name = name.ok_or_else(|| RdsError::Nameless {
        call,
        group: group.to_owned(),
    })?;
    Ok((
        name.to_owned(),
        value.map(str::to_owned),
        source.map(str::to_owned),
    ))
}

async fn instance_group(
    client: &aws_sdk_rds::Client,
    name: &str,
) -> Result<ParameterGroup, RdsError> {
    const CALL: &str = "DescribeDBParameters";
    let mut all = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = client
            .describe_db_parameters()
            .db_parameter_group_name(name)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| RdsError::Api {
                call: CALL,
                group: name.to_owned(),
                message: DisplayErrorContext(&e).to_string(),
            })?;
        for p in page.parameters() {
            all.push(triple(
                CALL,
                name,
                p.parameter_name(),
                p.parameter_value(),
                p.source(),
            )?);
        }
        match page.marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_owned()),
            _ => break,
        }
    }
    Ok(ParameterGroup::from_parameters(name, Level::Instance, all)?)
}

async fn cluster_group(
    client: &aws_sdk_rds::Client,
    name: &str,
) -> Result<ParameterGroup, RdsError> {
    const CALL: &str = "DescribeDBClusterParameters";
    let mut all = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = client
            .describe_db_cluster_parameters()
            .db_cluster_parameter_group_name(name)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| RdsError::Api {
                call: CALL,
                group: name.to_owned(),
                message: DisplayErrorContext(&e).to_string(),
            })?;
        for p in page.parameters() {
            all.push(triple(
                CALL,
                name,
                p.parameter_name(),
                p.parameter_value(),
                p.source(),
            )?);
        }
        match page.marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_owned()),
            _ => break,
        }
    }
    Ok(ParameterGroup::from_parameters(name, Level::Cluster, all)?)
}

/// Reads the named cluster and instance groups (either may be `None`)
/// through the RDS API, following every page.
pub fn read_groups(
    endpoint_url: Option<&str>,
    cluster: Option<&str>,
    instance: Option<&str>,
) -> Result<(Option<ParameterGroup>, Option<ParameterGroup>), RdsError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(RdsError::Runtime)?;
    runtime.block_on(async {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
        if let Some(url) = endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let client = aws_sdk_rds::Client::new(&config);
        let cluster = match cluster {
            Some(name) => Some(cluster_group(&client, name).await?),
            None => None,
        };
        let instance = match instance {
            Some(name) => Some(instance_group(&client, name).await?),
            None => None,
        };
        Ok((cluster, instance))
    })
}
