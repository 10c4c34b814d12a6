//! Data files: the values each unit reported, read from CSV, JSON or (feature `xlsx`) XLSX.
//!
//! CSV is long format, one value per row: `unit,indicator,input,value` (column order free, other
//! columns ignored), or wide, one row per unit with a column per input (`unit,6.12.a,6.12.b`);
//! `,`, `;` and tab separate fields, and title rows above the header are skipped (`table`). JSON
//! is `{"units": {"P01": {"3.1": {"a": 6029, "b": 10000}}}}`. Section fields use the section id
//! as the indicator (`P01,A,4,590000`). Every value is converted to its input's declared type here
//! (`value`, shared with plan data), so evaluation never sees a malformed value; every problem is
//! a diagnostic with a span in the data text. This module parses text and bytes; reading files is
//! the shells' job.

pub(crate) mod columns;
mod json;
pub(crate) mod table;
pub(crate) mod value;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use columns::Columns;
pub use table::{decode, decode_owned};

use crate::map::VecMap;

use crate::diag::{Code, Diagnostic, Hint, Message, Note, Span};
use crate::hash::FxHashMap;
use crate::num::Locale;
use crate::sema::Value;
use crate::sema::{Env, Ty};
use json::Json;
#[cfg(not(target_family = "wasm"))]
use table::WideRow;
use table::{Entry, HeaderRules, Visit};
use value::{convert, nfc, Raw};

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
    pub values: VecMap<String, VecMap<String, Value>>,
}

impl Dataset {
    /// The unit with this id, added at the end when new. `positions` indexes `units` by id so
    /// that loading stays linear in the number of rows.
    fn unit_mut(&mut self, positions: &mut FxHashMap<String, usize>, id: &str) -> &mut UnitData {
        let pos = match positions.get(id) {
            Some(p) => *p,
            None => {
                self.units.push(UnitData { id: id.to_string(), values: VecMap::new() });
                positions.insert(id.to_string(), self.units.len() - 1);
                self.units.len() - 1
            }
        };
        // PANIC SAFETY: `pos` is an index of `units`, found or just pushed.
        #[allow(clippy::indexing_slicing)]
        &mut self.units[pos]
    }
}

/// A cohort's reported values, however they are held ([`Dataset`] by unit, [`Columns`] by
/// input): what the checks after loading (`roster`, `eval::assume`) read.
pub trait Reported {
    /// The number of units.
    fn unit_count(&self) -> usize;
    /// Unit `u`'s id.
    fn unit_id(&self, u: usize) -> &str;
    /// Unit `u`'s values of an indicator (or section), by input; `None` when it reported none.
    fn unit_values(&self, u: usize, ind: &str) -> Option<std::borrow::Cow<'_, VecMap<String, Value>>>;
    /// Whether unit `u` reported this input.
    fn has_value(&self, u: usize, ind: &str, input: &str) -> bool;
    /// How many of `inputs` (indicator, input) each unit reported.
    fn reported_counts(&self, inputs: &[(&String, &String)]) -> Vec<usize> {
        (0..self.unit_count())
            .map(|u| inputs.iter().filter(|(ind, input)| self.has_value(u, ind, input)).count())
            .collect()
    }
}

impl Reported for Dataset {
    fn unit_count(&self) -> usize {
        self.units.len()
    }
    fn unit_id(&self, u: usize) -> &str {
        self.units.get(u).map_or("", |x| x.id.as_str())
    }
    fn unit_values(&self, u: usize, ind: &str) -> Option<std::borrow::Cow<'_, VecMap<String, Value>>> {
        self.units.get(u).and_then(|x| x.values.get(ind)).map(std::borrow::Cow::Borrowed)
    }
    fn has_value(&self, u: usize, ind: &str, input: &str) -> bool {
        self.units.get(u).and_then(|x| x.values.get(ind)).is_some_and(|v| v.contains_key(input))
    }
}

impl Reported for Columns {
    fn unit_count(&self) -> usize {
        self.len()
    }
    fn unit_id(&self, u: usize) -> &str {
        self.id(u).unwrap_or_default()
    }
    fn unit_values(&self, u: usize, ind: &str) -> Option<std::borrow::Cow<'_, VecMap<String, Value>>> {
        self.values(u, ind).map(std::borrow::Cow::Owned)
    }
    fn has_value(&self, u: usize, ind: &str, input: &str) -> bool {
        self.column(ind, input).is_some_and(|c| c.has(u))
    }
    /// Column by column: each input is looked up once, not once per unit.
    fn reported_counts(&self, inputs: &[(&String, &String)]) -> Vec<usize> {
        let mut counts = vec![0; self.len()];
        for column in inputs.iter().filter_map(|(ind, input)| self.column(ind, input)) {
            for (u, count) in counts.iter_mut().enumerate() {
                *count += usize::from(column.has(u));
            }
        }
        counts
    }
}

/// The format of a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Delimited text: CSV with `,` or `;`, or tab-separated ("Unicode text").
    Csv,
    /// JSON.
    Json,
}

/// Reads a data file. `locale` is the locale stated for this run (`--locale`); without one, the
/// rulebook's `locale` applies, and without that, numbers that read differently in `en` and `vi`
/// are refused. Returns the dataset (with every well-formed value) and the diagnostics; the
/// dataset should not be scored when a diagnostic is an error.
pub fn load(text: &str, format: Format, env: &Env, locale: Option<Locale>) -> (Dataset, Vec<Diagnostic>) {
    if let Some(d) = too_large(text) {
        return (Dataset::default(), vec![d]);
    }
    let mut loader = Loader::new(env, locale, text);
    match format {
        Format::Csv => loader.csv(),
        Format::Json => loader.json(),
    }
    let mut diags = std::mem::take(&mut loader.diags);
    loader.note_repeats(&mut diags);
    (loader.data, diags)
}

