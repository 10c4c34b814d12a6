//! Differential property test of the fast evaluation paths: the compiled evaluator
//! (`engine::compile(…).scores`, what `chiso eval` and `Workspace::evaluate` run) and
//! `eval::scores` (the tree-walker without explanation steps) against `eval::evaluate` (the
//! reference, with every step), on random
//! rulebooks (`gen::gen_rulebook`) and on the example rulebooks, with random cohorts whose data
//! includes values exactly at `when` thresholds, huge and tiny numbers, zeros (so zero
//! denominators), missing inputs and tied units. Every field of every result must be equal; only
//! the explanation steps differ, and they must be empty on the fast path.
//!
//! Case counts come from `PROPTEST_CASES` (default 256), as in `properties.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chiso::data::{Columns, Dataset};
use chiso::engine;
use chiso::eval::{self, Results, Value};
use chiso::num::Num;
use chiso_tests::gen::{self, Model, Tape};
use chiso_tests::{analyze, chiso_files, root};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// A number far outside any declared domain: huge, tiny, zero, or the negation of one.
fn extreme(t: &mut Tape) -> Num {
    let ten = Num::from_i64(10);
    let pow = |k: usize| (0..k).fold(Num::one(), |a, _| a.mul(&ten));
    let v = match t.below(6) {
        0 => Num::zero(),
        1 => pow(18 + t.below(22)).add(&Num::from_i64(t.below(1000) as i64)),
        2 => Num::one().div_exact(&pow(10 + t.below(30))).unwrap(),
        3 => Num::from_i64(i64::MAX - t.below(3) as i64),
        4 => Num::ratio(t.next_u32() as i64 + 1, i64::MAX).unwrap(),
        _ => Num::from_i64(i64::MIN + t.below(3) as i64),
    };
    if t.chance(20) {
        v.neg()
    } else {
        v
    }
}

/// `gen::gen_cohort`'s cohort, with some numbers made extreme, some inputs dropped, and some
/// units copied (ties in every cohort function).
fn cohort(models: &[Model], t: &mut Tape) -> Dataset {
    let units = 1 + t.below(12);
    let mut ds = gen::gen_cohort(models, t, units);
    for u in &mut ds.units {
        for inputs in u.values.values_mut() {
            let names: Vec<String> = inputs.keys().cloned().collect();
            for n in names {
                if t.chance(5) {
                    inputs.remove(&n);
                } else if matches!(inputs.get(&n), Some(Value::Num(_))) && t.chance(10) {
                    inputs.insert(n, Value::Num(extreme(t)));
                }
            }
        }
    }
    let copies: Vec<_> = ds.units.iter().filter(|_| t.chance(25)).cloned().collect();
    for (k, mut c) in copies.into_iter().enumerate() {
        c.id = format!("{}-tie{k}", c.id);
        ds.units.push(c);
    }
    ds
}

fn compare(text: &str, fast: &Results, reference: &Results) -> Result<(), TestCaseError> {
    let mut stripped = reference.clone();
    for u in &mut stripped.units {
        for i in &mut u.indicators {
            i.trace.clear();
        }
    }
    if *fast != stripped {
        for (f, r) in fast.units.iter().zip(&stripped.units) {
            if f != r {
                return Err(TestCaseError::fail(format!(
                    "fast path differs:\n{text}\nfast: {f:#?}\nreference: {r:#?}"
                )));
            }
        }
        return Err(TestCaseError::fail(format!("fast path differs:\n{text}")));
    }
    Ok(())
}

/// The compiled evaluator's scores; a checked rulebook leaves nothing to the tree-walker.
fn compiled(parse: &chiso::syntax::Parse, checked: &chiso::Checked, ds: &Dataset) -> Results {
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    assert_eq!(program.fallbacks(), Vec::<&str>::new());
    program.scores(ds)
}

