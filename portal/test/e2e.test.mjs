// The portal end to end in a real headless Chromium (Debian's, driven by playwright-core): the
// bundled cohort is scored and its figures are the CLI's; a what-if moves a score as the CLI
// scores the edited file; a syntax error typed in the editor is marked, then fixed; a malformed
// CSV gives an error at its row and column; the browser's JSON equals the CLI's for the examples.
// Screenshots go to target/portal/ for a person to look at. Needs portal/dist (node build.mjs) and
// the CLI (CHISO_BIN, default target/debug/chiso). CHROMIUM names the browser (/usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";
import { num } from "../src/format.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = process.env.CHISO_BIN ? path.resolve(process.env.CHISO_BIN) : path.join(root, "target/debug/chiso");
const shots = path.join(root, "target/portal");
const tmp = path.join(root, "target/portal/tmp");
mkdirSync(tmp, { recursive: true });

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const dti = "examples/dti-2022/dti-2022.chiso";
const cohort = "examples/dti-2022/data/cohort.csv";

function cli(args) {
  const run = spawnSync(bin, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.ok(run.stdout.length > 0, `chiso ${args.join(" ")} printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

let server, browser, page;
const errors = [];

before(async () => {
  server = await serve(0);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: "vi-VN" });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  // Nothing is loaded from the internet: every request must go to the local server.
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "blob:" || url.protocol === "data:") return route.continue();
    errors.push(`request outside the page: ${url}`);
    return route.abort();
  });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const text = (sel) => page.locator(sel).first().innerText();

test("the bundled cohort is scored: the scorecard's total and rank are the CLI's", async () => {
  const expected = cli(["eval", dti, "--data", cohort, "--format", "json"]);
  const first = expected.units[0];
  assert.equal(await page.locator("#unit").inputValue(), first.id);
  assert.equal((await text("#sum-total")).trim(), num(first.total, 2, "vi"));
  assert.equal((await text("#sum-rank")).trim(), String(first.rank));
  assert.equal((await text("#sum-index")).trim(), num(first.index, 4, "vi"));
  // A pillar subtotal and an indicator's score, in Vietnamese number format.
  const pillar = first.pillars[0];
  assert.equal((await text(`tr[data-pillar="${pillar.id}"] td.num`)).trim(), num(pillar.score, 2, "vi"));
  const ind = first.indicators.find((i) => i.id === "6.12");
  assert.equal((await text(`button.score[data-indicator="6.12"]`)).trim(), num(ind.score, 2, "vi"));
  // Owners come from the rulebook: 6.12 is the PVHCC's.
  assert.match(await text(`tr[data-id="6.12"] td.owner`), /Phục vụ hành chính công/);
  await page.screenshot({ path: path.join(shots, "1-scorecard.png"), fullPage: false });
  // Another unit: its rank is the CLI's too.
  const last = expected.units.at(-1);
  await page.selectOption("#unit", last.id);
  assert.equal((await text("#sum-rank")).trim(), String(last.rank));
  await page.selectOption("#unit", first.id);
});

test("what-if: a changed input moves the score, pillar, total and rank as the CLI scores the edited file", async () => {
  const unit = "P01";
  const rows = readFileSync(path.join(root, cohort), "utf8").split("\n");
  const cell = (input) => Number(rows.find((r) => r.startsWith(`${unit},6.12,${input},`)).split(",")[3]);
  // P01 reaches 6.12's max; with no level-3 file processed online it falls below 80% online.
  assert.ok(cell("c") < cell("a") * 0.8);
  const b = "0";
  const edited = rows.map((r) => (r.startsWith(`${unit},6.12,b,`) ? `${unit},6.12,b,${b}` : r)).join("\n");
  const file = path.join(tmp, "whatif.csv");
  writeFileSync(file, edited);
  const before = cli(["eval", dti, "--data", cohort, "--format", "json"]).units.find((u) => u.id === unit);
  const after = cli(["eval", dti, "--data", file, "--format", "json"]).units.find((u) => u.id === unit);
  const score = (u) => u.indicators.find((i) => i.id === "6.12").score;
  assert.notEqual(score(after), score(before), "the chosen what-if must move the score");

  await page.click(`button.score[data-indicator="6.12"]`);
  await page.waitForSelector("#explain:not([hidden]) form.whatif");
  assert.match(await text("#explain"), /6\.12/);
  assert.ok(await page.locator("#explain ol.steps li").count() > 0, "the explanation lists its steps");
  await page.screenshot({ path: path.join(shots, "2-explanation.png") });
  await page.fill(`#explain input[name="b"]`, b);
  await page.click(`#explain form.whatif button[type=submit]`);
  await page.waitForSelector("#whatif-banner:not([hidden])");
  const cellText = await text(`button.score[data-indicator="6.12"]`);
  assert.ok(cellText.startsWith(num(score(after), 2, "vi")), cellText);
  assert.match(cellText, new RegExp(`\\(${num(score(before), 2, "vi").replace(/[.,]/g, "\\$&")}\\)`));
  assert.equal(await page.locator(`button.score[data-indicator="6.12"] .changed`).count(), 1);
  assert.ok((await text("#sum-total")).startsWith(num(after.total, 2, "vi")));
  assert.ok((await text("#sum-rank")).startsWith(String(after.rank)));
  const pillar = after.pillars.find((p) => p.id === "VI");
  assert.ok((await text(`tr[data-pillar="VI"] td.num`)).startsWith(num(pillar.score, 2, "vi")));
  assert.match(await text("#whatif-moves"), new RegExp(`6\\.12: ${num(score(before), 2, "vi")} → ${num(score(after), 2, "vi")}`));
  await page.screenshot({ path: path.join(shots, "3-whatif.png") });
  await page.click("#whatif-reset");
  await page.waitForSelector("#whatif-banner[hidden]", { state: "attached" });
  assert.equal((await text("#sum-total")).trim(), num(before.total, 2, "vi"));
});

test("what-if supplies a value the unit did not report: the indicator is scored as the CLI scores it", async () => {
  const incomplete = "examples/dti-2022/data/incomplete.csv";
  const missing = cli(["eval", dti, "--data", incomplete, "--format", "json", "--unit", "P06"]).units[0]
    .indicators.find((i) => i.status === "not_evaluable");
  assert.ok(missing, "incomplete.csv leaves an indicator of P06 not evaluable");
  const input = /input `([^`]+)`/.exec(missing.reason)[1];
  const cohortRows = readFileSync(path.join(root, cohort), "utf8").split("\n");
  const reported = cohortRows.find((r) => r.startsWith(`P06,${missing.id},${input},`)).split(",").slice(3).join(",");
  const file = path.join(tmp, "supplied.csv");
  writeFileSync(file, readFileSync(path.join(root, incomplete), "utf8") + `P06,${missing.id},${input},${reported}\n`);
  const after = cli(["eval", dti, "--data", file, "--format", "json", "--unit", "P06"]).units[0];
  const scored = after.indicators.find((i) => i.id === missing.id);
  assert.equal(scored.status, "scored");

  await page.setInputFiles("#data-file", path.join(root, incomplete));
  await page.waitForFunction(() => document.querySelector("#data-name").textContent.includes("incomplete.csv"));
  await page.selectOption("#unit", "P06");
  await page.click(`button.score[data-indicator="${missing.id}"]`);
  await page.waitForSelector(`#explain input[name="${input}"]`);
  assert.match(await text("#explain"), /chưa báo cáo/);
  await page.fill(`#explain input[name="${input}"]`, reported);
  await page.click(`#explain form.whatif button[type=submit]`);
  await page.waitForSelector("#whatif-banner:not([hidden])");
  assert.ok((await text(`button.score[data-indicator="${missing.id}"]`)).startsWith(num(scored.score, 2, "vi")));
  assert.ok((await text("#sum-total")).startsWith(num(after.total, 2, "vi")));
  await page.screenshot({ path: path.join(shots, "3b-whatif-missing.png") });
  await page.click("#data-bundled");
  await page.selectOption("#unit", "P01");
});

