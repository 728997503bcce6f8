# Type stubs for psutil.cgroups (not part of psutil 7.2.2).
# A limit is None when unavailable, math.inf when unlimited, else a number.
from typing import NamedTuple, Optional, Union

__all__ = [
    "Cgroup", "cgroup", "root", "effective_cpu_count", "effective_memory_limit",
    "virtual_memory", "system_pressure", "cgroupfs_path", "set_cgroupfs_path",
]

_Limit = Union[int, float]

class hierarchy(NamedTuple):
    version: int
    controllers: list[str]
    path: str
    dir: Optional[str]

class memevents(NamedTuple):
    low: Optional[int]
    high: Optional[int]
    max: Optional[int]
    oom: Optional[int]
    oom_kill: Optional[int]

class cgmemory(NamedTuple):
    usage: Optional[int]
    limit: Optional[_Limit]
    high: Optional[_Limit]
    swap_usage: Optional[int]
    swap_limit: Optional[_Limit]
    working_set: Optional[int]
    rss: Optional[int]
    cache: Optional[int]
    mapped_file: Optional[int]
    stat: dict[str, int]
    events: memevents

class cgcpu(NamedTuple):
    usage_seconds: Optional[float]
    user_seconds: Optional[float]
    system_seconds: Optional[float]
    quota_us: Optional[_Limit]
    period_us: Optional[int]
    limit_cpus: Optional[float]
    weight: Optional[int]
    shares: Optional[int]
    nr_periods: Optional[int]
    nr_throttled: Optional[int]
    throttled_seconds: Optional[float]
    cpuset: Optional[list[int]]

class cgiodevice(NamedTuple):
    major: int
    minor: int
    read_bytes: int
    write_bytes: int
    read_ios: int
    write_ios: int

class cgiolimit(NamedTuple):
    major: int
    minor: int
    read_bps: _Limit
    write_bps: _Limit
    read_iops: _Limit
    write_iops: _Limit

class cgio(NamedTuple):
    devices: Optional[list[cgiodevice]]
    limits: Optional[list[cgiolimit]]

class cgpids(NamedTuple):
    current: Optional[int]
    max: Optional[_Limit]

class psiline(NamedTuple):
    avg10: float
    avg60: float
    avg300: float
    total: int

class psi(NamedTuple):
    some: psiline
    full: Optional[psiline]

class pressure(NamedTuple):
    cpu: Optional[psi]
    memory: Optional[psi]
    io: Optional[psi]

class placement(NamedTuple):
    runtime: Optional[str]
    container_id: Optional[str]
    pod_uid: Optional[str]
    unit: Optional[str]
    slice: Optional[str]

class cgvmem(NamedTuple):
    total: int
    available: int
    percent: float
    used: int
    free: int
    active: Optional[int]
    inactive: Optional[int]
    cached: Optional[int]
    shared: Optional[int]

class Cgroup:
    def __init__(self, path: str) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def dir(self) -> Optional[str]: ...
    def hierarchies(self) -> list[hierarchy]: ...
    def memory(self) -> cgmemory: ...
    def cpu(self) -> cgcpu: ...
    def io(self) -> cgio: ...
    def pids(self) -> cgpids: ...
    def pressure(self) -> pressure: ...
    def placement(self) -> placement: ...
    def effective_cpu_limit(self) -> Optional[float]: ...
    def effective_memory_limit(self) -> Optional[_Limit]: ...
    def virtual_memory(self) -> cgvmem: ...
    def children(self) -> list[Cgroup]: ...
    def processes(self) -> list[int]: ...

def cgroup(pid: Optional[int] = None) -> Cgroup: ...
def root() -> Cgroup: ...
def effective_cpu_count(pid: Optional[int] = None) -> int: ...
def effective_memory_limit(pid: Optional[int] = None) -> int: ...
def virtual_memory() -> cgvmem: ...
def system_pressure() -> Optional[pressure]: ...
def cgroupfs_path() -> str: ...
def set_cgroupfs_path(path: str) -> None: ...
