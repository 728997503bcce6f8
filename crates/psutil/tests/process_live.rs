//! Live tests: real children with known properties, exact values.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{is_root, state, tempdir, wait_asleep, wait_exec, wait_until, Kid};
use psutil::process::{
    pid_exists, pids, process_iter, process_iter_with, wait_procs, Attr, IoPriorityClass,
    MemoryType, Popen, Process, Resource, Status,
};
use psutil::{Error, GoneReason};

fn proc_of(kid: &Kid) -> Process {
    Process::new(kid.pid()).expect("child exists")
}

fn page_size() -> u64 {
    rustix::param::page_size() as u64
}

/// Suspends `p` and waits until the kernel shows it stopped.
fn stop(p: &Process) {
    p.suspend().unwrap();
    assert!(wait_until(|| p.status().unwrap() == Status::Stopped));
}

#[test]
fn identity_name_cmdline_exe_cwd_environ() {
    let dir = tempdir("ident");
    let kid = Kid::spawn(
        Command::new("/bin/sleep")
            .arg("600")
            .current_dir(&dir)
            .env_clear()
            .env("FOO", "bar baz")
            .env("EMPTY", ""),
    );
    wait_exec(kid.pid(), "sleep");
    let p = proc_of(&kid);
    assert_eq!(p.pid(), kid.pid());
    assert_eq!(p.name().unwrap(), "sleep");
    assert_eq!(p.cmdline().unwrap(), vec!["/bin/sleep", "600"]);
    let real = std::fs::canonicalize("/bin/sleep").unwrap();
    assert_eq!(p.exe().unwrap(), Some(real));
    assert_eq!(p.cwd().unwrap(), Some(dir.canonicalize().unwrap()));
    let env: BTreeMap<String, String> = [("EMPTY", ""), ("FOO", "bar baz")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(p.environ().unwrap(), env);
    assert_eq!(p.ppid().unwrap(), std::process::id());
    // Just after exec the child may still be running on its way to sleep.
    assert!(wait_until(|| p.status().unwrap() == Status::Sleeping));
    assert!(p.is_running());
    let age = psutil::boot_time().unwrap() + p.start_ticks() as f64 / 100.0;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let ct = p.create_time().unwrap();
    assert!((ct - now).abs() < 5.0, "create_time {ct} vs now {now}");
    assert!((ct - age).abs() < 0.02);
    assert_eq!(
        p.username().unwrap(),
        psutil::process::Process::current()
            .unwrap()
            .username()
            .unwrap()
    );
    // The child inherits our controlling terminal (or the lack of one).
    let ours = Process::current().unwrap().terminal().unwrap();
    assert_eq!(p.terminal().unwrap(), ours);
    assert_eq!(p.num_threads().unwrap(), 1);
    assert_eq!(p.threads().unwrap().len(), 1);
    assert_eq!(p.threads().unwrap()[0].id, kid.pid());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deleted_cwd_loses_the_suffix_as_in_psutil() {
    let dir = tempdir("gonecwd");
    let kid = Kid::spawn(Command::new("sleep").arg("600").current_dir(&dir));
    wait_exec(kid.pid(), "sleep");
    std::fs::remove_dir(&dir).unwrap();
    let p = proc_of(&kid);
    assert_eq!(p.cwd().unwrap().as_deref(), Some(dir.as_path()));
}

#[test]
fn long_name_is_expanded_from_cmdline() {
    let dir = tempdir("longname");
    let exe = dir.join("a-very-long-process-name-for-psutil");
    std::fs::copy("/bin/sleep", &exe).unwrap();
    let kid = Kid::spawn(Command::new(&exe).arg("600"));
    wait_exec(kid.pid(), "a-very-long-pro");
    let p = proc_of(&kid);
    assert_eq!(p.name().unwrap(), "a-very-long-process-name-for-psutil");
    assert_eq!(p.exe().unwrap().as_deref(), Some(exe.as_path()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn odd_cmdline_spaces_empty_and_non_utf8() {
    let kid = Kid::spawn(
        Command::new("sh")
            .arg("-c")
            .arg("sleep 600; :")
            .arg("zero")
            .arg("a b")
            .arg("")
            .arg(OsStr::from_bytes(b"caf\xe9")),
    );
    let p = proc_of(&kid);
    // Once `sh` has forked its `sleep`, its arguments are laid out, and the
    // `sleep` can be killed below (it would outlive the killed shell).
    assert!(wait_until(|| p.children(false).is_ok_and(|c| c
        .iter()
        .any(|c| c.name().is_ok_and(|n| n == "sleep")))));
    let raw = p.cmdline_os().unwrap();
    let want: Vec<&[u8]> = vec![
        b"sh",
        b"-c",
        b"sleep 600; :",
        b"zero",
        b"a b",
        b"",
        b"caf\xe9",
    ];
    let raw: Vec<&[u8]> = raw.iter().map(|a| a.as_bytes()).collect();
    assert_eq!(raw, want);
    assert_eq!(p.cmdline().unwrap()[6], "caf\u{fffd}");
    for c in p.children(true).unwrap() {
        let _ = c.kill();
    }
}

#[test]
fn nice_set_and_get() {
    let kid = Kid::sleep();
    let p = proc_of(&kid);
    assert_eq!(p.nice().unwrap(), 0);
    p.set_nice(10).unwrap();
    assert_eq!(p.nice().unwrap(), 10);
    if is_root() {
        p.set_nice(-5).unwrap();
        assert_eq!(p.nice().unwrap(), -5);
    }
}

#[test]
fn ionice_set_get_and_argument_errors() {
    let kid = Kid::sleep();
    let p = proc_of(&kid);
    p.set_ionice(IoPriorityClass::BestEffort, Some(7)).unwrap();
    let n = p.ionice().unwrap();
    assert_eq!((n.ioclass, n.value), (IoPriorityClass::BestEffort, 7));
    p.set_ionice(IoPriorityClass::BestEffort, None).unwrap();
    assert_eq!(p.ionice().unwrap().value, 4);
    p.set_ionice(IoPriorityClass::Idle, None).unwrap();
    let n = p.ionice().unwrap();
    assert_eq!((n.ioclass, n.value), (IoPriorityClass::Idle, 0));
    if is_root() {
        p.set_ionice(IoPriorityClass::Realtime, Some(2)).unwrap();
        let n = p.ionice().unwrap();
        assert_eq!((n.ioclass, n.value), (IoPriorityClass::Realtime, 2));
    }
    for (class, value) in [
        (IoPriorityClass::Idle, Some(3)),
        (IoPriorityClass::None, Some(1)),
        (IoPriorityClass::BestEffort, Some(8)),
        (IoPriorityClass::Realtime, Some(-1)),
    ] {
        let e = p.set_ionice(class, value).unwrap_err();
        assert!(
            matches!(e, Error::InvalidArgument(_)),
            "{class:?} {value:?}: {e}"
        );
    }
}

#[test]
fn rlimit_every_resource_and_set() {
    let kid = Kid::sleep();
    let p = proc_of(&kid);
    for &r in Resource::ALL {
        let (soft, hard) = p.rlimit(r).unwrap();
        if let (Some(s), Some(h)) = (soft, hard) {
            assert!(s <= h, "{}: {s} > {h}", r.as_str());
        }
    }
    p.set_rlimit(Resource::Nofile, (Some(100), Some(200)))
        .unwrap();
    assert_eq!(p.rlimit(Resource::Nofile).unwrap(), (Some(100), Some(200)));
    p.set_rlimit(Resource::Core, (Some(4096), None)).unwrap();
    assert_eq!(p.rlimit(Resource::Core).unwrap(), (Some(4096), None));
    let e = p
        .set_rlimit(Resource::Nofile, (Some(300), Some(200)))
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)), "{e}");
    assert_eq!(p.rlimit(Resource::Nofile).unwrap(), (Some(100), Some(200)));
}

#[test]
fn cpu_affinity_set_get_all_and_invalid() {
    let kid = Kid::sleep();
    let p = proc_of(&kid);
    let ncpu = std::thread::available_parallelism().unwrap().get() as u32;
    let all: Vec<u32> = (0..ncpu).collect();
    assert_eq!(p.cpu_affinity().unwrap(), all);
    p.set_cpu_affinity(&[0]).unwrap();
    assert_eq!(p.cpu_affinity().unwrap(), vec![0]);
    p.set_cpu_affinity(&[]).unwrap();
    assert_eq!(p.cpu_affinity().unwrap(), all);
    let e = p.set_cpu_affinity(&[9999]).unwrap_err();
    assert!(
        e.psutil_message()
            .to_string()
            .starts_with("invalid CPU 9999; choose between"),
        "{e}"
    );
    assert!(p.cpu_num().unwrap() < ncpu);
}

#[test]
fn suspend_resume_and_status() {
    let kid = Kid::sleep();
    let p = proc_of(&kid);
    stop(&p);
    p.resume().unwrap();
    assert!(wait_until(|| p.status().unwrap() == Status::Sleeping));
}

#[test]
fn proc_stat_agrees_with_the_psutil_getters() {
    // A stopped child: nothing it has moves between the reads.
    let kid = Kid::sleep();
    let p = proc_of(&kid);
    stop(&p);
    let st = p.proc_stat().unwrap();
    let mem = p.memory_info().unwrap();
    assert_eq!(st.pid, kid.pid());
    assert_eq!(st.ppid, std::process::id());
    assert_eq!(st.comm, b"sleep");
    assert_eq!(st.status, Status::Stopped);
    assert_eq!(st.num_threads, p.num_threads().unwrap());
    assert_eq!(st.start_ticks, p.start_ticks());
    // The same size. RSS is not `statm`'s: `stat` reads the per-CPU
    // counters without summing them (a young process can show 0), so it is
    // checked against the file's own field 24, in pages, which a stopped
    // process does not move.
    assert_eq!(st.vms, Some(mem.vms));
    let stat = common::stat_fields(format!("/proc/{}/stat", kid.pid())).unwrap();
    let stat_rss_pages: u64 = stat[24 - 3].parse().unwrap();
    assert_eq!(st.rss, Some(stat_rss_pages * page_size()));
    let times = p.cpu_times().unwrap();
    let ticks = psutil::clock_ticks() as f64;
    assert_eq!(st.user_ticks as f64 / ticks, times.user);
    // In a batch it is the batch's read.
    let _batch = p.oneshot();
    assert_eq!(p.proc_stat().unwrap(), p.proc_stat().unwrap());
    p.resume().unwrap();
}

#[test]
fn zombie_process() {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    assert!(wait_until(|| state(pid) == Some('Z')));
    let p = Process::new(pid).unwrap();
    assert_eq!(p.status().unwrap(), Status::Zombie);
    assert!(p.is_running());
    assert!(pid_exists(pid));
    assert_eq!(p.ppid().unwrap(), std::process::id());
    assert_eq!(p.name().unwrap(), "true");
    for (what, e) in [
        ("cmdline", p.cmdline().map(drop).unwrap_err()),
        ("exe", p.exe().map(drop).unwrap_err()),
        ("cwd", p.cwd().map(drop).unwrap_err()),
        ("environ", p.environ().map(drop).unwrap_err()),
        ("memory_maps", p.memory_maps().map(drop).unwrap_err()),
    ] {
        assert!(e.is_zombie(), "{what}: {e:?}");
        assert!(e.is_no_such_process());
        assert!(e.to_string().contains("zombie"), "{what}: {e}");
    }
    let m = p.memory_info().unwrap();
    assert_eq!((m.rss, m.vms), (0, 0));
    assert_eq!(p.num_fds().unwrap(), 0);
    assert!(p.open_files().unwrap().is_empty());
    p.send_signal(psutil::process::Signal::SIGTERM).unwrap();
    let info = p
        .as_dict(&[Attr::Name, Attr::Cmdline, Attr::Status])
        .unwrap();
    assert_eq!(info.name.as_deref(), Some(OsStr::new("true")));
    assert_eq!(info.cmdline, None);
    assert_eq!(info.denied, vec![Attr::Cmdline]);
    assert_eq!(info.status, Some(Status::Zombie));
    assert_eq!(p.wait(None).unwrap(), Some(0));
    assert!(!p.is_running());
    drop(child.try_wait());
}

#[test]
fn vanished_process_is_no_such_process() {
    let mut child = Command::new("sleep").arg("600").spawn().unwrap();
    // The error message names the process as first read: after exec.
    wait_exec(child.id(), "sleep");
    let p = Process::new(child.id()).unwrap();
    p.name().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!p.is_running());
    for e in [
        p.name().map(drop).unwrap_err(),
        p.memory_info().map(drop).unwrap_err(),
        p.status().map(drop).unwrap_err(),
        p.send_signal(psutil::process::Signal::SIGTERM).unwrap_err(),
        p.set_nice(3).unwrap_err(),
        p.cmdline().map(drop).unwrap_err(),
    ] {
        assert_eq!(e.gone_reason(), Some(GoneReason::Exited), "{e:?}");
    }
    let e = p.send_signal(psutil::process::Signal::SIGTERM).unwrap_err();
    assert_eq!(e.gone_reason(), Some(GoneReason::Exited));
    assert_eq!(
        e.psutil_message().to_string(),
        format!(
            "process no longer exists (pid={}, name='sleep')",
            child.id()
        )
    );
    assert_eq!(
        e.to_string(),
        format!(
            "no such process (pid={}, name='sleep'): process no longer exists",
            child.id()
        )
    );
    // psutil's children() makes a new Process(pid): "not found", unnamed.
    match p.children(false) {
        Err(Error::NoSuchProcess { reason, name, .. }) => {
            assert_eq!((reason, name), (GoneReason::NotFound, None))
        }
        other => panic!("{other:?}"),
    }
    // The PID is free now: a new handle finds nothing there.
    let e = Process::new(child.id()).unwrap_err();
    assert_eq!(e.gone_reason(), Some(GoneReason::NotFound));
    assert_eq!(p.wait(None).unwrap(), None);
}

#[test]
fn new_rejects_missing_pids() {
    for pid in [0, u32::MAX, 4_000_000] {
        match Process::new(pid) {
            Err(Error::NoSuchProcess { reason, .. }) => assert_eq!(reason, GoneReason::NotFound),
            other => panic!("{pid}: {other:?}"),
        }
        match Process::new_with_info(pid, &[Attr::Name]) {
            Err(Error::NoSuchProcess { reason, .. }) => assert_eq!(reason, GoneReason::NotFound),
            other => panic!("{pid}: {other:?}"),
        }
    }
}

/// `new_with_info` is `Process::new` plus `as_dict` in one batch: the same
/// handle identity, the same values, and the batch closed afterwards.
#[test]
fn new_with_info_equals_new_then_as_dict() {
    let kid = Kid::spawn(Command::new("sleep").args(["600", "1"]));
    wait_exec(kid.pid(), "sleep");
    // A child that just exec'd can still be running; the two reads below
    // must see the same status.
    assert!(wait_until(|| matches!(
        proc_of(&kid).status(),
        Ok(Status::Sleeping)
    )));
    let attrs = [
        Attr::Name,
        Attr::Cmdline,
        Attr::Ppid,
        Attr::Status,
        Attr::CreateTime,
        Attr::Uids,
        Attr::Nice,
    ];
    let (p, info) = Process::new_with_info(kid.pid(), &attrs).unwrap();
    let q = proc_of(&kid);
    assert_eq!(p, q);
    let again = q.as_dict(&attrs).unwrap();
    assert_eq!(info.name, again.name);
    assert_eq!(
        info.cmdline,
        Some(vec!["sleep".into(), "600".into(), "1".into()])
    );
    assert_eq!(info.cmdline, again.cmdline);
    assert_eq!((info.ppid, info.status), (again.ppid, again.status));
    assert_eq!(info.create_time, again.create_time);
    assert_eq!((info.uids, info.nice), (again.uids, again.nice));
    assert_eq!(info.requested, attrs.to_vec());
    // Outside the batch again: a later read sees the live process.
    p.suspend().unwrap();
    assert!(wait_until(|| matches!(p.status(), Ok(Status::Stopped))));
    p.resume().unwrap();
}

#[test]
fn wait_exit_codes_signals_timeouts() {
    let p = Popen::new(Command::new("sh").args(["-c", "exit 7"])).unwrap();
    assert_eq!(p.wait(None).unwrap(), Some(7));
    assert_eq!(p.wait(None).unwrap(), Some(7), "cached");

    let kid = Kid::sleep();
    let p = proc_of(&kid);
    let t0 = Instant::now();
    match p.wait(Some(Duration::from_millis(200))) {
        Err(Error::TimeoutExpired { seconds, pid, .. }) => {
            assert_eq!(pid, Some(kid.pid()));
            assert!((seconds - 0.2).abs() < 1e-9);
        }
        other => panic!("{other:?}"),
    }
    assert!(t0.elapsed() >= Duration::from_millis(190));
    assert!(matches!(
        p.wait(Some(Duration::ZERO)),
        Err(Error::TimeoutExpired { .. })
    ));
    p.terminate().unwrap();
    assert_eq!(
        p.wait(Some(Duration::from_secs(5))).unwrap(),
        Some(-libc::SIGTERM)
    );

    let kid = Kid::sleep();
    let p = proc_of(&kid);
    p.send_signal(psutil::process::Signal::SIGUSR1).unwrap();
    assert_eq!(p.wait(None).unwrap(), Some(-libc::SIGUSR1));
    p.kill().unwrap_err();
}

#[test]
fn wait_non_child_returns_none_after_exit() {
    // The shell backgrounds a sleep, prints its pid and exits: the sleep is
    // re-parented, so it is not our child.
    let out = Command::new("sh")
        .args(["-c", "sleep 0.4 >/dev/null 2>&1 & echo $!"])
        .output()
        .unwrap();
    let pid: u32 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let p = Process::new(pid).unwrap();
    assert_ne!(p.ppid().unwrap(), std::process::id());
    let t0 = Instant::now();
    assert_eq!(p.wait(Some(Duration::from_secs(10))).unwrap(), None);
    assert!(t0.elapsed() >= Duration::from_millis(200));
}

#[test]
fn wait_procs_gone_and_alive() {
    let kids: Vec<Kid> = (0..3).map(|_| Kid::sleep()).collect();
    let procs: Vec<Process> = kids.iter().map(proc_of).collect();
    procs[0].terminate().unwrap();
    procs[1].kill().unwrap();
    let mut seen = Vec::new();
    let (gone, alive) = wait_procs(procs, Some(Duration::from_millis(500)), |g| {
        seen.push(g.process.pid())
    })
    .unwrap();
    let mut codes: Vec<(u32, Option<i32>)> = gone
        .iter()
        .map(|g| (g.process.pid(), g.returncode))
        .collect();
    codes.sort();
    let mut want = vec![
        (kids[0].pid(), Some(-libc::SIGTERM)),
        (kids[1].pid(), Some(-libc::SIGKILL)),
    ];
    want.sort();
    assert_eq!(codes, want);
    assert_eq!(alive.len(), 1);
    assert_eq!(alive[0].pid(), kids[2].pid());
    seen.sort();
    assert_eq!(seen, want.iter().map(|w| w.0).collect::<Vec<_>>());
}

#[test]
fn cpu_times_and_percent_of_a_busy_child() {
    let kid = Kid::spawn(Command::new("sh").args(["-c", "while :; do :; done"]));
    let p = proc_of(&kid);
    // The child's CPU seconds straight from its stat line, to compare with:
    // on a loaded machine it may get far less than a whole CPU, so the
    // test checks the measurement, not the scheduler.
    let hz = rustix::param::clock_ticks_per_second() as f64;
    let used = || -> f64 {
        let f = common::stat_fields(format!("/proc/{}/stat", kid.pid())).unwrap();
        (f[14 - 3].parse::<f64>().unwrap() + f[15 - 3].parse::<f64>().unwrap()) / hz
    };
    assert_eq!(p.cpu_percent(None).unwrap(), 0.0, "first call");
    let (w0, c0) = (Instant::now(), used());
    let pct = p.cpu_percent(Some(Duration::from_millis(500))).unwrap();
    let (w1, c1) = (Instant::now(), used());
    let want = (c1 - c0) / (w1 - w0).as_secs_f64() * 100.0;
    assert!(pct > 0.0 && pct <= 110.0, "busy child at {pct}%");
    assert!(
        (pct - want).abs() <= 20.0,
        "cpu_percent {pct}%, stat says {want:.1}%"
    );
    std::thread::sleep(Duration::from_millis(300));
    let (w2, c2) = (Instant::now(), used());
    let pct = p.cpu_percent(None).unwrap();
    let since = (c2 - c1) / (w2 - w1).as_secs_f64() * 100.0;
    assert!(pct > 0.0, "since last call: {pct}%");
    assert!(
        (pct - since).abs() <= 25.0,
        "since last call: {pct}%, stat says {since:.1}%"
    );
    let t = p.cpu_times().unwrap();
    assert!(t.user + t.system >= c2 - 0.011, "{t:?} after {c2} s");
    assert!(t.children_user >= 0.0 && t.iowait >= 0.0);
}

#[test]
fn memory_of_self() {
    let me = Process::current().unwrap();
    let block = vec![1u8; 64 << 20];
    let m = me.memory_info().unwrap();
    assert!(m.rss >= 64 << 20, "{m:?}");
    assert!(m.vms >= m.rss);
    let f = me.memory_full_info().unwrap();
    assert!(f.uss >= 64 << 20 && f.pss >= f.uss / 2, "{f:?}");
    let pct = me.memory_percent(MemoryType::Rss).unwrap();
    assert!(pct > 0.0 && pct < 100.0);
    assert!(me.memory_percent(MemoryType::Uss).unwrap() > 0.0);
    let e = "foo".parse::<MemoryType>().unwrap_err();
    assert!(
        e.psutil_message()
            .to_string()
            .starts_with("invalid memtype 'foo'; valid types are ('rss', "),
        "{e}"
    );
    let maps = me.memory_maps().unwrap();
    let exe = me.exe().unwrap().unwrap();
    assert!(maps.iter().any(|m| m.path == exe), "own exe mapped");
    assert!(maps
        .iter()
        .any(|m| m.path == Path::new("[heap]") || m.path == Path::new("[anon]")));
    let flat = me.memory_maps_ungrouped().unwrap();
    assert!(flat.len() >= maps.len());
    assert!(flat
        .iter()
        .all(|m| m.addr.contains('-') && m.perms.len() == 4));
    drop(block);
}

#[test]
fn open_files_with_modes_and_positions() {
    let dir = tempdir("files");
    std::fs::write(dir.join("in"), b"0123456789").unwrap();
    std::fs::write(dir.join("app"), b"abc").unwrap();
    let script = "exec 3<in; read -n 4 x <&3 2>/dev/null || dd bs=4 count=1 <&3 >/dev/null 2>&1; exec 4>>app; exec 5<>rw; exec 6>w; sleep 600";
    let kid = Kid::spawn(Command::new("bash").args(["-c", script]).current_dir(&dir));
    wait_exec(kid.pid(), "sleep");
    // bash forks sleep; the files belong to the bash parent.
    let sh = proc_of(&kid);
    let files = sh.open_files().unwrap();
    let by_fd = |fd: i32| files.iter().find(|f| f.fd == fd).cloned();
    let canon = dir.canonicalize().unwrap();
    let f3 = by_fd(3).expect("fd 3");
    assert_eq!(f3.path, canon.join("in"));
    assert_eq!(f3.mode, "r");
    assert!(f3.position > 0, "{f3:?}");
    let f4 = by_fd(4).expect("fd 4");
    assert_eq!(
        (f4.mode.as_str(), f4.flags & libc::O_APPEND != 0),
        ("a", true)
    );
    assert_eq!(by_fd(5).unwrap().mode, "r+");
    assert_eq!(by_fd(6).unwrap().mode, "w");
    assert!(files.iter().all(|f| f.path.is_absolute()));
    assert!(sh.num_fds().unwrap() >= 7);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn threads_fds_io_of_self() {
    let me = Process::current().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let (tid_tx, tid_rx) = std::sync::mpsc::channel::<u32>();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            let tid_tx = tid_tx.clone();
            std::thread::spawn(move || {
                tid_tx
                    .send(rustix::thread::gettid().as_raw_nonzero().get() as u32)
                    .unwrap();
                let _ = rx.lock().unwrap().recv_timeout(Duration::from_secs(10));
            })
        })
        .collect();
    // Our three threads by id: counts alone would race with the threads
    // of tests running alongside (they come and go).
    let ours: Vec<u32> = (0..3).map(|_| tid_rx.recv().unwrap()).collect();
    let threads = me.threads().unwrap();
    for tid in &ours {
        assert!(threads.iter().any(|t| t.id == *tid), "thread {tid} listed");
    }
    assert!(me.num_threads().unwrap() >= 4);
    assert!(threads.iter().any(|t| t.id == std::process::id()));
    drop(tx);
    for h in handles {
        h.join().unwrap();
    }

    let io0 = me.io_counters().unwrap();
    let data = std::fs::read("/proc/self/stat").unwrap();
    let io1 = me.io_counters().unwrap();
    assert!(io1.read_chars >= io0.read_chars + data.len() as u64);
    assert!(io1.read_count > io0.read_count);

    let c = me.num_ctx_switches().unwrap();
    assert!(c.voluntary + c.involuntary > 0);
}

