//! Requests and responses of the front door as JSON documents: a client that holds texts (the
//! browser, an editor command, a test) sends a [`Request`] and gets a [`Response`] whose body is
//! the same document `chiso … --format json` prints (`spec/output.md`), plus a `kind` tag.
//!
//! Every file a request needs travels in it ([`SourceText`]); a plan's `rulebook "…"` is looked
//! up among them, never on a disk.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{DataFile, FileId, Located, NoFiles, Refusal, Workspace};
use crate::data::Format;
use crate::diag::message::BadDate;
use crate::diag::Lang;
use crate::eval::trace::Taken;
use crate::eval::{Status, Step, UnitResult};
use crate::num::Locale;
use crate::plan::Date;
use crate::syntax::ast::FnDecl;
use crate::wire::{CheckReport, Columns, EvalReport, OwnersReport, StatusReport, WireDiagnostic, JSON_DIGITS};

/// A file's name and text (or bytes).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SourceText {
    /// Its name (a path with `/`): it locates diagnostics, resolves `rulebook "…"` references and,
    /// for data, gives the format (`.csv`, `.json` or `.xlsx`).
    pub name: String,
    /// Its text.
    pub text: String,
    /// The file's bytes in base64 (RFC 4648), for data that is not UTF-8 text: an Excel workbook
    /// (`.xlsx`, read as `chiso eval --data book.xlsx` reads it), or a CSV in UTF-16. When given,
    /// `text` is not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub base64: Option<String>,
}

impl SourceText {
    /// A file given by its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceText {
        SourceText { name: name.into(), text: text.into(), base64: None }
    }
}

/// How numbers are written in data: `vi` (`6,03`, `20.659`) or `en`.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum WireLocale {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl From<WireLocale> for Locale {
    fn from(l: WireLocale) -> Locale {
        match l {
            WireLocale::Vi => Locale::Vi,
            WireLocale::En => Locale::En,
        }
    }
}

/// What a client asks the engine: the operations of the CLI, on texts.
// Read from JSON by `Request::from_json` (its `Deserialize` too): `op` names the operation, a
// field the operation does not have is refused, an optional field may be missing or `null`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// `chiso check`: the diagnostics of every file (plans with their rulebooks, when given).
    Check {
        /// Rulebooks and plans.
        files: Vec<SourceText>,
        /// What the diagnostics' columns count: `characters` (the default, as the CLI prints)
        /// or `utf16` (as a browser editor counts them).
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        columns: Option<Columns>,
    },
    /// `chiso eval --format json`.
    Evaluate {
        /// The rulebook.
        rulebook: SourceText,
        /// The data (`.csv`, `.json`, or `.xlsx` given in `base64`).
        data: SourceText,
        /// Overrides the rulebook's `locale`.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        locale: Option<WireLocale>,
        /// Only this unit's scorecard (the cohort is still scored whole).
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        unit: Option<String>,
    },
    /// `chiso explain`: how one unit's indicator was scored.
    Explain {
        /// The rulebook.
        rulebook: SourceText,
        /// The data.
        data: SourceText,
        /// Overrides the rulebook's `locale`.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        locale: Option<WireLocale>,
        /// The unit.
        unit: String,
        /// The indicator.
        indicator: String,
    },
    /// `chiso test`: the `test` blocks of every file.
    Test {
        /// Rulebooks.
        files: Vec<SourceText>,
    },
    /// `chiso status --format json`.
    Status {
        /// The plan.
        plan: SourceText,
        /// Its rulebook, when it names one (`rulebook "…"`) or uses one (`--rulebook`).
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        rulebook: Option<SourceText>,
        /// Reported values and task statuses.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        data: Option<SourceText>,
        /// `YYYY-MM-DD`.
        as_of: String,
        /// Overrides the plan's `locale`.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        locale: Option<WireLocale>,
    },
    /// `chiso owners --format json`.
    Owners {
        /// Rulebooks and plans (a plan's rulebook among them).
        files: Vec<SourceText>,
    },
    /// `chiso fmt`: the canonical text.
    Format {
        /// The file.
        file: SourceText,
    },
}

impl Request {
    /// Reads a request from its JSON text; the error says what is wrong and where.
    pub fn from_json(text: &str) -> Result<Request, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Request::from_value(value)
    }

    /// Written by hand rather than derived: serde's derive of an internally tagged enum buffers
    /// the document and links a deserializer, with its error messages, for every shape and field
    /// type; the browser module is about 6 KB (gzipped) smaller without them.
    fn from_value(value: Value) -> Result<Request, String> {
        let mut fields = Fields::of(value)?;
        let op = fields.required("op", text)?;
        let request = match op.as_str() {
            "check" => {
                Request::Check { files: fields.required("files", files)?, columns: fields.optional("columns", columns)? }
            }
            "evaluate" => Request::Evaluate {
                rulebook: fields.required("rulebook", source)?,
                data: fields.required("data", source)?,
                locale: fields.optional("locale", locale)?,
                unit: fields.optional("unit", text)?,
            },
            "explain" => Request::Explain {
                rulebook: fields.required("rulebook", source)?,
                data: fields.required("data", source)?,
                locale: fields.optional("locale", locale)?,
                unit: fields.required("unit", text)?,
                indicator: fields.required("indicator", text)?,
            },
            "test" => Request::Test { files: fields.required("files", files)? },
            "status" => Request::Status {
                plan: fields.required("plan", source)?,
                rulebook: fields.optional("rulebook", source)?,
                data: fields.optional("data", source)?,
                as_of: fields.required("as_of", text)?,
                locale: fields.optional("locale", locale)?,
            },
            "owners" => Request::Owners { files: fields.required("files", files)? },
            "format" => Request::Format { file: fields.required("file", source)? },
            other => {
                return Err(format!(
                    "unknown op `{other}`, expected one of `check`, `evaluate`, `explain`, `test`, `status`, `owners`, `format`"
                ))
            }
        };
        // A field the operation does not have is refused: a misspelt `unit` would score every unit.
        match fields.0.keys().next() {
            Some(name) => Err(format!("unknown field `{name}` for op `{op}`")),
            None => Ok(request),
        }
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Request, D::Error> {
        Request::from_value(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// The fields of a JSON object being read, each taken once.
struct Fields(serde_json::Map<String, Value>);

impl Fields {
    fn of(value: Value) -> Result<Fields, String> {
        match value {
            Value::Object(map) => Ok(Fields(map)),
            other => Err(expected("an object", &other)),
        }
    }

    fn required<T>(&mut self, name: &str, read: fn(Value) -> Result<T, String>) -> Result<T, String> {
        match self.0.remove(name) {
            Some(value) => read(value).map_err(|e| format!("`{name}`: {e}")),
            None => Err(format!("missing field `{name}`")),
        }
    }

    /// A missing field and `null` are both `None`.
    fn optional<T>(&mut self, name: &str, read: fn(Value) -> Result<T, String>) -> Result<Option<T>, String> {
        match self.0.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value).map(Some).map_err(|e| format!("`{name}`: {e}")),
        }
    }
}

fn expected(what: &str, found: &Value) -> String {
    let found = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    format!("expected {what}, found {found}")
}

fn text(value: Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(expected("a string", &other)),
    }
}

