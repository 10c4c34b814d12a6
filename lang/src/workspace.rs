//! The engine's front door: one façade that every shell (the CLI, the language server, the browser
//! build, the tests) drives, so the pipeline — the prelude loaded once, a plan's `rulebook "…"`
//! resolved and checked with it, files that are not UTF-8, gating on errors, data read in the
//! rulebook's locale — is written once.
//!
//! A [`Workspace`] holds source texts by [`FileId`] (in the spirit of Typst's `World`): a shell
//! adds what it has read and passes a [`Resolver`] for the files a plan names but the shell has not
//! added. Every operation returns typed results whose diagnostics carry their file ([`Located`]),
//! and [`handle`] answers a whole [`Request`] with a [`Response`], both `serde`, so the browser and
//! any other client get the same JSON documents as `chiso … --format json`.
//!
//! Invariant: nothing here reads files, the clock or the environment; paths are strings joined
//! with `/`, and what a path means is the resolver's business.

use crate::map::VecSet;

use crate::data::{self, Columns, Format};
use crate::diag::{Anchor, Code, Diagnostic, Lang, Span};
use crate::engine::{Compilation, Program};
pub use crate::engine::{Detail, Digits, FilterStats, RoundedIndicator, RoundedPillar, RoundedUnit};
use crate::eval::{Results, UnitResult};
use crate::num::Locale;
use crate::pipeline::{self, Checked};
use crate::plan::{self, Date};
use crate::sema::{self, Lowered};
use crate::syntax::ast::{self, FnDecl, Item};
use crate::syntax::{self, Parse};
use crate::testing::{self, TestOutcome};
#[cfg(feature = "serde")]
// `wire::Columns` says what a column number counts; `data::Columns` is data held by column.
use crate::wire::{Columns as ColumnCount, WireDiagnostic};

/// A file of a [`Workspace`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

impl FileId {
    /// The file's position in the workspace, in the order files were added.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// What the spans of this file's tree and diagnostics count from.
    pub fn anchor(self) -> Anchor {
        Anchor(self.0.saturating_add(1))
    }

    /// The file whose spans count from `anchor`, if it is one of a workspace's files.
    pub fn of_anchor(anchor: Anchor) -> Option<FileId> {
        (anchor != Anchor::LOCAL && anchor != Anchor::PRELUDE).then(|| FileId(anchor.0 - 1))
    }
}

/// A diagnostic and the file it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The file of the main span.
    pub file: FileId,
    /// The diagnostic; its spans carry their file's anchor, and a label may point into another
    /// file (a plan's "declared here" into its rulebook).
    pub diagnostic: Diagnostic,
}

impl Located {
    /// A diagnostic about `file`; spans that count from the text at hand are anchored to it.
    pub fn new(file: FileId, diagnostic: Diagnostic) -> Located {
        Located { file, diagnostic: diagnostic.anchored(file.anchor()) }
    }
}

/// Reads the files a plan names (`rulebook "dti-2022.chiso"`) that the shell has not added.
pub trait Resolver {
    /// The bytes of the file at `path`: the reference joined to the referring file's folder
    /// with `/`. The error says why it cannot be read.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// A resolver that finds nothing: every file must already be in the workspace (the browser).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFiles;

impl Resolver for NoFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!("{path} is not among the files given"))
    }
}

/// One source text and what was learnt reading it.
#[derive(Clone, Debug)]
struct Source {
    name: String,
    text: String,
    /// E0103 when the bytes were not UTF-8 (the text is then a lossy copy); E0801 when a
    /// workbook has no readable sheet.
    read_error: Option<Diagnostic>,
    /// The sheet a workbook's data is read from; `text` is then the sheet as text.
    #[cfg(feature = "xlsx")]
    sheet: Option<data::xlsx::Sheet>,
}

impl Source {
    fn new(name: &str, text: String, read_error: Option<Diagnostic>) -> Source {
        Source {
            name: name.to_string(),
            text,
            read_error,
            #[cfg(feature = "xlsx")]
            sheet: None,
        }
    }
}

/// Why an operation produced no result at all (as opposed to results with diagnostics).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A plan names a rulebook that cannot be read.
    RulebookNotFound {
        /// The plan.
        plan: FileId,
        /// The path tried.
        path: String,
        /// Why it could not be read.
        why: String,
    },
    /// A rulebook names a units file (`units "…"`) that cannot be read.
    UnitsFileNotFound {
        /// The rulebook.
        rulebook: FileId,
        /// The path tried.
        path: String,
        /// Why it could not be read.
        why: String,
    },
    /// A file id that is not from this workspace.
    UnknownFile,
}

impl Refusal {
    /// A sentence for the user, naming files by their names in `ws`.
    pub fn message(&self, ws: &Workspace) -> String {
        self.message_in(ws, Lang::En)
    }

