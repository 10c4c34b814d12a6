//! Unicode NFC of the texts read from data (unit codes, indicator and input names, yes/no and
//! choice words), so that a decomposed `có` (o + combining marks, as some keyboards and PDF copies
//! produce) equals the composed one the rulebook spells.
//!
//! Two normalisers give the same answer: the `unicode-normalization` crate's tables (feature `nfc`,
//! on by default: the command, the editor), or one the host gives with [`set_normaliser`]. The
//! browser build turns the feature off and gives `String.prototype.normalize("NFC")`, which every
//! browser has: the crate's tables are 30 KB of the gzipped module. Both are NFC as Unicode
//! defines it; the two may differ only on characters assigned in a Unicode version one of them
//! does not know yet, never on Vietnamese. Texts that are surely NFC (ASCII, composed
//! Vietnamese) never reach a host normaliser, so scoring 10,000 units does not call out of the
//! module for every cell.

use std::borrow::Cow;
use std::sync::OnceLock;

/// The host's normaliser, when it gave one.
static NORMALISER: OnceLock<fn(&str) -> String> = OnceLock::new();

/// Makes `normalise` (a function that returns its text in NFC) the normaliser of data texts,
/// rather than the crate's tables. The first one given stays. A build without the `nfc` feature
/// must give one before reading data, or decomposed texts are read as they are written.
pub fn set_normaliser(normalise: fn(&str) -> String) {
    let _ = NORMALISER.set(normalise);
}

/// `text` in NFC; borrowed when it already is, which ASCII always is.
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    // Most cells are ASCII (codes, numbers): `is_ascii` reads them a word at a time, where the
    // checks below walk them a character at a time (a fifth of loading 10,000 units in wasm).
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    match NORMALISER.get() {
        Some(_) if surely_nfc(text) => Cow::Borrowed(text),
        Some(normalise) => match normalise(text) {
            same if same == text => Cow::Borrowed(text),
            other => Cow::Owned(other),
        },
        None => by_tables(text),
    }
}

/// Whether `text` is NFC without looking it up: every character is one that NFC keeps and that
/// no mark follows (Latin up to U+02FF, Latin Extended Additional with Vietnamese's composed
/// letters, general punctuation's dashes and quotes, `₫`). A text of such characters is NFC.
fn surely_nfc(text: &str) -> bool {
    text.chars().all(|c| matches!(c, '\0'..='\u{2ff}' | '\u{1e00}'..='\u{1eff}' | '\u{2010}'..='\u{2027}' | '₫'))
}

#[cfg(feature = "nfc")]
fn by_tables(text: &str) -> Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(nfc_slow(text)),
    }
}

#[cfg(not(feature = "nfc"))]
fn by_tables(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// NFC by the book (UAX #15: canonical decomposition, canonical ordering, canonical composition)
/// from the crate's per-character functions. Its `nfc()` iterator would do the same, but it
/// chooses between canonical and compatibility decomposition at run time, which links the
/// compatibility tables (about 60 KB) although NFC never reads them.
#[cfg(feature = "nfc")]
fn nfc_slow(text: &str) -> String {
    use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical};
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        decompose_canonical(c, |d| chars.push(d));
    }
    // Canonical ordering: each run of non-starters, stably sorted by combining class.
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && canonical_combining_class(chars[i]) != 0 {
            i += 1;
        }
        crate::sort::sort_by_key(&mut chars[start..i], |&c| canonical_combining_class(c));
        i += 1;
    }
    // Canonical composition: a character joins the last starter unless a character between them
    // blocks it (a starter, or a combining class at least its own).
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut starter: Option<usize> = None;
    let mut last_class: Option<u8> = None;
    for c in chars {
        let class = canonical_combining_class(c);
        if let Some(at) = starter {
            let blocked = last_class.is_some_and(|last| last == 0 || last >= class);
            if !blocked {
                if let Some(composed) = compose(out[at], c) {
                    out[at] = composed;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(out.len());
            last_class = None;
        } else {
            last_class = Some(class);
        }
        out.push(c);
    }
    out.into_iter().collect()
}

#[cfg(all(test, feature = "nfc"))]
mod tests {
    use super::*;
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

    #[test]
    fn nfc_by_the_book_equals_the_crates_nfc() {
        let same =
            |t: &str| assert_eq!(nfc_slow(t), t.nfc().collect::<String>(), "{:?}", t.chars().collect::<Vec<_>>());
        // Every code point alone (singletons like U+0340, Hangul, CJK compatibility ideographs).
        for c in (0..0x3_0000u32).filter_map(char::from_u32) {
            same(c.encode_utf8(&mut [0; 4]));
        }
        // Mixtures where ordering and blocking matter: Vietnamese letters and their marks (in
        // either order), Hangul jamo, Greek with iota subscripts, Devanagari nukta, Tibetan vowels.
        let pool: Vec<char> = "aAoOuUeEiIyYdĐăâêôơưạảấầẩẫậắằẳẵặ \u{300}\u{301}\u{303}\u{309}\u{323}\u{31B}\u{302}\u{306}\u{327}\u{328}\u{340}\u{344}\u{345}\u{1100}\u{1161}\u{11A8}\u{AC00}ωΩ\u{313}\u{342}\u{915}\u{93C}\u{F71}\u{F72}\u{F74}\u{F80}"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..200_000 {
            let mut t = String::new();
            for _ in 0..1 + seed % 6 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                t.push(pool[(seed >> 33) as usize % pool.len()]);
            }
            same(&t);
        }
    }

    /// What lets `surely_nfc` skip the normaliser: each of its characters is NFC by itself and
    /// no mark (a non-zero combining class) can reorder or join it, so any text of them is NFC.
    #[test]
    fn surely_nfc_characters_are_nfc_starters() {
        let mut surely = 0;
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            if surely_nfc(c.encode_utf8(&mut [0; 4])) {
                surely += 1;
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
                assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            }
        }
        assert_eq!(surely, 0x300 + 0x100 + 0x18 + 1);
        assert!(surely_nfc("Tỉnh An Phú, tỷ lệ 6,03 – “có”"));
        assert!(!surely_nfc("co\u{301}"));
    }
}
