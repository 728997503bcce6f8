//! Bounded soak tests, run by `test.sh`'s `soak` step (ignored by a plain
//! `cargo test`: they take tens of seconds and want a release build).
//!
//! - Churn: while threads fork and reap short-lived children (some left as
//!   zombies for a moment), the listing, `net_connections` and `psutil
//!   procinfo` run in loops. Every process error must be `NoSuchProcess`,
//!   `ZombieProcess` or `AccessDenied`; every value read must be in range.
//! - Leaks: 100,000 calls across the API; after a warm-up the descriptor
//!   count must not grow at all and RSS by no more than a small margin.
//!
//! `SOAK_SECONDS` sets the churn length (default 20).

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use psutil::net::{net_connections, ConnectionKind};
use psutil::process::{process_iter_with, Attr, Process};
use psutil::Error;

use common::BIN;

mod common;

fn soak_duration() -> Duration {
    let secs = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

/// Forks children until `stop`: half exit at once, half sleep a little and
/// are reaped late, so that zombies and exiting processes are common.
fn churn(stop: Arc<AtomicBool>, spawned: Arc<AtomicU64>) {
    let mut pending = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        for cmd in [&["true"][..], &["sleep", "0.05"][..]] {
            if let Ok(child) = Command::new(cmd[0])
                .args(&cmd[1..])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            {
                pending.push(child);
                spawned.fetch_add(1, Ordering::Relaxed);
            }
        }
        // Reap the older half late: they sit as zombies meanwhile.
        if pending.len() > 40 {
            for mut c in pending.drain(..20) {
                let _ = c.wait();
            }
        }
    }
    for mut c in pending {
        let _ = c.wait();
    }
}

/// Only the errors a vanishing or foreign process may cause.
fn expected(e: &Error) -> bool {
    e.is_no_such_process() || e.is_access_denied()
}

fn check_info(info: &psutil::process::ProcessInfo, boot: f64) {
    let pid = info.pid;
    assert!(pid > 0);
    if let Some(t) = info.create_time {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!(
            t >= boot - 1.0 && t <= now + 1.0,
            "pid {pid}: create_time {t}"
        );
    }
    if let Some(c) = info.cpu_times {
        for v in [
            c.user,
            c.system,
            c.children_user,
            c.children_system,
            c.iowait,
        ] {
            assert!(v.is_finite() && v >= 0.0, "pid {pid}: {c:?}");
        }
    }
    if let Some(p) = info.memory_percent {
        assert!((0.0..=100.0).contains(&p), "pid {pid}: memory_percent {p}");
    }
    if let Some(p) = info.cpu_percent {
        assert!(p.is_finite() && p >= 0.0, "pid {pid}: cpu_percent {p}");
    }
    if let Some(n) = info.nice {
        assert!((-20..=19).contains(&n), "pid {pid}: nice {n}");
    }
    if let Some(m) = info.memory_info {
        assert!(m.rss < 1 << 50 && m.vms < 1 << 60, "pid {pid}: {m:?}");
    }
    if let Some(n) = info.num_threads {
        assert!(n < 1 << 22, "pid {pid}: num_threads {n}");
    }
    if let Some(name) = &info.name {
        assert!(
            name.len() <= 4096,
            "pid {pid}: name of {} bytes",
            name.len()
        );
    }
}

