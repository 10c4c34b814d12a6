//! Interval arithmetic over doubles that encloses exact rational values: the fast representation
//! of the compiled evaluator's float filter (`batch.rs`).
//!
//! An interval `[lo, hi]` always contains the exact value it stands for; `lo == hi` means the value
//! is exactly `lo`. Each bound is computed to the nearest double and then moved one step outward
//! only when that rounding lost something, which error-free transformations tell exactly (TwoSum
//! for sums, Dekker's product for products and quotients, no fused multiply-add needed), so
//! integers, halves, 80% and their sums stay exact points and compare and round exactly. An
//! operation that cannot keep that promise (a divisor that may be 0, a result beyond `LIMIT` or so
//! small that the error terms would underflow, an interval that straddles a decision) gives `None`:
//! the caller then computes that value with exact arithmetic.

use crate::num::Num;
use crate::syntax::ast::CmpOp;

/// An enclosure `(lo, hi)` of an exact value.
pub(super) type Iv = (f64, f64);

/// Magnitudes above this are left to exact arithmetic (no overflow in any error term).
const LIMIT: f64 = 1e300;
/// Non-zero magnitudes below this are left to exact arithmetic (the error terms of a product
/// would underflow).
const TINY: f64 = 1e-280;
/// 2^53: integers up to this are exact doubles.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// Whether `x` may bound an interval: finite, not too large, not too tiny.
#[inline]
fn sane(x: f64) -> bool {
    let a = x.abs();
    a <= LIMIT && (a >= TINY || a == 0.0)
}

#[inline]
fn checked(iv: Iv) -> Option<Iv> {
    (sane(iv.0) && sane(iv.1)).then_some(iv)
}

