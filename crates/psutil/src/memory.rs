//! System memory (psutil's `virtual_memory()` and `swap_memory()` area).

use crate::platform::imp::procfs;
use crate::{Error, Result};

/// `MemTotal` of `/proc/meminfo` in bytes: the denominator of
/// `Process::memory_percent`.
pub(crate) fn total_memory() -> Result<u64> {
    procfs::read_root_file("meminfo", |data| {
        data.split(|&c| c == b'\n')
            .find_map(|l| l.strip_prefix(b"MemTotal:"))
            .and_then(|v| {
                let v = v.trim_ascii();
                let v = v.strip_suffix(b"kB").unwrap_or(v).trim_ascii();
                crate::platform::imp::parse::parse_u64(v)
            })
            .map(|kb| kb * 1024)
    })?
    .ok_or_else(|| Error::invalid("no MemTotal in meminfo"))
}
