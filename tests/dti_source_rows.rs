//! The DTI rulebook encodes every row of its source table, PHỤ LỤC 2.
//!
//! Input: `examples/dti-2022/phu-luc-2-rows.tsv`, the row numbers and maximum points of the source
//! table, extracted from the source text by `examples/dti-2022/extract_phu_luc_2_rows.py` (the
//! source itself is not in the repository). Each row must have its item in
//! `examples/dti-2022/dti-2022.chiso`, with the same maximum: part A → `section A`, its rows 1–20 →
//! `field`s, Roman numerals → `pillar`s, numbered rows → `indicator`s by id or by `source_id` (the
//! source prints "6.2" twice; the second is `indicator 6.20` with `source_id "6.2"`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chiso::num::Num;
use chiso_tests::root;

#[test]
fn every_row_of_phu_luc_2_is_in_the_rulebook() {
    let dir = root().join("examples/dti-2022");
    let rows = std::fs::read_to_string(dir.join("phu-luc-2-rows.tsv")).unwrap();
    let text = std::fs::read_to_string(dir.join("dti-2022.chiso")).unwrap();
    let parse = chiso::parse(&text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    let env = &checked.env;

    // Indicators in file order, each under its id and its source id.
    let mut indicators: Vec<(String, Option<String>)> = Vec::new();
    chiso::sema::for_each_indicator(&parse.file, &mut |ind| {
        indicators.push((ind.id.text.clone(), ind.source_id().map(|s| s.value.clone())));
    });
    let mut used = vec![false; indicators.len()];

    let mut missing = Vec::new();
    let mut wrong_max = Vec::new();
    let mut count = 0;
    for line in rows.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        count += 1;
        let mut cells = line.split('\t');
        let row = cells.next().unwrap().trim();
        let max = cells.next().unwrap_or("").trim();
        let want = (!max.is_empty()).then(|| Num::parse_decimal(max).unwrap());
        let found_max: Option<Option<Num>> = if row == "A" {
            env.sections.get("A").map(|_| None)
        } else if row == "B" {
            // Part B ("CHỈ SỐ ĐÁNH GIÁ") is the heading of the pillars; it has no item of its own.
            Some(None)
        } else if row.chars().all(|c| c.is_ascii_digit()) {
            env.sections.get("A").filter(|s| s.fields.iter().any(|(id, _, _)| id == row)).map(|_| None)
        } else if row.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
            env.pillars.get(row).map(|p| p.max.clone())
        } else {
            // The first indicator not yet matched whose id (or printed source id) is the row's.
            let k = (0..indicators.len()).find(|&k| {
                !used[k]
                    && (indicators[k].1.as_deref() == Some(row)
                        || (indicators[k].1.is_none() && indicators[k].0 == row))
            });
            k.map(|k| {
                used[k] = true;
                env.indicators.get(&indicators[k].0).and_then(|i| i.max.clone())
            })
        };
        match found_max {
            None => missing.push(row.to_string()),
            Some(got) => {
                if want.is_some() && got != want {
                    wrong_max.push(format!("{row}: source {max}, rulebook {got:?}"));
                }
            }
        }
    }
    assert!(count > 130, "only {count} rows read from phu-luc-2-rows.tsv");
    assert!(missing.is_empty(), "rows of PHỤ LỤC 2 missing from dti-2022.chiso: {missing:?}");
    assert!(wrong_max.is_empty(), "rows whose max differs: {wrong_max:?}");
}
