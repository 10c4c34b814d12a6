//! Random well-typed rulebooks rendered as Chiso text.

use super::*;

/// Units of generated numeric expressions, with the language's rules for combining them
/// (spec/reference.md §4), so that every generated expression is well-typed by construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum U {
    Count,
    Percent,
    Money,
    Points,
    Number,
    /// yes/no, choices and text: not numeric.
    Other,
}

pub(super) const NUM_UNITS: &[U] = &[U::Count, U::Percent, U::Money, U::Points, U::Number];

pub(super) fn unify_u(a: U, b: U) -> Option<U> {
    match (a, b) {
        (U::Other, _) | (_, U::Other) => None,
        (U::Number, x) | (x, U::Number) => Some(x),
        (x, y) if x == y => Some(x),
        _ => None,
    }
}

pub(super) fn mul_u(a: U, b: U) -> Option<U> {
    match (a, b) {
        (U::Other, _) | (_, U::Other) => None,
        (U::Number | U::Percent, x) | (x, U::Number | U::Percent) => Some(x),
        (U::Count, x) | (x, U::Count) => Some(x),
        _ => None,
    }
}

pub(super) fn div_u(a: U, b: U) -> Option<U> {
    match (a, b) {
        (U::Other, _) | (_, U::Other) => None,
        (U::Number, U::Number) => Some(U::Number),
        (x, y) if x == y => Some(U::Percent),
        (x, U::Number | U::Percent | U::Count) => Some(x),
        _ => None,
    }
}

/// A rendered expression, its precedence (to parenthesise operands exactly when needed) and its
/// unit.
#[derive(Clone, Debug)]
pub(super) struct G {
    s: String,
    prec: u8,
    u: U,
}

pub(super) const LOW: u8 = 1; // if, when, match
pub(super) const OR: u8 = 3;
pub(super) const AND: u8 = 4;
pub(super) const NOT: u8 = 5;
pub(super) const CMP: u8 = 6;
pub(super) const ADD: u8 = 7;
pub(super) const MUL: u8 = 8;
pub(super) const NEG: u8 = 9;
pub(super) const ATOM: u8 = 10;

pub(super) fn g(s: impl Into<String>, prec: u8, u: U) -> G {
    G { s: s.into(), prec, u }
}

pub(super) fn wrap(x: &G, min: u8) -> String {
    if x.prec >= min {
        x.s.clone()
    } else {
        format!("({})", x.s)
    }
}

/// `a op b` for an arithmetic operator; `None` when the units do not combine.
pub(super) fn arith(a: &G, op: &str, b: &G) -> Option<G> {
    let (u, prec) = match op {
        "+" | "-" => (unify_u(a.u, b.u)?, ADD),
        "*" => (mul_u(a.u, b.u)?, MUL),
        _ => (div_u(a.u, b.u)?, MUL),
    };
    Some(g(format!("{} {op} {}", wrap(a, prec), wrap(b, prec + 1)), prec, u))
}

pub(super) fn logic(a: &G, op: &str, b: &G) -> G {
    let prec = if op == "and" { AND } else { OR };
    g(format!("{} {op} {}", wrap(a, prec), wrap(b, prec + 1)), prec, U::Other)
}

pub(super) fn cmp(a: &G, op: &str, b: &G) -> G {
    g(format!("{} {op} {}", wrap(a, ADD), wrap(b, ADD)), CMP, U::Other)
}

/// A literal; a leading minus makes it a negation.
pub(super) fn lit(s: String, u: U) -> G {
    let prec = if s.starts_with('-') { NEG } else { ATOM };
    g(s, prec, u)
}

/// The shapes of generated user functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // the shapes read as the call they generate
pub(super) enum FnShape {
    /// `f(x, full)`, `x` a scalar
    XFull,
    /// `f(x, t, full)`, `t` in the unit of `x`
    XTFull,
    /// `f(x, y, full)`, `y` in the unit of `x`
    XYFull,
}

#[derive(Clone, Debug)]
pub(super) struct FnSig {
    name: String,
    shape: FnShape,
}

pub(super) struct Ctx<'t, 'd> {
    t: &'t mut Tape<'d>,
    nums: Vec<(String, U)>,
    /// `let`s whose value compares units, and whether we are inside a cohort function's argument:
    /// there neither may appear (E0213).
    cohort_lets: Vec<String>,
    in_cohort: bool,
    bools: Vec<String>,
    choices: Vec<(String, Vec<String>)>,
    fns: Vec<FnSig>,
}

