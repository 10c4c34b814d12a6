//! The register programs run with one double per lane and one error bound per register, for
//! the whole batch (natively; the browser's module keeps to the intervals alone).
//!
//! An interval costs two doubles a lane and, to stay tight, an error-free transformation per
//! bound (`interval.rs`): a dozen operations where a plain loop does one. Here a register holds
//! each lane's value rounded to nearest, and a single bound `E` such that every unflagged
//! lane's double lies within `E` of its exact value; `E` is worked out once a batch from the
//! operands' bounds and the largest magnitude among the lanes (a semi-static filter, as
//! computational geometry's exact predicates use them). `E == 0` means every unflagged lane is
//! exact, so counts, yes/no, options and their exact sums and products compare exactly as
//! points do. A comparison is decided where the two sides lie further apart than their bounds,
//! and flagged (for the exact path) where they do not, exactly as an interval that straddles
//! it is. At the end, the registers read after a run (assumptions, cohort sites) become the
//! intervals `[v - E, v + E]`, rounded outward, and everything after a run reads intervals as
//! before, but for the score: the unranked sums clamp and add it as it is (`Regs::bounded`,
//! `filter.rs`'s `point_sums`), and widen only the sums. One bound a register costs the points
//! the intervals keep lane by lane (a `when` that picks `max`, two totals that tie), which a
//! scorecard's clamp and raw score and a ranking need; so the unranked sums alone run these
//! programs (`Plan::run_bounded_first`).
//!
//! The bounds are rounded up by a relative `2^-48` and an absolute `2^-1000` (each bound is
//! computed in a handful of roundings, and an underflowing result errs by at most `2^-1075`).
//! A batch whose magnitudes leave that range (beyond `LIMIT`), or whose divisor's bound is not
//! well under its magnitude, is run again with intervals: `run_bounded` then says `false`.

// `!(x > y)` on purpose throughout: a NaN must count as not fine.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::{run_op, src, units_in, CohortFn, Input, InputKind, Op, Plan, Reg, Regs};
use crate::data::columns::Cells;
use crate::engine::interval::lane::{self, down_if, sane, up_if};
use crate::engine::interval::{self as iv, Iv, LIMIT, TINY};
use crate::syntax::ast::CmpOp;

/// 2^-53, the unit roundoff: a rounding to nearest moves a double by at most this times its
/// magnitude (above the subnormals).
const U: f64 = 1.0 / 9_007_199_254_740_992.0;
/// A bound computed in at most about 30 roundings, times this, is an upper bound.
const SLACK: f64 = 1.0 + 1.0 / 281_474_976_710_656.0;
/// 2^-1000: more than any error an underflow adds.
const FLOOR: f64 = f64::from_bits(23 << 52);

/// An upper bound of a bound `e` computed with rounding to nearest.
#[inline]
fn up(e: f64) -> f64 {
    e * SLACK + FLOOR
}

/// An upper bound of the magnitudes of the unflagged lanes (0 for none): the largest of all
/// lanes, in eight independent maxima (which the compiler vectorises), or, when a flagged
/// lane's leftover value is out of range, of the unflagged ones.
#[inline]
fn magnitude(v: &[f64], bad: &[bool]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (m, x) in acc.iter_mut().zip(c) {
            let y = x.abs();
            *m = if y > *m { y } else { *m };
        }
    }
    let all = rest.iter().chain(&acc).fold(0.0, |m: f64, x| m.max(x.abs()));
    if all <= LIMIT {
        return all;
    }
    v.iter().zip(bad).fold(0.0, |m, (x, b)| {
        let y = if *b { 0.0 } else { x.abs() };
        if y > m {
            y
        } else {
            m
        }
    })
}

/// The smallest magnitude among the unflagged lanes (infinity for none).
#[inline(always)]
fn least(v: &[f64], bad: &[bool]) -> f64 {
    v.iter().zip(bad).fold(f64::INFINITY, |m, (x, b)| {
        let y = if *b { f64::INFINITY } else { x.abs() };
        if y < m {
            y
        } else {
            m
        }
    })
}

