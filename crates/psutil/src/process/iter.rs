//! `process_iter()` and `as_dict()`: many attributes of many processes,
//! each `/proc` file read once per process.
//!
//! [`Attr`] names psutil's `as_dict` attributes. [`ProcessInfo`] holds one
//! typed field per attribute; unrequested fields stay `None`, and fields
//! the kernel refused (`AccessDenied`, `ZombieProcess`) are `None` and
//! listed in [`ProcessInfo::denied`] (psutil's `ad_value`).
//!
//! One table, the `attrs!` invocation below, gives each attribute its
//! `Attr` variant, psutil name, `ProcessInfo` field, the `Process` getter
//! its batch calls and how it serializes. Adding an attribute means one
//! line there plus its getter; the Python binding's conversion
//! (`psutil-py`'s `values.rs`) and, for a new psutil namedtuple, its field
//! list are the only other places.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

use super::types::*;
use super::Process;
use crate::forksafe::ForkMutex;
use crate::parallel;
use crate::platform::imp::{self, process as backend};
use crate::{ByRoot, Error, Result, Threads};

/// Generates [`Attr`], [`ProcessInfo`], the batch's `fill` and the
/// serializer from one table. Each row is
/// `Variant "name" field: Type = |p| getter [=> serializer];`, or
/// `|p, threads| getter` for a getter that takes the listing's [`Threads`];
/// `pid` sits at `@pid` (psutil's alphabetical place) and is always filled.
macro_rules! attrs {
    (
        $($(#[$ma:meta])* $a:ident $na:literal $fa:ident: $ta:ty = |$pa:ident $(, $tha:ident)?| $ga:expr $(=> $sa:expr)?;)*
        @pid
        $($(#[$mb:meta])* $b:ident $nb:literal $fb:ident: $tb:ty = |$pb:ident $(, $thb:ident)?| $gb:expr $(=> $sb:expr)?;)*
    ) => {
        /// One of psutil's `as_dict()` / `process_iter(attrs)` attribute names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Attr {
            $(#[doc = concat!("`", $na, "`")] $a,)*
            /// `pid`
            Pid,
            $(#[doc = concat!("`", $nb, "`")] $b,)*
        }

        impl Attr {
            /// Every attribute, in psutil's (alphabetical) order.
            pub const ALL: &'static [Attr] = &[$(Attr::$a,)* Attr::Pid, $(Attr::$b,)*];

            /// psutil's name for this attribute.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Attr::$a => $na,)*
                    Attr::Pid => "pid",
                    $(Attr::$b => $nb,)*
                }
            }
        }

        /// psutil's `as_dict()` result, typed: one field per [`Attr`],
        /// `None` when not requested or refused (see the module docs).
        #[derive(Debug, Clone, Default)]
        #[non_exhaustive]
        pub struct ProcessInfo {
            /// `pid`, always there.
            pub pid: u32,
            $(#[doc = concat!("psutil's `", $na, "`: what the `Process` getter of that name returns, in its units; `None` when not requested, or refused and listed in [`denied`](ProcessInfo::denied).")] #[doc = ""] $(#[$ma])* pub $fa: Option<$ta>,)*
            $(#[doc = concat!("psutil's `", $nb, "`: what the `Process` getter of that name returns, in its units; `None` when not requested, or refused and listed in [`denied`](ProcessInfo::denied).")] #[doc = ""] $(#[$mb])* pub $fb: Option<$tb>,)*
            /// The attributes that were asked for, in the order given.
            pub requested: Vec<Attr>,
            /// Requested attributes the kernel refused (AccessDenied/ZombieProcess).
            pub denied: Vec<Attr>,
        }

        /// Reads one attribute of `p` into its field; a getter that can
        /// start threads uses `threads`.
        fn fill(p: &Process, attr: Attr, threads: Threads, i: &mut ProcessInfo) -> Result<()> {
            match attr {
                $(Attr::$a => {
                    let get: fn(&Process, Threads) -> Result<$ta> = |$pa, _threads| {
                        $(let $tha = _threads;)?
                        $ga
                    };
                    i.$fa = Some(get(p, threads)?);
                })*
                Attr::Pid => {}
                $(Attr::$b => {
                    let get: fn(&Process, Threads) -> Result<$tb> = |$pb, _threads| {
                        $(let $thb = _threads;)?
                        $gb
                    };
                    i.$fb = Some(get(p, threads)?);
                })*
            }
            Ok(())
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for ProcessInfo {
            /// psutil's `as_dict()` as a map: requested keys only, `null`
            /// where access was denied.
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(self.requested.len()))?;
                for &a in &self.requested {
                    let k = a.as_str();
                    match a {
                        $(Attr::$a => attrs!(@ser m, k, &self.$fa $(, $sa)?),)*
                        Attr::Pid => m.serialize_entry(k, &self.pid)?,
                        $(Attr::$b => attrs!(@ser m, k, &self.$fb $(, $sb)?),)*
                    }
                }
                m.end()
            }
        }
    };
    (@ser $m:ident, $k:ident, $v:expr) => {
        $m.serialize_entry($k, $v)?
    };
    (@ser $m:ident, $k:ident, $v:expr, $ser:expr) => {
        $m.serialize_entry($k, &$v.as_ref().map($ser))?
    };
}

/// Serializers for the exact-bytes fields: text, lossy where not UTF-8,
/// so that one odd name cannot fail a whole listing.
#[cfg(feature = "serde")]
mod lossy {
    use std::borrow::Cow;
    use std::collections::BTreeMap;
    use std::ffi::OsString;
    use std::path::PathBuf;

    pub fn os(v: &OsString) -> Cow<'_, str> {
        v.to_string_lossy()
    }

    pub fn args(v: &[OsString]) -> Vec<Cow<'_, str>> {
        v.iter().map(|a| a.to_string_lossy()).collect()
    }

    pub fn env(v: &BTreeMap<OsString, OsString>) -> BTreeMap<Cow<'_, str>, Cow<'_, str>> {
        v.iter()
            .map(|(k, v)| (k.to_string_lossy(), v.to_string_lossy()))
            .collect()
    }

    /// A hidden path (`None`) is psutil's `""`.
    pub fn path(v: &Option<PathBuf>) -> Cow<'_, str> {
        v.as_ref()
            .map_or(Cow::Borrowed(""), |p| p.to_string_lossy())
    }
}

attrs! {
    /// Exact bytes ([`Process::cmdline_os`]).
    Cmdline "cmdline" cmdline: Vec<OsString> = |p| p.cmdline_os() => |v| lossy::args(v);
    CpuAffinity "cpu_affinity" cpu_affinity: Vec<u32> = |p| p.cpu_affinity();
    CpuNum "cpu_num" cpu_num: u32 = |p| p.cpu_num();
    CpuPercent "cpu_percent" cpu_percent: f64 = |p| p.cpu_percent(None);
    CpuTimes "cpu_times" cpu_times: ProcessCpuTimes = |p| p.cpu_times();
    CreateTime "create_time" create_time: f64 = |p| p.create_time();
    /// `Some(None)`: requested, and the kernel hides it.
    Cwd "cwd" cwd: Option<PathBuf> = |p| p.cwd() => lossy::path;
    /// Exact bytes ([`Process::environ_os`]).
    Environ "environ" environ: BTreeMap<OsString, OsString> = |p| p.environ_os() => lossy::env;
    /// `Some(None)`: requested, and the kernel hides it.
    Exe "exe" exe: Option<PathBuf> = |p| p.exe() => lossy::path;
    Gids "gids" gids: Gids = |p| p.gids();
    IoCounters "io_counters" io_counters: IoCounters = |p| p.io_counters();
    Ionice "ionice" ionice: Ionice = |p| p.ionice();
    MemoryFullInfo "memory_full_info" memory_full_info: MemoryFullInfo = |p| p.memory_full_info();
    MemoryInfo "memory_info" memory_info: MemoryInfo = |p| p.memory_info();
    MemoryMaps "memory_maps" memory_maps: Vec<MemoryMapGrouped> = |p| p.memory_maps();
    MemoryPercent "memory_percent" memory_percent: f64 = |p| p.memory_percent(MemoryType::Rss);
    /// Exact bytes ([`Process::name_os`]).
    Name "name" name: OsString = |p| p.name_os() => lossy::os;
    /// psutil's `net_connections()` with its default kind, `"inet"`; a
    /// long descriptor table is read on the listing's threads.
    NetConnections "net_connections" net_connections: Vec<crate::net::ProcessConnection> =
        |p, threads| p.net_connections_with(crate::net::ConnectionKind::Inet, threads);
    Nice "nice" nice: i32 = |p| p.nice();
    NumCtxSwitches "num_ctx_switches" num_ctx_switches: NumCtxSwitches = |p| p.num_ctx_switches();
    NumFds "num_fds" num_fds: u64 = |p| p.num_fds();
    NumThreads "num_threads" num_threads: u64 = |p| p.num_threads();
    OpenFiles "open_files" open_files: Vec<OpenFile> = |p| p.open_files();
    @pid
    Ppid "ppid" ppid: u32 = |p| p.ppid();
    Status "status" status: Status = |p| p.status();
    /// `Some(None)`: requested, and the process has no terminal.
    Terminal "terminal" terminal: Option<String> = |p| p.terminal();
    Threads "threads" threads: Vec<ThreadInfo> = |p| p.threads();
    Uids "uids" uids: Uids = |p| p.uids();
    Username "username" username: String = |p| p.username();
}

impl std::str::FromStr for Attr {
    type Err = Error;

    /// Parses psutil's name; unknown names fail with psutil's message.
    fn from_str(s: &str) -> Result<Attr> {
        Attr::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| Error::invalid(format!("invalid attr name '{s}'")))
    }
}

