//! The `chiso` command as users run it: the real binary, its exit codes (0 ok; 1 diagnostics with
//! errors, evaluation errors or failed tests; 2 usage or I/O), its outputs in every format, and the
//! JSON documents of `spec/output.md`, which are run and compared with what the binary prints.
//!
//! Inputs: examples/starter, the fixtures in cli/tests/fixtures, and the examples of
//! spec/output.md. Files that a command rewrites are copied to a fresh temporary folder first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

const STARTER: &str = "examples/starter/starter.chiso";
const STARTER_DATA: &str = "examples/starter/data.csv";

/// What a run of the binary produced.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

/// Runs `chiso args…` in `dir`.
fn chiso_in(dir: &Path, args: &[&str]) -> Run {
    // Labels follow the environment's language unless `--lang` says: English here, whatever the
    // machine running the tests is set to.
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `chiso args…` at the repository root.
fn chiso(args: &[&str]) -> Run {
    chiso_in(&root(), args)
}

/// Asserts the exit code, showing the outputs when it differs.
#[track_caller]
fn expect_code(run: &Run, code: i32) {
    assert_eq!(run.code, code, "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}", run.stdout, run.stderr);
}

/// `chiso eval` of the corpus case whose one indicator divides by zero for unit NT, with `args`:
/// the run fails (exit 1) and says which result failed.
fn division_by_zero(args: &[&str]) -> Run {
    let case = ["eval", "tests/corpus/eval/division-by-zero.chiso", "--data", "tests/corpus/eval/division-by-zero.csv"];
    let div = chiso(&[&case[..], args].concat());
    expect_code(&div, 1);
    assert!(div.stderr.contains("evaluation errors in 1 indicator result(s): NT / 5.11"), "{}", div.stderr);
    div
}

/// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("chiso-cli-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Whether a JSON value is a decimal string as spec/output.md defines it: at most 6 decimal
/// places, no trailing zeros, no exponent or thousands separator, `-` for negatives.
fn is_decimal_string(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && frac.len() <= 6
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !frac.ends_with('0')
        && s != "-0"
}

// ----- usage and exit codes ------------------------------------------------------------------------

#[test]
fn usage_errors_exit_with_2() {
    expect_code(&chiso(&[]), 2);
    expect_code(&chiso(&["frobnicate"]), 2);
    expect_code(&chiso(&["check"]), 2);
    expect_code(&chiso(&["eval", STARTER]), 2); // no --data
    expect_code(&chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "xml"]), 2);
    expect_code(&chiso(&["eval", STARTER, "--data", STARTER_DATA, "--locale", "fr"]), 2);
    expect_code(&chiso(&["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú"]), 2);
    // no --indicator
}

#[test]
fn help_and_version_exit_with_0() {
    let help = chiso(&["--help"]);
    expect_code(&help, 0);
    for cmd in ["check", "eval", "explain", "test", "fmt"] {
        assert!(help.stdout.contains(cmd), "--help does not list `{cmd}`:\n{}", help.stdout);
    }
    let version = chiso(&["--version"]);
    expect_code(&version, 0);
    assert!(version.stdout.starts_with("chiso "), "{}", version.stdout);
}

#[test]
fn missing_files_exit_with_2() {
    for args in [
        vec!["check", "no/such/file.chiso"],
        vec!["test", "no/such/folder"],
        vec!["fmt", "no/such/file.chiso"],
        vec!["eval", "no/such/file.chiso", "--data", STARTER_DATA],
        vec!["eval", STARTER, "--data", "no/such/data.csv"],
        vec!["explain", STARTER, "--data", "no/such/data.csv", "--unit", "x", "--indicator", "3.1"],
    ] {
        let run = chiso(&args);
        expect_code(&run, 2);
        assert!(run.stderr.contains("chiso:"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn bad_arguments_to_eval_and_explain_exit_with_2() {
    let tmp = TempDir::new();
    let xls = tmp.write("data.xls", "unit,indicator,input,value\n");
    let run = chiso(&["eval", STARTER, "--data", xls.to_str().unwrap()]);
    expect_code(&run, 2);
    assert!(run.stderr.contains(".csv, .tsv, .txt, .json or .xlsx"), "{}", run.stderr);
    expect_code(&chiso(&["eval", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh Không Có"]), 2);
    let no_unit = ["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh Không Có", "--indicator", "3.1"];
    expect_code(&chiso(&no_unit), 2);
    let no_ind = ["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú", "--indicator", "9.99"];
    expect_code(&chiso(&no_ind), 2);
}

// ----- check ---------------------------------------------------------------------------------------

#[test]
fn check_exit_codes() {
    let ok = chiso(&["check", STARTER]);
    expect_code(&ok, 0);
    assert!(ok.stderr.contains("checked 1 file(s): 0 error(s)"), "{}", ok.stderr);
    // Warnings alone do not fail.
    expect_code(&chiso(&["check", "tests/corpus/names/indicator-without-owner.chiso"]), 0);
    let bad = chiso(&["check", fixture("syntax-error.chiso").to_str().unwrap()]);
    expect_code(&bad, 1);
    assert!(bad.stderr.contains("E0101"), "{}", bad.stderr);
    assert!(bad.stderr.contains("1 error(s)"), "{}", bad.stderr);
}

#[test]
fn folders_without_rule_files_are_not_a_clean_check() {
    let tmp = TempDir::new();
    let empty = tmp.path().join("trống");
    std::fs::create_dir_all(&empty).unwrap();
    let named = tmp.path().join("x.chiso");
    std::fs::create_dir_all(&named).unwrap();
    std::fs::write(named.join("ghi-chu.txt"), "không phải tệp quy tắc").unwrap();
    for (dir, says) in [(&empty, "no .chiso file in the folder"), (&named, "is a folder, not a rule file")] {
        for cmd in ["check", "test", "fmt"] {
            let run = chiso(&[cmd, dir.to_str().unwrap()]);
            expect_code(&run, 2);
            assert!(run.stderr.contains(says), "{cmd} {}: {}", dir.display(), run.stderr);
            assert!(!run.stderr.contains("checked 0 file(s)"), "{}", run.stderr);
        }
    }
}

#[test]
fn check_walks_folders() {
    let run = chiso(&["check", "examples", "stdlib"]);
    expect_code(&run, 0);
    let n: usize = run
        .stderr
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("checked "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary line:\n{}", run.stderr));
    assert!(n >= 4, "only {n} files checked");
    // A folder with an error fails the whole run.
    expect_code(&chiso(&["check", "tests/corpus/units"]), 1);
}

#[test]
fn check_json_shape() {
    let run = chiso(&["check", "--format", "json", fixture("syntax-error.chiso").to_str().unwrap(), STARTER]);
    expect_code(&run, 1);
    let doc = run.json();
    assert_eq!(keys(&doc), ["diagnostics", "errors", "warnings"]);
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["warnings"], 0);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert_eq!(
        keys(d),
        [
            "code",
            "severity",
            "message",
            "title",
            "title_vi",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "labels",
            "help"
        ]
    );
    assert_eq!(str_of(d, "code"), "E0101");
    assert_eq!(str_of(d, "severity"), "error");
    assert_eq!(str_of(d, "title"), "unexpected token");
    assert_eq!(str_of(d, "title_vi"), "ký hiệu không mong đợi");
    assert!(str_of(d, "file").ends_with("syntax-error.chiso"));
    // `score = min(n * 1 pt, max` misses its `)`: the `}` on line 9 is unexpected.
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(9), Some(1)));
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(9), Some(2)));
    assert!(d["labels"].is_array());
    // Text output goes to stderr; JSON to stdout only.
    assert!(!run.stdout.contains("×"), "{}", run.stdout);
}

#[test]
fn check_json_columns_count_characters() {
    // `ở` and `ệ` are one column each, although they take several bytes.
    let tmp = TempDir::new();
    let file =
        tmp.write("cot.chiso", "agency Sở \"Sở\"\nindicator 1 \"Chỉ số\" { max 1 owner Sở score = tổng_điểm }\n");
    let run = chiso_in(tmp.path(), &["check", "--format", "json", "cot.chiso"]);
    expect_code(&run, 1);
    let doc = run.json();
    let d = doc["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "E0201").unwrap();
    assert_eq!(str_of(d, "file"), "cot.chiso");
    let line2 = std::fs::read_to_string(file).unwrap().lines().nth(1).unwrap().to_string();
    let col = line2[..line2.find("tổng_điểm").unwrap()].chars().count() + 1;
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(col as u64)));
    assert_eq!(d["end_column"].as_u64(), Some((col + "tổng_điểm".chars().count()) as u64));
}

/// The fenced blocks of a Markdown file, as (language, text).
fn md_blocks(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            let mut text = String::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                text.push_str(l);
                text.push('\n');
            }
            out.push((lang.trim().to_string(), text));
        }
    }
    out
}

