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
}
