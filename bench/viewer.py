"""Viewer workload: the CPU a live process viewer costs at a 1 s refresh.

`psutil top`, btop and htop each run in a detached tmux session of the same
size, showing every process; after a warm-up, the viewer's utime+stime
(from /proc/PID/stat, its children included) is taken over a window and
given as % of one core. Viewers take turns, round after round, so the
machine's noise falls on all of them alike. btop reads its refresh only
from its config file (update_ms in $XDG_CONFIG_HOME/btop/btop.conf); htop
takes -d in tenths of a second.

Used by bench/run.py (workload 10; `--only 10` runs it alone). btop and htop come from Debian's packages, installed here
when missing; a viewer that cannot be installed is left out, and said so.
"""
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

COLS, ROWS = 200, 50
TICK = os.sysconf("SC_CLK_TCK")


def ensure_tools():
    """Installs tmux, btop and htop from Debian's packages where missing."""
    missing = [t for t in ("tmux", "btop", "htop") if shutil.which(t) is None]
    if missing:
        print("viewer: installing " + " ".join(missing), flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if shutil.which("tmux") is None:
        return None
    return [t for t in ("btop", "htop") if shutil.which(t)]


def viewers(psutil, config_home):
    """(name, argv, env) of each viewer at a 1 s refresh."""
    out = [("psutil top", [psutil, "top", "--interval", "1"], {})]
    if shutil.which("btop"):
        os.makedirs(os.path.join(config_home, "btop"), exist_ok=True)
        with open(os.path.join(config_home, "btop", "btop.conf"), "w") as f:
            f.write("update_ms = 1000\nproc_tree = False\n")
        out.append(("btop", ["btop", "--utf-force"], {"XDG_CONFIG_HOME": config_home}))
    if shutil.which("htop"):
        out.append(("htop", ["htop", "-d", "10"], {}))
    return out


def cpu_ticks(pid):
    """utime+stime of `pid` and of its reaped children (fields 14-17)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15])


def measure_one(name, argv, env, warmup, window):
    """% of one core `argv` used over `window` seconds in a tmux pane."""
    # A tmux server of its own per run: a server still exiting after the
    # previous run's session could refuse the next one.
    tmux = ["tmux", "-L", "bench-viewer-%d-%d" % (os.getpid(), time.monotonic_ns())]
    full_env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", **env)
    try:
        subprocess.run(tmux + ["new-session", "-d", "-x", str(COLS), "-y", str(ROWS),
                               "exec " + shlex.join(argv)], env=full_env, check=True)
        time.sleep(warmup)
        out = subprocess.run(tmux + ["list-panes", "-F", "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout
        pid = int(out.split()[0])
        t0, c0 = time.monotonic(), cpu_ticks(pid)
        time.sleep(window)
        t1, c1 = time.monotonic(), cpu_ticks(pid)
        return (c1 - c0) / TICK / (t1 - t0) * 100.0
    except (OSError, subprocess.CalledProcessError, IndexError, ValueError) as e:
        print("viewer: %s: %s" % (name, e), flush=True)
        return None
    finally:
        subprocess.run(tmux + ["kill-server"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)


def measure(psutil, rounds, window, warmup=3.0):
    """{viewer: median % of one core} over `rounds` alternating rounds;
    `psutil` is the command's binary."""
    if ensure_tools() is None:
        print("viewer: no tmux, skipped", flush=True)
        return {}
    with tempfile.TemporaryDirectory() as config_home:
        views = viewers(psutil, config_home)
        samples = {name: [] for name, _, _ in views}
        for _ in range(rounds):
            for name, argv, env in views:
                v = measure_one(name, argv, env, warmup, window)
                if v is not None:
                    samples[name].append(v)
    return {name: statistics.median(s) for name, s in samples.items() if s}


def row(res, nprocs, window, rounds):
    """The BENCHMARKS.md row: ours, then each peer with the ratio ours/peer."""
    ours = res.get("psutil top")
    if ours is None:
        return "| 10. viewer at 1 s refresh | not measured |"
    parts = ["psutil top %.2f%%" % ours]
    for name in ("btop", "htop"):
        if name in res and res[name] > 0:
            parts.append("%s %.2f%% (ours is %.2fx its cost)" % (name, res[name], ours / res[name]))
    return ("| 10. viewer at 1 s refresh, %d procs, %dx%d tmux pane, %% of one core "
            "(median of %d x %d s) | %s |" % (nprocs, COLS, ROWS, rounds, window, "; ".join(parts)))


if __name__ == "__main__":
    sys.exit("run it through bench/run.py --only 10 [--smoke]")