test("the editor marks a syntax error as it is typed and rescoring resumes once it is fixed", async () => {
  await page.click(`[data-tab="editor"]`);
  await page.waitForSelector(".cm-content");
  await page.waitForSelector("#editor-status.ok", { timeout: 15000 });
  // A line that does not parse at the end of the rulebook, after an emoji: the underline must
  // fall on the `((` although the emoji is two UTF-16 units and one character.
  const typed = '\nagency X "Sở 😀" ((';
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type(typed);
  await page.waitForSelector(".cm-lintRange-error", { timeout: 15000 });
  const before = await page.evaluate(() => {
    const mark = document.querySelector(".cm-lintRange-error");
    const range = document.createRange();
    range.setStart(mark.closest(".cm-line"), 0);
    range.setEndBefore(mark);
    return range.toString();
  });
  assert.equal(before, 'agency X "Sở 😀" ', "the underline starts at the first `(`");
  await page.waitForSelector("#editor-status.error");
  assert.match(await text("#editor-status"), /lỗi/);
  assert.ok(await page.locator("#editor-diagnostics li.error").count() > 0);
  await page.screenshot({ path: path.join(shots, "4-editor-error.png") });
  for (let i = 0; i < [...typed].length; i++) await page.keyboard.press("Backspace");
  await page.waitForSelector("#editor-status.ok", { timeout: 15000 });
  assert.equal(await page.locator(".cm-lintRange-error").count(), 0);
  await page.click(`[data-tab="scorecard"]`);
});

