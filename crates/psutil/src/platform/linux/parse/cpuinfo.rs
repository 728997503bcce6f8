//! `/proc/cpuinfo`: the fallbacks psutil uses for CPU counts and
//! frequencies. Keys are matched case-insensitively, as psutil lowercases
//! each line first.

/// Lowercased-prefix test (psutil's `line.lower().startswith(...)`).
fn starts_with_ci(line: &[u8], prefix: &[u8]) -> bool {
    line.len() >= prefix.len() && line[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The value after the first `:` of a line, trimmed.
fn value(line: &[u8]) -> Option<&[u8]> {
    let i = line.iter().position(|&c| c == b':')?;
    Some(line[i + 1..].trim_ascii())
}

/// Number of lines starting with `processor` (psutil's first fallback for
/// the logical CPU count).
pub fn count_processors(data: &[u8]) -> usize {
    data.split(|&c| c == b'\n')
        .filter(|l| starts_with_ci(l, b"processor"))
        .count()
}

/// The `cpu MHz` values in file order (one per logical CPU on x86).
/// `None` if a value is not a number (psutil raises `ValueError`).
pub fn mhz(data: &[u8]) -> Option<Vec<f64>> {
    data.split(|&c| c == b'\n')
        .filter(|l| starts_with_ci(l, b"cpu mhz"))
        .map(|l| std::str::from_utf8(value(l)?).ok()?.parse::<f64>().ok())
        .collect()
}

/// Physical cores: the sum of `cpu cores` over distinct `physical id`s
/// (psutil's fallback when sysfs has no topology).
///
/// As in psutil, a section is only counted when the blank line that ends it
/// is seen (the kernel always writes one), and a section lacking either key
/// counts for nothing.
pub fn physical_cores(data: &[u8]) -> usize {
    let mut per_package: Vec<(u64, u64)> = Vec::new();
    let (mut id, mut cores) = (None, None);
    // Lines as Python iterates them: no empty piece after the final `\n`.
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    for line in data.split(|&c| c == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() {
            if let (Some(i), Some(c)) = (id, cores) {
                match per_package.iter_mut().find(|(p, _)| *p == i) {
                    Some(slot) => slot.1 = c,
                    None => per_package.push((i, c)),
                }
            }
            (id, cores) = (None, None);
        } else if starts_with_ci(line, b"physical id") {
            id = value(line).and_then(super::parse_u64);
        } else if starts_with_ci(line, b"cpu cores") {
            cores = value(line).and_then(super::parse_u64);
        }
    }
    let cores = per_package
        .iter()
        .fold(0u64, |sum, &(_, c)| sum.saturating_add(c));
    usize::try_from(cores).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/system");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    #[test]
    fn x86_two_sockets_hyperthreaded() {
        // 2 packages x 2 cores x 2 threads = 8 logical CPUs.
        let data = fixture("cpuinfo_x86_2s");
        assert_eq!(count_processors(&data), 8);
        assert_eq!(physical_cores(&data), 4);
        let mhz = mhz(&data).unwrap();
        assert_eq!(mhz.len(), 8);
        assert_eq!(mhz[0], 2599.998);
        assert_eq!(mhz[7], 1200.0);
    }

    #[test]
    fn arm_without_topology_keys() {
        // aarch64: "processor" lines but no "physical id"/"cpu cores"/MHz.
        let data = fixture("cpuinfo_arm64");
        assert_eq!(count_processors(&data), 4);
        assert_eq!(physical_cores(&data), 0);
        assert_eq!(mhz(&data).unwrap(), Vec::<f64>::new());
    }

    #[test]
    fn last_section_needs_blank_line() {
        let data = b"physical id\t: 0\ncpu cores\t: 4\n";
        assert_eq!(physical_cores(data), 0);
        let data = b"physical id\t: 0\ncpu cores\t: 4\n\n";
        assert_eq!(physical_cores(data), 4);
        assert_eq!(mhz(b"cpu MHz\t\t: fast\n"), None);
    }

    #[test]
    fn huge_core_counts_saturate() {
        let data = b"physical id\t: 0\ncpu cores\t: 18446744073709551615\n\n\
                     physical id\t: 1\ncpu cores\t: 2\n\n";
        assert_eq!(physical_cores(data), usize::MAX);
    }
}
