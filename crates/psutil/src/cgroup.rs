//! Control groups: which cgroup a process is in, what that cgroup uses and
//! may use, and the limits that really bind a process in a container.
//!
//! psutil has no such module; psutil's own [`crate::memory::virtual_memory`]
//! and [`crate::cpu::cpu_count`] keep reporting the host, exactly as psutil
//! does. This module answers for the cgroup:
//!
//! * [`Cgroup`]: a handle on one cgroup (from [`crate::Process::cgroup`],
//!   [`Cgroup::open`] or [`Cgroup::root`]) with its memory, CPU, I/O, pids
//!   and pressure (PSI) figures, its children and its processes;
//! * [`effective_cpu_count`] and [`effective_memory_limit`]: the least of
//!   every limit that applies (affinity, host RAM, the cgroup's and each
//!   ancestor's quota or limit);
//! * [`virtual_memory`]: psutil's `virtual_memory()` shape for the calling
//!   process's cgroup;
//! * [`system_pressure`]: the system-wide PSI of `/proc/pressure/*`;
//! * [`Cgroup::placement`]: the container runtime, container ID, pod and
//!   systemd unit, as far as the cgroup path tells (best effort).
//!
//! # v1, v2 and hybrid hosts
//!
//! `/proc/PID/cgroup` lists one line per hierarchy; each line is resolved to
//! a directory through the cgroup mounts of `/proc/self/mountinfo` (the
//! reader's: the path in `/proc/PID/cgroup` is relative to the reader's
//! cgroup namespace, and the directory must be opened in the reader's mount
//! namespace), as runc does: mount point + path relative to the mount's
//! root. Controllers mounted apart (`cpu` and `cpuacct`) or together
//! (`cpu,cpuacct`) both work, and so do bind mounts of a subtree and cgroup
//! namespaces. Each controller's figures come from the v1 hierarchy that
//! holds it, else from the v2 hierarchy; pressure comes from the v2
//! hierarchy when one is mounted (hybrid hosts).
//!
//! # Unlimited, unavailable
//!
//! A limit is a [`Limit`]: [`Limit::Max`] when the kernel says "no limit"
//! (`max`, v1's `-1` or its 2^63 sentinel). Every figure is an `Option`:
//! `None` when its file cannot be read for any reason (controller not
//! enabled, root cgroup, no PSI, no permission, or the cgroup gone, which
//! some kernels answer with `ENODEV`). A missing file hides only its own
//! field, and no field is ever a 0 that was not read.
//!
//! The cgroup filesystem root is [`crate::cgroupfs_path`] (default
//! `/sys/fs/cgroup`), `/proc` is [`crate::procfs_path`]: both can point at
//! fixture trees or a host's filesystems mounted elsewhere.
//!
//! ```no_run
//! use psutil::cgroup::{self, Limit};
//!
//! let cg = psutil::Process::current()?.cgroup()?;
//! let mem = cg.memory();
//! match mem.limit {
//!     Some(Limit::Value(bytes)) => println!("{}: limited to {bytes} bytes", cg.path()),
//!     Some(Limit::Max) => println!("{}: no memory limit", cg.path()),
//!     None => println!("{}: no memory controller", cg.path()),
//! }
//! println!("CPUs usable: {}", cgroup::effective_cpu_count()?);
//! # Ok::<(), psutil::Error>(())
//! ```

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

#[cfg(feature = "serde")]
use serde::Serialize;

use crate::platform::imp::cgroup as imp;
use crate::{Error, Result};

/// The cgroup version of a hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub enum Version {
    /// cgroup v1: one hierarchy per controller (or per group of them).
    V1,
    /// cgroup v2: the unified hierarchy.
    V2,
}

impl Version {
    /// 1 or 2.
    pub fn number(self) -> u8 {
        match self {
            Version::V1 => 1,
            Version::V2 => 2,
        }
    }
}

/// A limit that may be unlimited (the default).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Limit<T> {
    /// No limit (`max`, or v1's `-1` / 2^63 sentinel).
    #[default]
    Max,
    /// A limit, in the unit of the field that holds it.
    Value(T),
}

impl<T: Copy> Limit<T> {
    /// The limit, or `None` when unlimited.
    pub fn value(self) -> Option<T> {
        match self {
            Limit::Max => None,
            Limit::Value(v) => Some(v),
        }
    }

    /// True when unlimited.
    pub fn is_max(self) -> bool {
        matches!(self, Limit::Max)
    }
}

/// Serialized as the string `"max"` or the number.
#[cfg(feature = "serde")]
impl<T: Serialize> Serialize for Limit<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Limit::Max => s.serialize_str("max"),
            Limit::Value(v) => v.serialize(s),
        }
    }
}

/// One hierarchy line of `/proc/PID/cgroup`, resolved to a directory.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct Hierarchy {
    /// v1 or v2.
    pub version: Version,
    /// The controllers of a v1 hierarchy (`memory`, `cpu`, `cpuacct`,
    /// `name=systemd`); empty for v2, whose controllers are per cgroup.
    pub controllers: Vec<String>,
    /// The cgroup path in this hierarchy (`/system.slice/ssh.service`).
    pub path: String,
    /// Its directory, `None` when no mount shows it (not mounted, or
    /// outside this cgroup namespace).
    pub dir: Option<PathBuf>,
    /// The mount point the directory is under: ancestors are walked up to
    /// here and no further.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub(crate) mount: Option<PathBuf>,
}

