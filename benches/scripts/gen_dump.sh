#!/usr/bin/env bash
# shellcheck disable=SC2317  # users_sql, orders_sql, blobs_sql are called by name in load_table
# Generate a realistic benchmark database in the local MariaDB and dump it.
#
# usage: benches/scripts/gen_dump.sh [--force] [--keep-db] [--tab DIR] [--mysql-style]
#                                    [SIZE_MB] [OUTDIR]
#
#   SIZE_MB        approximate size of the SQL dump in MB (10^6 bytes); default 600
#   OUTDIR         where the dumps go; default bench-data/ (git-ignored)
#   --force        regenerate even if OUTDIR/bench.sql already exists and is big enough
#   --keep-db      leave the `masker_bench` database in MariaDB afterwards (default: drop it)
#   --tab DIR      also dump with `mariadb-dump --tab=DIR` (one TABLE.sql + TABLE.txt per table;
#                  the .txt files are written by the server, so DIR is made world-writable)
#   --mysql-style  also write OUTDIR/bench-mysqlstyle.sql: the same dump with every tuple of an
#                  INSERT joined onto one line, the way MySQL's mysqldump writes it
#
# Writes OUTDIR/bench.sql (mariadb-dump, default options: MariaDB 10.11 extended inserts with
# each tuple on its own line), OUTDIR/bench.sql.zst (zstd -3) and OUTDIR/bench.stats (row counts,
# sizes, timings). All data is generated server-side with INSERT ... SELECT from the SEQUENCE
# engine and hash-derived pseudo-random values, so the same SIZE_MB always gives the same rows.
#
# Environment:
#   MARIADB_ARGS   connection options for mariadb / mariadb-dump (default: "-uroot", local socket;
#                  e.g. "-uroot -h127.0.0.1 -P3306")
#   BENCH_DB       database name (default masker_bench)
set -euo pipefail

SIZE_MB=600
OUTDIR=bench-data
FORCE=0
KEEP_DB=0
TAB_DIR=
MYSQL_STYLE=0
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --force) FORCE=1 ;;
        --keep-db) KEEP_DB=1 ;;
        --tab) TAB_DIR=${2:?--tab needs a directory}; shift ;;
        --tab=*) TAB_DIR=${1#--tab=} ;;
        --mysql-style) MYSQL_STYLE=1 ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "gen_dump.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) positional+=("$1") ;;
    esac
    shift
