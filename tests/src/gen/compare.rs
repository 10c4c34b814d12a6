//! Comparing trees while ignoring spans (formatter round trips).

use super::*;

/// The syntax tree with every span erased, for comparing a file with its formatted version.
pub fn tree_without_spans(file: &ast::File) -> String {
    let text = format!("{file:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        out.push('_');
        let after = &rest[i..];
        let close = after.find('}').map_or(after.len(), |j| j + 1);
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// The comments of a parse, as text.
pub fn comment_texts(text: &str, parse: &chiso::syntax::Parse) -> Vec<String> {
    let mut v: Vec<String> = parse.comments.iter().map(|c| c.text(text).trim_end().to_string()).collect();
    v.sort();
    v
}

pub(super) const COHORT_FNS: &[&str] = &["minmax", "relative_to_best", "rank"];

/// Whether `text` mentions the name `name` as a whole word.
pub(super) fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        !text[..i].chars().next_back().is_some_and(word) && !text[i + name.len()..].chars().next().is_some_and(word)
    })
}
