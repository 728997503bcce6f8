"""Linux platform layer: thin Python wrappers over the Rust extension.

Every function and ``Process`` method here is a plain Python callable so
that it can be inspected and patched, while the work is done in Rust
(``psutil._psutil_rs``).
"""

import errno
import operator
import os
import sys

from . import _common
from . import _ntuples as ntp
from . import _psposix
from . import _psutil_rs as cext
from ._common import ENCODING
from ._common import AccessDenied
from ._common import NoSuchProcess
from ._common import ZombieProcess
from ._common import bcat
from ._common import cat
from ._common import debug
from ._common import get_procfs_path
from ._common import isfile_strict
from ._common import _lazy_module_names
from ._common import memoize
from ._common import open_binary
from ._common import open_text
from ._common import supports_ipv6
from ._common import usage_percent

__extra__all__ = [
    "PROCFS_PATH",
    "IOPRIO_CLASS_NONE",
    "IOPRIO_CLASS_RT",
    "IOPRIO_CLASS_BE",
    "IOPRIO_CLASS_IDLE",
]

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGESIZE = cext.getpagesize()
DISK_SECTOR_SIZE = 512
POWER_SUPPLY_PATH = "/sys/class/power_supply"
HAS_PROC_SMAPS = os.path.exists(f"/proc/{os.getpid()}/smaps")
HAS_PROC_SMAPS_ROLLUP = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")
HAS_PROC_IO_PRIORITY = True
HAS_CPU_AFFINITY = True
LITTLE_ENDIAN = sys.byteorder == "little"


def _make_address_family():
    # psutil's own one-member enum (not socket.AF_PACKET, though equal to
    # it): repr(psutil.AF_LINK) is "<AddressFamily.AF_LINK: 17>".
    import enum
    import socket

    return enum.IntEnum("AddressFamily", {"AF_LINK": int(socket.AF_PACKET)}, module=__name__)


def _make_io_priority():
    import enum

    return enum.IntEnum(
        "IOPriority",
        [("IOPRIO_CLASS_NONE", 0), ("IOPRIO_CLASS_RT", 1), ("IOPRIO_CLASS_BE", 2),
         ("IOPRIO_CLASS_IDLE", 3)],
        module=__name__,
    )  # fmt: skip


# The enums, scputimes (its fields depend on /proc/stat) and socket are
# made on first use: `import psutil` stays light.
__getattr__, __dir__, _lazy = _lazy_module_names(globals(), {
    "socket": ("socket", lambda: __import__("socket")),
    "AddressFamily": ("AddressFamily", _make_address_family),
    "AF_LINK": ("AddressFamily", _make_address_family),
    "scputimes": ("scputimes", lambda: ntp.scputimes),
    **{name: ("IOPriority", _make_io_priority)
       for name in ("IOPriority", "IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
                    "IOPRIO_CLASS_IDLE")},
})  # fmt: skip

PROC_STATUSES = {
    "R": _common.STATUS_RUNNING,
    "S": _common.STATUS_SLEEPING,
    "D": _common.STATUS_DISK_SLEEP,
    "T": _common.STATUS_STOPPED,
    "t": _common.STATUS_TRACING_STOP,
    "Z": _common.STATUS_ZOMBIE,
    "X": _common.STATUS_DEAD,
    "x": _common.STATUS_DEAD,
    "K": _common.STATUS_WAKE_KILL,
    "W": _common.STATUS_WAKING,
    "I": _common.STATUS_IDLE,
    "P": _common.STATUS_PARKED,
}

_procfs_set = ["/proc"]


def _sync_procfs():
    """Hand psutil.PROCFS_PATH to the Rust side when it changed."""
    path = get_procfs_path()
    if path != _procfs_set[0]:
        cext.set_procfs_path(path)
        _procfs_set[0] = path


# ===================================================================
# --- memory
# ===================================================================


