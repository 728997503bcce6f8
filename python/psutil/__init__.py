"""psutil (process and system utilities) for Linux, backed by Rust.

A drop-in replacement for psutil 7.2.2's Python API: processes (``Process``,
``process_iter``, ``pids``, ...) and system information (CPU, memory,
disks, network, sensors, users). The work is done by the Rust crate
``psutil`` through the ``psutil._psutil_rs`` extension; this module gives
psutil's exact Python surface on top of it.
"""

# `import psutil` loads only what every program needs (bench/run.py,
# workload 9): modules such as collections, signal, socket, pwd, datetime
# or subprocess are imported where they are used, and the enum constants
# (AF_LINK, IOPRIO_CLASS_*, NIC_DUPLEX_*, POWER_TIME_*) and namedtuple
# types are made on first use (the module __getattr__ at the end).
import _thread
import operator
import os
import sys
import time

from . import _common
from . import _ntuples as _ntp
from ._common import AIX
from ._common import BSD
from ._common import CONN_CLOSE
from ._common import CONN_CLOSE_WAIT
from ._common import CONN_CLOSING
from ._common import CONN_ESTABLISHED
from ._common import CONN_FIN_WAIT1
from ._common import CONN_FIN_WAIT2
from ._common import CONN_LAST_ACK
from ._common import CONN_LISTEN
from ._common import CONN_NONE
from ._common import CONN_SYN_RECV
from ._common import CONN_SYN_SENT
from ._common import CONN_TIME_WAIT
from ._common import FREEBSD
from ._common import LINUX
from ._common import MACOS
from ._common import NETBSD
from ._common import OPENBSD
from ._common import OSX
from ._common import POSIX
from ._common import STATUS_DEAD
from ._common import STATUS_DISK_SLEEP
from ._common import STATUS_IDLE
from ._common import STATUS_LOCKED
from ._common import STATUS_PARKED
from ._common import STATUS_RUNNING
from ._common import STATUS_SLEEPING
from ._common import STATUS_STOPPED
from ._common import STATUS_TRACING_STOP
from ._common import STATUS_WAITING
from ._common import STATUS_WAKING
from ._common import STATUS_ZOMBIE
from ._common import SUNOS
from ._common import WINDOWS
from ._common import AccessDenied
from ._common import Error
from ._common import NoSuchProcess
from ._common import TimeoutExpired
from ._common import ZombieProcess
from ._common import debug
from ._common import memoize_when_activated
from ._common import wrap_numbers as _wrap_numbers

if not LINUX:  # pragma: no cover
    raise NotImplementedError("this psutil implementation supports Linux only")

from . import _pslinux as _psplatform
from . import _psposix

_psplatform.cext = _psplatform.cext  # re-exported for psutil's tests

# resource numbers of <sys/resource.h> on Linux
RLIM_INFINITY = -1
RLIMIT_CPU = 0
RLIMIT_FSIZE = 1
RLIMIT_DATA = 2
RLIMIT_STACK = 3
RLIMIT_CORE = 4
RLIMIT_RSS = 5
RLIMIT_NPROC = 6
RLIMIT_NOFILE = 7
RLIMIT_MEMLOCK = 8
RLIMIT_AS = 9
RLIMIT_LOCKS = 10
RLIMIT_SIGPENDING = 11
RLIMIT_MSGQUEUE = 12
RLIMIT_NICE = 13
RLIMIT_RTPRIO = 14
RLIMIT_RTTIME = 15

PROCFS_PATH = "/proc"

__author__ = "psutil-rs authors"
__version__ = "7.2.2"
version_info = tuple(int(num) for num in __version__.split("."))

__all__ = [
    "Error", "NoSuchProcess", "ZombieProcess", "AccessDenied",
    "TimeoutExpired",
    "version_info", "__version__",
    "STATUS_RUNNING", "STATUS_IDLE", "STATUS_SLEEPING", "STATUS_DISK_SLEEP",
    "STATUS_STOPPED", "STATUS_TRACING_STOP", "STATUS_ZOMBIE", "STATUS_DEAD",
    "STATUS_WAKING", "STATUS_LOCKED", "STATUS_WAITING", "STATUS_LOCKED",
    "STATUS_PARKED",
    "CONN_ESTABLISHED", "CONN_SYN_SENT", "CONN_SYN_RECV", "CONN_FIN_WAIT1",
    "CONN_FIN_WAIT2", "CONN_TIME_WAIT", "CONN_CLOSE", "CONN_CLOSE_WAIT",
    "CONN_LAST_ACK", "CONN_LISTEN", "CONN_CLOSING", "CONN_NONE",
    "CONN_ESTABLISHED", "CONN_SYN_SENT", "CONN_SYN_RECV", "CONN_FIN_WAIT1",
    "CONN_FIN_WAIT2", "CONN_TIME_WAIT", "CONN_CLOSE", "CONN_CLOSE_WAIT",
    "CONN_LAST_ACK", "CONN_LISTEN", "CONN_CLOSING",
    "AF_LINK",
    "NIC_DUPLEX_FULL", "NIC_DUPLEX_HALF", "NIC_DUPLEX_UNKNOWN",
    "POWER_TIME_UNKNOWN", "POWER_TIME_UNLIMITED",
    "BSD", "FREEBSD", "LINUX", "NETBSD", "OPENBSD", "MACOS", "OSX", "POSIX",
    "SUNOS", "WINDOWS", "AIX",
    "Process", "Popen",
    "pid_exists", "pids", "process_iter", "wait_procs",
    "virtual_memory", "swap_memory",
    "cpu_times", "cpu_percent", "cpu_times_percent", "cpu_count",
    "cpu_stats", "cpu_freq", "getloadavg",
    "net_io_counters", "net_connections", "net_if_addrs", "net_if_stats",
    "disk_io_counters", "disk_partitions", "disk_usage",
    "users", "boot_time",
    "sensors_temperatures", "sensors_fans", "sensors_battery",
    "heap_info", "heap_trim",
    "IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
    "IOPRIO_CLASS_IDLE", "PROCFS_PATH",
    "RLIM_INFINITY", "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA",
    "RLIMIT_FSIZE", "RLIMIT_LOCKS", "RLIMIT_MEMLOCK", "RLIMIT_NOFILE",
    "RLIMIT_NPROC", "RLIMIT_RSS", "RLIMIT_STACK", "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING",
]  # fmt: skip

_SENTINEL = object()
_TOTAL_PHYMEM = None
_LOWEST_PID = None
_timer = getattr(time, "monotonic", time.time)


def _check_version():
    """The extension must match this Python layer."""
    if str(_psplatform.cext.version) != __version__.replace(".", ""):
        msg = (
            f"version conflict: {_psplatform.cext.__file__!r} C extension"
            " module was built for another version of psutil"
        )
        msg += f" ({_psplatform.cext.version} instead of {__version__})"
        raise ImportError(msg)


