//! `psutil cgroups`: every cgroup with its CPU, memory, I/O, tasks,
//! throttling and pressure, in the manner of systemd-cgtop.

use std::collections::HashMap;
use std::time::Instant;

use psutil::cgroup::{Cgroup, CgroupStats, Pressure};
use ratatui::text::Line;
use ratatui::Frame;
use serde::Serialize;

use super::{dash, io_sum, lim, Roots};
use crate::cmd::live::sampler::{rate, run, Sampler};
use crate::cmd::live::widgets::render_table;
use crate::cmd::live::LiveArgs;
use crate::cmd::Ctx;
use crate::error::CliError;
use crate::fmt::{bytes2human, clean};

/// `psutil cgroups`.
#[derive(clap::Args)]
#[command(
    about = "live cgroup tree: CPU, memory, I/O, tasks, pressure, like systemd-cgtop",
    long_about = "Every cgroup down to --depth (default 3, the root is 0), like\n\
                 systemd-cgtop: tasks, CPU % (of one CPU, over the interval), memory\n\
                 and its limit, I/O read and write rates, the share of CPU periods\n\
                 throttled, and pressure (PSI some avg10, percent) for CPU, memory and\n\
                 I/O. On v1 hosts the tree is the memory hierarchy's. q quits.\n\
                 With --once or when stdout is not a terminal: one snapshot over\n\
                 --interval (default 1 s); --json likewise, a list of objects (null\n\
                 where a figure is unavailable or a limit unlimited).",
    override_usage = "psutil cgroups [--depth N] [--sort KEY] [--filter TEXT] [--interval SECS] [--once] [--json]"
)]
pub struct CgroupsArgs {
    /// show cgroups down to depth N (default 3)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub depth: Option<usize>,
    /// sort by cpu (default), memory, io, tasks or path
    #[arg(
        short,
        long,
        value_name = "KEY",
        value_enum,
        allow_hyphen_values = true
    )]
    pub sort: Option<SortKey>,
    /// show cgroups whose path contains TEXT
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub filter: Option<String>,
    #[command(flatten)]
    pub live: LiveArgs,
    #[command(flatten)]
    pub roots: Roots,
}

/// How rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortKey {
    #[default]
    Cpu,
    #[value(alias = "mem")]
    Memory,
    Io,
    Tasks,
    Path,
}

impl SortKey {
    /// The live view's key for this order.
    fn from_key(c: char) -> Option<SortKey> {
        Some(match c {
            'c' | 'P' => SortKey::Cpu,
            'm' | 'M' => SortKey::Memory,
            'i' => SortKey::Io,
            't' | 'T' => SortKey::Tasks,
            'p' => SortKey::Path,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            SortKey::Cpu => "cpu",
            SortKey::Memory => "memory",
            SortKey::Io => "io",
            SortKey::Tasks => "tasks",
            SortKey::Path => "path",
        }
    }

    /// Orders `rows`: busiest first, ties in tree order; tree order itself
    /// for `Path`.
    fn sort(self, rows: &mut [Row]) {
        let key = |r: &Row| -> f64 {
            match self {
                SortKey::Cpu => r.cpu_percent.unwrap_or(-1.0),
                SortKey::Memory => r.memory.map_or(-1.0, |m| m as f64),
                SortKey::Io => r
                    .io_read_bytes_per_sec
                    .zip(r.io_write_bytes_per_sec)
                    .map_or(-1.0, |(a, b)| a + b),
                SortKey::Tasks => r.tasks.map_or(-1.0, |t| t as f64),
                SortKey::Path => 0.0,
            }
        };
        rows.sort_by_key(|r| r.tree_order);
        if self != SortKey::Path {
            // Stable: ties keep tree order.
            rows.sort_by(|a, b| key(b).total_cmp(&key(a)));
        }
    }
}

/// One cgroup in `psutil cgroups`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub path: String,
    /// Position in the walk (parents before children), for sorting back.
    #[serde(skip)]
    tree_order: usize,
    /// 0 for the root.
    pub depth: usize,
    pub version: u8,
    /// `pids.current` (tasks, including descendants).
    pub tasks: Option<u64>,
    /// CPU used over the interval, percent of one CPU.
    pub cpu_percent: Option<f64>,
    /// Memory usage, bytes.
    pub memory: Option<u64>,
    /// The cgroup's own memory limit, bytes.
    pub memory_limit: Option<u64>,
    /// The cgroup's own CPU limit, CPUs.
    pub cpu_limit: Option<f64>,
    pub io_read_bytes_per_sec: Option<f64>,
    pub io_write_bytes_per_sec: Option<f64>,
    /// Periods throttled among the periods of the interval, percent.
    pub throttled_percent: Option<f64>,
    /// PSI `some avg10` of CPU, memory and I/O, percent.
    pub pressure_cpu: Option<f64>,
    pub pressure_memory: Option<f64>,
    pub pressure_io: Option<f64>,
    pub runtime: Option<&'static str>,
    pub container_id: Option<String>,
}