/// A file: `name`, `text` and an optional `base64`; other fields are ignored.
fn source(value: Value) -> Result<SourceText, String> {
    let mut fields = Fields::of(value)?;
    Ok(SourceText {
        name: fields.required("name", text)?,
        text: fields.required("text", text)?,
        base64: fields.optional("base64", text)?,
    })
}

fn files(value: Value) -> Result<Vec<SourceText>, String> {
    match value {
        Value::Array(items) => {
            items.into_iter().enumerate().map(|(i, v)| source(v).map_err(|e| format!("file {}: {e}", i + 1))).collect()
        }
        other => Err(expected("an array", &other)),
    }
}

fn columns(value: Value) -> Result<Columns, String> {
    match text(value)?.as_str() {
        "characters" => Ok(Columns::Characters),
        "utf16" => Ok(Columns::Utf16),
        other => Err(format!("unknown value `{other}`, expected `characters` or `utf16`")),
    }
}

fn locale(value: Value) -> Result<WireLocale, String> {
    match text(value)?.as_str() {
        "vi" => Ok(WireLocale::Vi),
        "en" => Ok(WireLocale::En),
        other => Err(format!("unknown value `{other}`, expected `vi` or `en`")),
    }
}

/// The engine's answer. The body of each kind is the CLI's JSON document for that command.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// Diagnostics.
    Check(CheckReport),
    /// Scorecards.
    Eval(EvalReport),
    /// One score explained.
    Explain(WireExplanation),
    /// Test outcomes.
    Test(TestReport),
    /// A plan's status.
    Status(StatusReport),
    /// Duties per agency.
    Owners(OwnersReport),
    /// The formatted text.
    Format {
        /// The canonical text.
        text: String,
    },
    /// Nothing could be computed: the message says why and the diagnostics where.
    Refused {
        /// Why.
        message: String,
        /// Where (errors of the rulebook, plan or data).
        diagnostics: Vec<WireDiagnostic>,
    },
}

/// One score explained: the rule, the steps that decided it and the outcome.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireExplanation {
    /// The unit.
    pub unit: String,
    /// The indicator's id.
    pub indicator: String,
    /// Its title.
    pub title: String,
    /// Its max points.
    pub max: String,
    /// The indicator's source text.
    pub rule: String,
    /// `scored`, `not_evaluable` or `not_scored`.
    pub status: String,
    /// The score.
    pub score: Option<String>,
    /// Why it is not evaluable.
    pub reason: Option<String>,
    /// The `assume` the unit's data contradicts, as written (W0823): the score rests on it.
    pub contradicted_assumption: Option<String>,
    /// The steps, in the order they were taken.
    pub steps: Vec<WireStep>,
}

/// One step of an explanation. Values are shown as the explanation text shows them.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum WireStep {
    /// An input was read.
    Input {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
        /// `percent` when the value is a ratio the rule reads as a percentage (`0.8` is 80%).
        unit: Option<String>,
        /// Its description.
        description: Option<String>,
        /// Whether the declared default stood in for a value not reported.
        defaulted: bool,
    },
    /// A `let` was computed.
    Let {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
        /// `percent` when the value is a ratio the rule reads as a percentage.
        unit: Option<String>,
    },
    /// A branch was taken.
    Branch {
        /// What decided it, in English (`ratio = 0.85 matches >= 80%`).
        text: String,
        /// The expression compared (`when`) or matched (`match`), as written.
        subject: Option<String>,
        /// Its value (`when`).
        value: Option<String>,
        /// `percent` when that value is a percentage.
        unit: Option<String>,
        /// The pattern of the arm taken, as written (`>= 80%`, `else`).
        pattern: Option<String>,
        /// The option matched (`match`).
        option: Option<String>,
        /// Whether the condition held (`if`).
        condition: Option<bool>,
    },
    /// A labelled part of a sum.
    Part {
        /// Its label.
        label: String,
        /// Its value.
        value: String,
    },
    /// A comparison with the cohort.
    Cohort {
        /// `minmax`, `relative_to_best` or `rank`.
        function: String,
        /// This unit's value.
        value: String,
        /// The lowest value of the cohort.
        min: String,
        /// The highest value of the cohort.
        max: String,
        /// How many units were compared.
        units: usize,
        /// The result.
        result: String,
    },
    /// The score was outside [0, max] and was clamped.
    Clamped {
        /// As computed.
        raw: String,
        /// As reported.
        clamped: String,
    },
    /// The sum of sub-indicators.
    SubSum {
        /// (id, score) of each.
        parts: Vec<(String, String)>,
    },
}

