//! Editor features over the protocol, on the DTI 2022 rulebook and small Vietnamese files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{pos_of, repo_root, uri_of, Client};
use serde_json::{json, Value};

fn dti() -> (String, String) {
    let path = repo_root().join("examples/dti-2022/dti-2022.chiso");
    (uri_of(&path), std::fs::read_to_string(path).unwrap())
}

fn result(r: &Value) -> &Value {
    assert!(r.get("error").is_none(), "{r}");
    &r["result"]
}

fn line_of(text: &str, needle: &str) -> u32 {
    pos_of(text, needle, 0).0
}

#[tokio::test]
async fn hover_shows_an_indicator_its_max_owner_inputs_and_rule() {
    let (uri, text) = dti();
    let mut c = Client::start(json!({})).await;
    c.open(&uri, &text).await;
    let (l, col) = pos_of(&text, "indicator 6.12", 11);
    let r = c.at("textDocument/hover", &uri, l, col, json!({})).await;
    let v = result(&r)["contents"]["value"].as_str().unwrap().to_string();
    for want in [
        "**6.12** Tỷ lệ hồ sơ xử lý trực tuyến",
        "max 20",
        "owner **VPUBND_PVHCC** (Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công))",
        "cooperating SoTTTT",
        "`b`: count — Tổng số hồ sơ giải quyết trực tuyến của DVCTT mức độ 3",
        "positive, neutral",
        "let ratio = (b + c) / a",
        "score = when ratio",
    ] {
        assert!(v.contains(want), "missing {want:?} in\n{v}");
    }
    // An agency, an input use, a let, a stdlib function.
    let (l, col) = pos_of(&text, "owner VPUBND_PVHCC", 8);
    let r = c.at("textDocument/hover", &uri, l, col, json!({})).await;
    assert!(result(&r)["contents"]["value"].as_str().unwrap().contains("Trung tâm Phục vụ hành chính công"));
    let (l, col) = pos_of(&text, "let ratio = (b + c) / a", 13);
    let r = c.at("textDocument/hover", &uri, l, col, json!({})).await;
    assert!(result(&r)["contents"]["value"].as_str().unwrap().contains("Tổng số hồ sơ giải quyết trực tuyến"), "{r}");
    let (l, col) = pos_of(&text, "let ratio = (b + c) / a", 5);
    let r = c.at("textDocument/hover", &uri, l, col, json!({})).await;
    assert!(result(&r)["contents"]["value"].as_str().unwrap().contains("ratio`: percent"), "{r}");
}

#[tokio::test]
async fn hover_speaks_the_clients_language() {
    let (uri, text) = dti();
    let mut c = Client::start(json!({"locale": "vi"})).await;
    c.open(&uri, &text).await;
    let (l, col) = pos_of(&text, "indicator 6.12", 11);
    let r = c.at("textDocument/hover", &uri, l, col, json!({})).await;
    let v = result(&r)["contents"]["value"].as_str().unwrap().to_string();
    for want in ["tối đa 20 điểm", "chủ trì **VPUBND_PVHCC**", "phối hợp SoTTTT", "Đầu vào:"] {
        assert!(v.contains(want), "missing {want:?} in\n{v}");
    }
    for english in ["owner", "cooperating", "Inputs"] {
        assert!(!v.contains(english), "{english:?} left in English in\n{v}");
    }
}

#[tokio::test]
async fn hover_on_a_stdlib_function_shows_its_signature_and_doc() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/f.chiso";
    let text = "agency S \"Sở\"\nindicator 1 \"Thể chế số\" {\n  max 10\n  owner S\n  input a: percent\n  score = capped_linear(a, 80%, max)\n}\n";
    c.open(uri, text).await;
    let (l, col) = pos_of(text, "capped_linear", 2);
    let r = c.at("textDocument/hover", uri, l, col, json!({})).await;
    let v = result(&r)["contents"]["value"].as_str().unwrap();
    assert!(v.contains("fn capped_linear(ratio, t, full)"), "{v}");
    assert!(v.contains("Threshold-capped linear"), "{v}");
    let (l, col) = pos_of(text, "input a", 6);
    let r = c.at("textDocument/hover", uri, l, col, json!({})).await;
    assert!(result(&r)["contents"]["value"].as_str().unwrap().contains("`a`: percent"), "{r}");
}

