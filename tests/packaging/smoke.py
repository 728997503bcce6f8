"""Smoke test of an installed psutil-rs: imports psutil and makes a dozen
calls. Run by tests/packaging/run.sh in a fresh venv of each CPython."""
import os
import sys

import psutil

assert "site-packages" in psutil.__file__, psutil.__file__
print("python %s, psutil %s from %s" % (sys.version.split()[0], psutil.__version__, psutil.__file__))
checks = {
    "cpu_count": lambda: psutil.cpu_count() >= 1,
    "cpu_count(logical=False)": lambda: psutil.cpu_count(logical=False) in (None,) or psutil.cpu_count(logical=False) >= 1,
    "cpu_times": lambda: psutil.cpu_times().user >= 0,
    "cpu_percent": lambda: 0 <= psutil.cpu_percent(interval=0.05) <= 100,
    "virtual_memory": lambda: psutil.virtual_memory().total > 0,
    "swap_memory": lambda: psutil.swap_memory().total >= 0,
    "boot_time": lambda: psutil.boot_time() > 0,
    "disk_usage('/')": lambda: psutil.disk_usage("/").total > 0,
    "disk_partitions": lambda: isinstance(psutil.disk_partitions(all=True), list),
    "net_io_counters": lambda: isinstance(psutil.net_io_counters(pernic=True), dict),
    "net_if_addrs": lambda: "lo" in psutil.net_if_addrs(),
    "net_connections": lambda: isinstance(psutil.net_connections(kind="inet"), list),
    "pids": lambda: os.getpid() in psutil.pids(),
    "Process().as_dict()": lambda: psutil.Process().as_dict()["pid"] == os.getpid(),
    "Process().memory_info": lambda: psutil.Process().memory_info().rss > 0,
    "process_iter(['name'])": lambda: any(p.info["name"] for p in psutil.process_iter(["name"])),
    "users": lambda: isinstance(psutil.users(), list),
    "NoSuchProcess": lambda: _nosuch(),
}


def _nosuch():
    try:
        psutil.Process(2**22 + 12345)
    except psutil.NoSuchProcess:
        return True
    return False


failed = 0
for name, fn in checks.items():
    try:
        ok = fn()
    except Exception as e:  # noqa: BLE001
        ok = False
        name += " (%r)" % e
    print("  %-28s %s" % (name, "ok" if ok else "FAILED"))
    failed += not ok
sys.exit(1 if failed else 0)