_check_version()


def _set_debug(value):
    """Turn PSUTIL_DEBUG messages on or off."""
    _common.PSUTIL_DEBUG = bool(value)


# =====================================================================
# --- Process class
# =====================================================================

_AS_DICT_ATTRS = frozenset({
    "cmdline", "cpu_affinity", "cpu_num", "cpu_percent", "cpu_times",
    "create_time", "cwd", "environ", "exe", "gids", "io_counters", "ionice",
    "memory_full_info", "memory_info", "memory_maps", "memory_percent",
    "name", "net_connections", "nice", "num_ctx_switches", "num_fds",
    "num_threads", "open_files", "pid", "ppid", "status", "terminal",
    "threads", "uids", "username",
})  # fmt: skip


class _Oneshot:
    """What Process.oneshot() returns: holds the process's lock for the
    block and, when it is the outermost block, turns the caches on."""

    __slots__ = ("_outer", "_proc")

    def __init__(self, proc):
        self._proc = proc
        self._outer = False

    def __enter__(self):
        p = self._proc
        p._lock.acquire()
        if p.__dict__.get("_oneshot_memo") is not None:
            return
        try:
            p.cpu_times.cache_activate(p)
            p._proc.oneshot_enter()
        except BaseException:
            p.cpu_times.cache_deactivate(p)
            p._lock.release()
            raise
        self._outer = True

    def __exit__(self, *exc):
        p = self._proc
        try:
            if self._outer:
                self._outer = False
                try:
                    p.cpu_times.cache_deactivate(p)
                finally:
                    p._proc.oneshot_exit()
        finally:
            p._lock.release()


