#!/usr/bin/env bash
# The scoring portal, end to end: installs its tools from the lockfile (npm ci) and Debian's
# chromium when it is missing, builds portal/dist over wasm/pkg (run scripts/build-wasm.sh first),
# runs the end-to-end test in headless Chromium (screenshots in target/portal/) and prints the
# benchmark figures next to the CLI's. CHISO_BIN names the CLI (default target/debug/chiso);
# CHISO_BENCH_UNITS the size of the large cohort (default 10000; 0 skips the benchmark).
# Usage: portal/test.sh
set -euo pipefail
# A CLI path given relative to where this was started stays valid after the cd.
if [ -n "${CHISO_BIN:-}" ]; then CHISO_BIN=$(realpath "$CHISO_BIN"); export CHISO_BIN; fi
cd "$(dirname "$0")"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "installing Debian's chromium"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
node build.mjs
printf 'portal size: app.js %d KB (%d KB gzipped), engine %d KB gzipped\n' \
  $(($(stat -c %s dist/app.js) / 1024)) $(($(gzip -9 -c dist/app.js | wc -c) / 1024)) \
  $(($(gzip -9 -c dist/chiso_wasm_bg.wasm | wc -c) / 1024))
export CHISO_BIN="${CHISO_BIN:-$PWD/../target/debug/chiso}"
node --test test/
if [ "${CHISO_BENCH_UNITS:-10000}" != 0 ]; then node bench.mjs; fi
