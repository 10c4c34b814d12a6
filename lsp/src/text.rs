//! Positions: `lang` speaks byte offsets, the protocol speaks (line, UTF-16 code unit). This
//! module converts between them and applies incremental edits.
//!
//! Invariants: every conversion clamps instead of failing (a client may send a position past the
//! end of a line or inside a surrogate pair); a byte offset returned is always on a `char`
//! boundary. Conversions cost O(log n + 64) however long a line is, thanks to checkpoints every
//! 64 bytes, so a 10 MB one-line paste with thousands of diagnostics stays linear.

use tower_lsp_server::ls_types::{Position, Range};

/// Byte distance between checkpoints inside a line.
const STEP: usize = 64;

/// Maps byte offsets of one text to LSP positions and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// First byte of each line.
    line_starts: Vec<usize>,
    /// `(byte offset, UTF-16 column)` at char boundaries, at least every `STEP` bytes and at each
    /// line start, sorted by offset.
    checkpoints: Vec<(usize, u32)>,
    len: usize,
}

impl LineIndex {
    /// Indexes `text`. Runs on every keystroke over the whole text: lines shorter than `STEP`
    /// (nearly all) are found with a byte search, and only long lines are walked char by char.
    pub fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut line_starts = vec![0];
        let mut checkpoints = vec![(0, 0)];
        let mut start = 0;
        loop {
            let rest = b.get(start..).unwrap_or_default();
            let newline = rest.iter().position(|&c| c == b'\n').map(|k| start + k);
            let end = newline.unwrap_or(b.len());
            if end - start >= STEP {
                // A long line: a checkpoint at the first char at least `STEP` bytes after the
                // last one, the newline included.
                let (mut col, mut last) = (0u32, start);
                for (k, c) in text.get(start..end).unwrap_or_default().char_indices() {
                    let i = start + k;
                    if i - last >= STEP {
                        checkpoints.push((i, col));
                        last = i;
                    }
                    col = col.saturating_add(c.len_utf16() as u32);
                }
                if newline.is_some() && end - last >= STEP {
                    checkpoints.push((end, col));
                }
            }
            let Some(nl) = newline else { break };
            line_starts.push(nl + 1);
            checkpoints.push((nl + 1, 0));
            start = nl + 1;
        }
        LineIndex { line_starts, checkpoints, len: text.len() }
    }

    /// The index as the plain definition builds it (the reference for the fast one).
    #[cfg(test)]
    fn new_reference(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        let mut checkpoints = vec![(0, 0)];
        let mut col: u32 = 0;
        let mut last = 0;
        for (i, c) in text.char_indices() {
            if i - last >= STEP {
                checkpoints.push((i, col));
                last = i;
            }
            if c == '\n' {
                line_starts.push(i + 1);
                col = 0;
                checkpoints.push((i + 1, 0));
                last = i + 1;
            } else {
                col = col.saturating_add(c.len_utf16() as u32);
            }
        }
        LineIndex { line_starts, checkpoints, len: text.len() }
    }

    /// The position of a byte offset (clamped to the text; snapped back to a char boundary).
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.len);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let i = match self.checkpoints.binary_search_by_key(&offset, |c| c.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        // `checkpoints` starts with (0, 0), so there is always one at or before `offset`.
        let (cp_off, cp_col) = self.checkpoints.get(i).copied().unwrap_or((0, 0));
        let col = cp_col + text.get(cp_off..offset).map_or(0, |s| s.chars().map(|c| c.len_utf16() as u32).sum());
        Position { line: line as u32, character: col }
    }

    /// The range of a byte span.
    pub fn range(&self, text: &str, start: u32, end: u32) -> Range {
        Range { start: self.position(text, start), end: self.position(text, end.max(start)) }
    }

    /// The byte offset of a position. A line past the end gives the end of the text; a column past
    /// the end of its line gives the end of the line; a column inside a character gives its start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.line_starts.get(pos.line as usize) else { return self.len };
        let line_end = self.line_starts.get(pos.line as usize + 1).map_or(self.len, |&n| n.saturating_sub(1));
        // Start from the last checkpoint of the line at or before the wanted column.
        let first = self.checkpoints.partition_point(|c| c.0 < start);
        let mut i = first;
        while let Some(&(o, c)) = self.checkpoints.get(i + 1) {
            if o > line_end || c > pos.character {
                break;
            }
            i += 1;
        }
        let (mut off, mut col) = self.checkpoints.get(i).copied().unwrap_or((start, 0));
        let rest = text.get(off..line_end).unwrap_or("");
        for ch in rest.chars() {
            let w = ch.len_utf16() as u32;
            if col + w > pos.character || ch == '\r' && off + 1 == line_end {
                break;
            }
            col += w;
            off += ch.len_utf8();
        }
        off.min(line_end.max(start))
    }
}

