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

/// Forks 50 times while other threads run `process_iter(attrs)`; each
/// child lists processes too and exits. A lock held by a listing thread
/// at the fork (the module-wide cache, a process handle, the `/proc` root,
/// std's lock around thread start and exit, which the listing's helper
/// threads take) must not leave the child blocked.
///
/// A blocked child never exits, so the limit is generous (120 s): under
/// software emulation a child that merely runs slowly must not count. One
/// still running after 20 s has where its threads wait printed, and the
/// failure of a blocked child carries that report.
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
    let mut blocked = Vec::new();
    for _ in 0..50 {
        // SAFETY: the child only lists processes and `_exit`s.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let ok = process_iter_with(ATTRS).is_ok();
            // SAFETY: leaves without the parent's atexit handlers.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        if let Err(report) = wait_for_fork_child(pid) {
            blocked.push(report);
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in listers {
        t.join().unwrap();
    }
    assert!(
        blocked.is_empty(),
        "fork children blocked:\n{}",
        blocked.join("\n")
    );
}

/// Waits for the fork child `pid` to exit with status 0; a report of
/// where it waited when it did not exit within 120 s (it is killed then).
fn wait_for_fork_child(pid: libc::pid_t) -> Result<(), String> {
    let start = Instant::now();
    let mut report = None;
    let mut status = 0;
    loop {
        // SAFETY: our own child, WNOHANG.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            assert!(
                libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
                "fork child {pid}: wait status {status:#x}"
            );
            return Ok(());
        }
        assert_eq!(r, 0, "waitpid({pid}): {}", std::io::Error::last_os_error());
        let waited = start.elapsed();
        if waited > Duration::from_secs(20) && report.is_none() {
            let r = where_blocked(pid);
            eprintln!("fork child still running after {waited:?}: {r}");
            report = Some(r);
        }
        if waited > Duration::from_secs(120) {
            // SAFETY: our own child, blocked.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return Err(report.unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Where each thread of a blocked child is: its state, wait channel,
/// system call and kernel stack (the last two need root), so that a
/// failure says which lock it waits on.
fn where_blocked(pid: libc::pid_t) -> String {
    let mut out = format!("child {pid}:");
    let tasks = fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten();
    for task in tasks.flatten() {
        let dir = task.path();
        let read = |f: &str| fs::read_to_string(dir.join(f)).unwrap_or_else(|e| format!("({e})"));
        let state = common::stat_fields(dir.join("stat"))
            .and_then(|f| f.first().cloned())
            .unwrap_or_else(|| "?".to_owned());
        let syscall = read("syscall");
        out += &format!(
            "\n  task {} state {state} wchan {} syscall {}\n{}",
            task.file_name().to_string_lossy(),
            read("wchan"),
            syscall.trim(),
            read("stack").trim_end(),
        );
        // A futex wait (202 on x86_64): the mapping of the lock word, to
        // tell a static lock of the binary or a library from one on the
        // heap or a thread's stack (a join).
        let mut fields = syscall.split_whitespace();
        if fields.next() == Some("202") {
            let addr = fields
                .next()
                .and_then(|a| u64::from_str_radix(a.trim_start_matches("0x"), 16).ok());
            if let Some(addr) = addr {
                out += &format!("\n  futex {addr:#x} in: {}", mapping_of(pid, addr));
            }
        }
    }
    out
}

/// The line of `/proc/PID/maps` whose range holds `addr`.
fn mapping_of(pid: libc::pid_t, addr: u64) -> String {
    let maps = fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    maps.lines()
        .find(|l| {
            let range = l.split(' ').next().unwrap_or("");
            let (lo, hi) = range.split_once('-').unwrap_or(("", ""));
            let parse = |s: &str| u64::from_str_radix(s, 16).unwrap_or(0);
            (parse(lo)..parse(hi)).contains(&addr)
        })
        .unwrap_or("(unmapped)")
        .to_owned()
}
