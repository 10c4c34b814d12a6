//! Huge numbers: 1000-digit literals are refused, 40-digit ones evaluate exactly.

use super::*;

#[test]
fn thousand_digit_literals_are_e0105() {
    let big = format!("1{}", "0".repeat(999));
    let small = format!("0.{}1", "0".repeat(999));
    let texts = [
        indicator_with_score(&format!("{big} pt")),
        indicator_with_score(&format!("a * {small} pt")),
        indicator_with_score(&format!("when a {{ >= {big} => max, else => 0 }}")),
        format!("agency S \"Sở\"\nindicator 1 \"I\" {{ max {big} owner S score = 1 pt }}"),
        format!("agency S \"Sở\"\nindicator 1 \"I\" {{ max 1 owner S input a: count default {big} score = min(a * 1 pt, max) }}"),
        format!("agency S \"Sở\"\nindicator 1 \"I\" {{ max 1 owner S input a: count assume a <= {big} score = min(a * 1 pt, max) }}"),
        format!("pillar I \"P\" max {big} {{}}"),
        format!("rulebook \"R\" {{ period {big} index = total / {big} }}"),
        format!("{}test \"t\" {{ given 1.1 {{ a = {big} }} expect 1.1 = {small} }}", indicator_with_score("max")),
        format!("fn f(x) = x * {big}"),
    ];
    for (i, text) in texts.into_iter().enumerate() {
        let name = format!("huge literal #{i}");
        let o = on_small_stack(move || pipeline(&name, &text));
        assert!(o.has(Code::E0105), "huge literal #{i}: no E0105: {:?}", o.codes);
    }
}

#[test]
fn forty_digit_numbers_evaluate_exactly() {
    // The largest accepted literals and data values still evaluate (exact rationals, no overflow).
    let forty = "9".repeat(40);
    let text = format!(
        "agency S \"Sở\"\nindicator 1 \"I\" {{ max 10 owner S input a: number input b: number positive neutral \
         score = min(max(a / b * {forty} * {forty} pt, 0 pt), max) }}\n\
         test \"t\" {{ given 1 {{ a = {forty}, b = 0.{} }} expect 1 = 10 }}",
        "0".repeat(38) + "1"
    );
    let parse = chiso::parse(&text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    for t in chiso::testing::run_tests(&chiso::sema::Lowered::lower(&parse.file, &checked.env)) {
        assert!(t.passed(), "{:?}", t.failures);
    }
}
