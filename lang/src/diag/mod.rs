//! Diagnostics: what the parser, the checker and the data loader say about a rulebook.
//!
//! A diagnostic has a stable code (see `codes.rs` and `spec/diagnostics.md`), a severity, the span
//! it is about, a message, labelled secondary spans and an optional hint. The texts are typed
//! (`message.rs`) and rendered in English or Vietnamese on demand; laying them out (terminal,
//! JSON, LSP) happens in the shells.

mod codes;
pub(crate) mod excerpt;
pub(crate) mod message;
mod span;

pub use codes::Code;
pub use excerpt::{excerpt, shorten_quoted, EXCERPT_CHARS};
pub use message::{BadDate, Hint, Lang, Message, Note};
pub use span::{Anchor, LineCol, LineIndex, Span};

use std::sync::Arc;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The rulebook cannot be evaluated as written.
    Error,
    /// The rulebook evaluates, but probably not as its authors meant.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary span with a short text: "threshold declared here".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it shows.
    pub text: Note,
}

/// One finding about a rulebook or a data file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable code, e.g. `E0301`.
    pub code: Code,
    /// Error or warning; fixed by the code.
    pub severity: Severity,
    /// The main span.
    pub span: Span,
    /// What was expected and what was found, lowercase, no final period.
    /// Behind a pointer: a message with its placeholders (witnesses, numbers) is large, and
    /// diagnostics travel in `Result`s. Shared (`Arc`) because a diagnostic is copied between the
    /// stages (parse errors into the check's list, the check's into each response), and copying
    /// a pointer needs no copy of the code that clones every kind of message.
    pub message: Arc<Message>,
    /// Secondary spans.
    pub labels: Vec<Label>,
    /// A suggestion for the fix.
    pub help: Option<Arc<Hint>>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    pub fn new(code: Code, span: Span, message: impl Into<Message>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            span,
            message: Arc::new(message.into()),
            labels: Vec::new(),
            help: None,
        }
    }
    /// Adds a labelled secondary span.
    pub fn with_label(mut self, span: Span, text: impl Into<Note>) -> Diagnostic {
        self.labels.push(Label { span, text: text.into() });
        self
    }
    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<Hint>) -> Diagnostic {
        self.help = Some(Arc::new(help.into()));
        self
    }
    /// Whether `other` says the same as this one, in both languages, at the same places: the
    /// check's duplicates (the same finding reached twice). Compared by text rather than by
    /// `==`, whose comparison of every kind of message is kilobytes of the browser's module.
    pub fn reads_as(&self, other: &Diagnostic) -> bool {
        // The places first: they differ for nearly every pair the check compares, and then no
        // text is rendered.
        let places = self.code == other.code
            && self.severity == other.severity
            && self.span == other.span
            && self.labels.len() == other.labels.len()
            && self.labels.iter().zip(&other.labels).all(|(a, b)| a.span == b.span)
            && self.help.is_some() == other.help.is_some();
        places
            && Lang::ALL.iter().all(|l| {
                self.message.render(*l) == other.message.render(*l)
                    && self.labels.iter().zip(&other.labels).all(|(a, b)| a.text.render(*l) == b.text.render(*l))
                    && self.help.iter().zip(&other.help).all(|(a, b)| a.render(*l) == b.render(*l))
            })
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// Stamps the spans that count from the text at hand ([`Anchor::LOCAL`]) with `anchor`;
    /// spans anchored elsewhere (a label into another file) keep theirs.
    pub fn anchored(self, anchor: Anchor) -> Diagnostic {
        self.map_spans(|s| if s.anchor == Anchor::LOCAL { s.with_anchor(anchor) } else { s })
    }
    /// Every span (the main one and the labels') mapped by `f`.
    pub fn map_spans(mut self, f: impl Fn(Span) -> Span) -> Diagnostic {
        self.span = f(self.span);
        for l in &mut self.labels {
            l.span = f(l.span);
        }
        self
    }
    /// Moves every span by `offset` bytes (for items checked on their own).
    pub fn shifted(mut self, offset: u32) -> Diagnostic {
        self.span = self.span.shifted(offset);
        for l in &mut self.labels {
            l.span = l.span.shifted(offset);
        }
        self
    }
}

/// Sorts diagnostics by position, then code, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    crate::sort::sort_by_key(diags, |d| (d.span.start, d.span.end, d.code));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reads_as` finds the same finding twice, and tells apart any difference a reader sees:
    /// the message's words, a label, the help, the place.
    #[test]
    fn diagnostics_read_the_same_when_every_text_and_place_is_the_same() {
        let twice = |unit: &str| Message::ReportedTwice {
            at: None,
            unit: unit.to_string(),
            id: "1.1".to_string(),
            input: "a".to_string(),
        };
        let d = Diagnostic::new(Code::E0802, Span::new(3, 5), twice("P01"))
            .with_label(Span::new(7, 9), Note::AlsoIgnored { more: 2 })
            .with_help(Hint::LeaveEmpty);
        assert!(d.reads_as(&d.clone()));
        let other_unit = Diagnostic { message: Arc::new(twice("P02")), ..d.clone() };
        let other_place = Diagnostic { span: Span::new(3, 6), ..d.clone() };
        let other_label = Diagnostic {
            labels: vec![Label { span: Span::new(7, 9), text: Note::AlsoIgnored { more: 3 } }],
            ..d.clone()
        };
        let no_help = Diagnostic { help: None, ..d.clone() };
        let no_label = Diagnostic { labels: Vec::new(), ..d.clone() };
        for other in [other_unit, other_place, other_label, no_help, no_label] {
            assert!(!d.reads_as(&other) && !other.reads_as(&d), "{other:?}");
        }
    }
}
