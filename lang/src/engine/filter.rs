//! Scoring a cohort through the float filter, with every number rounded for output:
//! [`Program::for_each_rounded`].
//!
//! The units are scored a batch at a time by each indicator's register program (`batch.rs`);
//! a (unit, indicator) whose interval is flagged, or whose rounding the interval does not decide,
//! is scored again by the exact evaluator (`Program::outcome`, the path of [`Program::for_each`]),
//! so the text written is exactly the exact result's rounding. Cohort aggregates are enclosed
//! from the units' argument intervals, the exact minimum and maximum worked out from the few
//! units that may hold them. Ranks compare totals by interval, and exactly where two units'
//! intervals overlap. [`FilterStats`] counts how much went to the exact path.

use crate::map::VecMap;
use std::borrow::Cow;

use super::batch::{self, CohortFn, Input, Plan, Regs, Site, SiteRegs, LANES};
use super::code::Code;
use super::interval::{self as iv, Iv};
use super::run::{Cohort, Run};
use super::{Outcome, Program, Units};
use crate::data::Columns;
use crate::eval::{self, Aggregate, EvalError, Status, UnitResult};
use crate::num::{write_scaled, Num, Sum};
use crate::syntax::ast::{self, BinOp, ExprKind, UnOp};

/// The most decimals written from doubles (`write_scaled` and the exactness of 10^d).
const MAX_FAST_DIGITS: u32 = 15;

/// One indicator of a [`RoundedUnit`].
#[derive(Clone, Debug, Default)]
pub struct RoundedIndicator<'p> {
    pub id: &'p str,
    pub title: &'p str,
    /// Its pillar's id, and its parent's for a sub-indicator.
    pub pillar: Option<&'p str>,
    pub parent: Option<&'p str>,
    /// The max points, rounded.
    pub max: String,
    pub status: Option<Status>,
    /// The score, rounded (empty when there is none).
    pub score: String,
    pub scored: bool,
    /// The score before clamping to [0, max], rounded, when clamping changed it.
    pub raw: Option<String>,
    pub reason: Option<String>,
    /// The same, typed, to be told in either language.
    pub why: Option<EvalError>,
    /// The `assume` the data contradicts.
    pub contradicted: Option<Cow<'p, str>>,
    /// Whether the failure is an evaluation error (not missing data).
    pub error: bool,
}

/// One pillar of a [`RoundedUnit`].
#[derive(Clone, Debug, Default)]
pub struct RoundedPillar<'p> {
    pub id: &'p str,
    pub title: &'p str,
    pub max: String,
    pub score: String,
    pub complete: bool,
}

/// One unit's scorecard with its numbers rounded to the requested decimals (half away from zero,
/// as [`Num::write_decimal`] writes them): what `chiso eval --format csv` prints, without the
/// per-unit allocations of a [`UnitResult`].
#[derive(Clone, Debug, Default)]
pub struct RoundedUnit<'p> {
    pub id: &'p str,
    pub rank: usize,
    pub indicators: Vec<RoundedIndicator<'p>>,
    pub pillars: Vec<RoundedPillar<'p>>,
    pub total: String,
    pub complete: bool,
    pub index: Option<String>,
    /// The indicators whose evaluation failed with an error (a division by zero, not missing
    /// data), with or without `indicators`: a run that writes totals only must still fail.
    pub errors: Vec<&'p str>,
}

/// How much of a run went through the exact path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterStats {
    /// (unit, indicator) results made: the units times the indicators.
    pub lanes: usize,
    /// Exact evaluations of a result the filter left undecided (flagged, or its rounding not
    /// decided by the interval); a result needed by both passes is evaluated in each. (Counted
    /// natively: the browser's module, which reads neither count, stays smaller without.)
    pub exact: usize,
    /// Units whose total needed the exact value (for ranking or writing).
    pub exact_totals: usize,
    /// Whether the whole run used the exact evaluator (a rulebook with indicators the compiler
    /// leaves to the tree-walker).
    pub all_exact: bool,
}

/// How much of each scorecard [`Program::for_each_rounded_with`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Every indicator, and the pillars, total, index and rank.
    Scorecard,
    /// The pillars, total, index and rank only (`indicators` empty): a ranking table, whose
    /// indicator scores are neither rounded nor written (nor scored exactly where the filter
    /// leaves a sum undecided by a hair, unless the sum needs them).
    Totals,
    /// As [`Detail::Totals`], unranked (`rank` is 0): for a caller that writes no ranking (the
    /// benchmark's peers write none), whose run then neither sorts the totals nor computes the
    /// exact totals that only ranks need.
    Sums,
}

/// The decimals a rounded scorecard's numbers are written to: its points (scores, sums, maxes)
/// and its index, a share that a table shows to more decimals than the points (`53.94` of
/// `100`, index `0.5394`). A plain number of decimals is both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Digits {
    pub points: u32,
    pub index: u32,
}

impl From<u32> for Digits {
    fn from(digits: u32) -> Digits {
        Digits { points: digits, index: digits }
    }
}

impl Detail {
    /// Whether the indicators are left out (`Totals` or `Sums`).
    fn totals_only(self) -> bool {
        self != Detail::Scorecard
    }
}

/// A unit's indicator as the filter left it.
#[derive(Clone, Copy, Debug)]
enum Fast {
    NotScored,
    Scored {
        score: Iv,
        raw: Option<Iv>,
        contradicted: Option<usize>,
    },
    /// Left to the exact path.
    Exact,
}

/// Per-unit state for the exact path.
struct Exact {
    outcomes: Vec<Option<Outcome>>,
    total: Option<Num>,
}

/// Every indicator's register programs: the one that scores it, and (for an indicator with a
/// cohort call) the one that collects its cohort arguments.
#[derive(Clone, Debug, Default)]
pub(super) struct Plans {
    pub(super) score: Vec<Option<Plan>>,
    pub(super) collect: Vec<Option<Plan>>,
    /// Each cohort site's function and the indicator that calls it.
    site_fns: Vec<Option<(CohortFn, usize)>>,
}

impl Program<'_> {
    pub(super) fn plans(&self) -> &Plans {
        self.plans.get_or_init(|| {
            let each = |collect: bool| {
                self.indicators
                    .iter()
                    .zip(&self.compiled)
                    .zip(&self.maxes)
                    .enumerate()
                    .map(|(k, ((ind, c), max))| {
                        let c = c.as_ref().ok()?;
                        if collect && !self.cohort_indicators.contains(&k) {
                            return None;
                        }
                        batch::plan(c, &self.fns, input_kinds(self, ind, c), max, collect)
                    })
                    .collect()
            };
            let mut site_fns = vec![None; self.sites.len()];
            for (k, c) in self.compiled.iter().enumerate() {
                let Ok(c) = c else { continue };
                let codes = c.lets.iter().chain(&c.score).chain(c.assumptions.iter().map(|(a, _)| a));
                for code in codes {
                    code.walk(&mut |x| {
                        if let Code::Cohort(name, _, site, _) = x {
                            if let Some(slot) = site_fns.get_mut(*site) {
                                *slot = Some((CohortFn::of(name), k));
                            }
                        }
                    });
                }
            }
            Plans { score: each(false), collect: each(true), site_fns }
        })
    }
}

struct Filter<'p, 'd> {
    prog: &'p Program<'p>,
    columns: &'d Columns,
    units: Units<'d>,
    plans: &'p [Option<Plan>],
    maxes: Vec<Option<Iv>>,
    sites: Vec<Option<Site>>,
    exact_sites: Vec<Option<Aggregate>>,
    /// Each cohort site's function and indicator.
    site_fns: &'p [Option<(CohortFn, usize)>],
    /// Every indicator counted in the total (each pillar's members are the program's layout's).
    counted: Vec<usize>,
    /// The results made, and whether the whole run was exact (`FilterStats`; its counts of
    /// exact evaluations are the two below, which the exact path adds to through `&self`, also
    /// while other threads compute batches).
    stats: FilterStats,
    #[cfg(not(target_family = "wasm"))]
    exact: std::sync::atomic::AtomicUsize,
    #[cfg(not(target_family = "wasm"))]
    exact_totals: std::sync::atomic::AtomicUsize,
    /// Each batch's results from the ranking pass, kept for the pass that writes the units when
    /// the cohort is small enough (`SAVED_LANES`): the second pass then computes nothing again.
    saved: Vec<Vec<Fast>>,
    /// Whether the ranking pass keeps `summaries` (for `Detail::Totals`) rather than its batches.
    summarise: bool,
    /// Whether the lean path runs bounded programs first (`Plan::run_bounded_first`): for
    /// unranked sums only.
    bounds: bool,
    summaries: Option<Summaries>,
    /// The rulebook's `index`, for enclosures of the total.
    index: Option<IndexIv>,
    /// How far apart each indicator's results lie in a batch's results (`Fast`, by indicator):
    /// `LANES`, or fewer for a smaller cohort, whose one batch is then no larger than it.
    lanes: usize,
    /// How many threads compute the ranking pass's batches ([`set_threads`]).
    threads: usize,
    /// The decimals the index is written to ([`Digits::index`]).
    index_digits: u32,
}

/// What the ranking pass keeps of each unit for writing its totals (`Detail::Totals`), added a
/// batch at a time: for a unit whose every indicator the filter scored
/// (or that is not scored), the enclosure of each pillar's sum and of the total; for the others
/// (a value exactly at a threshold, a missing input), the indicators' results themselves,
/// written as `write_unit` writes any unit, up to `KEPT_ROWS` results: past them (real data,
/// where most communes miss an input or two, would otherwise keep every unit's results, 6.6 KB
/// each for the DTI), the writing pass computes such a unit's batch again, as scorecards do.
struct Summaries {
    /// Per unit, each pillar's sum, `pillars` at a time (`None`: no enclosure).
    pillars: Vec<Option<Iv>>,
    totals: Vec<Option<Iv>>,
    rows: crate::hash::FxHashMap<usize, Vec<Fast>>,
    /// Per unit, whether it is one of the others (its row kept or not).
    left: Vec<bool>,
}

/// The most results [`Summaries`] keeps for the units it cannot write from sums.
const KEPT_ROWS: usize = SAVED_LANES;

/// A unit's argument at a cohort site: the unit, the argument's enclosure, its exact value when
/// the filter left the unit to the exact path, and its whole numerator and denominator when it is
/// a quotient of two (its exact value, if needed, is then their ratio, without evaluating the unit).
type Reached = (usize, Iv, Option<Num>, Option<(i64, i64)>);

/// The arguments a cohort site reached, as the cohort pass meets them: the enclosure of their
/// minimum and maximum, and the arguments that may hold either (every argument for `rank`, which
/// sorts them all). An argument that cannot hold the minimum when it is met (its enclosure lies
/// above another's) never can, since the bound it is compared with only falls as more are met;
/// and so for the maximum. So a million units' site keeps a handful of arguments, not a million.
struct Reach {
    values: Vec<Reached>,
    lo: Iv,
    hi: Iv,
    rank: bool,
    /// How many `values` the last pruning kept.
    kept: usize,
}

impl Reach {
    fn new(rank: bool) -> Reach {
        let (lo, hi) = ((f64::INFINITY, f64::INFINITY), (f64::NEG_INFINITY, f64::NEG_INFINITY));
        Reach { values: Vec::new(), lo, hi, rank, kept: 0 }
    }

    fn add(&mut self, r: Reached) {
        self.widen(r.1);
        if self.may_keep(r.1) {
            self.keep(r);
        }
    }

    /// Counts an argument's enclosure `x` in the extremes' (before [`Self::keep`]ing it).
    fn widen(&mut self, x: Iv) {
        self.lo = iv::min(self.lo, x);
        self.hi = iv::max(self.hi, x);
    }

    /// Whether an argument counted in the extremes may be one (every argument, for `rank`).
    fn may_keep(&self, x: Iv) -> bool {
        self.rank || may_hold(x, self.lo, self.hi) != (false, false)
    }

    /// Keeps an argument counted in the extremes that may be one.
    fn keep(&mut self, r: Reached) {
        self.values.push(r);
        if !self.rank && self.values.len() > 2 * self.kept + 1024 {
            let (lo, hi) = (self.lo, self.hi);
            self.values.retain(|v| may_hold(v.1, lo, hi) != (false, false));
            self.kept = self.values.len();
        }
    }
}

/// Whether an argument's enclosure `x` may hold the minimum, and the maximum, of arguments whose
/// enclosures' componentwise minimum is `lo` and maximum `hi` (it reaches past all the others).
fn may_hold(x: Iv, lo: Iv, hi: Iv) -> (bool, bool) {
    (x.0 <= lo.1, x.1 >= hi.0)
}

