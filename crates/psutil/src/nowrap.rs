//! psutil's wrap-around correction (`_common.wrap_numbers`, class
//! `_WrapNumbers`), written once for every `nowrap` counter family
//! (`net_io_counters`, `disk_io_counters`).
//!
//! The kernel's counters may wrap to zero (32-bit fields, `unsigned long`
//! on 32-bit kernels) or restart when a device is re-created. A tracker
//! remembers the previous reading per name; when a field went down, the
//! old value is added to that (name, field)'s reminder, which is added to
//! every later reading, so the corrected numbers never decrease. A name
//! that disappears loses its reminders; a new name is reported as read.

use std::collections::HashMap;

/// The history of one counter family: `N` counters per name.
#[derive(Debug, Clone, Default)]
pub(crate) struct WrapTracker<const N: usize> {
    /// Last raw values per name (psutil's `cache`); `None` before the
    /// first reading.
    last: Option<HashMap<String, [u64; N]>>,
    /// Amount to add per (name, field) (psutil's `reminders`).
    reminders: HashMap<String, [u64; N]>,
}

impl<const N: usize> WrapTracker<N> {
    /// Forgets the history (psutil's `cache_clear`).
    pub fn clear(&mut self) {
        self.last = None;
        self.reminders.clear();
    }

    /// Corrects one reading and remembers it (psutil's
    /// `_WrapNumbers.run`); the order of `raw` is kept. Sums saturate at
    /// `u64::MAX`.
    pub fn apply(&mut self, raw: Vec<(String, [u64; N])>) -> Vec<(String, [u64; N])> {
        let Some(last) = self.last.as_mut() else {
            self.last = Some(raw.iter().cloned().collect());
            return raw;
        };
        self.reminders
            .retain(|k, _| raw.iter().any(|(name, _)| name == k));
        let mut out = Vec::with_capacity(raw.len());
        for (name, now) in &raw {
            let Some(old) = last.get(name) else {
                out.push((name.clone(), *now));
                continue;
            };
            let rem = self.reminders.entry(name.clone()).or_insert([0; N]);
            let mut fixed = [0u64; N];
            for i in 0..N {
                if now[i] < old[i] {
                    rem[i] = rem[i].saturating_add(old[i]);
                }
                fixed[i] = now[i].saturating_add(rem[i]);
            }
            out.push((name.clone(), fixed));
        }
        *last = raw.into_iter().collect();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_are_remembered_per_name() {
        let mut t = WrapTracker::<2>::default();
        let r = |a: u64, b: u64| vec![("a".to_string(), [a; 2]), ("b".to_string(), [b; 2])];
        assert_eq!(t.apply(r(10, 5))[0].1, [10; 2]);
        assert_eq!(t.apply(r(20, 6))[0].1, [20; 2]);
        // a wraps: 20 is remembered and added.
        assert_eq!(t.apply(r(3, 7))[0].1, [23; 2]);
        assert_eq!(t.apply(r(4, 8))[0].1, [24; 2]);
        // b disappears and comes back smaller: no reminder left.
        assert_eq!(t.apply(vec![("a".to_string(), [5; 2])])[0].1, [25; 2]);
        assert_eq!(t.apply(r(6, 1))[1].1, [1; 2]);
        t.clear();
        assert_eq!(t.apply(r(1, 1))[0].1, [1; 2]);
    }

    #[test]
    fn huge_counters_saturate() {
        let mut t = WrapTracker::<1>::default();
        let r = |v: u64| vec![("a".to_string(), [v])];
        t.apply(r(u64::MAX));
        assert_eq!(t.apply(r(1))[0].1, [u64::MAX]);
    }
}
