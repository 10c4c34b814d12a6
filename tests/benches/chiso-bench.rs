//! The benchmark driver for Chiso (`bench/run.sh` builds and runs it; see `bench/README.md`).
//! Also `cargo bench -p chiso-tests --bench chiso-bench -- dti --units 10000`.
//!
//! `chiso-bench peers --rules R --input I --output O --repeat N` is Chiso in the peers' runner
//! protocol (`../shared/bench/peers/README.md`, "Adding an implementation"): it reads the peers'
//! wide CSV (`unit_id,a_0,b_0,…`, its header renamed), evaluates the rulebook N times timing only the evaluation, writes
//! `unit_id,pillar1..4,total,index` as shortest round-trip floats (the exact results rounded once
//! to the nearest double) and prints the `BENCH_JSON` line.
//!
//! `chiso-bench dti --units N --repeat R` scores the DTI 2022 example for N units (the six
//! provinces of `examples/dti-2022/data/cohort.csv` copied in turn, as `scripts/gen-dti-bench.py`
//! does) and `chiso-bench check --repeat R` times `chiso check` of that rulebook, in process; both
//! print one `BENCH_JSON` line with the timings in seconds.
//!
//! Figures only: nothing here asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chiso::data::{self, Format};
use chiso::engine::{Detail, SumRow};
use chiso::eval::UnitResult;
use chiso::Workspace;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn checked(name: &str, text: &str) -> (Workspace, chiso::Analysis) {
    let mut ws = Workspace::new(chiso_stdlib::functions());
    let file = ws.add_text(name, text);
    let analysis = ws.check_alone(file).unwrap_or_else(|r| panic!("{}", r.message(&ws)));
    let errors: Vec<_> = analysis.diagnostics().into_iter().filter(|d| d.diagnostic.is_error()).collect();
    assert!(errors.is_empty(), "{name} has errors: {errors:?}");
    (ws, analysis)
}

/// The peers' wide CSV as Chiso reads it: the workload declares each input's column (`input a:
/// count "a" column "a_7"`), so the file is read as it is but for the unit column's header,
/// `unit_id`, which is renamed in place (to `unit` and three spaces: headers are trimmed).
/// The yes/no and count indicators do not read the peers' `b` (always 1 there): those columns
/// name no input, and the reader skips them.
fn chiso_csv(mut bytes: Vec<u8>) -> String {
    if let Some(head) = bytes.get_mut(..7).filter(|h| *h == b"unit_id") {
        head.copy_from_slice(b"unit   ");
    }
    String::from_utf8(bytes).expect("the peers' data is UTF-8")
}

/// Each unit's pillar scores, total and index as text, in data order: through the float filter
/// (`engine::Program::for_each_rounded`, what `chiso eval --format csv` runs) rounded to
/// `digits` decimals (10 for the peers, `chiso eval`'s default for the DTI), exactly the exact results' rounding; with `CHISO_BENCH_EXACT` set, through the exact
/// compiled evaluator unit by unit (`for_each`), and with `CHISO_BENCH_TREE` through the
/// tree-walker (it holds every scorecard), those two written as the exact results rounded once
/// to the nearest double, for a before/after in one build. The filter's share of results sent to
/// the exact path is printed on stderr.
fn evaluate(analysis: &chiso::Analysis, data: &data::Columns, digits: u32, detail: Detail) -> String {
    let lowered = analysis.lowered();
    let mut out = String::with_capacity(data.len() * 64);
    let mut row = |u: &UnitResult| {
        for p in &u.pillars {
            write!(out, ",{:?}", p.score.to_f64()).unwrap();
        }
        write!(out, ",{:?}", u.total.to_f64()).unwrap();
        match &u.index {
            Some(i) => writeln!(out, ",{:?}", i.to_f64()).unwrap(),
            None => out.push_str(",nan\n"),
        }
    };
    if std::env::var_os("CHISO_BENCH_TREE").is_some() {
        chiso::eval::scores(&lowered, &data.to_dataset()).units.iter().for_each(&mut row);
    } else if std::env::var_os("CHISO_BENCH_EXACT").is_some() {
        chiso::engine::compile(&lowered).for_each(data, &mut |u| row(&u));
    } else {
        let t = Instant::now();
        let program = chiso::engine::compile(&lowered);
        let compiled = t.elapsed();
        let t = Instant::now();
        let stats = program.for_each_rounded_with(data, digits, detail, &mut |u| {
            push_sums(u, &mut out);
            out.push('\n');
        });
        eprintln!("chiso-bench: compile {:?}, score {:?}", compiled, t.elapsed());
        print_stats(&stats);
    }
    out
}

