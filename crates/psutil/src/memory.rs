//! System memory: psutil's `virtual_memory()` and `swap_memory()`.
//!
//! Both read `PROCFS_PATH/meminfo` (see [`crate::set_procfs_path`]);
//! `virtual_memory()` also reads `zoneinfo` on kernels without
//! `MemAvailable`, and `swap_memory()` reads `vmstat`. Sizes are bytes.
//!
//! ```
//! let vm = psutil::memory::virtual_memory()?;
//! println!("{} of {} bytes used ({}%)", vm.used, vm.total, vm.percent);
//! # Ok::<(), psutil::Error>(())
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::platform::imp::memory as imp;
use crate::platform::imp::memory::Meminfo;
use crate::Result;

/// psutil's `svmem` namedtuple, from [`virtual_memory`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct VirtualMemory {
    /// psutil's `total`, bytes: `MemTotal`, all physical memory.
    pub total: u64,
    /// psutil's `available`, bytes: `MemAvailable` (or the kernel-style
    /// estimate on kernels before 3.14 or when it reads 0), memory that can
    /// be given to processes without swapping.
    pub available: u64,
    /// psutil's `percent`, percent: `(total - available) / total * 100`,
    /// rounded to one decimal.
    pub percent: f64,
    /// psutil's `used`, bytes: `total - available` (psutil 7.1.0+, as
    /// `free` computes it).
    pub used: u64,
    /// psutil's `free`, bytes: `MemFree`, memory not used at all.
    pub free: u64,
    /// psutil's `active`, bytes: `Active`, memory used recently.
    pub active: u64,
    /// psutil's `inactive`, bytes: `Inactive` (or `Inact_dirty + Inact_clean + Inact_laundry` on 2.4).
    pub inactive: u64,
    /// psutil's `buffers`, bytes: `Buffers`, file-system metadata cache.
    pub buffers: u64,
    /// psutil's `cached`, bytes: `Cached + SReclaimable`, the page cache,
    /// as `free` shows it.
    pub cached: u64,
    /// psutil's `shared`, bytes: `Shmem` (or `MemShared` on 2.4), tmpfs
    /// and shared memory.
    pub shared: u64,
    /// psutil's `slab`, bytes: `Slab`, kernel data-structure caches.
    pub slab: u64,
}

/// psutil's `sswap` namedtuple, from [`swap_memory`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct SwapMemory {
    /// psutil's `total`, bytes: `SwapTotal`.
    pub total: u64,
    /// psutil's `used`, bytes: `total - free`.
    pub used: u64,
    /// psutil's `free`, bytes: `SwapFree`.
    pub free: u64,
    /// psutil's `percent`, percent: `used / total * 100`, rounded to one
    /// decimal (0.0 without swap).
    pub percent: f64,
    /// psutil's `sin`: bytes swapped in since boot (`pswpin` of vmstat × 4096).
    pub sin: u64,
    /// psutil's `sout`: bytes swapped out since boot (`pswpout` of vmstat × 4096).
    pub sout: u64,
}

/// psutil's `virtual_memory()`: physical memory usage, from
/// `/proc/meminfo`.
///
/// Follows psutil (and procps `free`): `used = total - available`,
/// `cached` includes `SReclaimable`, and `available` is estimated from the
/// `low` watermarks of `/proc/zoneinfo` when `MemAvailable` is missing or
/// 0 (falling back to `MemFree + Cached` if that file or the page-cache
/// lines are missing). An `available` above `total` (a container) becomes
/// `free`; a negative one becomes 0. Other missing lines read as 0 (psutil
/// also warns).
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH/meminfo` cannot be
/// read, or lacks its `MemTotal` or `MemFree` line (kind `InvalidData`).
///
/// # Examples
///
/// ```
/// let vm = psutil::memory::virtual_memory()?; // bytes
/// println!("{} of {} bytes available ({}% used)", vm.available, vm.total, vm.percent);
/// assert!(vm.available <= vm.total);
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn virtual_memory() -> Result<VirtualMemory> {
    let m = imp::meminfo()?;
    let vm = virtual_memory_from(&m, imp::page_size(), imp::low_watermark_pages)
        .ok_or_else(|| imp::meminfo_missing("MemTotal or MemFree"))?;
    TOTAL_MEMORY.store(vm.total, Ordering::Relaxed);
    Ok(vm)
}

