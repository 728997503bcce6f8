//! The cgroup API against fixture trees (`tests/fixtures/cgroup/`) entered
//! as `/proc` and cgroupfs roots with `psutil::Roots`:
//!
//! * `v1`: captured on a v1 host (kernel 6.18, one controller per
//!   hierarchy) by `capture_v1.py`: a Docker-style `/docker/<ID>` whose
//!   memory limit (512 MiB) is looser than its parent's (256 MiB);
//! * `hybrid`: that host's layout, `cpu,cpuacct` co-mounted, cgroup2 at
//!   `unified` with PSI, a `blkio` line with no mount;
//! * `v2`: a Kubernetes container (systemd driver, containerd), written from
//!   the kernel's cgroup-v2 documentation, with "max" values and missing
//!   files;
//! * `v2_docker`: captured on Debian's 6.12 kernel in the qemu harness by
//!   `capture_v2.sh`: a systemd-driver Docker scope under a tighter parent;
//! * `ns`: inside a cgroup namespace: the path reads `/` while the mount
//!   root is the container's cgroup.
//!
//! The roots are entered with `psutil::Roots` on the test's own thread:
//! the tests run side by side without a lock.

#[macro_use]
mod common;

use std::path::Path;

use psutil::cgroup::{
    self, Cgroup, IoDevice, IoLimit, Limit, MemoryEvents, Placement, PressureLine, Runtime, Version,
};

const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const POD: &str = "5f2e9a4c-1b7d-4e0a-9c3b-2d8f6a1e4b70";
const MIB: u64 = 1 << 20;

/// Points `/proc` at `fixtures/cgroup/<proc>/proc` and the cgroup root at
/// `fixtures/cgroup/<sys>/sys/fs/cgroup` on this thread until dropped.
fn roots(proc: &str, sys: &str) -> psutil::RootsGuard {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cgroup");
    common::fake_roots(
        Some(&base.join(proc).join("proc")),
        None,
        Some(&base.join(sys).join("sys/fs/cgroup")),
    )
}

fn v1_device() -> IoDevice {
    build!(IoDevice {
        major: 254,
        minor: 0,
        read_bytes: 1048576,
        write_bytes: 4194304,
        read_ios: 2,
        write_ios: 8,
    })
}

