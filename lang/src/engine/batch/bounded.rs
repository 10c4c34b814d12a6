//! A register program run on plain doubles (natively; the browser's module runs intervals only):
//! each register one double per unit, and what the batch's doubles may differ from the exact
//! values bounded once per register and batch ([`Bound`]), not carried by every lane as an
//! enclosure. An operation on a lane is then the one double operation the rule says, where the
//! interval kernels (`interval::lane`) take an error-free transformation, two outward steps and a
//! sanity check per bound; a decision (a comparison) checks per lane that the doubles are
//! farther apart than the batch's error bound, and flags the lane where they are not.
//!
//! A batch runs here only where the bound can be stated: every operation of the plan is one this
//! file models ([`supported`]), every input cell of the batch is a plain number, no divisor's range
//! holds 0, and no magnitude nears overflow. Otherwise [`run`] gives `false` and the caller runs
//! the interval kernels, as before. The registers the filter reads (the score, the `assume`s,
//! a collect plan's sites) are written as enclosures at the end: each lane's double widened by
//! its error bound and cut to the register's range, so an exact value stays a point and a score
//! that is exactly `max` stays inside `[0, max]`.
//!
//! Flags are one array for the whole program: a comparison left undecided flags its lane
//! whichever branch reads it, so a lane can go to the exact path where the interval kernels would
//! not have sent it (never the other way round; a flagged lane is only slower).
//!
//! The bound of a register `x` over a batch is `(lo, hi, rel, abs)`: every lane's exact value
//! lies in `[lo, hi]`, and its double differs from it by at most `rel·|x| + abs`. Each operation
//! on doubles rounds once, which adds `u·|result|` (`u = 2⁻⁵³`) and, below the normal range, at
//! most the least subnormal. The bounds are worked out with every step rounded upward
//! ([`add_up`], [`mul_up`], [`div_up`]), so they hold for the exact values, not just nearly.

use super::{CohortFn, Input, InputKind, Op, Plan, Reg, Regs};
use crate::data::columns::Cells;
use crate::engine::interval as iv;
use crate::syntax::ast::CmpOp;

/// The unit roundoff of doubles, 2⁻⁵³.
const U: f64 = 1.0 / 9_007_199_254_740_992.0;
/// The least positive double: the most a rounding below the normal range changes a result.
const ETA: f64 = f64::from_bits(1);
/// 2⁵³: integers up to this are exact doubles.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;
/// Magnitudes above this leave the batch to the interval kernels (as they leave a lane).
const LIMIT: f64 = 1e300;

/// What holds of one register over a batch (see the module's documentation).
#[derive(Clone, Copy, Debug)]
pub(in crate::engine) struct Bound {
    lo: f64,
    hi: f64,
    rel: f64,
    abs: f64,
    /// No lane's double is non-zero and smaller in magnitude than this: a product or quotient
    /// whose operands' `least` keep it out of the subnormal range rounds with `rel` alone, so a
    /// register with `abs` 0 has a double 0 exactly where its value is 0.
    least: f64,
    /// Every lane's double is exactly its value, an integer (then `rel` and `abs` are 0).
    whole: bool,
    /// Every lane is flagged (an `Op::Bad`): only a select may read it.
    poison: bool,
    /// Each lane's error has a bound of its own in `Regs::errs`, tighter than the register's:
    /// a select between an exact side and an inexact one keeps its exact lanes exact (a score of
    /// exactly `max` is a point, not an interval reaching past `max`).
    lanes: bool,
}

const POISON: Bound =
    Bound { lo: 0.0, hi: 0.0, rel: 0.0, abs: 0.0, least: 0.0, whole: false, poison: true, lanes: false };

/// A yes/no: 1 or 0, exactly.
const TRUTH: Bound =
    Bound { lo: 0.0, hi: 1.0, rel: 0.0, abs: 0.0, least: 1.0, whole: true, poison: false, lanes: false };

impl Bound {
    fn is_exact(&self) -> bool {
        self.rel == 0.0 && self.abs == 0.0
    }

    /// The largest magnitude of an exact value.
    fn mag(&self) -> f64 {
        self.lo.abs().max(self.hi.abs())
    }

    /// The largest magnitude of a double: it may lie `rel·|x| + abs` beyond the exact values.
    fn mag_doubles(&self) -> f64 {
        add_up(self.mag(), add_up(mul_up(self.mag(), self.rel), self.abs))
    }

    /// Whether the bound holds anything the operations may use: finite, far from overflow, `rel`
    /// well under 1.
    fn usable(&self) -> bool {
        !self.poison && self.lo <= self.hi && self.mag_doubles() <= LIMIT && self.rel <= 0.25 && self.least >= 0.0
    }

    /// The bound after the operation's one rounding to the nearest double, `product` telling
    /// how small a non-zero exact result of the doubles may be (a sum is never rounded below the
    /// normal range: there it is exact).
    fn rounded(self, product: Option<f64>) -> Bound {
        let subnormal = product.is_some_and(|p| p < 2.0 * f64::MIN_POSITIVE);
        let abs = add_up(self.abs, mul_up(self.abs, U));
        Bound {
            rel: add_up(add_up(self.rel, U), mul_up(self.rel, U)),
            abs: if subnormal { add_up(abs, ETA) } else { abs },
            // A rounded non-zero result that is normal stays at least (1 − u) of it.
            least: match product {
                Some(p) if !subnormal => p * (1.0 - 2.0 * U),
                Some(_) => 0.0,
                None => self.least,
            },
            ..self
        }
    }

    /// `(k, c)` with `k·|x̃| + c` at least the error of a lane whose double is `x̃` (the error
    /// bound in terms of the double rather than the exact value: `|x| ≤ |x̃| + error`).
    fn per_double(&self) -> (f64, f64) {
        let rest = (1.0 - self.rel).next_down();
        (div_up(self.rel, rest), div_up(self.abs, rest))
    }
}

/// Room for the rounding of an error bound worked out per lane (a few roundings of `u` each).
const ROOM: f64 = 1.0 + 1.0 / (1u64 << 40) as f64;

/// `(k, c)` of [`Bound::per_double`] as one lane's error bound: `e(x̃)` is at least the error of
/// the double `x̃` (where `k·|x̃|` underflows, `x̃` is too small to be sane, and is flagged).
#[inline(always)]
fn lane_error((k, c): (f64, f64), x: f64) -> f64 {
    (k * x.abs() + c) * ROOM
}

/// `a + b`, both ≥ 0, rounded up.
fn add_up(a: f64, b: f64) -> f64 {
    let s = a + b;
    // Non-negative terms: the sum is 0 only when both are, and then exactly.
    if s == 0.0 {
        0.0
    } else {
        s.next_up()
    }
}

