//! Times `process_iter` with psutil's 11 common attributes.
//!
//! Usage: `bench_process_iter [ROUNDS]`. Prints one line per round:
//! milliseconds for a full pass, and the process count. Each round uses a
//! warm handle cache, as a long-running psutil program would.

use std::time::Instant;

use psutil::process::{Attr, ProcessIter};

const ATTRS: [Attr; 11] = [
    Attr::Pid,
    Attr::Ppid,
    Attr::Name,
    Attr::Username,
    Attr::Status,
    Attr::CreateTime,
    Attr::Cmdline,
    Attr::CpuTimes,
    Attr::MemoryInfo,
    Attr::NumThreads,
    Attr::Nice,
];

fn main() -> psutil::Result<()> {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let mut it = ProcessIter::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let n = it.iter(Some(&ATTRS))?.len();
        println!("{:.3} {n}", t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(())
}
