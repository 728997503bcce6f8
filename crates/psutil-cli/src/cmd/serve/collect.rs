//! What one scrape reads from the library ([`Collector::collect`]) and how
//! it becomes metric families ([`families`], a pure function).
//!
//! Each area (cpu, memory, disks, ...) is one collector: if it fails, its
//! metrics are left out and `psutil_scrape_collector_success` says so, but
//! the scrape still answers. Processes that vanish or deny access while
//! being read are skipped, or lose only the metric that was refused.

use std::collections::HashMap;
use std::time::Instant;

use psutil::cgroup::{self, Cgroup, CgroupStats, Limit, Pressure, PressureStats};
use psutil::cpu::{self, CpuStats, CpuTimes};
use psutil::disk::{self, DiskIoCounters, DiskUsage};
use psutil::memory::{self, SwapMemory, VirtualMemory};
use psutil::net::{self, NetIoCounters};
use psutil::process::{CpuTimes as ProcCpuTimes, IoCounters, MemoryInfo, ProcStat};
use psutil::sensors::{self, Temperature};
use regex::Regex;

use super::metrics::{Exposition, Kind};

/// Which processes get per-process metrics.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Only processes whose name matches (unanchored search).
    pub pattern: Option<Regex>,
    /// At most this many, the busiest first (CPU time since the previous
    /// collection). 0 turns per-process metrics off.
    pub top: usize,
}

/// Which cgroups get per-cgroup metrics: a bounded set.
#[derive(Debug, Clone)]
pub struct CgroupSelection {
    /// Cgroups down to this depth below the root (the root itself, the
    /// whole machine, is left out); 0 turns per-cgroup metrics off.
    pub depth: usize,
    /// Only cgroups whose path matches (unanchored search).
    pub pattern: Option<Regex>,
    /// At most this many cgroups, in tree order.
    pub max: usize,
}

impl Default for CgroupSelection {
    fn default() -> Self {
        CgroupSelection {
            depth: 3,
            pattern: None,
            max: 1000,
        }
    }
}

/// One selected cgroup: its path, what its path says about a container,
/// and its figures.
#[derive(Debug, Clone, Default)]
pub struct CgroupSample {
    pub path: String,
    pub runtime: Option<&'static str>,
    pub container_id: Option<String>,
    pub pod_uid: Option<String>,
    pub stats: CgroupStats,
}

/// One mounted filesystem and its usage.
#[derive(Debug, Clone)]
pub struct Filesystem {
    pub device: String,
    pub mountpoint: String,
    pub fstype: String,
    pub usage: DiskUsage,
}

/// One selected process. `None` fields were refused or unreadable and are
/// left out of the output.
#[derive(Debug, Clone, Default)]
pub struct ProcSample {
    pub pid: u32,
    pub name: String,
    pub cpu_times: Option<ProcCpuTimes>,
    pub memory: Option<MemoryInfo>,
    pub io: Option<IoCounters>,
    pub num_fds: Option<usize>,
    pub num_threads: Option<u64>,
    pub create_time: Option<f64>,
}

