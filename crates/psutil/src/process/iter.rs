//! `process_iter()` and `as_dict()`: many attributes of many processes,
//! each `/proc` file read once per process.
//!
//! [`Attr`] names psutil's `as_dict` attributes. [`ProcessInfo`] holds one
//! typed field per attribute; unrequested fields stay `None`, and fields
//! the kernel refused (`AccessDenied`, `ZombieProcess`) are `None` and
//! listed in [`ProcessInfo::denied`] (psutil's `ad_value`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::types::*;
use super::Process;
use crate::forksafe::ForkMutex;
use crate::parallel;
use crate::platform::imp::procfs;
use crate::{Error, Result};

macro_rules! attrs {
    ($($variant:ident => $name:literal,)*) => {
        /// One of psutil's `as_dict()` / `process_iter(attrs)` attribute names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Attr { $(#[doc = concat!("`", $name, "`")] $variant,)* }

        impl Attr {
            /// Every attribute, in psutil's (alphabetical) order.
            pub const ALL: &'static [Attr] = &[$(Attr::$variant,)*];

            /// psutil's name for this attribute.
            pub fn name(self) -> &'static str {
                match self { $(Attr::$variant => $name,)* }
            }
        }
    };
}

attrs! {
    Cmdline => "cmdline",
    CpuAffinity => "cpu_affinity",
    CpuNum => "cpu_num",
    CpuPercent => "cpu_percent",
    CpuTimes => "cpu_times",
    CreateTime => "create_time",
    Cwd => "cwd",
    Environ => "environ",
    Exe => "exe",
    Gids => "gids",
    IoCounters => "io_counters",
    Ionice => "ionice",
    MemoryFullInfo => "memory_full_info",
    MemoryInfo => "memory_info",
    MemoryMaps => "memory_maps",
    MemoryPercent => "memory_percent",
    Name => "name",
    NetConnections => "net_connections",
    Nice => "nice",
    NumCtxSwitches => "num_ctx_switches",
    NumFds => "num_fds",
    NumThreads => "num_threads",
    OpenFiles => "open_files",
    Pid => "pid",
    Ppid => "ppid",
    Status => "status",
    Terminal => "terminal",
    Threads => "threads",
    Uids => "uids",
    Username => "username",
}

impl std::str::FromStr for Attr {
    type Err = Error;

    /// Parses psutil's name; unknown names fail with psutil's message.
    fn from_str(s: &str) -> Result<Attr> {
        Attr::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| Error::invalid(format!("invalid attr name '{s}'")))
    }
}

/// psutil's `as_dict()` result, typed. See the module docs for `None`.
#[derive(Debug, Clone, Default)]
pub struct ProcessInfo {
    pub pid: u32,
    pub cmdline: Option<Vec<String>>,
    pub cpu_affinity: Option<Vec<u32>>,
    pub cpu_num: Option<u32>,
    pub cpu_percent: Option<f64>,
    pub cpu_times: Option<CpuTimes>,
    pub create_time: Option<f64>,
    pub cwd: Option<String>,
    pub environ: Option<BTreeMap<String, String>>,
    pub exe: Option<String>,
    pub gids: Option<Gids>,
    pub io_counters: Option<IoCounters>,
    pub ionice: Option<IoNice>,
    pub memory_full_info: Option<MemoryFullInfo>,
    pub memory_info: Option<MemoryInfo>,
    pub memory_maps: Option<Vec<MemoryMapGrouped>>,
    pub memory_percent: Option<f64>,
    pub name: Option<String>,
    /// psutil's `net_connections()` with its default kind, `"inet"`.
    pub net_connections: Option<Vec<crate::net::ProcessConnection>>,
    pub nice: Option<i32>,
    pub num_ctx_switches: Option<NumCtxSwitches>,
    pub num_fds: Option<usize>,
    pub num_threads: Option<u64>,
    pub open_files: Option<Vec<OpenFile>>,
    pub ppid: Option<u32>,
    pub status: Option<Status>,
    /// `Some(None)`: requested, and the process has no terminal.
    pub terminal: Option<Option<String>>,
    pub threads: Option<Vec<ThreadInfo>>,
    pub uids: Option<Uids>,
    pub username: Option<String>,
    /// The attributes that were asked for, in the order given.
    pub requested: Vec<Attr>,
    /// Requested attributes the kernel refused (AccessDenied/ZombieProcess).
    pub denied: Vec<Attr>,
}

/// Reads `attrs` of `p` in one oneshot batch.
pub(super) fn collect_info(p: &Process, attrs: &[Attr]) -> Result<ProcessInfo> {
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
        let r = fill(p, attr, &mut info);
        match r {
            Ok(()) => {}
            Err(e) if e.is_access_denied() || e.is_zombie() => info.denied.push(attr),
            Err(e) => return Err(e),
        }
    }
    Ok(info)
}

