//! Ordered maps and sets kept as one sorted vector: the crate's `VecMap` and `VecSet`.
//!
//! They answer as `BTreeMap` and `BTreeSet` do (same order of iteration, the last value of a
//! repeated key kept) for the small collections a rulebook has: its indicators, inputs, lets,
//! names and spans. std's B-tree is generic code that every key and value type links again (about
//! 3 KB of WebAssembly per pair of types, 67 KB in all for the browser build, where size is a
//! goal); a sorted vector is a binary search and a `Vec::insert`.
//!
//! A key inserted after every other one is pushed, so a map filled in order grows in linear time.
//! A collection filled from an iterator (`collect`, `extend`) is sorted once (`sort::sort_by`,
//! the crate's one copy of std's sort), so one filled out of order does too. Inserting many keys
//! one by one out of order costs a move of the tail each: per-unit tables that can hold a million
//! entries use a hash map (`hash.rs`) instead.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;

// The methods are `BTreeMap`'s and `BTreeSet`'s, named and answering as they do: their docs are std's.

/// An ordered map over a sorted vector of `(key, value)` pairs, with `BTreeMap`'s answers.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { entries: Vec::new() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries.iter().map(|(k, v)| (k, v))).finish()
    }
}

#[allow(missing_docs)]
impl<K, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap { entries: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The pairs in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

#[allow(missing_docs)]
impl<K: Ord, V> VecMap<K, V> {
    /// Where `key` is (`Ok`) or would go (`Err`).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        // Keys usually arrive in order: the last place is tried first.
        match self.entries.last() {
            None => return Err(0),
            Some((last, _)) => match last.borrow().cmp(key) {
                Ordering::Less => return Err(self.entries.len()),
                Ordering::Equal => return Ok(self.entries.len() - 1),
                Ordering::Greater => {}
            },
        }
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().and_then(|i| self.entries.get(i)).map(|(k, v)| (k, v))
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Inserts `value` under `key`; the value it replaces, if any (the key stays the first one).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        Some(self.entries.remove(i).1)
    }

    /// The pairs whose keys lie in `range`, in key order.
    pub fn range<R: std::ops::RangeBounds<K>>(&self, range: R) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        use std::ops::Bound;
        let start = match range.start_bound() {
            Bound::Included(k) => self.entries.partition_point(|(x, _)| x < k),
            Bound::Excluded(k) => self.entries.partition_point(|(x, _)| x <= k),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(k) => self.entries.partition_point(|(x, _)| x <= k),
            Bound::Excluded(k) => self.entries.partition_point(|(x, _)| x < k),
            Bound::Unbounded => self.entries.len(),
        };
        self.entries.get(start..end.max(start)).unwrap_or_default().iter().map(|(k, v)| (k, v))
    }

    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.find(&key);
        Entry { map: self, at, key }
    }
}

/// A place in a [`VecMap`], filled or not: `BTreeMap::entry`'s answer.
pub struct Entry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    at: Result<usize, usize>,
    key: K,
}

#[allow(missing_docs)]
impl<'a, K, V> Entry<'a, K, V> {
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.map.entries.insert(i, (self.key, make()));
                i
            }
        };
        // `i` is in bounds: it was found, or an entry was just inserted there.
        &mut self.map.entries[i].1
    }

    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    pub fn key(&self) -> &K {
        match self.at {
            Ok(i) => &self.map.entries[i].0,
            Err(_) => &self.key,
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = VecMap::new();
        map.extend(items);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    /// Appends, then sorts once when the new pairs are out of order; of equal keys the last
    /// value wins and the first key stays, as when each pair is inserted.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, items: I) {
        let sorted_before = self.entries.len();
        self.entries.extend(items);
        let in_order = self
            .entries
            .get(sorted_before.saturating_sub(1)..)
            .is_none_or(|new| new.windows(2).all(|w| w[0].0 < w[1].0));
        if in_order {
            return;
        }
        // A stable sort keeps equal keys in insertion order.
        crate::sort::sort_by(&mut self.entries, |a, b| a.0.cmp(&b.0));
        let entries = std::mem::take(&mut self.entries);
        for (k, v) in entries {
            match self.entries.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => self.entries.push((k, v)),
            }
        }
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'a, K, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> (&'a K, &'a mut V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }
}

impl<K: Ord + Borrow<Q>, V, Q: Ord + ?Sized> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;

    /// The value under `key`; out of bounds (a panic) when there is none, as `BTreeMap`'s index.
    fn index(&self, key: &Q) -> &V {
        &self.entries[self.find(key).unwrap_or(usize::MAX)].1
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

#[cfg(feature = "serde")]
impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for VecMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(k, v)| (k, v)))
    }
}

