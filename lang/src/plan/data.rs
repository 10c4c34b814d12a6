//! The reported side of a plan: target values and task statuses, read from CSV or JSON text.
//!
//! The same long format as scoring data: `unit,indicator,input,value`, where "indicator" is a
//! target or task id. A target reports `actual` (or `actual.LEVEL` for a per-level goal, or its
//! declared inputs when its value is computed); a task reports `status`, `done_on` and `note`.
//! Every value is converted here, so evaluation never sees a malformed one; every problem is a
//! diagnostic with a span in the data text (E0801 malformed file, E0802 bad value, W0803 a row
//! the plan has no place for).

use std::collections::BTreeMap;

use super::date::Date;
use crate::check::{Env, Ty};
use crate::data::{csv_error, Format};
use crate::diag::{Code, Diagnostic, Span};
use crate::eval::Value;
use crate::num::{Locale, Num, NumError};

/// How far a task has got, as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Progress {
    /// `done` (hoàn thành).
    Done,
    /// `in_progress` (đang thực hiện).
    InProgress,
    /// `not_started` (chưa thực hiện).
    NotStarted,
}

/// The status values a data file may use, with what they mean.
pub const PROGRESS_WORDS: &[(&str, Progress)] = &[
    ("done", Progress::Done),
    ("in_progress", Progress::InProgress),
    ("not_started", Progress::NotStarted),
    ("hoàn thành", Progress::Done),
    ("đã hoàn thành", Progress::Done),
    ("đang thực hiện", Progress::InProgress),
    ("đang triển khai", Progress::InProgress),
    ("chưa thực hiện", Progress::NotStarted),
    ("chưa triển khai", Progress::NotStarted),
];

impl Progress {
    /// The status written in data (case and surrounding spaces do not matter).
    pub fn parse(text: &str) -> Option<Progress> {
        let t = text.trim().to_lowercase();
        PROGRESS_WORDS.iter().find(|(w, _)| *w == t).map(|(_, p)| *p)
    }
    /// `done`, `in_progress` or `not_started`.
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Done => "done",
            Progress::InProgress => "in_progress",
            Progress::NotStarted => "not_started",
        }
    }
}

/// What was reported about one task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskReport {
    /// `status`.
    pub progress: Option<Progress>,
    /// `done_on`: the day the work was finished.
    pub done_on: Option<Date>,
    /// `note`: the result as the source words it.
    pub note: Option<String>,
}

/// The values reported for a plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanData {
    /// target id → unit → input (`actual`, `actual.tinh`, or a declared input) → value. A target
    /// whose goal is not per unit keeps its values under the unit `""`.
    pub targets: BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>,
    /// task id → report.
    pub tasks: BTreeMap<String, TaskReport>,
    /// Notes reported for targets, by target id.
    pub notes: BTreeMap<String, String>,
    /// Units in order of first appearance.
    pub units: Vec<String>,
}

/// A value as read, before conversion.
enum Raw {
    Text(String),
    Number(String),
    Bool(bool),
}

impl Raw {
    fn shown(&self) -> String {
        format!("`{}`", crate::diag::excerpt(&self.text(), crate::diag::EXCERPT_CHARS))
    }
    fn text(&self) -> String {
        match self {
            Raw::Text(t) | Raw::Number(t) => t.clone(),
            Raw::Bool(b) => b.to_string(),
        }
    }
}

/// One data row.
struct Row {
    unit: String,
    id: String,
    input: String,
    raw: Raw,
    span: Span,
}

/// Reads a plan's data file. Returns the values (every well-formed one) and the diagnostics; the
/// plan should not be evaluated when a diagnostic is an error.
pub fn load(text: &str, format: Format, env: &Env, locale: Locale) -> (PlanData, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let rows = match format {
        Format::Csv => csv_rows(text, &mut diags),
        Format::Json => json_rows(text, &mut diags),
    };
    let mut data = PlanData::default();
    for row in rows {
        if !data.units.contains(&row.unit) {
            data.units.push(row.unit.clone());
        }
        put(env, locale, &mut data, row, &mut diags);
    }
    (data, diags)
}

