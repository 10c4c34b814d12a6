//! The checks of one indicator, along its parts: owners, max and score, names and units, the
//! sub-indicator total, and the limits the later analyses need (chains of `let`s, nested cohort
//! functions). [`provable`] says whether the policy analysis may then reason about its rule.

use crate::map::{VecMap, VecSet};

use super::check_agency;
use crate::diag::message::{OutsideDomain, Val};
use crate::diag::{Code, Diagnostic, Hint, Message, Note};
use crate::num::Num;
use crate::sema::calls::{self, MAX_INLINED_DEPTH};
use crate::sema::infer::{self as types, infer, Context, Scope};
use crate::sema::ty::{unify, Ty};
use crate::sema::{const_value, input_domain, Env};
use crate::syntax::ast::{self, IndicatorProp, InputModifier};

/// Checks one indicator (not its sub-indicators, which are checked on their own).
pub fn check_indicator(env: &Env, ind: &ast::Indicator) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // A property that did not parse was reported by the parser; checks that depend on what is
    // missing would only repeat it.
    let broken = ind.props.iter().any(|p| matches!(p, IndicatorProp::Error(_)));
    check_owners(env, ind, &mut diags);
    check_max_and_score(ind, broken, &mut diags);
    check_names_and_units(env, ind, broken, &mut diags);
    check_sub_total(ind, &mut diags);
    // The analyses below follow `let`s by recursion, so a chain too deep to follow is reported
    // and stops them.
    match let_chain_too_deep(env, ind) {
        Some(d) => diags.push(d),
        None => diags.extend(nested_cohort_calls(ind)),
    }
    diags
}

/// W0209 without an owner; E0202 for an owner or cooperating agency that is not declared.
fn check_owners(env: &Env, ind: &ast::Indicator, diags: &mut Vec<Diagnostic>) {
    match ind.owner() {
        Some(o) => check_agency(env, o, diags),
        None => diags.push(
            Diagnostic::new(Code::W0209, ind.id.span, Message::NoOwner { id: ind.id.text.clone() })
                .with_help(Hint::AddOwner),
        ),
    }
    for c in ind.cooperating() {
        check_agency(env, c, diags);
    }
}

/// E0308: a max that is missing or not a number, a scored indicator without a score.
fn check_max_and_score(ind: &ast::Indicator, broken: bool, diags: &mut Vec<Diagnostic>) {
    match ind.max() {
        None if broken => {}
        None => diags.push(
            Diagnostic::new(Code::E0308, ind.id.span, Message::NoMax { id: ind.id.text.clone() })
                .with_help(Hint::AddMax),
        ),
        Some(m) => {
            if const_value(m).is_none() {
                diags.push(Diagnostic::new(Code::E0308, m.span, Message::MaxNotNumber));
            }
        }
    }
    let has_subs = ind.subs().next().is_some();
    if !ind.is_not_scored() && !has_subs && !broken && ind.score().is_none() {
        diags.push(
            Diagnostic::new(Code::E0308, ind.id.span, Message::NoScore { id: ind.id.text.clone() })
                .with_help(Hint::AddScore),
        );
    }
}

/// Names and units: the inputs and their bounds, the `let`s and the score in order, the
/// assumptions, and inputs the score never uses (W0208).
fn check_names_and_units(env: &Env, ind: &ast::Indicator, broken: bool, diags: &mut Vec<Diagnostic>) {
    let mut scope = Scope::new(env, Context::Indicator);
    let mut declared = declare_inputs(env, ind, &mut scope, diags);
    let inputs: VecSet<String> = FromIterator::from_iter(declared.iter().map(|n| n.text.clone()));
    for prop in &ind.props {
        match prop {
            IndicatorProp::Let(name, e) => {
                let t = infer(&mut scope, e, diags);
                if let Some(prev) = declared.iter().find(|n| n.text == name.text) {
                    diags.push(
                        Diagnostic::new(Code::E0204, name.span, Message::NameDeclaredTwice { name: name.text.clone() })
                            .with_label(prev.span, Note::FirstDeclaredHere),
                    );
                }
                declared.push(name);
                scope.names.insert(name.text.clone(), t);
            }
            IndicatorProp::Score(e) => check_score_unit(ind, &mut scope, e, diags),
            _ => {}
        }
    }
    // Assumptions may mention any input; they do not count as uses.
    let used = scope.used.clone();
    for e in ind.assumptions() {
        let t = infer(&mut scope, e, diags);
        if !matches!(t, Ty::Bool | Ty::Error) {
            diags.push(Diagnostic::new(Code::E0303, e.span, Message::AssumeNeedsComparison));
        }
    }
    if !ind.is_not_scored() && !broken {
        for input in ind.inputs() {
            if inputs.contains(&input.name.text) && !used.contains(&input.name.text) {
                diags.push(
                    Diagnostic::new(
                        Code::W0208,
                        input.name.span,
                        Message::InputUnusedInScore { name: input.name.text.clone() },
                    )
                    .with_help(Hint::UseInScore),
                );
            }
        }
    }
}