#[tokio::test]
async fn definition_and_references_of_an_agency_and_an_input() {
    let (uri, text) = dti();
    let mut c = Client::start(json!({})).await;
    c.open(&uri, &text).await;
    let (l, col) = pos_of(&text, "owner VPUBND_PVHCC", 8);
    let r = c.at("textDocument/definition", &uri, l, col, json!({})).await;
    assert_eq!(result(&r)["range"]["start"]["line"], line_of(&text, "agency VPUBND_PVHCC"));
    let r = c.at("textDocument/references", &uri, l, col, json!({"context": {"includeDeclaration": true}})).await;
    let refs = result(&r).as_array().unwrap();
    let uses = text.matches("VPUBND_PVHCC").count();
    assert_eq!(refs.len(), uses, "every mention of the agency");
    // `b` of 6.12: declaration, `assume`, `let`, and the two `given` rows of its test.
    let (l, col) = pos_of(&text, "let ratio = (b + c) / a", 13);
    let r = c.at("textDocument/references", &uri, l, col, json!({"context": {"includeDeclaration": true}})).await;
    let lines: Vec<u64> =
        result(&r).as_array().unwrap().iter().map(|x| x["range"]["start"]["line"].as_u64().unwrap()).collect();
    let decl = u64::from(line_of(&text, "input b: count \"Tổng số hồ sơ giải quyết trực tuyến của DVCTT mức độ 3\""));
    let given: Vec<u64> =
        text.lines().enumerate().filter(|(_, l)| l.contains("6.12 { a =")).map(|(i, _)| i as u64).collect();
    assert_eq!(given.len(), 2);
    assert_eq!(lines, [vec![decl, decl + 2, decl + 3], given].concat());
}

#[tokio::test]
async fn definition_from_a_plan_goes_to_its_rulebook() {
    let dir = repo_root().join("examples/dti-2022");
    let plan = std::fs::read_to_string(dir.join("plan-2022.chiso")).unwrap();
    let uri = uri_of(&dir.join("plan-2022.chiso"));
    let mut c = Client::start(json!({})).await;
    c.open(&uri, &plan).await;
    let at = plan.find("owner SoTTTT").unwrap();
    let (l, col) = pos_of(&plan[at..], "SoTTTT", 1);
    let (l, col) = (
        l + plan[..at].matches('\n').count() as u32,
        if l == 0 { col + pos_of(&plan, "owner SoTTTT", 6).1 - 1 } else { col },
    );
    let r = c.at("textDocument/definition", &uri, l, col, json!({})).await;
    let loc = result(&r);
    assert!(loc["uri"].as_str().unwrap().ends_with("dti-2022.chiso"), "{r}");
    let rb = std::fs::read_to_string(dir.join("dti-2022.chiso")).unwrap();
    assert_eq!(loc["range"]["start"]["line"], line_of(&rb, "agency SoTTTT "));
}

#[tokio::test]
async fn outline_and_workspace_symbols() {
    let (uri, text) = dti();
    let mut c = Client::start(json!({})).await;
    c.open(&uri, &text).await;
    let r = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})).await;
    let syms = result(&r).as_array().unwrap();
    let pillar = syms.iter().find(|s| s["name"] == "I").unwrap();
    assert_eq!(pillar["detail"], "NHẬN THỨC SỐ");
    assert_eq!(pillar["children"][0]["name"], "1.1");
    let pillars = syms.iter().filter(|s| s["kind"] == 3).count();
    assert_eq!(pillars, text.lines().filter(|l| l.starts_with("pillar ")).count());
    let r = c.request("workspace/symbol", json!({"query": "hồ sơ xử lý trực tuyến"})).await;
    let found = result(&r).as_array().unwrap();
    assert!(found.iter().any(|s| s["name"].as_str().unwrap().starts_with("6.12 ")), "{r}");
}