/// Compares the binary's JSON with the spec's: the same fields in the same order and the same
/// values, except diagnostics' `message` and `help`, whose wording may improve.
fn assert_same_json(path: &str, actual: &Value, spec: &Value, problems: &mut Vec<String>) {
    match (actual, spec) {
        (Value::Object(a), Value::Object(s)) => {
            let (ka, ks): (Vec<&String>, Vec<&String>) = (a.keys().collect(), s.keys().collect());
            if ka != ks {
                problems.push(format!("{path}: fields {ka:?}, the spec has {ks:?}"));
                return;
            }
            let is_diag = a.contains_key("code") && a.contains_key("severity");
            for (k, v) in a {
                if is_diag && (k == "message" || k == "help") {
                    continue;
                }
                assert_same_json(&format!("{path}.{k}"), v, &s[k], problems);
            }
        }
        (Value::Array(a), Value::Array(s)) => {
            if a.len() != s.len() {
                problems.push(format!("{path}: {} elements, the spec has {}", a.len(), s.len()));
                return;
            }
            for (i, (x, y)) in a.iter().zip(s).enumerate() {
                assert_same_json(&format!("{path}[{i}]"), x, y, problems);
            }
        }
        _ if actual != spec => problems.push(format!("{path}: {actual}, the spec has {spec}")),
        _ => {}
    }
}

#[test]
fn spec_output_examples_are_what_the_binary_prints() {
    let md = std::fs::read_to_string(root().join("spec/output.md")).unwrap();
    let blocks = md_blocks(&md);
    let of = |lang: &str| -> Vec<&String> { blocks.iter().filter(|(l, _)| l == lang).map(|(_, t)| t).collect() };
    let (chiso_blocks, json_blocks, csv_blocks) = (of("chiso"), of("json"), of("csv"));
    assert!(chiso_blocks.len() >= 2 && json_blocks.len() >= 2 && !csv_blocks.is_empty(), "spec/output.md changed");
    let tmp = TempDir::new();
    tmp.write("bad.chiso", chiso_blocks[0]);
    tmp.write("dti.chiso", chiso_blocks[1]);
    tmp.write("data.csv", csv_blocks[0]);
    let mut problems = Vec::new();

    let check = chiso_in(tmp.path(), &["check", "bad.chiso", "--format", "json"]);
    expect_code(&check, 1);
    let spec: Value = serde_json::from_str(json_blocks[0]).unwrap();
    assert_same_json("check", &check.json(), &spec, &mut problems);

    let eval = chiso_in(tmp.path(), &["eval", "dti.chiso", "--data", "data.csv", "--locale", "vi", "--format", "json"]);
    expect_code(&eval, 1);
    let spec: Value = serde_json::from_str(json_blocks[1]).unwrap();
    assert_same_json("eval", &eval.json(), &spec, &mut problems);

    assert!(problems.is_empty(), "spec/output.md and the binary disagree:\n  {}", problems.join("\n  "));
}

// ----- eval ----------------------------------------------------------------------------------------

#[test]
fn eval_table() {
    let run = chiso(&["eval", STARTER, "--data", STARTER_DATA]);
    expect_code(&run, 0);
    let out = &run.stdout;
    assert!(out.starts_with("Chiso starter — Hạ tầng và hoạt động số"), "{out}");
    for unit in ["== Tỉnh An Phú ==", "== Tỉnh Bình Sơn ==", "== Tỉnh Cát Lâm =="] {
        assert!(out.contains(unit), "no `{unit}`:\n{out}");
    }
    // Totals checked by hand (see the starter's data): 76.2397…, 59.52, 50.8544….
    for total in ["TOTAL 76.24   INDEX 0.7624   RANK 1", "TOTAL 59.52   INDEX 0.5952   RANK 2", "TOTAL 50.85"] {
        assert!(out.contains(total), "no `{total}`:\n{out}");
    }
    assert!(out.contains("Ranking"), "{out}");
    assert!(out.contains("not scored"), "{out}");
    // One unit only.
    let one = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh Bình Sơn"]);
    expect_code(&one, 0);
    assert!(one.stdout.contains("== Tỉnh Bình Sơn ==") && !one.stdout.contains("== Tỉnh An Phú =="));
    // Its card is the one the whole table shows (the others scored for their totals only), rank
    // included, for every unit of the cohort.
    for unit in ["Tỉnh An Phú", "Tỉnh Bình Sơn", "Tỉnh Cát Lâm"] {
        let one = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--unit", unit]);
        expect_code(&one, 0);
        let card = one.stdout.split_once(&format!("== {unit} ==")).map(|(_, c)| c).unwrap_or_default();
        let whole = out.split_once(&format!("== {unit} ==")).map(|(_, c)| c).unwrap_or_default();
        assert!(!card.is_empty() && whole.starts_with(card.trim_end()), "{unit}:\n{card}\n---\n{whole}");
    }
    // Another unit's evaluation error still fails a run that shows one unit.
    let kh = division_by_zero(&["--unit", "KH"]);
    assert!(kh.stdout.contains("== KH ==") && !kh.stdout.contains("== NT =="), "{}", kh.stdout);
}

