//! The spec is executed: every ```chiso block in `spec/*.md` is a complete program. Blocks in
//! `spec/diagnostics.md` must produce the code of the section they are in (a data example also
//! needs its ```csv block); blocks elsewhere must check without errors and pass their `test`s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chiso::data::{self, Format};
use chiso::Locale;
use chiso_tests::{analyze, render_diagnostics, render_tests, root};

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
    for (i, (heading, lang, code)) in all.iter().enumerate() {
        if lang != "chiso" {
            continue;
        }
        let Some(want) = heading.split_whitespace().next().filter(|c| c.len() == 5) else { continue };
        let (parse, checked_file) = analyze(code);
        let mut codes: Vec<String> = checked_file.diagnostics.iter().map(|d| d.code.to_string()).collect();
        // A plan example evaluated on its `// as-of:` dates.
        for as_of in chiso_tests::as_of_dates(code) {
            if let Some(d) = chiso::plan::status::as_of_warning(&parse.file, &checked_file.env, as_of) {
                codes.push(d.code.to_string());
            }
        }
        // A data example: the next block under the same heading is the data file.
        if let Some((h, data_lang, data_text)) = all.get(i + 1) {
            if h == heading && (data_lang == "csv" || data_lang == "json") {
                let format = if data_lang == "csv" { Format::Csv } else { Format::Json };
                let locale = checked_file.env.locale.unwrap_or(Locale::En);
                let (dataset, d) = data::load(data_text, format, &checked_file.env, locale);
                codes.extend(d.iter().map(|d| d.code.to_string()));
                let roster = chiso::roster::check(&checked_file.env, &dataset, data_text);
                codes.extend(roster.iter().map(|d| d.code.to_string()));
                let assumed = chiso::eval::assume::diagnostics(&parse.file, &checked_file.env, &dataset, data_text);
                codes.extend(assumed.iter().map(|d| d.code.to_string()));
            }
        }
        // A test-failure example.
        if want == "E0804" && render_tests(code).contains("FAILED") {
            codes.push("E0804".into());
        }
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
}

#[test]
fn reference_examples_check_cleanly() {
    for doc in ["spec/reference.md", "README.md"] {
        let Ok(md) = std::fs::read_to_string(root().join(doc)) else { continue };
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
        }
    }
}
