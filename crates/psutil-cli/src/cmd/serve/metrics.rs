//! A small writer for the Prometheus text exposition format, version
//! 0.0.4: `# HELP` and `# TYPE` once per family, then its samples.
//!
//! Families are created on first use and rendered in that order; a sample
//! whose label set repeats one already in its family is dropped (the
//! format forbids duplicates, and e.g. a filesystem mounted twice on the
//! same path would otherwise produce them). Families without samples are
//! left out.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// The content type of the format this module writes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The metric types this exporter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
        }
    }
}

/// A sample value: integers are written exactly (byte counters exceed
/// 2^53 in theory), floats in the shortest form that reads back the same.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(u64),
    Float(f64),
}

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Int(v)
    }
}

impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(v as u64)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

/// What one metric family is: its name, `# HELP` text, `# TYPE`, and the
/// names of its labels in the order its samples carry them. The
/// collectors keep these as constant tables, one per family.
#[derive(Debug, PartialEq, Eq)]
pub struct Desc {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub labels: &'static [&'static str],
}

impl Desc {
    /// A counter family (its name ends in `_total`).
    pub const fn counter(
        name: &'static str,
        help: &'static str,
        labels: &'static [&'static str],
    ) -> Desc {
        Desc {
            name,
            help,
            kind: Kind::Counter,
            labels,
        }
    }

    /// A gauge family.
    pub const fn gauge(
        name: &'static str,
        help: &'static str,
        labels: &'static [&'static str],
    ) -> Desc {
        Desc {
            name,
            help,
            kind: Kind::Gauge,
            labels,
        }
    }
}

struct Family {
    desc: &'static Desc,
    /// Rendered `name{labels} value` lines.
    lines: Vec<String>,
    seen: HashSet<String>,
}

/// The families of one scrape, in the order they were first used.
#[derive(Default)]
pub struct Exposition {
    families: Vec<Family>,
    index: HashMap<&'static str, usize>,
}

impl Exposition {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one sample to family `desc`, one value per label of `desc`.
    pub fn add(&mut self, desc: &'static Desc, values: &[&str], value: impl Into<Value>) {
        debug_assert_eq!(values.len(), desc.labels.len(), "{}", desc.name);
        let labels = desc.labels.iter().copied().zip(values.iter().copied());
        self.push(desc, labels, value.into());
    }

    /// Like [`Exposition::add`], for families whose samples may lack some
    /// labels: a label whose value is `None` is left out of the sample.
    pub fn add_some(
        &mut self,
        desc: &'static Desc,
        values: &[Option<&str>],
        value: impl Into<Value>,
    ) {
        debug_assert_eq!(values.len(), desc.labels.len(), "{}", desc.name);
        let labels = (desc.labels.iter().copied())
            .zip(values.iter().copied())
            .filter_map(|(k, v)| Some((k, v?)));
        self.push(desc, labels, value.into());
    }

    /// Adds one sample to family `desc` (created on first use; later uses
    /// of the name must describe it the same way).
    fn push<'a>(
        &mut self,
        desc: &'static Desc,
        labels: impl Iterator<Item = (&'static str, &'a str)>,
        value: Value,
    ) {
        let name = desc.name;
        debug_assert!(valid_name(name, true), "bad metric name {name}");
        let i = *self.index.entry(name).or_insert_with(|| {
            self.families.push(Family {
                desc,
                lines: Vec::new(),
                seen: HashSet::new(),
            });
            self.families.len() - 1
        });
        let fam = &mut self.families[i];
        debug_assert_eq!(fam.desc, desc, "{name} described twice");
        let mut key = String::new();
        for (j, (k, v)) in labels.enumerate() {
            debug_assert!(valid_name(k, false), "bad label name {k}");
            key.push(if j == 0 { '{' } else { ',' });
            key.push_str(k);
            key.push_str("=\"");
            escape_label_value(v, &mut key);
            key.push('"');
        }
        if !key.is_empty() {
            key.push('}');
        }
        if !fam.seen.insert(key.clone()) {
            return;
        }
        let mut line = String::with_capacity(name.len() + key.len() + 24);
        line.push_str(name);
        line.push_str(&key);
        line.push(' ');
        format_value(value, &mut line);
        fam.lines.push(line);
    }

    /// True if family `name` has at least one sample.
    #[cfg(test)]
    pub fn has(&self, name: &str) -> bool {
        self.index
            .get(name)
            .is_some_and(|&i| !self.families[i].lines.is_empty())
    }

    /// The whole exposition, ending with a newline.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in self.families.iter().filter(|f| !f.lines.is_empty()) {
            let d = f.desc;
            out.push_str("# HELP ");
            out.push_str(d.name);
            out.push(' ');
            escape_help(d.help, &mut out);
            out.push('\n');
            let _ = writeln!(out, "# TYPE {} {}", d.name, d.kind.as_str());
            for l in &f.lines {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }
}

/// Metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`; label names the same
/// without `:`.
fn valid_name(s: &str, metric: bool) -> bool {
    let ok = |c: char, first: bool| {
        c.is_ascii_alphabetic()
            || c == '_'
            || (metric && c == ':')
            || (!first && c.is_ascii_digit())
    };
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if ok(c, true)) && chars.all(|c| ok(c, false))
}

/// Label values: backslash, double quote and line feed are escaped.
pub fn escape_label_value(v: &str, out: &mut String) {
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// HELP text: backslash and line feed are escaped.
fn escape_help(v: &str, out: &mut String) {
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Values as Go's `ParseFloat` (which Prometheus uses) reads them:
/// `+Inf`, `-Inf`, `NaN`, else Rust's shortest round-trip decimal.
pub fn format_value(v: Value, out: &mut String) {
    match v {
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_nan() => out.push_str("NaN"),
        Value::Float(f) if f == f64::INFINITY => out.push_str("+Inf"),
        Value::Float(f) if f == f64::NEG_INFINITY => out.push_str("-Inf"),
        Value::Float(f) => {
            let _ = write!(out, "{f}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: impl Into<Value>) -> String {
        let mut s = String::new();
        format_value(v.into(), &mut s);
        s
    }

    #[test]
    fn values() {
        assert_eq!(fmt(f64::INFINITY), "+Inf");
        assert_eq!(fmt(f64::NEG_INFINITY), "-Inf");
        assert_eq!(fmt(f64::NAN), "NaN");
        assert_eq!(fmt(0.0), "0");
        assert_eq!(fmt(-0.5), "-0.5");
        assert_eq!(fmt(1.25e-7), "0.000000125");
        assert_eq!(fmt(u64::MAX), "18446744073709551615");
        assert_eq!(fmt(3usize), "3");
        // Every finite float reads back to itself.
        for f in [0.1, 1e300, 5e-324, 123456.789, 1700000000.0] {
            assert_eq!(fmt(f).parse::<f64>().unwrap(), f);
        }
    }

    #[test]
    fn escaping() {
        const X: Desc = Desc::gauge("x_info", "a \\ back\nslash", &["name", "u"]);
        let mut e = Exposition::new();
        e.add(&X, &["a\"b\\c\nd", "é ☃"], 1u64);
        let text = e.render();
        assert_eq!(
            text,
            "# HELP x_info a \\\\ back\\nslash\n\
             # TYPE x_info gauge\n\
             x_info{name=\"a\\\"b\\\\c\\nd\",u=\"é ☃\"} 1\n"
        );
    }

    #[test]
    fn help_and_type_once_per_family_in_first_use_order() {
        const B: Desc = Desc::counter("b_total", "B.", &["cpu"]);
        const A: Desc = Desc::gauge("a_bytes", "A.", &[]);
        let mut e = Exposition::new();
        e.add(&B, &["0"], 1u64);
        e.add(&A, &[], 2u64);
        e.add(&B, &["1"], 3u64);
        let text = e.render();
        assert_eq!(
            text,
            "# HELP b_total B.\n# TYPE b_total counter\n\
             b_total{cpu=\"0\"} 1\nb_total{cpu=\"1\"} 3\n\
             # HELP a_bytes A.\n# TYPE a_bytes gauge\na_bytes 2\n"
        );
        assert_eq!(text.matches("# TYPE b_total").count(), 1);
        assert_eq!(text.matches("# HELP b_total").count(), 1);
    }

    #[test]
    fn duplicate_label_sets_are_dropped_and_empty_families_omitted() {
        const M: Desc = Desc::gauge("m_bytes", "M.", &["mountpoint"]);
        let mut e = Exposition::new();
        e.add(&M, &["/"], 1u64);
        e.add(&M, &["/"], 2u64);
        e.add(&M, &["/a"], 3u64);
        assert_eq!(
            e.render().lines().filter(|l| !l.starts_with('#')).count(),
            2
        );
        assert!(e.render().contains("m_bytes{mountpoint=\"/\"} 1\n"));
        assert!(!Exposition::new().has("m_bytes"));
        assert_eq!(Exposition::new().render(), "");
    }

    #[test]
    fn labels_without_a_value_are_left_out() {
        const C: Desc = Desc::gauge("c_info", "C.", &["cgroup", "runtime", "pod_uid"]);
        let mut e = Exposition::new();
        e.add_some(&C, &[Some("/a"), None, Some("u")], 1u64);
        e.add_some(&C, &[None, None, None], 2u64);
        assert!(e
            .render()
            .contains("c_info{cgroup=\"/a\",pod_uid=\"u\"} 1\nc_info 2\n"));
    }

    #[test]
    fn names() {
        assert!(valid_name("psutil_cpu_seconds_total", true));
        assert!(valid_name("a:b", true));
        assert!(!valid_name("a:b", false));
        assert!(!valid_name("1a", true));
        assert!(!valid_name("", false));
        assert!(!valid_name("a-b", true));
    }
}
