//! `chiso`: the command line over the `chiso` library. Reads files, renders diagnostics and
//! scorecards; all language work happens in the library.
//!
//! Exit codes: 0 ok; 1 diagnostics with errors, evaluation errors or failed tests; 2 usage or I/O.

mod plan_render;
mod render;
mod text;

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chiso::check::Checked;
use chiso::data::{self, Format};
use chiso::diag::Diagnostic;
use chiso::syntax::Parse;
use chiso::wire::{CheckReport, EvalReport, OwnersReport, StatusReport, WireDiagnostic};
use chiso::Locale;
use clap::{Parser, Subcommand, ValueEnum};
use text::Lang;

#[derive(Parser)]
#[command(name = "chiso", version, about = "Chiso: rules-as-code for performance indicators (chỉ số)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of labels in tables and explanations (`vi`: TỔNG, TRỤ CỘT, …); default: `vi`
    /// when LC_ALL, LC_MESSAGES or LANG (the first set) starts with `vi`, else `en`.
    #[arg(long, value_enum, global = true)]
    lang: Option<LangArg>,
}

#[derive(Subcommand)]
enum Command {
    /// Check rulebooks and report diagnostics.
    Check {
        /// Files or folders of `.chiso` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Score the units of a data file.
    Eval {
        /// The rulebook.
        rulebook: PathBuf,
        /// The data: `.csv` (unit,indicator,input,value, or one row per unit; `,` `;` or tab),
        /// `.json`, or an Excel `.xlsx` sheet in the same shapes.
        #[arg(long)]
        data: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
        /// How numbers are written in the data (`vi`: 6,03 and 20.659); default: the rulebook's
        /// `locale`, else numbers that read differently in `en` and `vi` (5,410) are refused.
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
        /// Show only this unit (every format; its rank stays among all units).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Explain how one indicator was scored for one unit.
    Explain {
        /// The rulebook.
        rulebook: PathBuf,
        /// The data file.
        #[arg(long)]
        data: PathBuf,
        /// The unit.
        #[arg(long)]
        unit: String,
        /// The indicator id, e.g. 6.12 (a pillar's id explains the pillar).
        #[arg(long, required_unless_present_any = ["pillar", "total"], conflicts_with_all = ["pillar", "total"])]
        indicator: Option<String>,
        /// Explain a pillar's score: the sum of its indicators.
        #[arg(long, conflicts_with = "total")]
        pillar: Option<String>,
        /// Explain the unit's total, index and rank.
        #[arg(long)]
        total: bool,
        /// How numbers are written in the data (and shown); default: the rulebook's `locale`.
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
    },
    /// Run the `test` blocks of rulebooks.
    Test {
        /// Files or folders of `.chiso` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Report a plan as of a date: targets met or not, tasks on time or late, next deadlines.
    Status {
        /// The plan file.
        plan: PathBuf,
        /// The reported values and task statuses: `.csv` (unit,indicator,input,value, where
        /// indicator is a target or task id) or `.json`. Without it, nothing is reported.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The date to report at, YYYY-MM-DD (e.g. the report's date).
        #[arg(long)]
        as_of: String,
        /// The rulebook whose agencies and indicators the plan uses; default: the plan's
        /// `rulebook "…"`, relative to the plan's folder.
        #[arg(long)]
        rulebook: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
        /// How numbers are written in the data; default: the plan's `locale`, else numbers that
        /// read differently in `en` and `vi` (5,410) are refused.
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
    },
    /// List what each agency is responsible for: indicators, targets, tasks and reports.
    Owners {
        /// Rulebooks and plans, or folders of them (a plan's `rulebook "…"` is read too).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
    },
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Format rulebooks in place (or only check that they are formatted).
    Fmt {
        /// Files or folders of `.chiso` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Do not write; exit 1 if a file is not formatted.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum EvalFormat {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum LocaleArg {
    Vi,
    En,
}

impl LocaleArg {
    fn locale(self) -> Locale {
        match self {
            LocaleArg::Vi => Locale::Vi,
            LocaleArg::En => Locale::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

/// What `explain` explains.
enum Subject {
    Indicator(String),
    Pillar(String),
    Total,
}

/// A failure that ends the command: usage or I/O (exit 2).
struct Fatal(String);

type Outcome = Result<bool, Fatal>;

/// Standard output for a reader that may stop early (`chiso eval … | head -1`). Once the reader
/// has gone, the rest of the output is dropped and the command ends as it would have, with its
/// own exit code: a closed pipe is the reader's choice, not an error. Any other write error (a
/// full disk) is reported at the end.
struct Out {
    /// The language of labels, for the renderers.
    lang: Lang,
    lock: io::StdoutLock<'static>,
    closed: bool,
    error: Option<io::Error>,
}

impl Out {
    fn new(lang: Lang) -> Out {
        Out { lang, lock: io::stdout().lock(), closed: false, error: None }
    }

    fn print(&mut self, args: fmt::Arguments<'_>) {
        if self.closed || self.error.is_some() {
            return;
        }
        if let Err(e) = self.lock.write_fmt(args) {
            self.failed(e);
        }
    }

    fn failed(&mut self, e: io::Error) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            self.closed = true;
        } else {
            self.error = Some(e);
        }
    }

    fn finish(mut self) -> Result<(), Fatal> {
        if !self.closed && self.error.is_none() {
            if let Err(e) = self.lock.flush() {
                self.failed(e);
            }
        }
        match self.error {
            Some(e) => Err(Fatal(format!("cannot write to standard output: {e}"))),
            None => Ok(()),
        }
    }
}

macro_rules! out {
    ($out:expr, $($arg:tt)*) => { $out.print(format_args!($($arg)*)) };
}
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{ $out.print(format_args!($($arg)*)); $out.print(format_args!("\n")) }};
}
// Standard error, where a write error cannot be reported anywhere: ignored, never a panic.
macro_rules! err {
    ($($arg:tt)*) => {{ let _ = write!(io::stderr(), $($arg)*); }};
}
macro_rules! errln {
    ($($arg:tt)*) => {{ let _ = writeln!(io::stderr(), $($arg)*); }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The language server owns stdin and stdout: it runs before `Out` locks stdout.
    if let Command::Lsp = cli.command {
        return match chiso_lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                errln!("chiso: language server: {e}");
                ExitCode::from(2)
            }
        };
    }
    let lang = match cli.lang {
        Some(LangArg::Vi) => Lang::Vi,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    let mut out = Out::new(lang);
    let outcome = match cli.command {
        Command::Check { paths, format } => cmd_check(&mut out, &paths, format),
        Command::Eval { rulebook, data, format, locale, unit } => {
            cmd_eval(&mut out, &rulebook, &data, format, locale, unit.as_deref())
        }
        Command::Explain { rulebook, data, unit, indicator, pillar, total: _, locale } => {
            // clap requires exactly one of --indicator, --pillar and --total.
            let subject = match (indicator, pillar) {
                (Some(i), _) => Subject::Indicator(i),
                (None, Some(p)) => Subject::Pillar(p),
                (None, None) => Subject::Total,
            };
            cmd_explain(&mut out, &rulebook, &data, &unit, &subject, locale)
        }
        Command::Test { paths } => cmd_test(&mut out, &paths),
        Command::Fmt { paths, check } => cmd_fmt(&mut out, &paths, check),
        Command::Status { plan, data, as_of, rulebook, format, locale } => {
            cmd_status(&mut out, &plan, data.as_deref(), &as_of, rulebook.as_deref(), format, locale)
        }
        Command::Owners { paths, format } => cmd_owners(&mut out, &paths, format),
        Command::Lsp => Ok(true),
    };
    // A command's own failure comes first; a write error only turns success into failure.
    let written = out.finish();
    match outcome.and_then(|ok| written.map(|()| ok)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(msg)) => {
            errln!("chiso: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A source file read from disk.
struct Source {
    name: String,
    text: String,
    /// Set when the bytes were not UTF-8: the text is then a lossy copy.
    encoding_error: Option<Diagnostic>,
}

fn read_source(path: &Path) -> Result<Source, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
    let name = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source { name, text, encoding_error: None }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::new(
                chiso::Code::E0103,
                chiso::Span::new(at, at + 1),
                format!("the file is not valid UTF-8 (byte {at})"),
            )
            .with_help("save the file as UTF-8");
            Ok(Source { name, text, encoding_error: Some(d) })
        }
    }
}

fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = files.len();
            walk(p, &mut files).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())))?;
            if files.len() == before {
                return Err(Fatal(no_chiso_files(p)));
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(Fatal(format!("no such file or folder: {}", p.display())));
        }
    }
    files.sort();
    Ok(files)
}