/// The most (unit, indicator) results each thread computes ahead of the ranking pass
/// (`Filter::batches_ahead`, `Filter::stream_sums`): about 4 MB of results a thread, a few
/// batches; one batch a thread in tests, so that a test cohort spans several rounds.
const AHEAD: usize = if cfg!(test) { 1 << 12 } else { 1 << 16 };

static THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many threads the ranking pass computes batches on: `0` (the default) as many as the
/// machine runs at once, up to 8. Results never depend on it; a benchmark sets it to compare.
/// The browser's module always uses one.
pub fn set_threads(n: usize) {
    THREADS.store(n, std::sync::atomic::Ordering::Relaxed);
}

fn threads() -> usize {
    #[cfg(not(target_family = "wasm"))]
    {
        match THREADS.load(std::sync::atomic::Ordering::Relaxed) {
            // Asked once: the answer reads the process's cgroup files, which took longer than
            // scoring 63 provinces' totals on some machines.
            0 => {
                static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
                *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
            }
            n => n,
        }
    }
    #[cfg(target_family = "wasm")]
    {
        1
    }
}

/// The most (unit, indicator) results kept between the ranking pass and the writing pass:
/// 10,000 DTI units (104 indicators), about 60 MB. Larger cohorts are computed twice.
const SAVED_LANES: usize = 1 << 20;

impl Program<'_> {
    /// Every unit's rank, as [`Self::scores_columns`] ranks them, from totals computed by the
    /// filter (exactly only where two totals' intervals overlap); `None` for a rulebook with
    /// indicators left to the tree-walker.
    pub(crate) fn filtered_ranks(&self, data: &Columns) -> Option<Vec<u32>> {
        (!self.has_fallbacks).then(|| Filter::new(self, data).ranks(false, true))
    }

    /// Scores every unit of `data` and hands each scorecard, its numbers rounded to `digits`
    /// decimals, to `emit`, in data order, ranks included: the text is exactly what
    /// [`Self::for_each`]'s scorecards give when written with [`Num::write_decimal`], at a
    /// fraction of the cost (the float filter, module doc).
    pub fn for_each_rounded(&self, data: &Columns, digits: u32, emit: &mut dyn FnMut(&RoundedUnit)) -> FilterStats {
        self.rounded(data, digits, true, Detail::Scorecard, emit)
    }

    /// [`Self::for_each_rounded`], writing only what `detail` asks for.
    pub fn for_each_rounded_with(
        &self,
        data: &Columns,
        digits: impl Into<Digits>,
        detail: Detail,
        emit: &mut dyn FnMut(&RoundedUnit),
    ) -> FilterStats {
        self.rounded(data, digits, true, detail, emit)
    }

    /// Every unit's pillars, total and index, unranked, handed to `emit` with the unit's
    /// position as the pass computes them (on every core, nothing kept per unit): as the
    /// roundings to `digits` decimals of their exact values ([`SumRow::Rounded`], what
    /// [`write_rounded`] writes), or, for a unit whose enclosures leave one undecided (or a
    /// rulebook the filter cannot run), as the texts the exact path wrote. The texts are those
    /// of [`Self::for_each_rounded_with`] with [`Detail::Sums`]; a caller that keeps the
    /// roundings writes them later (the benchmark's evaluation stops there, as its peers' stops
    /// at their doubles).
    #[doc(hidden)]
    #[cfg(not(target_family = "wasm"))]
    pub fn for_each_sum(
        &self,
        data: &Columns,
        digits: u32,
        emit: &mut dyn FnMut(usize, SumRow<'_, '_>),
    ) -> FilterStats {
        if self.has_fallbacks || digits > MAX_FAST_DIGITS {
            let mut at = 0;
            return self.rounded(data, digits, true, Detail::Sums, &mut |u| {
                emit(at, SumRow::Written(u));
                at += 1;
            });
        }
        let statics = Statics::new(self, digits, Detail::Sums);
        let mut f = Filter::new(self, data);
        f.stats.lanes = data.len().saturating_mul(self.indicators.len());
        f.index_digits = digits;
        f.summarise = true;
        let mut out = statics.unit();
        f.stream_sums(digits, true, &mut out, &mut |u, row| match row {
            Ok(values) => emit(u, SumRow::Rounded(values)),
            Err(out) => {
                out.id = data.id(u).unwrap_or_default();
                out.rank = 0;
                emit(u, SumRow::Written(out));
            }
        });
        f.stats()
    }

    /// [`Self::for_each_rounded`]; with `keep`, the ranking pass's results are kept for the
    /// writing pass when the cohort is small enough (without, every batch is computed twice, and
    /// totals keep no unit's results: each undecided unit's batch is computed again).
    #[doc(hidden)]
    pub fn rounded(
        &self,
        data: &Columns,
        digits: impl Into<Digits>,
        keep: bool,
        detail: Detail,
        emit: &mut dyn FnMut(&RoundedUnit),
    ) -> FilterStats {
        let Digits { points: digits, index: index_digits } = digits.into();
        let statics = Statics::new(self, digits, detail);
        if self.has_fallbacks {
            let mut out = statics.unit();
            self.for_each(data, &mut |u| {
                fill_from(&mut out, &u, (digits, index_digits), &self.indicators);
                emit(&out);
            });
            let lanes = data.len() * self.indicators.len();
            return FilterStats { lanes, exact: lanes, exact_totals: data.len(), all_exact: true };
        }
        let mut f = Filter::new(self, data);
        f.stats.lanes = data.len().saturating_mul(self.indicators.len());
        f.index_digits = index_digits;
        // Totals: the ranking pass keeps each unit's pillar sums, and nothing is computed twice
        // nor kept a batch at a time.
        // (Not in the browser's module: its totals are the scorecards' without their indicators,
        // the same text, and it stays smaller without this code.)
        f.summarise = detail.totals_only() && cfg!(not(target_family = "wasm"));
        let mut out = statics.unit();
        #[cfg(not(target_family = "wasm"))]
        if detail == Detail::Sums && f.summarise {
            f.stream_sums(digits, false, &mut out, &mut |u, row| {
                if let Err(out) = row {
                    out.id = data.id(u).unwrap_or_default();
                    out.rank = 0;
                    emit(out);
                }
            });
            return f.stats();
        }
        let ranks = f.ranks(keep, detail != Detail::Sums);
        let n = data.len();
        let mut statuses = Vec::new();
        #[cfg(not(target_family = "wasm"))]
        if let Some(summaries) = f.summaries.take() {
            // The units an enclosure left undecided, written from their kept results (lane 0), or
            // from their batch computed again (`batch_at` its first unit).
            let mut row = vec![Fast::Exact; self.indicators.len() * f.lanes];
            let (mut regs, mut scores, mut fast, mut batch_at) = (Regs::default(), Scores::default(), Vec::new(), None);
            // The others' texts, rounded from their sums ahead, a block at a time on every core.
            let mut texts: Vec<SummaryTexts> = Vec::new();
            let mut ready = (0, 0);
            for u in 0..n {
                if u == ready.1 {
                    ready = (u, (u + WRITE_AHEAD).min(n));
                    f.summary_texts(&summaries, digits, ready.0..ready.1, &mut texts);
                }
                if texts.iter().any(|t| t.fill(u, &mut out)) {
                    out.id = data.id(u).unwrap_or_default();
                    out.rank = ranks.get(u).map_or(0, |r| *r as usize);
                    emit(&out);
                    continue;
                }
                match summaries.rows.get(&u) {
                    Some(kept) => {
                        for (k, x) in kept.iter().enumerate() {
                            if let Some(slot) = row.get_mut(k * f.lanes) {
                                *slot = *x;
                            }
                        }
                        f.write_unit(u, 0, &row, digits, detail, &mut out, &mut statuses);
                    }
                    None if summaries.left.get(u) == Some(&true) => {
                        let start = u - u % LANES;
                        if batch_at != Some(start) {
                            f.batch(start, (n - start).min(LANES), &mut regs, &mut scores, Some(&mut fast));
                            batch_at = Some(start);
                        }
                        f.write_unit(u, u - start, &fast, digits, detail, &mut out, &mut statuses);
                    }
                    None => f.write_summary(u, &summaries, digits, &mut out),
                }
                out.id = data.id(u).unwrap_or_default();
                out.rank = ranks.get(u).map_or(0, |r| *r as usize);
                emit(&out);
            }
            return f.stats();
        }
        let mut regs = Regs::default();
        let (mut fast, mut scores) = (Vec::new(), Scores::default());
        let mut start = 0;
        while start < n {
            let len = (n - start).min(LANES);
            match f.saved.get_mut(start / LANES) {
                Some(kept) => fast = std::mem::take(kept),
                None => f.batch(start, len, &mut regs, &mut scores, Some(&mut fast)),
            }
            for l in 0..len {
                let u = start + l;
                f.write_unit(u, l, &fast, digits, detail, &mut out, &mut statuses);
                out.id = data.id(u).unwrap_or_default();
                out.rank = ranks.get(u).map_or(0, |r| *r as usize);
                emit(&out);
            }
            start += len;
        }
        f.stats()
    }
}

/// The texts that are the same for every unit.
struct Statics<'p> {
    unit: RoundedUnit<'p>,
}

impl<'p> Statics<'p> {
    fn new(p: &'p Program<'p>, digits: u32, detail: Detail) -> Statics<'p> {
        let layout = &p.layout;
        let text = |n: &Num| n.to_decimal_string(digits);
        let shown = match detail {
            Detail::Scorecard => p.indicators.len(),
            Detail::Totals | Detail::Sums => 0,
        };
        let indicators = p
            .indicators
            .iter()
            .take(shown)
            .zip(&p.maxes)
            .zip(&p.homes)
            .map(|((i, max), (pillar, parent))| RoundedIndicator {
                id: i.id.text.as_str(),
                title: i.title.value.as_str(),
                pillar: *pillar,
                parent: *parent,
                max: text(max),
                ..RoundedIndicator::default()
            })
            .collect();
        let pillars = layout
            .pillars
            .iter()
            .map(|(id, pillar, _)| RoundedPillar {
                id: id.as_str(),
                title: pillar.title.as_str(),
                max: text(&pillar.max.clone().unwrap_or_default()),
                ..RoundedPillar::default()
            })
            .collect();
        Statics { unit: RoundedUnit { indicators, pillars, ..RoundedUnit::default() } }
    }

    fn unit(&self) -> RoundedUnit<'p> {
        self.unit.clone()
    }
}

/// `out` filled from an exact scorecard (the same order of indicators and pillars, those of
/// `indicators`).
fn fill_from<'p>(
    out: &mut RoundedUnit<'p>,
    u: &UnitResult,
    (digits, index_digits): (u32, u32),
    indicators: &[&'p ast::Indicator],
) {
    out.rank = u.rank;
    out.errors.clear();
    let failed = u.indicators.iter().zip(indicators).filter(|(r, _)| r.error);
    out.errors.extend(failed.map(|(_, i)| i.id.text.as_str()));
    for (o, r) in out.indicators.iter_mut().zip(&u.indicators) {
        o.status = Some(r.status.clone());
        o.score.clear();
        o.scored = r.score.is_some();
        if let Some(s) = &r.score {
            s.write_decimal(digits, &mut o.score);
        }
        o.raw = r.raw_score.as_ref().map(|x| x.to_decimal_string(digits));
        o.reason = r.reason.clone();
        o.why = r.why.clone();
        o.contradicted = r.contradicted.clone().map(Cow::Owned);
        o.error = r.error;
    }
    for (o, p) in out.pillars.iter_mut().zip(&u.pillars) {
        o.score.clear();
        p.score.write_decimal(digits, &mut o.score);
        o.complete = p.complete;
    }
    out.total.clear();
    u.total.write_decimal(digits, &mut out.total);
    out.complete = u.complete;
    out.index = u.index.as_ref().map(|i| i.to_decimal_string(index_digits));
}

/// `x` rounded to `digits` as an integer count of 10^-digits, when its enclosure decides it (and
/// `digits` is within what doubles write exactly).
fn rounded_iv(x: Iv, digits: u32) -> Option<i64> {
    (digits <= MAX_FAST_DIGITS).then(|| iv::rounded(x, digits)).flatten()
}

/// A unit's sums as [`Filter::stream_sums`] hands them out: their roundings, or their texts.
#[cfg(not(target_family = "wasm"))]
type Streamed<'a, 'p> = Result<&'a [i64], &'a mut RoundedUnit<'p>>;

/// The rounding [`SumRow::Rounded`] gives for a unit without an index.
pub const NO_INDEX: i64 = i64::MIN;

