//! The interpreter: scores every unit of a dataset, in a per-unit phase and a cohort phase.
//!
//! Phase 1 evaluates, for every unit, the arguments of cohort functions (`minmax`,
//! `relative_to_best`, `rank`). The cohort phase aggregates them. Phase 2 scores every indicator of
//! every unit with the aggregates at hand. Work grows linearly with units × indicators (plus one
//! sort per cohort call for `rank`).

pub mod assume;
pub(crate) mod cohort;
pub(crate) mod expr;
pub(crate) mod trace;

use crate::map::VecMap;

use crate::data::Dataset;
use crate::num::{Num, Sum};
use crate::sema::{const_value, Env, Lowered};
use crate::syntax::ast;

pub use crate::sema::value::{EvalError, Value};
pub use cohort::{Aggregate, CohortKey, CohortStats};
pub use expr::{literal_value, short};
pub use trace::{Step, Taken};

use expr::{CohortMode, IndicatorEval};

/// The outcome of one indicator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// A score was computed.
    Scored,
    /// The score could not be computed; see the reason.
    NotEvaluable,
    /// The indicator is listed but not scored.
    NotScored,
}

impl Status {
    /// `scored`, `not_evaluable` or `not_scored`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Scored => "scored",
            Status::NotEvaluable => "not_evaluable",
            Status::NotScored => "not_scored",
        }
    }
}

/// One indicator's result for one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorResult {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its pillar.
    pub pillar: Option<String>,
    /// Its parent, for a sub-indicator.
    pub parent: Option<String>,
    /// Its max points.
    pub max: Num,
    /// Scored, not evaluable, or not scored.
    pub status: Status,
    /// The score, within [0, max].
    pub score: Option<Num>,
    /// The score as computed, when it was outside [0, max].
    pub raw_score: Option<Num>,
    /// Why it is not evaluable.
    pub reason: Option<String>,
    /// The same, typed, to be told in either language ([`EvalError::render`]).
    pub why: Option<EvalError>,
    /// Whether the reason is an evaluation error (division by zero, no arm matched) rather than
    /// missing data.
    pub error: bool,
    /// The steps that decided it.
    pub trace: Vec<Step>,
    /// The `assume` the unit's data contradicts, as written (`b + c <= a`): the score is
    /// computed but rests on a fact the data breaks (see [`assume`]).
    pub contradicted: Option<String>,
}

/// A pillar's subtotal for one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PillarResult {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The sum of its evaluable indicators.
    pub score: Num,
    /// Its declared max.
    pub max: Num,
    /// Whether every indicator was evaluable.
    pub complete: bool,
}

/// One unit's scorecard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitResult {
    /// The unit's id.
    pub id: String,
    /// Indicators in rulebook order.
    pub indicators: Vec<IndicatorResult>,
    /// Pillars in rulebook order.
    pub pillars: Vec<PillarResult>,
    /// Sum of pillar subtotals (and of indicators outside pillars).
    pub total: Num,
    /// The index, when the rulebook declares one and it could be computed.
    pub index: Option<Num>,
    /// Whether every scored indicator was evaluable.
    pub complete: bool,
    /// 1 = highest total; ties share a rank.
    pub rank: usize,
}

/// The results for a whole cohort.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Results {
    /// The rulebook's title.
    pub title: Option<String>,
    /// One scorecard per unit, in data order.
    pub units: Vec<UnitResult>,
}

/// Scores every unit of `data` with a checked rulebook, with the steps that explain each score.
pub fn evaluate(rulebook: &Lowered<'_>, data: &Dataset) -> Results {
    evaluate_with(rulebook, data, true)
}

/// Scores every unit of `data` without building explanations: every field of the results as
/// [`evaluate`] gives them except `IndicatorResult::trace`, which stays empty. For output that
/// shows scores only (CSV, JSON without explanations), at a fraction of the cost.
pub fn scores(rulebook: &Lowered<'_>, data: &Dataset) -> Results {
    evaluate_with(rulebook, data, false)
}

