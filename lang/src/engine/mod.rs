//! The compiled evaluator: a checked rulebook compiled once into a program, then run for every
//! unit of a cohort.
//!
//! [`compile`] walks the file as [`crate::eval::scores`] does (every indicator and sub-indicator
//! in source order, the first declaration of a duplicated id only) and compiles each indicator's
//! `let`s, score and `assume`s into a small tree of `Code` (`code.rs`) whose names are already
//! resolved to input, `let` and parameter slots, whose user functions are compiled once per
//! arity into a shared table, and whose cohort calls are numbered sites. [`Program::scores`] then
//! gives exactly what `eval::scores` gives (the same `Results`, field for field; the reference is
//! `eval::evaluate`, and `tests/fast_eval.rs` compares them on random rulebooks and data and on
//! every example), at a fraction of the cost: no name is looked up by text while scoring, no
//! evaluator state is set up per indicator beyond its `let` slots, and cohort aggregates are
//! collected per site in one pass over the units.
//!
//! What is compiled: every expression construct (literals, `max`, names, arithmetic with exact
//! division and its zero-denominator message, comparisons, `and`/`or`/`not`, `if`, `when` with
//! comparison and range arms, `match` on choices, `min`/`max`/`abs`/`round`/`part`, cohort
//! functions, user and prelude functions with the nesting and call limits), inputs with their
//! `default`s and missing-data errors, lazy `let`s, parents as sums of their sub-indicators,
//! clamping to [0, max], and the `assume` that a unit's data contradicts. What falls back to the
//! tree-walker, per indicator: an indicator whose `let`s form a cycle, and one that reaches a
//! cohort function inside a user function; the checker refuses both (E-codes), so a rulebook
//! that `chiso eval` accepts never falls back. [`Program::fallbacks`] names them.
//!
//! Explanations (`explain`) keep the tree-walker, which records the steps.
//!
//! **The float filter** ([`Program::for_each_rounded`], what `chiso eval --format csv` runs).
//! Exact rationals cost a gcd after every operation, yet almost every decision a rulebook takes
//! (a threshold, a clamp, a rounding for output) is far from its boundary. So, as exact geometric
//! predicates do, each value is first computed as an interval of doubles that provably contains
//! the exact value (`interval.rs`: round to nearest, then one step outward unless error-free
//! transformations show the operation was exact, so integers, halves and 80% stay exact points),
//! a batch of units at a time through a register program per indicator (`batch.rs`: no
//! allocation or `Value` per operation, `if`/`when` as selects). A unit's value whose interval
//! does not decide (a comparison at a threshold, a divisor that may be 0, a rounding that
//! straddles a boundary, a missing input, a text) is flagged, and only that (unit, indicator)
//! is scored again by the exact `Run` (`filter.rs`); ranks compare totals by interval and
//! exactly only where two intervals overlap. Correctness never depends on the filter: an
//! unflagged interval holds the exact value and every decision taken on it is the exact one.

mod assume;
mod batch;
mod code;
mod filter;
mod interval;
mod run;
mod single;

pub use assume::assume_diagnostics;
#[cfg(not(target_family = "wasm"))]
pub use filter::SumRow;
pub use filter::{
    set_threads, write_rounded, Detail, Digits, FilterStats, RoundedIndicator, RoundedPillar, RoundedUnit, NO_INDEX,
};

use crate::map::VecMap;
use std::borrow::Cow;
use std::sync::Arc;

use crate::data::{Columns, Dataset};
use crate::eval::expr::{CohortMode, IndicatorEval};
use crate::eval::{
    self, Aggregate, CohortKey, CohortStats, EvalError, IndicatorResult, Results, Status, UnitResult, Value,
};
use crate::num::{Num, Sum};
use crate::sema::{Env, Lowered};
use crate::syntax::ast;

use code::{Compiled, Compiler, FnCode, FnTable, Sites, Unsupported};
use run::{Cohort, Data, Run};
pub(crate) use single::Single;

