#!/usr/bin/env bash
# First timing for issue 2: process_iter with 11 attributes over ~N
# processes, ours vs psutil 7.2.2, alternating rounds in one run.
# Usage: bench/process_iter.sh [NPROCS] [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
nprocs="${1:-2000}"
rounds="${2:-5}"
tests/oracle/setup_venv.sh >/dev/null
py="$PWD/.venv-oracle/bin/python"
cargo build --release -q -p psutil --example bench_process_iter
ours="target/release/examples/bench_process_iter"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
have=$(ls /proc | grep -c '^[0-9]')
for ((i = have; i < nprocs; i++)); do
    sleep 3600 &
    pids+=($!)
done

psutil_round() {
    "$py" - <<'PY'
import time, psutil
attrs = ["pid", "ppid", "name", "username", "status", "create_time", "cmdline",
         "cpu_times", "memory_info", "num_threads", "nice"]
list(psutil.process_iter(attrs))  # warm the handle cache, as ours is warm
t = time.perf_counter()
n = len(list(psutil.process_iter(attrs)))
print(f"{(time.perf_counter() - t) * 1e3:.3f} {n}")
PY
}

ours_ms=()
psutil_ms=()
for ((r = 0; r < rounds; r++)); do
    read -r ms n < <("$ours" 2 | tail -1)
    ours_ms+=("$ms")
    read -r pms pn < <(psutil_round)
    psutil_ms+=("$pms")
    echo "round $r: ours ${ms} ms ($n procs), psutil ${pms} ms ($pn procs)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${ours_ms[@]}")
mp=$(median "${psutil_ms[@]}")
awk -v o="$mo" -v p="$mp" 'BEGIN {printf "median: ours %.2f ms, psutil %.2f ms, psutil/ours = %.1fx\n", o, p, p/o}'
