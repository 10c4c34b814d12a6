//! The front door and the command agree: for every example, the JSON document that
//! `chiso::workspace::handle` answers (what the browser build and other JSON clients get) equals
//! what `chiso … --format json` prints, field for field, once the response's `kind` tag is set
//! aside. Adding a case is adding a line to [`CASES`].

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chiso::workspace::{handle, Request, SourceText};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn source(path: &str) -> SourceText {
    SourceText::new(path, std::fs::read_to_string(root().join(path)).unwrap())
}

/// The command's JSON (stdout) for `args`.
fn cli_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).current_dir(root()).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("chiso {}: stdout is not JSON ({e}); stderr:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr))
    })
}

/// The front door's JSON for `request`, without the `kind` tag.
fn front_door_json(request: Request, kind: &str) -> Value {
    let response = serde_json::to_value(handle(chiso_stdlib::functions(), request)).unwrap();
    let Value::Object(mut map) = response else { panic!("a response is an object") };
    let got = map.remove("kind");
    assert_eq!(got, Some(Value::String(kind.into())), "unexpected response: {}", Value::Object(map.clone()));
    Value::Object(map)
}

/// (rulebook, data, extra CLI arguments) scored by `chiso eval --format json`.
const CASES: &[(&str, &str, &[&str])] = &[
    ("examples/dti-2022/dti-2022.chiso", "examples/dti-2022/data/cohort.csv", &[]),
    ("examples/dti-2022/dti-2022.chiso", "examples/dti-2022/data/cohort.json", &[]),
    ("examples/dti-2022/dti-2022.chiso", "examples/dti-2022/data/vi-locale.csv", &["--locale", "vi"]),
    ("examples/dti-2022/dti-2022.chiso", "examples/dti-2022/data/incomplete.csv", &[]),
    ("examples/starter/starter.chiso", "examples/starter/data.csv", &[]),
];

/// (plan, data, as of) evaluated by `chiso status --format json`.
const PLANS: &[(&str, Option<&str>, &str)] = &[
    ("examples/ict-2024/ict-2024.chiso", Some("examples/ict-2024/data.csv"), "2024-05-27"),
    ("examples/ict-2024/ict-2024.chiso", Some("examples/ict-2024/data.json"), "2024-12-31"),
    ("examples/egov-2022/egov-2022.chiso", Some("examples/egov-2022/data.csv"), "2022-09-30"),
    ("examples/dti-2022/plan-2022.chiso", Some("examples/dti-2022/plan-data.csv"), "2022-12-31"),
    ("examples/dti-2022/plan-2022.chiso", None, "2022-06-30"),
];

fn locale_of(extra: &[&str]) -> Option<chiso::workspace::WireLocale> {
    extra.iter().position(|a| *a == "--locale").map(|i| match extra[i + 1] {
        "vi" => chiso::workspace::WireLocale::Vi,
        _ => chiso::workspace::WireLocale::En,
    })
}

#[test]
fn eval_json_is_the_same_from_the_front_door() {
    for (rulebook, data, extra) in CASES {
        let mut args = vec!["eval", rulebook, "--data", data, "--format", "json"];
        args.extend_from_slice(extra);
        let request =
            Request::Evaluate { rulebook: source(rulebook), data: source(data), locale: locale_of(extra), unit: None };
        assert_eq!(front_door_json(request, "eval"), cli_json(&args), "{rulebook} with {data}");
    }
}

#[test]
fn status_json_is_the_same_from_the_front_door() {
    for (plan, data, as_of) in PLANS {
        let mut args = vec!["status", plan, "--as-of", as_of, "--format", "json"];
        if let Some(d) = data {
            args.extend(["--data", d]);
        }
        let plan_text = source(plan);
        // The plan names its rulebook; a JSON client sends it along.
        let rulebook = plan_text
            .text
            .lines()
            .find_map(|l| l.trim().strip_prefix("rulebook \"").and_then(|r| r.strip_suffix('"')))
            .map(|r| source(&format!("{}/{r}", Path::new(plan).parent().unwrap().display())));
        let request = Request::Status {
            plan: plan_text,
            rulebook,
            data: data.map(source),
            as_of: as_of.to_string(),
            locale: None,
        };
        assert_eq!(front_door_json(request, "status"), cli_json(&args), "{plan} with {data:?} as of {as_of}");
    }
}

