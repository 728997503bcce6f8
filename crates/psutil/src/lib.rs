//! psutil's Linux API in Rust, under psutil's own names.
//!
//! ```
//! use psutil::process::{process_iter_with, Attr, Process};
//!
//! let me = Process::current()?;
//! println!("{} uses {} bytes", me.name()?, me.memory_info()?.rss);
//! for entry in process_iter_with(&[Attr::Name, Attr::Username])? {
//!     let info = entry.info;
//!     println!("{} {:?} {:?}", info.pid, info.name, info.username);
//! }
//! # Ok::<(), psutil::Error>(())
//! ```
//!
//! Errors follow psutil's exceptions ([`Error::NoSuchProcess`], with a
//! [`GoneReason`], [`Error::ZombieProcess`], [`Error::AccessDenied`],
//! [`Error::TimeoutExpired`]); nothing panics and nothing is silently
//! replaced by zero. They display the Rust way (`access denied (pid=1,
//! name='systemd')`); psutil's own `str(exc)` is
//! [`Error::psutil_message`].
//!
//! # `None`, zero and errors
//!
//! One rule decides between an error, `None` and a number: **a value is
//! never a 0 that was not read**, except where psutil itself reports 0 as
//! a fact (the last point). In detail:
//!
//! * **An error** when the call cannot answer at all: the file psutil
//!   needs is unreadable or malformed ([`Error::Io`], kind `InvalidData`
//!   for content), or the process is gone or refused (see
//!   [`process`](crate::process#errors) for those rules). Each function's
//!   `# Errors` section says which.
//! * **`Ok(None)`, or an empty list or map**, when the question has no
//!   answer on this machine, where psutil returns `None` or empty:
//!   [`cpu::cpu_count`] undetermined, [`cpu::cpu_freq`] without frequency
//!   data, [`disk::disk_io_counters`] without disks,
//!   [`net::net_io_counters`] without NICs, [`sensors::sensors_battery`]
//!   without a battery, no sensors in a VM.
//! * **A `None` field** for a part of a record that this kernel, chip or
//!   process does not have: [`cpu::CpuTimes`]' `steal`, `guest` and
//!   `guest_nice` on kernels without those columns,
//!   [`cpu::CpuStats::soft_interrupts`] before Linux 2.6.31, a
//!   temperature's `high`/`critical`, a NIC address's `netmask`,
//!   `broadcast` and `ptp`, a connection's `pid` when the owner is
//!   unknown, every [`cgroup`] figure whose file is missing (one missing
//!   file hides only its own field).
//! * **A `None` path** where the kernel hides it ([`Process::exe`] and
//!   [`Process::cwd`] of kernel threads; psutil returns `""`), and `None`
//!   for "not there": [`Process::terminal`], [`Process::parent`], the exit
//!   code of a process that was not the caller's child
//!   ([`Process::wait`]), an unlimited [`Process::rlimit`] side
//!   (`RLIM_INFINITY`).
//! * **In a listing** ([`process_iter`], [`Process::as_dict`]): an
//!   attribute not requested is `None`; one the kernel refused
//!   (`AccessDenied`, `ZombieProcess`) is `None` and listed in
//!   [`process::ProcessInfo::denied`] (psutil's `ad_value`); a process that
//!   vanished is left out of [`process_iter`] and is an error from
//!   `as_dict`.
//! * **A zero** only where psutil reports one as a fact of the platform,
//!   documented on the field: [`process::MemoryInfo`]'s `lib` and `dirty`
//!   since Linux 2.6, [`cpu::CpuStats::syscalls`], a [`cpu::CpuFreq`]'s
//!   `min` and `max` without cpufreq, [`memory::swap_memory`]'s `sin` and
//!   `sout` when `/proc/vmstat` is unreadable or lacks them, and
//!   [`memory::virtual_memory`] fields whose `/proc/meminfo` line is
//!   missing (psutil warns and reports 0 for both).
//!
//! Layout: public modules are named after psutil's areas; they own the
//! public types and psutil's rules, and call only `platform`'s area
//! modules. Everything Linux-specific sits behind `platform` (pure `/proc`
//! parsers, returning their own raw records, apart from the code that
//! reads files); `tests/boundary.sh` keeps it that way.

#![deny(missing_docs)]
#![deny(clippy::missing_errors_doc)]