/// The outcomes of `test` blocks.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TestReport {
    /// One entry per test block, in file order.
    pub tests: Vec<WireTest>,
    /// Blocks that passed.
    pub passed: usize,
    /// Blocks that failed.
    pub failed: usize,
    /// Errors of files whose tests could not run.
    pub diagnostics: Vec<WireDiagnostic>,
}

/// One `test` block's outcome.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireTest {
    /// The file.
    pub file: String,
    /// The block's title.
    pub title: String,
    /// How many `expect`s were checked.
    pub expectations: usize,
    /// Whether all held.
    pub passed: bool,
    /// The expectations that failed (E0804).
    pub failures: Vec<WireDiagnostic>,
}

fn dec(n: &crate::num::Num) -> String {
    n.to_decimal_string(JSON_DIGITS)
}

impl WireExplanation {
    /// Explains `indicator` of a scorecard; `rule` is the indicator's source text and `percent`
    /// names its inputs and `let`s that are percentages ([`super::percent_names`]).
    pub fn new(
        u: &UnitResult,
        indicator: &str,
        rule: &str,
        percent: &crate::map::VecSet<String>,
    ) -> Option<WireExplanation> {
        let i = u.indicators.iter().find(|i| i.id == indicator)?;
        let unit = |name: &str| percent.contains(name).then(|| "percent".to_string());
        let steps = i
            .trace
            .iter()
            .map(|s| match s {
                Step::Input { name, value, description, defaulted } => WireStep::Input {
                    name: name.clone(),
                    value: value.to_string(),
                    unit: unit(name),
                    description: description.clone(),
                    defaulted: *defaulted,
                },
                Step::Let { name, value } => {
                    WireStep::Let { name: name.clone(), value: value.to_string(), unit: unit(name) }
                }
                Step::Branch { taken, .. } => {
                    let (subject, value, pattern, option, condition) = match taken {
                        Taken::Condition(held) => (None, None, None, None, Some(*held)),
                        Taken::Arm { subject, value, pattern } => {
                            (Some(subject), Some(value.to_string()), Some(pattern.clone()), None, None)
                        }
                        Taken::Choice { subject, option } => (Some(subject), None, None, Some(option.clone()), None),
                    };
                    WireStep::Branch {
                        text: taken.text(),
                        unit: subject.filter(|_| value.is_some()).and_then(|s| unit(s)),
                        subject: subject.cloned(),
                        value,
                        pattern,
                        option,
                        condition,
                    }
                }
                Step::Part { label, value } => WireStep::Part { label: label.clone(), value: value.to_string() },
                Step::Cohort { function, value, min, max, units, result } => WireStep::Cohort {
                    function: function.clone(),
                    value: value.to_string(),
                    min: min.to_string(),
                    max: max.to_string(),
                    units: *units,
                    result: result.to_string(),
                },
                Step::Clamped { raw, clamped } => {
                    WireStep::Clamped { raw: raw.to_string(), clamped: clamped.to_string() }
                }
                Step::SubSum { parts } => {
                    WireStep::SubSum { parts: parts.iter().map(|(id, s)| (id.clone(), s.to_string())).collect() }
                }
            })
            .collect();
        Some(WireExplanation {
            unit: u.id.clone(),
            indicator: i.id.clone(),
            title: i.title.clone(),
            max: dec(&i.max),
            rule: rule.to_string(),
            status: i.status.as_str().to_string(),
            score: match i.status {
                Status::Scored => i.score.as_ref().map(dec),
                _ => None,
            },
            reason: i.reason.clone(),
            contradicted_assumption: i.contradicted.clone(),
            steps,
        })
    }
}

/// Adds a data file to the workspace as its name says (`.csv`, `.json`, or `.xlsx` given in
/// `base64`), or says why it cannot be read. The text is moved, not copied (42 MB for 10,000 units).
fn add_data(ws: &mut Workspace, data: SourceText) -> Result<(FileId, Format), Why> {
    let ext = data.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let bytes = match &data.base64 {
        Some(b64) => Some(decode_base64(b64).map_err(|error| Why::Base64 { name: data.name.clone(), error })?),
        None => None,
    };
    let format = match ext.as_deref() {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        Some("xlsx") => return add_workbook(ws, &data.name, bytes),
        _ => return Err(Why::DataExtension { name: data.name }),
    };
    let id = match bytes {
        Some(bytes) => ws.add_data(&data.name, bytes),
        None => ws.add_owned_text(&data.name, data.text),
    };
    Ok((id, format))
}

/// A workbook's first sheet with a header row is read as CSV is (what the CLI does).
#[cfg(feature = "xlsx")]
fn add_workbook(ws: &mut Workspace, name: &str, bytes: Option<Vec<u8>>) -> Result<(FileId, Format), Why> {
    match bytes {
        Some(bytes) => Ok((ws.add_workbook(name, &bytes), Format::Csv)),
        None => Err(Why::WorkbookAsText { name: name.to_string() }),
    }
}

#[cfg(not(feature = "xlsx"))]
fn add_workbook(_: &mut Workspace, name: &str, _: Option<Vec<u8>>) -> Result<(FileId, Format), Why> {
    Err(Why::NoXlsx { name: name.to_string() })
}

