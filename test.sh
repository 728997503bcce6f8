#!/usr/bin/env bash
# The single test command CI runs (via .ci/run). From the repository root:
#
#   ./test.sh
#
# Steps: setup, fmt, boundary, clippy, test, unprivileged, differential,
# prometheus, serve_abuse, containers, python, packaging, fuzz, soak, bench
# (smoke: each benchmark workload once), kernels (the live tests in qemu VMs
# on Linux 6.1 and 6.12). Every step runs even if an earlier one failed; the summary at
# the end lists them and the exit status is non-zero if any failed.
# TEST_SKIP=step1,step2 skips steps (for local use, e.g.
# TEST_SKIP=differential ./test.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SKIP=",${TEST_SKIP:-},"

STEP_NAMES=()
STEP_RESULTS=()

# run_step ID TITLE FUNCTION: announce, run FUNCTION in a subshell with
# errexit active (so the first failing command fails the step), record result.
run_step() {
    local id="$1" title="$2" fn="$3" rc start
    STEP_NAMES+=("$id")
    if [[ "$SKIP" == *",$id,"* ]]; then
        printf '\n==== [%s] %s: SKIPPED (TEST_SKIP)\n' "$id" "$title"
        STEP_RESULTS+=("skipped")
        return 0
    fi
    printf '\n==== [%s] %s\n' "$id" "$title"
    start=$SECONDS
    set +e
    (
        set -euo pipefail
        "$fn"
    )
    rc=$?
    set -e
    if [[ $rc -eq 0 ]]; then
        STEP_RESULTS+=("ok ($((SECONDS - start))s)")
    else
        STEP_RESULTS+=("FAILED, exit $rc ($((SECONDS - start))s)")
        printf '==== [%s] FAILED (exit %d)\n' "$id" "$rc"
    fi
}

# ---------------------------------------------------------------------------

step_setup() {
    tests/oracle/setup_venv.sh
    # tmux: the `psutil top` end-to-end tests drive it in a real terminal.
    command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
}

step_fmt() {
    cargo fmt --all -- --check
}

# Public modules call only the backend (tests/boundary.sh).
step_boundary() {
    tests/boundary.sh
}

# Clippy also enforces the library's docs: #![deny(missing_docs)] and
# #![deny(clippy::missing_errors_doc)] in crates/psutil/src/lib.rs (every
# public fn returning Result has an `# Errors` section); rustdoc then
# checks the intra-doc links.
step_clippy() {
    cargo clippy --workspace --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc -p psutil-rs --no-deps
}

step_test() {
    # Oracle tests compare with real psutil in .venv-oracle: required here.
    export PSUTIL_REQUIRE_ORACLE=1
    if cargo nextest --version >/dev/null 2>&1; then
        cargo nextest run --workspace --no-tests=warn --no-fail-fast
        cargo test --doc --workspace
    else
        cargo test --workspace --no-fail-fast
    fi
}

# Make PATH reachable (o+x on it and every parent directory) for user nobody.
allow_traverse() {
    local dir="$1" perms
    while [[ -n "$dir" && "$dir" != "/" ]]; do
        perms="$(stat -c %A "$dir")"   # e.g. drwxr-x--x: last char is "others x"
        if [[ "${perms:9:1}" != [xt] ]]; then
            echo "unprivileged: chmod o+x $dir"
            chmod o+x "$dir"
        fi
        dir="$(dirname "$dir")"
    done
}

# Every cargo-fuzz target briefly (FUZZ_SECONDS each, default 5), after
# replaying its committed corpus and past crashes (fuzz/run.sh).
step_fuzz() {
    FUZZ_SECONDS="${FUZZ_SECONDS:-5}" fuzz/run.sh
}

# Bounded soak: 20 s of process churn under the listing, connections and
# `psutil procinfo`; 100,000 calls without descriptor or memory growth.
step_soak() {
    SOAK_SECONDS="${SOAK_SECONDS:-20}" cargo test --release -p psutil-rs-cli --test soak -- \
        --ignored --test-threads=1 --nocapture
}

step_bench() {
    python3 bench/run.py --smoke
}

