//! Entry points for coverage-guided fuzzing, not API.
//!
//! `fuzz/` at the repository root holds one `cargo fuzz` target per
//! function here; each target is a one-line call. The same functions
//! replay the committed corpus and every past crash under `cargo test`
//! (see the tests below), so a fixed bug stays fixed on the stable
//! toolchain too.
//!
//! Every function feeds untrusted bytes to one parser and then to what the
//! crate computes from the result, and asserts the invariants a caller
//! relies on (a percentage within 0..=100, `used <= total`, ...): a
//! wrong value is a finding, not only a panic. [`api`] goes further and
//! runs the public API over a whole fake `/proc` and `/sys` tree built from
//! the input.
//!
//! Compiled for this crate's tests and with the hidden `fuzzing` feature.

use std::path::{Path, PathBuf};

use crate::platform::imp::net::diag;
use crate::platform::imp::parse;
use crate::platform::imp::sensors::{py_float, py_int};

/// `/proc/PID/stat`.
pub fn stat(data: &[u8]) {
    if let Some(s) = parse::stat::parse(data) {
        let _ = (
            crate::process::Status::from_letter(s.state),
            s.is_kernel_thread(),
        );
        // The cheap identity reader must agree with the full parser.
        assert_eq!(
            parse::stat::parse_identity(data),
            Some((s.state, s.starttime))
        );
    }
    let _ = parse::stat::parse_identity(data);
}

/// `/proc/PID/statm`.
pub fn statm(data: &[u8]) {
    if let Some(s) = parse::statm::parse(data) {
        for page in [1, 4096, 65536] {
            if let Some(b) = s.in_bytes(page) {
                assert_eq!(b.resident, s.resident * page);
            }
        }
    }
}

/// `/proc/PID/status`.
pub fn status(data: &[u8]) {
    let s = parse::status::parse(data);
    if s.uids.is_some() {
        assert!(data.windows(4).any(|w| w == b"Uid:"));
    }
}

/// `/proc/PID/cmdline` and `/proc/PID/environ`.
pub fn cmdline(data: &[u8]) {
    let args = parse::cmdline::split_cmdline(data);
    let total: usize = args.iter().map(Vec::len).sum();
    assert!(total <= data.len());
    let env = parse::cmdline::parse_environ(data);
    assert!(env.len() <= data.len());
}

/// `/proc/meminfo`, with `virtual_memory()`'s and `swap_memory()`'s
/// arithmetic.
pub fn meminfo(data: &[u8]) {
    let m = parse::meminfo::parse(data);
    for page in [4096, 65536] {
        for low in [None, Some(0), Some(1 << 20), Some(u64::MAX)] {
            let _ = crate::memory::estimate_available(&m, page, || low);
            let Some(v) = crate::memory::virtual_memory_from(&m, page, || low) else {
                continue;
            };
            assert!(v.available <= v.total, "{v:?}");
            assert_eq!(v.used, v.total - v.available, "{v:?}");
            assert!((0.0..=100.0).contains(&v.percent), "{v:?}");
        }
    }
    let _ = crate::memory::swap_from(&m);
}

/// `/proc/vmstat`, `/proc/zoneinfo` and `/proc/cpuinfo`.
pub fn system_counters(data: &[u8]) {
    let _ = parse::vmstat::swap_bytes(data);
    let _ = parse::zoneinfo::low_watermark_pages(data);
    let _ = parse::cpuinfo::count_processors(data);
    let _ = parse::cpuinfo::mhz(data);
    let _ = parse::cpuinfo::physical_cores(data);
}

/// `/proc/stat` and `/proc/loadavg`.
pub fn proc_stat(data: &[u8]) {
    for percpu in [false, true] {
        if let Some(lines) = parse::proc_stat::parse_cpu_lines(data, percpu) {
            assert!(lines.percpu.len() <= data.len());
        }
    }
    let _ = parse::proc_stat::parse_counters(data);
    let _ = parse::proc_stat::count_cpu_lines(data);
    let _ = parse::proc_stat::parse_loadavg(data);
}

/// `/proc/diskstats` and `/sys/block/*/stat`.
pub fn diskstats(data: &[u8]) {
    let _ = parse::diskstats::parse_diskstats(data);
    let _ = parse::diskstats::parse_sys_block_stat("sda", data);
}

