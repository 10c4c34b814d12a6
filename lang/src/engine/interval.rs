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
//!
//! The operations are written once, as the [`lane`] kernels a register program's loop runs for
//! each unit of a batch (the functions above them wrap one lane in an `Option`): no branch and no
//! `Option` per lane, the outward step taken on the bits, so the loops run straight and the
//! compiler vectorises them. The tests hold them to the branching kernels they replaced (same
//! enclosures, same lanes flagged) and to exact arithmetic.

use crate::num::Num;
use crate::syntax::ast::CmpOp;

/// An enclosure `(lo, hi)` of an exact value.
pub(super) type Iv = (f64, f64);

/// Magnitudes above this are left to exact arithmetic (no overflow in any error term).
pub(super) const LIMIT: f64 = 1e300;
/// Non-zero magnitudes below this are left to exact arithmetic (the error terms of a product
/// would underflow).
pub(super) const TINY: f64 = 1e-280;
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
#[cfg(not(target_feature = "fma"))]
#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a;
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a * b` to nearest and its exact error (Dekker): `a * b == p + e`, when nothing underflows.
#[cfg(not(target_feature = "fma"))]
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

/// [`two_prod`] where the processor has a fused multiply-add (a build for it, e.g. `-C
/// target-cpu=native`): `a * b - p` rounded once is the exact error.
#[cfg(target_feature = "fma")]
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// An exact double.
#[inline]
pub(super) fn point(x: f64) -> Iv {
    (x, x)
}

pub(super) fn is_point(a: Iv) -> bool {
    a.0 == a.1
}

/// `a + b`.
#[inline]
pub(super) fn add(a: Iv, b: Iv) -> Option<Iv> {
    some(lane::add(a.0, a.1, b.0, b.1))
}

#[inline(always)]
fn some((lo, hi, fine): lane::Lane) -> Option<Iv> {
    fine.then_some((lo, hi))
}

#[inline]
pub(super) fn neg(a: Iv) -> Iv {
    (-a.1, -a.0)
}

/// `a - b`.
#[inline]
pub(super) fn sub(a: Iv, b: Iv) -> Option<Iv> {
    add(a, neg(b))
}

/// `a * b`.
#[inline]
pub(super) fn mul(a: Iv, b: Iv) -> Option<Iv> {
    some(lane::mul(a.0, a.1, b.0, b.1))
}

/// `a / b`; `None` when `b` may be 0 (the exact path reports the division by zero).
#[inline]
pub(super) fn div(a: Iv, b: Iv) -> Option<Iv> {
    some(lane::div(a.0, a.1, b.0, b.1))
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
    let (x, decided) = lane::cmp(op, a.0, a.1, b.0, b.1);
    decided.then_some(x)
}

/// The value of `x` when it is a whole number of at most 53 bits (exactly that integer).
pub(super) fn whole(x: Iv) -> Option<i64> {
    (is_point(x) && x.0.abs() <= EXACT_INT && x.0 == (x.0 as i64) as f64).then_some(x.0 as i64)
}

/// How `p / q` compares with `n / d` (`d > 0`), exactly, when `p` and `q` are exact integers
/// (points of at most 53 bits) and `q != 0`: by cross-multiplying in `i128`.
pub(super) fn ratio_cmp(p: Iv, q: Iv, n: i128, d: i128) -> Option<std::cmp::Ordering> {
    let (p, q) = (i128::from(whole(p)?), i128::from(whole(q)?));
    if q == 0 || d <= 0 {
        return None;
    }
    // p/q ? n/d  ⇔  p·d ? n·q, the order reversed when q < 0.
    let (left, right) = (p.checked_mul(d)?, n.checked_mul(q)?);
    let o = left.cmp(&right);
    Some(if q < 0 { o.reverse() } else { o })
}

/// 10^d for d ≤ 22, each an exact double.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// 10^d as an exact double (d ≤ 22).
#[inline]
pub(super) fn pow10(d: u32) -> Option<f64> {
    POW10.get(d as usize).copied()
}

