//! [`StatScan`]: every process's `stat`, and nothing else, per pass.
//!
//! Not in psutil. An exporter or a monitor that needs, from every process,
//! only what `/proc/PID/stat` says (state, CPU time, threads, start time,
//! memory size) and no `Process` handles: one `open` + `read` + `close` per
//! process and pass, relative to a kept `/proc` descriptor, with the
//! listing and read buffers reused. Reading more of a process goes through
//! [`Process`](super::Process), checked against [`ProcStat::start_ticks`].

use super::Status;
use crate::platform::imp::process::{Stat, StatScanner};
use crate::Result;

/// One process's `/proc/PID/stat`, as a [`StatScan`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProcStat {
    /// The PID.
    pub pid: u32,
    /// The parent's PID (psutil's `ppid()`).
    pub ppid: u32,
    /// `comm`, raw bytes: the name the kernel keeps, cut to 15 bytes
    /// (psutil's `name()` extends a cut one from `cmdline`).
    pub comm: Vec<u8>,
    /// psutil's `status()`.
    pub status: Status,
    /// User-mode CPU time, clock ticks (`sysconf(_SC_CLK_TCK)` a second).
    pub user_ticks: u64,
    /// Kernel-mode CPU time, clock ticks.
    pub system_ticks: u64,
    /// psutil's `num_threads()`.
    pub num_threads: u64,
    /// Start time after boot, clock ticks: with the PID, the process's
    /// identity ([`Process::start_ticks`](super::Process::start_ticks)).
    pub start_ticks: u64,
    /// Virtual memory size, bytes (`memory_info().vms`); `None` when the
    /// kernel's line stops before it.
    pub vms: Option<u64>,
    /// Resident set size, bytes; `None` when the kernel's line stops
    /// before it. Since Linux 6.2 the kernel reads its per-CPU counters
    /// here without summing them, so this can lag `memory_info().rss`
    /// (`statm`, summed) by tens of pages: a cheap estimate, not psutil's
    /// value.
    pub rss: Option<u64>,
}

impl From<Stat> for ProcStat {
    fn from(s: Stat) -> ProcStat {
        ProcStat {
            pid: s.pid,
            ppid: s.ppid,
            status: Status::from_letter(s.state),
            comm: s.comm,
            user_ticks: s.utime,
            system_ticks: s.stime,
            num_threads: s.num_threads,
            start_ticks: s.starttime,
            vms: s.vsize,
            rss: s
                .rss
                .map(|pages| pages.saturating_mul(crate::platform::imp::memory::page_size())),
        }
    }
}

impl ProcStat {
    /// A [`Process`](super::Process) handle on this process, identified by
    /// this read's PID and start time (no second `stat` read).
    pub fn process(&self) -> super::Process {
        super::Process::with_identity(self.pid, self.start_ticks)
    }
}

/// Passes over every process's `/proc/PID/stat` (see the module docs).
pub struct StatScan {
    inner: StatScanner,
}

impl StatScan {
    /// Opens psutil's `PROCFS_PATH` directory for passes.
    ///
    /// # Errors
    ///
    /// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH` cannot be opened
    /// as a directory.
    pub fn new() -> Result<StatScan> {
        Ok(StatScan {
            inner: StatScanner::open()?,
        })
    }

    /// Calls `f` with the `stat` of every process listed now, by
    /// ascending PID. A process gone or unreadable between the listing and
    /// its read is skipped, as is a malformed line.
    ///
    /// # Errors
    ///
    /// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH` cannot be listed
    /// again. Processes that vanish, refuse or are malformed are skipped.
    pub fn for_each(&mut self, mut f: impl FnMut(ProcStat)) -> Result<()> {
        self.inner.for_each(|s| f(ProcStat::from(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_sees_this_process_as_process_does() {
        let me = std::process::id();
        let mut seen = Vec::new();
        let mut scan = StatScan::new().unwrap();
        for _ in 0..2 {
            seen.clear();
            scan.for_each(|s| seen.push(s)).unwrap();
            assert!(seen.windows(2).all(|w| w[0].pid < w[1].pid));
            let s = seen.iter().find(|s| s.pid == me).unwrap();
            let p = super::super::Process::current().unwrap();
            assert_eq!(s.start_ticks, p.start_ticks());
            assert_eq!(s.process().start_ticks(), p.start_ticks());
            assert_eq!(s.process().cmdline().unwrap(), p.cmdline().unwrap());
            assert_eq!(s.ppid, p.ppid().unwrap());
            assert_eq!(s.comm, p.name().unwrap().as_bytes()[..s.comm.len()]);
            // (Memory moves while other tests run: only its presence.)
            assert!(s.num_threads >= 1 && s.rss.unwrap() > 0 && s.vms.unwrap() > 0);
        }
    }
}
