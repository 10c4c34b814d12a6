//! The checker's verdicts on the DTI 2022 rulebook, pinned: for every scored indicator, whether
//! it proved the cap (score ≤ max), the floor (score ≥ 0) and, per input with a direction, that
//! the score moves the right way; and the twelve jumps (W0507) with their sizes, each confirmed
//! with the interpreter at the threshold and just below it.
//!
//! The property tests (`properties.rs`) only test what the checker claims, so a checker that
//! claims less would leave them green: this table makes any change in what it proves, better or
//! worse, a failing test with a readable diff. When the change is right, update `VERDICTS` (the
//! failure prints the new table) and say why in the commit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use chiso::eval::{Status, Value};
use chiso::num::Num;
use chiso::policy::{analyze as policy, Direction, Verdict};
use chiso::sema::for_each_indicator;
use chiso::Code;
use chiso_tests::gen::{self, Form, Model};
use chiso_tests::{analyze, render_diagnostics, root};

/// One line per scored indicator, in source order: `cap` and `floor` verdicts, then the inputs
/// proved monotone (`+` more is better, `-` lower is better; `-` alone: no input has a
/// direction). No input with a direction is left unproved today (an unproved one would show as
/// `a?` unknown or `a!` refuted).
const VERDICTS: &str = "
1.1     cap proved   floor proved   monotone -
1.2     cap proved   floor proved   monotone -
1.3     cap proved   floor proved   monotone a+
1.4     cap proved   floor proved   monotone -
1.5     cap proved   floor proved   monotone so_tin_bai+
1.6     cap proved   floor proved   monotone -
1.7     cap proved   floor proved   monotone -
1.8     cap proved   floor proved   monotone -
1.9     cap proved   floor proved   monotone -
1.10    cap proved   floor proved   monotone -
2.1     cap proved   floor proved   monotone -
2.2     cap proved   floor proved   monotone -
2.3     cap proved   floor proved   monotone -
2.4     cap proved   floor proved   monotone -
2.5     cap proved   floor proved   monotone -
2.6     cap proved   floor proved   monotone -
2.7     cap proved   floor proved   monotone -
2.8     cap proved   floor proved   monotone -
2.9     cap proved   floor proved   monotone -
2.10    cap proved   floor proved   monotone -
2.11    cap proved   floor proved   monotone -
3.1     cap proved   floor proved   monotone a+
3.2     cap proved   floor proved   monotone a+
3.3     cap proved   floor proved   monotone a+
3.4     cap proved   floor proved   monotone a+
3.5     cap proved   floor proved   monotone -
3.6     cap refuted  floor proved   monotone a+ c+
3.7     cap refuted  floor proved   monotone a+
4.1     cap proved   floor proved   monotone -
4.2     cap proved   floor proved   monotone -
4.3     cap proved   floor proved   monotone -
4.4     cap proved   floor proved   monotone -
4.5     cap proved   floor proved   monotone a+ b+ c+ d+
4.6     cap proved   floor proved   monotone a+
4.7     cap proved   floor proved   monotone a+
4.8     cap proved   floor proved   monotone a+
4.9     cap refuted  floor proved   monotone a+
4.10    cap refuted  floor proved   monotone a+
4.11    cap proved   floor proved   monotone a+
4.12    cap proved   floor proved   monotone a+
4.13    cap proved   floor proved   monotone a+
5.1     cap proved   floor proved   monotone so_httt+
5.2     cap proved   floor proved   monotone a+
5.3     cap proved   floor proved   monotone a+
5.4     cap proved   floor proved   monotone a+
5.5     cap proved   floor proved   monotone a+
5.6     cap proved   floor proved   monotone a+
5.7     cap proved   floor proved   monotone a+
5.8     cap proved   floor proved   monotone a+
5.9     cap proved   floor proved   monotone so_cuoc_dien_tap+
5.10    cap proved   floor proved   monotone so_su_co+
5.11    cap proved   floor proved   monotone a+
5.12.1  cap proved   floor proved   monotone a+ b+
5.12.2  cap proved   floor proved   monotone kinh_phi+
5.12.3  cap proved   floor proved   monotone kinh_phi+
5.12.4  cap proved   floor proved   monotone kinh_phi+
5.12.5  cap proved   floor proved   monotone kinh_phi+
5.12.6  cap proved   floor proved   monotone kinh_phi+
6.1     cap proved   floor proved   monotone -
6.2     cap proved   floor proved   monotone -
6.3     cap proved   floor proved   monotone -
6.4     cap proved   floor proved   monotone -
6.5     cap proved   floor proved   monotone -
6.6     cap proved   floor proved   monotone a+
6.7     cap proved   floor proved   monotone a+
6.8     cap proved   floor proved   monotone a+
6.9     cap proved   floor proved   monotone a+
6.10    cap proved   floor proved   monotone a+
6.11    cap unknown  floor proved   monotone c+ d+
6.12    cap proved   floor proved   monotone b+ c+
6.13    cap unknown  floor proved   monotone a+ b+
6.14    cap unknown  floor proved   monotone b+ d+
6.15    cap proved   floor proved   monotone -
6.16    cap proved   floor proved   monotone -
6.17    cap proved   floor proved   monotone -
6.18    cap proved   floor proved   monotone -
6.19    cap proved   floor proved   monotone -
6.20    cap proved   floor proved   monotone -
6.21    cap proved   floor proved   monotone so_hoat_dong+
6.22    cap proved   floor proved   monotone a+ b+
7.1     cap proved   floor proved   monotone a+
7.2     cap proved   floor proved   monotone a+
7.3     cap proved   floor proved   monotone a+
7.4     cap proved   floor proved   monotone a+
7.5     cap proved   floor proved   monotone a+
7.6     cap proved   floor proved   monotone a+
7.7     cap proved   floor proved   monotone a+
7.8     cap proved   floor proved   monotone a+
7.9     cap proved   floor proved   monotone a+
7.10    cap proved   floor proved   monotone a+
7.11    cap proved   floor proved   monotone a+
7.12    cap proved   floor proved   monotone a+
8.1     cap proved   floor proved   monotone a+
8.2     cap proved   floor proved   monotone a+
8.3     cap proved   floor proved   monotone a+
8.4     cap proved   floor proved   monotone a+
8.5     cap proved   floor proved   monotone a+
8.6     cap proved   floor proved   monotone kinh_phi+
8.7     cap proved   floor proved   monotone kinh_phi+
8.8     cap proved   floor proved   monotone so_hoat_dong_hieu_qua+
";

