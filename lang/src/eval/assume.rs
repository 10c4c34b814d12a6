//! Data that contradicts a declared `assume`.
//!
//! An `assume` states a fact about the data (`assume b + c <= a`: online cases are part of all
//! cases). The checker relies on it to prove bounds (a ratio that stays within 100 %), so a unit
//! whose data breaks it gets a score the rule was never meant to give — often a clamped maximum.
//! Such a score is kept, but marked (`IndicatorResult::contradicted`, `contradicted_assumption`
//! in the JSON) and reported as a data diagnostic (W0823) at the unit's row, with the values.
//!
//! An assumption that cannot be evaluated (an input it names was not reported) is not a
//! contradiction: missing data is reported where the score needs it.

use crate::map::VecMap;

use super::cohort::CohortStats;
use super::expr::{CohortMode, IndicatorEval};
use crate::data::Reported;
use crate::diag::{Code, Diagnostic};
use crate::sema::value::Value;
use crate::sema::{const_value, Env, Lowered};
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::expr_to_string;

/// The first `assume` of `ind` that the unit's values make false: its text and the values of the
/// inputs it names (`b + c <= a`, `b = 90, c = 20, a = 100`).
pub fn contradicted(
    env: &Env,
    ind: &ast::Indicator,
    data: Option<&VecMap<String, Value>>,
    stats: &CohortStats,
) -> Option<(String, String)> {
    let values = data?;
    let max = ind.max().and_then(const_value).unwrap_or_default();
    for a in ind.assumptions() {
        let mut ev = IndicatorEval::new(env, ind, Some(values), max.clone(), CohortMode::Use(stats));
        if let Ok(Value::Bool(false)) = ev.eval(a) {
            let mut names: Vec<String> = Vec::new();
            a.walk(&mut |x| {
                if let ExprKind::Name(n) = &x.kind {
                    if values.contains_key(n) && !names.contains(n) {
                        names.push(n.clone());
                    }
                }
            });
            let shown: Vec<String> = names.iter().filter_map(|n| values.get(n).map(|v| format!("{n} = {v}"))).collect();
            return Some((expr_to_string(a), shown.join(", ")));
        }
    }
    None
}

/// W0823 for every unit and indicator whose data contradicts an `assume`, located at the unit's
/// first row for the indicator in the data text.
pub fn diagnostics<D: Reported + ?Sized>(rulebook: &Lowered<'_>, data: &D, text: &str) -> Vec<Diagnostic> {
    diagnostics_among(rulebook, data, text, &|_, _| true)
}

/// [`diagnostics`], the assumptions of unit `u` and indicator `k` (its position in the
/// rulebook's indicators) evaluated only when `suspect(u, k)`: for a caller that knows the
/// others hold (`engine::assume_diagnostics`).
pub fn diagnostics_among<D: Reported + ?Sized>(
    rulebook: &Lowered<'_>,
    data: &D,
    text: &str,
    suspect: &dyn Fn(usize, usize) -> bool,
) -> Vec<Diagnostic> {
    let env = rulebook.env;
    let indicators: Vec<(usize, &ast::Indicator)> = rulebook
        .indicators
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, ind)| ind.assumptions().next().is_some() && !ind.is_not_scored())
        .collect();
    if indicators.is_empty() {
        return Vec::new();
    }
    // Assumptions are about a unit's own values; cohort functions in them see no cohort.
    let stats = CohortStats::new();
    let at = crate::roster::LazyLocator::new(text);
    let mut out = Vec::new();
    // Past the first `MAX_SHOWN`, per indicator of `indicators`: how many more units, the first
    // of them and its row.
    let mut more: Vec<Option<(usize, String, crate::diag::Span)>> = vec![None; indicators.len()];
    for u in 0..data.unit_count() {
        let unit = data.unit_id(u);
        for (at_k, (k, ind)) in indicators.iter().enumerate() {
            if !suspect(u, *k) {
                continue;
            }
            let id = &ind.id.text;
            let values = data.unit_values(u, id);
            if let Some((assumption, values)) = contradicted(env, ind, values.as_deref(), &stats) {
                if out.len() >= MAX_SHOWN {
                    match more.get_mut(at_k) {
                        Some(Some((n, _, _))) => *n += 1,
                        Some(slot) => *slot = Some((1, unit.to_string(), at.get().row(unit, id))),
                        None => {}
                    }
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Code::W0823,
                        at.get().row(unit, id),
                        crate::diag::Message::ContradictsAssume {
                            unit: unit.to_string(),
                            id: id.clone(),
                            assumption,
                            values,
                        },
                    )
                    .with_help(crate::diag::Hint::AssumeMarked),
                );
            }
        }
    }
    for ((_, ind), more) in indicators.iter().zip(more) {
        let Some((n, first, span)) = more else { continue };
        out.push(
            Diagnostic::new(
                Code::W0823,
                span,
                crate::diag::Message::MoreContradictAssume { id: ind.id.text.clone(), more: n, first },
            )
            .with_help(crate::diag::Hint::AssumeMarked),
        );
    }
    out
}

/// The contradictions written one by one, at most: 10,000 communes whose data breaks half the
/// DTI's assumptions are 68,000 of them, which no one reads; past these, one line per indicator
/// counts the rest (each result still carries its own mark).
const MAX_SHOWN: usize = 50;
