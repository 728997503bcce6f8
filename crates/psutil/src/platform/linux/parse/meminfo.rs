//! `/proc/meminfo`, proc(5): the lines psutil's `virtual_memory()` and
//! `swap_memory()` use, as a raw record (the arithmetic is
//! `crate::memory`'s).
//!
//! Values are converted to bytes (`kB` × 1024) exactly as psutil does,
//! including lines without a unit. They are signed: a broken kernel may
//! print `MemAvailable: -1 kB`, which psutil clamps to 0.

use super::{fields, parse_i64};

/// The meminfo lines psutil reads, in bytes; `None` when the line is
/// missing. The first line wins if a key repeats.
///
/// Fixed fields rather than a map: parsing allocates nothing
/// (`virtual_memory()` is called in loops).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Meminfo {
    /// `MemTotal`.
    pub mem_total: Option<i64>,
    /// `MemFree`.
    pub mem_free: Option<i64>,
    /// `MemAvailable` (kernel 3.14+).
    pub mem_available: Option<i64>,
    /// `Buffers`.
    pub buffers: Option<i64>,
    /// `Cached`.
    pub cached: Option<i64>,
    /// `SReclaimable`.
    pub s_reclaimable: Option<i64>,
    /// `Shmem` (2.6.32+).
    pub shmem: Option<i64>,
    /// `MemShared` (2.4).
    pub mem_shared: Option<i64>,
    /// `Active`.
    pub active: Option<i64>,
    /// `Inactive`.
    pub inactive: Option<i64>,
    /// `Inact_dirty` (2.4).
    pub inact_dirty: Option<i64>,
    /// `Inact_clean` (2.4).
    pub inact_clean: Option<i64>,
    /// `Inact_laundry` (2.4).
    pub inact_laundry: Option<i64>,
    /// `Active(file)`.
    pub active_file: Option<i64>,
    /// `Inactive(file)`.
    pub inactive_file: Option<i64>,
    /// `Slab`.
    pub slab: Option<i64>,
    /// `SwapTotal`.
    pub swap_total: Option<i64>,
    /// `SwapFree`.
    pub swap_free: Option<i64>,
}

/// Parses every `Key: value [kB]` line; lines without a number and keys
/// psutil does not read are skipped.
pub fn parse(data: &[u8]) -> Meminfo {
    let mut m = Meminfo::default();
    for line in data.split(|&c| c == b'\n') {
        let mut it = fields(line);
        let (Some(key), Some(value)) = (it.next(), it.next()) else {
            continue;
        };
        let key = key.strip_suffix(b":").unwrap_or(key);
        let slot = match key {
            b"MemTotal" => &mut m.mem_total,
            b"MemFree" => &mut m.mem_free,
            b"MemAvailable" => &mut m.mem_available,
            b"Buffers" => &mut m.buffers,
            b"Cached" => &mut m.cached,
            b"SReclaimable" => &mut m.s_reclaimable,
            b"Shmem" => &mut m.shmem,
            b"MemShared" => &mut m.mem_shared,
            b"Active" => &mut m.active,
            b"Inactive" => &mut m.inactive,
            b"Inact_dirty" => &mut m.inact_dirty,
            b"Inact_clean" => &mut m.inact_clean,
            b"Inact_laundry" => &mut m.inact_laundry,
            b"Active(file)" => &mut m.active_file,
            b"Inactive(file)" => &mut m.inactive_file,
            b"Slab" => &mut m.slab,
            b"SwapTotal" => &mut m.swap_total,
            b"SwapFree" => &mut m.swap_free,
            _ => continue,
        };
        if slot.is_none() {
            *slot = parse_i64(value).map(|v| v.saturating_mul(1024));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_in_bytes_first_line_wins() {
        let data = b"MemTotal: 1000 kB\nMemFree:\nMemFree: x kB\nMemAvailable: -1 kB\n\
                     Active(file): 3\nActive(file): 4 kB\nBogus: 1 kB\nSwapFree: 9 kB";
        let m = parse(data);
        assert_eq!(m.mem_total, Some(1000 * 1024));
        assert_eq!(m.mem_free, None);
        assert_eq!(m.mem_available, Some(-1024));
        assert_eq!(m.active_file, Some(3 * 1024));
        assert_eq!(m.swap_free, Some(9 * 1024));
        assert_eq!(m.swap_total, None);
        assert_eq!(parse(b""), Meminfo::default());
    }
}