/// A cgroup: a path and the directories that show it in each mounted
/// hierarchy. Cheap to clone; every figure is read afresh when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Cgroup {
    /// Never empty.
    hierarchies: Vec<Hierarchy>,
    /// The index of the primary hierarchy (see [`Cgroup::path`]): it gives
    /// the path and version.
    primary: usize,
}

/// `memory.events` (v2) or the v1 equivalents: counts since the cgroup was
/// created, including descendants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct MemoryEvents {
    /// v2 `low`: times usage under `memory.low` was reclaimed anyway.
    pub low: Option<u64>,
    /// v2 `high`: times usage went over `memory.high` and was throttled.
    pub high: Option<u64>,
    /// v2 `max`: times usage was about to go over `memory.max`; v1
    /// `memory.failcnt`: times usage hit the limit.
    pub max: Option<u64>,
    /// v2 `oom`: times the limit was hit and reclaim failed.
    pub oom: Option<u64>,
    /// v2 `oom_kill`, v1 `oom_kill` of `memory.oom_control` (4.13+):
    /// processes killed by the OOM killer.
    pub oom_kill: Option<u64>,
}

/// Memory figures of a cgroup, in bytes. Usage includes descendants.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct MemoryStats {
    /// v2 `memory.current`, v1 `memory.usage_in_bytes`: memory charged,
    /// page cache included, bytes.
    pub usage: Option<u64>,
    /// v2 `memory.max`, v1 `memory.limit_in_bytes`: the hard limit,
    /// bytes.
    pub limit: Option<Limit<u64>>,
    /// v2 `memory.high`: the throttling threshold, bytes (v1: `None`).
    pub high: Option<Limit<u64>>,
    /// v2 `memory.swap.current`, v1 `swap` of `memory.stat` (swap
    /// accounting only), bytes.
    pub swap_usage: Option<u64>,
    /// v2 `memory.swap.max`; v1 `memory.memsw.limit_in_bytes` minus the
    /// memory limit (v1 limits memory and swap together), bytes.
    pub swap_limit: Option<Limit<u64>>,
    /// Usage minus inactive file pages, floored at 0: what the kubelet and
    /// cAdvisor call the working set (`kubectl top`, eviction), bytes.
    pub working_set: Option<u64>,
    /// Anonymous memory, bytes: v2 `anon`, v1 `rss` of `memory.stat`.
    pub rss: Option<u64>,
    /// Page cache, bytes: v2 `file`, v1 `cache` of `memory.stat`.
    pub cache: Option<u64>,
    /// Mapped files, bytes: v2 `file_mapped`, v1 `mapped_file` of
    /// `memory.stat`.
    pub mapped_file: Option<u64>,
    /// The whole `memory.stat`, by the kernel's key names (bytes, except
    /// event counts such as `pgfault`). v1 values are the `total_*` ones,
    /// which include descendants as v2's do.
    pub stat: BTreeMap<String, u64>,
    /// OOM and limit events.
    pub events: MemoryEvents,
}

/// CPU figures of a cgroup. Times include descendants.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct CpuStats {
    /// CPU time used, seconds (v2 `usage_usec`, v1 `cpuacct.usage`).
    pub usage_seconds: Option<f64>,
    /// User CPU time, seconds (v2 `user_usec`, v1 `cpuacct.usage_user` or
    /// `cpuacct.stat`).
    pub user_seconds: Option<f64>,
    /// System CPU time, seconds (v2 `system_usec`, v1 `cpuacct.usage_sys`
    /// or `cpuacct.stat`).
    pub system_seconds: Option<f64>,
    /// CFS quota per period, microseconds (v2 `cpu.max`, v1
    /// `cpu.cfs_quota_us`).
    pub quota_us: Option<Limit<u64>>,
    /// CFS period, microseconds (v2 `cpu.max`, v1 `cpu.cfs_period_us`).
    pub period_us: Option<u64>,
    /// quota / period: the limit in CPUs (1.5 = one and a half CPUs).
    pub limit_cpus: Option<Limit<f64>>,
    /// v2 `cpu.weight` (1 to 10000, default 100).
    pub weight: Option<u64>,
    /// v1 `cpu.shares` (2 to 262144, default 1024).
    pub shares: Option<u64>,
    /// Enforcement periods that had runnable tasks, count.
    pub nr_periods: Option<u64>,
    /// Periods in which the quota ran out, count.
    pub nr_throttled: Option<u64>,
    /// Time spent throttled, seconds.
    pub throttled_seconds: Option<f64>,
    /// The CPUs the cgroup may run on (v2 `cpuset.cpus.effective`, v1
    /// `cpuset.effective_cpus`), sorted.
    pub cpuset: Option<Vec<u32>>,
}