/// The data held by column gives back every value (huge, tiny and odd ones from the side table
/// included), and the compiled evaluator scores it as the reference scores the rows, both in one
/// piece and streamed unit by unit.
fn by_column(
    text: &str,
    parse: &chiso::syntax::Parse,
    checked: &chiso::Checked,
    ds: &Dataset,
) -> Result<(), TestCaseError> {
    let columns = Columns::from_dataset(ds);
    let rows = columns.to_dataset();
    // The loader never leaves an indicator with no value (the generator's dropped inputs can).
    let mut expected = ds.clone();
    for u in &mut expected.units {
        u.values.retain(|_, v| !v.is_empty());
    }
    prop_assert_eq!(&rows, &expected);
    let reference = eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &rows);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    let whole = program.scores_columns(&columns);
    compare(text, &whole, &reference)?;
    let mut streamed = Vec::new();
    program.for_each(&columns, &mut |u| streamed.push(u));
    prop_assert_eq!(&streamed, &whole.units);
    // The `assume` check screened by the filter gives the tree-walker's diagnostics.
    let lowered = chiso::sema::Lowered::lower(&parse.file, &checked.env);
    prop_assert_eq!(
        engine::assume_diagnostics(&lowered, &columns, ""),
        eval::assume::diagnostics(&lowered, &rows, ""),
        "the screened assume check differs:\n{}",
        text
    );
    // The float filter: every number written is the exact result's rounding.
    for digits in [0, 2, 6, 12] {
        let mut filtered = Vec::new();
        let (mut without_indicators, mut unranked, mut sums_lines) = (Vec::new(), Vec::new(), Vec::new());
        program.for_each_rounded(&columns, digits, &mut |u| {
            filtered.push(rounded_text(u));
            sums_lines.push(sums_line(u));
            without_indicators.push(rounded_text(&engine::RoundedUnit { indicators: Vec::new(), ..u.clone() }));
            unranked.push(rounded_text(&engine::RoundedUnit { indicators: Vec::new(), rank: 0, ..u.clone() }));
        });
        let exact: Vec<String> = whole.units.iter().map(|u| exact_text(u, digits)).collect();
        for (f, e) in filtered.iter().zip(&exact) {
            prop_assert_eq!(f, e, "float filter differs at {} digits:\n{}", digits, text);
        }
        prop_assert_eq!(filtered.len(), exact.len());
        // Totals only: the same pillars, totals, indexes and ranks.
        let mut totals = Vec::new();
        program.for_each_rounded_with(&columns, digits, engine::Detail::Totals, &mut |u| totals.push(rounded_text(u)));
        prop_assert_eq!(&totals, &without_indicators, "totals differ at {} digits:\n{}", digits, text);
        // The same without the ranking pass's batches kept (as for a large cohort): written
        // from each unit's kept sums, or, where the filter left one to the exact path, from its
        // batch computed again (kept, its results are written from them).
        let mut unkept = Vec::new();
        let stats =
            program.rounded(&columns, digits, false, engine::Detail::Totals, &mut |u| unkept.push(rounded_text(u)));
        prop_assert_eq!(&unkept, &without_indicators, "unkept totals differ at {} digits:\n{}", digits, text);
        // Unranked sums: the same, each rank 0.
        let mut sums = Vec::new();
        program.for_each_rounded_with(&columns, digits, engine::Detail::Sums, &mut |u| sums.push(rounded_text(u)));
        prop_assert_eq!(&sums, &unranked, "unranked sums differ at {} digits:\n{}", digits, text);
        // The same sums as roundings to write later.
        let (lines, written) = sum_lines(&program, &columns, digits);
        prop_assert_eq!(&lines, &sums_lines, "sums as roundings differ at {} digits:\n{}", digits, text);
        prop_assert!(written <= lines.len());
        // Every (unit, indicator) result is counted, however the units were written.
        let indicators = whole.units.first().map_or(0, |u| u.indicators.len());
        prop_assert_eq!(stats.lanes, whole.units.len() * indicators);
    }
    // Points and the index to different decimals (the table's): each the exact value's rounding,
    // scorecards and totals alike, kept or not.
    let table = engine::Digits { points: 2, index: 4 };
    let exact: Vec<String> = whole.units.iter().map(|u| exact_text_at(u, table)).collect();
    let without = |text: &String| {
        text.lines().filter(|l| !l.starts_with("  ") || l.starts_with("  pillar")).collect::<Vec<_>>().join("\n")
    };
    for (detail, keep) in
        [(engine::Detail::Scorecard, true), (engine::Detail::Totals, true), (engine::Detail::Totals, false)]
    {
        let mut filtered = Vec::new();
        program.rounded(&columns, table, keep, detail, &mut |u| filtered.push(rounded_text(u)));
        let expected: Vec<String> = match detail {
            engine::Detail::Scorecard => exact.clone(),
            _ => exact.iter().map(without).map(|t| t + "\n").collect(),
        };
        prop_assert_eq!(
            &filtered,
            &expected,
            "points to 2 and the index to 4 decimals differ ({:?}):\n{}",
            detail,
            text
        );
    }
    Ok(())
}