class Process:
    """A process, identified by its PID and its creation time.

    ``Process()`` is the calling process. Getters read the live process
    each time (use ``oneshot()`` to batch them); ``parent()``,
    ``children()``, the setters and the signal methods first make sure
    the PID still names the same process (``NoSuchProcess`` otherwise),
    other getters do not: call ``is_running()`` when it matters."""

    def __init__(self, pid=None):
        self._init(pid)

    def _init(self, pid, _ignore_nsp=False):
        if pid is None:
            pid = os.getpid()
        else:
            if pid < 0:
                msg = f"pid must be a positive integer (got {pid})"
                raise ValueError(msg)
            try:
                _psplatform.cext.check_pid_range(pid)
            except OverflowError as err:
                msg = "process PID out of range"
                raise NoSuchProcess(pid, msg=msg) from err
            if isinstance(pid, bool):
                # psutil looks for /proc/True (or /proc/False): not found.
                raise NoSuchProcess(pid, msg="process PID not found")
        self._pid = pid
        self._name = None
        self._exe = None
        self._create_time = None
        self._gone = False
        self._pid_reused = False
        self._hash = None
        self._lock = _thread.RLock()
        self._ppid = None
        self._proc = _psplatform.Process(pid)
        self._last_sys_cpu_times = None
        self._last_proc_cpu_times = None
        self._exitcode = _SENTINEL
        self._ident = (self.pid, None)
        try:
            self._ident = self._get_ident()
        except AccessDenied:
            pass
        except ZombieProcess:
            pass
        except NoSuchProcess:
            if not _ignore_nsp:
                msg = "process PID not found"
                raise NoSuchProcess(pid, msg=msg) from None
            self._gone = True

    def _get_ident(self):
        """Identity of the process: (pid, creation time since boot)."""
        return (self.pid, self._proc.create_time(monotonic=True))

    def __str__(self):
        info = {}
        info["pid"] = self.pid
        if self._name:
            info["name"] = self._name
        with self.oneshot():
            if self._pid_reused:
                info["status"] = "terminated + PID reused"
            else:
                try:
                    info["name"] = self.name()
                    info["status"] = self.status()
                except ZombieProcess:
                    info["status"] = "zombie"
                except NoSuchProcess:
                    info["status"] = "terminated"
                except AccessDenied:
                    pass
            if self._exitcode not in {_SENTINEL, None}:
                info["exitcode"] = self._exitcode
            if self._create_time is not None:
                info["started"] = _pprint_secs(self._create_time)
        fields = ", ".join(f"{k}={v!r}" for k, v in info.items())
        return f"{self.__class__.__module__}.{self.__class__.__name__}({fields})"

    __repr__ = __str__

    def __eq__(self, other):
        if not isinstance(other, Process):
            return NotImplemented
        if OPENBSD or NETBSD or SUNOS:  # pragma: no cover
            return self.pid == other.pid
        return self._ident == other._ident

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(self._ident)
        return self._hash

    def _raise_if_pid_reused(self):
        """Raise NoSuchProcess if the PID now names another process."""
        if self._pid_reused or (not self.is_running() and self._pid_reused):
            msg = "process no longer exists and its PID has been reused"
            raise NoSuchProcess(self.pid, self._name, msg=msg)

    @property
    def pid(self):
        """The process ID."""
        return self._pid

    # --- utility methods

    def oneshot(self):
        """Context manager batching reads: inside it, each /proc file of the
        process is read at most once and cpu_times(), memory_info(),
        ppid() and uids() are cached. Nested use is allowed (only the
        outermost block counts)."""
        return _Oneshot(self)

    def as_dict(self, attrs=None, ad_value=None):
        """The process information as a dict {attr name: value}.

        *attrs*: names of getters to call (all of them when None or
        empty); *ad_value*: value stored for getters that raised
        AccessDenied or ZombieProcess. NoSuchProcess propagates."""
        if attrs is not None:
            if not isinstance(attrs, (list, tuple, set, frozenset)):
                msg = f"invalid attrs type {type(attrs)}"
                raise TypeError(msg)
            attrs = set(attrs)
            invalid = attrs - _AS_DICT_ATTRS
            if invalid:
                s = "s" if len(invalid) > 1 else ""
                names = ", ".join(map(repr, invalid))
                msg = f"invalid attr name{s} {names}"
                raise ValueError(msg)
        names = attrs or _AS_DICT_ATTRS
        if _as_dict_fast_ok(self):
            out = self._as_dict_fast(names, ad_value)
            if out is not None:
                return out
        out = {}
        with self.oneshot():
            for name in names:
                try:
                    if name == "pid":
                        value = self._pid
                    else:
                        value = getattr(self, name)()
                except (AccessDenied, ZombieProcess):
                    value = ad_value
                except NotImplementedError:
                    if attrs:
                        raise
                    continue
                out[name] = value
        return out

    def _as_dict_fast(self, names, ad_value):
        """as_dict() read by the extension in one oneshot batch (GIL
        released), or None when the methods must do it (no Rust handle,
        the process is gone or its PID reused, total memory not positive).
        Only when _as_dict_fast_ok(self)."""
        if self._pid_reused:  # ppid() raises NoSuchProcess
            return None
        if names is _AS_DICT_ATTRS:
            fast, percent, drop_times = _AS_DICT_FAST, True, False
        else:
            fast = [n for n in names if n != "cpu_percent"]
            percent = len(fast) != len(names)
            drop_times = percent and "cpu_times" not in names
            if drop_times:
                fast.append("cpu_times")
        total = None
        if "memory_percent" in names:
            total = _TOTAL_PHYMEM or virtual_memory().total
            if not total > 0:
                return None
        with self._lock:
            out = _psplatform.cext.process_as_dict(
                self, fast, ad_value, _uid_name, total
            )
            if out is None:
                return None
            if percent:
                # cpu_percent() of the same cpu_times() (oneshot caches it)
                t = out.pop("cpu_times") if drop_times else out["cpu_times"]
                if isinstance(t, _ntp.pcputimes):
                    ncpus = cpu_count() or 1
                    now = (_timer() * ncpus, t.user + t.system)
                    before = self._last_proc_cpu_times
                    out["cpu_percent"] = self._cpu_percent_from(before, now, ncpus)
                else:
                    out["cpu_percent"] = ad_value
        return out

    def parent(self):
        """The parent as a Process, or None (no parent, or its PID now names
        a process younger than this one)."""
        lowest_pid = _LOWEST_PID if _LOWEST_PID is not None else pids()[0]
        if self.pid == lowest_pid:
            return None
        ppid = self.ppid()
        if ppid is not None:
            ctime = self._proc.create_time()
            try:
                parent = Process(ppid)
                if parent._proc.create_time() <= ctime:
                    return parent
            except NoSuchProcess:
                pass
        return None

    def parents(self):
        """All ancestors, nearest first, as a list of Process."""
        parents = []
        proc = self.parent()
        while proc is not None:
            parents.append(proc)
            proc = proc.parent()
        return parents

    def is_running(self):
        """Whether the process still runs (a zombie counts as running).

        False as well once its PID was reused by another process, which is
        also dropped from the process_iter() cache."""
        if self._gone or self._pid_reused:
            return False
        try:
            self._pid_reused = self != Process(self.pid)
            if self._pid_reused:
                _pids_reused.add(self.pid)
                raise NoSuchProcess(self.pid)
            return True
        except ZombieProcess:
            return True
        except NoSuchProcess:
            self._gone = True
            return False

    # --- actual API

    @memoize_when_activated
    def ppid(self):
        """The parent PID."""

        self._raise_if_pid_reused()
        return self._proc.ppid()

    def name(self):
        """The process name (the kernel keeps 15 characters of it; longer
        names are completed from the command line when it agrees).
        """
        # The crate's name() completes it already; done again here for
        # psutil's tests: test_posix's test_name_long* patch
        # _psplatform.Process.name and .cmdline.
        name = self._proc.name()
        if len(name) >= 15:
            try:
                args = self.cmdline()
            except ZombieProcess:
                args = None
            except AccessDenied:
                args = None
            if args:
                full = os.path.basename(args[0])
                if full.startswith(name):
                    name = full
        self._name = name
        self._proc._name = name
        return name

    def exe(self):
        """Absolute path of the executable ('' if unknown)."""
        if self._exe is None:
            exe = self._proc.exe()
            if exe:
                self._exe = exe
            return exe
        return self._exe

    def cmdline(self):
        """The command line as a list of strings."""
        return self._proc.cmdline()

    def status(self):
        """Current state, one of the STATUS_* strings."""
        try:
            return self._proc.status()
        except ZombieProcess:
            return STATUS_ZOMBIE

    def username(self):
        """Name of the user owning the process (real UID), or the UID as a
        string when it has no name."""
        # In Python, not the crate's username(), for psutil's tests:
        # test_posix's test_username_no_resolution patches pwd.getpwuid.
        real_uid = self.uids().real
        try:
            return _lazy("pwd").getpwuid(real_uid).pw_name
        except KeyError:
            return str(real_uid)

    def create_time(self):
        """Creation time in seconds since the epoch (cached). It follows the
        system clock."""
        if self._create_time is None:
            self._create_time = self._proc.create_time()
        return self._create_time

    def cwd(self):
        """Current working directory ('' if unknown)."""
        return self._proc.cwd()

    def nice(self, value=None):
        """Get the niceness, or set it to *value*."""
        if value is None:
            return self._proc.nice_get()
        else:
            self._raise_if_pid_reused()
            self._proc.nice_set(value)

    @memoize_when_activated
    def uids(self):
        """Real, effective and saved user IDs."""
        return self._proc.uids()

    def gids(self):
        """Real, effective and saved group IDs."""
        return self._proc.gids()

    def terminal(self):
        """Controlling terminal path, or None."""
        return self._proc.terminal()

    def num_fds(self):
        """Number of open file descriptors."""
        return self._proc.num_fds()

    def io_counters(self):
        """Disk I/O counters of the process (pio namedtuple)."""
        return self._proc.io_counters()

    def ionice(self, ioclass=None, value=None):
        """Get the I/O priority as (ioclass, value), or set it.

        *ioclass* is an IOPRIO_CLASS_* constant; *value* (0-7, lower is
        higher priority) only applies to the RT and BE classes."""
        if ioclass is None:
            if value is not None:
                msg = "'ioclass' argument must be specified"
                raise ValueError(msg)
            return self._proc.ionice_get()
        else:
            self._raise_if_pid_reused()
            return self._proc.ionice_set(ioclass, value)

    def rlimit(self, resource, limits=None):
        """Get a resource limit as (soft, hard), or set it to *limits*.

        *resource* is an RLIMIT_* constant."""
        if limits is not None:
            self._raise_if_pid_reused()
        return self._proc.rlimit(resource, limits)

    def cpu_affinity(self, cpus=None):
        """Get the CPUs the process may run on, or restrict it to *cpus*
        (an empty list means every eligible CPU)."""
        if cpus is None:
            return sorted(set(self._proc.cpu_affinity_get()))
        else:
            self._raise_if_pid_reused()
            if not cpus:
                cpus = self._proc._get_eligible_cpus()
            self._proc.cpu_affinity_set(list(set(cpus)))

    def cpu_num(self):
        """The CPU the process last ran on."""
        return self._proc.cpu_num()

    def environ(self):
        """Environment variables of the process as a dict (as set when it
        started, or as it rewrote them)."""
        return self._proc.environ()

    def num_ctx_switches(self):
        """Voluntary and involuntary context switches."""
        return self._proc.num_ctx_switches()

    def num_threads(self):
        """Number of threads."""
        return self._proc.num_threads()

    def threads(self):
        """Threads as a list of (id, user_time, system_time) namedtuples."""
        return self._proc.threads()

    def children(self, recursive=False):
        """Child processes as a list of Process; with *recursive* every
        descendant. A vanished intermediate process hides its own
        descendants."""
        self._raise_if_pid_reused()
        out = []
        for h in self._proc.children(recursive):
            out.append(Process._from_handle(h))
        return out

    @classmethod
    def _from_handle(cls, h):
        """A Process around an existing Rust handle (no extra /proc read)."""
        self = cls.__new__(cls)
        pid = h.pid
        self._pid = pid
        self._name = None
        self._exe = None
        self._create_time = None
        self._gone = False
        self._pid_reused = False
        self._hash = None
        self._lock = _thread.RLock()
        self._ppid = None
        proc = _psplatform.Process.__new__(_psplatform.Process)
        proc.pid = pid
        proc._name = None
        proc._ppid = None
        proc._procfs_path = _psplatform._procfs_set[0]
        proc._h = h
        self._proc = proc
        self._last_sys_cpu_times = None
        self._last_proc_cpu_times = None
        self._exitcode = _SENTINEL
        self._ident = (pid, h.start_ticks / _psplatform.CLOCK_TICKS)
        return self

    def cpu_percent(self, interval=None):
        """System CPU use in percent (a list per CPU with *percpu*).

    With *interval* > 0 it measures over that many seconds (blocking);
    otherwise it compares with the previous call from the same thread (or
    the import of psutil)."""
        if interval is not None and interval < 0:
            msg = f"interval is not positive (got {interval!r})"
            raise ValueError(msg)
        ncpus = cpu_count() or 1

        def sample():
            t = self._proc.cpu_times()
            # wall time scaled by the CPU count, like the process times
            return _timer() * ncpus, t.user + t.system

        if interval is not None and interval > 0.0:
            before = sample()
            _psplatform.cext.sleep(interval)
        else:
            before = self._last_proc_cpu_times
        return self._cpu_percent_from(before, sample(), ncpus)

    # cpu_percent() and this are kept in Python (the crate has
    # Process::cpu_percent) for psutil's tests:
    # test_process's test_cpu_percent_numcpus_none patches psutil.cpu_count.
    def _cpu_percent_from(self, before, now, ncpus):
        """cpu_percent() between two samples (wall time x ncpus, process
        CPU time); *now* is kept for the next call."""
        self._last_proc_cpu_times = now
        if before is None:
            return 0.0
        wall = now[0] - before[0]
        if wall <= 0:
            return 0.0
        # share of all CPUs, expressed in units of one CPU (as top does)
        return round((now[1] - before[1]) / wall * 100 * ncpus, 1)

    @memoize_when_activated
    def cpu_times(self):
        """System CPU times in seconds (scputimes namedtuple); a list with one
    entry per CPU if *percpu*."""
        return self._proc.cpu_times()

    @memoize_when_activated
    def memory_info(self):
        """Memory use in bytes (pmem namedtuple: rss, vms, shared, ...)."""
        return self._proc.memory_info()

    def memory_full_info(self):
        """memory_info() plus uss, pss and swap (slower: reads smaps)."""
        return self._proc.memory_full_info()

    def memory_percent(self, memtype="rss"):
        """Process memory as a percentage of total physical memory.

        *memtype* names the field of memory_full_info() to use."""
        valid_types = list(_ntp.pfullmem._fields)
        if memtype not in valid_types:
            msg = (
                f"invalid memtype {memtype!r}; valid types are"
                f" {tuple(valid_types)!r}"
            )
            raise ValueError(msg)
        fun = (
            self.memory_info
            if memtype in _ntp.pmem._fields
            else self.memory_full_info
        )
        metrics = fun()
        value = getattr(metrics, memtype)

        total_phymem = _TOTAL_PHYMEM or virtual_memory().total
        if not total_phymem > 0:
            msg = (
                "can't calculate process memory percent because total physical"
                f" system memory is not positive ({total_phymem!r})"
            )
            raise ValueError(msg)
        return (value / float(total_phymem)) * 100

    def memory_maps(self, grouped=True):
        """Mapped memory regions: summed per path when *grouped*, else one
        entry per region with its address range and permissions."""
        if grouped:
            return [
                _ntp.pmmap_grouped(*m)
                for m in self._proc._memory_maps_grouped()
            ]
        return [_ntp.pmmap_ext(*m) for m in self._proc.memory_maps()]

    def open_files(self):
        """Regular files the process has open (popenfile namedtuples)."""
        return self._proc.open_files()

    def net_connections(self, kind="inet"):
        """System-wide sockets as sconn namedtuples (with the owning pid),
    filtered by *kind* as in Process.net_connections()."""
        return self._proc.net_connections(kind)

    @_common.deprecated_method(replacement="net_connections")
    def connections(self, kind="inet"):
        return self.net_connections(kind=kind)

    # --- signals

    def _send_signal(self, sig):
        if self.pid == 0:
            msg = (
                "preventing sending signal to process with PID 0 as it "
                "would affect every process in the process group of the "
                "calling process (os.getpid()) instead of PID 0"
            )
            raise ValueError(msg)
        try:
            self._proc.send_signal(sig)
        except NoSuchProcess as err:
            self._gone = True
            raise NoSuchProcess(self.pid, self._name, msg=err.msg) from None
        except AccessDenied:
            raise AccessDenied(self.pid, self._name) from None

    def send_signal(self, sig):
        """Send signal *sig*, unless the PID now names another process."""
        self._raise_if_pid_reused()
        self._send_signal(sig)

    def suspend(self):
        """Stop the process (SIGSTOP)."""
        self._raise_if_pid_reused()
        self._send_signal(_lazy("signal").SIGSTOP)

    def resume(self):
        """Continue a stopped process (SIGCONT)."""
        self._raise_if_pid_reused()
        self._send_signal(_lazy("signal").SIGCONT)

    def terminate(self):
        """Ask the process to end (SIGTERM)."""
        self._raise_if_pid_reused()
        self._send_signal(_lazy("signal").SIGTERM)

    def kill(self):
        """Kill the process (SIGKILL)."""
        self._raise_if_pid_reused()
        self._send_signal(_lazy("signal").SIGKILL)

    def wait(self, timeout=None):
        """Wait until the process ends and return its exit code (a negative
        Negsignal when a signal killed it) if it is our child, else None.

        *timeout* in seconds raises TimeoutExpired when it passes; 0 only
        checks. An already gone process returns None at once."""
        if self.pid == 0:
            msg = "can't wait for PID 0"
            raise ValueError(msg)
        if timeout is not None:
            if not isinstance(timeout, (int, float)):
                msg = f"timeout must be an int or float (got {type(timeout)})"
                raise TypeError(msg)
            if timeout < 0:
                msg = f"timeout must be positive or zero (got {timeout})"
                raise ValueError(msg)

        if self._exitcode is not _SENTINEL:
            return self._exitcode

        try:
            self._exitcode = self._proc.wait(timeout)
        except TimeoutExpired as err:
            exc = TimeoutExpired(timeout, pid=self.pid, name=self._name)
            raise exc from err

        return self._exitcode