/// One unit's pillars, total and index from [`Program::for_each_sum`].
#[cfg(not(target_family = "wasm"))]
pub enum SumRow<'a, 'p> {
    /// The exact values' roundings, `k` for `k / 10^digits`: each pillar's, the total's and the
    /// index's ([`NO_INDEX`] for none).
    Rounded(&'a [i64]),
    /// The unit's texts, as the exact path wrote them.
    Written(&'a RoundedUnit<'p>),
}

/// Writes the rounding `k` (`k / 10^digits`) as [`SumRow::Written`]'s texts write it.
pub fn write_rounded(k: i64, digits: u32, out: &mut String) {
    write_scaled(k.into(), digits, out);
}

/// Writes `x` rounded to `digits` from its enclosure, when the enclosure decides it.
fn write_iv(x: Iv, digits: u32, out: &mut String) -> bool {
    rounded_iv(x, digits).inspect(|k| write_scaled((*k).into(), digits, out)).is_some()
}

impl<'p, 'd> Filter<'p, 'd> {
    fn new(prog: &'p Program<'p>, columns: &'d Columns) -> Filter<'p, 'd> {
        let units = prog.bind(columns);
        let plans = &prog.plans().score;
        let site_fns = &prog.plans().site_fns;
        let counted = prog.layout.pillars.iter().flat_map(|(_, _, m)| m).chain(&prog.outside).copied().collect();
        let mut f = Filter {
            prog,
            site_fns,
            counted,
            columns,
            units,
            plans,
            maxes: prog.maxes.iter().map(iv::of_num).collect(),
            sites: vec![None; prog.sites.len()],
            exact_sites: vec![None; prog.sites.len()],
            stats: FilterStats::default(),
            #[cfg(not(target_family = "wasm"))]
            exact: Default::default(),
            #[cfg(not(target_family = "wasm"))]
            exact_totals: Default::default(),
            saved: Vec::new(),
            summarise: false,
            bounds: false,
            summaries: None,
            index: prog.index.map(IndexIv::new),
            lanes: LANES.min(columns.len()).max(1),
            threads: threads(),
            index_digits: 0,
        };
        f.cohorts();
        f
    }

    /// Each site's arguments over the units `0..n`: natively, a large cohort's chunks of units on
    /// every thread (the pass is otherwise the one part of scoring a cohort that runs on one),
    /// merged in unit order.
    fn reach_all(&self, n: usize) -> Vec<Reach> {
        // Enough units for a chunk to outweigh starting a thread.
        const CHUNK: usize = 16 * LANES;
        let threads = if cfg!(target_family = "wasm") { 1 } else { self.threads.min(n.div_ceil(CHUNK)) };
        if threads <= 1 {
            return self.reach(0..n);
        }
        let chunks: Vec<std::ops::Range<usize>> = (0..n).step_by(CHUNK).map(|s| s..(s + CHUNK).min(n)).collect();
        let done: Vec<std::sync::Mutex<Option<Vec<Reach>>>> = chunks.iter().map(|_| Default::default()).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || loop {
            let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (Some(units), Some(slot)) = (chunks.get(c), done.get(c)) else { return };
            let found = self.reach(units.clone());
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(found);
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..threads {
                let _ = std::thread::Builder::new().spawn_scoped(scope, work);
            }
            work();
        });
        let mut found = self.no_sites();
        for chunk in done {
            let Some(reached) = chunk.into_inner().ok().flatten() else {
                // A chunk no thread finished (one cannot have failed without the scope failing).
                return self.reach(0..n);
            };
            for (all, part) in found.iter_mut().zip(reached) {
                for r in part.values {
                    all.add(r);
                }
            }
        }
        found
    }

    /// What the run did.
    fn stats(&self) -> FilterStats {
        #[cfg(target_family = "wasm")]
        return self.stats;
        #[cfg(not(target_family = "wasm"))]
        {
            let load = |n: &std::sync::atomic::AtomicUsize| n.load(std::sync::atomic::Ordering::Relaxed);
            FilterStats { exact: load(&self.exact), exact_totals: load(&self.exact_totals), ..self.stats }
        }
    }

    /// An empty list of arguments for each site.
    fn no_sites(&self) -> Vec<Reach> {
        (0..self.prog.sites.len())
            .map(|site| {
                Reach::new(self.site_fns.get(site).copied().flatten().is_some_and(|(f, _)| f == CohortFn::Rank))
            })
            .collect()
    }