psutil_names!(Attr);

/// Reads `attrs` of `p` in one oneshot batch; a getter that can start
/// threads (`net_connections`) uses `threads`.
pub(super) fn collect_info(p: &Process, attrs: &[Attr], threads: Threads) -> Result<ProcessInfo> {
    let _batch = p.oneshot();
    let mut info = ProcessInfo {
        pid: p.pid(),
        requested: attrs.to_vec(),
        ..ProcessInfo::default()
    };
    // Memory last: by then `status` is cached if another attribute needed
    // it, and memory_info can be taken from it instead of reading `statm`.
    let is_memory = |a: &Attr| matches!(a, Attr::MemoryInfo | Attr::MemoryFullInfo);
    let ordered = attrs
        .iter()
        .filter(|a| !is_memory(a))
        .chain(attrs.iter().filter(|a| is_memory(a)));
    for &attr in ordered {
        let r = fill(p, attr, threads, &mut info);
        match r {
            Ok(()) => {}
            Err(e) if e.is_access_denied() || e.is_zombie() => info.denied.push(attr),
            Err(e) => return Err(e),
        }
    }
    Ok(info)
}

/// One process of [`process_iter_with`], with its `as_dict` data
/// (psutil's `proc.info`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProcEntry {
    /// The handle, shared with the listing's cache.
    pub process: Arc<Process>,
    /// The requested attributes (see [`ProcessInfo`] for `None`).
    pub info: ProcessInfo,
}