/// `a · b`, both ≥ 0, rounded up (a product that underflows to 0 becomes the least double).
fn mul_up(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        0.0
    } else {
        (a * b).next_up()
    }
}

/// `a / b`, `a ≥ 0`, `b > 0`, rounded up.
fn div_up(a: f64, b: f64) -> f64 {
    if a == 0.0 {
        0.0
    } else {
        (a / b).next_up()
    }
}

/// Whether a double lies where the error-free transformations hold (no overflow, no underflow).
fn moderate(x: f64) -> bool {
    let a = x.abs();
    (1e-280..=1e280).contains(&a)
}

/// The least and greatest of a range's corners, each with whether it is exact: an end stays put
/// where it is (a score of exactly `max` must not reach past it, nor a 0 below it), and steps one
/// double outward where it is not.
fn range(c: [(f64, bool); 4]) -> (f64, f64) {
    let lo = c.iter().fold((f64::INFINITY, true), |m, x| if x.0 < m.0 { *x } else { m });
    let hi = c.iter().fold((f64::NEG_INFINITY, true), |m, x| if x.0 > m.0 { *x } else { m });
    (if lo.1 { lo.0 } else { lo.0.next_down() }, if hi.1 { hi.0 } else { hi.0.next_up() })
}

/// `a + b` and whether it is exact.
fn sum_corner(a: f64, b: f64) -> (f64, bool) {
    let (s, e) = iv::two_sum(a, b);
    (s, e == 0.0 && s.is_finite())
}

/// `a · b` and whether it is exact.
fn product_corner(a: f64, b: f64) -> (f64, bool) {
    let p = a * b;
    let exact = a == 0.0 || b == 0.0 || (moderate(a) && moderate(b) && moderate(p) && iv::two_prod(a, b).1 == 0.0);
    (p, exact)
}

/// `a / b` and whether it is exact (`b ≠ 0`).
fn quotient_corner(a: f64, b: f64) -> (f64, bool) {
    let q = a / b;
    let exact = a == 0.0 || (moderate(a) && moderate(b) && moderate(q) && iv::two_prod(q, b) == (a, 0.0));
    (q, exact)
}

fn neg(x: Bound) -> Bound {
    Bound { lo: -x.hi, hi: -x.lo, lanes: false, ..x }
}

fn add(x: &Bound, y: &Bound) -> Bound {
    let (lo, hi) =
        range([sum_corner(x.lo, y.lo), sum_corner(x.hi, y.hi), sum_corner(x.lo, y.lo), sum_corner(x.hi, y.hi)]);
    // A non-zero sum of doubles is a whole number of the smaller operand's last place, and
    // rounds to no less than (1 − u) of it where that is normal.
    let least = match x.least.min(y.least) * U {
        l if l >= 2.0 * f64::MIN_POSITIVE => l * (1.0 - 2.0 * U),
        _ => 0.0,
    };
    if x.whole && y.whole && lo >= -EXACT_INT && hi <= EXACT_INT {
        // Integers of at most 53 bits add exactly.
        return Bound { lo, hi, rel: 0.0, abs: 0.0, least: 1.0, whole: true, poison: false, lanes: false };
    }
    let same_sign = (x.lo >= 0.0 && y.lo >= 0.0) || (x.hi <= 0.0 && y.hi <= 0.0);
    let (rel, abs) = if same_sign {
        // |ex + ey| ≤ max(rel)·(|x| + |y|) + abs, and |x| + |y| = |x + y| here.
        (x.rel.max(y.rel), add_up(x.abs, y.abs))
    } else {
        let spread = add_up(mul_up(x.rel, x.mag()), mul_up(y.rel, y.mag()));
        (0.0, add_up(add_up(x.abs, y.abs), spread))
    };
    Bound { lo, hi, rel, abs, least, whole: false, poison: false, lanes: false }.rounded(None)
}

fn mul(x: &Bound, y: &Bound) -> Bound {
    let (lo, hi) = range([
        product_corner(x.lo, y.lo),
        product_corner(x.lo, y.hi),
        product_corner(x.hi, y.lo),
        product_corner(x.hi, y.hi),
    ]);
    // `least` is infinite for a register whose every double is 0 (its product is 0 too).
    let least = if x.least.is_infinite() || y.least.is_infinite() { f64::INFINITY } else { x.least * y.least };
    if x.whole && y.whole && lo >= -EXACT_INT && hi <= EXACT_INT {
        return Bound { lo, hi, rel: 0.0, abs: 0.0, least: 1.0, whole: true, poison: false, lanes: false };
    }
    // x̃ỹ − xy = x·ey + y·ex + ex·ey, each |e| ≤ rel·|v| + abs.
    let rel = add_up(add_up(x.rel, y.rel), mul_up(x.rel, y.rel));
    let abs = add_up(
        add_up(mul_up(y.abs, mul_up(x.mag(), 1.0 + x.rel)), mul_up(x.abs, mul_up(y.mag(), 1.0 + y.rel))),
        mul_up(x.abs, y.abs),
    );
    Bound { lo, hi, rel, abs, least, whole: false, poison: false, lanes: false }.rounded(Some(least))
}

/// `x / y`, `None` when `y`'s range holds 0 or its error is too large a part of it.
fn div(x: &Bound, y: &Bound) -> Option<Bound> {
    let m = if y.lo > 0.0 {
        y.lo
    } else if y.hi < 0.0 {
        -y.hi
    } else {
        return None;
    };
    // ỹ = y·(1 + δ), |δ| ≤ ry.
    let ry = add_up(y.rel, div_up(y.abs, m));
    if ry > 0.25 {
        return None;
    }
    let rest = (1.0 - ry).next_down();
    let (lo, hi) = range([
        quotient_corner(x.lo, y.lo),
        quotient_corner(x.lo, y.hi),
        quotient_corner(x.hi, y.lo),
        quotient_corner(x.hi, y.hi),
    ]);
    let rel = div_up(add_up(x.rel, ry), rest);
    let abs = div_up(x.abs, (m * rest).next_down());
    let least = if x.least.is_infinite() { f64::INFINITY } else { x.least / y.mag_doubles() };
    Some(Bound { lo, hi, rel, abs, least, whole: false, poison: false, lanes: false }.rounded(Some(least)))
}

fn min_max(x: &Bound, y: &Bound, min: bool) -> Bound {
    // min and max are monotone, and v − rel·|v| is non-decreasing: the larger error bound holds.
    let (lo, hi) = if min { (x.lo.min(y.lo), x.hi.min(y.hi)) } else { (x.lo.max(y.lo), x.hi.max(y.hi)) };
    Bound { lo, hi, ..hull(x, y) }
}

