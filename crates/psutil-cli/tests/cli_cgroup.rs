//! End-to-end tests of `psutil cgroup` and `psutil cgroups`: against the
//! library's fixture trees (`--procfs`/`--cgroupfs`), and live on this
//! machine.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

use common::BIN;

mod common;

const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const MIB: u64 = 1 << 20;

fn fixture(tree: &str) -> [String; 4] {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../psutil/tests/fixtures/cgroup")
        .join(tree);
    [
        "--procfs".into(),
        base.join("proc").to_string_lossy().into_owned(),
        "--cgroupfs".into(),
        base.join("sys/fs/cgroup").to_string_lossy().into_owned(),
    ]
}

fn run(args: &[&str], tree: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    if let Some(t) = tree {
        cmd.args(fixture(t));
    }
    cmd.output().expect("run psutil")
}

fn ok(args: &[&str], tree: Option<&str>) -> String {
    let out = run(args, tree);
    assert!(
        out.status.success(),
        "psutil {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_of(args: &[&str], tree: Option<&str>) -> Value {
    serde_json::from_str(&ok(args, tree)).unwrap()
}

/// The rows of `psutil cgroups --once --json ARGS...`.
fn cgroups_rows(args: &[&str], tree: Option<&str>) -> Vec<Value> {
    let mut all = vec!["cgroups", "--once", "--json"];
    all.extend_from_slice(args);
    match json_of(&all, tree) {
        Value::Array(rows) => rows,
        v => panic!("psutil {all:?} printed no list: {v}"),
    }
}

/// The `path` of each row.
fn paths(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["path"].as_str().unwrap()).collect()
}

#[test]
fn cgroup_json_v2_fixture() {
    let v = json_of(&["cgroup", "4242", "--json"], Some("v2"));
    assert_eq!(v["version"], 2);
    assert!(v["path"]
        .as_str()
        .unwrap()
        .ends_with(&format!("cri-containerd-{ID}.scope")));
    assert_eq!(v["runtime"], "containerd");
    assert_eq!(v["container_id"], ID);
    assert_eq!(v["pod_uid"], "5f2e9a4c-1b7d-4e0a-9c3b-2d8f6a1e4b70");
    assert_eq!(
        v["memory"],
        json!({
            "usage": 192 * MIB, "limit": 512 * MIB, "high": null,
            "working_set": 160 * MIB, "rss": 144 * MIB, "cache": 40 * MIB,
            "swap_usage": null, "swap_limit": 0, "oom_events": 3, "oom_kills": 2,
        })
    );
    assert_eq!(
        v["cpu"],
        json!({
            "usage_seconds": 4.5, "user_seconds": 4.0, "system_seconds": 0.5,
            "limit_cpus": 1.5, "quota_us": 150000, "period_us": 100000,
            "weight": 79, "shares": null, "nr_periods": 120, "nr_throttled": 45,
            "throttled_seconds": 2.25, "cpuset": [0, 1, 2, 3],
        })
    );
    assert_eq!(
        v["io"],
        json!({"read_bytes": 1052672, "write_bytes": 4194304, "read_ios": 17, "write_ios": 64})
    );
    assert_eq!(v["pids"], json!({"current": 7, "max": null}));
    assert_eq!(
        v["pressure"]["cpu"],
        json!({
            "some": {"avg10": 12.5, "avg60": 10.0, "avg300": 5.25, "total": 2.25},
            "full": {"avg10": 12.0, "avg60": 9.5, "avg300": 5.0, "total": 2.1},
        })
    );
    assert_eq!(v["effective_cpu_count"], 2);
    assert_eq!(v["effective_memory_limit"], 256 * MIB);
}

#[test]
fn cgroup_json_v1_fixture_and_text() {
    let v = json_of(&["cgroup", "4242", "--json"], Some("v1"));
    assert_eq!(v["version"], 1);
    assert_eq!(v["path"], format!("/docker/{ID}"));
    assert_eq!(v["runtime"], "docker");
    assert_eq!(v["memory"]["limit"], 512 * MIB);
    assert_eq!(v["memory"]["swap_limit"], Value::Null);
    assert_eq!(v["memory"]["oom_kills"], 0);
    assert_eq!(v["cpu"]["limit_cpus"], 0.5);
    assert_eq!(v["cpu"]["nr_throttled"], 10);
    assert_eq!(v["pids"], json!({"current": 1, "max": 64}));
    // No PSI on this v1 tree: each resource null, not zero.
    assert_eq!(
        v["pressure"],
        json!({"cpu": null, "memory": null, "io": null})
    );
    assert_eq!(v["effective_cpu_count"], 1);
    assert_eq!(v["effective_memory_limit"], 256 * MIB);

    let t = ok(&["cgroup", "4242"], Some("v1"));
    assert!(
        t.starts_with(&format!("cgroup     /docker/{ID} (v1)\n")),
        "{t}"
    );
    assert!(
        t.contains("runs in    docker, container 0123456789ab\n"),
        "{t}"
    );
    assert!(
        t.contains("limit 0.50 CPUs, throttled in 10 of 19 periods"),
        "{t}"
    );
    assert!(
        t.contains("io         read 1.0M (2 ops), written 4.0M (8 ops)\n"),
        "{t}"
    );
    assert!(t.contains("tasks      1 (limit 64)\n"), "{t}");
    assert!(!t.contains("pressure"), "{t}");
    assert!(t.ends_with("effective  1 CPUs, 256.0M memory\n"), "{t}");
}

