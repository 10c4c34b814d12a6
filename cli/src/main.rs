//! `chiso`: the command line over the `chiso` library. Reads files, renders diagnostics and
//! scorecards; all language work happens in the library.
//!
//! Exit codes: 0 ok; 1 diagnostics with errors, evaluation errors or failed tests; 2 usage or I/O.

mod plan_render;
mod render;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chiso::check::Checked;
use chiso::data::{self, Format};
use chiso::diag::Diagnostic;
use chiso::syntax::Parse;
use chiso::wire::{CheckReport, EvalReport, OwnersReport, StatusReport, WireDiagnostic};
use chiso::Locale;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "chiso", version, about = "Chiso: rules-as-code for performance indicators (chỉ số)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// The data: `.csv` (unit,indicator,input,value) or `.json`.
        #[arg(long)]
        data: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
        /// How numbers are written in the data (`vi`: 6,03 and 20.659); default: the rulebook's
        /// `locale`, else `en`.
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
        /// Show only this unit's scorecard (table format).
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
        /// The indicator id, e.g. 6.12.
        #[arg(long)]
        indicator: String,
        /// How numbers are written in the data.
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
        /// How numbers are written in the data; default: the plan's `locale`, else `en`.
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

/// A failure that ends the command: usage or I/O (exit 2).
struct Fatal(String);

type Outcome = Result<bool, Fatal>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check { paths, format } => cmd_check(&paths, format),
        Command::Eval { rulebook, data, format, locale, unit } => {
            cmd_eval(&rulebook, &data, format, locale, unit.as_deref())
        }
        Command::Explain { rulebook, data, unit, indicator, locale } => {
            cmd_explain(&rulebook, &data, &unit, &indicator, locale)
        }
        Command::Test { paths } => cmd_test(&paths),
        Command::Fmt { paths, check } => cmd_fmt(&paths, check),
        Command::Status { plan, data, as_of, rulebook, format, locale } => {
            cmd_status(&plan, data.as_deref(), &as_of, rulebook.as_deref(), format, locale)
        }
        Command::Owners { paths, format } => cmd_owners(&paths, format),
        Command::Lsp => chiso_lsp::run_stdio().map(|()| true).map_err(|e| Fatal(format!("language server: {e}"))),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(msg)) => {
            eprintln!("chiso: {msg}");
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
            walk(p, &mut files).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())))?;
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(Fatal(format!("no such file or folder: {}", p.display())));
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

fn cmd_check(paths: &[PathBuf], format: CheckFormat) -> Outcome {
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
            CheckFormat::Text => eprint!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics)),
            CheckFormat::Json => {
                wire.extend(checked.diagnostics.iter().map(|d| WireDiagnostic::new(d, &src.name, &src.text)))
            }
        }
    }
    match format {
        CheckFormat::Text => eprintln!("checked {} file(s): {errors} error(s), {warnings} warning(s)", files.len()),
        CheckFormat::Json => println!("{}", to_json(&CheckReport { diagnostics: wire, errors, warnings })?),
    }
    Ok(ok)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Fatal> {
    serde_json::to_string_pretty(v).map_err(|e| Fatal(format!("cannot write JSON: {e}")))
}

/// Loads a rulebook and a data file; prints their diagnostics. `None` when either has errors.
fn load(rulebook: &Path, data_path: &Path, locale: Option<LocaleArg>, quiet: bool) -> Result<Option<Loaded>, Fatal> {
    let src = read_source(rulebook)?;
    let (parse, checked) = analyze(&src)?;
    if !quiet || checked.has_errors() {
        eprint!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
    }
    if checked.has_errors() {
        eprintln!("chiso: the rulebook has errors; nothing was scored");
        return Ok(None);
    }
    let data_src = read_source(data_path)?;
    let format = match data_path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => return Err(Fatal(format!("{}: the data file must end in .csv or .json", data_path.display()))),
    };
    let locale = match locale {
        Some(LocaleArg::Vi) => Locale::Vi,
        Some(LocaleArg::En) => Locale::En,
        None => checked.env.locale.unwrap_or_default(),
    };
    let (dataset, mut data_diags) = data::load(&data_src.text, format, &checked.env, locale);
    if let Some(d) = &data_src.encoding_error {
        data_diags.insert(0, d.clone());
    }
    eprint!("{}", render::diagnostics(&data_src.name, &data_src.text, &data_diags));
    if data_diags.iter().any(Diagnostic::is_error) {
        eprintln!("chiso: the data file has errors; nothing was scored");
        return Ok(None);
    }
    let mut wire: Vec<WireDiagnostic> =
        checked.diagnostics.iter().map(|d| WireDiagnostic::new(d, &src.name, &src.text)).collect();
    wire.extend(data_diags.iter().map(|d| WireDiagnostic::new(d, &data_src.name, &data_src.text)));
    Ok(Some(Loaded { src, parse, checked, dataset, wire }))
}

