#!/usr/bin/env bash
# The real round trip for `psutil serve`: a real Prometheus (Debian's
# package) scrapes a real `psutil serve`, and its HTTP API must return the
# right series and values. Also: `promtool check metrics` on a scrape, and
# the scrape latency with ~2,000 extra processes (must stay under 100 ms).
#
#   tests/prometheus/run.sh            # from the repository root
#
# Installs the `prometheus` package when prometheus/promtool are missing
# (root only; the package's own service is kept from starting, and
# stopped if it started anyway). Everything listens on 127.0.0.1 only, on
# free ports. Kills exactly the processes it started, and removes its
# temporary directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$PWD"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
NPROCS="${PSUTIL_SERVE_BENCH_PROCS:-2000}"

log() { printf 'prometheus: %s\n' "$*"; }
fail() {
    printf 'prometheus: FAIL: %s\n' "$*" >&2
    exit 1
}

# ---- install ---------------------------------------------------------------

install_prometheus() {
    if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
        return 0
    fi
    [[ $EUID -eq 0 ]] || fail "prometheus is not installed and installing needs root (apt-get install prometheus)"
    log "installing Debian's prometheus package"
    local before made_policy=0
    before="$(pgrep -x prometheus || true)"
    # Keep the package's service from starting (invoke-rc.d honours this).
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    local rc=0
    (
        export DEBIAN_FRONTEND=noninteractive
        # Recommends would bring prometheus-node-exporter, a second service.
        apt-get install -y -q --no-install-recommends prometheus >/dev/null ||
            { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends prometheus >/dev/null; }
    ) || rc=$?
    [[ $made_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    [[ $rc -eq 0 ]] || fail "apt-get install prometheus failed"
    # If the package's service started anyway (systemd), stop it.
    local now pid
    now="$(pgrep -x prometheus || true)"
    for pid in $now; do
        if ! grep -qx "$pid" <<<"$before"; then
            log "stopping the package's prometheus service (pid $pid)"
            if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
                systemctl stop prometheus || kill "$pid"
            else
                kill "$pid" 2>/dev/null || true
            fi
        fi
    done
    command -v prometheus >/dev/null && command -v promtool >/dev/null ||
        fail "prometheus/promtool missing after install"
}

# ---- processes we start, and cleanup -----------------------------------------

TMP="$(mktemp -d /tmp/psutil-prometheus.XXXXXX)"
STARTED=()   # every pid this script started
SLEEPERS=()  # the latency bench's sleep processes

cleanup() {
    local pid
    for pid in "${SLEEPERS[@]}" "${STARTED[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SLEEPERS[@]}" "${STARTED[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for SECONDS CMD...: retries CMD every 0.2 s until it succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [[ $SECONDS -lt $deadline ]] || return 1
        sleep 0.2
    done
}

# ---- Prometheus API helpers ----------------------------------------------------

# query EXPR: prints "labels-json<TAB>value" per series of an instant query.
query() {
    curl -fsS --get --data-urlencode "query=$1" "$PROM/api/v1/query" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "success", d
for r in d["data"]["result"]:
    print(json.dumps(r["metric"], sort_keys=True) + "\t" + r["value"][1])
'
}

# value EXPR: the single value of EXPR (fails if not exactly one series).
value() {
    local out
    out="$(query "$1")"
    [[ -n "$out" && "$(wc -l <<<"$out")" -eq 1 ]] || fail "query $1 returned: ${out:-nothing}"
    cut -f2 <<<"$out"
}

up_is_one() { [[ "$(value 'up{job="psutil"}' 2>/dev/null)" == 1 ]]; }

# ---------------------------------------------------------------------------------

install_prometheus
log "$(prometheus --version 2>&1 | head -1)"

log "building the release binary"
cargo build --release -q -p psutil-rs-cli
BIN="$TARGET_DIR/release/psutil"

# A process with a name of its own, for the per-process series.
cp "$(command -v sleep)" "$TMP/psutilbench"
"$TMP/psutilbench" 3600 &
BENCH_PID=$!
STARTED+=("$BENCH_PID")

"$BIN" serve --listen 127.0.0.1:0 --procs '^psutilbench$' 2>"$TMP/serve.err" &
SERVE_PID=$!
STARTED+=("$!")
wait_for 20 grep -q 'listening on' "$TMP/serve.err" || fail "psutil serve did not start: $(cat "$TMP/serve.err")"
ADDR="$(sed -n 's#.*listening on http://\(.*\)/metrics$#\1#p' "$TMP/serve.err")"
[[ "$ADDR" == 127.0.0.1:* ]] || fail "unexpected address '$ADDR'"
log "psutil serve on $ADDR"

PPORT="$(free_port)"
PROM="http://127.0.0.1:$PPORT"
cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: psutil
    static_configs:
      - targets: ['$ADDR']
EOF
promtool check config "$TMP/prometheus.yml" >/dev/null || fail "promtool rejects the config"
prometheus --config.file="$TMP/prometheus.yml" \
    --storage.tsdb.path="$TMP/data" \
    --web.listen-address="127.0.0.1:$PPORT" \
    --log.level=warn >"$TMP/prometheus.log" 2>&1 &
STARTED+=("$!")
wait_for 60 curl -fsS "$PROM/-/ready" || fail "prometheus not ready: $(tail -5 "$TMP/prometheus.log")"
log "prometheus on 127.0.0.1:$PPORT"

wait_for 60 up_is_one || fail "up{job=\"psutil\"} never became 1: $(curl -fsS "$PROM/api/v1/targets")"
# A few more scrapes, so rate() has samples.
sleep 4

# --- the series and their values ---
expected_mem="$("$BIN" meminfo --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual_memory"]["total"])')"
got_mem="$(value psutil_memory_total_bytes)"
[[ "$got_mem" == "$expected_mem" ]] || fail "psutil_memory_total_bytes $got_mem != meminfo's $expected_mem"
log "ok: psutil_memory_total_bytes = $got_mem (psutil meminfo --json: $expected_mem)"

