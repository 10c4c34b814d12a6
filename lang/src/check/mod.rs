//! The checker: names, units, totals and policy checks, one item at a time.
//!
//! `Env::build` reads the item headers; `check_item` and `check_indicator` check one item against
//! that table. The incremental layer (`chiso-db`) memoizes exactly these functions, so editing one
//! indicator re-checks that indicator and what depends on its header.

pub mod calls;
mod consts;
mod env;
pub mod plan;
pub mod policy;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};

pub use consts::{const_value, fold};
pub use env::{
    for_each_indicator, AgencyInfo, Env, IndicatorInfo, InputBounds, PillarInfo, PlanInfo, SectionInfo, TargetInfo,
    TaskInfo, UnitInfo,
};
pub use types::Ty;

use crate::diag::message::{OutsideDomain, Val};
use crate::diag::{self, Code, Diagnostic, Hint, Message, Note};
use crate::syntax::ast::{self, IndicatorProp, InputModifier, Item};
use crate::syntax::Parse;
use calls::{Unexpandable, MAX_CALL_NESTING, MAX_INLINED_DEPTH};
use types::{infer, Context, Scope};

/// A checked file: its symbol table and every diagnostic (syntax errors included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The symbol table.
    pub env: Env,
    /// Diagnostics sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a parsed file on its own (no prelude).
pub fn check(parse: &Parse) -> Checked {
    check_with(parse, &[])
}

/// Checks a parsed file with `prelude` functions in scope (a rulebook's own `fn` of the same name
/// takes precedence).
pub fn check_with(parse: &Parse, prelude: &[ast::FnDecl]) -> Checked {
    let (mut env, diagnostics) = Env::build(&parse.file);
    env.add_prelude(prelude);
    check_env(parse, env, diagnostics)
}

/// Checks a plan file that uses the agencies and indicators of `rulebook` (checked on its own
/// before): the plan's own declarations come first.
pub fn check_with_rulebook(parse: &Parse, prelude: &[ast::FnDecl], rulebook: &Env) -> Checked {
    let (mut env, mut diagnostics) = Env::build(&parse.file);
    env.add_prelude(prelude);
    diagnostics.extend(env.merge_rulebook(rulebook));
    check_env(parse, env, diagnostics)
}

fn check_env(parse: &Parse, env: Env, mut diagnostics: Vec<Diagnostic>) -> Checked {
    diagnostics.extend(parse.errors.iter().cloned());
    for item in &parse.file.items {
        diagnostics.extend(check_item(&env, item));
    }
    for_each_indicator(&parse.file, &mut |ind| diagnostics.extend(check_indicator(&env, ind)));
    diag::sort(&mut diagnostics);
    diagnostics.dedup();
    Checked { env, diagnostics }
}

/// Checks one item other than its indicators (which `check_indicator` checks one by one).
pub fn check_item(env: &Env, item: &Item) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    match item {
        Item::Rulebook(r) => {
            for p in &r.props {
                if let ast::RulebookProp::Index(e) = p {
                    let mut scope = Scope::new(env, Context::Index);
                    let t = infer(&mut scope, e, &mut diags);
                    if !t.is_numeric() {
                        diags.push(Diagnostic::new(Code::E0302, e.span, Message::IndexNotNumber { found: t.unit() }));
                    }
                }
            }
            if let (Some(scale), Some(total)) = (&env.index_scale, env.pillar_max_total()) {
                if !env.pillars.is_empty() && scale != &total {
                    diags.push(
                        Diagnostic::new(Code::W0403, r.title.span, Message::IndexScale { scale: scale.clone(), total })
                            .with_help(Hint::PillarMaximaAddUp),
                    );
                }
            }
        }
        Item::Section(s) => {
            for f in &s.fields {
                if let Some(o) = &f.owner {
                    check_agency(env, o, &mut diags);
                }
            }
        }
        Item::Pillar(p) => check_pillar_total(env, p, &mut diags),
        Item::Fn(f) => check_fn(env, f, &mut diags),
        Item::Test(t) => check_test(env, t, &mut diags),
        Item::Planning(p) => diags.extend(plan::check_planning(env, p)),
        Item::Agency(_) | Item::Unit(_) | Item::Indicator(_) | Item::Error(_) => {}
    }
    diags
}

fn check_agency(env: &Env, name: &ast::Name, diags: &mut Vec<Diagnostic>) {
    if name.text.is_empty() || env.agencies.contains_key(&name.text) {
        return;
    }
    let mut d = Diagnostic::new(Code::E0202, name.span, Message::UnknownAgency { name: name.text.clone() });
    d = match types::closest(&name.text, env.agencies.keys()) {
        Some(best) => d.with_help(Hint::DidYouMean { best: best.clone() }),
        None => d.with_help(Hint::DeclareAgency { name: name.text.clone() }),
    };
    diags.push(d);
}