/// The units a program scores, by row or by column.
enum Units<'d> {
    Rows(&'d Dataset),
    /// The columns, and the column of each input slot of each compiled indicator.
    Columns(&'d Columns, Vec<Vec<Option<usize>>>),
}

impl Units<'_> {
    fn len(&self) -> usize {
        match self {
            Units::Rows(d) => d.units.len(),
            Units::Columns(c, _) => c.len(),
        }
    }

    fn id(&self, u: usize) -> &str {
        match self {
            Units::Rows(d) => d.units.get(u).map_or("", |x| x.id.as_str()),
            Units::Columns(c, _) => c.id(u).unwrap_or_default(),
        }
    }

    /// The columns of indicator `k`'s input slots (none for data by unit).
    fn slots(&self, k: usize) -> &[Option<usize>] {
        match self {
            Units::Columns(_, slots) => slots.get(k).map_or(&[], Vec::as_slice),
            Units::Rows(_) => &[],
        }
    }

    /// Unit `u`'s values for indicator `k` (of id `id`), for compiled code.
    fn data<'s>(&'s self, u: usize, k: usize, id: &'s str) -> Data<'s> {
        match self {
            Units::Rows(d) => Data::Map(d.units.get(u).and_then(|x| x.values.get(id))),
            Units::Columns(c, slots) => {
                Data::Columns { columns: c, unit: u, slots: slots.get(k).map_or(&[], Vec::as_slice), indicator: id }
            }
        }
    }

    /// Unit `u`'s values for the indicator `id` as a map, for the tree-walker.
    fn map(&self, u: usize, id: &str) -> Option<Cow<'_, VecMap<String, Value>>> {
        match self {
            Units::Rows(d) => d.units.get(u).and_then(|x| x.values.get(id)).map(Cow::Borrowed),
            Units::Columns(c, _) => c.values(u, id).map(Cow::Owned),
        }
    }
}

/// An indicator's result for one unit, before it is dressed as an [`IndicatorResult`] (ids,
/// titles and reasons as text): totals for ranking need only this.
#[derive(Clone, Debug)]
struct Outcome {
    status: Status,
    score: Option<Num>,
    raw: Option<Num>,
    why: Option<EvalError>,
    error: bool,
    /// The position of the `assume` the data contradicts.
    contradicted: Option<usize>,
}

impl Outcome {
    /// The outcome of a result of the tree-walker (`contradicted` is not needed from it).
    fn of(r: &IndicatorResult) -> Outcome {
        Outcome {
            status: r.status.clone(),
            score: r.score.clone(),
            raw: r.raw_score.clone(),
            why: r.why.clone(),
            error: r.error,
            contradicted: None,
        }
    }
}

/// A rulebook compiled for scoring: its code ([`Compilation`], which a checked file keeps, see
/// `workspace::Analysis::program`) over the checked file it was compiled from.
pub struct Program<'a> {
    env: &'a Env,
    /// The indicators scored, in source order (the first of a duplicated id only).
    indicators: Vec<&'a ast::Indicator>,
    /// Each indicator's position by id.
    position: VecMap<&'a str, usize>,
    index: Option<&'a ast::Expr>,
    /// Where each pillar's members sit among `indicators`: worked out once, not once a scoring
    /// (it looks each member up by id).
    layout: eval::Layout<'a>,
    /// Each indicator's pillar and parent, looked up once (a scorecard names them).
    homes: Vec<(Option<&'a str>, Option<&'a str>)>,
    code: Arc<Compilation>,
}

/// What compiling a rulebook makes, owning nothing of the file: kept with a checked file, so a
/// front door that scores or loads data many times with one rulebook (the portal on every
/// what-if, `chiso eval` loading then scoring) compiles it and makes its register programs once.
#[derive(Debug)]
pub struct Compilation {
    /// Each indicator compiled, or why it is left to the tree-walker.
    compiled: Vec<Result<Compiled, Unsupported>>,
    /// Each indicator's max points.
    maxes: Vec<Num>,
    /// The indicators with a cohort call in their `let`s or score.
    cohort_indicators: Vec<usize>,
    fns: Vec<FnCode>,
    sites: Vec<CohortKey>,
    /// Whether some indicator is left to the tree-walker.
    has_fallbacks: bool,
    /// The position of each indicator's sub-indicators (`None`: not scored before it).
    subs: Vec<Vec<Option<usize>>>,
    /// The indicators outside every pillar and parent: they count towards the total alone.
    outside: Vec<usize>,
    /// The float filter's register programs, made on first use and kept with the program (a
    /// front door that keeps the program, as the browser's does, makes them once).
    plans: std::sync::OnceLock<filter::Plans>,
}

