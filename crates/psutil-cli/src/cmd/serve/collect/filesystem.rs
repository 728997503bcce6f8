//! The `filesystem` collector: size and usage of each mounted filesystem
//! (`disk_partitions()`, `disk_usage()`), bytes.

use psutil::disk::{self, DiskUsage};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

/// One mounted filesystem and its usage.
#[derive(Debug, Clone)]
pub struct Filesystem {
    pub device: String,
    pub mountpoint: String,
    pub fstype: String,
    pub usage: DiskUsage,
}

const LABELS: &[&str] = &["device", "fstype", "mountpoint"];

/// The families and the `disk_usage()` field each reports.
const USAGE: [Field<DiskUsage>; 3] = [
    (
        Desc::gauge(
            "psutil_filesystem_size_bytes",
            "Filesystem size (disk_usage().total).",
            LABELS,
        ),
        |u| u.total,
    ),
    (
        Desc::gauge(
            "psutil_filesystem_used_bytes",
            "Filesystem space used (disk_usage().used).",
            LABELS,
        ),
        |u| u.used,
    ),
    (
        Desc::gauge(
            "psutil_filesystem_free_bytes",
            "Filesystem space free for unprivileged users (disk_usage().free).",
            LABELS,
        ),
        |u| u.free,
    ),
];

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    for p in disk::disk_partitions(false)? {
        // One unreadable mount (gone, denied) does not hide the rest.
        if let Ok(usage) = disk::disk_usage(&p.mountpoint) {
            // Label values are text: a non-UTF-8 name is shown lossily.
            s.filesystems.push(Filesystem {
                device: p.device.to_string_lossy().into_owned(),
                mountpoint: p.mountpoint.to_string_lossy().into_owned(),
                fstype: p.fstype,
                usage,
            });
        }
    }
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    for f in &s.filesystems {
        let l = [f.device.as_str(), &f.fstype, &f.mountpoint];
        for (desc, get) in &USAGE {
            e.add(desc, &l, get(&f.usage));
        }
    }
}
