//! Per-process reads on Linux, with psutil's oneshot cache.
//!
//! [`ProcReader`] reads `/proc/PID/*` files by path. When caching is on
//! (inside `oneshot()`), `stat`, `status`, `statm` and `smaps` are parsed
//! once and reused by every getter; otherwise each call reads afresh.
//! Errors carry no process name: the public `Process` adds it.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use super::errno::{self, process_error, Class, Target};
use super::parse::{self, smaps::MapRecord, statm::Statm, status};
use super::procfs::{self, read_pid_file};
use super::sys;

// What the public `process` module uses as is.
pub(crate) use super::parse::stat::Stat;
pub(crate) use super::procfs::{clock_ticks, pids, StatScanner};
pub(crate) use super::sys::{online_cpus, poll_exit, try_reap, try_reap_pidfd, ProcDir, Reaped};
use crate::process::{
    Gids, IoCounters, IoPriorityClass, Ionice, MemoryFullInfo, MemoryInfo, MemoryMap,
    MemoryMapGrouped, NumCtxSwitches, OpenFile, ProcessCpuTimes, Resource, Rlimit, Status,
    ThreadInfo, Uids,
};
use crate::{Error, GoneReason, Result};

/// Files cached by `oneshot()`.
#[derive(Default)]
struct Cache {
    stat: Option<Stat>,
    status: Option<status::Status>,
    statm: Option<Statm>,
    smaps: Option<Vec<u8>>,
    creds: Option<sys::Creds>,
    /// Read by `name()`, handed over to the next `cmdline()`.
    cmdline: Option<Vec<Vec<u8>>>,
    /// Names in `fd/`: `num_fds()` and `open_files()` of one batch list
    /// the directory once.
    fd_names: Option<Vec<OsString>>,
}

/// Reads one process's `/proc` files.
pub(crate) struct ProcReader {
    pid: u32,
    caching: bool,
    cache: Cache,
    /// `stat` kept open between reads (see [`ProcReader::keep_stat_open`]).
    kept_stat: Option<Option<procfs::KeptFile>>,
}

/// Where `path` ends with `" (deleted)"` and no longer exists, drops the
/// suffix (psutil's rule for `exe`, `cwd` and `memory_maps`).
fn strip_deleted(path: PathBuf) -> PathBuf {
    const SUFFIX: &[u8] = b" (deleted)";
    let b = path.as_os_str().as_bytes();
    if b.ends_with(SUFFIX) && std::fs::symlink_metadata(&path).is_err() {
        PathBuf::from(OsStr::from_bytes(&b[..b.len() - SUFFIX.len()]))
    } else {
        path
    }
}

/// A memory-map row of either of psutil's shapes from the parser's
/// [`parse::smaps::MapSizes`]: the ten size fields (bytes) are the same in
/// both, so they are written once here.
macro_rules! map_row {
    ($t:ident { $($f:ident: $v:expr),* } sizes $sizes:expr) => {{
        let s = $sizes;
        $t {
            $($f: $v,)*
            rss: s.rss,
            size: s.size,
            pss: s.pss,
            shared_clean: s.shared_clean,
            shared_dirty: s.shared_dirty,
            private_clean: s.private_clean,
            private_dirty: s.private_dirty,
            referenced: s.referenced,
            anonymous: s.anonymous,
            swap: s.swap,
        }
    }};
}
impl ProcReader {
    pub(crate) fn new(pid: u32) -> Self {
        ProcReader {
            pid,
            caching: false,
            cache: Cache::default(),
            kept_stat: None,
        }
    }

    /// Turns the oneshot cache on (`true`) or off and empties it.
    pub(crate) fn set_caching(&mut self, on: bool) {
        self.caching = on;
        self.cache = Cache::default();
    }

    fn read<R>(&self, file: &str, parse: impl FnOnce(&[u8]) -> R) -> Result<R> {
        read_pid_file(self.pid, file, parse)
            .map_err(|e| process_error(self.pid, Target::File(file), e))
    }

    fn malformed(&self, file: &str) -> Error {
        procfs::with_pid_path(self.pid, file, |p| {
            Error::io(
                p,
                io::Error::new(io::ErrorKind::InvalidData, "malformed file"),
            )
        })
    }