/// Why a folder given on the command line is refused: nothing in it would be checked, and a
/// run over nothing must not pass as a clean check.
fn no_chiso_files(dir: &Path) -> String {
    if dir.extension().is_some_and(|e| e == "chiso") {
        format!("{} is a folder, not a rule file, and holds no .chiso file", dir.display())
    } else {
        format!("no .chiso file in the folder {}", dir.display())
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "chiso") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses and checks a file; a plan that names its rulebook (`rulebook "…"`) is checked with it.
fn analyze(src: &Source) -> Result<(Parse, Checked), Fatal> {
    let parse = chiso::parse(&src.text);
    let mut checked = match plan_rulebook(Path::new(&src.name), &parse, None)? {
        Some(rb) => chiso::check::check_with_rulebook(&parse, &chiso_stdlib::functions(), &rb.checked.env),
        None => chiso::check_with(&parse, &chiso_stdlib::functions()),
    };
    if let Some(d) = &src.encoding_error {
        checked.diagnostics.insert(0, d.clone());
    }
    Ok((parse, checked))
}

/// A rulebook read for a plan.
struct Rulebook {
    src: Source,
    parse: Parse,
    checked: Checked,
}

/// The rulebook of a plan: `explicit` (`--rulebook`), else the file the plan names with
/// `rulebook "…"`, relative to the plan's folder; `None` for a file that names none.
fn plan_rulebook(plan: &Path, parse: &Parse, explicit: Option<&Path>) -> Result<Option<Rulebook>, Fatal> {
    let named = parse.file.items.iter().find_map(|i| match i {
        chiso::syntax::ast::Item::Planning(p) => p.rulebook().map(|s| s.value.clone()),
        _ => None,
    });
    let path = match (explicit, named) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(name)) => plan.parent().unwrap_or(Path::new("")).join(name),
        (None, None) => return Ok(None),
    };
    if !path.is_file() {
        return Err(Fatal(format!("{}: the plan's rulebook {} does not exist", plan.display(), path.display())));
    }
    let src = read_source(&path)?;
    let parse = chiso::parse(&src.text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    Ok(Some(Rulebook { src, parse, checked }))
}

