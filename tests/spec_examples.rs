//! The spec is executed: every ```chiso block in `spec/*.md` is a complete program. Blocks in
//! `spec/diagnostics.md` must produce the code of the section they are in (a data example also
//! needs its ```csv block); blocks elsewhere must check without errors and pass their `test`s.
//! The diagnostics the examples produce, one or more of every code, are also rendered in
//! Vietnamese: no empty text and no English left in it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use chiso::data::{self, Format};
use chiso::diag::Lang;
use chiso::{Code, Diagnostic};
use chiso_tests::{analyze, render_diagnostics, render_status, render_tests, root};

/// (heading, language, code) for every fenced block of a Markdown file.
fn blocks(md: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.to_string();
        } else if let Some(lang) = line.trim_start().strip_prefix("```") {
            let lang = lang.trim().to_string();
            let mut code = String::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push_str(l);
                code.push('\n');
            }
            out.push((heading.clone(), lang, code));
        }
    }
    out
}

#[test]
fn diagnostics_examples_produce_their_code() {
    let md = std::fs::read_to_string(root().join("spec/diagnostics.md")).unwrap();
    let all = blocks(&md);
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut produced: Vec<Diagnostic> = Vec::new();
    for (i, (heading, lang, code)) in all.iter().enumerate() {
        if lang != "chiso" {
            continue;
        }
        let Some(want) = heading.split_whitespace().next().filter(|c| c.len() == 5) else { continue };
        let (parse, checked_file) = analyze(code);
        let mut diags: Vec<Diagnostic> = checked_file.diagnostics.clone();
        // A plan example evaluated on its `// as-of:` dates.
        for as_of in chiso_tests::as_of_dates(code) {
            diags.extend(chiso::plan::status::as_of_warning(&parse.file, &checked_file.env, as_of));
        }
        // A data example: the next block under the same heading is the data file.
        if let Some((h, data_lang, data_text)) = all.get(i + 1) {
            if h == heading && (data_lang == "csv" || data_lang == "json") {
                let format = if data_lang == "csv" { Format::Csv } else { Format::Json };
                let (dataset, d) = data::load(data_text, format, &checked_file.env, None);
                diags.extend(d);
                diags.extend(chiso::roster::check(&checked_file.env, &dataset, data_text));
                diags.extend(chiso::eval::assume::diagnostics(
                    &chiso::sema::Lowered::lower(&parse.file, &checked_file.env),
                    &dataset,
                    data_text,
                ));
            }
        }
        // A test-failure example.
        if want == "E0804" && !checked_file.has_errors() {
            for t in chiso::testing::run_tests(&chiso::sema::Lowered::lower(&parse.file, &checked_file.env)) {
                diags.extend(t.failures);
            }
        }
        let codes: Vec<String> = diags.iter().map(|d| d.code.to_string()).collect();
        produced.extend(diags);
        checked += 1;
        if !codes.iter().any(|c| c == want) {
            failures.push(format!(
                "## {heading}: example does not produce {want}; it gives {codes:?}\n{}",
                render_diagnostics(code, &checked_file.diagnostics)
            ));
        }
    }
    assert!(checked >= 40, "only {checked} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    every_code_renders_in_both_languages(&produced);
}

/// English words that no Vietnamese wording uses outside quoted code and names: one of them in a
/// Vietnamese text is a leftover of an English template.
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "are",
    "not",
    "must",
    "expected",
    "cannot",
    "found",
    "with",
    "and",
    "or",
    "of",
    "has",
    "was",
    "this",
    "that",
    "be",
    "it",
    "its",
    "to",
    "for",
    "no",
    "unit",
    "indicator",
    "input",
    "value",
    "score",
    "declared",
    "twice",
    "number",
    "percent",
    "points",
    "write",
    "add",
    "use",
    "did",
    "you",
    "mean",
    "here",
    "first",
    "would",
    "never",
];

