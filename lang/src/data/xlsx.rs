//! Scoring data from an Excel workbook (`.xlsx`), read from its bytes with `calamine` (feature
//! `xlsx`; pure Rust, so `lang` stays free of files and still builds for wasm32).
//!
//! Input: the workbook's bytes. The first sheet with a header row (a `unit` cell within the first
//! rows) is read in the long (`unit,indicator,input,value`) or wide (`unit,6.12.a,…`) shape, as a
//! CSV file is. Output: the dataset, the diagnostics, and the sheet written as text (one line per
//! sheet row, so line 7 is row 7), which is what the diagnostics' spans point into; each message
//! also names its cell (`Sheet1!C7`). Excel's own types are kept: a number cell is a number
//! whatever the locale, a number shown as a percent (`0%`, `0.00%`) is that ratio (0.8 is 80%),
//! a date cell is its day `YYYY-MM-DD`, an error cell (`#DIV/0!`) is refused where a value is
//! needed.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::table::{self, Cell, CellRaw, EntryReader, HeaderRules};
use super::{split_column, Columns, Dataset, Loader, HEADER_HELP};
use crate::diag::{Code, Diagnostic, Hint, LineIndex, Message, Span};
use crate::num::Locale;
use crate::sema::env::{column_key, UNIT_HEADERS};
use crate::sema::Env;

/// The largest sheet read, in cells from A1 to its last used cell: ample for a million data rows,
/// while a stray cell at XFD1048576 would otherwise mean seventeen billion empty cells.
const MAX_CELLS: u64 = 20_000_000;

/// What reading a workbook gave.
#[derive(Debug)]
pub struct Workbook {
    /// The values (every well-formed one).
    pub dataset: Dataset,
    /// Diagnostics, with spans in `text`.
    pub diagnostics: Vec<Diagnostic>,
    /// The sheet that was read, as text: one line per row, cells separated by commas.
    pub text: String,
    /// The sheet's name (empty when no sheet could be read).
    pub sheet: String,
}

/// Reads scoring data from the bytes of an `.xlsx` workbook. `locale` is as for
/// [`super::load`]; it applies only to numbers typed as text in cells.
pub fn load(bytes: &[u8], env: &Env, locale: Option<Locale>) -> Workbook {
    match read(bytes) {
        Ok(sheet) => sheet.load(env, locale),
        Err(d) => {
            Workbook { dataset: Dataset::default(), diagnostics: vec![d], text: String::new(), sheet: String::new() }
        }
    }
}

/// Reads the first sheet with a header row (a `unit` cell within the first rows) from the bytes
/// of an `.xlsx` workbook, as text and cells, before any rulebook is known; the E0801 error when
/// no sheet can be read.
pub fn read(bytes: &[u8]) -> Result<Sheet, Diagnostic> {
    let failed = |msg: Message| Diagnostic::new(Code::E0801, Span::new(0, 0), msg).with_help(Hint::SaveXlsx);
    let mut book: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => return Err(failed(Message::XlsxUnreadable { error: e.to_string() })),
    };
    let mut last_error = None;
    for name in book.sheet_names() {
        // Cells are read one by one (a sheet's declared range is dense in calamine, and a stray
        // cell at XFD1048576 would ask for seventeen billion of them).
        let mut cells: Vec<((u32, u32), Data)> = Vec::new();
        let read = book.worksheet_cells_reader(&name).and_then(|mut reader| {
            while let Some(c) = reader.next_cell()? {
                let value: Data = c.get_value().clone().into();
                if value != Data::Empty {
                    cells.push((c.get_position(), value));
                }
            }
            Ok(())
        });
        if let Err(e) = read {
            last_error = Some(Message::SheetUnreadable { sheet: name.clone(), error: e.to_string() });
            continue;
        }
        let Some(last_row) = cells.iter().map(|((r, _), _)| *r).max() else { continue };
        let last_col = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(0);
        if (u64::from(last_row) + 1) * (u64::from(last_col) + 1) > MAX_CELLS {
            let last = super::cell_ref(last_col as usize, last_row as usize + 1);
            last_error = Some(Message::SheetTooLarge { sheet: name.clone(), last, max: MAX_CELLS });
            continue;
        }
        cells.sort_by_key(|(pos, _)| *pos);
        let styles = book.worksheet_style(&name).ok();
        let (text, rows) = sheet_text(&cells, (last_row, last_col), styles.as_ref());
        let header_row = rows.iter().take(30).position(|(cells, _)| {
            cells.iter().any(|c| matches!(&c.raw, CellRaw::Text(t) if UNIT_HEADERS.contains(&column_key(t).as_str())))
        });
        if let Some(header_row) = header_row {
            return Ok(Sheet { name, text, rows, header_row });
        }
    }
    Err(failed(last_error.unwrap_or(Message::NoHeaderSheet)))
}