fn abs(x: Bound) -> Bound {
    let (lo, hi) = if x.lo >= 0.0 {
        (x.lo, x.hi)
    } else if x.hi <= 0.0 {
        (-x.hi, -x.lo)
    } else {
        (0.0, x.mag())
    };
    Bound { lo, hi, lanes: false, ..x }
}

/// Either of two registers, lane by lane.
fn hull(x: &Bound, y: &Bound) -> Bound {
    Bound {
        lo: x.lo.min(y.lo),
        hi: x.hi.max(y.hi),
        rel: x.rel.max(y.rel),
        abs: x.abs.max(y.abs),
        least: x.least.min(y.least),
        whole: x.whole && y.whole,
        poison: false,
        lanes: false,
    }
}

/// A constant register's bound: its double is the enclosure's lower end.
fn constant(v: iv::Iv) -> Bound {
    let point = v.0 == v.1;
    let whole = point && v.0.abs() <= EXACT_INT && v.0.fract() == 0.0;
    // The exact constant lies between the ends: a relative error where they have one sign (as
    // a constant that is no double, such as 20/3), else an absolute one.
    let width = (v.1 - v.0).next_up();
    let near = v.0.abs().min(v.1.abs());
    let (rel, abs) = match (point, v.0 > 0.0 || v.1 < 0.0) {
        (true, _) => (0.0, 0.0),
        (false, true) => (div_up(width, near), 0.0),
        (false, false) => (0.0, width),
    };
    // `least` bounds the non-zero doubles: a constant 0 has none.
    let least = if v.0 == 0.0 { f64::INFINITY } else { v.0.abs() };
    Bound { lo: v.0, hi: v.1, rel, abs, least, whole, poison: false, lanes: false }
}

/// Whether every operation of the plan is one this file models.
pub(super) fn supported(plan: &Plan) -> bool {
    plan.ops.iter().all(|op| match op {
        Op::Input { kind, .. } => *kind == InputKind::Num,
        Op::Cohort { f, .. } => *f != CohortFn::Rank,
        Op::Const { .. }
        | Op::Bad { .. }
        | Op::Neg { .. }
        | Op::Not { .. }
        | Op::And { .. }
        | Op::Or { .. }
        | Op::Cmp { .. }
        | Op::CmpRatio { .. }
        | Op::Add { .. }
        | Op::Sub { .. }
        | Op::Mul { .. }
        | Op::Div { .. }
        | Op::Min { .. }
        | Op::Max { .. }
        | Op::Abs { .. }
        | Op::Select { .. }
        | Op::Strict { .. } => true,
        Op::Range { .. } | Op::Round { .. } | Op::GuardOk { .. } | Op::GuardIf { .. } => false,
    })
}

/// The registers a plan's reader looks at: its score, its `assume`s, its sites'.
pub(super) fn exported(plan: &Plan) -> Vec<Reg> {
    let sites = plan.sites.iter().flat_map(|(_, arg, reached, q)| {
        [Some(*arg), Some(*reached), q.map(|q| q.0), q.map(|q| q.1)].into_iter().flatten()
    });
    let mut regs: Vec<Reg> = plan.score.iter().chain(&plan.assumptions).copied().chain(sites).collect();
    regs.sort_unstable();
    regs.dedup();
    regs
}

/// Runs the plan over the batch on doubles; `false` (registers left in any state) when the batch
/// must run on intervals instead.
pub(super) fn run(plan: &Plan, input: &Input, regs: &mut Regs, n: usize) -> bool {
    regs.bounds.clear();
    regs.bounds.resize(plan.regs, POISON);
    regs.flags.clear();
    regs.flags.resize(n, false);
    for op in &plan.ops {
        if !step(op, input, regs, n) {
            return false;
        }
    }
    for r in &plan.exported {
        export(regs, *r, n);
    }
    true
}

/// Splits the register file into the registers before `dst` and `dst`'s doubles.
macro_rules! split {
    ($regs:expr, $dst:expr, $n:expr) => {{
        let at = $dst * $n;
        let (before, rest) = $regs.lo.split_at_mut(at);
        (&*before, &mut rest[..$n])
    }};
}

fn src(before: &[f64], r: Reg, n: usize) -> &[f64] {
    before.get(r * n..(r + 1) * n).unwrap_or_default()
}

