//! Work sharing for reads that are almost all kernel time.
//!
//! Listing processes or mapping sockets to processes costs one or more
//! syscalls per process, each rendered by the kernel on the calling CPU, so
//! the reads scale with cores. Work is cut into blocks claimed from a
//! shared counter: a few costly processes then delay nobody, and results
//! come back in block order so callers keep psutil's PID order.
//!
//! [`Blocks`] is the one block reader: `map_units` collects every result,
//! and the Python binding's `process_iter` consumes blocks as they are read.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;

use crate::forksafe::Cached;

/// Threads for a parallel read (a listing with attributes): every CPU this
/// process may run on, up to 4. Asked once (the standard library reads
/// cgroup files to answer).
pub fn default_threads() -> usize {
    static N: Cached = Cached::new();
    let n = N.get(|| {
        let n = thread::available_parallelism().map_or(1, |n| n.get().min(4));
        n as u64
    });
    n as usize
}

/// Where a read that can share its work between threads runs: a listing
/// with attributes ([`ProcessIter::set_threads`], which also applies to
/// its `net_connections` attribute), the socket-to-process walk of
/// [`net_connections_with`] and one process's descriptor table in
/// [`Process::net_connections_with`]. Not in psutil, which reads on the
/// calling thread only.
///
/// Both reads are almost all kernel time spent rendering `/proc` files,
/// which scales with cores, so by default they use a few helper threads.
/// Async runtimes (run the read on a blocking-task thread: it does file
/// I/O), embedded systems and sandboxes that forbid `clone` pick
/// [`Threads::Caller`]: no thread is started and the result is the same.
///
/// [`ProcessIter::set_threads`]: crate::process::ProcessIter::set_threads
/// [`net_connections_with`]: crate::net::net_connections_with
/// [`Process::net_connections_with`]: crate::Process::net_connections_with
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Threads {
    /// The library's choice: the calling thread plus helpers, one per CPU
    /// this process may run on, up to 4 ([`default_threads`]), when the
    /// work is big enough to pay for them (a listing of 48 processes or
    /// more; every `net_connections` call, which also reads the socket
    /// tables on one more thread meanwhile; one process's descriptor table
    /// of 512 entries or more). The default, and the fastest.
    ///
    /// Whatever the choice, no thread is started in a child forked from
    /// a process that had other threads: Rust's standard library could
    /// block it forever there (a lock a parent thread held at the fork).
    #[default]
    Auto,
    /// The calling thread only: no thread is started.
    Caller,
    /// Up to `n` threads, the caller's included; 0 and 1 mean
    /// [`Threads::Caller`].
    Fixed(usize),
}

impl Threads {
    /// How many threads, the caller's included, given what `Auto` means
    /// for this read.
    pub(crate) fn count(self, auto: impl FnOnce() -> usize) -> usize {
        match self {
            Threads::Auto => auto(),
            Threads::Caller => 1,
            Threads::Fixed(n) => n.max(1),
        }
    }
}

/// Processes per block of a listing with attributes: what a thread claims
/// at a time.
#[doc(hidden)]
pub const LISTING_BLOCK: usize = 32;

/// Threads (the caller's included) for a listing with attributes of `len`
/// processes: one below 48 processes, where spawning a thread costs about
/// as much as reading a few processes; else [`default_threads`].
#[doc(hidden)]
pub fn listing_threads(len: usize) -> usize {
    const PARALLEL_FROM: usize = 48;
    if len >= PARALLEL_FROM {
        default_threads()
    } else {
        1
    }
}

/// One block's slot: not read yet, read (or panicked), or handed out.
enum Slot<T> {
    Pending,
    Ready(thread::Result<T>),
    Taken,
}

/// `len` items cut into blocks of `block`, read by `read(range)` on
/// whichever thread claims them first; each block's result is taken once,
/// in any order, by the caller of [`stream`].
///
/// A panic in `read` is a bug: it is caught on the thread that read the
/// block and resumed on the thread that takes it, so that nobody waits
/// for a block that never comes.
#[doc(hidden)]
pub struct Blocks<'a, T> {
    len: usize,
    block: usize,
    read: &'a (dyn Fn(Range<usize>) -> T + Sync),
    next: AtomicUsize,
    done: Mutex<Vec<Slot<T>>>,
    ready: Condvar,
}