struct Loaded {
    src: Source,
    parse: Parse,
    checked: Checked,
    dataset: data::Dataset,
    wire: Vec<WireDiagnostic>,
}

fn cmd_eval(
    rulebook: &Path,
    data_path: &Path,
    format: EvalFormat,
    locale: Option<LocaleArg>,
    unit: Option<&str>,
) -> Outcome {
    let Some(l) = load(rulebook, data_path, locale, true)? else { return Ok(false) };
    if l.dataset.units.is_empty() {
        eprintln!("chiso: the data file has no units");
        return Ok(false);
    }
    if let Some(u) = unit {
        if !l.dataset.units.iter().any(|x| x.id == u) {
            return Err(Fatal(format!("no unit `{u}` in the data")));
        }
    }
    let results = chiso::eval::evaluate(&l.parse.file, &l.checked.env, &l.dataset);
    let warnings = l.checked.diagnostics.len();
    if warnings > 0 && matches!(format, EvalFormat::Table) {
        eprintln!("chiso: {} warning(s) about the rulebook; run `chiso check {}` to see them", warnings, l.src.name);
    }
    match format {
        EvalFormat::Table => print!("{}", render::table(&results, unit)),
        EvalFormat::Csv => print!("{}", render::csv(&results)),
        EvalFormat::Json => println!("{}", to_json(&EvalReport::new(&results, l.wire))?),
    }
    // Missing data is a status, not a failure; an evaluation error (division by zero, a value no
    // arm matches) is.
    let errors: Vec<String> = results
        .units
        .iter()
        .flat_map(|u| u.indicators.iter().filter(|i| i.error).map(move |i| format!("{} / {}", u.id, i.id)))
        .collect();
    if !errors.is_empty() {
        eprintln!("chiso: evaluation errors in {} indicator result(s): {}", errors.len(), errors.join(", "));
    }
    Ok(errors.is_empty())
}

fn cmd_explain(rulebook: &Path, data_path: &Path, unit: &str, indicator: &str, locale: Option<LocaleArg>) -> Outcome {
    let Some(l) = load(rulebook, data_path, locale, true)? else { return Ok(false) };
    let results = chiso::eval::evaluate(&l.parse.file, &l.checked.env, &l.dataset);
    let Some(u) = results.units.iter().find(|u| u.id == unit) else {
        return Err(Fatal(format!("no unit `{unit}` in the data")));
    };
    let mut rule = String::new();
    chiso::check::for_each_indicator(&l.parse.file, &mut |i| {
        if i.id.text == indicator && rule.is_empty() {
            rule = i.span.text(&l.src.text).to_string();
        }
    });
    match render::explain(u, indicator, &rule) {
        Some(text) => {
            print!("{text}");
            Ok(true)
        }
        None => Err(Fatal(format!("no indicator `{indicator}` in the rulebook"))),
    }
}

