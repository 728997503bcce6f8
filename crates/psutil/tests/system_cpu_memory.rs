//! Live CPU and memory figures compared with real psutil 7.2.2 (the oracle
//! venv, a separate interpreter) and with the classic tools psutil's own
//! tests use (`free -b`, `vmstat -s`, `nproc`, `lscpu`).
//!
//! Counters that only grow (CPU times, context switches) are bracketed: our
//! value before the oracle runs <= psutil's value <= our value after.
//! Memory figures move a little while the oracle starts, so they get
//! psutil's own tolerance (`TOLERANCE_SYS_MEM`, 5 MiB).

mod common;

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use psutil::cpu::{self, CpuPercent, CpuTimes};
use psutil::memory;
use serde_json::Value;

const MEM_TOL: f64 = 5.0 * 1024.0 * 1024.0;

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("oracle has no number {key}: {v}"))
}

fn sh(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd)
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Asserts `lo - eps <= v <= hi + eps`.
fn bracketed(what: &str, lo: f64, v: f64, hi: f64, eps: f64) {
    assert!(
        lo - eps <= v && v <= hi + eps,
        "{what}: psutil {v} not within ours [{lo}, {hi}]"
    );
}

fn check_times_bracket(what: &str, before: &CpuTimes, oracle: &Value, after: &CpuTimes) {
    let names: Vec<&str> = before.fields().iter().map(|(n, _)| *n).collect();
    let keys: Vec<&str> = oracle
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted_names = names.clone();
    sorted_names.sort_unstable();
    let mut sorted_keys = keys.clone();
    sorted_keys.sort_unstable();
    assert_eq!(sorted_names, sorted_keys, "{what}: field names");
    for ((name, lo), (_, hi)) in before.fields().into_iter().zip(after.fields()) {
        // One tick of slack for the float division of either side.
        bracketed(&format!("{what}.{name}"), lo, num(oracle, name), hi, 0.011);
    }
}

#[test]
fn cpu_times_matches_psutil() {
    let before = cpu::cpu_times().unwrap();
    let Some(o) = common::oracle_json(
        "t = psutil.cpu_times()\n\
         print(json.dumps({'fields': t._fields, 'values': t._asdict()}))",
    ) else {
        return;
    };
    let after = cpu::cpu_times().unwrap();
    // Same fields in the same order (decided by the kernel's columns).
    let names: Vec<&str> = after.fields().iter().map(|(n, _)| *n).collect();
    assert_eq!(o["fields"], serde_json::json!(names));
    check_times_bracket("cpu_times", &before, &o["values"], &after);
}

#[test]
fn cpu_times_percpu_matches_psutil() {
    let before = cpu::cpu_times_percpu().unwrap();
    let Some(o) = common::oracle_json(
        "print(json.dumps([t._asdict() for t in psutil.cpu_times(percpu=True)]))",
    ) else {
        return;
    };
    let after = cpu::cpu_times_percpu().unwrap();
    let o = o.as_array().unwrap();
    assert_eq!(before.len(), o.len());
    for (i, ((b, a), ov)) in before.iter().zip(&after).zip(o).enumerate() {
        check_times_bracket(&format!("cpu{i}"), b, ov, a);
    }
    // The sum of the per-CPU lines is the total line (same ticks, give or
    // take the moment of reading).
    let total = cpu::cpu_times().unwrap();
    let user: f64 = after.iter().map(|t| t.user).sum();
    assert!((user - total.user).abs() < 1.0);
}

#[test]
fn cpu_count_matches_psutil_nproc_and_lscpu() {
    let logical = cpu::cpu_count(true).unwrap();
    let cores = cpu::cpu_count(false).unwrap();
    if let Some(o) = common::oracle_json(
        "print(json.dumps([psutil.cpu_count(), psutil.cpu_count(logical=False)]))",
    ) {
        assert_eq!(logical.map(|n| n as u64), o[0].as_u64());
        assert_eq!(cores.map(|n| n as u64), o[1].as_u64());
    }
    let logical = logical.unwrap();
    assert_eq!(logical, std::thread::available_parallelism().unwrap().get());
    if let Some(out) = sh("nproc", &["--all"]) {
        assert_eq!(logical, out.trim().parse::<usize>().unwrap(), "nproc --all");
    }
    if let Some(out) = sh("lscpu", &["-p"]) {
        let rows: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(logical, rows.len(), "lscpu -p rows");
        // Distinct (core, socket) pairs are the physical cores.
        let mut pairs: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| {
                let f: Vec<&str> = r.split(',').collect();
                (f[1], f[2])
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        assert_eq!(cores, Some(pairs.len()), "lscpu -p cores");
    }
    // Cores never exceed logical CPUs.
    assert!(cores.unwrap() <= logical);
}

#[test]
fn cpu_count_matches_sysfs_cpu_dirs() {
    // psutil's test_against_sysdev_cpu_num (all CPUs online here).
    let n = std::fs::read_dir("/sys/devices/system/cpu")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().into_string().unwrap();
            n.len() > 3 && n.starts_with("cpu") && n[3..].bytes().all(|b| b.is_ascii_digit())
        })
        .count();
    let online = std::fs::read_to_string("/sys/devices/system/cpu/offline").unwrap_or_default();
    if online.trim().is_empty() {
        assert_eq!(cpu::cpu_count(true).unwrap(), Some(n));
    }
}

