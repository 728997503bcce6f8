"""Shared helpers, constants and exception classes.

Written for this project (not derived from psutil's ``_common.py``): it
provides the names psutil's public API and its test-suite rely on.
"""

import _thread
import os
import stat
import sys

# socket and enum are not imported here (`import psutil` stays light): the
# module __getattr__ at the end imports socket and makes the enum classes
# (NicDuplex, BatteryTime and their members) and conn_tmap on first use.

PSUTIL_DEBUG = bool(os.getenv("PSUTIL_DEBUG"))
_SENTINEL = object()

# --- platforms

POSIX = os.name == "posix"
WINDOWS = os.name == "nt"
LINUX = sys.platform.startswith("linux")
MACOS = sys.platform.startswith("darwin")
OSX = MACOS
FREEBSD = sys.platform.startswith(("freebsd", "midnightbsd"))
OPENBSD = sys.platform.startswith("openbsd")
NETBSD = sys.platform.startswith("netbsd")
BSD = FREEBSD or OPENBSD or NETBSD
SUNOS = sys.platform.startswith(("sunos", "solaris"))
AIX = sys.platform.startswith("aix")

# --- process states

STATUS_RUNNING = "running"
STATUS_SLEEPING = "sleeping"
STATUS_DISK_SLEEP = "disk-sleep"
STATUS_STOPPED = "stopped"
STATUS_TRACING_STOP = "tracing-stop"
STATUS_ZOMBIE = "zombie"
STATUS_DEAD = "dead"
STATUS_WAKE_KILL = "wake-kill"
STATUS_WAKING = "waking"
STATUS_IDLE = "idle"
STATUS_LOCKED = "locked"
STATUS_WAITING = "waiting"
STATUS_SUSPENDED = "suspended"
STATUS_PARKED = "parked"

# --- TCP connection states

CONN_ESTABLISHED = "ESTABLISHED"
CONN_SYN_SENT = "SYN_SENT"
CONN_SYN_RECV = "SYN_RECV"
CONN_FIN_WAIT1 = "FIN_WAIT1"
CONN_FIN_WAIT2 = "FIN_WAIT2"
CONN_TIME_WAIT = "TIME_WAIT"
CONN_CLOSE = "CLOSE"
CONN_CLOSE_WAIT = "CLOSE_WAIT"
CONN_LAST_ACK = "LAST_ACK"
CONN_LISTEN = "LISTEN"
CONN_CLOSING = "CLOSING"
CONN_NONE = "NONE"


ENCODING = sys.getfilesystemencoding()
ENCODING_ERRS = sys.getfilesystemencodeerrors()


# ===================================================================
# --- exceptions
# ===================================================================


class Error(Exception):
    """Base exception class. All other psutil exceptions inherit
    from this one.
    """

    __module__ = "psutil"

    def _details(self):
        out = {}
        for key in ("pid", "ppid", "name", "seconds", "msg"):
            value = getattr(self, key, None)
            if value or (key == "pid" and value == 0):
                out[key] = value
        return out

    def __str__(self):
        details = self._details()
        msg = details.pop("msg", "") or ""
        details.pop("seconds", None)
        extra = ", ".join(f"{k}={v!r}" for k, v in details.items())
        if extra:
            return f"{msg} ({extra})" if msg else f"({extra})"
        return msg

    def __repr__(self):
        parts = ", ".join(f"{k}={v!r}" for k, v in self._details().items())
        return f"psutil.{self.__class__.__name__}({parts})"


class NoSuchProcess(Error):
    """Exception raised when a process with a certain PID doesn't
    or no longer exists.
    """

    __module__ = "psutil"

    def __init__(self, pid, name=None, msg=None):
        Error.__init__(self)
        self.pid = pid
        self.name = name
        self.msg = msg or "process no longer exists"

    def __reduce__(self):
        return (self.__class__, (self.pid, self.name, self.msg))


