//! Property tests: the checker's claims held against the interpreter, on every example rulebook
//! (found under `examples/` automatically) and on random well-typed rulebooks.
//!
//! - **bounds**: for admissible inputs (values in each input's declared domain, `assume` facts
//!   true), every scored indicator scores within [0, max]; the raw score stays ≤ max when the
//!   checker proved the cap, ≥ 0 when it proved the floor, and always within the proved range;
//!   no division by zero where the checker gave no W0508;
//! - **monotonicity**: for every input the checker proved monotone, x1 < x2 never moves the raw
//!   score the wrong way (per unit, and with the rest of a cohort fixed);
//! - **witnesses**: every W0504/W0505/W0506 witness is admissible and shows the violation when
//!   evaluated;
//! - **cohorts** of 1–30 units: indicator scores within [0, max], pillar subtotals within
//!   [0, pillar max] and equal to their indicators' sum, total ≤ the index scale, ranks, evaluation
//!   deterministic and independent of the order of units, the data survives a CSV round trip;
//! - **random rulebooks** (`gen::gen_rulebook`): they parse and check without errors, and all of
//!   the above holds for them;
//! - **formatting**: for every `.chiso` file of the repository and every generated rulebook,
//!   `chiso fmt` output parses to the same tree, keeps every comment and is a fixed point.
//!
//! Case counts come from `PROPTEST_CASES` (proptest's default is 256; `scripts/test.sh` sets 256).
//! Each example indicator gets that many cases per property. A longer local run:
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test -p chiso-tests --release --test properties -- --nocapture
//! ```
//!
//! A failure prints the rulebook (or indicator), the inputs and the claim that broke. Bugs that are
//! known and reported but not fixed yet are listed in `KNOWN_BUGS`: the property still asserts
//! the correct behaviour everywhere else, and the suite prints how often each known bug was hit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chiso::map::VecMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chiso::data::{self, Dataset, Format};
use chiso::eval::{self, IndicatorResult, Status, Value};
use chiso::num::Num;
use chiso::policy::{analyze as policy, Analysis, Direction, Verdict, Witness};
use chiso::sema::{for_each_indicator, Env};
use chiso::syntax::ast;
use chiso::{Code, Locale};
use chiso_tests::gen::{self, Model, Sample, Tape};
use chiso_tests::{analyze, chiso_files, render_diagnostics, root};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

// ----- known bugs --------------------------------------------------------------------------------

/// Lang bugs found by these properties and reported, not yet fixed. Each entry names the property
/// that catches it and a predicate on the failing case; a failure that matches is counted and
/// printed instead of failing the suite. Remove an entry when the bug is fixed: the property then
/// holds again on its own.
// Fixed so far: "default-outside-domain" (now E0309) and "relative-to-best-negative" (the checker
// no longer claims [0, 1] or monotonicity for `relative_to_best` of a value that can be negative).
const KNOWN_BUGS: &[KnownBug] = &[KnownBug {
    id: "cohort-call-not-collected",
    reason: "the pass that collects cohort values evaluates the rule with every cohort call giving 0, so a \
             cohort call reached only with the real values (e.g. inside a `when` arm chosen by another \
             cohort call) has no cohort: not evaluable although the data is complete, with no warning",
    matches: |v| {
        v.kind.starts_with("admissible, complete data is scored") && v.detail.contains("no unit of the cohort")
    },
}];

struct KnownBug {
    /// Short id used in messages.
    id: &'static str,
    /// Why it happens.
    reason: &'static str,
    /// Whether a violation message is this bug.
    matches: fn(&Violation) -> bool,
}

static KNOWN_HITS: AtomicUsize = AtomicUsize::new(0);

/// A broken claim.
#[derive(Debug)]
struct Violation {
    /// Which property.
    kind: &'static str,
    /// The indicator's rule text (or the rulebook), for predicates and messages.
    rule: String,
    /// What happened.
    detail: String,
    /// Facts about the data involved, for matching known bugs.
    flags: Flags,
}

impl Violation {
    fn new(kind: &'static str, rule: &str, detail: String) -> Violation {
        Violation { kind, rule: rule.to_string(), detail, flags: Flags::default() }
    }
    fn with(mut self, flags: Flags) -> Violation {
        self.flags = flags;
        self
    }
}

/// Facts about the data of a failing case.
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    /// An input was left out whose `default` is outside its declared domain, so the rule saw a
    /// value that no data file could report.
    bad_default: bool,
    /// Some numeric value is negative.
    negative: bool,
}

impl Flags {
    fn of(model: &Model, reported: Option<&VecMap<String, Value>>) -> Flags {
        let bad_default = model.inputs.iter().any(|i| {
            reported.is_none_or(|r| !r.contains_key(&i.name)) && i.default.as_ref().is_some_and(|d| !i.domain.admits(d))
        });
        let defaults = model.inputs.iter().filter(|i| reported.is_none_or(|r| !r.contains_key(&i.name)));
        let negative = reported
            .into_iter()
            .flat_map(|r| r.values())
            .chain(defaults.filter_map(|i| i.default.as_ref()))
            .any(|v| v.as_num().is_some_and(Num::is_negative));
        Flags { bad_default, negative }
    }
    fn or(self, o: Flags) -> Flags {
        Flags { bad_default: self.bad_default || o.bad_default, negative: self.negative || o.negative }
    }
    /// The flags of every unit of a cohort together.
    fn of_cohort(model: &Model, ds: &Dataset) -> Flags {
        ds.units.iter().fold(Flags::default(), |acc, u| acc.or(Flags::of(model, u.values.get(&model.id))))
    }
}

