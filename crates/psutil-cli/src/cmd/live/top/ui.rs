//! `top`'s screen: the [`App`] state (sort, filter, tree, selection,
//! dialogs), its key handling, and [`render`], a pure function of the
//! state drawing one frame.

use std::cell::Cell;
use std::fmt::Write as _;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::model::{arrange, Line, ProcRow, Snapshot, SortKey};
use crate::cmd::live::widgets::meter;
use crate::fmt::{bytes2human, cpu_time_precise};
use psutil::process::Signal;

/// The signals the kill dialog offers, in order (SIGTERM first).
pub const SIGNALS: &[Signal] = &[
    Signal::SIGTERM,
    Signal::SIGKILL,
    Signal::SIGHUP,
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGSTOP,
    Signal::SIGCONT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

/// The open kill dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KillDialog {
    pub pid: u32,
    pub start_ticks: u64,
    pub name: String,
    /// Index into [`SIGNALS`].
    pub choice: usize,
}

/// What a key asks the caller to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    None,
    Quit,
    /// Send a signal: (pid, start_ticks, signal).
    Signal(u32, u64, Signal),
}

/// Everything the screen shows besides the data.
pub struct App {
    pub snap: Snapshot,
    /// The table's lines (rows after filter, sort and tree).
    pub lines: Vec<Line>,
    pub sort: SortKey,
    pub filter: String,
    /// The filter prompt is open (keys edit the filter).
    pub editing: bool,
    pub tree: bool,
    /// Keep the selection on the same PID as rows move.
    pub follow: bool,
    /// Selected line (index into `lines`).
    pub selected: usize,
    /// The PID on the selected line.
    pub selected_pid: Option<u32>,
    /// First line shown (kept so the selection stays visible).
    pub offset: Cell<usize>,
    pub dialog: Option<KillDialog>,
    /// A one-line message in the footer (signal results), until a key.
    pub message: Option<String>,
    /// Lines the table showed last (for PgUp/PgDn).
    pub page: Cell<usize>,
}

impl App {
    pub fn new(sort: SortKey, filter: String, tree: bool) -> App {
        App {
            snap: Snapshot::default(),
            lines: Vec::new(),
            sort,
            filter,
            editing: false,
            tree,
            follow: false,
            selected: 0,
            selected_pid: None,
            offset: Cell::new(0),
            dialog: None,
            message: None,
            page: Cell::new(10),
        }
    }

    /// Shows a new snapshot, keeping the selection (on the same PID when
    /// following, else on the same line).
    pub fn set_snapshot(&mut self, snap: Snapshot) {
        self.snap = snap;
        self.rearrange();
    }

    /// Re-applies sort, filter and tree, then places the selection.
    pub fn rearrange(&mut self) {
        self.lines = arrange(&self.snap.processes, self.sort, &self.filter, self.tree);
        if self.follow {
            if let Some(pid) = self.selected_pid {
                if let Some(i) = self.lines.iter().position(|l| self.pid_at(l) == pid) {
                    self.selected = i;
                }
            }
        }
        self.clamp();
    }

