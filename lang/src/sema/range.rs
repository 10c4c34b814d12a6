//! Intervals over exact rationals: closed hulls for bounds, and sets of pieces with open or
//! closed ends for the arms of `when`.

use crate::map::VecMap;
use std::cmp::Ordering;

use super::consts::const_value;
use crate::num::Num;
use crate::syntax::ast::{self, CmpOp, InputModifier, TypeKind};

/// A closed interval; `None` is infinite. Over-approximates: an open end is treated as closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    /// Lower bound, `None` = −∞.
    pub lo: Option<Num>,
    /// Upper bound, `None` = +∞.
    pub hi: Option<Num>,
}

impl Range {
    /// (−∞, +∞).
    pub fn any() -> Range {
        Range { lo: None, hi: None }
    }
    /// [v, v].
    pub fn point(v: Num) -> Range {
        Range { lo: Some(v.clone()), hi: Some(v) }
    }
    /// [lo, hi].
    pub fn new(lo: Option<Num>, hi: Option<Num>) -> Range {
        Range { lo, hi }
    }
    /// [0, +∞).
    pub fn non_negative() -> Range {
        Range { lo: Some(Num::zero()), hi: None }
    }
    /// The single value, when the range is a point.
    pub fn as_point(&self) -> Option<&Num> {
        match (&self.lo, &self.hi) {
            (Some(a), Some(b)) if a == b => Some(a),
            _ => None,
        }
    }
    /// Whether every value is ≥ 0.
    pub fn is_non_negative(&self) -> bool {
        self.lo.as_ref().is_some_and(|l| !l.is_negative())
    }
    /// Whether every value is > 0.
    pub fn is_positive(&self) -> bool {
        self.lo.as_ref().is_some_and(|l| l > &Num::zero())
    }
    /// Whether 0 is inside.
    pub fn contains_zero(&self) -> bool {
        self.lo.as_ref().is_none_or(|l| l <= &Num::zero()) && self.hi.as_ref().is_none_or(|h| !h.is_negative())
    }
    /// The smallest range containing both.
    pub fn hull(&self, o: &Range) -> Range {
        let lo = match (&self.lo, &o.lo) {
            (Some(a), Some(b)) => Some(a.min_of(b)),
            _ => None,
        };
        let hi = match (&self.hi, &o.hi) {
            (Some(a), Some(b)) => Some(a.max_of(b)),
            _ => None,
        };
        Range { lo, hi }
    }
    /// The intersection (may be empty: lo > hi).
    pub fn intersect(&self, o: &Range) -> Range {
        let lo = match (&self.lo, &o.lo) {
            (Some(a), Some(b)) => Some(a.max_of(b)),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        let hi = match (&self.hi, &o.hi) {
            (Some(a), Some(b)) => Some(a.min_of(b)),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        Range { lo, hi }
    }
    /// `self + o`.
    pub fn add(&self, o: &Range) -> Range {
        Range { lo: both(&self.lo, &o.lo, Num::add), hi: both(&self.hi, &o.hi, Num::add) }
    }
    /// `-self`.
    pub fn neg(&self) -> Range {
        Range { lo: self.hi.as_ref().map(Num::neg), hi: self.lo.as_ref().map(Num::neg) }
    }
    /// `self - o`.
    pub fn sub(&self, o: &Range) -> Range {
        self.add(&o.neg())
    }
    /// `self * o`.
    pub fn mul(&self, o: &Range) -> Range {
        // Products of the ends; an infinite end with a zero end gives 0 (0 × anything finite).
        let ends = |r: &Range| [Ext::from_lo(&r.lo), Ext::from_hi(&r.hi)];
        let mut lo: Option<Ext> = None;
        let mut hi: Option<Ext> = None;
        for a in ends(self) {
            for b in ends(o) {
                let p = a.mul(&b);
                lo = Some(match lo {
                    None => p.clone(),
                    Some(l) => l.min(p.clone()),
                });
                hi = Some(match hi {
                    None => p,
                    Some(h) => h.max(p),
                });
            }
        }
        Range { lo: lo.and_then(Ext::finite), hi: hi.and_then(Ext::finite) }
    }
    /// `self / o`, over the values of `o` that are not zero.
    pub fn div(&self, o: &Range) -> Range {
        if o.is_positive() {
            let inv = Range {
                lo: o.hi.as_ref().and_then(|h| Num::one().div_exact(h)).or(Some(Num::zero())),
                hi: o.lo.as_ref().and_then(|l| Num::one().div_exact(l)),
            };
            // 1/[l, +∞) = (0, 1/l]
            let inv = if o.hi.is_none() { Range { lo: Some(Num::zero()), hi: inv.hi } } else { inv };
            return self.mul(&inv);
        }
        if self.is_non_negative() && o.is_non_negative() {
            // Denominator in [0, h]: quotients of the non-zero part are ≥ lo/h.
            let lo = match (&self.lo, &o.hi) {
                (Some(a), Some(h)) => a.div_exact(h).or(Some(Num::zero())),
                _ => Some(Num::zero()),
            };
            return Range { lo, hi: None };
        }
        Range::any()
    }
    /// `min(self, o)`.
    pub fn min(&self, o: &Range) -> Range {
        let lo = match (&self.lo, &o.lo) {
            (Some(a), Some(b)) => Some(a.min_of(b)),
            _ => None,
        };
        let hi = match (&self.hi, &o.hi) {
            (Some(a), Some(b)) => Some(a.min_of(b)),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        Range { lo, hi }
    }
    /// `max(self, o)`.
    pub fn max(&self, o: &Range) -> Range {
        self.neg().min(&o.neg()).neg()
    }
}

fn both(a: &Option<Num>, b: &Option<Num>, f: fn(&Num, &Num) -> Num) -> Option<Num> {
    match (a, b) {
        (Some(a), Some(b)) => Some(f(a, b)),
        _ => None,
    }
}

/// An extended rational: −∞, a number, or +∞.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ext {
    NegInf,
    Fin(Num),
    PosInf,
}

impl Ext {
    fn from_lo(b: &Option<Num>) -> Ext {
        b.clone().map_or(Ext::NegInf, Ext::Fin)
    }
    fn from_hi(b: &Option<Num>) -> Ext {
        b.clone().map_or(Ext::PosInf, Ext::Fin)
    }
    fn finite(self) -> Option<Num> {
        match self {
            Ext::Fin(n) => Some(n),
            _ => None,
        }
    }
    fn sign(&self) -> i8 {
        match self {
            Ext::NegInf => -1,
            Ext::PosInf => 1,
            Ext::Fin(n) if n.is_zero() => 0,
            Ext::Fin(n) if n.is_negative() => -1,
            Ext::Fin(_) => 1,
        }
    }
    fn mul(&self, o: &Ext) -> Ext {
        match (self, o) {
            (Ext::Fin(a), Ext::Fin(b)) => Ext::Fin(a.mul(b)),
            _ => match self.sign() * o.sign() {
                0 => Ext::Fin(Num::zero()),
                s if s > 0 => Ext::PosInf,
                _ => Ext::NegInf,
            },
        }
    }
}

/// The largest integer not above `v`.
fn floor(v: &Num) -> Num {
    if v.is_integer() {
        return v.clone();
    }
    let r = v.round_to(0);
    if &r > v {
        r.sub(&Num::one())
    } else {
        r
    }
}

/// The smallest integer not below `v`.
fn ceil(v: &Num) -> Num {
    floor(&v.neg()).neg()
}

/// One end of a piece.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct End {
    /// The value.
    pub value: Num,
    /// Whether the value itself belongs to the piece.
    pub closed: bool,
}

/// An interval with open or closed ends; `None` is infinite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Lower end.
    pub lo: Option<End>,
    /// Upper end.
    pub hi: Option<End>,
}

