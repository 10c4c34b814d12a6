//! Byte spans, anchored to the text they count from, and their line:column positions.
//!
//! A span's offsets count from its [`Anchor`]: a text the front door registered (a rulebook, a
//! plan, a data file), or, in the editor's incremental layer, one item parsed alone. So a label
//! built from the symbol table can point into another file (a plan's "declared here" into its
//! rulebook), and the editor's table keeps the same spans when text above an item grows. A text
//! parsed or read on its own has [`Anchor::LOCAL`] spans; whoever registered the text stamps
//! them ([`crate::Diagnostic::anchored`]) or parses with its anchor ([`crate::syntax::parse_anchored`]).

/// What a span's offsets count from. `LOCAL` is "the text at hand"; other values are handed out
/// by the front door (one per file) and the editor layer (one per item).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Anchor(pub u32);

impl Anchor {
    /// The text that was parsed or read, whichever it is.
    pub const LOCAL: Anchor = Anchor(0);
    /// The standard library's text (`chiso-stdlib`'s prelude).
    pub const PRELUDE: Anchor = Anchor(u32::MAX);
}

/// A range of bytes in one source text, and the text it counts from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The text the offsets count from.
    pub anchor: Anchor,
}

impl Span {
    /// A span from byte offsets in the text at hand. Offsets beyond `u32::MAX` saturate; sources
    /// that large are rejected before parsing anyway.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            anchor: Anchor::LOCAL,
        }
    }
    /// An empty span at `offset` of the same text as `self`.
    pub fn at(self, offset: u32) -> Span {
        Span { start: offset, end: offset, anchor: self.anchor }
    }
    /// The smallest span covering both (of one text).
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end), anchor: self.anchor }
    }
    /// The span moved by `offset` bytes.
    pub fn shifted(self, offset: u32) -> Span {
        Span { start: self.start.saturating_add(offset), end: self.end.saturating_add(offset), anchor: self.anchor }
    }
    /// The same offsets counted from `anchor`.
    pub fn with_anchor(self, anchor: Anchor) -> Span {
        Span { anchor, ..self }
    }
    /// The text under this span, or "" when out of range.
    pub fn text(self, src: &str) -> &str {
        src.get(self.start as usize..self.end as usize).unwrap_or("")
    }
    /// Whether this span lies inside `other`.
    pub fn within(self, other: Span) -> bool {
        other.start <= self.start && self.end <= other.end
    }
}

/// A 1-based line and a 1-based column counted in characters (not bytes), as people read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LineCol {
    /// Line, from 1.
    pub line: u32,
    /// Column in Unicode scalar values, from 1.
    pub col: u32,
}

/// Maps byte offsets to line:column.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes a text.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }
    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }
    /// The line:column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = (offset as usize).min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        LineCol { line: line as u32 + 1, col: col as u32 + 1 }
    }
}