/// Ok when there is no violation or only a known one (which is counted).
fn report(v: Result<(), Violation>) -> Result<(), TestCaseError> {
    match v {
        Ok(()) => Ok(()),
        Err(v) => {
            if let Some(k) = KNOWN_BUGS.iter().find(|k| (k.matches)(&v)) {
                if KNOWN_HITS.fetch_add(1, Ordering::Relaxed) < 3 {
                    println!("known bug {} ({}) hit: {} — {}", k.id, k.reason, v.kind, v.detail);
                }
                return Ok(());
            }
            Err(TestCaseError::fail(format!("{}: {}\n--- rule ---\n{}", v.kind, v.detail, v.rule)))
        }
    }
}

// ----- set-up ------------------------------------------------------------------------------------

/// The configured number of cases (PROPTEST_CASES, default 256).
fn cases() -> u32 {
    Config::default().cases
}

fn runner(cases: u32) -> TestRunner {
    let mut config = Config { cases, failure_persistence: None, ..Config::default() };
    if std::env::var_os("PROPTEST_MAX_SHRINK_TIME").is_none() {
        // Shrinking a whole rulebook is slow in debug builds; a minute finds a small case.
        config.max_shrink_time = 60_000;
    }
    TestRunner::new(config)
}

fn run<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut r = runner(cases);
    match r.run(&strategy, test) {
        Ok(()) => {}
        Err(TestError::Fail(why, value)) => panic!("{name}: {why}\nminimal failing input: {value:?}"),
        Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
    }
}

/// A rulebook with its parse and checked environment.
struct Book {
    path: PathBuf,
    text: String,
    parse: chiso::syntax::Parse,
    checked: chiso::Checked,
}

impl Book {
    fn env(&self) -> &Env {
        &self.checked.env
    }
    fn name(&self) -> String {
        self.path.strip_prefix(root()).unwrap_or(&self.path).display().to_string()
    }
}

/// Every example rulebook. An example with checker errors fails the suite: skipping it would
/// hide exactly the files these properties are meant to cover.
fn examples() -> Vec<Book> {
    let files = chiso_files(&root().join("examples"));
    assert!(!files.is_empty(), "no example rulebooks under examples/");
    let mut books = Vec::new();
    let mut broken = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (parse, checked) = analyze(&text);
        if checked.has_errors() {
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            broken.push(format!("{}:\n{}", path.display(), render_diagnostics(&text, &errors)));
            continue;
        }
        books.push(Book { path, text, parse, checked });
    }
    assert!(broken.is_empty(), "example rulebooks with checker errors:\n{}", broken.join("\n"));
    books
}

/// Everything the checker claims about one scored indicator.
struct Claims {
    id: String,
    model: Model,
    analysis: Analysis,
    /// The indicator alone, to score it without the rest of the rulebook.
    file: ast::File,
    /// Its source text, for messages.
    rule: String,
    /// Whether the checker warned about a division (W0508).
    warned_division: bool,
    /// Whether the checker warned that some value matches no `when` arm (W0502).
    warned_no_arm: bool,
}

impl Claims {
    fn new(env: &Env, ind: &ast::Indicator, text: &str) -> Claims {
        let (analysis, diags) = policy(env, ind);
        Claims {
            id: ind.id.text.clone(),
            model: Model::new(env, ind),
            analysis,
            file: gen::single_file(ind),
            rule: ind.span.text(text).to_string(),
            warned_division: diags.iter().any(|d| d.code == Code::W0508),
            warned_no_arm: diags.iter().any(|d| d.code == Code::W0502),
        }
    }

    fn proved_monotone(&self) -> Vec<(String, Direction)> {
        self.analysis
            .monotone
            .iter()
            .filter(|(_, _, v)| *v == Verdict::Proved)
            .map(|(n, d, _)| (n.clone(), *d))
            .collect()
    }
}

/// Claims for every scored indicator of a checked rulebook.
fn claims_of(book: &Book) -> Vec<Claims> {
    let mut out = Vec::new();
    for_each_indicator(&book.parse.file, &mut |ind| {
        if ind.score().is_some() && !ind.is_not_scored() {
            out.push(Claims::new(book.env(), ind, &book.text));
        }
    });
    out
}

/// Counters, printed at the end of a test and asserted non-zero: a property that checked nothing
/// (because the checker stopped claiming anything, or a generator stopped producing data) fails.
#[derive(Default, Debug)]
struct Stats {
    samples: usize,
    inadmissible: usize,
    scored: usize,
    not_evaluable: usize,
    cap_checked: usize,
    pairs: usize,
    witnesses: usize,
    /// Samples drawn on (or one step beside) a `when` threshold.
    boundary_samples: usize,
    /// Units of cohorts whose results were checked.
    cohort_units: usize,
    /// Which thresholds (indices into `Model::boundaries`) a sample landed on exactly.
    thresholds_hit: chiso::map::VecSet<usize>,
    /// Which inputs proved monotone got at least one pair.
    paired: chiso::map::VecSet<String>,
}

impl Stats {
    fn summary(&self) -> String {
        format!(
            "samples {} (inadmissible {}, scored {}, not evaluable {}, on a threshold {}), caps checked {}, pairs {}, \
             witnesses {}, cohort units {}",
            self.samples,
            self.inadmissible,
            self.scored,
            self.not_evaluable,
            self.boundary_samples,
            self.cap_checked,
            self.pairs,
            self.witnesses,
            self.cohort_units
        )
    }
}

// ----- the checks --------------------------------------------------------------------------------

