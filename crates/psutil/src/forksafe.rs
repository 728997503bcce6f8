//! State a `fork()` child can always use.
//!
//! Only the forking thread survives `fork()`. A lock another thread held at
//! that moment (a listing reading a process, a cache being refilled) stays
//! held in the child forever, and the child's next call would block on it.
//! Python programs fork while other threads run `process_iter()`, so every
//! lock here is a [`ForkMutex`]: it records the fork generation of its last
//! holder, and a child that finds it held since before its fork knows the
//! holder cannot exist there. The child then abandons that lock (its value
//! may be half-updated, so it is leaked, never read or dropped) and goes on
//! with a fresh value. One-time values use [`Cached`], and configured
//! roots [`SharedStr`]; neither ever blocks.
//!
//! Locks outside this crate are held the same way, and one of them makes
//! starting a thread unsafe: Rust's standard library takes a process-wide
//! lock whenever a thread starts or exits (to record its stack guard). A
//! parent thread starting or ending at the fork leaves it held in the
//! child, whose next thread then blocks forever. So a child forked while
//! its parent had other threads reads on the calling thread only
//! ([`threads_may_start`]), and so do its own fork children, which inherit
//! the held lock.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

/// How many forks separate this process from the one that loaded us.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Whether the process had more than one thread as it last forked (set in
/// the parent just before each fork, read by the child).
static MULTITHREADED_AT_FORK: AtomicBool = AtomicBool::new(false);

/// Set for good in a child forked from a multithreaded process (and, by
/// inheritance, in its own fork children): no thread may be started.
static NO_THREADS: AtomicBool = AtomicBool::new(false);

/// Whether this process has threads besides the caller: the link count of
/// `/proc/self/task` is 2 plus the number of threads. One `stat`, no
/// allocation; true when it cannot tell (no `/proc`).
fn is_multithreaded() -> bool {
    rustix::fs::stat(c"/proc/self/task").map_or(true, |st| st.st_nlink != 3)
}

extern "C" fn before_fork_in_parent() {
    MULTITHREADED_AT_FORK.store(is_multithreaded(), Ordering::Relaxed);
}

extern "C" fn after_fork_in_child() {
    GENERATION.fetch_add(1, Ordering::Relaxed);
    if MULTITHREADED_AT_FORK.load(Ordering::Relaxed) {
        NO_THREADS.store(true, Ordering::Relaxed);
    }
}

extern "C" fn register_fork_handler() {
    // SAFETY: registers handlers that only touch atomics (and, in the
    // parent, one `stat`); they run around every fork(), before it returns.
    unsafe {
        libc::pthread_atfork(Some(before_fork_in_parent), None, Some(after_fork_in_child));
    }
}

/// Whether the library may start helper threads: false in a child forked
/// while its parent had other threads, where starting one could block
/// forever (see the module docs). Reads then run on the calling thread.
pub(crate) fn threads_may_start() -> bool {
    !NO_THREADS.load(Ordering::Relaxed)
}

/// Registered when the library is loaded, before any thread can fork:
/// registering lazily would leave a window where a fork goes uncounted.
#[used]
#[link_section = ".init_array"]
static REGISTER: extern "C" fn() = register_fork_handler;

// Relaxed throughout: generations are only compared for equality, and what
// a fork child finds was stored by its parent, in an older generation.
fn generation() -> u64 {
    GENERATION.load(Ordering::Relaxed)
}

struct Slot<T> {
    /// The generation of the last thread that locked `value`.
    generation: AtomicU64,
    value: Mutex<T>,
}

impl<T> Slot<T> {
    fn boxed(value: T) -> *mut Slot<T> {
        Box::into_raw(Box::new(Slot {
            generation: AtomicU64::new(generation()),
            value: Mutex::new(value),
        }))
    }
}

/// A mutex whose value is made again in a fork child that finds it held by
/// a thread of the parent. Allocated on first use, so it can be a `static`.
pub(crate) struct ForkMutex<T> {
    slot: AtomicPtr<Slot<T>>,
    _owns: PhantomData<Mutex<T>>,
}

