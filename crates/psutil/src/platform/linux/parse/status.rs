//! `/proc/PID/status`, proc(5): `Key:\tvalue` lines.
//!
//! Only the keys psutil uses are kept. Keys that an old kernel does not
//! write stay `None` instead of becoming zeros.
//!
//! The `Vm*`/`Rss*` lines print the same mm counters as `statm`, in kB,
//! so when `status` is read anyway (for `uids`) `memory_info` can come
//! from it without a `statm` read; see [`Status::memory_pages`] for when
//! the two agree exactly.

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
    /// The memory lines, kB; absent for kernel threads and zombies.
    pub vm: VmLines,
}

/// The `Vm*` and `Rss*` lines of `status`, in kB as written (converted to
/// bytes only by [`Status::memory_bytes`], which refuses values whose byte
/// count does not fit in a `u64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VmLines {
    /// `VmSize:` total mapped (`statm` size).
    pub size: Option<u64>,
    /// `VmRSS:` resident (`statm` resident).
    pub rss: Option<u64>,
    /// `RssFile:` resident file pages (Linux 4.5+).
    pub rss_file: Option<u64>,
    /// `RssShmem:` resident shared memory (Linux 4.5+).
    pub rss_shmem: Option<u64>,
    /// `VmData:` private data mappings.
    pub data: Option<u64>,
    /// `VmStk:` stack mappings.
    pub stk: Option<u64>,
    /// `VmExe:` the executable's text, capped at all executable mappings.
    pub exe: Option<u64>,
    /// `VmLib:` executable mappings beyond the text.
    pub lib: Option<u64>,
}

/// `statm`'s page counts derived from `status`, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryBytes {
    /// `statm` size.
    pub vms: u64,
    /// `statm` resident.
    pub rss: u64,
    /// `statm` shared: file plus shmem pages.
    pub shared: u64,
    /// `statm` text.
    pub text: u64,
    /// `statm` data: data plus stack.
    pub data: u64,
}

impl Status {
    /// `statm`'s numbers from the `Vm*`/`Rss*` lines, in bytes, where they
    /// are provably equal to what `statm` would say:
    ///
    /// - no `VmSize` line: the task has no mm (kernel thread, zombie, or
    ///   exiting), and `statm` is then all zeros too;
    /// - otherwise every line must be present and `VmLib` non-zero: the
    ///   kernel caps `VmExe` at the size of all executable mappings, and
    ///   only a zero `VmLib` can hide that cap (static binaries), where
    ///   `statm`'s uncapped text must be read instead.
    ///
    /// `None` means: read `statm`. That includes lines whose byte counts
    /// overflow a `u64`, which no kernel writes; `statm` then decides.
    pub fn memory_bytes(&self) -> Option<MemoryBytes> {
        let v = &self.vm;
        let Some(size) = v.size else {
            return Some(MemoryBytes::default());
        };
        if v.lib? == 0 {
            return None;
        }
        let bytes = |kb: u64| kb.checked_mul(1024);
        Some(MemoryBytes {
            vms: bytes(size)?,
            rss: bytes(v.rss?)?,
            shared: bytes(v.rss_file?.checked_add(v.rss_shmem?)?)?,
            text: bytes(v.exe?)?,
            data: bytes(v.data?.checked_add(v.stk?)?)?,
        })
    }
}

fn triple(v: &[u8]) -> Option<[u32; 3]> {
    let mut it = fields(v).map(|f| parse_u64(f).and_then(|n| u32::try_from(n).ok()));
    Some([it.next()??, it.next()??, it.next()??])
}

