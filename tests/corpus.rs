//! The data-driven corpus: every `tests/corpus/**/*.chiso` file is one test case.
//!
//! A case's expectations are written in the file and beside it:
//! - `//~ CODE` at the end of a line: a diagnostic with that code starts on this line;
//!   `//~^ CODE`: on the line above, `//~^^ CODE` two lines above, and so on. Every diagnostic must be announced this way, and every
//!   announcement must be met.
//! - `<name>.out`: the snapshot of the diagnostics, the results of the file's `test` blocks, and —
//!   when `<name>.csv` or `<name>.json` sits beside it — the scores of its units. Run with
//!   `UPDATE_EXPECT=1` to rewrite snapshots, then read the diff.
//! - `// as-of: YYYY-MM-DD` lines make a planning case: its data file is read as plan data and
//!   the snapshot shows the plan's status on each date instead of scores.
//! - A test block that fails fails the case.
//!
//! `cargo test -p chiso-tests --test corpus -- <name>` runs one case.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chiso::data::Format;
use chiso::diag::LineIndex;
use chiso::Locale;
use chiso_tests::{
    analyze, as_of_dates, chiso_files, render_diagnostics, render_eval, render_status, render_tests, root,
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
        .collect();
    libtest_mimic::run(&args, trials).exit();
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

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn check_snapshot(path: &PathBuf, actual: &str, problems: &mut Vec<String>) {
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    problems.push(format!(
        "snapshot {} differs (UPDATE_EXPECT=1 to update)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    ));
}