    fn pid_at(&self, l: &Line) -> u32 {
        self.snap.processes[l.idx].pid
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.lines.len().saturating_sub(1));
        self.selected_pid = self.selected_row().map(|r| r.pid);
    }

    /// The row on the selected line.
    pub fn selected_row(&self) -> Option<&ProcRow> {
        self.lines
            .get(self.selected)
            .map(|l| &self.snap.processes[l.idx])
    }

    /// Moves the first shown line so the selection is among the `rows`
    /// lines shown; returns the range of lines on screen.
    pub fn scroll(&self, rows: usize) -> std::ops::Range<usize> {
        self.page.set(rows.max(1));
        let mut off = self.offset.get();
        if self.selected < off {
            off = self.selected;
        } else if rows > 0 && self.selected >= off + rows {
            off = self.selected + 1 - rows;
        }
        off = off.min(self.lines.len().saturating_sub(rows));
        self.offset.set(off);
        off..(off + rows).min(self.lines.len())
    }

    fn move_to(&mut self, i: usize) {
        self.selected = i;
        self.clamp();
    }

    /// Handles one key.
    pub fn key(&mut self, k: KeyEvent) -> Action {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && k.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        self.message = None;
        if let Some(d) = &mut self.dialog {
            match k.code {
                KeyCode::Esc | KeyCode::Char('q') => self.dialog = None,
                KeyCode::Up | KeyCode::Char('k') => d.choice = d.choice.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => {
                    d.choice = (d.choice + 1).min(SIGNALS.len() - 1)
                }
                KeyCode::Enter => {
                    let d = self.dialog.take().unwrap_or_else(|| unreachable!());
                    return Action::Signal(d.pid, d.start_ticks, SIGNALS[d.choice]);
                }
                _ => {}
            }
            return Action::None;
        }
        if self.editing {
            match k.code {
                KeyCode::Esc => {
                    self.editing = false;
                    self.filter.clear();
                }
                KeyCode::Enter => self.editing = false,
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) if !ctrl => self.filter.push(c),
                _ => return Action::None,
            }
            self.rearrange();
            return Action::None;
        }
        let page = self.page.get().max(1);
        match k.code {
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Char('c') | KeyCode::Char('P') => self.sort = SortKey::Cpu,
            KeyCode::Char('m') | KeyCode::Char('M') => self.sort = SortKey::Mem,
            KeyCode::Char('p') => self.sort = SortKey::Pid,
            KeyCode::Char('t') | KeyCode::Char('T') => self.sort = SortKey::Time,
            KeyCode::Char('/') => self.editing = true,
            KeyCode::Esc => self.filter.clear(),
            KeyCode::F(5) | KeyCode::Char('f') => self.tree = !self.tree,
            KeyCode::Char('F') => self.follow = !self.follow,
            KeyCode::Char('k') | KeyCode::F(9) => {
                if let Some(r) = self.selected_row() {
                    self.dialog = Some(KillDialog {
                        pid: r.pid,
                        start_ticks: r.start_ticks,
                        name: r.name.clone(),
                        choice: 0,
                    });
                }
                return Action::None;
            }
            KeyCode::Up => self.move_to(self.selected.saturating_sub(1)),
            KeyCode::Down => self.move_to(self.selected + 1),
            KeyCode::PageUp => self.move_to(self.selected.saturating_sub(page)),
            KeyCode::PageDown => self.move_to(self.selected + page),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(usize::MAX),
            _ => return Action::None,
        }
        self.rearrange();
        Action::None
    }
}

/// The table header, aligned with [`format_row`].
pub const HEADER: &str =
    "    PID USER      NI    VIRT     RES  %CPU  %MEM     TIME+ STATUS   COMMAND";

/// [`HEADER`] with the cgroup column (rows that carry a cgroup path).
pub const HEADER_CGROUP: &str =
    "    PID USER      NI    VIRT     RES  %CPU  %MEM     TIME+ STATUS   CGROUP         COMMAND";

/// The table header for `rows`: with the cgroup column when they have one.
pub fn header(rows: &[ProcRow]) -> &'static str {
    if rows.iter().any(|r| r.cgroup.is_some()) {
        HEADER_CGROUP
    } else {
        HEADER
    }
}

/// What the cgroup column shows for a path: the container ID (12
/// characters), else the systemd unit, else the last component.
pub fn cgroup_label(path: &str) -> String {
    let p = psutil::cgroup::Placement::from_path(path);
    let label = match (p.container_id, p.unit) {
        (Some(id), _) => id.chars().take(12).collect(),
        (None, Some(unit)) => unit,
        (None, None) => path
            .rsplit('/')
            .find(|c| !c.is_empty())
            .unwrap_or("/")
            .to_owned(),
    };
    label.chars().take(14).collect()
}