    /// Each site's arguments over `units`.
    fn reach(&self, units: std::ops::Range<usize>) -> Vec<Reach> {
        let prog = self.prog;
        let mut regs = Regs::default();
        let mut found = self.no_sites();
        for k in &prog.cohort_indicators {
            // An indicator left to the tree-walker has no cohort sites of the program's.
            if !matches!(prog.compiled.get(*k), Some(Ok(_))) {
                continue;
            }
            let plan = prog.plans().collect.get(*k).and_then(Option::as_ref);
            let slots = self.slots(*k);
            let mut start = units.start;
            while start < units.end {
                let len = (units.end - start).min(LANES);
                let input = Input { columns: self.columns, slots, start, len, sites: &[] };
                if let Some(plan) = &plan {
                    plan.run(&input, &mut regs);
                }
                // Each site's lanes: whether it is reached, its argument, and the argument's
                // numerator and denominator when it is a quotient.
                type Lanes<'r> = (&'r [f64], &'r [f64], &'r [bool]);
                type SiteLanes<'r> = (usize, Lanes<'r>, Lanes<'r>, Option<(Lanes<'r>, Lanes<'r>)>);
                let lanes: Vec<SiteLanes> = plan
                    .as_ref()
                    .map(|plan| {
                        let sites = plan.sites.iter();
                        let at = |(site, arg, reached, quotient): &SiteRegs| {
                            (
                                *site,
                                regs.lanes(*reached),
                                regs.lanes(*arg),
                                quotient.map(|(n, d)| (regs.lanes(n), regs.lanes(d))),
                            )
                        };
                        sites.map(at).collect()
                    })
                    .unwrap_or_default();
                let whole = |(lo, hi, bad): Lanes, l: usize| match (lo.get(l), hi.get(l), bad.get(l)) {
                    (Some(lo), Some(hi), Some(false)) => iv::whole((*lo, *hi)),
                    _ => None,
                };
                // A lane whose reach of a site is flagged: the exact path tells its arguments.
                #[cfg(target_family = "wasm")]
                let known = |l: usize| {
                    plan.is_some() && lanes.iter().all(|(_, reached, _, _)| reached.2.get(l) == Some(&false))
                };
                let at = |(lo, hi, _): Lanes, l: usize| {
                    (lo.get(l).copied().unwrap_or(0.0), hi.get(l).copied().unwrap_or(0.0))
                };
                // Natively, each site's extremes widened by the whole batch first, in straight
                // loops: then the lanes below meet only a handful of arguments that may still
                // be one, not a batch.
                #[cfg(not(target_family = "wasm"))]
                {
                    let mut known = vec![plan.is_some(); len];
                    for (_, reached, _, _) in &lanes {
                        for (k, bad) in known.iter_mut().zip(reached.2.iter().chain(std::iter::repeat(&true))) {
                            *k &= !*bad;
                        }
                    }
                    let mut may = vec![false; len];
                    for (site, reached, arg, quotient) in &lanes {
                        let Some(v) = found.get_mut(*site) else { continue };
                        let (Some(on), Some(lo), Some(hi)) = (reached.0.get(..len), arg.0.get(..len), arg.1.get(..len))
                        else {
                            continue;
                        };
                        // The arguments counted: reached, and known.
                        let counted = |(r, k): (&f64, &bool)| (*r != 0.0) & *k;
                        let (mut least, mut most) = (v.lo, v.hi);
                        for ((x, y), c) in lo.iter().zip(hi).zip(on.iter().zip(&known).map(counted)) {
                            least = if c { (least.0.min(*x), least.1.min(*y)) } else { least };
                            most = if c { (most.0.max(*x), most.1.max(*y)) } else { most };
                        }
                        (v.lo, v.hi) = (least, most);
                        let (lo_edge, hi_edge) = (v.lo.1, v.hi.0);
                        for (((m, x), y), c) in may.iter_mut().zip(lo).zip(hi).zip(on.iter().zip(&known).map(counted)) {
                            *m = c & (v.rank | (*x <= lo_edge) | (*y >= hi_edge));
                        }
                        for (l, _) in may.iter().enumerate().filter(|(_, m)| **m) {
                            let x = at(*arg, l);
                            let ratio = quotient.and_then(|(n, d)| whole(n, l).zip(whole(d, l)));
                            v.keep((start + l, x, None, ratio));
                        }
                    }
                    for (l, _) in known.iter().enumerate().filter(|(_, k)| !**k) {
                        for (site, x) in self.exact_collect(start + l, *k) {
                            if let Some(v) = found.get_mut(site) {
                                let e = iv::of_num(&x).unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                                v.add((start + l, e, Some(x), None));
                            }
                        }
                    }
                }
                #[cfg(target_family = "wasm")]
                for l in 0..len {
                    let u = start + l;
                    if known(l) {
                        for (site, reached, arg, quotient) in &lanes {
                            let Some(v) = found.get_mut(*site) else { continue };
                            if reached.0.get(l).is_none_or(|r| *r == 0.0) {
                                continue;
                            }
                            let x = at(*arg, l);
                            v.widen(x);
                            if v.may_keep(x) {
                                let ratio = quotient.and_then(|(n, d)| whole(n, l).zip(whole(d, l)));
                                v.keep((u, x, None, ratio));
                            }
                        }
                        continue;
                    }
                    for (site, x) in self.exact_collect(u, *k) {
                        if let Some(v) = found.get_mut(site) {
                            let e = iv::of_num(&x).unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                            v.add((u, e, Some(x), None));
                        }
                    }
                }
                start += len;
            }
        }
        found
    }

    /// The aggregates of every cohort site: enclosures for the filter, exact for the exact path.
    fn cohorts(&mut self) {
        let n = self.columns.len();
        let found = self.reach_all(n);
        for (site, Reach { values, lo, hi, rank, .. }) in found.into_iter().enumerate() {
            if values.is_empty() {
                continue;
            }
            let site_fn = self.site_fns.get(site).copied().flatten();
            // The exact extremes are among the units whose enclosure reaches past the others'.
            let exact = |(u, x, e, ratio): &Reached, this: &Self| -> Option<Num> {
                if let Some(e) = e {
                    return Some(e.clone());
                }
                if iv::is_point(*x) {
                    return Num::from_f64_exact(x.0);
                }
                // A quotient of exact whole numbers: their ratio, without evaluating the unit.
                if let Some((n, d)) = ratio {
                    return Num::ratio(*n, *d);
                }
                let (_, k) = site_fn?;
                this.exact_collect(*u, k).into_iter().find(|(s, _)| *s == site).map(|(_, v)| v)
            };
            let mut min: Option<Num> = None;
            let mut max: Option<Num> = None;
            // For `rank`: every argument (natively with its unit, to rank each unit here).
            #[cfg(not(target_family = "wasm"))]
            let mut sorted: Vec<(f64, Num, usize)> = Vec::new();
            #[cfg(target_family = "wasm")]
            let mut sorted: Vec<Num> = Vec::new();
            // The units that may hold an extreme, with their exact argument (in unit order).
            let mut extremes = Vec::new();
            for v in &values {
                let (may_min, may_max) = may_hold(v.1, lo, hi);
                if !(may_min || may_max || rank) {
                    continue;
                }
                let Some(e) = exact(v, self) else { continue };
                if may_min && min.as_ref().is_none_or(|m| e < *m) {
                    min = Some(e.clone());
                }
                if may_max && max.as_ref().is_none_or(|m| e > *m) {
                    max = Some(e.clone());
                }
                if may_min || may_max {
                    extremes.push((v.0, e.clone()));
                }
                if rank {
                    #[cfg(not(target_family = "wasm"))]
                    sorted.push((e.to_f64(), e, v.0));
                    #[cfg(target_family = "wasm")]
                    sorted.push(e);
                }
            }
            let (Some(min), Some(max)) = (min, max) else { continue };
            #[cfg(not(target_family = "wasm"))]
            let (sorted, ranks) = ranked(sorted, if rank { n } else { 0 });
            // The browser's module leaves every rank to the exact path (it stays under its size
            // goal so).
            #[cfg(target_family = "wasm")]
            let ranks = {
                Num::sort_descending(&mut sorted);
                Vec::new()
            };
            if let Some(slot) = self.sites.get_mut(site) {
                let holding = |x: &Num| {
                    let mut units: Vec<usize> = extremes.iter().filter(|(_, e)| e == x).map(|(u, _)| *u).collect();
                    crate::sort::sort_by_key(&mut units, |u| *u);
                    units
                };
                *slot = iv::of_num(&min).zip(iv::of_num(&max)).map(|(lo, hi)| Site {
                    min: lo,
                    max: hi,
                    at_min: holding(&min),
                    at_max: holding(&max),
                    ranks,
                });
            }
            if let Some(slot) = self.exact_sites.get_mut(site) {
                // `sorted` is only read by `rank`.
                *slot = Some(Aggregate { min, max, sorted });
            }
        }
    }

    /// The cohort arguments unit `u` gives indicator `k`'s sites, exactly.
    fn exact_collect(&self, u: usize, k: usize) -> Vec<(usize, Num)> {
        let prog = self.prog;
        let mut store = Vec::new();
        if let (Some(ind), Some(Ok(c)), Some(max)) = (prog.indicators.get(k), prog.compiled.get(k), prog.maxes.get(k)) {
            if let Some(score) = &c.score {
                let data = self.units.data(u, k, &ind.id.text);
                let mut run = Run::new(c, &prog.fns, data, max, Cohort::Collect(&mut store));
                let _ = run.eval(score);
            }
        }
        store
    }

    fn slots(&self, k: usize) -> &[Option<usize>] {
        self.units.slots(k)
    }

    /// Reads one cell of each cache line of the batch's number columns, before its programs do.
    /// A large cohort's columns are read from memory, a chunk of each of forty columns a batch;
    /// the processor fetches ahead within a chunk, but the first read of each waits for memory,
    /// one after the other as the programs come to them (a tenth of scoring a million units on
    /// one core). Read here together, those waits overlap.
    #[cfg(not(target_family = "wasm"))]
    fn touch(&self, start: usize, len: usize) {
        let mut touched = 0i64;
        for k in 0..self.prog.indicators.len() {
            for c in self.slots(k).iter().flatten() {
                if let Some(crate::data::columns::Cells::Num { cells, .. }) =
                    self.columns.at(*c).map(|col| col.cells(start, len))
                {
                    touched = cells.iter().step_by(8).fold(touched, |t, m| t ^ *m);
                }
            }
        }
        std::hint::black_box(touched);
    }

    /// Every indicator of the units `start..start + len`, into `scores` and, when given, `fast`
    /// (both indicator-major, `lanes` apart).
    fn batch(&self, start: usize, len: usize, regs: &mut Regs, scores: &mut Scores, mut fast: Option<&mut Vec<Fast>>) {
        let prog = self.prog;
        let count = prog.indicators.len();
        scores.reset(count * self.lanes, self.lanes);
        if let Some(fast) = fast.as_deref_mut() {
            fast.clear();
            fast.resize(count * self.lanes, Fast::Exact);
        }
        // Each unit's score before clamping, for one indicator at a time (one buffer for all).
        let mut raw: Vec<Option<Iv>> = Vec::with_capacity(self.lanes);
        #[cfg(not(target_family = "wasm"))]
        self.touch(start, len);
        // Reverse order: sub-indicators come after their parent in source order.
        for k in (0..count).rev() {
            let Some(ind) = prog.indicators.get(k) else { continue };
            let at = k * self.lanes;
            if ind.is_not_scored() {
                for l in 0..len {
                    scores.set(at + l, Fast::NotScored);
                }
                if let Some(fast) = fast.as_deref_mut() {
                    fast.get_mut(at..at + len).into_iter().flatten().for_each(|x| *x = Fast::NotScored);
                }
                continue;
            }
            let Some(Ok(c)) = prog.compiled.get(k) else { continue };
            let max = self.maxes.get(k).copied().flatten();
            let slots = self.slots(k);
            let input = Input { columns: self.columns, slots, start, len, sites: &self.sites };
            raw.clear();
            // Without results to keep, an indicator that scores is clamped into the scores
            // straight from its register, every lane at once (natively: the browser's module
            // keeps results always, and stays smaller without this). Its `assume`s are not read:
            // their verdicts are shown on a scorecard only and change no score (`Program::outcome`).
            let lean = fast.is_none() && cfg!(not(target_family = "wasm"));
            if let (true, Some(_), Some(plan), Some(max)) =
                (lean, &c.score, self.plans.get(k).and_then(Option::as_ref), max)
            {
                if self.bounds {
                    plan.run_bounded_first(&input, regs);
                } else {
                    plan.run(&input, regs);
                }
                #[cfg(not(target_family = "wasm"))]
                if let Some((v, bad, e)) = plan.score.and_then(|r| regs.bounded(r)) {
                    scores.clamp_bounded(at, (v, bad), len, max, e);
                    continue;
                }
                if let Some(r) = plan.score {
                    scores.clamp_from(at, regs.lanes(r), len, max);
                }
                continue;
            }
            match (&c.score, self.plans.get(k).and_then(Option::as_ref)) {
                (Some(_), Some(plan)) => {
                    plan.run(&input, regs);
                    match plan.score.map(|r| regs.lanes(r)) {
                        Some((lo, hi, bad)) => raw.extend(
                            lo.iter().zip(hi).zip(bad).take(len).map(|((lo, hi), bad)| (!bad).then_some((*lo, *hi))),
                        ),
                        None => raw.resize(len, None),
                    }
                }
                (Some(_), None) => raw.resize(len, None),
                (None, plan) => {
                    // A parent: the sum of its sub-indicators; its program runs for its own
                    // `assume`s, read below.
                    if let (false, Some(plan)) = (c.assumptions.is_empty(), plan) {
                        plan.run(&input, regs);
                    }
                    let positions = prog.subs.get(k).map_or(&[][..], Vec::as_slice);
                    raw.extend((0..len).map(|l| {
                        let mut sum = iv::point(0.0);
                        for p in positions {
                            match scores.result((*p)? * self.lanes + l) {
                                Fast::NotScored => {}
                                Fast::Scored { score, .. } => sum = iv::add(sum, score)?,
                                Fast::Exact => return None,
                            }
                        }
                        Some(sum)
                    }));
                }
            }
            scores.enclosures(k);
            let assumptions = match (c.assumptions.is_empty(), self.plans.get(k).and_then(Option::as_ref)) {
                (true, _) => None,
                (false, Some(plan)) => Some(plan),
                // Assumptions without a plan (one too large): the exact path.
                (false, None) => {
                    continue;
                }
            };
            // Looked up once per indicator and batch, not per unit, and only for an `assume`.
            let reported_columns: Vec<&crate::data::columns::Column> = match assumptions {
                Some(_) => self.columns.indicator_columns(&ind.id.text).collect(),
                None => Vec::new(),
            };
            let reported = |u: usize| reported_columns.iter().any(|col| col.has(u));
            for (l, raw) in raw.iter().copied().enumerate() {
                let mut contradicted = None;
                if let Some(plan) = assumptions {
                    if reported(start + l) {
                        let mut unknown = false;
                        for (a, r) in plan.assumptions.iter().enumerate() {
                            match regs.get(*r, l) {
                                (_, true) => {
                                    unknown = true;
                                    break;
                                }
                                (v, false) if v.0 == 0.0 => {
                                    contradicted = Some(a);
                                    break;
                                }
                                _ => {}
                            }
                        }
                        if unknown {
                            continue;
                        }
                    }
                }
                let out = match (raw, max) {
                    (Some(x), Some(m)) => clamp(x, m).map(|(score, raw)| Fast::Scored { score, raw, contradicted }),
                    _ => None,
                };
                if let Some(out) = out {
                    scores.set(at + l, out);
                    if let Some(slot) = fast.as_deref_mut().and_then(|f| f.get_mut(at + l)) {
                        *slot = out;
                    }
                }
            }
        }
    }

    /// The results and sums of the batches from unit `start` on, as many as `AHEAD` allows
    /// each thread, computed on up to `threads` threads (the batches are independent: each
    /// thread reads the data and writes its own buffers), into `ahead` last first.
    /// Batch `b`'s scores and sums; with `texts`, its units' texts too, rounded to that many
    /// decimals; with `keep`, its results as [`Fast`] values too (for writing scorecards: a
    /// sum, or a unit's totals, needs only its scores).
    fn compute_batch(&self, b: &mut Batch, regs: &mut Regs, texts: Option<u32>, keep: bool) {
        #[cfg(target_family = "wasm")]
        let _ = texts;
        let len = (self.columns.len().saturating_sub(b.start)).min(LANES);
        b.fast.clear();
        let fast = if keep { Some(&mut b.fast) } else { None };
        self.batch(b.start, len, regs, &mut b.scores, fast);
        self.sum_batch(len, &b.scores, &mut b.sums);
        #[cfg(not(target_family = "wasm"))]
        if let Some(digits) = texts {
            let (sums, left) = ((&b.sums.pillars[..], &b.sums.totals[..]), &b.sums.left);
            let start = b.start;
            let left = |u: usize| left.get(u - start) != Some(&false);
            self.write_texts(start..start + len, sums, &left, digits, &mut b.texts);
        }
        b.done = true;
    }

    /// With `keep`, each batch keeps its results as [`Fast`] values.
    fn batches_ahead(
        &self,
        start: usize,
        ahead: &mut Vec<Batch>,
        spare: &mut Vec<Batch>,
        pool: &mut [Regs],
        keep: bool,
    ) {
        let n = self.columns.len();
        let each = (AHEAD / (self.prog.indicators.len() * self.lanes).max(1)).max(1);
        let threads = pool.len().max(1);
        let mut jobs: Vec<Batch> = (start..n)
            .step_by(LANES)
            .take(each * threads)
            .map(|s| Batch { start: s, done: false, ..spare.pop().unwrap_or_default() })
            .collect();
        let run = |jobs: &mut [Batch], regs: &mut Regs| {
            for b in jobs {
                self.compute_batch(b, regs, None, keep);
            }
        };
        #[cfg(not(target_family = "wasm"))]
        if threads > 1 && jobs.len() > 1 {
            let size = jobs.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let mut chunks = jobs.chunks_mut(size).zip(pool.iter_mut());
                let first = chunks.next();
                for (chunk, regs) in chunks {
                    // A thread that cannot start leaves its batches to this one, below.
                    let _ = std::thread::Builder::new().spawn_scoped(scope, move || run(chunk, regs));
                }
                if let Some((chunk, regs)) = first {
                    run(chunk, regs);
                }
            });
        }
        if let Some(regs) = pool.first_mut() {
            for job in jobs.iter_mut().filter(|j| !j.done) {
                run(std::slice::from_mut(job), regs);
            }
        }
        ahead.extend(jobs.into_iter().rev());
    }

    /// Unit `u`'s exact outcome of indicator `k` (its sub-indicators' first).
    fn exact_outcome<'e>(&self, u: usize, k: usize, cache: &'e mut Exact) -> Option<&'e Outcome> {
        let prog = self.prog;
        if cache.outcomes.is_empty() {
            cache.outcomes.resize(prog.indicators.len(), None);
        }
        if cache.outcomes.get(k).is_some_and(Option::is_some) {
            return cache.outcomes.get(k).and_then(Option::as_ref);
        }
        if let Some(subs) = prog.subs.get(k) {
            for p in subs.iter().flatten() {
                let _ = self.exact_outcome(u, *p, cache);
            }
        }
        let (ind, Ok(c), max) = (prog.indicators.get(k)?, prog.compiled.get(k)?, prog.maxes.get(k)?) else {
            return None;
        };
        let data = self.units.data(u, k, &ind.id.text);
        let o = prog.outcome(ind, c, max, data, &self.exact_sites, k, &cache.outcomes);

        #[cfg(not(target_family = "wasm"))]
        self.exact.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let slot = cache.outcomes.get_mut(k)?;
        *slot = Some(o);
        slot.as_ref()
    }

    /// Unit `u`'s exact score of indicator `k`, `None` when it is not scored.
    fn exact_score(&self, u: usize, k: usize, f: Fast, cache: &mut Exact) -> Option<Num> {
        match f {
            Fast::NotScored => None,
            Fast::Scored { score, .. } if iv::is_point(score) => Num::from_f64_exact(score.0),
            _ => {
                let o = self.exact_outcome(u, k, cache)?;
                if o.status == Status::Scored {
                    o.score.clone()
                } else {
                    None
                }
            }
        }
    }

    fn exact_total(&self, u: usize, l: usize, fast: &[Fast], counted: &[usize], cache: &mut Exact) -> Num {
        if let Some(t) = &cache.total {
            return t.clone();
        }
        #[cfg(not(target_family = "wasm"))]
        self.exact_totals.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut sum = Sum::new();
        for k in counted {
            let f = fast.get(k * self.lanes + l).copied().unwrap_or(Fast::Exact);
            if let Some(s) = self.exact_score(u, *k, f, cache) {
                sum.add(&s);
            }
        }
        let total = sum.total();
        cache.total = Some(total.clone());
        total
    }

    /// Each unit's rank: 1 + the number of units with a higher total.
    /// With `keep`, the batches' results are kept for a second pass when the cohort is small
    /// enough (`saved`).
    fn ranks(&mut self, keep: bool, ranked: bool) -> Vec<u32> {
        let n = self.columns.len();
        let counted = self.counted.clone();
        let mut totals: Vec<Iv> = Vec::with_capacity(n);
        let mut exact: VecMap<usize, Num> = VecMap::new();
        let mut regs = Regs::default();
        let (mut fast, mut row) = (Vec::new(), Vec::new());
        // The batches computed ahead (on as many threads as `threads`), their spent buffers, and
        // each thread's registers.
        // (`ahead` holds them last first: the next one is popped.)
        let (mut ahead, mut spare) = (Vec::new(), Vec::<Batch>::new());
        let mut pool: Vec<Regs> = (0..self.threads.max(1)).map(|_| Regs::default()).collect();
        // Totals are written from each unit's sums, added here a batch at a time, whatever the
        // size of the cohort: the batches are kept only for writing scorecards.
        let save = keep && !self.summarise && n.saturating_mul(self.prog.indicators.len()) <= SAVED_LANES;
        // The batches keep their results whole when saved, and always in the browser's module
        // (which stays smaller without the other way).
        let keep_fast = save || cfg!(target_family = "wasm");
        // (The browser's module never summarises: `rounded`.)
        let mut summaries = (self.summarise && cfg!(not(target_family = "wasm"))).then(|| Summaries {
            pillars: Vec::with_capacity(n.saturating_mul(self.prog.layout.pillars.len())),
            totals: Vec::with_capacity(n),
            rows: crate::hash::FxHashMap::default(),
            left: Vec::with_capacity(n),
        });
        let mut start = 0;
        while start < n {
            let len = (n - start).min(LANES);
            if save {
                // The last batch's results are what `fast` holds when this one is made.
                if start > 0 {
                    self.saved.push(std::mem::take(&mut fast));
                }
            }
            if ahead.is_empty() {
                self.batches_ahead(start, &mut ahead, &mut spare, &mut pool, keep_fast);
            }
            // The batch's results and each unit's sums (its total, and with `summarise` what
            // `write_summary` needs); a unit with an indicator left to the exact path, or whose
            // sum fails, is added below.
            let mut next = ahead.pop().unwrap_or_default();
            std::mem::swap(&mut fast, &mut next.fast);
            spare.push(next);
            let Some(batch) = spare.last() else { break };
            let (sums, left) = (&batch.sums.totals, &batch.sums.left);
            // A result of the batch: kept whole when the batch is saved, else from its scores.
            let result = |i: usize| match keep_fast {
                true => fast.get(i).copied().unwrap_or(Fast::Exact),
                false => batch.scores.result(i),
            };
            if let Some(kept) = summaries.as_mut() {
                // The totals kept for writing enclose the totals as well as any other sum.
                kept.pillars.extend_from_slice(&batch.sums.pillars);
                kept.totals.extend_from_slice(sums);
                kept.left.extend(left.iter().take(len));
                // Without `keep` (the tests' large cohort), no row at all.
                let (each, budget) = (self.prog.indicators.len().max(1), if keep { KEPT_ROWS } else { 0 });
                for (l, _) in left.iter().enumerate().filter(|(_, left)| **left) {
                    if (kept.rows.len() + 1) * each > budget {
                        break;
                    }
                    let at = |k: usize| result(k * self.lanes + l);
                    kept.rows.insert(start + l, (0..self.prog.indicators.len()).map(at).collect());
                }
            }
            // Unranked, a unit's total is written from its sums or its kept results alone.
            for l in (0..len).filter(|_| ranked) {
                let u = start + l;
                if let (Some(false), Some(Some(t))) = (left.get(l), sums.get(l)) {
                    totals.push(*t);
                    continue;
                }
                let mut cache = self.cache();
                let mut sum = Some(iv::point(0.0));
                for k in &counted {
                    let x = match result(k * self.lanes + l) {
                        Fast::NotScored => continue,
                        Fast::Scored { score, .. } => Some(score),
                        Fast::Exact => {
                            let o = self.exact_outcome(u, *k, &mut cache);
                            match o {
                                Some(o) if o.status == Status::Scored => o.score.as_ref().and_then(iv::of_num),
                                _ => continue,
                            }
                        }
                    };
                    sum = sum.zip(x).and_then(|(s, x)| iv::add(s, x));
                }
                let t = match sum {
                    Some(t) => t,
                    None => {
                        // The unit's results as lane 0 of `row`, unless the batch's are kept.
                        let (results, lane) = match keep_fast {
                            true => (&fast, l),
                            false => {
                                batch.scores.unit_row(l, self.prog.indicators.len(), &mut row);
                                (&row, 0)
                            }
                        };
                        let t = self.exact_total(u, lane, results, &counted, &mut cache);
                        let e = iv::of_num(&t).unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                        exact.insert(u, t);
                        e
                    }
                };
                totals.push(t);
            }
            start += len;
        }
        self.summaries = summaries;
        if save && n > 0 {
            self.saved.push(std::mem::take(&mut fast));
        }
        if !ranked {
            return Vec::new();
        }
        // Clusters of overlapping enclosures: between clusters the order is the enclosures';
        // inside a cluster, the exact totals' (equal exact points are ties without them).
        // Sorted with their keys beside them: a million lookups into `totals` from the sort's
        // comparisons cost more than the sort.
        let mut keyed: Vec<(f64, f64, u32)> = totals.iter().zip(0u32..).map(|(t, u)| (t.1, t.0, u)).collect();
        keyed.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
        let order: Vec<u32> = keyed.into_iter().map(|(_, _, u)| u).collect();
        let key = |u: &u32| totals.get(*u as usize).copied().unwrap_or((0.0, 0.0));
        // Clusters, as ranges of `order`, and whether each needs exact totals.
        let mut clusters: Vec<(usize, usize, bool)> = Vec::new();
        let mut i = 0;
        while i < n {
            // Descending by upper bound: the cluster goes on while the next one reaches it.
            let mut j = i + 1;
            let mut low = order.get(i).map_or(0.0, |u| key(u).0);
            while j < n {
                let next = order.get(j).map_or((0.0, 0.0), key);
                if next.1 < low {
                    break;
                }
                low = low.min(next.0);
                j += 1;
            }
            let members = order.get(i..j).unwrap_or_default();
            let first = order.get(i).map_or((0.0, 0.0), key);
            let ties = members.iter().all(|u| key(u) == first && iv::is_point(first));
            // A unit alone in its cluster is ranked by its enclosure.
            clusters.push((i, j, j - i > 1 && !ties));
            i = j;
        }
        // Units with the same cells have the same total: one of them is scored exactly.
        let mut need = vec![false; n];
        let mut same: Vec<(u32, u32)> = Vec::new();
        for (i, j, exact_needed) in &mut clusters {
            if !*exact_needed {
                continue;
            }
            let members = order.get(*i..*j).unwrap_or_default();
            // Every member with the same cells: a tie, whatever the total.
            if members.iter().all(|u| !exact.contains_key(&(*u as usize))) && self.columns.same_cells(members) {
                *exact_needed = false;
                continue;
            }
            let mut seen: crate::hash::FxHashMap<Vec<i64>, u32> = crate::hash::FxHashMap::default();
            for u in members {
                if exact.contains_key(&(*u as usize)) {
                    continue;
                }
                if let Some(sig) = self.columns.signature(*u as usize) {
                    if let Some(first) = seen.get(&sig) {
                        same.push((*u, *first));
                        continue;
                    }
                    seen.insert(sig, *u);
                }
                if let Some(x) = need.get_mut(*u as usize) {
                    *x = true;
                }
            }
        }
        // The exact totals still needed, a batch at a time.
        let mut scores = Scores::default();
        let mut start = 0;
        while start < n {
            let len = (n - start).min(LANES);
            if need.get(start..start + len).is_some_and(|b| b.iter().any(|x| *x)) {
                match self.saved.get(start / LANES) {
                    Some(kept) => fast.clone_from(kept),
                    None => self.batch(start, len, &mut regs, &mut scores, Some(&mut fast)),
                }
                for l in 0..len {
                    if need.get(start + l) == Some(&true) {
                        let mut cache = self.cache();
                        let t = self.exact_total(start + l, l, &fast, &counted, &mut cache);
                        exact.insert(start + l, t);
                    }
                }
            }
            start += len;
        }
        for (u, first) in same {
            if let Some(t) = exact.get(&(first as usize)).cloned() {
                exact.insert(u as usize, t);
            }
        }
        let mut ranks = vec![0u32; n];
        for (i, j, exact_needed) in clusters {
            let members = order.get(i..j).unwrap_or_default();
            if !exact_needed {
                for u in members {
                    if let Some(r) = ranks.get_mut(*u as usize) {
                        *r = i as u32 + 1;
                    }
                }
                continue;
            }
            let mut sorted: Vec<Num> = members.iter().filter_map(|u| exact.get(&(*u as usize)).cloned()).collect();
            Num::sort_descending(&mut sorted);
            for u in members {
                if let (Some(t), Some(r)) = (exact.get(&(*u as usize)), ranks.get_mut(*u as usize)) {
                    *r = (i + sorted.partition_point(|x| x > t)) as u32 + 1;
                }
            }
        }
        ranks
    }

    /// Writes every unit's pillars, total and index (`Detail::Sums`, unranked) into `out`, handed
    /// to `emit` with the unit, as the pass computes them: each batch's texts are written with
    /// it, on every core, and while one round of batches is handed out the next is computed.
    /// Nothing is kept per unit but a round's batches.
    #[cfg(not(target_family = "wasm"))]
    fn stream_sums(
        &mut self,
        digits: u32,
        rounded: bool,
        out: &mut RoundedUnit<'p>,
        emit: &mut dyn FnMut(usize, Streamed<'_, 'p>),
    ) {
        self.bounds = true;
        let n = self.columns.len();
        let threads = self.threads.max(1);
        let round = (AHEAD / (self.prog.indicators.len() * self.lanes).max(1)).max(1) * threads;
        let mut pool: Vec<Regs> = (0..threads).map(|_| Regs::default()).collect();
        let mut spare: Vec<Batch> = Vec::new();
        let jobs = |from: usize, spare: &mut Vec<Batch>| -> Vec<Batch> {
            (from..n)
                .step_by(LANES)
                .take(round)
                .map(|s| {
                    let mut b = Batch { start: s, done: false, ..spare.pop().unwrap_or_default() };
                    b.texts.rounded = rounded;
                    b
                })
                .collect()
        };
        let (count, mut row) = (self.prog.indicators.len(), Vec::new());
        let mut ready = jobs(0, &mut spare);
        self.compute_all(&mut ready, &mut pool, digits, || {});
        let mut statuses = Vec::new();
        while let Some(last) = ready.last().map(|b| b.start) {
            // The next round is computed on the other threads while this one hands `ready` out
            // (writing the units whose texts the sums leave undecided with the exact path), then
            // helps.
            let mut next = jobs(last + LANES, &mut spare);
            self.compute_all(&mut next, &mut pool, digits, || {
                for b in &ready {
                    for (l, u) in (b.start..b.start + (n - b.start).min(LANES)).enumerate() {
                        if !b.texts.covers(u, out.pillars.len()) {
                            b.scores.unit_row(l, count, &mut row);
                            self.write_unit(u, 0, &row, digits, Detail::Sums, out, &mut statuses);
                        } else {
                            match b.texts.values_of(u) {
                                Some(values) if rounded => {
                                    emit(u, Ok(values));
                                    continue;
                                }
                                _ => {
                                    b.texts.fill(u, out);
                                }
                            }
                        }
                        emit(u, Err(out));
                    }
                }
            });
            spare.append(&mut ready);
            ready = next;
        }
    }

    /// Computes `jobs` (their texts rounded to `digits` decimals) on every thread of `pool`: the
    /// others start on them while this one runs `meanwhile`, then joins them. A queue hands the
    /// batches out, so a thread that cannot start leaves its share to the others.
    #[cfg(not(target_family = "wasm"))]
    fn compute_all(&self, jobs: &mut [Batch], pool: &mut [Regs], digits: u32, meanwhile: impl FnOnce()) {
        let count = jobs.len();
        let queue = std::sync::Mutex::new(jobs.iter_mut());
        let work = |regs: &mut Regs| loop {
            let job = match queue.lock() {
                Ok(mut jobs) => jobs.next(),
                Err(_) => None,
            };
            match job {
                Some(b) => self.compute_batch(b, regs, Some(digits), false),
                None => return,
            }
        };
        let Some((mine, others)) = pool.split_first_mut() else {
            meanwhile();
            return work(&mut Regs::default());
        };
        // No thread is started for want of a batch (a small cohort's one batch).
        let others = others.iter_mut().take(count.saturating_sub(1));
        std::thread::scope(|scope| {
            for regs in others {
                let work = &work;
                let _ = std::thread::Builder::new().spawn_scoped(scope, move || work(regs));
            }
            meanwhile();
            work(mine);
        });
    }

    /// The sums of a batch's units (`scores`, `len` units): with `summarise`, each unit's
    /// pillar sums and total as `write_unit` adds them (what `write_summary` writes) and which
    /// units have an indicator left to the exact path; else each unit's total over `counted`.
    fn sum_batch(&self, len: usize, scores: &Scores, out: &mut Sums) {
        out.pillars.clear();
        out.totals.clear();
        if !self.summarise || cfg!(target_family = "wasm") {
            lane_sums(scores, &self.counted, len, &mut out.totals, &mut out.left);
            return;
        }
        let count = self.prog.indicators.len();
        let pillars = self.prog.layout.pillars.len();
        // Which units have an indicator left to the exact path.
        out.left.clear();
        out.left.resize(len, false);
        for k in 0..count {
            let row = scores.exact.get(k * self.lanes..k * self.lanes + len).unwrap_or_default();
            if row.len() < len {
                out.left.fill(true);
            }
            for (e, x) in out.left.iter_mut().zip(row) {
                *e |= *x;
            }
        }
        // Pillar by pillar, each pillar's sum for every unit at once.
        let (mut by_pillar, mut sum, mut left) = (Vec::with_capacity(pillars * len), Vec::new(), Vec::new());
        for (_, _, members) in &self.prog.layout.pillars {
            lane_sums(scores, members, len, &mut sum, &mut left);
            by_pillar.extend_from_slice(&sum);
        }
        lane_sums(scores, &self.prog.outside, len, &mut sum, &mut left);
        // Natively, where every score counted is a point (`point_sums`), the total is added
        // from them in one straight pass too, rather than from the pillars' enclosures unit by
        // unit: the same exact value, a tighter enclosure.
        #[cfg(not(target_family = "wasm"))]
        let direct = match self.counted.iter().all(|k| scores.bounds.get(*k).is_some_and(|b| *b >= 0.0)) {
            true => {
                let mut totals = Vec::new();
                lane_sums(scores, &self.counted, len, &mut totals, &mut left);
                Some(totals)
            }
            false => None,
        };
        #[cfg(target_family = "wasm")]
        let direct: Option<Vec<Option<Iv>>> = None;
        // Unit by unit, from pillar by pillar.
        out.pillars.resize(len * pillars, None);
        for (i, sums) in by_pillar.chunks_exact(len.max(1)).enumerate() {
            for (slot, p) in out.pillars.iter_mut().skip(i).step_by(pillars.max(1)).zip(sums) {
                *slot = *p;
            }
        }
        for l in 0..len {
            if out.left.get(l) != Some(&false) {
                out.pillars.get_mut(l * pillars..(l + 1) * pillars).into_iter().flatten().for_each(|p| *p = None);
                out.totals.push(None);
                continue;
            }
            if let Some(totals) = &direct {
                out.totals.push(totals.get(l).copied().flatten());
                continue;
            }
            let mut total = Some(iv::point(0.0));
            for i in 0..pillars {
                let p = by_pillar.get(i * len + l).copied().flatten();
                total = total.zip(p).and_then(|(t, p)| iv::add(t, p));
            }
            let outside = sum.get(l).copied().flatten();
            out.totals.push(total.zip(outside).and_then(|(t, o)| iv::add(t, o)));
        }
    }

    /// An empty per-unit cache (its outcomes allocated at the first exact one).
    fn cache(&self) -> Exact {
        Exact { outcomes: Vec::new(), total: None }
    }

    /// Writes unit `u` (lane `l` of the batch in `fast`) into `out`.
    /// `statuses` is a buffer, for each indicator's status.
    #[allow(clippy::too_many_arguments)]
    fn write_unit(
        &self,
        u: usize,
        l: usize,
        fast: &[Fast],
        digits: u32,
        detail: Detail,
        out: &mut RoundedUnit<'p>,
        statuses: &mut Vec<Option<Status>>,
    ) {
        let prog = self.prog;
        let mut cache = self.cache();
        // Each indicator's status, which the sums below read (`out.indicators` holds them too
        // for a scorecard, and nothing for totals).
        statuses.clear();
        out.errors.clear();
        for k in 0..prog.indicators.len() {
            let f = fast.get(k * self.lanes + l).copied().unwrap_or(Fast::Exact);
            let o = match detail {
                Detail::Scorecard => out.indicators.get_mut(k),
                Detail::Totals | Detail::Sums => None,
            };
            let Some(o) = o else {
                // Totals: an enclosure is all a sum needs; the exact path only where there is none.
                statuses.push(match f {
                    Fast::NotScored => Some(Status::NotScored),
                    Fast::Scored { .. } => Some(Status::Scored),
                    Fast::Exact => self.exact_outcome(u, k, &mut cache).map(|e| {
                        if e.error {
                            out.errors.extend(prog.indicators.get(k).map(|i| i.id.text.as_str()));
                        }
                        e.status.clone()
                    }),
                });
                continue;
            };
            o.score.clear();
            o.raw = None;
            o.reason = None;
            o.why = None;
            o.contradicted = None;
            o.error = false;
            match f {
                Fast::NotScored => {
                    o.status = Some(Status::NotScored);
                    o.scored = false;
                    statuses.push(o.status.clone());
                    continue;
                }
                Fast::Scored { score, raw, contradicted } => {
                    let fine = write_iv(score, digits, &mut o.score)
                        && raw.is_none_or(|r| {
                            let mut s = String::new();
                            let ok = write_iv(r, digits, &mut s);
                            o.raw = Some(s);
                            ok
                        });
                    if fine {
                        o.status = Some(Status::Scored);
                        o.scored = true;
                        o.contradicted = contradicted.and_then(|a| assumption(prog, k, a)).map(Cow::Borrowed);
                        statuses.push(o.status.clone());
                        continue;
                    }
                    o.score.clear();
                    o.raw = None;
                }
                Fast::Exact => {}
            }
            let Some(e) = self.exact_outcome(u, k, &mut cache) else {
                o.status = Some(Status::NotEvaluable);
                o.scored = false;
                statuses.push(o.status.clone());
                continue;
            };
            o.status = Some(e.status.clone());
            o.scored = e.score.is_some();
            if let Some(s) = &e.score {
                s.write_decimal(digits, &mut o.score);
            }
            o.raw = e.raw.as_ref().map(|r| r.to_decimal_string(digits));
            o.reason = e.why.as_ref().map(EvalError::to_string);
            o.why = e.why.clone();
            o.error = e.error;
            if e.error {
                out.errors.push(o.id);
            }
            o.contradicted = e.contradicted.and_then(|a| assumption(prog, k, a)).map(Cow::Borrowed);
            statuses.push(o.status.clone());
        }
        let mut total = Some(iv::point(0.0));
        let mut complete = true;
        let lanes = self.lanes;
        // Adds indicator `k`'s score to the enclosure `sum`; `false` when it has none.
        let add = |sum: &mut Option<Iv>, k: usize, cache: &Exact| -> bool {
            let f = fast.get(k * lanes + l).copied().unwrap_or(Fast::Exact);
            match (f, statuses.get(k).cloned().flatten()) {
                (_, Some(Status::NotScored)) => {}
                (Fast::Scored { score, .. }, Some(Status::Scored)) => *sum = sum.and_then(|s| iv::add(s, score)),
                (_, Some(Status::Scored)) => {
                    let x = cache.outcomes.get(k).and_then(Option::as_ref).and_then(|o| o.score.as_ref());
                    *sum = sum.zip(x.and_then(iv::of_num)).and_then(|(s, x)| iv::add(s, x));
                }
                _ => return false,
            }
            true
        };
        for ((_, _, members), p) in prog.layout.pillars.iter().zip(out.pillars.iter_mut()) {
            let mut sum = Some(iv::point(0.0));
            let mut p_complete = true;
            for k in members {
                p_complete &= add(&mut sum, *k, &cache);
            }
            total = total.zip(sum).and_then(|(t, s)| iv::add(t, s));
            complete &= p_complete;
            p.complete = p_complete;
            p.score.clear();
            if !sum.is_some_and(|s| write_iv(s, digits, &mut p.score)) {
                p.score.clear();
                let mut exact = Sum::new();
                for &k in members {
                    let f = fast.get(k * self.lanes + l).copied().unwrap_or(Fast::Exact);
                    if statuses.get(k).cloned().flatten() == Some(Status::Scored) {
                        if let Some(s) = self.exact_score(u, k, f, &mut cache) {
                            exact.add(&s);
                        }
                    }
                }
                exact.total().write_decimal(digits, &mut p.score);
            }
        }
        for k in &prog.outside {
            complete &= add(&mut total, *k, &cache);
        }
        out.complete = complete;
        self.write_total(u, l, fast, total, digits, out, &mut cache);
    }

    /// Writes the total and the index of unit `u` (lane `l` of `fast`; an empty `fast` for none)
    /// from the enclosure `total` of its total, exactly where it does not decide them.
    #[allow(clippy::too_many_arguments)]
    fn write_total(
        &self,
        u: usize,
        l: usize,
        fast: &[Fast],
        total: Option<Iv>,
        digits: u32,
        out: &mut RoundedUnit<'p>,
        cache: &mut Exact,
    ) {
        let prog = self.prog;
        out.total.clear();
        let counted = &self.counted;
        if !total.is_some_and(|t| write_iv(t, digits, &mut out.total)) {
            out.total.clear();
            self.exact_total(u, l, fast, counted, cache).write_decimal(digits, &mut out.total);
        }
        // The last unit's text is written over (one allocation for the run, not one per unit).
        let mut s = out.index.take().unwrap_or_default();
        s.clear();
        out.index = prog.index.zip(self.index.as_ref()).and_then(|(e, index)| {
            match total.map(|t| index.of(t)) {
                Some(Some(None)) => return None,
                Some(Some(Some(x))) if write_iv(x, self.index_digits, &mut s) => return Some(s),
                _ => {}
            }
            let t = self.exact_total(u, l, fast, counted, cache);
            eval::index_value(e, &t).map(|i| i.to_decimal_string(self.index_digits))
        });
    }

    /// The texts of the units `units` whose kept sums decide every rounding ([`Self::write_summary`]
    /// without its exact path), into `texts`, computed on up to `threads` threads.
    #[cfg(not(target_family = "wasm"))]
    fn summary_texts(
        &self,
        kept: &Summaries,
        digits: u32,
        units: std::ops::Range<usize>,
        texts: &mut Vec<SummaryTexts>,
    ) {
        let pillars = self.prog.layout.pillars.len();
        let write = |units: std::ops::Range<usize>, out: &mut SummaryTexts| {
            let (from, to) = (units.start.saturating_mul(pillars), units.end.saturating_mul(pillars));
            let sums =
                (kept.pillars.get(from..to).unwrap_or_default(), kept.totals.get(units.clone()).unwrap_or_default());
            self.write_texts(units, sums, &|u| kept.rows.contains_key(&u), digits, out);
        };
        let threads = self.threads.max(1);
        texts.resize_with(threads, SummaryTexts::default);
        // A part small enough to write in less time than a thread takes to start stays on this
        // one: 63 provinces' texts on two threads took longer than on one.
        let size = units.len().div_ceil(threads).max(TEXTS_PER_THREAD);
        let parts: Vec<std::ops::Range<usize>> =
            (units.start..units.end).step_by(size).map(|s| s..(s + size).min(units.end)).collect();
        for t in texts.iter_mut() {
            t.units.clear();
            t.start = usize::MAX;
        }
        if parts.len() > 1 {
            std::thread::scope(|scope| {
                let mut jobs = parts.iter().zip(texts.iter_mut());
                let first = jobs.next();
                for (part, out) in jobs {
                    // A thread that cannot start leaves its units to this one, below.
                    let _ = std::thread::Builder::new().spawn_scoped(scope, move || write(part.clone(), out));
                }
                if let Some((part, out)) = first {
                    write(part.clone(), out);
                }
            });
        }
        for (part, out) in parts.iter().zip(texts.iter_mut()) {
            if out.start != part.start {
                write(part.clone(), out);
            }
        }
    }

    /// The texts of the units `units` (from a batch's or the kept sums: `sums`, each unit's
    /// pillar sums and its total, from the first of `units`) whose sums decide every rounding
    /// and that are not `left` (units written otherwise), into `out`.
    #[cfg(not(target_family = "wasm"))]
    fn write_texts(
        &self,
        units: std::ops::Range<usize>,
        sums: (&[Option<Iv>], &[Option<Iv>]),
        left: &dyn Fn(usize) -> bool,
        digits: u32,
        out: &mut SummaryTexts,
    ) {
        let pillars = self.prog.layout.pillars.len();
        let index = self.prog.index.and(self.index.as_ref());
        let has_index = self.prog.index.is_some();
        let shift = index.and_then(IndexIv::shift);
        out.start = units.start;
        out.each = pillars + 2;
        out.units.clear();
        out.cuts.clear();
        out.values.clear();
        let rounded = out.rounded;
        // Written as bytes and checked to be UTF-8 once, not once per number.
        let mut text = std::mem::take(&mut out.text).into_bytes();
        text.clear();
        for (l, u) in units.enumerate() {
            let (text_at, cuts_at, values_at) = (text.len(), out.cuts.len(), out.values.len());
            // One rounding kept (`rounded`: for `Program::for_each_sum`, whose caller writes
            // it) or written, `NO_INDEX` as no text; `false` where it is undecided.
            let mut put = |k: Option<i64>, digits: u32| match k {
                None => false,
                Some(k) if rounded => {
                    out.values.push(k);
                    true
                }
                Some(k) => {
                    let written = k == NO_INDEX || crate::num::write_scaled_ascii(k.into(), digits, &mut text);
                    out.cuts.push(text.len());
                    written
                }
            };
            let mut fine = !left(u);
            for i in 0..pillars {
                fine = fine
                    && put(sums.0.get(l * pillars + i).copied().flatten().and_then(|s| rounded_iv(s, digits)), digits);
            }
            let total = sums.1.get(l).copied().flatten();
            fine = fine && put(total.and_then(|t| rounded_iv(t, digits)), digits);
            let index = match (has_index, index, total) {
                (false, _, _) => Some(NO_INDEX),
                (true, Some(index), Some(t)) => index.rounded(t, self.index_digits, shift),
                _ => None,
            };
            fine = fine && put(index, self.index_digits);
            if fine {
                out.units.push(Some((text_at, if rounded { values_at } else { cuts_at })));
            } else {
                text.truncate(text_at);
                out.cuts.truncate(cuts_at);
                out.values.truncate(values_at);
                out.units.push(None);
            }
        }
        out.text = String::from_utf8(text).unwrap_or_else(|_| {
            // Never (digits, points and signs only), but then no unit has texts here.
            out.units.fill(None);
            String::new()
        });
    }

    /// Writes the totals of unit `u` (`Detail::Totals`) from what the ranking pass kept of it
    /// (`Summaries`: a unit whose every indicator the filter scored or that is not scored, so
    /// every pillar and the total are complete and nothing failed), exactly where an enclosure
    /// does not decide the rounding.
    #[cfg(not(target_family = "wasm"))]
    fn write_summary(&self, u: usize, kept: &Summaries, digits: u32, out: &mut RoundedUnit<'p>) {
        let mut cache = self.cache();
        out.errors.clear();
        out.complete = true;
        let prog = self.prog;
        let pillars = prog.layout.pillars.len();
        for (i, ((_, _, members), p)) in prog.layout.pillars.iter().zip(out.pillars.iter_mut()).enumerate() {
            p.complete = true;
            p.score.clear();
            let sum = kept.pillars.get(u * pillars + i).copied().flatten();
            if !sum.is_some_and(|s| write_iv(s, digits, &mut p.score)) {
                p.score.clear();
                let mut exact = Sum::new();
                for &k in members {
                    if let Some(s) = self.exact_score(u, k, Fast::Exact, &mut cache) {
                        exact.add(&s);
                    }
                }
                exact.total().write_decimal(digits, &mut p.score);
            }
        }
        let total = kept.totals.get(u).copied().flatten();
        self.write_total(u, 0, &[], total, digits, out, &mut cache);
    }
}