/// A finite union of pieces: the values for which a `when` arm matches.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Set {
    /// Disjoint or overlapping pieces.
    pub pieces: Vec<Piece>,
}

impl Piece {
    /// Whether no value (no integer, when `integral`) is inside: the same answer as
    /// `sample(integral).is_none()`, without building candidates (a `when` of many arms asks
    /// this of every arm several times).
    fn is_empty(&self, integral: bool) -> bool {
        let (Some(l), Some(h)) = (&self.lo, &self.hi) else { return false };
        if !integral {
            return !(l.value < h.value || (l.value == h.value && l.closed && h.closed));
        }
        let first = if l.closed || !l.value.is_integer() { ceil(&l.value) } else { l.value.add(&Num::one()) };
        let last = if h.closed || !h.value.is_integer() { floor(&h.value) } else { h.value.sub(&Num::one()) };
        first > last
    }

    /// A value inside the piece (an integer when `integral`), preferring round values.
    pub fn sample(&self, integral: bool) -> Option<Num> {
        let contains = |v: &Num| {
            self.lo.as_ref().is_none_or(|l| if l.closed { v >= &l.value } else { v > &l.value })
                && self.hi.as_ref().is_none_or(|h| if h.closed { v <= &h.value } else { v < &h.value })
        };
        let mut candidates: Vec<Num> = Vec::new();
        match (&self.lo, &self.hi) {
            (Some(l), Some(h)) => {
                candidates.push(l.value.clone());
                candidates.push(h.value.clone());
                if let Some(mid) = l.value.add(&h.value).div_exact(&Num::from_i64(2)) {
                    candidates.push(mid);
                }
            }
            (Some(l), None) => {
                candidates.push(l.value.clone());
                candidates.push(l.value.add(&Num::one()));
                candidates.push(l.value.mul(&Num::from_i64(2)).add(&Num::one()));
            }
            (None, Some(h)) => {
                candidates.push(h.value.clone());
                candidates.push(h.value.sub(&Num::one()));
            }
            (None, None) => candidates.push(Num::zero()),
        }
        if integral {
            let extra: Vec<Num> = candidates
                .iter()
                .flat_map(|c| {
                    // Arms' bounds are mostly integers already: no rounding to pay for then.
                    let r = if c.is_integer() { c.clone() } else { c.round_to(0) };
                    [r.clone(), r.add(&Num::one()), r.sub(&Num::one())]
                })
                .collect();
            candidates = extra;
        }
        candidates.into_iter().filter(|c| !integral || c.is_integer()).find(contains)
    }

