//! Mount tables (`/proc/self/mounts`, `/etc/mtab`), `/proc/filesystems`,
//! `/proc/partitions` and the `DEVNAME=` line of a sysfs `uevent` file:
//! what `disk_partitions()` reads.

use std::borrow::Cow;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

use super::{fields, parse_u64};

/// One mount table entry (fstab(5) fields 1-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    /// `mnt_fsname`: the device or pseudo-filesystem source, exact bytes.
    pub device: OsString,
    /// `mnt_dir`: where it is mounted, exact bytes.
    pub mountpoint: PathBuf,
    /// `mnt_type`.
    pub fstype: String,
    /// `mnt_opts`, the raw comma-separated string.
    pub opts: String,
}

/// Undoes the kernel's (and `getmntent(3)`'s) escapes: `\040` space,
/// `\011` tab, `\012` newline, `\134` and `\\` backslash. Other
/// backslashes stay as they are, as glibc leaves them.
pub fn unescape(field: &[u8]) -> String {
    String::from_utf8_lossy(&unescape_bytes(field)).into_owned()
}

/// [`unescape`] keeping the exact bytes, for the fields that are paths
/// (or may be: the device).
pub fn unescape_os(field: &[u8]) -> OsString {
    OsString::from_vec(unescape_bytes(field).into_owned())
}

/// [`unescape`] before decoding, borrowing `field` when it has no
/// backslash (nearly every field).
pub fn unescape_bytes(field: &[u8]) -> Cow<'_, [u8]> {
    if !field.contains(&b'\\') {
        return Cow::Borrowed(field);
    }
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\' {
            let rest = &field[i + 1..];
            let decoded = if rest.starts_with(b"040") {
                Some((b' ', 4))
            } else if rest.starts_with(b"011") {
                Some((b'\t', 4))
            } else if rest.starts_with(b"012") {
                Some((b'\n', 4))
            } else if rest.starts_with(b"134") {
                Some((b'\\', 4))
            } else if rest.starts_with(b"\\") {
                Some((b'\\', 2))
            } else {
                None
            };
            if let Some((c, len)) = decoded {
                out.push(c);
                i += len;
                continue;
            }
        }
        out.push(field[i]);
        i += 1;
    }
    Cow::Owned(out)
}

/// One mount table entry's first four fields, still escaped; missing
/// trailing fields are empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMount<'a> {
    /// `mnt_fsname`.
    pub device: &'a [u8],
    /// `mnt_dir`.
    pub mountpoint: &'a [u8],
    /// `mnt_type`.
    pub fstype: &'a [u8],
    /// `mnt_opts`.
    pub opts: &'a [u8],
}

impl RawMount<'_> {
    /// The entry with its fields unescaped and decoded.
    pub fn to_entry(self) -> MountEntry {
        MountEntry {
            device: unescape_os(self.device),
            mountpoint: unescape_os(self.mountpoint).into(),
            fstype: unescape(self.fstype),
            opts: unescape(self.opts),
        }
    }
}

/// The lines of a mount table the way `getmntent(3)` reads them: blank
/// lines and lines starting with `#` are skipped, fields are separated by
/// spaces or tabs. Nothing is allocated, so a caller can drop entries
/// before paying for their strings.
pub fn raw_mounts(data: &[u8]) -> impl Iterator<Item = RawMount<'_>> {
    data.split(|&c| c == b'\n').filter_map(|line| {
        let line = line.trim_ascii_start();
        if line.is_empty() || line.starts_with(b"#") {
            return None;
        }
        let mut f = line
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|s| !s.is_empty());
        let mut next = || f.next().unwrap_or_default();
        Some(RawMount {
            device: next(),
            mountpoint: next(),
            fstype: next(),
            opts: next(),
        })
    })
}

/// Parses a whole mount table (see [`raw_mounts`]) into owned entries.
#[cfg(any(test, feature = "fuzzing"))]
pub fn parse_mounts(data: &[u8]) -> Vec<MountEntry> {
    raw_mounts(data).map(|r| r.to_entry()).collect()
}

/// The filesystem types `disk_partitions(all=False)` keeps, as bytes (the
/// mount table's types are compared undecoded, as psutil compares
/// `surrogateescape`d strings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FsTypes {
    /// The names, each followed by a `\n` (no name contains one: names
    /// come from lines).
    names: Vec<u8>,
}

impl FsTypes {
    /// True when `fstype` is one of the names.
    pub fn contains(&self, fstype: &[u8]) -> bool {
        self.names
            .split(|&c| c == b'\n')
            .any(|n| n == fstype && !fstype.is_empty())
    }

    /// The names, in file order, lossily decoded (duplicates kept).
    #[cfg(test)]
    pub fn names(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.names
            .split(|&c| c == b'\n')
            .filter(|n| !n.is_empty())
            .map(String::from_utf8_lossy)
    }

    fn push(&mut self, name: &[u8]) {
        self.names.extend_from_slice(name);
        self.names.push(b'\n');
    }
}

