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

use calamine::{Data, DataRef, Reader, Xlsx};

use super::table::{self, Cell, CellRaw, EntryReader, HeaderRules};
use super::{split_column, Columns, Dataset, Loader, HEADER_HELP};
use crate::diag::{Code, Diagnostic, Hint, LineIndex, Message, Span};
use crate::hash::FxHashMap;
use crate::num::Locale;
use crate::sema::env::{column_key, UNIT_HEADERS};
use crate::sema::Env;

/// The largest sheet read, in cells from A1 to its last used cell: ample for a million data rows,
/// while a stray cell at XFD1048576 would otherwise mean seventeen billion empty cells.
const MAX_CELLS: u64 = 100_000_000;

/// How far down a sheet its header row is looked for (title rows above it are common; a sheet
/// of notes is not data).
const HEADER_ROWS: usize = 30;

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
        Ok((sheet, text)) => {
            let (dataset, diagnostics, _) = sheet.read_into(&text, env, locale, false);
            Workbook { dataset, diagnostics, text, sheet: sheet.name }
        }
        Err(d) => {
            Workbook { dataset: Dataset::default(), diagnostics: vec![d], text: String::new(), sheet: String::new() }
        }
    }
}

/// Reads the first sheet with a header row (a `unit` cell within the first rows) from the bytes
/// of an `.xlsx` workbook, before any rulebook is known: the sheet and its text; the E0801 error
/// when no sheet can be read.
///
/// A sheet is read cell by cell (a sheet's declared range is dense in calamine, and a stray cell
/// at XFD1048576 would ask for seventeen billion cells): once when its cells come in order, as
/// every writer we know saves them (whatever range the sheet declares, which some leave out and
/// others make too wide); else twice, for its extent and then for its text. What is kept is the text and a byte per cell, not the cells: 100,000
/// communes' sheet (33 million cells) is read in about the memory of its CSV export.
pub fn read(bytes: &[u8]) -> Result<(Sheet, String), Diagnostic> {
    let failed = |msg: Message| Diagnostic::new(Code::E0801, Span::new(0, 0), msg).with_help(Hint::SaveXlsx);
    let mut book: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => return Err(failed(Message::XlsxUnreadable { error: e.to_string() })),
    };
    let mut last_error = None;
    for name in book.sheet_names() {
        let unreadable =
            |e: calamine::XlsxError| Message::SheetUnreadable { sheet: name.clone(), error: e.to_string() };
        let written = match write_sheet(&mut book, &name, None) {
            Ok(Written::Sheet(sheet, text)) => Ok((sheet, text)),
            Ok(Written::Empty) => continue,
            Ok(Written::TooLarge((last_row, last_col))) => {
                let last = super::cell_ref(last_col as usize, last_row as usize + 1);
                last_error = Some(Message::SheetTooLarge { sheet: name.clone(), last, max: MAX_CELLS });
                continue;
            }
            // Cells out of order (no writer we know of): their extent first, then sorted.
            Ok(Written::Unsorted) => match book.worksheet_cells_reader(&name).and_then(|mut reader| {
                let mut extent = Extent::default();
                while let Some(c) = reader.next_cell()? {
                    if !matches!(c.get_value(), DataRef::Empty) {
                        extent.add(c.get_position());
                    }
                }
                Ok(extent)
            }) {
                Ok(extent) if extent.too_large() => {
                    let (last_row, last_col) = extent.last.unwrap_or_default();
                    let last = super::cell_ref(last_col as usize, last_row as usize + 1);
                    last_error = Some(Message::SheetTooLarge { sheet: name.clone(), last, max: MAX_CELLS });
                    continue;
                }
                Ok(extent) => match write_sheet(&mut book, &name, Some(&extent)) {
                    Ok(Written::Sheet(sheet, text)) => Ok((sheet, text)),
                    Ok(_) => continue,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let (sheet, text) = match written {
            Ok(w) => w,
            Err(e) => {
                last_error = Some(unreadable(e));
                continue;
            }
        };
        let mut row = Vec::new();
        let header_row = sheet.lines(&text).take(HEADER_ROWS).position(|(r, line, start)| {
            sheet.row_cells(r, line, start, &mut row);
            row.iter().any(|c| matches!(&c.raw, CellRaw::Text(t) if UNIT_HEADERS.contains(&column_key(t).as_str())))
        });
        if let Some(header_row) = header_row {
            return Ok((Sheet { name, header_row, ..sheet }, text));
        }
    }
    Err(failed(last_error.unwrap_or(Message::NoHeaderSheet { rows: HEADER_ROWS })))
}

/// What reading a sheet's cells gave.
enum Written {
    Sheet(Sheet, String),
    /// No cell with a value.
    Empty,
    /// More than [`MAX_CELLS`] from A1 to this cell.
    TooLarge((u32, u32)),
    /// A cell came before one it follows (row by row, left to right).
    Unsorted,
}

/// A sheet's text and cells' kinds, read in one pass over its XML: [`Written::Unsorted`] when a
/// cell comes out of order, unless the sheet's `extent` was read first (its cells are then
/// sorted here).
fn write_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    extent: Option<&Extent>,
) -> Result<Written, calamine::XlsxError> {
    let mut reader = book.worksheet_cells_reader(name)?;
    let percent: Vec<bool> = reader.styles().iter().map(shows_percent).collect();
    let mut writer = Writer::default();
    let mut seen = Extent::default();
    // Cells come row by row as Excel writes them; a sheet written otherwise is sorted.
    let mut unsorted = Vec::new();
    while let Some((c, style)) = reader.next_cell_with_style_id()? {
        let value: Data = c.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let pos = c.get_position();
        seen.add(pos);
        if seen.too_large() {
            return Ok(Written::TooLarge(pos));
        }
        let raw = cell(&value, percent.get(style).copied().unwrap_or(false));
        match extent {
            None if !seen.sorted => return Ok(Written::Unsorted),
            Some(e) if !e.sorted => unsorted.push((pos, raw)),
            _ => writer.cell(pos, raw),
        }
    }
    unsorted.sort_by_key(|(pos, _)| *pos);
    for (pos, raw) in unsorted {
        writer.cell(pos, raw);
    }
    Ok(match seen.last {
        None => Written::Empty,
        Some(_) => {
            let (sheet, text) = writer.finish();
            Written::Sheet(sheet, text)
        }
    })
}

/// Whether a cell of this style shows its number as a percent.
fn shows_percent(style: &calamine::Style) -> bool {
    style.number_format.as_ref().is_some_and(|f| f.format_code.contains('%') || matches!(f.format_id, Some(9 | 10)))
}

/// A sheet's last used row and column, and whether its cells came in order (row by row, each
/// row left to right).
#[derive(Default)]
struct Extent {
    last: Option<(u32, u32)>,
    previous: Option<(u32, u32)>,
    sorted: bool,
}

impl Extent {
    fn add(&mut self, (r, c): (u32, u32)) {
        self.sorted = match self.previous {
            None => true,
            Some(p) => self.sorted && p < (r, c),
        };
        self.previous = Some((r, c));
        self.last = Some(self.last.map_or((r, c), |(lr, lc)| (lr.max(r), lc.max(c))));
    }

    /// Whether the sheet spans more than [`MAX_CELLS`] cells from A1.
    fn too_large(&self) -> bool {
        self.last.is_some_and(|(r, c)| (u64::from(r) + 1) * (u64::from(c) + 1) > MAX_CELLS)
    }
}

/// What a cell holds, beside its text in the sheet's text: the text alone does not tell a number
/// from a text that looks like one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Empty,
    Text,
    Number,
    Ratio,
    Bool,
}

