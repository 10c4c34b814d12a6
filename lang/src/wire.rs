//! The JSON shapes of Chiso's outputs, defined once and shared by `chiso … --format json` and the
//! browser build, so both print the same bytes for the same input. Numbers are exact decimal
//! strings (6 decimal places at most), never binary floats. Documented in `spec/output.md`.

use serde::Serialize;

use crate::diag::{Diagnostic, LineIndex};
use crate::eval::{Results, UnitResult};

/// Decimal places of numbers in JSON.
pub const JSON_DIGITS: u32 = 6;

/// `chiso check --format json`.
#[derive(Serialize, Debug)]
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
pub struct WireLabel {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Text.
    pub text: String,
}

impl WireDiagnostic {
    /// Converts a diagnostic about `file` whose text is `text`.
    pub fn new(d: &Diagnostic, file: &str, text: &str) -> WireDiagnostic {
        let idx = LineIndex::new(text);
        let s = idx.line_col(d.span.start);
        let e = idx.line_col(d.span.end);
        WireDiagnostic {
            code: d.code.as_str().to_string(),
            severity: d.severity.as_str().to_string(),
            message: d.message.clone(),
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
                .map(|l| {
                    let p = idx.line_col(l.span.start);
                    WireLabel { line: p.line, column: p.col, text: l.text.clone() }
                })
                .collect(),
            help: d.help.clone(),
        }
    }
}

/// `chiso eval --format json`.
#[derive(Serialize, Debug)]
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
}

fn dec(n: &crate::num::Num) -> String {
    n.to_decimal_string(JSON_DIGITS)
}

impl WireUnit {
    /// Converts a scorecard.
    pub fn new(u: &UnitResult) -> WireUnit {
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
                })
                .collect(),
        }
    }
}

impl EvalReport {
    /// Converts results.
    pub fn new(results: &Results, diagnostics: Vec<WireDiagnostic>) -> EvalReport {
        EvalReport {
            rulebook: results.title.clone(),
            units: results.units.iter().map(WireUnit::new).collect(),
            diagnostics,
        }
    }
}
