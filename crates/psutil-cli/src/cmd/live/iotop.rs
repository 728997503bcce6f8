//! `psutil iotop`: per-process disk read and write rates, busiest first.

use std::collections::HashMap;
use std::time::Instant;

use psutil::disk::DiskIoNowrap;
use psutil::process::ProcessIter;
use ratatui::text::Line;
use ratatui::Frame;
use serde::Serialize;

use super::sampler::{self, per_sec, rate, Sampler};
use super::widgets::render_table;
use super::LiveArgs;
use crate::cmd::Ctx;
use crate::error::CliError;
use crate::fmt::{bytes2human, clean};

/// `psutil iotop`.
#[derive(clap::Args)]
#[command(
    about = "live per-process disk read/write rates",
    long_about = "Per-process disk read and write rates (from io_counters deltas), busiest\n\
                 first, with the system totals (disk_io_counters) on top, like psutil's\n\
                 iotop.py. Processes whose I/O counters are not readable (other users'\n\
                 when not root) are left out. q quits. With --once or when stdout is not\n\
                 a terminal: one snapshot over --interval (default 1 s); --json likewise.",
    override_usage = "psutil iotop [--interval SECS] [--once] [--json]"
)]
pub struct Args {
    #[command(flatten)]
    pub live: LiveArgs,
}

/// One process's disk I/O.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IoRow {
    pub pid: u32,
    pub username: String,
    pub name: String,
    pub read_bytes: u64,
    pub write_bytes: u64,
    pub read_bytes_per_sec: f64,
    pub write_bytes_per_sec: f64,
}

/// iotop's sample.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IoSample {
    pub disk_read_bytes_per_sec: f64,
    pub disk_write_bytes_per_sec: f64,
    /// Busiest first.
    pub processes: Vec<IoRow>,
}

pub struct IoSampler {
    iter: ProcessIter,
    /// (pid, start ticks) → (read, written, username).
    prev: HashMap<(u32, u64), (u64, u64, String)>,
    disk: DiskIoNowrap,
    prev_disk: Option<(u64, u64)>,
    last: Option<Instant>,
}

impl IoSampler {
    pub fn new() -> Self {
        IoSampler {
            iter: ProcessIter::new(),
            prev: HashMap::new(),
            disk: DiskIoNowrap::new(),
            prev_disk: None,
            last: None,
        }
    }
}

pub const IO_HEADER: &str = "    PID USER          READ/s    WRITE/s      READ   WRITTEN COMMAND";

impl Sampler for IoSampler {
    type Sample = IoSample;

    fn sample(&mut self) -> Result<IoSample, CliError> {
        let now = Instant::now();
        let secs = self.last.map(|t| (now - t).as_secs_f64()).unwrap_or(0.0);
        self.last = Some(now);
        let mut out = IoSample::default();
        if let Some(d) = self.disk.disk_io_counters()? {
            if let Some((r, w)) = self.prev_disk {
                out.disk_read_bytes_per_sec = per_sec(d.read_bytes, r, secs);
                out.disk_write_bytes_per_sec = per_sec(d.write_bytes, w, secs);
            }
            self.prev_disk = Some((d.read_bytes, d.write_bytes));
        }
        let mut next = HashMap::with_capacity(self.prev.len());
        for p in self.iter.iter()? {
            let _batch = p.oneshot();
            let Ok(io) = p.io_counters() else { continue };
            let key = (p.pid(), p.start_ticks());
            let (rate_r, rate_w, user) = match self.prev.remove(&key) {
                Some((r, w, u)) => (
                    per_sec(io.read_bytes, r, secs),
                    per_sec(io.write_bytes, w, secs),
                    u,
                ),
                None => (0.0, 0.0, p.username().unwrap_or_default()),
            };
            out.processes.push(IoRow {
                pid: p.pid(),
                username: user.clone(),
                name: p.name().unwrap_or_default(),
                read_bytes: io.read_bytes,
                write_bytes: io.write_bytes,
                read_bytes_per_sec: rate_r,
                write_bytes_per_sec: rate_w,
            });
            next.insert(key, (io.read_bytes, io.write_bytes, user));
        }
        self.prev = next;
        out.processes.sort_by(|a, b| {
            let ta = a.read_bytes_per_sec + a.write_bytes_per_sec;
            let tb = b.read_bytes_per_sec + b.write_bytes_per_sec;
            tb.total_cmp(&ta)
                .then((b.read_bytes + b.write_bytes).cmp(&(a.read_bytes + a.write_bytes)))
                .then(a.pid.cmp(&b.pid))
        });
        Ok(out)
    }

    fn text(s: &IoSample) -> Vec<String> {
        let mut v = vec![io_title(s), IO_HEADER.to_string()];
        v.extend(s.processes.iter().map(io_row));
        v
    }

    fn render(f: &mut Frame, s: &IoSample, scroll: usize) {
        let rows: Vec<String> = s.processes.iter().map(io_row).collect();
        render_table(f, vec![Line::raw(io_title(s))], IO_HEADER, &rows, scroll);
    }
}

fn io_title(s: &IoSample) -> String {
    format!(
        "Total DISK READ: {} | Total DISK WRITE: {} | {} processes",
        rate(s.disk_read_bytes_per_sec),
        rate(s.disk_write_bytes_per_sec),
        s.processes.len()
    )
}

fn io_row(r: &IoRow) -> String {
    let user: String = r.username.chars().take(10).collect();
    format!(
        "{:>7} {:<10} {:>10} {:>10} {:>9} {:>9} {}",
        r.pid,
        user,
        rate(r.read_bytes_per_sec),
        rate(r.write_bytes_per_sec),
        bytes2human(r.read_bytes),
        bytes2human(r.write_bytes),
        clean(&r.name)
    )
}

/// Runs `psutil iotop`: the UI on a terminal, else one plain snapshot.
pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    sampler::run(&a.live, ctx, IoSampler::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::live::sampler::draw;

    #[test]
    fn renders_rates_busiest_first() {
        let s = IoSample {
            disk_read_bytes_per_sec: 2048.0,
            disk_write_bytes_per_sec: 1536.0 * 1024.0,
            processes: vec![
                IoRow {
                    pid: 42,
                    username: "alice".into(),
                    name: "dd".into(),
                    read_bytes: 1 << 30,
                    write_bytes: 0,
                    read_bytes_per_sec: 10.0 * 1048576.0,
                    write_bytes_per_sec: 0.0,
                },
                IoRow {
                    pid: 7,
                    username: "root".into(),
                    name: "idle".into(),
                    ..IoRow::default()
                },
            ],
        };
        let scr = draw::<IoSampler>(&s, 80, 24);
        assert!(scr[0].starts_with("Total DISK READ: 2.0K/s | Total DISK WRITE: 1.5M/s"));
        assert!(scr[1].contains("READ/s"));
        assert!(scr[2].trim_start().starts_with("42 alice"));
        assert!(scr[2].contains("10.0M/s") && scr[2].contains("1.0G") && scr[2].contains("dd"));
        assert!(scr[3].trim_start().starts_with("7 root"));
        assert!(scr[23].contains("Quit"));
        let text = IoSampler::text(&s);
        assert_eq!(text.len(), 4);
    }

    #[test]
    fn reads_this_machine() {
        let mut io = IoSampler::new();
        io.sample().unwrap();
        let s = io.sample().unwrap();
        let me = std::process::id();
        assert!(s.processes.iter().any(|p| p.pid == me));
    }
}
