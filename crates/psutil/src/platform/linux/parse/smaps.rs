//! `/proc/PID/smaps` and `/proc/PID/smaps_rollup`, proc(5).
//!
//! Both files are a sequence of blocks. A block opens with a mapping header
//! in the `/proc/PID/maps` format:
//!
//! ```text
//! 7f1c2a000000-7f1c2a021000 r-xp 00000000 08:01 1234   /usr/lib/x.so
//! ```
//!
//! followed by `Key:   N kB` lines (`Size`, `Rss`, `Pss`, `Private_Dirty`,
//! ...), a few unit-less lines (`THPeligible:    0`, `ProtectionKey:  0`)
//! and a `VmFlags: rd mr ...` line. `smaps_rollup` (Linux 4.14+) is a
//! single block whose header ends in `[rollup]` and whose values are the
//! sums over every mapping.
//!
//! All sizes the kernel writes are kB; the results here are bytes.

use std::collections::HashMap;

use super::parse_u64;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// The three `memory_full_info()` extras psutil takes from smaps, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SmapsTotals {
    /// Unique set size: the sum of every `Private_*:` line
    /// (`Private_Clean`, `Private_Dirty`, `Private_Hugetlb`).
    pub uss: u64,
    /// Proportional set size: the sum of the `Pss:` lines (not `Pss_Anon`,
    /// `Pss_File`, `Pss_Shmem` or `Pss_Dirty`).
    pub pss: u64,
    /// The sum of the `Swap:` lines (not `SwapPss`).
    pub swap: u64,
}

/// The sizes smaps lists for one mapping (or a group of them), in bytes;
/// psutil's `memory_maps()` columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapSizes {
    /// `Rss:`
    pub rss: u64,
    /// `Size:`
    pub size: u64,
    /// `Pss:`
    pub pss: u64,
    /// `Shared_Clean:`
    pub shared_clean: u64,
    /// `Shared_Dirty:`
    pub shared_dirty: u64,
    /// `Private_Clean:`
    pub private_clean: u64,
    /// `Private_Dirty:`
    pub private_dirty: u64,
    /// `Referenced:`
    pub referenced: u64,
    /// `Anonymous:`
    pub anonymous: u64,
    /// `Swap:`
    pub swap: u64,
}

impl MapSizes {
    /// Adds `o` field by field, saturating.
    fn add(&mut self, o: &MapSizes) {
        self.rss = self.rss.saturating_add(o.rss);
        self.size = self.size.saturating_add(o.size);
        self.pss = self.pss.saturating_add(o.pss);
        self.shared_clean = self.shared_clean.saturating_add(o.shared_clean);
        self.shared_dirty = self.shared_dirty.saturating_add(o.shared_dirty);
        self.private_clean = self.private_clean.saturating_add(o.private_clean);
        self.private_dirty = self.private_dirty.saturating_add(o.private_dirty);
        self.referenced = self.referenced.saturating_add(o.referenced);
        self.anonymous = self.anonymous.saturating_add(o.anonymous);
        self.swap = self.swap.saturating_add(o.swap);
    }
}

/// One `smaps` block: the header's fields and the block's sizes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MapRecord {
    /// The address range as written, e.g. `"7f00a000-7f00b000"`.
    pub addr: String,
    /// The permissions, e.g. `"r-xp"`.
    pub perms: String,
    /// The path, raw bytes, or `[anon]` for an anonymous mapping.
    pub path: PathBuf,
    /// The block's sizes.
    pub sizes: MapSizes,
}

/// The records of one path, summed ([`group_maps`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapGroup {
    /// The path shared by the group.
    pub path: PathBuf,
    /// The sum of its records' sizes (saturating).
    pub sizes: MapSizes,
}