_as_dict_attrnames = set(_AS_DICT_ATTRS)


def _pprint_secs(secs):
    """HH:MM:SS of an epoch time, with the date when it is not today-ish."""
    now = time.time()
    secs_ago = int(now - secs)
    fmt = "%H:%M:%S" if secs_ago < 60 * 60 * 24 else "%Y-%m-%d %H:%M:%S"
    import datetime

    return datetime.datetime.fromtimestamp(secs).strftime(fmt)


# =====================================================================
# --- Popen class
# =====================================================================


class Popen(Process):
    """subprocess.Popen and psutil.Process in one object.

    Attributes psutil does not define (stdout, communicate(), returncode,
    ...) come from the subprocess.Popen; send_signal(), terminate() and
    kill() are psutil's, which refuse to signal a reused PID."""

    def __init__(self, *args, **kwargs):
        import subprocess

        self.__subproc = subprocess.Popen(*args, **kwargs)
        self._init(self.__subproc.pid, _ignore_nsp=True)

    def __dir__(self):
        import subprocess

        return sorted(set(dir(Popen) + dir(subprocess.Popen)))

    def __enter__(self):
        if hasattr(self.__subproc, "__enter__"):
            self.__subproc.__enter__()
        return self

    def __exit__(self, *args, **kwargs):
        if hasattr(self.__subproc, "__exit__"):
            return self.__subproc.__exit__(*args, **kwargs)
        else:
            if self.stdout:
                self.stdout.close()
            if self.stderr:
                self.stderr.close()
            try:
                if self.stdin:
                    self.stdin.close()
            finally:
                self.wait()

    def __getattribute__(self, name):
        try:
            return object.__getattribute__(self, name)
        except AttributeError:
            try:
                return object.__getattribute__(self.__subproc, name)
            except AttributeError:
                msg = f"{self.__class__!r} has no attribute {name!r}"
                raise AttributeError(msg) from None

    def wait(self, timeout=None):
        if self.__subproc.returncode is not None:
            return self.__subproc.returncode
        ret = super().wait(timeout)
        self.__subproc.returncode = ret
        return ret


