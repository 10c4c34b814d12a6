//! Hostile and broken input never panics and never overflows the stack: it ends in diagnostics.
//!
//! Every input goes through the whole pipeline — `parse` → `check_with` (prelude) → `format` →
//! (when there is no error) `evaluate` and the `test` blocks — on a thread with a small stack
//! ([`SMALL_STACK`], about what a browser gives WebAssembly), and the results are held to these
//! invariants:
//! - every diagnostic's span (and label) lies inside the text, on character boundaries;
//! - syntax errors are errors of the checked file too;
//! - a file without syntax errors formats, and its formatting parses without errors, formats to
//!   itself and checks to the same diagnostic codes;
//! - data files are read into diagnostics with spans inside the data text.
//!
//! Inputs: every prefix of the example and corpus files, seeded random bytes, token soup and
//! mutations of real files, nesting 10 000 deep, 1000-digit numbers, malformed CSV and JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;

use chiso::data::{self, Format};
use chiso::sema::Ty;
use chiso::{Code, Diagnostic, Locale};
use chiso_tests::gen::vocabulary;
use chiso_tests::{chiso_files, root};

/// The stack the pipeline runs on: 512 KiB in release builds, half of what a wasm32 module gets by
/// default (1 MiB), and 4 MiB in debug builds, whose frames are several times bigger. Either is
/// far below what 10 000 levels of unbounded recursion would need (several KiB per level), so the
/// nesting tests prove that the depth limit holds. `CHISO_TEST_STACK=<bytes>` overrides it.
const SMALL_STACK: usize = if cfg!(debug_assertions) { 4 * 1024 * 1024 } else { 512 * 1024 };

/// Runs `f` on a thread with [`SMALL_STACK`]; a panic in `f` fails the test with its message.
/// (A stack overflow aborts the test binary, which fails it too.)
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let size = std::env::var("CHISO_TEST_STACK").ok().and_then(|s| s.parse().ok()).unwrap_or(SMALL_STACK);
    let handle = std::thread::Builder::new().stack_size(size).spawn(f).unwrap();
    match handle.join() {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e),
    }
}

/// What the pipeline found in one text.
#[derive(Debug, Default)]
struct Outcome {
    /// Codes of every diagnostic of the checked file, in order.
    codes: Vec<Code>,
    /// Whether any is an error.
    has_errors: bool,
}

impl Outcome {
    fn has(&self, code: Code) -> bool {
        self.codes.contains(&code)
    }
}

/// Asserts that a diagnostic's spans lie inside `text`, on character boundaries.
fn assert_spans(name: &str, text: &str, d: &Diagnostic) {
    let inside = |s: chiso::Span| {
        let (start, end) = (s.start as usize, s.end as usize);
        start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
    };
    assert!(
        inside(d.span),
        "{name}: {} `{}` has span {:?} outside a text of {} bytes",
        d.code,
        d.message,
        d.span,
        text.len()
    );
    for l in &d.labels {
        assert!(
            inside(l.span),
            "{name}: {} `{}` has label `{}` at {:?}, outside a text of {} bytes",
            d.code,
            d.message,
            l.text,
            l.span,
            text.len()
        );
    }
    // Positions must be computable.
    let _ = chiso::LineIndex::new(text).line_col(d.span.start);
}

