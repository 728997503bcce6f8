//! The smaller live views: `iotop`, `nettop`, `cpu_distribution`. Each is
//! a [`Sampler`] (library reads into a plain, serializable sample, with
//! rates since the previous sample), a text form and a render function;
//! [`run`] picks the terminal UI or one plain snapshot.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use psutil::cpu::CpuPercent;
use psutil::disk::DiskIoNowrap;
use psutil::net::NetIoNowrap;
use psutil::process::ProcessIter;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use serde::Serialize;

use super::{run_live, CpuDistributionArgs, IotopArgs, Live, LiveArgs, NettopArgs};
use crate::cmd::Ctx;
use crate::error::CliError;
use crate::fmt::{bytes2human, clean};

/// One view's data source.
pub trait Sampler {
    type Sample: Serialize + Default;
    /// A new sample; rates are since the previous call (zero the first time).
    fn sample(&mut self) -> Result<Self::Sample, CliError>;
    /// The plain-text form, one string per line.
    fn text(s: &Self::Sample) -> Vec<String>;
    /// Draws the sample, the first `scroll` table rows skipped.
    fn render(f: &mut Frame, s: &Self::Sample, scroll: usize);
    /// A view's own key (sorting, say), applied to the shown sample at
    /// once; `false` when the key means nothing to this view.
    fn key(&mut self, _key: char, _shown: &mut Self::Sample) -> bool {
        false
    }
}

/// `rate` bytes per second as `1.5M/s`.
pub fn rate(bytes_per_sec: f64) -> String {
    format!("{}/s", bytes2human(bytes_per_sec.max(0.0) as u64))
}

fn per_sec(new: u64, old: u64, secs: f64) -> f64 {
    if secs <= 0.0 {
        0.0
    } else {
        new.saturating_sub(old) as f64 / secs
    }
}

fn title_style() -> Style {
    Style::new().bg(Color::Green).fg(Color::Black)
}

/// Draws `title` (bold header lines), a highlighted table header and the
/// rows from `scroll`, and a key hint at the bottom.
pub(crate) fn render_table(
    f: &mut Frame,
    title: Vec<Line>,
    header: &str,
    rows: &[String],
    scroll: usize,
) {
    let area = f.area();
    let th = title.len() as u16;
    f.render_widget(
        Paragraph::new(title),
        Rect {
            height: th.min(area.height),
            ..area
        },
    );
    if area.height <= th + 1 {
        return;
    }
    let pad = (area.width as usize).saturating_sub(header.chars().count());
    let head = Line::styled(format!("{header}{}", " ".repeat(pad)), title_style());
    f.render_widget(
        Paragraph::new(head),
        Rect::new(area.x, area.y + th, area.width, 1),
    );
    let body_h = area.height - th - 2;
    let body: Vec<Line> = rows
        .iter()
        .skip(scroll.min(rows.len().saturating_sub(1)))
        .take(body_h as usize)
        .map(|r| Line::raw(r.as_str()))
        .collect();
    f.render_widget(
        Paragraph::new(body),
        Rect::new(area.x, area.y + th + 1, area.width, body_h),
    );
    let hint = Line::from(vec![
        Span::styled("q", Style::new().bg(Color::Cyan).fg(Color::Black)),
        Span::raw("Quit "),
        Span::styled("↑↓", Style::new().bg(Color::Cyan).fg(Color::Black)),
        Span::raw("Scroll"),
    ]);
    f.render_widget(
        Paragraph::new(hint),
        Rect::new(area.x, area.y + area.height - 1, area.width, 1),
    );
}

/// A sampler on the terminal.
struct LiveView<S: Sampler> {
    sampler: S,
    sample: S::Sample,
    scroll: usize,
    interval: Duration,
}

impl<S: Sampler> Live for LiveView<S> {
    fn interval(&self) -> Duration {
        self.interval
    }

    fn tick(&mut self) -> Result<(), CliError> {
        self.sample = self.sampler.sample()?;
        Ok(())
    }

    fn draw(&mut self, f: &mut Frame) {
        S::render(f, &self.sample, self.scroll);
    }

