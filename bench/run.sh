#!/usr/bin/env bash
# Chiso's benchmark (bench/README.md): the peers' 20-indicator workload with Chiso added through
# the peers' runner protocol, the DTI 2022 example at several sizes, and the check timings.
# Prints one table with ratios measured in this run. Not part of the test command.
#
#   bench/run.sh [PEERS_DIR]        PEERS_DIR: default ../shared/bench/peers next to the repository
#   SIZES=63,10000 bench/run.sh     peer workload sizes (default 63,10000,100000)
#   CHISO_MAX=100000 bench/run.sh   largest size Chiso is run at (default: every size)
#   PEERS=rust_columns,numpy        the peers timed next to Chiso (default rust_columns,rust_rows,numpy,pyloop)
#   DTI_SIZES=63,10000 bench/run.sh DTI example sizes (default 63,10000,100000; empty: none)
#   NATIVE=1 bench/run.sh           both Rust programs (Chiso and the peers' Rust loops) built for
#                                   this machine's processor (-C target-cpu=native), as NumPy picks
#                                   its kernels for it at run time; default: the baseline x86-64
#
# The peers are copied to target/bench/peers (their Python environment and Rust build are kept
# there between runs). Results: target/bench/results.jsonl (one JSON record per measurement) and
# target/bench/table.md (the table bench/README.md shows).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
peers_src=$(cd "${1:-$repo/../shared/bench/peers}" && pwd)
work=$repo/target/bench
SIZES=${SIZES:-63,10000,100000}
CHISO_MAX=${CHISO_MAX:-100000000}
PEERS=${PEERS:-rust_columns,rust_rows,numpy,pyloop}
DTI_SIZES=${DTI_SIZES-63,10000,100000}

chiso_target=$repo/target
if [ "${NATIVE:-}" = 1 ]; then
    # Chiso's native build in a target directory of its own, so that neither build replaces the
    # other's; the peers' Rust loops are rebuilt with the same flags (and rebuilt again without).
    export RUSTFLAGS="-C target-cpu=native"
    chiso_target=$repo/target/native
fi

mkdir -p "$work/peers"
# Copy the peers afresh, keeping a previous run's .venv, Rust build and data.
(cd "$peers_src" && tar --exclude=.venv --exclude=target --exclude=data --exclude=results -cf - .) | (cd "$work/peers" && tar -xf -)

# The driver (tests/benches/chiso-bench.rs) is a bench target: built with the release profile.
bin=$(cd "$repo" && CARGO_TARGET_DIR=$chiso_target cargo bench --quiet -p chiso-tests --bench chiso-bench --no-run --message-format=json \
    | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "chiso-bench" and m.get("executable"):
        print(m["executable"])')
results=$work/results.jsonl
: > "$results"

# Peak memory (KiB) of one process run, as /usr/bin/time reports it.
peak_kib() {
    /usr/bin/time -f '%M' -o "$work/time.txt" "$@" > /dev/null
    cat "$work/time.txt"
}

IFS=, read -ra sizes <<< "$SIZES"
for n in "${sizes[@]}"; do
    only=$PEERS
    impl=()
    if [ "$n" -le "$CHISO_MAX" ]; then
        only=$only,chiso
        impl=(--impl "chiso=$bin peers --rules $repo/bench/peers-workload.chiso")
    fi
    (cd "$work/peers" && SIZES=$n ./run.sh --only "$only" "${impl[@]}" --results "$work/peers/results/$n")
    python3 - "$work/peers/results/$n/results.json" >> "$results" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    print(json.dumps({"what": "peers", **{k: r.get(k) for k in ("impl", "n", "eval_min", "eval_median", "process_min", "process_median", "first_eval_in_process_s", "load_s", "write_s", "ok", "max_abs_diff")}}))
EOF
    data=$work/peers/data/units_$n.csv
    rust=$(peak_kib "$work/peers/rust_baseline/target/release/rust_baseline" --mode columns --input "$data" --output "$work/out.csv" --repeat 1)
    echo "{\"what\": \"peak\", \"impl\": \"rust_columns\", \"n\": $n, \"kib\": $rust}" >> "$results"
    if [ "$n" -le "$CHISO_MAX" ]; then
        chiso=$(peak_kib "$bin" peers --rules "$repo/bench/peers-workload.chiso" --input "$data" --output "$work/out.csv" --repeat 1)
        echo "{\"what\": \"peak\", \"impl\": \"chiso\", \"n\": $n, \"kib\": $chiso}" >> "$results"
    fi
done

IFS=, read -ra dti_sizes <<< "$DTI_SIZES"
for n in "${dti_sizes[@]}"; do
    "$bin" dti --units "$n" --repeat "$([ "$n" -ge 10000 ] && echo 3 || echo 5)" | sed -n 's/^BENCH_JSON //p' >> "$results"
done
"$bin" check --repeat 20 | sed -n 's/^BENCH_JSON //p' >> "$results"

python3 "$repo/bench/table.py" "$results" "$work/peers/results/${sizes[0]}/results.json" | tee "$work/table.md"
