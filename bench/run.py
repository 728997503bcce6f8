#!/usr/bin/env python3
"""Benchmark suite: ours vs psutil 7.2.2, sysinfo and a kernel floor, in one
run, alternating implementations round by round; medians and ratios.

    bench/run.py            full run, writes BENCHMARKS.md
    bench/run.py --smoke    each workload once, small sizes (CI: never rots)
    bench/run.py --import-time    only `import psutil`, ours vs psutil 7.2.2
    bench/run.py --only 3,5       only the numbered workloads, printed, BENCHMARKS.md kept
    bench/run.py --only 11,12,13 --out FILE    the exporter workloads, table written to FILE

Workloads 11-13 compare `psutil serve` with node_exporter and
process-exporter (Debian's prometheus-node-exporter and
prometheus-process-exporter, installed with apt-get when missing; skipped
with a note when that fails): the exporter's own CPU (utime+stime from
/proc/PID/stat) per scrape, scraped back to back over loopback.

It spawns the `sleep` processes and sockets it needs and kills exactly
those. Timings are printed and written, never asserted.

A full run rewrites only BENCHMARKS.md's generated part (the results and
the table of targets checked against them, between the GENERATED markers);
the notes around it are kept.
"""
import argparse
import os
import platform
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_PY = os.path.join(ROOT, ".venv-oracle", "bin", "python")
BENCH = os.path.join(HERE, "target", "release", "psutil-bench")
BENCH_MT = os.path.join(HERE, "target-mt", "release", "psutil-bench")
FLOOR = os.path.join(HERE, "target", "floor")
# Our Python module, installed by tests/python/run_psutil_suite.sh (the
# `python` step of test.sh), or the interpreter in $PSUTIL_BENCH_OURS_PY.
OURS_PY = os.environ.get("PSUTIL_BENCH_OURS_PY") or os.path.join(
    ROOT, "target", "psutil-suite", "venv-ours", "bin", "python")


def sh(cmd, **kw):
    print("+ " + (cmd if isinstance(cmd, str) else shlex.join(cmd)), flush=True)
    subprocess.run(cmd, check=True, shell=isinstance(cmd, str), **kw)


def build():
    sh([os.path.join(ROOT, "tests", "oracle", "setup_venv.sh")], stdout=subprocess.DEVNULL)
    sh(["cargo", "build", "--release", "-q", "--manifest-path", os.path.join(HERE, "Cargo.toml")])
    sh(["cargo", "build", "--release", "-q", "--manifest-path", os.path.join(HERE, "Cargo.toml"),
        "--features", "multithread", "--target-dir", os.path.join(HERE, "target-mt")])
    sh(["gcc", "-O2", "-o", FLOOR, os.path.join(HERE, "floor.c")])


IMPLS = {
    "ours": lambda w: [BENCH, w, "ours"],
    "psutil": lambda w: [VENV_PY, os.path.join(HERE, "psutil_side.py"), w],
    "sysinfo": lambda w: [BENCH, w, "sysinfo"],
    "sysinfo-mt": lambda w: [BENCH_MT, w, "sysinfo"],
    "floor": lambda w: [FLOOR, w],
    "ours-py": lambda w: [OURS_PY, os.path.join(HERE, "psutil_side.py"), w],
}


