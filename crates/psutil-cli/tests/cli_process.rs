//! End-to-end tests of the process commands (`ps`, `procinfo`, `pstree`,
//! `pidof`, `killall`, `pmap`, `procsmem`): each runs the built command
//! against live processes this test started (and kills them afterwards).

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use common::{ok, ok_json, run, text, Kid, UniqueSleep};

mod common;

/// psutil's as_dict() attribute names (all 30 Linux ones).
const ALL_ATTRS: [&str; 30] = [
    "cmdline",
    "cpu_affinity",
    "cpu_num",
    "cpu_percent",
    "cpu_times",
    "create_time",
    "cwd",
    "environ",
    "exe",
    "gids",
    "io_counters",
    "ionice",
    "memory_full_info",
    "memory_info",
    "memory_maps",
    "memory_percent",
    "name",
    "net_connections",
    "nice",
    "num_ctx_switches",
    "num_fds",
    "num_threads",
    "open_files",
    "pid",
    "ppid",
    "status",
    "terminal",
    "threads",
    "uids",
    "username",
];

fn find_pid(list: &Value, pid: u32) -> Option<&Value> {
    list.as_array()?
        .iter()
        .find(|o| o["pid"].as_u64() == Some(u64::from(pid)))
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

// ---------------------------------------------------------------- errors

#[test]
fn missing_pid_exits_1() {
    for cmd in ["procinfo", "pmap", "pstree"] {
        let o = run(&[cmd, "999999999"]);
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        assert!(
            text(&o.stderr).contains("process 999999999 not found (NoSuchProcess)"),
            "{cmd}: {}",
            text(&o.stderr)
        );
        assert!(text(&o.stdout).is_empty());
    }
    let o = run(&["procinfo", "999999999", "--json"]);
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------- ps

#[test]
fn ps_json_lists_child() {
    let kid = Kid::sleep();
    let list = ok_json(&["ps", "--json"]);
    let me = find_pid(&list, kid.pid()).expect("child not listed");
    assert_eq!(me["name"], "sleep");
    assert_eq!(me["cmdline"], serde_json::json!(["sleep", "600"]));
    assert_eq!(me["status"], "sleeping");
    assert!(me["memory_info"]["rss"].as_u64().unwrap() > 0);
    assert!(me["create_time"].as_f64().unwrap() > 1e9);
    let want: BTreeSet<String> = [
        "pid",
        "username",
        "memory_percent",
        "memory_info",
        "nice",
        "status",
        "create_time",
        "cpu_times",
        "name",
        "cmdline",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(keys(me), want);
    // Ascending PIDs, like process_iter.
    let pids: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["pid"].as_u64().unwrap())
        .collect();
    assert!(pids.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn ps_text_columns() {
    let kid = Kid::sleep();
    let out = ok(&["ps"]);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["USER", "PID", "%MEM", "VSZ", "RSS", "NICE", "STATUS", "START", "TIME", "CMDLINE"]
    );
    let pid = kid.pid().to_string();
    let line = lines
        .find(|l| l.split_whitespace().nth(1) == Some(pid.as_str()))
        .expect("child not in ps");
    assert!(line.ends_with(" sleep 600"), "{line}");
    let f: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(f[6], "sleep"); // status, cut to 5 chars
    assert!(f[3].ends_with('K') || f[3].ends_with('M'), "VSZ {}", f[3]);
    assert_eq!(f[8], "0:00");
    // Not a terminal: lines are not cut to any width.
    assert!(out.lines().all(|l| !l.is_empty()));
}

// ---------------------------------------------------------------- procinfo

#[test]
fn procinfo_json_has_every_attr() {
    let kid = Kid::sleep();
    let d = ok_json(&["procinfo", &kid.pid().to_string(), "--json"]);
    let want: BTreeSet<String> = ALL_ATTRS.iter().map(|s| s.to_string()).collect();
    assert_eq!(keys(&d), want);
    assert_eq!(d["pid"], kid.pid());
    assert_eq!(d["ppid"], std::process::id());
    assert_eq!(d["name"], "sleep");
    assert_eq!(d["cmdline"], serde_json::json!(["sleep", "600"]));
    assert_eq!(d["ionice"]["ioclass"].as_i64().map(|c| c >= 0), Some(true));
    assert!(d["memory_full_info"]["uss"].as_u64().is_some());
    assert!(d["environ"].as_object().is_some());
    // Default PID: the command itself.
    let me = ok_json(&["procinfo", "--json"]);
    assert_eq!(me["name"], "psutil");
    assert_eq!(me["ppid"], std::process::id());
}

#[test]
fn procinfo_text() {
    let kid = Kid::sleep();
    // Past exec, sleep still runs its startup for a moment (long under
    // emulation, tests/vm): the status checked below is the sleeping one.
    let stat = format!("/proc/{}/stat", kid.pid());
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline
        && !std::fs::read_to_string(&stat).is_ok_and(|s| s.contains(") S "))
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = ok(&["procinfo", &kid.pid().to_string()]);
    let field = |label: &str| -> String {
        out.lines()
            .find(|l| l.starts_with(label) && l[label.len()..].starts_with(' '))
            .unwrap_or_else(|| panic!("no {label} line in:\n{out}"))[13..]
            .trim()
            .to_string()
    };
    assert_eq!(field("pid"), kid.pid().to_string());
    assert_eq!(field("name"), "sleep");
    assert!(field("parent").starts_with(&std::process::id().to_string()));
    assert_eq!(field("cmdline"), "sleep 600");
    assert_eq!(field("status"), "sleeping");
    assert!(field("memory").starts_with("rss="), "{out}");
    assert!(field("cpu-times").contains("children_user="));
    assert!(field("uids").starts_with("real="));
    assert!(field("res-limits").starts_with("RLIMIT"));
    assert!(out.contains("openfiles"), "{out}");
    assert!(field("started").len() >= 16);
    // The test process's own entry lists the child.
    let parent = ok(&["procinfo", &std::process::id().to_string(), "-v"]);
    assert!(
        parent
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [&kid.pid().to_string(), "sleep"]),
        "{parent}"
    );
}

#[test]
fn procinfo_zombie() {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    // Not reaped yet: a zombie once it exits.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat
            .rsplit(')')
            .next()
            .map(|s| s.trim_start().starts_with('Z'))
            == Some(true)
        {
            break;
        }
        assert!(Instant::now() < deadline, "child never became a zombie");
        std::thread::sleep(Duration::from_millis(10));
    }
    let text = ok(&["procinfo", &pid.to_string()]);
    let json = ok_json(&["procinfo", &pid.to_string(), "--json"]);
    let ps = ok_json(&["ps", "--json"]);
    child.wait().unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("status") && l.ends_with("zombie")),
        "{text}"
    );
    assert_eq!(json["status"], "zombie");
    assert_eq!(
        find_pid(&ps, pid).map(|o| &o["status"]),
        Some(&Value::from("zombie"))
    );
}