#[test]
fn check_and_owners_json_are_the_same_from_the_front_door() {
    let files = [
        "examples/dti-2022/dti-2022.chiso",
        "examples/dti-2022/plan-2022.chiso",
        "examples/egov-2022/egov-2022.chiso",
        "examples/ict-2024/ict-2024.chiso",
        "examples/starter/starter.chiso",
    ];
    let request = Request::Check { files: files.iter().map(|f| source(f)).collect(), columns: None };
    let mut args = vec!["check", "--format", "json"];
    args.extend(files);
    assert_eq!(front_door_json(request, "check"), cli_json(&args));

    let request = Request::Owners { files: files.iter().map(|f| source(f)).collect() };
    let mut args = vec!["owners", "--format", "json"];
    args.extend(files);
    assert_eq!(front_door_json(request, "owners"), cli_json(&args));
}

#[test]
fn the_front_door_explains_with_the_steps_the_cli_prints() {
    let request = Request::Explain {
        rulebook: source("examples/dti-2022/dti-2022.chiso"),
        data: source("examples/dti-2022/data/cohort.json"),
        locale: None,
        unit: "P01".into(),
        indicator: "6.12".into(),
    };
    let json = front_door_json(request, "explain");
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args([
            "explain",
            "examples/dti-2022/dti-2022.chiso",
            "--data",
            // JSON numbers read the same in any locale; `--locale en` shows them as the JSON
            // explanation writes them (the rulebook's `locale vi` would print 167.649).
            "examples/dti-2022/data/cohort.json",
            "--locale",
            "en",
            "--unit",
            "P01",
            "--indicator",
            "6.12",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let steps = json["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    for step in steps {
        // Every decisive value of the JSON explanation is in the text one (percentages are
        // shown as such there: `ratio = 80%` for 0.8).
        let keys: &[&str] = match (step["step"].as_str().unwrap(), step["unit"] == "percent") {
            ("branch", _) => &["subject", "pattern"],
            (_, true) => &["name"],
            (_, false) => &["name", "value", "label"],
        };
        for key in keys {
            if let Some(v) = step[*key].as_str() {
                assert!(text.contains(v), "`{v}` ({key} of {step}) is not in the CLI's explanation:\n{text}");
            }
        }
    }
    assert_eq!(json["indicator"], "6.12");
    assert!(text.contains(&format!("score = {}", json["score"].as_str().unwrap().trim_end_matches('0'))));
}

#[test]
fn the_front_door_runs_test_blocks_and_formats() {
    let request =
        Request::Test { files: vec![source("examples/dti-2022/dti-2022.chiso"), source("stdlib/tests.chiso")] };
    let json = front_door_json(request, "test");
    assert_eq!(json["failed"], 0);
    assert!(json["passed"].as_u64().unwrap() >= 15, "{json}");

    let dti = source("examples/dti-2022/dti-2022.chiso");
    let json = front_door_json(Request::Format { file: dti.clone() }, "format");
    assert_eq!(json["text"].as_str().unwrap(), dti.text, "the example is formatted, so formatting gives it back");

    let broken = SourceText::new("broken.chiso", "indicator 1 \"x\" {");
    let json = front_door_json(Request::Format { file: broken }, "refused");
    assert!(!json["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn requests_are_json_documents() {
    let text = r#"{"op": "evaluate", "rulebook": {"name": "r.chiso", "text": ""}, "data": {"name": "d.csv", "text": ""}, "locale": "vi"}"#;
    let request: Request = serde_json::from_str(text).unwrap();
    assert!(matches!(request, Request::Evaluate { locale: Some(_), unit: None, .. }));
    let back: Request = serde_json::from_value(serde_json::to_value(&request).unwrap()).unwrap();
    assert_eq!(back, request);
    assert!(serde_json::from_str::<Request>(r#"{"op": "evaluate", "surprise": 1}"#).is_err());
}