/// The sheet a workbook's data is read from: each cell's kind, its text being in the sheet's
/// text ([`read`]).
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Each cell's kind, from A1 row by row, `width` cells a row.
    kinds: Vec<Kind>,
    width: usize,
    /// The cells whose value their text does not give back (a text with a line break, written
    /// as a space; a ratio whose percent is written to six decimals), by (row, column).
    values: FxHashMap<(u32, u32), String>,
    /// The index of the header row: the first with a `unit` cell.
    header_row: usize,
}

/// Writes a sheet's text from its non-empty cells, given in order: one line per row from row 1,
/// each as wide as its last cell, then (`finish`) every row as wide as the widest, cells separated
/// by commas, as a CSV file's rows are.
#[derive(Default)]
struct Writer {
    sheet: Sheet,
    text: String,
    /// The row being written, and how many of its cells are.
    row: u32,
    written: usize,
    /// How many cells each row written has.
    widths: Vec<u32>,
}

impl Writer {
    fn cell(&mut self, (r, c): (u32, u32), raw: CellRaw<'static>) {
        // A second cell at a written position (never from Excel) is not read: the first counts.
        if r < self.row || (r == self.row && (c as usize) < self.written) {
            return;
        }
        while self.row < r {
            self.end_row();
        }
        while self.written < c as usize {
            self.field(Kind::Empty, "");
        }
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
        let kind = match &raw {
            CellRaw::Empty => Kind::Empty,
            CellRaw::Text(_) => Kind::Text,
            CellRaw::Number(_) => Kind::Number,
            CellRaw::Ratio(_) => Kind::Ratio,
            CellRaw::Bool(_) => Kind::Bool,
        };
        let value = match raw {
            CellRaw::Text(t) => Some(t.into_owned()),
            CellRaw::Ratio(n) => Some(n),
            _ => None,
        };
        if let Some(v) = value.filter(|v| value_text(&from_field(kind, &shown)) != Some(v.as_str())) {
            self.sheet.values.insert((r, c), v);
        }
        self.field(kind, &shown);
    }