/// The integer `k` such that the exact value, rounded half away from zero to `digits` decimals,
/// is `k / 10^digits`; `None` when the interval straddles a rounding boundary or is too wide.
#[inline]
pub(super) fn rounded(a: Iv, digits: u32) -> Option<i64> {
    let p = pow10(digits)?;
    // First the plain products stepped outward (without the error-free product): they enclose the
    // exact ends' products, so where both round alike, so does everything between. Most numbers
    // are decided there; the rest (a product at or near a half) take the kernel below, whose
    // error-free product of a point may still decide. (Native only: the browser's module stays
    // under its size goal without it.)
    #[cfg(not(target_family = "wasm"))]
    if let Some(k) = rounded_plainly(a, p) {
        return Some(k);
    }
    // The kernel that selects rather than branches: the numbers of a scorecard are points and
    // intervals in no order a predictor learns.
    let (lo, hi, fine) = lane::mul(a.0, a.1, p, p);
    fine.then(|| rounded_alike(lo, hi)).flatten()
}

/// The integer both `lo` and `hi` round to, half away from zero, when they round alike (and lie
/// where that rounding is exact): half-away rounding is monotone, so every value between rounds
/// to it too. `None` for a NaN end.
#[inline]
fn rounded_alike(lo: f64, hi: f64) -> Option<i64> {
    if lo.abs() < EXACT_INT / 2.0 && hi.abs() < EXACT_INT / 2.0 {
        let k = round_half_away(lo);
        // One conversion to an integer, where both ends round alike (a saturating `as` is a
        // handful of instructions, and this runs for every number written).
        return (k == round_half_away(hi)).then_some(k as i64);
    }
    None
}

/// [`rounded`] from the plain products of the ends and `p`, stepped outward (an end at 0 is
/// exact: a step there would give NaN, which fails the range check), when both round alike.
#[cfg(not(target_family = "wasm"))]
#[inline]
fn rounded_plainly(a: Iv, p: f64) -> Option<i64> {
    let l = if a.0 == 0.0 { 0.0 } else { lane::down_if(a.0 * p, true) };
    let h = if a.1 == 0.0 { 0.0 } else { lane::up_if(a.1 * p, true) };
    rounded_alike(l, h)
}

/// `x` rounded half away from zero to an integer (a double), `|x| < 2^52` (without the libm call
/// `f64::round` is on baseline x86-64): adding and taking away `2^52` (of `x`'s sign) rounds to
/// the nearest integer, ties to even, and the remainder, exact there, tells the ties that go
/// the other way. Without branches: the remainder of a score is as good as random, and a
/// mispredicted branch costs more than the rest.
#[inline(always)]
fn round_half_away(x: f64) -> f64 {
    let m = (EXACT_INT / 2.0).copysign(x);
    let r = (x + m) - m;
    let rest = x - r;
    let away = ((rest == 0.5) & (x > 0.0)) | ((rest == -0.5) & (x < 0.0));
    r + if away { 1.0f64.copysign(x) } else { 0.0 }
}

/// `round(a, digits)` as `Num::round_to` does it.
pub(super) fn round_to(a: Iv, digits: u32) -> Option<Iv> {
    let k = rounded(a, digits)?;
    div(point(k as f64), point(pow10(digits)?))
}

/// The enclosure of `m / 10^scale`, a data value (the register programs read a column's cells
/// with [`decimal_over`], its power of ten looked up once).
#[cfg(test)]
fn decimal(m: i64, scale: u32) -> Option<Iv> {
    // Checked on the integer: converting first would round 2^53 + 1 to an exact-looking 2^53.
    if m.unsigned_abs() > 1 << 53 {
        return None;
    }
    if scale == 0 {
        return checked(point(m as f64));
    }
    decimal_over(m, pow10(scale)?)
}