#[test]
fn eval_json() {
    let run = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "json"]);
    expect_code(&run, 0);
    let doc = run.json();
    assert_eq!(keys(&doc), ["rulebook", "units", "diagnostics"]);
    assert_eq!(str_of(&doc, "rulebook"), "Chiso starter — Hạ tầng và hoạt động số");
    let units = doc["units"].as_array().unwrap();
    let ids: Vec<&str> = units.iter().map(|u| str_of(u, "id")).collect();
    assert_eq!(ids, ["Tỉnh An Phú", "Tỉnh Bình Sơn", "Tỉnh Cát Lâm"]);
    let expected = [("76.239709", "0.762397", 1), ("59.52", "0.5952", 2), ("50.854446", "0.508544", 3)];
    for (u, (total, index, rank)) in units.iter().zip(expected) {
        assert_eq!(keys(u), ["id", "total", "index", "complete", "rank", "pillars", "indicators"]);
        assert_eq!((str_of(u, "total"), str_of(u, "index")), (total, index));
        assert_eq!(u["rank"].as_u64(), Some(rank));
        assert_eq!(u["complete"], true);
        let pillars = u["pillars"].as_array().unwrap();
        assert_eq!(pillars.iter().map(|p| str_of(p, "id")).collect::<Vec<_>>(), ["S", "IX"]);
        for p in pillars {
            assert_eq!(keys(p), ["id", "title", "score", "max", "complete"]);
            assert!(is_decimal_string(&p["score"]) && is_decimal_string(&p["max"]), "{p}");
        }
        let inds = u["indicators"].as_array().unwrap();
        assert_eq!(inds.len(), 13);
        for i in inds {
            assert_eq!(
                keys(i),
                [
                    "id",
                    "title",
                    "pillar",
                    "parent",
                    "max",
                    "status",
                    "score",
                    "raw_score",
                    "reason",
                    "contradicted_assumption"
                ],
                "{i}"
            );
            assert!(is_decimal_string(&i["max"]), "{i}");
            match str_of(i, "status") {
                "scored" => assert!(is_decimal_string(&i["score"]) && i["reason"].is_null(), "{i}"),
                "not_scored" => assert!(i["score"].is_null() && i["raw_score"].is_null(), "{i}"),
                other => panic!("unexpected status {other} in {i}"),
            }
        }
        let sub = inds.iter().find(|i| i["id"] == "5.12.1").unwrap();
        assert_eq!((str_of(sub, "parent"), str_of(sub, "pillar")), ("5.12", "S"));
        let ns = inds.iter().find(|i| i["id"] == "9.1").unwrap();
        assert_eq!(str_of(ns, "status"), "not_scored");
    }
    // Scores checked by hand for Tỉnh An Phú.
    let score = |id: &str| {
        let i = units[0]["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
        str_of(i, "score").to_string()
    };
    assert_eq!(score("3.1"), "6.525424"); // 385000 / 590000 × 10
    assert_eq!(score("6.12"), "10"); // (60000 + 36000) / 120000 = 80% exactly
    assert_eq!(score("5.12"), "5"); // 5.12.1: 2.5 / 20 = 12.5% → 5; 5.12.3: 0.8 tỷ < 1 → 0
    assert_eq!(score("4.5"), "3.714286"); // min-max of 0.008 in [0.0042857…, 0.0142857…]
    assert!(doc["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn eval_csv() {
    let run = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv"]);
    expect_code(&run, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // The columns of earlier versions first, then title, rank, clamped (with the raw score) and
    // the assumption the data contradicts.
    assert_eq!(lines[0], "unit,kind,id,score,max,status,reason,title,rank,clamped,raw_score,contradicted_assumption");
    for want in [
        "Tỉnh An Phú,indicator,3.1,6.525424,10,scored,,Tỷ lệ dân số trưởng thành có điện thoại thông minh,1,false,,",
        "Tỉnh An Phú,pillar,S,76.239709,100,complete,,Chỉ số mẫu,1,,,",
        "Tỉnh An Phú,total,,76.239709,,complete,,,1,,,",
        "Tỉnh Cát Lâm,index,,0.508544,,,,,3,,,",
        "Tỉnh Cát Lâm,indicator,9.1,,0,not_scored,,Đề án phát triển Đô thị thông minh,3,false,,",
        // A title with a comma is quoted.
        "Tỉnh An Phú,indicator,4.5,3.714286,10,scored,,\"Tỷ lệ công chức, viên chức chuyên trách chuyển đổi số\",1,false,,",
    ] {
        assert!(lines.contains(&want), "no `{want}` in:\n{}", run.stdout);
    }
    // 3 units × (13 indicators + 2 pillars + total + index) + header.
    assert_eq!(lines.len(), 1 + 3 * 17);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    for r in reader.records() {
        assert_eq!(r.unwrap().len(), 12);
    }
    // The clamped flag and the score as computed.
    let clamped = chiso(&[
        "eval",
        "tests/corpus/eval/clamping.chiso",
        "--data",
        "tests/corpus/eval/clamping.csv",
        "--format",
        "csv",
    ]);
    expect_code(&clamped, 0);
    assert!(
        clamped.stdout.contains("NT,indicator,6.21,10,10,scored,,Mức độ ứng dụng AI,2,true,12,\n"),
        "{}",
        clamped.stdout
    );
    assert!(
        clamped.stdout.contains("NT,indicator,5.9,0,5,scored,,Điểm trừ theo số sự cố,2,true,-3,\n"),
        "{}",
        clamped.stdout
    );
    // A carriage return inside a field is quoted (some readers end a line there).
    let tmp = TempDir::new();
    tmp.write("d.json", r#"{"units": {"Sở\rNgành": {"6.21": {"n": 1}, "5.9": {"su_co": 0}}}}"#);
    let cr = chiso(&[
        "eval",
        "tests/corpus/eval/clamping.chiso",
        "--data",
        tmp.path().join("d.json").to_str().unwrap(),
        "--format",
        "csv",
    ]);
    expect_code(&cr, 0);
    assert!(cr.stdout.contains("\n\"Sở\rNgành\",total,,"), "{:?}", cr.stdout);
}

/// `--totals`: the full CSV's pillar, total and index rows, nothing else; an evaluation error the
/// rows do not show still fails the run; other formats are refused.
#[test]
fn eval_csv_totals() {
    let full = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv"]);
    for precision in ["6", "exact"] {
        let full = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv", "--precision", precision]);
        let totals =
            chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv", "--precision", precision, "--totals"]);
        expect_code(&totals, 0);
        let expected: Vec<&str> = full.stdout.lines().filter(|l| !l.contains(",indicator,")).collect();
        assert_eq!(totals.stdout.lines().collect::<Vec<_>>(), expected, "precision {precision}");
    }
    // 3 units × (2 pillars + total + index) + header.
    assert_eq!(full.stdout.lines().filter(|l| !l.contains(",indicator,")).count(), 1 + 3 * 4);
    let div = division_by_zero(&["--format", "csv", "--totals"]);
    assert!(div.stdout.contains("NT,total,,") && !div.stdout.contains(",indicator,"), "{}", div.stdout);
    for format in ["json", "table"] {
        let run = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", format, "--totals", "--lang", "vi"]);
        expect_code(&run, 2);
        // One `chiso:` in front, as every fatal message has.
        assert!(run.stderr.starts_with("chiso: --totals ghi các dòng CSV;") && run.stdout.is_empty(), "{}", run.stderr);
    }
}

/// Thousands of failed results (a data habit repeated down a column) are said per indicator, with
/// a count and the first units, in every format and both languages; a few are named one by one.
#[test]
fn many_evaluation_errors_are_counted_per_indicator() {
    let dir = TempDir::new();
    let mut csv = String::from("unit,indicator,input,value\n");
    for u in 0..1500 {
        csv += &format!("X{u:04},5.11,a,0\nX{u:04},5.11,b,0\nX{u:04},5.12,a,0\nX{u:04},5.12,b,0\n");
    }
    let data = dir.write("many.csv", csv);
    let case = ["eval", "tests/corpus/eval/division-by-zero.chiso", "--data", data.to_str().unwrap()];
    for format in ["csv", "json", "table"] {
        let run = chiso(&[&case[..], &["--format", format]].concat());
        expect_code(&run, 1);
        let last = run.stderr.lines().last().unwrap_or_default();
        assert_eq!(
            last,
            "chiso: evaluation errors in 1,500 indicator result(s): 5.11 in 1,500 unit(s) (X0000, X0001, X0002, …)",
            "{format}"
        );
    }
    let vi = chiso(&[&case[..], &["--format", "csv", "--totals", "--lang", "vi"]].concat());
    expect_code(&vi, 1);
    assert!(
        vi.stderr
            .ends_with("chiso: không tính được 1.500 kết quả chỉ số: 5.11 ở 1.500 đơn vị (X0000, X0001, X0002, …)\n"),
        "{}",
        vi.stderr
    );
    // The reason in Vietnamese words, its values written the Vietnamese way.
    let why = chiso(&["explain", case[1], "--data", case[3], "--unit", "X0007", "--indicator", "5.11", "--lang", "vi"]);
    assert!(why.stdout.contains("không tính được: chia cho 0: `b` bằng 0 (b = 0)"), "{}", why.stdout);
}

#[test]
fn eval_json_data() {
    let run = chiso(&[
        "eval",
        fixture("no-locale.chiso").to_str().unwrap(),
        "--data",
        fixture("data-vi.json").to_str().unwrap(),
        "--locale",
        "vi",
        "--format",
        "json",
    ]);
    expect_code(&run, 0);
    let doc = run.json();
    let u = &doc["units"][0];
    // 6,03 tỷ ≥ 6 tỷ → 10; 20.659 / 41318 = 50% → 5.
    assert_eq!(str_of(u, "total"), "15");
}

#[test]
fn eval_locale_vi() {
    let rb = fixture("no-locale.chiso");
    let data = fixture("data-vi.csv");
    let (rb, data) = (rb.to_str().unwrap(), data.to_str().unwrap());
    let vi = chiso(&["eval", rb, "--data", data, "--locale", "vi", "--format", "csv"]);
    expect_code(&vi, 0);
    assert!(vi.stdout.contains("NT,indicator,5.12.2,10,10,scored,"), "{}", vi.stdout);
    assert!(vi.stdout.contains("NT,indicator,3.1,5,10,scored,"), "{}", vi.stdout);
    assert!(vi.stdout.contains("NT,total,,15,,complete,"), "{}", vi.stdout);
    // Without the locale, `6,03` is not a number, and the message says what to do.
    let en = chiso(&["eval", rb, "--data", data]);
    expect_code(&en, 1);
    assert!(en.stderr.contains("E0802") && en.stderr.contains("--locale vi"), "{}", en.stderr);
    assert!(en.stdout.is_empty(), "nothing is scored: {}", en.stdout);
    // `--locale en` overrides a rulebook's `locale vi`.
    let tmp = TempDir::new();
    let with_locale = std::fs::read_to_string(fixture("no-locale.chiso")).unwrap().replace(
        "// No `locale` here: `--locale vi` decides how the data's numbers are read.",
        "rulebook \"R\" {\n  locale vi\n}",
    );
    let rb2 = tmp.write("vi.chiso", with_locale);
    expect_code(&chiso(&["eval", rb2.to_str().unwrap(), "--data", data]), 0);
    expect_code(&chiso(&["eval", rb2.to_str().unwrap(), "--data", data, "--locale", "en"]), 1);
}

#[test]
fn eval_errors_exit_with_1() {
    // A rulebook with errors: nothing is scored.
    let bad = chiso(&["eval", fixture("syntax-error.chiso").to_str().unwrap(), "--data", STARTER_DATA]);
    expect_code(&bad, 1);
    assert!(bad.stderr.contains("nothing was scored"), "{}", bad.stderr);
    // Data with errors: nothing is scored.
    let data = chiso(&[
        "eval",
        "tests/corpus/data/wrong-type-values.chiso",
        "--data",
        "tests/corpus/data/wrong-type-values.csv",
    ]);
    expect_code(&data, 1);
    assert!(data.stderr.contains("E0802") && data.stdout.is_empty(), "{}", data.stderr);
    // A division by zero: the other results are printed, and the run fails.
    let div = division_by_zero(&["--format", "json"]);
    let doc = div.json();
    let nt = &doc["units"][0];
    let i = &nt["indicators"][0];
    assert_eq!((str_of(i, "status"), str_of(i, "reason")), ("not_evaluable", "division by zero: `b` is 0 (b = 0)"));
    assert_eq!(nt["complete"], false);
    // Missing data is a status, not a failure.
    expect_code(
        &chiso(&["eval", "tests/corpus/eval/missing-data.chiso", "--data", "tests/corpus/eval/missing-data.csv"]),
        0,
    );
}

#[test]
fn data_that_is_not_utf8_is_e0103() {
    let tmp = TempDir::new();
    let data = tmp.write("data.csv", b"unit,indicator,input,value\nNT,6.21,n,\xff\xfe\n");
    let run = chiso(&["eval", "tests/corpus/eval/per-item-cap.chiso", "--data", data.to_str().unwrap()]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("E0103") && run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    let rule = tmp.write("r.chiso", b"agency S \"S\xe1\"\n");
    let run = chiso(&["check", rule.to_str().unwrap()]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("E0103"), "{}", run.stderr);
}

// ----- explain -------------------------------------------------------------------------------------

#[test]
fn explain_shows_inputs_branch_and_score() {
    let run = chiso(&["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú", "--indicator", "6.12"]);
    expect_code(&run, 0);
    let out = &run.stdout;
    for want in [
        "6.12 Tỷ lệ hồ sơ xử lý trực tuyến — unit Tỉnh An Phú",
        "max 10 points",
        "rule:",
        "input a = 120000  (Tổng số hồ sơ giải quyết DVC)",
        "input b = 60000",
        "input c = 36000",
        // A percentage reads as one, as the rule's `>= 80%` does.
        "let ratio = 80%",
        "branch: ratio = 80% matches `>= 80%`",
        "score = 10 / 10",
    ] {
        assert!(out.contains(want), "no `{want}` in:\n{out}");
    }
    // The branch not taken, for another unit.
    let other = chiso(&["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh Bình Sơn", "--indicator", "6.12"]);
    expect_code(&other, 0);
    assert!(other.stdout.contains("matches `else`") && other.stdout.contains("score = 7 / 10"), "{}", other.stdout);
}

#[test]
fn explain_shows_parts_cohorts_sums_and_clamping() {
    let explain = |unit: &str, ind: &str| {
        let run = chiso(&["explain", STARTER, "--data", STARTER_DATA, "--unit", unit, "--indicator", ind]);
        expect_code(&run, 0);
        run.stdout
    };
    let parts = explain("Tỉnh Bình Sơn", "3.5");
    assert!(parts.contains("part \"Triển khai\" = 2.5") && parts.contains("part \"Kết nối\" = 0"), "{parts}");
    let cohort = explain("Tỉnh An Phú", "4.5");
    assert!(cohort.contains("minmax: value 0.008, cohort of 3 units"), "{cohort}");
    let sum = explain("Tỉnh Bình Sơn", "5.12");
    assert!(sum.contains("sum of sub-indicators: 5.12.1 = 1.5 + 5.12.3 = 5"), "{sum}");
    let clamped = chiso(&[
        "explain",
        "tests/corpus/eval/clamping.chiso",
        "--data",
        "tests/corpus/eval/clamping.csv",
        "--unit",
        "NT",
        "--indicator",
        "6.21",
    ]);
    expect_code(&clamped, 0);
    assert!(clamped.stdout.contains("computed 12, outside [0, max]: reported as 10"), "{}", clamped.stdout);
    let missing = chiso(&[
        "explain",
        "tests/corpus/eval/missing-data.chiso",
        "--data",
        "tests/corpus/eval/missing-data.csv",
        "--unit",
        "KH",
        "--indicator",
        "3.1",
    ]);
    expect_code(&missing, 0);
    assert!(missing.stdout.contains("not evaluable: input `b` (Tổng dân số) was not reported"), "{}", missing.stdout);
}

// ----- test ----------------------------------------------------------------------------------------

#[test]
fn test_command_on_the_starter_passes() {
    let run = chiso(&["test", "examples/starter"]);
    expect_code(&run, 0);
    assert!(run.stdout.contains("PASS") && run.stdout.contains("3 passed, 0 failed"), "{}", run.stdout);
}

#[test]
fn failing_tests_exit_with_1_and_e0804() {
    let run = chiso(&["test", fixture("failing-test.chiso").to_str().unwrap()]);
    expect_code(&run, 1);
    assert!(run.stdout.contains("FAIL") && run.stdout.contains("0 passed, 1 failed"), "{}", run.stdout);
    assert!(run.stderr.contains("E0804") && run.stderr.contains("expected 5, got 4"), "{}", run.stderr);
    // A file with errors is not run, and fails.
    let bad = chiso(&["test", fixture("syntax-error.chiso").to_str().unwrap()]);
    expect_code(&bad, 1);
    assert!(bad.stderr.contains("its tests were not run"), "{}", bad.stderr);
}

// ----- fmt -----------------------------------------------------------------------------------------

#[test]
fn fmt_check_tells_formatted_from_unformatted() {
    expect_code(&chiso(&["fmt", "--check", STARTER]), 0);
    let run = chiso(&["fmt", "--check", fixture("unformatted.chiso").to_str().unwrap()]);
    expect_code(&run, 1);
    assert!(run.stdout.contains("not formatted"), "{}", run.stdout);
    // --check never writes.
    let before = std::fs::read_to_string(fixture("unformatted.chiso")).unwrap();
    assert!(before.contains("score = a/b*max }"), "the fixture was modified");
}

#[test]
fn fmt_rewrites_is_idempotent_and_keeps_comments() {
    let tmp = TempDir::new();
    let original = std::fs::read_to_string(fixture("unformatted.chiso")).unwrap();
    let file = tmp.write("u.chiso", &original);
    let f = file.to_str().unwrap();
    let run = chiso(&["fmt", f]);
    expect_code(&run, 0);
    assert!(run.stdout.contains("formatted"), "{}", run.stdout);
    let once = std::fs::read_to_string(&file).unwrap();
    assert_ne!(once, original);
    for comment in [
        "// Tệp chưa định dạng: khoảng trắng lộn xộn, nhưng chú thích phải được giữ.",
        "/// Chỉ số mẫu.",
        "// ghi chú cuối dòng",
    ] {
        assert!(once.contains(comment), "lost `{comment}`:\n{once}");
    }
    assert!(once.contains("  score = a / b * max\n}"), "{once}");
    // Idempotent: a second run changes nothing and says nothing; --check now passes.
    let again = chiso(&["fmt", f]);
    expect_code(&again, 0);
    assert!(again.stdout.is_empty(), "{}", again.stdout);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), once);
    expect_code(&chiso(&["fmt", "--check", f]), 0);
    // The formatted file means the same: its test still passes.
    expect_code(&chiso(&["test", f]), 0);
}

#[test]
fn fmt_leaves_files_with_syntax_errors_alone() {
    let tmp = TempDir::new();
    let original = std::fs::read_to_string(fixture("syntax-error.chiso")).unwrap();
    let file = tmp.write("bad.chiso", &original);
    let run = chiso(&["fmt", file.to_str().unwrap()]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("not formatted because of syntax errors"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn fmt_leaves_files_that_are_not_utf8_alone() {
    let tmp = TempDir::new();
    // "Thể chế số" in Windows-1258 bytes, as an old editor might save it, and badly indented.
    let original: &[u8] = b"agency   S \"Th\xea\xd2 ch\xea\xf2 s\xf4\xf2\"\n";
    let file = tmp.write("latin.chiso", original);
    let run = chiso(&["fmt", file.to_str().unwrap()]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("E0103"), "{}", run.stderr);
    assert!(run.stderr.contains("not formatted: it is not UTF-8"), "{}", run.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), original);
}

#[test]
fn bundled_examples_are_formatted() {
    expect_code(&chiso(&["fmt", "--check", "examples", "stdlib"]), 0);
}

/// Output snapshots: each `cli/tests/snapshots/NAME.args` (one argument per line, paths relative
/// to the repository root) is run, and its exit code, stdout and stderr are compared with
/// `NAME.out`. Adding a case is adding an `.args` file; a difference writes `NAME.out.new`, which
/// `scripts/snapshots.sh review` shows and `accept` takes.
#[test]
fn output_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "args"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut problems = Vec::new();
    for case in cases {
        let text = std::fs::read_to_string(&case).unwrap();
        let args: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        let run = chiso(&args);
        let actual = format!("exit {}\n--- stdout\n{}--- stderr\n{}", run.code, run.stdout, run.stderr);
        if let Err(e) = chiso_tests::snapshot::compare(&case.with_extension("out"), &actual) {
            problems.push(e);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The 2024 report's PHỤ LỤC 1 prints, per indicator, "Ước thực hiện 6 tháng đầu năm so với Kế
/// hoạch" — column (6)/(5) — and PHỤ LỤC 2 counts "05/11 đúng hạn, 06/11 trong hạn". `chiso status`
/// on examples/ict-2024 as of the report's date must give the same numbers, computed from the plan
/// and the reported values (the document's figures are typed in here, not the tool's).
#[test]
fn ict_2024_reproduces_the_reports_own_figures() {
    let run = chiso(&[
        "status",
        "examples/ict-2024/ict-2024.chiso",
        "--data",
        "examples/ict-2024/data.csv",
        "--as-of",
        "2024-05-27",
        "--format",
        "json",
    ]);
    expect_code(&run, 0);
    let report = run.json();
    // Row → column (6)/(5) as printed (row 1 has no estimate: "-").
    let printed = [
        ("2", "98.24"),
        ("3", "99.50"),
        ("4", "96.43"),
        ("5", "101.74"),
        ("6", "100"),
        ("7", "49.92"),
        ("7.1", "50.67"),
        ("7.2", "50"),
        ("8", "50"),
        ("8.1", "50"),
        ("8.2", "50"),
        ("9", "100"),
        ("10", "100"),
        ("11", "100"),
        ("12", "100"),
        ("13", "100"),
    ];
    let targets = report["targets"].as_array().unwrap();
    let same = |a: &str, b: &str| a.parse::<f64>().unwrap() == b.parse::<f64>().unwrap();
    for (id, ratio) in printed {
        let t = targets.iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("no target {id}"));
        let got = str_of(&t["lines"][0], "ratio_percent");
        assert!(same(got, ratio), "row {id}: the report prints {ratio}%, chiso computes {got}%");
    }
    let row1 = targets.iter().find(|t| t["id"] == "1").unwrap();
    assert_eq!(row1["status"], "no_data");
    let pl2 = report["groups"].as_array().unwrap().iter().find(|g| str_of(g, "key").starts_with("PL2")).unwrap();
    assert_eq!(pl2["counts"]["task_total"], 11);
    assert_eq!(pl2["counts"]["tasks"]["done_on_time"], 5, "05/11 đúng hạn");
    assert_eq!(pl2["counts"]["tasks"]["open"], 6, "06/11 trong hạn");
}

// ----- output to a reader that stops early -----------------------------------------------------------

/// Runs `chiso args…` at the repository root with its standard output read by `reader` (which
/// may stop reading and close the pipe at any time); returns the exit code and stderr.
fn chiso_piped(args: &[&str], reader: impl FnOnce(std::process::ChildStdout)) -> (i32, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .current_dir(root())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    reader(child.stdout.take().unwrap());
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (code, errors.join().unwrap())
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::BufRead;
    let dti = "examples/dti-2022/dti-2022.chiso";
    let cohort = "examples/dti-2022/data/cohort.json"; // JSON numbers read the same in any locale
    let unformatted = fixture("unformatted.chiso");
    let failing = fixture("failing-test.chiso");
    // (arguments, the exit code of a complete run)
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["eval", dti, "--data", cohort], 0),
        (vec!["eval", dti, "--data", cohort, "--format", "json"], 0),
        (vec!["eval", dti, "--data", cohort, "--format", "csv"], 0),
        (vec!["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú", "--indicator", "6.12"], 0),
        (vec!["check", "--format", "json", "examples"], 0),
        (vec!["test", "examples/starter"], 0),
        (vec!["test", failing.to_str().unwrap()], 1),
        (vec!["fmt", "--check", unformatted.to_str().unwrap()], 1),
        (
            vec![
                "status",
                "examples/ict-2024/ict-2024.chiso",
                "--data",
                "examples/ict-2024/data.csv",
                "--as-of",
                "2024-05-27",
            ],
            0,
        ),
        (vec!["owners", "examples/dti-2022"], 0),
        (vec!["owners", "examples/dti-2022", "--format", "json"], 0),
    ];
    for (args, code) in &cases {
        // The reader is gone before the first write…
        let (got, stderr) = chiso_piped(args, drop);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}:\n{stderr}");
        assert_eq!(got, *code, "{args:?}:\n{stderr}");
        // …or after the first line (the JSON of `eval` on the DTI cohort is larger than a pipe's
        // buffer, so the writer meets the closed pipe).
        let (got, stderr) = chiso_piped(args, |stdout| {
            let mut first = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut first);
        });
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}:\n{stderr}");
        assert_eq!(got, *code, "{args:?}:\n{stderr}");
    }
}

// ----- text diagnostics --------------------------------------------------------------------------

#[test]
fn text_diagnostics_count_columns_in_characters_as_the_json_does() {
    let tmp = TempDir::new();
    tmp.write("cot.chiso", "agency Sở \"Sở\"\nindicator 1 \"Chỉ số\" { max 1 owner Sở score = tổng_điểm }\n");
    let json = chiso_in(tmp.path(), &["check", "--format", "json", "cot.chiso"]).json();
    let d = json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "E0201").unwrap();
    let at = format!("[cot.chiso:{}:{}]", d["line"], d["column"]);
    assert_eq!(at, "[cot.chiso:2:47]");
    let text = chiso_in(tmp.path(), &["check", "cot.chiso"]);
    assert!(text.stderr.contains(&at), "no `{at}` in:\n{}", text.stderr);
    // A data file too: `Thành phố` takes 11 bytes and 9 columns.
    tmp.write("r.chiso", "agency S \"S\"\nindicator 3.1 \"T\" { max 1 owner S input a: count score = 1 }\n");
    tmp.write("d.csv", "unit,indicator,input,value\nThành phố,3.1,a,nhiều\n");
    let run = chiso_in(tmp.path(), &["eval", "r.chiso", "--data", "d.csv"]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("[d.csv:2:17]"), "{}", run.stderr);
}

