//! Disks: psutil's `disk_partitions()`, `disk_usage()` and
//! `disk_io_counters()`.
//!
//! ```
//! for part in psutil::disk::disk_partitions(false)? {
//!     let usage = psutil::disk::disk_usage(&part.mountpoint)?;
//!     let (dev, dir) = (part.device.to_string_lossy(), part.mountpoint.display());
//!     println!("{dev} on {dir}: {}% used", usage.percent);
//! }
//! if let Some(io) = psutil::disk::disk_io_counters(true)? {
//!     println!("{} bytes written", io.write_bytes);
//! }
//! # Ok::<(), psutil::Error>(())
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::forksafe::ForkMutex;
use crate::namemap::NameMap;
use crate::nowrap::WrapTracker;
use crate::platform::imp::disk::{self as imp, DiskStat};
use crate::{ByRoot, Result};

/// psutil's `sdiskpart`: one mounted filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct DiskPartition {
    /// The device (`/dev/sda1`), exact bytes; `""` for the pseudo source
    /// `none`. Not a `PathBuf`: it is often no path at all (`tmpfs`,
    /// `proc`, a network share's `host:/dir`). `/dev/root` is replaced by
    /// the real device when it can be found.
    #[cfg_attr(
        feature = "serde",
        serde(
            serialize_with = "crate::process::ser_path",
            deserialize_with = "de_os"
        )
    )]
    pub device: OsString,
    /// Where it is mounted, exact bytes, escapes such as `\040` decoded.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::process::ser_path"))]
    pub mountpoint: PathBuf,
    /// Filesystem type (`ext4`, `tmpfs`, ...).
    pub fstype: String,
    /// Mount options, the raw comma-separated string (`rw,relatime`).
    pub opts: String,
}

/// Reads a device serialized as text (serde's own `OsString` wants its
/// platform-tagged form, which [`DiskPartition`] does not write).
#[cfg(feature = "serde")]
fn de_os<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<OsString, D::Error> {
    String::deserialize(d).map(OsString::from)
}

/// psutil's `sdiskusage`, from `statvfs(2)`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct DiskUsage {
    /// Size of the filesystem in bytes (`f_blocks × f_frsize`).
    pub total: u64,
    /// Bytes in use: `total − f_bfree × f_frsize` (root's view).
    pub used: u64,
    /// Bytes available to unprivileged users (`f_bavail × f_frsize`).
    pub free: u64,
    /// `used / (used + free) × 100`, rounded to one decimal: the user's
    /// view, so it ignores the blocks reserved for root (psutil's rule;
    /// `df` rounds up instead).
    pub percent: f64,
}

/// psutil's `sdiskio` (Linux fields). Bytes are sectors × 512, times are
/// milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct DiskIoCounters {
    /// Reads completed.
    pub read_count: u64,
    /// Writes completed.
    pub write_count: u64,
    /// Bytes read.
    pub read_bytes: u64,
    /// Bytes written.
    pub write_bytes: u64,
    /// Milliseconds spent reading.
    pub read_time: u64,
    /// Milliseconds spent writing.
    pub write_time: u64,
    /// Adjacent reads merged into one.
    pub read_merged_count: u64,
    /// Adjacent writes merged into one.
    pub write_merged_count: u64,
    /// Milliseconds the device was busy with I/O.
    pub busy_time: u64,
}

/// psutil's `DISK_SECTOR_SIZE`: the kernel counts 512-byte sectors
/// whatever the hardware uses.
const SECTOR_SIZE: u64 = 512;

impl DiskIoCounters {
    fn from_stat(s: &DiskStat) -> Self {
        DiskIoCounters {
            read_count: s.reads,
            write_count: s.writes,
            read_bytes: s.read_sectors.saturating_mul(SECTOR_SIZE),
            write_bytes: s.write_sectors.saturating_mul(SECTOR_SIZE),
            read_time: s.read_time,
            write_time: s.write_time,
            read_merged_count: s.reads_merged,
            write_merged_count: s.writes_merged,
            busy_time: s.busy_time,
        }
    }