/// Everything one scrape reports. Fields of a failed collector are
/// empty/`None`; `collectors` records each collector's outcome.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub cpu_times: Vec<CpuTimes>,
    pub cpu_count_logical: Option<usize>,
    pub cpu_count_physical: Option<usize>,
    pub cpu_stats: Option<CpuStats>,
    pub load: Option<(f64, f64, f64)>,
    pub memory: Option<VirtualMemory>,
    pub swap: Option<SwapMemory>,
    pub disk_io: Vec<(String, DiskIoCounters)>,
    pub filesystems: Vec<Filesystem>,
    pub nics: Vec<(String, NetIoCounters)>,
    /// (chip, sensors) as `sensors_temperatures()` lists them.
    pub temperatures: Vec<(String, Vec<Temperature>)>,
    pub boot_time: Option<f64>,
    /// Process count per psutil status string; `None` if the process
    /// collector failed.
    pub status_counts: Option<Vec<(&'static str, u64)>>,
    pub procs: Vec<ProcSample>,
    /// System-wide PSI (`/proc/pressure`); `None` without PSI.
    pub pressure: Option<PressureStats>,
    pub cgroups: Vec<CgroupSample>,
    /// (collector, succeeded, seconds taken).
    pub collectors: Vec<(&'static str, bool, f64)>,
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

/// One collector: its name (the `collector` label, the `--collector.NAME`
/// flag) and what it exports.
#[derive(Debug, Clone, Copy)]
pub struct CollectorDef {
    pub name: &'static str,
    /// `collector.NAME`, the flag turning it on.
    pub on: &'static str,
    /// `no-collector.NAME`, the flag turning it off.
    pub off: &'static str,
    pub help: &'static str,
}

macro_rules! collectors {
    ($($name:literal => $help:literal,)*) => {
        /// Every collector, in the order a scrape runs them. All are on by
        /// default.
        pub const COLLECTORS: &[CollectorDef] = &[$(CollectorDef {
            name: $name,
            on: concat!("collector.", $name),
            off: concat!("no-collector.", $name),
            help: $help,
        }),*];
    };
}

collectors! {
    "cpu" => "CPU times and counts, context switches, interrupts (psutil_cpu_*, ...)",
    "loadavg" => "load averages (psutil_load1, psutil_load5, psutil_load15)",
    "memory" => "memory and swap (psutil_memory_*, psutil_swap_*)",
    "diskstats" => "disk I/O counters (psutil_disk_*)",
    "filesystem" => "filesystem sizes and usage (psutil_filesystem_*)",
    "netdev" => "network interface counters (psutil_network_*)",
    "temperature" => "temperature sensors (psutil_temperature_*)",
    "boottime" => "boot time (psutil_boot_time_seconds)",
    "processes" => "psutil_processes and psutil_process_*: reads every /proc/PID",
    "pressure" => "system pressure stall information (psutil_pressure_*)",
    "cgroup" => "per-cgroup metrics (psutil_cgroup_*)",
}

/// Which collectors run: one flag per entry of [`COLLECTORS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enabled(Vec<bool>);

impl Default for Enabled {
    fn default() -> Self {
        Enabled(vec![true; COLLECTORS.len()])
    }
}

impl Enabled {
    /// None on (node_exporter's `--collector.disable-defaults`).
    pub fn none() -> Self {
        Enabled(vec![false; COLLECTORS.len()])
    }

    /// Turns collector `name` on or off; false if there is no such one.
    pub fn set(&mut self, name: &str, on: bool) -> bool {
        match COLLECTORS.iter().position(|c| c.name == name) {
            Some(i) => {
                self.0[i] = on;
                true
            }
            None => false,
        }
    }

    pub fn is_on(&self, name: &str) -> bool {
        COLLECTORS
            .iter()
            .position(|c| c.name == name)
            .is_some_and(|i| self.0[i])
    }
}

/// Reads snapshots; keeps the CPU times of the previous pass, to rank
/// processes by recent CPU use, and the `/proc` reader's buffers.
pub struct Collector {
    selection: Selection,
    cgroups: CgroupSelection,
    enabled: Enabled,
    scan: Option<psutil::process::StatScan>,
    /// (pid, start ticks) -> user+system ticks at the previous pass.
    prev_cpu: HashMap<(u32, u64), u64>,
    /// This pass's, swapped with `prev_cpu` at the end.
    cur_cpu: HashMap<(u32, u64), u64>,
}

impl Collector {
    pub fn new(selection: Selection) -> Self {
        Collector {
            selection,
            cgroups: CgroupSelection::default(),
            enabled: Enabled::default(),
            scan: None,
            prev_cpu: HashMap::new(),
            cur_cpu: HashMap::new(),
        }
    }

    /// Sets which cgroups get per-cgroup metrics.
    pub fn with_cgroups(mut self, cgroups: CgroupSelection) -> Self {
        self.cgroups = cgroups;
        self
    }

    /// Sets which collectors run.
    pub fn with_collectors(mut self, enabled: Enabled) -> Self {
        self.enabled = enabled;
        self
    }

    /// One full collection. Never fails: a failing area is recorded in
    /// `collectors` and left out; a collector turned off is not run.
    pub fn collect(&mut self) -> Snapshot {
        let mut s = Snapshot::default();
        let on = self.enabled.clone();
        let on = |name| on.is_on(name);
        if on("cpu") {
            timed(&mut s, "cpu", |s| {
                s.cpu_times = cpu::cpu_times_percpu()?;
                s.cpu_count_logical = cpu::cpu_count(true)?;
                s.cpu_count_physical = cpu::cpu_count(false).ok().flatten();
                s.cpu_stats = cpu::cpu_stats().ok();
                Ok(())
            });
        }
        if on("loadavg") {
            timed(&mut s, "loadavg", |s| {
                s.load = Some(cpu::getloadavg()?);
                Ok(())
            });
        }
        if on("memory") {
            timed(&mut s, "memory", |s| {
                s.memory = Some(memory::virtual_memory()?);
                s.swap = Some(memory::swap_memory()?);
                Ok(())
            });
        }
        if on("diskstats") {
            timed(&mut s, "diskstats", |s| {
                let m = disk::disk_io_counters_perdisk(false)?;
                s.disk_io = m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
                Ok(())
            });
        }
        if on("filesystem") {
            timed(&mut s, "filesystem", |s| {
                for p in disk::disk_partitions(false)? {
                    // One unreadable mount (gone, denied) does not hide the rest.
                    if let Ok(usage) = disk::disk_usage(&p.mountpoint) {
                        s.filesystems.push(Filesystem {
                            device: p.device,
                            mountpoint: p.mountpoint,
                            fstype: p.fstype,
                            usage,
                        });
                    }
                }
                Ok(())
            });
        }
        if on("netdev") {
            timed(&mut s, "netdev", |s| {
                let m = net::net_io_counters_pernic(false)?;
                s.nics = m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
                Ok(())
            });
        }
        if on("temperature") {
            timed(&mut s, "temperature", |s| {
                let m = sensors::sensors_temperatures(false)?;
                s.temperatures = m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                Ok(())
            });
        }
        if on("boottime") {
            timed(&mut s, "boottime", |s| {
                s.boot_time = Some(psutil::boot_time()?);
                Ok(())
            });
        }
        if on("processes") {
            timed(&mut s, "processes", |s| Ok(self.processes(s)?));
        }
        if on("pressure") {
            timed(&mut s, "pressure", |s| {
                s.pressure = cgroup::system_pressure();
                Ok(())
            });
        }
        if on("cgroup") && self.cgroups.depth > 0 {
            timed(&mut s, "cgroup", |s| {
                s.cgroups = select_cgroups(&Cgroup::root()?, &self.cgroups);
                Ok(())
            });
        }
        s
    }

    /// Counts every process by status and reads the selected ones: one
    /// `stat` read per process (the library's `StatScan`), plus `io` and
    /// `fd` for the selected.
    fn processes(&mut self, s: &mut Snapshot) -> psutil::Result<()> {
        if self.scan.is_none() {
            self.scan = Some(psutil::process::StatScan::new()?);
        }
        let Some(scan) = self.scan.as_mut() else {
            unreachable!()
        };
        let mut counts: Vec<(&'static str, u64)> = STATUSES.iter().map(|&k| (k, 0)).collect();
        let cur = &mut self.cur_cpu;
        let prev = &self.prev_cpu;
        cur.clear();
        let top = self.selection.top;
        let pattern = &self.selection.pattern;
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
        std::mem::swap(&mut self.prev_cpu, &mut self.cur_cpu);
        s.status_counts = Some(counts);
        sort_ranked(&mut ranked);
        ranked.truncate(top);
        let ticks = clock_ticks();
        let page = page_size();
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
                cpu_times: Some(ProcCpuTimes {
                    user: st.user_ticks as f64 / ticks,
                    system: st.system_ticks as f64 / ticks,
                    ..ProcCpuTimes::default()
                }),
                memory: Some(MemoryInfo {
                    rss: st.rss_pages.unwrap_or(0).saturating_mul(page),
                    vms: st.vms.unwrap_or(0),
                    ..MemoryInfo::default()
                }),
                io,
                num_fds,
                num_threads: Some(st.num_threads),
                create_time: boot.map(|b| b + st.start_ticks as f64 / ticks),
            });
        }
        Ok(())
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
    lossy(&st.comm)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `sysconf(_SC_CLK_TCK)`.
fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if n > 0 {
        n as f64
    } else {
        100.0
    }
}

/// `sysconf(_SC_PAGESIZE)`.
fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u64::try_from(n).ok().filter(|&n| n > 0).unwrap_or(4096)
}