#[test]
fn far_apart_labels_get_a_snippet_each() {
    // W0210 on the DTI rulebook: the colliding indicators are 214 lines apart.
    let run = chiso(&["check", "examples/dti-2022/dti-2022.chiso"]);
    let start = run.stderr.find("W0210").unwrap();
    let block = &run.stderr[start..];
    let block = &block[..block.find("help:").unwrap()];
    assert!(block.lines().count() < 20, "{block}");
    // A header per label (`╭─[file:line:column]`), far apart.
    let lines: Vec<usize> =
        block.split("dti-2022.chiso:").skip(1).map(|rest| rest.split(':').next().unwrap().parse().unwrap()).collect();
    assert_eq!(lines.len(), 2, "{block}");
    assert!(lines[1] - lines[0] > 200, "{block}");
}

#[test]
fn a_plans_label_points_into_its_rulebook() {
    // E0204 at the plan's own `agency SoTTTT`; the rulebook's declaration is in another file, and
    // the label says which, at the rulebook's own line and column.
    let plan = fixture("plan-redeclares-agency.chiso");
    let run = chiso(&["check", plan.to_str().unwrap(), "--format", "json"]);
    expect_code(&run, 1);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(str_of(d, "code"), "E0204");
    assert!(str_of(d, "file").ends_with("plan-redeclares-agency.chiso"), "{d}");
    let label = &d["labels"][0];
    assert!(str_of(label, "file").ends_with("examples/starter/starter.chiso"), "{label}");
    let rulebook = std::fs::read_to_string(root().join("examples/starter/starter.chiso")).unwrap();
    let line = rulebook.lines().position(|l| l.starts_with("agency SoTTTT")).unwrap() + 1;
    assert_eq!((label["line"].as_u64(), label["column"].as_u64()), (Some(line as u64), Some(8)), "{label}");
    // In the terminal: a snippet of the rulebook under the plan's own.
    let text = chiso(&["check", plan.to_str().unwrap()]);
    let rb = text.stderr.find(&format!("starter.chiso:{line}:8")).expect("a snippet of the rulebook");
    assert!(text.stderr.find("plan-redeclares-agency.chiso:8:8").is_some_and(|p| p < rb), "{}", text.stderr);
}