#[tokio::test]
async fn formatting_is_chiso_fmt_and_refuses_syntax_errors() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/g.chiso";
    let messy = "agency S   \"Sở\"\nindicator 1 \"Thể chế số\" {\n max 10\n      owner S\n  input a: percent\n  score = capped_linear(a,80%,max)\n}\n";
    c.open(uri, messy).await;
    let r = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    let edits = result(&r).as_array().unwrap();
    let want = chiso::syntax::print::format(messy, &chiso::parse(messy)).unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], want);
    // A syntax error: no edit.
    c.change(uri, 2, json!([{"text": "indicator 1 \"x\" { max = = }"}])).await;
    let r = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert_eq!(result(&r), &Value::Null);
}

#[tokio::test]
async fn diagnostic_titles_follow_the_locale() {
    let text = "indicator 1 \"x\" {\n  max 1\n  owner KHONG\n  score = 1\n}\n";
    let mut c = Client::start(json!({"locale": "vi"})).await;
    let d = c.open("file:///tmp/h.chiso", text).await;
    let m = d["diagnostics"][0]["message"].as_str().unwrap();
    // Title, message and hint in Vietnamese.
    assert_eq!(
        m,
        "cơ quan chưa được khai báo: cơ quan `KHONG` chưa được khai báo\ngợi ý: khai báo cơ quan: `agency KHONG \"<tên đầy đủ>\"`"
    );
    let mut c = Client::start(json!({})).await;
    let d = c.open("file:///tmp/h.chiso", text).await;
    assert_eq!(
        d["diagnostics"][0]["message"].as_str().unwrap(),
        "unknown agency: unknown agency `KHONG`\nhelp: declare it: `agency KHONG \"<full name>\"`"
    );
    // Switched by a settings change.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"chiso": {"locale": "vi"}}})).await;
    let d = c.diagnostics("file:///tmp/h.chiso").await;
    assert!(d["diagnostics"][0]["message"].as_str().unwrap().starts_with("cơ quan chưa được khai báo"));
}

const SMALL: &str = "agency SoTTTT \"Sở Thông tin và Truyền thông\"\n\npillar I \"Thể chế số\" max 15 {\n  indicator 1.1 \"Chỉ số một\" {\n    max 10\n    owner SoTTTT\n    input so_ho_so: count \"Số hồ sơ\"\n    input tong: count \"Tổng số\" positive neutral\n    assume so_ho_so <= tong\n    let ty_le = so_ho_so / tong\n    score = ty_le * max\n  }\n}\n\ntest \"một\" {\n  given \"NT\" 1.1 { so_ho_so = 1, tong = 2 }\n  expect \"NT\" 1.1 = 5\n}\n";

#[tokio::test]
async fn rename_an_input_across_the_rule_and_the_tests() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/i.chiso";
    c.open(uri, SMALL).await;
    let (l, col) = pos_of(SMALL, "assume so_ho_so", 8);
    let r = c.at("textDocument/prepareRename", uri, l, col, json!({})).await;
    assert_eq!(result(&r)["start"]["character"], 11);
    let r = c.at("textDocument/rename", uri, l, col, json!({"newName": "hồ_sơ"})).await;
    let edits = result(&r)["changes"][uri].as_array().unwrap().clone();
    assert_eq!(edits.len(), 4, "declaration, assume, let, given");
    // Apply the edits (from the last) and check the file is still clean.
    let mut text = SMALL.to_string();
    let mut sorted = edits.clone();
    sorted.sort_by_key(|e| {
        std::cmp::Reverse((e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64()))
    });
    for e in sorted {
        let range = serde_json::from_value(e["range"].clone()).unwrap();
        chiso_lsp::text::apply_change(&mut text, Some(range), e["newText"].as_str().unwrap());
    }
    assert_eq!(text.matches("hồ_sơ").count(), 4);
    let d = c.change(uri, 2, json!([{"text": text}])).await;
    assert!(d["diagnostics"].as_array().unwrap().iter().all(|d| d["code"] != "E0201"), "{d}");
    // Not a name: refused.
    let r = c.at("textDocument/rename", uri, l, col, json!({"newName": "a b"})).await;
    assert!(r.get("error").is_some());
}

