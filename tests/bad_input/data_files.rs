//! Malformed and hostile data files: CSV and JSON errors located, huge values, big cohorts.

use super::*;

const DATA_RULEBOOK: &str = r#"agency S "Sở"
section A "Chung" {
  field 4 "Dân số": count owner S
  field 1 "Tên": text owner S
}
indicator 3.1 "Tỷ lệ" {
  max 10
  owner S
  input a: count
  input b: count positive neutral
  assume a <= b
  score = a / b * max
}
indicator 3.5 "Trung tâm" {
  max 10
  owner S
  input muc: choice { dat, chua }
  input ok: yes_no
  input tien: money
  input ty_le: percent at_most 100%
  score = if ok and muc == dat and tien >= 1 tỷ then ty_le * max else 0
}
"#;

/// Reads `data` with the data rulebook and checks spans; returns the diagnostics' codes. When the
/// data has no error, the cohort is scored too.
fn load(name: &str, data: &str, format: Format) -> Vec<Diagnostic> {
    let parse = chiso::parse(DATA_RULEBOOK);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut all = Vec::new();
    for locale in [Locale::En, Locale::Vi] {
        let (dataset, diags) = data::load(data, format, &checked.env, Some(locale));
        for d in &diags {
            assert_spans(name, data, d);
        }
        if !diags.iter().any(Diagnostic::is_error) {
            let _ = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &dataset);
        }
        all.extend(diags);
    }
    all
}

fn assert_data_error(name: &str, data: &str, format: Format, code: Code) {
    let (n, d) = (name.to_string(), data.to_string());
    let diags = on_small_stack(move || load(&n, &d, format));
    assert!(
        diags.iter().any(|x| x.code == code && x.is_error()),
        "{name}: expected {code}, got {:?}",
        diags.iter().map(|d| (d.code, &d.message)).collect::<Vec<_>>()
    );
}

const GOOD_CSV: &str = "unit,indicator,input,value\nNT,3.1,a,1\nNT,3.1,b,2\nNT,3.5,muc,dat\nNT,3.5,ok,có\n\
NT,3.5,tien,2\nNT,3.5,ty_le,50%\nNT,A,4,590000\nNT,A,1,\"Tỉnh, thành\"\n";

const GOOD_JSON: &str = r#"{"units": {"NT": {"3.1": {"a": 1, "b": 2}, "3.5": {"muc": "dat", "ok": true, "tien": 2, "ty_le": "50%"}, "A": {"4": 590000, "1": "Tỉnh"}}}}"#;

#[test]
fn good_data_loads_without_errors() {
    for (name, data, format) in [("csv", GOOD_CSV, Format::Csv), ("json", GOOD_JSON, Format::Json)] {
        let diags = on_small_stack(move || {
            let parse = chiso::parse(DATA_RULEBOOK);
            let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
            data::load(data, format, &checked.env, Some(Locale::En)).1
        });
        assert!(diags.is_empty(), "{name}: {diags:?}");
    }
}

#[test]
fn malformed_csv_is_e0801() {
    use Format::Csv;
    assert_data_error("wrong header", "don_vi,chi_so,dau_vao,gia_tri\nNT,3.1,a,1\n", Csv, Code::E0801);
    assert_data_error("header only three columns", "unit,indicator,input\nNT,3.1,a\n", Csv, Code::E0801);
    assert_data_error("empty header", "\nNT,3.1,a,1\n", Csv, Code::E0801);
    assert_data_error("short row", "unit,indicator,input,value\nNT,3.1,a\n", Csv, Code::E0801);
    assert_data_error("long row", "unit,indicator,input,value\nNT,3.1,a,1,2\n", Csv, Code::E0801);
    assert_data_error(
        "many bad rows",
        &format!("unit,indicator,input,value\n{}", "NT\n".repeat(1000)),
        Csv,
        Code::E0801,
    );
    assert_data_error("no unit", "unit,indicator,input,value\n,3.1,a,1\n", Csv, Code::E0801);
    // An unclosed quote would run to the end of the file and swallow the rows below it.
    assert_data_error("unclosed quote", "unit,indicator,input,value\nNT,3.1,a,\"1\nNT,3.1,b,2\n", Csv, Code::E0801);
    assert_data_error("quote inside a field", "unit,indicator,input,value\nNT,3.1,a,1\"2\"\n", Csv, Code::E0802);
    assert_data_error("quoted comma", "unit,indicator,input,value\nNT,3.1,a,\"1,5\"\n", Csv, Code::E0802);
    assert_data_error("only a quote", "\"", Csv, Code::E0801);
    assert_data_error("nothing", "", Csv, Code::E0801);
}