#[test]
fn procinfo_all_json() {
    let kid = Kid::sleep();
    let list = ok_json(&["procinfo", "--all", "--json"]);
    let me = find_pid(&list, kid.pid()).expect("child not in --all");
    let mut want: BTreeSet<String> = ALL_ATTRS.iter().map(|s| s.to_string()).collect();
    want.remove("cpu_percent");
    want.remove("memory_percent");
    assert_eq!(keys(me), want);
    assert_eq!(me["name"], "sleep");
    // One object per line, keys sorted (like dump_psutil.py).
    let out = ok(&["procinfo", "--all", "--json", "--attrs", "status,name"]);
    assert!(
        out.starts_with("[\n{\"name\":"),
        "{}",
        &out[..80.min(out.len())]
    );
    let pid = kid.pid().to_string();
    let one = ok_json(&[
        "procinfo", "--all", "--json", "--attrs", "name", "--pids", &pid,
    ]);
    assert_eq!(
        one,
        serde_json::json!([{"name": "sleep", "pid": kid.pid()}])
    );
}

#[test]
fn procinfo_module_json() {
    let kid = Kid::sleep();
    let me = std::process::id();
    let d = ok_json(&["procinfo", "--module", "--json"]);
    let want: BTreeSet<String> = [
        "pids",
        "pid_exists",
        "parent",
        "children",
        "children_recursive",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(keys(&d), want);
    let k = kid.pid().to_string();
    assert!(d["pids"]
        .as_array()
        .unwrap()
        .contains(&Value::from(kid.pid())));
    assert_eq!(d["pid_exists"][&k], true);
    assert_eq!(d["pid_exists"]["0"], false);
    assert_eq!(d["pid_exists"]["2147483647"], false);
    assert_eq!(d["parent"][&k], me);
    assert_eq!(d["children"][&k], serde_json::json!([]));
    assert!(d["children"][me.to_string()]
        .as_array()
        .unwrap()
        .contains(&Value::from(kid.pid())));
    // Thread ids are probed too: this test runs on a non-leader thread.
    let tid = std::fs::read_link("/proc/thread-self").unwrap();
    let tid = tid.file_name().unwrap().to_str().unwrap().to_string();
    if tid != me.to_string() {
        assert_eq!(d["pid_exists"][&tid], false, "thread {tid} not probed");
    }
    let probes = format!("1,{k},999999999");
    let d = ok_json(&[
        "procinfo", "--module", "--json", "--probes", &probes, "--pids", &k,
    ]);
    assert_eq!(
        d["pid_exists"],
        serde_json::json!({"1": true, k.clone(): true, "999999999": false})
    );
    assert_eq!(keys(&d["parent"]), [k.clone()].into_iter().collect());
}

// ---------------------------------------------------------------- pstree

#[test]
fn pstree_shows_child_under_test_process() {
    let kid = Kid::sleep();
    let me = u64::from(std::process::id());
    let tree = ok_json(&["pstree", "--json"]);
    fn find(n: &Value, pid: u64) -> Option<&Value> {
        if n["pid"].as_u64() == Some(pid) {
            return Some(n);
        }
        n["children"].as_array()?.iter().find_map(|c| find(c, pid))
    }
    let node = tree
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| find(r, me))
        .expect("test process not in tree");
    let child = node["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pid"].as_u64() == Some(u64::from(kid.pid())))
        .expect("child not under the test process");
    assert_eq!(child["name"], "sleep");
    assert_eq!(child["children"], serde_json::json!([]));

    // Text, rooted at the test process.
    let out = ok(&["pstree", &me.to_string()]);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with(&format!("{me} ")), "{out}");
    let want = format!("─ {} sleep", kid.pid());
    assert!(out.lines().any(|l| l.ends_with(&want)), "{out}");
}

