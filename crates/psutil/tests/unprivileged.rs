//! AccessDenied paths: as an unprivileged user, root's processes must
//! answer `AccessDenied`, never an empty or zero value.
//!
//! Run as root (the normal `cargo test`), each test re-runs itself as
//! `nobody` through `setpriv`; `test.sh` also runs this binary as `nobody`
//! directly.

mod common;

use std::process::Command;

use psutil::process::{Attr, Process};
use psutil::Error;

/// Under root, re-runs test `name` of this binary as nobody and returns
/// `true` (the caller stops); otherwise returns `false` (run the body).
fn rerun_as_nobody(name: &str) -> bool {
    if !common::is_root() {
        return false;
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&exe)
        .args(["--exact", name, "--test-threads=1"])
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("setpriv");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if !out.status.success()
        && text.contains("Permission denied")
        && !text.contains("running 1 test")
    {
        // This checkout is not reachable by nobody; test.sh makes it so.
        eprintln!("cannot exec the test binary as nobody here:\n{text}");
        return true;
    }
    assert!(out.status.success(), "as nobody:\n{text}");
    assert!(text.contains("1 passed"), "the test ran as nobody:\n{text}");
    true
}

fn assert_denied<T: std::fmt::Debug>(what: &str, r: psutil::Result<T>) {
    match r {
        Err(Error::AccessDenied { pid, .. }) => assert!(pid.is_some(), "{what}"),
        other => panic!("{what}: expected AccessDenied, got {other:?}"),
    }
}

/// A root-owned process other than ours: our parent (the root test runner
/// or shell) when it is root's, else PID 1.
fn roots_process() -> Process {
    let me = Process::current().unwrap();
    match me.parent().unwrap() {
        Some(p) if p.uids().unwrap().real == 0 => p,
        _ => Process::new(1).unwrap(),
    }
}

#[test]
fn unprivileged_access_denied_on_roots_process() {
    if rerun_as_nobody("unprivileged_access_denied_on_roots_process") {
        return;
    }
    assert_ne!(rustix::process::geteuid().as_raw(), 0);
    let p = roots_process();
    assert_eq!(p.uids().unwrap().real, 0);
    assert_denied("environ", p.environ());
    assert_denied("exe", p.exe());
    assert_denied("cwd", p.cwd());
    assert_denied("open_files", p.open_files());
    assert_denied("num_fds", p.num_fds());
    assert_denied("io_counters", p.io_counters());
    assert_denied("memory_full_info", p.memory_full_info());
    assert_denied("memory_maps", p.memory_maps());
    assert_denied("set_nice", p.set_nice(1));
    assert_denied(
        "send_signal(0)",
        p.send_signal(psutil::process::Signal::from_raw(0).unwrap()),
    );
    assert_denied(
        "set_rlimit",
        p.set_rlimit(psutil::process::Resource::Core, (Some(0), Some(0))),
    );
    // World-readable files still answer.
    assert!(!p.name().unwrap().is_empty());
    assert_eq!(p.username().unwrap(), "root");
    assert!(p.memory_info().unwrap().vms > 0);
    assert!(
        psutil::pid_exists(p.pid()),
        "EPERM from kill(0) still means it exists"
    );

    let info = p.as_dict(Attr::ALL).unwrap();
    for a in [
        Attr::Environ,
        Attr::Exe,
        Attr::Cwd,
        Attr::OpenFiles,
        Attr::NumFds,
        Attr::IoCounters,
    ] {
        assert!(info.denied.contains(&a), "{a:?} not in {:?}", info.denied);
    }
    assert_eq!(info.environ, None);
    assert_eq!(info.exe, None);
    assert_eq!(info.num_fds, None);
    assert!(info.name.is_some() && info.ppid.is_some() && info.status.is_some());
    assert!(!info.denied.contains(&Attr::Name));
}

#[test]
fn unprivileged_own_process_is_fully_readable() {
    if rerun_as_nobody("unprivileged_own_process_is_fully_readable") {
        return;
    }
    let me = Process::current().unwrap();
    assert_eq!(me.username().unwrap(), "nobody");
    let info = me.as_dict(Attr::ALL).unwrap();
    assert!(info.denied.is_empty(), "{:?}", info.denied);
    assert!(info.num_fds.unwrap() >= 3);
    // An unprivileged user may lower but not raise priority.
    me.set_nice(1).unwrap();
    assert_denied("set_nice(-1)", me.set_nice(-1));
}

/// The cgroup API needs no privilege: cgroupfs and `/proc/PID/cgroup` are
/// world-readable, so an unprivileged caller gets the same figures (root's
/// own cgroup included) and the same effective answers.
#[test]
fn unprivileged_cgroup_readable() {
    use psutil::cgroup;
    if rerun_as_nobody("unprivileged_cgroup_readable") {
        return;
    }
    let me = Process::current().unwrap().cgroup().unwrap();
    assert_eq!(me.path(), cgroup::Cgroup::current().unwrap().path());
    let n = cgroup::effective_cpu_count().unwrap();
    assert!(n >= 1 && n <= Process::current().unwrap().cpu_affinity().unwrap().len());
    assert!(cgroup::effective_memory_limit().unwrap() > 0);
    // PID 1's cgroup is readable too (no AccessDenied for /proc/1/cgroup).
    assert!(!cgroup::cgroup_path(1).unwrap().is_empty());
    let root = cgroup::Cgroup::root().unwrap();
    let _ = root.stats();
    assert!(root.children().is_ok());
}
