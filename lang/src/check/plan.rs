//! Checks of the planning items: plans, targets, tasks and schedules.
//!
//! Dates must exist (E0601), a task's deadline must fall in the plan's period (E0602), a target
//! or task may only name declared indicators and targets (E0603), ranges must be in order
//! (E0604), agencies must be declared (E0202), targets and tasks should have an owner (W0605) and
//! schedules a deadline (W0606), and a target's goal, baseline and value must have
//! the unit of its measure (E0304). Each item is checked on its own against the symbol table, so
//! the incremental layer re-checks only the items that changed. Rules: `spec/planning.md`.

use crate::diag::message::BadDate;
use crate::diag::{Code, Diagnostic, Hint, Message, Note, Span};
use crate::sema::consts::const_value;
use crate::sema::env::Env;
use crate::sema::infer::{self as types, infer, Context, Scope};
use crate::sema::target::{measure_of, value_type};
use crate::sema::ty::{unify, Ty};
use crate::syntax::ast::{self, GoalBound, GoalKind, PlanningItem, PlanningKind, PropKind};
use crate::time::deadline::{date_text, period_range, DateRange, PeriodError, Rule};

/// Checks one planning item.
pub fn check_planning(env: &Env, item: &PlanningItem) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    check_repeated(item, &mut diags);
    for name in item.owners().chain(item.cooperating()).chain(item.recipients()) {
        check_agency(env, name, &mut diags);
    }
    for p in &item.props {
        if let PropKind::Period(per) = &p.kind {
            match checked_period(per, &mut diags) {
                Some(r) if item.kind != PlanningKind::Plan => outside_plan(env, r, per.span, "period", &mut diags),
                _ => {}
            }
        }
    }
    let named = item.id.as_ref().map_or_else(|| item.title.span, |n| n.span);
    if matches!(item.kind, PlanningKind::Target | PlanningKind::Task) && item.owners().next().is_none() {
        diags.push(
            Diagnostic::new(
                Code::W0605,
                named,
                Message::PlanItemNoOwner { keyword: item.kind.keyword().to_string(), id: item.id_text().to_string() },
            )
            .with_help(Hint::AddPlanOwner),
        );
    }
    if item.kind == PlanningKind::Schedule && item.deadlines().next().is_none() {
        diags.push(Diagnostic::new(Code::W0606, item.title.span, Message::NoDeadline).with_help(Hint::AddDue));
    }
    match item.kind {
        PlanningKind::Plan => {}
        PlanningKind::Target => check_target(env, item, &mut diags),
        PlanningKind::Task | PlanningKind::Schedule => {
            for d in item.deadlines() {
                match Rule::of(d) {
                    Err((span, why)) => diags.push(impossible(span, why)),
                    Ok(Rule::Once(r)) => outside_plan(env, r, d.span, "deadline", &mut diags),
                    Ok(_) => {}
                }
            }
            for id in item.advances() {
                if !env.targets.contains_key(&id.text) && !env.indicators.contains_key(&id.text) {
                    unknown_indicator(env, id, "advances", &mut diags);
                }
            }
        }
    }
    diags
}

/// E0601 for a date that does not exist.
fn impossible(span: Span, why: BadDate) -> Diagnostic {
    Diagnostic::new(Code::E0601, span, Message::NoSuchDate { why }).with_help(Hint::RealDate)
}

/// The days of a period, reporting E0601 and E0604.
fn checked_period(p: &ast::Period, diags: &mut Vec<Diagnostic>) -> Option<DateRange> {
    match period_range(p) {
        Ok(r) => Some(r),
        Err(PeriodError::Impossible(span, why)) => {
            diags.push(impossible(span, why));
            None
        }
        Err(PeriodError::Reversed(span, start, end)) => {
            let end_text = p.end.as_ref().map(date_text).unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    Code::E0604,
                    span,
                    Message::EmptyPeriod {
                        period: crate::time::deadline::period_text(p),
                        end: end.end.ymd(),
                        start: start.start.ymd(),
                    },
                )
                .with_help(Hint::EarlierDateFirst { first: end_text, second: date_text(&p.start) }),
            );
            None
        }
    }
}

