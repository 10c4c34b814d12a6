//! What the `chiso` command itself says on stderr (summaries, why nothing was scored), as typed
//! messages with one wording per language, like the engine's diagnostics: `--lang vi` (or a
//! Vietnamese environment) gets Vietnamese, with the terms a Sở's staff use.

use std::collections::HashMap;
use std::io;

use crate::text::{count, Lang};

/// A message of the command, with its placeholders.
pub enum Say<'a> {
    /// `chiso check`'s last line.
    Checked { files: usize, errors: usize, warnings: usize },
    /// A file whose errors stop its `test` blocks.
    TestsNotRun { file: &'a str },
    /// `chiso status`: the plan's rulebook has errors.
    RulebookBlocksPlan { rulebook: &'a str },
    /// `chiso status`: the plan has errors.
    PlanHasErrors,
    /// `chiso status`: the plan's warnings, counted.
    PlanWarnings { count: usize, plan: &'a str },
    /// `chiso status`: the plan data has errors.
    PlanDataHasErrors,
    /// `chiso owners`: a file with errors.
    FileHasErrors { file: &'a str },
    /// `chiso fmt`: a file that is not UTF-8.
    NotFormattedNotUtf8 { file: &'a str },
    /// `chiso fmt`: a file with syntax errors.
    NotFormattedSyntax { file: &'a str },
    /// `chiso fmt --check`: a file that would change.
    NotFormatted { file: &'a str },
    /// `chiso fmt`: a file rewritten.
    Formatted { file: &'a str },
    /// `chiso eval`/`explain`: the rulebook's units file has errors.
    UnitsFileHasErrors { file: &'a str },
    /// `chiso eval`/`explain`: the units file declares no unit.
    UnitsFileEmpty { file: &'a str },
    /// `chiso eval`/`explain`: the rulebook has errors.
    RulebookHasErrors,
    /// `chiso eval`/`explain`: the data file has errors.
    DataHasErrors,
    /// `chiso eval`: the data file reports no unit.
    NoUnits,
    /// `chiso eval --totals` with a format other than CSV.
    TotalsNeedCsv,
    /// `--unit X` names no unit of the data.
    NoSuchUnit { unit: &'a str },
    /// `chiso eval`: the rulebook's warnings, counted.
    RulebookWarnings { count: usize, rulebook: &'a str },
    /// `chiso eval`: indicator results that could not be computed.
    EvaluationErrors { failures: &'a Failures },
}

/// The indicator results a run could not compute, tallied as the units are scored: a few named
/// one by one, and past that per indicator, with how many units and the first of them. A run
/// over 10,000 communes whose data contradicts one indicator's `assume` everywhere says so in a
/// line, not in 3,500 names, and keeps no text per failure.
#[derive(Debug, Default)]
pub struct Failures {
    count: usize,
    /// The first failures, as (unit, indicator).
    first: Vec<(String, String)>,
    /// Each indicator that failed, in the order first met: how many units, and the first few.
    by_indicator: Vec<(String, usize, Vec<String>)>,
    /// Where each indicator is in `by_indicator` (a million failures of fifty indicators each
    /// find theirs at once).
    position: HashMap<String, usize>,
}

/// Failures named one by one, at most.
const NAMED: usize = 10;
/// Units named per indicator, and indicators named, at most, past that.
const UNITS_NAMED: usize = 3;
const INDICATORS_NAMED: usize = 10;

impl Failures {
    pub fn add(&mut self, unit: &str, indicator: &str) {
        self.count += 1;
        if self.first.len() < NAMED {
            self.first.push((unit.to_string(), indicator.to_string()));
        }
        match self.position.get(indicator).and_then(|&k| self.by_indicator.get_mut(k)) {
            Some((_, n, units)) => {
                *n += 1;
                if units.len() < UNITS_NAMED {
                    units.push(unit.to_string());
                }
            }
            None => {
                self.position.insert(indicator.to_string(), self.by_indicator.len());
                self.by_indicator.push((indicator.to_string(), 1, vec![unit.to_string()]));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Which results failed: `P01 / 5.11, …` for a few, else `6.8 in 3,531 unit(s) (X1, X2,
    /// X5, …); …`.
    fn which(&self, lang: Lang) -> String {
        if self.count <= NAMED {
            return self.first.iter().map(|(u, i)| format!("{u} / {i}")).collect::<Vec<_>>().join(", ");
        }
        let mut parts: Vec<String> = self
            .by_indicator
            .iter()
            .take(INDICATORS_NAMED)
            .map(|(ind, n, units)| {
                let more = if *n > units.len() { ", …" } else { "" };
                let units = units.join(", ");
                match lang {
                    Lang::En => format!("{ind} in {} unit(s) ({units}{more})", count(*n, lang)),
                    Lang::Vi => format!("{ind} ở {} đơn vị ({units}{more})", count(*n, lang)),
                }
            })
            .collect();
        let rest = self.by_indicator.len().saturating_sub(INDICATORS_NAMED);
        if rest > 0 {
            parts.push(match lang {
                Lang::En => format!("and {} more indicator(s)", count(rest, lang)),
                Lang::Vi => format!("và {} chỉ số khác", count(rest, lang)),
            });
        }
        parts.join("; ")
    }
}

impl Say<'_> {
    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Vi => self.vi(),
        }
    }

    fn en(&self) -> String {
        match self {
            Say::Checked { files, errors, warnings } => {
                format!("checked {files} file(s): {errors} error(s), {warnings} warning(s)")
            }
            Say::TestsNotRun { file } => format!("{file}: has errors; its tests were not run"),
            Say::RulebookBlocksPlan { rulebook } => {
                format!("chiso: the rulebook {rulebook} has errors; the plan was not evaluated")
            }
            Say::PlanHasErrors => "chiso: the plan has errors; nothing was evaluated".into(),
            Say::PlanWarnings { count, plan } => {
                format!("chiso: {count} warning(s) about the plan; run `chiso check {plan}` to see them")
            }
            Say::PlanDataHasErrors => "chiso: the data file has errors; nothing was evaluated".into(),
            Say::FileHasErrors { file } => format!("chiso: {file} has errors"),
            Say::NotFormattedNotUtf8 { file } => {
                format!("{file}: not formatted: it is not UTF-8, and rewriting it would lose the bytes that are not")
            }
            Say::NotFormattedSyntax { file } => format!("{file}: not formatted because of syntax errors"),
            Say::NotFormatted { file } => format!("{file}: not formatted"),
            Say::Formatted { file } => format!("formatted {file}"),
            Say::UnitsFileHasErrors { file } => format!("chiso: the units file {file} has errors; nothing was scored"),
            Say::UnitsFileEmpty { file } => format!("{file}: declares no unit (`unit P01 \"Tỉnh An Phú\"`)"),
            Say::RulebookHasErrors => "chiso: the rulebook has errors; nothing was scored".into(),
            Say::DataHasErrors => "chiso: the data file has errors; nothing was scored".into(),
            Say::NoUnits => "chiso: the data file has no units".into(),
            Say::TotalsNeedCsv => {
                "--totals writes CSV rows; add --format csv (the table already ends with the ranking)".into()
            }
            Say::NoSuchUnit { unit } => format!("no unit `{unit}` in the data"),
            Say::RulebookWarnings { count, rulebook } => {
                format!("chiso: {count} warning(s) about the rulebook; run `chiso check {rulebook}` to see them")
            }
            Say::EvaluationErrors { failures } => {
                format!(
                    "chiso: evaluation errors in {} indicator result(s): {}",
                    count(failures.count, Lang::En),
                    failures.which(Lang::En)
                )
            }
        }
    }

    fn vi(&self) -> String {
        match self {
            Say::Checked { files, errors, warnings } => {
                format!("đã kiểm tra {files} tệp: {errors} lỗi, {warnings} cảnh báo")
            }
            Say::TestsNotRun { file } => format!("{file}: có lỗi; các kiểm thử của tệp chưa được chạy"),
            Say::RulebookBlocksPlan { rulebook } => {
                format!("chiso: bộ chỉ số {rulebook} có lỗi; kế hoạch chưa được đánh giá")
            }
            Say::PlanHasErrors => "chiso: kế hoạch có lỗi; chưa đánh giá gì".into(),
            Say::PlanWarnings { count, plan } => {
                format!("chiso: kế hoạch có {count} cảnh báo; chạy `chiso check {plan}` để xem")
            }
            Say::PlanDataHasErrors => "chiso: tệp số liệu có lỗi; chưa đánh giá gì".into(),
            Say::FileHasErrors { file } => format!("chiso: {file} có lỗi"),
            Say::NotFormattedNotUtf8 { file } => {
                format!("{file}: chưa định dạng: tệp không phải UTF-8, ghi lại sẽ làm mất các byte không đọc được")
            }
            Say::NotFormattedSyntax { file } => format!("{file}: chưa định dạng vì có lỗi cú pháp"),
            Say::NotFormatted { file } => format!("{file}: chưa được định dạng"),
            Say::Formatted { file } => format!("đã định dạng {file}"),
            Say::UnitsFileHasErrors { file } => format!("chiso: tệp danh sách đơn vị {file} có lỗi; chưa tính điểm"),
            Say::UnitsFileEmpty { file } => format!("{file}: chưa khai báo đơn vị nào (`unit P01 \"Tỉnh An Phú\"`)"),
            Say::RulebookHasErrors => "chiso: bộ chỉ số có lỗi; chưa tính điểm".into(),
            Say::DataHasErrors => "chiso: tệp số liệu có lỗi; chưa tính điểm".into(),
            Say::NoUnits => "chiso: tệp số liệu không có đơn vị nào".into(),
            Say::TotalsNeedCsv => {
                "--totals ghi các dòng CSV; hãy thêm --format csv (bảng đã kết thúc bằng bảng xếp hạng)".into()
            }
            Say::NoSuchUnit { unit } => format!("không có đơn vị `{unit}` trong số liệu"),
            Say::RulebookWarnings { count, rulebook } => {
                format!("chiso: bộ chỉ số có {count} cảnh báo; chạy `chiso check {rulebook}` để xem")
            }
            Say::EvaluationErrors { failures } => {
                format!(
                    "chiso: không tính được {} kết quả chỉ số: {}",
                    count(failures.count, Lang::Vi),
                    failures.which(Lang::Vi)
                )
            }
        }
    }
}

/// A failure that ends the command: usage or I/O (exit 2), said in the user's language when the
/// command ends.
pub enum Fatal {
    /// A message already in the user's language (the front door's refusals, a [`Say`]).
    Said(String),
    CannotRead {
        path: String,
        err: io::Error,
    },
    CannotWrite {
        what: Written,
        err: io::Error,
    },
    /// Output that could not be made (a serializer's error).
    CannotFormat {
        format: &'static str,
        why: String,
    },
    NoSuchPath {
        path: String,
    },
    /// A folder given to `check` without any `.chiso` file…
    NoRulesInFolder {
        folder: String,
    },
    /// … whose name ends in `.chiso`, as a rule file's would.
    FolderNamedLikeRules {
        folder: String,
    },
    DataExtension {
        path: String,
    },
    /// A workbook given as a plan's data.
    PlanDataWorkbook {
        path: String,
    },
    AsOf {
        text: String,
        why: Box<chiso::diag::BadDate>,
    },
    /// `chiso status` of a file without planning items.
    NoPlan {
        file: String,
    },
    NoPillar {
        id: String,
    },
    NoIndicator {
        id: String,
    },
    NothingToExplain,
}

/// Where output failed to go.
pub enum Written {
    Stdout,
    File(String),
}

impl Fatal {
    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let os = |err: &io::Error| if vi { os_error_vi(err) } else { err.to_string() };
        match self {
            Fatal::Said(text) => text.clone(),
            Fatal::CannotRead { path, err } if vi => format!("không đọc được {path}: {}", os(err)),
            Fatal::CannotRead { path, err } => format!("cannot read {path}: {}", os(err)),
            Fatal::CannotWrite { what: Written::Stdout, err } if vi => {
                format!("không ghi được ra đầu ra chuẩn: {}", os(err))
            }
            Fatal::CannotWrite { what: Written::Stdout, err } => {
                format!("cannot write to standard output: {}", os(err))
            }
            Fatal::CannotWrite { what: Written::File(f), err } if vi => format!("không ghi được {f}: {}", os(err)),
            Fatal::CannotWrite { what: Written::File(f), err } => format!("cannot write {f}: {}", os(err)),
            Fatal::CannotFormat { format, why } if vi => format!("không ghi được {format}: {why}"),
            Fatal::CannotFormat { format, why } => format!("cannot write {format}: {why}"),
            Fatal::NoSuchPath { path } if vi => format!("không có tệp hay thư mục nào tên {path}"),
            Fatal::NoSuchPath { path } => format!("no such file or folder: {path}"),
            Fatal::NoRulesInFolder { folder } if vi => format!("thư mục {folder} không có tệp .chiso nào"),
            Fatal::NoRulesInFolder { folder } => format!("no .chiso file in the folder {folder}"),
            Fatal::FolderNamedLikeRules { folder } if vi => {
                format!("{folder} là một thư mục, không phải tệp quy tắc, và không chứa tệp .chiso nào")
            }
            Fatal::FolderNamedLikeRules { folder } => {
                format!("{folder} is a folder, not a rule file, and holds no .chiso file")
            }
            Fatal::DataExtension { path } if vi => {
                format!("{path}: tệp số liệu phải có đuôi .csv, .tsv, .txt, .json hoặc .xlsx")
            }
            Fatal::DataExtension { path } => {
                format!("{path}: the data file must end in .csv, .tsv, .txt, .json or .xlsx")
            }
            Fatal::PlanDataWorkbook { path } if vi => format!(
                "{path}: số liệu của kế hoạch phải là .csv, .tsv, .txt hoặc .json (lưu trang tính dưới dạng CSV UTF-8)"
            ),
            Fatal::PlanDataWorkbook { path } => {
                format!("{path}: a plan's data must be .csv, .tsv, .txt or .json (export the sheet as CSV UTF-8)")
            }
            Fatal::AsOf { text, why } => format!("--as-of {text}: {}", why.render(lang.diag())),
            Fatal::NoPlan { file } if vi => {
                format!("{file}: không khai báo kế hoạch, mục tiêu, nhiệm vụ hay lịch báo cáo nào")
            }
            Fatal::NoPlan { file } => format!("{file}: declares no plan, target, task or schedule"),
            Fatal::NoPillar { id } if vi => format!("bộ chỉ số không có trụ cột `{id}`"),
            Fatal::NoPillar { id } => format!("no pillar `{id}` in the rulebook"),
            Fatal::NoIndicator { id } if vi => format!("bộ chỉ số không có chỉ số hay trụ cột `{id}`"),
            Fatal::NoIndicator { id } => format!("no indicator or pillar `{id}` in the rulebook"),
            Fatal::NothingToExplain if vi => "không có gì để giải thích".into(),
            Fatal::NothingToExplain => "nothing to explain".into(),
        }
    }
}

/// An operating system error the way a Vietnamese reader can act on it; the system's own words
/// (English) follow in brackets for the kinds named here, and stand alone for the others.
fn os_error_vi(err: &io::Error) -> String {
    let said = match err.kind() {
        io::ErrorKind::NotFound => "không tìm thấy tệp",
        io::ErrorKind::PermissionDenied => "không có quyền truy cập",
        io::ErrorKind::IsADirectory => "đây là một thư mục, không phải tệp",
        io::ErrorKind::StorageFull => "ổ đĩa đã đầy",
        io::ErrorKind::ReadOnlyFilesystem => "ổ đĩa chỉ cho phép đọc",
        io::ErrorKind::InvalidData => "dữ liệu không hợp lệ",
        _ => return err.to_string(),
    };
    format!("{said} ({err})")
}
