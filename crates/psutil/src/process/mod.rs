//! Processes: psutil's `Process` class and the module functions around it
//! (`pids`, `pid_exists`, `process_iter`, `wait_procs`, `Popen`).
//!
//! # Identity and PID reuse
//!
//! A [`Process`] is the pair (PID, start time in clock ticks), read once
//! from `/proc/PID/stat` when the handle is made. Getters read `/proc` by
//! path, like psutil. Everything that *acts* on a process (signals and the
//! `nice`/`ionice`/`rlimit`/`cpu_affinity` setters) first opens `/proc/PID`
//! as a directory fd and checks the start time through it:
//!
//! * signals then go through the same fd with `pidfd_send_signal(2)`, so a
//!   signal can never reach a process that reused the PID (before Linux
//!   5.1, which lacks that call, `kill(2)` right after the check);
//! * setters, which the kernel only offers by PID, are bracketed: the
//!   identity is checked through the fd before the call and the fd is
//!   checked again after it. A directory fd keeps answering only while its
//!   process is unreaped, and a PID cannot be reused before the reap, so a
//!   success on both sides proves the call hit the right process. This is
//!   detection, not prevention: if the process is reaped and its PID reused
//!   during the call, the new process was changed and the setter returns
//!   `NoSuchProcess`.
//!
//! psutil only narrows both races (check, then act by PID).
//!
//! No fd is kept open between calls, so a listing of thousands of processes
//! never holds thousands of descriptors.
//!
//! # Text and bytes
//!
//! The kernel keeps names, arguments, environments and paths as bytes that
//! need not be UTF-8. The rule here: paths are [`PathBuf`] (exact bytes)
//! and `None` where the kernel hides them, never `""`; text psutil users
//! read as text comes twice, `x()` as a `String` (bytes that are not UTF-8
//! become U+FFFD) and `x_os()` as the exact [`OsString`]s: [`Process::name`]
//! and [`Process::name_os`], [`Process::cmdline`] and
//! [`Process::cmdline_os`], [`Process::environ`] and
//! [`Process::environ_os`]. [`ProcessInfo`] holds the exact forms.
//!
//! # Errors
//!
//! Each fallible method's `# Errors` section names one of two rule sets
//! below and what it adds. Errors name the process when an earlier
//! [`Process::name`] learnt it; [`Error::TimeoutExpired`] comes only from
//! the `wait` methods.
//!
//! **Getter rules.** Getters read `/proc/PID/...` by path, or ask a
//! syscall by PID, as psutil does; they do not check for PID reuse
//! themselves (only [`Process::ppid`], [`Process::children`] and
//! [`Process::net_connections`] do, as in psutil):
//!
//! * [`Error::AccessDenied`]: the kernel refused (`EPERM`, `EACCES`).
//! * [`Error::ZombieProcess`]: the file or syscall answered "no such
//!   process" (`ENOENT`, `ESRCH`) and `/proc/PID/stat` shows a zombie, or
//!   the file is one a zombie no longer has (`exe`, `cwd`, `environ`,
//!   `smaps`).
//! * [`Error::NoSuchProcess`] with [`GoneReason::Exited`]: the same answer
//!   from a process that is not a zombie: it exited and was reaped.
//! * [`Error::InvalidArgument`] (psutil's `ValueError`): a syscall
//!   answered `EINVAL`.
//! * [`Error::Io`]: anything else, with the file's path for reads: another
//!   OS error; a `/proc/PID` file missing while the process lives (an older
//!   kernel); a file whose content is not what the kernel writes (kind
//!   `InvalidData`).
//!
//! **Action rules.** Signals and the `set_*` setters first open
//! `/proc/PID` and check the start time through it (see "Identity and PID
//! reuse"):
//!
//! * [`Error::NoSuchProcess`] with [`GoneReason::Exited`] when the process
//!   is gone, or with [`GoneReason::PidReused`] when its PID now names
//!   another process;
//! * [`Error::AccessDenied`] when the kernel refuses, at the check or in
//!   the call;
//! * the call's other errors as for getters, except that a signal's
//!   `ESRCH` is [`Error::NoSuchProcess`] (a zombie accepts signals) and its
//!   `EINVAL` an [`Error::Io`] (as `os.kill`);
//! * [`Error::NoSuchProcess`] with [`GoneReason::Exited`] when a setter's
//!   process vanished during the call.

mod identity;
mod iter;
mod scan;
mod signal;
mod types;
mod wait;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

pub use iter::{
    process_iter, process_iter_cache_clear, process_iter_with, Attr, ProcEntry, ProcessInfo,
    ProcessIter,
};
pub use scan::{ProcStat, StatScan};
pub use signal::Signal;
pub use types::*;
pub use wait::{wait_pid, wait_procs, Gone, Popen};

use crate::forksafe::ForkMutex;
use crate::platform::imp::errno::{process_error, Target};
use crate::platform::imp::process::{self as backend, ppid_map, ProcReader};
use crate::{Error, GoneReason, Result};
use identity::not_found;