/// psutil's `process_iter` with its own handle cache (psutil's `_pmap`).
///
/// Handles are kept between calls, so `cpu_percent(None)` measures since
/// the previous pass. Holds no file descriptors.
///
/// # Threads
///
/// A pass with attributes over many processes reads them on a few worker
/// threads (see [`ProcessIter::set_threads`]). Async runtimes and embedded
/// users that must not block or spawn should own a `ProcessIter` with
/// `set_threads(Threads::Caller)`, which keeps every read on the calling
/// thread (run it on a blocking-task thread: it reads `/proc`), and keep
/// their own state between passes, as [`crate::cpu::CpuPercent`] does for
/// system CPU: the module-wide [`process_iter`] shares one lock-protected
/// cache.
#[derive(Debug, Default)]
pub struct ProcessIter {
    cache: HashMap<u32, Arc<Process>>,
    threads: Threads,
    keep_stat_open: bool,
}

impl ProcessIter {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// psutil's `process_iter.cache_clear()`.
    pub fn cache_clear(&mut self) {
        self.cache.clear();
    }

    /// Keeps each listed process's `/proc/PID/stat` open for as long as
    /// its handle lives (not in psutil). For monitors that re-read the same
    /// processes every pass, as `psutil top` does: each `stat` read is then
    /// one `pread` instead of `open` + `read` + `close`, about a third less
    /// kernel time. It costs one descriptor per process; none is kept once
    /// the program's descriptors come within 64 of its `RLIMIT_NOFILE`
    /// (raise the soft limit to keep more). Content is as fresh as a new
    /// `open`: the kernel renders the file on every read.
    pub fn set_keep_stat_open(&mut self, on: bool) {
        self.keep_stat_open = on;
    }