/// A `1234 kB` value.
fn kb(v: &[u8]) -> Option<u64> {
    parse_u64(v.strip_suffix(b"kB")?.trim_ascii_end())
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
            b"VmSize" => s.vm.size = kb(value),
            b"VmRSS" => s.vm.rss = kb(value),
            b"RssFile" => s.vm.rss_file = kb(value),
            b"RssShmem" => s.vm.rss_shmem = kb(value),
            b"VmData" => s.vm.data = kb(value),
            b"VmStk" => s.vm.stk = kb(value),
            b"VmExe" => s.vm.exe = kb(value),
            b"VmLib" => s.vm.lib = kb(value),
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

    /// `sleep`'s lines on Linux 6.18; its `statm` said
    /// `730 446 419 5 0 89 0` (4 KiB pages) at the same moment.
    const SLEEP_VM: &[u8] = b"Name:\tsleep\nUid:\t0\t0\t0\t0\nVmPeak:\t    2920 kB\nVmSize:\t    2920 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t    1784 kB\nVmRSS:\t    1784 kB\nRssAnon:\t     108 kB\nRssFile:\t    1676 kB\nRssShmem:\t       0 kB\nVmData:\t     224 kB\nVmStk:\t     132 kB\nVmExe:\t      20 kB\nVmLib:\t    1528 kB\nVmPTE:\t      40 kB\nVmSwap:\t       0 kB\nThreads:\t1\n";

    #[test]
    fn memory_equals_statm_for_a_dynamic_binary() {
        let page = 4096;
        let m = parse(SLEEP_VM).memory_bytes().expect("exact");
        assert_eq!(m.vms, 730 * page);
        assert_eq!(m.rss, 446 * page);
        assert_eq!(m.shared, 419 * page);
        assert_eq!(m.text, 5 * page);
        assert_eq!(m.data, 89 * page);
    }

    #[test]
    fn memory_without_mm_is_zero() {
        // Kernel threads and zombies have no Vm lines; their statm is zeros.
        let s = parse(b"Name:\tkthreadd\nUid:\t0\t0\t0\t0\nThreads:\t1\n");
        assert_eq!(s.memory_bytes(), Some(MemoryBytes::default()));
    }

    #[test]
    fn memory_falls_back_to_statm_when_inexact() {
        // A zero VmLib (static binary) may hide the cap on VmExe.
        let text = String::from_utf8_lossy(SLEEP_VM);
        let static_bin = text.replace("VmLib:\t    1528 kB", "VmLib:\t       0 kB");
        assert_eq!(parse(static_bin.as_bytes()).memory_bytes(), None);
        // Before Linux 4.5 there is no RssFile / RssShmem.
        let old: String = text
            .lines()
            .filter(|l| !l.starts_with("RssFile") && !l.starts_with("RssShmem"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(parse(old.as_bytes()).memory_bytes(), None);
        // Truncated after VmSize.
        let cut = &SLEEP_VM[..SLEEP_VM.windows(5).position(|w| w == b"VmLck").unwrap()];
        assert_eq!(parse(cut).memory_bytes(), None);
    }

    #[test]
    fn huge_memory_lines_never_wrap() {
        // kB values whose byte count exceeds u64: statm decides instead.
        let text = String::from_utf8_lossy(SLEEP_VM);
        for line in [
            "VmSize:\t    2920 kB",
            "VmRSS:\t    1784 kB",
            "VmExe:\t      20 kB",
        ] {
            let key = &line[..line.find(':').unwrap()];
            let huge = text.replace(line, &format!("{key}:\t18446744073709551615 kB"));
            assert_eq!(parse(huge.as_bytes()).memory_bytes(), None, "{key}");
        }
        // Two lines that overflow only when added.
        let half = u64::MAX / 2 + 1;
        let sum = text
            .replace("VmData:\t     224 kB", &format!("VmData:\t{half} kB"))
            .replace("VmStk:\t     132 kB", &format!("VmStk:\t{half} kB"));
        assert_eq!(parse(sum.as_bytes()).memory_bytes(), None);
        // The largest value that fits is exact.
        let max = text.replace(
            "VmSize:\t    2920 kB",
            &format!("VmSize:\t{} kB", u64::MAX / 1024),
        );
        assert_eq!(
            parse(max.as_bytes()).memory_bytes().map(|m| m.vms),
            Some(u64::MAX / 1024 * 1024)
        );
    }

    #[test]
    fn huge_cpu_list_is_not_expanded() {
        // The kernel's affinity list is not parsed at all: a hostile range
        // must not cost memory or time.
        let s = parse(b"Uid:\t0\t0\t0\t0\nCpus_allowed_list:\t0-4294967295\n");
        assert_eq!(s.uids, Some([0, 0, 0]));
    }
}
