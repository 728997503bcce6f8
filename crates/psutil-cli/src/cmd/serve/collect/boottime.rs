//! The `boottime` collector: the system boot time (`boot_time()`).

use super::{Collector, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

const BOOT_TIME: Desc = Desc::gauge(
    "psutil_boot_time_seconds",
    "System boot time, seconds since the epoch (boot_time()).",
    &[],
);

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    s.boot_time = Some(psutil::boot_time()?);
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    if let Some(b) = s.boot_time {
        e.add(&BOOT_TIME, &[], b);
    }
}