/// Reads the units file a rulebook names (`units "units.chiso"`, next to the rulebook) and adds
/// its `unit` items to the roster. `false` when it has errors (they are printed).
fn add_units_file(rulebook: &Path, checked: &mut Checked) -> Result<bool, Fatal> {
    let Some(name) = checked.env.units_file.clone() else { return Ok(true) };
    let path = rulebook.parent().unwrap_or(Path::new("")).join(&name);
    if !path.is_file() {
        return Err(Fatal(format!("{}: the units file {} does not exist", rulebook.display(), path.display())));
    }
    let src = read_source(&path)?;
    let units = chiso::check_with(&chiso::parse(&src.text), &chiso_stdlib::functions());
    if units.has_errors() {
        err!("{}", render::diagnostics(&src.name, &src.text, &units.diagnostics));
        errln!("chiso: the units file {} has errors; nothing was scored", src.name);
        return Ok(false);
    }
    if units.env.units.is_empty() {
        return Err(Fatal(format!("{}: declares no unit (`unit P01 \"Tỉnh An Phú\"`)", src.name)));
    }
    checked.env.add_units(&units.env);
    Ok(true)
}

fn cmd_check(out: &mut Out, paths: &[PathBuf], format: CheckFormat) -> Outcome {
    let files = collect_files(paths)?;
    let mut ok = true;
    let mut wire = Vec::new();
    let (mut errors, mut warnings) = (0, 0);
    for f in &files {
        let src = read_source(f)?;
        let (_, checked) = analyze(&src)?;
        let e = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        errors += e;
        warnings += checked.diagnostics.len() - e;
        ok &= e == 0;
        match format {
            CheckFormat::Text => err!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics)),
            CheckFormat::Json => {
                wire.extend(checked.diagnostics.iter().map(|d| WireDiagnostic::new(d, &src.name, &src.text)))
            }
        }
    }
    match format {
        CheckFormat::Text => errln!("checked {} file(s): {errors} error(s), {warnings} warning(s)", files.len()),
        CheckFormat::Json => outln!(out, "{}", to_json(&CheckReport { diagnostics: wire, errors, warnings })?),
    }
    Ok(ok)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Fatal> {
    serde_json::to_string_pretty(v).map_err(|e| Fatal(format!("cannot write JSON: {e}")))
}