impl<T> Blocks<'_, T> {
    /// How many blocks there are.
    pub fn count(&self) -> usize {
        self.len.div_ceil(self.block)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Slot<T>>> {
        // Slots stay consistent across a panic (it is caught before).
        self.done.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Claims, reads and stores the next unread block; false when none is
    /// left.
    fn read_one(&self) -> bool {
        let start = self.next.fetch_add(self.block, Ordering::Relaxed);
        if start >= self.len {
            return false;
        }
        let end = self.len.min(start.saturating_add(self.block));
        let out =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.read)(start..end)));
        self.lock()[start / self.block] = Slot::Ready(out);
        self.ready.notify_all();
        true
    }

    /// No block is claimed any more (the caller gave up).
    fn stop(&self) {
        self.next.store(self.len, Ordering::Relaxed);
    }

    /// Block `b`'s result: reads unclaimed blocks meanwhile, then waits for
    /// the thread reading it. None when `b` is out of range or was taken
    /// already.
    pub fn take(&self, b: usize) -> Option<T> {
        loop {
            {
                let mut done = self.lock();
                if !matches!(done.get(b)?, Slot::Pending) {
                    return take_slot(done, b);
                }
                if self.next.load(Ordering::Relaxed) >= self.len {
                    while matches!(done[b], Slot::Pending) {
                        done = self.ready.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    return take_slot(done, b);
                }
            }
            self.read_one();
        }
    }

    /// Block `b`'s result if it is read already (see [`Blocks::take`]).
    pub fn try_take(&self, b: usize) -> Option<T> {
        let done = self.lock();
        match done.get(b)? {
            Slot::Ready(_) => take_slot(done, b),
            _ => None,
        }
    }
}

/// Hands out read slot `b`'s result (unlocked first), resuming a reader's
/// panic here.
fn take_slot<T>(mut done: MutexGuard<'_, Vec<Slot<T>>>, b: usize) -> Option<T> {
    let slot = std::mem::replace(&mut done[b], Slot::Taken);
    drop(done);
    match slot {
        Slot::Ready(Ok(t)) => Some(t),
        Slot::Ready(Err(panic)) => std::panic::resume_unwind(panic),
        Slot::Pending | Slot::Taken => None,
    }
}