#[test]
fn a_plans_unknown_indicator_points_into_the_plan_and_its_suggestion_into_the_rulebook() {
    let plan = fixture("plan-unknown-indicator.chiso");
    let run = chiso(&["check", plan.to_str().unwrap(), "--format", "json"]);
    expect_code(&run, 1);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(str_of(d, "code"), "E0603");
    assert!(str_of(d, "file").ends_with("plan-unknown-indicator.chiso"), "{d}");
    assert_eq!(d["line"].as_u64(), Some(10), "{d}");
    let label = &d["labels"][0];
    assert!(str_of(label, "file").ends_with("examples/starter/starter.chiso"), "{label}");
    let rulebook = std::fs::read_to_string(root().join("examples/starter/starter.chiso")).unwrap();
    let line = rulebook.lines().position(|l| l.trim_start().starts_with("indicator 3.1 ")).unwrap() + 1;
    assert_eq!(label["line"].as_u64(), Some(line as u64), "{label}");
    assert_eq!(str_of(label, "text"), "`3.1` is declared here");
}

#[test]
fn a_huge_data_value_is_echoed_as_an_excerpt() {
    let tmp = TempDir::new();
    tmp.write(
        "r.chiso",
        "agency S \"S\"\nindicator 3.1 \"T\" { max 1 owner S input a: count input b: count score = 1 }\n",
    );
    let huge = "x".repeat(1_000_000);
    tmp.write("d.csv", format!("unit,indicator,input,value\nNT,3.1,a,Thành phố {huge}\nNT,3.1,b,Thành phố\n"));
    let run = chiso_in(tmp.path(), &["eval", "r.chiso", "--data", "d.csv"]);
    expect_code(&run, 1);
    assert!(run.stderr.len() < 3000, "{} bytes of stderr:\n{}", run.stderr.len(), &run.stderr[..3000]);
    assert!(run.stderr.contains("`Thành phố xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…(1000010 characters)`"), "{}", run.stderr);
    assert!(run.stderr.contains("at d.csv:2:10 (a line of 1000019 characters, not shown)"), "{}", run.stderr);
    // The next row's snippet leaves the huge line out of its context.
    assert!(run.stderr.contains("[d.csv:3:10]") && run.stderr.contains(" 3 │ NT,3.1,b,Thành phố"), "{}", run.stderr);
}

