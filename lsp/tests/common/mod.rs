//! A minimal LSP client for the tests: real JSON-RPC messages with `Content-Length` framing,
//! over in-memory pipes to the server running in the same process (`chiso_lsp::serve`).
//! Notifications the server sends are queued and read on demand.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// A failsafe against a hung server, not a timing assertion.
const HANG: std::time::Duration = std::time::Duration::from_secs(120);

pub struct Client {
    write: DuplexStream,
    read: BufReader<DuplexStream>,
    next_id: i64,
    pub notifications: VecDeque<Value>,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn uri_of(path: &Path) -> String {
    chiso_lsp::engine::path_to_uri(path)
}

impl Client {
    /// Starts a server and sends `initialize` (with `init_options`) and `initialized`.
    pub async fn start(init_options: Value) -> Client {
        let (client_w, server_r) = tokio::io::duplex(1 << 16);
        let (server_w, client_r) = tokio::io::duplex(1 << 16);
        tokio::spawn(chiso_lsp::serve(server_r, server_w));
        let mut c =
            Client { write: client_w, read: BufReader::new(client_r), next_id: 1, notifications: VecDeque::new() };
        let root = uri_of(&repo_root());
        let r = c
            .request(
                "initialize",
                json!({"processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": init_options,
                       "workspaceFolders": [{"uri": root, "name": "chiso"}]}),
            )
            .await;
        assert!(r.get("result").is_some(), "{r}");
        c.notify("initialized", json!({})).await;
        c
    }

    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.write.write_all(header.as_bytes()).await.unwrap();
        self.write.write_all(body).await.unwrap();
        self.write.flush().await.unwrap();
    }

    pub async fn write_raw(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.unwrap();
        self.write.flush().await.unwrap();
    }

    pub async fn send(&mut self, msg: Value) {
        self.send_raw(msg.to_string().as_bytes()).await;
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    /// Sends a request with a numeric id and returns the whole response message.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        self.response_to(json!(id)).await
    }

    /// Reads messages until the response with this id; queues notifications.
    pub async fn response_to(&mut self, id: Value) -> Value {
        loop {
            let msg = self.recv().await;
            if msg.get("method").is_some() {
                self.notifications.push_back(msg);
            } else if msg["id"] == id {
                return msg;
            }
        }
    }

    /// The next message from the server.
    pub async fn recv(&mut self) -> Value {
        tokio::time::timeout(HANG, self.recv_inner()).await.expect("the server did not answer")
    }

    async fn recv_inner(&mut self) -> Value {
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            let n = self.read.read_line(&mut line).await.unwrap();
            assert!(n > 0, "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.read.read_exact(&mut body).await.unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// The next `publishDiagnostics` for `uri` (earlier queued ones for it included).
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            if let Some(i) = self
                .notifications
                .iter()
                .position(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            {
                return self.notifications.remove(i).unwrap()["params"].clone();
            }
            let msg = self.recv().await;
            self.notifications.push_back(msg);
        }
    }

    pub async fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "chiso", "version": 1, "text": text}}),
        )
        .await;
        self.diagnostics(uri).await
    }

    pub async fn change(&mut self, uri: &str, version: i32, changes: Value) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
        self.diagnostics(uri).await
    }

    pub async fn at(&mut self, method: &str, uri: &str, line: u32, character: u32, extra: Value) -> Value {
        let mut params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.request(method, params).await
    }
}

/// The (line, UTF-16 column) of the first occurrence of `needle` in `text` (+ `skip` chars).
pub fn pos_of(text: &str, needle: &str, skip: usize) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not in text"));
    let mut off = at;
    for c in text[at..].chars().take(skip) {
        off += c.len_utf8();
    }
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    (text[..off].matches('\n').count() as u32, text[line_start..off].encode_utf16().count() as u32)
}