/// Loads a rulebook and a data file; prints their diagnostics. `None` when either has errors.
fn load(rulebook: &Path, data_path: &Path, locale: Option<LocaleArg>, quiet: bool) -> Result<Option<Loaded>, Fatal> {
    let src = read_source(rulebook)?;
    let (parse, mut checked) = analyze(&src)?;
    if !add_units_file(rulebook, &mut checked)? {
        return Ok(None);
    }
    if !quiet || checked.has_errors() {
        err!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
    }
    if checked.has_errors() {
        errln!("chiso: the rulebook has errors; nothing was scored");
        return Ok(None);
    }
    let locale = locale.map(LocaleArg::locale);
    let (data_src, dataset, mut data_diags) = match data_kind(data_path)? {
        DataKind::Text(format) => {
            let data_src = read_data(data_path)?;
            let (dataset, mut diags) = data::load(&data_src.text, format, &checked.env, locale);
            if let Some(d) = &data_src.encoding_error {
                diags.insert(0, d.clone());
            }
            (data_src, dataset, diags)
        }
        DataKind::Xlsx => {
            let bytes =
                std::fs::read(data_path).map_err(|e| Fatal(format!("cannot read {}: {e}", data_path.display())))?;
            let book = data::xlsx::load(&bytes, &checked.env, locale);
            let name = if book.sheet.is_empty() {
                data_path.display().to_string()
            } else {
                format!("{} (sheet {})", data_path.display(), book.sheet)
            };
            (Source { name, text: book.text, encoding_error: None }, book.dataset, book.diagnostics)
        }
    };
    data_diags.extend(chiso::roster::check(&checked.env, &dataset, &data_src.text));
    data_diags.extend(chiso::eval::assume::diagnostics(&parse.file, &checked.env, &dataset, &data_src.text));
    err!("{}", render::diagnostics(&data_src.name, &data_src.text, &data_diags));
    if data_diags.iter().any(Diagnostic::is_error) {
        errln!("chiso: the data file has errors; nothing was scored");
        return Ok(None);
    }
    let mut wire: Vec<WireDiagnostic> =
        checked.diagnostics.iter().map(|d| WireDiagnostic::new(d, &src.name, &src.text)).collect();
    wire.extend(data_diags.iter().map(|d| WireDiagnostic::new(d, &data_src.name, &data_src.text)));
    let locale = locale.or(checked.env.locale).unwrap_or_default();
    Ok(Some(Loaded { src, parse, checked, dataset, wire, locale }))
}