/// I/O counters of one block device, since the cgroup was created
/// (including descendants).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct IoDevice {
    /// Device major number.
    pub major: u32,
    /// Device minor number.
    pub minor: u32,
    /// Bytes read.
    pub read_bytes: u64,
    /// Bytes written.
    pub write_bytes: u64,
    /// Read operations.
    pub read_ios: u64,
    /// Write operations.
    pub write_ios: u64,
}

/// The I/O limits set on one block device (v2 `io.max`, v1
/// `blkio.throttle.*_device`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct IoLimit {
    /// Device major number.
    pub major: u32,
    /// Device minor number.
    pub minor: u32,
    /// Read bytes per second.
    pub read_bps: Limit<u64>,
    /// Written bytes per second.
    pub write_bps: Limit<u64>,
    /// Read operations per second.
    pub read_iops: Limit<u64>,
    /// Write operations per second.
    pub write_iops: Limit<u64>,
}

/// I/O figures of a cgroup.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct IoStats {
    /// Per device (v2 `io.stat`, v1 `blkio.throttle.io_service_bytes` and
    /// `io_serviced`, recursive where the kernel has them); only devices
    /// with I/O are listed.
    pub devices: Option<Vec<IoDevice>>,
    /// Per device with a limit; empty when none is set.
    pub limits: Option<Vec<IoLimit>>,
}

/// Task figures of a cgroup (`pids` controller).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct PidsStats {
    /// `pids.current`: tasks (threads) in the cgroup and its descendants.
    pub current: Option<u64>,
    /// `pids.max`: the most tasks allowed (current may exceed a limit set
    /// after the fact).
    pub max: Option<Limit<u64>>,
}

/// One line of a PSI file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct PressureLine {
    /// Percent of the last 10 seconds stalled.
    pub avg10: f64,
    /// Percent of the last 60 seconds stalled.
    pub avg60: f64,
    /// Percent of the last 300 seconds stalled.
    pub avg300: f64,
    /// Total stall time, microseconds.
    pub total: u64,
}

/// A PSI file: `some` (at least one task stalled) and `full` (all
/// non-idle tasks stalled at once).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct Pressure {
    /// Time at least one task was stalled on the resource.
    pub some: PressureLine,
    /// Time every non-idle task was stalled at once; `None` where the
    /// kernel prints no such line (system-wide CPU before 5.13, where it
    /// is also meaningless).
    pub full: Option<PressureLine>,
}

/// Pressure stall information for CPU, memory and I/O; `None` where the
/// kernel has no PSI (before 4.20, `CONFIG_PSI` off, `psi=0`) or the
/// cgroup has no such file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct PressureStats {
    /// `cpu.pressure`, `/proc/pressure/cpu`.
    pub cpu: Option<Pressure>,
    /// `memory.pressure`, `/proc/pressure/memory`.
    pub memory: Option<Pressure>,
    /// `io.pressure`, `/proc/pressure/io`.
    pub io: Option<Pressure>,
}

/// Everything [`Cgroup`] can read about a cgroup, in one call.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct CgroupStats {
    /// [`Cgroup::memory`].
    pub memory: MemoryStats,
    /// [`Cgroup::cpu`].
    pub cpu: CpuStats,
    /// [`Cgroup::io`].
    pub io: IoStats,
    /// [`Cgroup::pids`].
    pub pids: PidsStats,
    /// [`Cgroup::pressure`].
    pub pressure: PressureStats,
}

/// A container runtime recognised in a cgroup path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub enum Runtime {
    /// Docker (`/docker/ID`, `docker-ID.scope`).
    Docker,
    /// containerd (`cri-containerd-ID.scope`, nerdctl's `nerdctl-ID.scope`).
    Containerd,
    /// CRI-O (`crio-ID.scope`, `crio-conmon-ID.scope`).
    CriO,
    /// Podman (`libpod-ID.scope`, `libpod-conmon-ID.scope`, `libpod-ID`).
    Podman,
    /// LXC (`/lxc/NAME`, `/lxc.payload.NAME`).
    Lxc,
}

impl Runtime {
    /// Every runtime, in declaration order.
    pub const ALL: &'static [Runtime] = &[
        Runtime::Docker,
        Runtime::Containerd,
        Runtime::CriO,
        Runtime::Podman,
        Runtime::Lxc,
    ];

    /// A lower-case name: `docker`, `containerd`, `cri-o`, `podman`, `lxc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Docker => "docker",
            Runtime::Containerd => "containerd",
            Runtime::CriO => "cri-o",
            Runtime::Podman => "podman",
            Runtime::Lxc => "lxc",
        }
    }
}

psutil_names!(Runtime, "container runtime");

/// What a cgroup path says about where its processes run. Best effort: the
/// path is all there is, and runtimes and drivers name cgroups differently
/// (Kubernetes' cgroupfs driver names no runtime, for one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct Placement {
    /// The container runtime, when the path names one.
    pub runtime: Option<Runtime>,
    /// The container ID (64 hex digits; an LXC container's name).
    pub container_id: Option<String>,
    /// The Kubernetes pod UID, for cgroups under `kubepods`.
    pub pod_uid: Option<String>,
    /// The innermost systemd service or scope (`ssh.service`).
    pub unit: Option<String>,
    /// The innermost systemd slice (`system.slice`).
    pub slice: Option<String>,
}