#[test]
#[ignore = "soak: run by test.sh (cargo test --release -- --ignored)"]
fn soak_churn_listing_connections_procinfo() {
    let stop = Arc::new(AtomicBool::new(false));
    let spawned = Arc::new(AtomicU64::new(0));
    let churners: Vec<_> = (0..2)
        .map(|_| {
            let (stop, spawned) = (stop.clone(), spawned.clone());
            std::thread::spawn(move || churn(stop, spawned))
        })
        .collect();
    let boot = psutil::boot_time().unwrap();
    let end = Instant::now() + soak_duration();
    let (mut listings, mut infos, mut conn_calls, mut procinfos) = (0u64, 0u64, 0u64, 0u64);
    let mut procinfo_failures = 0u64;
    while Instant::now() < end {
        let entries = process_iter_with(Attr::ALL).expect("process_iter");
        listings += 1;
        for e in &entries {
            check_info(&e.info, boot);
            infos += 1;
        }
        match net_connections(ConnectionKind::All) {
            Ok(conns) => {
                for c in conns {
                    assert!(c.fd >= -1, "{c:?}");
                }
            }
            Err(e) => panic!("net_connections: {e:?}"),
        }
        conn_calls += 1;
        // Methods one by one on the newest processes, which are the most
        // likely to vanish between two reads.
        let mut newest: Vec<u32> = entries.iter().map(|e| e.process.pid()).collect();
        newest.sort_unstable();
        for &pid in newest.iter().rev().take(8) {
            let Ok(p) = Process::new(pid) else { continue };
            for r in [
                p.name().map(drop),
                p.cmdline().map(drop),
                p.status().map(drop),
                p.memory_full_info().map(drop),
                p.open_files().map(drop),
                p.net_connections(ConnectionKind::Inet).map(drop),
                p.children(true).map(drop),
                p.threads().map(drop),
            ] {
                if let Err(e) = r {
                    assert!(expected(&e), "pid {pid}: unexpected {e:?}");
                }
            }
            // The command: exit 0, or 1 with a message for a process that
            // went away; never a panic (101) or a signal.
            let out = Command::new(BIN)
                .args(["procinfo", &pid.to_string(), "--json"])
                .output()
                .unwrap();
            match out.status.code() {
                Some(0) => {
                    let v: serde_json::Value =
                        serde_json::from_slice(&out.stdout).expect("procinfo --json is JSON");
                    assert_eq!(v["pid"], pid, "{v}");
                }
                Some(1) => {
                    let err = String::from_utf8_lossy(&out.stderr);
                    assert!(
                        err.contains("no longer exists")
                            || err.contains("not found")
                            || err.contains("zombie")
                            || err.contains("denied"),
                        "pid {pid}: {err}"
                    );
                    procinfo_failures += 1;
                }
                other => panic!(
                    "procinfo {pid}: exit {other:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                ),
            }
            procinfos += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in churners {
        t.join().unwrap();
    }
    let spawned = spawned.load(Ordering::Relaxed);
    eprintln!(
        "soak: {spawned} children spawned; {listings} listings ({infos} process infos), \
         {conn_calls} net_connections, {procinfos} procinfo runs ({procinfo_failures} on \
         vanished processes)"
    );
    assert!(spawned > 100 && listings > 0 && procinfos > 0);
}

/// Descriptors open in this process.
fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Resident set size of this process, bytes.
fn rss() -> u64 {
    Process::current().unwrap().memory_info().unwrap().rss
}

#[test]
#[ignore = "soak: run by test.sh (cargo test --release -- --ignored)"]
fn soak_no_fd_or_memory_growth_over_100k_calls() {
    const CALLS: usize = 100_000;
    const WARMUP: usize = 10_000;
    let me = Process::current().unwrap();
    let init = Process::new(1).unwrap();
    // Cheap calls most of the time, the expensive ones every so often.
    let call = |i: usize| -> psutil::Result<()> {
        match i % 20 {
            0 => psutil::memory::virtual_memory().map(drop),
            1 => psutil::memory::swap_memory().map(drop),
            2 => psutil::cpu::cpu_times_percpu().map(drop),
            3 => psutil::cpu::cpu_stats().map(drop),
            4 => psutil::disk::disk_io_counters(true).map(drop),
            5 => psutil::net::net_io_counters(true).map(drop),
            6 => psutil::boot_time().map(drop),
            7 => me.memory_info().map(drop),
            8 => me.cpu_times().map(drop),
            9 => me.num_fds().map(drop),
            10 => me.open_files().map(drop),
            11 => me.io_counters().map(drop),
            12 => init.name().map(drop),
            13 => init.status().map(drop),
            14 => me
                .as_dict(&[Attr::Name, Attr::Cmdline, Attr::Exe])
                .map(drop),
            15 => me.threads().map(drop),
            16 => psutil::pids().map(drop),
            17 if i % 1000 == 17 => process_iter_with(&[Attr::Name]).map(drop),
            18 if i % 1000 == 18 => net_connections(ConnectionKind::Inet).map(drop),
            19 if i % 100 == 19 => me.memory_full_info().map(drop),
            _ => me.ppid().map(drop),
        }
    };
    for i in 0..WARMUP {
        call(i).unwrap();
    }
    // A leak grows linearly: compare the two halves after the warm-up, so
    // one-off growth (allocator arenas, caches filled once) does not count.
    let (fds0, rss0) = (fd_count(), rss());
    let mid = (WARMUP + CALLS) / 2;
    for i in WARMUP..mid {
        call(i).unwrap();
    }
    let rss_mid = rss();
    for i in mid..CALLS {
        call(i).unwrap();
    }
    let (fds1, rss1) = (fd_count(), rss());
    eprintln!("soak: {CALLS} calls: fds {fds0} -> {fds1}, rss {rss0} -> {rss_mid} -> {rss1} bytes");
    assert_eq!(fds1, fds0, "descriptor leak");
    // 45,000 calls leaking even 24 bytes each would exceed this.
    assert!(
        rss1 <= rss_mid + 1024 * 1024,
        "RSS grew from {rss_mid} to {rss1} bytes over the second half"
    );
}
