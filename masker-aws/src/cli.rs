//! Command-line flags of `masker-aws` and the glue from flags to the
//! library: reading input files, writing the rendered files, printing
//! warnings. The rendering itself lives in `masker_aws::provision`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use masker_aws::jobs::audit;
use masker_aws::jobs::config::JobKind;
use masker_aws::jobs::run::JobError;
use masker_aws::provision::compose::{
    render_compose, root_password_variable, seed_script, ComposeInput, Seed, SEED_SUFFIXES,
};
use masker_aws::provision::engine::{local_server, Engine, Server};
use masker_aws::provision::formula::{parse_size, Budget};
use masker_aws::provision::git;
use masker_aws::provision::instance_class::class_size;
use masker_aws::provision::output::{self, OutputFile};
use masker_aws::provision::params::{Level, ParameterGroup};
use masker_aws::provision::rds_api::read_groups;
use masker_aws::provision::render::{render_my_cnf, MyCnf, RenderError, RenderInput};
use masker_aws::provision::users::{env_file, users_script, users_sql, User, UsersConfig};

/// masker platform jobs on AWS.
#[derive(Debug, Parser)]
#[command(name = "masker-aws", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render a my.cnf, docker-compose.yml and users for a local server from
    /// RDS parameter groups (through the RDS API, or from the JSON
    /// `aws rds describe-db-parameters` / `describe-db-cluster-parameters` prints).
    MyCnf(Box<MyCnfArgs>),
    /// Backup job: restore a snapshot into a short-lived cluster, dump it
    /// to S3, restore-test the dump, clean up (see README).
    Backup(crate::jobs_cli::JobArgs),
    /// Mask job: as `backup`, masked with the rules of `[dump] rules`.
    Mask(crate::jobs_cli::JobArgs),
    /// Delete every cluster, instance and snapshot tagged by an earlier run
    /// whose expiry has passed.
    Sweep(crate::jobs_cli::SweepArgs),
    /// Audit log tools.
    #[command(subcommand)]
    Audit(crate::jobs_cli::AuditCommand),
    /// Sharded run, step 1: restore the snapshot (as backup/mask do), cut
    /// the tables into chunks, deal them to N shards and write the plan to
    /// S3 (its URL is printed); the cluster stays up for the shards.
    Plan(crate::jobs_cli::PlanArgs),
    /// Sharded run, step 2 (one per shard, on any machine): dump one
    /// shard's chunks (--shard I/N or AWS_BATCH_JOB_ARRAY_INDEX).
    RunShard(crate::jobs_cli::RunShardArgs),
    /// Sharded run, step 3: merge the shards' manifests, restore-test the
    /// dump, clean up.
    Finish(crate::jobs_cli::PlanRunArgs),
    /// Delete everything a planned run created (after a failed shard).
    Cleanup(crate::jobs_cli::PlanRunArgs),
    /// Print the Step Functions definition (JSON) of a sharded job: plan,
    /// a Distributed Map of run-shard, finish; cleanup on any failure.
    StateMachine(crate::jobs_cli::StateMachineArgs),
}

#[derive(Debug, Args)]
struct MyCnfArgs {
    /// RDS engine: aurora-mysql, mysql or mariadb.
    #[arg(long, value_parser = parse_engine)]
    engine: Engine,
    /// RDS engine version, e.g. 8.0.mysql_aurora.3.05.2, 8.0.35, 10.11.6.
    #[arg(long)]
    engine_version: String,
    /// Cluster parameter group (Aurora only), read through the RDS API unless
    /// --cluster-parameters gives its saved JSON (then it only names it).
    #[arg(long, value_name = "NAME")]
    cluster_parameter_group: Option<String>,
    /// Saved JSON of `aws rds describe-db-cluster-parameters`.
    #[arg(long, value_name = "FILE")]
    cluster_parameters: Option<PathBuf>,
    /// Instance parameter group, read through the RDS API unless
    /// --instance-parameters gives its saved JSON (then it only names it).
    #[arg(long, value_name = "NAME")]
    instance_parameter_group: Option<String>,
    /// Saved JSON of `aws rds describe-db-parameters`.
    #[arg(long, value_name = "FILE")]
    instance_parameters: Option<PathBuf>,
    /// RDS API endpoint (default: the standard one for the configured region).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Memory budget of the local server (DBInstanceClassMemory), e.g. 2G
    /// [default: 2G].
    #[arg(long, value_parser = parse_size, conflicts_with = "instance_class")]
    memory: Option<u64>,
    /// CPUs of the local server (DBInstanceVCPU) [default: 2].
    #[arg(long, conflicts_with = "instance_class")]
    cpus: Option<u64>,
    /// Size formulas like production's instance class (e.g. db.r6g.large)
    /// instead of --memory/--cpus; the class memory is an upper bound of
    /// RDS's DBInstanceClassMemory.
    #[arg(long, value_name = "CLASS")]
    instance_class: Option<String>,
    /// AllocatedStorage, e.g. 100G (only needed when a formula uses it).
    #[arg(long, value_parser = parse_size)]
    allocated_storage: Option<u64>,
    /// Port of the local server (EndPointPort).
    #[arg(long, default_value_t = 3306)]
    port: u16,
    /// Extra or overriding server option NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    sets: Vec<(String, String)>,
    /// Directory to write the files into (created if missing); with
    /// --git-commit it defaults to the repository and must be inside it.
    #[arg(long, value_name = "DIR", required_unless_present = "git_commit")]
    out: Option<PathBuf>,
    /// Users and grants to create (TOML, `[[user]]` entries); passwords are
    /// generated into DIR/.env.
    #[arg(long, value_name = "FILE")]
    users: Option<PathBuf>,
    /// Masked data loaded on first start: a dump file (.sql, .sql.gz,
    /// .sql.xz, .sql.bz2) or a directory of them, relative to DIR or absolute.
    #[arg(long, value_name = "PATH")]
    seed: Option<String>,
    /// Port on 127.0.0.1 that docker-compose publishes the server on.
    #[arg(long, default_value_t = 3306)]
    host_port: u16,
    /// Commit the files (not .env) into this git repository when they
    /// changed, with a message listing the changed parameters.
    #[arg(long, value_name = "REPO")]
    git_commit: Option<PathBuf>,
}