/// The total of the last `virtual_memory()` call (0 = none yet).
static TOTAL_MEMORY: AtomicU64 = AtomicU64::new(0);

/// The kernel's `MemAvailable` estimate for kernels that lack it (before
/// 3.14) or report 0, as psutil computes it (kernel commit 34e431b0ae39):
/// free memory minus the low watermarks, plus the part of the page cache
/// and reclaimable slab that can go without dipping under them. Bytes.
///
/// `low_watermark_pages` is called only when needed; it returns the sum of
/// the `low` lines of `/proc/zoneinfo` in pages, or `None` when that file
/// cannot be read. Without it (or without `Active(file)`,
/// `Inactive(file)` or `SReclaimable`) the estimate is `MemFree + Cached`.
pub(crate) fn estimate_available(
    m: &Meminfo,
    page_size: u64,
    low_watermark_pages: impl FnOnce() -> Option<u64>,
) -> i64 {
    let free = m.mem_free.unwrap_or(0);
    let fallback = free.saturating_add(m.cached.unwrap_or(0));
    let (Some(active_file), Some(inactive_file), Some(slab_reclaimable)) =
        (m.active_file, m.inactive_file, m.s_reclaimable)
    else {
        return fallback;
    };
    let Some(low_pages) = low_watermark_pages() else {
        return fallback;
    };
    // psutil mixes ints and float halves; f64 holds these integers exactly.
    let wmark_low = low_pages.saturating_mul(page_size) as f64;
    let mut avail = free as f64 - wmark_low;
    let mut pagecache = active_file.saturating_add(inactive_file) as f64;
    pagecache -= (pagecache / 2.0).min(wmark_low);
    avail += pagecache;
    let sr = slab_reclaimable as f64;
    avail += sr - (sr / 2.0).min(wmark_low);
    avail as i64
}

/// psutil's `virtual_memory()` from parsed meminfo. Fields meminfo lacks
/// are 0 (psutil also emits a `RuntimeWarning`, which has no equivalent
/// here); `None` only when `MemTotal` or `MemFree` is missing (psutil
/// raises `KeyError`).
///
/// Values no kernel writes are kept sane instead of wrapping: sums
/// saturate, a negative `MemTotal` counts as 0, and `available` stays
/// within `0..=total`, so `used` and `percent` never leave their ranges.
pub(crate) fn virtual_memory_from(
    m: &Meminfo,
    page_size: u64,
    low_watermark_pages: impl FnOnce() -> Option<u64>,
) -> Option<VirtualMemory> {
    let total = m.mem_total?.max(0);
    let free = m.mem_free?;
    // `free` adds reclaimable slab to the cache.
    let cached = match m.cached {
        Some(c) => c.saturating_add(m.s_reclaimable.unwrap_or(0)),
        None => 0,
    };
    let inactive =
        m.inactive
            .unwrap_or_else(|| match (m.inact_dirty, m.inact_clean, m.inact_laundry) {
                (Some(a), Some(b), Some(c)) => a.saturating_add(b).saturating_add(c),
                _ => 0,
            });
    let mut avail = match m.mem_available {
        Some(a) if a != 0 => a,
        _ => estimate_available(m, page_size, low_watermark_pages),
    };
    if avail > total {
        // A container's view of a host: procps uses MemFree then.
        avail = free;
    }
    let avail = avail.clamp(0, total);
    let used = total - avail;
    let u = |v: Option<i64>| v.unwrap_or(0).max(0) as u64;
    Some(VirtualMemory {
        total: u(Some(total)),
        available: u(Some(avail)),
        percent: crate::pyround::usage_percent(used as f64, total as f64),
        used: u(Some(used)),
        free: u(Some(free)),
        active: u(m.active),
        inactive: u(Some(inactive)),
        buffers: u(m.buffers),
        cached: u(Some(cached)),
        shared: u(m.shmem.or(m.mem_shared)),
        slab: u(m.slab),
    })
}

/// `SwapTotal` and `SwapFree` in bytes (negative values are 0), if both
/// are present.
pub(crate) fn swap_from(m: &Meminfo) -> Option<(u64, u64)> {
    let u = |v: i64| v.max(0) as u64;
    Some((u(m.swap_total?), u(m.swap_free?)))
}

