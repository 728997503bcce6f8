//! `/proc/PID/status`, proc(5): `Key:\tvalue` lines.
//!
//! Only the keys psutil uses are kept. Keys that an old kernel does not
//! write stay `None` instead of becoming zeros.
//!
//! The `Vm*`/`Rss*` lines are not kept: `memory_info` reads `statm`, as
//! psutil does, and some kernels count RSS differently in the two files.

use super::{fields, parse_u64};

/// The lines of `/proc/PID/status` that psutil reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    /// `Tgid:` thread group id; differs from the PID for threads.
    pub tgid: Option<u32>,
    /// `Uid:` real, effective, saved.
    pub uids: Option<[u32; 3]>,
    /// `Gid:` real, effective, saved.
    pub gids: Option<[u32; 3]>,
    /// `voluntary_ctxt_switches:` (Linux 2.6.23+)
    pub voluntary_ctxt_switches: Option<u64>,
    /// `nonvoluntary_ctxt_switches:` (Linux 2.6.23+)
    pub nonvoluntary_ctxt_switches: Option<u64>,
}

fn triple(v: &[u8]) -> Option<[u32; 3]> {
    let mut it = fields(v).map(|f| parse_u64(f).and_then(|n| u32::try_from(n).ok()));
    Some([it.next()??, it.next()??, it.next()??])
}

/// Parses the whole file. Unknown or malformed lines are skipped.
pub fn parse(data: &[u8]) -> Status {
    let mut s = Status::default();
    for line in data.split(|&c| c == b'\n') {
        let Some(colon) = line.iter().position(|&c| c == b':') else {
            continue;
        };
        let (key, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        let num = || parse_u64(value);
        match key {
            b"Tgid" => s.tgid = num().and_then(|n| u32::try_from(n).ok()),
            b"Uid" => s.uids = triple(value),
            b"Gid" => s.gids = triple(value),
            b"voluntary_ctxt_switches" => s.voluntary_ctxt_switches = num(),
            b"nonvoluntary_ctxt_switches" => s.nonvoluntary_ctxt_switches = num(),
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODERN: &[u8] = b"Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1234\nNgid:\t0\nPid:\t1234\nPPid:\t1000\nTracerPid:\t0\nUid:\t1000\t1001\t1002\t1003\nGid:\t100\t101\t102\t103\nFDSize:\t256\nGroups:\t4 24 27 \nVmPeak:\t   10000 kB\nThreads:\t3\nSigQ:\t0/63671\nCpus_allowed:\tf\nCpus_allowed_list:\t0-2,5\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t150\nnonvoluntary_ctxt_switches:\t7\n";

    #[test]
    fn modern() {
        let s = parse(MODERN);
        assert_eq!(s.tgid, Some(1234));
        assert_eq!(s.uids, Some([1000, 1001, 1002]));
        assert_eq!(s.gids, Some([100, 101, 102]));
        assert_eq!(s.voluntary_ctxt_switches, Some(150));
        assert_eq!(s.nonvoluntary_ctxt_switches, Some(7));
    }

    #[test]
    fn name_with_colon_and_newline_does_not_confuse_keys() {
        // The kernel escapes a newline in Name as "\n" text; a colon stays.
        let s = parse(b"Name:\tUid: 5\\nx\nUid:\t0\t0\t0\t0\nThreads:\t1\n");
        assert_eq!(s.uids, Some([0, 0, 0]));
        assert_eq!(s.gids, None);
    }

    #[test]
    fn old_kernel_missing_keys_and_truncation() {
        let s = parse(b"Name:\tinit\nUid:\t0\t0\t0\t0\nGid:\t0\t0");
        assert_eq!(s.uids, Some([0, 0, 0]));
        assert_eq!(s.gids, None);
        assert_eq!(s.voluntary_ctxt_switches, None);
        assert_eq!(parse(b""), Status::default());
    }

    #[test]
    fn huge_cpu_list_is_not_expanded() {
        // The kernel's affinity list is not parsed at all: a hostile range
        // must not cost memory or time.
        let s = parse(b"Uid:\t0\t0\t0\t0\nCpus_allowed_list:\t0-4294967295\n");
        assert_eq!(s.uids, Some([0, 0, 0]));
    }
}
