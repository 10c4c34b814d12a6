// The scoring portal: a static page that scores a cohort with a Chiso rulebook in the browser
// (the engine compiled to WebAssembly), shows each unit's scorecard, pillars, total, index and
// rank, explains a score, lets an officer try other figures (what-if), edit the rulebook with the
// checker's diagnostics as they type, and see a plan's status as of a date. Nothing is sent
// anywhere: every file stays in the page.

import "./style.css";
import {
  Chart, RadarController, RadialLinearScale, PointElement, LineElement, Filler, Tooltip, Legend,
  BarController, BarElement, CategoryScale, LinearScale,
} from "chart.js";
import { load, loadXlsx, ask, askJson, askJsonWithData, askXlsxJson, toBase64 } from "./engine.js";
import { t, setLang, getLang, applyStatic } from "./i18n.js";
import { num, share, date } from "./format.js";
import { readValue, setValue, unitNames } from "./csv.js";
import { mountEditor } from "./editor.js";
import dtiRulebook from "../../examples/dti-2022/dti-2022.chiso";
import dtiCohort from "../../examples/dti-2022/data/cohort.csv";
import dtiPlan from "../../examples/dti-2022/plan-2022.chiso";
import dtiPlanData from "../../examples/dti-2022/plan-data.csv";

Chart.register(RadarController, RadialLinearScale, PointElement, LineElement, Filler, Tooltip, Legend,
  BarController, BarElement, CategoryScale, LinearScale);

const BUNDLED_RULEBOOK = { name: "dti-2022.chiso", text: dtiRulebook, origin: "bundled" };
const BUNDLED_DATA = { name: "cohort.csv", text: dtiCohort, origin: "bundled" };
const BUNDLED_PLAN = {
  plan: { name: "plan-2022.chiso", text: dtiPlan },
  rulebook: { name: "dti-2022.chiso", text: dtiRulebook },
  data: { name: "plan-data.csv", text: dtiPlanData },
  asOf: "2022-12-31",
  origin: "bundled",
};

const state = {
  rulebook: { ...BUNDLED_RULEBOOK },
  data: { ...BUNDLED_DATA },
  whatIf: [], // { unit, indicator, input, from, to }
  whatIfText: null, // the data text with the what-ifs applied
  baseline: null, // EvalReport of the data as given
  current: null, // EvalReport with the what-ifs (=== baseline without)
  unit: null,
  owners: new Map(), // indicator id → owner agencies' names
  ownersOf: null, // the rulebook text `owners` was computed for
  names: new Map(), // unit id → a readable name found in the data
  problems: null, // { title, message, diagnostics, files }
  explain: null, // { unit, indicator }
  tab: "scorecard",
  plan: { ...BUNDLED_PLAN },
  editor: null,
  editorStatus: "",
  timings: {},
};

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
};

// ----- Scoring ---------------------------------------------------------------------------------

function source(f) {
  return f.base64 === undefined ? { name: f.name, text: f.text } : { name: f.name, text: "", base64: f.base64 };
}

/** What identifies a data file's content: a workbook's bytes, or the text. */
const content = (f) => f.base64 ?? f.text;

const baselineFor = { rulebook: null, data: null, report: null };

/** Scores the data with the rulebook (and the what-ifs), then redraws. */
function score() {
  const started = performance.now();
  const rulebook = source(state.rulebook);
  // A what-if rescoring reuses the real result when the rulebook and data are unchanged.
  const same = baselineFor.rulebook === state.rulebook.text && baselineFor.data === content(state.data);
  const base = same ? baselineFor.report : ask({ op: "evaluate", rulebook, data: source(state.data) });
  state.timings.evaluate = performance.now() - started;
  Object.assign(baselineFor, { rulebook: state.rulebook.text, data: content(state.data), report: base });
  state.problems = null;
  if (base.kind !== "eval") {
    state.problems = refusedProblem(base);
    state.baseline = state.current = null;
    renderAll();
    return;
  }
  state.baseline = base;
  state.current = base;
  if (state.whatIf.length && state.whatIfText !== null) {
    const edited = ask({ op: "evaluate", rulebook, data: { name: state.data.name, text: state.whatIfText } });
    if (edited.kind === "eval") state.current = edited;
    else {
      // The what-if value is what is wrong: drop the last one and say why.
      state.problems = { ...refusedProblem(edited), title: t("whatif.refused") };
      state.whatIf.pop();
      state.whatIfText = rebuildWhatIf();
      if (state.whatIf.length) {
        const again = ask({ op: "evaluate", rulebook, data: { name: state.data.name, text: state.whatIfText } });
        if (again.kind === "eval") state.current = again;
      }
    }
  }
  if (state.ownersOf !== state.rulebook.text) {
    const t0 = performance.now();
    state.owners = ownersByIndicator(ask({ op: "owners", files: [rulebook] }));
    state.ownersOf = state.rulebook.text;
    state.timings.owners = performance.now() - t0;
  }
  state.names = unitNames(state.data);
  const ids = state.current.units.map((u) => u.id);
  if (!ids.includes(state.unit)) state.unit = ids[0] ?? null;
  const drawn = performance.now();
  renderAll();
  state.timings.render = performance.now() - drawn;
  state.timings.score = performance.now() - started;
}

