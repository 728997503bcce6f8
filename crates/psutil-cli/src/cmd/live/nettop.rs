//! `psutil nettop`: traffic per network interface, totals and rates.

use std::collections::HashMap;
use std::time::Instant;

use psutil::net::NetIoNowrap;
use ratatui::text::Line;
use ratatui::Frame;
use serde::Serialize;

use super::sampler::{self, per_sec, rate, Sampler};
use super::widgets::render_table;
use super::LiveArgs;
use crate::cmd::Ctx;
use crate::error::CliError;
use crate::fmt::{bytes2human, clean};

/// `psutil nettop`.
#[derive(clap::Args)]
#[command(
    about = "live per-NIC network traffic",
    long_about = "Per network interface: bytes and packets sent and received, totals and\n\
                 per-second rates (net_io_counters(pernic=True) deltas), like psutil's\n\
                 nettop.py. q quits. With --once or when stdout is not a terminal: one\n\
                 snapshot over --interval (default 1 s); --json likewise.",
    override_usage = "psutil nettop [--interval SECS] [--once] [--json]"
)]
pub struct Args {
    #[command(flatten)]
    pub live: LiveArgs,
}

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

/// Runs `psutil nettop`: the UI on a terminal, else one plain snapshot.
pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    sampler::run(&a.live, ctx, NetSampler::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::live::sampler::draw;

    #[test]
    fn renders_nics_and_total() {
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
    fn reads_this_machine() {
        let mut n = NetSampler::new();
        n.sample().unwrap();
        let s = n.sample().unwrap();
        assert!(s.nics.iter().any(|n| n.name == "lo"));
    }
}