/// E0401: a pillar's declared max must equal the sum of its indicators' max.
fn check_pillar_total(env: &Env, p: &ast::Pillar, diags: &mut Vec<Diagnostic>) {
    let Some(info) = env.pillars.get(&p.id.text) else { return };
    let Some(declared) = &info.max else {
        if let Some(m) = &p.max {
            diags.push(Diagnostic::new(Code::E0308, m.span, Message::PillarMaxNotNumber));
        }
        return;
    };
    let mut sum = crate::num::Num::zero();
    for id in &info.indicators {
        match env.indicators.get(id).and_then(|i| i.max.as_ref()) {
            Some(m) => sum = sum.add(m),
            None => return, // reported on the indicator
        }
    }
    if &sum != declared {
        let maxima = info
            .indicators
            .iter()
            .filter_map(|id| env.indicators.get(id).and_then(|i| i.max.as_ref()).map(|m| (id.clone(), m.clone())))
            .collect();
        diags.push(
            Diagnostic::new(
                Code::E0401,
                p.max.as_ref().map_or(p.id.span, |m| m.span),
                Message::PillarTotal { pillar: p.id.text.clone(), declared: declared.clone(), sum },
            )
            .with_help(Hint::IndicatorMaxima { maxima }),
        );
    }
}

fn check_fn(env: &Env, f: &ast::FnDecl, diags: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for p in &f.params {
        if !seen.insert(p.text.clone()) {
            diags.push(Diagnostic::new(Code::E0204, p.span, Message::ParamDeclaredTwice { name: p.text.clone() }));
        }
    }
    let mut scope = Scope::new(env, Context::Function);
    scope.call_stack.push(f.name.text.clone());
    for p in &f.params {
        scope.names.insert(p.text.clone(), Ty::Error);
    }
    infer(&mut scope, &f.body, diags);
    match env.calls.unexpandable(&f.name.text) {
        Some(Unexpandable::Recursive) => diags.push(
            Diagnostic::new(Code::E0206, f.name.span, Message::CallsItself { name: f.name.text.clone() })
                .with_help(Hint::NoRecursion),
        ),
        Some(Unexpandable::TooDeep) => diags.push(
            Diagnostic::new(
                Code::E0104,
                f.name.span,
                Message::FunctionTooDeep {
                    name: f.name.text.clone(),
                    bodies: MAX_CALL_NESTING,
                    steps: MAX_INLINED_DEPTH,
                },
            )
            .with_help(Hint::FewerCalls),
        ),
        // Reported at the function it calls.
        Some(Unexpandable::CallsUnexpandable) | None => {}
    }
}

