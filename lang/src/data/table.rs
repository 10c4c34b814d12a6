//! Tables of cells, as spreadsheets export them, read into data entries (unit, indicator, input,
//! value): the part of reading CSV and XLSX that does not depend on the file format.
//!
//! Input: the bytes of a text export (UTF-8, UTF-8 with BOM, or UTF-16 with BOM as Excel's
//! "Unicode text"), split by the delimiter found on the header row (`,`, `;` or tab), or the rows
//! of a sheet. Output: entries in row order, each with the span of its value in the text, or
//! diagnostics. Invariants: the header row is the first row with a `unit` cell (title rows above
//! it are skipped); rows whose cells are all empty are skipped wherever they are; an empty cell
//! or one that says `N/A` or `-` is "not reported", never 0; identifiers are compared in Unicode
//! NFC; every field knows its byte span, so messages point at the cell itself.

use std::borrow::Cow;

use super::value::{is_not_reported_mark, nfc, Raw};
use crate::diag::{Code, Diagnostic, Hint, Message, Span};
use crate::sema::env::{column_key, header_position, INDICATOR_HEADERS, INPUT_HEADERS, UNIT_HEADERS, VALUE_HEADERS};

/// How many rows above the header a file may have (titles, dates, blank lines).
const MAX_TITLE_ROWS: usize = 30;

/// Decodes a data file's bytes: UTF-8 (a BOM is dropped), or UTF-16 LE/BE with a BOM (Excel's
/// "Unicode text" export). Bytes that are not valid in their encoding are replaced, and the
/// diagnostic says where the first one was.
pub fn decode(bytes: &[u8]) -> (String, Option<Diagnostic>) {
    let utf16 = |le: bool| -> (String, Option<Diagnostic>) {
        // PANIC SAFETY: `chunks_exact(2)` yields slices of exactly two bytes.
        #[allow(clippy::indexing_slicing)]
        let units = bytes.get(2..).unwrap_or(&[]).chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut text = String::with_capacity(bytes.len() / 2);
        let mut bad = None;
        for c in char::decode_utf16(units) {
            match c {
                Ok(c) => text.push(c),
                Err(_) => {
                    bad.get_or_insert(text.len());
                    text.push(char::REPLACEMENT_CHARACTER);
                }
            }
        }
        let odd = bytes.len() % 2 == 1;
        let at = bad.or(if odd { Some(text.len()) } else { None });
        let d = at.map(|at| {
            Diagnostic::new(Code::E0103, Span::new(at, at), Message::NotValidUtf16).with_help(Hint::ExportUtf16)
        });
        (text, d)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(t) => (t.to_string(), None),
                Err(e) => {
                    let at = e.valid_up_to();
                    let d = Diagnostic::new(Code::E0103, Span::new(at, at + 1), Message::NotValidUtf8 { byte: at })
                        .with_help(Hint::SaveCsvUtf8);
                    (String::from_utf8_lossy(body).into_owned(), Some(d))
                }
            }
        }
    }
}

/// [`decode`] of bytes the caller gives up: UTF-8 text (the usual case) becomes the `String`
/// in place, without a second copy of a file that may be hundreds of megabytes.
pub fn decode_owned(mut bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return decode(&bytes);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        // The BOM is gone, so the positions `decode` gives are the same.
        Err(e) => decode(e.as_bytes()),
    }
}

/// A cell's content before it is given a type.
#[derive(Clone, Debug)]
// Only a workbook (feature `xlsx`) has cells other than text.
#[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
pub(crate) enum CellRaw<'t> {
    /// Nothing in the cell.
    Empty,
    /// Text (every CSV cell; an Excel text cell).
    Text(Cow<'t, str>),
    /// An Excel number, `.` decimals.
    Number(String),
    /// An Excel number shown as a percent: the stored ratio.
    Ratio(String),
    /// An Excel boolean.
    Bool(bool),
}

impl CellRaw<'_> {
    fn as_text(&self) -> Option<&str> {
        match self {
            CellRaw::Text(t) => Some(t),
            CellRaw::Number(n) => Some(n),
            _ => None,
        }
    }
    fn is_empty(&self) -> bool {
        match self {
            CellRaw::Empty => true,
            CellRaw::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// One cell: its content and where it is written in the text.
#[derive(Clone, Debug)]
pub(crate) struct Cell<'t> {
    pub raw: CellRaw<'t>,
    pub span: Span,
}

/// One value read from a table: `raw` is `None` when the cell says it was not reported.
pub(crate) struct Entry<'e> {
    pub unit: &'e str,
    pub indicator: &'e str,
    pub input: &'e str,
    pub raw: Option<Raw<'e>>,
    /// The value's span in the text (the whole row when the row lacks the cell).
    pub span: Span,
    /// The 0-based column of the value, for a sheet's cell reference.
    pub column: usize,
    /// The entry's row (a JSON unit's object) among those of the table being read, counted from
    /// 1: the entries of one row are one unit's, which the reader then looks up once per row
    /// rather than once per cell.
    pub row: usize,
    /// Whether `column` is the same (indicator, input) on every row (a wide table's column),
    /// which the reader then resolves once per column rather than once per cell.
    pub fixed: bool,
}

