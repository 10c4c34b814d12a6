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

use chiso::check::Ty;
use chiso::data::{self, Format};
use chiso::{Code, Diagnostic, Locale};
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
    match chiso::format::format(text, &parse) {
        None => assert!(!parse.errors.is_empty(), "{name}: a file without syntax errors was not formatted"),
        Some(formatted) => {
            assert!(parse.errors.is_empty(), "{name}: a file with syntax errors was formatted");
            let again = chiso::parse(&formatted);
            assert!(
                again.errors.is_empty(),
                "{name}: the formatted text has syntax errors: {:?}\n--- formatted\n{formatted}",
                again.errors.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
            let twice = chiso::format::format(&formatted, &again).unwrap();
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
        let _ = chiso::eval::evaluate(&parse.file, &checked.env, &empty);
        let _ = chiso::testing::run_tests(&parse.file, &checked.env);
        let csv = synthetic_data(&checked.env);
        let (dataset, diags) = data::load(&csv, Format::Csv, &checked.env, Some(Locale::En));
        for d in &diags {
            assert_spans(&format!("{name} (synthetic data)"), &csv, d);
        }
        if !diags.iter().any(Diagnostic::is_error) {
            let results = chiso::eval::evaluate(&parse.file, &checked.env, &dataset);
            let _ = chiso::wire::EvalReport::new(&results, Vec::new());
        }
    }
    outcome
}

/// A CSV with two units reporting a plausible value for every input and field of a rulebook.
fn synthetic_data(env: &chiso::check::Env) -> String {
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

// ----- whole files and their prefixes ------------------------------------------------------------

#[test]
fn repository_files_go_through_the_pipeline() {
    on_small_stack(|| {
        for (name, text) in sources() {
            pipeline(&name, &text);
        }
    });
}

#[test]
fn every_prefix_of_small_files_ends_in_diagnostics() {
    on_small_stack(|| {
        let mut checked = 0;
        for (name, text) in sources() {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            // Every character boundary of files up to 2 KiB, about 300 evenly spread cuts of bigger ones.
            let step = if text.len() <= 2048 { 1 } else { boundaries.len() / 300 + 1 };
            for cut in boundaries.iter().step_by(step) {
                pipeline(&format!("{name}[..{cut}]"), &text[..*cut]);
                checked += 1;
            }
        }
        assert!(checked > 10_000, "only {checked} prefixes");
    });
}

#[test]
fn a_cut_inside_an_item_is_an_error() {
    on_small_stack(|| {
        // Cutting right after an opening brace always leaves an unclosed block.
        for (name, text) in sources() {
            for (i, _) in text.match_indices('{').step_by(3) {
                let prefix = &text[..=i];
                if prefix.lines().last().is_some_and(|l| l.contains("//")) {
                    continue; // the brace is inside a comment
                }
                let o = pipeline(&format!("{name}[..={i}]"), prefix);
                assert!(o.has_errors, "{name}: the prefix ending at byte {i} (an open `{{`) has no error");
            }
        }
    });
}

// ----- random input --------------------------------------------------------------------------------

#[test]
fn random_bytes_end_in_diagnostics() {
    on_small_stack(|| {
        let mut rng = Rng(0x5eed_c415_0001);
        for case in 0..1500 {
            let len = rng.below(400);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let o = pipeline(&format!("random bytes #{case}"), &text);
            if text.chars().any(|c| !c.is_whitespace()) && !text.trim_start().starts_with("//") {
                assert!(o.has_errors, "random bytes #{case} gave no error: {text:?}");
            }
        }
    });
}

/// Tokens and fragments of the language, for token soup.
const VOCABULARY: &[&str] = &[
    "rulebook",
    "agency",
    "section",
    "field",
    "pillar",
    "indicator",
    "fn",
    "test",
    "given",
    "expect",
    "max",
    "min",
    "owner",
    "cooperating",
    "source_id",
    "note",
    "not_scored",
    "input",
    "assume",
    "let",
    "score",
    "if",
    "then",
    "else",
    "when",
    "match",
    "in",
    "or",
    "and",
    "not",
    "true",
    "false",
    "total",
    "index",
    "count",
    "percent",
    "money",
    "points",
    "yes_no",
    "choice",
    "positive",
    "default",
    "neutral",
    "lower_is_better",
    "at_least",
    "at_most",
    "not_evaluable",
    "locale",
    "vi",
    "period",
    "source",
    "{",
    "}",
    "(",
    ")",
    ",",
    ":",
    "=",
    "=>",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "..",
    ";",
    "a",
    "b",
    "tỷ_lệ",
    "S",
    "III",
    "0",
    "1",
    "10",
    "0.5",
    "3.1",
    "5.12.1",
    "80%",
    "2 tỷ",
    "1 pt",
    "\"Sở\"",
    "\"chưa đóng",
    "// ghi chú\n",
    "\n",
    " ",
    "$",
    "×",
    "minmax(",
    "rank(",
    "relative_to_best(",
    "part(\"p\", ",
    "capped_linear(",
    "round(",
];

#[test]
fn token_soup_ends_in_diagnostics() {
    on_small_stack(|| {
        let mut rng = Rng(0x5eed_c415_0002);
        for case in 0..3000 {
            let n = rng.below(80);
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(VOCABULARY[rng.below(VOCABULARY.len())]);
                text.push(' ');
            }
            pipeline(&format!("token soup #{case}"), &text);
        }
    });
}

#[test]
fn mutated_files_end_in_diagnostics() {
    on_small_stack(|| {
        let sources = sources();
        let mut rng = Rng(0x5eed_c415_0003);
        for case in 0..1500 {
            let (name, text) = &sources[rng.below(sources.len())];
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(chars.len() + 1);
                match rng.below(4) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 => {
                        let pick: Vec<char> = VOCABULARY[rng.below(VOCABULARY.len())].chars().collect();
                        chars.splice(at..at, pick);
                    }
                    2 if at < chars.len() => chars[at] = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'),
                    _ => {
                        // Duplicate a slice: repeated items, properties and arms.
                        let len = rng.below(200).min(chars.len() - at.min(chars.len()));
                        let slice: Vec<char> = chars[at..at + len].to_vec();
                        chars.splice(at..at, slice);
                    }
                }
            }
            let mutated: String = chars.into_iter().collect();
            pipeline(&format!("mutation #{case} of {name}"), &mutated);
        }
    });
}

