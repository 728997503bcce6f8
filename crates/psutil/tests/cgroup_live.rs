//! The cgroup API against real cgroups (root only): on a v1 (or hybrid)
//! host the cgroups are made under each v1 controller mount; on a pure v2
//! host (`/sys/fs/cgroup` is cgroup2, as in the qemu kernel matrix) under
//! the unified hierarchy.
//!
//! Layout: `psutil-live-PID/parent/child`, the parent with a 96 MiB memory
//! limit and a 0.5-CPU quota, the child with a looser 192 MiB limit and a
//! 32-task limit. A worker (this test binary again, running
//! `cgroup_live_worker`) moves itself into the child before it starts,
//! touches 32 MiB and burns CPU. Skips with a message when not root or
//! when the controllers are not mounted; every cgroup made is removed.

mod common;

use std::ffi::CString;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use psutil::cgroup::{self, Cgroup, Limit, Version};
use psutil::Process;

const MIB: u64 = 1 << 20;
const WORKER_BYTES: usize = 32 << 20;

/// The v1 mount points holding `memory`, `cpu`, `cpuacct` and `pids`
/// (co-mounted controllers share one), or the cgroup2 mount when it is at
/// `/sys/fs/cgroup` with those controllers available.
enum Host {
    V1(Vec<(Vec<String>, PathBuf)>),
    V2(PathBuf),
}

fn detect() -> Option<Host> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut v1: Vec<(Vec<String>, PathBuf)> = Vec::new();
    let mut v2 = None;
    for line in mountinfo.lines() {
        let (pre, post) = line.split_once(" - ")?;
        let mount_point = PathBuf::from(pre.split(' ').nth(4)?);
        let mut post = post.split(' ');
        let (fstype, opts) = (post.next()?, post.nth(1)?);
        match fstype {
            "cgroup" => {
                let ctrls: Vec<String> = opts
                    .split(',')
                    .filter(|o| ["memory", "cpu", "cpuacct", "pids"].contains(o))
                    .map(str::to_owned)
                    .collect();
                if !ctrls.is_empty() {
                    v1.push((ctrls, mount_point));
                }
            }
            "cgroup2" if mount_point == Path::new("/sys/fs/cgroup") => v2 = Some(mount_point),
            _ => {}
        }
    }
    let has = |c: &str| v1.iter().any(|(cs, _)| cs.iter().any(|x| x == c));
    if ["memory", "cpu", "cpuacct", "pids"].iter().all(|c| has(c)) {
        return Some(Host::V1(v1));
    }
    let v2 = v2?;
    let avail = std::fs::read_to_string(v2.join("cgroup.controllers")).ok()?;
    let avail: Vec<&str> = avail.split_whitespace().collect();
    ["memory", "cpu", "pids"]
        .iter()
        .all(|c| avail.contains(c))
        .then_some(Host::V2(v2))
}

fn write(path: &Path, value: &str) {
    std::fs::write(path, value).unwrap_or_else(|e| panic!("write {value:?} to {path:?}: {e}"));
}

/// The `top` directories made, one per hierarchy; removed (deepest first)
/// after the worker is gone.
struct Made {
    tops: Vec<PathBuf>,
}

impl Drop for Made {
    fn drop(&mut self) {
        for top in &self.tops {
            for d in [top.join("parent/child"), top.join("parent"), top.clone()] {
                // A just-killed task may take a moment to leave the cgroup.
                common::wait_until(|| std::fs::remove_dir(&d).is_ok() || !d.exists());
            }
        }
    }
}

/// Kills and reaps the worker on drop.
struct Worker(std::process::Child);

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The memory figure systemd-cgtop shows for `path` (usage, minus
/// inactive file pages on v1) lies between our working set and our usage,
/// give or take 1 MiB for what moved between the two reads. Skipped
/// without systemd-cgtop (it runs without systemd as PID 1).
fn compare_with_cgtop(path: &str, cg: &Cgroup) {
    let out = match Command::new("systemd-cgtop")
        .args(["--batch", "--raw", "--iterations=1", "--depth=1", path])
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            eprintln!("skipped: the systemd-cgtop comparison (no systemd-cgtop)");
            return;
        }
    };
    let line = out
        .lines()
        .find(|l| {
            l.split_whitespace()
                .next()
                .map(|p| p.trim_start_matches('/'))
                == Some(path.trim_start_matches('/'))
        })
        .unwrap_or_else(|| panic!("{path} not in systemd-cgtop's output:\n{out}"));
    let theirs: u64 = line.split_whitespace().nth(3).unwrap().parse().unwrap();
    let m = cg.memory();
    let (ws, usage) = (m.working_set.unwrap(), m.usage.unwrap());
    eprintln!("live: systemd-cgtop {theirs}, ours: usage {usage} working set {ws}");
    assert!(
        ws.saturating_sub(MIB) <= theirs && theirs <= usage + MIB,
        "systemd-cgtop {theirs} outside [{ws}, {usage}] ± 1 MiB"
    );
}