/// E0602: a deadline or period that ends outside the plan's period.
fn outside_plan(env: &Env, r: DateRange, span: Span, what: &str, diags: &mut Vec<Diagnostic>) {
    let Some(plan) = &env.plan else { return };
    let Some(period) = plan.period else { return };
    if !period.contains(r.end) {
        diags.push(
            Diagnostic::new(
                Code::E0602,
                span,
                Message::OutsidePeriod {
                    what: what.to_string(),
                    end: r.end.ymd(),
                    start: period.start.ymd(),
                    period_end: period.end.ymd(),
                },
            )
            .with_help(Hint::CorrectDate),
        );
    }
}

/// E0202 for an agency that is not declared (unless a rulebook that was not merged may declare it).
fn check_agency(env: &Env, name: &ast::Name, diags: &mut Vec<Diagnostic>) {
    if name.text.is_empty() || env.agencies.contains_key(&name.text) || env.names_are_external() {
        return;
    }
    let d = Diagnostic::new(Code::E0202, name.span, Message::UnknownAgency { name: name.text.clone() });
    diags.push(match types::closest(&name.text, env.agencies.keys()) {
        Some(best) => d.with_help(Hint::DidYouMean { best: best.clone() }),
        None => d.with_help(Hint::DeclareAgency { name: name.text.clone() }),
    });
}

/// E0603 for a reference to an indicator (or target) that does not exist.
fn unknown_indicator(env: &Env, id: &ast::Name, what: &str, diags: &mut Vec<Diagnostic>) {
    if id.text.is_empty() || env.names_are_external() {
        return;
    }
    let candidates: Vec<&String> = if what == "advances" {
        env.indicators.keys().chain(env.targets.keys()).collect()
    } else {
        env.indicators.keys().collect()
    };
    let d = Diagnostic::new(
        Code::E0603,
        id.span,
        Message::NoPlanTarget { or_target: what == "advances", id: id.text.clone() },
    );
    diags.push(match types::closest(&id.text, candidates.into_iter()) {
        Some(best) => {
            // Where the suggestion is declared: in a plan, usually its rulebook (another file).
            let declared = env.indicators.get(best).map(|i| i.span).or_else(|| env.targets.get(best).map(|t| t.span));
            let d = match declared {
                Some(at) => d.with_label(at, Note::DeclaredHere { name: best.clone() }),
                None => d,
            };
            d.with_help(Hint::DidYouMean { best: best.clone() })
        }
        None if env.indicators.is_empty() => d.with_help(Hint::NoIndicatorsInFile),
        None => d,
    });
}

/// E0204: a property that can be given once is given twice.
fn check_repeated(item: &PlanningItem, diags: &mut Vec<Diagnostic>) {
    let single = |k: &PropKind| -> Option<&'static str> {
        Some(match k {
            PropKind::Period(_) => "period",
            PropKind::Unit(_) => "unit",
            PropKind::Locale(_) => "locale",
            PropKind::Rulebook(_) => "rulebook",
            PropKind::Indicator(_) => "indicator",
            PropKind::Measure(..) => "measure",
            PropKind::Value(_) => "value",
            PropKind::Baseline(..) => "baseline",
            PropKind::Goal(_) => "goal",
            PropKind::Group(_) => "group",
            PropKind::SourceId(_) => "source_id",
            PropKind::Due(_) if item.kind == PlanningKind::Task => "due",
            _ => return None,
        })
    };
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for p in &item.props {
        let Some(word) = single(&p.kind) else { continue };
        match seen.iter().find(|(w, _)| *w == word) {
            Some((_, first)) => diags.push(
                Diagnostic::new(Code::E0204, p.span, Message::GivenTwice { word: word.to_string() })
                    .with_label(*first, Note::FirstGivenHere)
                    .with_help(Hint::OnePerItem { keyword: item.kind.keyword().to_string(), word: word.to_string() }),
            ),
            None => seen.push((word, p.span)),
        }
    }
    // Inputs and lets of a computed target share one namespace.
    let mut names: Vec<&ast::Name> = Vec::new();
    for p in &item.props {
        let name = match &p.kind {
            PropKind::Input(i) => &i.name,
            PropKind::Let(n, _) => n,
            _ => continue,
        };
        if let Some(first) = names.iter().find(|n| n.text == name.text) {
            diags.push(
                Diagnostic::new(Code::E0204, name.span, Message::NameDeclaredTwice { name: name.text.clone() })
                    .with_label(first.span, Note::FirstDeclaredHere),
            );
        }
        names.push(name);
    }
}