// ----- deep nesting and long chains ----------------------------------------------------------------

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

#[test]
fn ten_thousand_parentheses() {
    assert_too_deep("parens", indicator_with_score(&format!("{}1 pt{}", "(".repeat(DEEP), ")".repeat(DEEP))));
    assert_too_deep("unclosed parens", indicator_with_score(&"(".repeat(DEEP)));
}

#[test]
fn ten_thousand_unary_minus() {
    assert_too_deep("minus", indicator_with_score(&format!("{}1 pt", "-".repeat(DEEP))));
    assert_too_deep("spaced minus", indicator_with_score(&format!("{}1 pt", "- ".repeat(DEEP))));
}

#[test]
fn ten_thousand_nested_ifs() {
    let text = indicator_with_score(&format!("{}max{}", "if ok then ".repeat(DEEP), " else 0".repeat(DEEP)));
    assert_too_deep("if", text);
    assert_too_deep("if conditions", indicator_with_score(&format!("{}ok then max else 0", "if ".repeat(DEEP))));
}

#[test]
fn ten_thousand_nested_indicators() {
    let mut text = String::from("agency S \"Sở\"\n");
    for i in 0..DEEP {
        write!(text, "indicator {i} \"Cấp {i}\" {{ max 1 owner S ").unwrap();
    }
    text.push_str(&"}".repeat(DEEP));
    assert_too_deep("indicators", text.clone());
    let in_pillar = format!("pillar I \"P\" max 1 {{ {text} }}");
    assert_too_deep("indicators in a pillar", in_pillar);
}

#[test]
fn ten_thousand_nested_whens_matches_and_calls() {
    let when = format!("{}max{}", "when a { >= 1 => ".repeat(DEEP), " }".repeat(DEEP));
    assert_too_deep("when", indicator_with_score(&when));
    let scrutinee = format!("{}a{}", "when ".repeat(DEEP), " { else => max }".repeat(DEEP));
    assert_too_deep("when scrutinee", indicator_with_score(&scrutinee));
    let calls = format!("{}1 pt{}", "min(".repeat(DEEP), ")".repeat(DEEP));
    assert_too_deep("calls", indicator_with_score(&calls));
    let user =
        format!("fn f(x) = x\n{}", indicator_with_score(&format!("{}1 pt{}", "f(".repeat(DEEP), ")".repeat(DEEP))));
    assert_too_deep("user calls", user);
    let fn_body = format!("fn f(x) = {}x{}", "(".repeat(DEEP), ")".repeat(DEEP));
    assert_too_deep("fn body", fn_body);
    let index = format!("rulebook \"R\" {{ index = {}total{} }}", "(".repeat(DEEP), ")".repeat(DEEP));
    assert_too_deep("index", index);
}