class ZombieProcess(NoSuchProcess):
    """Exception raised when querying a zombie process. This is
    raised on macOS, BSD and Solaris only, and not always: depending
    on the query the OS may be able to succeed anyway.
    On Linux all zombie processes are querable (hence this is never
    raised). Windows doesn't have zombie processes.
    """

    __module__ = "psutil"

    def __init__(self, pid, name=None, ppid=None, msg=None):
        NoSuchProcess.__init__(self, pid, name, msg)
        self.ppid = ppid
        self.msg = msg or "PID still exists but it's a zombie"

    def __reduce__(self):
        return (self.__class__, (self.pid, self.name, self.ppid, self.msg))


class AccessDenied(Error):
    """Exception raised when permission to perform an action is denied."""

    __module__ = "psutil"

    def __init__(self, pid=None, name=None, msg=None):
        Error.__init__(self)
        self.pid = pid
        self.name = name
        self.msg = msg or ""

    def __reduce__(self):
        return (self.__class__, (self.pid, self.name, self.msg))


class TimeoutExpired(Error):
    """Raised on Process.wait(timeout) if timeout expires and process
    is still alive.
    """

    __module__ = "psutil"

    def __init__(self, seconds, pid=None, name=None):
        Error.__init__(self)
        self.seconds = seconds
        self.pid = pid
        self.name = name
        self.msg = f"timeout after {seconds} seconds"

    def __reduce__(self):
        return (self.__class__, (self.seconds, self.pid, self.name))


# ===================================================================
# --- utils
# ===================================================================


# psutil's helper, kept for code that imports it from here (typed in
# _common.pyi); the percentages we return are rounded by the crate.
def usage_percent(used, total, round_=None):
    """used / total * 100, 0.0 when total is 0."""
    try:
        value = (float(used) / total) * 100
    except ZeroDivisionError:
        return 0.0
    return round(value, round_) if round_ is not None else value


def _cache_key(args, kwargs):
    return (args, frozenset(sorted(kwargs.items())))


def _wraps(fun):
    """``functools.wraps``, which is not imported at ``import psutil``
    (functools imports collections)."""

    def apply(wrapper):
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            try:
                setattr(wrapper, name, getattr(fun, name))
            except AttributeError:
                pass
        wrapper.__dict__.update(getattr(fun, "__dict__", {}))
        wrapper.__wrapped__ = fun
        return wrapper

    return apply


def memoize(fun):
    """Cache results by arguments; ``fun.cache_clear()`` forgets them."""
    store = {}
    lock = _thread.allocate_lock()

    @_wraps(fun)
    def wrapper(*args, **kwargs):
        key = _cache_key(args, kwargs)
        try:
            return store[key]
        except KeyError:
            pass
        value = fun(*args, **kwargs)
        with lock:
            store[key] = value
        return value

    def cache_clear():
        store.clear()

    wrapper.cache_clear = cache_clear
    return wrapper


def memoize_when_activated(fun):
    """Method decorator: results are cached per instance only between
    ``meth.cache_activate(obj)`` and ``meth.cache_deactivate(obj)``
    (used by ``Process.oneshot()``).
    """
    attr = "_memo_" + fun.__name__

    @_wraps(fun)
    def wrapper(self):
        slot = self.__dict__.get("_oneshot_memo")
        if slot is None:
            return fun(self)
        try:
            return slot[attr]
        except KeyError:
            value = slot[attr] = fun(self)
            return value

    def cache_activate(obj):
        if obj.__dict__.get("_oneshot_memo") is None:
            obj._oneshot_memo = {}

    def cache_deactivate(obj):
        obj.__dict__.pop("_oneshot_memo", None)

    wrapper.cache_activate = cache_activate
    wrapper.cache_deactivate = cache_deactivate
    return wrapper


def isfile_strict(path):
    """Like os.path.isfile() but EACCES/EPERM are raised, not swallowed."""
    try:
        st = os.stat(path)
    except PermissionError:
        raise
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode)


def path_exists_strict(path):
    """Like os.path.exists() but EACCES/EPERM are raised."""
    try:
        os.stat(path)
    except PermissionError:
        raise
    except OSError:
        return False
    return True