fn fmt_num(n: &Option<Num>) -> String {
    n.as_ref().map_or("—".into(), |n| n.to_string())
}

/// The bounds claimed for one result.
fn check_result(c: &Claims, r: &IndicatorResult, inputs: &str, complete: bool, flags: Flags) -> Result<(), Violation> {
    let max = &c.model.max;
    let fail = |kind, detail: String| {
        Err(Violation::new(kind, &c.rule, format!("{} with {inputs}: {detail}", c.id)).with(flags))
    };
    match r.status {
        Status::Scored => {
            let (Some(s), Some(raw)) = (&r.score, gen::raw(r)) else {
                return fail("scored without a score", format!("{r:?}"));
            };
            if s.is_negative() || s > max {
                return fail("0 <= score <= max", format!("score {s}, max {max}"));
            }
            if *s != raw.max_of(&Num::zero()).min_of(max) {
                return fail("score is the clamped raw score", format!("score {s}, raw {raw}"));
            }
            if c.analysis.cap == Verdict::Proved && &raw > max {
                return fail("proved cap (no W0504)", format!("raw score {raw} > max {max}"));
            }
            if c.analysis.floor == Verdict::Proved && raw.is_negative() {
                return fail("proved floor (no W0505)", format!("raw score {raw} < 0"));
            }
            let range = &c.analysis.range;
            if range.lo.as_ref().is_some_and(|lo| &raw < lo) || range.hi.as_ref().is_some_and(|hi| &raw > hi) {
                return fail(
                    "proved range",
                    format!(
                        "raw score {raw} outside the proved range [{}, {}]",
                        fmt_num(&range.lo),
                        fmt_num(&range.hi)
                    ),
                );
            }
        }
        Status::NotEvaluable => {
            let reason = r.reason.clone().unwrap_or_default();
            if complete && reason.contains("was not reported") {
                return fail("admissible data is complete", format!("not evaluable: {reason}"));
            }
            if reason.contains("division by zero") && !c.warned_division {
                return fail("no W0508 means no division by zero", reason);
            }
            // Admissible, complete data is scored: the only excuses are the two the checker
            // announces, a value no arm matches (W0502) and a zero denominator (W0508).
            let excused = (reason.contains("division by zero") && c.warned_division)
                || (reason.contains("no `when` arm matches") && c.warned_no_arm)
                || (reason.contains("no unit of the cohort") && (c.warned_division || c.warned_no_arm));
            if complete && !excused {
                return fail(
                    "admissible, complete data is scored unless the checker warned (W0502, W0508)",
                    format!("not evaluable: {reason}"),
                );
            }
        }
        Status::NotScored => return fail("a scored indicator is scored", "status not_scored".into()),
    }
    Ok(())
}

/// Scores one sample alone and checks the bounds.
fn check_sample(env: &Env, c: &Claims, s: &Sample, stats: &mut Stats) -> Result<IndicatorResult, Violation> {
    let r = gen::score_one(env, &c.file, &c.id, &s.reported);
    stats.samples += 1;
    match r.status {
        Status::Scored => stats.scored += 1,
        _ => stats.not_evaluable += 1,
    }
    if c.analysis.cap == Verdict::Proved {
        stats.cap_checked += 1;
    }
    check_result(c, &r, &s.describe(), true, Flags::of(&c.model, Some(&s.reported)))?;
    Ok(r)
}

/// Whether moving from `(x1, s1)` to `(x2, s2)` with x1 < x2 goes the wrong way.
fn wrong_way(dir: Direction, s1: &Num, s2: &Num) -> bool {
    match dir {
        Direction::More => s2 < s1,
        Direction::Less => s2 > s1,
        Direction::Neutral => false,
    }
}

/// A pair x1 < x2 of one input proved monotone, the rest of `base` fixed.
fn check_pair(
    env: &Env,
    c: &Claims,
    base: &Sample,
    name: &str,
    dir: Direction,
    t: &mut Tape,
    stats: &mut Stats,
) -> Result<(), Violation> {
    let Some(other) = gen::gen_other_value(&c.model, base, name, t) else { return Ok(()) };
    let Some(Value::Num(cur)) = base.effective.get(name) else { return Ok(()) };
    let (x1, x2) = if &other < cur { (other, cur.clone()) } else { (cur.clone(), other) };
    let (a, b) = (base.with(name, Value::Num(x1.clone())), base.with(name, Value::Num(x2.clone())));
    if !gen::admissible(&c.model, &a) || !gen::admissible(&c.model, &b) {
        // The base used a default that is outside the input's declared domain.
        return Ok(());
    }
    let (ra, rb) = (gen::score_one(env, &c.file, &c.id, &a.reported), gen::score_one(env, &c.file, &c.id, &b.reported));
    let bad = Flags::of(&c.model, Some(&a.reported)).or(Flags::of(&c.model, Some(&b.reported)));
    check_result(c, &ra, &a.describe(), true, bad)?;
    check_result(c, &rb, &b.describe(), true, bad)?;
    if let (Some(s1), Some(s2)) = (gen::raw(&ra), gen::raw(&rb)) {
        stats.pairs += 1;
        stats.paired.insert(name.to_string());
        if wrong_way(dir, &s1, &s2) {
            return Err(Violation::new(
                "proved monotone (no W0506)",
                &c.rule,
                format!("{}: {name} = {x1} gives {s1}, {name} = {x2} gives {s2} (with {})", c.id, a.describe()),
            )
            .with(bad));
        }
    }
    Ok(())
}