/// A literal carrying its unit (`80%`, `2 tỷ`, `5 pt`; counts and numbers are plain).
pub(super) fn unit_literal(t: &mut Tape, u: U) -> (String, Num) {
    let (s, v) = match u {
        U::Percent => t
            .pick(&[
                ("80%", dec(8, 1)),
                ("50%", dec(5, 1)),
                ("100%", Num::one()),
                ("0%", Num::zero()),
                ("10%", dec(1, 1)),
                ("0.25%", dec(25, 4)),
                ("70%", dec(7, 1)),
                ("120%", dec(12, 1)),
                ("33.3%", dec(333, 3)),
            ])
            .clone(),
        U::Count => {
            let v = *t.pick(&[10, 0, 1, 2, 3, 5, 20, 100, 7]);
            return (v.to_string(), int(v));
        }
        U::Money => t
            .pick(&[
                ("1 tỷ", Num::one()),
                ("2 tỷ", int(2)),
                ("0.5 tỷ", dec(5, 1)),
                ("0 tỷ", Num::zero()),
                ("1.5 tỷ", dec(15, 1)),
            ])
            .clone(),
        U::Points => {
            t.pick(&[("5 pt", int(5)), ("1 pt", Num::one()), ("0 pt", Num::zero()), ("10 điểm", int(10))]).clone()
        }
        U::Number | U::Other => {
            let (s, v) = t
                .pick(&[("1", Num::one()), ("0", Num::zero()), ("0.5", dec(5, 1)), ("2", int(2)), ("10", int(10))])
                .clone();
            if t.chance(15) && !v.is_zero() {
                return (format!("-{s}"), v.neg());
            }
            (s, v)
        }
    };
    (s.to_string(), v)
}

/// A threshold for a comparison with a value of unit `u`: a literal of that unit or a plain number
/// (which adapts). A plain number above 1 next to a percent is refused (E0310: `>= 80` for
/// `>= 80%`), so a percent gets one only up to 1.
pub(super) fn threshold(t: &mut Tape, u: U) -> (String, Num) {
    let (s, v) = unit_literal(t, u);
    let plain_allowed = u != U::Percent || v <= Num::from_i64(1);
    if plain_allowed && t.chance(15) && matches!(u, U::Percent | U::Money | U::Points) {
        (decimal_text(&v), v)
    } else {
        (s, v)
    }
}

pub(super) fn nonzero_literal(t: &mut Tape, u: U) -> G {
    for _ in 0..4 {
        let (s, v) = unit_literal(t, u);
        if !v.is_zero() {
            return lit(s, u);
        }
    }
    match u {
        U::Percent => lit("80%".into(), u),
        U::Money => lit("1 tỷ".into(), u),
        U::Points => lit("5 pt".into(), u),
        U::Count => lit("2".into(), U::Number),
        _ => lit("2".into(), u),
    }
}

impl Ctx<'_, '_> {
    /// A numeric unit, preferably one that some input or `let` has.
    fn some_unit(&mut self, among: &[U]) -> U {
        let with: Vec<U> = among.iter().copied().filter(|u| !self.names_of(*u).is_empty()).collect();
        if !with.is_empty() && self.t.chance(85) {
            *self.t.pick(&with)
        } else {
            *self.t.pick(among)
        }
    }

    fn names_of(&self, u: U) -> Vec<String> {
        self.nums
            .iter()
            .filter(|(n, x)| *x == u && !(self.in_cohort && self.cohort_lets.contains(n)))
            .map(|(n, _)| n.clone())
            .collect()
    }

    fn name_of(&mut self, u: U) -> Option<G> {
        let names = self.names_of(u);
        if names.is_empty() {
            None
        } else {
            Some(g(self.t.pick(&names).clone(), ATOM, u))
        }
    }

    fn literal(&mut self, u: U) -> G {
        let (s, _) = unit_literal(self.t, u);
        // Plain literals are numbers that adapt.
        lit(s, if u == U::Count { U::Number } else { u })
    }

