//! An insertion-ordered map from names to values: what psutil returns as a
//! `dict` keyed by disk, chip or NIC name.
//!
//! psutil's dicts keep the order in which the kernel listed the names
//! (`/proc/diskstats` order, sorted hwmon paths, ...). A `HashMap` would
//! lose that order and a `BTreeMap` would sort it differently, so the
//! system functions return this small vector-backed map instead. Lookups
//! are linear, which is fine for the handful of keys such maps hold.

#[cfg(feature = "serde")]
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A `dict[str, V]` in psutil's order. Serializes as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            entries: Vec::new(),
        }
    }
}

impl<V> NameMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no names.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value for `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The value for `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// True if `name` is a key.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name` to `value`, as Python's `d[name] = value`: a new name
    /// goes last, an existing one keeps its place. Returns the old value.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.get_mut(&name) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((name, value));
                None
            }
        }
    }

    /// The value for `name`, inserting `make()` first if it is missing
    /// (Python's `defaultdict`).
    pub fn entry_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> V) -> &mut V {
        let idx = match self.entries.iter().position(|(k, _)| k == name) {
            Some(i) => i,
            None => {
                self.entries.push((name.to_owned(), make()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[idx].1
    }

    /// `(name, value)` pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The names in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// The values in order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<V> IntoIterator for NameMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<V> FromIterator<(String, V)> for NameMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut m = NameMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

#[cfg(feature = "serde")]
impl<V: Serialize> Serialize for NameMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::NameMap;

    #[test]
    fn keeps_first_position_on_overwrite() {
        let mut m = NameMap::new();
        m.insert("b".to_owned(), 1);
        m.insert("a".to_owned(), 2);
        assert_eq!(m.insert("b".to_owned(), 3), Some(1));
        assert_eq!(m.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(m.get("b"), Some(&3));
        *m.entry_or_insert_with("c", || 0) += 5;
        assert_eq!(m.get("c"), Some(&5));
        assert_eq!(m.len(), 3);
    }
}