# ---- unprivileged pass ----------------------------------------------------
# Runs the tests named unprivileged_* of every test target named
# "unprivileged" (e.g. crates/psutil/tests/unprivileged.rs) as user nobody,
# from the binaries `cargo test` already built: checks AccessDenied paths and
# that nothing needs root. Skips when no such target exists.
run_unprivileged_tests() {
    local list exe dir n=0
    list="$(cargo test --workspace --no-run --message-format=json | python3 -c '
import json, os, sys
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    t = msg.get("target") or {}
    if (msg.get("reason") == "compiler-artifact" and t.get("name") == "unprivileged"
            and "test" in t.get("kind", []) and msg.get("executable")):
        print(msg["executable"] + "\t" + os.path.dirname(msg["manifest_path"]))
')"
    if [[ -z "$list" ]]; then
        echo "SKIP: no test target named 'unprivileged' yet"
        return 0
    fi
    while IFS=$'\t' read -r exe dir; do
        n=$((n + 1))
        echo "unprivileged: $exe (cwd $dir)"
        if [[ $EUID -ne 0 ]]; then
            # Already unprivileged: just run it.
            (cd "$dir" && "$exe" unprivileged_)
            continue
        fi
        allow_traverse "$(dirname "$exe")"
        allow_traverse "$dir"
        chmod o+rx "$exe"
        (cd "$dir" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
            env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME=/nonexistent TMPDIR=/tmp \
            LANG=C.UTF-8 RUST_BACKTRACE=1 CARGO_MANIFEST_DIR="$dir" \
            "$exe" unprivileged_)
    done <<<"$list"
    echo "unprivileged: ran $n test binar$([[ $n -eq 1 ]] && echo y || echo ies) as nobody"
}

step_differential() {
    cargo build --release --workspace
    tests/oracle/run_differential.sh "$TARGET_DIR/release/psutil"
}

# `psutil serve` scraped by a real Prometheus (installed from Debian's
# packages if missing), checked through its HTTP API; loopback only.
step_prometheus() {
    tests/prometheus/run.sh
}

# `psutil serve` under abuse on loopback (slowloris, keep-alive hammering,
# clients that never read, a connection flood): a well-behaved scraper must
# get >= 99 % of its scrapes answered. 8 s per scenario here; run
# tests/serve_abuse/run.py alone for the 60 s version with latencies.
step_serve_abuse() {
    command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }
    cargo build --release -q -p psutil-rs-cli
    python3 tests/serve_abuse/run.py --bin "$TARGET_DIR/release/psutil" --seconds 8 --check
}

# `psutil cgroup --json` inside real Docker containers (an image imported
# from busybox + our binary; nothing pulled); skips without a daemon.
step_containers() {
    tests/containers/run.sh
}

# The Python module: builds our wheel (maturin), runs tests/python/test_ours.py
# and psutil 7.2.2's own test suite against real psutil and against ours.
step_python() {
    tests/python/run_psutil_suite.sh
}

# Packaging: the manylinux2014 wheel (maturin --zig, no Docker) checked by
# auditwheel and smoke-tested in a fresh venv of every CPython 3.9-3.13 on
# the machine, the sdist built by plain pip, `cargo publish --dry-run` of
# psutil-rs (tests/packaging/run.sh installs its tools into build/packaging).
step_packaging() {
    tests/packaging/run.sh
}

# The live tests (and the CLI tests that need no Python) inside qemu VMs
# booting Debian's 6.1 LTS and 6.12 LTS kernels (tests/vm/run.sh installs
# qemu, busybox-static and cpio itself and caches the kernel packages in
# build/vm-cache). Software emulation: a few minutes per kernel.
step_kernels() {
    tests/vm/run.sh --kernel 6.1,6.12
}

# ---------------------------------------------------------------------------

run_step setup "oracle venv with psutil 7.2.2 from PyPI" step_setup
run_step fmt "cargo fmt --all -- --check" step_fmt
run_step boundary "public modules call only platform::imp::<area> (tests/boundary.sh)" step_boundary
run_step clippy "cargo clippy --workspace --all-targets -- -D warnings; rustdoc -D warnings" step_clippy
run_step test "cargo test (nextest if available) + doc tests" step_test
run_step unprivileged "unprivileged_* tests as user nobody" run_unprivileged_tests
run_step differential "release build + differential test against psutil 7.2.2" step_differential
run_step prometheus "psutil serve scraped by a real Prometheus (tests/prometheus/run.sh)" step_prometheus
run_step serve_abuse "psutil serve under abuse: scrapes still answered (tests/serve_abuse/run.py)" step_serve_abuse
run_step containers "psutil cgroup inside Docker containers with limits (tests/containers/run.sh)" step_containers
run_step python "Python module: our tests + psutil's own suite, real vs ours" step_python
run_step packaging "wheel (manylinux2014, CPython 3.9-3.13), sdist, crate packages (tests/packaging/run.sh)" step_packaging
run_step fuzz "cargo fuzz: every target briefly, corpus and past crashes replayed" step_fuzz
run_step soak "soak: churn under listing/connections/procinfo; no fd or RSS growth" step_soak
run_step bench "benchmarks in smoke mode (bench/run.py --smoke)" step_bench
run_step kernels "live tests in VMs on Linux 6.1 and 6.12 (tests/vm/run.sh)" step_kernels

printf '\n==== summary\n'
failed=0
for i in "${!STEP_NAMES[@]}"; do
    printf '  %-13s %s\n' "${STEP_NAMES[$i]}" "${STEP_RESULTS[$i]}"
    [[ "${STEP_RESULTS[$i]}" == FAILED* ]] && failed=1
done
if [[ $failed -ne 0 ]]; then
    echo "RESULT: FAIL"
    exit 1
fi
echo "RESULT: OK"
