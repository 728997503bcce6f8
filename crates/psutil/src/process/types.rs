//! The values `Process` methods return, with psutil's field names.
//!
//! Each struct documents the psutil namedtuple it mirrors. Sizes are bytes,
//! times are seconds. Paths are [`PathBuf`]s holding the kernel's exact
//! bytes (serialized lossily, U+FFFD for bytes that are not UTF-8).

use std::path::PathBuf;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Serializes a path (or an `OsString`) as text even when it is not UTF-8 (serde's own
/// `PathBuf` impl fails on such a path, which would fail a whole listing).
#[cfg(feature = "serde")]
pub(crate) fn ser_path<S: serde::Serializer, P: AsRef<std::ffi::OsStr> + ?Sized>(
    p: &P,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&p.as_ref().to_string_lossy())
}

/// A process state, psutil's `STATUS_*` constants (`proc.status()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "&'static str"))]
pub enum Status {
    /// `STATUS_RUNNING` ("running", R)
    Running,
    /// `STATUS_SLEEPING` ("sleeping", S)
    Sleeping,
    /// `STATUS_DISK_SLEEP` ("disk-sleep", D)
    DiskSleep,
    /// `STATUS_STOPPED` ("stopped", T)
    Stopped,
    /// `STATUS_TRACING_STOP` ("tracing-stop", t)
    TracingStop,
    /// `STATUS_ZOMBIE` ("zombie", Z)
    Zombie,
    /// `STATUS_DEAD` ("dead", X or x)
    Dead,
    /// `STATUS_WAKE_KILL` ("wake-kill", K)
    WakeKill,
    /// `STATUS_WAKING` ("waking", W)
    Waking,
    /// `STATUS_IDLE` ("idle", I)
    Idle,
    /// `STATUS_PARKED` ("parked", P)
    Parked,
    /// `STATUS_LOCKED` ("locked"); never reported on Linux.
    Locked,
    /// `STATUS_WAITING` ("waiting"); never reported on Linux.
    Waiting,
    /// A state letter psutil does not know: psutil returns `"?"`.
    Unknown,
}

impl Status {
    /// Every status, in psutil's order of its `STATUS_*` constants.
    pub const ALL: &'static [Status] = &[
        Status::Running,
        Status::Sleeping,
        Status::DiskSleep,
        Status::Stopped,
        Status::TracingStop,
        Status::Zombie,
        Status::Dead,
        Status::WakeKill,
        Status::Waking,
        Status::Idle,
        Status::Parked,
        Status::Locked,
        Status::Waiting,
        Status::Unknown,
    ];

    /// Maps the state letter of `/proc/PID/stat` as psutil does.
    pub fn from_letter(c: u8) -> Status {
        match c {
            b'R' => Status::Running,
            b'S' => Status::Sleeping,
            b'D' => Status::DiskSleep,
            b'T' => Status::Stopped,
            b't' => Status::TracingStop,
            b'Z' => Status::Zombie,
            b'X' | b'x' => Status::Dead,
            b'K' => Status::WakeKill,
            b'W' => Status::Waking,
            b'I' => Status::Idle,
            b'P' => Status::Parked,
            _ => Status::Unknown,
        }
    }

    /// psutil's string for this status (`"running"`, `"disk-sleep"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Sleeping => "sleeping",
            Status::DiskSleep => "disk-sleep",
            Status::Stopped => "stopped",
            Status::TracingStop => "tracing-stop",
            Status::Zombie => "zombie",
            Status::Dead => "dead",
            Status::WakeKill => "wake-kill",
            Status::Waking => "waking",
            Status::Idle => "idle",
            Status::Parked => "parked",
            Status::Locked => "locked",
            Status::Waiting => "waiting",
            Status::Unknown => "?",
        }
    }
}

psutil_names!(Status, "status");

impl From<Status> for &'static str {
    fn from(s: Status) -> &'static str {
        s.as_str()
    }
}

