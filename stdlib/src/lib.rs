//! The Chiso prelude: scoring helpers written in Chiso itself (`prelude.chiso`), embedded in the
//! binary and made available to every rulebook. Keeping them in the language means they are
//! checked, explained and formatted like any rule.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use chiso::syntax::ast::{FnDecl, Item};

/// The prelude's source text.
pub const PRELUDE: &str = include_str!("../prelude.chiso");

/// The prelude's functions.
pub fn functions() -> Vec<FnDecl> {
    prelude().to_vec()
}

/// The prelude's functions, parsed once per process (an editor rebuilds its symbol table on
/// every keystroke).
pub fn prelude() -> &'static [FnDecl] {
    static PARSED: std::sync::OnceLock<Vec<FnDecl>> = std::sync::OnceLock::new();
    PARSED.get_or_init(parse_prelude)
}

fn parse_prelude() -> Vec<FnDecl> {
    chiso::syntax::parse_anchored(PRELUDE, chiso::diag::Anchor::PRELUDE)
        .file
        .items
        .into_iter()
        .filter_map(|i| match i {
            Item::Fn(f) => Some(f),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn prelude_parses_and_checks_cleanly() {
        let parse = chiso::parse(super::PRELUDE);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        let checked = chiso::check(&parse);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        assert_eq!(super::functions().len(), 7);
    }
}