    fn to_array(self) -> [u64; 9] {
        [
            self.read_count,
            self.write_count,
            self.read_bytes,
            self.write_bytes,
            self.read_time,
            self.write_time,
            self.read_merged_count,
            self.write_merged_count,
            self.busy_time,
        ]
    }

    fn from_array(a: [u64; 9]) -> Self {
        DiskIoCounters {
            read_count: a[0],
            write_count: a[1],
            read_bytes: a[2],
            write_bytes: a[3],
            read_time: a[4],
            write_time: a[5],
            read_merged_count: a[6],
            write_merged_count: a[7],
            busy_time: a[8],
        }
    }

    /// Field-by-field sum (how psutil totals the disks).
    fn sum<'a>(items: impl Iterator<Item = &'a DiskIoCounters>) -> Self {
        let mut acc = [0u64; 9];
        for c in items {
            for (a, v) in acc.iter_mut().zip(c.to_array()) {
                *a = a.saturating_add(v);
            }
        }
        DiskIoCounters::from_array(acc)
    }
}

/// psutil's `disk_partitions(all)`: mounted filesystems in mount-table
/// order.
///
/// With `all = false` only filesystems of a type listed in
/// `PROCFS_PATH/filesystems` without `nodev` (or `zfs`) and with a
/// non-empty device are kept, as psutil does to hide pseudo filesystems.
/// The table is `/etc/mtab` when `PROCFS_PATH` is `/proc` and that file
/// exists, else `PROCFS_PATH/self/mounts`.
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when the mount table, or (with `all =
/// false`) `PROCFS_PATH/filesystems`, cannot be read.
///
/// # Examples
///
/// ```
/// for part in psutil::disk::disk_partitions(false)? {
///     let (dev, dir) = (part.device.to_string_lossy(), part.mountpoint.display());
///     println!("{dev} on {dir} type {} ({})", part.fstype, part.opts);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn disk_partitions(all: bool) -> Result<Vec<DiskPartition>> {
    Ok(imp::partitions(all)?
        .into_iter()
        .map(|e| DiskPartition {
            device: e.device,
            mountpoint: e.mountpoint,
            fstype: e.fstype,
            opts: e.opts,
        })
        .collect())
}