/// psutil's `swap_memory()`: swap usage from `/proc/meminfo` and the
/// swap-in/out counters of `/proc/vmstat`.
///
/// As in psutil: `sysinfo(2)` supplies total/free when meminfo lacks the
/// `Swap*` lines; `sin`/`sout` are pages × 4096 and are 0 when vmstat is
/// unreadable or lacks `pswpin`/`pswpout` (psutil warns then).
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH/meminfo` cannot be
/// read. A missing `vmstat` is not an error (see above).
///
/// # Examples
///
/// ```
/// let swap = psutil::memory::swap_memory()?; // bytes; all 0 without swap
/// println!("swap: {} of {} bytes used, {} bytes swapped in", swap.used, swap.total, swap.sin);
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn swap_memory() -> Result<SwapMemory> {
    let m = imp::meminfo()?;
    let (total, free) = swap_from(&m).unwrap_or_else(imp::sysinfo_swap);
    let used = total.saturating_sub(free);
    let (sin, sout) = imp::swap_bytes().unwrap_or((0, 0));
    Ok(SwapMemory {
        total,
        used,
        free,
        percent: crate::pyround::usage_percent(used as f64, total as f64),
        sin,
        sout,
    })
}

/// `MemTotal` in bytes: the denominator of `Process::memory_percent`.
///
/// As psutil, this is the total seen by the last `virtual_memory()` call
/// (read once if there was none), so a listing of thousands of processes
/// does not read `/proc/meminfo` once per process.
pub(crate) fn total_memory() -> Result<u64> {
    match TOTAL_MEMORY.load(Ordering::Relaxed) {
        0 => {
            let total = imp::meminfo()?
                .mem_total
                .ok_or_else(|| imp::meminfo_missing("MemTotal"))?
                .max(0) as u64;
            TOTAL_MEMORY.store(total, Ordering::Relaxed);
            Ok(total)
        }
        total => Ok(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::imp::memory::{parse_meminfo as parse, parse_zoneinfo};

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");
    const KB: u64 = 1024;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    fn zoneinfo_low() -> Option<u64> {
        Some(parse_zoneinfo(&fixture("zoneinfo")))
    }

    #[test]
    fn modern_meminfo_uses_memavailable() {
        let m = parse(&fixture("meminfo"));
        let v = virtual_memory_from(&m, 4096, || panic!("zoneinfo not needed")).unwrap();
        assert_eq!(v.total, 24684084 * KB);
        assert_eq!(v.available, 23825660 * KB);
        assert_eq!(v.used, (24684084 - 23825660) * KB);
        assert_eq!(v.free, 23162364 * KB);
        assert_eq!(v.buffers, 2904 * KB);
        assert_eq!(v.cached, (833268 + 91460) * KB);
        assert_eq!(v.shared, 8872 * KB);
        assert_eq!(v.active, 467376 * KB);
        assert_eq!(v.inactive, 574772 * KB);
        assert_eq!(v.slab, 170992 * KB);
        // round((24684084-23825660)/24684084*100, 1) in Python
        assert_eq!(v.percent, 3.5);
        assert_eq!(swap_from(&m), Some((0, 0)));
    }

    #[test]
    fn old_kernel_estimate_from_zoneinfo() {
        let m = parse(&fixture("meminfo_no_memavailable"));
        assert_eq!(m.mem_available, None);
        let v = virtual_memory_from(&m, 4096, zoneinfo_low).unwrap();
        // Worked out by hand (and with psutil's calculate_avail_vmem):
        // low = (0 + 1423 + 14705) pages * 4096
        let wl = (1423 + 14705) as f64 * 4096.0;
        let free = 2057400.0 * 1024.0;
        let pc: f64 = (2950064.0 + 1567648.0) * 1024.0;
        let sr: f64 = 346648.0 * 1024.0;
        let want = free - wl + (pc - (pc / 2.0).min(wl)) + (sr - (sr / 2.0).min(wl));
        assert_eq!(v.available, want as u64);
        assert_eq!(v.available, 6889701376);
        assert_eq!(v.used, 16325648 * KB - v.available);
        assert_eq!(v.percent, 58.8);
        // 2.6.32-era meminfo: Cached + SReclaimable, Shmem.
        assert_eq!(v.cached, (4818144 + 346648) * KB);
        assert_eq!(v.shared, 577588 * KB);
    }

    #[test]
    fn memavailable_zero_is_estimated_too() {
        let data = b"MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 0 kB\nCached: 50 kB\n";
        let v = virtual_memory_from(&parse(data), 4096, || None).unwrap();
        assert_eq!(v.available, 150 * KB);
    }

    #[test]
    fn missing_zoneinfo_or_fields_falls_back_to_free_plus_cached() {
        let m = parse(&fixture("meminfo_no_memavailable"));
        let v = virtual_memory_from(&m, 4096, || None).unwrap();
        assert_eq!(v.available, (2057400 + 4818144) * KB);
        let data = b"MemTotal: 16325648 kB\nMemFree: 2057400 kB\nCached: 4818144 kB\n\
                     Inactive(file): 1578132 kB\n";
        let v = virtual_memory_from(&parse(data), 4096, || panic!("not read")).unwrap();
        assert_eq!(v.available, (2057400 + 4818144) * KB);
    }

    #[test]
    fn psutil_missing_fields_case() {
        // psutil's test_warnings_on_misses content.
        let data = b"Active(anon):    6145416 kB\nActive(file):    2950064 kB\n\
            Inactive(anon):   574764 kB\nInactive(file):  1567648 kB\n\
            MemAvailable:         -1 kB\nMemFree:         2057400 kB\n\
            MemTotal:       16325648 kB\nSReclaimable:     346648 kB\n";
        let v = virtual_memory_from(&parse(data), 4096, || None).unwrap();
        assert_eq!(
            (
                v.cached,
                v.active,
                v.inactive,
                v.shared,
                v.buffers,
                v.available,
                v.slab
            ),
            (0, 0, 0, 0, 0, 0, 0)
        );
        assert_eq!(v.used, 16325648 * KB);
        assert_eq!(v.percent, 100.0);
    }

    #[test]
    fn old_inactive_and_memshared_and_avail_over_total() {
        let data = b"MemTotal: 1000 kB\nMemFree: 300 kB\nMemAvailable: 5000 kB\n\
            MemShared: 7 kB\nInact_dirty: 1 kB\nInact_clean: 2 kB\nInact_laundry: 3 kB\n";
        let v = virtual_memory_from(&parse(data), 4096, || None).unwrap();
        assert_eq!(v.inactive, 6 * KB);
        assert_eq!(v.shared, 7 * KB);
        assert_eq!(v.available, 300 * KB);
        assert_eq!(v.percent, 70.0);
        assert!(virtual_memory_from(&parse(b"MemFree: 1 kB\n"), 4096, || None).is_none());
    }

    #[test]
    fn hostile_values_stay_in_range() {
        // A negative total: nothing to be a percentage of.
        let v = virtual_memory_from(&parse(b"MemTotal: -100 kB\nMemFree: 10 kB\n"), 4096, || {
            None
        })
        .unwrap();
        assert_eq!((v.total, v.used, v.available, v.percent), (0, 0, 0, 0.0));
        // Every line at i64::MAX: the sums saturate instead of overflowing.
        let max = i64::MAX;
        let data = format!(
            "MemTotal: {max} kB\nMemFree: {max} kB\nCached: {max} kB\nSReclaimable: {max} kB\n\
             Active(file): {max} kB\nInactive(file): {max} kB\nInact_dirty: {max} kB\n\
             Inact_clean: {max} kB\nInact_laundry: {max} kB\n"
        );
        let m = parse(data.as_bytes());
        let v = virtual_memory_from(&m, 4096, || Some(u64::MAX)).unwrap();
        assert_eq!(v.total, max as u64);
        assert_eq!(v.cached, max as u64);
        assert_eq!(v.inactive, max as u64);
        assert!(v.available <= v.total && v.used <= v.total);
        assert!((0.0..=100.0).contains(&v.percent));
        assert_eq!(estimate_available(&m, 4096, || None), max);
        // Free above total and available above total: used stays >= 0.
        let v = virtual_memory_from(
            &parse(b"MemTotal: 10 kB\nMemFree: 20 kB\nMemAvailable: 30 kB\n"),
            4096,
            || None,
        )
        .unwrap();
        assert_eq!((v.available, v.used, v.percent), (10 * KB, 0, 0.0));
    }
}
