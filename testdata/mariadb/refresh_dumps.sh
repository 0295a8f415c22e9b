#!/usr/bin/env bash
# Regenerate the committed dumps in testdata/mariadb/dumps/ from tricky.sql:
# create the databases masker_tricky and masker_tricky2, dump them under every
# variant of dump_variants.sh (with --skip-dump-date, so reruns on the same
# server version give the same bytes), then drop both databases.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
conn=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}")
trap 'mariadb "${conn[@]}" -e "DROP DATABASE IF EXISTS masker_tricky; DROP DATABASE IF EXISTS masker_tricky2"' EXIT
"$here/create_tricky.sh" masker_tricky masker_tricky2 2>/dev/null
rm -rf "$here/dumps"
EXTRA_ARGS=--skip-dump-date "$here/dump_variants.sh" "$here/dumps" masker_tricky masker_tricky2 >/dev/null
ls -l "$here/dumps"
