//! The reported side of a plan: target values and task statuses, read from CSV or JSON text.
//!
//! The same long format as scoring data: `unit,indicator,input,value`, where "indicator" is a
//! target or task id. A target reports `actual` (or `actual.LEVEL` for a per-level goal, or its
//! declared inputs when its value is computed); a task reports `status`, `done_on` and `note`.
//! Every value is converted here, so evaluation never sees a malformed one; every problem is a
//! diagnostic with a span in the data text (E0801 malformed file, E0802 bad value, W0803 a row
//! the plan has no place for).

use crate::map::VecMap;

use crate::data::table::{self, Entry, HeaderRules};
use crate::data::{value, Format};
use crate::diag::message::Cell;
use crate::diag::{Code, Diagnostic, Hint, Message, Span};
use crate::num::Locale;
use crate::sema::Value;
use crate::sema::{Env, Ty};
use crate::time::Date;

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
        let t = crate::case::lowercase(&crate::data::value::nfc(text.trim()));
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
    pub targets: VecMap<String, VecMap<String, VecMap<String, Value>>>,
    /// task id → report.
    pub tasks: VecMap<String, TaskReport>,
    /// Notes reported for targets, by target id.
    pub notes: VecMap<String, String>,
    /// Units in order of first appearance.
    pub units: Vec<String>,
}

/// A value as read, before conversion.
enum Raw {
    Text(String),
    Number(String),
    Ratio(String),
    Bool(bool),
}