/// `num_fds` of a quiet child against the same child with five more files.
/// The test process itself is no subject: tests on other threads open and
/// close files while it counts (a 6.12 VM run caught exactly that). No shell
/// either: busybox's keeps a private copy of a redirected descriptor. Both
/// are counted once asleep, as the loader briefly holds library files open.
#[test]
fn num_fds_counts_each_open_descriptor() {
    use std::os::unix::process::CommandExt;
    let plain = Kid::sleep();
    let mut cmd = Command::new("sleep");
    cmd.arg("600");
    // SAFETY: between fork and exec the closure calls only open, dup2 and
    // close, which are async-signal-safe, and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            let fd = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            for target in 100..105 {
                if libc::dup2(fd, target) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            libc::close(fd);
            Ok(())
        });
    }
    let more = Kid::spawn(&mut cmd);
    wait_asleep(plain.pid());
    wait_asleep(more.pid());
    let listed = |pid: u32| {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .count()
    };
    let (n_plain, n_more) = (
        proc_of(&plain).num_fds().unwrap(),
        proc_of(&more).num_fds().unwrap(),
    );
    assert_eq!(n_plain as usize, listed(plain.pid()));
    assert_eq!(n_more as usize, listed(more.pid()));
    assert!(n_plain >= 3, "stdin, stdout and stderr: {n_plain}");
    assert_eq!(n_more, n_plain + 5);
}