    /// A numeric expression whose unit unifies with `u` (it is `u`, or a plain number).
    fn numeric(&mut self, u: U, depth: u32) -> G {
        let leafy = depth >= 3;
        let nl = |w: u32| if leafy { 0 } else { w };
        match self.t.weighted(&[8, 1, nl(2), nl(1), nl(1), nl(1)]) {
            0 => self.name_of(u).unwrap_or_else(|| self.literal(u)),
            2 => {
                let a = self.numeric(u, depth + 1);
                let b = self.numeric(u, depth + 1);
                let op = self.t.pick(&["+", "-"]);
                arith(&a, op, &b).unwrap_or(a)
            }
            3 => {
                if u == U::Percent {
                    let r = self.ratio(depth + 1);
                    if unify_u(r.u, u).is_some() {
                        return r;
                    }
                }
                let a = self.numeric(u, depth + 1);
                let k = lit((self.t.pick(&["2", "0.5", "3"])).to_string(), U::Number);
                let r = if self.t.chance(50) { arith(&k, "*", &a) } else { arith(&a, "/", &k) };
                r.filter(|r| unify_u(r.u, u).is_some()).unwrap_or(a)
            }
            4 if u == U::Count && !self.in_cohort && self.t.chance(40) => {
                let pick = self.some_unit(NUM_UNITS);
                self.in_cohort = true;
                let x = self.numeric(pick, depth + 1);
                self.in_cohort = false;
                g(format!("rank({})", x.s), ATOM, U::Count)
            }
            5 => {
                let a = self.numeric(u, depth + 1);
                let b = self.numeric(u, depth + 1);
                match unify_u(a.u, b.u) {
                    Some(w) => g(format!("{}({}, {})", self.t.pick(&["min", "max"]), a.s, b.s), ATOM, w),
                    None => a,
                }
            }
            _ => self.literal(u),
        }
    }

    /// A quotient of two values of one unit: a percent (or, with plain numbers, a number or a
    /// count, which scale points just as well).
    fn quotient(&mut self, depth: u32) -> (G, G) {
        let mut units: Vec<U> = NUM_UNITS.iter().copied().filter(|u| !self.names_of(*u).is_empty()).collect();
        if units.is_empty() {
            units.push(U::Money);
        }
        let u = *self.t.pick(&units);
        let a = self.numeric(u, depth + 1);
        let b = self.numeric(u, depth + 1);
        (a, b)
    }

    /// A scalar in [0, 1] most of the time: a percent input, a quotient, a cohort function, …
    fn ratio(&mut self, depth: u32) -> G {
        let leafy = depth >= 3;
        let nl = |w: u32| if leafy { 0 } else { w };
        let has_pct = !self.names_of(U::Percent).is_empty();
        match self.t.weighted(&[if has_pct { 5 } else { 0 }, 6, nl(2), 2, nl(2), 2, nl(1), nl(1), nl(1)]) {
            0 => self.name_of(U::Percent).unwrap_or_else(|| self.literal(U::Percent)),
            1 => {
                let (a, b) = self.quotient(depth);
                arith(&a, "/", &b).unwrap_or(a)
            }
            2 => {
                // Guarded: `if b == 0 then … else a / b`.
                let (a, b) = self.quotient(depth);
                let Some(q) = arith(&a, "/", &b) else { return a };
                let fallback = lit((self.t.pick(&["1", "0", "0.5"])).to_string(), U::Number);
                let guard = cmp(&b, *self.t.pick(&["==", "==", "!="]), &lit("0".into(), U::Number));
                let (yes, no) = if guard.s.contains("!=") { (&q, &fallback) } else { (&fallback, &q) };
                g(format!("if {} then {} else {}", guard.s, yes.s, no.s), LOW, q.u)
            }
            3 => self.literal(U::Percent),
            4 => {
                let a = self.ratio(depth + 1);
                let b = self.ratio(depth + 1);
                let one = lit("1".into(), U::Number);
                let r = match self.t.below(4) {
                    0 => arith(&a, "*", &b),
                    1 => arith(&one, "-", &a),
                    2 => unify_u(a.u, U::Percent).map(|w| g(format!("min({}, 100%)", a.s), ATOM, w)),
                    _ => arith(&a, "+", &b),
                };
                r.unwrap_or(a)
            }
            5 if !self.in_cohort => {
                let u = self.some_unit(NUM_UNITS);
                self.in_cohort = true;
                let x = self.numeric(u, depth + 1);
                self.in_cohort = false;
                g(format!("{}({})", self.t.pick(&["minmax", "relative_to_best"]), x.s), ATOM, U::Percent)
            }
            5 => self.literal(U::Percent),
            6 => {
                let a = self.ratio(depth + 1);
                let th = nonzero_literal(self.t, U::Percent);
                arith(&a, "/", &th).unwrap_or(a)
            }
            7 => {
                // share_or(part, whole, fallback) from the prelude: `if whole == 0 then fallback
                // else part / whole`.
                let (a, b) = self.quotient(depth);
                let Some(q) = arith(&a, "/", &b) else { return a };
                g(format!("share_or({}, {}, {})", a.s, b.s, self.t.pick(&["1", "0", "0.5"])), ATOM, q.u)
            }
            _ => {
                let a = self.ratio(depth + 1);
                g(format!("abs({})", a.s), ATOM, a.u)
            }
        }
    }