    fn field(&mut self, kind: Kind, shown: &str) {
        if self.written > 0 {
            self.text.push(',');
        }
        self.text.push_str(shown);
        self.sheet.kinds.push(kind);
        self.written += 1;
    }

    fn end_row(&mut self) {
        self.text.push('\n');
        self.widths.push(u32::try_from(self.written).unwrap_or(u32::MAX));
        self.row += 1;
        self.written = 0;
    }

    /// The sheet and its text, every row as wide as the widest: copied once more when some row
    /// is narrower (its text and kinds, not its cells read again).
    fn finish(mut self) -> (Sheet, String) {
        self.end_row();
        let width = self.widths.iter().copied().max().unwrap_or(0) as usize;
        self.sheet.width = width;
        if self.widths.iter().all(|w| *w as usize == width) {
            return (self.sheet, self.text);
        }
        let mut text = String::with_capacity(self.text.len() + self.widths.len() * width);
        let mut kinds = Vec::with_capacity(self.widths.len() * width);
        let mut at = 0;
        for (line, w) in self.text.split('\n').zip(&self.widths) {
            let w = *w as usize;
            text.push_str(line);
            // A row of no cells is `width` empty ones: a comma fewer.
            let commas = if w == 0 { width.saturating_sub(1) } else { width - w };
            text.extend(std::iter::repeat_n(',', commas));
            text.push('\n');
            kinds.extend_from_slice(self.sheet.kinds.get(at..at + w).unwrap_or_default());
            kinds.extend(std::iter::repeat_n(Kind::Empty, width - w));
            at += w;
        }
        self.sheet.kinds = kinds;
        (self.sheet, text)
    }
}

/// A cell read back from its kind and its field in the sheet's text (without `Sheet::values`).
fn from_field(kind: Kind, field: &str) -> CellRaw<'_> {
    match kind {
        Kind::Empty => CellRaw::Empty,
        Kind::Text => match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
            Some(inner) => CellRaw::Text(Cow::Owned(inner.replace("\"\"", "\""))),
            None => CellRaw::Text(Cow::Borrowed(field)),
        },
        Kind::Number => CellRaw::Number(field.to_string()),
        Kind::Ratio => CellRaw::Ratio(match field.strip_suffix('%') {
            Some(percent) => match crate::num::Num::parse_data(percent, Locale::En) {
                Ok(x) => x
                    .div_exact(&crate::num::Num::from_i64(100))
                    .map_or_else(|| field.to_string(), |r| r.to_decimal_string(8)),
                Err(_) => field.to_string(),
            },
            None => field.to_string(),
        }),
        Kind::Bool => CellRaw::Bool(field == "TRUE"),
    }
}

/// The value of a text or ratio cell, as the loader reads it.
fn value_text<'c>(raw: &'c CellRaw<'_>) -> Option<&'c str> {
    match raw {
        CellRaw::Text(t) => Some(t),
        CellRaw::Ratio(n) => Some(n),
        _ => None,
    }
}

