//! Generators shared by the property tests and the fuzz harness: admissible inputs for any
//! indicator (from its declared domains and its `assume` facts), random well-typed rulebooks
//! rendered as Chiso text, mutations of source files, and helpers that evaluate one indicator.
//!
//! Randomness comes from a *tape* of `u32`s that proptest generates and shrinks, as Hypothesis
//! does: every choice reads the next number, an exhausted tape reads 0, and choice 0 is always the
//! simplest option. Shrinking the tape therefore shrinks the generated program or data, and the
//! generators stay ordinary functions that need no knowledge of proptest.

// clippy suggests dropping the `*` in `*t.pick(&["a", "b"])`, but then `pick` infers `T = str` and
// no longer compiles.
#![allow(clippy::explicit_auto_deref)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chiso::check::policy::input_domain;
use chiso::check::{const_value, Env};
use chiso::data::{Dataset, UnitData};
use chiso::eval::{self, IndicatorResult, Value};
use chiso::num::Num;
use chiso::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, InputModifier, Item, TypeKind, UnOp};

// ----- the tape ----------------------------------------------------------------------------------

/// A source of choices: proptest generates (and shrinks) the numbers.
pub struct Tape<'a> {
    data: &'a [u32],
    pos: usize,
    tail: Option<u64>,
}

impl<'a> Tape<'a> {
    /// A tape over `data`; reads past the end give 0.
    pub fn new(data: &'a [u32]) -> Tape<'a> {
        Tape { data, pos: 0, tail: None }
    }
    /// An endless tape: `data`, then numbers derived from `seed` (for large cohorts, where a
    /// generated tape would be too long to shrink usefully anyway).
    pub fn seeded(data: &'a [u32], seed: u64) -> Tape<'a> {
        Tape { data, pos: 0, tail: Some(seed) }
    }
    /// The next raw number.
    pub fn next_u32(&mut self) -> u32 {
        let v = match (self.data.get(self.pos), self.tail) {
            (Some(v), _) => *v,
            (None, Some(seed)) => {
                // splitmix64
                let mut z = seed.wrapping_add((self.pos as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)) as u32
            }
            (None, None) => 0,
        };
        self.pos += 1;
        v
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next_u32() as usize % n
        }
    }
    /// True with roughly `percent`% probability; false on an exhausted tape.
    pub fn chance(&mut self, percent: u32) -> bool {
        let p = percent.min(100);
        p > 0 && self.next_u32() % 100 >= 100 - p
    }
    /// One of `items` (the first on an exhausted tape). Panics on an empty slice.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        let i = self.below(items.len());
        &items[i]
    }
    /// An index chosen with the given weights (index 0 on an exhausted tape).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        if total == 0 {
            return 0;
        }
        let mut r = self.next_u32() % total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        0
    }
}

// ----- numbers -----------------------------------------------------------------------------------

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

// ----- indicator models: what admissible data looks like ----------------------------------------

/// The values an input may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Domain {
    /// A number in `[lo, hi]`, whole when `integral`, never 0 (nor negative) when `positive`.
    Num {
        /// Lower bound.
        lo: Option<Num>,
        /// Upper bound.
        hi: Option<Num>,
        /// Whole numbers only.
        integral: bool,
        /// Never zero.
        positive: bool,
    },
    /// yes/no.
    Bool,
    /// One of the options.
    Choice(Vec<String>),
    /// Free text.
    Text,
    /// A date.
    Date,
}

impl Domain {
    /// Whether `v` is a value a data file may report.
    pub fn admits(&self, v: &Value) -> bool {
        match (self, v) {
            (Domain::Num { lo, hi, integral, positive }, Value::Num(n)) => {
                (!integral || n.is_integer())
                    && !(*positive && (n.is_zero() || n.is_negative()))
                    && lo.as_ref().is_none_or(|l| n >= l)
                    && hi.as_ref().is_none_or(|h| n <= h)
                    && is_decimal(n)
            }
            (Domain::Bool, Value::Bool(_)) => true,
            (Domain::Choice(opts), Value::Choice(c)) => opts.contains(c),
            (Domain::Text | Domain::Date, Value::Text(_)) => true,
            _ => false,
        }
    }
}

/// One input of an indicator.
#[derive(Clone, Debug)]
pub struct InputModel {
    /// Its name.
    pub name: String,
    /// Its domain.
    pub domain: Domain,
    /// Its `default`, when declared.
    pub default: Option<Value>,
}

/// What the generators need to know about one indicator.
#[derive(Clone, Debug)]
pub struct Model {
    /// The indicator id.
    pub id: String,
    /// Its max points.
    pub max: Num,
    /// Its inputs.
    pub inputs: Vec<InputModel>,
    /// Its `assume` facts.
    pub assumptions: Vec<Expr>,
    /// The numbers written in its rule (and in the functions it calls): thresholds to probe.
    pub literals: Vec<Num>,
    /// Whether it calls a cohort function.
    pub cohort: bool,
    /// Whether it has a score of its own.
    pub scored: bool,
    /// The thresholds of its `when` arms (and of the functions it calls) whose scrutinee is a sum
    /// of inputs or a ratio of two sums, so that data can be made to land on them exactly.
    pub boundaries: Vec<Boundary>,
}

