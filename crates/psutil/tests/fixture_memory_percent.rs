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
use psutil::{Process, Roots};

const PID: u32 = 4242;
const STATM: &[u8] = b"1000 500 200 10 0 300 0\n";

/// `p.memory_percent(memtype)` under `roots` with `statm` (a FIFO) served
/// once; `None` when it tried to read `statm` again.
fn percent_with_one_statm(roots: &Roots, statm: &Path, memtype: MemoryType) -> Option<f64> {
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
        let roots = roots.clone();
        std::thread::spawn(move || {
            let r = roots.scope(|| Process::new(PID).unwrap().memory_percent(memtype));
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
    let tmp = common::tempdir("memory-percent");
    let root = tmp.join("proc");
    let dir = root.join(PID.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fixtures.join("system/meminfo"), root.join("meminfo")).unwrap();
    std::fs::copy(fixtures.join("proc/smaps_rollup"), dir.join("smaps_rollup")).unwrap();
    std::fs::write(
        dir.join("stat"),
        format!(
            "{PID} (fake) S 1 {PID} {PID} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 12345 1000000 \
             100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        ),
    )
    .unwrap();
    let statm = dir.join("statm");
    let c = std::ffi::CString::new(statm.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let roots = Roots::default().with_procfs(root.to_str().unwrap());
    let rss = percent_with_one_statm(&roots, &statm, MemoryType::Rss);
    assert!(rss.is_some_and(|v| v > 0.0), "rss: {rss:?}");
    let uss = percent_with_one_statm(&roots, &statm, MemoryType::Uss);
    assert!(uss.is_some(), "uss: statm read twice");
    let _ = std::fs::remove_dir_all(&tmp);
}