/// psutil's `pcputimes`: `proc.cpu_times()`, in seconds (psutil's floats).
/// Named apart from the system-wide [`crate::cpu::CpuTimes`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct ProcessCpuTimes {
    /// User-mode CPU time, seconds.
    pub user: f64,
    /// Kernel-mode CPU time, seconds.
    pub system: f64,
    /// User time of reaped children, seconds.
    pub children_user: f64,
    /// Kernel time of reaped children, seconds.
    pub children_system: f64,
    /// Time waiting for block I/O, seconds (`delayacct_blkio_ticks`, 0 on
    /// old kernels).
    pub iowait: f64,
}

/// psutil's `pmem`: `proc.memory_info()`, from `/proc/PID/statm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct MemoryInfo {
    /// psutil's `rss`: resident set size, bytes.
    pub rss: u64,
    /// psutil's `vms`: virtual memory size, bytes.
    pub vms: u64,
    /// psutil's `shared`: resident memory backed by files or shared,
    /// bytes.
    pub shared: u64,
    /// psutil's `text`: the executable code (TRS), bytes.
    pub text: u64,
    /// psutil's `lib`, bytes; always 0 since Linux 2.6.
    pub lib: u64,
    /// psutil's `data`: data plus stack (DRS), bytes.
    pub data: u64,
    /// psutil's `dirty`, bytes; always 0 since Linux 2.6.
    pub dirty: u64,
}

/// psutil's `pfullmem`: `proc.memory_full_info()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct MemoryFullInfo {
    /// psutil's `rss`, bytes (as [`MemoryInfo::rss`]).
    pub rss: u64,
    /// psutil's `vms`, bytes (as [`MemoryInfo::vms`]).
    pub vms: u64,
    /// psutil's `shared`, bytes (as [`MemoryInfo::shared`]).
    pub shared: u64,
    /// psutil's `text`, bytes (as [`MemoryInfo::text`]).
    pub text: u64,
    /// psutil's `lib`, bytes; always 0 since Linux 2.6.
    pub lib: u64,
    /// psutil's `data`, bytes (as [`MemoryInfo::data`]).
    pub data: u64,
    /// psutil's `dirty`, bytes; always 0 since Linux 2.6.
    pub dirty: u64,
    /// psutil's `uss`: unique set size, the sum of the `Private_*` lines of
    /// smaps, bytes.
    pub uss: u64,
    /// psutil's `pss`: proportional set size, bytes.
    pub pss: u64,
    /// psutil's `swap`: swapped-out memory, bytes.
    pub swap: u64,
}

/// psutil's `pio`: `proc.io_counters()`, from `/proc/PID/io`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct IoCounters {
    /// psutil's `read_count`: read syscalls, count (`syscr`).
    pub read_count: u64,
    /// psutil's `write_count`: write syscalls, count (`syscw`).
    pub write_count: u64,
    /// psutil's `read_bytes`: bytes fetched from storage (`read_bytes`).
    pub read_bytes: u64,
    /// psutil's `write_bytes`: bytes sent to storage (`write_bytes`).
    pub write_bytes: u64,
    /// psutil's `read_chars`: bytes read by any syscall, cache hits
    /// included (`rchar`).
    pub read_chars: u64,
    /// psutil's `write_chars`: bytes written by any syscall (`wchar`).
    pub write_chars: u64,
}

/// psutil's `puids`: `proc.uids()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Uids {
    /// psutil's `real`: the real user ID.
    pub real: u32,
    /// psutil's `effective`: the effective user ID.
    pub effective: u32,
    /// psutil's `saved`: the saved set-user-ID.
    pub saved: u32,
}

/// psutil's `pgids`: `proc.gids()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Gids {
    /// psutil's `real`: the real group ID.
    pub real: u32,
    /// psutil's `effective`: the effective group ID.
    pub effective: u32,
    /// psutil's `saved`: the saved set-group-ID.
    pub saved: u32,
}

/// psutil's `pctxsw`: `proc.num_ctx_switches()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct NumCtxSwitches {
    /// psutil's `voluntary`: switches the process gave up the CPU for,
    /// count (`voluntary_ctxt_switches`).
    pub voluntary: u64,
    /// psutil's `involuntary`: switches the scheduler forced, count
    /// (`nonvoluntary_ctxt_switches`).
    pub involuntary: u64,
}