/// How many units' totals are rounded ahead of writing them (`Filter::summary_texts`); a few
/// hundred in tests, so that a test cohort spans several blocks.
#[cfg(not(target_family = "wasm"))]
const WRITE_AHEAD: usize = if cfg!(test) { 500 } else { 1 << 16 };

/// The fewest units whose texts `Filter::summary_texts` writes on a thread of their own: about
/// a millisecond of writing, far more than starting the thread.
#[cfg(not(target_family = "wasm"))]
const TEXTS_PER_THREAD: usize = if cfg!(test) { 100 } else { 4096 };

/// The texts of some units' pillars, totals and indexes, rounded from their kept sums
/// (`Filter::summary_texts`); a unit the sums do not decide has none.
#[cfg(not(target_family = "wasm"))]
#[derive(Default)]
struct SummaryTexts {
    /// The first unit.
    start: usize,
    text: String,
    /// Per unit from `start`: where its texts begin in `text` and their ends in `cuts`, or
    /// nothing when the unit is written by `write_summary`.
    units: Vec<Option<(usize, usize)>>,
    /// Where each text ends: `pillars + 2` per unit that has texts (its pillars, total and index,
    /// an empty index for none).
    cuts: Vec<usize>,
    /// The number of texts per unit.
    each: usize,
    /// Whether the units' roundings are kept in `values` instead of written into `text`.
    rounded: bool,
    /// With `rounded`, `pillars + 2` roundings per unit that has them (its pillars, total and
    /// index, [`NO_INDEX`] for none), from the position its entry in `units` gives.
    values: Vec<i64>,
}

