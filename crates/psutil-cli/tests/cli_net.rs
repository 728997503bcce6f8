//! `psutil netstat` and `psutil ifconfig` end to end, against sockets a
//! python child holds and the machine's NICs.

use std::process::Command;

use common::run;
use serde_json::Value;
use socket_kid::SocketKid;

mod common;
#[path = "../../psutil/tests/helpers/socket_kid.rs"]
mod socket_kid;

/// The library's socket tests compare system-wide tables with psutil's:
/// children holding sockets start one at a time, across test processes
/// (the same lock file as `crates/psutil/tests/common::file_lock`).
fn sockets_lock() -> std::fs::File {
    use std::os::fd::AsRawFd;
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("psutil-rs-sockets.lock"))
        .expect("open lock file");
    // SAFETY: flock on an fd we own.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock");
    f
}

#[test]
fn netstat_json_lists_child_sockets() {
    let _lock = sockets_lock();
    let Some(kid) = SocketKid::start() else {
        return;
    };
    let pid = kid.pid();
    let out = run(&["netstat", "all", "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["pid"] == pid)
        .collect();
    assert_eq!(mine.len(), kid.expected.len());
    for (name, e) in &kid.expected {
        let found = mine.iter().any(|c| {
            c["fd"] == e[0]
                && c["family"] == e[1]
                && c["type"] == e[2]
                && c["laddr"] == e[3]
                && c["raddr"] == e[4]
                && c["status"] == e[5]
        });
        assert!(found, "{name}: {e}");
    }
    // Only inet sockets by default; kind filters.
    let v: Value = serde_json::from_slice(&run(&["netstat", "--json"]).stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|c| c["family"] != 1));
    let v: Value = serde_json::from_slice(&run(&["netstat", "udp6", "--json"]).stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["family"] == 10 && c["type"] == 2));
}

#[test]
fn netstat_text_shows_pid_and_program() {
    let _lock = sockets_lock();
    let Some(kid) = SocketKid::start() else {
        return;
    };
    let pid = kid.pid();
    let port = kid.expected["tcp4_listen"][3][1].as_u64().unwrap();
    let out = run(&["netstat", "tcp"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let header = text.lines().next().unwrap();
    for col in [
        "Proto",
        "Local address",
        "Remote address",
        "Status",
        "PID",
        "Program name",
    ] {
        assert!(header.contains(col), "{header}");
    }
    let line = text
        .lines()
        .find(|l| l.contains(&format!("127.0.0.1:{port} ")) && l.contains("LISTEN"))
        .unwrap_or_else(|| panic!("listener :{port} not in\n{text}"));
    let f: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(f[0], "tcp");
    assert_eq!(f[2], "-");
    assert_eq!(f[4], pid.to_string());
    assert!(f[5].starts_with("python"), "{line}");
    let out = run(&["netstat", "unix"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("a sock"));
}

#[test]
fn netstat_bad_kind_is_a_usage_error() {
    let out = run(&["netstat", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid kind argument 'bogus'; valid ones are:"),
        "{err}"
    );
    assert_eq!(run(&["netstat", "tcp", "udp"]).status.code(), Some(2));
}

#[test]
fn ifconfig_text_and_json() {
    let out = run(&["ifconfig"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("lo:\n") || text.contains("\nlo:\n"),
        "{text}"
    );
    assert!(text.contains("IPv4 address   : 127.0.0.1"));
    assert!(text.contains("stats          : speed="));
    assert!(text.contains("incoming       : bytes="));
    let out = run(&["ifconfig", "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lo = &v["lo"];
    assert_eq!(
        lo["stats"]["flags"]
            .as_str()
            .map(|f| f.contains("loopback")),
        Some(true)
    );
    assert!(lo["io_counters"]["bytes_sent"].is_u64());
    let addrs = lo["addrs"].as_array().unwrap();
    assert!(addrs
        .iter()
        .any(|a| a["family"] == 2 && a["address"] == "127.0.0.1" && a["netmask"] == "255.0.0.0"));
    // Every NIC `ip -o link` knows with a MAC shows up.
    if let Ok(o) = Command::new("ip").args(["-o", "link"]).output() {
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let Some(i) = f.iter().position(|x| *x == "link/ether") {
                let nic = f[1].trim_end_matches(':').split('@').next().unwrap();
                let macs: Vec<&Value> = v[nic]["addrs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|a| a["family"] == 17)
                    .collect();
                assert_eq!(macs[0]["address"], f[i + 1], "{nic}");
            }
        }
    }
}
