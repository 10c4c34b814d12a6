#!/usr/bin/env bash
# Builds the Chiso VS Code extension (.vsix) from the committed package-lock.json:
#   npm ci → esbuild bundle (src/extension.ts + vscode-languageclient → dist/extension.js)
#   → grammar test (vscode-textmate on every .chiso file) → vsce package → check the contents.
#
#   editors/vscode/build.sh                       # chiso-X.Y.Z.vsix: uses `chiso` from chiso.server.path or PATH
#   CHISO_BIN=target/release/chiso editors/vscode/build.sh
#                                                 # chiso-X.Y.Z-linux-x64.vsix carrying the binary (server/chiso)
# Prints the path of the .vsix on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${CHISO_BIN:-}"
if [ -n "$bin" ]; then
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
fi
cd "$here"

npm ci --no-audit --no-fund
npm run --silent bundle
node test/grammar.test.js

version="$(node -p 'require("./package.json").version')"
rm -rf server
target_args=()
out="chiso-$version.vsix"
if [ -n "$bin" ]; then
  target="${VSCE_TARGET:-linux-x64}"
  mkdir -p server
  cp "$bin" server/chiso
  chmod 755 server/chiso
  target_args=(--target "$target")
  out="chiso-$version-$target.vsix"
fi
rm -f "$out"
npx --no-install vsce package --no-dependencies --skip-license --allow-missing-repository "${target_args[@]}" -o "$out"

# The package holds what the extension needs, and nothing of the sources or node_modules.
listing="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$out")"
need=(extension/package.json extension/dist/extension.js extension/syntaxes/chiso.tmLanguage.json
      extension/language-configuration.json extension/snippets/chiso.json extension/readme.md)
if [ -n "$bin" ]; then need+=(extension/server/chiso); fi
for f in "${need[@]}"; do
  grep -qx "$f" <<<"$listing" || { echo "build.sh: $out lacks $f" >&2; exit 1; }
done
if grep -qE '^extension/(node_modules|src|test)/' <<<"$listing"; then
  echo "build.sh: $out carries sources or node_modules" >&2
  exit 1
fi
echo "$here/$out"
