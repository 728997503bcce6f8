//! `psutil top` and the live views end to end: in a real terminal (a
//! private tmux server: start the UI, send keys, read the pane like a
//! person would) and as plain snapshots when stdout is not a terminal.
//!
//! The tmux tests skip with a message when tmux is not installed.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::{run, UniqueSleep, BIN};

mod common;

/// Numbers the tmux servers of this test process.
static SEQ: AtomicUsize = AtomicUsize::new(0);

/// A private tmux server running one command in a 100×30 pane. After the
/// command ends the pane shows `EXITED <status>`. Killed on drop.
struct Tmux {
    sock: String,
}

fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("SKIP: tmux is not installed (apt-get install tmux)");
    }
    ok
}

impl Tmux {
    fn start(args: &str) -> Tmux {
        let n = SEQ.fetch_add(1, Ordering::SeqCst);
        let sock = format!("psutil-top-test-{}-{n}", std::process::id());
        let cmd = format!("{BIN} {args}; echo EXITED $?; sleep 600");
        let st = Command::new("tmux")
            .args([
                "-L",
                &sock,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
            ])
            .args(["-x", "100", "-y", "30", &cmd])
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux");
        assert!(st.success(), "tmux new-session failed");
        Tmux { sock }
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.sock])
            .args(args)
            .output()
            .expect("tmux")
    }

    /// Sends named keys (`Enter`, `Down`, `q`), one at a time, so an Esc
    /// is never merged with the next key into an Alt chord.
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
        std::thread::sleep(Duration::from_millis(150));
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Polls the pane until `pred` holds (10 s at most); the screen then.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if t0.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let path = self.tmux(&["display", "-p", "#{socket_path}"]).stdout;
        self.tmux(&["kill-server"]);
        let path = String::from_utf8_lossy(&path).trim().to_string();
        if path.ends_with(&self.sock) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The PIDs of the table rows on a `top` screen, top to bottom.
fn table_pids(screen: &str) -> Vec<u32> {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(start) = lines.iter().position(|l| l.contains("PID USER")) else {
        return Vec::new();
    };
    lines[start + 1..]
        .iter()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

/// A table row's whitespace-separated fields, by PID.
fn row_fields(screen: &str, pid: u32) -> Option<Vec<String>> {
    screen
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&pid.to_string()))
        .map(|l| l.split_whitespace().map(String::from).collect())
}

#[test]
fn top_tmux_filter_kill_and_quit() {
    if !have_tmux() {
        return;
    }
    let sleep = UniqueSleep::new();
    let mut kid = sleep.start();
    let pid = kid.pid();
    let t = Tmux::start("top --interval 0.5");
    let s = t.wait_for("the header", |s| {
        s.contains("PID USER") && s.contains("Load average:") && s.contains("Tasks:")
    });
    assert!(s.contains("Mem[") && s.contains("Swp["), "{s}");
    assert!(s.lines().next().unwrap().starts_with("0["), "{s}");

    // Filter by the child's unique name: only its row is left.
    t.keys(&["/"]);
    t.type_text(&sleep.name);
    t.keys(&["Enter"]);
    let s = t.wait_for("the filtered row", |s| table_pids(s) == [pid]);
    let f = row_fields(&s, pid).unwrap();
    assert_eq!(f.last().unwrap(), "600", "{s}"); // `… tkNNNx0 600`
    assert!(f.iter().any(|x| x == "sleeping"), "{s}");
    assert!(s.contains(&format!("filter:{}", sleep.name)), "{s}");

    // k opens the confirmation dialog; Down picks SIGKILL, Enter sends it.
    t.keys(&["k"]);
    t.wait_for("the kill dialog", |s| {
        s.contains(&format!("Send signal to {pid} ({})", sleep.name)) && s.contains("15 SIGTERM")
    });
    assert!(kid.wait_exit(1).is_none(), "nothing is sent before Enter");
    t.keys(&["Down", "Enter"]);
    t.wait_for("the confirmation message", |s| {
        s.contains(&format!("sent SIGKILL to process {pid}"))
    });
    let status = kid.wait_exit(10).expect("child killed");
    assert_eq!(status.signal(), Some(9)); // SIGKILL

    // The dead child leaves the table; q quits with status 0.
    t.wait_for("the row to go", |s| table_pids(s).is_empty());
    t.keys(&["q"]);
    t.wait_for("top to exit", |s| s.contains("EXITED 0"));
}

#[test]
fn top_tmux_sort_keys_and_tree() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start("top --interval 0.5");
    t.wait_for("the table", |s| table_pids(s).len() > 5);
    t.keys(&["p"]);
    let s = t.wait_for("PID order", |s| s.contains("sort:PID"));
    let pids = table_pids(&s);
    assert!(pids.windows(2).all(|w| w[0] < w[1]), "{s}");
    assert_eq!(pids[0], 1, "{s}");

    t.keys(&["M"]);
    let s = t.wait_for("memory order", |s| s.contains("sort:%MEM"));
    let mem: Vec<f64> = table_pids(&s)
        .iter()
        .filter_map(|&p| row_fields(&s, p)?.get(6)?.parse().ok())
        .collect();
    assert!(mem.len() > 5, "{s}");
    assert!(mem.windows(2).all(|w| w[0] >= w[1]), "{mem:?}\n{s}");

    t.keys(&["p", "f"]);
    let s = t.wait_for("tree view", |s| s.contains(" tree"));
    assert!(s.contains("├─ ") || s.contains("└─ "), "{s}");
    t.keys(&["q"]);
    t.wait_for("top to exit", |s| s.contains("EXITED 0"));
}