done
[ ${#positional[@]} -ge 1 ] && SIZE_MB=${positional[0]}
[ ${#positional[@]} -ge 2 ] && OUTDIR=${positional[1]}
[ ${#positional[@]} -ge 3 ] && { echo "gen_dump.sh: too many arguments" >&2; exit 2; }
case "$SIZE_MB" in ''|*[!0-9]*) echo "gen_dump.sh: SIZE_MB must be a positive integer" >&2; exit 2 ;; esac
[ "$SIZE_MB" -ge 1 ] || { echo "gen_dump.sh: SIZE_MB must be >= 1" >&2; exit 2; }

DB=${BENCH_DB:-masker_bench}
read -r -a DBARGS <<< "${MARIADB_ARGS:--uroot}"
SQL_OUT="$OUTDIR/bench.sql"
ZST_OUT="$OUTDIR/bench.sql.zst"
MY_OUT="$OUTDIR/bench-mysqlstyle.sql"
STATS="$OUTDIR/bench.stats"

for tool in mariadb mariadb-dump zstd; do
    command -v "$tool" >/dev/null || { echo "gen_dump.sh: $tool not found" >&2; exit 1; }
done
mkdir -p "$OUTDIR"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[gen_dump %s] %s\n' "$(date +%T)" "$*" >&2; }
sql() { mariadb "${DBARGS[@]}" --batch --skip-column-names "$@"; }
fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------------------------------------
# Sizing. Bytes per dumped row, measured on this generator (mariadb-dump output, see
# bench.stats after a run): users ~372, orders ~100, blobs ~8.5 KB. The blobs table gets ~15% of
# the bytes; users and orders (3 orders per user) share the rest.
# ---------------------------------------------------------------------------------------------
BYTES_USER=372
BYTES_ORDER=100
BYTES_BLOB=8520
TARGET=$((SIZE_MB * 1000000))
N_BLOBS=$(( TARGET * 15 / 100 / BYTES_BLOB ))
[ "$N_BLOBS" -ge 1 ] || N_BLOBS=1
N_USERS=$(( TARGET * 85 / 100 / (BYTES_USER + 3 * BYTES_ORDER) ))
[ "$N_USERS" -ge 10 ] || N_USERS=10
N_ORDERS=$(( N_USERS * 3 ))
BATCH=100000

db_exists() {
    [ -n "$(sql -e "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='$DB'")" ]
}
db_complete() {
    # the database exists and holds exactly the rows this SIZE_MB asks for
    db_exists || return 1
    local got
    got=$(sql -e "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM \`$DB\`.users),
                 (SELECT COUNT(*) FROM \`$DB\`.orders), (SELECT COUNT(*) FROM \`$DB\`.blobs))" 2>/dev/null) || return 1
    [ "$got" = "$N_USERS $N_ORDERS $N_BLOBS" ]
}

# ---------------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------------
create_schema() {
    sql <<SQL
DROP DATABASE IF EXISTS \`$DB\`;
CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE \`$DB\`;
CREATE TABLE users (
  id INT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(255) NOT NULL,
  phone VARCHAR(32) DEFAULT NULL,
  address VARCHAR(255) DEFAULT NULL,
  birth_date DATE DEFAULT NULL,
  memo TEXT DEFAULT NULL,
  profile JSON DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_email (email)
) ENGINE=InnoDB;
CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL,
  user_id INT UNSIGNED NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  status ENUM('pending','paid','shipped','delivered','cancelled','refunded') NOT NULL,
  created_at DATETIME NOT NULL,
  note VARCHAR(255) DEFAULT NULL,
  contact_email VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_user (user_id)
) ENGINE=InnoDB;
CREATE TABLE blobs (
  id INT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  data MEDIUMBLOB NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
-- 256 pseudo-random 16 KiB chunks (SHA-512 blocks); blob rows take slices of them
CREATE TABLE blob_pool (
  i INT UNSIGNED NOT NULL PRIMARY KEY,
  b MEDIUMBLOB NOT NULL
) ENGINE=InnoDB;
SET SESSION group_concat_max_len = 1048576;
INSERT INTO blob_pool
  SELECT p.seq, GROUP_CONCAT(UNHEX(SHA2(CONCAT('pool-', p.seq, '-', q.seq), 512)) ORDER BY q.seq SEPARATOR '')
  FROM seq_0_to_255 p JOIN seq_1_to_256 q GROUP BY p.seq;
SQL
}

# ---------------------------------------------------------------------------------------------
# Row generators: one INSERT ... SELECT per batch of $BATCH ids. h1..h3 are CRC32-derived
# pseudo-random numbers per row; everything is deterministic in the id. They are called by
# name from load_table.
# ---------------------------------------------------------------------------------------------
# The email of a user, from that user's per-row numbers (h1 h2 h3 jp seq: SQL expressions), so
# orders.contact_email can repeat its user's email exactly, as real order tables do.
email_expr() { # H1 H2 H3 JP SEQ
    local h1=$1 h2=$2 h3=$3 jp=$4 seq=$5
    cat <<SQL
  CONCAT(
     IF($jp,
        CONCAT(ELT(1 + $h2 % 20, 'taro','hanako','shota','hina','daisuke','misaki','kenichi','sakura',
                                 'ren','yui','yuma','aoi','takuya','mayumi','naoki','ai','ichiro',
                                 'keiko','ryosuke','hikari'),
               '.',
               ELT(1 + $h1 % 20, 'sato','suzuki','takahashi','tanaka','ito','watanabe','yamamoto',
                                 'nakamura','kobayashi','kato','yoshida','yamada','sasaki',
                                 'yamaguchi','matsumoto','inoue','kimura','hayashi','shimizu','saito')),
        CONCAT(LOWER(ELT(1 + $h2 % 20, 'James','Mary','John','Patricia','Robert','Jennifer','Michael',
                                       'Linda','William','Elizabeth','David','Barbara','Richard',
                                       'Susan','Joseph','Jessica','Thomas','Sarah','Charles','Karen')),
               ELT(1 + $h3 % 3, '.', '_', '+'),
               LOWER(ELT(1 + $h1 % 20, 'Smith','Johnson','Williams','Brown','Jones','Garcia','Miller',
                                       'Davis','Rodriguez','Martinez','Hernandez','Lopez','Gonzalez',
                                       'Wilson','Anderson','Thomas','Taylor','Moore','Jackson','oconnell')))),
     $seq, '@',
     ELT(1 + $h3 % 8, 'example.com','example.co.jp','mail.example.jp','docomo.ne.jp','ezweb.ne.jp',
                     'gmail.com','yahoo.co.jp','corp.example.org'))
SQL
}

users_sql() { # FROM TO
    cat <<SQL
SET SESSION unique_checks = 0, foreign_key_checks = 0;
INSERT INTO \`$DB\`.users (id, name, email, phone, address, birth_date, memo, profile)
SELECT seq,
  IF(jp,
     CONCAT(ELT(1 + h1 % 20, '佐藤','鈴木','高橋','田中','伊藤','渡辺','山本','中村','小林','加藤',
                              '吉田','山田','佐々木','山口','松本','井上','木村','林','清水','斎藤'),
            ' ',
            ELT(1 + h2 % 20, '太郎','花子','翔太','陽菜','大輔','美咲','健一','さくら','蓮','結衣',
                              '悠真','葵','拓也','真由美','直樹','愛','一郎','恵子','涼介','ひかり')),
     CONCAT(ELT(1 + h2 % 20, 'James','Mary','John','Patricia','Robert','Jennifer','Michael','Linda',
                              'William','Elizabeth','David','Barbara','Richard','Susan','Joseph',
                              'Jessica','Thomas','Sarah','Charles','Karen'),
            ' ',
            ELT(1 + h1 % 20, 'Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis',
                              'Rodriguez','Martinez','Hernandez','Lopez','Gonzalez','Wilson',
                              'Anderson','Thomas','Taylor','Moore','Jackson','O''Connell'))),
$(email_expr h1 h2 h3 jp seq),
  IF(h3 % 25 = 0, NULL,
     ELT(1 + h1 % 5,
         CONCAT('090-', LPAD(h2 % 10000, 4, '0'), '-', LPAD(h3 % 10000, 4, '0')),
         CONCAT('080-', LPAD(h3 % 10000, 4, '0'), '-', LPAD(h2 % 10000, 4, '0')),
         CONCAT('03-', LPAD(h2 % 10000, 4, '0'), '-', LPAD(h1 % 10000, 4, '0')),
         CONCAT('+81 70 ', LPAD(h2 % 10000, 4, '0'), ' ', LPAD(h3 % 10000, 4, '0')),
         CONCAT('(555) ', LPAD(h3 % 1000, 3, '0'), '-', LPAD(h2 % 10000, 4, '0')))),
  IF(h2 % 30 = 0, NULL,
     IF(jp,
        CONCAT('〒', LPAD(h1 % 1000, 3, '0'), '-', LPAD(h2 % 10000, 4, '0'), ' ',
               ELT(1 + h3 % 8, '東京都','大阪府','神奈川県','愛知県','北海道','福岡県','京都府','兵庫県'),
               ELT(1 + h1 % 8, '新宿区西新宿','中央区銀座','港区六本木','北区梅田','中区栄',
                               '博多区博多駅前','左京区吉田本町','横浜市西区みなとみらい'),
               1 + h2 % 9, '-', 1 + h3 % 30, '-', 1 + h1 % 20,
               IF(h2 % 3 = 0,
                  CONCAT(' ', ELT(1 + h3 % 4, 'メゾン桜','グランドハイツ','サンシャイン','コーポ青葉'),
                         ' ', 101 + h1 % 1500, '号室'),
                  '')),
        CONCAT(1 + h1 % 9999, ' ',
               ELT(1 + h2 % 8, 'Main Street','Oak Avenue','Maple Drive','Cedar Lane','Elm Street',
                               'Pine Road','Washington Blvd.','Lake View Terrace'),
               IF(h3 % 4 = 0, CONCAT(', Apt. ', 1 + h2 % 40, CHAR(65 + h1 % 6)), ''),
               ', ',
               ELT(1 + h3 % 8, 'Springfield','Portland','Fairview','Madison','Georgetown','Salem',
                               'Clinton','Arlington'),
               ', ', ELT(1 + h1 % 6, 'OR','CA','NY','TX','WA','IL'), ' ', LPAD(h2 % 100000, 5, '0')))),
  IF(h1 % 40 = 0, NULL, DATE('1940-01-01') + INTERVAL (h2 % 25000) DAY),
  ELT(1 + h3 % 10,
      NULL,
      CONCAT('It''s a "quoted" note', CHAR(10), 'second line', CHAR(9), 'tab', CHAR(13), CHAR(10),
             'path C:\\\\Users\\\\', seq, '\\\\memo.txt'),
      CONCAT('お客様より：「配送は午前中希望」', CHAR(10), '備考：', REPEAT('よろしくお願いします。', 1 + h1 % 4)),
      REPEAT(CONCAT(m, ' '), 1 + h1 % 6),
      CONCAT('regex=^\\\\d+\$', CHAR(9), 'nul=', CHAR(0), ' ctrl-z=', CHAR(26), ' back\\\\slash ''single'' "double"'),
      CONCAT('🍣🍺 絵文字テスト ', LEFT(m, 1 + h2 % 32), ' 😀'),
      CONCAT('Called on ', DATE('2023-01-01') + INTERVAL (h1 % 700) DAY, ': customer says "can''t log in"',
             CHAR(10), CHAR(9), '- reset password', CHAR(10), CHAR(9), '- 100% resolved; 50_50 split'),
      '',
      CONCAT('VIP customer. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod ',
             'tempor incididunt ut labore et dolore magna aliqua. ', m),
      CONCAT('multi', CHAR(10), 'line', CHAR(10), CHAR(10), 'text with trailing backslash \\\\')),
  JSON_OBJECT(
      'age', 18 + h1 % 60,
      'plan', ELT(1 + h2 % 3, 'free', 'pro', 'enterprise'),
      'tags', JSON_ARRAY(ELT(1 + h3 % 5, 'gold', 'silver', 'new', 'churn-risk', 'beta'),
                         ELT(1 + h1 % 4, '旅行', 'グルメ', 'sports', 'music')),
      'newsletter', h3 % 2 = 0,
      'score', (h1 % 10000) / 100,
      'nickname', IF(jp, 'たろう "taro"', 'Bob \\\\ O''Neil'))
FROM (SELECT seq, CRC32(CONCAT('u1-', seq)) AS h1, CRC32(CONCAT('u2-', seq)) AS h2,
             CRC32(CONCAT('u3-', seq)) AS h3, MD5(CONCAT('u-', seq)) AS m,
             CRC32(CONCAT('jp-', seq)) % 10 < 6 AS jp
      FROM seq_$1_to_$2) s;
SQL
}

orders_sql() { # FROM TO
    # contact_email repeats the ordering user's email (computed from user_id as users_sql does),
    # so the same value turns up in two tables, 3 times per user on average, far apart.
    cat <<SQL
SET SESSION unique_checks = 0, foreign_key_checks = 0;
INSERT INTO \`$DB\`.orders (id, user_id, amount, status, created_at, note, contact_email)
SELECT seq, uid,
  (h2 % 5000000) / 100 + 1,
  ELT(1 + h3 % 6, 'pending','paid','shipped','delivered','cancelled','refunded'),
  TIMESTAMP('2019-01-01 00:00:00') + INTERVAL (h2 % 189216000) SECOND,
  ELT(1 + h3 % 10, NULL, NULL, NULL, NULL, '置き配希望', 'Gift wrap, please',
      'Don''t ring the bell', 'Leave at door \\\\ back gate', CONCAT('coupon ', LEFT(MD5(seq), 8)),
      '請求書を同封してください'),
$(email_expr u1 u2 u3 ujp uid)
FROM (SELECT seq, uid, h2, h3, CRC32(CONCAT('u1-', uid)) AS u1, CRC32(CONCAT('u2-', uid)) AS u2,
             CRC32(CONCAT('u3-', uid)) AS u3, CRC32(CONCAT('jp-', uid)) % 10 < 6 AS ujp
      FROM (SELECT seq, 1 + CRC32(CONCAT('o1-', seq)) % $N_USERS AS uid,
                   CRC32(CONCAT('o2-', seq)) AS h2, CRC32(CONCAT('o3-', seq)) AS h3
            FROM seq_$1_to_$2) o) s;
SQL
}

blobs_sql() { # FROM TO
    # data: 32-byte unique header, then the bytes 00 27 5c 22 0a 0d 1a (every escape case),
    # then a 256 B .. 16 KiB slice of a random pool chunk (avg ~8 KiB).
    cat <<SQL
INSERT INTO \`$DB\`.blobs (id, name, data)
SELECT seq,
  CONCAT(ELT(1 + h1 % 4, 'avatar', 'scan', 'attachment', 'thumbnail'), '-', seq,
         ELT(1 + h1 % 4, '.png', '.pdf', '.bin', '.jpg')),
  CONCAT(UNHEX(SHA2(CONCAT('blob-', seq), 256)), 0x00275C220A0D1A,
         SUBSTRING(p.b, 1 + h2 % 1024, 256 + h3 % 15105))
FROM (SELECT seq, CRC32(CONCAT('b1-', seq)) AS h1, CRC32(CONCAT('b2-', seq)) AS h2,
             CRC32(CONCAT('b3-', seq)) AS h3
      FROM seq_$1_to_$2) s
JOIN \`$DB\`.blob_pool p ON p.i = s.h1 % 256;
SQL
}

load_table() { # NAME TOTAL BATCH
    local name=$1 total=$2 batch=$3 from=1 to
    while [ "$from" -le "$total" ]; do
        to=$(( from + batch - 1 )); [ "$to" -le "$total" ] || to=$total
        "${name}_sql" "$from" "$to"
        from=$(( to + 1 ))
    done | sql --database="$DB"
}

generate_db() {
    log "creating database $DB: $N_USERS users, $N_ORDERS orders, $N_BLOBS blobs (target ~${SIZE_MB} MB)"
    local t0; t0=$(now)
    create_schema
    # two connections in parallel (2 cores): users on one, orders then blobs on the other
    load_table users "$N_USERS" "$BATCH" & local p1=$!
    { load_table orders "$N_ORDERS" "$((BATCH * 2))" && load_table blobs "$N_BLOBS" 2000; } & local p2=$!
    local rc=0
    wait "$p1" || rc=1
    wait "$p2" || rc=1
    [ "$rc" -eq 0 ] || { echo "gen_dump.sh: data generation failed" >&2; exit 1; }
    sql -e "DROP TABLE \`$DB\`.blob_pool"
    GEN_SECS=$(elapsed "$t0")
    log "generated in ${GEN_SECS}s"
}

dump_sql() {
    log "dumping to $SQL_OUT (+ $ZST_OUT)"
    local t0; t0=$(now)
    rm -f "$SQL_OUT.tmp" "$ZST_OUT.tmp"
    # the dump goes to disk and through zstd at once; both are renamed only on success
    mariadb-dump "${DBARGS[@]}" "$DB" \
        | tee "$SQL_OUT.tmp" | zstd -q -3 -T1 -o "$ZST_OUT.tmp"
    mv "$ZST_OUT.tmp" "$ZST_OUT"
    mv "$SQL_OUT.tmp" "$SQL_OUT"
    DUMP_SECS=$(elapsed "$t0")
    log "dumped in ${DUMP_SECS}s: $(fsize "$SQL_OUT") bytes, zst $(fsize "$ZST_OUT") bytes"
}

make_mysql_style() {
    log "writing $MY_OUT (one line per INSERT, as MySQL's mysqldump)"
    local t0; t0=$(now)
    # MariaDB writes "INSERT INTO `t` VALUES\n(1,...),\n(2,...);". A raw newline never occurs
    # inside an INSERT's values, so joining the tuple lines gives MySQL's
    # "INSERT INTO `t` VALUES (1,...),(2,...);" (statements still cut at ~1 MB by mariadb-dump).
    LC_ALL=C perl -pe 'if ($in) { if (/\);\n\z/) { $in = 0 } else { s/\n\z// } }
                       elsif (/^INSERT INTO .* VALUES\n\z/) { s/\n\z/ /; $in = 1 }' \
        "$SQL_OUT" > "$MY_OUT.tmp"
    mv "$MY_OUT.tmp" "$MY_OUT"
    log "written in $(elapsed "$t0")s: $(fsize "$MY_OUT") bytes"
}

dump_tab() {
    log "dumping with --tab to $TAB_DIR"
    local t0; t0=$(now)
    mkdir -p "$TAB_DIR"
    TAB_DIR=$(cd "$TAB_DIR" && pwd)
    # secure_file_priv: NULL or '' means the server may write anywhere (MariaDB); a directory
    # means only under it
    local priv
    priv=$(sql -e "SELECT IFNULL(@@secure_file_priv, '')")
    if [ -n "$priv" ]; then
        case "$TAB_DIR/" in
            "${priv%/}/"*) ;;
            *) echo "gen_dump.sh: secure_file_priv=$priv: the server may only write under it; use --tab ${priv%/}/SOMEDIR" >&2
               exit 1 ;;
        esac
    fi
    # the server (user mysql) writes the .txt files: it needs to traverse and write the dir
    chmod 777 "$TAB_DIR"
    rm -f "$TAB_DIR"/users.txt "$TAB_DIR"/orders.txt "$TAB_DIR"/blobs.txt
    mariadb-dump "${DBARGS[@]}" --tab="$TAB_DIR" "$DB"
    TAB_SECS=$(elapsed "$t0")
    log "tab dump in ${TAB_SECS}s: $(du -sh "$TAB_DIR" | cut -f1)"
}

# ---------------------------------------------------------------------------------------------
GEN_SECS=- DUMP_SECS=- TAB_SECS=-
T_START=$(now)
MIN_BYTES=$(( TARGET * 8 / 10 ))
need_sql=1
if [ "$FORCE" -eq 0 ] && [ "$(fsize "$SQL_OUT")" -ge "$MIN_BYTES" ]; then
    need_sql=0
    log "$SQL_OUT exists ($(fsize "$SQL_OUT") bytes >= $MIN_BYTES); not regenerating (--force to redo)"
fi
need_tab=0
if [ -n "$TAB_DIR" ] && { [ "$FORCE" -eq 1 ] || [ ! -s "$TAB_DIR/users.txt" ] || [ ! -s "$TAB_DIR/blobs.txt" ]; }; then
    need_tab=1
fi
need_db=0
if [ "$need_sql" -eq 1 ] || [ "$need_tab" -eq 1 ] || [ "$KEEP_DB" -eq 1 ]; then need_db=1; fi

if [ "$need_db" -eq 1 ]; then
    if [ "$FORCE" -eq 0 ] && db_complete; then
        log "database $DB already holds the expected rows; reusing it"
    else
        generate_db
    fi
fi
[ "$need_sql" -eq 1 ] && dump_sql
if [ ! -s "$ZST_OUT" ] || [ "$ZST_OUT" -ot "$SQL_OUT" ]; then
    log "compressing $SQL_OUT -> $ZST_OUT"
    zstd -q -f -3 -T0 "$SQL_OUT" -o "$ZST_OUT"
fi
if [ "$MYSQL_STYLE" -eq 1 ] && { [ ! -s "$MY_OUT" ] || [ "$MY_OUT" -ot "$SQL_OUT" ]; }; then
    make_mysql_style
fi
[ "$need_tab" -eq 1 ] && dump_tab

if [ "$need_db" -eq 1 ]; then
    counts=$(sql -e "SELECT CONCAT('users=', (SELECT COUNT(*) FROM \`$DB\`.users),
                       ' orders=', (SELECT COUNT(*) FROM \`$DB\`.orders),
                       ' blobs=', (SELECT COUNT(*) FROM \`$DB\`.blobs))")
    if [ "$need_sql" -eq 1 ]; then
        {
            echo "size_mb_target=$SIZE_MB"
            echo "$counts" | tr ' ' '\n'
            echo "bench_sql_bytes=$(fsize "$SQL_OUT")"
            echo "bench_sql_zst_bytes=$(fsize "$ZST_OUT")"
            echo "generate_seconds=$GEN_SECS"
            echo "dump_seconds=$DUMP_SECS"
            echo "mariadb_version=$(sql -e 'SELECT VERSION()')"
            echo "generated_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        } > "$STATS"
    fi
    if [ "$KEEP_DB" -eq 1 ]; then
        log "keeping database $DB (--keep-db): $counts"
    else
        sql -e "DROP DATABASE \`$DB\`"
        log "dropped database $DB"
    fi
fi

log "done in $(elapsed "$T_START")s"
for f in "$SQL_OUT" "$ZST_OUT" "$MY_OUT"; do
    [ -f "$f" ] && printf '  %-40s %12s bytes\n' "$f" "$(fsize "$f")" >&2
done
[ -f "$STATS" ] && sed 's/^/  /' "$STATS" >&2
exit 0