/// The sample a witness describes.
fn witness_sample(w: &Witness) -> Sample {
    let m: VecMap<String, Value> = w.inputs.iter().cloned().collect();
    Sample { reported: m.clone(), effective: m }
}

/// Every refuted verdict comes with admissible inputs that really show the violation.
fn check_witnesses(env: &Env, c: &Claims, stats: &mut Stats) -> Result<(), Violation> {
    let fail = |kind, detail: String| Err(Violation::new(kind, &c.rule, format!("{}: {detail}", c.id)));
    let eval_w = |w: &Witness| -> (Sample, Option<Num>) {
        let s = witness_sample(w);
        let r = gen::score_one(env, &c.file, &c.id, &s.reported);
        (s, gen::raw(&r))
    };
    for (kind, verdict) in [("W0504 witness", &c.analysis.cap), ("W0505 witness", &c.analysis.floor)] {
        let Verdict::Refuted(w) = verdict else { continue };
        stats.witnesses += 1;
        let (s, raw) = eval_w(w);
        if !gen::admissible(&c.model, &s) {
            return fail(kind, format!("the witness {} is not admissible", s.describe()));
        }
        let ok = match (&raw, kind) {
            (Some(r), "W0504 witness") => r == &w.score && r > &c.model.max,
            (Some(r), _) => r == &w.score && r.is_negative(),
            _ => false,
        };
        if !ok {
            return fail(kind, format!("{} claims {}, evaluation gives {}", s.describe(), w.score, fmt_num(&raw)));
        }
    }
    for (name, dir, verdict) in &c.analysis.monotone {
        let Verdict::Refuted(w) = verdict else { continue };
        stats.witnesses += 1;
        let Some((larger, s2_claimed)) = &w.larger else {
            return fail("W0506 witness", format!("no larger value for `{name}`"));
        };
        let (s1, raw1) = eval_w(w);
        let w2 = Witness {
            inputs: w
                .inputs
                .iter()
                .map(|(n, v)| (n.clone(), if n == name { larger.clone() } else { v.clone() }))
                .collect(),
            score: s2_claimed.clone(),
            larger: None,
        };
        let (s2, raw2) = eval_w(&w2);
        let x1 = s1.effective.get(name).and_then(Value::as_num).cloned();
        let x2 = larger.as_num().cloned();
        let admissible = gen::admissible(&c.model, &s1) && gen::admissible(&c.model, &s2);
        let shows = match (&raw1, &raw2, &x1, &x2) {
            (Some(r1), Some(r2), Some(x1), Some(x2)) => {
                r1 == &w.score && r2 == s2_claimed && x1 < x2 && wrong_way(*dir, r1, r2)
            }
            _ => false,
        };
        if !admissible || !shows {
            return fail(
                "W0506 witness",
                format!(
                    "`{name}`: {} gives {} (claimed {}), {} gives {} (claimed {}); admissible: {admissible}",
                    s1.describe(),
                    fmt_num(&raw1),
                    w.score,
                    s2.describe(),
                    fmt_num(&raw2),
                    s2_claimed
                ),
            );
        }
    }
    Ok(())
}

/// Samples, pairs and witnesses for one indicator, driven by one tape.
fn check_indicator(env: &Env, c: &Claims, t: &mut Tape, pairs: bool, stats: &mut Stats) -> Result<(), Violation> {
    // Two cases in five start on a `when` threshold, where `>=` and `>` part ways and a sloped
    // arm meets a flat one: values uniform draws almost never hit exactly.
    let on_threshold =
        if !c.model.boundaries.is_empty() && t.chance(40) { gen::gen_boundary_sample(&c.model, t) } else { None };
    let base = match on_threshold {
        Some((s, hit)) => {
            stats.boundary_samples += 1;
            stats.thresholds_hit.extend(hit);
            Some(s)
        }
        None => gen::gen_sample(&c.model, t),
    };
    let Some(base) = base else {
        stats.inadmissible += 1;
        return Ok(());
    };
    check_sample(env, c, &base, stats)?;
    if pairs {
        for (name, dir) in c.proved_monotone() {
            check_pair(env, c, &base, &name, dir, t, stats)?;
        }
    }
    Ok(())
}