fn csv_rows(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Row> {
    let mut out = Vec::new();
    if let Some(d) = crate::data::unclosed_quote(text) {
        diags.push(d);
        return out;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(csv_error(text, &e));
            return out;
        }
    };
    let col =
        |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let (Some(cu), Some(ci), Some(cn), Some(cv)) = (col("unit"), col("indicator"), col("input"), col("value")) else {
        let end = text.find('\n').unwrap_or(text.len());
        diags.push(
            Diagnostic::new(
                Code::E0801,
                Span::new(0, end),
                "the CSV header must name the columns `unit`, `indicator`, `input` and `value`",
            )
            .with_help("first line: unit,indicator,input,value (indicator: the target or task id)"),
        );
        return out;
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                diags.push(csv_error(text, &e));
                break;
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let line_end = text.get(start..).and_then(|r| r.find('\n')).map_or(text.len(), |i| start + i);
        let span = Span::new(start, line_end.max(start));
        if record.len() != headers.len() {
            diags.push(Diagnostic::new(
                Code::E0801,
                span,
                format!("this row has {} fields, but the header has {}", record.len(), headers.len()),
            ));
            continue;
        }
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let (unit, id, input, value) = (get(cu), get(ci), get(cn), get(cv));
        if unit.is_empty() || id.is_empty() {
            diags.push(Diagnostic::new(Code::E0801, span, "a row needs a unit and a target or task id"));
            continue;
        }
        if value.is_empty() {
            continue;
        }
        let vspan = text
            .get(start..line_end)
            .and_then(|l| l.rfind(value))
            .map_or(span, |i| Span::new(start + i, start + i + value.len()));
        out.push(Row {
            unit: unit.to_string(),
            id: id.to_string(),
            input: input.to_string(),
            raw: Raw::Text(value.to_string()),
            span: vspan,
        });
    }
    out
}

fn json_rows(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Row> {
    let mut out = Vec::new();
    let root: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            diags.push(Diagnostic::new(Code::E0801, Span::new(offset, offset), format!("malformed JSON: {e}")));
            return out;
        }
    };
    let Some(units) = root.get("units").and_then(|u| u.as_object()) else {
        diags.push(
            Diagnostic::new(Code::E0801, Span::new(0, 0), "the JSON must be an object with a `units` object")
                .with_help(r#"{"units": {"NT": {"155": {"status": "done", "done_on": "2024-01-10"}}}}"#),
        );
        return out;
    };
    for (unit, ids) in units {
        let Some(ids) = ids.as_object() else {
            diags.push(Diagnostic::new(
                Code::E0801,
                locate(text, &[unit]),
                format!("unit `{unit}` must be an object of targets and tasks"),
            ));
            continue;
        };
        for (id, inputs) in ids {
            let Some(inputs) = inputs.as_object() else {
                diags.push(Diagnostic::new(
                    Code::E0801,
                    locate(text, &[unit, id]),
                    format!("`{unit}` / `{id}` must be an object of values"),
                ));
                continue;
            };
            for (input, v) in inputs {
                let span = locate(text, &[unit, id, input]);
                let raw = match v {
                    serde_json::Value::Null => continue,
                    serde_json::Value::Bool(b) => Raw::Bool(*b),
                    serde_json::Value::Number(n) => Raw::Number(n.to_string()),
                    serde_json::Value::String(s) => Raw::Text(s.clone()),
                    _ => {
                        diags.push(Diagnostic::new(
                            Code::E0802,
                            span,
                            format!("`{unit}` / `{id}` / `{input}` must be a number, text or true/false"),
                        ));
                        continue;
                    }
                };
                out.push(Row { unit: unit.clone(), id: id.clone(), input: input.clone(), raw, span });
            }
        }
    }
    out
}

