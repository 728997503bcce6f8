//! End-to-end tests of `psutil free` and `psutil meminfo`, compared with
//! psutil's own free.py / meminfo.py logic run by real psutil 7.2.2 (the
//! oracle venv) and with `free`.

use std::process::Command;

use serde_json::Value;

use common::{ok, oracle, BIN};

mod common;

const MIB: f64 = 1024.0 * 1024.0;

/// psutil's scripts/free.py body, run by the oracle.
const FREE_PY: &str = r#"
import psutil
virt = psutil.virtual_memory()
swap = psutil.swap_memory()
templ = "{:<7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}"
print(templ.format("", "total", "used", "free", "shared", "buffers", "cache"))
print(templ.format('Mem:', int(virt.total / 1024), int(virt.used / 1024),
      int(virt.free / 1024), int(virt.shared / 1024), int(virt.buffers / 1024),
      int(virt.cached / 1024)))
print(templ.format('Swap:', int(swap.total / 1024), int(swap.used / 1024),
      int(swap.free / 1024), '', '', ''))
"#;

/// psutil's scripts/meminfo.py body, run by the oracle.
const MEMINFO_PY: &str = r#"
import psutil
from psutil._common import bytes2human
def pprint_ntuple(nt):
    for name in nt._fields:
        value = getattr(nt, name)
        if name != 'percent':
            value = bytes2human(value)
        print('%-10s : %7s' % (name.capitalize(), value))
print('MEMORY\n------')
pprint_ntuple(psutil.virtual_memory())
print('\nSWAP\n----')
pprint_ntuple(psutil.swap_memory())
"#;

/// Splits a free-style row into its label and numbers.
fn numbers(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect()
}

#[test]
fn free_matches_free_py() {
    let ours = ok(&["free"]);
    let Some(theirs) = oracle(FREE_PY) else {
        return;
    };
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    assert_eq!(o.len(), 3, "{ours}");
    assert_eq!(o.len(), t.len());
    // Same header, same layout (every column ends at the same place).
    assert_eq!(o[0], t[0]);
    for (a, b) in o.iter().zip(&t).skip(1) {
        assert_eq!(a.split_whitespace().next(), b.split_whitespace().next());
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        for (x, y) in numbers(a).iter().zip(numbers(b)) {
            // KiB; memory moves while the oracle runs.
            assert!((x - y).abs() * 1024.0 < 16.0 * MIB, "{a} / {b}");
        }
    }
    // Mem total is exact.
    assert_eq!(numbers(o[1])[0], numbers(t[1])[0]);
}

#[test]
fn free_matches_free_tool() {
    let Ok(out) = Command::new("free").arg("-k").output() else {
        eprintln!("skipped: no free");
        return;
    };
    let tool = String::from_utf8(out.stdout).unwrap();
    let ours = ok(&["free"]);
    let mem_tool = numbers(tool.lines().find(|l| l.starts_with("Mem")).unwrap());
    let mem_ours = numbers(ours.lines().find(|l| l.starts_with("Mem")).unwrap());
    // total used free shared (free -k: KiB, like ours).
    assert_eq!(mem_ours[0], mem_tool[0]);
    for i in 1..4 {
        assert!(
            (mem_ours[i] - mem_tool[i]).abs() * 1024.0 < 16.0 * MIB,
            "column {i}: {mem_ours:?} vs {mem_tool:?}"
        );
    }
    let swap_tool = numbers(tool.lines().find(|l| l.starts_with("Swap")).unwrap());
    let swap_ours = numbers(ours.lines().find(|l| l.starts_with("Swap")).unwrap());
    assert_eq!(swap_ours.len(), 3);
    assert_eq!(swap_ours[0], swap_tool[0]);
}

fn psutil_fields() -> Option<Value> {
    let out = oracle(
        "import json, psutil\n\
         print(json.dumps({'virtual_memory': psutil.virtual_memory()._asdict(),\n\
                           'swap_memory': psutil.swap_memory()._asdict(),\n\
                           'vfields': psutil.virtual_memory()._fields,\n\
                           'sfields': psutil.swap_memory()._fields}))",
    )?;
    Some(serde_json::from_str(&out).unwrap())
}

/// Compares our JSON, read just before and just after psutil's, with
/// psutil's: each value must lie within the two readings of ours, widened by
/// a tolerance (memory moves between reads on a busy machine).
fn check_json(before: &Value, after: &Value, theirs: &Value) {
    for (key, fields) in [("virtual_memory", "vfields"), ("swap_memory", "sfields")] {
        let obj = before[key]
            .as_object()
            .unwrap_or_else(|| panic!("no {key}: {before}"));
        let mut names: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut want: Vec<&str> = theirs[fields]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        names.sort_unstable();
        want.sort_unstable();
        assert_eq!(names, want, "{key} fields");
        assert_eq!(before[key]["total"], theirs[key]["total"], "{key}.total");
        for name in want {
            let (a1, a2, b) = (
                before[key][name].as_f64().unwrap(),
                after[key][name].as_f64().unwrap(),
                theirs[key][name].as_f64().unwrap(),
            );
            let tol = if name == "percent" { 0.2 } else { 16.0 * MIB };
            assert!(
                b >= a1.min(a2) - tol && b <= a1.max(a2) + tol,
                "{key}.{name}: ours {a1} then {a2}, psutil {b}"
            );
        }
    }
}

#[test]
fn free_and_meminfo_json_use_psutil_fields() {
    let read = |cmd: &str| -> Value { serde_json::from_str(&ok(&[cmd, "--json"])).unwrap() };
    let (free, meminfo) = (read("free"), read("meminfo"));
    let Some(theirs) = psutil_fields() else {
        return;
    };
    check_json(&free, &read("free"), &theirs);
    check_json(&meminfo, &read("meminfo"), &theirs);
}

#[test]
fn meminfo_matches_meminfo_py() {
    let ours = ok(&["meminfo"]);
    let Some(theirs) = oracle(MEMINFO_PY) else {
        return;
    };
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    assert_eq!(o.len(), t.len(), "{ours}\n---\n{theirs}");
    for (a, b) in o.iter().zip(&t) {
        // Labels and widths are identical; the values may move a little.
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        assert_eq!(a.split(':').next(), b.split(':').next());
        if a.starts_with("Total") || a.starts_with("Sin") || a.starts_with("Sout") {
            assert_eq!(a, b);
        }
    }
    assert!(ours.starts_with("MEMORY\n------\nTotal      : "));
    assert!(ours.contains("\nSWAP\n----\nTotal      : "));
}

#[test]
fn help_lists_the_commands() {
    let out = ok(&["--help"]);
    assert!(out.contains("  free "), "{out}");
    assert!(out.contains("  meminfo "), "{out}");
    let out = ok(&["free", "--help"]);
    assert!(out.starts_with("usage: psutil free [--json]"));
    let bad = Command::new(BIN).args(["free", "extra"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
