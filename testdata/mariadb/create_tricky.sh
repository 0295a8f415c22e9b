#!/usr/bin/env bash
# Create the tricky test databases in the local MariaDB.
#
#   testdata/mariadb/create_tricky.sh DBNAME [DBNAME2]
#
# DBNAME gets tricky.sql; DBNAME2 (optional) gets tricky_second.sql (another
# `users` table). Existing databases of those names are dropped first, so use
# names of your own (masker_test_...). Connection: MYSQL_HOST (127.0.0.1),
# MYSQL_PORT (3306), MYSQL_USER (root), MYSQL_PWD (empty).
# Drop them afterwards with: mariadb -e 'DROP DATABASE DBNAME'
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 DBNAME [DBNAME2]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
conn=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}"
      --default-character-set=utf8mb4)

load() { # DB FILE
    case $1 in *'`'*) echo "create_tricky.sh: bad database name" >&2; exit 2 ;; esac
    mariadb "${conn[@]}" -e "DROP DATABASE IF EXISTS \`$1\`;
        CREATE DATABASE \`$1\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;"
    mariadb "${conn[@]}" --show-warnings "$1" < "$2"
}

load "$1" "$here/tricky.sql"
if [ $# -eq 2 ]; then
    load "$2" "$here/tricky_second.sql"
fi