/// The jumps at a threshold next to a sloped arm (W0507): indicator, threshold, score just below
/// (the limit), score at the threshold, size. All ten 7.x rows and 4.12, 4.13 score `max × ratio`
/// below T instead of `ratio / T × max` (see the DEFECT notes in the rulebook).
const JUMPS: &[(&str, &str, &str, &str, &str)] = &[
    ("4.12", "0.8", "4", "5", "1"),
    ("4.13", "0.7", "3.5", "5", "1.5"),
    ("7.1", "0.2", "4", "20", "16"),
    ("7.2", "0.05", "1", "20", "19"),
    ("7.3", "0.1", "1", "10", "9"),
    ("7.4", "0.1", "2", "20", "18"),
    ("7.5", "0.5", "5", "10", "5"),
    ("7.6", "0.8", "8", "10", "2"),
    ("7.8", "0.5", "5", "10", "5"),
    ("7.9", "0.05", "0.5", "10", "9.5"),
    ("7.11", "0.0025", "0.025", "10", "9.975"),
    ("7.12", "0.0025", "0.025", "10", "9.975"),
];

fn num(s: &str) -> Num {
    Num::parse_decimal(s).unwrap()
}

struct Dti {
    parse: chiso::syntax::Parse,
    checked: chiso::Checked,
}

