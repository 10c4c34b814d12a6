//! The data-driven corpus: every `tests/corpus/**/*.chiso` file is one test case.
//!
//! A case's expectations are written in the file and beside it:
//! - `//~ CODE` at the end of a line: a diagnostic with that code starts on this line;
//!   `//~^ CODE`: on the line above, `//~^^ CODE` two lines above, and so on. Every diagnostic must be announced this way, and every
//!   announcement must be met.
//! - `<name>.out`: the snapshot of the diagnostics, the results of the file's `test` blocks, and —
//!   when `<name>.csv` or `<name>.json` sits beside it — the scores of its units. A case whose
//!   output differs fails with a diff and writes `<name>.out.new`; `scripts/snapshots.sh review`
//!   shows the pending updates and `accept` takes them.
//! - `// as-of: YYYY-MM-DD` lines make a planning case: its data file is read as plan data and
//!   the snapshot shows the plan's status on each date instead of scores.
//! - A test block that fails fails the case.
//! - `<name>.vi.out`, for the cases that have one: the same diagnostics (and those about the
//!   sibling data file) rendered in Vietnamese, so the Vietnamese wording is reviewed like the
//!   English one. Create an empty `<name>.vi.out` to add a case, then accept the snapshot.
//!
//! The bundled rulebooks are cases too: every `examples/**/*.chiso` and `stdlib/tests.chiso` must
//! check without errors and pass its `test` blocks (trials named `examples/…` and `stdlib/…`), so a
//! wrong formula typed into the DTI rulebook fails `cargo test`.
//!
//! `cargo test -p chiso-tests --test corpus -- <name>` runs one case.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use chiso::data::Format;
use chiso::diag::{Lang, LineIndex};
use chiso::Locale;
use chiso_tests::{
    analyze, analyze_file, as_of_dates, chiso_files, render_diagnostics, render_eval, render_status, render_tests, root,
};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let corpus = root().join("tests/corpus");
    let trials = chiso_files(&corpus)
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&corpus).unwrap().with_extension("").display().to_string();
            Trial::test(name, move || run_case(&path))
        })
        .chain(bundled_rulebooks().into_iter().map(|path| {
            let name = path.strip_prefix(root()).unwrap().display().to_string();
            Trial::test(name, move || run_bundled(&path))
        }))
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// The example rulebooks and plans, and the prelude's own tests.
fn bundled_rulebooks() -> Vec<std::path::PathBuf> {
    let mut files = chiso_files(&root().join("examples"));
    files.push(root().join("stdlib/tests.chiso"));
    assert!(files.len() > 1, "no example rulebooks found under examples/");
    files
}

/// A bundled file checks without errors and every one of its `test` blocks passes.
fn run_bundled(path: &Path) -> Result<(), Failed> {
    let (text, analysis) = analyze_file(path);
    if analysis.has_errors() {
        let errors: Vec<_> = analysis.checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        return Err(format!("{} has errors:\n{}", path.display(), render_diagnostics(&text, &errors)).into());
    }
    let tests = render_tests(&text);
    if tests.contains("FAILED") {
        return Err(format!("a test block of {} failed:\n{tests}", path.display()).into());
    }
    Ok(())
}

fn run_case(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{e}"))?;
    let (_, checked) = analyze(&text);
    let mut problems = Vec::new();

    // Inline announcements.
    let idx = LineIndex::new(&text);
    let mut announced: Vec<(u32, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let mut rest = line;
        while let Some(pos) = rest.find("//~") {
            let after = &rest[pos + 3..];
            let carets = after.chars().take_while(|c| *c == '^').count();
            let (target, after) = (line_no.saturating_sub(carets as u32), &after[carets..]);
            let code: String = after.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            announced.push((target, code));
            rest = after;
        }
    }
    let mut actual: Vec<(u32, String)> =
        checked.diagnostics.iter().map(|d| (idx.line_col(d.span.start).line, d.code.to_string())).collect();
    for a in &announced {
        match actual.iter().position(|x| x == a) {
            Some(p) => {
                actual.remove(p);
            }
            None => problems.push(format!("announced {} on line {} did not occur", a.1, a.0)),
        }
    }
    for a in &actual {
        problems.push(format!("unannounced {} on line {} (add `//~ {}`)", a.1, a.0, a.1));
    }

    // Snapshot.
    let mut snapshot = render_diagnostics(&text, &checked.diagnostics);
    let tests = render_tests(&text);
    if tests.contains("FAILED") {
        problems.push(format!("a test block failed:\n{tests}"));
    }
    snapshot.push_str(&tests);
    for (ext, format) in [("csv", Format::Csv), ("json", Format::Json)] {
        let data_path = path.with_extension(ext);
        if let Ok(data) = std::fs::read_to_string(&data_path) {
            // The case states its locale with `locale vi` (or `locale en`) as a user would.
            let locale: Option<Locale> = None;
            let dates = as_of_dates(&text);
            if dates.is_empty() {
                snapshot.push_str(&format!("--- eval {ext} ---\n"));
                snapshot.push_str(&render_eval(&text, &data, format, locale));
            }
            for as_of in dates {
                snapshot.push_str(&format!("--- status {ext} as of {as_of} ---\n"));
                snapshot.push_str(&render_status(&text, &data, format, locale, as_of));
            }
        }
    }
    check_snapshot(&path.with_extension("out"), &snapshot, &mut problems);

    // The Vietnamese snapshot, for the cases that have one.
    let vi_path = path.with_extension("vi.out");
    if vi_path.exists() {
        let mut vi = chiso_tests::render_diagnostics_in(&text, &checked.diagnostics, Lang::Vi);
        for (ext, format) in [("csv", Format::Csv), ("json", Format::Json)] {
            if let Ok(data) = std::fs::read_to_string(path.with_extension(ext)) {
                vi.push_str(&format!("--- {ext} ---\n"));
                vi.push_str(&chiso_tests::render_data_diagnostics_in(
                    &text,
                    &data,
                    format,
                    &as_of_dates(&text),
                    Lang::Vi,
                ));
            }
        }
        check_snapshot(&vi_path, &vi, &mut problems);
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn check_snapshot(path: &Path, actual: &str, problems: &mut Vec<String>) {
    if let Err(e) = chiso_tests::snapshot::compare(path, actual) {
        problems.push(e);
    }
}
