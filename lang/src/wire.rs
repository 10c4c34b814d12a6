//! The JSON shapes of Chiso's outputs, defined once and shared by `chiso … --format json` and the
//! browser build, so both print the same bytes for the same input. Numbers are exact decimal
//! strings (6 decimal places at most), never binary floats. Documented in `spec/output.md`.

use serde::Serialize;

use crate::diag::{Anchor, Diagnostic, Lang, LineIndex};
use crate::eval::{Results, UnitResult};

/// Decimal places of numbers in JSON.
pub const JSON_DIGITS: u32 = 6;

/// `chiso check --format json`.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    /// Every diagnostic, in file and position order.
    pub diagnostics: Vec<WireDiagnostic>,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

/// One diagnostic.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireDiagnostic {
    /// `E0301`.
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// The code's short title in English.
    pub title: String,
    /// The code's short title in Vietnamese.
    pub title_vi: String,
    /// The file.
    pub file: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column (in characters) of the start.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column of the end.
    pub end_column: u32,
    /// Secondary spans.
    pub labels: Vec<WireLabel>,
    /// The hint.
    pub help: Option<String>,
}

/// A secondary span.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireLabel {
    /// The file the label points into, when it is not the diagnostic's own (a plan's diagnostic
    /// pointing into its rulebook); its line and column count in that file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub file: Option<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Text.
    pub text: String,
}

impl WireDiagnostic {
    /// Converts a diagnostic about `file` whose text is `text`, its texts in English.
    pub fn new(d: &Diagnostic, file: &str, text: &str) -> WireDiagnostic {
        WireDiagnostic::in_lang(d, file, text, Lang::En)
    }

    /// Converts a diagnostic about `file` whose text is `text`, its message, labels and hint in
    /// `lang`, its columns counted in characters.
    pub fn in_lang(d: &Diagnostic, file: &str, text: &str, lang: Lang) -> WireDiagnostic {
        WireDiagnostic::with_columns(d, file, text, lang, Columns::Characters)
    }

    /// Converts a diagnostic, its texts in `lang`, its columns counted in `columns`. A label in
    /// another file is left out (see [`Self::with_indexes`]).
    pub fn with_columns(d: &Diagnostic, file: &str, text: &str, lang: Lang, columns: Columns) -> WireDiagnostic {
        WireDiagnostic::with_indexes(d, file, &LineIndex::new(text), lang, columns, &|_| None)
    }

    /// [`Self::with_columns`] of a text already indexed (`idx`), with labels in other files:
    /// `other` gives the name and index of the file a span's anchor names (`None`: the label is
    /// left out, rather than placed in the wrong text). The indexes are made once for many
    /// diagnostics: indexing a rulebook's lines for each of its forty warnings was most of the
    /// cost of answering the portal.
    pub fn with_indexes<'t>(
        d: &Diagnostic,
        file: &str,
        idx: &LineIndex<'_>,
        lang: Lang,
        columns: Columns,
        other: &dyn Fn(Anchor) -> Option<(String, &'t LineIndex<'t>)>,
    ) -> WireDiagnostic {
        let position = |idx: &LineIndex, offset: u32| {
            let mut p = idx.line_col(offset);
            if columns == Columns::Utf16 {
                p.col = utf16_column(idx.text(), offset);
            }
            p
        };
        let at = |offset: u32| position(idx, offset);
        let s = at(d.span.start);
        let e = at(d.span.end);
        WireDiagnostic {
            code: d.code.as_str().to_string(),
            severity: d.severity.as_str().to_string(),
            message: d.message.render(lang),
            title: d.code.title().to_string(),
            title_vi: d.code.title_vi().to_string(),
            file: file.to_string(),
            line: s.line,
            column: s.col,
            end_line: e.line,
            end_column: e.col,
            labels: d
                .labels
                .iter()
                .filter_map(|l| {
                    if l.span.anchor == d.span.anchor {
                        let p = at(l.span.start);
                        return Some(WireLabel { file: None, line: p.line, column: p.col, text: l.text.render(lang) });
                    }
                    let (name, other_idx) = other(l.span.anchor)?;
                    let p = position(other_idx, l.span.start);
                    Some(WireLabel { file: Some(name), line: p.line, column: p.col, text: l.text.render(lang) })
                })
                .collect(),
            help: d.help.as_ref().map(|h| h.render(lang)),
        }
    }
}

/// What a column counts.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Columns {
    /// Characters (Unicode scalar values): what the CLI prints.
    #[default]
    Characters,
    /// UTF-16 code units: what a browser editor (CodeMirror, Monaco) and LSP count, where a
    /// character outside the Basic Multilingual Plane is two.
    Utf16,
}

