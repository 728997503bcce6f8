//! Python's `round(x, ndigits)`, the one rounding rule of the crate.
//!
//! psutil rounds percentages with Python's `round(x, 1)`: to the nearest
//! multiple of 10^-ndigits of the exact binary value of `x`, ties (which
//! only exact binary values can be) to even. Rust's `{:.N}` formatting
//! makes the very same decision, so formatting and parsing back gives
//! Python's result. `(x * 10.0).round() / 10.0` would not: it rounds ties
//! away from zero and rounds `x * 10.0` first (0.35 is below 0.35 in binary
//! and Python gives 0.3; 0.35 * 10.0 is exactly 3.5, which gives 0.4).

/// Python's `round(x, ndigits)`; infinities and NaN come back unchanged.
pub fn round(x: f64, ndigits: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.ndigits$}").parse().unwrap_or(x)
}

/// psutil's `usage_percent(used, total, round_=1)`: `used / total * 100`
/// rounded to one decimal, 0.0 for a zero total.
pub(crate) fn usage_percent(used: f64, total: f64) -> f64 {
    if total == 0.0 {
        return 0.0;
    }
    round(used / total * 100.0, 1)
}

#[cfg(test)]
mod tests {
    use super::{round, usage_percent};

    #[test]
    fn usage_percent_like_psutil() {
        assert_eq!(usage_percent(0.35, 100.0), 0.3);
        assert_eq!(usage_percent(1.0, 3.0), 33.3);
        assert_eq!(usage_percent(1.0, 0.0), 0.0);
    }

    #[test]
    fn like_python() {
        // Each pair checked against CPython's round(x, 1).
        for (x, want) in [
            (0.25, 0.2),
            (0.35, 0.3),
            (0.45, 0.5),
            (26.75, 26.8),
            (99.95, 100.0),
            (12.34, 12.3),
            (-0.25, -0.2),
            (0.0, 0.0),
        ] {
            assert_eq!(round(x, 1), want, "{x}");
        }
        assert_eq!(round(2.675, 2), 2.67);
        assert_eq!(round(2.5, 0), 2.0);
        assert_eq!(round(3.5, 0), 4.0);
        assert_eq!(round(f64::INFINITY, 1), f64::INFINITY);
        assert!(round(f64::NAN, 1).is_nan());
        assert_eq!(round(1e300, 1), 1e300);
    }
}
