// The portal's own logic, without a browser: numbers written the Vietnamese way from the engine's
// exact decimal strings, and what-if edits of data files in each layout the engine reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { roundDecimal, num } from "../src/format.js";
import { parseCsv, readValue, setValue, unitNames } from "../src/csv.js";
import { KEYS } from "../src/i18n.js";

test("Vietnamese and English label the same things", () => {
  assert.deepEqual([...KEYS.en].sort(), [...KEYS.vi].sort());
});

test("decimal strings are rounded half away from zero, as strings", () => {
  const cases = [["6.029", 2, "6.03"], ["6.025", 2, "6.03"], ["-6.025", 2, "-6.03"], ["3.333333", 2, "3.33"],
    ["10", 2, "10"], ["0.999", 2, "1"], ["-0.001", 2, "0"], ["2.50", 2, "2.5"], ["0.5427", 4, "0.5427"], ["99.995", 2, "100"]];
  for (const [s, d, want] of cases) assert.equal(roundDecimal(s, d), want, s);
});

test("numbers read as a Vietnamese (6,03; 20.659) or English reader writes them", () => {
  assert.equal(num("6.029", 2, "vi"), "6,03");
  assert.equal(num("20659", 2, "vi"), "20.659");
  assert.equal(num("1234567.891", 2, "vi"), "1.234.567,89");
  assert.equal(num("1234567.891", 2, "en"), "1,234,567.89");
  assert.equal(num("-1.5", 2, "vi"), "−1,5");
  assert.equal(num(null, 2, "vi"), "—");
});

test("CSV cells keep quoted separators, quotes and newlines", () => {
  assert.deepEqual(parseCsv('a,"b,c","d ""e""",\n"x\ny",z\n', ","), [["a", "b,c", 'd "e"', ""], ["x\ny", "z"]]);
});

const long = { name: "d.csv", text: 'BÁO CÁO SỐ LIỆU\n\nunit;indicator;input;value\nNT;A;1;Tỉnh Ninh Thuận\nNT;3.1;a;"1,25"\nKH;3.1;a;\n' };

test("what-if in a long CSV: a value is replaced in place, a missing one is added, the title rows stay", () => {
  assert.deepEqual(readValue(long, "NT", "3.1", "a"), { value: "1,25" });
  assert.deepEqual(readValue(long, "KH", "3.1", "a"), { value: undefined });
  const edited = setValue(long, "NT", "3.1", "a", "2,5");
  assert.equal(edited, 'BÁO CÁO SỐ LIỆU\nunit;indicator;input;value\nNT;A;1;Tỉnh Ninh Thuận\nNT;3.1;a;2,5\nKH;3.1;a;\n');
  const added = setValue(long, "KH", "3.1", "b", "8000");
  assert.match(added, /\nKH;3\.1;b;8000\n$/);
  assert.deepEqual([...unitNames(long)], [["NT", "Tỉnh Ninh Thuận"]]);
});

test("what-if with the Vietnamese header names the engine reads: Mã đơn vị, Chỉ số, Đầu vào, Giá trị", () => {
  const vi = { name: "vi.csv", text: "Mã đơn vị;Đơn vị;Chỉ số;Đầu vào;Giá trị\nNT;Ninh Thuận;3.1;a;1,25\n" };
  assert.deepEqual(readValue(vi, "NT", "3.1", "a"), { value: "1,25" });
  assert.equal(setValue(vi, "NT", "3.1", "a", "2,5"), "Mã đơn vị;Đơn vị;Chỉ số;Đầu vào;Giá trị\nNT;Ninh Thuận;3.1;a;2,5\n");
});

test("what-if in a wide CSV whose headers are the inputs' declared columns", () => {
  const wide = { name: "w.csv", text: "Mã đơn vị;Tên xã;Số hồ sơ trực tuyến;TỔNG SỐ HỒ SƠ\nX001;Xã Phước Dân;1.234;1.500\n" };
  assert.deepEqual(readValue(wide, "X001", "1.1", "b", "Tổng số hồ sơ"), { value: "1.500" });
  assert.equal(setValue(wide, "X001", "1.1", "a", "1.400", " số hồ sơ trực tuyến "),
    "Mã đơn vị;Tên xã;Số hồ sơ trực tuyến;TỔNG SỐ HỒ SƠ\nX001;Xã Phước Dân;1.400;1.500\n");
  assert.equal(setValue(wide, "X001", "1.1", "a", "1"), null, "without its declared column the input has none here");
});

test("what-if in a wide CSV and in JSON", () => {
  const wide = { name: "w.csv", text: "unit,tên đơn vị,3.1.a,3.1.b\nNT,Ninh Thuận,6029,10000\nKH,Khánh Hòa,,8000\n" };
  assert.deepEqual(readValue(wide, "NT", "3.1", "b"), { value: "10000" });
  assert.equal(setValue(wide, "KH", "3.1", "a", "7000"), "unit,tên đơn vị,3.1.a,3.1.b\nNT,Ninh Thuận,6029,10000\nKH,Khánh Hòa,7000,8000\n");
  assert.equal(setValue(wide, "KH", "9.9", "a", "1"), null, "a column the file lacks is not invented");
  assert.deepEqual([...unitNames(wide)], [["NT", "Ninh Thuận"], ["KH", "Khánh Hòa"]]);
  const json = { name: "d.json", text: JSON.stringify({ units: { NT: { "3.1": { a: 6029, b: null } } } }) };
  assert.deepEqual(readValue(json, "NT", "3.1", "a"), { value: "6029" });
  assert.deepEqual(readValue(json, "NT", "3.1", "b"), { value: undefined });
  assert.deepEqual(JSON.parse(setValue(json, "NT", "3.1", "b", "85%")), { units: { NT: { "3.1": { a: 6029, b: "85%" } } } });
  assert.equal(readValue({ name: "d.xlsx", text: "" }, "NT", "3.1", "a"), null);
});
