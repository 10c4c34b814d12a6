//! Data files as departments really send them, through the real binary: Excel workbooks (`.xlsx`,
//! made here with rust_xlsxwriter), Excel's UTF-16 "Unicode text" export, and the locale stated on
//! the command line over the rulebook's.
//!
//! Each test writes its files to a fresh temporary folder and checks the exit code, the scores
//! and the located messages (`Sheet1!C7`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_xlsxwriter::{Format, Workbook};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn chiso(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).current_dir(dir).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[track_caller]
fn expect_code(run: &Run, code: i32) {
    assert_eq!(run.code, code, "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}", run.stdout, run.stderr);
}

/// A fresh folder, removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("chiso-data-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.0.join(name), bytes).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const RULEBOOK: &str = r#"rulebook "Sở TTTT" {
  locale vi
}

agency TTPVHCC "Trung tâm Phục vụ hành chính công tỉnh"

indicator 6.12 "Tỷ lệ hồ sơ xử lý trực tuyến" {
  max 20
  owner TTPVHCC
  input a: count "Tổng số hồ sơ" positive neutral
  input b: count "Số hồ sơ trực tuyến"
  assume b <= a
  let ratio = b / a
  score = when ratio {
    >= 80% => max,
    else => ratio / 80% * max,
  }
}

indicator 1.5 "Công bố tỷ lệ" {
  max 5
  owner TTPVHCC
  input ty_le: percent "Tỷ lệ tự đánh giá"
  input co: yes_no "Có công bố"
  score = if co and ty_le >= 50% then max else 0
}
"#;

/// The score column of unit `unit` in the table output.
fn score_line<'a>(stdout: &'a str, id: &str) -> &'a str {
    stdout.lines().find(|l| l.trim_start().starts_with(id)).unwrap_or_else(|| panic!("no line {id} in\n{stdout}"))
}

#[test]
fn xlsx_long_sheet_with_title_rows_is_scored_and_errors_name_the_cell() {
    let tmp = TempDir::new();
    tmp.write("r.chiso", RULEBOOK);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Số liệu").unwrap();
    sheet.write_string(0, 0, "BÁO CÁO SỐ LIỆU DTI 2022").unwrap();
    for (c, h) in ["unit", "indicator", "input", "value"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let percent = Format::new().set_num_format("0%");
    let rows: [(&str, &str); 4] = [("a", "n"), ("b", "n"), ("ty_le", "p"), ("co", "s")];
    for (i, (input, kind)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, "P01").unwrap();
        sheet.write_string(r, 1, if i < 2 { "6.12" } else { "1.5" }).unwrap();
        sheet.write_string(r, 2, *input).unwrap();
        match *kind {
            "n" if *input == "a" => sheet.write_number(r, 3, 1000).unwrap(),
            "n" => sheet.write_number(r, 3, 850).unwrap(),
            "p" => sheet.write_number_with_format(r, 3, 0.85, &percent).unwrap(),
            // A decomposed `có`, as some keyboards type it.
            _ => sheet.write_string(r, 3, "co\u{301}").unwrap(),
        };
    }
    tmp.write("ok.xlsx", book.save_to_buffer().unwrap());
    let run = chiso(&tmp.0, &["eval", "r.chiso", "--data", "ok.xlsx"]);
    expect_code(&run, 0);
    assert!(score_line(&run.stdout, "6.12").contains("20,00"), "{}", run.stdout);
    assert!(score_line(&run.stdout, "1.5").contains("5,00"), "{}", run.stdout);

    // A bare number for a percent (no percent format), a text that is not a number, N/A.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["unit", "indicator", "input", "value"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let cells: [(&str, &str, &str); 4] =
        [("P01", "a", "1000"), ("P01", "b", "nhiều"), ("P01", "ty_le", ""), ("P02", "a", "N/A")];
    for (i, (unit, input, value)) in cells.iter().enumerate() {
        let r = 1 + i as u32;
        sheet.write_string(r, 0, *unit).unwrap();
        sheet.write_string(r, 1, if *input == "ty_le" { "1.5" } else { "6.12" }).unwrap();
        sheet.write_string(r, 2, *input).unwrap();
        if input == &"ty_le" {
            sheet.write_number(r, 3, 85).unwrap();
        } else {
            sheet.write_string(r, 3, *value).unwrap();
        }
    }
    tmp.write("bad.xlsx", book.save_to_buffer().unwrap());
    let run = chiso(&tmp.0, &["eval", "r.chiso", "--data", "bad.xlsx"]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("Sheet1!D3") && run.stderr.contains("`nhiều`"), "{}", run.stderr);
    assert!(run.stderr.contains("Sheet1!D4") && run.stderr.contains("write the percent sign"), "{}", run.stderr);
    assert!(run.stderr.contains("W0810"), "{}", run.stderr);
}