/// The width of an enclosure, rounded up: how far its lower bound may lie from the value.
fn width(x: Iv) -> f64 {
    if x.0 == x.1 {
        0.0
    } else {
        up(x.1 - x.0)
    }
}

/// Splits off register `dst`'s value and flag lanes from those of the registers before it.
macro_rules! lanes {
    ($regs:expr, $dst:expr, $n:expr) => {{
        let at = $dst * $n;
        let (lo_before, lo_rest) = $regs.lo.split_at_mut(at);
        let (bad_before, bad_rest) = $regs.bad.split_at_mut(at);
        ((&*lo_before, &*bad_before), (&mut lo_rest[..$n], &mut bad_rest[..$n]))
    }};
}

/// Register `r`'s values and flags among `before`.
#[inline]
fn operand<'a>(before: (&'a [f64], &'a [bool]), r: Reg, n: usize) -> (&'a [f64], &'a [bool]) {
    let at = r * n..(r + 1) * n;
    match (before.0.get(at.clone()), before.1.get(at)) {
        (Some(v), Some(f)) => (v, f),
        _ => (&[], &[]),
    }
}

impl Plan {
    /// Whether every operation has a bounded form (`Range` and `Round` have none).
    pub(super) fn boundable(&self) -> bool {
        !self.ops.iter().any(|op| matches!(op, Op::Range { .. } | Op::Round { .. }))
    }

    /// Runs the plan over the batch's `n` lanes with bounds (the module doc), leaving the
    /// registers read after a run as intervals; `false` when the batch must be run with
    /// intervals instead.
    /// The score register stays bounded, for [`Regs::bounded`] (unless an assumption or a
    /// cohort site reads it too).
    pub(super) fn run_bounded(&self, input: &Input, regs: &mut Regs, n: usize) -> bool {
        for v in [&mut regs.err, &mut regs.mag] {
            v.clear();
            v.resize(self.regs, 0.0);
        }
        for op in &self.ops {
            if !bounded_op(op, input, regs, n) {
                return false;
            }
        }
        let sites = self.sites.iter().flat_map(|(_, arg, reached, q)| {
            [Some(*arg), Some(*reached), q.map(|q| q.0), q.map(|q| q.1)].into_iter().flatten()
        });
        // (Widening a register twice is widening it once.)
        let others = self.assumptions.iter().copied().chain(sites);
        let kept = self.score.filter(|s| !others.clone().any(|r| r == *s));
        for r in self.score.iter().copied().filter(|s| Some(*s) != kept).chain(others) {
            widen(regs, r, n);
        }
        true
    }
}

impl Regs {
    /// Register `r`'s values, flags and error bound, when the last run left it bounded
    /// ([`Plan::run_bounded_first`]): every unflagged lane's value lies within the bound of
    /// its exact value.
    pub(in crate::engine) fn bounded(&self, r: Reg) -> Option<(&[f64], &[bool], f64)> {
        let e = *self.err.get(r)?;
        let (v, _, bad) = self.lanes(r);
        (e >= 0.0 && v.len() == self.stride).then_some((v, bad, e))
    }
}

/// The enclosure `[v - e, v + e]` of a value within `e` of `v`, rounded outward, and whether it
/// is one the intervals take (`interval::sane` bounds; a bound among the tiny doubles they
/// avoid moves outward to 0 or `TINY` first).
#[inline(always)]
pub(in crate::engine) fn widened(v: f64, e: f64) -> lane::Lane {
    if e == 0.0 {
        return (v, v, sane(v));
    }
    let (mut l, mut h) = (down_if(v - e, true), up_if(v + e, true));
    if e < TINY {
        if l < 0.0 && l > -TINY {
            l = -TINY;
        } else if l > 0.0 && l < TINY {
            l = 0.0;
        }
        if h > 0.0 && h < TINY {
            h = TINY;
        } else if h < 0.0 && h > -TINY {
            h = 0.0;
        }
    }
    (l, h, sane(l) & sane(h))
}

