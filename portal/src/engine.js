// The engine: Chiso compiled to WebAssembly (wasm/pkg, built by scripts/build-wasm.sh). Every
// question goes through `requestJson`, the same front door the CLI uses, so the documents are the
// CLI's (spec/output.md). Errors come back as `refused` responses, never as exceptions.
//
// A request whose data is an Excel workbook goes to a second build of the same engine that reads
// .xlsx (wasm/pkg-xlsx): its reader more than doubles the module, so it is fetched only when a
// workbook is first opened (`loadXlsx`), never for the page itself.

import init, { requestJson, requestJsonWithData, version } from "../../wasm/pkg/chiso_wasm.js";
import { getLang, t } from "./i18n.js";

let ready = null;
let xlsxReady = null;
let xlsxRequestJson = null;

/** Loads the module once; the .wasm file sits next to the page. */
export function load() {
  ready ??= init({ module_or_path: new URL("chiso_wasm_bg.wasm", document.baseURI) }).then(() => version());
  return ready;
}

/** Loads the engine that reads workbooks, once. */
export function loadXlsx() {
  xlsxReady ??= import("../../wasm/pkg-xlsx/chiso_wasm_xlsx.js").then(async (m) => {
    await m.default({ module_or_path: new URL("chiso_wasm_xlsx_bg.wasm", document.baseURI) });
    xlsxRequestJson = m.requestJson;
  });
  return xlsxReady;
}

const isWorkbook = (file) => file?.base64 !== undefined && /\.xlsx$/i.test(file.name);

/**
 * Sends one request object, returns the response object; diagnostics come in the page's language.
 * A request with a workbook needs `loadXlsx()` to have finished.
 *
 * A bug in the engine (a Rust panic) is a trap, `WebAssembly.RuntimeError: unreachable`: it is
 * shown as a refusal that says so, never as a score; the module's memory may be left half-updated,
 * hence the advice to reload.
 */
export function ask(request) {
  try {
    return JSON.parse(answer(request));
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    return { kind: "refused", message: t("err.trap", { message: e.message }), diagnostics: [] };
  }
}

/**
 * The response's JSON text. A data file's text travels as its own argument, not inside the JSON
 * request: a large CSV (42 MB for 10,000 units) is then neither escaped by JSON.stringify nor
 * parsed back by the engine. A workbook (bytes in base64) stays in the request.
 */
function answer(request) {
  if (isWorkbook(request.data) && xlsxRequestJson) return xlsxRequestJson(JSON.stringify(request), getLang());
  const data = request.data;
  if (typeof data?.text !== "string" || data.base64 !== undefined) return requestJson(JSON.stringify(request), getLang());
  const small = JSON.stringify({ ...request, data: { ...data, text: "" } });
  return requestJsonWithData(small, data.text, getLang());
}

/** The raw JSON text of a response, for the parity test (browser JSON == CLI JSON). */
export function askJson(requestText) {
  return requestJson(requestText);
}

/** The raw JSON text of a response to a request whose data text is given apart (what `ask` sends). */
export function askJsonWithData(requestText, dataText) {
  return requestJsonWithData(requestText, dataText);
}

/** The raw JSON text of a response of the workbook-reading engine (loaded first), for the tests. */
export async function askXlsxJson(requestText) {
  await loadXlsx();
  return xlsxRequestJson(requestText);
}

/** The bytes of a file in base64, as a request carries a workbook. */
export function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
