//! The `processes` collector: every process counted by status
//! (`psutil_processes`), and per-process metrics for a bounded selection
//! (`psutil_process_*`, label `pid` and `name`). One `stat` read per
//! process (the library's `StatScan`), plus `io` and `fd` for the
//! selected. Processes that vanish while being read are skipped; a field
//! refused is left out.

use psutil::process::{IoCounters, MemoryInfo, ProcStat, ProcessCpuTimes};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

/// One selected process. `None` fields were refused or unreadable and are
/// left out of the output.
#[derive(Debug, Clone, Default)]
pub struct ProcSample {
    pub pid: u32,
    pub name: String,
    pub cpu_times: Option<ProcessCpuTimes>,
    pub memory: Option<MemoryInfo>,
    pub io: Option<IoCounters>,
    pub num_fds: Option<u64>,
    pub num_threads: Option<u64>,
    pub create_time: Option<f64>,
}

/// The statuses always reported (0 when none), so series do not come and
/// go; others appear when seen.
const STATUSES: [&str; 7] = [
    "running",
    "sleeping",
    "disk-sleep",
    "stopped",
    "tracing-stop",
    "zombie",
    "idle",
];

const PROCESSES: Desc = Desc::gauge(
    "psutil_processes",
    "Processes by status (Process.status()).",
    &["status"],
);

const LABELS: &[&str] = &["pid", "name"];

const CPU_SECONDS: Desc = Desc::counter(
    "psutil_process_cpu_seconds_total",
    "CPU seconds of a selected process (Process.cpu_times()).",
    &["pid", "name", "mode"],
);

/// The `memory_info()` families and the field each reports, bytes.
const MEMORY: [Field<MemoryInfo>; 2] = [
    (
        Desc::gauge(
            "psutil_process_resident_memory_bytes",
            "Resident set size (Process.memory_info().rss).",
            LABELS,
        ),
        |m| m.rss,
    ),
    (
        Desc::gauge(
            "psutil_process_virtual_memory_bytes",
            "Virtual memory size (Process.memory_info().vms).",
            LABELS,
        ),
        |m| m.vms,
    ),
];

/// The `io_counters()` families and the field each reports, bytes.
const IO: [Field<IoCounters>; 2] = [
    (
        Desc::counter(
            "psutil_process_read_bytes_total",
            "Bytes read from storage (Process.io_counters().read_bytes).",
            LABELS,
        ),
        |io| io.read_bytes,
    ),
    (
        Desc::counter(
            "psutil_process_written_bytes_total",
            "Bytes written to storage (Process.io_counters().write_bytes).",
            LABELS,
        ),
        |io| io.write_bytes,
    ),
];

const OPEN_FDS: Desc = Desc::gauge(
    "psutil_process_open_fds",
    "Open file descriptors (Process.num_fds()).",
    LABELS,
);
const THREADS: Desc = Desc::gauge(
    "psutil_process_threads",
    "Threads (Process.num_threads()).",
    LABELS,
);
const START_TIME: Desc = Desc::gauge(
    "psutil_process_start_time_seconds",
    "Start time, seconds since the epoch (Process.create_time()).",
    LABELS,
);