/// One operation over the batch: its bound, then its lanes. `false`: the batch runs on intervals.
fn step(op: &Op, input: &Input, regs: &mut Regs, n: usize) -> bool {
    // Only a select may read a flagged register (`Op::Bad`), and `Strict` pass it on; any
    // other reader leaves the batch to the interval kernels.
    let any = |regs: &Regs, r: Reg| regs.bounds.get(r).copied().unwrap_or(POISON);
    let get = |regs: &Regs, r: Reg| regs.bounds.get(r).copied().filter(|b| !b.poison);
    let (dst, bound) = match op {
        Op::Const { dst, v } => {
            let b = constant(*v);
            let (_, out) = split!(regs, *dst, n);
            out.fill(v.0);
            (*dst, b)
        }
        Op::Bad { dst } => (*dst, POISON),
        Op::Input { dst, slot, .. } => {
            let column = input.slots.get(*slot).copied().flatten().and_then(|c| input.columns.at(c));
            let Some(Cells::Num { scale, cells }) = column.map(|c| c.cells(input.start, n)) else {
                return false;
            };
            let Some(p) = POW10.get(scale as usize).copied() else { return false };
            if cells.len() < n {
                return false;
            }
            // Whether any cell is missing, odd or beyond 2^53 (both markers are beyond it).
            let cells = cells.get(..n).unwrap_or_default();
            if !cells.iter().fold(true, |all, m| all & (m.unsigned_abs() <= 1 << 53)) {
                return false;
            }
            let (_, out) = split!(regs, *dst, n);
            for (o, m) in out.iter_mut().zip(cells) {
                *o = *m as f64;
            }
            let (least, most) = extremes(out);
            let b = if scale == 0 {
                Bound { lo: least, hi: most, rel: 0.0, abs: 0.0, least: 1.0, whole: true, poison: false, lanes: false }
            } else {
                // m / 10^scale, both exact doubles: one rounding, and no value is subnormal.
                for o in out.iter_mut() {
                    *o /= p;
                }
                let (lo, hi) = ((least / p).next_down(), (most / p).next_up());
                // A non-zero cell is at least 1 / 10^scale, and rounds to at least (1 − u) of it.
                Bound {
                    lo,
                    hi,
                    rel: U,
                    abs: 0.0,
                    least: (1.0 - 2.0 * U) / p,
                    whole: false,
                    poison: false,
                    lanes: false,
                }
            };
            (*dst, b)
        }
        Op::Neg { dst, a } => {
            let Some(x) = get(regs, *a) else { return false };
            let b = neg(x);
            let (before, out) = split!(regs, *dst, n);
            for (o, x) in out.iter_mut().zip(src(before, *a, n)) {
                *o = -*x;
            }
            if x.lanes {
                copy_errors(regs, *dst, *a, n);
            }
            (*dst, Bound { lanes: x.lanes, ..b })
        }
        Op::Abs { dst, a } => {
            let Some(x) = get(regs, *a) else { return false };
            let b = abs(x);
            let (before, out) = split!(regs, *dst, n);
            for (o, x) in out.iter_mut().zip(src(before, *a, n)) {
                *o = x.abs();
            }
            if x.lanes {
                copy_errors(regs, *dst, *a, n);
            }
            (*dst, Bound { lanes: x.lanes, ..b })
        }
        Op::Not { dst, a } => {
            if get(regs, *a).is_none() {
                return false;
            }
            let (before, out) = split!(regs, *dst, n);
            for (o, x) in out.iter_mut().zip(src(before, *a, n)) {
                *o = f64::from(u8::from(*x == 0.0));
            }
            (*dst, TRUTH)
        }
        Op::And { dst, a, b } | Op::Or { dst, a, b } => {
            let or = matches!(op, Op::Or { .. });
            if get(regs, *a).is_none() || get(regs, *b).is_none() {
                return false;
            }
            let (before, out) = split!(regs, *dst, n);
            for (o, (x, y)) in out.iter_mut().zip(src(before, *a, n).iter().zip(src(before, *b, n))) {
                let (x, y) = (*x != 0.0, *y != 0.0);
                *o = f64::from(u8::from(if or { x | y } else { x & y }));
            }
            (*dst, TRUTH)
        }
        Op::Add { dst, a, b } | Op::Sub { dst, a, b } => {
            let sub = matches!(op, Op::Sub { .. });
            let (Some(x), Some(y)) = (get(regs, *a), get(regs, *b)) else { return false };
            let y = if sub { neg(y) } else { y };
            let bound = add(&x, &y);
            let (before, out) = split!(regs, *dst, n);
            let lanes = out.iter_mut().zip(src(before, *a, n).iter().zip(src(before, *b, n)));
            if sub {
                lanes.for_each(|(o, (x, y))| *o = x - y);
            } else {
                lanes.for_each(|(o, (x, y))| *o = x + y);
            }
            // Values of both signs: the batch's bound is absolute, set by its largest values;
            // each lane's own is far smaller where its values are.
            let same_sign = (x.lo >= 0.0 && y.lo >= 0.0) || (x.hi <= 0.0 && y.hi <= 0.0);
            let lanes = !bound.is_exact() && (x.lanes || y.lanes || !same_sign);
            if lanes {
                let how = if sub { Follow::Difference } else { Follow::Sum };
                follow(regs, *dst, how, (*a, x), (*b, y), n);
            }
            (*dst, Bound { lanes, ..bound })
        }
        Op::Mul { dst, a, b } => {
            let (Some(x), Some(y)) = (get(regs, *a), get(regs, *b)) else { return false };
            let bound = mul(&x, &y);
            let (before, out) = split!(regs, *dst, n);
            for (o, (x, y)) in out.iter_mut().zip(src(before, *a, n).iter().zip(src(before, *b, n))) {
                *o = x * y;
            }
            let lanes = !bound.is_exact() && (x.lanes || y.lanes);
            if lanes {
                follow(regs, *dst, Follow::Product, (*a, x), (*b, y), n);
            }
            (*dst, Bound { lanes, ..bound })
        }
        Op::Div { dst, a, b } => {
            let (Some(x), Some(y)) = (get(regs, *a), get(regs, *b)) else { return false };
            let Some(bound) = div(&x, &y) else { return false };
            let (before, out) = split!(regs, *dst, n);
            for (o, (x, y)) in out.iter_mut().zip(src(before, *a, n).iter().zip(src(before, *b, n))) {
                *o = x / y;
            }
            let lanes = x.lanes || y.lanes;
            if lanes {
                follow(regs, *dst, Follow::Quotient, (*a, x), (*b, y), n);
            }
            (*dst, Bound { lanes, ..bound })
        }
        Op::Min { dst, a, b } | Op::Max { dst, a, b } => {
            let min = matches!(op, Op::Min { .. });
            let (Some(x), Some(y)) = (get(regs, *a), get(regs, *b)) else { return false };
            let bound = min_max(&x, &y, min);
            let (before, out) = split!(regs, *dst, n);
            let lanes = out.iter_mut().zip(src(before, *a, n).iter().zip(src(before, *b, n)));
            if min {
                lanes.for_each(|(o, (x, y))| *o = x.min(*y));
            } else {
                lanes.for_each(|(o, (x, y))| *o = x.max(*y));
            }
            let lanes = x.lanes || y.lanes;
            if lanes {
                follow(regs, *dst, Follow::Either, (*a, x), (*b, y), n);
            }
            (*dst, Bound { lanes, ..bound })
        }
        Op::Cmp { dst, op, a, b } => {
            let (Some(x), Some(y)) = (get(regs, *a), get(regs, *b)) else { return false };
            compare(regs, *dst, *op, (*a, x), (*b, y), n, None);
            (*dst, TRUTH)
        }
        Op::CmpRatio { dst, op, a, b, num, den, n: tn, d: td } => {
            let (Some(x), Some(y)) = (get(regs, *a), get(regs, *b)) else { return false };
            // The quotient's operands decide exactly where they are exact integers.
            let (Some(p), Some(q)) = (get(regs, *num), get(regs, *den)) else { return false };
            let whole = p.whole && q.whole;
            compare(regs, *dst, *op, (*a, x), (*b, y), n, whole.then_some((*num, *den, *tn, *td)));
            (*dst, TRUTH)
        }
        Op::Select { dst, c, a, b } => {
            if get(regs, *c).is_none() {
                return false;
            }
            let (x, y) = (any(regs, *a), any(regs, *b));
            let (bound, flag_when) = match (x.poison, y.poison) {
                (true, true) => (x, None),
                (false, true) => (x, Some(false)),
                (true, false) => (y, Some(true)),
                (false, false) => (hull(&x, &y), None),
            };
            let (before, out) = split!(regs, *dst, n);
            let (cv, av, bv) = (src(before, *c, n), src(before, *a, n), src(before, *b, n));
            for (o, (c, (x, y))) in out.iter_mut().zip(cv.iter().zip(av.iter().zip(bv))) {
                *o = if *c != 0.0 { *x } else { *y };
            }
            // Each lane's error bound from the side it picks, where the sides' bounds differ.
            let differ = !x.poison && !y.poison && (x.lanes || y.lanes || x.is_exact() != y.is_exact());
            let bound = if differ {
                lane_errors(regs, *dst, (*a, x), (*b, y), *c, n);
                Bound { lanes: true, ..bound }
            } else if bound.lanes {
                // One side is flagged throughout: the other's lane bounds, as they are.
                let from = if x.poison { *b } else { *a };
                copy_errors(regs, *dst, from, n);
                bound
            } else {
                bound
            };
            let cv = regs.lo.get(*c * n..(*c + 1) * n).unwrap_or_default();
            // A lane that picks a flagged side is flagged.
            if let Some(pick) = flag_when {
                for (f, c) in regs.flags.iter_mut().zip(cv) {
                    *f |= (*c != 0.0) == pick;
                }
            }
            (*dst, bound)
        }
        Op::Strict { dst, a, deps } => {
            if deps.iter().any(|d| get(regs, *d).is_none()) {
                return false;
            }
            let bound = any(regs, *a);
            let (before, out) = split!(regs, *dst, n);
            out.copy_from_slice(src(before, *a, n).get(..n).unwrap_or_default());
            if bound.lanes {
                copy_errors(regs, *dst, *a, n);
            }
            (*dst, bound)
        }
        Op::Cohort { dst, f, arg, site } => {
            let Some(agg) = input.sites.get(*site).and_then(Option::as_ref) else { return false };
            let Some(bound) = cohort(regs, *dst, *f, *arg, agg, input.start, n) else { return false };
            (*dst, bound)
        }
        Op::Range { .. } | Op::Round { .. } | Op::GuardOk { .. } | Op::GuardIf { .. } => return false,
    };
    if !(bound.poison || bound.usable()) {
        return false;
    }
    match regs.bounds.get_mut(dst) {
        Some(slot) => *slot = bound,
        None => return false,
    }
    true
}

