//! Live views on a terminal: `psutil top` (interactive process viewer),
//! `psutil iotop`, `psutil nettop` and `psutil cpu_distribution`.
//!
//! Each view is a ratatui UI when stdout is a terminal. With `--once`,
//! `--json`, or when stdout is not a terminal, it takes one snapshot over
//! a short interval (so rates and percentages mean something) and prints
//! it as text (or JSON) instead.
//!
//! Layout: one module per view (`top`, with its data model and screen in
//! `top/`; `iotop`, `nettop`, `cpu_distribution`), and what they share:
//! the options ([`LiveArgs`], here), the terminal loop (`term`), the
//! sampled-table views' driver (`sampler`) and drawing helpers
//! (`widgets`).

use std::time::Duration;

use super::JSON_HELP;

pub mod cpu_distribution;
pub mod iotop;
pub mod nettop;
pub mod sampler;
pub mod term;
pub mod top;
pub mod widgets;

/// The options every live view takes: `--interval`, `--once`, `--json`.
#[derive(clap::Args)]
pub struct LiveArgs {
    /// refresh every SECS seconds (default 1; with --once: sample this long, default 0.5)
    #[arg(short = 'd', long, value_name = "SECS", value_parser = parse_interval, allow_hyphen_values = true)]
    pub interval: Option<Duration>,
    /// print one plain-text snapshot and exit (also when stdout is not a terminal)
    #[arg(long)]
    pub once: bool,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

impl LiveArgs {
    /// The `--interval` value, or `default` seconds.
    pub fn interval_or(&self, default: f64) -> Duration {
        self.interval
            .unwrap_or_else(|| Duration::from_secs_f64(default))
    }

    /// True when the view prints a snapshot instead of running a UI.
    pub fn plain(&self) -> bool {
        self.once || self.json || !crate::sys::stdout_is_tty()
    }
}

/// Parses `--interval SECS`.
fn parse_interval(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.05..=3600.0).contains(&v) => Ok(Duration::from_secs_f64(v)),
        _ => Err("expected seconds between 0.05 and 3600".to_string()),
    }
}