// ----- output a Vietnamese reader can use ------------------------------------------------------------

/// Runs `chiso args…` at the repository root with `LANG` set to `lang`.
fn chiso_with_lang(lang: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .current_dir(root())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every way the command itself gives up (a missing file, a wrong extension, a bad `--as-of`, an
/// unknown pillar) is said in Vietnamese to a Vietnamese environment, with the same exit code
/// (2) as in English; the operating system's own words may follow in brackets.
#[test]
fn the_commands_own_failures_are_said_in_vietnamese() {
    let cases: &[(&[&str], &str)] = &[
        (&["eval", "khong-co.chiso", "--data", STARTER_DATA], "không đọc được khong-co.chiso: không tìm thấy tệp"),
        (&["eval", STARTER, "--data", "README.md"], "tệp số liệu phải có đuôi"),
        (&["check", "khong-co"], "không có tệp hay thư mục nào tên khong-co"),
        (&["status", "examples/dti-2022/plan-2022.chiso", "--as-of", "2022-13-01"], "không có tháng 13"),
        (
            &["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú", "--pillar", "P9"],
            "không có trụ cột `P9`",
        ),
    ];
    for (args, said) in cases {
        let vi = chiso_with_lang("vi_VN.UTF-8", args);
        expect_code(&vi, 2);
        assert!(vi.stderr.contains(said), "{args:?}: {}", vi.stderr);
        for english in ["cannot", "no such", "must end", "does not exist", "in the rulebook"] {
            let words = vi.stderr.split('(').next().unwrap_or_default();
            assert!(!words.contains(english), "{args:?}: English `{english}`: {}", vi.stderr);
        }
        expect_code(&chiso_with_lang("en_US.UTF-8", args), 2);
    }
}

#[test]
fn diagnostics_in_vietnamese_with_lang_vi_or_a_vietnamese_environment() {
    let file = fixture("syntax-error.chiso");
    let file = file.to_str().unwrap();
    let json = |run: &Run| run.json()["diagnostics"][0].clone();
    let en = chiso(&["check", "--format", "json", file]);
    expect_code(&en, 1);
    assert_eq!(str_of(&json(&en), "message"), "expected `,` or `)`, found `}`");
    let vi = chiso(&["check", "--format", "json", "--lang", "vi", file]);
    expect_code(&vi, 1);
    let d = json(&vi);
    // The message in Vietnamese; code, titles and position as in English.
    assert_eq!(str_of(&d, "message"), "cần `,` hoặc `)`, nhưng gặp `}`");
    for key in ["code", "title", "title_vi", "line", "column"] {
        assert_eq!(d[key], json(&en)[key], "{key}");
    }
    // The environment decides when `--lang` does not; the terminal rendering follows.
    assert_eq!(chiso_with_lang("vi_VN.UTF-8", &["check", "--format", "json", file]).stdout, vi.stdout);
    let text = chiso_with_lang("vi_VN.UTF-8", &["check", file]);
    assert!(text.stderr.contains("cần `,` hoặc `)`, nhưng gặp `}`"), "{}", text.stderr);
    assert!(text.stderr.contains("ký hiệu không mong đợi"), "{}", text.stderr);
    // The command's own summary too.
    assert!(text.stderr.ends_with("đã kiểm tra 1 tệp: 1 lỗi, 0 cảnh báo\n"), "{}", text.stderr);
    let text = chiso_with_lang("en_US.UTF-8", &["check", file]);
    assert!(text.stderr.contains("expected `,` or `)`, found `}`"), "{}", text.stderr);
    assert!(text.stderr.ends_with("checked 1 file(s): 1 error(s), 0 warning(s)\n"), "{}", text.stderr);
}

#[test]
fn labels_in_vietnamese_with_lang_vi_or_a_vietnamese_environment() {
    let args = ["eval", STARTER, "--data", STARTER_DATA];
    let en = chiso(&args);
    expect_code(&en, 0);
    for want in ["PILLAR Chỉ số mẫu", "TOTAL 76.24   INDEX 0.7624   RANK 1", "Ranking", "not scored"] {
        assert!(en.stdout.contains(want), "no `{want}`:\n{}", en.stdout);
    }
    let vi = chiso(&[&args[..], &["--lang", "vi"]].concat());
    expect_code(&vi, 0);
    // Labels change; numbers follow the data's locale (here `en`), not the language.
    for want in ["TRỤ CỘT Chỉ số mẫu", "TỔNG 76.24   CHỈ SỐ 0.7624   XẾP HẠNG 1", "Xếp hạng", "không chấm điểm", "điểm"]
    {
        assert!(vi.stdout.contains(want), "no `{want}`:\n{}", vi.stdout);
    }
    // The environment decides when `--lang` does not.
    assert_eq!(chiso_with_lang("vi_VN.UTF-8", &args).stdout, vi.stdout);
    assert_eq!(chiso_with_lang("vi_VN.UTF-8", &[&args[..], &["--lang", "en"]].concat()).stdout, en.stdout);
    assert_eq!(chiso_with_lang("en_US.UTF-8", &args).stdout, en.stdout);
    // Explanations too, the branch taken included.
    let explain =
        ["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú", "--indicator", "6.12", "--lang", "vi"];
    let run = chiso(&explain);
    expect_code(&run, 0);
    for want in [
        "— đơn vị Tỉnh An Phú",
        "tối đa 10 điểm",
        "quy tắc:",
        "các bước:",
        "đầu vào a = 120000",
        "nhánh: ratio = 80% khớp `>= 80%`",
        "điểm = 10 / 10",
    ] {
        assert!(run.stdout.contains(want), "no `{want}`:\n{}", run.stdout);
    }
}

#[test]
fn numbers_in_the_data_locale() {
    let rb = fixture("no-locale.chiso");
    let data = fixture("data-vi.csv");
    let (rb, data) = (rb.to_str().unwrap(), data.to_str().unwrap());
    let table = chiso(&["eval", rb, "--data", data, "--locale", "vi"]);
    expect_code(&table, 0);
    assert!(table.stdout.contains("10,00   10,00") && table.stdout.contains("TOTAL 15,00"), "{}", table.stdout);
    let explain = chiso(&["explain", rb, "--data", data, "--locale", "vi", "--unit", "NT", "--indicator", "3.1"]);
    expect_code(&explain, 0);
    assert!(
        explain.stdout.contains("input a = 20.659\n") && explain.stdout.contains("input b = 41.318\n"),
        "{}",
        explain.stdout
    );
    let money = chiso(&["explain", rb, "--data", data, "--locale", "vi", "--unit", "NT", "--indicator", "5.12.2"]);
    assert!(money.stdout.contains("input a = 6,03"), "{}", money.stdout);
    // A percentage reads as one, the locale's way.
    let tmp = TempDir::new();
    tmp.write(
        "r.chiso",
        "agency S \"S\"\nindicator 3.3 \"Tỷ lệ\" {\n  max 10\n  owner S\n  input a: count\n  input b: count positive\n  assume a <= b\n  let ratio = a / b\n  score = when ratio {\n    >= 30% => max,\n    else => 0,\n  }\n}\n",
    );
    tmp.write("d.csv", "unit,indicator,input,value\nNT,3.3,a,1\nNT,3.3,b,3\n");
    let ratio = chiso_in(
        tmp.path(),
        &["explain", "r.chiso", "--data", "d.csv", "--locale", "vi", "--unit", "NT", "--indicator", "3.3"],
    );
    expect_code(&ratio, 0);
    assert!(
        ratio.stdout.contains("let ratio = 33,3333%\n") && ratio.stdout.contains("ratio = 33,3333% matches `>= 30%`"),
        "{}",
        ratio.stdout
    );
    // Machine formats keep plain decimals.
    let csv = chiso(&["eval", rb, "--data", data, "--locale", "vi", "--format", "csv"]);
    assert!(csv.stdout.contains("NT,total,,15,,complete"), "{}", csv.stdout);
}

#[test]
fn cut_titles_never_read_the_same() {
    let run = chiso(&["eval", "examples/dti-2022/dti-2022.chiso", "--data", "examples/dti-2022/data/cohort.json"]);
    expect_code(&run, 0);
    let card: Vec<&str> = run.stdout.split("\n== ").nth(1).unwrap().lines().collect();
    let title_of = |id: &str| {
        let line = card.iter().find(|l| l.starts_with(&format!("{id} "))).unwrap();
        line[9..].trim_start().split("  ").next().unwrap().to_string()
    };
    for (a, b) in [("1.1", "1.2"), ("2.5", "2.7")] {
        assert_ne!(title_of(a), title_of(b), "{a} and {b} read the same:\n{}", card.join("\n"));
    }
    assert!(title_of("1.1").contains("Trưởng ban") && title_of("1.2").contains("chủ trì"), "{}", card.join("\n"));
    // Every row keeps the columns where the header puts them.
    let header = card.iter().find(|l| l.starts_with("id ")).unwrap();
    let score_end = header.chars().count() - "  status".chars().count() - " max".chars().count() - 4;
    for l in card.iter().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())) {
        let last = l.chars().nth(score_end - 1);
        assert!(last.is_some_and(|c| c.is_ascii_digit() || c == '-'), "`{l}` vs `{header}`");
    }
}