/// One pass: every row, and the text lines drawn from it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct CgroupsSample {
    rows: Vec<Row>,
    /// The order of `rows` (shown in the live view's title).
    #[serde(skip)]
    sort: SortKey,
}

/// The counters kept between passes, by path.
struct Prev {
    cpu: Option<f64>,
    read: Option<u64>,
    write: Option<u64>,
    periods: Option<u64>,
    throttled: Option<u64>,
}

pub struct CgroupsSampler {
    depth: usize,
    sort: SortKey,
    filter: String,
    prev: HashMap<String, Prev>,
    last: Option<Instant>,
}

fn some_avg10(p: &Option<Pressure>) -> Option<f64> {
    p.as_ref().map(|p| p.some.avg10)
}

fn delta(new: Option<u64>, old: Option<u64>) -> Option<u64> {
    Some(new?.saturating_sub(old?))
}

impl CgroupsSampler {
    fn row(&self, cg: &Cgroup, depth: usize, secs: f64, next: &mut HashMap<String, Prev>) -> Row {
        let s: CgroupStats = cg.stats();
        let cur = Prev {
            cpu: s.cpu.usage_seconds,
            read: io_sum(&s, |d| d.read_bytes),
            write: io_sum(&s, |d| d.write_bytes),
            periods: s.cpu.nr_periods,
            throttled: s.cpu.nr_throttled,
        };
        let old = self.prev.get(cg.path());
        let per_sec = |n: Option<u64>| n.map(|n| n as f64 / secs);
        let (cpu_percent, read, write, throttled_percent) = match old {
            Some(o) if secs > 0.0 => (
                cur.cpu
                    .zip(o.cpu)
                    .map(|(n, o)| (n - o).max(0.0) / secs * 100.0),
                per_sec(delta(cur.read, o.read)),
                per_sec(delta(cur.write, o.write)),
                delta(cur.periods, o.periods)
                    .zip(delta(cur.throttled, o.throttled))
                    .map(|(p, t)| {
                        if p == 0 {
                            0.0
                        } else {
                            (t as f64 / p as f64 * 100.0).min(100.0)
                        }
                    }),
            ),
            // The first pass has no rates yet: zero where a counter exists.
            _ => (
                cur.cpu.map(|_| 0.0),
                cur.read.map(|_| 0.0),
                cur.write.map(|_| 0.0),
                cur.periods.map(|_| 0.0),
            ),
        };
        let pl = cg.placement();
        let row = Row {
            path: cg.path().to_owned(),
            tree_order: 0,
            depth,
            version: cg.version().number(),
            tasks: s.pids.current,
            cpu_percent,
            memory: s.memory.usage,
            memory_limit: lim(s.memory.limit),
            cpu_limit: lim(s.cpu.limit_cpus),
            io_read_bytes_per_sec: read,
            io_write_bytes_per_sec: write,
            throttled_percent,
            pressure_cpu: some_avg10(&s.pressure.cpu),
            pressure_memory: some_avg10(&s.pressure.memory),
            pressure_io: some_avg10(&s.pressure.io),
            runtime: pl.runtime.map(|r| r.as_str()),
            container_id: pl.container_id,
        };
        next.insert(row.path.clone(), cur);
        row
    }
}

impl Sampler for CgroupsSampler {
    type Sample = CgroupsSample;

    fn sample(&mut self) -> Result<CgroupsSample, CliError> {
        let now = Instant::now();
        let secs = self.last.map(|t| (now - t).as_secs_f64()).unwrap_or(0.0);
        self.last = Some(now);
        let mut next = HashMap::new();
        let mut rows: Vec<Row> = Cgroup::root()?
            .descendants(self.depth)
            .into_iter()
            .filter(|(cg, _)| cg.path().contains(&self.filter))
            .enumerate()
            .map(|(i, (cg, depth))| {
                let mut row = self.row(&cg, depth, secs, &mut next);
                row.tree_order = i;
                row
            })
            .collect();
        self.prev = next;
        self.sort.sort(&mut rows);
        Ok(CgroupsSample {
            rows,
            sort: self.sort,
        })
    }

    fn key(&mut self, key: char, shown: &mut CgroupsSample) -> bool {
        let Some(sort) = SortKey::from_key(key) else {
            return false;
        };
        self.sort = sort;
        shown.sort = sort;
        sort.sort(&mut shown.rows);
        true
    }

    fn text(s: &CgroupsSample) -> Vec<String> {
        let w = path_width(s);
        let mut v = vec![header(w)];
        v.extend(s.rows.iter().map(|r| line(r, w)));
        v
    }

