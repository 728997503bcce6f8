//! `psutil cgroup`: the cgroup of one process, its figures and the limits
//! that bind it; `psutil cgroups` (in [`tree`]): every cgroup, like
//! systemd-cgtop.

use std::io::Write;

use psutil::cgroup::{self, Cgroup, CgroupStats, Limit, Pressure, PressureStats};
use serde::Serialize;

use super::{parse_pid, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{bytes2human, clean, truncate};

mod tree;

pub use tree::{run_cgroups, CgroupsArgs};

/// `--procfs PATH` and `--cgroupfs PATH`: read a host's `/proc` and
/// cgroupfs mounted elsewhere (or a fixture tree).
#[derive(clap::Args)]
pub struct Roots {
    /// read /proc from PATH (a host's /proc mounted elsewhere)
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::DirPath, allow_hyphen_values = true)]
    pub procfs: Option<String>,
    /// read the cgroup filesystem from PATH instead of /sys/fs/cgroup
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::DirPath, allow_hyphen_values = true)]
    pub cgroupfs: Option<String>,
}

impl Roots {
    /// Applies `--procfs` and `--cgroupfs`.
    pub fn set(&self) {
        if let Some(path) = &self.procfs {
            psutil::set_procfs_path(path);
        }
        if let Some(path) = &self.cgroupfs {
            psutil::set_cgroupfs_path(path);
        }
    }
}

/// `psutil cgroup`.
#[derive(clap::Args)]
#[command(
    about = "the cgroup of a process, its usage and effective limits",
    long_about = "Show the cgroup a process is in (default: this command itself): its\n\
                 path and version, container runtime and ID where the path tells,\n\
                 memory, CPU, I/O, tasks and pressure, and the effective CPU count\n\
                 and memory limit (the least of every limit that applies: affinity,\n\
                 host RAM, the cgroup's and each ancestor's quota or limit; a CPU\n\
                 quota counts rounded up to whole CPUs).\n\
                 With --json: one object; a limit is null when unlimited, any\n\
                 figure null when unavailable (no controller, no PSI, ...). Sizes in\n\
                 bytes, times in seconds, pressure averages in percent.",
    override_usage = "psutil cgroup [PID] [--json]"
)]
pub struct Args {
    /// the process (default: this command itself)
    #[arg(value_name = "PID", value_parser = parse_pid)]
    pub pid: Option<u32>,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
    #[command(flatten)]
    pub roots: Roots,
}

/// `--json` of `psutil cgroup`.
#[derive(Serialize, Default)]
struct Report {
    pid: u32,
    path: String,
    version: u8,
    /// The directory of the cgroup (of its primary hierarchy).
    dir: Option<String>,
    runtime: Option<&'static str>,
    container_id: Option<String>,
    pod_uid: Option<String>,
    unit: Option<String>,
    slice: Option<String>,
    memory: MemoryJson,
    cpu: CpuJson,
    io: IoJson,
    pids: PidsJson,
    pressure: PressureJson,
    effective_cpu_count: usize,
    effective_memory_limit: u64,
}

#[derive(Serialize, Default)]
struct MemoryJson {
    usage: Option<u64>,
    limit: Option<u64>,
    high: Option<u64>,
    working_set: Option<u64>,
    rss: Option<u64>,
    cache: Option<u64>,
    swap_usage: Option<u64>,
    swap_limit: Option<u64>,
    oom_events: Option<u64>,
    oom_kills: Option<u64>,
}

#[derive(Serialize, Default)]
struct CpuJson {
    usage_seconds: Option<f64>,
    user_seconds: Option<f64>,
    system_seconds: Option<f64>,
    limit_cpus: Option<f64>,
    quota_us: Option<u64>,
    period_us: Option<u64>,
    weight: Option<u64>,
    shares: Option<u64>,
    nr_periods: Option<u64>,
    nr_throttled: Option<u64>,
    throttled_seconds: Option<f64>,
    cpuset: Option<Vec<u32>>,
}

#[derive(Serialize, Default)]
struct IoJson {
    read_bytes: Option<u64>,
    write_bytes: Option<u64>,
    read_ios: Option<u64>,
    write_ios: Option<u64>,
}

#[derive(Serialize, Default)]
struct PidsJson {
    current: Option<u64>,
    max: Option<u64>,
}

/// `{cpu, memory, io}`, each `{some: {avg10, avg60, avg300, total}, full}`
/// or null; `total` in seconds.
#[derive(Serialize, Default)]
pub struct PressureJson {
    cpu: Option<PressureItem>,
    memory: Option<PressureItem>,
    io: Option<PressureItem>,
}

#[derive(Serialize)]
struct PressureItem {
    some: PressureLineJson,
    full: Option<PressureLineJson>,
}

#[derive(Serialize)]
struct PressureLineJson {
    avg10: f64,
    avg60: f64,
    avg300: f64,
    total: f64,
}