/// Runs the whole pipeline on `text` and checks the invariants.
fn pipeline(name: &str, text: &str) -> Outcome {
    let parse = chiso::parse(text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    for d in &checked.diagnostics {
        assert_spans(name, text, d);
    }
    for e in &parse.errors {
        assert!(e.is_error(), "{name}: syntax diagnostic {} is not an error", e.code);
        assert!(checked.diagnostics.contains(e), "{name}: syntax error {} missing from the checked file", e.code);
    }
    let outcome =
        Outcome { codes: checked.diagnostics.iter().map(|d| d.code).collect(), has_errors: checked.has_errors() };
    match chiso::syntax::print::format(text, &parse) {
        None => assert!(!parse.errors.is_empty(), "{name}: a file without syntax errors was not formatted"),
        Some(formatted) => {
            assert!(parse.errors.is_empty(), "{name}: a file with syntax errors was formatted");
            let again = chiso::parse(&formatted);
            assert!(
                again.errors.is_empty(),
                "{name}: the formatted text has syntax errors: {:?}\n--- formatted\n{formatted}",
                again.errors.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
            let twice = chiso::syntax::print::format(&formatted, &again).unwrap();
            assert!(
                twice == formatted,
                "{name}: formatting is not idempotent\n--- once\n{formatted}\n--- twice\n{twice}"
            );
            let mut before = outcome.codes.clone();
            let mut after: Vec<Code> =
                chiso::check_with(&again, &chiso_stdlib::functions()).diagnostics.iter().map(|d| d.code).collect();
            before.sort();
            after.sort();
            assert!(before == after, "{name}: formatting changed the diagnostics: {before:?} → {after:?}");
        }
    }
    if !checked.has_errors() {
        let empty = chiso::data::Dataset::default();
        let _ = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &empty);
        let _ = chiso::testing::run_tests(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
        let csv = synthetic_data(&checked.env);
        let (dataset, diags) = data::load(&csv, Format::Csv, &checked.env, Some(Locale::En));
        for d in &diags {
            assert_spans(&format!("{name} (synthetic data)"), &csv, d);
        }
        if !diags.iter().any(Diagnostic::is_error) {
            let results = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &dataset);
            let _ = chiso::wire::EvalReport::new(&results, Vec::new());
            // The compiled evaluator recurses over the same trees: compiled and run here too.
            let (columns, _) = data::load_columns(&csv, Format::Csv, &checked.env, Some(Locale::En));
            let program = chiso::engine::compile(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
            let mut streamed = 0;
            program.for_each(&columns, &mut |_| streamed += 1);
            assert_eq!(streamed, results.units.len(), "{name}: the compiled evaluator lost units");
        }
    }
    outcome
}

/// A CSV with two units reporting a plausible value for every input and field of a rulebook.
fn synthetic_data(env: &chiso::sema::Env) -> String {
    let value = |ty: &Ty, unit: usize| -> String {
        match ty {
            Ty::Count => ["3", "0"][unit].into(),
            Ty::Number | Ty::Points | Ty::Error => ["1.5", "0"][unit].into(),
            Ty::Percent => ["50%", "100%"][unit].into(),
            Ty::Money => ["2", "0.5"][unit].into(),
            Ty::Bool => ["có", "false"][unit].into(),
            Ty::Choice(o) => o.get(unit).or(o.first()).cloned().unwrap_or_default(),
            Ty::Text | Ty::Date => "2022-12-31".into(),
        }
    };
    let mut out = String::from("unit,indicator,input,value\n");
    for unit in 0..2 {
        for (id, info) in &env.indicators {
            for (input, ty) in &info.inputs {
                writeln!(out, "U{unit},{id},{input},\"{}\"", value(ty, unit)).unwrap();
            }
        }
        for (id, sec) in &env.sections {
            for (field, _, ty) in &sec.fields {
                writeln!(out, "U{unit},{id},{field},\"{}\"", value(ty, unit)).unwrap();
            }
        }
    }
    out
}

/// Every `.chiso` file of the examples, the corpus and the stdlib, with its text.
fn sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["examples", "tests/corpus", "stdlib"] {
        for p in chiso_files(&root().join(dir)) {
            let name = p.strip_prefix(root()).unwrap().display().to_string();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(out.len() >= 50, "only {} source files", out.len());
    out
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const DEEP: usize = 10_000;

fn indicator_with_score(score: &str) -> String {
    format!("agency S \"Sở\"\nindicator 1.1 \"Sâu\" {{\n  max 10\n  owner S\n  input a: count\n  input ok: yes_no\n  score = {score}\n}}\n")
}

/// Runs a deeply nested input and requires E0104.
fn assert_too_deep(name: &str, text: String) {
    let name = name.to_string();
    let o = on_small_stack(move || pipeline(&name, &text));
    assert!(o.has(Code::E0104), "no E0104: {:?}", o.codes);
}

mod chains;
mod data_files;
mod files;
mod known_bugs;
mod nesting;
mod numbers;
mod random;