impl Model {
    /// The model of `ind`.
    pub fn new(env: &Env, ind: &ast::Indicator) -> Model {
        let inputs = ind
            .inputs()
            .map(|i| {
                let domain = match &i.ty.kind {
                    TypeKind::YesNo => Domain::Bool,
                    TypeKind::Choice(o) => Domain::Choice(o.iter().map(|n| n.text.clone()).collect()),
                    TypeKind::Text | TypeKind::Error => Domain::Text,
                    TypeKind::Date => Domain::Date,
                    _ => {
                        let (r, integral, positive) = input_domain(i);
                        Domain::Num { lo: r.lo, hi: r.hi, integral, positive }
                    }
                };
                let default = i.modifiers.iter().find_map(|m| match m {
                    InputModifier::Default(e) => eval::literal_value(e),
                    _ => None,
                });
                InputModel { name: i.name.text.clone(), domain, default }
            })
            .collect();
        let mut literals = BTreeSet::new();
        let mut cohort = false;
        let mut seen_fns = BTreeSet::new();
        let mut stack: Vec<&Expr> = Vec::new();
        stack.extend(ind.lets().map(|(_, e)| e));
        stack.extend(ind.score());
        stack.extend(ind.assumptions());
        while let Some(e) = stack.pop() {
            e.walk(&mut |x| match &x.kind {
                ExprKind::Number { value, .. } => {
                    literals.insert(value.abs());
                }
                ExprKind::Call { callee, .. } => {
                    if matches!(callee.text.as_str(), "minmax" | "relative_to_best" | "rank") {
                        cohort = true;
                    }
                    if let Some(f) = env.fns.get(&callee.text) {
                        if seen_fns.insert(callee.text.clone()) {
                            stack.push(&f.body);
                        }
                    }
                }
                _ => {}
            });
        }
        let max = ind.max().and_then(const_value).unwrap_or_default();
        literals.insert(max.clone());
        let mut scope: BTreeMap<String, Option<Form>> =
            ind.inputs().map(|i| (i.name.text.clone(), Some(Form::Sum(vec![i.name.text.clone()])))).collect();
        for (n, e) in ind.lets() {
            let f = form_of(e, &scope);
            scope.insert(n.text.clone(), f);
        }
        let mut boundaries = Vec::new();
        for e in ind.lets().map(|(_, e)| e).chain(ind.score()) {
            collect_boundaries(env, e, &scope, &mut boundaries, 0);
        }
        Model {
            id: ind.id.text.clone(),
            max,
            inputs,
            assumptions: ind.assumptions().cloned().collect(),
            literals: literals.into_iter().collect(),
            cohort,
            scored: ind.score().is_some() && !ind.is_not_scored(),
            boundaries,
        }
    }

    /// The input called `name`.
    pub fn input(&self, name: &str) -> Option<&InputModel> {
        self.inputs.iter().find(|i| i.name == name)
    }
}

/// A `when` scrutinee in terms of inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// `a + b + …` (each input once).
    Sum(Vec<String>),
    /// `(a + b) / (c + d)`, no input on both sides.
    Ratio(Vec<String>, Vec<String>),
}

/// A threshold written in a `when` arm (`>= 80%`, either end of `in 10..19`), with the scrutinee
/// it is compared to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boundary {
    /// The scrutinee.
    pub form: Form,
    /// The threshold.
    pub at: Num,
}

impl Boundary {
    /// `(b + c) / a = 0.8`.
    pub fn describe(&self) -> String {
        let sum = |v: &[String]| if v.len() == 1 { v[0].clone() } else { format!("({})", v.join(" + ")) };
        match &self.form {
            Form::Sum(v) => format!("{} = {}", v.join(" + "), self.at),
            Form::Ratio(n, d) => format!("{} / {} = {}", sum(n), sum(d), self.at),
        }
    }

    /// The scrutinee's value for `vals` (`None` when an input is missing or the denominator is 0).
    pub fn value(&self, vals: &BTreeMap<String, Value>) -> Option<Num> {
        let sum = |names: &[String]| {
            names.iter().try_fold(Num::zero(), |acc, n| vals.get(n).and_then(Value::as_num).map(|v| acc.add(v)))
        };
        match &self.form {
            Form::Sum(v) => sum(v),
            Form::Ratio(n, d) => sum(n)?.div_exact(&sum(d)?),
        }
    }
}

/// The form of `e` when it is a sum of inputs or a ratio of two sums (through `let`s and
/// function parameters, whose forms `scope` holds).
fn form_of(e: &Expr, scope: &BTreeMap<String, Option<Form>>) -> Option<Form> {
    match &e.kind {
        ExprKind::Paren(x) => form_of(x, scope),
        ExprKind::Name(n) => scope.get(n).cloned().flatten(),
        ExprKind::Binary(BinOp::Add, a, b) => match (form_of(a, scope)?, form_of(b, scope)?) {
            (Form::Sum(mut x), Form::Sum(y)) if !y.iter().any(|n| x.contains(n)) => {
                x.extend(y);
                Some(Form::Sum(x))
            }
            _ => None,
        },
        ExprKind::Binary(BinOp::Div, a, b) => match (form_of(a, scope)?, form_of(b, scope)?) {
            (Form::Sum(x), Form::Sum(y)) if !y.iter().any(|n| x.contains(n)) => Some(Form::Ratio(x, y)),
            _ => None,
        },
        _ => None,
    }
}

