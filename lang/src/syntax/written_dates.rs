//! How written dates, periods and deadlines print: in canonical Chiso syntax (`Q4/2022`), the way
//! the source documents write them (`Quý IV/2022`), or as the author wrote them (what the
//! formatter keeps). Their meaning on the calendar is in `crate::time`.

use crate::syntax::ast::{Cutoff, DateKind, DateLit, Deadline, DeadlineKind, Period};

/// A written date the way the source documents write it: `Năm 2024`, `Tháng 10/2022`,
/// `Quý IV/2022`, `15/10/2022`.
pub fn date_vi(d: &DateLit) -> String {
    const ROMAN: [&str; 5] = ["?", "I", "II", "III", "IV"];
    match d.kind {
        DateKind::Year(y) => format!("Năm {y}"),
        DateKind::Month(y, m) => format!("Tháng {m:02}/{y}"),
        DateKind::Quarter(y, q) => format!("Quý {}/{y}", ROMAN.get(q as usize).copied().unwrap_or("?")),
        DateKind::Day(y, m, day) => format!("{day:02}/{m:02}/{y}"),
    }
}

/// A written date in canonical Chiso syntax: `2024`, `2022-10`, `Q4/2022`, `2022-10-15`.
pub fn date_text(d: &DateLit) -> String {
    match d.kind {
        DateKind::Year(y) => format!("{y:04}"),
        DateKind::Month(y, m) => format!("{y:04}-{m:02}"),
        DateKind::Quarter(y, q) => format!("Q{q}/{y:04}"),
        DateKind::Day(y, m, day) => format!("{y:04}-{m:02}-{day:02}"),
    }
}

/// A written date in the form it was written: [`date_vi`] for a date written the Vietnamese way,
/// [`date_text`] otherwise. What the formatter prints.
pub fn date_source(d: &DateLit) -> String {
    if d.vietnamese {
        date_vi(d)
    } else {
        date_text(d)
    }
}

/// A period in the form it was written (see [`date_source`]).
pub fn period_source(p: &Period) -> String {
    match &p.end {
        Some(e) => format!("{}..{}", date_source(&p.start), date_source(e)),
        None => date_source(&p.start),
    }
}

/// A deadline in the form it was written (see [`date_source`]).
pub fn deadline_source(d: &Deadline) -> String {
    match &d.kind {
        DeadlineKind::Date(lit) => date_source(lit),
        _ => deadline_text(d),
    }
}

/// A period in canonical syntax.
pub fn period_text(p: &Period) -> String {
    match &p.end {
        Some(e) => format!("{}..{}", date_text(&p.start), date_text(e)),
        None => date_text(&p.start),
    }
}

/// A deadline in canonical syntax: `Q4/2022`, `ongoing`, `quarterly before day 25 of last month`.
pub fn deadline_text(d: &Deadline) -> String {
    let cut = |c: &Cutoff| match c {
        Cutoff::Before => "before",
        Cutoff::By => "by",
    };
    match &d.kind {
        DeadlineKind::Date(lit) => date_text(lit),
        DeadlineKind::Ongoing => "ongoing".into(),
        DeadlineKind::Yearly(None) => "yearly".into(),
        DeadlineKind::Yearly(Some((c, md))) => format!("yearly {} {:02}-{:02}", cut(c), md.month, md.day),
        DeadlineKind::Quarterly(None) => "quarterly".into(),
        DeadlineKind::Quarterly(Some((c, dom))) => format!("quarterly {} day {} of last month", cut(c), dom.day),
        DeadlineKind::Monthly(None) => "monthly".into(),
        DeadlineKind::Monthly(Some((c, dom))) => format!("monthly {} day {}", cut(c), dom.day),
    }
}

/// A deadline the way the source documents write it: `Quý IV/2022`, `Thường xuyên`,
/// `Hằng quý (trước ngày 25 tháng cuối quý)`.
pub fn deadline_vi(d: &Deadline) -> String {
    let cut = |c: &Cutoff| match c {
        Cutoff::Before => "trước",
        Cutoff::By => "chậm nhất",
    };
    match &d.kind {
        DeadlineKind::Date(lit) => date_vi(lit),
        DeadlineKind::Ongoing => "Thường xuyên".into(),
        DeadlineKind::Yearly(None) => "Hằng năm".into(),
        DeadlineKind::Yearly(Some((c, md))) => format!("Hằng năm ({} ngày {:02}/{:02})", cut(c), md.day, md.month),
        DeadlineKind::Quarterly(None) => "Hằng quý".into(),
        DeadlineKind::Quarterly(Some((c, dom))) => format!("Hằng quý ({} ngày {} tháng cuối quý)", cut(c), dom.day),
        DeadlineKind::Monthly(None) => "Hằng tháng".into(),
        DeadlineKind::Monthly(Some((c, dom))) => format!("Hằng tháng ({} ngày {})", cut(c), dom.day),
    }
}