/// The layout of a table, read from its header row.
pub(crate) enum Shape {
    /// `unit,indicator,input,value`: the columns' positions.
    Long { unit: usize, indicator: usize, input: usize, value: usize },
    /// One row per unit: the unit column and, per other column, its (indicator, input).
    Wide { unit: usize, columns: Vec<(usize, String, String)> },
}

/// Splits a wide column header into (indicator, input).
pub(crate) type SplitColumn<'a> = &'a dyn Fn(&str) -> Option<(String, String)>;

/// What the reader needs from the data's consumer to understand a header.
pub(crate) struct HeaderRules<'a> {
    /// The help shown when no header row is found.
    pub help: Hint,
    /// Splits a wide column header such as `6.12.a` into indicator and input; `None` refuses the
    /// wide shape (plan data has only the long one).
    pub split: Option<SplitColumn<'a>>,
}

/// The shape of a header row, or `None` if it is not one (no `unit` cell).
pub(crate) fn shape(
    header: &[Cell<'_>],
    rules: &HeaderRules<'_>,
    diags: &mut Vec<Diagnostic>,
    row_span: Span,
) -> Option<Shape> {
    let keys: Vec<String> = header.iter().map(|c| c.raw.as_text().map(column_key).unwrap_or_default()).collect();
    let find = |names: &[&str]| header_position(&keys, names);
    let unit = find(UNIT_HEADERS)?;
    let long = (find(INDICATOR_HEADERS), find(INPUT_HEADERS), find(VALUE_HEADERS));
    if let (Some(indicator), Some(input), Some(value)) = long {
        return Some(Shape::Long { unit, indicator, input, value });
    }
    let Some(split) = rules.split else {
        diags.push(Diagnostic::new(Code::E0801, row_span, Message::HeaderColumns).with_help(rules.help.clone()));
        return Some(Shape::Wide { unit, columns: Vec::new() });
    };
    let mut columns = Vec::new();
    for (i, c) in header.iter().enumerate() {
        let Some(name) = c.raw.as_text().map(|t| nfc(t.trim()).into_owned()) else { continue };
        if i == unit || name.is_empty() {
            continue;
        }
        match split(&name) {
            Some((ind, input)) => columns.push((i, ind, input)),
            // A column such as "name" or "tên đơn vị", no input's declared column and without
            // the dot of `6.12.a`, says nothing to score.
            None if !name.contains('.') => {}
            None => diags.push(Diagnostic::new(Code::W0803, c.span, Message::ColumnNotInput { name })),
        }
    }
    if columns.is_empty() {
        diags.push(Diagnostic::new(Code::E0801, row_span, Message::HeaderNoInputs).with_help(rules.help.clone()));
    }
    Some(Shape::Wide { unit, columns })
}

/// How many rows of the wrong width E0801 shows one by one.
const RAGGED_ROWS_SHOWN: usize = 3;

/// Reads the entries of rows given one by one, after the header row has been found by the caller.
pub(crate) struct EntryReader {
    shape: Shape,
    width: usize,
    /// Whether a row with a different number of cells than the header is an error (CSV).
    strict_width: bool,
    /// The first cell that said `N/A` or `-`, and how many did.
    pub marks: Option<(Span, usize)>,
    /// Rows whose width is not the header's: how many were reported one by one, the last one's
    /// diagnostic and how many more rows it counts. A header with one column too many makes
    /// every row one short: a few rows are shown, the rest counted.
    ragged: (usize, usize, usize),
    /// The rows read so far.
    rows: usize,
}

impl EntryReader {
    pub(crate) fn new(shape: Shape, width: usize, strict_width: bool) -> EntryReader {
        EntryReader { shape, width, strict_width, marks: None, ragged: (0, 0, 0), rows: 0 }
    }

    /// Reads one row: calls `visit` for each entry, or reports why the row cannot be read.
    pub(crate) fn row(
        &mut self,
        cells: &[Cell<'_>],
        row_span: Span,
        plan: bool,
        diags: &mut Vec<Diagnostic>,
        visit: &mut dyn FnMut(Entry<'_>, &mut Vec<Diagnostic>),
    ) {
        self.rows += 1;
        if cells.iter().all(|c| c.raw.is_empty()) {
            // A blank row, or the empty rows a spreadsheet export leaves at its end.
            return;
        }
        if self.strict_width && cells.len() != self.width {
            let header = self.width;
            let (shown, last, more) = &mut self.ragged;
            if *shown < RAGGED_ROWS_SHOWN {
                *shown += 1;
                *last = diags.len();
                let message = Message::RowFields { found: cells.len(), header, more: 0 };
                diags.push(Diagnostic::new(Code::E0801, row_span, message));
            } else {
                *more += 1;
                if let Some(d) = diags.get_mut(*last) {
                    if let Message::RowFields { found, .. } = *d.message {
                        d.message = Message::RowFields { found, header, more: *more }.into();
                    }
                }
            }
            return;
        }
        match &self.shape {
            Shape::Long { unit, indicator, input, value: v } => {
                let (u, ind, inp) = (cell_text(cells, *unit), cell_text(cells, *indicator), cell_text(cells, *input));
                if u.is_empty() || ind.is_empty() {
                    diags.push(Diagnostic::new(Code::E0801, row_span, Message::RowNeedsUnitAnd { plan }));
                    return;
                }
                let (raw, span) = cell_value(cells, *v, row_span, &mut self.marks);
                let e = Entry {
                    unit: &u,
                    indicator: &ind,
                    input: &inp,
                    raw,
                    span,
                    column: *v,
                    row: self.rows,
                    fixed: false,
                };
                visit(e, diags);
            }
            Shape::Wide { unit, columns } => {
                let u = cell_text(cells, *unit);
                if u.is_empty() {
                    diags.push(Diagnostic::new(Code::E0801, row_span, Message::RowNeedsUnit));
                    return;
                }
                for (i, ind, inp) in columns {
                    let (raw, span) = cell_value(cells, *i, row_span, &mut self.marks);
                    let e = Entry {
                        unit: &u,
                        indicator: ind,
                        input: inp,
                        raw,
                        span,
                        column: *i,
                        row: self.rows,
                        fixed: true,
                    };
                    visit(e, diags);
                }
            }
        }
    }

    /// The note about cells that said `N/A` or `-`, once per file.
    pub(crate) fn marks_note(&self) -> Option<Diagnostic> {
        let (span, n) = self.marks?;
        marks_note(span, n)
    }
}

/// W0810 about `n` cells that said `N/A` or `-`, the first at `span`.
pub(crate) fn marks_note(span: Span, n: usize) -> Option<Diagnostic> {
    {
        Some(Diagnostic::new(Code::W0810, span, Message::CellsNotReported { count: n }).with_help(Hint::LeaveEmpty))
    }
}

/// `text` without the white space around it: `str::trim`, after a byte test that settles the
/// common case (a cell that starts and ends with a visible ASCII character).
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// An identifier cell (unit, indicator, input), trimmed and in NFC.
fn cell_text<'c>(cells: &'c [Cell<'_>], i: usize) -> Cow<'c, str> {
    match cells.get(i).map(|c| &c.raw) {
        Some(CellRaw::Text(t)) => nfc(trim(t)),
        Some(CellRaw::Number(n)) => Cow::Borrowed(n.as_str()),
        _ => Cow::Borrowed(""),
    }
}

/// A value cell: `None` when not reported (empty, `N/A`, `-`; the marks are counted), with its span.
fn cell_value<'c>(
    cells: &'c [Cell<'_>],
    i: usize,
    row_span: Span,
    marks: &mut Option<(Span, usize)>,
) -> (Option<Raw<'c>>, Span) {
    let Some(c) = cells.get(i) else { return (None, row_span) };
    let raw = match &c.raw {
        CellRaw::Empty => None,
        CellRaw::Text(t) => {
            let t = trim(t);
            if t.is_empty() {
                None
            } else if is_not_reported_mark(t) {
                let m = marks.get_or_insert((c.span, 0));
                m.1 += 1;
                None
            } else {
                Some(Raw::Text(t))
            }
        }
        CellRaw::Number(n) => Some(Raw::Number(n)),
        CellRaw::Ratio(n) => Some(Raw::Ratio(n)),
        CellRaw::Bool(b) => Some(Raw::Bool(*b)),
    };
    (raw, c.span)
}

/// The delimiter and start of the header row of a delimited text: the first line, among the
/// first few, with a cell `unit` when split by `,`, `;` or tab.
pub(crate) fn find_header(text: &str) -> Option<(u8, usize)> {
    let mut start = 0;
    for line in text.split_inclusive('\n').take(MAX_TITLE_ROWS) {
        for delim in [b',', b';', b'\t'] {
            let has_unit = line
                .trim_end_matches(['\r', '\n'])
                .split(delim as char)
                .any(|c| UNIT_HEADERS.contains(&column_key(c.trim().trim_matches('"')).as_str()));
            if has_unit {
                return Some((delim, start));
            }
        }
        start += line.len();
    }
    None
}

/// Splits delimited text into records of fields with their spans (RFC 4180: quotes around a
/// field, `""` for a quote inside; a line break inside quotes belongs to the field).
pub(crate) struct Records<'t> {
    text: &'t str,
    pos: usize,
    delim: u8,
}

impl<'t> Records<'t> {
    pub(crate) fn new(text: &'t str, start: usize, delim: u8) -> Records<'t> {
        Records { text, pos: start, delim }
    }

    /// The next record into `out` (cleared first) and its span; `Ok(None)` at the end.
    pub(crate) fn next_record(&mut self, out: &mut Vec<Cell<'t>>) -> Result<Option<Span>, Diagnostic> {
        out.clear();
        let b = self.text.as_bytes();
        if self.pos >= b.len() {
            return Ok(None);
        }
        let row_start = self.pos;
        let mut i = self.pos;
        loop {
            // One field from `i`.
            let field_start = i;
            if b.get(i) == Some(&b'"') {
                let mut value = String::new();
                let mut seg = i + 1;
                i += 1;
                let close = loop {
                    match b.get(i) {
                        None => {
                            let line_end = self.text[field_start..].find('\n').map_or(b.len(), |n| field_start + n);
                            return Err(Diagnostic::new(
                                Code::E0801,
                                Span::new(field_start, line_end),
                                Message::QuoteNeverClosed,
                            )
                            .with_help(Hint::CloseQuote));
                        }
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                            value.push_str(&self.text[seg..=i]);
                            i += 2;
                            seg = i;
                        }
                        Some(b'"') => {
                            value.push_str(&self.text[seg..i]);
                            i += 1;
                            break i - 1;
                        }
                        Some(_) => i += 1,
                    }
                };
                // Anything between the closing quote and the delimiter is kept, as readers do.
                let rest_start = i;
                while let Some(&c) = b.get(i) {
                    if c == self.delim || c == b'\n' || c == b'\r' {
                        break;
                    }
                    i += 1;
                }
                value.push_str(&self.text[rest_start..i]);
                // The span covers the value inside the quotes (and anything after them).
                let end = if i == rest_start { close } else { i };
                out.push(Cell {
                    raw: CellRaw::Text(Cow::Owned(value)),
                    span: Span::new(field_start + 1, end.max(field_start + 1)),
                });
            } else {
                while let Some(&c) = b.get(i) {
                    if c == self.delim || c == b'\n' || c == b'\r' {
                        break;
                    }
                    i += 1;
                }
                let raw = &self.text[field_start..i];
                // The span covers the value without the spaces around it.
                let trimmed = trim(raw);
                let lead = trimmed.as_ptr() as usize - raw.as_ptr() as usize;
                let s = field_start + lead;
                out.push(Cell { raw: CellRaw::Text(Cow::Borrowed(raw)), span: Span::new(s, s + trimmed.len()) });
            }
            match b.get(i) {
                Some(&c) if c == self.delim => i += 1,
                Some(b'\r') => {
                    let end = i;
                    i += 1;
                    if b.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    self.pos = i;
                    return Ok(Some(Span::new(row_start, end)));
                }
                Some(_) => {
                    let end = i;
                    self.pos = i + 1;
                    return Ok(Some(Span::new(row_start, end)));
                }
                None => {
                    self.pos = b.len();
                    return Ok(Some(Span::new(row_start, b.len())));
                }
            }
        }
    }
}

/// What [`read_delimited`] hands its entries to.
pub(crate) trait Visit {
    fn entry(&mut self, e: Entry<'_>, diags: &mut Vec<Diagnostic>);

    /// Reads a whole row of a wide table at once, if the visitor can (`false`: the row is then
    /// read cell by cell, as `entry`s): a row without quotes and as wide as the header.
    #[cfg(not(target_family = "wasm"))]
    fn wide_row(&mut self, _row: &WideRow<'_>, _diags: &mut Vec<Diagnostic>) -> bool {
        false
    }

    /// Whether [`Self::wide_row`] may take rows at all (the rows are then split ahead).
    #[cfg(not(target_family = "wasm"))]
    fn takes_wide_rows(&self) -> bool {
        false
    }
}

impl<F: FnMut(Entry<'_>, &mut Vec<Diagnostic>)> Visit for F {
    fn entry(&mut self, e: Entry<'_>, diags: &mut Vec<Diagnostic>) {
        self(e, diags)
    }
}

/// A row of a wide table without quotes, as [`plain_row`] split it.
#[cfg(not(target_family = "wasm"))]
pub(crate) struct WideRow<'r> {
    pub text: &'r str,
    /// Each field's bytes in `text`, as they are (not trimmed).
    pub fields: &'r [(usize, usize)],
    /// The unit's field, and each input's field with its (indicator, input) (`Shape::Wide`).
    pub unit: usize,
    pub columns: &'r [(usize, String, String)],
    /// Each field read as plain digits ([`plain_cells`]).
    pub cells: &'r [Plain],
    /// The row's number, as [`Entry::row`] counts them.
    pub row: usize,
}

/// A wide row's field as plain digits read it ([`plain_cells`]).
#[cfg(not(target_family = "wasm"))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Plain {
    #[default]
    Empty,
    /// Plain digits (`value::plain_integer_bytes`).
    Int(i64),
    /// Anything else: the row is then read cell by cell.
    Other,
}

