//! Work sharing for reads that are almost all kernel time.
//!
//! Listing processes or mapping sockets to processes costs one or more
//! syscalls per process, each rendered by the kernel on the calling CPU, so
//! the reads scale with cores. Work is cut into small units claimed from a
//! shared counter: a few costly processes then delay nobody, and results
//! come back in unit order so callers keep psutil's PID order.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::forksafe::Cached;

/// Threads for a parallel read (a listing with attributes): every CPU this
/// process may run on, up to 4. Asked once (the standard library reads
/// cgroup files to answer).
pub fn default_threads() -> usize {
    static N: Cached = Cached::new();
    let n = N.get(|| {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        n as u64
    });
    n as usize
}

/// `f(0)`, ..., `f(units - 1)` on up to `threads` threads, the caller's
/// included, each taking the next unit from a shared counter; the results
/// in unit order.
pub(crate) fn map_units<T: Send>(
    units: usize,
    threads: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let threads = threads.clamp(1, units.max(1));
    if threads == 1 {
        return (0..units).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let unit = next.fetch_add(1, Ordering::Relaxed);
            if unit >= units {
                return done;
            }
            done.push((unit, f(unit)));
        }
    };
    // Helpers read under the caller's `Roots::enter`, if any.
    let roots = crate::platform::imp::scoped_roots();
    let mut all = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                let roots = roots.clone();
                s.spawn(|| crate::platform::imp::with_scoped_roots(roots, worker))
            })
            .collect();
        let mut all = worker();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    all.sort_unstable_by_key(|&(unit, _)| unit);
    all.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_unit_order() {
        for threads in [1, 2, 4, 9] {
            let out = map_units(100, threads, |i| {
                // Uneven work so that threads interleave.
                if i % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                i * 2
            });
            assert_eq!(out, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(map_units(0, 4, |i| i).is_empty());
        assert!(default_threads() >= 1);
    }

    #[test]
    fn helpers_read_under_the_callers_roots() {
        let roots = crate::Roots::default().with_procfs("/fake/proc/");
        let seen = roots.scope(|| map_units(16, 4, |_| crate::procfs_path()));
        assert!(seen.iter().all(|r| r == "/fake/proc"), "{seen:?}");
    }
}