test("a malformed CSV gives an error at its row and column, as the CLI locates it", async () => {
  const rows = readFileSync(path.join(root, cohort), "utf8").split("\n");
  const at = rows.findIndex((r) => r.startsWith("P02,1.3,a,"));
  rows[at] = "P02,1.3,a,ba mươi";
  const file = path.join(tmp, "malformed.csv");
  writeFileSync(file, rows.join("\n"));
  const run = spawnSync(bin, ["eval", dti, "--data", file, "--format", "json"], { cwd: root, encoding: "utf8" });
  assert.notEqual(run.status, 0);
  await page.setInputFiles("#data-file", file);
  await page.waitForSelector("#problems .problem.error");
  const shown = await text("#problems .problem.error");
  assert.match(shown, new RegExp(`malformed\\.csv, dòng ${at + 1}, cột \\d+`));
  assert.match(shown, /ba mươi/);
  // In the page's language, word for word what `chiso --lang vi` says.
  const vi = spawnSync(bin, ["--lang", "vi", "eval", dti, "--data", file], { cwd: root, encoding: "utf8" });
  const message = vi.stderr.split("\n").find((l) => l.includes("×") && l.includes("ba mươi"));
  assert.ok(message, `chiso --lang vi names the bad value: ${vi.stderr}`);
  assert.ok(shown.includes(message.split("× ")[1].trim()), `${shown}\n does not say\n${message}`);
  assert.equal(await page.locator("#scorecard").isHidden(), true, "nothing is scored from bad data");
  await page.screenshot({ path: path.join(shots, "5-data-error.png") });
  await page.click("#data-bundled");
  await page.waitForSelector("#problems .problem.error", { state: "detached" });
});

