//! Type inference: gives every expression a type and unit (see [`super::Ty`]) and reports
//! unresolved names and unit mistakes.
//!
//! Invariant: never stops at the first error; an expression whose unit is unknown gets
//! `Ty::Error`, which is compatible with everything, so one mistake reports once.

use crate::map::VecMap;

use super::env::Env;
use super::ty::{div_unit, mul_unit, unify, Ty};
use crate::diag::message::{Op, Unit};
use crate::diag::{Code, Diagnostic, Hint, Message, Note, Span};
use crate::syntax::ast::{self, BinOp, Expr, ExprKind, LitUnit, UnOp, WhenPattern};

/// Builtin functions: name, arity (min, max), and whether they compare units across a cohort.
pub const BUILTINS: &[(&str, usize, usize)] = &[
    ("min", 1, usize::MAX),
    ("max", 1, usize::MAX),
    ("abs", 1, 1),
    ("round", 2, 2),
    ("part", 2, 2),
    ("minmax", 1, 1),
    ("relative_to_best", 1, 1),
    ("rank", 1, 1),
];

/// Whether a builtin compares a unit with the rest of the cohort.
pub fn is_cohort_fn(name: &str) -> bool {
    matches!(name, "minmax" | "relative_to_best" | "rank")
}

/// Where an expression is being checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Context {
    /// Inside an indicator: `max` is its max points.
    Indicator,
    /// The rulebook's `index`: `total` is the sum of pillar scores.
    Index,
    /// A `fn` body.
    Function,
    /// A literal elsewhere (`period`, test values).
    Plain,
}

/// The types of names in scope, plus what is needed to resolve calls.
pub struct Scope<'a> {
    /// The symbol table.
    pub env: &'a Env,
    /// Names in scope with their types.
    pub names: crate::sema::table::Table<Ty>,
    /// Options of the choice inputs in scope (so an option name alone is a value).
    pub options: Vec<String>,
    /// Where we are.
    pub context: Context,
    /// Names used, for unused-input warnings.
    pub used: crate::map::VecSet<String>,
    /// Functions being expanded, to stop recursion.
    pub call_stack: Vec<String>,
    /// The type of each function call already typed: (function, argument types, options).
    pub call_types: std::collections::HashMap<(String, Vec<Ty>, Vec<String>), Ty>,
}