/// Register `dst`'s lane errors: lane by lane, `a`'s where the condition `c` picks it, else `b`'s.
fn lane_errors(regs: &mut Regs, dst: Reg, (a, x): (Reg, Bound), (b, y): (Reg, Bound), c: Reg, n: usize) {
    if regs.errs.len() < regs.lo.len() {
        regs.errs.resize(regs.lo.len(), 0.0);
    }
    let (before, out) = regs.errs.split_at_mut(dst * n);
    let Some(out) = out.get_mut(..n) else { return };
    let (cv, av, bv) = (src(&regs.lo, c, n), src(&regs.lo, a, n), src(&regs.lo, b, n));
    // A side's error at each lane: its own lane bounds, or its register's bound at its double.
    let side = |r: Reg, bound: Bound, l: usize, v: f64| {
        if bound.lanes {
            before.get(r * n + l).copied().unwrap_or(f64::INFINITY)
        } else {
            lane_error(bound.per_double(), v)
        }
    };
    for (l, (o, (c, (xa, xb)))) in out.iter_mut().zip(cv.iter().zip(av.iter().zip(bv))).enumerate() {
        *o = if *c != 0.0 { side(a, x, l, *xa) } else { side(b, y, l, *xb) };
    }
}

/// A number a little under 1: a denominator's lower bound times it covers its own rounding.
const DOWN: f64 = 1.0 - 1.0 / (1u64 << 40) as f64;

/// The error of `z̃ = x̃ + ỹ` rounded, from the operands' errors and the rounding's own, which
/// TwoSum gives exactly (0 where the sum is exact, so exact lanes stay exact).
#[inline(always)]
fn sum_error(ea: f64, eb: f64, xa: f64, xb: f64) -> f64 {
    (ea + eb + iv::two_sum(xa, xb).1.abs()) * ROOM
}

/// The rounding error of `z̃ = x̃ · ỹ`: exactly (Dekker's product) where nothing underflows or
/// overflows, else `u·|z̃|` and a subnormal's step.
#[inline(always)]
fn product_rounding(xa: f64, xb: f64, z: f64) -> f64 {
    if moderate(xa) & moderate(xb) & moderate(z) {
        iv::two_prod(xa, xb).1.abs()
    } else if (xa == 0.0) | (xb == 0.0) {
        0.0
    } else {
        U * z.abs() + ETA
    }
}

/// The rounding error of `z̃ = x̃ / ỹ`: `|x̃ − z̃·ỹ| / |ỹ|`, the remainder exact (Dekker's product)
/// where nothing underflows or overflows, else `u·|z̃|` and a subnormal's step.
#[inline(always)]
fn quotient_rounding(xa: f64, xb: f64, z: f64) -> f64 {
    if moderate(xa) & moderate(xb) & moderate(z) {
        let (p, e) = iv::two_prod(z, xb);
        ((xa - p) - e).abs() / xb.abs()
    } else if xa == 0.0 {
        0.0
    } else {
        U * z.abs() + ETA
    }
}

/// The error of `z̃ = x̃ / ỹ` rounded, from the operands' errors: `x̃/ỹ − x/y = (ex − (x̃/ỹ)·ey) / y`
/// and `|y| ≥ |ỹ| − ey`; NaN (never decided, always flagged) where `ey` may reach `|ỹ|`.
#[inline(always)]
fn quotient_error(ea: f64, eb: f64, z: f64, xa: f64, xb: f64) -> f64 {
    let den = (xb.abs() - eb) * DOWN;
    let e = ((ea + z.abs() * (1.0 + 2.0 * U) * eb) / den + quotient_rounding(xa, xb, z)) * ROOM;
    if den > 0.0 {
        e
    } else {
        f64::NAN
    }
}

/// How an operation's lane errors follow from its operands'.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Follow {
    /// `x + y`.
    Sum,
    /// `x − y`.
    Difference,
    Product,
    Quotient,
    /// `min`, `max`: the larger error.
    Either,
}