/// What the peers' evaluation leaves for writing.
enum Results {
    /// The output's rows but their unit ids (`CHISO_BENCH_TEXTS`, and the exact evaluators).
    Texts(String),
    Rounded(RoundedSums),
}

/// Every unit's pillars, total and index as the roundings of their exact values, `each` a unit,
/// and the rows of the units the exact path wrote, as texts.
struct RoundedSums {
    each: usize,
    values: Vec<i64>,
    written: Vec<(usize, String)>,
}

fn rounded_sums(analysis: &chiso::Analysis, data: &data::Columns, digits: u32) -> RoundedSums {
    let lowered = analysis.lowered();
    let program = chiso::engine::compile(&lowered);
    let each = program.pillar_count() + 2;
    let mut sums = RoundedSums { each, values: Vec::with_capacity(data.len() * each), written: Vec::new() };
    let t = Instant::now();
    let stats = program.for_each_sum(data, digits, &mut |u, row| match row {
        SumRow::Rounded(values) => sums.values.extend_from_slice(values),
        SumRow::Written(w) => {
            let mut text = String::new();
            push_sums(w, &mut text);
            sums.written.push((u, text));
            sums.values.resize(sums.values.len() + each, 0);
        }
    });
    eprintln!("chiso-bench: score {:?}", t.elapsed());
    print_stats(&stats);
    sums
}

/// `,pillar…,total,index` of a unit, as the peers write them (`nan` for no index).
fn push_sums(u: &chiso::engine::RoundedUnit, out: &mut String) {
    for p in &u.pillars {
        out.push(',');
        out.push_str(&p.score);
    }
    out.push(',');
    out.push_str(&u.total);
    out.push(',');
    out.push_str(u.index.as_deref().unwrap_or("nan"));
}

/// How many results the float filter left to the exact path, on stderr.
fn print_stats(stats: &chiso::engine::FilterStats) {
    eprintln!(
        "chiso-bench: {} exact evaluations for {} results ({:.3} %), {} totals went to the exact path",
        stats.exact,
        stats.lanes,
        100.0 * stats.exact as f64 / stats.lanes.max(1) as f64,
        stats.exact_totals
    );
}

/// The data by column; with `strict`, warnings fail too (each is work done per cell, and the
/// peers' data should fit the workload exactly).
fn load(analysis: &chiso::Analysis, text: &str, strict: bool) -> data::Columns {
    let env = &analysis.checked.env;
    let t = Instant::now();
    let (columns, diags) = data::load_columns(text, Format::Csv, env, None);
    let read = t.elapsed();
    let shown: Vec<_> = diags.iter().filter(|d| d.is_error() || strict).take(3).collect();
    assert!(shown.is_empty(), "data diagnostics: {shown:?}");
    // The checks `chiso eval` runs after reading, counted as loading.
    let t = Instant::now();
    let mut after = chiso::roster::check(env, &columns, text);
    let roster = t.elapsed();
    let t = Instant::now();
    after.extend(analysis.program().assume_diagnostics(&analysis.lowered(), &columns, text));
    eprintln!("chiso-bench: load: read {read:?}, roster {roster:?}, assume {:?}", t.elapsed());
    assert!(!after.iter().any(|d| d.is_error()), "data diagnostics: {after:?}");
    columns
}