function refusedProblem(response) {
  const diagnostics = response.diagnostics ?? [];
  const inData = diagnostics.some((d) => d.file === state.data.name);
  return {
    title: inData ? t("problems.data") : diagnostics.length ? t("problems.rulebook") : t("problems.refused"),
    message: response.message,
    diagnostics,
  };
}

function ownersByIndicator(report) {
  const map = new Map();
  if (report.kind !== "owners") return map;
  for (const a of report.agencies) {
    for (const d of a.indicators) {
      if (!d.id) continue;
      map.set(d.id, [...(map.get(d.id) ?? []), a.title ?? a.agency]);
    }
  }
  return map;
}

function rebuildWhatIf() {
  let text = state.data.text;
  for (const w of state.whatIf) {
    const next = setValue({ name: state.data.name, text }, w.unit, w.indicator, w.input, w.to, w.column);
    if (next === null) return null;
    text = next;
  }
  return text;
}

// ----- Rendering -------------------------------------------------------------------------------

function renderAll() {
  applyStatic();
  renderSources();
  renderProblems();
  renderTabs();
  renderScorecard();
  renderRanking();
  renderExplain();
  renderEditorStatus();
  renderPlan();
}

function unitLabel(id) {
  const name = state.names.get(id);
  return name && name !== id ? `${name} (${id})` : id;
}

function renderSources() {
  const rb = state.rulebook;
  $("#rulebook-name").textContent =
    rb.origin === "bundled" ? t("src.rulebook.bundled") : rb.origin === "edited" ? t("src.rulebook.edited") : t("src.rulebook.file", { name: rb.name });
  $("#data-name").textContent = state.data.origin === "bundled" ? t("src.data.bundled") : t("src.data.file", { name: state.data.name });
  const select = $("#unit");
  select.replaceChildren();
  for (const u of state.current?.units ?? []) {
    select.append(el("option", { value: u.id, selected: u.id === state.unit }, unitLabel(u.id)));
  }
  select.disabled = !state.current;
  for (const b of document.querySelectorAll("[data-lang]")) b.classList.toggle("active", b.dataset.lang === getLang());
}

function where(d) {
  return t("problems.at", { file: d.file, line: d.line, column: d.column });
}

function diagnosticText(d) {
  const title = getLang() === "vi" ? d.title_vi : d.title;
  return `${d.code} · ${title}: ${d.message}`;
}

/** The line of `file` a diagnostic points at, with a caret under its column. */
function excerpt(d) {
  const files = [state.rulebook, state.data, { name: state.data.name, text: state.whatIfText ?? "" }];
  const file = files.find((f) => f.name === d.file && f.text);
  const line = file?.text.replace(/^\uFEFF/, "").split(/\r?\n/)[d.line - 1];
  if (line === undefined) return null;
  const caret = " ".repeat(Math.max(d.column - 1, 0)) + "^".repeat(Math.max(1, d.end_line === d.line ? d.end_column - d.column : 1));
  return el("pre", { class: "excerpt" }, `${String(d.line).padStart(4)} | ${line}\n     | ${caret}`);
}

function renderProblems() {
  const box = $("#problems");
  box.replaceChildren();
  const p = state.problems;
  const warnings = state.current?.diagnostics ?? [];
  if (p) {
    box.append(el("div", { class: "problem error", role: "alert" },
      el("h3", {}, p.title),
      p.diagnostics.some((d) => d.severity === "error") ? null : el("p", {}, p.message),
      // Errors are what stopped the scoring; the warnings are listed once it scores.
      el("ul", {}, p.diagnostics.filter((d) => d.severity === "error").slice(0, 20).map((d) => el("li", { class: d.severity },
        el("strong", { class: "where" }, where(d)), " — ", diagnosticText(d),
        d.help ? el("div", { class: "help" }, d.help) : null,
        excerpt(d)))),
    ));
  }
  if (warnings.length && !p) {
    box.append(el("details", { class: "problem warning" },
      el("summary", {}, t("problems.warnings", { n: warnings.length })),
      el("p", { class: "hint" }, t("problems.warnings.hint")),
      el("ul", {}, warnings.map((d) => el("li", {},
        d.file === state.rulebook.name
          ? el("button", { class: "link where", onclick: () => openInEditor(d) }, where(d))
          : el("strong", { class: "where" }, where(d)),
        " — ", diagnosticText(d))))));
  }
}

function renderTabs() {
  for (const b of document.querySelectorAll("[data-tab]")) {
    const on = b.dataset.tab === state.tab;
    b.classList.toggle("active", on);
    b.setAttribute("aria-selected", on);
  }
  for (const s of document.querySelectorAll("[data-panel]")) s.hidden = s.dataset.panel !== state.tab;
}

function unitOf(report, id) {
  return report?.units.find((u) => u.id === id) ?? null;
}

