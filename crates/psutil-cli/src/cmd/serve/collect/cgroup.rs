//! The `cgroup` collector: per-cgroup metrics for a bounded set of
//! cgroups, with cAdvisor's meanings (`container_*` there,
//! `psutil_cgroup_*` here). Label `cgroup` is the path (cAdvisor's `id`),
//! plus `runtime`, `container_id` and `pod_uid` where the path names them.
//! A figure the cgroup does not have (no controller, unlimited) is left
//! out, never written as 0.

use psutil::cgroup::{Cgroup, CgroupStats, IoDevice, Limit};

use super::pressure::psi_seconds;
use super::{CgroupSelection, Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

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

/// A cgroup's labels; those after `cgroup` only where its path names them.
const LABELS: &[&str] = &["cgroup", "runtime", "container_id", "pod_uid"];
/// [`LABELS`] and the block device, `MAJ:MIN`.
const DEVICE_LABELS: &[&str] = &["cgroup", "runtime", "container_id", "pod_uid", "device"];

/// The per-cgroup families and the figure each reports; `None` leaves the
/// sample out.
const FIGURES: [Field<CgroupStats, Option<f64>>; 27] = [
    (
        Desc::counter(
            "psutil_cgroup_cpu_usage_seconds_total",
            "CPU seconds used by the cgroup and its descendants (cAdvisor container_cpu_usage_seconds_total).",
            LABELS,
        ),
        |s| s.cpu.usage_seconds,
    ),
    (
        Desc::counter(
            "psutil_cgroup_cpu_user_seconds_total",
            "User CPU seconds (cAdvisor container_cpu_user_seconds_total).",
            LABELS,
        ),
        |s| s.cpu.user_seconds,
    ),
    (
        Desc::counter(
            "psutil_cgroup_cpu_system_seconds_total",
            "System CPU seconds (cAdvisor container_cpu_system_seconds_total).",
            LABELS,
        ),
        |s| s.cpu.system_seconds,
    ),
    (
        Desc::gauge(
            "psutil_cgroup_spec_cpu_quota",
            "CPU quota per period, microseconds (cAdvisor container_spec_cpu_quota).",
            LABELS,
        ),
        |s| quota(s).map(|(q, _)| q as f64),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_spec_cpu_period",
            "CPU quota period, microseconds (cAdvisor container_spec_cpu_period).",
            LABELS,
        ),
        |s| quota(s).map(|(_, p)| p as f64),
    ),
    (
        Desc::counter(
            "psutil_cgroup_cpu_cfs_periods_total",
            "Elapsed enforcement periods (cAdvisor container_cpu_cfs_periods_total).",
            LABELS,
        ),
        |s| quota(s).and(float(s.cpu.nr_periods)),
    ),
    (
        Desc::counter(
            "psutil_cgroup_cpu_cfs_throttled_periods_total",
            "Periods in which the quota ran out (cAdvisor container_cpu_cfs_throttled_periods_total).",
            LABELS,
        ),
        |s| quota(s).and(float(s.cpu.nr_throttled)),
    ),
    (
        Desc::counter(
            "psutil_cgroup_cpu_cfs_throttled_seconds_total",
            "Seconds throttled (cAdvisor container_cpu_cfs_throttled_seconds_total).",
            LABELS,
        ),
        |s| quota(s).and(s.cpu.throttled_seconds),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_spec_cpu_shares",
            "v1 CPU shares (cAdvisor container_spec_cpu_shares).",
            LABELS,
        ),
        |s| float(s.cpu.shares),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_spec_cpu_weight",
            "v2 CPU weight, 1 to 10000.",
            LABELS,
        ),
        |s| float(s.cpu.weight),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_usage_bytes",
            "Memory charged to the cgroup, page cache included (cAdvisor container_memory_usage_bytes).",
            LABELS,
        ),
        |s| float(s.memory.usage),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_working_set_bytes",
            "Usage minus inactive file pages (cAdvisor container_memory_working_set_bytes).",
            LABELS,
        ),
        |s| float(s.memory.working_set),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_rss",
            "Anonymous memory, bytes (cAdvisor container_memory_rss).",
            LABELS,
        ),
        |s| float(s.memory.rss),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_cache",
            "Page cache, bytes (cAdvisor container_memory_cache).",
            LABELS,
        ),
        |s| float(s.memory.cache),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_mapped_file",
            "Mapped files, bytes (cAdvisor container_memory_mapped_file).",
            LABELS,
        ),
        |s| float(s.memory.mapped_file),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_swap",
            "Swap used, bytes (cAdvisor container_memory_swap).",
            LABELS,
        ),
        |s| float(s.memory.swap_usage),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_memory_failcnt",
            "Times usage hit the limit (cAdvisor container_memory_failcnt; v2 memory.events max).",
            LABELS,
        ),
        |s| float(s.memory.events.max),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_spec_memory_limit_bytes",
            "Memory limit; absent when unlimited (cAdvisor container_spec_memory_limit_bytes).",
            LABELS,
        ),
        |s| float(s.memory.limit.and_then(Limit::value)),
    ),
    (
        Desc::counter(
            "psutil_cgroup_oom_events_total",
            "Processes killed by the OOM killer in the cgroup (cAdvisor container_oom_events_total).",
            LABELS,
        ),
        |s| float(s.memory.events.oom_kill),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_threads",
            "Tasks (threads) in the cgroup, pids.current (cAdvisor container_threads).",
            LABELS,
        ),
        |s| float(s.pids.current),
    ),
    (
        Desc::gauge(
            "psutil_cgroup_threads_max",
            "Task limit, pids.max; absent when unlimited (cAdvisor container_threads_max).",
            LABELS,
        ),
        |s| float(s.pids.max.and_then(Limit::value)),
    ),
    (
        Desc::counter(
            "psutil_cgroup_pressure_cpu_waiting_seconds_total",
            "Seconds some task waited for a CPU (cAdvisor container_pressure_cpu_waiting_seconds_total).",
            LABELS,
        ),
        |s| psi_seconds(&s.pressure.cpu, false),
    ),
    (
        Desc::counter(
            "psutil_cgroup_pressure_cpu_stalled_seconds_total",
            "Seconds all tasks waited for a CPU (cAdvisor container_pressure_cpu_stalled_seconds_total).",
            LABELS,
        ),
        |s| psi_seconds(&s.pressure.cpu, true),
    ),
    (
        Desc::counter(
            "psutil_cgroup_pressure_memory_waiting_seconds_total",
            "Seconds some task waited for memory (cAdvisor container_pressure_memory_waiting_seconds_total).",
            LABELS,
        ),
        |s| psi_seconds(&s.pressure.memory, false),
    ),
    (
        Desc::counter(
            "psutil_cgroup_pressure_memory_stalled_seconds_total",
            "Seconds all tasks stalled on memory (cAdvisor container_pressure_memory_stalled_seconds_total).",
            LABELS,
        ),
        |s| psi_seconds(&s.pressure.memory, true),
    ),
    (
        Desc::counter(
            "psutil_cgroup_pressure_io_waiting_seconds_total",
            "Seconds some task waited for I/O (cAdvisor container_pressure_io_waiting_seconds_total).",
            LABELS,
        ),
        |s| psi_seconds(&s.pressure.io, false),
    ),
    (
        Desc::counter(
            "psutil_cgroup_pressure_io_stalled_seconds_total",
            "Seconds all tasks stalled on I/O (cAdvisor container_pressure_io_stalled_seconds_total).",
            LABELS,
        ),
        |s| psi_seconds(&s.pressure.io, true),
    ),
];

