//! `procinfo --all --json` and `procinfo --module --json`: machine output
//! for the differential tests against the real psutil
//! (`tests/oracle/dump_psutil.py`, which prints the same shapes).

use std::collections::{BTreeSet, HashSet};

use psutil::process::{pid_exists, pids, process_iter_with, Attr, Process};
use serde_json::{json, Map, Value};

use super::procinfo::Args;
use super::{parse_u32_list, Ctx};
use crate::error::CliError;

/// `--all`: one `as_dict()` object per process from
/// `process_iter(attrs)`, ascending PID, keys sorted, one per line (the
/// layout `dump_psutil.py` prints).
pub fn all(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let mut attrs: Vec<Attr> = match &a.attrs {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse::<Attr>()
                    .map_err(|e| CliError::usage("procinfo", e.to_string()))
            })
            .collect::<Result<_, _>>()?,
        None => Attr::ALL
            .iter()
            .copied()
            .filter(|a| !matches!(a, Attr::CpuPercent | Attr::MemoryPercent))
            .collect(),
    };
    if !attrs.contains(&Attr::Pid) {
        attrs.push(Attr::Pid);
    }
    let wanted: Option<HashSet<u32>> = a
        .pids
        .as_deref()
        .map(|s| parse_u32_list("procinfo", "pids", s))
        .transpose()?
        .map(|v| v.into_iter().collect());

    let mut objects: Vec<(u32, Value)> = Vec::new();
    for entry in process_iter_with(&attrs)? {
        let pid = entry.process.pid();
        if wanted.as_ref().is_some_and(|w| !w.contains(&pid)) {
            continue;
        }
        let info = entry.info;
        // Through Value, whose map is sorted: the same key order as
        // json.dumps(sort_keys=True).
        let v = serde_json::to_value(&info)
            .map_err(|e| CliError::Failed(format!("cannot encode JSON: {e}")))?;
        objects.push((pid, v));
    }
    objects.sort_by_key(|(pid, _)| *pid);
    let values: Vec<Value> = objects.into_iter().map(|(_, v)| v).collect();
    ctx.json_lines(&values)
}

/// Thread ids that are not a thread-group leader, from `/proc/*/task`.
fn thread_ids() -> BTreeSet<u32> {
    let root = psutil::procfs_path();
    let mut tids = BTreeSet::new();
    let Ok(dir) = std::fs::read_dir(&root) else {
        return tids;
    };
    for e in dir.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(tasks) = std::fs::read_dir(e.path().join("task")) else {
            continue;
        };
        for t in tasks.flatten() {
            if let Some(tid) = t.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) {
                if tid != pid {
                    tids.insert(tid);
                }
            }
        }
    }
    tids
}

fn pid_max() -> Option<u32> {
    std::fs::read_to_string(format!("{}/sys/kernel/pid_max", psutil::procfs_path()))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The pid_exists() probes, by dump_psutil.py's rule: every pid, every
/// non-leader thread id, the 5 smallest positive integers that are
/// neither, 0, pid_max and 2147483647.
fn default_probes(pids: &[u32]) -> Vec<u32> {
    let tids = thread_ids();
    let mut probes: BTreeSet<u32> = pids.iter().copied().collect();
    probes.extend(&tids);
    let mut gaps = 0;
    let mut n = 1u32;
    while gaps < 5 && n < u32::MAX {
        if !probes.contains(&n) {
            probes.insert(n);
            gaps += 1;
        }
        n += 1;
    }
    probes.insert(0);
    probes.insert(2_147_483_647);
    if let Some(m) = pid_max() {
        probes.insert(m);
    }
    probes.into_iter().collect()
}

/// `--module`: `{"pids", "pid_exists", "parent", "children",
/// "children_recursive"}` like `dump_psutil.py --module`. `--probes`
/// replaces the pid_exists() probe set and `--pids` the PIDs whose
/// relations are listed, so both sides can ask about identical PIDs.
pub fn module(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let all_pids = pids()?;
    let probes = match &a.probes {
        Some(s) => parse_u32_list("procinfo", "probes", s)?,
        None => default_probes(&all_pids),
    };
    let related = match &a.pids {
        Some(s) => parse_u32_list("procinfo", "pids", s)?,
        None => all_pids.clone(),
    };

    let mut exists = Map::new();
    for pid in probes {
        exists.insert(pid.to_string(), Value::Bool(pid_exists(pid)));
    }

    let mut parent = Map::new();
    let mut children = Map::new();
    let mut children_rec = Map::new();
    for pid in related {
        let Some((par, ch, rec)) = relations(pid)? else {
            continue;
        };
        parent.insert(pid.to_string(), par);
        children.insert(pid.to_string(), ch);
        children_rec.insert(pid.to_string(), rec);
    }

    let out = json!({
        "children": children,
        "children_recursive": children_rec,
        "parent": parent,
        "pid_exists": exists,
        "pids": all_pids,
    });
    serde_json::to_writer(&mut *ctx.out, &out)
        .map_err(|e| CliError::Failed(format!("cannot encode JSON: {e}")))?;
    writeln!(ctx.out)?;
    Ok(())
}

/// parent pid, sorted children, sorted descendants of `pid`: `None` when
/// the process is gone (skipped), `null` fields where access was denied.
fn relations(pid: u32) -> Result<Option<(Value, Value, Value)>, CliError> {
    let proc = match Process::new(pid) {
        Ok(p) => p,
        Err(e) if e.is_no_such_process() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let parent = match proc.parent() {
        Ok(par) => json!(par.map(|p| p.pid())),
        Err(e) if e.is_access_denied() => Value::Null,
        Err(e) if e.is_no_such_process() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut kids = [Value::Null, Value::Null];
    for (slot, recursive) in kids.iter_mut().zip([false, true]) {
        match proc.children(recursive) {
            Ok(list) => {
                let mut v: Vec<u32> = list.iter().map(Process::pid).collect();
                v.sort_unstable();
                *slot = json!(v);
            }
            Err(e) if e.is_access_denied() => {}
            Err(e) if e.is_no_such_process() => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
    let [children, recursive] = kids;
    Ok(Some((parent, children, recursive)))
}
