//! Shared helpers for Chiso's tests: run a case through the whole pipeline and render the result
//! as stable text for snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod gen;
pub mod snapshot;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chiso::data::{self, Format};
use chiso::diag::{Diagnostic, Lang, LineIndex};
use chiso::Locale;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Renders diagnostics as `line:col severity[CODE]: message`, one per line, plus labels and help.
pub fn render_diagnostics(text: &str, diags: &[Diagnostic]) -> String {
    render_diagnostics_in(text, diags, Lang::En)
}

/// [`render_diagnostics`] with the texts in `lang`.
pub fn render_diagnostics_in(text: &str, diags: &[Diagnostic], lang: Lang) -> String {
    let idx = LineIndex::new(text);
    let mut out = String::new();
    for d in diags {
        let lc = idx.line_col(d.span.start);
        let message = d.message.render(lang);
        writeln!(out, "{}:{} {}[{}]: {message}", lc.line, lc.col, d.severity.as_str(), d.code).unwrap();
        for l in &d.labels {
            let p = idx.line_col(l.span.start);
            writeln!(out, "    {}:{} label: {}", p.line, p.col, l.text.render(lang)).unwrap();
        }
        if let Some(h) = &d.help {
            writeln!(out, "    help: {}", h.render(lang)).unwrap();
        }
    }
    out
}

/// The diagnostics about a data file (reading, roster, assumptions) rendered in `lang`; plan
/// data when `as_of` dates are given (with the as-of warning of each).
pub fn render_data_diagnostics_in(
    text: &str,
    data_text: &str,
    format: Format,
    as_of: &[chiso::plan::Date],
    lang: Lang,
) -> String {
    let (parse, checked) = analyze(text);
    let mut diags = Vec::new();
    let mut plan_diags = Vec::new();
    if as_of.is_empty() {
        let (dataset, d) = data::load(data_text, format, &checked.env, None);
        diags.extend(d);
        diags.extend(chiso::roster::check(&checked.env, &dataset, data_text));
        diags.extend(chiso::eval::assume::diagnostics(
            &chiso::sema::Lowered::lower(&parse.file, &checked.env),
            &dataset,
            data_text,
        ));
    } else {
        diags.extend(chiso::plan::data::load(data_text, format, &checked.env, None).1);
        for d in as_of {
            plan_diags.extend(chiso::plan::status::as_of_warning(&parse.file, &checked.env, *d));
        }
    }
    let mut out = render_diagnostics_in(data_text, &diags, lang);
    out.push_str(&render_diagnostics_in(text, &plan_diags, lang));
    out
}

/// Parses and checks a rulebook with the prelude through the front door, as every shell does. A
/// plan naming a rulebook (`rulebook "…"`) is checked alone: a case is one file.
pub fn analyze(text: &str) -> (chiso::syntax::Parse, chiso::Checked) {
    let mut ws = chiso::Workspace::new(chiso_stdlib::functions());
    let file = ws.add_text("case.chiso", text);
    match ws.check_alone(file) {
        Ok(analysis) => (analysis.parse, analysis.checked),
        Err(refusal) => panic!("{}", refusal.message(&ws)),
    }
}

/// Reads the files a plan names from the repository (names are paths relative to its root).
pub struct RepositoryFiles;

impl chiso::Resolver for RepositoryFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(root().join(path)).map_err(|e| e.to_string())
    }
}