/// The enclosure of a sum `s` of `terms` values each within its bound of its exact value, whose
/// bounds add up to `bounds` (rounded to nearest), and whose additions' rounding errors'
/// magnitudes add up to `rounding` (rounded to nearest, from the error-free additions'
/// remainders): [`widened`], but without a branch (a bound among the tiny doubles is left to the
/// exact path rather than moved outward).
#[inline(always)]
pub(in crate::engine) fn widened_sum(s: f64, bounds: f64, rounding: f64, terms: usize) -> lane::Lane {
    // Each of the at most `terms + 1` additions of non-negative numbers in each of the two sums,
    // and the one adding them, errs by at most `U` relatively. Where both are 0 the sum is exact
    // (a point, as the intervals' is).
    let both = bounds + rounding;
    let step = both != 0.0;
    let b = if step { both * (1.0 + (2 * terms + 4) as f64 * U) + FLOOR } else { 0.0 };
    let (l, h) = (down_if(s - b, step), up_if(s + b, step));
    (l, h, sane(l) & sane(h) & !(step & (b < TINY)))
}

/// Register `r` as intervals: `[v - E, v + E]` rounded outward (points where `E` is 0). Once.
fn widen(regs: &mut Regs, r: Reg, n: usize) {
    let Some(&e) = regs.err.get(r) else { return };
    if e < 0.0 {
        return;
    }
    let at = r * n..(r + 1) * n;
    let (Some(lo), Some(hi), Some(bad)) =
        (regs.lo.get_mut(at.clone()), regs.hi.get_mut(at.clone()), regs.bad.get_mut(at))
    else {
        return;
    };
    for ((l, h), b) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()) {
        let (x, y, fine) = widened(*l, e);
        (*l, *h) = (x, y);
        *b |= !fine;
    }
    if let Some(e) = regs.err.get_mut(r) {
        *e = -1.0;
    }
}

/// Sets register `r`'s bound and magnitude; `false` when either is out of range.
fn set(regs: &mut Regs, r: Reg, e: f64, m: f64) -> bool {
    if let (Some(x), Some(y)) = (regs.err.get_mut(r), regs.mag.get_mut(r)) {
        (*x, *y) = (e, m);
    }
    e <= LIMIT && m <= LIMIT
}

fn bound(regs: &Regs, r: Reg) -> (f64, f64) {
    (regs.err.get(r).copied().unwrap_or(f64::INFINITY), regs.mag.get(r).copied().unwrap_or(f64::INFINITY))
}

/// A binary operation lane by lane: `f` gives the lane's value, and the lane is flagged where
/// an operand is or, with a `divisor` bound, where the second operand is within it of 0
/// (values and flags in loops of their own: one width of data in each, so both vectorise).
#[inline(always)]
fn binary(regs: &mut Regs, dst: Reg, a: Reg, b: Reg, n: usize, f: impl Fn(f64, f64) -> f64, divisor: Option<f64>) {
    let (before, (v, bad)) = lanes!(regs, dst, n);
    let ((av, af), (bv, bf)) = (operand(before, a, n), operand(before, b, n));
    for (v, (x, y)) in v.iter_mut().zip(av.iter().zip(bv)) {
        *v = f(*x, *y);
    }
    for (bad, (x, y)) in bad.iter_mut().zip(af.iter().zip(bf)) {
        *bad = *x | *y;
    }
    // A divisor within its bound of 0 may be 0.
    if let Some(e) = divisor {
        for (bad, y) in bad.iter_mut().zip(bv) {
            *bad |= !(y.abs() > e);
        }
    }
}

/// Whether any unflagged lane of `dst` was rounded, for two exact operands: `exact` gives
/// each lane's enclosure (`interval.rs`), a point where the operation was exact.
fn rounded_anywhere(regs: &Regs, dst: Reg, a: Reg, b: Reg, exact: impl Fn(f64, f64) -> lane::Lane) -> bool {
    let ((av, _), (bv, _), (_, bad)) = (lanes_of(regs, a), lanes_of(regs, b), lanes_of(regs, dst));
    av.iter().zip(bv).zip(bad).fold(false, |any, ((x, y), f)| {
        let (l, h, fine) = exact(*x, *y);
        any | (!*f & ((l != h) | !fine))
    })
}

