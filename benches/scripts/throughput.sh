#!/usr/bin/env bash
# Measure `masker mask` throughput on a dump next to `cat` and `zstd -d` of the same data,
# all in the same run on the same page-cached file.
#
# usage: benches/scripts/throughput.sh [--runs N] [--no-verify] [--no-scan-leak] [--tsv FILE]
#                                       [DUMP] [RULES...]
#
#   DUMP         the SQL dump to mask; default bench-data/bench.sql (make it with gen_dump.sh).
#                DUMP.zst is used for the zstd baseline (made with zstd -3 if missing).
#   RULES...     masking rules files to measure besides the empty rules;
#                default benches/scripts/bench-rules.toml
#   --runs N     rounds; each round runs every command once, in turn (interleaved, so a slow
#                phase of a shared machine hits all alike); the best is reported (default 5,
#                env RUNS)
#   --no-verify  skip the checks (not timed) that the empty-rules output equals the input byte
#                for byte and that each RULES output is at least half the input's size
#   --tsv FILE   also write the results as tab-separated values to FILE
#   --no-scan-leak  skip the three PII commands measured next to plain masking (default threads,
#                the first RULES file): `mask -o FILE`, the same with `--leak-check` (the
#                overhead of the leak check is reported as a percentage of the first), and
#                `masker scan DUMP`
#
# Each RULES file is measured once per keyed function: a copy with `[key] prf = "blake3"` and
# one with `prf = "hmac-sha256"` (env PRFS, default "blake3 hmac-sha256"; PRFS=keep measures
# the files as they are). CPU s/GB is user + system CPU seconds of the best run per GB (10^9
# bytes) of uncompressed dump: the cost of masking whatever the thread count.
#
# Environment:
#   MASKER_BIN   masker binary to measure; when unset, `cargo build --release -p masker-cli`
#                is run and target/release/masker is used
#   EMPTY_RULES  the empty rules file (default testdata/example/empty-rules.toml if it exists,
#                else benches/scripts/empty-rules.toml)
#   MASKER_KEY   set by this script to a fixed test key (override with MASKER_BENCH_KEY)
#
# Every MB/s figure is uncompressed dump bytes / wall-clock seconds, MB = 10^6 bytes. Peak RSS is
# "Maximum resident set size" from /usr/bin/time -v (the largest over the runs). The script
# exits non-zero if masker fails (its stderr is printed) or the identity check fails.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)

RUNS=${RUNS:-5}
VERIFY=1
SCAN_LEAK=1
TSV=
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=${2:?--runs needs a number}; shift ;;
        --runs=*) RUNS=${1#--runs=} ;;
        --no-verify) VERIFY=0 ;;
        --no-scan-leak) SCAN_LEAK=0 ;;
        --tsv) TSV=${2:?--tsv needs a file}; shift ;;
        --tsv=*) TSV=${1#--tsv=} ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; positional+=("$@"); break ;;
        -*) echo "throughput.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) positional+=("$1") ;;
    esac
    shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "throughput.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

