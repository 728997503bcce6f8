//! cgroup files: `/proc/PID/cgroup`, the cgroup lines of
//! `/proc/PID/mountinfo`, the controller files of cgroup v1 and v2, and
//! `/proc/pressure/*`.
//!
//! Everything here is pure: bytes (or a path string) in, this module's own
//! records out (the backend turns them into `crate::cgroup`'s types).
//! "max" and v1's "unlimited" sentinels become [`Limit::Max`]; a value the
//! parser cannot read is `None`, never 0. Kernel numbers are checked, not
//! wrapped, and no parser allocates in proportion to a number it read (a
//! CPU list is capped at [`MAX_CPUS`]).

use std::collections::BTreeMap;

use super::{fields, parse_i64, parse_u64};

/// The cgroup version of a hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `cgroup`: v1.
    V1,
    /// `cgroup2`: v2.
    V2,
}

/// A limit file's value: `max` (or v1's sentinels) or a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit<T> {
    /// No limit.
    Max,
    /// A limit, in the file's unit.
    Value(T),
}

/// One device's counters of `io.stat` (v2) or the v1 blkio files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IoDevice {
    /// Device major number.
    pub major: u32,
    /// Device minor number.
    pub minor: u32,
    /// `rbytes` / v1 `Read` bytes.
    pub read_bytes: u64,
    /// `wbytes` / v1 `Write` bytes.
    pub write_bytes: u64,
    /// `rios` / v1 `Read` operations.
    pub read_ios: u64,
    /// `wios` / v1 `Write` operations.
    pub write_ios: u64,
}

/// One device's limits of `io.max` (v2) or the v1 throttle files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IoLimit {
    /// Device major number.
    pub major: u32,
    /// Device minor number.
    pub minor: u32,
    /// `rbps`: read bytes per second.
    pub read_bps: Limit<u64>,
    /// `wbps`: written bytes per second.
    pub write_bps: Limit<u64>,
    /// `riops`: read operations per second.
    pub read_iops: Limit<u64>,
    /// `wiops`: write operations per second.
    pub write_iops: Limit<u64>,
}

/// One line of a PSI file: `avg10=P avg60=P avg300=P total=US`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PressureLine {
    /// `avg10`, percent.
    pub avg10: f64,
    /// `avg60`, percent.
    pub avg60: f64,
    /// `avg300`, percent.
    pub avg300: f64,
    /// `total`, microseconds.
    pub total: u64,
}

/// A PSI file: its `some` line and, when present, its `full` line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pressure {
    /// `some`.
    pub some: PressureLine,
    /// `full` (absent for `/proc/pressure/cpu` before Linux 5.13).
    pub full: Option<PressureLine>,
}

/// One line of `/proc/PID/cgroup`: `ID:CONTROLLERS:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcCgroupLine {
    /// The hierarchy ID (0 for the v2 hierarchy).
    pub id: u32,
    /// The controllers of a v1 hierarchy (`cpu`, `cpuacct`,
    /// `name=systemd`); empty for v2.
    pub controllers: Vec<String>,
    /// The cgroup path, relative to the reader's cgroup namespace.
    pub path: String,
}

impl ProcCgroupLine {
    /// v2 when the line is `0::PATH`.
    pub fn version(&self) -> Version {
        if self.id == 0 && self.controllers.is_empty() {
            Version::V2
        } else {
            Version::V1
        }
    }
}

/// Parses `/proc/PID/cgroup`. The path is everything after the second
/// colon (it may hold colons itself); a ` (deleted)` suffix (a zombie in a
/// removed cgroup) is dropped; malformed lines are skipped.
pub fn parse_proc_cgroup(data: &[u8]) -> Vec<ProcCgroupLine> {
    data.split(|&c| c == b'\n')
        .filter_map(|line| {
            let mut parts = line.splitn(3, |&c| c == b':');
            let id = parse_u64(parts.next()?).and_then(|v| u32::try_from(v).ok())?;
            let controllers = parts
                .next()?
                .split(|&c| c == b',')
                .filter(|c| !c.is_empty())
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            let path = parts.next()?;
            let path = path.strip_suffix(b" (deleted)").unwrap_or(path);
            if !path.starts_with(b"/") {
                return None;
            }
            Some(ProcCgroupLine {
                id,
                controllers,
                path: String::from_utf8_lossy(path).into_owned(),
            })
        })
        .collect()
}

