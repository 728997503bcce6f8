//! `Process.terminal()`: the device path whose `st_rdev` equals the
//! `tty_nr` of `/proc/PID/stat`.
//!
//! psutil builds the `/dev/tty*` + `/dev/pts/*` map once and keeps it
//! forever, so a terminal opened later is never found. Here the map is
//! rebuilt on a miss, at most once a second so that processes whose tty
//! has no node in `/dev` (other namespaces) do not rescan every time.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

use crate::forksafe::ForkMutex;

struct TtyMap {
    by_rdev: HashMap<u64, String>,
    built: Instant,
}

static MAP: ForkMutex<Option<TtyMap>> = ForkMutex::new();

fn scan() -> HashMap<u64, String> {
    let mut map = HashMap::new();
    let mut add_dir = |dir: &str, prefix: Option<&str>| {
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if prefix.is_some_and(|p| !name.starts_with(p)) {
                    continue;
                }
                let path = format!("{dir}/{name}");
                if let Ok(md) = std::fs::metadata(&path) {
                    if md.rdev() != 0 {
                        map.entry(md.rdev()).or_insert(path);
                    }
                }
            }
        }
    };
    add_dir("/dev", Some("tty"));
    add_dir("/dev/pts", None);
    map
}

/// The terminal path for a `tty_nr`, `None` when there is none.
pub(crate) fn lookup(tty_nr: u64) -> Option<String> {
    if tty_nr == 0 {
        return None;
    }
    let mut guard = MAP.lock(|| None);
    let stale = |m: &TtyMap| m.built.elapsed() > Duration::from_secs(1);
    match guard.as_ref() {
        Some(m) if m.by_rdev.contains_key(&tty_nr) => {}
        Some(m) if !stale(m) => return None,
        _ => {
            *guard = Some(TtyMap {
                by_rdev: scan(),
                built: Instant::now(),
            })
        }
    }
    guard.as_ref().and_then(|m| m.by_rdev.get(&tty_nr).cloned())
}