/// `/proc/self/mounts`, `/proc/filesystems`, `/proc/partitions` and
/// `uevent`.
pub fn mounts(data: &[u8]) {
    let _ = parse::mounts::parse_mounts(data);
    let types = parse::mounts::physical_fstypes(data);
    for raw in parse::mounts::raw_mounts(data) {
        let _ = types.contains(&parse::mounts::unescape_bytes(raw.fstype));
    }
    let _ = parse::mounts::partition_name(data, 8, 1);
    let _ = parse::mounts::uevent_devname(data);
    let _ = parse::mounts::unescape(data);
}

/// `/proc/net/dev`.
pub fn net_dev(data: &[u8]) {
    let _ = parse::net_dev::parse(data);
}

/// `/proc/net/{tcp,tcp6,udp,udp6,unix}`.
pub fn net_sockets(data: &[u8]) {
    let _ = parse::net_sockets::parse_inet(data, false);
    let _ = parse::net_sockets::parse_inet(data, true);
    let _ = parse::net_sockets::parse_unix(data);
}

/// `sock_diag` netlink replies, as one datagram of each table.
pub fn sock_diag(data: &[u8]) {
    diag::parse_any_datagram(data);
}

/// `/proc/PID/smaps` and `smaps_rollup`.
pub fn smaps(data: &[u8]) {
    let _ = parse::smaps::parse_totals(data);
    let maps = parse::smaps::parse_maps(data);
    let n = maps.len();
    let grouped = parse::smaps::group_maps(maps);
    assert!(grouped.len() <= n);
}

/// `/proc/PID/io` and `/proc/PID/fdinfo/N`.
pub fn io_fdinfo(data: &[u8]) {
    let _ = parse::io::parse(data);
    if let Some((_, flags)) = parse::fdinfo::parse(data) {
        let _ = parse::fdinfo::file_mode(flags);
    }
}

/// utmp records.
pub fn utmp(data: &[u8]) {
    let records = parse::utmp::parse_utmp(data);
    assert!(records.len() <= data.len() / parse::utmp::RECORD_SIZE);
}

/// `/proc/PID/cgroup` and the cgroup mounts of `/proc/PID/mountinfo`,
/// resolved as `Process::cgroup()` does, and the placement of each path.
pub fn cgroup_paths(data: &[u8]) {
    use parse::cgroup as pc;
    let lines = pc::parse_proc_cgroup(data);
    let mounts = pc::parse_cgroup_mounts(data);
    assert!(lines.len() <= data.len() && mounts.len() <= data.len());
    for m in &mounts {
        assert!(m.controllers().len() <= m.options.len());
    }
    for l in &lines {
        let candidates = mounts.iter().filter(|m| pc::mount_matches(m, l));
        if let Some((m, dir)) = pc::resolve(candidates, &l.path) {
            // The directory is the mount point plus a part of the path
            // that never climbs out of it.
            let base = m.mount_point.trim_end_matches('/');
            let rest = dir.strip_prefix(base).expect("under the mount point");
            assert!(!rest.split('/').any(|c| c == ".." || c == "."), "{dir}");
        }
        check_placement(&l.path);
    }
    check_placement(&String::from_utf8_lossy(data));
}

fn check_placement(path: &str) {
    let p = crate::cgroup::Placement::from_path(path);
    for part in [&p.container_id, &p.unit, &p.slice].into_iter().flatten() {
        assert!(path.contains(part.as_str()), "{p:?} from {path:?}");
    }
    if let Some(uid) = &p.pod_uid {
        assert_eq!(uid.len(), 36, "{p:?}");
    }
}

/// cgroup controller files (v1 and v2) and PSI files.
pub fn cgroup_files(data: &[u8]) {
    use parse::cgroup::{self as pc, Limit, Version};
    let _ = (
        pc::parse_number(data),
        pc::parse_limit(data),
        pc::parse_v1_quota(data),
    );
    if let Some((quota, period)) = pc::parse_cpu_max(data) {
        if let Some(Limit::Value(cpus)) = pc::cpus_of_quota(quota, period) {
            assert!(cpus.is_finite() && cpus >= 0.0, "{cpus}");
        }
    }
    for v in [Version::V1, Version::V2] {
        assert!(pc::parse_memory_stat(data, v).len() <= data.len());
    }
    let _ = pc::keyed_value(data, "oom_kill");
    assert!(pc::parse_io_stat(data).len() <= data.len());
    assert!(pc::parse_io_max(data).len() <= data.len());
    let mut devices = Vec::new();
    pc::add_blkio(data, pc::BlkioKind::Bytes, &mut devices);
    pc::add_blkio(data, pc::BlkioKind::Ios, &mut devices);
    assert!(devices.len() <= data.len());
    let mut limits = Vec::new();
    pc::add_blkio_limit(data, pc::BlkioLimit::ReadBps, &mut limits);
    pc::add_blkio_limit(data, pc::BlkioLimit::WriteIops, &mut limits);
    if let Some(p) = pc::parse_pressure(data) {
        for line in std::iter::once(p.some).chain(p.full) {
            for avg in [line.avg10, line.avg60, line.avg300] {
                assert!((0.0..=100.0).contains(&avg), "{p:?}");
            }
        }
    }
    if let Some(cpus) = pc::parse_cpu_list(data) {
        assert!(cpus.windows(2).all(|w| w[0] < w[1]), "{cpus:?}");
        assert!(cpus.last().is_none_or(|&c| c < pc::MAX_CPUS));
    }
    let procs = pc::parse_procs(data);
    assert!(procs.windows(2).all(|w| w[0] < w[1]), "{procs:?}");
}

