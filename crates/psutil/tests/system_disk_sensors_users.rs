//! Live and differential tests of disks, sensors and users: against real
//! psutil 7.2.2 (the oracle venv, a separate interpreter) and against
//! `df`, `findmnt` and `who`, as psutil's own tests do.
//!
//! Every test takes `LOCK`: some change state the others read (a tmpfs
//! mount, `/var/run/utmp`). Fixture roots are entered per thread with
//! `psutil::Roots`.

mod common;

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use psutil::disk::{self, DiskIoCounters, DiskPartition};
use psutil::sensors::{self, Battery, Fan, Temperature};
use psutil::users::{self, User};
use psutil::NameMap;
use serde_json::{json, Value};

static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

const TREE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/system/disk_sensors_tree"
);

/// Numbers as f64, so psutil's `77` (int) equals our `77.0`.
fn norm(v: Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.into_iter().map(norm).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, norm(v))).collect()),
        v => v,
    }
}

fn parts_json(p: &[DiskPartition]) -> Value {
    json!(p
        .iter()
        .map(|p| json!({"device": p.device.to_string_lossy(),
                        "mountpoint": p.mountpoint.to_string_lossy(),
                        "fstype": p.fstype, "opts": p.opts}))
        .collect::<Vec<_>>())
}

fn io_json(c: &DiskIoCounters) -> Value {
    json!({"read_count": c.read_count, "write_count": c.write_count,
           "read_bytes": c.read_bytes, "write_bytes": c.write_bytes,
           "read_time": c.read_time, "write_time": c.write_time,
           "read_merged_count": c.read_merged_count,
           "write_merged_count": c.write_merged_count, "busy_time": c.busy_time})
}

fn temps_json(m: &NameMap<Vec<Temperature>>) -> Value {
    let mut o = serde_json::Map::new();
    for (k, v) in m.iter() {
        o.insert(
            k.into(),
            json!(v
                .iter()
                .map(|t| json!({"label": t.label, "current": t.current,
                                "high": t.high, "critical": t.critical}))
                .collect::<Vec<_>>()),
        );
    }
    Value::Object(o)
}

fn fans_json(m: &NameMap<Vec<Fan>>) -> Value {
    let mut o = serde_json::Map::new();
    for (k, v) in m.iter() {
        o.insert(
            k.into(),
            json!(v
                .iter()
                .map(|f| json!({"label": f.label, "current": f.current}))
                .collect::<Vec<_>>()),
        );
    }
    Value::Object(o)
}

fn battery_json(b: &Option<Battery>) -> Value {
    match b {
        None => Value::Null,
        Some(b) => json!({"percent": b.percent, "secsleft": i64::from(b.secsleft),
                          "power_plugged": b.power_plugged}),
    }
}

fn users_json(u: &[User]) -> Value {
    json!(u
        .iter()
        .map(
            |u| json!({"name": u.name, "terminal": u.terminal, "host": u.host,
                        "started": u.started, "pid": u.pid})
        )
        .collect::<Vec<_>>())
}

const PY_HELPERS: &str = "
def nt(x): return x._asdict() if hasattr(x, '_asdict') else x
def dmap(d): return {k: [nt(e) for e in v] for k, v in d.items()}
";

fn oracle(code: &str) -> Option<Value> {
    common::oracle_json(&format!("{PY_HELPERS}\n{code}")).map(norm)
}

