#!/usr/bin/env bash
# Differential test: our `psutil` CLI against the real psutil 7.2.2.
#
#   tests/oracle/run_differential.sh [BIN] [-- extra compare.py options]
#
# BIN defaults to target/release/psutil. Needs .venv-oracle (setup_venv.sh).
# Spawns helper processes with known odd properties, then for both the
# per-process dump and the module dump takes ours1 / oracle / ours2 and runs
# compare.py on them. Snapshots and reports are kept in target/differential/.
#
# Environment: DIFF_ATTEMPTS (default 3) - a comparison that fails is retried
# with fresh snapshots, since a busy process can change between snapshots in
# ways no tolerance covers; a real bug fails every attempt. ORACLE_PYTHON
# overrides the oracle interpreter.
#
# SC2317: cleanup only runs from the trap; SC2217: </dev/null on purpose, so
# helpers never hold the caller's stdin.
# shellcheck disable=SC2317,SC2217
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

BIN="target/release/psutil"
if [[ $# -gt 0 && "$1" != "--" ]]; then
    BIN="$1"
    shift
fi
[[ "${1:-}" == "--" ]] && shift
COMPARE_EXTRA=("$@")

PY="${ORACLE_PYTHON:-$ROOT/.venv-oracle/bin/python}"
ATTEMPTS="${DIFF_ATTEMPTS:-3}"
OUT="$ROOT/target/differential"
ORACLE_DIR="$ROOT/tests/oracle"

die() { echo "run_differential: $*" >&2; exit 2; }
[[ -x "$BIN" ]] || die "no executable at $BIN (build it first)"
[[ -x "$PY" ]] || die "no oracle python at $PY (run tests/oracle/setup_venv.sh)"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

rm -rf "$OUT"
mkdir -p "$OUT"
TMP="$(mktemp -d /tmp/psutil-differential.XXXXXX)"

# ---------------------------------------------------------------------------
# Helper processes. HELPERS holds exactly the pids we started; only those are
# signalled at the end.
# ---------------------------------------------------------------------------
HELPERS=()

cleanup() {
    local pid i
    # TERM first so helper 10 can reap its zombie child, then KILL leftovers.
    for pid in "${HELPERS[@]}"; do
        kill -CONT "$pid" 2>/dev/null || true   # the stopped one
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${HELPERS[@]}"; do
        for ((i = 0; i < 100; i++)); do
            [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" == Z ]] && break
            sleep 0.02
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_comm PID COMM: wait until PID has exec'd into the program named COMM
# (before that it is still a copy of this shell and would look "changed").
wait_comm() {
    local pid="$1" want="$2" i
    for ((i = 0; i < 500; i++)); do
        [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$want" ]] && return 0
        sleep 0.01
    done
    die "helper $pid did not become '$want'"
}

LONG_EXE="$TMP/a-very-long-executable-name-for-psutil"   # comm: a-very-long-exe
ln -s "$(command -v sleep)" "$LONG_EXE"

# 1. comm truncated to 15 chars; psutil restores the full name from cmdline[0]
"$LONG_EXE" 600 </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! a-very-long-exe
# 2. exec -a: argv[0] starts with the truncated comm -> name is argv[0]'s basename
(exec -a "/nowhere/a-very-long-exec-a-name-sharing-the-prefix" "$LONG_EXE" 600) </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! a-very-long-exe
# 3. exec -a: argv[0] unrelated -> name stays the truncated comm
(exec -a "unrelated-argv0" "$LONG_EXE" 600) </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! a-very-long-exe
# 4. a plain sleeping process
sleep 600 </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! sleep
# 5. a stopped process
sleep 600 </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! sleep
kill -STOP "${HELPERS[-1]}"
# 6. one NUL-terminated argument containing spaces (psutil re-splits it);
#    cat blocks forever on a FIFO it holds open for writing itself
mkfifo "$TMP/fifo"
(exec -a "lonely arg with spaces" cat) <>"$TMP/fifo" >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! cat
# 6b. non-UTF-8 bytes in argv[0] and in the environment
env -i $'BAD\xe9=v\xff' PATH=/usr/bin:/bin bash -c $'exec -a "non-utf8-\xe9\xff-argv0" sleep 600' \
    </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! sleep
# 7. odd environment, cwd /
(cd / && exec env -i "SPACED=a b  c" "EQ=x=y=z" "EMPTY=" "UNI=ünï" PATH=/usr/bin:/bin \
    sleep 600) </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! sleep
# 8. nice, ionice best-effort level 5, affinity CPU 0
nice -n 7 ionice -c 2 -n 5 taskset -c 0 sleep 600 </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! sleep
# 9. ionice idle class
ionice -c 3 sleep 600 </dev/null >/dev/null 2>&1 &
HELPERS+=($!); wait_comm $! sleep
# 10. python: odd argv, threads, files open in every mode at known offsets,
#     an unreaped zombie child, a 15-char comm set with prctl
cat >"$TMP/helper.py" <<'PYEOF'
import ctypes, os, signal, sys, threading, time
tmp, ready = sys.argv[1], sys.argv[2]
for mode, name in (("w", "w.txt"), ("a", "a.txt"), ("r+", "rp.txt"), ("a+", "ap.txt")):
    with open(os.path.join(tmp, name), "w") as f:
        f.write("0123456789" * 10)
keep = []
fd = os.open(os.path.join(tmp, "w.txt"), os.O_RDONLY)
os.lseek(fd, 7, os.SEEK_SET)
keep.append(fd)
for mode, name in (("w", "w.txt"), ("a", "a.txt"), ("r+", "rp.txt"), ("a+", "ap.txt")):
    f = open(os.path.join(tmp, name), mode, buffering=1)
    f.write("x" * 13)
    keep.append(f)
stop = threading.Event()
for _ in range(3):
    threading.Thread(target=stop.wait, daemon=True).start()
zombie = os.fork()
if zombie == 0:
    os._exit(3)  # stays a zombie until SIGTERM: nobody wait()s for it
def reap_and_exit(signum, frame):
    os.waitpid(zombie, 0)
    os._exit(0)
signal.signal(signal.SIGTERM, reap_and_exit)
ctypes.CDLL(None).prctl(15, b"helper-with-15c", 0, 0, 0)  # PR_SET_NAME
with open(ready + ".tmp", "w") as f:
    f.write(str(zombie))
os.rename(ready + ".tmp", ready)
time.sleep(600)
PYEOF
python3 "$TMP/helper.py" "$TMP" "$TMP/ready" "arg with spaces" "" "tab	in" "ünïcödé" "--k=a=b" \
    </dev/null >/dev/null 2>"$TMP/helper.stderr" &
HELPERS+=($!)
for ((i = 0; i < 500; i++)); do [[ -e "$TMP/ready" ]] && break; sleep 0.01; done
[[ -e "$TMP/ready" ]] || { cat "$TMP/helper.stderr" >&2; die "python helper did not start"; }
ZOMBIE="$(cat "$TMP/ready")"   # reaped by init once its parent is killed

# 11./12. not test subjects but a guard against the observer effect: whether
#     a mapped file page counts as Private_* or Shared_* (and its Pss)
#     depends on how many processes map it. The oracle maps libpython & co,
#     which helper 10 maps too; without other long-lived processes mapping
#     them, those pages would be private in ours1/ours2 and shared in the
#     oracle. So keep two oracle interpreters that did a full dump alive
#     (two, so that each of them also sees the other's mappings).
cat >"$TMP/sidecar.py" <<'PYEOF'
import os, runpy, sys, time
script, ready = sys.argv[1], sys.argv[2]
sys.argv = [script]
runpy.run_path(script, run_name="__main__")
open(ready, "w").close()
time.sleep(600)
PYEOF
for n in 1 2; do
    "$PY" "$TMP/sidecar.py" "$ORACLE_DIR/dump_psutil.py" "$TMP/sidecar$n-ready" \
        </dev/null >/dev/null 2>&1 &
    HELPERS+=($!)
done
for n in 1 2; do
    for ((i = 0; i < 500; i++)); do [[ -e "$TMP/sidecar$n-ready" ]] && break; sleep 0.01; done
    [[ -e "$TMP/sidecar$n-ready" ]] || die "oracle sidecar $n did not start"
done

HELPER_PIDS="$(IFS=,; echo "${HELPERS[*]},$ZOMBIE")"
echo "run_differential: helpers $HELPER_PIDS"

# ---------------------------------------------------------------------------
# Snapshots and comparison
# ---------------------------------------------------------------------------

# run_trio KIND: take ours1/oracle/ours2 for KIND (procinfo|module) into
# $OUT/KIND-attemptN/ and compare; retried up to $ATTEMPTS times.
run_trio() {
    local kind="$1" attempt dir t0 ours_args oracle_args compare_args
    if [[ "$kind" == module ]]; then
        ours_args=(procinfo --module --json)
        oracle_args=(--module)
        compare_args=()
    else
        ours_args=(procinfo --all --json)
        oracle_args=()
        compare_args=(--require-pids "$HELPER_PIDS")
    fi
    for ((attempt = 1; attempt <= ATTEMPTS; attempt++)); do
        dir="$OUT/$kind-attempt$attempt"
        mkdir -p "$dir"
        t0="$(date +%s.%N)"
        if ! "$BIN" "${ours_args[@]}" >"$dir/ours1.json" 2>"$dir/ours1.stderr"; then
            echo "run_differential: '$BIN ${ours_args[*]}' failed:" >&2
            head -n 20 "$dir/ours1.stderr" >&2
            return 1
        fi
        "$PY" "$ORACLE_DIR/dump_psutil.py" "${oracle_args[@]}" >"$dir/oracle.json"
        "$BIN" "${ours_args[@]}" >"$dir/ours2.json" 2>"$dir/ours2.stderr" || {
            echo "run_differential: second '$BIN ${ours_args[*]}' failed" >&2
            return 1
        }
        if python3 "$ORACLE_DIR/compare.py" --t0 "$t0" "${compare_args[@]}" \
            "${COMPARE_EXTRA[@]}" "$dir/ours1.json" "$dir/oracle.json" "$dir/ours2.json" \
            >"$dir/report.txt" 2>&1; then
            cat "$dir/report.txt"
            echo "run_differential: $kind OK (attempt $attempt/$ATTEMPTS)"
            return 0
        fi
        cat "$dir/report.txt"
        echo "run_differential: $kind FAILED (attempt $attempt/$ATTEMPTS, files in $dir)"
        sleep 1
    done
    return 1
}

status=0
run_trio procinfo || status=1
run_trio module || status=1
if [[ $status -eq 0 ]]; then
    echo "run_differential: PASS"
else
    echo "run_differential: FAIL (snapshots in $OUT)"
fi
exit $status