/// sysfs numbers (hwmon, power supply), read as Python's `int()` and
/// `float()` do.
pub fn sysfs_numbers(data: &[u8]) {
    let _ = py_float(data);
    let _ = py_int(data);
}

/// The files [`api`] can write, by index: the input's chunks pick one of
/// these by their first byte. Paths are relative to the fake root.
const TREE: &[&str] = &[
    "proc/meminfo",
    "proc/vmstat",
    "proc/zoneinfo",
    "proc/stat",
    "proc/cpuinfo",
    "proc/loadavg",
    "proc/diskstats",
    "proc/partitions",
    "proc/filesystems",
    "proc/self/mounts",
    "proc/net/dev",
    "proc/net/tcp",
    "proc/net/tcp6",
    "proc/net/udp",
    "proc/net/udp6",
    "proc/net/unix",
    "proc/4242/stat",
    "proc/4242/status",
    "proc/4242/statm",
    "proc/4242/cmdline",
    "proc/4242/environ",
    "proc/4242/io",
    "proc/4242/smaps_rollup",
    "proc/4242/smaps",
    "proc/4242/comm",
    "proc/4242/task/4242/stat",
    "proc/4242/fdinfo/0",
    "proc/4243/stat",
    "proc/4243/status",
    "sys/block/sda/stat",
    "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq",
    "sys/devices/system/cpu/cpu0/cpufreq/scaling_max_freq",
    "sys/devices/system/cpu/cpu0/topology/core_cpus_list",
    "sys/class/hwmon/hwmon0/name",
    "sys/class/hwmon/hwmon0/temp1_input",
    "sys/class/hwmon/hwmon0/temp1_crit",
    "sys/class/hwmon/hwmon0/fan1_input",
    "sys/class/thermal/thermal_zone0/temp",
    "sys/class/thermal/thermal_zone0/type",
    "sys/class/power_supply/BAT0/energy_now",
    "sys/class/power_supply/BAT0/energy_full",
    "sys/class/power_supply/BAT0/power_now",
    "sys/class/power_supply/BAT0/capacity",
    "sys/class/power_supply/BAT0/status",
    "sys/class/power_supply/AC/online",
    "proc/4242/cgroup",
    "proc/self/mountinfo",
    "proc/self/cgroup",
    "proc/self/status",
    "proc/pressure/cpu",
    "proc/pressure/memory",
    "proc/pressure/io",
    "sys/fs/cgroup/a/memory.max",
    "sys/fs/cgroup/a/memory.current",
    "sys/fs/cgroup/a/memory.stat",
    "sys/fs/cgroup/a/memory.events",
    "sys/fs/cgroup/a/cpu.max",
    "sys/fs/cgroup/a/cpu.stat",
    "sys/fs/cgroup/a/io.stat",
    "sys/fs/cgroup/a/pids.max",
    "sys/fs/cgroup/a/cpu.pressure",
    "sys/fs/cgroup/a/b/memory.max",
    "sys/fs/cgroup/a/b/memory.current",
    "sys/fs/cgroup/a/b/cpu.max",
    "sys/fs/cgroup/a/b/cgroup.procs",
];

/// Splits the input into `(file index, content)` chunks: one byte for the
/// index (modulo the table), two little-endian bytes for the length, then
/// the content (cut short at the end of the input).
pub fn split_tree_input(mut data: &[u8]) -> Vec<(&'static str, &[u8])> {
    let mut files = Vec::new();
    while let [idx, lo, hi, rest @ ..] = data {
        let len = usize::from(u16::from_le_bytes([*lo, *hi])).min(rest.len());
        files.push((TREE[usize::from(*idx) % TREE.len()], &rest[..len]));
        data = &rest[len..];
    }
    files
}