/// [`decimal`] of a mantissa over `ten`, a power of ten from [`pow10`] (looked up once for a
/// column's cells, not once a cell).
#[inline]
pub(super) fn decimal_over(m: i64, ten: f64) -> Option<Iv> {
    if m.unsigned_abs() > 1 << 53 {
        return None;
    }
    some(lane::div_points(m as f64, ten))
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

/// The kernels the register programs run lane by lane (`batch.rs`): the operations above on the
/// bounds of one lane, giving the enclosure and whether it holds (`false` where the operation
/// above gives `None`), without branches, so a batch's loop runs straight and vectorises. Where
/// the flag is `true` the bounds are exactly the operation's above (the tests compare them); where
/// it is `false` they are anything (flagged lanes are never read).
pub(super) mod lane {
    use super::{two_prod, two_sum, LIMIT, TINY};
    use crate::syntax::ast::CmpOp;

    /// An enclosure and whether it holds.
    pub(in crate::engine) type Lane = (f64, f64, bool);

    /// [`super::sane`], without short-circuits.
    #[inline(always)]
    pub(in crate::engine) fn sane(x: f64) -> bool {
        let a = x.abs();
        (a <= LIMIT) & ((a >= TINY) | (a == 0.0))
    }

    /// `x.next_up()` when `step`, else `x`, by moving the bits: the same double wherever the
    /// result is sane (at ±0, ±∞ and NaN the result may differ, but is never sane, as
    /// `next_up`'s is not there either).
    #[inline(always)]
    pub(in crate::engine) fn up_if(x: f64, step: bool) -> f64 {
        // Up is one more for a positive double's bits, one less for a negative one's: without a
        // select on the sign (a 64-bit comparison, which baseline x86-64 lacks in its vector
        // instructions), so the kernels that call this vectorise.
        let (b, d) = (x.to_bits(), u64::from(step));
        let negative = (b >> 63) & d;
        f64::from_bits(b.wrapping_add(d).wrapping_sub(negative << 1))
    }

    /// `x.next_down()` when `step`, else `x` (as [`up_if`]).
    #[inline(always)]
    pub(in crate::engine) fn down_if(x: f64, step: bool) -> f64 {
        let (b, d) = (x.to_bits(), u64::from(step));
        let negative = (b >> 63) & d;
        f64::from_bits(b.wrapping_sub(d).wrapping_add(negative << 1))
    }

    #[inline(always)]
    fn done(lo: f64, hi: f64, ok: bool) -> Lane {
        (lo, hi, ok & sane(lo) & sane(hi))
    }

    /// `a < b` and whether the enclosures decide it ([`super::cmp`]).
    #[inline(always)]
    pub(in crate::engine) fn lt(al: f64, ah: f64, bl: f64, bh: f64) -> (bool, bool) {
        (ah < bl, (ah < bl) | (al >= bh))
    }

    /// `a <= b` and whether the enclosures decide it.
    #[inline(always)]
    pub(in crate::engine) fn le(al: f64, ah: f64, bl: f64, bh: f64) -> (bool, bool) {
        (ah <= bl, (ah <= bl) | (al > bh))
    }

    /// `a op b` and whether the enclosures decide it ([`super::cmp`]); `op` is matched outside
    /// a batch's loop when this is inlined into it with a constant `op`.
    #[inline(always)]
    pub(in crate::engine) fn cmp(op: CmpOp, al: f64, ah: f64, bl: f64, bh: f64) -> (bool, bool) {
        let not = |(x, decided): (bool, bool)| (!x, decided);
        match op {
            CmpOp::Lt => lt(al, ah, bl, bh),
            CmpOp::Le => le(al, ah, bl, bh),
            CmpOp::Gt => not(le(al, ah, bl, bh)),
            CmpOp::Ge => not(lt(al, ah, bl, bh)),
            CmpOp::Eq => eq(al, ah, bl, bh),
            CmpOp::Ne => not(eq(al, ah, bl, bh)),
        }
    }

    /// `a == b` and whether the enclosures decide it.
    #[inline(always)]
    pub(in crate::engine) fn eq(al: f64, ah: f64, bl: f64, bh: f64) -> (bool, bool) {
        let same = (al == ah) & (bl == bh) & (al == bl);
        (same, same | (ah < bl) | (bh < al))
    }

    /// [`super::add`].
    #[inline(always)]
    pub(in crate::engine) fn add(al: f64, ah: f64, bl: f64, bh: f64) -> Lane {
        let points = (al == ah) & (bl == bh);
        // For points, the rounding of the one sum tells whether to step; otherwise always step.
        let (s, e) = two_sum(al, bl);
        let hi = ah + bh;
        done(down_if(s, !points | (e < 0.0)), up_if(hi, !points | (e > 0.0)), true)
    }

    /// [`super::sub`].
    #[inline(always)]
    pub(in crate::engine) fn sub(al: f64, ah: f64, bl: f64, bh: f64) -> Lane {
        add(al, ah, -bh, -bl)
    }

    /// [`super::mul`].
    #[inline(always)]
    pub(in crate::engine) fn mul(al: f64, ah: f64, bl: f64, bh: f64) -> Lane {
        let points = (al == ah) & (bl == bh);
        let (p, w) = (mul_points(al, bl), mul_intervals(al, ah, bl, bh));
        if points {
            p
        } else {
            w
        }
    }

    /// [`super::mul`] of two enclosures that are not both points.
    #[inline(always)]
    pub(in crate::engine) fn mul_intervals(al: f64, ah: f64, bl: f64, bh: f64) -> Lane {
        // Rounding is monotone, so the least and greatest rounded corner products are the
        // rounded least and greatest exact ones (for two non-negative intervals, `al·bl` and
        // `ah·bh`, as the branching kernel took them).
        let (p1, p2, p3, p4) = (al * bl, al * bh, ah * bl, ah * bh);
        let (lo, hi) = (p1.min(p2).min(p3).min(p4), p1.max(p2).max(p3).max(p4));
        done(down_if(lo, true), up_if(hi, true), true)
    }

    /// [`super::mul`] of two points.
    #[inline(always)]
    pub(in crate::engine) fn mul_points(a: f64, b: f64) -> Lane {
        let (p, e) = two_prod(a, b);
        let underflow = (a != 0.0) & (b != 0.0) & (p.abs() < TINY);
        done(down_if(p, e < 0.0), up_if(p, e > 0.0), !underflow)
    }

    /// [`super::div`] of two points.
    #[inline(always)]
    pub(in crate::engine) fn div_points(a: f64, b: f64) -> Lane {
        let q = a / b;
        let (p, e) = two_prod(q, b);
        let fine = (b != 0.0) & !((a != 0.0) & (q.abs() < TINY)) & sane(q) & !((q != 0.0) & (p.abs() < TINY));
        // a - q·b, whose sign tells on which side of q the exact quotient lies (`div_bounds`).
        let r = (a - p) - e;
        let r = if b < 0.0 { -r } else { r };
        done(down_if(q, r < 0.0), up_if(q, r > 0.0), fine)
    }

    /// [`super::div`].
    #[inline(always)]
    pub(in crate::engine) fn div(al: f64, ah: f64, bl: f64, bh: f64) -> Lane {
        let points = (al == ah) & (bl == bh);
        let (p, w) = (div_points(al, bl), div_intervals(al, ah, bl, bh));
        if points {
            p
        } else {
            w
        }
    }

    /// [`super::div`] of two enclosures that are not both points.
    #[inline(always)]
    pub(in crate::engine) fn div_intervals(al: f64, ah: f64, bl: f64, bh: f64) -> Lane {
        let nonzero = (bl > 0.0) | (bh < 0.0);
        // As for `mul_intervals`: the rounded extreme corner quotients (`al/bh` and `ah/bl` for
        // a non-negative dividend and a positive divisor).
        let (q1, q2, q3, q4) = (al / bl, al / bh, ah / bl, ah / bh);
        let (lo, hi) = (q1.min(q2).min(q3).min(q4), q1.max(q2).max(q3).max(q4));
        done(down_if(lo, true), up_if(hi, true), nonzero)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The kernels as they were before the lane kernels replaced them (branches and `Option`s,
    /// `next_up`/`next_down` from std): the lane kernels must give the same enclosures, and flag
    /// the same lanes.
    mod reference {
        use super::super::{is_point, neg, sane, two_prod, two_sum, EXACT_INT, TINY};
        use super::{CmpOp, Iv};

        fn checked(iv: Iv) -> Option<Iv> {
            (sane(iv.0) && sane(iv.1)).then_some(iv)
        }

        pub(super) fn rounded(a: Iv, digits: u32) -> Option<i64> {
            let p = 10f64.powi(digits as i32);
            let scaled = mul(a, (p, p))?;
            if scaled.0.abs() >= EXACT_INT / 2.0 || scaled.1.abs() >= EXACT_INT / 2.0 {
                return None;
            }
            let (k, k_hi) = (scaled.0.round() as i64, scaled.1.round() as i64);
            (k == k_hi).then_some(k)
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
    }

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
        // An end at exactly 0 is exact (natively; the browser's module takes only the kernel,
        // whose outward step from 0 leaves such an enclosure to the exact path).
        #[cfg(not(target_family = "wasm"))]
        {
            assert_eq!(rounded((0.0, 1e-140), 2), Some(0));
            assert_eq!(rounded((-1e-140, 0.0), 10), Some(0));
            assert_eq!(rounded((0.0, 0.005), 2), None);
        }
    }

    #[test]
    fn exact_doubles_convert_exactly() {
        for x in [0.1, -2.5, 1e-300, 5e-324, 1.7e308, 3.0] {
            assert_eq!(Num::from_f64_exact(x).unwrap().to_f64(), x);
        }
        assert_eq!(Num::from_f64_exact(0.5).unwrap(), n("0.5"));
    }

    /// A double of every kind the filter meets: small integers, decimals, values near the
    /// limits (`LIMIT`, `TINY`, 2^53), zeros of both signs, anything sane.
    fn double() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-2000i64..2000).prop_map(|x| x as f64),
            (-2000i64..2000, 0u32..6).prop_map(|(m, s)| m as f64 / 10f64.powi(s as i32)),
            prop::sample::select(vec![
                0.0,
                -0.0,
                1.0,
                -1.0,
                0.1,
                0.8,
                1e300,
                -1e300,
                1e300f64.next_down(),
                1e-280,
                -1e-280,
                1e-280f64.next_up(),
                9_007_199_254_740_992.0,
                9_007_199_254_740_994.0,
                4_503_599_627_370_495.5,
                1e150,
                1e-140,
                3.0,
                7.0,
            ]),
            any::<u64>().prop_map(f64::from_bits).prop_filter("sane", |x| sane(*x)),
            (any::<i32>(), -40i32..40).prop_map(|(m, e)| f64::from(m) * 2f64.powi(e)),
        ]
    }

    /// An enclosure: a point, a point a few steps wide, or two doubles in order.
    fn enclosure() -> impl Strategy<Value = Iv> {
        prop_oneof![
            double().prop_map(point),
            (double(), 1u32..4).prop_map(|(x, k)| {
                let mut h = x;
                for _ in 0..k {
                    h = h.next_up();
                }
                (x, h)
            }),
            (double(), double()).prop_map(|(x, y)| (x.min(y), x.max(y))),
        ]
        .prop_filter("sane bounds", |(l, h)| sane(*l) && sane(*h))
    }

    fn same(x: Option<Iv>, y: Option<Iv>) -> bool {
        match (x, y) {
            (Some(a), Some(b)) => a.0.to_bits() == b.0.to_bits() && a.1.to_bits() == b.1.to_bits(),
            (None, None) => true,
            _ => false,
        }
    }

    /// Whether `r` holds `f` of every corner (for these operations the extremes over two
    /// intervals, the divisor not holding 0, are at corners), computed exactly.
    fn holds_corners(r: Iv, a: Iv, b: Iv, f: impl Fn(&Num, &Num) -> Option<Num>) -> bool {
        let ex = |x: f64| Num::from_f64_exact(x).unwrap();
        [(a.0, b.0), (a.0, b.1), (a.1, b.0), (a.1, b.1)].iter().all(|(x, y)| match f(&ex(*x), &ex(*y)) {
            Some(v) => holds(r, &v),
            None => false,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn lane_kernels_are_the_reference_kernels(a in enclosure(), b in enclosure()) {
            prop_assert!(same(add(a, b), reference::add(a, b)), "add {:?} {:?}", a, b);
            prop_assert!(same(sub(a, b), reference::sub(a, b)), "sub {:?} {:?}", a, b);
            prop_assert!(same(mul(a, b), reference::mul(a, b)), "mul {:?} {:?}", a, b);
            prop_assert!(same(div(a, b), reference::div(a, b)), "div {:?} {:?}", a, b);
            for op in [CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne] {
                prop_assert_eq!(cmp(op, a, b), reference::cmp(op, a, b), "{:?} {:?} {:?}", op, a, b);
            }
            for digits in [0, 2, 10, 15] {
                // Where the reference decides, the same; it may decide more (an end at 0).
                let k = rounded(a, digits);
                if let Some(r) = reference::rounded(a, digits) {
                    prop_assert_eq!(k, Some(r), "{:?} at {}", a, digits);
                }
                // Where it decides, both ends (so every value between) round exactly to it.
                if let Some(k) = k {
                    let scale = Num::from_i64(10i64.pow(digits));
                    let exact = Num::from_i64(k).div_exact(&scale).unwrap();
                    for end in [a.0, a.1] {
                        let end = Num::from_f64_exact(end).unwrap();
                        prop_assert_eq!(end.round_to(digits), exact.clone(), "{:?} at {}", a, digits);
                    }
                }
            }
            if is_point(a) && is_point(b) {
                let some = |(l, h, fine): lane::Lane| fine.then_some((l, h));
                prop_assert!(same(some(lane::mul_points(a.0, b.0)), mul(a, b)));
                prop_assert!(same(some(lane::div_points(a.0, b.0)), div(a, b)));
            }
        }

        /// Rounding half away from zero through `2^52` is the integer rounding's (truncate, then
        /// step where the remainder is a half or more), ties and their neighbours included.
        #[test]
        fn rounding_through_two_to_the_52_is_half_away(k in -(1i64 << 51)..(1i64 << 51), f in 0u32..8, neg in any::<bool>()) {
            let fractions = [0.0, 0.5, 0.25, 0.75, 0.5 - 1e-9, 0.5 + 1e-9, 0.499_999_999_999_999_9, 0.1];
            let x = k as f64 + fractions[f as usize];
            let x = if neg { -x } else { x };
            prop_assume!(x.abs() < EXACT_INT / 2.0);
            let t = x as i64;
            let rest = x - t as f64;
            let reference = t + i64::from(rest >= 0.5) - i64::from(rest <= -0.5);
            prop_assert_eq!(round_half_away(x) as i64, reference, "{}", x);
        }

        /// The fused multiply-add's error term (the build's `two_prod` where the processor has
        /// one) is Dekker's, whichever this build uses.
        #[test]
        fn a_fused_product_error_is_dekkers(a in double(), b in double()) {
            let p = a * b;
            prop_assume!(sane(p) && (p == 0.0 || p.abs() > 1e-250));
            // Veltkamp's split, as the build without a fused multiply-add does it.
            let halves = |x: f64| {
                let c = 134_217_729.0 * x;
                let hi = c - (c - x);
                (hi, x - hi)
            };
            let ((ah, al), (bh, bl)) = (halves(a), halves(b));
            let dekker = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
            prop_assert_eq!(a.mul_add(b, -p), dekker, "{} * {}", a, b);
            prop_assert_eq!(two_prod(a, b), (p, dekker), "{} * {}", a, b);
        }

        #[test]
        fn lane_kernels_enclose_the_exact_values(a in enclosure(), b in enclosure()) {
            if let Some(r) = add(a, b) {
                prop_assert!(holds_corners(r, a, b, |x, y| Some(x.add(y))), "add {:?} {:?} = {:?}", a, b, r);
            }
            if let Some(r) = sub(a, b) {
                prop_assert!(holds_corners(r, a, b, |x, y| Some(x.sub(y))), "sub {:?} {:?} = {:?}", a, b, r);
            }
            if let Some(r) = mul(a, b) {
                prop_assert!(holds_corners(r, a, b, |x, y| Some(x.mul(y))), "mul {:?} {:?} = {:?}", a, b, r);
            }
            if let Some(r) = div(a, b) {
                prop_assert!(holds_corners(r, a, b, Num::div_exact), "div {:?} {:?} = {:?}", a, b, r);
            }
        }

        #[test]
        fn steps_on_the_bits_are_next_up_and_next_down(x in double()) {
            for y in [x, -x] {
                let (up, down) = (lane::up_if(y, true), lane::down_if(y, true));
                // Where std's step is sane the bits' step is the same double; elsewhere neither is sane.
                prop_assert!(if sane(y.next_up()) { up == y.next_up() } else { !lane::sane(up) }, "{}", y);
                prop_assert!(if sane(y.next_down()) { down == y.next_down() } else { !lane::sane(down) }, "{}", y);
                prop_assert_eq!(lane::up_if(y, false).to_bits(), y.to_bits());
                prop_assert_eq!(lane::down_if(y, false).to_bits(), y.to_bits());
            }
        }
    }

    #[test]
    fn whole_numbers_are_exact_integers_of_53_bits() {
        assert_eq!(whole(point(3.0)), Some(3));
        assert_eq!(whole(point(-0.0)), Some(0));
        assert_eq!(whole(point(-9_007_199_254_740_992.0)), Some(-(1 << 53)));
        assert_eq!(whole(point(9_007_199_254_740_994.0)), None);
        assert_eq!(whole(point(2.5)), None);
        assert_eq!(whole((3.0, 3.0f64.next_up())), None);
        assert_eq!(whole(point(f64::NAN)), None);
    }

    #[test]
    fn kernels_at_the_edges() {
        // Zero divisors, and divisors that may be zero, are flagged.
        for b in [point(0.0), point(-0.0), (-1.0, 1.0), (0.0, 1.0), (-1.0, -0.0)] {
            assert_eq!(div(point(1.0), b), None, "{b:?}");
            assert!(!lane::div(1.0, 1.0, b.0, b.1).2);
        }
        assert!(!lane::div_points(1.0, 0.0).2 && !lane::div_points(0.0, 0.0).2);
        // A step from 0 (or onto 0) leaves the sane doubles: such a bound goes to the exact path.
        assert!(!lane::sane(lane::up_if(0.0, true)) && !lane::sane(lane::down_if(0.0, true)));
        assert!(!lane::sane(lane::up_if(-0.0, true)) && !lane::sane(lane::down_if(-0.0, true)));
        assert_eq!(mul((0.0, 1.0), point(3.0)), None);
        // Steps across a power of two and at the limits.
        assert_eq!(lane::up_if(1.0, true), 1.0f64.next_up());
        assert_eq!(lane::down_if(1.0, true), 1.0f64.next_down());
        assert_eq!(lane::down_if(-1.0, true), (-1.0f64).next_down());
        assert!(!lane::sane(lane::up_if(LIMIT, true)) && lane::sane(lane::down_if(LIMIT, true)));
        assert!(!lane::sane(lane::up_if(f64::INFINITY, true)) && !lane::sane(lane::down_if(f64::NAN, true)));
        // Huge and tiny results are flagged, exact ones at the edges kept.
        assert!(!lane::mul_points(1e200, 1e200).2 && !lane::mul_points(1e-200, 1e-200).2);
        assert!(!lane::div_points(1e-200, 1e200).2 && !lane::div_points(1e200, 1e-200).2);
        assert_eq!(mul(point(1e150), point(1e150)).map(is_point), Some(false));
        assert_eq!(div(point(6.0), point(3.0)), Some(point(2.0)));
        assert_eq!(div(point(-6.0), point(4.0)), Some(point(-1.5)));
        // Thresholds: 80/100 against 0.8, exactly at and either side.
        let r = div(point(80.0), point(100.0)).unwrap();
        assert!(!lane::cmp(CmpOp::Ge, r.0, r.1, 0.8, 0.8).1);
        assert_eq!(lane::cmp(CmpOp::Ge, 80.0, 80.0, 80.0, 80.0), (true, true));
        assert_eq!(lane::cmp(CmpOp::Ne, 80.0, 80.0, 80.0, 80.0), (false, true));
        assert_eq!(lane::cmp(CmpOp::Lt, 1.0, 2.0, 2.0, 3.0), (false, false));
        assert_eq!(lane::cmp(CmpOp::Le, 1.0, 2.0, 2.0, 3.0), (true, true));
    }
}