/// Applies one content change: a whole-text replacement (`range` absent) or a range edit.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str) {
    match range {
        None => *text = new_text.to_string(),
        Some(r) => {
            let index = LineIndex::new(text);
            let a = index.offset(text, r.start);
            let b = index.offset(text, r.end);
            let (a, b) = (a.min(b), a.max(b));
            text.replace_range(a..b, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    /// Every char boundary round-trips, and the UTF-16 column equals a direct count.
    fn round_trip(text: &str) {
        let index = LineIndex::new(text);
        for (off, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            if text[..off].ends_with('\r') && text[off..].starts_with('\n') {
                // Inside a CRLF line break: not a position a client can name.
                continue;
            }
            let p = index.position(text, off as u32);
            let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
            let want = text[line_start..off].encode_utf16().count() as u32;
            assert_eq!(p.character, want, "{text:?} at {off}");
            assert_eq!(p.line as usize, text[..off].matches('\n').count());
            assert_eq!(index.offset(text, p), off, "{text:?} at {off}");
        }
    }

    #[test]
    fn vietnamese_precomposed_combining_and_astral_text_round_trips() {
        round_trip("pillar I \"Thể chế số\" max 20 {\n}\n");
        // `ể` written as e + U+0302 + U+0309: three UTF-16 units for one letter.
        round_trip("indicator 1 \"The\u{302}\u{309} che\u{302}\u{301} so\u{302}\u{301}\" {\n  max 1\n}");
        // An astral character is two UTF-16 units (a surrogate pair).
        round_trip("// 𝔻𝕋𝕀 😀 Thể chế số\nagency S \"Sở\"\r\n");
        round_trip(&"Thể chế số 😀 ".repeat(100));
        round_trip("");
    }

    #[test]
    fn positions_on_a_known_line() {
        let text = "a\n\"Thể chế số\" x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        // `"Thể chế số" ` is 13 UTF-16 units.
        assert_eq!(index.position(text, x), pos(1, 13));
        let astral = "😀x";
        let index = LineIndex::new(astral);
        assert_eq!(index.position(astral, 4), pos(0, 2));
    }

    #[test]
    fn out_of_range_and_mid_character_positions_clamp() {
        let text = "😀ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 1)), 0, "inside the surrogate pair");
        assert_eq!(index.offset(text, pos(0, 99)), 6, "past the end of the line");
        assert_eq!(index.offset(text, pos(9, 0)), text.len(), "past the last line");
        assert_eq!(index.position(text, 2), pos(0, 0), "inside a UTF-8 sequence");
        assert_eq!(index.position(text, 999), pos(1, 2));
    }

    #[test]
    fn edits_apply_at_utf16_positions() {
        let mut text = "pillar I \"Thể chế số\" max 20".to_string();
        // Replace `số` (columns 18..20).
        apply_change(&mut text, Some(Range { start: pos(0, 18), end: pos(0, 20) }), "số hoá");
        assert_eq!(text, "pillar I \"Thể chế số hoá\" max 20");
        apply_change(&mut text, Some(Range { start: pos(0, 0), end: pos(0, 0) }), "😀\n");
        apply_change(&mut text, Some(Range { start: pos(0, 0), end: pos(0, 2) }), "");
        assert_eq!(text, "\npillar I \"Thể chế số hoá\" max 20");
        apply_change(&mut text, None, "mới");
        assert_eq!(text, "mới");
    }

    #[test]
    fn long_lines_convert_through_checkpoints() {
        let text = format!("{}x", "ể😀a".repeat(5000));
        let index = LineIndex::new(&text);
        let off = text.len() - 1;
        let p = index.position(&text, off as u32);
        assert_eq!(p.character, 5000 * 4);
        assert_eq!(index.offset(&text, p), off);
    }

    #[test]
    fn the_fast_index_equals_the_plain_one() {
        let long = format!("{}\n", "Tỷ lệ 😀 hồ sơ trực tuyến, ".repeat(40));
        let texts = [
            String::new(),
            "\n".to_string(),
            "a\nb".to_string(),
            "Chỉ số\n\nđiểm\n".to_string(),
            long.clone(),
            format!("x\n{long}{long}y"),
            "é".repeat(63) + "\n" + &"a".repeat(64) + "\n" + &"a".repeat(63),
            "a".repeat(130),
        ];
        for t in &texts {
            let (fast, plain) = (LineIndex::new(t), LineIndex::new_reference(t));
            assert_eq!(
                (&fast.line_starts, &fast.checkpoints, fast.len),
                (&plain.line_starts, &plain.checkpoints, plain.len),
                "{t:?}"
            );
        }
    }
}
