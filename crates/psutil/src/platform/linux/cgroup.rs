//! Reading cgroupfs: the configurable cgroup root, resolving
//! `/proc/PID/cgroup` through the mount table, and the v1/v2 controller
//! files behind [`crate::cgroup`]. Parsing is in [`super::parse::cgroup`].
//!
//! Every controller file is optional, by the public rule in
//! [`crate::cgroup`] ("Unlimited, unavailable").

use crate::forksafe::SharedStr;
use std::io;
use std::path::{Path, PathBuf};

use super::parse::cgroup::{self as pc, BlkioKind, BlkioLimit, CgroupMount};
use super::{procfs, sys};
use crate::cgroup::{
    Cgroup, CpuStats, Hierarchy, IoDevice, IoLimit, IoStats, Limit, MemoryEvents, MemoryStats,
    PidsStats, Pressure, PressureLine, PressureStats, Version,
};
use crate::{Error, Result};

// The parsers' records as the public types. Field for field: the device
// lists convert in place (same layout, so `collect` keeps the allocation).

impl From<pc::Version> for Version {
    fn from(v: pc::Version) -> Version {
        match v {
            pc::Version::V1 => Version::V1,
            pc::Version::V2 => Version::V2,
        }
    }
}

impl From<Version> for pc::Version {
    fn from(v: Version) -> pc::Version {
        match v {
            Version::V1 => pc::Version::V1,
            Version::V2 => pc::Version::V2,
        }
    }
}

impl<T> From<pc::Limit<T>> for Limit<T> {
    fn from(l: pc::Limit<T>) -> Limit<T> {
        match l {
            pc::Limit::Max => Limit::Max,
            pc::Limit::Value(v) => Limit::Value(v),
        }
    }
}

impl<T> From<Limit<T>> for pc::Limit<T> {
    fn from(l: Limit<T>) -> pc::Limit<T> {
        match l {
            Limit::Max => pc::Limit::Max,
            Limit::Value(v) => pc::Limit::Value(v),
        }
    }
}

impl From<pc::IoDevice> for IoDevice {
    fn from(d: pc::IoDevice) -> IoDevice {
        IoDevice {
            major: d.major,
            minor: d.minor,
            read_bytes: d.read_bytes,
            write_bytes: d.write_bytes,
            read_ios: d.read_ios,
            write_ios: d.write_ios,
        }
    }
}

impl From<pc::IoLimit> for IoLimit {
    fn from(l: pc::IoLimit) -> IoLimit {
        IoLimit {
            major: l.major,
            minor: l.minor,
            read_bps: l.read_bps.into(),
            write_bps: l.write_bps.into(),
            read_iops: l.read_iops.into(),
            write_iops: l.write_iops.into(),
        }
    }
}

impl From<pc::PressureLine> for PressureLine {
    fn from(l: pc::PressureLine) -> PressureLine {
        PressureLine {
            avg10: l.avg10,
            avg60: l.avg60,
            avg300: l.avg300,
            total: l.total,
        }
    }
}

impl From<pc::Pressure> for Pressure {
    fn from(p: pc::Pressure) -> Pressure {
        Pressure {
            some: p.some.into(),
            full: p.full.map(PressureLine::from),
        }
    }
}

fn convert_all<R, T: From<R>>(v: Vec<R>) -> Vec<T> {
    v.into_iter().map(T::from).collect()
}

pub(crate) const DEFAULT_ROOT: &str = "/sys/fs/cgroup";

static CGROUPFS_PATH: SharedStr = SharedStr::new();

/// The cgroup filesystem root (default `/sys/fs/cgroup`).
pub(crate) fn root() -> String {
    if let Some(p) = procfs::scoped_root(|r| &r.cgroupfs) {
        return p;
    }
    match CGROUPFS_PATH.get() {
        "" => DEFAULT_ROOT.to_owned(),
        p => p.to_owned(),
    }
}

/// Sets the cgroup filesystem root.
pub(crate) fn set_root(path: &str) {
    CGROUPFS_PATH.set(path.trim_end_matches('/'));
}

