//! `/proc/meminfo`, proc(5), and psutil's `virtual_memory()` /
//! `swap_memory()` arithmetic on it.
//!
//! Values are converted to bytes (`kB` × 1024) exactly as psutil does,
//! including lines without a unit. They are signed: a broken kernel may
//! print `MemAvailable: -1 kB`, which psutil clamps to 0.

use super::{fields, parse_i64};
use crate::memory::VirtualMemory;

/// The parsed `key: value` lines of `/proc/meminfo`, values in bytes.
///
/// The keys are kept back to back in one buffer (two allocations per
/// parse instead of one per line: `virtual_memory()` is called in loops).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meminfo {
    /// Every key, concatenated.
    keys: Vec<u8>,
    /// `(end of the key in keys, value)`; a key starts where the previous
    /// one ends.
    entries: Vec<(usize, i64)>,
}

impl Meminfo {
    /// The value of `key` (without the colon) in bytes; the first line wins
    /// if a key repeats.
    pub fn get(&self, key: &str) -> Option<i64> {
        let mut start = 0;
        for &(end, v) in &self.entries {
            if self.keys.get(start..end) == Some(key.as_bytes()) {
                return Some(v);
            }
            start = end;
        }
        None
    }

    /// Like [`Meminfo::get`], as an unsigned count (negative values are 0).
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key).map(|v| v.max(0) as u64)
    }
}

/// Parses every `Key: value [kB]` line; lines without a number are
/// skipped.
pub fn parse(data: &[u8]) -> Meminfo {
    // Keys average ~12 bytes; these fit the kernel's ~60 lines at once.
    let mut m = Meminfo {
        keys: Vec::with_capacity(1024),
        entries: Vec::with_capacity(64),
    };
    for line in data.split(|&c| c == b'\n') {
        let mut it = fields(line);
        let (Some(key), Some(value)) = (it.next(), it.next()) else {
            continue;
        };
        let Some(v) = parse_i64(value) else { continue };
        let key = key.strip_suffix(b":").unwrap_or(key);
        m.keys.extend_from_slice(key);
        m.entries.push((m.keys.len(), v.saturating_mul(1024)));
    }
    m
}

