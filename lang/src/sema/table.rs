//! [`Table`]: the declarations of a rulebook by name (units, agencies, indicators, pillars,
//! sections, functions, targets, tasks), as a vector sorted by name.
//!
//! A table is filled once by the checker and then only looked up and walked in name order, which
//! is what a `BTreeMap` gave. Each `BTreeMap<String, V>` links its own copy of the tree's insert,
//! search, walk and drop for its value type (about 92 KB of the browser module for the crate's
//! maps); a sorted vector's are a binary search and a slice walk. Order, answers and API (the part
//! the crate uses) are the map's.

use std::borrow::Borrow;

/// A map from names to `V`, in name order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Table<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table { entries: Vec::new() }
    }
}

/// An entry of a [`Table`], as [`Table::iter`] gives it.
pub type Entry<'a, V> = (&'a String, &'a V);

/// How [`Table::iter`] walks: the slice's pairs as the map's `(&name, &value)`.
pub type Iter<'a, V> = std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&(String, V)) -> Entry<'_, V>>;

fn pair<V>((k, v): &(String, V)) -> Entry<'_, V> {
    (k, v)
}

impl<V> Table<V> {
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    /// The value of `name`.
    pub fn get<Q: Borrow<str> + ?Sized>(&self, name: &Q) -> Option<&V> {
        self.find(name.borrow()).ok().and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    /// The value of `name`, to change.
    pub fn get_mut<Q: Borrow<str> + ?Sized>(&mut self, name: &Q) -> Option<&mut V> {
        let i = self.find(name.borrow()).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// Whether `name` has a value.
    pub fn contains_key<Q: Borrow<str> + ?Sized>(&self, name: &Q) -> bool {
        self.find(name.borrow()).is_ok()
    }

    /// Sets the value of `name`; the value it had, if any.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.find(&name) {
            Ok(i) => self.entries.get_mut(i).map(|slot| std::mem::replace(&mut slot.1, value)),
            Err(i) => {
                self.entries.insert(i, (name, value));
                None
            }
        }
    }

    /// Inserts every pair as [`Self::insert`] would one by one (a later value for a name replaces
    /// an earlier one), with one sort and one merge: one insert costs a shift of the entries
    /// after it, so a roster of 100,000 units inserted one by one took seconds.
    pub fn insert_all(&mut self, mut items: Vec<(String, V)>) {
        use std::cmp::Ordering;
        crate::sort::sort_by(&mut items, |a, b| a.0.cmp(&b.0));
        let old = std::mem::take(&mut self.entries);
        let mut merged: Vec<(String, V)> = Vec::with_capacity(old.len() + items.len());
        let (mut old, mut new) = (old.into_iter().peekable(), items.into_iter().peekable());
        loop {
            let order = match (old.peek(), new.peek()) {
                (Some(a), Some(b)) => a.0.cmp(&b.0),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            if order == Ordering::Equal {
                old.next();
            }
            let next = if order == Ordering::Less { old.next() } else { new.next() };
            let Some((name, value)) = next else { break };
            // Equal names among the new ones: the sort kept their order, the last one stays.
            match merged.last_mut() {
                Some(last) if last.0 == name => last.1 = value,
                _ => merged.push((name, value)),
            }
        }
        self.entries = merged;
    }

    /// The names and values in name order.
    pub fn iter(&self) -> Iter<'_, V> {
        self.entries.iter().map(pair)
    }

    /// The names and values in name order, the values to change.
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&String, &mut V)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The names in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in name order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// How many names have a value.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no name has a value.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'a, V> IntoIterator for &'a Table<V> {
    type Item = Entry<'a, V>;
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<V> FromIterator<(String, V)> for Table<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(items: I) -> Self {
        let mut table = Table::default();
        table.extend(items);
        table
    }
}

impl<V> Extend<(String, V)> for Table<V> {
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, items: I) {
        self.insert_all(items.into_iter().collect());
    }
}

impl<V> IntoIterator for Table<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Any sequence of inserts leaves the table answering and walking as a `BTreeMap` would.
    #[test]
    fn answers_and_walks_as_a_btreemap() {
        let mut table = Table::default();
        let mut map = BTreeMap::new();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for step in 0..2_000u32 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let key = format!("k{}", (seed >> 40) % 300);
            assert_eq!(table.insert(key.clone(), step), map.insert(key.clone(), step));
            assert_eq!(table.get(&key), map.get(&key));
            assert_eq!(table.len(), map.len());
        }
        assert!(table.iter().eq(map.iter()));
        assert!(table.keys().eq(map.keys()));
        assert!(table.values().eq(map.values()));
        assert_eq!(table.contains_key("k7"), map.contains_key("k7"));
        assert_eq!(table.get("absent"), None);
        assert!(table.clone().into_iter().map(|(k, _)| k).eq(table.keys().cloned()));
    }

    /// Inserting many at once leaves what inserting them one by one leaves, names repeated
    /// among them and already in the table included.
    #[test]
    fn inserting_all_at_once_is_inserting_one_by_one() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for round in 0..200u32 {
            let (mut at_once, mut one_by_one) = (Table::default(), Table::default());
            for batch in 0..3 {
                let mut items = Vec::new();
                for step in 0..(round % 40) {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    items.push((format!("k{}", (seed >> 40) % 25), (batch, step)));
                }
                for (k, v) in items.clone() {
                    one_by_one.insert(k, v);
                }
                at_once.insert_all(items);
                assert_eq!(at_once, one_by_one, "round {round}, batch {batch}");
            }
        }
    }
}
