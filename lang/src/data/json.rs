//! JSON read with the span of every key and value, keeping every member of an object in order,
//! duplicates included: a general JSON reader keeps only the last of two equal keys, which would
//! silently drop a reported value.
//!
//! Input: text that `serde_json` has already accepted as JSON (so the messages for malformed
//! files stay serde_json's). Output: the members of the `units` object one at a time, each with
//! its tree, or `None` if the text is not JSON after all.
//! Invariants: numbers are kept as written (exact); nesting deeper than [`MAX_DEPTH`] is refused
//! rather than recursed into.

use std::borrow::Cow;

use crate::diag::Span;

/// Deeper nesting is refused (serde_json refuses beyond 128 too).
const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Debug)]
pub(crate) enum Json<'t> {
    Null,
    Bool(bool),
    /// The number as written.
    Number(&'t str),
    String(Cow<'t, str>),
    /// An array (its items are read but not kept: no data value is an array).
    Array,
    Object(Vec<Member<'t>>),
}

/// `"key": value` in an object.
#[derive(Debug)]
pub(crate) struct Member<'t> {
    pub key: Cow<'t, str>,
    /// The key with its quotes.
    pub key_span: Span,
    pub value: Json<'t>,
}

/// Parses JSON text into one tree (the tests' view; the data reader streams its units with
/// [`for_each_member_of`]).
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Option<Json<'_>> {
    let mut p = Parser { text, b: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    p.ws();
    (p.i == p.b.len()).then_some(v)
}

/// Reads JSON text of the shape `{…, "FIELD": {KEY: VALUE, …}, …}`, handing each member of the
/// first `FIELD` object to `visit` as soon as it is parsed: one member's tree is held at a time
/// (the tree of a whole file of 100,000 units took ten times the file's size). The other members
/// of the root are parsed and dropped. `None`: the text is not JSON after all; `Some(false)`: not
/// that shape (the root is not an object, has no `FIELD`, or its first one is not an object).
pub(crate) fn for_each_member_of<'t>(text: &'t str, field: &str, visit: &mut dyn FnMut(Member<'t>)) -> Option<bool> {
    let mut p = Parser { text, b: text.as_bytes(), i: 0 };
    p.ws();
    if p.b.get(p.i) != Some(&b'{') {
        // Not an object: the whole text is still checked to be JSON.
        p.value(0)?;
        p.ws();
        return (p.i == p.b.len()).then_some(false);
    }
    p.i += 1;
    // The shape of the first `FIELD`: whether it is an object.
    let mut first = None;
    if !p.eat(b'}') {
        loop {
            p.ws();
            let key = p.string()?;
            if !p.eat(b':') {
                return None;
            }
            p.ws();
            let is_first = first.is_none() && key == field;
            if is_first {
                first = Some(p.b.get(p.i) == Some(&b'{'));
            }
            if is_first && first == Some(true) {
                p.i += 1;
                p.members(1, visit)?;
            } else {
                p.value(1)?;
            }
            if p.eat(b',') {
                continue;
            }
            if p.eat(b'}') {
                break;
            }
            return None;
        }
    }
    p.ws();
    (p.i == p.b.len()).then_some(first == Some(true))
}

struct Parser<'t> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
}