impl Raw {
    fn borrowed(&self) -> value::Raw<'_> {
        match self {
            Raw::Text(t) => value::Raw::Text(t),
            Raw::Number(n) => value::Raw::Number(n),
            Raw::Ratio(n) => value::Raw::Ratio(n),
            Raw::Bool(b) => value::Raw::Bool(*b),
        }
    }
    fn shown(&self) -> Cell {
        self.borrowed().shown()
    }
    fn text(&self) -> String {
        self.borrowed().text()
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

/// Reads a plan's data file. `locale` is the locale stated for this run (`--locale`); without
/// one, the plan's (or its rulebook's) `locale` applies, and without that, numbers that read
/// differently in `en` and `vi` are refused, as in scoring data. Returns the values (every
/// well-formed one) and the diagnostics; the plan should not be evaluated when a diagnostic is an
/// error.
pub fn load(text: &str, format: Format, env: &Env, locale: Option<Locale>) -> (PlanData, Vec<Diagnostic>) {
    if let Some(d) = super::super::data::too_large(text) {
        return (PlanData::default(), vec![d]);
    }
    let locale = locale.or(env.locale);
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

const HEADER_HELP: Hint = Hint::Header { plan: true };

/// Keeps an entry of the shared table or JSON readers as a row.
fn keep(out: &mut Vec<Row>, e: Entry<'_>) {
    let Some(raw) = e.raw else { return };
    let raw = match raw {
        value::Raw::Text(t) => Raw::Text(t.to_string()),
        value::Raw::Number(n) => Raw::Number(n.to_string()),
        value::Raw::Ratio(n) => Raw::Ratio(n.to_string()),
        value::Raw::Bool(b) => Raw::Bool(b),
    };
    out.push(Row {
        unit: e.unit.to_string(),
        id: e.indicator.to_string(),
        input: e.input.to_string(),
        raw,
        span: e.span,
    });
}

fn csv_rows(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Row> {
    let mut out = Vec::new();
    let rules = HeaderRules { help: HEADER_HELP, split: None };
    let mut visit = |e: table::Entry<'_>, _: &mut Vec<Diagnostic>| keep(&mut out, e);
    table::read_delimited(text, &rules, true, diags, &mut visit);
    out
}

fn json_rows(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Row> {
    let mut out = Vec::new();
    crate::data::read_json(text, true, diags, &mut |e, _| keep(&mut out, e));
    out
}

/// Whether a row may report the plan as a whole (not per unit): its unit is the plan's `unit`.
fn plan_unit_ok(env: &Env, row: &Row, diags: &mut Vec<Diagnostic>) -> bool {
    match env.plan.as_ref().and_then(|p| p.unit.as_ref()) {
        Some(u) if *u != row.unit => {
            diags.push(
                Diagnostic::new(
                    Code::W0803,
                    row.span,
                    Message::PlanReportedBy { plan_unit: u.clone(), unit: row.unit.clone() },
                )
                .with_help(Hint::WriteUnit { unit: u.clone() }),
            );
            false
        }
        _ => true,
    }
}

fn twice(row: &Row) -> Diagnostic {
    Diagnostic::new(
        Code::E0802,
        row.span,
        Message::ReportedTwice { at: None, unit: row.unit.clone(), id: row.id.clone(), input: row.input.clone() },
    )
}

fn put(env: &Env, locale: Option<Locale>, data: &mut PlanData, row: Row, diags: &mut Vec<Diagnostic>) {
    if env.tasks.contains_key(&row.id) {
        if plan_unit_ok(env, &row, diags) {
            put_task(data, &row, diags);
        }
        return;
    }
    let Some(info) = env.targets.get(&row.id) else {
        diags.push(Diagnostic::new(Code::W0803, row.span, Message::NoPlanItemIgnored { id: row.id.clone() }));
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
        let inputs = allowed.iter().map(|(n, _)| n.clone()).collect();
        diags.push(Diagnostic::new(
            Code::W0803,
            row.span,
            Message::TargetReports { id: row.id.clone(), inputs, input: row.input.clone() },
        ));
        return;
    };
    let value = match value::convert(ty, &row.raw.borrowed(), locale, None) {
        Ok(v) => v,
        Err(why) => {
            diags.push(Diagnostic::new(
                Code::E0802,
                row.span,
                Message::BadValue {
                    at: None,
                    unit: row.unit.clone(),
                    id: row.id.clone(),
                    input: row.input.clone(),
                    value: row.raw.shown(),
                    ty: ty.unit(),
                    why,
                },
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
                        Message::NotTaskStatus { unit: row.unit.clone(), id: row.id.clone(), value: row.raw.shown() },
                    )
                    .with_help(Hint::TaskStatuses),
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
                    Message::NotADateValue { unit: row.unit.clone(), id: row.id.clone(), value: row.raw.shown(), why },
                ));
                return;
            }
        },
        "note" => report.note.replace(row.raw.text()).is_none(),
        other => {
            diags.push(Diagnostic::new(
                Code::W0803,
                row.span,
                Message::TaskNoInput { id: row.id.clone(), input: other.to_string() },
            ));
            return;
        }
    };
    if !fresh {
        diags.push(twice(row));
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
        let (data, diags) = load(csv, Format::Csv, &env(PLAN), Some(Locale::En));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.targets["4"][""]["actual"], Value::Num(crate::num::Num::ratio(81, 100).unwrap()));
        assert_eq!(data.targets["U"].len(), 2);
        assert_eq!(data.tasks["155"].progress, Some(Progress::Done));
        assert_eq!(data.tasks["155"].done_on, Date::new(2024, 1, 10));
        assert_eq!(data.tasks["155"].note.as_deref(), Some("86/STTTT, 10/01/2024"));
    }

    #[test]
    fn rejects_bad_values() {
        let csv = "unit,indicator,input,value\nNT,155,status,finished\nNT,155,done_on,2024-02-30\nNT,4,actual,81\n\
                   NT,4,actual,80%\nNT,9,actual,1\nX,4,actual,1%\nNT,L,actual,5%\nNT,155,owner,S\n";
        let (_, diags) = load(csv, Format::Csv, &env(PLAN), Some(Locale::En));
        assert_eq!(codes(&diags), ["E0802", "E0802", "E0802", "W0803", "W0803", "W0803", "W0803"]);
        assert!(diags[1].message.to_string().contains("February 2024 has 29 days"));
        assert!(diags[2].message.to_string().contains("81%"));
    }

    #[test]
    fn reads_json() {
        let json = r#"{"units": {"NT": {"155": {"status": "done", "done_on": "2024-01-10"}, "4": {"actual": "81%"}}}}"#;
        let (data, diags) = load(json, Format::Json, &env(PLAN), Some(Locale::En));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.tasks["155"].progress, Some(Progress::Done));
        let (_, diags) = load("{", Format::Json, &env(PLAN), Some(Locale::En));
        assert_eq!(codes(&diags), ["E0801"]);
        // A bare ratio is refused as in scoring data; a key twice is reported at the second one.
        let json = r#"{"units": {"NT": {"4": {"actual": 0.81}, "155": {"status": "done", "status": "not_started"}}}}"#;
        let (_, diags) = load(json, Format::Json, &env(PLAN), None);
        assert_eq!(codes(&diags), ["E0802", "E0802"]);
        assert_eq!(diags[0].span.text(json), "\"status\"");
        assert!(diags[0].span.start as usize > json.find("not_started").unwrap() - 12);
        assert!(diags[1].message.to_string().contains("`81%` if `0.81` is a ratio"), "{}", diags[1].message);
    }
}