/// A cohort (of the whole rulebook) evaluated: every claim about indicators, pillars, total,
/// index and rank; determinism; independence of unit order; the CSV round trip.
fn check_cohort(book: &Book, claims: &[Claims], ds: &Dataset, stats: &mut Stats) -> Result<(), Violation> {
    let env = book.env();
    let rule = format!("{} ({} units)", book.name(), ds.units.len());
    let fail = |kind, detail: String| Err(Violation::new(kind, &rule, detail));
    let res = eval::evaluate(&chiso::sema::Lowered::lower(&book.parse.file, env), ds);
    if res != eval::evaluate(&chiso::sema::Lowered::lower(&book.parse.file, env), ds) {
        return fail("evaluation is deterministic", "two evaluations of one cohort differ".into());
    }
    let mut reversed = ds.clone();
    reversed.units.reverse();
    let rev = eval::evaluate(&chiso::sema::Lowered::lower(&book.parse.file, env), &reversed);
    let by_id: VecMap<&str, &eval::UnitResult> = rev.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let claims_by_id: VecMap<&str, &Claims> = claims.iter().map(|c| (c.id.as_str(), c)).collect();
    let loose_max = env
        .indicators
        .values()
        .filter(|i| i.pillar.is_none() && i.parent.is_none() && !i.not_scored)
        .fold(Num::zero(), |a, i| a.add(i.max.as_ref().unwrap_or(&Num::zero())));
    let scale_total = env.pillar_max_total().unwrap_or_default().add(&loose_max);
    for u in &res.units {
        if by_id.get(u.id.as_str()) != Some(&u) {
            return fail("results do not depend on the order of units", format!("unit {} differs", u.id));
        }
        stats.cohort_units += 1;
        let unit_data = ds.units.iter().find(|d| d.id == u.id);
        let data = unit_data.map(|d| format!("{:?}", d.values)).unwrap_or_default();
        for r in &u.indicators {
            if let Some(c) = claims_by_id.get(r.id.as_str()) {
                // A unit that reports an indicator reports all of it (gen::gen_sample).
                let complete = unit_data.is_some_and(|d| d.values.contains_key(&r.id));
                let what = format!("unit {} of a cohort ({data})", u.id);
                check_result(c, r, &what, complete, Flags::of_cohort(&c.model, ds))?;
            } else if let Some(s) = &r.score {
                // A parent: the sum of its sub-indicators, clamped.
                if s.is_negative() || s > &r.max {
                    return fail("0 <= score <= max", format!("unit {}: {} scores {s} of {}", u.id, r.id, r.max));
                }
            }
        }
        let mut sum_pillars = Num::zero();
        for p in &u.pillars {
            let members = &env.pillars.get(&p.id).unwrap().indicators;
            let rs: Vec<&IndicatorResult> = u.indicators.iter().filter(|r| members.contains(&r.id)).collect();
            let sum = rs.iter().filter_map(|r| r.score.clone()).fold(Num::zero(), |a, s| a.add(&s));
            let complete = rs.iter().all(|r| r.status != Status::NotEvaluable);
            if p.score.is_negative() || p.score > p.max || p.score != sum || p.complete != complete {
                return fail(
                    "0 <= pillar subtotal <= pillar max",
                    format!(
                        "unit {} pillar {}: {} of {} (indicators sum to {sum}, complete {} vs {complete}); data {data}",
                        u.id, p.id, p.score, p.max, p.complete
                    ),
                );
            }
            sum_pillars = sum_pillars.add(&p.score);
        }
        if u.total < sum_pillars || u.total > scale_total || u.total.is_negative() {
            return fail(
                "total <= sum of maxima",
                format!("unit {}: total {} (pillars {sum_pillars}, maxima {scale_total})", u.id, u.total),
            );
        }
        if let Some(scale) = &env.index_scale {
            if env.pillar_max_total().as_ref() == Some(scale) && loose_max.is_zero() {
                if &u.total > scale {
                    return fail("total <= index scale", format!("unit {}: total {} > {scale}", u.id, u.total));
                }
                if u.index.as_ref().is_some_and(|i| i.is_negative() || i > &Num::one()) {
                    return fail("0 <= index <= 1", format!("unit {}: index {}", u.id, fmt_num(&u.index)));
                }
            }
        }
        let rank = 1 + res.units.iter().filter(|o| o.total > u.total).count();
        if u.rank != rank {
            return fail("rank = 1 + units with a larger total", format!("unit {}: rank {} vs {rank}", u.id, u.rank));
        }
    }
    // The data reads back from CSV exactly.
    let csv = gen::to_csv(ds, env);
    let (loaded, diags) = data::load(&csv, Format::Csv, env, Some(Locale::En));
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return fail("generated data is admissible to `chiso eval`", format!("{}: {}\n{csv}", d.code, d.message));
    }
    for u in &loaded.units {
        let orig = ds.units.iter().find(|o| o.id == u.id).map(|o| {
            let mut v = o.values.clone();
            v.retain(|_, inputs| !inputs.is_empty());
            v
        });
        if orig.as_ref() != Some(&u.values) {
            return fail("CSV round trip", format!("unit {} reads back as {:?}", u.id, u.values));
        }
    }
    Ok(())
}

/// With the rest of a cohort fixed, one unit's input moved the proved way for cohort indicators.
fn check_cohort_monotone(
    env: &Env,
    c: &Claims,
    ds: &Dataset,
    t: &mut Tape,
    stats: &mut Stats,
) -> Result<(), Violation> {
    for (name, dir) in c.proved_monotone() {
        let Some(ui) = (0..ds.units.len())
            .map(|k| (k + t.below(ds.units.len())) % ds.units.len())
            .find(|k| ds.units[*k].values.get(&c.id).is_some_and(|v| v.contains_key(&name)))
        else {
            continue;
        };
        let reported = ds.units[ui].values[&c.id].clone();
        let mut effective = reported.clone();
        for i in &c.model.inputs {
            if let (false, Some(d)) = (effective.contains_key(&i.name), &i.default) {
                effective.insert(i.name.clone(), d.clone());
            }
        }
        let base = Sample { reported, effective };
        let Some(other) = gen::gen_other_value(&c.model, &base, &name, t) else { continue };
        let Some(Value::Num(cur)) = base.effective.get(&name) else { continue };
        let (x1, x2) = if &other < cur { (other, cur.clone()) } else { (cur.clone(), other) };
        let score_with = |x: &Num| {
            let mut d = ds.clone();
            d.units[ui].values.get_mut(&c.id).unwrap().insert(name.clone(), Value::Num(x.clone()));
            let res = eval::evaluate(&chiso::sema::Lowered::lower(&c.file, env), &d);
            let r = res.units[ui].indicators.iter().find(|r| r.id == c.id).cloned().unwrap();
            (r, d)
        };
        let ((r1, d1), (r2, _)) = (score_with(&x1), score_with(&x2));
        let bad = Flags::of_cohort(&c.model, ds);
        for r in [&r1, &r2] {
            check_result(c, r, &format!("unit {} of a cohort", ds.units[ui].id), false, bad)?;
        }
        if let (Some(s1), Some(s2)) = (gen::raw(&r1), gen::raw(&r2)) {
            stats.pairs += 1;
            if wrong_way(dir, &s1, &s2) {
                let others: Vec<String> =
                    d1.units.iter().map(|u| format!("{}: {:?}", u.id, u.values.get(&c.id))).collect();
                return Err(Violation::new(
                    "proved monotone within a cohort (no W0506)",
                    &c.rule,
                    format!(
                        "{}: unit {} with {name} = {x1} scores {s1}, with {name} = {x2} scores {s2}; cohort: {}",
                        c.id,
                        ds.units[ui].id,
                        others.join("; ")
                    ),
                )
                .with(bad));
            }
        }
    }
    Ok(())
}