fn dti() -> Dti {
    let text = std::fs::read_to_string(root().join("examples/dti-2022/dti-2022.chiso")).unwrap();
    let (parse, checked) = analyze(&text);
    let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    assert!(errors.is_empty(), "the DTI rulebook has errors:\n{}", render_diagnostics(&text, &errors));
    Dti { parse, checked }
}

/// The verdicts of one scored indicator, with its policy diagnostics.
struct Row {
    id: String,
    cap: Verdict,
    floor: Verdict,
    monotone: Vec<(String, Direction, Verdict)>,
    diags: Vec<chiso::diag::Diagnostic>,
}

fn rows(d: &Dti) -> Vec<Row> {
    let mut out = Vec::new();
    for_each_indicator(&d.parse.file, &mut |ind| {
        if ind.score().is_some() && !ind.is_not_scored() {
            let (a, diags) = policy(&d.checked.env, ind);
            out.push(Row { id: ind.id.text.clone(), cap: a.cap, floor: a.floor, monotone: a.monotone, diags });
        }
    });
    out
}

fn word(v: &Verdict) -> &'static str {
    match v {
        Verdict::Proved => "proved",
        Verdict::Refuted(_) => "refuted",
        Verdict::Unknown => "unknown",
    }
}

fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        let mono: Vec<String> = r
            .monotone
            .iter()
            .map(|(n, d, v)| {
                let dir = match d {
                    Direction::More => "+",
                    Direction::Less => "-",
                    Direction::Neutral => "~",
                };
                let mark = match v {
                    Verdict::Proved => "",
                    Verdict::Refuted(_) => "!",
                    Verdict::Unknown => "?",
                };
                format!("{n}{dir}{mark}")
            })
            .collect();
        let mono = if mono.is_empty() { "-".to_string() } else { mono.join(" ") };
        let line = format!("{:<7} cap {:<8} floor {:<8} monotone {mono}", r.id, word(&r.cap), word(&r.floor));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The lines that differ, `-` expected and `+` found, for a readable failure.
fn line_diff(expected: &str, found: &str) -> String {
    let (e, f): (BTreeSet<&str>, BTreeSet<&str>) = (expected.lines().collect(), found.lines().collect());
    let mut out = String::new();
    for l in expected.lines().filter(|l| !f.contains(l)) {
        out.push_str(&format!("- {l}\n"));
    }
    for l in found.lines().filter(|l| !e.contains(l)) {
        out.push_str(&format!("+ {l}\n"));
    }
    out
}

#[test]
fn dti_verdicts_are_pinned() {
    let d = dti();
    let rows = rows(&d);
    let found = render(&rows);
    let expected = VERDICTS.trim_start();
    assert!(
        found == expected,
        "the checker's verdicts on DTI changed:\n{}\n--- the whole new table (for VERDICTS) ---\n{found}",
        line_diff(expected, &found)
    );
}

/// The same facts as counts and sets, as issue 15 states them.
#[test]
fn dti_verdict_counts() {
    let d = dti();
    let rows = rows(&d);
    assert_eq!(rows.len(), 100, "scored indicators");
    let directional: Vec<&(String, Direction, Verdict)> = rows.iter().flat_map(|r| &r.monotone).collect();
    assert_eq!(directional.len(), 75, "inputs with a direction");
    let proved = directional.iter().filter(|(_, _, v)| *v == Verdict::Proved).count();
    assert_eq!(proved, 75, "inputs proved monotone: all of them");
    let ids = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).map(|r| r.id.as_str()).collect::<Vec<_>>();
    assert_eq!(ids(&|r| r.cap == Verdict::Proved).len(), 93, "caps proved");
    assert_eq!(ids(&|r| matches!(r.cap, Verdict::Refuted(_))), ["3.6", "3.7", "4.9", "4.10"], "caps refuted (W0504)");
    assert_eq!(ids(&|r| r.cap == Verdict::Unknown), ["6.11", "6.13", "6.14"], "caps neither proved nor refuted");
    assert_eq!(ids(&|r| r.floor == Verdict::Proved).len(), 100, "floors proved");
    // The policy warnings of the whole file, by code (W0209/W0210, ownership, are not the
    // checker's proofs and are pinned by the `check` snapshot).
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for diag in d.checked.diagnostics.iter().filter(|x| x.code.to_string().starts_with("W05")) {
        *by_code.entry(diag.code.to_string()).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> =
        [("W0504", 4), ("W0507", 12), ("W0508", 16)].into_iter().map(|(c, n)| (c.to_string(), n)).collect();
    assert_eq!(by_code, expected, "policy warnings on DTI by code");
}