impl<'t> Parser<'t> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.members(depth, &mut |m| members.push(m))?;
                Some(Json::Object(members))
            }
            b'[' => {
                self.i += 1;
                if self.eat(b']') {
                    return Some(Json::Array);
                }
                loop {
                    self.value(depth + 1)?;
                    if self.eat(b',') {
                        continue;
                    }
                    return self.eat(b']').then_some(Json::Array);
                }
            }
            b'"' => self.string().map(Json::String),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'n' => self.word("null", Json::Null),
            _ => {
                let start = self.i;
                while matches!(self.b.get(self.i), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
                    self.i += 1;
                }
                (self.i > start).then(|| Json::Number(&self.text[start..self.i]))
            }
        }
    }

    /// The members of an object whose `{` was just read, up to its `}`, each to `visit`.
    fn members(&mut self, depth: usize, visit: &mut dyn FnMut(Member<'t>)) -> Option<()> {
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            self.ws();
            let start = self.i;
            let key = self.string()?;
            let key_span = Span::new(start, self.i);
            if !self.eat(b':') {
                return None;
            }
            let value = self.value(depth + 1)?;
            visit(Member { key, key_span, value });
            if self.eat(b',') {
                continue;
            }
            return self.eat(b'}').then_some(());
        }
    }

    fn word(&mut self, w: &str, v: Json<'t>) -> Option<Json<'t>> {
        if self.text.get(self.i..)?.starts_with(w) {
            self.i += w.len();
            Some(v)
        } else {
            None
        }
    }

    /// A string at `self.i` (which is a quote), unescaped.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes.
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'"' => {
                    let s = &self.text[start..self.i];
                    self.i += 1;
                    return Some(Cow::Borrowed(s));
                }
                b'\\' => break,
                _ => self.i += 1,
            }
        }
        let mut out = String::from(self.text.get(start..self.i)?);
        loop {
            let seg = self.i;
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.text.get(seg..self.i)?);
            match self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                _ => {
                    self.i += 1;
                    let c = *self.b.get(self.i)?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.text.get(self.i..)?.starts_with("\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000
                                    + ((u32::from(hi) - 0xD800) << 10)
                                    + (u32::from(lo).wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                u32::from(hi)
                            };
                            out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                        }
                        _ => return None,
                    }
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u16> {
        let h = self.text.get(self.i..self.i + 4)?;
        self.i += 4;
        u16::from_str_radix(h, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicates_and_spans() {
        let t = r#"{"a": 1, "a": "x\"y\u00e9", "b": [true, null, -2.5e3]}"#;
        let Some(Json::Object(m)) = parse(t) else { panic!() };
        assert_eq!(m.len(), 3);
        assert_eq!(m[1].key_span.text(t), "\"a\"");
        assert!(matches!(&m[1].value, Json::String(s) if s == "x\"yé"));
        assert!(matches!(&m[2].value, Json::Array));
        assert!(matches!(parse("-2.5e3"), Some(Json::Number("-2.5e3"))));
        assert!(parse("{\"a\": 1} x").is_none());
        assert!(parse(&"[".repeat(200)).is_none());
    }

    /// Members of the first `units` object come one by one, the rest of the root is skipped,
    /// and the shape is told apart from JSON that is not of it.
    #[test]
    fn members_of_one_field_are_visited_in_order() {
        let keys = |t: &str| {
            let mut seen = Vec::new();
            let shape =
                for_each_member_of(t, "units", &mut |m| seen.push((m.key.to_string(), m.key_span.text(t).to_string())));
            (shape, seen)
        };
        let (shape, seen) =
            keys(r#"{"note": {"units": 1}, "units": {"A": {"1": 2}, "B": [], "A": null}, "units": {"C": 1}}"#);
        assert_eq!(shape, Some(true));
        assert_eq!(seen.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["A", "B", "A"]);
        assert_eq!(seen[1].1, "\"B\"");
        assert_eq!(keys(r#"{"units": [1], "units": {"A": 1}}"#), (Some(false), Vec::new()));
        assert_eq!(keys(r#"{"other": 1}"#), (Some(false), Vec::new()));
        assert_eq!(keys(r#"{}"#), (Some(false), Vec::new()));
        assert_eq!(keys(r#"[{"units": {"A": 1}}]"#), (Some(false), Vec::new()));
        assert_eq!(keys(r#""units""#), (Some(false), Vec::new()));
        assert_eq!(keys(r#"{"units": {}}"#), (Some(true), Vec::new()));
        assert_eq!(keys(r#"{"units": {"A": 1} x"#).0, None);
    }
}