/// Each of a row's `fields` of `text` as plain digits read it, appended to `out` (what
/// [`plain_row_cells`] reads as it splits; the reference its test compares it with).
#[cfg(test)]
fn plain_cells(text: &str, fields: &[(usize, usize)], out: &mut Vec<Plain>) {
    let b = text.as_bytes();
    out.extend(fields.iter().map(|&(start, end)| match b.get(start..end).unwrap_or_default() {
        [] => Plain::Empty,
        cell => super::value::plain_integer_bytes(cell).map_or(Plain::Other, Plain::Int),
    }));
}

#[cfg(not(target_family = "wasm"))]
impl WideRow<'_> {
    /// Field `i`'s text and span.
    pub(crate) fn field(&self, i: usize) -> Option<(&str, Span)> {
        let (start, end) = *self.fields.get(i)?;
        Some((self.text.get(start..end)?, Span::new(start, end)))
    }
}

/// The fields of the row at `at` of delimited text, into `fields`, and where the next row
/// starts, as [`Records::next_record`] splits them; `None` at the end of the text or for a row
/// with a quote (the reference [`plain_row_cells`]'s test compares it with).
#[cfg(test)]
fn plain_row(text: &str, at: usize, delim: u8, fields: &mut Vec<(usize, usize)>) -> Option<usize> {
    fields.clear();
    let b = text.as_bytes();
    let mut start = at;
    let mut i = at;
    if at >= b.len() {
        return None;
    }
    loop {
        match b.get(i) {
            Some(b'"') => return None,
            Some(&c) if c == delim => {
                fields.push((start, i));
                i += 1;
                start = i;
            }
            Some(b'\n') => {
                fields.push((start, i));
                return Some(i + 1);
            }
            Some(b'\r') => {
                fields.push((start, i));
                return Some(if b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 });
            }
            Some(_) => i += 1,
            None => {
                fields.push((start, i));
                return Some(i);
            }
        }
    }
}