/// psutil's `pids()`: every PID in `/proc`, sorted.
///
/// # Errors
///
/// [`Error::Io`] when `PROCFS_PATH` cannot be listed.
pub fn pids() -> Result<Vec<u32>> {
    backend::pids()
}

/// psutil's `pid_exists(pid)`: true for a live (or zombie) process.
/// Thread IDs are not processes, so a TID answers `false`.
pub fn pid_exists(pid: u32) -> bool {
    backend::pid_exists(pid)
}

struct Inner {
    reader: ProcReader,
    oneshot_depth: u32,
    /// The last name read, for error messages (psutil's `_name`).
    name: Option<String>,
    create_time: Option<f64>,
    exe: Option<PathBuf>,
    /// (monotonic instant, user+system seconds) of the last `cpu_percent`.
    last_cpu: Option<(Instant, f64)>,
    /// `Some(code)` once `wait()` collected the exit status.
    exit_code: Option<Option<i32>>,
    /// Set once the process was seen gone or its PID reused.
    gone: bool,
}

impl Inner {
    fn new(pid: u32) -> Inner {
        Inner {
            reader: ProcReader::new(pid),
            oneshot_depth: 0,
            name: None,
            create_time: None,
            exe: None,
            last_cpu: None,
            exit_code: None,
            gone: false,
        }
    }
}

/// psutil's `Process`: one process, identified by PID and start time.
///
/// Methods take `&self`; a handle can be shared between threads. Inside
/// [`Process::oneshot`] the `stat`, `status`, `statm` and `smaps` files are
/// read at most once.
///
/// # Examples
///
/// ```
/// use psutil::process::{MemoryType, Process};
///
/// let me = Process::current()?;
/// println!("pid {} is {}", me.pid(), me.name()?);
/// // `exe` is a path, `None` when the kernel shows none (a kernel thread).
/// if let Some(exe) = me.exe()? {
///     println!("running {}", exe.display());
/// }
/// let mem = me.memory_info()?; // bytes
/// println!("rss {} B, vms {} B, {:.2}% of RAM", mem.rss, mem.vms, me.memory_percent(MemoryType::Rss)?);
/// let t = me.cpu_times()?; // seconds
/// println!("{:.2} s user, {:.2} s system", t.user, t.system);
///
/// // Several calls that share `/proc/PID/stat` and `status`: read them once.
/// {
///     let _batch = me.oneshot();
///     println!("parent {}, {}, {} threads", me.ppid()?, me.status()?, me.num_threads()?);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub struct Process {
    pid: u32,
    start_ticks: u64,
    /// Fork-safe: a fork child finding it held by a thread of its parent
    /// (a listing reading this process) starts from a fresh `Inner`.
    inner: ForkMutex<Inner>,
}

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid)
            .field("start_ticks", &self.start_ticks)
            .finish()
    }
}

/// Equality is identity: same PID and same start time (psutil's `__eq__`).
impl PartialEq for Process {
    fn eq(&self, other: &Self) -> bool {
        self.pid == other.pid && self.start_ticks == other.start_ticks
    }
}
impl Eq for Process {}

impl std::hash::Hash for Process {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.pid, self.start_ticks).hash(state);
    }
}

impl Clone for Process {
    /// A new handle to the same process, without the caches.
    fn clone(&self) -> Self {
        Process::with_identity(self.pid, self.start_ticks)
    }
}

/// Keeps `oneshot()` active until dropped. Nested guards are allowed.
pub struct Oneshot<'a> {
    process: &'a Process,
}

impl Drop for Oneshot<'_> {
    fn drop(&mut self) {
        self.process.oneshot_exit();
    }
}

impl Process {
    /// psutil's `Process(pid)`: a handle on the process that has `pid` now.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchProcess`] with [`GoneReason::NotFound`] when
    /// `/proc/PID/stat` cannot be read or parsed for any reason, which includes
    /// PID 0 and PIDs above `i32::MAX` (psutil's "process PID not found").
    pub fn new(pid: u32) -> Result<Process> {
        if pid == 0 || i32::try_from(pid).is_err() {
            return Err(not_found(pid));
        }
        match backend::identity(pid) {
            Ok(Some((_, start))) => Ok(Process::with_identity(pid, start)),
            _ => Err(not_found(pid)),
        }
    }

