#!/usr/bin/env bash
# Reviews snapshot updates. A failing snapshot test writes what it produced beside the snapshot as
# `NAME.out.new` (tests/corpus, cli/tests/snapshots); nothing committed is overwritten by a test.
#
#   scripts/snapshots.sh review          show every pending update as a diff (the default)
#   scripts/snapshots.sh accept [PATH…]  move pending updates over their snapshots (all, or those named)
#   scripts/snapshots.sh reject [PATH…]  delete pending updates
#
# Typical use: cargo test …; scripts/snapshots.sh review; scripts/snapshots.sh accept; git diff.
set -euo pipefail
cd "$(dirname "$0")/.."

pending() {
  if [ "$#" -gt 0 ]; then
    for p in "$@"; do
      case "$p" in *.new) echo "$p" ;; *) echo "$p.new" ;; esac
    done
  else
    find tests cli wasm -name target -prune -o -name node_modules -prune -o -name '*.new' -print | sort
  fi
}

cmd="${1:-review}"
[ "$#" -gt 0 ] && shift
files=$(pending "$@")
if [ -z "$files" ]; then
  echo "no pending snapshot updates"
  exit 0
fi
case "$cmd" in
  review)
    for new in $files; do
      old="${new%.new}"
      if [ -f "$old" ]; then diff -u "$old" "$new" || true; else echo "=== new snapshot $old"; cat "$new"; fi
    done
    echo
    echo "$(echo "$files" | wc -l) pending update(s): scripts/snapshots.sh accept | reject"
    ;;
  accept)
    for new in $files; do mv "$new" "${new%.new}"; echo "accepted ${new%.new}"; done
    ;;
  reject)
    for new in $files; do rm -f "$new"; echo "rejected ${new%.new}"; done
    ;;
  *)
    echo "usage: scripts/snapshots.sh [review|accept|reject] [PATH…]" >&2
    exit 2
    ;;
esac