/// Whitespace as Python's `bytes.split()`/`strip()` and the `\s` of a bytes
/// regex see it (Rust's `is_ascii_whitespace` misses `\x0b`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Trims [`is_space`] bytes from both ends.
fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_space(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_space(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// Matches `\s+(\d+)` at the start of `s` (within one line) and returns the
/// number, kB converted to bytes. `None` if there is no whitespace, no digit,
/// or the value overflows.
fn spaced_kb(s: &[u8]) -> Option<u64> {
    let start = s.iter().position(|&c| !is_space(c))?;
    if start == 0 {
        return None;
    }
    let digits = &s[start..];
    let end = digits
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    parse_u64(&digits[..end])?.checked_mul(1024)
}

/// Sums `uss`, `pss` and `swap` over a whole `smaps` or `smaps_rollup` file.
///
/// This follows psutil's regexes over the stripped file
/// (`\nPrivate.*:\s+(\d+)`, `\nPss\:\s+(\d+)`, `\nSwap\:\s+(\d+)`):
///
/// * only lines *after* the first one count, because each pattern needs a
///   preceding newline; the first line is always a mapping header anyway;
/// * a `Private` line matches on its **last** colon that is followed by
///   whitespace and digits (the regex's `.*` is greedy), and any key that
///   starts with `Private` counts, so a future `Private_Foo:` is included;
/// * `Pss:` and `Swap:` must be exact keys, so `Pss_Anon:` or `SwapPss:` do
///   not count;
/// * the value is the run of digits after the whitespace (`12 kB` → 12);
///   lines without one, such as a truncated last line, are skipped.
///
/// Unlike the regex, a value is never looked for on the next line.
/// An empty file (some kernel threads) gives all zeros. Sums saturate.
pub fn parse_totals(data: &[u8]) -> SmapsTotals {
    let mut t = SmapsTotals::default();
    for line in trim(data).split(|&c| c == b'\n').skip(1) {
        if let Some(rest) = line.strip_prefix(b"Pss:") {
            t.pss = t.pss.saturating_add(spaced_kb(rest).unwrap_or(0));
        } else if let Some(rest) = line.strip_prefix(b"Swap:") {
            t.swap = t.swap.saturating_add(spaced_kb(rest).unwrap_or(0));
        } else if let Some(rest) = line.strip_prefix(b"Private") {
            let value = rest
                .iter()
                .enumerate()
                .rev()
                .filter(|&(_, &c)| c == b':')
                .find_map(|(i, _)| spaced_kb(&rest[i + 1..]));
            t.uss = t.uss.saturating_add(value.unwrap_or(0));
        }
    }
    t
}

/// Splits off the next [`is_space`]-delimited token of `s`, returning it and
/// the rest (which starts with the delimiter, if any).
fn next_token(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let start = s.iter().position(|&c| !is_space(c))?;
    let s = &s[start..];
    let end = s.iter().position(|&c| is_space(c)).unwrap_or(s.len());
    Some((&s[..end], &s[end..]))
}

/// True for `HEX-HEX`, the address range that opens a mapping header.
fn is_addr_range(tok: &[u8]) -> bool {
    let Some(dash) = tok.iter().position(|&c| c == b'-') else {
        return false;
    };
    let (lo, hi) = (&tok[..dash], &tok[dash + 1..]);
    !lo.is_empty() && !hi.is_empty() && lo.iter().chain(hi).all(|c| c.is_ascii_hexdigit())
}

/// Parses a mapping header, given its first token `addr` and the `rest` of
/// the line, into a row with all sizes zero, or `None` if `addr` is not an
/// address range.
///
/// The fields are `addr perms offset dev inode [path]`. The path is the rest
/// of the line after the fifth field, with surrounding whitespace trimmed
/// (psutil does `split(None, 5)` then `strip()`), so it keeps inner spaces
/// and a ` (deleted)` suffix. No path means an anonymous mapping:
/// `"[anon]"`. The path keeps its raw bytes (they need not be UTF-8).
fn parse_header(addr: &[u8], mut rest: &[u8]) -> Option<MapRecord> {
    if !is_addr_range(addr) {
        return None;
    }
    let mut perms: &[u8] = b"";
    // perms, offset, dev, inode: a truncated header just leaves them out.
    for i in 0..4 {
        match next_token(rest) {
            Some((tok, r)) => {
                if i == 0 {
                    perms = tok;
                }
                rest = r;
            }
            None => {
                rest = b"";
                break;
            }
        }
    }
    let path = trim(rest);
    Some(MapRecord {
        addr: String::from_utf8_lossy(addr).into_owned(),
        perms: String::from_utf8_lossy(perms).into_owned(),
        path: if path.is_empty() {
            PathBuf::from("[anon]")
        } else {
            PathBuf::from(OsStr::from_bytes(path))
        },
        sizes: MapSizes::default(),
    })
}

/// Parses a full `/proc/PID/smaps` into one record per mapping (psutil's
/// `memory_maps(grouped=False)` rows), in file order.
///
/// A line whose first field ends in `:` is `Key: value [kB]` (psutil's
/// test, `fields[0].endswith(b':')`), and fills the current row when the
/// key is one psutil reports (`Rss`, `Size`, `Pss`, `Shared_Clean`,
/// `Shared_Dirty`, `Private_Clean`, `Private_Dirty`, `Referenced`,
/// `Anonymous`, `Swap`), converted kB → bytes. Any other line starts a block
/// if its first field is an address range `a-b`. Other keys (`VmFlags`,
/// `THPeligible`, `ProtectionKey`, `KernelPageSize`, ...) are ignored, as are
/// lines before the first header, blank lines, other lines and values that
/// are not a number. Fields are split on [`is_space`] bytes, as Python's
/// `bytes.split()` splits them. A key missing from a block (older kernel,
/// truncated file) is 0; when a key repeats inside a block the last value
/// wins.
///
/// Each line is split once: the first field decides which kind it is (an
/// address range has no colon).
///
/// The path is returned as the kernel wrote it, ` (deleted)` included:
/// checking whether such a file still exists is I/O and is left to the
/// caller. An empty file (kernel thread, zombie) gives an empty list.
pub fn parse_maps(data: &[u8]) -> Vec<MapRecord> {
    let mut maps = Vec::new();
    let mut current: Option<MapRecord> = None;
    for line in data.split(|&c| c == b'\n') {
        let Some((first, rest)) = next_token(line) else {
            continue;
        };
        if first.last() != Some(&b':') {
            if let Some(header) = parse_header(first, rest) {
                maps.extend(current.replace(header));
            }
            continue;
        }
        let Some(m) = current.as_mut().map(|r| &mut r.sizes) else {
            continue;
        };
        let Some((value, _)) = next_token(rest) else {
            continue;
        };
        let slot = match first {
            b"Rss:" => &mut m.rss,
            b"Size:" => &mut m.size,
            b"Pss:" => &mut m.pss,
            b"Shared_Clean:" => &mut m.shared_clean,
            b"Shared_Dirty:" => &mut m.shared_dirty,
            b"Private_Clean:" => &mut m.private_clean,
            b"Private_Dirty:" => &mut m.private_dirty,
            b"Referenced:" => &mut m.referenced,
            b"Anonymous:" => &mut m.anonymous,
            b"Swap:" => &mut m.swap,
            _ => continue,
        };
        if let Some(bytes) = parse_u64(value).and_then(|v| v.checked_mul(1024)) {
            *slot = bytes;
        }
    }
    maps.extend(current);
    maps
}

/// Groups records by path as `memory_maps(grouped=True)` does: one entry
/// per distinct path, in order of first appearance, sizes summed
/// (saturating).
///
/// Pass the records after the caller has resolved ` (deleted)` suffixes,
/// since psutil groups on the final path.
pub fn group_maps(maps: Vec<MapRecord>) -> Vec<MapGroup> {
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let mut grouped: Vec<MapGroup> = Vec::new();
    for m in maps {
        if let Some(&i) = index.get(&m.path) {
            grouped[i].sizes.add(&m.sizes);
        } else {
            index.insert(m.path.clone(), grouped.len());
            grouped.push(MapGroup {
                path: m.path,
                sizes: m.sizes,
            });
        }
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// `/proc/PID/smaps_rollup` of a `sleep` run from a deleted copy, Linux 6.18.
    const ROLLUP: &[u8] = include_bytes!("../../../../tests/fixtures/proc/smaps_rollup");
    /// `/proc/PID/smaps` of the same process: 37 mappings, the executable at
    /// `/tmp/fx/my dir/sle ep`, deleted while running.
    const SMAPS: &[u8] = include_bytes!("../../../../tests/fixtures/proc/smaps_deleted_spaces");

    const BLOCK: &[u8] = b"\
7f1c2a000000-7f1c2a021000 r-xp 00001000 08:01 1234                       /usr/lib/x.so
Size:                132 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                 100 kB
Pss:                  50 kB
Pss_Dirty:             7 kB
Shared_Clean:         60 kB
Shared_Dirty:          1 kB
Private_Clean:        30 kB
Private_Dirty:         9 kB
Referenced:           90 kB
Anonymous:             8 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       2 kB
Swap:                  3 kB
SwapPss:               3 kB
Locked:                0 kB
THPeligible:    0
ProtectionKey:         0
VmFlags: rd ex mr mw me sd
";

    #[test]
    fn rollup_fixture() {
        let t = parse_totals(ROLLUP);
        // Private_Clean 0 + Private_Dirty 140 + Private_Hugetlb 0.
        assert_eq!(t.uss, 140 * 1024);
        // Pss 428, not Pss_Dirty/Pss_Anon/Pss_File/Pss_Shmem.
        assert_eq!(t.pss, 428 * 1024);
        assert_eq!(t.swap, 0);
    }

    #[test]
    fn full_smaps_fixture_totals() {
        // Expected values from psutil's three regexes over the same file.
        let t = parse_totals(SMAPS);
        assert_eq!(t.uss, 143_360);
        assert_eq!(t.pss, 439_296);
        assert_eq!(t.swap, 0);
        // The rollup of the same process agrees on USS.
        assert_eq!(t.uss, parse_totals(ROLLUP).uss);
    }

    #[test]
    fn totals_field_selection() {
        let t = parse_totals(BLOCK);
        assert_eq!(t.uss, (30 + 9 + 2) * 1024);
        assert_eq!(t.pss, 50 * 1024);
        assert_eq!(t.swap, 3 * 1024);
        let twice = [BLOCK, BLOCK].concat();
        let t2 = parse_totals(&twice);
        assert_eq!(
            (t2.uss, t2.pss, t2.swap),
            (2 * t.uss, 2 * t.pss, 2 * t.swap)
        );
    }

    #[test]
    fn totals_first_line_never_counts() {
        // The regexes need a preceding newline, and psutil strips the file
        // first, so even a leading blank line does not expose "Pss:".
        assert_eq!(parse_totals(b"Pss: 5 kB\nPss: 7 kB\n").pss, 7 * 1024);
        assert_eq!(parse_totals(b"\n \nPss: 5 kB\nSwap: 1 kB").pss, 0);
        assert_eq!(parse_totals(b"\n \nPss: 5 kB\nSwap: 1 kB").swap, 1024);
    }

    #[test]
    fn totals_regex_edges() {
        let h = "0-1 r 0 0:0 0\n";
        let t = |body: &str| parse_totals(format!("{h}{body}").as_bytes());
        // `\s+` is required between the colon and the digits.
        assert_eq!(t("Pss:5 kB").pss, 0);
        assert_eq!(t("Pss:\t5 kB").pss, 5 * 1024);
        // Digits are taken up to the first non-digit.
        assert_eq!(t("Swap:  12kB").swap, 12 * 1024);
        // Any key starting with "Private" counts; greedy `.*` takes the
        // last colon followed by whitespace + digits.
        assert_eq!(t("Private: 1 kB").uss, 1024);
        assert_eq!(t("Private_Foo: 1 kB").uss, 1024);
        assert_eq!(t("Private_X: 1 kB: 2 kB").uss, 2 * 1024);
        assert_eq!(t("Private_X: 1 kB: junk").uss, 1024);
        // Indented or lowercase keys do not match.
        assert_eq!(t(" Pss: 5 kB").pss, 0);
        assert_eq!(t("private_Dirty: 5 kB").uss, 0);
        // A value is not searched for on the next line.
        assert_eq!(t("Pss:\n7 kB").pss, 0);
    }

    #[test]
    fn totals_garbage_and_truncation() {
        assert_eq!(parse_totals(b""), SmapsTotals::default());
        assert_eq!(parse_totals(b"\n\n"), SmapsTotals::default());
        assert_eq!(
            parse_totals(b"\xff\xfe\x00garbage\nPss"),
            SmapsTotals::default()
        );
        let cut = &BLOCK[..BLOCK.len() / 3];
        let t = parse_totals(cut);
        assert_eq!(t.pss, 50 * 1024);
        assert_eq!(t.swap, 0);
        // Every prefix parses without panicking.
        for n in 0..BLOCK.len() {
            let _ = parse_totals(&BLOCK[..n]);
            let _ = parse_maps(&BLOCK[..n]);
        }
        // Overflowing values are skipped, sums saturate.
        let big = format!(
            "h\nPss: {} kB\nPss: 99999999999999999999 kB\n",
            u64::MAX / 1024
        );
        assert_eq!(parse_totals(big.as_bytes()).pss, u64::MAX / 1024 * 1024);
        let sat = format!("h\nSwap: {0} kB\nSwap: {0} kB\n", u64::MAX / 1024);
        assert_eq!(parse_totals(sat.as_bytes()).swap, u64::MAX);
    }

    #[test]
    fn maps_one_block() {
        let maps = parse_maps(BLOCK);
        assert_eq!(
            maps,
            vec![MapRecord {
                addr: "7f1c2a000000-7f1c2a021000".into(),
                perms: "r-xp".into(),
                path: "/usr/lib/x.so".into(),
                sizes: MapSizes {
                    rss: 100 * 1024,
                    size: 132 * 1024,
                    pss: 50 * 1024,
                    shared_clean: 60 * 1024,
                    shared_dirty: 1024,
                    private_clean: 30 * 1024,
                    private_dirty: 9 * 1024,
                    referenced: 90 * 1024,
                    anonymous: 8 * 1024,
                    swap: 3 * 1024,
                },
            }]
        );
    }

    #[test]
    fn maps_fixture() {
        let maps = parse_maps(SMAPS);
        assert_eq!(maps.len(), 37);
        let first = &maps[0];
        assert_eq!(first.addr, "5621631f9000-5621631fb000");
        assert_eq!(first.perms, "r--p");
        // Inner spaces and the " (deleted)" suffix are kept.
        assert_eq!(first.path, Path::new("/tmp/fx/my dir/sle ep (deleted)"));
        assert_eq!(
            (first.sizes.size, first.sizes.rss, first.sizes.pss),
            (8192, 8192, 8192)
        );
        assert_eq!(
            (first.sizes.private_dirty, first.sizes.referenced),
            (8192, 8192)
        );
        // Anonymous mappings: the header ends with "0 " and no path.
        assert_eq!(
            maps.iter()
                .filter(|m| m.path == Path::new("[anon]"))
                .count(),
            3
        );
        assert_eq!(maps[16].addr, "7f3bc1950000-7f3bc1953000");
        assert_eq!(maps[16].path, Path::new("[anon]"));
        let last = maps.last().unwrap();
        assert_eq!(last.addr, "ffffffffff600000-ffffffffff601000");
        assert_eq!(last.perms, "--xp");
        assert_eq!(last.path, Path::new("[vsyscall]"));
        // Columns agree with the totals.
        let rss: u64 = maps.iter().map(|m| m.sizes.rss).sum();
        let pss: u64 = maps.iter().map(|m| m.sizes.pss).sum();
        assert_eq!(rss, 1_843_200);
        assert_eq!(pss, parse_totals(SMAPS).pss);
        let size: u64 = maps.iter().map(|m| m.sizes.size).sum();
        assert_eq!(size, 2_994_176);
    }

    #[test]
    fn maps_header_variants() {
        let data = b"\
00400000-00401000 r--p 00000000 08:01 1 /a b/c d (deleted)\n\
Rss: 4 kB\n\
00401000-00402000 rw-p 00000000 00:00 0\n\
Rss: 8 kB\n\
00402000-00403000 rw-s 00000000 00:05 7\t\t/memfd:x (deleted)  \n\
00403000-00404000 r--p 00000000 08:01 2 /odd/\xff\xfename\n\
7ffd0000-7ffd1000 rw-p 00000000 00:00 0                          [stack]\n";
        let maps = parse_maps(data);
        let paths: Vec<&[u8]> = maps.iter().map(|m| m.path.as_os_str().as_bytes()).collect();
        assert_eq!(
            paths,
            [
                &b"/a b/c d (deleted)"[..],
                b"[anon]",
                b"/memfd:x (deleted)",
                b"/odd/\xff\xfename",
                b"[stack]"
            ]
        );
        assert_eq!(maps[0].sizes.rss, 4096);
        assert_eq!(maps[1].sizes.rss, 8192);
        assert_eq!(maps[2].sizes.rss, 0);
        assert_eq!(maps[2].perms, "rw-s");
    }

    #[test]
    fn maps_key_lines_are_not_headers() {
        // Keys starting with hex letters ("Anonymous", "AnonHugePages",
        // "FilePmdMapped") and values-less lines must not open a block.
        let data = b"\
0-1000 r--p 0 0:0 0 /x\n\
Anonymous: 4 kB\n\
AnonHugePages: 0 kB\n\
FilePmdMapped: 0 kB\n\
THPeligible:    1\n\
ProtectionKey:         0\n\
VmFlags: rd mr mw me ac sd\n\
VmFlags:\n\
Garbage line without colon\n\
Swap: lots kB\n\
\n\
Swap: 2 kB\n";
        let maps = parse_maps(data);
        assert_eq!(maps.len(), 1);
        assert_eq!(maps[0].sizes.anonymous, 4096);
        assert_eq!(maps[0].sizes.swap, 2048);
        // Fields split where Python's bytes.split() splits them (\x0b and
        // \x0c included), and a key takes the field after it, as psutil's
        // `int(fields[1])`.
        let maps = parse_maps(b"0-1 r 0 0:0 0 /x\nRss:\x0b8 kB\nPss:\x0c\t4\nSize: 12kB\n");
        let s = maps[0].sizes;
        assert_eq!((s.rss, s.pss, s.size), (8192, 4096, 0));
    }

    #[test]
    fn maps_old_kernel_and_truncated() {
        // 2.6-era smaps: no Pss/Referenced/Anonymous/Swap lines.
        let old = b"08048000-08049000 r-xp 00000000 03:00 8312 /opt/test\n\
Size:                 4 kB\nRss:                  4 kB\n\
Shared_Clean:         0 kB\nShared_Dirty:         0 kB\n\
Private_Clean:        4 kB\nPrivate_Dirty:        0 kB\n";
        let m = &parse_maps(old)[0];
        assert_eq!(
            (m.sizes.size, m.sizes.rss, m.sizes.private_clean),
            (4096, 4096, 4096)
        );
        assert_eq!(
            (
                m.sizes.pss,
                m.sizes.referenced,
                m.sizes.anonymous,
                m.sizes.swap
            ),
            (0, 0, 0, 0)
        );
        assert_eq!(parse_totals(old).uss, 4096);

        // A trailing header without key lines still yields a zero row; a
        // half-written header (no perms yet) keeps what it has.
        let maps = parse_maps(b"0-1 r--p 0 0:0 0 /x\nRss: 4 kB\n2-3 r-");
        assert_eq!(maps.len(), 2);
        assert_eq!(maps[1].perms, "r-");
        assert_eq!(maps[1].path, Path::new("[anon]"));
        assert_eq!(maps[1].sizes.rss, 0);
        let maps = parse_maps(b"0-1");
        assert_eq!((maps[0].addr.as_str(), maps[0].perms.as_str()), ("0-1", ""));
        // Values from one block never leak into the next.
        let maps = parse_maps(b"0-1 r 0 0:0 0 /x\nSwap: 4 kB\n1-2 r 0 0:0 0 /x\n");
        assert_eq!((maps[0].sizes.swap, maps[1].sizes.swap), (4096, 0));
    }

    #[test]
    fn maps_garbage() {
        assert!(parse_maps(b"").is_empty());
        assert!(parse_maps(b"\n\n").is_empty());
        assert!(parse_maps(b"Rss: 4 kB\nPss: 4 kB\n").is_empty());
        assert!(parse_maps(b"-1 r 0 0:0 0 /x\n1- r\nxyz-1 r\n\xff").is_empty());
        // Key lines before the first header are dropped.
        let maps = parse_maps(b"Rss: 4 kB\n0-1 r 0 0:0 0\nRss: 8 kB");
        assert_eq!(maps.len(), 1);
        assert_eq!(maps[0].sizes.rss, 8192);
    }

    #[test]
    fn grouping() {
        let row = |path: &str, rss: u64| MapRecord {
            path: path.into(),
            sizes: MapSizes {
                rss,
                size: rss * 2,
                swap: 1,
                ..MapSizes::default()
            },
            ..MapRecord::default()
        };
        let g = group_maps(vec![
            row("/b", 1),
            row("[anon]", 10),
            row("/b", 2),
            row("/a", 100),
            row("[anon]", 20),
        ]);
        let summary: Vec<(&str, u64, u64, u64)> = g
            .iter()
            .map(|g| {
                (
                    g.path.to_str().unwrap(),
                    g.sizes.rss,
                    g.sizes.size,
                    g.sizes.swap,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [("/b", 3, 6, 2), ("[anon]", 30, 60, 2), ("/a", 100, 200, 1)]
        );
        assert!(group_maps(Vec::new()).is_empty());
    }

    #[test]
    fn grouping_fixture_sums_every_field() {
        let maps = parse_maps(SMAPS);
        let g = group_maps(maps.clone());
        assert_eq!(g[0].path, Path::new("/tmp/fx/my dir/sle ep (deleted)"));
        assert_eq!(g[1].path, Path::new("[heap]"));
        let distinct: std::collections::HashSet<&str> =
            maps.iter().map(|m| m.path.to_str().unwrap()).collect();
        assert_eq!(g.len(), distinct.len());
        let total = |f: fn(&MapSizes) -> u64| maps.iter().map(|m| f(&m.sizes)).sum::<u64>();
        let gtotal = |f: fn(&MapSizes) -> u64| g.iter().map(|g| f(&g.sizes)).sum::<u64>();
        assert_eq!(total(|s| s.rss), gtotal(|s| s.rss));
        assert_eq!(total(|s| s.size), gtotal(|s| s.size));
        assert_eq!(total(|s| s.pss), gtotal(|s| s.pss));
        assert_eq!(total(|s| s.shared_clean), gtotal(|s| s.shared_clean));
        assert_eq!(total(|s| s.shared_dirty), gtotal(|s| s.shared_dirty));
        assert_eq!(total(|s| s.private_clean), gtotal(|s| s.private_clean));
        assert_eq!(total(|s| s.private_dirty), gtotal(|s| s.private_dirty));
        assert_eq!(total(|s| s.referenced), gtotal(|s| s.referenced));
        assert_eq!(total(|s| s.anonymous), gtotal(|s| s.anonymous));
        assert_eq!(total(|s| s.swap), gtotal(|s| s.swap));
        let exe: u64 = maps.iter().take(5).map(|m| m.sizes.size).sum();
        assert_eq!(g[0].sizes.size, exe);
    }
}