#[test]
fn xlsx_wide_sheet_has_one_row_per_unit() {
    let tmp = TempDir::new();
    tmp.write("r.chiso", RULEBOOK);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let percent = Format::new().set_num_format("0.00%");
    for (c, h) in ["unit", "tên đơn vị", "6.12.a", "6.12.b", "1.5.ty_le", "1.5.co"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "P01").unwrap();
    sheet.write_string(1, 1, "Sở Tư pháp").unwrap();
    sheet.write_number(1, 2, 1000).unwrap();
    sheet.write_number(1, 3, 400).unwrap();
    sheet.write_number_with_format(1, 4, 0.5, &percent).unwrap();
    sheet.write_boolean(1, 5, true).unwrap();
    sheet.write_string(2, 0, "P02").unwrap();
    sheet.write_number(2, 2, 10).unwrap();
    tmp.write("wide.xlsx", book.save_to_buffer().unwrap());
    let run = chiso(&tmp.0, &["eval", "r.chiso", "--data", "wide.xlsx", "--format", "csv"]);
    expect_code(&run, 0);
    // 400 / 1000 = 40% of the 80% target: 10 of 20 points; P02 reported only `a`.
    assert!(run.stdout.contains("P01,indicator,6.12,10,20,scored"), "{}", run.stdout);
    assert!(run.stdout.contains("P01,indicator,1.5,5,5,scored"), "{}", run.stdout);
    assert!(run.stdout.contains("P02,indicator,6.12,,20,not_evaluable"), "{}", run.stdout);
    // The sheet is read into columns as its CSV export is: the same scores, byte for byte.
    tmp.write(
        "wide.csv",
        "unit,tên đơn vị,6.12.a,6.12.b,1.5.ty_le,1.5.co\nP01,Sở Tư pháp,1000,400,\"50,00%\",có\nP02,,10,,,\n",
    );
    let csv = chiso(&tmp.0, &["eval", "r.chiso", "--data", "wide.csv", "--format", "csv"]);
    expect_code(&csv, 0);
    assert_eq!(run.stdout, csv.stdout);
}

#[test]
fn utf16_unicode_text_export_is_read() {
    let tmp = TempDir::new();
    tmp.write("r.chiso", RULEBOOK);
    let text = "unit\tindicator\tinput\tvalue\r\nP01\t6.12\ta\t1.000\r\nP01\t6.12\tb\t850\r\nP01\t1.5\tty_le\t\"85,5%\"\r\nP01\t1.5\tco\tcó\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    tmp.write("export.txt", bytes);
    let run = chiso(&tmp.0, &["eval", "r.chiso", "--data", "export.txt"]);
    expect_code(&run, 0);
    assert!(score_line(&run.stdout, "6.12").contains("20,00"), "{}", run.stdout);
    assert!(score_line(&run.stdout, "1.5").contains("5,00"), "{}", run.stdout);
}

#[test]
fn locale_on_the_command_line_overrides_the_rulebook() {
    let tmp = TempDir::new();
    tmp.write("r.chiso", RULEBOOK);
    tmp.write("d.csv", "unit,indicator,input,value\nP01,6.12,a,2.000\nP01,6.12,b,1.600\n");
    // The rulebook says vi: 1600 of 2000 cases online is 80%, the max. Read as en, `1.600` is 1.6,
    // not a count.
    let vi = chiso(&tmp.0, &["eval", "r.chiso", "--data", "d.csv", "--format", "csv"]);
    expect_code(&vi, 0);
    assert!(vi.stdout.contains("P01,indicator,6.12,20,20,scored"), "{}", vi.stdout);
    let en = chiso(&tmp.0, &["eval", "r.chiso", "--data", "d.csv", "--format", "csv", "--locale", "en"]);
    expect_code(&en, 1);
    assert!(en.stderr.contains("`1.600` is not a valid count"), "{}", en.stderr);
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused_with_a_message() {
    let tmp = TempDir::new();
    tmp.write("r.chiso", RULEBOOK);
    tmp.write("x.xlsx", "unit,indicator,input,value\n");
    let run = chiso(&tmp.0, &["eval", "r.chiso", "--data", "x.xlsx"]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("E0801") && run.stderr.contains("not a readable .xlsx workbook"), "{}", run.stderr);
    // A stray cell far from the data does not make the reader walk billions of empty cells.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "unit").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    tmp.write("far.xlsx", book.save_to_buffer().unwrap());
    let run = chiso(&tmp.0, &["eval", "r.chiso", "--data", "far.xlsx"]);
    expect_code(&run, 1);
    assert!(run.stderr.contains("A1:XFD1048576"), "{}", run.stderr);
}