#[test]
fn v1_container() {
    let _r = roots("v1", "v1");
    let cg = Cgroup::of_pid(4242).unwrap();
    assert_eq!(cg.path(), format!("/docker/{ID}"));
    assert_eq!(cg.name(), ID);
    assert_eq!(cg.version(), Version::V1);
    let h = cg.hierarchies();
    assert_eq!(h.len(), 10);
    let memory = h.iter().find(|h| h.controllers == ["memory"]).unwrap();
    assert!(memory
        .dir
        .as_ref()
        .unwrap()
        .ends_with(format!("v1/sys/fs/cgroup/memory/docker/{ID}")));
    // The kernel always prints the v2 line; no cgroup2 is mounted here.
    let v2 = h.iter().find(|h| h.version == Version::V2).unwrap();
    assert_eq!((v2.path.as_str(), v2.dir.as_ref()), ("/", None));

    let m = cg.memory();
    assert_eq!(m.usage, Some(33640448));
    assert_eq!(m.limit, Some(Limit::Value(512 * MIB)));
    assert_eq!(m.high, None);
    assert_eq!(m.swap_usage, Some(0));
    assert_eq!(m.swap_limit, Some(Limit::Max));
    // total_inactive_file is 0 in this capture.
    assert_eq!(m.working_set, Some(33640448));
    assert_eq!(
        (m.rss, m.cache, m.mapped_file),
        (Some(32247808), Some(1056768), Some(1048576))
    );
    assert_eq!(m.stat["shmem"], 1048576);
    assert_eq!(m.stat["hierarchical_memory_limit"], 256 * MIB);
    assert_eq!(
        m.events,
        build!(MemoryEvents {
            max: Some(0),
            oom_kill: Some(0),
            ..MemoryEvents::default()
        })
    );

    let c = cg.cpu();
    assert_eq!(c.usage_seconds, Some(811057400.0 / 1e9));
    assert_eq!(c.user_seconds, Some(999953971.0 / 1e9));
    assert_eq!(c.system_seconds, Some(28000000.0 / 1e9));
    assert_eq!(c.quota_us, Some(Limit::Value(50000)));
    assert_eq!(c.period_us, Some(100000));
    assert_eq!(c.limit_cpus, Some(Limit::Value(0.5)));
    assert_eq!((c.shares, c.weight), (Some(1024), None));
    assert_eq!((c.nr_periods, c.nr_throttled), (Some(19), Some(10)));
    assert_eq!(c.throttled_seconds, Some(108047479.0 / 1e9));
    assert_eq!(c.cpuset, Some(vec![0, 1]));

    let io = cg.io();
    assert_eq!(io.devices, Some(vec![v1_device()]));
    assert_eq!(
        io.limits,
        Some(vec![build!(IoLimit {
            major: 254,
            minor: 0,
            read_bps: Limit::Value(1 << 30),
            write_bps: Limit::Value(1 << 30),
            read_iops: Limit::Max,
            write_iops: Limit::Value(10000),
        })])
    );
    assert_eq!(cg.pids().current, Some(1));
    assert_eq!(cg.pids().max, Some(Limit::Value(64)));
    // No cgroup2 and no v1 PSI files: unavailable, not zero.
    assert_eq!(cg.pressure(), Default::default());
    assert_eq!(cgroup::system_pressure(), None);
    // stats() is every figure above, each from its own controller.
    let s = cg.stats();
    assert_eq!(s.memory, m);
    assert_eq!(s.cpu, c);
    assert_eq!(s.io, io);
    assert_eq!(s.pids, cg.pids());
    assert_eq!(s.pressure, cg.pressure());

    // The parent's 256 MiB binds; the child's own 512 MiB does not.
    assert_eq!(cg.effective_memory_limit(), Some(Limit::Value(256 * MIB)));
    assert_eq!(cgroup::effective_memory_limit_of(4242).unwrap(), 256 * MIB);
    // 0.5 CPU (child) beats 1.5 (parent); rounded up to 1 of the 2 allowed.
    assert_eq!(cg.effective_cpu_limit(), Some(Limit::Value(0.5)));
    assert_eq!(cgroup::effective_cpu_count_of(4242).unwrap(), 1);

    let vm = cg.virtual_memory().unwrap();
    assert_eq!(vm.total, 256 * MIB);
    assert_eq!(vm.used, 33640448);
    assert_eq!(vm.available, 256 * MIB - 33640448);
    assert_eq!(vm.free, 256 * MIB - 33640448);
    assert_eq!(vm.percent, 12.5);
    assert_eq!(vm.cached, Some(1056768));
    assert_eq!(vm.shared, Some(1048576));
    assert_eq!(vm.active, Some(4096 + 8192));
    assert_eq!(vm.inactive, Some(33292288));

    let p = cg.placement();
    assert_eq!(p.runtime, Some(Runtime::Docker));
    assert_eq!(p.container_id.as_deref(), Some(ID));
    assert_eq!((p.unit, p.slice, p.pod_uid), (None, None, None));

    assert_eq!(cg.processes().unwrap(), [4242]);
    assert!(cg.children().unwrap().is_empty());
    // The cheap path agrees, with no mount table needed.
    assert_eq!(cgroup::cgroup_path(4242).unwrap(), cg.path());
    assert_eq!(Placement::from_path(cg.path()), cg.placement());
}