test("a JSON data file dropped on the page is scored as the CLI scores it", async () => {
  const json = "examples/dti-2022/data/cohort.json";
  const expected = cli(["eval", dti, "--data", json, "--format", "json", "--unit", "P03"]).units[0];
  await page.evaluate(([name, body]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([body], name, { type: "application/json" }));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, ["cohort.json", readFileSync(path.join(root, json), "utf8")]);
  await page.waitForFunction(() => document.querySelector("#data-name").textContent.includes("cohort.json"));
  await page.selectOption("#unit", "P03");
  assert.equal((await text("#sum-total")).trim(), num(expected.total, 2, "vi"));
  assert.equal((await text("#sum-rank")).trim(), String(expected.rank));
  await page.click("#data-bundled");
  await page.selectOption("#unit", "P01");
});

test("an Excel workbook opened from disk is scored as `chiso eval` scores the same file", async () => {
  const book = "portal/test/fixtures/cohort.xlsx";
  const expected = cli(["eval", dti, "--data", book, "--format", "json"]);
  await page.setInputFiles("#data-file", path.join(root, book));
  await page.waitForFunction(() => document.querySelector("#data-name").textContent.includes("cohort.xlsx"));
  for (const u of [expected.units[0], expected.units.at(-1)]) {
    await page.selectOption("#unit", u.id);
    assert.equal((await text("#sum-total")).trim(), num(u.total, 2, "vi"));
    assert.equal((await text("#sum-rank")).trim(), String(u.rank));
    assert.equal((await text("#sum-index")).trim(), num(u.index, 4, "vi"));
    const ind = u.indicators.find((i) => i.id === "6.12");
    assert.equal((await text(`button.score[data-indicator="6.12"]`)).trim(), num(ind.score, 2, "vi"));
  }
  // The browser's JSON is the CLI's, document for document.
  const b64 = readFileSync(path.join(root, book)).toString("base64");
  const request = { op: "evaluate", rulebook: { name: dti, text: readFileSync(path.join(root, dti), "utf8") },
    data: { name: book, text: "", base64: b64 } };
  const answer = await page.evaluate((r) => window.chiso.requestXlsxJson(JSON.stringify(r)), request);
  const { kind, ...report } = JSON.parse(answer);
  assert.equal(kind, "eval");
  assert.deepEqual(report, expected);
  await page.screenshot({ path: path.join(shots, "5c-xlsx.png") });
  await page.click("#data-bundled");
  await page.waitForFunction(() => !document.querySelector("#data-name").textContent.includes("cohort.xlsx"));
  await page.selectOption("#unit", "P01");
});

test("a malformed workbook dropped on the page gives a located error, as the CLI reports it", async () => {
  const bytes = readFileSync(path.join(root, "portal/test/fixtures/cohort.xlsx")).subarray(0, 4000);
  const file = path.join(tmp, "cut.xlsx");
  writeFileSync(file, bytes);
  const vi = spawnSync(bin, ["--lang", "vi", "eval", dti, "--data", file], { cwd: root, encoding: "utf8" });
  assert.notEqual(vi.status, 0);
  const message = vi.stderr.split("\n").find((l) => l.includes("×"));
  assert.ok(message, vi.stderr);
  await page.evaluate(([name, body]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(body)], name));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, ["cut.xlsx", [...bytes]]);
  await page.waitForSelector("#problems .problem.error");
  const shown = await text("#problems .problem.error");
  assert.match(shown, /E0801/);
  assert.match(shown, /cut\.xlsx/);
  assert.ok(shown.includes(message.split("× ")[1].trim()), `${shown}\n does not say\n${message}`);
  assert.equal(await page.locator("#scorecard").isHidden(), true, "nothing is scored from a broken workbook");
  await page.click("#data-bundled");
  await page.waitForSelector("#problems .problem.error", { state: "detached" });
});