    /// Where passes read (see [`Threads`]). [`Threads::Caller`] keeps
    /// every read on the calling thread (no worker threads at all). By
    /// default ([`Threads::Auto`]) a pass with attributes over 48 processes
    /// or more uses every CPU, up to 4: the work is almost all kernel time
    /// spent rendering `/proc` files, which scales with cores; a pass
    /// without attributes reads on the calling thread. The setting also
    /// applies inside each process's [`Attr::NetConnections`] read (see
    /// [`Process::net_connections_with`]).
    pub fn set_threads(&mut self, threads: Threads) {
        self.threads = threads;
    }

    /// psutil's `process_iter()` without `attrs`: one pass over every
    /// process in PID order, read whole into a `Vec` before it returns.
    /// Processes that vanish meanwhile are skipped. Reads one `stat` per
    /// process seen for the first time, on the calling thread.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when `PROCFS_PATH` cannot be listed. Processes that vanish
    /// meanwhile are skipped, not errors.
    pub fn iter(&mut self) -> Result<Vec<Arc<Process>>> {
        let entries = self.pass(None)?;
        Ok(entries.into_iter().map(|(p, _)| p).collect())
    }

    /// psutil's `process_iter(attrs)`: [`ProcessIter::iter`] with each
    /// process's `attrs` read in one oneshot batch. Pass [`Attr::ALL`] for
    /// every attribute (psutil's `attrs=[]`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when `PROCFS_PATH` cannot be listed, and any [`Error::Io`]
    /// or [`Error::InvalidArgument`] an attribute's getter returns (see
    /// [`Process::as_dict`]). Processes that vanish meanwhile are skipped;
    /// refused attributes are `None` in [`ProcessInfo`].
    pub fn iter_with(&mut self, attrs: &[Attr]) -> Result<Vec<ProcEntry>> {
        let entries = self.pass(Some(attrs))?;
        Ok(entries
            .into_iter()
            .filter_map(|(process, info)| {
                Some(ProcEntry {
                    process,
                    info: info?,
                })
            })
            .collect())
    }

    /// One pass; `info` is `Some` exactly when `attrs` is.
    fn pass(&mut self, attrs: Option<&[Attr]>) -> Result<Vec<Visited>> {
        let pids = backend::pids()?;
        let boot = imp::boot_time().ok();
        let work: Vec<(u32, Option<Arc<Process>>)> = pids
            .into_iter()
            .map(|pid| (pid, self.cache.remove(&pid)))
            .collect();
        let threads = self.threads.count(|| match attrs {
            Some(_) => parallel::listing_threads(work.len()),
            None => 1,
        });
        let out = if threads <= 1 {
            visit_all(&work, attrs, self.threads, boot)?
        } else {
            visit_parallel(&work, threads, attrs, self.threads, boot)?
        };
        if self.keep_stat_open {
            for (p, _) in &out {
                p.keep_stat_open();
            }
        }
        self.cache = out.iter().map(|(p, _)| (p.pid(), Arc::clone(p))).collect();
        Ok(out)
    }
}

/// A process of a pass, with its attributes when some were requested.
type Visited = (Arc<Process>, Option<ProcessInfo>);