/// The sheet a workbook's data is read from, as text and cells.
#[derive(Clone, Debug)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// One line per row, cells separated by commas: what diagnostics point into.
    pub text: String,
    /// Rows from row 1 of the sheet (not of the used range), cells from column A.
    rows: Vec<(Vec<Cell<'static>>, Span)>,
    /// The index of the header row: the first with a `unit` cell.
    header_row: usize,
}

/// The sheet's text and cells from its non-empty cells, sorted by position, up to
/// `(last_row, last_col)`.
#[allow(clippy::type_complexity)]
fn sheet_text(
    cells: &[((u32, u32), Data)],
    (r1, c1): (u32, u32),
    styles: Option<&calamine::StyleRange>,
) -> (String, Vec<(Vec<Cell<'static>>, Span)>) {
    let mut text = String::new();
    let mut rows = Vec::new();
    let mut next = cells.iter().peekable();
    for r in 0..=r1 {
        let line_start = text.len();
        let mut row_cells = Vec::new();
        for c in 0..=c1 {
            if c > 0 {
                text.push(',');
            }
            let data = next.next_if(|(pos, _)| *pos == (r, c)).map(|(_, d)| d);
            let percent = styles
                .and_then(|s| s.get((r, c)))
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| f.format_code.contains('%') || matches!(f.format_id, Some(9 | 10)));
            let raw = data.map_or(CellRaw::Empty, |d| cell(d, percent));
            let shown = match &raw {
                CellRaw::Empty => String::new(),
                CellRaw::Text(t) => quoted(t),
                CellRaw::Number(n) => n.clone(),
                CellRaw::Ratio(n) => match crate::num::Num::parse_data(n, Locale::En) {
                    Ok(x) => format!("{}%", x.mul(&crate::num::Num::from_i64(100))),
                    Err(_) => n.clone(),
                },
                CellRaw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            };
            let start = text.len();
            text.push_str(&shown);
            row_cells.push(Cell { raw, span: Span::new(start, text.len()) });
        }
        let span = Span::new(line_start, text.len());
        text.push('\n');
        rows.push((row_cells, span));
    }
    (text, rows)
}

impl Sheet {
    /// The sheet's data read for a rulebook.
    pub fn load(&self, env: &Env, locale: Option<Locale>) -> Workbook {
        let (dataset, diagnostics, _) = self.read_into(env, locale, false);
        Workbook { dataset, diagnostics, text: self.text.clone(), sheet: self.name.clone() }
    }

    /// The sheet's data read for a rulebook into one vector per input, as
    /// [`super::load_columns`] reads a CSV file: no map per unit is ever made, so a sheet of
    /// 10,000 communes is scored in the memory its CSV export would take.
    pub fn load_columns(&self, env: &Env, locale: Option<Locale>) -> (Columns, Vec<Diagnostic>) {
        let (_, diagnostics, columns) = self.read_into(env, locale, true);
        (columns.unwrap_or_default(), diagnostics)
    }

