//! The reference grammar (`spec/grammar.pest`) and the production parser (`chiso::parse`) accept
//! the same files: pest's `file` rule succeeds exactly when `chiso::parse` reports no syntax error.
//!
//! Inputs: every `.chiso` file in the repository (examples, corpus, stdlib), every line-boundary
//! prefix of the small ones, and a list of tricky snippets. The only accepted difference is the one
//! the grammar documents: limits that pest does not express (nesting deeper than 64 levels, E0104,
//! after which the parser skips the rest of the item; a literal of more than 40 digits, E0105).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chiso::Code;
use chiso_tests::{chiso_files, root};
use pest::Parser as _;
use pest_derive::Parser;

/// The reference grammar; the path is relative to this crate's manifest (tests/Cargo.toml).
#[derive(Parser)]
#[grammar = "../spec/grammar.pest"]
struct Reference;

/// Whether the reference grammar accepts `text`, with pest's error when it does not.
fn pest_accepts(text: &str) -> Result<(), String> {
    Reference::parse(Rule::file, text).map(|_| ()).map_err(|e| e.to_string())
}

/// The production parser's verdict: `Ok` when it accepts, `Err(errors)` otherwise. Errors that
/// only enforce the documented limits count as acceptance.
fn chiso_accepts(text: &str) -> Result<(), String> {
    let parse = chiso::parse(text);
    let real: Vec<String> = parse
        .errors
        .iter()
        .filter(|d| !is_limit(d))
        .map(|d| {
            let lc = chiso::LineIndex::new(text).line_col(d.span.start);
            format!("{}:{} {}: {}", lc.line, lc.col, d.code, d.message)
        })
        .collect();
    if real.is_empty() {
        Ok(())
    } else {
        Err(real.join("; "))
    }
}

/// The limits the grammar leaves to the parser (see the header of spec/grammar.pest).
fn is_limit(d: &chiso::Diagnostic) -> bool {
    d.code == Code::E0104 || (d.code == Code::E0105 && d.message.to_string().contains("digits"))
}

/// Compares both parsers on `text`; describes a disagreement. Past the nesting limit (E0104) the
/// parser skips the rest of the item without looking at it, so such texts are not comparable.
fn disagreement(name: &str, text: &str) -> Option<String> {
    if chiso::parse(text).errors.iter().any(|d| d.code == Code::E0104) {
        return None;
    }
    let (p, c) = (pest_accepts(text), chiso_accepts(text));
    match (&p, &c) {
        (Ok(()), Ok(())) | (Err(_), Err(_)) => None,
        (Ok(()), Err(e)) => Some(format!("{name}: pest accepts, chiso::parse rejects: {e}\n{}", excerpt(text))),
        (Err(e), Ok(())) => Some(format!("{name}: chiso::parse accepts, pest rejects:\n{e}\n{}", excerpt(text))),
    }
}

fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(400).collect();
    format!("--- text ---\n{t}\n------------")
}

/// Every `.chiso` file of the repository, outside build output.
fn repo_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples", "tests/corpus", "stdlib", "spec", "cli"] {
        files.extend(chiso_files(&root().join(dir)));
    }
    files
}

#[test]
fn the_grammar_parses() {
    // A grammar that does not compile fails the build; this checks that it accepts something real.
    let starter = std::fs::read_to_string(root().join("examples/starter/starter.chiso")).unwrap();
    pest_accepts(&starter).unwrap();
    assert!(pest_accepts("indicator {").is_err());
}

#[test]
fn whole_files_agree() {
    let files = repo_files();
    assert!(files.len() >= 50, "only {} .chiso files found", files.len());
    let mut problems = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        problems.extend(disagreement(&name, &text));
    }
    assert!(problems.is_empty(), "{} disagreement(s):\n\n{}", problems.len(), problems.join("\n\n"));
}

#[test]
fn prefixes_agree() {
    // Every prefix ending at a line break of the files under 8 KiB, and at every 10th line of
    // bigger ones: partial files exercise the error paths of both parsers.
    let mut problems = Vec::new();
    for path in repo_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let step = if text.len() < 8 * 1024 { 1 } else { 10 };
        let ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        for (n, end) in ends.iter().enumerate().filter(|(n, _)| n % step == 0) {
            if let Some(p) = disagreement(&format!("{name} (first {} lines)", n + 1), &text[..*end]) {
                problems.push(p);
            }
        }
    }
    problems.truncate(20);
    assert!(problems.is_empty(), "disagreements (first 20):\n\n{}", problems.join("\n\n"));
}

