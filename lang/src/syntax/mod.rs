//! Syntax: text to tree. `lexer` (logos) → `parser` (recursive descent with recovery) → `ast`.

pub mod ast;
pub mod lexer;
mod parser;

pub use parser::{parse, Parse, MAX_DEPTH};
