//! Deadlines and periods as dates: what a written date or deadline means on the calendar.
//!
//! A date as written (`2024`, `2022-10`, `Q4/2022`, `2022-10-15`) covers a range of days; a
//! deadline is met when the work is done on or before the range's last day. Recurring deadlines
//! (`yearly`, `quarterly`, `monthly`, optionally `before`/`by` a day) have one occurrence per
//! year, quarter or month; the occurrence that matters on a date is the one whose window (the
//! year, quarter or month) contains it. The rules are specified in `spec/planning.md`.

use super::date::{days_in_month, Date};
use crate::diag::message::BadDate;
use crate::diag::Span;
use crate::syntax::ast::{Cutoff, DateKind, DateLit, Deadline, DeadlineKind, Period};

pub use crate::syntax::written_dates::{date_text, deadline_text, deadline_vi, period_text};

/// A range of days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateRange {
    /// The first day.
    pub start: Date,
    /// The last day.
    pub end: Date,
}

impl DateRange {
    /// Whether `d` is in the range.
    pub fn contains(self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
}

/// The days a written date covers; `Err` says why it is not a date (E0601).
pub fn date_range(d: &DateLit) -> Result<DateRange, BadDate> {
    let invalid = |y: u32, m: u32, day: u32| super::date::why_invalid(y, m, day);
    let (start, end) = match d.kind {
        DateKind::Year(y) => (Date::new(y, 1, 1), Date::new(y, 12, 31)),
        DateKind::Month(y, m) => {
            if let Some(why) = invalid(y, m, 1) {
                return Err(why);
            }
            (Date::new(y, m, 1), Date::end_of_month(y, m))
        }
        DateKind::Quarter(y, q) => {
            if !(1..=4).contains(&q) {
                return Err(BadDate::NoQuarter { quarter: q });
            }
            (Date::new(y, 3 * q - 2, 1), Date::end_of_month(y, 3 * q))
        }
        DateKind::Day(y, m, day) => {
            if let Some(why) = invalid(y, m, day) {
                return Err(why);
            }
            (Date::new(y, m, day), Date::new(y, m, day))
        }
    };
    match (start, end) {
        (Some(start), Some(end)) => Ok(DateRange { start, end }),
        _ => Err(invalid(year_of(d), 1, 1).unwrap_or(BadDate::NotADate)),
    }
}

fn year_of(d: &DateLit) -> u32 {
    match d.kind {
        DateKind::Year(y) | DateKind::Month(y, _) | DateKind::Quarter(y, _) | DateKind::Day(y, _, _) => y,
    }
}

/// What is wrong with a period, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeriodError {
    /// A date that does not exist (E0601).
    Impossible(Span, BadDate),
    /// The end is before the start (E0604).
    Reversed(Span, DateRange, DateRange),
}

/// The days a period covers.
pub fn period_range(p: &Period) -> Result<DateRange, PeriodError> {
    let start = date_range(&p.start).map_err(|why| PeriodError::Impossible(p.start.span, why))?;
    let Some(end_lit) = &p.end else { return Ok(start) };
    let end = date_range(end_lit).map_err(|why| PeriodError::Impossible(end_lit.span, why))?;
    if end.end < start.start {
        return Err(PeriodError::Reversed(p.span, start, end));
    }
    Ok(DateRange { start: start.start, end: end.end })
}

/// A deadline as a calendar rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Due by the last day of a range (a written date).
    Once(DateRange),
    /// Never due.
    Ongoing,
    /// Once a year: by 31 December, or before/by a day of the year (month, day).
    Yearly(Option<(Cutoff, u32, u32)>),
    /// Once a quarter: by its last day, or before/by a day of its last month.
    Quarterly(Option<(Cutoff, u32)>),
    /// Once a month: by its last day, or before/by a day of the month.
    Monthly(Option<(Cutoff, u32)>),
}

/// One occurrence of a deadline: the window the work belongs to and the last on-time day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Occurrence {
    /// The year, quarter or month (for a written date: its days).
    pub window: DateRange,
    /// The last day on which finishing is on time.
    pub due: Date,
}