    /// `Process(pid)` and its `as_dict(attrs)` in one oneshot batch: the
    /// handle's identity comes from the batch's own `stat` read, so a
    /// process seen for the first time costs one `stat` read, not two (what
    /// `process_iter` does for new PIDs).
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchProcess`] with [`GoneReason::NotFound`] as
    /// [`Process::new`]; then the errors of [`Process::as_dict`].
    pub fn new_with_info(pid: u32, attrs: &[Attr]) -> Result<(Process, ProcessInfo)> {
        Process::new_with_info_at(pid, attrs, crate::Threads::Auto, None)
    }

    /// [`Process::new_with_info`] with a boot time read once for many
    /// processes (`create_time` then reads no `/proc/stat`).
    pub(crate) fn new_with_info_at(
        pid: u32,
        attrs: &[Attr],
        threads: crate::Threads,
        boot_time: Option<f64>,
    ) -> Result<(Process, ProcessInfo)> {
        if pid == 0 || i32::try_from(pid).is_err() {
            return Err(not_found(pid));
        }
        let p = Process::new_in_oneshot(pid).map_err(|_| not_found(pid))?;
        if let Some(b) = boot_time {
            p.prime_create_time(b);
        }
        let info = iter::collect_info(&p, attrs, threads);
        p.oneshot_exit();
        Ok((p, info?))
    }

    /// psutil's `Process()`: the calling process.
    ///
    /// # Errors
    ///
    /// As [`Process::new`]; in practice never (the caller exists).
    pub fn current() -> Result<Process> {
        Process::new(std::process::id())
    }

    /// A handle already inside a oneshot batch whose `stat` is cached: the
    /// identity comes from the same read the batch uses, so a listing reads
    /// `stat` once per new process. The caller ends the batch with
    /// [`Process::oneshot_exit`].
    pub(crate) fn new_in_oneshot(pid: u32) -> Result<Process> {
        let mut reader = ProcReader::new(pid);
        reader.set_caching(true);
        let start = reader.stat()?.starttime;
        let p = Process::with_identity(pid, start);
        {
            let mut g = p.lock();
            g.reader = reader;
            g.oneshot_depth = 1;
        }
        Ok(p)
    }

    /// The process `pid` that started at `start_ticks` (clock ticks after
    /// boot, as a scan read it): `NoSuchProcess` when it is gone, even if
    /// the PID now names another process.
    pub(crate) fn from_pid_and_start(pid: u32, start_ticks: u64) -> Result<Process> {
        let p = Process::with_identity(pid, start_ticks);
        if p.is_running() {
            Ok(p)
        } else if pid_exists(pid) {
            Err(Error::no_such_process(pid, None, GoneReason::PidReused))
        } else {
            Err(Error::no_such_process(pid, None, GoneReason::Exited))
        }
    }

    fn with_identity(pid: u32, start_ticks: u64) -> Process {
        Process {
            pid,
            start_ticks,
            inner: ForkMutex::with_value(Inner::new(pid)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock(|| Inner::new(self.pid))
    }

    /// Runs a reader call and names the process in any error.
    fn read<T>(&self, f: impl FnOnce(&mut ProcReader) -> Result<T>) -> Result<T> {
        let mut g = self.lock();
        let r = f(&mut g.reader);
        r.map_err(|e| e.with_name(g.name.as_deref()))
    }

    /// See [`ProcessIter::set_keep_stat_open`].
    pub(crate) fn keep_stat_open(&self) {
        self.lock().reader.keep_stat_open();
    }

    /// psutil's `pid`.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Start time in clock ticks after boot: with the PID, the identity.
    pub fn start_ticks(&self) -> u64 {
        self.start_ticks
    }

    /// The name psutil would put in an exception (its `_name`): the last
    /// value `name()` returned, if any.
    pub fn cached_name(&self) -> Option<String> {
        self.lock().name.clone()
    }

    /// psutil's `oneshot()`: until the guard drops, each `/proc` file is read
    /// at most once. Re-entrant: inner guards do nothing.
    pub fn oneshot(&self) -> Oneshot<'_> {
        self.oneshot_enter();
        Oneshot { process: self }
    }

    /// Starts a oneshot batch without a guard (for bindings that cannot hold
    /// a borrow). Each call must be paired with [`Process::oneshot_exit`].
    pub fn oneshot_enter(&self) {
        let mut g = self.lock();
        g.oneshot_depth += 1;
        if g.oneshot_depth == 1 {
            g.reader.set_caching(true);
        }
    }

    /// Ends a batch started by [`Process::oneshot_enter`].
    pub fn oneshot_exit(&self) {
        let mut g = self.lock();
        g.oneshot_depth = g.oneshot_depth.saturating_sub(1);
        if g.oneshot_depth == 0 {
            g.reader.set_caching(false);
        }
    }

    /// psutil's `name()`, as text: [`Process::name_os`] with bytes that are
    /// not UTF-8 replaced by U+FFFD.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`, and
    /// `cmdline` when `comm` was cut).
    pub fn name(&self) -> Result<String> {
        Ok(self.name_os()?.to_string_lossy().into_owned())
    }

    /// psutil's `name()`, exact bytes: `comm`, or the base name of
    /// `cmdline[0]` when the kernel cut `comm` to 15 bytes.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`, and
    /// `cmdline` when `comm` was cut).
    pub fn name_os(&self) -> Result<OsString> {
        let mut g = self.lock();
        let r = g.reader.name();
        match r {
            Ok(n) => {
                g.name = Some(n.to_string_lossy().into_owned());
                Ok(n)
            }
            Err(e) => Err(e.with_name(g.name.as_deref())),
        }
    }

