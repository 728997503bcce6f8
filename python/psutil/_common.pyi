# Type stubs for psutil._common: constants, exceptions and the helpers
# scripts import from it (bytes2human, usage_percent, ...).
import enum
import socket
from collections.abc import Callable, Mapping
from typing import IO, Any, Final, Literal, TypeVar, overload

from typing_extensions import ParamSpec

from ._ntuples import snicaddr

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")
_NT = TypeVar("_NT", bound=tuple[Any, ...])

PSUTIL_DEBUG: bool

POSIX: Final[bool]
WINDOWS: Final[bool]
LINUX: Final[bool]
MACOS: Final[bool]
OSX: Final[bool]
FREEBSD: Final[bool]
OPENBSD: Final[bool]
NETBSD: Final[bool]
BSD: Final[bool]
SUNOS: Final[bool]
AIX: Final[bool]

STATUS_RUNNING: Final = "running"
STATUS_SLEEPING: Final = "sleeping"
STATUS_DISK_SLEEP: Final = "disk-sleep"
STATUS_STOPPED: Final = "stopped"
STATUS_TRACING_STOP: Final = "tracing-stop"
STATUS_ZOMBIE: Final = "zombie"
STATUS_DEAD: Final = "dead"
STATUS_WAKE_KILL: Final = "wake-kill"
STATUS_WAKING: Final = "waking"
STATUS_IDLE: Final = "idle"
STATUS_LOCKED: Final = "locked"
STATUS_WAITING: Final = "waiting"
STATUS_SUSPENDED: Final = "suspended"
STATUS_PARKED: Final = "parked"

CONN_ESTABLISHED: Final = "ESTABLISHED"
CONN_SYN_SENT: Final = "SYN_SENT"
CONN_SYN_RECV: Final = "SYN_RECV"
CONN_FIN_WAIT1: Final = "FIN_WAIT1"
CONN_FIN_WAIT2: Final = "FIN_WAIT2"
CONN_TIME_WAIT: Final = "TIME_WAIT"
CONN_CLOSE: Final = "CLOSE"
CONN_CLOSE_WAIT: Final = "CLOSE_WAIT"
CONN_LAST_ACK: Final = "LAST_ACK"
CONN_LISTEN: Final = "LISTEN"
CONN_CLOSING: Final = "CLOSING"
CONN_NONE: Final = "NONE"

class NicDuplex(enum.IntEnum):
    NIC_DUPLEX_FULL = 2
    NIC_DUPLEX_HALF = 1
    NIC_DUPLEX_UNKNOWN = 0

NIC_DUPLEX_FULL: Final = NicDuplex.NIC_DUPLEX_FULL
NIC_DUPLEX_HALF: Final = NicDuplex.NIC_DUPLEX_HALF
NIC_DUPLEX_UNKNOWN: Final = NicDuplex.NIC_DUPLEX_UNKNOWN

class BatteryTime(enum.IntEnum):
    POWER_TIME_UNKNOWN = -1
    POWER_TIME_UNLIMITED = -2

POWER_TIME_UNKNOWN: Final = BatteryTime.POWER_TIME_UNKNOWN
POWER_TIME_UNLIMITED: Final = BatteryTime.POWER_TIME_UNLIMITED

ENCODING: Final[str]
ENCODING_ERRS: Final[str]
FILE_READ_BUFFER_SIZE: Final[int]

# --- exceptions

class Error(Exception):
    # Set by every subclass psutil raises (pid too, typed on each).
    name: str | None
    msg: str

class NoSuchProcess(Error):
    pid: int
    def __init__(self, pid: int, name: str | None = None, msg: str | None = None) -> None: ...

class ZombieProcess(NoSuchProcess):
    ppid: int | None
    def __init__(
        self,
        pid: int,
        name: str | None = None,
        ppid: int | None = None,
        msg: str | None = None,
    ) -> None: ...

class AccessDenied(Error):
    pid: int | None
    def __init__(
        self, pid: int | None = None, name: str | None = None, msg: str | None = None
    ) -> None: ...

class TimeoutExpired(Error):
    seconds: float
    pid: int | None
    def __init__(
        self, seconds: float, pid: int | None = None, name: str | None = None
    ) -> None: ...

# --- helpers

def usage_percent(used: float, total: float, round_: int | None = None) -> float: ...
def memoize(fun: Callable[_P, _R]) -> Callable[_P, _R]: ...
def memoize_when_activated(fun: Callable[_P, _R]) -> Callable[_P, _R]: ...
def isfile_strict(path: str | bytes) -> bool: ...
def path_exists_strict(path: str | bytes) -> bool: ...
def supports_ipv6() -> bool: ...
def parse_environ_block(data: str) -> dict[str, str]: ...
def sockfam_to_enum(num: int) -> socket.AddressFamily | int: ...
def socktype_to_enum(num: int) -> socket.SocketKind | int: ...

def broadcast_addr(addr: snicaddr) -> str | None: ...
def deprecated_method(
    replacement: str,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...
def wrap_numbers(input_dict: Mapping[str, _NT], name: str) -> dict[str, _NT]: ...
def open_binary(fname: str | bytes) -> IO[bytes]: ...
def open_text(fname: str | bytes) -> IO[str]: ...
@overload
def cat(fname: str | bytes) -> str: ...
@overload
def cat(fname: str | bytes, fallback: _T) -> str | _T: ...
@overload
def bcat(fname: str | bytes) -> bytes: ...
@overload
def bcat(fname: str | bytes, fallback: _T) -> bytes | _T: ...
def bytes2human(n: int | float, format: str = "%(value).1f%(symbol)s") -> str: ...
def get_procfs_path() -> str: ...
def decode(s: bytes) -> str: ...
def term_supports_colors(file: IO[str] = ...) -> bool: ...
def hilite(
    s: str,
    color: Literal[
        "green", "red", "brown", "yellow", "blue", "violet", "lightblue", "grey", "darkgrey"
    ]
    | None = None,
    bold: bool = False,
) -> str: ...
def print_color(
    s: str,
    color: Literal[
        "green", "red", "brown", "yellow", "blue", "violet", "lightblue", "grey", "darkgrey"
    ]
    | None = None,
    bold: bool = False,
    file: IO[str] = ...,
) -> None: ...
def debug(msg: object) -> None: ...

conn_tmap: dict[str, tuple[list[socket.AddressFamily], list[socket.SocketKind]]]

def __dir__() -> list[str]: ...
