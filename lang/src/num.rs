//! Exact numbers: every value in Chiso is a rational number.
//!
//! Literals are written as decimals (`0.1`, `80%`), division is exact (`1/3 * 3 == 1`), and no
//! binary floating point is ever involved, so a reported 80.00% at a `>= 80%` threshold scores the
//! maximum. Rounding happens only where a rulebook asks for it (`round`) and when a number is shown.

use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest number of digits accepted in one literal or data value. Guards memory and time
/// against hostile input while leaving room far beyond any real budget or population figure.
pub const MAX_DIGITS: usize = 40;

/// An exact rational number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct Num(BigRational);

/// Why a piece of text is not a number.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NumError {
    /// The text is not a decimal number.
    Invalid,
    /// The number has more than [`MAX_DIGITS`] digits.
    TooLong,
}

/// How decimal numbers are written in a data file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Locale {
    /// `6.03`, `20659` or `20,659` (comma as thousands separator).
    #[default]
    En,
    /// Vietnamese: `6,03` (decimal comma) and `20.659` (dot as thousands separator).
    Vi,
}

impl Num {
    /// Zero.
    pub fn zero() -> Num {
        Num(BigRational::zero())
    }
    /// One.
    pub fn one() -> Num {
        Num(BigRational::one())
    }
    /// An integer.
    pub fn from_i64(n: i64) -> Num {
        Num(BigRational::from_integer(BigInt::from(n)))
    }
    /// The quotient `n / d` of two integers; `None` when `d` is zero.
    pub fn ratio(n: i64, d: i64) -> Option<Num> {
        if d == 0 {
            None
        } else {
            Some(Num(BigRational::new(BigInt::from(n), BigInt::from(d))))
        }
    }

    /// Parses a decimal literal as written in a rule file: `12`, `0.5`, `-3.25`, `1e3` is not
    /// accepted. The decimal point is `.`.
    pub fn parse_decimal(text: &str) -> Result<Num, NumError> {
        let (neg, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(NumError::Invalid);
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumError::Invalid);
        }
        if body.contains('.') && (int_part.is_empty() || frac_part.is_empty()) {
            return Err(NumError::Invalid);
        }
        if int_part.len() + frac_part.len() > MAX_DIGITS {
            return Err(NumError::TooLong);
        }
        let digits = format!("{int_part}{frac_part}");
        let n: BigInt = digits.parse().map_err(|_| NumError::Invalid)?;
        let d = BigInt::from(10u32).pow(frac_part.len() as u32);
        let r = BigRational::new(if neg { -n } else { n }, d);
        Ok(Num(r))
    }

    /// Parses a number as written in a data file in the given locale. Also accepts a trailing `%`
    /// (so `80%` is 0.8) and surrounding spaces.
    pub fn parse_data(text: &str, locale: Locale) -> Result<Num, NumError> {
        let t = text.trim();
        let (t, percent) = match t.strip_suffix('%') {
            Some(rest) => (rest.trim_end(), true),
            None => (t, false),
        };
        let normalized: String = match locale {
            Locale::En => {
                // A comma is a thousands separator only in groups of three: `20,659`.
                if t.contains(',') {
                    if !valid_grouping(t, ',', '.') {
                        return Err(NumError::Invalid);
                    }
                    t.replace(',', "")
                } else {
                    t.to_string()
                }
            }
            Locale::Vi => {
                if t.contains('.') && !valid_grouping(t, '.', ',') {
                    return Err(NumError::Invalid);
                }
                t.replace('.', "").replace(',', ".")
            }
        };
        let n = Num::parse_decimal(&normalized)?;
        Ok(if percent { n.div_exact(&Num::from_i64(100)).unwrap_or_default() } else { n })
    }

    /// Whether this number is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
    /// Whether this number is below zero.
    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }
    /// Whether this number is a whole number.
    pub fn is_integer(&self) -> bool {
        self.0.is_integer()
    }
    /// `self + other`.
    pub fn add(&self, other: &Num) -> Num {
        Num(&self.0 + &other.0)
    }
    /// `self - other`.
    pub fn sub(&self, other: &Num) -> Num {
        Num(&self.0 - &other.0)
    }
    /// `self * other`.
    pub fn mul(&self, other: &Num) -> Num {
        Num(&self.0 * &other.0)
    }
    /// `self / other`, or `None` when `other` is zero.
    pub fn div_exact(&self, other: &Num) -> Option<Num> {
        if other.0.is_zero() {
            None
        } else {
            Some(Num(&self.0 / &other.0))
        }
    }
    /// `-self`.
    pub fn neg(&self) -> Num {
        Num(-&self.0)
    }
    /// `|self|`.
    pub fn abs(&self) -> Num {
        Num(self.0.abs())
    }
    /// The smaller of two numbers.
    pub fn min_of(&self, other: &Num) -> Num {
        if self <= other {
            self.clone()
        } else {
            other.clone()
        }
    }
    /// The larger of two numbers.
    pub fn max_of(&self, other: &Num) -> Num {
        if self >= other {
            self.clone()
        } else {
            other.clone()
        }
    }

    /// Rounds to `digits` decimal places, halves away from zero (`2.345 → 2.35`, `-2.345 → -2.35`).
    pub fn round_to(&self, digits: u32) -> Num {
        let scale = BigInt::from(10u32).pow(digits);
        let scaled = &self.0 * BigRational::from_integer(scale.clone());
        let num = scaled.numer();
        let den = scaled.denom();
        let (q, r) = num.abs().div_rem(den);
        let twice_r: BigInt = r * 2;
        let q = if &twice_r >= den { q + 1 } else { q };
        let q = if num.is_negative() { -q } else { q };
        Num(BigRational::new(q, scale))
    }

    /// The number as a decimal string with at most `digits` decimal places (rounded half away from
    /// zero) and no trailing zeros: `0.5`, `6.03`, `10`.
    pub fn to_decimal_string(&self, digits: u32) -> String {
        let r = self.round_to(digits);
        let neg = r.0.is_negative();
        let scale = BigInt::from(10u32).pow(digits);
        let scaled = (r.0.abs() * BigRational::from_integer(scale.clone())).to_integer();
        let (int, frac) = scaled.div_rem(&scale);
        let mut frac_s = format!("{:0>width$}", frac.to_string(), width = digits as usize);
        while frac_s.ends_with('0') {
            frac_s.pop();
        }
        let sign = if neg && !(int.is_zero() && frac_s.is_empty()) { "-" } else { "" };
        if frac_s.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac_s}")
        }
    }

    /// The number with exactly `digits` decimal places, as a score is shown: `6.03`, `10.00`.
    pub fn to_fixed(&self, digits: u32) -> String {
        let s = self.to_decimal_string(digits);
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        format!("{int}.{frac:0<width$}", width = digits as usize)
    }

    /// The number shown the Vietnamese way: `6,03`.
    pub fn to_vi(&self, digits: u32) -> String {
        self.to_decimal_string(digits).replace('.', ",")
    }

    /// A conservative `i64` view, for counts and ranks.
    pub fn to_i64(&self) -> Option<i64> {
        if self.0.is_integer() {
            self.0.to_integer().to_i64()
        } else {
            None
        }
    }
}