#[tokio::test]
async fn completion_in_context() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/j.chiso";
    let text = SMALL.replace("    owner SoTTTT\n", "    owner \n");
    c.open(uri, &text).await;
    let (l, col) = pos_of(&text, "owner \n", 6);
    let r = c.at("textDocument/completion", uri, l, col, json!({})).await;
    let labels: Vec<&str> = result(&r).as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["SoTTTT"]);
    let (l, col) = pos_of(&text, "score = ty_le", 8);
    let r = c.at("textDocument/completion", uri, l, col, json!({})).await;
    let items = result(&r).as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    for want in ["so_ho_so", "tong", "ty_le", "capped_linear", "min", "when"] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    let cl = items.iter().find(|i| i["label"] == "capped_linear").unwrap();
    assert_eq!(cl["detail"], "capped_linear(ratio, t, full)");
    let (l, col) = pos_of(&text, "expect \"NT\" ", 12);
    let r = c.at("textDocument/completion", uri, l, col, json!({})).await;
    let labels: Vec<&str> = result(&r).as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"1.1") && labels.contains(&"I"), "{labels:?}");
}

#[tokio::test]
async fn code_actions_fix_a_pillar_max_a_misspelling_and_an_unknown_agency() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/k.chiso";
    let d = c.open(uri, SMALL).await;
    assert!(d["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "E0401"), "{d}");
    let apply = |text: &str, action: &Value| {
        let mut t = text.to_string();
        let mut edits = action["edit"]["changes"][uri].as_array().unwrap().clone();
        edits.reverse();
        for e in edits {
            chiso_lsp::text::apply_change(
                &mut t,
                Some(serde_json::from_value(e["range"].clone()).unwrap()),
                e["newText"].as_str().unwrap(),
            );
        }
        t
    };
    // Pillar max 15 ≠ 10.
    let r = actions(&mut c, uri, line_of(SMALL, "pillar I")).await;
    let a =
        result(&r).as_array().unwrap().iter().find(|a| a["title"].as_str().unwrap().contains("sum")).unwrap().clone();
    let fixed = apply(SMALL, &a);
    assert!(fixed.contains("pillar I \"Thể chế số\" max 10 {"), "{fixed}");
    let d = c.change(uri, 2, json!([{"text": fixed}])).await;
    assert!(d["diagnostics"].as_array().unwrap().is_empty(), "{d}");
    // A misspelled input.
    let broken = fixed.replace("score = ty_le * max", "score = ty_lee * max");
    c.change(uri, 3, json!([{"text": broken.clone()}])).await;
    let r = actions(&mut c, uri, line_of(&broken, "score = ty_lee")).await;
    let a = result(&r).as_array().unwrap().iter().find(|a| a["title"] == "Change to `ty_le`").unwrap().clone();
    assert_eq!(apply(&broken, &a), fixed);
    // An unknown agency.
    let broken = fixed.replace("owner SoTTTT", "owner SoNV");
    c.change(uri, 4, json!([{"text": broken.clone()}])).await;
    let r = actions(&mut c, uri, line_of(&broken, "owner SoNV")).await;
    let a = result(&r).as_array().unwrap().iter().find(|a| a["title"] == "Declare agency `SoNV`").unwrap().clone();
    let declared = apply(&broken, &a);
    let d = c.change(uri, 5, json!([{"text": declared.clone()}])).await;
    assert!(d["diagnostics"].as_array().unwrap().is_empty(), "{declared}\n{d}");
    // No owner.
    let broken = fixed.replace("    owner SoTTTT\n", "");
    c.change(uri, 6, json!([{"text": broken.clone()}])).await;
    let r = actions(&mut c, uri, line_of(&broken, "indicator 1.1")).await;
    let a = result(&r).as_array().unwrap().iter().find(|a| a["title"] == "Add `owner SoTTTT`").unwrap().clone();
    assert_eq!(apply(&broken, &a), fixed);
}

#[tokio::test]
async fn inlay_hints_show_pillar_sums_and_let_units() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/l.chiso";
    c.open(uri, SMALL).await;
    let r = c
        .request("textDocument/inlayHint", json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}))
        .await;
    let hints: Vec<(u64, u64, String)> = result(&r)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["position"]["character"].as_u64().unwrap(),
                h["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let (pl, pc) = pos_of(SMALL, "max 15", 6);
    let (ll, lc) = pos_of(SMALL, "let ty_le", 9);
    assert_eq!(
        hints,
        vec![
            (u64::from(pl), u64::from(pc), "Σ 10".to_string()),
            (u64::from(ll), u64::from(lc), ": percent".to_string())
        ]
    );
}