fn evaluate_with(rulebook: &Lowered<'_>, data: &Dataset, explain: bool) -> Results {
    let env = rulebook.env;
    let indicators = &rulebook.indicators;

    // Per-unit phase for cohort arguments.
    let cohort_inds: Vec<&ast::Indicator> = indicators.iter().copied().filter(|i| has_cohort_call(i)).collect();
    let mut collected: VecMap<CohortKey, Vec<Num>> = VecMap::new();
    for unit in &data.units {
        for ind in &cohort_inds {
            let mut store = VecMap::new();
            let max = indicator_max(ind);
            let mut ev =
                IndicatorEval::new(env, ind, unit.values.get(&ind.id.text), max, CohortMode::Collect(&mut store));
            let _ = ind.score().map(|s| ev.eval(s));
            for (k, v) in store {
                collected.entry(k).or_default().push(v);
            }
        }
    }
    let stats: CohortStats =
        FromIterator::from_iter(collected.into_iter().filter_map(|(k, v)| Aggregate::of(v).map(|a| (k, a))));

    // Scoring phase.
    let index_expr = rulebook.index;
    // What does not depend on the unit is worked out once: each indicator's max, and where each
    // indicator, sub-indicator and pillar member sits in the per-unit list.
    let position: VecMap<&str, usize> =
        FromIterator::from_iter(indicators.iter().enumerate().map(|(k, i)| (i.id.text.as_str(), k)));
    let maxes: Vec<Num> = indicators.iter().map(|i| indicator_max(i)).collect();
    let layout = Layout::new(env, indicators, &position);
    let mut units = Vec::with_capacity(data.units.len());
    for unit in &data.units {
        let mut results: Vec<Option<IndicatorResult>> = vec![None; indicators.len()];
        for (k, ind) in indicators.iter().enumerate().rev() {
            // Reverse order: sub-indicators come after their parent in source order, so they are
            // scored first.
            let max = maxes.get(k).cloned().unwrap_or_default();
            let done = Done { position: &position, results: &results };
            let r = score_indicator(env, ind, max, unit.values.get(&ind.id.text), &stats, done, explain);
            if let Some(slot) = results.get_mut(k) {
                *slot = Some(r);
            }
        }
        let ordered: Vec<IndicatorResult> = results.into_iter().flatten().collect();
        units.push(summarize(&layout, unit.id.clone(), ordered, index_expr));
    }
    rank_units(&mut units);
    Results { title: env.title.clone(), units }
}

pub(crate) fn indicator_max(ind: &ast::Indicator) -> Num {
    ind.max().and_then(const_value).unwrap_or_default()
}

pub(crate) fn has_cohort_call(ind: &ast::Indicator) -> bool {
    let mut found = false;
    let mut visit = |e: &ast::Expr| {
        e.walk(&mut |x| {
            if let ast::ExprKind::Call { callee, .. } = &x.kind {
                if crate::sema::infer::is_cohort_fn(&callee.text) {
                    found = true;
                }
            }
        })
    };
    for (_, e) in ind.lets() {
        visit(e);
    }
    if let Some(s) = ind.score() {
        visit(s);
    }
    found
}

pub(crate) fn score_indicator(
    env: &Env,
    ind: &ast::Indicator,
    max: Num,
    data: Option<&VecMap<String, Value>>,
    stats: &CohortStats,
    done: Done,
    explain: bool,
) -> IndicatorResult {
    let info = env.indicators.get(&ind.id.text);
    let mut result = IndicatorResult {
        id: ind.id.text.clone(),
        title: ind.title.value.clone(),
        pillar: info.and_then(|i| i.pillar.clone()),
        parent: info.and_then(|i| i.parent.clone()),
        max: max.clone(),
        status: Status::NotScored,
        score: None,
        raw_score: None,
        reason: None,
        why: None,
        error: false,
        trace: Vec::new(),
        contradicted: None,
    };
    if ind.is_not_scored() {
        return result;
    }
    result.contradicted = assume::contradicted(env, ind, data, stats).map(|(a, _)| a);
    let raw = if let Some(score) = ind.score() {
        let ev = IndicatorEval::new(env, ind, data, max.clone(), CohortMode::Use(stats));
        let mut ev = if explain { ev.explaining() } else { ev };
        let r = ev.eval(score);
        result.trace = ev.trace;
        r.and_then(|v| v.as_num().cloned().ok_or_else(|| EvalError::Type("the score is not a number".into()))).map_err(
            |e| {
                let error = !matches!(e, EvalError::Missing { .. });
                (e, error)
            },
        )
    } else {
        // A parent: the sum of its sub-indicators.
        let mut parts = Vec::new();
        let mut missing = Vec::new();
        let mut error = false;
        for sub in ind.subs() {
            match done.get(&sub.id.text) {
                Some(IndicatorResult { score: Some(s), .. }) => parts.push((sub.id.text.clone(), s.clone())),
                Some(IndicatorResult { status: Status::NotScored, .. }) => {}
                other => {
                    error |= other.is_some_and(|r| r.error);
                    missing.push(sub.id.text.clone())
                }
            }
        }
        if missing.is_empty() {
            let sum = parts.iter().fold(Num::zero(), |a, (_, s)| a.add(s));
            if explain {
                result.trace.push(Step::SubSum { parts });
            }
            Ok(sum)
        } else {
            Err((EvalError::SubIndicators(missing), error))
        }
    };
    match raw {
        Ok(raw) => {
            let clamped = raw.max_of(&Num::zero()).min_of(&max);
            if clamped != raw {
                if explain {
                    result.trace.push(Step::Clamped { raw: raw.clone(), clamped: clamped.clone() });
                }
                result.raw_score = Some(raw);
            }
            result.status = Status::Scored;
            result.score = Some(clamped);
        }
        Err((why, error)) => {
            result.status = Status::NotEvaluable;
            result.reason = Some(why.to_string());
            result.why = Some(why);
            result.error = error;
        }
    }
    result
}