/// Reads `len` items in blocks of `block` with `read(range)` on up to
/// `threads` threads (the caller's included) while `consume` takes the
/// results ([`Blocks::take`] reads on the calling thread too). When
/// `consume` returns, unclaimed blocks are left unread.
#[doc(hidden)]
pub fn stream<T: Send, R>(
    len: usize,
    block: usize,
    threads: usize,
    read: impl Fn(Range<usize>) -> T + Sync,
    consume: impl FnOnce(&Blocks<'_, T>) -> R,
) -> R {
    let block = block.max(1);
    let blocks = Blocks {
        len,
        block,
        read: &read,
        next: AtomicUsize::new(0),
        done: Mutex::new((0..len.div_ceil(block)).map(|_| Slot::Pending).collect()),
        ready: Condvar::new(),
    };
    let helpers = threads.clamp(1, blocks.count().max(1)) - 1;
    if helpers == 0 || !crate::forksafe::threads_may_start() {
        return consume(&blocks);
    }
    #[cfg(test)]
    tests::SPAWNED.with(|n| n.set(n.get() + helpers));
    // Helpers read under the caller's `Roots::enter`, if any.
    let roots = crate::platform::imp::scoped_roots();
    thread::scope(|s| {
        let handles: Vec<_> = (0..helpers)
            .map(|_| {
                let roots = roots.clone();
                let blocks = &blocks;
                s.spawn(move || {
                    crate::platform::imp::with_scoped_roots(roots, || while blocks.read_one() {})
                })
            })
            .collect();
        /// Stops the helpers however `consume` ends (an error or a panic).
        struct Stop<'a, 'b, T>(&'a Blocks<'b, T>);
        impl<T> Drop for Stop<'_, '_, T> {
            fn drop(&mut self) {
                self.0.stop();
            }
        }
        let stop = Stop(&blocks);
        let out = consume(&blocks);
        drop(stop);
        // Joined, not only waited for (which is all the scope's end does): the
        // threads are gone when this returns, as leak checkers expect.
        for h in handles {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
        out
    })
}

/// `(a(), b())`, with `b` on a helper thread (under the caller's
/// `Roots::enter`, if any) while `a` runs on the calling thread; both on
/// the calling thread where no thread may start (a fork child, see
/// [`crate::forksafe`]). A panic in `b` is resumed on the calling thread.
pub(crate) fn join<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    if !crate::forksafe::threads_may_start() {
        let a = a();
        return (a, b());
    }
    #[cfg(test)]
    tests::SPAWNED.with(|n| n.set(n.get() + 1));
    let roots = crate::platform::imp::scoped_roots();
    thread::scope(|s| {
        let b = s.spawn(move || crate::platform::imp::with_scoped_roots(roots, b));
        let a = a();
        let b = b.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (a, b)
    })
}

/// `f(0)`, ..., `f(units - 1)` on up to `threads` threads, the caller's
/// included, each taking the next unit from a shared counter; the results
/// in unit order. A panic in `f` is resumed on the calling thread.
pub(crate) fn map_units<T: Send>(
    units: usize,
    threads: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    stream(
        units,
        1,
        threads,
        |r| f(r.start),
        |blocks| (0..blocks.count()).filter_map(|b| blocks.take(b)).collect(),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    thread_local! {
        /// Helper threads started by reads made on this thread; per thread
        /// so that tests running side by side do not see each other's.
        pub(crate) static SPAWNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Helper threads `f` started, on this thread and below.
    pub(crate) fn threads_spawned_by<R>(f: impl FnOnce() -> R) -> (R, usize) {
        let before = SPAWNED.with(std::cell::Cell::get);
        let out = f();
        (out, SPAWNED.with(std::cell::Cell::get) - before)
    }

    #[test]
    fn join_gives_both_results_in_order() {
        let ((a, b), spawned) = threads_spawned_by(|| join(|| 1, || "two"));
        assert_eq!((a, b, spawned), (1, "two", 1));
    }

    #[test]
    fn helpers_are_counted() {
        assert_eq!(threads_spawned_by(|| map_units(8, 1, |i| i)).1, 0);
        assert_eq!(threads_spawned_by(|| map_units(8, 3, |i| i)).1, 2);
    }

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
    fn blocks_are_taken_once_in_any_order() {
        let out = stream(
            70,
            LISTING_BLOCK,
            3,
            |r| r.collect::<Vec<_>>(),
            |b| {
                assert_eq!(b.count(), 3);
                let last = b.take(2).unwrap();
                assert_eq!(b.take(2), None, "taken twice");
                assert_eq!(b.take(3), None, "out of range");
                let first = b.take(0).unwrap();
                (first, b.take(1).unwrap(), last)
            },
        );
        assert_eq!(out.0, (0..32).collect::<Vec<_>>());
        assert_eq!(out.1, (32..64).collect::<Vec<_>>());
        assert_eq!(out.2, (64..70).collect::<Vec<_>>());
    }

    #[test]
    fn a_readers_panic_reaches_the_caller() {
        for threads in [1, 4] {
            let r = std::panic::catch_unwind(|| {
                map_units(50, threads, |i| {
                    assert!(i != 37, "bug at unit 37");
                    i
                })
            });
            let panic = r.expect_err("the panic was swallowed");
            let msg = panic
                .downcast_ref::<&str>()
                .copied()
                .or(panic.downcast_ref::<String>().map(String::as_str));
            assert_eq!(msg, Some("bug at unit 37"), "{threads} threads");
        }
    }

    #[test]
    fn listing_threads_only_for_long_listings() {
        assert_eq!(listing_threads(47), 1);
        assert_eq!(listing_threads(48), default_threads());
    }

    #[test]
    fn helpers_read_under_the_callers_roots() {
        let roots = crate::Roots::default().with_procfs("/fake/proc/");
        let seen = roots.scope(|| map_units(16, 4, |_| crate::procfs_path()));
        assert!(seen.iter().all(|r| r == "/fake/proc"), "{seen:?}");
    }
}
