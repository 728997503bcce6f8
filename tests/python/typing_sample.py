"""A typical psutil script, type-checked and run by tests/python/typecheck.sh.

Every call is written as a user would write it, with no casts or ignores:
it must give 0 errors under `mypy --strict` and under pyright (strict
mode), with our stubs (and, as a check of this sample, with real psutil
plus types-psutil). It is also run against our psutil, so what the types
say is what the calls return. It only sets values to what they already
are (nice, affinity, ionice, rlimit of itself).

Run: python typing_sample.py  -> prints one line per section and the
number of psutil calls made, then "ok".
"""

from __future__ import annotations

import os
import socket
import sys
import time

import psutil
from psutil._common import bytes2human
from psutil._ntuples import addr, scputimes

# psutil calls made so far (a list: a module constant is never rebound).
CALLS: list[int] = [0]


def called(n: int = 1) -> None:
    CALLS[0] += n


def show(label: str, value: object) -> None:
    print(f"{label}: {value}")


# --- system: CPU, memory


def system() -> None:
    logical: int | None = psutil.cpu_count()
    cores: int | None = psutil.cpu_count(logical=False)
    called(2)
    total: scputimes = psutil.cpu_times()
    per_cpu = psutil.cpu_times(percpu=True)
    called(2)
    busy: float = psutil.cpu_percent(interval=None)
    per_cpu_busy: list[float] = psutil.cpu_percent(interval=0.05, percpu=True)
    split = psutil.cpu_times_percent(interval=None)
    called(3)
    stats = psutil.cpu_stats()
    freq = psutil.cpu_freq()
    load1, load5, load15 = psutil.getloadavg()
    called(3)
    mhz = freq.current if freq is not None else 0.0
    show("cpu", f"{logical} logical, {cores} cores, user {total.user:.1f}s, "
         f"{len(per_cpu)} per-cpu rows, {busy:.1f}% ({max(per_cpu_busy, default=0.0):.1f}% max), "
         f"idle {split.idle:.1f}%, {stats.ctx_switches} switches, {mhz:.0f} MHz, "
         f"load {load1:.2f} {load5:.2f} {load15:.2f}")

    mem = psutil.virtual_memory()
    swap = psutil.swap_memory()
    called(2)
    used: str = bytes2human(mem.used)
    show("memory", f"{used} used of {bytes2human(mem.total)} ({mem.percent}%), "
         f"available {bytes2human(mem.available, format='%(value).2f %(symbol)s')}, "
         f"swap {swap.percent}%")
    called(3)
    booted: float = psutil.boot_time()
    called()
    show("uptime", f"{time.time() - booted:.0f} s")
    for u in psutil.users():
        show("user", f"{u.name} on {u.terminal or '-'} from {u.host or 'local'} since {u.started:.0f}")
    called()


# --- disks


def disks() -> None:
    for part in psutil.disk_partitions(all=False):
        try:
            usage = psutil.disk_usage(part.mountpoint)
        except OSError:
            continue
        show("disk", f"{part.device} on {part.mountpoint} ({part.fstype}) {usage.percent}% used")
    called(2)
    root = psutil.disk_usage("/")
    called()
    show("root", f"{bytes2human(root.free)} free")
    io = psutil.disk_io_counters()
    per_disk = psutil.disk_io_counters(perdisk=True)
    called(2)
    if io is not None:
        show("disk io", f"{io.read_bytes} read, {io.write_bytes} written, {len(per_disk)} disks")
    psutil.disk_io_counters.cache_clear()
    called()


# --- network


def network() -> None:
    total = psutil.net_io_counters()
    per_nic = psutil.net_io_counters(pernic=True)
    called(2)
    show("net io", f"{total.bytes_sent} sent, {total.bytes_recv} received, {sorted(per_nic)}")
    for nic, addrs in psutil.net_if_addrs().items():
        for a in addrs:
            if a.family == socket.AF_INET:
                show("ipv4", f"{nic} {a.address}/{a.netmask}")
            elif a.family == psutil.AF_LINK:
                show("mac", f"{nic} {a.address}")
    called()
    for nic, st in psutil.net_if_stats().items():
        duplex = "full" if st.duplex == psutil.NIC_DUPLEX_FULL else "half/unknown"
        show("nic", f"{nic} up={st.isup} {st.speed} Mb/s mtu {st.mtu} {duplex}")
    called()

    # A listening socket of our own, so there is at least one connection.
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    try:
        port: int = srv.getsockname()[1]
        for c in psutil.net_connections(kind="tcp"):
            if c.laddr and c.laddr.port == port:
                remote = f"{c.raddr.ip}:{c.raddr.port}" if c.raddr else "-"
                show("listening", f"{c.laddr.ip}:{c.laddr.port} -> {remote} {c.status} pid={c.pid}")
        called()
        mine = psutil.Process().net_connections()
        called(2)
        ports: list[int] = [c.laddr.port for c in mine if c.laddr]
        assert port in ports, ports
        for u in psutil.net_connections(kind="unix")[:3]:
            path: str = u.laddr
            show("unix socket", path or "(unnamed)")
        called()
        for any_kind in psutil.net_connections(kind="all")[:3]:
            if isinstance(any_kind.laddr, addr):
                show("inet", any_kind.laddr.ip)
            else:
                show("other", repr(any_kind.laddr))
        called()
    finally:
        srv.close()


# --- sensors


