#!/usr/bin/env python3
"""Extract the row numbers of PHỤ LỤC 2 from the source text into phu-luc-2-rows.tsv.

The source (the 2022 DTI plan of Ninh Thuận, as a tab-separated text export) is not part of the
repository; its PHỤ LỤC 2 is the table this rulebook encodes. Every row of that table starts with
its number (STT) in the first column: `A`/`B` for the two parts, 1–20 for the fields of part A,
Roman numerals for the pillars, `1.1`, `5.12.2`, … for the indicators. The header rows (`STT`) and
the continuation lines of multi-line cells (empty first column) are skipped. The last row of the
source, 9.3, has no line ending; it is read like the others.

The output lists each row once, in source order: number, maximum points (empty when the row has
none), owner agency as printed. `tests/dti_source_rows.rs` checks that the rulebook encodes every
row. Re-run after a new export of the source:

  python3 examples/dti-2022/extract_phu_luc_2_rows.py SOURCE.txt > examples/dti-2022/phu-luc-2-rows.tsv
"""

from __future__ import annotations

import re
import sys

ROW = re.compile(r"^(?:[AB]|[IVX]+|\d+(?:\.\d+)*)$")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    start = text.find("PHỤ LỤC 2")
    if start < 0:
        print("no PHỤ LỤC 2 in the source", file=sys.stderr)
        return 1
    print("# row\tmax\towner  (PHỤ LỤC 2, extracted by extract_phu_luc_2_rows.py)")
    # splitlines() keeps a last line without a line ending.
    for line in text[start:].splitlines():
        cells = line.split("\t")
        number = cells[0].strip()
        if not ROW.match(number):
            continue
        points = cells[2].strip() if len(cells) > 2 else ""
        owner = cells[4].strip() if len(cells) > 4 else ""
        print(f"{number}\t{points}\t{owner}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
