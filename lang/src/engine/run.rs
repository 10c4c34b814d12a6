//! Runs compiled code for one indicator and one unit: the tree-walker's semantics (`eval/expr.rs`)
//! without its name lookups and without explanation steps.

use crate::map::VecMap;

use super::code::{Code, Compiled, FnCode, InputSlot, Pattern};
use crate::data::Columns;
use crate::eval::expr::MAX_CALLS;
use crate::eval::{Aggregate, EvalError, Value};
use crate::num::Num;
use crate::sema::calls::MAX_CALL_NESTING;

/// Where a run reads the unit's values.
#[derive(Clone, Copy)]
pub(super) enum Data<'d> {
    /// The unit's values of the indicator, by input name (`Dataset`).
    Map(Option<&'d VecMap<String, Value>>),
    /// The cohort's columns: the unit, and the column of each input slot of the indicator.
    Columns { columns: &'d Columns, unit: usize, slots: &'d [Option<usize>], indicator: &'d str },
    /// The value of each input slot, given directly (the policy analysis's witness search).
    Slots(&'d [Option<Value>]),
}

impl Data<'_> {
    /// The value of input slot `k`, named `name`.
    fn input(&self, k: usize, name: &str) -> Option<Value> {
        match self {
            Data::Map(m) => m.and_then(|m| m.get(name)).cloned(),
            Data::Columns { columns, unit, slots, .. } => {
                slots.get(k).copied().flatten().and_then(|c| columns.at(c)).and_then(|c| c.get(*unit))
            }
            Data::Slots(values) => values.get(k).cloned().flatten(),
        }
    }

    /// The reported value of the input called `name`, if `name` is one.
    fn by_name(&self, name: &str, inputs: &[InputSlot]) -> Option<Value> {
        match self {
            Data::Map(m) => m.and_then(|m| m.get(name)).cloned(),
            Data::Columns { .. } | Data::Slots(_) => {
                inputs.iter().position(|i| i.name == name).and_then(|k| self.input(k, name))
            }
        }
    }

    /// Whether the unit reported any value of the indicator.
    pub(super) fn reported(&self) -> bool {
        match self {
            Data::Map(m) => m.is_some(),
            Data::Columns { columns, unit, indicator, .. } => columns.reported(*unit, indicator),
            Data::Slots(values) => values.iter().any(Option::is_some),
        }
    }
}

/// What cohort functions do during a run.
pub(super) enum Cohort<'m> {
    /// The per-unit phase: record each call's argument (by site) and give 0.
    Collect(&'m mut Vec<(usize, Num)>),
    /// The scoring phase: the aggregate of each site.
    Use(&'m [Option<Aggregate>]),
}

/// One evaluation of one indicator for one unit.
pub(super) struct Run<'p, 'd, 'm> {
    pub(super) ind: &'p Compiled,
    pub(super) fns: &'p [FnCode],
    pub(super) data: Data<'d>,
    pub(super) max: &'p Num,
    pub(super) cohort: Cohort<'m>,
    /// The `let`s computed so far, by slot.
    lets: Vec<Option<Result<Value, EvalError>>>,
    frames: Vec<Vec<Value>>,
    calls: usize,
}

type R = Result<Value, EvalError>;

impl<'p, 'd, 'm> Run<'p, 'd, 'm> {
    pub(super) fn new(ind: &'p Compiled, fns: &'p [FnCode], data: Data<'d>, max: &'p Num, cohort: Cohort<'m>) -> Self {
        Run { ind, fns, data, max, cohort, lets: vec![None; ind.lets.len()], frames: Vec::new(), calls: 0 }
    }

    pub(super) fn eval(&mut self, c: &'p Code) -> R {
        match c {
            Code::Const(v) => Ok(v.clone()),
            Code::Max => Ok(Value::Num(self.max.clone())),
            Code::Fail(e) => Err(e.clone()),
            Code::Input(k) => self.input(*k),
            Code::Let(k) => self.let_value(*k),
            Code::Param(k) => self
                .frames
                .last()
                .and_then(|f| f.get(*k))
                .cloned()
                .ok_or_else(|| EvalError::Type("unbound parameter".into())),
            Code::Neg(x) => Ok(Value::Num(self.num(x)?.neg())),
            Code::Not(x) => Ok(Value::Bool(!self.bool(x)?)),
            Code::And(a, b) => Ok(Value::Bool(self.bool(a)? && self.bool(b)?)),
            Code::Or(a, b) => Ok(Value::Bool(self.bool(a)? || self.bool(b)?)),
            Code::Cmp(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                let r = match (&x, &y) {
                    (Value::Num(x), Value::Num(y)) => op.holds(x, y),
                    _ => match op {
                        crate::syntax::ast::CmpOp::Eq => x == y,
                        crate::syntax::ast::CmpOp::Ne => x != y,
                        _ => return Err(EvalError::Type(format!("cannot order {x} and {y}"))),
                    },
                };
                Ok(Value::Bool(r))
            }
            Code::Add(a, b) => Ok(Value::Num(self.num(a)?.add(&self.num(b)?))),
            Code::Sub(a, b) => Ok(Value::Num(self.num(a)?.sub(&self.num(b)?))),
            Code::Mul(a, b) => Ok(Value::Num(self.num(a)?.mul(&self.num(b)?))),
            Code::Div(a, b, info) => {
                let x = self.num(a)?;
                let y = self.num(b)?;
                match x.div_exact(&y) {
                    Some(q) => Ok(Value::Num(q)),
                    None => {
                        let values = info
                            .names
                            .iter()
                            .filter_map(|n| self.data.by_name(n, &self.ind.inputs).map(|v| (n.clone(), v)))
                            .collect();
                        Err(EvalError::DivisionByZero { span: info.span, divisor: info.divisor.clone(), values })
                    }
                }
            }
            Code::If(cond, a, b) => {
                if self.bool(cond)? {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Code::When(s, arms, span) => {
                let v = self.num(s)?;
                for (pattern, body) in arms {
                    let matched = match pattern {
                        Pattern::Else => true,
                        Pattern::Cmp(op, bound) => {
                            let b = self.num(bound)?;
                            op.holds(&v, &b)
                        }
                        Pattern::Range(lo, hi) => {
                            let (lo, hi) = (self.num(lo)?, self.num(hi)?);
                            lo <= v && v <= hi
                        }
                    };
                    if matched {
                        return self.eval(body);
                    }
                }
                Err(EvalError::NoArm { span: *span, value: Value::Num(v) })
            }
            Code::Match(s, arms, span) => {
                let v = self.eval(s)?;
                let Value::Choice(c) = &v else {
                    return Err(EvalError::Type(format!("`match` on {v}")));
                };
                for (option, body) in arms {
                    if option.as_ref().is_none_or(|o| o == c) {
                        return self.eval(body);
                    }
                }
                Err(EvalError::NoArm { span: *span, value: Value::Choice(c.clone()) })
            }
            Code::MinMax(is_min, args) => {
                let mut acc: Option<Num> = None;
                for a in args {
                    let v = self.num(a)?;
                    acc = Some(match acc {
                        None => v,
                        Some(x) if *is_min => x.min_of(&v),
                        Some(x) => x.max_of(&v),
                    });
                }
                let name = if *is_min { "min" } else { "max" };
                acc.map(Value::Num).ok_or_else(|| EvalError::Type(format!("`{name}` of nothing")))
            }
            Code::Abs(x) => Ok(Value::Num(self.num(x)?.abs())),
            Code::Round(x, d) => {
                let x = self.num(x)?;
                let d = self.num(d)?;
                let digits = d.to_i64().and_then(|d| u32::try_from(d).ok()).filter(|d| *d <= 12);
                let digits = digits.ok_or_else(|| EvalError::Type("`round` needs 0 to 12 digits".into()))?;
                Ok(Value::Num(x.round_to(digits)))
            }
            Code::Part(x) => Ok(Value::Num(self.num(x)?)),
            Code::Cohort(function, arg, site, span) => {
                let x = self.num(arg)?;
                match &mut self.cohort {
                    Cohort::Collect(store) => {
                        match store.iter_mut().find(|(s, _)| s == site) {
                            Some(slot) => slot.1 = x,
                            None => store.push((*site, x)),
                        }
                        Ok(Value::Num(Num::zero()))
                    }
                    Cohort::Use(stats) => match stats.get(*site).and_then(Option::as_ref) {
                        Some(agg) => Ok(Value::Num(agg.apply(function, &x))),
                        None => Err(EvalError::EmptyCohort { span: *span }),
                    },
                }
            }
            Code::Call(f, args) => {
                if self.frames.len() >= MAX_CALL_NESTING {
                    return Err(EvalError::TooDeep);
                }
                self.calls += 1;
                if self.calls > MAX_CALLS {
                    return Err(EvalError::TooManyCalls);
                }
                let mut frame = Vec::with_capacity(args.len());
                for a in args {
                    frame.push(self.eval(a)?);
                }
                let fns = self.fns;
                let Some(f) = fns.get(*f) else {
                    return Err(EvalError::Type("unknown function".into()));
                };
                self.frames.push(frame);
                let r = self.eval(&f.body);
                self.frames.pop();
                r
            }
        }
    }

    fn num(&mut self, c: &'p Code) -> Result<Num, EvalError> {
        match self.eval(c)? {
            Value::Num(n) => Ok(n),
            other => Err(EvalError::Type(format!("expected a number, found {other}"))),
        }
    }

    fn bool(&mut self, c: &'p Code) -> Result<bool, EvalError> {
        match self.eval(c)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError::Type(format!("expected yes/no, found {other}"))),
        }
    }

    fn let_value(&mut self, k: usize) -> R {
        if let Some(Some(r)) = self.lets.get(k) {
            return r.clone();
        }
        let ind = self.ind;
        let r = match ind.lets.get(k) {
            Some(code) => self.eval(code),
            None => Err(EvalError::Type("unknown name".into())),
        };
        if let Some(slot) = self.lets.get_mut(k) {
            *slot = Some(r.clone());
        }
        r
    }

    fn input(&mut self, k: usize) -> R {
        let Some(slot) = self.ind.inputs.get(k) else {
            return Err(EvalError::Type("unknown input".into()));
        };
        if let Some(v) = self.data.input(k, &slot.name) {
            return Ok(v);
        }
        match &slot.default {
            Some(r) => r.clone(),
            None => Err(EvalError::Missing { input: slot.name.clone(), description: slot.description.clone() }),
        }
    }
}