    fn key(&mut self, k: KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char('q') | KeyCode::Esc => return true,
            KeyCode::Char('c') if ctrl => return true,
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down => self.scroll += 1,
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::PageDown => self.scroll += 10,
            KeyCode::Home => self.scroll = 0,
            KeyCode::Char(c) if !ctrl && self.sampler.key(c, &mut self.sample) => {
                self.scroll = 0;
            }
            _ => {}
        }
        false
    }
}

/// Runs a view: a UI on a terminal, else one snapshot (text or JSON)
/// taken over the interval.
pub(crate) fn run<S: Sampler>(
    live: &LiveArgs,
    ctx: &mut Ctx,
    mut sampler: S,
) -> Result<(), CliError> {
    let every = live.interval_or(1.0);
    if !live.plain() {
        let mut v = LiveView {
            sampler,
            sample: S::Sample::default(),
            scroll: 0,
            interval: every,
        };
        return run_live(&mut v);
    }
    sampler.sample()?;
    std::thread::sleep(every);
    let s = sampler.sample()?;
    if live.json {
        return ctx.json(&s);
    }
    for line in S::text(&s) {
        match ctx.width {
            Some(w) => writeln!(ctx.out, "{}", line.chars().take(w).collect::<String>())?,
            None => writeln!(ctx.out, "{line}")?,
        }
    }
    Ok(())
}

// ---- iotop -----------------------------------------------------------------

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

pub fn run_iotop(a: &IotopArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    run(&a.live, ctx, IoSampler::new())
}

// ---- nettop ----------------------------------------------------------------

/// One NIC's traffic: totals and per-second rates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NicRow {
    pub name: String,
    pub bytes_sent: u64,
    pub bytes_recv: u64,
    pub packets_sent: u64,
    pub packets_recv: u64,
    pub bytes_sent_per_sec: f64,
    pub bytes_recv_per_sec: f64,
    pub packets_sent_per_sec: f64,
    pub packets_recv_per_sec: f64,
}

/// nettop's sample: every NIC, by name, then their sum.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetSample {
    pub nics: Vec<NicRow>,
    pub total: NicRow,
}

pub struct NetSampler {
    nowrap: NetIoNowrap,
    prev: HashMap<String, [u64; 4]>,
    last: Option<Instant>,
}

impl NetSampler {
    pub fn new() -> Self {
        NetSampler {
            nowrap: NetIoNowrap::new(),
            prev: HashMap::new(),
            last: None,
        }
    }
}

/// nettop's table header, aligned with its rows.
pub fn net_header() -> String {
    format!(
        "{:<9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8}",
        "NIC", "RECV/s", "SENT/s", "RECV", "SENT", "PKIN/s", "PKOUT/s", "PKTS-IN", "PKTS-OUT"
    )
}

impl Sampler for NetSampler {
    type Sample = NetSample;