/// A cohort of `units` units reporting only indicator `c`.
fn single_cohort(c: &Claims, t: &mut Tape, units: usize) -> Dataset {
    gen::gen_cohort(std::slice::from_ref(&c.model), t, units)
}

/// Bounds for every unit of a cohort scored for one indicator.
fn check_single_cohort(env: &Env, c: &Claims, ds: &Dataset, stats: &mut Stats) -> Result<(), Violation> {
    let res = eval::evaluate(&chiso::sema::Lowered::lower(&c.file, env), ds);
    for u in &res.units {
        if let Some(r) = u.indicators.iter().find(|r| r.id == c.id) {
            stats.cohort_units += 1;
            let inputs = ds.units.iter().find(|d| d.id == u.id).and_then(|d| d.values.get(&c.id));
            let what = format!("unit {} ({inputs:?}) of a cohort of {}", u.id, ds.units.len());
            check_result(c, r, &what, inputs.is_some(), Flags::of_cohort(&c.model, ds))?;
        }
    }
    Ok(())
}

// ----- examples ----------------------------------------------------------------------------------

#[test]
fn examples_check_without_errors() {
    let books = examples();
    for b in &books {
        println!("{}: {} scored indicators", b.name(), claims_of(b).len());
    }
}

/// Whether the properties ran with enough cases for per-indicator coverage to be expected.
fn enough_cases() -> bool {
    cases() >= 64
}

#[test]
fn example_scores_stay_within_proved_bounds() {
    let start = Instant::now();
    let mut rulebooks = 0;
    for book in examples() {
        let claims = claims_of(&book);
        if claims.is_empty() {
            // A plan: nothing scored.
            continue;
        }
        rulebooks += 1;
        let mut stats = Stats::default();
        for c in claims {
            let stats_cell = std::cell::RefCell::new(Stats::default());
            run(&format!("{} {}", book.name(), c.id), cases(), vec(any::<u32>(), 0..48), |tape| {
                let mut t = Tape::new(&tape);
                report(check_indicator(book.env(), &c, &mut t, false, &mut stats_cell.borrow_mut()))
            });
            let s = stats_cell.into_inner();
            if enough_cases() {
                assert!(s.samples > 0, "{} {}: no admissible sample in {} cases", book.name(), c.id, cases());
                let missed: Vec<String> = (0..c.model.boundaries.len())
                    .filter(|k| !s.thresholds_hit.contains(k))
                    .map(|k| c.model.boundaries[k].describe())
                    .collect();
                assert!(
                    missed.is_empty(),
                    "{} {}: no admissible sample landed exactly on {} in {} cases",
                    book.name(),
                    c.id,
                    missed.join(", "),
                    cases()
                );
            }
            add(&mut stats, &s);
        }
        println!("{}: {}", book.name(), stats.summary());
        assert!(stats.samples > 0 && stats.scored > 0, "{}: no sample was scored", book.name());
        assert!(
            stats.cap_checked > 0,
            "{}: no proved cap was checked (does the checker still prove caps?)",
            book.name()
        );
        if book.text.contains("when ") {
            assert!(stats.boundary_samples > 0, "{}: no sample on a `when` threshold", book.name());
        }
    }
    assert!(rulebooks > 0, "no example rulebook has a scored indicator");
    println!("bounds on examples: {:.1}s", start.elapsed().as_secs_f64());
}

#[test]
fn example_scores_move_the_proved_way() {
    let start = Instant::now();
    for book in examples() {
        let mut stats = Stats::default();
        let claims = claims_of(&book);
        // Inputs with a direction: the checker owes a verdict on each.
        let directional: usize = claims.iter().map(|c| c.analysis.monotone.len()).sum();
        let proved: usize = claims.iter().map(|c| c.proved_monotone().len()).sum();
        for c in claims.into_iter().filter(|c| !c.proved_monotone().is_empty()) {
            let stats_cell = std::cell::RefCell::new(Stats::default());
            run(&format!("{} {}", book.name(), c.id), cases(), vec(any::<u32>(), 0..64), |tape| {
                let mut t = Tape::new(&tape);
                report(check_indicator(book.env(), &c, &mut t, true, &mut stats_cell.borrow_mut()))
            });
            let s = stats_cell.into_inner();
            if enough_cases() {
                let unpaired: Vec<String> =
                    c.proved_monotone().into_iter().map(|(n, _)| n).filter(|n| !s.paired.contains(n)).collect();
                assert!(
                    unpaired.is_empty(),
                    "{} {}: no pair of values tested the proved monotonicity of {} in {} cases",
                    book.name(),
                    c.id,
                    unpaired.join(", "),
                    cases()
                );
            }
            add(&mut stats, &s);
        }
        println!("{}: {directional} directional inputs, {proved} proved monotone; {}", book.name(), stats.summary());
        if directional > 0 {
            assert!(
                stats.pairs > 0,
                "{}: {directional} inputs have a direction but no pair was checked ({proved} proved monotone): \
                 did the checker stop proving monotonicity?",
                book.name()
            );
        }
    }
    println!("monotonicity on examples: {:.1}s", start.elapsed().as_secs_f64());
}