struct Loaded {
    src: Source,
    parse: Parse,
    checked: Checked,
    dataset: data::Dataset,
    wire: Vec<WireDiagnostic>,
    /// How the data's numbers were read, and so how results show them.
    locale: Locale,
}

fn cmd_eval(
    out: &mut Out,
    rulebook: &Path,
    data_path: &Path,
    format: EvalFormat,
    locale: Option<LocaleArg>,
    unit: Option<&str>,
) -> Outcome {
    let Some(l) = load(rulebook, data_path, locale, true)? else { return Ok(false) };
    if l.dataset.units.is_empty() {
        errln!("chiso: the data file has no units");
        return Ok(false);
    }
    if let Some(u) = unit {
        if !l.dataset.units.iter().any(|x| x.id == u) {
            return Err(Fatal(format!("no unit `{u}` in the data")));
        }
    }
    // Scores only: the explanation steps are built by `explain`, which shows them.
    let mut results = chiso::eval::scores(&l.parse.file, &l.checked.env, &l.dataset);
    let warnings = l.checked.diagnostics.len();
    if warnings > 0 && matches!(format, EvalFormat::Table) {
        errln!("chiso: {} warning(s) about the rulebook; run `chiso check {}` to see them", warnings, l.src.name);
    }
    let style = render::Style { lang: out.lang, locale: l.locale };
    // Evaluation errors of every unit fail the run, whichever unit is shown.
    let errors: Vec<String> = results
        .units
        .iter()
        .flat_map(|u| u.indicators.iter().filter(|i| i.error).map(move |i| format!("{} / {}", u.id, i.id)))
        .collect();
    match format {
        EvalFormat::Table => out!(out, "{}", render::table(&results, unit, style)),
        EvalFormat::Csv | EvalFormat::Json => {
            // Ranks were computed among all units: a unit shown alone keeps its own.
            if let Some(u) = unit {
                results.units.retain(|x| x.id == u);
            }
            match format {
                EvalFormat::Csv => {
                    for chunk in render::csv_chunks(&results) {
                        out!(out, "{}", chunk.map_err(|e| Fatal(format!("cannot write CSV: {e}")))?);
                    }
                }
                _ => outln!(out, "{}", to_json(&EvalReport::new(&results, l.wire))?),
            }
        }
    }
    // Missing data is a status, not a failure; an evaluation error (division by zero, a value no
    // arm matches) is.
    if !errors.is_empty() {
        errln!("chiso: evaluation errors in {} indicator result(s): {}", errors.len(), errors.join(", "));
    }
    Ok(errors.is_empty())
}

/// The text of indicator `id`'s declaration in the rulebook, "" if there is none.
fn rule_text(file: &chiso::syntax::ast::File, text: &str, id: &str) -> String {
    let mut rule = String::new();
    chiso::check::for_each_indicator(file, &mut |i| {
        if i.id.text == id && rule.is_empty() {
            rule = i.span.text(text).to_string();
        }
    });
    rule
}

/// The inputs and `let`s of indicator `id` that are percentages, so that an explanation shows
/// `ratio = 80%` as the rule reads, not `0.8`.
fn percent_names(file: &chiso::syntax::ast::File, env: &chiso::check::Env, id: &str) -> BTreeSet<String> {
    chiso::workspace::percent_names(file, env, id)
}

/// The rulebook's `index` rule as written, if it has one.
fn index_rule<'a>(file: &chiso::syntax::ast::File, text: &'a str) -> Option<&'a str> {
    file.items.iter().find_map(|i| match i {
        chiso::syntax::ast::Item::Rulebook(r) => r.props.iter().find_map(|p| match p {
            chiso::syntax::ast::RulebookProp::Index(e) => Some(e.span.text(text)),
            _ => None,
        }),
        _ => None,
    })
}