/** A value cell that shows the what-if value and, in brackets, the real one when they differ. */
function changed(now, before, digits = 2) {
  const moved = before !== undefined && before !== null && now !== before;
  return el("span", { class: moved ? "changed" : null },
    num(now, digits), moved ? el("small", { class: "was" }, ` (${num(before, digits)})`) : null);
}

function renderScorecard() {
  const panel = $("#scorecard");
  const u = unitOf(state.current, state.unit);
  const base = unitOf(state.baseline, state.unit);
  $("#whatif-banner").hidden = !state.whatIf.length;
  if (state.whatIf.length) {
    $("#whatif-banner").replaceChildren(
      el("p", {}, t("whatif.banner", { n: state.whatIf.length })),
      el("ul", {}, state.whatIf.map((w) => el("li", {}, t("whatif.change", {
        unit: unitLabel(w.unit), indicator: w.indicator, input: w.input, from: w.from ?? t("whatif.empty"), to: w.to || t("whatif.empty"),
      })))),
      moves(unitOf(state.current, state.unit), unitOf(state.baseline, state.unit)),
      el("button", { class: "secondary", id: "whatif-reset", onclick: resetWhatIf }, t("whatif.reset")),
    );
  }
  $("#scorecard-empty").hidden = Boolean(u);
  if (!u) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const whatIf = state.whatIf.length > 0;
  const n = state.current.units.length;
  const pillarMax = u.pillars.reduce((s, p) => s + Number(p.max), 0);
  $("#sum-total").replaceChildren(changed(u.total, whatIf ? base.total : undefined));
  $("#sum-total-of").textContent = pillarMax ? t("sum.of", { max: num(String(pillarMax)) }) : "";
  $("#sum-index").replaceChildren(u.index === null ? "—" : changed(u.index, whatIf ? base.index : undefined, 4));
  $("#sum-rank").replaceChildren(changed(String(u.rank), whatIf ? String(base.rank) : undefined, 0));
  $("#sum-rank-of").textContent = t("sum.rank.of", { n });
  $("#sum-complete").textContent = u.complete ? t("sum.complete.yes") : t("sum.complete.no");
  $("#sum-complete").className = u.complete ? "ok" : "warn";

  const body = $("#card-body");
  body.replaceChildren();
  const byPillar = new Map(u.pillars.map((p) => [p.id, []]));
  const loose = [];
  for (const i of u.indicators) (byPillar.get(i.pillar) ?? loose).push(i);
  const baseIndicator = new Map((base?.indicators ?? []).map((i) => [i.id, i]));
  const basePillar = new Map((base?.pillars ?? []).map((p) => [p.id, p]));
  for (const p of u.pillars) {
    const bp = basePillar.get(p.id);
    body.append(el("tr", { class: "pillar", "data-pillar": p.id },
      el("th", { colspan: 4, scope: "rowgroup" }, `${p.id}. ${p.title}`),
      el("td", { class: "num" }, changed(p.score, whatIf ? bp?.score : undefined)),
      el("td", { class: "num max" }, num(p.max))));
    for (const i of byPillar.get(p.id)) body.append(indicatorRow(i, whatIf ? baseIndicator.get(i.id) : undefined));
  }
  for (const i of loose) body.append(indicatorRow(i, whatIf ? baseIndicator.get(i.id) : undefined));
  drawRadar(u, base);
}

/** What the what-ifs moved for the shown unit: scores, pillars, total, rank (real → what-if). */
function moves(u, base) {
  if (!u || !base) return null;
  const out = [];
  const was = new Map(base.indicators.map((i) => [i.id, i.score]));
  for (const i of u.indicators) if (i.score !== was.get(i.id)) out.push(`${i.id}: ${num(was.get(i.id))} → ${num(i.score)}`);
  const pillars = new Map(base.pillars.map((p) => [p.id, p.score]));
  for (const p of u.pillars) if (p.score !== pillars.get(p.id)) out.push(`${t("card.pillar")} ${p.id}: ${num(pillars.get(p.id))} → ${num(p.score)}`);
  if (u.total !== base.total) out.push(`${t("sum.total")}: ${num(base.total)} → ${num(u.total)}`);
  out.push(`${t("sum.rank")}: ${base.rank} → ${u.rank}`);
  return el("p", { class: "moves", id: "whatif-moves" }, `${unitLabel(u.id)} — ${out.join(" · ")}`);
}

function indicatorRow(i, before) {
  const status = t(`status.${i.status}`);
  const owners = state.owners.get(i.id) ?? [];
  const open = state.explain?.unit === state.unit && state.explain?.indicator === i.id;
  const scoreButton = el("button", {
    class: `score ${i.status}`, "data-indicator": i.id, title: t("explain.title"),
    onclick: () => { state.explain = { unit: state.unit, indicator: i.id }; renderScorecard(); renderExplain(); },
  }, i.status === "scored" ? changed(i.score, before?.score ?? undefined) : "—");
  return el("tr", { class: `indicator ${i.parent ? "sub" : ""} ${open ? "open" : ""}`, "data-id": i.id },
    el("td", { class: "code" }, i.id),
    el("td", { class: "title" }, i.title, i.reason ? el("div", { class: "reason" }, i.reason) : null),
    el("td", { class: "owner" }, owners.join("; ")),
    el("td", {}, el("span", { class: `badge ${i.status}` }, status)),
    el("td", { class: "num" }, scoreButton),
    el("td", { class: "num max" }, num(i.max)));
}