#[test]
fn example_witnesses_reproduce() {
    let mut total = 0;
    for book in examples() {
        let mut stats = Stats::default();
        for c in claims_of(&book) {
            report(check_witnesses(book.env(), &c, &mut stats)).unwrap_or_else(|e| panic!("{}: {e}", book.name()));
        }
        println!("{}: {} witnesses reproduced", book.name(), stats.witnesses);
        total += stats.witnesses;
    }
    // DTI has four (W0504 on 3.6, 3.7, 4.9, 4.10; pinned in dti_verdicts.rs).
    assert!(total > 0, "no example has a refuted claim whose witness could be checked");
}

#[test]
fn example_cohorts_stay_within_bounds() {
    let start = Instant::now();
    for book in examples() {
        let claims = claims_of(&book);
        if claims.is_empty() {
            continue;
        }
        let models: Vec<Model> = {
            let mut v = Vec::new();
            for_each_indicator(&book.parse.file, &mut |ind| v.push(Model::new(book.env(), ind)));
            v.into_iter().filter(|m| m.scored).collect()
        };
        let stats_cell = std::cell::RefCell::new(Stats::default());
        // A whole rulebook per case: fewer cases, each much larger (30 units × every indicator).
        run(&book.name(), (cases() / 8).max(1), (1usize..=30, any::<u64>()), |(units, seed)| {
            let ds = gen::gen_cohort(&models, &mut Tape::seeded(&[], seed), units);
            report(check_cohort(&book, &claims, &ds, &mut stats_cell.borrow_mut()))
        });
        // Cohort indicators on their own, with many more cohorts.
        let cohort_claims: Vec<&Claims> = claims.iter().filter(|c| c.model.cohort).collect();
        for c in &cohort_claims {
            let n = (cases() / 2).max(1);
            run(&format!("{} {}", book.name(), c.id), n, (1usize..=30, any::<u64>()), |(units, seed)| {
                let mut t = Tape::seeded(&[], seed);
                let ds = single_cohort(c, &mut t, units);
                let mut stats = stats_cell.borrow_mut();
                report(check_single_cohort(book.env(), c, &ds, &mut stats))?;
                report(check_cohort_monotone(book.env(), c, &ds, &mut t, &mut stats))
            });
        }
        let stats = stats_cell.into_inner();
        println!("{}: cohort units {}, cohort pairs {}", book.name(), stats.cohort_units, stats.pairs);
        assert!(stats.cohort_units > 0, "{}: no unit of a cohort was checked", book.name());
        if cohort_claims.iter().any(|c| !c.analysis.monotone.is_empty()) {
            assert!(
                stats.pairs > 0,
                "{}: cohort indicators have inputs with a direction but no cohort pair was checked",
                book.name()
            );
        }
    }
    println!("cohorts on examples: {:.1}s", start.elapsed().as_secs_f64());
}

fn add(a: &mut Stats, b: &Stats) {
    a.samples += b.samples;
    a.inadmissible += b.inadmissible;
    a.scored += b.scored;
    a.not_evaluable += b.not_evaluable;
    a.cap_checked += b.cap_checked;
    a.pairs += b.pairs;
    a.witnesses += b.witnesses;
    a.boundary_samples += b.boundary_samples;
    a.cohort_units += b.cohort_units;
}

// ----- random rulebooks --------------------------------------------------------------------------

/// Parses and checks a generated rulebook; a parse or checker error is a generator or checker bug.
fn generated_book(text: String) -> Result<Book, TestCaseError> {
    let (parse, checked) = analyze(&text);
    if checked.has_errors() {
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        return Err(TestCaseError::fail(format!(
            "a generated rulebook does not check:\n{text}\n{}",
            render_diagnostics(&text, &errors)
        )));
    }
    Ok(Book { path: PathBuf::from("generated.chiso"), text, parse, checked })
}