/// psutil's `pthread`: one entry of `proc.threads()`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct ThreadInfo {
    /// The thread ID.
    pub id: u32,
    /// User-mode CPU time, seconds.
    pub user_time: f64,
    /// Kernel-mode CPU time, seconds.
    pub system_time: f64,
}

/// psutil's `popenfile`: one entry of `proc.open_files()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct OpenFile {
    /// The file's path, exact bytes.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_path"))]
    pub path: PathBuf,
    /// psutil's `fd`: the file descriptor number.
    pub fd: i32,
    /// psutil's `position`: the file offset, bytes (`pos` of fdinfo).
    pub position: u64,
    /// `"r"`, `"w"`, `"a"`, `"r+"` or `"a+"`.
    pub mode: String,
    /// The `flags` of `/proc/PID/fdinfo/FD` (open(2) flags).
    pub flags: i32,
}

/// psutil's `pmmap_grouped`: one entry of `proc.memory_maps(grouped=True)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct MemoryMapGrouped {
    /// The mapped file's path, exact bytes, or a special mapping's name
    /// (see [`MemoryMap::path`]).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_path"))]
    pub path: PathBuf,
    /// psutil's `rss`: resident, bytes (smaps `Rss`).
    pub rss: u64,
    /// psutil's `size`: the mapping's size, bytes (smaps `Size`).
    pub size: u64,
    /// psutil's `pss`: proportional set size, bytes (smaps `Pss`).
    pub pss: u64,
    /// psutil's `shared_clean`, bytes (smaps `Shared_Clean`).
    pub shared_clean: u64,
    /// psutil's `shared_dirty`, bytes (smaps `Shared_Dirty`).
    pub shared_dirty: u64,
    /// psutil's `private_clean`, bytes (smaps `Private_Clean`).
    pub private_clean: u64,
    /// psutil's `private_dirty`, bytes (smaps `Private_Dirty`).
    pub private_dirty: u64,
    /// psutil's `referenced`, bytes (smaps `Referenced`).
    pub referenced: u64,
    /// psutil's `anonymous`, bytes (smaps `Anonymous`).
    pub anonymous: u64,
    /// psutil's `swap`, bytes (smaps `Swap`).
    pub swap: u64,
}

/// psutil's `pmmap_ext`: one entry of `proc.memory_maps(grouped=False)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct MemoryMap {
    /// Address range as written by the kernel, e.g. `"7f00a000-7f00b000"`.
    pub addr: String,
    /// Permissions, e.g. `"r-xp"`.
    pub perms: String,
    /// The mapped file's path, exact bytes, or the kernel's name for a
    /// special mapping (`[heap]`, `[stack]`, `[vdso]`...); `[anon]` for an
    /// anonymous one.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_path"))]
    pub path: PathBuf,
    /// psutil's `rss`: resident, bytes (smaps `Rss`).
    pub rss: u64,
    /// psutil's `size`: the mapping's size, bytes (smaps `Size`).
    pub size: u64,
    /// psutil's `pss`: proportional set size, bytes (smaps `Pss`).
    pub pss: u64,
    /// psutil's `shared_clean`, bytes (smaps `Shared_Clean`).
    pub shared_clean: u64,
    /// psutil's `shared_dirty`, bytes (smaps `Shared_Dirty`).
    pub shared_dirty: u64,
    /// psutil's `private_clean`, bytes (smaps `Private_Clean`).
    pub private_clean: u64,
    /// psutil's `private_dirty`, bytes (smaps `Private_Dirty`).
    pub private_dirty: u64,
    /// psutil's `referenced`, bytes (smaps `Referenced`).
    pub referenced: u64,
    /// psutil's `anonymous`, bytes (smaps `Anonymous`).
    pub anonymous: u64,
    /// psutil's `swap`, bytes (smaps `Swap`).
    pub swap: u64,
}

/// psutil's `IOPRIO_CLASS_*` (the `IOPriority` IntEnum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "i32"))]
pub enum IoPriorityClass {
    /// `IOPRIO_CLASS_NONE` (0)
    None,
    /// `IOPRIO_CLASS_RT` (1)
    Realtime,
    /// `IOPRIO_CLASS_BE` (2)
    BestEffort,
    /// `IOPRIO_CLASS_IDLE` (3)
    Idle,
}