/// Register `dst`'s lane errors from its operands' (their own, or their bound's at each double)
/// and its doubles: a running error bound, for the registers whose batch bound is too loose (a
/// difference of values of one sign, whose absolute error the batch's largest value sets).
fn follow(regs: &mut Regs, dst: Reg, how: Follow, (a, x): (Reg, Bound), (b, y): (Reg, Bound), n: usize) {
    if regs.errs.len() < regs.lo.len() {
        regs.errs.resize(regs.lo.len(), 0.0);
    }
    let (before, out) = regs.errs.split_at_mut(dst * n);
    let Some(out) = out.get_mut(..n) else { return };
    let (zv, av, bv) = (src(&regs.lo, dst, n), src(&regs.lo, a, n), src(&regs.lo, b, n));
    let (kca, kcb) = (x.per_double(), y.per_double());
    let err = |r: Reg, bound: &Bound, kc: (f64, f64), l: usize, v: f64| {
        if bound.lanes {
            before.get(r * n + l).copied().unwrap_or(f64::NAN)
        } else {
            lane_error(kc, v)
        }
    };
    for (l, (o, (z, (xa, xb)))) in out.iter_mut().zip(zv.iter().zip(av.iter().zip(bv))).enumerate() {
        let ea = err(a, &x, kca, l, *xa);
        let e = match how {
            Follow::Either => ea.max(err(b, &y, kcb, l, *xb)),
            Follow::Sum => sum_error(ea, err(b, &y, kcb, l, *xb), *xa, *xb),
            Follow::Difference => sum_error(ea, err(b, &y, kcb, l, *xb), *xa, -*xb),
            Follow::Product => {
                let eb = err(b, &y, kcb, l, *xb);
                // |x̃ỹ − xy| ≤ |x̃|·ey + |ỹ|·ex + ex·ey.
                (xa.abs() * eb + xb.abs() * ea + ea * eb + product_rounding(*xa, *xb, *z)) * ROOM
            }
            Follow::Quotient => quotient_error(ea, err(b, &y, kcb, l, *xb), *z, *xa, *xb),
        };
        *o = e;
    }
}

/// Register `dst`'s lane errors are `from`'s.
fn copy_errors(regs: &mut Regs, dst: Reg, from: Reg, n: usize) {
    if regs.errs.len() < regs.lo.len() {
        regs.errs.resize(regs.lo.len(), 0.0);
    }
    let (before, out) = regs.errs.split_at_mut(dst * n);
    if let (Some(out), Some(from)) = (out.get_mut(..n), before.get(from * n..(from + 1) * n)) {
        out.copy_from_slice(from);
    }
}

/// The least and greatest of doubles without NaN, eight at a time in separate accumulators (a
/// single running minimum is one long dependency chain the compiler may not reorder).
fn extremes(xs: &[f64]) -> (f64, f64) {
    let (mut lo, mut hi) = ([f64::INFINITY; 8], [f64::NEG_INFINITY; 8]);
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for ((l, h), x) in lo.iter_mut().zip(hi.iter_mut()).zip(c) {
            *l = if *x < *l { *x } else { *l };
            *h = if *x > *h { *x } else { *h };
        }
    }
    let fold = |init: f64, xs: &[f64], f: fn(f64, f64) -> f64| xs.iter().fold(init, |m, x| f(m, *x));
    let least = fold(fold(f64::INFINITY, &lo, f64::min), rest, f64::min);
    let most = fold(fold(f64::NEG_INFINITY, &hi, f64::max), rest, f64::max);
    (least, most)
}

/// 10^d for d ≤ 22, each an exact double.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `a op b` lane by lane into `dst` (1 or 0), flagging the lanes the bounds leave undecided; with
/// `ratio`, a quotient `num / den` of exact integers compared with `n / d` decides those lanes
/// exactly by cross-multiplying.
fn compare(
    regs: &mut Regs,
    dst: Reg,
    op: CmpOp,
    (a, x): (Reg, Bound),
    (b, y): (Reg, Bound),
    n: usize,
    ratio: Option<(Reg, Reg, i128, i128)>,
) {
    let (before, out) = split!(regs, dst, n);
    let (av, bv) = (src(before, a, n), src(before, b, n));
    // |x̃ − x| + |ỹ − y| ≤ kx·|x̃| + ky·|ỹ| + c (or the lanes' own bounds); a difference of
    // doubles beyond that (with room for its own rounding and the bound's) has the exact
    // difference's sign, and it is not 0. Written so that a NaN bound leaves the lane undecided.
    let ((kx, cx), (ky, cy)) = (x.per_double(), y.per_double());
    let c = add_up(cx, cy);
    // Without an absolute error a double is 0 exactly where its value is: two such zeros are equal.
    let zeros = x.abs == 0.0 && y.abs == 0.0 && !x.lanes && !y.lanes;
    let undecided = &mut regs.undecided;
    undecided.clear();
    undecided.resize(n, false);
    // A loop per operator (`holds` a constant inside it) and per kind of bound (`bound` gives the
    // lane's error bound on the difference), without branches: it vectorises.
    macro_rules! decide {
        ($bound:expr) => {
            decide!($bound; Lt => |d: f64| d < 0.0, Le => |d: f64| d <= 0.0, Gt => |d: f64| d > 0.0,
                Ge => |d: f64| d >= 0.0, Eq => |d: f64| d == 0.0, Ne => |d: f64| d != 0.0)
        };
        ($bound:expr; $($op:ident => $holds:expr),*) => {
            match op {
                $(CmpOp::$op => {
                    let holds = $holds;
                    let lanes = out.iter_mut().zip(undecided.iter_mut()).zip(av.iter().zip(bv).enumerate());
                    lanes.fold(false, |any, ((o, u), (l, (x, y)))| {
                        let d = x - y;
                        let e: f64 = $bound(l, *x, *y);
                        *o = f64::from(u8::from(holds(d)));
                        // False for a NaN bound: undecided.
                        let decided = d.abs() > e;
                        *u = !decided & !(zeros & (*x == 0.0) & (*y == 0.0));
                        any | *u
                    })
                })*
            }
        };
    }
    // The sign of a decided difference is the exact difference's (0 only where both are 0).
    let any = if x.is_exact() && y.is_exact() && !x.lanes && !y.lanes {
        // Exact doubles: the rounded difference has the exact one's sign, 0 included.
        decide!(|_, _, _| -1.0)
    } else if x.lanes || y.lanes {
        let errs = |r: Reg, lanes: bool| lanes.then(|| regs.errs.get(r * n..(r + 1) * n)).flatten();
        let (ex, ey) = (errs(a, x.lanes), errs(b, y.lanes));
        decide!(|l: usize, xv: f64, yv: f64| {
            let e_x = ex.map_or_else(|| lane_error((kx, cx), xv), |e| e.get(l).copied().unwrap_or(f64::NAN));
            let e_y = ey.map_or_else(|| lane_error((ky, cy), yv), |e| e.get(l).copied().unwrap_or(f64::NAN));
            (e_x + e_y) * ROOM + 8.0 * ETA
        })
    } else {
        decide!(|_, x: f64, y: f64| (kx * x.abs() + ky * y.abs() + c) * ROOM + 8.0 * ETA)
    };
    if !any {
        return;
    }
    if let Some((num, den, tn, td)) = ratio {
        // The undecided lanes (data exactly at the threshold, rare): exactly, by cross-multiplying.
        let (pv, qv) = (src(before, num, n), src(before, den, n));
        for (o, (u, (p, q))) in out.iter_mut().zip(undecided.iter_mut().zip(pv.iter().zip(qv))) {
            if *u {
                if let Some(ord) = iv::ratio_cmp((*p, *p), (*q, *q), tn, td) {
                    *o = f64::from(u8::from(op.holds(&ord, &std::cmp::Ordering::Equal)));
                    *u = false;
                }
            }
        }
    }
    for (f, u) in regs.flags.iter_mut().zip(undecided.iter()) {
        *f |= *u;
    }
}

