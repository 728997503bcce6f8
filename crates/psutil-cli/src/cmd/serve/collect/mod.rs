//! What one scrape reads from the library ([`Collector::collect`]) and how
//! it becomes metric families ([`families`], a pure function).
//!
//! Each area (cpu, memory, disks, ...) is one collector, in a module of
//! its own: its `collect` reads its part of the [`Snapshot`], its `render`
//! writes its families, described by constant tables ([`Desc`]). If a
//! collector fails, its metrics are left out and
//! `psutil_scrape_collector_success` says so, but the scrape still
//! answers. Processes that vanish or deny access while being read are
//! skipped, or lose only the metric that was refused.

mod boottime;
mod cgroup;
mod cpu;
mod diskstats;
mod filesystem;
mod loadavg;
mod memory;
mod netdev;
mod pressure;
mod processes;
mod temperature;

use std::collections::HashMap;
use std::time::Instant;

use psutil::cgroup::PressureStats;
use psutil::cpu::{CpuStats, CpuTimes};
use psutil::disk::DiskIoCounters;
use psutil::memory::{SwapMemory, VirtualMemory};
use psutil::net::NetIoCounters;
use psutil::sensors::Temperature;
use regex::Regex;

use super::metrics::{Desc, Exposition};
use cgroup::CgroupSample;
use filesystem::Filesystem;
use processes::ProcSample;

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

/// A metric family and how to read its value from a record of type `T`.
type Field<T, V = u64> = (Desc, fn(&T) -> V);

/// What a collector's `collect` returns: an error leaves its area out.
type Outcome = Result<(), Box<dyn std::error::Error>>;

/// One collector: its name (the `collector` label, the `--collector.NAME`
/// flag), what it exports, and its two halves.
#[derive(Debug, Clone, Copy)]
pub struct CollectorDef {
    pub name: &'static str,
    /// `collector.NAME`, the flag turning it on.
    pub on: &'static str,
    /// `no-collector.NAME`, the flag turning it off.
    pub off: &'static str,
    pub help: &'static str,
    /// Reads its part of the snapshot.
    collect: fn(&mut Collector, &mut Snapshot) -> Outcome,
    /// Writes its families (pure).
    render: fn(&Snapshot, &mut Exposition),
}

macro_rules! collectors {
    ($($name:ident => $help:literal,)*) => {
        /// Every collector, in the order a scrape runs them and its
        /// families are written. All are on by default.
        pub const COLLECTORS: &[CollectorDef] = &[$(CollectorDef {
            name: stringify!($name),
            on: concat!("collector.", stringify!($name)),
            off: concat!("no-collector.", stringify!($name)),
            help: $help,
            collect: $name::collect,
            render: $name::render,
        }),*];
    };
}

collectors! {
    cpu => "CPU times and counts, context switches, interrupts (psutil_cpu_*, ...)",
    loadavg => "load averages (psutil_load1, psutil_load5, psutil_load15)",
    memory => "memory and swap (psutil_memory_*, psutil_swap_*)",
    diskstats => "disk I/O counters (psutil_disk_*)",
    filesystem => "filesystem sizes and usage (psutil_filesystem_*)",
    netdev => "network interface counters (psutil_network_*)",
    temperature => "temperature sensors (psutil_temperature_*)",
    boottime => "boot time (psutil_boot_time_seconds)",
    processes => "psutil_processes and psutil_process_*: reads every /proc/PID",
    pressure => "system pressure stall information (psutil_pressure_*)",
    cgroup => "per-cgroup metrics (psutil_cgroup_*)",
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

    /// One full collection. Never fails: a failing collector is recorded
    /// in `collectors` and its area left out; a collector turned off is
    /// not run, nor the cgroup one at depth 0.
    pub fn collect(&mut self) -> Snapshot {
        let mut s = Snapshot::default();
        for (i, def) in COLLECTORS.iter().enumerate() {
            let off = !self.enabled.0[i] || (def.name == "cgroup" && self.cgroups.depth == 0);
            if off {
                continue;
            }
            let t = Instant::now();
            let ok = (def.collect)(self, &mut s).is_ok();
            s.collectors.push((def.name, ok, t.elapsed().as_secs_f64()));
        }
        s
    }
}

const COLLECTOR_SUCCESS: Desc = Desc::gauge(
    "psutil_scrape_collector_success",
    "Whether a collector succeeded (1) or failed (0) in this scrape.",
    &["collector"],
);
const COLLECTOR_DURATION: Desc = Desc::gauge(
    "psutil_scrape_collector_duration_seconds",
    "Seconds a collector took in this scrape.",
    &["collector"],
);

/// The metric families of a snapshot (pure: no I/O): each collector's,
/// then how each collector fared.
pub fn families(s: &Snapshot) -> Exposition {
    let mut e = Exposition::new();
    for def in COLLECTORS {
        (def.render)(s, &mut e);
    }
    for (name, ok, secs) in &s.collectors {
        e.add(&COLLECTOR_SUCCESS, &[name], if *ok { 1u64 } else { 0 });
        e.add(&COLLECTOR_DURATION, &[name], *secs);
    }
    e
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;
    use psutil::cgroup::{
        CgroupStats, IoDevice, IoStats, Limit, MemoryEvents, MemoryStats, PidsStats, Pressure,
        PressureLine,
    };
    use psutil::disk::DiskUsage;
    use psutil::memory;
    use psutil::process::{MemoryInfo, ProcessCpuTimes as ProcCpuTimes};

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
                cpu_times: Some({
                    let mut v = ProcCpuTimes::default();
                    v.user = 1.5;
                    v.system = 0.25;
                    v
                }),
                memory: Some({
                    let mut v = MemoryInfo::default();
                    v.rss = 4096;
                    v.vms = 8192;
                    v
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