/// What is wrong with a file's base64.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Base64Error {
    /// A character outside the alphabet, at this position (from 1, in characters).
    NotBase64 { c: char, at: usize },
    /// A digit after the padding `=`.
    AfterPadding { c: char },
    /// A lone digit at the end: the text was cut.
    CutShort,
}

/// The bytes of a base64 text (RFC 4648, standard or URL-safe alphabet; padding and ASCII
/// whitespace are ignored). The error names the first character that is not base64.
fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits, mut digits) = (0u32, 0u32, 0usize);
    let mut padded = false;
    for (i, c) in text.char_indices() {
        let v = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            'a'..='z' => u32::from(c) - u32::from('a') + 26,
            '0'..='9' => u32::from(c) - u32::from('0') + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => {
                padded = true;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            c => return Err(Base64Error::NotBase64 { c, at: text[..i].chars().count() + 1 }),
        };
        if padded {
            return Err(Base64Error::AfterPadding { c });
        }
        acc = (acc << 6) | v;
        bits += 6;
        digits += 1;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if digits % 4 == 1 {
        return Err(Base64Error::CutShort);
    }
    Ok(out)
}

/// Why a request is refused, in the reader's language. Both wordings sit in one `match`, so a
/// reason cannot be added without its Vietnamese (the terms are those of `diag/message/vi.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Why {
    DataExtension {
        name: String,
    },
    Base64 {
        name: String,
        error: Base64Error,
    },
    // Each of these two is built by one of the builds (with or without `xlsx`).
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    WorkbookAsText {
        name: String,
    },
    #[cfg_attr(feature = "xlsx", allow(dead_code))]
    NoXlsx {
        name: String,
    },
    NothingScored,
    NoUnit {
        unit: String,
    },
    NoIndicator {
        indicator: String,
    },
    AsOf {
        as_of: String,
        why: BadDate,
    },
    NoPlanItems {
        name: String,
    },
    NothingEvaluated,
    FilesHaveErrors,
    NotFormatted {
        name: String,
    },
}

impl Why {
    fn render(&self, lang: Lang) -> String {
        use Lang::{En, Vi};
        match (self, lang) {
            (Why::DataExtension { name }, En) => format!("{name}: the data file must end in .csv, .json or .xlsx"),
            (Why::DataExtension { name }, Vi) => format!("{name}: tệp số liệu phải có đuôi .csv, .json hoặc .xlsx"),
            (Why::Base64 { name, error }, En) => {
                let what = match error {
                    Base64Error::NotBase64 { c, at } => format!("`{c}` at character {at}"),
                    Base64Error::AfterPadding { c } => format!("`{c}` after the padding `=`"),
                    Base64Error::CutShort => "it is cut short (one digit too many or too few)".to_string(),
                };
                format!("{name}: the file's base64 is not valid: {what}")
            }
            (Why::Base64 { name, error }, Vi) => {
                let what = match error {
                    Base64Error::NotBase64 { c, at } => format!("ký tự `{c}` ở vị trí {at}"),
                    Base64Error::AfterPadding { c } => format!("ký tự `{c}` đứng sau dấu đệm `=`"),
                    Base64Error::CutShort => "bị cắt cụt (thừa hoặc thiếu một ký tự)".to_string(),
                };
                format!("{name}: mã base64 của tệp không hợp lệ: {what}")
            }
            (Why::WorkbookAsText { name }, En) => {
                format!("{name}: a workbook is bytes: send them in `base64`, not `text`")
            }
            (Why::WorkbookAsText { name }, Vi) => {
                format!("{name}: sổ Excel là dữ liệu nhị phân: gửi trong `base64`, không phải `text`")
            }
            (Why::NoXlsx { name }, En) => {
                format!("{name}: this build does not read .xlsx workbooks; save the sheet as CSV UTF-8")
            }
            (Why::NoXlsx { name }, Vi) => {
                format!("{name}: bản dựng này không đọc tệp .xlsx; hãy lưu trang tính thành CSV UTF-8")
            }
            (Why::NothingScored, En) => "the rulebook or the data has errors; nothing was scored".to_string(),
            (Why::NothingScored, Vi) => "bộ chỉ số hoặc số liệu có lỗi; chưa chấm điểm được".to_string(),
            (Why::NoUnit { unit }, En) => format!("no unit `{unit}` in the data"),
            (Why::NoUnit { unit }, Vi) => format!("không có đơn vị `{unit}` trong số liệu"),
            (Why::NoIndicator { indicator }, En) => format!("no indicator `{indicator}` in the rulebook"),
            (Why::NoIndicator { indicator }, Vi) => format!("không có chỉ số `{indicator}` trong bộ chỉ số"),
            (Why::AsOf { as_of, why }, _) => format!("as_of {as_of}: {}", why.render(lang)),
            (Why::NoPlanItems { name }, En) => format!("{name}: declares no plan, target, task or schedule"),
            (Why::NoPlanItems { name }, Vi) => {
                format!("{name}: không khai báo kế hoạch, mục tiêu, nhiệm vụ hay chế độ báo cáo nào")
            }
            (Why::NothingEvaluated, En) => {
                "the plan, its rulebook or the data has errors; nothing was evaluated".to_string()
            }
            (Why::NothingEvaluated, Vi) => {
                "kế hoạch, bộ chỉ số của kế hoạch hoặc số liệu có lỗi; chưa đánh giá được".to_string()
            }
            (Why::FilesHaveErrors, En) => "some files have errors".to_string(),
            (Why::FilesHaveErrors, Vi) => "một số tệp có lỗi".to_string(),
            (Why::NotFormatted { name }, En) => format!("{name}: not formatted because of syntax errors"),
            (Why::NotFormatted { name }, Vi) => format!("{name}: chưa định dạng được vì có lỗi cú pháp"),
        }
    }
}

