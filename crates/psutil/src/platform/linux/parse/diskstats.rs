//! `/proc/diskstats` and `/sys/block/*/stat` (the kernel's
//! `Documentation/admin-guide/iostats.rst`).
//!
//! Lines come in the layouts psutil accepts, told apart by their number
//! of whitespace-separated fields:
//!
//! * 14 (Linux 2.6+), or 18 and more (4.18 added 4 discard fields, 5.5
//!   two flush fields): `major minor name` then the 11 classic counters;
//! * 15 (Linux 2.4): `major minor reads name` then the other counters;
//! * 7 (Linux 2.6 partition lines): `major minor name reads rsect writes
//!   wsect`, every other counter 0.
//!
//! Anything else is an error, as in psutil (`ValueError: not sure how to
//! interpret line`). Sector counts are returned raw; the caller multiplies
//! by 512.

use super::{fields, parse_u64};

/// One device's counters as the kernel reports them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiskStat {
    /// Device name (`sda`, `nvme0n1p1`, `cciss/c0d0`).
    pub name: String,
    /// Reads completed.
    pub reads: u64,
    /// Writes completed.
    pub writes: u64,
    /// Sectors read (512-byte units whatever the device's sector size).
    pub read_sectors: u64,
    /// Sectors written.
    pub write_sectors: u64,
    /// Milliseconds spent reading.
    pub read_time: u64,
    /// Milliseconds spent writing.
    pub write_time: u64,
    /// Reads merged before being queued.
    pub reads_merged: u64,
    /// Writes merged.
    pub writes_merged: u64,
    /// Milliseconds spent doing I/O (`io_ticks`).
    pub busy_time: u64,
}

fn nums<const N: usize>(f: &[&[u8]]) -> Option<[u64; N]> {
    let mut out = [0u64; N];
    if f.len() < N {
        return None;
    }
    for (slot, s) in out.iter_mut().zip(f) {
        *slot = parse_u64(s)?;
    }
    Some(out)
}

/// Parses one `/proc/diskstats` line; `None` if its layout is unknown or a
/// counter is not a number.
pub fn parse_line(line: &[u8]) -> Option<DiskStat> {
    // The first 18 fields, and how many there are in all (no allocation:
    // every line is one disk and this runs on each `disk_io_counters()`).
    let mut f: [&[u8]; 18] = [&[]; 18];
    let mut count = 0usize;
    for (slot, field) in fields(line).enumerate() {
        if let Some(s) = f.get_mut(slot) {
            *s = field;
        }
        count += 1;
    }
    let name = |s: &[u8]| String::from_utf8_lossy(s).into_owned();
    match count {
        15 => {
            let reads = parse_u64(f[2])?;
            let [rm, rs, rt, w, wm, ws, wt, io, busy, _] = nums::<10>(&f[4..14])?;
            Some(from_counters(
                name(f[3]),
                [reads, rm, rs, rt, w, wm, ws, wt, io, busy],
            ))
        }
        n if n == 14 || n >= 18 => {
            let [c @ .., _] = nums::<11>(&f[3..14])?;
            Some(from_counters(name(f[2]), c))
        }
        7 => {
            let [r, rs, w, ws] = nums::<4>(&f[3..7])?;
            Some(DiskStat {
                name: name(f[2]),
                reads: r,
                writes: w,
                read_sectors: rs,
                write_sectors: ws,
                ..DiskStat::default()
            })
        }
        _ => None,
    }
}

/// Parses the whole of `/proc/diskstats`, in file order. Blank lines are
/// skipped; any other line psutil could not interpret is returned as the
/// error (lossily decoded).
pub fn parse_diskstats(data: &[u8]) -> Result<Vec<DiskStat>, String> {
    let mut out = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        if line.trim_ascii().is_empty() {
            continue;
        }
        match parse_line(line) {
            Some(s) => out.push(s),
            None => return Err(String::from_utf8_lossy(line).into_owned()),
        }
    }
    Ok(out)
}