    /// psutil's `exe()`: the executable's path; `None` where the kernel
    /// hides it (kernel threads; psutil returns `""`). Cached after the
    /// first `Some`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/exe`):
    /// [`Error::AccessDenied`] for another user's process without privilege,
    /// [`Error::ZombieProcess`] for a zombie.
    pub fn exe(&self) -> Result<Option<PathBuf>> {
        let mut g = self.lock();
        if let Some(e) = &g.exe {
            return Ok(Some(e.clone()));
        }
        match g.reader.exe() {
            Ok(e) => {
                g.exe.clone_from(&e);
                Ok(e)
            }
            Err(e) => Err(e.with_name(g.name.as_deref())),
        }
    }

    /// psutil's `cmdline()`, as text: [`Process::cmdline_os`] with bytes
    /// that are not UTF-8 replaced by U+FFFD.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/cmdline`).
    pub fn cmdline(&self) -> Result<Vec<String>> {
        Ok(self
            .cmdline_os()?
            .into_iter()
            .map(|a| {
                a.into_string()
                    .unwrap_or_else(|a| a.to_string_lossy().into_owned())
            })
            .collect())
    }

    /// psutil's `cmdline()`, exact bytes, as the process wrote them.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/cmdline`).
    pub fn cmdline_os(&self) -> Result<Vec<OsString>> {
        let args = self.read(|r| r.cmdline_bytes())?;
        Ok(args.into_iter().map(OsString::from_vec).collect())
    }

    /// psutil's `environ()`, as text: [`Process::environ_os`] with bytes
    /// that are not UTF-8 replaced by U+FFFD.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/environ`):
    /// [`Error::AccessDenied`] for another user's process without privilege.
    pub fn environ(&self) -> Result<BTreeMap<String, String>> {
        Ok(self
            .environ_os()?
            .into_iter()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .collect())
    }

