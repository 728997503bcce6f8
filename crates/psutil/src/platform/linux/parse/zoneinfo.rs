//! `/proc/zoneinfo`: the per-zone `low` watermarks psutil sums to estimate
//! available memory on kernels without `MemAvailable`.

use super::{fields, parse_u64};

/// The sum of the `low` watermark of every zone, in pages (psutil: every
/// stripped line starting with `low`, second field).
pub fn low_watermark_pages(data: &[u8]) -> u64 {
    data.split(|&c| c == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| l.starts_with(b"low"))
        .filter_map(|l| fields(l).nth(1).and_then(parse_u64))
        .fold(0, u64::saturating_add)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums_every_zone() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/system/zoneinfo"
        ))
        .unwrap();
        assert_eq!(super::low_watermark_pages(&data), 1423 + 14705);
        assert_eq!(super::low_watermark_pages(b""), 0);
        let huge = b"  low 18446744073709551615\n  low 5\n";
        assert_eq!(super::low_watermark_pages(huge), u64::MAX);
    }
}