    /// A scalar that multiplies points: a ratio, a plain number or a count.
    fn scalar(&mut self, depth: u32) -> G {
        let s = match self.t.weighted(&[6, 1, 1]) {
            1 => self.numeric(U::Number, depth + 1),
            2 => self.numeric(U::Count, depth + 1),
            _ => self.ratio(depth),
        };
        if matches!(s.u, U::Money | U::Points | U::Other) {
            // Cannot scale points; fall back to a plain ratio.
            self.literal(U::Percent)
        } else {
            s
        }
    }

    fn boolean(&mut self, depth: u32) -> G {
        let leafy = depth >= 3;
        let nl = |w: u32| if leafy { 0 } else { w };
        let w = [
            if self.bools.is_empty() { 0 } else { 6 },
            4,
            if self.choices.is_empty() { 0 } else { 2 },
            nl(1),
            nl(1),
            1,
        ];
        match self.t.weighted(&w) {
            0 => {
                let v = self.bools.clone();
                g(self.t.pick(&v).clone(), ATOM, U::Other)
            }
            1 => {
                let u = self.some_unit(NUM_UNITS);
                let x = self.numeric(u, depth + 1);
                let (th, _) = threshold(self.t, x.u);
                cmp(&x, *self.t.pick(&[">=", ">", "<", "<=", "==", "!="]), &lit(th, x.u))
            }
            2 => {
                let v = self.choices.clone();
                let (c, opts) = self.t.pick(&v).clone();
                let o = self.t.pick(&opts).clone();
                cmp(&g(c, ATOM, U::Other), *self.t.pick(&["==", "!="]), &g(o, ATOM, U::Other))
            }
            3 => {
                let a = self.boolean(depth + 1);
                let b = self.boolean(depth + 1);
                logic(&a, *self.t.pick(&["and", "or"]), &b)
            }
            4 => {
                let a = self.boolean(depth + 1);
                g(format!("not {}", wrap(&a, NOT)), NOT, U::Other)
            }
            _ => g(*self.t.pick(&["true", "false"]), ATOM, U::Other),
        }
    }

    /// A `when` over a numeric scrutinee, arms in random order: step tables, overlaps, gaps,
    /// unreachable arms, sloped arms (`x / T * max`), with or without `else`.
    fn when(&mut self, depth: u32) -> G {
        let u = self.some_unit(&[U::Percent, U::Percent, U::Count, U::Money, U::Number, U::Points]);
        let scrutinee = match self.name_of(u) {
            Some(n) if self.t.chance(70) => n,
            _ if u == U::Percent => self.ratio(depth + 1),
            _ => self.numeric(u, depth + 1),
        };
        let su = scrutinee.u;
        let n = 1 + self.t.below(4);
        let mut arms = Vec::new();
        for i in 0..n {
            let last = i + 1 == n;
            let pattern = if last && self.t.chance(70) {
                "else".to_string()
            } else {
                match self.t.weighted(&[5, 1, 1, 2, 1, 1, 1, 1]) {
                    0 => format!(">= {}", threshold(self.t, su).0),
                    1 => format!("> {}", threshold(self.t, su).0),
                    2 => format!("<= {}", threshold(self.t, su).0),
                    3 => format!("< {}", threshold(self.t, su).0),
                    4 => format!("== {}", threshold(self.t, su).0),
                    5 => format!("!= {}", threshold(self.t, su).0),
                    6 => {
                        let (a, av) = threshold(self.t, su);
                        let (b, bv) = threshold(self.t, su);
                        if av <= bv {
                            format!("in {a}..{b}")
                        } else {
                            format!("in {b}..{a}")
                        }
                    }
                    _ => "else".to_string(),
                }
            };
            let body = match self.t.weighted(&[4, 3, 2]) {
                // A sloped arm: `x / T * max`.
                1 if scrutinee.prec == ATOM => {
                    let th = nonzero_literal(self.t, su);
                    arith(&scrutinee, "/", &th)
                        .filter(|q| !matches!(q.u, U::Money | U::Points))
                        .and_then(|q| arith(&q, "*", &g("max", ATOM, U::Points)))
                        .unwrap_or_else(|| self.points_leaf())
                }
                2 => self.points(depth + 1),
                _ => self.points_leaf(),
            };
            arms.push(format!("{pattern} => {}", body.s));
        }
        let sep = if self.t.chance(50) { ", " } else { ",\n" };
        g(format!("when {} {{ {} }}", wrap(&scrutinee, OR), arms.join(sep)), LOW, U::Points)
    }