/// A fake root under the temporary directory, unique to this process.
fn tree_root() -> PathBuf {
    std::env::temp_dir().join(format!("psutil-rs-fuzz-{}", std::process::id()))
}

/// The public API over a fake `/proc` and `/sys` tree built from the
/// input: every read-only system function, and a process (PID 4242, with a
/// child 4243) through `as_dict` of every attribute, `children` and
/// `process_iter`. Errors are fine; panics, hangs and out-of-range values
/// are not.
///
/// Enters the fake roots on the calling thread only ([`crate::Roots`]);
/// the tree is one per process, so callers run it on one thread at a time.
pub fn api(data: &[u8]) {
    use crate::process::{process_iter_with, Attr, Process};

    let root = tree_root();
    let _ = std::fs::remove_dir_all(&root);
    for dir in [
        "proc/4242/task/4242",
        "proc/4242/fdinfo",
        "proc/4243",
        "sys",
    ] {
        let _ = std::fs::create_dir_all(root.join(dir));
    }
    for (path, content) in split_tree_input(data) {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, content);
    }
    // This thread's roots only (restored even when an assertion fails).
    let roots = crate::Roots::default()
        .with_procfs(path_str(&root.join("proc")))
        .with_sysfs(path_str(&root.join("sys")))
        .with_cgroupfs(path_str(&root.join("sys/fs/cgroup")))
        .enter();

    if let Ok(v) = crate::memory::virtual_memory() {
        assert!(v.available <= v.total && v.used <= v.total, "{v:?}");
        assert!((0.0..=100.0).contains(&v.percent), "{v:?}");
    }
    if let Ok(s) = crate::memory::swap_memory() {
        assert!(s.used <= s.total, "{s:?}");
        assert!((0.0..=100.0).contains(&s.percent), "{s:?}");
    }
    let _ = crate::cpu::cpu_times();
    let _ = crate::cpu::cpu_times_percpu();
    let _ = crate::cpu::cpu_count(true);
    let _ = crate::cpu::cpu_count(false);
    let _ = crate::cpu::cpu_stats();
    let _ = crate::cpu::cpu_freq();
    let _ = crate::cpu::cpu_freq_percpu();
    let _ = crate::cpu::getloadavg();
    let _ = crate::boot_time();
    let _ = crate::disk::disk_io_counters(false);
    let _ = crate::disk::disk_io_counters_perdisk(true);
    let _ = crate::disk::disk_partitions(false);
    let _ = crate::disk::disk_partitions(true);
    if let (Ok(Some(total)), Ok(per)) = (
        crate::net::net_io_counters(false),
        crate::net::net_io_counters_pernic(false),
    ) {
        // A sum is at least each of its terms: it must not wrap.
        for (_, nic) in per.iter() {
            assert!(nic.bytes_sent <= total.bytes_sent, "{nic:?} > {total:?}");
            assert!(
                nic.packets_recv <= total.packets_recv,
                "{nic:?} > {total:?}"
            );
        }
    }
    let _ = crate::net::net_io_counters_pernic(true);
    let _ = crate::net::net_connections(crate::net::ConnectionKind::All);
    let _ = crate::sensors::sensors_temperatures(false);
    let _ = crate::sensors::sensors_fans();
    let _ = crate::sensors::sensors_battery();
    let _ = crate::process::pids();
    if let Ok(p) = Process::new(4242) {
        let _ = p.as_dict(Attr::ALL);
        let _ = p.children(true);
        let _ = p.memory_maps();
        let _ = p.threads();
    }
    let _ = process_iter_with(Attr::ALL);
    api_cgroup();

    drop(roots);
    let _ = std::fs::remove_dir_all(&root);
}