#[test]
fn long_and_decomposed_unit_names_keep_the_ranking_aligned() {
    let tmp = TempDir::new();
    let long = "Ủy ban nhân dân Tỉnh An Phú (khối Sở, ngành)";
    // `Bình Sơn` written with combining marks: more characters than columns.
    let decomposed = "Ti\u{0309}nh Bi\u{0300}nh Sơn";
    let data = std::fs::read_to_string(root().join(STARTER_DATA))
        .unwrap()
        .replace("Tỉnh An Phú", &format!("\"{long}\""))
        .replace("Tỉnh Bình Sơn", decomposed);
    tmp.write("data.csv", data);
    let run = chiso(&["eval", STARTER, "--data", tmp.path().join("data.csv").to_str().unwrap()]);
    expect_code(&run, 0);
    let ranking: Vec<&str> = run.stdout.split("Ranking\n").nth(1).unwrap().lines().collect();
    assert_eq!(ranking.len(), 4, "{}", run.stdout);
    // The `complete` column starts at the same terminal column on every line.
    let col = |l: &str| {
        let at = l.rfind("  ").unwrap();
        unicode_width::UnicodeWidthStr::width(&l[..at])
    };
    let first = col(ranking[0]);
    for l in &ranking {
        assert_eq!(col(l), first, "misaligned:\n{}", ranking.join("\n"));
    }
    assert!(ranking.iter().any(|l| l.contains(long)), "{}", ranking.join("\n"));
}

