//! Indicator models: what admissible data for an indicator looks like (domains, `assume` facts,
//! thresholds), and samples drawn from them.

use super::*;

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
        let mut literals = VecSet::new();
        let mut cohort = false;
        let mut seen_fns = VecSet::new();
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
        let mut scope: VecMap<String, Option<Form>> =
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
    pub fn value(&self, vals: &VecMap<String, Value>) -> Option<Num> {
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
pub(super) fn form_of(e: &Expr, scope: &VecMap<String, Option<Form>>) -> Option<Form> {
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
pub(super) fn collect_boundaries(
    env: &Env,
    e: &Expr,
    scope: &VecMap<String, Option<Form>>,
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
pub(super) fn split(model: &Model, names: &[String], total: &Num, t: &mut Tape) -> Vec<(String, Num)> {
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
    pub reported: VecMap<String, Value>,
    /// The values the rule sees: reported, or the default.
    pub effective: VecMap<String, Value>,
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
pub fn eval_simple(e: &Expr, vals: &VecMap<String, Value>, max: &Num) -> Result<Value, FactError> {
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
        _ => return Err(FactError::Unsupported(chiso::syntax::expr_to_string(e))),
    })
}

/// Whether every `assume` fact holds. Panics on a fact this evaluator cannot read, so that a new
/// example using a new form of fact fails loudly instead of being skipped.
pub fn facts_hold(model: &Model, effective: &VecMap<String, Value>) -> bool {
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
pub(super) const SCALES: &[i64] = &[1, 10, 100, 1000, 10000, 3, 7];

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
pub(super) struct Fact<'e> {
    small: &'e Expr,
    big: &'e Expr,
    strict: bool,
}

pub(super) fn facts(model: &Model) -> Vec<Fact<'_>> {
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
pub(super) fn summands(e: &Expr, out: &mut Vec<String>) {
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
    let mut reported = VecMap::new();
    let mut effective = VecMap::new();
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

pub(super) fn repair(model: &Model, sample: &mut Sample, t: &mut Tape) {
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
