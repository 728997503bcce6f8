//! `psutil top`: the interactive process viewer, and its plain snapshot.
//! Its data model is in `top/model.rs`, its screen in `top/ui.rs`.

use std::time::Duration;

use ratatui::crossterm::event;
use ratatui::Frame;

use super::term::{run_live, Live};
use super::LiveArgs;
use crate::cmd::Ctx;
use crate::error::{describe, CliError};

pub mod model;
pub mod ui;

use model::{arrange, Collector, SortKey};
use ui::{format_row, header, App};

/// `psutil top`.
#[derive(clap::Args)]
#[command(
    about = "interactive process viewer, like top/htop",
    long_about = "Interactive process viewer, like psutil's top.py and htop: per-CPU, memory\n\
                 and swap meters, load average, uptime, process counts by status and a\n\
                 process table (PID USER NI VIRT RES %CPU %MEM TIME+ STATUS COMMAND).\n\
                 Keys: c/P sort by CPU, m/M by memory, p by PID, t/T by time; / filter by\n\
                 name (Esc clears); f/F5 tree view; F follow the selected process; k send\n\
                 a signal (Enter confirms); arrows, PgUp/PgDn, Home/End move; q quits.\n\
                 With --once or when stdout is not a terminal: one plain snapshot of every\n\
                 process (CPU measured over --interval, default 0.5 s); --json likewise.\n\
                 Under a cgroup CPU or memory limit (a container), the memory meter shows\n\
                 the cgroup's working set against its limit and a CPU meter the use of\n\
                 its quota, both marked \"cgroup\". --cgroup-column adds each process's\n\
                 cgroup (container ID, systemd unit or name); --cgroup TEXT keeps the\n\
                 processes whose cgroup path contains TEXT.",
    override_usage = "psutil top [--interval SECS] [--sort KEY] [--filter TEXT] [--tree] [--cgroup-column]\n       \
                     [--cgroup TEXT] [--once] [--json]"
)]
pub struct Args {
    /// sort by cpu (default), mem, pid or time
    #[arg(
        short,
        long,
        value_name = "KEY",
        value_enum,
        ignore_case = true,
        allow_hyphen_values = true
    )]
    pub sort: Option<SortKey>,
    /// show processes whose name contains TEXT (any case)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// start in tree view
    #[arg(long)]
    pub tree: bool,
    /// show each process's cgroup (container ID, unit or name)
    #[arg(long)]
    pub cgroup_column: bool,
    /// show processes whose cgroup path contains TEXT (with the column)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub cgroup: Option<String>,
    #[command(flatten)]
    pub live: LiveArgs,
}

/// `top` on a terminal.
struct TopView {
    collector: Collector,
    app: App,
    interval: Duration,
}

impl Live for TopView {
    fn interval(&self) -> Duration {
        self.interval
    }

    fn tick(&mut self) -> Result<(), CliError> {
        let prev = std::mem::take(&mut self.app.snap);
        let snap = self.collector.collect(Some(prev))?;
        self.app.set_snapshot(snap);
        Ok(())
    }

    fn draw(&mut self, f: &mut Frame) {
        let rows = ui::table_rows(f.area(), self.app.snap.summary.cpu_percent.len());
        let shown = self.app.scroll(rows);
        let idx: Vec<usize> = self.app.lines[shown].iter().map(|l| l.idx).collect();
        self.collector.fill_cmdlines(&mut self.app.snap, idx);
        ui::render(f, &self.app);
    }

    fn key(&mut self, k: event::KeyEvent) -> bool {
        match self.app.key(k) {
            ui::Action::Quit => true,
            ui::Action::None => false,
            ui::Action::Signal(pid, start, sig) => {
                let name = sig.as_str();
                self.app.message = Some(match self.collector.signal(pid, start, sig) {
                    Ok(()) => format!("sent {name} to process {pid}"),
                    Err(e) => format!("{name} to process {pid} failed: {}", describe(&e)),
                });
                false
            }
        }
    }
}

/// Runs `psutil top`: the UI on a terminal, else one plain snapshot.
pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let sort = a.sort.unwrap_or(SortKey::Cpu);
    let filter = a.filter.clone().unwrap_or_default();
    let tree = a.tree;
    let mut collector =
        Collector::new()?.with_cgroups(a.cgroup_column, a.cgroup.as_deref().unwrap_or(""));
    if !a.live.plain() {
        let mut view = TopView {
            collector,
            app: App::new(sort, filter, tree),
            interval: a.live.interval_or(1.0),
        };
        return run_live(&mut view);
    }
    let first = collector.collect(None)?;
    std::thread::sleep(a.live.interval_or(0.5));
    let mut snap = collector.collect(Some(first))?;
    let lines = arrange(&snap.processes, sort, &filter, tree);
    collector.fill_cmdlines(&mut snap, lines.iter().map(|l| l.idx));
    if a.live.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            summary: &'a model::Summary,
            tasks: model::Counts,
            processes: Vec<&'a model::ProcRow>,
        }
        return ctx.json(&Out {
            summary: &snap.summary,
            tasks: snap.counts(),
            processes: lines.iter().map(|l| &snap.processes[l.idx]).collect(),
        });
    }
    let s = &snap.summary;
    let cut = |line: &str| -> String {
        match ctx.width {
            Some(w) => line.chars().take(w).collect(),
            None => line.to_string(),
        }
    };
    let mut out = Vec::new();
    let cpus: Vec<String> = s
        .cpu_percent
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{i}: {c:.1}%"))
        .collect();
    out.push(format!("CPU: {}", cpus.join("  ")));
    use crate::fmt::bytes2human as h;
    out.push(format!(
        "Mem: {} used / {} total ({:.1}%)   Swap: {} used / {} total ({:.1}%)",
        h(s.mem_used),
        h(s.mem_total),
        s.mem_percent,
        h(s.swap_used),
        h(s.swap_total),
        s.swap_percent
    ));
    if let Some(cg) = &s.cgroup {
        // Under a limit, say so and measure against it.
        let mut parts = Vec::new();
        if let (Some(n), Some(pct)) = (cg.cpu_limit, cg.cpu_percent) {
            parts.push(format!("CPU {pct:.1}% of {n:.2} CPUs"));
        }
        if let (Some(used), Some(limit), Some(pct)) = (cg.mem_used, cg.mem_limit, cg.mem_percent) {
            parts.push(format!(
                "Mem {} used / {} limit ({pct:.1}%)",
                h(used),
                h(limit)
            ));
        }
        out.push(format!("Cgroup {} limits: {}", cg.path, parts.join("   ")));
    }
    let (l1, l5, l15) = s.load_avg;
    out.push(format!(
        "Load average: {l1:.2} {l5:.2} {l15:.2}   Uptime: {}",
        ui::uptime(s.uptime)
    ));
    let c = snap.counts();
    out.push(format!(
        "Tasks: {} total, {} threads; {} running, {} sleeping, {} idle, {} stopped, {} zombie",
        c.total, c.threads, c.running, c.sleeping, c.idle, c.stopped, c.zombie
    ));
    out.push(String::new());
    out.push(header(&snap.processes).to_string());
    for l in &out {
        writeln!(ctx.out, "{}", cut(l))?;
    }
    let mut buf = String::new();
    for l in &lines {
        buf.clear();
        format_row(&mut buf, &snap.processes[l.idx], &l.prefix);
        writeln!(ctx.out, "{}", cut(&buf))?;
    }
    Ok(())
}
