//! `chiso`: the command line over the `chiso` library. Reads files, renders diagnostics and
//! scorecards; all language work happens in the library.
//!
//! Exit codes: 0 ok; 1 diagnostics with errors, evaluation errors or failed tests; 2 usage or I/O.

mod plan_render;
mod progress;
mod render;
mod say;
mod text;

use chiso::map::VecSet;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chiso::data::Columns;
use chiso::data::Format;
use chiso::diag::{Anchor, Diagnostic};
use chiso::eval::UnitResult;
use chiso::wire::{
    CheckReport, Columns as ColumnCount, OwnersReport, Precision, StatusReport, WireDiagnostic, WireUnit,
};
use chiso::workspace::{DataFile, ExplainedCohort};
use chiso::{Analysis, Detail, FileId, Locale, Located, Resolver, Workspace};
use clap::{Parser, Subcommand, ValueEnum};
use say::Say;
use text::Lang;

#[derive(Parser)]
#[command(name = "chiso", version, about = "Chiso: rules-as-code for performance indicators (chỉ số)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of diagnostics and of labels in tables and explanations (`vi`: TỔNG, TRỤ CỘT,
    /// …); default: `vi`
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
        /// Decimal places of the numbers in CSV and JSON (0 to 30; default 6), each rounded
        /// once from the exact value, half away from zero; `exact`: every value exactly, a
        /// decimal when it ends, else a fraction (`10/3`).
        #[arg(long, value_parser = parse_precision)]
        precision: Option<Precision>,
        /// With `--format csv`: only each unit's pillar, total and index rows, a ranking table
        /// (the full CSV of 10,000 DTI units has 1.15 million rows, more than an Excel sheet
        /// holds).
        #[arg(long)]
        totals: bool,
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

use say::Fatal;

type Outcome = Result<bool, Fatal>;

/// Standard output for a reader that may stop early (`chiso eval … | head -1`). Once the reader
/// has gone, the rest of the output is dropped and the command ends as it would have, with its
/// own exit code: a closed pipe is the reader's choice, not an error. Any other write error (a
/// full disk) is reported at the end.
struct Out {
    /// The language of labels, for the renderers.
    lang: Lang,
    /// Buffered: a CSV of a million units is written in large blocks, not a write per line.
    lock: io::BufWriter<io::StdoutLock<'static>>,
    closed: bool,
    error: Option<io::Error>,
}