    fn points_leaf(&mut self) -> G {
        let max = g("max", ATOM, U::Points);
        match self.t.weighted(&[4, 3, 2, 2, 1, 1]) {
            0 => max,
            1 => lit("0".into(), U::Number),
            2 => {
                let k = *self.t.pick(&["1 / 2", "70%", "0.25", "1/4", "2", "1.5", "30%"]);
                let k = g(k, if k.contains('/') { MUL } else { ATOM }, U::Number);
                g(format!("{} * max", wrap(&k, MUL)), MUL, U::Points)
            }
            3 => lit((self.t.pick(&["1 pt", "3 pt", "0.5 pt", "12 pt", "5 điểm"])).to_string(), U::Points),
            4 => lit("-1 pt".into(), U::Points),
            _ => g(format!("max / {}", self.t.pick(&["2", "3", "4"])), MUL, U::Points),
        }
    }

    /// An expression in points (or a plain number, which a score reads as points).
    fn points(&mut self, depth: u32) -> G {
        let leafy = depth >= 3;
        let nl = |w: u32| if leafy { 0 } else { w };
        let has_count = !self.names_of(U::Count).is_empty();
        let w = [
            2,                                                 // 0 leaf
            6,                                                 // 1 scalar * max
            nl(5),                                             // 2 when
            if self.bools.is_empty() { nl(1) } else { nl(3) }, // 3 if
            if self.choices.is_empty() { 0 } else { nl(3) },   // 4 match
            nl(3),                                             // 5 min / max caps
            nl(2),                                             // 6 parts
            nl(2),                                             // 7 + / -
            if has_count { 2 } else { 0 },                     // 8 count * pt
            3,                                                 // 9 prelude
            if self.fns.is_empty() { 0 } else { 3 },           // 10 user fn
            nl(1),                                             // 11 round
            nl(1),                                             // 12 abs / neg
            nl(1),                                             // 13 division
            1,                                                 // 14 rank tiers
        ];
        let max = g("max", ATOM, U::Points);
        let p = |s: String| g(s, ATOM, U::Points);
        match self.t.weighted(&w) {
            1 => {
                let s = self.scalar(depth);
                let r = if self.t.chance(75) { arith(&s, "*", &max) } else { arith(&max, "*", &s) };
                r.unwrap_or(max)
            }
            2 => self.when(depth),
            3 => {
                let c = self.boolean(depth + 1);
                let a = self.points(depth + 1);
                let b = self.points(depth + 1);
                g(format!("if {} then {} else {}", c.s, a.s, b.s), LOW, U::Points)
            }
            4 => {
                let v = self.choices.clone();
                let (c, opts) = self.t.pick(&v).clone();
                let with_else = self.t.chance(30);
                let covered = if with_else { opts.len() - self.t.below(opts.len()) } else { opts.len() };
                let mut arms = Vec::new();
                for o in opts.iter().take(covered) {
                    let b = self.points(depth + 1);
                    arms.push(format!("{o} => {}", b.s));
                }
                if with_else {
                    let b = self.points(depth + 1);
                    arms.push(format!("else => {}", b.s));
                }
                g(format!("match {c} {{ {} }}", arms.join(", ")), LOW, U::Points)
            }
            5 => {
                let a = self.points(depth + 1);
                match self.t.below(4) {
                    0 => p(format!("min({}, max)", a.s)),
                    1 => p(format!("max(0, {})", a.s)),
                    2 => {
                        let b = self.points(depth + 1);
                        p(format!("min({}, {})", a.s, b.s))
                    }
                    _ => {
                        let b = self.points(depth + 1);
                        p(format!("max({}, {}, 0)", a.s, b.s))
                    }
                }
            }
            6 => {
                let a = self.points(depth + 1);
                let b = self.points(depth + 1);
                let pa = p(format!("part(\"1. Phần một\", {})", a.s));
                let pb = p(format!("part(\"2. Phần \\\"hai\\\"\", {})", b.s));
                arith(&pa, "+", &pb).unwrap_or(pa)
            }
            7 => {
                let a = self.points(depth + 1);
                let b = self.points(depth + 1);
                let op = self.t.pick(&["+", "-"]);
                let r = if self.t.chance(40) { arith(&max, "-", &b) } else { arith(&a, op, &b) };
                r.unwrap_or(max)
            }
            8 => {
                let c = self.name_of(U::Count).unwrap_or_else(|| lit("3".into(), U::Number));
                let pt = lit((self.t.pick(&["1 pt", "0.5 pt", "2 điểm"])).to_string(), U::Points);
                arith(&c, "*", &pt).unwrap_or(max)
            }
            9 => {
                let r = self.scalar(depth);
                match self.t.below(7) {
                    0 => p(format!("capped_linear({}, {}, max)", r.s, nonzero_literal(self.t, r.u).s)),
                    1 => p(format!("threshold_or_linear({}, {}, max)", r.s, threshold(self.t, r.u).0)),
                    2 => {
                        let b = self.boolean(depth + 1);
                        p(format!("all_or_nothing({}, max)", b.s))
                    }
                    3 if has_count => {
                        let c = self.name_of(U::Count).unwrap_or_else(|| lit("3".into(), U::Number));
                        p(format!("per_item_capped({}, {}, max)", c.s, self.t.pick(&["1 pt", "2 pt", "0.5 pt"])))
                    }
                    4 => {
                        let a = self.points(depth + 1);
                        p(format!("clamp({}, 0, max)", a.s))
                    }
                    _ => p(format!("linear({}, max)", r.s)),
                }
            }
            10 => {
                let v = self.fns.clone();
                let f = self.t.pick(&v).clone();
                let x = self.scalar(depth);
                match f.shape {
                    FnShape::XFull => p(format!("{}({}, max)", f.name, x.s)),
                    FnShape::XTFull => p(format!("{}({}, {}, max)", f.name, x.s, nonzero_literal(self.t, x.u).s)),
                    FnShape::XYFull => {
                        let y = if x.u == U::Percent { self.ratio(depth + 1) } else { self.numeric(x.u, depth + 1) };
                        if unify_u(x.u, y.u).is_some() && !matches!(y.u, U::Money | U::Points) {
                            p(format!("{}({}, {}, max)", f.name, x.s, y.s))
                        } else {
                            p(format!("{}({}, {}, max)", f.name, x.s, x.s))
                        }
                    }
                }
            }
            11 => {
                let a = self.points(depth + 1);
                p(format!("round({}, {})", a.s, self.t.below(4)))
            }
            12 => {
                let a = self.points(depth + 1);
                if self.t.chance(70) {
                    p(format!("abs({})", a.s))
                } else {
                    g(format!("-{}", wrap(&a, NEG)), NEG, a.u)
                }
            }
            13 => {
                let a = self.points(depth + 1);
                let s = self.scalar(depth + 1);
                arith(&a, "/", &s).unwrap_or(a)
            }
            14 if !self.in_cohort => {
                let u = self.some_unit(NUM_UNITS);
                self.in_cohort = true;
                let x = self.numeric(u, depth + 1);
                self.in_cohort = false;
                let k = self.t.pick(&["2", "3", "5"]);
                g(format!("when rank({}) {{ == 1 => max, <= {k} => 1 / 2 * max, else => 0 }}", x.s), LOW, U::Points)
            }
            _ => self.points_leaf(),
        }
    }
}

