# Type stubs for the Rust-backed psutil 7.2.2 API (Linux).
import enum
import socket
import subprocess
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from ._common import AccessDenied as AccessDenied
from ._common import BatteryTime, NicDuplex
from ._common import Error as Error
from ._common import NoSuchProcess as NoSuchProcess
from ._common import TimeoutExpired as TimeoutExpired
from ._common import ZombieProcess as ZombieProcess
from ._pslinux import AddressFamily as _LinkFamily
from ._pslinux import IOPriority

__version__: str
version_info: tuple[int, int, int]
__all__: list[str]

POSIX: bool
WINDOWS: bool
LINUX: bool
MACOS: bool
OSX: bool
FREEBSD: bool
OPENBSD: bool
NETBSD: bool
BSD: bool
SUNOS: bool
AIX: bool

STATUS_RUNNING: str
STATUS_SLEEPING: str
STATUS_DISK_SLEEP: str
STATUS_STOPPED: str
STATUS_TRACING_STOP: str
STATUS_ZOMBIE: str
STATUS_DEAD: str
STATUS_WAKING: str
STATUS_IDLE: str
STATUS_LOCKED: str
STATUS_WAITING: str
STATUS_PARKED: str

CONN_ESTABLISHED: str
CONN_SYN_SENT: str
CONN_SYN_RECV: str
CONN_FIN_WAIT1: str
CONN_FIN_WAIT2: str
CONN_TIME_WAIT: str
CONN_CLOSE: str
CONN_CLOSE_WAIT: str
CONN_LAST_ACK: str
CONN_LISTEN: str
CONN_CLOSING: str
CONN_NONE: str

NIC_DUPLEX_FULL: NicDuplex
NIC_DUPLEX_HALF: NicDuplex
NIC_DUPLEX_UNKNOWN: NicDuplex
POWER_TIME_UNKNOWN: BatteryTime
POWER_TIME_UNLIMITED: BatteryTime
IOPRIO_CLASS_NONE: IOPriority
IOPRIO_CLASS_RT: IOPriority
IOPRIO_CLASS_BE: IOPriority
IOPRIO_CLASS_IDLE: IOPriority

RLIM_INFINITY: int
RLIMIT_AS: int
RLIMIT_CORE: int
RLIMIT_CPU: int
RLIMIT_DATA: int
RLIMIT_FSIZE: int
RLIMIT_LOCKS: int
RLIMIT_MEMLOCK: int
RLIMIT_MSGQUEUE: int
RLIMIT_NICE: int
RLIMIT_NOFILE: int
RLIMIT_NPROC: int
RLIMIT_RSS: int
RLIMIT_RTPRIO: int
RLIMIT_RTTIME: int
RLIMIT_SIGPENDING: int
RLIMIT_STACK: int

AF_LINK: _LinkFamily
PROCFS_PATH: str

# --- namedtuples

class svmem(NamedTuple):
    total: int
    available: int
    percent: float
    used: int
    free: int
    active: int
    inactive: int
    buffers: int
    cached: int
    shared: int
    slab: int

class sswap(NamedTuple):
    total: int
    used: int
    free: int
    percent: float
    sin: int
    sout: int

class sdiskusage(NamedTuple):
    total: int
    used: int
    free: int
    percent: float

class sdiskio(NamedTuple):
    read_count: int
    write_count: int
    read_bytes: int
    write_bytes: int
    read_time: int
    write_time: int
    read_merged_count: int
    write_merged_count: int
    busy_time: int

class sdiskpart(NamedTuple):
    device: str
    mountpoint: str
    fstype: str
    opts: str

class snetio(NamedTuple):
    bytes_sent: int
    bytes_recv: int
    packets_sent: int
    packets_recv: int
    errin: int
    errout: int
    dropin: int
    dropout: int

class suser(NamedTuple):
    name: str
    terminal: str | None
    host: str | None
    started: float
    pid: int