test("a rulebook and data opened from disk are scored as the CLI scores them", async () => {
  const [rulebook, data] = ["examples/starter/starter.chiso", "examples/starter/data.csv"];
  const expected = cli(["eval", rulebook, "--data", data, "--format", "json"]);
  await page.setInputFiles("#rulebook-file", path.join(root, rulebook));
  await page.setInputFiles("#data-file", path.join(root, data));
  await page.waitForFunction(() => document.querySelector("#data-name").textContent.includes("data.csv"));
  const u = expected.units[0];
  assert.equal(await page.locator("#unit").inputValue(), u.id);
  assert.equal((await text("#sum-total")).trim(), num(u.total, 2, "vi"));
  assert.match(await text("#rulebook-name"), /starter\.chiso/);
  await page.screenshot({ path: path.join(shots, "5b-own-files.png") });
  await page.click("#rulebook-bundled");
  await page.click("#data-bundled");
  await page.waitForFunction(() => document.querySelector("#unit").value === "P01");
});

test("what-if in a wide file headed by the inputs' declared columns", async () => {
  const [rulebook, data] = ["tests/corpus/data/wide-declared-columns.chiso", "tests/corpus/data/wide-declared-columns.csv"];
  const lines = readFileSync(path.join(root, data), "utf8").split("\n");
  // The declared column `Tổng số hộ` (3.2 / b) of unit NT, 200 → 400.
  const file = path.join(tmp, "declared.csv");
  writeFileSync(file, lines.map((l) => (l.startsWith("NT,") ? l.replace(",120,200,", ",120,400,") : l)).join("\n"));
  const before = cli(["eval", rulebook, "--data", data, "--format", "json"]).units.find((u) => u.id === "NT");
  const after = cli(["eval", rulebook, "--data", file, "--format", "json"]).units.find((u) => u.id === "NT");
  const score = (u) => u.indicators.find((i) => i.id === "3.2").score;
  assert.notEqual(score(after), score(before));
  await page.setInputFiles("#rulebook-file", path.join(root, rulebook));
  await page.setInputFiles("#data-file", path.join(root, data));
  await page.waitForFunction(() => document.querySelector("#data-name").textContent.includes("wide-declared-columns.csv"));
  await page.selectOption("#unit", "NT");
  await page.click(`button.score[data-indicator="3.2"]`);
  await page.waitForSelector("#explain:not([hidden]) form.whatif");
  assert.equal(await page.locator(`#explain input[name="b"]`).inputValue(), "200", "the declared column's cell is read");
  await page.fill(`#explain input[name="b"]`, "400");
  await page.click(`#explain form.whatif button[type=submit]`);
  await page.waitForSelector("#whatif-banner:not([hidden])");
  assert.ok((await text(`button.score[data-indicator="3.2"]`)).startsWith(num(score(after), 2, "vi")));
  assert.ok((await text("#sum-total")).startsWith(num(after.total, 2, "vi")));
  await page.click("#whatif-reset");
  await page.click("#rulebook-bundled");
  await page.click("#data-bundled");
  await page.waitForFunction(() => document.querySelector("#unit").value === "P01");
});

test("the plan view shows the status as of a date", async () => {
  await page.click(`[data-tab="plan"]`);
  await page.fill("#plan-date", "2022-12-31");
  await page.click("#plan-run");
  await page.waitForSelector("#plan-result table");
  const expected = cli(["status", "examples/dti-2022/plan-2022.chiso", "--data", "examples/dti-2022/plan-data.csv",
    "--as-of", "2022-12-31", "--format", "json"]);
  const overdue = expected.totals.tasks.overdue ?? 0;
  assert.equal((await text(".tile.task-overdue b")).trim(), String(overdue));
  assert.equal(await page.locator("#plan-result table").nth(1).locator("tbody tr").count(), expected.tasks.length);
  await page.screenshot({ path: path.join(shots, "6-plan.png") });
});