#[test]
fn parent_children_parents() {
    let kid = Kid::spawn(Command::new("sh").args(["-c", "sleep 600 & wait"]));
    let sh = proc_of(&kid);
    assert!(wait_until(|| sh
        .children(false)
        .is_ok_and(|c| c.len() == 1)));
    let grandchild = sh.children(false).unwrap().remove(0);
    // The forked shell may not have exec'd sleep yet.
    assert!(wait_until(|| grandchild.name().is_ok_and(|n| n == "sleep")));
    let me = Process::current().unwrap();
    let direct: Vec<u32> = me
        .children(false)
        .unwrap()
        .iter()
        .map(|p| p.pid())
        .collect();
    assert!(direct.contains(&kid.pid()));
    assert!(!direct.contains(&grandchild.pid()));
    let all: Vec<u32> = me.children(true).unwrap().iter().map(|p| p.pid()).collect();
    assert!(all.contains(&kid.pid()) && all.contains(&grandchild.pid()));
    assert_eq!(grandchild.parent().unwrap().unwrap(), sh);
    let chain = grandchild.parents().unwrap();
    assert_eq!(chain[0], sh);
    assert_eq!(chain[1], me);
    assert_eq!(chain.last().unwrap().pid(), 1);
    assert!(Process::new(1).unwrap().parent().unwrap().is_none());
    let _ = grandchild.kill();
}

