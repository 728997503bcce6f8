//! The module-wide caches and `psutil::Roots`: what is cached under one
//! `/proc` root never answers under another. One test, run in order: the
//! caches are process-wide, so nothing else in this binary may touch them.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::in_procfs;
use psutil::{disk, net, process, Process};

/// A fake `/proc` in `dir` whose only process has this process's PID (with
/// another start time), a `net/dev` with `lo` at `lo_bytes` received and
/// a `diskstats` with `sda` at `sda_reads` reads.
fn fake_proc(dir: &Path, lo_bytes: u64, sda_reads: u64) -> PathBuf {
    let root = dir.join("proc");
    let me = std::process::id();
    std::fs::create_dir_all(root.join(me.to_string())).unwrap();
    std::fs::create_dir_all(root.join("net")).unwrap();
    std::fs::write(
        root.join(me.to_string()).join("stat"),
        common::fake_stat_line(me),
    )
    .unwrap();
    std::fs::write(
        root.join("net/dev"),
        format!(
            "Inter-|   Receive |  Transmit\n face |bytes packets|bytes packets\n    \
             lo: {lo_bytes} 29 0 0 0 0 0 0 3193 29 0 0 0 0 0 0\n"
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("diskstats"),
        format!("   8       0 sda {sda_reads} 0 100 10 20 0 200 30 0 40 50\n"),
    )
    .unwrap();
    root
}

fn mine(listing: &[Arc<Process>]) -> Arc<Process> {
    let me = std::process::id();
    Arc::clone(listing.iter().find(|p| p.pid() == me).expect("listed"))
}

#[test]
fn module_caches_follow_the_roots() {
    let tree = common::TempTree::new("roots-caches");
    let tmp = &tree.0;
    let a = fake_proc(&tmp.join("a"), 5000, 1000);
    let b = fake_proc(&tmp.join("b"), 7, 7);
    let live_start = Process::current().unwrap().create_time().unwrap();

    // process_iter: a handle listed under the fixture is not handed back
    // under /proc, and the reverse.
    let fake = mine(&in_procfs(&a, process::process_iter).unwrap());
    let live = mine(&process::process_iter().unwrap());
    assert!(
        !Arc::ptr_eq(&fake, &live),
        "fixture handle reused under /proc"
    );
    assert_eq!(live.create_time().unwrap(), live_start);
    let again = mine(&in_procfs(&a, process::process_iter).unwrap());
    assert!(
        !Arc::ptr_eq(&again, &live),
        "live handle reused under the fixture"
    );
    // Under one root the cache still works.
    assert!(Arc::ptr_eq(
        &again,
        &mine(&in_procfs(&a, process::process_iter).unwrap())
    ));

    // net_io_counters(nowrap): tree a's history does not correct tree b's
    // (7 < 5000 would read as a wrap), nor does the live system's.
    let lo = |r: &Path| {
        in_procfs(r, || {
            net::net_io_counters_pernic(true)
                .unwrap()
                .get("lo")
                .unwrap()
                .bytes_recv
        })
    };
    assert_eq!(lo(&a), 5000);
    assert_eq!(lo(&b), 7, "tree a's history corrected tree b");
    net::net_io_counters(true).unwrap();
    assert_eq!(lo(&b), 7, "the live history corrected the fixture");

    // disk_io_counters(nowrap): the same.
    let sda = |r: &Path| {
        in_procfs(r, || {
            disk::disk_io_counters_perdisk(true)
                .unwrap()
                .get("sda")
                .unwrap()
                .read_count
        })
    };
    assert_eq!(sda(&a), 1000);
    assert_eq!(sda(&b), 7, "tree a's history corrected tree b");
    // The live system may have no disk at all (some containers).
    let _ = disk::disk_io_counters_perdisk(true);
    assert_eq!(sda(&b), 7);
    // Under one root the history still corrects wraps.
    assert_eq!(sda(&a), 1000);
    std::fs::write(
        a.join("diskstats"),
        "   8       0 sda 5 0 100 10 20 0 200 30 0 40 50\n",
    )
    .unwrap();
    assert_eq!(sda(&a), 1005);
}
