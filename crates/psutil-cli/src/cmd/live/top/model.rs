//! `top`'s data model: a pure [`Snapshot`] of the machine and its
//! processes, the pure functions that order it (sort, filter, tree), and
//! the [`Collector`] that fills it from the library.
//!
//! The collector reads only what the table shows. Per process and pass:
//! `stat` (ppid, status, nice, threads, CPU times) through one reused
//! [`ProcessIter`] (cached handles, so `cpu_percent` measures since the
//! previous pass); the name, which for a long one means `cmdline`, only
//! when `comm` changed; `statm` (VIRT, RES: `stat` has them too, but its
//! RSS is the kernel's unsummed estimate) when the process used CPU since
//! the last pass (a process that did not run barely changes its memory)
//! and otherwise every [`REFRESH_EVERY`] passes; the owner (the pidfd's
//! credentials, or `status` before Linux 6.13) for new processes and then
//! every [`REFRESH_EVERY`] passes. Periodic re-reads are staggered by PID,
//! so each pass does a fraction of them; `cmdline` is read only for the
//! rows on screen ([`Collector::fill_cmdlines`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use psutil::cpu::CpuPercent;
use psutil::process::{ProcessIter, Status};
use serde::Serialize;

/// How often (in passes) a process's owner, and the `statm` of an idle
/// process, are re-read; in between the last values are kept.
pub const REFRESH_EVERY: u64 = 5;

/// One process row.
#[derive(Debug, Clone, Serialize)]
pub struct ProcRow {
    pub pid: u32,
    pub ppid: u32,
    /// Start time in clock ticks since boot: with the PID, the identity.
    #[serde(skip)]
    pub start_ticks: u64,
    #[serde(serialize_with = "ser_arc_str")]
    pub user: Arc<str>,
    pub nice: i32,
    /// Virtual size, bytes.
    pub virt: u64,
    /// Resident size, bytes.
    pub res: u64,
    pub cpu_percent: f64,
    pub memory_percent: f64,
    /// User + system CPU seconds.
    pub cpu_time: f64,
    pub status: Status,
    pub num_threads: u64,
    pub name: String,
    /// The joined command line; `None` until read (only rows on screen).
    pub cmdline: Option<String>,
    /// The cgroup path; read only when the cgroup column or filter is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<String>,
}

fn ser_arc_str<S: serde::Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

impl ProcRow {
    /// What the command column shows: the command line, else the name.
    pub fn command(&self) -> &str {
        match &self.cmdline {
            Some(c) if !c.is_empty() => c,
            _ => &self.name,
        }
    }
}

/// The machine-wide figures in the header.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Per-CPU usage, percent.
    pub cpu_percent: Vec<f64>,
    pub mem_total: u64,
    pub mem_used: u64,
    pub mem_percent: f64,
    pub swap_total: u64,
    pub swap_used: u64,
    pub swap_percent: f64,
    pub load_avg: (f64, f64, f64),
    /// Seconds since boot.
    pub uptime: f64,
    /// `top`'s own cgroup when it runs under a CPU or memory limit: the
    /// meters then measure against the limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<CgroupLimits>,
}

/// The limits `top` itself runs under and its cgroup's use of them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CgroupLimits {
    pub path: String,
    /// The effective CPU limit (least quota of the cgroup and its
    /// ancestors), CPUs; `None` without one.
    pub cpu_limit: Option<f64>,
    /// CPU the cgroup used since the previous pass, percent of that limit.
    pub cpu_percent: Option<f64>,
    /// The effective memory limit, bytes, when below the host's RAM.
    pub mem_limit: Option<u64>,
    /// The cgroup's working set (usage where unknown), bytes.
    pub mem_used: Option<u64>,
    /// `mem_used` as a percent of `mem_limit`.
    pub mem_percent: Option<f64>,
}

/// Everything one screen shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Snapshot {
    #[serde(flatten)]
    pub summary: Summary,
    pub processes: Vec<ProcRow>,
}

/// Process counts by status, for the "Tasks:" line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub threads: u64,
    pub running: usize,
    pub sleeping: usize,
    pub idle: usize,
    pub stopped: usize,
    pub zombie: usize,
}

impl Snapshot {
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            total: self.processes.len(),
            ..Counts::default()
        };
        for p in &self.processes {
            c.threads += p.num_threads;
            match p.status {
                Status::Running => c.running += 1,
                Status::Sleeping | Status::DiskSleep => c.sleeping += 1,
                Status::Idle => c.idle += 1,
                Status::Stopped | Status::TracingStop => c.stopped += 1,
                Status::Zombie | Status::Dead => c.zombie += 1,
                _ => {}
            }
        }
        c
    }
}