/// The 1-based UTF-16 column of a byte offset of `text` (clamped to the text, as
/// [`LineIndex::line_col`] does).
fn utf16_column(text: &str, offset: u32) -> u32 {
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].encode_utf16().count() as u32 + 1
}

/// `chiso eval --format json`.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvalReport {
    /// The rulebook's title.
    pub rulebook: Option<String>,
    /// One scorecard per unit, in data order.
    pub units: Vec<WireUnit>,
    /// Warnings about the rulebook and the data.
    pub diagnostics: Vec<WireDiagnostic>,
}

/// One unit's scorecard.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireUnit {
    /// Unit id.
    pub id: String,
    /// Total points.
    pub total: String,
    /// The index, when declared.
    pub index: Option<String>,
    /// Whether every scored indicator was evaluable.
    pub complete: bool,
    /// 1 = highest total.
    pub rank: usize,
    /// Pillars.
    pub pillars: Vec<WirePillar>,
    /// Indicators.
    pub indicators: Vec<WireIndicator>,
}

/// A pillar's subtotal.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WirePillar {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Subtotal.
    pub score: String,
    /// Declared max.
    pub max: String,
    /// Whether every indicator was evaluable.
    pub complete: bool,
}

/// An indicator's result.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireIndicator {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Pillar id.
    pub pillar: Option<String>,
    /// Parent id, for a sub-indicator.
    pub parent: Option<String>,
    /// Max points.
    pub max: String,
    /// `scored`, `not_evaluable` or `not_scored`.
    pub status: String,
    /// Score.
    pub score: Option<String>,
    /// Score before clamping to [0, max], when different.
    pub raw_score: Option<String>,
    /// Why not evaluable.
    pub reason: Option<String>,
    /// The `assume` the unit's data contradicts, when it does.
    pub contradicted_assumption: Option<String>,
}

fn dec(n: &crate::num::Num) -> String {
    n.to_decimal_string(JSON_DIGITS)
}

/// The most decimal places a result may be written with (`chiso eval --precision`).
pub const MAX_DIGITS: u32 = 30;

/// How results are written (`chiso eval --precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// At most this many decimal places (at most [`MAX_DIGITS`]), each rounded once from the
    /// exact value, half away from zero.
    Digits(u32),
    /// The exact value: a decimal when its expansion ends, else the fraction (`"10/3"`).
    Exact,
}

impl Precision {
    /// `n` written at this precision.
    pub fn write(self, n: &crate::num::Num) -> String {
        match self {
            Precision::Digits(d) => n.to_decimal_string(d.min(MAX_DIGITS)),
            Precision::Exact => n.to_exact_string(),
        }
    }
}

/// A ratio as a percentage with 2 decimals, rounded once from the exact value.
pub fn percent_2(ratio: &crate::num::Num) -> String {
    ratio.mul(&crate::num::Num::from_i64(100)).to_decimal_string(2)
}

impl WireUnit {
    /// Converts a scorecard.
    pub fn new(u: &UnitResult) -> WireUnit {
        WireUnit::with_precision(u, Precision::Digits(JSON_DIGITS))
    }

    /// Converts a scorecard, numbers written at `precision`.
    pub fn with_precision(u: &UnitResult, precision: Precision) -> WireUnit {
        let dec = |n: &crate::num::Num| precision.write(n);
        WireUnit {
            id: u.id.clone(),
            total: dec(&u.total),
            index: u.index.as_ref().map(dec),
            complete: u.complete,
            rank: u.rank,
            pillars: u
                .pillars
                .iter()
                .map(|p| WirePillar {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    score: dec(&p.score),
                    max: dec(&p.max),
                    complete: p.complete,
                })
                .collect(),
            indicators: u
                .indicators
                .iter()
                .map(|i| WireIndicator {
                    id: i.id.clone(),
                    title: i.title.clone(),
                    pillar: i.pillar.clone(),
                    parent: i.parent.clone(),
                    max: dec(&i.max),
                    status: i.status.as_str().to_string(),
                    score: i.score.as_ref().map(dec),
                    raw_score: i.raw_score.as_ref().map(dec),
                    reason: i.reason.clone(),
                    contradicted_assumption: i.contradicted.clone(),
                })
                .collect(),
        }
    }