    /// The sheet's values in a dataset, or with `by_column` in columns, and the diagnostics.
    fn read_into(
        &self,
        env: &Env,
        locale: Option<Locale>,
        by_column: bool,
    ) -> (Dataset, Vec<Diagnostic>, Option<Columns>) {
        let Sheet { name, text, rows, header_row } = self;
        let header_row = *header_row;
        let mut diags = Vec::new();
        {
            let mut loader = Loader::new(env, locale, text);
            if by_column {
                loader.columns = Some(Columns::default());
            }
            loader.sheet = Some((name.clone(), LineIndex::new(text)));
            let split = |h: &str| split_column(env, h);
            let rules = HeaderRules { help: HEADER_HELP, split: Some(&split) };
            let mut rows = rows.iter().skip(header_row);
            if let Some((header, span)) = rows.next() {
                let before = diags.len();
                let shape = table::shape(header, &rules, &mut diags, *span);
                if let (Some(shape), false) = (shape, diags[before..].iter().any(Diagnostic::is_error)) {
                    let mut reader = EntryReader::new(shape, header.len(), false);
                    for (cells, span) in rows {
                        reader.row(cells, *span, false, &mut diags, &mut |e, d| loader.entry(e, d));
                    }
                    diags.extend(reader.marks_note());
                }
            }
            loader.note_repeats(&mut diags);
            diags.append(&mut loader.diags);
            (loader.data, diags, loader.columns)
        }
    }
}

/// A cell as the loader sees it.
fn cell(d: &Data, percent: bool) -> CellRaw<'static> {
    let number = |n: String| if percent { CellRaw::Ratio(n) } else { CellRaw::Number(n) };
    match d {
        Data::Empty => CellRaw::Empty,
        Data::Int(i) => number(i.to_string()),
        // `{}` writes the shortest decimal that reads back as the same double, never with an
        // exponent: the 0.1 a person typed is 0.1, not 0.1000000000000000055….
        Data::Float(f) if f.is_finite() => number(format!("{f}")),
        Data::Float(f) => CellRaw::Text(Cow::Owned(f.to_string())),
        Data::String(s) => CellRaw::Text(Cow::Owned(s.clone())),
        Data::Bool(b) => CellRaw::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, h, min, s, _) = dt.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                CellRaw::Text(Cow::Owned(format!("{y:04}-{m:02}-{day:02}")))
            } else {
                CellRaw::Text(Cow::Owned(format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")))
            }
        }
        Data::DateTime(dt) => number(format!("{}", dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellRaw::Text(Cow::Owned(s.clone())),
        Data::Error(e) => CellRaw::Text(Cow::Owned(e.to_string())),
    }
}

/// A cell's text as one CSV field on one line.
fn quoted(t: &str) -> String {
    let one_line = t.replace(['\n', '\r'], " ");
    if one_line.contains([',', '"']) {
        format!("\"{}\"", one_line.replace('"', "\"\""))
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    fn shown(d: Data, percent: bool) -> String {
        match cell(&d, percent) {
            CellRaw::Empty => "<empty>".into(),
            CellRaw::Text(t) => format!("text {t}"),
            CellRaw::Number(n) => format!("number {n}"),
            CellRaw::Ratio(n) => format!("ratio {n}"),
            CellRaw::Bool(b) => format!("bool {b}"),
        }
    }

    #[test]
    fn cells_keep_what_excel_stores() {
        // 0.1 typed in a cell is the double nearest 0.1; it reads back as 0.1, not 0.1000…0555.
        assert_eq!(shown(Data::Float(0.1), false), "number 0.1");
        assert_eq!(shown(Data::Float(1e21), false), "number 1000000000000000000000");
        assert_eq!(shown(Data::Float(0.855), true), "ratio 0.855");
        assert_eq!(shown(Data::Int(20659), false), "number 20659");
        // 44926 is 2022-12-31 in the 1900 date system.
        let day = ExcelDateTime::new(44926.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(shown(Data::DateTime(day), false), "text 2022-12-31");
        assert_eq!(shown(Data::Error(calamine::CellErrorType::Div0), false), "text #DIV/0!");
        assert_eq!(shown(Data::Bool(true), false), "bool true");
    }
}