/// A cgroup filesystem mount, from `/proc/PID/mountinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupMount {
    /// `MAJOR:MINOR` of the superblock: bind mounts of one hierarchy share it.
    pub dev: String,
    /// The cgroup this mount shows at its mount point, relative to the
    /// reader's cgroup namespace (`/` for a whole hierarchy).
    pub root: String,
    /// Where it is mounted.
    pub mount_point: String,
    /// `cgroup` is v1, `cgroup2` is v2.
    pub version: Version,
    /// The super options: the controllers of a v1 hierarchy (`cpu`,
    /// `cpuacct`, `name=systemd`) among other options.
    pub options: Vec<String>,
}

/// The v1 controllers the kernel knows; other super options (`rw`,
/// `noprefix`, `clone_children`, `release_agent=...`) are not controllers.
const V1_CONTROLLERS: &[&str] = &[
    "blkio",
    "cpu",
    "cpuacct",
    "cpuset",
    "devices",
    "freezer",
    "hugetlb",
    "memory",
    "misc",
    "net_cls",
    "net_prio",
    "perf_event",
    "pids",
    "rdma",
    "debug",
];

impl CgroupMount {
    /// The controllers this mount's hierarchy holds: v1 controller names and
    /// `name=X` options; empty for v2 (whose controllers are per cgroup).
    pub fn controllers(&self) -> Vec<String> {
        if self.version == Version::V2 {
            return Vec::new();
        }
        self.options
            .iter()
            .filter(|o| V1_CONTROLLERS.contains(&o.as_str()) || o.starts_with("name="))
            .cloned()
            .collect()
    }
}

/// The cgroup and cgroup2 mounts of a mountinfo file, in file order.
///
/// mountinfo(5): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] -
/// FSTYPE SOURCE SUPER_OPTIONS`; octal escapes (`\040`) are decoded.
pub fn parse_cgroup_mounts(data: &[u8]) -> Vec<CgroupMount> {
    data.split(|&c| c == b'\n')
        .filter_map(|line| {
            let f: Vec<&[u8]> = line.split(|&c| c == b' ').collect();
            if f.len() < 10 {
                return None;
            }
            // The optional fields end at a lone "-".
            let sep = 6 + f[6..].iter().position(|x| *x == b"-")?;
            let version = match *f.get(sep + 1)? {
                b"cgroup" => Version::V1,
                b"cgroup2" => Version::V2,
                _ => return None,
            };
            let options = f
                .get(sep + 3)
                .map(|o| {
                    o.split(|&c| c == b',')
                        .filter(|x| !x.is_empty())
                        .map(|x| String::from_utf8_lossy(x).into_owned())
                        .collect()
                })
                .unwrap_or_default();
            Some(CgroupMount {
                dev: String::from_utf8_lossy(f[2]).into_owned(),
                root: super::mounts::unescape(f[3]),
                mount_point: super::mounts::unescape(f[4]),
                version,
                options,
            })
        })
        .collect()
}

/// True when `mount` holds the hierarchy of a `/proc/PID/cgroup` line: the
/// v2 line matches cgroup2 mounts; a v1 line matches the v1 mounts whose
/// super options list every one of its controllers.
pub fn mount_matches(mount: &CgroupMount, line: &ProcCgroupLine) -> bool {
    match line.version() {
        Version::V2 => mount.version == Version::V2,
        Version::V1 => {
            mount.version == Version::V1
                && !line.controllers.is_empty()
                && line
                    .controllers
                    .iter()
                    .all(|c| mount.options.iter().any(|o| o == c))
        }
    }
}

