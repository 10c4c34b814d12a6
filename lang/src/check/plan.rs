//! Checks of the planning items: plans, targets, tasks and schedules.
//!
//! Dates must exist (E0601), a task's deadline must fall in the plan's period (E0602), a target
//! or task may only name declared indicators and targets (E0603), ranges must be in order
//! (E0604), agencies must be declared (E0202), targets and tasks should have an owner (W0605) and
//! schedules a deadline (W0606), and a target's goal, baseline and value must have
//! the unit of its measure (E0304). Each item is checked on its own against the symbol table, so
//! the incremental layer re-checks only the items that changed. Rules: `spec/planning.md`.

use super::consts::const_value;
use super::env::{Env, TargetInfo};
use super::types::{self, infer, unify, Context, Scope, Ty};
use crate::diag::{Code, Diagnostic, Span};
use crate::plan::deadline::{date_text, period_range, DateRange, PeriodError, Rule};
use crate::syntax::ast::{self, GoalBound, GoalKind, PlanningItem, PlanningKind, PropKind};

/// The header of a target, as the symbol table keeps it.
pub fn target_info(env: &Env, t: &PlanningItem) -> TargetInfo {
    let mut scratch = Vec::new();
    let measure = measure_of(env, t, &mut scratch);
    let (levels, each_unit) = match t.goal().map(|g| &g.kind) {
        Some(GoalKind::Levels(v)) => (v.iter().map(|(n, _)| n.text.clone()).collect(), false),
        Some(GoalKind::EachUnit(_)) => (Vec::new(), true),
        _ => (Vec::new(), false),
    };
    TargetInfo {
        title: t.title.value.clone(),
        measure,
        levels,
        each_unit,
        inputs: t.inputs().map(|i| (i.name.text.clone(), Ty::of_type(&i.ty))).collect(),
        computed: t.value().is_some(),
        span: t.id.as_ref().map_or(t.title.span, |n| n.span),
    }
}

/// The type of a target's value: its `measure`, else the type of its `value`, goal or baseline.
fn measure_of(env: &Env, t: &PlanningItem, diags: &mut Vec<Diagnostic>) -> Ty {
    if let Some((ty, _)) = t.measure() {
        return Ty::of_type(ty);
    }
    if t.value().is_some() {
        let (ty, _) = value_type(env, t, diags);
        if ty != Ty::Error {
            return ty;
        }
    }
    let mut plain = Scope::new(env, Context::Plain);
    let mut ignored = Vec::new();
    for e in goal_values(t).into_iter().chain(t.baseline().map(|(e, _)| e)) {
        let ty = infer(&mut plain, e, &mut ignored);
        if !matches!(ty, Ty::Number | Ty::Error) {
            return ty;
        }
    }
    Ty::Number
}

/// The bound expressions of a target's goal.
fn goal_values(t: &PlanningItem) -> Vec<&ast::Expr> {
    fn bound(b: &GoalBound) -> Vec<&ast::Expr> {
        match b {
            GoalBound::Cmp(_, e) => vec![e],
            GoalBound::Range(lo, hi) => vec![lo, hi],
        }
    }
    match t.goal().map(|g| &g.kind) {
        Some(GoalKind::Plain(b) | GoalKind::EachUnit(b)) => bound(b),
        Some(GoalKind::Levels(v)) => v.iter().flat_map(|(_, b)| bound(b)).collect(),
        None => Vec::new(),
    }
}