# =====================================================================
# --- system processes related functions
# =====================================================================


def pids():
    """Sorted list of the PIDs currently in use."""
    global _LOWEST_PID
    ret = sorted(_psplatform.pids())
    _LOWEST_PID = ret[0]
    return ret


def pid_exists(pid):
    """Whether a process with this PID exists (cheaper than
    ``pid in pids()``)."""
    if pid < 0:
        return False
    elif pid == 0 and POSIX:
        return pid in pids()
    else:
        return _psplatform.pid_exists(pid)


_pmap = {}
_pids_reused = set()

# Attributes process_iter(attrs) reads for all processes in one call to the
# extension (GIL released, several threads) instead of one as_dict() per
# process. Others are added with as_dict() per process.
_LISTING_ATTRS = frozenset({
    "cmdline", "cpu_affinity", "cpu_num", "cpu_times", "create_time", "cwd",
    "environ", "exe", "gids", "io_counters", "ionice", "memory_full_info",
    "memory_info", "memory_percent", "name", "nice", "num_ctx_switches",
    "num_fds", "num_threads", "pid", "ppid", "status", "terminal", "threads",
    "uids", "username",
})  # fmt: skip


def _listing_methods():
    """(class, name, function) of every method the batch stands in for: if
    one of them is replaced (e.g. by mock.patch), process_iter() goes
    through as_dict() so the replacement is called."""
    ours = ["__init__", "_init", "_get_ident", "_from_handle", "as_dict",
            "oneshot", "is_running", "_raise_if_pid_reused"]
    ours += sorted(_LISTING_ATTRS - {"pid"})
    platform = ["__init__", "oneshot_enter", "oneshot_exit", "name", "exe",
                "cmdline", "environ", "terminal", "io_counters", "cpu_times",
                "cpu_num", "create_time", "memory_info", "memory_full_info",
                "cwd", "num_ctx_switches", "num_threads", "threads",
                "nice_get", "cpu_affinity_get", "ionice_get", "status",
                "num_fds", "ppid", "uids", "gids"]  # fmt: skip
    return tuple(
        (cls, name, cls.__dict__[name])
        for cls, names in ((Process, ours), (_psplatform.Process, platform))
        for name in names
    )


# Process.as_dict() reads these in one call into the extension; it adds
# cpu_percent from their cpu_times.
_AS_DICT_FAST = tuple(sorted(_AS_DICT_ATTRS - {"cpu_percent"}))
# The methods that call stands in for, by class: if one of them is
# replaced (e.g. by mock.patch, on the class or the instance), as_dict()
# calls the methods so the replacement is called.
_AS_DICT_OURS = ("oneshot", "is_running", "_raise_if_pid_reused",
                 "_cpu_percent_from", *sorted(_AS_DICT_ATTRS - {"pid"}))
_AS_DICT_PLATFORM = ("oneshot_enter", "oneshot_exit", "name", "exe",
                     "cmdline", "environ", "terminal", "io_counters",
                     "cpu_times", "cpu_num", "create_time", "memory_info",
                     "memory_full_info", "_memory_maps_grouped", "cwd",
                     "num_ctx_switches", "num_threads", "threads", "nice_get",
                     "cpu_affinity_get", "ionice_get", "status", "num_fds",
                     "ppid", "uids", "gids", "open_files", "net_connections")
_as_dict_ours = operator.itemgetter(*_AS_DICT_OURS)
_as_dict_platform = operator.itemgetter(*_AS_DICT_PLATFORM)
_AS_DICT_CLASSES = (Process, _psplatform.Process, _psplatform.cext.Proc)
_AS_DICT_ORIGINALS = (
    _as_dict_ours(Process.__dict__),
    _as_dict_platform(_psplatform.Process.__dict__),
)
_AS_DICT_OURS_SET = frozenset(_AS_DICT_OURS)
_AS_DICT_PLATFORM_SET = frozenset(_AS_DICT_PLATFORM)