/// A generated input declaration; registers the input in the context lists.
pub(super) fn input_decl(
    t: &mut Tape,
    name: &str,
    nums: &mut Vec<(String, U)>,
    bools: &mut Vec<String>,
    choices: &mut Vec<(String, Vec<String>)>,
) -> String {
    let kind = t.weighted(&[5, 4, 2, 1, 2, 2, 2, 1]);
    let mut s = format!("input {name}: ");
    let numeric = match kind {
        0 => Some((U::Count, "count")),
        1 => Some((U::Percent, "percent")),
        2 => Some((U::Money, "money")),
        3 => Some((U::Points, "points")),
        4 => Some((U::Number, "number")),
        _ => None,
    };
    match (kind, numeric) {
        (_, Some((_, word))) => s.push_str(word),
        (5, _) => {
            s.push_str("yes_no");
            bools.push(name.to_string());
        }
        (6, _) => {
            let n = 2 + t.below(3);
            let opts: Vec<String> =
                ["đạt", "một_phần", "chưa", "khác"].iter().take(n).map(|o| format!("{name}_{o}")).collect();
            let _ = write!(s, "choice {{ {} }}", opts.join(", "));
            choices.push((name.to_string(), opts));
        }
        _ => s.push_str(*t.pick(&["text", "date"])),
    }
    if t.chance(70) {
        let _ = write!(s, " \"Mô tả {name}\"");
    }
    let Some((u, _)) = numeric else {
        if kind == 5 && t.chance(15) {
            let _ = write!(s, " default {}", t.pick(&["true", "false"]));
        }
        return s;
    };
    nums.push((name.to_string(), u));
    let mut mods: Vec<String> = Vec::new();
    let positive = t.chance(25);
    if positive {
        mods.push("positive".into());
    }
    match t.weighted(&[6, 2, 1]) {
        1 => mods.push("neutral".into()),
        2 => mods.push("lower_is_better".into()),
        _ => {}
    }
    let bound = |t: &mut Tape| -> (String, Num) {
        let (s, v): (&str, Num) = match u {
            U::Count => {
                let v = *t.pick(&[0i64, 1, 5, 7, 10, 100]);
                return (v.to_string(), int(v));
            }
            U::Percent => {
                t.pick(&[("100%", Num::one()), ("50%", dec(5, 1)), ("0%", Num::zero()), ("150%", dec(15, 1))]).clone()
            }
            U::Money => t.pick(&[("1 tỷ", Num::one()), ("10 tỷ", int(10)), ("0.5", dec(5, 1))]).clone(),
            U::Points => t.pick(&[("10 pt", int(10)), ("1", Num::one()), ("0", Num::zero())]).clone(),
            _ => t.pick(&[("-5", int(-5)), ("0", Num::zero()), ("1", Num::one()), ("100", int(100))]).clone(),
        };
        (s.to_string(), v)
    };
    let mut lo: Option<Num> = None;
    let mut hi: Option<Num> = None;
    if t.chance(15) {
        let (txt, v) = bound(t);
        mods.push(format!("at_least {txt}"));
        lo = Some(v);
    }
    if t.chance(20) {
        let (txt, v) = bound(t);
        // Keep the domain non-empty: an empty one is the author's problem, not the checker's.
        if lo.as_ref().is_none_or(|l| &v >= l) && !(positive && (v.is_zero() || v.is_negative())) {
            mods.push(format!("at_most {txt}"));
            hi = Some(v);
        }
    }
    if t.chance(15) {
        let (txt, v) = bound(t);
        // A default outside the domain is E0309 (see the corpus); generated rulebooks must check.
        let signed = matches!(u, U::Number | U::Other);
        let inside = lo.as_ref().is_none_or(|l| &v >= l)
            && hi.as_ref().is_none_or(|h| &v <= h)
            && (signed || !v.is_negative())
            && !(positive && (v.is_zero() || v.is_negative()));
        if inside {
            mods.push(format!("default {txt}"));
        }
    }
    let k = t.below(mods.len().max(1));
    mods.rotate_left(k);
    for m in mods {
        s.push(' ');
        s.push_str(&m);
    }
    s
}

