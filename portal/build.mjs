// Builds the portal into portal/dist: the page, one JS bundle (the app, CodeMirror, Chart.js, the
// engine's glue and the bundled DTI 2022 rulebook, cohort and plan as text), its CSS and the
// engine's .wasm next to them, plus the workbook-reading engine (glue chunk and .wasm) that the
// page fetches only when an .xlsx is opened. Needs wasm/pkg and wasm/pkg-xlsx
// (scripts/build-wasm.sh). Usage: node build.mjs
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "../wasm/pkg");
const pkgXlsx = path.join(here, "../wasm/pkg-xlsx");
if (!existsSync(path.join(pkg, "chiso_wasm_bg.wasm")) || !existsSync(path.join(pkgXlsx, "chiso_wasm_xlsx_bg.wasm"))) {
  console.error("wasm/pkg or wasm/pkg-xlsx is missing: run scripts/build-wasm.sh first");
  process.exit(1);
}
const dist = path.join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
await build({
  entryPoints: { app: path.join(here, "src/main.js") },
  bundle: true,
  format: "esm",
  // The workbook engine's glue is imported dynamically: its own chunk, fetched on demand.
  splitting: true,
  chunkNames: "[name]-[hash]",
  target: "es2020",
  minify: true,
  sourcemap: false,
  outdir: dist,
  loader: { ".chiso": "text", ".csv": "text" },
  logLevel: "warning",
});
copyFileSync(path.join(here, "index.html"), path.join(dist, "index.html"));
copyFileSync(path.join(pkg, "chiso_wasm_bg.wasm"), path.join(dist, "chiso_wasm_bg.wasm"));
copyFileSync(path.join(pkgXlsx, "chiso_wasm_xlsx_bg.wasm"), path.join(dist, "chiso_wasm_xlsx_bg.wasm"));
console.log(`portal built: ${path.relative(process.cwd(), dist) || "."}`);