/// A cohort function of each lane's argument, from the site's aggregate: the bound of the result,
/// and each lane's error (the extremes' 0 and 1 are exact).
fn cohort(
    regs: &mut Regs,
    dst: Reg,
    f: CohortFn,
    arg: Reg,
    agg: &super::Site,
    start: usize,
    n: usize,
) -> Option<Bound> {
    let x = regs.bounds.get(arg).copied().filter(|b| !b.poison)?;
    let (min, max) = (constant(agg.min), constant(agg.max));
    if regs.errs.len() < regs.lo.len() {
        regs.errs.resize(regs.lo.len(), 0.0);
    }
    let (before, out) = split!(regs, dst, n);
    let (errs_before, errs) = regs.errs.split_at_mut(dst * n);
    let errs = errs.get_mut(..n)?;
    let xv = src(before, arg, n);
    let kc = x.per_double();
    let ex = |l: usize, v: f64| {
        if x.lanes {
            errs_before.get(arg * n + l).copied().unwrap_or(f64::NAN)
        } else {
            lane_error(kc, v)
        }
    };
    let lanes = out.iter_mut().zip(errs.iter_mut()).zip(xv).enumerate();
    let (bound, ones, zeros) = match f {
        CohortFn::MinMax => {
            // (x − min) / (max − min), the range's double being max's minus min's, rounded.
            let range = add(&max, &neg(min));
            let bound = div(&add(&x, &neg(min)), &range)?;
            let (m, r) = (agg.min.0, agg.max.0 - agg.min.0);
            let (e_min, e_range) = (lane_error(min.per_double(), m), lane_error(range.per_double(), r));
            for (l, ((o, e), x)) in lanes {
                let d = x - m;
                *o = d / r;
                *e = quotient_error(sum_error(ex(l, *x), e_min, *x, -m), e_range, *o, d, r);
            }
            (bound, &agg.at_max[..], &agg.at_min[..])
        }
        CohortFn::RelativeToBest => {
            let bound = div(&x, &max)?;
            let m = agg.max.0;
            let e_max = lane_error(max.per_double(), m);
            for (l, ((o, e), x)) in lanes {
                *o = x / m;
                *e = quotient_error(ex(l, *x), e_max, *o, *x, m);
            }
            (bound, &agg.at_max[..], &[][..])
        }
        CohortFn::Rank => return None,
    };
    // The units that hold an extreme are exactly 0 or 1.
    for (units, v) in [(ones, 1.0), (zeros, 0.0)] {
        let first = units.partition_point(|u| *u < start);
        for u in units.get(first..).unwrap_or_default().iter().take_while(|u| **u < start + n) {
            if let (Some(o), Some(e)) = (out.get_mut(u - start), errs.get_mut(u - start)) {
                (*o, *e) = (v, 0.0);
            }
        }
    }
    // The extremes' exact 0 and 1 lie in the range even where the division's range is loose.
    Some(Bound { lo: bound.lo.min(0.0), hi: bound.hi.max(1.0), lanes: true, ..bound })
}

/// Register `r`'s lanes as enclosures for the filter: each double widened by its error bound and
/// cut to the register's range; flagged where the program flagged the lane or an end is not sane.
fn export(regs: &mut Regs, r: Reg, n: usize) {
    let Some(b) = regs.bounds.get(r).copied() else { return };
    let at = r * n..(r + 1) * n;
    if b.poison {
        regs.bad.get_mut(at).into_iter().flatten().for_each(|x| *x = true);
        return;
    }
    let kc = b.per_double();
    let (Some(lo), Some(hi), Some(bad)) =
        (regs.lo.get_mut(at.clone()), regs.hi.get_mut(at.clone()), regs.bad.get_mut(at.clone()))
    else {
        return;
    };
    let flags = regs.flags.get(..n).unwrap_or_default();
    if b.is_exact() && !b.lanes {
        hi.copy_from_slice(lo);
        for (bad, (f, x)) in bad.iter_mut().zip(flags.iter().zip(lo.iter())) {
            *bad = *f | !iv::lane::sane(*x);
        }
        return;
    }
    let (floor, ceiling) = (b.lo, b.hi);
    let lanes = lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut().zip(flags));
    // Each lane's error: its own, or the register's bound at its double.
    match regs.errs.get(at).filter(|_| b.lanes) {
        Some(errs) => lanes.zip(errs).for_each(|(lane, e)| widen(lane, *e, floor, ceiling)),
        None => lanes.for_each(|lane| {
            let e = lane_error(kc, *lane.0 .0);
            widen(lane, e, floor, ceiling)
        }),
    }
}

/// One lane of [`export`]: the double `*lo` widened by its error `e` into `lo` and `hi`, cut to the
/// register's range, flagged where the program flagged it or an end is not sane.
#[inline(always)]
fn widen(((lo, hi), (bad, f)): ((&mut f64, &mut f64), (&mut bool, &bool)), e: f64, floor: f64, ceiling: f64) {
    let x = *lo;
    // The neighbouring doubles where the error is within a step of the double (a value rounded
    // once: two steps wide, where `x̃ ∓ e` rounded outward would be three), else `x̃ ∓ e` rounded
    // outward; `x̃` itself where `e` is 0 (an exact double, or a double 0 without absolute error,
    // whose value is 0). Selects, not branches, so the loop vectorises. Steps at 0 or beyond give
    // no sane end, and flag the lane.
    let step = e != 0.0;
    let (below, above) = (iv::lane::down_if(x, step), iv::lane::up_if(x, step));
    let (wide_lo, wide_hi) = (iv::lane::down_if(x - e, true), iv::lane::up_if(x + e, true));
    let el = if x - below >= e { below } else { wide_lo };
    let eh = if above - x >= e { above } else { wide_hi };
    // The exact value lies in the range too (a NaN end stays NaN, and is flagged).
    let (el, eh) = (if el < floor { floor } else { el }, if eh > ceiling { ceiling } else { eh });
    *lo = el;
    *hi = eh;
    let ordered = el <= eh;
    *bad = *f | !iv::lane::sane(el) | !iv::lane::sane(eh) | !ordered;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Columns, Dataset, UnitData};
    use crate::eval::{Status, Value};
    use crate::num::Num;
    use proptest::prelude::*;

    /// Rules whose programs the doubles' run models: quotients, tiers, differences of either
    /// sign, constants that are no double (1/3, 20/3, 0.1), `min`, `max`, `abs`, `if`.
    const RULES: &str = r#"rulebook "Bounds" {}