fn peers(args: &[String]) {
    let rules = arg(args, "--rules").unwrap_or_else(|| root().join("bench/peers-workload.chiso").display().to_string());
    let input = arg(args, "--input").expect("--input");
    let output = arg(args, "--output").expect("--output");
    let repeat: usize = arg(args, "--repeat").map_or(1, |r| r.parse().expect("--repeat N"));
    let (_ws, analysis) = checked(&rules, &std::fs::read_to_string(&rules).expect("rules"));

    let t = Instant::now();
    let text = chiso_csv(std::fs::read(&input).expect("input"));
    eprintln!("chiso-bench: read and renamed in {:?}", t.elapsed());
    let columns = load(&analysis, &text, true);
    drop(text);
    let load_s = t.elapsed().as_secs_f64();

    let mut eval_s = Vec::new();
    let mut results = None;
    // As the peers' evaluation ends with its results in a fresh vector of doubles, Chiso's ends
    // with the exact results' roundings to 10 decimals in a fresh vector (the few units the
    // exact path wrote, as texts); both write their texts in the write phase.
    // `CHISO_BENCH_TEXTS=1` times the evaluation with the texts written, as before stop 29.
    let texts = std::env::var_os("CHISO_BENCH_TEXTS").is_some()
        || std::env::var_os("CHISO_BENCH_EXACT").is_some()
        || std::env::var_os("CHISO_BENCH_TREE").is_some();
    for _ in 0..repeat {
        drop(results.take());
        let t = Instant::now();
        // The workload's output is the pillars, total and index: neither the indicators' scores
        // nor ranks are written (as the peers write none).
        results = Some(if texts {
            Results::Texts(evaluate(&analysis, &columns, 10, Detail::Sums))
        } else {
            Results::Rounded(rounded_sums(&analysis, &columns, 10))
        });
        eval_s.push(t.elapsed().as_secs_f64());
    }
    let results = results.expect("--repeat at least 1");

    let t = Instant::now();
    let mut out = String::from("unit_id,pillar1,pillar2,pillar3,pillar4,total,index\n");
    match &results {
        Results::Texts(text) => {
            for (id, row) in columns.ids().zip(text.lines()) {
                out.push_str(id);
                out.push_str(row);
                out.push('\n');
            }
        }
        Results::Rounded(sums) => {
            let mut written = sums.written.iter().peekable();
            for (u, (id, row)) in columns.ids().zip(sums.values.chunks(sums.each)).enumerate() {
                out.push_str(id);
                match written.peek() {
                    Some((w, text)) if *w == u => {
                        out.push_str(text);
                        written.next();
                    }
                    _ => {
                        for k in row {
                            out.push(',');
                            match *k {
                                chiso::engine::NO_INDEX => out.push_str("nan"),
                                k => chiso::engine::write_rounded(k, 10, &mut out),
                            }
                        }
                    }
                }
                out.push('\n');
            }
        }
    }
    std::fs::write(&output, out).expect("output");
    let write_s = t.elapsed().as_secs_f64();
    println!(
        "BENCH_JSON {{\"n\": {}, \"evals_per_unit\": 20, \"load_s\": {load_s}, \"eval_s\": {eval_s:?}, \"write_s\": {write_s}}}",
        columns.len()
    );
}

/// The DTI cohort copied to `units` units, as `scripts/gen-dti-bench.py` writes it.
fn dti_data(units: usize) -> String {
    let text = std::fs::read_to_string(root().join("examples/dti-2022/data/cohort.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut by_unit: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for l in lines {
        let (unit, rest) = l.split_once(',').unwrap();
        by_unit.entry(unit).or_default().push(rest);
    }
    let profiles: Vec<&Vec<&str>> = by_unit.values().collect();
    let mut out = format!("{header}\n");
    for k in 0..units {
        for rest in profiles[k % profiles.len()] {
            writeln!(out, "U{:04},{rest}", k + 1).unwrap();
        }
    }
    out
}

fn dti(args: &[String]) {
    let units: usize = arg(args, "--units").map_or(63, |u| u.parse().expect("--units N"));
    let repeat: usize = arg(args, "--repeat").map_or(5, |r| r.parse().expect("--repeat N"));
    let path = root().join("examples/dti-2022/dti-2022.chiso");
    let (_ws, analysis) = checked("dti-2022.chiso", &std::fs::read_to_string(path).unwrap());
    let text = dti_data(units);
    let t = Instant::now();
    let dataset = load(&analysis, &text, false);
    let load_s = t.elapsed().as_secs_f64();
    let mut eval_s = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let r = evaluate(&analysis, &dataset, chiso::wire::JSON_DIGITS, Detail::Scorecard);
        eval_s.push(t.elapsed().as_secs_f64());
        assert!(r.lines().count() >= units);
    }
    // The program kept between runs, as a front door that keeps it (the browser's) scores: the
    // first run makes the filter's register programs, the others reuse them.
    let lowered = analysis.lowered();
    let program = chiso::engine::compile(&lowered);
    // Every scorecard, and the totals and ranks only (a ranking table).
    let kept = |detail: Detail| kept_runs(&program, &dataset, detail, repeat).0;
    let (kept_s, kept_totals_s) = (kept(Detail::Scorecard), kept(Detail::Totals));
    println!(
        "BENCH_JSON {{\"what\": \"dti-eval\", \"n\": {units}, \"load_s\": {load_s}, \"eval_s\": {eval_s:?}, \"eval_median_s\": {}, \"kept_median_s\": {kept_s}, \"kept_totals_median_s\": {kept_totals_s}}}",
        median(&eval_s)
    );
}