/// A mount table path as seen through the configured root: mount points
/// under `/sys/fs/cgroup` move under it; others stay as they are.
fn rebase(mount_path: &str) -> PathBuf {
    let root = root();
    if root == DEFAULT_ROOT {
        return PathBuf::from(mount_path);
    }
    match mount_path.strip_prefix(DEFAULT_ROOT) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => PathBuf::from(root + rest),
        _ => PathBuf::from(mount_path),
    }
}

/// The cgroup mounts of our own mount namespace; none when mountinfo
/// cannot be read.
fn mounts() -> Vec<CgroupMount> {
    let path = format!("{}/self/mountinfo", procfs::root());
    procfs::read_with(&path, pc::parse_cgroup_mounts).unwrap_or_default()
}

/// The directory and mount point of `path` among `candidates`.
fn locate<'a>(
    candidates: impl IntoIterator<Item = &'a CgroupMount>,
    path: &str,
) -> (Option<PathBuf>, Option<PathBuf>) {
    match pc::resolve(candidates, path) {
        Some((m, dir)) => (Some(rebase(&dir)), Some(rebase(&m.mount_point))),
        None => (None, None),
    }
}

/// `/proc/PID/cgroup` (`None`: `/proc/self/cgroup`), parsed.
fn proc_cgroup(pid: Option<u32>) -> Result<Vec<pc::ProcCgroupLine>> {
    match pid {
        Some(pid) => procfs::read_pid_file(pid, "cgroup", pc::parse_proc_cgroup)
            .map_err(|e| super::errno::process_error(pid, super::errno::Target::File("cgroup"), e)),
        None => {
            let path = format!("{}/self/cgroup", procfs::root());
            procfs::read_with(&path, pc::parse_proc_cgroup).map_err(|e| Error::io(path, e))
        }
    }
}

/// The error for a `/proc/PID/cgroup` that lists no hierarchy.
fn no_cgroup_line(pid: Option<u32>) -> Error {
    let path = match pid {
        Some(pid) => format!("{}/{pid}/cgroup", procfs::root()),
        None => format!("{}/self/cgroup", procfs::root()),
    };
    Error::io(
        path,
        io::Error::new(io::ErrorKind::InvalidData, "no cgroup line"),
    )
}

/// The cgroup of `pid` (`None`: the calling process, via `self`).
pub(crate) fn of_process(pid: Option<u32>) -> Result<Cgroup> {
    let lines = proc_cgroup(pid)?;
    let mounts = mounts();
    let hierarchies = lines
        .into_iter()
        .map(|l| {
            let (dir, mount) = locate(mounts.iter().filter(|m| pc::mount_matches(m, &l)), &l.path);
            Hierarchy {
                version: l.version().into(),
                controllers: l.controllers,
                path: l.path,
                dir,
                mount,
            }
        })
        .collect();
    Cgroup::from_hierarchies(hierarchies).ok_or_else(|| no_cgroup_line(pid))
}

/// The primary cgroup path of `pid` (see [`crate::cgroup::cgroup_path`]).
pub(crate) fn primary_path(pid: u32) -> Result<String> {
    proc_cgroup(Some(pid))?
        .into_iter()
        .min_by_key(|l| crate::cgroup::rank(l.version().into(), &l.controllers))
        .map(|l| l.path)
        .ok_or_else(|| no_cgroup_line(Some(pid)))
}

/// The cgroup at `path` in every mounted hierarchy that has it (bind
/// mounts of one hierarchy share a device number and count once).
pub(crate) fn open(path: &str) -> Option<Cgroup> {
    let mounts = mounts();
    let mut hierarchies = Vec::new();
    for (i, m) in mounts.iter().enumerate() {
        if mounts[..i].iter().any(|x| x.dev == m.dev) {
            continue;
        }
        let (Some(dir), mount) = locate(mounts.iter().filter(|x| x.dev == m.dev), path) else {
            continue;
        };
        if is_dir(&dir) {
            hierarchies.push(Hierarchy {
                version: m.version.into(),
                controllers: m.controllers(),
                path: path.to_owned(),
                dir: Some(dir),
                mount,
            });
        }
    }
    Cgroup::from_hierarchies(hierarchies)
}