#[test]
fn top_tmux_signal_to_a_vanished_process_is_a_message() {
    if !have_tmux() {
        return;
    }
    let sleep = UniqueSleep::new();
    let mut kid = sleep.start();
    let pid = kid.pid();
    let t = Tmux::start("top --interval 5");
    t.wait_for("the table", |s| s.contains("PID USER"));
    t.keys(&["/"]);
    t.type_text(&sleep.name);
    t.keys(&["Enter"]);
    t.wait_for("the filtered row", |s| table_pids(s) == [pid]);
    t.keys(&["k"]);
    t.wait_for("the kill dialog", |s| s.contains("Send signal to"));
    // The process goes away (killed and reaped) while the dialog is open.
    kid.child.kill().unwrap();
    kid.child.wait().unwrap();
    t.keys(&["Enter"]);
    let s = t.wait_for("the failure message", |s| s.contains("NoSuchProcess"));
    assert!(
        s.contains(&format!("SIGTERM to process {pid} failed")),
        "{s}"
    );
    // Still running: q quits normally.
    t.keys(&["q"]);
    t.wait_for("top to exit", |s| s.contains("EXITED 0"));
}

#[test]
fn top_tmux_fits_80x24_and_resizes() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::start("top --interval 0.5");
    t.wait_for("the table", |s| table_pids(s).len() > 5);
    t.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    let s = t.wait_for("an 80x24 screen", |s| {
        s.lines().count() <= 24 && s.lines().any(|l| l.contains("Quit"))
    });
    assert!(s.lines().all(|l| l.chars().count() <= 80), "{s}");
    assert!(s.contains("PID USER") && s.contains("Tasks:"), "{s}");
    t.keys(&["q"]);
    t.wait_for("top to exit", |s| s.contains("EXITED 0"));
}

#[test]
fn top_tmux_live_views_draw_and_quit() {
    if !have_tmux() {
        return;
    }
    for (cmd, expect) in [
        ("nettop --interval 0.5", "lo "),
        ("iotop --interval 0.5", "Total DISK READ:"),
        ("cpu_distribution --interval 0.5", "CPU0"),
    ] {
        let t = Tmux::start(cmd);
        t.wait_for(expect, |s| s.contains(expect) && s.contains("Quit"));
        t.keys(&["q"]);
        t.wait_for("exit", |s| s.contains("EXITED 0"));
    }
}

#[test]
fn top_once_prints_a_plain_snapshot() {
    let sleep = UniqueSleep::new();
    let kid = sleep.start();
    let out = run(&["top", "--once", "--interval", "0.2", "--sort", "pid"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("CPU: 0: "), "{text}");
    assert!(text.contains("Load average:") && text.contains("Tasks:"));
    let row = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&kid.pid().to_string()))
        .expect("child row");
    assert!(row.ends_with(&format!("{} 600", sleep.name)), "{row}");
    assert!(!text.contains('\x1b'), "no escape codes when piped");

    // Filter, and a usage error for a bad key.
    let out = run(&["top", "--filter", &sleep.name, "--interval", "0.1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(table_pids(&text), [kid.pid()], "{text}");
    let bad = run(&["top", "--sort", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn top_json_has_summary_and_processes() {
    let sleep = UniqueSleep::new();
    let kid = sleep.start();
    let out = run(&["top", "--json", "--interval", "0.2"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["mem_total"].as_u64().unwrap() > 0);
    assert!(!v["cpu_percent"].as_array().unwrap().is_empty());
    assert!(v["tasks"]["total"].as_u64().unwrap() > 1);
    let procs = v["processes"].as_array().unwrap();
    let me = procs
        .iter()
        .find(|p| p["pid"] == kid.pid())
        .expect("child in JSON");
    assert_eq!(me["name"], sleep.name.as_str());
    assert_eq!(me["ppid"], std::process::id());
    assert!(me["cmdline"].as_str().unwrap().ends_with(" 600"));
    assert!(me["res"].as_u64().unwrap() > 0);
}

#[test]
fn top_views_once_and_json() {
    let out = run(&["nettop", "--once", "--interval", "0.2"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("NIC"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("lo ")), "{text}");
    assert!(text.lines().last().unwrap().starts_with("total"));

    let out = run(&["nettop", "--json", "--interval", "0.2"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lo = v["nics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "lo")
        .unwrap();
    assert!(lo["bytes_recv_per_sec"].as_f64().unwrap() >= 0.0);

    let out = run(&["iotop", "--once", "--interval", "0.2"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Total DISK READ:"), "{text}");
    let v: Value =
        serde_json::from_slice(&run(&["iotop", "--json", "--interval", "0.2"]).stdout).unwrap();
    assert!(v["processes"].as_array().unwrap().len() > 1);

    let out = run(&["cpu_distribution", "--once", "--interval", "0.2"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("CPU 0 "), "{text}");
    let v: Value =
        serde_json::from_slice(&run(&["cpu_distribution", "--json", "--interval", "0.2"]).stdout)
            .unwrap();
    let cpus = v["cpus"].as_array().unwrap();
    assert!(!cpus.is_empty());
    let named: usize = cpus
        .iter()
        .map(|c| c["processes"].as_array().unwrap().len())
        .sum();
    assert!(named > 0);

    let bad = run(&["iotop", "--interval", "0"]);
    assert_eq!(bad.status.code(), Some(2));
}