/// [`load`], into columns: the same reading, conversions and diagnostics, the values held one
/// vector per input (for large cohorts; see `data/columns.rs`).
pub fn load_columns(text: &str, format: Format, env: &Env, locale: Option<Locale>) -> (Columns, Vec<Diagnostic>) {
    if let Some(d) = too_large(text) {
        return (Columns::default(), vec![d]);
    }
    let mut loader = Loader::new(env, locale, text);
    loader.columns = Some(Columns::default());
    match format {
        Format::Csv => loader.csv(),
        Format::Json => loader.json(),
    }
    let mut diags = std::mem::take(&mut loader.diags);
    loader.note_repeats(&mut diags);
    (loader.columns.unwrap_or_default(), diags)
}

/// The largest data text read: diagnostics locate cells by 32-bit byte offsets (`Span`), so a
/// larger file is refused whole rather than read with errors pointing at the wrong place.
pub const MAX_DATA_BYTES: usize = u32::MAX as usize;

/// The E0801 error for a data text larger than [`MAX_DATA_BYTES`].
pub(crate) fn too_large(text: &str) -> Option<Diagnostic> {
    refused_size(text.len())
}

/// The E0801 error for a data text of `bytes` bytes, when that is too many.
pub fn refused_size(bytes: usize) -> Option<Diagnostic> {
    // Compared as 64-bit numbers: where `usize` is 32 bits (the browser's module), no text can
    // be too large, and a `usize` comparison would be one clippy refuses as always false.
    (bytes as u64 > MAX_DATA_BYTES as u64).then(|| {
        let message = Message::DataTooLarge { bytes: bytes as u64, max: MAX_DATA_BYTES as u64 };
        Diagnostic::new(Code::E0801, Span::new(0, 0), message)
    })
}

/// The help shown when a scoring data file has no header row.
const HEADER_HELP: Hint = Hint::Header { plan: false };

pub(crate) struct Loader<'a> {
    env: &'a Env,
    locale: Option<Locale>,
    data: Dataset,
    positions: FxHashMap<String, usize>,
    /// The row of the last entry (`Entry::row`) and its unit's position in `columns`: a loader
    /// reads one table, whose rows are counted.
    row_unit: Option<(usize, usize)>,
    /// When set, values are stored here rather than in `data`.
    columns: Option<Columns>,
    diags: Vec<Diagnostic>,
    text: &'a str,
    /// For a sheet: its name and the rows of its text, so that messages name the cell (`Sheet1!C7`).
    sheet: Option<(String, crate::diag::LineIndex<'a>)>,
    /// Values ignored for want of a declaration, by (indicator, input): W0803 is given once per
    /// pair (a column of 10,000 cells the rulebook does not declare is one warning, not 10,000),
    /// and says where else and how often.
    ignored: Vec<Ignored>,
    /// Where in `ignored` each (indicator, input) is, by [`pair_key`].
    ignored_by_pair: FxHashMap<String, usize>,
    /// Every declared (indicator, input) met so far, with its type, bounds and storage, so that
    /// they are looked up once per input, not once per cell.
    resolved: Vec<Resolved<'a>>,
    /// Where in `resolved` each (indicator, input) is, by [`pair_key`].
    resolved_by_pair: FxHashMap<String, usize>,
    /// Each table column's last input in `resolved`: a wide file's column is the same input on
    /// every row, so most cells need no lookup at all.
    last_by_column: Vec<Option<usize>>,
    /// Each table column's last ignored pair in `ignored`: a wide file's column of an undeclared
    /// input is skipped cell after cell without building its key.
    ignored_by_column: Vec<Option<usize>>,
    /// What each column of a wide table holds, once [`Loader::put`] has resolved it
    /// ([`Entry::fixed`]): its cells are then stored, or counted as ignored, without a lookup.
    fixed_by_column: Vec<Fixed>,
    /// [`pair_key`]'s buffer, reused for every long-format row.
    key: String,
    /// The last value reported twice: its unit, the start of its row in the text, its
    /// diagnostic and how many of the row's values it counts.
    twice_in_row: Option<(String, usize, usize, usize)>,
    /// Whether the text is a delimited table (one row per line).
    tabular: bool,
}

/// A table column's input, as [`Loader::put`] finds it.
struct Resolved<'a> {
    ind: String,
    input: String,
    ty: &'a Ty,
    bounds: Option<&'a crate::sema::InputBounds>,
    /// Where its values are stored, once one is.
    column: Option<usize>,
    /// The input met next in the same table column the last time (a long file lists each
    /// unit's inputs in the same order): tried before any lookup.
    next: Option<usize>,
}

/// A wide table's column, as its first cells resolved it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Fixed {
    /// Not resolved yet (or its cells need [`Loader::put`]'s every check).
    #[default]
    Unresolved,
    /// An undeclared input, at this position of `ignored`.
    Ignored(usize),
    /// A whole-number input stored in this column of `columns`, whose plain digits need no check
    /// but, with `positive`, that they are above 0 (what [`Loader::put`] checks of them).
    Plain { column: usize, positive: bool },
}

impl Fixed {
    /// Whether the plain digits `n` of this column are stored (or counted as ignored) without
    /// [`Loader::put`]: a `positive` input's 0 goes there, to be refused with its reason.
    fn takes(self, n: i64) -> bool {
        match self {
            Fixed::Plain { positive, .. } => !positive || n > 0,
            Fixed::Ignored(_) => true,
            Fixed::Unresolved => false,
        }
    }
}