#[cfg(not(target_family = "wasm"))]
impl SummaryTexts {
    /// Where unit `u`'s texts begin and where each ends, if it has them here (for `pillars`
    /// pillars).
    fn texts_of(&self, u: usize, pillars: usize) -> Option<(usize, &[usize])> {
        let (from, at) = (*self.units.get(u.checked_sub(self.start)?)?)?;
        let cuts = self.cuts.get(at..at + self.each).filter(|_| pillars + 2 == self.each)?;
        Some((from, cuts))
    }

    /// Whether [`Self::fill`] writes unit `u` (of `pillars` pillars), or [`Self::values_of`]
    /// gives its roundings.
    fn covers(&self, u: usize, pillars: usize) -> bool {
        if self.rounded {
            return pillars + 2 == self.each && self.values_of(u).is_some();
        }
        self.texts_of(u, pillars).is_some()
    }

    /// Unit `u`'s roundings, when they are kept (`rounded`) and decided.
    fn values_of(&self, u: usize) -> Option<&[i64]> {
        let (_, at) = (*self.units.get(u.checked_sub(self.start)?)?)?;
        self.values.get(at..at + self.each)
    }

    /// Writes unit `u`'s pillars, total and index into `out` from their texts, if it has them
    /// here (`false`: nothing is written).
    fn fill(&self, u: usize, out: &mut RoundedUnit) -> bool {
        let Some((from, cuts)) = self.texts_of(u, out.pillars.len()) else { return false };
        // Each text runs from the end of the one before it.
        let mut begin = from;
        let mut next = |end: Option<&usize>| {
            let end = end.copied().unwrap_or(begin);
            let text = self.text.get(begin..end).unwrap_or_default();
            begin = end;
            text
        };
        let mut cut = cuts.iter();
        out.errors.clear();
        out.complete = true;
        for p in &mut out.pillars {
            p.complete = true;
            p.score.clear();
            p.score.push_str(next(cut.next()));
        }
        out.total.clear();
        out.total.push_str(next(cut.next()));
        match (next(cut.next()), out.index.as_mut()) {
            ("", _) => out.index = None,
            (i, Some(s)) => {
                s.clear();
                s.push_str(i);
            }
            (i, None) => out.index = Some(i.to_string()),
        }
        true
    }
}