/// Where the cgroup `path` of a hierarchy is: one of `mounts` (the
/// candidates of that hierarchy) and the directory under its mount point,
/// as runc resolves it: mount point + `path` relative to the mount's root.
///
/// The mount whose root is the longest prefix of `path` wins (bind mounts
/// of a subtree, e.g. a container's own cgroup). When `path` is `/` and no
/// root covers it, the process reads its cgroup from inside a cgroup
/// namespace whose root the mount shows: the mount point itself is that
/// cgroup. A path outside the namespace (`/..`), with `.` or `..`
/// components, or under no mount's root, has no directory: `None`.
pub fn resolve<'a>(
    mounts: impl IntoIterator<Item = &'a CgroupMount>,
    path: &str,
) -> Option<(&'a CgroupMount, String)> {
    if !path.starts_with('/') || path.split('/').any(|c| c == ".." || c == ".") {
        return None;
    }
    let mut best: Option<(&CgroupMount, &str)> = None;
    let mut first = None;
    for m in mounts {
        first.get_or_insert(m);
        let root = m.root.trim_end_matches('/');
        let Some(rest) = path.strip_prefix(root) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            continue;
        }
        if best.is_none_or(|(b, _)| b.root.trim_end_matches('/').len() < root.len()) {
            best = Some((m, rest));
        }
    }
    let (mount, rest) = match best {
        Some(b) => b,
        None if path == "/" => (first?, ""),
        None => return None,
    };
    let base = mount.mount_point.trim_end_matches('/');
    let rest = rest.trim_end_matches('/');
    let dir = if base.is_empty() && rest.is_empty() {
        "/".to_owned()
    } else {
        format!("{base}{rest}")
    };
    Some((mount, dir))
}

/// A single number (`memory.current`, `pids.current`, `cpuacct.usage`).
pub fn parse_number(data: &[u8]) -> Option<u64> {
    parse_u64(data.trim_ascii())
}

/// A v2 limit: `max` or a number (`memory.max`, `pids.max`).
pub fn parse_limit(data: &[u8]) -> Option<Limit<u64>> {
    match data.trim_ascii() {
        b"max" => Some(Limit::Max),
        v => parse_u64(v).map(Limit::Value),
    }
}

/// v1 prints "no limit" as the largest page-aligned `i64`
/// (9223372036854771712 with 4 KiB pages); like cAdvisor, anything from
/// 2^62 up is unlimited, whatever the page size.
pub fn v1_memory_limit(bytes: u64) -> Limit<u64> {
    if bytes >= 1 << 62 {
        Limit::Max
    } else {
        Limit::Value(bytes)
    }
}

/// v1's `cpu.cfs_quota_us`: `-1` (any negative) is no quota.
pub fn parse_v1_quota(data: &[u8]) -> Option<Limit<u64>> {
    let v = parse_i64(data.trim_ascii())?;
    Some(u64::try_from(v).map_or(Limit::Max, Limit::Value))
}

/// v2's `cpu.max`: `QUOTA PERIOD`, quota `max` for none, in microseconds.
pub fn parse_cpu_max(data: &[u8]) -> Option<(Limit<u64>, u64)> {
    let mut f = fields(data);
    let quota = match f.next()? {
        b"max" => Limit::Max,
        q => Limit::Value(parse_u64(q)?),
    };
    let period = parse_u64(f.next()?)?;
    Some((quota, period))
}

/// A quota and period (microseconds) as a number of CPUs; a zero period
/// gives `None`.
pub fn cpus_of_quota(quota: Limit<u64>, period: u64) -> Option<Limit<f64>> {
    match quota {
        Limit::Max => Some(Limit::Max),
        Limit::Value(_) if period == 0 => None,
        Limit::Value(q) => Some(Limit::Value(q as f64 / period as f64)),
    }
}

