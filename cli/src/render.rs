//! Terminal rendering of diagnostics through miette, and of scorecards as text tables and CSV.

use std::fmt;

use chiso::diag::shorten_quoted;
use chiso::diag::{Diagnostic, Severity};
use chiso::eval::{Results, Status, Step, UnitResult};
use chiso::num::Num;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceSpan, SpanContents,
};

/// Two snippets (each a label's lines and one line around) this many lines apart or closer are
/// shown as one (the lines between cost no more than a second frame would); farther ones are
/// shown apart, so two labels 214 lines apart print a few lines around each, not the 227 lines
/// between them.
const SNIPPET_GAP: usize = 3;

/// A line longer than this many bytes is not shown in a snippet (a 30 MB data cell would be
/// printed, and underlined, in full); the diagnostic then says where it is instead.
const LONG_LINE: usize = 1000;

/// How many characters of a quoted value a rendered message shows (a safety net for messages
/// that quote user text; the readers already shorten the values they echo).
const QUOTED_CHARS: usize = 80;

/// A chiso diagnostic dressed for miette.
struct Report<'a> {
    d: &'a Diagnostic,
    /// The message, with over-long quoted values shortened.
    message: String,
    src: Option<Text<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{} ({})", self.d.code, self.d.code.title_vi())))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d.help.as_ref().map(|h| Box::new(shorten_quoted(h, QUOTED_CHARS).into_owned()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.src.as_ref()?;
        let len = |s: chiso::Span| (s.end.saturating_sub(s.start)) as usize;
        let main = LabeledSpan::new_primary_with_span(
            Some(self.d.code.title().to_string()),
            (self.d.span.start as usize, len(self.d.span)),
        );
        let rest = self.d.labels.iter().map(move |l| {
            LabeledSpan::new_with_span(
                Some(shorten_quoted(&l.text, QUOTED_CHARS).into_owned()),
                (l.span.start as usize, len(l.span)),
            )
        });
        Some(Box::new(std::iter::once(main).chain(rest)))
    }
}

/// A source text for miette, read the way a person reads it. Two corrections to miette 7's own
/// reading of a `str`: the column it prints is counted in characters (miette counts bytes, so
/// `51:55` on a Vietnamese line where an editor and `--format json` say 44), computed here from
/// the line's own text whatever `LineIndex` does; and a snippet's line count is that of its own
/// lines (miette counts from the start of the file, which merges every pair of labels into one
/// snippet however far apart they are).
struct Text<'a> {
    name: &'a str,
    text: &'a str,
}

impl miette::SourceCode for Text<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (mut first, _) = line_around(self.text, start);
        let (_, mut last) = line_around(self.text, end.saturating_sub(1).max(start));
        // Context lines, but not one too long to show (a huge data cell next to the label's row).
        for _ in 0..context_lines_before {
            let Some(prev_end) = first.checked_sub(1) else { break };
            let (prev, _) = line_around(self.text, prev_end);
            if prev_end - prev > LONG_LINE {
                break;
            }
            first = prev;
        }
        for _ in 0..context_lines_after {
            if last >= self.text.len() {
                break;
            }
            let (_, next) = line_around(self.text, last + 1);
            if next - (last + 1) > LONG_LINE {
                break;
            }
            last = next;
        }
        // With the last line's line break, as miette reads it (an empty last line shows).
        let last = if self.text.as_bytes().get(last) == Some(&b'\n') { last + 1 } else { last };
        let data = self.text.as_bytes().get(first..last).ok_or(MietteError::OutOfBounds)?;
        let (line, _) = line_col(self.text, first);
        // A snippet's own lines; miette merges two snippets when this count reaches the second
        // one's first line, hence the allowance.
        let lines = data.iter().filter(|b| **b == b'\n').count() + SNIPPET_GAP;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            data,
            (first, last - first).into(),
            line - 1,
            char_column(self.text, start),
            lines,
        )))
    }
}

/// The 0-based column of byte `offset` in characters from the start of its line.
fn char_column(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let line_start = before.iter().rposition(|b| matches!(b, b'\n' | b'\r')).map_or(0, |i| i + 1);
    text.get(line_start..offset).map_or(offset - line_start, |s| s.chars().count())
}