#[test]
fn v1_open_and_children() {
    let _r = roots("v1", "v1");
    let parent = Cgroup::open("/docker").unwrap();
    assert_eq!(parent.version(), Version::V1);
    // One hierarchy per controller that has the directory.
    assert_eq!(parent.hierarchies().len(), 6);
    assert_eq!(parent.memory().limit, Some(Limit::Value(256 * MIB)));
    assert_eq!(parent.cpu().limit_cpus, Some(Limit::Value(1.5)));
    assert_eq!(parent.pids().max, Some(Limit::Max));
    assert_eq!(parent.io().devices, Some(vec![v1_device()]));
    assert!(parent.processes().unwrap().is_empty());
    let kids = parent.children().unwrap();
    assert_eq!(kids.len(), 1);
    let kid = &kids[0];
    assert_eq!(kid.path(), format!("/docker/{ID}"));
    assert_eq!(kid.hierarchies().len(), 6);
    assert_eq!(kid.memory(), Cgroup::of_pid(4242).unwrap().memory());
    assert_eq!(kid.effective_memory_limit(), Some(Limit::Value(256 * MIB)));
    assert!(Cgroup::open("/nope").is_err());
    // The root's tree is the memory hierarchy's (mounted after cpu here):
    // /mem-only exists there alone.
    let root = Cgroup::root().unwrap();
    assert_eq!(root.path(), "/");
    let kids: Vec<String> = root
        .children()
        .unwrap()
        .iter()
        .map(|c| c.path().to_owned())
        .collect();
    assert_eq!(kids, ["/docker", "/mem-only"]);
    let mem_only = Cgroup::open("/mem-only").unwrap();
    assert_eq!(mem_only.hierarchies().len(), 1);
    assert_eq!(mem_only.memory().usage, Some(4096));
    assert_eq!(mem_only.memory().limit, Some(Limit::Max));
    assert_eq!(mem_only.cpu(), Default::default());
}

#[test]
fn hybrid_comounted_cpu_and_unified_pressure() {
    let _r = roots("hybrid", "hybrid");
    let cg = Cgroup::of_pid(4242).unwrap();
    assert_eq!(cg.version(), Version::V1);
    assert_eq!(cg.path(), format!("/docker/{ID}"));
    // cpu and cpuacct in one hierarchy: both read from one directory.
    let c = cg.cpu();
    assert_eq!(c.usage_seconds, Some(811057400.0 / 1e9));
    assert_eq!(c.limit_cpus, Some(Limit::Value(0.5)));
    assert_eq!(c.nr_throttled, Some(10));
    // No cpuset hierarchy in this tree; blkio is listed but not mounted.
    assert_eq!(c.cpuset, None);
    assert_eq!(cg.io(), Default::default());
    assert_eq!(cg.memory().limit, Some(Limit::Value(512 * MIB)));
    // Pressure comes from the v2 hierarchy (path "/" here).
    let p = cg.pressure();
    let cpu = p.cpu.unwrap();
    assert_eq!(
        cpu.some,
        build!(PressureLine {
            avg10: 81.9,
            avg60: 38.7,
            avg300: 19.56,
            total: 1816420144,
        })
    );
    assert_eq!(cpu.full.unwrap().total, 0);
    assert!(p.memory.is_some() && p.io.is_some());
    // The systemd unit comes from the name=systemd hierarchy.
    let pl = cg.placement();
    assert_eq!(pl.runtime, Some(Runtime::Docker));
    assert_eq!(pl.unit.as_deref(), Some(&*format!("docker-{ID}.scope")));
    assert_eq!(pl.slice.as_deref(), Some("system.slice"));
    let sys = cgroup::system_pressure().unwrap();
    assert_eq!(sys.cpu.unwrap().some.total, 1816420144);
    assert_eq!(cgroup::cgroup_path(4242).unwrap(), cg.path());
    // The v1 name=systemd unit is not in the path alone.
    assert_eq!(Placement::from_path(cg.path()).unit, None);
    assert_eq!(cgroup::effective_cpu_count_of(4242).unwrap(), 1);
}

