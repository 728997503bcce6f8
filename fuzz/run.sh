#!/usr/bin/env bash
# Runs the cargo-fuzz targets (nightly toolchain; installs cargo-fuzz if
# missing). From anywhere:
#
#   fuzz/run.sh                 every target for $FUZZ_SECONDS (default 5) s,
#                               after replaying its corpus and past crashes
#   fuzz/run.sh --grow SECS     every target for SECS s, new inputs merged
#                               into fuzz/corpus (for development; commit them)
#   fuzz/run.sh TARGET...       only these targets
#
# A crash fails the run and leaves the input in fuzz/artifacts/TARGET/;
# fix the bug, then copy the input to fuzz/regressions/TARGET/ so that
# both this script and `cargo test` (psutil::fuzzing's tests) replay it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
SECONDS_EACH="${FUZZ_SECONDS:-5}"
GROW=0
if [[ "${1:-}" == "--grow" ]]; then
    GROW=1
    SECONDS_EACH="$2"
    shift 2
fi

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q '^nightly' || {
    echo "fuzz: no nightly toolchain (cargo fuzz needs one)" >&2
    exit 1
}

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# -O: optimized (the default debug build is far slower per input);
# --debug-assertions: overflow checks on, so a wrap is a crash.
cargo +nightly fuzz build -O --debug-assertions

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "regressions/$t" "$scratch/$t"
    # Replay every committed input once, then fuzz. Outside --grow, new
    # inputs go to a scratch directory so the committed corpus stays as is.
    # (libFuzzer reads its first directory too, so corpus/$t is named once.)
    dirs=("$scratch/$t" "corpus/$t")
    [[ $GROW -eq 1 ]] && dirs=("corpus/$t")
    echo "fuzz: $t: replay $(ls "corpus/$t" | wc -l) corpus + $(ls "regressions/$t" | wc -l) regression inputs, then ${SECONDS_EACH}s"
    if ! cargo +nightly fuzz run -O --debug-assertions "$t" "${dirs[@]}" "regressions/$t" -- \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 >"$scratch/$t.log" 2>&1; then
        failed+=("$t")
        tail -n 40 "$scratch/$t.log"
    else
        if [[ $GROW -eq 1 ]]; then
            # Keep only the inputs that add coverage: the corpus is committed.
            cargo +nightly fuzz cmin -O --debug-assertions "$t" "corpus/$t" >/dev/null 2>&1
        fi
        grep -E '^stat::(number_of_executed_units|new_units_added):' "$scratch/$t.log" \
            | tr '\n' ' ' | sed "s/^/fuzz: $t: /"
        echo
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets clean"