#[test]
fn cgroup_errors() {
    let out = run(&["cgroup", "999999999", "--json"], Some("v2"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchProcess"));
    let out = run(&["cgroup", "abc"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["cgroups", "--sort", "bogus", "--once"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["cgroups", "--depth", "-1", "--once"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cgroups_json_v2_fixture() {
    let rows = cgroups_rows(
        &["--depth", "9", "--sort", "path", "--interval", "0.05"],
        Some("v2"),
    );
    let pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5f2e9a4c_1b7d_4e0a_9c3b_2d8f6a1e4b70.slice";
    let scope = format!("{pod}/cri-containerd-{ID}.scope");
    assert_eq!(
        paths(&rows),
        [
            "/",
            "/kubepods.slice",
            "/kubepods.slice/kubepods-burstable.slice",
            pod,
            &scope,
            "/system.slice",
            "/system.slice/ssh.service",
        ]
    );
    let c = &rows[4];
    assert_eq!(c["depth"], 4);
    assert_eq!(c["tasks"], 7);
    assert_eq!(c["memory"], 192 * MIB);
    assert_eq!(c["memory_limit"], 512 * MIB);
    assert_eq!(c["cpu_limit"], 1.5);
    // A fixture does not move: every rate is zero.
    assert_eq!(c["cpu_percent"], 0.0);
    assert_eq!(c["io_read_bytes_per_sec"], 0.0);
    assert_eq!(c["throttled_percent"], 0.0);
    assert_eq!(c["pressure_cpu"], 12.5);
    assert_eq!(c["pressure_io"], 0.1);
    assert_eq!(c["runtime"], "containerd");
    assert_eq!(c["container_id"], ID);
    // The root has no memory.current on v2: unavailable.
    assert_eq!(rows[0]["memory"], Value::Null);

    // Depth and filter bound the set; memory order puts the biggest first.
    let rows = cgroups_rows(
        &["--depth", "1", "--sort", "memory", "--interval", "0.05"],
        Some("v2"),
    );
    assert_eq!(paths(&rows), ["/kubepods.slice", "/", "/system.slice"]);
    let rows = cgroups_rows(
        &["--depth", "9", "--filter", "ssh", "--interval", "0.05"],
        Some("v2"),
    );
    assert_eq!(rows.len(), 1);
}

#[test]
fn cgroups_text_v1_fixture() {
    let t = ok(
        &["cgroups", "--once", "--sort", "path", "--interval", "0.05"],
        Some("v1"),
    );
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 5, "{t}");
    assert!(lines[0].starts_with("PATH "), "{t}");
    assert!(
        lines[0]
            .ends_with("TASKS   %CPU  MEMORY   LIMIT    READ/s   WRITE/s  THR%  PCPU  PMEM   PIO"),
        "{t}"
    );
    assert!(lines[1].starts_with("/ "), "{t}");
    assert!(lines[2].starts_with("/docker "), "{t}");
    assert!(lines[2].contains(" 256.0M "), "{t}");
    // A path longer than the column keeps its end.
    assert!(lines[3].starts_with(&format!("…{}", &ID[5..])), "{t}");
    assert!(lines[3].contains(" 512.0M "), "{t}");
    assert!(lines[4].starts_with("/mem-only "), "{t}");
}

/// The calling process's own cgroup path as /proc/self/cgroup gives it:
/// the memory line on v1 and hybrid hosts, else the v2 line.
fn own_path() -> Option<String> {
    let text = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let mut v2 = None;
    for line in text.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, ctrls, path) = (parts.next()?, parts.next()?, parts.next()?);
        if ctrls.split(',').any(|c| c == "memory") {
            return Some(path.to_owned());
        }
        if ctrls.is_empty() {
            v2 = Some(path.to_owned());
        }
    }
    v2
}

#[test]
fn cgroup_live_self() {
    let Some(expected) = own_path() else {
        eprintln!("skipped: no /proc/self/cgroup");
        return;
    };
    let v = json_of(&["cgroup", "--json"], None);
    assert_eq!(v["path"], expected);
    let cpus = std::thread::available_parallelism().unwrap().get() as u64;
    let n = v["effective_cpu_count"].as_u64().unwrap();
    assert!((1..=cpus).contains(&n), "{n} of {cpus}");
    let ram = std::fs::read_to_string("/proc/meminfo").unwrap();
    let total: u64 = ram
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(v["effective_memory_limit"].as_u64().unwrap() <= total * 1024);
    let t = ok(&["cgroup"], None);
    assert!(t.starts_with(&format!("cgroup     {expected} (v")), "{t}");
    let rows = cgroups_rows(
        &["--interval", "0.1", "--depth", "1", "--sort", "path"],
        None,
    );
    assert_eq!(rows[0]["path"], "/");
    assert_eq!(rows[0]["depth"], 0);
    assert!(rows[1..].iter().all(|r| r["depth"] == 1));
}

/// A cgroup `/NAME` with a 300 MiB memory limit and a 0.75-CPU quota, in
/// the v1 memory, cpu and cpuacct hierarchies or in a pure v2 hierarchy at
/// /sys/fs/cgroup; removed on drop. `None` (the caller skips) when not root
/// or without those controllers.
struct Limited {
    dirs: Vec<PathBuf>,
    procs: Vec<PathBuf>,
}

impl Limited {
    fn make(name: &str) -> Option<Limited> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        let mut v1: Vec<(String, PathBuf)> = Vec::new();
        let mut v2 = false;
        for line in mountinfo.lines() {
            let (pre, post) = line.split_once(" - ")?;
            let point = PathBuf::from(pre.split(' ').nth(4)?);
            let mut f = post.split(' ');
            match (f.next()?, f.nth(1)?) {
                ("cgroup", opts) => {
                    for c in ["memory", "cpu", "cpuacct"] {
                        if opts.split(',').any(|o| o == c) && !v1.iter().any(|(_, p)| *p == point) {
                            v1.push((c.to_owned(), point.clone()));
                        }
                    }
                }
                ("cgroup2", _) if point == std::path::Path::new("/sys/fs/cgroup") => v2 = true,
                _ => {}
            }
        }
        let mut made = Limited {
            dirs: Vec::new(),
            procs: Vec::new(),
        };
        let has = |c: &str| v1.iter().any(|(x, _)| x == c);
        if has("memory") && has("cpu") {
            let mem = (300u64 << 20).to_string();
            for (c, point) in &v1 {
                let d = point.join(name);
                std::fs::create_dir(&d).ok()?;
                made.dirs.push(d.clone());
                made.procs.push(d.join("cgroup.procs"));
                if c == "memory" {
                    std::fs::write(d.join("memory.limit_in_bytes"), &mem).ok()?;
                }
                if std::fs::read_dir(&d)
                    .ok()?
                    .flatten()
                    .any(|e| e.file_name() == "cpu.cfs_quota_us")
                {
                    std::fs::write(d.join("cpu.cfs_quota_us"), "75000").ok()?;
                }
            }
        } else if v2 {
            let root = PathBuf::from("/sys/fs/cgroup");
            let _ = std::fs::write(root.join("cgroup.subtree_control"), "+cpu +memory");
            let d = root.join(name);
            std::fs::create_dir(&d).ok()?;
            made.dirs.push(d.clone());
            made.procs.push(d.join("cgroup.procs"));
            std::fs::write(d.join("memory.max"), (300u64 << 20).to_string()).ok()?;
            std::fs::write(d.join("cpu.max"), "75000 100000").ok()?;
        } else {
            return None;
        }
        Some(made)
    }

    /// A shell command that moves itself in, then runs `args`.
    fn run(&self, args: &[&str]) -> Output {
        let mut script = String::new();
        for p in &self.procs {
            script.push_str(&format!("echo $$ > {} && ", p.display()));
        }
        script.push_str("exec \"$0\" \"$@\"");
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(BIN)
            .args(args)
            .output()
            .unwrap()
    }
}

impl Drop for Limited {
    fn drop(&mut self) {
        for d in &self.dirs {
            for _ in 0..100 {
                if std::fs::remove_dir(d).is_ok() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

#[test]
fn top_measures_against_the_cgroup_limit() {
    let name = format!("psutil-cli-top-{}", std::process::id());
    let Some(cg) = Limited::make(&name) else {
        eprintln!(
            "skipped: needs root and the memory and cpu controllers (v1, or v2 at /sys/fs/cgroup)"
        );
        return;
    };
    let out = cg.run(&[
        "top",
        "--once",
        "--json",
        "--interval",
        "0.2",
        "--cgroup",
        &name,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let limits = &v["cgroup"];
    assert_eq!(limits["path"], format!("/{name}"));
    assert_eq!(limits["cpu_limit"], 0.75);
    assert_eq!(limits["mem_limit"], 300 * MIB);
    let used = limits["mem_used"].as_u64().unwrap();
    assert!(used > 0 && used < 300 * MIB, "{used}");
    let pct = limits["cpu_percent"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&pct), "{pct}");
    // Only the processes of that cgroup: top itself.
    let rows = v["processes"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r["cgroup"] == format!("/{name}")),
        "{rows:?}"
    );
    let t = cg.run(&["top", "--once", "--interval", "0.2", "--cgroup", &name]);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("Cgroup /{name} limits: CPU "))
                && l.contains("of 0.75 CPUs")
                && l.contains(" / 300.0M limit (")),
        "{text}"
    );
    assert!(text.contains(" CGROUP         COMMAND"), "{text}");
}