/// Puts the inputs in scope with their types: a name declared twice (E0204), bounds and defaults
/// in the input's unit (E0304, a bare number on a percent), a default outside the domain (E0309).
/// Returns the names declared, in order.
fn declare_inputs<'a>(
    env: &Env,
    ind: &'a ast::Indicator,
    scope: &mut Scope<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'a ast::Name> {
    let mut declared: Vec<&ast::Name> = Vec::new();
    for input in ind.inputs() {
        if let Some(prev) = declared.iter().find(|n| n.text == input.name.text) {
            diags.push(
                Diagnostic::new(
                    Code::E0204,
                    input.name.span,
                    Message::NameDeclaredTwice { name: input.name.text.clone() },
                )
                .with_label(prev.span, Note::FirstDeclaredHere),
            );
            continue;
        }
        declared.push(&input.name);
        let ty = Ty::of_type(&input.ty);
        if let ast::TypeKind::Choice(opts) = &input.ty.kind {
            scope.options.extend(opts.iter().map(|o| o.text.clone()));
        }
        for m in &input.modifiers {
            if let InputModifier::Default(e) | InputModifier::Min(e) | InputModifier::Max(e) = m {
                let mut plain = Scope::new(env, Context::Plain);
                plain.options = scope.options.clone();
                let tv = infer(&mut plain, e, diags);
                // `at_most 100` on a percent is 10000 %, the same slip as `>= 80` in a rule.
                let bare = (ty == Ty::Percent).then(|| types::bare_number_for_percent(e, input.ty.span)).flatten();
                if let Some(d) = bare {
                    diags.push(d);
                } else if unify(&ty, &tv).is_none() {
                    diags.push(Diagnostic::new(
                        Code::E0304,
                        e.span,
                        Message::InputValueUnit {
                            name: input.name.text.clone(),
                            declared: ty.unit(),
                            found: tv.unit(),
                        },
                    ));
                }
            }
        }
        if let Some(why) = default_outside_domain(input) {
            diags.push(why);
        }
        scope.names.insert(input.name.text.clone(), ty);
    }
    declared
}

/// The score is in points (E0302), and not a percent multiplied by 100.
fn check_score_unit(ind: &ast::Indicator, scope: &mut Scope<'_>, e: &ast::Expr, diags: &mut Vec<Diagnostic>) {
    let t = infer(scope, e, diags);
    let lets: VecMap<String, &ast::Expr> = FromIterator::from_iter(ind.lets().map(|(n, x)| (n.text.clone(), x)));
    let hundred = types::percent_times_hundred(scope, &lets, e);
    if !hundred.is_empty() {
        diags.extend(hundred);
    } else if unify(&t, &Ty::Points).is_none() {
        diags.push(
            Diagnostic::new(Code::E0302, e.span, Message::ScoreNotPoints { found: t.unit() })
                .with_help(Hint::MultiplyByMax),
        );
    }
}

/// E0402: an indicator with sub-indicators declares the sum of their max.
fn check_sub_total(ind: &ast::Indicator, diags: &mut Vec<Diagnostic>) {
    if ind.subs().next().is_none() {
        return;
    }
    let Some(declared_max) = ind.max().and_then(const_value) else { return };
    let maxes: Option<Vec<Num>> = ind.subs().map(|s| s.max().and_then(const_value)).collect();
    if let Some(maxes) = maxes {
        let sum = maxes.iter().fold(Num::zero(), |a, m| a.add(m));
        if sum != declared_max {
            diags.push(Diagnostic::new(
                Code::E0402,
                ind.max().map_or(ind.id.span, |m| m.span),
                Message::SubTotal { id: ind.id.text.clone(), declared: declared_max, sum },
            ));
        }
    }
}

/// Whether the policy analysis may reason about an indicator the checker reported `diags` for.
// A property that did not parse may be the one the rule relies on (an `assume`, a bound): proofs
// about what is left would report problems that are not there. A call to a function that cannot
// be expanded (reported at the function) leaves nothing to prove.
pub fn provable(env: &Env, ind: &ast::Indicator, diags: &[Diagnostic]) -> bool {
    let broken = ind.props.iter().any(|p| matches!(p, IndicatorProp::Error(_)));
    !ind.is_not_scored() && !broken && !diags.iter().any(Diagnostic::is_error) && !calls_unexpandable(env, ind)
}