/// Parses `/sys/block/NAME[/PART]/stat`: the first 10 counters of a
/// diskstats line without the device columns.
pub fn parse_sys_block_stat(name: &str, data: &[u8]) -> Option<DiskStat> {
    let f: Vec<&[u8]> = fields(data).collect();
    Some(from_counters(name.to_owned(), nums::<10>(&f)?))
}

/// A `DiskStat` from the first ten counters of a modern diskstats line:
/// reads, merged, sectors, ms, writes, merged, sectors, ms, in flight, busy ms.
fn from_counters(name: String, c: [u64; 10]) -> DiskStat {
    let [r, rm, rs, rt, w, wm, ws, wt, _in_flight, busy] = c;
    DiskStat {
        name,
        reads: r,
        writes: w,
        read_sectors: rs,
        write_sectors: ws,
        read_time: rt,
        write_time: wt,
        reads_merged: rm,
        writes_merged: wm,
        busy_time: busy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system/disk");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    #[test]
    fn linux_2_4_fifteen_fields() {
        let v = parse_diskstats(&fixture("diskstats_2.4")).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(
            v[0],
            DiskStat {
                name: "hda".into(),
                reads: 812,
                reads_merged: 1,
                read_sectors: 2,
                read_time: 3,
                writes: 4,
                writes_merged: 5,
                write_sectors: 6,
                write_time: 7,
                busy_time: 9,
            }
        );
        assert_eq!(v[1].name, "hda1");
        assert_eq!(v[1].reads, 20);
    }

    #[test]
    fn linux_2_6_disk_and_partition_lines() {
        let v = parse_diskstats(&fixture("diskstats_2.6")).unwrap();
        assert_eq!(
            v[0],
            DiskStat {
                name: "hda".into(),
                reads: 1,
                reads_merged: 2,
                read_sectors: 3,
                read_time: 4,
                writes: 5,
                writes_merged: 6,
                write_sectors: 7,
                write_time: 8,
                busy_time: 10,
            }
        );
        // 7 fields: reads, sectors read, writes, sectors written only.
        assert_eq!(
            v[1],
            DiskStat {
                name: "hda1".into(),
                reads: 20,
                read_sectors: 21,
                writes: 22,
                write_sectors: 23,
                ..Default::default()
            }
        );
    }

    #[test]
    fn linux_4_18_and_5_5_extra_fields() {
        let v = parse_diskstats(&fixture("diskstats_4.18")).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].reads, v[0].busy_time, v[0].write_time),
            (101, 110, 108)
        );
        assert_eq!(v[1].name, "sda1");
        let v = parse_diskstats(&fixture("diskstats_5.5")).unwrap();
        assert_eq!(v[0].name, "vda");
        assert_eq!(
            (v[0].reads, v[0].read_sectors, v[0].writes, v[0].busy_time),
            (64790, 10059914, 5017, 11424)
        );
        // 17 fields (4.18 layout plus nothing): still a disk line.
        assert_eq!((v[1].name.as_str(), v[1].write_sectors), ("nvme0n1", 400));
    }

    #[test]
    fn unknown_layout_is_an_error() {
        let err = parse_diskstats(&fixture("diskstats_bad")).unwrap_err();
        assert!(err.contains("sda 1 2 3"), "{err}");
        assert_eq!(parse_line(b"8 0 sda x 2 3 4 5 6 7 8 9 10 11"), None);
        assert_eq!(parse_diskstats(b"\n\n"), Ok(vec![]));
    }

    #[test]
    fn sys_block_stat() {
        let s = parse_sys_block_stat("sda", b"  10 1 200 3 20 2 400 5 0 6 8 0 0 0 0\n").unwrap();
        assert_eq!((s.reads, s.write_sectors, s.busy_time), (10, 400, 6));
        assert_eq!(parse_sys_block_stat("sda", b"1 2 3"), None);
    }
}
