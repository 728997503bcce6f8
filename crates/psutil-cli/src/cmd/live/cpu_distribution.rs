//! `psutil cpu_distribution`: per-CPU usage and the processes last run on
//! each CPU.

use psutil::cpu::CpuPercent;
use psutil::process::ProcessIter;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use serde::Serialize;

use super::sampler::{self, Sampler};
use super::widgets::{meter, title_style};
use super::LiveArgs;
use crate::cmd::Ctx;
use crate::error::CliError;
use crate::fmt::clean;

/// `psutil cpu_distribution`.
#[derive(clap::Args)]
#[command(
    about = "live per-CPU usage and the processes on each CPU",
    long_about = "Per-CPU usage and the names of the processes last run on each CPU\n\
                 (cpu_num), busiest first, like psutil's cpu_distribution.py. q quits.\n\
                 With --once or when stdout is not a terminal: one snapshot over\n\
                 --interval (default 1 s); --json likewise.",
    override_usage = "psutil cpu_distribution [--interval SECS] [--once] [--json]"
)]
pub struct Args {
    #[command(flatten)]
    pub live: LiveArgs,
}

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
            let m = meter(&label, c.percent, &format!("{:.1}%", c.percent), meter_w);
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

/// Runs `psutil cpu_distribution`: the UI on a terminal, else one plain snapshot.
pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    sampler::run(&a.live, ctx, CpuSampler::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::live::sampler::draw;

    #[test]
    fn renders_names_per_cpu() {
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
    fn reads_this_machine() {
        let mut c = CpuSampler::new();
        c.sample().unwrap();
        let s = c.sample().unwrap();
        assert!(!s.cpus.is_empty());
        assert!(s.cpus.iter().map(|c| c.processes.len()).sum::<usize>() > 0);
    }
}