btime="$(awk '/^btime/ {print $2}' /proc/stat)"
got_boot="$(value psutil_boot_time_seconds)"
[[ "$got_boot" == "$btime" ]] || fail "psutil_boot_time_seconds $got_boot != btime $btime"
log "ok: psutil_boot_time_seconds = $got_boot (/proc/stat btime)"

ncpu="$(getconf _NPROCESSORS_ONLN)"
[[ "$(value psutil_cpu_count_logical)" == "$ncpu" ]] || fail "psutil_cpu_count_logical != $ncpu"
[[ "$(value 'count(count by (cpu) (psutil_cpu_seconds_total))')" == "$ncpu" ]] ||
    fail "psutil_cpu_seconds_total does not cover $ncpu cpus"
# The last scraped total against /proc/stat's (cpuN lines, user..steal, in
# USER_HZ ticks) read now: at most a scrape interval apart.
total="$(value 'sum(psutil_cpu_seconds_total)')"
kernel="$(awk -v hz="$(getconf CLK_TCK)" '/^cpu[0-9]/ {for (i = 2; i <= 9; i++) t += $i} END {printf "%.2f", t / hz}' /proc/stat)"
python3 -c "import sys; sys.exit(0 if 0 <= $kernel - $total <= 5 * $ncpu else 1)" ||
    fail "sum(psutil_cpu_seconds_total) = $total, /proc/stat says $kernel"
# Per second of wall time, at most ncpu seconds of CPU (VMs may report less).
busy="$(value 'sum(rate(psutil_cpu_seconds_total[10s]))')"
python3 -c "import sys; r=float('$busy'); sys.exit(0 if 0 < r <= 1.1*$ncpu else 1)" ||
    fail "sum(rate(psutil_cpu_seconds_total)) = $busy for $ncpu cpus"
log "ok: $ncpu cpus; sum(psutil_cpu_seconds_total) = $total (/proc/stat now: $kernel); rate = $busy"

