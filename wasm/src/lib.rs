//! Chiso in the browser: a thin shell that hands JSON requests to the engine's front door
//! (`chiso::workspace::handle`) and returns its JSON responses, so the portal scores with exactly
//! the rules and the code the CLI uses and gets the same documents (`spec/output.md`).
//!
//! One [`Session`] answers every request of the page: a what-if re-scores with the rulebook
//! already checked (the answers are those of a fresh front door; the session only skips work).
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
    let lang = if lang.as_deref() == Some("vi") { Lang::Vi } else { Lang::En };
    let response = match Request::from_json(request) {
        Ok(request) => SESSION.with(|s| match s.try_borrow_mut() {
            Ok(mut session) => session.handle_in(request, lang),
            // Only a request made while another is answered (impossible from one JS thread).
            Err(_) => chiso::workspace::handle_in(chiso_stdlib::functions(), request, lang),
        }),
        Err(e) => Response::Refused { message: format!("the request is not valid: {e}"), diagnostics: Vec::new() },
    };
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
}

fn to_json_text(value: &JsValue) -> Option<String> {
    json_stringify(value).ok().and_then(|v| v.as_string())
}

fn from_json_text(text: &str) -> JsValue {
    json_parse(text).unwrap_or(JsValue::NULL)
}