/// Snippets at the edges of the syntax; each must get the same verdict from both parsers.
const SNIPPETS: &[&str] = &[
    "",
    "// chỉ có chú thích",
    "\u{feff}agency S \"Sở\"",
    "agency S \"Sở\"\r\nagency T \"Sở khác\"\r\n",
    "agency S \"Sở\" agency T \"x\"",
    "agency S",
    "agency max \"từ khóa\"",
    "agency maxi \"không phải từ khóa\"",
    "agency _x1 \"gạch dưới\"",
    "agency 1x \"bắt đầu bằng số\"",
    "agency S \"chuỗi \\\" có \\\\ thoát \\n\"",
    "agency S \"xuống\ndòng\"",
    "agency S \"chưa đóng",
    "agency S 'nháy đơn'",
    "rulebook \"R\" {}",
    "rulebook \"R\" { source \"a\" source \"b\" period 2022 locale vi index = total / 1000 }",
    "rulebook \"R\" { locale }",
    "rulebook \"R\" { index total }",
    "rulebook \"R\" { period }",
    "rulebook { }",
    "section A \"S\" {}",
    "section 1.2.3 \"S\" { field 4 \"F\": count owner X field 5 \"G\": choice { a, b, } }",
    "section A \"S\" { field 4 \"F\" count }",
    "section A \"S\" { field 4 \"F\": choice {} }",
    "pillar I \"P\" max 10 {}",
    "pillar I \"P\" {}",
    "pillar I \"P\" max {}",
    "pillar I \"P\" max 10 { fn f() = 1 }",
    "indicator 1 \"I\" {}",
    "indicator 5.12.1 \"I\" { max 1 }",
    "indicator III \"I\" { max 1 }",
    "indicator 1. \"I\" {}",
    "indicator .1 \"I\" {}",
    "indicator 1.1 \"I\" { max 1 score = 1 pt note \"n\" source_id \"1.1\" not_scored }",
    "indicator 1.1 \"I\" { cooperating A, B, C owner A }",
    "indicator 1.1 \"I\" { cooperating A, }",
    "indicator 1.1 \"I\" { input a: count \"d\" positive neutral lower_is_better default 0 at_least 0 at_most 10 }",
    "indicator 1.1 \"I\" { input a: percent default -5% at_most 100 % }",
    "indicator 1.1 \"I\" { input a: money default 2 tỷ }",
    "indicator 1.1 \"I\" { input a: points default 1 điểm }",
    "indicator 1.1 \"I\" { input a: choice { x, y, } default x }",
    "indicator 1.1 \"I\" { input a: yes_no default true }",
    "indicator 1.1 \"I\" { input a: text default \"t\" }",
    "indicator 1.1 \"I\" { input a: date }",
    "indicator 1.1 \"I\" { input a: count default max }",
    "indicator 1.1 \"I\" { input a: count default 1 + 2 }",
    "indicator 1.1 \"I\" { input a: count default (1) }",
    "indicator 1.1 \"I\" { input a: count default - 1 }",
    "indicator 1.1 \"I\" { input a: count default --1 }",
    "indicator 1.1 \"I\" { input a: count default 1.2.3 }",
    "indicator 1.1 \"I\" { input a count }",
    "indicator 1.1 \"I\" { input a: }",
    "indicator 1.1 \"I\" { input a: integer }",
    "indicator 1.1 \"I\" { assume a <= b assume c + d <= a + b }",
    "indicator 1.1 \"I\" { let x = 1 let y = x }",
    "indicator 1.1 \"I\" { let = 1 }",
    "indicator 1.1 \"I\" { let max = 1 }",
    "indicator 1.1 \"I\" { score 1 }",
    "indicator 1.1 \"I\" { score = }",
    "indicator 1.1 \"I\" { indicator 1.1.1 \"J\" { indicator 1.1.1.1 \"K\" { max 1 } } }",
    "indicator 1.1 \"I\" { max 1 ; }",
    "indicator 1.1 \"I\" { score = a ; }",
    "indicator 1.1 \"I\" { score = 1 + 2 * 3 - 4 / 5 }",
    "indicator 1.1 \"I\" { score = - - - 1 }",
    "indicator 1.1 \"I\" { score = not not a }",
    "indicator 1.1 \"I\" { score = a and b or not c }",
    "indicator 1.1 \"I\" { score = a < b < c }",
    "indicator 1.1 \"I\" { score = a == b }",
    "indicator 1.1 \"I\" { score = a = b }",
    "indicator 1.1 \"I\" { score = a != b }",
    "indicator 1.1 \"I\" { score = (a) }",
    "indicator 1.1 \"I\" { score = () }",
    "indicator 1.1 \"I\" { score = (a }",
    "indicator 1.1 \"I\" { score = a) }",
    "indicator 1.1 \"I\" { score = a % b }",
    "indicator 1.1 \"I\" { score = 80 % }",
    "indicator 1.1 \"I\" { score = 80%% }",
    "indicator 1.1 \"I\" { score = 1pt }",
    "indicator 1.1 \"I\" { score = 1 ptx }",
    "indicator 1.1 \"I\" { score = 2 tỷ }",
    "indicator 1.1 \"I\" { score = 2 tỷđồng }",
    "indicator 1.1 \"I\" { score = 0.5 }",
    "indicator 1.1 \"I\" { score = 0.5.1 }",
    "indicator 1.1 \"I\" { score = 1. }",
    "indicator 1.1 \"I\" { score = .5 }",
    "indicator 1.1 \"I\" { score = 1..2 }",
    "indicator 1.1 \"I\" { score = \"chuỗi\" }",
    "indicator 1.1 \"I\" { score = true }",
    "indicator 1.1 \"I\" { score = total }",
    "indicator 1.1 \"I\" { score = max }",
    "indicator 1.1 \"I\" { score = max(1, 2) }",
    "indicator 1.1 \"I\" { score = max (1, 2) }",
    "indicator 1.1 \"I\" { score = min(1) }",
    "indicator 1.1 \"I\" { score = min }",
    "indicator 1.1 \"I\" { score = min() }",
    "indicator 1.1 \"I\" { score = f() }",
    "indicator 1.1 \"I\" { score = f(1,) }",
    "indicator 1.1 \"I\" { score = f(,) }",
    "indicator 1.1 \"I\" { score = f(1 2) }",
    "indicator 1.1 \"I\" { score = count }",
    "indicator 1.1 \"I\" { score = a.b }",
    "indicator 1.1 \"I\" { score = a $ b }",
    "indicator 1.1 \"I\" { score = a × b }",
    "indicator 1.1 \"I\" { score = if a then b else c }",
    "indicator 1.1 \"I\" { score = if a then b }",
    "indicator 1.1 \"I\" { score = if a b else c }",
    "indicator 1.1 \"I\" { score = 1 + if a then 1 else 2 + 3 }",
    "indicator 1.1 \"I\" { score = when x {} }",
    "indicator 1.1 \"I\" { score = when x { else => 0 } }",
    "indicator 1.1 \"I\" { score = when x { >= 80% => max, in 10..19 => 1, == 3 => 2, != 4 => 3, < 1 => 4, <= 2 => 5, > 3 => 6, else => 0, } }",
    "indicator 1.1 \"I\" { score = when x { >= 1 => 1 else => 0 } }",
    "indicator 1.1 \"I\" { score = when x { >= 1 => 1,, } }",
    "indicator 1.1 \"I\" { score = when x { 1 => 1 } }",
    "indicator 1.1 \"I\" { score = when x { in 1 => 1 } }",
    "indicator 1.1 \"I\" { score = when x { in 1..2..3 => 1 } }",
    "indicator 1.1 \"I\" { score = when x { >= 1 => when y { else => 2 } } }",
    "indicator 1.1 \"I\" { score = when if a then 1 else 2 { else => 0 } }",
    "indicator 1.1 \"I\" { score = match c { a => 1, b => 2, else => 3 } }",
    "indicator 1.1 \"I\" { score = match c { } }",
    "indicator 1.1 \"I\" { score = match c { 1 => 1 } }",
    "indicator 1.1 \"I\" { score = match c { max => 1 } }",
    "indicator 1.1 \"I\" { score = match c { a => 1 b => 2 } }",
    "indicator 1.1 \"I\" { score = match c { a = 1 } }",
    "indicator 1.1 \"I\" { score = part(\"x\", 1) + part(\"y\", 2) }",
    "fn f() = 1",
    "fn f(a, b,) = a",
    "fn f(,) = 1",
    "fn f(a b) = a",
    "fn f(a) a",
    "fn f = 1",
    "fn max(a) = a",
    "fn tỷ_lệ(số) = số",
    "test \"t\" {}",
    "test \"t\" { given 1.1 { a = 1, b = 2, } expect 1.1 = 3 }",
    "test \"t\" { given \"U\" 1.1 { } expect \"U\" 1.1 not_evaluable expect 1.2 not_scored }",
    "test \"t\" { expect total = 1 expect index = 0.5 expect pillar III = -2 }",
    "test \"t\" { expect total = 1 ; expect index = 0.5 }",
    "test \"t\" { expect pillar = 1 }",
    "test \"t\" { expect 1.1 = a + 1 }",
    "test \"t\" { expect 1.1 = 80% }",
    "test \"t\" { expect 1.1 = 2 tỷ }",
    "test \"t\" { expect 1.1 }",
    "test \"t\" { given 1.1 { a = 1 b = 2 } }",
    "test \"t\" { given 1.1 { a = -1, b = true, c = \"x\", d = opt } }",
    "test \"t\" { given 1.1 { a = max } }",
    "test \"t\" { given 1.1 { 4 = 1 } }",
    "test \"t\" { given A { 4 = 590000 } }",
    "test \"t\" { given 1.1 a = 1 }",
    "test \"t\" { given }",
    "test t {}",
    "indicator 1.1 \"I\" { max 1 } }",
    "}",
    "{",
    "\"chuỗi lạc\"",
    "agency S \"x\" //~ comment at end",
    "agency S \"x\" /* block comments do not exist */",
    "agency\u{a0}S \"khoảng trắng không ngắt\"",
    "agency\u{b}S \"tab dọc\"",
    "agency\u{c}S \"form feed\"",
    "agency S\u{301} \"dấu kết hợp\"",
    "agency Ⅻ \"số La Mã là chữ số\"",
    "agency a٣ \"chữ số Ả Rập\"",
    "task 1 \"t\" { due Quý IV/2022 }",
    "task 1 \"t\" { due Quý   4/2022 }",
    "task 1 \"t\" { due Quý V/2022 }",
    "task 1 \"t\" { due Quý\nI/2022 }",
    "task 1 \"t\" { due Quý I / 2022 }",
    "task 1 \"t\" { due Tháng 10/2022 }",
    "task 1 \"t\" { due Tháng 100/2022 }",
    "task 1 \"t\" { due Năm 2024 }",
    "task 1 \"t\" { due Năm 24 }",
    "task 1 \"t\" { due 31/12/2024 }",
    "task 1 \"t\" { due 1/1/2024 }",
    "task 1 \"t\" { due 31/12/24 }",
    "task 1 \"t\" { due 31/12 /2024 }",
    "plan \"p\" { period Năm 2024..31/12/2025 }",
    "unit P01 \"Tỉnh An Phú\"",
    "unit P01",
    "unit 01 \"Hà Nội\" unit 1.2 \"x\"",
    "unit \"Sở Tài chính\"",
    "unit \"Sở Tài chính\" \"tên\"",
    "unit",
    "unit max \"từ khóa\"",
    "unit P01 \"a\" \"b\"",
    "unit KHĐT \"Sở Kế hoạch và Đầu tư\"",
    "rulebook \"R\" { units \"units.chiso\" }",
    "rulebook \"R\" { units }",
    "rulebook \"R\" { units units }",
];

#[test]
fn snippets_agree() {
    let problems: Vec<String> =
        SNIPPETS.iter().enumerate().filter_map(|(i, s)| disagreement(&format!("snippet #{i} {s:?}"), s)).collect();
    assert!(problems.is_empty(), "{} disagreement(s):\n\n{}", problems.len(), problems.join("\n\n"));
}

#[test]
fn documented_limits_are_the_only_exemption() {
    // Past the parser's limits, pest accepts and chiso reports E0104 / E0105 only.
    let deep = format!("fn f(x) = {}x{}", "(".repeat(100), ")".repeat(100));
    assert!(pest_accepts(&deep).is_ok());
    let errs = chiso::parse(&deep).errors;
    assert!(!errs.is_empty() && errs.iter().all(is_limit), "{errs:?}");

    let long = format!("fn f(x) = x * 1{}", "0".repeat(40));
    assert!(pest_accepts(&long).is_ok());
    let errs = chiso::parse(&long).errors;
    assert!(!errs.is_empty() && errs.iter().all(is_limit), "{errs:?}");
}