#[test]
fn cpu_stats_matches_psutil() {
    let before = cpu::cpu_stats().unwrap();
    let Some(o) = common::oracle_json("print(json.dumps(psutil.cpu_stats()._asdict()))") else {
        return;
    };
    let after = cpu::cpu_stats().unwrap();
    let f = |v: u64| v as f64;
    bracketed(
        "ctx_switches",
        f(before.ctx_switches),
        num(&o, "ctx_switches"),
        f(after.ctx_switches),
        0.0,
    );
    bracketed(
        "interrupts",
        f(before.interrupts),
        num(&o, "interrupts"),
        f(after.interrupts),
        0.0,
    );
    bracketed(
        "soft_interrupts",
        f(before.soft_interrupts.unwrap()),
        num(&o, "soft_interrupts"),
        f(after.soft_interrupts.unwrap()),
        0.0,
    );
    assert_eq!(num(&o, "syscalls"), 0.0);
    assert_eq!(after.syscalls, 0);
}

#[test]
fn cpu_freq_matches_psutil() {
    let ours = cpu::cpu_freq().unwrap();
    let per = cpu::cpu_freq_percpu().unwrap();
    let Some(o) = common::oracle_json(
        "f = psutil.cpu_freq(); p = psutil.cpu_freq(percpu=True)\n\
         print(json.dumps([f._asdict() if f else None, [x._asdict() for x in p]]))",
    ) else {
        return;
    };
    assert_eq!(ours.is_none(), o[0].is_null());
    let op = o[1].as_array().unwrap();
    assert_eq!(per.len(), op.len());
    for (a, b) in per.iter().zip(op) {
        assert_eq!(a.min, num(b, "min"));
        assert_eq!(a.max, num(b, "max"));
        // The current frequency moves on real hardware; 10%.
        assert!((a.current - num(b, "current")).abs() <= num(b, "current") * 0.1);
    }
    if let Some(f) = ours {
        assert_eq!(f.min, num(&o[0], "min"));
        assert_eq!(f.max, num(&o[0], "max"));
        assert!((f.current - num(&o[0], "current")).abs() <= num(&o[0], "current") * 0.1);
    }
}

#[test]
fn getloadavg_matches_psutil() {
    let ours = cpu::getloadavg().unwrap();
    let Some(o) = common::oracle_json("print(json.dumps(psutil.getloadavg()))") else {
        return;
    };
    let o: Vec<f64> = o
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // The kernel updates the averages every 5 s.
    for (a, b) in [ours.0, ours.1, ours.2].iter().zip(&o) {
        assert!((a - b).abs() < 0.5, "{ours:?} vs {o:?}");
    }
}

