# Type stubs for psutil._ntuples: the named tuples psutil returns.
# Field names and order are API; the types say what Linux gives.
import socket
from typing import Generic, NamedTuple

from typing_extensions import TypeAlias, TypeVar

from ._common import NicDuplex
from ._pslinux import AddressFamily as _LinkFamily
from ._pslinux import IOPriority

# --- addresses of a socket (sconn / pconn laddr and raddr)

class addr(NamedTuple):
    ip: str
    port: int

# An AF_INET/AF_INET6 socket address: an `addr`, or () when there is none
# (no remote end; port 0). Narrow with `if c.raddr:` before `.ip`/`.port`.
_InetAddr: TypeAlias = addr | tuple[()]
_AnyAddr: TypeAlias = addr | tuple[()] | str

# The address type of a connection: net_connections() picks it from the
# `kind` literal (_InetAddr for "inet", "tcp", ...; str, the path or ""
# when unnamed, for "unix"; either for "all" or a kind known only at run
# time). A bare `sconn`/`pconn` in an annotation means the inet form, as
# the default kind gives.
_A = TypeVar("_A", default=_InetAddr)

# --- system

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

class sconn(NamedTuple, Generic[_A]):
    fd: int
    family: socket.AddressFamily
    type: socket.SocketKind
    laddr: _A
    raddr: _A
    status: str
    pid: int | None

class snicaddr(NamedTuple):
    family: socket.AddressFamily | _LinkFamily  # AF_INET, AF_INET6 or psutil.AF_LINK
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

# The kernel decides how many of these /proc/stat has (7 at least); on any
# kernel psutil supports all 10 are there.
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
    secsleft: int  # seconds, or a BatteryTime (an int)
    power_plugged: bool | None

class sfan(NamedTuple):
    label: str
    current: int

class pheap(NamedTuple):
    heap_used: int
    mmap_used: int

# --- process

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

class pconn(NamedTuple, Generic[_A]):
    fd: int
    family: socket.AddressFamily
    type: socket.SocketKind
    laddr: _A
    raddr: _A
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

def make_scputimes(nfields: int) -> type[scputimes]: ...

def __dir__() -> list[str]: ...