fn check_test(env: &Env, t: &ast::TestDecl, diags: &mut Vec<Diagnostic>) {
    for stmt in &t.stmts {
        match stmt {
            ast::TestStmt::Given { target, values, .. } => {
                let inputs: Option<Vec<String>> = if let Some(i) = env.indicators.get(&target.text) {
                    Some(i.inputs.iter().map(|(n, _)| n.clone()).collect())
                } else {
                    env.sections.get(&target.text).map(|s| s.fields.iter().map(|(n, _, _)| n.clone()).collect())
                };
                match inputs {
                    None => diags.push(unknown_indicator(env, target)),
                    Some(names) => {
                        for (n, _) in values {
                            if !names.contains(&n.text) {
                                diags.push(Diagnostic::new(
                                    Code::E0201,
                                    n.span,
                                    Message::NoSuchInput {
                                        target: target.text.clone(),
                                        name: n.text.clone(),
                                        inputs: names.clone(),
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            ast::TestStmt::Expect { target, .. } => match target {
                ast::ExpectTarget::Indicator(id) if !env.indicators.contains_key(&id.text) => {
                    diags.push(unknown_indicator(env, id))
                }
                ast::ExpectTarget::Pillar(id) if !env.pillars.contains_key(&id.text) => {
                    diags.push(Diagnostic::new(Code::E0205, id.span, Message::NoPillar { id: id.text.clone() }))
                }
                _ => {}
            },
            ast::TestStmt::Error(_) => {}
        }
    }
}

fn unknown_indicator(env: &Env, id: &ast::Name) -> Diagnostic {
    let d = Diagnostic::new(Code::E0205, id.span, Message::NoIndicator { id: id.text.clone() });
    match types::closest(&id.text, env.indicators.keys()) {
        Some(best) => d.with_help(Hint::DidYouMean { best: best.clone() }),
        None => d,
    }
}

/// Checks one indicator (not its sub-indicators, which are checked on their own).
pub fn check_indicator(env: &Env, ind: &ast::Indicator) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let scored = !ind.is_not_scored();
    let has_subs = ind.subs().next().is_some();
    // A property that did not parse was reported by the parser; checks that depend on what is
    // missing would only repeat it.
    let broken = ind.props.iter().any(|p| matches!(p, IndicatorProp::Error(_)));

    // Owners.
    match ind.owner() {
        Some(o) => check_agency(env, o, &mut diags),
        None => diags.push(
            Diagnostic::new(Code::W0209, ind.id.span, Message::NoOwner { id: ind.id.text.clone() })
                .with_help(Hint::AddOwner),
        ),
    }
    for c in ind.cooperating() {
        check_agency(env, c, &mut diags);
    }

    // Max and score.
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
    if scored && !has_subs && !broken && ind.score().is_none() {
        diags.push(
            Diagnostic::new(Code::E0308, ind.id.span, Message::NoScore { id: ind.id.text.clone() })
                .with_help(Hint::AddScore),
        );
    }

    // Names and units.
    let mut scope = Scope::new(env, Context::Indicator);
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
                let tv = infer(&mut plain, e, &mut diags);
                // `at_most 100` on a percent is 10000 %, the same slip as `>= 80` in a rule.
                let bare = (ty == Ty::Percent).then(|| types::bare_number_for_percent(e, input.ty.span)).flatten();
                if let Some(d) = bare {
                    diags.push(d);
                } else if types::unify(&ty, &tv).is_none() {
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
    let inputs: BTreeSet<String> = declared.iter().map(|n| n.text.clone()).collect();
    for prop in &ind.props {
        match prop {
            IndicatorProp::Let(name, e) => {
                let t = infer(&mut scope, e, &mut diags);
                if let Some(prev) = declared.iter().find(|n| n.text == name.text) {
                    diags.push(
                        Diagnostic::new(Code::E0204, name.span, Message::NameDeclaredTwice { name: name.text.clone() })
                            .with_label(prev.span, Note::FirstDeclaredHere),
                    );
                }
                declared.push(name);
                scope.names.insert(name.text.clone(), t);
            }
            IndicatorProp::Score(e) => {
                let t = infer(&mut scope, e, &mut diags);
                let lets: BTreeMap<String, &ast::Expr> = ind.lets().map(|(n, x)| (n.text.clone(), x)).collect();
                let hundred = types::percent_times_hundred(&mut scope, &lets, e);
                if !hundred.is_empty() {
                    diags.extend(hundred);
                } else if types::unify(&t, &Ty::Points).is_none() {
                    diags.push(
                        Diagnostic::new(Code::E0302, e.span, Message::ScoreNotPoints { found: t.unit() })
                            .with_help(Hint::MultiplyByMax),
                    );
                }
            }
            _ => {}
        }
    }
    // Assumptions may mention any input; they do not count as uses.
    let used = scope.used.clone();
    for e in ind.assumptions() {
        let t = infer(&mut scope, e, &mut diags);
        if !matches!(t, Ty::Bool | Ty::Error) {
            diags.push(Diagnostic::new(Code::E0303, e.span, Message::AssumeNeedsComparison));
        }
    }
    if scored && !broken {
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

    // Sub-indicator total.
    if has_subs {
        if let Some(declared_max) = ind.max().and_then(const_value) {
            let maxes: Option<Vec<crate::num::Num>> = ind.subs().map(|s| s.max().and_then(const_value)).collect();
            if let Some(maxes) = maxes {
                let sum = maxes.iter().fold(crate::num::Num::zero(), |a, m| a.add(m));
                if sum != declared_max {
                    diags.push(Diagnostic::new(
                        Code::E0402,
                        ind.max().map_or(ind.id.span, |m| m.span),
                        Message::SubTotal { id: ind.id.text.clone(), declared: declared_max, sum },
                    ));
                }
            }
        }
    }

    // The analyses below follow `let`s by recursion, so a chain too deep to follow is reported
    // and stops them.
    match let_chain_too_deep(env, ind) {
        Some(d) => diags.push(d),
        None => diags.extend(nested_cohort_calls(ind)),
    }

    // A property that did not parse may be the one the rule relies on (an `assume`, a bound):
    // proofs about what is left would report problems that are not there.
    // A call to a function that cannot be expanded (reported at the function) leaves nothing to
    // prove.
    if scored && !broken && !diags.iter().any(Diagnostic::is_error) && !calls_unexpandable(env, ind) {
        diags.extend(policy::check_indicator_policy(env, ind));
    }
    diags
}

/// E0104 for a `let` (or the score) that, through the `let`s it uses, is deeper than
/// [`MAX_INLINED_DEPTH`]: a chain like `let x1 = x0 + 1`, `let x2 = x1 + 1`, … thousands long.
fn let_chain_too_deep(env: &Env, ind: &ast::Indicator) -> Option<Diagnostic> {
    let depth = |e: &ast::Expr, lets: &std::collections::BTreeMap<&str, usize>| {
        calls::inlined_depth(e, &|n| lets.get(n).copied(), &env.calls)
    };
    let mut lets = std::collections::BTreeMap::new();
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
    let v = consts::const_value(e)?;
    let (range, integral, positive) = policy::input_domain(input);
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
    let lets: std::collections::BTreeMap<&str, &ast::Expr> = ind.lets().map(|(n, e)| (n.text.as_str(), e)).collect();
    // The first cohort call `e` depends on, following `let`s (each at most once).
    fn inner<'a>(
        e: &'a ast::Expr,
        lets: &std::collections::BTreeMap<&'a str, &'a ast::Expr>,
        seen: &mut BTreeSet<&'a str>,
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
            if let Some(nested) = inner(arg, &lets, &mut BTreeSet::new()) {
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
