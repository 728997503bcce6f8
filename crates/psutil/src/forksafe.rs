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
//! with a fresh value. One-time values use [`Cached`], which never blocks.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

/// How many forks separate this process from the one that loaded us.
static GENERATION: AtomicU64 = AtomicU64::new(0);

extern "C" fn after_fork_in_child() {
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

extern "C" fn register_fork_handler() {
    // SAFETY: registers a handler that only touches an atomic; it runs in
    // the child right after every fork(), before fork() returns.
    unsafe {
        libc::pthread_atfork(None, None, Some(after_fork_in_child));
    }
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
    fn cached_computes_once() {
        let c = Cached::new();
        assert_eq!(c.get(|| 3), 3);
        assert_eq!(c.get(|| 4), 3);
    }
}
