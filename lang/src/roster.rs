//! The roster of reporting units, checked against a loaded data file.
//!
//! Input: the symbol table (with the `unit` items of the rulebook, if any), the dataset read by
//! [`crate::data::load`] and the data text (to locate each unit's first row). Output: data
//! diagnostics, in data-file positions.
//!
//! - With a declared roster (`unit P01 "Tỉnh An Phú"`), data for any other unit is an error
//!   (E0820) with the closest declared code as a hint (`KHĐT` → `KHDT`): a mistyped code must not
//!   become a phantom unit that is ranked, while the real unit is scored without its values
//!   (or with its `default`s, as if complete). A declared unit that sent nothing is a warning
//!   (W0821): it is not in the results, so it is neither scored nor ranked.
//! - Without a roster, a unit that reports fewer than half of the rulebook's inputs is a warning
//!   (W0822): most of its scores are not evaluable, and a code with a typo looks exactly so.
//!
//! Runs after loading, separately from the readers, so that every data format gets the same rules.

use crate::map::VecSet;
use std::collections::HashMap;

use crate::data::Reported;
use crate::diag::{Code, Diagnostic, Hint, Message, Span};
use crate::sema::infer::closest;
use crate::sema::Env;

/// The roster checks of a loaded data file.
pub fn check<D: Reported + ?Sized>(env: &Env, data: &D, text: &str) -> Vec<Diagnostic> {
    let at = LazyLocator::new(text);
    let totals = totals_rows(env, data, &at);
    if env.units.is_empty() {
        let mut out = totals;
        out.extend(sparse_units(env, data, &at));
        return out;
    }
    let mut out = totals;
    let declared: Vec<String> = env.unit_order.clone();
    let mut more = 0usize;
    for u in 0..data.unit_count() {
        let id = data.unit_id(u);
        if env.units.contains_key(id) || is_totals_label(id) {
            continue;
        }
        if out.len() == MAX_REPORTED {
            more += 1;
            continue;
        }
        let mut d = Diagnostic::new(
            Code::E0820,
            at.get().unit(id),
            Message::UnitNotInRoster { unit: id.to_string(), count: declared.len() },
        );
        d = match closest(id, declared.iter()).or_else(|| closest_folded(id, &declared)) {
            Some(best) => d.with_help(Hint::DidYouMeanUnit { best: best.clone(), title: named(env, best) }),
            None => d.with_help(Hint::DeclareUnit { code: shown_code(id) }),
        };
        out.push(d);
    }
    if more > 0 {
        let count = declared.len();
        out.push(Diagnostic::new(Code::E0820, Span::default(), Message::MoreNotInRoster { more, count }));
    }
    let sent: VecSet<&str> = FromIterator::from_iter((0..data.unit_count()).map(|u| data.unit_id(u)));
    let silent: Vec<&String> = declared.iter().filter(|c| !sent.contains(c.as_str())).collect();
    if !silent.is_empty() {
        let more = silent.len().saturating_sub(MAX_REPORTED);
        let units = silent.into_iter().take(MAX_REPORTED).map(|c| (c.clone(), named(env, c))).collect();
        out.push(
            Diagnostic::new(Code::W0821, Span::default(), Message::SilentUnits { units, more })
                .with_help(Hint::AddRowsOrRemove),
        );
    }
    out
}

/// E0824: rows whose unit is the label of a sum (`Tổng cộng`, `Total`), the last row of many
/// spreadsheets. Read as a unit it would be scored and ranked, and its values (sums of every
/// unit's) would stretch the cohort's min-max for everyone: a plausible, wrong table. A unit the
/// rulebook declares under such a code is taken at its word.
fn totals_rows<D: Reported + ?Sized>(env: &Env, data: &D, at: &LazyLocator<'_>) -> Vec<Diagnostic> {
    (0..data.unit_count())
        .map(|u| data.unit_id(u))
        .filter(|id| is_totals_label(id) && !env.units.contains_key(*id))
        .take(MAX_REPORTED)
        .map(|id| {
            Diagnostic::new(Code::E0824, at.get().unit(id), Message::TotalsRow { unit: id.to_string() })
                .with_help(Hint::DeleteTotalsRow)
        })
        .collect()
}

