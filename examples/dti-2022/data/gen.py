#!/usr/bin/env python3
"""Generate the sample data for examples/dti-2022 (six fictional provinces).

Writes, next to this script:

  cohort.csv      long format `unit,indicator,input,value`, every input of every scored indicator
                  and every field of section A, for P01–P06 (decimals with `,` as the rulebook's
                  `locale vi` says; whole numbers without grouping)
  cohort.json     the same values as {"units": {"P01": {"A": {...}, "3.1": {...}, ...}}}
  vi-locale.csv   P01 and P02 only, numbers written the Vietnamese way with thousands grouped
                  ("20.659", "6,03") and yes/no as có/không
  incomplete.csv  the cohort with one input left unreported (P06, 4.11 `a`), to exercise
                  "not evaluable" and the cohort aggregates that leave a unit out

The numbers are invented but plausible for a Vietnamese province. The output is deterministic
(fixed seed), so running the script again reproduces the files byte for byte. Before writing, the
script reads ../dti-2022.chiso and checks that the data covers exactly the rulebook's fields and
inputs, with values of the declared types: if the rulebook changes, this script fails until it is
updated.

Usage: python3 examples/dti-2022/data/gen.py
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULEBOOK = HERE.parent / "dti-2022.chiso"
SEED = 2022

PROVINCES = [
    ("P01", "Tỉnh An Phú"),
    ("P02", "Tỉnh Bình Sơn"),
    ("P03", "Tỉnh Cát Lâm"),
    ("P04", "Tỉnh Đồng Xuyên"),
    ("P05", "Tỉnh Hải Minh"),
    ("P06", "Tỉnh Kim Thạch"),
]
SLUGS = {
    "P01": "anphu",
    "P02": "binhson",
    "P03": "catlam",
    "P04": "dongxuyen",
    "P05": "haiminh",
    "P06": "kimthach",
}

# Number of data services on the national platform NDXP: a national figure, the same for all.
NDXP_SERVICES = 24


# ----- reading the rulebook ------------------------------------------------------------------------

INDICATOR_RE = re.compile(r'^\s*indicator\s+([0-9][0-9.]*)\s+"')
INPUT_RE = re.compile(r"^\s*input\s+(\w+)\s*:\s*(choice\s*\{([^}]*)\}|\w+)")
FIELD_RE = re.compile(r'^\s*field\s+(\w+)\s+"[^"]*"\s*:\s*(\w+)')
NOT_SCORED_RE = re.compile(r"^\s*not_scored\b")
TEST_RE = re.compile(r'^\s*test\s+"')


def read_rulebook(path: Path):
    """Return (fields, indicators): fields = {id: type}; indicators = {id: {input: type}} in
    source order, only for indicators that have inputs. A choice type is a tuple of variants."""
    fields: dict[str, str] = {}
    indicators: dict[str, dict[str, object]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        code = line.split("//", 1)[0]
        if TEST_RE.match(code):
            break  # tests come last; `given` blocks are not declarations
        if m := FIELD_RE.match(code):
            fields[m.group(1)] = m.group(2)
        elif m := INDICATOR_RE.match(code):
            current = m.group(1)
        elif m := INPUT_RE.match(code):
            if m.group(3) is not None:
                typ: object = tuple(v.strip() for v in m.group(3).split(",") if v.strip())
            else:
                typ = m.group(2)
            indicators.setdefault(current, {})[m.group(1)] = typ
    return fields, indicators


# ----- helpers -----------------------------------------------------------------------------------

def money(x: float, places: int = 2) -> Decimal:
    """An amount in tỷ đồng, rounded to `places` decimals, as an exact Decimal."""
    return Decimal(f"{x:.{places}f}")


def share(rng: random.Random, whole: int, lo: float, hi: float) -> int:
    """A whole-number part of `whole`, between lo and hi of it."""
    return min(whole, int(whole * rng.uniform(lo, hi)))


def cycle(rng: random.Random, variants, n: int):
    """n values that use every variant at least once (when n >= len(variants)), in random order."""
    values = list(variants) * (n // len(variants) + 1)
    values = values[:n]
    rng.shuffle(values)
    return values


def fmt_decimal(d: Decimal) -> str:
    s = f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# ----- the cohort --------------------------------------------------------------------------------

def generate():
    rng = random.Random(SEED)
    n = len(PROVINCES)
    ids = [pid for pid, _ in PROVINCES]

    # Choices: every option appears somewhere in the cohort.
    choice_plan = {
        ("1.1", "truong_ban"): cycle(rng, ["bi_thu_chu_tich", "pho_bi_thu_pho_chu_tich", "khong"], n),
        ("1.4", "chuyen_trang"): cycle(rng, ["co_cap_nhat_hang_tuan", "co_cap_nhat_it_hon_hang_tuan", "khong_co"], n),
        ("1.8", "tan_suat"): cycle(rng, ["tu_1_tuan_1_lan", "tu_1_thang_1_lan", "duoi_1_lan_1_thang"], n),
        ("1.10", "tan_suat"): cycle(rng, ["tu_1_lan_1_tuan", "tu_1_thang_1_lan_den_duoi_1_lan_1_tuan", "duoi_1_thang_1_lan"], n),
        ("2.4", "trang_thai"): cycle(rng, ["da_ban_hanh_va_cap_nhat_phu_hop", "da_ban_hanh_va_cap_nhat_phu_hop", "chua_ban_hanh"], n),
        ("3.5", "trien_khai"): cycle(rng, ["dat_tieu_chuan", "chua_dat_tieu_chuan", "chua_trien_khai"], n),
        ("6.19", "tro_ly_ao"): cycle(rng, ["ca_the_hoa", "chua_ca_the_hoa", "chua_trien_khai"], n),
        ("6.20", "tro_ly_ao"): cycle(rng, ["ca_the_hoa", "chua_ca_the_hoa", "chua_trien_khai"], n),
    }
    # 1.5: article counts on both sides of each tier boundary (9|10, 19|20).
    articles = cycle(rng, [9, 10, 19, 20, 35, 4], n)
    # 5.12.2 – 5.12.6: amounts at and around the 0.5 / 1 / 2 tỷ steps.
    steps = [Decimal(s) for s in ("0.3", "0.5", "0.8", "1", "1.5", "2", "2.4")]

    units = {}
    for i, (pid, name) in enumerate(PROVINCES):
        # Section A ---------------------------------------------------------------------------
        pop = rng.randrange(550_000, 3_300_000, 100)
        working = int(pop * rng.uniform(0.58, 0.66))
        adults = int(pop * rng.uniform(0.73, 0.79)) // 5 * 5  # 15 tuổi trở lên (not in A)
        households = int(pop / rng.uniform(3.4, 4.1))
        districts = rng.randint(7, 13)
        communes = rng.randint(60, 260)
        villages = communes * rng.randint(5, 9)
        agencies = rng.randint(40, 95)
        cong_chuc = rng.randint(2_000, 6_500)
        vien_chuc = rng.randint(14_000, 48_000)
        servers = rng.randint(40, 320)
        workstations = rng.randint(5_000, 22_000)
        systems = rng.randint(35, 160)
        enterprises = rng.randint(3_000, 21_000) // 20 * 20  # so that P02 can sit at 5% exactly
        smes = int(enterprises * rng.uniform(0.95, 0.98))
        postal = rng.randint(90, 420)
        cds_budget = money(rng.uniform(45, 420), 1)          # tỷ đồng
        tthc = rng.randint(1_650, 2_050)
        total_budget = money(rng.uniform(8_000, 26_000), 1)  # tỷ đồng
        grdp = money(rng.uniform(40_000, 210_000), 1)        # tỷ đồng

        A = {
            "1": name,
            "2": f"Số {rng.randint(1, 120)} đường 16 tháng 4, {name}",
            "3": f"https://www.{SLUGS[pid]}.gov.vn",
            "4": pop, "5": working, "6": households, "7": districts, "8": communes,
            "9": villages, "10": agencies, "11": cong_chuc, "12": vien_chuc, "13": servers,
            "14": workstations, "15": systems, "16": enterprises, "17": smes, "18": postal,
            "19": cds_budget, "20": tthc,
        }

        def yes(p=0.75):
            return rng.random() < p

        u: dict[str, dict[str, object]] = {"A": A}

        def pick(ind, inp):
            return choice_plan[(ind, inp)][i]

        # I. NHẬN THỨC SỐ ---------------------------------------------------------------------
        u["1.1"] = {"truong_ban": pick("1.1", "truong_ban")}
        u["1.2"] = {"tham_gia_day_du": yes(), "chu_tri": yes()}
        b = rng.randint(3, 12)
        u["1.3"] = {"a": rng.randint(1, b), "b": b}
        u["1.4"] = {"chuyen_trang": pick("1.4", "chuyen_trang")}
        u["1.5"] = {"co_chuyen_muc": i != 5, "so_tin_bai": articles[i]}
        u["1.6"] = {"co_chuyen_muc": yes()}
        u["1.7"] = {"co_chuyen_muc": yes()}
        u["1.8"] = {"tan_suat": pick("1.8", "tan_suat")}
        u["1.9"] = {"da_co": yes()}
        u["1.10"] = {"tan_suat": pick("1.10", "tan_suat")}

        # II. THỂ CHẾ SỐ ----------------------------------------------------------------------
        u["2.1"] = {"da_ban_hanh": yes(0.8)}
        u["2.2"] = {"da_ban_hanh": yes(0.8)}
        u["2.3"] = {"da_ban_hanh": yes(0.8)}
        u["2.4"] = {"trang_thai": pick("2.4", "trang_thai")}
        u["2.5"] = {"da_to_chuc": yes()}
        u["2.6"] = {"da_ban_hanh": yes(0.8)}
        u["2.7"] = {"da_to_chuc": yes()}
        for ind in ("2.8", "2.9", "2.10", "2.11"):
            u[ind] = {"da_ban_hanh": yes(0.8)}

        # III. HẠ TẦNG SỐ ---------------------------------------------------------------------
        u["3.1"] = {"a": share(rng, adults, 0.70, 0.92), "b": pop}
        u["3.2"] = {"a": share(rng, households, 0.80, 0.97), "b": households}
        u["3.3"] = {"a": share(rng, households, 0.45, 0.85), "b": households}
        u["3.4"] = {"a": communes - rng.randint(0, 12), "b": communes}
        u["3.5"] = {"trien_khai": pick("3.5", "trien_khai"), "ket_noi": yes(0.6)}
        platforms = [4, 6, 7, 9, 5, 8][i]                    # > 7 for two provinces
        u["3.6"] = {"a": platforms, "c": rng.randint(1, platforms), "d": platforms}
        u["3.7"] = {"a": rng.randint(0, min(3, platforms)), "b": platforms}

        # IV. NHÂN LỰC SỐ ---------------------------------------------------------------------
        for ind in ("4.1", "4.2", "4.3", "4.4"):
            u[ind] = {"da_co": yes(0.8)}
        u["4.5"] = {"a": rng.randint(15, 80), "b": rng.randint(60, 320), "c": rng.randint(10, 70),
                    "d": rng.randint(120, 600), "e": cong_chuc, "f": vien_chuc}
        u["4.6"] = {"a": rng.randint(40, 260), "b": cong_chuc + vien_chuc}
        u["4.7"] = {"a": share(rng, cong_chuc + vien_chuc, 0.08, 0.6), "b": cong_chuc + vien_chuc}
        b = rng.randint(2, 9)
        u["4.8"] = {"a": rng.randint(0, b), "b": b}
        b = rng.randint(700, 5_200)
        u["4.9"] = {"a": int(b * (0.52 if i == 4 else rng.uniform(0.03, 0.35))), "b": b}
        u["4.10"] = {"a": share(rng, working, 0.01, 0.08), "b": working}
        u["4.11"] = {"a": share(rng, pop, 0.01, 0.12), "b": pop}
        b = [5, 10, 4, 8, 6, 3][i]
        u["4.12"] = {"a": [4, 7, 4, 5, 2, 3][i], "b": b}     # P01 exactly 80%
        b = rng.randint(280, 950)
        u["4.13"] = {"a": share(rng, b, 0.40, 0.90), "b": b}

        # V. AN TOÀN THÔNG TIN MẠNG -----------------------------------------------------------
        approved = rng.randint(5, min(60, systems))
        u["5.1"] = {"so_httt": approved}
        u["5.2"] = {"a": rng.randint(0, approved), "b": approved}
        u["5.3"] = {"a": share(rng, servers, 0.3, 1.0), "b": servers}
        u["5.4"] = {"a": share(rng, workstations, 0.4, 0.95), "b": workstations}
        b = rng.randint(5, 420)
        u["5.5"] = {"a": share(rng, b, 0.5, 1.0), "b": b}
        u["5.6"] = {"a": share(rng, systems, 0.2, 0.9), "b": systems}
        u["5.7"] = {"a": share(rng, systems, 0.2, 0.9), "b": systems}
        u["5.8"] = {"a": share(rng, systems, 0.3, 1.0), "b": systems}
        u["5.9"] = {"so_cuoc_dien_tap": rng.randint(0, 6)}
        incidents = rng.randint(3, 120)
        u["5.10"] = {"so_su_co": incidents}
        u["5.11"] = {"a": rng.randint(incidents // 2, incidents), "b": incidents}
        u["5.12.1"] = {"a": money(float(cds_budget) * rng.uniform(0.005, 0.06)),
                       "b": money(float(cds_budget) * rng.uniform(0.005, 0.05)),
                       "c": cds_budget}
        for ind in ("5.12.2", "5.12.3", "5.12.4", "5.12.5", "5.12.6"):
            u[ind] = {"kinh_phi": rng.choice(steps)}

        # VI. HOẠT ĐỘNG CHÍNH QUYỀN SỐ --------------------------------------------------------
        u["6.1"] = {"dap_ung": yes(0.8), "ipv6": yes(0.5)}
        u["6.2"] = {"trien_khai": yes(0.6), "dap_ung": yes(0.5)}
        u["6.3"] = {"hop_nhat": yes(0.8), "dap_ung": yes(0.7), "ipv6": yes(0.5)}
        u["6.4"] = {"cung_cap_thong_tin": yes(0.8), "cung_cap_dvctt": yes(0.6)}
        u["6.5"] = {"da_trien_khai": yes(0.7)}
        b = rng.randint(8, 40)
        u["6.6"] = {"a": rng.randint(b // 3, b), "b": b}
        u["6.7"] = {"a": rng.randint(5, NDXP_SERVICES), "b": NDXP_SERVICES}
        b = rng.randint(150, 420)
        u["6.8"] = {"a": b if i in (0, 2, 5) else b - rng.randint(1, 30), "b": b}
        dvctt = rng.randint(600, 1_600)
        u["6.9"] = {"a": share(rng, dvctt, 0.05, 0.4), "b": dvctt}
        u["6.10"] = {"a": share(rng, dvctt, 0.02, 0.3), "b": dvctt}
        a3, b4 = rng.randint(100, 420), rng.randint(150, 650)
        u["6.11"] = {"a": a3, "b": b4, "c": share(rng, a3, 0.3, 0.9), "d": share(rng, b4, 0.3, 0.9)}
        files = share(rng, pop, 0.15, 0.40) // 5 * 5
        online = files * 4 // 5 if i == 0 else share(rng, files, 0.20, 0.95)  # P01: exactly 80%
        lvl3 = share(rng, online, 0.3, 0.7)
        u["6.12"] = {"a": files, "b": lvl3, "c": online - lvl3}
        c = share(rng, pop, 0.02, 0.10)
        d = share(rng, enterprises, 0.2, 0.7)
        u["6.13"] = {"a": share(rng, c, 0.3, 0.9), "b": share(rng, d, 0.4, 0.95), "c": c, "d": d}
        a, c = rng.randint(500, 20_000), rng.randint(50, 2_000)
        u["6.14"] = {"a": a, "b": share(rng, a, 0.7, 0.98), "c": c, "d": share(rng, c, 0.7, 0.98)}
        u["6.15"] = {"da_trien_khai": yes(0.6)}
        u["6.16"] = {"da_trien_khai": yes(0.6)}
        u["6.17"] = {"den_co_quan": yes(0.85), "den_thiet_bi_ca_nhan": yes(0.5)}
        u["6.18"] = {"da_trien_khai": yes(0.6)}
        u["6.19"] = {"tro_ly_ao": pick("6.19", "tro_ly_ao")}
        u["6.20"] = {"tro_ly_ao": pick("6.20", "tro_ly_ao")}
        u["6.21"] = {"so_hoat_dong": [0, 3, 12, 6, 10, 1][i]}
        u["6.22"] = {"a": money(float(total_budget) * rng.uniform(0.001, 0.009)),
                     "b": money(float(total_budget) * rng.uniform(0.001, 0.006)),
                     "c": total_budget}

        # VII. HOẠT ĐỘNG KINH TẾ SỐ -----------------------------------------------------------
        u["7.1"] = {"a": money(float(grdp) * rng.uniform(0.03, 0.24), 1), "b": grdp}
        digital = [0.049, 0.05, 0.021, 0.066, 0.012, 0.035][i]  # P01 just below, P02 at 5%
        u["7.2"] = {"a": int(round(enterprises * digital)), "b": enterprises}
        u["7.3"] = {"a": share(rng, enterprises, 0.002, 0.12), "b": enterprises}
        u["7.4"] = {"a": share(rng, smes, 0.02, 0.15), "b": smes}
        u["7.5"] = {"a": share(rng, smes, 0.15, 0.60), "b": smes}
        u["7.6"] = {"a": share(rng, enterprises, 0.30, 0.90), "b": enterprises}
        u["7.7"] = {"a": share(rng, enterprises, 0.90, 1.00), "b": enterprises}
        u["7.8"] = {"a": share(rng, postal, 0.30, 1.00), "b": postal}
        b = rng.randint(200_000, 2_000_000)
        u["7.9"] = {"a": share(rng, b, 0.005, 0.08), "b": b}
        u["7.10"] = {"a": share(rng, enterprises, 0.20, 0.90), "b": enterprises}
        u["7.11"] = {"a": money(float(total_budget) * rng.uniform(0.0005, 0.004)), "b": total_budget}
        u["7.12"] = {"a": money(float(total_budget) * rng.uniform(0.0005, 0.004)), "b": total_budget}

        # VIII. HOẠT ĐỘNG XÃ HỘI SỐ -----------------------------------------------------------
        u["8.1"] = {"a": share(rng, pop, 0.20, 0.60), "b": pop}
        accounts = adults * 4 // 5 if i == 1 else share(rng, adults, 0.55, 0.90)  # P02: 80%
        u["8.2"] = {"a": accounts, "b": adults}
        u["8.3"] = {"a": share(rng, adults, 0.05, 0.60), "b": adults}
        u["8.4"] = {"a": share(rng, households, 0.10, 0.90), "b": households}
        u["8.5"] = {"a": share(rng, working, 0.10, 0.80), "b": working}
        u["8.6"] = {"kinh_phi": money(rng.uniform(2, 60), 1)}
        u["8.7"] = {"kinh_phi": money(rng.uniform(1, 35), 1)}
        u["8.8"] = {"so_hoat_dong_hieu_qua": [0, 25, 7, 14, 20, 3][i]}

        units[pid] = u
    assert list(units) == ids
    return units


# ----- validation against the rulebook -------------------------------------------------------------

def validate(units, fields, indicators):
    errors = []
    for pid, u in units.items():
        if set(u["A"]) != set(fields):
            errors.append(f"{pid}: section A fields {sorted(set(u['A']) ^ set(fields))} differ")
        for fid, typ in fields.items():
            v = u["A"].get(fid)
            if typ == "text" and not isinstance(v, str):
                errors.append(f"{pid} A.{fid}: expected text")
            if typ == "count" and not (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
                errors.append(f"{pid} A.{fid}: expected count, got {v!r}")
            if typ == "money" and not isinstance(v, Decimal):
                errors.append(f"{pid} A.{fid}: expected money, got {v!r}")
        got = {k for k in u if k != "A"}
        if got != set(indicators):
            errors.append(f"{pid}: indicators differ: {sorted(got ^ set(indicators))}")
            continue
        for ind, inputs in indicators.items():
            if set(u[ind]) != set(inputs):
                errors.append(f"{pid} {ind}: inputs {sorted(set(u[ind]) ^ set(inputs))} differ")
                continue
            for name, typ in inputs.items():
                v = u[ind][name]
                ok = {
                    "count": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                    "money": lambda v: isinstance(v, Decimal) and v >= 0,
                    "yes_no": lambda v: isinstance(v, bool),
                    "text": lambda v: isinstance(v, str),
                }.get(typ, lambda v: isinstance(typ, tuple) and v in typ)(v)
                if not ok:
                    errors.append(f"{pid} {ind}.{name}: {v!r} is not a valid {typ}")
    # Facts the rulebook assumes or declares, checked on the data.
    for pid, u in units.items():
        for ind, inputs in u.items():
            if ind != "A" and {"a", "b"} <= set(inputs) and ind in SUBSET_AB and inputs["a"] > inputs["b"]:
                errors.append(f"{pid} {ind}: a > b but the rulebook assumes a <= b")
    if errors:
        sys.exit("gen.py: data does not match dti-2022.chiso:\n  " + "\n  ".join(errors))


SUBSET_AB = {
    "1.3", "3.1", "3.2", "3.3", "3.4", "4.7", "4.8", "4.9", "4.11", "4.12", "4.13", "5.2", "5.3",
    "5.4", "5.5", "5.6", "5.7", "5.8", "5.11", "6.6", "6.7", "6.8", "6.9", "6.10", "7.1", "7.2",
    "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.11", "7.12", "8.1", "8.2", "8.4", "8.5",
}


# ----- writers -----------------------------------------------------------------------------------

def rows(units, order):
    for pid, u in units.items():
        for fid in u["A"]:
            yield pid, "A", fid, u["A"][fid]
        for ind in order:
            for name in order[ind]:
                yield pid, ind, name, u[ind][name]


def en_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return fmt_decimal(v)
    return str(v)


def csv_value(v) -> str:
    """The cohort files' format: the rulebook declares `locale vi`, so decimals take a comma
    (`0,96`); whole numbers are written without grouping and yes/no as true/false."""
    if isinstance(v, Decimal):
        return en_value(v).replace(".", ",")
    return en_value(v)


def vi_value(v) -> str:
    """Vietnamese number format: `.` groups thousands, `,` is the decimal mark."""
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, (int, Decimal)):
        s = en_value(v)
        whole, _, frac = s.partition(".")
        whole = f"{int(whole):,}".replace(",", ".")
        return whole + ("," + frac if frac else "")
    return str(v)


def write_csv(path: Path, records):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "indicator", "input", "value"])
    for r in records:
        w.writerow(r)
    path.write_text(buf.getvalue(), encoding="utf-8")


def json_value(v):
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return int(v)
        f = float(v)
        assert repr(f) == fmt_decimal(v), (v, repr(f))  # exact as a JSON number
        return f
    return v


def main():
    fields, indicators = read_rulebook(RULEBOOK)
    units = generate()
    validate(units, fields, indicators)

    records = [(p, i, n, csv_value(v)) for p, i, n, v in rows(units, indicators)]
    write_csv(HERE / "cohort.csv", records)

    doc = {"units": {pid: {ind: {name: json_value(v) for name, v in (
        u["A"].items() if ind == "A" else ((n, u[ind][n]) for n in indicators[ind]))}
        for ind in ["A"] + list(indicators)} for pid, u in units.items()}}
    (HERE / "cohort.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")

    vi = [(p, i, n, vi_value(v)) for p, i, n, v in rows(units, indicators) if p in ("P01", "P02")]
    write_csv(HERE / "vi-locale.csv", vi)

    incomplete = [(p, i, n, "" if (p, i, n) == ("P06", "4.11", "a") else v)
                  for p, i, n, v in records]
    write_csv(HERE / "incomplete.csv", incomplete)

    print(f"wrote {len(records)} rows for {len(units)} units "
          f"({len(fields)} fields, {len(indicators)} indicators with inputs)")


if __name__ == "__main__":
    main()