# Kept in Python for psutil's tests: test_linux's test_avail_old_percent
# imports and calls it; virtual_memory() uses the crate's estimate.
def calculate_avail_vmem(mems):
    """Estimate available memory for kernels without MemAvailable, the
    way the kernel itself does (free + reclaimable page cache and slab
    above the low watermarks). ``mems`` maps /proc/meminfo keys (bytes
    values, keys with the trailing colon) to numbers.
    """
    free = mems[b"MemFree:"]
    fallback = free + mems.get(b"Cached:", 0)
    try:
        lru_active_file = mems[b"Active(file):"]
        lru_inactive_file = mems[b"Inactive(file):"]
        slab_reclaimable = mems[b"SReclaimable:"]
    except KeyError:
        return fallback
    try:
        f = open_binary(f"{get_procfs_path()}/zoneinfo")
    except OSError:
        return fallback
    watermark_low = 0
    with f:
        for line in f:
            line = line.strip()
            if line.startswith(b"low"):
                watermark_low += int(line.split()[1])
    watermark_low *= PAGESIZE
    avail = free - watermark_low
    pagecache = lru_active_file + lru_inactive_file
    pagecache -= min(pagecache / 2, watermark_low)
    avail += pagecache
    avail += slab_reclaimable - min(slab_reclaimable / 2.0, watermark_low)
    return int(avail)


def virtual_memory():
    _sync_procfs()
    return ntp.svmem(*cext.virtual_memory())


def swap_memory():
    _sync_procfs()
    return ntp.sswap(*cext.swap_memory())


# ===================================================================
# --- CPU
# ===================================================================


def cpu_times():
    _sync_procfs()
    return _lazy("scputimes")(*cext.cpu_times())


def per_cpu_times():
    _sync_procfs()
    scputimes = _lazy("scputimes")
    return [scputimes(*t) for t in cext.per_cpu_times()]


def cpu_count_logical():
    return cext.cpu_count_logical()


def cpu_count_cores():
    return cext.cpu_count_cores()


def cpu_stats():
    _sync_procfs()
    return ntp.scpustats(*cext.cpu_stats())


def cpu_freq():
    _sync_procfs()
    return [ntp.scpufreq(*f) for f in cext.cpu_freq()]


# ===================================================================
# --- disks
# ===================================================================


def disk_partitions(all=False):
    _sync_procfs()
    return [ntp.sdiskpart(*p) for p in cext.disk_partitions(bool(all))]


def disk_usage(path):
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if isinstance(path, str) and "\x00" in path:
        raise ValueError("embedded null byte")  # as os.statvfs, psutil's call
    return ntp.sdiskusage(*cext.disk_usage(path))


# Kept in Python (with the filter below) for psutil's tests: test_linux's
# TestSystemDiskIoCounters tests patch it; the crate's disk module has
# the same rule.
def is_storage_device(name):
    """True for a whole disk (``sda``), False for a partition
    (``sda1``): whole disks have a /sys/block entry.
    """
    name = name.replace("/", "!")
    return os.access(f"/sys/block/{name}", os.F_OK)


def disk_io_counters(perdisk=False):
    """{disk: raw 9-tuple}; without perdisk only whole disks are kept."""
    _sync_procfs()
    raw = cext.disk_io_counters()
    if perdisk:
        return raw
    return {k: v for k, v in raw.items() if is_storage_device(k)}


# ===================================================================
# --- network
# ===================================================================


def _addr(a):
    if isinstance(a, tuple) and a:
        return ntp.addr(*a)
    return a


def _conn(cls, fd, fam, typ, laddr, raddr, status, *pid):
    """A pconn/sconn from one of the extension's rows."""
    return cls(
        fd,
        _common.sockfam_to_enum(fam),
        _common.socktype_to_enum(typ),
        _addr(laddr),
        _addr(raddr),
        status,
        *pid,
    )


def _pconns(rows):
    """Process.net_connections() from the extension's rows
    (fd, family, type, laddr, raddr, status)."""
    return [_conn(ntp.pconn, *row) for row in rows]