fn lanes_of(regs: &Regs, r: Reg) -> (&[f64], &[bool]) {
    let (v, _, f) = regs.lanes(r);
    (v, f)
}

/// The batch's cells of input `slot`'s column and their power of ten, when it is a decimal
/// column whose `n` cells are all present, ordinary and at most 2^53 in magnitude.
fn plain_column<'d>(input: &Input<'d>, slot: usize, n: usize) -> Option<(&'d [i64], u32)> {
    let column = input.slots.get(slot).copied().flatten().and_then(|c| input.columns.at(c))?;
    match column.cells(input.start, n) {
        Cells::Num { scale, cells } if cells.len() >= n => {
            let cells = cells.get(..n)?;
            // (The missing and odd cells' markers lie beyond 2^53.)
            cells.iter().fold(true, |all, m| all & (m.unsigned_abs() <= 1 << 53)).then_some((cells, scale))
        }
        _ => None,
    }
}

/// Runs one operation with bounds; `false` when the batch must be run with intervals.
fn bounded_op(op: &Op, input: &Input, regs: &mut Regs, n: usize) -> bool {
    match op {
        Op::Const { dst, v } => {
            let (_, (lo, bad)) = lanes!(regs, *dst, n);
            lo.fill(v.0);
            bad.fill(false);
            set(regs, *dst, width(*v), v.0.abs().max(v.1.abs()))
        }
        Op::Input { dst, slot, kind, .. } => {
            // A batch of a decimal column without a missing or odd cell: each value to nearest
            // (whole numbers up to 2^53 exactly) in one straight loop, without intervals.
            if let (InputKind::Num, Some((cells, scale))) = (kind, plain_column(input, *slot, n)) {
                let Some(ten) = iv::pow10(scale) else { return false };
                let (_, (lo, bad)) = lanes!(regs, *dst, n);
                if scale == 0 {
                    for (v, m) in lo.iter_mut().zip(cells) {
                        *v = *m as f64;
                    }
                } else {
                    // One correctly rounded division of two exact doubles.
                    for (v, m) in lo.iter_mut().zip(cells) {
                        *v = *m as f64 / ten;
                    }
                }
                bad.fill(false);
                let m = magnitude(lo, bad);
                return set(regs, *dst, if scale == 0 { 0.0 } else { up(m * U) }, m);
            }
            // Read as intervals (a decimal that is not a double is one), then bounded by the
            // widest.
            run_op(op, input, regs, n);
            let (lo, hi, bad) = src((&regs.lo, &regs.hi, &regs.bad), *dst, n);
            // Points in every lane, flagged or not (counts, yes/no: the common case) in a
            // straight loop; else the widest unflagged lane.
            let points = lo.iter().zip(hi).fold(true, |all, (l, h)| all & (l == h));
            let w = if points {
                0.0
            } else {
                lo.iter().zip(hi).zip(bad).fold(0.0, |m, ((l, h), b)| {
                    let y = if *b { 0.0 } else { h - l };
                    if y > m {
                        y
                    } else {
                        m
                    }
                })
            };
            let m = magnitude(lo, bad).max(magnitude(hi, bad));
            set(regs, *dst, if w == 0.0 { 0.0 } else { up(w) }, m)
        }
        // Yes/no operations read exact truths (and flags) alone: the intervals' code, as is.
        Op::Bad { dst }
        | Op::Not { dst, .. }
        | Op::And { dst, .. }
        | Op::Or { dst, .. }
        | Op::GuardOk { dst, .. }
        | Op::GuardIf { dst, .. } => {
            run_op(op, input, regs, n);
            set(regs, *dst, 0.0, 1.0)
        }
        Op::Neg { dst, a } | Op::Abs { dst, a } => {
            let neg = matches!(op, Op::Neg { .. });
            let (before, (v, bad)) = lanes!(regs, *dst, n);
            let (av, af) = operand(before, *a, n);
            for ((v, bad), (x, f)) in v.iter_mut().zip(bad.iter_mut()).zip(av.iter().zip(af)) {
                *v = if neg { -*x } else { x.abs() };
                *bad = *f;
            }
            let (e, m) = bound(regs, *a);
            set(regs, *dst, e, m)
        }
        Op::Add { dst, a, b } | Op::Sub { dst, a, b } => {
            let sub = matches!(op, Op::Sub { .. });
            if sub {
                binary(regs, *dst, *a, *b, n, |x, y| x - y, None);
            } else {
                binary(regs, *dst, *a, *b, n, |x, y| x + y, None);
            }
            let ((ea, _), (eb, _)) = (bound(regs, *a), bound(regs, *b));
            let (v, bad) = lanes_of(regs, *dst);
            let m = magnitude(v, bad);
            let e = if ea == 0.0 && eb == 0.0 {
                let exact = |x: f64, y: f64| if sub { lane::sub(x, x, y, y) } else { lane::add(x, x, y, y) };
                if rounded_anywhere(regs, *dst, *a, *b, exact) {
                    up(m * U)
                } else {
                    0.0
                }
            } else {
                up(ea + eb + m * U)
            };
            set(regs, *dst, e, m)
        }
        Op::Mul { dst, a, b } => {
            binary(regs, *dst, *a, *b, n, |x, y| x * y, None);
            let ((ea, ma), (eb, mb)) = (bound(regs, *a), bound(regs, *b));
            let (v, bad) = lanes_of(regs, *dst);
            let m = magnitude(v, bad);
            let e = if ea == 0.0 && eb == 0.0 {
                if rounded_anywhere(regs, *dst, *a, *b, lane::mul_points) {
                    up(m * U)
                } else {
                    0.0
                }
            } else {
                up(ma * eb + mb * ea + ea * eb + m * U)
            };
            set(regs, *dst, e, m)
        }
        Op::Div { dst, a, b } => {
            let ((ea, _), (eb, _)) = (bound(regs, *a), bound(regs, *b));
            // A divisor that may be 0 is the exact path's (it reports the division by zero).
            binary(regs, *dst, *a, *b, n, |x, y| x / y, Some(eb));
            let (v, bad) = lanes_of(regs, *dst);
            let m = magnitude(v, bad);
            let e = if ea == 0.0 && eb == 0.0 {
                up(m * U)
            } else {
                let (bv, _) = lanes_of(regs, *b);
                let least = least(bv, bad) - eb;
                if !(least > 0.0) {
                    return false;
                }
                up((ea + m * SLACK * eb) / least + m * U)
            };
            set(regs, *dst, e, m)
        }
        Op::Min { dst, a, b } | Op::Max { dst, a, b } => {
            let min = matches!(op, Op::Min { .. });
            if min {
                binary(regs, *dst, *a, *b, n, f64::min, None);
            } else {
                binary(regs, *dst, *a, *b, n, f64::max, None);
            }
            let ((ea, ma), (eb, mb)) = (bound(regs, *a), bound(regs, *b));
            set(regs, *dst, ea.max(eb), ma.max(mb))
        }
        Op::Cmp { dst, op, a, b } => {
            compare(regs, *dst, *op, *a, *b, n);
            set(regs, *dst, 0.0, 1.0)
        }
        Op::CmpRatio { dst, op, a, b, num, den, n: tn, d: td } => {
            compare(regs, *dst, *op, *a, *b, n);
            // As the intervals' `CmpRatio`: data exactly at the threshold, decided by
            // cross-multiplying exact integers.
            let ((en, _), (ed, _)) = (bound(regs, *num), bound(regs, *den));
            if en == 0.0 && ed == 0.0 {
                let (before, (v, bad)) = lanes!(regs, *dst, n);
                let ((_, af), (_, bf)) = (operand(before, *a, n), operand(before, *b, n));
                let ((p, pf), (q, qf)) = (operand(before, *num, n), operand(before, *den, n));
                let flags = af.iter().zip(bf).zip(pf.iter().zip(qf));
                for ((v, bad), (((af, bf), (pf, qf)), (p, q))) in
                    v.iter_mut().zip(bad.iter_mut()).zip(flags.zip(p.iter().zip(q)))
                {
                    if !*bad || *af || *bf || *pf || *qf {
                        continue;
                    }
                    if let Some(o) = iv::ratio_cmp(iv::point(*p), iv::point(*q), *tn, *td) {
                        *v = f64::from(u8::from(op.holds(&o, &std::cmp::Ordering::Equal)));
                        *bad = false;
                    }
                }
            }
            set(regs, *dst, 0.0, 1.0)
        }
        Op::Select { dst, c, a, b } => {
            let (before, (v, bad)) = lanes!(regs, *dst, n);
            let ((cv, cf), (av, af), (bv, bf)) =
                (operand(before, *c, n), operand(before, *a, n), operand(before, *b, n));
            let from = cv.iter().zip(cf).zip(av.iter().zip(af).zip(bv.iter().zip(bf)));
            for ((v, bad), ((c, cf), ((x, xf), (y, yf)))) in v.iter_mut().zip(bad.iter_mut()).zip(from) {
                let pick = *c != 0.0;
                *v = if pick { *x } else { *y };
                *bad = *cf | if pick { *xf } else { *yf };
            }
            let ((ea, ma), (eb, mb)) = (bound(regs, *a), bound(regs, *b));
            set(regs, *dst, ea.max(eb), ma.max(mb))
        }
        Op::Strict { dst, a, deps } => {
            let (before, (v, bad)) = lanes!(regs, *dst, n);
            let (av, af) = operand(before, *a, n);
            v.copy_from_slice(av.get(..n).unwrap_or_default());
            bad.copy_from_slice(af.get(..n).unwrap_or_default());
            for d in deps {
                let (_, df) = operand(before, *d, n);
                for (b, d) in bad.iter_mut().zip(df) {
                    *b |= *d;
                }
            }
            let (e, m) = bound(regs, *a);
            set(regs, *dst, e, m)
        }
        Op::Cohort { dst, f, arg, site } => cohort(regs, input, *dst, *f, *arg, *site, n),
        Op::Range { .. } | Op::Round { .. } => false,
    }
}