/// Where the W0803 of an ignored (indicator, input) is, and its repeats.
struct Ignored {
    /// The pair.
    ind: String,
    input: String,
    /// Its position in the diagnostics it was added to.
    first: usize,
    /// The second place, and how many after it.
    again: Option<(Span, usize)>,
}

impl Ignored {
    /// One more value of the pair, at `span`.
    fn count_again(&mut self, span: Span) {
        match &mut self.again {
            Some((_, more)) => *more += 1,
            None => self.again = Some((span, 0)),
        }
    }
}

impl Visit for Loader<'_> {
    fn entry(&mut self, e: Entry<'_>, diags: &mut Vec<Diagnostic>) {
        Loader::entry(self, e, diags);
    }

    #[cfg(not(target_family = "wasm"))]
    fn takes_wide_rows(&self) -> bool {
        Loader::takes_wide_rows(self)
    }

    #[cfg(not(target_family = "wasm"))]
    fn wide_row(&mut self, row: &WideRow<'_>, diags: &mut Vec<Diagnostic>) -> bool {
        Loader::wide_row(self, row, diags)
    }
}

/// How many lines of `text` start at or after byte `from` (the line holding it included).
fn lines_after(text: &str, from: usize) -> usize {
    let rest = text.as_bytes().get(from..).unwrap_or_default();
    // A count of equal bytes, which compiles to wide compares: milliseconds for a large file.
    rest.iter().filter(|b| **b == b'\n').count() + 1
}

/// `slots[at] = Some(k)`, the vector grown as needed.
fn set_at(slots: &mut Vec<Option<usize>>, at: usize, k: usize) {
    if slots.len() <= at {
        slots.resize(at + 1, None);
    }
    if let Some(slot) = slots.get_mut(at) {
        *slot = Some(k);
    }
}

/// The rulebook's indicator (or section) and input of a wide column header: the input that
/// declares it as its `column`, else, for a header such as `6.12.a` or `A.4`, the longest
/// indicator id that the header starts with.
pub(crate) fn split_column(env: &Env, header: &str) -> Option<(String, String)> {
    if !env.columns.is_empty() {
        if let Some(declared) = env.columns.get(&crate::sema::env::column_key(header)) {
            return Some((declared.indicator.clone(), declared.input.clone()));
        }
    }
    let mut best = None;
    for (i, _) in header.match_indices('.') {
        let (ind, input) = (&header[..i], &header[i + 1..]);
        if env.indicators.contains_key(ind) || env.sections.contains_key(ind) {
            best = Some((ind.to_string(), input.to_string()));
        }
    }
    best
}

/// A cell of plain digits for a count, number, money or points input: the whole number it is,
/// which [`convert`] reads the same in every locale and accepts for these types. (A percent needs
/// its `%`; a yes/no `1` is not a number.)
fn plain_digits(ty: &Ty, raw: &Raw<'_>) -> Option<i64> {
    let (Ty::Count | Ty::Number | Ty::Money | Ty::Points, Raw::Text(t) | Raw::Number(t)) = (ty, raw) else {
        return None;
    };
    value::plain_integer(t)
}

/// `indicator` and `input` as one key, in `buffer`: the indicator's length first, so that no
/// two pairs share a key whatever characters a data file puts in them.
fn pair_key<'k>(buffer: &'k mut String, ind: &str, input: &str) -> &'k str {
    buffer.clear();
    // Without the formatting machinery: this runs for every cell whose input is not predicted.
    crate::num::push_digits64(ind.len() as u64, 1, buffer);
    buffer.push(':');
    buffer.push_str(ind);
    buffer.push_str(input);
    buffer
}

/// The cell reference of a 0-based column and a 1-based row: `C7`.
pub(crate) fn cell_ref(column: usize, row: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &row.to_string()
}

