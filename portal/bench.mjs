// Prints how fast the portal scores, in headless Chromium next to the native CLI in the same run
// (figures only, nothing asserted; goals: DTI scorecard ≤ 5 ms, 10,000 units ≤ 1 s):
// - time to first scorecard: page opened → the bundled DTI 2022 cohort scored and drawn;
// - the DTI 2022 cohort (6 provinces) evaluated: median of 9 runs in the page, and `chiso eval`;
// - a 10,000-unit cohort (the six provinces' rows copied in turn, as scripts/gen-dti-bench.py
//   does), scored whole with one unit's scorecard returned, in the page and by `chiso eval --unit`.
// The CLI is CHISO_BIN, else target/release/chiso when built, else target/debug/chiso (said so:
// a debug build is many times slower). Usage: node portal/bench.mjs (after node build.mjs).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const release = path.join(root, "target/release/chiso");
const bin = process.env.CHISO_BIN ? path.resolve(process.env.CHISO_BIN) : (existsSync(release) ? release : path.join(root, "target/debug/chiso"));
const build = /\/debug\//.test(bin) ? " (debug build)" : "";
const tmp = path.join(root, "target/portal/tmp");
mkdirSync(tmp, { recursive: true });

const dti = "examples/dti-2022/dti-2022.chiso";
const cohortPath = "examples/dti-2022/data/cohort.csv";
const UNITS = Number(process.env.CHISO_BENCH_UNITS ?? 10000);

/** The cohort's rows copied to `units` units, in turn (scripts/gen-dti-bench.py's layout). */
function bigCohort(text, units) {
  const [header, ...rows] = text.trim().split("\n");
  const byUnit = new Map();
  for (const r of rows) {
    const [u, rest] = [r.slice(0, r.indexOf(",")), r.slice(r.indexOf(",") + 1)];
    byUnit.set(u, [...(byUnit.get(u) ?? []), rest]);
  }
  const profiles = [...byUnit.keys()].sort().map((k) => byUnit.get(k));
  const out = [header];
  for (let k = 0; k < units; k++) {
    const id = `U${String(k + 1).padStart(5, "0")}`;
    for (const rest of profiles[k % profiles.length]) out.push(`${id},${rest}`);
  }
  return out.join("\n") + "\n";
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

function cliTime(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(bin, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
    times.push(performance.now() - t);
    if (r.status !== 0 && !r.stdout) throw new Error(`chiso ${args.join(" ")}: ${r.stderr}`);
  }
  return median(times);
}

const server = await serve(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const opened = performance.now();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  const wall = performance.now() - opened;
  const timings = await page.evaluate(() => ({ ...window.chiso.timings }));

  const source = (name) => ({ name: path.basename(name), text: readFileSync(path.join(root, name), "utf8") });
  const request = JSON.stringify({ op: "evaluate", rulebook: source(dti), data: source(cohortPath) });
  const oneUnit = JSON.stringify({ op: "evaluate", rulebook: source(dti), data: source(cohortPath), unit: "P01" });
  const inPage = (req, runs) => page.evaluate(([r, n]) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const out = window.chiso.requestJson(r);
      times.push(performance.now() - t);
      if (!out.startsWith('{"kind":"eval"')) throw new Error(out.slice(0, 300));
    }
    return times.sort((a, b) => a - b)[Math.floor(n / 2)];
  }, [req, runs]);
  const dtiPage = await inPage(request, 9);
  const dtiUnitPage = await inPage(oneUnit, 9);
  const checkPage = await page.evaluate((r) => {
    const t = performance.now();
    window.chiso.requestJson(r);
    return performance.now() - t;
  }, JSON.stringify({ op: "check", files: [source(dti)] }));
  const dtiCli = cliTime(["eval", dti, "--data", cohortPath, "--format", "json"], 3);

  const big = bigCohort(readFileSync(path.join(root, cohortPath), "utf8"), UNITS);
  const bigFile = path.join(tmp, `dti-${UNITS}.csv`);
  writeFileSync(bigFile, big);
  // Timed as the page asks: the request object made into JSON in the page, the 42 MB of CSV inside
  // it (the one-string form) or as its own argument (what the portal sends).
  const bigAsked = (apart) => page.evaluate(([rulebook, text, apart]) => {
    const request = { op: "evaluate", rulebook, data: { name: "big.csv", text: apart ? "" : text }, unit: "U00001" };
    const t = performance.now();
    const json = JSON.stringify(request);
    const out = apart ? window.chiso.requestJsonWithData(json, text) : window.chiso.requestJson(json);
    const took = performance.now() - t;
    if (!out.startsWith('{"kind":"eval"')) throw new Error(out.slice(0, 300));
    return took;
  }, [source(dti), big, apart]);
  const bigInside = await bigAsked(false);
  const bigPage = await bigAsked(true);
  const bigCli = cliTime(["eval", dti, "--data", bigFile, "--format", "json", "--unit", "U00001"], 1);

  const rows = [
    ["time to first scorecard (page opened → DTI cohort scored and drawn)", ms(wall), "—"],
    ["  of which: engine loaded / first scoring (page's own clock)", `${ms(timings.load)} / ${ms(timings.score)}`, "—"],
    ["  first scoring: evaluate / owners / drawing the page", `${ms(timings.evaluate)} / ${ms(timings.owners)} / ${ms(timings.render)}`, "—"],
    ["check the DTI 2022 rulebook", ms(checkPage), "—"],
    ["evaluate the DTI 2022 cohort (6 units), median", ms(dtiPage), ms(dtiCli)],
    ["evaluate it, one unit's scorecard returned, median", ms(dtiUnitPage), "—"],
    [`evaluate ${UNITS.toLocaleString("en")} units (${(big.length / 1e6).toFixed(1)} MB CSV), one scorecard returned`, ms(bigPage), ms(bigCli)],
    ["  the same with the CSV inside the JSON request (the one-string form)", ms(bigInside), "—"],
  ];
  console.log(`portal benchmark: headless Chromium vs chiso CLI${build} (process start included)`);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"".padEnd(w)}  ${"browser".padStart(16)}  ${"CLI".padStart(12)}`);
  for (const [name, b, c] of rows) console.log(`${name.padEnd(w)}  ${b.padStart(16)}  ${c.padStart(12)}`);
  console.log("goals: DTI scorecard ≤ 5 ms, 10,000 units ≤ 1 s (figures, not assertions)");
} finally {
  await browser.close();
  server.close();
}