/// The results of one unit's indicators scored so far, by id.
#[derive(Clone, Copy)]
pub(crate) struct Done<'r> {
    pub(crate) position: &'r VecMap<&'r str, usize>,
    pub(crate) results: &'r [Option<IndicatorResult>],
}

impl<'r> Done<'r> {
    pub(crate) fn get(&self, id: &str) -> Option<&'r IndicatorResult> {
        self.position.get(id).and_then(|p| self.results.get(*p)).and_then(Option::as_ref)
    }
}

/// Where the members of each pillar sit in the list of a unit's indicator results.
pub(crate) struct Layout<'a> {
    /// (pillar id, pillar, positions of its indicators) in pillar order.
    pub(crate) pillars: Vec<(&'a String, &'a crate::sema::PillarInfo, Vec<usize>)>,
}

impl<'a> Layout<'a> {
    pub(crate) fn new(env: &'a Env, indicators: &[&ast::Indicator], position: &VecMap<&str, usize>) -> Layout<'a> {
        let pillars = env
            .pillar_order
            .iter()
            .filter_map(|pid| {
                let p = env.pillars.get(pid)?;
                // Only indicators that are evaluated have a result (the first of a duplicated id).
                let members = p.indicators.iter().filter_map(|iid| position.get(iid.as_str()).copied());
                Some((pid, p, members.filter(|k| *k < indicators.len()).collect()))
            })
            .collect();
        Layout { pillars }
    }
}

pub(crate) fn summarize(
    layout: &Layout,
    id: String,
    indicators: Vec<IndicatorResult>,
    index_expr: Option<&ast::Expr>,
) -> UnitResult {
    let mut pillars = Vec::new();
    // The total adds the indicators' scores themselves, not the pillars' subtotals: each has a
    // small denominator, which is what makes `Sum` cheap.
    let mut total = Sum::new();
    let mut complete = true;
    for (pid, p, members) in &layout.pillars {
        let mut score = Sum::new();
        let mut p_complete = true;
        for k in members {
            if let Some(r) = indicators.get(*k) {
                match (&r.status, &r.score) {
                    (Status::Scored, Some(s)) => {
                        score.add(s);
                        total.add(s);
                    }
                    (Status::NotScored, _) => {}
                    _ => p_complete = false,
                }
            }
        }
        complete &= p_complete;
        pillars.push(PillarResult {
            id: (*pid).clone(),
            title: p.title.clone(),
            score: score.total(),
            max: p.max.clone().unwrap_or_default(),
            complete: p_complete,
        });
    }
    // Indicators outside any pillar count towards the total too.
    for r in indicators.iter().filter(|r| r.pillar.is_none() && r.parent.is_none()) {
        match (&r.status, &r.score) {
            (Status::Scored, Some(s)) => total.add(s),
            (Status::NotScored, _) => {}
            _ => complete = false,
        }
    }
    let total = total.total();
    let index = index_expr.and_then(|e| index_value(e, &total));
    UnitResult { id, indicators, pillars, total, index, complete, rank: 0 }
}

/// Evaluates the rulebook's `index` expression with `total` bound.
pub(crate) fn index_value(e: &ast::Expr, total: &Num) -> Option<Num> {
    crate::sema::fold(e, &|leaf| matches!(leaf.kind, ast::ExprKind::Total).then(|| total.clone()))
}

pub(crate) fn rank_units(units: &mut [UnitResult]) {
    let mut totals: Vec<Num> = units.iter().map(|u| u.total.clone()).collect();
    crate::sort::sort_by(&mut totals, |a, b| b.cmp(a));
    for u in units.iter_mut() {
        u.rank = totals.partition_point(|t| t > &u.total) + 1;
    }
}