fn cmd_explain(
    out: &mut Out,
    rulebook: &Path,
    data_path: &Path,
    unit: &str,
    subject: &Subject,
    locale: Option<LocaleArg>,
) -> Outcome {
    let Some(l) = load(rulebook, data_path, locale, true)? else { return Ok(false) };
    let results = chiso::eval::evaluate(&l.parse.file, &l.checked.env, &l.dataset);
    let Some(u) = results.units.iter().find(|u| u.id == unit) else {
        return Err(Fatal(format!("no unit `{unit}` in the data")));
    };
    let style = render::Style { lang: out.lang, locale: l.locale };
    let text = match subject {
        Subject::Indicator(id) => {
            let rule = rule_text(&l.parse.file, &l.src.text, id);
            let percent = percent_names(&l.parse.file, &l.checked.env, id);
            // An id that names no indicator but a pillar explains the pillar.
            render::explain(u, id, &rule, &percent, style).or_else(|| render::explain_pillar(u, id, style))
        }
        Subject::Pillar(id) => render::explain_pillar(u, id, style),
        Subject::Total => {
            Some(render::explain_total(u, results.units.len(), index_rule(&l.parse.file, &l.src.text), style))
        }
    };
    match text {
        Some(text) => {
            out!(out, "{text}");
            Ok(true)
        }
        None => Err(Fatal(match subject {
            Subject::Pillar(id) => format!("no pillar `{id}` in the rulebook"),
            Subject::Indicator(id) => format!("no indicator or pillar `{id}` in the rulebook"),
            Subject::Total => "nothing to explain".to_string(),
        })),
    }
}

fn cmd_test(out: &mut Out, paths: &[PathBuf]) -> Outcome {
    let files = collect_files(paths)?;
    let (mut passed, mut failed) = (0, 0);
    let mut ok = true;
    for f in &files {
        let src = read_source(f)?;
        let (parse, checked) = analyze(&src)?;
        if checked.has_errors() {
            err!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
            errln!("{}: has errors; its tests were not run", src.name);
            ok = false;
            continue;
        }
        for t in chiso::testing::run_tests(&parse.file, &checked.env) {
            if t.passed() {
                passed += 1;
                outln!(out, "PASS {} :: {} ({} expectation(s))", src.name, t.title, t.expectations);
            } else {
                failed += 1;
                outln!(out, "FAIL {} :: {}", src.name, t.title);
                // Each failed expectation, then how the value it was about came out.
                let style = render::Style { lang: out.lang, locale: checked.env.locale.unwrap_or_default() };
                for (d, why) in t.failures.iter().zip(&t.explanations) {
                    err!("{}", render::diagnostics(&src.name, &src.text, std::slice::from_ref(d)));
                    if let Some(why) = why {
                        err!("{}", explain_failed(why, &parse.file, &checked.env, &src.text, style));
                    }
                }
            }
        }
    }
    outln!(out, "{passed} passed, {failed} failed");
    Ok(ok && failed == 0)
}

/// How the value a failed expectation was about came out, indented under its diagnostic.
fn explain_failed(
    why: &chiso::testing::FailedValue,
    file: &chiso::syntax::ast::File,
    env: &chiso::check::Env,
    text: &str,
    style: render::Style,
) -> String {
    use chiso::testing::Subject as S;
    let u = &why.unit;
    let shown = match &why.subject {
        S::Indicator(id) => render::explain(u, id, &rule_text(file, text, id), &percent_names(file, env, id), style),
        S::Pillar(id) => render::explain_pillar(u, id, style),
        S::Total | S::Index => Some(render::explain_total(u, 1, index_rule(file, text), style)),
    };
    shown.map_or(String::new(), |s| s.lines().map(|l| format!("    {l}\n")).collect())
}

/// How a data file is read, from its extension.
enum DataKind {
    /// Text: CSV (`,` or `;`), tab-separated, or JSON.
    Text(Format),
    /// An Excel workbook.
    Xlsx,
}

