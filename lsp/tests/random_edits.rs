//! Thousands of random incremental edits — insertions and deletions anywhere, inside
//! Vietnamese words, combining marks, emoji and line breaks included — sent as UTF-16 ranges
//! computed from an independent model of the text (a list of chars). After them, the server's
//! diagnostics equal `chiso check` on the model's final text: no edit was misapplied.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Client;
use serde_json::json;

const START: &str = "agency SoTTTT \"Sở Thông tin và Truyền thông\"\n\npillar I \"Thể chế số\" max 10 {\n  indicator 1.1 \"Tỷ lệ hồ sơ\" {\n    max 10\n    owner SoTTTT\n    input a: count \"Số hồ sơ trực tuyến\"\n    input b: count \"Tổng số hồ sơ\" positive neutral\n    assume a <= b\n    let tỷ_lệ = a / b\n    score = when tỷ_lệ {\n      >= 80% => max,\n      else => tỷ_lệ / 80% * max,\n    }\n  }\n}\n";

const PIECES: &[&str] = &[
    "ể",
    "e\u{302}\u{309}",
    "ố",
    "o\u{302}\u{301}",
    "😀",
    "𝔻",
    "\n",
    " ",
    "Thể chế số",
    "max",
    "owner ",
    "{",
    "}",
    "a",
    "b",
    "\"",
    "80%",
    "=>",
    "+",
    "let x = a\n",
    "// ghi chú ể\n",
    "\r\n",
];

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// (line, UTF-16 column) of char index `i` in the model. A line ends at `\n` only, as in LSP
/// `\r` would too, but the pieces never put `\r` without `\n` after it.
fn position(chars: &[char], i: usize) -> (u32, u32) {
    let (mut line, mut col) = (0u32, 0u32);
    for c in &chars[..i] {
        if *c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += c.len_utf16() as u32;
        }
    }
    (line, col)
}

#[tokio::test]
async fn random_incremental_edits_leave_the_server_in_step_with_the_text() {
    let mut c = Client::start(json!({})).await;
    let uri = "file:///tmp/random.chiso";
    c.open(uri, START).await;
    let mut chars: Vec<char> = START.chars().collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let edits = 2000;
    let mut last = json!(null);
    for version in 2..edits + 2 {
        let len = chars.len();
        let mut a = rng.below(len + 1);
        // Never split a CRLF: a position between `\r` and `\n` does not exist in LSP.
        if a > 0 && a < len && chars[a - 1] == '\r' && chars[a] == '\n' {
            a -= 1;
        }
        let (start, end, insert) = if rng.below(3) == 0 && len > 0 {
            let mut b = (a + 1 + rng.below(6)).min(len);
            if b < len && b > 0 && chars[b - 1] == '\r' && chars[b] == '\n' {
                b += 1;
            }
            (a, b, String::new())
        } else {
            (a, a, PIECES[rng.below(PIECES.len())].to_string())
        };
        let (sl, sc) = position(&chars, start);
        let (el, ec) = position(&chars, end);
        chars.splice(start..end, insert.chars());
        let change = json!([{"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": insert}]);
        last = c.change(uri, version, change).await;
        assert_eq!(last["version"], version);
    }
    let text: String = chars.iter().collect();
    let want = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions()).diagnostics;
    let expected: Vec<(String, u64, u64)> = want
        .iter()
        .take(chiso_lsp::server::MAX_DIAGNOSTICS)
        .map(|d| {
            let at = d.span.start as usize;
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            (
                d.code.as_str().to_string(),
                text[..at].matches('\n').count() as u64,
                text[line_start..at].encode_utf16().count() as u64,
            )
        })
        .collect();
    let actual: Vec<(String, u64, u64)> = last["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].is_string())
        .map(|d| {
            let s = &d["range"]["start"];
            (d["code"].as_str().unwrap().to_string(), s["line"].as_u64().unwrap(), s["character"].as_u64().unwrap())
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(actual, expected);
}