/// Checks a repository file (relative to the root) as `chiso check` does: a plan with the
/// rulebook it names. Returns the text and the analysis.
pub fn analyze_file(path: &Path) -> (String, chiso::Analysis) {
    let name = path.strip_prefix(root()).unwrap_or(path).display().to_string();
    let bytes = std::fs::read(root().join(&name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    let mut ws = chiso::Workspace::new(chiso_stdlib::functions());
    let file = ws.add(&name, bytes);
    let analysis = ws.check(file, None, &RepositoryFiles).unwrap_or_else(|r| panic!("{}", r.message(&ws)));
    (ws.text(file).to_string(), analysis)
}

/// Asserts that the data read by column has the same diagnostics as the rows, and that the
/// compiled evaluator scores it as the tree-walker (`reference`) does, field for field but the
/// explanation steps, in one piece and unit by unit.
fn same_through_the_engine(
    parse: &chiso::syntax::Parse,
    checked: &chiso::Checked,
    data_text: &str,
    format: Format,
    locale: Option<Locale>,
    diags: &[Diagnostic],
    reference: &chiso::eval::Results,
) {
    let (columns, mut by_column) = data::load_columns(data_text, format, &checked.env, locale);
    by_column.extend(chiso::roster::check(&checked.env, &columns, data_text));
    let lowered = chiso::sema::Lowered::lower(&parse.file, &checked.env);
    by_column.extend(chiso::engine::assume_diagnostics(&lowered, &columns, data_text));
    assert_eq!(by_column, diags, "the data read by column has other diagnostics");
    let mut expected = reference.clone();
    for u in &mut expected.units {
        for i in &mut u.indicators {
            i.trace.clear();
        }
    }
    let program = chiso::engine::compile(&lowered);
    assert_eq!(program.fallbacks(), Vec::<&str>::new());
    assert_eq!(program.scores_columns(&columns), expected, "the compiled evaluator scores otherwise");
    let mut streamed = Vec::new();
    program.for_each(&columns, &mut |u| streamed.push(u));
    assert_eq!(streamed, expected.units, "the streamed scorecards differ");
}

/// Loads a data file next to a rulebook and renders the scores of every unit, one line per
/// indicator, then pillars and totals.
pub fn render_eval(text: &str, data_text: &str, format: Format, locale: Option<Locale>) -> String {
    let (parse, checked) = analyze(text);
    let mut out = String::new();
    let (dataset, mut diags) = data::load(data_text, format, &checked.env, locale);
    diags.extend(chiso::roster::check(&checked.env, &dataset, data_text));
    diags.extend(chiso::eval::assume::diagnostics(
        &chiso::sema::Lowered::lower(&parse.file, &checked.env),
        &dataset,
        data_text,
    ));
    if !diags.is_empty() {
        out.push_str("data diagnostics:\n");
        out.push_str(&render_diagnostics(data_text, &diags));
    }
    if checked.has_errors() || diags.iter().any(Diagnostic::is_error) {
        return out;
    }
    let results = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &dataset);
    same_through_the_engine(&parse, &checked, data_text, format, locale, &diags, &results);
    for u in &results.units {
        writeln!(out, "unit {} total {} complete {} rank {}", u.id, u.total, u.complete, u.rank).unwrap();
        if let Some(i) = &u.index {
            writeln!(out, "  index {i}").unwrap();
        }
        for p in &u.pillars {
            writeln!(out, "  pillar {} {} / {}{}", p.id, p.score, p.max, if p.complete { "" } else { " incomplete" })
                .unwrap();
        }
        for i in &u.indicators {
            match &i.score {
                Some(s) => write!(out, "  {} {} / {}", i.id, s, i.max).unwrap(),
                None => write!(out, "  {} {} / {}", i.id, i.status.as_str(), i.max).unwrap(),
            }
            if let Some(r) = &i.raw_score {
                write!(out, " (raw {r})").unwrap();
            }
            if let Some(r) = &i.reason {
                write!(out, " — {r}").unwrap();
            }
            if let Some(a) = &i.contradicted {
                write!(out, " [data contradicts `assume {a}`]").unwrap();
            }
            out.push('\n');
        }
    }
    out
}

/// The dates a planning case is evaluated at: its `// as-of: YYYY-MM-DD` lines.
pub fn as_of_dates(text: &str) -> Vec<chiso::plan::Date> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("// as-of:"))
        .map(|d| chiso::plan::Date::parse(d.trim()).unwrap_or_else(|e| panic!("bad as-of date {d}: {e}")))
        .collect()
}