/// The kernel's `MemAvailable` estimate for kernels that lack it (before
/// 3.14) or report 0, as psutil computes it (kernel commit 34e431b0ae39):
/// free memory minus the low watermarks, plus the part of the page cache
/// and reclaimable slab that can go without dipping under them.
///
/// `low_watermark_pages` is called only when needed; it returns the sum of
/// the `low` lines of `/proc/zoneinfo` in pages, or `None` when that file
/// cannot be read. Without it (or without `Active(file)`,
/// `Inactive(file)` or `SReclaimable`) the estimate is `MemFree + Cached`.
pub fn estimate_available(
    m: &Meminfo,
    page_size: u64,
    low_watermark_pages: impl FnOnce() -> Option<u64>,
) -> i64 {
    let free = m.get("MemFree").unwrap_or(0);
    let fallback = free.saturating_add(m.get("Cached").unwrap_or(0));
    let (Some(active_file), Some(inactive_file), Some(slab_reclaimable)) = (
        m.get("Active(file)"),
        m.get("Inactive(file)"),
        m.get("SReclaimable"),
    ) else {
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
pub fn virtual_memory(
    m: &Meminfo,
    page_size: u64,
    low_watermark_pages: impl FnOnce() -> Option<u64>,
) -> Option<VirtualMemory> {
    let total = m.get("MemTotal")?.max(0);
    let free = m.get("MemFree")?;
    let buffers = m.get("Buffers").unwrap_or(0);
    // `free` adds reclaimable slab to the cache.
    let cached = match m.get("Cached") {
        Some(c) => c.saturating_add(m.get("SReclaimable").unwrap_or(0)),
        None => 0,
    };
    let shared = m.get("Shmem").or_else(|| m.get("MemShared")).unwrap_or(0);
    let active = m.get("Active").unwrap_or(0);
    let inactive = m.get("Inactive").unwrap_or_else(|| {
        match (
            m.get("Inact_dirty"),
            m.get("Inact_clean"),
            m.get("Inact_laundry"),
        ) {
            (Some(a), Some(b), Some(c)) => a.saturating_add(b).saturating_add(c),
            _ => 0,
        }
    });
    let slab = m.get("Slab").unwrap_or(0);
    let mut avail = match m.get("MemAvailable") {
        Some(a) if a != 0 => a,
        _ => estimate_available(m, page_size, low_watermark_pages),
    };
    if avail > total {
        // A container's view of a host: procps uses MemFree then.
        avail = free;
    }
    let avail = avail.clamp(0, total);
    let used = total - avail;
    let u = |v: i64| v.max(0) as u64;
    Some(VirtualMemory {
        total: u(total),
        available: u(avail),
        percent: crate::pyround::usage_percent(used as f64, total as f64),
        used: u(used),
        free: u(free),
        active: u(active),
        inactive: u(inactive),
        buffers: u(buffers),
        cached: u(cached),
        shared: u(shared),
        slab: u(slab),
    })
}

/// `SwapTotal` and `SwapFree` in bytes, if both are present.
pub fn swap(m: &Meminfo) -> Option<(u64, u64)> {
    Some((m.get_u64("SwapTotal")?, m.get_u64("SwapFree")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");
    const KB: u64 = 1024;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    fn zoneinfo_low() -> Option<u64> {
        Some(super::super::zoneinfo::low_watermark_pages(&fixture(
            "zoneinfo",
        )))
    }

    #[test]
    fn modern_meminfo_uses_memavailable() {
        let m = parse(&fixture("meminfo"));
        let v = virtual_memory(&m, 4096, || panic!("zoneinfo not needed")).unwrap();
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
        assert_eq!(swap(&m), Some((0, 0)));
    }

    #[test]
    fn old_kernel_estimate_from_zoneinfo() {
        let m = parse(&fixture("meminfo_no_memavailable"));
        assert_eq!(m.get("MemAvailable"), None);
        let v = virtual_memory(&m, 4096, zoneinfo_low).unwrap();
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
        let v = virtual_memory(&parse(data), 4096, || None).unwrap();
        assert_eq!(v.available, 150 * KB);
    }

    #[test]
    fn missing_zoneinfo_or_fields_falls_back_to_free_plus_cached() {
        let m = parse(&fixture("meminfo_no_memavailable"));
        let v = virtual_memory(&m, 4096, || None).unwrap();
        assert_eq!(v.available, (2057400 + 4818144) * KB);
        let data = b"MemTotal: 16325648 kB\nMemFree: 2057400 kB\nCached: 4818144 kB\n\
                     Inactive(file): 1578132 kB\n";
        let v = virtual_memory(&parse(data), 4096, || panic!("not read")).unwrap();
        assert_eq!(v.available, (2057400 + 4818144) * KB);
    }

    #[test]
    fn psutil_missing_fields_case() {
        // psutil's test_warnings_on_misses content.
        let data = b"Active(anon):    6145416 kB\nActive(file):    2950064 kB\n\
            Inactive(anon):   574764 kB\nInactive(file):  1567648 kB\n\
            MemAvailable:         -1 kB\nMemFree:         2057400 kB\n\
            MemTotal:       16325648 kB\nSReclaimable:     346648 kB\n";
        let v = virtual_memory(&parse(data), 4096, || None).unwrap();
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
        let v = virtual_memory(&parse(data), 4096, || None).unwrap();
        assert_eq!(v.inactive, 6 * KB);
        assert_eq!(v.shared, 7 * KB);
        assert_eq!(v.available, 300 * KB);
        assert_eq!(v.percent, 70.0);
        assert!(virtual_memory(&parse(b"MemFree: 1 kB\n"), 4096, || None).is_none());
    }

    #[test]
    fn hostile_values_stay_in_range() {
        // A negative total: nothing to be a percentage of.
        let v = virtual_memory(&parse(b"MemTotal: -100 kB\nMemFree: 10 kB\n"), 4096, || {
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
        let v = virtual_memory(&m, 4096, || Some(u64::MAX)).unwrap();
        assert_eq!(v.total, max as u64);
        assert_eq!(v.cached, max as u64);
        assert_eq!(v.inactive, max as u64);
        assert!(v.available <= v.total && v.used <= v.total);
        assert!((0.0..=100.0).contains(&v.percent));
        assert_eq!(estimate_available(&m, 4096, || None), max);
        // Free above total and available above total: used stays >= 0.
        let v = virtual_memory(
            &parse(b"MemTotal: 10 kB\nMemFree: 20 kB\nMemAvailable: 30 kB\n"),
            4096,
            || None,
        )
        .unwrap();
        assert_eq!((v.available, v.used, v.percent), (10 * KB, 0, 0.0));
    }
}