/// An unclosed quote would make the rest of the file one value and the rows below vanish.
#[test]
fn unclosed_quote_in_a_text_field_is_e0801() {
    let csv = "unit,indicator,input,value\nNT,A,1,\"Tỉnh An Phú\nNT,3.1,a,1\nNT,3.1,b,2\n";
    assert_data_error("unclosed quote in text", csv, Format::Csv, Code::E0801);
    // Closed quotes, doubled quotes and line breaks inside quotes are fine.
    let csv = "unit,indicator,input,value\nNT,A,1,\"Tỉnh \"\"An\"\"\nPhú\"\nNT,3.1,a,1\nNT,3.1,b,2\n";
    let diags = load("closed quotes", csv, Format::Csv);
    assert!(!diags.iter().any(|d| d.code == Code::E0801), "{diags:?}");
}

#[test]
fn malformed_csv_never_panics() {
    on_small_stack(|| {
        let mut rng = Rng(0x5eed_c415_0004);
        let pieces = [
            "unit",
            "indicator",
            "input",
            "value",
            "NT",
            "3.1",
            "3.5",
            "A",
            "a",
            "b",
            "muc",
            "ok",
            ",",
            ",",
            "\n",
            "\r\n",
            "\"",
            "\"\"",
            "1",
            "-1",
            "6,03",
            "20.659",
            "1e5",
            "có",
            "dat",
            "\u{feff}",
            "\u{fffd}",
            " ",
        ];
        for case in 0..2000 {
            let mut text = if rng.below(2) == 0 { String::from("unit,indicator,input,value\n") } else { String::new() };
            for _ in 0..rng.below(60) {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            load(&format!("csv soup #{case}"), &text, Format::Csv);
        }
        // Bad UTF-8 arrives as replacement characters (the CLI reads files lossily and reports E0103).
        let bytes = b"unit,indicator,input,value\nNT,3.1,a,\xff\xfe\nN\xc3T,3.1,b,2\n";
        load("bad utf-8", &String::from_utf8_lossy(bytes), Format::Csv);
    });
}

#[test]
fn malformed_json_is_e0801_or_e0802() {
    use Format::Json;
    for cut in [0, 1, 5, 12, GOOD_JSON.len() / 2, GOOD_JSON.len() - 1] {
        assert_data_error(&format!("truncated at {cut}"), &GOOD_JSON[..cut], Json, Code::E0801);
    }
    assert_data_error("not json", "unit,indicator,input,value", Json, Code::E0801);
    assert_data_error("array", "[1, 2, 3]", Json, Code::E0801);
    assert_data_error("no units", r#"{"unit": {}}"#, Json, Code::E0801);
    assert_data_error("units is a list", r#"{"units": []}"#, Json, Code::E0801);
    assert_data_error("unit is a number", r#"{"units": {"NT": 1}}"#, Json, Code::E0801);
    assert_data_error("indicator is a list", r#"{"units": {"NT": {"3.1": [1, 2]}}}"#, Json, Code::E0801);
    assert_data_error("value is a list", r#"{"units": {"NT": {"3.1": {"a": [1]}}}}"#, Json, Code::E0802);
    assert_data_error("value is an object", r#"{"units": {"NT": {"3.1": {"a": {"v": 1}}}}}"#, Json, Code::E0802);
    assert_data_error("count is true", r#"{"units": {"NT": {"3.1": {"a": true}}}}"#, Json, Code::E0802);
    assert_data_error("count is text", r#"{"units": {"NT": {"3.1": {"a": "mười"}}}}"#, Json, Code::E0802);
    assert_data_error("count is negative", r#"{"units": {"NT": {"3.1": {"a": -1}}}}"#, Json, Code::E0802);
    assert_data_error("count is fractional", r#"{"units": {"NT": {"3.1": {"a": 1.5}}}}"#, Json, Code::E0802);
    assert_data_error("choice is a number", r#"{"units": {"NT": {"3.5": {"muc": 1}}}}"#, Json, Code::E0802);
    assert_data_error("yes/no is 2", r#"{"units": {"NT": {"3.5": {"ok": 2}}}}"#, Json, Code::E0802);
    assert_data_error("positive is 0", r#"{"units": {"NT": {"3.1": {"b": 0}}}}"#, Json, Code::E0802);
    assert_data_error("percent over its bound", r#"{"units": {"NT": {"3.5": {"ty_le": 1.5}}}}"#, Json, Code::E0802);
    let deep = format!("{}1{}", "[".repeat(DEEP), "]".repeat(DEEP));
    assert_data_error("10 000 nested arrays", &deep, Json, Code::E0801);
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP));
    assert_data_error("10 000 nested objects", &deep_obj, Json, Code::E0801);
}

#[test]
fn huge_numbers_in_data_are_rejected_or_exact() {
    let big = format!("1{}", "0".repeat(999));
    for (name, data, format) in [
        ("csv 1000 digits", format!("unit,indicator,input,value\nNT,3.1,a,{big}\n"), Format::Csv),
        ("csv 1000 decimals", format!("unit,indicator,input,value\nNT,3.5,tien,0.{big}\n"), Format::Csv),
        ("json 1000 digits", format!(r#"{{"units": {{"NT": {{"3.1": {{"a": {big}}}}}}}}}"#), Format::Json),
        ("json 1000-digit string", format!(r#"{{"units": {{"NT": {{"3.1": {{"a": "{big}"}}}}}}}}"#), Format::Json),
        ("json huge exponent", r#"{"units": {"NT": {"3.5": {"tien": 1e999999999}}}}"#.to_string(), Format::Json),
        ("json tiny exponent", r#"{"units": {"NT": {"3.5": {"tien": 1e-999999999}}}}"#.to_string(), Format::Json),
        (
            "json exponent overflow",
            r#"{"units": {"NT": {"3.5": {"tien": 1e99999999999999999999}}}}"#.to_string(),
            Format::Json,
        ),
    ] {
        assert_data_error(name, &data, format, Code::E0802);
    }
    // 40 digits are accepted exactly.
    let forty = "9".repeat(40);
    let csv = format!("unit,indicator,input,value\nNT,3.1,a,{forty}\nNT,3.1,b,{forty}\n");
    let diags = on_small_stack(move || load("40 digits", &csv, Format::Csv));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    // In JSON too, as a number: no float conversion refuses or rounds it on the way in.
    let json = format!(r#"{{"units": {{"NT": {{"3.1": {{"a": {forty}, "b": {forty}}}}}}}}}"#);
    let diags = on_small_stack(move || load("40 digits json", &json, Format::Json));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
}

#[test]
fn big_cohorts_load_and_score() {
    // 20 000 rows in one file: loading stays linear and scoring terminates.
    let mut csv = String::from("unit,indicator,input,value\n");
    for u in 0..5000 {
        write!(csv, "U{u},3.1,a,{}\nU{u},3.1,b,{}\nU{u},3.5,muc,dat\nU{u},3.5,ok,có\n", u % 7, 7 + u % 3).unwrap();
    }
    let diags = on_small_stack(move || load("big cohort", &csv, Format::Csv));
    assert!(diags.iter().all(|d| !d.is_error()), "{:?}", diags.first());
}

// ===== KNOWN BUGS ===================================================================================
//
// A known bug is a test named `known_bug_<n>_…` that passes while the bug is there and fails, saying
// so, once it is fixed: then turn it into an ordinary test of the correct behaviour. Each is listed
// in tests/KNOWN-BUGS.md (the tidy test checks that the list and the tests agree, and that no test
// is commented out instead).
