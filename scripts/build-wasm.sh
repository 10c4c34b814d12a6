#!/usr/bin/env bash
# Builds the browser package wasm/pkg (the engine compiled to WebAssembly, its JS glue and the
# TypeScript types), optimises it, prints its size, packs it with `npm pack`, and runs the Node
# parity test against the command. Installs what it needs: the wasm32 target, the wasm-bindgen CLI
# at exactly the version Cargo.lock pins, and wasm-opt (npm's binaryen, from wasm/js's lockfile).
# Usage: scripts/build-wasm.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown >/dev/null 2>&1

# The CLI must be the version of the crate, or the glue does not match the module.
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  echo "installing wasm-bindgen-cli $version"
  # Without its default TLS feature: we never download a test browser, and it builds in half the time.
  cargo install -q wasm-bindgen-cli --version "=$version" --no-default-features
fi

(cd wasm/js && npm ci --no-audit --no-fund --loglevel=error)

# --zero-filled-memory and --low-memory-unused hold for a Rust module (its memory is its own, so it
# starts zeroed; its data starts at 1 MB) and save 2 KB gzipped; --converge saves 0.5 KB for a
# minute more, -tnh 0.1 KB: both left out.
opt() {
  wasm/js/node_modules/.bin/wasm-opt -Oz --zero-filled-memory --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers -o "$1.opt" "$1"
  mv "$1.opt" "$1"
}
kb() { echo $(($1 / 1024)); }

# The engine the portal loads first, and the same engine able to read .xlsx workbooks (loaded only
# when one is opened: calamine and its encodings more than double the module).
built=target/wasm32-unknown-unknown/wasm/chiso_wasm.wasm
cargo build -q --locked --profile wasm -p chiso-wasm --target wasm32-unknown-unknown
rm -rf wasm/pkg wasm/pkg-xlsx
wasm-bindgen --target web --out-dir wasm/pkg "$built"
cargo build -q --locked --profile wasm -p chiso-wasm --features xlsx --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir wasm/pkg-xlsx --out-name chiso_wasm_xlsx "$built"

raw=wasm/pkg/chiso_wasm_bg.wasm
before=$(stat -c %s "$raw")
# Panics trap at once instead of formatting a message nobody reads (wasm/js/snip-panics.mjs).
(cd wasm/js && node snip-panics.mjs "../pkg/chiso_wasm_bg.wasm" && node snip-panics.mjs "../pkg-xlsx/chiso_wasm_xlsx_bg.wasm")
opt "$raw"
after=$(stat -c %s "$raw")
gzipped=$(gzip -9 -c "$raw" | wc -c)
opt wasm/pkg-xlsx/chiso_wasm_xlsx_bg.wasm
xlsx_gzipped=$(gzip -9 -c wasm/pkg-xlsx/chiso_wasm_xlsx_bg.wasm | wc -c)
# The line to watch: gzip -9 of the optimised module, in bytes and KB (1 KB = 1024 bytes).
printf 'wasm size: %d KB built, %d KB after wasm-opt -Oz, %d KB gzipped (%d bytes; goal: 300 KB gzipped); with .xlsx (loaded on demand): %d KB gzipped\n' \
  "$(kb "$before")" "$(kb "$after")" "$(kb "$gzipped")" "$gzipped" "$(kb "$xlsx_gzipped")"

crate_version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
cat > wasm/pkg/package.json <<JSON
{
  "name": "chiso-wasm",
  "version": "$crate_version",
  "description": "Chiso, rules-as-code for performance indicators, in the browser: check, score, explain, plan status",
  "license": "Apache-2.0",
  "type": "module",
  "main": "chiso_wasm.js",
  "module": "chiso_wasm.js",
  "types": "chiso_wasm.d.ts",
  "files": ["chiso_wasm.js", "chiso_wasm.d.ts", "chiso_wasm_bg.wasm", "chiso_wasm_bg.wasm.d.ts"],
  "sideEffects": false
}
JSON
(cd wasm/pkg && npm pack --silent >/dev/null && ls chiso-wasm-*.tgz)

# The types a web team imports: Request and Response are in the package's declarations.
grep -q 'export function request(request: Request): Response;' wasm/pkg/chiso_wasm.d.ts
grep -q 'export type Response = ' wasm/pkg/chiso_wasm.d.ts

(cd wasm/js && CHISO_BIN="${CHISO_BIN:-$PWD/../../target/debug/chiso}" npm test --silent)
