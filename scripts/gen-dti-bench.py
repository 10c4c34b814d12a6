#!/usr/bin/env python3
"""Writes a large scoring data file for the DTI example, for timing `chiso eval` (not committed).

Usage: python3 scripts/gen-dti-bench.py [UNITS] < examples/dti-2022/data/cohort.csv > /tmp/dti-1m.csv

Each unit U0001, U0002, … copies the rows of one of the cohort's six provinces in turn, so the
file has UNITS × 195 rows: 5,129 units (the default) give 1,000,155 rows, the figure of issue 11.
The numbers are written as in the input file, so the output needs the same locale.
"""
import sys
from collections import defaultdict

units = int(sys.argv[1]) if len(sys.argv) > 1 else 5129
lines = sys.stdin.read().splitlines()
header, rows = lines[0], lines[1:]
by_unit = defaultdict(list)
for r in rows:
    unit, rest = r.split(",", 1)
    by_unit[unit].append(rest)
profiles = [by_unit[u] for u in sorted(by_unit)]
out = sys.stdout
out.write(header + "\n")
for k in range(units):
    uid = f"U{k + 1:04d}"
    for rest in profiles[k % len(profiles)]:
        out.write(f"{uid},{rest}\n")