    fn render(f: &mut Frame, s: &CgroupsSample, scroll: usize) {
        let w = path_width(s);
        let rows: Vec<String> = s.rows.iter().map(|r| line(r, w)).collect();
        let cpu: f64 = s
            .rows
            .iter()
            .filter(|r| r.depth == 1)
            .filter_map(|r| r.cpu_percent)
            .sum();
        let title = Line::raw(format!(
            "{} cgroups | CPU in top-level cgroups: {cpu:.1}% | sorted by {} \
             (keys: c cpu, m memory, i io, t tasks, p path)",
            s.rows.len(),
            s.sort.name()
        ));
        render_table(f, vec![title], &header(w), &rows, scroll);
    }
}

fn path_width(s: &CgroupsSample) -> usize {
    s.rows
        .iter()
        .map(|r| r.path.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 60)
}

fn header(w: usize) -> String {
    format!(
        "{:<w$} {:>5} {:>6} {:>7} {:>7} {:>9} {:>9} {:>5} {:>5} {:>5} {:>5}",
        "PATH",
        "TASKS",
        "%CPU",
        "MEMORY",
        "LIMIT",
        "READ/s",
        "WRITE/s",
        "THR%",
        "PCPU",
        "PMEM",
        "PIO"
    )
}

/// The path, its start cut when longer than the column (the leaf matters).
fn fit(path: &str, w: usize) -> String {
    let n = path.chars().count();
    if n <= w {
        return clean(path);
    }
    let tail: String = path.chars().skip(n - w + 1).collect();
    format!("…{}", clean(&tail))
}

fn line(r: &Row, w: usize) -> String {
    let pct = |v: f64| format!("{v:.1}");
    format!(
        "{:<w$} {:>5} {:>6} {:>7} {:>7} {:>9} {:>9} {:>5} {:>5} {:>5} {:>5}",
        fit(&r.path, w),
        dash(r.tasks, |t| t.to_string()),
        dash(r.cpu_percent, pct),
        dash(r.memory, bytes2human),
        dash(r.memory_limit, bytes2human),
        dash(r.io_read_bytes_per_sec, rate),
        dash(r.io_write_bytes_per_sec, rate),
        dash(r.throttled_percent, |v| format!("{v:.0}")),
        dash(r.pressure_cpu, pct),
        dash(r.pressure_memory, pct),
        dash(r.pressure_io, pct),
    )
}

pub fn run_cgroups(a: &CgroupsArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    a.roots.set();
    let sampler = CgroupsSampler {
        depth: a.depth.unwrap_or(3),
        sort: a.sort.unwrap_or_default(),
        filter: a.filter.clone().unwrap_or_default(),
        prev: HashMap::new(),
        last: None,
    };
    run(&a.live, ctx, sampler)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_paths() {
        assert_eq!(fit("/a/b", 10), "/a/b");
        assert_eq!(fit("/system.slice/ssh.service", 12), "…ssh.service");
        assert_eq!(fit("/x\ny", 10), "/x?y");
    }

    #[test]
    fn rows_line_up_with_the_header() {
        let r = Row {
            path: "/a".into(),
            cpu_percent: Some(12.345),
            memory: Some(1 << 20),
            ..Row::default()
        };
        let l = line(&r, 10);
        assert_eq!(l.chars().count(), header(10).chars().count());
        assert!(l.starts_with("/a         "), "{l}");
        assert!(l.contains("  12.3 "), "{l}");
        assert!(l.contains("  1.0M "), "{l}");
    }

    #[test]
    fn keys_resort_the_shown_rows_and_path_restores_tree_order() {
        let row = |path: &str, order: usize, cpu: f64, mem: u64| Row {
            path: path.into(),
            tree_order: order,
            cpu_percent: Some(cpu),
            memory: Some(mem),
            ..Row::default()
        };
        let mut shown = CgroupsSample {
            rows: vec![
                row("/", 0, 5.0, 30),
                row("/a", 1, 50.0, 10),
                row("/a/b", 2, 1.0, 20),
            ],
            sort: SortKey::Path,
        };
        let mut sampler = CgroupsSampler {
            depth: 3,
            sort: SortKey::Path,
            filter: String::new(),
            prev: HashMap::new(),
            last: None,
        };
        let paths = |s: &CgroupsSample| s.rows.iter().map(|r| r.path.clone()).collect::<Vec<_>>();
        assert!(sampler.key('c', &mut shown));
        assert_eq!(paths(&shown), ["/a", "/", "/a/b"]);
        assert!(sampler.key('m', &mut shown));
        assert_eq!(paths(&shown), ["/", "/a/b", "/a"]);
        assert_eq!(
            (sampler.sort, shown.sort),
            (SortKey::Memory, SortKey::Memory)
        );
        assert!(sampler.key('p', &mut shown));
        assert_eq!(paths(&shown), ["/", "/a", "/a/b"]);
        assert!(!sampler.key('z', &mut shown));
    }
}