    /// Maps an error of a syscall aimed at this process.
    fn sys_err(&self, e: io::Error) -> Error {
        process_error(self.pid, Target::Syscall, e)
    }

    /// `/proc/PID/stat`, parsed (cached in oneshot).
    /// Keeps `stat` open from the next read on: a monitor re-reading the
    /// same processes every pass does one `pread` per process instead of
    /// `open` + `read` + `close`.
    pub(crate) fn keep_stat_open(&mut self) {
        self.kept_stat.get_or_insert(None);
    }

    /// Whether a `stat` descriptor is kept open now.
    #[cfg(test)]
    pub(crate) fn has_kept_stat(&self) -> bool {
        matches!(self.kept_stat, Some(Some(_)))
    }

    pub(crate) fn stat(&mut self) -> Result<&Stat> {
        if !(self.caching && self.cache.stat.is_some()) {
            let read = match &mut self.kept_stat {
                Some(kept) => {
                    procfs::read_pid_file_kept(kept, self.pid, "stat", parse::stat::parse)
                        .map_err(|e| process_error(self.pid, Target::File("stat"), e))
                }
                None => self.read("stat", parse::stat::parse),
            };
            let s = read?.ok_or_else(|| self.malformed("stat"))?;
            self.cache.stat = Some(s);
        }
        Ok(self.cache.stat.as_ref().expect("just stored"))
    }

    fn status_file(&mut self) -> Result<&status::Status> {
        if !(self.caching && self.cache.status.is_some()) {
            let s = self.read("status", status::parse)?;
            self.cache.status = Some(s);
        }
        Ok(self.cache.status.as_ref().expect("just stored"))
    }

    fn statm(&mut self) -> Result<Statm> {
        if let (true, Some(s)) = (self.caching, self.cache.statm) {
            return Ok(s);
        }
        let s = self
            .read("statm", parse::statm::parse)?
            .ok_or_else(|| self.malformed("statm"))?;
        self.cache.statm = Some(s);
        Ok(s)
    }

    /// Raw `smaps` content (cached in oneshot).
    fn with_smaps<R>(&mut self, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        if self.caching {
            if self.cache.smaps.is_none() {
                self.cache.smaps = Some(self.read("smaps", <[u8]>::to_vec)?);
            }
            return Ok(f(self.cache.smaps.as_deref().unwrap_or_default()));
        }
        self.read("smaps", f)
    }

    fn is_zombie(&mut self) -> bool {
        matches!(self.stat(), Ok(s) if s.state == b'Z')
    }

    /// A `field` of `status`, or an I/O error naming the missing key.
    fn status_field<T>(&mut self, get: impl FnOnce(&status::Status) -> Option<T>) -> Result<T> {
        let v = get(self.status_file()?);
        v.ok_or_else(|| self.malformed("status"))
    }

    /// `cmdline` split into raw arguments.
    pub(crate) fn cmdline_bytes(&mut self) -> Result<Vec<Vec<u8>>> {
        // `name()` of a long-named process read it just before, in the
        // same oneshot batch.
        if let Some(args) = self.cache.cmdline.take() {
            return Ok(args);
        }
        let args = self.read("cmdline", parse::cmdline::split_cmdline)?;
        if args.is_empty() && self.is_zombie() {
            return Err(Error::zombie(self.pid, None, None));
        }
        Ok(args)
    }

    /// psutil's `name()`: `comm`, expanded from `cmdline[0]` when the
    /// kernel truncated it to 15 bytes.
    pub(crate) fn name(&mut self) -> Result<OsString> {
        let comm = self.stat()?.comm.clone();
        if comm.len() >= 15 {
            if let Ok(args) = self.cmdline_bytes() {
                let name = args.first().and_then(|first| {
                    let base = first.rsplit(|&c| c == b'/').next().unwrap_or(first);
                    base.starts_with(&comm)
                        .then(|| OsString::from_vec(base.to_vec()))
                });
                if self.caching {
                    self.cache.cmdline = Some(args);
                }
                if let Some(name) = name {
                    return Ok(name);
                }
            }
        }
        Ok(OsString::from_vec(comm))
    }