/// Gives an enum that carries psutil's names the crate's convention on top
/// of its `as_str` and `ALL: &'static [Self]`: `Display` writes `as_str`,
/// and `FromStr` takes exactly the names in `ALL`, failing with
/// [`Error::InvalidArgument`] that says which kind of name (`$what`) was
/// not understood. Without `$what` only `Display` is generated, for types
/// whose `FromStr` keeps psutil's own message or accepts more spellings.
macro_rules! psutil_names {
    ($t:ty, $what:literal) => {
        impl ::std::str::FromStr for $t {
            type Err = $crate::Error;

            /// Parses psutil's name, as `as_str` writes it.
            fn from_str(s: &str) -> $crate::Result<Self> {
                <$t>::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        $crate::Error::invalid(format!(concat!("invalid ", $what, " '{}'"), s))
                    })
            }
        }
        psutil_names!($t);
    };
    ($t:ty) => {
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod cgroup;
pub mod cpu;
pub mod disk;
mod error;
mod forksafe;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
/// Guide pages for readers who know psutil or sysinfo: what each of their
/// calls becomes here (`docs/` in the repository). Their examples run as
/// doc tests.
pub mod guide {
    #[doc = include_str!("../guide/from-psutil.md")]
    pub mod from_psutil {}
    #[doc = include_str!("../guide/from-sysinfo.md")]
    pub mod from_sysinfo {}
}

// The README's Rust example runs as a doc test too, so it cannot drift from
// the API (doc tests only: the packaged crate keeps the README elsewhere).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
pub mod memory;
mod namemap;
pub mod net;
mod nowrap;
// Public only for the Python binding's streamed listing.
#[doc(hidden)]
pub mod parallel;
mod platform;
pub mod process;
// Python's `round`, public only for the CLI and the Python binding.
#[doc(hidden)]
pub mod pyround;
pub mod sensors;
pub mod users;

pub use error::{Error, GoneReason, PsutilMessage, Result};
pub use namemap::NameMap;
pub use parallel::{default_threads, Threads};
pub use process::{pid_exists, pids, process_iter, wait_procs, Popen, Process};

/// The kernel's clock-tick rate, ticks per second: the unit of the CPU
/// times and start times in `/proc`, e.g. [`Process::start_ticks`]
/// (`sysconf(_SC_CLK_TCK)`, psutil's internal `CLOCK_TICKS`). Asked once.
pub fn clock_ticks() -> u64 {
    platform::imp::clock_ticks_per_second()
}

/// psutil's `PROCFS_PATH`: the `/proc` root every call reads.
pub fn procfs_path() -> String {
    platform::imp::procfs_root()
}

/// Sets psutil's `PROCFS_PATH`, e.g. to a host's `/proc` mounted in a
/// container, or to a fixture tree in tests.
pub fn set_procfs_path(path: &str) {
    platform::imp::set_procfs_root(path)
}

/// The `/sys` root every sysfs read uses (default `/sys`). psutil has no
/// such setting; it exists so the API can run against fixture trees and a
/// host's `/sys` mounted elsewhere.
pub fn sysfs_path() -> String {
    platform::imp::sys_root()
}

/// Sets the `/sys` root (see [`sysfs_path`]).
pub fn set_sysfs_path(path: &str) {
    platform::imp::set_sys_root(path)
}

/// The cgroup filesystem root every [`cgroup`] read uses (default
/// `/sys/fs/cgroup`). psutil has no such setting; mount points under
/// `/sys/fs/cgroup` in `/proc/self/mountinfo` are read under this root
/// instead, so that the cgroup API runs against fixture trees and a host's
/// cgroupfs mounted elsewhere.
pub fn cgroupfs_path() -> String {
    platform::imp::cgroup::root()
}

/// Sets the cgroup filesystem root (see [`cgroupfs_path`]).
pub fn set_cgroupfs_path(path: &str) {
    platform::imp::cgroup::set_root(path)
}

/// psutil's `boot_time()`: seconds since the epoch (re-read every call).
///
/// # Errors
///
/// [`Error::Io`] when `PROCFS_PATH/stat` cannot be read or has no `btime` line.
///
/// # Examples
///
/// ```
/// use std::time::{SystemTime, UNIX_EPOCH};
///
/// let boot = psutil::boot_time()?; // seconds since the epoch
/// let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs_f64();
/// println!("up {:.0} s", now - boot);
/// assert!(boot > 0.0 && boot <= now);
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn boot_time() -> Result<f64> {
    platform::imp::boot_time()
}

/// The filesystem roots calls read: `/proc` (psutil's `PROCFS_PATH`),
/// `/sys` and the cgroup filesystem, as one value that applies to one
/// thread instead of the whole process.
///
/// [`Roots::enter`] (or [`Roots::scope`]) makes them the roots of every
/// call on the calling thread, and of the worker threads those calls
/// start, until the guard drops; other threads keep the process-wide roots
/// of [`set_procfs_path`], [`set_sysfs_path`] and [`set_cgroupfs_path`].
/// Tests can so run side by side against different fixture trees.
///
/// # Caches
///
/// The module-wide caches remember the `/proc` root they were filled
/// under and start over when a call runs under another one, so that
/// nothing read from one tree answers for another:
///
/// - the handles of [`process::process_iter`] (psutil's `_pmap`): a
///   handle listed under a fixture root is never handed back under
///   `/proc`, nor the reverse; `cpu_percent(None)` restarts from zero;
/// - the `nowrap` history of [`net::net_io_counters`], and that of
///   [`disk::disk_io_counters`] (keyed by the `/proc` and `/sys` roots):
///   one tree's counters never correct another's.
///
/// Calls alternating between two roots thus keep emptying these caches;
/// give each root its own [`process::ProcessIter`],
/// [`net::NetIoNowrap`] or [`disk::DiskIoNowrap`] instead (those private
/// caches keep what they hold whatever the roots: use each under one).
/// Two values stay shared by every root: the `MemTotal` behind
/// `Process::memory_percent`, the last `virtual_memory()` seen by any
/// thread (as psutil), and the previous sample of `cpu_percent(None)`,
/// kept per thread.
///
/// ```no_run
/// let host = psutil::Roots::default().with_procfs("/host/proc");
/// let vm = host.scope(psutil::memory::virtual_memory)?;
/// # Ok::<(), psutil::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Roots {
    /// The `/proc` root.
    pub procfs: String,
    /// The `/sys` root.
    pub sysfs: String,
    /// The cgroup filesystem root (see [`cgroupfs_path`]).
    pub cgroupfs: String,
}