/// The fields of the row at `at` of delimited text, appended to `fields`, each read as plain
/// digits into `cells` (`value::plain_integer_bytes`: empty, at most 18 digits, or other), and
/// where the next row starts, as [`Records::next_record`] splits them; `None` at the end of the
/// text or for a row with a quote (then `fields` and `cells` hold part of it). One pass over the
/// bytes: a million rows of 40 fields are read in it.
#[cfg(not(target_family = "wasm"))]
fn plain_row_cells(
    text: &str,
    at: usize,
    delim: u8,
    fields: &mut Vec<(usize, usize)>,
    cells: &mut Vec<Plain>,
) -> Option<usize> {
    let b = text.as_bytes();
    if at >= b.len() {
        return None;
    }
    let (mut start, mut i) = (at, at);
    // The field's value so far, and whether it is digits only.
    let (mut n, mut digits) = (0i64, true);
    loop {
        let c = b.get(i).copied();
        if let Some(d @ b'0'..=b'9') = c {
            n = n.wrapping_mul(10).wrapping_add(i64::from(d - b'0'));
            i += 1;
            continue;
        }
        let end = match c {
            Some(b'"') => return None,
            Some(c) if c == delim || c == b'\n' || c == b'\r' => true,
            None => true,
            Some(_) => false,
        };
        if !end {
            digits = false;
            i += 1;
            continue;
        }
        let len = i - start;
        fields.push((start, i));
        cells.push(match len {
            0 => Plain::Empty,
            1..=18 if digits => Plain::Int(n),
            _ => Plain::Other,
        });
        match c {
            Some(b'\n') => return Some(i + 1),
            Some(b'\r') => return Some(if b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 }),
            None => return Some(i),
            _ => {
                i += 1;
                start = i;
                (n, digits) = (0, true);
            }
        }
    }
}