def supports_ipv6():
    """True if IPv6 sockets can be bound on localhost."""
    socket = _lazy("socket")
    if not socket.has_ipv6 or not hasattr(socket, "AF_INET6"):
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
    except (OSError, socket.gaierror):
        return False
    return True


# Kept in Python for psutil's tests: test_misc's test_parse_environ_block
# calls it; Process.environ() is parsed by the crate.
def parse_environ_block(data):
    """Parse a NUL-separated ``k=v`` block (ends at the first empty entry)."""
    env = {}
    # whatever follows the last NUL is an unterminated entry: ignored
    for chunk in data.split("\0")[:-1]:
        if not chunk:
            break
        key, sep, value = chunk.partition("=")
        if sep and key:
            env[key] = value
    return env


def sockfam_to_enum(num):
    socket = _lazy("socket")
    try:
        return socket.AddressFamily(num)
    except ValueError:
        return num


def socktype_to_enum(num):
    socket = _lazy("socket")
    try:
        return socket.SocketKind(num)
    except ValueError:
        return num


def broadcast_addr(addr):
    """The broadcast address of an ``snicaddr``-like tuple, or None."""
    import ipaddress

    if addr.netmask is None:
        return None
    socket = _lazy("socket")
    if addr.family == socket.AF_INET:
        cls = ipaddress.IPv4Network
    elif addr.family == socket.AF_INET6:
        cls = ipaddress.IPv6Network
    else:
        raise ValueError(f"unsupported address family {addr.family!r}")
    net = cls(f"{addr.address}/{addr.netmask}", strict=False)
    return str(net.broadcast_address)


def deprecated_method(replacement):
    """Decorator: a method that warns and forwards to ``replacement``."""

    def outer(fun):
        msg = (
            f"{fun.__name__}() is deprecated and will be removed; use"
            f" {replacement}() instead"
        )
        if fun.__doc__ is None:
            fun.__doc__ = msg

        @_wraps(fun)
        def inner(self, *args, **kwargs):
            import warnings  # not at import time: `import psutil` stays light

            warnings.warn(msg, category=DeprecationWarning, stacklevel=2)
            return getattr(self, replacement)(*args, **kwargs)

        return inner

    return outer


# Kept in Python for psutil's tests: test_misc's TestWrapNumbers calls
# wrap_numbers() and reads its cache, test_system's
# test_disk_io_counters_no_disks and test_net_io_counters_no_nics patch the
# raw functions it wraps. The crate's nowrap counters are the same rule.
class _CounterWrapper:
    """Keeps counters monotonic across kernel wrap-arounds.

    For each (name, key, field) it remembers the last raw value and the
    total amount lost to wraps; a value smaller than the previous one is
    taken as a wrap and the previous value is added to the offset.
    """

    def __init__(self):
        self.lock = _thread.allocate_lock()
        self.cache = {}  # name -> {key: last raw tuple}
        self.reminders = {}  # name -> {(key, idx): offset}
        self.reminder_keys = {}  # name -> {key: {(key, idx), ...}}

    def _forget(self, name, key):
        for k in self.reminder_keys[name].pop(key, ()):
            self.reminders[name].pop(k, None)

    def run(self, input_dict, name):
        if name not in self.cache:
            self.cache[name] = input_dict
            self.reminders[name] = {}
            self.reminder_keys[name] = {}
            return input_dict
        old = self.cache[name]
        rem = self.reminders[name]
        rkeys = self.reminder_keys[name]
        for key in list(rkeys):
            if key not in input_dict:
                self._forget(name, key)
        out = {}
        for key, new in input_dict.items():
            if key not in old:
                out[key] = new
                continue
            prev = old[key]
            values = []
            for idx, (a, b) in enumerate(zip(prev, new)):
                slot = (key, idx)
                rem.setdefault(slot, 0)
                if b < a:
                    rem[slot] += a
                    rkeys.setdefault(key, set()).add(slot)
                values.append(b + rem[slot])
            out[key] = new.__class__(*values) if hasattr(new, "_fields") else tuple(values)
        self.cache[name] = input_dict
        return out

    def __call__(self, input_dict, name):
        with self.lock:
            return self.run(input_dict, name)

    def cache_clear(self, name=None):
        with self.lock:
            if name is None:
                self.cache.clear()
                self.reminders.clear()
                self.reminder_keys.clear()
            else:
                self.cache.pop(name, None)
                self.reminders.pop(name, None)
                self.reminder_keys.pop(name, None)

    def cache_info(self):
        with self.lock:
            return (self.cache, self.reminders, self.reminder_keys)


