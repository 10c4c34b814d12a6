//! One reported value, from its raw form to a typed [`Value`]: the rules shared by scoring data
//! (`data::load`) and plan data (`plan::data::load`), so that `eval` and `status` read a cell the
//! same way.
//!
//! Input: the raw cell (text in the data's locale, a locale-free number, an Excel percent, a
//! boolean), the input's declared type and the data locale, which may be unstated. Output: the
//! value, or why the cell is refused (a message that ends with how to fix it). Invariants: no
//! number is ever guessed. A text number whose reading depends on the locale (`5,410`, `20.659`)
//! is refused while the locale is unstated; a bare number for a percent is refused (`80` could
//! mean 80 % or 8,000 %); a value below 0 for a type whose domain starts at 0 is refused.

use std::borrow::Cow;

use crate::diag::message::{BadValue, Cell, Unit};
pub(crate) use crate::nfc::nfc;
use crate::num::{Locale, Num, NumError};
use crate::sema::Ty;
use crate::sema::Value;

/// The raw form of a reported value before conversion.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Raw<'v> {
    /// Text as written in a CSV cell, a JSON string or an Excel text cell: numbers in it are read
    /// in the data's locale.
    Text(&'v str),
    /// A typed number (a JSON number, an Excel number cell), written with `.` decimals whatever
    /// the locale.
    Number(&'v str),
    /// An Excel number cell shown as a percent: the stored ratio (`0.8` for 80 %).
    Ratio(&'v str),
    /// `true` / `false`.
    Bool(bool),
}

impl Raw<'_> {
    /// The value as shown in messages.
    /// Long values are cut (`diag::excerpt`): one 30 MB cell must not become 30 MB of message.
    pub(crate) fn shown(&self) -> Cell {
        let cut = |t: &str| crate::diag::excerpt(t, crate::diag::EXCERPT_CHARS).into_owned();
        match self {
            Raw::Text(t) | Raw::Number(t) => Cell::Text(cut(t)),
            Raw::Ratio(t) => Cell::Ratio(cut(t)),
            Raw::Bool(b) => Cell::Bool(*b),
        }
    }
    /// The value as text, for text inputs.
    pub(crate) fn text(&self) -> String {
        match self {
            Raw::Text(t) | Raw::Number(t) | Raw::Ratio(t) => (*t).to_string(),
            Raw::Bool(b) => b.to_string(),
        }
    }
}

/// Whether a cell marks its value as not reported (`N/A`, `-`): it is read as missing, never as 0.
pub(crate) fn is_not_reported_mark(t: &str) -> bool {
    // Most cells are numbers: no mark starts with a digit.
    if t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let t = t.trim();
    matches!(t, "-" | "–" | "—") || t.eq_ignore_ascii_case("n/a") || t.eq_ignore_ascii_case("na")
}

/// Reads a number written as text in a data file. With a stated locale, only that locale's form
/// is accepted. Unstated, a text that reads the same in both (or is a number in only one of
/// them, like `6,03` or `6.5`) is accepted, and one that reads differently (`5,410`: 5.41 or
/// 5410) is refused.
pub(crate) fn read_number(text: &str, locale: Option<Locale>) -> Result<Num, BadValue> {
    // Plain digits read the same in every locale: most cells of a large file.
    if let Some(n) = plain_integer(text) {
        return Ok(Num::from_i64(n));
    }
    let too_long = || BadValue::TooManyDigits { max: crate::num::MAX_DIGITS };
    match locale {
        Some(l) => Num::parse_data(text, l).map_err(|e| match e {
            NumError::TooLong => too_long(),
            NumError::Invalid if l == Locale::En => BadValue::ExpectedNumberEn,
            NumError::Invalid => BadValue::ExpectedNumberVi,
        }),
        None => match (Num::parse_data(text, Locale::En), Num::parse_data(text, Locale::Vi)) {
            (Ok(en), Ok(vi)) if en == vi => Ok(en),
            (Ok(en), Ok(vi)) => Err(BadValue::Ambiguous { vi: Box::new(vi), en: Box::new(en) }),
            (Ok(n), Err(_)) | (Err(_), Ok(n)) => Ok(n),
            (Err(NumError::TooLong), _) | (_, Err(NumError::TooLong)) => Err(too_long()),
            (Err(_), Err(_)) => Err(BadValue::ExpectedNumberEither),
        },
    }
}

/// `text` as a whole number when it is 1 to 18 ASCII digits and nothing else (no sign, space or
/// separator), which every reader of numbers reads the same way.
pub(crate) fn plain_integer(text: &str) -> Option<i64> {
    plain_integer_bytes(text.as_bytes())
}

/// [`plain_integer`] of a cell's bytes.
#[inline]
pub(crate) fn plain_integer_bytes(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut n = 0i64;
    for d in b {
        let digit = d.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + i64::from(digit);
    }
    Some(n)
}

/// A typed number (JSON number, Excel number cell): `.` decimals, possibly with an exponent.
fn read_typed_number(text: &str) -> Result<Num, BadValue> {
    if let Some(n) = plain_integer(text) {
        return Ok(Num::from_i64(n));
    }
    Num::parse_data(text, Locale::En).or_else(|_| parse_exponent(text)).map_err(|e| match e {
        NumError::TooLong => BadValue::TooManyDigits { max: crate::num::MAX_DIGITS },
        NumError::Invalid => BadValue::ExpectedNumber,
    })
}

/// Converts a raw value to its input's type. `floor` is the input's declared `at_least`, which
/// may let a percent, money or points input go below 0.
pub(crate) fn convert(ty: &Ty, raw: &Raw<'_>, locale: Option<Locale>, floor: Option<&Num>) -> Result<Value, BadValue> {
    let number = |raw: &Raw<'_>| -> Result<Num, BadValue> {
        match raw {
            Raw::Number(n) | Raw::Ratio(n) => read_typed_number(n),
            Raw::Text(t) => read_number(t, locale),
            Raw::Bool(_) => Err(BadValue::ExpectedNumber),
        }
    };
    // The checker's proofs take percent, money and points to be ≥ 0 unless `at_least` says
    // otherwise, so a value below 0 would be scored outside the domain the rules were checked for.
    let non_negative = |n: Num, what: Unit| -> Result<Value, BadValue> {
        // A declared `at_least` is checked with the other bounds, by the caller.
        if n.is_negative() && floor.is_none() {
            return Err(BadValue::BelowZero { what });
        }
        Ok(Value::Num(n))
    };
    match ty {
        Ty::Count => {
            let n = number(raw)?;
            if !n.is_integer() || n.is_negative() {
                return Err(BadValue::CountWhole);
            }
            Ok(Value::Num(n))
        }
        Ty::Percent => {
            let n = match raw {
                Raw::Text(t) if t.trim_end().ends_with('%') => number(raw)?,
                Raw::Ratio(_) => number(raw)?,
                Raw::Text(t) | Raw::Number(t) => {
                    let n = number(raw)?;
                    // 0 reads the same as a ratio or as a number of percent.
                    if !n.is_zero() {
                        let ratio = (n.abs() < Num::one()).then(|| n.mul(&Num::from_i64(100)));
                        return Err(BadValue::PercentSign { text: t.trim().to_string(), ratio });
                    }
                    n
                }
                Raw::Bool(_) => return Err(BadValue::ExpectedPercent),
            };
            non_negative(n, Unit::Percent)
        }
        Ty::Money => non_negative(number(raw)?, Unit::Money),
        Ty::Points => non_negative(number(raw)?, Unit::Points),
        Ty::Number | Ty::Error => Ok(Value::Num(number(raw)?)),
        Ty::Bool => match raw {
            Raw::Bool(b) => Ok(Value::Bool(*b)),
            Raw::Text(t) | Raw::Number(t) | Raw::Ratio(t) => {
                let word = t.trim();
                // ASCII words without a lowercase copy (a yes/no column is many cells).
                let lower =
                    if word.is_ascii() { Cow::Borrowed(word) } else { Cow::Owned(crate::case::lowercase(&nfc(word))) };
                let is = |w: &str| lower.eq_ignore_ascii_case(w);
                if ["true", "yes", "có", "co", "1", "x"].into_iter().any(is) {
                    Ok(Value::Bool(true))
                } else if ["false", "no", "không", "khong", "0"].into_iter().any(is) {
                    Ok(Value::Bool(false))
                } else {
                    Err(BadValue::ExpectedYesNo)
                }
            }
        },
        Ty::Choice(options) => {
            let t = match raw {
                Raw::Text(t) | Raw::Number(t) | Raw::Ratio(t) => nfc(t.trim()),
                Raw::Bool(b) => Cow::Owned(b.to_string()),
            };
            match options.iter().find(|o| **o == *t) {
                Some(o) => Ok(Value::Choice(o.clone())),
                None => Err(BadValue::ExpectedOneOf { options: options.clone() }),
            }
        }
        Ty::Text | Ty::Date => Ok(Value::Text(raw.text())),
    }
}

