//! The terminal loop every live view runs in: a view is a [`Live`],
//! sampled every interval and redrawn on input.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::Frame;

use crate::error::CliError;

/// A live screen: refreshed every `interval`, redrawn on input.
pub(crate) trait Live {
    fn interval(&self) -> Duration;
    /// Takes a new sample.
    fn tick(&mut self) -> Result<(), CliError>;
    fn draw(&mut self, f: &mut Frame);
    /// Handles a key; true to quit.
    fn key(&mut self, k: event::KeyEvent) -> bool;
}

/// Runs `view` on the terminal until it quits, restoring the terminal
/// afterwards (also on errors).
pub(crate) fn run_live(view: &mut dyn Live) -> Result<(), CliError> {
    let mut term = ratatui::try_init()?;
    let r = live_loop(&mut term, view);
    let restored = ratatui::try_restore();
    r?;
    Ok(restored?)
}

fn live_loop(term: &mut ratatui::DefaultTerminal, view: &mut dyn Live) -> Result<(), CliError> {
    let mut next = Instant::now();
    let mut dirty = true;
    loop {
        let now = Instant::now();
        if now >= next {
            view.tick()?;
            next += view.interval();
            if next < now {
                next = now + view.interval();
            }
            dirty = true;
        }
        if dirty {
            term.draw(|f| view.draw(f))?;
            dirty = false;
        }
        let wait = next.saturating_duration_since(Instant::now());
        if event::poll(wait)? {
            // Drain everything pending before drawing again.
            loop {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        if view.key(k) {
                            return Ok(());
                        }
                        dirty = true;
                    }
                    Event::Resize(..) => dirty = true,
                    _ => {}
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
}