    fn intersect(&self, o: &Piece) -> Piece {
        let lo = match (&self.lo, &o.lo) {
            (Some(a), Some(b)) => {
                Some(if a.value > b.value || (a.value == b.value && !a.closed) { a.clone() } else { b.clone() })
            }
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        let hi = match (&self.hi, &o.hi) {
            (Some(a), Some(b)) => {
                Some(if a.value < b.value || (a.value == b.value && !a.closed) { a.clone() } else { b.clone() })
            }
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        Piece { lo, hi }
    }
}

impl Set {
    /// Every value.
    pub fn all() -> Set {
        Set { pieces: vec![Piece { lo: None, hi: None }] }
    }
    /// No value.
    pub fn empty() -> Set {
        Set::default()
    }
    /// The values `x` with `x op t`.
    pub fn cmp(op: CmpOp, t: &Num) -> Set {
        Set::normalized(Set::cmp_pieces(op, t))
    }
    fn cmp_pieces(op: CmpOp, t: &Num) -> Vec<Piece> {
        let end = |closed| Some(End { value: t.clone(), closed });
        let piece = |lo, hi| Piece { lo, hi };
        match op {
            CmpOp::Ge => vec![piece(end(true), None)],
            CmpOp::Gt => vec![piece(end(false), None)],
            CmpOp::Le => vec![piece(None, end(true))],
            CmpOp::Lt => vec![piece(None, end(false))],
            CmpOp::Eq => vec![piece(end(true), end(true))],
            CmpOp::Ne => vec![piece(None, end(false)), piece(end(false), None)],
        }
    }
    /// The values in `[lo, hi]`.
    pub fn closed(lo: &Num, hi: &Num) -> Set {
        Set {
            pieces: vec![Piece {
                lo: Some(End { value: lo.clone(), closed: true }),
                hi: Some(End { value: hi.clone(), closed: true }),
            }],
        }
    }
    /// The values of a closed range.
    pub fn of_range(r: &Range) -> Set {
        let end = |v: &Option<Num>| v.as_ref().map(|v| End { value: v.clone(), closed: true });
        Set { pieces: vec![Piece { lo: end(&r.lo), hi: end(&r.hi) }] }
    }
    /// `self ∩ o`.
    pub fn intersect(&self, o: &Set) -> Set {
        let mut pieces = Vec::new();
        for a in &self.pieces {
            for b in &o.pieces {
                pieces.push(a.intersect(b));
            }
        }
        Set::normalized(pieces)
    }
    /// `self ∪ o`.
    pub fn union(&self, o: &Set) -> Set {
        let mut pieces = self.pieces.clone();
        pieces.extend(o.pieces.iter().cloned());
        Set::normalized(pieces)
    }
    /// The same values as sorted, disjoint, non-touching pieces. Without this, the complement
    /// of n pieces has up to 2^n of them, and a `when` with twenty arms takes minutes to check.
    fn normalized(mut pieces: Vec<Piece>) -> Set {
        pieces.retain(|p| match (&p.lo, &p.hi) {
            (Some(l), Some(h)) => l.value < h.value || (l.value == h.value && l.closed && h.closed),
            _ => true,
        });
        // Lower ends in order: -infinity first, then by value, a closed end before an open one.
        crate::sort::sort_by(&mut pieces, |a, b| match (&a.lo, &b.lo) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.value.cmp(&y.value).then(y.closed.cmp(&x.closed)),
        });
        let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
        for p in pieces {
            if let Some(last) = out.last_mut() {
                // `last` reaches `p` when its upper end is past p's lower end, or they meet at a
                // value one of them includes.
                let reaches = match (&last.hi, &p.lo) {
                    (None, _) | (_, None) => true,
                    (Some(h), Some(l)) => h.value > l.value || (h.value == l.value && (h.closed || l.closed)),
                };
                if reaches {
                    let hi = match (&last.hi, &p.hi) {
                        (None, _) | (_, None) => None,
                        (Some(a), Some(b)) => Some(if a.value > b.value || (a.value == b.value && a.closed) {
                            a.clone()
                        } else {
                            b.clone()
                        }),
                    };
                    last.hi = hi;
                    continue;
                }
            }
            out.push(p);
        }
        Set { pieces: out }
    }
    /// The complement.
    pub fn complement(&self) -> Set {
        // The gaps between the sorted, disjoint pieces of the normalized set.
        let flip = |e: &End| End { value: e.value.clone(), closed: !e.closed };
        let mut out = Vec::new();
        let mut lo: Option<End> = None;
        for p in &Set::normalized(self.pieces.clone()).pieces {
            if let Some(l) = &p.lo {
                out.push(Piece { lo: lo.clone(), hi: Some(flip(l)) });
            }
            match &p.hi {
                Some(h) => lo = Some(flip(h)),
                None => return Set::normalized(out),
            }
        }
        out.push(Piece { lo, hi: None });
        Set::normalized(out)
    }
    /// `self \ o`.
    pub fn minus(&self, o: &Set) -> Set {
        self.intersect(&o.complement())
    }
    /// Whether the set has no value (no integer, when `integral`).
    pub fn is_empty(&self, integral: bool) -> bool {
        self.pieces.iter().all(|p| p.is_empty(integral))
    }
    /// A value of the set.
    pub fn sample(&self, integral: bool) -> Option<Num> {
        self.pieces.iter().find_map(|p| p.sample(integral))
    }
    /// Whether `self ⊆ o` (on the values that matter).
    pub fn subset_of(&self, o: &Set, integral: bool) -> bool {
        self.minus(o).is_empty(integral)
    }
    /// Non-empty pieces, for ordering arms along the axis.
    pub fn nonempty_pieces(&self, integral: bool) -> Vec<Piece> {
        self.pieces.iter().filter(|p| !p.is_empty(integral)).cloned().collect()
    }
    /// The closed hull.
    pub fn hull(&self, integral: bool) -> Option<Range> {
        let ps = self.nonempty_pieces(integral);
        let first = ps.first()?;
        let to_range = |p: &Piece| Range {
            lo: p.lo.as_ref().map(|e| e.value.clone()),
            hi: p.hi.as_ref().map(|e| e.value.clone()),
        };
        Some(ps.iter().skip(1).fold(to_range(first), |acc, p| acc.hull(&to_range(p))))
    }
}

/// A lower end as a sort key: −∞ first, then by value, a closed end before an open one (the
/// order [`Set::normalized`] sorts pieces in).
#[derive(Clone, Debug, PartialEq, Eq)]
struct LoKey(Option<End>);

impl Ord for LoKey {
    fn cmp(&self, o: &LoKey) -> Ordering {
        lo_cmp(&self.0, &o.0)
    }
}

/// The order of lower ends: −∞ first, then by value, a closed end before an open one.
fn lo_cmp(a: &Option<End>, b: &Option<End>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.value.cmp(&y.value).then(y.closed.cmp(&x.closed)),
    }
}