    /// A scorecard from the float filter (`Workspace::score_each_rounded`), its numbers already
    /// written: the same document [`Self::with_precision`] makes of the exact scorecard.
    pub fn from_rounded(u: &crate::engine::RoundedUnit) -> WireUnit {
        WireUnit {
            id: u.id.to_string(),
            total: u.total.clone(),
            index: u.index.clone(),
            complete: u.complete,
            rank: u.rank,
            pillars: u
                .pillars
                .iter()
                .map(|p| WirePillar {
                    id: p.id.to_string(),
                    title: p.title.to_string(),
                    score: p.score.clone(),
                    max: p.max.clone(),
                    complete: p.complete,
                })
                .collect(),
            indicators: u
                .indicators
                .iter()
                .map(|i| WireIndicator {
                    id: i.id.to_string(),
                    title: i.title.to_string(),
                    pillar: i.pillar.map(str::to_string),
                    parent: i.parent.map(str::to_string),
                    max: i.max.clone(),
                    status: i.status.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    score: i.scored.then(|| i.score.clone()),
                    raw_score: i.raw.clone(),
                    reason: i.reason.clone(),
                    contradicted_assumption: i.contradicted.as_deref().map(str::to_string),
                })
                .collect(),
        }
    }
}

impl EvalReport {
    /// Converts results.
    pub fn new(results: &Results, diagnostics: Vec<WireDiagnostic>) -> EvalReport {
        EvalReport::with_precision(results, diagnostics, Precision::Digits(JSON_DIGITS))
    }

    /// Converts results, numbers written at `precision`.
    pub fn with_precision(results: &Results, diagnostics: Vec<WireDiagnostic>, precision: Precision) -> EvalReport {
        EvalReport {
            rulebook: results.title.clone(),
            units: results.units.iter().map(|u| WireUnit::with_precision(u, precision)).collect(),
            diagnostics,
        }
    }
}

// ----- planning ------------------------------------------------------------------------------------

/// `chiso status --format json`: a plan evaluated as of a date.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusReport {
    /// The plan's title.
    pub plan: Option<String>,
    /// The plan's period.
    pub period: Option<WirePeriod>,
    /// The date of the evaluation, `YYYY-MM-DD`.
    pub as_of: String,
    /// Targets, in source order.
    pub targets: Vec<WireTarget>,
    /// Tasks, in source order.
    pub tasks: Vec<WireTask>,
    /// The next deadline of each schedule line, soonest first.
    pub next_deadlines: Vec<WireNextDeadline>,
    /// Totals per owner agency.
    pub agencies: Vec<WireTotals>,
    /// Totals per group.
    pub groups: Vec<WireTotals>,
    /// Totals of the plan.
    pub totals: WireCounts,
    /// Warnings about the plan and the data.
    pub diagnostics: Vec<WireDiagnostic>,
}

/// A range of days, both ends included.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WirePeriod {
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
}

/// A target's result.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireTarget {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Group heading.
    pub group: Option<String>,
    /// Owner agencies.
    pub owners: Vec<String>,
    /// Cooperating agencies.
    pub cooperating: Vec<String>,
    /// The rulebook indicator it is about.
    pub indicator: Option<String>,
    /// `count`, `number`, `percent`, `money (tỷ đồng)` or `points`.
    pub measure: String,
    /// The source's unit label.
    pub unit_label: Option<String>,
    /// Baseline value.
    pub baseline: Option<String>,
    /// The period of the baseline, as written.
    pub baseline_period: Option<String>,
    /// The period of the goal.
    pub period: Option<WirePeriod>,
    /// Whether the period is still running on the date.
    pub period_open: bool,
    /// `met`, `not_met`, `no_data` or `no_goal`.
    pub status: String,
    /// One line for a plain goal, one per level or unit otherwise.
    pub lines: Vec<WireTargetLine>,
    /// The reported note.
    pub note: Option<String>,
}

/// One line of a target's result.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireTargetLine {
    /// Level or unit.
    pub part: Option<String>,
    /// The goal as written.
    pub goal: Option<String>,
    /// The value.
    pub actual: Option<String>,
    /// `met`, `not_met`, `no_data` or `no_goal`.
    pub status: String,
    /// How far from the goal (0 when met).
    pub gap: Option<String>,
    /// value / goal, to 6 decimal places.
    pub ratio: Option<String>,
    /// value / goal as a percentage to 2 decimal places, rounded once from the exact ratio (the
    /// "(6)/(5)" column of the reports: `49.92` for 10 314 / 20 659).
    pub ratio_percent: Option<String>,
    /// Why there is no value.
    pub reason: Option<String>,
}

