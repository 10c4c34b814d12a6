// Numbers and dates the way a Vietnamese reader writes them (`6,03`, `20.659`, `31/12/2022`), or
// the English way. The engine's numbers are exact decimal strings (spec/output.md); they are
// rounded here as strings, never through a binary float, so what is shown is what was computed.

import { getLang } from "./i18n.js";

/** Rounds a decimal string to `digits` places, half away from zero, without trailing zeros. */
export function roundDecimal(s, digits) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s).trim());
  if (!m) return String(s);
  const [, sign, int, frac = ""] = m;
  let n = BigInt(int + frac.slice(0, digits).padEnd(digits, "0"));
  if (frac.length > digits && frac[digits] >= "5") n += 1n;
  let text = n.toString().padStart(digits + 1, "0");
  let i = digits ? text.slice(0, -digits) : text;
  let f = digits ? text.slice(-digits).replace(/0+$/, "") : "";
  const zero = /^0*$/.test(i + f);
  return (sign && !zero ? "-" : "") + i + (f ? "." + f : "");
}

/** A decimal string for reading: `1234.5` is `1.234,5` in Vietnamese, `1,234.5` in English. */
export function num(s, digits = 2, lang = getLang()) {
  if (s === null || s === undefined || s === "") return "—";
  const r = roundDecimal(s, digits);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(r);
  if (!m) return r;
  const [, sign, int, frac] = m;
  const [group, point] = lang === "vi" ? [".", ","] : [",", "."];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return (sign ? "−" : "") + grouped + (frac ? point + frac : "");
}

/** A percentage of `max` reached by `score`, for charts only (a float is fine for a bar). */
export function share(score, max) {
  const m = Number(max);
  return m > 0 ? Math.round((Number(score) / m) * 1000) / 10 : 0;
}

/** `2022-12-31` as `31/12/2022` (vi) or kept as is (en). */
export function date(iso, lang = getLang()) {
  if (!iso) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m && lang === "vi" ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