    /// psutil's `environ()`, exact bytes: variable → value. Kernel threads
    /// have an empty environment (psutil 7.2.2 wrongly raises
    /// `NoSuchProcess` on 6.x kernels, which answer ESRCH for them).
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/environ`):
    /// [`Error::AccessDenied`] for another user's process without privilege.
    pub fn environ_os(&self) -> Result<BTreeMap<OsString, OsString>> {
        let pairs = self.read(|r| r.environ())?;
        Ok(pairs
            .into_iter()
            .map(|(k, v)| (OsString::from_vec(k), OsString::from_vec(v)))
            .collect())
    }

    /// psutil's `status()`; a zombie is [`Status::Zombie`], not an error.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`); never
    /// [`Error::ZombieProcess`].
    pub fn status(&self) -> Result<Status> {
        self.read(|r| r.status())
    }

    /// psutil's `ppid()`: the parent's PID, checked against PID reuse.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`), and
    /// [`Error::NoSuchProcess`] with [`GoneReason::PidReused`] when the PID now
    /// names another process.
    pub fn ppid(&self) -> Result<u32> {
        let start = self.start_ticks;
        self.read(|r| {
            let s = r.stat()?;
            if s.starttime != start {
                return Err(Error::no_such_process(s.pid, None, GoneReason::PidReused));
            }
            Ok(s.ppid)
        })
    }

    /// psutil's `create_time()`: seconds since the epoch (boot time from
    /// `/proc/stat` plus the start time). Cached after the first call.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when `PROCFS_PATH/stat` cannot be read or has no `btime`
    /// line (the start time itself is known from the handle). Never a process
    /// error.
    pub fn create_time(&self) -> Result<f64> {
        let mut g = self.lock();
        if let Some(t) = g.create_time {
            return Ok(t);
        }
        let t =
            crate::platform::imp::boot_time()? + self.start_ticks as f64 / backend::clock_ticks();
        g.create_time = Some(t);
        Ok(t)
    }

    /// Seeds the create-time cache with a boot time read once for many
    /// processes (used by `process_iter`).
    pub(crate) fn prime_create_time(&self, boot_time: f64) {
        let mut g = self.lock();
        if g.create_time.is_none() {
            g.create_time = Some(boot_time + self.start_ticks as f64 / backend::clock_ticks());
        }
    }

    /// psutil's `is_running()`: the PID still names this process (a zombie
    /// counts as running).
    pub fn is_running(&self) -> bool {
        let mut g = self.lock();
        if g.gone {
            return false;
        }
        let same = self.same_identity();
        if !same {
            g.gone = true;
        }
        same
    }

    /// psutil's `parent()`: `None` for PID 1 and orphans, and when the
    /// PID recorded as parent now names a younger process.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when `PROCFS_PATH` cannot be listed; otherwise the errors
    /// of [`Process::ppid`]. A parent that cannot be opened is `Ok(None)`, not
    /// an error.
    pub fn parent(&self) -> Result<Option<Process>> {
        let lowest = pids()?.first().copied();
        if Some(self.pid) == lowest {
            return Ok(None);
        }
        let ppid = self.ppid()?;
        match Process::new(ppid) {
            Ok(p) if p.start_ticks <= self.start_ticks => Ok(Some(p)),
            _ => Ok(None),
        }
    }

    /// psutil's `parents()`: parent, grandparent, ... up to the root.
    ///
    /// # Errors
    ///
    /// The errors of [`Process::parent`] for the first step; a later step that
    /// fails ends the list instead.
    pub fn parents(&self) -> Result<Vec<Process>> {
        let mut out = Vec::new();
        let mut cur = self.parent()?;
        while let Some(p) = cur {
            cur = p.parent().unwrap_or(None);
            out.push(p);
        }
        Ok(out)
    }

    /// psutil's `children(recursive)`: direct children, or all descendants
    /// (depth first, each once). Children younger than the PID they name as
    /// parent are ignored, as are processes that vanish meanwhile.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchProcess`] with [`GoneReason::NotFound`] and no name when
    /// this process is gone (psutil's message there), with
    /// [`GoneReason::PidReused`] when its PID now names another process;
    /// [`Error::AccessDenied`] when `/proc/PID` cannot be opened; [`Error::Io`]
    /// when `PROCFS_PATH` cannot be listed. Children that vanish meanwhile are
    /// skipped.
    pub fn children(&self, recursive: bool) -> Result<Vec<Process>> {
        // psutil makes a new `Process(self.pid)` here, so a gone process
        // fails as that constructor does: "process PID not found", unnamed.
        self.open_verified_or(GoneReason::NotFound)?;
        let map = ppid_map().map_err(|e| e.with_name(self.lock().name.as_deref()))?;
        let mut by_parent: std::collections::HashMap<u32, Vec<(u32, u64)>> =
            std::collections::HashMap::new();
        for (&pid, &(ppid, start)) in &map {
            by_parent.entry(ppid).or_default().push((pid, start));
        }
        for v in by_parent.values_mut() {
            v.sort_unstable();
        }
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![(self.pid, self.start_ticks)];
        while let Some((parent, parent_start)) = stack.pop() {
            for &(pid, start) in by_parent.get(&parent).map(Vec::as_slice).unwrap_or(&[]) {
                if start < parent_start || !seen.insert(pid) {
                    continue;
                }
                out.push(Process::with_identity(pid, start));
                if recursive {
                    stack.push((pid, start));
                }
            }
        }
        Ok(out)
    }

    /// psutil's `uids()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/status`).
    pub fn uids(&self) -> Result<Uids> {
        self.read(|r| r.uids())
    }

    /// psutil's `gids()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/status`).
    pub fn gids(&self) -> Result<Gids> {
        self.read(|r| r.gids())
    }

    /// psutil's `username()`: the real uid's login name, or the uid as text.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/status`). A uid
    /// without a login name is its number as text, not an error.
    pub fn username(&self) -> Result<String> {
        self.read(|r| r.username())
    }

    /// psutil's `terminal()`: e.g. `/dev/pts/0`, `None` without one.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`). No
    /// terminal is `Ok(None)`.
    pub fn terminal(&self) -> Result<Option<String>> {
        self.read(|r| r.terminal())
    }

    /// The cgroup this process is in (not in psutil; see [`crate::cgroup`]),
    /// from `/proc/PID/cgroup`.
    ///
    /// # Errors
    ///
    /// As [`Cgroup::of_pid`](crate::cgroup::Cgroup::of_pid), with this
    /// process's name added.
    pub fn cgroup(&self) -> Result<crate::cgroup::Cgroup> {
        crate::cgroup::Cgroup::of_pid(self.pid)
            .map_err(|e| e.with_name(self.lock().name.as_deref()))
    }

    /// psutil's `cwd()`: the working directory's path; `None` where the
    /// kernel hides it (kernel threads; psutil returns `""`).
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/cwd`):
    /// [`Error::AccessDenied`] for another user's process without privilege,
    /// [`Error::ZombieProcess`] for a zombie.
    pub fn cwd(&self) -> Result<Option<PathBuf>> {
        self.read(|r| r.cwd())
    }

    /// psutil's `nice()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors).
    pub fn nice(&self) -> Result<i32> {
        self.read(|r| r.nice())
    }

    /// psutil's `nice(value)`.
    ///
    /// # Errors
    ///
    /// The [action rules](crate::process#errors): [`Error::AccessDenied`] for
    /// raising the priority (a lower `value`) without `CAP_SYS_NICE`, or for
    /// another user's process.
    pub fn set_nice(&self, value: i32) -> Result<()> {
        self.act(|r| r.set_nice(value))
    }

    /// psutil's `ionice()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`ioprio_get(2)`).
    pub fn ionice(&self) -> Result<Ionice> {
        self.read(|r| r.ionice())
    }

    /// psutil's `ionice(ioclass, value)`. `value` defaults to 4 for the
    /// realtime and best-effort classes and must be 0..=7; the `None` and
    /// idle classes take no value.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] (psutil's `ValueError`) for a `value` outside
    /// 0..=7, or any non-zero `value` with [`IoPriorityClass::None`] or
    /// [`IoPriorityClass::Idle`], before anything is done; then the [action
    /// rules](crate::process#errors) (`ioprio_set(2)`; [`Error::AccessDenied`]
    /// for the realtime class without privilege).
    pub fn set_ionice(&self, ioclass: IoPriorityClass, value: Option<i32>) -> Result<()> {
        let value = match ioclass {
            IoPriorityClass::None | IoPriorityClass::Idle => match value {
                None | Some(0) => 0,
                Some(_) => {
                    return Err(Error::invalid(format!(
                        "{} ioclass accepts no value",
                        ioclass.as_str()
                    )))
                }
            },
            IoPriorityClass::Realtime | IoPriorityClass::BestEffort => match value {
                None => 4,
                Some(v @ 0..=7) => v,
                Some(_) => {
                    return Err(Error::invalid(
                        "value argument range expected is between 0 and 7",
                    ))
                }
            },
        };
        self.act(|r| r.set_ionice(ioclass, value))
    }

    /// psutil's `rlimit(resource)`: (soft, hard), `None` meaning
    /// `RLIM_INFINITY`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`prlimit(2)`).
    pub fn rlimit(&self, resource: Resource) -> Result<Rlimit> {
        self.read(|r| r.rlimit(resource))
    }

    /// psutil's `rlimit(resource, (soft, hard))`.
    ///
    /// # Errors
    ///
    /// The [action rules](crate::process#errors) (`prlimit(2)`):
    /// [`Error::InvalidArgument`] when the soft limit exceeds the hard one,
    /// [`Error::AccessDenied`] for raising the hard limit without
    /// `CAP_SYS_RESOURCE`.
    pub fn set_rlimit(&self, resource: Resource, limits: Rlimit) -> Result<()> {
        self.act(|r| r.set_rlimit(resource, limits))
    }

    /// psutil's `cpu_affinity()`: the CPUs this process may run on, sorted.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`sched_getaffinity(2)`).
    pub fn cpu_affinity(&self) -> Result<Vec<u32>> {
        self.read(|r| r.cpu_affinity())
    }

    /// psutil's `cpu_affinity(cpus)`. An empty list means every CPU the
    /// system has online. Unknown CPUs are refused with psutil's message.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] (psutil's `ValueError`) for a CPU that is not
    /// online, before anything is done; then the [action
    /// rules](crate::process#errors) (`sched_setaffinity(2)`).
    pub fn set_cpu_affinity(&self, cpus: &[u32]) -> Result<()> {
        let all: Vec<u32> = (0..backend::online_cpus().unwrap_or(1) as u32).collect();
        let cpus: Vec<u32> = if cpus.is_empty() {
            all.clone()
        } else {
            cpus.to_vec()
        };
        if let Some(bad) = cpus.iter().find(|c| !all.contains(c)) {
            return Err(Error::invalid(format!(
                "invalid CPU {bad}; choose between {all:?}"
            )));
        }
        self.act(|r| r.set_cpu_affinity(&cpus))
    }

    /// psutil's `cpu_num()`: the CPU this process last ran on.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`).
    pub fn cpu_num(&self) -> Result<u32> {
        self.read(|r| r.cpu_num())
    }

    /// psutil's `io_counters()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/io`):
    /// [`Error::AccessDenied`] for another user's process without privilege.
    pub fn io_counters(&self) -> Result<IoCounters> {
        self.read(|r| r.io_counters())
    }

    /// psutil's `num_ctx_switches()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/status`; kind
    /// `InvalidData` when it lacks the switch lines).
    pub fn num_ctx_switches(&self) -> Result<NumCtxSwitches> {
        self.read(|r| r.num_ctx_switches())
    }

    /// psutil's `num_fds()`: open file descriptors. Counts are `u64`
    /// throughout, as the kernel's counters are.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/fd`):
    /// [`Error::AccessDenied`] for another user's process without privilege.
    pub fn num_fds(&self) -> Result<u64> {
        self.read(|r| r.num_fds())
    }

    /// psutil's `num_threads()`: threads in this process.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`).
    pub fn num_threads(&self) -> Result<u64> {
        self.read(|r| r.num_threads())
    }

    /// psutil's `threads()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/task`); threads
    /// that end meanwhile are skipped.
    pub fn threads(&self) -> Result<Vec<ThreadInfo>> {
        self.read(|r| r.threads())
    }

    /// Not in psutil: this process's `/proc/PID/stat` as one record (state,
    /// parent, name, CPU ticks, threads, start time, memory sizes); in a
    /// oneshot batch, the batch's read, so a monitor takes every `stat`
    /// field it shows from one call. (Its RSS is the kernel's estimate: see
    /// [`ProcStat::rss`].)
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`).
    pub fn proc_stat(&self) -> Result<ProcStat> {
        self.read(|r| r.stat().map(|s| ProcStat::from(s.clone())))
    }

    /// psutil's `cpu_times()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/stat`).
    pub fn cpu_times(&self) -> Result<ProcessCpuTimes> {
        self.read(|r| r.cpu_times())
    }

    /// psutil's `cpu_percent(interval)`: percent of one CPU used (can exceed
    /// 100 on several CPUs). `None` or zero compares with the previous call
    /// on this handle (the first such call returns 0.0); a positive
    /// interval blocks and measures over it.
    ///
    /// # Errors
    ///
    /// As [`Process::cpu_times`].
    pub fn cpu_percent(&self, interval: Option<Duration>) -> Result<f64> {
        let sample = |p: &Process| -> Result<(Instant, f64)> {
            let t = p.cpu_times()?;
            Ok((Instant::now(), t.user + t.system))
        };
        let (start, now) = match interval.filter(|d| !d.is_zero()) {
            Some(d) => {
                let a = sample(self)?;
                std::thread::sleep(d);
                (Some(a), sample(self)?)
            }
            None => {
                let now = sample(self)?;
                let prev = self.lock().last_cpu;
                (prev, now)
            }
        };
        self.lock().last_cpu = Some(now);
        let Some((t0, c0)) = start else {
            return Ok(0.0);
        };
        let wall = now.0.duration_since(t0).as_secs_f64();
        if wall <= 0.0 {
            return Ok(0.0);
        }
        Ok(crate::pyround::round((now.1 - c0) / wall * 100.0, 1))
    }

    /// psutil's `memory_info()`.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/statm`, or
    /// `status` inside a oneshot batch).
    pub fn memory_info(&self) -> Result<MemoryInfo> {
        self.read(|r| r.memory_info())
    }

    /// psutil's `memory_full_info()`: adds uss, pss and swap.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`statm` and `smaps_rollup`,
    /// else `smaps`): [`Error::AccessDenied`] for another user's process
    /// without privilege.
    pub fn memory_full_info(&self) -> Result<MemoryFullInfo> {
        self.read(|r| r.memory_full_info())
    }

    /// psutil's `memory_percent(memtype)`: one field of
    /// `memory_full_info`, as a percentage of total physical memory. The
    /// basic types read only `memory_info`; USS, PSS and swap read only
    /// `memory_full_info`.
    ///
    /// # Errors
    ///
    /// The errors of [`Process::memory_info`] (or [`Process::memory_full_info`]
    /// for the USS, PSS and swap types), and [`Error::Io`] when
    /// `PROCFS_PATH/meminfo` cannot be read for the total.
    pub fn memory_percent(&self, memtype: MemoryType) -> Result<f64> {
        // One read, chosen by the type: the full read includes the basic
        // one, so trying the basic one first would read `statm` twice.
        let full_only = matches!(
            memtype,
            MemoryType::Uss | MemoryType::Pss | MemoryType::Swap
        );
        let value = if full_only {
            memtype.of_full(&self.memory_full_info()?)
        } else {
            // `of_basic` has every other type.
            memtype.of_basic(&self.memory_info()?).unwrap_or_default()
        };
        let total = crate::memory::total_memory()?;
        if total == 0 {
            return Ok(0.0);
        }
        Ok(value as f64 / total as f64 * 100.0)
    }

    /// psutil's `memory_maps(grouped=True)`: mappings summed by path.
    ///
    /// # Errors
    ///
    /// As [`Process::memory_maps_ungrouped`].
    pub fn memory_maps(&self) -> Result<Vec<MemoryMapGrouped>> {
        self.read(|r| r.memory_maps_grouped())
    }

    /// psutil's `memory_maps(grouped=False)`: every mapping.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/smaps`):
    /// [`Error::AccessDenied`] for another user's process without privilege,
    /// [`Error::ZombieProcess`] for a zombie (whose `smaps` is empty).
    pub fn memory_maps_ungrouped(&self) -> Result<Vec<MemoryMap>> {
        self.read(|r| r.memory_maps())
    }

    /// psutil's `open_files()`: regular files this process has open.
    ///
    /// # Errors
    ///
    /// The [getter rules](crate::process#errors) (`/proc/PID/fd` and `fdinfo`):
    /// [`Error::AccessDenied`] for another user's process without privilege.
    /// Descriptors closed meanwhile are skipped.
    pub fn open_files(&self) -> Result<Vec<OpenFile>> {
        self.read(|r| r.open_files())
    }

    /// psutil's `net_connections(kind)`: the sockets this process holds
    /// (psutil's `pconn`, an `sconn` without the pid). See
    /// [`crate::net::net_connections`] for the fields.
    ///
    /// A descriptor table of 512 entries or more is read with helper
    /// threads ([`Threads::Auto`](crate::Threads::Auto));
    /// [`Process::net_connections_with`] can keep it on the calling thread.
    ///
    /// # Errors
    ///
    /// [`Error::AccessDenied`] when `/proc/PID/fd` cannot be read;
    /// [`Error::NoSuchProcess`] when the process is gone, with
    /// [`GoneReason::PidReused`] when its PID now names another process
    /// (checked again at the end, as psutil does); [`Error::Io`] when a
    /// socket table cannot be read, as [`crate::net::net_connections`].
    pub fn net_connections(
        &self,
        kind: crate::net::ConnectionKind,
    ) -> Result<Vec<crate::net::ProcessConnection>> {
        self.net_connections_with(kind, crate::Threads::Auto)
    }

    /// [`Process::net_connections`] with a choice of threads (see
    /// [`Threads`](crate::Threads)): [`Threads::Caller`](crate::Threads::Caller)
    /// reads every descriptor on the calling thread. Not in psutil. The
    /// result is the same.
    ///
    /// # Errors
    ///
    /// As [`Process::net_connections`].
    pub fn net_connections_with(
        &self,
        kind: crate::net::ConnectionKind,
        threads: crate::Threads,
    ) -> Result<Vec<crate::net::ProcessConnection>> {
        let name = || self.lock().name.clone();
        let conns = crate::net::process_connections(kind, self.pid, self.start_ticks, threads)
            .map_err(|e| e.with_name(name().as_deref()))?;
        self.check_identity()?;
        Ok(conns)
    }

    /// psutil's `send_signal(sig)`. Race-free: delivered with
    /// `pidfd_send_signal` through an fd verified to be this process.
    /// Signalling a zombie succeeds and does nothing.
    ///
    /// # Errors
    ///
    /// The [action rules](crate::process#errors); a zombie accepts signals, so
    /// this never returns [`Error::ZombieProcess`].
    pub fn send_signal(&self, sig: Signal) -> Result<()> {
        let dir = self.open_verified()?;
        dir.send_signal(self.pid, sig.as_raw()).map_err(|e| {
            process_error(self.pid, Target::Signal, e).with_name(self.lock().name.as_deref())
        })
    }

    /// psutil's `suspend()` (SIGSTOP).
    ///
    /// # Errors
    ///
    /// As [`Process::send_signal`].
    pub fn suspend(&self) -> Result<()> {
        self.send_signal(Signal::SIGSTOP)
    }

    /// psutil's `resume()` (SIGCONT).
    ///
    /// # Errors
    ///
    /// As [`Process::send_signal`].
    pub fn resume(&self) -> Result<()> {
        self.send_signal(Signal::SIGCONT)
    }

    /// psutil's `terminate()` (SIGTERM).
    ///
    /// # Errors
    ///
    /// As [`Process::send_signal`].
    pub fn terminate(&self) -> Result<()> {
        self.send_signal(Signal::SIGTERM)
    }

    /// psutil's `kill()` (SIGKILL).
    ///
    /// # Errors
    ///
    /// As [`Process::send_signal`].
    pub fn kill(&self) -> Result<()> {
        self.send_signal(Signal::SIGKILL)
    }

    /// psutil's `wait(timeout)`: waits for the process to end.
    ///
    /// For a child of the caller, returns its exit code, or minus the
    /// signal number that killed it (psutil's `Negsignal`). For any other
    /// process returns `None` once it exited. `TimeoutExpired` when the
    /// timeout passes first; `Some(Duration::ZERO)` only polls. The result
    /// is remembered: later calls return it at once.
    ///
    /// Only this process is ever reaped: a child already reaped elsewhere
    /// (e.g. by `Child::wait`) gives `None`, and its PID, which may name a
    /// new child by then, is left alone.
    ///
    /// # Errors
    ///
    /// [`Error::TimeoutExpired`] when `timeout` passes first; [`Error::Io`] (no
    /// path) if `ppoll(2)`, `waitid(2)` or `waitpid(2)` fails unexpectedly. A
    /// process that is already gone is not an error: it ended.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<Option<i32>> {
        if let Some(code) = self.lock().exit_code {
            return Ok(code);
        }
        let code = wait::wait_exit(self, timeout)?;
        let mut g = self.lock();
        g.exit_code = Some(code);
        g.gone = true;
        Ok(code)
    }

    /// psutil's exact `wait(timeout)` rule: [`Process::wait`], except that
    /// a process that is not a child of the caller counts as ended only
    /// once it is gone from `/proc` (its parent reaped it), so a zombie
    /// keeps this waiting. `timeout` covers both parts.
    ///
    /// # Errors
    ///
    /// As [`Process::wait`]; the timeout also covers waiting for the reap.
    pub fn wait_reaped(&self, timeout: Option<Duration>) -> Result<Option<i32>> {
        let start = Instant::now();
        let code = self.wait(timeout)?;
        if code.is_none() {
            wait::until_reaped(self, start, timeout)?;
        }
        Ok(code)
    }

    /// psutil's `as_dict(attrs)`: the requested attributes in one oneshot
    /// batch. `AccessDenied` and `ZombieProcess` leave the field `None`
    /// (psutil's `ad_value`) and mark it in [`ProcessInfo::denied`];
    /// `NoSuchProcess` is returned as an error. `net_connections` reads a
    /// long descriptor table with helper threads
    /// ([`Threads::Auto`](crate::Threads::Auto)).
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchProcess`] when the process is gone, and any [`Error::Io`]
    /// or [`Error::InvalidArgument`] an attribute's getter returns.
    /// [`Error::AccessDenied`] and [`Error::ZombieProcess`] are never returned:
    /// they go to [`ProcessInfo::denied`].
    pub fn as_dict(&self, attrs: &[Attr]) -> Result<ProcessInfo> {
        iter::collect_info(self, attrs, crate::Threads::Auto)
    }
}