fn parse_engine(s: &str) -> Result<Engine, String> {
    s.parse().map_err(|e| format!("{e}"))
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .ok_or_else(|| format!("`{s}`: expected NAME=VALUE"))
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::MyCnf(args) => my_cnf(*args),
        Command::Backup(args) => crate::jobs_cli::job(JobKind::Backup, args),
        Command::Mask(args) => crate::jobs_cli::job(JobKind::Mask, args),
        Command::Sweep(args) => crate::jobs_cli::sweep_cmd(args),
        Command::Audit(cmd) => crate::jobs_cli::audit_cmd(cmd),
        Command::Plan(args) => crate::jobs_cli::plan(args),
        Command::RunShard(args) => crate::jobs_cli::run_shard(args),
        Command::Finish(args) => crate::jobs_cli::finish(args),
        Command::Cleanup(args) => crate::jobs_cli::cleanup(args),
        Command::StateMachine(args) => crate::jobs_cli::state_machine(args),
    }
}

/// The exit code for an error from [`run`].
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.chain()
        .any(|c| c.is::<RenderError>() || c.is::<JobError>() || c.is::<audit::AuditError>())
    {
        1
    } else if e.chain().any(|c| c.is::<std::io::Error>()) {
        4
    } else {
        2
    }
}

fn read_group(path: &Path, name: Option<&str>, level: Level) -> Result<ParameterGroup> {
    let label = name.map(str::to_owned).unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    });
    let json = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    ParameterGroup::from_json(&label, level, &json)
        .with_context(|| format!("reading {}", path.display()))
}

/// Checks the combinations clap cannot express.
fn check_args(a: &MyCnfArgs) -> Result<()> {
    if (a.cluster_parameters.is_some() || a.cluster_parameter_group.is_some())
        && a.engine != Engine::AuroraMysql
    {
        bail!(
            "--cluster-parameter-group/--cluster-parameters: {} has no cluster parameter groups (only aurora-mysql has)",
            a.engine.rds_name()
        );
    }
    if a.cluster_parameters.is_none()
        && a.instance_parameters.is_none()
        && a.cluster_parameter_group.is_none()
        && a.instance_parameter_group.is_none()
    {
        bail!("give --instance-parameter-group NAME (and for Aurora --cluster-parameter-group NAME), or their saved JSON with --instance-parameters/--cluster-parameters FILE");
    }
    if let Some(seed) = &a.seed {
        if seed.starts_with("s3://") {
            bail!("--seed {seed}: S3 locations are not read yet; download the dump first (aws s3 cp) and give its path");
        }
        if let Seed::Dir(dir) = Seed::from_path(seed) {
            let on_disk = a
                .out
                .as_ref()
                .or(a.git_commit.as_ref())
                .map(|o| o.join(dir));
            if on_disk.is_some_and(|p| p.is_file()) {
                bail!(
                    "--seed {seed}: a file, but not a dump ({}); give a dump file or a directory of them",
                    SEED_SUFFIXES.join(", ")
                );
            }
        }
    }
    Ok(())
}