/** Splits a label into lines of about `width` characters, at spaces (Chart.js draws arrays as lines). */
function wrap(text, width) {
  const lines = [];
  for (const word of text.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length < width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

let radar = null;
function drawRadar(u, base) {
  const pillars = u.pillars.filter((p) => Number(p.max) > 0);
  const units = state.current.units;
  const average = pillars.map((p) => {
    const all = units.map((x) => share(x.pillars.find((q) => q.id === p.id)?.score ?? 0, p.max));
    return Math.round((all.reduce((a, b) => a + b, 0) / all.length) * 10) / 10;
  });
  const datasets = [
    { label: unitLabel(u.id), data: pillars.map((p) => share(p.score, p.max)), borderColor: "#b3261e", backgroundColor: "rgba(179,38,30,0.18)", borderWidth: 2 },
    { label: getLang() === "vi" ? "Trung bình các đơn vị" : "Cohort average", data: average, borderColor: "#5f6b7a", backgroundColor: "rgba(95,107,122,0.08)", borderDash: [4, 4], borderWidth: 1.5 },
  ];
  if (state.whatIf.length && base) {
    datasets.splice(1, 0, { label: getLang() === "vi" ? "Trước giả định" : "Before the what-if", data: pillars.map((p) => share(base.pillars.find((q) => q.id === p.id)?.score ?? 0, p.max)), borderColor: "#e0a100", backgroundColor: "rgba(0,0,0,0)", borderWidth: 1.5 });
  }
  const data = { labels: pillars.map((p) => wrap(`${p.id}. ${p.title}`, 16)), datasets };
  const locale = getLang() === "vi" ? "vi-VN" : "en-US";
  // A radar needs three axes; with fewer pillars the same shares are bars.
  const type = pillars.length >= 3 ? "radar" : "bar";
  const scales = type === "radar"
    ? { r: { min: 0, max: 100, ticks: { stepSize: 25, backdropColor: "transparent" }, pointLabels: { font: { size: 11 }, color: "#1d2433" } } }
    : { x: { min: 0, max: 100 } };
  const options = {
    animation: false, responsive: true, maintainAspectRatio: false, locale, indexAxis: type === "bar" ? "y" : "x",
    scales, plugins: { legend: { position: "bottom" } },
  };
  if (radar && radar.config.type !== type) { radar.destroy(); radar = null; }
  if (radar) { radar.data = data; radar.options = options; radar.update(); }
  else radar = new Chart($("#radar"), { type, data, options });
}

let bars = null;
function renderRanking() {
  const r = state.current;
  const table = $("#ranking-body");
  table.replaceChildren();
  if (!r) return;
  const sorted = [...r.units].sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id));
  const headRow = $("#ranking-head");
  headRow.replaceChildren(el("th", {}, t("rank.rank")), el("th", {}, t("rank.unit")), el("th", { class: "num" }, t("rank.total")),
    el("th", { class: "num" }, t("rank.index")), ...(sorted[0]?.pillars ?? []).map((p) => el("th", { class: "num", title: p.title }, p.id)));
  for (const u of sorted) {
    const b = unitOf(state.baseline, u.id);
    const whatIf = state.whatIf.length > 0;
    table.append(el("tr", { class: u.id === state.unit ? "selected" : null, "data-unit": u.id, onclick: () => selectUnit(u.id) },
      el("td", { class: "num" }, changed(String(u.rank), whatIf ? String(b.rank) : undefined, 0)),
      el("td", {}, unitLabel(u.id)),
      el("td", { class: "num" }, changed(u.total, whatIf ? b.total : undefined)),
      el("td", { class: "num" }, u.index === null ? "—" : changed(u.index, whatIf ? b.index : undefined, 4)),
      ...u.pillars.map((p) => el("td", { class: "num" }, changed(p.score, whatIf ? b.pillars.find((q) => q.id === p.id)?.score : undefined)))));
  }
  const data = {
    labels: sorted.map((u) => unitLabel(u.id)),
    datasets: [{
      label: t("rank.total"), data: sorted.map((u) => Number(u.total)),
      backgroundColor: sorted.map((u) => (u.id === state.unit ? "#b3261e" : "#8aa4c8")),
    }],
  };
  const lang = getLang();
  const options = {
    animation: false, indexAxis: "y", responsive: true, maintainAspectRatio: false,
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => num(String(sorted[c.dataIndex].total), 2, lang) } } },
    scales: { x: { beginAtZero: true, ticks: { callback: (v) => num(String(v), 0, lang) } } },
    onClick: (_, items) => { if (items[0]) selectUnit(sorted[items[0].index].id); },
  };
  $("#ranking-chart-box").style.height = `${Math.max(160, 34 * sorted.length + 60)}px`;
  if (sorted.length > 200) { $("#ranking-chart-box").hidden = true; return; }
  $("#ranking-chart-box").hidden = false;
  if (bars) { bars.data = data; bars.options = options; bars.update(); }
  else bars = new Chart($("#ranking-chart"), { type: "bar", data, options });
}

