//! Data files: the values each unit reported, read from CSV or JSON text.
//!
//! CSV is long format, one value per row: `unit,indicator,input,value` (column order free, other
//! columns ignored). JSON is `{"units": {"P01": {"3.1": {"a": 6029, "b": 10000}}}}`. Section
//! fields use the section id as the indicator (`P01,A,4,590000`). Every value is converted to its
//! input's declared type here, so evaluation never sees a malformed value; every problem is a
//! diagnostic with a span in the data text. This module parses text; reading files is the shells'
//! job.

use std::collections::BTreeMap;

use crate::check::{Env, Ty};
use crate::diag::{Code, Diagnostic, Span};
use crate::eval::Value;
use crate::num::{Locale, Num, NumError};

/// Values reported by the units of a cohort.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Units in order of first appearance.
    pub units: Vec<UnitData>,
}

/// The values one unit reported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitData {
    /// The unit's id (province or commune code or name).
    pub id: String,
    /// indicator (or section) id → input (or field) id → value.
    pub values: BTreeMap<String, BTreeMap<String, Value>>,
}

impl Dataset {
    /// The unit with this id, added at the end when new. `positions` indexes `units` by id so
    /// that loading stays linear in the number of rows.
    fn unit_mut(&mut self, positions: &mut BTreeMap<String, usize>, id: &str) -> &mut UnitData {
        let pos = match positions.get(id) {
            Some(p) => *p,
            None => {
                self.units.push(UnitData { id: id.to_string(), values: BTreeMap::new() });
                positions.insert(id.to_string(), self.units.len() - 1);
                self.units.len() - 1
            }
        };
        // PANIC SAFETY: `pos` is an index of `units`, found or just pushed.
        #[allow(clippy::indexing_slicing)]
        &mut self.units[pos]
    }
}

/// The format of a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Long-format CSV.
    Csv,
    /// JSON.
    Json,
}

/// Reads a data file. Returns the dataset (with every well-formed value) and the diagnostics;
/// the dataset should not be scored when a diagnostic is an error.
pub fn load(text: &str, format: Format, env: &Env, locale: Locale) -> (Dataset, Vec<Diagnostic>) {
    let mut loader =
        Loader { env, locale, data: Dataset::default(), positions: BTreeMap::new(), diags: Vec::new(), text };
    match format {
        Format::Csv => loader.csv(),
        Format::Json => loader.json(),
    }
    (loader.data, loader.diags)
}

struct Loader<'a> {
    env: &'a Env,
    locale: Locale,
    data: Dataset,
    positions: BTreeMap<String, usize>,
    diags: Vec<Diagnostic>,
    text: &'a str,
}

/// E0801 for a CSV error, at its row when the error has one.
pub(crate) fn csv_error(text: &str, e: &csv::Error) -> Diagnostic {
    let (span, msg) = match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
            let start = pos.as_ref().map_or(0, |p| p.byte() as usize);
            let end = text.get(start..).and_then(|r| r.find('\n')).map_or(text.len(), |i| start + i);
            (Span::new(start, end), format!("this row has {len} fields, but the header has {expected_len}"))
        }
        csv::ErrorKind::Utf8 { pos, .. } => {
            let start = pos.as_ref().map_or(0, |p| p.byte() as usize);
            (Span::new(start, start), "the file is not valid UTF-8".to_string())
        }
        _ => (Span::new(0, 0), format!("malformed CSV: {e}")),
    };
    Diagnostic::new(Code::E0801, span, msg)
}

