// The engine: Chiso compiled to WebAssembly (wasm/pkg, built by scripts/build-wasm.sh). Every
// question goes through `requestJson`, the same front door the CLI uses, so the documents are the
// CLI's (spec/output.md). Errors come back as `refused` responses, never as exceptions.

import init, { requestJson, version } from "../../wasm/pkg/chiso_wasm.js";
import { getLang } from "./i18n.js";

let ready = null;

/** Loads the module once; the .wasm file sits next to the page. */
export function load() {
  ready ??= init({ module_or_path: new URL("chiso_wasm_bg.wasm", document.baseURI) }).then(() => version());
  return ready;
}

/** Sends one request object, returns the response object; diagnostics come in the page's language. */
export function ask(request) {
  return JSON.parse(requestJson(JSON.stringify(request), getLang()));
}

/** The raw JSON text of a response, for the parity test (browser JSON == CLI JSON). */
export function askJson(requestText) {
  return requestJson(requestText);
}