impl Placement {
    /// What `path` (a cgroup path) says about where its processes run
    /// ([`Cgroup::placement`] without the v1 `name=systemd` fallback).
    ///
    /// Best effort from the path alone (the layouts of cAdvisor's
    /// container handlers and of the runtimes' cgroup drivers): whatever
    /// is not recognised is `None`.
    pub fn from_path(path: &str) -> Placement {
        let mut p = Placement::default();
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        let in_kubepods = comps.first().is_some_and(|c| {
            *c == "kubepods" || c.starts_with("kubepods.") || c.starts_with("kubepods-")
        });
        for (i, c) in comps.iter().enumerate() {
            if c.ends_with(".slice") {
                p.slice = Some((*c).to_owned());
            } else if c.ends_with(".service") || c.ends_with(".scope") {
                p.unit = Some((*c).to_owned());
            }
            if in_kubepods {
                if let Some(uid) = pod_uid(c) {
                    p.pod_uid = Some(uid);
                }
            }
            if let Some((rt, id)) = runtime_scope(c) {
                p.runtime = Some(rt);
                p.container_id = Some(id);
                continue;
            }
            let parent = if i > 0 { Some(comps[i - 1]) } else { None };
            if is_hex64(c) {
                // cgroupfs drivers: /docker/<id>, /kubepods/<qos>/pod<uid>/<id>,
                // /libpod_parent/libpod-<id> is handled below.
                match parent {
                    Some("docker") => p.runtime = Some(Runtime::Docker),
                    _ if in_kubepods => {}
                    _ => continue,
                }
                p.container_id = Some((*c).to_owned());
            } else if let Some(id) = c.strip_prefix("libpod-").filter(|id| is_hex64(id)) {
                p.runtime = Some(Runtime::Podman);
                p.container_id = Some(id.to_owned());
            } else if parent == Some("lxc") {
                p.runtime = Some(Runtime::Lxc);
                p.container_id = Some((*c).to_owned());
            } else if let Some(name) = c.strip_prefix("lxc.payload.").filter(|n| !n.is_empty()) {
                p.runtime = Some(Runtime::Lxc);
                p.container_id = Some(name.to_owned());
            }
        }
        p
    }
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// A Kubernetes pod UID from a `pod<UID>` component: the cgroupfs driver
/// keeps the dashes, the systemd driver writes them as `_` inside
/// `kubepods-<qos>-pod<UID>.slice`.
fn pod_uid(component: &str) -> Option<String> {
    let c = component.strip_suffix(".slice").unwrap_or(component);
    let at = c.rfind("pod")?;
    if at > 0 && !c[..at].ends_with('-') {
        return None;
    }
    let uid = c[at + 3..].replace('_', "-");
    let ok = uid.len() == 36 && uid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    ok.then_some(uid)
}

/// A systemd scope named `PREFIX-<64 hex>.scope` of a known runtime.
fn runtime_scope(component: &str) -> Option<(Runtime, String)> {
    let stem = component.strip_suffix(".scope")?;
    const PREFIXES: &[(&str, Runtime)] = &[
        ("docker-", Runtime::Docker),
        ("cri-containerd-", Runtime::Containerd),
        ("nerdctl-", Runtime::Containerd),
        ("crio-conmon-", Runtime::CriO),
        ("crio-", Runtime::CriO),
        ("libpod-conmon-", Runtime::Podman),
        ("libpod-", Runtime::Podman),
    ];
    PREFIXES.iter().find_map(|(prefix, rt)| {
        let id = stem.strip_prefix(prefix)?;
        is_hex64(id).then(|| (*rt, id.to_owned()))
    })
}

/// psutil's `virtual_memory()` shape for a cgroup, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct CgroupMemory {
    /// psutil's `total`, bytes: the effective memory limit, the least of
    /// the host's RAM and the limits of the cgroup and its ancestors.
    pub total: u64,
    /// psutil's `available`, bytes: `total - used`, what the cgroup can
    /// still take without reclaiming its own active memory.
    pub available: u64,
    /// psutil's `percent`, percent: `used / total * 100`, rounded to one
    /// decimal.
    pub percent: f64,
    /// psutil's `used`, bytes: the working set (usage minus inactive file pages; usage itself
    /// where `memory.stat` lacks them), at most `total`.
    pub used: u64,
    /// psutil's `free`, bytes: `total - usage`, not charged to the cgroup
    /// at all.
    pub free: u64,
    /// psutil's `active`, bytes: `active_anon + active_file` of
    /// `memory.stat`; `None` when either line is missing.
    pub active: Option<u64>,
    /// psutil's `inactive`, bytes: `inactive_anon + inactive_file` of
    /// `memory.stat`; `None` when either line is missing.
    pub inactive: Option<u64>,
    /// psutil's `cached`, bytes: the page cache, v2 `file`, v1 `cache` of
    /// `memory.stat`; `None` when missing.
    pub cached: Option<u64>,
    /// psutil's `shared`, bytes: `shmem` of `memory.stat`, tmpfs and
    /// shared memory; `None` when missing.
    pub shared: Option<u64>,
}