/// A batch's sums ([`Filter::sum_batch`]): each unit's pillar sums (`pillars` at a time, with
/// `Detail::Totals`), its total, and whether the filter left it one of its indicators.
#[derive(Clone, Default)]
struct Sums {
    pillars: Vec<Option<Iv>>,
    totals: Vec<Option<Iv>>,
    left: Vec<bool>,
}

/// A batch of the ranking pass, computed ahead ([`Filter::batches_ahead`]).
#[derive(Default)]
struct Batch {
    start: usize,
    fast: Vec<Fast>,
    scores: Scores,
    sums: Sums,
    /// Its units' texts, when the pass writes them as it goes (`Filter::stream_sums`).
    #[cfg(not(target_family = "wasm"))]
    texts: SummaryTexts,
    done: bool,
}

/// A batch's scores as the filter left them ([`Fast`]), bound by bound: what [`lane_sums`] adds
/// in straight loops over consecutive doubles.
#[derive(Clone, Default)]
struct Scores {
    /// How far apart each indicator's scores lie (`Filter::lanes`).
    stride: usize,
    /// The bounds of each score: the point 0 where it is not scored or left to the exact path
    /// (what [`lane_sums`] then adds).
    lo: Vec<f64>,
    hi: Vec<f64>,
    /// Whether the score is added (scored), and whether it was left to the exact path.
    scored: Vec<bool>,
    exact: Vec<bool>,
    /// Natively, per indicator: where at least 0, every score of its row is a point (`lo ==
    /// hi`) within this bound of the exact score (from a bounded program, [`Self::clamp_bounded`];
    /// 0 where the points are exact); negative where the row holds enclosures.
    #[cfg(not(target_family = "wasm"))]
    bounds: Vec<f64>,
}

impl Scores {
    /// `n` results, `stride` apart by indicator, every one left to the exact path.
    fn reset(&mut self, n: usize, stride: usize) {
        self.stride = stride;
        for v in [&mut self.lo, &mut self.hi] {
            v.clear();
            v.resize(n, 0.0);
        }
        self.scored.clear();
        self.scored.resize(n, false);
        self.exact.clear();
        self.exact.resize(n, true);
        #[cfg(not(target_family = "wasm"))]
        {
            self.bounds.clear();
            self.bounds.resize(n.div_ceil(stride.max(1)), 0.0);
        }
    }

    /// Marks indicator `k`'s row as holding enclosures.
    #[inline]
    fn enclosures(&mut self, k: usize) {
        #[cfg(not(target_family = "wasm"))]
        if let Some(b) = self.bounds.get_mut(k) {
            *b = -1.0;
        }
        #[cfg(target_family = "wasm")]
        let _ = k;
    }

    /// Sets result `i` (as the [`Fast`] it was).
    fn set(&mut self, i: usize, f: Fast) {
        let value = match f {
            Fast::NotScored => (0.0, 0.0, false, false),
            Fast::Scored { score, .. } => (score.0, score.1, true, false),
            Fast::Exact => (0.0, 0.0, false, true),
        };
        if let (Some(lo), Some(hi), Some(scored), Some(exact)) =
            (self.lo.get_mut(i), self.hi.get_mut(i), self.scored.get_mut(i), self.exact.get_mut(i))
        {
            (*lo, *hi, *scored, *exact) = value;
        }
    }

    /// Result `i` as a [`Fast`], without the raw score and contradicted assumption (which a
    /// sum does not read).
    fn result(&self, i: usize) -> Fast {
        #[cfg(not(target_family = "wasm"))]
        if let (Some(&e), Some(&v), Some(true)) =
            (self.bounds.get(i / self.stride.max(1)), self.lo.get(i), self.scored.get(i))
        {
            if e > 0.0 {
                let (lo, hi, fine) = super::batch::widened(v, e);
                return match fine {
                    true => Fast::Scored { score: (lo, hi), raw: None, contradicted: None },
                    false => Fast::Exact,
                };
            }
        }
        match (self.lo.get(i), self.hi.get(i), self.scored.get(i), self.exact.get(i)) {
            (Some(lo), Some(hi), Some(true), _) => Fast::Scored { score: (*lo, *hi), raw: None, contradicted: None },
            (Some(_), Some(_), Some(false), Some(false)) => Fast::NotScored,
            _ => Fast::Exact,
        }
    }

    /// Lane `l`'s results of the `count` indicators as lane 0 of `row` (laid out as a batch's,
    /// `stride` apart), for the functions that read a unit's results from a batch's.
    fn unit_row(&self, l: usize, count: usize, row: &mut Vec<Fast>) {
        row.resize(count * self.stride, Fast::Exact);
        for k in 0..count {
            if let Some(slot) = row.get_mut(k * self.stride) {
                *slot = self.result(k * self.stride + l);
            }
        }
    }

    /// The `len` results from `at` on, bounds and flags together, for clamping to `max`;
    /// `None` for a max below 0 (the results stay left to the exact path).
    #[allow(clippy::type_complexity)]
    fn results_mut(
        &mut self,
        at: usize,
        len: usize,
        max: Iv,
    ) -> Option<impl Iterator<Item = ((&mut f64, &mut f64), (&mut bool, &mut bool))>> {
        let range = at..at + len;
        let lo = self.lo.get_mut(range.clone())?;
        let hi = self.hi.get_mut(range.clone())?;
        let scored = self.scored.get_mut(range.clone())?;
        let exact = self.exact.get_mut(range)?;
        (max.0 >= 0.0).then(|| lo.iter_mut().zip(hi.iter_mut()).zip(scored.iter_mut().zip(exact.iter_mut())))
    }