/// Every scorecard the float filter writes at `digits` decimals, checked to be the exact
/// scorecard's rounding unit by unit (a large cohort's difference stays readable).
fn filtered_exactly(program: &engine::Program, columns: &Columns, whole: &Results, digits: u32) -> engine::FilterStats {
    let mut filtered = Vec::new();
    let stats = program.for_each_rounded(columns, digits, &mut |u| filtered.push(rounded_text(u)));
    assert_eq!(filtered.len(), whole.units.len(), "at {digits} digits");
    for (f, u) in filtered.iter().zip(&whole.units) {
        assert_eq!(*f, exact_text(u, digits), "at {digits} digits");
    }
    stats
}

/// Each unit's pillars, total and index from [`engine::Program::for_each_sum`], its roundings
/// written as `write_rounded` writes them (`-` for no index), and how many units the exact
/// path wrote; units must come in order.
fn sum_lines(program: &engine::Program, columns: &Columns, digits: u32) -> (Vec<String>, usize) {
    let (mut lines, mut written) = (Vec::new(), 0);
    program.for_each_sum(columns, digits, &mut |u, row| {
        assert_eq!(u, lines.len(), "units in order");
        lines.push(match row {
            engine::SumRow::Rounded(values) => values
                .iter()
                .map(|k| match *k {
                    engine::NO_INDEX => "-".to_string(),
                    k => {
                        let mut text = String::new();
                        engine::write_rounded(k, digits, &mut text);
                        text
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
            engine::SumRow::Written(u) => {
                written += 1;
                sums_line(u)
            }
        });
    });
    (lines, written)
}

/// The pillars, total and index of a rounded unit (`-` for no index).
fn sums_line(u: &engine::RoundedUnit) -> String {
    let mut fields: Vec<&str> = u.pillars.iter().map(|p| p.score.as_str()).collect();
    fields.push(&u.total);
    fields.push(u.index.as_deref().unwrap_or("-"));
    fields.join(",")
}

/// Every field of a rounded scorecard, one line each.
fn rounded_text(u: &engine::RoundedUnit) -> String {
    let mut out = format!(
        "{} rank {} total {} complete {} index {:?} errors {:?}\n",
        u.id, u.rank, u.total, u.complete, u.index, u.errors
    );
    for i in &u.indicators {
        let score = i.scored.then_some(i.score.as_str());
        let status = i.status.as_ref().map(|s| s.as_str());
        out += &format!(
            "  {} {:?} {:?} max {} raw {:?} reason {:?} contradicted {:?} error {}\n",
            i.id,
            status,
            score,
            i.max,
            i.raw,
            i.reason,
            i.contradicted.as_deref(),
            i.error
        );
    }
    for p in &u.pillars {
        out += &format!("  pillar {} {} max {} complete {}\n", p.id, p.score, p.max, p.complete);
    }
    out
}

/// [`rounded_text`] of an exact scorecard.
fn exact_text(u: &eval::UnitResult, digits: u32) -> String {
    exact_text_at(u, digits.into())
}

/// [`exact_text`], the index to its own decimals.
fn exact_text_at(u: &eval::UnitResult, digits: engine::Digits) -> String {
    let d = |n: &Num| n.to_decimal_string(digits.points);
    let errors: Vec<&str> = u.indicators.iter().filter(|i| i.error).map(|i| i.id.as_str()).collect();
    let mut out = format!(
        "{} rank {} total {} complete {} index {:?} errors {:?}\n",
        u.id,
        u.rank,
        d(&u.total),
        u.complete,
        u.index.as_ref().map(|i| i.to_decimal_string(digits.index)),
        errors
    );
    for i in &u.indicators {
        let score = i.score.as_ref().map(d);
        out += &format!(
            "  {} {:?} {:?} max {} raw {:?} reason {:?} contradicted {:?} error {}\n",
            i.id,
            Some(i.status.as_str()),
            score.as_deref(),
            d(&i.max),
            i.raw_score.as_ref().map(d),
            i.reason,
            i.contradicted.as_deref(),
            i.error
        );
    }
    for p in &u.pillars {
        out += &format!("  pillar {} {} max {} complete {}\n", p.id, d(&p.score), d(&p.max), p.complete);
    }
    out
}

fn run(name: &str, test: impl Fn((Vec<u32>, u64)) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    match runner.run(&(vec(any::<u32>(), 0..600), any::<u64>()), test) {
        Ok(()) => {}
        Err(TestError::Fail(why, value)) => panic!("{name}: {why}\nminimal failing input: {value:?}"),
        Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
    }
}

fn models(parse: &chiso::syntax::Parse, checked: &chiso::Checked) -> Vec<Model> {
    let mut models = Vec::new();
    chiso::sema::for_each_indicator(&parse.file, &mut |i| models.push(Model::new(&checked.env, i)));
    models
}

#[test]
fn fast_scores_agree_with_the_reference_on_generated_rulebooks() {
    run("generated rulebooks", |(prog, seed)| {
        let text = gen::gen_rulebook(&mut Tape::new(&prog));
        let (parse, checked) = analyze(&text);
        prop_assume!(!checked.has_errors());
        let ds = cohort(&models(&parse, &checked), &mut Tape::seeded(&[], seed));
        let reference = eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &ds);
        compare(&text, &eval::scores(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &ds), &reference)?;
        compare(&text, &compiled(&parse, &checked, &ds), &reference)?;
        by_column(&text, &parse, &checked, &ds)
    });
}

#[test]
fn fast_scores_agree_with_the_reference_on_the_examples() {
    let books: Vec<(String, chiso::syntax::Parse, chiso::Checked)> = chiso_files(&root().join("examples"))
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let (parse, checked) = analyze(&text);
            (text, parse, checked)
        })
        .filter(|(_, _, c)| !c.has_errors() && !c.env.indicators.is_empty())
        .collect();
    assert!(!books.is_empty(), "no example rulebook");
    run("examples", |(prog, seed)| {
        let (text, parse, checked) = &books[prog.first().copied().unwrap_or(0) as usize % books.len()];
        let ds = cohort(&models(parse, checked), &mut Tape::seeded(&prog, seed));
        let reference = eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &ds);
        compare(text, &eval::scores(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &ds), &reference)?;
        compare(text, &compiled(parse, checked, &ds), &reference)?;
        by_column(text, parse, checked, &ds)
    });
}