    fn sample(&mut self) -> Result<NetSample, CliError> {
        let now = Instant::now();
        let secs = self.last.map(|t| (now - t).as_secs_f64()).unwrap_or(0.0);
        self.last = Some(now);
        let mut out = NetSample {
            total: NicRow {
                name: "total".into(),
                ..NicRow::default()
            },
            ..NetSample::default()
        };
        let mut next = HashMap::new();
        for (name, c) in self.nowrap.net_io_counters_pernic()?.iter() {
            let cur = [c.bytes_sent, c.bytes_recv, c.packets_sent, c.packets_recv];
            let old = self.prev.get(name).copied().unwrap_or(cur);
            let r = |i: usize| per_sec(cur[i], old[i], secs);
            let row = NicRow {
                name: name.to_string(),
                bytes_sent: cur[0],
                bytes_recv: cur[1],
                packets_sent: cur[2],
                packets_recv: cur[3],
                bytes_sent_per_sec: r(0),
                bytes_recv_per_sec: r(1),
                packets_sent_per_sec: r(2),
                packets_recv_per_sec: r(3),
            };
            let t = &mut out.total;
            t.bytes_sent += row.bytes_sent;
            t.bytes_recv += row.bytes_recv;
            t.packets_sent += row.packets_sent;
            t.packets_recv += row.packets_recv;
            t.bytes_sent_per_sec += row.bytes_sent_per_sec;
            t.bytes_recv_per_sec += row.bytes_recv_per_sec;
            t.packets_sent_per_sec += row.packets_sent_per_sec;
            t.packets_recv_per_sec += row.packets_recv_per_sec;
            out.nics.push(row);
            next.insert(name.to_string(), cur);
        }
        self.prev = next;
        out.nics.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn text(s: &NetSample) -> Vec<String> {
        let mut v = vec![net_header()];
        v.extend(s.nics.iter().chain([&s.total]).map(nic_row));
        v
    }

    fn render(f: &mut Frame, s: &NetSample, scroll: usize) {
        let mut rows: Vec<String> = s.nics.iter().map(nic_row).collect();
        rows.push(nic_row(&s.total));
        let title = Line::raw(format!(
            "{} interfaces | total in: {} | total out: {}",
            s.nics.len(),
            rate(s.total.bytes_recv_per_sec),
            rate(s.total.bytes_sent_per_sec)
        ));
        render_table(f, vec![title], &net_header(), &rows, scroll);
    }
}

fn nic_row(r: &NicRow) -> String {
    let name: String = r.name.chars().take(9).collect();
    format!(
        "{:<9} {:>9} {:>9} {:>7} {:>7} {:>7.0} {:>7.0} {:>8} {:>8}",
        clean(&name),
        rate(r.bytes_recv_per_sec),
        rate(r.bytes_sent_per_sec),
        bytes2human(r.bytes_recv),
        bytes2human(r.bytes_sent),
        r.packets_recv_per_sec,
        r.packets_sent_per_sec,
        r.packets_recv,
        r.packets_sent
    )
}

pub fn run_nettop(a: &NettopArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    run(&a.live, ctx, NetSampler::new())
}

// ---- cpu_distribution ------------------------------------------------------

/// One CPU: its usage and the processes last run on it, busiest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CpuRow {
    pub cpu: usize,
    pub percent: f64,
    pub processes: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CpuSample {
    pub cpus: Vec<CpuRow>,
}

pub struct CpuSampler {
    iter: ProcessIter,
    cpu: Option<CpuPercent>,
}

impl CpuSampler {
    pub fn new() -> Self {
        CpuSampler {
            iter: ProcessIter::new(),
            cpu: None,
        }
    }
}

impl Sampler for CpuSampler {
    type Sample = CpuSample;

    fn sample(&mut self) -> Result<CpuSample, CliError> {
        let percents = match &mut self.cpu {
            Some(c) => c.cpu_percent_percpu(None)?,
            None => {
                let mut c = CpuPercent::new()?;
                let v = c.cpu_percent_percpu(None)?;
                self.cpu = Some(c);
                v
            }
        };
        let mut cpus: Vec<CpuRow> = percents
            .iter()
            .enumerate()
            .map(|(cpu, &percent)| CpuRow {
                cpu,
                percent,
                processes: Vec::new(),
            })
            .collect();
        let mut on: Vec<Vec<(f64, String)>> = vec![Vec::new(); cpus.len()];
        for p in self.iter.iter()? {
            let _batch = p.oneshot();
            let (Ok(n), Ok(name), Ok(pct)) = (p.cpu_num(), p.name(), p.cpu_percent(None)) else {
                continue;
            };
            if let Some(v) = on.get_mut(n as usize) {
                v.push((pct, name));
            }
        }
        for (row, mut procs) in cpus.iter_mut().zip(on) {
            procs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            row.processes = procs.into_iter().map(|(_, n)| n).collect();
        }
        Ok(CpuSample { cpus })
    }

    fn text(s: &CpuSample) -> Vec<String> {
        s.cpus
            .iter()
            .map(|c| {
                format!(
                    "CPU {:<3} {:>5.1}%  {}",
                    c.cpu,
                    c.percent,
                    clean(c.processes.join(", "))
                )
            })
            .collect()
    }

