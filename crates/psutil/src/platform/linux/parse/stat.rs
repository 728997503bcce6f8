//! `/proc/PID/stat` (and `/proc/PID/task/TID/stat`), proc(5).
//!
//! The `comm` field sits between the first `(` and the **last** `)`: a
//! process may call itself `a) (b` or put a newline in its name, so the
//! fields after it are found from the end of the name, never by splitting
//! the whole line.

use super::{fields, parse_i64, parse_u64};

/// The fields of `/proc/PID/stat` that psutil uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    /// (1) The process (or thread) ID.
    pub pid: u32,
    /// (2) `comm`: the executable name, at most 15 bytes, raw bytes.
    pub comm: Vec<u8>,
    /// (3) The state letter (`R`, `S`, `D`, `Z`, ...).
    pub state: u8,
    /// (4) Parent PID.
    pub ppid: u32,
    /// (7) Controlling terminal, device number encoded as in proc(5).
    pub tty_nr: u64,
    /// (9) Kernel flags (`PF_*`); `PF_KTHREAD` marks kernel threads.
    pub flags: u64,
    /// (14) User-mode time in clock ticks.
    pub utime: u64,
    /// (15) Kernel-mode time in clock ticks.
    pub stime: u64,
    /// (16) Waited-for children's user time, ticks.
    pub cutime: u64,
    /// (17) Waited-for children's system time, ticks.
    pub cstime: u64,
    /// (19) Nice value.
    pub nice: i32,
    /// (20) Number of threads.
    pub num_threads: u64,
    /// (22) Start time after boot, clock ticks: with the PID, the identity
    /// of a process.
    pub starttime: u64,
    /// (23) Virtual memory size in bytes (`statm`'s size, in bytes).
    pub vsize: Option<u64>,
    /// (24) Resident set size in pages (`statm`'s resident).
    pub rss: Option<u64>,
    /// (39) CPU last executed on (Linux 2.2.8+).
    pub processor: Option<u32>,
    /// (42) Aggregated block I/O delays, ticks (Linux 2.6.18+).
    pub delayacct_blkio_ticks: Option<u64>,
}

/// `PF_KTHREAD` from the kernel's `include/linux/sched.h`.
pub const PF_KTHREAD: u64 = 0x0020_0000;

impl Stat {
    /// True for kernel threads (`PF_KTHREAD`).
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }
}

/// Parses a stat line. `None` if it is truncated before `starttime`.
pub fn parse(data: &[u8]) -> Option<Stat> {
    let open = data.iter().position(|&c| c == b'(')?;
    let close = data.iter().rposition(|&c| c == b')')?;
    if close < open {
        return None;
    }
    let pid = parse_u64(data[..open].trim_ascii()).and_then(|p| u32::try_from(p).ok())?;
    let comm = data[open + 1..close].to_vec();
    // Field 3 (state) is index 0 here.
    let mut rest = fields(&data[close + 1..]);
    let mut next = || rest.next();
    let state = *next()?.first()?;
    let ppid = u32::try_from(parse_u64(next()?)?).ok()?;
    let _pgrp = next()?;
    let _session = next()?;
    let tty_nr = parse_i64(next()?)? as u64;
    let _tpgid = next()?;
    let flags = parse_u64(next()?)?;
    for _ in 0..4 {
        next()?; // minflt cminflt majflt cmajflt
    }
    let utime = parse_u64(next()?)?;
    let stime = parse_u64(next()?)?;
    let cutime = parse_i64(next()?)?.max(0) as u64;
    let cstime = parse_i64(next()?)?.max(0) as u64;
    let _priority = next()?;
    let nice = i32::try_from(parse_i64(next()?)?).ok()?;
    let num_threads = parse_u64(next()?)?;
    let _itrealvalue = next()?;
    let starttime = parse_u64(next()?)?;
    let mut tail = std::iter::from_fn(next);
    let vsize = tail.next().and_then(parse_u64);
    let rss = tail.next().and_then(parse_u64);
    // Fields 25..=38 lie between rss (24) and processor (39).
    let mut tail = tail.skip(14);
    let processor = tail
        .next()
        .and_then(parse_u64)
        .and_then(|v| u32::try_from(v).ok());
    // Fields 40 and 41 (rt_priority, policy), then 42.
    let delayacct_blkio_ticks = tail.nth(2).and_then(parse_u64);
    Some(Stat {
        pid,
        comm,
        state,
        ppid,
        tty_nr,
        flags,
        utime,
        stime,
        cutime,
        cstime,
        nice,
        num_threads,
        starttime,
        vsize,
        rss,
        processor,
        delayacct_blkio_ticks,
    })
}

