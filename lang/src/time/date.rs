//! Civil dates of the proleptic Gregorian calendar: validity, leap years, day arithmetic.
//!
//! A small pure replacement for a date library: a [`Date`] is a valid year-month-day between the
//! years 1 and 9999, ordered chronologically. Day arithmetic goes through a day count (days since
//! 1970-01-01, Howard Hinnant's `days_from_civil`), so "days between" and "add days" are exact.
//! There is no clock: the date a plan is evaluated at is always passed in.

use std::fmt;

use crate::diag::message::{BadDate, Ymd};

/// A valid calendar date. Field order makes the derived ordering chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Whether `year` is a leap year in the Gregorian calendar.
pub fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days of `month` (1–12) in `year`; 0 for a month that does not exist.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why three numbers are not a date: `February 2023 has 28 days`.
pub fn why_invalid(year: u32, month: u32, day: u32) -> Option<BadDate> {
    if !(1..=9999).contains(&year) {
        return Some(BadDate::YearOutOfRange { year });
    }
    if !(1..=12).contains(&month) {
        return Some(BadDate::NoMonth { month });
    }
    let n = days_in_month(year, month);
    if day == 0 || day > n {
        return Some(BadDate::MonthOfYearDays { month, year, days: n, leap: month == 2 && day == 29 });
    }
    None
}

impl Date {
    /// The date, when it exists.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if why_invalid(year, month, day).is_some() {
            return None;
        }
        Some(Date { year: u16::try_from(year).ok()?, month: u8::try_from(month).ok()?, day: u8::try_from(day).ok()? })
    }

    /// The last day of a month.
    pub fn end_of_month(year: u32, month: u32) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }

    /// The year.
    pub fn year(self) -> u32 {
        u32::from(self.year)
    }
    /// The month, 1–12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }
    /// The day of the month.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }
    /// The quarter, 1–4.
    pub fn quarter(self) -> u32 {
        (self.month() - 1) / 3 + 1
    }

    /// Days since 1970-01-01 (negative before).
    pub fn day_number(self) -> i64 {
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day number, when it is within the years 1–9999.
    pub fn from_day_number(n: i64) -> Option<Date> {
        let z = n + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(u32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
    }

    /// The date `n` days later (earlier when `n` is negative), when it is within the years 1–9999.
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_day_number(self.day_number() + n)
    }

    /// Days from `self` to `other`: positive when `other` is later.
    pub fn days_until(self, other: Date) -> i64 {
        other.day_number() - self.day_number()
    }

    /// Parses a date as written in data: `2024-05-27` (ISO) or `27/5/2024` (the Vietnamese
    /// day/month/year). `Err` says why the text is not a date.
    pub fn parse(text: &str) -> Result<Date, BadDate> {
        let t = text.trim();
        let parts: Vec<&str>;
        let (y, m, d) = if t.contains('-') {
            parts = t.split('-').collect();
            match parts.as_slice() {
                [y, m, d] if y.len() == 4 => (*y, *m, *d),
                _ => return Err(BadDate::DateFormat),
            }
        } else if t.contains('/') {
            parts = t.split('/').collect();
            match parts.as_slice() {
                [d, m, y] if y.len() == 4 => (*y, *m, *d),
                _ => return Err(BadDate::DateFormat),
            }
        } else {
            return Err(BadDate::DateFormat);
        };
        let num = |s: &str, max_len: usize| -> Result<u32, BadDate> {
            if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BadDate::DateFormat);
            }
            s.parse::<u32>().map_err(|_| BadDate::DateFormat)
        };
        let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
        match why_invalid(y, m, d) {
            Some(why) => Err(BadDate::DayMissing { day: Ymd { year: y, month: m, day: d }, why: Box::new(why) }),
            None => Date::new(y, m, d).ok_or(BadDate::NotADate),
        }
    }

    /// The date as a message names it.
    pub fn ymd(self) -> Ymd {
        Ymd { year: u32::from(self.year), month: u32::from(self.month), day: u32::from(self.day) }
    }

    /// The date the Vietnamese way: `27/05/2024`.
    pub fn to_vi(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn leap_years() {
        assert!(is_leap(2024));
        assert!(!is_leap(2023));
        assert!(!is_leap(1900));
        assert!(is_leap(2000));
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert_eq!(why_invalid(2023, 2, 29).unwrap().to_string(), "February 2023 has 28 days (not a leap year)");
        assert_eq!(why_invalid(2022, 13, 1).unwrap().to_string(), "there is no month 13");
        assert_eq!(why_invalid(2022, 6, 31).unwrap().to_string(), "June 2022 has 30 days");
        assert!(Date::new(2022, 0, 1).is_none());
        assert!(Date::new(0, 1, 1).is_none());
        assert!(Date::new(10000, 1, 1).is_none());
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(d(1970, 1, 1).day_number(), 0);
        assert_eq!(d(2000, 3, 1).day_number(), 11_017);
        for n in [-719_162, -1, 0, 1, 11_016, 19_875, 2_932_896] {
            let date = Date::from_day_number(n).unwrap();
            assert_eq!(date.day_number(), n, "{date}");
        }
        assert!(Date::from_day_number(-719_163).is_none());
        assert!(Date::from_day_number(2_932_897).is_none());
    }

    #[test]
    fn arithmetic() {
        assert_eq!(d(2024, 2, 28).add_days(1), Some(d(2024, 2, 29)));
        assert_eq!(d(2023, 2, 28).add_days(1), Some(d(2023, 3, 1)));
        assert_eq!(d(2024, 12, 31).add_days(1), Some(d(2025, 1, 1)));
        assert_eq!(d(2024, 3, 1).add_days(-1), Some(d(2024, 2, 29)));
        assert_eq!(d(2024, 5, 27).days_until(d(2024, 6, 30)), 34);
        assert_eq!(d(2024, 1, 1).days_until(d(2025, 1, 1)), 366);
        assert_eq!(d(2023, 1, 1).days_until(d(2024, 1, 1)), 365);
        assert_eq!(d(2024, 4, 1).days_until(d(2024, 3, 31)), -1);
        assert_eq!(d(2024, 8, 15).quarter(), 3);
        assert_eq!(Date::end_of_month(2024, 2), Some(d(2024, 2, 29)));
    }

    #[test]
    fn parsing() {
        assert_eq!(Date::parse("2024-05-27"), Ok(d(2024, 5, 27)));
        assert_eq!(Date::parse(" 27/5/2024 "), Ok(d(2024, 5, 27)));
        assert_eq!(Date::parse("2024-5-7"), Ok(d(2024, 5, 7)));
        assert!(Date::parse("2024-02-30").unwrap_err().to_string().contains("February 2024 has 29 days"));
        assert!(Date::parse("31/04/2024").unwrap_err().to_string().contains("April 2024 has 30 days"));
        for bad in ["", "2024", "2024-05", "24-05-27", "2024/05/27", "abc", "2024-+5-27", "2024-005-01"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(d(2024, 5, 7).to_string(), "2024-05-07");
        assert_eq!(d(2024, 5, 7).to_vi(), "07/05/2024");
    }
}
