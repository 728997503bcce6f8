#!/usr/bin/env bash
# `psutil cgroup --json` inside real Docker containers, with and without
# limits (--memory, --cpus, --cpuset-cpus, --pids-limit), checked against
# what Docker was asked for.
#
#   tests/containers/run.sh
#
# No image is pulled: the test image is `docker import`ed from a root
# filesystem assembled here (busybox-static, the release psutil binary and
# the shared libraries ldd lists for it, at the same paths). Skips (exit 0,
# with a message) when docker is missing or its daemon does not answer.
# Installs busybox-static with apt-get when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
IMAGE="psutil-cgroup-test:$$"
TMP="$(mktemp -d)"
CONTAINERS=()

log() { printf 'containers: %s\n' "$*"; }
fail() {
    printf 'containers: FAIL: %s\n' "$*" >&2
    exit 1
}
cleanup() {
    for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
    docker rmi -f "$IMAGE" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

if ! command -v docker >/dev/null; then
    log "SKIP: no docker command"
    exit 0
fi
if ! timeout 20 docker info >/dev/null 2>&1; then
    log "SKIP: the docker daemon does not answer"
    exit 0
fi
# A static busybox runs in an image with no libc of its own (ldd fails on it).
static_busybox() { [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; }
static_busybox || { apt-get update -qq && apt-get install -y -qq busybox-static; }
static_busybox || fail "no static /bin/busybox"
BUSYBOX=/bin/busybox

log "building the release binary"
(cd "$ROOT" && cargo build --release -q -p psutil-rs-cli)
BIN="$TARGET_DIR/release/psutil"

# --- the image ---------------------------------------------------------------
R="$TMP/rootfs"
mkdir -p "$R/bin" "$R/usr/local/bin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/etc"
cp "$BUSYBOX" "$R/bin/busybox"
for tool in sh cat grep head; do ln -s busybox "$R/bin/$tool"; done
cp "$BIN" "$R/usr/local/bin/psutil"
# The loader and libraries at the paths the binary asks for.
ldd "$BIN" | awk '/=> \// {print $3} /^\t\// {print $1}' | while read -r lib; do
    mkdir -p "$R$(dirname "$lib")"
    cp -L "$lib" "$R$lib"
done
echo "root:x:0:0:root:/:/bin/sh" >"$R/etc/passwd"
tar -C "$R" -c . | docker import - "$IMAGE" >/dev/null
log "image $IMAGE imported ($(du -sh "$R" | cut -f1))"

# run NAME DOCKER_ARGS... -- CMD...: runs CMD in a new container, prints
# its stdout; the container's ID goes to $TMP/NAME.id.
run() {
    local name="$1" args=()
    shift
    while [[ "$1" != "--" ]]; do args+=("$1"); shift; done
    shift
    local id
    id="$(docker create "${args[@]}" "$IMAGE" "$@")"
    CONTAINERS+=("$id")
    echo "$id" >"$TMP/$name.id"
    docker start -a "$id"
}

NCPU="$(nproc)"
MEMTOTAL="$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024 ))"

# --- 1. limited --------------------------------------------------------------
run limited --memory 256m --memory-swap 256m --cpus 1.5 --cpuset-cpus 0 --pids-limit 64 \
    -- /usr/local/bin/psutil cgroup --json >"$TMP/limited.json" ||
    fail "psutil cgroup --json failed in the limited container"
python3 - "$TMP/limited.json" "$(cat "$TMP/limited.id")" <<'EOF' || fail "limited container: $(cat "$TMP/limited.json")"
import json, sys
v = json.load(open(sys.argv[1]))
cid = sys.argv[2]
def eq(got, want, what):
    assert got == want, f"{what}: got {got!r}, want {want!r}"
eq(v["memory"]["limit"], 256 << 20, "memory.limit")
eq(v["cpu"]["limit_cpus"], 1.5, "cpu.limit_cpus")
eq(v["cpu"]["quota_us"], 150000, "cpu.quota_us")
eq(v["cpu"]["cpuset"], [0], "cpu.cpuset")
eq(v["pids"]["max"], 64, "pids.max")
assert 1 <= v["pids"]["current"] <= 64, v["pids"]
# cpuset 0 leaves one CPU in the affinity mask: it beats the 1.5 quota.
eq(v["effective_cpu_count"], 1, "effective_cpu_count")
eq(v["effective_memory_limit"], 256 << 20, "effective_memory_limit")
assert v["memory"]["usage"] > 0 and v["memory"]["working_set"] <= v["memory"]["usage"], v["memory"]
assert v["cpu"]["usage_seconds"] > 0, v["cpu"]
# Without a cgroup namespace (v1) the path names the container; with one
# (v2's default) it reads "/" and says nothing.
if v["path"] != "/":
    eq(v["runtime"], "docker", "runtime")
    eq(v["container_id"], cid, "container_id")
print(f"containers: ok: limited: v{v['version']} {v['path']}: 256 MiB, 1.5 CPUs on cpuset 0, "
      f"64 tasks -> effective {v['effective_cpu_count']} CPU, {v['effective_memory_limit']} bytes")
EOF

# --- 2. a half-CPU quota on every CPU: rounded up to 1 -------------------------
run half --cpus 0.5 -- /usr/local/bin/psutil cgroup --json >"$TMP/half.json" ||
    fail "psutil cgroup --json failed in the half-CPU container"
python3 - "$TMP/half.json" <<'EOF' || fail "half-CPU container: $(cat "$TMP/half.json")"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["cpu"]["limit_cpus"] == 0.5, v["cpu"]
assert v["effective_cpu_count"] == 1, v["effective_cpu_count"]
print("containers: ok: --cpus 0.5 -> effective_cpu_count 1")
EOF

# --- 3. no limits: the host's CPUs and RAM -----------------------------------
run free -- /usr/local/bin/psutil cgroup --json >"$TMP/free.json" ||
    fail "psutil cgroup --json failed in the unlimited container"
python3 - "$TMP/free.json" "$NCPU" "$MEMTOTAL" <<'EOF' || fail "unlimited container: $(cat "$TMP/free.json")"
import json, sys
v = json.load(open(sys.argv[1]))
ncpu, ram = int(sys.argv[2]), int(sys.argv[3])
assert v["memory"]["limit"] is None, v["memory"]
assert v["cpu"]["limit_cpus"] is None, v["cpu"]
assert v["pids"]["max"] is None, v["pids"]
assert v["effective_cpu_count"] == ncpu, (v["effective_cpu_count"], ncpu)
assert v["effective_memory_limit"] == ram, (v["effective_memory_limit"], ram)
print(f"containers: ok: unlimited: {ncpu} CPUs, {ram} bytes (the host's)")
EOF

# --- 4. the tree view inside a container ---------------------------------------
run tree --memory 128m -- /usr/local/bin/psutil cgroups --once --json --interval 0.2 >"$TMP/tree.json" ||
    fail "psutil cgroups failed in a container"
python3 - "$TMP/tree.json" <<'EOF' || fail "cgroups in a container: $(cat "$TMP/tree.json")"
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows and rows[0]["depth"] == 0, rows
assert any(r["memory_limit"] == 128 << 20 for r in rows), rows
print(f"containers: ok: psutil cgroups lists {len(rows)} cgroup(s), the container's 128 MiB limit among them")
EOF
log "PASS"
