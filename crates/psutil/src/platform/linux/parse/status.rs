//! `/proc/PID/status`, proc(5): `Key:\tvalue` lines.
//!
//! Only the keys psutil uses are kept. Keys that an old kernel does not
//! write stay `None` instead of becoming zeros.

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
    /// `Threads:`
    pub threads: Option<u64>,
    /// `voluntary_ctxt_switches:` (Linux 2.6.23+)
    pub voluntary_ctxt_switches: Option<u64>,
    /// `nonvoluntary_ctxt_switches:` (Linux 2.6.23+)
    pub nonvoluntary_ctxt_switches: Option<u64>,
    /// `Cpus_allowed_list:` expanded to CPU numbers (Linux 2.6.26+).
    pub cpus_allowed_list: Option<Vec<u32>>,
}

fn triple(v: &[u8]) -> Option<[u32; 3]> {
    let mut it = fields(v).map(|f| parse_u64(f).and_then(|n| u32::try_from(n).ok()));
    Some([it.next()??, it.next()??, it.next()??])
}

/// Parses a CPU list such as `0-3,8,10-11` (also used by sysfs).
pub fn parse_cpu_list(v: &[u8]) -> Option<Vec<u32>> {
    let mut cpus = Vec::new();
    for part in v
        .trim_ascii()
        .split(|&c| c == b',')
        .filter(|p| !p.is_empty())
    {
        let (lo, hi) = match part.iter().position(|&c| c == b'-') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, part),
        };
        let lo = u32::try_from(parse_u64(lo)?).ok()?;
        let hi = u32::try_from(parse_u64(hi)?).ok()?;
        if hi < lo {
            return None;
        }
        cpus.extend(lo..=hi);
    }
    Some(cpus)
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
            b"Threads" => s.threads = num(),
            b"voluntary_ctxt_switches" => s.voluntary_ctxt_switches = num(),
            b"nonvoluntary_ctxt_switches" => s.nonvoluntary_ctxt_switches = num(),
            b"Cpus_allowed_list" => s.cpus_allowed_list = parse_cpu_list(value),
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
        assert_eq!(s.threads, Some(3));
        assert_eq!(s.voluntary_ctxt_switches, Some(150));
        assert_eq!(s.nonvoluntary_ctxt_switches, Some(7));
        assert_eq!(s.cpus_allowed_list, Some(vec![0, 1, 2, 5]));
    }

    #[test]
    fn name_with_colon_and_newline_does_not_confuse_keys() {
        // The kernel escapes a newline in Name as "\n" text; a colon stays.
        let s = parse(b"Name:\tUid: 5\\nx\nUid:\t0\t0\t0\t0\nThreads:\t1\n");
        assert_eq!(s.uids, Some([0, 0, 0]));
        assert_eq!(s.threads, Some(1));
    }

    #[test]
    fn old_kernel_missing_keys_and_truncation() {
        let s = parse(b"Name:\tinit\nUid:\t0\t0\t0\t0\nGid:\t0\t0");
        assert_eq!(s.uids, Some([0, 0, 0]));
        assert_eq!(s.gids, None);
        assert_eq!(s.voluntary_ctxt_switches, None);
        assert_eq!(s.cpus_allowed_list, None);
        assert_eq!(parse(b""), Status::default());
    }

    #[test]
    fn cpu_lists() {
        assert_eq!(parse_cpu_list(b"0"), Some(vec![0]));
        assert_eq!(parse_cpu_list(b"0-1\n"), Some(vec![0, 1]));
        assert_eq!(parse_cpu_list(b""), Some(vec![]));
        assert_eq!(parse_cpu_list(b"3-1"), None);
        assert_eq!(parse_cpu_list(b"a"), None);
    }
}