    fn render(f: &mut Frame, s: &CpuSample, scroll: usize) {
        let area = f.area();
        let title = Line::styled(
            format!(
                "{:<w$}",
                format!(
                    "{} CPUs: usage and processes on each (busiest first)",
                    s.cpus.len()
                ),
                w = area.width as usize
            ),
            title_style(),
        );
        f.render_widget(
            Paragraph::new(title),
            Rect {
                height: 1.min(area.height),
                ..area
            },
        );
        let meter_w = 28.min(area.width);
        let body_h = area.height.saturating_sub(2);
        let start = scroll.min(s.cpus.len().saturating_sub(1));
        for (y, c) in s.cpus.iter().skip(start).take(body_h as usize).enumerate() {
            let y = area.y + 1 + y as u16;
            let label = format!("CPU{:<3}", c.cpu);
            let m = super::ui::meter(&label, c.percent, &format!("{:.1}%", c.percent), meter_w);
            f.render_widget(Paragraph::new(m), Rect::new(area.x, y, meter_w, 1));
            let names = clean(c.processes.join(" "));
            let rest = area.width.saturating_sub(meter_w + 1);
            f.render_widget(
                Paragraph::new(Line::raw(names)),
                Rect::new(area.x + meter_w + 1, y, rest, 1),
            );
        }
        if area.height > 1 {
            let hint = Line::from(vec![
                Span::styled("q", Style::new().bg(Color::Cyan).fg(Color::Black)),
                Span::raw("Quit"),
            ]);
            f.render_widget(
                Paragraph::new(hint),
                Rect::new(area.x, area.y + area.height - 1, area.width, 1),
            );
        }
    }
}

pub fn run_cpu_distribution(a: &CpuDistributionArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    run(&a.live, ctx, CpuSampler::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn draw<S: Sampler>(s: &S::Sample, w: u16, h: u16) -> Vec<String> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| S::render(f, s, 0)).unwrap();
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect()
    }

    #[test]
    fn top_iotop_renders_rates_busiest_first() {
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
    fn top_nettop_renders_nics_and_total() {
        let nic = |name: &str, rx: f64| NicRow {
            name: name.into(),
            bytes_recv: 5 << 20,
            bytes_recv_per_sec: rx,
            packets_recv: 1000,
            ..NicRow::default()
        };
        let s = NetSample {
            nics: vec![nic("eth0", 4096.0), nic("lo", 0.0)],
            total: nic("total", 4096.0),
        };
        let scr = draw::<NetSampler>(&s, 80, 24);
        assert!(scr[0].contains("2 interfaces | total in: 4.0K/s"));
        assert!(scr[1].starts_with("NIC"));
        assert!(scr[2].starts_with("eth0") && scr[2].contains("4.0K/s") && scr[2].contains("5.0M"));
        assert!(scr[3].starts_with("lo"));
        assert!(scr[4].starts_with("total"));
        assert!(net_header().len() <= 80);
        assert_eq!(scr[2].trim_end().len(), net_header().len());
    }

    #[test]
    fn top_cpu_distribution_renders_names_per_cpu() {
        let s = CpuSample {
            cpus: vec![
                CpuRow {
                    cpu: 0,
                    percent: 50.0,
                    processes: vec!["cargo".into(), "bash".into()],
                },
                CpuRow {
                    cpu: 1,
                    percent: 0.0,
                    processes: vec![],
                },
            ],
        };
        let scr = draw::<CpuSampler>(&s, 80, 24);
        assert!(scr[0].starts_with("2 CPUs"));
        assert!(scr[1].starts_with("CPU0  [|||||") && scr[1].contains("50.0%] cargo bash"));
        assert!(scr[2].starts_with("CPU1  [") && scr[2].contains("0.0%]"));
        assert_eq!(CpuSampler::text(&s)[0], "CPU 0    50.0%  cargo, bash");
    }

    #[test]
    fn top_samplers_read_this_machine() {
        let mut c = CpuSampler::new();
        c.sample().unwrap();
        let s = c.sample().unwrap();
        assert!(!s.cpus.is_empty());
        assert!(s.cpus.iter().map(|c| c.processes.len()).sum::<usize>() > 0);
        let mut n = NetSampler::new();
        n.sample().unwrap();
        let s = n.sample().unwrap();
        assert!(s.nics.iter().any(|n| n.name == "lo"));
        let mut io = IoSampler::new();
        io.sample().unwrap();
        let s = io.sample().unwrap();
        let me = std::process::id();
        assert!(s.processes.iter().any(|p| p.pid == me));
    }
}