/// Visits a run of PIDs in order: reuses or makes each handle and reads
/// `attrs` (with `nested`, the listing's setting, for getters that can
/// start threads); vanished processes are dropped.
fn visit_all(
    work: &[(u32, Option<Arc<Process>>)],
    attrs: Option<&[Attr]>,
    nested: Threads,
    boot: Option<f64>,
) -> Result<Vec<Visited>> {
    let mut out = Vec::with_capacity(work.len());
    for (pid, cached) in work {
        if let Some(entry) = visit(*pid, cached.clone(), attrs, nested, boot)? {
            out.push(entry);
        }
    }
    Ok(out)
}

/// [`visit_all`] on `threads` threads (the caller's included), taking
/// blocks of PIDs from a shared counter so that a run of costly processes
/// does not leave one thread waiting for the other.
fn visit_parallel(
    work: &[(u32, Option<Arc<Process>>)],
    threads: usize,
    attrs: Option<&[Attr]>,
    nested: Threads,
    boot: Option<f64>,
) -> Result<Vec<Visited>> {
    let blocks = parallel::stream(
        work.len(),
        parallel::LISTING_BLOCK,
        threads,
        |r| visit_all(&work[r], attrs, nested, boot),
        |blocks| {
            (0..blocks.count())
                .filter_map(|b| blocks.take(b))
                .collect::<Vec<_>>()
        },
    );
    let mut out = Vec::with_capacity(work.len());
    for entries in blocks {
        out.extend(entries?);
    }
    Ok(out)
}