impl<'a> Loader<'a> {
    pub(crate) fn new(env: &'a Env, locale: Option<Locale>, text: &'a str) -> Loader<'a> {
        Loader {
            env,
            locale: locale.or(env.locale),
            data: Dataset::default(),
            positions: FxHashMap::default(),
            row_unit: None,
            columns: None,
            diags: Vec::new(),
            text,
            sheet: None,
            ignored: Vec::new(),
            ignored_by_pair: FxHashMap::default(),
            resolved: Vec::new(),
            resolved_by_pair: FxHashMap::default(),
            last_by_column: Vec::new(),
            ignored_by_column: Vec::new(),
            fixed_by_column: Vec::new(),
            key: String::new(),
            twice_in_row: None,
            tabular: false,
        }
    }

    /// Labels each W0803 whose value was ignored again with the second place and the count of
    /// the others (`diags`: the diagnostics the entries were read into).
    pub(crate) fn note_repeats(&mut self, diags: &mut [Diagnostic]) {
        self.ignored_by_pair.clear();
        for ignored in std::mem::take(&mut self.ignored) {
            if let (Some((span, more)), Some(d)) = (ignored.again, diags.get_mut(ignored.first)) {
                d.labels.push(crate::diag::Label { span, text: Note::AlsoIgnored { more } });
            }
        }
    }

    fn csv(&mut self) {
        self.tabular = true;
        let env = self.env;
        let split = move |h: &str| split_column(env, h);
        let rules = HeaderRules { help: HEADER_HELP, split: Some(&split) };
        let mut diags = std::mem::take(&mut self.diags);
        let text = self.text;
        table::read_delimited(text, &rules, false, &mut diags, self);
        diags.append(&mut self.diags);
        self.diags = diags;
    }

    /// Whether rows are read whole (into columns, not a dataset's maps).
    #[cfg(not(target_family = "wasm"))]
    fn takes_wide_rows(&self) -> bool {
        self.columns.is_some()
    }

    /// A wide table's row read at once (`Visit::wide_row`), when every value of it is plain
    /// digits (or empty) of a column already resolved to a whole-number input or an ignored one:
    /// what `entry` would store and count of each cell, without an entry per cell. The row is
    /// checked whole before anything is stored, so a row refused is then read cell by cell.
    #[cfg(not(target_family = "wasm"))]
    fn wide_row(&mut self, r: &WideRow<'_>, diags: &mut Vec<Diagnostic>) -> bool {
        let Some(c) = &mut self.columns else { return false };
        // An id as `cell_text` leaves it: trimming and NFC change nothing of visible ASCII.
        let unit = match r.field(r.unit) {
            Some((u, _)) if !u.is_empty() && u.bytes().all(|b| b.is_ascii_graphic()) => u,
            _ => return false,
        };
        let fixed_by = &self.fixed_by_column;
        let fixed = |i: usize| fixed_by.get(i).copied().unwrap_or_default();
        // Checked whole first (nothing stored), then stored: two passes over the row's cells.
        for (i, _, _) in r.columns {
            match r.cells.get(*i) {
                Some(table::Plain::Empty) => {}
                Some(table::Plain::Int(n)) if fixed(*i).takes(*n) && r.fields.get(*i).is_some() => {}
                _ => return false,
            }
        }
        let position = c.unit(unit);
        self.row_unit = Some((r.row, position));
        // The values the unit had already reported, told after storing the row (in column order,
        // as cell by cell).
        let mut twice = Vec::new();
        for (i, _, _) in r.columns {
            let (Some(table::Plain::Int(n)), Some(&(start, end))) = (r.cells.get(*i), r.fields.get(*i)) else {
                continue;
            };
            match fixed(*i) {
                Fixed::Plain { column, .. } => {
                    if c.set_integer(column, position, *n) {
                        twice.push((*i, Span::new(start, end)));
                    }
                }
                Fixed::Ignored(k) => {
                    if let Some(ignored) = self.ignored.get_mut(k) {
                        ignored.count_again(Span::new(start, end));
                    }
                }
                Fixed::Unresolved => {}
            }
        }
        for (i, span) in twice {
            if let Some((_, ind, input)) = r.columns.iter().find(|(j, _, _)| *j == i) {
                self.reported_twice(unit, (ind, input), span, None, diags);
            }
        }
        true
    }

    /// One entry of a table.
    pub(crate) fn entry(&mut self, e: Entry<'_>, diags: &mut Vec<Diagnostic>) {
        // A wide table's columns resolved once (`Fixed`): in native builds, where files of a
        // million rows are read; the browser's module reads each cell as any other (the same
        // values and messages), and stays smaller without this code.
        let wide = e.fixed && cfg!(not(target_family = "wasm"));
        // Every unit of the file is a unit of the cohort, even one without a value.
        let position = match &mut self.columns {
            Some(c) => match self.row_unit {
                // A wide table's first row: one unit a row, at most as many as there are lines.
                None if wide && self.tabular => {
                    c.reserve_units(lines_after(self.text, e.span.start as usize));
                    let p = c.unit(e.unit);
                    self.row_unit = Some((e.row, p));
                    p
                }
                Some((row, p)) if row == e.row => p,
                _ => {
                    let p = c.unit(e.unit);
                    self.row_unit = Some((e.row, p));
                    p
                }
            },
            None => {
                self.data.unit_mut(&mut self.positions, e.unit);
                0
            }
        };
        let Some(raw) = e.raw else { return };
        let fixed = match wide {
            true => self.fixed_by_column.get(e.column).copied().unwrap_or_default(),
            false => Fixed::Unresolved,
        };
        match (fixed, &mut self.columns) {
            (Fixed::Ignored(k), _) => {
                if let Some(ignored) = self.ignored.get_mut(k) {
                    ignored.count_again(e.span);
                }
                return;
            }
            (Fixed::Plain { column, .. }, Some(c)) => {
                // What `put` stores of plain digits, without its lookups.
                if let Some(n) = plain_digits(&Ty::Count, &raw).filter(|n| fixed.takes(*n)) {
                    if c.set_integer(column, position, n) {
                        let at = self.cell_at(&e);
                        self.reported_twice(e.unit, (e.indicator, e.input), e.span, at.as_ref(), diags);
                    }
                    return;
                }
            }
            _ => {}
        }
        let at = self.cell_at(&e);
        self.put((e.unit, position), (e.indicator, e.input, e.column), raw, e.span, at.as_ref(), diags);
        if wide && fixed == Fixed::Unresolved {
            self.resolve_fixed(e.column);
        }
    }

    /// A sheet's cell reference of an entry (`Sheet1!C7`), for messages.
    fn cell_at(&self, e: &Entry<'_>) -> Option<String> {
        self.sheet.as_ref().map(|(name, lines)| {
            let row = lines.line_col(e.span.start).line as usize;
            format!("{name}!{}", cell_ref(e.column, row))
        })
    }

    /// Records what `put` found the wide table column `table_column` to be, when its cells can
    /// skip `put` from now on.
    fn resolve_fixed(&mut self, table_column: usize) {
        let ignored = self.ignored_by_column.get(table_column).copied().flatten();
        let resolved = self.last_by_column.get(table_column).copied().flatten().and_then(|k| self.resolved.get(k));
        let fixed = match (ignored, resolved) {
            (Some(k), _) => Fixed::Ignored(k),
            (None, Some(r)) => {
                let whole = matches!(r.ty, Ty::Count | Ty::Number | Ty::Money | Ty::Points);
                let plain_bounds = r.bounds.is_none_or(|b| b.at_least.is_none() && b.at_most.is_none());
                match (r.column, whole && plain_bounds) {
                    (Some(column), true) => Fixed::Plain { column, positive: r.bounds.is_some_and(|b| b.positive) },
                    _ => return,
                }
            }
            (None, None) => return,
        };
        if self.fixed_by_column.len() <= table_column {
            self.fixed_by_column.resize(table_column + 1, Fixed::Unresolved);
        }
        if let Some(slot) = self.fixed_by_column.get_mut(table_column) {
            *slot = fixed;
        }
    }

    fn json(&mut self) {
        let mut diags = std::mem::take(&mut self.diags);
        read_json(self.text, false, &mut diags, &mut |e, diags| self.entry(e, diags));
        diags.append(&mut self.diags);
        self.diags = diags;
    }

    /// Stores one value of unit `unit` (its id, and its position in `columns` when reading into
    /// columns), converted to its input's type, or says why it cannot.
    fn put(
        &mut self,
        (unit, position): (&str, usize),
        (ind, input, table_column): (&str, &str, usize),
        raw: Raw<'_>,
        span: Span,
        at: Option<&String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let memo = self.ignored_by_column.get(table_column).copied().flatten();
        if let Some(ignored) = memo.and_then(|k| self.ignored.get_mut(k)).filter(|i| i.ind == ind && i.input == input) {
            ignored.count_again(span);
            return;
        }
        let (ty, bounds, stored, at_resolved) = match self.resolve(ind, input, table_column) {
            Some(k) => match self.resolved.get(k) {
                Some(r) => (r.ty, r.bounds, r.column, k),
                None => return,
            },
            None => {
                let known = if self.ignored.is_empty() {
                    None
                } else {
                    self.ignored_by_pair.get(pair_key(&mut self.key, ind, input)).copied()
                };
                if let Some(k) = known {
                    set_at(&mut self.ignored_by_column, table_column, k);
                    if let Some(ignored) = self.ignored.get_mut(k) {
                        ignored.count_again(span);
                    }
                    return;
                }
                let Some(ty) = self.input_type(ind, input, span, at, diags) else {
                    if let Some(first) = diags.len().checked_sub(1) {
                        let k = self.ignored.len();
                        self.ignored_by_pair.insert(pair_key(&mut self.key, ind, input).to_string(), k);
                        self.ignored.push(Ignored {
                            ind: ind.to_string(),
                            input: input.to_string(),
                            first,
                            again: None,
                        });
                        set_at(&mut self.ignored_by_column, table_column, k);
                    }
                    return;
                };
                let env: &'a Env = self.env;
                let bounds =
                    env.indicators.get(ind).and_then(|i| i.bounds.iter().find(|(n, _)| n == input)).map(|(_, b)| b);
                let k = self.resolved.len();
                self.resolved.push(Resolved {
                    ind: ind.to_string(),
                    input: input.to_string(),
                    ty,
                    bounds,
                    column: None,
                    next: None,
                });
                self.resolved_by_pair.insert(pair_key(&mut self.key, ind, input).to_string(), k);
                self.remember(table_column, k);
                (ty, bounds, None, k)
            }
        };
        // Plain digits in a whole-number column, into columns: stored as they are, without a
        // `Value` (what `convert` and `Columns::set` would store, at a fraction of the cost: most
        // cells of a large file are such). Of the bounds, `positive` is checked here (a count
        // above 0); a value against it, or any other bound, takes the path that says why.
        let plain = plain_digits(ty, &raw)
            .filter(|n| bounds.is_none_or(|b| b.at_least.is_none() && b.at_most.is_none() && (!b.positive || *n > 0)));
        if let (Some(c), Some(n)) = (&mut self.columns, plain) {
            let u = position;
            let column = stored.unwrap_or_else(|| c.column_for(ind, input));
            if let Some(r) = self.resolved.get_mut(at_resolved) {
                r.column = Some(column);
            }
            if c.set_integer(column, u, n) {
                self.reported_twice(unit, (ind, input), span, at, diags);
            }
            return;
        }
        let value = match convert(ty, &raw, self.locale, bounds.and_then(|b| b.at_least.as_ref())) {
            Ok(v) => v,
            Err(why) => {
                diags.push(Diagnostic::new(
                    Code::E0802,
                    span,
                    Message::BadValue {
                        at: at.cloned(),
                        unit: unit.to_string(),
                        id: ind.to_string(),
                        input: input.to_string(),
                        value: raw.shown(),
                        ty: ty.unit(),
                        why,
                    },
                ));
                return;
            }
        };
        if let (Some(b), Value::Num(n)) = (bounds, &value) {
            if let Some(why) = b.violation(n) {
                diags.push(Diagnostic::new(
                    Code::E0802,
                    span,
                    Message::OutsideBounds {
                        at: at.cloned(),
                        unit: unit.to_string(),
                        id: ind.to_string(),
                        input: input.to_string(),
                        value: n.clone(),
                        why,
                    },
                ));
                return;
            }
        }
        let twice = match &mut self.columns {
            Some(c) => {
                let u = position;
                let column = stored.unwrap_or_else(|| c.column_for(ind, input));
                if let Some(r) = self.resolved.get_mut(at_resolved) {
                    r.column = Some(column);
                }
                c.set(column, u, value)
            }
            None => {
                let slot = self.data.unit_mut(&mut self.positions, unit).values.entry(ind.to_string()).or_default();
                slot.insert(input.to_string(), value).is_some()
            }
        };
        if twice {
            self.reported_twice(unit, (ind, input), span, at, diags);
        }
    }

    /// E0802 for a value the unit already reported. The values of one row (a wide file's row
    /// pasted twice) make one diagnostic that counts them, not one per cell.
    fn reported_twice(
        &mut self,
        unit: &str,
        (ind, input): (&str, &str),
        span: Span,
        at: Option<&String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        // A table's rows are the text's lines (a JSON file's values are not rows).
        let tabular = self.tabular || self.sheet.is_some();
        let row = self.text.get(..span.start as usize).and_then(|t| t.rfind('\n')).map_or(0, |p| p + 1);
        if let (true, Some((u, r, k, count))) = (tabular, &mut self.twice_in_row) {
            if *u == unit && *r == row {
                if let Some(d) = diags.get_mut(*k) {
                    *count += 1;
                    let at = match &*d.message {
                        Message::ReportedTwice { at, .. } | Message::RowReportedTwice { at, .. } => at.clone(),
                        _ => None,
                    };
                    d.message = Message::RowReportedTwice { at, unit: unit.to_string(), count: *count }.into();
                    return;
                }
            }
        }
        self.twice_in_row = Some((unit.to_string(), row, diags.len(), 1));
        diags.push(Diagnostic::new(
            Code::E0802,
            span,
            Message::ReportedTwice {
                at: at.cloned(),
                unit: unit.to_string(),
                id: ind.to_string(),
                input: input.to_string(),
            },
        ));
    }

    /// The position in `resolved` of a declared (indicator, input) already met: the table
    /// column's last input when it is the same (a wide file), else by the pair (a long file).
    fn resolve(&mut self, ind: &str, input: &str, table_column: usize) -> Option<usize> {
        let is = |r: &Resolved| r.ind == ind && r.input == input;
        let last = self.last_by_column.get(table_column).copied().flatten();
        if let Some(k) = last {
            let r = self.resolved.get(k)?;
            if is(r) {
                return Some(k);
            }
            if let Some(next) = r.next.filter(|n| self.resolved.get(*n).is_some_and(is)) {
                self.remember(table_column, next);
                return Some(next);
            }
        }
        let k = *self.resolved_by_pair.get(pair_key(&mut self.key, ind, input))?;
        self.remember(table_column, k);
        Some(k)
    }

    /// `k` is the table column's input now, and the one after its previous input.
    fn remember(&mut self, table_column: usize, k: usize) {
        if self.last_by_column.len() <= table_column {
            self.last_by_column.resize(table_column + 1, None);
        }
        if let Some(slot) = self.last_by_column.get_mut(table_column) {
            if let Some(before) = slot.and_then(|b| self.resolved.get_mut(b)) {
                before.next = Some(k);
            }
            *slot = Some(k);
        }
    }

    /// The declared type of an indicator's input or a section's field; W0803 when there is none.
    fn input_type(
        &self,
        ind: &str,
        input: &str,
        span: Span,
        at: Option<&String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'a Ty> {
        let env: &'a Env = self.env;
        if let Some(info) = env.indicators.get(ind) {
            if let Some((_, t)) = info.inputs.iter().find(|(n, _)| n == input) {
                return Some(t);
            }
            let inputs = info.inputs.iter().map(|(n, _)| n.clone()).collect();
            let d = Diagnostic::new(
                Code::W0803,
                span,
                Message::NoInputIgnored { at: at.cloned(), id: ind.to_string(), input: input.to_string(), inputs },
            );
            diags.push(self.with_id_hint(d, ind, Some(input)));
        } else if let Some(sec) = env.sections.get(ind) {
            if let Some((_, _, t)) = sec.fields.iter().find(|(n, _, _)| n == input) {
                return Some(t);
            }
            diags.push(Diagnostic::new(
                Code::W0803,
                span,
                Message::NoFieldIgnored { at: at.cloned(), section: ind.to_string(), field: input.to_string() },
            ));
        } else {
            let d = Diagnostic::new(
                Code::W0803,
                span,
                Message::NoIndicatorIgnored { at: at.cloned(), id: ind.to_string() },
            );
            diags.push(self.with_id_hint(d, ind, None));
        }
        None
    }

    /// Adds the likely cause when `id` is an indicator id that Excel read as a number: `6.10`
    /// became 6.1 (trailing zeros dropped) or, in a Vietnamese Excel, `6,1`. The value would
    /// otherwise be dropped, or attributed to indicator 6.1, without a word about why.
    fn with_id_hint(&self, d: Diagnostic, id: &str, input: Option<&str>) -> Diagnostic {
        let numeric = !id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',');
        if !numeric {
            return d;
        }
        let dotted = id.replace(',', ".");
        let has_input = |candidate: &str| {
            self.env
                .indicators
                .get(candidate)
                .is_some_and(|info| input.is_none_or(|i| info.inputs.iter().any(|(n, _)| n == i)))
        };
        let candidates = [dotted.clone(), format!("{dotted}0"), format!("{dotted}00")];
        match candidates.into_iter().find(|c| c != id && has_input(c)) {
            Some(meant) => d.with_help(Hint::IdReadAsNumber { typed: id.to_string(), meant }),
            None => d,
        }
    }
}

