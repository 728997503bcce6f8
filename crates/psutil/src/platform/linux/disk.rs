//! Disk I/O for `disk_partitions()`, `disk_usage()` and
//! `disk_io_counters()`: which files are read, in which order, and what a
//! failure means. The parsing itself is in `parse::{mounts, diskstats}`.

use std::io;
use std::path::Path;

use super::parse::diskstats;
pub(crate) use super::parse::diskstats::DiskStat;
use super::parse::mounts::{self, MountEntry};
use super::procfs;
use crate::{Error, Result};

/// Calls `f` with the mount table psutil reads: `/etc/mtab` when
/// `PROCFS_PATH` is the default `/proc` and that file exists, else
/// `PROCFS_PATH/self/mounts`.
fn with_mount_table<R>(f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    let root = procfs::root();
    if root == "/proc" && Path::new("/etc/mtab").is_file() {
        let path = "/etc/mtab";
        return procfs::read_with(path, f).map_err(|e| Error::io(path, e));
    }
    procfs::read_root_file("self/mounts", f)
}

/// psutil's `disk_partitions(all)` before building the public values.
pub(crate) fn partitions(all: bool) -> Result<Vec<MountEntry>> {
    let fstypes = if all {
        None
    } else {
        Some(procfs::read_root_file(
            "filesystems",
            mounts::physical_fstypes,
        )?)
    };
    with_mount_table(|data| {
        let mut root_dev: Option<Option<String>> = None;
        let mut out = Vec::new();
        for raw in mounts::raw_mounts(data) {
            if let Some(types) = &fstypes {
                // psutil drops entries without a device (`none` reads as
                // "") or of a virtual type; decided on the raw bytes so
                // that dropped entries cost no strings.
                let device = mounts::unescape_bytes(raw.device);
                if device.is_empty()
                    || *device == *b"none"
                    || !types.contains(&mounts::unescape_bytes(raw.fstype))
                {
                    continue;
                }
            }
            let mut e = raw.to_entry();
            if e.device == "none" {
                e.device.clear();
            }
            if e.device == "/dev/root" || e.device == "rootfs" {
                // Resolved once per call: every such line names the same device.
                if let Some(real) = root_dev.get_or_insert_with(find_root_device) {
                    e.device = real.clone().into();
                }
            }
            out.push(e);
        }
        out
    })
}

/// psutil's `RootFsDeviceFinder`: the real device behind `/dev/root`
/// (the device number of `/`), or `None`.
pub(crate) fn find_root_device() -> Option<String> {
    let st = rustix::fs::stat("/").ok()?;
    let dev = st.st_dev;
    root_device_for(
        u64::from(rustix::fs::major(dev)),
        u64::from(rustix::fs::minor(dev)),
    )
}

/// The `/dev/NAME` path of block device `major:minor`, asking in turn
/// `PROCFS_PATH/partitions`, `SYS/dev/block/M:m/uevent` and
/// `SYS/class/block/*/dev`; kept only if that path exists in `/dev`.
pub(crate) fn root_device_for(major: u64, minor: u64) -> Option<String> {
    let from_partitions = || {
        procfs::read_root_file("partitions", |d| mounts::partition_name(d, major, minor))
            .ok()
            .flatten()
    };
    let from_dev_block = || {
        procfs::read_sys_file(
            &format!("dev/block/{major}:{minor}/uevent"),
            mounts::uevent_devname,
        )
        .ok()
        .flatten()
    };
    let from_class_block = || {
        let needle = format!("{major}:{minor}");
        let dir = format!("{}/class/block", procfs::sys_root());
        std::fs::read_dir(dir).ok()?.flatten().find_map(|ent| {
            let name = ent.file_name().to_string_lossy().into_owned();
            let dev = procfs::read_sys_file(&format!("class/block/{name}/dev"), |d| {
                d.trim_ascii() == needle.as_bytes()
            });
            matches!(dev, Ok(true)).then_some(name)
        })
    };
    let name = from_partitions()
        .or_else(from_dev_block)
        .or_else(from_class_block)?;
    let path = format!("/dev/{name}");
    Path::new(&path).exists().then_some(path)
}

/// psutil's `is_storage_device`: `SYS/block/NAME` exists (a `/` in the
/// name becomes `!`, as sysfs spells `cciss/c0d0`).
pub(crate) fn is_whole_disk(name: &str) -> bool {
    let path = format!("{}/block/{}", procfs::sys_root(), name.replace('/', "!"));
    Path::new(&path).exists()
}

