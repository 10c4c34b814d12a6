#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's own files: every rule file for `parse_check`,
# every scoring data file for `data`, every plan data file for `plan_data`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/parse_check fuzz/corpus/data fuzz/corpus/plan_data
i=0
seed() { i=$((i + 1)); cp "$1" "fuzz/corpus/$2/seed-$i"; }
for f in $(git ls-files '*.chiso'); do seed "$f" parse_check; done
for f in $(git ls-files 'examples/starter/*.csv' 'examples/dti-2022/data/*' 'tests/corpus/data/*.csv' \
  'tests/corpus/data/*.json' 'tests/corpus/eval/*.csv'); do seed "$f" data; done
for f in $(git ls-files 'tests/corpus/plan/*.csv' 'examples/*/data.csv' 'examples/*/plan-data.csv'); do seed "$f" plan_data; done
echo "seeded $i files"
