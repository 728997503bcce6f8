//! `psutil-bench WORKLOAD IMPL ROUNDS`: runs one workload ROUNDS times and
//! prints one line per round: milliseconds, then the item count.
//! The driver (`bench/run.py`) alternates implementations and rounds.

use std::time::Instant;

use psutil::process::{Attr, Process, ProcessIter};

const LISTING_ATTRS: [Attr; 11] = [
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

fn timed(rounds: usize, mut f: impl FnMut() -> usize) {
    for _ in 0..rounds {
        let t = Instant::now();
        let n = f();
        println!("{:.3} {n}", t.elapsed().as_secs_f64() * 1e3);
    }
}

/// psutil's bench_oneshot: 17 getters on one process.
fn oneshot_calls(p: &Process) -> usize {
    let _ = p.name();
    let _ = p.cpu_times();
    let _ = p.cpu_percent(None);
    let _ = p.create_time();
    let _ = p.ppid();
    let _ = p.status();
    let _ = p.terminal();
    let _ = p.gids();
    let _ = p.num_ctx_switches();
    let _ = p.num_threads();
    let _ = p.uids();
    let _ = p.username();
    let _ = p.memory_info();
    let _ = p.memory_percent(psutil::process::MemoryType::Rss);
    let _ = p.cpu_num();
    let _ = p.nice();
    let _ = p.cmdline();
    17
}

fn sysinfo_listing(rounds: usize) {
    use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind, Users};
    // The closest refresh kind to the 11 attributes: cpu, memory, cmdline
    // and user; tasks (threads as processes) off, as psutil lists processes.
    let kind = ProcessRefreshKind::nothing()
        .with_cpu()
        .with_memory()
        .with_cmd(UpdateKind::Always)
        .with_user(UpdateKind::Always)
        .without_tasks();
    let mut sys = System::new().expect("sysinfo System");
    let users = Users::new_with_refreshed_list().expect("sysinfo Users");
    timed(rounds, || {
        sys.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
        let mut n = 0;
        for p in sys.processes().values() {
            let _ = (p.parent(), p.name(), p.status(), p.start_time(), p.cmd());
            let _ = (p.cpu_usage(), p.memory(), p.virtual_memory());
            let _ = p
                .user_id()
                .and_then(|u| users.get_user_by_id(u))
                .map(|u| u.name());
            n += 1;
        }
        n
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (workload, imp) = (
        args.get(1).map(String::as_str),
        args.get(2).map(String::as_str),
    );
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    match (workload, imp) {
        (Some("listing"), Some("ours")) => {
            let mut it = ProcessIter::new();
            let _ = it.iter_with(&LISTING_ATTRS); // warm, as psutil's cache
            timed(rounds, || {
                it.iter_with(&LISTING_ATTRS).map_or(0, |v| v.len())
            });
        }
        (Some("listing"), Some("sysinfo")) => sysinfo_listing(rounds),
        (Some("as_dict"), Some("ours")) => {
            let mut it = ProcessIter::new();
            timed(rounds, || it.iter_with(Attr::ALL).map_or(0, |v| v.len()));
        }
        (Some("oneshot"), Some("ours")) => {
            let p = Process::current().expect("self");
            timed(rounds, || (0..1000).map(|_| oneshot_calls(&p)).sum());
        }
        (Some("oneshot_on"), Some("ours")) => {
            let p = Process::current().expect("self");
            timed(rounds, || {
                (0..1000)
                    .map(|_| {
                        let _g = p.oneshot();
                        oneshot_calls(&p)
                    })
                    .sum()
            });
        }
        (Some("connections"), Some("ours")) => timed(rounds, || {
            psutil::net::net_connections(psutil::net::ConnectionKind::All).map_or(0, |v| v.len())
        }),
        (Some("system"), Some("ours")) => timed(rounds, || {
            for _ in 0..100 {
                let _ = psutil::memory::virtual_memory();
                let _ = psutil::cpu::cpu_times_percpu();
                // psutil's defaults, as psutil_side.py calls them: the
                // sums (perdisk/pernic=False) with nowrap=True (the
                // argument here is `nowrap`).
                let _ = psutil::disk::disk_io_counters(true);
                let _ = psutil::net::net_io_counters(true);
                let _ = psutil::disk::disk_partitions(false);
            }
            500
        }),
        (Some("cgroup_stats"), Some("ours")) => {
            let cg = psutil::cgroup::Cgroup::current().expect("own cgroup");
            timed(rounds, || {
                (0..100)
                    .map(|_| usize::from(cg.stats().memory.usage.is_some()))
                    .count()
            });
        }
        // One `psutil cgroups` pass: walk the subtree at
        // $PSUTIL_BENCH_CGROUP, full stats and placement of each cgroup.
        (Some("cgroups_pass"), Some("ours")) => {
            let path = std::env::var("PSUTIL_BENCH_CGROUP").unwrap_or_else(|_| "/".into());
            timed(rounds, || {
                let top = psutil::cgroup::Cgroup::open(&path).expect("bench cgroup");
                top.descendants(usize::MAX)
                    .iter()
                    .map(|(cg, _)| {
                        let _ = (cg.stats(), cg.placement());
                    })
                    .count()
            });
        }
        _ => {
            eprintln!("usage: psutil-bench listing|as_dict|oneshot|oneshot_on|connections|system|cgroup_stats|cgroups_pass ours|sysinfo [ROUNDS]");
            std::process::exit(2);
        }
    }
}