/// The entries of `SYS/block`, for [`is_whole_disk`] on every device of
/// one `disk_io_counters()` call: one directory read instead of one path
/// lookup per device.
struct WholeDisks {
    /// Every entry name followed by a `/` (no name contains one); `None`
    /// when the directory cannot be listed, so nothing exists in it.
    names: Option<Vec<u8>>,
}

impl WholeDisks {
    fn list() -> Self {
        let dir = format!("{}/block", procfs::sys_root());
        let mut names = Vec::with_capacity(256);
        let listed = procfs::for_each_entry(&dir, |n| {
            names.extend_from_slice(n);
            names.push(b'/');
        });
        WholeDisks {
            names: listed.ok().map(|()| names),
        }
    }

    /// [`is_whole_disk`]. The listing holds `.` and `..` too, as a path
    /// lookup would find them; only an empty name (never a diskstats
    /// device) asks the path itself. A symlink in the listing counts as
    /// existing: sysfs removes a `block/` link together with its device.
    fn contains(&self, name: &str) -> bool {
        if name.is_empty() {
            return is_whole_disk(name);
        }
        let Some(names) = &self.names else {
            return false;
        };
        let mut want = name.as_bytes().to_vec();
        want.iter_mut()
            .filter(|c| **c == b'/')
            .for_each(|c| *c = b'!');
        names.split(|&c| c == b'/').any(|n| n == want.as_slice())
    }
}

/// The per-device counters, in `/proc/diskstats` order (the
/// `SYS/block/*/stat` files when there is no diskstats). With
/// `whole_disks_only`, partitions are left out (psutil's perdisk=False).
pub(crate) fn io_counters(whole_disks_only: bool) -> Result<Vec<DiskStat>> {
    let root = procfs::root();
    let path = format!("{root}/diskstats");
    // psutil asks `os.path.exists` first; opening it answers that too.
    let stats = match procfs::read_with(&path, diskstats::parse_diskstats) {
        Ok(parsed) => parsed
            .map_err(|line| Error::invalid(format!("not sure how to interpret line {line:?}")))?,
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
            let block = format!("{}/block", procfs::sys_root());
            if !Path::new(&block).exists() {
                return Err(Error::io(
                    path.clone(),
                    io::Error::new(
                        io::ErrorKind::Unsupported,
                        format!("{path} nor {block} are available on this system"),
                    ),
                ));
            }
            read_sys_block(&block)?
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if !whole_disks_only {
        return Ok(stats);
    }
    let disks = WholeDisks::list();
    Ok(stats
        .into_iter()
        .filter(|s| disks.contains(&s.name))
        .collect())
}

/// Every `stat` file under `SYS/block/*` (the disk and its partition
/// subdirectories), named after its directory.
fn read_sys_block(block: &str) -> Result<Vec<DiskStat>> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<DiskStat>) -> Result<()> {
        let stat = dir.join("stat");
        if stat.is_file() {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let p = stat.to_string_lossy().into_owned();
            let parsed = procfs::read_with(&p, |d| diskstats::parse_sys_block_stat(&name, d))
                .map_err(|e| Error::io(p.clone(), e))?;
            match parsed {
                Some(s) => out.push(s),
                None => return Err(Error::invalid(format!("cannot parse {p}"))),
            }
        }
        if depth == 0 {
            return Ok(());
        }
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        let mut subdirs: Vec<_> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        subdirs.sort();
        for d in subdirs {
            walk(&d, depth - 1, out)?;
        }
        Ok(())
    }
    let mut names: Vec<_> = std::fs::read_dir(block)
        .map_err(|e| Error::io(block, e))?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for dev in names {
        walk(&dev, 2, &mut out)?;
    }
    Ok(out)
}

/// `statvfs(path)`: (f_blocks·f_frsize, f_bfree·f_frsize, f_bavail·f_frsize).
pub(crate) fn statvfs(path: &Path) -> Result<(u64, u64, u64)> {
    let st = rustix::fs::statvfs(path).map_err(|e| Error::io(path, io::Error::from(e)))?;
    let fr = st.f_frsize;
    Ok((
        st.f_blocks.saturating_mul(fr),
        st.f_bfree.saturating_mul(fr),
        st.f_bavail.saturating_mul(fr),
    ))
}