function selectUnit(id) {
  state.unit = id;
  state.explain = null;
  renderSources();
  renderScorecard();
  renderRanking();
  renderExplain();
}

// ----- Explanation and what-if -----------------------------------------------------------------

function value(v, unit) {
  if (v === null || v === undefined) return "—";
  if (unit === "percent" && /^-?\d+(\.\d+)?$/.test(v)) return `${num(times100(v), 2)}%`;
  return /^-?\d+(\.\d+)?$/.test(v) ? num(v, 6) : v;
}

function times100(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = ""] = m;
  const f = frac.padEnd(2, "0");
  const i = (int + f.slice(0, 2)).replace(/^0+(?=\d)/, "");
  return sign + i + (f.length > 2 ? "." + f.slice(2) : "");
}

function stepText(s) {
  switch (s.step) {
    case "input": return null;
    case "let": return `${t("explain.let", { name: s.name })} = ${value(s.value, s.unit)}`;
    case "branch":
      if (s.pattern !== null) return t("explain.branch.arm", { subject: s.subject, value: value(s.value, s.unit), pattern: s.pattern.replace(/>=/g, "≥").replace(/<=/g, "≤") });
      if (s.option !== null) return t("explain.branch.option", { subject: s.subject, option: s.option });
      if (s.condition !== null) return t("explain.branch.condition", { result: t(s.condition ? "explain.true" : "explain.false") });
      return s.text;
    case "part": return `${t("explain.part", { label: s.label })} = ${value(s.value)}`;
    case "cohort": return t("explain.cohort", { units: s.units, function: t(`cohort.${s.function}`), min: value(s.min), max: value(s.max), result: value(s.result) });
    case "clamped": return t("explain.clamped", { raw: value(s.raw), clamped: value(s.clamped) });
    case "sub_sum": return `${t("explain.subsum")}: ${s.parts.map(([id, v]) => `${id} = ${value(v)}`).join(" + ")}`;
    default: return JSON.stringify(s);
  }
}