#[test]
fn partitions_match_psutil() {
    let _g = lock();
    // Mounts may change under us (other tests): retry a few times.
    for attempt in 0..5 {
        let ours = json!([
            parts_json(&disk::disk_partitions(false).unwrap()),
            parts_json(&disk::disk_partitions(true).unwrap())
        ]);
        let Some(theirs) = oracle(
            "print(json.dumps([[nt(p) for p in psutil.disk_partitions(a)] for a in (False, True)]))",
        ) else {
            return;
        };
        if ours == theirs {
            return;
        }
        assert!(attempt < 4, "ours {ours:#}\npsutil {theirs:#}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn partitions_match_findmnt() {
    let _g = lock();
    let out = Command::new("findmnt")
        .args(["-rn", "-o", "TARGET,FSTYPE"])
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: no findmnt");
        return;
    };
    let listed: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (t, f) = l.rsplit_once(' ')?;
            Some((t.replace("\\x20", " "), f.to_owned()))
        })
        .collect();
    let parts = disk::disk_partitions(true).unwrap();
    assert!(!parts.is_empty());
    for p in &parts {
        assert!(
            listed
                .iter()
                .any(|(t, f)| p.mountpoint == Path::new(t) && *f == p.fstype),
            "{p:?} not in findmnt"
        );
    }
    // all=False keeps "/" here (a real block device).
    let phys = disk::disk_partitions(false).unwrap();
    assert!(
        phys.iter().any(|p| p.mountpoint == Path::new("/")),
        "{phys:?}"
    );
    assert!(phys.iter().all(|p| !p.device.is_empty()));
}

const MIB: u64 = 1024 * 1024;