/// The figures of the cgroups `sel` picks under `root`.
fn select_cgroups(root: &Cgroup, sel: &CgroupSelection) -> Vec<CgroupSample> {
    root.descendants(sel.depth)
        .into_iter()
        .filter(|(cg, depth)| {
            *depth > 0 && sel.pattern.as_ref().is_none_or(|re| re.is_match(cg.path()))
        })
        .take(sel.max)
        .map(|(cg, _)| {
            let p = cg.placement();
            CgroupSample {
                path: cg.path().to_owned(),
                runtime: p.runtime.map(|r| r.name()),
                container_id: p.container_id,
                pod_uid: p.pod_uid,
                stats: cg.stats(),
            }
        })
        .collect()
}

/// Runs one collector on `s`, recording its outcome and duration.
fn timed(
    s: &mut Snapshot,
    name: &'static str,
    f: impl FnOnce(&mut Snapshot) -> Result<(), Box<dyn std::error::Error>>,
) {
    let t = Instant::now();
    let ok = f(s).is_ok();
    s.collectors.push((name, ok, t.elapsed().as_secs_f64()));
}

/// Disambiguates sensor labels within one chip: unlabeled sensors become
/// `temp1`, `temp2`, ... (by position), repeated labels get `_N`.
fn sensor_names(sensors: &[Temperature]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(sensors.len());
    for (i, t) in sensors.iter().enumerate() {
        let mut name = if t.label.is_empty() {
            format!("temp{}", i + 1)
        } else {
            t.label.clone()
        };
        if out.contains(&name) {
            name = format!("{name}_{}", i + 1);
        }
        out.push(name);
    }
    out
}

