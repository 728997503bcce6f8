//! Pure parsers for `/proc` files: bytes in, typed values out, no I/O.
//!
//! Every parser takes the whole file content as `&[u8]` because `/proc`
//! files are not guaranteed to be UTF-8 (process names and paths are bytes).
//! A parser never panics on truncated or malformed input; it returns `None`
//! (or skips the bad line) and the caller decides which psutil error that is.

pub mod cgroup;
pub mod cmdline;
pub mod cpuinfo;
pub mod diskstats;
pub mod fdinfo;
pub mod io;
pub mod meminfo;
pub mod mounts;
pub mod net_dev;
pub mod net_sockets;
pub mod proc_stat;
pub mod smaps;
pub mod stat;
pub mod statm;
pub mod status;
pub mod utmp;
pub mod vmstat;
pub mod zoneinfo;

/// Parses an unsigned decimal integer made only of ASCII digits.
pub(crate) fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in s {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

/// Parses a signed decimal integer (`-` allowed).
pub(crate) fn parse_i64(s: &[u8]) -> Option<i64> {
    match s.split_first() {
        Some((b'-', rest)) => parse_u64(rest).and_then(|v| 0i64.checked_sub_unsigned(v)),
        _ => parse_u64(s).and_then(|v| i64::try_from(v).ok()),
    }
}

/// Splits on ASCII whitespace, skipping empty pieces.
pub(crate) fn fields(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|c| c.is_ascii_whitespace())
        .filter(|f| !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"1a"), None);
        assert_eq!(parse_i64(b"-20"), Some(-20));
        assert_eq!(parse_i64(b"-"), None);
    }
}