/// The float filter on the values it must not get wrong: data exactly at `when` thresholds
/// (80% on `>= 80%`), halves at every rounding precision (`0.125` at 2 decimals), `0.1 + 0.2`
/// against `0.3`, `1/3 * 3`, 2^53 + 1, huge and tiny numbers, a zero divisor, missing data and
/// units tied in a cohort. Each is written as the exact result's rounding, and clean data stays
/// on the fast path (the counter of results sent to the exact path).
#[test]
fn the_float_filter_writes_exact_roundings_at_the_edges() {
    let text = r#"rulebook "Edges" {
  index = total / 3
}

agency A "A"

pillar P "P" max 260 {
  indicator 1 "threshold" {
    max 10
    owner A
    input a: count "a"
    input b: count "b"
    let r = a / b
    score = when r {
      >= 80% => max,
      >= 30% => r / 80% * max,
      else => 0,
    }
  }
  indicator 2 "value as is" {
    max 100
    owner A
    input x: number "x"
    score = x
  }
  indicator 3 "sums and thirds" {
    max 100
    owner A
    input x: number "x"
    score = if x / 10 + 2 / 10 == 3 / 10 then 1 / 3 * 3 else x / 3
  }
  indicator 4 "cohort" {
    max 50
    owner A
    input a: count "a"
    score = minmax(a) * max
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let num = |s: &str| Value::Num(Num::parse_decimal(s).unwrap());
    let rows: &[(&str, &str, &str, &str, &str, &str)] = &[
        // unit, 1.a, 1.b, 2.x, 3.x, 4.a
        ("U1", "80", "100", "0.125", "1", "5"),
        ("U2", "4", "5", "2.345", "0.1", "5"),
        ("U3", "3", "10", "-0.125", "3", "7"),
        ("U4", "79999", "100000", "9007199254740993", "0.5", "0"),
        ("U5", "1", "0", "0.0000000000000000001", "0.3", "7"),
        ("U6", "", "", "123456789012345678.5", "", ""),
        ("U7", "2", "3", "0.005", "0.015", "5"),
    ];
    let mut ds = Dataset::default();
    for (id, a, b, x2, x3, a4) in rows {
        let mut u = chiso::data::UnitData { id: id.to_string(), values: Default::default() };
        for (ind, input, v) in [("1", "a", a), ("1", "b", b), ("2", "x", x2), ("3", "x", x3), ("4", "a", a4)] {
            if !v.is_empty() {
                u.values.entry(ind.to_string()).or_default().insert(input.to_string(), num(v));
            }
        }
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    let whole = program.scores_columns(&columns);
    for digits in 0..=4 {
        let stats = filtered_exactly(&program, &columns, &whole, digits);
        assert!(stats.exact > 0 && stats.exact < stats.lanes, "{stats:?}");
        // The unranked sums (bounded programs natively): a zero divisor, missing data, values
        // past 2^53 and below 10^-18, thresholds met exactly.
        let mut reference = Vec::new();
        program.for_each_rounded(&columns, digits, &mut |u| reference.push(sums_line(u)));
        assert_eq!(sum_lines(&program, &columns, digits).0, reference, "at {digits} digits");
    }
    // Clean data: nothing at a threshold, no tie, no missing value.
    let mut clean = Dataset::default();
    for k in 0..50 {
        let mut u = chiso::data::UnitData { id: format!("C{k}"), values: Default::default() };
        for (ind, input, v) in
            [("1", "a", 31 + k), ("1", "b", 97), ("2", "x", 3 * k + 1), ("3", "x", 7 + k), ("4", "a", k)]
        {
            u.values.entry(ind.to_string()).or_default().insert(input.to_string(), Value::Num(Num::from_i64(v)));
        }
        clean.units.push(u);
    }
    let columns = Columns::from_dataset(&clean);
    let whole = program.scores_columns(&columns);
    let mut filtered = Vec::new();
    let stats = program.for_each_rounded(&columns, 2, &mut |u| filtered.push(rounded_text(u)));
    let exact: Vec<String> = whole.units.iter().map(|u| exact_text(u, 2)).collect();
    assert_eq!(filtered, exact);
    assert_eq!(stats.lanes, 200);
    assert!(stats.exact <= 4, "clean data should stay on the fast path: {stats:?}");
}

/// Units whose cohort argument is exactly the cohort's minimum or maximum (1/3 and 2/6, 2/3
/// and 4/6: ratios no double holds) get `minmax` 0 and 1 and `relative_to_best` 1 exactly on the
/// fast path: an enclosure of `x - min` straddles 0, so without the filter knowing the tie every
/// such unit would be scored again exactly (a third of a cohort with repeated profiles).
#[test]
fn ties_with_a_cohort_extreme_stay_on_the_fast_path() {
    let text = r#"rulebook "Ties" {}

agency A "A"

pillar P "P" max 30 {
  indicator 1 "minmax" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    score = minmax(a / b) * max
  }
  indicator 2 "best" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    score = relative_to_best(a / b) * max
  }
  indicator 3 "distinct totals" {
    max 10
    owner A
    input c: count "c"
    score = min(c * 1 pt, max)
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut ds = Dataset::default();
    for (k, (a, b)) in [(1, 3), (2, 6), (2, 3), (4, 6), (1, 2), (3, 9)].into_iter().enumerate() {
        let mut u = chiso::data::UnitData { id: format!("U{k}"), values: Default::default() };
        for ind in ["1", "2"] {
            let v = u.values.entry(ind.to_string()).or_default();
            v.insert("a".into(), Value::Num(Num::from_i64(a)));
            v.insert("b".into(), Value::Num(Num::from_i64(b)));
        }
        u.values.entry("3".into()).or_default().insert("c".into(), Value::Num(Num::from_i64(k as i64)));
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    let whole = program.scores_columns(&columns);
    // Not 0 decimals: 7.5 points (3/4 of the best) is a rounding boundary there, rightly exact.
    for digits in [2, 6, 12] {
        let stats = filtered_exactly(&program, &columns, &whole, digits);
        assert_eq!(stats.exact, 0, "at {digits} digits: {stats:?}");
    }
}

/// A parent indicator with inputs and an `assume` of its own: the filter checks that assumption
/// with the parent's program (run for the parent, not left over from the sub-indicator before
/// it), so the marked scores are the exact evaluator's.
#[test]
fn a_parents_own_assume_is_checked_with_its_own_program() {
    let text = r#"rulebook "Parents" {}

agency A "A"

pillar P "P" max 10 {
  indicator 1 "parent" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    assume a <= b

    indicator 1.1 "sub" {
      max 10
      owner A
      input x: count "x"
      input y: count "y" positive
      assume x >= y
      score = min(x / y, 1) * max
    }
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut ds = Dataset::default();
    // (a, b, x, y): the parent's assumption holds or not, the sub's holds or not.
    for (k, (a, b, x, y)) in
        [(1, 2, 5, 4), (3, 2, 5, 4), (1, 2, 3, 4), (3, 2, 3, 4), (2, 2, 4, 4)].into_iter().enumerate()
    {
        let mut u = chiso::data::UnitData { id: format!("U{k}"), values: Default::default() };
        let parent = u.values.entry("1".into()).or_default();
        parent.insert("a".into(), Value::Num(Num::from_i64(a)));
        parent.insert("b".into(), Value::Num(Num::from_i64(b)));
        let sub = u.values.entry("1.1".into()).or_default();
        sub.insert("x".into(), Value::Num(Num::from_i64(x)));
        sub.insert("y".into(), Value::Num(Num::from_i64(y)));
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    let whole = program.scores_columns(&columns);
    let marked: Vec<_> =
        whole.units.iter().map(|u| u.indicators.iter().map(|i| i.contradicted.is_some()).collect::<Vec<_>>()).collect();
    assert_eq!(marked, [[false, false], [true, false], [false, true], [true, true], [false, false]]);
    for digits in [0, 6] {
        filtered_exactly(&program, &columns, &whole, digits);
    }
}

/// A cohort of several batches (the random cohorts above have at most 12 units, one batch): every
/// scorecard, rounded at several precisions, is the exact one. The data holds what the filter must
/// get right: ratios exactly at a threshold (4/5 against 80%), a = b (exactly `max`), 0, decimals
/// (2,5 exactly at a threshold, 0,1 not a double), differences of either sign, a `when` without
/// `else`, `assume`s some units contradict and some leave undecided (a missing input, 0,1 against
/// 0.1), and a cohort function with ties at both extremes across batches.
#[test]
fn a_cohort_of_several_batches_is_scored_exactly() {
    let text = r#"rulebook "Doubles" {}

agency A "A"

pillar P "P" max 70 {
  indicator 1 "capped ratio" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    assume a <= b
    score = a / b * max
  }
  indicator 2 "tiers without else" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    let r = a / b
    score = when r {
      >= 80% => max,
      < 80% => r / 80% * max,
    }
  }
  indicator 3 "decimal against a threshold" {
    max 10
    owner A
    input x: number "x"
    score = when x {
      >= 2.5 => max,
      >= 0.1 => x * 4,
      else => 0,
    }
  }
  indicator 4 "difference" {
    max 10
    owner A
    input x: number "x"
    input y: number "y"
    assume x >= 0.1
    score = max(min(x - y, max), 0)
  }
  indicator 5 "cohort" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    score = minmax(a / b) * max
  }
  indicator 6 "linear" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    score = min(a / b, 100%) * max
  }
  indicator 7 "exact sums" {
    max 10
    owner A
    input a: count "a"
    score = min(a * 1 pt, max)
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut ds = Dataset::default();
    for k in 0..1300i64 {
        let b = 1 + k % 25;
        // a = b, a at 4/5 of b, 0, and the rest spread up to b (one unit in 100 above it,
        // contradicting the `assume`).
        let a = match k % 7 {
            0 => b,
            1 => b * 4 / 5,
            2 => 0,
            _ if k % 100 == 3 => b + 1,
            _ => (k * 37) % (b + 1),
        };
        let x = match k % 5 {
            0 => Num::ratio(5, 2).unwrap(),
            1 => Num::ratio(1, 10).unwrap(),
            _ => Num::ratio((k * 13) % 400 - 50, 100).unwrap(),
        };
        let mut u = chiso::data::UnitData { id: format!("U{k:04}"), values: Default::default() };
        for ind in ["1", "2", "3", "4", "5", "6", "7"] {
            let v = u.values.entry(ind.to_string()).or_default();
            // One unit in 50 reports indicator 1 without `a`: its `assume` cannot be decided.
            if !(ind == "1" && k % 50 == 7) {
                v.insert("a".into(), Value::Num(Num::from_i64(a)));
            }
            v.insert("b".into(), Value::Num(Num::from_i64(b)));
            v.insert("x".into(), Value::Num(x.clone()));
            v.insert("y".into(), Value::Num(Num::ratio(a, 10).unwrap()));
        }
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    let whole = program.scores_columns(&columns);
    for digits in [0, 2, 6, 10] {
        let stats = filtered_exactly(&program, &columns, &whole, digits);
        assert!(!stats.all_exact, "at {digits} digits: {stats:?}");
        // Totals and ranks only, and unranked sums, with the ranking pass's batches kept and not:
        // the scorecards' figures (an `assume` contradicted or undecided in some lanes of a batch
        // of results not kept takes its own way there).
        let without = |u: &engine::RoundedUnit, rank: usize| {
            rounded_text(&engine::RoundedUnit { indicators: Vec::new(), rank, ..u.clone() })
        };
        let (mut totals, mut unranked, mut sums_lines) = (Vec::new(), Vec::new(), Vec::new());
        program.for_each_rounded(&columns, digits, &mut |u| {
            sums_lines.push(sums_line(u));
            totals.push(without(u, u.rank));
            unranked.push(without(u, 0));
        });
        let mut kept = Vec::new();
        program.for_each_rounded_with(&columns, digits, engine::Detail::Totals, &mut |u| kept.push(rounded_text(u)));
        assert_eq!(kept, totals, "totals at {digits} digits");
        let mut unkept = Vec::new();
        program.rounded(&columns, digits, false, engine::Detail::Totals, &mut |u| unkept.push(rounded_text(u)));
        assert_eq!(unkept, totals, "unkept totals at {digits} digits");
        let mut sums = Vec::new();
        program.for_each_rounded_with(&columns, digits, engine::Detail::Sums, &mut |u| sums.push(rounded_text(u)));
        assert_eq!(sums, unranked, "sums at {digits} digits");
        let (lines, _) = sum_lines(&program, &columns, digits);
        assert_eq!(lines, sums_lines, "sums as roundings at {digits} digits");
    }
}

/// A cohort large enough for the cohort pass to run in chunks on several threads (8,192 units a
/// chunk): every cohort function's aggregates, and so every score, are the exact ones. The
/// extremes tie across chunks (the top ratio in the first and last, the bottom in the second),
/// `relative_to_best` reads decimals that are not doubles (its best is then found exactly), and
/// `rank` sorts every unit.
#[test]
fn a_cohort_of_several_chunks_is_scored_exactly() {
    let text = r#"rulebook "Chunks" {}

agency A "A"

pillar P "P" max 30 {
  indicator 1 "minmax" {
    max 10
    owner A
    input a: count "a"
    input b: count "b" positive
    score = minmax(a / b) * max
  }
  indicator 2 "best" {
    max 10
    owner A
    input x: number "x"
    score = relative_to_best(x) * max
  }
  indicator 3 "rank" {
    max 10
    owner A
    input x: number "x"
    let r = rank(x)
    score = when r {
      <= 3 => max,
      else => 0,
    }
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let units = 20_000i64;
    let mut ds = Dataset::default();
    for k in 0..units {
        let b = 7 + k % 13;
        let a = match k {
            5 | 19_990 => 3 * b,
            9_000 | 17_000 => 0,
            _ => 1 + (k * 31) % (2 * b),
        };
        let x = match k {
            100 | 16_500 => Num::ratio(9_999, 10).unwrap(),
            _ => Num::ratio((k * 17) % 9_000 + 1, 10).unwrap(),
        };
        let mut u = chiso::data::UnitData { id: format!("U{k:05}"), values: Default::default() };
        for (ind, name, v) in
            [("1", "a", Num::from_i64(a)), ("1", "b", Num::from_i64(b)), ("2", "x", x.clone()), ("3", "x", x)]
        {
            u.values.entry(ind.to_string()).or_default().insert(name.into(), Value::Num(v));
        }
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    let whole = program.scores_columns(&columns);
    // Several threads even on a machine with one core (results never depend on how many).
    engine::set_threads(3);
    for digits in [0, 6] {
        filtered_exactly(&program, &columns, &whole, digits);
    }
}

/// The unranked sums run bounded programs natively (one error bound a register and batch):
/// a batch of zeros (a bound of 0, or the smallest), magnitudes near the doubles' limits (the
/// batch falls back to intervals), tiny values, zero divisors and ties with the cohort's
/// extremes all give the scorecards' figures, over several batches.
#[test]
fn bounded_sums_agree_at_the_edges_of_doubles() {
    let text = r#"rulebook "Bounds" {
  index = total / 3
}

agency A "A"

pillar P "P" max 300 {
  indicator 1 "quotient" {
    max 100
    owner A
    input a: number "a"
    input b: number "b"
    score = when a / b {
      >= 2 => max,
      else => a / b * 50,
    }
  }
  indicator 2 "product" {
    max 100
    owner A
    input x: number "x"
    input y: number "y"
    score = min(max(x * y - x + y, 0), max)
  }
  indicator 3 "cohort" {
    max 100
    owner A
    input x: number "x"
    score = minmax(x) * max
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let (tiny, huge) = (format!("0.{}1", "0".repeat(289)), format!("1{}", "0".repeat(299)));
    let minus_huge = format!("-{huge}");
    let values = [
        "0",
        "0",
        "1",
        "3",
        "0.1",
        tiny.as_str(),
        huge.as_str(),
        minus_huge.as_str(),
        "7",
        "2",
        "0.3",
        "123456789.123456789",
        "",
        "0.0000000000000000001",
    ];
    let mut ds = Dataset::default();
    for k in 0..1300usize {
        let mut u = chiso::data::UnitData { id: format!("U{k:04}"), values: Default::default() };
        // The first batch all zeros; the second a mix of ordinary and tiny values (bounded);
        // the third with values whose products pass the doubles' limits now and then.
        let pick = |j: usize| match k {
            0..512 => "0",
            512..1024 => [values[2], values[3], values[4], values[5], values[8], values[9], values[10], values[11]]
                [(k * 7 + j * 3) % 8],
            // One product past every double.
            1100 if j == 2 || j == 3 => values[6],
            _ => values[(k * 7 + j * 3) % values.len()],
        };
        for (j, (ind, input)) in [("1", "a"), ("1", "b"), ("2", "x"), ("2", "y"), ("3", "x")].into_iter().enumerate() {
            let v = pick(j);
            if let (false, Ok(n)) = (v.is_empty(), Num::parse_decimal(v)) {
                u.values.entry(ind.to_string()).or_default().insert(input.to_string(), Value::Num(n));
            }
        }
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    for digits in [0, 6, 10] {
        let mut reference = Vec::new();
        program.for_each_rounded(&columns, digits, &mut |u| reference.push(sums_line(u)));
        assert_eq!(reference.len(), 1300);
        assert_eq!(sum_lines(&program, &columns, digits).0, reference, "at {digits} digits");
    }
}

/// The unranked sums add bounded scores as points with one error bound a row: here beside rows
/// of enclosures in one pillar (a `round`, which runs with intervals; a parent, the sum of its
/// sub-indicators), with maxes that are not doubles (2.3, 0.1), and with sums exactly at a
/// rounding's half (0.05 at one decimal, 2.3 + 0.1 at none), which the bounds must leave to the
/// exact path. Each unit's sums are the scorecards' at every precision; the index, the total over
/// 100, is rounded as the total is two decimals fewer (from 2 decimals on).
#[test]
fn bounded_sums_beside_enclosures_agree_with_the_scorecards() {
    let text = r#"rulebook "Mixed" {
  index = total / 100
}

agency A "A"

pillar P "P" max 20 {
  indicator 1 "bounded, max not a double" {
    max 2.3
    owner A
    input a: number "a"
    score = min(a / 3, max)
  }
  indicator 2 "rounded" {
    max 5
    owner A
    input b: number "b"
    score = min(round(b / 7, 3), max)
  }
  indicator 3 "parent" {
    max 12.7
    owner A

    indicator 3.1 "sub" {
      max 6.35
      owner A
      input x: number "x"
      score = min(x * 0.15, max)
    }
    indicator 3.2 "sub" {
      max 6.35
      owner A
      input y: number "y"
      score = min(y / 9, max)
    }
  }
}

pillar Q "Q" max 1 {
  indicator 4 "tenths" {
    max 0.1
    owner A
    input c: number "c"
    score = min(c / 10, max)
  }
  indicator 5 "halves" {
    max 0.9
    owner A
    input d: number "d"
    score = min(d * 0.05, max)
  }
}
"#;
    let (parse, checked) = analyze(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut ds = Dataset::default();
    let values = ["0", "0.15", "1", "0.3", "6.9", "7", "100", "0.1", "3.5", "", "42.35", "0.05"];
    for k in 0..1500usize {
        let mut u = chiso::data::UnitData { id: format!("U{k:04}"), values: Default::default() };
        for (j, (ind, input)) in
            [("1", "a"), ("2", "b"), ("3.1", "x"), ("3.2", "y"), ("4", "c"), ("5", "d")].into_iter().enumerate()
        {
            let v = values[(k * (j + 3) + j * 5 + k / 7) % values.len()];
            if let (false, Ok(n)) = (v.is_empty(), Num::parse_decimal(v)) {
                u.values.entry(ind.to_string()).or_default().insert(input.to_string(), Value::Num(n));
            }
        }
        ds.units.push(u);
    }
    let columns = Columns::from_dataset(&ds);
    let program = engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
    for digits in [0, 1, 2, 6, 10] {
        let mut reference = Vec::new();
        program.for_each_rounded(&columns, digits, &mut |u| reference.push(sums_line(u)));
        assert_eq!(reference.len(), 1500);
        let (lines, written) = sum_lines(&program, &columns, digits);
        assert_eq!(lines, reference, "at {digits} digits");
        // Some units' sums lie at a rounding's half or miss an input: the exact path wrote them.
        assert!(written > 0 && written < 1500, "at {digits} digits: {written} written exactly");
    }
}
