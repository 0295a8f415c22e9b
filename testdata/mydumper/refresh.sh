#!/usr/bin/env bash
# Regenerate the committed mydumper directories in testdata/mydumper/ from
# shop.sql: create the database masker_mydumper in the local MariaDB, dump it
# with Debian's mydumper (0.10) under each variant below, then drop it.
#
#   testdata/mydumper/refresh.sh
#
# Variants (one directory each):
#   plain/       the defaults, with triggers, routines and events (-G -R -E)
#   chunked/     --rows 2 --statement-size 200 --complete-insert: several
#                numbered data files per table, several INSERTs per file
#   compressed/  --compress --rows 3: every file gzipped (.sql.gz)
# mydumper writes the dump's start and end time into each `metadata` file, so
# reruns differ there. Connection: MYSQL_HOST (127.0.0.1), MYSQL_PORT (3306),
# MYSQL_USER (root), MYSQL_PWD (empty).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=masker_mydumper
conn=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}")
trap 'mariadb "${conn[@]}" -e "DROP DATABASE IF EXISTS $db"' EXIT
mariadb "${conn[@]}" -e "DROP DATABASE IF EXISTS $db;
    CREATE DATABASE $db DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;"
mariadb "${conn[@]}" --default-character-set=utf8mb4 "$db" < "$here/shop.sql"

dump() { # VARIANT ARGS...
    local name=$1
    shift
    rm -rf "${here:?}/$name"
    mydumper "${conn[@]}" ${MYSQL_PWD:+-p "$MYSQL_PWD"} -B "$db" -o "$here/$name" \
        --threads 2 "$@"
    # mydumper makes the directory mode 0700; keep the files readable.
    chmod 0755 "$here/$name"
    echo "$name: $(ls "$here/$name" | wc -l) files"
}

dump plain -G -R -E
dump chunked -G --rows 2 --statement-size 200 --complete-insert
dump compressed -G --compress --rows 3