fn wire(ws: &Workspace, lang: Lang, located: &[Located]) -> Vec<WireDiagnostic> {
    ws.wire_all(located, lang, Columns::Characters)
}

fn refused(why: Why, ws: &Workspace, lang: Lang, located: &[Located]) -> Response {
    Response::Refused { message: why.render(lang), diagnostics: wire(ws, lang, located) }
}

fn refusal(ws: &Workspace, lang: Lang, r: &Refusal) -> Response {
    Response::Refused { message: r.message_in(ws, lang), diagnostics: Vec::new() }
}

/// Checks `rulebook` and scores `data` with it (what `evaluate` and `explain` share): the analysis,
/// the results and every diagnostic, or the response that refuses.
/// The answer to an `evaluate` request about the data file `data_id`, with a rulebook already
/// checked. With `unit`, only that unit gets a scorecard; the others are scored for their
/// totals, which its rank compares.
fn evaluated(
    ws: &Workspace,
    lang: Lang,
    analysis: &super::Analysis,
    (data_id, format): (FileId, Format),
    locale: Option<WireLocale>,
    unit: Option<String>,
) -> Response {
    let data = DataFile { file: data_id, format, locale: locale.map(Locale::from) };
    let loaded = match ws.load(analysis, data) {
        Ok(loaded) => loaded,
        Err(r) => return refusal(ws, lang, &r),
    };
    let Some(columns) = loaded.data else {
        return refused(Why::NothingScored, ws, lang, &loaded.diagnostics);
    };
    let results = match unit {
        None => ws.scores(analysis, &columns),
        Some(u) => match ws.scorecard(analysis, &columns, &u) {
            Some(card) => crate::eval::Results { title: analysis.checked.env.title.clone(), units: vec![card] },
            None => return refused(Why::NoUnit { unit: u }, ws, lang, &[]),
        },
    };
    Response::Eval(EvalReport::new(&results, wire(ws, lang, &loaded.diagnostics)))
}

/// The front door for a client that asks many questions in a row about one rulebook: the
/// portal re-scoring on every what-if. The rulebook last scored is kept checked, with its
/// workspace, and an `evaluate` request with the same rulebook (name and text) reuses it rather
/// than parsing and checking it again (most of the cost of scoring the six provinces of DTI
/// 2022). Every answer is the one [`handle_in`] gives: only `evaluate` reuses, and only when the
/// texts are equal.
pub struct Session {
    prelude: Vec<FnDecl>,
    kept: Option<Kept>,
}

/// A rulebook kept checked by a [`Session`].
struct Kept {
    rulebook: SourceText,
    ws: Workspace,
    analysis: super::Analysis,
}

impl Session {
    /// A session whose rulebooks see `prelude` (e.g. `chiso_stdlib::functions()`).
    pub fn new(prelude: Vec<FnDecl>) -> Session {
        Session { prelude, kept: None }
    }

    /// Answers `request` as [`handle_in`] does.
    pub fn handle_in(&mut self, request: Request, lang: Lang) -> Response {
        let Request::Evaluate { rulebook, data, locale, unit } = request else {
            return handle_in(self.prelude.clone(), request, lang);
        };
        if data.name == rulebook.name {
            // The data would replace the kept rulebook's text in the kept workspace.
            return handle_in(self.prelude.clone(), Request::Evaluate { rulebook, data, locale, unit }, lang);
        }
        let kept = match self.kept.take() {
            Some(k) if k.rulebook == rulebook => k,
            _ => {
                let mut ws = Workspace::new(self.prelude.clone());
                let rb = ws.add_text(&rulebook.name, &rulebook.text);
                match ws.check(rb, None, &NoFiles) {
                    Ok(analysis) => Kept { rulebook, ws, analysis },
                    Err(r) => return refusal(&ws, lang, &r),
                }
            }
        };
        let kept = self.kept.insert(kept);
        match add_data(&mut kept.ws, data) {
            Ok(added) => evaluated(&kept.ws, lang, &kept.analysis, added, locale, unit),
            Err(why) => refused(why, &kept.ws, lang, &[]),
        }
    }
}

/// Answers one request with a fresh workspace over `prelude` (e.g. `chiso_stdlib::functions()`).
pub fn handle(prelude: Vec<FnDecl>, request: Request) -> Response {
    handle_in(prelude, request, Lang::En)
}