impl Rule {
    /// The rule of a written deadline; `Err` gives the span and why a date in it does not exist
    /// (E0601).
    pub fn of(d: &Deadline) -> Result<Rule, (Span, BadDate)> {
        match &d.kind {
            DeadlineKind::Date(lit) => date_range(lit).map(Rule::Once).map_err(|why| (lit.span, why)),
            DeadlineKind::Ongoing => Ok(Rule::Ongoing),
            DeadlineKind::Yearly(None) => Ok(Rule::Yearly(None)),
            DeadlineKind::Yearly(Some((c, md))) => {
                let (m, day) = (md.month, md.day);
                if !(1..=12).contains(&m) {
                    return Err((md.span, BadDate::NoMonth { month: m }));
                }
                // The day must exist every year: 29 February does not.
                let fewest = if m == 2 { 28 } else { days_in_month(2001, m) };
                if day == 0 || day > fewest {
                    let why = if m == 2 && day == 29 {
                        BadDate::LeapDayYearly
                    } else {
                        BadDate::MonthDays { month: m, days: days_in_month(2001, m) }
                    };
                    return Err((md.span, why));
                }
                Ok(Rule::Yearly(Some((*c, m, day))))
            }
            DeadlineKind::Quarterly(None) => Ok(Rule::Quarterly(None)),
            DeadlineKind::Quarterly(Some((c, dom))) => {
                // The last months of the quarters: March, June, September, December.
                if dom.day == 0 || dom.day > 30 {
                    let why = if dom.day == 31 { BadDate::Day31Quarterly } else { BadDate::NoDay { day: dom.day } };
                    return Err((dom.span, why));
                }
                Ok(Rule::Quarterly(Some((*c, dom.day))))
            }
            DeadlineKind::Monthly(None) => Ok(Rule::Monthly(None)),
            DeadlineKind::Monthly(Some((c, dom))) => {
                if dom.day == 0 || dom.day > 28 {
                    let why = if dom.day <= 31 {
                        BadDate::NotEveryMonth { day: dom.day }
                    } else {
                        BadDate::NoDay { day: dom.day }
                    };
                    return Err((dom.span, why));
                }
                Ok(Rule::Monthly(Some((*c, dom.day))))
            }
        }
    }

    /// Whether the rule repeats.
    pub fn is_recurring(self) -> bool {
        matches!(self, Rule::Yearly(_) | Rule::Quarterly(_) | Rule::Monthly(_))
    }

    /// The window (year, quarter or month) of a recurring rule that contains `d`.
    fn window_of(self, d: Date) -> Option<DateRange> {
        let (y, m) = (d.year(), d.month());
        let (first_month, last_month) = match self {
            Rule::Yearly(_) => (1, 12),
            Rule::Quarterly(_) => (3 * d.quarter() - 2, 3 * d.quarter()),
            Rule::Monthly(_) => (m, m),
            Rule::Once(r) => return Some(r),
            Rule::Ongoing => return None,
        };
        Some(DateRange { start: Date::new(y, first_month, 1)?, end: Date::end_of_month(y, last_month)? })
    }

    /// The occurrence whose window is `window`.
    fn occurrence_in(self, window: DateRange) -> Option<Occurrence> {
        let cut = |c: Cutoff, day: Date| match c {
            Cutoff::Before => day.add_days(-1),
            Cutoff::By => Some(day),
        };
        let (y, last_month) = (window.end.year(), window.end.month());
        let due = match self {
            Rule::Once(r) => r.end,
            Rule::Ongoing => return None,
            Rule::Yearly(None) | Rule::Quarterly(None) | Rule::Monthly(None) => window.end,
            Rule::Yearly(Some((c, m, d))) => cut(c, Date::new(y, m, d)?)?,
            Rule::Quarterly(Some((c, d))) | Rule::Monthly(Some((c, d))) => cut(c, Date::new(y, last_month, d)?)?,
        };
        Some(Occurrence { window, due })
    }

    /// The occurrence that matters on `as_of`: the one whose window contains it, kept within
    /// `within` (the plan's period) when given. `None` for an ongoing rule.
    pub fn occurrence_at(self, as_of: Date, within: Option<DateRange>) -> Option<Occurrence> {
        if let Rule::Once(r) = self {
            return self.occurrence_in(r);
        }
        let d = match within {
            Some(w) if as_of > w.end => w.end,
            Some(w) if as_of < w.start => w.start,
            _ => as_of,
        };
        self.occurrence_in(self.window_of(d)?)
    }

