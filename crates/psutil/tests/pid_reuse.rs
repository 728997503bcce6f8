//! A stale handle must never act on a process that reused its PID.
//!
//! As root, `/proc/sys/kernel/ns_last_pid` makes the next fork take a
//! chosen PID: a child is started, killed and reaped, and a new child is
//! forked onto the same PID. The old handle must then fail with
//! `NoSuchProcess` for every action, and the new process must receive
//! nothing.

mod common;

use std::process::{Child, Command};

use psutil::process::{IoPriorityClass, Process, Resource, Status};
use psutil::GoneReason;

/// Forks `sleep 600` onto `pid`, retrying while other forks race for it.
fn spawn_on_pid(pid: u32) -> Option<Child> {
    for _ in 0..50 {
        if std::fs::write("/proc/sys/kernel/ns_last_pid", (pid - 1).to_string()).is_err() {
            return None;
        }
        let mut c = Command::new("sleep").arg("600").spawn().ok()?;
        if c.id() == pid {
            return Some(c);
        }
        let _ = c.kill();
        let _ = c.wait();
    }
    None
}

#[test]
fn stale_handle_after_pid_reuse_acts_on_nothing() {
    if !common::is_root() || std::fs::metadata("/proc/sys/kernel/ns_last_pid").is_err() {
        eprintln!("skipped: needs root and ns_last_pid");
        return;
    }
    let mut old = Command::new("sleep").arg("600").spawn().unwrap();
    let pid = old.id();
    let stale = Process::new(pid).unwrap();
    assert_eq!(stale.name().unwrap(), "sleep");
    old.kill().unwrap();
    old.wait().unwrap();
    // Identity is (PID, start time in clock ticks): a reuse within the same
    // tick (10 ms) cannot be told apart, as in psutil. A real PID wrap takes
    // far longer; wait a few ticks.
    std::thread::sleep(std::time::Duration::from_millis(50));

    let Some(mut new) = spawn_on_pid(pid) else {
        panic!("could not fork onto PID {pid}");
    };
    common::wait_exec(pid, "sleep");
    let fresh = Process::new(pid).unwrap();
    assert_ne!(fresh, stale, "same PID, different start time");
    assert!(!stale.is_running());

    for (what, r) in [
        ("kill", stale.kill()),
        ("terminate", stale.terminate()),
        ("suspend", stale.suspend()),
        (
            "send_signal",
            stale.send_signal(psutil::process::Signal::SIGUSR1),
        ),
        ("set_nice", stale.set_nice(19)),
        ("set_ionice", stale.set_ionice(IoPriorityClass::Idle, None)),
        (
            "set_rlimit",
            stale.set_rlimit(Resource::Nofile, (Some(5), Some(5))),
        ),
        ("set_cpu_affinity", stale.set_cpu_affinity(&[0])),
        ("ppid", stale.ppid().map(drop)),
        ("children", stale.children(false).map(drop)),
    ] {
        let e = r.expect_err(what);
        assert_eq!(
            e.gone_reason(),
            Some(GoneReason::PidReused),
            "{what}: {e:?}"
        );
    }
    let e = stale.kill().unwrap_err();
    assert_eq!(
        e.psutil_message().to_string(),
        format!("process no longer exists and its PID has been reused (pid={pid}, name='sleep')")
    );

    // The new process got nothing: still sleeping, default settings.
    assert_eq!(new.try_wait().unwrap(), None, "new process was not killed");
    let status = fresh.status().unwrap();
    assert!(
        matches!(status, Status::Sleeping | Status::Running),
        "not stopped by the stale suspend(): {status:?}"
    );
    assert_eq!(fresh.nice().unwrap(), 0);
    assert_ne!(fresh.ionice().unwrap().ioclass, IoPriorityClass::Idle);
    assert_ne!(fresh.rlimit(Resource::Nofile).unwrap(), (Some(5), Some(5)));
    let ncpu = std::thread::available_parallelism().unwrap().get();
    assert_eq!(fresh.cpu_affinity().unwrap().len(), ncpu);
    // The right handle still works.
    fresh.kill().unwrap();
    assert_eq!(fresh.wait(None).unwrap(), Some(-libc::SIGKILL));
    let _ = new.try_wait();
}
