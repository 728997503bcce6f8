//! CPU information from `/proc/stat`, `/proc/cpuinfo`, `/proc/loadavg` and
//! `/sys/devices/system/cpu`. Parsing is in [`super::parse::proc_stat`]
//! and [`super::parse::cpuinfo`]; this module reads files and builds the
//! public types.

use std::io;

use super::parse::{cpuinfo, proc_stat};
use super::procfs;
use crate::cpu::{CpuFreq, CpuStats, CpuTimes};
use crate::{Error, Result};

/// An `Error::Io` for a file whose content is not what the kernel writes.
fn invalid(path: String, what: &str) -> Error {
    Error::io(
        path,
        io::Error::new(io::ErrorKind::InvalidData, what.to_owned()),
    )
}

fn root_path(file: &str) -> String {
    format!("{}/{file}", procfs::root())
}

fn to_times(line: &proc_stat::CpuLine) -> CpuTimes {
    let hz = procfs::clock_ticks();
    let mut v = [None; proc_stat::MAX_COLUMNS];
    for (slot, &t) in v.iter_mut().zip(&line.ticks[..line.ncols]) {
        *slot = Some(t as f64 / hz);
    }
    CpuTimes::from_values(&v)
}

/// The total `cpu` line and (with `percpu`) the `cpuN` lines, from one read
/// of `/proc/stat`.
pub(crate) fn cpu_times(percpu: bool) -> Result<(CpuTimes, Vec<CpuTimes>)> {
    let lines = procfs::read_root_file("stat", |d| proc_stat::parse_cpu_lines(d, percpu))?
        .ok_or_else(|| invalid(root_path("stat"), "malformed cpu lines"))?;
    Ok((
        to_times(&lines.total),
        lines.percpu.iter().map(to_times).collect(),
    ))
}

/// psutil's `cpu_count_logical()`: `sysconf(_SC_NPROCESSORS_ONLN)`, else
/// the `processor` lines of cpuinfo, else the `cpuN` lines of stat.
pub(crate) fn cpu_count_logical() -> Result<Option<usize>> {
    if let Some(n) = super::sys::online_cpus() {
        return Ok(Some(n));
    }
    cpu_count_logical_from_procfs()
}

/// The `/proc` fallbacks of [`cpu_count_logical`] alone.
pub(crate) fn cpu_count_logical_from_procfs() -> Result<Option<usize>> {
    let n = procfs::read_root_file("cpuinfo", cpuinfo::count_processors)?;
    if n > 0 {
        return Ok(Some(n));
    }
    let n = procfs::read_root_file("stat", proc_stat::count_cpu_lines)?;
    Ok((n > 0).then_some(n))
}

/// Names `cpuN...` (psutil's glob `cpu[0-9]*`) under `SYS/devices/system/cpu`.
fn cpu_dirs() -> Vec<String> {
    let dir = format!("{}/devices/system/cpu", procfs::sys_root());
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("cpu") && n.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .collect()
}