#[test]
fn unit_filters_json_and_csv_too() {
    let json = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "json", "--unit", "Tỉnh Bình Sơn"]);
    expect_code(&json, 0);
    let doc = json.json();
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!((str_of(&units[0], "id"), units[0]["rank"].as_u64()), ("Tỉnh Bình Sơn", Some(2)));
    let csv = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv", "--unit", "Tỉnh Bình Sơn"]);
    expect_code(&csv, 0);
    let rows: Vec<&str> = csv.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 17, "{}", csv.stdout);
    assert!(rows.iter().all(|l| l.starts_with("Tỉnh Bình Sơn,")), "{}", csv.stdout);
    expect_code(&chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv", "--unit", "Hà Nội"]), 2);
}

#[test]
fn explain_a_pillar_and_the_total() {
    let base = ["explain", STARTER, "--data", STARTER_DATA, "--unit", "Tỉnh An Phú"];
    let pillar = chiso(&[&base[..], &["--pillar", "S"]].concat());
    expect_code(&pillar, 0);
    for want in [
        "pillar S Chỉ số mẫu — unit Tỉnh An Phú",
        "max 100 points",
        "sum of its indicators:",
        "3.1     6.525424 / 10",
        "score = 76.239709 / 100",
    ] {
        assert!(pillar.stdout.contains(want), "no `{want}`:\n{}", pillar.stdout);
    }
    // Sub-indicators are inside their parent's score, not terms of the sum.
    assert!(pillar.stdout.contains("5.12 ") && !pillar.stdout.contains("5.12.1"), "{}", pillar.stdout);
    // A pillar id given as --indicator explains the pillar.
    assert_eq!(chiso(&[&base[..], &["--indicator", "S"]].concat()).stdout, pillar.stdout);
    let total = chiso(&[&base[..], &["--total"]].concat());
    expect_code(&total, 0);
    for want in [
        "total — unit Tỉnh An Phú",
        "sum of the pillars:",
        "S   76.239709 / 100",
        "total = 76.239709 / 100",
        "index = total / 100 = 0.762397",
        "rank 1 / 3",
    ] {
        assert!(total.stdout.contains(want), "no `{want}`:\n{}", total.stdout);
    }
    let incomplete = chiso(&[
        "explain",
        "tests/corpus/eval/missing-data.chiso",
        "--data",
        "tests/corpus/eval/missing-data.csv",
        "--unit",
        "KH",
        "--total",
    ]);
    expect_code(&incomplete, 0);
    assert!(incomplete.stdout.contains("incomplete: some indicators are not evaluable"), "{}", incomplete.stdout);
    // One thing at a time; an unknown pillar is a usage error.
    expect_code(&chiso(&[&base[..], &["--pillar", "S", "--total"]].concat()), 2);
    expect_code(&chiso(&[&base[..], &["--indicator", "3.1", "--pillar", "S"]].concat()), 2);
    expect_code(&chiso(&base), 2);
    let unknown = chiso(&[&base[..], &["--pillar", "ZZ"]].concat());
    expect_code(&unknown, 2);
    assert!(unknown.stderr.contains("no pillar `ZZ`"), "{}", unknown.stderr);
}

#[test]
fn a_failing_test_explains_the_failing_value() {
    let run = chiso(&["test", fixture("failing-test.chiso").to_str().unwrap()]);
    expect_code(&run, 1);
    let after = &run.stderr[run.stderr.find("expected 5, got 4").unwrap()..];
    for want in ["6.21 Mức độ ứng dụng AI — unit test", "steps:", "input n = 4", "score = 4 / 10"] {
        assert!(after.contains(want), "no `{want}`:\n{}", run.stderr);
    }
}

/// `--precision N` writes every number of the CSV and the JSON with at most N decimal places,
/// each the exact value rounded once (3.1 of the starter is 385000 / 590000 × 10); out of
/// range is a usage error.
#[test]
fn precision_sets_the_decimal_places_of_csv_and_json() {
    let exact = 385000.0 / 590000.0 * 10.0;
    for p in [0u32, 3, 9, 12, 30] {
        let ps = p.to_string();
        let json = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "json", "--precision", &ps]);
        expect_code(&json, 0);
        let v = json.json();
        let unit = &v["units"][0];
        let score = unit["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "3.1").unwrap()["score"].clone();
        let score = score.as_str().unwrap();
        let places = score.split_once('.').map_or(0, |(_, f)| f.len());
        assert!(places as u32 <= p, "{score} at --precision {p}");
        let tolerance = 0.5 * 10f64.powi(-(p.min(14) as i32)) + 1e-15;
        assert!((score.parse::<f64>().unwrap() - exact).abs() <= tolerance, "{score} at --precision {p}");
        let csv = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv", "--precision", &ps]);
        expect_code(&csv, 0);
        let row = csv.stdout.lines().find(|l| l.contains(",indicator,3.1,")).unwrap();
        assert_eq!(row.split(',').nth(3), Some(score), "CSV and JSON agree at --precision {p}");
    }
    expect_code(&chiso(&["eval", STARTER, "--data", STARTER_DATA, "--precision", "31"]), 2);
}

/// `--precision exact` writes each value exactly: 3.1 of the starter is 385000 / 590000 × 10 =
/// 385/59, which has no finite decimal expansion; the maxima and totals that end are decimals.
#[test]
fn precision_exact_writes_fractions_that_do_not_end() {
    let json = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "json", "--precision", "exact"]);
    expect_code(&json, 0);
    let v = json.json();
    let indicators = v["units"][0]["indicators"].as_array().unwrap().clone();
    let i31 = indicators.iter().find(|i| i["id"] == "3.1").unwrap();
    assert_eq!(i31["score"], "385/59");
    assert_eq!(i31["max"], "10");
    let csv = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--format", "csv", "--precision", "EXACT"]);
    expect_code(&csv, 0);
    let row = csv.stdout.lines().find(|l| l.contains(",indicator,3.1,")).unwrap();
    assert_eq!(row.split(',').nth(3), Some("385/59"));
    let bad = chiso(&["eval", STARTER, "--data", STARTER_DATA, "--precision", "exactly"]);
    expect_code(&bad, 2);
    assert!(bad.stderr.contains("`exact`"), "{}", bad.stderr);
}

/// A long run shows its progress on a terminal only: with stderr captured (a log, a script, CI)
/// a 12,000-unit run writes no bar and no escape code there, and stdout is the CSV alone.
#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = TempDir::new();
    let mut csv = String::from("unit,1.1.n\n");
    for k in 0..12_000 {
        csv.push_str(&format!("X{k:05},{}\n", k % 7));
    }
    let rules = "agency A \"Sở\"\nindicator 1.1 \"Số cuộc họp\" {\n  max 10\n  owner A\n  input n: count\n  score = min(n, 10) * 1 pt\n}\n";
    let (r, d) = (dir.write("r.chiso", rules), dir.write("d.csv", csv));
    for format in ["csv", "json", "table"] {
        let run = chiso(&["eval", r.to_str().unwrap(), "--data", d.to_str().unwrap(), "--format", format]);
        expect_code(&run, 0);
        assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains("units"), "{format}: {}", run.stderr);
    }
}