function renderExplain() {
  const box = $("#explain");
  const e = state.explain;
  if (!e || !state.current || e.unit !== state.unit) { box.hidden = true; return; }
  const data = state.whatIf.length && state.whatIfText !== null ? { name: state.data.name, text: state.whatIfText } : source(state.data);
  const x = ask({ op: "explain", rulebook: source(state.rulebook), data, unit: e.unit, indicator: e.indicator });
  box.hidden = false;
  box.replaceChildren();
  box.append(el("div", { class: "explain-head" },
    el("h3", {}, `${e.indicator} · ${x.title ?? ""}`),
    el("button", { class: "close", "aria-label": t("explain.close"), onclick: () => { state.explain = null; renderExplain(); renderScorecard(); } }, "×")));
  if (x.kind !== "explain") { box.append(el("p", { class: "error" }, x.message)); return; }
  box.append(el("p", { class: "explain-score" }, x.status === "scored"
    ? t("explain.score", { score: num(x.score), max: num(x.max) })
    : t("explain.notscored", { reason: x.reason ?? t(`status.${x.status}`) })));
  if (x.contradicted_assumption) box.append(el("p", { class: "warn" }, t("explain.assumption", { text: x.contradicted_assumption })));

  // The inputs the rule declares, with the values the trace read; an input the unit did not
  // report (the score is then not evaluable) can be given here too.
  const read = new Map(x.steps.filter((s) => s.step === "input").map((s) => [s.name, s]));
  // `input NAME: TYPE "description" … column "header"`: the description and the declared column.
  const declared = [...x.rule.matchAll(/^\s*input\s+([\p{L}\p{N}_]+)\s*:\s*[^"\n]*?(?:(?<!\bcolumn\s+)"([^"]*)")?(?:[^"\n]*?\bcolumn\s+"([^"]*)")?[^"\n]*$/gmu)]
    .map(([, name, description, column]) => ({ ...(read.get(name) ?? { name, description: description ?? null, value: null, unit: null, missing: true }), column: column ?? null }));
  const inputs = [...declared, ...[...read.values()].filter((s) => !declared.some((d) => d.name === s.name))];
  const editable = readValue(data, e.unit, "", "") !== null;
  const form = el("form", { class: "whatif", onsubmit: (ev) => { ev.preventDefault(); applyWhatIf(form, e); } },
    el("h4", {}, t("whatif.title")),
    el("p", { class: "hint" }, editable ? t("whatif.hint", { unit: unitLabel(e.unit) }) : t("whatif.unsupported")),
    inputs.length ? el("div", { class: "input-head" }, el("span", {}, t("whatif.now")), el("span", {}, t("whatif.try"))) : null);
  for (const s of inputs) {
    const cell = readValue(data, e.unit, e.indicator, s.name, s.column);
    form.append(el("label", { class: "input-row" },
      el("span", { class: "input-name" }, el("code", {}, s.name), " ", s.description ?? ""),
      el("span", { class: "input-now" }, s.missing ? el("em", { class: "warn" }, t("whatif.missing")) : value(s.value, s.unit),
        s.defaulted ? el("em", {}, ` — ${t("explain.defaulted")}`) : null),
      el("input", { type: "text", name: s.name, value: cell?.value ?? "", "data-original": cell?.value ?? "", "data-column": s.column ?? "", disabled: !editable, "aria-label": s.name })));
  }
  if (inputs.length) form.append(el("button", { type: "submit", disabled: !editable }, t("whatif.apply")));
  box.append(form);
  const steps = x.steps.map(stepText).filter(Boolean);
  if (steps.length) box.append(el("h4", {}, t("explain.steps")), el("ol", { class: "steps" }, steps.map((s) => el("li", {}, s))));
  box.append(el("details", {}, el("summary", {}, t("explain.rule")), el("pre", { class: "rule" }, x.rule)));
}

function applyWhatIf(form, e) {
  let moved = false;
  for (const input of form.querySelectorAll("input[name]")) {
    if (input.value === input.dataset.original) continue;
    const base = state.whatIfText ?? state.data.text;
    const column = input.dataset.column || null;
    const next = setValue({ name: state.data.name, text: base }, e.unit, e.indicator, input.name, input.value.trim(), column);
    if (next === null) continue;
    const original = readValue(state.data, e.unit, e.indicator, input.name, column)?.value;
    state.whatIf = state.whatIf.filter((w) => !(w.unit === e.unit && w.indicator === e.indicator && w.input === input.name));
    state.whatIf.push({ unit: e.unit, indicator: e.indicator, input: input.name, column, from: original, to: input.value.trim() });
    state.whatIfText = next;
    moved = true;
  }
  if (moved) score();
}

function resetWhatIf() {
  state.whatIf = [];
  state.whatIfText = null;
  score();
}

// ----- Editor ----------------------------------------------------------------------------------

let lastClean = null;
function onCheck(report, text) {
  if (report.kind !== "check") {
    state.editorStatus = { kind: "error", text: report.message };
  } else if (report.errors > 0) {
    state.editorStatus = { kind: "error", text: t("editor.errors", { errors: report.errors, warnings: report.warnings }) };
  } else {
    state.editorStatus = { kind: "ok", text: report.warnings ? t("editor.warnings", { warnings: report.warnings }) : t("editor.clean") };
    if (text !== lastClean && text !== state.rulebook.text) {
      lastClean = text;
      state.rulebook = { name: state.rulebook.name, text, origin: "edited" };
      score();
    }
  }
  state.editorReport = report;
  renderEditorStatus();
}

function renderEditorStatus() {
  const s = $("#editor-status");
  if (!state.editorStatus) { s.textContent = ""; return; }
  s.textContent = state.editorStatus.text;
  s.className = `editor-status ${state.editorStatus.kind}`;
  const list = $("#editor-diagnostics");
  list.replaceChildren();
  const all = state.editorReport?.diagnostics ?? [];
  const ordered = [...all.filter((d) => d.severity === "error"), ...all.filter((d) => d.severity !== "error")];
  for (const d of ordered.slice(0, 50)) {
    list.append(el("li", { class: d.severity },
      el("button", { class: "link", onclick: () => state.editor.reveal(d) }, t("problems.at", { file: d.file, line: d.line, column: d.column })),
      " — ", diagnosticText(d)));
  }
}

/** Shows a rulebook diagnostic in the editor. */
function openInEditor(d) {
  state.tab = "editor";
  ensureEditor();
  renderTabs();
  state.editor.reveal(d);
}

function ensureEditor() {
  if (state.editor) return;
  state.editor = mountEditor($("#editor"), {
    text: state.rulebook.text, name: state.rulebook.name, onCheck,
    message: (d) => `${d.code} · ${getLang() === "vi" ? d.title_vi : d.title}: ${d.message}${d.help ? `\n${d.help}` : ""}`,
  });
}

// ----- Plan ------------------------------------------------------------------------------------

function renderPlan() {
  const box = $("#plan-result");
  const p = state.plan;
  $("#plan-name").textContent = p.origin === "bundled" ? t("plan.bundled") : p.plan.name;
  if (!p.report) { box.replaceChildren(); return; }
  const r = p.report;
  box.replaceChildren();
  if (r.kind !== "status") {
    box.append(el("div", { class: "problem error" }, el("h3", {}, t("problems.refused")), el("p", {}, r.message),
      el("ul", {}, (r.diagnostics ?? []).slice(0, 20).map((d) => el("li", {}, el("strong", {}, where(d)), " — ", diagnosticText(d))))));
    return;
  }
  const c = r.totals;
  const count = (group, k) => c[group][k] ?? 0;
  box.append(
    el("h3", {}, r.plan ?? ""),
    r.period ? el("p", { class: "muted" }, t("plan.period", { start: date(r.period.start), end: date(r.period.end) })) : null,
    el("div", { class: "tiles" },
      ["met", "not_met", "no_data"].map((k) => el("div", { class: `tile target-${k}` }, el("b", {}, count("targets", k)), el("span", {}, `${t("plan.targets")}: ${t(`target.${k}`)}`))),
      ["done_on_time", "done_late", "open", "overdue"].map((k) => el("div", { class: `tile task-${k}` }, el("b", {}, count("tasks", k)), el("span", {}, `${t("plan.tasks")}: ${t(`task.${k}`)}`)))),
    el("h4", {}, `${t("plan.targets")} (${c.target_total})`),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["card.code", "plan.item", "plan.goal", "plan.actual", "plan.ratio", "card.status", "plan.owner"].map((k) => el("th", {}, t(k))))),
      el("tbody", {}, r.targets.flatMap((x) => x.lines.map((l, n) => el("tr", {},
        el("td", { class: "code" }, n ? "" : x.id), el("td", {}, n ? l.part ?? "" : x.title + (l.part ? ` — ${l.part}` : "")),
        el("td", { class: "num" }, goal(l.goal)), el("td", { class: "num" }, value(l.actual, x.measure === "percent" ? "percent" : null)),
        el("td", { class: "num" }, l.ratio_percent === null ? "—" : `${num(l.ratio_percent)}%`),
        el("td", {}, el("span", { class: `badge target-${l.status}` }, t(`target.${l.status}`))),
        el("td", { class: "owner" }, n ? "" : agencies(x.owners))))))),
    el("h4", {}, `${t("plan.tasks")} (${c.task_total})`),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["card.code", "plan.task", "plan.owner", "plan.due", "card.status", "plan.days"].map((k) => el("th", {}, t(k))))),
      el("tbody", {}, r.tasks.map((x) => el("tr", {},
        el("td", { class: "code" }, x.source_id ?? x.id), el("td", {}, x.title, x.remark ? el("div", { class: "reason" }, x.remark) : null),
        el("td", { class: "owner" }, agencies(x.owners)), el("td", {}, x.due_date ? date(x.due_date) : (x.due_vi ?? x.due ?? "—")),
        el("td", {}, el("span", { class: `badge task-${x.status}` }, t(`task.${x.status}`))),
        el("td", { class: "num" }, x.days_late ? t("plan.dayslate", { n: x.days_late }) : daysLeft(x.days_remaining)))))),
    r.next_deadlines.length ? el("h4", {}, t("plan.deadlines")) : null,
    r.next_deadlines.length ? el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["plan.schedule", "plan.owner", "plan.recipients", "plan.due"].map((k) => el("th", {}, t(k))))),
      el("tbody", {}, r.next_deadlines.map((x) => el("tr", {}, el("td", {}, x.schedule), el("td", { class: "owner" }, agencies(x.owners)),
        el("td", { class: "owner" }, agencies(x.recipients)),
        el("td", {}, x.date ? `${date(x.date)} (${daysLeft(x.days_remaining)})` : t("plan.nodate")))))) : null,
  );
}

