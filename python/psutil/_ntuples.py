"""The namedtuple types psutil returns (names and field order are API).

Each type is made the first time it is asked for (module ``__getattr__``),
so ``import psutil`` pays neither for ``collections`` nor for some thirty
classes most programs never see.
"""

from ._common import _lazy_module_names

_FIELDS = {
    # --- system
    "svmem": "total available percent used free active inactive buffers cached shared slab",
    "sswap": "total used free percent sin sout",
    "sdiskusage": "total used free percent",
    "sdiskio": (
        "read_count write_count read_bytes write_bytes read_time write_time"
        " read_merged_count write_merged_count busy_time"
    ),
    "sdiskpart": "device mountpoint fstype opts",
    "snetio": (
        "bytes_sent bytes_recv packets_sent packets_recv errin errout dropin dropout"
    ),
    "suser": "name terminal host started pid",
    "sconn": "fd family type laddr raddr status pid",
    "snicaddr": "family address netmask broadcast ptp",
    "snicstats": "isup duplex speed mtu flags",
    "scpustats": "ctx_switches interrupts soft_interrupts syscalls",
    "scpufreq": "current min max",
    "shwtemp": "label current high critical",
    "sbattery": "percent secsleft power_plugged",
    "sfan": "label current",
    "pheap": "heap_used mmap_used",
    # --- process
    "pcputimes": "user system children_user children_system iowait",
    "popenfile": "path fd position mode flags",
    "pthread": "id user_time system_time",
    "puids": "real effective saved",
    "pgids": "real effective saved",
    "pio": "read_count write_count read_bytes write_bytes read_chars write_chars",
    "pionice": "ioclass value",
    "pctxsw": "voluntary involuntary",
    "pconn": "fd family type laddr raddr status",
    "addr": "ip port",
    "pmem": "rss vms shared text lib data dirty",
    "pfullmem": "rss vms shared text lib data dirty uss pss swap",
    "pmmap_grouped": (
        "path rss size pss shared_clean shared_dirty private_clean private_dirty"
        " referenced anonymous swap"
    ),
    "pmmap_ext": (
        "addr perms path rss size pss shared_clean shared_dirty private_clean"
        " private_dirty referenced anonymous swap"
    ),
}

_CPU_FIELDS = (
    "user", "nice", "system", "idle", "iowait", "irq", "softirq",
    "steal", "guest", "guest_nice",
)  # fmt: skip


def _namedtuple(name, fields):
    from collections import namedtuple

    return namedtuple(name, fields, module=__name__)


def make_scputimes(nfields):
    """``scputimes`` with the columns this kernel's /proc/stat has."""
    return _namedtuple("scputimes", _CPU_FIELDS[: max(7, min(nfields, len(_CPU_FIELDS)))])


def _make_scputimes():
    from . import _psutil_rs

    return make_scputimes(len(_psutil_rs.cpu_times()))


__getattr__, __dir__, _ = _lazy_module_names(globals(), {
    "scputimes": ("scputimes", _make_scputimes),
    **{name: (name, lambda name=name: _namedtuple(name, _FIELDS[name])) for name in _FIELDS},
})  # fmt: skip