/// `KEY VALUE` lines (`cpu.stat`, `memory.events`, `memory.oom_control`,
/// `cpuacct.stat`); lines whose value is not a number are skipped.
pub fn flat_keyed(data: &[u8]) -> impl Iterator<Item = (&[u8], u64)> {
    data.split(|&c| c == b'\n').filter_map(|line| {
        let mut f = fields(line);
        let key = f.next()?;
        let value = parse_u64(f.next()?)?;
        Some((key, value))
    })
}

/// The value of `key` in a flat-keyed file; the first line wins.
pub fn keyed_value(data: &[u8], key: &str) -> Option<u64> {
    flat_keyed(data).find_map(|(k, v)| (k == key.as_bytes()).then_some(v))
}

/// `memory.stat` as a map in bytes (page-count keys such as `pgfault`
/// stay counts).
///
/// v1 prints this cgroup's own counters, then the same counters including
/// descendants as `total_KEY`. v2's file already includes descendants, so
/// for v1 the `total_` values are kept under the plain name, and a plain
/// key with no `total_` twin (`hierarchical_memory_limit`) stays as is.
pub fn parse_memory_stat(data: &[u8], version: Version) -> BTreeMap<String, u64> {
    let mut map = BTreeMap::new();
    for (k, v) in flat_keyed(data) {
        let key = String::from_utf8_lossy(k);
        match (version, key.strip_prefix("total_")) {
            (Version::V1, Some(plain)) => {
                map.insert(plain.to_owned(), v);
            }
            _ => {
                map.entry(key.into_owned()).or_insert(v);
            }
        }
    }
    map
}

/// Splits `MAJ:MIN` into numbers.
fn parse_dev(s: &[u8]) -> Option<(u32, u32)> {
    let colon = s.iter().position(|&c| c == b':')?;
    let major = u32::try_from(parse_u64(&s[..colon])?).ok()?;
    let minor = u32::try_from(parse_u64(&s[colon + 1..])?).ok()?;
    Some((major, minor))
}

/// The entry of `dev` in `list`, added if new (lists are per device, a few
/// entries: a linear search beats a map).
fn device_entry<T>(
    list: &mut Vec<T>,
    dev: (u32, u32),
    new: impl Fn() -> T,
    key: impl Fn(&T) -> (u32, u32),
) -> &mut T {
    let i = match list.iter().position(|x| key(x) == dev) {
        Some(i) => i,
        None => {
            list.push(new());
            list.len() - 1
        }
    };
    &mut list[i]
}

fn new_device(dev: (u32, u32)) -> IoDevice {
    IoDevice {
        major: dev.0,
        minor: dev.1,
        read_bytes: 0,
        write_bytes: 0,
        read_ios: 0,
        write_ios: 0,
    }
}

/// v2's `io.stat`: `MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N
/// dios=N` per device. Unknown keys are ignored; a key the line lacks
/// counts 0 (the kernel prints them all for every device it lists).
pub fn parse_io_stat(data: &[u8]) -> Vec<IoDevice> {
    let mut out = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        let mut f = fields(line);
        let Some(dev) = f.next().and_then(parse_dev) else {
            continue;
        };
        let d = device_entry(&mut out, dev, || new_device(dev), |d| (d.major, d.minor));
        for kv in f {
            let Some(eq) = kv.iter().position(|&c| c == b'=') else {
                continue;
            };
            let Some(v) = parse_u64(&kv[eq + 1..]) else {
                continue;
            };
            let slot = match &kv[..eq] {
                b"rbytes" => &mut d.read_bytes,
                b"wbytes" => &mut d.write_bytes,
                b"rios" => &mut d.read_ios,
                b"wios" => &mut d.write_ios,
                _ => continue,
            };
            *slot = v;
        }
    }
    out
}

fn new_limit(dev: (u32, u32)) -> IoLimit {
    IoLimit {
        major: dev.0,
        minor: dev.1,
        read_bps: Limit::Max,
        write_bps: Limit::Max,
        read_iops: Limit::Max,
        write_iops: Limit::Max,
    }
}