def net_connections(kind="inet"):
    _sync_procfs()
    return [_conn(ntp.sconn, *row) for row in cext.net_connections(kind)]


def net_io_counters():
    """{nic: raw 8-tuple}."""
    _sync_procfs()
    return cext.net_io_counters()


def net_if_addrs():
    """[(nic, family, address, netmask, broadcast, ptp)]."""
    return [
        (name, *entry)
        for name, entries in cext.net_if_addrs().items()
        for entry in entries
    ]


def net_if_stats():
    _sync_procfs()
    return {
        name: ntp.snicstats(isup, _common.NicDuplex(duplex), speed, mtu, flags)
        for name, (isup, duplex, speed, mtu, flags) in cext.net_if_stats().items()
    }


# ===================================================================
# --- sensors, others
# ===================================================================


def sensors_temperatures():
    """{chip: [(label, current, high, critical)]} in Celsius."""
    return cext.sensors_temperatures(False)


def sensors_fans():
    return {
        chip: [ntp.sfan(*e) for e in entries]
        for chip, entries in cext.sensors_fans().items()
    }


def sensors_battery():
    b = cext.sensors_battery()
    if b is None:
        return None
    percent, secsleft, plugged = b
    if secsleft < 0:
        secsleft = _common.BatteryTime(secsleft)
    return ntp.sbattery(percent, secsleft, plugged)


def boot_time():
    _sync_procfs()
    return cext.boot_time()


def users():
    return [ntp.suser(*u) for u in cext.users()]


def pids():
    _sync_procfs()
    return cext.pids()


def pid_exists(pid):
    _sync_procfs()
    return cext.pid_exists(pid)


def heap_info():
    return ntp.pheap(*cext.heap_info())


def heap_trim():
    cext.heap_trim()


# Kept in Python for psutil's tests: test_linux's TestUtils.test_readlink
# calls it (with os.readlink patched) and test_exe_mocked/test_cwd_mocked
# patch it; exe() and cwd() are the crate's, which strips the same way.
def readlink(path):
    """os.readlink() minus a NUL tail and a ' (deleted)' suffix for
    paths that no longer exist.
    """
    path = os.readlink(path)
    path = path.split("\x00")[0]
    if path.endswith(" (deleted)") and not os.path.exists(path):
        path = path[:-10]
    return path


# Kept in Python for psutil's tests: test_linux's TestRootFsDeviceFinder
# calls its methods; disk_partitions() uses the crate's finder.
class RootFsDeviceFinder:
    """Find the real device behind ``/dev/root`` (the root file system
    as some kernels name it in /proc/mounts).
    """

    __slots__ = ["major", "minor"]

    def __init__(self):
        dev = os.stat("/").st_dev
        self.major = os.major(dev)
        self.minor = os.minor(dev)

    def ask_proc_partitions(self):
        with open_text(f"{get_procfs_path()}/partitions") as f:
            for line in f.readlines()[2:]:
                fields = line.split()
                if len(fields) < 4:
                    continue
                major = int(fields[0]) if fields[0].isdigit() else None
                minor = int(fields[1]) if fields[1].isdigit() else None
                if major == self.major and minor == self.minor and fields[3]:
                    return f"/dev/{fields[3]}"
        return None

    def ask_sys_dev_block(self):
        path = f"/sys/dev/block/{self.major}:{self.minor}/uevent"
        with open_text(path) as f:
            for line in f:
                if line.startswith("DEVNAME="):
                    name = line.strip().partition("=")[2]
                    if name:
                        return f"/dev/{name}"
        return None

    def ask_sys_class_block(self):
        import glob

        needle = f"{self.major}:{self.minor}"
        for path in glob.glob("/sys/class/block/*/dev"):
            try:
                with open_text(path) as f:
                    if f.read().strip() == needle:
                        name = os.path.basename(os.path.dirname(path))
                        return f"/dev/{name}"
            except FileNotFoundError:
                continue
        return None

    def find(self):
        for ask in (
            self.ask_proc_partitions,
            self.ask_sys_dev_block,
            self.ask_sys_class_block,
        ):
            try:
                path = ask()
            except OSError as err:
                debug(err)
                continue
            if path is not None and os.path.exists(path):
                return path
        return None