/// An ordered set over a sorted vector, with `BTreeSet`'s answers.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VecSet<T> {
    map: VecMap<T, ()>,
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet { map: VecMap::new() }
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.map.keys()).finish()
    }
}

#[allow(missing_docs)]
impl<T> VecSet<T> {
    pub const fn new() -> Self {
        VecSet { map: VecMap::new() }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The elements in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + Clone {
        self.map.keys()
    }

    pub fn first(&self) -> Option<&T> {
        self.map.first_key_value().map(|(k, _)| k)
    }

    pub fn last(&self) -> Option<&T> {
        self.map.last_key_value().map(|(k, _)| k)
    }
}

#[allow(missing_docs)]
impl<T: Ord> VecSet<T> {
    /// Whether `value` was not there yet.
    pub fn insert(&mut self, value: T) -> bool {
        match self.map.find(&value) {
            Ok(_) => false,
            Err(i) => {
                self.map.entries.insert(i, (value, ()));
                true
            }
        }
    }

    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.contains_key(value)
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.remove(value).is_some()
    }

    pub fn get<Q: Ord + ?Sized>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
    {
        self.map.get_key_value(value).map(|(k, _)| k)
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        VecSet { map: items.into_iter().map(|t| (t, ())).collect() }
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.map.extend(items.into_iter().map(|t| (t, ())));
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(T, ())>, fn((T, ())) -> T>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.entries.into_iter().map(|(t, ())| t)
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (T, ())>, fn(&'a (T, ())) -> &'a T>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.entries.iter().map(|(t, ())| t)
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for VecSet<T> {
    fn from(items: [T; N]) -> Self {
        items.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// A small deterministic generator: the test needs many shapes, not secure randomness.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// Every operation answers as `BTreeMap`'s and `BTreeSet`'s, over keys that repeat often.
    #[test]
    fn answers_as_the_b_tree_does() {
        let mut state = 0x2545_f491_4f6c_dd1d;
        for round in 0..300 {
            let mut map = VecMap::new();
            let mut reference = BTreeMap::new();
            let mut set = VecSet::new();
            let mut reference_set = BTreeSet::new();
            for step in 0..(round % 40) {
                let key = next(&mut state) % 23;
                match next(&mut state) % 6 {
                    0 => assert_eq!(map.remove(&key), reference.remove(&key)),
                    1 => {
                        *map.entry(key).or_insert(7) += step;
                        *reference.entry(key).or_insert(7) += step;
                    }
                    2 => {
                        let batch: Vec<(u64, u64)> =
                            (0..next(&mut state) % 9).map(|i| (next(&mut state) % 23, i)).collect();
                        map.extend(batch.clone());
                        reference.extend(batch.clone());
                        set.extend(batch.iter().map(|p| p.0));
                        reference_set.extend(batch.iter().map(|p| p.0));
                        continue;
                    }
                    3 => assert_eq!(set.remove(&key), reference_set.remove(&key)),
                    _ => {
                        assert_eq!(map.insert(key, step), reference.insert(key, step));
                        assert_eq!(set.insert(key), reference_set.insert(key));
                    }
                }
                if let (Some(v), Some(r)) = (map.get_mut(&key), reference.get_mut(&key)) {
                    *v += 1;
                    *r += 1;
                }
                *reference.entry(key).or_default() += step;
                *map.entry(key).or_default() += step;
            }
            let got: Vec<(u64, u64)> = map.iter().map(|(k, v)| (*k, *v)).collect();
            let expected: Vec<(u64, u64)> = reference.iter().map(|(k, v)| (*k, *v)).collect();
            assert_eq!(got, expected, "round {round}");
            assert!(set.iter().eq(reference_set.iter()), "round {round}");
            for key in 0..23 {
                assert_eq!(map.get(&key), reference.get(&key));
                assert_eq!(map.contains_key(&key), reference.contains_key(&key));
                assert_eq!(set.contains(&key), reference_set.contains(&key));
            }
            let collected: VecMap<u64, u64> = expected.iter().rev().copied().collect();
            let reference_collected: BTreeMap<u64, u64> = expected.iter().rev().copied().collect();
            assert!(collected.iter().eq(reference_collected.iter()));
        }
    }

    #[test]
    fn a_repeated_key_in_one_collect_keeps_its_last_value() {
        let map: VecMap<&str, i32> = [("b", 1), ("a", 2), ("b", 3), ("a", 4)].into_iter().collect();
        assert_eq!(map.iter().collect::<Vec<_>>(), vec![(&"a", &4), (&"b", &3)]);
    }
}
