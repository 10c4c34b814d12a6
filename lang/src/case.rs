//! Lower case for matching data against fixed words (`có`, `không`, `đang triển khai`, `Tổng
//! cộng`, `unit`), without std's Unicode case tables.
//!
//! `str::to_lowercase` links core's lower- and upper-case tables: 9 KB of the gzipped browser
//! module, for texts that are only ever compared with words written in ASCII and Vietnamese.
//! [`lowercase`] lowers exactly those letters (and the Kelvin sign, which std lowers to `k`) and
//! leaves every other character as it is. A text std lowers into such a word, this lowers into the
//! same word; a text std lowers into anything else, this lowers into something that is not such a
//! word either (a test checks it for every character). So each comparison answers as before, on
//! the command and in the browser alike; the lowered text itself is never shown.

/// `text` in lower case, for comparing with words of ASCII and Vietnamese letters.
pub(crate) fn lowercase(text: &str) -> String {
    text.chars().map(lower).collect()
}

/// Vietnamese's letters with a mark, capital and small, in the same order.
pub(crate) const VIETNAMESE_CAPITALS: &str = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
/// See [`VIETNAMESE_CAPITALS`].
pub(crate) const VIETNAMESE_SMALL: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";

fn lower(c: char) -> char {
    let shifted = |by: u32| char::from_u32(c as u32 + by).unwrap_or(c);
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        // Latin-1's capitals are their small letters less 0x20 (× is not a letter).
        'À'..='Þ' if c != '×' => shifted(0x20),
        'Ă' | 'Đ' | 'Ĩ' | 'Ũ' | 'Ơ' => shifted(1),
        'Ư' => 'ư',
        // Latin Extended Additional's Vietnamese block: capital at even code points, small after.
        '\u{1ea0}'..='\u{1ef9}' if c as u32 & 1 == 0 => shifted(1),
        '\u{212a}' => 'k',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letters of the words data is compared with.
    fn in_words(c: char) -> bool {
        c.is_ascii() || VIETNAMESE_SMALL.contains(c)
    }

    #[test]
    fn lowers_into_a_word_exactly_what_std_lowers_into_one() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            let std: String = c.to_lowercase().collect();
            let ours = lower(c).to_string();
            if std.chars().all(in_words) {
                assert_eq!(ours, std, "U+{:04X}", c as u32);
            } else {
                assert!(!ours.chars().all(in_words), "U+{:04X} lowers into {ours:?}, std into {std:?}", c as u32);
            }
        }
    }

    #[test]
    fn vietnamese_capitals_and_small_letters_pair_up() {
        assert_eq!(VIETNAMESE_CAPITALS.chars().count(), VIETNAMESE_SMALL.chars().count());
        for (capital, small) in VIETNAMESE_CAPITALS.chars().zip(VIETNAMESE_SMALL.chars()) {
            assert_eq!(capital.to_lowercase().collect::<String>(), small.to_string());
            assert_eq!(lower(capital), small);
            assert!(capital.is_uppercase() && small.is_lowercase());
        }
        assert_eq!(lowercase("TỔNG CỘNG: Đang Triển Khai, KHÔNG, Có"), "tổng cộng: đang triển khai, không, có");
    }
}