/// Whether a unit code is the label of a totals row, whatever its case, accents and spacing
/// (`TỔNG CỘNG`, `Tổng  cộng:`, `Total`).
fn is_totals_label(code: &str) -> bool {
    // Every label is words only: a code with a digit (most codes) is none of them.
    if code.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let folded = crate::case::lowercase(&fold(code));
    let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    matches!(
        words.as_slice(),
        ["tong"]
            | ["tong", "cong"]
            | ["cong"]
            | ["tong", "so"]
            | ["tong", "cong", "toan", "tinh"]
            | ["toan", "tinh"]
            | ["total"]
            | ["totals"]
            | ["grand", "total"]
            | ["sum"]
    )
}

/// W0822 without a roster: units that report fewer than half of the inputs.
fn sparse_units<D: Reported + ?Sized>(env: &Env, data: &D, at: &LazyLocator<'_>) -> Vec<Diagnostic> {
    let inputs: Vec<(&String, &String)> = env
        .indicators
        .iter()
        .filter(|(_, info)| !info.not_scored)
        .flat_map(|(id, info)| info.inputs.iter().map(move |(name, _)| (id, name)))
        .collect();
    if inputs.is_empty() || data.unit_count() < 2 {
        return Vec::new();
    }
    let counts = data.reported_counts(&inputs);
    let sparse = |n: usize| n * 2 < inputs.len();
    // Most files have no sparse unit: the list of full ones below (a string per unit) is then
    // never made.
    if !counts.iter().enumerate().any(|(u, n)| sparse(*n) && !is_totals_label(data.unit_id(u))) {
        return Vec::new();
    }
    // A typo's rows are a few under a code of their own; the code it was meant to be is a unit
    // that reports fully.
    let full: Vec<String> =
        counts.iter().enumerate().filter(|(_, n)| !sparse(**n)).map(|(u, _)| data.unit_id(u).to_string()).collect();
    let mut out = Vec::new();
    let mut more = 0usize;
    for (u, &reported) in counts.iter().enumerate() {
        let id = data.unit_id(u);
        // A totals row has its own error (E0824).
        if !sparse(reported) || is_totals_label(id) {
            continue;
        }
        if out.len() == MAX_REPORTED {
            more += 1;
            continue;
        }
        // Every two-letter code is one edit from many others: suggest only for longer codes.
        let near = if id.chars().count() >= 3 { closest(id, full.iter()) } else { None };
        let help = match near.or_else(|| closest_folded(id, &full)) {
            Some(best) => Hint::TypoOf { unit: id.to_string(), best: best.clone(), code: shown_code(best) },
            None => Hint::DeclareUnits,
        };
        out.push(
            Diagnostic::new(
                Code::W0822,
                at.get().unit(id),
                Message::SparseUnit { unit: id.to_string(), reported, total: inputs.len() },
            )
            .with_help(help),
        );
    }
    if more > 0 {
        out.push(Diagnostic::new(Code::W0822, Span::default(), Message::MoreSparse { more, total: inputs.len() }));
    }
    out
}

/// The most units E0820, W0821 and W0822 name one by one (a wrong roster or a wrong data file
/// would otherwise give one message per row); the rest are counted in one more message.
const MAX_REPORTED: usize = 50;

/// The unit's name, when it has one.
fn named(env: &Env, code: &str) -> Option<String> {
    env.units.get(code).and_then(|u| u.title.clone())
}

/// The code as it would be declared: bare when it is an identifier or a number, else quoted.
fn shown_code(code: &str) -> String {
    let plain = code.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') && !code.is_empty();
    if plain {
        code.to_string()
    } else {
        format!("{code:?}")
    }
}

/// The closest candidate once Vietnamese letters are folded to plain ASCII (`Đ` → `D`, `ơ` → `o`):
/// a code typed with a Vietnamese keyboard layout differs from the declared one in every such
/// letter, too many edits for [`closest`].
fn closest_folded<'a>(code: &str, candidates: &'a [String]) -> Option<&'a String> {
    let key = fold(code);
    candidates.iter().find(|c| fold(c) == key)
}

