"""Control groups: the cgroup of a process, its usage and the limits that
really bind it in a container (not part of psutil 7.2.2; import it as
``psutil.cgroups``, it stays out of ``psutil.__all__``).

psutil's own ``virtual_memory()`` and ``cpu_count()`` keep reporting the
host. This module answers for the cgroup::

    >>> from psutil import cgroups
    >>> cg = cgroups.cgroup()            # the calling process's cgroup
    >>> cg.path, cg.version
    ('/system.slice/app.service', 2)
    >>> cg.memory().limit                # bytes; math.inf when unlimited
    536870912
    >>> cgroups.effective_cpu_count()    # affinity and every CPU quota
    2

Values follow one rule: ``None`` when unavailable (no such controller, no
PSI, the cgroup is gone), ``math.inf`` when a limit is unlimited ("max"),
else the number. Sizes are bytes, times seconds, pressure averages percent
and pressure totals microseconds. Works on cgroup v1, v2 and hybrid hosts.
``psutil.PROCFS_PATH`` is honoured, and :func:`set_cgroupfs_path` moves the
cgroup filesystem root the same way.
"""

import collections

from . import _psutil_rs as _cext
from ._pslinux import _sync_procfs

__all__ = [
    "Cgroup",
    "cgroup",
    "root",
    "effective_cpu_count",
    "effective_memory_limit",
    "virtual_memory",
    "system_pressure",
    "cgroupfs_path",
    "set_cgroupfs_path",
]

_nt = collections.namedtuple

#: One hierarchy of a cgroup: v1 or v2, its controllers (v1), path, directory.
hierarchy = _nt("hierarchy", "version controllers path dir")
#: ``memory.events`` (v2) or the v1 equivalents (``max`` = v1 failcnt).
memevents = _nt("memevents", "low high max oom oom_kill")
#: Memory figures (bytes; ``stat`` is the whole ``memory.stat`` as a dict).
cgmemory = _nt(
    "cgmemory",
    "usage limit high swap_usage swap_limit working_set rss cache mapped_file stat events",
)
#: CPU figures (seconds, microseconds for quota and period, CPUs for the limit).
cgcpu = _nt(
    "cgcpu",
    "usage_seconds user_seconds system_seconds quota_us period_us limit_cpus"
    " weight shares nr_periods nr_throttled throttled_seconds cpuset",
)
#: I/O counters of one block device.
cgiodevice = _nt("cgiodevice", "major minor read_bytes write_bytes read_ios write_ios")
#: I/O limits of one block device (per second).
cgiolimit = _nt("cgiolimit", "major minor read_bps write_bps read_iops write_iops")
#: I/O figures: lists of devices and of limits, each None when unavailable.
cgio = _nt("cgio", "devices limits")
#: Task count and limit.
cgpids = _nt("cgpids", "current max")
#: One PSI line: stall percentages over 10, 60, 300 s, total stall in microseconds.
psiline = _nt("psiline", "avg10 avg60 avg300 total")
#: One PSI file: ``some`` and ``full`` (None where the kernel prints no full line).
psi = _nt("psi", "some full")
#: PSI of CPU, memory and I/O, each None when unavailable.
pressure = _nt("pressure", "cpu memory io")
#: What the cgroup path says about where processes run (best effort).
placement = _nt("placement", "runtime container_id pod_uid unit slice")
#: psutil's ``svmem`` shape for a cgroup (total = the effective limit).
cgvmem = _nt("cgvmem", "total available percent used free active inactive cached shared")


def _pressure(t):
    if t is None:
        return None

    def one(p):
        if p is None:
            return None
        some, full = p
        return psi(psiline(*some), None if full is None else psiline(*full))

    return pressure(*(one(p) for p in t))