/// Reads `{"units": {UNIT: {ID: {INPUT: value}}}}`: every member, in order, duplicates reported at
/// their second occurrence (E0801 for a unit or id, E0802 for a value, as CSV reports it).
/// `plan`: plan data (targets and tasks, their values), for the messages.
pub(crate) fn read_json(
    text: &str,
    plan: bool,
    diags: &mut Vec<Diagnostic>,
    visit: &mut dyn FnMut(Entry<'_>, &mut Vec<Diagnostic>),
) {
    // Validation only (the numbers are read as written by `json::parse`): `IgnoredAny` scans a
    // number without converting it, so 1e400 or 40 digits are not refused as out of range here.
    // For a file that is not JSON, a `Value` parse says what is wrong more plainly ("trailing
    // comma" where skipping says "key must be a string").
    if let Err(skipped) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let e = match serde_json::from_str::<serde_json::Value>(text) {
            Err(e) if e.is_syntax() || e.is_eof() => e,
            _ => skipped,
        };
        let offset = offset_of(text, e.line(), e.column());
        diags.push(Diagnostic::new(
            Code::E0801,
            Span::new(offset, offset),
            Message::MalformedJson { error: e.to_string() },
        ));
        return;
    }
    let shape_error =
        || Diagnostic::new(Code::E0801, Span::new(0, 0), Message::JsonShape).with_help(Hint::JsonExample { plan });
    let mut marks: Option<(Span, usize)> = None;
    let mut seen_units = FxHashMap::default();
    let mut row_of_unit = 0;
    // Where line and column of a first occurrence are told: made once, when first needed.
    let mut lines = None;
    // Each unit as soon as it is parsed: the file's tree is never held whole.
    let mut on_unit = |u: json::Member<'_>| {
        row_of_unit += 1;
        let unit = nfc(&u.key);
        if twice(&mut seen_units, &unit, u.key_span, None, diags) {
            return;
        }
        let Json::Object(inds) = &u.value else {
            diags.push(Diagnostic::new(
                Code::E0801,
                u.key_span,
                Message::UnitNotObject { unit: unit.to_string(), plan },
            ));
            return;
        };
        // The unit exists even if none of its values can be read.
        let row = row_of_unit;
        let e =
            Entry { unit: &unit, indicator: "", input: "", raw: None, span: u.key_span, column: 0, row, fixed: false };
        visit(e, diags);
        let mut seen_inds = FxHashMap::default();
        for i in inds {
            let ind = nfc(&i.key);
            if twice(&mut seen_inds, &ind, i.key_span, Some(&unit), diags) {
                continue;
            }
            let Json::Object(inputs) = &i.value else {
                diags.push(Diagnostic::new(
                    Code::E0801,
                    i.key_span,
                    Message::IdNotObject { unit: unit.to_string(), id: ind.to_string(), plan },
                ));
                continue;
            };
            let mut seen_inputs: VecMap<String, Span> = VecMap::new();
            for n in inputs {
                let input = nfc(&n.key);
                let span = n.key_span;
                if let Some(first) = seen_inputs.get(input.as_ref()) {
                    let at = lines.get_or_insert_with(|| crate::diag::LineIndex::new(text)).line_col(first.start);
                    diags.push(Diagnostic::new(
                        Code::E0802,
                        span,
                        Message::ReportedTwiceAt {
                            unit: unit.to_string(),
                            id: ind.to_string(),
                            input: input.to_string(),
                            line: at.line,
                            column: at.col,
                        },
                    ));
                    continue;
                }
                seen_inputs.insert(input.to_string(), span);
                let raw = match &n.value {
                    Json::Null => None,
                    Json::Bool(b) => Some(Raw::Bool(*b)),
                    Json::Number(x) => Some(Raw::Number(x)),
                    Json::String(s) if s.trim().is_empty() => None,
                    Json::String(s) if value::is_not_reported_mark(s) => {
                        marks.get_or_insert((span, 0)).1 += 1;
                        None
                    }
                    Json::String(s) => Some(Raw::Text(s)),
                    Json::Array | Json::Object(_) => {
                        diags.push(Diagnostic::new(
                            Code::E0802,
                            span,
                            Message::JsonValueKind {
                                unit: unit.to_string(),
                                id: ind.to_string(),
                                input: input.to_string(),
                            },
                        ));
                        continue;
                    }
                };
                let e = Entry { unit: &unit, indicator: &ind, input: &input, raw, span, column: 0, row, fixed: false };
                visit(e, diags);
            }
        }
    };
    let shaped = json::for_each_member_of(text, "units", &mut on_unit);
    if shaped != Some(true) {
        diags.push(shape_error());
        return;
    }
    if let Some((span, n)) = marks {
        diags.extend(table::marks_note(span, n));
    }
}