#[test]
fn dti_jumps_are_pinned_and_real() {
    let d = dti();
    let found: Vec<(String, String)> = rows(&d)
        .into_iter()
        .flat_map(|r| {
            let id = r.id.clone();
            r.diags.into_iter().filter(|x| x.code == Code::W0507).map(move |x| (id.clone(), x.message.to_string()))
        })
        .collect();
    let expected: Vec<(String, String)> = JUMPS
        .iter()
        .map(|(id, t, below, at, size)| {
            (
                id.to_string(),
                format!("the score jumps by {size} at `ratio` = {t}: {below} just below, {at} at the threshold"),
            )
        })
        .collect();
    assert_eq!(found, expected, "W0507 on DTI");

    // Each jump, with the interpreter: exactly on the threshold the score is the upper value, one
    // step below it (ratio = T − 1/D with a large D) within 1% of the jump of the lower value.
    let mut inds = BTreeMap::new();
    for_each_indicator(&d.parse.file, &mut |ind| {
        inds.insert(ind.id.text.clone(), ind.clone());
    });
    for (id, t, below, at, size) in JUMPS {
        let ind = &inds[*id];
        let model = Model::new(&d.checked.env, ind);
        let file = gen::single_file(ind);
        let t = num(t);
        let b = model
            .boundaries
            .iter()
            .find(|b| b.at == t)
            .unwrap_or_else(|| panic!("{id}: no `when` threshold {t} found by gen::Model"));
        let Form::Ratio(n, den) = &b.form else { panic!("{id}: the threshold is not on a ratio of inputs") };
        let (n, den) = (&n[0], &den[0]);
        // D large and a multiple of T's denominator (thresholds are decimals).
        let unit = (0..=9).map(|k| gen::int(10i64.pow(k))).find(|p| t.mul(p).is_integer()).unwrap();
        let dd = unit.mul(&gen::int(10_000));
        let integral = matches!(model.input(n).map(|i| &i.domain), Some(gen::Domain::Num { integral: true, .. }));
        let step = if integral { Num::one() } else { gen::dec(1, 6) };
        let score = |numerator: Num| {
            let mut v = chiso::map::VecMap::new();
            v.insert(n.clone(), Value::Num(numerator.clone()));
            v.insert(den.clone(), Value::Num(dd.clone()));
            let r = gen::score_one(&d.checked.env, &file, id, &v);
            assert_eq!(r.status, Status::Scored, "{id} with {n} = {numerator}, {den} = {dd}: {:?}", r.reason);
            gen::raw(&r).unwrap()
        };
        let (on, off) = (score(t.mul(&dd)), score(t.mul(&dd).sub(&step)));
        assert_eq!(on, num(at), "{id}: the score at {n}/{den} = {t}");
        let size = num(size);
        assert_eq!(num(at).sub(&num(below)), size, "{id}: the jump's size");
        let tolerance = size.div_exact(&gen::int(100)).unwrap();
        assert!(
            off <= num(below) && num(below).sub(&off) <= tolerance,
            "{id}: just below {t} the score is {off}, expected about {below}"
        );
    }
}
