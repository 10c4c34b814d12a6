//! Evaluates the expressions of one indicator for one unit.
//!
//! `let`s are evaluated lazily and at most once, so an input that the taken branch does not need
//! is not required. Division by zero, a missing input or a value no arm matches stops the
//! evaluation with an `EvalError`; there is no NaN and no panic.

use crate::map::VecMap;

use super::cohort::{CohortKey, CohortStats};
use super::trace::{Step, Taken};
use crate::num::Num;
use crate::sema::value::{EvalError, Value};
use crate::sema::Env;
use crate::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, UnOp, WhenPattern};

pub use crate::sema::calls::MAX_CALLS;

/// What cohort functions do during this evaluation.
pub enum CohortMode<'a> {
    /// Per-unit phase: record the argument of each cohort call and return 0.
    Collect(&'a mut VecMap<CohortKey, Num>),
    /// Cohort phase: use the aggregates.
    Use(&'a CohortStats),
}

/// The evaluation of one indicator for one unit.
pub struct IndicatorEval<'a> {
    /// The symbol table.
    pub env: &'a Env,
    /// The indicator.
    pub ind: &'a ast::Indicator,
    /// The unit's reported values for this indicator, by input name.
    pub data: Option<&'a VecMap<String, Value>>,
    /// The indicator's max points.
    pub max: Num,
    /// Cohort behaviour.
    pub cohort: CohortMode<'a>,
    /// Steps recorded for the explanation (only when [`IndicatorEval::explaining`]).
    pub trace: Vec<Step>,
    /// Whether to record `trace`: building the steps (names, rendered patterns, copied values)
    /// costs more than the arithmetic, so only an explanation pays for it.
    explain: bool,
    /// The `let`s computed so far, by name (an indicator has a handful: a list is cheapest).
    lets: Vec<(&'a str, Result<Value, EvalError>)>,
    locals: Vec<VecMap<String, Value>>,
    read_inputs: Vec<String>,
    calls_made: usize,
}

impl<'a> IndicatorEval<'a> {
    /// Prepares an evaluation.
    pub fn new(
        env: &'a Env,
        ind: &'a ast::Indicator,
        data: Option<&'a VecMap<String, Value>>,
        max: Num,
        cohort: CohortMode<'a>,
    ) -> IndicatorEval<'a> {
        IndicatorEval {
            env,
            ind,
            data,
            max,
            cohort,
            trace: Vec::new(),
            explain: false,
            lets: Vec::new(),
            locals: Vec::new(),
            read_inputs: Vec::new(),
            calls_made: 0,
        }
    }

    /// Records the steps that decide the value, for an explanation.
    pub fn explaining(mut self) -> IndicatorEval<'a> {
        self.explain = true;
        self
    }

    /// Records a step when explaining; `step` is not even built otherwise.
    fn record(&mut self, step: impl FnOnce() -> Step) {
        if self.explain {
            self.trace.push(step());
        }
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, e: &Expr) -> Result<Value, EvalError> {
        match &e.kind {
            ExprKind::Number { value, .. } => Ok(Value::Num(value.clone())),
            ExprKind::Str(s) => Ok(Value::Text(s.clone())),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Max => Ok(Value::Num(self.max.clone())),
            ExprKind::Total => Err(EvalError::Type("`total` outside the index".into())),
            ExprKind::Error => Err(EvalError::Type("the rule has a syntax error here".into())),
            ExprKind::Paren(inner) => self.eval(inner),
            ExprKind::Name(n) => self.name(n),
            ExprKind::Unary(UnOp::Neg, inner) => Ok(Value::Num(self.num(inner)?.neg())),
            ExprKind::Unary(UnOp::Not, inner) => Ok(Value::Bool(!self.bool(inner)?)),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e),
            ExprKind::If(c, a, b) => {
                let cond = self.bool(c)?;
                let taken = if cond { a } else { b };
                self.record(|| Step::Branch { span: taken.span, taken: Taken::Condition(cond) });
                self.eval(taken)
            }
            ExprKind::When { scrutinee, arms } => {
                let v = self.num(scrutinee)?;
                for arm in arms.iter() {
                    let matched = match &arm.pattern {
                        WhenPattern::Else => true,
                        WhenPattern::Cmp(op, bound) => {
                            let b = self.num(bound)?;
                            op.holds(&v, &b)
                        }
                        WhenPattern::Range(lo, hi) => {
                            let (lo, hi) = (self.num(lo)?, self.num(hi)?);
                            lo <= v && v <= hi
                        }
                    };
                    if matched {
                        self.record(|| {
                            let pattern = match &arm.pattern {
                                WhenPattern::Else => "else".to_string(),
                                WhenPattern::Cmp(op, b) => format!("{} {}", op.as_str(), show_expr_value(b)),
                                WhenPattern::Range(lo, hi) => {
                                    format!("in {}..{}", show_expr_value(lo), show_expr_value(hi))
                                }
                            };
                            Step::Branch {
                                span: arm.span,
                                taken: Taken::Arm { subject: short(scrutinee), value: v.clone(), pattern },
                            }
                        });
                        return self.eval(&arm.body);
                    }
                }
                Err(EvalError::NoArm { span: e.span, value: Value::Num(v) })
            }
            ExprKind::Match { scrutinee, arms } => {
                let v = self.eval(scrutinee)?;
                let Value::Choice(c) = &v else {
                    return Err(EvalError::Type(format!("`match` on {v}")));
                };
                for arm in arms {
                    let hit = match &arm.option {
                        Some(o) => &o.text == c,
                        None => true,
                    };
                    if hit {
                        self.record(|| Step::Branch {
                            span: arm.span,
                            taken: Taken::Choice { subject: short(scrutinee), option: c.clone() },
                        });
                        return self.eval(&arm.body);
                    }
                }
                Err(EvalError::NoArm { span: e.span, value: Value::Choice(c.clone()) })
            }
            ExprKind::Call { callee, args } => self.call(e, callee, args),
        }
    }

    fn num(&mut self, e: &Expr) -> Result<Num, EvalError> {
        match self.eval(e)? {
            Value::Num(n) => Ok(n),
            other => Err(EvalError::Type(format!("expected a number, found {other}"))),
        }
    }

    fn bool(&mut self, e: &Expr) -> Result<bool, EvalError> {
        match self.eval(e)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError::Type(format!("expected yes/no, found {other}"))),
        }
    }

    fn name(&mut self, n: &str) -> Result<Value, EvalError> {
        if let Some(v) = self.locals.last().and_then(|l| l.get(n)) {
            return Ok(v.clone());
        }
        if !self.locals.is_empty() {
            // Inside a function body only parameters (and choice options) are visible.
            return Ok(Value::Choice(n.to_string()));
        }
        if let Some((_, r)) = self.lets.iter().find(|(name, _)| *name == n) {
            return r.clone();
        }
        let ind = self.ind;
        if let Some((name, e)) = ind.lets().find(|(name, _)| name.text == n) {
            let r = self.eval(e);
            if let Ok(v) = &r {
                self.record(|| Step::Let { name: n.to_string(), value: v.clone() });
            }
            self.lets.push((name.text.as_str(), r.clone()));
            return r;
        }
        if let Some(input) = ind.inputs().find(|i| i.name.text == n) {
            let description = || input.description.as_ref().map(|d| d.value.clone());
            let reported = self.data.and_then(|d| d.get(n)).cloned();
            let (value, defaulted) = match reported {
                Some(v) => (v, false),
                None => {
                    let default = input.modifiers.iter().find_map(|m| match m {
                        ast::InputModifier::Default(e) => Some(e),
                        _ => None,
                    });
                    match default {
                        Some(e) => (literal_value(e).ok_or_else(|| EvalError::Type("bad default".into()))?, true),
                        None => return Err(EvalError::Missing { input: n.to_string(), description: description() }),
                    }
                }
            };
            if self.explain && !self.read_inputs.iter().any(|r| r == n) {
                self.read_inputs.push(n.to_string());
                let description = description();
                self.record(|| Step::Input { name: n.to_string(), value: value.clone(), description, defaulted });
            }
            return Ok(value);
        }
        // A choice option written alone.
        Ok(Value::Choice(n.to_string()))
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, whole: &Expr) -> Result<Value, EvalError> {
        match op {
            BinOp::And => Ok(Value::Bool(self.bool(a)? && self.bool(b)?)),
            BinOp::Or => Ok(Value::Bool(self.bool(a)? || self.bool(b)?)),
            BinOp::Cmp(c) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                let r = match (&x, &y) {
                    (Value::Num(x), Value::Num(y)) => c.holds(x, y),
                    _ => match c {
                        CmpOp::Eq => x == y,
                        CmpOp::Ne => x != y,
                        _ => return Err(EvalError::Type(format!("cannot order {x} and {y}"))),
                    },
                };
                Ok(Value::Bool(r))
            }
            BinOp::Add => Ok(Value::Num(self.num(a)?.add(&self.num(b)?))),
            BinOp::Sub => Ok(Value::Num(self.num(a)?.sub(&self.num(b)?))),
            BinOp::Mul => Ok(Value::Num(self.num(a)?.mul(&self.num(b)?))),
            BinOp::Div => {
                let x = self.num(a)?;
                let y = self.num(b)?;
                match x.div_exact(&y) {
                    Some(q) => Ok(Value::Num(q)),
                    None => {
                        let mut names = Vec::new();
                        b.walk(&mut |e| {
                            if let ExprKind::Name(n) = &e.kind {
                                if !names.contains(n) {
                                    names.push(n.clone());
                                }
                            }
                        });
                        let values = names
                            .into_iter()
                            .filter_map(|n| self.data.and_then(|d| d.get(&n)).map(|v| (n.clone(), v.clone())))
                            .collect();
                        Err(EvalError::DivisionByZero { span: whole.span, divisor: short(b), values })
                    }
                }
            }
        }
    }

    fn call(&mut self, e: &Expr, callee: &ast::Name, args: &[Expr]) -> Result<Value, EvalError> {
        let name = callee.text.as_str();
        match name {
            "min" | "max" => {
                let mut acc: Option<Num> = None;
                for a in args {
                    let v = self.num(a)?;
                    acc = Some(match acc {
                        None => v,
                        Some(x) if name == "min" => x.min_of(&v),
                        Some(x) => x.max_of(&v),
                    });
                }
                acc.map(Value::Num).ok_or_else(|| EvalError::Type(format!("`{name}` of nothing")))
            }
            "abs" => Ok(Value::Num(self.num(arg(args, 0)?)?.abs())),
            "round" => {
                let x = self.num(arg(args, 0)?)?;
                let d = self.num(arg(args, 1)?)?;
                let digits = d.to_i64().and_then(|d| u32::try_from(d).ok()).filter(|d| *d <= 12);
                let digits = digits.ok_or_else(|| EvalError::Type("`round` needs 0 to 12 digits".into()))?;
                Ok(Value::Num(x.round_to(digits)))
            }
            "part" => {
                let label = arg(args, 0)?;
                let v = self.num(arg(args, 1)?)?;
                self.record(|| Step::Part {
                    label: match &label.kind {
                        ExprKind::Str(s) => s.clone(),
                        _ => String::new(),
                    },
                    value: v.clone(),
                });
                Ok(Value::Num(v))
            }
            "minmax" | "relative_to_best" | "rank" => {
                let x = self.num(arg(args, 0)?)?;
                let key = CohortKey { indicator: self.ind.id.text.clone(), call: e.span };
                match &mut self.cohort {
                    CohortMode::Collect(store) => {
                        store.insert(key, x);
                        Ok(Value::Num(Num::zero()))
                    }
                    CohortMode::Use(stats) => {
                        let agg = stats.get(&key).ok_or(EvalError::EmptyCohort { span: e.span })?;
                        let result = agg.apply(name, &x);
                        let step = || Step::Cohort {
                            function: name.to_string(),
                            value: x,
                            min: agg.min.clone(),
                            max: agg.max.clone(),
                            units: agg.sorted.len(),
                            result: result.clone(),
                        };
                        if self.explain {
                            self.trace.push(step());
                        }
                        Ok(Value::Num(result))
                    }
                }
            }
            _ => {
                let Some(f) = self.env.fns.get(name) else {
                    return Err(EvalError::Type(format!("unknown function `{name}`")));
                };
                // The checker refuses deeper functions (E0104): only an unchecked rulebook gets here.
                if self.locals.len() >= crate::sema::calls::MAX_CALL_NESTING {
                    return Err(EvalError::TooDeep);
                }
                self.calls_made += 1;
                if self.calls_made > MAX_CALLS {
                    return Err(EvalError::TooManyCalls);
                }
                let mut frame = VecMap::new();
                for (p, a) in f.params.iter().zip(args) {
                    frame.insert(p.text.clone(), self.eval(a)?);
                }
                self.locals.push(frame);
                let r = self.eval(&f.body);
                self.locals.pop();
                r
            }
        }
    }
}