/// How many rows a visitor may refuse to read whole ([`Visit::wide_row`]) before the reader
/// stops offering them: past that, and past as many as it took, each offer is a wasted scan.
#[cfg(not(target_family = "wasm"))]
const WIDE_ROW_MISSES: usize = 64;

/// Offers a wide table's rows to be read whole ([`Visit::wide_row`]), counting how many were
/// taken. The browser's module leaves this path out (to stay small: it reads every row cell by
/// cell, which gives the same, as a test checks).
#[derive(Default)]
struct WholeRows {
    #[cfg(not(target_family = "wasm"))]
    fields: Vec<(usize, usize)>,
    #[cfg(not(target_family = "wasm"))]
    cells: Vec<Plain>,
    #[cfg(not(target_family = "wasm"))]
    taken: usize,
    #[cfg(not(target_family = "wasm"))]
    missed: usize,
    /// The rows another thread splits ahead ([`split_ahead`]), when it does.
    #[cfg(not(target_family = "wasm"))]
    ahead: Option<Ahead>,
}

/// Rows split and their fields read as plain digits by [`split_ahead`], as [`plain_row`] and
/// [`plain_cells`] do it: each row of `width` fields (a row of another width, or with a quote,
/// is left out, and is read by the reader itself).
#[cfg(not(target_family = "wasm"))]
#[derive(Default)]
struct Split {
    /// Each row's start and where the next row begins.
    rows: Vec<(usize, usize)>,
    fields: Vec<(usize, usize)>,
    cells: Vec<Plain>,
}

