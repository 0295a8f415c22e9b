#!/usr/bin/env bash
# End-to-end time of the masker-aws `backup` and `mask` jobs on the benchmark database, against
# moto's server (STS, KMS, RDS, S3) with the local MariaDB standing in for the restored cluster,
# split by step, next to the plain baseline `mariadb-dump --single-transaction DB | zstd > FILE`
# plus an upload of FILE to the same moto bucket, all in one run (issue 14, "Benchmarks").
#
# usage: benches/scripts/job_bench.sh [--keep] [SIZE_MB]
#
#   SIZE_MB   approximate size of the database as a mariadb-dump SQL file, in MB (10^6 bytes);
#             default 1000
#   --keep    leave the database in MariaDB afterwards (default: drop it at exit, also on failure)
#
# Slow (about 6 minutes for 1000 MB on 2 busy cores, 2 more to generate the database) and never
# part of CI. What it does:
#
# 1. The database `masker_jobbench` (env JOB_DB) is made by gen_dump.sh (`BENCH_DB=JOB_DB
#    gen_dump.sh --keep-db SIZE_MB bench-data/job-SIZE_MB`): generated server-side with the
#    same rows as gen_dump's bench.sql, reused when it already holds exactly the rows of SIZE_MB;
#    gen_dump also writes bench.sql there when it is missing. Timed, not counted.
# 2. moto_server on a free loopback port (killed at exit), set up as masker-aws's tests do
#    (tests/jobs_moto.rs): a customer-managed KMS key, an encrypted cluster `prod` with the
#    snapshot `prod-snap` under it, the bucket `backups`.
# 3. `masker-aws backup`, then the baseline, then `masker-aws mask` (benches/scripts/
#    bench-rules.toml, MASKER_KEY set to a fixed test key), so that a change of the machine's
#    load during the run hits the jobs and the baseline alike. The jobs read the database through
#    the job file's [testing] database_address (the fake RDS endpoint mapped to the local
#    server, as in the tests); the restore test loads into a scratch database on that server.
#    Each step's seconds come from its audit record (duration_ms). CPU seconds are sampled from
#    /proc every 50 ms and cut where each audit record appears: the job process itself, mariadbd
#    and moto_server; the whole job's own CPU comes from wait4's rusage.
# 4. The baseline: `mariadb-dump --single-transaction DB | zstd -q > FILE` (level 3, one thread)
#    over TCP to the same server, then FILE uploaded to s3://backups/baseline/ with boto3's
#    upload_file (8 MiB multipart parts, 10 threads by default). Its CPU: the two processes
#    (rusage), mariadbd and moto_server the same way as for the jobs.
#
# The table: per step seconds, CPU seconds (job + mariadbd + moto, then each), CPU seconds per
# GB of the uncompressed dump (the baseline's SQL bytes, counted after the run by decompressing
# FILE, not timed), and each job's whole time and CPU as a ratio to the baseline's. The load
# average and the number of rustc processes are printed before and after (the machine is shared).
# mariadbd serves other sessions too: its CPU is whatever it did meanwhile.
#
# Environment:
#   MASKER_AWS_BIN   the masker-aws binary; when unset, `cargo build --release -p masker-aws`
#                    is run (CARGO_TARGET_DIR honoured) and its release binary used
#   JOB_DB           database name (default masker_jobbench)
#   DB_ADDRESS       the MariaDB server as host:port (default 127.0.0.1:3306), user root, no
#                    password (DB_USER to change the user)
#   JOB_THREADS      [dump] threads of both jobs (default: masker-aws's default, 2)
#   WAIT_SECONDS     [restore] wait_seconds (default 300: moto's resources are ready at once)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)

SIZE_MB=1000
KEEP=0
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "job_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) positional+=("$1") ;;
    esac
    shift