_wn = _CounterWrapper()


def _new_wrapper_lock():
    # A fork child must not inherit the lock held by a parent thread.
    _wn.lock = _thread.allocate_lock()


os.register_at_fork(after_in_child=_new_wrapper_lock)


def wrap_numbers(input_dict, name):
    """Given ``{key: namedtuple}`` of monotonic counters, compensate for
    counters that went back (wrapped) since the previous call with the
    same ``name``.
    """
    return _wn(input_dict, name)


wrap_numbers.cache_clear = _wn.cache_clear
wrap_numbers.cache_info = _wn.cache_info

FILE_READ_BUFFER_SIZE = 32 * 1024


def open_binary(fname):
    return open(fname, "rb", buffering=FILE_READ_BUFFER_SIZE)


def open_text(fname):
    """Open a text file with the file-system encoding and
    surrogateescape, like psutil does for /proc files.
    """
    f = open(
        fname,
        buffering=FILE_READ_BUFFER_SIZE,
        encoding=ENCODING,
        errors=ENCODING_ERRS,
    )
    try:
        f._CHUNK_SIZE = FILE_READ_BUFFER_SIZE
    except AttributeError:
        pass
    return f


def cat(fname, fallback=_SENTINEL, _open=open_text):
    """Read a whole file; return ``fallback`` on OSError if given."""
    try:
        with _open(fname) as f:
            return f.read()
    except OSError:
        if fallback is _SENTINEL:
            raise
        return fallback


def bcat(fname, fallback=_SENTINEL):
    return cat(fname, fallback=fallback, _open=open_binary)


def bytes2human(n, format="%(value).1f%(symbol)s"):
    """Human-readable size: bytes2human(10000) -> '9.8K'."""
    symbols = ("B", "K", "M", "G", "T", "P", "E", "Z", "Y")
    for i in range(len(symbols) - 1, 0, -1):
        unit = 1 << (i * 10)
        if abs(n) >= unit:
            return format % dict(symbol=symbols[i], value=float(n) / unit)
    return format % dict(symbol=symbols[0], value=n)


def get_procfs_path():
    return sys.modules["psutil"].PROCFS_PATH


def decode(s):
    return s.decode(encoding=ENCODING, errors=ENCODING_ERRS)


def term_supports_colors(file=sys.stdout):
    if os.name == "nt":
        return True
    try:
        import curses

        assert file.isatty()
        curses.setupterm()
        return curses.tigetnum("colors") > 0
    except Exception:  # noqa: BLE001
        return False


def hilite(s, color=None, bold=False):
    if not term_supports_colors():
        return s
    codes = {"green": "32", "red": "91", "brown": "33", "yellow": "93",
             "blue": "34", "violet": "35", "lightblue": "36", "grey": "37",
             "darkgrey": "30"}
    attrs = []
    if color:
        attrs.append(codes[color])
    if bold:
        attrs.append("1")
    return f"\x1b[{';'.join(attrs)}m{s}\x1b[0m"


def print_color(s, color=None, bold=False, file=sys.stdout):
    print(hilite(s, color, bold) if file.isatty() else s, file=file, flush=True)


def debug(msg):
    """Print ``msg`` on stderr with the caller's location when
    PSUTIL_DEBUG is set.
    """
    if not PSUTIL_DEBUG:
        return
    # sys._getframe, not inspect: `import inspect` would cost milliseconds
    # on every `import psutil` (see bench/run.py, import time).
    frame = sys._getframe(1)
    fname, lineno = frame.f_code.co_filename, frame.f_lineno
    if isinstance(msg, Exception):
        if isinstance(msg, OSError) and msg.filename is not None:
            text = f"ignoring {msg}"
        else:
            text = f"ignoring {msg!r}"
    else:
        text = msg
    print(
        f"psutil-debug [{fname}:{lineno}]> {text}", file=sys.stderr, flush=True
    )