/// JSON numbers such as `1e3` or `2.5E-2`, exactly.
fn parse_exponent(text: &str) -> Result<Num, NumError> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exp) = lower.split_once('e').ok_or(NumError::Invalid)?;
    let m = Num::parse_decimal(mantissa)?;
    let e: i32 = exp.parse().map_err(|_| NumError::Invalid)?;
    if e.unsigned_abs() as usize > crate::num::MAX_DIGITS {
        return Err(NumError::TooLong);
    }
    let ten = Num::from_i64(10);
    let mut scale = Num::one();
    for _ in 0..e.unsigned_abs() {
        scale = scale.mul(&ten);
    }
    if e >= 0 {
        Ok(m.mul(&scale))
    } else {
        m.div_exact(&scale).ok_or(NumError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse_decimal(s).unwrap()
    }

    #[test]
    fn shortcuts_read_as_the_general_readers_do() {
        // Plain digits: the general reader's number in both locales; anything else is left to it.
        for t in ["0", "7", "007", "1981500", "999999999999999999"] {
            let general = Num::parse_data(t, Locale::En).unwrap();
            assert_eq!(plain_integer(t).map(Num::from_i64), Some(general.clone()), "{t}");
            assert_eq!(Num::parse_data(t, Locale::Vi).unwrap(), general);
        }
        for t in ["", " 7", "7 ", "-7", "+7", "7.5", "20.659", "6,03", "1e3", "٣", "1000000000000000000"] {
            assert_eq!(plain_integer(t), None, "{t:?}");
        }
        // Yes/no words in any case, with or without Vietnamese marks, composed or not.
        let yes_no = |t: &str| convert(&Ty::Bool, &Raw::Text(t), None, None);
        for t in ["có", "CÓ", "Co\u{301}", "yes", "YES", "x", "X", "1", "True"] {
            assert_eq!(yes_no(t), Ok(Value::Bool(true)), "{t}");
        }
        for t in ["không", "KHÔNG", "Khong", "no", "0", "FALSE"] {
            assert_eq!(yes_no(t), Ok(Value::Bool(false)), "{t}");
        }
        for t in ["có thể", "y", "2", "coo"] {
            assert!(yes_no(t).is_err(), "{t}");
        }
    }

    #[test]
    fn unstated_locale_refuses_only_what_depends_on_it() {
        assert_eq!(read_number("6,03", None).unwrap(), n("6.03"));
        assert_eq!(read_number("6.5", None).unwrap(), n("6.5"));
        assert_eq!(read_number("1.234.567", None).unwrap(), n("1234567"));
        assert_eq!(read_number("1,234,567", None).unwrap(), n("1234567"));
        assert_eq!(read_number("12", None).unwrap(), n("12"));
        let e = read_number("5,410", None).unwrap_err().to_string();
        assert!(e.contains("5,41") && e.contains("5410") && e.contains("locale vi"), "{e}");
        assert!(read_number("20.659", None).unwrap_err().to_string().contains("20659"));
        assert_eq!(read_number("5,410", Some(Locale::Vi)).unwrap(), n("5.41"));
        assert_eq!(read_number("5,410", Some(Locale::En)).unwrap(), n("5410"));
    }

    #[test]
    fn percent_needs_its_sign() {
        let p = |raw: Raw<'_>| convert(&Ty::Percent, &raw, Some(Locale::En), None);
        assert!(p(Raw::Text("80")).unwrap_err().to_string().contains("write the percent sign"));
        assert!(p(Raw::Text("0.8")).unwrap_err().to_string().contains("`80%` if `0.8` is a ratio, or `0.8%`"));
        assert!(p(Raw::Number("80")).unwrap_err().to_string().contains("write the percent sign"));
        assert_eq!(p(Raw::Text("80%")).unwrap(), Value::Num(n("0.8")));
        assert_eq!(p(Raw::Ratio("0.8")).unwrap(), Value::Num(n("0.8")));
        assert_eq!(p(Raw::Text("0")).unwrap(), Value::Num(Num::zero()));
        assert!(p(Raw::Text("-5%")).unwrap_err().to_string().contains("below 0"));
        let floor = n("-1");
        assert!(convert(&Ty::Money, &Raw::Text("-1"), None, None).unwrap_err().to_string().contains("below 0"));
        assert_eq!(convert(&Ty::Percent, &Raw::Text("-5%"), None, Some(&floor)).unwrap(), Value::Num(n("-0.05")));
    }

    #[test]
    fn yes_no_and_choices_are_compared_in_nfc() {
        let decomposed = "co\u{301}";
        assert_eq!(convert(&Ty::Bool, &Raw::Text(decomposed), None, None).unwrap(), Value::Bool(true));
        let options = Ty::Choice(vec!["phó".into()]);
        assert_eq!(convert(&options, &Raw::Text("pho\u{301}"), None, None).unwrap(), Value::Choice("phó".into()));
    }
}