    /// The results from `at` on: a score register's lanes (`len` of them) clamped to `max`
    /// lane by lane without a branch, bound by bound: clamping is monotone, so the clamped
    /// bounds enclose the exact clamped score, also where the enclosure straddles 0 or the max
    /// (which [`clamp`] leaves to the exact path, for a scorecard's raw score; the scores here
    /// keep none). A flagged lane is left to the exact path.
    fn clamp_from(&mut self, at: usize, (lo, hi, bad): (&[f64], &[f64], &[bool]), len: usize, max: Iv) {
        self.enclosures(at / self.stride.max(1));
        let Some(out) = self.results_mut(at, len, max) else { return };
        for (((slo, shi), (scored, exact)), ((l, h), b)) in out.zip(lo.iter().zip(hi).zip(bad)) {
            let fine = !*b;
            *slo = if fine { l.max(0.0).min(max.0) } else { 0.0 };
            *shi = if fine { h.max(0.0).min(max.1) } else { 0.0 };
            *scored = fine;
            *exact = !fine;
        }
    }

    /// [`Self::clamp_from`] for a bounded score register (`Regs::bounded`: each unflagged
    /// lane's value within `e` of its exact score): each lane clamped to 0 and the max's
    /// nearest double, a point. Clamping moves no two values further apart, so the clamped
    /// score lies within `e` of the exact clamped score, or within the max's own width of it.
    #[cfg(not(target_family = "wasm"))]
    fn clamp_bounded(&mut self, at: usize, (v, bad): (&[f64], &[bool]), len: usize, max: Iv, e: f64) {
        let top = if max.0 == max.1 { max.0 } else { 0.5 * max.0 + 0.5 * max.1 };
        let Some(out) = self.results_mut(at, len, max) else { return };
        for (((slo, shi), (scored, exact)), (x, b)) in out.zip(v.iter().zip(bad)) {
            // (An unflagged lane is in range; a NaN would not be.)
            let fine = !*b & (x.abs() <= iv::LIMIT);
            let c = if fine { x.max(0.0).min(top) } else { 0.0 };
            (*slo, *shi, *scored, *exact) = (c, c, fine, !fine);
        }
        // The max's width, rounded up, bounds how far `top` lies from it.
        let width = if max.0 == max.1 { 0.0 } else { (max.1 - max.0) * 2.0 };
        let bound = e.max(width);
        if let Some(b) = self.bounds.get_mut(at / self.stride.max(1)) {
            *b = bound;
        }
    }
}

/// Each unit's sum of the indicators `members` over a batch's scores (laid out by indicator:
/// one straight pass per indicator over consecutive memory), in the order of `members`, as a
/// unit's sum is added one indicator after the other (one not scored adds the point 0):
/// `None` where an addition fails. `left` marks the units with one of them left to the exact
/// path (their sum then leaves it out).
fn lane_sums(scores: &Scores, members: &[usize], len: usize, sums: &mut Vec<Option<Iv>>, left: &mut Vec<bool>) {
    #[cfg(not(target_family = "wasm"))]
    if members.iter().all(|k| scores.bounds.get(*k).is_some_and(|b| *b >= 0.0)) {
        return point_sums(scores, members, len, sums, left);
    }
    // Whether each sum holds, as a double (1 or 0) like the bounds, so that the loop below
    // handles doubles only and vectorises.
    let (mut lo, mut hi, mut fine) = (vec![0.0; len], vec![0.0; len], vec![1.0; len]);
    left.clear();
    left.resize(len, false);
    for k in members {
        let row = k * scores.stride..k * scores.stride + len;
        let (Some(rl), Some(rh), Some(re)) =
            (scores.lo.get(row.clone()), scores.hi.get(row.clone()), scores.exact.get(row))
        else {
            left.fill(true);
            continue;
        };
        // A row of bounded points among rows of enclosures: its enclosures (NaN for none,
        // which fails a sum).
        #[cfg(not(target_family = "wasm"))]
        let widened: (Vec<f64>, Vec<f64>);
        #[cfg(not(target_family = "wasm"))]
        let (rl, rh) = match scores.bounds.get(*k) {
            Some(e) if *e > 0.0 => {
                widened = rl
                    .iter()
                    .map(|v| match batch::widened(*v, *e) {
                        (l, h, true) => (l, h),
                        _ => (f64::NAN, f64::NAN),
                    })
                    .unzip();
                (&widened.0[..], &widened.1[..])
            }
            _ => (rl, rh),
        };
        // Branch-free, every lane added: one not scored holds the point 0 (`Scores`), which
        // leaves a sum as it is or widens it by a step. A failed sum stays so.
        let sums = lo.iter_mut().zip(hi.iter_mut()).zip(fine.iter_mut());
        for (((sl, sh), ok), (bl, bh)) in sums.zip(rl.iter().zip(rh)) {
            let (l, h, holds) = iv::lane::add(*sl, *sh, *bl, *bh);
            (*sl, *sh) = (l, h);
            *ok = if holds { *ok } else { 0.0 };
        }
        for (e, exact) in left.iter_mut().zip(re) {
            *e |= *exact;
        }
    }
    sums.clear();
    sums.extend(lo.iter().zip(&hi).zip(&fine).map(|((l, h), ok)| (*ok == 1.0).then_some((*l, *h))));
}

/// [`lane_sums`] over rows of points (`Scores::bounds`), natively: each unit's sum of doubles,
/// each addition error-free (the sum and its remainder), and the enclosure of the exact sum
/// from the rows' bounds and the remainders' magnitudes: a double and two error terms a lane,
/// where the intervals keep two bounds, each added error-free.
#[cfg(not(target_family = "wasm"))]
fn point_sums(scores: &Scores, members: &[usize], len: usize, sums: &mut Vec<Option<Iv>>, left: &mut Vec<bool>) {
    let (mut sum, mut rounding) = (vec![0.0; len], vec![0.0; len]);
    let mut bounds = 0.0;
    left.clear();
    left.resize(len, false);
    for k in members {
        let row = k * scores.stride..k * scores.stride + len;
        let (Some(values), Some(exact), Some(b)) =
            (scores.lo.get(row.clone()), scores.exact.get(row), scores.bounds.get(*k))
        else {
            left.fill(true);
            continue;
        };
        bounds += b;
        for ((s, r), x) in sum.iter_mut().zip(rounding.iter_mut()).zip(values) {
            let t = *s + *x;
            let back = t - *s;
            *r += ((*s - (t - back)) + (*x - back)).abs();
            *s = t;
        }
        for (e, exact) in left.iter_mut().zip(exact) {
            *e |= *exact;
        }
    }
    // Widened in place (the sums become the lower bounds, the remainders the upper), in a
    // straight loop; then handed out.
    let mut fine = vec![false; len];
    for ((s, r), f) in sum.iter_mut().zip(rounding.iter_mut()).zip(fine.iter_mut()) {
        (*s, *r, *f) = batch::widened_sum(*s, bounds, *r, members.len());
    }
    sums.clear();
    sums.extend(sum.iter().zip(&rounding).zip(&fine).map(|((lo, hi), f)| f.then_some((*lo, *hi))));
}

/// A rank site's arguments (each with its unit) sorted descending, and each of the `units`
/// units' rank by unit (0: none; `u32::MAX`: met twice, which a site never is). Sorted once (the
/// doubles decide where they differ), a unit's rank is where its value first appears: 1 + the
/// number of larger ones, which the exact path found by searching the sorted values unit by unit
/// after evaluating each unit for its own.
#[cfg(not(target_family = "wasm"))]
fn ranked(mut all: Vec<(f64, Num, usize)>, units: usize) -> (Vec<Num>, Vec<u32>) {
    crate::sort::sort_by(&mut all, |(fa, a, _), (fb, b, _)| b.cmp_approx(*fb, a, *fa));
    let mut ranks = vec![0u32; units];
    let mut first = 0;
    for (i, w) in all.iter().enumerate() {
        if i > 0 && all.get(i - 1).is_some_and(|before| before.1 != w.1) {
            first = i;
        }
        if let Some(r) = ranks.get_mut(w.2) {
            *r = if *r == 0 { u32::try_from(first + 1).unwrap_or(u32::MAX) } else { u32::MAX };
        }
    }
    (all.into_iter().map(|(_, e, _)| e).collect(), ranks)
}

/// The text of indicator `k`'s assumption `a`.
fn assumption<'p>(prog: &'p Program<'p>, k: usize, a: usize) -> Option<&'p str> {
    match prog.compiled.get(k) {
        Some(Ok(c)) => c.assumptions.get(a).map(|(_, text)| text.as_str()),
        _ => None,
    }
}

/// The score clamped to [0, max] and the raw score when clamping changed it; `None` when the
/// enclosure straddles 0 or the max.
fn clamp(x: Iv, max: Iv) -> Option<(Iv, Option<Iv>)> {
    if max.0 < 0.0 {
        None
    } else if x.0 >= 0.0 && x.1 <= max.0 {
        Some((x, None))
    } else if x.1 < 0.0 {
        Some((iv::point(0.0), Some(x)))
    } else if x.0 > max.1 {
        Some((max, Some(x)))
    } else {
        None
    }
}

/// The rulebook's `index` as the filter computes it from an enclosure of the total, its numbers'
/// enclosures worked out once, not once per unit.
#[derive(Clone, Debug)]
enum IndexIv {
    /// A number, `None` when it has no enclosure (the exact fold decides).
    Number(Option<Iv>),
    Total,
    Neg(Box<IndexIv>),
    Binary(BinOp, Box<IndexIv>, Box<IndexIv>),
    /// `round` and anything else: the exact fold decides.
    Undecided,
}

impl IndexIv {
    fn new(e: &ast::Expr) -> IndexIv {
        match &e.kind {
            ExprKind::Number { value, .. } => IndexIv::Number(iv::of_num(value)),
            ExprKind::Total => IndexIv::Total,
            ExprKind::Paren(inner) => IndexIv::new(inner),
            ExprKind::Unary(UnOp::Neg, inner) => IndexIv::Neg(Box::new(IndexIv::new(inner))),
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), a, b) => {
                IndexIv::Binary(*op, Box::new(IndexIv::new(a)), Box::new(IndexIv::new(b)))
            }
            _ => IndexIv::Undecided,
        }
    }

    /// `k` for an index that is the total over `10^k` (`total / 1000`).
    #[cfg(not(target_family = "wasm"))]
    fn shift(&self) -> Option<u32> {
        match self {
            IndexIv::Binary(BinOp::Div, a, b) if matches!(**a, IndexIv::Total) => match **b {
                IndexIv::Number(Some((p, q))) if p == q => (0..=MAX_FAST_DIGITS).find(|k| iv::pow10(*k) == Some(p)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The index's rounding to `digits` decimals from an enclosure of the total ([`NO_INDEX`]
    /// where there is none whatever the total), `None` where the enclosure does not decide it.
    /// With the index's `shift` (`total / 10^k`), its rounding is the total's to `digits - k`
    /// decimals: the same decimal digits, without a division.
    #[cfg(not(target_family = "wasm"))]
    fn rounded(&self, total: Iv, digits: u32, shift: Option<u32>) -> Option<i64> {
        if let Some(d) = shift.and_then(|k| digits.checked_sub(k)) {
            return rounded_iv(total, d);
        }
        match self.of(total)? {
            None => Some(NO_INDEX),
            Some(x) => rounded_iv(x, digits),
        }
    }

    /// The index from an enclosure of the total, as `sema::fold` computes it: `Some(None)` when
    /// there is no index whatever the total, `None` when the enclosure does not decide.
    fn of(&self, total: Iv) -> Option<Option<Iv>> {
        Some(match self {
            IndexIv::Number(x) => Some((*x)?),
            IndexIv::Total => Some(total),
            IndexIv::Neg(inner) => inner.of(total)?.map(iv::neg),
            IndexIv::Binary(op, a, b) => {
                let (a, b) = match (a.of(total), b.of(total)) {
                    (Some(None), _) | (_, Some(None)) => return Some(None),
                    (Some(Some(a)), Some(Some(b))) => (a, b),
                    _ => return None,
                };
                Some(match op {
                    BinOp::Add => iv::add(a, b)?,
                    BinOp::Sub => iv::sub(a, b)?,
                    BinOp::Mul => iv::mul(a, b)?,
                    _ if b == iv::point(0.0) => return Some(None),
                    _ => iv::div(a, b)?,
                })
            }
            IndexIv::Undecided => return None,
        })
    }
}

/// How the filter reads each input slot of `ind`, if it does.
fn input_kinds(prog: &Program, ind: &ast::Indicator, c: &super::code::Compiled) -> Vec<Option<batch::InputKind>> {
    let info = prog.env.indicators.get(&ind.id.text);
    c.inputs
        .iter()
        .map(|slot| {
            let ty = info.and_then(|i| i.inputs.iter().find(|(n, _)| *n == slot.name)).map(|(_, t)| t);
            batch::input_kind(ty)
        })
        .collect()
}
