//! Mutations of source files, for fuzzing: token insertions, deletions and swaps.

use super::*;

/// `text` with a few random edits: byte flips, deletions, duplicated slices, inserted tokens, and
/// a splice with `other`. The result is valid UTF-8 (lossily repaired).
pub fn mutate(t: &mut Tape, text: &str, other: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let edits = 1 + t.below(8);
    for _ in 0..edits {
        let len = bytes.len();
        let at = t.below(len + 1);
        match t.weighted(&[3, 3, 2, 3, 1, 1, 1]) {
            0 if len > 0 => {
                let i = at.min(len - 1);
                bytes[i] ^= 1 << t.below(8);
            }
            1 => {
                let n = 1 + t.below(32);
                let end = (at + n).min(len);
                bytes.drain(at..end);
            }
            2 => {
                let n = 1 + t.below(64);
                let end = (at + n).min(len);
                let slice = bytes[at..end].to_vec();
                let to = t.below(len + 1);
                bytes.splice(to..to, slice);
            }
            3 => {
                let tok = t.pick(vocabulary()).as_bytes();
                let mut ins = tok.to_vec();
                ins.push(b' ');
                bytes.splice(at..at, ins);
            }
            4 => {
                let o = other.as_bytes();
                let from = t.below(o.len() + 1);
                let n = t.below(512);
                let end = (from + n).min(o.len());
                let keep = t.below(len + 1);
                bytes.truncate(keep);
                bytes.extend_from_slice(&o[from..end]);
            }
            5 => {
                // Deep nesting.
                let n = t.below(200);
                let open = t.pick(&["(", "-", "not ", "if a then ", "when x { else => "]).as_bytes().to_vec();
                let ins: Vec<u8> = std::iter::repeat_n(open, n).flatten().collect();
                bytes.splice(at..at, ins);
            }
            _ => {
                let n = t.below(len + 1);
                let end = (at + n).min(len);
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Random text made of the language's tokens.
pub fn token_soup(t: &mut Tape, len: usize) -> String {
    let mut s = String::new();
    for _ in 0..len {
        s.push_str(*t.pick(vocabulary()));
        if t.chance(70) {
            s.push(' ');
        }
    }
    s
}