fn cmd_test(paths: &[PathBuf]) -> Outcome {
    let files = collect_files(paths)?;
    let (mut passed, mut failed) = (0, 0);
    let mut ok = true;
    for f in &files {
        let src = read_source(f)?;
        let (parse, checked) = analyze(&src)?;
        if checked.has_errors() {
            eprint!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
            eprintln!("{}: has errors; its tests were not run", src.name);
            ok = false;
            continue;
        }
        for t in chiso::testing::run_tests(&parse.file, &checked.env) {
            if t.passed() {
                passed += 1;
                println!("PASS {} :: {} ({} expectation(s))", src.name, t.title, t.expectations);
            } else {
                failed += 1;
                println!("FAIL {} :: {}", src.name, t.title);
                eprint!("{}", render::diagnostics(&src.name, &src.text, &t.failures));
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(ok && failed == 0)
}

/// The format of a data file, from its extension.
fn data_format(path: &Path) -> Result<Format, Fatal> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => Ok(Format::Csv),
        Some("json") => Ok(Format::Json),
        _ => Err(Fatal(format!("{}: the data file must end in .csv or .json", path.display()))),
    }
}

fn cmd_status(
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
                eprint!("{}", render::diagnostics(&rb.src.name, &rb.src.text, &rb.checked.diagnostics));
                eprintln!("chiso: the rulebook {} has errors; the plan was not evaluated", rb.src.name);
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
        eprint!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
        eprintln!("chiso: the plan has errors; nothing was evaluated");
        return Ok(false);
    }
    if checked.env.plan.is_none() && checked.env.targets.is_empty() && checked.env.tasks.is_empty() {
        return Err(Fatal(format!("{}: declares no plan, target, task or schedule", src.name)));
    }
    let mut wire: Vec<WireDiagnostic> =
        checked.diagnostics.iter().map(|d| WireDiagnostic::new(d, &src.name, &src.text)).collect();
    if !checked.diagnostics.is_empty() && !matches!(format, EvalFormat::Json) {
        eprintln!(
            "chiso: {} warning(s) about the plan; run `chiso check {}` to see them",
            checked.diagnostics.len(),
            src.name
        );
    }
    let data = match data_path {
        None => chiso::plan::data::PlanData::default(),
        Some(path) => {
            let data_format = data_format(path)?;
            let data_src = read_source(path)?;
            let locale = match locale {
                Some(LocaleArg::Vi) => Locale::Vi,
                Some(LocaleArg::En) => Locale::En,
                None => checked.env.locale.unwrap_or_default(),
            };
            let (data, mut diags) = chiso::plan::data::load(&data_src.text, data_format, &checked.env, locale);
            if let Some(d) = &data_src.encoding_error {
                diags.insert(0, d.clone());
            }
            eprint!("{}", render::diagnostics(&data_src.name, &data_src.text, &diags));
            if diags.iter().any(Diagnostic::is_error) {
                eprintln!("chiso: the data file has errors; nothing was evaluated");
                return Ok(false);
            }
            wire.extend(diags.iter().map(|d| WireDiagnostic::new(d, &data_src.name, &data_src.text)));
            data
        }
    };
    let status = chiso::plan::status::evaluate(&parse.file, &checked.env, &data, as_of);
    match format {
        EvalFormat::Table => print!("{}", plan_render::status_table(&status)),
        EvalFormat::Csv => print!("{}", plan_render::status_csv(&status)),
        EvalFormat::Json => println!("{}", to_json(&StatusReport::new(&status, wire))?),
    }
    Ok(true)
}

fn cmd_owners(paths: &[PathBuf], format: EvalFormat) -> Outcome {
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
            eprint!("{}", render::diagnostics(&src.name, &src.text, &checked.diagnostics));
            eprintln!("chiso: {} has errors", src.name);
            ok = false;
        }
    }
    if !ok {
        return Ok(false);
    }
    let pairs: Vec<(&chiso::syntax::ast::File, &chiso::check::Env)> =
        checked_files.iter().map(|(_, p, c)| (&p.file, &c.env)).collect();
    let view = chiso::plan::owners::owners(&pairs);
    match format {
        EvalFormat::Table => print!("{}", plan_render::owners_table(&view)),
        EvalFormat::Csv => print!("{}", plan_render::owners_csv(&view)),
        EvalFormat::Json => println!("{}", to_json(&OwnersReport::new(&view))?),
    }
    Ok(true)
}

fn cmd_fmt(paths: &[PathBuf], check: bool) -> Outcome {
    let files = collect_files(paths)?;
    let mut ok = true;
    for f in &files {
        let src = read_source(f)?;
        let parse = chiso::parse(&src.text);
        let Some(formatted) = chiso::format::format(&src.text, &parse) else {
            eprint!("{}", render::diagnostics(&src.name, &src.text, &parse.errors));
            eprintln!("{}: not formatted because of syntax errors", src.name);
            ok = false;
            continue;
        };
        if formatted != src.text {
            if check {
                println!("{}: not formatted", src.name);
                ok = false;
            } else {
                std::fs::write(f, formatted).map_err(|e| Fatal(format!("cannot write {}: {e}", src.name)))?;
                println!("formatted {}", src.name);
            }
        }
    }
    Ok(ok)
}