/// Counts every process by status and reads the selected ones.
pub fn collect(c: &mut Collector, s: &mut Snapshot) -> Outcome {
    if c.scan.is_none() {
        c.scan = Some(psutil::process::StatScan::new()?);
    }
    let Some(scan) = c.scan.as_mut() else {
        unreachable!()
    };
    let mut counts: Vec<(&'static str, u64)> = STATUSES.iter().map(|&k| (k, 0)).collect();
    let cur = &mut c.cur_cpu;
    let prev = &c.prev_cpu;
    cur.clear();
    let top = c.selection.top;
    let pattern = &c.selection.pattern;
    // (recent ticks, total ticks, stat, name); a name is looked up
    // only for a comm the kernel may have truncated, and then only for
    // the processes picked (or matched against --procs).
    let mut ranked: Vec<(u64, u64, ProcStat, Name)> = Vec::new();
    scan.for_each(|st| {
        let status = st.status.as_str();
        match counts.iter_mut().find(|(k, _)| *k == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status, 1)),
        }
        let total = st.user_ticks.saturating_add(st.system_ticks);
        let key = (st.pid, st.start_ticks);
        let recent = total.saturating_sub(prev.get(&key).copied().unwrap_or(0));
        cur.insert(key, total);
        if top == 0 {
            return;
        }
        let name = match pattern {
            Some(re) => {
                let n = process_name(&st);
                if !re.is_match(&n) {
                    return;
                }
                Name::Full(n)
            }
            None => Name::Comm,
        };
        // Keep the candidates bounded: past twice the number asked
        // for, keep only the busiest.
        if ranked.len() >= top.saturating_mul(2).max(64) {
            sort_ranked(&mut ranked);
            ranked.truncate(top);
        }
        ranked.push((recent, total, st, name));
    })?;
    std::mem::swap(&mut c.prev_cpu, &mut c.cur_cpu);
    s.status_counts = Some(counts);
    sort_ranked(&mut ranked);
    ranked.truncate(top);
    let ticks = psutil::clock_ticks() as f64;
    let boot = if ranked.is_empty() {
        None
    } else {
        psutil::boot_time().ok()
    };
    s.procs.reserve(ranked.len());
    for (_, _, st, name) in ranked {
        // The process the pass saw (its PID and start time), without
        // reading its `stat` again; one gone since is left out.
        let p = st.process();
        // Only "gone" drops the process; a refused field is left out.
        let io = match p.io_counters() {
            Ok(io) => Some(io),
            Err(e) if e.is_no_such_process() => continue,
            Err(_) => None,
        };
        // `statm`, not the pass's `stat`: since Linux 6.2 the RSS in
        // `stat` is the per-CPU counters read without summing them, which
        // can lag psutil's `memory_info().rss` by tens of pages.
        let memory = match p.memory_info() {
            Ok(m) => Some(m),
            Err(e) if e.is_no_such_process() => continue,
            Err(_) => None,
        };
        let num_fds = match p.num_fds() {
            Ok(n) => Some(n),
            Err(e) if e.is_no_such_process() => continue,
            Err(_) => None,
        };
        let name = match name {
            Name::Full(n) => n,
            Name::Comm => process_name(&st),
        };
        s.procs.push(ProcSample {
            pid: st.pid,
            name,
            cpu_times: Some({
                let mut v = ProcessCpuTimes::default();
                v.user = st.user_ticks as f64 / ticks;
                v.system = st.system_ticks as f64 / ticks;
                v
            }),
            memory,
            io,
            num_fds,
            num_threads: Some(st.num_threads),
            create_time: boot.map(|b| b + st.start_ticks as f64 / ticks),
        });
    }
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    if let Some(counts) = &s.status_counts {
        for (status, n) in counts {
            e.add(&PROCESSES, &[status], *n);
        }
    }
    for p in &s.procs {
        let pid = p.pid.to_string();
        let l = [pid.as_str(), &p.name];
        if let Some(t) = &p.cpu_times {
            for (mode, v) in [("user", t.user), ("system", t.system)] {
                e.add(&CPU_SECONDS, &[l[0], l[1], mode], v);
            }
        }
        if let Some(m) = &p.memory {
            for (desc, get) in &MEMORY {
                e.add(desc, &l, get(m));
            }
        }
        if let Some(io) = &p.io {
            for (desc, get) in &IO {
                e.add(desc, &l, get(io));
            }
        }
        if let Some(n) = p.num_fds {
            e.add(&OPEN_FDS, &l, n);
        }
        if let Some(n) = p.num_threads {
            e.add(&THREADS, &l, n);
        }
        if let Some(t) = p.create_time {
            e.add(&START_TIME, &l, t);
        }
    }
}

/// A candidate's name: resolved already (matched against `--procs`), or
/// to be made from its `comm` if picked.
enum Name {
    Full(String),
    Comm,
}

/// Busiest first: CPU ticks since the previous pass, then in total, then
/// by PID.
fn sort_ranked(r: &mut [(u64, u64, ProcStat, Name)]) {
    r.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.pid.cmp(&b.2.pid))
    });
}

/// psutil's `name()`: `comm`, or for a comm the kernel may have
/// truncated (15 bytes), the library's answer (`cmdline[0]`'s base name
/// when it extends `comm`).
fn process_name(st: &ProcStat) -> String {
    if st.comm.len() >= 15 {
        if let Ok(n) = st.process().name() {
            return n;
        }
    }
    String::from_utf8_lossy(&st.comm).into_owned()
}
