//! Big integers and rationals: the form of the numbers that leave `num.rs`'s `i128` fractions.
//!
//! Written here rather than taken from num-bigint: that crate's general-purpose algorithms
//! (Karatsuba and Toom-3 products, Lehmer's gcd, conversions in every radix) were 13 KB of the
//! gzipped browser module, for numbers Chiso meets only past 38 digits. Schoolbook products,
//! Knuth's long division and Euclid's gcd are enough at that size. The tests of `num.rs` compare
//! every operation with num-bigint's (a dev-dependency) on random and edge values.

use std::cmp::Ordering;
use std::fmt;

const BASE: u64 = 1 << 32;

/// A natural number: base-2^32 limbs, least significant first, no high zero limb (0 is empty).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub(super) struct Nat(Vec<u32>);

impl Nat {
    fn trimmed(mut limbs: Vec<u32>) -> Nat {
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        Nat(limbs)
    }

    pub(super) fn from_u128(mut x: u128) -> Nat {
        let mut limbs = Vec::new();
        while x > 0 {
            limbs.push(x as u32);
            x >>= 32;
        }
        Nat(limbs)
    }

    pub(super) fn to_u128(&self) -> Option<u128> {
        if self.0.len() > 4 {
            return None;
        }
        Some(self.0.iter().rev().fold(0u128, |acc, l| (acc << 32) | u128::from(*l)))
    }

    pub(super) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn is_one(&self) -> bool {
        self.0 == [1]
    }

