#!/usr/bin/env bash
# End to end with a client not written here: pytest-lsp (PyPI, on pygls) drives `chiso lsp`.
# Creates a virtualenv in target/pytest-lsp (once), builds `chiso`, runs the tests.
#   lsp/e2e/run.sh                 # CHISO=path/to/chiso to test another binary
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/pytest-lsp"
if [ ! -x "$venv/bin/pytest" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$here/requirements.txt"
fi
if [ -z "${CHISO:-}" ]; then
  cargo build -q -p chiso-cli --manifest-path "$root/Cargo.toml"
  export CHISO="$root/target/debug/chiso"
fi
cd "$here"
exec "$venv/bin/pytest" -q -p no:cacheprovider "$@"