/// How many rows [`split_ahead`] sends at a time (a few in tests, so that the test files span
/// many), and the smallest text it is started for (a thread costs more than a small file).
#[cfg(not(target_family = "wasm"))]
const SPLIT_ROWS: usize = if cfg!(test) { 3 } else { 1024 };
#[cfg(not(target_family = "wasm"))]
const SPLIT_MIN_BYTES: usize = if cfg!(test) { 1 } else { 1 << 20 };

/// The reader's side of [`split_ahead`]: the split rows received, and the next one to use.
#[cfg(not(target_family = "wasm"))]
struct Ahead {
    from: std::sync::mpsc::Receiver<Split>,
    /// The splits used, sent back to be filled again (fresh memory for each would be most of
    /// the cost).
    back: std::sync::mpsc::Sender<Split>,
    split: Split,
    next: usize,
}

#[cfg(not(target_family = "wasm"))]
impl Ahead {
    /// The row split ahead that starts at `pos`, if there is one: the rows before it were read
    /// by the reader itself, and are passed over.
    fn at(&mut self, pos: usize) -> Option<usize> {
        loop {
            while self.split.rows.get(self.next).is_some_and(|(start, _)| *start < pos) {
                self.next += 1;
            }
            match self.split.rows.get(self.next) {
                Some((start, _)) => return (*start == pos).then_some(self.next),
                None => {
                    let used = std::mem::replace(&mut self.split, self.from.recv().ok()?);
                    let _ = self.back.send(used);
                    self.next = 0;
                }
            }
        }
    }
}

/// Splits the rows of `text` from `at` on, `SPLIT_ROWS` at a time, into `to`, until the end of
/// the text, a quote never closed, or the reader stops receiving.
#[cfg(not(target_family = "wasm"))]
fn split_ahead(
    text: &str,
    mut at: usize,
    delim: u8,
    width: usize,
    to: &std::sync::mpsc::SyncSender<Split>,
    back: &std::sync::mpsc::Receiver<Split>,
) {
    let mut quoted = Vec::new();
    loop {
        let mut split = back.try_recv().unwrap_or_default();
        split.rows.clear();
        split.fields.clear();
        split.cells.clear();
        let mut done = false;
        while split.rows.len() < SPLIT_ROWS {
            let (fields_at, cells_at) = (split.fields.len(), split.cells.len());
            let row = plain_row_cells(text, at, delim, &mut split.fields, &mut split.cells);
            if row.is_none() || split.fields.len() - fields_at != width {
                split.fields.truncate(fields_at);
                split.cells.truncate(cells_at);
            }
            let Some(next) = row else {
                // A row with a quote is passed over as the reader splits it (it may span lines).
                let mut records = Records::new(text, at, delim);
                match records.next_record(&mut quoted) {
                    Ok(Some(_)) if records.pos > at => {
                        at = records.pos;
                        continue;
                    }
                    _ => {
                        done = true;
                        break;
                    }
                }
            };
            if split.fields.len() > fields_at {
                split.rows.push((at, next));
            }
            at = next;
        }
        if to.send(split).is_err() || done {
            return;
        }
    }
}