series="$(query "psutil_process_resident_memory_bytes{name=\"psutilbench\"}")"
grep -q "\"pid\": \"$BENCH_PID\"" <<<"$series" || fail "no per-process series for the bench process ($BENCH_PID): $series"
rss="$(cut -f2 <<<"$series")"
[[ "$rss" -gt 0 ]] || fail "bench process rss $rss"
[[ -n "$(query "psutil_process_cpu_seconds_total{pid=\"$BENCH_PID\",mode=\"user\"}")" ]] || fail "no cpu series for the bench process"
log "ok: psutil_process_resident_memory_bytes{pid=\"$BENCH_PID\",name=\"psutilbench\"} = $rss"

[[ -n "$(query 'psutil_filesystem_size_bytes{mountpoint="/"}')" ]] || fail "no filesystem series for /"
[[ -n "$(query 'psutil_network_receive_bytes_total{device="lo"}')" ]] || fail "no network series for lo"
[[ "$(value 'sum(psutil_processes)')" -gt 0 ]] || fail "no process counts"
# cgroups and pressure: the serve process's own cgroup has series (unless
# it is the root, which is the machine and left out), and system PSI goes
# out under node_exporter's names whenever the kernel has PSI.
own_cg="$("$BIN" cgroup "$SERVE_PID" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])')"
if [[ "$own_cg" != "/" ]]; then
    [[ -n "$(query "psutil_cgroup_cpu_usage_seconds_total{cgroup=\"$own_cg\"} or psutil_cgroup_memory_usage_bytes{cgroup=\"$own_cg\"}")" ]] ||
        fail "no psutil_cgroup_* series for serve's own cgroup $own_cg"
fi
n_cg="$(value 'count(count by (cgroup) ({__name__=~"psutil_cgroup_.+"}))' 2>/dev/null || echo 0)"
if [[ -r /proc/pressure/cpu ]]; then
    psi="$(value psutil_pressure_cpu_waiting_seconds_total)"
    now="$(awk '/^some/ {sub("total=", "", $5); print $5 / 1e6}' /proc/pressure/cpu)"
    python3 -c "import sys; sys.exit(0 if 0 < float('$psi') <= float('$now') else 1)" ||
        fail "psutil_pressure_cpu_waiting_seconds_total $psi, /proc/pressure/cpu now $now"
fi
log "ok: psutil_cgroup_* series for $n_cg cgroups (serve's own: $own_cg); psutil_pressure_cpu_waiting_seconds_total = ${psi:-no PSI}"
[[ "$(value 'min(psutil_scrape_collector_success)')" == 1 ]] ||
    log "note: a collector failed: $(query 'psutil_scrape_collector_success == 0')"
log "ok: filesystem, network, process-count series present; $(query '{__name__=~"psutil_.+"}' | wc -l) psutil series in Prometheus"

health="$(curl -fsS "$PROM/api/v1/targets" | python3 -c '
import json, sys
t = json.load(sys.stdin)["data"]["activeTargets"]
print(" ".join(x["health"] + ":" + (x["lastError"] or "-") for x in t))')"
[[ "$health" == "up:-" ]] || fail "target health: $health"
log "ok: up == 1, target health up, no scrape error"

# --- promtool's lint of a scrape ---
curl -fsS "http://$ADDR/metrics" >"$TMP/scrape.txt"
promtool check metrics <"$TMP/scrape.txt" || fail "promtool check metrics rejects the output"
log "ok: promtool check metrics accepts a scrape ($(grep -vc '^#' "$TMP/scrape.txt") samples)"

# --- latency with ~2,000 extra processes ---
for _ in $(seq "$NPROCS"); do
    sleep 3600 &
    SLEEPERS+=("$!")
done
# A glob, not find: find fails when a process vanishes during its walk.
procs=(/proc/[0-9]*)
nproc_now="${#procs[@]}"
times=()
for _ in $(seq 10); do
    times+=("$(curl -fsS -o /dev/null -w '%{time_total}' "http://$ADDR/metrics")")
done
# 8 simultaneous scrapes, timed as a whole.
par="$(python3 - "$ADDR" <<'EOF'
import sys, time, threading, urllib.request
url = "http://%s/metrics" % sys.argv[1]
out = []
def get():
    t = time.monotonic()
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.status == 200 and r.read()
    out.append(time.monotonic() - t)
th = [threading.Thread(target=get) for _ in range(8)]
[t.start() for t in th]; [t.join() for t in th]
print("%.3f" % max(out))
EOF
)"
read -r median worst <<<"$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[NR]}')"
log "latency with $nproc_now processes: median ${median}s, worst ${worst}s of 10 scrapes; 8 at once: slowest ${par}s"
python3 -c "import sys; sys.exit(0 if float('$median') < 0.1 else 1)" || fail "median scrape ${median}s is over 100 ms"
# Prometheus kept scraping throughout.
sleep 2
[[ "$(value 'up{job="psutil"}')" == 1 ]] || fail "up dropped to 0 under load"
[[ "$(value 'psutil_processes{status="sleeping"}')" -ge "$NPROCS" ]] || fail "process counts missed the sleepers"

log "PASS"