#[test]
fn v2_kubernetes_container() {
    let _r = roots("v2", "v2");
    let cg = Cgroup::of_pid(4242).unwrap();
    assert_eq!(cg.version(), Version::V2);
    assert_eq!(cg.hierarchies().len(), 1);
    let p = cg.placement();
    assert_eq!(p.runtime, Some(Runtime::Containerd));
    assert_eq!(p.container_id.as_deref(), Some(ID));
    assert_eq!(p.pod_uid.as_deref(), Some(POD));
    assert_eq!(
        p.unit.as_deref(),
        Some(&*format!("cri-containerd-{ID}.scope"))
    );

    let m = cg.memory();
    assert_eq!(m.usage, Some(192 * MIB));
    assert_eq!(m.limit, Some(Limit::Value(512 * MIB)));
    assert_eq!(m.high, Some(Limit::Max));
    // memory.swap.current is missing from the fixture: only it is unknown.
    assert_eq!(m.swap_usage, None);
    assert_eq!(m.swap_limit, Some(Limit::Value(0)));
    assert_eq!(m.working_set, Some(192 * MIB - 32 * MIB));
    assert_eq!(
        (m.rss, m.cache, m.mapped_file),
        (Some(144 * MIB), Some(40 * MIB), Some(16 * MIB))
    );
    assert_eq!(m.stat.len(), 31);
    assert_eq!(
        m.events,
        build!(MemoryEvents {
            low: Some(0),
            high: Some(0),
            max: Some(17),
            oom: Some(3),
            oom_kill: Some(2),
        })
    );

    let c = cg.cpu();
    assert_eq!(
        (c.usage_seconds, c.user_seconds, c.system_seconds),
        (Some(4.5), Some(4.0), Some(0.5))
    );
    assert_eq!(c.quota_us, Some(Limit::Value(150000)));
    assert_eq!(c.limit_cpus, Some(Limit::Value(1.5)));
    assert_eq!((c.weight, c.shares), (Some(79), None));
    assert_eq!((c.nr_periods, c.nr_throttled), (Some(120), Some(45)));
    assert_eq!(c.throttled_seconds, Some(2.25));
    assert_eq!(c.cpuset, Some(vec![0, 1, 2, 3]));

    let io = cg.io();
    let devs = io.devices.unwrap();
    assert_eq!(devs.len(), 2);
    assert_eq!(
        devs[0],
        build!(IoDevice {
            major: 8,
            minor: 0,
            read_bytes: 1048576,
            write_bytes: 4194304,
            read_ios: 16,
            write_ios: 64,
        })
    );
    assert_eq!(io.limits, None);
    assert_eq!(cg.pids().current, Some(7));
    assert_eq!(cg.pids().max, Some(Limit::Max));
    let pr = cg.pressure();
    assert_eq!(pr.cpu.unwrap().some.avg10, 12.5);
    assert_eq!(pr.cpu.unwrap().full.unwrap().total, 2100000);
    assert_eq!(pr.io.unwrap().some.total, 1500);
    // Sorted and without the repeated PID.
    assert_eq!(cg.processes().unwrap(), [4242, 4250]);

    // The pod's 256 MiB binds (the scope's 512 MiB is looser); 1.5 CPUs
    // (scope) beats 2.5 (pod) and rounds up to 2 of the 4 allowed.
    assert_eq!(cg.effective_memory_limit(), Some(Limit::Value(256 * MIB)));
    assert_eq!(cg.effective_cpu_limit(), Some(Limit::Value(1.5)));
    assert_eq!(cgroup::effective_cpu_count_of(4242).unwrap(), 2);
    assert_eq!(cgroup::effective_memory_limit_of(4242).unwrap(), 256 * MIB);
    let vm = cg.virtual_memory().unwrap();
    assert_eq!((vm.total, vm.used), (256 * MIB, 160 * MIB));
    assert_eq!((vm.available, vm.free), (96 * MIB, 64 * MIB));
    assert_eq!(vm.percent, 62.5);
    assert_eq!(vm.cached, Some(40 * MIB));
}

