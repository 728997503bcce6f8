#!/usr/bin/env python3
"""Seeds fuzz/corpus/TARGET/ from the crate's fixtures and from this
machine's own /proc (the files are copied once and committed; re-running
adds the current machine's versions). The fuzzer grows the corpus from
there; `run.sh --grow` merges what it finds back in.

The `api` target takes a packed tree: chunks of (file index: 1 byte,
length: 2 bytes little-endian, content), the index into the TREE table of
crates/psutil/src/fuzzing.rs, read from that file.
"""

import hashlib
import os
import re
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIX = HERE.parent / "crates/psutil/tests/fixtures"
CORPUS = HERE / "corpus"
MAX = 16 * 1024  # keep seeds small: libFuzzer's max_len follows them

def tree_paths():
    """The TREE table of crates/psutil/src/fuzzing.rs, read from the source so
    that the two never disagree on an index."""
    src = (HERE.parent / "crates/psutil/src/fuzzing.rs").read_text()
    table = re.search(r"^const TREE: &\[&str\] = &\[(.*?)^\];", src, re.S | re.M)
    return re.findall(r'"([^"]+)"', table.group(1))


TREE = tree_paths()


def read(path):
    try:
        return Path(path).read_bytes()[:MAX]
    except OSError:
        return None


def fixture(rel):
    return read(FIX / rel)


def add(target, data):
    if data is None:
        return
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def nlmsg(typ, seq, payload):
    body = struct.pack("=IHHII", 16 + len(payload), typ, 2, seq, 0) + payload
    return body + b"\0" * (-len(body) % 4)


def sock_diag_seeds():
    seq = 0x70737574
    unix = bytes([1, 1, 1, 0]) + struct.pack("=I", 4242) + b"\0" * 8
    name = struct.pack("=HH", 9, 0) + b"\0ab\0c\0\0\0"
    inet = bytes([2, 1, 0, 0]) + b"\0" * 68
    done = nlmsg(3, seq, struct.pack("=i", 0))
    return [
        nlmsg(20, seq, unix + name) + done,
        nlmsg(20, seq, inet) + nlmsg(18, seq, inet) + done,
        nlmsg(2, seq, struct.pack("=i", -2)),
    ]


def pack(files):
    out = b""
    for path, data in files:
        if data is None:
            continue
        data = data[:0xFFFF]
        out += bytes([TREE.index(path)]) + struct.pack("<H", len(data)) + data
    return out


def cgroup_seeds():
    """The cgroup targets, from the fixture trees (tests/fixtures/cgroup)."""
    cg = FIX / "cgroup"
    for tree in ("v1", "hybrid", "v2", "v2_docker", "ns"):
        for f in sorted((cg / tree / "proc").rglob("*")):
            if f.name in ("cgroup", "mountinfo"):
                add("cgroup_paths", read(f))
        for f in sorted((cg / tree).rglob("*")):
            if f.is_file() and f.parent.name != "proc" and f.name not in ("cgroup", "mountinfo"):
                add("cgroup_files", read(f))
    v2 = cg / "v2/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice"
    pod = next(v2.iterdir())
    scope = next(p for p in pod.iterdir() if p.is_dir())
    mountinfo = b"27 22 0:24 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"
    add("api", pack([
        ("proc/meminfo", fixture("system/meminfo")),
        ("proc/self/mountinfo", mountinfo),
        ("proc/self/cgroup", b"0::/a\n"),
        ("proc/self/status", b"Name:\tx\nCpus_allowed_list:\t0-3\n"),
        ("proc/4242/cgroup", b"0::/a/b\n"),
        ("proc/pressure/cpu", read(cg / "v2/proc/pressure/cpu")),
        ("proc/pressure/io", read(cg / "v2/proc/pressure/io")),
        ("sys/fs/cgroup/a/memory.max", read(pod / "memory.max")),
        ("sys/fs/cgroup/a/memory.current", read(pod / "memory.current")),
        ("sys/fs/cgroup/a/cpu.max", read(pod / "cpu.max")),
        ("sys/fs/cgroup/a/b/memory.max", read(scope / "memory.max")),
        ("sys/fs/cgroup/a/b/memory.current", read(scope / "memory.current")),
        ("sys/fs/cgroup/a/b/cpu.max", read(scope / "cpu.max")),
        ("sys/fs/cgroup/a/b/cgroup.procs", b"4242\n"),
        ("sys/fs/cgroup/a/memory.stat", read(scope / "memory.stat")),
        ("sys/fs/cgroup/a/memory.events", read(scope / "memory.events")),
        ("sys/fs/cgroup/a/cpu.stat", read(scope / "cpu.stat")),
        ("sys/fs/cgroup/a/io.stat", read(scope / "io.stat")),
        ("sys/fs/cgroup/a/pids.max", b"max\n"),
        ("sys/fs/cgroup/a/cpu.pressure", read(scope / "cpu.pressure")),
    ]))