fn fill(p: &Process, attr: Attr, i: &mut ProcessInfo) -> Result<()> {
    match attr {
        Attr::Cmdline => i.cmdline = Some(p.cmdline()?),
        Attr::CpuAffinity => i.cpu_affinity = Some(p.cpu_affinity()?),
        Attr::CpuNum => i.cpu_num = Some(p.cpu_num()?),
        Attr::CpuPercent => i.cpu_percent = Some(p.cpu_percent(None)?),
        Attr::CpuTimes => i.cpu_times = Some(p.cpu_times()?),
        Attr::CreateTime => i.create_time = Some(p.create_time()?),
        Attr::Cwd => i.cwd = Some(p.cwd()?),
        Attr::Environ => i.environ = Some(p.environ()?),
        Attr::Exe => i.exe = Some(p.exe()?),
        Attr::Gids => i.gids = Some(p.gids()?),
        Attr::IoCounters => i.io_counters = Some(p.io_counters()?),
        Attr::Ionice => i.ionice = Some(p.ionice()?),
        Attr::MemoryFullInfo => i.memory_full_info = Some(p.memory_full_info()?),
        Attr::MemoryInfo => i.memory_info = Some(p.memory_info()?),
        Attr::MemoryMaps => i.memory_maps = Some(p.memory_maps()?),
        Attr::MemoryPercent => i.memory_percent = Some(p.memory_percent("rss")?),
        Attr::Name => i.name = Some(p.name()?),
        Attr::NetConnections => {
            i.net_connections = Some(p.net_connections(crate::net::ConnectionKind::Inet)?)
        }
        Attr::Nice => i.nice = Some(p.nice()?),
        Attr::NumCtxSwitches => i.num_ctx_switches = Some(p.num_ctx_switches()?),
        Attr::NumFds => i.num_fds = Some(p.num_fds()?),
        Attr::NumThreads => i.num_threads = Some(p.num_threads()?),
        Attr::OpenFiles => i.open_files = Some(p.open_files()?),
        Attr::Pid => {}
        Attr::Ppid => i.ppid = Some(p.ppid()?),
        Attr::Status => i.status = Some(p.status()?),
        Attr::Terminal => i.terminal = Some(p.terminal()?),
        Attr::Threads => i.threads = Some(p.threads()?),
        Attr::Uids => i.uids = Some(p.uids()?),
        Attr::Username => i.username = Some(p.username()?),
    }
    Ok(())
}

#[cfg(feature = "serde")]
impl serde::Serialize for ProcessInfo {
    /// psutil's `as_dict()` as a map: requested keys only, `null` where
    /// access was denied.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.requested.len()))?;
        for &a in &self.requested {
            let k = a.name();
            match a {
                Attr::Cmdline => m.serialize_entry(k, &self.cmdline)?,
                Attr::CpuAffinity => m.serialize_entry(k, &self.cpu_affinity)?,
                Attr::CpuNum => m.serialize_entry(k, &self.cpu_num)?,
                Attr::CpuPercent => m.serialize_entry(k, &self.cpu_percent)?,
                Attr::CpuTimes => m.serialize_entry(k, &self.cpu_times)?,
                Attr::CreateTime => m.serialize_entry(k, &self.create_time)?,
                Attr::Cwd => m.serialize_entry(k, &self.cwd)?,
                Attr::Environ => m.serialize_entry(k, &self.environ)?,
                Attr::Exe => m.serialize_entry(k, &self.exe)?,
                Attr::Gids => m.serialize_entry(k, &self.gids)?,
                Attr::IoCounters => m.serialize_entry(k, &self.io_counters)?,
                Attr::Ionice => m.serialize_entry(k, &self.ionice)?,
                Attr::MemoryFullInfo => m.serialize_entry(k, &self.memory_full_info)?,
                Attr::MemoryInfo => m.serialize_entry(k, &self.memory_info)?,
                Attr::MemoryMaps => m.serialize_entry(k, &self.memory_maps)?,
                Attr::MemoryPercent => m.serialize_entry(k, &self.memory_percent)?,
                Attr::Name => m.serialize_entry(k, &self.name)?,
                Attr::NetConnections => m.serialize_entry(k, &self.net_connections)?,
                Attr::Nice => m.serialize_entry(k, &self.nice)?,
                Attr::NumCtxSwitches => m.serialize_entry(k, &self.num_ctx_switches)?,
                Attr::NumFds => m.serialize_entry(k, &self.num_fds)?,
                Attr::NumThreads => m.serialize_entry(k, &self.num_threads)?,
                Attr::OpenFiles => m.serialize_entry(k, &self.open_files)?,
                Attr::Pid => m.serialize_entry(k, &self.pid)?,
                Attr::Ppid => m.serialize_entry(k, &self.ppid)?,
                Attr::Status => m.serialize_entry(k, &self.status)?,
                Attr::Terminal => m.serialize_entry(k, &self.terminal.clone().flatten())?,
                Attr::Threads => m.serialize_entry(k, &self.threads)?,
                Attr::Uids => m.serialize_entry(k, &self.uids)?,
                Attr::Username => m.serialize_entry(k, &self.username)?,
            }
        }
        m.end()
    }
}