#[test]
fn v2_docker_captured() {
    let _r = roots("v2_docker", "v2_docker");
    let cg = Cgroup::of_pid(4242).unwrap();
    assert_eq!(cg.path(), format!("/system.slice/docker-{ID}.scope"));
    assert_eq!(cg.version(), Version::V2);
    let p = cg.placement();
    assert_eq!(
        (p.runtime, p.container_id.as_deref()),
        (Some(Runtime::Docker), Some(ID))
    );
    assert_eq!(p.slice.as_deref(), Some("system.slice"));
    let m = cg.memory();
    assert_eq!(m.usage, Some(25870336));
    assert_eq!(m.limit, Some(Limit::Value(512 * MIB)));
    assert_eq!(m.high, Some(Limit::Max));
    assert_eq!((m.swap_usage, m.swap_limit), (Some(0), Some(Limit::Max)));
    // The tmpfs file is shmem: anonymous LRU, so no inactive file pages.
    assert_eq!(m.working_set, Some(25870336));
    assert_eq!((m.rss, m.cache), (Some(102400), Some(24 * MIB)));
    assert_eq!(m.stat["shmem"], 24 * MIB);
    assert_eq!(m.stat.len(), 65);
    assert_eq!(m.events.oom_kill, Some(0));
    let c = cg.cpu();
    assert_eq!(c.usage_seconds, Some(1.705337));
    assert_eq!(
        (c.user_seconds, c.system_seconds),
        (Some(0.112439), Some(1.592897))
    );
    assert_eq!(c.limit_cpus, Some(Limit::Value(0.5)));
    assert_eq!((c.nr_periods, c.nr_throttled), (Some(38), Some(33)));
    assert_eq!(c.throttled_seconds, Some(2.1183));
    assert_eq!(c.weight, Some(100));
    // The cpuset controller was not enabled for it: unavailable.
    assert_eq!(c.cpuset, None);
    let io = cg.io();
    assert_eq!(
        io.devices,
        Some(vec![build!(IoDevice {
            major: 254,
            minor: 0,
            read_bytes: 1024,
            write_bytes: 0,
            read_ios: 1,
            write_ios: 0,
        })])
    );
    assert_eq!(
        io.limits,
        Some(vec![build!(IoLimit {
            major: 254,
            minor: 0,
            read_bps: Limit::Max,
            write_bps: Limit::Value(1 << 30),
            read_iops: Limit::Value(10000),
            write_iops: Limit::Max,
        })])
    );
    assert_eq!(cg.pids().current, Some(1));
    assert_eq!(cg.pids().max, Some(Limit::Value(64)));
    let pr = cg.pressure();
    assert_eq!(pr.cpu.unwrap().some.total, 1274191);
    assert_eq!(pr.cpu.unwrap().full.unwrap().avg10, 8.41);
    assert_eq!(pr.io.unwrap().some.total, 101);
    assert_eq!(cg.processes().unwrap(), [4242]);
    assert_eq!(cg.effective_memory_limit(), Some(Limit::Value(256 * MIB)));
    assert_eq!(cgroup::effective_cpu_count_of(4242).unwrap(), 1);
    assert_eq!(cgroup::effective_memory_limit_of(4242).unwrap(), 256 * MIB);
    assert_eq!(
        cgroup::system_pressure().unwrap().cpu.unwrap().some.total,
        3076936
    );
    let parent = Cgroup::open("/system.slice").unwrap();
    assert_eq!(parent.memory().usage, Some(25878528));
    assert_eq!(parent.cpu().limit_cpus, Some(Limit::Value(1.5)));
}

#[test]
fn v2_unlimited_service_root_and_system_pressure() {
    let _r = roots("v2", "v2");
    let ssh = Cgroup::of_pid(4243).unwrap();
    let p = ssh.placement();
    assert_eq!(p.runtime, None);
    assert_eq!(p.unit.as_deref(), Some("ssh.service"));
    assert_eq!(p.slice.as_deref(), Some("system.slice"));
    assert_eq!(ssh.memory().limit, Some(Limit::Max));
    assert_eq!(ssh.cpu().limit_cpus, Some(Limit::Max));
    assert_eq!(ssh.cpu().period_us, Some(100000));
    // No throttling keys without the cpu controller: unknown, not 0.
    assert_eq!(ssh.cpu().nr_throttled, None);
    assert_eq!(ssh.effective_memory_limit(), Some(Limit::Max));
    assert_eq!(ssh.effective_cpu_limit(), Some(Limit::Max));
    assert_eq!(
        cgroup::effective_memory_limit_of(4243).unwrap(),
        8023456 * 1024
    );
    assert_eq!(cgroup::effective_cpu_count_of(4243).unwrap(), 4);
    assert_eq!(ssh.pids().max, Some(Limit::Value(4915)));

    let root = Cgroup::root().unwrap();
    assert_eq!((root.path(), root.name()), ("/", "/"));
    let m = root.memory();
    assert_eq!((m.usage, m.limit, m.working_set), (None, None, None));
    assert!(root.virtual_memory().is_err());
    assert_eq!(root.cpu().usage_seconds, Some(987.654321));
    assert_eq!(root.cpu().limit_cpus, None);
    assert_eq!(root.processes().unwrap(), [1]);
    let names: Vec<String> = root
        .children()
        .unwrap()
        .iter()
        .map(|c| c.path().to_owned())
        .collect();
    assert_eq!(names, ["/kubepods.slice", "/system.slice"]);
    let tree: Vec<(String, usize)> = root
        .descendants(2)
        .into_iter()
        .map(|(c, d)| (c.path().to_owned(), d))
        .collect();
    assert_eq!(
        tree,
        [
            ("/".to_owned(), 0),
            ("/kubepods.slice".to_owned(), 1),
            ("/kubepods.slice/kubepods-burstable.slice".to_owned(), 2),
            ("/system.slice".to_owned(), 1),
            ("/system.slice/ssh.service".to_owned(), 2),
        ]
    );
    assert_eq!(root.descendants(0).len(), 1);

    let sys = cgroup::system_pressure().unwrap();
    assert_eq!(sys.cpu.unwrap().some.avg10, 2.04);
    assert_eq!(sys.memory.unwrap().full.unwrap().total, 456789);
    assert_eq!(sys.io.unwrap().full.unwrap().avg300, 0.15);
}