/// The thresholds of every `when` in `e` and in the functions it calls.
fn collect_boundaries(
    env: &Env,
    e: &Expr,
    scope: &BTreeMap<String, Option<Form>>,
    out: &mut Vec<Boundary>,
    depth: usize,
) {
    let mut nodes = Vec::new();
    e.walk(&mut |x| nodes.push(x));
    for x in nodes {
        match &x.kind {
            ExprKind::When { scrutinee, arms } => {
                let Some(form) = form_of(scrutinee, scope) else { continue };
                for arm in arms {
                    let ends: Vec<&Expr> = match &arm.pattern {
                        ast::WhenPattern::Cmp(_, b) => vec![b],
                        ast::WhenPattern::Range(lo, hi) => vec![lo, hi],
                        ast::WhenPattern::Else => vec![],
                    };
                    for at in ends.into_iter().filter_map(const_value) {
                        let b = Boundary { form: form.clone(), at };
                        if !out.contains(&b) {
                            out.push(b);
                        }
                    }
                }
            }
            ExprKind::Call { callee, args } if depth < 8 => {
                if let Some(f) = env.fns.get(&callee.text) {
                    let inner = f.params.iter().zip(args).map(|(p, a)| (p.text.clone(), form_of(a, scope))).collect();
                    collect_boundaries(env, &f.body, &inner, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// `total` split over `names` at random (whole parts for counts), the remainder to the last.
fn split(model: &Model, names: &[String], total: &Num, t: &mut Tape) -> Vec<(String, Num)> {
    let mut left = total.clone();
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if i + 1 == names.len() {
            out.push((n.clone(), left.clone()));
            break;
        }
        let integral = matches!(model.input(n).map(|i| &i.domain), Some(Domain::Num { integral: true, .. }));
        let share = if t.chance(30) { Num::zero() } else { dec(t.below(1001) as i64, 3) };
        let part = left.mul(&share);
        let part = if integral { floor(&part) } else { part.round_to(6) };
        left = left.sub(&part);
        out.push((n.clone(), part));
    }
    out
}

/// A sample whose `when` scrutinee lands exactly on one threshold of the rule (or one step beside
/// it), the other inputs drawn as usual: `b + c = 0.8·a` for `when (b + c) / a { >= 80% … }`.
/// Returns the sample and, when it is exactly on a threshold, that threshold's index in
/// `model.boundaries`. `None` when the threshold cannot be met with admissible data.
pub fn gen_boundary_sample(model: &Model, t: &mut Tape) -> Option<(Sample, Option<usize>)> {
    if model.boundaries.is_empty() {
        return None;
    }
    let k = t.below(model.boundaries.len());
    let b = &model.boundaries[k];
    // Exactly on it most of the time; otherwise the smallest step a data file can show beside it.
    let off = t.weighted(&[6, 1, 1]);
    for _attempt in 0..4 {
        let mut sample = gen_sample(model, t)?;
        let (names, total, den) = match &b.form {
            Form::Sum(names) => (names, b.at.clone(), None),
            Form::Ratio(num, den) => {
                // A denominator that makes `at · d` a whole number (thresholds are decimals).
                let unit = (0..=9).map(|k| int(10i64.pow(k))).find(|p| b.at.mul(p).is_integer())?;
                let d = unit.mul(&int(*t.pick(&[1, 1, 2, 3, 5, 7, 10, 100, 1000, 12345]) as i64));
                (num, b.at.mul(&d), Some((den, d)))
            }
        };
        let all_integral =
            names.iter().all(|n| matches!(model.input(n).map(|i| &i.domain), Some(Domain::Num { integral: true, .. })));
        let step = if all_integral { Num::one() } else { dec(1, 6) };
        let total = match off {
            0 => total,
            1 => total.sub(&step),
            _ => total.add(&step),
        };
        let mut parts = split(model, names, &total, t);
        if let Some((den, d)) = den {
            parts.extend(split(model, den, &d, t));
        }
        for (n, v) in parts {
            sample.reported.insert(n.clone(), Value::Num(v.clone()));
            sample.effective.insert(n, Value::Num(v));
        }
        if !admissible(model, &sample) {
            continue;
        }
        let on = b.value(&sample.effective).is_some_and(|v| v == b.at);
        debug_assert!(on == (off == 0), "boundary sample off target: {}", b.describe());
        return Some((sample, on.then_some(k)));
    }
    None
}

/// One unit's data for one indicator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// What the unit reports (an input with a default may be left out).
    pub reported: BTreeMap<String, Value>,
    /// The values the rule sees: reported, or the default.
    pub effective: BTreeMap<String, Value>,
}

impl Sample {
    /// `a = 1, b = 2` (reported values; defaults marked).
    pub fn describe(&self) -> String {
        self.effective
            .iter()
            .map(
                |(n, v)| {
                    if self.reported.contains_key(n) {
                        format!("{n} = {v}")
                    } else {
                        format!("{n} = {v} (default)")
                    }
                },
            )
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The sample with `name` reported as `v`.
    pub fn with(&self, name: &str, v: Value) -> Sample {
        let mut s = self.clone();
        s.reported.insert(name.to_string(), v.clone());
        s.effective.insert(name.to_string(), v);
        s
    }
}

/// Why a fact could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactError {
    /// A division by zero (the fact then does not hold, as in the checker's search).
    DivisionByZero,
    /// An expression form this small evaluator does not know.
    Unsupported(String),
}

/// Evaluates an `assume` fact (or any simple expression of inputs) without the interpreter, so the
/// tests do not take the evaluator's word for what is admissible.
pub fn eval_simple(e: &Expr, vals: &BTreeMap<String, Value>, max: &Num) -> Result<Value, FactError> {
    let num = |e: &Expr| -> Result<Num, FactError> {
        match eval_simple(e, vals, max)? {
            Value::Num(n) => Ok(n),
            v => Err(FactError::Unsupported(format!("expected a number, found {v}"))),
        }
    };
    let boolean = |e: &Expr| -> Result<bool, FactError> {
        match eval_simple(e, vals, max)? {
            Value::Bool(b) => Ok(b),
            v => Err(FactError::Unsupported(format!("expected yes/no, found {v}"))),
        }
    };
    Ok(match &e.kind {
        ExprKind::Number { value, .. } => Value::Num(value.clone()),
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Str(s) => Value::Text(s.clone()),
        ExprKind::Max => Value::Num(max.clone()),
        ExprKind::Paren(x) => eval_simple(x, vals, max)?,
        ExprKind::Name(n) => vals.get(n).cloned().unwrap_or_else(|| Value::Choice(n.clone())),
        ExprKind::Unary(UnOp::Neg, x) => Value::Num(num(x)?.neg()),
        ExprKind::Unary(UnOp::Not, x) => Value::Bool(!boolean(x)?),
        ExprKind::Binary(op, a, b) => match op {
            BinOp::Add => Value::Num(num(a)?.add(&num(b)?)),
            BinOp::Sub => Value::Num(num(a)?.sub(&num(b)?)),
            BinOp::Mul => Value::Num(num(a)?.mul(&num(b)?)),
            BinOp::Div => Value::Num(num(a)?.div_exact(&num(b)?).ok_or(FactError::DivisionByZero)?),
            BinOp::And => Value::Bool(boolean(a)? && boolean(b)?),
            BinOp::Or => Value::Bool(boolean(a)? || boolean(b)?),
            BinOp::Cmp(c) => {
                let (x, y) = (eval_simple(a, vals, max)?, eval_simple(b, vals, max)?);
                match (&x, &y) {
                    (Value::Num(x), Value::Num(y)) => Value::Bool(c.holds(x, y)),
                    _ => match c {
                        CmpOp::Eq => Value::Bool(x == y),
                        CmpOp::Ne => Value::Bool(x != y),
                        _ => return Err(FactError::Unsupported(format!("cannot order {x} and {y}"))),
                    },
                }
            }
        },
        ExprKind::If(c, a, b) => {
            if boolean(c)? {
                eval_simple(a, vals, max)?
            } else {
                eval_simple(b, vals, max)?
            }
        }
        ExprKind::Call { callee, args } if matches!(callee.text.as_str(), "min" | "max" | "abs") => {
            let xs = args.iter().map(num).collect::<Result<Vec<_>, _>>()?;
            let first = xs.first().cloned().ok_or_else(|| FactError::Unsupported("empty call".into()))?;
            Value::Num(match callee.text.as_str() {
                "min" => xs.iter().fold(first, |a, x| a.min_of(x)),
                "max" => xs.iter().fold(first, |a, x| a.max_of(x)),
                _ => first.abs(),
            })
        }
        _ => return Err(FactError::Unsupported(chiso::format::expr_to_string(e))),
    })
}

/// Whether every `assume` fact holds. Panics on a fact this evaluator cannot read, so that a new
/// example using a new form of fact fails loudly instead of being skipped.
pub fn facts_hold(model: &Model, effective: &BTreeMap<String, Value>) -> bool {
    model.assumptions.iter().all(|a| match eval_simple(a, effective, &model.max) {
        Ok(v) => v == Value::Bool(true),
        Err(FactError::DivisionByZero) => false,
        Err(FactError::Unsupported(what)) => {
            panic!("indicator {}: cannot evaluate the fact `{what}`; extend gen::eval_simple", model.id)
        }
    })
}

/// Whether `sample` is admissible for `model`: every reported value in its domain, every fact true.
pub fn admissible(model: &Model, sample: &Sample) -> bool {
    model.inputs.iter().all(|i| match sample.reported.get(&i.name) {
        Some(v) => i.domain.admits(v),
        None => i.default.is_some(),
    }) && facts_hold(model, &sample.effective)
}

/// Scales at which literal-based values are drawn: a ratio threshold `80%` becomes `800` of `1000`.
const SCALES: &[i64] = &[1, 10, 100, 1000, 10000, 3, 7];

/// A number from the domain, biased towards the rule's own constants, round denominators, the
/// bounds, and values just around them.
pub fn gen_number(t: &mut Tape, domain: &Domain, literals: &[Num], scale: &Num) -> Option<Num> {
    let Domain::Num { lo, hi, integral, .. } = domain else { return None };
    let lit = |t: &mut Tape| if literals.is_empty() { Num::one() } else { t.pick(literals).clone() };
    let v = match t.weighted(&[3, 3, 4, 3, 3, 1, 1, 1, 2]) {
        0 => lo.clone().unwrap_or_default(),
        1 => int(t.below(11) as i64),
        2 => lit(t).mul(scale),
        3 => scale.clone(),
        4 => dec(i64::from(t.next_u32() % 1_000_000), t.below(4) as u32),
        5 => int(i64::from(t.next_u32() % 1_000_000_000)),
        6 => hi.clone().unwrap_or_else(|| int(t.below(100) as i64)),
        7 => dec(-(i64::from(t.next_u32() % 100_000)), t.below(3) as u32),
        _ => {
            let l = lit(t).mul(scale);
            let eps =
                if *integral { Num::one() } else { t.pick(&[dec(1, 3), dec(1, 6), Num::one(), dec(1, 1)]).clone() };
            if t.chance(50) {
                l.sub(&eps)
            } else {
                l.add(&eps)
            }
        }
    };
    clamp(v, domain, t)
}

/// `v` moved into the domain: rounded for counts, clamped to the bounds, away from 0 when
/// `positive`. `None` when the domain is empty.
pub fn clamp(v: Num, domain: &Domain, t: &mut Tape) -> Option<Num> {
    let Domain::Num { lo, hi, integral, positive } = domain else { return None };
    let mut v = if *integral { v.round_to(0) } else { v.round_to(6) };
    let lo = lo.as_ref().map(|l| if *integral { ceil(l) } else { l.clone() });
    let hi = hi.as_ref().map(|h| if *integral { floor(h) } else { h.clone() });
    if let Some(l) = &lo {
        if &v < l {
            v = l.clone();
        }
    }
    if let Some(h) = &hi {
        if &v > h {
            v = h.clone();
        }
    }
    if *positive && (v.is_zero() || v.is_negative()) {
        v = if *integral { Num::one() } else { t.pick(&[dec(1, 2), Num::one(), dec(1, 6)]).clone() };
        if let Some(l) = &lo {
            v = v.max_of(l);
        }
    }
    let ok = Domain::Num { lo: lo.clone(), hi: hi.clone(), integral: *integral, positive: *positive }
        .admits(&Value::Num(v.clone()));
    ok.then_some(v)
}

/// A value for one input.
pub fn gen_value(t: &mut Tape, domain: &Domain, literals: &[Num], scale: &Num) -> Option<Value> {
    Some(match domain {
        Domain::Num { .. } => Value::Num(gen_number(t, domain, literals, scale)?),
        Domain::Bool => Value::Bool(t.chance(50)),
        Domain::Choice(opts) => Value::Choice(t.pick(opts).clone()),
        // Never "": an empty cell means "not reported".
        Domain::Text => Value::Text(t.pick(&["x", "Tỉnh An Phú", "a, b \"c\""]).to_string()),
        Domain::Date => Value::Text(t.pick(&["2022-05-20", "2021-12-31"]).to_string()),
    })
}

/// A fact `small <= big` (or `<`), read from `assume`.
struct Fact<'e> {
    small: &'e Expr,
    big: &'e Expr,
    strict: bool,
}

fn facts(model: &Model) -> Vec<Fact<'_>> {
    model
        .assumptions
        .iter()
        .filter_map(|a| match &a.unparen().kind {
            ExprKind::Binary(BinOp::Cmp(op), l, r) => match op {
                CmpOp::Le => Some(Fact { small: l, big: r, strict: false }),
                CmpOp::Lt => Some(Fact { small: l, big: r, strict: true }),
                CmpOp::Ge => Some(Fact { small: r, big: l, strict: false }),
                CmpOp::Gt => Some(Fact { small: r, big: l, strict: true }),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The input names summed at the top level of `e` (`b + c` → b, c).
fn summands(e: &Expr, out: &mut Vec<String>) {
    match &e.unparen().kind {
        ExprKind::Binary(BinOp::Add, a, b) => {
            summands(a, out);
            summands(b, out);
        }
        ExprKind::Name(n) => out.push(n.clone()),
        _ => {}
    }
}

/// Draws a sample for `model` and repairs it towards the `assume` facts (raising a term of the
/// larger side or lowering one of the smaller side), which also lands on the boundary cases such
/// as `a == b`. `None` when no admissible sample came out.
pub fn gen_sample(model: &Model, t: &mut Tape) -> Option<Sample> {
    let scale = int(*t.pick(SCALES));
    let mut reported = BTreeMap::new();
    let mut effective = BTreeMap::new();
    for i in &model.inputs {
        if let Some(d) = &i.default {
            if t.chance(15) {
                effective.insert(i.name.clone(), d.clone());
                continue;
            }
        }
        let v = gen_value(t, &i.domain, &model.literals, &scale)?;
        reported.insert(i.name.clone(), v.clone());
        effective.insert(i.name.clone(), v);
    }
    let mut sample = Sample { reported, effective };
    repair(model, &mut sample, t);
    admissible(model, &sample).then_some(sample)
}

fn repair(model: &Model, sample: &mut Sample, t: &mut Tape) {
    let fs = facts(model);
    for _round in 0..4 {
        let mut changed = false;
        for f in &fs {
            let (Ok(Value::Num(s)), Ok(Value::Num(b))) = (
                eval_simple(f.small, &sample.effective, &model.max),
                eval_simple(f.big, &sample.effective, &model.max),
            ) else {
                continue;
            };
            let holds = if f.strict { s < b } else { s <= b };
            if holds {
                continue;
            }
            let diff = s.sub(&b);
            let (mut up, mut down) = (Vec::new(), Vec::new());
            summands(f.big, &mut up);
            summands(f.small, &mut down);
            let mut moves: Vec<(String, bool)> =
                up.into_iter().map(|n| (n, true)).chain(down.into_iter().map(|n| (n, false))).collect();
            if moves.is_empty() {
                continue;
            }
            let k = t.below(moves.len());
            moves.rotate_left(k);
            for (name, raise) in moves {
                let Some(input) = model.input(&name) else { continue };
                let Domain::Num { integral, .. } = &input.domain else { continue };
                let Some(Value::Num(cur)) = sample.effective.get(&name) else { continue };
                let step =
                    if f.strict { diff.add(&if *integral { Num::one() } else { dec(1, 3) }) } else { diff.clone() };
                let step = if *integral { ceil(&step) } else { step };
                let new = if raise { cur.add(&step) } else { cur.sub(&step) };
                if input.domain.admits(&Value::Num(new.clone())) {
                    sample.reported.insert(name.clone(), Value::Num(new.clone()));
                    sample.effective.insert(name, Value::Num(new));
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

/// Another admissible value of input `name` for the rest of `base`, to form a pair (x1 < x2)
/// for monotonicity: a fresh draw, a neighbour, a double or half, a bound, or a threshold.
pub fn gen_other_value(model: &Model, base: &Sample, name: &str, t: &mut Tape) -> Option<Num> {
    let input = model.input(name)?;
    let Some(Value::Num(cur)) = base.effective.get(name) else { return None };
    let Domain::Num { lo, hi, integral, .. } = &input.domain else { return None };
    let scale = int(*t.pick(SCALES));
    let step = if *integral { Num::one() } else { t.pick(&[dec(1, 3), dec(1, 1), Num::one(), dec(1, 6)]).clone() };
    let mut options: Vec<Num> = Vec::new();
    options.extend(gen_number(t, &input.domain, &model.literals, &scale));
    options.push(cur.add(&step));
    options.push(cur.sub(&step));
    options.push(cur.mul(&int(2)));
    options.push(if *integral { floor(&cur.mul(&dec(5, 1))) } else { cur.mul(&dec(5, 1)) });
    options.extend(lo.clone());
    options.extend(hi.clone());
    options.push(Num::zero());
    let l = if model.literals.is_empty() { Num::one() } else { t.pick(&model.literals).clone() };
    options.push(if *integral { ceil(&l.mul(&scale)) } else { l.mul(&scale) });
    options.push(cur.add(&int(t.below(1000) as i64)));
    let start = t.below(options.len());
    options.rotate_left(start);
    options.into_iter().find(|v| {
        v != cur
            && input.domain.admits(&Value::Num(v.clone()))
            && facts_hold(model, &base.with(name, Value::Num(v.clone())).effective)
    })
}

// ----- evaluation helpers ------------------------------------------------------------------------

/// A file holding one indicator (with its sub-indicators), to score it alone against the full
/// rulebook's symbol table.
pub fn single_file(ind: &ast::Indicator) -> ast::File {
    ast::File { items: vec![Item::Indicator(ind.clone())] }
}

/// Scores one indicator for one unit.
pub fn score_one(env: &Env, file: &ast::File, id: &str, reported: &BTreeMap<String, Value>) -> IndicatorResult {
    let mut values = BTreeMap::new();
    values.insert(id.to_string(), reported.clone());
    let data = Dataset { units: vec![UnitData { id: "u".into(), values }] };
    let results = eval::evaluate(file, env, &data);
    results
        .units
        .into_iter()
        .next()
        .and_then(|u| u.indicators.into_iter().find(|i| i.id == id))
        .unwrap_or_else(|| panic!("indicator {id} has no result"))
}

/// The score before clamping.
pub fn raw(r: &IndicatorResult) -> Option<Num> {
    r.raw_score.clone().or_else(|| r.score.clone())
}

/// A cohort of units for the whole rulebook: every unit reports an admissible sample for most
/// indicators and leaves some out (so pillars can be incomplete).
pub fn gen_cohort(models: &[Model], t: &mut Tape, units: usize) -> Dataset {
    let mut ds = Dataset::default();
    for u in 0..units {
        let mut values = BTreeMap::new();
        for m in models {
            if t.chance(8) {
                continue;
            }
            // Some units on a threshold, where arms meet.
            let on_threshold = if t.chance(20) { gen_boundary_sample(m, t).map(|(s, _)| s) } else { None };
            // A few attempts: some facts reject many draws.
            if let Some(s) = on_threshold.or_else(|| (0..3).find_map(|_| gen_sample(m, t))) {
                values.insert(m.id.clone(), s.reported);
            }
        }
        ds.units.push(UnitData { id: format!("U{u:02}"), values });
    }
    ds
}

/// The dataset as a long-format CSV file.
pub fn to_csv(ds: &Dataset, env: &Env) -> String {
    // A percent is written with its sign, as data must be (`0.7` is `70%`).
    let is_percent = |ind: &str, input: &str| {
        env.indicators
            .get(ind)
            .is_some_and(|i| i.inputs.iter().any(|(n, t)| n == input && *t == chiso::check::Ty::Percent))
    };
    fn cell(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) || s.trim() != s || s.is_empty() {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = String::from("unit,indicator,input,value\n");
    for u in &ds.units {
        for (ind, inputs) in &u.values {
            for (name, v) in inputs {
                let text = match v {
                    Value::Num(n) if is_percent(ind, name) => format!("{}%", decimal_text(&n.mul(&Num::from_i64(100)))),
                    Value::Num(n) => decimal_text(n),
                    Value::Bool(b) => b.to_string(),
                    Value::Choice(c) | Value::Text(c) => c.clone(),
                };
                writeln!(out, "{},{},{},{}", cell(&u.id), cell(ind), cell(name), cell(&text)).unwrap();
            }
        }
    }
    out
}

// ----- random well-typed rulebooks ---------------------------------------------------------------

/// Units of generated numeric expressions, with the language's rules for combining them
/// (spec/reference.md §4), so that every generated expression is well-typed by construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum U {
    Count,
    Percent,
    Money,
    Points,
    Number,
    /// yes/no, choices and text: not numeric.
    Other,
}

const NUM_UNITS: &[U] = &[U::Count, U::Percent, U::Money, U::Points, U::Number];

fn unify_u(a: U, b: U) -> Option<U> {
    match (a, b) {
        (U::Other, _) | (_, U::Other) => None,
        (U::Number, x) | (x, U::Number) => Some(x),
        (x, y) if x == y => Some(x),
        _ => None,
    }
}

fn mul_u(a: U, b: U) -> Option<U> {
    match (a, b) {
        (U::Other, _) | (_, U::Other) => None,
        (U::Number | U::Percent, x) | (x, U::Number | U::Percent) => Some(x),
        (U::Count, x) | (x, U::Count) => Some(x),
        _ => None,
    }
}

fn div_u(a: U, b: U) -> Option<U> {
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
struct G {
    s: String,
    prec: u8,
    u: U,
}

const LOW: u8 = 1; // if, when, match
const OR: u8 = 3;
const AND: u8 = 4;
const NOT: u8 = 5;
const CMP: u8 = 6;
const ADD: u8 = 7;
const MUL: u8 = 8;
const NEG: u8 = 9;
const ATOM: u8 = 10;

fn g(s: impl Into<String>, prec: u8, u: U) -> G {
    G { s: s.into(), prec, u }
}

fn wrap(x: &G, min: u8) -> String {
    if x.prec >= min {
        x.s.clone()
    } else {
        format!("({})", x.s)
    }
}

/// `a op b` for an arithmetic operator; `None` when the units do not combine.
fn arith(a: &G, op: &str, b: &G) -> Option<G> {
    let (u, prec) = match op {
        "+" | "-" => (unify_u(a.u, b.u)?, ADD),
        "*" => (mul_u(a.u, b.u)?, MUL),
        _ => (div_u(a.u, b.u)?, MUL),
    };
    Some(g(format!("{} {op} {}", wrap(a, prec), wrap(b, prec + 1)), prec, u))
}

fn logic(a: &G, op: &str, b: &G) -> G {
    let prec = if op == "and" { AND } else { OR };
    g(format!("{} {op} {}", wrap(a, prec), wrap(b, prec + 1)), prec, U::Other)
}

fn cmp(a: &G, op: &str, b: &G) -> G {
    g(format!("{} {op} {}", wrap(a, ADD), wrap(b, ADD)), CMP, U::Other)
}

/// A literal; a leading minus makes it a negation.
fn lit(s: String, u: U) -> G {
    let prec = if s.starts_with('-') { NEG } else { ATOM };
    g(s, prec, u)
}

/// The shapes of generated user functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // the shapes read as the call they generate
enum FnShape {
    /// `f(x, full)`, `x` a scalar
    XFull,
    /// `f(x, t, full)`, `t` in the unit of `x`
    XTFull,
    /// `f(x, y, full)`, `y` in the unit of `x`
    XYFull,
}

#[derive(Clone, Debug)]
struct FnSig {
    name: String,
    shape: FnShape,
}

struct Ctx<'t, 'd> {
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
fn unit_literal(t: &mut Tape, u: U) -> (String, Num) {
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
fn threshold(t: &mut Tape, u: U) -> (String, Num) {
    let (s, v) = unit_literal(t, u);
    let plain_allowed = u != U::Percent || v <= Num::from_i64(1);
    if plain_allowed && t.chance(15) && matches!(u, U::Percent | U::Money | U::Points) {
        (decimal_text(&v), v)
    } else {
        (s, v)
    }
}

fn nonzero_literal(t: &mut Tape, u: U) -> G {
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
fn input_decl(
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

fn gen_fn(t: &mut Tape, name: &str, fns: &[FnSig]) -> (String, FnSig) {
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
fn gen_indicator(t: &mut Tape, id: &str, fns: &[FnSig], indent: &str, allow_subs: bool) -> (String, Num) {
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

// ----- mutations (fuzzing) -----------------------------------------------------------------------

/// Words and punctuation of the language, for token soup and insertions.
pub const TOKENS: &[&str] = &[
    "rulebook",
    "source",
    "period",
    "locale",
    "index",
    "agency",
    "section",
    "field",
    "pillar",
    "indicator",
    "max",
    "min",
    "owner",
    "cooperating",
    "source_id",
    "note",
    "not_scored",
    "not_evaluable",
    "input",
    "assume",
    "let",
    "score",
    "fn",
    "test",
    "given",
    "expect",
    "if",
    "then",
    "else",
    "when",
    "match",
    "in",
    "or",
    "and",
    "not",
    "true",
    "false",
    "total",
    "count",
    "number",
    "percent",
    "money",
    "points",
    "yes_no",
    "text",
    "date",
    "choice",
    "positive",
    "default",
    "neutral",
    "lower_is_better",
    "at_least",
    "at_most",
    "{",
    "}",
    "(",
    ")",
    ",",
    ":",
    "=",
    "=>",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "..",
    ";",
    "a",
    "b",
    "ratio",
    "tỷ_lệ",
    "SoTTTT",
    "x",
    "pt",
    "điểm",
    "tỷ",
    "0",
    "1",
    "80",
    "0.5",
    "3.1",
    "5.12.1",
    "100%",
    "\"s\"",
    "\"Sở \\\" x\"",
    "\"unterminated",
    "//c\n",
    "\n",
    " ",
    "minmax",
    "relative_to_best",
    "rank",
    "part",
    "round",
    "abs",
    "capped_linear",
    "\u{feff}",
    "@",
    "#",
    "9999999999999999999999999999999999999999999",
    "0.000000000000000000000000000000000000000001",
];

/// `text` with a few random edits: byte flips, deletions, duplicated slices, inserted tokens, and
/// a splice with `other`. The result is valid UTF-8 (lossily repaired).
pub fn mutate(t: &mut Tape, text: &str, other: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let edits = 1 + t.below(8);
    for _ in 0..edits {
        let len = bytes.len();
        let at = t.below(len + 1);
        match t.weighted(&[3, 3, 2, 3, 1, 1, 1]) {
            0 if len > 0 => {
                let i = at.min(len - 1);
                bytes[i] ^= 1 << t.below(8);
            }
            1 => {
                let n = 1 + t.below(32);
                let end = (at + n).min(len);
                bytes.drain(at..end);
            }
            2 => {
                let n = 1 + t.below(64);
                let end = (at + n).min(len);
                let slice = bytes[at..end].to_vec();
                let to = t.below(len + 1);
                bytes.splice(to..to, slice);
            }
            3 => {
                let tok = t.pick(TOKENS).as_bytes();
                let mut ins = tok.to_vec();
                ins.push(b' ');
                bytes.splice(at..at, ins);
            }
            4 => {
                let o = other.as_bytes();
                let from = t.below(o.len() + 1);
                let n = t.below(512);
                let end = (from + n).min(o.len());
                let keep = t.below(len + 1);
                bytes.truncate(keep);
                bytes.extend_from_slice(&o[from..end]);
            }
            5 => {
                // Deep nesting.
                let n = t.below(200);
                let open = t.pick(&["(", "-", "not ", "if a then ", "when x { else => "]).as_bytes().to_vec();
                let ins: Vec<u8> = std::iter::repeat_n(open, n).flatten().collect();
                bytes.splice(at..at, ins);
            }
            _ => {
                let n = t.below(len + 1);
                let end = (at + n).min(len);
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Random text made of the language's tokens.
pub fn token_soup(t: &mut Tape, len: usize) -> String {
    let mut s = String::new();
    for _ in 0..len {
        s.push_str(*t.pick(TOKENS));
        if t.chance(70) {
            s.push(' ');
        }
    }
    s
}

// ----- comparing trees ---------------------------------------------------------------------------

/// The syntax tree with every span erased, for comparing a file with its formatted version.
pub fn tree_without_spans(file: &ast::File) -> String {
    let text = format!("{file:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        out.push('_');
        let after = &rest[i..];
        let close = after.find('}').map_or(after.len(), |j| j + 1);
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// The comments of a parse, as text.
pub fn comment_texts(text: &str, parse: &chiso::syntax::Parse) -> Vec<String> {
    let mut v: Vec<String> = parse.comments.iter().map(|c| c.text(text).trim_end().to_string()).collect();
    v.sort();
    v
}

const COHORT_FNS: &[&str] = &["minmax", "relative_to_best", "rank"];

/// Whether `text` mentions the name `name` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        !text[..i].chars().next_back().is_some_and(word) && !text[i + name.len()..].chars().next().is_some_and(word)
    })
}