def sensors() -> None:
    for chip, temps in psutil.sensors_temperatures().items():
        for t in temps:
            high = f"{t.high:.0f}" if t.high is not None else "-"
            show("temp", f"{chip}/{t.label or '?'} {t.current:.1f} C (high {high})")
    called()
    for chip, fans in psutil.sensors_fans().items():
        show("fans", f"{chip}: {[f.current for f in fans]} RPM")
    called()
    battery = psutil.sensors_battery()
    called()
    if battery is None:
        show("battery", "none")
    elif battery.secsleft == psutil.POWER_TIME_UNLIMITED:
        show("battery", f"{battery.percent:.0f}%, plugged in")
    else:
        show("battery", f"{battery.percent:.0f}%, {battery.secsleft} s left")


# --- processes: getters


def processes() -> None:
    p = psutil.Process(os.getpid())
    called()
    with p.oneshot():
        name: str = p.name()
        exe: str = p.exe()
        cmd: list[str] = p.cmdline()
        status: str = p.status()
        ppid: int = p.ppid()
        user: str = p.username()
        started: float = p.create_time()
        cwd: str = p.cwd()
        called(9)
    show("me", f"{p.pid} {name} ({exe}) {' '.join(cmd)[:40]} {status} ppid={ppid} "
         f"user={user} started={started:.0f} cwd={cwd}")
    uids = p.uids()
    gids = p.gids()
    tty: str | None = p.terminal()
    fds: int = p.num_fds()
    called(4)
    show("ids", f"uid {uids.real} gid {gids.effective} tty {tty} fds {fds}")
    mem = p.memory_info()
    full = p.memory_full_info()
    pct: float = p.memory_percent()
    uss_pct: float = p.memory_percent(memtype="uss")
    called(4)
    show("memory", f"rss {bytes2human(mem.rss)} uss {bytes2human(full.uss)} {pct:.2f}% / {uss_pct:.2f}%")
    times = p.cpu_times()
    cpu: float = p.cpu_percent(interval=None)
    cpu_num: int = p.cpu_num()
    threads = p.threads()
    nthreads: int = p.num_threads()
    switches = p.num_ctx_switches()
    io = p.io_counters()
    called(7)
    show("cpu", f"user {times.user}s {cpu}% on cpu {cpu_num}, {nthreads} threads "
         f"(first {threads[0].id}), {switches.voluntary} switches, {io.read_chars} chars read")
    env: dict[str, str] = p.environ()
    files = p.open_files()
    maps = p.memory_maps()
    ext_maps = p.memory_maps(grouped=False)
    called(4)
    show("misc", f"{len(env)} env vars, {len(files)} files, {len(maps)} maps "
         f"({sum(m.rss for m in maps)} rss), first {ext_maps[0].addr if ext_maps else '-'}")
    parent = p.parent()
    called()
    if parent is not None:
        show("parent", f"{parent.pid} {parent.name()} (of {len(p.parents())} ancestors)")
        called(2)
    show("running", str(p.is_running()))
    info = p.as_dict(attrs=["pid", "name", "num_threads"])
    called(2)
    show("as_dict", sorted(info))

    # process_iter with attrs fills .info; the exceptions are typed.
    count = 0
    for proc in psutil.process_iter(["pid", "name", "username"], ad_value=None):
        try:
            count += 1
            _ = proc.info["name"], proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    called(2)
    psutil.process_iter.cache_clear()
    all_pids: list[int] = psutil.pids()
    exists: bool = psutil.pid_exists(os.getpid())
    called(3)
    show("processes", f"{count} iterated, {len(all_pids)} pids, self exists={exists}")


# --- processes: getters and setters of the same method


def setters() -> None:
    p = psutil.Process()
    called()
    niceness: int = p.nice()
    p.nice(niceness)  # a setter: returns None
    called(2)
    affinity: list[int] = p.cpu_affinity()
    p.cpu_affinity(affinity)
    called(2)
    prio = p.ionice()
    called()
    ioclass: int = prio.ioclass
    if prio.ioclass in (psutil.IOPRIO_CLASS_RT, psutil.IOPRIO_CLASS_BE):
        p.ionice(prio.ioclass, value=prio.value)
    else:
        p.ionice(ioclass)
    called()
    soft, hard = p.rlimit(psutil.RLIMIT_NOFILE)
    p.rlimit(psutil.RLIMIT_NOFILE, (soft, hard))
    called(2)
    inf = "unlimited" if hard == psutil.RLIM_INFINITY else str(hard)
    show("setters", f"nice {niceness}, cpus {affinity}, ionice {prio.ioclass.name}/{prio.value}, "
         f"nofile {soft}/{inf}")


# --- children: Popen, wait, signals, exceptions


def children() -> None:
    with psutil.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as child:
        called()
        child.suspend()
        child.resume()
        kids = psutil.Process().children(recursive=True)
        called(3)
        assert child.pid in [k.pid for k in kids]
        child.terminate()
        code: int = child.wait(timeout=10)
        called(2)
    show("child", f"exit code {code}")
    sleeper = psutil.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    called()
    try:
        sleeper.wait(timeout=0.01)
    except psutil.TimeoutExpired as e:
        show("timeout", f"after {e.seconds} s")
    called()
    sleeper.send_signal(15)
    called()
    gone, alive = psutil.wait_procs([sleeper], timeout=10,
                                    callback=lambda proc: print("gone:", proc.pid))
    called()
    assert not alive and gone
    try:
        psutil.Process(sleeper.pid).name()
    except psutil.NoSuchProcess as e:
        show("no such process", f"pid {e.pid} ({e.msg})")
    called()
    try:
        psutil.Process(1).environ()
        called()
    except psutil.AccessDenied as e:
        show("access denied", f"pid {e.pid}")
        called()
    except psutil.Error as e:
        show("error", repr(e))
        called()


def main() -> int:
    system()
    disks()
    network()
    sensors()
    processes()
    setters()
    children()
    print(f"psutil {psutil.__version__}: {CALLS[0]} psutil calls")
    assert CALLS[0] >= 40, CALLS
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