impl std::ops::Deref for Program<'_> {
    type Target = Compilation;

    fn deref(&self) -> &Compilation {
        &self.code
    }
}

/// Compiles a checked, lowered rulebook into a program.
pub fn compile<'a>(rulebook: &Lowered<'a>) -> Program<'a> {
    Program::with(rulebook, Arc::new(Compilation::new(rulebook)))
}

impl Compilation {
    /// Compiles `rulebook`.
    pub fn new(rulebook: &Lowered<'_>) -> Compilation {
        let env = rulebook.env;
        let indicators = &rulebook.indicators;
        let cohort_fns = code::functions_with_cohort_calls(env);
        let mut fns = FnTable::default();
        let mut sites = Sites::default();
        let compiled: Vec<Result<Compiled, Unsupported>> = indicators
            .iter()
            .map(|ind| Compiler::new(env, ind, &mut fns, &mut sites, &cohort_fns).indicator())
            .collect();
        let position = positions(indicators);
        let subs =
            indicators.iter().map(|i| i.subs().map(|s| position.get(s.id.text.as_str()).copied()).collect()).collect();
        let outside = indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                env.indicators.get(&i.id.text).is_none_or(|info| info.pillar.is_none() && info.parent.is_none())
            })
            .map(|(k, _)| k)
            .collect();
        let has_fallbacks = compiled.iter().any(Result::is_err);
        Compilation {
            has_fallbacks,
            subs,
            outside,
            maxes: indicators.iter().map(|i| eval::indicator_max(i)).collect(),
            cohort_indicators: (0..indicators.len())
                .filter(|k| indicators.get(*k).is_some_and(|i| eval::has_cohort_call(i)))
                .collect(),
            compiled,
            fns: fns.code,
            sites: sites.keys,
            plans: std::sync::OnceLock::new(),
        }
    }
}

/// Each indicator's position by id.
fn positions<'a>(indicators: &[&'a ast::Indicator]) -> VecMap<&'a str, usize> {
    FromIterator::from_iter(indicators.iter().enumerate().map(|(k, i)| (i.id.text.as_str(), k)))
}

impl<'a> Program<'a> {
    /// The program of `rulebook` with its compiled `code`, which must be [`Compilation::new`]
    /// of the same rulebook (a checked file keeps one with its tree: `Analysis::program`).
    pub fn with(rulebook: &Lowered<'a>, code: Arc<Compilation>) -> Program<'a> {
        let position = positions(&rulebook.indicators);
        Program {
            env: rulebook.env,
            layout: eval::Layout::new(rulebook.env, &rulebook.indicators, &position),
            homes: rulebook
                .indicators
                .iter()
                .map(|i| match rulebook.env.indicators.get(&i.id.text) {
                    Some(x) => (x.pillar.as_deref(), x.parent.as_deref()),
                    None => (None, None),
                })
                .collect(),
            position,
            indicators: rulebook.indicators.clone(),
            index: rulebook.index,
            code,
        }
    }
}

impl Program<'_> {
    /// The number of pillars (each unit's pillar scores, in the order of the rulebook).
    pub fn pillar_count(&self) -> usize {
        self.layout.pillars.len()
    }

    /// The ids of the indicators left to the tree-walker (none for a rulebook without errors).
    pub fn fallbacks(&self) -> Vec<&str> {
        self.indicators
            .iter()
            .zip(&self.compiled)
            .filter(|(_, c)| c.is_err())
            .map(|(i, _)| i.id.text.as_str())
            .collect()
    }