/// One table line (no trailing newline) into `out`.
pub fn format_row(out: &mut String, r: &ProcRow, prefix: &str) {
    let user: String = r.user.chars().take(8).collect();
    let status = r.status.as_str();
    let _ = write!(
        out,
        "{:>7} {:<8} {:>3} {:>7} {:>7} {:>5.1} {:>5.1} {:>9} {:<8} ",
        r.pid,
        user,
        r.nice,
        bytes2human(r.virt),
        bytes2human(r.res),
        r.cpu_percent,
        r.memory_percent,
        cpu_time_precise(r.cpu_time),
        &status[..status.len().min(8)],
    );
    if let Some(cg) = &r.cgroup {
        let _ = write!(out, "{:<14} ", crate::fmt::clean(cgroup_label(cg)));
    }
    let _ = write!(out, "{}{}", prefix, crate::fmt::clean(r.command()));
}

/// `3 days, 01:02:03` or `01:02:03`.
pub fn uptime(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    let (d, h, m, s) = (s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    match d {
        0 => format!("{h:02}:{m:02}:{s:02}"),
        1 => format!("1 day, {h:02}:{m:02}:{s:02}"),
        _ => format!("{d} days, {h:02}:{m:02}:{s:02}"),
    }
}

/// Columns and rows of the per-CPU meters for `n` CPUs.
pub fn cpu_grid(n: usize) -> (usize, usize) {
    let cols = match n {
        0..=4 => 1,
        5..=16 => 2,
        _ => 4,
    };
    (cols, n.div_ceil(cols).min(8))
}

/// The header's height for `n` CPUs: meters, three summary lines.
pub fn header_height(n: usize) -> u16 {
    (cpu_grid(n).1 + 3) as u16
}

/// Table lines that fit in `area` (header, table title and footer taken).
pub fn table_rows(area: Rect, ncpus: usize) -> usize {
    (area.height as usize).saturating_sub(header_height(ncpus) as usize + 2)
}

fn rect(x: u16, y: u16, w: u16, h: u16, area: Rect) -> Rect {
    let x = area.x + x.min(area.width);
    let y = area.y + y.min(area.height);
    Rect::new(
        x,
        y,
        w.min(area.x + area.width - x),
        h.min(area.y + area.height - y),
    )
}

/// Draws the CPU, memory and summary header into `area`.
pub fn render_header(f: &mut Frame, area: Rect, snap: &Snapshot) {
    let s = &snap.summary;
    let n = s.cpu_percent.len();
    let (cols, rows) = cpu_grid(n);
    let colw = area.width / cols as u16;
    let numw = n.saturating_sub(1).to_string().len();
    for (i, pct) in s.cpu_percent.iter().enumerate().take(cols * rows) {
        let (c, r) = (i / rows, i % rows);
        let label = format!("{i:>numw$}");
        let text = format!("{pct:.1}%");
        let w = if c + 1 == cols {
            area.width.saturating_sub(colw * c as u16)
        } else {
            colw.saturating_sub(1)
        };
        let line = meter(&label, *pct, &text, w);
        f.render_widget(
            Paragraph::new(line),
            rect(colw * c as u16, r as u16, w, 1, area),
        );
    }
    let y = rows as u16;
    let half = area.width / 2;
    let left = half.saturating_sub(1);
    // Under a cgroup limit the meters measure against it and say so: the
    // memory meter shows the cgroup's working set against its limit, and a
    // CPU-quota meter takes the swap meter's place.
    let cg = s.cgroup.as_ref();
    let mem_meter = match cg.and_then(|c| Some((c.mem_used?, c.mem_limit?, c.mem_percent?))) {
        Some((used, limit, pct)) => {
            let text = format!("{}/{} cgroup", bytes2human(used), bytes2human(limit));
            meter("Mem", pct, &text, left)
        }
        None => {
            let text = format!("{}/{}", bytes2human(s.mem_used), bytes2human(s.mem_total));
            meter("Mem", s.mem_percent, &text, left)
        }
    };
    let second = match cg.and_then(|c| Some((c.cpu_limit?, c.cpu_percent?))) {
        Some((n, pct)) => meter(
            "Cpu",
            pct,
            &format!("{pct:.1}% of {n:.2} CPUs cgroup"),
            left,
        ),
        None => {
            let text = format!("{}/{}", bytes2human(s.swap_used), bytes2human(s.swap_total));
            meter("Swp", s.swap_percent, &text, left)
        }
    };
    f.render_widget(Paragraph::new(mem_meter), rect(0, y, left, 1, area));
    f.render_widget(Paragraph::new(second), rect(0, y + 1, left, 1, area));
    let (l1, l5, l15) = s.load_avg;
    let label = Style::new().fg(Color::Cyan);
    let right = vec![
        TextLine::from(vec![
            Span::styled("Load average: ", label),
            Span::raw(format!("{l1:.2} {l5:.2} {l15:.2}")),
        ]),
        TextLine::from(vec![
            Span::styled("Uptime: ", label),
            Span::raw(uptime(s.uptime)),
        ]),
    ];
    f.render_widget(
        Paragraph::new(right),
        rect(half + 1, y, area.width.saturating_sub(half + 1), 2, area),
    );
    let c = snap.counts();
    let tasks = TextLine::from(vec![
        Span::styled("Tasks: ", label),
        Span::raw(format!(
            "{}, {} thr; {} running, {} sleeping, {} idle, {} stopped, {} zombie",
            c.total, c.threads, c.running, c.sleeping, c.idle, c.stopped, c.zombie
        )),
    ]);
    f.render_widget(Paragraph::new(tasks), rect(0, y + 2, area.width, 1, area));
}

/// Draws the whole screen for `app`.
pub fn render(f: &mut Frame, app: &App) {
    let area = f.area();
    let ncpu = app.snap.summary.cpu_percent.len();
    let hh = header_height(ncpu).min(area.height);
    render_header(f, rect(0, 0, area.width, hh, area), &app.snap);

    // Table title, with the sort column highlighted.
    let y = hh;
    let key = app.sort.column();
    let header = header(&app.snap.processes);
    let pos = header.find(&format!(" {key} ")).map(|p| p + 1).unwrap_or(0);
    let (a, rest) = header.split_at(pos);
    let (b, c) = rest.split_at(if pos == 0 { 0 } else { key.len() });
    let head = Style::new().bg(Color::Green).fg(Color::Black);
    let mut title = vec![
        Span::styled(a.to_string(), head),
        Span::styled(b.to_string(), head.bg(Color::Cyan)),
        Span::styled(c.to_string(), head),
    ];
    let used: usize = header.len();
    if (area.width as usize) > used {
        title.push(Span::styled(" ".repeat(area.width as usize - used), head));
    }
    f.render_widget(
        Paragraph::new(TextLine::from(title)),
        rect(0, y, area.width, 1, area),
    );

    // Rows.
    let rows = table_rows(area, ncpu);
    let shown = app.scroll(rows);
    let mut buf = String::new();
    let mut text = Vec::with_capacity(shown.len());
    for i in shown.clone() {
        let l = &app.lines[i];
        buf.clear();
        format_row(&mut buf, &app.snap.processes[l.idx], &l.prefix);
        let style = if i == app.selected {
            let s = Style::new().bg(Color::Cyan).fg(Color::Black);
            if app.follow {
                s.bg(Color::Yellow)
            } else {
                s
            }
        } else {
            Style::new()
        };
        let pad = (area.width as usize).saturating_sub(buf.chars().count());
        if i == app.selected {
            buf.push_str(&" ".repeat(pad));
        }
        text.push(TextLine::styled(buf.clone(), style));
    }
    f.render_widget(
        Paragraph::new(text),
        rect(0, y + 1, area.width, rows as u16, area),
    );

    // Footer.
    let fy = area.height.saturating_sub(1);
    let key_style = Style::new().fg(Color::Black).bg(Color::Cyan);
    let footer = if app.editing {
        TextLine::from(vec![
            Span::styled("Filter: ", key_style),
            Span::raw(format!("{}_", app.filter)),
            Span::styled(
                "  Enter done  Esc clear",
                Style::new().add_modifier(Modifier::DIM),
            ),
        ])
    } else if let Some(m) = &app.message {
        TextLine::from(Span::styled(
            m.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ))
    } else {
        let mut spans = Vec::new();
        for (k, what) in [
            ("q", "Quit"),
            ("c/m/p/t", "Sort"),
            ("/", "Filter"),
            ("f", "Tree"),
            ("F", "Follow"),
            ("k", "Kill"),
        ] {
            spans.push(Span::styled(k, key_style));
            spans.push(Span::raw(format!("{what} ")));
        }
        let mut state = format!("sort:{}", app.sort.column());
        if !app.filter.is_empty() {
            let _ = write!(state, " filter:{}", app.filter);
        }
        if app.tree {
            state.push_str(" tree");
        }
        if app.follow {
            state.push_str(" follow");
        }
        spans.push(Span::styled(state, Style::new().fg(Color::Yellow)));
        TextLine::from(spans)
    };
    f.render_widget(Paragraph::new(footer), rect(0, fy, area.width, 1, area));

    if let Some(d) = &app.dialog {
        render_kill(f, area, d);
    }
}

fn render_kill(f: &mut Frame, area: Rect, d: &KillDialog) {
    let h = (SIGNALS.len() as u16 + 4).min(area.height);
    let w = 40.min(area.width);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let mut lines = Vec::with_capacity(SIGNALS.len() + 2);
    for (i, sig) in SIGNALS.iter().enumerate() {
        let text = format!(" {:>2} {sig}", sig.as_raw());
        lines.push(if i == d.choice {
            TextLine::styled(
                format!("{text:<w$}", w = w as usize - 2),
                Style::new().bg(Color::Cyan).fg(Color::Black),
            )
        } else {
            TextLine::raw(text)
        });
    }
    lines.push(TextLine::raw(""));
    lines.push(TextLine::styled(
        " Enter send   Esc cancel",
        Style::new().add_modifier(Modifier::DIM),
    ));
    let name: String = d.name.chars().take(16).collect();
    let block = Block::new()
        .borders(Borders::ALL)
        .title(format!(" Send signal to {} ({name}) ", d.pid));
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines).block(block), r);
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::sample_rows;
    use super::super::model::Summary;
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyEvent;
    use ratatui::Terminal;

    fn snapshot() -> Snapshot {
        let mut processes = sample_rows();
        processes[3].cmdline = Some("vim notes.txt".into());
        Snapshot {
            summary: Summary {
                cpu_percent: vec![25.0, 100.0],
                mem_total: 8 << 30,
                mem_used: 2 << 30,
                mem_percent: 25.0,
                swap_total: 1 << 30,
                swap_used: 0,
                swap_percent: 0.0,
                load_avg: (0.5, 1.25, 2.0),
                uptime: 90061.0,
                cgroup: None,
            },
            processes,
        }
    }

    #[test]
    fn top_render_cgroup_meters_and_column() {
        let mut snap = snapshot();
        snap.summary.cgroup = Some(super::super::model::CgroupLimits {
            path: "/docker/x".into(),
            cpu_limit: Some(1.5),
            cpu_percent: Some(50.0),
            mem_limit: Some(512 << 20),
            mem_used: Some(128 << 20),
            mem_percent: Some(25.0),
        });
        let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        for r in &mut snap.processes {
            r.cgroup = Some(format!("/docker/{id}"));
        }
        snap.processes[0].cgroup = Some("/system.slice/ssh.service".into());
        let mut a = App::new(SortKey::Pid, String::new(), false);
        a.set_snapshot(snap);
        let s = draw(&a, 120, 24);
        assert!(
            s[2].starts_with("Mem[") && s[2].contains("128.0M/512.0M cgroup]"),
            "{}",
            s[2]
        );
        assert!(
            s[3].starts_with("Cpu[") && s[3].contains("50.0% of 1.50 CPUs cgroup]"),
            "{}",
            s[3]
        );
        let head = s.iter().position(|l| l.contains("PID USER")).unwrap();
        assert!(s[head].contains(" CGROUP         COMMAND"), "{}", s[head]);
        assert!(s[head + 1].contains(" ssh.service    "), "{}", s[head + 1]);
        assert!(s[head + 2].contains(" 0123456789ab   "), "{}", s[head + 2]);
        assert_eq!(cgroup_label("/"), "/");
        assert_eq!(
            cgroup_label("/user.slice/user-1000.slice"),
            "user-1000.slic"
        );
    }

    fn app() -> App {
        let mut a = App::new(SortKey::Cpu, String::new(), false);
        a.set_snapshot(snapshot());
        a
    }

    /// The screen as text lines.
    fn draw(app: &App, w: u16, h: u16) -> Vec<String> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| render(f, app)).unwrap();
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect()
    }

    fn key(app: &mut App, c: KeyCode) -> Action {
        app.key(KeyEvent::from(c))
    }

    fn table_pids(screen: &[String]) -> Vec<u32> {
        let start = screen.iter().position(|l| l.contains("PID USER")).unwrap() + 1;
        screen[start..]
            .iter()
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .collect()
    }

    #[test]
    fn top_render_header_bars_and_summary() {
        let s = draw(&app(), 80, 24);
        assert!(s[0].starts_with("0["), "{}", s[0]);
        assert!(s[0].contains("25.0%]"));
        // A quarter of the bar is filled.
        let bars = s[0].matches('|').count();
        assert!((17..=20).contains(&bars), "{bars}: {}", s[0]);
        assert!(s[1].starts_with("1[|||||"));
        assert!(s[1].contains("100.0%]"));
        assert!(s[2].starts_with("Mem[") && s[2].contains("2.0G/8.0G]"));
        assert!(s[2].contains("Load average: 0.50 1.25 2.00"));
        assert!(s[3].starts_with("Swp[") && s[3].contains("0.0B/1.0G]"));
        assert!(s[3].contains("Uptime: 1 day, 01:01:01"));
        assert!(s[4].contains("Tasks: 6, 6 thr; 0 running, 6 sleeping"));
        assert!(s[5].contains("PID USER      NI    VIRT     RES  %CPU  %MEM     TIME+ STATUS"));
    }

    #[test]
    fn top_render_rows_in_sort_order() {
        let mut a = app();
        let s = draw(&a, 100, 30);
        assert_eq!(table_pids(&s), [302, 301, 20, 1, 400, 300]);
        let vim = s.iter().find(|l| l.contains(" 301 ")).unwrap();
        assert!(vim.contains("root"));
        assert!(vim.contains(" 12.5 "));
        assert!(vim.contains("0:07.00"));
        assert!(vim.contains("sleeping vim notes.txt"), "{vim}");
        key(&mut a, KeyCode::Char('m'));
        assert_eq!(table_pids(&draw(&a, 100, 30)), [302, 301, 1, 20, 300, 400]);
        key(&mut a, KeyCode::Char('p'));
        assert_eq!(table_pids(&draw(&a, 100, 30)), [1, 20, 300, 301, 302, 400]);
        key(&mut a, KeyCode::Char('T'));
        let s = draw(&a, 100, 30);
        assert_eq!(table_pids(&s), [1, 302, 301, 20, 400, 300]);
        assert!(s.last().unwrap().contains("sort:TIME+"));
    }

    #[test]
    fn top_render_filter_and_prompt() {
        let mut a = app();
        key(&mut a, KeyCode::Char('/'));
        for c in "CARG".chars() {
            key(&mut a, KeyCode::Char(c));
        }
        let s = draw(&a, 80, 24);
        assert_eq!(table_pids(&s), [302]);
        assert!(s[23].starts_with("Filter: CARG_"), "{}", s[23]);
        key(&mut a, KeyCode::Enter);
        let s = draw(&a, 80, 24);
        assert!(s[23].contains("filter:CARG"));
        key(&mut a, KeyCode::Esc);
        assert_eq!(table_pids(&draw(&a, 80, 24)).len(), 6);
    }

    #[test]
    fn top_render_tree_indents_children() {
        let mut a = app();
        key(&mut a, KeyCode::Char('p'));
        key(&mut a, KeyCode::F(5));
        let s = draw(&a, 100, 30);
        assert_eq!(table_pids(&s), [1, 20, 300, 301, 302, 400]);
        let line = |pid: &str| s.iter().find(|l| l.trim_start().starts_with(pid)).unwrap();
        assert!(line("300 ").contains("│  └─ bash"), "{}", line("300 "));
        assert!(line("301 ").contains("│     ├─ vim notes.txt"));
        assert!(line("302 ").contains("│     └─ cargo"));
        assert!(line("400 ").contains("└─ cron"));
    }

    #[test]
    fn top_render_fits_80x24_with_many_cpus_and_rows() {
        let mut snap = snapshot();
        snap.summary.cpu_percent = vec![50.0; 16];
        let base = snap.processes[0].clone();
        for pid in 1000..1100 {
            let mut r = base.clone();
            r.pid = pid;
            snap.processes.push(r);
        }
        let mut a = App::new(SortKey::Pid, String::new(), false);
        a.set_snapshot(snap);
        key(&mut a, KeyCode::End);
        let s = draw(&a, 80, 24);
        assert_eq!(s.len(), 24);
        // 16 CPUs in two columns of 8.
        assert!(s[7].starts_with(" 7[") && s[7].contains("15["));
        // The selection (last row) is visible just above the footer.
        assert!(s[22].trim_start().starts_with("1099 "), "{}", s[22]);
        assert!(s[23].contains("Quit"));
        // A tiny terminal does not panic.
        draw(&a, 20, 5);
        draw(&a, 1, 1);
    }

    #[test]
    fn top_follow_keeps_the_pid_selected() {
        let mut a = app();
        key(&mut a, KeyCode::Down); // 301 (vim) under cargo
        assert_eq!(a.selected_pid, Some(301));
        key(&mut a, KeyCode::Char('F'));
        let mut snap = snapshot();
        snap.processes[3].cpu_percent = 0.0; // vim sinks to the bottom
        a.set_snapshot(snap);
        assert_eq!(a.selected_pid, Some(301));
        assert_eq!(a.selected, 5);
        let s = draw(&a, 100, 30);
        assert_eq!(*table_pids(&s).last().unwrap(), 301);
        assert!(s.last().unwrap().contains("follow"));
        // Without follow the line stays and the PID changes.
        key(&mut a, KeyCode::Char('F'));
        key(&mut a, KeyCode::Home);
        a.set_snapshot(snapshot());
        assert_eq!(a.selected_pid, Some(302));
    }

    #[test]
    fn top_kill_dialog_chooses_and_confirms() {
        let mut a = app();
        assert_eq!(key(&mut a, KeyCode::Char('k')), Action::None);
        let s = draw(&a, 80, 24);
        assert!(s.iter().any(|l| l.contains("Send signal to 302 (cargo)")));
        assert!(s.iter().any(|l| l.contains("15 SIGTERM")));
        key(&mut a, KeyCode::Down);
        assert_eq!(
            key(&mut a, KeyCode::Enter),
            Action::Signal(302, 0, Signal::SIGKILL)
        );
        assert!(a.dialog.is_none());
        key(&mut a, KeyCode::Char('k'));
        key(&mut a, KeyCode::Esc);
        assert!(a.dialog.is_none());
        assert_eq!(key(&mut a, KeyCode::Char('q')), Action::Quit);
    }

    #[test]
    fn top_uptime_and_meter() {
        assert_eq!(uptime(59.0), "00:00:59");
        assert_eq!(uptime(3.0 * 86400.0 + 3661.0), "3 days, 01:01:01");
        let l = meter("X", 50.0, "50%", 13);
        let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(s, "X[|||||  50%]");
    }
}