def _as_dict_fast_ok(proc):
    """Whether proc.as_dict() may use the extension's batch: no method it
    stands in for is replaced, on the classes or on the instances."""
    cls, pcls, cext = _AS_DICT_CLASSES
    plat = proc.__dict__.get("_proc")
    if type(plat) is not pcls or _psplatform.cext.Proc is not cext:
        return False
    try:
        if type(proc) is cls:
            ours = _as_dict_ours(cls.__dict__)
        else:
            ours = tuple(getattr(type(proc), n) for n in _AS_DICT_OURS)
        if (ours, _as_dict_platform(pcls.__dict__)) != _AS_DICT_ORIGINALS:
            return False
    except (KeyError, AttributeError):
        return False
    return _AS_DICT_OURS_SET.isdisjoint(
        proc.__dict__
    ) and _AS_DICT_PLATFORM_SET.isdisjoint(plat.__dict__)


_LISTING_ORIGINALS = (
    Process, _psplatform.Process, _psplatform.cext, _psplatform.cext.Proc
)
_LISTING_METHODS = _listing_methods()


def _listing_plan(attrs):
    """(fast names, other names, total memory) when process_iter(attrs) can
    use the batch, else None (and as_dict() does everything, raising for
    bad attrs as it always did)."""
    if not isinstance(attrs, (list, tuple, set, frozenset)):
        return None
    try:
        names = set(attrs)
    except TypeError:
        return None
    if not names <= _AS_DICT_ATTRS:
        return None
    names = names or _AS_DICT_ATTRS
    fast = names & _LISTING_ATTRS
    if not fast:
        return None
    cext = _psplatform.cext
    if (Process, _psplatform.Process, cext, cext.Proc) != _LISTING_ORIGINALS:
        return None
    for cls, name, func in _LISTING_METHODS:
        if cls.__dict__.get(name) is not func:
            return None
    total = None
    if "memory_percent" in fast:
        total = _TOTAL_PHYMEM or virtual_memory().total
        if not total > 0:
            return None
    return list(fast), names - fast, total


def _uid_name(uid):
    """Process.username() for a real UID."""
    try:
        return _lazy("pwd").getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def process_iter(attrs=None, ad_value=None):
    """Yield a Process for every running process, by ascending PID.

    Process objects are cached between calls (``process_iter.cache_clear()``
    empties the cache). With *attrs* each one gets an ``info`` dict made by
    ``as_dict(attrs, ad_value)``; an empty *attrs* means every attribute."""
    global _pmap

    current = _pmap.copy()
    live = set(pids())
    todo = {pid: None for pid in live - set(current)}
    for pid in set(current) - live:
        current.pop(pid, None)
    while _pids_reused:
        pid = _pids_reused.pop()
        debug(f"refreshing Process instance for reused PID {pid}")
        current.pop(pid, None)
    todo.update(current)
    try:
        plan = None if attrs is None else _listing_plan(attrs)
        if plan is not None:
            yield from _process_listing(sorted(todo), current, attrs, ad_value, plan)
            return
        for pid in sorted(todo):
            proc = current.get(pid)
            try:
                if proc is None:
                    proc = Process(pid)
                    current[pid] = proc
                if attrs is not None:
                    proc.info = proc.as_dict(attrs=attrs, ad_value=ad_value)
                yield proc
            except NoSuchProcess:
                current.pop(pid, None)
    finally:
        _pmap = current


def _process_listing(todo, current, attrs, ad_value, plan):
    """process_iter() with attributes read by the extension's batch.
    *current* is updated in place (new processes added, gone ones removed).
    """
    names, rest, total = plan
    rows = _psplatform.cext.process_listing(
        todo, current, names, ad_value, Process._from_handle, _uid_name, total
    )
    for proc, info in rows:
        try:
            if info is None:  # no Rust handle: the ordinary way
                info = proc.as_dict(attrs=attrs, ad_value=ad_value)
            elif rest:
                info.update(proc.as_dict(attrs=rest, ad_value=ad_value))
        except NoSuchProcess:
            current.pop(proc.pid, None)
            continue
        proc.info = info
        yield proc


process_iter.cache_clear = lambda: _pmap.clear()
process_iter.cache_clear.__doc__ = "Clear process_iter() internal cache."


def _after_fork_in_child():
    """A fork child starts with an empty process_iter() cache: the parent's
    Process objects may have been in use by its other threads (a listing
    holding their locks), and those threads do not exist here."""
    global _pmap
    _pmap = {}
    _pids_reused.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def wait_procs(procs, timeout=None, callback=None):
    """Wait for several processes to end; return (gone, alive).

    Gone processes get a ``returncode`` attribute and are passed to
    *callback* as they end. Never raises TimeoutExpired: what is still
    running after *timeout* seconds is returned as alive."""
    if timeout is not None and not timeout >= 0:
        msg = f"timeout must be a positive integer, got {timeout}"
        raise ValueError(msg)
    if callback is not None and not callable(callback):
        msg = f"callback {callback!r} is not a callable"
        raise TypeError(msg)

    gone = set()
    alive = set(procs)
    deadline = None if timeout is None else _timer() + timeout

    import subprocess

    def reap(proc, wait_for):
        try:
            code = proc.wait(timeout=wait_for)
        except (TimeoutExpired, subprocess.TimeoutExpired):
            return
        if code is not None or not proc.is_running():
            proc.returncode = code
            gone.add(proc)
            if callback is not None:
                callback(proc)

    while alive:
        if deadline is not None and _timer() >= deadline:
            break
        slot = 1.0 / len(alive)
        for proc in list(alive):
            wait_for = slot
            if deadline is not None:
                wait_for = max(0, min(slot, deadline - _timer()))
            reap(proc, wait_for)
        alive -= gone

    if alive:
        for proc in list(alive):
            reap(proc, 0)
        alive -= gone

    return (list(gone), list(alive))


# =====================================================================
# --- CPU related functions
# =====================================================================


def cpu_count(logical=True):
    """Number of logical CPUs, or of physical cores if not *logical*;
    None when unknown."""
    # The "< 1 is None" rule (the crate's cpu_count has it too) stays here
    # for psutil's test_system test_cpu_count_none, which patches
    # _psplatform.cpu_count_logical and _psplatform.cpu_count_cores.
    if logical:
        ret = _psplatform.cpu_count_logical()
    else:
        ret = _psplatform.cpu_count_cores()
    if ret is not None and ret < 1:
        ret = None
    return ret


def cpu_times(percpu=False):
    """System CPU times in seconds (scputimes namedtuple); a list with one
    entry per CPU if *percpu*."""
    if not percpu:
        return _psplatform.cpu_times()
    else:
        return _psplatform.per_cpu_times()


# The samples taken at import, which the first cpu_percent(None) compares
# with. They are kept as the extension's plain lists (made into scputimes
# when used), so that `import psutil` does not build namedtuple types.
try:
    _last_cpu_times = {_thread.get_ident(): _psplatform.cext.cpu_times()}