fn fold(s: &str) -> String {
    use crate::case::{VIETNAMESE_CAPITALS, VIETNAMESE_SMALL};
    // The plain letter of each of VIETNAMESE_SMALL (and, capitalised, of VIETNAMESE_CAPITALS).
    const PLAIN: &str = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";
    let plain = |i: usize| PLAIN.chars().nth(i);
    s.chars()
        .map(|c| match c {
            c if c.is_ascii() => c,
            c => match VIETNAMESE_SMALL.chars().position(|v| v == c).and_then(plain) {
                Some(p) => p,
                None => match VIETNAMESE_CAPITALS.chars().position(|v| v == c).and_then(plain) {
                    Some(p) => p.to_ascii_uppercase(),
                    None => c,
                },
            },
        })
        .collect()
}

/// Where units (and a unit's values for an indicator) are written in a data text, found in one
/// pass over it: a file of thousands of units with as many diagnostics stays linear. CSV (the
/// header names a `unit` and an `indicator` column; `,`, `;` or tab) is indexed by cells; JSON by
/// its keys. A unit that cannot be found is located at the start of the file.
pub struct Locator {
    units: HashMap<String, Span>,
    rows: HashMap<(String, String), Span>,
    /// JSON: every key with the positions it is written at, in order.
    keys: HashMap<String, Vec<Span>>,
}

/// A [`Locator`] built on first use: a data file without diagnostics is not indexed.
pub struct LazyLocator<'a> {
    text: &'a str,
    built: std::cell::OnceCell<Locator>,
}

impl<'a> LazyLocator<'a> {
    /// For `text`, not indexed yet.
    pub fn new(text: &'a str) -> LazyLocator<'a> {
        LazyLocator { text, built: std::cell::OnceCell::new() }
    }
    /// The index.
    pub fn get(&self) -> &Locator {
        self.built.get_or_init(|| Locator::new(self.text))
    }
}

impl Locator {
    /// Indexes a data text.
    pub fn new(text: &str) -> Locator {
        let mut l = Locator { units: HashMap::new(), rows: HashMap::new(), keys: HashMap::new() };
        if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
            l.index_json(text);
        } else {
            l.index_csv(text);
        }
        l
    }

    fn index_csv(&mut self, text: &str) {
        let mut lines = text.split_inclusive('\n').scan(0usize, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        });
        let name = |c: &str| crate::sema::env::column_key(c.trim().trim_matches('"'));
        let find = crate::sema::env::header_position;
        // The header is the first line with a unit column: a sheet may have a title above it.
        let header = lines.by_ref().find_map(|(_, line)| {
            let delimiter = [',', ';', '\t'].into_iter().max_by_key(|d| line.matches(*d).count()).unwrap_or(',');
            let columns: Vec<String> = line.split(delimiter).map(name).collect();
            let unit_col = find(&columns, crate::sema::env::UNIT_HEADERS)?;
            Some((delimiter, columns, unit_col))
        });
        let Some((delimiter, columns, unit_col)) = header else { return };
        let indicator_col = find(&columns, crate::sema::env::INDICATOR_HEADERS);
        for (start, line) in lines {
            let mut cells: Vec<(usize, &str)> = Vec::new();
            let mut at = start;
            for c in line.split(delimiter) {
                cells.push((at, c));
                at += c.len() + delimiter.len_utf8();
            }
            let Some(&(cell_at, raw)) = cells.get(unit_col) else { continue };
            // The cell without its spaces and quotes, and where that text is.
            let lead = raw.len() - raw.trim_start().len();
            let trimmed = raw.trim();
            let quoted = trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"');
            let unit = if quoted { trimmed.get(1..trimmed.len() - 1).unwrap_or(trimmed) } else { trimmed };
            let from = cell_at + lead + usize::from(quoted);
            self.units.entry(unit.to_string()).or_insert(Span::new(from, from + unit.len()));
            if let Some(&(_, ind)) = indicator_col.and_then(|i| cells.get(i)) {
                let key = (unit.to_string(), ind.trim().trim_matches('"').trim().to_string());
                self.rows.entry(key).or_insert(Span::new(start, start + line.len()));
            }
        }
    }

    fn index_json(&mut self, text: &str) {
        // Every string followed by `:` is a key; escapes are rare in ids and are kept as written.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes.get(i) != Some(&b'"') {
                i += 1;
                continue;
            }
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes.get(j) != Some(&b'"') {
                j += if bytes.get(j) == Some(&b'\\') { 2 } else { 1 };
            }
            let after = text.get(j + 1..).map(str::trim_start);
            if after.is_some_and(|a| a.starts_with(':')) {
                if let Some(key) = text.get(start..j) {
                    self.keys.entry(key.to_string()).or_default().push(Span::new(start, j));
                }
            }
            i = j + 1;
        }
    }

    /// Where a unit first appears.
    pub fn unit(&self, id: &str) -> Span {
        if let Some(s) = self.units.get(id) {
            return *s;
        }
        self.keys.get(id).and_then(|v| v.first()).copied().unwrap_or_default()
    }

    /// Where a unit's values for an indicator start: its first CSV row for it, or the
    /// indicator's key after the unit's in JSON; else where the unit first appears.
    pub fn row(&self, unit: &str, indicator: &str) -> Span {
        if let Some(s) = self.rows.get(&(unit.to_string(), indicator.to_string())) {
            return *s;
        }
        let at = self.unit(unit);
        let after = self.keys.get(indicator).and_then(|v| {
            let k = v.partition_point(|s| s.start <= at.start);
            v.get(k)
        });
        match after {
            Some(s) if at != Span::default() => *s,
            _ => at,
        }
    }
}

