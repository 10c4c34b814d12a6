//! Exact-number helpers for generated values and data files.

use super::*;

/// `n` as an exact number.
pub fn int(n: i64) -> Num {
    Num::from_i64(n)
}

/// `n / 10^k`.
pub fn dec(n: i64, k: u32) -> Num {
    Num::ratio(n, 10i64.pow(k)).unwrap_or_default()
}

/// The smallest integer ≥ `v`.
pub fn ceil(v: &Num) -> Num {
    let r = v.round_to(0);
    if &r < v {
        r.add(&Num::one())
    } else {
        r
    }
}

/// The largest integer ≤ `v`.
pub fn floor(v: &Num) -> Num {
    let r = v.round_to(0);
    if &r > v {
        r.sub(&Num::one())
    } else {
        r
    }
}

/// Whether `v` has a finite decimal expansion of at most 30 fractional digits, so that a data
/// file can carry it.
pub fn is_decimal(v: &Num) -> bool {
    v.round_to(30) == *v
}

/// A decimal rendering that reads back exactly (for data files).
pub fn decimal_text(v: &Num) -> String {
    v.to_decimal_string(30)
}
