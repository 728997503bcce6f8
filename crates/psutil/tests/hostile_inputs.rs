//! Values no caller should pass, which must still give an answer or an
//! error, never a panic or a call on the wrong process: PIDs beyond
//! `pid_t`, timeouts beyond `Instant`, a fork while other threads list.
//!
//! The one test with a fake `/proc` enters it with `psutil::Roots` on its
//! own thread, so the others run beside it.

mod common;

use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Kid;
use psutil::process::{pid_exists, process_iter_with, wait_procs, Attr, Process};

#[test]
fn pid_exists_never_probes_a_process_group() {
    // A fake /proc where these PIDs "exist": only the kill(2) probe that
    // comes first can rule them out. `as pid_t` would make them -1
    // (every process we may signal) and i32::MIN, which kill(2) accepts,
    // so an unchecked conversion answers true.
    let tree = common::TempTree::new("hostile");
    let dir = &tree.0;
    for pid in [u32::MAX, 1 << 31] {
        let d = dir.join(pid.to_string());
        fs::create_dir_all(&d).unwrap();
        fs::write(
            d.join("status"),
            format!("Name:\tx\nTgid:\t{pid}\nPid:\t{pid}\n"),
        )
        .unwrap();
    }
    let roots = common::fake_roots(Some(dir), None, None);
    assert!(!pid_exists(u32::MAX));
    assert!(!pid_exists(1 << 31));
    drop(roots);
    assert!(pid_exists(std::process::id()));
}

#[test]
fn process_beyond_pid_t_is_not_found() {
    for pid in [u32::MAX, 1 << 31, (1 << 31) + 1] {
        let e = Process::new(pid).unwrap_err();
        assert!(e.is_no_such_process(), "{pid}: {e}");
    }
}

#[test]
fn wait_with_a_timeout_beyond_instant_does_not_panic() {
    // Duration::MAX overflows `Instant + Duration`: such a timeout is as
    // good as none.
    let kid = Kid::spawn(std::process::Command::new("sleep").arg("0.2"));
    let p = Process::new(kid.pid()).unwrap();
    assert_eq!(p.wait(Some(Duration::MAX)).unwrap(), Some(0));

    let kid = Kid::spawn(std::process::Command::new("sleep").arg("0.2"));
    let p = Process::new(kid.pid()).unwrap();
    let (gone, alive) = wait_procs(vec![p], Some(Duration::MAX), |_| {}).unwrap();
    assert_eq!((gone.len(), alive.len()), (1, 0));
}

/// Forks `n` times while other threads run `process_iter(attrs)`; each
/// child lists processes too and exits. A lock held by a listing thread
/// at the fork (the module-wide cache, a process handle, the `/proc` root)
/// must not leave the child blocked: every child must exit within 20 s.
#[test]
fn fork_during_listings_never_blocks_the_child() {
    // Not `Username`: glibc's getpwuid_r is not fork-safe (a child can
    // block on a lock a parent thread held inside it), whoever calls it.
    const ATTRS: &[Attr] = &[Attr::Name, Attr::Status, Attr::Terminal, Attr::Uids];
    let stop = Arc::new(AtomicBool::new(false));
    let listers: Vec<_> = (0..3)
        .map(|_| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _ = process_iter_with(ATTRS);
                }
            })
        })
        .collect();
    let mut stuck = 0;
    for _ in 0..50 {
        // SAFETY: the child only lists processes and `_exit`s.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let ok = process_iter_with(ATTRS).is_ok();
            // SAFETY: leaves without the parent's atexit handlers.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut status = 0;
        loop {
            // SAFETY: our own child, WNOHANG.
            let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if r == pid {
                assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
                break;
            }
            if Instant::now() > deadline {
                stuck += 1;
                // SAFETY: our own child, blocked.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                    libc::waitpid(pid, &mut status, 0);
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in listers {
        t.join().unwrap();
    }
    assert_eq!(stuck, 0, "fork children blocked");
}