/// The metric families of a snapshot (pure: no I/O).
pub fn families(s: &Snapshot) -> Exposition {
    use Kind::{Counter, Gauge};
    let mut e = Exposition::new();

    // CPU, node_exporter style: guest time is part of user/nice in the
    // kernel's accounting, so it gets its own family, not a mode.
    for (i, t) in s.cpu_times.iter().enumerate() {
        let cpu = i.to_string();
        let modes = [
            ("user", Some(t.user)),
            ("nice", Some(t.nice)),
            ("system", Some(t.system)),
            ("idle", Some(t.idle)),
            ("iowait", Some(t.iowait)),
            ("irq", Some(t.irq)),
            ("softirq", Some(t.softirq)),
            ("steal", t.steal),
        ];
        for (mode, v) in modes {
            if let Some(v) = v {
                e.add(
                    "psutil_cpu_seconds_total",
                    "Seconds the CPUs spent in each mode (cpu_times(percpu=True)).",
                    Counter,
                    &[("cpu", &cpu), ("mode", mode)],
                    v,
                );
            }
        }
        for (mode, v) in [("user", t.guest), ("nice", t.guest_nice)] {
            if let Some(v) = v {
                e.add(
                    "psutil_cpu_guest_seconds_total",
                    "Seconds the CPUs spent running guests (cpu_times guest, guest_nice).",
                    Counter,
                    &[("cpu", &cpu), ("mode", mode)],
                    v,
                );
            }
        }
    }
    if let Some(n) = s.cpu_count_logical {
        e.add(
            "psutil_cpu_count_logical",
            "Logical CPUs (cpu_count()).",
            Gauge,
            &[],
            n,
        );
    }
    if let Some(n) = s.cpu_count_physical {
        e.add(
            "psutil_cpu_count_physical",
            "Physical cores (cpu_count(logical=False)).",
            Gauge,
            &[],
            n,
        );
    }
    if let Some(st) = &s.cpu_stats {
        e.add(
            "psutil_context_switches_total",
            "Context switches since boot (cpu_stats().ctx_switches).",
            Counter,
            &[],
            st.ctx_switches,
        );
        e.add(
            "psutil_interrupts_total",
            "Interrupts since boot (cpu_stats().interrupts).",
            Counter,
            &[],
            st.interrupts,
        );
        if let Some(n) = st.soft_interrupts {
            e.add(
                "psutil_soft_interrupts_total",
                "Soft interrupts since boot (cpu_stats().soft_interrupts).",
                Counter,
                &[],
                n,
            );
        }
    }
    if let Some((l1, l5, l15)) = s.load {
        e.add("psutil_load1", "1 minute load average.", Gauge, &[], l1);
        e.add("psutil_load5", "5 minute load average.", Gauge, &[], l5);
        e.add("psutil_load15", "15 minute load average.", Gauge, &[], l15);
    }

    if let Some(m) = &s.memory {
        let fields: [(&'static str, &'static str, u64); 10] = [
            (
                "psutil_memory_total_bytes",
                "Total physical memory (virtual_memory().total).",
                m.total,
            ),
            (
                "psutil_memory_available_bytes",
                "Memory available without swapping (virtual_memory().available).",
                m.available,
            ),
            (
                "psutil_memory_used_bytes",
                "Used memory (virtual_memory().used).",
                m.used,
            ),
            (
                "psutil_memory_free_bytes",
                "Unused memory (virtual_memory().free).",
                m.free,
            ),
            (
                "psutil_memory_active_bytes",
                "Recently used memory (virtual_memory().active).",
                m.active,
            ),
            (
                "psutil_memory_inactive_bytes",
                "Memory not recently used (virtual_memory().inactive).",
                m.inactive,
            ),
            (
                "psutil_memory_buffers_bytes",
                "Buffer cache (virtual_memory().buffers).",
                m.buffers,
            ),
            (
                "psutil_memory_cached_bytes",
                "Page cache (virtual_memory().cached).",
                m.cached,
            ),
            (
                "psutil_memory_shared_bytes",
                "Shared memory (virtual_memory().shared).",
                m.shared,
            ),
            (
                "psutil_memory_slab_bytes",
                "Kernel slab memory (virtual_memory().slab).",
                m.slab,
            ),
        ];
        for (name, help, v) in fields {
            e.add(name, help, Gauge, &[], v);
        }
    }
    if let Some(sw) = &s.swap {
        e.add(
            "psutil_swap_total_bytes",
            "Total swap (swap_memory().total).",
            Gauge,
            &[],
            sw.total,
        );
        e.add(
            "psutil_swap_used_bytes",
            "Used swap (swap_memory().used).",
            Gauge,
            &[],
            sw.used,
        );
        e.add(
            "psutil_swap_free_bytes",
            "Free swap (swap_memory().free).",
            Gauge,
            &[],
            sw.free,
        );
        e.add(
            "psutil_swap_in_bytes_total",
            "Bytes swapped in from disk since boot (swap_memory().sin).",
            Counter,
            &[],
            sw.sin,
        );
        e.add(
            "psutil_swap_out_bytes_total",
            "Bytes swapped out to disk since boot (swap_memory().sout).",
            Counter,
            &[],
            sw.sout,
        );
    }

    for (dev, d) in &s.disk_io {
        let l = [("device", dev.as_str())];
        let ms = |v: u64| v as f64 / 1000.0;
        e.add(
            "psutil_disk_reads_completed_total",
            "Reads completed (disk_io_counters().read_count).",
            Counter,
            &l,
            d.read_count,
        );
        e.add(
            "psutil_disk_writes_completed_total",
            "Writes completed (disk_io_counters().write_count).",
            Counter,
            &l,
            d.write_count,
        );
        e.add(
            "psutil_disk_reads_merged_total",
            "Reads merged (disk_io_counters().read_merged_count).",
            Counter,
            &l,
            d.read_merged_count,
        );
        e.add(
            "psutil_disk_writes_merged_total",
            "Writes merged (disk_io_counters().write_merged_count).",
            Counter,
            &l,
            d.write_merged_count,
        );
        e.add(
            "psutil_disk_read_bytes_total",
            "Bytes read (disk_io_counters().read_bytes).",
            Counter,
            &l,
            d.read_bytes,
        );
        e.add(
            "psutil_disk_written_bytes_total",
            "Bytes written (disk_io_counters().write_bytes).",
            Counter,
            &l,
            d.write_bytes,
        );
        e.add(
            "psutil_disk_read_time_seconds_total",
            "Seconds spent reading (disk_io_counters().read_time).",
            Counter,
            &l,
            ms(d.read_time),
        );
        e.add(
            "psutil_disk_write_time_seconds_total",
            "Seconds spent writing (disk_io_counters().write_time).",
            Counter,
            &l,
            ms(d.write_time),
        );
        e.add(
            "psutil_disk_io_time_seconds_total",
            "Seconds spent doing I/O (disk_io_counters().busy_time).",
            Counter,
            &l,
            ms(d.busy_time),
        );
    }

    for f in &s.filesystems {
        let l = [
            ("device", f.device.as_str()),
            ("fstype", f.fstype.as_str()),
            ("mountpoint", f.mountpoint.as_str()),
        ];
        e.add(
            "psutil_filesystem_size_bytes",
            "Filesystem size (disk_usage().total).",
            Gauge,
            &l,
            f.usage.total,
        );
        e.add(
            "psutil_filesystem_used_bytes",
            "Filesystem space used (disk_usage().used).",
            Gauge,
            &l,
            f.usage.used,
        );
        e.add(
            "psutil_filesystem_free_bytes",
            "Filesystem space free for unprivileged users (disk_usage().free).",
            Gauge,
            &l,
            f.usage.free,
        );
    }

    for (nic, n) in &s.nics {
        let l = [("device", nic.as_str())];
        e.add(
            "psutil_network_receive_bytes_total",
            "Bytes received (net_io_counters().bytes_recv).",
            Counter,
            &l,
            n.bytes_recv,
        );
        e.add(
            "psutil_network_transmit_bytes_total",
            "Bytes sent (net_io_counters().bytes_sent).",
            Counter,
            &l,
            n.bytes_sent,
        );
        e.add(
            "psutil_network_receive_packets_total",
            "Packets received (net_io_counters().packets_recv).",
            Counter,
            &l,
            n.packets_recv,
        );
        e.add(
            "psutil_network_transmit_packets_total",
            "Packets sent (net_io_counters().packets_sent).",
            Counter,
            &l,
            n.packets_sent,
        );
        e.add(
            "psutil_network_receive_errs_total",
            "Receive errors (net_io_counters().errin).",
            Counter,
            &l,
            n.errin,
        );
        e.add(
            "psutil_network_transmit_errs_total",
            "Transmit errors (net_io_counters().errout).",
            Counter,
            &l,
            n.errout,
        );
        e.add(
            "psutil_network_receive_drop_total",
            "Incoming packets dropped (net_io_counters().dropin).",
            Counter,
            &l,
            n.dropin,
        );
        e.add(
            "psutil_network_transmit_drop_total",
            "Outgoing packets dropped (net_io_counters().dropout).",
            Counter,
            &l,
            n.dropout,
        );
    }

    for (chip, sensors) in &s.temperatures {
        for (t, name) in sensors.iter().zip(sensor_names(sensors)) {
            let l = [("chip", chip.as_str()), ("sensor", name.as_str())];
            e.add(
                "psutil_temperature_celsius",
                "Current temperature (sensors_temperatures()).",
                Gauge,
                &l,
                t.current,
            );
            if let Some(h) = t.high {
                e.add(
                    "psutil_temperature_high_celsius",
                    "High threshold of the sensor.",
                    Gauge,
                    &l,
                    h,
                );
            }
            if let Some(c) = t.critical {
                e.add(
                    "psutil_temperature_critical_celsius",
                    "Critical threshold of the sensor.",
                    Gauge,
                    &l,
                    c,
                );
            }
        }
    }

    if let Some(b) = s.boot_time {
        e.add(
            "psutil_boot_time_seconds",
            "System boot time, seconds since the epoch (boot_time()).",
            Gauge,
            &[],
            b,
        );
    }

    if let Some(counts) = &s.status_counts {
        for (status, n) in counts {
            e.add(
                "psutil_processes",
                "Processes by status (Process.status()).",
                Gauge,
                &[("status", status)],
                *n,
            );
        }
    }

    for p in &s.procs {
        let pid = p.pid.to_string();
        let l = [("pid", pid.as_str()), ("name", p.name.as_str())];
        if let Some(t) = &p.cpu_times {
            for (mode, v) in [("user", t.user), ("system", t.system)] {
                e.add(
                    "psutil_process_cpu_seconds_total",
                    "CPU seconds of a selected process (Process.cpu_times()).",
                    Counter,
                    &[l[0], l[1], ("mode", mode)],
                    v,
                );
            }
        }
        if let Some(m) = &p.memory {
            e.add(
                "psutil_process_resident_memory_bytes",
                "Resident set size (Process.memory_info().rss).",
                Gauge,
                &l,
                m.rss,
            );
            e.add(
                "psutil_process_virtual_memory_bytes",
                "Virtual memory size (Process.memory_info().vms).",
                Gauge,
                &l,
                m.vms,
            );
        }
        if let Some(io) = &p.io {
            e.add(
                "psutil_process_read_bytes_total",
                "Bytes read from storage (Process.io_counters().read_bytes).",
                Counter,
                &l,
                io.read_bytes,
            );
            e.add(
                "psutil_process_written_bytes_total",
                "Bytes written to storage (Process.io_counters().write_bytes).",
                Counter,
                &l,
                io.write_bytes,
            );
        }
        if let Some(n) = p.num_fds {
            e.add(
                "psutil_process_open_fds",
                "Open file descriptors (Process.num_fds()).",
                Gauge,
                &l,
                n,
            );
        }
        if let Some(n) = p.num_threads {
            e.add(
                "psutil_process_threads",
                "Threads (Process.num_threads()).",
                Gauge,
                &l,
                n,
            );
        }
        if let Some(t) = p.create_time {
            e.add(
                "psutil_process_start_time_seconds",
                "Start time, seconds since the epoch (Process.create_time()).",
                Gauge,
                &l,
                t,
            );
        }
    }

    if let Some(p) = &s.pressure {
        pressure_families(&mut e, p);
    }
    for c in &s.cgroups {
        cgroup_families(&mut e, c);
    }

    for (name, ok, secs) in &s.collectors {
        let l = [("collector", *name)];
        e.add(
            "psutil_scrape_collector_success",
            "Whether a collector succeeded (1) or failed (0) in this scrape.",
            Gauge,
            &l,
            if *ok { 1u64 } else { 0 },
        );
        e.add(
            "psutil_scrape_collector_duration_seconds",
            "Seconds a collector took in this scrape.",
            Gauge,
            &l,
            *secs,
        );
    }
    e
}

