"""Prints bench/run.sh's results as the markdown table of bench/README.md.

Usage: python3 bench/table.py RESULTS.jsonl PEERS_RESULTS.json
RESULTS.jsonl has one record per measurement (written by bench/run.sh); PEERS_RESULTS.json is one
of the peers' results files, for the versions it records.
"""
import json
import os
import platform
import subprocess
import sys


def fmt_s(x):
    if x is None:
        return "–"
    if x < 1e-3:
        return f"{x * 1e6:.1f} µs"
    if x < 1:
        return f"{x * 1e3:.1f} ms"
    return f"{x:.2f} s"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def fmt_kib(k):
    if k is None:
        return "–"
    return f"{k / 1024:.0f} MiB" if k < 1024 * 1024 else f"{k / 1024 / 1024:.2f} GiB"


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=os.path.dirname(__file__)).stdout.strip()
    except OSError:
        return "?"


def main():
    records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    versions = json.load(open(sys.argv[2])).get("versions", {}) if len(sys.argv) > 2 else {}
    peers = {(r["impl"], r["n"]): r for r in records if r["what"] == "peers"}
    peak = {(r["impl"], r["n"]): r["kib"] for r in records if r["what"] == "peak"}
    sizes = sorted({n for _, n in peers})

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"Machine: {cpu}, {os.cpu_count()} CPUs, Linux {platform.release()}. "
          f"{sh(['rustc', '--version'])}; Python {platform.python_version()}, "
          f"numpy {versions.get('numpy', '?')}. Chiso {sh(['git', 'describe', '--always', '--dirty'])}. "
          f"Rust programs built {'with ' + os.environ['RUSTFLAGS'] if os.environ.get('RUSTFLAGS') else 'for baseline x86-64'}.")
    print()
    print("Peers' workload (eval = evaluation alone, in process, median of 5; process = whole process, "
          "median of 5; ratios are Chiso ÷ peer, measured in this run):")
    print()
    print("| units | eval: Rust columns | NumPy | Chiso | Chiso ÷ Rust | Chiso ÷ NumPy "
          "| process: Rust columns | NumPy | Chiso | Chiso ÷ Rust | peak: Rust | Chiso | Chiso check |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in sizes:
        rust, npy, ch = (peers.get((i, n), {}) for i in ("rust_columns", "numpy", "chiso"))
        ok = {True: "1e-9 ✓", False: "✗", None: "–"}[ch.get("ok")]
        print(f"| {n:,} | {fmt_s(rust.get('eval_median'))} | {fmt_s(npy.get('eval_median'))} "
              f"| {fmt_s(ch.get('eval_median'))} | {fmt_ratio(ch.get('eval_median'), rust.get('eval_median'))} "
              f"| {fmt_ratio(ch.get('eval_median'), npy.get('eval_median'))} "
              f"| {fmt_s(rust.get('process_median'))} | {fmt_s(npy.get('process_median'))} "
              f"| {fmt_s(ch.get('process_median'))} | {fmt_ratio(ch.get('process_median'), rust.get('process_median'))} "
              f"| {fmt_kib(peak.get(('rust_columns', n)))} | {fmt_kib(peak.get(('chiso', n)))} | {ok} |")
    # The first evaluation of each whole-process run: a one-shot run (`chiso eval`, a script that
    # scores once) pays it, fresh allocations' first-touch page faults included (the peers'
    # README: NumPy's first evaluation at 1,000,000 units is 2-4x its later ones).
    first = lambda r: (lambda xs: sorted(xs)[len(xs) // 2] if xs else None)(r.get("first_eval_in_process_s") or [])
    cold = [(n, *(peers.get((i, n), {}) for i in ("rust_columns", "numpy", "chiso"))) for n in sizes]
    if any(first(ch) is not None for _, _, _, ch in cold):
        print()
        print("First evaluation in each whole-process run (cold, as a one-shot run pays it), median of 5: "
              + "; ".join(f"{n:,} units: Rust columns {fmt_s(first(rust))}, NumPy {fmt_s(first(npy))}, "
                          f"Chiso {fmt_s(first(ch))} ({fmt_ratio(first(ch), first(rust))} Rust, "
                          f"{fmt_ratio(first(ch), first(npy))} NumPy)" for n, rust, npy, ch in cold) + ".")
    others = sorted({i for i, _ in peers} - {"rust_columns", "numpy", "chiso"})
    if others:
        print()
        print("Other peers, eval median / process median: " + "; ".join(
            f"{i} " + ", ".join(f"{n:,}: {fmt_s(peers[(i, n)]['eval_median'])} / {fmt_s(peers[(i, n)]['process_median'])}"
                                for n in sizes if (i, n) in peers) for i in others) + ".")
    dti = [r for r in records if r["what"] == "dti-eval"]
    if dti:
        print()
        print("DTI 2022 example, in process (load = read the long CSV, with the roster and `assume` checks; "
              "eval = compile and score, median of 5 runs, 3 from 10,000 units; kept = score with the program "
              "compiled once and kept, as the browser's front door keeps it; totals and ranks only = "
              "a ranking table, the indicators' scores not written):")
        print()
        print("| units | load | eval | eval per unit | kept | kept, totals and ranks only |")
        print("|---:|---:|---:|---:|---:|---:|")
        for r in dti:
            kept = fmt_s(r["kept_median_s"]) if "kept_median_s" in r else "—"
            totals = fmt_s(r["kept_totals_median_s"]) if "kept_totals_median_s" in r else "—"
            print(f"| {r['n']:,} | {fmt_s(r['load_s'])} | {fmt_s(r['eval_median_s'])} | {fmt_s(r['eval_median_s'] / r['n'])} | {kept} | {totals} |")
    check = [r for r in records if r["what"] == "dti-check"]
    for r in check:
        print()
        print(f"`chiso check` of the DTI 2022 rulebook, in process: median {fmt_s(r['check_median_s'])}, "
              f"min {fmt_s(min(r['check_s']))} ({len(r['check_s'])} runs).")


if __name__ == "__main__":
    main()
