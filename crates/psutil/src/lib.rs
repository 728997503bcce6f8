//! psutil's Linux API in Rust, under psutil's own names.
//!
//! ```no_run
//! use psutil::process::{process_iter, Attr, Process};
//!
//! let me = Process::current()?;
//! println!("{} uses {} bytes", me.name()?, me.memory_info()?.rss);
//! for entry in process_iter(Some(&[Attr::Name, Attr::Username]))? {
//!     let info = entry.info.unwrap();
//!     println!("{} {:?} {:?}", info.pid, info.name, info.username);
//! }
//! # Ok::<(), psutil::Error>(())
//! ```
//!
//! Errors follow psutil's exceptions ([`Error::NoSuchProcess`],
//! [`Error::ZombieProcess`], [`Error::AccessDenied`],
//! [`Error::TimeoutExpired`]); nothing panics and nothing is silently
//! replaced by zero.
//!
//! Layout: public modules are named after psutil's areas; they own the
//! public types and psutil's rules, and call only `platform`'s area
//! modules. Everything Linux-specific sits behind `platform` (pure `/proc`
//! parsers, returning their own raw records, apart from the code that
//! reads files); `tests/boundary.sh` keeps it that way.

pub mod cgroup;
pub mod cpu;
pub mod disk;
mod error;
mod forksafe;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod memory;
mod namemap;
pub mod net;
mod parallel;
mod platform;
pub mod process;
pub mod sensors;
pub mod users;

pub use error::{Error, Result};
pub use namemap::NameMap;
pub use parallel::default_threads;
pub use process::{pid_exists, pids, process_iter, wait_procs, Popen, Process};

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
pub fn boot_time() -> Result<f64> {
    platform::imp::boot_time()
}