function daysLeft(n) {
  return n === null || n === undefined ? "" : n === 0 ? t("plan.today") : t("plan.daysleft", { n });
}

/** A goal as the source writes it, with the comparison signs a reader expects (`≥ 85%`). */
function goal(g) {
  if (!g) return "—";
  return g.replace(/>=/g, "≥").replace(/<=/g, "≤").replace(/^in\s+(.+)\.\.(.+)$/, "$1 – $2")
    .replace(/\d+(?:\.\d+)?/g, (n) => num(n, 6));
}

/** Agencies by their full names when a file declares them (`SoTTTT` → Sở Thông tin và Truyền thông). */
function agencies(ids) {
  return ids.map((a) => state.plan.agencyTitles?.get(a) ?? a).join("; ");
}

function runPlan() {
  const p = state.plan;
  const files = [p.rulebook, p.plan].filter(Boolean);
  const owners = ask({ op: "owners", files });
  p.agencyTitles = new Map(owners.kind === "owners" ? owners.agencies.filter((a) => a.title).map((a) => [a.agency, a.title]) : []);
  p.asOf = $("#plan-date").value || p.asOf;
  const req = { op: "status", plan: p.plan, as_of: p.asOf };
  if (p.rulebook) req.rulebook = p.rulebook;
  if (p.data) req.data = p.data;
  p.report = ask(req);
  renderPlan();
}

// ----- Files -----------------------------------------------------------------------------------

function readFile(file) {
  return file.text().then((text) => ({ name: file.name, text }));
}

