//! Stable sorting with one copy of the algorithm for the whole crate (`map.rs` sorts with it too).
//!
//! `slice::sort_by` is generic over the element and the comparator, so every call site links
//! its own copy of std's sort: about 3 KB of WebAssembly each, and the browser build had 25 of
//! them. [`sort_by`] sorts positions (`usize`) with the comparator behind `&dyn`, which is one
//! copy, then moves the elements into that order. The result is the one `sort_by` gives: same
//! comparator, same stability (equal elements keep their order).

use std::cmp::Ordering;

/// Sorts `items` as `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = order(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` as `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len`, stably sorted by `compare`: the only instance of std's sort.
fn order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts at each position `k` the element that was at `order[k]`, one cycle of the permutation
/// at a time (a position is marked done by pointing at itself).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut here = start;
        loop {
            let from = order[here];
            order[here] = here;
            if from == start {
                break;
            }
            items.swap(here, from);
            here = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator: the test needs many shapes, not secure randomness.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn same_order_as_std_including_ties() {
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for len in 0..200 {
            // Few distinct keys, so ties are common; the second field tells equal keys apart.
            let items: Vec<(u64, usize)> = (0..len).map(|i| (next(&mut state) % 7, i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|x| std::cmp::Reverse(x.0));
            let mut got = items.clone();
            sort_by(&mut got, |a, b| b.0.cmp(&a.0));
            assert_eq!(got, expected, "length {len}");
            let mut got = items;
            sort_by_key(&mut got, |x| std::cmp::Reverse(x.0));
            assert_eq!(got, expected, "length {len}, by key");
        }
    }
}