fn data_kind(path: &Path) -> Result<DataKind, Fatal> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv" | "tsv" | "txt") => Ok(DataKind::Text(Format::Csv)),
        Some("json") => Ok(DataKind::Text(Format::Json)),
        Some("xlsx") => Ok(DataKind::Xlsx),
        _ => Err(Fatal(format!("{}: the data file must end in .csv, .tsv, .txt, .json or .xlsx", path.display()))),
    }
}

/// The format of a plan's data file, from its extension (plans read text data only).
fn data_format(path: &Path) -> Result<Format, Fatal> {
    match data_kind(path)? {
        DataKind::Text(f) => Ok(f),
        DataKind::Xlsx => Err(Fatal(format!(
            "{}: a plan's data must be .csv, .tsv, .txt or .json (export the sheet as CSV UTF-8)",
            path.display()
        ))),
    }
}

/// Reads a data file's text: UTF-8, or UTF-16 with a BOM as Excel's "Unicode text" export writes it.
fn read_data(path: &Path) -> Result<Source, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
    let (text, encoding_error) = data::decode(&bytes);
    Ok(Source { name: path.display().to_string(), text, encoding_error })
}

fn cmd_status(
    out: &mut Out,
    plan: &Path,
    data_path: Option<&Path>,
    as_of: &str,
    rulebook: Option<&Path>,
    format: EvalFormat,
    locale: Option<LocaleArg>,
) -> Outcome {
    let as_of = chiso::plan::Date::parse(as_of).map_err(|why| Fatal(format!("--as-of {as_of}: {why}")))?;
    let src = read_source(plan)?;
    let parse = chiso::parse(&src.text);
    let prelude = chiso_stdlib::functions();
    let mut checked = match plan_rulebook(plan, &parse, rulebook)? {
        Some(rb) => {
            if rb.checked.has_errors() {
                err!("{}", render::diagnostics(&rb.src.name, &rb.src.text, &rb.checked.diagnostics));
                errln!("chiso: the rulebook {} has errors; the plan was not evaluated", rb.src.name);
                return Ok(false);
            }
            chiso::check::check_with_rulebook(&parse, &prelude, &rb.checked.env)
        }
        None => chiso::check_with(&parse, &prelude),
    };
    if let Some(d) = &src.encoding_error {
        checked.diagnostics.insert(0, d.clone());
    }
    if checked.has_errors() {
        err!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
        errln!("chiso: the plan has errors; nothing was evaluated");
        return Ok(false);
    }
    if checked.env.plan.is_none() && checked.env.targets.is_empty() && checked.env.tasks.is_empty() {
        return Err(Fatal(format!("{}: declares no plan, target, task or schedule", src.name)));
    }
    let mut wire: Vec<WireDiagnostic> =
        checked.diagnostics.iter().map(|d| WireDiagnostic::new(d, &src.name, &src.text)).collect();
    if !checked.diagnostics.is_empty() && !matches!(format, EvalFormat::Json) {
        errln!(
            "chiso: {} warning(s) about the plan; run `chiso check {}` to see them",
            checked.diagnostics.len(),
            src.name
        );
    }
    let data = match data_path {
        None => chiso::plan::data::PlanData::default(),
        Some(path) => {
            let data_format = data_format(path)?;
            let data_src = read_data(path)?;
            let locale = locale.map(LocaleArg::locale);
            let (data, mut diags) = chiso::plan::data::load(&data_src.text, data_format, &checked.env, locale);
            if let Some(d) = &data_src.encoding_error {
                diags.insert(0, d.clone());
            }
            err!("{}", render::diagnostics(&data_src.name, &data_src.text, &diags));
            if diags.iter().any(Diagnostic::is_error) {
                errln!("chiso: the data file has errors; nothing was evaluated");
                return Ok(false);
            }
            wire.extend(diags.iter().map(|d| WireDiagnostic::new(d, &data_src.name, &data_src.text)));
            data
        }
    };
    if let Some(d) = chiso::plan::status::as_of_warning(&parse.file, &checked.env, as_of) {
        if !matches!(format, EvalFormat::Json) {
            err!("{}", render::diagnostics(&src.name, &src.text, std::slice::from_ref(&d)));
        }
        wire.push(WireDiagnostic::new(&d, &src.name, &src.text));
    }
    let status = chiso::plan::status::evaluate(&parse.file, &checked.env, &data, as_of);
    match format {
        EvalFormat::Table => out!(out, "{}", plan_render::status_table(&status, out.lang)),
        EvalFormat::Csv => {
            out!(out, "{}", plan_render::status_csv(&status).map_err(|e| Fatal(format!("cannot write CSV: {e}")))?)
        }
        EvalFormat::Json => outln!(out, "{}", to_json(&StatusReport::new(&status, wire))?),
    }
    Ok(true)
}