def main():
    me = os.getpid()
    kthread = b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 2 0 0 " \
              b"18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0\n"
    nasty = b"77 (a) (b\nc \xff)) R 1 77 77 0 -1 4194304 0 0 0 0 5 6 0 0 20 0 1 0 " \
            b"100 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 3\n"
    for d in (read(f"/proc/{me}/stat"), read("/proc/1/stat"), kthread, nasty):
        add("stat", d)
    add("statm", read(f"/proc/{me}/statm"))
    add("statm", b"0 0 0 0 0 0 0\n")
    for d in (read(f"/proc/{me}/status"), read("/proc/2/status")):
        add("status", d)
    add("cmdline", fixture("proc/cmdline_spaces"))
    add("cmdline", read(f"/proc/{me}/cmdline"))
    add("cmdline", b"HOME=/root\0PATH=/bin:/usr/bin\0EMPTY=\0NOEQ\0A=b=c\0")
    for f in ("meminfo", "meminfo_no_memavailable"):
        add("meminfo", fixture(f"system/{f}"))
    add("meminfo", read("/proc/meminfo"))
    for f in ("vmstat", "vmstat_no_pswp", "zoneinfo", "cpuinfo_arm64", "cpuinfo_x86_2s"):
        add("system_counters", fixture(f"system/{f}"))
    for f in ("proc_stat_7cols", "proc_stat_8cols", "proc_stat_9cols", "proc_stat_10cols"):
        add("proc_stat", fixture(f"system/{f}"))
    add("proc_stat", read("/proc/loadavg"))
    for f in ("diskstats_2.4", "diskstats_2.6", "diskstats_4.18", "diskstats_5.5"):
        add("diskstats", fixture(f"system/disk/{f}"))
    add("diskstats", read("/proc/diskstats"))
    add("mounts", fixture("system/disk/mounts_escaped"))
    for f in ("/proc/self/mounts", "/proc/filesystems", "/proc/partitions"):
        add("mounts", read(f))
    add("mounts", b"MAJOR=8\nMINOR=1\nDEVNAME=sda1\nDEVTYPE=partition\n")
    add("net_dev", fixture("net/dev"))
    for f in ("tcp", "tcp6", "udp", "unix"):
        add("net_sockets", fixture(f"net/{f}"))
    for d in sock_diag_seeds():
        add("sock_diag", d)
    for f in ("smaps_deleted_spaces", "smaps_rollup"):
        add("smaps", fixture(f"proc/{f}"))
    for f in ("io", "fdinfo_append", "fdinfo_devnull"):
        add("io_fdinfo", fixture(f"proc/{f}"))
    add("utmp", fixture("system/users/utmp"))
    for d in (b"42000\n", b" -1 ", b"inf", b"nan\n", b"+7", b"1e3"):
        add("sysfs_numbers", d)

    child = b"4243 (child) S 4242 4243 4243 0 -1 4194304 0 0 0 0 1 2 0 0 20 0 1 0 " \
            b"200 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0\n"
    sensors = FIX / "system/disk_sensors_tree/sys/class"
    add("api", pack([
        ("proc/meminfo", fixture("system/meminfo_no_memavailable")),
        ("proc/zoneinfo", fixture("system/zoneinfo")),
        ("proc/vmstat", fixture("system/vmstat")),
        ("proc/stat", fixture("system/proc_stat_10cols")),
        ("proc/cpuinfo", fixture("system/cpuinfo_x86_2s")),
        ("proc/loadavg", b"1.25 0.50 0.05 2/345 6789\n"),
        ("proc/diskstats", fixture("system/disk/diskstats_5.5")),
        ("proc/filesystems", read("/proc/filesystems")),
        ("proc/self/mounts", fixture("system/disk/mounts_escaped")),
        ("proc/net/dev", fixture("net/dev")),
        ("proc/net/tcp", fixture("net/tcp")),
        ("proc/net/unix", fixture("net/unix")),
        ("proc/4242/stat", read(f"/proc/{me}/stat")),
        ("proc/4242/status", read(f"/proc/{me}/status")),
        ("proc/4242/statm", read(f"/proc/{me}/statm")),
        ("proc/4242/cmdline", fixture("proc/cmdline_spaces")),
        ("proc/4242/io", fixture("proc/io")),
        ("proc/4242/smaps_rollup", fixture("proc/smaps_rollup")),
        ("proc/4242/smaps", fixture("proc/smaps_deleted_spaces")),
        ("proc/4242/comm", b"python3\n"),
        ("proc/4242/task/4242/stat", read(f"/proc/{me}/stat")),
        ("proc/4242/fdinfo/0", fixture("proc/fdinfo_append")),
        ("proc/4243/stat", child),
        ("sys/block/sda/stat", b"  100 0 800 5 200 0 1600 7 0 9 12 0 0 0 0\n"),
        ("sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", b"2400000\n"),
        ("sys/devices/system/cpu/cpu0/cpufreq/scaling_max_freq", b"3600000\n"),
        ("sys/class/hwmon/hwmon0/name", read(sensors / "hwmon/hwmon0/name")),
        ("sys/class/hwmon/hwmon0/temp1_input", read(sensors / "hwmon/hwmon0/temp1_input")),
        ("sys/class/hwmon/hwmon0/temp1_crit", read(sensors / "hwmon/hwmon0/temp1_crit")),
        ("sys/class/hwmon/hwmon0/fan1_input", b"1200\n"),
        ("sys/class/power_supply/BAT0/energy_now", read(sensors / "power_supply/BAT0/energy_now")),
        ("sys/class/power_supply/BAT0/energy_full", read(sensors / "power_supply/BAT0/energy_full")),
        ("sys/class/power_supply/BAT0/power_now", read(sensors / "power_supply/BAT0/power_now")),
        ("sys/class/power_supply/BAT0/status", read(sensors / "power_supply/BAT0/status")),
        ("sys/class/power_supply/AC/online", b"0\n"),
    ]))
    add("api", pack([
        ("proc/meminfo", fixture("system/meminfo")),
        ("proc/stat", fixture("system/proc_stat_7cols")),
        ("proc/4242/stat", kthread.replace(b"2 (kthreadd)", b"4242 (kthreadd)")),
        ("proc/4242/status", read("/proc/2/status")),
    ]))
    cgroup_seeds()
    for t in sorted(os.listdir(CORPUS)):
        print(f"{t}: {len(os.listdir(CORPUS / t))} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