    /// A `/proc/PID` symlink's target; `None` where the kernel hides it
    /// (kernel threads).
    fn readlink(&mut self, file: &str) -> Result<Option<PathBuf>> {
        let res = procfs::with_pid_path(self.pid, file, |p| std::fs::read_link(p));
        match res {
            Ok(p) => {
                let mut b = p.into_os_string().into_vec();
                // psutil cuts at a NUL the kernel may leave in the target.
                if let Some(nul) = b.iter().position(|&c| c == 0) {
                    b.truncate(nul);
                }
                Ok(Some(strip_deleted(PathBuf::from(OsString::from_vec(b)))))
            }
            Err(e) if errno::classify(&e) == Class::Gone => {
                // The link is unreadable for kernel threads and zombies.
                let alive = procfs::with_pid_path(self.pid, "", |p| std::fs::metadata(p).is_ok());
                if !alive {
                    return Err(Error::no_such_process(self.pid, None, GoneReason::Exited));
                }
                if self.is_zombie() {
                    return Err(Error::zombie(self.pid, None, None));
                }
                Ok(None)
            }
            Err(e) => Err(process_error(self.pid, Target::File(file), e)),
        }
    }

    /// psutil's `exe()`.
    pub(crate) fn exe(&mut self) -> Result<Option<PathBuf>> {
        self.readlink("exe")
    }

    /// psutil's `cwd()`.
    pub(crate) fn cwd(&mut self) -> Result<Option<PathBuf>> {
        self.readlink("cwd")
    }

