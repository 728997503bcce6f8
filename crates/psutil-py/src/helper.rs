//! One helper thread, started on first use, for work a call does
//! alongside its own (`Process.as_dict()` reads `smaps` on it).
//!
//! Both sides spin briefly before they sleep: waking a thread whose CPU
//! went idle costs tens of microseconds on a virtual machine, as much as
//! the work handed over. The helper takes one job at a time: while it is
//! busy (another Python thread's call, or a read stuck in the kernel),
//! callers do the work themselves. A fork child, which has no helper
//! thread, starts its own.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long either side spins before it sleeps: about the gap between two
/// `as_dict()` calls of a loop, so the helper stays awake through one.
const SPIN: Duration = Duration::from_micros(200);

/// Spins until `ready` or `SPIN` passed; true if ready.
fn spin_until(ready: &AtomicBool) -> bool {
    let start = Instant::now();
    loop {
        for _ in 0..64 {
            if ready.load(Ordering::Acquire) {
                return true;
            }
            std::hint::spin_loop();
        }
        if start.elapsed() >= SPIN {
            return ready.load(Ordering::Acquire);
        }
    }
}

/// A value handed from one thread to another.
struct Slot<T> {
    full: AtomicBool,
    value: Mutex<Option<T>>,
    filled: Condvar,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Slot {
            full: AtomicBool::new(false),
            value: Mutex::new(None),
            filled: Condvar::new(),
        }
    }

    fn put(&self, v: T) {
        let mut g = self.value.lock().unwrap_or_else(|e| e.into_inner());
        *g = Some(v);
        self.full.store(true, Ordering::Release);
        self.filled.notify_one();
    }

    /// Waits for the value (spinning first) and empties the slot.
    fn take(&self) -> T {
        spin_until(&self.full);
        let mut g = self.value.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(v) = g.take() {
                self.full.store(false, Ordering::Release);
                return v;
            }
            g = self.filled.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

struct Helper {
    /// The process that started it (a fork child's copy is not running).
    pid: u32,
    busy: Arc<AtomicBool>,
    jobs: Arc<Slot<Job>>,
}

static HELPER: Mutex<Option<Helper>> = Mutex::new(None);

fn start() -> Option<Helper> {
    let jobs = Arc::new(Slot::<Job>::new());
    let theirs = Arc::clone(&jobs);
    std::thread::Builder::new()
        .name("psutil-helper".into())
        .spawn(move || loop {
            (theirs.take())();
        })
        .ok()?;
    Some(Helper {
        pid: std::process::id(),
        busy: Arc::new(AtomicBool::new(false)),
        jobs,
    })
}

/// What [`try_run`] hands back: wait for the result with `wait`.
pub(crate) struct Pending<T>(Arc<Slot<Option<T>>>);

impl<T> Pending<T> {
    /// The job's result; None if it panicked.
    pub(crate) fn wait(self) -> Option<T> {
        self.0.take()
    }
}

/// Runs `f` on the helper thread. None when the helper is busy or cannot
/// be started: then the caller runs `f` itself.
pub(crate) fn try_run<T, F>(f: F) -> Option<Pending<T>>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // Never waits: a lock held by another thread (or, in a fork child, by
    // a thread of the parent) means "do it yourself".
    let mut slot = HELPER.try_lock().ok()?;
    if slot.as_ref().is_some_and(|h| h.pid != std::process::id()) {
        // A fork child: the parent's helper does not run here, and its
        // state may be anything; leave it alone.
        std::mem::forget(slot.take());
    }
    if slot.is_none() {
        *slot = start();
    }
    let h = slot.as_ref()?;
    if h.busy
        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        return None;
    }
    let result = Arc::new(Slot::new());
    let theirs = Arc::clone(&result);
    let busy = Arc::clone(&h.busy);
    h.jobs.put(Box::new(move || {
        let r = catch_unwind(AssertUnwindSafe(f)).ok();
        busy.store(false, Ordering::Release);
        theirs.put(r);
    }));
    Some(Pending(result))
}
