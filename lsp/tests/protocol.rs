//! The server over real JSON-RPC messages: ids, errors, bad input, versions, ordering.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{pos_of, Client};
use serde_json::{json, Value};

const GOOD: &str = "agency S \"Sở Thông tin và Truyền thông\"\n\npillar I \"Thể chế số\" max 10 {\n  indicator 1.1 \"Chỉ số một\" {\n    max 10\n    owner S\n    input a: count \"Số hồ sơ\"\n    input b: count \"Tổng số\" positive neutral\n    assume a <= b\n    score = a / b * max\n  }\n}\n";

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn numeric_and_string_ids_unknown_methods_and_malformed_messages_get_answers() {
    let mut c = Client::start(json!({})).await;
    // A string id.
    c.send(json!({"jsonrpc": "2.0", "id": "abc", "method": "shutdown"})).await;
    let r = c.response_to(json!("abc")).await;
    assert!(r.get("error").is_none(), "{r}");
    let mut c = Client::start(json!({})).await;
    // An unknown method: "method not found", the server lives on.
    let r = c.request("chiso/nope", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // An unknown notification is ignored.
    c.notify("chiso/nothing", json!({})).await;
    // Not JSON.
    c.send_raw(b"{ not json").await;
    let r = c.response_to(Value::Null).await;
    assert_eq!(r["error"]["code"], -32700, "{r}");
    // Not UTF-8.
    c.send_raw(b"{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"x\xff\xfe\"}").await;
    let r = c.response_to(Value::Null).await;
    assert!(r["error"]["code"].as_i64().is_some(), "{r}");
    // JSON, but not a message.
    c.send_raw(br#"{"jsonrpc":"2.0","id":5}"#).await;
    let r = c.response_to(json!(5)).await;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // A header without a length.
    c.write_raw(b"Content-Type: x\r\n\r\n").await;
    let r = c.response_to(Value::Null).await;
    assert_eq!(r["error"]["code"], -32700, "{r}");
    // Params of the wrong shape.
    let r = c.request("textDocument/hover", json!({"textDocument": 5})).await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Still serving.
    let d = c.open("file:///tmp/a.chiso", GOOD).await;
    assert_eq!(codes(&d), Vec::<String>::new());
    let r = c.at("textDocument/hover", "file:///tmp/a.chiso", 3, 13, json!({})).await;
    assert!(r["result"]["contents"]["value"].as_str().unwrap().contains("Chỉ số một"), "{r}");
}

#[tokio::test]
async fn diagnostics_follow_each_change_with_its_version_and_utf16_ranges() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/b.chiso";
    let d = c.open(uri, GOOD).await;
    assert_eq!(d["version"], 1);
    assert!(codes(&d).is_empty());
    // Break: an unknown agency typed after Vietnamese text on the same line.
    let (line, col) = pos_of(GOOD, "owner S", 6);
    let d = c
        .change(uri, 2, json!([{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": "SởTT"}]))
        .await;
    assert_eq!(d["version"], 2);
    assert_eq!(codes(&d), vec!["E0202"]);
    let r = &d["diagnostics"][0]["range"];
    assert_eq!((r["start"]["line"].as_u64(), r["start"]["character"].as_u64()), (Some(line as u64), Some(col as u64)));
    assert_eq!(r["end"]["character"].as_u64(), Some(col as u64 + 4), "`SởTT` is four UTF-16 units");
    // Fix it: cleared.
    let d = c
        .change(uri, 3, json!([{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 4}}, "text": "S"}]))
        .await;
    assert_eq!(d["version"], 3);
    assert!(codes(&d).is_empty(), "{d}");
}

#[tokio::test]
async fn a_request_after_a_change_sees_the_changed_text() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/c.chiso";
    c.open(uri, GOOD).await;
    // Send the change and the hover back to back, without waiting in between.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": GOOD.replace("Chỉ số một", "Đã đổi tên")}]}),
    )
    .await;
    let r = c.at("textDocument/hover", uri, 3, 13, json!({})).await;
    assert!(r["result"]["contents"]["value"].as_str().unwrap().contains("Đã đổi tên"), "{r}");
}

#[tokio::test]
async fn combining_marks_and_astral_characters_give_utf16_ranges() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/d.chiso";
    // `Thể chế số` with combining marks (e + U+0302 + U+0309 …) and an emoji, then an error.
    let text = "pillar I \"The\u{302}\u{309} che\u{302}\u{301} so\u{302}\u{301} 😀\" max 1 { indicator 1 \"x\" { max 1 owner NOPE score = 1 } }\n";
    let d = c.open(uri, text).await;
    let diag = d["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "E0202").unwrap().clone();
    let (line, col) = pos_of(text, "NOPE", 0);
    assert_eq!(diag["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(diag["range"]["end"], json!({"line": line, "character": col + 4}));
    // The column counts UTF-16 units: 3 per combined letter, 2 for the emoji.
    assert_eq!(col, text[..text.find("NOPE").unwrap()].encode_utf16().count() as u32);
}

#[tokio::test]
async fn a_ten_megabyte_paste_neither_crashes_nor_leaves_the_server_stale() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/e.chiso";
    c.open(uri, GOOD).await;
    let junk: String = "Thể chế số } { = => ( 😀 \"\n".repeat(10 * 1024 * 1024 / 30);
    let d = c.change(uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": junk}])).await;
    assert_eq!(d["version"], 2);
    assert!(!d["diagnostics"].as_array().unwrap().is_empty());
    assert!(d["diagnostics"].as_array().unwrap().len() <= chiso_lsp::server::MAX_DIAGNOSTICS + 2);
    // Undo the paste: back to a clean file, with the right version.
    let d = c.change(uri, 3, json!([{"text": GOOD}])).await;
    assert_eq!(d["version"], 3);
    assert!(codes(&d).is_empty(), "{d}");
}

#[tokio::test]
async fn shutdown_and_exit() {
    let mut c = Client::start(json!({})).await;
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.get("error").is_none(), "{r}");
    c.notify("exit", Value::Null).await;
}