async function openData(file) {
  let f;
  if (/\.xlsx$/i.test(file.name)) {
    // A workbook travels as its bytes and is read by the engine that reads .xlsx, as the CLI does.
    try {
      const [bytes] = await Promise.all([file.arrayBuffer(), loadXlsx()]);
      f = { name: file.name, text: "", base64: toBase64(new Uint8Array(bytes)) };
    } catch (e) {
      showError(t("err.engine", { message: e.message }));
      return;
    }
  } else if (/\.(csv|json|tsv|txt)$/i.test(file.name)) {
    f = await readFile(file);
  } else {
    showError(t("err.format", { name: file.name }));
    return;
  }
  state.data = { ...f, origin: "file" };
  state.whatIf = [];
  state.whatIfText = null;
  state.explain = null;
  score();
}

async function openRulebook(file) {
  const f = await readFile(file);
  state.rulebook = { ...f, origin: "file" };
  state.explain = null;
  if (state.editor) state.editor.setText(f.text, f.name);
  score();
}

async function openPlan(files) {
  const all = await Promise.all([...files].map(readFile));
  const chiso = all.filter((f) => /\.chiso$/i.test(f.name));
  const data = all.find((f) => /\.(csv|json)$/i.test(f.name)) ?? null;
  const plan = chiso.find((f) => /^\s*plan\s+"/m.test(f.text)) ?? chiso[0];
  if (!plan) { showError(t("err.format", { name: all[0]?.name ?? "?" })); return; }
  const rulebook = chiso.find((f) => f !== plan) ?? (/^\s*rulebook\s+"/m.test(plan.text) ? source(state.rulebook) : null);
  state.plan = { plan, rulebook, data, asOf: $("#plan-date").value, origin: "file" };
  runPlan();
}

function showError(message) {
  state.problems = { title: message, message: "", diagnostics: [] };
  renderProblems();
}

function wireDrop(zone, onFile) {
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("dragging");
    const f = e.dataTransfer?.files?.[0];
    if (!f) return;
    if (/\.chiso$/i.test(f.name)) openRulebook(f); else onFile(f);
  });
}

// ----- Start -----------------------------------------------------------------------------------

async function start() {
  const params = new URLSearchParams(location.search);
  setLang(params.get("lang") ?? localStorage.getItem("chiso.lang") ?? "vi");
  applyStatic();
  const t0 = performance.now();
  let engineVersion;
  try {
    engineVersion = await load();
  } catch (e) {
    $("#loading").textContent = t("err.engine", { message: e.message });
    return;
  }
  state.timings.load = performance.now() - t0;
  $("#engine").textContent = t("app.engine", { version: engineVersion });
  $("#loading").hidden = true;
  $("#app").hidden = false;

  $("#rulebook-file").addEventListener("change", (e) => e.target.files[0] && openRulebook(e.target.files[0]));
  $("#rulebook-bundled").addEventListener("click", () => {
    state.rulebook = { ...BUNDLED_RULEBOOK };
    if (state.editor) state.editor.setText(state.rulebook.text, state.rulebook.name);
    score();
  });
  $("#data-file").addEventListener("change", (e) => e.target.files[0] && openData(e.target.files[0]));
  $("#data-bundled").addEventListener("click", () => {
    state.data = { ...BUNDLED_DATA };
    state.whatIf = [];
    state.whatIfText = null;
    score();
  });
  wireDrop(document.body, openData);
  $("#unit").addEventListener("change", (e) => selectUnit(e.target.value));
  for (const b of document.querySelectorAll("[data-tab]")) {
    b.addEventListener("click", () => {
      state.tab = b.dataset.tab;
      if (state.tab === "editor") ensureEditor();
      if (state.tab === "plan" && !state.plan.report) runPlan();
      renderTabs();
      if (state.tab === "ranking") renderRanking();
    });
  }
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.addEventListener("click", () => {
      setLang(b.dataset.lang);
      localStorage.setItem("chiso.lang", b.dataset.lang);
      renderAll();
      if (state.editor) state.editor.relint();
    });
  }
  $("#editor-restore").addEventListener("click", () => {
    state.rulebook = { ...BUNDLED_RULEBOOK };
    state.editor.setText(BUNDLED_RULEBOOK.text, BUNDLED_RULEBOOK.name);
    score();
  });
  $("#editor-download").addEventListener("click", () => {
    const a = el("a", { href: URL.createObjectURL(new Blob([state.editor.text()], { type: "text/plain" })), download: state.rulebook.name });
    a.click();
  });
  $("#plan-date").value = state.plan.asOf;
  $("#plan-run").addEventListener("click", runPlan);
  $("#plan-bundled").addEventListener("click", () => { state.plan = { ...BUNDLED_PLAN, asOf: $("#plan-date").value }; runPlan(); });
  $("#plan-file").addEventListener("change", (e) => e.target.files.length && openPlan(e.target.files));

  score();
  state.timings.firstScorecard = performance.now() - t0;
  // For the end-to-end test and the benchmark: the engine's JSON and the page's timings.
  window.chiso = { requestJson: askJson, requestJsonWithData: askJsonWithData, requestXlsxJson: askXlsxJson, timings: state.timings, state };
  document.body.dataset.ready = "true";
}

start();