impl PressureJson {
    pub fn new(p: &PressureStats) -> PressureJson {
        let line = |l: &psutil::cgroup::PressureLine| PressureLineJson {
            avg10: l.avg10,
            avg60: l.avg60,
            avg300: l.avg300,
            total: l.total as f64 / 1e6,
        };
        let item = |p: &Option<Pressure>| {
            p.as_ref().map(|p| PressureItem {
                some: line(&p.some),
                full: p.full.as_ref().map(line),
            })
        };
        PressureJson {
            cpu: item(&p.cpu),
            memory: item(&p.memory),
            io: item(&p.io),
        }
    }
}

/// The limit, `None` when unlimited or unknown.
pub fn lim<T: Copy>(l: Option<Limit<T>>) -> Option<T> {
    l.and_then(Limit::value)
}

/// Sums a per-device counter; `None` when the I/O figures are unknown.
pub fn io_sum(s: &CgroupStats, f: impl Fn(&psutil::cgroup::IoDevice) -> u64) -> Option<u64> {
    s.io.devices
        .as_ref()
        .map(|d| d.iter().fold(0u64, |acc, x| acc.saturating_add(f(x))))
}

fn report(pid: u32, cg: &Cgroup, s: &CgroupStats) -> Result<Report, CliError> {
    let pl = cg.placement();
    let (m, c) = (&s.memory, &s.cpu);
    Ok(Report {
        pid,
        path: cg.path().to_owned(),
        version: cg.version().number(),
        dir: cg.dir().map(|d| d.to_string_lossy().into_owned()),
        runtime: pl.runtime.map(|r| r.as_str()),
        container_id: pl.container_id,
        pod_uid: pl.pod_uid,
        unit: pl.unit,
        slice: pl.slice,
        memory: MemoryJson {
            usage: m.usage,
            limit: lim(m.limit),
            high: lim(m.high),
            working_set: m.working_set,
            rss: m.rss,
            cache: m.cache,
            swap_usage: m.swap_usage,
            swap_limit: lim(m.swap_limit),
            oom_events: m.events.oom,
            oom_kills: m.events.oom_kill,
        },
        cpu: CpuJson {
            usage_seconds: c.usage_seconds,
            user_seconds: c.user_seconds,
            system_seconds: c.system_seconds,
            limit_cpus: lim(c.limit_cpus),
            quota_us: lim(c.quota_us),
            period_us: c.period_us,
            weight: c.weight,
            shares: c.shares,
            nr_periods: c.nr_periods,
            nr_throttled: c.nr_throttled,
            throttled_seconds: c.throttled_seconds,
            cpuset: c.cpuset.clone(),
        },
        io: IoJson {
            read_bytes: io_sum(s, |d| d.read_bytes),
            write_bytes: io_sum(s, |d| d.write_bytes),
            read_ios: io_sum(s, |d| d.read_ios),
            write_ios: io_sum(s, |d| d.write_ios),
        },
        pids: PidsJson {
            current: s.pids.current,
            max: lim(s.pids.max),
        },
        pressure: PressureJson::new(&s.pressure),
        effective_cpu_count: cgroup::effective_cpu_count_of(pid)?,
        effective_memory_limit: cgroup::effective_memory_limit_of(pid)?,
    })
}

/// `v` as `f` writes it, `-` when unknown.
fn dash<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "-".to_owned(), f)
}

/// A limit as `f` writes its value, or `no limit` / `unknown`.
fn limit_text<T>(l: Option<Limit<T>>, f: impl Fn(T) -> String) -> String {
    match l {
        Some(Limit::Max) => "no limit".to_owned(),
        Some(Limit::Value(v)) => f(v),
        None => "unknown".to_owned(),
    }
}

/// `0-3,5` from a sorted CPU list.
fn cpu_ranges(cpus: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            cpus[i].to_string()
        } else {
            format!("{}-{}", cpus[i], cpus[j])
        });
        i = j + 1;
    }
    out.join(",")
}

fn pressure_text(p: &Option<Pressure>) -> String {
    match p {
        Some(p) => match p.full {
            Some(f) => format!("some {:.2}% full {:.2}%", p.some.avg10, f.avg10),
            None => format!("some {:.2}%", p.some.avg10),
        },
        None => "-".to_owned(),
    }
}

/// The runtime, container (its ID cut to 12 characters, as `docker ps`
/// shows it), pod, unit and slice the path names, control characters
/// shown as `?`; `None` when none.
fn runs_in(r: &Report) -> Option<String> {
    let mut place = Vec::new();
    if let Some(rt) = r.runtime {
        place.push(rt.to_owned());
    }
    if let Some(id) = &r.container_id {
        // Characters, not bytes: an LXC container's name may be any text.
        place.push(format!("container {}", truncate(id, 12)));
    }
    if let Some(uid) = &r.pod_uid {
        place.push(format!("pod {uid}"));
    }
    if let Some(u) = &r.unit {
        place.push(format!("unit {u}"));
    }
    if let Some(sl) = &r.slice {
        place.push(format!("slice {sl}"));
    }
    (!place.is_empty()).then(|| clean(place.join(", ")))
}

