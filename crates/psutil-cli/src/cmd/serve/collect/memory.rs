//! The `memory` collector: memory and swap (`virtual_memory()`,
//! `swap_memory()`), bytes.

use psutil::memory::{self, SwapMemory, VirtualMemory};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

/// The `virtual_memory()` families and the field each reports.
const MEMORY: [Field<VirtualMemory>; 10] = [
    (
        Desc::gauge(
            "psutil_memory_total_bytes",
            "Total physical memory (virtual_memory().total).",
            &[],
        ),
        |m| m.total,
    ),
    (
        Desc::gauge(
            "psutil_memory_available_bytes",
            "Memory available without swapping (virtual_memory().available).",
            &[],
        ),
        |m| m.available,
    ),
    (
        Desc::gauge(
            "psutil_memory_used_bytes",
            "Used memory (virtual_memory().used).",
            &[],
        ),
        |m| m.used,
    ),
    (
        Desc::gauge(
            "psutil_memory_free_bytes",
            "Unused memory (virtual_memory().free).",
            &[],
        ),
        |m| m.free,
    ),
    (
        Desc::gauge(
            "psutil_memory_active_bytes",
            "Recently used memory (virtual_memory().active).",
            &[],
        ),
        |m| m.active,
    ),
    (
        Desc::gauge(
            "psutil_memory_inactive_bytes",
            "Memory not recently used (virtual_memory().inactive).",
            &[],
        ),
        |m| m.inactive,
    ),
    (
        Desc::gauge(
            "psutil_memory_buffers_bytes",
            "Buffer cache (virtual_memory().buffers).",
            &[],
        ),
        |m| m.buffers,
    ),
    (
        Desc::gauge(
            "psutil_memory_cached_bytes",
            "Page cache (virtual_memory().cached).",
            &[],
        ),
        |m| m.cached,
    ),
    (
        Desc::gauge(
            "psutil_memory_shared_bytes",
            "Shared memory (virtual_memory().shared).",
            &[],
        ),
        |m| m.shared,
    ),
    (
        Desc::gauge(
            "psutil_memory_slab_bytes",
            "Kernel slab memory (virtual_memory().slab).",
            &[],
        ),
        |m| m.slab,
    ),
];

/// The `swap_memory()` families and the field each reports.
const SWAP: [Field<SwapMemory>; 5] = [
    (
        Desc::gauge(
            "psutil_swap_total_bytes",
            "Total swap (swap_memory().total).",
            &[],
        ),
        |s| s.total,
    ),
    (
        Desc::gauge(
            "psutil_swap_used_bytes",
            "Used swap (swap_memory().used).",
            &[],
        ),
        |s| s.used,
    ),
    (
        Desc::gauge(
            "psutil_swap_free_bytes",
            "Free swap (swap_memory().free).",
            &[],
        ),
        |s| s.free,
    ),
    (
        Desc::counter(
            "psutil_swap_in_bytes_total",
            "Bytes swapped in from disk since boot (swap_memory().sin).",
            &[],
        ),
        |s| s.sin,
    ),
    (
        Desc::counter(
            "psutil_swap_out_bytes_total",
            "Bytes swapped out to disk since boot (swap_memory().sout).",
            &[],
        ),
        |s| s.sout,
    ),
];

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    s.memory = Some(memory::virtual_memory()?);
    s.swap = Some(memory::swap_memory()?);
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    if let Some(m) = &s.memory {
        for (desc, get) in &MEMORY {
            e.add(desc, &[], get(m));
        }
    }
    if let Some(sw) = &s.swap {
        for (desc, get) in &SWAP {
            e.add(desc, &[], get(sw));
        }
    }
}
