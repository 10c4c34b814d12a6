//! Chiso in the browser: a thin shell that hands JSON requests to the engine's front door
//! (`chiso::workspace::handle`) and returns its JSON responses, so the portal scores with exactly
//! the rules and the code the CLI uses and gets the same documents (`spec/output.md`).
//!
//! One [`Session`] answers every request of the page: a what-if re-scores with the rulebook
//! already checked (the answers are those of a fresh front door; the session only skips work).
//!
//! Data texts are put in Unicode NFC by the browser's `String.prototype.normalize` rather than
//! by the crate's tables (30 KB of the gzipped module): the engine is built without its `nfc`
//! feature and given that normaliser (`chiso::nfc`); NFC is the same on both sides.
//!
//! Errors are values: a malformed request or a rulebook with errors is a `refused` response, never
//! a JavaScript exception. The TypeScript declarations of every request and response
//! (`chiso-types.d.ts`, generated from the Rust types by `tests/types.rs`) are appended to the
//! module's own declarations, so `request(r: Request): Response` is typed in the importing code.

#![forbid(unsafe_code)]

use chiso::diag::Lang;
use std::cell::RefCell;

use chiso::workspace::{Request, Response, Session};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../chiso-types.d.ts");

thread_local! {
    /// The page's session: the module runs on one thread, the page's.
    static SESSION: RefCell<Session> = RefCell::new(Session::new(chiso_stdlib::functions()));
}

/// Answers one request given as a JSON text with a JSON text: `{"op": "evaluate", …}` →
/// `{"kind": "eval", …}`. A request that is not valid is answered with a `refused` response.
/// `lang` (`"vi"` or `"en"`, the default) is the language of the diagnostics' messages.
#[wasm_bindgen(js_name = requestJson)]
pub fn request_json(request: &str, lang: Option<String>) -> String {
    written(Request::from_json(request).map(|r| answered(r, language(lang))))
}

/// Answers a request whose data file travels as its own argument: `request` is the JSON text of
/// an `evaluate`, `explain` or `status` request whose `data` has an empty `text` (its `name` still
/// gives the format), and `data` is that text. The answer is the one [`request_json`] gives with
/// the text inside the request; a large CSV is then neither escaped into JSON by the page nor
/// parsed out of it here (42 MB for 10,000 units).
#[wasm_bindgen(js_name = requestJsonWithData)]
pub fn request_json_with_data(request: &str, data: String, lang: Option<String>) -> String {
    written(Request::from_json(request).and_then(|r| with_data(r, data)).map(|r| answered(r, language(lang))))
}

/// The request with `text` as the text of its data file.
fn with_data(mut request: Request, text: String) -> Result<Request, String> {
    let slot = match &mut request {
        Request::Evaluate { data, .. } | Request::Explain { data, .. } | Request::Status { data: Some(data), .. } => {
            data
        }
        _ => return Err("a data text is given, but the request has no `data` file".to_string()),
    };
    if !slot.text.is_empty() || slot.base64.is_some() {
        return Err("the data is given twice: in the request's `data` and as its own argument".to_string());
    }
    slot.text = text;
    Ok(request)
}

/// `"vi"` or English.
fn language(lang: Option<String>) -> Lang {
    if lang.as_deref() == Some("vi") {
        Lang::Vi
    } else {
        Lang::En
    }
}

/// The request's answer by the page's session.
fn answered(request: Request, lang: Lang) -> Response {
    chiso::nfc::set_normaliser(nfc);
    SESSION.with(|s| match s.try_borrow_mut() {
        Ok(mut session) => session.handle_in(request, lang),
        // Only a request made while another is answered (impossible from one JS thread).
        Err(_) => chiso::workspace::handle_in(chiso_stdlib::functions(), request, lang),
    })
}

/// The response's JSON text; a request that could not be read is refused.
fn written(response: Result<Response, String>) -> String {
    let response = response.unwrap_or_else(|e| Response::Refused {
        message: format!("the request is not valid: {e}"),
        diagnostics: Vec::new(),
    });
    serde_json::to_string(&response).unwrap_or_else(|e| {
        format!(r#"{{"kind":"refused","message":"the response cannot be written: {e}","diagnostics":[]}}"#)
    })
}

/// Answers one request object with a response object (the typed form of [`request_json`]).
#[wasm_bindgen(unchecked_return_type = "Response")]
pub fn request(#[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue) -> JsValue {
    let text = to_json_text(&request);
    let answer = request_json(&text.unwrap_or_default(), None);
    from_json_text(&answer)
}

/// The version of the engine.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    /// `String.prototype.normalize.call(text, form)`.
    #[wasm_bindgen(js_namespace = ["String", "prototype", "normalize"], js_name = call)]
    fn normalize(text: &str, form: &str) -> String;
}

/// `text` in Unicode NFC, by the browser: the module is built without the crate's tables.
fn nfc(text: &str) -> String {
    normalize(text, "NFC")
}

fn to_json_text(value: &JsValue) -> Option<String> {
    json_stringify(value).ok().and_then(|v| v.as_string())
}

fn from_json_text(text: &str) -> JsValue {
    json_parse(text).unwrap_or(JsValue::NULL)
}