#[tokio::test]
async fn semantic_tokens_mark_names_at_utf16_columns() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/m.chiso";
    c.open(uri, SMALL).await;
    let r = c.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": uri}})).await;
    let data: Vec<u64> = result(&r)["data"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect();
    // Decode to (line, col, len, type).
    let mut toks = Vec::new();
    let (mut line, mut col) = (0, 0);
    for t in data.chunks(5) {
        if t[0] > 0 {
            col = 0;
        }
        line += t[0];
        col += t[1];
        toks.push((line, col, t[2], t[3]));
    }
    let (l, c0) = pos_of(SMALL, "SoTTTT", 0);
    assert_eq!(toks[0], (u64::from(l), u64::from(c0), 6, 0), "the agency declaration");
    let (l, c0) = pos_of(SMALL, "ty_le * max", 0);
    assert!(toks.contains(&(u64::from(l), u64::from(c0), 5, 5)), "a let use: {toks:?}");
}

async fn actions(c: &mut Client, uri: &str, line: u32) -> Value {
    c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 200}}, "context": {"diagnostics": []}}),
    )
    .await
}

#[tokio::test]
async fn signature_help_inside_a_call() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/n.chiso";
    let text = "agency S \"Sở\"\nindicator 1 \"Thể chế số\" {\n  max 10\n  owner S\n  input tỷ_lệ: percent\n  score = capped_linear(tỷ_lệ, 80%, max)\n}\n";
    c.open(uri, text).await;
    let (l, col) = pos_of(text, "80%, max)", 1);
    let r = c.at("textDocument/signatureHelp", uri, l, col, json!({})).await;
    let sig = &result(&r)["signatures"][0];
    assert_eq!(sig["label"], "capped_linear(ratio, t, full)");
    assert_eq!(result(&r)["activeParameter"], 1);
    assert!(sig["documentation"]["value"].as_str().unwrap().contains("Threshold-capped"));
    let (l, col) = pos_of(text, "capped_linear(", 14);
    let r = c.at("textDocument/signatureHelp", uri, l, col, json!({})).await;
    assert_eq!(result(&r)["activeParameter"], 0);
    let (l, col) = pos_of(text, "max 10", 4);
    let r = c.at("textDocument/signatureHelp", uri, l, col, json!({})).await;
    assert_eq!(result(&r), &Value::Null);
}

#[tokio::test]
async fn a_task_without_owner_gets_one_from_the_plans_rulebook() {
    let dir = repo_root().join("examples/dti-2022");
    let uri = uri_of(&dir.join("plan-ownerless.chiso"));
    let text = "plan \"Kế hoạch\" {\n  period 2022\n  rulebook \"dti-2022.chiso\"\n}\n\ntask T1 \"Việc một\" {\n  due 31/12/2022\n}\n";
    let mut c = Client::start(json!({})).await;
    let d = c.open(&uri, text).await;
    assert!(d["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "W0605"), "{d}");
    let r = actions(&mut c, &uri, line_of(text, "task T1")).await;
    let a = result(&r).as_array().unwrap().iter().find(|a| a["title"] == "Add `owner SoTTTT`").unwrap().clone();
    let e = &a["edit"]["changes"][&uri][0];
    let mut fixed = text.to_string();
    chiso_lsp::text::apply_change(
        &mut fixed,
        Some(serde_json::from_value(e["range"].clone()).unwrap()),
        e["newText"].as_str().unwrap(),
    );
    assert!(fixed.contains("task T1 \"Việc một\" {\n  owner SoTTTT\n  due 31/12/2022\n}"), "{fixed}");
    let d = c.change(&uri, 2, json!([{"text": fixed}])).await;
    assert!(d["diagnostics"].as_array().unwrap().iter().all(|d| d["code"] != "W0605"), "{d}");
}
