//! End to end: `chiso lsp` spawned as editors start it, over its real standard input and output.
//! Opens the DTI 2022 rulebook, compares the published diagnostics with `chiso check --format
//! json` (characters converted to UTF-16 columns), breaks the file, sees the error, fixes it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

struct Lsp {
    child: std::process::Child,
    out: BufReader<std::process::ChildStdout>,
}

impl Lsp {
    fn send(&mut self, v: Value) {
        let body = v.to_string();
        let stdin = self.child.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }
    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(self.out.read_line(&mut line).unwrap() > 0, "the server exited");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.out.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }
    /// The next message matching `pred`.
    fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self.recv();
            if pred(&m) {
                return m;
            }
        }
    }
}

fn utf16_col(text: &str, line1: u64, col1: u64) -> u64 {
    let line = text.split('\n').nth(line1 as usize - 1).unwrap();
    line.chars().take(col1 as usize - 1).map(|c| c.len_utf16() as u64).sum()
}

#[test]
fn chiso_lsp_over_stdio_reports_what_chiso_check_reports_then_follows_edits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let path = root.join("examples/dti-2022/dti-2022.chiso");
    let text = std::fs::read_to_string(&path).unwrap();
    let check =
        Command::new(env!("CARGO_BIN_EXE_chiso")).args(["check", "--format", "json"]).arg(&path).output().unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let want: Vec<(String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let line = d["line"].as_u64().unwrap();
            (d["code"].as_str().unwrap().to_string(), line - 1, utf16_col(&text, line, d["column"].as_u64().unwrap()))
        })
        .collect();
    assert!(want.len() > 10);

    let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut lsp = Lsp { child, out };
    lsp.send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "capabilities": {}}}),
    );
    let init = lsp.until(|m| m["id"] == 1);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    lsp.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = format!("file://{}", path.display());
    lsp.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "chiso", "version": 1, "text": text}}}));
    let is_diags = |m: &Value| m["method"] == "textDocument/publishDiagnostics";
    let d = lsp.until(is_diags);
    let got: Vec<(String, u64, u64)> = d["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = &d["range"]["start"];
            (d["code"].as_str().unwrap().to_string(), s["line"].as_u64().unwrap(), s["character"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(got, want);

    // Break 6.12's score: `ratio / 80% + max` adds a percent to points.
    let at = text.find("< 80% => ratio / 80% * max").unwrap() + "< 80% => ratio / 80% ".len();
    let line = text[..at].matches('\n').count();
    let col = text[text[..at].rfind('\n').unwrap() + 1..at].encode_utf16().count();
    let range = json!({"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}});
    lsp.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": range, "text": "+"}]}}));
    let d = lsp.until(is_diags);
    assert_eq!(d["params"]["version"], 2);
    let new: Vec<&Value> =
        d["params"]["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "E0301").collect();
    assert_eq!(new.len(), 1, "{d}");
    assert_eq!(new[0]["range"]["start"]["line"], line);
    // Fix it: back to what `chiso check` says.
    lsp.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": range, "text": "*"}]}}));
    let d = lsp.until(is_diags);
    assert_eq!(d["params"]["version"], 3);
    assert_eq!(d["params"]["diagnostics"].as_array().unwrap().len(), want.len());

    lsp.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    lsp.until(|m| m["id"] == 2);
    lsp.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let status = lsp.child.wait().unwrap();
    assert!(status.success());
}