/// The test's body when run as the worker: touch memory, say so, burn CPU.
#[test]
#[ignore = "the worker process of cgroup_v1_or_v2_live"]
fn cgroup_live_worker() {
    if std::env::var_os("PSUTIL_CGROUP_WORKER").is_none() {
        return;
    }
    let mut buf = vec![0u8; WORKER_BYTES];
    for i in (0..buf.len()).step_by(4096) {
        buf[i] = 1;
    }
    println!(
        "ready {}",
        buf.iter().step_by(4096).filter(|&&b| b == 1).count()
    );
    let mut x = 0u64;
    loop {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
}

#[test]
fn cgroup_v1_or_v2_live() {
    if !common::is_root() {
        eprintln!("skipped: the live cgroup test needs root");
        return;
    }
    let Some(host) = detect() else {
        eprintln!("skipped: neither v1 memory/cpu/cpuacct/pids mounts nor cgroup2 with them at /sys/fs/cgroup");
        return;
    };
    let name = format!("psutil-live-{}", std::process::id());
    let rel = format!("/{name}/parent/child");
    let (made, procs_files, version) = match &host {
        Host::V1(mounts) => {
            let mut tops = Vec::new();
            let mut procs = Vec::new();
            for (ctrls, mp) in mounts {
                let top = mp.join(&name);
                std::fs::create_dir_all(top.join("parent/child")).unwrap();
                tops.push(top.clone());
                let (parent, child) = (top.join("parent"), top.join("parent/child"));
                for c in ctrls {
                    match c.as_str() {
                        "memory" => {
                            write(
                                &parent.join("memory.limit_in_bytes"),
                                &(96 * MIB).to_string(),
                            );
                            write(
                                &child.join("memory.limit_in_bytes"),
                                &(192 * MIB).to_string(),
                            );
                        }
                        "cpu" => {
                            write(&parent.join("cpu.cfs_period_us"), "100000");
                            write(&parent.join("cpu.cfs_quota_us"), "50000");
                        }
                        "pids" => write(&child.join("pids.max"), "32"),
                        _ => {}
                    }
                }
                procs.push(child.join("cgroup.procs"));
            }
            (Made { tops }, procs, Version::V1)
        }
        Host::V2(root) => {
            let top = root.join(&name);
            let (parent, child) = (top.join("parent"), top.join("parent/child"));
            // The root may hold processes and still delegate (it is exempt
            // from the no-internal-process rule); ours hold none.
            let _ = std::fs::write(root.join("cgroup.subtree_control"), "+cpu +memory +pids");
            std::fs::create_dir_all(&child).unwrap();
            let made = Made {
                tops: vec![top.clone()],
            };
            write(&top.join("cgroup.subtree_control"), "+cpu +memory +pids");
            write(&parent.join("cgroup.subtree_control"), "+cpu +memory +pids");
            write(&parent.join("memory.max"), &(96 * MIB).to_string());
            write(&child.join("memory.max"), &(192 * MIB).to_string());
            write(&parent.join("cpu.max"), "50000 100000");
            write(&child.join("pids.max"), "32");
            (made, vec![child.join("cgroup.procs")], Version::V2)
        }
    };

    // The worker moves itself in between fork and exec, so that every page
    // it touches is charged to the child cgroup. No allocation after fork:
    // the paths are C strings made here.
    let paths: Vec<CString> = procs_files
        .iter()
        .map(|p| CString::new(p.to_str().unwrap()).unwrap())
        .collect();
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "cgroup_live_worker", "--ignored", "--nocapture"])
        .args(["--test-threads", "1"])
        .env("PSUTIL_CGROUP_WORKER", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    // SAFETY: only open/write/close (async-signal-safe) on prepared data.
    unsafe {
        cmd.pre_exec(move || {
            for p in &paths {
                let fd = libc::open(p.as_ptr(), libc::O_WRONLY);
                if fd < 0 || libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(fd);
            }
            Ok(())
        });
    }
    let mut worker = Worker(cmd.spawn().expect("spawn the worker"));
    let pid = worker.0.id();
    // The test harness prints its own lines first.
    let mut out = BufReader::new(worker.0.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("ready") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "the worker died");
    }

    let cg = Process::new(pid).unwrap().cgroup().unwrap();
    assert_eq!(cg.path(), rel);
    assert_eq!(cg.version(), version);
    assert_eq!(cg.processes().unwrap(), [pid]);
    let parent = Cgroup::open(&format!("/{name}/parent")).unwrap();
    let kids: Vec<String> = parent
        .children()
        .unwrap()
        .iter()
        .map(|c| c.path().to_owned())
        .collect();
    assert_eq!(kids, std::slice::from_ref(&rel));

    // Memory: the 32 MiB touched are charged; the parent's limit binds.
    let m = cg.memory();
    let usage = m.usage.unwrap();
    assert!((32 * MIB..96 * MIB).contains(&usage), "usage {usage}");
    assert!(m.working_set.unwrap() <= usage);
    assert!(m.rss.unwrap() >= 32 * MIB, "{m:?}");
    assert_eq!(m.limit, Some(Limit::Value(192 * MIB)));
    assert_eq!(parent.memory().limit, Some(Limit::Value(96 * MIB)));
    assert_eq!(m.events.oom_kill, Some(0));
    assert_eq!(cg.effective_memory_limit(), Some(Limit::Value(96 * MIB)));
    assert_eq!(cgroup::effective_memory_limit_of(pid).unwrap(), 96 * MIB);
    let vm = cg.virtual_memory().unwrap();
    assert_eq!(vm.total, 96 * MIB);
    assert_eq!(vm.used + vm.available, vm.total);
    eprintln!(
        "live {version:?}: usage {usage} working set {:?} rss {:?}",
        m.working_set, m.rss
    );

    compare_with_cgtop(&rel, &cg);

    // Pids.
    let p = cg.pids();
    assert!((1..=32).contains(&p.current.unwrap()), "{p:?}");
    assert_eq!(p.max, Some(Limit::Value(32)));

    // CPU: 0.5 CPU on the parent; the child has no quota of its own.
    assert_eq!(cg.cpu().limit_cpus, Some(Limit::Max));
    assert_eq!(parent.cpu().limit_cpus, Some(Limit::Value(0.5)));
    assert_eq!(cg.effective_cpu_limit(), Some(Limit::Value(0.5)));
    assert_eq!(cgroup::effective_cpu_count_of(pid).unwrap(), 1);
    let t0 = (Instant::now(), cg.cpu().usage_seconds.unwrap());
    // At least 1.5 s, and on a loaded machine (where the worker may get less
    // than its quota) until the parent has been throttled, up to 20 s.
    std::thread::sleep(Duration::from_millis(1500));
    while parent.cpu().nr_throttled.unwrap() == 0 && t0.0.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let t1 = (Instant::now(), cg.cpu().usage_seconds.unwrap());
    let wall = (t1.0 - t0.0).as_secs_f64();
    let used = t1.1 - t0.1;
    eprintln!("live {version:?}: {used:.3} s CPU in {wall:.3} s wall");
    // The quota holds the worker to half a CPU (with slack for the period
    // boundaries); it does burn CPU (little on a loaded machine).
    assert!(used <= 0.5 * wall + 0.15, "{used} s in {wall} s");
    assert!(used >= 0.05, "{used} s in {wall} s");
    let pc = parent.cpu();
    assert!(pc.nr_periods.unwrap() > 0, "{pc:?}");
    assert!(pc.nr_throttled.unwrap() > 0, "{pc:?}");
    assert!(pc.throttled_seconds.unwrap() > 0.0, "{pc:?}");
    assert!(pc.usage_seconds.unwrap() >= t1.1);
    eprintln!(
        "live {version:?}: parent throttled {} of {} periods, {:.3} s",
        pc.nr_throttled.unwrap(),
        pc.nr_periods.unwrap(),
        pc.throttled_seconds.unwrap()
    );
    if version == Version::V2 {
        assert!(cg.pressure().cpu.is_some() || cgroup::system_pressure().is_none());
    }

    drop(worker);
    drop(made);
}