/// Reads a sysfs file relative to the `/sys` root; `Ok(None)` if it does
/// not exist.
fn read_sys_opt(rel: &str) -> Result<Option<Vec<u8>>> {
    match procfs::read_sys_file(rel, |d| d.to_vec()) {
        Ok(v) => Ok(Some(v)),
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// psutil's `cpu_count_cores()`: distinct `core_cpus_list` contents (else
/// `thread_siblings_list`) over `cpu[0-9]*`, else cpuinfo's `cpu cores` per
/// `physical id`. `None` when both give 0.
pub(crate) fn cpu_count_cores() -> Result<Option<usize>> {
    let dirs = cpu_dirs();
    for file in ["core_cpus_list", "thread_siblings_list"] {
        let mut seen: Vec<Vec<u8>> = Vec::new();
        for d in &dirs {
            if let Some(v) = read_sys_opt(&format!("devices/system/cpu/{d}/topology/{file}"))? {
                let v = v.trim_ascii().to_vec();
                if !seen.contains(&v) {
                    seen.push(v);
                }
            }
        }
        if !seen.is_empty() {
            return Ok(Some(seen.len()));
        }
    }
    let n = procfs::read_root_file("cpuinfo", cpuinfo::physical_cores)?;
    Ok((n > 0).then_some(n))
}

/// psutil's `cpu_stats()` from `/proc/stat`.
pub(crate) fn cpu_stats() -> Result<CpuStats> {
    let c = procfs::read_root_file("stat", proc_stat::parse_counters)?;
    let (Some(ctx_switches), Some(interrupts)) = (c.ctxt, c.intr) else {
        return Err(invalid(root_path("stat"), "no ctxt or intr line"));
    };
    Ok(CpuStats {
        ctx_switches,
        interrupts,
        soft_interrupts: c.softirq,
        syscalls: 0,
    })
}

fn cpuinfo_mhz() -> Result<Vec<f64>> {
    procfs::read_root_file("cpuinfo", cpuinfo::mhz)?
        .ok_or_else(|| invalid(root_path("cpuinfo"), "bad cpu MHz value"))
}

fn sys_exists(rel: &str) -> bool {
    std::path::Path::new(&format!("{}/{rel}", procfs::sys_root())).exists()
}

/// A sysfs frequency file (kHz) as psutil's `int(bcat(path))`.
fn khz(rel: &str, data: &[u8]) -> Result<i64> {
    super::parse::parse_i64(data.trim_ascii())
        .ok_or_else(|| invalid(format!("{}/{rel}", procfs::sys_root()), "not a frequency"))
}

/// The number in a `policyN` / `cpuN` name (psutil sorts on it).
fn trailing_number(name: &str) -> u64 {
    let digits: String = name
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}

/// psutil's Linux `cpu_freq()` (the per-CPU list). With
/// `cpufreq/policy0` or `cpu0/cpufreq` in sysfs: one entry per policy
/// (else per `cpuN/cpufreq`), current from cpuinfo when it has as many
/// `cpu MHz` lines as there are policies, else `scaling_cur_freq`, else
/// `cpuinfo_cur_freq`; an offline CPU with neither gives zeros. Without
/// cpufreq: cpuinfo's `cpu MHz` with min = max = 0.0.
pub(crate) fn cpu_freq() -> Result<Vec<CpuFreq>> {
    let mhz = cpuinfo_mhz()?;
    if !sys_exists("devices/system/cpu/cpufreq/policy0")
        && !sys_exists("devices/system/cpu/cpu0/cpufreq")
    {
        return Ok(mhz
            .into_iter()
            .map(|current| CpuFreq {
                current,
                min: 0.0,
                max: 0.0,
            })
            .collect());
    }
    let sys = procfs::sys_root();
    let mut paths: Vec<(u64, String)> =
        match std::fs::read_dir(format!("{sys}/devices/system/cpu/cpufreq")) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| {
                    n.starts_with("policy") && n.as_bytes().get(6).is_some_and(u8::is_ascii_digit)
                })
                .map(|n| {
                    (
                        trailing_number(&n),
                        format!("devices/system/cpu/cpufreq/{n}"),
                    )
                })
                .collect(),
            Err(_) => Vec::new(),
        };
    if paths.is_empty() {
        paths = cpu_dirs()
            .into_iter()
            .filter(|d| sys_exists(&format!("devices/system/cpu/{d}/cpufreq")))
            .map(|d| {
                (
                    trailing_number(&d),
                    format!("devices/system/cpu/{d}/cpufreq"),
                )
            })
            .collect();
    }
    paths.sort_by_key(|(n, _)| *n);
    let mut out = Vec::with_capacity(paths.len());
    for (i, (_, path)) in paths.iter().enumerate() {
        let cur_khz = if paths.len() == mhz.len() {
            // psutil: int(mhz * 1000), i.e. truncated to whole kHz.
            Some((mhz[i] * 1000.0) as i64)
        } else {
            let mut found = None;
            for f in ["scaling_cur_freq", "cpuinfo_cur_freq"] {
                let rel = format!("{path}/{f}");
                if let Some(d) = read_sys_opt(&rel)? {
                    found = Some(khz(&rel, &d)?);
                    break;
                }
            }
            found
        };
        let Some(cur_khz) = cur_khz else {
            let online = read_sys_opt(&format!("devices/system/cpu/cpu{i}/online"))?;
            if online.as_deref() == Some(b"0\n") {
                out.push(CpuFreq {
                    current: 0.0,
                    min: 0.0,
                    max: 0.0,
                });
                continue;
            }
            return Err(Error::io(
                format!("{sys}/{path}"),
                io::Error::new(
                    io::ErrorKind::Unsupported,
                    "can't find current frequency file",
                ),
            ));
        };
        let read_khz = |f: &str| -> Result<i64> {
            let rel = format!("{path}/{f}");
            let d = procfs::read_sys_file(&rel, |d| d.to_vec())?;
            khz(&rel, &d)
        };
        let max = read_khz("scaling_max_freq")?;
        let min = read_khz("scaling_min_freq")?;
        out.push(CpuFreq {
            current: cur_khz as f64 / 1000.0,
            min: min as f64 / 1000.0,
            max: max as f64 / 1000.0,
        });
    }
    Ok(out)
}

/// The three load averages of `/proc/loadavg`.
pub(crate) fn loadavg() -> Result<(f64, f64, f64)> {
    procfs::read_root_file("loadavg", proc_stat::parse_loadavg)?
        .ok_or_else(|| invalid(root_path("loadavg"), "malformed loadavg"))
}