/// `text` without what it quotes between backticks or double quotes (code, names, values).
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '`' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every code's diagnostics render in English and in Vietnamese: message, labels and hint are
/// not empty, and the Vietnamese text has no English template words left (outside quotes).
fn every_code_renders_in_both_languages(produced: &[Diagnostic]) {
    let mut problems = Vec::new();
    let mut rendered = BTreeSet::new();
    let english_words = |text: &str| -> Vec<String> {
        unquoted(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
            .map(str::to_string)
            .collect()
    };
    // The detector is not vacuous: the English messages are caught by it.
    let caught = produced.iter().filter(|d| !english_words(&d.message.render(Lang::En)).is_empty()).count();
    assert!(caught * 10 >= produced.len() * 9, "only {caught} of {} English messages look English", produced.len());
    for d in produced {
        let mut texts = vec![("message", d.message.render(Lang::En), d.message.render(Lang::Vi))];
        texts.extend(d.labels.iter().map(|l| ("label", l.text.render(Lang::En), l.text.render(Lang::Vi))));
        texts.extend(d.help.iter().map(|h| ("help", h.render(Lang::En), h.render(Lang::Vi))));
        for (what, en, vi) in texts {
            if en.trim().is_empty() || vi.trim().is_empty() {
                problems.push(format!("{} {what}: empty text (en `{en}`, vi `{vi}`)", d.code));
            }
            let leftovers = english_words(&vi);
            if !leftovers.is_empty() {
                problems.push(format!("{} {what}: English words {leftovers:?} in the Vietnamese text: {vi}", d.code));
            }
        }
        rendered.insert(d.code);
    }
    let missing: Vec<&str> = Code::ALL.iter().filter(|c| !rendered.contains(c)).map(|c| c.as_str()).collect();
    assert!(missing.is_empty(), "no example of {missing:?} was rendered in both languages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn reference_examples_check_cleanly() {
    let mut examples = 0;
    for doc in ["spec/reference.md", "spec/planning.md", "README.md"] {
        let md = std::fs::read_to_string(root().join(doc)).unwrap_or_else(|e| panic!("cannot read {doc}: {e}"));
        for (heading, lang, code) in blocks(&md) {
            if lang != "chiso" {
                continue;
            }
            let (_, checked) = analyze(&code);
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            assert!(
                errors.is_empty(),
                "{doc} § {heading}: example has errors:\n{}\n{code}",
                render_diagnostics(&code, &errors)
            );
            let tests = render_tests(&code);
            assert!(!tests.contains("FAILED"), "{doc} § {heading}: {tests}");
            examples += 1;
        }
    }
    assert!(examples >= 15, "only {examples} examples found in the reference, the planning chapter and the README");
}

/// The planning chapter's first example is a plan with its data (`status.csv`) and, in prose, what
/// `chiso status … --as-of 2024-05-27` reports. The prose is asserted here, line by line.
#[test]
fn planning_chapter_example_reports_what_the_prose_says() {
    let md = std::fs::read_to_string(root().join("spec/planning.md")).unwrap();
    let all = blocks(&md);
    let at = all
        .iter()
        .position(|(h, lang, _)| h.starts_with("1. A plan in one page") && lang == "chiso")
        .expect("§1 of spec/planning.md has a ```chiso block");
    let (_, _, plan) = &all[at];
    let (h, lang, data) = &all[at + 1];
    assert!(h.starts_with("1. ") && lang == "csv", "§1's plan is followed by its ```csv data");
    let as_of = chiso::plan::Date::parse("2024-05-27").unwrap();
    let status = render_status(plan, data, Format::Csv, None, as_of);
    for expected in [
        // "target 4 not met yet (81% of a goal of 84%: ratio 96.43%, gap 3 percentage points, the
        // year is not over)"
        "target 4 not_met (period still open)\n  goal >= 84% actual 0.81 gap 0.03 ratio 0.964286 not_met\n",
        // "VB not met (cấp huyện 38% < 40%; cấp xã not reported)"
        "target VB not_met",
        "  huyen: goal >= 40% actual 0.38 gap 0.02 ratio 0.95 not_met\n",
        "  xa: goal >= 20% actual - gap - ratio - no_data",
        // "DVC met (70% is inside 65%..70%)"
        "target DVC met (period still open)\n  goal in 65%..70% actual 0.7 gap 0 ratio - met\n",
        // "task 156 done on time, K2 open for 2024 (218 days left)"
        "task 156 due 2024-02-29 done_on_time\n",
        "task K2 due 2024-12-31 open (218 day(s) left)\n",
        // "the next reports due on 2024-06-24 and 2024-12-19"
        "quarterly before day 25 of last month next 2024-06-24\n",
        "yearly before 12-20 next 2024-12-19\n",
    ] {
        assert!(status.contains(expected), "spec/planning.md §1 says `{expected}`; chiso status gives:\n{status}");
    }
}