class addr(NamedTuple):
    ip: str
    port: int

class sconn(NamedTuple):
    fd: int
    family: socket.AddressFamily
    type: socket.SocketKind
    laddr: addr | tuple[()] | str
    raddr: addr | tuple[()] | str
    status: str
    pid: int | None

class snicaddr(NamedTuple):
    family: socket.AddressFamily
    address: str
    netmask: str | None
    broadcast: str | None
    ptp: str | None

class snicstats(NamedTuple):
    isup: bool
    duplex: NicDuplex
    speed: int
    mtu: int
    flags: str

class scputimes(NamedTuple):
    user: float
    nice: float
    system: float
    idle: float
    iowait: float
    irq: float
    softirq: float
    steal: float
    guest: float
    guest_nice: float

class scpustats(NamedTuple):
    ctx_switches: int
    interrupts: int
    soft_interrupts: int
    syscalls: int

class scpufreq(NamedTuple):
    current: float
    min: float | None
    max: float | None

class shwtemp(NamedTuple):
    label: str
    current: float
    high: float | None
    critical: float | None

class sbattery(NamedTuple):
    percent: float
    secsleft: int
    power_plugged: bool | None

class sfan(NamedTuple):
    label: str
    current: int

class pheap(NamedTuple):
    heap_used: int
    mmap_used: int

class pcputimes(NamedTuple):
    user: float
    system: float
    children_user: float
    children_system: float
    iowait: float

class popenfile(NamedTuple):
    path: str
    fd: int
    position: int
    mode: str
    flags: int

class pthread(NamedTuple):
    id: int
    user_time: float
    system_time: float

class puids(NamedTuple):
    real: int
    effective: int
    saved: int

class pgids(NamedTuple):
    real: int
    effective: int
    saved: int

class pio(NamedTuple):
    read_count: int
    write_count: int
    read_bytes: int
    write_bytes: int
    read_chars: int
    write_chars: int

class pionice(NamedTuple):
    ioclass: IOPriority
    value: int

class pctxsw(NamedTuple):
    voluntary: int
    involuntary: int

class pconn(NamedTuple):
    fd: int
    family: socket.AddressFamily
    type: socket.SocketKind
    laddr: addr | tuple[()] | str
    raddr: addr | tuple[()] | str
    status: str

class pmem(NamedTuple):
    rss: int
    vms: int
    shared: int
    text: int
    lib: int
    data: int
    dirty: int

class pfullmem(NamedTuple):
    rss: int
    vms: int
    shared: int
    text: int
    lib: int
    data: int
    dirty: int
    uss: int
    pss: int
    swap: int

class pmmap_grouped(NamedTuple):
    path: str
    rss: int
    size: int
    pss: int
    shared_clean: int
    shared_dirty: int
    private_clean: int
    private_dirty: int
    referenced: int
    anonymous: int
    swap: int

class pmmap_ext(NamedTuple):
    addr: str
    perms: str
    path: str
    rss: int
    size: int
    pss: int
    shared_clean: int
    shared_dirty: int
    private_clean: int
    private_dirty: int
    referenced: int
    anonymous: int
    swap: int

# --- processes

