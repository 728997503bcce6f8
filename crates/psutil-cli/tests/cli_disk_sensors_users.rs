//! End-to-end tests of `psutil disk_usage`, `sensors`, `temperatures`,
//! `fans`, `battery` and `who`, checked against real psutil where it
//! helps (the oracle venv).

use std::path::Path;

use serde_json::Value;

use common::{ok, ok_json, run};

mod common;

/// The `who` tests read or write `/var/run/utmp`, as do tests of the
/// library in another binary: an exclusive `flock` on a shared lock file
/// keeps them apart (nextest runs tests in parallel processes).
fn utmp_guard() -> std::fs::File {
    use std::os::fd::AsRawFd;
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("psutil-rs-utmp.lock"))
        .expect("open utmp lock file");
    // SAFETY: flock on an fd we own.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock");
    f
}

/// Real psutil's answer as JSON (`nt` turns a named tuple into a dict),
/// or `None` without the oracle venv.
fn oracle(code: &str) -> Option<Value> {
    let out = common::oracle(&format!(
        "import json, psutil\ndef nt(x): return x._asdict() if hasattr(x, '_asdict') else x\n{code}"
    ))?;
    Some(serde_json::from_str(&out).unwrap())
}

#[test]
fn commands_are_listed() {
    let help = ok(&["--help"]);
    for c in [
        "disk_usage",
        "sensors",
        "temperatures",
        "fans",
        "battery",
        "who",
    ] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(c)), "{c}");
        assert!(ok(&[c, "--help"]).starts_with(&format!("usage: psutil {c}")));
    }
    let o = run(&["who", "extra"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn disk_usage_json_matches_psutil() {
    let ours = ok_json(&["disk_usage", "--json"]);
    let list = ours.as_array().unwrap();
    assert!(list.iter().any(|r| r["mountpoint"] == "/"), "{ours:#}");
    for r in list {
        for k in ["device", "mountpoint", "fstype", "opts"] {
            assert!(r[k].is_string(), "{r}");
        }
        for k in ["total", "used", "free", "percent"] {
            assert!(r["usage"][k].is_number(), "{r}");
        }
    }
    let Some(theirs) = oracle(
        "print(json.dumps([dict(nt(p), usage=nt(psutil.disk_usage(p.mountpoint))) \
         for p in psutil.disk_partitions()]))",
    ) else {
        return;
    };
    let theirs = theirs.as_array().unwrap();
    assert_eq!(list.len(), theirs.len());
    for (a, b) in list.iter().zip(theirs) {
        for k in ["device", "mountpoint", "fstype", "opts"] {
            assert_eq!(a[k], b[k]);
        }
        assert_eq!(a["usage"]["total"], b["usage"]["total"]);
        let d = a["usage"]["used"].as_f64().unwrap() - b["usage"]["used"].as_f64().unwrap();
        assert!(d.abs() < 16.0 * 1024.0 * 1024.0, "{a} {b}");
    }
}

#[test]
fn disk_usage_text_like_the_script() {
    let text = ok(&["disk_usage"]);
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        head,
        ["Device", "Total", "Used", "Free", "Use", "%", "Type", "Mount"]
    );
    let root = lines.find(|l| l.ends_with("  /")).expect("a line for /");
    assert!(root.contains('%'), "{root}");
    // --all adds pseudo filesystems such as proc.
    let all = ok(&["disk_usage", "--all"]);
    assert!(all.lines().count() >= text.lines().count());
}

#[test]
fn sensors_json_matches_psutil() {
    let ours = ok_json(&["sensors", "--json"]);
    let Some(theirs) = oracle(
        "b = psutil.sensors_battery()\n\
         d = lambda m: {k: [nt(e) for e in v] for k, v in m.items()}\n\
         print(json.dumps({'temperatures': d(psutil.sensors_temperatures()), \
         'fans': d(psutil.sensors_fans()), 'battery': nt(b) if b else None}))",
    ) else {
        return;
    };
    assert_eq!(ours, theirs);
    assert_eq!(ok_json(&["temperatures", "--json"]), theirs["temperatures"]);
    assert_eq!(ok_json(&["fans", "--json"]), theirs["fans"]);
    assert_eq!(ok_json(&["battery", "--json"]), theirs["battery"]);
}

#[test]
fn sensors_text_on_this_machine() {
    let temps = run(&["temperatures"]);
    let fans = run(&["fans"]);
    let bat = run(&["battery"]);
    let json_temps = ok_json(&["temperatures", "--json"]);
    if json_temps.as_object().unwrap().is_empty() {
        assert_eq!(temps.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&temps.stderr).contains("can't read any temperature"));
    } else {
        assert!(temps.status.success());
        assert!(String::from_utf8_lossy(&temps.stdout).contains("°C"));
    }
    if ok_json(&["fans", "--json"]).as_object().unwrap().is_empty() {
        assert_eq!(fans.status.code(), Some(1));
    } else {
        assert!(String::from_utf8_lossy(&fans.stdout).contains("RPM"));
    }
    if ok_json(&["battery", "--json"]).is_null() {
        assert_eq!(bat.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&bat.stderr).contains("no battery"));
    } else {
        assert!(String::from_utf8_lossy(&bat.stdout).contains("charge:"));
    }
    // `sensors` itself never fails for lack of sensors.
    ok(&["sensors"]);
    ok(&["sensors", "--fahrenheit"]);
}

