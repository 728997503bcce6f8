//! The `pressure` collector: system-wide pressure stall information
//! (`/proc/pressure`), under node_exporter's names (`node_pressure_*`)
//! prefixed `psutil_`: `waiting` is a file's `some` line, `stalled` its
//! `full` one (none for the CPU, as node_exporter).

use psutil::cgroup::{self, Pressure, PressureStats};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

/// The families and the stall time each reports, seconds.
const PRESSURE: [Field<PressureStats, Option<f64>>; 5] = [
    (
        Desc::counter(
            "psutil_pressure_cpu_waiting_seconds_total",
            "Seconds some task waited for a CPU (/proc/pressure/cpu some).",
            &[],
        ),
        |p| psi_seconds(&p.cpu, false),
    ),
    (
        Desc::counter(
            "psutil_pressure_memory_waiting_seconds_total",
            "Seconds some task waited for memory (/proc/pressure/memory some).",
            &[],
        ),
        |p| psi_seconds(&p.memory, false),
    ),
    (
        Desc::counter(
            "psutil_pressure_memory_stalled_seconds_total",
            "Seconds all non-idle tasks stalled on memory (/proc/pressure/memory full).",
            &[],
        ),
        |p| psi_seconds(&p.memory, true),
    ),
    (
        Desc::counter(
            "psutil_pressure_io_waiting_seconds_total",
            "Seconds some task waited for I/O (/proc/pressure/io some).",
            &[],
        ),
        |p| psi_seconds(&p.io, false),
    ),
    (
        Desc::counter(
            "psutil_pressure_io_stalled_seconds_total",
            "Seconds all non-idle tasks stalled on I/O (/proc/pressure/io full).",
            &[],
        ),
        |p| psi_seconds(&p.io, true),
    ),
];

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    s.pressure = cgroup::system_pressure();
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    let Some(p) = &s.pressure else { return };
    for (desc, get) in &PRESSURE {
        if let Some(v) = get(p) {
            e.add(desc, &[], v);
        }
    }
}

/// The total stall time of a PSI file's `some` line (`full`: its `full`
/// line), seconds; `None` without the file or the line.
pub fn psi_seconds(p: &Option<Pressure>, full: bool) -> Option<f64> {
    let p = p.as_ref()?;
    let line = if full { p.full? } else { p.some };
    Some(line.total as f64 / 1e6)
}