/// v2's `io.max`: `MAJ:MIN rbps=max wbps=N riops=max wiops=max` per
/// device with a limit.
pub fn parse_io_max(data: &[u8]) -> Vec<IoLimit> {
    let mut out = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        let mut f = fields(line);
        let Some(dev) = f.next().and_then(parse_dev) else {
            continue;
        };
        let l = device_entry(&mut out, dev, || new_limit(dev), |l| (l.major, l.minor));
        for kv in f {
            let Some(eq) = kv.iter().position(|&c| c == b'=') else {
                continue;
            };
            let Some(v) = parse_limit(&kv[eq + 1..]) else {
                continue;
            };
            match &kv[..eq] {
                b"rbps" => l.read_bps = v,
                b"wbps" => l.write_bps = v,
                b"riops" => l.read_iops = v,
                b"wiops" => l.write_iops = v,
                _ => {}
            }
        }
    }
    out
}

/// What a v1 blkio file counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlkioKind {
    /// `blkio.throttle.io_service_bytes[_recursive]`.
    Bytes,
    /// `blkio.throttle.io_serviced[_recursive]`.
    Ios,
}

/// Adds a v1 blkio counter file (`MAJ:MIN Read|Write|Sync|Async|Discard|Total
/// N` per device, then a `Total N` line) into `out`.
pub fn add_blkio(data: &[u8], kind: BlkioKind, out: &mut Vec<IoDevice>) {
    for line in data.split(|&c| c == b'\n') {
        let mut f = fields(line);
        let (Some(dev), Some(op), Some(v)) = (
            f.next().and_then(parse_dev),
            f.next(),
            f.next().and_then(parse_u64),
        ) else {
            continue;
        };
        let d = device_entry(out, dev, || new_device(dev), |d| (d.major, d.minor));
        let slot = match (kind, op) {
            (BlkioKind::Bytes, b"Read") => &mut d.read_bytes,
            (BlkioKind::Bytes, b"Write") => &mut d.write_bytes,
            (BlkioKind::Ios, b"Read") => &mut d.read_ios,
            (BlkioKind::Ios, b"Write") => &mut d.write_ios,
            _ => continue,
        };
        *slot = v;
    }
}

/// Which field of [`IoLimit`] a v1 throttle file sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlkioLimit {
    /// `blkio.throttle.read_bps_device`.
    ReadBps,
    /// `blkio.throttle.write_bps_device`.
    WriteBps,
    /// `blkio.throttle.read_iops_device`.
    ReadIops,
    /// `blkio.throttle.write_iops_device`.
    WriteIops,
}

/// Adds a v1 throttle file (`MAJ:MIN N` per limited device) into `out`.
pub fn add_blkio_limit(data: &[u8], which: BlkioLimit, out: &mut Vec<IoLimit>) {
    for line in data.split(|&c| c == b'\n') {
        let mut f = fields(line);
        let (Some(dev), Some(v)) = (f.next().and_then(parse_dev), f.next().and_then(parse_u64))
        else {
            continue;
        };
        let l = device_entry(out, dev, || new_limit(dev), |l| (l.major, l.minor));
        let slot = match which {
            BlkioLimit::ReadBps => &mut l.read_bps,
            BlkioLimit::WriteBps => &mut l.write_bps,
            BlkioLimit::ReadIops => &mut l.read_iops,
            BlkioLimit::WriteIops => &mut l.write_iops,
        };
        *slot = Limit::Value(v);
    }
}

fn parse_pressure_line(rest: &[u8]) -> Option<PressureLine> {
    let (mut avg10, mut avg60, mut avg300, mut total) = (None, None, None, None);
    for kv in fields(rest) {
        let eq = kv.iter().position(|&c| c == b'=')?;
        let v = &kv[eq + 1..];
        match &kv[..eq] {
            b"avg10" => avg10 = parse_percent(v),
            b"avg60" => avg60 = parse_percent(v),
            b"avg300" => avg300 = parse_percent(v),
            b"total" => total = parse_u64(v),
            _ => {}
        }
    }
    Some(PressureLine {
        avg10: avg10?,
        avg60: avg60?,
        avg300: avg300?,
        total: total?,
    })
}

