//! `/proc/stat`, proc(5): the `cpu` lines (times in clock ticks) and the
//! `ctxt`, `intr` and `softirq` counters.
//!
//! The number of columns of the first `cpu` line decides which fields
//! exist, as in psutil: 7 (`user` .. `softirq`), 8 with `steal` (Linux
//! 2.6.11+), 9 with `guest` (2.6.24+), 10 with `guest_nice` (3.2+). Extra
//! columns a future kernel may add are ignored.

use super::{fields, parse_u64};

/// The most columns psutil knows (`user` .. `guest_nice`).
pub const MAX_COLUMNS: usize = 10;
/// The fewest columns psutil accepts (`user` .. `softirq`).
pub const MIN_COLUMNS: usize = 7;

/// One `cpu` / `cpuN` line: the first `ncols` entries of `ticks` are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuLine {
    pub ticks: [u64; MAX_COLUMNS],
    pub ncols: usize,
}

/// The `cpu` lines of `/proc/stat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuLines {
    /// The first line (all CPUs together).
    pub total: CpuLine,
    /// The `cpuN` lines in file order (empty unless asked for).
    pub percpu: Vec<CpuLine>,
}

/// Parses the values after the label of a `cpu` line, keeping at most
/// `ncols` of them; `None` when fewer than `ncols` are present or a value is
/// not a number.
fn parse_line(rest: &[u8], ncols: usize) -> Option<CpuLine> {
    let mut ticks = [0u64; MAX_COLUMNS];
    let mut n = 0;
    for f in fields(rest).take(ncols) {
        ticks[n] = parse_u64(f)?;
        n += 1;
    }
    (n == ncols).then_some(CpuLine { ticks, ncols })
}

/// Parses the `cpu` lines. The first line of the file is the total; with
/// `percpu` every later line starting with `cpu` is one CPU (psutil's
/// rule). `None` if the first line has fewer than 7 values, or a per-CPU
/// line has fewer values than the first.
pub fn parse_cpu_lines(data: &[u8], percpu: bool) -> Option<CpuLines> {
    let mut lines = data.split(|&c| c == b'\n');
    let first = lines.next()?;
    let mut it = fields(first);
    it.next()?; // the "cpu" label
    let ncols = it.count().min(MAX_COLUMNS);
    if ncols < MIN_COLUMNS {
        return None;
    }
    let label_end = first.iter().position(|c| c.is_ascii_whitespace())?;
    let total = parse_line(&first[label_end..], ncols)?;
    let mut out = Vec::new();
    if percpu {
        for line in lines.filter(|l| l.starts_with(b"cpu")) {
            let label_end = line
                .iter()
                .position(|c| c.is_ascii_whitespace())
                .unwrap_or(line.len());
            out.push(parse_line(&line[label_end..], ncols)?);
        }
    }
    Some(CpuLines { total, percpu: out })
}

/// The counters psutil's `cpu_stats()` reads; `None` for a missing line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// `ctxt`: context switches since boot.
    pub ctxt: Option<u64>,
    /// `intr`: the first number, all interrupts since boot.
    pub intr: Option<u64>,
    /// `softirq`: the first number, all soft interrupts (Linux 2.6.31+).
    pub softirq: Option<u64>,
}

/// Parses `ctxt`, `intr` and `softirq` (the first number of each line).
pub fn parse_counters(data: &[u8]) -> Counters {
    let mut c = Counters::default();
    for line in data.split(|&b| b == b'\n') {
        let mut it = fields(line);
        let slot = match it.next() {
            Some(b"ctxt") => &mut c.ctxt,
            Some(b"intr") => &mut c.intr,
            Some(b"softirq") => &mut c.softirq,
            _ => continue,
        };
        *slot = it.next().and_then(parse_u64);
        if c.ctxt.is_some() && c.intr.is_some() && c.softirq.is_some() {
            break;
        }
    }
    c
}

/// Counts the `cpuN` lines (a digit right after `cpu`): psutil's last
/// fallback for the logical CPU count.
pub fn count_cpu_lines(data: &[u8]) -> usize {
    data.split(|&c| c == b'\n')
        .filter(|l| l.starts_with(b"cpu") && l.get(3).is_some_and(u8::is_ascii_digit))
        .count()
}

/// Parses `/proc/loadavg`: the 1, 5 and 15 minute load averages.
pub fn parse_loadavg(data: &[u8]) -> Option<(f64, f64, f64)> {
    let mut it = fields(data).map(|f| std::str::from_utf8(f).ok()?.parse::<f64>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    #[test]
    fn modern_kernel_ten_columns() {
        let data = fixture("proc_stat_10cols");
        let l = parse_cpu_lines(&data, true).unwrap();
        assert_eq!(l.total.ncols, 10);
        assert_eq!(
            l.total.ticks,
            [17877, 4, 10444, 583883, 583, 0, 75, 12, 0, 0]
        );
        assert_eq!(l.percpu.len(), 2);
        assert_eq!(l.percpu[1].ticks[0], 10143);
        assert_eq!(l.percpu[1].ncols, 10);
        let c = parse_counters(&data);
        assert_eq!(c.ctxt, Some(1299781));
        assert_eq!(c.intr, Some(705560));
        assert_eq!(c.softirq, Some(291458));
        assert_eq!(count_cpu_lines(&data), 2);
        // Without percpu only the first line is looked at.
        assert!(parse_cpu_lines(&data, false).unwrap().percpu.is_empty());
    }

    #[test]
    fn old_kernels_seven_eight_nine_columns() {
        for (name, n) in [
            ("proc_stat_7cols", 7),
            ("proc_stat_8cols", 8),
            ("proc_stat_9cols", 9),
        ] {
            let data = fixture(name);
            let l = parse_cpu_lines(&data, true).unwrap();
            assert_eq!(l.total.ncols, n, "{name}");
            assert_eq!(l.total.ticks[n..], [0; 10][n..], "{name}");
            assert!(l.percpu.iter().all(|c| c.ncols == n), "{name}");
            assert_eq!(l.percpu.len(), 4, "{name}");
            assert_eq!(count_cpu_lines(&data), 4, "{name}");
        }
        // Kernels before 2.6.31 have no softirq line: psutil reports None.
        let c = parse_counters(&fixture("proc_stat_7cols"));
        assert_eq!(c.softirq, None);
        assert_eq!(c.ctxt, Some(77211234));
    }

    #[test]
    fn future_columns_are_ignored() {
        let data = b"cpu  1 2 3 4 5 6 7 8 9 10 11 12\ncpu0 1 2 3 4 5 6 7 8 9 10 11 12\n";
        let l = parse_cpu_lines(data, true).unwrap();
        assert_eq!(l.total.ncols, 10);
        assert_eq!(l.total.ticks[9], 10);
    }

    #[test]
    fn malformed() {
        assert_eq!(parse_cpu_lines(b"", false), None);
        assert_eq!(parse_cpu_lines(b"cpu 1 2 3 4 5 6\n", false), None);
        assert_eq!(parse_cpu_lines(b"cpu 1 2 3 4 5 6 x\n", false), None);
        // A per-CPU line shorter than the total line.
        assert_eq!(
            parse_cpu_lines(b"cpu 1 2 3 4 5 6 7 8\ncpu0 1 2 3 4 5 6 7\n", true),
            None
        );
        assert_eq!(parse_counters(b"intr\n").intr, None);
        assert_eq!(
            parse_loadavg(b"0.30 0.19 0.07 1/200 42\n"),
            Some((0.3, 0.19, 0.07))
        );
        assert_eq!(parse_loadavg(b"0.30 0.19\n"), None);
    }
}