/// The table's sort order.
/// `--sort KEY` (any case; the column names are aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    #[value(alias = "%cpu")]
    Cpu,
    #[value(alias = "memory", alias = "%mem")]
    Mem,
    Pid,
    #[value(alias = "time+")]
    Time,
}

impl SortKey {
    /// The column header this key sorts by.
    pub fn column(self) -> &'static str {
        match self {
            SortKey::Cpu => "%CPU",
            SortKey::Mem => "%MEM",
            SortKey::Pid => "PID",
            SortKey::Time => "TIME+",
        }
    }
}

/// Orders two rows: descending for CPU, memory and time (PID breaks
/// ties), ascending for PID.
pub fn compare(a: &ProcRow, b: &ProcRow, key: SortKey) -> std::cmp::Ordering {
    let by = match key {
        SortKey::Cpu => b.cpu_percent.total_cmp(&a.cpu_percent),
        SortKey::Mem => b.res.cmp(&a.res),
        SortKey::Time => b.cpu_time.total_cmp(&a.cpu_time),
        SortKey::Pid => std::cmp::Ordering::Equal,
    };
    by.then(a.pid.cmp(&b.pid))
}

/// True if the name contains `filter`, ignoring ASCII case (an empty
/// filter matches everything).
pub fn matches(row: &ProcRow, filter: &str) -> bool {
    if filter.is_empty() {
        return true;
    }
    let (h, n) = (row.name.as_bytes(), filter.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// One line of the table: the row it shows and, in tree view, the
/// indentation drawn before the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub idx: usize,
    pub prefix: String,
}

/// The table's lines: rows matching `filter`, sorted by `key`; in tree
/// view, each process under its parent (children sorted by `key`, rows
/// whose parent is filtered out or missing become roots).
pub fn arrange(rows: &[ProcRow], key: SortKey, filter: &str, tree: bool) -> Vec<Line> {
    let mut idx: Vec<usize> = (0..rows.len())
        .filter(|&i| matches(&rows[i], filter))
        .collect();
    idx.sort_unstable_by(|&a, &b| compare(&rows[a], &rows[b], key));
    if !tree {
        return idx
            .into_iter()
            .map(|idx| Line {
                idx,
                prefix: String::new(),
            })
            .collect();
    }
    let shown: HashMap<u32, usize> = idx.iter().map(|&i| (rows[i].pid, i)).collect();
    let mut children: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for &i in &idx {
        let r = &rows[i];
        if r.ppid != r.pid && shown.contains_key(&r.ppid) {
            children.entry(r.ppid).or_default().push(i);
        } else {
            roots.push(i);
        }
    }
    let mut out = Vec::with_capacity(idx.len());
    // Depth-first with an explicit stack: (row, indentation for the row's
    // children, prefix of the row itself).
    let mut stack: Vec<(usize, String, String)> = roots
        .iter()
        .rev()
        .map(|&i| (i, String::new(), String::new()))
        .collect();
    while let Some((i, indent, prefix)) = stack.pop() {
        out.push(Line { idx: i, prefix });
        if let Some(kids) = children.get(&rows[i].pid) {
            for (n, &k) in kids.iter().enumerate().rev() {
                let last = n + 1 == kids.len();
                let prefix = format!("{indent}{}", if last { "└─ " } else { "├─ " });
                let next = format!("{indent}{}", if last { "   " } else { "│  " });
                stack.push((k, next, prefix));
            }
        }
    }
    out
}

/// What the collector remembers about one process between passes.
struct Known {
    handle: Arc<psutil::Process>,
    start_ticks: u64,
    user: Arc<str>,
    /// The pass that last read the owner.
    owner_pass: u64,
    /// (VIRT, RES) last read.
    mem: Option<(u64, u64)>,
    /// CPU seconds at the last pass.
    cpu_time: f64,
    /// `comm` when `name` was read.
    comm: Vec<u8>,
    /// psutil's `name()`.
    name: String,
    /// The cgroup path, read once (when cgroups are on).
    cgroup: Option<String>,
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit (at most 1 << 20),
/// so that the kept `stat` files of a few thousand processes fit.
fn raise_nofile_limit() {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let want = limit.maximum.unwrap_or(u64::MAX).min(1 << 20);
    if limit.current.is_some_and(|c| c < want) {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(want),
                maximum: limit.maximum,
            },
        );
    }
}