    /// The number of significant bits.
    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(top) => self.0.len() as u64 * 32 - u64::from(top.leading_zeros()),
        }
    }

    pub(super) fn trailing_zeros(&self) -> u64 {
        let mut zeros = 0;
        for l in &self.0 {
            if *l != 0 {
                return zeros + u64::from(l.trailing_zeros());
            }
            zeros += 32;
        }
        zeros
    }

    pub(super) fn add(&self, other: &Nat) -> Nat {
        let (long, short) = if self.0.len() >= other.0.len() { (&self.0, &other.0) } else { (&other.0, &self.0) };
        let mut out = Vec::with_capacity(long.len() + 1);
        let mut carry = 0u64;
        for (i, l) in long.iter().enumerate() {
            let s = u64::from(*l) + u64::from(short.get(i).copied().unwrap_or(0)) + carry;
            out.push(s as u32);
            carry = s >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Nat(out)
    }

    /// `self - other`, for `self >= other`.
    fn sub(&self, other: &Nat) -> Nat {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, l) in self.0.iter().enumerate() {
            let d = i64::from(*l) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            out.push(d as u32);
            borrow = i64::from(d < 0);
        }
        Nat::trimmed(out)
    }

    pub(super) fn mul(&self, other: &Nat) -> Nat {
        if self.is_zero() || other.is_zero() {
            return Nat::default();
        }
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, x) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            // (2^32 - 1)^2 + 2 (2^32 - 1) = 2^64 - 1: the sum never leaves a u64.
            for (j, y) in other.0.iter().enumerate() {
                let t = u64::from(*x) * u64::from(*y) + u64::from(out[i + j]) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let t = u64::from(out[k]) + carry;
                out[k] = t as u32;
                carry = t >> 32;
                k += 1;
            }
        }
        Nat::trimmed(out)
    }

    /// `self * m + a`.
    fn mul_add_small(&self, m: u32, a: u32) -> Nat {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = u64::from(a);
        for l in &self.0 {
            let t = u64::from(*l) * u64::from(m) + carry;
            out.push(t as u32);
            carry = t >> 32;
        }
        out.push(carry as u32);
        Nat::trimmed(out)
    }

    /// Quotient and remainder by a non-zero `d`.
    pub(super) fn divrem_small(&self, d: u32) -> (Nat, u32) {
        let mut q = vec![0u32; self.0.len()];
        let mut rem = 0u64;
        for (i, l) in self.0.iter().enumerate().rev() {
            let cur = (rem << 32) | u64::from(*l);
            q[i] = (cur / u64::from(d)) as u32;
            rem = cur % u64::from(d);
        }
        (Nat::trimmed(q), rem as u32)
    }

    pub(super) fn shl(&self, bits: u64) -> Nat {
        if self.is_zero() {
            return Nat::default();
        }
        let (limbs, bits) = ((bits / 32) as usize, (bits % 32) as u32);
        let mut out = vec![0u32; limbs];
        if bits == 0 {
            out.extend_from_slice(&self.0);
        } else {
            let mut carry = 0u32;
            for l in &self.0 {
                out.push((l << bits) | carry);
                carry = l >> (32 - bits);
            }
            out.push(carry);
        }
        Nat::trimmed(out)
    }

    pub(super) fn shr(&self, bits: u64) -> Nat {
        let (limbs, bits) = ((bits / 32) as usize, (bits % 32) as u32);
        let Some(rest) = self.0.get(limbs..) else { return Nat::default() };
        if bits == 0 {
            return Nat(rest.to_vec());
        }
        let out = (0..rest.len())
            .map(|i| (rest[i] >> bits) | rest.get(i + 1).map_or(0, |next| next << (32 - bits)))
            .collect();
        Nat::trimmed(out)
    }

    /// Quotient and remainder by a non-zero `d`: Knuth's algorithm D (as in Hacker's Delight,
    /// `divmnu`), with 32-bit digits.
    pub(super) fn divrem(&self, d: &Nat) -> (Nat, Nat) {
        match d.0.len() {
            0 => return (Nat::default(), self.clone()),
            1 => {
                let (q, r) = self.divrem_small(d.0[0]);
                return (q, Nat::from_u128(u128::from(r)));
            }
            _ => {}
        }
        if self.cmp(d) == Ordering::Less {
            return (Nat::default(), self.clone());
        }
        // Normalise: the divisor's top digit gets its high bit set, so that each estimated
        // quotient digit is at most 2 too large.
        let s = u64::from(d.0[d.0.len() - 1].leading_zeros());
        let v = d.shl(s).0;
        let mut u = self.shl(s).0;
        u.resize(self.0.len() + 1, 0);
        let n = v.len();
        let m = self.0.len();
        let mut q = vec![0u32; m - n + 1];
        let (top, next) = (u64::from(v[n - 1]), u64::from(v[n - 2]));
        for j in (0..=m - n).rev() {
            let num = (u64::from(u[j + n]) << 32) | u64::from(u[j + n - 1]);
            let mut qhat = num / top;
            let mut rhat = num % top;
            while qhat >= BASE || qhat * next > ((rhat << 32) | u64::from(u[j + n - 2])) {
                qhat -= 1;
                rhat += top;
                if rhat >= BASE {
                    break;
                }
            }
            // u[j..=j+n] -= qhat * v
            let mut k = 0i64;
            for i in 0..n {
                let p = qhat * u64::from(v[i]);
                let t = i64::from(u[i + j]) - k - (p & 0xFFFF_FFFF) as i64;
                u[i + j] = t as u32;
                k = (p >> 32) as i64 - (t >> 32);
            }
            let t = i64::from(u[j + n]) - k;
            u[j + n] = t as u32;
            if t < 0 {
                // qhat was one too large: add v back.
                qhat -= 1;
                let mut carry = 0u64;
                for i in 0..n {
                    let t = u64::from(u[i + j]) + u64::from(v[i]) + carry;
                    u[i + j] = t as u32;
                    carry = t >> 32;
                }
                u[j + n] = u[j + n].wrapping_add(carry as u32);
            }
            q[j] = qhat as u32;
        }
        u.truncate(n);
        (Nat::trimmed(q), Nat::trimmed(u).shr(s))
    }

    pub(super) fn gcd(&self, other: &Nat) -> Nat {
        let (mut a, mut b) = (self.clone(), other.clone());
        while !b.is_zero() {
            let r = a.divrem(&b).1;
            a = b;
            b = r;
        }
        a
    }

    /// `10^k`.
    pub(super) fn pow10(k: u32) -> Nat {
        let mut out = Nat::from_u128(1);
        let mut left = k;
        while left > 0 {
            let step = left.min(9);
            out = out.mul_add_small(10u32.pow(step), 0);
            left -= step;
        }
        out
    }

    /// Decimal digits (at least one).
    pub(super) fn parse(digits: &str) -> Option<Nat> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(digits.bytes().fold(Nat::default(), |acc, b| acc.mul_add_small(10, u32::from(b - b'0'))))
    }
}

