"""The namedtuple types psutil returns (names and field order are API)."""

from collections import namedtuple as _nt

# --- system
svmem = _nt("svmem", "total available percent used free active inactive buffers cached shared slab")
sswap = _nt("sswap", "total used free percent sin sout")
sdiskusage = _nt("sdiskusage", "total used free percent")
sdiskio = _nt(
    "sdiskio",
    "read_count write_count read_bytes write_bytes read_time write_time"
    " read_merged_count write_merged_count busy_time",
)
sdiskpart = _nt("sdiskpart", "device mountpoint fstype opts")
snetio = _nt(
    "snetio",
    "bytes_sent bytes_recv packets_sent packets_recv errin errout dropin dropout",
)
suser = _nt("suser", "name terminal host started pid")
sconn = _nt("sconn", "fd family type laddr raddr status pid")
snicaddr = _nt("snicaddr", "family address netmask broadcast ptp")
snicstats = _nt("snicstats", "isup duplex speed mtu flags")
scpustats = _nt("scpustats", "ctx_switches interrupts soft_interrupts syscalls")
scpufreq = _nt("scpufreq", "current min max")
shwtemp = _nt("shwtemp", "label current high critical")
sbattery = _nt("sbattery", "percent secsleft power_plugged")
sfan = _nt("sfan", "label current")
pheap = _nt("pheap", "heap_used mmap_used")

# --- process
pcputimes = _nt("pcputimes", "user system children_user children_system iowait")
popenfile = _nt("popenfile", "path fd position mode flags")
pthread = _nt("pthread", "id user_time system_time")
puids = _nt("puids", "real effective saved")
pgids = _nt("pgids", "real effective saved")
pio = _nt("pio", "read_count write_count read_bytes write_bytes read_chars write_chars")
pionice = _nt("pionice", "ioclass value")
pctxsw = _nt("pctxsw", "voluntary involuntary")
pconn = _nt("pconn", "fd family type laddr raddr status")
addr = _nt("addr", "ip port")
pmem = _nt("pmem", "rss vms shared text lib data dirty")
pfullmem = _nt("pfullmem", pmem._fields + ("uss", "pss", "swap"))
pmmap_grouped = _nt(
    "pmmap_grouped",
    "path rss size pss shared_clean shared_dirty private_clean private_dirty"
    " referenced anonymous swap",
)
pmmap_ext = _nt("pmmap_ext", "addr perms " + " ".join(pmmap_grouped._fields))

_CPU_FIELDS = (
    "user", "nice", "system", "idle", "iowait", "irq", "softirq",
    "steal", "guest", "guest_nice",
)


def make_scputimes(nfields):
    """``scputimes`` with the columns this kernel's /proc/stat has."""
    return _nt("scputimes", _CPU_FIELDS[:max(7, min(nfields, len(_CPU_FIELDS)))])