/// Reads snapshots from the library, keeping handles between passes.
pub struct Collector {
    iter: ProcessIter,
    cpu: CpuPercent,
    known: HashMap<u32, Known>,
    pass: u64,
    /// Read each process's cgroup (the column or the filter is on).
    cgroups: bool,
    /// Keep only processes whose cgroup path contains this.
    cgroup_filter: String,
    /// `top`'s own cgroup, and its CPU seconds at the previous pass.
    own: Option<psutil::cgroup::Cgroup>,
    own_cpu: Option<(Instant, f64)>,
}

impl Collector {
    pub fn new() -> psutil::Result<Collector> {
        // Every pass re-reads each process's `stat`: keep those files open
        // (one descriptor per process, within the raised soft limit).
        raise_nofile_limit();
        let mut iter = ProcessIter::new();
        iter.set_keep_stat_open(true);
        Ok(Collector {
            iter,
            cpu: CpuPercent::new()?,
            known: HashMap::new(),
            pass: 0,
            cgroups: false,
            cgroup_filter: String::new(),
            own: psutil::cgroup::Cgroup::current().ok(),
            own_cpu: None,
        })
    }

    /// Reads every process's cgroup path (`column`), and keeps only the
    /// processes whose path contains `filter` (when not empty).
    pub fn with_cgroups(mut self, column: bool, filter: &str) -> Collector {
        self.cgroups = column || !filter.is_empty();
        self.cgroup_filter = filter.to_owned();
        self
    }

    /// The limits of `top`'s own cgroup, when it has a CPU limit or a
    /// memory limit below the host's `ram`.
    fn own_limits(&mut self, ram: u64) -> Option<CgroupLimits> {
        use psutil::cgroup::Limit;
        let cg = self.own.as_ref()?;
        let cpu_limit = match cg.effective_cpu_limit() {
            Some(Limit::Value(n)) if n > 0.0 => Some(n),
            _ => None,
        };
        let mem_limit = match cg.effective_memory_limit() {
            Some(Limit::Value(l)) if l < ram => Some(l),
            _ => None,
        };
        if cpu_limit.is_none() && mem_limit.is_none() {
            return None;
        }
        let now = Instant::now();
        let usage = cg.cpu().usage_seconds;
        let cpu_percent = match (cpu_limit, usage, self.own_cpu) {
            (Some(n), Some(u), Some((t, prev))) => {
                let secs = (now - t).as_secs_f64();
                (secs > 0.0).then(|| ((u - prev).max(0.0) / secs / n * 100.0).min(100.0))
            }
            (Some(_), Some(_), None) => Some(0.0),
            _ => None,
        };
        self.own_cpu = usage.map(|u| (now, u));
        let m = cg.memory();
        let mem_used = m.working_set.or(m.usage);
        let mem_percent = match (mem_used, mem_limit) {
            (Some(u), Some(l)) if l > 0 => Some((u as f64 / l as f64 * 100.0).min(100.0)),
            _ => None,
        };
        Some(CgroupLimits {
            path: cg.path().to_owned(),
            cpu_limit,
            cpu_percent,
            mem_limit,
            mem_used,
            mem_percent,
        })
    }