impl fmt::Debug for Nat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Ord for Nat {
    fn cmp(&self, other: &Nat) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Nat {
    fn partial_cmp(&self, other: &Nat) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Nat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        // Nine digits at a time, least significant first.
        let mut chunks = Vec::new();
        let mut rest = self.clone();
        while !rest.is_zero() {
            let (q, r) = rest.divrem_small(1_000_000_000);
            chunks.push(r);
            rest = q;
        }
        let mut chunks = chunks.iter().rev();
        if let Some(first) = chunks.next() {
            write!(f, "{first}")?;
        }
        chunks.try_for_each(|c| write!(f, "{c:09}"))
    }
}

/// An integer: a sign and a magnitude (0 is never negative).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub(super) struct Int {
    neg: bool,
    mag: Nat,
}

impl Int {
    pub(super) fn new(neg: bool, mag: Nat) -> Int {
        Int { neg: neg && !mag.is_zero(), mag }
    }

    pub(super) fn from_i128(x: i128) -> Int {
        Int::new(x < 0, Nat::from_u128(x.unsigned_abs()))
    }

    pub(super) fn to_i128(&self) -> Option<i128> {
        let m = self.mag.to_u128()?;
        if self.neg {
            0i128.checked_sub_unsigned(m)
        } else {
            i128::try_from(m).ok()
        }
    }

    pub(super) fn is_negative(&self) -> bool {
        self.neg
    }

    pub(super) fn is_zero(&self) -> bool {
        self.mag.is_zero()
    }

    pub(super) fn magnitude(&self) -> &Nat {
        &self.mag
    }

    pub(super) fn neg(&self) -> Int {
        Int::new(!self.neg, self.mag.clone())
    }

    pub(super) fn add(&self, other: &Int) -> Int {
        if self.neg == other.neg {
            return Int::new(self.neg, self.mag.add(&other.mag));
        }
        match self.mag.cmp(&other.mag) {
            Ordering::Less => Int::new(other.neg, other.mag.sub(&self.mag)),
            _ => Int::new(self.neg, self.mag.sub(&other.mag)),
        }
    }

    pub(super) fn mul(&self, other: &Int) -> Int {
        Int::new(self.neg != other.neg, self.mag.mul(&other.mag))
    }

    pub(super) fn mul_nat(&self, other: &Nat) -> Int {
        Int::new(self.neg, self.mag.mul(other))
    }
}

impl Ord for Int {
    fn cmp(&self, other: &Int) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.mag.cmp(&other.mag),
            (true, true) => other.mag.cmp(&self.mag),
        }
    }
}

impl PartialOrd for Int {
    fn partial_cmp(&self, other: &Int) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.neg {
            f.write_str("-")?;
        }
        write!(f, "{}", self.mag)
    }
}

/// A rational `num / den` in lowest terms with `den > 0`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Rat {
    num: Int,
    den: Nat,
}

impl Rat {
    /// `num / den` reduced; `den` must not be zero.
    pub(super) fn new(num: Int, den: Nat) -> Rat {
        let g = num.mag.gcd(&den);
        if g.is_one() || g.is_zero() {
            return Rat { num, den };
        }
        Rat { num: Int::new(num.neg, num.mag.divrem(&g).0), den: den.divrem(&g).0 }
    }

    /// `num / den` already in lowest terms with `den > 0`.
    pub(super) fn from_reduced(num: Int, den: Nat) -> Rat {
        Rat { num, den }
    }

    pub(super) fn numer(&self) -> &Int {
        &self.num
    }

    pub(super) fn denom(&self) -> &Nat {
        &self.den
    }

    pub(super) fn is_integer(&self) -> bool {
        self.den.is_one()
    }

    pub(super) fn neg(&self) -> Rat {
        Rat { num: self.num.neg(), den: self.den.clone() }
    }

    pub(super) fn add(&self, other: &Rat) -> Rat {
        if self.den == other.den {
            return Rat::new(self.num.add(&other.num), self.den.clone());
        }
        Rat::new(self.num.mul_nat(&other.den).add(&other.num.mul_nat(&self.den)), self.den.mul(&other.den))
    }

    pub(super) fn mul(&self, other: &Rat) -> Rat {
        Rat::new(self.num.mul(&other.num), self.den.mul(&other.den))
    }

    /// `self / other`, `other` not zero.
    pub(super) fn div(&self, other: &Rat) -> Rat {
        let num = Int::new(self.num.neg != other.num.neg, self.num.mag.mul(&other.den));
        Rat::new(num, self.den.mul(&other.num.mag))
    }