/// psutil's `retry_on_failure`: memory moves while another program runs,
/// so a comparison gets three tries before it fails.
fn retry(what: &str, mut attempt: impl FnMut() -> Result<(), String>) {
    let mut last = String::new();
    for _ in 0..3 {
        match attempt() {
            Ok(()) => return,
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: {last}");
}

/// `theirs` lies within `MEM_TOL` of the range spanned by our two readings
/// (taken before and after theirs).
fn mem_close(name: &str, before: u64, theirs: f64, after: u64) -> Result<(), String> {
    mem_close_tol(name, before, theirs, after, MEM_TOL)
}

fn mem_close_tol(name: &str, before: u64, theirs: f64, after: u64, tol: f64) -> Result<(), String> {
    let (lo, hi) = (before.min(after) as f64, before.max(after) as f64);
    if lo - tol < theirs && theirs < hi + tol {
        Ok(())
    } else {
        Err(format!("{name}: ours {before}..{after}, theirs {theirs}"))
    }
}

fn vm_fields(v: &memory::VirtualMemory) -> [(&'static str, u64); 9] {
    [
        ("available", v.available),
        ("used", v.used),
        ("free", v.free),
        ("active", v.active),
        ("inactive", v.inactive),
        ("buffers", v.buffers),
        ("cached", v.cached),
        ("shared", v.shared),
        ("slab", v.slab),
    ]
}

#[test]
fn virtual_memory_matches_psutil() {
    // The oracle reports its own RSS too: its pages are in use (mostly
    // inactive anon) only while it runs, so they widen the tolerance.
    let code = "vm = psutil.virtual_memory()\n\
                rss = psutil.Process().memory_info().rss\n\
                print(json.dumps({'fields': vm._fields, 'values': vm._asdict(), 'rss': rss}))";
    if common::oracle_json("print(1)").is_none() {
        return;
    }
    retry("virtual_memory", || {
        let before = memory::virtual_memory().unwrap();
        let o = common::oracle_json(code).unwrap();
        let after = memory::virtual_memory().unwrap();
        assert_eq!(
            o["fields"],
            serde_json::json!([
                "total",
                "available",
                "percent",
                "used",
                "free",
                "active",
                "inactive",
                "buffers",
                "cached",
                "shared",
                "slab"
            ])
        );
        let tol = MEM_TOL + num(&o, "rss");
        let o = &o["values"];
        assert_eq!(after.total as f64, num(o, "total"));
        assert_eq!(after.used, after.total - after.available);
        for ((name, b), (_, a)) in vm_fields(&before).into_iter().zip(vm_fields(&after)) {
            mem_close_tol(name, b, num(o, name), a, tol)?;
        }
        let p = num(o, "percent");
        let (lo, hi) = (
            before.percent.min(after.percent),
            before.percent.max(after.percent),
        );
        if !(lo - 0.1..=hi + 0.1).contains(&p) {
            return Err(format!("percent: ours {lo}..{hi}, theirs {p}"));
        }
        Ok(())
    });
}

#[test]
fn swap_memory_matches_psutil() {
    if common::oracle_json("print(1)").is_none() {
        return;
    }
    retry("swap_memory", || {
        let before = memory::swap_memory().unwrap();
        let o = common::oracle_json("print(json.dumps(psutil.swap_memory()._asdict()))").unwrap();
        let after = memory::swap_memory().unwrap();
        assert_eq!(after.total as f64, num(&o, "total"));
        for (name, b, a) in [
            ("used", before.used, after.used),
            ("free", before.free, after.free),
            ("sin", before.sin, after.sin),
            ("sout", before.sout, after.sout),
        ] {
            mem_close(name, b, num(&o, name), a)?;
        }
        let p = num(&o, "percent");
        if (after.percent - p).abs() > 0.1 && (before.percent - p).abs() > 0.1 {
            return Err(format!("percent: ours {}, theirs {p}", after.percent));
        }
        Ok(())
    });
}

/// The `Mem:` and `Swap:` rows of `free -b`.
fn free_rows(out: &str) -> (Vec<u64>, Vec<u64>) {
    let row = |prefix: &str| -> Vec<u64> {
        out.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap()
            .split_whitespace()
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect()
    };
    (row("Mem"), row("Swap"))
}

#[test]
fn virtual_memory_matches_free() {
    if sh("free", &["-b"]).is_none() {
        eprintln!("skipped: no free");
        return;
    }
    retry("free -b", || {
        let b = memory::virtual_memory().unwrap();
        let sb = memory::swap_memory().unwrap();
        let (mem, swap) = free_rows(&sh("free", &["-b"]).unwrap());
        let a = memory::virtual_memory().unwrap();
        let sa = memory::swap_memory().unwrap();
        // total used free shared buff/cache available
        assert_eq!(a.total, mem[0], "free total");
        mem_close("used", b.used, mem[1] as f64, a.used)?;
        mem_close("free", b.free, mem[2] as f64, a.free)?;
        if mem[3] != 0 {
            mem_close("shared", b.shared, mem[3] as f64, a.shared)?;
        }
        mem_close("available", b.available, mem[5] as f64, a.available)?;
        assert_eq!(sa.total, swap[0], "free swap total");
        mem_close("swap used", sb.used, swap[1] as f64, sa.used)?;
        mem_close("swap free", sb.free, swap[2] as f64, sa.free)
    });
}

#[test]
fn virtual_memory_matches_vmstat() {
    if sh("vmstat", &["-s"]).is_none() {
        eprintln!("skipped: no vmstat");
        return;
    }
    retry("vmstat -s", || {
        let b = memory::virtual_memory().unwrap();
        let out = sh("vmstat", &["-s"]).unwrap();
        let a = memory::virtual_memory().unwrap();
        let stat = |name: &str| -> f64 {
            let line = out
                .lines()
                .map(str::trim)
                .find(|l| l.ends_with(name))
                .unwrap_or_else(|| panic!("no {name} in vmstat -s"));
            line.split(' ').next().unwrap().parse::<f64>().unwrap() * 1024.0
        };
        assert_eq!(a.total as f64, stat("K total memory"));
        mem_close("free", b.free, stat("K free memory"), a.free)?;
        mem_close("buffers", b.buffers, stat("K buffer memory"), a.buffers)?;
        mem_close("active", b.active, stat("K active memory"), a.active)?;
        mem_close(
            "inactive",
            b.inactive,
            stat("K inactive memory"),
            a.inactive,
        )?;
        let s = memory::swap_memory().unwrap();
        assert_eq!(s.total as f64, stat("K total swap"));
        Ok(())
    });
}

/// Spins on another thread until dropped.
struct Busy(Arc<AtomicBool>, Option<std::thread::JoinHandle<()>>);

impl Busy {
    fn start() -> Busy {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let h = std::thread::spawn(move || {
            let mut x = 0u64;
            while !s.load(Ordering::Relaxed) {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
        });
        Busy(stop, Some(h))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        if let Some(h) = self.1.take() {
            let _ = h.join();
        }
    }
}

#[test]
fn cpu_percent_blocking_sees_a_busy_thread() {
    let _busy = Busy::start();
    let t0 = Instant::now();
    let p = cpu::cpu_percent(Some(Duration::from_millis(300))).unwrap();
    let took = t0.elapsed();
    assert!(p > 0.0 && p <= 100.0, "{p}");
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_millis(1300), "{took:?}");
    let per = cpu::cpu_percent_percpu(Some(Duration::from_millis(300))).unwrap();
    assert_eq!(per.len(), cpu::cpu_count(true).unwrap().unwrap());
    assert!(per.iter().any(|&p| p > 0.0), "{per:?}");
    assert!(per.iter().all(|&p| (0.0..=100.0).contains(&p)));
}

#[test]
fn cpu_times_percent_blocking_adds_up() {
    let t0 = Instant::now();
    // 1 s on every CPU is more than one CPU-second: the fields add to 100.
    let p = cpu::cpu_times_percent(Some(Duration::from_secs(1))).unwrap();
    assert!(t0.elapsed() >= Duration::from_secs(1));
    let sum: f64 = p.fields().iter().map(|(_, v)| v).sum();
    assert!((sum - 100.0).abs() < 1.0, "{p:?} sums to {sum}");
    assert!(p.fields().iter().all(|(_, v)| (0.0..=100.0).contains(v)));
    let per = cpu::cpu_times_percent_percpu(Some(Duration::from_millis(100))).unwrap();
    assert_eq!(per.len(), cpu::cpu_count(true).unwrap().unwrap());
    for t in per {
        assert!(t.fields().iter().all(|(_, v)| (0.0..=100.0).contains(v)));
    }
}

#[test]
fn samplers_are_independent() {
    let mut mine = CpuPercent::new().unwrap();
    let mut other = CpuPercent::new().unwrap();
    {
        let _busy = Busy::start();
        std::thread::sleep(Duration::from_millis(400));
    }
    // `other` measures the busy period and moves its own baseline...
    assert!(other.cpu_percent(None).unwrap() > 0.0);
    let _ = other.cpu_percent(None).unwrap();
    let _ = cpu::cpu_percent(None).unwrap();
    // ...which leaves `mine` measuring from its creation.
    assert!(mine.cpu_percent(None).unwrap() > 0.0);
    assert!(mine
        .cpu_percent_percpu(None)
        .unwrap()
        .iter()
        .any(|&p| p > 0.0));
    assert!(mine.cpu_times_percent(None).unwrap().user > 0.0);
}

#[test]
fn cpu_percent_non_blocking_is_per_thread() {
    // A thread's first non-blocking call compares two back-to-back
    // samples; later calls compare with the previous call on that thread.
    let h = std::thread::spawn(|| {
        let first = cpu::cpu_percent(None).unwrap();
        let _busy = Busy::start();
        std::thread::sleep(Duration::from_millis(300));
        let second = cpu::cpu_percent(None).unwrap();
        (first, second)
    });
    let (first, second) = h.join().unwrap();
    assert!((0.0..=100.0).contains(&first));
    assert!(second > 0.0, "{second}");
}

#[test]
fn process_memory_percent_uses_total() {
    let p = psutil::Process::current().unwrap();
    let pct = p.memory_percent(psutil::process::MemoryType::Rss).unwrap();
    let rss = p.memory_info().unwrap().rss as f64;
    let total = memory::virtual_memory().unwrap().total as f64;
    assert!((pct - rss / total * 100.0).abs() < 0.01);
}