impl IoPriorityClass {
    /// Every class, by number.
    pub const ALL: &'static [IoPriorityClass] = &[
        IoPriorityClass::None,
        IoPriorityClass::Realtime,
        IoPriorityClass::BestEffort,
        IoPriorityClass::Idle,
    ];

    /// The kernel's class number.
    pub fn as_i32(self) -> i32 {
        match self {
            IoPriorityClass::None => 0,
            IoPriorityClass::Realtime => 1,
            IoPriorityClass::BestEffort => 2,
            IoPriorityClass::Idle => 3,
        }
    }

    /// psutil's constant name, e.g. `"IOPRIO_CLASS_BE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            IoPriorityClass::None => "IOPRIO_CLASS_NONE",
            IoPriorityClass::Realtime => "IOPRIO_CLASS_RT",
            IoPriorityClass::BestEffort => "IOPRIO_CLASS_BE",
            IoPriorityClass::Idle => "IOPRIO_CLASS_IDLE",
        }
    }

    /// Class from the kernel's number, `None` for an unknown one.
    pub fn from_i32(v: i32) -> Option<Self> {
        Some(match v {
            0 => IoPriorityClass::None,
            1 => IoPriorityClass::Realtime,
            2 => IoPriorityClass::BestEffort,
            3 => IoPriorityClass::Idle,
            _ => return None,
        })
    }
}

psutil_names!(IoPriorityClass, "ioclass");

impl From<IoPriorityClass> for i32 {
    fn from(c: IoPriorityClass) -> i32 {
        c.as_i32()
    }
}

/// psutil's `pionice`: `proc.ionice()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct Ionice {
    /// psutil's `ioclass`: the I/O scheduling class.
    pub ioclass: IoPriorityClass,
    /// psutil's `value`: the priority within the class, 0 (highest) to 7;
    /// 0 for the classes that have none.
    pub value: i32,
}

/// psutil's `RLIMIT_*` resources for `proc.rlimit()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Resource {
    /// `RLIMIT_CPU`
    Cpu = 0,
    /// `RLIMIT_FSIZE`
    Fsize = 1,
    /// `RLIMIT_DATA`
    Data = 2,
    /// `RLIMIT_STACK`
    Stack = 3,
    /// `RLIMIT_CORE`
    Core = 4,
    /// `RLIMIT_RSS`
    Rss = 5,
    /// `RLIMIT_NPROC`
    Nproc = 6,
    /// `RLIMIT_NOFILE`
    Nofile = 7,
    /// `RLIMIT_MEMLOCK`
    Memlock = 8,
    /// `RLIMIT_AS`
    As = 9,
    /// `RLIMIT_LOCKS`
    Locks = 10,
    /// `RLIMIT_SIGPENDING`
    Sigpending = 11,
    /// `RLIMIT_MSGQUEUE`
    Msgqueue = 12,
    /// `RLIMIT_NICE`
    Nice = 13,
    /// `RLIMIT_RTPRIO`
    Rtprio = 14,
    /// `RLIMIT_RTTIME`
    Rttime = 15,
}

impl Resource {
    /// Every resource, in the kernel's order.
    pub const ALL: &'static [Resource] = &[
        Resource::Cpu,
        Resource::Fsize,
        Resource::Data,
        Resource::Stack,
        Resource::Core,
        Resource::Rss,
        Resource::Nproc,
        Resource::Nofile,
        Resource::Memlock,
        Resource::As,
        Resource::Locks,
        Resource::Sigpending,
        Resource::Msgqueue,
        Resource::Nice,
        Resource::Rtprio,
        Resource::Rttime,
    ];

    /// The resource with the kernel's number `n`.
    pub fn from_i32(n: i32) -> Option<Resource> {
        Resource::ALL.get(usize::try_from(n).ok()?).copied()
    }

    /// psutil's constant name, e.g. `"RLIMIT_NOFILE"`.
    pub fn as_str(self) -> &'static str {
        [
            "RLIMIT_CPU",
            "RLIMIT_FSIZE",
            "RLIMIT_DATA",
            "RLIMIT_STACK",
            "RLIMIT_CORE",
            "RLIMIT_RSS",
            "RLIMIT_NPROC",
            "RLIMIT_NOFILE",
            "RLIMIT_MEMLOCK",
            "RLIMIT_AS",
            "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING",
            "RLIMIT_MSGQUEUE",
            "RLIMIT_NICE",
            "RLIMIT_RTPRIO",
            "RLIMIT_RTTIME",
        ][self as usize]
    }
}