/// A task's result.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireTask {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Group heading.
    pub group: Option<String>,
    /// The number printed in the source.
    pub source_id: Option<String>,
    /// Owner agencies.
    pub owners: Vec<String>,
    /// Cooperating agencies.
    pub cooperating: Vec<String>,
    /// The deadline as written.
    pub due: Option<String>,
    /// The deadline the source's way.
    pub due_vi: Option<String>,
    /// The last on-time day that applies on the date.
    pub due_date: Option<String>,
    /// `done`, `in_progress` or `not_started`, as reported.
    pub progress: Option<String>,
    /// The reported completion day.
    pub done_on: Option<String>,
    /// `done_on_time`, `done_late`, `done_undated`, `open`, `overdue`, `ongoing` or `no_deadline`.
    pub status: String,
    /// Days left (0: due today).
    pub days_remaining: Option<i64>,
    /// Days late.
    pub days_late: Option<i64>,
    /// Indicators and targets it advances.
    pub advances: Vec<String>,
    /// The reported note.
    pub note: Option<String>,
    /// Why the status is what it is, when not obvious.
    pub remark: Option<String>,
}

/// The next deadline of one schedule line.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireNextDeadline {
    /// The schedule's title.
    pub schedule: String,
    /// Who reports.
    pub owners: Vec<String>,
    /// Who receives.
    pub recipients: Vec<String>,
    /// The rule as written.
    pub rule: String,
    /// The rule the source's way.
    pub rule_vi: String,
    /// The next last on-time day, if any in the period.
    pub date: Option<String>,
    /// Days until it.
    pub days_remaining: Option<i64>,
}

/// Totals of one agency or group.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireTotals {
    /// The agency's short name or the group's heading.
    pub key: String,
    /// The agency's full name.
    pub title: Option<String>,
    /// The counts.
    pub counts: WireCounts,
}

/// Counts of targets and tasks by status.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireCounts {
    /// Targets by status, every status present.
    #[cfg_attr(feature = "ts", ts(as = "std::collections::BTreeMap<String, usize>"))]
    pub targets: crate::map::VecMap<String, usize>,
    /// Number of targets.
    pub target_total: usize,
    /// Tasks by status, every status present.
    #[cfg_attr(feature = "ts", ts(as = "std::collections::BTreeMap<String, usize>"))]
    pub tasks: crate::map::VecMap<String, usize>,
    /// Number of tasks.
    pub task_total: usize,
}

impl WireCounts {
    /// Converts counts.
    pub fn new(c: &crate::plan::status::Counts) -> WireCounts {
        use crate::plan::status::{TargetState, TaskState};
        let target_states = [TargetState::Met, TargetState::NotMet, TargetState::NoData, TargetState::NoGoal];
        WireCounts {
            targets: FromIterator::from_iter(target_states.iter().map(|s| (s.as_str().to_string(), c.target(*s)))),
            target_total: c.target_total(),
            tasks: FromIterator::from_iter(TaskState::ALL.iter().map(|s| (s.as_str().to_string(), c.task(*s)))),
            task_total: c.task_total(),
        }
    }
}

fn wire_period(p: &crate::time::deadline::DateRange) -> WirePeriod {
    WirePeriod { start: p.start.to_string(), end: p.end.to_string() }
}

impl StatusReport {
    /// Converts a plan's status.
    pub fn new(s: &crate::plan::status::PlanStatus, diagnostics: Vec<WireDiagnostic>) -> StatusReport {
        let totals = |t: &crate::plan::status::Totals| WireTotals {
            key: t.key.clone(),
            title: t.title.clone(),
            counts: WireCounts::new(&t.counts),
        };
        StatusReport {
            plan: s.title.clone(),
            period: s.period.as_ref().map(wire_period),
            as_of: s.as_of.to_string(),
            targets: s
                .targets
                .iter()
                .map(|t| WireTarget {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    group: t.group.clone(),
                    owners: t.owners.clone(),
                    cooperating: t.cooperating.clone(),
                    indicator: t.indicator.clone(),
                    measure: t.measure.describe(),
                    unit_label: t.label.clone(),
                    baseline: t.baseline.as_ref().map(|(v, _)| dec(v)),
                    baseline_period: t.baseline.as_ref().and_then(|(_, p)| p.clone()),
                    period: t.period.as_ref().map(wire_period),
                    period_open: t.period_open,
                    status: t.state.as_str().to_string(),
                    lines: t
                        .lines
                        .iter()
                        .map(|l| WireTargetLine {
                            part: l.part.clone(),
                            goal: l.goal.clone(),
                            actual: l.actual.as_ref().map(dec),
                            status: l.state.as_str().to_string(),
                            gap: l.gap.as_ref().map(dec),
                            ratio: l.ratio.as_ref().map(dec),
                            ratio_percent: l.ratio.as_ref().map(percent_2),
                            reason: l.reason.clone(),
                        })
                        .collect(),
                    note: t.note.clone(),
                })
                .collect(),
            tasks: s
                .tasks
                .iter()
                .map(|t| WireTask {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    group: t.group.clone(),
                    source_id: t.source_id.clone(),
                    owners: t.owners.clone(),
                    cooperating: t.cooperating.clone(),
                    due: t.due.clone(),
                    due_vi: t.due_vi.clone(),
                    due_date: t.due_date.map(|d| d.to_string()),
                    progress: t.progress.map(|p| p.as_str().to_string()),
                    done_on: t.done_on.map(|d| d.to_string()),
                    status: t.state.as_str().to_string(),
                    days_remaining: t.days_remaining,
                    days_late: t.days_late,
                    advances: t.advances.clone(),
                    note: t.note.clone(),
                    remark: t.remark.clone(),
                })
                .collect(),
            next_deadlines: s
                .next_deadlines
                .iter()
                .map(|n| WireNextDeadline {
                    schedule: n.schedule.clone(),
                    owners: n.owners.clone(),
                    recipients: n.recipients.clone(),
                    rule: n.rule.clone(),
                    rule_vi: n.rule_vi.clone(),
                    date: n.date.map(|d| d.to_string()),
                    days_remaining: n.days_remaining,
                })
                .collect(),
            agencies: s.agencies.iter().map(totals).collect(),
            groups: s.groups.iter().map(totals).collect(),
            totals: WireCounts::new(&s.totals),
            diagnostics,
        }
    }
}