class Cgroup:
    """A cgroup. ``Cgroup(path)`` opens the cgroup at ``path`` (as
    ``/proc/PID/cgroup`` prints paths); :func:`cgroup` gives a process's.
    Every figure is read afresh when asked for."""

    __slots__ = ("_h",)

    def __init__(self, path):
        _sync_procfs()
        self._h = _cext.cgroup_open(path)

    @classmethod
    def _wrap(cls, handle):
        self = cls.__new__(cls)
        self._h = handle
        return self

    def __repr__(self):
        return f"psutil.cgroups.Cgroup(path={self.path!r}, version={self.version})"

    def __eq__(self, other):
        return isinstance(other, Cgroup) and self.hierarchies() == other.hierarchies()

    def __hash__(self):
        return hash(self.path)

    @property
    def path(self):
        """The cgroup path (on v1 hosts, the memory hierarchy's)."""
        return self._h.path()

    @property
    def name(self):
        """The last path component ("/" for the root)."""
        return self._h.name()

    @property
    def version(self):
        """1 or 2: the version of the hierarchy that gives ``path``."""
        return self._h.version()

    @property
    def dir(self):
        """The cgroup's directory, None when no mount shows it."""
        return self._h.dir()

    def hierarchies(self):
        """Every hierarchy: list of ``hierarchy(version, controllers, path, dir)``."""
        return [hierarchy(*h) for h in self._h.hierarchies()]

    def memory(self):
        """Memory usage, limits, working set, memory.stat and events."""
        t = self._h.memory()
        return cgmemory(*t[:10], memevents(*t[10]))

    def cpu(self):
        """CPU time, quota (as a limit in CPUs), weight or shares, throttling, cpuset."""
        return cgcpu(*self._h.cpu())

    def io(self):
        """Block I/O counters and limits per device."""
        devices, limits = self._h.io()
        return cgio(
            None if devices is None else [cgiodevice(*d) for d in devices],
            None if limits is None else [cgiolimit(*lim) for lim in limits],
        )

    def pids(self):
        """Tasks in the cgroup (with descendants) and their limit."""
        return cgpids(*self._h.pids())

    def pressure(self):
        """Pressure stall information for CPU, memory and I/O."""
        return _pressure(self._h.pressure())

    def placement(self):
        """Container runtime and ID, Kubernetes pod UID, systemd unit and slice."""
        return placement(*self._h.placement())

    def effective_cpu_limit(self):
        """The least CPU limit (CPUs) of this cgroup and its visible ancestors."""
        return self._h.effective_cpu_limit()

    def effective_memory_limit(self):
        """The least memory limit (bytes) of this cgroup and its visible
        ancestors (not capped by the host's RAM)."""
        return self._h.effective_memory_limit()

    def virtual_memory(self):
        """psutil's ``virtual_memory()`` shape for this cgroup."""
        _sync_procfs()
        return cgvmem(*self._h.virtual_memory())

    def children(self):
        """The child cgroups, sorted by name."""
        return [Cgroup._wrap(h) for h in self._h.children()]

    def processes(self):
        """The PIDs in this cgroup itself (not its descendants), sorted."""
        return self._h.processes()


def cgroup(pid=None):
    """The cgroup of process ``pid`` (default: the calling process).
    Raises NoSuchProcess / AccessDenied like ``Process`` methods."""
    _sync_procfs()
    return Cgroup._wrap(_cext.cgroup_of(pid))


def root():
    """The root cgroup."""
    return Cgroup("/")


def effective_cpu_count(pid=None):
    """How many CPUs process ``pid`` (default: the caller) can use at once:
    its affinity mask, lowered to every CPU quota of its cgroup and
    ancestors rounded up to whole CPUs, at least 1."""
    _sync_procfs()
    return _cext.effective_cpu_count(pid)


def effective_memory_limit(pid=None):
    """The most memory the cgroup of ``pid`` (default: the caller) may use,
    in bytes: the least of the host's RAM and every ancestor's limit."""
    _sync_procfs()
    return _cext.effective_memory_limit(pid)


def virtual_memory():
    """psutil's ``virtual_memory()`` shape for the calling process's cgroup."""
    return cgroup().virtual_memory()


def system_pressure():
    """System-wide PSI from /proc/pressure, None when the kernel has none."""
    _sync_procfs()
    return _pressure(_cext.system_pressure())


def cgroupfs_path():
    """The cgroup filesystem root (default /sys/fs/cgroup)."""
    return _cext.cgroupfs_path()


def set_cgroupfs_path(path):
    """Reads the cgroup filesystem from ``path`` (a host's, or a fixture)."""
    _cext.set_cgroupfs_path(path)