    /// Scores every unit of `data`: the same results as [`crate::eval::scores`].
    pub fn scores(&self, data: &Dataset) -> Results {
        let mut units = self.score_all(&Units::Rows(data));
        eval::rank_units(&mut units);
        Results { title: self.env.title.clone(), units }
    }

    /// [`Self::scores`] of data held by column.
    pub fn scores_columns(&self, data: &Columns) -> Results {
        let mut units = self.score_all(&self.bind(data));
        eval::rank_units(&mut units);
        Results { title: self.env.title.clone(), units }
    }

    /// Scores every unit of `data` and hands each scorecard to `emit` as soon as it is made, in
    /// data order, ranks included: the same scorecards as [`Self::scores_columns`] without holding
    /// them. The units are scored twice (the first time for the totals that ranks compare), so
    /// memory stays that of the data.
    pub fn for_each(&self, data: &Columns, emit: &mut dyn FnMut(UnitResult)) {
        let units = self.bind(data);
        let (stats, by_site) = self.cohort_stats(&units);
        let layout = &self.layout;
        let ranks = self.ranks(data, &units, &stats, &by_site, layout);
        for u in 0..units.len() {
            let mut r = self.unit_result(&units, u, &stats, &by_site, layout);
            r.rank = ranks.get(u).copied().unwrap_or_default();
            emit(r);
        }
    }

    /// Every unit's rank: from the float filter's totals when it can run, else from every
    /// unit's exact total.
    fn ranks(
        &self,
        data: &Columns,
        units: &Units,
        stats: &CohortStats,
        by_site: &[Option<Aggregate>],
        layout: &eval::Layout,
    ) -> Vec<usize> {
        if let Some(ranks) = self.filtered_ranks(data) {
            return ranks.into_iter().map(|r| r as usize).collect();
        }
        let totals: Vec<Num> = (0..units.len()).map(|u| self.unit_total(units, u, stats, by_site, layout)).collect();
        let mut sorted = totals.clone();
        Num::sort_descending(&mut sorted);
        // Doubles first: totals of exact ratios are often big rationals, slow to compare.
        let sorted: Vec<(f64, Num)> = sorted.into_iter().map(|t| (t.to_f64(), t)).collect();
        totals
            .iter()
            .map(|t| {
                let x = t.to_f64();
                sorted.partition_point(|(ft, s)| s.cmp_approx(*ft, t, x) == std::cmp::Ordering::Greater) + 1
            })
            .collect()
    }

    /// The scorecard of the unit called `id`, ranked among all the units of `data`, or `None`
    /// when no unit has that id: what [`Self::scores_columns`] gives for it, with every other
    /// unit scored for its total only (the portal asking for one province's scorecard).
    pub fn scorecard(&self, data: &Columns, id: &str) -> Option<UnitResult> {
        let units = self.bind(data);
        let u = (0..units.len()).find(|u| units.id(*u) == id)?;
        let (stats, by_site) = self.cohort_stats(&units);
        let layout = &self.layout;
        let mut r = self.unit_result(&units, u, &stats, &by_site, layout);
        r.rank = self.rank_of(data, &units, u, &r.total, (&stats, &by_site, layout));
        Some(r)
    }

    /// The rank of unit `u`, whose total is `total`: from the float filter's totals when it can
    /// run, else by comparing every other unit's exact total with it.
    fn rank_of(
        &self,
        data: &Columns,
        units: &Units,
        u: usize,
        total: &Num,
        (stats, by_site, layout): (&CohortStats, &[Option<Aggregate>], &eval::Layout),
    ) -> usize {
        if let Some(ranks) = self.filtered_ranks(data) {
            return ranks.get(u).map_or(0, |r| *r as usize);
        }
        let better =
            (0..units.len()).filter(|v| *v != u && &self.unit_total(units, *v, stats, by_site, layout) > total).count();
        better + 1
    }