/// [`handle`], with the diagnostics' messages, labels and hints in `lang` (the portal's language).
pub fn handle_in(prelude: Vec<FnDecl>, request: Request, lang: Lang) -> Response {
    let mut ws = Workspace::new(prelude);
    match request {
        Request::Check { files, columns } => {
            let ids: Vec<FileId> = files.iter().map(|f| ws.add_text(&f.name, &f.text)).collect();
            let mut all = Vec::new();
            for id in ids {
                match ws.check(id, None, &NoFiles) {
                    Ok(a) => all.extend(a.diagnostics()),
                    Err(r) => return refusal(&ws, lang, &r),
                }
            }
            let columns = columns.unwrap_or_default();
            let diagnostics: Vec<WireDiagnostic> = ws.wire_all(&all, lang, columns);
            let errors = all.iter().filter(|l| l.diagnostic.is_error()).count();
            Response::Check(CheckReport { warnings: diagnostics.len() - errors, errors, diagnostics })
        }
        Request::Evaluate { rulebook, data, locale, unit } => {
            let rb = ws.add_text(&rulebook.name, &rulebook.text);
            let added = match add_data(&mut ws, data) {
                Ok(added) => added,
                Err(why) => return refused(why, &ws, lang, &[]),
            };
            match ws.check(rb, None, &NoFiles) {
                Ok(analysis) => evaluated(&ws, lang, &analysis, added, locale, unit),
                Err(r) => refusal(&ws, lang, &r),
            }
        }
        Request::Explain { rulebook, data, locale, unit, indicator } => {
            let rb = ws.add_text(&rulebook.name, &rulebook.text);
            let (data_id, format) = match add_data(&mut ws, data) {
                Ok(added) => added,
                Err(why) => return refused(why, &ws, lang, &[]),
            };
            let analysis = match ws.check(rb, None, &NoFiles) {
                Ok(a) => a,
                Err(r) => return refusal(&ws, lang, &r),
            };
            let data = DataFile { file: data_id, format, locale: locale.map(Locale::from) };
            let explained = match ws.explain(&analysis, data, &unit) {
                Ok(e) => e,
                Err(r) => return refusal(&ws, lang, &r),
            };
            let Some(cohort) = explained.cohort else {
                return refused(Why::NothingScored, &ws, lang, &explained.diagnostics);
            };
            let Some(u) = cohort.unit else {
                return refused(Why::NoUnit { unit }, &ws, lang, &[]);
            };
            let rule = ws.rule_text(&analysis, &indicator);
            let percent = super::percent_names(&analysis.parse.file, &analysis.checked.env, &indicator);
            match WireExplanation::new(&u, &indicator, &rule, &percent) {
                Some(e) => Response::Explain(e),
                None => refused(Why::NoIndicator { indicator }, &ws, lang, &[]),
            }
        }
        Request::Test { files } => {
            let ids: Vec<FileId> = files.iter().map(|f| ws.add_text(&f.name, &f.text)).collect();
            let (mut tests, mut blocked) = (Vec::new(), Vec::new());
            for id in ids {
                let analysis = match ws.check(id, None, &NoFiles) {
                    Ok(a) => a,
                    Err(r) => return refusal(&ws, lang, &r),
                };
                match ws.test(&analysis) {
                    Some(outcomes) => tests.extend(outcomes.into_iter().map(|t| {
                        WireTest {
                            file: ws.name(id).to_string(),
                            passed: t.passed(),
                            failures: t
                                .failures
                                .iter()
                                .map(|d| WireDiagnostic::in_lang(d, ws.name(id), ws.text(id), lang))
                                .collect(),
                            title: t.title,
                            expectations: t.expectations,
                        }
                    })),
                    None => blocked.extend(analysis.blocking()),
                }
            }
            let passed = tests.iter().filter(|t| t.passed).count();
            let failed = tests.len() - passed;
            Response::Test(TestReport { tests, passed, failed, diagnostics: wire(&ws, lang, &blocked) })
        }
        Request::Status { plan, rulebook, data, as_of, locale } => {
            let as_of = match Date::parse(&as_of) {
                Ok(d) => d,
                Err(why) => return refused(Why::AsOf { as_of, why }, &ws, lang, &[]),
            };
            let rb = rulebook.map(|r| ws.add_text(&r.name, &r.text));
            let plan_id = ws.add_text(&plan.name, &plan.text);
            let data = match data {
                None => None,
                Some(d) => match add_data(&mut ws, d) {
                    Ok((file, format)) => Some(DataFile { file, format, locale: locale.map(Locale::from) }),
                    Err(why) => return refused(why, &ws, lang, &[]),
                },
            };
            let analysis = match ws.check(plan_id, rb, &NoFiles) {
                Ok(a) => a,
                Err(r) => return refusal(&ws, lang, &r),
            };
            if !analysis.has_errors()
                && analysis.checked.env.plan.is_none()
                && analysis.checked.env.targets.is_empty()
                && analysis.checked.env.tasks.is_empty()
            {
                return refused(Why::NoPlanItems { name: plan.name }, &ws, lang, &[]);
            }
            let run = match ws.status(&analysis, data, as_of) {
                Ok(r) => r,
                Err(r) => return refusal(&ws, lang, &r),
            };
            match run.status {
                Some(status) => Response::Status(StatusReport::new(&status, wire(&ws, lang, &run.diagnostics))),
                None => refused(Why::NothingEvaluated, &ws, lang, &run.diagnostics),
            }
        }
        Request::Owners { files } => {
            let ids: Vec<FileId> = files.iter().map(|f| ws.add_text(&f.name, &f.text)).collect();
            let mut analyses = Vec::new();
            for id in ids {
                match ws.check(id, None, &NoFiles) {
                    Ok(a) => analyses.push(a),
                    Err(r) => return refusal(&ws, lang, &r),
                }
            }
            match super::owners(&analyses) {
                Ok(view) => Response::Owners(OwnersReport::new(&view.agencies).with_unowned(&view.unowned)),
                Err(errors) => refused(Why::FilesHaveErrors, &ws, lang, &errors),
            }
        }
        Request::Format { file } => {
            let id = ws.add_text(&file.name, &file.text);
            match ws.format(id) {
                Ok(Ok(text)) => Response::Format { text },
                Ok(Err(errors)) => refused(Why::NotFormatted { name: file.name }, &ws, lang, &errors),
                Err(r) => refusal(&ws, lang, &r),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit's scorecard asked for (the others scored for their totals only) is that unit's
    /// scorecard in the whole cohort's answer, rank included, on every example with data.
    #[test]
    fn one_units_scorecard_is_its_scorecard_in_the_cohort() {
        let dti = include_str!("../../../examples/dti-2022/dti-2022.chiso");
        // The DTI cohort's rows copied to 1,100 units: units in the third batch of the filter.
        let cohort = include_str!("../../../examples/dti-2022/data/cohort.csv");
        let big = super::super::dti_cohort_copied(1100);
        let cases = [
            (dti, cohort),
            (dti, include_str!("../../../examples/dti-2022/data/incomplete.csv")),
            (
                include_str!("../../../examples/egov-2022/egov-2022.chiso"),
                include_str!("../../../examples/egov-2022/data.csv"),
            ),
            (
                include_str!("../../../examples/starter/starter.chiso"),
                include_str!("../../../examples/starter/data.csv"),
            ),
            // A division by zero for unit A: an evaluation error, the others scored.
            (
                "agency S \"Sở\"\nindicator 1.1 \"Tỷ lệ\" {\n  max 10\n  owner S\n  input a: count\n  input b: count\n  score = a / b * max\n}\n",
                "unit,indicator,input,value\nA,1.1,a,1\nA,1.1,b,0\nB,1.1,a,2\nB,1.1,b,4\nC,1.1,a,3\nC,1.1,b,4\n",
            ),
            (
                include_str!("../../../tests/corpus/eval/clamping.chiso"),
                include_str!("../../../tests/corpus/eval/clamping.csv"),
            ),
            (dti, big.as_str()),
        ];
        for (rules, csv) in cases {
            let rulebook = SourceText::new("rules.chiso", rules);
            let data = SourceText::new("data.csv", csv);
            let ask = |unit: Option<&str>| {
                let request = Request::Evaluate {
                    rulebook: rulebook.clone(),
                    data: data.clone(),
                    locale: None,
                    unit: unit.map(String::from),
                };
                serde_json::to_value(handle_in(Vec::new(), request, Lang::Vi)).unwrap()
            };
            let all = ask(None);
            let units = all["units"].as_array().unwrap_or_else(|| panic!("{all}"));
            assert!(!units.is_empty());
            let ranks: crate::map::VecSet<u64> = units.iter().map(|u| u["rank"].as_u64().unwrap()).collect();
            assert!(ranks.len() > 1 || rules != dti, "the cohort's ranks differ");
            let asked = if units.len() > 20 { vec![0, 7, 600, units.len() - 1] } else { (0..units.len()).collect() };
            for k in asked {
                let u = &units[k];
                let one = ask(Some(u["id"].as_str().unwrap()));
                assert_eq!(one["units"].as_array().unwrap().as_slice(), std::slice::from_ref(u));
                assert_eq!(one["diagnostics"], all["diagnostics"]);
            }
        }
    }

    /// A session answers every request of a portal's sequence (the same rulebook with new data,
    /// a what-if, a data error, a unit that is not there, another rulebook, a rulebook with an
    /// error, a check) exactly as a fresh front door does.
    #[test]
    fn a_session_answers_as_a_fresh_front_door() {
        let rules = |max: &str| {
            format!(
                "agency S \"Sở\"\nindicator 1.1 \"Tỷ lệ\" {{\n  max {max}\n  owner S\n  input a: count \"a\"\n  input b: count \"b\" positive neutral\n  score = minmax(a / b) * max\n}}\n"
            )
        };
        let rb = |text: String| SourceText::new("r.chiso", &text);
        let csv = |text: &str| SourceText::new("d.csv", text);
        let eval = |r: SourceText, d: SourceText, unit: Option<&str>| Request::Evaluate {
            rulebook: r,
            data: d,
            locale: None,
            unit: unit.map(String::from),
        };
        let data = "unit,indicator,input,value\nA,1.1,a,3\nA,1.1,b,4\nB,1.1,a,1\nB,1.1,b,4\n";
        let what_if = data.replace("B,1.1,a,1", "B,1.1,a,4");
        let requests = vec![
            eval(rb(rules("10")), csv(data), None),
            eval(rb(rules("10")), csv(&what_if), Some("B")),
            eval(rb(rules("10")), csv("unit,indicator,input,value\nA,1.1,a,x\n"), None),
            eval(rb(rules("10")), csv(data), Some("C")),
            eval(rb(rules("20")), csv(data), None),
            eval(rb(rules("20 +")), csv(data), None),
            eval(rb(rules("20")), SourceText::new("r.chiso", data), None),
            Request::Check { files: vec![rb(rules("10"))], columns: None },
            eval(rb(rules("10")), csv(data), Some("A")),
        ];
        let mut session = Session::new(Vec::new());
        let mut kinds = Vec::new();
        for (k, request) in requests.into_iter().enumerate() {
            let fresh = serde_json::to_string(&handle_in(Vec::new(), request.clone(), Lang::Vi)).unwrap();
            let kept = serde_json::to_string(&session.handle_in(request, Lang::Vi)).unwrap();
            assert_eq!(kept, fresh, "request {k}");
            let v: serde_json::Value = serde_json::from_str(&kept).unwrap();
            kinds.push(v["kind"].as_str().unwrap_or_default().to_string());
        }
        let want = ["eval", "eval", "refused", "refused", "eval", "refused", "refused", "check", "eval"];
        assert_eq!(kinds, want);
    }

    #[test]
    fn every_request_reads_back_from_its_json() {
        let file = |name: &str| SourceText::new(name, "text");
        let workbook = SourceText { name: "d.xlsx".into(), text: String::new(), base64: Some("UEsD".into()) };
        let requests = [
            Request::Check { files: vec![file("a.chiso"), file("b.chiso")], columns: Some(Columns::Utf16) },
            Request::Check { files: Vec::new(), columns: None },
            Request::Evaluate {
                rulebook: file("r.chiso"),
                data: workbook,
                locale: Some(WireLocale::Vi),
                unit: Some("HN".into()),
            },
            Request::Evaluate { rulebook: file("r.chiso"), data: file("d.csv"), locale: None, unit: None },
            Request::Explain {
                rulebook: file("r.chiso"),
                data: file("d.json"),
                locale: Some(WireLocale::En),
                unit: "HN".into(),
                indicator: "1.1".into(),
            },
            Request::Test { files: vec![file("r.chiso")] },
            Request::Status {
                plan: file("p.chiso"),
                rulebook: Some(file("r.chiso")),
                data: Some(file("d.csv")),
                as_of: "2026-06-30".into(),
                locale: None,
            },
            Request::Status {
                plan: file("p.chiso"),
                rulebook: None,
                data: None,
                as_of: "2026-06-30".into(),
                locale: None,
            },
            Request::Owners { files: vec![file("r.chiso")] },
            Request::Format { file: file("r.chiso") },
        ];
        for request in requests {
            let json = serde_json::to_string(&request).unwrap();
            assert_eq!(Request::from_json(&json), Ok(request.clone()), "{json}");
            assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), request, "{json}");
        }
    }

    #[test]
    fn malformed_requests_say_what_is_wrong() {
        let cases = [
            ("", "EOF while parsing"),
            ("[1, 2]", "expected an object, found an array"),
            ("{}", "missing field `op`"),
            (r#"{"op": 1}"#, "`op`: expected a string, found a number"),
            (r#"{"op": "nope"}"#, "unknown op `nope`"),
            (r#"{"op": "evaluate"}"#, "missing field `rulebook`"),
            (
                r#"{"op": "format", "file": {"name": "r.chiso", "text": ""}, "unit": "HN"}"#,
                "unknown field `unit` for op `format`",
            ),
            (r#"{"op": "check", "files": {}}"#, "`files`: expected an array, found an object"),
            (r#"{"op": "check", "files": [{"name": "a"}]}"#, "`files`: file 1: missing field `text`"),
            (
                r#"{"op": "check", "files": [], "columns": "bytes"}"#,
                "unknown value `bytes`, expected `characters` or `utf16`",
            ),
            (r#"{"op": "owners", "files": [{"name": "a", "text": null}]}"#, "`text`: expected a string, found null"),
        ];
        for (json, message) in cases {
            match Request::from_json(json) {
                Ok(r) => panic!("{json} was read as {r:?}"),
                Err(e) => assert!(e.contains(message), "{json}: {e}"),
            }
        }
        // `null` is a missing optional field; a file's own unknown fields are ignored, as before.
        let json = r#"{"op": "evaluate", "rulebook": {"name": "r", "text": "", "size": 0},
            "data": {"name": "d.csv", "text": "", "base64": null}, "locale": null, "unit": null}"#;
        let plain = Request::Evaluate {
            rulebook: SourceText::new("r", ""),
            data: SourceText::new("d.csv", ""),
            locale: None,
            unit: None,
        };
        assert_eq!(Request::from_json(json), Ok(plain));
    }

    fn first_error_columns(columns: Option<Columns>) -> (u32, u32) {
        // `😀` is one character and two UTF-16 code units; the error after it is where a browser
        // editor must underline it.
        let files = vec![SourceText::new("r.chiso", "agency S \"Sở 😀\" ?\n")];
        match handle(Vec::new(), Request::Check { files, columns }) {
            Response::Check(report) => {
                let d = &report.diagnostics[0];
                assert_eq!(d.line, 1);
                (d.column, d.end_column)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn check_counts_columns_in_characters_or_utf16_as_asked() {
        assert_eq!(first_error_columns(None), (17, 18));
        assert_eq!(first_error_columns(Some(Columns::Characters)), (17, 18));
        assert_eq!(first_error_columns(Some(Columns::Utf16)), (18, 19));
    }

    #[test]
    fn base64_decodes_as_rfc_4648_says_and_locates_a_bad_character() {
        let cases: [(&str, &[u8]); 7] = [
            ("", b""),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9v", b"foo"),
            ("Zm9vYg", b"foob"),
            ("Zm9v\nYmFy", b"foobar"),
            ("-_8=", &[0xfb, 0xff]),
        ];
        for (text, bytes) in cases {
            assert_eq!(decode_base64(text).as_deref(), Ok(bytes), "{text}");
        }
        assert_eq!(decode_base64("Zm9v*mFy"), Err(Base64Error::NotBase64 { c: '*', at: 5 }));
        assert_eq!(decode_base64("Zm9vY"), Err(Base64Error::CutShort));
        assert_eq!(decode_base64("Zg==Zg"), Err(Base64Error::AfterPadding { c: 'Z' }));
    }

    #[test]
    fn a_malformed_workbook_is_refused_with_its_file_named() {
        let request = Request::Evaluate {
            rulebook: SourceText::new("r.chiso", ""),
            data: SourceText { name: "d.xlsx".into(), text: String::new(), base64: Some("UEsDBAo=".into()) },
            locale: None,
            unit: None,
        };
        match handle(Vec::new(), request) {
            Response::Refused { message, diagnostics } => {
                let named = diagnostics.iter().any(|d| d.file == "d.xlsx") || message.contains("d.xlsx");
                assert!(named, "{message} {diagnostics:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refusals_speak_the_readers_language() {
        let request = || Request::Evaluate {
            rulebook: SourceText::new("r.chiso", ""),
            data: SourceText::new("d.txt", ""),
            locale: None,
            unit: None,
        };
        let message = |lang| match handle_in(Vec::new(), request(), lang) {
            Response::Refused { message, .. } => message,
            other => panic!("{other:?}"),
        };
        assert_eq!(message(Lang::En), "d.txt: the data file must end in .csv, .json or .xlsx");
        assert_eq!(message(Lang::Vi), "d.txt: tệp số liệu phải có đuôi .csv, .json hoặc .xlsx");
    }
}