psutil_names!(Resource, "resource");

/// psutil's `RLIM_INFINITY` as a soft or hard limit: `None` here.
/// `proc.rlimit()` returns `(soft, hard)` with `None` for "unlimited".
pub type Rlimit = (Option<u64>, Option<u64>);

/// A field of `memory_full_info()`, psutil's `memtype` argument of
/// `memory_percent()`. Parses from psutil's names (`"rss"`, `"uss"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemoryType {
    /// `"rss"`: [`MemoryInfo::rss`], psutil's default.
    Rss,
    /// `"vms"`
    Vms,
    /// `"shared"`
    Shared,
    /// `"text"`
    Text,
    /// `"lib"`
    Lib,
    /// `"data"`
    Data,
    /// `"dirty"`
    Dirty,
    /// `"uss"`: needs `memory_full_info()` (reads `smaps`).
    Uss,
    /// `"pss"`: needs `memory_full_info()`.
    Pss,
    /// `"swap"`: needs `memory_full_info()`.
    Swap,
}

impl MemoryType {
    /// Every memory type, in psutil's order (`memory_full_info()`'s fields).
    pub const ALL: &'static [MemoryType] = &[
        MemoryType::Rss,
        MemoryType::Vms,
        MemoryType::Shared,
        MemoryType::Text,
        MemoryType::Lib,
        MemoryType::Data,
        MemoryType::Dirty,
        MemoryType::Uss,
        MemoryType::Pss,
        MemoryType::Swap,
    ];

    /// psutil's name, e.g. `"rss"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MemoryType::Rss => "rss",
            MemoryType::Vms => "vms",
            MemoryType::Shared => "shared",
            MemoryType::Text => "text",
            MemoryType::Lib => "lib",
            MemoryType::Data => "data",
            MemoryType::Dirty => "dirty",
            MemoryType::Uss => "uss",
            MemoryType::Pss => "pss",
            MemoryType::Swap => "swap",
        }
    }

    /// This field of `memory_info()`, `None` for the three that only
    /// `memory_full_info()` has.
    pub fn of_basic(self, m: &MemoryInfo) -> Option<u64> {
        Some(match self {
            MemoryType::Rss => m.rss,
            MemoryType::Vms => m.vms,
            MemoryType::Shared => m.shared,
            MemoryType::Text => m.text,
            MemoryType::Lib => m.lib,
            MemoryType::Data => m.data,
            MemoryType::Dirty => m.dirty,
            MemoryType::Uss | MemoryType::Pss | MemoryType::Swap => return None,
        })
    }

    /// This field of `memory_full_info()`, in bytes.
    pub fn of_full(self, m: &MemoryFullInfo) -> u64 {
        match self {
            MemoryType::Rss => m.rss,
            MemoryType::Vms => m.vms,
            MemoryType::Shared => m.shared,
            MemoryType::Text => m.text,
            MemoryType::Lib => m.lib,
            MemoryType::Data => m.data,
            MemoryType::Dirty => m.dirty,
            MemoryType::Uss => m.uss,
            MemoryType::Pss => m.pss,
            MemoryType::Swap => m.swap,
        }
    }
}

impl std::str::FromStr for MemoryType {
    type Err = crate::Error;

    /// Parses psutil's name; anything else fails with psutil's
    /// `ValueError` message.
    fn from_str(s: &str) -> crate::Result<MemoryType> {
        MemoryType::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                let all: Vec<String> = MemoryType::ALL
                    .iter()
                    .map(|m| format!("'{}'", m.as_str()))
                    .collect();
                crate::Error::invalid(format!(
                    "invalid memtype '{s}'; valid types are ({})",
                    all.join(", ")
                ))
            })
    }
}

psutil_names!(MemoryType);