#[test]
fn uids_gids_username_of_another_user() {
    if !is_root() {
        eprintln!("skipped: needs root to start a process as nobody");
        return;
    }
    let kid = Kid::spawn(Command::new("setpriv").args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "sleep",
        "600",
    ]));
    wait_exec(kid.pid(), "sleep");
    let p = proc_of(&kid);
    let u = p.uids().unwrap();
    assert_eq!((u.real, u.effective, u.saved), (65534, 65534, 65534));
    assert_eq!(p.gids().unwrap().real, 65534);
    assert_eq!(p.username().unwrap(), "nobody");
    let me = Process::current().unwrap();
    assert_eq!(me.uids().unwrap().real, 0);
    assert_eq!(me.username().unwrap(), "root");
}

/// `uids()`/`gids()` come from `PIDFD_GET_INFO` where the kernel has it:
/// they must equal `status`'s lines, for every process and for one whose
/// real, effective and saved ids all differ.
#[test]
fn uids_and_gids_equal_status_lines() {
    fn triple(status: &str, key: &str) -> Option<[u32; 3]> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let v: Vec<u32> = line[key.len()..]
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        Some([v[0], v[1], v[2]])
    }
    let odd = is_root().then(|| {
        Kid::spawn(Command::new("setpriv").args([
            "--ruid=65534",
            "--euid=1000",
            "--rgid=65533",
            "--egid=1001",
            "--clear-groups",
            "sleep",
            "600",
        ]))
    });
    if let Some(kid) = &odd {
        wait_exec(kid.pid(), "sleep");
    }
    // (ours, status's) for one process; `None` once it is gone.
    let read = |pid: u32| {
        let p = Process::new(pid).ok()?;
        let (u, g) = (p.uids().ok()?, p.gids().ok()?);
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let ours = (
            Some([u.real, u.effective, u.saved]),
            Some([g.real, g.effective, g.saved]),
        );
        Some((ours, (triple(&status, "Uid:"), triple(&status, "Gid:"))))
    };
    let mut compared = 0;
    for pid in pids().unwrap() {
        // A process of another test may be switching users (setpriv)
        // between the two reads: a difference must persist to count.
        let mut last = None;
        for _ in 0..3 {
            last = read(pid);
            if last.as_ref().is_none_or(|(ours, theirs)| ours == theirs) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Some((ours, theirs)) = last {
            assert_eq!(ours, theirs, "pid {pid}");
            compared += 1;
        }
    }
    assert!(compared > 3, "only {compared} processes compared");
    if let Some(kid) = odd {
        let u = proc_of(&kid).uids().unwrap();
        assert_eq!((u.real, u.effective, u.saved), (65534, 1000, 1000));
        let g = proc_of(&kid).gids().unwrap();
        assert_eq!((g.real, g.effective, g.saved), (65533, 1001, 1001));
    }
}