pub(crate) fn is_dir(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_dir())
}

/// Reads `DIR/FILE` and parses it; `None` when it cannot be read.
fn read<R>(dir: &Path, file: &str, parse: impl FnOnce(&[u8]) -> R) -> Option<R> {
    let path = dir.join(file);
    procfs::read_with(path.to_str()?, parse).ok()
}

fn number(dir: &Path, file: &str) -> Option<u64> {
    read(dir, file, pc::parse_number).flatten()
}

fn limit(dir: &Path, file: &str) -> Option<Limit<u64>> {
    read(dir, file, pc::parse_limit).flatten().map(Limit::from)
}

fn v1_memory_limit(dir: &Path, file: &str) -> Option<Limit<u64>> {
    number(dir, file).map(|b| pc::v1_memory_limit(b).into())
}

fn usec(v: u64) -> f64 {
    v as f64 / 1e6
}

fn nsec(v: u64) -> f64 {
    v as f64 / 1e9
}

/// Memory figures from a `memory` controller directory.
pub(crate) fn memory(dir: &Path, v: Version) -> MemoryStats {
    let stat = read(dir, "memory.stat", |d| pc::parse_memory_stat(d, v.into())).unwrap_or_default();
    let get = |k: &str| stat.get(k).copied();
    let mut m = match v {
        Version::V2 => {
            let events = read(dir, "memory.events", |d| MemoryEvents {
                low: pc::keyed_value(d, "low"),
                high: pc::keyed_value(d, "high"),
                max: pc::keyed_value(d, "max"),
                oom: pc::keyed_value(d, "oom"),
                oom_kill: pc::keyed_value(d, "oom_kill"),
            });
            MemoryStats {
                usage: number(dir, "memory.current"),
                limit: limit(dir, "memory.max"),
                high: limit(dir, "memory.high"),
                swap_usage: number(dir, "memory.swap.current"),
                swap_limit: limit(dir, "memory.swap.max"),
                rss: get("anon"),
                cache: get("file"),
                mapped_file: get("file_mapped"),
                events: events.unwrap_or_default(),
                ..MemoryStats::default()
            }
        }
        Version::V1 => {
            let lim = v1_memory_limit(dir, "memory.limit_in_bytes");
            // memsw limits memory + swap together: the swap share is the
            // difference (the kernel keeps memsw >= the memory limit).
            let swap_limit = match (v1_memory_limit(dir, "memory.memsw.limit_in_bytes"), lim) {
                (Some(Limit::Max), _) => Some(Limit::Max),
                (Some(Limit::Value(both)), Some(Limit::Value(mem))) => {
                    Some(Limit::Value(both.saturating_sub(mem)))
                }
                _ => None,
            };
            MemoryStats {
                usage: number(dir, "memory.usage_in_bytes"),
                limit: lim,
                high: None,
                swap_usage: get("swap"),
                swap_limit,
                rss: get("rss"),
                cache: get("cache"),
                mapped_file: get("mapped_file"),
                events: MemoryEvents {
                    max: number(dir, "memory.failcnt"),
                    oom_kill: read(dir, "memory.oom_control", |d| {
                        pc::keyed_value(d, "oom_kill")
                    })
                    .flatten(),
                    ..MemoryEvents::default()
                },
                ..MemoryStats::default()
            }
        }
    };
    m.working_set = m
        .usage
        .zip(get("inactive_file"))
        .map(|(u, inactive)| u.saturating_sub(inactive));
    m.stat = stat;
    m
}