/// Loads a plan's data and renders its status on `as_of`: one line per target line, task and
/// upcoming report, then the totals per agency and overall.
pub fn render_status(
    text: &str,
    data_text: &str,
    format: Format,
    locale: Option<Locale>,
    as_of: chiso::plan::Date,
) -> String {
    use chiso::plan::status::TaskState;
    let (parse, checked) = analyze(text);
    let mut out = String::new();
    let (plan_data, diags) = chiso::plan::data::load(data_text, format, &checked.env, locale);
    if !diags.is_empty() {
        out.push_str("data diagnostics:\n");
        out.push_str(&render_diagnostics(data_text, &diags));
    }
    if checked.has_errors() || diags.iter().any(Diagnostic::is_error) {
        return out;
    }
    if let Some(d) = chiso::plan::status::as_of_warning(&parse.file, &checked.env, as_of) {
        out.push_str("as-of diagnostics:\n");
        out.push_str(&render_diagnostics(text, &[d]));
    }
    let s = chiso::plan::status::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &plan_data, as_of);
    let opt = |n: &Option<chiso::Num>| n.as_ref().map_or("-".to_string(), ToString::to_string);
    for t in &s.targets {
        let open = if t.period_open { " (period still open)" } else { "" };
        writeln!(out, "target {} {}{open}", t.id, t.state.as_str()).unwrap();
        for l in &t.lines {
            writeln!(
                out,
                "  {}goal {} actual {} gap {} ratio {} {}{}",
                l.part.as_ref().map_or(String::new(), |p| format!("{p}: ")),
                l.goal.as_deref().unwrap_or("-"),
                opt(&l.actual),
                opt(&l.gap),
                opt(&l.ratio),
                l.state.as_str(),
                l.reason.as_ref().map_or(String::new(), |r| format!(" — {r}")),
            )
            .unwrap();
        }
    }
    for t in &s.tasks {
        write!(out, "task {} due {} ", t.id, t.due_date.map_or("-".to_string(), |d| d.to_string())).unwrap();
        out.push_str(t.state.as_str());
        if let Some(d) = t.days_remaining {
            write!(out, " ({d} day(s) left)").unwrap();
        }
        if let Some(d) = t.days_late {
            write!(out, " ({d} day(s) late)").unwrap();
        }
        if let Some(r) = &t.remark {
            write!(out, " — {r}").unwrap();
        }
        out.push('\n');
    }
    for n in &s.next_deadlines {
        writeln!(out, "report {} {} next {}", n.schedule, n.rule, n.date.map_or("-".to_string(), |d| d.to_string()))
            .unwrap();
    }
    for a in s.agencies.iter().chain(std::iter::once(&chiso::plan::status::Totals {
        key: "all".into(),
        title: None,
        counts: s.totals.clone(),
    })) {
        write!(out, "totals {}: targets {}", a.key, a.counts.target_total()).unwrap();
        for st in [
            chiso::plan::status::TargetState::Met,
            chiso::plan::status::TargetState::NotMet,
            chiso::plan::status::TargetState::NoData,
        ] {
            write!(out, " {} {}", st.as_str(), a.counts.target(st)).unwrap();
        }
        write!(out, "; tasks {}", a.counts.task_total()).unwrap();
        for st in TaskState::ALL {
            if a.counts.task(st) > 0 {
                write!(out, " {} {}", st.as_str(), a.counts.task(st)).unwrap();
            }
        }
        out.push('\n');
    }
    out
}

/// Runs the `test` blocks of a rulebook and renders their outcomes.
pub fn render_tests(text: &str) -> String {
    let (parse, checked) = analyze(text);
    let mut out = String::new();
    if checked.has_errors() {
        return out;
    }
    for t in chiso::testing::run_tests(&chiso::sema::Lowered::lower(&parse.file, &checked.env)) {
        if t.passed() {
            writeln!(out, "test \"{}\": ok ({} expectation(s))", t.title, t.expectations).unwrap();
        } else {
            writeln!(out, "test \"{}\": FAILED", t.title).unwrap();
            out.push_str(&render_diagnostics(text, &t.failures));
        }
    }
    out
}

/// Every `.chiso` file under `dir`, sorted.
pub fn chiso_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(d) else { return };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if name != "target" && !name.starts_with('.') && name != "node_modules" {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "chiso") {
                out.push(p);
            }
        }
    }
    walk(dir, &mut out);
    out.sort();
    out
}
