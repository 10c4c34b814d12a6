//! Excerpts of user text echoed in messages: a data value, a name, a line. A message quotes what
//! it is about, but one 30 MB cell must not become 30 MB of message (nor 175 MB of terminal
//! output once rendered). Input: any text; output: the text itself when short, else its first
//! characters and how long it was: `99999xxxx…(100020 characters)`.
//!
//! Cuts fall on character boundaries (`Thành phố` never loses half of `à`), and counts are in
//! characters, as a reader counts them. Pure functions: no allocation for short text.

use std::borrow::Cow;

/// How many characters of a data value a message shows.
pub const EXCERPT_CHARS: usize = 40;

/// `text` when it has at most `max_chars` characters, else its first `max_chars` characters
/// followed by `…(N characters)`, N being the length of the whole text.
pub fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    // The byte offset of character number `max_chars`, if the text is longer than that.
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => {
            let total = max_chars + text[cut..].chars().count();
            Cow::Owned(format!("{}…({total} characters)", &text[..cut]))
        }
    }
}

/// `message` with each `quoted` passage longer than `max_chars` characters shortened by
/// [`excerpt`]. Messages quote user text between backticks, so this bounds a message built
/// around a huge value without knowing how it was built.
pub fn shorten_quoted(message: &str, max_chars: usize) -> Cow<'_, str> {
    // Odd-numbered parts between backticks are quoted; an unmatched last backtick quotes nothing.
    let last_quoted = 2 * (message.matches('`').count() / 2);
    let is_long = |(i, p): &(usize, &str)| i % 2 == 1 && *i < last_quoted && p.char_indices().nth(max_chars).is_some();
    if !message.split('`').enumerate().any(|ip| is_long(&ip)) {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len().min(4096));
    for (i, p) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if is_long(&(i, p)) {
            out.push_str(&excerpt(p, max_chars));
        } else {
            out.push_str(p);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert!(matches!(excerpt("6,03", 40), Cow::Borrowed("6,03")));
        let forty = "x".repeat(40);
        assert_eq!(excerpt(&forty, 40), forty);
    }

    #[test]
    fn long_text_keeps_its_first_characters_and_says_how_long_it_was() {
        let long = format!("{}{}", "9".repeat(20), "x".repeat(100_000));
        let e = excerpt(&long, 40);
        assert_eq!(e, format!("{}{}…(100020 characters)", "9".repeat(20), "x".repeat(20)));
    }

    #[test]
    fn cuts_fall_between_characters_and_count_characters() {
        // Every letter of `Thành phố` but the spaces takes more than one byte in places.
        let value = "Thành phố ".repeat(10);
        let e = excerpt(&value, 12);
        assert_eq!(e, "Thành phố Th…(100 characters)");
        // Decomposed marks are characters of their own: the cut may separate them, never a byte.
        let decomposed = "a\u{0300}".repeat(50);
        assert!(excerpt(&decomposed, 41).starts_with(&"a\u{0300}".repeat(20)));
    }

    #[test]
    fn quoted_passages_are_shortened_and_the_rest_kept() {
        let value = "x".repeat(1000);
        let msg = format!("unit NT, 3.1 / a: `{value}` is not a valid count: expected `6.03`");
        assert_eq!(
            shorten_quoted(&msg, 40),
            format!("unit NT, 3.1 / a: `{}…(1000 characters)` is not a valid count: expected `6.03`", "x".repeat(40))
        );
        assert!(matches!(shorten_quoted("the denominator `b` can be 0", 40), Cow::Borrowed(_)));
        // An unmatched backtick opens no quotation.
        let open = format!("a ` {value}");
        assert_eq!(shorten_quoted(&open, 40), open);
    }

    /// The data readers echo a wrong value through [`excerpt`]: one huge cell, a short message.
    #[test]
    fn data_readers_echo_a_huge_value_as_an_excerpt() {
        use crate::data::Format;
        use crate::num::Locale;
        let huge = format!("Thành phố {}", "x".repeat(1_000_000));
        let rules = "agency S \"S\"\nindicator 3.1 \"Tỷ lệ\" { max 10 owner S input a: count score = 1 }\n";
        let parse = crate::parse(rules);
        let checked = crate::check(&parse);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let csv = format!("unit,indicator,input,value\nNT,3.1,a,{huge}\n");
        let (_, diags) = crate::data::load(&csv, Format::Csv, &checked.env, Some(Locale::En));
        let d = diags.iter().find(|d| d.code == crate::diag::Code::E0802).unwrap();
        let message = d.message.to_string();
        assert!(message.len() < 300, "{}", &message[..300.min(message.len())]);
        assert!(message.contains("`Thành phố xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…(1000010 characters)`"), "{message}");

        let plan = "agency S \"S\"\ntarget t \"Mục tiêu\" { owner S measure count goal >= 5 }\n";
        let parse = crate::parse(plan);
        let checked = crate::check(&parse);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let csv = format!("unit,indicator,input,value\nNT,t,actual,{huge}\n");
        let (_, diags) = crate::plan::data::load(&csv, Format::Csv, &checked.env, Some(Locale::En));
        assert!(!diags.is_empty());
        for d in &diags {
            let message = d.message.to_string();
            assert!(message.len() < 300, "{}", &message[..300.min(message.len())]);
        }
    }
}