#[test]
fn generated_rulebooks_agree_with_the_interpreter() {
    let start = Instant::now();
    let stats_cell = std::cell::RefCell::new(Stats::default());
    let (proved_caps, proved_monotone) = (AtomicUsize::new(0), AtomicUsize::new(0));
    run("generated rulebooks", cases(), (vec(any::<u32>(), 0..600), any::<u64>(), 1usize..=12), |(prog, seed, n)| {
        let text = gen::gen_rulebook(&mut Tape::new(&prog));
        let book = generated_book(text)?;
        let claims = claims_of(&book);
        let env = book.env();
        let mut t = Tape::seeded(&[], seed);
        let mut stats = stats_cell.borrow_mut();
        for c in &claims {
            proved_caps.fetch_add(usize::from(c.analysis.cap == Verdict::Proved), Ordering::Relaxed);
            proved_monotone.fetch_add(c.proved_monotone().len(), Ordering::Relaxed);
            report(check_witnesses(env, c, &mut stats))?;
            for _ in 0..n {
                report(check_indicator(env, c, &mut t, true, &mut stats))?;
            }
            if c.model.cohort {
                let units = 1 + t.below(30);
                let ds = single_cohort(c, &mut t, units);
                report(check_single_cohort(env, c, &ds, &mut stats))?;
                report(check_cohort_monotone(env, c, &ds, &mut t, &mut stats))?;
            }
        }
        let models: Vec<Model> = claims.iter().map(|c| c.model.clone()).collect();
        let units = 1 + t.below(8);
        let ds = gen::gen_cohort(&models, &mut t, units);
        report(check_cohort(&book, &claims, &ds, &mut stats))?;
        Ok(())
    });
    let stats = stats_cell.into_inner();
    let (caps, monotone) = (proved_caps.into_inner(), proved_monotone.into_inner());
    println!(
        "generated rulebooks: {}; proved caps {caps}, proved monotone inputs {monotone}; {:.1}s",
        stats.summary(),
        start.elapsed().as_secs_f64()
    );
    // Each case is a whole rulebook of several indicators, so even a short run checks all of
    // these; zero means the checker (or a generator) stopped doing its part.
    assert!(stats.samples > 0 && stats.scored > 0, "no generated sample was scored");
    assert!(caps > 0 && stats.cap_checked > 0, "the checker proved no cap on {} generated rulebooks", cases());
    assert!(
        monotone > 0 && stats.pairs > 0,
        "the checker proved no monotonicity on {} generated rulebooks ({} pairs checked)",
        cases(),
        stats.pairs
    );
    assert!(stats.cohort_units > 0, "no unit of a generated cohort was checked");
    if enough_cases() {
        assert!(stats.witnesses > 0, "no refuted claim's witness was checked in {} generated rulebooks", cases());
        assert!(stats.boundary_samples > 0, "no generated sample landed on a `when` threshold");
    }
}

// ----- formatting --------------------------------------------------------------------------------

/// `chiso fmt` keeps the tree and the comments, and is a fixed point.
fn check_format(name: &str, text: &str) -> Result<(), String> {
    let parse = chiso::parse(text);
    let Some(formatted) = chiso::syntax::print::format(text, &parse) else {
        return Err(format!("{name}: not formatted although it has no syntax errors"));
    };
    let reparsed = chiso::parse(&formatted);
    if !reparsed.errors.is_empty() {
        return Err(format!(
            "{name}: the formatted text has syntax errors:\n{}\n--- formatted ---\n{formatted}",
            render_diagnostics(&formatted, &reparsed.errors)
        ));
    }
    if gen::tree_without_spans(&parse.file) != gen::tree_without_spans(&reparsed.file) {
        return Err(format!(
            "{name}: formatting changed the syntax tree\n--- before ---\n{text}\n--- after ---\n{formatted}"
        ));
    }
    if gen::comment_texts(text, &parse) != gen::comment_texts(&formatted, &reparsed) {
        return Err(format!("{name}: formatting lost or changed comments\n--- after ---\n{formatted}"));
    }
    let again = chiso::syntax::print::format(&formatted, &reparsed).unwrap_or_default();
    if again != formatted {
        return Err(format!(
            "{name}: formatting is not a fixed point\n--- once ---\n{formatted}\n--- twice ---\n{again}"
        ));
    }
    Ok(())
}

#[test]
fn formatting_round_trips_on_every_repository_file() {
    let mut files = chiso_files(&root().join("examples"));
    files.extend(chiso_files(&root().join("stdlib")));
    let corpus = chiso_files(&root().join("tests/corpus"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for (path, may_be_broken) in files.iter().map(|p| (p, false)).chain(corpus.iter().map(|p| (p, true))) {
        let text = std::fs::read_to_string(path).unwrap();
        let parse = chiso::parse(&text);
        if !parse.errors.is_empty() {
            assert!(may_be_broken, "{} has syntax errors", path.display());
            continue;
        }
        checked += 1;
        if let Err(e) = check_format(&path.display().to_string(), &text) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    println!("{checked} files format to the same tree, keep their comments and are fixed points");
}

#[test]
fn formatting_round_trips_on_generated_rulebooks() {
    run("formatting generated rulebooks", cases(), vec(any::<u32>(), 0..600), |prog| {
        let text = gen::gen_rulebook(&mut Tape::new(&prog));
        check_format("generated", &text).map_err(TestCaseError::fail)
    });
}

/// BUG 6 (tests/KNOWN-BUGS.md): passes while the bug is there; fails, saying so, once it is fixed.
#[test]
fn known_bug_6_a_cohort_call_reached_only_under_real_values_is_not_collected() {
    let rulebook = "agency S \"Sở\"\n\
                    indicator 1 \"X\" {\n  max 10\n  owner S\n  input a: count \"a\"\n  \
                    score = when minmax(5) {\n    >= 1 => minmax(a) * max,\n    else => 0,\n  }\n}\n";
    let (parse, checked) = analyze(rulebook);
    assert!(!checked.has_errors(), "{}", render_diagnostics(rulebook, &checked.diagnostics));
    let csv = "unit,indicator,input,value\nP1,1,a,1\nP2,1,a,3\n";
    let (ds, diags) = data::load(csv, Format::Csv, &checked.env, Some(Locale::En));
    assert!(diags.is_empty(), "{}", render_diagnostics(csv, &diags));
    let results = eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &ds);
    let first = &results.units[0].indicators[0];
    assert_ne!(
        first.status,
        Status::Scored,
        "BUG 6 is fixed: the indicator is scored. Make this an ordinary test of the score and remove BUG 6 \
         from tests/KNOWN-BUGS.md and KNOWN_BUGS"
    );
    assert!(first.reason.as_deref().unwrap_or("").contains("no unit of the cohort"), "{first:?}");
}