/// The order a primary hierarchy is chosen in, lowest first: the one
/// whose path a v1 or hybrid host reports as "the" cgroup.
fn primary_rank(h: &Hierarchy) -> u8 {
    rank(h.version, &h.controllers)
}

/// [`primary_rank`] of a hierarchy of `version` holding `controllers`.
pub(crate) fn rank(version: Version, controllers: &[String]) -> u8 {
    let has = |c: &str| controllers.iter().any(|x| x == c);
    match version {
        Version::V1 if has("memory") => 0,
        Version::V1 if has("cpu") => 1,
        Version::V1 if has("pids") => 2,
        Version::V1 if controllers.iter().any(|c| !c.starts_with("name=")) => 3,
        Version::V2 => 4,
        Version::V1 => 5,
    }
}

/// `NotFound` for a cgroup `path` that is not there.
fn not_found(path: &str) -> Error {
    Error::io(path, io::Error::from(io::ErrorKind::NotFound))
}

impl Cgroup {
    /// Builds a cgroup from its hierarchies; the primary one (see
    /// [`Cgroup::path`]) sets the path and version.
    pub(crate) fn from_hierarchies(hierarchies: Vec<Hierarchy>) -> Option<Cgroup> {
        let (primary, _) = hierarchies
            .iter()
            .enumerate()
            .min_by_key(|(_, h)| (h.dir.is_none(), primary_rank(h)))?;
        Some(Cgroup {
            hierarchies,
            primary,
        })
    }