#[test]
fn namespace_root_reads_slash() {
    let _r = roots("ns", "ns");
    // /proc/self/cgroup says "/", the mount's root is the container's.
    let me = Cgroup::current().unwrap();
    assert_eq!(me.path(), "/");
    assert!(me.dir().unwrap().ends_with("ns/sys/fs/cgroup"));
    assert_eq!(me.memory().limit, Some(Limit::Value(128 * MIB)));
    assert_eq!(cgroup::effective_cpu_count().unwrap(), 1);
    assert_eq!(cgroup::effective_memory_limit().unwrap(), 128 * MIB);
    // inactive_file above usage: the working set floors at 0.
    assert_eq!(me.memory().working_set, Some(0));
    let vm = cgroup::virtual_memory().unwrap();
    assert_eq!((vm.total, vm.used, vm.available), (128 * MIB, 0, 128 * MIB));
    assert_eq!(vm.free, 28 * MIB);
    assert_eq!(me.processes().unwrap(), [1, 7]);

    // Outside the namespace: the path is known, the directory is not.
    let out = Cgroup::of_pid(4242).unwrap();
    assert_eq!(out.path(), "/../sibling");
    assert_eq!(out.dir(), None);
    assert_eq!(out.memory(), Default::default());
    assert_eq!(out.effective_memory_limit(), None);
    assert!(out.processes().is_err());

    // Below the container's cgroup, as a host path: runc's nested rule.
    let sub = Cgroup::of_pid(4243).unwrap();
    assert!(sub.dir().unwrap().ends_with("ns/sys/fs/cgroup/sub"));
    assert_eq!(sub.memory().usage, Some(MIB));
    assert_eq!(sub.memory().limit, Some(Limit::Max));
    // The parent (the mount point) still limits it.
    assert_eq!(sub.effective_memory_limit(), Some(Limit::Value(128 * MIB)));
}

#[test]
fn no_cgroupfs_mounted() {
    let _r = roots("ns", "ns");
    let _none = psutil::Roots::current()
        .with_cgroupfs("/nonexistent-cgroupfs")
        .enter();
    let me = Cgroup::current().unwrap();
    assert_eq!(me.stats(), Default::default());
    assert!(me.children().is_err());
    // The affinity mask alone answers; the host's RAM alone.
    assert_eq!(cgroup::effective_cpu_count().unwrap(), 8);
    assert_eq!(cgroup::effective_memory_limit().unwrap(), 2000000 * 1024);
    assert!(Cgroup::root().is_err());
}

#[test]
fn missing_proc_cgroup_is_no_such_process() {
    let _r = roots("v2", "v2");
    let e = Cgroup::of_pid(999999).unwrap_err();
    assert!(e.is_no_such_process(), "{e:?}");
    assert!(cgroup::cgroup_path(999999)
        .unwrap_err()
        .is_no_such_process());
    assert_eq!(
        cgroup::cgroup_path(4243).unwrap(),
        "/system.slice/ssh.service"
    );
}