/// CPU figures from the `cpu`, `cpuacct` and `cpuset` directories (one
/// and the same on v2).
pub(crate) fn cpu(
    cpu: Option<(&Path, Version)>,
    cpuacct: Option<(&Path, Version)>,
    cpuset: Option<(&Path, Version)>,
) -> CpuStats {
    let mut s = CpuStats::default();
    match cpu {
        Some((dir, Version::V2)) => {
            if let Some(stat) = read(dir, "cpu.stat", |d| {
                let get = |k| pc::keyed_value(d, k);
                (
                    get("usage_usec"),
                    get("user_usec"),
                    get("system_usec"),
                    get("nr_periods"),
                    get("nr_throttled"),
                    get("throttled_usec"),
                )
            }) {
                s.usage_seconds = stat.0.map(usec);
                s.user_seconds = stat.1.map(usec);
                s.system_seconds = stat.2.map(usec);
                s.nr_periods = stat.3;
                s.nr_throttled = stat.4;
                s.throttled_seconds = stat.5.map(usec);
            }
            if let Some((quota, period)) = read(dir, "cpu.max", pc::parse_cpu_max).flatten() {
                s.quota_us = Some(quota.into());
                s.period_us = Some(period);
                s.limit_cpus = pc::cpus_of_quota(quota, period).map(Limit::from);
            }
            s.weight = number(dir, "cpu.weight");
        }
        Some((dir, Version::V1)) => {
            s.quota_us = read(dir, "cpu.cfs_quota_us", pc::parse_v1_quota)
                .flatten()
                .map(Limit::from);
            s.period_us = number(dir, "cpu.cfs_period_us");
            s.limit_cpus = s
                .quota_us
                .zip(s.period_us)
                .and_then(|(q, p)| pc::cpus_of_quota(q.into(), p))
                .map(Limit::from);
            s.shares = number(dir, "cpu.shares");
            if let Some((periods, throttled, time)) = read(dir, "cpu.stat", |d| {
                let get = |k| pc::keyed_value(d, k);
                (
                    get("nr_periods"),
                    get("nr_throttled"),
                    get("throttled_time"),
                )
            }) {
                s.nr_periods = periods;
                s.nr_throttled = throttled;
                s.throttled_seconds = time.map(nsec);
            }
        }
        None => {}
    }
    if let Some((dir, Version::V1)) = cpuacct {
        s.usage_seconds = number(dir, "cpuacct.usage").map(nsec);
        s.user_seconds = number(dir, "cpuacct.usage_user").map(nsec);
        s.system_seconds = number(dir, "cpuacct.usage_sys").map(nsec);
        if s.user_seconds.is_none() || s.system_seconds.is_none() {
            // Kernels before 4.6 have only cpuacct.stat, in USER_HZ ticks.
            let ticks = procfs::clock_ticks();
            if let Some((user, system)) = read(dir, "cpuacct.stat", |d| {
                (pc::keyed_value(d, "user"), pc::keyed_value(d, "system"))
            }) {
                s.user_seconds = s.user_seconds.or(user.map(|t| t as f64 / ticks));
                s.system_seconds = s.system_seconds.or(system.map(|t| t as f64 / ticks));
            }
        }
    }
    s.cpuset = match cpuset {
        Some((dir, Version::V2)) => read(dir, "cpuset.cpus.effective", pc::parse_cpu_list),
        Some((dir, Version::V1)) => read(dir, "cpuset.effective_cpus", pc::parse_cpu_list),
        None => None,
    }
    .flatten();
    s
}

/// I/O figures from an `io` (v2) or `blkio` (v1) directory.
pub(crate) fn io(dir: &Path, v: Version) -> IoStats {
    match v {
        Version::V2 => IoStats {
            devices: read(dir, "io.stat", pc::parse_io_stat).map(convert_all),
            limits: read(dir, "io.max", pc::parse_io_max).map(convert_all),
        },
        Version::V1 => {
            // The throttle layer counts every bio, whatever the scheduler;
            // the recursive files (3.19+) include descendants, as v2 does.
            let either = |a: &str, b: &str, kind, out: &mut Vec<_>| {
                read(dir, a, |d| pc::add_blkio(d, kind, out))
                    .or_else(|| read(dir, b, |d| pc::add_blkio(d, kind, out)))
            };
            let mut devices = Vec::new();
            let bytes = either(
                "blkio.throttle.io_service_bytes_recursive",
                "blkio.throttle.io_service_bytes",
                BlkioKind::Bytes,
                &mut devices,
            );
            let ios = either(
                "blkio.throttle.io_serviced_recursive",
                "blkio.throttle.io_serviced",
                BlkioKind::Ios,
                &mut devices,
            );
            let mut limits = Vec::new();
            let mut any_limit = false;
            for (file, which) in [
                ("blkio.throttle.read_bps_device", BlkioLimit::ReadBps),
                ("blkio.throttle.write_bps_device", BlkioLimit::WriteBps),
                ("blkio.throttle.read_iops_device", BlkioLimit::ReadIops),
                ("blkio.throttle.write_iops_device", BlkioLimit::WriteIops),
            ] {
                any_limit |=
                    read(dir, file, |d| pc::add_blkio_limit(d, which, &mut limits)).is_some();
            }
            IoStats {
                devices: (bytes.is_some() || ios.is_some()).then(|| convert_all(devices)),
                limits: any_limit.then(|| convert_all(limits)),
            }
        }
    }
}