/// E0801 for a quote that opens a CSV field and is never closed. A CSV reader takes everything
/// after it, line breaks included, as one value, so the rows below would silently vanish.
pub(crate) fn unclosed_quote(text: &str) -> Option<Diagnostic> {
    let b = text.as_bytes();
    let (mut i, mut field_start) = (0, true);
    while let Some(&c) = b.get(i) {
        match c {
            b'"' if field_start => {
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => {
                            let line_end = text[open..].find('\n').map_or(text.len(), |n| open + n);
                            return Some(
                                Diagnostic::new(
                                    Code::E0801,
                                    Span::new(open, line_end),
                                    "this quote opens a field that is never closed: the rest of the file would be read as one value",
                                )
                                .with_help("close the quote, or remove it; a quote inside a quoted field is written twice (\"\")"),
                            );
                        }
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                field_start = false;
            }
            b',' | b'\n' | b'\r' => {
                field_start = true;
                i += 1;
            }
            _ => {
                field_start = false;
                i += 1;
            }
        }
    }
    None
}

/// The raw form of a reported value before conversion.
enum Raw<'v> {
    Text(&'v str),
    Bool(bool),
    Number(String),
}

impl<'a> Loader<'a> {
    fn csv(&mut self) {
        if let Some(d) = unclosed_quote(self.text) {
            self.diags.push(d);
            return;
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(self.text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.csv_error(&e);
                return;
            }
        };
        let col = |name: &str| {
            headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
        };
        let (Some(cu), Some(ci), Some(cn), Some(cv)) = (col("unit"), col("indicator"), col("input"), col("value"))
        else {
            let end = self.text.find('\n').unwrap_or(self.text.len());
            self.diags.push(
                Diagnostic::new(
                    Code::E0801,
                    Span::new(0, end),
                    "the CSV header must name the columns `unit`, `indicator`, `input` and `value`",
                )
                .with_help("first line: unit,indicator,input,value"),
            );
            return;
        };
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    self.csv_error(&e);
                    return;
                }
            }
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let line_end = self.text.get(start..).and_then(|r| r.find('\n')).map_or(self.text.len(), |i| start + i);
            let span = Span::new(start, line_end.max(start));
            if record.len() != headers.len() {
                // Reported row by row, so that one bad row does not hide the others.
                self.diags.push(Diagnostic::new(
                    Code::E0801,
                    span,
                    format!("this row has {} fields, but the header has {}", record.len(), headers.len()),
                ));
                continue;
            }
            let get = |i: usize| record.get(i).unwrap_or("").trim();
            let (unit, ind, input, value) = (get(cu), get(ci), get(cn), get(cv));
            if unit.is_empty() || ind.is_empty() {
                self.diags.push(Diagnostic::new(Code::E0801, span, "a row needs a unit and an indicator"));
                continue;
            }
            if value.is_empty() {
                // An empty cell is "not reported": the indicator becomes not evaluable.
                self.data.unit_mut(&mut self.positions, unit);
                continue;
            }
            // The value cell's own span, for precise messages.
            let vspan = self
                .text
                .get(start..line_end)
                .and_then(|l| l.rfind(value))
                .map_or(span, |i| Span::new(start + i, start + i + value.len()));
            self.put(unit, ind, input, Raw::Text(value), vspan);
        }
    }

    fn csv_error(&mut self, e: &csv::Error) {
        self.diags.push(csv_error(self.text, e));
    }

    fn json(&mut self) {
        let root: serde_json::Value = match serde_json::from_str(self.text) {
            Ok(v) => v,
            Err(e) => {
                let offset = offset_of(self.text, e.line(), e.column());
                self.diags.push(Diagnostic::new(
                    Code::E0801,
                    Span::new(offset, offset),
                    format!("malformed JSON: {e}"),
                ));
                return;
            }
        };
        let Some(units) = root.get("units").and_then(|u| u.as_object()) else {
            self.diags.push(
                Diagnostic::new(Code::E0801, Span::new(0, 0), "the JSON must be an object with a `units` object")
                    .with_help(r#"{"units": {"P01": {"3.1": {"a": 6029, "b": 10000}}}}"#),
            );
            return;
        };
        for (unit, inds) in units {
            let Some(inds) = inds.as_object() else {
                let span = self.locate(&[unit]);
                self.diags.push(Diagnostic::new(
                    Code::E0801,
                    span,
                    format!("unit `{unit}` must be an object of indicators"),
                ));
                continue;
            };
            self.data.unit_mut(&mut self.positions, unit);
            for (ind, inputs) in inds {
                let Some(inputs) = inputs.as_object() else {
                    let span = self.locate(&[unit, ind]);
                    self.diags.push(Diagnostic::new(
                        Code::E0801,
                        span,
                        format!("`{unit}` / `{ind}` must be an object of inputs"),
                    ));
                    continue;
                };
                for (input, v) in inputs {
                    let span = self.locate(&[unit, ind, input]);
                    let raw = match v {
                        serde_json::Value::Null => continue,
                        serde_json::Value::Bool(b) => Raw::Bool(*b),
                        serde_json::Value::Number(n) => Raw::Number(n.to_string()),
                        serde_json::Value::String(s) => Raw::Text(s),
                        _ => {
                            self.diags.push(Diagnostic::new(
                                Code::E0802,
                                span,
                                format!("`{unit}` / `{ind}` / `{input}` must be a number, text or true/false"),
                            ));
                            continue;
                        }
                    };
                    self.put(unit, ind, input, raw, span);
                }
            }
        }
    }

    /// Finds where a JSON key path is written, for messages.
    fn locate(&self, path: &[&String]) -> Span {
        let mut from = 0;
        let mut span = Span::new(0, 0);
        for key in path {
            let needle = format!("\"{key}\"");
            match self.text.get(from..).and_then(|t| t.find(&needle)) {
                Some(i) => {
                    span = Span::new(from + i, from + i + needle.len());
                    from += i + needle.len();
                }
                None => break,
            }
        }
        span
    }

    fn put(&mut self, unit: &str, ind: &str, input: &str, raw: Raw<'_>, span: Span) {
        let bounds = self
            .env
            .indicators
            .get(ind)
            .and_then(|i| i.bounds.iter().find(|(n, _)| n == input))
            .map(|(_, b)| b.clone());
        let ty = if let Some(info) = self.env.indicators.get(ind) {
            match info.inputs.iter().find(|(n, _)| n == input) {
                Some((_, t)) => t.clone(),
                None => {
                    let names = info.inputs.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
                    self.diags.push(Diagnostic::new(
                        Code::W0803,
                        span,
                        format!("indicator {ind} has no input `{input}` (its inputs: {names}); the value is ignored"),
                    ));
                    return;
                }
            }
        } else if let Some(sec) = self.env.sections.get(ind) {
            match sec.fields.iter().find(|(n, _, _)| n == input) {
                Some((_, _, t)) => t.clone(),
                None => {
                    self.diags.push(Diagnostic::new(
                        Code::W0803,
                        span,
                        format!("section {ind} has no field `{input}`; the value is ignored"),
                    ));
                    return;
                }
            }
        } else {
            self.diags.push(Diagnostic::new(
                Code::W0803,
                span,
                format!("the rulebook has no indicator `{ind}`; the value is ignored"),
            ));
            return;
        };
        let value = match self.convert(&ty, &raw) {
            Ok(v) => v,
            Err(why) => {
                let shown = match &raw {
                    Raw::Text(t) => format!("`{}`", crate::diag::excerpt(t, crate::diag::EXCERPT_CHARS)),
                    Raw::Bool(b) => format!("`{b}`"),
                    Raw::Number(n) => format!("`{}`", crate::diag::excerpt(n, crate::diag::EXCERPT_CHARS)),
                };
                self.diags.push(Diagnostic::new(
                    Code::E0802,
                    span,
                    format!("unit {unit}, {ind} / {input}: {shown} is not a valid {}: {why}", ty.describe()),
                ));
                return;
            }
        };
        if let (Some(b), Value::Num(n)) = (&bounds, &value) {
            if let Some(why) = b.violation(n) {
                self.diags.push(Diagnostic::new(
                    Code::E0802,
                    span,
                    format!("unit {unit}, {ind} / {input}: {n} is outside the input's domain: {why}"),
                ));
                return;
            }
        }
        let slot = self.data.unit_mut(&mut self.positions, unit).values.entry(ind.to_string()).or_default();
        if slot.insert(input.to_string(), value).is_some() {
            self.diags.push(Diagnostic::new(
                Code::E0802,
                span,
                format!("unit {unit}, {ind} / {input} is reported twice"),
            ));
        }
    }

    fn convert(&self, ty: &Ty, raw: &Raw<'_>) -> Result<Value, String> {
        let number = |raw: &Raw<'_>| -> Result<Num, String> {
            let parsed = match raw {
                Raw::Number(n) => Num::parse_data(n, Locale::En).or_else(|_| parse_exponent(n)),
                Raw::Text(t) => Num::parse_data(t, self.locale),
                Raw::Bool(_) => return Err("expected a number".into()),
            };
            parsed.map_err(|e| match e {
                NumError::TooLong => format!("more than {} digits", crate::num::MAX_DIGITS),
                NumError::Invalid if self.locale == Locale::En => {
                    "expected a number such as 6.03 (for 6,03 use --locale vi or `locale vi`)".into()
                }
                NumError::Invalid => "expected a number such as 6,03 or 20.659".into(),
            })
        };
        match ty {
            Ty::Count => {
                let n = number(raw)?;
                if !n.is_integer() || n.is_negative() {
                    return Err("a count must be a whole number ≥ 0".into());
                }
                Ok(Value::Num(n))
            }
            Ty::Number | Ty::Percent | Ty::Money | Ty::Points | Ty::Error => Ok(Value::Num(number(raw)?)),
            Ty::Bool => match raw {
                Raw::Bool(b) => Ok(Value::Bool(*b)),
                Raw::Text(t) => match t.to_lowercase().as_str() {
                    "true" | "yes" | "có" | "co" | "1" | "x" => Ok(Value::Bool(true)),
                    "false" | "no" | "không" | "khong" | "0" => Ok(Value::Bool(false)),
                    _ => Err("expected yes/no (true, false, yes, no, có, không)".into()),
                },
                Raw::Number(n) if n == "1" => Ok(Value::Bool(true)),
                Raw::Number(n) if n == "0" => Ok(Value::Bool(false)),
                Raw::Number(_) => Err("expected yes/no".into()),
            },
            Ty::Choice(options) => match raw {
                Raw::Text(t) if options.iter().any(|o| o == t) => Ok(Value::Choice(t.to_string())),
                _ => Err(format!("expected one of: {}", options.join(", "))),
            },
            Ty::Text | Ty::Date => match raw {
                Raw::Text(t) => Ok(Value::Text(t.to_string())),
                Raw::Number(n) => Ok(Value::Text(n.clone())),
                Raw::Bool(b) => Ok(Value::Text(b.to_string())),
            },
        }
    }
}

/// JSON numbers such as `1e3` or `2.5E-2`, exactly.
fn parse_exponent(text: &str) -> Result<Num, NumError> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exp) = lower.split_once('e').ok_or(NumError::Invalid)?;
    let m = Num::parse_decimal(mantissa)?;
    let e: i32 = exp.parse().map_err(|_| NumError::Invalid)?;
    if e.unsigned_abs() as usize > crate::num::MAX_DIGITS {
        return Err(NumError::TooLong);
    }
    let ten = Num::from_i64(10);
    let mut scale = Num::one();
    for _ in 0..e.unsigned_abs() {
        scale = scale.mul(&ten);
    }
    if e >= 0 {
        Ok(m.mul(&scale))
    } else {
        m.div_exact(&scale).ok_or(NumError::Invalid)
    }
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
