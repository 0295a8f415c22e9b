//! The `docker-compose.yml` that runs the local database: the image for
//! the engine version, the rendered `my.cnf` mounted, the users' init
//! script, an optional seed dump, a health check and a data volume.
//!
//! Owns the compose layout only; the image choice is `engine`'s, the files
//! it mounts are rendered elsewhere. Every string is written as a quoted
//! YAML scalar, so no value can change the document's structure.

use std::fmt::Write as _;

use super::engine::{Family, Server};
use super::users::USERS_SQL_IN_CONTAINER;

/// The service name in the compose file.
pub const SERVICE: &str = "db";

/// What the compose file runs.
#[derive(Debug, Clone)]
pub struct ComposeInput<'a> {
    /// The local server (image, family).
    pub server: &'a Server,
    /// The port on 127.0.0.1 of the host.
    pub host_port: u16,
    /// Whether `init/users.sql` and `init/00-users.sh` exist.
    pub users: bool,
    /// The masked dump loaded on first start.
    pub seed: Option<Seed<'a>>,
}

/// The masked data loaded on first start, as a path relative to the
/// compose file or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed<'a> {
    /// One dump file (`.sql`, `.sql.gz`, `.sql.xz` or `.sql.bz2`).
    File(&'a str),
    /// A directory of dump files (one per table, say), loaded in name order
    /// by `init/50-seed.sh`.
    Dir(&'a str),
}

impl<'a> Seed<'a> {
    /// A path with a dump suffix is a file, anything else a directory.
    pub fn from_path(path: &'a str) -> Seed<'a> {
        if SEED_SUFFIXES.iter().any(|s| path.ends_with(s)) {
            Seed::File(path)
        } else {
            Seed::Dir(path.trim_end_matches('/'))
        }
    }
}

/// Where a seed directory is mounted in the container.
pub const SEED_DIR_IN_CONTAINER: &str = "/masker/seed";

/// `init/50-seed.sh`: sourced by the image's entrypoint on first start;
/// loads every dump in the seed directory in name order with the
/// entrypoint's own loader (which reads `.sql`, `.sql.gz`, `.sql.xz`, ...).
pub fn seed_script() -> String {
    format!(
        "# Rendered by `masker-aws my-cnf`; do not edit by hand.\n\
         # Sourced (not executed) by the image's entrypoint on first start: loads\n\
         # the masked dump files of the seed directory in name order.\n\
         docker_process_init_files {SEED_DIR_IN_CONTAINER}/*\n"
    )
}

/// The file name suffixes the images' entrypoints load from
/// `/docker-entrypoint-initdb.d`.
pub const SEED_SUFFIXES: &[&str] = &[".sql", ".sql.gz", ".sql.xz", ".sql.bz2"];

/// The root password variable the image reads.
pub fn root_password_variable(server: &Server) -> &'static str {
    match server.family {
        Family::Mysql => "MYSQL_ROOT_PASSWORD",
        Family::Mariadb => "MARIADB_ROOT_PASSWORD",
    }
}

fn q(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar; `$$` keeps
    // docker-compose from interpolating a `$` in a path.
    serde_json::to_string(&s.replace('$', "$$")).unwrap_or_default()
}

/// Renders the compose file.
pub fn render_compose(input: &ComposeInput<'_>) -> String {
    let mut t = String::new();
    let health: &[&str] = match input.server.family {
        Family::Mysql => &["CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent"],
        Family::Mariadb => &[
            "CMD",
            "mariadb-admin",
            "ping",
            "-h",
            "127.0.0.1",
            "--silent",
        ],
    };
    let mut volumes = vec![(
        "./my.cnf".to_owned(),
        "/etc/mysql/conf.d/zz-masker.cnf:ro".to_owned(),
    )];
    if input.users {
        volumes.push((
            "./init/00-users.sh".into(),
            "/docker-entrypoint-initdb.d/00-users.sh:ro".into(),
        ));
        volumes.push((
            "./init/users.sql".into(),
            format!("{USERS_SQL_IN_CONTAINER}:ro"),
        ));
    }
    match input.seed {
        Some(Seed::File(seed)) => {
            let suffix = SEED_SUFFIXES
                .iter()
                .filter(|s| seed.ends_with(*s))
                .max_by_key(|s| s.len())
                .copied()
                .unwrap_or(".sql");
            volumes.push((
                seed.to_owned(),
                format!("/docker-entrypoint-initdb.d/50-seed{suffix}:ro"),
            ));
        }
        Some(Seed::Dir(dir)) => {
            volumes.push((
                "./init/50-seed.sh".into(),
                "/docker-entrypoint-initdb.d/50-seed.sh:ro".into(),
            ));
            volumes.push((dir.to_owned(), format!("{SEED_DIR_IN_CONTAINER}:ro")));
        }
        None => {}
    }
    volumes.push(("db-data".into(), "/var/lib/mysql".into()));

    let _ = writeln!(t, "# Rendered by `masker-aws my-cnf`; do not edit by hand.");
    let _ = writeln!(t, "# Passwords come from .env (generated, git-ignored).");
    let _ = writeln!(t, "services:");
    let _ = writeln!(t, "  {SERVICE}:");
    let _ = writeln!(t, "    image: {}", q(&input.server.image));
    let _ = writeln!(t, "    env_file:");
    let _ = writeln!(t, "      - {}", q(".env"));
    let _ = writeln!(t, "    ports:");
    let _ = writeln!(
        t,
        "      - {}",
        q(&format!("127.0.0.1:{}:3306", input.host_port))
    );
    let _ = writeln!(t, "    volumes:");
    for (from, to) in &volumes {
        let _ = writeln!(t, "      - {}", q(&format!("{from}:{to}")));
    }
    let _ = writeln!(t, "    healthcheck:");
    let _ = writeln!(
        t,
        "      test: [{}]",
        health.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(t, "      interval: {}", q("5s"));
    let _ = writeln!(t, "      timeout: {}", q("5s"));
    let _ = writeln!(t, "      retries: 12");
    let _ = writeln!(
        t,
        "      # Loading a large seed dump on first start takes a while."
    );
    let _ = writeln!(t, "      start_period: {}", q("15m"));
    let _ = writeln!(t, "volumes:");
    let _ = writeln!(t, "  db-data: {{}}");
    t
}

#[cfg(test)]
mod tests {
    use super::super::engine::Version;
    use super::*;

    #[test]
    fn seed_kind_follows_the_suffix() {
        assert_eq!(Seed::from_path("a/app.sql.xz"), Seed::File("a/app.sql.xz"));
        assert_eq!(Seed::from_path("../masked/"), Seed::Dir("../masked"));
        assert_eq!(Seed::from_path("/data/run-42"), Seed::Dir("/data/run-42"));
    }

    #[test]
    fn dollar_in_a_path_is_not_interpolated() {
        assert_eq!(q("a$b\"c"), r#""a$$b\"c""#);
    }

    #[test]
    fn seed_suffix_picks_the_longest_match() {
        let server = Server {
            family: Family::Mysql,
            version: Version(8, 0, 32),
            image: "mysql:8.0.32".into(),
        };
        let t = render_compose(&ComposeInput {
            server: &server,
            host_port: 3306,
            users: false,
            seed: Some(Seed::from_path("../dumps/masked.sql.gz")),
        });
        assert!(
            t.contains(
                r#"- "../dumps/masked.sql.gz:/docker-entrypoint-initdb.d/50-seed.sql.gz:ro""#
            ),
            "{t}"
        );
    }
}
