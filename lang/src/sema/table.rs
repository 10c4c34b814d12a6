//! [`Table`]: the declarations of a rulebook by name (units, agencies, indicators, pillars,
//! sections, functions, targets, tasks), as a vector sorted by name.
//!
//! A table is filled once by the checker and then only looked up and walked in name order, which
//! is what a `BTreeMap` gave. It is the crate's sorted-vector map (`map.rs`): each
//! `BTreeMap<String, V>` linked its own copy of the tree's insert, search, walk and drop for its
//! value type; a sorted vector's are a binary search and a slice walk, and a roster of 100,000
//! units given at once (`extend`) is sorted once.

/// A map from names to `V`, in name order.
pub type Table<V> = crate::map::VecMap<String, V>;

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
                at_once.extend(items);
                assert_eq!(at_once, one_by_one, "round {round}, batch {batch}");
            }
        }
    }
}