    /// One pass. `cpu_percent` values are since the previous pass (zero on
    /// the first). `prev` (the last snapshot) donates its row vector.
    pub fn collect(&mut self, prev: Option<Snapshot>) -> psutil::Result<Snapshot> {
        self.pass += 1;
        let vm = psutil::memory::virtual_memory()?;
        let sw = psutil::memory::swap_memory()?;
        let summary = Summary {
            cpu_percent: self.cpu.cpu_percent_percpu(None)?,
            mem_total: vm.total,
            mem_used: vm.used,
            mem_percent: vm.percent,
            swap_total: sw.total,
            swap_used: sw.used,
            swap_percent: sw.percent,
            load_avg: psutil::cpu::getloadavg().unwrap_or((0.0, 0.0, 0.0)),
            uptime: psutil::boot_time()
                .map(|b| (crate::sys::now() - b).max(0.0))
                .unwrap_or(0.0),
            cgroup: self.own_limits(vm.total),
        };
        let mut rows = prev.map(|s| s.processes).unwrap_or_default();
        rows.clear();
        let entries = self.iter.iter()?;
        rows.reserve(entries.len());
        let total = vm.total.max(1) as f64;
        let pass = self.pass;
        let mut known = std::mem::take(&mut self.known);
        let mut next_known = HashMap::with_capacity(entries.len());
        for p in &entries {
            let batch = p.oneshot();
            // One `stat` read serves the batch: state, parent, threads, nice
            // and CPU times.
            let Ok(st) = p.proc_stat() else { continue };
            let (Ok(times), Ok(cpu), Ok(nice)) = (p.cpu_times(), p.cpu_percent(None), p.nice())
            else {
                continue;
            };
            let pid = p.pid();
            let cpu_time = times.user + times.system;
            let mut k = match known.remove(&pid) {
                Some(k) if k.start_ticks == p.start_ticks() => k,
                _ => Known {
                    handle: Arc::clone(p),
                    start_ticks: p.start_ticks(),
                    user: Arc::from(""),
                    owner_pass: 0,
                    mem: None,
                    cpu_time: -1.0,
                    comm: Vec::new(),
                    name: String::new(),
                    cgroup: None,
                },
            };
            // The name changes only with `comm` (exec, prctl): a long one is
            // completed from `cmdline`, so it is not re-read every pass.
            if k.comm != st.comm {
                let Ok(name) = p.name() else { continue };
                k.name = name;
                k.comm = st.comm;
            }
            if self.cgroups && k.cgroup.is_none() {
                k.cgroup = psutil::cgroup::cgroup_path(pid).ok();
            }
            if !self.cgroup_filter.is_empty()
                && !k
                    .cgroup
                    .as_deref()
                    .is_some_and(|c| c.contains(self.cgroup_filter.as_str()))
            {
                next_known.insert(pid, k);
                continue;
            }
            let due = pass.wrapping_add(u64::from(pid)) % REFRESH_EVERY == 0;
            if k.mem.is_none() || due || k.cpu_time != cpu_time {
                k.mem = p.memory_info().ok().map(|m| (m.vms, m.rss)).or(k.mem);
            }
            k.cpu_time = cpu_time;
            // Outside the batch, the owner comes from the pidfd (no `status`
            // to render), which a batch would read instead.
            drop(batch);
            if k.owner_pass == 0 || due {
                k.owner_pass = pass;
                if let Ok(u) = p.username() {
                    if *k.user != *u {
                        k.user = Arc::from(u);
                    }
                }
            }
            let (virt, res) = k.mem.unwrap_or((0, 0));
            rows.push(ProcRow {
                pid,
                ppid: st.ppid,
                start_ticks: p.start_ticks(),
                user: Arc::clone(&k.user),
                nice,
                virt,
                res,
                cpu_percent: cpu,
                memory_percent: res as f64 / total * 100.0,
                cpu_time,
                status: st.status,
                num_threads: st.num_threads,
                name: k.name.clone(),
                cmdline: None,
                cgroup: k.cgroup.clone(),
            });
            next_known.insert(pid, k);
        }
        self.known = next_known;
        Ok(Snapshot {
            summary,
            processes: rows,
        })
    }

    /// Sends `sig` to the process `pid` started at `start_ticks` (so a
    /// reused PID is never signalled).
    pub fn signal(
        &self,
        pid: u32,
        start_ticks: u64,
        sig: psutil::process::Signal,
    ) -> psutil::Result<()> {
        let gone = |reason| psutil::Error::NoSuchProcess {
            pid,
            name: None,
            reason,
        };
        match self.known.get(&pid) {
            Some(k) if k.start_ticks == start_ticks => k.handle.send_signal(sig),
            _ => match psutil::Process::new(pid) {
                Ok(p) if p.start_ticks() == start_ticks => p.send_signal(sig),
                Ok(_) => Err(gone(psutil::GoneReason::PidReused)),
                Err(_) => Err(gone(psutil::GoneReason::Exited)),
            },
        }
    }

