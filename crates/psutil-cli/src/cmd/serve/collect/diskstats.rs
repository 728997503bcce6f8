//! The `diskstats` collector: I/O counters per disk
//! (`disk_io_counters(perdisk=True)`).

use psutil::disk::{self, DiskIoCounters};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition, Value};

const LABELS: &[&str] = &["device"];

/// The families and the counter each reports (times in seconds).
const DISK: [Field<DiskIoCounters, Value>; 9] = [
    (
        Desc::counter(
            "psutil_disk_reads_completed_total",
            "Reads completed (disk_io_counters().read_count).",
            LABELS,
        ),
        |d| d.read_count.into(),
    ),
    (
        Desc::counter(
            "psutil_disk_writes_completed_total",
            "Writes completed (disk_io_counters().write_count).",
            LABELS,
        ),
        |d| d.write_count.into(),
    ),
    (
        Desc::counter(
            "psutil_disk_reads_merged_total",
            "Reads merged (disk_io_counters().read_merged_count).",
            LABELS,
        ),
        |d| d.read_merged_count.into(),
    ),
    (
        Desc::counter(
            "psutil_disk_writes_merged_total",
            "Writes merged (disk_io_counters().write_merged_count).",
            LABELS,
        ),
        |d| d.write_merged_count.into(),
    ),
    (
        Desc::counter(
            "psutil_disk_read_bytes_total",
            "Bytes read (disk_io_counters().read_bytes).",
            LABELS,
        ),
        |d| d.read_bytes.into(),
    ),
    (
        Desc::counter(
            "psutil_disk_written_bytes_total",
            "Bytes written (disk_io_counters().write_bytes).",
            LABELS,
        ),
        |d| d.write_bytes.into(),
    ),
    (
        Desc::counter(
            "psutil_disk_read_time_seconds_total",
            "Seconds spent reading (disk_io_counters().read_time).",
            LABELS,
        ),
        |d| seconds(d.read_time),
    ),
    (
        Desc::counter(
            "psutil_disk_write_time_seconds_total",
            "Seconds spent writing (disk_io_counters().write_time).",
            LABELS,
        ),
        |d| seconds(d.write_time),
    ),
    (
        Desc::counter(
            "psutil_disk_io_time_seconds_total",
            "Seconds spent doing I/O (disk_io_counters().busy_time).",
            LABELS,
        ),
        |d| seconds(d.busy_time),
    ),
];

/// The library's milliseconds as seconds.
fn seconds(ms: u64) -> Value {
    (ms as f64 / 1000.0).into()
}

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    let m = disk::disk_io_counters_perdisk(false)?;
    s.disk_io = m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    for (dev, d) in &s.disk_io {
        for (desc, get) in &DISK {
            e.add(desc, &[dev], get(d));
        }
    }
}