impl PartialOrd for LoKey {
    fn partial_cmp(&self, o: &LoKey) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The values the earlier arms of a `when` already match, grown one arm at a time.
///
/// Equal to folding [`Set::union`] and [`Set::minus`] over the arms, but each step touches only
/// the pieces next to the new arm (found by lower end in a sorted map) instead of the whole set:
/// a `when` of n arms costs O(n log n), not O(n²). The pieces a step looks at are the ones it
/// then merges away, so the total work stays linear in the arms.
#[derive(Clone, Debug, Default)]
pub struct Cover {
    /// Disjoint, non-touching pieces by lower end.
    pieces: VecMap<LoKey, Piece>,
}

impl Cover {
    /// Nothing covered.
    pub fn new() -> Cover {
        Cover::default()
    }

    /// Removes and returns the covered pieces that overlap or touch `p`: the last one starting
    /// at or before it, and those starting inside it.
    fn take_near(&mut self, p: &Piece) -> Vec<Piece> {
        let reaches = |hi: &Option<End>, lo: &Option<End>| match (hi, lo) {
            (None, _) | (_, None) => true,
            (Some(h), Some(l)) => h.value > l.value || (h.value == l.value && (h.closed || l.closed)),
        };
        let meets = |q: &Piece| reaches(&q.hi, &p.lo) && reaches(&p.hi, &q.lo);
        let key = LoKey(p.lo.clone());
        let mut keys: Vec<LoKey> = Vec::new();
        if let Some((k, q)) = self.pieces.range(..=key.clone()).next_back() {
            if meets(q) {
                keys.push(k.clone());
            }
        }
        for (k, q) in self.pieces.range((std::ops::Bound::Excluded(key), std::ops::Bound::Unbounded)) {
            if !meets(q) {
                break;
            }
            keys.push(k.clone());
        }
        keys.iter().filter_map(|k| self.pieces.remove(k)).collect()
    }