/// The total stall time of a PSI file's `some` line (`full`: its `full`
/// line), seconds; `None` without the file or the line.
fn psi_seconds(p: &Option<Pressure>, full: bool) -> Option<f64> {
    let p = p.as_ref()?;
    let line = if full { p.full? } else { p.some };
    Some(line.total as f64 / 1e6)
}

/// System-wide PSI under node_exporter's names (`node_pressure_*`),
/// prefixed `psutil_`: `waiting` is the `some` line, `stalled` the `full`
/// one (none for the CPU, as node_exporter).
fn pressure_families(e: &mut Exposition, p: &PressureStats) {
    let fams: [(&'static str, &'static str, Option<f64>); 5] = [
        (
            "psutil_pressure_cpu_waiting_seconds_total",
            "Seconds some task waited for a CPU (/proc/pressure/cpu some).",
            psi_seconds(&p.cpu, false),
        ),
        (
            "psutil_pressure_memory_waiting_seconds_total",
            "Seconds some task waited for memory (/proc/pressure/memory some).",
            psi_seconds(&p.memory, false),
        ),
        (
            "psutil_pressure_memory_stalled_seconds_total",
            "Seconds all non-idle tasks stalled on memory (/proc/pressure/memory full).",
            psi_seconds(&p.memory, true),
        ),
        (
            "psutil_pressure_io_waiting_seconds_total",
            "Seconds some task waited for I/O (/proc/pressure/io some).",
            psi_seconds(&p.io, false),
        ),
        (
            "psutil_pressure_io_stalled_seconds_total",
            "Seconds all non-idle tasks stalled on I/O (/proc/pressure/io full).",
            psi_seconds(&p.io, true),
        ),
    ];
    for (name, help, v) in fams {
        if let Some(v) = v {
            e.add(name, help, Kind::Counter, &[], v);
        }
    }
}