// ---------------------------------------------------------------- pidof

#[test]
fn pidof_finds_child() {
    let kid = Kid::sleep();
    let out = ok(&["pidof", "sleep"]);
    assert_eq!(out.lines().count(), 1);
    let pids: Vec<u32> = out.split_whitespace().map(|p| p.parse().unwrap()).collect();
    assert!(pids.contains(&kid.pid()), "{out}");
    assert!(pids.windows(2).all(|w| w[0] < w[1]));
    let json = ok_json(&["pidof", "--json", "sleep"]);
    assert!(json.as_array().unwrap().contains(&Value::from(kid.pid())));

    let u = UniqueSleep::new();
    let o = run(&["pidof", &u.name]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let o = run(&["pidof", "--json", &u.name]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        serde_json::from_slice::<Value>(&o.stdout).unwrap(),
        serde_json::json!([])
    );
    // Matched by the basename of cmdline[0] as well as by name.
    let kid2 = u.start();
    assert_eq!(ok(&["pidof", &u.name]).trim(), kid2.pid().to_string());
}

// ---------------------------------------------------------------- killall

#[test]
fn killall_kills_by_name() {
    use std::os::unix::process::ExitStatusExt;
    let u = UniqueSleep::new();
    let mut kid = u.start();
    let out = ok(&["killall", &u.name]);
    assert_eq!(
        out.trim(),
        format!("{} {}: sent SIGTERM", kid.pid(), u.name)
    );
    let status = kid.child.wait().unwrap();
    assert_eq!(status.signal(), Some(15));

    // Nothing left to match.
    let o = run(&["killall", &u.name]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("no process found"),
        "{}",
        text(&o.stderr)
    );

    // -s and --json.
    let mut kid = u.start();
    let d = ok_json(&["killall", &u.name, "-s", "KILL", "--json"]);
    assert_eq!(
        d,
        serde_json::json!([{"pid": kid.pid(), "name": u.name, "signal": "SIGKILL", "result": "ok"}])
    );
    assert_eq!(kid.child.wait().unwrap().signal(), Some(9));
}

// ---------------------------------------------------------------- pmap

#[test]
fn pmap_lists_maps_and_total() {
    let kid = Kid::sleep();
    let pid = kid.pid().to_string();
    let out = ok(&["pmap", &pid]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("pid={pid}, name=sleep"));
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["Address", "RSS", "Mode", "Mapping"]
    );
    let total = lines.last().unwrap();
    assert!(total.starts_with("Total RSS "), "{out}");
    assert!(total.ends_with(" mappings"), "{out}");
    assert!(out.contains("[stack]"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.ends_with("sleep") && l.contains("r-xp")),
        "{out}"
    );

    let maps = ok_json(&["pmap", &pid, "--json"]);
    let maps = maps.as_array().unwrap();
    assert_eq!(maps.len() + 4, lines.len(), "one text line per mapping");
    let want: BTreeSet<String> = [
        "addr",
        "perms",
        "path",
        "rss",
        "size",
        "pss",
        "shared_clean",
        "shared_dirty",
        "private_clean",
        "private_dirty",
        "referenced",
        "anonymous",
        "swap",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for m in maps {
        assert_eq!(keys(m), want);
    }
}

// ---------------------------------------------------------------- procsmem

#[test]
fn procsmem_table_and_json() {
    let kid = Kid::sleep();
    let out = ok(&["procsmem"]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["PID", "User", "Cmdline", "USS", "PSS", "Swap", "RSS"]
    );
    let list = ok_json(&["procsmem", "--json"]);
    let me = find_pid(&list, kid.pid()).expect("child not in procsmem");
    assert!(me["uss"].as_u64().unwrap() > 0);
    assert!(me["rss"].as_u64().unwrap() >= me["uss"].as_u64().unwrap());
    assert_eq!(me["cmdline"], serde_json::json!(["sleep", "600"]));
    let uss: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["uss"].as_u64().unwrap())
        .collect();
    assert!(uss.windows(2).all(|w| w[0] <= w[1]), "sorted by USS");
}

#[test]
fn denied_access_exits_1() {
    // Only meaningful where PID 1's mappings are unreadable to us (as a
    // normal user, or in a sandbox that hides init).
    match std::fs::read("/proc/1/smaps") {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
        _ => return,
    }
    let o = run(&["pmap", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.starts_with("psutil: access denied to process 1"),
        "{err}"
    );
    assert!(err.contains("(AccessDenied)"), "{err}");
    assert!(text(&o.stdout).is_empty());
    // procinfo still shows what it can read.
    let out = ok(&["procinfo", "1"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("mem-maps") && l.ends_with("(access denied)")),
        "{out}"
    );
}