/// Task figures from a `pids` directory.
pub(crate) fn pids(dir: &Path) -> PidsStats {
    PidsStats {
        current: number(dir, "pids.current"),
        max: limit(dir, "pids.max"),
    }
}

/// The three PSI files of a directory (`cpu.pressure`, ... or
/// `/proc/pressure/cpu`, ...).
fn pressure_files(dir: &Path, cpu: &str, memory: &str, io: &str) -> PressureStats {
    PressureStats {
        cpu: read(dir, cpu, pc::parse_pressure)
            .flatten()
            .map(Pressure::from),
        memory: read(dir, memory, pc::parse_pressure)
            .flatten()
            .map(Pressure::from),
        io: read(dir, io, pc::parse_pressure)
            .flatten()
            .map(Pressure::from),
    }
}

/// A cgroup's PSI files.
pub(crate) fn pressure(dir: &Path) -> PressureStats {
    pressure_files(dir, "cpu.pressure", "memory.pressure", "io.pressure")
}

/// `/proc/pressure/*`.
pub(crate) fn system_pressure() -> PressureStats {
    let dir = PathBuf::from(format!("{}/pressure", procfs::root()));
    pressure_files(&dir, "cpu", "memory", "io")
}

/// The CPU limit set in one directory, in CPUs.
fn cpu_limit_at(dir: &Path, v: Version) -> Option<Limit<f64>> {
    let (quota, period) = match v {
        Version::V2 => read(dir, "cpu.max", pc::parse_cpu_max).flatten()?,
        Version::V1 => (
            read(dir, "cpu.cfs_quota_us", pc::parse_v1_quota).flatten()?,
            number(dir, "cpu.cfs_period_us")?,
        ),
    };
    pc::cpus_of_quota(quota, period).map(Limit::from)
}

/// The memory limit set in one directory, in bytes.
fn memory_limit_at(dir: &Path, v: Version) -> Option<Limit<u64>> {
    match v {
        Version::V2 => limit(dir, "memory.max"),
        Version::V1 => v1_memory_limit(dir, "memory.limit_in_bytes"),
    }
}

/// The least CPU limit (in CPUs) of a `cpu` hierarchy's directory and its
/// parents up to the mount point.
pub(crate) fn effective_cpu(h: &Hierarchy) -> Limit<f64> {
    least_up(h, |dir| cpu_limit_at(dir, h.version))
}

/// v1's `hierarchical_memory_limit` of a `memory` hierarchy's
/// `memory.stat` (`None` on v2), for [`effective_memory`] when the caller
/// has not read `memory.stat` already.
pub(crate) fn hierarchical_memory_limit(h: &Hierarchy) -> Option<u64> {
    match (h.version, h.dir.as_deref()) {
        (Version::V1, Some(dir)) => read(dir, "memory.stat", |d| {
            pc::keyed_value(d, "hierarchical_memory_limit")
        })
        .flatten(),
        _ => None,
    }
}