/// `a op b` lane by lane: decided where the two sides lie further apart than their bounds.
fn compare(regs: &mut Regs, dst: Reg, op: CmpOp, a: Reg, b: Reg, n: usize) {
    let ((ea, _), (eb, _)) = (bound(regs, a), bound(regs, b));
    let t = ea + eb;
    if t == 0.0 {
        // Exact on both sides: compared as they are.
        macro_rules! each {
            ($($op:ident),*) => {
                match op {
                    $(CmpOp::$op => binary(regs, dst, a, b, n, |x, y| {
                        f64::from(u8::from(lane::cmp(CmpOp::$op, x, x, y, y).0))
                    }, None),)*
                }
            };
        }
        each!(Lt, Le, Gt, Ge, Eq, Ne);
        return;
    }
    // The exact difference lies within `t` of `x - y`, which lies within a rounding of `d`:
    // where `|d|` (less two roundings) exceeds `t`, the difference is not 0 and has `d`'s sign.
    let t = up(t);
    macro_rules! each {
        ($($op:ident),*) => {
            match op {
                $(CmpOp::$op => binary(regs, dst, a, b, n, |x, y| {
                    let d = x - y;
                    f64::from(u8::from(lane::cmp(CmpOp::$op, d, d, 0.0, 0.0).0))
                }, None),)*
            }
        };
    }
    each!(Lt, Le, Gt, Ge, Eq, Ne);
    let (before, (_, bad)) = lanes!(regs, dst, n);
    let ((av, _), (bv, _)) = (operand(before, a, n), operand(before, b, n));
    for (bad, (x, y)) in bad.iter_mut().zip(av.iter().zip(bv)) {
        *bad |= !((x - y).abs() * (1.0 - 2.0 * U) > t);
    }
}

