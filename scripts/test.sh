#!/usr/bin/env bash
# Installs what the tests need and runs every check CI runs. Usage: scripts/test.sh
# Set CHISO_PROPTEST_CASES for a longer property-test run (default: 256 in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "lang, stdlib and the browser build lint clean for wasm32, and lang builds without default features"
cargo clippy --locked -p chiso -p chiso-stdlib -p chiso-wasm --target wasm32-unknown-unknown -- -D warnings
cargo check --locked -p chiso --no-default-features

step "architecture guards: lang depends on no salsa, tokio or LSP"
for forbidden in salsa tokio tower-lsp tower-lsp-server; do
  if cargo tree --locked -p chiso -e normal -i "$forbidden" >/dev/null 2>&1; then
    echo "lang must not depend on $forbidden"; exit 1
  fi
done

step "rust-version is true: no dependency needs a newer Rust (clippy holds our code to it)"
python3 scripts/check-msrv.py

step "docs"
RUSTDOCFLAGS=-Dwarnings cargo doc --locked --no-deps --workspace -q

step "tests"
export PROPTEST_CASES="${CHISO_PROPTEST_CASES:-256}"
cargo test --workspace --locked

step "the depth limits fit a small stack in release builds (512 KiB, half of wasm32's 1 MiB)"
cargo test --release --locked -p chiso-tests --test bad_input

step "the engine built for this processor (NATIVE=1 bench/run.sh; a fused multiply-add where it has one): its kernels and the fast evaluator against the exact one"
RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR=target/native cargo test --release --locked -p chiso --lib engine::
RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR=target/native cargo test --release --locked -p chiso-tests --test fast_eval

step "the browser package: wasm32 build, wasm-opt, sizes, npm pack, the same JSON as the CLI in Node"
scripts/build-wasm.sh

step "the scoring portal: bundle, end to end in headless Chromium (same figures as the CLI), benchmark"
CHISO_BIN=target/debug/chiso portal/test.sh

step "the VS Code extension: bundle, grammar test over every .chiso file, the linux-x64 .vsix carrying chiso, its contents checked"
CHISO_BIN=target/debug/chiso editors/vscode/build.sh

step "the language server end to end, driven by pytest-lsp (a client not written here)"
lsp/e2e/run.sh

step "the bundled examples are formatted, their tests pass, the DTI row map is current"
cargo run -q --locked -p chiso-cli -- fmt --check examples stdlib
python3 examples/dti-2022/gen_readme_table.py --check
cargo run -q --locked -p chiso-cli -- test examples stdlib/tests.chiso