/// Reads only the state letter and `starttime`, for cheap identity checks.
pub fn parse_identity(data: &[u8]) -> Option<(u8, u64)> {
    let close = data.iter().rposition(|&c| c == b')')?;
    let mut rest = fields(&data[close + 1..]);
    let state = *rest.next()?.first()?;
    let starttime = parse_u64(rest.nth(18)?)?;
    Some((state, starttime))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODERN: &[u8] = b"1234 (bash) S 1000 1234 1234 34816 5678 4194304 3017 69461 0 12 3 5 120 44 20 0 1 0 81818 9105408 1322 18446744073709551615 94403072147456 94403073107213 140724637040560 0 0 0 65536 3670020 1266777851 1 0 0 17 1 0 0 7 0 0 94403073354928 94403073403748 94403097513984 140724637045597 140724637045602 140724637045602 140724637048814 0\n";

    #[test]
    fn modern_line() {
        let s = parse(MODERN).unwrap();
        assert_eq!(s.pid, 1234);
        assert_eq!(s.comm, b"bash");
        assert_eq!(s.state, b'S');
        assert_eq!(s.ppid, 1000);
        assert_eq!(s.tty_nr, 34816);
        assert_eq!((s.utime, s.stime, s.cutime, s.cstime), (3, 5, 120, 44));
        assert_eq!(s.nice, 0);
        assert_eq!(s.num_threads, 1);
        assert_eq!(s.starttime, 81818);
        assert_eq!(s.processor, Some(1));
        assert_eq!(s.delayacct_blkio_ticks, Some(7));
        assert_eq!((s.vsize, s.rss), (Some(9105408), Some(1322)));
        assert!(!s.is_kernel_thread());
        assert_eq!(parse_identity(MODERN), Some((b'S', 81818)));
    }

    #[test]
    fn nasty_comm_with_parens_spaces_newline_and_non_utf8() {
        let line = b"77 (a) (b\n\xff x) R 1 77 77 0 -1 4194560 0 0 0 0 10 20 0 0 20 -5 3 0 555 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
        let s = parse(line).unwrap();
        assert_eq!(s.comm, b"a) (b\n\xff x");
        assert_eq!(s.state, b'R');
        assert_eq!(s.ppid, 1);
        assert_eq!(s.nice, -5);
        assert_eq!(s.num_threads, 3);
        assert_eq!(s.starttime, 555);
        assert_eq!(s.processor, Some(0));
        assert_eq!(parse_identity(line), Some((b'R', 555)));
    }

    #[test]
    fn old_kernel_without_processor_and_blkio() {
        // A 2.4-era line stops after the signal masks: no field 39 or 42.
        let line = b"5 (init) S 0 1 1 0 -1 256 0 0 0 0 1 2 3 4 15 0 0 0 42 1000 10 4294967295 1 1 0 0 0 0 0 0 0";
        let s = parse(line).unwrap();
        assert_eq!(s.starttime, 42);
        assert_eq!(s.processor, None);
        assert_eq!(s.delayacct_blkio_ticks, None);
        assert_eq!((s.vsize, s.rss), (Some(1000), Some(10)));
        // Cut right after starttime: no memory fields either.
        let cut = b"5 (init) S 0 1 1 0 -1 256 0 0 0 0 1 2 3 4 15 0 0 0 42";
        let s = parse(cut).unwrap();
        assert_eq!((s.starttime, s.vsize, s.rss), (42, None, None));
    }

    #[test]
    fn kernel_thread_flags() {
        let line = b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 1 0 0 20 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        let s = parse(line).unwrap();
        assert!(s.is_kernel_thread());
        assert_eq!(s.state, b'S');
    }

    #[test]
    fn truncated_and_garbage() {
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"12 (x"), None);
        assert_eq!(parse(b"12 (x) S 1 2 3"), None);
        assert_eq!(
            parse(b"x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"),
            None
        );
        assert_eq!(parse_identity(b"1 (a) S"), None);
    }
}