    /// [`Self::message`] in `lang` (`why`, the resolver's own words, is kept as it is).
    pub fn message_in(&self, ws: &Workspace, lang: Lang) -> String {
        match (self, lang) {
            (Refusal::RulebookNotFound { plan, path, why }, Lang::En) => {
                format!("{}: the plan's rulebook {path} cannot be read ({why})", ws.name(*plan))
            }
            (Refusal::RulebookNotFound { plan, path, why }, Lang::Vi) => {
                format!("{}: không đọc được bộ chỉ số {path} của kế hoạch ({why})", ws.name(*plan))
            }
            (Refusal::UnitsFileNotFound { rulebook, path, why }, Lang::En) => {
                format!("{}: the units file {path} cannot be read ({why})", ws.name(*rulebook))
            }
            (Refusal::UnitsFileNotFound { rulebook, path, why }, Lang::Vi) => {
                format!("{}: không đọc được tệp đơn vị {path} ({why})", ws.name(*rulebook))
            }
            (Refusal::UnknownFile, Lang::En) => "a file that is not part of the workspace".to_string(),
            (Refusal::UnknownFile, Lang::Vi) => "một tệp không thuộc vùng làm việc".to_string(),
        }
    }
}

/// A file checked, with the rulebook it uses when it is a plan that names one.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The file.
    pub file: FileId,
    /// Its syntax tree.
    pub parse: Parse,
    /// Its symbol table and diagnostics (an encoding error first).
    pub checked: Checked,
    /// The plan's rulebook, checked on its own, with its own diagnostics.
    pub rulebook: Option<Box<Analysis>>,
    /// The units file the rulebook names (`units "…"`), checked; its units are in `checked.env`.
    pub units: Option<Box<Analysis>>,
    /// The file compiled for scoring, made on first use ([`Self::program`]).
    code: CompiledOnce,
}

/// A checked file's [`Compilation`], made once: loading data (its `assume` check) and scoring
/// it share it, and so do the requests of a front door that keeps the analysis.
#[derive(Clone, Default)]
struct CompiledOnce(std::sync::OnceLock<std::sync::Arc<Compilation>>);

impl std::fmt::Debug for CompiledOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "compiled" } else { "not compiled yet" })
    }
}

impl Analysis {
    /// The file lowered for evaluation, tests and plans (see [`Lowered`]).
    pub fn lowered(&self) -> Lowered<'_> {
        Lowered::lower(&self.parse.file, &self.checked.env)
    }

    /// The file compiled for scoring (compiled at the first call, then kept with the analysis).
    pub fn program(&self) -> Program<'_> {
        let lowered = self.lowered();
        let code = self.code.0.get_or_init(|| std::sync::Arc::new(Compilation::new(&lowered)));
        Program::with(&lowered, code.clone())
    }

    /// The file's diagnostics, located.
    pub fn diagnostics(&self) -> Vec<Located> {
        self.checked.diagnostics.iter().map(|d| Located::new(self.file, d.clone())).collect()
    }

    /// Whether the file, its rulebook or its units file has errors.
    pub fn has_errors(&self) -> bool {
        self.checked.has_errors()
            || self.rulebook.as_ref().is_some_and(|r| r.has_errors())
            || self.units.as_ref().is_some_and(|u| u.has_errors())
    }

    /// The errors that stop scoring or evaluating: the rulebook's first (when it has any), then
    /// the units file's, else the file's.
    pub fn blocking(&self) -> Vec<Located> {
        match (&self.rulebook, &self.units) {
            (Some(rb), _) if rb.checked.has_errors() => rb.diagnostics(),
            (_, Some(units)) if units.checked.has_errors() => units.diagnostics(),
            _ => self.diagnostics(),
        }
    }
}

/// The data of a scoring or plan run.
#[derive(Clone, Copy, Debug)]
pub struct DataFile {
    /// The data file.
    pub file: FileId,
    /// CSV or JSON.
    pub format: Format,
    /// How numbers are written; `None`: the rulebook's `locale`, else English.
    pub locale: Option<Locale>,
}

/// A cohort's data loaded by column for scoring, or the diagnostics that stop it.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Every diagnostic of the rulebook and the data (warnings when there is data to score).
    pub diagnostics: Vec<Located>,
    /// The values, one vector per input; `None` when the rulebook or the data has errors.
    pub data: Option<Columns>,
}

/// One unit explained ([`Workspace::explain`]), or the diagnostics that stopped scoring.
#[derive(Clone, Debug)]
pub struct Explained {
    /// Every diagnostic of the rulebook and the data (warnings when there is a cohort).
    pub diagnostics: Vec<Located>,
    /// The cohort; `None` when the rulebook or the data has errors.
    pub cohort: Option<ExplainedCohort>,
}

/// The cohort a unit is explained in.
#[derive(Clone, Debug)]
pub struct ExplainedCohort {
    /// How many units the data has.
    pub units: usize,
    /// The unit's scorecard with its steps; `None` when no unit of the data has its id.
    pub unit: Option<UnitResult>,
}

/// A cohort scored: the results, or the diagnostics that stopped scoring.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Every diagnostic of the rulebook and the data (warnings when there are results).
    pub diagnostics: Vec<Located>,
    /// The scores; `None` when the rulebook or the data has errors.
    pub results: Option<Results>,
}

/// A plan evaluated as of a date, or the diagnostics that stopped it.
#[derive(Clone, Debug)]
pub struct StatusRun {
    /// Every diagnostic of the plan, its rulebook and its data.
    pub diagnostics: Vec<Located>,
    /// The plan's status; `None` when something has errors.
    pub status: Option<plan::status::PlanStatus>,
}