impl<'a> Scope<'a> {
    /// An empty scope.
    pub fn new(env: &'a Env, context: Context) -> Scope<'a> {
        Scope {
            env,
            names: crate::sema::table::Table::default(),
            options: Vec::new(),
            context,
            used: Default::default(),
            call_stack: Vec::new(),
            call_types: Default::default(),
        }
    }
}

/// Infers the unit of `e`, reporting problems into `diags`.
pub fn infer(scope: &mut Scope<'_>, e: &Expr, diags: &mut Vec<Diagnostic>) -> Ty {
    match &e.kind {
        ExprKind::Number { unit, .. } => match unit {
            None => Ty::Number,
            Some(LitUnit::Percent) => Ty::Percent,
            Some(LitUnit::Points) => Ty::Points,
            Some(LitUnit::Money) => Ty::Money,
        },
        ExprKind::Str(_) => Ty::Text,
        ExprKind::Bool(_) => Ty::Bool,
        ExprKind::Error => Ty::Error,
        ExprKind::Paren(inner) => infer(scope, inner, diags),
        ExprKind::Max => {
            if matches!(scope.context, Context::Indicator) {
                Ty::Points
            } else {
                diags.push(
                    Diagnostic::new(Code::E0307, e.span, Message::MaxOutsideIndicator)
                        .with_help(Hint::PassMaxAsArgument),
                );
                Ty::Error
            }
        }
        ExprKind::Total => {
            if matches!(scope.context, Context::Index) {
                Ty::Points
            } else {
                diags.push(Diagnostic::new(Code::E0307, e.span, Message::TotalOutsideIndex));
                Ty::Error
            }
        }
        ExprKind::Name(n) => {
            if let Some(t) = scope.names.get(n) {
                scope.used.insert(n.clone());
                t.clone()
            } else if scope.options.contains(n) {
                Ty::Choice(vec![n.clone()])
            } else {
                let mut d = Diagnostic::new(Code::E0201, e.span, Message::CannotFind { name: n.clone() });
                if let Some(best) = closest(n, scope.names.keys()) {
                    d = d.with_help(Hint::DidYouMean { best: best.clone() });
                } else {
                    d = d.with_help(Hint::DeclareWithInputOrLet);
                }
                diags.push(d);
                Ty::Error
            }
        }
        ExprKind::Unary(UnOp::Neg, inner) => {
            let t = infer(scope, inner, diags);
            if !t.is_numeric() {
                diags.push(Diagnostic::new(Code::E0305, e.span, Message::CannotNegate { found: t.unit() }));
                return Ty::Error;
            }
            t
        }
        ExprKind::Unary(UnOp::Not, inner) => {
            let t = infer(scope, inner, diags);
            expect_bool(&t, inner.span, diags);
            Ty::Bool
        }
        ExprKind::Binary(op, a, b) => {
            let ta = infer(scope, a, diags);
            let tb = infer(scope, b, diags);
            if let BinOp::Cmp(_) = op {
                let bare = match (&ta, &tb) {
                    (Ty::Percent, _) => bare_number_for_percent(b, a.span),
                    (_, Ty::Percent) => bare_number_for_percent(a, b.span),
                    _ => None,
                };
                if let Some(d) = bare {
                    diags.push(d);
                    return Ty::Bool;
                }
            }
            binary(*op, &ta, &tb, e, a, b, diags)
        }
        ExprKind::If(c, a, b) => {
            let tc = infer(scope, c, diags);
            expect_bool(&tc, c.span, diags);
            let ta = infer(scope, a, diags);
            let tb = infer(scope, b, diags);
            branches(&ta, a.span, &tb, b.span, diags)
        }
        ExprKind::When { scrutinee, arms } => {
            let ts = infer(scope, scrutinee, diags);
            if !ts.is_numeric() {
                diags.push(
                    Diagnostic::new(Code::E0304, scrutinee.span, Message::WhenNeedsNumber { found: ts.unit() })
                        .with_help(Hint::WhenIsForNumbers),
                );
            }
            let mut result: Option<(Ty, Span)> = None;
            for arm in arms {
                let bounds: Vec<&Expr> = match &arm.pattern {
                    WhenPattern::Cmp(_, v) => vec![v],
                    WhenPattern::Range(lo, hi) => vec![lo, hi],
                    WhenPattern::Else => vec![],
                };
                if let WhenPattern::Range(lo, hi) = &arm.pattern {
                    if let (Some(l), Some(h)) = (super::const_value(lo), super::const_value(hi)) {
                        if l > h {
                            diags.push(
                                Diagnostic::new(
                                    Code::E0604,
                                    arm.span,
                                    Message::EmptyRange { low: l.to_string(), high: h.to_string() },
                                )
                                .with_help(Hint::WriteRange { low: h.to_string(), high: l.to_string() }),
                            );
                        }
                    }
                }
                for v in bounds {
                    let tv = infer(scope, v, diags);
                    if ts == Ty::Percent {
                        if let Some(d) = bare_number_for_percent(v, scrutinee.span) {
                            diags.push(d);
                            continue;
                        }
                    }
                    // A scrutinee that is not a number was reported once above.
                    if ts.is_numeric() && unify(&ts, &tv).is_none() {
                        diags.push(
                            Diagnostic::new(
                                Code::E0304,
                                v.span,
                                Message::CannotCompare { left: ts.unit(), right: tv.unit() },
                            )
                            .with_label(scrutinee.span, Note::Unit(ts.unit())),
                        );
                    }
                }
                let tb = infer(scope, &arm.body, diags);
                result = Some(match result {
                    None => (tb, arm.body.span),
                    Some((t, s)) => (branches(&t, s, &tb, arm.body.span, diags), s),
                });
            }
            result.map_or(Ty::Error, |(t, _)| t)
        }
        ExprKind::Match { scrutinee, arms } => {
            let ts = infer(scope, scrutinee, diags);
            let options = match &ts {
                Ty::Choice(o) => Some(o.clone()),
                Ty::Error => None,
                other => {
                    diags.push(
                        Diagnostic::new(Code::E0306, scrutinee.span, Message::MatchNeedsChoice { found: other.unit() })
                            .with_help(Hint::MatchIsForChoices),
                    );
                    None
                }
            };
            let mut result: Option<(Ty, Span)> = None;
            let mut covered = Vec::new();
            let mut has_else = false;
            for arm in arms {
                match &arm.option {
                    Some(o) => {
                        if let Some(opts) = &options {
                            if !opts.contains(&o.text) {
                                let mut d = Diagnostic::new(
                                    Code::E0211,
                                    o.span,
                                    Message::NotAnOption { name: o.text.clone(), options: opts.clone() },
                                );
                                if let Some(best) = closest(&o.text, opts.iter()) {
                                    d = d.with_help(Hint::DidYouMean { best: best.clone() });
                                }
                                diags.push(d);
                            }
                        }
                        covered.push(o.text.clone());
                    }
                    None => has_else = true,
                }
                let tb = infer(scope, &arm.body, diags);
                result = Some(match result {
                    None => (tb, arm.body.span),
                    Some((t, s)) => (branches(&t, s, &tb, arm.body.span, diags), s),
                });
            }
            if let (Some(opts), false) = (&options, has_else) {
                let missing: Vec<&String> = opts.iter().filter(|o| !covered.contains(o)).collect();
                if !missing.is_empty() {
                    let missing = missing.into_iter().cloned().collect();
                    diags.push(
                        Diagnostic::new(Code::E0509, e.span, Message::MatchMissing { missing })
                            .with_help(Hint::AddArmPerOption),
                    );
                }
            }
            result.map_or(Ty::Error, |(t, _)| t)
        }
        ExprKind::Call { callee, args } => call(scope, e, callee, args, diags),
    }
}

fn call(scope: &mut Scope<'_>, e: &Expr, callee: &ast::Name, args: &[Expr], diags: &mut Vec<Diagnostic>) -> Ty {
    let arg_tys: Vec<Ty> = args.iter().map(|a| infer(scope, a, diags)).collect();
    let name = callee.text.as_str();
    if let Some((_, lo, hi)) = BUILTINS.iter().find(|(n, _, _)| *n == name) {
        if args.len() < *lo || args.len() > *hi {
            diags.push(Diagnostic::new(
                Code::E0207,
                e.span,
                Message::WrongArgCount { name: name.to_string(), want: *lo, at_least: lo != hi, given: args.len() },
            ));
            return Ty::Error;
        }
        if is_cohort_fn(name) && scope.context != Context::Indicator {
            diags.push(
                Diagnostic::new(Code::E0212, callee.span, Message::CohortOutsideIndicator { name: name.to_string() })
                    .with_help(Hint::CallCohortDirectly),
            );
        }
        for (t, a) in arg_tys.iter().zip(args) {
            if name != "part" && !t.is_numeric() {
                diags.push(Diagnostic::new(
                    Code::E0305,
                    a.span,
                    Message::NeedsNumber { name: name.to_string(), found: t.unit() },
                ));
                return Ty::Error;
            }
        }
        return match name {
            "min" | "max" => {
                let mut acc = Ty::Number;
                for (t, a) in arg_tys.iter().zip(args) {
                    match unify(&acc, t) {
                        Some(u) => acc = u,
                        None => {
                            diags.push(Diagnostic::new(
                                Code::E0301,
                                a.span,
                                Message::MixedUnitsIn { name: name.to_string(), left: acc.unit(), right: t.unit() },
                            ));
                            return Ty::Error;
                        }
                    }
                }
                acc
            }
            "abs" | "round" => arg_tys.first().cloned().unwrap_or(Ty::Error),
            "part" => {
                if !matches!(args.first().map(|a| &a.kind), Some(ExprKind::Str(_))) {
                    diags.push(
                        Diagnostic::new(Code::E0305, args.first().map_or(e.span, |a| a.span), Message::PartNeedsLabel)
                            .with_help(Hint::PartLabel),
                    );
                }
                arg_tys.get(1).cloned().unwrap_or(Ty::Error)
            }
            "minmax" | "relative_to_best" => Ty::Percent,
            "rank" => Ty::Count,
            _ => Ty::Error,
        };
    }
    let Some(f) = scope.env.fns.get(name).cloned() else {
        let builtins = BUILTINS.iter().map(|(n, _, _)| n.to_string()).collect::<Vec<_>>();
        let mut known: Vec<&String> = scope.env.fns.keys().collect();
        known.extend(builtins.iter());
        let mut d = Diagnostic::new(Code::E0201, callee.span, Message::CannotFindFunction { name: name.to_string() });
        if let Some(best) = closest(name, known.into_iter()) {
            d = d.with_help(Hint::DidYouMean { best: best.clone() });
        }
        diags.push(d);
        return Ty::Error;
    };
    if f.params.len() != args.len() {
        let d = Diagnostic::new(
            Code::E0207,
            e.span,
            Message::WrongArgCount { name: name.to_string(), want: f.params.len(), at_least: false, given: args.len() },
        );
        let params = f.params.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(", ");
        diags.push(if scope.env.prelude_fns.contains(name) {
            d.with_help(Hint::PreludeFunction { name: name.to_string(), params })
        } else {
            // No label at the declaration: it is another item, and a per-item check (the
            // incremental layer) cannot place a span in another item.
            d.with_help(Hint::DeclaredAs { name: name.to_string(), params, count: f.params.len() })
        });
        return Ty::Error;
    }
    if scope.call_stack.contains(&f.name.text) || scope.env.calls.unexpandable(name).is_some() {
        // Reported once at the declaration by `check_fn`.
        return Ty::Error;
    }
    // The body's type depends only on the argument types (and the choice options in scope), so
    // it is computed once per combination: a function calling another twice, which calls
    // another twice, … would otherwise be typed an exponential number of times.
    let key = (name.to_string(), arg_tys, scope.options.clone());
    if let Some(ty) = scope.call_types.get(&key) {
        return ty.clone();
    }
    // Type the body with the argument units; its own mistakes were reported at the declaration.
    let mut inner = Scope::new(scope.env, Context::Function);
    inner.call_stack = scope.call_stack.clone();
    inner.call_stack.push(f.name.text.clone());
    for (p, t) in f.params.iter().zip(key.1.iter().cloned()) {
        inner.names.insert(p.text.clone(), t);
    }
    inner.options = scope.options.clone();
    inner.call_types = std::mem::take(&mut scope.call_types);
    let mut sink = Vec::new();
    let ty = infer(&mut inner, &f.body, &mut sink);
    scope.call_types = std::mem::take(&mut inner.call_types);
    scope.call_types.insert(key, ty.clone());
    ty
}

fn binary(op: BinOp, ta: &Ty, tb: &Ty, e: &Expr, a: &Expr, b: &Expr, diags: &mut Vec<Diagnostic>) -> Ty {
    let mismatch = |code: Code, op: Op, diags: &mut Vec<Diagnostic>| {
        let mut d = Diagnostic::new(code, e.span, Message::CannotCombine { op, left: ta.unit(), right: tb.unit() })
            .with_label(a.span, Note::Unit(ta.unit()))
            .with_label(b.span, Note::Unit(tb.unit()));
        if matches!((ta, tb), (Ty::Percent, Ty::Money) | (Ty::Money, Ty::Percent)) {
            d = d.with_help(Hint::DivideByTotal);
        } else if matches!((ta, tb), (Ty::Points, Ty::Points)) {
            d = d.with_help(Hint::ScalePoints);
        }
        diags.push(d);
        Ty::Error
    };
    match op {
        BinOp::Add | BinOp::Sub => {
            if !ta.is_numeric() || !tb.is_numeric() {
                return mismatch(Code::E0301, if op == BinOp::Add { Op::Add } else { Op::Subtract }, diags);
            }
            unify(ta, tb)
                .unwrap_or_else(|| mismatch(Code::E0301, if op == BinOp::Add { Op::Add } else { Op::Subtract }, diags))
        }
        BinOp::Mul => mul_unit(ta, tb).unwrap_or_else(|| mismatch(Code::E0305, Op::Multiply, diags)),
        BinOp::Div => div_unit(ta, tb).unwrap_or_else(|| mismatch(Code::E0305, Op::Divide, diags)),
        BinOp::And | BinOp::Or => {
            expect_bool(ta, a.span, diags);
            expect_bool(tb, b.span, diags);
            Ty::Bool
        }
        BinOp::Cmp(c) => {
            let ordered = !matches!(c, ast::CmpOp::Eq | ast::CmpOp::Ne);
            let ok = match unify(ta, tb) {
                Some(t) => !ordered || t.is_numeric() || t == Ty::Date,
                None => false,
            };
            if !ok {
                mismatch(Code::E0304, Op::Compare, diags);
            }
            Ty::Bool
        }
    }
}

/// A bare number literal, possibly negated: its value and text as written.
fn bare_literal(e: &Expr) -> Option<(crate::num::Num, String)> {
    match &e.unparen().kind {
        ExprKind::Number { value, text, unit: None } => Some((value.clone(), text.clone())),
        ExprKind::Unary(UnOp::Neg, x) => bare_literal(x).map(|(v, t)| (v.neg(), format!("-{t}"))),
        _ => None,
    }
}

/// E0310: a percent compared with a bare number above 1 (`ratio >= 80`). A bare number next to
/// a percent is a fraction, so `80` means 8000 %: almost always `80%` was meant, and the rule
/// would quietly give the lower arm to every unit.
pub fn bare_number_for_percent(bound: &Expr, percent: Span) -> Option<Diagnostic> {
    let (value, text) = bare_literal(bound)?;
    if value.abs() <= crate::num::Num::one() {
        return None;
    }
    let shown = value.mul(&crate::num::Num::from_i64(100));
    Some(
        Diagnostic::new(
            Code::E0310,
            bound.span,
            Message::BarePercentBound { text: text.clone(), shown: shown.clone() },
        )
        .with_label(percent, Note::Unit(Unit::Percent))
        .with_help(Hint::BarePercentBound { text, shown }),
    )
}

/// E0311: a ratio multiplied by 100 where the score needs points (`score = b / a * 100`). The
/// product is a number of percent points, not of the indicator's points: 50% of the cases gives
/// 50 points for an indicator of max 10 (clamped to 10). Looks at the value positions of the
/// score (arithmetic, branches, arms, `min`/`max`/`round` arguments, `let`s it uses), not at
/// conditions, where `ratio * 100 >= 80` is a correct comparison.
pub fn percent_times_hundred(scope: &mut Scope<'_>, lets: &VecMap<String, &Expr>, score: &Expr) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = crate::map::VecSet::new();
    let mut todo = vec![score];
    while let Some(e) = todo.pop() {
        match &e.kind {
            ExprKind::Paren(x) | ExprKind::Unary(UnOp::Neg, x) => todo.push(x),
            ExprKind::Binary(BinOp::Mul, a, b) => {
                let hundred = |x: &Expr| bare_literal(x).is_some_and(|(v, _)| v == crate::num::Num::from_i64(100));
                let other = if hundred(b) {
                    Some(&**a)
                } else if hundred(a) {
                    Some(&**b)
                } else {
                    None
                };
                let mut sink = Vec::new();
                match other {
                    Some(o) if infer(scope, o, &mut sink) == Ty::Percent => out.push(
                        Diagnostic::new(
                            Code::E0311,
                            e.span,
                            Message::PercentTimesHundred { expr: crate::syntax::expr_to_string(e) },
                        )
                        .with_label(o.span, Note::Unit(Unit::Percent))
                        .with_help(Hint::PercentIsFraction),
                    ),
                    _ => {
                        todo.push(a);
                        todo.push(b);
                    }
                }
            }
            ExprKind::Binary(BinOp::Add | BinOp::Sub | BinOp::Div, a, b) => {
                todo.push(a);
                todo.push(b);
            }
            ExprKind::If(_, a, b) => {
                todo.push(a);
                todo.push(b);
            }
            ExprKind::When { arms, .. } => todo.extend(arms.iter().map(|a| &a.body)),
            ExprKind::Match { arms, .. } => todo.extend(arms.iter().map(|a| &a.body)),
            ExprKind::Call { callee, args } if matches!(callee.text.as_str(), "min" | "max" | "round" | "abs") => {
                todo.extend(args.iter().take(if callee.text == "round" { 1 } else { args.len() }));
            }
            ExprKind::Name(n) => {
                if let Some(body) = lets.get(n) {
                    if seen.insert(n.clone()) {
                        todo.push(body);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn branches(ta: &Ty, sa: Span, tb: &Ty, sb: Span, diags: &mut Vec<Diagnostic>) -> Ty {
    unify(ta, tb).unwrap_or_else(|| {
        diags.push(
            Diagnostic::new(Code::E0301, sb, Message::BranchUnits { left: ta.unit(), right: tb.unit() })
                .with_label(sa, Note::Unit(ta.unit())),
        );
        Ty::Error
    })
}

fn expect_bool(t: &Ty, span: Span, diags: &mut Vec<Diagnostic>) {
    if !matches!(t, Ty::Bool | Ty::Error) {
        diags.push(
            Diagnostic::new(Code::E0303, span, Message::ExpectedCondition { found: t.unit() })
                .with_help(Hint::CompareIt),
        );
    }
}

/// The candidate closest to `name` by edit distance, when close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates.map(|c| (edit_distance(name, c), c)).filter(|(d, _)| *d <= limit).min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
