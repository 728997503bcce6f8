//! System memory: psutil's `virtual_memory()` and `swap_memory()`.
//!
//! Both read `PROCFS_PATH/meminfo` (see [`crate::set_procfs_path`]);
//! `virtual_memory()` also reads `zoneinfo` on kernels without
//! `MemAvailable`, and `swap_memory()` reads `vmstat`. Sizes are bytes.
//!
//! ```no_run
//! let vm = psutil::memory::virtual_memory()?;
//! println!("{} of {} bytes used ({}%)", vm.used, vm.total, vm.percent);
//! # Ok::<(), psutil::Error>(())
//! ```

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::platform::imp::{parse, procfs};
use crate::{Error, Result};

/// psutil's `svmem` namedtuple, from [`virtual_memory`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct VirtualMemory {
    /// `MemTotal`: all physical memory.
    pub total: u64,
    /// `MemAvailable` (or the kernel-style estimate on kernels before 3.14
    /// or when it reads 0): memory that can be given to processes without
    /// swapping.
    pub available: u64,
    /// `(total - available) / total * 100`, rounded to one decimal.
    pub percent: f64,
    /// `total - available` (psutil 7.1.0+, as `free` computes it).
    pub used: u64,
    /// `MemFree`: memory not used at all.
    pub free: u64,
    /// `Active`: memory used recently.
    pub active: u64,
    /// `Inactive` (or `Inact_dirty + Inact_clean + Inact_laundry` on 2.4).
    pub inactive: u64,
    /// `Buffers`: file-system metadata cache.
    pub buffers: u64,
    /// `Cached + SReclaimable`: the page cache, as `free` shows it.
    pub cached: u64,
    /// `Shmem` (or `MemShared` on 2.4): tmpfs and shared memory.
    pub shared: u64,
    /// `Slab`: kernel data-structure caches.
    pub slab: u64,
}

/// psutil's `sswap` namedtuple, from [`swap_memory`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SwapMemory {
    /// `SwapTotal`.
    pub total: u64,
    /// `total - free`.
    pub used: u64,
    /// `SwapFree`.
    pub free: u64,
    /// `used / total * 100`, rounded to one decimal (0.0 without swap).
    pub percent: f64,
    /// Bytes swapped in since boot (`pswpin` of vmstat × 4096).
    pub sin: u64,
    /// Bytes swapped out since boot (`pswpout` of vmstat × 4096).
    pub sout: u64,
}

fn read_meminfo() -> Result<parse::meminfo::Meminfo> {
    procfs::read_root_file("meminfo", parse::meminfo::parse)
}

fn missing(file: &str, what: &str) -> Error {
    Error::io(
        format!("{}/{file}", procfs::root()),
        io::Error::new(io::ErrorKind::InvalidData, format!("no {what} line")),
    )
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
/// Errors: [`Error::Io`] when meminfo cannot be read or lacks `MemTotal` /
/// `MemFree`.
pub fn virtual_memory() -> Result<VirtualMemory> {
    let m = read_meminfo()?;
    let low = || procfs::read_root_file("zoneinfo", parse::zoneinfo::low_watermark_pages).ok();
    let vm = parse::meminfo::virtual_memory(&m, procfs::page_size(), low)
        .ok_or_else(|| missing("meminfo", "MemTotal or MemFree"))?;
    TOTAL_MEMORY.store(vm.total, Ordering::Relaxed);
    Ok(vm)
}

/// The total of the last `virtual_memory()` call (0 = none yet).
static TOTAL_MEMORY: AtomicU64 = AtomicU64::new(0);

/// psutil's `swap_memory()`: swap usage from `/proc/meminfo` and the
/// swap-in/out counters of `/proc/vmstat`.
///
/// As in psutil: `sysinfo(2)` supplies total/free when meminfo lacks the
/// `Swap*` lines; `sin`/`sout` are pages × 4096 and are 0 when vmstat is
/// unreadable or lacks `pswpin`/`pswpout` (psutil warns then).
///
/// Errors: [`Error::Io`] when meminfo cannot be read.
pub fn swap_memory() -> Result<SwapMemory> {
    let m = read_meminfo()?;
    let (total, free) = match parse::meminfo::swap(&m) {
        Some(v) => v,
        None => sysinfo_swap()?,
    };
    let used = total.saturating_sub(free);
    let (sin, sout) = procfs::read_root_file("vmstat", parse::vmstat::swap_bytes)
        .ok()
        .flatten()
        .unwrap_or((0, 0));
    Ok(SwapMemory {
        total,
        used,
        free,
        percent: crate::pyround::usage_percent(used as f64, total as f64),
        sin,
        sout,
    })
}

/// Swap total and free from `sysinfo(2)`, in bytes.
fn sysinfo_swap() -> Result<(u64, u64)> {
    // SAFETY: sysinfo only writes into the struct we pass.
    let mut info: libc::sysinfo = unsafe { std::mem::zeroed() };
    // SAFETY: `info` is a valid, writable sysinfo struct.
    if unsafe { libc::sysinfo(&mut info) } != 0 {
        return Err(Error::Io {
            path: None,
            source: io::Error::last_os_error(),
        });
    }
    let unit = u64::from(info.mem_unit.max(1));
    // `c_ulong` is 32 bits on some targets.
    #[allow(clippy::useless_conversion)]
    Ok((
        u64::from(info.totalswap).saturating_mul(unit),
        u64::from(info.freeswap).saturating_mul(unit),
    ))
}

/// `MemTotal` in bytes: the denominator of `Process::memory_percent`.
///
/// As psutil, this is the total seen by the last `virtual_memory()` call
/// (read once if there was none), so a listing of thousands of processes
/// does not read `/proc/meminfo` once per process.
pub(crate) fn total_memory() -> Result<u64> {
    match TOTAL_MEMORY.load(Ordering::Relaxed) {
        0 => {
            let total = read_meminfo()?
                .get_u64("MemTotal")
                .ok_or_else(|| missing("meminfo", "MemTotal"))?;
            TOTAL_MEMORY.store(total, Ordering::Relaxed);
            Ok(total)
        }
        total => Ok(total),
    }
}