fn cmd_owners(out: &mut Out, paths: &[PathBuf], format: EvalFormat) -> Outcome {
    let files = collect_files(paths)?;
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut checked_files: Vec<(Source, Parse, Checked)> = Vec::new();
    let mut ok = true;
    let key = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    for f in &files {
        if seen.contains(&key(f)) {
            continue;
        }
        let src = read_source(f)?;
        let parse = chiso::parse(&src.text);
        // A plan's rulebook comes first, once.
        let rb = plan_rulebook(f, &parse, None)?;
        let checked = match &rb {
            Some(rb) => chiso::check::check_with_rulebook(&parse, &chiso_stdlib::functions(), &rb.checked.env),
            None => chiso::check_with(&parse, &chiso_stdlib::functions()),
        };
        if let Some(rb) = rb {
            let rb_key = key(Path::new(&rb.src.name));
            if !seen.contains(&rb_key) {
                seen.push(rb_key);
                checked_files.push((rb.src, rb.parse, rb.checked));
            }
        }
        seen.push(key(f));
        checked_files.push((src, parse, checked));
    }
    for (src, _, checked) in &checked_files {
        if checked.has_errors() || src.encoding_error.is_some() {
            err!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
            errln!("chiso: {} has errors", src.name);
            ok = false;
        }
    }
    if !ok {
        return Ok(false);
    }
    let pairs: Vec<(&chiso::syntax::ast::File, &chiso::check::Env)> =
        checked_files.iter().map(|(_, p, c)| (&p.file, &c.env)).collect();
    let view = chiso::plan::owners::owners(&pairs);
    let unowned = chiso::plan::owners::unowned(&pairs);
    match format {
        EvalFormat::Table => {
            out!(out, "{}{}", plan_render::owners_table(&view), plan_render::unowned_table(&unowned))
        }
        EvalFormat::Csv => out!(out, "{}{}", plan_render::owners_csv(&view), plan_render::unowned_csv(&unowned)),
        EvalFormat::Json => outln!(out, "{}", to_json(&OwnersReport::new(&view).with_unowned(&unowned))?),
    }
    Ok(true)
}

fn cmd_fmt(out: &mut Out, paths: &[PathBuf], check: bool) -> Outcome {
    let files = collect_files(paths)?;
    let mut ok = true;
    for f in &files {
        let src = read_source(f)?;
        let parse = chiso::parse(&src.text);
        let Some(formatted) = chiso::format::format(&src.text, &parse) else {
            err!("{}", render::diagnostics(&src.name, &src.text, &parse.errors));
            errln!("{}: not formatted because of syntax errors", src.name);
            ok = false;
            continue;
        };
        if formatted != src.text {
            if check {
                outln!(out, "{}: not formatted", src.name);
                ok = false;
            } else {
                std::fs::write(f, formatted).map_err(|e| Fatal(format!("cannot write {}: {e}", src.name)))?;
                outln!(out, "formatted {}", src.name);
            }
        }
    }
    Ok(ok)
}