#[test]
fn kernel_thread_is_alive_with_empty_values() {
    let Ok(k) = Process::new(2) else { return };
    if k.name().unwrap() != "kthreadd" {
        return; // in a PID namespace
    }
    assert!(k.cmdline().unwrap().is_empty());
    assert!(k.environ().unwrap().is_empty(), "psutil 7.2.2 raises here");
    assert_eq!(k.exe().unwrap(), None);
    let info = k.as_dict(Attr::ALL).unwrap();
    assert_eq!(info.environ, Some(BTreeMap::new()));
}

#[test]
fn pids_and_pid_exists() {
    let p = pids().unwrap();
    assert!(p.windows(2).all(|w| w[0] < w[1]), "sorted");
    assert!(p.contains(&std::process::id()));
    assert!(pid_exists(std::process::id()));
    assert!(!pid_exists(0));
    assert!(!pid_exists(u32::MAX));
    let (tx, rx) = std::sync::mpsc::channel();
    let h = std::thread::spawn(move || {
        tx.send(rustix::thread::gettid().as_raw_nonzero().get() as u32)
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
    });
    let live_tid = rx.recv().unwrap();
    assert!(!pid_exists(live_tid), "a thread id is not a process");
    h.join().unwrap();
}

#[test]
fn process_iter_keeps_handles_and_reads_attrs() {
    let kid = Kid::sleep();
    wait_exec(kid.pid(), "sleep");
    let first = process_iter_with(&[Attr::Name, Attr::Ppid, Attr::Cmdline]).unwrap();
    assert!(first
        .windows(2)
        .all(|w| w[0].process.pid() < w[1].process.pid()));
    let e = first
        .iter()
        .find(|e| e.process.pid() == kid.pid())
        .expect("child listed");
    let info = &e.info;
    assert_eq!(info.name.as_deref(), Some(OsStr::new("sleep")));
    assert_eq!(info.ppid, Some(std::process::id()));
    assert_eq!(
        info.cmdline.as_deref(),
        Some(&["sleep".into(), "600".into()][..])
    );
    assert_eq!(info.requested, vec![Attr::Name, Attr::Ppid, Attr::Cmdline]);
    let second = process_iter().unwrap();
    assert!(second.iter().any(|p| p.pid() == kid.pid()));
    // Other tests may clear or refill the shared cache concurrently, so the
    // handle identity is checked on a private iterator.
    let mut it = psutil::process::ProcessIter::new();
    let a = it.iter().unwrap();
    let b = it.iter().unwrap();
    let find =
        |v: &[std::sync::Arc<Process>]| v.iter().find(|p| p.pid() == kid.pid()).unwrap().clone();
    assert!(std::sync::Arc::ptr_eq(&find(&a), &find(&b)));
    it.cache_clear();
    let c = it.iter().unwrap();
    assert!(!std::sync::Arc::ptr_eq(&find(&a), &find(&c)));
}