/// The cluster and instance groups: from saved JSON files, or (a name
/// without a file) through the RDS API.
fn load_groups(a: &MyCnfArgs) -> Result<(Option<ParameterGroup>, Option<ParameterGroup>)> {
    fn from_api<'a>(file: &Option<PathBuf>, name: &'a Option<String>) -> Option<&'a str> {
        file.is_none().then_some(name.as_deref()).flatten()
    }
    let (api_cluster, api_instance) = match (
        from_api(&a.cluster_parameters, &a.cluster_parameter_group),
        from_api(&a.instance_parameters, &a.instance_parameter_group),
    ) {
        (None, None) => (None, None),
        (c, i) => read_groups(a.endpoint_url.as_deref(), c, i)?,
    };
    let cluster = match &a.cluster_parameters {
        Some(p) => Some(read_group(
            p,
            a.cluster_parameter_group.as_deref(),
            Level::Cluster,
        )?),
        None => api_cluster,
    };
    let instance = match &a.instance_parameters {
        Some(p) => Some(read_group(
            p,
            a.instance_parameter_group.as_deref(),
            Level::Instance,
        )?),
        None => api_instance,
    };
    Ok((cluster, instance))
}

fn budget(a: &MyCnfArgs) -> Result<Budget> {
    let (memory, vcpus) = match &a.instance_class {
        Some(class) => {
            let size = class_size(class)?;
            (size.memory, size.vcpus)
        }
        None => (a.memory.unwrap_or(2 << 30), a.cpus.unwrap_or(2)),
    };
    Ok(Budget {
        memory,
        vcpus,
        allocated_storage: a.allocated_storage,
        port: a.port,
        replica: false,
    })
}

fn read_users(path: &Path) -> Result<Vec<User>> {
    let label = path.display().to_string();
    let text = fs::read_to_string(path).with_context(|| format!("reading {label}"))?;
    Ok(UsersConfig::from_toml(&label, &text)?.compile(&label)?)
}

/// Every file of the output directory `out`, `.env` last.
fn output_files(
    a: &MyCnfArgs,
    server: &Server,
    cnf: &MyCnf,
    users: Option<&[User]>,
    out: &Path,
) -> Result<Vec<OutputFile>> {
    let tracked = |path, contents| OutputFile {
        path,
        contents,
        tracked: true,
    };
    let seed = a.seed.as_deref().map(Seed::from_path);
    let compose = render_compose(&ComposeInput {
        server,
        host_port: a.host_port,
        users: users.is_some(),
        seed,
    });
    let mut files = vec![
        tracked(output::MY_CNF, cnf.text.clone()),
        tracked(output::COMPOSE, compose),
        tracked(output::GITIGNORE, output::gitignore()),
    ];
    if let Some(Seed::Dir(_)) = seed {
        files.push(tracked(output::SEED_SCRIPT, seed_script()));
    }
    let mut env_vars = vec![root_password_variable(server).to_owned()];
    if let Some(users) = users {
        env_vars.extend(users.iter().map(User::password_variable));
        files.push(tracked(output::USERS_SQL, users_sql(users)));
        files.push(tracked(output::USERS_SCRIPT, users_script(users)));
    }
    let env_path = out.join(output::ENV);
    let previous_env = match fs::read_to_string(&env_path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", env_path.display())),
    };
    files.push(OutputFile {
        path: output::ENV,
        contents: env_file(previous_env.as_deref(), &env_vars)?,
        tracked: false,
    });
    Ok(files)
}

fn my_cnf(a: MyCnfArgs) -> Result<()> {
    check_args(&a)?;
    let server = local_server(a.engine, &a.engine_version)?;
    let users = a.users.as_deref().map(read_users).transpose()?;
    let (cluster, instance) = load_groups(&a)?;
    let label = format!("{} {}", a.engine.rds_name(), a.engine_version);
    let cnf = render_my_cnf(&RenderInput {
        server: &server,
        engine_label: &label,
        cluster: cluster.as_ref(),
        instance: instance.as_ref(),
        budget: budget(&a)?,
        overrides: &a.sets,
    })?;
    for w in &cnf.warnings {
        eprintln!("masker-aws: warning: {w}");
    }

    let Some(out) = a.out.as_ref().or(a.git_commit.as_ref()) else {
        bail!("give --out DIR");
    };
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let git_place = a
        .git_commit
        .as_deref()
        .map(|repo| git::locate(repo, out))
        .transpose()?;
    let old_cnf = git_place
        .as_ref()
        .and_then(|(top, rel)| git::committed_file(top, rel, output::MY_CNF));

    let files = output_files(&a, &server, &cnf, users.as_deref(), out)?;
    output::write_all(out, &files)?;
    let removed = output::remove_stale(out, &files)?;
    eprintln!(
        "masker-aws: wrote {} ({} settings, {} left out) for {server}",
        out.display(),
        cnf.settings.len(),
        cnf.left_out.len()
    );

    if let Some((top, rel)) = git_place {
        let tracked: Vec<&str> = files.iter().filter(|f| f.tracked).map(|f| f.path).collect();
        let outcome = git::commit_if_changed(
            &top,
            &rel,
            &tracked,
            &removed,
            old_cnf.as_deref(),
            &cnf.text,
        )?;
        match outcome {
            git::Outcome::Unchanged => eprintln!("masker-aws: nothing changed; no commit"),
            git::Outcome::Committed(message) => eprintln!(
                "masker-aws: committed: {}",
                message.lines().next().unwrap_or_default()
            ),
        }
    }
    Ok(())
}