# ===================================================================
# --- Process
# ===================================================================


class _GoneHandle:
    """Stands in for the Rust handle of a process that was already gone
    when the Process object was made (``_ignore_nsp=True``).
    """

    start_ticks = None

    def __init__(self, pid):
        self.pid = pid

    def cached_name(self):
        return None

    def oneshot_enter(self):
        pass

    def oneshot_exit(self):
        pass

    def is_running(self):
        return False

    def wait(self, timeout=None):
        return cext.wait_pid(self.pid, timeout) if self.pid > 0 else None

    wait_fresh = wait

    def __getattr__(self, name):
        pid = self.pid

        def gone(*args, **kwargs):
            raise NoSuchProcess(pid)

        return gone


class Process:
    """Linux process implementation (one Rust handle per instance)."""

    __slots__ = ["pid", "_h", "_name", "_ppid", "_procfs_path", "__dict__"]

    def __init__(self, pid):
        self.pid = pid
        self._name = None
        self._ppid = None
        _sync_procfs()
        self._procfs_path = _procfs_set[0]
        try:
            self._h = cext.Proc(pid)
        except NoSuchProcess:
            self._h = _GoneHandle(pid)
        except OverflowError:
            self._h = _GoneHandle(pid)

    # --- oneshot

    def oneshot_enter(self):
        self._h.oneshot_enter()

    def oneshot_exit(self):
        self._h.oneshot_exit()

    def _is_zombie(self):
        try:
            return self._h.status() == _common.STATUS_ZOMBIE
        except NoSuchProcess:
            return False

    # --- getters

    def name(self):
        name = self._h.name()
        self._name = name
        return name

    def exe(self):
        return self._h.exe()

    def cmdline(self):
        return self._h.cmdline()

    def environ(self):
        return self._h.environ()

    def terminal(self):
        return self._h.terminal()

    def io_counters(self):
        return ntp.pio(*self._h.io_counters())

    def cpu_times(self):
        return ntp.pcputimes(*self._h.cpu_times())

    def cpu_num(self):
        return self._h.cpu_num()

    def wait(self, timeout=None):
        return _psposix._convert_code(self._h.wait_fresh(timeout))

    def create_time(self, monotonic=False):
        if monotonic:
            ticks = self._h.start_ticks
            if ticks is None:
                raise NoSuchProcess(self.pid, self._name)
            return ticks / CLOCK_TICKS
        return self._h.create_time()

    def memory_info(self):
        return ntp.pmem(*self._h.memory_info())

    def memory_full_info(self):
        return ntp.pfullmem(*self._h.memory_full_info())

    def memory_maps(self):
        """Ungrouped raw maps: [(addr, perms, path, rss, ...)]."""
        return [(h[0], h[1], h[2], *rest) for h, rest in self._h.memory_maps(False)]

    # Kept in Python for psutil's tests: test_linux's
    # test_parse_smaps_vs_memory_maps calls it; memory_full_info() is the
    # crate's.
    def _parse_smaps(self):
        """(uss, pss, swap) summed over the full smaps, mapping by mapping
        (smaps_rollup, which memory_full_info reads, rounds Pss once for the
        whole process instead of once per mapping)."""
        uss = pss = swap = 0
        for row in self.memory_maps():
            # (addr, perms, path, rss, size, pss, shared_clean, shared_dirty,
            #  private_clean, private_dirty, referenced, anonymous, swap)
            pss += row[5]
            uss += row[8] + row[9]
            swap += row[12]
        return (uss, pss, swap)

    def _memory_maps_grouped(self):
        return self._h.memory_maps(True)

    def cwd(self):
        return self._h.cwd()

    def num_ctx_switches(self):
        return ntp.pctxsw(*self._h.num_ctx_switches())

    def num_threads(self):
        return self._h.num_threads()

    def threads(self):
        return [ntp.pthread(*t) for t in self._h.threads()]

    def nice_get(self):
        return self._h.nice()

    def nice_set(self, value):
        return self._h.set_nice(value)

    # Kept in Python for psutil's tests: test_linux's
    # test_cpu_affinity_eligible_cpus (per_cpu_times patched) and
    # test_process's test_cpu_affinity call it; the crate's
    # set_cpu_affinity(&[]) has its own "every CPU" rule.
    def _get_eligible_cpus(self):
        return list(range(os.cpu_count() or 1)) if not hasattr(
            os, "sched_getaffinity"
        ) else sorted(os.sched_getaffinity(0) | set(self._allowed_cpus()))

    def _allowed_cpus(self):
        try:
            with open_text(f"{self._procfs_path}/{self.pid}/status") as f:
                for line in f:
                    if line.startswith("Cpus_allowed_list:"):
                        return _parse_cpu_list(line.split(":", 1)[1])
        except OSError:
            pass
        return list(range(os.cpu_count() or 1))

    def cpu_affinity_get(self):
        return self._h.cpu_affinity()

    def cpu_affinity_set(self, cpus):
        # Integers only (TypeError otherwise), then the range check.
        cpus = [operator.index(cpu) for cpu in cpus]
        allcpus = list(range(len(per_cpu_times())))
        for cpu in cpus:
            if cpu not in allcpus:
                msg = f"invalid CPU {cpu!r}; choose between {allcpus!r}"
                raise ValueError(msg)
        return self._h.set_cpu_affinity(cpus)

    def ionice_get(self):
        ioclass, value = self._h.ionice()
        return ntp.pionice(_lazy("IOPriority")(ioclass), value)

    def ionice_set(self, ioclass, value):
        # psutil's checks, in its order, before the class is looked at.
        value = 0 if value is None else value
        no_value = (0, 3)  # IOPRIO_CLASS_NONE, IOPRIO_CLASS_IDLE
        if value and ioclass in no_value:
            raise ValueError(f"{ioclass!r} ioclass accepts no value")
        if not 0 <= value <= 7:
            raise ValueError("value not in 0-7 range")
        return self._h.set_ionice(ioclass, value)

    def rlimit(self, resource_, limits=None):
        if self.pid == 0:
            msg = "can't use prlimit() against PID 0 as it affects the calling process"
            raise ValueError(msg)
        if limits is None:
            return self._h.rlimit(resource_)
        # No len() is a TypeError, as in psutil; a wrong one a ValueError.
        if len(limits) != 2:
            raise ValueError(
                f"second argument must be a (soft, hard) tuple, got {limits!r}"
            )
        soft, hard = limits
        return self._h.set_rlimit(resource_, soft, hard)

    def status(self):
        return self._h.status()

    def open_files(self):
        return [ntp.popenfile(*f) for f in self._h.open_files()]

    def net_connections(self, kind="inet"):
        return _pconns(self._h.net_connections(kind))

    def num_fds(self):
        return self._h.num_fds()

    def ppid(self):
        return self._h.ppid()

    def uids(self):
        return ntp.puids(*self._h.uids())

    def gids(self):
        return ntp.pgids(*self._h.gids())

    def username(self):
        return self._h.username()

    def send_signal(self, sig):
        return self._h.send_signal(sig)

    def children(self, recursive=False):
        return self._h.children(bool(recursive))


def _parse_cpu_list(text):
    cpus = []
    for part in text.strip().split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        cpus.extend(range(int(lo), int(hi or lo) + 1))
    return cpus


__all__ = [n for n in dir() if not n.startswith("__")]
_unused = (errno, ENCODING, AccessDenied, ZombieProcess, bcat, cat,
           isfile_strict, memoize, supports_ipv6, usage_percent)
