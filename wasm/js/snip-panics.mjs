// Replaces the body of Rust's panic functions with a trap, before wasm-opt: node snip-panics.mjs module.wasm
//
// A panic in the browser build already ends in a trap (`panic = "abort"`): the JavaScript caller
// gets a `WebAssembly.RuntimeError: unreachable`, whatever the panic said. On the way, std formats
// the message and its file, line and column for stderr, which on wasm32-unknown-unknown writes
// nowhere. Making the panic functions trap at once keeps that outcome and lets wasm-opt drop the
// formatting every call site prepared for them (about 5 KB gzipped). The same thing as wasm-snip,
// with the binaryen wasm-opt already comes from.

import binaryen from "binaryen";
import { readFileSync, writeFileSync } from "node:fs";

// Names as the module's name section gives them, without the crate hashes (`core[1a2b…]::`) and
// the symbol hash (`::h1a2b…`). Every way into a panic goes through one of these.
const PANICS = [
  /^core::panicking::/,
  /^std::panicking::/,
  /^core::(result|option)::(unwrap_failed|expect_failed)$/,
  /^core::slice::index::slice_\w*fail/,
  /^core::str::slice_error_fail/,
  /^std::alloc::default_alloc_error_hook$/,
];

const path = process.argv[2];
const module = binaryen.readBinary(readFileSync(path));
// The features scripts/build-wasm.sh gives wasm-opt (with all of them, binaryen would write
// types that engines reject).
const F = binaryen.Features;
module.setFeatures(F.MVP | F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
const plain = (name) => name.replace(/\[[0-9a-f]{16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");
let snipped = 0;
for (let i = 0; i < module.getNumFunctions(); i++) {
  const f = module.getFunctionByIndex(i);
  const info = binaryen.getFunctionInfo(f);
  if (info.module || !PANICS.some((re) => re.test(plain(info.name)))) continue;
  binaryen.Function.setBody(f, module.unreachable());
  snipped++;
}
// Without its name section the module would match nothing: fail loudly rather than ship the
// formatting silently.
if (snipped === 0) {
  console.error(`snip-panics: no panic function found in ${path} (name section missing?)`);
  process.exit(1);
}
// Names kept, for twiggy; wasm-opt --strip-debug drops them.
binaryen.setDebugInfo(true);
writeFileSync(path, module.emitBinary());
module.dispose();