/// Where a JSON key path is written, for messages.
fn locate(text: &str, path: &[&String]) -> Span {
    let mut from = 0;
    let mut span = Span::new(0, 0);
    for key in path {
        let needle = format!("\"{key}\"");
        match text.get(from..).and_then(|t| t.find(&needle)) {
            Some(i) => {
                span = Span::new(from + i, from + i + needle.len());
                from += i + needle.len();
            }
            None => break,
        }
    }
    span
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col_bytes: usize = l.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
            return (offset + col_bytes).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// Whether a row may report the plan as a whole (not per unit): its unit is the plan's `unit`.
fn plan_unit_ok(env: &Env, row: &Row, diags: &mut Vec<Diagnostic>) -> bool {
    match env.plan.as_ref().and_then(|p| p.unit.as_ref()) {
        Some(u) if *u != row.unit => {
            diags.push(
                Diagnostic::new(
                    Code::W0803,
                    row.span,
                    format!("the plan is reported by unit `{u}`; this row of unit `{}` is ignored", row.unit),
                )
                .with_help(format!("write `{u}` in the unit column")),
            );
            false
        }
        _ => true,
    }
}

fn twice(row: &Row) -> Diagnostic {
    Diagnostic::new(Code::E0802, row.span, format!("unit {}, {} / {} is reported twice", row.unit, row.id, row.input))
}

fn put(env: &Env, locale: Locale, data: &mut PlanData, row: Row, diags: &mut Vec<Diagnostic>) {
    if env.tasks.contains_key(&row.id) {
        if plan_unit_ok(env, &row, diags) {
            put_task(data, &row, diags);
        }
        return;
    }
    let Some(info) = env.targets.get(&row.id) else {
        diags.push(Diagnostic::new(
            Code::W0803,
            row.span,
            format!("the plan has no target or task `{}`; the value is ignored", row.id),
        ));
        return;
    };
    if !info.each_unit && !plan_unit_ok(env, &row, diags) {
        return;
    }
    if row.input == "note" {
        if data.notes.insert(row.id.clone(), row.raw.text()).is_some() {
            diags.push(twice(&row));
        }
        return;
    }
    // The inputs this target accepts, with their types.
    let base: Vec<(String, Ty)> =
        if info.computed { info.inputs.clone() } else { vec![("actual".to_string(), info.measure.clone())] };
    let allowed: Vec<(String, Ty)> = if info.levels.is_empty() {
        base
    } else {
        base.iter().flat_map(|(n, t)| info.levels.iter().map(move |l| (format!("{n}.{l}"), t.clone()))).collect()
    };
    let Some((_, ty)) = allowed.iter().find(|(n, _)| *n == row.input) else {
        let names = allowed.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        diags.push(Diagnostic::new(
            Code::W0803,
            row.span,
            format!("target {} reports {names} (and `note`), not `{}`; the value is ignored", row.id, row.input),
        ));
        return;
    };
    let value = match convert(ty, &row.raw, locale) {
        Ok(v) => v,
        Err(why) => {
            diags.push(Diagnostic::new(
                Code::E0802,
                row.span,
                format!(
                    "unit {}, {} / {}: {} is not a valid {}: {why}",
                    row.unit,
                    row.id,
                    row.input,
                    row.raw.shown(),
                    ty.describe()
                ),
            ));
            return;
        }
    };
    let unit_key = if info.each_unit { row.unit.clone() } else { String::new() };
    let slot = data.targets.entry(row.id.clone()).or_default().entry(unit_key).or_default();
    if slot.insert(row.input.clone(), value).is_some() {
        diags.push(twice(&row));
    }
}

fn put_task(data: &mut PlanData, row: &Row, diags: &mut Vec<Diagnostic>) {
    let report = data.tasks.entry(row.id.clone()).or_default();
    let fresh = match row.input.as_str() {
        "status" => match Progress::parse(&row.raw.text()) {
            Some(p) => report.progress.replace(p).is_none(),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::E0802,
                        row.span,
                        format!(
                            "unit {}, task {} / status: {} is not a task status",
                            row.unit,
                            row.id,
                            row.raw.shown()
                        ),
                    )
                    .with_help(
                        "write done, in_progress or not_started (or hoàn thành, đang thực hiện, chưa thực hiện)",
                    ),
                );
                return;
            }
        },
        "done_on" => match Date::parse(&row.raw.text()) {
            Ok(d) => report.done_on.replace(d).is_none(),
            Err(why) => {
                diags.push(Diagnostic::new(
                    Code::E0802,
                    row.span,
                    format!("unit {}, task {} / done_on: {} is not a date: {why}", row.unit, row.id, row.raw.shown()),
                ));
                return;
            }
        },
        "note" => report.note.replace(row.raw.text()).is_none(),
        other => {
            diags.push(Diagnostic::new(
                Code::W0803,
                row.span,
                format!(
                    "task {} has no input `{other}` (a task reports `status`, `done_on` and `note`); the value is ignored",
                    row.id
                ),
            ));
            return;
        }
    };
    if !fresh {
        diags.push(twice(row));
    }
}