    /// psutil's `environ()` as ordered pairs; kernel threads give none.
    pub(crate) fn environ(&mut self) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        match self.read("environ", parse::cmdline::parse_environ) {
            Ok(env) => {
                if env.is_empty() && self.is_zombie() {
                    return Err(Error::zombie(self.pid, None, None));
                }
                Ok(env)
            }
            // Linux 6.x answers ESRCH for a kernel thread's environ; it is
            // alive and simply has no environment (psutil says gone).
            Err(e) if e.is_no_such_process() && !e.is_zombie() => match self.stat() {
                Ok(s) if s.is_kernel_thread() => Ok(Vec::new()),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// psutil's `status()`.
    pub(crate) fn status(&mut self) -> Result<Status> {
        Ok(Status::from_letter(self.stat()?.state))
    }

    /// psutil's `cpu_times()`.
    pub(crate) fn cpu_times(&mut self) -> Result<ProcessCpuTimes> {
        let t = procfs::clock_ticks();
        let s = self.stat()?;
        Ok(ProcessCpuTimes {
            user: s.utime as f64 / t,
            system: s.stime as f64 / t,
            children_user: s.cutime as f64 / t,
            children_system: s.cstime as f64 / t,
            iowait: s.delayacct_blkio_ticks.unwrap_or(0) as f64 / t,
        })
    }

    /// psutil's `cpu_num()`.
    pub(crate) fn cpu_num(&mut self) -> Result<u32> {
        let s = self.stat()?;
        s.processor.ok_or_else(|| self.malformed("stat"))
    }

    /// psutil's `terminal()`.
    pub(crate) fn terminal(&mut self) -> Result<Option<String>> {
        let tty = self.stat()?.tty_nr;
        Ok(super::terminal::lookup(tty))
    }

    /// Credentials from the pidfd when the kernel offers them, else from
    /// `status`. A oneshot batch always takes them from `status`: the batch
    /// keeps that file for its other fields (ctx switches, ...), so one read
    /// serves all of them, whatever order the attributes come in.
    fn creds(&mut self) -> Result<sys::Creds> {
        if let Some(c) = self.cache.creds {
            return Ok(c);
        }
        let from_pidfd =
            if !self.caching && procfs::is_default_root() && procfs::is_own_pid_namespace() {
                sys::pidfd_creds(self.pid)
            } else {
                None
            };
        let c = match from_pidfd {
            Some(c) => c,
            None => {
                let (uids, gids) = self.status_field(|s| Some((s.uids?, s.gids?)))?;
                sys::Creds { uids, gids }
            }
        };
        if self.caching {
            self.cache.creds = Some(c);
        }
        Ok(c)
    }

    /// psutil's `uids()`.
    pub(crate) fn uids(&mut self) -> Result<Uids> {
        let [real, effective, saved] = self.creds()?.uids;
        Ok(Uids {
            real,
            effective,
            saved,
        })
    }

    /// psutil's `gids()`.
    pub(crate) fn gids(&mut self) -> Result<Gids> {
        let [real, effective, saved] = self.creds()?.gids;
        Ok(Gids {
            real,
            effective,
            saved,
        })
    }

    /// psutil's `username()`.
    pub(crate) fn username(&mut self) -> Result<String> {
        Ok(super::users::username(self.uids()?.real))
    }

    /// psutil's `num_threads()`, from `stat` (the same `get_nr_threads()`
    /// as status's `Threads:`, in a cheaper file usually read anyway).
    pub(crate) fn num_threads(&mut self) -> Result<u64> {
        Ok(self.stat()?.num_threads)
    }

    /// psutil's `num_ctx_switches()`.
    pub(crate) fn num_ctx_switches(&mut self) -> Result<NumCtxSwitches> {
        let (v, i) = self
            .status_field(|s| Some((s.voluntary_ctxt_switches?, s.nonvoluntary_ctxt_switches?)))?;
        Ok(NumCtxSwitches {
            voluntary: v,
            involuntary: i,
        })
    }

    /// psutil's `memory_info()`.
    pub(crate) fn memory_info(&mut self) -> Result<MemoryInfo> {
        // Always `statm`, as psutil, even when a batch holds `status`: some
        // kernels (Debian's 6.12.95) sum the per-CPU RSS counters for
        // `status` but not for `statm`, so the two can disagree.
        let m = self.statm()?;
        // Page counts no kernel can write overflow as bytes: refuse them
        // rather than wrap.
        let b = m
            .in_bytes(procfs::page_size())
            .ok_or_else(|| self.malformed("statm"))?;
        Ok(MemoryInfo {
            rss: b.resident,
            vms: b.size,
            shared: b.shared,
            text: b.text,
            lib: b.lib,
            data: b.data,
            dirty: b.dt,
        })
    }

    /// psutil's `memory_full_info()`: statm plus `smaps_rollup`, falling
    /// back to the full `smaps` where the rollup file does not exist.
    pub(crate) fn memory_full_info(&mut self) -> Result<MemoryFullInfo> {
        let mi = self.memory_info()?;
        let totals = match self.read("smaps_rollup", parse::smaps::parse_totals) {
            Ok(t) => t,
            // No rollup file (Linux < 4.14), or ESRCH, which kernel threads
            // and zombies answer for it: the full smaps gives the same sums
            // (zeros for those two, as psutil reports).
            Err(e) if !e.is_access_denied() => self.with_smaps(parse::smaps::parse_totals)?,
            Err(e) => return Err(e),
        };
        Ok(MemoryFullInfo {
            rss: mi.rss,
            vms: mi.vms,
            shared: mi.shared,
            text: mi.text,
            lib: mi.lib,
            data: mi.data,
            dirty: mi.dirty,
            uss: totals.uss,
            pss: totals.pss,
            swap: totals.swap,
        })
    }

    /// The `smaps` records with ` (deleted)` resolved.
    fn map_records(&mut self) -> Result<Vec<MapRecord>> {
        let mut maps = self.with_smaps(parse::smaps::parse_maps)?;
        if maps.is_empty() && self.is_zombie() {
            return Err(Error::zombie(self.pid, None, None));
        }
        for m in &mut maps {
            m.path = strip_deleted(std::mem::take(&mut m.path));
        }
        Ok(maps)
    }

    /// psutil's `memory_maps(grouped=False)`.
    pub(crate) fn memory_maps(&mut self) -> Result<Vec<MemoryMap>> {
        Ok(self
            .map_records()?
            .into_iter()
            .map(|r| {
                map_row!(MemoryMap {
                    addr: r.addr,
                    perms: r.perms,
                    path: r.path
                } sizes r.sizes)
            })
            .collect())
    }

    /// psutil's `memory_maps(grouped=True)`.
    pub(crate) fn memory_maps_grouped(&mut self) -> Result<Vec<MemoryMapGrouped>> {
        Ok(parse::smaps::group_maps(self.map_records()?)
            .into_iter()
            .map(|g| map_row!(MemoryMapGrouped { path: g.path } sizes g.sizes))
            .collect())
    }

    /// psutil's `io_counters()`.
    pub(crate) fn io_counters(&mut self) -> Result<IoCounters> {
        let io = self
            .read("io", parse::io::parse)?
            .ok_or_else(|| self.malformed("io"))?;
        Ok(IoCounters {
            read_count: io.syscr,
            write_count: io.syscw,
            read_bytes: io.read_bytes,
            write_bytes: io.write_bytes,
            read_chars: io.rchar,
            write_chars: io.wchar,
        })
    }

    /// Names in `/proc/PID/<dir>`.
    fn list_dir(&self, dir: &str) -> Result<Vec<std::ffi::OsString>> {
        let rd = procfs::with_pid_path(self.pid, dir, |p| std::fs::read_dir(p))
            .map_err(|e| process_error(self.pid, Target::File(dir), e))?;
        let mut names = Vec::new();
        for e in rd {
            names.push(
                e.map_err(|e| process_error(self.pid, Target::File(dir), e))?
                    .file_name(),
            );
        }
        Ok(names)
    }

    /// Names in `fd/` (cached in oneshot).
    fn fd_names(&mut self) -> Result<Vec<OsString>> {
        if let (true, Some(names)) = (self.caching, &self.cache.fd_names) {
            return Ok(names.clone());
        }
        let names = self.list_dir("fd")?;
        if self.caching {
            self.cache.fd_names = Some(names.clone());
        }
        Ok(names)
    }

    /// psutil's `num_fds()`.
    pub(crate) fn num_fds(&mut self) -> Result<u64> {
        // A usize always fits in a u64.
        Ok(self.fd_names()?.len() as u64)
    }

    /// psutil's `threads()`: task ids sorted as strings, as psutil does.
    pub(crate) fn threads(&mut self) -> Result<Vec<ThreadInfo>> {
        let mut tids: Vec<String> = self
            .list_dir("task")?
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        tids.sort();
        let t = procfs::clock_ticks();
        let mut out = Vec::with_capacity(tids.len());
        for tid in tids {
            let file = format!("task/{tid}/stat");
            match read_pid_file(self.pid, &file, parse::stat::parse) {
                Ok(Some(s)) => out.push(ThreadInfo {
                    id: s.pid,
                    user_time: s.utime as f64 / t,
                    system_time: s.stime as f64 / t,
                }),
                // The thread ended between listing and reading.
                Ok(None) => {}
                Err(e) if errno::classify(&e) == Class::Gone => {}
                Err(e) => return Err(process_error(self.pid, Target::File(&file), e)),
            }
        }
        if out.is_empty() {
            // All threads vanished: so did the process.
            self.stat()?;
        }
        Ok(out)
    }

    /// psutil's `open_files()`: regular files only, with offset and mode.
    pub(crate) fn open_files(&mut self) -> Result<Vec<OpenFile>> {
        let mut fds: Vec<i32> = self
            .fd_names()?
            .iter()
            .filter_map(|n| n.to_str()?.parse().ok())
            .collect();
        fds.sort_unstable();
        let mut out = Vec::new();
        let mut hit_enoent = false;
        for fd in fds {
            let link =
                procfs::with_pid_path(self.pid, &format!("fd/{fd}"), |p| std::fs::read_link(p));
            let target = match link {
                Ok(t) => t,
                Err(e) if errno::classify(&e) == Class::Gone => {
                    hit_enoent = true;
                    continue;
                }
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => continue,
                Err(e) => return Err(process_error(self.pid, Target::File("fd"), e)),
            };
            if !target.is_absolute() || !target.is_file() {
                continue;
            }
            let info = read_pid_file(self.pid, &format!("fdinfo/{fd}"), parse::fdinfo::parse);
            let (position, flags) = match info {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(e) if errno::classify(&e) == Class::Gone => {
                    hit_enoent = true;
                    continue;
                }
                Err(e) => return Err(process_error(self.pid, Target::File("fdinfo"), e)),
            };
            out.push(OpenFile {
                path: target,
                fd,
                position,
                mode: parse::fdinfo::file_mode(flags).to_owned(),
                flags,
            });
        }
        if hit_enoent {
            // An fd closing is normal; the whole process vanishing is not.
            self.stat()?;
        }
        Ok(out)
    }

    /// psutil's `nice()`.
    pub(crate) fn nice(&mut self) -> Result<i32> {
        // In a oneshot batch `stat` is read anyway and its field 19 is the
        // same task_nice() that getpriority(2) reports: save the syscall.
        if self.caching {
            return Ok(self.stat()?.nice);
        }
        sys::get_nice(self.pid).map_err(|e| self.sys_err(e))
    }

    /// Sets the nice value (caller checked identity).
    pub(crate) fn set_nice(&mut self, value: i32) -> Result<()> {
        sys::set_nice(self.pid, value).map_err(|e| self.sys_err(e))
    }

    /// psutil's `ionice()`.
    pub(crate) fn ionice(&mut self) -> Result<Ionice> {
        let (class, value) = sys::get_ionice(self.pid).map_err(|e| self.sys_err(e))?;
        let ioclass = IoPriorityClass::from_i32(class).ok_or_else(|| {
            Error::os(io::Error::other(format!(
                "unknown I/O priority class {class}"
            )))
        })?;
        Ok(Ionice { ioclass, value })
    }

    /// Sets the I/O priority (arguments already validated).
    pub(crate) fn set_ionice(&mut self, class: IoPriorityClass, value: i32) -> Result<()> {
        sys::set_ionice(self.pid, class.as_i32(), value).map_err(|e| self.sys_err(e))
    }

    /// psutil's `rlimit(resource)`.
    pub(crate) fn rlimit(&mut self, r: Resource) -> Result<Rlimit> {
        sys::get_rlimit(self.pid, r).map_err(|e| self.sys_err(e))
    }

    /// Sets a resource limit.
    pub(crate) fn set_rlimit(&mut self, r: Resource, limits: Rlimit) -> Result<()> {
        sys::set_rlimit(self.pid, r, limits.0, limits.1).map_err(|e| self.sys_err(e))
    }

    /// psutil's `cpu_affinity()`.
    pub(crate) fn cpu_affinity(&mut self) -> Result<Vec<u32>> {
        sys::get_affinity(self.pid).map_err(|e| self.sys_err(e))
    }

    /// Sets the CPU affinity (CPUs already validated).
    pub(crate) fn set_cpu_affinity(&mut self, cpus: &[u32]) -> Result<()> {
        sys::set_affinity(self.pid, cpus).map_err(|e| self.sys_err(e))
    }
}

/// `pid`'s state letter and start time (clock ticks after boot) from one
/// `/proc/PID/stat` read; `Ok(None)` for a malformed line.
pub(crate) fn identity(pid: u32) -> io::Result<Option<(u8, u64)>> {
    read_pid_file(pid, "stat", parse::stat::parse_identity)
}

/// `kill(pid, 0)`: some process or thread has the PID (a zombie too),
/// whatever `/proc` shows.
pub(crate) fn pid_signalable(pid: u32) -> bool {
    // rustix's Pid is positive by construction: never kill(-1, 0), which
    // probes every process we may signal, nor kill(-N, 0), a process group.
    let Ok(raw) = sys::pid_of(pid) else {
        return false;
    };
    matches!(
        rustix::process::test_kill_process(raw),
        Ok(()) | Err(rustix::io::Errno::PERM)
    )
}

/// psutil's `pid_exists(pid)`: `kill(pid, 0)`, then `Tgid` in
/// `/proc/PID/status` so that a thread ID answers `false`.
pub(crate) fn pid_exists(pid: u32) -> bool {
    if !pid_signalable(pid) {
        return false;
    }
    match read_pid_file(pid, "status", status::parse) {
        Ok(s) => s.tgid.is_none_or(|tgid| tgid == pid),
        Err(_) => procfs::pids().is_ok_and(|p| p.binary_search(&pid).is_ok()),
    }
}

/// What [`exit_fd`] found.
pub(crate) enum ExitFd {
    /// A pidfd that becomes readable when the process exits.
    Open(std::os::fd::OwnedFd),
    /// No process has the PID (ESRCH).
    Gone,
    /// No pidfds here (old kernel, seccomp): poll instead.
    Unsupported,
}

/// A pidfd to wait on `pid`'s exit (`pidfd_open`).
pub(crate) fn exit_fd(pid: u32) -> ExitFd {
    match sys::pidfd_open(pid) {
        Ok(fd) => ExitFd::Open(fd),
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => ExitFd::Gone,
        Err(_) => ExitFd::Unsupported,
    }
}

/// `{pid: (ppid, starttime)}` for every process, from each `stat`
/// (psutil's one-pass map for `children()`).
pub(crate) fn ppid_map() -> Result<HashMap<u32, (u32, u64)>> {
    let mut map = HashMap::new();
    for pid in procfs::pids()? {
        match read_pid_file(pid, "stat", parse::stat::parse) {
            Ok(Some(s)) => {
                map.insert(pid, (s.ppid, s.starttime));
            }
            Ok(None) => {}
            Err(e) if errno::classify(&e) == Class::Denied => {
                return Err(Error::access_denied(pid, None));
            }
            Err(_) => {}
        }
    }
    Ok(map)
}

/// The kernel's signal numbers, for the public `Signal` type (the
/// architecture's own numbering, through libc).
pub(crate) mod signals {
    pub(crate) const SIGHUP: i32 = libc::SIGHUP;
    pub(crate) const SIGINT: i32 = libc::SIGINT;
    pub(crate) const SIGQUIT: i32 = libc::SIGQUIT;
    pub(crate) const SIGILL: i32 = libc::SIGILL;
    pub(crate) const SIGTRAP: i32 = libc::SIGTRAP;
    pub(crate) const SIGABRT: i32 = libc::SIGABRT;
    pub(crate) const SIGBUS: i32 = libc::SIGBUS;
    pub(crate) const SIGFPE: i32 = libc::SIGFPE;
    pub(crate) const SIGKILL: i32 = libc::SIGKILL;
    pub(crate) const SIGUSR1: i32 = libc::SIGUSR1;
    pub(crate) const SIGSEGV: i32 = libc::SIGSEGV;
    pub(crate) const SIGUSR2: i32 = libc::SIGUSR2;
    pub(crate) const SIGPIPE: i32 = libc::SIGPIPE;
    pub(crate) const SIGALRM: i32 = libc::SIGALRM;
    pub(crate) const SIGTERM: i32 = libc::SIGTERM;
    pub(crate) const SIGSTKFLT: i32 = libc::SIGSTKFLT;
    pub(crate) const SIGCHLD: i32 = libc::SIGCHLD;
    pub(crate) const SIGCONT: i32 = libc::SIGCONT;
    pub(crate) const SIGSTOP: i32 = libc::SIGSTOP;
    pub(crate) const SIGTSTP: i32 = libc::SIGTSTP;
    pub(crate) const SIGTTIN: i32 = libc::SIGTTIN;
    pub(crate) const SIGTTOU: i32 = libc::SIGTTOU;
    pub(crate) const SIGURG: i32 = libc::SIGURG;
    pub(crate) const SIGXCPU: i32 = libc::SIGXCPU;
    pub(crate) const SIGXFSZ: i32 = libc::SIGXFSZ;
    pub(crate) const SIGVTALRM: i32 = libc::SIGVTALRM;
    pub(crate) const SIGPROF: i32 = libc::SIGPROF;
    pub(crate) const SIGWINCH: i32 = libc::SIGWINCH;
    pub(crate) const SIGIO: i32 = libc::SIGIO;
    pub(crate) const SIGPWR: i32 = libc::SIGPWR;
    pub(crate) const SIGSYS: i32 = libc::SIGSYS;

    /// The C library's `SIGRTMIN` (above the kernel's: glibc and musl keep
    /// the first real-time signals for themselves).
    pub(crate) fn rtmin() -> i32 {
        libc::SIGRTMIN()
    }

    /// The C library's `SIGRTMAX`.
    pub(crate) fn rtmax() -> i32 {
        libc::SIGRTMAX()
    }
}