agency A "A"
pillar P "P" max 80 {
  indicator 1 "ratio" { max 10 owner A input a: number "a" input b: number "b"
    score = a / b * max }
  indicator 2 "tiers" { max 10 owner A input a: number "a" input b: number "b"
    let r = a / b
    score = when r { >= 80% => max, >= 1/3 => r * 20/3, else => 0 } }
  indicator 3 "difference" { max 10 owner A input a: number "a" input b: number "b"
    score = min(a - b, max) }
  indicator 4 "scaled difference" { max 10 owner A input a: number "a" input b: number "b" input c: number "c"
    score = (a - b) / c * 0.1 }
  indicator 5 "products" { max 10 owner A input a: number "a" input b: number "b" input c: number "c"
    score = abs(a * b - c) / 7 + 1/3 }
  indicator 6 "extremes" { max 10 owner A input a: number "a" input b: number "b" input c: number "c"
    score = max(a, b) - min(b, c) * 3 }
  indicator 7 "branches" { max 10 owner A input a: number "a" input b: number "b"
    score = if a > b then a * 1.1 else b / 3 }
  indicator 8 "capped" { max 10 owner A input a: number "a" input b: number "b"
    score = when a / b { >= 0.9 => max, else => a / b / 0.9 * max } }
}"#;

    /// A data value: a decimal of up to six places, a whole number, 0 with `zero`; with `extremes`, also huge
    /// and tiny ones (which leave most batches to the interval kernels: their cells are odd).
    fn value(extremes: bool, zero: bool) -> impl Strategy<Value = Num> {
        let huge = if extremes { 1 } else { 0 };
        prop_oneof![
            4 => (-2_000_000i64..2_000_000, 0u32..7).prop_map(|(m, s)| Num::ratio(m, 10i64.pow(s)).unwrap_or_default()),
            2 => (1i64..1000).prop_map(Num::from_i64),
            u32::from(zero) => Just(Num::zero()),
            huge => (1i64..1000, 9u32..16).prop_map(|(m, k)| Num::from_i64(m).mul(&Num::from_i64(10i64.pow(k)))),
            huge => (1i64..1000, 9u32..18).prop_map(|(m, k)| Num::ratio(m, 10i64.pow(k)).unwrap_or_default()),
        ]
    }

    fn rows() -> impl Strategy<Value = Vec<(Num, Num, Num)>> {
        // `b` and `c` divide: a 0 there (or a range across 0) leaves the batch to the intervals.
        let rows = |x: bool| proptest::collection::vec((value(x, true), value(x, false), value(x, false)), 1..40);
        prop_oneof![3 => rows(false), 1 => rows(true)]
    }

    /// Runs every plan of [`RULES`] on doubles over units with inputs `a`, `b`, `c` and checks that
    /// each lane left unflagged encloses the exact score before clamping: the number of plans
    /// run on doubles and of lanes left unflagged.
    fn enclosures(rows: &[(Num, Num, Num)]) -> Result<(usize, usize), TestCaseError> {
        let parse = crate::parse(RULES);
        let checked = crate::check(&parse);
        prop_assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let lowered = crate::sema::Lowered::lower(&parse.file, &checked.env);
        let program = crate::engine::compile(&lowered);
        let mut ds = Dataset::default();
        for (u, (a, b, c)) in rows.iter().enumerate() {
            let mut unit = UnitData { id: format!("U{u}"), values: Default::default() };
            for k in 1..=8 {
                let v = unit.values.entry(k.to_string()).or_default();
                v.insert("a".into(), Value::Num(a.clone()));
                v.insert("b".into(), Value::Num(b.clone()));
                v.insert("c".into(), Value::Num(c.clone()));
            }
            ds.units.push(unit);
        }
        let columns = Columns::from_dataset(&ds);
        let exact = program.scores_columns(&columns);
        let units = program.bind(&columns);
        let n = rows.len();
        let mut regs = Regs::default();
        let (mut runs, mut unflagged) = (0, 0);
        for (k, plan) in program.plans().score.iter().enumerate() {
            let Some(plan) = plan else { continue };
            prop_assert!(plan.bounded, "indicator {} is not modelled", k + 1);
            let input = Input { columns: &columns, slots: units.slots(k), start: 0, len: n, sites: &[] };
            regs.stride = n;
            let size = plan.regs.max(1) * n;
            regs.lo.resize(size, 0.0);
            regs.hi.resize(size, 0.0);
            regs.bad.resize(size, true);
            if !run(plan, &input, &mut regs, n) {
                continue;
            }
            runs += 1;
            let Some(r) = plan.score else { continue };
            let (lo, hi, bad) = regs.lanes(r);
            for l in (0..n).filter(|l| !bad[*l]) {
                unflagged += 1;
                let result = exact.units.get(l).and_then(|u| u.indicators.get(k));
                let value =
                    result.filter(|x| x.status == Status::Scored).and_then(|x| x.raw_score.clone().or(x.score.clone()));
                let ends = (Num::from_f64_exact(lo[l]), Num::from_f64_exact(hi[l]));
                let (Some(value), (Some(el), Some(eh))) = (value, ends) else {
                    return Err(TestCaseError::fail(format!(
                        "indicator {} unit {l}: unflagged [{}, {}], exact {result:?}",
                        k + 1,
                        lo[l],
                        hi[l]
                    )));
                };
                prop_assert!(
                    el <= value && value <= eh,
                    "indicator {} unit {l} ({:?}): [{:e}, {:e}] misses {}",
                    k + 1,
                    rows[l],
                    lo[l],
                    hi[l],
                    value
                );
            }
        }
        Ok((runs, unflagged))
    }

    /// On plain data (no input 0, nothing huge) every plan runs on doubles, and nearly every lane
    /// is decided there: the property below is not vacuous.
    #[test]
    fn plain_data_runs_on_doubles() {
        let rows: Vec<(Num, Num, Num)> = (1..=40)
            .map(|k: i64| {
                (
                    Num::ratio(k * 37 % 101, 8).unwrap_or_default(),
                    Num::from_i64(k % 9 + 1),
                    Num::ratio(k, 4).unwrap_or_default(),
                )
            })
            .collect();
        let (runs, unflagged) = enclosures(&rows).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(runs, 8);
        assert!(unflagged >= 8 * 40 * 9 / 10, "{unflagged} of {} lanes", 8 * 40);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Wherever the doubles' run leaves a lane unflagged, the enclosure it writes holds the
        /// exact score before clamping.
        #[test]
        fn unflagged_lanes_enclose_the_exact_scores(rows in rows()) {
            enclosures(&rows)?;
        }
    }
}
