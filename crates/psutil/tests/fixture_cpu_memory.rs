//! The CPU and memory API run against fake `/proc` and `/sys` trees
//! entered with `psutil::Roots`.
//!
//! The roots apply to the test's own thread only, so the tests run side
//! by side without a lock, and the process-wide roots are never touched.

#[macro_use]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

use psutil::cpu::{self, CpuPercent, CpuTimes};
use psutil::memory;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");
const KB: u64 = 1024;

/// A fake root pair, entered on this thread until dropped; the tree is
/// removed on drop.
struct Tree {
    dir: PathBuf,
    _roots: psutil::RootsGuard,
}

impl Tree {
    fn new(tag: &str) -> Tree {
        let dir =
            std::env::temp_dir().join(format!("psutil-rs-fixture-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("proc")).unwrap();
        fs::create_dir_all(dir.join("sys")).unwrap();
        Tree {
            _roots: common::fake_roots(Some(&dir.join("proc")), Some(&dir.join("sys")), None),
            dir,
        }
    }

    /// A tree with the standard fixtures: 10-column stat, two-socket
    /// cpuinfo, meminfo without MemAvailable, zoneinfo, vmstat, loadavg.
    fn standard(tag: &str) -> Tree {
        let t = Tree::new(tag);
        t.proc_from("stat", "proc_stat_10cols");
        t.proc_from("cpuinfo", "cpuinfo_x86_2s");
        t.proc_from("meminfo", "meminfo_no_memavailable");
        t.proc_from("zoneinfo", "zoneinfo");
        t.proc_from("vmstat", "vmstat");
        t.proc("loadavg", "1.25 0.50 0.05 2/345 6789\n");
        t
    }

    fn proc(&self, name: &str, content: &str) {
        write(&self.dir.join("proc").join(name), content);
    }

    fn proc_from(&self, name: &str, fixture: &str) {
        fs::copy(
            Path::new(FIXTURES).join(fixture),
            self.dir.join("proc").join(name),
        )
        .unwrap();
    }

    fn rm_proc(&self, name: &str) {
        fs::remove_file(self.dir.join("proc").join(name)).unwrap();
    }

    fn sys(&self, rel: &str, content: &str) {
        write(&self.dir.join("sys").join(rel), content);
    }

    fn rm_sys(&self, rel: &str) {
        let p = self.dir.join("sys").join(rel);
        if p.is_dir() {
            fs::remove_dir_all(p).unwrap();
        } else {
            fs::remove_file(p).unwrap();
        }
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn write(path: &Path, content: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn hz() -> f64 {
    rustix::param::clock_ticks_per_second() as f64
}

fn is_io(e: &psutil::Error) -> bool {
    matches!(e, psutil::Error::Io { .. })
}

#[test]
fn cpu_times_from_fixture() {
    let _t = Tree::standard("times");
    let t = cpu::cpu_times().unwrap();
    let hz = hz();
    assert_eq!(t.user, 17877.0 / hz);
    assert_eq!(t.nice, 4.0 / hz);
    assert_eq!(t.system, 10444.0 / hz);
    assert_eq!(t.idle, 583883.0 / hz);
    assert_eq!(t.iowait, 583.0 / hz);
    assert_eq!(t.softirq, 75.0 / hz);
    assert_eq!(t.steal, Some(12.0 / hz));
    assert_eq!(t.guest, Some(0.0));
    assert_eq!(t.guest_nice, Some(0.0));
    let per = cpu::cpu_times_percpu().unwrap();
    assert_eq!(per.len(), 2);
    assert_eq!(per[1].user, 10143.0 / hz);
    assert_eq!(t.fields().len(), 10);
}

#[test]
fn cpu_times_old_kernels_lack_fields() {
    let t = Tree::standard("oldtimes");
    for (fixture, n) in [
        ("proc_stat_7cols", 7),
        ("proc_stat_8cols", 8),
        ("proc_stat_9cols", 9),
    ] {
        t.proc_from("stat", fixture);
        let times = cpu::cpu_times().unwrap();
        assert_eq!(times.fields().len(), n, "{fixture}");
        assert_eq!(times.steal.is_some(), n >= 8, "{fixture}");
        assert_eq!(times.guest.is_some(), n >= 9, "{fixture}");
        assert_eq!(times.guest_nice, None, "{fixture}");
        let per = cpu::cpu_times_percpu().unwrap();
        assert_eq!(per.len(), 4);
        assert!(per.iter().all(|p| p.fields().len() == n));
        // Percentages keep the same fields.
        let mut s = CpuPercent::new().unwrap();
        let p = s.cpu_times_percent(None).unwrap();
        assert_eq!(p.fields().len(), n);
        assert_eq!(s.cpu_percent(None).unwrap(), 0.0);
    }
    let stats = {
        t.proc_from("stat", "proc_stat_7cols");
        cpu::cpu_stats().unwrap()
    };
    assert_eq!(stats.ctx_switches, 77211234);
    assert_eq!(stats.interrupts, 114930548);
    assert_eq!(stats.soft_interrupts, None);
    assert_eq!(stats.syscalls, 0);
}

/// Expected values computed by psutil 7.2.2's own `_cpu_times_deltas`,
/// `_cpu_tot_time` and `_cpu_busy_time` on the same samples (CLK_TCK 100).
#[test]
fn cpu_percent_math_matches_psutil() {
    if hz() != 100.0 {
        eprintln!("skipped: expectations computed for CLK_TCK=100");
        return;
    }
    let t = Tree::standard("percent");
    let mut s = CpuPercent::new().unwrap();
    let mut s2 = CpuPercent::new().unwrap();
    t.proc(
        "stat",
        "cpu  18877 4 10944 584383 683 0 75 12 300 50\n\
         cpu0 7733 3 4882 293730 83 0 21 4 0 0\n\
         cpu1 10153 0 5563 290143 500 0 53 7 0 0\n\
         intr 1\nctxt 2\nsoftirq 3 0\n",
    );
    // Guest time is subtracted from the total (it is inside user/nice).
    assert_eq!(s.cpu_percent(None).unwrap(), 71.4);
    // cpu0 did not move (0.0 on zero total); cpu1's idle went backwards
    // and is clamped to 0.
    assert_eq!(s.cpu_percent_percpu(None).unwrap(), vec![0.0, 100.0]);
    let p = s.cpu_times_percent(None).unwrap();
    let want = [47.6, 0.0, 23.8, 23.8, 4.8, 0.0, 0.0, 0.0, 14.3, 2.4];
    assert_eq!(p.values().map(Option::unwrap), want);
    let per = s.cpu_times_percent_percpu(None).unwrap();
    assert_eq!(
        per[0],
        build!(CpuTimes {
            steal: Some(0.0),
            guest: Some(0.0),
            guest_nice: Some(0.0),
            ..CpuTimes::default()
        })
    );
    // The max(1, total) quirk: 0.11 CPU-seconds -> percentages of 1 s.
    assert_eq!(per[1].user, 10.0);
    assert_eq!(per[1].system, 1.0);
    assert_eq!(per[1].idle, 0.0);
    // A second non-blocking call compares with the first one's sample.
    assert_eq!(s.cpu_percent(None).unwrap(), 0.0);
    // cpu_percent and cpu_times_percent keep separate baselines: s2's
    // cpu_times_percent still measures from its creation.
    assert_eq!(s2.cpu_percent(None).unwrap(), 71.4);
    assert_eq!(s2.cpu_times_percent(None).unwrap().user, 47.6);
    // Module-level functions: the first call on a thread compares two
    // back-to-back samples.
    assert_eq!(cpu::cpu_percent(None).unwrap(), 0.0);
    assert_eq!(cpu::cpu_percent_percpu(None).unwrap(), vec![0.0, 0.0]);
}

#[test]
fn cpu_count_cores_from_sysfs_then_cpuinfo() {
    let t = Tree::standard("count");
    for (cpu, list) in [(0, "0,4"), (1, "1,5"), (2, "2,6"), (3, "3,7"), (4, "0,4")] {
        t.sys(
            &format!("devices/system/cpu/cpu{cpu}/topology/core_cpus_list"),
            &format!("{list}\n"),
        );
        t.sys(
            &format!("devices/system/cpu/cpu{cpu}/topology/thread_siblings_list"),
            "0-7\n",
        );
    }
    // Not a cpu[0-9]* directory: ignored.
    t.sys("devices/system/cpu/cpufreq/boost", "1\n");
    assert_eq!(cpu::cpu_count(false).unwrap(), Some(4));
    // Without core_cpus_list, thread_siblings_list is used.
    for cpu in 0..5 {
        t.rm_sys(&format!(
            "devices/system/cpu/cpu{cpu}/topology/core_cpus_list"
        ));
    }
    assert_eq!(cpu::cpu_count(false).unwrap(), Some(1));
    // Without topology: cpuinfo's 2 packages x 2 cores.
    t.rm_sys("devices/system/cpu");
    assert_eq!(cpu::cpu_count(false).unwrap(), Some(4));
    // Nothing known: None (psutil returns None).
    t.proc_from("cpuinfo", "cpuinfo_arm64");
    assert_eq!(cpu::cpu_count(false).unwrap(), None);
    // Logical comes from sysconf, whatever the root.
    assert!(cpu::cpu_count(true).unwrap().unwrap() >= 1);
    t.rm_proc("cpuinfo");
    assert!(is_io(&cpu::cpu_count(false).unwrap_err()));
}

#[test]
fn cpu_freq_from_cpufreq_policies() {
    let t = Tree::standard("freq");
    for (i, cur) in [(0, 1200000), (1, 2400000), (2, 3000000), (3, 3600000)] {
        let p = format!("devices/system/cpu/cpufreq/policy{i}");
        t.sys(&format!("{p}/scaling_cur_freq"), &format!("{cur}\n"));
        t.sys(&format!("{p}/scaling_min_freq"), "800000\n");
        t.sys(&format!("{p}/scaling_max_freq"), "3900000\n");
    }
    // 10 sorts after 2, numerically.
    t.sys(
        "devices/system/cpu/cpufreq/policy10/scaling_cur_freq",
        "999\n",
    );
    t.sys(
        "devices/system/cpu/cpufreq/policy10/scaling_min_freq",
        "1\n",
    );
    t.sys(
        "devices/system/cpu/cpufreq/policy10/scaling_max_freq",
        "2000\n",
    );
    // 5 policies, 8 "cpu MHz" lines: the current value is scaling_cur_freq.
    let per = cpu::cpu_freq_percpu().unwrap();
    let cur: Vec<f64> = per.iter().map(|f| f.current).collect();
    assert_eq!(cur, [1200.0, 2400.0, 3000.0, 3600.0, 0.999]);
    assert_eq!(per[0].min, 800.0);
    assert_eq!(per[0].max, 3900.0);
    let avg = cpu::cpu_freq().unwrap().unwrap();
    assert_eq!(
        avg.current,
        (1200.0 + 2400.0 + 3000.0 + 3600.0 + 0.999) / 5.0
    );
    assert_eq!(avg.max, (3900.0 * 4.0 + 2.0) / 5.0);

    // As many "cpu MHz" lines as policies: cpuinfo's value, truncated to kHz.
    t.rm_sys("devices/system/cpu/cpufreq/policy10");
    t.proc(
        "cpuinfo",
        "processor\t: 0\ncpu MHz\t\t: 2599.998\n\nprocessor\t: 1\ncpu MHz\t\t: 1000.0004\n\n\
         processor\t: 2\ncpu MHz\t\t: 800\n\nprocessor\t: 3\ncpu MHz\t\t: 900.5\n\n",
    );
    let cur: Vec<f64> = cpu::cpu_freq_percpu()
        .unwrap()
        .iter()
        .map(|f| f.current)
        .collect();
    assert_eq!(cur, [2599.998, 1000.0, 800.0, 900.5]);

    // scaling_cur_freq missing: cpuinfo_cur_freq; neither and offline: zeros.
    t.proc_from("cpuinfo", "cpuinfo_x86_2s");
    t.rm_sys("devices/system/cpu/cpufreq/policy1/scaling_cur_freq");
    t.sys(
        "devices/system/cpu/cpufreq/policy1/cpuinfo_cur_freq",
        "1800000\n",
    );
    t.rm_sys("devices/system/cpu/cpufreq/policy2/scaling_cur_freq");
    t.sys("devices/system/cpu/cpu2/online", "0\n");
    let per = cpu::cpu_freq_percpu().unwrap();
    assert_eq!(per[1].current, 1800.0);
    assert_eq!((per[2].current, per[2].min, per[2].max), (0.0, 0.0, 0.0));
    // Online but no current-frequency file: an error (psutil:
    // NotImplementedError).
    t.sys("devices/system/cpu/cpu2/online", "1\n");
    assert!(is_io(&cpu::cpu_freq_percpu().unwrap_err()));
}

#[test]
fn cpu_freq_from_cpuinfo_without_cpufreq() {
    let t = Tree::standard("freq-cpuinfo");
    let per = cpu::cpu_freq_percpu().unwrap();
    assert_eq!(per.len(), 8);
    assert_eq!(
        (per[0].current, per[0].min, per[0].max),
        (2599.998, 0.0, 0.0)
    );
    let avg = cpu::cpu_freq().unwrap().unwrap();
    let sum = 2599.998 * 4.0 + 3400.125 * 3.0 + 1200.0;
    // psutil sums in order, then divides.
    let mut s = 0.0;
    for f in &per {
        s += f.current;
    }
    assert_eq!(avg.current, s / 8.0);
    assert!((avg.current - sum / 8.0).abs() < 1e-9);
    assert_eq!((avg.min, avg.max), (0.0, 0.0));
    // One CPU: that entry itself; none: None.
    t.proc("cpuinfo", "processor\t: 0\ncpu MHz\t\t: 1234.5\n\n");
    assert_eq!(cpu::cpu_freq().unwrap().unwrap().current, 1234.5);
    t.proc_from("cpuinfo", "cpuinfo_arm64");
    assert_eq!(cpu::cpu_freq().unwrap(), None);
    assert!(cpu::cpu_freq_percpu().unwrap().is_empty());
    t.rm_proc("cpuinfo");
    assert!(is_io(&cpu::cpu_freq().unwrap_err()));
}

#[test]
fn cpu_stats_and_loadavg_from_fixture() {
    let t = Tree::standard("stats");
    let s = cpu::cpu_stats().unwrap();
    assert_eq!(
        (s.ctx_switches, s.interrupts, s.soft_interrupts, s.syscalls),
        (1299781, 705560, Some(291458), 0)
    );
    assert_eq!(cpu::getloadavg().unwrap(), (1.25, 0.5, 0.05));
    t.proc("stat", "cpu  1 2 3 4 5 6 7 8 9 10\nintr 5\n");
    assert!(is_io(&cpu::cpu_stats().unwrap_err()));
}

#[test]
fn virtual_memory_without_memavailable() {
    let t = Tree::standard("vmem-old");
    let v = memory::virtual_memory().unwrap();
    // psutil 7.2.2's calculate_avail_vmem on the same two files.
    assert_eq!(v.available, 6889701376);
    assert_eq!(v.total, 16325648 * KB);
    assert_eq!(v.used, v.total - v.available);
    assert_eq!(v.percent, 58.8);
    assert_eq!(v.free, 2057400 * KB);
    assert_eq!(v.buffers, 287952 * KB);
    assert_eq!(v.cached, (4818144 + 346648) * KB);
    assert_eq!(v.shared, 577588 * KB);
    assert_eq!(v.active, 9444728 * KB);
    assert_eq!(v.inactive, 2142412 * KB);
    assert_eq!(v.slab, 512000 * KB);
    // No zoneinfo: MemFree + Cached.
    t.rm_proc("zoneinfo");
    let v = memory::virtual_memory().unwrap();
    assert_eq!(v.available, (2057400 + 4818144) * KB);
}

#[test]
fn virtual_memory_with_memavailable() {
    let t = Tree::standard("vmem");
    t.proc_from("meminfo", "meminfo");
    // zoneinfo is not needed when MemAvailable is there.
    t.rm_proc("zoneinfo");
    let v = memory::virtual_memory().unwrap();
    assert_eq!(v.total, 24684084 * KB);
    assert_eq!(v.available, 23825660 * KB);
    assert_eq!(v.used, (24684084 - 23825660) * KB);
    assert_eq!(v.percent, 3.5);
    assert_eq!(v.cached, (833268 + 91460) * KB);
    let s = memory::swap_memory().unwrap();
    assert_eq!((s.total, s.used, s.free, s.percent), (0, 0, 0, 0.0));
}

#[test]
fn swap_memory_from_fixture() {
    let t = Tree::standard("swap");
    let s = memory::swap_memory().unwrap();
    assert_eq!(s.total, 8388604 * KB);
    assert_eq!(s.free, 8123456 * KB);
    assert_eq!(s.used, (8388604 - 8123456) * KB);
    // round(265148 / 8388604 * 100, 1)
    assert_eq!(s.percent, 3.2);
    assert_eq!((s.sin, s.sout), (1234 * 4096, 5678 * 4096));
    // vmstat without the counters, or missing: 0 (psutil warns).
    t.proc_from("vmstat", "vmstat_no_pswp");
    let s = memory::swap_memory().unwrap();
    assert_eq!((s.sin, s.sout), (0, 0));
    t.rm_proc("vmstat");
    assert_eq!(memory::swap_memory().unwrap().sin, 0);
}

/// psutil's test_procfs_path: an empty root makes the /proc-based calls
/// fail with OSError.
#[test]
fn empty_procfs_root_is_an_io_error() {
    let _t = Tree::new("empty");
    assert!(is_io(&cpu::cpu_times().unwrap_err()));
    assert!(is_io(&cpu::cpu_times_percpu().unwrap_err()));
    assert!(is_io(&cpu::cpu_stats().unwrap_err()));
    assert!(is_io(&CpuPercent::new().unwrap_err()));
    assert!(is_io(&cpu::getloadavg().unwrap_err()));
    assert!(is_io(&memory::virtual_memory().unwrap_err()));
    assert!(is_io(&memory::swap_memory().unwrap_err()));
    assert!(is_io(&cpu::cpu_freq().unwrap_err()));
    assert!(is_io(&cpu::cpu_count(false).unwrap_err()));
}

#[test]
fn malformed_files_are_io_errors() {
    let t = Tree::standard("malformed");
    t.proc("stat", "cpu  1 2 3\n");
    assert!(is_io(&cpu::cpu_times().unwrap_err()));
    t.proc("meminfo", "MemFree: 1 kB\n");
    assert!(is_io(&memory::virtual_memory().unwrap_err()));
    t.proc("loadavg", "garbage\n");
    assert!(is_io(&cpu::getloadavg().unwrap_err()));
}

#[test]
fn roots_are_per_thread() {
    let t = Tree::standard("roots");
    let fake = memory::virtual_memory().unwrap();
    assert_eq!(fake.total, 16325648 * KB);
    // Another thread at the same time still sees the live system.
    let live = std::thread::spawn(|| {
        assert_eq!(psutil::Roots::current(), psutil::Roots::default());
        memory::virtual_memory().unwrap()
    })
    .join()
    .unwrap();
    assert_ne!(live.total, fake.total);
    // Guards nest: an inner one wins, and its drop brings the outer back.
    let inner = psutil::Roots::current().with_procfs("/nonexistent");
    inner.scope(|| assert!(is_io(&memory::virtual_memory().unwrap_err())));
    assert_eq!(memory::virtual_memory().unwrap().total, fake.total);
    drop(t);
    assert_eq!(psutil::Roots::current(), psutil::Roots::default());
}