/// One process yielded by [`process_iter`], with its `as_dict` data when
/// attributes were requested (psutil's `proc.info`).
#[derive(Debug, Clone)]
pub struct ProcEntry {
    pub process: Arc<Process>,
    pub info: Option<ProcessInfo>,
}

/// psutil's `process_iter` with its own handle cache (psutil's `_pmap`).
///
/// Handles are kept between calls, so `cpu_percent(None)` measures since
/// the previous pass. Holds no file descriptors.
#[derive(Debug, Default)]
pub struct ProcessIter {
    cache: HashMap<u32, Arc<Process>>,
    threads: Option<usize>,
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

    /// Reads attributes on up to `n` threads (1 = the calling thread only).
    /// By default a listing with attributes uses every CPU, up to 4: the
    /// work is almost all kernel time spent rendering `/proc` files, which
    /// scales with cores.
    pub fn set_threads(&mut self, n: usize) {
        self.threads = Some(n.max(1));
    }

    /// One pass over every process in PID order. With `attrs`, each entry
    /// carries `info` (`Some(&[])` means every attribute, as psutil's
    /// `attrs=[]`). Processes that vanish meanwhile are skipped.
    pub fn iter(&mut self, attrs: Option<&[Attr]>) -> Result<Vec<ProcEntry>> {
        let pids = procfs::pids()?;
        let boot = procfs::boot_time().ok();
        let attrs: Option<&[Attr]> = match attrs {
            Some([]) => Some(Attr::ALL),
            a => a,
        };
        let work: Vec<(u32, Option<Arc<Process>>)> = pids
            .into_iter()
            .map(|pid| (pid, self.cache.remove(&pid)))
            .collect();
        let threads = match (attrs, self.threads) {
            (_, Some(n)) => n,
            (Some(_), None) => parallel::listing_threads(work.len()),
            _ => 1,
        };
        let out: Vec<ProcEntry> = if threads <= 1 {
            visit_all(&work, attrs, boot)?
        } else {
            visit_parallel(&work, threads, attrs, boot)?
        };
        if self.keep_stat_open {
            for e in &out {
                e.process.keep_stat_open();
            }
        }
        self.cache = out
            .iter()
            .map(|e| (e.process.pid(), Arc::clone(&e.process)))
            .collect();
        Ok(out)
    }
}

/// Visits a run of PIDs in order: reuses or makes each handle and reads
/// `attrs`; vanished processes are dropped.
fn visit_all(
    work: &[(u32, Option<Arc<Process>>)],
    attrs: Option<&[Attr]>,
    boot: Option<f64>,
) -> Result<Vec<ProcEntry>> {
    let mut out = Vec::with_capacity(work.len());
    for (pid, cached) in work {
        if let Some(entry) = visit(*pid, cached.clone(), attrs, boot)? {
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
    boot: Option<f64>,
) -> Result<Vec<ProcEntry>> {
    let blocks = parallel::stream(
        work.len(),
        parallel::LISTING_BLOCK,
        threads,
        |r| visit_all(&work[r], attrs, boot),
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
    boot: Option<f64>,
) -> Result<Option<ProcEntry>> {
    let read = match (cached, attrs) {
        (None, None) => match Process::new(pid) {
            Ok(p) => {
                return Ok(Some(ProcEntry {
                    process: Arc::new(p),
                    info: None,
                }))
            }
            Err(_) => return Ok(None),
        },
        (Some(process), None) => {
            return Ok(Some(ProcEntry {
                process,
                info: None,
            }))
        }
        // A new handle: its identity comes from the batch's own `stat`.
        (None, Some(a)) => Process::new_with_info_at(pid, a, boot).map(|(p, i)| (Arc::new(p), i)),
        (Some(p), Some(a)) => {
            if let Some(b) = boot {
                p.prime_create_time(b);
            }
            collect_info(&p, a).map(|i| (p, i))
        }
    };
    match read {
        Ok((process, info)) => Ok(Some(ProcEntry {
            process,
            info: Some(info),
        })),
        Err(e) if e.is_no_such_process() => Ok(None),
        Err(e) => Err(e),
    }
}

static GLOBAL: ForkMutex<ProcessIter> = ForkMutex::new();

/// psutil's `process_iter(attrs)`, sharing one module-wide handle cache
/// like psutil. See [`ProcessIter`] for a private cache.
pub fn process_iter(attrs: Option<&[Attr]>) -> Result<Vec<ProcEntry>> {
    GLOBAL.lock(ProcessIter::new).iter(attrs)
}

/// psutil's `process_iter.cache_clear()` for the module-wide cache.
pub fn process_iter_cache_clear() {
    GLOBAL.lock(ProcessIter::new).cache_clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::Status;
    use std::time::{Duration, Instant};

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
            .iter(None)
            .unwrap()
            .into_iter()
            .find(|e| e.process.pid() == pid)
            .unwrap()
            .process;
        assert_ne!(p.status().unwrap(), Status::Stopped);
        assert!(p.lock().reader.has_kept_stat());
        p.send_signal(libc::SIGSTOP).unwrap();
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
}