fn check_target(env: &Env, t: &PlanningItem, diags: &mut Vec<Diagnostic>) {
    if let Some(id) = t.indicator() {
        if !env.indicators.contains_key(&id.text) {
            unknown_indicator(env, id, "indicator", diags);
        }
    }
    let measure = measure_of(env, t, &mut Vec::new());
    if let Some((ty, _)) = t.measure() {
        if !measure.is_numeric() {
            diags.push(
                Diagnostic::new(Code::E0304, ty.span, Message::TargetMeasuresNumber { found: measure.unit() })
                    .with_help(Hint::UseNumericMeasure),
            );
            return;
        }
    }
    let compatible = |what: &str, e: &ast::Expr, ty: &Ty, diags: &mut Vec<Diagnostic>| {
        if unify(&measure, ty).is_none() {
            diags.push(
                Diagnostic::new(
                    Code::E0304,
                    e.span,
                    Message::TargetUnit { measure: measure.unit(), what: what.to_string(), found: ty.unit() },
                )
                .with_help(Hint::MeasureUnit),
            );
        }
    };

    // A computed value.
    if t.value().is_some() {
        let (ty, used) = value_type(env, t, diags);
        if let Some(e) = t.value() {
            compatible("value", e, &ty, diags);
        }
        for input in t.inputs() {
            if !used.contains(&input.name.text) {
                diags.push(
                    Diagnostic::new(
                        Code::W0208,
                        input.name.span,
                        Message::InputUnusedInValue { name: input.name.text.clone() },
                    )
                    .with_help(Hint::UseInValue),
                );
            }
        }
    } else if let Some(first) = t.inputs().next() {
        diags.push(
            Diagnostic::new(Code::W0208, first.name.span, Message::InputUnused { name: first.name.text.clone() })
                .with_help(Hint::ComputeValue),
        );
    }

    // Goal and baseline: constants in the measure's unit.
    let mut plain = Scope::new(env, Context::Plain);
    let mut constant = |what: &str, e: &ast::Expr, diags: &mut Vec<Diagnostic>| -> Option<crate::num::Num> {
        let before = diags.len();
        let ty = infer(&mut plain, e, diags);
        if diags.len() > before {
            return None;
        }
        compatible(what, e, &ty, diags);
        let v = const_value(e);
        if v.is_none() {
            diags.push(Diagnostic::new(Code::E0304, e.span, Message::TargetConstant { what: what.to_string() }));
        }
        v
    };
    if let Some((e, period)) = t.baseline() {
        constant("baseline", e, diags);
        if let Some(p) = period {
            checked_period(p, diags);
        }
    }
    if let Some(goal) = t.goal() {
        let mut bound = |b: &GoalBound, diags: &mut Vec<Diagnostic>| match b {
            GoalBound::Cmp(_, e) => {
                constant("goal", e, diags);
            }
            GoalBound::Range(lo, hi) => {
                let (l, h) = (constant("goal", lo, diags), constant("goal", hi, diags));
                if let (Some(l), Some(h)) = (l, h) {
                    if l > h {
                        let (lo_text, hi_text) = (crate::syntax::expr_to_string(lo), crate::syntax::expr_to_string(hi));
                        diags.push(
                            Diagnostic::new(
                                Code::E0604,
                                lo.span.to(hi.span),
                                Message::EmptyRange { low: lo_text.clone(), high: hi_text.clone() },
                            )
                            .with_help(Hint::LowerBoundFirst { low: hi_text, high: lo_text }),
                        );
                    }
                }
            }
        };
        match &goal.kind {
            GoalKind::Plain(b) | GoalKind::EachUnit(b) => bound(b, diags),
            GoalKind::Levels(levels) => {
                let mut seen: Vec<&ast::Name> = Vec::new();
                for (name, b) in levels {
                    if let Some(first) = seen.iter().find(|n| n.text == name.text) {
                        diags.push(
                            Diagnostic::new(
                                Code::E0204,
                                name.span,
                                Message::LevelGivenTwice { name: name.text.clone() },
                            )
                            .with_label(first.span, Note::FirstGivenHere),
                        );
                    }
                    seen.push(name);
                    bound(b, diags);
                }
            }
        }
    }
}