impl WholeRows {
    /// Whether the next row was read whole.
    #[cfg(not(target_family = "wasm"))]
    fn read(
        &mut self,
        records: &mut Records<'_>,
        reader: &mut EntryReader,
        visit: &mut dyn Visit,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        let offered = self.missed < WIDE_ROW_MISSES || self.missed < self.taken;
        let Shape::Wide { unit, columns } = &reader.shape else { return false };
        if !offered || records.pos >= records.text.len() {
            return false;
        }
        let at = records.pos;
        let ahead = self.ahead.as_mut().and_then(|a| Some((a.at(at)?, &a.split)));
        let (next, fields, cells) = match ahead {
            Some((k, split)) => {
                let (width, (_, next)) = (reader.width, split.rows.get(k).copied().unwrap_or_default());
                let fields = split.fields.get(k * width..(k + 1) * width).unwrap_or_default();
                (Some(next), fields, split.cells.get(k * width..(k + 1) * width).unwrap_or_default())
            }
            None => {
                self.fields.clear();
                self.cells.clear();
                let next = plain_row_cells(records.text, at, records.delim, &mut self.fields, &mut self.cells);
                (next, &self.fields[..], &self.cells[..])
            }
        };
        if let Some(next) = next {
            let row = WideRow { text: records.text, fields, unit: *unit, columns, cells, row: reader.rows + 1 };
            if fields.len() == reader.width && cells.len() == fields.len() && visit.wide_row(&row, diags) {
                reader.rows += 1;
                records.pos = next;
                self.taken += 1;
                return true;
            }
        }
        self.missed += 1;
        false
    }

    #[cfg(target_family = "wasm")]
    fn read(&mut self, _: &mut Records<'_>, _: &mut EntryReader, _: &mut dyn Visit, _: &mut Vec<Diagnostic>) -> bool {
        false
    }
}