/// The filesystem types `disk_partitions(all=False)` keeps: the lines of
/// `/proc/filesystems` not marked `nodev`, plus `zfs` even when it is.
pub fn physical_fstypes(data: &[u8]) -> FsTypes {
    let mut set = FsTypes {
        names: Vec::with_capacity(256),
    };
    for line in data.split(|&c| c == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if line.starts_with(b"nodev") {
            let mut parts = line.split(|&c| c == b'\t');
            if parts.nth(1).map(<[u8]>::trim_ascii) == Some(b"zfs") {
                set.push(b"zfs");
            }
        } else {
            set.push(line);
        }
    }
    set
}

/// The name `/proc/partitions` gives to device `major:minor` (its two
/// header lines skipped), as in psutil's `RootFsDeviceFinder`.
pub fn partition_name(data: &[u8], major: u64, minor: u64) -> Option<String> {
    data.split(|&c| c == b'\n').skip(2).find_map(|line| {
        let f: Vec<&[u8]> = fields(line).collect();
        if f.len() < 4 {
            return None;
        }
        (parse_u64(f[0]) == Some(major) && parse_u64(f[1]) == Some(minor))
            .then(|| String::from_utf8_lossy(f[3]).into_owned())
    })
}

/// The `DEVNAME=` value of a sysfs `uevent` file, if present and not empty.
pub fn uevent_devname(data: &[u8]) -> Option<String> {
    data.split(|&c| c == b'\n').find_map(|line| {
        let v = line.strip_prefix(b"DEVNAME=")?.trim_ascii();
        (!v.is_empty()).then(|| String::from_utf8_lossy(v).into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");

    #[test]
    fn escapes_are_decoded() {
        let data = std::fs::read(format!("{FIXTURES}/disk/mounts_escaped")).unwrap();
        let m = parse_mounts(&data);
        assert_eq!(m.len(), 4, "{m:?}");
        assert_eq!(m[0].mountpoint, Path::new("/"));
        assert_eq!(
            m[1],
            MountEntry {
                device: "/dev/sdb1".into(),
                mountpoint: "/media/My Disk".into(),
                fstype: "vfat".into(),
                opts: "rw,nosuid,uid=1000".into(),
            }
        );
        assert_eq!(m[2].mountpoint, Path::new("/mnt/tab\tand\nnl\\back"));
        assert_eq!(m[3].device, "none");
        assert_eq!(unescape(br"a\\b\x\04"), "a\\b\\x\\04");
        assert!(matches!(unescape_bytes(b"/dev/sda1"), Cow::Borrowed(_)));
        assert_eq!(&*unescape_bytes(br"a\040b"), b"a b");
        let raw: Vec<_> = raw_mounts(b"# c\n\n  d  /m\\040x\text4 rw 0 0\n").collect();
        assert_eq!(raw.len(), 1);
        assert_eq!(
            (raw[0].device, raw[0].mountpoint),
            (&b"d"[..], &br"/m\040x"[..])
        );
        assert_eq!(raw[0].to_entry().mountpoint, Path::new("/m x"));
        // Not UTF-8: the bytes are kept, not replaced.
        let odd = parse_mounts(b"/dev/\xff1 /mnt/\xfe\\040x ext4 rw 0 0\n");
        assert_eq!(odd[0].device.as_bytes(), b"/dev/\xff1");
        assert_eq!(odd[0].mountpoint.as_os_str().as_bytes(), b"/mnt/\xfe x");
        let short = parse_mounts(b"dev /mnt\n");
        assert_eq!((short[0].fstype.as_str(), short[0].opts.as_str()), ("", ""));
    }

    #[test]
    fn filesystems() {
        let data = std::fs::read(format!("{FIXTURES}/disk_sensors_tree/proc/filesystems")).unwrap();
        let set = physical_fstypes(&data);
        let mut v: Vec<_> = set.names().collect();
        v.sort();
        assert_eq!(v, ["ext4", "fuseblk", "vfat", "zfs"]);
        assert!(set.contains(b"ext4") && set.contains(b"zfs"));
        assert!(!set.contains(b"ext") && !set.contains(b"") && !set.contains(b"tmpfs"));
        // Types are compared as bytes, not lossily decoded.
        let odd = physical_fstypes(b"nodev\tproc\n\tf\xffs\n");
        assert!(odd.contains(b"f\xffs") && !odd.contains(b"f\xfes"));
    }

    #[test]
    fn partitions_and_uevent() {
        let data = b"major minor  #blocks  name\n\n 254        0  268435456 vda\n 254        1  1000 vda1\n";
        assert_eq!(partition_name(data, 254, 1).as_deref(), Some("vda1"));
        assert_eq!(partition_name(data, 254, 2), None);
        // The header lines are never matched.
        assert_eq!(partition_name(b"1 2 3 hdr\n\n", 1, 2), None);
        let ue = b"MAJOR=254\nMINOR=0\nDEVNAME=\nDEVNAME=vda\nDEVTYPE=disk\n";
        assert_eq!(uevent_devname(ue).as_deref(), Some("vda"));
        assert_eq!(uevent_devname(b"MAJOR=1\n"), None);
    }
}