fn visit(
    pid: u32,
    cached: Option<Arc<Process>>,
    attrs: Option<&[Attr]>,
    nested: Threads,
    boot: Option<f64>,
) -> Result<Option<Visited>> {
    let read = match (cached, attrs) {
        (None, None) => {
            return Ok(Process::new(pid).ok().map(|p| (Arc::new(p), None)));
        }
        (Some(process), None) => return Ok(Some((process, None))),
        // A new handle: its identity comes from the batch's own `stat`.
        (None, Some(a)) => {
            Process::new_with_info_at(pid, a, nested, boot).map(|(p, i)| (Arc::new(p), i))
        }
        (Some(p), Some(a)) => {
            if let Some(b) = boot {
                p.prime_create_time(b);
            }
            collect_info(&p, a, nested).map(|i| (p, i))
        }
    };
    match read {
        Ok((process, info)) => Ok(Some((process, Some(info)))),
        Err(e) if e.is_no_such_process() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The module-wide cache, emptied when the `/proc` root changes.
static GLOBAL: ForkMutex<ByRoot<ProcessIter>> = ForkMutex::new();

/// Runs `f` on the module-wide cache, filled under the roots in force.
fn with_global<R>(f: impl FnOnce(&mut ProcessIter) -> R) -> R {
    f(GLOBAL.lock(ByRoot::default).under(crate::procfs_path()))
}

/// psutil's `process_iter()`: every process, in PID order, as a `Vec` of
/// handles shared with one module-wide cache like psutil's (so
/// `cpu_percent(None)` measures since the previous pass; the cache
/// starts over when the `/proc` root changes, see [`crate::Roots`]). See
/// [`ProcessIter`] for a private cache and for keeping the work on the
/// calling thread.
///
/// ```
/// for p in psutil::process::process_iter()? {
///     println!("{} {}", p.pid(), p.name().unwrap_or_default());
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
///
/// # Errors
///
/// As [`ProcessIter::iter`].
pub fn process_iter() -> Result<Vec<Arc<Process>>> {
    with_global(ProcessIter::iter)
}

/// psutil's `process_iter(attrs)`: [`process_iter`] with each process's
/// `attrs` read in one batch; pass [`Attr::ALL`] for every attribute.
/// Attributes the kernel refused are `None` in the entry's `info` and
/// listed in [`ProcessInfo::denied`]. By default a long listing reads on a
/// few worker threads (see [`ProcessIter`]).
///
/// ```
/// use psutil::process::{process_iter_with, Attr};
///
/// let mut entries = process_iter_with(&[Attr::Name, Attr::MemoryInfo])?;
/// entries.sort_by_key(|e| std::cmp::Reverse(e.info.memory_info.map_or(0, |m| m.rss)));
/// for e in entries.iter().take(10) {
///     let name = e.info.name.as_deref().unwrap_or_default().to_string_lossy();
///     println!("{:>7} {name}", e.info.pid);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
///
/// # Errors
///
/// As [`ProcessIter::iter_with`].
pub fn process_iter_with(attrs: &[Attr]) -> Result<Vec<ProcEntry>> {
    with_global(|it| it.iter_with(attrs))
}

/// psutil's `process_iter.cache_clear()` for the module-wide cache.
pub fn process_iter_cache_clear() {
    with_global(ProcessIter::cache_clear);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::Status;
    use std::time::{Duration, Instant};

    /// `Threads::Caller` reaches the per-process socket read: a process
    /// with a descriptor table long enough to be split is read on the
    /// calling thread, by a listing and by `net_connections_with`.
    #[test]
    fn caller_threads_reach_net_connections() {
        use crate::net::ConnectionKind;
        use crate::parallel::tests::threads_spawned_by;
        // 600 descriptors: past the 512 from which one table is split.
        let socks: Vec<_> = (0..300)
            .map(|_| std::os::unix::net::UnixStream::pair().unwrap())
            .collect();
        let me = std::process::id();
        let p = Process::current().unwrap();
        // The table is split when threads are allowed, so the checks below
        // are not vacuous.
        let (_, split) =
            threads_spawned_by(|| p.net_connections_with(ConnectionKind::All, Threads::Fixed(2)));
        assert!(split > 0);
        let (conns, spawned) =
            threads_spawned_by(|| p.net_connections_with(ConnectionKind::Unix, Threads::Caller));
        assert!(conns.unwrap().len() >= 600);
        assert_eq!(spawned, 0, "Process::net_connections_with(Caller)");
        let mut it = ProcessIter::new();
        it.set_threads(Threads::Caller);
        let (entries, spawned) = threads_spawned_by(|| it.iter_with(&[Attr::NetConnections]));
        let entries = entries.unwrap();
        assert!(entries
            .iter()
            .any(|e| e.info.pid == me && e.info.net_connections.is_some()));
        assert_eq!(spawned, 0, "ProcessIter with Threads::Caller");
        drop(socks);
    }

    #[test]
    fn kept_stat_is_read_fresh_and_let_go_once_reaped() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut it = ProcessIter::new();
        it.set_keep_stat_open(true);
        let p = it
            .iter()
            .unwrap()
            .into_iter()
            .find(|p| p.pid() == pid)
            .unwrap();
        assert_ne!(p.status().unwrap(), Status::Stopped);
        assert!(p.lock().reader.has_kept_stat());
        p.send_signal(crate::process::Signal::SIGSTOP).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while p.status().unwrap() != Status::Stopped {
            assert!(
                Instant::now() < deadline,
                "the kept stat never showed the stop"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(p.lock().reader.has_kept_stat());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(p.status().unwrap_err().is_no_such_process());
        assert!(!p.lock().reader.has_kept_stat());
    }

    #[test]
    fn every_threads_choice_lists_this_process_alike() {
        let me = std::process::id();
        for t in [
            Threads::Auto,
            Threads::Caller,
            Threads::Fixed(0),
            Threads::Fixed(3),
        ] {
            let mut it = ProcessIter::new();
            it.set_threads(t);
            let entries = it.iter_with(&[Attr::Ppid, Attr::Name]).unwrap();
            assert!(entries.windows(2).all(|w| w[0].info.pid < w[1].info.pid));
            let e = entries.iter().find(|e| e.info.pid == me).unwrap();
            assert_eq!(e.info.ppid, Some(std::os::unix::process::parent_id()));
        }
        assert_eq!(Threads::Fixed(0).count(|| 4), 1);
        assert_eq!(Threads::Caller.count(|| 4), 1);
        assert_eq!(Threads::Auto.count(|| 4), 4);
    }
}
