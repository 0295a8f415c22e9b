#!/usr/bin/env bash
# Regenerate testdata/mariadb/tab_csv/: a `mariadb-dump --tab` directory
# written comma-separated with every field enclosed in double quotes
# (`--fields-terminated-by=, --fields-enclosed-by='"'`), holding emails in
# `customers.email`, inside the free text of `customers.note`, and copied
# into `orders.contact`. Values carry commas, quotes, a newline and NULLs.
# Creates the database masker_tab_csv, dumps it (with --skip-dump-date, so
# reruns on the same server version give the same bytes), then drops it.
# The server writes the .txt files, so it must run on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
conn=(-h "${MYSQL_HOST:-127.0.0.1}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_USER:-root}")
db=masker_tab_csv
trap 'mariadb "${conn[@]}" -e "DROP DATABASE IF EXISTS $db"; rm -rf "${tmp:-}"' EXIT
mariadb "${conn[@]}" -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
mariadb "${conn[@]}" "$db" <<'SQL'
CREATE TABLE customers (
  id INT NOT NULL PRIMARY KEY,
  email VARCHAR(120) NOT NULL,
  name VARCHAR(80) NULL,
  note TEXT NULL
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE orders (
  id INT NOT NULL PRIMARY KEY,
  customer_id INT NOT NULL,
  contact VARCHAR(120) NULL,
  amount DECIMAL(10,2) NOT NULL
) DEFAULT CHARSET=utf8mb4;
SQL
names=("Xochiquetzal, Ana" 'Itzpapalotl "Itzi" Ruiz' "Tlazohtzin Oyarzun" "Cuauhtli Ybarra")
for i in $(seq 1 24); do
  email="cliente.$i.zq@correo-example.mx"
  name=${names[$((i % 4))]}
  case $((i % 6)) in
    0) note="NULL" ;;
    1) note="'pidió factura, escribir a $email por favor'" ;;
    2) note="'dice \"hola\", y nada más'" ;;
    3) note="'dos\nlíneas, con $email'" ;;
    *) note="'sin nota'" ;;
  esac
  echo "INSERT INTO customers VALUES ($i, '$email', '${name//\"/\\\"}', $note);"
  echo "INSERT INTO orders VALUES ($((100 + i)), $i, $( ((i % 5 == 0)) && echo NULL || echo "'$email'"), $i.50);"
done | mariadb "${conn[@]}" "$db"
tmp=$(mktemp -d)
chmod 0777 "$tmp"
mariadb-dump "${conn[@]}" --skip-dump-date --tab="$tmp" \
  --fields-terminated-by=, --fields-enclosed-by='"' "$db"
rm -rf "$here/tab_csv"
mkdir "$here/tab_csv"
cp "$tmp"/*.sql "$tmp"/*.txt "$here/tab_csv/"
ls -l "$here/tab_csv"