    /// Covers `s` too, and returns what of `within ∩ s` was not covered before.
    pub fn add(&mut self, s: &Set, within: &Set) -> Set {
        let mut near = Vec::new();
        for p in &s.pieces {
            near.extend(self.take_near(p));
        }
        let fresh = s.intersect(within);
        if near.is_empty() {
            for p in &s.pieces {
                self.pieces.insert(LoKey(p.lo.clone()), p.clone());
            }
            return fresh;
        }
        let before = Set { pieces: near.clone() };
        near.extend(s.pieces.iter().cloned());
        for q in Set::normalized(near).pieces {
            self.pieces.insert(LoKey(q.lo.clone()), q);
        }
        fresh.minus(&before)
    }

    /// Everything covered, as a set.
    pub fn to_set(&self) -> Set {
        Set { pieces: self.pieces.values().cloned().collect() }
    }
}

/// Pairs of sets (by index, the smaller first, in increasing order) that may overlap without one
/// containing the other: a superset of the pairs that do, found by a sweep along the axis rather
/// than by comparing every pair. One-piece sets that are the whole axis or a single value never
/// overlap partially; two intervals do only when the later-starting one starts inside the other
/// and ends past it. Sets of several pieces are paired with every other set. Gives up (`None`)
/// past `limit` pairs.
pub fn partial_overlap_candidates(sets: &[Option<Set>], limit: usize) -> Option<Vec<(usize, usize)>> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut several = Vec::new();
    let mut intervals: Vec<(usize, &Piece)> = Vec::new();
    for (i, s) in sets.iter().enumerate() {
        let Some(s) = s else { continue };
        match s.pieces.as_slice() {
            [] => {}
            [p] => {
                let whole = p.lo.is_none() && p.hi.is_none();
                let point = matches!((&p.lo, &p.hi), (Some(l), Some(h)) if l.value == h.value);
                if !whole && !point {
                    intervals.push((i, p));
                }
            }
            _ => several.push(i),
        }
    }
    for &i in &several {
        for (j, s) in sets.iter().enumerate() {
            if j != i && s.as_ref().is_some_and(|s| !s.pieces.is_empty()) {
                out.push((i.min(j), i.max(j)));
                if out.len() > limit {
                    return None;
                }
            }
        }
    }
    crate::sort::sort_by(&mut intervals, |(_, a), (_, b)| lo_cmp(&a.lo, &b.lo));
    // Intervals already passed, by finite upper end. Those with no upper end contain every
    // interval that starts later.
    let mut by_hi: VecMap<Num, Vec<usize>> = VecMap::new();
    let mut start = 0;
    while start < intervals.len() {
        // A group starting at the same end: nested in one another, so compared only with earlier groups.
        let rest = intervals.get(start..).unwrap_or_default();
        let key = rest.first().map(|(_, p)| &p.lo);
        let end = rest
            .iter()
            .position(|(_, p)| key.is_none_or(|k| lo_cmp(&p.lo, k) != Ordering::Equal))
            .map_or(intervals.len(), |k| start + k);
        let group = intervals.get(start..end).unwrap_or_default();
        for (j, p) in group {
            // Down-rays all start at −∞ and are nested.
            let Some(lo) = &p.lo else { continue };
            let earlier: Box<dyn Iterator<Item = (&Num, &Vec<usize>)>> = match &p.hi {
                Some(h) => Box::new(by_hi.range(lo.value.clone()..=h.value.clone())),
                None => Box::new(by_hi.range(lo.value.clone()..)),
            };
            for (_, is) in earlier {
                for &i in is {
                    out.push((i.min(*j), i.max(*j)));
                    if out.len() > limit {
                        return None;
                    }
                }
            }
        }
        for (i, p) in group {
            if let Some(h) = &p.hi {
                by_hi.entry(h.value.clone()).or_default().push(*i);
            }
        }
        start = end;
    }
    // Equal pairs are identical, so the stable sort gives what `sort_unstable` gave.
    crate::sort::sort_by(&mut out, Ord::cmp);
    out.dedup();
    Some(out)
}

