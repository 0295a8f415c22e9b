//! The `bq load` command that loads masker's BigQuery export: a hint the
//! CLI prints after an export, with the dialect's flags (tab delimiter,
//! quoting, NULL marker, header) spelled out for the user's shell.

use masker_core::export::ExportOptions;

/// The `bq load` command line that loads files written with `opts` into
/// `dataset_table` (`dataset.table` or `project:dataset.table`), with the
/// schema file written by [`masker_core::export::bigquery_schema_json_with`].
///
/// `files_glob` is a local file or a Cloud Storage URI; only `gs://` URIs may
/// hold a `*` wildcard (for split parts: `gs://bucket/db.t-*.tsv.gz`).
/// Arguments are single-quoted for a POSIX shell. Compressed files must be
/// gzip: BigQuery reads gzip CSV (up to 4 GB a file), not zstd.
///
/// The flags: `--source_format=CSV --field_delimiter=tab --quote='"'`,
/// `--null_marker`, `--allow_quoted_newlines` (quoted fields may hold
/// newlines), `--skip_leading_rows=1` when there is a header,
/// `--encoding=UTF-8`, and `--preserve_ascii_control_characters` so that
/// values holding NUL or other control bytes load as they are instead of
/// failing the job.
pub fn bq_load_command(
    dataset_table: &str,
    files_glob: &str,
    schema_json_path: &str,
    opts: &ExportOptions,
) -> String {
    let mut cmd = String::from("bq load --source_format=CSV --field_delimiter=tab --quote='\"'");
    cmd.push_str(" --null_marker=");
    cmd.push_str(&shell_quote(&String::from_utf8_lossy(&opts.null_marker)));
    cmd.push_str(" --allow_quoted_newlines");
    if opts.header {
        cmd.push_str(" --skip_leading_rows=1");
    }
    cmd.push_str(" --encoding=UTF-8 --preserve_ascii_control_characters ");
    cmd.push_str(&shell_quote(dataset_table));
    cmd.push(' ');
    cmd.push_str(&shell_quote(files_glob));
    cmd.push(' ');
    cmd.push_str(&shell_quote(schema_json_path));
    cmd
}

/// `s` in single quotes for a POSIX shell (`'` written as `'\''`).
fn shell_quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('\'');
    for c in s.chars() {
        if c == '\'' {
            q.push_str("'\\''");
        } else {
            q.push(c);
        }
    }
    q.push('\'');
    q
}

/// The table name to suggest for the export files named `base` (the file
/// name before `.schema.json`), given every table's `bases` in the export:
/// the part after the database (`shop.users` -> `users`), and for a table
/// met again, which the export names `base.N` beside `base`, `users_2`
/// (BigQuery table names hold no dots).
pub fn bq_table_name(base: &str, bases: &[String]) -> String {
    if let Some((first, n)) = base.rsplit_once('.') {
        let counter = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
        if counter && bases.iter().any(|b| b == first) {
            return format!("{}_{n}", bq_table_name(first, bases));
        }
    }
    base.rsplit('.').next().unwrap_or(base).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_drop_the_database_and_number_a_table_met_again() {
        let bases: Vec<String> = ["shop.users", "shop.users.2", "orders", "orders.2", "v.3"]
            .map(String::from)
            .to_vec();
        let name = |b: &str| bq_table_name(b, &bases);
        assert_eq!(name("shop.users"), "users");
        assert_eq!(name("shop.users.2"), "users_2");
        assert_eq!(name("orders"), "orders");
        assert_eq!(name("orders.2"), "orders_2");
        // `v.3` is not a second `v` (there is none): the table `3` of `v`.
        assert_eq!(name("v.3"), "3");
    }

    #[test]
    fn load_command() {
        let cmd = bq_load_command(
            "ds.users",
            "gs://b/shop.users-*.tsv.gz",
            "shop.users.schema.json",
            &ExportOptions::default(),
        );
        assert_eq!(
            cmd,
            "bq load --source_format=CSV --field_delimiter=tab --quote='\"' --null_marker='\\N' \
             --allow_quoted_newlines --skip_leading_rows=1 --encoding=UTF-8 \
             --preserve_ascii_control_characters 'ds.users' 'gs://b/shop.users-*.tsv.gz' \
             'shop.users.schema.json'"
        );
        let opts = ExportOptions {
            null_marker: b"it's".to_vec(),
            header: false,
            ..ExportOptions::default()
        };
        let cmd = bq_load_command("ds.t", "t.tsv", "t.json", &opts);
        assert!(cmd.contains("--null_marker='it'\\''s'"));
        assert!(!cmd.contains("skip_leading_rows"));
    }
}