/// Whether `key` was already in this JSON object: then E0801 at its second occurrence.
/// `unit`: the unit whose object it is; `None`: the `units` object.
fn twice(
    seen: &mut FxHashMap<String, Span>,
    key: &str,
    span: Span,
    unit: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if seen.contains_key(key) {
        diags.push(
            Diagnostic::new(
                Code::E0801,
                span,
                Message::KeyTwice { key: key.to_string(), unit: unit.map(str::to_string) },
            )
            .with_help(Hint::MergeObjects),
        );
        return true;
    }
    seen.insert(key.to_string(), span);
    false
}

/// The byte offset of a 1-based line and column.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The key is the indicator's length, a colon, the indicator and the input, for any length.
    #[test]
    fn pair_keys_spell_the_length() {
        let mut buffer = String::new();
        for ind in ["", "1", "6.12", "5.12.1", &"x".repeat(10), &"ý".repeat(60), &"a".repeat(1234)] {
            assert_eq!(pair_key(&mut buffer, ind, "b"), format!("{}:{ind}b", ind.len()));
        }
    }

    /// Past 4 GiB a span cannot point at a cell: the file is refused whole, with a way out.
    #[test]
    fn a_data_file_past_4_gib_is_refused_whole() {
        assert!(refused_size(MAX_DATA_BYTES).is_none());
        let d = refused_size(MAX_DATA_BYTES + 1).expect("refused");
        assert_eq!(d.code, Code::E0801);
        let (en, vi) = (d.message.render(crate::diag::Lang::En), d.message.render(crate::diag::Lang::Vi));
        assert!(en.contains("4294967296 bytes") && en.contains("one row per unit"), "{en}");
        assert!(vi.contains("4.294.967.296 byte") && vi.contains("mỗi đơn vị một dòng"), "{vi}");
    }

    const RULES: &str = r#"
