//! The lexer: source text to tokens, with logos.
//!
//! Keywords are lexed as identifiers and recognised by the parser (`max` is both a keyword and a
//! builtin function). Comments are kept aside so that the formatter can put them back.
//! Invariant: every byte of the input belongs to a token, a comment, whitespace or an error token,
//! so lexing never fails.

use logos::Logos;

use super::letters;
use crate::diag::{Anchor, Span};

/// A token kind.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[logos(skip r"[ \t\r\n\f\u{feff}]+")]
pub enum TokenKind {
    /// `// …` or `/// …` to the end of the line.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    Comment,
    /// A decimal number: `10`, `0.5`, `3.1` (also an indicator id).
    #[regex(r"[0-9]+(\.[0-9]+)?")]
    Number,
    /// A dotted id with three or more parts: `5.12.1`.
    #[regex(r"[0-9]+\.[0-9]+(\.[0-9]+)+")]
    Dotted,
    /// A string literal.
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    Str,
    /// A string literal missing its closing quote on the same line.
    #[regex(r#""([^"\\\n]|\\[^\n])*"#)]
    UnterminatedStr,
    /// A name or keyword: Unicode letters (`\p{L}`), digits (`\p{N}`), marks (`\p{M}`) and `_`,
    /// starting with a letter or `_`. The pattern takes one character that may start a name (any
    /// beyond ASCII but the byte order mark, which is whitespace) and `name` the rest.
    #[regex(r"[A-Za-z_\u{80}-\u{fefe}\u{ff00}-\u{10ffff}]", name)]
    Ident,
    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `,`
    #[token(",")]
    Comma,
    /// `;`
    #[token(";")]
    Semi,
    /// `:`
    #[token(":")]
    Colon,
    /// `=`
    #[token("=")]
    Eq,
    /// `=>`
    #[token("=>")]
    FatArrow,
    /// `==`
    #[token("==")]
    EqEq,
    /// `!=`
    #[token("!=")]
    NotEq,
    /// `<`
    #[token("<")]
    Lt,
    /// `<=`
    #[token("<=")]
    Le,
    /// `>`
    #[token(">")]
    Gt,
    /// `>=`
    #[token(">=")]
    Ge,
    /// `+`
    #[token("+")]
    Plus,
    /// `-`
    #[token("-")]
    Minus,
    /// `*`
    #[token("*")]
    Star,
    /// `/`
    #[token("/")]
    Slash,
    /// `%`
    #[token("%")]
    Percent,
    /// `..`
    #[token("..")]
    DotDot,
    /// A character that starts no token.
    Error,
    /// The end of the input.
    Eof,
}

/// A token and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What kind of token.
    pub kind: TokenKind,
    /// Its bytes in the source.
    pub span: Span,
}

/// Extends a name over the letters, digits, marks and `_` after its first character; a first
/// character that is not a letter or `_` is an error token of its own, as when no pattern matched.
fn name(lexer: &mut logos::Lexer<TokenKind>) -> bool {
    let first = lexer.slice().chars().next();
    if first.map(letters::class) != Some(letters::LETTER) {
        return false;
    }
    let rest = lexer.remainder();
    let len = rest.find(|c| letters::class(c) == letters::NONE).unwrap_or(rest.len());
    lexer.bump(len);
    true
}

/// Words with a meaning of their own; they cannot name inputs, agencies or functions.
pub const KEYWORDS: &[&str] = &[
    "rulebook",
    "source",
    "period",
    "locale",
    "index",
    "agency",
    "section",
    "field",
    "pillar",
    "indicator",
    "max",
    "owner",
    "cooperating",
    "source_id",
    "note",
    "not_scored",
    "input",
    "assume",
    "let",
    "score",
    "fn",
    "test",
    "given",
    "expect",
    "if",
    "then",
    "else",
    "when",
    "match",
    "in",
    "or",
    "and",
    "not",
    "true",
    "false",
    "total",
    "count",
    "number",
    "percent",
    "money",
    "points",
    "yes_no",
    "text",
    "date",
    "choice",
    "positive",
    "default",
    "neutral",
    "lower_is_better",
    "at_least",
    "at_most",
    "column",
    "min",
    "not_evaluable",
];

/// Whether `word` is reserved.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// The tokens of a source text, without comments, ending with [`TokenKind::Eof`]; and the comments.
pub fn lex(text: &str) -> (Vec<Token>, Vec<Span>) {
    lex_anchored(text, Anchor::LOCAL)
}

/// [`lex`], with every span counting from `anchor`.
pub fn lex_anchored(text: &str, anchor: Anchor) -> (Vec<Token>, Vec<Span>) {
    let mut tokens = Vec::new();
    let mut comments = Vec::new();
    let mut lexer = TokenKind::lexer(text);
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(range.start, range.end).with_anchor(anchor);
        match result {
            Ok(TokenKind::Comment) => comments.push(span),
            Ok(kind) => tokens.push(Token { kind, span }),
            Err(()) => tokens.push(Token { kind: TokenKind::Error, span }),
        }
    }
    let end = Span::new(text.len(), text.len()).with_anchor(anchor);
    tokens.push(Token { kind: TokenKind::Eof, span: end });
    (tokens, comments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(text).0.into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn ids_numbers_and_units() {
        use TokenKind::*;
        assert_eq!(kinds("5.12.1 3.1 80% 0.5"), vec![Dotted, Number, Number, Percent, Number, Eof]);
        assert_eq!(kinds("tỷ_lệ >= 2 tỷ"), vec![Ident, Ge, Number, Ident, Eof]);
        assert_eq!(kinds("10..19"), vec![Number, DotDot, Number, Eof]);
    }

    #[test]
    fn comments_are_kept_aside() {
        let (tokens, comments) = lex("a // Ghi chú tiếng Việt\nb");
        assert_eq!(tokens.len(), 3);
        assert_eq!(comments.len(), 1);
    }

    #[test]
    fn bad_bytes_become_error_tokens() {
        assert!(kinds("a $ b").contains(&TokenKind::Error));
        assert_eq!(kinds("\"abc"), vec![TokenKind::UnterminatedStr, TokenKind::Eof]);
    }
}
