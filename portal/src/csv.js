// What-if edits of a data file: set one input of one unit to a new value in the file's own text,
// so the engine reads the edited file exactly as it reads an uploaded one (same locale, same
// checks, errors located in it). Long CSV (`unit,indicator,input,value`, separator `,` `;` or tab,
// title rows above the header allowed), wide CSV (`unit`, `IND.INPUT` columns) and JSON are edited;
// anything else is refused and the portal says so.

/** Splits CSV text into rows of cells, keeping quoted separators and newlines. */
export function parseCsv(text, sep) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(cell); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function quote(cell, sep) {
  return /["\n\r]/.test(cell) || cell.includes(sep) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function writeCsv(rows, sep) {
  return rows.map((r) => r.map((c) => quote(c, sep)).join(sep)).join("\n") + "\n";
}

/**
 * The reader's own column names, each with the Vietnamese names a sheet may use, by priority: the
 * engine's `UNIT_HEADERS` … (lang/src/sema/env.rs), compared as it compares them.
 */
const HEADERS = {
  unit: ["unit", "mã đơn vị", "đơn vị"],
  indicator: ["indicator", "mã chỉ số", "chỉ số"],
  input: ["input", "đầu vào"],
  value: ["value", "giá trị"],
};
const headerKey = (cell) => cell.replace(/^\uFEFF/, "").trim().normalize("NFC").toLowerCase();
/** The position of the column with one of `names`, the first name found first. */
function column(head, names) {
  for (const name of names) {
    const at = head.indexOf(name);
    if (at >= 0) return at;
  }
  return -1;
}

/** The header row's index and separator: the first of the first 30 rows with a unit cell. */
function findHeader(text) {
  const firstLines = text.replace(/^\uFEFF/, "").split(/\r?\n/).slice(0, 30);
  for (let i = 0; i < firstLines.length; i++) {
    for (const sep of [",", ";", "\t"]) {
      const cells = parseCsv(firstLines[i], sep)[0] ?? [];
      if (cells.some((c) => HEADERS.unit.includes(headerKey(c)))) return { index: i, sep };
    }
  }
  return null;
}

/**
 * The file's current cell for (unit, indicator, input): `{ value }` (undefined when not reported),
 * or null when this layout cannot be edited. `column`: the input's declared column name (`input
 * a: count column "Số hồ sơ"`), the header of its column in a wide file besides `IND.INPUT`.
 */
export function readValue(file, unit, indicator, input, column = null) {
  const edit = editor(file);
  return edit ? { value: edit.get(unit, indicator, input, column) } : null;
}

/** The file's text with (unit, indicator, input) set to `value`, or null if it cannot be edited. */
export function setValue(file, unit, indicator, input, value, column = null) {
  const edit = editor(file);
  return edit ? edit.set(unit, indicator, input, value, column) : null;
}

/**
 * A readable name per unit, when the data carries one (`Tỉnh An Phú` for `P01`): the first text
 * value of the unit that reads like a name (letters and a space, not an option like `da_co`, not
 * an address). Only for display; the unit's id stays what the engine knows it by.
 */
export function unitNames(file) {
  const edit = editor(file);
  return edit ? edit.names() : new Map();
}

const nameLike = (v) => typeof v === "string" && /^\p{Lu}[\p{L} .'-]{2,60}$/u.test(v.trim()) && /\s/.test(v.trim());

function editor(file) {
  if (/\.json$/i.test(file.name)) return jsonEditor(file.text);
  if (/\.(csv|tsv|txt)$/i.test(file.name)) return csvEditor(file.text);
  return null;
}

function jsonEditor(text) {
  let doc;
  try { doc = JSON.parse(text); } catch { return null; }
  if (!doc || typeof doc.units !== "object") return null;
  return {
    get: (u, i, n) => {
      const v = doc.units[u]?.[i]?.[n];
      return v === undefined || v === null ? undefined : String(v);
    },
    set: (u, i, n, value) => {
      doc.units[u] ??= {};
      doc.units[u][i] ??= {};
      // Strings are read like CSV cells in the data's locale, so `85%` or `1,25` mean what they say.
      doc.units[u][i][n] = value === "" ? null : value;
      return JSON.stringify(doc, null, 2);
    },
    names: () => {
      const names = new Map();
      for (const [u, inds] of Object.entries(doc.units)) {
        const hit = Object.values(inds ?? {}).flatMap((o) => Object.values(o ?? {})).find(nameLike);
        if (hit) names.set(u, hit.trim());
      }
      return names;
    },
  };
}

function csvEditor(text) {
  const header = findHeader(text);
  if (!header) return null;
  const { sep } = header;
  const rows = parseCsv(text.replace(/^\uFEFF/, ""), sep);
  // Rows before the header are kept as they are; only cells below it are edited.
  const head = rows[header.index].map(headerKey);
  const [cu, ci, cn, cv] = ["unit", "indicator", "input", "value"].map((name) => column(head, HEADERS[name]));
  if (cu < 0) return null;
  const body = () => rows.slice(header.index + 1);
  if (ci >= 0 && cn >= 0 && cv >= 0) {
    const find = (u, i, n) => body().find((r) => r[cu]?.trim() === u && r[ci]?.trim() === i && r[cn]?.trim() === n);
    return {
      get: (u, i, n) => {
        const r = find(u, i, n);
        return r && r[cv] !== "" ? r[cv] : undefined;
      },
      set: (u, i, n, value) => {
        const r = find(u, i, n);
        if (r) r[cv] = value;
        else {
          const fresh = head.map(() => "");
          fresh[cu] = u; fresh[ci] = i; fresh[cn] = n; fresh[cv] = value;
          rows.push(fresh);
        }
        return writeCsv(rows.filter((r) => r.some((c) => c !== "")), sep);
      },
      names: () => {
        const names = new Map();
        for (const r of body()) {
          const u = r[cu]?.trim();
          if (u && !names.has(u) && nameLike(r[cv])) names.set(u, r[cv].trim());
        }
        return names;
      },
    };
  }
  const raw = rows[header.index].map((c) => c.trim());
  const unitRow = (u) => body().find((r) => r[cu]?.trim() === u);
  // The input's declared column first, compared as the engine compares headers; then `IND.INPUT`.
  const columnOf = (i, n, column) => {
    const declared = column ? head.indexOf(headerKey(column)) : -1;
    return declared >= 0 ? declared : raw.indexOf(`${i}.${n}`);
  };
  return {
    get: (u, i, n, column) => {
      const c = columnOf(i, n, column);
      const r = unitRow(u);
      return c >= 0 && r && r[c] !== "" ? r[c] : undefined;
    },
    set: (u, i, n, value, column) => {
      const c = columnOf(i, n, column);
      const r = unitRow(u);
      if (c < 0 || !r) return null;
      r[c] = value;
      return writeCsv(rows.filter((r) => r.some((c) => c !== "")), sep);
    },
    names: () => {
      const c = raw.findIndex((h, i) => i !== cu && h && !h.includes("."));
      const names = new Map();
      if (c >= 0) for (const r of body()) if (r[cu]?.trim() && r[c]?.trim()) names.set(r[cu].trim(), r[c].trim());
      return names;
    },
  };
}