#[test]
fn who_matches_psutil() {
    let _utmp = utmp_guard();
    let ours = ok_json(&["who", "--json"]);
    if let Some(theirs) = oracle("print(json.dumps([nt(u) for u in psutil.users()]))") {
        assert_eq!(ours, theirs);
    }
    let text = ok(&["who"]);
    assert_eq!(text.lines().count(), ours.as_array().unwrap().len());
    for (line, u) in text.lines().zip(ours.as_array().unwrap()) {
        assert!(line.starts_with(u["name"].as_str().unwrap()), "{line}");
    }
}

/// glibc x86_64 `struct utmp` (384 bytes): type, pid, line, user, host, tv_sec.
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

#[test]
fn who_with_synthetic_sessions() {
    let _utmp = utmp_guard();
    const UTMP: &str = "/var/run/utmp";
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root || Path::new(UTMP).exists() {
        eprintln!("skipped: needs root and no real {UTMP}");
        return;
    }
    struct Cleanup;
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(UTMP);
        }
    }
    let me = std::process::id() as i32;
    let mut data = utmp_record(7, me, "pts/4", "alice", "192.0.2.9", 1_700_000_000);
    data.extend(utmp_record(8, 5, "pts/5", "", "", 1_700_000_001));
    data.extend(utmp_record(7, 0, "", "bob", ":0", 1_700_000_002));
    std::fs::write(UTMP, &data).unwrap();
    let _c = Cleanup;
    let ours = ok_json(&["who", "--json"]);
    assert_eq!(ours.as_array().unwrap().len(), 2);
    assert_eq!(ours[1]["terminal"], Value::Null);
    assert_eq!(ours[1]["host"], "localhost");
    if let Some(theirs) = oracle("print(json.dumps([nt(u) for u in psutil.users()]))") {
        assert_eq!(ours, theirs);
    }
    let text = ok(&["who"]);
    let lines: Vec<&str> = text.lines().collect();
    let f: Vec<&str> = lines[0].split_whitespace().collect();
    // alice pts/4 DATE TIME (192.0.2.9) <name of this test process>
    assert_eq!(&f[..2], ["alice", "pts/4"]);
    assert_eq!(f[4], "(192.0.2.9)");
    let me_name = std::fs::read_to_string(format!("/proc/{me}/comm")).unwrap();
    // psutil's name(): comm, or the longer cmdline basename it starts.
    assert!(f[5].starts_with(me_name.trim_end()), "{}", lines[0]);
    let f: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(&f[..2], ["bob", "-"]);
    assert_eq!(f[4], "(localhost)");
}