/// A cohort function of each lane's argument with bounds ([`super::Site::apply_lanes`]).
fn cohort(regs: &mut Regs, input: &Input, dst: Reg, f: CohortFn, arg: Reg, site: usize, n: usize) -> bool {
    let Some(agg) = input.sites.get(site).and_then(Option::as_ref) else {
        let (_, (_, bad)) = lanes!(regs, dst, n);
        bad.fill(true);
        return set(regs, dst, 0.0, 0.0);
    };
    let (ex, mx) = bound(regs, arg);
    // The point `v` of the aggregate the lanes divide by, its bound, and the lanes' divisor
    // margin (`|v| - E`).
    let (shift, divisor) = match f {
        CohortFn::Rank => {
            // The ranks are exact, worked out in the cohort pass: the intervals' code.
            let (before, (lo, bad)) = lanes!(regs, dst, n);
            let x = operand(before, arg, n);
            let mut hi = vec![0.0; n];
            agg.apply_lanes(f, (x.0, x.0, x.1), (lo, &mut hi, bad), input.start);
            let (v, bad) = lanes_of(regs, dst);
            let m = magnitude(v, bad);
            return set(regs, dst, 0.0, m);
        }
        CohortFn::MinMax => match iv::sub(agg.max, agg.min).filter(|r| r.0 > 0.0) {
            Some(range) => (Some(agg.min), range),
            None => {
                // A range that may be 0 is a tie: the exact evaluator decides it.
                let (_, (_, bad)) = lanes!(regs, dst, n);
                bad.fill(true);
                return set(regs, dst, 0.0, 0.0);
            }
        },
        CohortFn::RelativeToBest if agg.max.0 > 0.0 || agg.max.1 < 0.0 => (None, agg.max),
        CohortFn::RelativeToBest => {
            let (_, (_, bad)) = lanes!(regs, dst, n);
            bad.fill(true);
            return set(regs, dst, 0.0, 0.0);
        }
    };
    let (dv, de) = (if divisor.0 > 0.0 { divisor.0 } else { divisor.1 }, width(divisor));
    let margin = dv.abs() - de;
    if !(margin > 0.0) {
        return false;
    }
    let (sv, se) = shift.map_or((0.0, 0.0), |s| (s.0, width(s)));
    let (before, (v, bad)) = lanes!(regs, dst, n);
    let (xv, xf) = operand(before, arg, n);
    for ((v, bad), (x, f)) in v.iter_mut().zip(bad.iter_mut()).zip(xv.iter().zip(xf)) {
        *v = (*x - sv) / dv;
        *bad = *f;
    }
    let (v, bad) = lanes_of(regs, dst);
    let m = magnitude(v, bad);
    // The dividend `x - min` errs by the argument's and the minimum's bounds and a rounding.
    let dividend = if shift.is_some() { up(ex + se + (mx + sv.abs()) * 2.0 * U) } else { ex };
    let e = if dividend == 0.0 && de == 0.0 { up(m * U) } else { up((dividend + m * SLACK * de) / margin + m * U) };
    // The units that hold an extreme are exactly 0 or 1, whatever their value here.
    let (ones, zeros): (&[usize], &[usize]) = match f {
        CohortFn::MinMax => (&agg.at_max, &agg.at_min),
        _ => (&agg.at_max, &[]),
    };
    let at = dst * n;
    for (units, one) in [(ones, 1.0), (zeros, 0.0)] {
        for u in units_in(units, input.start, n) {
            let l = u - input.start;
            // (A flagged argument stays flagged, as in `apply_lanes`.)
            if let Some(v) = regs.lo.get_mut(at + l) {
                *v = one;
            }
        }
    }
    set(regs, dst, e, m.max(1.0))
}