/// The 1-based line and column of byte `offset`, as [`Text`] shows them.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    // Line breaks as miette counts them: `\r\n`, `\n` and a lone `\r`.
    let mut line = 1;
    let mut bytes = before.iter().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'\n' => line += 1,
            b'\r' => {
                bytes.next_if_eq(&&b'\n');
                line += 1;
            }
            _ => {}
        }
    }
    (line, char_column(text, offset) + 1)
}

/// The line around byte `offset`, as a byte range.
fn line_around(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    let start = bytes.get(..offset).unwrap_or_default().iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let end =
        bytes.get(offset..).unwrap_or_default().iter().position(|b| *b == b'\n').map_or(text.len(), |i| offset + i);
    (start, end)
}

/// Renders diagnostics about `name` (whose text is `text`) for a terminal.
pub fn diagnostics(name: &str, text: &str, diags: &[Diagnostic]) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(110);
    let mut out = String::new();
    for d in diags {
        let message = shorten_quoted(&d.message, QUOTED_CHARS).into_owned();
        let spans = std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span));
        // A label on a line too long to show: no snippet, only where it is.
        let mut own_long = None;
        for s in spans {
            let (start, end) = (s.start as usize, (s.end as usize).max(s.start as usize));
            let (line_start, _) = line_around(text, start);
            let (_, line_end) = line_around(text, end);
            if line_end.saturating_sub(line_start) > LONG_LINE {
                own_long.get_or_insert(start);
            }
        }
        let src = own_long.is_none().then_some(Text { name, text });
        let r = Report { d, message, src };
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!("{}[{}]: {}\n", d.severity.as_str(), d.code, r.message));
        }
        if let Some(at) = own_long {
            let (line, col) = line_col(text, at);
            let (start, end) = line_around(text, at);
            let chars = text.get(start..end).map_or(end - start, |l| l.chars().count());
            out.push_str(&format!("  at {name}:{line}:{col} (a line of {chars} characters, not shown)\n"));
        }
    }
    out
}

fn fixed(n: &Num) -> String {
    n.to_fixed(2)
}

/// A scorecard per unit, then the ranking.
pub fn table(results: &Results, only: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(t) = &results.title {
        out.push_str(&format!("{t}\n\n"));
    }
    for u in results.units.iter().filter(|u| only.is_none_or(|o| o == u.id)) {
        unit_card(&mut out, u);
    }
    if only.is_none() && results.units.len() > 1 {
        out.push_str("Ranking\n");
        out.push_str(&format!("{:>4}  {:<24} {:>10} {:>10}  {}\n", "rank", "unit", "total", "index", "complete"));
        let mut sorted: Vec<&UnitResult> = results.units.iter().collect();
        sorted.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.id.cmp(&b.id)));
        for u in sorted {
            out.push_str(&format!(
                "{:>4}  {:<24} {:>10} {:>10}  {}\n",
                u.rank,
                u.id,
                fixed(&u.total),
                u.index.as_ref().map_or("-".to_string(), |i| i.to_fixed(4)),
                if u.complete { "yes" } else { "NO" }
            ));
        }
    }
    out
}

fn unit_card(out: &mut String, u: &UnitResult) {
    out.push_str(&format!("== {} ==\n", u.id));
    out.push_str(&format!("{:<9} {:<58} {:>8} {:>7}  {}\n", "id", "indicator", "score", "max", "status"));
    for p in &u.pillars {
        for i in u.indicators.iter().filter(|i| i.pillar.as_deref() == Some(p.id.as_str())) {
            indicator_line(out, i);
        }
        out.push_str(&format!(
            "{:<9} {:<58} {:>8} {:>7}  {}\n\n",
            p.id,
            truncate(&format!("PILLAR {}", p.title), 58),
            fixed(&p.score),
            fixed(&p.max),
            if p.complete { "" } else { "incomplete" }
        ));
    }
    for i in u.indicators.iter().filter(|i| i.pillar.is_none()) {
        indicator_line(out, i);
    }
    out.push_str(&format!(
        "TOTAL {}{}   INDEX {}   RANK {}\n\n",
        fixed(&u.total),
        if u.complete { "" } else { " (incomplete: some indicators are not evaluable)" },
        u.index.as_ref().map_or("-".to_string(), |i| i.to_fixed(4)),
        u.rank
    ));
}