agency S "Sở"
indicator 1.5 "Chuyên mục" {
  max 5
  owner S
  input có_mục: yes_no
  input tỷ_lệ: percent
  score = if có_mục and tỷ_lệ >= 50% then max else 0
}
"#;

    fn env() -> Env {
        crate::check(&crate::parse(RULES)).env
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn decomposed_names_and_words_are_read_in_nfc() {
        // `có_mục` with its marks decomposed, as some keyboards and PDF copies write it.
        let csv = "unit,indicator,input,value\nP01,1.5,co\u{301}_mu\u{323}c,co\u{301}\nP01,1.5,tỷ_lệ,50%\n";
        let (data, diags) = load(csv, Format::Csv, &env(), None);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.units[0].values["1.5"]["có_mục"], Value::Bool(true));
    }

    #[test]
    fn hostile_text_is_refused_or_read_without_panic() {
        let env = env();
        let deep = format!("{{\"units\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(codes(&load(&deep, Format::Json, &env, None).1), ["E0801"]);
        // A row of a million empty cells is an empty row; with a unit it is a malformed one.
        let separators =
            format!("unit;indicator;input;value\n{}\nP01{}\n", ";".repeat(1_000_000), ";".repeat(1_000_000));
        let (data, diags) = load(&separators, Format::Csv, &env, None);
        assert_eq!(codes(&diags), ["E0801"]);
        assert!(data.units.is_empty());
        let unclosed = "unit;indicator;input;value\nP01;1.5;tỷ_lệ;\"50%\nP02;1.5;tỷ_lệ;60%\n";
        let (_, diags) = load(unclosed, Format::Csv, &env, None);
        assert_eq!(codes(&diags), ["E0801"]);
        assert!(diags[0].message.to_string().contains("never closed"));
        let (text, d) = decode(&[0xFF, 0xFE, b'u', 0, b'n', 0, 0x00, 0xD8, b'x']);
        assert!(text.starts_with("un") && d.is_some());
    }

    #[test]
    fn a_value_twice_in_json_is_reported_at_the_second() {
        let json = r#"{"units": {"P01": {"1.5": {"tỷ_lệ": "40%", "tỷ_lệ": "60%"}}}}"#;
        let (data, diags) = load(json, Format::Json, &env(), None);
        assert_eq!(codes(&diags), ["E0802"]);
        assert_eq!(diags[0].span.start as usize, json.rfind("\"tỷ_lệ\"").unwrap());
        // The first value is kept and the file is not scored (the diagnostic is an error).
        assert_eq!(data.units[0].values["1.5"]["tỷ_lệ"], Value::Num(crate::num::Num::ratio(2, 5).unwrap()));
    }

    #[test]
    fn cell_references_are_spreadsheet_style() {
        assert_eq!(cell_ref(0, 1), "A1");
        assert_eq!(cell_ref(2, 7), "C7");
        assert_eq!(cell_ref(26, 2), "AA2");
        assert_eq!(cell_ref(16_383, 1_048_576), "XFD1048576");
    }

    /// A wide file's rows read whole (`Loader::wide_row`, into columns) give what reading them
    /// cell by cell gives (into a `Dataset`, which never reads a row whole): the same values and
    /// the same diagnostics, on rows mixing plain digits with what the whole-row reader refuses.
    #[test]
    fn wide_rows_read_whole_are_read_as_cell_by_cell() {
        let rules = r#"
agency S "Sở"
indicator 2.1 "Hồ sơ" {
  max 5
  owner S
  input a: count
  input b: count positive neutral
  input c: percent
  score = if c >= 50% then min(a / b, 1) * max else 0
}
"#;
        let env = crate::check(&crate::parse(rules)).env;
        let cells = ["", "0", "7", "12", "007", "N/A", "12,5", " 3", "\"4\"", "x", "99999999999999999999", "60%", "-"];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..500 {
            let mut csv = String::from("unit,2.1.a,2.1.b,2.1.c,2.1.z,tên\n");
            for _ in 0..next(12) {
                let unit = ["P01", "P02", "P03", " P04", "Hà Nội", ""][next(6)];
                // Mostly plain digits or empty, so that many rows are read whole.
                let row: Vec<&str> = (0..5)
                    .map(|_| {
                        let among = if next(4) != 0 { 5 } else { cells.len() };
                        cells[next(among)]
                    })
                    .collect();
                let width = if next(20) == 0 { 4 } else { 5 };
                csv.push_str(unit);
                for cell in row.iter().take(width) {
                    csv.push(',');
                    csv.push_str(cell);
                }
                csv.push_str(["\n", "\r\n", "\n\n"][next(3)]);
            }
            let (columns, by_row) = load_columns(&csv, Format::Csv, &env, None);
            let (data, by_cell) = load(&csv, Format::Csv, &env, None);
            let shown = |d: &[Diagnostic]| -> Vec<String> {
                d.iter().map(|d| format!("{} {:?} {} {:?}", d.code.as_str(), d.span, d.message, d.labels)).collect()
            };
            assert_eq!(shown(&by_row), shown(&by_cell), "{csv}");
            let ids: Vec<&str> = columns.ids().collect();
            let units: Vec<&str> = data.units.iter().map(|u| u.id.as_str()).collect();
            assert_eq!(ids, units, "{csv}");
            for u in &data.units {
                let position = ids.iter().position(|id| *id == u.id).expect("unit");
                for (input, value) in u.values.get("2.1").into_iter().flatten() {
                    let column = columns.column("2.1", input).expect("column");
                    assert_eq!(column.get(position).as_ref(), Some(value), "{csv}");
                }
            }
        }
    }
}