/// The façade: source texts by file id and the prelude, parsed once.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    prelude: Vec<FnDecl>,
    files: Vec<Source>,
}

impl Workspace {
    /// A workspace whose rulebooks see `prelude` (e.g. `chiso_stdlib::functions()`).
    pub fn new(prelude: Vec<FnDecl>) -> Workspace {
        Workspace { prelude, files: Vec::new() }
    }

    /// Adds a file from its bytes, or replaces the text of the file of that name. Bytes that are
    /// not UTF-8 are read lossily and the file gets an E0103 error at the first bad byte.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) -> FileId {
        let (text, read_error) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let d = Diagnostic::new(
                    Code::E0103,
                    Span::new(at, at + 1),
                    crate::diag::Message::NotValidUtf8 { byte: at },
                )
                .with_help(crate::diag::Hint::SaveUtf8);
                (text, Some(d))
            }
        };
        self.insert(Source::new(name, text, read_error))
    }

    /// Adds a file from its text, or replaces the text of the file of that name.
    pub fn add_text(&mut self, name: &str, text: &str) -> FileId {
        self.add_owned_text(name, text.to_string())
    }

    /// [`Self::add_text`], taking the text rather than copying it.
    pub fn add_owned_text(&mut self, name: &str, text: String) -> FileId {
        self.insert(Source::new(name, text, None))
    }

    /// Adds a data file (CSV or JSON) from its bytes: UTF-8, or UTF-16 with a byte order mark as
    /// Excel's "Unicode text" export writes it ([`data::decode`]).
    /// Bytes given by value are not copied (a large file is held once).
    pub fn add_data(&mut self, name: &str, bytes: impl Into<Vec<u8>>) -> FileId {
        let (text, read_error) = data::decode_owned(bytes.into());
        self.insert(Source::new(name, text, read_error))
    }

    /// Adds an Excel workbook from its bytes. Its first sheet with a header row is the data; its
    /// text (one line per row) is what the data's diagnostics point into, and [`Self::label`]
    /// names the sheet.
    #[cfg(feature = "xlsx")]
    pub fn add_workbook(&mut self, name: &str, bytes: &[u8]) -> FileId {
        match data::xlsx::read(bytes) {
            Ok((sheet, text)) => {
                let mut source = Source::new(name, text, None);
                source.sheet = Some(sheet);
                self.insert(source)
            }
            Err(d) => self.insert(Source::new(name, String::new(), Some(d))),
        }
    }

    fn insert(&mut self, source: Source) -> FileId {
        if let Some(id) = self.find(&source.name) {
            if let Some(slot) = self.files.get_mut(id.index()) {
                *slot = source;
            }
            return id;
        }
        self.files.push(source);
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// The file of that name.
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files.iter().position(|f| f.name == name).and_then(|i| u32::try_from(i).ok()).map(FileId)
    }

    /// The file's name as the shell gave it ("" for a foreign id).
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file.index()).map_or("", |f| f.name.as_str())
    }

    /// The file of this workspace whose spans count from `anchor`.
    pub fn file_of(&self, anchor: Anchor) -> Option<FileId> {
        FileId::of_anchor(anchor).filter(|f| f.index() < self.files.len())
    }

    /// Located diagnostics in their JSON form, texts in `lang`; a label that points into
    /// another file of the workspace (a plan's rulebook) names that file. Each file's lines are
    /// indexed once for all of them.
    #[cfg(feature = "serde")]
    pub fn wire_all(&self, located: &[Located], lang: Lang, columns: ColumnCount) -> Vec<WireDiagnostic> {
        let mut indexes: Vec<Option<crate::diag::LineIndex<'_>>> = vec![None; self.files.len()];
        for l in located {
            let own = std::iter::once(l.file);
            let others = l.diagnostic.labels.iter().filter_map(|label| self.file_of(label.span.anchor));
            for f in own.chain(others) {
                if let Some(slot @ None) = indexes.get_mut(f.index()) {
                    *slot = Some(crate::diag::LineIndex::new(self.text(f)));
                }
            }
        }
        let index_of = |f: FileId| indexes.get(f.index()).and_then(Option::as_ref);
        located
            .iter()
            .map(|l| {
                let other = |a: Anchor| {
                    let f = self.file_of(a)?;
                    Some((self.label(f), index_of(f)?))
                };
                let fallback;
                let idx = match index_of(l.file) {
                    Some(idx) => idx,
                    None => {
                        fallback = crate::diag::LineIndex::new(self.text(l.file));
                        &fallback
                    }
                };
                WireDiagnostic::with_indexes(&l.diagnostic, &self.label(l.file), idx, lang, columns, &other)
            })
            .collect()
    }

    /// The file's name for a reader: a workbook's names its sheet (`data.xlsx (sheet Sheet1)`).
    pub fn label(&self, file: FileId) -> String {
        match self.files.get(file.index()) {
            #[cfg(feature = "xlsx")]
            Some(Source { name, sheet: Some(sheet), .. }) => format!("{name} (sheet {})", sheet.name),
            Some(source) => source.name.clone(),
            None => String::new(),
        }
    }

    /// The file's text ("" for a foreign id).
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file.index()).map_or("", |f| f.text.as_str())
    }

    /// The prelude's functions.
    pub fn prelude(&self) -> &[FnDecl] {
        &self.prelude
    }

    fn source(&self, file: FileId) -> Result<&Source, Refusal> {
        self.files.get(file.index()).ok_or(Refusal::UnknownFile)
    }

    /// Parses and checks a file. A plan that names its rulebook (`rulebook "…"`, relative to the
    /// plan's folder) is checked with it; `rulebook` overrides the reference (`--rulebook`).
    pub fn check(
        &mut self,
        file: FileId,
        rulebook: Option<FileId>,
        resolver: &dyn Resolver,
    ) -> Result<Analysis, Refusal> {
        let source = self.source(file)?.clone();
        let parse = syntax::parse_anchored(&source.text, file.anchor());
        let rulebook = match rulebook {
            Some(rb) => Some(rb),
            None => self.named_rulebook(file, &parse, resolver)?,
        };
        let rulebook = match rulebook {
            Some(rb) if rb != file => Some(Box::new(self.check_alone(rb)?)),
            _ => None,
        };
        let mut checked = match &rulebook {
            Some(rb) => pipeline::check_with_rulebook(&parse, &self.prelude, &rb.checked.env),
            None => pipeline::check_with(&parse, &self.prelude),
        };
        if let Some(d) = source.read_error {
            checked.diagnostics.insert(0, d.anchored(file.anchor()));
        }
        let units = self.units_file(file, &mut checked, resolver)?;
        Ok(Analysis { file, parse, checked, rulebook, units, code: CompiledOnce::default() })
    }

    /// The units file a rulebook names (`units "units.chiso"`, next to it), checked, its units
    /// added to the rulebook's roster.
    fn units_file(
        &mut self,
        file: FileId,
        checked: &mut Checked,
        resolver: &dyn Resolver,
    ) -> Result<Option<Box<Analysis>>, Refusal> {
        let Some(reference) = checked.env.units_file.clone() else { return Ok(None) };
        let path = join(self.name(file), &reference);
        let id = match self.find(&path) {
            Some(id) => id,
            None => match resolver.read(&path) {
                Ok(bytes) => self.add(&path, bytes),
                Err(why) => return Err(Refusal::UnitsFileNotFound { rulebook: file, path, why }),
            },
        };
        let units = self.check_alone(id)?;
        checked.env.add_units(&units.checked.env);
        Ok(Some(Box::new(units)))
    }

    /// Checks a file on its own, without resolving a plan's `rulebook "…"` (a rulebook, or a plan
    /// whose names are to be checked in isolation).
    pub fn check_alone(&self, file: FileId) -> Result<Analysis, Refusal> {
        let source = self.source(file)?;
        let parse = syntax::parse_anchored(&source.text, file.anchor());
        let mut checked = pipeline::check_with(&parse, &self.prelude);
        if let Some(d) = &source.read_error {
            checked.diagnostics.insert(0, d.clone().anchored(file.anchor()));
        }
        Ok(Analysis { file, parse, checked, rulebook: None, units: None, code: CompiledOnce::default() })
    }

    /// The file a plan's `rulebook "…"` names, added to the workspace through `resolver` when the
    /// shell has not added it.
    fn named_rulebook(
        &mut self,
        plan: FileId,
        parse: &Parse,
        resolver: &dyn Resolver,
    ) -> Result<Option<FileId>, Refusal> {
        let Some(reference) = rulebook_reference(&parse.file) else { return Ok(None) };
        let path = join(self.name(plan), &reference);
        if let Some(id) = self.find(&path) {
            return Ok(Some(id));
        }
        match resolver.read(&path) {
            Ok(bytes) => Ok(Some(self.add(&path, bytes))),
            Err(why) => Err(Refusal::RulebookNotFound { plan, path, why }),
        }
    }

    /// Scores the units of `data` with a checked rulebook, without explanation steps (every
    /// score, status and total as [`Self::explain`] gives them for one unit, at a fraction of the
    /// cost). Nothing is scored when the rulebook or the data has errors; the diagnostics say why.
    pub fn evaluate(&self, rulebook: &Analysis, data: DataFile) -> Result<Evaluation, Refusal> {
        if rulebook.has_errors() {
            return Ok(Evaluation { diagnostics: rulebook.blocking(), results: None });
        }
        let loaded = self.load(rulebook, data)?;
        let results = loaded.data.map(|columns| self.scores(rulebook, &columns));
        Ok(Evaluation { diagnostics: loaded.diagnostics, results })
    }

    /// The unit `unit` of `data` scored with the steps that explain every score, ranked among
    /// all the units (the others are scored for their totals only: their steps would take most
    /// of the time and memory). Nothing is scored when the rulebook or the data has errors.
    pub fn explain(&self, rulebook: &Analysis, data: DataFile, unit: &str) -> Result<Explained, Refusal> {
        if rulebook.has_errors() {
            return Ok(Explained { diagnostics: rulebook.blocking(), cohort: None });
        }
        let loaded = self.load(rulebook, data)?;
        let cohort = loaded.data.map(|columns| ExplainedCohort {
            units: columns.len(),
            unit: rulebook.program().explained(&columns, unit),
        });
        Ok(Explained { diagnostics: loaded.diagnostics, cohort })
    }

    /// Reads a cohort's data for scoring with [`Self::scores`] or [`Self::score_each`], with
    /// the same diagnostics as [`Self::evaluate`]. The values are held one vector per input, a
    /// few bytes a value, so a million units fit in memory.
    pub fn load(&self, rulebook: &Analysis, data: DataFile) -> Result<Loaded, Refusal> {
        if rulebook.has_errors() {
            return Ok(Loaded { diagnostics: rulebook.blocking(), data: None });
        }
        let source = self.source(data.file)?;
        let env = &rulebook.checked.env;
        let (columns, mut diags) = match read_sheet_columns(source, env, data.locale) {
            Some(read) => read,
            None => data::load_columns(&source.text, data.format, env, data.locale),
        };
        diags.extend(crate::roster::check(env, &columns, &source.text));
        diags.extend(rulebook.program().assume_diagnostics(&rulebook.lowered(), &columns, &source.text));
        // As `evaluate_as` refuses: any error of the data file, its reading included.
        let data_diags = source.read_error.iter().chain(&diags);
        let refused = data_diags.clone().any(Diagnostic::is_error);
        let mut diagnostics = rulebook.diagnostics();
        diagnostics.extend(data_diags.map(|d| Located::new(data.file, d.clone())));
        Ok(Loaded { diagnostics, data: (!refused).then_some(columns) })
    }

    /// The scores of data from [`Self::load`] (what [`Self::evaluate`] gives).
    pub fn scores(&self, rulebook: &Analysis, data: &Columns) -> Results {
        rulebook.program().scores_columns(data)
    }

    /// The scorecard of the unit `id` of data from [`Self::load`], ranked among all the units
    /// (what [`Self::scores`] gives for it, the others scored for their totals only); `None`
    /// when no unit has that id.
    pub fn scorecard(&self, rulebook: &Analysis, data: &Columns, id: &str) -> Option<UnitResult> {
        rulebook.program().scorecard(data, id)
    }

    /// Scores data from [`Self::load`] unit by unit, handing each scorecard (rank included) to
    /// `emit` as soon as it is made: the scorecards of [`Self::scores`], never all held at once.
    pub fn score_each(&self, rulebook: &Analysis, data: &Columns, emit: &mut dyn FnMut(UnitResult)) {
        rulebook.program().for_each(data, emit)
    }

    /// Scores data from [`Self::load`] unit by unit with every number rounded to `digits`
    /// decimals (as `chiso eval --format csv` writes them; the table rounds its index to more,
    /// [`Digits`]), handing each scorecard to `emit`:
    /// the text of [`Self::score_each`]'s scorecards, computed in doubles wherever that is provably
    /// exact (the compiled evaluator's float filter) and exactly elsewhere; `detail` says whether
    /// each scorecard has its indicators or only its totals.
    pub fn score_each_rounded(
        &self,
        rulebook: &Analysis,
        data: &Columns,
        digits: impl Into<Digits>,
        detail: Detail,
        emit: &mut dyn FnMut(&RoundedUnit),
    ) -> FilterStats {
        rulebook.program().for_each_rounded_with(data, digits, detail, emit)
    }

    /// The data by unit, as the tree-walker reads it: the reference the tests compare the
    /// engine's answers with.
    #[cfg(test)]
    fn load_data(&self, rulebook: &Analysis, data: DataFile) -> Result<(data::Dataset, Vec<Located>), Refusal> {
        let source = self.source(data.file)?;
        let env = &rulebook.checked.env;
        // The stated locale (else the rulebook's; else numbers that depend on it are refused).
        let (dataset, mut diags) = match read_sheet(source, env, data.locale) {
            Some(read) => read,
            None => data::load(&source.text, data.format, env, data.locale),
        };
        // The units against the roster, the values against the rulebook's `assume`s.
        diags.extend(crate::roster::check(env, &dataset, &source.text));
        diags.extend(crate::eval::assume::diagnostics(&rulebook.lowered(), &dataset, &source.text));
        let located = source.read_error.iter().chain(&diags).map(|d| Located::new(data.file, d.clone()));
        Ok((dataset, located.collect()))
    }

    /// Runs a file's `test` blocks; `None` when the file has errors (they are not run then).
    pub fn test(&self, analysis: &Analysis) -> Option<Vec<TestOutcome>> {
        (!analysis.has_errors()).then(|| testing::run_tests(&analysis.lowered()))
    }

    /// Evaluates a plan as of a date, with its reported data (none: nothing reported yet).
    pub fn status(&self, plan: &Analysis, data: Option<DataFile>, as_of: Date) -> Result<StatusRun, Refusal> {
        if plan.has_errors() {
            return Ok(StatusRun { diagnostics: plan.blocking(), status: None });
        }
        let mut diagnostics = plan.diagnostics();
        let reported = match data {
            None => plan::data::PlanData::default(),
            Some(data) => {
                let source = self.source(data.file)?;
                let (reported, diags) = plan::data::load(&source.text, data.format, &plan.checked.env, data.locale);
                let refused = source.read_error.is_some() || diags.iter().any(Diagnostic::is_error);
                diagnostics.extend(source.read_error.iter().chain(&diags).map(|d| Located::new(data.file, d.clone())));
                if refused {
                    return Ok(StatusRun { diagnostics, status: None });
                }
                reported
            }
        };
        if let Some(d) = plan::status::as_of_warning(&plan.parse.file, &plan.checked.env, as_of) {
            diagnostics.push(Located::new(plan.file, d));
        }
        let status = plan::status::evaluate(&plan.lowered(), &reported, as_of);
        Ok(StatusRun { diagnostics, status: Some(status) })
    }

    /// Formats a file; its syntax errors when it has any (a broken file is never reformatted,
    /// nor one that is not UTF-8, whose bytes a lossy copy would destroy).
    pub fn format(&self, file: FileId) -> Result<Result<String, Vec<Located>>, Refusal> {
        let source = self.source(file)?;
        if let Some(d) = &source.read_error {
            return Ok(Err(vec![Located::new(file, d.clone())]));
        }
        let parse = syntax::parse(&source.text);
        Ok(crate::syntax::print::format(&source.text, &parse)
            .ok_or_else(|| parse.errors.iter().map(|d| Located::new(file, d.clone())).collect()))
    }
}