#[cfg(test)]
mod tests {
    /// A sheet's title rows above the header do not hide where the units are.
    #[test]
    fn units_are_found_below_a_title_row() {
        let text = "BẢNG SỐ LIỆU NĂM 2026,,\n,,\nunit,1.1.a,1.1.b\nX01,1,2\nTổng cộng,1,2\n";
        let at = Locator::new(text).unit("Tổng cộng");
        assert_eq!(&text[at.start as usize..at.end as usize], "Tổng cộng");
    }

    /// Labels of a sum, however typed, are totals rows; codes and names that only contain such
    /// a word are not.
    #[test]
    fn totals_labels() {
        for label in
            ["Tổng cộng", "TỔNG CỘNG:", "tong cong", " Tổng ", "Cộng", "Tổng số", "Toàn tỉnh", "Total", "Grand total"]
        {
            assert!(super::is_totals_label(label), "{label}");
        }
        for code in ["X01", "Tổng cục Thuế", "Cộng đồng", "TC", "Sở Tài chính", "Tổng cộng 2", "Totalis", ""]
        {
            assert!(!super::is_totals_label(code), "{code}");
        }
    }

    use super::*;

    #[test]
    fn folds_vietnamese_letters() {
        assert_eq!(fold("KHĐT"), "KHDT");
        assert_eq!(fold("Sở Tài chính"), "So Tai chinh");
        assert_eq!(fold("ĐÀ NẴNG, Ưu, ỹ"), "DA NANG, Uu, y");
    }

    /// The fold as it was written with std's case tables, character by character.
    #[test]
    fn folds_every_character_as_with_std_case_tables() {
        const FROM: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";
        const TO: &str = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy";
        let with_std = |c: char| match c {
            'Đ' => 'D',
            'đ' => 'd',
            c if c.is_ascii() => c,
            c => {
                let lower: Vec<char> = c.to_lowercase().collect();
                match lower.first().and_then(|l| FROM.chars().position(|f| f == *l)).and_then(|i| TO.chars().nth(i)) {
                    Some(b) if c.is_uppercase() => b.to_ascii_uppercase(),
                    Some(b) => b,
                    None => c,
                }
            }
        };
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            assert_eq!(fold(c.encode_utf8(&mut [0; 4])), with_std(c).to_string(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn locates_units_and_rows() {
        let csv = "unit;indicator;input;value\nP011;1.1;a;1\n\"P01\";1.2;a;2\nP01;1.1;b;3\n";
        let at = Locator::new(csv);
        let s = at.unit("P01");
        assert_eq!(&csv[s.start as usize..s.end as usize], "P01");
        assert_eq!(s.start as usize, csv.find("P01\";1.2").unwrap());
        let r = at.row("P01", "1.1");
        assert_eq!(&csv[r.start as usize..r.end as usize], "P01;1.1;b;3");
        assert_eq!(at.unit("P99"), Span::default());
        let json = r#"{"units": {"KH": {"1.1": {"a": 1}}, "KHDT": {"1.1": {"a": 2}}}}"#;
        let at = Locator::new(json);
        assert_eq!(at.unit("KHDT").start as usize, json.find("KHDT").unwrap());
        assert_eq!(at.row("KHDT", "1.1").start as usize, json.rfind("1.1").unwrap());
    }
}
