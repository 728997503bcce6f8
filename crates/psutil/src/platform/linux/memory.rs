//! The reads behind `crate::memory`: `/proc/meminfo`, `/proc/zoneinfo`,
//! `/proc/vmstat` and `sysinfo(2)`.

use std::io;

pub(crate) use super::parse::meminfo::Meminfo;
use super::{parse, procfs};
use crate::{Error, Result};

/// The pure parsers, for `crate::memory`'s unit tests.
#[cfg(test)]
pub(crate) use super::parse::{
    meminfo::parse as parse_meminfo, zoneinfo::low_watermark_pages as parse_zoneinfo,
};

/// `PROCFS_PATH/meminfo`, parsed.
pub(crate) fn meminfo() -> Result<Meminfo> {
    procfs::read_root_file("meminfo", parse::meminfo::parse)
}

/// The error for a meminfo that lacks a line psutil needs (`what`).
pub(crate) fn meminfo_missing(what: &str) -> Error {
    Error::io(
        format!("{}/meminfo", procfs::root()),
        io::Error::new(io::ErrorKind::InvalidData, format!("no {what} line")),
    )
}

/// The sum of the zones' `low` watermarks in `PROCFS_PATH/zoneinfo`, in
/// pages; `None` when the file cannot be read.
pub(crate) fn low_watermark_pages() -> Option<u64> {
    procfs::read_root_file("zoneinfo", parse::zoneinfo::low_watermark_pages).ok()
}

/// The page size in bytes.
pub(crate) fn page_size() -> u64 {
    procfs::page_size()
}

/// Bytes swapped in and out since boot (`pswpin`/`pswpout` of
/// `PROCFS_PATH/vmstat` × 4096); `None` when the file cannot be read or
/// lacks either line.
pub(crate) fn swap_bytes() -> Option<(u64, u64)> {
    procfs::read_root_file("vmstat", parse::vmstat::swap_bytes)
        .ok()
        .flatten()
}

/// Swap total and free from `sysinfo(2)` (which cannot fail), in bytes.
pub(crate) fn sysinfo_swap() -> (u64, u64) {
    let info = rustix::system::sysinfo();
    let unit = u64::from(info.mem_unit.max(1));
    // `c_ulong` is 32 bits on some targets.
    #[allow(clippy::useless_conversion)]
    (
        u64::from(info.totalswap).saturating_mul(unit),
        u64::from(info.freeswap).saturating_mul(unit),
    )
}