pub(super) fn gen_fn(t: &mut Tape, name: &str, fns: &[FnSig]) -> (String, FnSig) {
    let sig = |shape| FnSig { name: name.into(), shape };
    match t.below(5) {
        0 => {
            // A step table on x with plain thresholds (they adapt to x's unit).
            let mut ths: Vec<&str> = vec![*t.pick(&["0.8", "1", "0.5"]), *t.pick(&["0.3", "0.5", "0.1", "0"])];
            if t.chance(30) {
                ths.reverse();
            }
            let k = *t.pick(&["70%", "1 / 2", "0.3"]);
            let last = if t.chance(80) { "else" } else { "< 0.1" };
            let text = format!(
                "fn {name}(x, full) = when x {{\n  >= {} => full,\n  >= {} => {k} * full,\n  {last} => 0,\n}}",
                ths[0], ths[1]
            );
            (text, sig(FnShape::XFull))
        }
        1 => {
            let slope = if t.chance(60) { "x / t * full" } else { "x * full" };
            (format!("fn {name}(x, t, full) = if x >= t then full else {slope}"), sig(FnShape::XTFull))
        }
        2 => (format!("fn {name}(x, full) = full - x * full"), sig(FnShape::XFull)),
        3 => (format!("fn {name}(x, y, full) = {}(x, y) * full", t.pick(&["min", "max"])), sig(FnShape::XYFull)),
        _ => {
            // Calls an earlier function (or the prelude).
            let inner = fns.iter().rev().find(|f| f.shape == FnShape::XFull).map_or("linear", |f| f.name.as_str());
            let extra = *t.pick(&["0", "1 / 2", "x"]);
            (format!("fn {name}(x, full) = {inner}(x, full) / 2 + {extra} * full"), sig(FnShape::XFull))
        }
    }
}