test("the ranking and the English switch", async () => {
  await page.click(`[data-tab="ranking"]`);
  await page.waitForSelector("#ranking-body tr");
  const expected = cli(["eval", dti, "--data", cohort, "--format", "json"]);
  const top = expected.units.find((u) => u.rank === 1);
  assert.match(await text("#ranking-body tr"), new RegExp(top.id));
  await page.screenshot({ path: path.join(shots, "7-ranking.png") });
  await page.click(`[data-lang="en"]`);
  assert.equal(await text(`[data-tab="scorecard"]`), "Scorecard");
  await page.click(`[data-tab="scorecard"]`);
  const first = expected.units[0];
  assert.equal((await text("#sum-total")).trim(), num(first.total, 2, "en"));
  await page.screenshot({ path: path.join(shots, "8-english.png") });
  await page.click(`[data-lang="vi"]`);
});

test("a rulebook warning opens at its line in the editor", async () => {
  await page.click(`[data-tab="scorecard"]`);
  await page.click("#problems details.warning summary");
  const first = cli(["eval", dti, "--data", cohort, "--format", "json"]).diagnostics.find((d) => d.file.endsWith("dti-2022.chiso"));
  await page.locator("#problems details.warning button.where").first().click();
  await page.waitForSelector(`[data-tab="editor"].active`);
  const line = readFileSync(path.join(root, dti), "utf8").split("\n")[first.line - 1];
  await page.waitForFunction((want) => document.querySelector(".cm-activeLine")?.textContent === want, line);
  await page.click(`[data-tab="scorecard"]`);
});

test("parity in the browser: the page's engine gives the CLI's JSON for every example", async () => {
  const source = (name) => ({ name, text: readFileSync(path.join(root, name), "utf8") });
  const cases = [
    [dti, cohort, null], [dti, "examples/dti-2022/data/cohort.json", null], [dti, "examples/dti-2022/data/vi-locale.csv", "vi"],
    [dti, "examples/dti-2022/data/incomplete.csv", null], ["examples/starter/starter.chiso", "examples/starter/data.csv", null],
  ];
  for (const [rulebook, data, locale] of cases) {
    const req = { op: "evaluate", rulebook: source(rulebook), data: source(data) };
    const args = ["eval", rulebook, "--data", data, "--format", "json"];
    if (locale) { req.locale = locale; args.push("--locale", locale); }
    const got = JSON.parse(await page.evaluate((r) => window.chiso.requestJson(r), JSON.stringify(req)));
    assert.equal(got.kind, "eval", data);
    delete got.kind;
    assert.deepEqual(got, cli(args), data);
  }
  const plans = [
    ["examples/ict-2024/ict-2024.chiso", "examples/ict-2024/data.csv", "2024-05-27"],
    ["examples/egov-2022/egov-2022.chiso", "examples/egov-2022/data.csv", "2022-09-30"],
    ["examples/dti-2022/plan-2022.chiso", "examples/dti-2022/plan-data.csv", "2022-12-31"],
  ];
  for (const [plan, data, asOf] of plans) {
    const p = source(plan);
    const named = /^\s*rulebook "([^"]+)"/m.exec(p.text);
    const req = { op: "status", plan: p, data: source(data), as_of: asOf };
    if (named) req.rulebook = source(path.posix.join(path.posix.dirname(plan), named[1]));
    const got = JSON.parse(await page.evaluate((r) => window.chiso.requestJson(r), JSON.stringify(req)));
    assert.equal(got.kind, "status", plan);
    delete got.kind;
    assert.deepEqual(got, cli(["status", plan, "--data", data, "--as-of", asOf, "--format", "json"]), plan);
  }
  const files = [dti, "examples/dti-2022/plan-2022.chiso", "examples/egov-2022/egov-2022.chiso",
    "examples/ict-2024/ict-2024.chiso", "examples/starter/starter.chiso"];
  const checked = JSON.parse(await page.evaluate((r) => window.chiso.requestJson(r), JSON.stringify({ op: "check", files: files.map(source) })));
  delete checked.kind;
  assert.deepEqual(checked, cli(["check", "--format", "json", ...files]));
});

test("no page error and nothing fetched from outside", () => {
  assert.deepEqual(errors, []);
});