fn convert(ty: &Ty, raw: &Raw, locale: Locale) -> Result<Value, String> {
    let number = || -> Result<Num, String> {
        let parsed = match raw {
            Raw::Number(n) => Num::parse_data(n, Locale::En),
            Raw::Text(t) => Num::parse_data(t, locale),
            Raw::Bool(_) => return Err("expected a number".into()),
        };
        parsed.map_err(|e| match e {
            NumError::TooLong => format!("more than {} digits", crate::num::MAX_DIGITS),
            NumError::Invalid if locale == Locale::En => {
                "expected a number such as 6.03 (for 6,03 use --locale vi or `locale vi`)".into()
            }
            NumError::Invalid => "expected a number such as 6,03 or 20.659".into(),
        })
    };
    match ty {
        Ty::Count => {
            let n = number()?;
            if !n.is_integer() || n.is_negative() {
                return Err("a count must be a whole number ≥ 0".into());
            }
            Ok(Value::Num(n))
        }
        Ty::Percent => {
            let n = number()?;
            let has_sign = matches!(raw, Raw::Text(t) if t.trim_end().ends_with('%'));
            if !has_sign && n.abs() > Num::one() {
                return Err(format!(
                    "write the percent sign, e.g. `{}%` (without it the value is a ratio: 1 = 100%)",
                    raw.text().trim()
                ));
            }
            Ok(Value::Num(n))
        }
        Ty::Number | Ty::Money | Ty::Points | Ty::Error => Ok(Value::Num(number()?)),
        Ty::Bool => match raw {
            Raw::Bool(b) => Ok(Value::Bool(*b)),
            _ => match raw.text().trim().to_lowercase().as_str() {
                "true" | "yes" | "có" | "co" | "1" | "x" => Ok(Value::Bool(true)),
                "false" | "no" | "không" | "khong" | "0" => Ok(Value::Bool(false)),
                _ => Err("expected yes/no (true, false, yes, no, có, không)".into()),
            },
        },
        Ty::Choice(options) => match raw {
            Raw::Text(t) if options.iter().any(|o| o == t) => Ok(Value::Choice(t.clone())),
            _ => Err(format!("expected one of: {}", options.join(", "))),
        },
        Ty::Text | Ty::Date => Ok(Value::Text(raw.text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(text: &str) -> Env {
        let parse = crate::parse(text);
        crate::check(&parse).env
    }

    const PLAN: &str = r#"
plan "P" { period 2024 unit "NT" }
agency S "Sở"
target 4 "Cáp quang" { goal >= 84% owner S }
target L "Cấp" { measure percent goal level tinh >= 55%, xa >= 20% owner S }
target U "Đơn vị" { goal each unit >= 60% owner S }
task 155 "Kế hoạch" { owner S due 2024-01 }
"#;

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn reads_targets_and_tasks() {
        let csv = "unit,indicator,input,value\nNT,4,actual,81%\nNT,L,actual.tinh,56%\nA,U,actual,61%\nB,U,actual,59%\n\
                   NT,155,status,hoàn thành\nNT,155,done_on,10/01/2024\nNT,155,note,\"86/STTTT, 10/01/2024\"\n";
        let (data, diags) = load(csv, Format::Csv, &env(PLAN), Locale::En);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.targets["4"][""]["actual"], Value::Num(Num::ratio(81, 100).unwrap()));
        assert_eq!(data.targets["U"].len(), 2);
        assert_eq!(data.tasks["155"].progress, Some(Progress::Done));
        assert_eq!(data.tasks["155"].done_on, Date::new(2024, 1, 10));
        assert_eq!(data.tasks["155"].note.as_deref(), Some("86/STTTT, 10/01/2024"));
    }

    #[test]
    fn rejects_bad_values() {
        let csv = "unit,indicator,input,value\nNT,155,status,finished\nNT,155,done_on,2024-02-30\nNT,4,actual,81\n\
                   NT,4,actual,80%\nNT,9,actual,1\nX,4,actual,1%\nNT,L,actual,5%\nNT,155,owner,S\n";
        let (_, diags) = load(csv, Format::Csv, &env(PLAN), Locale::En);
        assert_eq!(codes(&diags), ["E0802", "E0802", "E0802", "W0803", "W0803", "W0803", "W0803"]);
        assert!(diags[1].message.contains("February 2024 has 29 days"));
        assert!(diags[2].message.contains("81%"));
    }

    #[test]
    fn reads_json() {
        let json = r#"{"units": {"NT": {"155": {"status": "done", "done_on": "2024-01-10"}, "4": {"actual": "81%"}}}}"#;
        let (data, diags) = load(json, Format::Json, &env(PLAN), Locale::En);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.tasks["155"].progress, Some(Progress::Done));
        let (_, diags) = load("{", Format::Json, &env(PLAN), Locale::En);
        assert_eq!(codes(&diags), ["E0801"]);
    }
}
