#!/usr/bin/env bash
# Dump the tricky databases (see create_tricky.sh) with mariadb-dump under each
# option variant masker must pass through unchanged.
#
#   testdata/mariadb/dump_variants.sh OUTDIR DB1 DB2
#
# Writes OUTDIR/<variant>.sql for every variant below and prints the names.
# DB1 is dumped alone (except `databases`, which dumps DB1 and DB2 with
# --databases, so USE statements separate two `users` tables). EXTRA_ARGS is
# added to every run (e.g. EXTRA_ARGS=--skip-dump-date for reproducible files).
# Connection: MYSQL_HOST (127.0.0.1), MYSQL_PORT (3306), MYSQL_USER (root),
# MYSQL_PWD (empty).
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 OUTDIR DB1 DB2" >&2
    exit 2
fi
out=$1 db1=$2 db2=$3
mkdir -p "$out"
conn=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}")
read -r -a extra <<< "${EXTRA_ARGS:-}"

dump() { # VARIANT ARGS...
    local name=$1
    shift
    mariadb-dump "${conn[@]}" "${extra[@]}" "$@" > "$out/$name.sql"
    echo "$name"
}

dump default               "$db1"
dump complete-insert       --complete-insert "$db1"
dump insert-ignore         --insert-ignore "$db1"
dump replace               --replace "$db1"
dump skip-extended-insert  --skip-extended-insert "$db1"
dump hex-blob              --hex-blob "$db1"
dump compact               --compact "$db1"
dump no-create-info        --no-create-info "$db1"
dump databases             --databases "$db1" "$db2"
dump routines              --routines --triggers --events "$db1"
# A latin1 connection cannot name the column `日本語カラム` (mariadb-dump sends
# `??????` and fails), so this variant dumps only the tables it can express.
dump latin1                --default-character-set=latin1 "$db1" \
                           users escapes latin1_text cp932_text bytes misc gen
dump binary                --default-character-set=binary "$db1"
dump small-net-buffer      --net-buffer-length=4096 "$db1"
