//! One helper thread, started on first use, for work a call does
//! alongside its own (`Process.as_dict()` reads `memory_maps` on it).
//!
//! Handing a job over costs a few microseconds where starting a thread
//! per call costs tens. The helper takes one job at a time: while it is
//! busy (another Python thread's call, or a read stuck in the kernel),
//! callers do the work themselves. A fork child, which has no helper
//! thread, starts its own.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

struct Helper {
    /// The process that started it (a fork child's copy is not running).
    pid: u32,
    busy: Arc<AtomicBool>,
    jobs: Sender<Job>,
}

static HELPER: Mutex<Option<Helper>> = Mutex::new(None);

fn start() -> Option<Helper> {
    let (jobs, rx) = channel::<Job>();
    std::thread::Builder::new()
        .name("psutil-helper".into())
        .spawn(move || {
            for job in rx {
                job();
            }
        })
        .ok()?;
    Some(Helper {
        pid: std::process::id(),
        busy: Arc::new(AtomicBool::new(false)),
        jobs,
    })
}

/// Runs `f` on the helper thread: its result comes through the receiver
/// (which reports a disconnect if `f` panicked). None when the helper is
/// busy or cannot be started: then the caller runs `f` itself.
pub(crate) fn try_run<T, F>(f: F) -> Option<Receiver<T>>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // Never waits: a lock held by another thread (or, in a fork child, by
    // a thread of the parent) means "do it yourself".
    let mut slot = HELPER.try_lock().ok()?;
    if slot.as_ref().is_some_and(|h| h.pid != std::process::id()) {
        // A fork child: the parent's helper does not run here, and its
        // channel may be in any state; leave it alone.
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
    let (tx, rx) = sync_channel(1);
    let busy = Arc::clone(&h.busy);
    let job: Job = Box::new(move || {
        let r = catch_unwind(AssertUnwindSafe(f));
        busy.store(false, Ordering::Release);
        if let Ok(r) = r {
            let _ = tx.send(r);
        }
    });
    if h.jobs.send(job).is_err() {
        // The thread is gone: the next call starts another.
        *slot = None;
        return None;
    }
    Some(rx)
}