def run_impl(impl, workload, inner):
    """Runs `inner` iterations in a fresh process: (median ms, items, maxrss KiB)."""
    cmd = IMPLS[impl](workload) + [str(inner)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        raise SystemExit("%s failed (status %d)" % (shlex.join(cmd), status))
    rows = [line.split() for line in out.splitlines() if line.strip()]
    return statistics.median(float(r[0]) for r in rows), int(rows[-1][1]), usage.ru_maxrss


def measure(workload, impls, rounds, inner):
    """Alternates implementations for `rounds` rounds; medians per impl."""
    samples = {i: [] for i in impls}
    items = {}
    rss = {}
    for _ in range(rounds):
        for impl in impls:
            ms, n, maxrss = run_impl(impl, workload, inner)
            samples[impl].append(ms)
            items[impl] = n
            rss[impl] = max(rss.get(impl, 0), maxrss)
    return {i: (statistics.median(samples[i]), items[i], rss[i]) for i in impls}


class Sleepers:
    """Keeps the process count at about `n` with `sleep` children."""

    def __init__(self):
        self.procs = []

    def ensure(self, n):
        have = sum(1 for d in os.listdir("/proc") if d.isdigit())
        for _ in range(max(0, n - have)):
            self.procs.append(subprocess.Popen(["sleep", "3600"], stdin=subprocess.DEVNULL,
                                               stdout=subprocess.DEVNULL))
        excess = have - n
        while excess > 0 and self.procs:
            p = self.procs.pop()
            p.kill()
            p.wait()
            excess -= 1
        time.sleep(0.2)

    def stop(self):
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()
        self.procs = []


SOCKET_HOLDER = r"""
import resource, socket, sys, time
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (n * 2 + 100, n * 2 + 100))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4096)
keep = []
for _ in range(n // 2):
    c = socket.create_connection(srv.getsockname()); s, _ = srv.accept()
    keep += [c, s]
print("ready", flush=True)
time.sleep(3600)
"""


class CgroupTree:
    """`n` empty cgroups under a new `psutil-bench-PID` cgroup in every v1
    controller hierarchy, or in the v2 hierarchy at /sys/fs/cgroup; removed
    by `stop`. `path` is None when they cannot be made (not root, no
    cgroupfs)."""

    def __init__(self, n):
        self.dirs = []
        self.path = None
        name = "psutil-bench-%d" % os.getpid()
        mounts = []
        with open("/proc/self/mountinfo") as f:
            for line in f:
                pre, _, post = line.partition(" - ")
                fstype, _, opts = post.split()[:3]
                point = pre.split()[4]
                if fstype == "cgroup" and "name=" not in opts:
                    mounts.append(point)
                elif fstype == "cgroup2" and point == "/sys/fs/cgroup":
                    mounts.append(point)
        try:
            for m in mounts:
                top = os.path.join(m, name)
                os.mkdir(top)
                self.dirs.append(top)
                for i in range(n):
                    d = os.path.join(top, "g%03d" % i)
                    os.mkdir(d)
                    self.dirs.append(d)
            if mounts:
                self.path = "/" + name
        except OSError as e:
            print("cgroups: cannot make bench cgroups (%s)" % e, flush=True)
            self.stop()

    def stop(self):
        for d in reversed(self.dirs):
            try:
                os.rmdir(d)
            except OSError:
                pass
        self.dirs = []


# ---- exporters (workloads 11-13) ------------------------------------------

NODE_EXPORTER = "/usr/bin/prometheus-node-exporter"
PROCESS_EXPORTER = "/usr/bin/prometheus-process-exporter"
# process-exporter: every process with a command line, grouped by name
# (its README's "all processes" example).
PROCESS_EXPORTER_CONFIG = """process_names:
  - name: "{{.Comm}}"
    cmdline:
    - '.+'
"""
# The node_exporter collectors whose families `psutil serve`'s system
# collectors also export (cpu, cpu_stats -> stat, loadavg, memory ->
# meminfo, diskstats, filesystem, netdev, temperature -> hwmon, boottime
# -> stat, pressure).
NODE_COMMON = ["cpu", "stat", "loadavg", "meminfo", "diskstats", "filesystem", "netdev",
               "hwmon", "pressure"]
# Our system-only mode: every collector but the per-process and
# per-cgroup ones.
OURS_SYSTEM = ["--no-collector.processes", "--no-collector.cgroup"]


def cli_binary():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return os.path.join(target, "release", "psutil")


def build_cli():
    sh(["cargo", "build", "--release", "-q", "-p", "psutil-rs-cli"], cwd=ROOT)


def install_peers():
    """Installs Debian's node_exporter and process-exporter if missing (the
    packages' services are kept from starting); the set of peers usable."""
    missing = [pkg for pkg, exe in (("prometheus-node-exporter", NODE_EXPORTER),
                                    ("prometheus-process-exporter", PROCESS_EXPORTER))
               if not os.path.exists(exe)]
    if missing:
        policy = "/usr/sbin/policy-rc.d"
        made = False
        try:
            if not os.path.exists(policy):
                with open(policy, "w") as f:
                    f.write("#!/bin/sh\nexit 101\n")
                os.chmod(policy, 0o755)
                made = True
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends"] + missing
            print("+ " + shlex.join(cmd), flush=True)
            r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
            if r.returncode != 0:
                print("exporters: apt-get install failed (%s)" % r.stderr.strip()[-300:],
                      flush=True)
        except OSError as e:
            print("exporters: cannot install %s (%s)" % (" ".join(missing), e), flush=True)
        finally:
            if made:
                os.unlink(policy)
    have = {name for name, exe in (("node_exporter", NODE_EXPORTER),
                                   ("process-exporter", PROCESS_EXPORTER))
            if os.path.exists(exe)}
    for name in ("node_exporter", "process-exporter"):
        if name not in have:
            print("exporters: %s not installed; its comparisons are skipped" % name, flush=True)
    return have


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def scrape(url):
    import urllib.request
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def proc_cpu_ticks(pid):
    """utime+stime of the whole process (every thread, live or gone), in
    clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class Exporter:
    """One exporter process on a free loopback port; `url` answers once it
    is up. Killed (exactly this process) by `stop`."""

    def __init__(self, name, cmd, port, tmpdir=None):
        self.name = name
        self.url = "http://127.0.0.1:%d/metrics" % port
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.tmpdir = tmpdir
        deadline = time.time() + 30
        while True:
            try:
                scrape(self.url)
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise SystemExit("%s did not start: %s" % (name, shlex.join(cmd)))
                time.sleep(0.1)

    def cpu_per_scrape(self, min_scrapes, min_cpu_s, max_wall_s):
        """Scrapes back to back, at least `min_scrapes` times and until the
        exporter used `min_cpu_s` of CPU (or `max_wall_s` passed): (CPU ms
        per scrape, scrapes, body bytes)."""
        hz = os.sysconf("SC_CLK_TCK")
        for _ in range(2):
            scrape(self.url)  # warm-up: first-scrape set-up is not timed
        t0 = proc_cpu_ticks(self.proc.pid)
        start = time.time()
        n = 0
        size = 0
        while True:
            size = len(scrape(self.url))
            n += 1
            used = (proc_cpu_ticks(self.proc.pid) - t0) / hz
            if n >= min_scrapes and (used >= min_cpu_s or time.time() - start > max_wall_s):
                break
        return used * 1000.0 / n, n, size

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        if self.tmpdir:
            import shutil
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def start_exporter(kind, args):
    port = free_port()
    if kind == "ours":
        cmd = [cli_binary(), "serve", "--listen", "127.0.0.1:%d" % port] + args
        return Exporter(kind, cmd, port)
    if kind == "node_exporter":
        cmd = [NODE_EXPORTER, "--web.listen-address=127.0.0.1:%d" % port] + args
        return Exporter(kind, cmd, port)
    import tempfile
    tmp = tempfile.mkdtemp(prefix="psutil-bench-")
    conf = os.path.join(tmp, "all.yml")
    with open(conf, "w") as f:
        f.write(PROCESS_EXPORTER_CONFIG)
    cmd = [PROCESS_EXPORTER, "-config.path", conf,
           "-web.listen-address", "127.0.0.1:%d" % port] + args
    return Exporter(kind, cmd, port, tmp)


def measure_exporters(configs, rounds, smoke):
    """configs: [(label, kind, args)]. Each round starts every exporter
    afresh, in turn, and measures its CPU per scrape; medians per label:
    {label: (ms, scrapes, body bytes)}."""
    samples = {c[0]: [] for c in configs}
    info = {}
    for _ in range(rounds):
        for label, kind, args in configs:
            e = start_exporter(kind, args)
            try:
                if smoke:
                    ms, n, size = e.cpu_per_scrape(1, 0, 0)
                else:
                    ms, n, size = e.cpu_per_scrape(20, 1.0, 60)
            finally:
                e.stop()
            samples[label].append(ms)
            info[label] = (n, size)
    return {c[0]: (statistics.median(samples[c[0]]),) + info[c[0]] for c in configs}


def exporter_row(title, res, base):
    o = res[base][0]
    cells = []
    for label, (ms, n, size) in res.items():
        cell = "%s %.2f ms (%d scrapes, %d KB)" % (label, ms, n, size // 1000)
        if label != base:
            cell += " (%.2fx)" % (ms / o) if o else " (ratio n/a: under a clock tick)"
        cells.append(cell)
    return "| %s | %s |" % (title, "; ".join(cells))


def exporter_workloads(want, rounds, smoke, sleepers, lines):
    build_cli()
    peers = install_peers()
    nprocs = 100 if smoke else 2000

    def run(num, title, configs):
        configs = [c for c in configs if c[1] == "ours" or c[1] in peers]
        # Topped up before every row (something else may have ended some).
        sleepers.ensure(nprocs)
        before = sum(1 for d in os.listdir("/proc") if d.isdigit())
        res = measure_exporters(configs, rounds, smoke)
        after = sum(1 for d in os.listdir("/proc") if d.isdigit())
        procs = "%d procs" % before if before == after else "%d-%d procs" % (before, after)
        lines.append(exporter_row("%d. %s, %s" % (num, title, procs), res, configs[0][0]))
        print(lines[-1], flush=True)
        return res

    def check(res, label, peer, text, goal):
        ours = res[label][0]
        if peer in res and ours > 0:
            target(text, res[peer][0] / ours, goal)

    if want(11):
        res = run(11, "exporter CPU per scrape, with per-process data", [
            ("ours default", "ours", []),
            ("node_exporter --collector.processes", "node_exporter", ["--collector.processes"]),
        ])
        check(res, "ours default", "node_exporter --collector.processes",
              "11. exporter with per-process data: at least 4x cheaper than node_exporter "
              "--collector.processes", 4.0)
    if want(12):
        res = run(12, "exporter CPU per scrape, every process", [
            ("ours --procs . --top 100000", "ours", ["--procs", ".", "--top", "100000"]),
            ("process-exporter (by name)", "process-exporter", []),
        ])
        check(res, "ours --procs . --top 100000", "process-exporter (by name)",
              "12. exporter, every process: at least 10x cheaper than process-exporter", 10.0)
    if want(13):
        common = ["--collector.disable-defaults"] + ["--collector." + c for c in NODE_COMMON]
        ours = "ours " + " ".join(OURS_SYSTEM)
        res = run(13, "exporter CPU per scrape, system only", [
            (ours, "ours", OURS_SYSTEM),
            ("node_exporter default", "node_exporter", []),
            ("node_exporter, the families both export (%s)" % ",".join(NODE_COMMON),
             "node_exporter", common),
        ])
        check(res, ours, "node_exporter default",
              "13. system-only exporter: no dearer than node_exporter's default", 1.0)
        check(res, ours, "node_exporter, the families both export (%s)" % ",".join(NODE_COMMON),
              "13. system-only exporter: no dearer than node_exporter on the families both "
              "export", 1.0)


IMPORT_PROBE = ("import sys; b = len(sys.modules); import psutil; "
                "print(len(sys.modules) - b)")


def import_once(py):
    """`import psutil` in a fresh interpreter: (ms from -X importtime, the
    number of modules it loaded)."""
    p = subprocess.run([py, "-X", "importtime", "-c", IMPORT_PROBE], cwd="/",
                       capture_output=True, text=True, check=True)
    for line in reversed(p.stderr.splitlines()):
        # "import time: self [us] | cumulative | imported package"
        parts = [x.strip() for x in line.split("|")]
        if len(parts) == 3 and parts[2] == "psutil":
            return int(parts[1]) / 1000.0, int(p.stdout.strip())
    raise SystemExit("%s: no importtime line for psutil:\n%s" % (py, p.stderr))


def measure_import(impls, reps):
    """Alternates `import psutil` in fresh interpreters of each impl for
    `reps` rounds; median ms per impl. A first import per impl, allowed to
    write bytecode, keeps a missing .pyc from being timed."""
    pys = {i: IMPLS[i]("import")[0] for i in impls}
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for py in pys.values():
        subprocess.run([py, "-c", "import psutil"], cwd="/", env=env, check=True)
    samples = {i: [] for i in impls}
    mods = {}
    for _ in range(reps):
        for i in impls:
            ms, mods[i] = import_once(pys[i])
            samples[i].append(ms)
    return {i: (statistics.median(samples[i]), mods[i], 0) for i in impls}


# The targets checked against a run: (target, this run, met), in the order
# measured. `goal` is a ratio other/ours to reach (at least), or with
# `at_most`, ours/other not to exceed.
TARGETS = []


def target(text, ratio, goal, at_most=False):
    met = ratio <= goal if at_most else ratio >= goal
    TARGETS.append((text, "%.2fx" % ratio, "met" if met else "**not met**"))


def psutil_target(label, res, base="ours"):
    """Issue 14: every workload at least 3x faster than psutil."""
    target("%s: at least 3x faster than psutil" % label, res["psutil"][0] / res[base][0], 3.0)


def fmt_row(name, res, base="ours"):
    o = res[base][0]
    cells = []
    for impl, (ms, n, _) in res.items():
        cells.append("%s %.2f ms" % (impl, ms) if impl == base else
                     "%s %.2f ms (%.2fx)" % (impl, ms, ms / o))
    return "| %s | %s |" % (name, "; ".join(cells))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(ROOT, "BENCHMARKS.md"))
    ap.add_argument("--import-time", action="store_true",
                    help="only the `import psutil` workload (9.), printed, nothing built")
    ap.add_argument("--only", default="",
                    help="comma-separated workload numbers (1-13) to run; printed, "
                         "BENCHMARKS.md is not written")
    args = ap.parse_args()
    only = {w.strip() for w in args.only.split(",") if w.strip()}

    def want(n):
        return not only or str(n) in only
    rounds, inner = (1, 1) if args.smoke else (args.rounds, 3)
    if args.import_time:
        sh([os.path.join(ROOT, "tests", "oracle", "setup_venv.sh")], stdout=subprocess.DEVNULL)
        if not os.path.exists(OURS_PY):
            raise SystemExit("%s missing (run tests/python/run_psutil_suite.sh)" % OURS_PY)
        res = measure_import(["ours-py", "psutil"], 5 if args.smoke else 31)
        print(fmt_row("9. `import psutil` (modules loaded: ours %d, psutil %d)"
                      % (res["ours-py"][1], res["psutil"][1]), res, base="ours-py"))
        return
    lines = []
    sleepers = Sleepers()
    holder = None
    try:
        if any(want(n) for n in range(1, 10)):
            build()
        sizes = [100] if args.smoke else [100, 2000]
        for n in sizes if want(1) else []:
            sleepers.ensure(n)
            res = measure("listing", ["ours", "floor", "psutil", "sysinfo", "sysinfo-mt"],
                          rounds, inner)
            lines.append(fmt_row("1. listing, 11 attrs, %d procs" % res["ours"][1], res))
            print(lines[-1], flush=True)
            psutil_target("1. listing (%d procs)" % res["ours"][1], res)
        if not (want(6) or want(9)):
            pass
        elif os.path.exists(OURS_PY):
            if not want(1):  # the process count workload 1 leaves
                sleepers.ensure(100 if args.smoke else 2000)
            for w in ("listing", "as_dict"):
                res = measure(w, ["ours-py", "psutil"], rounds, 1)
                lines.append(fmt_row("6. Python module: %s (%d procs)" % (w, res["ours-py"][1]),
                                     res, base="ours-py"))
                print(lines[-1], flush=True)
                if w == "as_dict":
                    target("6. Python as_dict(): at least 4x faster than psutil (its syscall "
                           "floor: see the notes)",
                           res["psutil"][0] / res["ours-py"][0], 4.0)
                else:
                    psutil_target("6. Python listing", res, base="ours-py")
            # Import time: 5 rounds in smoke mode (a median of 1 says
            # little and each costs ~50 ms), 31 otherwise.
            res = measure_import(["ours-py", "psutil"], 5 if args.smoke else 31)
            lines.append(fmt_row("9. `import psutil`, fresh interpreter, -X importtime "
                                 "(modules loaded: ours %d, psutil %d)"
                                 % (res["ours-py"][1], res["psutil"][1]),
                                 res, base="ours-py"))
            print(lines[-1], flush=True)
            psutil_target("9. `import psutil`", res, base="ours-py")
        else:
            print("6. and 9. Python module: skipped, %s missing "
                  "(run tests/python/run_psutil_suite.sh)" % OURS_PY, flush=True)
        if want(2):
            res = measure("as_dict", ["ours", "psutil"], rounds, 1)
            lines.append(fmt_row("2. as_dict() of every process (%d)" % res["ours"][1], res))
            print(lines[-1], flush=True)
            psutil_target("2. as_dict()", res)
        for w, label in (("oneshot", "3. 17 methods x1000, no oneshot"),
                         ("oneshot_on", "3. 17 methods x1000, oneshot")) if want(3) else ():
            res = measure(w, ["ours", "psutil"], rounds, inner)
            lines.append(fmt_row(label, res))
            print(lines[-1], flush=True)
            psutil_target(label, res)
        nsock = 200 if args.smoke else 5000
        if want(4):
            holder = subprocess.Popen([sys.executable, "-c", SOCKET_HOLDER, str(nsock)],
                                      stdout=subprocess.PIPE, text=True)
            holder.stdout.readline()
            res = measure("connections", ["ours", "floor", "psutil"], rounds, inner)
            lines.append(fmt_row("4. net_connections('all'), %d conns" % res["ours"][1], res))
            print(lines[-1], flush=True)
            psutil_target("4. net_connections (2-CPU ceiling: 5.05x)", res)
            holder.kill()
            holder.wait()
            holder = None
        if want(5):
            res = measure("system", ["ours", "psutil"], rounds, inner)
            lines.append(fmt_row("5. 100 x (virtual_memory, cpu_times(percpu), disk_io, "
                                 "net_io, disk_partitions)", res))
            print(lines[-1], flush=True)
            psutil_target("5. system calls", res)
        if want(8):
            res = measure("cgroup_stats", ["ours"], rounds, inner)
            ms = res["ours"][0]
            lines.append("| 8. one cgroup's full stats (memory, cpu, io, pids, pressure) | "
                         "%.1f us per call (100 calls: %.2f ms) |" % (ms * 10, ms))
            print(lines[-1], flush=True)
        ncg = 20 if args.smoke else 200
        tree = CgroupTree(ncg if want(8) else 0)
        try:
            if tree.path and want(8):
                os.environ["PSUTIL_BENCH_CGROUP"] = tree.path
                res = measure("cgroups_pass", ["ours"], rounds, inner)
                ms, count, _ = res["ours"]
                lines.append("| 8. a `psutil cgroups` pass: walk + full stats + placement of %d "
                             "cgroups | %.2f ms, %.1f us/cgroup |" % (count, ms, ms * 1000 / count))
                print(lines[-1], flush=True)
        finally:
            tree.stop()
        scale = [100] if args.smoke else [100, 1000, 5000, 10000]
        for n in scale if want(7) else []:
            sleepers.ensure(n)
            res = measure("listing", ["ours"], rounds, inner)
            ms, count, rss = res["ours"]
            lines.append("| 7. scale: listing %d procs | %.2f ms, %.1f us/proc, peak RSS %d KiB |"
                         % (count, ms, ms * 1000 / max(count, 1), rss))
            print(lines[-1], flush=True)
        if want(10):
            import viewer  # noqa: E402  (bench/ is on sys.path: this script's directory)

            build_cli()
            nproc = 100 if args.smoke else 2000
            sleepers.ensure(nproc)
            vrounds, window = (1, 3) if args.smoke else (3, 30)
            res = viewer.measure(cli_binary(), vrounds, window)
            lines.append(viewer.row(res, nproc, window, vrounds))
            print(lines[-1], flush=True)
            if res.get("psutil top") and res.get("btop"):
                target("10. `psutil top` at most 0.8x btop's CPU",
                       res["psutil top"] / res["btop"], 0.8, at_most=True)
        if any(want(n) for n in (11, 12, 13)):
            exporter_workloads(want, 1 if args.smoke else 3, args.smoke, sleepers, lines)
    finally:
        sleepers.stop()
        if holder:
            holder.kill()
            holder.wait()
    if args.smoke:
        print("smoke: every workload ran once")
        return
    if only:
        print("--only: BENCHMARKS.md not written")
        return
    write_generated(args.out, rounds, lines)
    print("wrote", args.out)


BEGIN, END = "<!-- GENERATED by bench/run.py: begin -->", "<!-- GENERATED by bench/run.py: end -->"


def write_generated(path, rounds, lines):
    """Replaces the generated part of `path` (the file is created when
    missing; the part is put first when the markers are missing)."""
    out = [BEGIN,
           "Generated by `bench/run.py` on %s (%s, %d CPUs, Linux %s, load average %.2f "
           "at the end). Medians of %d alternating rounds (viewers and exporters: 3); "
           "ratios are other/ours (>1 = we are faster) unless a row says otherwise."
           % (time.strftime("%Y-%m-%d"), platform.machine(), os.cpu_count(),
              platform.release(), os.getloadavg()[0], rounds),
           "", "| workload | results |", "| --- | --- |"] + lines
    if TARGETS:
        out += ["", "Targets checked against this run:", "",
                "| target | this run | |", "| --- | --- | --- |"]
        out += ["| %s | %s | %s |" % t for t in TARGETS]
    out.append(END)
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = "# Benchmarks\n\n"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        title, _, body = old.partition("\n")
        head, tail = title + "\n\n", "\n\n" + body.lstrip("\n")
    with open(path, "w") as f:
        f.write(head + "\n".join(out) + tail)


if __name__ == "__main__":
    main()
