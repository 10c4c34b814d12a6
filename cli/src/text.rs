//! Text shared by the renderers: the reader's language for labels, numbers the locale's way
//! (`6,03`, `20.659`, `96,43%`), and columns measured in display width, so that a decomposed
//! `ố` (three characters, one column) or a wide character keeps a table aligned.

use chiso::num::{Locale, Num};
use unicode_width::UnicodeWidthStr;

/// The language of labels (`TOTAL` / `TỔNG`) and of diagnostics. Names and titles from the
/// rulebook are shown as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Vi,
}

impl Lang {
    /// The language of the environment: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
    /// set and not empty, as the C library reads them; `vi…` is Vietnamese, anything else English.
    pub fn from_env() -> Lang {
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        Lang::from_locale_name(&var)
    }

    /// `vi`, `vi_VN.UTF-8`, … are Vietnamese; anything else is English.
    pub fn from_locale_name(name: &str) -> Lang {
        if name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("vi")) {
            Lang::Vi
        } else {
            Lang::En
        }
    }

    /// The same language for the library's diagnostics.
    pub fn diag(self) -> chiso::diag::Lang {
        match self {
            Lang::En => chiso::diag::Lang::En,
            Lang::Vi => chiso::diag::Lang::Vi,
        }
    }

    /// `en` or `vi`, whichever is this language.
    pub fn pick<'a>(self, en: &'a str, vi: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Vi => vi,
        }
    }
}

/// `s` (a plain decimal such as `-1234.5`) the locale's way: `-1.234,5` for `vi`.
fn localize(s: String, locale: Locale) -> String {
    match locale {
        Locale::En => s,
        // No decimal added: the decimals `s` has.
        Locale::Vi => fixed_decimal(&s, 0, locale),
    }
}

/// `digits` with `sep` between its thousands: `1.234.567`.
fn group_thousands(digits: &str, sep: char) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    grouped
}

/// A count as a reader of `lang` writes it in a sentence: `3,531` and `3.531`.
pub fn count(n: usize, lang: Lang) -> String {
    group_thousands(&n.to_string(), if lang == Lang::Vi { '.' } else { ',' })
}

/// A number with at most `digits` decimals, the locale's way (`6,03`, `20.659`).
pub fn number(n: &Num, digits: u32, locale: Locale) -> String {
    localize(n.to_decimal_string(digits), locale)
}

/// A number with exactly `digits` decimals, the locale's way (`10,00`).
pub fn fixed(n: &Num, digits: u32, locale: Locale) -> String {
    fixed_decimal(&n.to_decimal_string(digits), digits, locale)
}

/// A number already rounded to `digits` decimals and written as [`Num::to_decimal_string`]
/// writes it (`6.5`, as the float filter's scorecards hold it), with exactly `digits` decimals,
/// the locale's way: what [`fixed`] writes of the number it is the rounding of.
pub fn fixed_decimal(rounded: &str, digits: u32, locale: Locale) -> String {
    let (int, frac) = rounded.split_once('.').unwrap_or((rounded, ""));
    let zeros = (digits as usize).saturating_sub(frac.len());
    let mut out = String::with_capacity(rounded.len() + zeros + 8);
    match locale {
        Locale::En => out.push_str(int),
        Locale::Vi => {
            let (sign, body) = int.strip_prefix('-').map_or(("", int), |b| ("-", b));
            out.push_str(sign);
            out.push_str(&group_thousands(body, '.'));
        }
    }
    if !frac.is_empty() || zeros > 0 {
        out.push(match locale {
            Locale::En => '.',
            Locale::Vi => ',',
        });
    }
    out.push_str(frac);
    out.extend(std::iter::repeat_n('0', zeros));
    out
}

/// How many terminal columns `s` takes.
pub fn width(s: &str) -> usize {
    // Printable ASCII (ids, numbers) takes a column a byte: a table of a million units measures
    // tens of millions of such cells.
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return s.len();
    }
    UnicodeWidthStr::width(s)
}

/// `s` followed by spaces up to `w` columns.
pub fn pad_right(s: &str, w: usize) -> String {
    let mut out = String::new();
    push_pad_right(&mut out, s, w);
    out
}

/// Spaces up to `w` columns, then `s`.
pub fn pad_left(s: &str, w: usize) -> String {
    let mut out = String::new();
    push_pad_left(&mut out, s, w);
    out
}

/// [`pad_right`], appended to `out`.
pub fn push_pad_right(out: &mut String, s: &str, w: usize) {
    out.push_str(s);
    push_spaces(out, w.saturating_sub(width(s)));
}

/// [`pad_left`], appended to `out`.
pub fn push_pad_left(out: &mut String, s: &str, w: usize) {
    push_spaces(out, w.saturating_sub(width(s)));
    out.push_str(s);
}

fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(SPACES.get(..k).unwrap_or_default());
        n -= k;
    }
}