#[test]
fn usage_of_root_matches_psutil_and_df() {
    let _g = lock();
    let ours = disk::disk_usage("/").unwrap();
    assert!(ours.used + ours.free <= ours.total);
    if let Some(theirs) = oracle("print(json.dumps(psutil.disk_usage('/')._asdict()))") {
        assert_eq!(theirs["total"].as_f64().unwrap(), ours.total as f64);
        let d_used = (theirs["used"].as_f64().unwrap() - ours.used as f64).abs();
        let d_free = (theirs["free"].as_f64().unwrap() - ours.free as f64).abs();
        assert!(d_used < 16.0 * MIB as f64, "used {theirs} vs {ours:?}");
        assert!(d_free < 16.0 * MIB as f64, "free {theirs} vs {ours:?}");
        assert!((theirs["percent"].as_f64().unwrap() - ours.percent).abs() <= 0.1);
    }
    // df -k -P: 1K-blocks Used Available (psutil's test_disk_usage).
    let out = Command::new("df").args(["-k", "-P", "/"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<u64> = text
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .skip(1)
        .take(3)
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(f[0] * 1024, ours.total / 1024 * 1024);
    assert!(
        (f[1] * 1024).abs_diff(ours.used) < 16 * MIB,
        "{text} {ours:?}"
    );
    assert!(
        (f[2] * 1024).abs_diff(ours.free) < 16 * MIB,
        "{text} {ours:?}"
    );
    // Missing path: OSError.
    assert_eq!(
        disk::disk_usage("/no/such/dir/xyz")
            .unwrap_err()
            .kind_name(),
        "OSError"
    );
}

/// Every counter of psutil's reading lies between ours before and after.
fn bracket(before: &Value, theirs: &Value, after: &Value, what: &str) {
    for (k, v) in theirs.as_object().unwrap() {
        let (a, p, b) = (
            before[k].as_f64().unwrap(),
            v.as_f64().unwrap(),
            after[k].as_f64().unwrap(),
        );
        assert!(a <= p && p <= b, "{what}.{k}: {a} <= {p} <= {b}");
    }
}

#[test]
fn io_counters_match_psutil() {
    let _g = lock();
    let before_per = disk::disk_io_counters_perdisk(false).unwrap();
    let before_tot = disk::disk_io_counters(false).unwrap();
    let Some(theirs) = oracle(
        "t = psutil.disk_io_counters(nowrap=False)\n\
         print(json.dumps([{k: nt(v) for k, v in psutil.disk_io_counters(perdisk=True, nowrap=False).items()}, nt(t) if t else None]))",
    ) else {
        return;
    };
    let after_per = disk::disk_io_counters_perdisk(false).unwrap();
    let after_tot = disk::disk_io_counters(false).unwrap();
    let names: Vec<&str> = before_per.keys().collect();
    let their_names: Vec<&str> = theirs[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, their_names, "device names");
    for name in names {
        bracket(
            &norm(io_json(before_per.get(name).unwrap())),
            &theirs[0][name],
            &norm(io_json(after_per.get(name).unwrap())),
            name,
        );
    }
    match (before_tot, after_tot) {
        (Some(a), Some(b)) => bracket(&norm(io_json(&a)), &theirs[1], &norm(io_json(&b)), "total"),
        (None, None) => assert_eq!(theirs[1], Value::Null),
        other => panic!("{other:?}"),
    }
}

/// The whole-disk name under the device holding `dir`, if it is a block
/// device listed in diskstats.
fn backing_disk(dir: &Path) -> Option<String> {
    let parts = disk::disk_partitions(false).ok()?;
    let best = parts
        .iter()
        .filter(|p| dir.starts_with(&p.mountpoint))
        .max_by_key(|p| p.mountpoint.as_os_str().len())?;
    let name = best.device.to_str()?.strip_prefix("/dev/")?.to_owned();
    disk::disk_io_counters_perdisk(false)
        .ok()?
        .contains_key(&name)
        .then_some(name)
}

#[test]
fn written_and_reread_file_moves_counters() {
    let _g = lock();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let Some(name) = backing_disk(&dir) else {
        eprintln!(
            "skipped: {} is not on a block device in diskstats",
            dir.display()
        );
        return;
    };
    let path = dir.join(format!("psutil-io-{}", std::process::id()));
    let before = *disk::disk_io_counters_perdisk(false)
        .unwrap()
        .get(&name)
        .unwrap();
    let total_before = disk::disk_io_counters(false).unwrap().unwrap();
    let data = vec![0x5a_u8; 4 * MIB as usize];
    {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .mode(0o600)
            .open(&path)
            .unwrap();
        f.write_all(&data).unwrap();
        f.sync_all().unwrap();
        // Drop the cached pages so the next read goes to the disk.
        rustix::fs::fadvise(&f, 0, None, rustix::fs::Advice::DontNeed).unwrap();
    }
    let mid = *disk::disk_io_counters_perdisk(false)
        .unwrap()
        .get(&name)
        .unwrap();
    assert!(mid.write_count > before.write_count, "{before:?} {mid:?}");
    assert!(
        mid.write_bytes >= before.write_bytes + 4 * MIB,
        "{before:?} {mid:?}"
    );
    assert!(mid.write_time >= before.write_time);
    let total_mid = disk::disk_io_counters(false).unwrap().unwrap();
    assert!(total_mid.write_bytes >= total_before.write_bytes + 4 * MIB);
    let back = std::fs::read(&path).unwrap();
    assert_eq!(back.len(), data.len());
    let after = *disk::disk_io_counters_perdisk(false)
        .unwrap()
        .get(&name)
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(after.read_count > mid.read_count, "{mid:?} {after:?}");
    assert!(
        after.read_bytes >= mid.read_bytes + 4 * MIB,
        "{mid:?} {after:?}"
    );
}

/// A tmpfs mounted for one test, unmounted on drop.
struct Tmpfs(PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[test]
fn usage_of_own_tmpfs() {
    let _g = lock();
    if !common::is_root() {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let dir = common::tempdir("tmpfs-usage");
    let st = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64m", "tmpfs"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(st.success(), "mount failed");
    let mnt = Tmpfs(dir.clone());
    let empty = disk::disk_usage(&mnt.0).unwrap();
    assert_eq!(empty.total, 64 * MIB);
    assert!(empty.used < MIB, "{empty:?}");
    assert_eq!(empty.used + empty.free, empty.total);
    let f = mnt.0.join("blob");
    std::fs::write(&f, vec![1u8; 8 * MIB as usize]).unwrap();
    let full = disk::disk_usage(&f).unwrap();
    assert_eq!(full.total, 64 * MIB);
    assert!(full.used >= empty.used + 8 * MIB, "{full:?}");
    assert!(full.used < empty.used + 9 * MIB, "{full:?}");
    assert_eq!(full.free, full.total - full.used);
    assert!((full.percent - 12.5).abs() < 1.0, "{full:?}");
    // Exactly psutil's numbers on a filesystem nobody else touches.
    let code = format!(
        "print(json.dumps(psutil.disk_usage({:?})._asdict()))",
        mnt.0.to_str().unwrap()
    );
    if let Some(theirs) = oracle(&code) {
        assert_eq!(
            theirs,
            norm(
                json!({"total": full.total, "used": full.used, "free": full.free,
                        "percent": full.percent})
            )
        );
    }
    // The mount shows up with all=True only (tmpfs is "nodev").
    let m = mnt.0.to_str().unwrap();
    let all = disk::disk_partitions(true).unwrap();
    assert!(
        all.iter().any(|p| p.mountpoint == Path::new(m)
            && p.fstype == "tmpfs"
            && p.device == "tmpfs"
            && p.opts.contains("size=65536k")),
        "{all:?}"
    );
    assert!(!disk::disk_partitions(false)
        .unwrap()
        .iter()
        .any(|p| p.mountpoint == Path::new(m)));
    drop(mnt);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn live_sensors_match_psutil() {
    let _g = lock();
    let ours = json!({
        "t": temps_json(&sensors::sensors_temperatures(false).unwrap()),
        "tf": temps_json(&sensors::sensors_temperatures(true).unwrap()),
        "f": fans_json(&sensors::sensors_fans().unwrap()),
        "b": battery_json(&sensors::sensors_battery().unwrap()),
    });
    let Some(theirs) = oracle(
        "b = psutil.sensors_battery()\n\
         print(json.dumps({'t': dmap(psutil.sensors_temperatures()), \
         'tf': dmap(psutil.sensors_temperatures(fahrenheit=True)), \
         'f': dmap(psutil.sensors_fans()), 'b': nt(b) if b else None}))",
    ) else {
        return;
    };
    assert_eq!(norm(ours), theirs);
}

/// Runs the oracle with the fixture `sys` tree bind-mounted over `/sys` in
/// a private mount namespace (psutil hard-codes `/sys`), and `PROCFS_PATH`
/// set to `proc`. `None` when that is not possible here.
fn oracle_in_tree(sys: &Path, proc: &Path, code: &str) -> Option<Value> {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-oracle/bin/python");
    if !common::is_root() || !py.exists() {
        eprintln!("skipped: needs root and the oracle venv");
        return None;
    }
    let script = format!(
        "import json, psutil\npsutil.PROCFS_PATH = {:?}\n{PY_HELPERS}\n{code}",
        proc.to_str().unwrap()
    );
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg("mount --bind \"$1\" /sys && exec \"$2\" -c \"$3\"")
        .arg("sh")
        .arg(sys)
        .arg(py)
        .arg(script)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "skipped: unshare failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(norm(serde_json::from_slice(&out.stdout).unwrap()))
}

#[test]
fn fixture_trees_match_psutil() {
    let _g = lock();
    let proc = Path::new(TREE).join("proc");
    let code = "b = psutil.sensors_battery()\n\
        print(json.dumps({'t': dmap(psutil.sensors_temperatures()), \
        'tf': dmap(psutil.sensors_temperatures(fahrenheit=True)), \
        'f': dmap(psutil.sensors_fans()), 'b': nt(b) if b else None, \
        'p': [[nt(p) for p in psutil.disk_partitions(a)] for a in (False, True)], \
        'io': {k: nt(v) for k, v in psutil.disk_io_counters(perdisk=True, nowrap=False).items()}, \
        'tot': nt(psutil.disk_io_counters(nowrap=False))}))";
    for sub in ["sys", "sys_plugged", "sys_capacity", "sys_thermal"] {
        let sys = Path::new(TREE).join(sub);
        let Some(mut theirs) = oracle_in_tree(&sys, &proc, code) else {
            return;
        };
        let roots = common::fake_roots(Some(&proc), Some(&sys), None);
        let per = disk::disk_io_counters_perdisk(false);
        let mut io = serde_json::Map::new();
        for (k, v) in per.as_ref().unwrap().iter() {
            io.insert(k.into(), io_json(v));
        }
        let mut ours = json!({
            "t": temps_json(&sensors::sensors_temperatures(false).unwrap()),
            "tf": temps_json(&sensors::sensors_temperatures(true).unwrap()),
            "f": fans_json(&sensors::sensors_fans().unwrap()),
            "b": battery_json(&sensors::sensors_battery().unwrap()),
            "p": [parts_json(&disk::disk_partitions(false).unwrap()),
                  parts_json(&disk::disk_partitions(true).unwrap())],
            "io": Value::Object(io),
            "tot": disk::disk_io_counters(false).unwrap().map(|c| io_json(&c)),
        });
        drop(roots);
        if sub == "sys_thermal" {
            // psutil divides an already converted trip temperature by 1000
            // again when a zone has several trip points (and iterates them
            // in set order); compare only the single-trip zone.
            for k in ["t", "tf"] {
                theirs[k].as_object_mut().unwrap().remove("x86_pkg_temp");
                ours[k].as_object_mut().unwrap().remove("x86_pkg_temp");
            }
        }
        assert_eq!(norm(ours), theirs, "tree {sub}");
    }
}

fn who_lines() -> Vec<String> {
    let out = Command::new("who").output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn live_users_match_psutil_and_who() {
    let _g = lock();
    let _utmp = common::utmp_guard();
    let ours = users::users().unwrap();
    if let Some(theirs) = oracle("print(json.dumps([nt(u) for u in psutil.users()]))") {
        assert_eq!(norm(users_json(&ours)), theirs);
    }
    assert_eq!(ours.len(), who_lines().len());
}

/// A utmp record in glibc's x86_64 layout (see parse/utmp.rs).
fn utmp_record(ut_type: i16, pid: i32, line: &str, user: &str, host: &str, sec: i32) -> Vec<u8> {
    let mut b = vec![0u8; 384];
    b[0..2].copy_from_slice(&ut_type.to_ne_bytes());
    b[4..8].copy_from_slice(&pid.to_ne_bytes());
    b[8..8 + line.len()].copy_from_slice(line.as_bytes());
    b[44..44 + user.len()].copy_from_slice(user.as_bytes());
    b[76..76 + host.len()].copy_from_slice(host.as_bytes());
    b[340..344].copy_from_slice(&sec.to_ne_bytes());
    b
}

/// Removes the synthetic utmp file on drop.
struct TempUtmp;

impl Drop for TempUtmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(users::UTMP_PATH);
    }
}

#[test]
fn synthetic_sessions_match_psutil_and_who() {
    let _g = lock();
    let _utmp = common::utmp_guard();
    if !common::is_root() || Path::new(users::UTMP_PATH).exists() {
        eprintln!("skipped: needs root and no real {}", users::UTMP_PATH);
        return;
    }
    let me = std::process::id() as i32;
    let mut data = Vec::new();
    data.extend(utmp_record(2, 0, "~", "reboot", "6.1.0", 1_699_990_000));
    data.extend(utmp_record(
        7,
        me,
        "pts/7",
        "alice",
        "192.0.2.1",
        1_700_000_000,
    ));
    data.extend(utmp_record(8, 99, "pts/8", "", "", 1_700_000_050));
    data.extend(utmp_record(7, 1, "tty1", "bob", "", 1_700_000_100));
    data.extend(utmp_record(7, me, "pts/9", "carol", ":0", 1_700_000_200));
    std::fs::write(users::UTMP_PATH, &data).unwrap();
    let _cleanup = TempUtmp;
    let ours = users::users().unwrap();
    assert_eq!(
        ours.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["alice", "bob", "carol"]
    );
    assert_eq!(ours[1].host.as_deref(), Some("localhost"));
    assert_eq!(ours[0].pid, me as u32);
    if let Some(theirs) = oracle("print(json.dumps([nt(u) for u in psutil.users()]))") {
        assert_eq!(norm(users_json(&ours)), theirs);
    }
    // who: NAME LINE DATE TIME [(HOST)]
    let who = who_lines();
    assert_eq!(who.len(), ours.len(), "{who:?}");
    for (line, u) in who.iter().zip(&ours) {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f[0], u.name);
        assert_eq!(f[1], u.terminal.as_deref().unwrap_or(""));
    }
}