/// A PSI average: a finite percentage within 0..=100.
fn parse_percent(v: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(v).ok()?;
    if !s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    s.parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p))
}

/// A PSI file (`/proc/pressure/cpu`, `memory.pressure`): a `some` line and
/// usually a `full` line, each `avg10=P avg60=P avg300=P total=US`.
/// `None` without a valid `some` line.
pub fn parse_pressure(data: &[u8]) -> Option<Pressure> {
    let (mut some, mut full) = (None, None);
    for line in data.split(|&c| c == b'\n') {
        if let Some(rest) = line.strip_prefix(b"some ") {
            some = some.or(parse_pressure_line(rest));
        } else if let Some(rest) = line.strip_prefix(b"full ") {
            full = full.or(parse_pressure_line(rest));
        }
    }
    Some(Pressure { some: some?, full })
}

/// The most CPUs a list may name: the kernel's largest `NR_CPUS`. Bounds
/// what a CPU list allocates whatever numbers it holds.
pub const MAX_CPUS: u32 = 8192;

/// A CPU list (`0-3,5,7-8`, as in `cpuset.cpus.effective`), sorted and
/// without repeats. Empty input is an empty list; a CPU at or above
/// [`MAX_CPUS`], a reversed range or junk gives `None`.
pub fn parse_cpu_list(data: &[u8]) -> Option<Vec<u32>> {
    // A bitmap on the stack (1 KiB): no allocation but the result.
    let mut seen = [0u64; MAX_CPUS as usize / 64];
    for part in data.trim_ascii().split(|&c| c == b',') {
        let part = part.trim_ascii();
        if part.is_empty() {
            continue;
        }
        let (lo, hi) = match part.iter().position(|&c| c == b'-') {
            Some(dash) => (parse_u64(&part[..dash])?, parse_u64(&part[dash + 1..])?),
            None => {
                let v = parse_u64(part)?;
                (v, v)
            }
        };
        if lo > hi || hi >= u64::from(MAX_CPUS) {
            return None;
        }
        for c in lo as usize..=hi as usize {
            seen[c / 64] |= 1 << (c % 64);
        }
    }
    Some(
        (0..MAX_CPUS)
            .filter(|&c| seen[c as usize / 64] & (1 << (c % 64)) != 0)
            .collect(),
    )
}