    /// The nearest double (ties to even; an infinity past the range).
    pub(super) fn to_f64(&self) -> f64 {
        if self.num.is_zero() {
            return 0.0;
        }
        // q = floor(|num| 2^k / den) has 65 or 66 bits; its top 64, with a sticky low bit for
        // whatever was cut off, round to 53 bits as the exact quotient does.
        let k = 65 - (self.num.mag.bits() as i64 - self.den.bits() as i64);
        let (a, b) = if k >= 0 {
            (self.num.mag.shl(k as u64), self.den.clone())
        } else {
            (self.num.mag.clone(), self.den.shl(k.unsigned_abs()))
        };
        let (q, r) = a.divrem(&b);
        let cut = q.bits().saturating_sub(64);
        let sticky = !r.is_zero() || q.trailing_zeros() < cut;
        let top = q.shr(cut).to_u128().unwrap_or(0) as u64 | u64::from(sticky);
        let x = scale_by_power_of_two(top as f64, cut as i64 - k);
        if self.num.neg {
            -x
        } else {
            x
        }
    }
}

/// `x * 2^e`, exactly while the result is a normal double.
fn scale_by_power_of_two(mut x: f64, mut e: i64) -> f64 {
    let power = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
    while e > 1000 {
        x *= power(1000);
        e -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1000 {
        x *= power(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * power(e)
}

impl Ord for Rat {
    fn cmp(&self, other: &Rat) -> Ordering {
        if self.num.neg != other.num.neg || self.num.is_zero() || other.num.is_zero() || self.den == other.den {
            return self.num.cmp(&other.num);
        }
        self.num.mul_nat(&other.den).cmp(&other.num.mul_nat(&self.den))
    }
}

impl PartialOrd for Rat {
    fn partial_cmp(&self, other: &Rat) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Rat {
    /// As num-rational showed it: `Ratio { numer: 1, denom: 3 }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ratio {{ numer: {}, denom: {} }}", self.num, self.den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long division against u128's, over dividends and divisors made of the limbs that drive
    /// Knuth's corrections (estimates one or two too large, the add-back step): 0, 1, and the
    /// values next to 2^31 and 2^32.
    #[test]
    fn long_division_agrees_with_u128_on_edge_limbs() {
        const LIMBS: [u32; 7] = [0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF];
        let value = |limbs: &[u32]| limbs.iter().rev().fold(0u128, |acc, l| (acc << 32) | u128::from(*l));
        let mut divisors = Vec::new();
        for a in LIMBS {
            for b in LIMBS {
                divisors.push(vec![a, b]);
                for c in LIMBS {
                    divisors.push(vec![a, b, c]);
                }
            }
        }
        for a in LIMBS {
            for b in LIMBS {
                for c in LIMBS {
                    for d in LIMBS {
                        let u = value(&[a, b, c, d]);
                        for v in &divisors {
                            let v = value(v);
                            if v == 0 {
                                continue;
                            }
                            let (q, r) = Nat::from_u128(u).divrem(&Nat::from_u128(v));
                            assert_eq!((q.to_u128(), r.to_u128()), (Some(u / v), Some(u % v)), "{u:#x} / {v:#x}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn texts_products_and_shifts() {
        let x = Nat::parse("340282366920938463463374607431768211457").unwrap(); // 2^128 + 1
        assert_eq!(x.to_string(), "340282366920938463463374607431768211457");
        assert_eq!(
            x.mul(&x).to_string(),
            "115792089237316195423570985008687907853950549399482440966384333222776666062849"
        );
        assert_eq!(Nat::pow10(20).to_string(), format!("1{}", "0".repeat(20)));
        assert_eq!(x.shl(70).shr(70), x);
        assert_eq!(Nat::from_u128(1).shl(200).trailing_zeros(), 200);
        assert_eq!(Int::from_i128(i128::MIN).to_i128(), Some(i128::MIN));
        assert_eq!(Int::new(false, x.clone()).to_i128(), None);
        assert_eq!(
            Rat::new(Int::from_i128(-6), Nat::from_u128(4)),
            Rat::from_reduced(Int::from_i128(-3), Nat::from_u128(2))
        );
        assert_eq!(Rat::new(Int::from_i128(1), x.clone()).to_f64(), 1.0 / 2f64.powi(128));
    }
}