impl<T> ForkMutex<T> {
    /// An empty lock: the first [`ForkMutex::lock`] makes its value.
    pub(crate) const fn new() -> Self {
        ForkMutex {
            slot: AtomicPtr::new(std::ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    /// A lock holding `value`.
    pub(crate) fn with_value(value: T) -> Self {
        ForkMutex {
            slot: AtomicPtr::new(Slot::boxed(value)),
            _owns: PhantomData,
        }
    }

    /// Locks the value; `fresh()` makes it on first use, and again in a
    /// fork child that finds the lock held by a thread of its parent.
    /// A poisoned lock is taken as is (the value is a cache).
    pub(crate) fn lock(&self, fresh: impl Fn() -> T) -> MutexGuard<'_, T> {
        let mut ptr = self.slot.load(Ordering::Acquire);
        loop {
            if ptr.is_null() {
                ptr = self.install(ptr, Slot::boxed(fresh()));
                continue;
            }
            // SAFETY: a slot is freed only by `drop`, which has `&mut self`;
            // slots replaced after a fork are leaked, so `ptr` stays valid
            // for as long as `&self` does.
            let slot = unsafe { &*ptr };
            let guard = match slot.value.try_lock() {
                Ok(g) => g,
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
                Err(TryLockError::WouldBlock) => {
                    if slot.generation.load(Ordering::Relaxed) != generation() {
                        // Held since before our fork: the holder is gone.
                        ptr = self.install(ptr, Slot::boxed(fresh()));
                        continue;
                    }
                    slot.value.lock().unwrap_or_else(|e| e.into_inner())
                }
            };
            slot.generation.store(generation(), Ordering::Relaxed);
            return guard;
        }
    }

    /// Puts `new` in place of `old`; the slot in place afterwards. `old`
    /// is leaked, not freed: a stale value may be inconsistent, and a
    /// thread of this process may still hold a guard into it.
    fn install(&self, old: *mut Slot<T>, new: *mut Slot<T>) -> *mut Slot<T> {
        match self
            .slot
            .compare_exchange(old, new, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => new,
            Err(current) => {
                // SAFETY: `new` was never shared.
                drop(unsafe { Box::from_raw(new) });
                current
            }
        }
    }
}

impl<T> Drop for ForkMutex<T> {
    fn drop(&mut self) {
        let ptr = *self.slot.get_mut();
        if !ptr.is_null() {
            // SAFETY: the slot in place is owned by this lock, and `&mut
            // self` means no guard into it is alive.
            drop(unsafe { Box::from_raw(ptr) });
        }
    }
}

/// A string set rarely and read on every file access (a configured root
/// such as psutil's `PROCFS_PATH`), read without a lock: a fork child
/// always sees the last value set before its fork. Each value set stays
/// allocated for good, since a reader may still hold it; programs set a
/// root once or a few times.
pub(crate) struct SharedStr(AtomicPtr<String>);

impl SharedStr {
    /// Not set: [`SharedStr::get`] gives `""`.
    pub(crate) const fn new() -> Self {
        SharedStr(AtomicPtr::new(std::ptr::null_mut()))
    }

    /// The value last set, `""` if none.
    pub(crate) fn get(&self) -> &'static str {
        let ptr = self.0.load(Ordering::Acquire);
        if ptr.is_null() {
            return "";
        }
        // SAFETY: non-null pointers come from `Box::leak` in `set` and are
        // never freed.
        unsafe { (*ptr).as_str() }
    }

    /// Replaces the value (the old one is kept allocated, see above).
    pub(crate) fn set(&self, value: &str) {
        if self.get() != value {
            let leaked: &'static mut String = Box::leak(Box::new(value.to_owned()));
            self.0.store(leaked, Ordering::Release);
        }
    }
}

/// A non-zero number computed once and kept, without a lock: racing
/// threads may each compute it (any of their results will do). A
/// `OnceLock` would make a fork child wait forever for an initialisation a
/// thread of its parent had started.
pub(crate) struct Cached(AtomicU64);

impl Cached {
    pub(crate) const fn new() -> Self {
        Cached(AtomicU64::new(0))
    }