/// `cgroup.procs`: PIDs, sorted and without repeats (the kernel lists them
/// unordered and may repeat one).
pub fn parse_procs(data: &[u8]) -> Vec<u32> {
    let mut pids: Vec<u32> = fields(data)
        .filter_map(parse_u64)
        .filter_map(|v| u32::try_from(v).ok())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    pids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_cgroup_lines() {
        let data = b"12:cpu,cpuacct:/docker/abc\n9:name=systemd:/a:b (deleted)\n0::/user.slice\nbad\n3::rel\n";
        let l = parse_proc_cgroup(data);
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].controllers, ["cpu", "cpuacct"]);
        assert_eq!(l[0].version(), Version::V1);
        assert_eq!(l[1].path, "/a:b");
        assert_eq!(l[2].version(), Version::V2);
        assert_eq!(l[2].path, "/user.slice");
    }

    #[test]
    fn mountinfo_cgroup_lines() {
        let data = b"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n\
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct\n\
41 31 0:38 /docker/x /my\\040cg rw - cgroup2 cgroup2 rw,nsdelegate\n\
short line\n";
        let m = parse_cgroup_mounts(data);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].dev, "0:29");
        assert_eq!(m[0].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
        assert_eq!(m[0].controllers(), ["cpu", "cpuacct"]);
        assert_eq!(m[1].version, Version::V2);
        assert_eq!(m[1].root, "/docker/x");
        assert_eq!(m[1].mount_point, "/my cg");
        assert!(m[1].controllers().is_empty());
    }

    fn mount(root: &str, at: &str) -> CgroupMount {
        CgroupMount {
            dev: "0:1".into(),
            root: root.into(),
            mount_point: at.into(),
            version: Version::V2,
            options: vec![],
        }
    }

    fn dir<'a>(mounts: impl IntoIterator<Item = &'a CgroupMount>, path: &str) -> Option<String> {
        resolve(mounts, path).map(|(_, d)| d)
    }

    #[test]
    fn resolving_paths() {
        let whole = mount("/", "/sys/fs/cgroup");
        let sub = mount("/docker/abc", "/sys/fs/cgroup");
        assert_eq!(dir([&whole], "/a/b").as_deref(), Some("/sys/fs/cgroup/a/b"));
        assert_eq!(dir([&whole], "/").as_deref(), Some("/sys/fs/cgroup"));
        // Nested container without a cgroup namespace: runc's rule.
        assert_eq!(
            dir([&sub], "/docker/abc").as_deref(),
            Some("/sys/fs/cgroup")
        );
        assert_eq!(
            dir([&sub], "/docker/abc/x").as_deref(),
            Some("/sys/fs/cgroup/x")
        );
        // A namespace root reads "/" while the mount shows the container.
        assert_eq!(dir([&sub], "/").as_deref(), Some("/sys/fs/cgroup"));
        // Prefix of a name is not a parent.
        assert_eq!(dir([&sub], "/docker/abcd"), None);
        assert_eq!(dir([&whole], "/../sibling"), None);
        assert_eq!(dir([&whole], "/a/./b"), None);
        assert_eq!(dir([], "/"), None);
        // The deepest root covering the path wins.
        let bind = mount("/a", "/mnt/a");
        assert_eq!(dir([&whole, &bind], "/a/b").as_deref(), Some("/mnt/a/b"));
        assert_eq!(
            dir([&whole, &bind], "/c").as_deref(),
            Some("/sys/fs/cgroup/c")
        );
        assert_eq!(dir([&mount("/", "/")], "/").as_deref(), Some("/"));
    }

    #[test]
    fn limits_and_numbers() {
        assert_eq!(parse_limit(b"max\n"), Some(Limit::Max));
        assert_eq!(parse_limit(b"1048576\n"), Some(Limit::Value(1048576)));
        assert_eq!(parse_limit(b""), None);
        assert_eq!(parse_limit(b"-1"), None);
        assert_eq!(v1_memory_limit(9223372036854771712), Limit::Max);
        assert_eq!(v1_memory_limit((1 << 62) - 1), Limit::Value((1 << 62) - 1));
        assert_eq!(parse_v1_quota(b"-1\n"), Some(Limit::Max));
        assert_eq!(parse_v1_quota(b"50000\n"), Some(Limit::Value(50000)));
        assert_eq!(parse_cpu_max(b"max 100000\n"), Some((Limit::Max, 100000)));
        assert_eq!(
            parse_cpu_max(b"150000 100000\n"),
            Some((Limit::Value(150000), 100000))
        );
        assert_eq!(parse_cpu_max(b"150000\n"), None);
        assert_eq!(
            cpus_of_quota(Limit::Value(150000), 100000),
            Some(Limit::Value(1.5))
        );
        assert_eq!(cpus_of_quota(Limit::Value(1), 0), None);
        assert_eq!(parse_number(b"18446744073709551616\n"), None);
    }

    #[test]
    fn memory_stat_v1_prefers_totals() {
        let data =
            b"cache 10\nrss 20\nhierarchical_memory_limit 30\ntotal_cache 100\ntotal_rss 200\n";
        let m = parse_memory_stat(data, Version::V1);
        assert_eq!(m["cache"], 100);
        assert_eq!(m["rss"], 200);
        assert_eq!(m["hierarchical_memory_limit"], 30);
        assert_eq!(m.len(), 3);
        let m = parse_memory_stat(b"anon 5\nfile 6\nanon 7\n", Version::V2);
        assert_eq!((m["anon"], m["file"]), (5, 6));
    }

    #[test]
    fn io_files() {
        let v2 =
            b"8:16 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6\n253:0 rbytes=7 junk wios=x\n";
        let d = parse_io_stat(v2);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].major, d[0].minor, d[0].read_bytes, d[0].write_ios),
            (8, 16, 1, 4)
        );
        assert_eq!((d[1].read_bytes, d[1].write_ios), (7, 0));
        let lim = parse_io_max(b"8:16 rbps=max wbps=1048576 riops=max wiops=100\n");
        assert_eq!(lim[0].write_bps, Limit::Value(1048576));
        assert_eq!(lim[0].read_bps, Limit::Max);
        assert_eq!(lim[0].write_iops, Limit::Value(100));

        let mut v1 = Vec::new();
        add_blkio(
            b"8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 1\n8:0 Total 12288\nTotal 12288\n",
            BlkioKind::Bytes,
            &mut v1,
        );
        add_blkio(
            b"8:0 Read 1\n8:0 Write 2\nTotal 3\n",
            BlkioKind::Ios,
            &mut v1,
        );
        assert_eq!(v1.len(), 1);
        assert_eq!(
            (
                v1[0].read_bytes,
                v1[0].write_bytes,
                v1[0].read_ios,
                v1[0].write_ios
            ),
            (4096, 8192, 1, 2)
        );
        let mut lims = Vec::new();
        add_blkio_limit(b"8:0 1048576\n", BlkioLimit::ReadBps, &mut lims);
        add_blkio_limit(b"8:0 10\n", BlkioLimit::WriteIops, &mut lims);
        assert_eq!(lims.len(), 1);
        assert_eq!(
            (lims[0].read_bps, lims[0].write_iops, lims[0].write_bps),
            (Limit::Value(1048576), Limit::Value(10), Limit::Max)
        );
    }

    #[test]
    fn pressure_files() {
        let data = b"some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n";
        let p = parse_pressure(data).unwrap();
        assert_eq!(
            p.some,
            PressureLine {
                avg10: 1.5,
                avg60: 0.25,
                avg300: 0.0,
                total: 123456
            }
        );
        assert_eq!(p.full.unwrap().total, 7);
        // Kernels before 5.13 print no `full` line for the system CPU.
        let p = parse_pressure(b"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n").unwrap();
        assert_eq!(p.full, None);
        assert_eq!(
            parse_pressure(b"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"),
            None
        );
        assert_eq!(
            parse_pressure(b"some avg10=101.00 avg60=0.00 avg300=0.00 total=0\n"),
            None
        );
        assert_eq!(
            parse_pressure(b"some avg10=nan avg60=0.00 avg300=0.00 total=0\n"),
            None
        );
        assert_eq!(parse_pressure(b""), None);
    }

    #[test]
    fn cpu_lists() {
        assert_eq!(parse_cpu_list(b"0-2,5,7-8\n"), Some(vec![0, 1, 2, 5, 7, 8]));
        assert_eq!(parse_cpu_list(b"3,1,1\n"), Some(vec![1, 3]));
        assert_eq!(parse_cpu_list(b"\n"), Some(vec![]));
        assert_eq!(parse_cpu_list(b"2-1"), None);
        assert_eq!(parse_cpu_list(b"0-4294967295"), None);
        assert_eq!(parse_cpu_list(b"8191"), Some(vec![8191]));
        assert_eq!(parse_cpu_list(b"x"), None);
    }

    #[test]
    fn procs() {
        assert_eq!(parse_procs(b"30\n10\n20\n10\n"), [10, 20, 30]);
        assert_eq!(parse_procs(b""), [] as [u32; 0]);
    }
}