    /// The scorecard of the unit called `id`, with the steps that explain every score (the
    /// tree-walker's, which records them), ranked among all the units of `data`; the others are
    /// scored for their totals only, without steps. `None` when no unit has that id. What
    /// [`crate::eval::evaluate`] gives for that unit, without holding every unit's steps.
    pub fn explained(&self, data: &Columns, id: &str) -> Option<UnitResult> {
        let units = self.bind(data);
        let u = (0..units.len()).find(|u| units.id(*u) == id)?;
        let (mut stats, by_site) = self.cohort_stats(&units);
        // The tree-walker finds cohort aggregates by call, not by site.
        for (key, agg) in self.sites.iter().zip(&by_site) {
            if let Some(agg) = agg {
                stats.entry(key.clone()).or_insert_with(|| agg.clone());
            }
        }
        let layout = &self.layout;
        let mut results: Vec<Option<IndicatorResult>> = vec![None; self.indicators.len()];
        // Reverse order: sub-indicators come after their parent in source order.
        for k in (0..self.indicators.len()).rev() {
            let (Some(ind), Some(max)) = (self.indicators.get(k), self.maxes.get(k)) else { continue };
            let done = eval::Done { position: &self.position, results: &results };
            let values = units.map(u, &ind.id.text);
            let r = eval::score_indicator(self.env, ind, max.clone(), values.as_deref(), &stats, done, true);
            if let Some(slot) = results.get_mut(k) {
                *slot = Some(r);
            }
        }
        let mut r = eval::summarize(layout, id.to_string(), results.into_iter().flatten().collect(), self.index);
        r.rank = self.rank_of(data, &units, u, &r.total, (&stats, &by_site, layout));
        Some(r)
    }