class Process:
    info: dict[str, Any]
    def __init__(self, pid: int | None = None) -> None: ...
    @property
    def pid(self) -> int: ...
    def oneshot(self) -> AbstractContextManager[None]: ...
    def as_dict(
        self, attrs: Iterable[str] | None = None, ad_value: Any = None
    ) -> dict[str, Any]: ...
    def parent(self) -> Process | None: ...
    def parents(self) -> list[Process]: ...
    def is_running(self) -> bool: ...
    def ppid(self) -> int: ...
    def name(self) -> str: ...
    def exe(self) -> str: ...
    def cmdline(self) -> list[str]: ...
    def status(self) -> str: ...
    def username(self) -> str: ...
    def create_time(self) -> float: ...
    def cwd(self) -> str: ...
    def nice(self, value: int | None = None) -> int | None: ...
    def uids(self) -> puids: ...
    def gids(self) -> pgids: ...
    def terminal(self) -> str | None: ...
    def num_fds(self) -> int: ...
    def io_counters(self) -> pio: ...
    def ionice(
        self, ioclass: int | None = None, value: int | None = None
    ) -> pionice | None: ...
    def rlimit(
        self, resource: int, limits: tuple[int, int] | None = None
    ) -> tuple[int, int] | None: ...
    def cpu_affinity(self, cpus: list[int] | None = None) -> list[int] | None: ...
    def cpu_num(self) -> int: ...
    def environ(self) -> dict[str, str]: ...
    def num_ctx_switches(self) -> pctxsw: ...
    def num_threads(self) -> int: ...
    def threads(self) -> list[pthread]: ...
    def children(self, recursive: bool = False) -> list[Process]: ...
    def cpu_percent(self, interval: float | None = None) -> float: ...
    def cpu_times(self) -> pcputimes: ...
    def memory_info(self) -> pmem: ...
    def memory_full_info(self) -> pfullmem: ...
    def memory_percent(self, memtype: str = "rss") -> float: ...
    def memory_maps(self, grouped: bool = True) -> list[pmmap_grouped] | list[pmmap_ext]: ...
    def open_files(self) -> list[popenfile]: ...
    def net_connections(self, kind: str = "inet") -> list[pconn]: ...
    def connections(self, kind: str = "inet") -> list[pconn]: ...
    def send_signal(self, sig: int) -> None: ...
    def suspend(self) -> None: ...
    def resume(self) -> None: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int | None: ...

class Popen(Process):
    returncode: int | None
    stdin: Any
    stdout: Any
    stderr: Any
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...
    def __enter__(self) -> Popen: ...
    def __exit__(self, *args: Any, **kwargs: Any) -> Any: ...
    def communicate(self, input: Any = None, timeout: float | None = None) -> tuple[Any, Any]: ...
    def poll(self) -> int | None: ...

def pids() -> list[int]: ...
def pid_exists(pid: int) -> bool: ...
def process_iter(
    attrs: Iterable[str] | None = None, ad_value: Any = None
) -> Iterator[Process]: ...
def wait_procs(
    procs: Iterable[Process],
    timeout: float | None = None,
    callback: Callable[[Process], Any] | None = None,
) -> tuple[list[Process], list[Process]]: ...

# --- system

def cpu_count(logical: bool = True) -> int | None: ...
def cpu_times(percpu: bool = False) -> Any: ...
def cpu_percent(interval: float | None = None, percpu: bool = False) -> Any: ...
def cpu_times_percent(interval: float | None = None, percpu: bool = False) -> Any: ...
def cpu_stats() -> scpustats: ...
def cpu_freq(percpu: bool = False) -> Any: ...
def getloadavg() -> tuple[float, float, float]: ...
def virtual_memory() -> svmem: ...
def swap_memory() -> sswap: ...
def disk_usage(path: str | bytes) -> sdiskusage: ...
def disk_partitions(all: bool = False) -> list[sdiskpart]: ...
def disk_io_counters(perdisk: bool = False, nowrap: bool = True) -> Any: ...
def net_io_counters(pernic: bool = False, nowrap: bool = True) -> Any: ...
def net_connections(kind: str = "inet") -> list[sconn]: ...
def net_if_addrs() -> dict[str, list[snicaddr]]: ...
def net_if_stats() -> dict[str, snicstats]: ...
def sensors_temperatures(fahrenheit: bool = False) -> dict[str, list[shwtemp]]: ...
def sensors_fans() -> dict[str, list[sfan]]: ...
def sensors_battery() -> sbattery | None: ...
def boot_time() -> float: ...
def users() -> list[suser]: ...
def heap_info() -> pheap: ...
def heap_trim() -> None: ...
def test() -> None: ...