if [ ${#positional[@]} -ge 1 ]; then DUMP=$(abspath "${positional[0]}"); else DUMP=$ROOT/bench-data/bench.sql; fi
RULES=()
if [ ${#positional[@]} -ge 2 ]; then
    for r in "${positional[@]:1}"; do RULES+=("$(abspath "$r")"); done
else
    RULES=("$SCRIPT_DIR/bench-rules.toml")
fi
if [ -n "${EMPTY_RULES:-}" ]; then
    EMPTY_RULES=$(abspath "$EMPTY_RULES")
elif [ -f "$ROOT/testdata/example/empty-rules.toml" ]; then
    EMPTY_RULES=$ROOT/testdata/example/empty-rules.toml
else
    EMPTY_RULES=$SCRIPT_DIR/empty-rules.toml
fi
if [ -n "$TSV" ]; then TSV=$(abspath "$TSV"); fi
export MASKER_KEY=${MASKER_BENCH_KEY:-masker-bench-fixed-test-key-0123456789abcdef}

die() { echo "throughput.sh: $*" >&2; exit 1; }
log() { printf '[throughput %s] %s\n' "$(date +%T)" "$*" >&2; }

[ -f "$DUMP" ] || die "no dump at $DUMP (run benches/scripts/gen_dump.sh first)"
for r in "$EMPTY_RULES" "${RULES[@]}"; do [ -f "$r" ] || die "no rules file at $r"; done
for tool in zstd awk; do command -v "$tool" >/dev/null || die "$tool not found"; done
if [ ! -x /usr/bin/time ]; then
    log "/usr/bin/time missing; installing it (apt-get install -y time)"
    { apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }; } \
        || die "/usr/bin/time is needed (apt-get install -y time)"
fi

# --- the binary -------------------------------------------------------------------------------
if [ -n "${MASKER_BIN:-}" ]; then
    MASKER=$MASKER_BIN
    command -v "$MASKER" >/dev/null 2>&1 || [ -x "$MASKER" ] || die "MASKER_BIN=$MASKER is not executable"
else
    log "cargo build --release -p masker-cli"
    (cd "$ROOT" && cargo build --release -p masker-cli) || die "cargo build failed"
    MASKER=${CARGO_TARGET_DIR:-$ROOT/target}/release/masker
    [ -x "$MASKER" ] || die "no binary at $MASKER after the build"
fi

# --- the data ---------------------------------------------------------------------------------
ZST=$DUMP.zst
if [ ! -f "$ZST" ] || [ "$ZST" -ot "$DUMP" ]; then
    log "making $ZST (zstd -3)"
    zstd -q -f -3 -T0 "$DUMP" -o "$ZST"
fi
BYTES=$(stat -c %s "$DUMP")
ZBYTES=$(stat -c %s "$ZST")
avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if [ $(( (BYTES + ZBYTES) / 1024 )) -gt "$avail_kb" ]; then
    log "warning: the dump does not fit in available memory; reads will hit the disk"
fi
log "warming the page cache"
cat "$DUMP" > /dev/null
cat "$ZST" > /dev/null

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- one copy of each rules file per keyed function (PRFS) --------------------------------------
# with_prf RULES PRF OUT: RULES with its [key] table's prf set to PRF (a [key] table is added
# when there is none)
with_prf() {
    awk -v prf="$2" '
        /^[[:space:]]*\[/ { if (inkey && !done) { print "prf = \"" prf "\""; done = 1 } inkey = 0 }
        /^[[:space:]]*\[key\][[:space:]]*(#.*)?$/ { print; inkey = 1; next }
        inkey && /^[[:space:]]*prf[[:space:]]*=/ { next }
        { print }
        END { if (inkey && !done) print "prf = \"" prf "\""; else if (!done) print "\n[key]\nprf = \"" prf "\"" }
    ' "$1" > "$3"
}
declare -A RULE_LABEL=()
PRFS=${PRFS:-blake3 hmac-sha256}
if [ "$PRFS" != keep ]; then
    variants=()
    for r in "${RULES[@]}"; do
        for prf in $PRFS; do
            v=$WORK/$(basename "$r" .toml).$prf.toml
            with_prf "$r" "$prf" "$v"
            RULE_LABEL[$v]="$(basename "$r"), $prf"
            variants+=("$v")
        done
    done
    RULES=("${variants[@]}")
fi
label_of() { if [ -n "${RULE_LABEL[$1]:-}" ]; then printf '%s\n' "${RULE_LABEL[$1]}"; else basename "$1"; fi; }

# --- checks (not timed) -----------------------------------------------------------------------
# with empty rules the output must be the input byte for byte; with masking rules it must still
# be a dump of about the input's size (a masker that fails silently must not look fast)
IDENTITY=skipped
declare -A OUT_BYTES=()
if [ "$VERIFY" -eq 1 ]; then
    log "checking that empty rules give the input back byte for byte"
    set +e
    "$MASKER" mask --rules "$EMPTY_RULES" "$DUMP" 2> "$WORK/stderr" | cmp -s - "$DUMP"
    st=("${PIPESTATUS[@]}")
    set -e
    if [ "${st[1]}" -eq 0 ] && [ "${st[0]}" -eq 0 ]; then
        IDENTITY=ok
    elif [ "${st[1]}" -eq 0 ]; then
        echo "throughput.sh: masker failed (exit status ${st[0]}): $MASKER mask --rules $EMPTY_RULES $DUMP" >&2
        tail -n 50 "$WORK/stderr" >&2
        exit 1
    else
        IDENTITY=FAILED
        log "IDENTITY CHECK FAILED: the empty-rules output differs from the input (masker exit status ${st[0]})"
        if [ -s "$WORK/stderr" ]; then tail -n 20 "$WORK/stderr" >&2; fi
    fi
    for rules in "${RULES[@]}"; do
        set +e
        out=$("$MASKER" mask --rules "$rules" "$DUMP" 2> "$WORK/stderr" | wc -c)
        st=("${PIPESTATUS[@]}")
        set -e
        if [ "${st[0]}" -ne 0 ]; then
            echo "throughput.sh: masker failed (exit status ${st[0]}): $MASKER mask --rules $rules $DUMP" >&2
            tail -n 50 "$WORK/stderr" >&2
            exit 1
        fi
        OUT_BYTES[$rules]=$out
        log "$(label_of "$rules"): $out bytes out for $BYTES in"
        if [ "$out" -lt $(( BYTES / 2 )) ]; then
            echo "throughput.sh: masking with $rules wrote only $out bytes for $BYTES bytes in" >&2
            exit 1
        fi
    done
fi

# --- measuring --------------------------------------------------------------------------------
# Every command is registered first, then run in $RUNS interleaved rounds (each round runs every
# command once, in order), so a slow phase of this shared machine hits all of them alike.
LABELS=() CMDS=()
add() { # LABEL CMD...
    LABELS+=("$1"); shift
    CMDS+=("$(printf '%q ' "$@")")
}
# run_once I : runs command I once with stdout to /dev/null; appends "seconds cpu% rss_kib cpu_s"
# to $WORK/runs.I (cpu_s: user + system seconds). On failure prints the command's stderr and exits.
run_once() {
    local i=$1 t0 t1 rc secs rss cpu cpu_s
    t0=$(date +%s%N)
    rc=0
    eval "/usr/bin/time -v -o \"\$WORK/time\" ${CMDS[$i]}" > /dev/null 2> "$WORK/stderr" || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" -ne 0 ]; then
        echo "throughput.sh: '${LABELS[$i]}' failed with exit status $rc: ${CMDS[$i]}" >&2
        echo "--- its stderr (last 50 lines) ---" >&2
        tail -n 50 "$WORK/stderr" >&2
        echo "---" >&2
        grep -E 'Command exited|Command terminated' "$WORK/time" >&2 || true
        exit 1
    fi
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time")
    cpu=$(awk -F': ' '/Percent of CPU this job got/ { sub(/%/, "", $2); print $2 }' "$WORK/time")
    cpu_s=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.3f", s }' "$WORK/time")
    echo "$secs ${cpu:-0} ${rss:-0} ${cpu_s:-0}" >> "$WORK/runs.$i"
}

# shellcheck disable=SC2016  # $1 is expanded by the inner bash
add "cat DUMP | cat > /dev/null" bash -c 'cat "$1" | cat' _ "$DUMP"
add "zstd -d -c DUMP.zst > /dev/null" zstd -q -d -c "$ZST"
RULE_NAMES=()
for rules in "$EMPTY_RULES" "${RULES[@]}"; do
    if [ "$rules" = "$EMPTY_RULES" ]; then name="empty rules"; else name=$(label_of "$rules"); fi
    RULE_NAMES+=("$name")
    add "masker mask ($name), --threads 1" "$MASKER" mask --rules "$rules" "$DUMP" --threads 1
    add "masker mask ($name), --threads 2" "$MASKER" mask --rules "$rules" "$DUMP" --threads 2
    add "masker mask ($name), default threads" "$MASKER" mask --rules "$rules" "$DUMP"
done

# The PII guards next to plain masking: the leak check reads the written file back, so both
# mask runs write to a file (-o), not stdout.
PLAIN_I= LEAK_I= SCAN_I=
if [ "$SCAN_LEAK" -eq 1 ]; then
    lr=${RULES[0]}
    PLAIN_I=${#CMDS[@]}
    add "masker mask -o FILE ($(basename "$lr"))" "$MASKER" mask -q --rules "$lr" "$DUMP" -o "$WORK/plain.sql"
    LEAK_I=${#CMDS[@]}
    add "masker mask --leak-check -o FILE ($(basename "$lr"))" "$MASKER" mask -q --rules "$lr" "$DUMP" -o "$WORK/leak.sql" --leak-check
    SCAN_I=${#CMDS[@]}
    add "masker scan DUMP" "$MASKER" scan "$DUMP"
fi

log "dump: $DUMP ($BYTES bytes), $ZST ($ZBYTES bytes); ${#CMDS[@]} commands, $RUNS rounds"
for ((round = 1; round <= RUNS; round++)); do
    for i in "${!CMDS[@]}"; do run_once "$i"; done
    log "round $round/$RUNS done"
done

# per command: best and median seconds, CPU% of the best run, largest RSS over the runs
BESTS=() MEDIANS=() CPUS=() RSSES=() CPU_SECS=()
for i in "${!CMDS[@]}"; do
    read -r best cpu median rss cpu_s < <(sort -g "$WORK/runs.$i" | awk '
        { t[NR] = $1; c[NR] = $2; if ($3 > r) r = $3; u[NR] = $4 }
        END { print t[1], c[1], t[int((NR + 1) / 2)], r + 0, u[1] + 0 }')
    BESTS+=("$best") CPUS+=("$cpu") MEDIANS+=("$median") RSSES+=("$rss") CPU_SECS+=("$cpu_s")
    log "$(printf '%-50s best %8.3fs  median %8.3fs' "${LABELS[$i]}" "$best" "$median")"
done
CAT_BEST=${BESTS[0]}
ZSTD_BEST=${BESTS[1]}
SPEEDUP_NAMES=() SPEEDUPS=()
for k in "${!RULE_NAMES[@]}"; do
    i1=$(( 2 + 3 * k )); i2=$(( i1 + 1 ))
    SPEEDUP_NAMES+=("${RULE_NAMES[$k]}")
    SPEEDUPS+=("$(awk -v a="${BESTS[$i1]}" -v b="${BESTS[$i2]}" 'BEGIN { printf "%.2f", a / b }')")
done

# --- report -----------------------------------------------------------------------------------
mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
pct() { awk -v base="$1" -v s="$2" 'BEGIN { printf "%.0f%%", 100 * base / s }'; }
echo
echo "masker throughput: $DUMP"
echo "  $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB uncompressed, $(awk -v b="$ZBYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB zstd; best of $RUNS rounds; MB = 10^6 bytes (MB/s: of the uncompressed dump)"
echo "  masker: $MASKER; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  empty rules: $EMPTY_RULES; identity check: $IDENTITY"
for rules in "${RULES[@]}"; do
    echo "  rules: $(label_of "$rules"); output ${OUT_BYTES[$rules]:-not checked} bytes"
done
echo
printf '| %-62s | %8s | %8s | %8s | %7s | %10s | %5s | %8s | %9s |\n' \
    "command" "best s" "median s" "MB/s" "vs cat" "vs zstd -d" "CPU" "CPU s/GB" "peak RSS"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..64})" "----------" "----------" \
    "----------" "---------" "------------" "-------" "----------" "-----------"
if [ -n "$TSV" ]; then printf 'command\tbest_s\tmedian_s\tmb_per_s\tvs_cat\tvs_zstd\tcpu_pct\tcpu_s_per_gb\tpeak_rss_kib\n' > "$TSV"; fi
cpu_per_gb() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.2f", s / (b / 1e9) }'; }
for i in "${!LABELS[@]}"; do
    printf '| %-62s | %8.3f | %8.3f | %8s | %7s | %10s | %4s%% | %8s | %6.1f MB |\n' \
        "${LABELS[$i]}" "${BESTS[$i]}" "${MEDIANS[$i]}" "$(mbps "${BESTS[$i]}")" \
        "$(pct "$CAT_BEST" "${BESTS[$i]}")" "$(pct "$ZSTD_BEST" "${BESTS[$i]}")" "${CPUS[$i]}" \
        "$(cpu_per_gb "${CPU_SECS[$i]}")" \
        "$(awk -v k="${RSSES[$i]}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')"
    if [ -n "$TSV" ]; then printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${LABELS[$i]}" "${BESTS[$i]}" \
        "${MEDIANS[$i]}" "$(mbps "${BESTS[$i]}")" "$(pct "$CAT_BEST" "${BESTS[$i]}")" \
        "$(pct "$ZSTD_BEST" "${BESTS[$i]}")" "${CPUS[$i]}" "$(cpu_per_gb "${CPU_SECS[$i]}")" \
        "${RSSES[$i]}" >> "$TSV"; fi
done
echo
for i in "${!SPEEDUPS[@]}"; do
    echo "  speedup --threads 2 / --threads 1 (${SPEEDUP_NAMES[$i]}): ${SPEEDUPS[$i]}x"
done
if [ -n "$LEAK_I" ]; then
    echo "  leak check overhead (mask -o FILE --leak-check vs mask -o FILE, best of each): $(awk -v a="${BESTS[$LEAK_I]}" -v b="${BESTS[$PLAIN_I]}" 'BEGIN { printf "%+.0f%%", 100 * (a - b) / b }') (target: under +30%)"
    echo "  scan of the whole dump: $(mbps "${BESTS[$SCAN_I]}") MB/s ($(awk -v a="${BESTS[$SCAN_I]}" -v b="${BESTS[$PLAIN_I]}" 'BEGIN { printf "%.0f%%", 100 * a / b }') of the masking time)"
fi
echo "  (vs cat / vs zstd -d: masker MB/s as a percentage of that baseline's MB/s in this run)"
if [ -n "$TSV" ]; then echo "  results also in $TSV"; fi

if [ "$IDENTITY" = FAILED ]; then echo "throughput.sh: the empty-rules output differs from the input" >&2; exit 1; fi
exit 0
