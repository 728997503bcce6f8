//! The `loadavg` collector: the load averages (`getloadavg()`).

use psutil::cpu;

use super::{Collector, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

const LOAD1: Desc = Desc::gauge("psutil_load1", "1 minute load average.", &[]);
const LOAD5: Desc = Desc::gauge("psutil_load5", "5 minute load average.", &[]);
const LOAD15: Desc = Desc::gauge("psutil_load15", "15 minute load average.", &[]);

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    s.load = Some(cpu::getloadavg()?);
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    if let Some((l1, l5, l15)) = s.load {
        e.add(&LOAD1, &[], l1);
        e.add(&LOAD5, &[], l5);
        e.add(&LOAD15, &[], l15);
    }
}