except Exception:  # noqa: BLE001
    _last_cpu_times = {}

try:
    _last_per_cpu_times = {_thread.get_ident(): _psplatform.cext.per_cpu_times()}
except Exception:  # noqa: BLE001
    _last_per_cpu_times = {}


def _as_scputimes(sample):
    """An import-time sample (plain list) as scputimes; others unchanged."""
    if type(sample) is list:
        return _psplatform.scputimes(*sample)
    return sample


# cpu_percent() and cpu_times_percent() compute in Python (the crate has
# cpu::CpuPercent) for psutil's tests: test_system's
# test_per_cpu_times_percent_negative patches psutil.cpu_times.
def _cpu_tot_time(times):
    """All CPU time in *times*; guest and guest_nice are already part of
    user and nice, so they are not counted twice.
    """
    tot = sum(times)
    tot -= getattr(times, "guest", 0)
    tot -= getattr(times, "guest_nice", 0)
    return tot


def _cpu_busy_time(times):
    """CPU time spent working: the total minus idle and iowait."""
    busy = _cpu_tot_time(times)
    busy -= times.idle
    busy -= getattr(times, "iowait", 0)
    return busy


def _cpu_times_deltas(t1, t2):
    assert t1._fields == t2._fields, (t1, t2)
    return _psplatform.scputimes(*(max(0, b - a) for a, b in zip(t1, t2)))


def cpu_percent(interval=None, percpu=False):
    """System CPU use in percent (a list per CPU with *percpu*).

    With *interval* > 0 it measures over that many seconds (blocking);
    otherwise it compares with the previous call from the same thread (or
    the import of psutil)."""
    tid = _thread.get_ident()
    blocking = interval is not None and interval > 0.0
    if interval is not None and interval < 0:
        msg = f"interval is not positive (got {interval})"
        raise ValueError(msg)

    def calculate(t1, t2):
        deltas = _cpu_times_deltas(t1, t2)
        total = _cpu_tot_time(deltas)
        busy = _cpu_busy_time(deltas)
        try:
            return round(busy / total * 100, 1)
        except ZeroDivisionError:
            return 0.0

    return _sample_cpu(tid, blocking, interval, percpu, calculate,
                       _last_cpu_times, _last_per_cpu_times)


def _sample_cpu(tid, blocking, interval, percpu, calculate, last, last_percpu):
    """The sampling shared by cpu_percent() and cpu_times_percent(): compare
    with a sample taken *interval* seconds ago, or with this thread's last
    one in *last* / *last_percpu*, and store the new sample there."""
    if not percpu:
        t1 = cpu_times() if blocking else _as_scputimes(last.get(tid)) or cpu_times()
        if blocking:
            _psplatform.cext.sleep(interval)
        last[tid] = cpu_times()
        return calculate(t1, last[tid])
    if blocking:
        tot1 = cpu_times(percpu=True)
    else:
        tot1 = [_as_scputimes(t) for t in last_percpu.get(tid) or ()] or cpu_times(percpu=True)
    if blocking:
        _psplatform.cext.sleep(interval)
    last_percpu[tid] = cpu_times(percpu=True)
    return [calculate(t1, t2) for t1, t2 in zip(tot1, last_percpu[tid])]


_last_cpu_times_2 = _last_cpu_times.copy()
_last_per_cpu_times_2 = _last_per_cpu_times.copy()


def cpu_times_percent(interval=None, percpu=False):
    """Like cpu_percent() but for each field of cpu_times()."""
    tid = _thread.get_ident()
    blocking = interval is not None and interval > 0.0
    if interval is not None and interval < 0:
        msg = f"interval is not positive (got {interval!r})"
        raise ValueError(msg)

    def calculate(t1, t2):
        deltas = _cpu_times_deltas(t1, t2)
        scale = 100.0 / max(1, _cpu_tot_time(deltas))
        values = [min(max(0.0, round(d * scale, 1)), 100.0) for d in deltas]
        return _psplatform.scputimes(*values)

    return _sample_cpu(tid, blocking, interval, percpu, calculate,
                       _last_cpu_times_2, _last_per_cpu_times_2)


def cpu_stats():
    """Context switches, interrupts, soft interrupts and syscalls since
    boot."""
    return _psplatform.cpu_stats()


def cpu_freq(percpu=False):
    """CPU frequency (current, min, max) in MHz, averaged over CPUs unless
    *percpu*; None when unknown."""
    ret = _psplatform.cpu_freq()
    if percpu:
        return ret
    num_cpus = float(len(ret))
    if num_cpus == 0:
        return None
    if num_cpus == 1:
        return ret[0]
    currs, mins, maxs = 0.0, 0.0, 0.0
    set_none = False
    for cpu in ret:
        currs += cpu.current
        if LINUX and cpu.min is None:
            set_none = True
            continue
        mins += cpu.min
        maxs += cpu.max
    current = currs / num_cpus
    if set_none:
        min_ = max_ = None
    else:
        min_ = mins / num_cpus
        max_ = maxs / num_cpus
    return _ntp.scpufreq(current, min_, max_)


getloadavg = os.getloadavg


# =====================================================================
# --- system memory related functions
# =====================================================================


def virtual_memory():
    """System memory in bytes (svmem namedtuple): total, available,
    percent, used, free, active, inactive, buffers, cached, shared, slab."""
    global _TOTAL_PHYMEM
    ret = _psplatform.virtual_memory()
    _TOTAL_PHYMEM = ret.total
    return ret


def swap_memory():
    """Swap memory (sswap namedtuple): total, used, free, percent, sin,
    sout."""
    return _psplatform.swap_memory()


# =====================================================================
# --- disks/partitions related functions
# =====================================================================


def disk_usage(path):
    """Total, used and free bytes of the file system holding *path*, and
    the percentage used."""
    return _psplatform.disk_usage(path)


def disk_partitions(all=False):
    """Mounted file systems as sdiskpart namedtuples; only physical
    devices unless *all*."""
    return _psplatform.disk_partitions(all)


def disk_io_counters(perdisk=False, nowrap=True):
    """System-wide disk I/O counters (sdiskio namedtuple), or a dict per
    disk if *perdisk*. With *nowrap* counters that wrapped around keep
    growing (``disk_io_counters.cache_clear()`` resets that)."""
    # Summing and nowrap stay in Python (see _common.wrap_numbers) for
    # psutil's test_system test_disk_io_counters_no_disks, which patches
    # _psplatform.disk_io_counters.
    rawdict = _psplatform.disk_io_counters(perdisk=perdisk)
    if not rawdict:
        return {} if perdisk else None
    if nowrap:
        rawdict = _wrap_numbers(rawdict, "psutil.disk_io_counters")
    if perdisk:
        return {k: _ntp.sdiskio(*v) for k, v in rawdict.items()}
    return _ntp.sdiskio(*(sum(x) for x in zip(*rawdict.values())))