/// The length of the quoted field at the start of `rest` (`"a,""b"""`), quotes included.
fn quoted_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'"') {
            if bytes.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

impl Sheet {
    /// The sheet's data read for a rulebook by unit, and the diagnostics (`text` being the
    /// sheet's text from [`read`]).
    pub fn load_dataset(&self, text: &str, env: &Env, locale: Option<Locale>) -> (Dataset, Vec<Diagnostic>) {
        let (dataset, diagnostics, _) = self.read_into(text, env, locale, false);
        (dataset, diagnostics)
    }

    /// The sheet's data read for a rulebook into one vector per input, as
    /// [`super::load_columns`] reads a CSV file: no map per unit is ever made, so a sheet of
    /// 10,000 communes is scored in the memory its CSV export would take.
    pub fn load_columns(&self, text: &str, env: &Env, locale: Option<Locale>) -> (Columns, Vec<Diagnostic>) {
        let (_, diagnostics, columns) = self.read_into(text, env, locale, true);
        (columns.unwrap_or_default(), diagnostics)
    }

    /// Each row of the sheet: its index, its line of `text` and where the line starts.
    fn lines<'t>(&self, text: &'t str) -> impl Iterator<Item = (usize, &'t str, usize)> + 't {
        let rows = self.kinds.len() / self.width.max(1);
        text.split('\n').take(rows).enumerate().scan(0, |start, (r, line)| {
            let at = *start;
            *start += line.len() + 1;
            Some((r, line, at))
        })
    }

    /// Row `r`'s cells into `out`, from its `line` of the text (starting at `start`).
    fn row_cells<'t>(&'t self, r: usize, line: &'t str, start: usize, out: &mut Vec<Cell<'t>>) {
        out.clear();
        let mut at = 0;
        for c in 0..self.width {
            let index = r * self.width + c;
            let kind = self.kinds.get(index).copied().unwrap_or(Kind::Empty);
            let rest = line.get(at..).unwrap_or_default();
            let len = if rest.starts_with('"') { quoted_len(rest) } else { rest.find(',').unwrap_or(rest.len()) };
            let field = rest.get(..len).unwrap_or_default();
            let pos = (u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX));
            let raw = match (self.values.get(&pos), kind) {
                (Some(v), Kind::Ratio) => CellRaw::Ratio(v.clone()),
                (Some(v), _) => CellRaw::Text(Cow::Borrowed(v.as_str())),
                (None, kind) => from_field(kind, field),
            };
            out.push(Cell { raw, span: Span::new(start + at, start + at + len) });
            at += len + 1;
        }
    }

    /// The sheet's values in a dataset, or with `by_column` in columns, and the diagnostics.
    fn read_into(
        &self,
        text: &str,
        env: &Env,
        locale: Option<Locale>,
        by_column: bool,
    ) -> (Dataset, Vec<Diagnostic>, Option<Columns>) {
        let header_row = self.header_row;
        let mut diags = Vec::new();
        {
            let mut loader = Loader::new(env, locale, text);
            if by_column {
                loader.columns = Some(Columns::default());
            }
            loader.sheet = Some((self.name.clone(), LineIndex::new(text)));
            let split = |h: &str| split_column(env, h);
            let rules = HeaderRules { help: HEADER_HELP, split: Some(&split) };
            let mut lines = self.lines(text).skip(header_row);
            let mut cells = Vec::new();
            if let Some((r, line, start)) = lines.next() {
                self.row_cells(r, line, start, &mut cells);
                let header = std::mem::take(&mut cells);
                let span = Span::new(start, start + line.len());
                let before = diags.len();
                let shape = table::shape(&header, &rules, &mut diags, span);
                if let (Some(shape), false) = (shape, diags[before..].iter().any(Diagnostic::is_error)) {
                    let mut reader = EntryReader::new(shape, header.len(), false);
                    for (r, line, start) in lines {
                        self.row_cells(r, line, start, &mut cells);
                        let span = Span::new(start, start + line.len());
                        reader.row(&cells, span, false, &mut diags, &mut |e, d| loader.entry(e, d));
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

    /// A workbook of one sheet `Data` whose `sheetData` rows are `rows`, after `head` (a
    /// `<dimension>`, or nothing); style 1 shows numbers as percents.
    fn book(head: &str, rows: &str) -> Vec<u8> {
        use std::io::Write;
        let ns = "http://schemas.openxmlformats.org";
        let parts = [
            (
                "[Content_Types].xml",
                format!(
                    r#"<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#
                ),
            ),
            (
                "_rels/.rels",
                format!(
                    r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/styles.xml",
                format!(
                    r#"<styleSheet xmlns="{ns}/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"/></cellXfs></styleSheet>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<worksheet xmlns="{ns}/spreadsheetml/2006/main">{head}<sheetData>{rows}</sheetData></worksheet>"#
                ),
            ),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            zip.start_file(name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// Every cell the sheet reads back, with its text in the sheet's text, row by row.
    fn read_back(bytes: &[u8]) -> (String, Vec<Vec<String>>) {
        let (sheet, text) = read(bytes).unwrap_or_else(|d| panic!("{d:?}"));
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        for (r, line, start) in sheet.lines(&text) {
            sheet.row_cells(r, line, start, &mut cells);
            rows.push(
                cells
                    .iter()
                    .map(|c| {
                        let shown = text.get(c.span.start as usize..c.span.end as usize).unwrap();
                        match &c.raw {
                            CellRaw::Empty => format!("<empty> `{shown}`"),
                            CellRaw::Text(t) => format!("text {t:?} `{shown}`"),
                            CellRaw::Number(n) => format!("number {n} `{shown}`"),
                            CellRaw::Ratio(n) => format!("ratio {n} `{shown}`"),
                            CellRaw::Bool(b) => format!("bool {b} `{shown}`"),
                        }
                    })
                    .collect(),
            );
        }
        (text, rows)
    }

    /// A sheet is read in one pass when its cells come in order, else in two (its extent, then
    /// its cells sorted): the same text and cells either way, whatever range it declares, every
    /// row as wide as the widest (a shorter row, a blank row).
    #[test]
    fn a_sheet_reads_the_same_in_order_or_not_whatever_range_it_declares() {
        let t = |r: &str, s: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{s}</t></is></c>"#);
        let n = |r: &str, v: &str| format!(r#"<c r="{r}"><v>{v}</v></c>"#);
        let (a1, b1, c1) = (t("A1", "unit"), t("B1", "6.1.a"), t("C1", "6.1.b"));
        let (a2, b2, c2) = (t("A2", "P01"), n("B2", "5"), n("C2", "2.5"));
        let (a4, c4, a5) = (t("A4", "P02"), n("C4", "7"), t("A5", "P03"));
        let row = |r: u32, cells: &[&String]| {
            format!("<row r=\"{r}\">{}</row>", cells.iter().map(|c| c.as_str()).collect::<String>())
        };
        let in_order =
            [row(1, &[&a1, &b1, &c1]), row(2, &[&a2, &b2, &c2]), row(4, &[&a4, &c4]), row(5, &[&a5])].concat();
        let out_of_order =
            [row(4, &[&c4, &a4]), row(5, &[&a5]), row(1, &[&a1, &b1, &c1]), row(2, &[&c2, &a2, &b2])].concat();
        let again = n("B2", "9");
        let twice =
            [row(1, &[&a1, &b1, &c1]), row(2, &[&a2, &b2, &again, &c2]), row(4, &[&a4, &c4]), row(5, &[&a5])].concat();
        let declared = r#"<dimension ref="A1:C4"/>"#;
        let expected = read_back(&book(declared, &in_order));
        assert_eq!(expected.0, "unit,6.1.a,6.1.b\nP01,5,2.5\n,,\nP02,,7\nP03,,\n");
        assert_eq!(expected.1[3], ["text \"P02\" `P02`", "<empty> ``", "number 7 `7`"]);
        for (head, rows) in [
            ("", in_order.as_str()),
            (declared, out_of_order.as_str()),
            // Wider than the used cells (a styled column past them), and narrower.
            (r#"<dimension ref="A1:F9"/>"#, in_order.as_str()),
            (r#"<dimension ref="A1:B2"/>"#, in_order.as_str()),
            (r#"<dimension ref="A1:C2"/>"#, in_order.as_str()),
            // A cell written twice (never by Excel): the first counts.
            (declared, twice.as_str()),
        ] {
            assert_eq!(read_back(&book(head, rows)), expected, "{head} {rows}");
        }
    }

    /// A text or a ratio the sheet's text cannot hold as it is (a line break, quotes, a percent
    /// past six decimals) reads back as the cell holds it.
    #[test]
    fn values_the_text_cannot_hold_read_back_exactly() {
        let rows = concat!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c><c r="B1" t="inlineStr"><is><t>x</t></is></c>"#,
            r#"<c r="C1" t="inlineStr"><is><t>y</t></is></c><c r="D1" t="inlineStr"><is><t>z</t></is></c></row>"#,
            r#"<row r="2"><c r="A2" t="inlineStr"><is><t>two
lines</t></is></c><c r="B2" t="inlineStr"><is><t>say "có", ok</t></is></c>"#,
            r#"<c r="C2" s="1"><v>0.123456789</v></c><c r="D2" s="1"><v>0.855</v></c></row>"#,
        );
        let (text, cells) = read_back(&book(r#"<dimension ref="A1:D2"/>"#, rows));
        assert_eq!(text, "unit,x,y,z\ntwo lines,\"say \"\"có\"\", ok\",12.345679%,85.5%\n");
        assert_eq!(
            cells[1],
            [
                "text \"two\\nlines\" `two lines`",
                "text \"say \\\"có\\\", ok\" `\"say \"\"có\"\", ok\"`",
                "ratio 0.123456789 `12.345679%`",
                "ratio 0.855 `85.5%`",
            ]
        );
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