/// One cgroup's metrics, with cAdvisor's meanings (`container_*` there,
/// `psutil_cgroup_*` here): label `cgroup` (the path, cAdvisor's `id`),
/// plus `runtime`, `container_id` and `pod_uid` where the path names them.
/// A figure the cgroup does not have (no controller, unlimited) is left
/// out, never written as 0.
fn cgroup_families(e: &mut Exposition, c: &CgroupSample) {
    use Kind::{Counter, Gauge};
    let mut l: Vec<(&'static str, &str)> = vec![("cgroup", c.path.as_str())];
    if let Some(rt) = c.runtime {
        l.push(("runtime", rt));
    }
    if let Some(id) = &c.container_id {
        l.push(("container_id", id));
    }
    if let Some(uid) = &c.pod_uid {
        l.push(("pod_uid", uid));
    }
    let (m, cpu) = (&c.stats.memory, &c.stats.cpu);
    let mut add = |name, help, kind, v: Option<f64>| {
        if let Some(v) = v {
            e.add(name, help, kind, &l, v);
        }
    };
    let f = |v: Option<u64>| v.map(|v| v as f64);
    add(
        "psutil_cgroup_cpu_usage_seconds_total",
        "CPU seconds used by the cgroup and its descendants (cAdvisor container_cpu_usage_seconds_total).",
        Counter,
        cpu.usage_seconds,
    );
    add(
        "psutil_cgroup_cpu_user_seconds_total",
        "User CPU seconds (cAdvisor container_cpu_user_seconds_total).",
        Counter,
        cpu.user_seconds,
    );
    add(
        "psutil_cgroup_cpu_system_seconds_total",
        "System CPU seconds (cAdvisor container_cpu_system_seconds_total).",
        Counter,
        cpu.system_seconds,
    );
    // As cAdvisor: throttling only where a quota makes it meaningful.
    if let (Some(Limit::Value(quota)), Some(period)) = (cpu.quota_us, cpu.period_us) {
        add(
            "psutil_cgroup_spec_cpu_quota",
            "CPU quota per period, microseconds (cAdvisor container_spec_cpu_quota).",
            Gauge,
            Some(quota as f64),
        );
        add(
            "psutil_cgroup_spec_cpu_period",
            "CPU quota period, microseconds (cAdvisor container_spec_cpu_period).",
            Gauge,
            Some(period as f64),
        );
        add(
            "psutil_cgroup_cpu_cfs_periods_total",
            "Elapsed enforcement periods (cAdvisor container_cpu_cfs_periods_total).",
            Counter,
            f(cpu.nr_periods),
        );
        add(
            "psutil_cgroup_cpu_cfs_throttled_periods_total",
            "Periods in which the quota ran out (cAdvisor container_cpu_cfs_throttled_periods_total).",
            Counter,
            f(cpu.nr_throttled),
        );
        add(
            "psutil_cgroup_cpu_cfs_throttled_seconds_total",
            "Seconds throttled (cAdvisor container_cpu_cfs_throttled_seconds_total).",
            Counter,
            cpu.throttled_seconds,
        );
    }
    add(
        "psutil_cgroup_spec_cpu_shares",
        "v1 CPU shares (cAdvisor container_spec_cpu_shares).",
        Gauge,
        f(cpu.shares),
    );
    add(
        "psutil_cgroup_spec_cpu_weight",
        "v2 CPU weight, 1 to 10000.",
        Gauge,
        f(cpu.weight),
    );
    add(
        "psutil_cgroup_memory_usage_bytes",
        "Memory charged to the cgroup, page cache included (cAdvisor container_memory_usage_bytes).",
        Gauge,
        f(m.usage),
    );
    add(
        "psutil_cgroup_memory_working_set_bytes",
        "Usage minus inactive file pages (cAdvisor container_memory_working_set_bytes).",
        Gauge,
        f(m.working_set),
    );
    add(
        "psutil_cgroup_memory_rss",
        "Anonymous memory, bytes (cAdvisor container_memory_rss).",
        Gauge,
        f(m.rss),
    );
    add(
        "psutil_cgroup_memory_cache",
        "Page cache, bytes (cAdvisor container_memory_cache).",
        Gauge,
        f(m.cache),
    );
    add(
        "psutil_cgroup_memory_mapped_file",
        "Mapped files, bytes (cAdvisor container_memory_mapped_file).",
        Gauge,
        f(m.mapped_file),
    );
    add(
        "psutil_cgroup_memory_swap",
        "Swap used, bytes (cAdvisor container_memory_swap).",
        Gauge,
        f(m.swap_usage),
    );
    add(
        "psutil_cgroup_memory_failcnt",
        "Times usage hit the limit (cAdvisor container_memory_failcnt; v2 memory.events max).",
        Gauge,
        f(m.events.max),
    );
    add(
        "psutil_cgroup_spec_memory_limit_bytes",
        "Memory limit; absent when unlimited (cAdvisor container_spec_memory_limit_bytes).",
        Gauge,
        m.limit.and_then(Limit::value).map(|v| v as f64),
    );
    add(
        "psutil_cgroup_oom_events_total",
        "Processes killed by the OOM killer in the cgroup (cAdvisor container_oom_events_total).",
        Counter,
        f(m.events.oom_kill),
    );
    add(
        "psutil_cgroup_threads",
        "Tasks (threads) in the cgroup, pids.current (cAdvisor container_threads).",
        Gauge,
        f(c.stats.pids.current),
    );
    add(
        "psutil_cgroup_threads_max",
        "Task limit, pids.max; absent when unlimited (cAdvisor container_threads_max).",
        Gauge,
        c.stats.pids.max.and_then(Limit::value).map(|v| v as f64),
    );
    let p = &c.stats.pressure;
    for (name, help, v) in [
        (
            "psutil_cgroup_pressure_cpu_waiting_seconds_total",
            "Seconds some task waited for a CPU (cAdvisor container_pressure_cpu_waiting_seconds_total).",
            psi_seconds(&p.cpu, false),
        ),
        (
            "psutil_cgroup_pressure_cpu_stalled_seconds_total",
            "Seconds all tasks waited for a CPU (cAdvisor container_pressure_cpu_stalled_seconds_total).",
            psi_seconds(&p.cpu, true),
        ),
        (
            "psutil_cgroup_pressure_memory_waiting_seconds_total",
            "Seconds some task waited for memory (cAdvisor container_pressure_memory_waiting_seconds_total).",
            psi_seconds(&p.memory, false),
        ),
        (
            "psutil_cgroup_pressure_memory_stalled_seconds_total",
            "Seconds all tasks stalled on memory (cAdvisor container_pressure_memory_stalled_seconds_total).",
            psi_seconds(&p.memory, true),
        ),
        (
            "psutil_cgroup_pressure_io_waiting_seconds_total",
            "Seconds some task waited for I/O (cAdvisor container_pressure_io_waiting_seconds_total).",
            psi_seconds(&p.io, false),
        ),
        (
            "psutil_cgroup_pressure_io_stalled_seconds_total",
            "Seconds all tasks stalled on I/O (cAdvisor container_pressure_io_stalled_seconds_total).",
            psi_seconds(&p.io, true),
        ),
    ] {
        add(name, help, Counter, v);
    }
    for d in c.stats.io.devices.iter().flatten() {
        let dev = format!("{}:{}", d.major, d.minor);
        let mut dl = l.clone();
        dl.push(("device", &dev));
        for (name, help, v) in [
            (
                "psutil_cgroup_fs_reads_bytes_total",
                "Bytes read from a block device (cAdvisor container_fs_reads_bytes_total; device is MAJ:MIN).",
                d.read_bytes,
            ),
            (
                "psutil_cgroup_fs_writes_bytes_total",
                "Bytes written to a block device (cAdvisor container_fs_writes_bytes_total).",
                d.write_bytes,
            ),
            (
                "psutil_cgroup_fs_reads_total",
                "Reads completed on a block device (cAdvisor container_fs_reads_total).",
                d.read_ios,
            ),
            (
                "psutil_cgroup_fs_writes_total",
                "Writes completed on a block device (cAdvisor container_fs_writes_total).",
                d.write_ios,
            ),
        ] {
            e.add(name, help, Counter, &dl, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psutil::cgroup::{IoDevice, IoStats, MemoryEvents, MemoryStats, PidsStats, PressureLine};

    /// A `#[non_exhaustive]` psutil struct from field values: outside the
    /// crate a struct expression cannot build one, so this starts from
    /// `Default` (or the `..rest` value) and assigns the fields given.
    macro_rules! build {
        ($t:path { $($f:ident $(: $v:expr)?),* $(,)? }) => {{
            #[allow(unused_mut)]
            let mut v = <$t as Default>::default();
            $(v.$f = build!(@value $f $($v)?);)*
            v
        }};
        ($t:path { $($f:ident $(: $v:expr)?,)* ..$rest:expr }) => {{
            let mut v: $t = $rest;
            $(v.$f = build!(@value $f $($v)?);)*
            v
        }};
        (@value $f:ident $v:expr) => {
            $v
        };
        // Shorthand `field`: the variable of that name.
        (@value $f:ident) => {
            $f
        };
    }

    fn snapshot() -> Snapshot {
        let root = Filesystem {
            device: "/dev/sda1".into(),
            mountpoint: "/".into(),
            fstype: "ext4".into(),
            usage: build!(DiskUsage {
                total: 100,
                used: 40,
                free: 55,
                percent: 42.1,
            }),
        };
        Snapshot {
            cpu_times: vec![
                build!(CpuTimes {
                    user: 10.5,
                    idle: 100.0,
                    steal: Some(0.0),
                    guest: Some(1.0),
                    guest_nice: Some(0.0),
                    ..CpuTimes::default()
                }),
                build!(CpuTimes {
                    user: 7.0,
                    ..CpuTimes::default()
                }),
            ],
            cpu_count_logical: Some(2),
            memory: Some(build!(VirtualMemory {
                total: 8 << 30,
                available: 4 << 30,
                percent: 50.0,
                used: 3 << 30,
                free: 1 << 30,
                active: 0,
                inactive: 0,
                buffers: 0,
                cached: 0,
                shared: 0,
                slab: 0,
            })),
            // The same mountpoint twice (shadowed mount): one series.
            filesystems: vec![root.clone(), root],
            temperatures: vec![(
                "coretemp".into(),
                vec![
                    build!(Temperature {
                        label: String::new(),
                        current: 40.0,
                        high: Some(80.0),
                        critical: None,
                    }),
                    build!(Temperature {
                        label: String::new(),
                        current: 41.0,
                        high: None,
                        critical: None,
                    }),
                    build!(Temperature {
                        label: "Core 0".into(),
                        current: 42.0,
                        high: None,
                        critical: None,
                    }),
                    build!(Temperature {
                        label: "Core 0".into(),
                        current: 43.0,
                        high: None,
                        critical: None,
                    }),
                ],
            )],
            boot_time: Some(1700000000.0),
            status_counts: Some(vec![("running", 1), ("sleeping", 5)]),
            procs: vec![ProcSample {
                pid: 42,
                name: "we\"ird\\name".into(),
                cpu_times: Some(ProcCpuTimes {
                    user: 1.5,
                    system: 0.25,
                    ..ProcCpuTimes::default()
                }),
                memory: Some(MemoryInfo {
                    rss: 4096,
                    vms: 8192,
                    ..MemoryInfo::default()
                }),
                // io refused: that metric is left out, the rest stays.
                io: None,
                num_fds: Some(3),
                num_threads: Some(1),
                create_time: None,
            }],
            collectors: vec![("cpu", true, 0.001), ("temperature", false, 0.0)],
            pressure: Some(build!(PressureStats {
                cpu: Some(build!(Pressure {
                    some: line(2_500_000),
                    full: Some(line(0)),
                })),
                memory: Some(build!(Pressure {
                    some: line(3_000_000),
                    full: Some(line(1_000_000)),
                })),
                io: None,
            })),
            cgroups: vec![CgroupSample {
                path: "/docker/abc".into(),
                runtime: Some("docker"),
                container_id: Some("abc".into()),
                pod_uid: None,
                stats: build!(CgroupStats {
                    memory: build!(MemoryStats {
                        usage: Some(100),
                        limit: Some(Limit::Max),
                        working_set: Some(80),
                        events: build!(MemoryEvents {
                            oom_kill: Some(2),
                            ..MemoryEvents::default()
                        }),
                        ..MemoryStats::default()
                    }),
                    cpu: build!(psutil::cgroup::CpuStats {
                        usage_seconds: Some(1.5),
                        quota_us: Some(Limit::Value(50000)),
                        period_us: Some(100000),
                        nr_periods: Some(10),
                        nr_throttled: Some(3),
                        throttled_seconds: Some(0.25),
                        ..Default::default()
                    }),
                    io: build!(IoStats {
                        devices: Some(vec![build!(IoDevice {
                            major: 8,
                            minor: 0,
                            read_bytes: 4096,
                            write_bytes: 0,
                            read_ios: 1,
                            write_ios: 0,
                        })]),
                        limits: None,
                    }),
                    pids: build!(PidsStats {
                        current: Some(3),
                        max: Some(Limit::Max),
                    }),
                    pressure: build!(PressureStats {
                        cpu: Some(build!(Pressure {
                            some: line(500_000),
                            full: Some(line(250_000)),
                        })),
                        ..PressureStats::default()
                    }),
                }),
            }],
            ..Snapshot::default()
        }
    }

    fn line(total: u64) -> PressureLine {
        build!(PressureLine {
            avg10: 0.0,
            avg60: 0.0,
            avg300: 0.0,
            total,
        })
    }

    #[test]
    fn renders_cgroups_and_pressure() {
        let text = families(&snapshot()).render();
        let has = |l: &str| text.lines().any(|x| x == l);
        assert!(has("psutil_pressure_cpu_waiting_seconds_total 2.5"));
        assert!(has("psutil_pressure_memory_waiting_seconds_total 3"));
        assert!(has("psutil_pressure_memory_stalled_seconds_total 1"));
        // No cpu "stalled" system-wide (node_exporter has none); no I/O PSI.
        assert!(!text.contains("psutil_pressure_cpu_stalled"));
        assert!(!text.contains("psutil_pressure_io_"));
        let l = "cgroup=\"/docker/abc\",runtime=\"docker\",container_id=\"abc\"";
        for line in [
            format!("psutil_cgroup_memory_usage_bytes{{{l}}} 100"),
            format!("psutil_cgroup_memory_working_set_bytes{{{l}}} 80"),
            format!("psutil_cgroup_oom_events_total{{{l}}} 2"),
            format!("psutil_cgroup_cpu_usage_seconds_total{{{l}}} 1.5"),
            format!("psutil_cgroup_spec_cpu_quota{{{l}}} 50000"),
            format!("psutil_cgroup_cpu_cfs_periods_total{{{l}}} 10"),
            format!("psutil_cgroup_cpu_cfs_throttled_periods_total{{{l}}} 3"),
            format!("psutil_cgroup_cpu_cfs_throttled_seconds_total{{{l}}} 0.25"),
            format!("psutil_cgroup_threads{{{l}}} 3"),
            format!("psutil_cgroup_fs_reads_bytes_total{{{l},device=\"8:0\"}} 4096"),
            format!("psutil_cgroup_fs_reads_total{{{l},device=\"8:0\"}} 1"),
            format!("psutil_cgroup_pressure_cpu_waiting_seconds_total{{{l}}} 0.5"),
            format!("psutil_cgroup_pressure_cpu_stalled_seconds_total{{{l}}} 0.25"),
        ] {
            assert!(has(&line), "missing {line}\n{text}");
        }
        // Unlimited and unavailable figures are left out, not written as 0.
        for absent in [
            "psutil_cgroup_spec_memory_limit_bytes",
            "psutil_cgroup_threads_max",
            "psutil_cgroup_memory_swap{",
            "psutil_cgroup_cpu_user_seconds_total",
            "psutil_cgroup_pressure_memory_",
        ] {
            assert!(!text.contains(absent), "{absent}");
        }
    }

    #[test]
    fn renders_snapshot() {
        let text = families(&snapshot()).render();
        let has = |l: &str| text.lines().any(|x| x == l);
        assert!(has(
            "psutil_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 10.5"
        ));
        assert!(has("psutil_cpu_seconds_total{cpu=\"0\",mode=\"steal\"} 0"));
        assert!(has("psutil_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 0"));
        // No steal on cpu 1 (the kernel has no column for it).
        assert!(!text.contains("{cpu=\"1\",mode=\"steal\"}"));
        assert!(has(
            "psutil_cpu_guest_seconds_total{cpu=\"0\",mode=\"user\"} 1"
        ));
        assert!(has("psutil_cpu_count_logical 2"));
        assert!(has("psutil_memory_total_bytes 8589934592"));
        assert!(has("# TYPE psutil_memory_total_bytes gauge"));
        assert!(has("# TYPE psutil_cpu_seconds_total counter"));
        assert!(has(
            "psutil_filesystem_free_bytes{device=\"/dev/sda1\",fstype=\"ext4\",mountpoint=\"/\"} 55"
        ));
        assert_eq!(text.matches("psutil_filesystem_size_bytes{").count(), 1);
        assert!(has(
            "psutil_temperature_celsius{chip=\"coretemp\",sensor=\"temp1\"} 40"
        ));
        assert!(has(
            "psutil_temperature_celsius{chip=\"coretemp\",sensor=\"temp2\"} 41"
        ));
        assert!(has(
            "psutil_temperature_celsius{chip=\"coretemp\",sensor=\"Core 0\"} 42"
        ));
        assert!(has(
            "psutil_temperature_celsius{chip=\"coretemp\",sensor=\"Core 0_4\"} 43"
        ));
        assert!(has(
            "psutil_temperature_high_celsius{chip=\"coretemp\",sensor=\"temp1\"} 80"
        ));
        assert!(has("psutil_boot_time_seconds 1700000000"));
        assert!(has("psutil_processes{status=\"sleeping\"} 5"));
        let l = "pid=\"42\",name=\"we\\\"ird\\\\name\"";
        assert!(has(&format!(
            "psutil_process_cpu_seconds_total{{{l},mode=\"system\"}} 0.25"
        )));
        assert!(has(&format!(
            "psutil_process_resident_memory_bytes{{{l}}} 4096"
        )));
        assert!(has(&format!("psutil_process_open_fds{{{l}}} 3")));
        assert!(!text.contains("psutil_process_read_bytes_total"));
        assert!(!text.contains("psutil_process_start_time_seconds"));
        assert!(has(
            "psutil_scrape_collector_success{collector=\"temperature\"} 0"
        ));
        // No data, no family: a failed collector leaves no empty HELP/TYPE.
        assert!(!text.contains("psutil_load1"));
        assert!(!text.contains("psutil_network_"));
    }

    #[test]
    fn every_family_is_well_formed() {
        let text = families(&snapshot()).render();
        let mut typed = Vec::new();
        let mut current = "";
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').unwrap();
                assert!(!typed.contains(&name), "{name} typed twice");
                assert!(
                    (kind == "counter") == name.ends_with("_total"),
                    "{name}: counters and only counters end in _total"
                );
                typed.push(name);
                current = name;
            } else if !line.starts_with('#') {
                assert!(line.starts_with(current), "{line} outside its family");
                let value = line.rsplit(' ').next().unwrap();
                assert!(value.parse::<f64>().is_ok(), "{line}");
            }
        }
    }

    #[test]
    fn collects_this_machine() {
        let mut c = Collector::new(Selection {
            pattern: None,
            top: 5,
        });
        let s = c.collect();
        assert!(s
            .collectors
            .iter()
            .any(|(n, ok, _)| *n == "processes" && *ok));
        assert!(s.procs.len() <= 5 && !s.procs.is_empty());
        assert_eq!(
            s.memory.unwrap().total,
            memory::virtual_memory().unwrap().total
        );
        // A pattern nothing matches selects nothing but still counts all.
        let mut c = Collector::new(Selection {
            pattern: Some(Regex::new("^no such process name$").unwrap()),
            top: 5,
        });
        let s = c.collect();
        assert!(s.procs.is_empty());
        let total: u64 = s.status_counts.unwrap().iter().map(|(_, n)| n).sum();
        assert!(total > 0);
        // The cgroup collector walks this machine's tree, root left out.
        assert!(s.collectors.iter().any(|(n, ok, _)| *n == "cgroup" && *ok));
        assert!(s.cgroups.iter().all(|c| c.path != "/"));
        let mut c = Collector::new(Selection {
            pattern: None,
            top: 0,
        })
        .with_cgroups(CgroupSelection {
            depth: 0,
            ..CgroupSelection::default()
        });
        let s = c.collect();
        assert!(s.cgroups.is_empty());
        assert!(!s.collectors.iter().any(|(n, _, _)| *n == "cgroup"));
    }

    #[test]
    fn collectors_turned_off_are_not_run() {
        let mut on = Enabled::default();
        assert!(COLLECTORS.iter().all(|c| on.is_on(c.name)));
        assert!(on.set("processes", false) && on.set("cgroup", false));
        assert!(!on.set("nope", false));
        let mut c = Collector::new(Selection {
            pattern: None,
            top: 5,
        })
        .with_collectors(on);
        let s = c.collect();
        assert!(s.status_counts.is_none() && s.procs.is_empty() && s.cgroups.is_empty());
        let ran: Vec<_> = s.collectors.iter().map(|(n, _, _)| *n).collect();
        assert!(!ran.contains(&"processes") && !ran.contains(&"cgroup"));
        assert!(ran.contains(&"cpu") && ran.contains(&"memory"));
        let mut none = Enabled::none();
        none.set("loadavg", true);
        let s = Collector::new(Selection {
            pattern: None,
            top: 5,
        })
        .with_collectors(none)
        .collect();
        assert_eq!(s.collectors.len(), 1);
        assert!(s.load.is_some() && s.cpu_times.is_empty());
    }
}
