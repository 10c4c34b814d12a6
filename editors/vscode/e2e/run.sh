#!/usr/bin/env bash
# The Chiso extension in real VS Code: code-server 4.139.1 (VS Code's server build, from npm;
# it needs Node 24, which the `node` npm package provides in node_modules/.bin) serves the
# workbench to headless Chromium (playwright-core). Installs the linux-x64 .vsix, opens the DTI
# 2022 rulebook, types an error and reads it in the Problems panel, hovers an indicator, runs
# Format Document, and saves screenshots to $ARTIFACTS (default target/vscode-e2e).
# Takes minutes; not part of scripts/test.sh.
#
#   editors/vscode/e2e/run.sh                 # builds chiso (release) and the .vsix first
#   VSIX=path/to.vsix editors/vscode/e2e/run.sh
#
# Debian packages it needs: chromium (the browser), libkrb5-dev (code-server's native kerberos
# module), fonts-noto-core and fonts-noto-mono (Vietnamese letters in the UI and the editor:
# DejaVu Sans Mono lacks ố, ể, … and tone marks would land beside their vowels).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

missing=()
for pkg in chromium libkrb5-dev fonts-noto-core fonts-noto-mono; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e: missing Debian packages; install them with: apt-get install -y ${missing[*]}" >&2
  exit 2
fi

cd "$here"
if [ ! -x node_modules/.bin/code-server ]; then
  # Node 24 first (the `node` package), then code-server's own install scripts run with it.
  npm ci --no-audit --no-fund --ignore-scripts
  npm rebuild node
  PATH="$here/node_modules/.bin:$PATH" npm rebuild code-server argon2
fi
export PATH="$here/node_modules/.bin:$PATH"

vsix="${VSIX:-}"
if [ -z "$vsix" ]; then
  cargo build --release -q -p chiso-cli --manifest-path "$root/Cargo.toml"
  vsix="$(CHISO_BIN="$root/target/release/chiso" "$root/editors/vscode/build.sh" | tail -n 1)"
fi
node run.mjs "$vsix"