    /// Reads the command line of the rows `which` (indexes into
    /// `snap.processes`), e.g. the rows on screen.
    pub fn fill_cmdlines(&self, snap: &mut Snapshot, which: impl IntoIterator<Item = usize>) {
        for i in which {
            let Some(row) = snap.processes.get_mut(i) else {
                continue;
            };
            if row.cmdline.is_some() {
                continue;
            }
            row.cmdline = Some(match self.known.get(&row.pid) {
                Some(k) if k.start_ticks == row.start_ticks => {
                    k.handle.cmdline().map(|c| c.join(" ")).unwrap_or_default()
                }
                _ => String::new(),
            });
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A row with the given identity and figures (for tests).
    pub fn row(pid: u32, ppid: u32, name: &str, cpu: f64, res: u64, time: f64) -> ProcRow {
        ProcRow {
            pid,
            ppid,
            start_ticks: 0,
            user: Arc::from("root"),
            nice: 0,
            virt: res * 4,
            res,
            cpu_percent: cpu,
            memory_percent: res as f64 / (1u64 << 30) as f64 * 100.0,
            cpu_time: time,
            status: Status::Sleeping,
            num_threads: 1,
            name: name.to_string(),
            cmdline: None,
            cgroup: None,
        }
    }

    pub fn sample_rows() -> Vec<ProcRow> {
        vec![
            row(1, 0, "init", 0.5, 10 << 20, 100.0),
            row(20, 1, "sshd", 2.0, 5 << 20, 3.0),
            row(300, 20, "bash", 0.0, 4 << 20, 0.5),
            row(301, 300, "vim", 12.5, 30 << 20, 7.0),
            row(302, 300, "cargo", 50.0, 200 << 20, 60.0),
            row(400, 1, "cron", 0.1, 2 << 20, 1.0),
        ]
    }

    fn pids(rows: &[ProcRow], lines: &[Line]) -> Vec<u32> {
        lines.iter().map(|l| rows[l.idx].pid).collect()
    }

    #[test]
    fn top_sort_orders() {
        let r = sample_rows();
        let a = |k| pids(&r, &arrange(&r, k, "", false));
        assert_eq!(a(SortKey::Cpu), [302, 301, 20, 1, 400, 300]);
        assert_eq!(a(SortKey::Mem), [302, 301, 1, 20, 300, 400]);
        assert_eq!(a(SortKey::Pid), [1, 20, 300, 301, 302, 400]);
        assert_eq!(a(SortKey::Time), [1, 302, 301, 20, 400, 300]);
    }

    #[test]
    fn top_filter_ignores_case() {
        let r = sample_rows();
        let l = arrange(&r, SortKey::Pid, "CaR", false);
        assert_eq!(pids(&r, &l), [302]);
        assert!(arrange(&r, SortKey::Pid, "nope", false).is_empty());
    }

    #[test]
    fn top_tree_nests_children_under_parents() {
        let r = sample_rows();
        let l = arrange(&r, SortKey::Pid, "", true);
        assert_eq!(pids(&r, &l), [1, 20, 300, 301, 302, 400]);
        let prefixes: Vec<&str> = l.iter().map(|l| l.prefix.as_str()).collect();
        assert_eq!(
            prefixes,
            ["", "├─ ", "│  └─ ", "│     ├─ ", "│     └─ ", "└─ "]
        );
        // Children follow the sort key: cargo (50%) before vim (12.5%).
        let l = arrange(&r, SortKey::Cpu, "", true);
        assert_eq!(pids(&r, &l), [1, 20, 300, 302, 301, 400]);
        // A filtered-out parent leaves its children as roots.
        let l = arrange(&r, SortKey::Pid, "v", true);
        assert_eq!(pids(&r, &l), [301]);
        assert_eq!(l[0].prefix, "");
    }

    #[test]
    fn top_counts_by_status() {
        let mut r = sample_rows();
        r[0].status = Status::Running;
        r[1].status = Status::Zombie;
        r[2].status = Status::Idle;
        r[3].status = Status::Stopped;
        let s = Snapshot {
            summary: Summary::default(),
            processes: r,
        };
        let c = s.counts();
        assert_eq!(
            (c.total, c.running, c.sleeping, c.idle, c.stopped, c.zombie),
            (6, 1, 2, 1, 1, 1)
        );
        assert_eq!(c.threads, 6);
    }

    #[test]
    fn top_collector_sees_this_process() {
        let mut c = Collector::new().unwrap();
        let s = c.collect(None).unwrap();
        let me = std::process::id();
        let i = s.processes.iter().position(|p| p.pid == me).unwrap();
        let mut s = c.collect(Some(s)).unwrap();
        let i2 = s.processes.iter().position(|p| p.pid == me).unwrap();
        assert!(i2 <= i + 1000);
        c.fill_cmdlines(&mut s, [i2]);
        let row = &s.processes[i2];
        assert!(row.cmdline.as_deref().unwrap().contains("psutil"));
        assert!(row.res > 0 && row.virt >= row.res);
        assert!(!row.user.is_empty());
        assert!(s.summary.mem_total > 0);
        assert!(!s.summary.cpu_percent.is_empty());
    }
}