/// One generated indicator (or a parent with two sub-indicators): its text and its max.
pub(super) fn gen_indicator(t: &mut Tape, id: &str, fns: &[FnSig], indent: &str, allow_subs: bool) -> (String, Num) {
    if allow_subs && t.chance(10) {
        let inner = format!("{indent}  ");
        let (a, ma) = gen_indicator(t, &format!("{id}.1"), fns, &inner, false);
        let (b, mb) = gen_indicator(t, &format!("{id}.2"), fns, &inner, false);
        let max = ma.add(&mb);
        let text = format!(
            "{indent}indicator {id} \"Chỉ số cha {id}\" {{\n{indent}  max {}\n{indent}  owner A\n{a}{b}{indent}}}\n",
            decimal_text(&max)
        );
        return (text, max);
    }
    let (max_text, max) = t
        .pick(&[
            ("10", int(10)),
            ("5", int(5)),
            ("20", int(20)),
            ("2.5", dec(25, 1)),
            ("1", Num::one()),
            ("0", Num::zero()),
        ])
        .clone();
    let (mut nums, mut bools, mut choices) = (Vec::new(), Vec::new(), Vec::new());
    let mut lines = vec![format!("max {max_text}"), "owner A".to_string()];
    let n_inputs = 1 + t.below(4);
    for n in ["a", "b", "c", "d"].iter().take(n_inputs) {
        lines.push(input_decl(t, n, &mut nums, &mut bools, &mut choices));
    }
    // Facts between inputs of one unit: a part is at most its whole.
    for u in [U::Count, U::Money, U::Percent, U::Number] {
        let same: Vec<String> = nums.iter().filter(|(_, x)| *x == u).map(|(n, _)| n.clone()).collect();
        if same.len() >= 2 && t.chance(50) {
            let (x, y) = (&same[0], &same[1]);
            if same.len() >= 3 && t.chance(40) {
                lines.push(format!("assume {} + {} <= {}", same[1], same[2], same[0]));
            } else if t.chance(50) {
                lines.push(format!("assume {x} <= {y}"));
            } else {
                lines.push(format!("assume {y} >= {x}"));
            }
        }
    }
    let mut ctx = Ctx { t, nums, bools, choices, fns: fns.to_vec(), cohort_lets: Vec::new(), in_cohort: false };
    for i in 0..ctx.t.below(3) {
        let name = format!("r{}", i + 1);
        let e = if ctx.t.chance(70) {
            ctx.ratio(1)
        } else {
            let u = *ctx.t.pick(NUM_UNITS);
            ctx.numeric(u, 1)
        };
        lines.push(format!("let {name} = {}", e.s));
        if COHORT_FNS.iter().any(|f| e.s.contains(&format!("{f}(")))
            || ctx.cohort_lets.iter().any(|l| mentions(&e.s, l))
        {
            ctx.cohort_lets.push(name.clone());
        }
        ctx.nums.push((name, e.u));
    }
    let score = ctx.points(0);
    lines.push(format!("score = {}", score.s));
    let body: String =
        lines.iter().map(|l| format!("{indent}  {}\n", l.replace('\n', &format!("\n{indent}    ")))).collect();
    (format!("{indent}indicator {id} \"Chỉ số {id}\" {{\n{body}{indent}}}\n"), max)
}

/// A random well-typed rulebook: a header, an agency, a few user functions, a pillar of one to
/// three indicators (some with sub-indicators), sometimes an indicator outside the pillar.
pub fn gen_rulebook(t: &mut Tape) -> String {
    let mut out = String::new();
    if t.chance(30) {
        out.push_str("// Sinh ngẫu nhiên\n");
    }
    let mut fns = Vec::new();
    let mut fn_texts = Vec::new();
    for i in 0..t.below(3) {
        let (text, sig) = gen_fn(t, &format!("f{}", i + 1), &fns);
        fn_texts.push(text);
        fns.push(sig);
    }
    let mut inds = String::new();
    let mut total = Num::zero();
    for i in 0..1 + t.below(3) {
        let (text, max) = gen_indicator(t, &(i + 1).to_string(), &fns, "  ", true);
        inds.push_str(&text);
        total = total.add(&max);
    }
    let loose = if t.chance(15) { Some(gen_indicator(t, "9", &fns, "", false)) } else { None };
    let scale = total.add(&loose.as_ref().map_or(Num::zero(), |(_, m)| m.clone()));
    let scale = if scale.is_zero() { Num::one() } else { scale };
    let _ = writeln!(out, "rulebook \"Sinh ngẫu nhiên\" {{\n  index = total / {}\n}}\n", decimal_text(&scale));
    out.push_str("agency A \"Cơ quan A\"\n\n");
    for f in fn_texts {
        out.push_str(&f);
        out.push_str("\n\n");
    }
    let _ = write!(out, "pillar P \"Trụ cột\" max {} {{\n{inds}}}\n", decimal_text(&total));
    if let Some((text, _)) = loose {
        out.push('\n');
        out.push_str(&text);
    }
    out
}