/// The per-device families and the counter each reports.
const DEVICE: [Field<IoDevice>; 4] = [
    (
        Desc::counter(
            "psutil_cgroup_fs_reads_bytes_total",
            "Bytes read from a block device (cAdvisor container_fs_reads_bytes_total; device is MAJ:MIN).",
            DEVICE_LABELS,
        ),
        |d| d.read_bytes,
    ),
    (
        Desc::counter(
            "psutil_cgroup_fs_writes_bytes_total",
            "Bytes written to a block device (cAdvisor container_fs_writes_bytes_total).",
            DEVICE_LABELS,
        ),
        |d| d.write_bytes,
    ),
    (
        Desc::counter(
            "psutil_cgroup_fs_reads_total",
            "Reads completed on a block device (cAdvisor container_fs_reads_total).",
            DEVICE_LABELS,
        ),
        |d| d.read_ios,
    ),
    (
        Desc::counter(
            "psutil_cgroup_fs_writes_total",
            "Writes completed on a block device (cAdvisor container_fs_writes_total).",
            DEVICE_LABELS,
        ),
        |d| d.write_ios,
    ),
];

/// The CPU quota and its period, microseconds, where a quota is set: as
/// cAdvisor, the throttling figures are reported only then.
fn quota(s: &CgroupStats) -> Option<(u64, u64)> {
    match (s.cpu.quota_us, s.cpu.period_us) {
        (Some(Limit::Value(q)), Some(p)) => Some((q, p)),
        _ => None,
    }
}

fn float(v: Option<u64>) -> Option<f64> {
    v.map(|v| v as f64)
}

/// The cgroups the selection picks (not run at all at `--cgroup-depth 0`).
pub fn collect(c: &mut Collector, s: &mut Snapshot) -> Outcome {
    s.cgroups = select_cgroups(&Cgroup::root()?, &c.cgroups);
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    for c in &s.cgroups {
        let l = [
            Some(c.path.as_str()),
            c.runtime,
            c.container_id.as_deref(),
            c.pod_uid.as_deref(),
        ];
        for (desc, get) in &FIGURES {
            if let Some(v) = get(&c.stats) {
                e.add_some(desc, &l, v);
            }
        }
        for d in c.stats.io.devices.iter().flatten() {
            let dev = format!("{}:{}", d.major, d.minor);
            let dl = [l[0], l[1], l[2], l[3], Some(&dev)];
            for (desc, get) in &DEVICE {
                e.add_some(desc, &dl, get(d));
            }
        }
    }
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
                runtime: p.runtime.map(|r| r.as_str()),
                container_id: p.container_id,
                pod_uid: p.pod_uid,
                stats: cg.stats(),
            }
        })
        .collect()
}
