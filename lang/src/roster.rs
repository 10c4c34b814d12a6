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

use std::collections::BTreeSet;

use crate::check::types::closest;
use crate::check::Env;
use crate::data::Dataset;
use crate::diag::{Code, Diagnostic, Span};

/// The roster checks of a loaded data file.
pub fn check(env: &Env, data: &Dataset, text: &str) -> Vec<Diagnostic> {
    if env.units.is_empty() {
        return sparse_units(env, data, text);
    }
    let mut out = Vec::new();
    let declared: Vec<String> = env.unit_order.clone();
    for unit in &data.units {
        if env.units.contains_key(&unit.id) {
            continue;
        }
        let mut d = Diagnostic::new(
            Code::E0820,
            first_row(text, &unit.id),
            format!("unit `{}` is not one of the {} units the rulebook declares", unit.id, declared.len()),
        );
        d = match closest(&unit.id, declared.iter()).or_else(|| closest_folded(&unit.id, &declared)) {
            Some(best) => d.with_help(format!("did you mean `{best}`{}?", named(env, best))),
            None => d.with_help(format!(
                "correct the code, or declare the unit in the rulebook: `unit {} \"…\"`",
                shown_code(&unit.id)
            )),
        };
        out.push(d);
    }
    let sent: BTreeSet<&str> = data.units.iter().map(|u| u.id.as_str()).collect();
    let silent: Vec<String> =
        declared.iter().filter(|c| !sent.contains(c.as_str())).map(|c| format!("`{c}`{}", named(env, c))).collect();
    if !silent.is_empty() {
        out.push(
            Diagnostic::new(
                Code::W0821,
                Span::default(),
                format!(
                    "{} declared unit(s) sent no data: {}; they are not scored or ranked",
                    silent.len(),
                    silent.join(", ")
                ),
            )
            .with_help("add their rows to the data file, or remove them from the roster if they do not report"),
        );
    }
    out
}

/// W0822 without a roster: units that report fewer than half of the inputs.
fn sparse_units(env: &Env, data: &Dataset, text: &str) -> Vec<Diagnostic> {
    let inputs: Vec<(&String, &String)> = env
        .indicators
        .iter()
        .filter(|(_, info)| !info.not_scored)
        .flat_map(|(id, info)| info.inputs.iter().map(move |(name, _)| (id, name)))
        .collect();
    if inputs.is_empty() || data.units.len() < 2 {
        return Vec::new();
    }
    let ids: Vec<String> = data.units.iter().map(|u| u.id.clone()).collect();
    let mut out = Vec::new();
    for unit in &data.units {
        let reported =
            inputs.iter().filter(|(ind, input)| unit.values.get(*ind).is_some_and(|v| v.contains_key(*input))).count();
        if reported * 2 >= inputs.len() {
            continue;
        }
        let others: Vec<String> = ids.iter().filter(|i| **i != unit.id).cloned().collect();
        // Every two-letter code is one edit from many others: suggest only for longer codes.
        let near = if unit.id.chars().count() >= 3 { closest(&unit.id, others.iter()) } else { None };
        let help = match near.or_else(|| closest_folded(&unit.id, &others)) {
            Some(best) => format!(
                "if `{}` is `{best}` with a typo, correct the code; declaring the units (`unit {} \"…\"`) makes unknown codes an error",
                unit.id,
                shown_code(best)
            ),
            None => "its indicators without data are not evaluable; declare the units (`unit CODE \"name\"`) so that a mistyped code is refused".to_string(),
        };
        out.push(
            Diagnostic::new(
                Code::W0822,
                first_row(text, &unit.id),
                format!("unit `{}` reports {reported} of the {} inputs", unit.id, inputs.len()),
            )
            .with_help(help),
        );
    }
    out
}

/// ` (Tỉnh An Phú)` when the unit has a name.
fn named(env: &Env, code: &str) -> String {
    env.units.get(code).and_then(|u| u.title.as_ref()).map(|t| format!(" ({t})")).unwrap_or_default()
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
    s.chars()
        .map(|c| match c {
            'Đ' => 'D',
            'đ' => 'd',
            c if c.is_ascii() => c,
            c => {
                const FROM: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";
                const TO: &str = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy";
                let lower: Vec<char> = c.to_lowercase().collect();
                let upper = c.is_uppercase();
                match lower.first().and_then(|l| FROM.chars().position(|f| f == *l)).and_then(|i| TO.chars().nth(i)) {
                    Some(b) if upper => b.to_ascii_uppercase(),
                    Some(b) => b,
                    None => c,
                }
            }
        })
        .collect()
}

/// Where a unit first appears in the data text: its code as a whole cell (CSV, with or without
/// quotes) or as a JSON key. The start of the file when it cannot be found.
fn first_row(text: &str, id: &str) -> Span {
    if id.is_empty() {
        return Span::default();
    }
    let boundary_before = |c: Option<char>| matches!(c, None | Some('\n' | ',' | ';' | '\t' | '"'));
    let boundary_after = |c: Option<char>| matches!(c, None | Some('\n' | '\r' | ',' | ';' | '\t' | '"'));
    for (at, _) in text.match_indices(id) {
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(at + id.len()..).and_then(|s| s.chars().next());
        if boundary_before(before) && boundary_after(after) {
            let (Ok(start), Ok(end)) = (u32::try_from(at), u32::try_from(at + id.len())) else { break };
            return Span { start, end };
        }
    }
    Span::default()
}

/// Where a unit's values for an indicator start in the data text: the first CSV line with both
/// as cells, or the indicator's key after the unit's key in JSON; else the unit's first row.
pub fn row_of(text: &str, unit: &str, indicator: &str) -> Span {
    let cell = |c: &str| c.trim().trim_matches('"').to_string();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let cells: Vec<String> = body.split([',', ';', '\t']).map(cell).collect();
        if cells.iter().any(|c| c == unit) && cells.iter().any(|c| c == indicator) {
            if let (Ok(start), Ok(end)) = (u32::try_from(offset), u32::try_from(offset + body.len())) {
                return Span { start, end };
            }
        }
        offset += line.len();
    }
    let at_unit = first_row(text, unit);
    let key = format!("\"{indicator}\"");
    if let Some(found) = text.get(at_unit.end as usize..).and_then(|rest| rest.find(&key)) {
        let start = at_unit.end as usize + found;
        if let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(start + key.len())) {
            return Span { start: s, end: e };
        }
    }
    at_unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_letters() {
        assert_eq!(fold("KHĐT"), "KHDT");
        assert_eq!(fold("Sở Tài chính"), "So Tai chinh");
    }

    #[test]
    fn finds_a_units_first_row() {
        let csv = "unit,indicator,input,value\nP011,1.1,a,1\nP01,1.1,a,2\n";
        let s = first_row(csv, "P01");
        assert_eq!(&csv[s.start as usize..s.end as usize], "P01");
        assert_eq!(s.start as usize, csv.find("P01,1.1,a,2").unwrap());
        let json = r#"{"units": {"KHDT": {}}}"#;
        assert_eq!(first_row(json, "KHDT").start as usize, json.find("KHDT").unwrap());
    }
}
