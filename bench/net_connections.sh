#!/usr/bin/env bash
# net_connections('all') with ~5,000 open sockets, ours vs psutil 7.2.2,
# alternating rounds in one run. A python helper holds NPAIRS connected TCP
# pairs on loopback (2 sockets each, plus the listener); it is killed (by
# its PID) at the end.
# Usage: bench/net_connections.sh [NPAIRS] [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npairs="${1:-2500}"
rounds="${2:-7}"
tests/oracle/setup_venv.sh >/dev/null
py="$PWD/.venv-oracle/bin/python"
cargo build --release -q -p psutil --example bench_net_connections
ours="target/release/examples/bench_net_connections"

fifo=$(mktemp -u /tmp/psutil-bench-net.XXXXXX)
mkfifo "$fifo"
helper=""
cleanup() {
    if [[ -n "$helper" ]]; then kill "$helper" 2>/dev/null || true; wait "$helper" 2>/dev/null || true; fi
    rm -f "$fifo"
}
trap cleanup EXIT

python3 - "$npairs" >"$fifo" <<'PY' &
import resource, socket, sys, time
n = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = 2 * n + 100
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(want, hard)), hard))
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1024)
keep = []
for _ in range(n):
    c = socket.create_connection(srv.getsockname())
    a, _ = srv.accept()
    keep += [c, a]
print(len(keep) + 1, flush=True)
while True:
    time.sleep(3600)
PY
helper=$!
read -r held <"$fifo"
echo "helper pid $helper holds $held sockets"

psutil_round() {
    "$py" - <<'PY'
import time, psutil
t = time.perf_counter()
n = len(psutil.net_connections("all"))
print(f"{(time.perf_counter() - t) * 1e3:.3f} {n}")
PY
}

ours_ms=()
psutil_ms=()
for ((r = 0; r < rounds; r++)); do
    read -r ms n < <("$ours" 3 | tail -1)
    ours_ms+=("$ms")
    read -r pms pn < <(psutil_round)
    psutil_ms+=("$pms")
    echo "round $r: ours ${ms} ms ($n sockets), psutil ${pms} ms ($pn sockets)"
done
# The /proc/net/* path, for reference.
read -r fms fn < <(PSUTIL_NO_NETLINK=1 "$ours" 3 | tail -1)
echo "ours without netlink (/proc/net/*): ${fms} ms ($fn sockets)"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${ours_ms[@]}")
mp=$(median "${psutil_ms[@]}")
awk -v o="$mo" -v p="$mp" 'BEGIN {printf "median: ours %.2f ms, psutil %.2f ms, psutil/ours = %.1fx\n", o, p, p/o}'