/// `a + b` to nearest and its exact error: `a + b == s + e`.
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// Veltkamp's split: `a == hi + lo`, each half with at most 26 significant bits.
#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a;
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a * b` to nearest and its exact error (Dekker): `a * b == p + e`, when nothing underflows.
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

/// The bounds `(down, up)` of a value known to be `s + e` exactly with `|e|` below half an ulp.
#[inline]
fn bounds(s: f64, e: f64) -> (f64, f64) {
    let down = if e < 0.0 { s.next_down() } else { s };
    let up = if e > 0.0 { s.next_up() } else { s };
    (down, up)
}

/// Bounds of the product of two sane doubles; `None` when the error term could underflow.
#[inline]
fn mul_bounds(a: f64, b: f64) -> Option<(f64, f64)> {
    let (p, e) = two_prod(a, b);
    if a != 0.0 && b != 0.0 && p.abs() < TINY {
        return None;
    }
    Some(bounds(p, e))
}

/// Bounds of the quotient of two sane doubles, `b != 0`.
#[inline]
fn div_bounds(a: f64, b: f64) -> Option<(f64, f64)> {
    let q = a / b;
    if a != 0.0 && q.abs() < TINY || !sane(q) {
        return None;
    }
    let (p, e) = two_prod(q, b);
    if q != 0.0 && p.abs() < TINY {
        return None;
    }
    // a - q·b, whose sign tells on which side of q the exact quotient lies: a - p is exact
    // (p is within a few ulps of a), and the sign of a rounded difference is always right.
    let r = (a - p) - e;
    let r = if b < 0.0 { -r } else { r };
    Some(bounds(q, r))
}

/// An exact double.
#[inline]
pub(super) fn point(x: f64) -> Iv {
    (x, x)
}

pub(super) fn is_point(a: Iv) -> bool {
    a.0 == a.1
}

/// The enclosure of a value whose nearest double is `lo` (resp. `hi`), one step outward: the
/// rounding error is at most half a step, even across a power of two or in the subnormals.
#[inline]
fn widen(lo: f64, hi: f64) -> Option<Iv> {
    checked((lo.next_down(), hi.next_up()))
}

#[inline]
pub(super) fn add(a: Iv, b: Iv) -> Option<Iv> {
    if !(is_point(a) && is_point(b)) {
        // Not a point anyway: no need to find out whether the rounding was exact.
        return widen(a.0 + b.0, a.1 + b.1);
    }
    let (s, e) = two_sum(a.0, b.0);
    checked(bounds(s, e))
}

#[inline]
pub(super) fn neg(a: Iv) -> Iv {
    (-a.1, -a.0)
}

#[inline]
pub(super) fn sub(a: Iv, b: Iv) -> Option<Iv> {
    add(a, neg(b))
}

#[inline]
pub(super) fn mul(a: Iv, b: Iv) -> Option<Iv> {
    if is_point(a) && is_point(b) {
        return checked(mul_bounds(a.0, b.0)?);
    }
    if a.0 >= 0.0 && b.0 >= 0.0 {
        return widen(a.0 * b.0, a.1 * b.1);
    }
    let (p1, p2, p3, p4) = (a.0 * b.0, a.0 * b.1, a.1 * b.0, a.1 * b.1);
    widen(p1.min(p2).min(p3).min(p4), p1.max(p2).max(p3).max(p4))
}

/// `a / b`; `None` when `b` may be 0 (the exact path reports the division by zero).
#[inline]
pub(super) fn div(a: Iv, b: Iv) -> Option<Iv> {
    if !(b.0 > 0.0 || b.1 < 0.0) {
        return None;
    }
    if is_point(a) && is_point(b) {
        return checked(div_bounds(a.0, b.0)?);
    }
    if a.0 >= 0.0 && b.0 > 0.0 {
        return widen(a.0 / b.1, a.1 / b.0);
    }
    let (q1, q2, q3, q4) = (a.0 / b.0, a.0 / b.1, a.1 / b.0, a.1 / b.1);
    widen(q1.min(q2).min(q3).min(q4), q1.max(q2).max(q3).max(q4))
}

#[inline]
pub(super) fn abs(a: Iv) -> Iv {
    if a.0 >= 0.0 {
        a
    } else if a.1 <= 0.0 {
        neg(a)
    } else {
        (0.0, (-a.0).max(a.1))
    }
}

#[inline]
pub(super) fn min(a: Iv, b: Iv) -> Iv {
    (a.0.min(b.0), a.1.min(b.1))
}

#[inline]
pub(super) fn max(a: Iv, b: Iv) -> Iv {
    (a.0.max(b.0), a.1.max(b.1))
}

/// The comparison of the exact values, when the intervals decide it.
#[inline]
pub(super) fn cmp(op: CmpOp, a: Iv, b: Iv) -> Option<bool> {
    let lt = if a.1 < b.0 {
        Some(true)
    } else if a.0 >= b.1 {
        Some(false)
    } else {
        None
    };
    let le = if a.1 <= b.0 {
        Some(true)
    } else if a.0 > b.1 {
        Some(false)
    } else {
        None
    };
    match op {
        CmpOp::Lt => lt,
        CmpOp::Le => le,
        CmpOp::Gt => le.map(|x| !x),
        CmpOp::Ge => lt.map(|x| !x),
        CmpOp::Eq | CmpOp::Ne => {
            let eq = if is_point(a) && is_point(b) && a.0 == b.0 {
                Some(true)
            } else if a.1 < b.0 || b.1 < a.0 {
                Some(false)
            } else {
                None
            };
            if op == CmpOp::Eq {
                eq
            } else {
                eq.map(|x| !x)
            }
        }
    }
}

/// How `p / q` compares with `n / d` (`d > 0`), exactly, when `p` and `q` are exact integers
/// (points of at most 53 bits) and `q != 0`: by cross-multiplying in `i128`.
pub(super) fn ratio_cmp(p: Iv, q: Iv, n: i128, d: i128) -> Option<std::cmp::Ordering> {
    let int = |x: Iv| -> Option<i128> {
        (is_point(x) && x.0.abs() <= EXACT_INT && x.0 == (x.0 as i64) as f64).then_some(x.0 as i64 as i128)
    };
    let (p, q) = (int(p)?, int(q)?);
    if q == 0 || d <= 0 {
        return None;
    }
    // p/q ? n/d  ⇔  p·d ? n·q, the order reversed when q < 0.
    let (left, right) = (p.checked_mul(d)?, n.checked_mul(q)?);
    let o = left.cmp(&right);
    Some(if q < 0 { o.reverse() } else { o })
}

/// 10^d as an exact double (d ≤ 22).
fn pow10(d: u32) -> Option<f64> {
    (d <= 22).then(|| 10f64.powi(d as i32))
}

/// The integer `k` such that the exact value, rounded half away from zero to `digits` decimals,
/// is `k / 10^digits`; `None` when the interval straddles a rounding boundary or is too wide.
pub(super) fn rounded(a: Iv, digits: u32) -> Option<i64> {
    let p = point(pow10(digits)?);
    let scaled = mul(a, p)?;
    // Half-away rounding is monotone, so both ends rounding alike decides every value between.
    if scaled.0.abs() >= EXACT_INT / 2.0 || scaled.1.abs() >= EXACT_INT / 2.0 {
        return None;
    }
    let (k, k_hi) = (round_half_away(scaled.0), round_half_away(scaled.1));
    (k == k_hi).then_some(k)
}

/// `x` rounded half away from zero, `|x| < 2^51` (without the libm call `f64::round` is on
/// baseline x86-64): the truncation and the remainder are exact there.
#[inline]
fn round_half_away(x: f64) -> i64 {
    let t = x as i64;
    let rest = x - t as f64;
    if rest >= 0.5 {
        t + 1
    } else if rest <= -0.5 {
        t - 1
    } else {
        t
    }
}

/// `round(a, digits)` as `Num::round_to` does it.
pub(super) fn round_to(a: Iv, digits: u32) -> Option<Iv> {
    let k = rounded(a, digits)?;
    div(point(k as f64), point(pow10(digits)?))
}

/// The enclosure of `m / 10^scale`, a data value.
#[inline]
pub(super) fn decimal(m: i64, scale: u32) -> Option<Iv> {
    // Checked on the integer: converting first would round 2^53 + 1 to an exact-looking 2^53.
    if m.unsigned_abs() > 1 << 53 {
        return None;
    }
    let x = m as f64;
    if scale == 0 {
        return checked(point(x));
    }
    div(point(x), point(pow10(scale)?))
}

/// The enclosure of an exact number.
pub(super) fn of_num(n: &Num) -> Option<Iv> {
    if let Some((n, d)) = n.small_parts() {
        if n.unsigned_abs() <= 1 << 53 && d.unsigned_abs() <= 1 << 53 {
            return div(point(n as f64), point(d as f64));
        }
    }
    // Correctly rounded or nearly so: three steps each way is more than the error.
    let f = n.to_f64();
    if !f.is_finite() {
        return None;
    }
    checked((f.next_down().next_down().next_down(), f.next_up().next_up().next_up()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Num {
        Num::parse_decimal(text).unwrap()
    }

    fn iv(text: &str) -> Iv {
        of_num(&n(text)).unwrap()
    }

    /// Whether the enclosure holds the exact value.
    fn holds(a: Iv, x: &Num) -> bool {
        let (lo, hi) = (Num::from_f64_exact(a.0).unwrap(), Num::from_f64_exact(a.1).unwrap());
        lo <= *x && *x <= hi
    }

    #[test]
    fn points_stay_points_where_exact() {
        assert_eq!(iv("80%".trim_end_matches('%')), point(80.0));
        assert_eq!(add(point(0.5), point(0.25)), Some(point(0.75)));
        assert_eq!(mul(point(6.0), point(1.0)), Some(point(6.0)));
        assert_eq!(div(point(1.0), point(2.0)), Some(point(0.5)));
        assert_eq!(sub(point(100.0), point(20.0)), Some(point(80.0)));
        assert_eq!(decimal(80, 2), Some(iv("0.8")));
        assert!(!is_point(iv("0.8")));
        assert!(is_point(iv("0.5")));
    }

    #[test]
    fn adversarial_values_are_enclosed_and_decided_right() {
        // 0.1 + 0.2 vs 0.3: the exact sum is 0.3; the comparison is left undecided, not wrong.
        let s = add(iv("0.1"), iv("0.2")).unwrap();
        assert!(holds(s, &n("0.3")));
        assert_eq!(cmp(CmpOp::Eq, s, iv("0.3")), None);
        assert_eq!(cmp(CmpOp::Lt, s, iv("0.31")), Some(true));
        // 1/3 * 3: the exact product is 1.
        let third = div(point(1.0), point(3.0)).unwrap();
        let one = mul(third, point(3.0)).unwrap();
        assert!(holds(one, &Num::one()));
        assert_eq!(cmp(CmpOp::Ge, one, point(1.0)), None);
        // 80% of data on `>= 80%`: 80/100 against the literal 0.8, the same exact value.
        let r = div(point(80.0), point(100.0)).unwrap();
        assert!(holds(r, &n("0.8")));
        assert_eq!(cmp(CmpOp::Ge, r, iv("0.8")), None);
        assert_eq!(cmp(CmpOp::Ge, point(80.0), point(80.0)), Some(true));
        assert_eq!(cmp(CmpOp::Ge, r, iv("0.79")), Some(true));
        // 2^53 + 1 is not a double: its enclosure holds it.
        let big = n("9007199254740993");
        let b = of_num(&big).unwrap();
        assert!(holds(b, &big) && !is_point(b));
        assert_eq!(decimal(9_007_199_254_740_993, 0), None);
        let sum = add(point(9_007_199_254_740_992.0), point(1.0)).unwrap();
        assert!(holds(sum, &big) && !is_point(sum));
        // Huge, tiny and zero divisors are left to exact arithmetic.
        assert_eq!(mul(point(1e200), point(1e200)), None);
        assert_eq!(mul(point(1e-200), point(1e-200)), None);
        assert_eq!(div(point(1.0), (-1.0, 1.0)), None);
        assert_eq!(div(point(1.0), point(0.0)), None);
    }

    #[test]
    fn ratios_at_a_threshold_compare_exactly() {
        use std::cmp::Ordering::*;
        assert_eq!(ratio_cmp(point(80.0), point(100.0), 4, 5), Some(Equal));
        assert_eq!(ratio_cmp(point(79999.0), point(100000.0), 4, 5), Some(Less));
        assert_eq!(ratio_cmp(point(-4.0), point(-5.0), 4, 5), Some(Equal));
        assert_eq!(ratio_cmp(point(4.0), point(-5.0), 4, 5), Some(Less));
        assert_eq!(ratio_cmp(point(0.5), point(1.0), 1, 2), None);
        assert_eq!(ratio_cmp(point(1.0), point(0.0), 1, 2), None);
        assert_eq!(ratio_cmp((1.0, 2.0), point(3.0), 1, 2), None);
    }

    #[test]
    fn rounding_is_exact_or_refused() {
        // Exact ties round half away from zero, as Num does.
        assert_eq!(rounded(point(0.125), 2), Some(13));
        assert_eq!(rounded(point(-0.125), 2), Some(-13));
        assert_eq!(rounded(point(2.5), 0), Some(3));
        // 2.345 is not a double: its enclosure straddles the tie, so the exact path decides.
        assert_eq!(rounded(iv("2.345"), 2), None);
        assert_eq!(rounded(iv("2.3449"), 2), Some(234));
        assert_eq!(round_to(iv("6.031"), 2), Some(iv("6.03")));
        assert_eq!(rounded(point(1e300), 2), None);
    }

    #[test]
    fn exact_doubles_convert_exactly() {
        for x in [0.1, -2.5, 1e-300, 5e-324, 1.7e308, 3.0] {
            assert_eq!(Num::from_f64_exact(x).unwrap().to_f64(), x);
        }
        assert_eq!(Num::from_f64_exact(0.5).unwrap(), n("0.5"));
    }
}
