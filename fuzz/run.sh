#!/usr/bin/env bash
# Build every fuzz target and run each for SECONDS (default 30).
#
# usage: fuzz/run.sh [SECONDS]          (FUZZ_TARGETS="a b" to run only some targets)
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); without
# them it says so and exits 0, so CI on stable still passes (the committed corpus
# is replayed on stable by masker-core/tests/fuzz_corpus.rs).
#
# New inputs found while fuzzing go to a temporary corpus, not to fuzz/corpus/
# (keep the committed seeds small). A crash leaves its input in
# fuzz/artifacts/<target>/; copy it to fuzz/regressions/<target>/ with a name that
# says what broke, so the stable test replays it. Exits 1 if any target crashed.
set -euo pipefail

SECONDS_PER_TARGET=${1:-30}
case "$SECONDS_PER_TARGET" in ''|*[!0-9]*) echo "run.sh: SECONDS must be a number" >&2; exit 2 ;; esac
cd "$(dirname "$0")"

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "run.sh: no nightly toolchain; skipping fuzzing (the corpus replays in cargo test)"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "run.sh: cargo-fuzz is not installed (cargo install cargo-fuzz); skipping fuzzing"
    exit 0
fi

TARGETS=${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}
if ! cargo +nightly fuzz build; then
    echo "run.sh: building the fuzz targets failed" >&2
    exit 1
fi
# Run the built binaries directly: `cargo fuzz run` would rebuild before every target.
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin=${CARGO_TARGET_DIR:-target}/$triple/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for t in $TARGETS; do
    mkdir -p "$work/$t" "artifacts/$t" "corpus/$t"
    echo "== $t: ${SECONDS_PER_TARGET}s"
    if ! "$bin/$t" "$work/$t" "corpus/$t" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>"$work/$t.log"; then
        failed+=("$t")
        tail -40 "$work/$t.log" >&2
    fi
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::new_units_added)' "$work/$t.log" || true
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "run.sh: crashes in: ${failed[*]} (inputs in fuzz/artifacts/<target>/)" >&2
    exit 1
fi
echo "run.sh: no crashes"