/// A workbook's data read for a rulebook by unit, the tests' reference; `None` for a text file.
#[cfg(all(test, feature = "xlsx"))]
fn read_sheet(source: &Source, env: &sema::Env, locale: Option<Locale>) -> Option<(data::Dataset, Vec<Diagnostic>)> {
    match &source.sheet {
        Some(sheet) => Some(sheet.load_dataset(&source.text, env, locale)),
        None if source.read_error.is_some() && source.text.is_empty() => Some((data::Dataset::default(), Vec::new())),
        None => None,
    }
}

#[cfg(all(test, not(feature = "xlsx")))]
fn read_sheet(_: &Source, _: &sema::Env, _: Option<Locale>) -> Option<(data::Dataset, Vec<Diagnostic>)> {
    None
}

/// A workbook's data read for a rulebook into columns, as a CSV file is read for scoring; `None`
/// for a text file. A workbook that could not be read has no data (its read error says why).
#[cfg(feature = "xlsx")]
fn read_sheet_columns(source: &Source, env: &sema::Env, locale: Option<Locale>) -> Option<(Columns, Vec<Diagnostic>)> {
    match &source.sheet {
        Some(sheet) => Some(sheet.load_columns(&source.text, env, locale)),
        None if source.read_error.is_some() && source.text.is_empty() => Some((Columns::default(), Vec::new())),
        None => None,
    }
}

