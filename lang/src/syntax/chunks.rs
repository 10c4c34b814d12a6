//! Cutting a file into top-level chunks without parsing it, so that an editor can parse only the
//! chunk a keystroke changed (`chiso-db` memoizes each chunk's parse by its text).
//!
//! A chunk starts at the beginning of a line whose first word is an item keyword (`pillar`,
//! `indicator`, `fn`, …) outside any braces; the first chunk starts at 0 (it may hold only
//! comments). The scan is a byte loop that knows braces, strings and comments, not the lexer.
//!
//! Why parsing the chunks one by one gives the whole-file parse, when no chunk has a syntax
//! error (the caller falls back to the whole-file parse otherwise):
//! - every cut is right after a `\n`, which no token contains, so the file's tokens are the
//!   chunks' tokens, end to end;
//! - a chunk parsed alone without error is a list of complete items; what follows its last
//!   token in the file is the next chunk's first token, an item keyword (a chunk that parses
//!   cleanly starts with one) or the end of the file, and no item goes on past its last token
//!   when the next one is an item keyword: the parser only looks past an item's end for operators,
//!   `or`/`and`, a literal's unit (`%`, `pt`, `điểm`, `tỷ`) or a string.
//!
//! So a wrong cut (a brace the scan misjudged) costs speed, never correctness: it leaves an
//! unclosed or unopened brace in some chunk, which is a syntax error there.

/// Words that start a top-level item (the parser's `item`).
const ITEM_WORDS: &[&[u8]] = &[
    b"rulebook",
    b"agency",
    b"section",
    b"pillar",
    b"indicator",
    b"fn",
    b"test",
    b"plan",
    b"target",
    b"task",
    b"schedule",
    b"unit",
];

/// The byte offsets where the chunks of `text` start: 0, then every line start (right after a
/// `\n`) whose first word is an item keyword at brace depth 0. Chunk `k` runs to the start of
/// chunk `k + 1`, the last one to the end of the text.
pub fn chunk_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut depth = 0i64;
    let mut i = 0;
    while i < b.len() {
        if depth == 0 && i > 0 && starts_with_item_word(b.get(i..).unwrap_or_default()) {
            starts.push(i);
        }
        // The rest of the line: strings and comments end with it at the latest.
        while let Some(&c) = b.get(i) {
            match c {
                b'\n' => break,
                b'"' => i = string_end(b, i + 1),
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while b.get(i).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                }
                b'{' => {
                    depth += 1;
                    i += 1;
                }
                b'}' => {
                    depth -= 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        i += 1;
    }
    starts
}

/// Where the string whose content starts at `i` ends, as the lexer reads it: after its closing
/// quote; at the end of the line or before a `\` that escapes nothing when it is unterminated.
fn string_end(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            None | Some(b'\n') => return i,
            Some(b'"') => return i + 1,
            Some(b'\\') if b.get(i + 1).is_some_and(|&c| c != b'\n') => i += 2,
            Some(b'\\') => return i,
            Some(_) => i += 1,
        }
    }
}

/// Whether a line starts (after spaces and tabs) with an item keyword as a whole word. A
/// keyword followed by a non-ASCII letter is not recognised: a missed cut only makes a chunk
/// longer.
fn starts_with_item_word(line: &[u8]) -> bool {
    let indent = line.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    let rest = line.get(indent..).unwrap_or_default();
    ITEM_WORDS.iter().any(|w| {
        rest.starts_with(w) && rest.get(w.len()).is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn chunks(text: &str) -> Vec<&str> {
        let starts = chunk_starts(text);
        let mut out = Vec::new();
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(text.len());
            out.push(text.get(s..e).unwrap());
        }
        out
    }

    #[test]
    fn cuts_at_items_outside_braces_only() {
        let text = "// Bộ chỉ số\nagency S \"Sở { Thông tin\"\npillar I \"Trụ cột\" max 10 {\nindicator 1 \"a\" {\n  max 10\n}\n}\n  fn f(x) = x // }\nindicators\n";
        assert_eq!(
            chunks(text),
            vec![
                "// Bộ chỉ số\n",
                "agency S \"Sở { Thông tin\"\n",
                "pillar I \"Trụ cột\" max 10 {\nindicator 1 \"a\" {\n  max 10\n}\n}\n",
                "  fn f(x) = x // }\nindicators\n",
            ]
        );
    }

    #[test]
    fn strings_end_as_the_lexer_ends_them() {
        // An unterminated string ends with its line; an escaped quote does not end a string.
        let text = "agency A \"x {\nagency B \"a \\\" {\"\nagency C \"c\"";
        assert_eq!(chunks(text), vec!["agency A \"x {\n", "agency B \"a \\\" {\"\n", "agency C \"c\""]);
    }

    #[test]
    fn a_keyword_must_be_a_whole_word() {
        assert_eq!(chunks("fn f() = 1\nfnx\nunit_a\nunitế\nunit P01\n").len(), 2);
    }
}