impl Default for Roots {
    /// The live system's: `/proc`, `/sys`, `/sys/fs/cgroup`.
    fn default() -> Roots {
        Roots {
            procfs: "/proc".to_owned(),
            sysfs: "/sys".to_owned(),
            cgroupfs: platform::imp::DEFAULT_CGROUPFS_ROOT.to_owned(),
        }
    }
}

impl Roots {
    /// The roots calls on this thread use now: an entered `Roots`, or the
    /// process-wide ones.
    pub fn current() -> Roots {
        Roots {
            procfs: procfs_path(),
            sysfs: sysfs_path(),
            cgroupfs: cgroupfs_path(),
        }
    }

    /// These roots with `/proc` at `path`.
    pub fn with_procfs(mut self, path: impl Into<String>) -> Roots {
        self.procfs = path.into();
        self
    }

    /// These roots with `/sys` at `path`.
    pub fn with_sysfs(mut self, path: impl Into<String>) -> Roots {
        self.sysfs = path.into();
        self
    }

    /// These roots with the cgroup filesystem at `path`.
    pub fn with_cgroupfs(mut self, path: impl Into<String>) -> Roots {
        self.cgroupfs = path.into();
        self
    }

    /// Makes these the calling thread's roots until the guard drops (the
    /// roots in force before come back then; guards nest).
    pub fn enter(&self) -> RootsGuard {
        let trim = |p: &str| p.trim_end_matches('/').to_owned();
        let scoped = platform::imp::ScopedRoots {
            procfs: trim(&self.procfs),
            sysfs: trim(&self.sysfs),
            cgroupfs: trim(&self.cgroupfs),
        };
        RootsGuard {
            previous: platform::imp::set_scoped_roots(Some(std::sync::Arc::new(scoped))),
            _not_send: std::marker::PhantomData,
        }
    }

    /// Runs `f` with these roots entered (see [`Roots::enter`]).
    pub fn scope<R>(&self, f: impl FnOnce() -> R) -> R {
        let _guard = self.enter();
        f()
    }
}

/// Returned by [`Roots::enter`]: puts the thread's previous roots back
/// when dropped. It stays on the thread that entered.
#[must_use = "the roots apply only while the guard lives"]
#[derive(Debug)]
pub struct RootsGuard {
    previous: Option<std::sync::Arc<platform::imp::ScopedRoots>>,
    /// Thread-bound: dropping it elsewhere would restore another thread's.
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Drop for RootsGuard {
    fn drop(&mut self) {
        platform::imp::set_scoped_roots(self.previous.take());
    }
}

/// A module-wide cache with the roots it was filled under (see [`Roots`]):
/// asked under other roots it starts over, so that what one tree left
/// behind (a fixture's process handles, a host's counter history) never
/// answers for another. One string comparison per call.
#[derive(Debug, Default)]
pub(crate) struct ByRoot<T> {
    root: String,
    value: T,
}

impl<T: Default> ByRoot<T> {
    /// The value filled under `root`: emptied first when it was filled
    /// under other roots.
    pub(crate) fn under(&mut self, root: String) -> &mut T {
        if self.root != root {
            self.value = T::default();
            self.root = root;
        }
        &mut self.value
    }
}