    /// The columns of each compiled indicator's input slots.
    fn bind<'d>(&self, data: &'d Columns) -> Units<'d> {
        let slots = self
            .indicators
            .iter()
            .zip(&self.compiled)
            .map(|(ind, c)| match c {
                Ok(c) => c.inputs.iter().map(|i| data.column_index(&ind.id.text, &i.name)).collect(),
                Err(_) => Vec::new(),
            })
            .collect();
        Units::Columns(data, slots)
    }

    fn score_all(&self, units: &Units) -> Vec<UnitResult> {
        let (stats, by_site) = self.cohort_stats(units);
        let layout = &self.layout;
        (0..units.len()).map(|u| self.unit_result(units, u, &stats, &by_site, layout)).collect()
    }

    /// One unit's scorecard, its rank left at 0.
    fn unit_result(
        &self,
        units: &Units,
        u: usize,
        stats: &CohortStats,
        by_site: &[Option<Aggregate>],
        layout: &eval::Layout,
    ) -> UnitResult {
        let results = if self.has_fallbacks {
            self.results_with_fallbacks(units, u, stats, by_site)
        } else {
            self.outcomes(units, u, by_site).into_iter().enumerate().map(|(k, o)| self.dress(k, o)).collect()
        };
        eval::summarize(layout, units.id(u).to_string(), results, self.index)
    }

    /// One unit's total, as [`Self::unit_result`] adds it up, without dressing the results.
    fn unit_total(
        &self,
        units: &Units,
        u: usize,
        stats: &CohortStats,
        by_site: &[Option<Aggregate>],
        layout: &eval::Layout,
    ) -> Num {
        if self.has_fallbacks {
            return self.unit_result(units, u, stats, by_site, layout).total;
        }
        let outcomes = self.outcomes(units, u, by_site);
        // Exact sums: the order of the additions does not change the total.
        let counted = layout.pillars.iter().flat_map(|(_, _, members)| members).chain(&self.outside);
        let mut total = Sum::new();
        for k in counted {
            if let Some(Outcome { status: Status::Scored, score: Some(s), .. }) = outcomes.get(*k) {
                total.add(s);
            }
        }
        total.total()
    }

    /// Every indicator's outcome for one unit, in source order (all compiled).
    fn outcomes(&self, units: &Units, u: usize, by_site: &[Option<Aggregate>]) -> Vec<Outcome> {
        let mut done: Vec<Option<Outcome>> = vec![None; self.indicators.len()];
        // Reverse order: sub-indicators come after their parent in source order, so they are
        // scored first.
        for k in (0..self.indicators.len()).rev() {
            let (Some(ind), Some(Ok(c)), Some(max)) = (self.indicators.get(k), self.compiled.get(k), self.maxes.get(k))
            else {
                continue;
            };
            let o = self.outcome(ind, c, max, units.data(u, k, &ind.id.text), by_site, k, &done);
            if let Some(slot) = done.get_mut(k) {
                *slot = Some(o);
            }
        }
        done.into_iter().flatten().collect()
    }

    /// One unit's results with some indicators left to the tree-walker.
    fn results_with_fallbacks(
        &self,
        units: &Units,
        u: usize,
        stats: &CohortStats,
        by_site: &[Option<Aggregate>],
    ) -> Vec<IndicatorResult> {
        let mut results: Vec<Option<IndicatorResult>> = vec![None; self.indicators.len()];
        // Reverse order: sub-indicators come after their parent in source order, so they are
        // scored first.
        for k in (0..self.indicators.len()).rev() {
            let (Some(ind), Some(compiled), Some(max)) =
                (self.indicators.get(k), self.compiled.get(k), self.maxes.get(k))
            else {
                continue;
            };
            let done = eval::Done { position: &self.position, results: &results };
            let r = match compiled {
                Ok(c) => {
                    let mut finished: Vec<Option<Outcome>> = vec![None; self.indicators.len()];
                    for (slot, r) in finished.iter_mut().zip(&results) {
                        *slot = r.as_ref().map(Outcome::of);
                    }
                    let o = self.outcome(ind, c, max, units.data(u, k, &ind.id.text), by_site, k, &finished);
                    self.dress(k, o)
                }
                Err(_) => {
                    let values = units.map(u, &ind.id.text);
                    eval::score_indicator(self.env, ind, max.clone(), values.as_deref(), stats, done, false)
                }
            };
            if let Some(slot) = results.get_mut(k) {
                *slot = Some(r);
            }
        }
        results.into_iter().flatten().collect()
    }

    /// The cohort aggregates: by key (for indicators left to the tree-walker) and by site.
    fn cohort_stats(&self, units: &Units) -> (CohortStats, Vec<Option<Aggregate>>) {
        let mut by_site: Vec<Vec<Num>> = vec![Vec::new(); self.sites.len()];
        let mut by_key: VecMap<CohortKey, Vec<Num>> = VecMap::new();
        let mut store: Vec<(usize, Num)> = Vec::new();
        for u in 0..units.len() {
            for k in &self.cohort_indicators {
                let (Some(ind), Some(compiled), Some(max)) =
                    (self.indicators.get(*k), self.compiled.get(*k), self.maxes.get(*k))
                else {
                    continue;
                };
                match compiled {
                    Ok(c) => {
                        store.clear();
                        if let Some(score) = &c.score {
                            let data = units.data(u, *k, &ind.id.text);
                            let mut run = Run::new(c, &self.fns, data, max, Cohort::Collect(&mut store));
                            let _ = run.eval(score);
                        }
                        for (site, x) in store.drain(..) {
                            if let Some(v) = by_site.get_mut(site) {
                                v.push(x);
                            }
                        }
                    }
                    Err(_) => {
                        let values = units.map(u, &ind.id.text);
                        let mut collected = VecMap::new();
                        let mut ev = IndicatorEval::new(
                            self.env,
                            ind,
                            values.as_deref(),
                            max.clone(),
                            CohortMode::Collect(&mut collected),
                        );
                        let _ = ind.score().map(|s| ev.eval(s));
                        for (key, x) in collected {
                            by_key.entry(key).or_default().push(x);
                        }
                    }
                }
            }
        }
        let by_site: Vec<Option<Aggregate>> = by_site.into_iter().map(Aggregate::of).collect();
        let mut stats: CohortStats =
            FromIterator::from_iter(by_key.into_iter().filter_map(|(k, v)| Aggregate::of(v).map(|a| (k, a))));
        if self.compiled.iter().any(Result::is_err) {
            for (key, agg) in self.sites.iter().zip(&by_site) {
                if let Some(agg) = agg {
                    stats.entry(key.clone()).or_insert_with(|| agg.clone());
                }
            }
        }
        (stats, by_site)
    }

    /// One compiled indicator for one unit, as `eval::score_indicator` scores it. `done`: the
    /// outcomes of the indicators scored so far, by position.
    #[allow(clippy::too_many_arguments)]
    fn outcome(
        &self,
        ind: &ast::Indicator,
        c: &Compiled,
        max: &Num,
        data: Data,
        stats: &[Option<Aggregate>],
        k: usize,
        done: &[Option<Outcome>],
    ) -> Outcome {
        let mut o =
            Outcome { status: Status::NotScored, score: None, raw: None, why: None, error: false, contradicted: None };
        if ind.is_not_scored() {
            return o;
        }
        if !c.assumptions.is_empty() && data.reported() {
            // Each assumption is evaluated afresh, its `let`s included, as the tree-walker does.
            o.contradicted = c.assumptions.iter().position(|(a, _)| {
                let mut run = Run::new(c, &self.fns, data, max, Cohort::Use(stats));
                matches!(run.eval(a), Ok(Value::Bool(false)))
            });
        }
        let raw = match &c.score {
            Some(score) => {
                let mut run = Run::new(c, &self.fns, data, max, Cohort::Use(stats));
                match run.eval(score) {
                    Ok(Value::Num(n)) => Ok(n),
                    Ok(_) => Err((EvalError::Type("the score is not a number".into()), true)),
                    Err(e) => {
                        let error = !matches!(e, EvalError::Missing { .. });
                        Err((e, error))
                    }
                }
            }
            None => {
                // A parent: the sum of its sub-indicators.
                let mut sum = Num::zero();
                let mut missing = Vec::new();
                let mut error = false;
                let positions = self.subs.get(k).map_or(&[][..], Vec::as_slice);
                for (sub, p) in ind.subs().zip(positions) {
                    match p.and_then(|p| done.get(p)).and_then(Option::as_ref) {
                        Some(Outcome { score: Some(s), .. }) => sum = sum.add(s),
                        Some(Outcome { status: Status::NotScored, .. }) => {}
                        other => {
                            error |= other.is_some_and(|r| r.error);
                            missing.push(sub.id.text.clone())
                        }
                    }
                }
                if missing.is_empty() {
                    Ok(sum)
                } else {
                    Err((EvalError::SubIndicators(missing), error))
                }
            }
        };
        match raw {
            Ok(raw) => {
                let clamped = raw.max_of(&Num::zero()).min_of(max);
                if clamped != raw {
                    o.raw = Some(raw);
                }
                o.status = Status::Scored;
                o.score = Some(clamped);
            }
            Err((why, error)) => {
                o.status = Status::NotEvaluable;
                o.why = Some(why);
                o.error = error;
            }
        }
        o
    }

    /// The result of indicator `k` as the scorecard shows it.
    fn dress(&self, k: usize, o: Outcome) -> IndicatorResult {
        let ind = self.indicators.get(k);
        let id = ind.map(|i| i.id.text.as_str()).unwrap_or_default();
        let info = self.env.indicators.get(id);
        let contradicted = o.contradicted.and_then(|a| match self.compiled.get(k) {
            Some(Ok(c)) => c.assumptions.get(a).map(|(_, text)| text.clone()),
            _ => None,
        });
        IndicatorResult {
            id: id.to_string(),
            title: ind.map(|i| i.title.value.clone()).unwrap_or_default(),
            pillar: info.and_then(|i| i.pillar.clone()),
            parent: info.and_then(|i| i.parent.clone()),
            max: self.maxes.get(k).cloned().unwrap_or_default(),
            status: o.status,
            score: o.score,
            raw_score: o.raw,
            reason: o.why.as_ref().map(EvalError::to_string),
            why: o.why,
            error: o.error,
            trace: Vec::new(),
            contradicted,
        }
    }
}