#[cfg(not(feature = "xlsx"))]
fn read_sheet_columns(_: &Source, _: &sema::Env, _: Option<Locale>) -> Option<(Columns, Vec<Diagnostic>)> {
    None
}

impl Workspace {
    /// The text of indicator `id`'s declaration as written ("" when no indicator has that id).
    pub fn rule_text(&self, analysis: &Analysis, id: &str) -> String {
        let text = self.text(analysis.file);
        let mut rule = String::new();
        sema::for_each_indicator(&analysis.parse.file, &mut |i| {
            if i.id.text == id && rule.is_empty() {
                rule = i.span.text(text).to_string();
            }
        });
        rule
    }

    /// The rulebook's `index` rule as written, if it has one.
    pub fn index_rule(&self, analysis: &Analysis) -> Option<&str> {
        let text = self.text(analysis.file);
        analysis.parse.file.items.iter().find_map(|i| match i {
            Item::Rulebook(r) => r.props.iter().find_map(|p| match p {
                ast::RulebookProp::Index(e) => Some(e.span.text(text)),
                _ => None,
            }),
            _ => None,
        })
    }
}

/// Who is responsible for what: the duties of every agency, and the items that name no owner.
#[derive(Clone, Debug)]
pub struct Owners {
    /// Per agency, in declaration order.
    pub agencies: Vec<plan::owners::AgencyDuties>,
    /// (kind, duty) of every indicator, target or task without an owner.
    pub unowned: Vec<(&'static str, plan::owners::Duty)>,
}

/// The duties of every agency of `analyses` (each plan's rulebook first, once), or the errors
/// that stop it.
pub fn owners(analyses: &[Analysis]) -> Result<Owners, Vec<Located>> {
    let mut files: Vec<&Analysis> = Vec::new();
    for a in analyses {
        for f in a.rulebook.as_deref().into_iter().chain(std::iter::once(a)) {
            if !files.iter().any(|seen| seen.file == f.file) {
                files.push(f);
            }
        }
    }
    let errors: Vec<Located> = files.iter().filter(|f| f.checked.has_errors()).flat_map(|f| f.diagnostics()).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let lowered: Vec<Lowered<'_>> = files.iter().map(|f| f.lowered()).collect();
    Ok(Owners { agencies: plan::owners::owners(&lowered), unowned: plan::owners::unowned(&lowered) })
}

/// The inputs and `let`s of indicator `id` whose unit is percent, so that an explanation can show
/// `ratio = 80%` as the rule reads rather than `0.8`.
pub fn percent_names(file: &ast::File, env: &sema::Env, id: &str) -> VecSet<String> {
    use crate::sema::infer::{infer, Context, Scope};
    use crate::sema::Ty;
    let mut found = None;
    sema::for_each_indicator(file, &mut |i| {
        if i.id.text == id && found.is_none() {
            found = Some(i);
        }
    });
    let Some(ind) = found else { return VecSet::new() };
    let mut scope = Scope::new(env, Context::Indicator);
    for input in ind.inputs() {
        if let ast::TypeKind::Choice(opts) = &input.ty.kind {
            scope.options.extend(opts.iter().map(|o| o.text.clone()));
        }
        scope.names.insert(input.name.text.clone(), Ty::of_type(&input.ty));
    }
    // The checker has reported any problem already; here only the units matter.
    let mut ignored = Vec::new();
    for (name, e) in ind.lets() {
        let ty = infer(&mut scope, e, &mut ignored);
        scope.names.insert(name.text.clone(), ty);
    }
    FromIterator::from_iter(scope.names.into_iter().filter(|(_, ty)| *ty == Ty::Percent).map(|(n, _)| n))
}

/// What a plan's `rulebook "…"` names, if it names one.
fn rulebook_reference(file: &ast::File) -> Option<String> {
    file.items.iter().find_map(|i| match i {
        Item::Planning(p) => p.rulebook().map(|s| s.value.clone()),
        _ => None,
    })
}

/// `reference` relative to the folder of `from`, with `.` and `..` resolved where they can be.
fn join(from: &str, reference: &str) -> String {
    if reference.starts_with('/') {
        return reference.to_string();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in reference.split('/') {
        match part {
            "." | "" => {}
            ".." if parts.last().is_some_and(|p| !p.is_empty() && *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(feature = "serde")]
pub use requests::{
    handle, handle_in, Request, Response, Session, SourceText, TestReport, WireExplanation, WireLocale, WireStep,
    WireTest,
};

#[cfg(feature = "serde")]
mod requests;

/// The DTI 2022 cohort's rows copied in turn to `units` units (`U0000`, `U0001`, …), for tests
/// that need several batches of the float filter.
#[cfg(test)]
pub(crate) fn dti_cohort_copied(units: usize) -> String {
    let cohort = include_str!("../../examples/dti-2022/data/cohort.csv");
    let mut lines = cohort.lines();
    let mut big = format!("{}\n", lines.next().unwrap_or_default());
    let rows: Vec<&str> = lines.collect();
    for k in 0..units {
        let profile = format!("P0{}", k % 6 + 1);
        for row in rows.iter().filter(|r| r.starts_with(&format!("{profile},"))) {
            big.push_str(&format!("U{k:04}{}\n", &row[profile.len()..]));
        }
    }
    big
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checked file is compiled once: loading data and scoring it share the compilation (and so
    /// does a clone made after it), which scores as a fresh compilation does.
    #[test]
    fn a_checked_file_is_compiled_once() {
        let mut ws = Workspace::new(Vec::new());
        let rb = ws.add_text("rules.chiso", include_str!("../../examples/dti-2022/dti-2022.chiso"));
        let d = ws.add_text("data.csv", include_str!("../../examples/dti-2022/data/cohort.csv"));
        let analysis = ws.check(rb, None, &NoFiles).unwrap();
        let first = analysis.program();
        let kept = analysis.clone();
        assert!(std::ptr::eq::<Compilation>(&*first, &*analysis.program()));
        assert!(std::ptr::eq::<Compilation>(&*first, &*kept.program()));
        let loaded = ws.load(&analysis, DataFile { file: d, format: Format::Csv, locale: None }).unwrap();
        let columns = loaded.data.unwrap();
        let fresh = crate::engine::compile(&analysis.lowered()).scores_columns(&columns);
        assert_eq!(format!("{:?}", ws.scores(&analysis, &columns)), format!("{fresh:?}"));
    }

    /// One unit explained is, steps, scores and rank included, that unit of the whole cohort
    /// explained by the tree-walker, for every unit of every example with data.
    #[test]
    fn one_unit_explained_is_its_scorecard_in_the_cohort_explained() {
        let cases = [
            (
                include_str!("../../examples/dti-2022/dti-2022.chiso"),
                include_str!("../../examples/dti-2022/data/cohort.csv"),
            ),
            (
                include_str!("../../examples/dti-2022/dti-2022.chiso"),
                include_str!("../../examples/dti-2022/data/incomplete.csv"),
            ),
            (
                include_str!("../../examples/egov-2022/egov-2022.chiso"),
                include_str!("../../examples/egov-2022/data.csv"),
            ),
            (include_str!("../../examples/ict-2024/ict-2024.chiso"), include_str!("../../examples/ict-2024/data.csv")),
            (include_str!("../../examples/starter/starter.chiso"), include_str!("../../examples/starter/data.csv")),
        ];
        for (rules, data) in cases {
            let mut ws = Workspace::new(Vec::new());
            let rb = ws.add_text("rules.chiso", rules);
            let d = ws.add_text("data.csv", data);
            let analysis = ws.check(rb, None, &NoFiles).unwrap();
            let file = DataFile { file: d, format: Format::Csv, locale: None };
            let (dataset, _) = ws.load_data(&analysis, file).unwrap();
            let whole = crate::eval::evaluate(&analysis.lowered(), &dataset);
            assert!(!whole.units.is_empty());
            for u in &whole.units {
                let one = ws.explain(&analysis, file, &u.id).unwrap().cohort.unwrap();
                assert_eq!(one.units, whole.units.len());
                assert_eq!(one.unit.as_ref(), Some(u), "{}", u.id);
            }
            assert!(ws.explain(&analysis, file, "no such unit").unwrap().cohort.unwrap().unit.is_none());
        }
    }

    /// The float filter writes the same scorecards whether the ranking pass's results are kept
    /// for the writing pass (small cohorts) or computed again (large ones).
    #[test]
    fn kept_and_recomputed_batches_write_the_same() {
        let cases = [
            (
                include_str!("../../examples/dti-2022/dti-2022.chiso"),
                include_str!("../../examples/dti-2022/data/cohort.csv"),
            ),
            (
                include_str!("../../examples/dti-2022/dti-2022.chiso"),
                include_str!("../../examples/dti-2022/data/incomplete.csv"),
            ),
            (include_str!("../../examples/ict-2024/ict-2024.chiso"), include_str!("../../examples/ict-2024/data.csv")),
        ];
        // The DTI cohort's rows copied to 1,300 units: three batches of the filter.
        let big = dti_cohort_copied(1300);
        let dti = include_str!("../../examples/dti-2022/dti-2022.chiso");
        // The peers' workload on 1,300 random units, a few of whose results the filter leaves to
        // the exact path (ratios at thresholds, totals at a rounding boundary at 6 decimals).
        let peers = include_str!("../../bench/peers-workload.chiso");
        let mut wide = String::from("unit");
        for i in 0..20 {
            wide.push_str(&format!(",a_{i},b_{i}"));
        }
        let mut seed = 11u64;
        for u in 0..1300 {
            wide.push_str(&format!("\nU{u:04}"));
            for _ in 0..20 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let (b, a) = ((seed >> 40) % 20 + 1, (seed >> 20) % 25);
                wide.push_str(&format!(",{a},{b}"));
            }
        }
        let more = [(dti, big.as_str()), (peers, wide.as_str())];
        for (rules, data) in cases.into_iter().chain(more) {
            let mut ws = Workspace::new(Vec::new());
            let rb = ws.add_text("rules.chiso", rules);
            let analysis = ws.check(rb, None, &NoFiles).unwrap();
            let (columns, _) = data::load_columns(data, Format::Csv, &analysis.checked.env, None);
            let program = analysis.program();
            // Totals are the scorecards without their indicators. The scorecards as texts; with
            // `unranked`, each rank as 0 (as `Detail::Sums` writes it).
            let texts = |keep: bool, detail: Detail, drop_indicators: bool, unranked: bool| {
                let mut out = Vec::new();
                program.rounded(&columns, 6, keep, detail, &mut |u| {
                    let mut u = u.clone();
                    if drop_indicators {
                        u.indicators.clear();
                    }
                    if unranked {
                        u.rank = 0;
                    }
                    out.push(format!("{u:?}"))
                });
                out
            };
            assert_eq!(texts(true, Detail::Scorecard, false, false), texts(false, Detail::Scorecard, false, false));
            let scorecards = texts(false, Detail::Scorecard, true, false);
            assert_eq!(texts(true, Detail::Totals, false, false), scorecards);
            // Without kept batches, the ranking pass keeps each unit's sums instead.
            assert_eq!(texts(false, Detail::Totals, false, false), scorecards);
            // Unranked, the same sums (written ahead on every core, a block at a time).
            let sums = texts(false, Detail::Scorecard, true, true);
            assert_eq!(texts(false, Detail::Sums, false, false), sums);
            // The ranking pass on one thread and on three (the 1,300 units' three batches each
            // on its own) writes the same.
            for threads in [1, 3] {
                crate::engine::set_threads(threads);
                assert_eq!(texts(true, Detail::Scorecard, true, false), scorecards, "{threads} threads");
                assert_eq!(texts(false, Detail::Totals, false, false), scorecards, "{threads} threads");
                assert_eq!(texts(false, Detail::Sums, false, false), sums, "{threads} threads");
            }
            crate::engine::set_threads(0);
            if rules == peers {
                let stats = program.for_each_rounded_with(&columns, 6, Detail::Sums, &mut |_| {});
                assert!(stats.exact > 0, "the peers' units all decided by the filter: {stats:?}");
            }
        }
    }

    #[test]
    fn references_are_joined_to_the_referring_folder() {
        assert_eq!(join("examples/dti-2022/plan-2022.chiso", "dti-2022.chiso"), "examples/dti-2022/dti-2022.chiso");
        assert_eq!(join("plan.chiso", "rb.chiso"), "rb.chiso");
        assert_eq!(join("a/b/plan.chiso", "../rb.chiso"), "a/rb.chiso");
        assert_eq!(join("a/plan.chiso", "./x/../rb.chiso"), "a/rb.chiso");
        assert_eq!(join("../p.chiso", "../rb.chiso"), "../../rb.chiso");
        assert_eq!(join("a/p.chiso", "/abs/rb.chiso"), "/abs/rb.chiso");
    }
}
