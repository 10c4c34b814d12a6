// Builds the portal into portal/dist: the page, one JS bundle (the app, CodeMirror, Chart.js, the
// engine's glue and the bundled DTI 2022 rulebook, cohort and plan as text), its CSS and the
// engine's .wasm next to them. Needs wasm/pkg (scripts/build-wasm.sh). Usage: node build.mjs
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "../wasm/pkg");
if (!existsSync(path.join(pkg, "chiso_wasm_bg.wasm"))) {
  console.error("wasm/pkg is missing: run scripts/build-wasm.sh first");
  process.exit(1);
}
const dist = path.join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
await build({
  entryPoints: { app: path.join(here, "src/main.js") },
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  sourcemap: false,
  outdir: dist,
  loader: { ".chiso": "text", ".csv": "text" },
  logLevel: "warning",
});
copyFileSync(path.join(here, "index.html"), path.join(dist, "index.html"));
copyFileSync(path.join(pkg, "chiso_wasm_bg.wasm"), path.join(dist, "chiso_wasm_bg.wasm"));
console.log(`portal built: ${path.relative(process.cwd(), dist) || "."}`);
