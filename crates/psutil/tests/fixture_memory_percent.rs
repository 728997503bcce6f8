//! `Process::memory_percent` reads what its type needs once: in a fake
//! `/proc` whose `statm` is a FIFO served to one reader only, a second
//! read of `statm` would block, so it shows as a timeout.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use psutil::process::MemoryType;
use psutil::Process;

const PID: u32 = 4242;
const STATM: &[u8] = b"1000 500 200 10 0 300 0\n";

/// `p.memory_percent(memtype)` with `/proc` at `procfs` with `statm` (a FIFO) served
/// once; `None` when it tried to read `statm` again.
fn percent_with_one_statm(procfs: &Path, statm: &Path, memtype: MemoryType) -> Option<f64> {
    let writer = {
        let statm = statm.to_owned();
        // Blocks until the reader opens the FIFO, then serves it once.
        std::thread::spawn(move || {
            let mut f = OpenOptions::new().write(true).open(statm).unwrap();
            f.write_all(STATM).unwrap();
        })
    };
    let (tx, rx) = mpsc::channel();
    let reader = {
        let procfs = procfs.to_owned();
        std::thread::spawn(move || {
            let r = common::in_procfs(&procfs, || {
                Process::new(PID).unwrap().memory_percent(memtype)
            });
            let _ = tx.send(r.unwrap());
        })
    };
    let out = rx.recv_timeout(Duration::from_secs(5)).ok();
    if out.is_none() {
        // The reader waits on a second open: serve it so it can end.
        let mut f = OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(statm)
            .unwrap();
        f.write_all(STATM).unwrap();
    }
    writer.join().unwrap();
    reader.join().unwrap();
    out
}

#[test]
fn memory_percent_reads_statm_once() {
    let tree = common::TempTree::new("memory-percent");
    let root = tree.0.join("proc");
    let dir = root.join(PID.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fixtures.join("system/meminfo"), root.join("meminfo")).unwrap();
    std::fs::copy(fixtures.join("proc/smaps_rollup"), dir.join("smaps_rollup")).unwrap();
    std::fs::write(dir.join("stat"), common::fake_stat_line(PID)).unwrap();
    let statm = dir.join("statm");
    let c = std::ffi::CString::new(statm.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let rss = percent_with_one_statm(&root, &statm, MemoryType::Rss);
    assert!(rss.is_some_and(|v| v > 0.0), "rss: {rss:?}");
    let uss = percent_with_one_statm(&root, &statm, MemoryType::Uss);
    assert!(uss.is_some(), "uss: statm read twice");
}