fn valid_grouping(t: &str, group: char, decimal: char) -> bool {
    let body = t.strip_prefix('-').unwrap_or(t);
    let int_part = body.split(decimal).next().unwrap_or("");
    let mut groups = int_part.split(group);
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 {
        return false;
    }
    groups.all(|g| g.len() == 3)
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string(6))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse_decimal(s).unwrap()
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        assert!(n("0.1").add(&n("0.2")) >= n("0.3"));
        assert_eq!(n("0.1").add(&n("0.2")), n("0.3"));
        let third = Num::one().div_exact(&Num::from_i64(3)).unwrap();
        assert_eq!(third.mul(&Num::from_i64(3)), Num::one());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(n("2.345").to_decimal_string(2), "2.35");
        assert_eq!(n("-2.345").to_decimal_string(2), "-2.35");
        assert_eq!(n("2.344").to_fixed(2), "2.34");
        assert_eq!(n("10").to_fixed(2), "10.00");
        assert_eq!(Num::ratio(81, 84).unwrap().mul(&Num::from_i64(100)).to_fixed(2), "96.43");
    }

    #[test]
    fn data_locales() {
        assert_eq!(Num::parse_data("6,03", Locale::Vi).unwrap(), n("6.03"));
        assert_eq!(Num::parse_data("20.659", Locale::Vi).unwrap(), n("20659"));
        assert_eq!(Num::parse_data("1.234.567,5", Locale::Vi).unwrap(), n("1234567.5"));
        assert_eq!(Num::parse_data("20,659", Locale::En).unwrap(), n("20659"));
        assert_eq!(Num::parse_data("80%", Locale::En).unwrap(), n("0.8"));
        assert!(Num::parse_data("6,03", Locale::En).is_err());
        assert!(Num::parse_data("1.2.3", Locale::En).is_err());
        assert!(Num::parse_data("abc", Locale::Vi).is_err());
        assert_eq!(Num::parse_data(&"9".repeat(41), Locale::En), Err(NumError::TooLong));
    }
}