# --- net_connections() kinds: {kind: ([families], [socket types])}

# Kept in Python for psutil's tests: test_connections imports conn_tmap;
# the kinds are resolved by the crate's ConnectionKind.
def _make_conn_tmap():
    socket = _lazy("socket")
    af_inet6 = getattr(socket, "AF_INET6", None)
    tcp, udp = [socket.SOCK_STREAM], [socket.SOCK_DGRAM]
    v4, v6 = [socket.AF_INET], [af_inet6] if af_inet6 is not None else []
    both = v4 + v6
    table = {
        "all": (both, tcp + udp),
        "tcp": (both, tcp),
        "tcp4": (v4, tcp),
        "udp": (both, udp),
        "udp4": (v4, udp),
        "inet": (both, tcp + udp),
        "inet4": (v4, tcp + udp),
        "inet6": (v6, tcp + udp),
    }
    if v6:
        table["tcp6"] = (v6, tcp)
        table["udp6"] = (v6, udp)
    if POSIX:
        table["unix"] = ([socket.AF_UNIX], tcp + udp)
        table["all"] = (both + [socket.AF_UNIX], tcp + udp)
    return table


def _make_nic_duplex():
    import enum

    return enum.IntEnum(
        "NicDuplex",
        [("NIC_DUPLEX_FULL", 2), ("NIC_DUPLEX_HALF", 1), ("NIC_DUPLEX_UNKNOWN", 0)],
        module=__name__,
    )


def _make_battery_time():
    import enum

    return enum.IntEnum(
        "BatteryTime",
        [("POWER_TIME_UNKNOWN", -1), ("POWER_TIME_UNLIMITED", -2)],
        module=__name__,
    )


def _lazy_module_names(namespace, makers):
    """Names of a module made on first use (PEP 562), so that ``import
    psutil`` does not pay for what a program may never touch.

    *namespace* is the module's ``globals()``; *makers* maps each lazy name
    to ``(stored, make)``: ``make()`` gives the value stored as *stored*,
    and when it is an enum class, those of its members that are lazy names
    too (asking for ``NIC_DUPLEX_FULL`` makes ``NicDuplex``). Returns the
    module's ``__getattr__`` and ``__dir__``, and ``lazy(name)`` for the
    module's own functions, whose global lookups bypass ``__getattr__``: it
    gives the global when set (or patched by a test), else makes it.
    """
    lock = _thread.RLock()  # two threads must get the same class
    module = namespace["__name__"]

    def getattr_(name):
        try:
            stored, make = makers[name]
        except KeyError:
            msg = f"module {module!r} has no attribute {name!r}"
            raise AttributeError(msg) from None
        with lock:
            if stored not in namespace:
                value = make()
                for member, v in getattr(value, "__members__", {}).items():
                    if member in makers:
                        namespace[member] = v
                namespace[stored] = value
        return namespace[name]

    def dir_():
        return sorted(set(namespace) | set(makers))

    def lazy(name):
        try:
            return namespace[name]
        except KeyError:
            return getattr_(name)

    return getattr_, dir_, lazy


__getattr__, __dir__, _lazy = _lazy_module_names(globals(), {
    "socket": ("socket", lambda: __import__("socket")),
    "conn_tmap": ("conn_tmap", _make_conn_tmap),
    **{name: ("NicDuplex", _make_nic_duplex)
       for name in ("NicDuplex", "NIC_DUPLEX_FULL", "NIC_DUPLEX_HALF", "NIC_DUPLEX_UNKNOWN")},
    **{name: ("BatteryTime", _make_battery_time)
       for name in ("BatteryTime", "POWER_TIME_UNKNOWN", "POWER_TIME_UNLIMITED")},
})  # fmt: skip