/// `chiso owners --format json`: what each agency is responsible for.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OwnersReport {
    /// One entry per agency.
    pub agencies: Vec<WireAgencyDuties>,
    /// Indicators, fields, targets and tasks without an owner agency.
    pub unowned: Vec<WireUnowned>,
}

/// Something no agency is responsible for.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireUnowned {
    /// `indicator`, `field`, `target` or `task`.
    pub kind: String,
    /// Id.
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// What is due.
    pub detail: Option<String>,
}

/// One responsibility.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireDuty {
    /// Id.
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// What is due.
    pub detail: Option<String>,
}

/// Everything one agency is responsible for.
#[derive(Serialize, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WireAgencyDuties {
    /// Short name.
    pub agency: String,
    /// Full name.
    pub title: Option<String>,
    /// Indicators it owns.
    pub indicators: Vec<WireDuty>,
    /// Indicators it cooperates on.
    pub cooperating_indicators: Vec<WireDuty>,
    /// Data fields it reports.
    pub fields: Vec<WireDuty>,
    /// Targets it owns.
    pub targets: Vec<WireDuty>,
    /// Targets it cooperates on.
    pub cooperating_targets: Vec<WireDuty>,
    /// Tasks it leads.
    pub tasks: Vec<WireDuty>,
    /// Tasks it cooperates on.
    pub cooperating_tasks: Vec<WireDuty>,
    /// Reports it sends.
    pub reports: Vec<WireDuty>,
    /// Reports it receives.
    pub receives: Vec<WireDuty>,
}

impl OwnersReport {
    /// Converts the agency view.
    pub fn new(view: &[crate::plan::owners::AgencyDuties]) -> OwnersReport {
        let duties = |v: &[crate::plan::owners::Duty]| -> Vec<WireDuty> {
            v.iter().map(|d| WireDuty { id: d.id.clone(), title: d.title.clone(), detail: d.detail.clone() }).collect()
        };
        OwnersReport {
            agencies: view
                .iter()
                .map(|a| WireAgencyDuties {
                    agency: a.agency.clone(),
                    title: a.title.clone(),
                    indicators: duties(&a.indicators),
                    cooperating_indicators: duties(&a.cooperating_indicators),
                    fields: duties(&a.fields),
                    targets: duties(&a.targets),
                    cooperating_targets: duties(&a.cooperating_targets),
                    tasks: duties(&a.tasks),
                    cooperating_tasks: duties(&a.cooperating_tasks),
                    reports: duties(&a.reports),
                    receives: duties(&a.receives),
                })
                .collect(),
            unowned: Vec::new(),
        }
    }

    /// Adds what no agency owns ([`crate::plan::owners::unowned`]).
    pub fn with_unowned(mut self, unowned: &[(&str, crate::plan::owners::Duty)]) -> OwnersReport {
        self.unowned = unowned
            .iter()
            .map(|(kind, d)| WireUnowned {
                kind: kind.to_string(),
                id: d.id.clone(),
                title: d.title.clone(),
                detail: d.detail.clone(),
            })
            .collect();
        self
    }
}