/// The declared domain of an input: (range, integral, never zero).
pub fn input_domain(input: &ast::InputDecl) -> (Range, bool, bool) {
    let positive = input.modifiers.iter().any(|m| matches!(m, InputModifier::Positive(_)));
    let (mut range, integral) = match input.ty.kind {
        TypeKind::Count => (Range::new(Some(Num::from_i64(i64::from(positive))), None), true),
        TypeKind::Percent | TypeKind::Money | TypeKind::Points => (Range::non_negative(), false),
        _ => (Range::any(), false),
    };
    for m in &input.modifiers {
        match m {
            InputModifier::Min(e) => {
                if let Some(v) = const_value(e) {
                    range = range.intersect(&Range::new(Some(v), None));
                }
            }
            InputModifier::Max(e) => {
                if let Some(v) = const_value(e) {
                    range = range.intersect(&Range::new(None, Some(v)));
                }
            }
            _ => {}
        }
    }
    (range, integral, positive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse_decimal(s).unwrap()
    }

    #[test]
    fn sets_and_gaps() {
        let dom = Set::closed(&n("0"), &n("1"));
        let ge = Set::cmp(CmpOp::Ge, &n("0.8"));
        let lt = Set::cmp(CmpOp::Lt, &n("0.8"));
        assert!(dom.minus(&ge.union(&lt)).is_empty(false));
        let eq = Set::cmp(CmpOp::Eq, &n("1"));
        assert!(dom.minus(&eq.union(&Set::cmp(CmpOp::Lt, &n("1")))).is_empty(false));
        // 10..19 and >= 20 leave no integer gap, but a rational one.
        let r =
            Set::closed(&n("10"), &n("19")).union(&Set::cmp(CmpOp::Ge, &n("20"))).union(&Set::cmp(CmpOp::Lt, &n("10")));
        assert!(Set::of_range(&Range::non_negative()).minus(&r).is_empty(true));
        assert_eq!(Set::of_range(&Range::non_negative()).minus(&r).sample(false), Some(n("19.5")));
    }

    /// The fast emptiness test agrees with the sample search it replaced.
    #[test]
    fn is_empty_agrees_with_sample() {
        let ends = ["-2", "-1.5", "-1", "-0.5", "0", "0.4", "0.5", "0.6", "1", "1.5", "2"];
        let mut all_ends: Vec<Option<End>> = vec![None];
        for e in ends {
            for closed in [true, false] {
                all_ends.push(Some(End { value: n(e), closed }));
            }
        }
        for lo in &all_ends {
            for hi in &all_ends {
                let p = Piece { lo: lo.clone(), hi: hi.clone() };
                for integral in [false, true] {
                    assert_eq!(p.is_empty(integral), p.sample(integral).is_none(), "{p:?} {integral}");
                }
            }
        }
    }

    /// Growing a `Cover` arm by arm gives the same regions and union as whole-set operations.
    #[test]
    fn cover_agrees_with_set_operations() {
        let mut seed: u64 = 7;
        let mut next = |k: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % k
        };
        let ops = [CmpOp::Ge, CmpOp::Gt, CmpOp::Le, CmpOp::Lt, CmpOp::Eq, CmpOp::Ne];
        for _ in 0..300 {
            let domain = Set::closed(&n("0"), &n("10"));
            let mut cover = Cover::new();
            let mut covered = Set::empty();
            for _ in 0..12 {
                let t = Num::from_i64(next(12) as i64).div_exact(&Num::from_i64(1 + next(2) as i64)).unwrap();
                let cond = match next(8) {
                    6 => Set::closed(&t, &t.add(&Num::from_i64(next(4) as i64))),
                    7 => Set::all(),
                    k => Set::cmp(ops[k as usize], &t),
                };
                let region = cond.intersect(&domain).minus(&covered);
                assert_eq!(cover.add(&cond, &domain), region);
                covered = covered.union(&cond);
                assert_eq!(cover.to_set(), covered);
            }
        }
    }

    /// The sweep finds every pair that the pairwise comparison finds.
    #[test]
    fn overlap_candidates_include_every_partial_overlap() {
        let mut seed: u64 = 11;
        let mut next = |k: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % k
        };
        let ops = [CmpOp::Ge, CmpOp::Gt, CmpOp::Le, CmpOp::Lt, CmpOp::Eq, CmpOp::Ne];
        for _ in 0..300 {
            let sets: Vec<Option<Set>> = (0..10)
                .map(|_| {
                    let t = Num::from_i64(next(8) as i64);
                    match next(9) {
                        6 => Some(Set::closed(&t, &t.add(&Num::from_i64(next(4) as i64)))),
                        7 => Some(Set::all()),
                        8 => None,
                        k => Some(Set::cmp(ops[k as usize], &t)),
                    }
                })
                .collect();
            let found = partial_overlap_candidates(&sets, 1000).unwrap();
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    let (Some(si), Some(sj)) = (&sets[i], &sets[j]) else { continue };
                    for integral in [false, true] {
                        let partial = !si.intersect(sj).is_empty(integral)
                            && !si.subset_of(sj, integral)
                            && !sj.subset_of(si, integral);
                        assert!(!partial || found.contains(&(i, j)), "{si:?} {sj:?} {found:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn range_arithmetic() {
        let unit = Range::new(Some(n("0")), Some(n("1")));
        let r = unit.div(&Range::point(n("0.5"))).mul(&Range::point(n("5")));
        assert_eq!(r, Range::new(Some(n("0")), Some(n("10"))));
        let q = Range::non_negative().div(&Range::new(Some(n("1")), None));
        assert_eq!(q, Range::non_negative());
    }
}
