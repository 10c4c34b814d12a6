// The browser package gives the same JSON documents as the command: every example is scored,
// explained, checked, tested and evaluated as a plan in Node through the WebAssembly build
// (wasm/pkg, built by scripts/build-wasm.sh) and compared, field for field, with `chiso … --format
// json`. CHISO_BIN names the command (default: target/debug/chiso).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

import { initSync, request, requestJson, requestJsonWithData, version } from "../../pkg/chiso_wasm.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = process.env.CHISO_BIN ?? path.join(root, "target/debug/chiso");
initSync({ module: readFileSync(path.join(root, "wasm/pkg/chiso_wasm_bg.wasm")) });

const source = (name) => ({ name, text: readFileSync(path.join(root, name), "utf8") });

function cli(args) {
  const run = spawnSync(bin, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.ok(run.stdout.length > 0, `chiso ${args.join(" ")} printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function wasm(req, kind) {
  const response = JSON.parse(requestJson(JSON.stringify(req)));
  assert.equal(response.kind, kind, JSON.stringify(response).slice(0, 500));
  delete response.kind;
  return response;
}

const dti = "examples/dti-2022/dti-2022.chiso";
const cases = [
  [dti, "examples/dti-2022/data/cohort.csv", null],
  [dti, "examples/dti-2022/data/cohort.json", null],
  [dti, "examples/dti-2022/data/vi-locale.csv", "vi"],
  [dti, "examples/dti-2022/data/incomplete.csv", null],
  ["examples/starter/starter.chiso", "examples/starter/data.csv", null],
];

for (const [rulebook, data, locale] of cases) {
  test(`eval ${data}`, () => {
    const args = ["eval", rulebook, "--data", data, "--format", "json"];
    if (locale) args.push("--locale", locale);
    const req = { op: "evaluate", rulebook: source(rulebook), data: source(data) };
    if (locale) req.locale = locale;
    assert.deepEqual(wasm(req, "eval"), cli(args));
  });
}

const plans = [
  ["examples/ict-2024/ict-2024.chiso", "examples/ict-2024/data.csv", "2024-05-27"],
  ["examples/egov-2022/egov-2022.chiso", "examples/egov-2022/data.csv", "2022-09-30"],
  ["examples/dti-2022/plan-2022.chiso", "examples/dti-2022/plan-data.csv", "2022-12-31"],
];

for (const [plan, data, asOf] of plans) {
  test(`status ${plan} as of ${asOf}`, () => {
    const planText = source(plan);
    const named = /^\s*rulebook "([^"]+)"/m.exec(planText.text);
    const req = { op: "status", plan: planText, data: source(data), as_of: asOf };
    if (named) req.rulebook = source(path.posix.join(path.posix.dirname(plan), named[1]));
    assert.deepEqual(wasm(req, "status"), cli(["status", plan, "--data", data, "--as-of", asOf, "--format", "json"]));
  });
}

const files = [dti, "examples/dti-2022/plan-2022.chiso", "examples/egov-2022/egov-2022.chiso",
  "examples/ict-2024/ict-2024.chiso", "examples/starter/starter.chiso"];

test("check and owners", () => {
  assert.deepEqual(wasm({ op: "check", files: files.map(source) }, "check"), cli(["check", "--format", "json", ...files]));
  assert.deepEqual(wasm({ op: "owners", files: files.map(source) }, "owners"), cli(["owners", "--format", "json", ...files]));
});

test("explain, test and format", () => {
  const explained = wasm({ op: "explain", rulebook: source(dti), data: source("examples/dti-2022/data/cohort.csv"),
    unit: "P01", indicator: "6.12" }, "explain");
  assert.equal(explained.indicator, "6.12");
  assert.ok(explained.steps.some((s) => s.step === "branch"), JSON.stringify(explained.steps));
  const tests = wasm({ op: "test", files: [source(dti), source("stdlib/tests.chiso")] }, "test");
  assert.equal(tests.failed, 0);
  assert.ok(tests.passed >= 15);
  assert.equal(wasm({ op: "format", file: source(dti) }, "format").text, source(dti).text);
});

test("errors are values, never exceptions", () => {
  for (const bad of ["", "not json", "{}", '{"op": "evaluate"}', '{"op": "nope"}', "[1, 2]"]) {
    const response = JSON.parse(requestJson(bad));
    assert.equal(response.kind, "refused", bad);
    assert.match(response.message, /not valid/);
  }
  const broken = wasm({ op: "evaluate", rulebook: { name: "r.chiso", text: "indicator 1 {" },
    data: { name: "d.csv", text: "unit,indicator,input,value\n" } }, "refused");
  assert.ok(broken.diagnostics.length > 0);
  assert.equal(broken.diagnostics[0].file, "r.chiso");
  const typed = request({ op: "format", file: { name: "x.chiso", text: "agency S \"Sở\"\n" } });
  assert.equal(typed.kind, "format");
  assert.equal(request(undefined).kind, "refused");
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test("a data text given as its own argument answers as the same text inside the request", () => {
  const emptied = (req) => ({ ...req, data: { ...req.data, text: "" } });
  const asked = [
    ...cases.map(([rulebook, data, locale]) => ({ op: "evaluate", rulebook: source(rulebook), data: source(data), ...(locale ? { locale } : {}) })),
    { op: "evaluate", rulebook: source(dti), data: source("examples/dti-2022/data/cohort.csv"), unit: "P02" },
    { op: "explain", rulebook: source(dti), data: source("examples/dti-2022/data/cohort.csv"), unit: "P01", indicator: "6.12" },
    { op: "status", plan: source("examples/ict-2024/ict-2024.chiso"), data: source("examples/ict-2024/data.csv"), as_of: "2024-05-27" },
    // Refusals too: a malformed CSV is located in the text given apart.
    { op: "evaluate", rulebook: source(dti), data: { name: "bad.csv", text: "unit,indicator,input,value\nP01,1.1\n" } },
  ];
  for (const req of asked) {
    for (const lang of ["en", "vi"]) {
      assert.equal(requestJsonWithData(JSON.stringify(emptied(req)), req.data.text, lang), requestJson(JSON.stringify(req), lang));
    }
  }
  const refusal = (req, text) => JSON.parse(requestJsonWithData(JSON.stringify(req), text)).message;
  const [withText] = asked;
  assert.match(refusal(withText, withText.data.text), /given twice/);
  assert.match(refusal({ op: "check", files: [source(dti)] }, "unit\n"), /has no `data` file/);
  assert.match(refusal({ op: "status", plan: source("examples/ict-2024/ict-2024.chiso"), as_of: "2024-05-27" }, "x"), /has no `data` file/);
  assert.match(refusal({ op: "evaluate" }, "x"), /not valid/);
});

// The module normalises data texts with the browser's String.prototype.normalize, the command
// with the unicode-normalization crate: Vietnamese data written composed (NFC) or decomposed
// (NFD: letters then combining marks, as some keyboards and PDF copies write it) scores the same
// in both, and the same as composed.
test("Vietnamese data composed or decomposed: the browser's NFC is the command's", () => {
  const tmp = path.join(root, "target/wasm-parity");
  mkdirSync(tmp, { recursive: true });
  for (const [rulebook, data, locale] of [[dti, "examples/dti-2022/data/vi-locale.csv", "vi"], ["examples/starter/starter.chiso", "examples/starter/data.csv", null]]) {
    const text = readFileSync(path.join(root, data), "utf8");
    const decomposed = text.normalize("NFD");
    assert.notEqual(decomposed, text, `${data} has no letter to decompose`);
    const file = path.join(tmp, path.basename(data));
    writeFileSync(file, decomposed);
    const req = (t) => ({ op: "evaluate", rulebook: source(rulebook), data: { name: path.relative(root, file), text: t }, ...(locale ? { locale } : {}) });
    const args = ["eval", rulebook, "--data", path.relative(root, file), "--format", "json", ...(locale ? ["--locale", locale] : [])];
    const composed = wasm(req(text), "eval");
    assert.deepEqual(wasm(req(decomposed), "eval"), cli(args));
    assert.deepEqual(wasm(req(decomposed), "eval"), composed);
    assert.ok(composed.units.length > 0);
  }
});

test("check counts columns in UTF-16 code units when asked, as a browser editor does", () => {
  // `😀` is one character and two UTF-16 code units: the error after it moves one column right.
  const files = [{ name: "r.chiso", text: 'agency S "Sở 😀" ?\n' }];
  const chars = wasm({ op: "check", files }, "check").diagnostics[0];
  const utf16 = wasm({ op: "check", files, columns: "utf16" }, "check").diagnostics[0];
  assert.equal(utf16.line, chars.line);
  assert.equal(utf16.column, chars.column + 1);
  assert.equal(utf16.end_column, chars.end_column + 1);
  assert.equal(files[0].text.slice(0, utf16.column - 1), 'agency S "Sở 😀" ');
});