#[test]
fn ten_thousand_braces() {
    for (name, text) in [
        ("open braces", "{".repeat(DEEP)),
        ("close braces", "}".repeat(DEEP)),
        ("braces in a pillar", format!("pillar I \"P\" max 1 {}", "{".repeat(DEEP))),
        ("braces in an indicator", format!("indicator 1 \"I\" {}{}", "{".repeat(DEEP), "}".repeat(DEEP))),
        ("braces in a test", format!("test \"t\" {}", "{".repeat(DEEP))),
    ] {
        let o = on_small_stack(move || pipeline(name, &text));
        assert!(o.has_errors, "{name}: no error");
    }
}

#[test]
fn many_items() {
    // Wide rather than deep: 300 indicators, agencies and tests (each test scores the whole file).
    let mut text = String::from("agency S \"Sở\"\n");
    for i in 0..300 {
        writeln!(text, "indicator {i}.1 \"I{i}\" {{ max 1 owner S input a: count score = min(a * 1 pt, max) }}")
            .unwrap();
        write!(text, "agency A{i} \"A\"\ntest \"t{i}\" {{ given {i}.1 {{ a = 1 }} expect {i}.1 = 1 }}\n").unwrap();
    }
    let o = on_small_stack(move || pipeline("many items", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

// ----- huge numbers --------------------------------------------------------------------------------

#[test]
fn thousand_digit_literals_are_e0105() {
    let big = format!("1{}", "0".repeat(999));
    let small = format!("0.{}1", "0".repeat(999));
    let texts = [
        indicator_with_score(&format!("{big} pt")),
        indicator_with_score(&format!("a * {small} pt")),
        indicator_with_score(&format!("when a {{ >= {big} => max, else => 0 }}")),
        format!("agency S \"Sở\"\nindicator 1 \"I\" {{ max {big} owner S score = 1 pt }}"),
        format!("agency S \"Sở\"\nindicator 1 \"I\" {{ max 1 owner S input a: count default {big} score = min(a * 1 pt, max) }}"),
        format!("agency S \"Sở\"\nindicator 1 \"I\" {{ max 1 owner S input a: count assume a <= {big} score = min(a * 1 pt, max) }}"),
        format!("pillar I \"P\" max {big} {{}}"),
        format!("rulebook \"R\" {{ period {big} index = total / {big} }}"),
        format!("{}test \"t\" {{ given 1.1 {{ a = {big} }} expect 1.1 = {small} }}", indicator_with_score("max")),
        format!("fn f(x) = x * {big}"),
    ];
    for (i, text) in texts.into_iter().enumerate() {
        let name = format!("huge literal #{i}");
        let o = on_small_stack(move || pipeline(&name, &text));
        assert!(o.has(Code::E0105), "huge literal #{i}: no E0105: {:?}", o.codes);
    }
}

#[test]
fn forty_digit_numbers_evaluate_exactly() {
    // The largest accepted literals and data values still evaluate (exact rationals, no overflow).
    let forty = "9".repeat(40);
    let text = format!(
        "agency S \"Sở\"\nindicator 1 \"I\" {{ max 10 owner S input a: number input b: number positive neutral \
         score = min(max(a / b * {forty} * {forty} pt, 0 pt), max) }}\n\
         test \"t\" {{ given 1 {{ a = {forty}, b = 0.{} }} expect 1 = 10 }}",
        "0".repeat(38) + "1"
    );
    let parse = chiso::parse(&text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    for t in chiso::testing::run_tests(&parse.file, &checked.env) {
        assert!(t.passed(), "{:?}", t.failures);
    }
}

// ----- data files ----------------------------------------------------------------------------------

const DATA_RULEBOOK: &str = r#"agency S "Sở"
section A "Chung" {
  field 4 "Dân số": count owner S
  field 1 "Tên": text owner S
}
indicator 3.1 "Tỷ lệ" {
  max 10
  owner S
  input a: count
  input b: count positive neutral
  assume a <= b
  score = a / b * max
}
indicator 3.5 "Trung tâm" {
  max 10
  owner S
  input muc: choice { dat, chua }
  input ok: yes_no
  input tien: money
  input ty_le: percent at_most 100%
  score = if ok and muc == dat and tien >= 1 tỷ then ty_le * max else 0
}
"#;

/// Reads `data` with the data rulebook and checks spans; returns the diagnostics' codes. When the
/// data has no error, the cohort is scored too.
fn load(name: &str, data: &str, format: Format) -> Vec<Diagnostic> {
    let parse = chiso::parse(DATA_RULEBOOK);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut all = Vec::new();
    for locale in [Locale::En, Locale::Vi] {
        let (dataset, diags) = data::load(data, format, &checked.env, Some(locale));
        for d in &diags {
            assert_spans(name, data, d);
        }
        if !diags.iter().any(Diagnostic::is_error) {
            let _ = chiso::eval::evaluate(&parse.file, &checked.env, &dataset);
        }
        all.extend(diags);
    }
    all
}

fn assert_data_error(name: &str, data: &str, format: Format, code: Code) {
    let (n, d) = (name.to_string(), data.to_string());
    let diags = on_small_stack(move || load(&n, &d, format));
    assert!(
        diags.iter().any(|x| x.code == code && x.is_error()),
        "{name}: expected {code}, got {:?}",
        diags.iter().map(|d| (d.code, &d.message)).collect::<Vec<_>>()
    );
}

const GOOD_CSV: &str = "unit,indicator,input,value\nNT,3.1,a,1\nNT,3.1,b,2\nNT,3.5,muc,dat\nNT,3.5,ok,có\n\
NT,3.5,tien,2\nNT,3.5,ty_le,50%\nNT,A,4,590000\nNT,A,1,\"Tỉnh, thành\"\n";

const GOOD_JSON: &str = r#"{"units": {"NT": {"3.1": {"a": 1, "b": 2}, "3.5": {"muc": "dat", "ok": true, "tien": 2, "ty_le": "50%"}, "A": {"4": 590000, "1": "Tỉnh"}}}}"#;

#[test]
fn good_data_loads_without_errors() {
    for (name, data, format) in [("csv", GOOD_CSV, Format::Csv), ("json", GOOD_JSON, Format::Json)] {
        let diags = on_small_stack(move || {
            let parse = chiso::parse(DATA_RULEBOOK);
            let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
            data::load(data, format, &checked.env, Some(Locale::En)).1
        });
        assert!(diags.is_empty(), "{name}: {diags:?}");
    }
}

#[test]
fn malformed_csv_is_e0801() {
    use Format::Csv;
    assert_data_error("wrong header", "don_vi,chi_so,dau_vao,gia_tri\nNT,3.1,a,1\n", Csv, Code::E0801);
    assert_data_error("header only three columns", "unit,indicator,input\nNT,3.1,a\n", Csv, Code::E0801);
    assert_data_error("empty header", "\nNT,3.1,a,1\n", Csv, Code::E0801);
    assert_data_error("short row", "unit,indicator,input,value\nNT,3.1,a\n", Csv, Code::E0801);
    assert_data_error("long row", "unit,indicator,input,value\nNT,3.1,a,1,2\n", Csv, Code::E0801);
    assert_data_error(
        "many bad rows",
        &format!("unit,indicator,input,value\n{}", "NT\n".repeat(1000)),
        Csv,
        Code::E0801,
    );
    assert_data_error("no unit", "unit,indicator,input,value\n,3.1,a,1\n", Csv, Code::E0801);
    // An unclosed quote would run to the end of the file and swallow the rows below it.
    assert_data_error("unclosed quote", "unit,indicator,input,value\nNT,3.1,a,\"1\nNT,3.1,b,2\n", Csv, Code::E0801);
    assert_data_error("quote inside a field", "unit,indicator,input,value\nNT,3.1,a,1\"2\"\n", Csv, Code::E0802);
    assert_data_error("quoted comma", "unit,indicator,input,value\nNT,3.1,a,\"1,5\"\n", Csv, Code::E0802);
    assert_data_error("only a quote", "\"", Csv, Code::E0801);
    assert_data_error("nothing", "", Csv, Code::E0801);
}

/// An unclosed quote would make the rest of the file one value and the rows below vanish.
#[test]
fn unclosed_quote_in_a_text_field_is_e0801() {
    let csv = "unit,indicator,input,value\nNT,A,1,\"Tỉnh An Phú\nNT,3.1,a,1\nNT,3.1,b,2\n";
    assert_data_error("unclosed quote in text", csv, Format::Csv, Code::E0801);
    // Closed quotes, doubled quotes and line breaks inside quotes are fine.
    let csv = "unit,indicator,input,value\nNT,A,1,\"Tỉnh \"\"An\"\"\nPhú\"\nNT,3.1,a,1\nNT,3.1,b,2\n";
    let diags = load("closed quotes", csv, Format::Csv);
    assert!(!diags.iter().any(|d| d.code == Code::E0801), "{diags:?}");
}

#[test]
fn malformed_csv_never_panics() {
    on_small_stack(|| {
        let mut rng = Rng(0x5eed_c415_0004);
        let pieces = [
            "unit",
            "indicator",
            "input",
            "value",
            "NT",
            "3.1",
            "3.5",
            "A",
            "a",
            "b",
            "muc",
            "ok",
            ",",
            ",",
            "\n",
            "\r\n",
            "\"",
            "\"\"",
            "1",
            "-1",
            "6,03",
            "20.659",
            "1e5",
            "có",
            "dat",
            "\u{feff}",
            "\u{fffd}",
            " ",
        ];
        for case in 0..2000 {
            let mut text = if rng.below(2) == 0 { String::from("unit,indicator,input,value\n") } else { String::new() };
            for _ in 0..rng.below(60) {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            load(&format!("csv soup #{case}"), &text, Format::Csv);
        }
        // Bad UTF-8 arrives as replacement characters (the CLI reads files lossily and reports E0103).
        let bytes = b"unit,indicator,input,value\nNT,3.1,a,\xff\xfe\nN\xc3T,3.1,b,2\n";
        load("bad utf-8", &String::from_utf8_lossy(bytes), Format::Csv);
    });
}

#[test]
fn malformed_json_is_e0801_or_e0802() {
    use Format::Json;
    for cut in [0, 1, 5, 12, GOOD_JSON.len() / 2, GOOD_JSON.len() - 1] {
        assert_data_error(&format!("truncated at {cut}"), &GOOD_JSON[..cut], Json, Code::E0801);
    }
    assert_data_error("not json", "unit,indicator,input,value", Json, Code::E0801);
    assert_data_error("array", "[1, 2, 3]", Json, Code::E0801);
    assert_data_error("no units", r#"{"unit": {}}"#, Json, Code::E0801);
    assert_data_error("units is a list", r#"{"units": []}"#, Json, Code::E0801);
    assert_data_error("unit is a number", r#"{"units": {"NT": 1}}"#, Json, Code::E0801);
    assert_data_error("indicator is a list", r#"{"units": {"NT": {"3.1": [1, 2]}}}"#, Json, Code::E0801);
    assert_data_error("value is a list", r#"{"units": {"NT": {"3.1": {"a": [1]}}}}"#, Json, Code::E0802);
    assert_data_error("value is an object", r#"{"units": {"NT": {"3.1": {"a": {"v": 1}}}}}"#, Json, Code::E0802);
    assert_data_error("count is true", r#"{"units": {"NT": {"3.1": {"a": true}}}}"#, Json, Code::E0802);
    assert_data_error("count is text", r#"{"units": {"NT": {"3.1": {"a": "mười"}}}}"#, Json, Code::E0802);
    assert_data_error("count is negative", r#"{"units": {"NT": {"3.1": {"a": -1}}}}"#, Json, Code::E0802);
    assert_data_error("count is fractional", r#"{"units": {"NT": {"3.1": {"a": 1.5}}}}"#, Json, Code::E0802);
    assert_data_error("choice is a number", r#"{"units": {"NT": {"3.5": {"muc": 1}}}}"#, Json, Code::E0802);
    assert_data_error("yes/no is 2", r#"{"units": {"NT": {"3.5": {"ok": 2}}}}"#, Json, Code::E0802);
    assert_data_error("positive is 0", r#"{"units": {"NT": {"3.1": {"b": 0}}}}"#, Json, Code::E0802);
    assert_data_error("percent over its bound", r#"{"units": {"NT": {"3.5": {"ty_le": 1.5}}}}"#, Json, Code::E0802);
    let deep = format!("{}1{}", "[".repeat(DEEP), "]".repeat(DEEP));
    assert_data_error("10 000 nested arrays", &deep, Json, Code::E0801);
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP));
    assert_data_error("10 000 nested objects", &deep_obj, Json, Code::E0801);
}

#[test]
fn huge_numbers_in_data_are_rejected_or_exact() {
    let big = format!("1{}", "0".repeat(999));
    for (name, data, format) in [
        ("csv 1000 digits", format!("unit,indicator,input,value\nNT,3.1,a,{big}\n"), Format::Csv),
        ("csv 1000 decimals", format!("unit,indicator,input,value\nNT,3.5,tien,0.{big}\n"), Format::Csv),
        ("json 1000 digits", format!(r#"{{"units": {{"NT": {{"3.1": {{"a": {big}}}}}}}}}"#), Format::Json),
        ("json 1000-digit string", format!(r#"{{"units": {{"NT": {{"3.1": {{"a": "{big}"}}}}}}}}"#), Format::Json),
        ("json huge exponent", r#"{"units": {"NT": {"3.5": {"tien": 1e999999999}}}}"#.to_string(), Format::Json),
        ("json tiny exponent", r#"{"units": {"NT": {"3.5": {"tien": 1e-999999999}}}}"#.to_string(), Format::Json),
        (
            "json exponent overflow",
            r#"{"units": {"NT": {"3.5": {"tien": 1e99999999999999999999}}}}"#.to_string(),
            Format::Json,
        ),
    ] {
        assert_data_error(name, &data, format, Code::E0802);
    }
    // 40 digits are accepted exactly.
    let forty = "9".repeat(40);
    let csv = format!("unit,indicator,input,value\nNT,3.1,a,{forty}\nNT,3.1,b,{forty}\n");
    let diags = on_small_stack(move || load("40 digits", &csv, Format::Csv));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
}

#[test]
fn big_cohorts_load_and_score() {
    // 20 000 rows in one file: loading stays linear and scoring terminates.
    let mut csv = String::from("unit,indicator,input,value\n");
    for u in 0..5000 {
        write!(csv, "U{u},3.1,a,{}\nU{u},3.1,b,{}\nU{u},3.5,muc,dat\nU{u},3.5,ok,có\n", u % 7, 7 + u % 3).unwrap();
    }
    let diags = on_small_stack(move || load("big cohort", &csv, Format::Csv));
    assert!(diags.iter().all(|d| !d.is_error()), "{:?}", diags.first());
}

#[test]
fn ten_thousand_arguments() {
    // Call arguments are wide, not deep: 10 000 of them need no deep stack. (Many `when` arms are
    // wide too: see `two_hundred_when_arms`.)
    let text = indicator_with_score(&format!("min({}max)", "1 pt, ".repeat(DEEP)));
    let o = on_small_stack(move || pipeline("args", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

#[test]
fn ten_thousand_nots() {
    let text = indicator_with_score(&format!("if {}ok then max else 0", "not ".repeat(DEEP)));
    assert_too_deep("not", text);
}

/// Long flat chains are trees as deep as the chain is long, so their operators count toward the
/// nesting limit: each ends in E0104 instead of a stack overflow in the checker or the evaluator.
#[test]
fn ten_thousand_term_chains() {
    assert_too_deep("sum", indicator_with_score(&vec!["1 pt"; DEEP].join(" + ")));
    assert_too_deep("product", indicator_with_score(&format!("1 pt{}", " * 1".repeat(DEEP))));
    assert_too_deep("ands", indicator_with_score(&format!("if {} then max else 0", vec!["ok"; DEEP].join(" and "))));
    assert_too_deep("ors", indicator_with_score(&format!("if {} then max else 0", vec!["ok"; DEEP].join(" or "))));
    assert_too_deep("sum of products", indicator_with_score(&vec!["a * 1 pt"; DEEP].join(" + ")));
}

#[test]
fn chains_within_the_limit_check_cleanly() {
    // A sum of 40 parts, the longest a rulebook plausibly has, is fine.
    let text = indicator_with_score(&format!("min({}, max)", vec!["1 pt"; 40].join(" + ")));
    let o = on_small_stack(move || pipeline("40 parts", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

/// A chain of `let` bindings, each using the one before, is as deep as it is long once the
/// checker follows the names: it must not overflow either.
#[test]
fn ten_thousand_chained_lets() {
    let mut score = String::from("let x0 = a\n");
    for i in 1..DEEP {
        writeln!(score, "  let x{i} = x{} + 1", i - 1).unwrap();
    }
    write!(score, "  score = min(x{} * 1 pt, max)", DEEP - 1).unwrap();
    let text =
        format!("agency S \"Sở\"\nindicator 1.1 \"Sâu\" {{\n  max 10\n  owner S\n  input a: count\n  {score}\n}}\n");
    assert_too_deep("lets", text);
}

/// Functions calling functions, thousands long: the checker measures the chain without recursion
/// and reports E0104 once, at the first function too deep to write out.
#[test]
fn ten_thousand_chained_functions() {
    let mut text = String::from("agency S \"Sở\"\nfn f0(x) = x\n");
    for i in 1..DEEP {
        writeln!(text, "fn f{i}(x) = f{}(x) + 1", i - 1).unwrap();
    }
    writeln!(
        text,
        "indicator 1.1 \"Sâu\" {{ max 10 owner S input a: count score = min(f{}(a) * 1 pt, max) }}",
        DEEP - 1
    )
    .unwrap();
    let o = on_small_stack(move || pipeline("fns", &text));
    assert_eq!(o.codes.iter().filter(|c| **c == Code::E0104).count(), 1, "{:?}", o.codes);
}

/// A function that calls itself through a thousand others is E0206 at each function on the cycle,
/// found without recursion.
#[test]
fn a_thousand_function_cycle() {
    let mut text = String::from("agency S \"Sở\"\nfn f0(x) = f999(x)\n");
    for i in 1..1000 {
        writeln!(text, "fn f{i}(x) = f{}(x)", i - 1).unwrap();
    }
    text.push_str("indicator 1.1 \"Vòng\" { max 10 owner S input a: count score = min(f5(a) * 1 pt, max) }\n");
    let o = on_small_stack(move || pipeline("cycle", &text));
    assert_eq!(o.codes.iter().filter(|c| **c == Code::E0206).count(), 1000, "{:?}", o.codes);
}

/// Doubling (`let x2 = x1 + x1`, `fn g2(x) = g1(x) + g1(x)`, …) is shallow but exponential to
/// follow: the checker and the interpreter stop at a budget instead of running for hours.
#[test]
fn doubling_lets_and_functions_terminate() {
    let mut lets = String::from("let x0 = a\n");
    for i in 1..60 {
        writeln!(lets, "  let x{i} = x{} + x{}", i - 1, i - 1).unwrap();
    }
    let text = format!(
        "agency S \"Sở\"\nindicator 1.1 \"Gấp đôi\" {{\n  max 10\n  owner S\n  input a: count\n  {lets}  score = min(x59 * 1 pt, max)\n}}\n"
    );
    let o = on_small_stack(move || pipeline("doubling lets", &text));
    assert!(o.has(Code::W0510), "{:?}", o.codes);

    let mut text = String::from("agency S \"Sở\"\nfn g0(x) = x\n");
    for i in 1..30 {
        writeln!(text, "fn g{i}(x) = g{}(x) + g{}(x)", i - 1, i - 1).unwrap();
    }
    text.push_str("indicator 1.1 \"Gấp đôi\" { max 10 owner S input a: count score = min(g29(a) * 1 pt, max) }\n");
    let checked = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let csv = "unit,indicator,input,value\nNT,1.1,a,1\n";
    let (dataset, diags) = data::load(csv, Format::Csv, &checked.env, Some(Locale::En));
    assert!(diags.is_empty(), "{diags:?}");
    let results = chiso::eval::evaluate(&chiso::parse(&text).file, &checked.env, &dataset);
    let shown = format!("{results:?}");
    assert!(shown.contains("function calls"), "{shown}");
}

/// Diagnostics found inside a prelude function are reported at the call, and carry no label into
/// the prelude's text (whose offsets would underline unrelated rulebook text).
#[test]
fn prelude_labels_stay_inside_the_rulebook() {
    for score in ["threshold_or_linear(a / 10, 20%, max)", "capped_linear(a, max)"] {
        let text = format!("agency S \"S\"\nindicator 1 \"I\" {{ max 20 owner S input a: count score = {score} }}");
        let checked = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions());
        assert!(!checked.diagnostics.is_empty());
        for d in &checked.diagnostics {
            assert_spans(score, &text, d);
        }
    }
}

/// A lookup table as a `when` with many arms checks in time polynomial in the arms (the policy
/// analysis once took 2^n steps for n arms: 20 arms ran for minutes, 200 would never end).
#[test]
fn two_hundred_when_arms() {
    let arms: String = (0..200).map(|i| format!("== {i} => max, ")).collect();
    let text = indicator_with_score(&format!("when a {{ {arms} else => 0 }}"));
    let o = on_small_stack(move || pipeline("arms", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

/// The arms of a `when` are compared along the axis, not pairwise: a table of 100,000 bands
/// checks in near-linear time (the pairwise comparison took 11 s for 1,000 arms, 113 s for 3,000
/// and never ended for 10,000), and still gets its arm diagnostics.
#[test]
fn a_hundred_thousand_when_arms() {
    const ARMS: usize = 100_000;
    // Bands from the top, the usual shape of a scoring table; one arm out of order is unreachable.
    let mut arms: String = (0..ARMS).map(|i| format!("  >= {} => {} pt,\n", ARMS - i, (ARMS - i) % 10)).collect();
    arms.push_str("  >= 7 => 1 pt,\n");
    let text = indicator_with_score(&format!("when a {{\n{arms}  else => 0\n}}"));
    let o = on_small_stack(move || pipeline("100,000 bands", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
    assert!(o.has(Code::W0503), "{:?}", o.codes);
}

/// Lookup tables of single values, overlapping bands that each get W0501 and bands with gaps
/// stay near-linear.
#[test]
fn ten_thousand_lookup_arms() {
    let arms: String = (0..10_000).map(|i| format!("  == {i} => {} pt,\n", i % 10)).collect();
    let text = indicator_with_score(&format!("when a {{\n{arms}  else => 0\n}}"));
    let o = on_small_stack(move || pipeline("10,000 values", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
    let arms: String = (0..10_000).map(|i| format!("  in {i}..{} => {} pt,\n", i + 1, i % 10)).collect();
    let text = indicator_with_score(&format!("when a {{\n{arms}  else => 0\n}}"));
    let o = on_small_stack(move || pipeline("10,000 overlapping ranges", &text));
    assert_eq!(o.codes.iter().filter(|c| **c == Code::W0501).count(), 9_999, "{:?}", o.codes.len());
    // Disjoint closed ranges with a gap between each: one W0502 for the whole table.
    let arms: String = (0..10_000).map(|i| format!("  in {}..{} => {} pt,\n", 10 * i, 10 * i + 8, i % 10)).collect();
    let text = indicator_with_score(&format!("when a {{\n{arms}}}"));
    let o = on_small_stack(move || pipeline("10,000 ranges with gaps", &text));
    assert!(o.has(Code::W0502), "{:?}", o.codes);
}

// ===== KNOWN BUGS ===================================================================================
//
// A known bug is a test named `known_bug_<n>_…` that passes while the bug is there and fails, saying
// so, once it is fixed: then turn it into an ordinary test of the correct behaviour. Each is listed
// in tests/KNOWN-BUGS.md (the tidy test checks that the list and the tests agree, and that no test
// is commented out instead).

/// The worst nestings at the depth limit (see BUG 5 in tests/KNOWN-BUGS.md).
fn worst_nestings() -> Vec<(&'static str, String)> {
    vec![
        ("parens", indicator_with_score(&format!("{}1 pt{}", "(".repeat(DEEP), ")".repeat(DEEP)))),
        (
            "when scrutinee",
            indicator_with_score(&format!("{}a{}", "when ".repeat(DEEP), " { else => max }".repeat(DEEP))),
        ),
        ("calls", indicator_with_score(&format!("{}1 pt{}", "min(".repeat(DEEP), ")".repeat(DEEP)))),
        (
            "user calls",
            format!("fn f(x) = x\n{}", indicator_with_score(&format!("{}1 pt{}", "f(".repeat(DEEP), ")".repeat(DEEP)))),
        ),
    ]
}

/// Set in the child process of [`known_bug_5_the_depth_limit_does_not_fit_in_256_kib`].
const KNOWN_BUG_CHILD: &str = "CHISO_KNOWN_BUG_CHILD";

/// BUG 5: the depth limit costs more stack than 256 KiB (it fits in 384 KiB in release builds, so
/// wasm32's 1 MiB has a margin of about 2.5×). A stack overflow aborts the process, so the nestings
/// run in a child process (this test binary, re-run on this test alone) and the parent asserts that
/// the child still overflows.
#[test]
fn known_bug_5_the_depth_limit_does_not_fit_in_256_kib() {
    const NAME: &str = "known_bug_5_the_depth_limit_does_not_fit_in_256_kib";
    if std::env::var_os(KNOWN_BUG_CHILD).is_some() {
        for (name, text) in worst_nestings() {
            let handle = std::thread::Builder::new().stack_size(256 * 1024).spawn(move || pipeline(name, &text));
            assert!(handle.unwrap().join().unwrap().has(Code::E0104), "{name}: no E0104");
        }
        return;
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
        .env(KNOWN_BUG_CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        !child.status.success(),
        "BUG 5 is fixed: every worst nesting now fits in 256 KiB. Make this an ordinary test of the \
         correct behaviour and remove BUG 5 from tests/KNOWN-BUGS.md"
    );
    assert!(
        stderr.contains("has overflowed its stack"),
        "the child failed, but not by overflowing its stack (a different bug?):\n{stderr}"
    );
}