/// The cgroup API over the fake tree: process 4242's cgroup and every
/// figure of it, the effective answers, the root's children.
fn api_cgroup() {
    use crate::cgroup::{self, Cgroup, Limit};
    if let Ok(cg) = Cgroup::of_pid(4242) {
        let s = cg.stats();
        if let (Some(u), Some(w)) = (s.memory.usage, s.memory.working_set) {
            assert!(w <= u, "{s:?}");
        }
        let _ = (cg.placement(), cg.processes(), cg.children());
        let ram = crate::platform::imp::cgroup::mem_total().ok();
        if let (Ok(vm), Some(ram)) = (cg.virtual_memory(), ram) {
            assert!(vm.total <= ram && vm.used <= vm.total, "{vm:?}");
            assert_eq!(vm.used + vm.available, vm.total, "{vm:?}");
            assert!((0.0..=100.0).contains(&vm.percent), "{vm:?}");
        }
        if let (Some(Limit::Value(least)), Some(Limit::Value(own))) =
            (cg.effective_memory_limit(), s.memory.limit)
        {
            assert!(least <= own);
        }
    }
    if let (Ok(limit), Ok(ram)) = (
        cgroup::effective_memory_limit_of(4242),
        crate::platform::imp::cgroup::mem_total(),
    ) {
        assert!(limit <= ram);
    }
    if let Ok(n) = cgroup::effective_cpu_count_of(4242) {
        assert!(n >= 1);
    }
    let _ = cgroup::system_pressure();
    if let Ok(root) = Cgroup::root() {
        let _ = root
            .children()
            .map(|kids| kids.iter().map(Cgroup::stats).count());
    }
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    //! Replays `fuzz/corpus/TARGET/*` and `fuzz/regressions/TARGET/*`
    //! through the functions above.

    use std::path::Path;

    /// A fuzz target's name and entry point.
    type Target = (&'static str, fn(&[u8]));

    /// Every fuzz target.
    const TARGETS: &[Target] = &[
        ("stat", super::stat),
        ("statm", super::statm),
        ("status", super::status),
        ("cmdline", super::cmdline),
        ("meminfo", super::meminfo),
        ("system_counters", super::system_counters),
        ("proc_stat", super::proc_stat),
        ("diskstats", super::diskstats),
        ("mounts", super::mounts),
        ("net_dev", super::net_dev),
        ("net_sockets", super::net_sockets),
        ("sock_diag", super::sock_diag),
        ("smaps", super::smaps),
        ("io_fdinfo", super::io_fdinfo),
        ("utmp", super::utmp),
        ("sysfs_numbers", super::sysfs_numbers),
        ("cgroup_paths", super::cgroup_paths),
        ("cgroup_files", super::cgroup_files),
        ("api", super::api),
    ];

    /// The source tree is absent where the test binary was copied elsewhere
    /// (the kernel-matrix VMs): nothing to replay there. Where it exists, an
    /// empty corpus is a failure.
    fn source_tree_absent() -> bool {
        let absent = !Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("Cargo.toml")
            .exists();
        if absent {
            eprintln!("skipped: no source tree here, so no fuzz corpus to replay");
        }
        absent
    }

    /// Runs every file of `fuzz/KIND/TARGET/` through its target, except
    /// the API target unless `api` (its fake tree is one per process and it
    /// fills process-wide caches such as `process_iter`'s, so it runs in a
    /// process of its own: see [`api_corpus_in_own_process`]).
    fn replay(kind: &str, api: bool) -> usize {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz")
            .join(kind);
        let mut n = 0;
        for (target, f) in TARGETS {
            if (*target == "api") != api {
                continue;
            }
            let Ok(dir) = std::fs::read_dir(base.join(target)) else {
                continue;
            };
            for entry in dir.flatten() {
                f(&std::fs::read(entry.path()).unwrap());
                n += 1;
            }
        }
        n
    }

    #[test]
    fn corpus_replays_cleanly() {
        if source_tree_absent() {
            return;
        }
        assert!(replay("corpus", false) > 0, "no corpus under fuzz/corpus");
    }

    #[test]
    fn past_crashes_stay_fixed() {
        replay("regressions", false);
    }

    /// The API target's corpus and crashes, in a child process (this test
    /// binary again) so that no other test shares its caches.
    #[test]
    fn api_corpus_in_own_process() {
        if source_tree_absent() {
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "fuzzing::tests::api_replay", "--ignored"])
            .args(["--test-threads", "1", "--nocapture"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("1 passed"), "{text}");
    }

    #[test]
    #[ignore = "run by api_corpus_in_own_process"]
    fn api_replay() {
        assert!(
            replay("corpus", true) > 0,
            "no corpus under fuzz/corpus/api"
        );
        replay("regressions", true);
    }

    #[test]
    fn tree_input_is_index_length_content() {
        // Index 0 (proc/meminfo), 15 bytes; then index 16 (proc/4242/stat)
        // with a length past the end, cut to what is there; a trailing byte
        // too short for a header is dropped.
        let mut data = vec![0, 15, 0];
        data.extend_from_slice(b"MemTotal: 1 kB\n");
        data.extend_from_slice(&[16, 0xff, 0xff, b'x', b'y']);
        let files = super::split_tree_input(&data);
        assert_eq!(
            files,
            [
                ("proc/meminfo", &b"MemTotal: 1 kB\n"[..]),
                ("proc/4242/stat", &b"xy"[..])
            ]
        );
        assert_eq!(super::split_tree_input(&[7, 1]), []);
    }
}