/// The type of a computed value, and the inputs it uses.
fn value_type(env: &Env, t: &PlanningItem, diags: &mut Vec<Diagnostic>) -> (Ty, Vec<String>) {
    let mut scope = Scope::new(env, Context::Plain);
    for input in t.inputs() {
        if let ast::TypeKind::Choice(opts) = &input.ty.kind {
            scope.options.extend(opts.iter().map(|o| o.text.clone()));
        }
        scope.names.insert(input.name.text.clone(), Ty::of_type(&input.ty));
    }
    for p in &t.props {
        if let PropKind::Let(name, e) = &p.kind {
            let ty = infer(&mut scope, e, diags);
            scope.names.insert(name.text.clone(), ty);
        }
    }
    let ty = t.value().map_or(Ty::Error, |e| infer(&mut scope, e, diags));
    (ty, scope.used.into_iter().collect())
}

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
                format!("{} {} has no owner agency", item.kind.keyword(), item.id_text()),
            )
            .with_help("add `owner <agency>` (cơ quan chủ trì): without one, no agency counts it in its totals"),
        );
    }
    if item.kind == PlanningKind::Schedule && item.deadlines().next().is_none() {
        diags.push(
            Diagnostic::new(
                Code::W0606,
                item.title.span,
                "this report has no deadline, so `chiso status` never lists it",
            )
            .with_help("add `due quarterly before day 25 of last month`, `due yearly before 12-20`, …"),
        );
    }
    match item.kind {
        PlanningKind::Plan => {}
        PlanningKind::Target => check_target(env, item, &mut diags),
        PlanningKind::Task | PlanningKind::Schedule => {
            for d in item.deadlines() {
                match Rule::of(d) {
                    Err((span, why)) => diags.push(impossible(span, &why)),
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
fn impossible(span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(Code::E0601, span, format!("this date does not exist: {why}"))
        .with_help("write a real date: `2024`, `2024-10`, `Q4/2024` or `2024-10-15`")
}

/// The days of a period, reporting E0601 and E0604.
fn checked_period(p: &ast::Period, diags: &mut Vec<Diagnostic>) -> Option<DateRange> {
    match period_range(p) {
        Ok(r) => Some(r),
        Err(PeriodError::Impossible(span, why)) => {
            diags.push(impossible(span, &why));
            None
        }
        Err(PeriodError::Reversed(span, start, end)) => {
            let end_text = p.end.as_ref().map(date_text).unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    Code::E0604,
                    span,
                    format!(
                        "the period {} is empty: it ends on {} but starts on {}",
                        crate::plan::deadline::period_text(p),
                        end.end,
                        start.start
                    ),
                )
                .with_help(format!("write the earlier date first: `{end_text}..{}`", date_text(&p.start))),
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
                format!("this {what} ends on {}, outside the plan's period {}..{}", r.end, period.start, period.end),
            )
            .with_help("correct the date, or move the item to the plan for that period"),
        );
    }
}

/// E0202 for an agency that is not declared (unless a rulebook that was not merged may declare it).
fn check_agency(env: &Env, name: &ast::Name, diags: &mut Vec<Diagnostic>) {
    if name.text.is_empty() || env.agencies.contains_key(&name.text) || env.names_are_external() {
        return;
    }
    let d = Diagnostic::new(Code::E0202, name.span, format!("unknown agency `{}`", name.text));
    diags.push(match types::closest(&name.text, env.agencies.keys()) {
        Some(best) => d.with_help(format!("did you mean `{best}`?")),
        None => d.with_help(format!("declare it: `agency {} \"<full name>\"`", name.text)),
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
    let kinds = if what == "advances" { "indicator or target" } else { "indicator" };
    let d = Diagnostic::new(Code::E0603, id.span, format!("there is no {kinds} `{}`", id.text));
    diags.push(match types::closest(&id.text, candidates.into_iter()) {
        Some(best) => d.with_help(format!("did you mean `{best}`?")),
        None if env.indicators.is_empty() => d.with_help(
            "the file declares no indicators: put the plan next to its rulebook with `rulebook \"…\"` in the plan",
        ),
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
                Diagnostic::new(Code::E0204, p.span, format!("`{word}` is given twice"))
                    .with_label(*first, "first given here")
                    .with_help(format!("a {} has one `{word}`", item.kind.keyword())),
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
                Diagnostic::new(Code::E0204, name.span, format!("`{}` is declared twice", name.text))
                    .with_label(first.span, "first declared here"),
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
                Diagnostic::new(
                    Code::E0304,
                    ty.span,
                    format!("a target measures a number, but this is {}", measure.describe()),
                )
                .with_help("use `count`, `number`, `percent`, `money` or `points`"),
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
                    format!("the target measures {}, but this {what} is {}", measure.describe(), ty.describe()),
                )
                .with_help("write the value in the measure's unit, e.g. `84%` for a percent"),
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
                        format!("input `{}` is never used in the value", input.name.text),
                    )
                    .with_help("use it in `value` or a `let`, or remove it"),
                );
            }
        }
    } else if let Some(first) = t.inputs().next() {
        diags.push(
            Diagnostic::new(Code::W0208, first.name.span, format!("input `{}` is never used", first.name.text))
                .with_help("compute the target's value from its inputs: `value = …`"),
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
            diags.push(Diagnostic::new(
                Code::E0304,
                e.span,
                format!("a target's {what} must be a number, such as `84%` or `20659`"),
            ));
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
                        let (lo_text, hi_text) = (crate::format::expr_to_string(lo), crate::format::expr_to_string(hi));
                        diags.push(
                            Diagnostic::new(
                                Code::E0604,
                                lo.span.to(hi.span),
                                format!(
                                    "the range {lo_text}..{hi_text} is empty: its lower bound is above its upper bound"
                                ),
                            )
                            .with_help(format!("write the lower bound first: `in {hi_text}..{lo_text}`")),
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
                            Diagnostic::new(Code::E0204, name.span, format!("level `{}` is given twice", name.text))
                                .with_label(first.span, "first given here"),
                        );
                    }
                    seen.push(name);
                    bound(b, diags);
                }
            }
        }
    }
}