def _disk_io_cache_clear():
    """Clears nowrap argument cache"""
    _wrap_numbers.cache_clear("psutil.disk_io_counters")


disk_io_counters.cache_clear = _disk_io_cache_clear


# =====================================================================
# --- network related functions
# =====================================================================


def net_io_counters(pernic=False, nowrap=True):
    """System-wide network I/O counters (snetio namedtuple), or a dict
    per NIC if *pernic*. *nowrap* as in disk_io_counters()."""
    # As in disk_io_counters(): test_net_io_counters_no_nics patches
    # _psplatform.net_io_counters.
    rawdict = _psplatform.net_io_counters()
    if not rawdict:
        return {} if pernic else None
    if nowrap:
        rawdict = _wrap_numbers(rawdict, "psutil.net_io_counters")
    if pernic:
        return {k: _ntp.snetio(*v) for k, v in rawdict.items()}
    return _ntp.snetio(*(sum(x) for x in zip(*rawdict.values())))


def _net_io_cache_clear():
    """Clears nowrap argument cache"""
    _wrap_numbers.cache_clear("psutil.net_io_counters")


net_io_counters.cache_clear = _net_io_cache_clear


def net_connections(kind="inet"):
    """System-wide sockets as sconn namedtuples (with the owning pid),
    filtered by *kind* as in Process.net_connections()."""
    return _psplatform.net_connections(kind)


def net_if_addrs():
    """Addresses of each NIC: {name: [snicaddr(family, address, netmask,
    broadcast, ptp)]}; family AF_LINK is a MAC address."""
    # The MAC padding (the crate's net_if_addrs pads too) stays here for
    # psutil's test_system test_net_if_addrs_mac_null_bytes, which patches
    # _psplatform.net_if_addrs.
    ret = {}
    af_link = _psplatform.AF_LINK
    for name, fam, addr, mask, broadcast, ptp in _psplatform.net_if_addrs():
        fam = _common.sockfam_to_enum(fam)
        if fam == af_link and addr:
            octets = addr.split(":")
            addr = ":".join(octets + ["00"] * (6 - len(octets)))
        ret.setdefault(name, []).append(_ntp.snicaddr(fam, addr, mask, broadcast, ptp))
    return dict(ret)


def net_if_stats():
    """State of each NIC: {name: snicstats(isup, duplex, speed, mtu,
    flags)}."""
    return _psplatform.net_if_stats()


# =====================================================================
# --- sensors
# =====================================================================


def sensors_temperatures(fahrenheit=False):
    """Hardware temperatures: {chip: [shwtemp(label, current, high,
    critical)]} in Celsius, or Fahrenheit if *fahrenheit*."""
    # Conversion and the high/critical fill (the crate's
    # sensors_temperatures does both) stay here for psutil's test_system
    # test_sensors_temperatures_fahreneit, which patches
    # _psplatform.sensors_temperatures.
    def conv(c):
        if c is None or not fahrenheit:
            return c
        return (float(c) * 9 / 5) + 32

    ret = {}
    for chip, entries in _psplatform.sensors_temperatures().items():
        out = []
        for label, current, high, critical in entries:
            if high is None:
                high = critical
            elif critical is None:
                critical = high
            out.append(
                _ntp.shwtemp(label, conv(current), conv(high), conv(critical))
            )
        ret[chip] = out
    return ret


def sensors_fans():
    """Fan speeds: {chip: [sfan(label, current)]} in RPM."""
    return _psplatform.sensors_fans()


def sensors_battery():
    """Battery status (percent, secsleft, power_plugged), or None."""
    return _psplatform.sensors_battery()


# =====================================================================
# --- other system related functions
# =====================================================================


def boot_time():
    """System boot time in seconds since the epoch."""
    return _psplatform.boot_time()


def users():
    """Logged-in users as suser(name, terminal, host, started, pid)."""
    return _psplatform.users()


def heap_info():
    """glibc heap statistics: pheap(heap_used, mmap_used) in bytes."""
    return _psplatform.heap_info()


def heap_trim():
    """Ask glibc to give unused heap memory back to the system."""
    _psplatform.heap_trim()


def test():
    """List all processes in a "ps aux" like table (the README's
    ``psutil.test()``; not part of psutil 7.2.2, kept out of __all__).
    """
    import datetime

    today = datetime.date.today()
    templ = "%-10s %6s %4s %4s %7s %7s %-13s %5s %7s  %s"
    attrs = ['pid', 'cpu_percent', 'memory_percent', 'name', 'cmdline',
             'cpu_times', 'create_time', 'memory_info', 'terminal',
             'username']
    print(templ % ("USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY",
                   "START", "TIME", "COMMAND"))
    for p in process_iter(attrs, ad_value=None):
        info = p.info
        if info['create_time']:
            ctime = datetime.datetime.fromtimestamp(info['create_time'])
            start = ctime.strftime(
                "%H:%M" if ctime.date() == today else "%b%d")
        else:
            start = ''
        if info['cpu_times']:
            secs = int(sum(info['cpu_times'][:2]))
            cputime = "%d:%02d" % divmod(secs, 60)
        else:
            cputime = ''
        mem = info['memory_info']
        user = (info['username'] or '')[:10]
        print(templ % (
            user,
            info['pid'],
            "%.1f" % info['cpu_percent'] if info['cpu_percent'] is not None else '',
            "%.1f" % info['memory_percent'] if info['memory_percent'] is not None else '',
            mem.vms // 1024 if mem else '',
            mem.rss // 1024 if mem else '',
            (info['terminal'] or '')[:13],
            start,
            cputime,
            " ".join(info['cmdline']) if info['cmdline'] else (info['name'] or ''),
        ))


del memoize_when_activated

# Names made on first use (see the imports at the top): the enum constants
# come from the modules that make them, and the standard modules psutil's
# namespace has always had are imported (psutil's tests patch
# ``psutil.pwd.getpwuid``; code reads ``psutil.signal``).
__getattr__, __dir__, _lazy = _common._lazy_module_names(globals(), {
    **{name: (name, lambda name=name: getattr(_psplatform, name))
       for name in ("AF_LINK", "IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
                    "IOPRIO_CLASS_IDLE")},
    **{name: (name, lambda name=name: getattr(_common, name))
       for name in ("NIC_DUPLEX_FULL", "NIC_DUPLEX_HALF", "NIC_DUPLEX_UNKNOWN",
                    "POWER_TIME_UNKNOWN", "POWER_TIME_UNLIMITED")},
    **{name: (name, lambda name=name: __import__(name))
       for name in ("collections", "contextlib", "functools", "pwd", "signal", "threading")},
})  # fmt: skip
