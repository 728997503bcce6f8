//! `/proc/PID/statm`, proc(5): memory sizes in pages.

use super::{fields, parse_u64};

/// The seven page counts of `/proc/PID/statm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statm {
    /// Total program size (psutil's `vms`).
    pub size: u64,
    /// Resident set size (`rss`).
    pub resident: u64,
    /// Resident shared pages (`shared`).
    pub shared: u64,
    /// Text (code) (`text`).
    pub text: u64,
    /// Library, unused since 2.6 (`lib`).
    pub lib: u64,
    /// Data + stack (`data`).
    pub data: u64,
    /// Dirty pages, unused since 2.6 (`dirty`).
    pub dt: u64,
}

/// Parses `statm`; `None` if any of the seven numbers is missing.
impl Statm {
    /// The same counts multiplied by `page_size`; `None` if any overflows
    /// a `u64` (no kernel writes such a count).
    pub fn in_bytes(&self, page_size: u64) -> Option<Statm> {
        let b = |pages: u64| pages.checked_mul(page_size);
        Some(Statm {
            size: b(self.size)?,
            resident: b(self.resident)?,
            shared: b(self.shared)?,
            text: b(self.text)?,
            lib: b(self.lib)?,
            data: b(self.data)?,
            dt: b(self.dt)?,
        })
    }
}

pub fn parse(data: &[u8]) -> Option<Statm> {
    let mut it = fields(data).map(parse_u64);
    let mut next = || it.next().flatten();
    Some(Statm {
        size: next()?,
        resident: next()?,
        shared: next()?,
        text: next()?,
        lib: next()?,
        data: next()?,
        dt: next()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_truncation() {
        let s = parse(b"2223 1322 950 235 0 145 0\n").unwrap();
        assert_eq!(
            (s.size, s.resident, s.shared, s.text, s.data),
            (2223, 1322, 950, 235, 145)
        );
        assert_eq!(parse(b"0 0 0 0 0 0 0\n"), Some(Statm::default()));
        assert_eq!(parse(b"2223 1322 950"), None);
        assert_eq!(parse(b""), None);
    }

    #[test]
    fn bytes_refuse_overflow() {
        let s = parse(b"2223 1322 950 235 0 145 0\n").unwrap();
        assert_eq!(s.in_bytes(4096).map(|b| b.resident), Some(1322 * 4096));
        let huge = parse(b"1 18446744073709551615 0 0 0 0 0\n").unwrap();
        assert_eq!(huge.in_bytes(4096), None);
        assert_eq!(huge.in_bytes(1).map(|b| b.resident), Some(u64::MAX));
    }
}
