//! Syntax: text to tree and back. `lexer` (logos) → `parser` (recursive descent with recovery) →
//! `ast`; `print` turns a tree back into canonical text (the formatter, and the one-line
//! expression printer every message uses); `chunks` cuts a file into top-level pieces that parse
//! alone (for the editor's incremental layer).

pub mod ast;
pub mod chunks;
mod letters;
pub mod lexer;
mod parser;
pub mod print;
pub(crate) mod written_dates;

pub use parser::{parse, parse_anchored, Parse, MAX_DEPTH};
pub use print::expr_to_string;