fn text(out: &mut dyn Write, s: &CgroupStats, r: &Report) -> Result<(), CliError> {
    let (m, c) = (&s.memory, &s.cpu);
    writeln!(out, "cgroup     {} (v{})", clean(&r.path), r.version)?;
    if let Some(dir) = &r.dir {
        writeln!(out, "directory  {}", clean(dir))?;
    }
    if let Some(place) = runs_in(r) {
        writeln!(out, "runs in    {place}")?;
    }
    let mut mem = format!(
        "{} used, limit {}",
        m.usage.map_or_else(|| "unknown".to_owned(), bytes2human),
        limit_text(m.limit, bytes2human)
    );
    if let Some(ws) = m.working_set {
        mem.push_str(&format!(", working set {}", bytes2human(ws)));
    }
    if let Some(sw) = m.swap_usage {
        mem.push_str(&format!(
            ", swap {} (limit {})",
            bytes2human(sw),
            limit_text(m.swap_limit, bytes2human)
        ));
    }
    if let Some(k) = m.events.oom_kill {
        mem.push_str(&format!(", {k} OOM kills"));
    }
    writeln!(out, "memory     {mem}")?;
    let mut cpu = match c.usage_seconds {
        Some(u) => format!("{u:.2} s used"),
        None => "usage unknown".to_owned(),
    };
    match c.limit_cpus {
        Some(Limit::Value(n)) => cpu.push_str(&format!(", limit {n:.2} CPUs")),
        Some(Limit::Max) => cpu.push_str(", no quota"),
        None => {}
    }
    if let (Some(t), Some(n)) = (c.nr_throttled, c.nr_periods) {
        cpu.push_str(&format!(
            ", throttled in {t} of {n} periods ({:.2} s)",
            c.throttled_seconds.unwrap_or(0.0)
        ));
    }
    if let Some(set) = &c.cpuset {
        cpu.push_str(&format!(", cpuset {}", cpu_ranges(set)));
    }
    writeln!(out, "cpu        {cpu}")?;
    if let (Some(rb), Some(wb)) = (r.io.read_bytes, r.io.write_bytes) {
        writeln!(
            out,
            "io         read {} ({} ops), written {} ({} ops)",
            bytes2human(rb),
            dash(r.io.read_ios, |n| n.to_string()),
            bytes2human(wb),
            dash(r.io.write_ios, |n| n.to_string())
        )?;
    }
    writeln!(
        out,
        "tasks      {} (limit {})",
        dash(s.pids.current, |n| n.to_string()),
        limit_text(s.pids.max, |n| n.to_string())
    )?;
    let p = &s.pressure;
    if p.cpu.is_some() || p.memory.is_some() || p.io.is_some() {
        writeln!(
            out,
            "pressure   cpu {}; memory {}; io {} (avg10)",
            pressure_text(&p.cpu),
            pressure_text(&p.memory),
            pressure_text(&p.io)
        )?;
    }
    writeln!(
        out,
        "effective  {} CPUs, {} memory",
        r.effective_cpu_count,
        bytes2human(r.effective_memory_limit)
    )?;
    Ok(())
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    a.roots.set();
    let pid = a.pid.unwrap_or_else(std::process::id);
    let cg = Cgroup::of_pid(pid)?;
    let s = cg.stats();
    let r = report(pid, &cg, &s)?;
    if a.json {
        return ctx.json(&r);
    }
    text(ctx.out, &s, &r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(cpu_ranges(&[0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
        assert_eq!(cpu_ranges(&[3]), "3");
        assert_eq!(cpu_ranges(&[]), "");
    }

    #[test]
    fn container_ids_are_cut_by_characters() {
        let r = Report {
            runtime: Some("lxc"),
            container_id: Some("xééééééé-web1".into()),
            ..Report::default()
        };
        // Byte 12 falls inside an "é": slicing bytes would panic.
        assert_eq!(runs_in(&r).as_deref(), Some("lxc, container xééééééé-web"));
        let r = Report {
            runtime: Some("docker"),
            container_id: Some("0123456789abcdef".into()),
            slice: Some("system.slice".into()),
            ..Report::default()
        };
        assert_eq!(
            runs_in(&r).as_deref(),
            Some("docker, container 0123456789ab, slice system.slice")
        );
        assert_eq!(runs_in(&Report::default()), None);
        // A cgroup name may hold any byte but '/': no raw newline or escape.
        let r = Report {
            unit: Some("a\nb\x1b[2J.service".into()),
            ..Report::default()
        };
        assert_eq!(runs_in(&r).as_deref(), Some("unit a?b?[2J.service"));
    }
}
