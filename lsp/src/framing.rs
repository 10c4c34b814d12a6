//! The wire in front of `tower-lsp-server`: `Content-Length` framing of the client's messages,
//! validated before they reach tower, and one writer for everything sent back.
//!
//! Why: tower's reader ends the session after the first message it cannot decode (invalid UTF-8,
//! invalid JSON, or JSON that is not a JSON-RPC message), which would leave the editor with a
//! dead server. Here such a message gets the JSON-RPC error it deserves (`-32700` parse error,
//! `-32600` invalid request) and the session goes on. Invariants: only complete frames are
//! written to the client (the server's output and our errors never interleave inside a frame);
//! after `exit` nothing more is read.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// Messages larger than this are read and dropped with an error (a 10 MB paste is far below).
const MAX_MESSAGE: usize = 512 * 1024 * 1024;

/// A header block is a few dozen bytes; a line longer than this is not a header.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// One framed body to send to the client.
pub type Frame = Vec<u8>;

/// Reads the client's messages; forwards the valid ones to the server, answers the others.
pub async fn read_client<I, W>(input: I, mut to_server: W, errors: UnboundedSender<Frame>)
where
    I: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    loop {
        let body = match read_frame(&mut input).await {
            Ok(Some(body)) => body,
            Ok(None) => break,
            Err(FrameError::Io) => break,
            Err(FrameError::Header) => {
                let _ = errors.send(error_frame(Value::Null, -32700, "malformed message header"));
                continue;
            }
            Err(FrameError::TooLarge) => {
                let _ = errors.send(error_frame(Value::Null, -32700, "message too large"));
                continue;
            }
        };
        let (msg, exit) = match check_message(&body) {
            Ok(exit) => (body, exit),
            Err((id, code, why)) => {
                let _ = errors.send(error_frame(id, code, &why));
                continue;
            }
        };
        let header = format!("Content-Length: {}\r\n\r\n", msg.len());
        if to_server.write_all(header.as_bytes()).await.is_err() || to_server.write_all(&msg).await.is_err() {
            break;
        }
        let _ = to_server.flush().await;
        if exit {
            break;
        }
    }
    // Dropping `to_server` ends the server's input: it finishes what it has and stops.
}

/// Forwards the server's framed output, frame by frame, to the single writer.
pub async fn pump_server<R: AsyncRead + Unpin>(from_server: R, out: UnboundedSender<Frame>) {
    let mut from_server = BufReader::new(from_server);
    while let Ok(Some(body)) = read_frame(&mut from_server).await {
        if out.send(body).is_err() {
            break;
        }
    }
}

/// Writes frames to the client until every sender is gone.
pub async fn write_client<O: AsyncWrite + Unpin>(mut frames: UnboundedReceiver<Frame>, mut output: O) {
    while let Some(body) = frames.recv().await {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err() || output.write_all(&body).await.is_err() {
            break;
        }
        let _ = output.flush().await;
    }
}

enum FrameError {
    /// The input ended mid-message or failed.
    Io,
    /// The header block had no usable `Content-Length`.
    Header,
    /// The body was too large (and was skipped).
    TooLarge,
}

/// One message body; `None` at the end of the input.
async fn read_frame<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len: Option<usize> = None;
    let mut bad_header = false;
    let mut any = false;
    loop {
        let mut line = Vec::new();
        let n = (&mut *input)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await
            .map_err(|_| FrameError::Io)?;
        if n == 0 {
            return if any { Err(FrameError::Io) } else { Ok(None) };
        }
        any = true;
        if !line.ends_with(b"\n") {
            bad_header = true;
            continue;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(v) => len = Some(v),
                    Err(_) => bad_header = true,
                }
            }
            Some(_) => {}
            None => bad_header = true,
        }
    }
    let Some(len) = len.filter(|_| !bad_header) else { return Err(FrameError::Header) };
    if len > MAX_MESSAGE {
        let skipped = tokio::io::copy(&mut (&mut *input).take(len as u64), &mut tokio::io::sink())
            .await
            .map_err(|_| FrameError::Io)?;
        return if skipped == len as u64 { Err(FrameError::TooLarge) } else { Err(FrameError::Io) };
    }
    let mut body = vec![0; len];
    input.read_exact(&mut body).await.map_err(|_| FrameError::Io)?;
    Ok(Some(body))
}

/// Whether a body is a message tower can decode; `Ok(true)` for `exit`. `Err` carries the id
/// to answer (when one can be read), the error code and the reason.
fn check_message(body: &[u8]) -> Result<bool, (Value, i64, String)> {
    let text = std::str::from_utf8(body)
        .map_err(|e| (Value::Null, -32700, format!("the message is not valid UTF-8 (byte {})", e.valid_up_to())))?;
    let v: Value = serde_json::from_str(text).map_err(|e| (Value::Null, -32700, format!("invalid JSON: {e}")))?;
    let Some(obj) = v.as_object() else {
        return Err((Value::Null, -32600, "a message must be a JSON object".into()));
    };
    let id = obj.get("id").cloned();
    let id_ok = match &id {
        None | Some(Value::Null) | Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.as_i64().is_some(),
        Some(_) => false,
    };
    let invalid = |why: &str| {
        let answer = if id_ok { id.clone().unwrap_or(Value::Null) } else { Value::Null };
        Err((answer, -32600, why.to_string()))
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid("`jsonrpc` must be \"2.0\"");
    }
    if !id_ok {
        return invalid("`id` must be an integer or a string");
    }
    match obj.get("method") {
        Some(Value::String(m)) => {
            if !matches!(obj.get("params"), None | Some(Value::Object(_)) | Some(Value::Array(_)) | Some(Value::Null)) {
                return invalid("`params` must be an object or an array");
            }
            Ok(m == "exit")
        }
        Some(_) => invalid("`method` must be a string"),
        // A response to a request of ours.
        None if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) => Ok(false),
        None => invalid("a message needs a `method` (or is a response with `result` or `error`)"),
    }
}

fn error_frame(id: Value, code: i64, message: &str) -> Frame {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}).to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn messages_tower_cannot_decode_are_refused_here() {
        assert_eq!(check_message(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#), Ok(false));
        assert_eq!(check_message(br#"{"jsonrpc":"2.0","method":"exit"}"#), Ok(true));
        assert_eq!(check_message(br#"{"jsonrpc":"2.0","id":3,"result":null}"#), Ok(false));
        for (bad, code) in [
            (&b"\xff\xfe"[..], -32700),
            (b"{", -32700),
            (b"[1]", -32600),
            (br#"{"jsonrpc":"2.0","id":1}"#, -32600),
            (br#"{"jsonrpc":"1.0","id":1,"method":"x"}"#, -32600),
            (br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, -32600),
            (br#"{"jsonrpc":"2.0","id":1,"method":"x","params":5}"#, -32600),
        ] {
            assert_eq!(check_message(bad).unwrap_err().1, code, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(check_message(br#"{"jsonrpc":"2.0","id":7}"#).unwrap_err().0, json!(7));
    }
}