fn indicator_line(out: &mut String, i: &chiso::eval::IndicatorResult) {
    let indent = if i.parent.is_some() { "  " } else { "" };
    let (score, status) = match i.status {
        Status::Scored => (
            fixed(i.score.as_ref().unwrap_or(&Num::zero())),
            i.raw_score.as_ref().map_or(String::new(), |r| format!("clamped from {}", r.to_fixed(2))),
        ),
        Status::NotEvaluable => ("-".to_string(), format!("not evaluable: {}", i.reason.clone().unwrap_or_default())),
        Status::NotScored => ("-".to_string(), "not scored".to_string()),
    };
    out.push_str(&format!(
        "{:<9} {:<58} {:>8} {:>7}  {}\n",
        format!("{indent}{}", i.id),
        truncate(&format!("{indent}{}", i.title), 58),
        score,
        fixed(&i.max),
        status
    ));
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Long-format CSV: one row per unit and indicator, then pillar and total rows.
pub fn csv(results: &Results) -> String {
    let mut out = String::from("unit,kind,id,score,max,status,reason\n");
    let q = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for u in &results.units {
        for i in &u.indicators {
            out.push_str(&format!(
                "{},indicator,{},{},{},{},{}\n",
                q(&u.id),
                q(&i.id),
                i.score.as_ref().map_or(String::new(), |s| s.to_decimal_string(6)),
                i.max.to_decimal_string(6),
                i.status.as_str(),
                q(i.reason.as_deref().unwrap_or(""))
            ));
        }
        for p in &u.pillars {
            out.push_str(&format!(
                "{},pillar,{},{},{},{},\n",
                q(&u.id),
                q(&p.id),
                p.score.to_decimal_string(6),
                p.max.to_decimal_string(6),
                if p.complete { "complete" } else { "incomplete" }
            ));
        }
        out.push_str(&format!(
            "{},total,,{},,{},\n",
            q(&u.id),
            u.total.to_decimal_string(6),
            if u.complete { "complete" } else { "incomplete" }
        ));
        if let Some(i) = &u.index {
            out.push_str(&format!("{},index,,{},,,\n", q(&u.id), i.to_decimal_string(6)));
        }
    }
    out
}

/// The explanation of one indicator's score for one unit.
pub fn explain(u: &UnitResult, id: &str, rule_text: &str) -> Option<String> {
    let i = u.indicators.iter().find(|i| i.id == id)?;
    let mut out = format!("{} {} — unit {}\n", i.id, i.title, u.id);
    out.push_str(&format!("max {} points\n", i.max.to_decimal_string(6)));
    if !rule_text.is_empty() {
        out.push_str("rule:\n");
        for l in rule_text.lines() {
            out.push_str(&format!("  | {l}\n"));
        }
    }
    out.push_str("steps:\n");
    for s in &i.trace {
        let line = match s {
            Step::Input { name, value, description, defaulted } => format!(
                "input {name} = {value}{}{}",
                description.as_ref().map_or(String::new(), |d| format!("  ({d})")),
                if *defaulted { "  [default: not reported]" } else { "" }
            ),
            Step::Let { name, value } => format!("let {name} = {value}"),
            Step::Branch { text, .. } => format!("branch: {text}"),
            Step::Part { label, value } => format!("part \"{label}\" = {value}"),
            Step::Cohort { function, value, min, max, units, result } => {
                format!("{function}: value {value}, cohort of {units} units from {min} to {max} → {result}")
            }
            Step::Clamped { raw, clamped } => format!("computed {raw}, outside [0, max]: reported as {clamped}"),
            Step::SubSum { parts } => format!(
                "sum of sub-indicators: {}",
                parts.iter().map(|(id, s)| format!("{id} = {s}")).collect::<Vec<_>>().join(" + ")
            ),
        };
        out.push_str(&format!("  {line}\n"));
    }
    match i.status {
        Status::Scored => out.push_str(&format!(
            "score = {} / {}\n",
            i.score.as_ref().map_or("-".into(), |s| s.to_decimal_string(6)),
            i.max.to_decimal_string(6)
        )),
        Status::NotEvaluable => out.push_str(&format!("not evaluable: {}\n", i.reason.clone().unwrap_or_default())),
        Status::NotScored => out.push_str("not scored\n"),
    }
    Some(out)
}