impl Out {
    fn new(lang: Lang) -> Out {
        Out { lang, lock: io::BufWriter::with_capacity(1 << 16, io::stdout().lock()), closed: false, error: None }
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
            Some(err) => Err(Fatal::CannotWrite { what: say::Written::Stdout, err }),
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

/// `--precision`: 0 to 30 decimal places, or `exact`.
fn parse_precision(text: &str) -> Result<Precision, String> {
    if text.eq_ignore_ascii_case("exact") {
        return Ok(Precision::Exact);
    }
    match text.parse::<u32>() {
        Ok(d) if d <= chiso::wire::MAX_DIGITS => Ok(Precision::Digits(d)),
        _ => Err(format!(
            "`{text}`: 0 to {max} decimal places, or `exact` (cần từ 0 đến {max} chữ số thập phân, hoặc `exact`)",
            max = chiso::wire::MAX_DIGITS
        )),
    }
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
        Command::Eval { rulebook, data, format, locale, unit, precision, totals } => {
            let precision = precision.unwrap_or(Precision::Digits(chiso::wire::JSON_DIGITS));
            let detail = if totals { Detail::Totals } else { Detail::Scorecard };
            let shown = Shown { format, unit: unit.as_deref(), precision, detail };
            cmd_eval(&mut out, &rulebook, &data, locale, shown)
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
        Err(fatal) => {
            errln!("chiso: {}", fatal.render(lang));
            ExitCode::from(2)
        }
    }
}

/// Reads the files a plan or a rulebook names (`rulebook "…"`, `units "…"`) from disk.
struct Disk;

impl Resolver for Disk {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }
}

/// The workspace every command works in: the standard library's functions as its prelude.
fn workspace() -> Workspace {
    Workspace::new(chiso_stdlib::functions())
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, Fatal> {
    std::fs::read(path).map_err(|err| Fatal::CannotRead { path: path.display().to_string(), err })
}

/// Adds a source file to the workspace (a file that is not UTF-8 gets E0103).
fn open(ws: &mut Workspace, path: &Path) -> Result<FileId, Fatal> {
    Ok(ws.add(&path.display().to_string(), read_bytes(path)?))
}

/// Parses and checks a file; a plan is checked with its rulebook (`rulebook`, else the one it
/// names).
fn analyze(ws: &mut Workspace, path: &Path, rulebook: Option<&Path>, lang: Lang) -> Result<Analysis, Fatal> {
    let rulebook = rulebook.map(|p| open(ws, p)).transpose()?;
    let file = open(ws, path)?;
    ws.check(file, rulebook, &Disk).map_err(|r| Fatal::Said(r.message_in(ws, lang.diag())))
}

/// Diagnostics rendered for the terminal, each under the name of its file.
fn show(lang: Lang, ws: &Workspace, located: &[Located]) -> String {
    let mut out = String::new();
    for run in located.chunk_by(|a, b| a.file == b.file) {
        let diags: Vec<Diagnostic> = run.iter().map(|l| l.diagnostic.clone()).collect();
        let other = |a: Anchor| ws.file_of(a).map(|f| (ws.label(f), ws.text(f)));
        out.push_str(&render::diagnostics(lang, &ws.label(run[0].file), ws.text(run[0].file), &diags, &other));
    }
    out
}

/// Diagnostics as JSON, each naming its file.
fn wire(lang: Lang, ws: &Workspace, located: &[Located]) -> Vec<WireDiagnostic> {
    ws.wire_all(located, lang.diag(), ColumnCount::Characters)
}

fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = files.len();
            walk(p, &mut files).map_err(|err| Fatal::CannotRead { path: p.display().to_string(), err })?;
            if files.len() == before {
                let folder = p.display().to_string();
                return Err(if p.extension().is_some_and(|e| e == "chiso") {
                    Fatal::FolderNamedLikeRules { folder }
                } else {
                    Fatal::NoRulesInFolder { folder }
                });
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(Fatal::NoSuchPath { path: p.display().to_string() });
        }
    }
    files.sort();
    Ok(files)
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

fn cmd_check(out: &mut Out, paths: &[PathBuf], format: CheckFormat) -> Outcome {
    let files = collect_files(paths)?;
    let mut ws = workspace();
    let mut all = Vec::new();
    for f in &files {
        let analysis = analyze(&mut ws, f, None, out.lang)?;
        let diagnostics = analysis.diagnostics();
        if let CheckFormat::Text = format {
            err!("{}", show(out.lang, &ws, &diagnostics));
        }
        all.extend(diagnostics);
    }
    let errors = all.iter().filter(|l| l.diagnostic.is_error()).count();
    let warnings = all.len() - errors;
    match format {
        CheckFormat::Text => {
            errln!("{}", Say::Checked { files: files.len(), errors, warnings }.render(out.lang))
        }
        CheckFormat::Json => {
            outln!(out, "{}", to_json(&CheckReport { diagnostics: wire(out.lang, &ws, &all), errors, warnings })?)
        }
    }
    Ok(errors == 0)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Fatal> {
    serde_json::to_string_pretty(v).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> Fatal {
    Fatal::CannotFormat { format: "JSON", why: e.to_string() }
}

/// Pretty JSON nested one level deeper: every line after `prefix`. No line of serde_json's
/// pretty output is inside a string (a newline in a string is written `\n`).
fn indented(json: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    for (k, line) in json.lines().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(prefix);
        out.push_str(line);
    }
    out
}

/// A rulebook and a data file, scored.
struct Scored<T> {
    ws: Workspace,
    analysis: Analysis,
    /// One unit with its explanations ([`ExplainedCohort`]), or the data to score unit by unit.
    scores: T,
    /// Every diagnostic of the rulebook and the data (warnings only).
    diagnostics: Vec<Located>,
    /// How the data's numbers were read, and so how results show them.
    locale: Locale,
}

/// The data a rulebook is to score, and how to score it.
trait Scoring: Sized {
    /// Reads `data` and, for an explanation of `unit`, scores it; the diagnostics and the scores.
    fn run(
        ws: &Workspace,
        analysis: &Analysis,
        data: DataFile,
        unit: &str,
        lang: Lang,
    ) -> Result<(Vec<Located>, Option<Self>), Fatal>;
}

impl Scoring for ExplainedCohort {
    fn run(
        ws: &Workspace,
        analysis: &Analysis,
        data: DataFile,
        unit: &str,
        lang: Lang,
    ) -> Result<(Vec<Located>, Option<Self>), Fatal> {
        let explained = ws.explain(analysis, data, unit).map_err(|r| Fatal::Said(r.message_in(ws, lang.diag())))?;
        Ok((explained.diagnostics, explained.cohort))
    }
}

impl Scoring for Columns {
    fn run(
        ws: &Workspace,
        analysis: &Analysis,
        data: DataFile,
        _unit: &str,
        lang: Lang,
    ) -> Result<(Vec<Located>, Option<Self>), Fatal> {
        let loaded = ws.load(analysis, data).map_err(|r| Fatal::Said(r.message_in(ws, lang.diag())))?;
        Ok((loaded.diagnostics, loaded.data))
    }
}

/// Checks a rulebook and reads a data file, with `unit` scored with explanations
/// (`ExplainedCohort`) or ready to be scored unit by unit (`Columns`); prints the diagnostics
/// that stop it (and the data's warnings). `None` when the rulebook or the data has errors.
fn score<T: Scoring>(
    lang: Lang,
    rulebook: &Path,
    data_path: &Path,
    unit: &str,
    locale: Option<LocaleArg>,
) -> Result<Option<Scored<T>>, Fatal> {
    let mut ws = workspace();
    let analysis = analyze(&mut ws, rulebook, None, lang)?;
    if let Some(units) = &analysis.units {
        if units.has_errors() {
            err!("{}", show(lang, &ws, &units.diagnostics()));
            errln!("{}", Say::UnitsFileHasErrors { file: ws.name(units.file) }.render(lang));
            return Ok(None);
        }
        if units.checked.env.units.is_empty() {
            return Err(Fatal::Said(Say::UnitsFileEmpty { file: ws.name(units.file) }.render(lang)));
        }
    }
    if analysis.has_errors() {
        err!("{}", show(lang, &ws, &analysis.blocking()));
        errln!("{}", Say::RulebookHasErrors.render(lang));
        return Ok(None);
    }
    let name = data_path.display().to_string();
    let bytes = read_bytes(data_path)?;
    let reading = progress::Progress::reading(lang, bytes.len());
    let (file, format) = match data_kind(data_path)? {
        DataKind::Text(format) => (ws.add_data(&name, bytes), format),
        DataKind::Xlsx => (ws.add_workbook(&name, &bytes), Format::Csv),
    };
    let stated = locale.map(LocaleArg::locale);
    let data = DataFile { file, format, locale: stated };
    // Scores only, unless an explanation is asked for: its steps cost most of the time.
    let (diagnostics, scores) = T::run(&ws, &analysis, data, unit, lang)?;
    drop(reading);
    let data_diagnostics: Vec<Located> = diagnostics.iter().filter(|l| l.file == file).cloned().collect();
    err!("{}", show(lang, &ws, &data_diagnostics));
    let Some(scores) = scores else {
        errln!("{}", Say::DataHasErrors.render(lang));
        return Ok(None);
    };
    let locale = stated.or(analysis.checked.env.locale).unwrap_or_default();
    Ok(Some(Scored { ws, analysis, scores, diagnostics, locale }))
}

/// What `chiso eval` writes: the format, one unit or all, the precision, and whether each unit's
/// indicators or only its totals.
struct Shown<'a> {
    format: EvalFormat,
    unit: Option<&'a str>,
    precision: Precision,
    detail: Detail,
}

fn cmd_eval(out: &mut Out, rulebook: &Path, data_path: &Path, locale: Option<LocaleArg>, shown: Shown) -> Outcome {
    let Shown { format, unit, precision, detail } = shown;
    if detail == Detail::Totals && !matches!(format, EvalFormat::Csv) {
        return Err(Fatal::Said(Say::TotalsNeedCsv.render(out.lang)));
    }
    let Some(s) = score::<Columns>(out.lang, rulebook, data_path, "", locale)? else { return Ok(false) };
    let data = &s.scores;
    if data.is_empty() {
        errln!("{}", Say::NoUnits.render(out.lang));
        return Ok(false);
    }
    if let Some(u) = unit {
        if !data.ids().any(|x| x == u) {
            return Err(Fatal::Said(Say::NoSuchUnit { unit: u }.render(out.lang)));
        }
    }
    let warnings = s.analysis.checked.diagnostics.len();
    if warnings > 0 && matches!(format, EvalFormat::Table) {
        errln!("{}", Say::RulebookWarnings { count: warnings, rulebook: s.ws.name(s.analysis.file) }.render(out.lang));
    }
    let style = render::Style { lang: out.lang, locale: s.locale };
    // Evaluation errors of every unit fail the run, whichever unit is shown.
    let mut errors = say::Failures::default();
    let mut note_errors = |u: &UnitResult| {
        for i in u.indicators.iter().filter(|i| i.error) {
            errors.add(&u.id, &i.id);
        }
    };
    let progress = progress::Progress::scoring(out.lang, data.len());
    let lang = out.lang;
    match format {
        EvalFormat::Csv => {
            // Each unit's rows are written as soon as it is scored: no scorecard is kept.
            // Ranks were computed among all units: a unit shown alone keeps its own.
            out!(
                out,
                "{}",
                render::csv_header().map_err(|e| Fatal::CannotFormat { format: "CSV", why: e.to_string() })?
            );
            match precision {
                Precision::Digits(digits) => {
                    // The float filter: numbers rounded as they are written, exactly.
                    let mut text = String::new();
                    s.ws.score_each_rounded(&s.analysis, data, digits, detail, &mut |u| {
                        u.errors.iter().for_each(|i| errors.add(u.id, i));
                        progress.scored(lang);
                        if unit.is_some_and(|only| only != u.id) {
                            return;
                        }
                        render::csv_rounded(u, &mut text);
                        if text.len() > 1 << 16 {
                            out!(out, "{text}");
                            text.clear();
                        }
                    });
                    out!(out, "{text}");
                }
                Precision::Exact => {
                    let mut failed = None;
                    s.ws.score_each(&s.analysis, data, &mut |u| {
                        note_errors(&u);
                        progress.scored(lang);
                        if failed.is_some() || unit.is_some_and(|only| only != u.id) {
                            return;
                        }
                        match render::csv_unit(&u, precision, detail) {
                            Ok(text) => out!(out, "{text}"),
                            Err(e) => failed = Some(e),
                        }
                    });
                    if let Some(e) = failed {
                        return Err(Fatal::CannotFormat { format: "CSV", why: e.to_string() });
                    }
                }
            }
        }
        EvalFormat::Json => {
            // The document `EvalReport` serializes to, written a unit at a time as each is scored:
            // a million scorecards are never held, as text or as trees.
            let title = serde_json::to_string(&s.analysis.checked.env.title).map_err(json_error)?;
            out!(out, "{{\n  \"rulebook\": {title},\n  \"units\": [");
            let (mut first, mut failed) = (true, None);
            let mut write = |w: &WireUnit| match to_json(w) {
                Ok(text) => {
                    out!(out, "{}\n{}", if first { "" } else { "," }, indented(&text, "    "));
                    first = false;
                }
                Err(e) => failed = Some(e),
            };
            match precision {
                // The float filter, as for CSV: the same document, numbers rounded exactly.
                Precision::Digits(digits) => {
                    s.ws.score_each_rounded(&s.analysis, data, digits, Detail::Scorecard, &mut |u| {
                        u.errors.iter().for_each(|i| errors.add(u.id, i));
                        progress.scored(lang);
                        if unit.is_none_or(|only| only == u.id) {
                            write(&WireUnit::from_rounded(u));
                        }
                    });
                }
                Precision::Exact => {
                    s.ws.score_each(&s.analysis, data, &mut |u| {
                        note_errors(&u);
                        progress.scored(lang);
                        if unit.is_none_or(|only| only == u.id) {
                            write(&WireUnit::with_precision(&u, precision));
                        }
                    });
                }
            }
            if let Some(e) = failed {
                return Err(e);
            }
            let diagnostics = to_json(&wire(out.lang, &s.ws, &s.diagnostics))?;
            let close = if first { "]" } else { "\n  ]" };
            outln!(out, "{close},\n  \"diagnostics\": {}\n}}", indented(&diagnostics, "  ").trim_start());
        }
        EvalFormat::Table => {
            // Each unit's card is written as it is scored; only its ranking line is kept.
            let mut table = render::Table::new(s.analysis.checked.env.title.as_deref(), style);
            out!(out, "{}", table.head());
            match unit {
                // One unit's card: the others are scored for their totals (through the float
                // filter), which is all its rank and the run's failures need, and the card
                // exactly, not every unit's scorecard exactly.
                Some(only) => {
                    s.ws.score_each_rounded(&s.analysis, data, chiso::wire::JSON_DIGITS, Detail::Totals, &mut |u| {
                        u.errors.iter().for_each(|i| errors.add(u.id, i));
                        progress.scored(lang);
                    });
                    if let Some(card) = s.ws.scorecard(&s.analysis, data, only) {
                        out!(out, "{}", table.unit(&card));
                    }
                }
                // Every card, rounded as the filter scores it: exact text without exact scoring.
                None => {
                    s.ws.score_each_rounded(&s.analysis, data, render::TABLE_DIGITS, Detail::Scorecard, &mut |u| {
                        u.errors.iter().for_each(|i| errors.add(u.id, i));
                        progress.scored(lang);
                        out!(out, "{}", table.rounded_unit(u));
                    });
                }
            }
            out!(out, "{}", table.ranking(unit));
        }
    }
    drop(progress);
    // Missing data is a status, not a failure; an evaluation error (division by zero, a value no
    // arm matches) is.
    if !errors.is_empty() {
        errln!("{}", Say::EvaluationErrors { failures: &errors }.render(out.lang));
    }
    Ok(errors.is_empty())
}

fn cmd_explain(
    out: &mut Out,
    rulebook: &Path,
    data_path: &Path,
    unit: &str,
    subject: &Subject,
    locale: Option<LocaleArg>,
) -> Outcome {
    let Some(s) = score::<ExplainedCohort>(out.lang, rulebook, data_path, unit, locale)? else { return Ok(false) };
    let Some(u) = &s.scores.unit else {
        return Err(Fatal::Said(Say::NoSuchUnit { unit }.render(out.lang)));
    };
    let style = render::Style { lang: out.lang, locale: s.locale };
    let text = match subject {
        Subject::Indicator(id) => {
            let rule = s.ws.rule_text(&s.analysis, id);
            let percent = percent_names(&s.analysis, id);
            // An id that names no indicator but a pillar explains the pillar.
            render::explain(u, id, &rule, &percent, style).or_else(|| render::explain_pillar(u, id, style))
        }
        Subject::Pillar(id) => render::explain_pillar(u, id, style),
        Subject::Total => Some(render::explain_total(u, s.scores.units, s.ws.index_rule(&s.analysis), style)),
    };
    match text {
        Some(text) => {
            out!(out, "{text}");
            Ok(true)
        }
        None => Err(match subject {
            Subject::Pillar(id) => Fatal::NoPillar { id: id.clone() },
            Subject::Indicator(id) => Fatal::NoIndicator { id: id.clone() },
            Subject::Total => Fatal::NothingToExplain,
        }),
    }
}

/// The inputs and `let`s of indicator `id` that are percentages, so that an explanation shows
/// `ratio = 80%` as the rule reads, not `0.8`.
fn percent_names(analysis: &Analysis, id: &str) -> VecSet<String> {
    chiso::workspace::percent_names(&analysis.parse.file, &analysis.checked.env, id)
}

fn cmd_test(out: &mut Out, paths: &[PathBuf]) -> Outcome {
    let files = collect_files(paths)?;
    let mut ws = workspace();
    let (mut passed, mut failed) = (0, 0);
    let mut ok = true;
    for f in &files {
        let analysis = analyze(&mut ws, f, None, out.lang)?;
        let name = ws.name(analysis.file).to_string();
        let Some(outcomes) = ws.test(&analysis) else {
            err!("{}", show(out.lang, &ws, &analysis.blocking()));
            errln!("{}", Say::TestsNotRun { file: &name }.render(out.lang));
            ok = false;
            continue;
        };
        let style = render::Style { lang: out.lang, locale: analysis.checked.env.locale.unwrap_or_default() };
        for t in outcomes {
            if t.passed() {
                passed += 1;
                outln!(out, "PASS {name} :: {} ({} expectation(s))", t.title, t.expectations);
            } else {
                failed += 1;
                outln!(out, "FAIL {name} :: {}", t.title);
                // Each failed expectation, then how the value it was about came out.
                for (d, why) in t.failures.iter().zip(&t.explanations) {
                    let located = Located { file: analysis.file, diagnostic: d.clone() };
                    err!("{}", show(out.lang, &ws, std::slice::from_ref(&located)));
                    if let Some(why) = why {
                        err!("{}", explain_failed(why, &ws, &analysis, style));
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
    ws: &Workspace,
    analysis: &Analysis,
    style: render::Style,
) -> String {
    use chiso::testing::Subject as S;
    let u = &why.unit;
    let shown = match &why.subject {
        S::Indicator(id) => render::explain(u, id, &ws.rule_text(analysis, id), &percent_names(analysis, id), style),
        S::Pillar(id) => render::explain_pillar(u, id, style),
        S::Total | S::Index => Some(render::explain_total(u, 1, ws.index_rule(analysis), style)),
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
        _ => Err(Fatal::DataExtension { path: path.display().to_string() }),
    }
}

/// The format of a plan's data file, from its extension (plans read text data only).
fn data_format(path: &Path) -> Result<Format, Fatal> {
    match data_kind(path)? {
        DataKind::Text(f) => Ok(f),
        DataKind::Xlsx => Err(Fatal::PlanDataWorkbook { path: path.display().to_string() }),
    }
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
    let as_of =
        chiso::plan::Date::parse(as_of).map_err(|why| Fatal::AsOf { text: as_of.to_string(), why: Box::new(why) })?;
    let mut ws = workspace();
    let analysis = analyze(&mut ws, plan, rulebook, out.lang)?;
    if let Some(rb) = analysis.rulebook.as_deref().filter(|rb| rb.has_errors()) {
        err!("{}", show(out.lang, &ws, &rb.diagnostics()));
        errln!("{}", Say::RulebookBlocksPlan { rulebook: ws.name(rb.file) }.render(out.lang));
        return Ok(false);
    }
    if analysis.has_errors() {
        err!("{}", show(out.lang, &ws, &analysis.diagnostics()));
        errln!("{}", Say::PlanHasErrors.render(out.lang));
        return Ok(false);
    }
    let env = &analysis.checked.env;
    if env.plan.is_none() && env.targets.is_empty() && env.tasks.is_empty() {
        return Err(Fatal::NoPlan { file: ws.name(analysis.file).to_string() });
    }
    let warnings = analysis.checked.diagnostics.len();
    if warnings > 0 && !matches!(format, EvalFormat::Json) {
        errln!("{}", Say::PlanWarnings { count: warnings, plan: ws.name(analysis.file) }.render(out.lang));
    }
    let data = match data_path {
        None => None,
        Some(path) => {
            let format = data_format(path)?;
            let file = ws.add_data(&path.display().to_string(), read_bytes(path)?);
            Some(DataFile { file, format, locale: locale.map(LocaleArg::locale) })
        }
    };
    let run = ws.status(&analysis, data, as_of).map_err(|r| Fatal::Said(r.message_in(&ws, out.lang.diag())))?;
    // The data's diagnostics, and the plan's warnings about the date (its others were counted).
    let (data_file, plan_file) = (data.map(|d| d.file), analysis.file);
    let data_diagnostics: Vec<Located> =
        run.diagnostics.iter().filter(|l| Some(l.file) == data_file).cloned().collect();
    err!("{}", show(out.lang, &ws, &data_diagnostics));
    let Some(status) = run.status else {
        errln!("{}", Say::PlanDataHasErrors.render(out.lang));
        return Ok(false);
    };
    let date_warnings: Vec<Located> = run
        .diagnostics
        .iter()
        .filter(|l| l.file == plan_file && !analysis.checked.diagnostics.contains(&l.diagnostic))
        .cloned()
        .collect();
    if !matches!(format, EvalFormat::Json) {
        err!("{}", show(out.lang, &ws, &date_warnings));
    }
    match format {
        EvalFormat::Table => out!(out, "{}", plan_render::status_table(&status, out.lang)),
        EvalFormat::Csv => {
            out!(
                out,
                "{}",
                plan_render::status_csv(&status)
                    .map_err(|e| Fatal::CannotFormat { format: "CSV", why: e.to_string() })?
            )
        }
        EvalFormat::Json => {
            outln!(out, "{}", to_json(&StatusReport::new(&status, wire(out.lang, &ws, &run.diagnostics)))?)
        }
    }
    Ok(true)
}

fn cmd_owners(out: &mut Out, paths: &[PathBuf], format: EvalFormat) -> Outcome {
    let files = collect_files(paths)?;
    let mut ws = workspace();
    let mut analyses = Vec::new();
    for f in &files {
        analyses.push(analyze(&mut ws, f, None, out.lang)?);
    }
    let owners = match chiso::workspace::owners(&analyses) {
        Ok(owners) => owners,
        Err(errors) => {
            for run in errors.chunk_by(|a, b| a.file == b.file) {
                err!("{}", show(out.lang, &ws, run));
                errln!("{}", Say::FileHasErrors { file: ws.name(run[0].file) }.render(out.lang));
            }
            return Ok(false);
        }
    };
    match format {
        EvalFormat::Table => {
            out!(out, "{}{}", plan_render::owners_table(&owners.agencies), plan_render::unowned_table(&owners.unowned))
        }
        EvalFormat::Csv => {
            out!(out, "{}{}", plan_render::owners_csv(&owners.agencies), plan_render::unowned_csv(&owners.unowned))
        }
        EvalFormat::Json => {
            outln!(out, "{}", to_json(&OwnersReport::new(&owners.agencies).with_unowned(&owners.unowned))?)
        }
    }
    Ok(true)
}

fn cmd_fmt(out: &mut Out, paths: &[PathBuf], check: bool) -> Outcome {
    let files = collect_files(paths)?;
    let mut ws = workspace();
    let mut ok = true;
    for f in &files {
        let file = open(&mut ws, f)?;
        let name = ws.name(file).to_string();
        let formatted = match ws.format(file).map_err(|r| Fatal::Said(r.message_in(&ws, out.lang.diag())))? {
            Ok(formatted) => formatted,
            Err(errors) => {
                err!("{}", show(out.lang, &ws, &errors));
                if errors.iter().any(|l| l.diagnostic.code == chiso::Code::E0103) {
                    errln!("{}", Say::NotFormattedNotUtf8 { file: &name }.render(out.lang));
                } else {
                    errln!("{}", Say::NotFormattedSyntax { file: &name }.render(out.lang));
                }
                ok = false;
                continue;
            }
        };
        if formatted != ws.text(file) {
            if check {
                outln!(out, "{}", Say::NotFormatted { file: &name }.render(out.lang));
                ok = false;
            } else {
                std::fs::write(f, formatted)
                    .map_err(|err| Fatal::CannotWrite { what: say::Written::File(name.to_string()), err })?;
                outln!(out, "{}", Say::Formatted { file: &name }.render(out.lang));
            }
        }
    }
    Ok(ok)
}