/// Reads delimited text (CSV with `,` or `;`, or tab-separated) as entries.
pub(crate) fn read_delimited(
    text: &str,
    rules: &HeaderRules<'_>,
    plan: bool,
    diags: &mut Vec<Diagnostic>,
    visit: &mut dyn Visit,
) {
    let Some((delim, start)) = find_header(text) else {
        let end = text.find('\n').unwrap_or(text.len());
        diags.push(
            Diagnostic::new(Code::E0801, Span::new(0, end), Message::CsvHeaderColumns).with_help(rules.help.clone()),
        );
        return;
    };
    let mut records = Records::new(text, start, delim);
    let mut cells = Vec::new();
    let header_span = match records.next_record(&mut cells) {
        Ok(Some(s)) => s,
        Ok(None) => return,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    let before = diags.len();
    let Some(shape) = shape(&cells, rules, diags, header_span) else { return };
    if diags[before..].iter().any(Diagnostic::is_error) {
        return;
    }
    let mut reader = EntryReader::new(shape, cells.len(), true);
    let mut whole = WholeRows::default();
    #[cfg(not(target_family = "wasm"))]
    let (at, delim, width) = (records.pos, records.delim, reader.width);
    #[cfg(not(target_family = "wasm"))]
    let split = matches!(reader.shape, Shape::Wide { .. }) && visit.takes_wide_rows();
    let mut rows = |whole: &mut WholeRows| loop {
        if whole.read(&mut records, &mut reader, visit, diags) {
            continue;
        }
        match records.next_record(&mut cells) {
            Ok(Some(span)) => reader.row(&cells, span, plan, diags, &mut |e, diags| visit.entry(e, diags)),
            Ok(None) => break,
            Err(d) => {
                diags.push(d);
                break;
            }
        }
    };
    // A large wide file's rows are split, and their digits read, on another thread while this
    // one stores them: the same rows, read the same way, the reader taking each only where it
    // starts exactly where the reader is.
    #[cfg(not(target_family = "wasm"))]
    if split && text.len() >= SPLIT_MIN_BYTES && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1) {
        std::thread::scope(|scope| {
            let (to, from) = std::sync::mpsc::sync_channel(2);
            let (back, used) = std::sync::mpsc::channel();
            let split = move || split_ahead(text, at, delim, width, &to, &used);
            if std::thread::Builder::new().spawn_scoped(scope, split).is_ok() {
                whole.ahead = Some(Ahead { from, back, split: Split::default(), next: 0 });
            }
            rows(&mut whole);
            // The splitting thread stops when nothing receives.
            whole.ahead = None;
        });
        diags.extend(reader.marks_note());
        return;
    }
    rows(&mut whole);
    diags.extend(reader.marks_note());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, delim: u8) -> Vec<Vec<(String, String)>> {
        let mut r = Records::new(text, 0, delim);
        let mut out = Vec::new();
        let mut cells = Vec::new();
        while r.next_record(&mut cells).unwrap().is_some() {
            out.push(
                cells
                    .iter()
                    .map(|c| match &c.raw {
                        CellRaw::Text(t) => (t.to_string(), c.span.text(text).to_string()),
                        _ => unreachable!(),
                    })
                    .collect(),
            );
        }
        out
    }

    proptest::proptest! {
        /// Splitting a row and reading its digits in one pass gives what splitting and then
        /// reading each field gives: the same fields, cells and next row, or the same refusal.
        #[test]
        fn one_pass_rows_are_split_and_read_as_in_two(
            bytes in proptest::collection::vec(proptest::sample::select(b"0123456789,;\n\r\" a.-".to_vec()), 0..60),
            fields in proptest::collection::vec((0u64..u64::MAX, 0u32..20, 0usize..6), 0..12),
            at in 0usize..8,
            semicolon in proptest::bool::ANY,
        ) {
            let delim = if semicolon { b';' } else { b',' };
            // Random bytes, then fields of digits as wide files have them (up to 20 digits,
            // leading zeros), some with a byte that is not a digit.
            let mut text = String::from_utf8(bytes).unwrap_or_default();
            for (n, width, odd) in fields {
                let mut digits = format!("{n:020}");
                digits.truncate(width as usize);
                if odd < digits.len() && odd % 2 == 1 {
                    digits.replace_range(odd..=odd, ["/", ":", "a", " ", "\u{0}"][odd % 5]);
                }
                text.push_str(&digits);
                text.push(char::from(if odd == 5 { b'\n' } else { delim }));
            }
            let (mut fields, mut cells) = (Vec::new(), Vec::new());
            let one = plain_row_cells(&text, at, delim, &mut fields, &mut cells);
            let mut reference = Vec::new();
            let two = plain_row(&text, at, delim, &mut reference);
            proptest::prop_assert_eq!(one, two);
            if two.is_some() {
                let mut read = Vec::new();
                plain_cells(&text, &reference, &mut read);
                proptest::prop_assert_eq!(fields, reference);
                proptest::prop_assert_eq!(cells, read);
            }
        }
    }

    /// The reader's column names are written as `column_key` gives a header (lower case, NFC),
    /// or no header would ever match them.
    #[test]
    fn header_names_are_in_the_compared_form() {
        for names in [UNIT_HEADERS, INDICATOR_HEADERS, INPUT_HEADERS, VALUE_HEADERS] {
            for name in names {
                assert_eq!(column_key(name), *name);
            }
        }
        assert!(UNIT_HEADERS.contains(&column_key("\u{feff} MÃ ĐƠN VỊ ").as_str()));
        assert!(
            UNIT_HEADERS.contains(&column_key("Ma\u{303} \u{111}o\u{31b}n vi\u{323}").as_str()),
            "decomposed marks"
        );
    }

    #[test]
    fn records_know_their_fields_spans() {
        let t = "a,\"b,\"\"c\"\"\", d \r\nx;y\n";
        let f = fields(t, b',');
        assert_eq!(f[0][0], ("a".into(), "a".into()));
        assert_eq!(f[0][1], ("b,\"c\"".to_string(), "b,\"\"c\"\"".to_string()));
        assert_eq!(f[0][2], (" d ".into(), "d".into()));
        assert_eq!(f[1], vec![("x;y".to_string(), "x;y".to_string())]);
        assert!(Records::new("a,\"b\n", 0, b',').next_record(&mut Vec::new()).is_err());
    }

    #[test]
    fn header_is_found_below_titles_with_its_delimiter() {
        let t = "BÁO CÁO CHỈ SỐ DTI, NĂM 2022\n\nunit;indicator;input;value\nP01;6.12;a;5\n";
        assert_eq!(find_header(t), Some((b';', t.find("unit").unwrap())));
        assert_eq!(find_header("unit\tindicator\n"), Some((b'\t', 0)));
        assert_eq!(find_header("x,y\n"), None);
    }

    #[test]
    fn utf16_exports_are_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "unit\tvalue\nP01\tcó\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes), ("unit\tvalue\nP01\tcó\n".to_string(), None));
        let mut be = vec![0xFE, 0xFF];
        for u in "có".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).0, "có");
        assert_eq!(decode(b"\xEF\xBB\xBFunit").0, "unit");
        assert!(decode(b"a\xFFb").1.is_some());
        // Owned bytes decode as borrowed ones do.
        let samples: [&[u8]; 6] = [b"unit\n", b"\xEF\xBB\xBFunit", b"a\xFFb", b"\xEF\xBB\xBFa\xFFb", &bytes, &be];
        for b in samples {
            assert_eq!(decode_owned(b.to_vec()), decode(b), "{b:?}");
        }
    }
}