/// E0104 for a `let` (or the score) that, through the `let`s it uses, is deeper than
/// [`MAX_INLINED_DEPTH`]: a chain like `let x1 = x0 + 1`, `let x2 = x1 + 1`, … thousands long.
fn let_chain_too_deep(env: &Env, ind: &ast::Indicator) -> Option<Diagnostic> {
    let depth = |e: &ast::Expr, lets: &crate::map::VecMap<&str, usize>| {
        calls::inlined_depth(e, &|n| lets.get(n).copied(), &env.calls)
    };
    let mut lets = crate::map::VecMap::new();
    for (name, e) in ind.lets() {
        // Only earlier `let`s are in scope (a later one is E0201), so one pass in order suffices.
        let d = depth(e, &lets);
        if d > MAX_INLINED_DEPTH {
            return Some(
                Diagnostic::new(
                    Code::E0104,
                    name.span,
                    Message::LetTooDeep { name: name.text.clone(), steps: MAX_INLINED_DEPTH },
                )
                .with_help(Hint::FewerStepsOrSplit),
            );
        }
        lets.insert(name.text.as_str(), d);
    }
    let score = ind.score()?;
    (depth(score, &lets) > MAX_INLINED_DEPTH).then(|| {
        Diagnostic::new(Code::E0104, score.span, Message::ScoreTooDeep { steps: MAX_INLINED_DEPTH })
            .with_help(Hint::FewerStepsOrSplit)
    })
}

/// Whether the indicator's score or `let`s call a function that cannot be expanded.
fn calls_unexpandable(env: &Env, ind: &ast::Indicator) -> bool {
    let mut found = false;
    for e in ind.score().into_iter().chain(ind.lets().map(|(_, e)| e)) {
        e.walk(&mut |x| {
            if let ast::ExprKind::Call { callee, .. } = &x.kind {
                found |= env.calls.unexpandable(&callee.text).is_some();
            }
        });
    }
    found
}

/// E0309: a `default` the input could never be reported as. The policy checks reason from the
/// declared domain, so a default outside it would make their proofs wrong for units that do not
/// report the input.
fn default_outside_domain(input: &ast::InputDecl) -> Option<Diagnostic> {
    let e = input.modifiers.iter().find_map(|m| if let InputModifier::Default(e) = m { Some(e) } else { None })?;
    let v = const_value(e)?;
    let (range, integral, positive) = input_domain(input);
    let shown = |n: &crate::num::Num| match input.ty.kind {
        ast::TypeKind::Percent => Val::Percent(n.clone()),
        _ => Val::Num(n.clone()),
    };
    let why = if integral && !v.is_integer() {
        OutsideDomain::NotWhole
    } else if positive && (v.is_zero() || v.is_negative()) {
        OutsideDomain::NotPositive
    } else if let Some(lo) = range.lo.as_ref().filter(|lo| &v < *lo) {
        OutsideDomain::AtLeast(shown(lo))
    } else if let Some(hi) = range.hi.as_ref().filter(|hi| &v > *hi) {
        OutsideDomain::AtMost(shown(hi))
    } else {
        return None;
    };
    Some(
        Diagnostic::new(
            Code::E0309,
            e.span,
            Message::DefaultOutside { value: shown(&v), name: input.name.text.clone(), why },
        )
        .with_help(Hint::DefaultInsideBounds),
    )
}

/// E0213: a cohort function whose argument depends on another cohort function, directly or
/// through `let`s. The cohort phase computes every aggregate from the units' own data in one pass,
/// so `minmax(b - minmax(a))` would compare values that do not exist yet.
fn nested_cohort_calls(ind: &ast::Indicator) -> Vec<Diagnostic> {
    use ast::ExprKind;
    let lets: crate::map::VecMap<&str, &ast::Expr> =
        FromIterator::from_iter(ind.lets().map(|(n, e)| (n.text.as_str(), e)));
    // The first cohort call `e` depends on, following `let`s (each at most once).
    fn inner<'a>(
        e: &'a ast::Expr,
        lets: &crate::map::VecMap<&'a str, &'a ast::Expr>,
        seen: &mut VecSet<&'a str>,
    ) -> Option<&'a ast::Name> {
        let mut found = None;
        e.walk(&mut |x| {
            if found.is_some() {
                return;
            }
            match &x.kind {
                ExprKind::Call { callee, .. } if types::is_cohort_fn(&callee.text) => found = Some(callee),
                ExprKind::Name(n) => {
                    if let Some((name, body)) = lets.get_key_value(n.as_str()) {
                        if seen.insert(name) {
                            found = inner(body, lets, seen);
                        }
                    }
                }
                _ => {}
            }
        });
        found
    }
    let mut diags = Vec::new();
    let bodies = ind.lets().map(|(_, e)| e).chain(ind.score()).chain(ind.assumptions());
    for body in bodies {
        body.walk(&mut |x| {
            let ExprKind::Call { callee, args } = &x.kind else { return };
            if !types::is_cohort_fn(&callee.text) {
                return;
            }
            let Some(arg) = args.first() else { return };
            if let Some(nested) = inner(arg, &lets, &mut VecSet::new()) {
                diags.push(
                    Diagnostic::new(
                        Code::E0213,
                        callee.span,
                        Message::NestedCohort { outer: callee.text.clone(), inner: nested.text.clone() },
                    )
                    .with_label(nested.span, Note::AnotherCohortComparison)
                    .with_help(Hint::OwnDataComparison),
                );
            }
        });
    }
    diags
}
