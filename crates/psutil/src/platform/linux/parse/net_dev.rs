//! `/proc/net/dev`, proc(5): per-interface traffic counters.

use super::{fields, parse_u64};

/// One interface's counters in psutil's `snetio` order: bytes_sent,
/// bytes_recv, packets_sent, packets_recv, errin, errout, dropin, dropout.
pub type NetDevCounters = [u64; 8];

/// Parses `/proc/net/dev`: the two header lines are skipped, then each line
/// is `NAME: 8 receive counters, 8 transmit counters`. The name ends at the
/// *last* colon (psutil's rule, as names may contain colons). Lines with
/// fewer than 12 numbers are skipped. Order is the file's.
pub fn parse(data: &[u8]) -> Vec<(String, NetDevCounters)> {
    let mut out = Vec::new();
    for line in data.split(|&c| c == b'\n').skip(2) {
        let Some(colon) = line.iter().rposition(|&c| c == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii();
        if name.is_empty() {
            continue;
        }
        // Every field must be a number; only the first 12 are used.
        let mut n = [0u64; 12];
        let mut count = 0usize;
        let all_numbers = fields(&line[colon + 1..]).all(|f| {
            let Some(v) = parse_u64(f) else { return false };
            if let Some(slot) = n.get_mut(count) {
                *slot = v;
            }
            count += 1;
            true
        });
        if !all_numbers || count < 12 {
            continue;
        }
        // Receive: bytes packets errs drop fifo frame compressed multicast;
        // transmit: bytes packets errs drop ...
        let counters = [n[8], n[0], n[9], n[1], n[2], n[10], n[3], n[11]];
        out.push((String::from_utf8_lossy(name).into_owned(), counters));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = b"Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 22403889     951    1    2    0     0          0         0    59766     619    3    4    0     0       0          0
";

    #[test]
    fn order_and_fields() {
        let v = parse(SAMPLE);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].0, "lo");
        assert_eq!(v[0].1, [3193, 3193, 29, 29, 0, 0, 0, 0]);
        assert_eq!(v[1].0, "eth0");
        assert_eq!(v[1].1, [59766, 22403889, 619, 951, 1, 3, 2, 4]);
    }

    #[test]
    fn truncated_and_odd_lines() {
        let data = b"h1\nh2\n  a:b: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n  x: 1 2 3\n: 1 2 3 4 5 6 7 8 9 10 11 12\nnocolon\n  y: 1 2 3 4 5 6 7 8 9 10 11 zz";
        let v = parse(data);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, "a:b");
        assert_eq!(v[0].1, [9, 1, 10, 2, 3, 11, 4, 12]);
        assert!(parse(b"").is_empty());
        // A bad field after the 12th still disqualifies the line; extra
        // numbers beyond 16 are ignored.
        let data = b"h1\nh2\n z: 1 2 3 4 5 6 7 8 9 10 11 12 13 x\n w: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n";
        let v = parse(data);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0], ("w".to_owned(), [9, 1, 10, 2, 3, 11, 4, 12]));
    }

    #[test]
    fn fixture_file() {
        let p = format!("{}/tests/fixtures/net/dev", env!("CARGO_MANIFEST_DIR"));
        let v = parse(&std::fs::read(p).unwrap());
        let names: Vec<&str> = v.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["lo", "ghost0"]);
    }
}
