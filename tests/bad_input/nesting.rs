//! Nesting 10 000 deep: parentheses, unary minus, ifs, indicators, whens, braces, many items.

use super::*;

#[test]
fn ten_thousand_parentheses() {
    assert_too_deep("parens", indicator_with_score(&format!("{}1 pt{}", "(".repeat(DEEP), ")".repeat(DEEP))));
    assert_too_deep("unclosed parens", indicator_with_score(&"(".repeat(DEEP)));
}

#[test]
fn ten_thousand_unary_minus() {
    assert_too_deep("minus", indicator_with_score(&format!("{}1 pt", "-".repeat(DEEP))));
    assert_too_deep("spaced minus", indicator_with_score(&format!("{}1 pt", "- ".repeat(DEEP))));
}

#[test]
fn ten_thousand_nested_ifs() {
    let text = indicator_with_score(&format!("{}max{}", "if ok then ".repeat(DEEP), " else 0".repeat(DEEP)));
    assert_too_deep("if", text);
    assert_too_deep("if conditions", indicator_with_score(&format!("{}ok then max else 0", "if ".repeat(DEEP))));
}

#[test]
fn ten_thousand_nested_indicators() {
    let mut text = String::from("agency S \"Sở\"\n");
    for i in 0..DEEP {
        write!(text, "indicator {i} \"Cấp {i}\" {{ max 1 owner S ").unwrap();
    }
    text.push_str(&"}".repeat(DEEP));
    assert_too_deep("indicators", text.clone());
    let in_pillar = format!("pillar I \"P\" max 1 {{ {text} }}");
    assert_too_deep("indicators in a pillar", in_pillar);
}

#[test]
fn ten_thousand_nested_whens_matches_and_calls() {
    let when = format!("{}max{}", "when a { >= 1 => ".repeat(DEEP), " }".repeat(DEEP));
    assert_too_deep("when", indicator_with_score(&when));
    let scrutinee = format!("{}a{}", "when ".repeat(DEEP), " { else => max }".repeat(DEEP));
    assert_too_deep("when scrutinee", indicator_with_score(&scrutinee));
    let calls = format!("{}1 pt{}", "min(".repeat(DEEP), ")".repeat(DEEP));
    assert_too_deep("calls", indicator_with_score(&calls));
    let user =
        format!("fn f(x) = x\n{}", indicator_with_score(&format!("{}1 pt{}", "f(".repeat(DEEP), ")".repeat(DEEP))));
    assert_too_deep("user calls", user);
    let fn_body = format!("fn f(x) = {}x{}", "(".repeat(DEEP), ")".repeat(DEEP));
    assert_too_deep("fn body", fn_body);
    let index = format!("rulebook \"R\" {{ index = {}total{} }}", "(".repeat(DEEP), ")".repeat(DEEP));
    assert_too_deep("index", index);
}

#[test]
fn ten_thousand_braces() {
    for (name, text) in [
        ("open braces", "{".repeat(DEEP)),
        ("close braces", "}".repeat(DEEP)),
        ("braces in a pillar", format!("pillar I \"P\" max 1 {}", "{".repeat(DEEP))),
        ("braces in an indicator", format!("indicator 1 \"I\" {}{}", "{".repeat(DEEP), "}".repeat(DEEP))),
        ("braces in a test", format!("test \"t\" {}", "{".repeat(DEEP))),
    ] {
        let o = on_small_stack(move || pipeline(name, &text));
        assert!(o.has_errors, "{name}: no error");
    }
}

#[test]
fn many_items() {
    // Wide rather than deep: 300 indicators, agencies and tests (each test scores the whole file).
    let mut text = String::from("agency S \"Sở\"\n");
    for i in 0..300 {
        writeln!(text, "indicator {i}.1 \"I{i}\" {{ max 1 owner S input a: count score = min(a * 1 pt, max) }}")
            .unwrap();
        write!(text, "agency A{i} \"A\"\ntest \"t{i}\" {{ given {i}.1 {{ a = 1 }} expect {i}.1 = 1 }}\n").unwrap();
    }
    let o = on_small_stack(move || pipeline("many items", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}