    /// The first occurrence due on or after `as_of`, within `within` when given; `None` when
    /// there is none (an ongoing rule, a date already past, or the period is over).
    pub fn next_due(self, as_of: Date, within: Option<DateRange>) -> Option<Occurrence> {
        let mut d = match within {
            Some(w) if as_of < w.start => w.start,
            _ => as_of,
        };
        // A few windows ahead are enough: each window has one occurrence.
        for _ in 0..3 {
            let occ = self.occurrence_in(self.window_of(d)?)?;
            if within.is_some_and(|w| occ.due > w.end) {
                return None;
            }
            if occ.due >= as_of {
                return Some(occ);
            }
            if !self.is_recurring() {
                return None;
            }
            d = occ.window.end.add_days(1)?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::{DayOfMonth, MonthDay};
    use crate::syntax::written_dates::date_vi;

    fn d(y: u32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }
    fn lit(kind: DateKind) -> DateLit {
        DateLit { kind, span: Span::default(), vietnamese: false }
    }
    fn dl(kind: DeadlineKind) -> Deadline {
        Deadline { kind, span: Span::default() }
    }
    fn range(a: Date, b: Date) -> DateRange {
        DateRange { start: a, end: b }
    }

    #[test]
    fn written_dates_cover_their_days() {
        assert_eq!(date_range(&lit(DateKind::Year(2024))), Ok(range(d(2024, 1, 1), d(2024, 12, 31))));
        assert_eq!(date_range(&lit(DateKind::Month(2024, 2))), Ok(range(d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(date_range(&lit(DateKind::Month(2023, 2))), Ok(range(d(2023, 2, 1), d(2023, 2, 28))));
        assert_eq!(date_range(&lit(DateKind::Quarter(2022, 4))), Ok(range(d(2022, 10, 1), d(2022, 12, 31))));
        assert_eq!(date_range(&lit(DateKind::Quarter(2024, 1))), Ok(range(d(2024, 1, 1), d(2024, 3, 31))));
        assert_eq!(date_range(&lit(DateKind::Day(2022, 10, 15))), Ok(range(d(2022, 10, 15), d(2022, 10, 15))));
        assert!(date_range(&lit(DateKind::Month(2022, 13))).is_err());
        assert!(date_range(&lit(DateKind::Quarter(2022, 5))).unwrap_err().to_string().contains("quarter 5"));
        assert!(date_range(&lit(DateKind::Day(2022, 2, 30))).unwrap_err().to_string().contains("28 days"));
        assert!(date_range(&lit(DateKind::Year(0))).is_err());
        assert_eq!(date_vi(&lit(DateKind::Quarter(2022, 4))), "Quý IV/2022");
        assert_eq!(date_vi(&lit(DateKind::Month(2022, 9))), "Tháng 09/2022");
    }

    #[test]
    fn recurring_occurrences() {
        let within = Some(range(d(2022, 1, 1), d(2022, 12, 31)));
        let q25 = Rule::Quarterly(Some((Cutoff::Before, 25)));
        // "trước ngày 25 tháng cuối quý": the 24th of March, June, September, December.
        assert_eq!(q25.next_due(d(2022, 5, 27), within).map(|o| o.due), Some(d(2022, 6, 24)));
        assert_eq!(q25.next_due(d(2022, 6, 24), within).map(|o| o.due), Some(d(2022, 6, 24)));
        assert_eq!(q25.next_due(d(2022, 6, 25), within).map(|o| o.due), Some(d(2022, 9, 24)));
        assert_eq!(q25.next_due(d(2022, 12, 25), within), None);
        assert_eq!(q25.next_due(d(2022, 12, 25), None).map(|o| o.due), Some(d(2023, 3, 24)));
        let y1220 = Rule::Yearly(Some((Cutoff::Before, 12, 20)));
        assert_eq!(y1220.next_due(d(2022, 9, 1), within).map(|o| o.due), Some(d(2022, 12, 19)));
        let by = Rule::Yearly(Some((Cutoff::By, 12, 20)));
        assert_eq!(by.next_due(d(2022, 9, 1), within).map(|o| o.due), Some(d(2022, 12, 20)));
        // "before day 1" is the last day of the month before.
        let m1 = Rule::Monthly(Some((Cutoff::Before, 1)));
        assert_eq!(m1.next_due(d(2024, 3, 1), None).map(|o| o.due), Some(d(2024, 3, 31)));
        assert_eq!(Rule::Quarterly(None).occurrence_at(d(2024, 5, 27), None).map(|o| o.due), Some(d(2024, 6, 30)));
        assert_eq!(Rule::Yearly(None).occurrence_at(d(2025, 3, 1), within).map(|o| o.due), Some(d(2022, 12, 31)));
        assert_eq!(Rule::Ongoing.occurrence_at(d(2025, 3, 1), within), None);
        assert_eq!(Rule::Ongoing.next_due(d(2025, 3, 1), within), None);
        let once = Rule::Once(range(d(2022, 10, 1), d(2022, 10, 31)));
        assert_eq!(once.next_due(d(2022, 10, 31), None).map(|o| o.due), Some(d(2022, 10, 31)));
        assert_eq!(once.next_due(d(2022, 11, 1), None), None);
    }

    #[test]
    fn impossible_recurring_days() {
        let yearly = |m, day| {
            dl(DeadlineKind::Yearly(Some((Cutoff::Before, MonthDay { month: m, day, span: Span::default() }))))
        };
        assert!(Rule::of(&yearly(12, 20)).is_ok());
        assert!(Rule::of(&yearly(2, 29)).unwrap_err().1.to_string().contains("leap years"));
        assert!(Rule::of(&yearly(13, 1)).is_err());
        assert!(Rule::of(&yearly(4, 31)).unwrap_err().1.to_string().contains("April has 30 days"));
        let dom = |day| DayOfMonth { day, span: Span::default() };
        assert!(Rule::of(&dl(DeadlineKind::Quarterly(Some((Cutoff::Before, dom(30)))))).is_ok());
        assert!(Rule::of(&dl(DeadlineKind::Quarterly(Some((Cutoff::Before, dom(31)))))).is_err());
        assert!(Rule::of(&dl(DeadlineKind::Monthly(Some((Cutoff::By, dom(29)))))).is_err());
        assert!(Rule::of(&dl(DeadlineKind::Monthly(Some((Cutoff::By, dom(0)))))).is_err());
    }
}
