//! Syntax: text to tree. `lexer` (logos) → `parser` (recursive descent with recovery) → `ast`;
//! `chunks` cuts a file into top-level pieces that parse alone (for the editor's incremental
//! layer).

pub mod ast;
pub mod chunks;
pub mod lexer;
mod parser;

pub use parser::{parse, Parse, MAX_DEPTH};
