//! What the symbol table keeps of a target: its measure's type, levels, inputs and whether it is
//! computed. The checker of planning items (`check::plan`) types the same expressions.

use super::env::{Env, TargetInfo};
use super::infer::{infer, Context, Scope};
use super::ty::Ty;
use crate::diag::Diagnostic;
use crate::syntax::ast::{self, GoalBound, GoalKind, PlanningItem, PropKind};

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
pub(crate) fn measure_of(env: &Env, t: &PlanningItem, diags: &mut Vec<Diagnostic>) -> Ty {
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
pub(crate) fn value_type(env: &Env, t: &PlanningItem, diags: &mut Vec<Diagnostic>) -> (Ty, Vec<String>) {
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
