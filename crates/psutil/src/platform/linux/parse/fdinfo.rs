//! `/proc/PID/fdinfo/FD`, proc(5) (Linux 2.6.22+): `key:\tvalue` lines.
//!
//! ```text
//! pos:    0
//! flags:  0102001
//! mnt_id: 27
//! ino:    10010989
//! ```
//!
//! `pos` is the file offset in decimal, `flags` the open(2) flags in
//! **octal**; later lines depend on the kind of file (eventfd, epoll,
//! inotify, ...) and are ignored.

use super::{fields, parse_i64};

/// Parses an octal number made only of the digits 0-7.
fn parse_octal(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u64, |v, &c| {
        let d = c.wrapping_sub(b'0');
        if d > 7 {
            return None;
        }
        v.checked_mul(8)?.checked_add(u64::from(d))
    })
}

/// Returns `(pos, flags)`, or `None` if either line is missing or malformed.
///
/// psutil reads the second word of the first two lines; the kernel always
/// writes `pos` then `flags` first, so looking the two keys up by name gives
/// the same values and survives reordering. A negative `pos` (written for
/// files whose offsets are unsigned, such as `/dev/mem`) is returned as the
/// same 64-bit pattern, i.e. the unsigned offset. `flags` larger than
/// `i32::MAX` is rejected.
pub fn parse(data: &[u8]) -> Option<(u64, i32)> {
    let mut pos = None;
    let mut flags = None;
    for line in data.split(|&c| c == b'\n') {
        let mut it = fields(line);
        let (Some(key), Some(value)) = (it.next(), it.next()) else {
            continue;
        };
        match key {
            b"pos:" if pos.is_none() => pos = Some(parse_i64(value)? as u64),
            b"flags:" if flags.is_none() => {
                flags = Some(i32::try_from(parse_octal(value)?).ok()?);
            }
            _ => {}
        }
        if pos.is_some() && flags.is_some() {
            break;
        }
    }
    Some((pos?, flags?))
}

/// psutil's `open_files()` mode string for open(2) `flags`.
///
/// psutil maps the access mode to `"r"`, `"w"` or `"w+"`, replaces the
/// first `w` with `a` when `O_APPEND` is set, then turns `w+` into `r+`:
///
/// | access mode | without `O_APPEND` | with `O_APPEND` |
/// |---|---|---|
/// | `O_RDONLY` | `"r"` | `"r"` |
/// | `O_WRONLY` | `"w"` | `"a"` |
/// | `O_RDWR` | `"r+"` | `"a+"` |
///
/// Access mode 3 (Linux's "check read and write permission, allow neither")
/// makes psutil raise `KeyError`; here it is reported like `O_RDWR`, since
/// opening that way needs both permissions.
pub fn file_mode(flags: i32) -> &'static str {
    let append = flags & libc::O_APPEND != 0;
    match flags & libc::O_ACCMODE {
        libc::O_RDONLY => "r",
        libc::O_WRONLY if append => "a",
        libc::O_WRONLY => "w",
        _ if append => "a+",
        _ => "r+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/proc/self/fdinfo/6` of `cat` after `exec 6>>file` (O_WRONLY|O_APPEND|O_LARGEFILE).
    const APPEND: &[u8] = include_bytes!("../../../../tests/fixtures/proc/fdinfo_append");
    /// `/proc/self/fdinfo/0`, stdin on `/dev/null` (O_RDONLY|O_LARGEFILE).
    const DEVNULL: &[u8] = include_bytes!("../../../../tests/fixtures/proc/fdinfo_devnull");

    #[test]
    fn fixtures() {
        let (pos, flags) = parse(APPEND).unwrap();
        assert_eq!((pos, flags), (0, 0o102001));
        assert_eq!(flags & libc::O_APPEND, libc::O_APPEND);
        assert_eq!(file_mode(flags), "a");
        let (pos, flags) = parse(DEVNULL).unwrap();
        assert_eq!((pos, flags), (0, 0o100000));
        assert_eq!(file_mode(flags), "r");
    }

    #[test]
    fn values() {
        assert_eq!(parse(b"pos:\t12345\nflags:\t02\n"), Some((12345, 2)));
        assert_eq!(parse(b"flags:\t0100002\npos:\t7"), Some((7, 0o100002)));
        // Octal, not decimal: 8 and 9 are not octal digits.
        assert_eq!(parse(b"pos:\t0\nflags:\t08\n"), None);
        assert_eq!(parse(b"pos:\t0\nflags:\t010\n"), Some((0, 8)));
        // Unsigned-offset files: the negative loff_t is the u64 offset.
        assert_eq!(parse(b"pos:\t-2\nflags:\t0\n"), Some((u64::MAX - 1, 0)));
        // The first occurrence of each key counts.
        assert_eq!(
            parse(b"pos:\t1\nflags:\t01\npos:\t9\nflags:\t02\n"),
            Some((1, 1))
        );
        // eventfd/epoll/inotify lines after flags are ignored.
        let epoll = b"pos:\t0\nflags:\t02\nmnt_id:\t15\nino:\t1057\ntfd:        5 events:       19 data:                5  pos:0 ino:61 sdev:b\n";
        assert_eq!(parse(epoll), Some((0, 2)));
    }

    #[test]
    fn garbage_and_truncation() {
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"pos:\t0\n"), None);
        assert_eq!(parse(b"pos:\t0\nflags:"), None);
        assert_eq!(parse(b"pos:\t0\nfla"), None);
        assert_eq!(parse(b"pos:\tx\nflags:\t02\n"), None);
        assert_eq!(parse(b"pos:\t0\nflags:\t\xff\n"), None);
        assert_eq!(parse(b"pos:\t0\nflags:\t040000000000\n"), None);
        for n in 0..APPEND.len() {
            let _ = parse(&APPEND[..n]);
        }
    }

    #[test]
    fn modes() {
        use libc::{O_APPEND, O_CLOEXEC, O_CREAT, O_RDONLY, O_RDWR, O_WRONLY};
        // O_LARGEFILE as the kernel writes it (libc's constant is 0 on 64-bit).
        const O_LARGEFILE: i32 = 0o100000;
        assert_eq!(file_mode(O_RDONLY), "r");
        assert_eq!(file_mode(O_RDONLY | O_APPEND), "r");
        assert_eq!(file_mode(O_WRONLY), "w");
        assert_eq!(file_mode(O_WRONLY | O_CREAT | O_CLOEXEC), "w");
        assert_eq!(file_mode(O_WRONLY | O_APPEND), "a");
        assert_eq!(file_mode(O_RDWR), "r+");
        assert_eq!(file_mode(O_RDWR | O_LARGEFILE), "r+");
        assert_eq!(file_mode(O_RDWR | O_APPEND), "a+");
        assert_eq!(file_mode(libc::O_ACCMODE), "r+");
        assert_eq!(file_mode(libc::O_ACCMODE | O_APPEND), "a+");
    }
}