/// `chiso-bench dti-kept --units N --repeat R [--detail scorecard|totals|sums]`: only the kept
/// program's runs (the DTI's "kept" columns), for a profiler; prints the median.
fn dti_kept(args: &[String]) {
    let units: usize = arg(args, "--units").map_or(63, |u| u.parse().expect("--units N"));
    let repeat: usize = arg(args, "--repeat").map_or(1000, |r| r.parse().expect("--repeat N"));
    let detail = match arg(args, "--detail").as_deref() {
        Some("scorecard") => Detail::Scorecard,
        Some("sums") => Detail::Sums,
        _ => Detail::Totals,
    };
    let path = root().join("examples/dti-2022/dti-2022.chiso");
    let (_ws, analysis) = checked("dti-2022.chiso", &std::fs::read_to_string(path).unwrap());
    let dataset = load(&analysis, &dti_data(units), false);
    let lowered = analysis.lowered();
    let program = chiso::engine::compile(&lowered);
    let (median_s, stats) = kept_runs(&program, &dataset, detail, repeat);
    print_stats(&stats);
    println!("dti-kept {units} units, {detail:?}: median {:.1} us", median_s * 1e6);
}

/// `repeat` scorings (at least 2) of `data` by a program kept between them, as a front door
/// that keeps it (the browser's) scores: the median of all but the first (which makes the
/// filter's register programs), and what the last sent to the exact path.
fn kept_runs(
    program: &chiso::engine::Program,
    data: &data::Columns,
    detail: Detail,
    repeat: usize,
) -> (f64, chiso::engine::FilterStats) {
    let mut kept_s = Vec::new();
    let mut stats = Default::default();
    for _ in 0..repeat.max(2) {
        let t = Instant::now();
        let mut written = 0;
        stats = program.for_each_rounded_with(data, chiso::wire::JSON_DIGITS, detail, &mut |u| {
            written += u.total.len() + u.indicators.iter().map(|i| i.score.len()).sum::<usize>()
        });
        kept_s.push(t.elapsed().as_secs_f64());
        assert!(written > 0);
    }
    (median(&kept_s[1..]), stats)
}

fn check(args: &[String]) {
    let repeat: usize = arg(args, "--repeat").map_or(5, |r| r.parse().expect("--repeat N"));
    let text = std::fs::read_to_string(root().join("examples/dti-2022/dti-2022.chiso")).unwrap();
    let mut check_s = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let mut ws = Workspace::new(chiso_stdlib::functions());
        let file = ws.add_text("dti-2022.chiso", &text);
        let analysis = ws.check_alone(file).unwrap_or_else(|r| panic!("{}", r.message(&ws)));
        check_s.push(t.elapsed().as_secs_f64());
        assert!(!analysis.has_errors());
    }
    println!(
        "BENCH_JSON {{\"what\": \"dti-check\", \"check_s\": {check_s:?}, \"check_median_s\": {}}}",
        median(&check_s)
    );
}

/// The portal's what-if request, natively: the DTI 2022 cohort scored through a front-door
/// [`chiso::workspace::Session`] (the rulebook checked once, as the page keeps it) with one
/// unit's scorecard returned, request and response as JSON text.
fn request(args: &[String]) {
    use chiso::workspace::{Request, Session, SourceText};
    let repeat: usize = arg(args, "--repeat").map_or(20, |r| r.parse().expect("--repeat N"));
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let request = Request::Evaluate {
        rulebook: SourceText::new("dti-2022.chiso", read("examples/dti-2022/dti-2022.chiso")),
        data: SourceText::new("cohort.csv", read("examples/dti-2022/data/cohort.csv")),
        locale: None,
        unit: Some("P01".into()),
    };
    let mut session = Session::new(chiso_stdlib::functions());
    let mut request_s = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let answer = session.handle_in(request.clone(), chiso::diag::Lang::Vi);
        request_s.push(t.elapsed().as_secs_f64());
        assert!(matches!(answer, chiso::workspace::Response::Eval(_)));
    }
    // The first request checks the rulebook; the others reuse it.
    println!(
        "BENCH_JSON {{\"what\": \"dti-request\", \"first_s\": {}, \"request_s\": {request_s:?}, \"request_median_s\": {}}}",
        request_s[0],
        median(&request_s[1..])
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `CHISO_BENCH_THREADS=1`: the ranking pass on one thread, for a comparison in one build.
    if let Some(n) = std::env::var("CHISO_BENCH_THREADS").ok().and_then(|n| n.parse().ok()) {
        chiso::engine::set_threads(n);
    }
    match args.first().map(String::as_str) {
        Some("peers") => peers(&args),
        Some("dti") => dti(&args),
        Some("dti-kept") => dti_kept(&args),
        Some("check") => check(&args),
        Some("request") => request(&args),
        _ => {
            eprintln!("usage: chiso-bench peers --input I --output O --repeat N [--rules R]");
            eprintln!("       chiso-bench dti --units N --repeat R");
            eprintln!("       chiso-bench dti-kept --units N --repeat R [--detail scorecard|totals|sums]");
            eprintln!("       chiso-bench check --repeat R");
            eprintln!("       chiso-bench request --repeat R");
            std::process::exit(2);
        }
    }
}
