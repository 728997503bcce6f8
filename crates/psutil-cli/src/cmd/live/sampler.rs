//! The driver of the sampled-table views (`iotop`, `nettop`,
//! `cpu_distribution`, `cgroups`): each is a [`Sampler`] (library reads
//! into a plain, serializable sample, with rates since the previous
//! sample), a text form and a render function; [`run`] picks the terminal
//! UI or one plain snapshot.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use serde::Serialize;

use super::term::{run_live, Live};
use super::LiveArgs;
use crate::cmd::Ctx;
use crate::error::CliError;
use crate::fmt::bytes2human;

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

/// The rate of a counter going from `old` to `new` in `secs` seconds, per
/// second (0 over no time; a counter that went back counts as 0).
pub fn per_sec(new: u64, old: u64, secs: f64) -> f64 {
    if secs <= 0.0 {
        0.0
    } else {
        new.saturating_sub(old) as f64 / secs
    }
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

/// The screen lines of `s` drawn on a `w`x`h` test terminal.
#[cfg(test)]
pub fn draw<S: Sampler>(s: &S::Sample, w: u16, h: u16) -> Vec<String> {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| S::render(f, s, 0)).unwrap();
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}