#[test]
fn oneshot_gives_the_same_values() {
    let me = Process::current().unwrap();
    let outside = (me.name().unwrap(), me.ppid().unwrap(), me.uids().unwrap());
    {
        let _g = me.oneshot();
        let _inner = me.oneshot();
        assert_eq!(
            (me.name().unwrap(), me.ppid().unwrap(), me.uids().unwrap()),
            outside
        );
    }
    let all = me.as_dict(Attr::ALL).unwrap();
    assert!(
        all.denied.is_empty() || !is_root(),
        "root is denied nothing: {:?}",
        all.denied
    );
    assert_eq!(all.name.as_deref(), Some(OsStr::new(&outside.0)));
    assert_eq!(all.requested.len(), Attr::ALL.len());
    assert!("bogus".parse::<Attr>().is_err());
    assert_eq!("num_fds".parse::<Attr>().unwrap(), Attr::NumFds);
}

/// Inside oneshot, `memory_info` after `uids` (which read `status`) still
/// reads `statm`, as psutil does: the same numbers as outside a batch, for
/// a dynamic binary, a zombie and a kernel thread, on kernels where
/// `status` and `statm` count RSS differently too.
#[test]
fn memory_info_in_a_batch_that_read_status_is_statm() {
    let sleeper = Command::new("sleep").arg("60").spawn().unwrap();
    let mut dead = Command::new("true").spawn().unwrap();
    assert!(wait_until(|| state(dead.id()) == Some('Z')));
    assert!(wait_until(
        || matches!(Process::new(sleeper.id()).and_then(|p| p.name()), Ok(n) if n == "sleep")
    ));
    // Stopped, so that its memory cannot move between the two reads (a
    // `sleep` just past exec may still be mapping its libraries).
    stop(&Process::new(sleeper.id()).unwrap());
    for pid in [sleeper.id(), dead.id(), 2] {
        let Ok(p) = Process::new(pid) else { continue };
        let plain = p.memory_info().unwrap();
        let batched = {
            let _g = p.oneshot();
            p.uids().unwrap();
            p.memory_info().unwrap()
        };
        assert_eq!(batched, plain, "pid {pid}");
        // And both are `statm`'s size, resident, shared, text and data.
        let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).unwrap();
        let pages: Vec<u64> = statm
            .split_ascii_whitespace()
            .map(|f| f.parse::<u64>().unwrap() * page_size())
            .collect();
        assert_eq!(
            [plain.vms, plain.rss, plain.shared, plain.text, plain.data],
            [pages[0], pages[1], pages[2], pages[3], pages[5]],
            "pid {pid}"
        );
    }
    let mut sleeper = sleeper;
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    dead.wait().unwrap();
}

#[test]
#[allow(clippy::mutable_key_type)] // Hash uses only the immutable identity.
fn eq_and_hash_are_identity() {
    let a = Process::current().unwrap();
    let b = Process::new(std::process::id()).unwrap();
    assert_eq!(a, b);
    let mut set = std::collections::HashSet::new();
    set.insert(a.clone());
    assert!(set.contains(&b));
    assert_ne!(a, Process::new(1).unwrap());
}