    /// The value, computed by `f` the first time (0 means "not yet": a
    /// zero result is computed again next time).
    pub(crate) fn get(&self, f: impl FnOnce() -> u64) -> u64 {
        match self.0.load(Ordering::Relaxed) {
            0 => {
                let v = f();
                self.0.store(v, Ordering::Relaxed);
                v
            }
            v => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Forks, runs `child` in the child (exit status 0 if it returns true)
    /// and waits for it for up to 10 s; a child still blocked then is
    /// killed and counts as failed.
    fn fork_and_check(child: impl FnOnce() -> bool) -> bool {
        // SAFETY: the child only runs `child` and then `_exit`s.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let ok = child();
            // SAFETY: ends the child without running the parent's atexit
            // handlers or test harness.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut status = 0;
        loop {
            // SAFETY: waits for our own child, WNOHANG.
            let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if r == pid {
                return libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
            }
            if Instant::now() > deadline {
                // SAFETY: our own child, which is blocked.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                    libc::waitpid(pid, &mut status, 0);
                }
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn fork_child_takes_a_lock_held_by_a_parent_thread() {
        static LOCK: ForkMutex<u32> = ForkMutex::new();
        *LOCK.lock(|| 0) = 7;
        let (held_tx, held_rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let holder = std::thread::spawn(move || {
            let mut g = LOCK.lock(|| 0);
            *g = 8;
            held_tx.send(()).unwrap();
            done_rx.recv().unwrap();
        });
        held_rx.recv().unwrap();
        // The child starts over from a fresh value instead of blocking.
        assert!(fork_and_check(|| *LOCK.lock(|| 42) == 42));
        done_tx.send(()).unwrap();
        holder.join().unwrap();
        // The parent's value is untouched.
        assert_eq!(*LOCK.lock(|| 0), 8);
    }

    #[test]
    fn unheld_lock_keeps_its_value_across_fork() {
        let lock = ForkMutex::with_value(5u32);
        assert!(fork_and_check(|| *lock.lock(|| 0) == 5));
        assert_eq!(*lock.lock(|| 0), 5);
    }

    #[test]
    fn fork_child_of_a_multithreaded_parent_starts_no_thread() {
        // The test harness runs this beside other threads, as a Python
        // program forks beside its threads.
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let other = std::thread::spawn(move || {
            ready_tx.send(()).unwrap();
            done_rx.recv().unwrap();
        });
        ready_rx.recv().unwrap();
        assert!(threads_may_start());
        assert!(fork_and_check(|| {
            let ((sum, pair), spawned) = crate::parallel::tests::threads_spawned_by(|| {
                let sum = crate::parallel::map_units(8, 4, |i| i)
                    .iter()
                    .sum::<usize>();
                (sum, crate::parallel::join(|| 1, || 2))
            });
            !threads_may_start() && spawned == 0 && sum == 28 && pair == (1, 2)
        }));
        // The parent is not affected.
        assert!(threads_may_start());
        done_tx.send(()).unwrap();
        other.join().unwrap();
    }

    #[test]
    fn shared_str_keeps_the_last_value() {
        let s = SharedStr::new();
        assert_eq!(s.get(), "");
        s.set("/host/proc");
        let first = s.get();
        s.set("/other");
        assert_eq!((first, s.get()), ("/host/proc", "/other"));
        // The same value again allocates nothing new.
        let kept = s.get();
        s.set("/other");
        assert!(std::ptr::eq(kept, s.get()));
        assert!(fork_and_check(|| s.get() == "/other"));
    }

    #[test]
    fn cached_computes_once() {
        let c = Cached::new();
        assert_eq!(c.get(|| 3), 3);
        assert_eq!(c.get(|| 4), 3);
    }
}
