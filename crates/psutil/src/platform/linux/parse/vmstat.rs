//! `/proc/vmstat`: the swap-in/swap-out page counters of `swap_memory()`.

use super::parse_u64;

/// psutil's `sin`/`sout`: `pswpin` and `pswpout` × 4096 (psutil hard-codes
/// 4 KiB, whatever the page size). `None` unless both lines are present
/// (psutil then reports both as 0 with a warning).
pub fn swap_bytes(data: &[u8]) -> Option<(u64, u64)> {
    let (mut sin, mut sout) = (None, None);
    for line in data.split(|&c| c == b'\n') {
        // psutil: `line.split(b' ')[1]` of the lines starting so.
        let value = || line.split(|&c| c == b' ').nth(1).and_then(parse_u64);
        if line.starts_with(b"pswpin") {
            sin = value();
        } else if line.starts_with(b"pswpout") {
            sout = value();
        }
        if sin.is_some() && sout.is_some() {
            break;
        }
    }
    // No kernel's page counts overflow as bytes; a corrupt one saturates.
    Some((sin?.saturating_mul(4096), sout?.saturating_mul(4096)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");

    #[test]
    fn both_counters() {
        let data = std::fs::read(format!("{FIXTURES}/vmstat")).unwrap();
        assert_eq!(swap_bytes(&data), Some((1234 * 4096, 5678 * 4096)));
    }

    #[test]
    fn missing_fields() {
        let data = std::fs::read(format!("{FIXTURES}/vmstat_no_pswp")).unwrap();
        assert_eq!(swap_bytes(&data), None);
        assert_eq!(swap_bytes(b"pswpin 3\n"), None);
        assert_eq!(swap_bytes(b"pswpout 3\n"), None);
        assert_eq!(swap_bytes(b""), None);
    }

    #[test]
    fn huge_counters_saturate() {
        let data = b"pswpin 18446744073709551615\npswpout 4503599627370496\n";
        assert_eq!(swap_bytes(data), Some((u64::MAX, u64::MAX)));
    }
}
