//! `/proc/PID/io`, proc(5) (Linux 2.6.20+, `CONFIG_TASK_IO_ACCOUNTING`):
//! `key: value` lines.
//!
//! ```text
//! rchar: 323934931
//! wchar: 323929600
//! syscr: 632687
//! syscw: 632675
//! read_bytes: 0
//! write_bytes: 323932160
//! cancelled_write_bytes: 0
//! ```

use super::parse_u64;

/// The counters of `/proc/PID/io` psutil reads, under the kernel's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Io {
    /// `rchar`: bytes passed to read-like syscalls.
    pub rchar: u64,
    /// `wchar`: bytes passed to write-like syscalls.
    pub wchar: u64,
    /// `syscr`: read-like syscalls.
    pub syscr: u64,
    /// `syscw`: write-like syscalls.
    pub syscw: u64,
    /// `read_bytes`: bytes fetched from the storage layer.
    pub read_bytes: u64,
    /// `write_bytes`: bytes sent to the storage layer.
    pub write_bytes: u64,
}

/// Parses the file (psutil's `pio` comes from it).
///
/// As in psutil, each line is trimmed and must split on `": "` into exactly
/// two pieces, otherwise it is skipped (psutil issue #1004: some kernels
/// write stray lines); when a key repeats the last value wins;
/// `cancelled_write_bytes` and unknown keys are ignored. A value that is not
/// a decimal number skips the line (psutil would raise).
///
/// Returns `None` if any of `rchar`, `wchar`, `syscr`, `syscw`,
/// `read_bytes`, `write_bytes` is missing, including for an empty file
/// (psutil raises `RuntimeError` for an empty file and `ValueError` for a
/// missing field).
pub fn parse(data: &[u8]) -> Option<Io> {
    let mut rchar = None;
    let mut wchar = None;
    let mut syscr = None;
    let mut syscw = None;
    let mut read_bytes = None;
    let mut write_bytes = None;
    for line in data.split(|&c| c == b'\n') {
        let line = line.trim_ascii();
        let Some(sep) = line.windows(2).position(|w| w == b": ") else {
            continue;
        };
        let (key, value) = (&line[..sep], &line[sep + 2..]);
        if value.windows(2).any(|w| w == b": ") {
            continue;
        }
        let slot = match key {
            b"rchar" => &mut rchar,
            b"wchar" => &mut wchar,
            b"syscr" => &mut syscr,
            b"syscw" => &mut syscw,
            b"read_bytes" => &mut read_bytes,
            b"write_bytes" => &mut write_bytes,
            _ => continue,
        };
        if let Some(v) = parse_u64(value.trim_ascii()) {
            *slot = Some(v);
        }
    }
    Some(Io {
        rchar: rchar?,
        wchar: wchar?,
        syscr: syscr?,
        syscw: syscw?,
        read_bytes: read_bytes?,
        write_bytes: write_bytes?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/proc/self/io` of `cat`, Linux 6.18.
    const FIXTURE: &[u8] = include_bytes!("../../../../tests/fixtures/proc/io");

    #[test]
    fn fixture() {
        assert_eq!(
            parse(FIXTURE),
            Some(Io {
                rchar: 6976,
                wchar: 0,
                syscr: 10,
                syscw: 0,
                read_bytes: 0,
                write_bytes: 0,
            })
        );
    }

    #[test]
    fn field_mapping() {
        let data = b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\ncancelled_write_bytes: 7\n";
        let io = parse(data).unwrap();
        assert_eq!((io.rchar, io.wchar, io.syscr, io.syscw), (1, 2, 3, 4));
        assert_eq!((io.read_bytes, io.write_bytes), (5, 6));
        // Order does not matter, no trailing newline is fine.
        let shuffled = b"write_bytes: 6\nread_bytes: 5\nsyscw: 4\nsyscr: 3\nwchar: 2\nrchar: 1";
        assert_eq!(parse(shuffled), Some(io));
    }

    #[test]
    fn missing_fields() {
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"\n\n"), None);
        // No read_bytes/write_bytes (no CONFIG_TASK_IO_ACCOUNTING block layer).
        assert_eq!(parse(b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\n"), None);
        // Truncated in the middle of the last value's line.
        assert_eq!(
            parse(b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_by"),
            None
        );
        // cancelled_write_bytes is not required.
        assert!(
            parse(b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6")
                .is_some()
        );
    }

    #[test]
    fn stray_and_garbage_lines() {
        let data = b"  rchar: 1  \r\nbogus line\nwchar:2\nwchar: 2\nsyscr: 3: 4\nsyscr: 3\nsyscw: x\nsyscw: 4\n\xff\xfe: 9\nread_bytes: 5\nwrite_bytes: 6\nwrite_bytes: 60\n";
        let io = parse(data).unwrap();
        assert_eq!(io.rchar, 1);
        assert_eq!(io.wchar, 2);
        assert_eq!(io.syscr, 3);
        assert_eq!(io.syscw, 4);
        // Later duplicates win, as with psutil's dict.
        assert_eq!(io.write_bytes, 60);
        // Negative or overflowing numbers are not counters.
        assert_eq!(
            parse(b"rchar: -1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6"),
            None
        );
        assert_eq!(parse(b"rchar: 18446744073709551616\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6"), None);
    }
}