/// psutil's `disk_usage(path)` for the filesystem holding `path`.
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `statvfs(2)` fails on `path` (psutil's
/// `OSError`), e.g. `NotFound` for a path that does not exist.
///
/// # Examples
///
/// ```
/// let root = psutil::disk::disk_usage("/")?; // bytes
/// println!("/: {} of {} bytes free, {}% used", root.free, root.total, root.percent);
/// // A path that does not exist is an error, as in psutil (`FileNotFoundError`).
/// assert!(psutil::disk::disk_usage("/no/such/dir").is_err());
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn disk_usage(path: impl AsRef<Path>) -> Result<DiskUsage> {
    let (total, bfree, bavail) = imp::statvfs(path.as_ref())?;
    let used = total.saturating_sub(bfree);
    let free = bavail;
    let total_user = used.saturating_add(free);
    let percent = if total_user == 0 {
        0.0
    } else {
        crate::pyround::round(used as f64 / total_user as f64 * 100.0, 1)
    };
    Ok(DiskUsage {
        total,
        used,
        free,
        percent,
    })
}

fn raw_perdisk(whole_disks_only: bool) -> Result<NameMap<DiskIoCounters>> {
    Ok(imp::io_counters(whole_disks_only)?
        .iter()
        .map(|s| (s.name.clone(), DiskIoCounters::from_stat(s)))
        .collect())
}

/// psutil's wrap-around correction (`_WrapNumbers`) for
/// `disk_io_counters`, as a value the caller owns.
///
/// The kernel's counters are `unsigned long` and may wrap to zero (or a
/// device may be reset). Each call remembers the previous per-disk values;
/// when a value went down, the old value is added to a per-disk, per-field
/// reminder that is added to every later reading, so the corrected numbers
/// never decrease. A disk that disappears loses its reminders; a new disk
/// is reported as read.
///
/// Two trackers never see each other's calls, unlike psutil, whose state
/// is one process-wide cache (that is what the module-level
/// [`disk_io_counters`] with `nowrap = true` keeps, see there).
#[derive(Debug, Clone, Default)]
pub struct DiskIoNowrap {
    tracker: WrapTracker<9>,
}

impl DiskIoNowrap {
    /// A tracker with no history: its first reading is returned as is.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets all history (psutil's `disk_io_counters.cache_clear()`).
    pub fn cache_clear(&mut self) {
        self.tracker.clear();
    }

    /// Corrects one reading of per-disk counters and remembers it
    /// (psutil's `wrap_numbers(rawdict, "psutil.disk_io_counters")`; the
    /// crate's one implementation of it is shared with `net`).
    pub fn apply(&mut self, raw: NameMap<DiskIoCounters>) -> NameMap<DiskIoCounters> {
        let input = raw.into_iter().map(|(k, v)| (k, v.to_array())).collect();
        self.tracker
            .apply(input)
            .into_iter()
            .map(|(k, v)| (k, DiskIoCounters::from_array(v)))
            .collect()
    }

    /// `disk_io_counters(perdisk=False, nowrap=True)` with this tracker's
    /// history.
    ///
    /// # Errors
    ///
    /// As [`disk_io_counters`](fn@disk_io_counters); a failed call leaves the
    /// history as it was.
    pub fn disk_io_counters(&mut self) -> Result<Option<DiskIoCounters>> {
        let raw = raw_perdisk(true)?;
        if raw.is_empty() {
            return Ok(None);
        }
        Ok(Some(DiskIoCounters::sum(self.apply(raw).values())))
    }

    /// `disk_io_counters(perdisk=True, nowrap=True)` with this tracker's
    /// history.
    ///
    /// # Errors
    ///
    /// As [`disk_io_counters`](fn@disk_io_counters); a failed call leaves the
    /// history as it was.
    pub fn disk_io_counters_perdisk(&mut self) -> Result<NameMap<DiskIoCounters>> {
        let raw = raw_perdisk(false)?;
        if raw.is_empty() {
            return Ok(raw);
        }
        Ok(self.apply(raw))
    }
}

/// The process-wide tracker behind the module-level functions, as psutil's
/// `_common._wn` cache keyed `"psutil.disk_io_counters"`.
/// It starts over when the `/proc` or `/sys` root changes (see
/// [`crate::Roots`]).
static PROCESS_NOWRAP: ForkMutex<ByRoot<DiskIoNowrap>> = ForkMutex::new();

fn with_process_tracker<R>(f: impl FnOnce(&mut DiskIoNowrap) -> R) -> R {
    // Both roots: the counters come from `diskstats`, which disks are
    // whole from `/sys/block`.
    let root = format!("{}\0{}", crate::procfs_path(), crate::sysfs_path());
    f(PROCESS_NOWRAP.lock(ByRoot::default).under(root))
}

/// psutil's `disk_io_counters(perdisk=False, nowrap)`: the sum over whole
/// disks (a name is a whole disk when `/sys/block/NAME` exists, so
/// partitions are not counted twice); `None` when there is no disk.
///
/// With `nowrap = true` the correction of [`DiskIoNowrap`] is applied
/// with one tracker shared by the whole process, which is psutil's
/// behaviour: every caller's call updates the same history. Code that
/// wants its own history creates a [`DiskIoNowrap`].
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH/diskstats` exists but
/// cannot be read, or (kind `Unsupported`) when neither it nor `SYS/block`
/// exists, or when a `SYS/block/*/stat` file it falls back on cannot be read.
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) (psutil's
/// `ValueError`) for a line of either that cannot be interpreted.
///
/// # Examples
///
/// ```
/// // `None` where `/proc/diskstats` lists no disk (some containers).
/// if let Some(io) = psutil::disk::disk_io_counters(true)? {
///     println!("read {} B, written {} B, busy {} ms", io.read_bytes, io.write_bytes, io.busy_time);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn disk_io_counters(nowrap: bool) -> Result<Option<DiskIoCounters>> {
    if nowrap {
        return with_process_tracker(DiskIoNowrap::disk_io_counters);
    }
    let raw = raw_perdisk(true)?;
    Ok((!raw.is_empty()).then(|| DiskIoCounters::sum(raw.values())))
}

/// psutil's `disk_io_counters(perdisk=True, nowrap)`: every device of
/// `/proc/diskstats` (disks and partitions) in file order; empty when
/// there is none. `nowrap` as in [`disk_io_counters`].
///
/// # Errors
///
/// As [`disk_io_counters`](fn@disk_io_counters).
///
/// # Examples
///
/// ```
/// for (disk, io) in psutil::disk::disk_io_counters_perdisk(false)?.iter() {
///     println!("{disk}: {} reads, {} writes", io.read_count, io.write_count);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn disk_io_counters_perdisk(nowrap: bool) -> Result<NameMap<DiskIoCounters>> {
    if nowrap {
        return with_process_tracker(DiskIoNowrap::disk_io_counters_perdisk);
    }
    raw_perdisk(false)
}

/// psutil's `disk_io_counters.cache_clear()`: resets the process-wide
/// wrap-around history.
pub fn disk_io_counters_cache_clear() {
    with_process_tracker(DiskIoNowrap::cache_clear)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(read_count: u64, write_bytes: u64) -> DiskIoCounters {
        DiskIoCounters {
            read_count,
            write_bytes,
            ..Default::default()
        }
    }

    fn map(items: &[(&str, DiskIoCounters)]) -> NameMap<DiskIoCounters> {
        items.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn nowrap_adds_old_value_on_decrease() {
        let mut t = DiskIoNowrap::new();
        let out = t.apply(map(&[("sda", c(100, 1000))]));
        assert_eq!(out.get("sda"), Some(&c(100, 1000)));
        // read_count wraps: 100 -> 5.
        let out = t.apply(map(&[("sda", c(5, 1100))]));
        assert_eq!(out.get("sda"), Some(&c(105, 1100)));
        // It keeps the reminder on the next reading.
        let out = t.apply(map(&[("sda", c(10, 1200))]));
        assert_eq!(out.get("sda"), Some(&c(110, 1200)));
        // Second wrap accumulates.
        let out = t.apply(map(&[("sda", c(1, 1300))]));
        assert_eq!(out.get("sda"), Some(&c(111, 1300)));
    }

    #[test]
    fn nowrap_new_and_gone_disks() {
        let mut t = DiskIoNowrap::new();
        t.apply(map(&[("sda", c(100, 0))]));
        t.apply(map(&[("sda", c(50, 0))])); // reminder 100
        let out = t.apply(map(&[("sda", c(60, 0)), ("sdb", c(7, 0))]));
        assert_eq!(out.get("sda"), Some(&c(160, 0)));
        assert_eq!(out.get("sdb"), Some(&c(7, 0)));
        // sda disappears: its reminder goes.
        t.apply(map(&[("sdb", c(8, 0))]));
        let out = t.apply(map(&[("sda", c(1, 0)), ("sdb", c(9, 0))]));
        assert_eq!(out.get("sda"), Some(&c(1, 0)));
        let out = t.apply(map(&[("sda", c(2, 0)), ("sdb", c(9, 0))]));
        assert_eq!(out.get("sda"), Some(&c(2, 0)));
    }

    #[test]
    fn trackers_are_independent_and_clearable() {
        let mut a = DiskIoNowrap::new();
        let mut b = DiskIoNowrap::new();
        a.apply(map(&[("sda", c(100, 0))]));
        let out = b.apply(map(&[("sda", c(5, 0))]));
        assert_eq!(out.get("sda"), Some(&c(5, 0)));
        a.cache_clear();
        let out = a.apply(map(&[("sda", c(5, 0))]));
        assert_eq!(out.get("sda"), Some(&c(5, 0)));
    }

    #[test]
    fn huge_sector_counts_saturate() {
        let s = DiskStat {
            read_sectors: u64::MAX / 2,
            write_sectors: u64::MAX,
            ..DiskStat::default()
        };
        let d = DiskIoCounters::from_stat(&s);
        assert_eq!((d.read_bytes, d.write_bytes), (u64::MAX, u64::MAX));
        let both = DiskIoCounters::sum([d, d].iter());
        assert_eq!(both.read_bytes, u64::MAX);
    }
}