/// `s` cut to at most `w` columns, ending in `…` when cut.
pub fn cut(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// Titles cut to `w` columns so that no two different titles read the same: a title whose cut
/// would equal another's keeps its start and the part where it differs from the others,
/// `Người đứng đầu Tỉnh… là Trưởng ban Ban chỉ đạo…` and `Người đứng đầu Tỉnh… chủ trì, chỉ đạo…`
/// rather than the same first 58 columns twice.
pub fn distinct_cuts(titles: &[&str], w: usize) -> Vec<String> {
    let plain: Vec<String> = titles.iter().map(|t| cut(t, w)).collect();
    titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let clash = titles.iter().enumerate().any(|(j, o)| j != i && o != t && plain[j] == plain[i]);
            if !clash {
                return plain[i].clone();
            }
            // Where this title parts from the others it would be confused with.
            let chars: Vec<char> = t.chars().collect();
            let differs_at = titles
                .iter()
                .enumerate()
                .filter(|(j, o)| *j != i && *o != t && plain[*j] == plain[i])
                .map(|(_, o)| chars.iter().zip(o.chars()).take_while(|(a, b)| **a == *b).count())
                .max()
                .unwrap_or(0);
            // Its start, a `…`, then from a word or two before the difference on.
            let head_w = w / 3;
            let head = cut(t, head_w + 1);
            let head = head.trim_end_matches('…');
            // Whole words, unless the first word alone is longer.
            let head = head.rsplit_once(' ').map_or(head, |(words, _)| words).trim_end().to_string();
            let rest_w = w.saturating_sub(width(&head) + 2);
            let d = differs_at.min(chars.len());
            let word_start = |end: usize| chars[..end].iter().rposition(|c| *c == ' ').map_or(0, |sp| sp + 1);
            let mut from = word_start(word_start(d).saturating_sub(1));
            let to_difference: String = chars[from..(d + 1).min(chars.len())].iter().collect();
            if width(&to_difference) + 1 > rest_w {
                from = d.saturating_sub(rest_w / 2);
            }
            let tail = cut(&chars[from..].iter().collect::<String>(), rest_w);
            format!("{head} …{tail}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse_decimal(s).unwrap_or_default()
    }

    #[test]
    fn numbers_the_locale_way() {
        assert_eq!(fixed(&n("6.0285"), 2, Locale::Vi), "6,03");
        assert_eq!(fixed(&n("1234567.5"), 2, Locale::Vi), "1.234.567,50");
        assert_eq!(number(&n("20659"), 2, Locale::Vi), "20.659");
        assert_eq!(number(&n("-0.5"), 2, Locale::Vi), "-0,5");
        assert_eq!(fixed(&n("6.0285"), 2, Locale::En), "6.03");
        assert_eq!((count(3531, Lang::En), count(3531, Lang::Vi)), ("3,531".into(), "3.531".into()));
        assert_eq!((count(999, Lang::Vi), count(1_000_000, Lang::En)), ("999".into(), "1,000,000".into()));
        assert_eq!(fixed(&n("-1234.5"), 4, Locale::Vi), "-1.234,5000");
        assert_eq!(fixed(&n("-0.004"), 2, Locale::En), "0.00");
        assert_eq!(number(&n("1000000"), 6, Locale::Vi), "1.000.000");
        // A rounding written by the float filter reads as the number it rounds.
        for (rounded, digits, vi) in
            [("53.9", 2, "53,90"), ("1000", 2, "1.000,00"), ("0.5394", 4, "0,5394"), ("-7", 2, "-7,00")]
        {
            assert_eq!(fixed_decimal(rounded, digits, Locale::Vi), vi);
            assert_eq!(fixed_decimal(rounded, digits, Locale::Vi), fixed(&n(rounded), digits, Locale::Vi));
            assert_eq!(fixed_decimal(rounded, digits, Locale::En), fixed(&n(rounded), digits, Locale::En));
        }
        // Printable ASCII is measured a byte a column, anything else by its characters.
        assert_eq!((width("P01 ~x"), width("a\tb"), width("Tỉnh")), (6, 3, 4));
    }

    #[test]
    fn language_from_the_environment_names() {
        assert_eq!(Lang::from_locale_name("vi_VN.UTF-8"), Lang::Vi);
        assert_eq!(Lang::from_locale_name("vi"), Lang::Vi);
        assert_eq!(Lang::from_locale_name("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale_name("C"), Lang::En);
        assert_eq!(Lang::from_locale_name(""), Lang::En);
    }

    #[test]
    fn widths_are_columns() {
        // `ố` precomposed, and `o` + two combining marks: one column each.
        assert_eq!(width("phố"), 3);
        assert_eq!(width("pho\u{0302}\u{0301}"), 3);
        assert_eq!(pad_right("pho\u{0302}\u{0301}", 5), "pho\u{0302}\u{0301}  ");
        assert_eq!(cut("Tổ chức hội nghị", 8), "Tổ chức…");
    }

    #[test]
    fn cut_titles_never_read_the_same() {
        let a = "Người đứng đầu Tỉnh, thành phố (Bí thư hoặc Chủ tịch Tỉnh, thành phố) là Trưởng ban Ban chỉ đạo chuyển đổi số của Tỉnh";
        let b = "Người đứng đầu Tỉnh, thành phố (Bí thư hoặc Chủ tịch Tỉnh, thành phố) chủ trì, chỉ đạo chuyển đổi số";
        let c = "Có chuyên trang cấp tỉnh về chuyển đổi số";
        let cuts = distinct_cuts(&[a, b, c], 58);
        assert_ne!(cuts[0], cuts[1], "{cuts:?}");
        assert!(cuts[0].contains("là Trưởng ban") && cuts[1].contains("chủ trì"), "{cuts:?}");
        assert_eq!(cuts[2], c);
        for t in &cuts {
            assert!(width(t) <= 58, "{t}");
        }
        // Identical titles stay identical; a title that is the other's start stays distinct.
        let same = distinct_cuts(&[a, a], 58);
        assert_eq!(same[0], same[1]);
        let long = format!("{a} và các Sở");
        let prefix = distinct_cuts(&[a, &long], 58);
        assert_ne!(prefix[0], prefix[1], "{prefix:?}");
    }
}
