//! Text formatting: human sizes, times and aligned tables.

use std::io::{self, Write};

use crate::sys;

/// psutil's `bytes2human`: one decimal and a binary-prefix letter
/// (`0.0B`, `512.0B`, `1.5K`, `220.9M`, `2.0G`).
pub fn bytes2human(n: u64) -> String {
    const SYMBOLS: [char; 8] = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
    for (i, s) in SYMBOLS.iter().enumerate().rev() {
        let prefix = 2f64.powi(10 * (i as i32 + 1));
        if n as f64 >= prefix {
            return format!("{:.1}{s}", n as f64 / prefix);
        }
    }
    format!("{n}.0B")
}

/// Makes text safe for one table cell: control characters (newlines,
/// escapes) become `?`.
pub fn clean(s: impl AsRef<std::ffi::OsStr>) -> String {
    s.as_ref()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// At most `n` characters of `s`.
pub fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// ps's START column: `HH:MM` for a process started today, else `MonDD`.
pub fn start_column(create_time: f64) -> String {
    let (Some(t), Some(today)) = (sys::localtime(create_time), sys::localtime(sys::now())) else {
        return String::new();
    };
    if (t.year, t.month, t.day) == (today.year, today.month, today.day) {
        format!("{:02}:{:02}", t.hour, t.minute)
    } else {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let m = MONTHS
            .get((t.month as usize).wrapping_sub(1))
            .unwrap_or(&"???");
        format!("{m}{:02}", t.day)
    }
}

/// `YYYY-MM-DD HH:MM:SS` in local time.
pub fn datetime(epoch: f64) -> String {
    match sys::localtime(epoch) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        ),
        None => String::new(),
    }
}

/// CPU seconds as `M:SS` (minutes unbounded), like ps's TIME.
pub fn cpu_time(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// CPU seconds as `M:SS.cc`, like procinfo's cpu-tspent.
pub fn cpu_time_precise(secs: f64) -> String {
    let cs = (secs.max(0.0) * 100.0).round() as u64;
    format!("{}:{:02}.{:02}", cs / 6000, cs / 100 % 60, cs % 100)
}

/// Column alignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table whose columns are as wide as their widest cell.
pub struct Table {
    headers: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
    /// Text between columns.
    pub sep: &'static str,
}

impl Table {
    pub fn new(headers: &[(&str, Align)]) -> Table {
        Table {
            headers: headers.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            rows: Vec::new(),
            sep: " ",
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Writes header and rows, each line cut to `width` characters if
    /// given. A left-aligned last column is not padded.
    pub fn write(&self, out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self
            .headers
            .iter()
            .map(|(h, _)| h.chars().count())
            .collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let header: Vec<String> = self.headers.iter().map(|(h, _)| h.clone()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, ((_, align), w)) in self.headers.iter().zip(&widths).enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                if i > 0 {
                    line.push_str(self.sep);
                }
                let pad = w.saturating_sub(cell.chars().count());
                match align {
                    Align::Right => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(cell);
                    }
                    Align::Left => {
                        line.push_str(cell);
                        if i + 1 < n {
                            line.extend(std::iter::repeat_n(' ', pad));
                        }
                    }
                }
            }
            let line = match width {
                Some(w) => truncate(&line, w),
                None => line,
            };
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human() {
        assert_eq!(bytes2human(0), "0.0B");
        assert_eq!(bytes2human(1023), "1023.0B");
        assert_eq!(bytes2human(1024), "1.0K");
        assert_eq!(bytes2human(1536), "1.5K");
        assert_eq!(bytes2human(10 * 1024 * 1024), "10.0M");
        assert_eq!(bytes2human(3 << 30), "3.0G");
        assert_eq!(bytes2human(u64::MAX), "16.0E");
    }

    #[test]
    fn times() {
        assert_eq!(cpu_time(0.0), "0:00");
        assert_eq!(cpu_time(125.9), "2:05");
        assert_eq!(cpu_time(7200.0), "120:00");
        assert_eq!(cpu_time_precise(61.234), "1:01.23");
        assert_eq!(cpu_time_precise(59.999), "1:00.00");
    }

    #[test]
    fn table() {
        let mut t = Table::new(&[("PID", Align::Right), ("NAME", Align::Left)]);
        t.push(vec!["1".into(), "init".into()]);
        t.push(vec!["12345".into(), "x".into()]);
        let mut out = Vec::new();
        t.write(&mut out, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "  PID NAME\n    1 init\n12345 x\n"
        );
        let mut out = Vec::new();
        t.write(&mut out, Some(7)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "  PID N\n    1 i\n12345 x\n"
        );
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("a\nb\x1b"), "a?b?");
    }
}