done
[ ${#positional[@]} -ge 1 ] && SIZE_MB=${positional[0]}
[ ${#positional[@]} -ge 2 ] && { echo "job_bench.sh: too many arguments (see --help)" >&2; exit 2; }
case "$SIZE_MB" in ''|*[!0-9]*|0) echo "job_bench.sh: SIZE_MB must be a positive integer" >&2; exit 2 ;; esac

DB=${JOB_DB:-masker_jobbench}
case "$DB" in ''|*[!a-zA-Z0-9_]*) echo "job_bench.sh: JOB_DB may hold only letters, digits and _" >&2; exit 2 ;; esac
DB_ADDRESS=${DB_ADDRESS:-127.0.0.1:3306}
DB_HOST=${DB_ADDRESS%:*}
DB_PORT=${DB_ADDRESS##*:}
DB_USER=${DB_USER:-root}
DBARGS=(-u"$DB_USER" -h"$DB_HOST" -P"$DB_PORT")
WAIT_SECONDS=${WAIT_SECONDS:-300}
OUTDIR=$ROOT/bench-data/job-$SIZE_MB
export MASKER_KEY=${MASKER_BENCH_KEY:-masker-bench-fixed-test-key-0123456789abcdef}

die() { echo "job_bench.sh: $*" >&2; exit 1; }
log() { printf '[job_bench %s] %s\n' "$(date +%T)" "$*" >&2; }
sql() { mariadb "${DBARGS[@]}" --batch --skip-column-names "$@"; }
loadavg() { printf '%s (rustc processes: %s)' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(pgrep -c -x rustc || true)"; }

for tool in mariadb mariadb-dump zstd python3 moto_server; do
    command -v "$tool" >/dev/null || die "$tool not found (moto_server: pip install 'moto[server]')"
done
python3 -c 'import boto3' 2>/dev/null || die "python3 cannot import boto3 (pip install 'moto[server]' brings it)"
sql -e 'SELECT 1' >/dev/null || die "MariaDB at $DB_ADDRESS (user $DB_USER, no password) does not answer"
MARIADBD_PID=$(pgrep -o -x mariadbd || pgrep -o -x mysqld || true)
[ -n "$MARIADBD_PID" ] || die "no mariadbd (or mysqld) process on this machine: its CPU cannot be read"

# --- the binary -------------------------------------------------------------------------------
if [ -n "${MASKER_AWS_BIN:-}" ]; then
    MASKER_AWS=$MASKER_AWS_BIN
    [ -x "$MASKER_AWS" ] || MASKER_AWS=$(command -v "$MASKER_AWS") || die "MASKER_AWS_BIN=$MASKER_AWS_BIN is not executable"
else
    log "cargo build --release -p masker-aws"
    (cd "$ROOT" && cargo build --release -p masker-aws) || die "cargo build failed"
    MASKER_AWS=${CARGO_TARGET_DIR:-$ROOT/target}/release/masker-aws
    [ -x "$MASKER_AWS" ] || die "no binary at $MASKER_AWS after the build"
fi

# --- clean-up at exit -------------------------------------------------------------------------
WORK=$(mktemp -d)
MOTO_PID=
cleanup() {
    local rc=$?
    if [ -n "$MOTO_PID" ]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
    if [ "$KEEP" -eq 0 ] && [ "${DB_MADE:-0}" -eq 1 ]; then
        sql -e "DROP DATABASE IF EXISTS \`$DB\`" && log "dropped database $DB (--keep keeps it)"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the measuring helper ---------------------------------------------------------------------
# run: starts a command, samples the CPU ticks of itself (while it runs), mariadbd and moto every
# 50 ms, and each time a new line appears in the audit file records the step with the samples;
# writes everything as JSON. report: the table.
cat > "$WORK/measure.py" <<'PY'
import json, os, subprocess, sys, time

TCK = os.sysconf('SC_CLK_TCK')

def ticks(pid):
    """utime + stime of a live process, in seconds; None when it is gone."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TCK
    except (OSError, IndexError, ValueError):
        return None

def run(out, audit, pids, cmd, stdout, stderr):
    others = {name: int(p) for name, p in pids}
    def sample(own):
        s = {'t': time.monotonic() - t0, 'job': own}
        for name, p in others.items():
            s[name] = ticks(p)
        return s
    seen, events, buf = 0, [], b''
    def read_audit(own):
        nonlocal seen, buf
        if not audit or not os.path.exists(audit):
            return
        with open(audit, 'rb') as f:
            f.seek(seen)
            new = f.read()
        seen += len(new)
        buf += new
        *lines, buf = buf.split(b'\n')
        for line in lines:
            if line.strip():
                r = json.loads(line)
                events.append({'step': r.get('step'), 'outcome': r.get('outcome'),
                               'duration_ms': r.get('duration_ms'), 'details': r.get('details'),
                               'sample': sample(own)})
    t0 = time.monotonic()
    start = sample(0.0)
    with open(stdout, 'wb') as o, open(stderr, 'wb') as e:
        p = subprocess.Popen(cmd, stdout=o, stderr=e)
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        read_audit(ticks(p.pid))
        time.sleep(0.05)
    wall = time.monotonic() - t0
    own = ru.ru_utime + ru.ru_stime
    read_audit(own)
    end = sample(own)
    with open(out, 'w') as f:
        json.dump({'cmd': cmd, 'rc': os.waitstatus_to_exitcode(status), 'wall': wall,
                   'start': start, 'end': end, 'events': events,
                   'peak_rss_kib': ru.ru_maxrss}, f)
    return os.waitstatus_to_exitcode(status)

WHO = ('job', 'mariadbd', 'moto')

def span(a, b):
    """CPU seconds of each process between two samples (None where one is missing)."""
    return [None if a.get(w) is None or b.get(w) is None else b[w] - a[w] for w in WHO]

def report(gb, size_label, runs):
    """runs: (label, json file) in the order measured; the jobs have audit events, the
    baseline ('baseline') has two parts, each measured like a job without events."""
    rows, totals = [], {}
    def add(name, secs, cpus, note=''):
        total = sum(x for x in cpus if x is not None)
        rows.append((name, secs, total, cpus, note))
        return total
    for label, path in runs:
        d = json.load(open(path))
        if label == 'baseline':
            cpus_all, wall = [0.0, 0.0, 0.0], 0.0
            for name, part in (('mariadb-dump --single-transaction DB \\| zstd > FILE', d['dump']),
                               ('upload FILE to the bucket (boto3 upload_file)', d['upload'])):
                cpus = span(part['start'], part['end'])
                add(f'baseline: {name}', part['wall'], cpus)
                cpus_all = [x + (y or 0.0) for x, y in zip(cpus_all, cpus)]
                wall += part['wall']
            totals[label] = (wall, add('**baseline: whole**', wall, cpus_all))
            continue
        prev, steps = d['start'], 0.0
        for ev in d['events']:
            secs = (ev['duration_ms'] or 0) / 1000
            steps += secs
            add(f"{label}: {ev['step']}", secs, span(prev, ev['sample']),
                '' if ev['outcome'] == 'ok' else ev['outcome'])
            prev = ev['sample']
        add(f'{label}: outside the steps', d['wall'] - steps, span(prev, d['end']),
            'start-up, audit chain, exit')
        totals[label] = (d['wall'], add(f'**{label}: whole job**', d['wall'],
                                        span(d['start'], d['end'])))
    fmt = lambda x: '' if x is None else f'{x:.2f}'
    print(f'| step ({size_label} of SQL) | seconds | CPU s | job / client | mariadbd | moto | CPU s/GB |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for name, secs, total, cpus, note in rows:
        label = name + (f' ({note})' if note else '')
        print(f'| {label} | {secs:.2f} | {total:.2f} | {fmt(cpus[0])} | {fmt(cpus[1])} | '
              f'{fmt(cpus[2])} | {total / gb:.2f} |')
    if 'baseline' in totals:
        bw, bc = totals['baseline']
        print()
        for label in ('backup', 'mask'):
            if label in totals:
                w, c = totals[label]
                print(f'{label} job / baseline: {w / bw:.1f}x the time, {c / bc:.1f}x the CPU seconds')

if __name__ == '__main__':
    if sys.argv[1] == 'run':
        # run OUT AUDIT STDOUT STDERR name=pid,... -- CMD...
        out, audit, so, se, pids = sys.argv[2:7]
        pids = [x.split('=') for x in pids.split(',') if x]
        sys.exit(run(out, audit if audit != '-' else None, pids, sys.argv[8:], so, se))
    elif sys.argv[1] == 'merge-baseline':
        # merge-baseline OUT DUMP_JSON UPLOAD_JSON
        json.dump({'dump': json.load(open(sys.argv[3])), 'upload': json.load(open(sys.argv[4]))},
                  open(sys.argv[2], 'w'))
    elif sys.argv[1] == 'report':
        gb = float(sys.argv[2]) / 1e9
        runs = [tuple(x.split('=', 1)) for x in sys.argv[4:]]
        report(gb, sys.argv[3], runs)
PY
# measure OUT AUDIT_OR_- STDOUT STDERR CMD... : runs CMD under the sampler; returns its status
measure() {
    local out=$1 audit=$2 so=$3 se=$4; shift 4
    python3 "$WORK/measure.py" run "$out" "$audit" "$so" "$se" "mariadbd=$MARIADBD_PID,moto=$MOTO_PID" -- "$@"
}

# --- 1. the database --------------------------------------------------------------------------
log "database $DB (~$SIZE_MB MB as SQL) through gen_dump.sh into $OUTDIR"
t0=$(date +%s.%N)
DB_MADE=1
BENCH_DB=$DB MARIADB_ARGS="${DBARGS[*]}" "$SCRIPT_DIR/gen_dump.sh" --keep-db "$SIZE_MB" "$OUTDIR" 2> "$WORK/gen.log" \
    || { cat "$WORK/gen.log" >&2; die "gen_dump.sh failed"; }
PREP_SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if grep -q 'reusing it' "$WORK/gen.log"; then PREP_WHAT="reused"; else PREP_WHAT="generated"; fi
ROWS=$(sql -e "SELECT CONCAT((SELECT COUNT(*) FROM \`$DB\`.users), ' users, ',
                             (SELECT COUNT(*) FROM \`$DB\`.orders), ' orders, ',
                             (SELECT COUNT(*) FROM \`$DB\`.blobs), ' blobs')")
INNODB_MB=$(sql -e "SELECT ROUND(SUM(data_length + index_length) / 1e6) FROM information_schema.TABLES WHERE table_schema = '$DB'")
log "database $DB $PREP_WHAT in ${PREP_SECS}s (not counted): $ROWS, $INNODB_MB MB in InnoDB"

# --- 2. moto ----------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MOTO_URL=http://127.0.0.1:$PORT
moto_server -H 127.0.0.1 -p "$PORT" > "$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 "$MOTO_PID" 2>/dev/null || { cat "$WORK/moto.log" >&2; die "moto_server exited"; }
    sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || die "moto_server did not listen on port $PORT within 30 s"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
    AWS_CONFIG_FILE=/nonexistent/masker-jobbench AWS_SHARED_CREDENTIALS_FILE=/nonexistent/masker-jobbench \
    AWS_ENDPOINT=$MOTO_URL AWS_ALLOW_HTTP=true
KEY=$(python3 - "$MOTO_URL" <<'PY'
import sys, boto3
kw = dict(endpoint_url=sys.argv[1])
rds, kms, s3 = (boto3.client(n, **kw) for n in ('rds', 'kms', 's3'))
key = kms.create_key(Description='platform')['KeyMetadata']['Arn']
rds.create_db_cluster(DBClusterIdentifier='prod', Engine='aurora-mysql', MasterUsername='admin',
    MasterUserPassword='prodpassword1', StorageEncrypted=True, KmsKeyId=key)
rds.create_db_cluster_snapshot(DBClusterIdentifier='prod', DBClusterSnapshotIdentifier='prod-snap')
s3.create_bucket(Bucket='backups')
print(key)
PY
) || die "setting up moto failed"
log "moto_server $(python3 -c 'import moto; print(moto.__version__)') on $MOTO_URL (pid $MOTO_PID)"

# --- 3. the job files -------------------------------------------------------------------------
job_file() { # KIND DIR
    local kind=$1 dir=$2 dump=""
    mkdir -p "$dir"
    [ "$kind" = mask ] && dump="rules = \"$SCRIPT_DIR/bench-rules.toml\""
    [ -n "${JOB_THREADS:-}" ] && dump="$dump"$'\n'"threads = $JOB_THREADS"
    cat > "$dir/job.toml" <<TOML
[aws]
region = "us-east-1"
endpoint_url = "$MOTO_URL"
[source]
latest_for_cluster = "prod"
[restore]
kms_key_id = "$KEY"
wait_seconds = $WAIT_SECONDS
ttl_hours = 2
[database]
name = "$DB"
[dump]
$dump
[output]
s3 = "s3://backups/jobbench"
[audit]
path = "$dir/audit.jsonl"
[testing]
database_address = "$DB_ADDRESS"
database_user = "$DB_USER"
TOML
}
run_job() { # KIND
    local kind=$1 dir=$WORK/$1 rc=0
    job_file "$kind" "$dir"
    log "masker-aws $kind; load average $(loadavg)"
    measure "$WORK/$kind.json" "$dir/audit.jsonl" "$dir/stdout" "$dir/stderr" \
        "$MASKER_AWS" "$kind" --config "$dir/job.toml" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "job_bench.sh: masker-aws $kind failed (exit status $rc); its output:" >&2
        tail -n 30 "$dir/stdout" "$dir/stderr" >&2
        exit 1
    fi
    log "masker-aws $kind done: $(tail -n 1 "$dir/stdout")"
}
run_baseline() {
    local rc=0
    log "baseline: mariadb-dump --single-transaction $DB | zstd, then upload; load average $(loadavg)"
    # shellcheck disable=SC2016  # $0 and $@ are expanded by the inner bash
    measure "$WORK/base-dump.json" - "$WORK/base-dump.out" "$WORK/base-dump.err" \
        bash -c 'set -o pipefail; mariadb-dump "$@" | zstd -q > "$0"' "$WORK/baseline.sql.zst" \
        "${DBARGS[@]}" --single-transaction "$DB" || rc=$?
    [ "$rc" -eq 0 ] || { cat "$WORK/base-dump.err" >&2; die "the baseline dump failed (exit status $rc)"; }
    measure "$WORK/base-upload.json" - "$WORK/base-upload.out" "$WORK/base-upload.err" \
        python3 -c 'import sys, boto3
boto3.client("s3", endpoint_url=sys.argv[1]).upload_file(sys.argv[2], "backups", "baseline/" + sys.argv[3])' \
        "$MOTO_URL" "$WORK/baseline.sql.zst" "$DB.sql.zst" || rc=$?
    [ "$rc" -eq 0 ] || { cat "$WORK/base-upload.err" >&2; die "the baseline upload failed (exit status $rc)"; }
    python3 "$WORK/measure.py" merge-baseline "$WORK/baseline.json" "$WORK/base-dump.json" "$WORK/base-upload.json"
    python3 - "$MOTO_URL" "$DB.sql.zst" "$(stat -c %s "$WORK/baseline.sql.zst")" <<'PY' || die "the baseline upload is not in the bucket at its size"
import sys, boto3
head = boto3.client('s3', endpoint_url=sys.argv[1]).head_object(Bucket='backups', Key='baseline/' + sys.argv[2])
assert head['ContentLength'] == int(sys.argv[3]), (head['ContentLength'], sys.argv[3])
PY
}

LOAD_BEFORE=$(loadavg)
T_START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
run_job backup
LOAD_MID1=$(loadavg)
run_baseline
LOAD_MID2=$(loadavg)
run_job mask
LOAD_AFTER=$(loadavg)

# --- 4. the report (nothing below is timed) ---------------------------------------------------
SQL_BYTES=$(zstd -q -d -c "$WORK/baseline.sql.zst" | wc -c)
ZST_BYTES=$(stat -c %s "$WORK/baseline.sql.zst")
[ "$SQL_BYTES" -gt 0 ] || die "the baseline dump is empty"
uploaded() { # KIND: bytes of the dump's chunks in S3, from the dump step's audit record
    python3 -c 'import json, sys
ev = [e for e in json.load(open(sys.argv[1]))["events"] if e["step"] == "dump"][0]
print(sum(t["bytes"] for t in ev["details"]["tables"]))' "$WORK/$1.json"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
echo
echo "masker-aws jobs end to end: database $DB ($ROWS; $INNODB_MB MB in InnoDB), $T_START"
echo "  baseline dump: $(mb "$SQL_BYTES") MB SQL (the GB of CPU s/GB), $(mb "$ZST_BYTES") MB zstd -3;"
echo "  uploaded by the jobs (zstd chunks): backup $(mb "$(uploaded backup)") MB, mask $(mb "$(uploaded mask)") MB"
echo "  database $PREP_WHAT by gen_dump.sh in ${PREP_SECS}s (not counted); moto $(python3 -c 'import moto; print(moto.__version__)'), $(sql -e 'SELECT VERSION()') at $DB_ADDRESS"
echo "  $(nproc) cores; load average (1/5/15 min) before $LOAD_BEFORE; after backup $LOAD_MID1;"
echo "  after the baseline $LOAD_MID2; after mask $LOAD_AFTER"
echo "  masker-aws: $MASKER_AWS; peak RSS backup $(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["peak_rss_kib"] / 1000))' "$WORK/backup.json") MB, mask $(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["peak_rss_kib"] / 1000))' "$WORK/mask.json") MB"
echo
python3 "$WORK/measure.py" report "$SQL_BYTES" "$(mb "$SQL_BYTES") MB" \
    "backup=$WORK/backup.json" "baseline=$WORK/baseline.json" "mask=$WORK/mask.json"
echo
echo "  seconds: from each step's audit record (duration_ms); whole rows: wall clock of the process."
echo "  CPU s: user + system seconds of the job (rusage at the end, /proc samples at each record),"
echo "  mariadbd and moto_server (/proc deltas over the same span); CPU s/GB: per GB (10^9 B) of SQL."
