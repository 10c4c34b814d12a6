//! Long chains and wide rules: arguments, `not`s, terms, `let`s, functions, cycles, `when` arms.

use super::*;

#[test]
fn ten_thousand_arguments() {
    // Call arguments are wide, not deep: 10 000 of them need no deep stack. (Many `when` arms are
    // wide too: see `two_hundred_when_arms`.)
    let text = indicator_with_score(&format!("min({}max)", "1 pt, ".repeat(DEEP)));
    let o = on_small_stack(move || pipeline("args", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

#[test]
fn ten_thousand_nots() {
    let text = indicator_with_score(&format!("if {}ok then max else 0", "not ".repeat(DEEP)));
    assert_too_deep("not", text);
}

/// Long flat chains are trees as deep as the chain is long, so their operators count toward the
/// nesting limit: each ends in E0104 instead of a stack overflow in the checker or the evaluator.
#[test]
fn ten_thousand_term_chains() {
    assert_too_deep("sum", indicator_with_score(&vec!["1 pt"; DEEP].join(" + ")));
    assert_too_deep("product", indicator_with_score(&format!("1 pt{}", " * 1".repeat(DEEP))));
    assert_too_deep("ands", indicator_with_score(&format!("if {} then max else 0", vec!["ok"; DEEP].join(" and "))));
    assert_too_deep("ors", indicator_with_score(&format!("if {} then max else 0", vec!["ok"; DEEP].join(" or "))));
    assert_too_deep("sum of products", indicator_with_score(&vec!["a * 1 pt"; DEEP].join(" + ")));
}

#[test]
fn chains_within_the_limit_check_cleanly() {
    // A sum of 40 parts, the longest a rulebook plausibly has, is fine.
    let text = indicator_with_score(&format!("min({}, max)", vec!["1 pt"; 40].join(" + ")));
    let o = on_small_stack(move || pipeline("40 parts", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

/// A chain of `let` bindings, each using the one before, is as deep as it is long once the
/// checker follows the names: it must not overflow either.
#[test]
fn ten_thousand_chained_lets() {
    let mut score = String::from("let x0 = a\n");
    for i in 1..DEEP {
        writeln!(score, "  let x{i} = x{} + 1", i - 1).unwrap();
    }
    write!(score, "  score = min(x{} * 1 pt, max)", DEEP - 1).unwrap();
    let text =
        format!("agency S \"Sở\"\nindicator 1.1 \"Sâu\" {{\n  max 10\n  owner S\n  input a: count\n  {score}\n}}\n");
    assert_too_deep("lets", text);
}

/// Functions calling functions, thousands long: the checker measures the chain without recursion
/// and reports E0104 once, at the first function too deep to write out.
#[test]
fn ten_thousand_chained_functions() {
    let mut text = String::from("agency S \"Sở\"\nfn f0(x) = x\n");
    for i in 1..DEEP {
        writeln!(text, "fn f{i}(x) = f{}(x) + 1", i - 1).unwrap();
    }
    writeln!(
        text,
        "indicator 1.1 \"Sâu\" {{ max 10 owner S input a: count score = min(f{}(a) * 1 pt, max) }}",
        DEEP - 1
    )
    .unwrap();
    let o = on_small_stack(move || pipeline("fns", &text));
    assert_eq!(o.codes.iter().filter(|c| **c == Code::E0104).count(), 1, "{:?}", o.codes);
}

/// A function that calls itself through a thousand others is E0206 at each function on the cycle,
/// found without recursion.
#[test]
fn a_thousand_function_cycle() {
    let mut text = String::from("agency S \"Sở\"\nfn f0(x) = f999(x)\n");
    for i in 1..1000 {
        writeln!(text, "fn f{i}(x) = f{}(x)", i - 1).unwrap();
    }
    text.push_str("indicator 1.1 \"Vòng\" { max 10 owner S input a: count score = min(f5(a) * 1 pt, max) }\n");
    let o = on_small_stack(move || pipeline("cycle", &text));
    assert_eq!(o.codes.iter().filter(|c| **c == Code::E0206).count(), 1000, "{:?}", o.codes);
}

/// Doubling (`let x2 = x1 + x1`, `fn g2(x) = g1(x) + g1(x)`, …) is shallow but exponential to
/// follow: the checker and the interpreter stop at a budget instead of running for hours.
#[test]
fn doubling_lets_and_functions_terminate() {
    let mut lets = String::from("let x0 = a\n");
    for i in 1..60 {
        writeln!(lets, "  let x{i} = x{} + x{}", i - 1, i - 1).unwrap();
    }
    let text = format!(
        "agency S \"Sở\"\nindicator 1.1 \"Gấp đôi\" {{\n  max 10\n  owner S\n  input a: count\n  {lets}  score = min(x59 * 1 pt, max)\n}}\n"
    );
    let o = on_small_stack(move || pipeline("doubling lets", &text));
    assert!(o.has(Code::W0510), "{:?}", o.codes);

    let mut text = String::from("agency S \"Sở\"\nfn g0(x) = x\n");
    for i in 1..30 {
        writeln!(text, "fn g{i}(x) = g{}(x) + g{}(x)", i - 1, i - 1).unwrap();
    }
    text.push_str("indicator 1.1 \"Gấp đôi\" { max 10 owner S input a: count score = min(g29(a) * 1 pt, max) }\n");
    let checked = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let csv = "unit,indicator,input,value\nNT,1.1,a,1\n";
    let (dataset, diags) = data::load(csv, Format::Csv, &checked.env, Some(Locale::En));
    assert!(diags.is_empty(), "{diags:?}");
    let results =
        chiso::eval::evaluate(&chiso::sema::Lowered::lower(&chiso::parse(&text).file, &checked.env), &dataset);
    let shown = format!("{results:?}");
    assert!(shown.contains("function calls"), "{shown}");
}

/// A lookup table as a `when` with many arms checks in time polynomial in the arms (the policy
/// analysis once took 2^n steps for n arms: 20 arms ran for minutes, 200 would never end).
#[test]
fn two_hundred_when_arms() {
    let arms: String = (0..200).map(|i| format!("== {i} => max, ")).collect();
    let text = indicator_with_score(&format!("when a {{ {arms} else => 0 }}"));
    let o = on_small_stack(move || pipeline("arms", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
}

/// The arms of a `when` are compared along the axis, not pairwise: a table of 100,000 bands
/// checks in near-linear time (the pairwise comparison took 11 s for 1,000 arms, 113 s for 3,000
/// and never ended for 10,000), and still gets its arm diagnostics.
#[test]
fn a_hundred_thousand_when_arms() {
    const ARMS: usize = 100_000;
    // Bands from the top, the usual shape of a scoring table; one arm out of order is unreachable.
    let mut arms: String = (0..ARMS).map(|i| format!("  >= {} => {} pt,\n", ARMS - i, (ARMS - i) % 10)).collect();
    arms.push_str("  >= 7 => 1 pt,\n");
    let text = indicator_with_score(&format!("when a {{\n{arms}  else => 0\n}}"));
    let o = on_small_stack(move || pipeline("100,000 bands", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
    assert!(o.has(Code::W0503), "{:?}", o.codes);
}

/// Lookup tables of single values, overlapping bands that each get W0501 and bands with gaps
/// stay near-linear.
#[test]
fn ten_thousand_lookup_arms() {
    let arms: String = (0..10_000).map(|i| format!("  == {i} => {} pt,\n", i % 10)).collect();
    let text = indicator_with_score(&format!("when a {{\n{arms}  else => 0\n}}"));
    let o = on_small_stack(move || pipeline("10,000 values", &text));
    assert!(!o.has_errors, "{:?}", o.codes);
    let arms: String = (0..10_000).map(|i| format!("  in {i}..{} => {} pt,\n", i + 1, i % 10)).collect();
    let text = indicator_with_score(&format!("when a {{\n{arms}  else => 0\n}}"));
    let o = on_small_stack(move || pipeline("10,000 overlapping ranges", &text));
    assert_eq!(o.codes.iter().filter(|c| **c == Code::W0501).count(), 9_999, "{:?}", o.codes.len());
    // Disjoint closed ranges with a gap between each: one W0502 for the whole table.
    let arms: String = (0..10_000).map(|i| format!("  in {}..{} => {} pt,\n", 10 * i, 10 * i + 8, i % 10)).collect();
    let text = indicator_with_score(&format!("when a {{\n{arms}}}"));
    let o = on_small_stack(move || pipeline("10,000 ranges with gaps", &text));
    assert!(o.has(Code::W0502), "{:?}", o.codes);
}