/// The least memory limit (bytes) of a `memory` hierarchy's directory and
/// its parents up to the mount point; on v1 also `hierarchical` (its
/// `hierarchical_memory_limit`, see [`hierarchical_memory_limit`]), which
/// covers ancestors above the mount (a container's view) as well.
pub(crate) fn effective_memory(h: &Hierarchy, hierarchical: Option<u64>) -> Limit<u64> {
    let least = least_up(h, |dir| memory_limit_at(dir, h.version));
    let hierarchical = match h.version {
        Version::V1 => hierarchical.map(|b| pc::v1_memory_limit(b).into()),
        Version::V2 => None,
    };
    match (least, hierarchical) {
        (Limit::Value(a), Some(Limit::Value(b))) => Limit::Value(a.min(b)),
        (Limit::Max, Some(Limit::Value(b))) => Limit::Value(b),
        (l, _) => l,
    }
}

/// The least [`Limit::Value`] that `at` finds in the hierarchy's directory
/// and its parents up to the mount point; [`Limit::Max`] when none.
fn least_up<T: PartialOrd + Copy>(
    h: &Hierarchy,
    at: impl Fn(&Path) -> Option<Limit<T>>,
) -> Limit<T> {
    let mut least = Limit::Max;
    let mut dir = h.dir.as_deref();
    while let Some(d) = dir {
        if let Some(Limit::Value(v)) = at(d) {
            if least.value().is_none_or(|l| v < l) {
                least = Limit::Value(v);
            }
        }
        if h.mount.as_deref().is_none_or(|m| d == m) {
            break;
        }
        dir = d.parent();
    }
    least
}

/// `MemTotal` of `/proc/meminfo`, bytes.
pub(crate) fn mem_total() -> Result<u64> {
    super::memory::meminfo()?
        .mem_total
        .map(|t| t.max(0) as u64)
        .ok_or_else(|| super::memory::meminfo_missing("MemTotal"))
}

/// The number of CPUs in the affinity mask of `pid` (`None`: ours), from
/// `Cpus_allowed_list` of `/proc/PID/status` (so that fixture trees
/// answer), else `sched_getaffinity`.
fn allowed_cpus(pid: Option<u32>) -> Result<usize> {
    let list = |d: &[u8]| {
        d.split(|&c| c == b'\n')
            .find_map(|l| l.strip_prefix(b"Cpus_allowed_list:"))
            .and_then(pc::parse_cpu_list)
            .map(|v| v.len())
    };
    let from_status = match pid {
        Some(pid) => procfs::read_pid_file(pid, "status", list).ok().flatten(),
        None => procfs::read_with(&format!("{}/self/status", procfs::root()), list)
            .ok()
            .flatten(),
    };
    match from_status {
        Some(n) => Ok(n),
        None => sys::get_affinity(pid.unwrap_or_else(std::process::id))
            .map(|v| v.len())
            .map_err(Error::os),
    }
}

pub(crate) fn effective_cpu_count(pid: Option<u32>) -> Result<usize> {
    let allowed = allowed_cpus(pid)?;
    let limit = of_process(pid).ok().and_then(|cg| cg.effective_cpu_limit());
    let n = match limit {
        // Float-to-int casts saturate: a huge quota cannot wrap.
        Some(Limit::Value(cpus)) => allowed.min(cpus.ceil() as usize),
        _ => allowed,
    };
    Ok(n.max(1))
}

pub(crate) fn effective_memory_limit(pid: Option<u32>) -> Result<u64> {
    let ram = mem_total()?;
    let limit = of_process(pid)
        .ok()
        .and_then(|cg| cg.effective_memory_limit());
    Ok(match limit {
        Some(Limit::Value(l)) => l.min(ram),
        _ => ram,
    })
}

/// The subdirectory names of `dir`, sorted.
pub(crate) fn subdirs(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if let Some(name) = entry.file_name().to_str() {
                names.push(name.to_owned());
            }
        }
    }
    names.sort_unstable();
    Ok(names)
}

/// `cgroup.procs` of `dir`.
pub(crate) fn procs(dir: &Path) -> Result<Vec<u32>> {
    let path = dir.join("cgroup.procs");
    let path = path.to_string_lossy();
    procfs::read_with(&path, pc::parse_procs).map_err(|e| Error::io(path.into_owned(), e))
}