fn arg(args: &[Expr], i: usize) -> Result<&Expr, EvalError> {
    args.get(i).ok_or_else(|| EvalError::Type("missing argument".into()))
}

/// The value of a literal as written in a test or a `default`: `80%`, `-2`, `true`, `"x"`, or a
/// choice option name.
pub fn literal_value(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Number { value, .. } => Some(Value::Num(value.clone())),
        ExprKind::Unary(UnOp::Neg, inner) => match literal_value(inner)? {
            Value::Num(n) => Some(Value::Num(n.neg())),
            _ => None,
        },
        ExprKind::Bool(b) => Some(Value::Bool(*b)),
        ExprKind::Str(s) => Some(Value::Text(s.clone())),
        ExprKind::Name(n) => Some(Value::Choice(n.clone())),
        ExprKind::Paren(inner) => literal_value(inner),
        _ => None,
    }
}

fn show_expr_value(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number { text, unit, .. } => match unit {
            Some(ast::LitUnit::Percent) => format!("{text}%"),
            Some(ast::LitUnit::Points) => format!("{text} pt"),
            Some(ast::LitUnit::Money) => format!("{text} tỷ"),
            None => text.clone(),
        },
        _ => short(e),
    }
}

/// A short rendering of an expression for explanations.
pub fn short(e: &Expr) -> String {
    crate::syntax::expr_to_string(e)
}