    /// The cgroup of process `pid`, from `/proc/PID/cgroup` (what
    /// [`crate::Process::cgroup`] returns).
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchProcess`] ([`GoneReason::Exited`](crate::GoneReason),
    /// also for a PID that never existed) when there is no `/proc/PID`;
    /// [`Error::AccessDenied`] when the read is refused; [`Error::Io`] when
    /// the file cannot be read otherwise (no cgroup support) or lists no
    /// hierarchy (kind `InvalidData`). A
    /// cgroup whose directories cannot be found is returned all the same,
    /// with `None` for every figure.
    pub fn of_pid(pid: u32) -> Result<Cgroup> {
        imp::of_process(Some(pid))
    }

    /// The cgroup of the calling process (`/proc/self/cgroup`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when `PROCFS_PATH/self/cgroup` cannot be read (no cgroup
    /// support) or lists no hierarchy (kind `InvalidData`).
    pub fn current() -> Result<Cgroup> {
        imp::of_process(None)
    }

    /// The cgroup at `path` (`/system.slice/ssh.service`, as
    /// `/proc/PID/cgroup` prints paths), in every mounted hierarchy that has
    /// it.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] (kind `NotFound`, the path as given) when no mounted
    /// hierarchy has a directory at `path`, which includes a host without
    /// any cgroup mount.
    pub fn open(path: &str) -> Result<Cgroup> {
        imp::open(path).ok_or_else(|| not_found(path))
    }

    /// The root cgroup (`/`) of every mounted hierarchy.
    ///
    /// # Errors
    ///
    /// As [`Cgroup::open`].
    pub fn root() -> Result<Cgroup> {
        Cgroup::open("/")
    }

    /// The cgroup path, as `/proc/PID/cgroup` prints it. On v1 and hybrid
    /// hosts, where each hierarchy has its own path, it is the path of the
    /// `memory` hierarchy (else `cpu`, else `pids`, else any other).
    pub fn path(&self) -> &str {
        &self.primary().path
    }

    /// The last component of the path (`ssh.service`; `/` for the root).
    pub fn name(&self) -> &str {
        match self.path().rsplit('/').next() {
            Some("") | None => "/",
            Some(n) => n,
        }
    }

    /// The version of the hierarchy that gives [`Cgroup::path`]: v1 on v1
    /// and hybrid hosts (whose controllers are on v1), v2 on v2 hosts.
    pub fn version(&self) -> Version {
        self.primary().version
    }

    /// Every hierarchy of the cgroup, with its path and directory.
    pub fn hierarchies(&self) -> &[Hierarchy] {
        &self.hierarchies
    }

    /// The directory of the primary hierarchy, `None` when not found.
    pub fn dir(&self) -> Option<&Path> {
        self.primary().dir.as_deref()
    }

    /// The primary hierarchy: it gives the path, version and directory.
    fn primary(&self) -> &Hierarchy {
        // from_hierarchies, the only constructor, picks an index of a
        // non-empty list.
        &self.hierarchies[self.primary]
    }

    /// The hierarchy that holds `controller`: the v1 hierarchy that lists
    /// it, else the v2 one.
    fn controller(&self, controller: &str) -> Option<&Hierarchy> {
        let found = |v: Version| {
            self.hierarchies.iter().find(|h| {
                h.dir.is_some()
                    && h.version == v
                    && (v == Version::V2 || h.controllers.iter().any(|c| c == controller))
            })
        };
        found(Version::V1).or_else(|| found(Version::V2))
    }

    fn controller_dir(&self, controller: &str) -> Option<(&Path, Version)> {
        self.controller(controller)
            .and_then(|h| Some((h.dir.as_deref()?, h.version)))
    }

    /// Memory usage, limits and events (`memory` controller).
    pub fn memory(&self) -> MemoryStats {
        match self.controller_dir("memory") {
            Some((dir, v)) => imp::memory(dir, v),
            None => MemoryStats::default(),
        }
    }

    /// CPU time, quota, weight, throttling and cpuset (`cpu`, `cpuacct`
    /// and `cpuset` controllers).
    pub fn cpu(&self) -> CpuStats {
        imp::cpu(
            self.controller_dir("cpu"),
            self.controller_dir("cpuacct"),
            self.controller_dir("cpuset"),
        )
    }

    /// Block I/O counters and limits (v2 `io`, v1 `blkio` controller).
    pub fn io(&self) -> IoStats {
        match self
            .controller_dir("blkio")
            .or_else(|| self.controller_dir("io"))
        {
            Some((dir, v)) => imp::io(dir, v),
            None => IoStats::default(),
        }
    }

    /// Task count and limit (`pids` controller).
    pub fn pids(&self) -> PidsStats {
        match self.controller_dir("pids") {
            Some((dir, _)) => imp::pids(dir),
            None => PidsStats::default(),
        }
    }

    /// Pressure stall information of the cgroup: from its v2 directory
    /// (also on hybrid hosts, where the v2 path may differ from
    /// [`Cgroup::path`]: see [`Cgroup::hierarchies`]), else from a v1
    /// `cpuacct`/`cpu` directory on kernels that expose PSI there.
    pub fn pressure(&self) -> PressureStats {
        let v2 = self
            .hierarchies
            .iter()
            .find(|h| h.version == Version::V2)
            .and_then(|h| h.dir.as_deref());
        let dir = v2.or_else(|| {
            self.controller_dir("cpuacct")
                .or_else(|| self.controller_dir("cpu"))
                .map(|(d, _)| d)
        });
        dir.map(imp::pressure).unwrap_or_default()
    }

    /// Memory, CPU, I/O, pids and pressure in one call.
    pub fn stats(&self) -> CgroupStats {
        CgroupStats {
            memory: self.memory(),
            cpu: self.cpu(),
            io: self.io(),
            pids: self.pids(),
            pressure: self.pressure(),
        }
    }

    /// The least CPU limit of this cgroup and each ancestor visible in its
    /// mount (quota / period, in CPUs): [`Limit::Max`] when none has a
    /// quota, `None` without a `cpu` controller.
    pub fn effective_cpu_limit(&self) -> Option<Limit<f64>> {
        let h = self.controller("cpu")?;
        Some(imp::effective_cpu(h))
    }

    /// The least memory limit of this cgroup and each ancestor visible in
    /// its mount (a child limit looser than its parent's does not count;
    /// v1's `hierarchical_memory_limit` adds ancestors above the mount):
    /// [`Limit::Max`] when none has one, `None` without a `memory`
    /// controller. Not capped by the host's RAM: see
    /// [`effective_memory_limit`].
    pub fn effective_memory_limit(&self) -> Option<Limit<u64>> {
        let h = self.controller("memory")?;
        Some(imp::effective_memory(h, imp::hierarchical_memory_limit(h)))
    }

    /// psutil's `virtual_memory()` for this cgroup (see [`CgroupMemory`]).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the host's `MemTotal` cannot be read, or (kind
    /// `NotFound`) when the cgroup has no readable memory usage (no
    /// `memory` controller).
    pub fn virtual_memory(&self) -> Result<CgroupMemory> {
        let ram = imp::mem_total()?;
        let h = self.controller("memory");
        let m = self.memory();
        let usage = m.usage.ok_or_else(|| {
            Error::io(
                self.path(),
                io::Error::new(
                    io::ErrorKind::NotFound,
                    "no memory usage (memory controller)",
                ),
            )
        })?;
        // memory.stat is read once: memory() has v1's
        // hierarchical_memory_limit already.
        let limit =
            h.map(|h| imp::effective_memory(h, m.stat.get("hierarchical_memory_limit").copied()));
        let total = match limit {
            Some(Limit::Value(l)) => l.min(ram),
            _ => ram,
        };
        let used = m.working_set.unwrap_or(usage).min(total);
        let sum = |a: &str, b: &str| Some(m.stat.get(a)?.saturating_add(*m.stat.get(b)?));
        let v1 = h.is_some_and(|h| h.version == Version::V1);
        Ok(CgroupMemory {
            total,
            available: total - used,
            percent: crate::pyround::usage_percent(used as f64, total as f64),
            used,
            free: total.saturating_sub(usage),
            active: sum("active_anon", "active_file"),
            inactive: sum("inactive_anon", "inactive_file"),
            cached: m.stat.get(if v1 { "cache" } else { "file" }).copied(),
            shared: m.stat.get("shmem").copied(),
        })
    }

    /// The child cgroups, sorted by name: the subdirectories of the primary
    /// hierarchy's directory. Each child keeps the hierarchies that showed
    /// this cgroup at the same path and have the child too.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the directory cannot be listed (the cgroup was
    /// removed), or (kind `NotFound`) when the primary hierarchy has no
    /// directory here.
    pub fn children(&self) -> Result<Vec<Cgroup>> {
        let dir = self.dir().ok_or_else(|| not_found(self.path()))?;
        let names = imp::subdirs(dir).map_err(|e| Error::io(dir, e))?;
        Ok(names
            .into_iter()
            .filter_map(|name| self.child(&name))
            .collect())
    }

    /// This cgroup and its descendants down to `max_depth` levels below
    /// it, in tree order (each cgroup before its children, siblings by
    /// name), each with its depth (0 for this one). A cgroup whose children
    /// cannot be listed (removed meanwhile) simply has none.
    pub fn descendants(&self, max_depth: usize) -> Vec<(Cgroup, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(self.clone(), 0)];
        while let Some((cg, depth)) = stack.pop() {
            if depth < max_depth {
                if let Ok(kids) = cg.children() {
                    stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
                }
            }
            out.push((cg, depth));
        }
        out
    }

    fn child(&self, name: &str) -> Option<Cgroup> {
        let parent = self.path();
        let path = if parent.ends_with('/') {
            format!("{parent}{name}")
        } else {
            format!("{parent}/{name}")
        };
        let hierarchies = self
            .hierarchies
            .iter()
            .filter(|h| h.path == parent)
            .filter_map(|h| {
                let dir = h.dir.as_ref()?.join(name);
                imp::is_dir(&dir).then(|| Hierarchy {
                    version: h.version,
                    controllers: h.controllers.clone(),
                    path: path.clone(),
                    dir: Some(dir),
                    mount: h.mount.clone(),
                })
            })
            .collect();
        Cgroup::from_hierarchies(hierarchies)
    }

    /// The PIDs in this cgroup itself (not its descendants), sorted:
    /// `cgroup.procs` of the primary hierarchy.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read (the cgroup is gone; a
    /// threaded v2 cgroup answers `EOPNOTSUPP`), or (kind `NotFound`) when
    /// the primary hierarchy has no directory here.
    pub fn processes(&self) -> Result<Vec<u32>> {
        let dir = self.dir().ok_or_else(|| not_found(self.path()))?;
        imp::procs(dir)
    }

    /// The runtime, container ID, pod and systemd unit the path suggests;
    /// on v1 hosts the `name=systemd` path fills in the unit and slice
    /// when the controllers' path has none.
    pub fn placement(&self) -> Placement {
        let mut p = Placement::from_path(self.path());
        if p.unit.is_none() && p.slice.is_none() {
            if let Some(h) = self
                .hierarchies
                .iter()
                .find(|h| h.controllers.iter().any(|c| c == "name=systemd"))
            {
                let s = Placement::from_path(&h.path);
                p.unit = s.unit;
                p.slice = s.slice;
            }
        }
        p
    }
}

/// The cgroup path of process `pid`, as [`Cgroup::path`] of
/// [`Cgroup::of_pid`] gives it, from `/proc/PID/cgroup` alone (no mount
/// table, no directory): cheap enough for every process of a listing.
///
/// # Errors
///
/// As [`Cgroup::of_pid`].
pub fn cgroup_path(pid: u32) -> Result<String> {
    imp::primary_path(pid)
}

/// How many CPUs the calling process can use at once: the number of CPUs
/// in its affinity mask, lowered to each CPU quota of its cgroup and its
/// ancestors rounded up to whole CPUs (a 0.5-CPU quota gives 1, as the JVM
/// counts), and never below 1.
///
/// Go 1.25's `GOMAXPROCS` also rounds up but never goes below 2 (so that
/// a small quota still gets a spare thread for the garbage collector), and
/// reads the leaf cgroup only; that is a scheduler choice this function
/// does not copy. psutil's own [`crate::cpu::cpu_count`] is unchanged.
///
/// # Errors
///
/// [`Error::Io`] when the affinity mask cannot be read. Without a
/// cgroup (or a CPU controller) the affinity mask alone answers.
pub fn effective_cpu_count() -> Result<usize> {
    imp::effective_cpu_count(None)
}

/// [`effective_cpu_count`] for process `pid`.
///
/// # Errors
///
/// As [`effective_cpu_count`]. The affinity mask comes from `Cpus_allowed_list`
/// of `/proc/PID/status`, else `sched_getaffinity(2)`; a PID that does not
/// exist fails there with an [`Error::Io`] (`ESRCH`, no path), not
/// `NoSuchProcess`.
pub fn effective_cpu_count_of(pid: u32) -> Result<usize> {
    imp::effective_cpu_count(Some(pid))
}

/// The most memory the calling process's cgroup may use, in bytes: the
/// least of the host's RAM (`MemTotal`) and the limits of its cgroup and
/// every ancestor (a child limit looser than its parent's does not count).
/// psutil's own [`crate::memory::virtual_memory`] is unchanged.
///
/// # Errors
///
/// [`Error::Io`] when `/proc/meminfo` cannot be read. Without a
/// cgroup (or a memory controller) the answer is the host's RAM.
pub fn effective_memory_limit() -> Result<u64> {
    imp::effective_memory_limit(None)
}

/// [`effective_memory_limit`] for process `pid`.
///
/// # Errors
///
/// As [`effective_memory_limit`]. A PID whose cgroup cannot be read (it does
/// not exist, or access is denied) is not an error: the answer is then the
/// host's RAM.
pub fn effective_memory_limit_of(pid: u32) -> Result<u64> {
    imp::effective_memory_limit(Some(pid))
}

/// psutil's `virtual_memory()` for the calling process's cgroup: `total` is
/// the effective memory limit, the rest comes from the cgroup's own
/// counters (see [`CgroupMemory`]).
///
/// # Errors
///
/// As [`Cgroup::current`] and [`Cgroup::virtual_memory`].
pub fn virtual_memory() -> Result<CgroupMemory> {
    Cgroup::current()?.virtual_memory()
}

/// System-wide pressure stall information from `/proc/pressure/{cpu,
/// memory,io}`; `None` when the kernel has no PSI (no such files, or PSI
/// disabled at boot).
pub fn system_pressure() -> Option<PressureStats> {
    let p = imp::system_pressure();
    (p.cpu.is_some() || p.memory.is_some() || p.io.is_some()).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placement(path: &str) -> Placement {
        Placement::from_path(path)
    }

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const UID: &str = "5f2e9a4c-1b7d-4e0a-9c3b-2d8f6a1e4b70";

    #[test]
    fn placements() {
        let p = placement(&format!("/docker/{ID}"));
        assert_eq!(
            (p.runtime, p.container_id.as_deref()),
            (Some(Runtime::Docker), Some(ID))
        );
        let p = placement(&format!("/system.slice/docker-{ID}.scope"));
        assert_eq!(
            (p.runtime, p.container_id.as_deref()),
            (Some(Runtime::Docker), Some(ID))
        );
        assert_eq!(p.unit.as_deref(), Some(&*format!("docker-{ID}.scope")));
        assert_eq!(p.slice.as_deref(), Some("system.slice"));

        let under = UID.replace('-', "_");
        let p = placement(&format!(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{under}.slice/cri-containerd-{ID}.scope"
        ));
        assert_eq!(p.runtime, Some(Runtime::Containerd));
        assert_eq!(p.pod_uid.as_deref(), Some(UID));
        assert_eq!(p.container_id.as_deref(), Some(ID));
        assert_eq!(
            p.slice.as_deref(),
            Some(&*format!("kubepods-burstable-pod{under}.slice"))
        );

        let p = placement(&format!("/kubepods/burstable/pod{UID}/{ID}"));
        assert_eq!(
            (p.runtime, p.pod_uid.as_deref(), p.container_id.as_deref()),
            (None, Some(UID), Some(ID))
        );
        let p = placement(&format!(
            "/kubepods.slice/kubepods-pod{under}.slice/crio-{ID}.scope"
        ));
        assert_eq!(
            (p.runtime, p.pod_uid.as_deref()),
            (Some(Runtime::CriO), Some(UID))
        );
        // A pod-level cgroup: pod, no container.
        let p = placement(&format!("/kubepods/pod{UID}"));
        assert_eq!((p.pod_uid.as_deref(), p.container_id), (Some(UID), None));

        let p = placement(&format!("/machine.slice/libpod-{ID}.scope"));
        assert_eq!(p.runtime, Some(Runtime::Podman));
        let p = placement(&format!(
            "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope/container"
        ));
        assert_eq!(
            (p.runtime, p.container_id.as_deref()),
            (Some(Runtime::Podman), Some(ID))
        );
        assert_eq!(p.unit.as_deref(), Some(&*format!("libpod-{ID}.scope")));
        let p = placement(&format!("/libpod_parent/libpod-{ID}"));
        assert_eq!(p.runtime, Some(Runtime::Podman));

        let p = placement("/lxc.payload.web1");
        assert_eq!(
            (p.runtime, p.container_id.as_deref()),
            (Some(Runtime::Lxc), Some("web1"))
        );
        let p = placement("/lxc/web2");
        assert_eq!(p.container_id.as_deref(), Some("web2"));

        let p = placement("/system.slice/ssh.service");
        assert_eq!(p.runtime, None);
        assert_eq!(
            (p.unit.as_deref(), p.slice.as_deref()),
            (Some("ssh.service"), Some("system.slice"))
        );
        assert_eq!(placement("/"), Placement::default());
        // A 64-hex name outside any runtime's layout is not a container.
        assert_eq!(placement(&format!("/x/{ID}")).container_id, None);
        // A pod-looking name outside kubepods is not a pod.
        assert_eq!(placement(&format!("/x/pod{UID}")).pod_uid, None);
        assert_eq!(placement("/docker/short").container_id, None);
    }
}
