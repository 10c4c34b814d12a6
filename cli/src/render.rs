//! Terminal rendering: diagnostics through miette (columns in characters, far-apart labels apart,
//! no line too long to show), scorecards as text tables and CSV, and explanations of an indicator,
//! a pillar or a total, with labels in the reader's language and numbers in the data's locale.

use chiso::map::VecSet;
use std::borrow::Cow;
use std::fmt;

use crate::text::{self, Lang};
use chiso::diag::shorten_quoted;
use chiso::diag::{Diagnostic, Lang as DiagLang, Severity};
use chiso::eval::{IndicatorResult, Status, Step, Taken, UnitResult, Value};
use chiso::num::{Locale, Num};
use chiso::wire::Precision;
use chiso::{Detail, RoundedIndicator, RoundedUnit};
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

/// A chiso diagnostic dressed for miette, its texts in `lang`.
struct Report<'a> {
    d: &'a Diagnostic,
    lang: DiagLang,
    /// The message, with over-long quoted values shortened.
    message: String,
    src: Option<Text<'a>>,
    /// Its labels that point into another file, each shown with a snippet of that file.
    elsewhere: Vec<Elsewhere<'a>>,
}

/// A label in another file than its diagnostic's (a plan's diagnostic pointing into the
/// rulebook), rendered by miette as a related note with its own snippet.
struct Elsewhere<'a> {
    text: String,
    span: chiso::Span,
    src: Text<'a>,
}

impl fmt::Debug for Elsewhere<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Display for Elsewhere<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl std::error::Error for Elsewhere<'_> {}

impl miette::Diagnostic for Elsewhere<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = (self.span.end.saturating_sub(self.span.start)) as usize;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(None, (self.span.start as usize, len)))))
    }
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
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(shorten_quoted(&h.render(self.lang), QUOTED_CHARS).into_owned()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(self.elsewhere.iter().map(|e| e as &dyn miette::Diagnostic)))
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.src.as_ref()?;
        let len = |s: chiso::Span| (s.end.saturating_sub(s.start)) as usize;
        let title = match self.lang {
            DiagLang::En => self.d.code.title(),
            DiagLang::Vi => self.d.code.title_vi(),
        };
        let main =
            LabeledSpan::new_primary_with_span(Some(title.to_string()), (self.d.span.start as usize, len(self.d.span)));
        let here = self.d.span.anchor;
        let rest = self.d.labels.iter().filter(move |l| l.span.anchor == here).map(move |l| {
            LabeledSpan::new_with_span(
                Some(shorten_quoted(&l.text.render(self.lang), QUOTED_CHARS).into_owned()),
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
    name: String,
    text: &'a str,
    lines: std::sync::Arc<Lines>,
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
        let (line, _) = line_col(self.text, &self.lines, first);
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

/// Where the lines of a text break, as miette counts them (`\r\n`, `\n` and a lone `\r`):
/// computed once per file, so that placing every snippet of a file with many diagnostics does not
/// read the file from the start each time.
struct Lines {
    /// The offset just after each line break (after the `\r` of a `\r\n`: an offset on its `\n`
    /// is already on the next line, as miette counts it).
    breaks: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut breaks = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes.get(i) {
                Some(b'\r') => {
                    breaks.push(i + 1);
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                }
                Some(b'\n') => breaks.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { breaks }
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.breaks.partition_point(|&b| b <= offset) + 1
    }
}

/// The 1-based line and column of byte `offset`, as [`Text`] shows them.
fn line_col(text: &str, lines: &Lines, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    (lines.line_of(offset), char_column(text, offset) + 1)
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

/// Renders diagnostics about `name` (whose text is `text`) for a terminal, in `lang`. A label in
/// another file is shown with that file's snippet when `other` knows the file (its name and
/// text), and left out otherwise rather than drawn in the wrong text.
pub fn diagnostics<'t>(
    lang: Lang,
    name: &str,
    text: &'t str,
    diags: &[Diagnostic],
    other: &dyn Fn(chiso::diag::Anchor) -> Option<(String, &'t str)>,
) -> String {
    let lang = lang.diag();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(110);
    let lines = std::sync::Arc::new(Lines::new(text));
    let mut out = String::new();
    for d in diags {
        let message = shorten_quoted(&d.message.render(lang), QUOTED_CHARS).into_owned();
        let spans =
            std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span).filter(|s| s.anchor == d.span.anchor));
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
        let src = own_long.is_none().then(|| Text { name: name.to_string(), text, lines: lines.clone() });
        let elsewhere = d
            .labels
            .iter()
            .filter(|l| l.span.anchor != d.span.anchor)
            .filter_map(|l| {
                let (name, text) = other(l.span.anchor)?;
                let label = shorten_quoted(&l.text.render(lang), QUOTED_CHARS).into_owned();
                Some(Elsewhere {
                    text: label,
                    span: l.span,
                    src: Text { name, text, lines: std::sync::Arc::new(Lines::new(text)) },
                })
            })
            .collect();
        let r = Report { d, lang, message, src, elsewhere };
        let mut report = String::new();
        if handler.render_report(&mut report, &r).is_err() {
            report = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, r.message);
        }
        out.push_str(&in_words_of(lang, &report));
        if let Some(at) = own_long {
            let (line, col) = line_col(text, &lines, at);
            let (start, end) = line_around(text, at);
            let chars = text.get(start..end).map_or(end - start, |l| l.chars().count());
            out.push_str(&match lang {
                DiagLang::En => format!("  at {name}:{line}:{col} (a line of {chars} characters, not shown)\n"),
                DiagLang::Vi => format!("  tại {name}:{line}:{col} (dòng dài {chars} ký tự, không hiển thị)\n"),
            });
        }
    }
    out
}

/// A report as miette draws it, with miette's own English words (the `help:` of a hint, the
/// `Advice:` heading of a note in another file) in `lang`. Only whole words at the start of a
/// line are replaced, where miette puts them: a snippet's lines start with their number and a
/// message's with `×`, `⚠` or `│`. The Vietnamese `gợi ý:` is as wide as `help:`, so miette's
/// wrapped lines stay aligned under it.
fn in_words_of(lang: DiagLang, report: &str) -> String {
    let mut out = String::with_capacity(report.len() + 16);
    for line in report.split_inclusive('\n') {
        let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        match (lang, body) {
            (_, "Advice: " | "Advice:") => out.push_str(lang_pick(lang, "See also:", "Xem thêm:")),
            (DiagLang::Vi, b) if b.starts_with("  help: ") => {
                out.push_str(" gợi ý: ");
                out.push_str(&b["  help: ".len()..]);
            }
            _ => out.push_str(body),
        }
        out.push_str(end);
    }
    out
}

fn lang_pick<'a>(lang: DiagLang, en: &'a str, vi: &'a str) -> &'a str {
    match lang {
        DiagLang::En => en,
        DiagLang::Vi => vi,
    }
}

/// How a reader wants scorecards: labels in `lang`, numbers the `locale`'s way.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub lang: Lang,
    pub locale: Locale,
}

impl Style {
    fn t<'a>(&self, en: &'a str, vi: &'a str) -> &'a str {
        self.lang.pick(en, vi)
    }
    /// A score or max in a table: two decimals.
    fn fixed(&self, n: &Num) -> String {
        text::fixed(n, TABLE_DIGITS.points, self.locale)
    }
    /// A number in an explanation: exact up to six decimals.
    fn num(&self, n: &Num) -> String {
        text::number(n, 6, self.locale)
    }
    fn value(&self, v: &Value) -> String {
        match v {
            Value::Num(n) => self.num(n),
            Value::Bool(b) => self.t(if *b { "yes" } else { "no" }, if *b { "có" } else { "không" }).to_string(),
            other => other.to_string(),
        }
    }
    /// A percentage: `0.8` as `80%`, exact up to four decimals of a percent.
    fn percent(&self, n: &Num) -> String {
        format!("{}%", text::number(&n.mul(&Num::from_i64(100)), 4, self.locale))
    }
    /// The value of a name, as a percentage when the name is one.
    fn named(&self, name: &str, v: &Value, percent: &VecSet<String>) -> String {
        match v {
            Value::Num(n) if percent.contains(name) => self.percent(n),
            other => self.value(other),
        }
    }
    fn index(&self, i: Option<&Num>) -> String {
        i.map_or("-".to_string(), |i| text::fixed(i, INDEX_DIGITS, self.locale))
    }
    /// [`Self::fixed`] of the number `rounded` is the rounding of (to [`TABLE_DIGITS`]).
    fn fixed_rounded(&self, rounded: &str) -> String {
        text::fixed_decimal(if rounded.is_empty() { "0" } else { rounded }, TABLE_DIGITS.points, self.locale)
    }
}

/// The decimals a table shows: two for points, four for the index.
pub const TABLE_DIGITS: chiso::Digits = chiso::Digits { points: 2, index: INDEX_DIGITS };
const INDEX_DIGITS: u32 = 4;

/// The widest a title column gets; longer titles are cut (see [`text::distinct_cuts`]).
const TITLE_WIDTH: usize = 58;

/// A scorecard per unit, then the ranking.
///
/// Made a unit at a time, as the units are scored: each unit's card is written when it comes, and
/// only its line of the ranking is kept (a million scorecards are never held). A card comes from
/// an exact scorecard ([`Self::unit`]) or from one the float filter rounded to [`TABLE_DIGITS`]
/// ([`Self::rounded_unit`]): the same text either way (a test compares them on every example).
pub struct Table<'t> {
    title: Option<&'t str>,
    st: Style,
    /// Every unit lists the same titles: cut them once.
    cuts: Cuts,
    ranking: Vec<RankLine>,
}

/// A unit's line of the ranking.
struct RankLine {
    rank: usize,
    id: String,
    total: String,
    index: String,
    complete: bool,
}

impl<'t> Table<'t> {
    pub fn new(title: Option<&'t str>, st: Style) -> Table<'t> {
        Table { title, st, cuts: Cuts::default(), ranking: Vec::new() }
    }

    /// The text before the first unit.
    pub fn head(&self) -> String {
        self.title.map(|t| format!("{t}\n\n")).unwrap_or_default()
    }

    /// A unit's scorecard, from its exact scorecard; its line of the ranking is kept.
    pub fn unit(&mut self, u: &UnitResult) -> String {
        let card = exact_card(u, self.st);
        self.card(card)
    }

    /// [`Self::unit`], from a scorecard rounded to [`TABLE_DIGITS`].
    pub fn rounded_unit(&mut self, u: &RoundedUnit) -> String {
        let card = rounded_card(u, self.st);
        self.card(card)
    }

    fn card(&mut self, card: Card) -> String {
        let mut out = String::new();
        unit_card(&mut out, &card, self.st, &mut self.cuts);
        let Card { id, total, index, complete, rank, .. } = card;
        self.ranking.push(RankLine { rank, id, total, index, complete });
        out
    }

    /// The ranking of every unit, unless one unit was asked for or there is only one.
    pub fn ranking(mut self, only: Option<&str>) -> String {
        let st = self.st;
        let mut out = String::new();
        if only.is_some() || self.ranking.len() <= 1 {
            return out;
        }
        let unit_w = self.ranking.iter().map(|r| text::width(&r.id)).max().unwrap_or(0).max(24);
        let rank_w = 4;
        out.push_str(st.t("Ranking\n", "Xếp hạng\n"));
        let row = |rank: &str, unit: &str, total: &str, index: &str, complete: &str| {
            format!(
                "{}  {} {} {}  {}\n",
                text::pad_left(rank, rank_w),
                text::pad_right(unit, unit_w),
                text::pad_left(total, 10),
                text::pad_left(index, 10),
                complete
            )
        };
        out.push_str(&row(
            st.t("rank", "hạng"),
            st.t("unit", "đơn vị"),
            st.t("total", "tổng"),
            st.t("index", "chỉ số"),
            st.t("complete", "đủ dữ liệu"),
        ));
        self.ranking.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.id.cmp(&b.id)));
        for r in &self.ranking {
            out.push_str(&row(
                &r.rank.to_string(),
                &r.id,
                &r.total,
                &r.index,
                if r.complete { st.t("yes", "có") } else { st.t("NO", "KHÔNG") },
            ));
        }
        out
    }
}

/// A unit's scorecard as text, before alignment.
struct Card {
    id: String,
    lines: Vec<CardLine>,
    total: String,
    complete: bool,
    index: String,
    rank: usize,
}

/// One line of a scorecard, before alignment.
struct CardLine {
    id: String,
    title: String,
    score: String,
    max: String,
    status: String,
    /// A blank line follows (after a pillar).
    gap: bool,
}

/// The last titles cut for a scorecard, and their cuts padded to [`TITLE_WIDTH`] (every unit's
/// card has the same titles: a table of 100,000 Vietnamese cards measured 11 million titles'
/// widths otherwise).
#[derive(Default)]
struct Cuts {
    titles: Vec<String>,
    padded: Vec<String>,
}

impl Cuts {
    fn of<'a>(&mut self, titles: impl Iterator<Item = &'a str> + Clone) -> &[String] {
        if !titles.clone().eq(self.titles.iter().map(String::as_str)) {
            let refs: Vec<&str> = titles.collect();
            self.padded =
                text::distinct_cuts(&refs, TITLE_WIDTH).iter().map(|c| text::pad_right(c, TITLE_WIDTH)).collect();
            self.titles = refs.into_iter().map(String::from).collect();
        }
        &self.padded
    }
}

/// A card's lines in order, from either scorecard: each pillar's indicators then the pillar's own
/// line, then the indicators outside every pillar.
#[allow(clippy::type_complexity)]
fn card_lines<'a, I, P>(
    (indicators, pillar_of, indicator_line): (&'a [I], impl Fn(&'a I) -> Option<&'a str>, impl Fn(&'a I) -> CardLine),
    (pillars, id_of, pillar_line): (&'a [P], impl Fn(&'a P) -> &'a str, impl Fn(&'a P) -> CardLine),
) -> Vec<CardLine> {
    let mut lines = Vec::new();
    for p in pillars {
        let id = id_of(p);
        lines.extend(indicators.iter().filter(|i| pillar_of(i) == Some(id)).map(&indicator_line));
        lines.push(pillar_line(p));
    }
    lines.extend(indicators.iter().filter(|i| pillar_of(i).is_none()).map(&indicator_line));
    lines
}

/// A unit's card from its exact scorecard.
fn exact_card(u: &UnitResult, st: Style) -> Card {
    let exact_line = |i: &IndicatorResult| {
        let texts = IndicatorTexts {
            id: &i.id,
            title: &i.title,
            sub: i.parent.is_some(),
            status: &i.status,
            score: st.fixed(i.score.as_ref().unwrap_or(&Num::zero())),
            raw: i.raw_score.as_ref().map(|r| st.fixed(r)),
            contradicted: i.contradicted.as_deref(),
            max: st.fixed(&i.max),
        };
        indicator_line(texts, || reason(i, st), st)
    };
    let lines = card_lines(
        (&u.indicators, |i| i.pillar.as_deref(), exact_line),
        (
            &u.pillars,
            |p| p.id.as_str(),
            |p| pillar_line(&p.id, &p.title, st.fixed(&p.score), st.fixed(&p.max), p.complete, st),
        ),
    );
    Card {
        id: u.id.clone(),
        lines,
        total: st.fixed(&u.total),
        complete: u.complete,
        index: st.index(u.index.as_ref()),
        rank: u.rank,
    }
}

/// A unit's card from its scorecard rounded to [`TABLE_DIGITS`].
fn rounded_card(u: &RoundedUnit, st: Style) -> Card {
    let rounded_line = |i: &RoundedIndicator| {
        let texts = IndicatorTexts {
            id: i.id,
            title: i.title,
            sub: i.parent.is_some(),
            status: i.status.as_ref().unwrap_or(&Status::NotEvaluable),
            score: st.fixed_rounded(&i.score),
            raw: i.raw.as_deref().map(|r| st.fixed_rounded(r)),
            contradicted: i.contradicted.as_deref(),
            max: st.fixed_rounded(&i.max),
        };
        let reason = || i.why.as_ref().map(|why| why.render(st.lang.diag())).or_else(|| i.reason.clone());
        indicator_line(texts, || reason().unwrap_or_default(), st)
    };
    let lines = card_lines(
        (&u.indicators, |i| i.pillar, rounded_line),
        (
            &u.pillars,
            |p| p.id,
            |p| pillar_line(p.id, p.title, st.fixed_rounded(&p.score), st.fixed_rounded(&p.max), p.complete, st),
        ),
    );
    Card {
        id: u.id.to_string(),
        lines,
        total: st.fixed_rounded(&u.total),
        complete: u.complete,
        index: u.index.as_deref().map_or("-".to_string(), |i| text::fixed_decimal(i, INDEX_DIGITS, st.locale)),
        rank: u.rank,
    }
}

fn pillar_line(id: &str, title: &str, score: String, max: String, complete: bool, st: Style) -> CardLine {
    CardLine {
        id: id.to_string(),
        title: format!("{} {}", st.t("PILLAR", "TRỤ CỘT"), title),
        score,
        max,
        status: if complete { String::new() } else { st.t("incomplete", "chưa đủ dữ liệu").to_string() },
        gap: true,
    }
}

fn unit_card(out: &mut String, card: &Card, st: Style, cuts: &mut Cuts) {
    out.push_str(&format!("== {} ==\n", card.id));
    let lines = &card.lines;
    let titles = cuts.of(lines.iter().map(|l| l.title.as_str()));
    let id_w = lines.iter().map(|l| text::width(&l.id)).max().unwrap_or(0).max(9);
    let score_w = lines.iter().map(|l| text::width(&l.score)).max().unwrap_or(0).max(8);
    let max_w = lines.iter().map(|l| text::width(&l.max)).max().unwrap_or(0).max(7);
    // Written in place: a table of a million units has tens of millions of cells.
    // `title` comes padded.
    let row = |out: &mut String, id: &str, title: &str, score: &str, max: &str, status: &str| {
        text::push_pad_right(out, id, id_w);
        out.push(' ');
        out.push_str(title);
        out.push(' ');
        text::push_pad_left(out, score, score_w);
        out.push(' ');
        text::push_pad_left(out, max, max_w);
        out.push_str("  ");
        out.push_str(status);
        out.push('\n');
    };
    row(
        out,
        st.t("id", "mã"),
        &text::pad_right(st.t("indicator", "chỉ số"), TITLE_WIDTH),
        st.t("score", "điểm"),
        st.t("max", "tối đa"),
        st.t("status", "trạng thái"),
    );
    for (l, title) in lines.iter().zip(titles) {
        row(out, &l.id, title, &l.score, &l.max, &l.status);
        if l.gap {
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "{} {}{}   {} {}   {} {}\n\n",
        st.t("TOTAL", "TỔNG"),
        card.total,
        if card.complete {
            ""
        } else {
            st.t(" (incomplete: some indicators are not evaluable)", " (chưa đủ: có chỉ số không tính được)")
        },
        st.t("INDEX", "CHỈ SỐ"),
        card.index,
        st.t("RANK", "XẾP HẠNG"),
        card.rank
    ));
}

/// What an indicator's line shows, its numbers written: from an exact or a rounded scorecard.
struct IndicatorTexts<'a> {
    id: &'a str,
    title: &'a str,
    /// A sub-indicator (indented).
    sub: bool,
    status: &'a Status,
    score: String,
    /// The score before clamping, when clamping changed it.
    raw: Option<String>,
    contradicted: Option<&'a str>,
    max: String,
}

/// An indicator's line; `reason` says why it is not evaluable (asked only then).
fn indicator_line(i: IndicatorTexts, reason: impl FnOnce() -> String, st: Style) -> CardLine {
    let (score, status) = match i.status {
        Status::Scored => {
            let clamped = i.raw.map(|r| format!("{} {r}", st.t("clamped from", "chặn từ")));
            // A score resting on data that breaks an `assume` must not read like any other.
            let contradicted =
                i.contradicted.map(|a| format!("{} `assume {a}`", st.t("data contradicts", "dữ liệu trái với")));
            let status: Vec<String> = contradicted.into_iter().chain(clamped).collect();
            (i.score, status.join("; "))
        }
        Status::NotEvaluable => {
            ("-".to_string(), format!("{}: {}", st.t("not evaluable", "không tính được"), reason()))
        }
        Status::NotScored => ("-".to_string(), st.t("not scored", "không chấm điểm").to_string()),
    };
    let indented = |s: &str| if i.sub { format!("  {s}") } else { s.to_string() };
    CardLine { id: indented(i.id), title: indented(i.title), score, max: i.max, status, gap: false }
}

/// Long-format CSV: one row per unit and indicator, then pillar, total and index rows. The
/// first seven columns are those of earlier versions; `title`, `rank` (the unit's) and `clamped`
/// (an indicator whose rule computed outside [0, max], with `raw_score` as computed) and
/// `contradicted_assumption` (the `assume` the unit's data breaks, as written) follow.
/// Numbers are plain decimals, for spreadsheets and scripts.
///
/// Made in pieces, the header ([`csv_header`]) then one piece per unit ([`csv_unit`]), written
/// as each unit is scored: neither a million units' text nor their scorecards sit in memory.
pub fn csv_header() -> Result<String, String> {
    let header = [
        "unit",
        "kind",
        "id",
        "score",
        "max",
        "status",
        "reason",
        "title",
        "rank",
        "clamped",
        "raw_score",
        "contradicted_assumption",
    ]
    .map(String::from);
    write_csv([header])
}

/// One unit's lines of the CSV (after [`csv_header`]), numbers written at `precision`, from an
/// exact scorecard: what `--precision exact` writes, and the reference [`csv_rounded`] is tested
/// against.
pub fn csv_unit(u: &UnitResult, precision: Precision, detail: Detail) -> Result<String, String> {
    let rows = unit_csv_rows(u, precision);
    let shown = rows.iter().filter(|r| detail == Detail::Scorecard || r[1] != "indicator");
    write_csv(shown.map(|r| r.each_ref().map(|c| c.as_ref())))
}

/// [`csv_unit`]'s text, appended to `out`, from a scorecard whose numbers are already rounded
/// (`Workspace::score_each_rounded`): the same bytes (a test compares them on every example),
/// written without building rows.
pub fn csv_rounded(u: &RoundedUnit, out: &mut String) {
    let mut rank = String::new();
    {
        use std::fmt::Write as _;
        let _ = write!(rank, "{}", u.rank);
    }
    let row = |out: &mut String, fields: [&str; 12]| {
        for (k, f) in fields.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            csv_field(f, out);
        }
        out.push('\n');
    };
    for i in &u.indicators {
        let status = i.status.as_ref().map_or("", Status::as_str);
        let raw = i.raw.as_deref();
        row(
            out,
            [
                u.id,
                "indicator",
                i.id,
                if i.scored { &i.score } else { "" },
                &i.max,
                status,
                i.reason.as_deref().unwrap_or_default(),
                i.title,
                &rank,
                if raw.is_some() { "true" } else { "false" },
                raw.unwrap_or_default(),
                i.contradicted.as_deref().unwrap_or_default(),
            ],
        );
    }
    for p in &u.pillars {
        let complete = if p.complete { "complete" } else { "incomplete" };
        row(out, [u.id, "pillar", p.id, &p.score, &p.max, complete, "", p.title, &rank, "", "", ""]);
    }
    let complete = if u.complete { "complete" } else { "incomplete" };
    row(out, [u.id, "total", "", &u.total, "", complete, "", "", &rank, "", "", ""]);
    if let Some(i) = &u.index {
        row(out, [u.id, "index", "", i, "", "", "", "", &rank, "", "", ""]);
    }
}

/// One CSV field as [`write_csv`] writes it: quoted (quotes doubled) when it holds a comma, a
/// quote, a `\n` or a `\r`.
fn csv_field(f: &str, out: &mut String) {
    // Bytes, not chars: the four are ASCII, and this runs on every field of every row (a title
    // on each of 120 rows a unit). Without an early exit the scan is vectorised.
    if !f.bytes().fold(false, |special, b| special | matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push_str(f);
        return;
    }
    out.push('"');
    for (k, part) in f.split('"').enumerate() {
        if k > 0 {
            out.push_str("\"\"");
        }
        out.push_str(part);
    }
    out.push('"');
}

/// The CSV rows of one unit: its indicators, pillars, total and index. Text fields are borrowed
/// from the scorecard; only numbers are written out.
fn unit_csv_rows(u: &UnitResult, precision: Precision) -> Vec<[Cow<'_, str>; 12]> {
    fn text(s: &Option<String>) -> Cow<'_, str> {
        Cow::Borrowed(s.as_deref().unwrap_or_default())
    }
    let dec = |n: &Num| {
        Cow::Owned(match precision {
            Precision::Digits(digits) => {
                let mut s = String::new();
                n.write_decimal(digits, &mut s);
                s
            }
            Precision::Exact => n.to_exact_string(),
        })
    };
    let none = || Cow::Borrowed("");
    let mut rows: Vec<[Cow<str>; 12]> = Vec::with_capacity(u.indicators.len() + u.pillars.len() + 2);
    let rank: Cow<str> = Cow::Owned(u.rank.to_string());
    let id = Cow::Borrowed(u.id.as_str());
    for i in &u.indicators {
        rows.push([
            id.clone(),
            "indicator".into(),
            Cow::Borrowed(i.id.as_str()),
            i.score.as_ref().map_or_else(none, dec),
            dec(&i.max),
            i.status.as_str().into(),
            text(&i.reason),
            Cow::Borrowed(i.title.as_str()),
            rank.clone(),
            if i.raw_score.is_some() { "true" } else { "false" }.into(),
            i.raw_score.as_ref().map_or_else(none, dec),
            text(&i.contradicted),
        ]);
    }
    for p in &u.pillars {
        rows.push([
            id.clone(),
            "pillar".into(),
            Cow::Borrowed(p.id.as_str()),
            dec(&p.score),
            dec(&p.max),
            if p.complete { "complete" } else { "incomplete" }.into(),
            none(),
            Cow::Borrowed(p.title.as_str()),
            rank.clone(),
            none(),
            none(),
            none(),
        ]);
    }
    let complete = if u.complete { "complete" } else { "incomplete" };
    rows.push([
        id.clone(),
        "total".into(),
        none(),
        dec(&u.total),
        none(),
        complete.into(),
        none(),
        none(),
        rank.clone(),
        none(),
        none(),
        none(),
    ]);
    if let Some(i) = &u.index {
        let mut row: [Cow<str>; 12] = Default::default();
        row[0] = id;
        row[1] = "index".into();
        row[3] = dec(i);
        row[8] = rank;
        rows.push(row);
    }
    rows
}

/// CSV text of `records`, lines ending in `\n`, a field quoted when it holds a comma, a quote, a
/// `\n` or a `\r` (a lone `\r` ends a line for some readers).
pub fn write_csv<R: AsRef<[S]>, S: AsRef<str>>(records: impl IntoIterator<Item = R>) -> Result<String, String> {
    // The csv crate quotes `\r` only with `\r\n` line ends; those are written, then each line
    // end (never a `\r` inside a quoted field) becomes `\n`.
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut ends = Vec::new();
    for r in records {
        w.write_record(r.as_ref().iter().map(|f| f.as_ref().as_bytes())).map_err(|e| e.to_string())?;
        w.flush().map_err(|e| e.to_string())?;
        ends.push(w.get_ref().len().saturating_sub(2));
    }
    // Drop each line end's `\r` in place: the text is not copied a second time.
    let mut bytes = w.into_inner().map_err(|e| e.to_string())?;
    let (mut kept, mut from) = (0, 0);
    for at in ends {
        if bytes.get(at) == Some(&b'\r') {
            bytes.copy_within(from..at, kept);
            kept += at - from;
            from = at + 1;
        }
    }
    let len = bytes.len();
    bytes.copy_within(from..len, kept);
    bytes.truncate(kept + (len - from));
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The header of an explanation: what, for which unit.
fn explain_head(out: &mut String, what: &str, unit: &str, st: Style) {
    out.push_str(&format!("{what} — {} {unit}\n", st.t("unit", "đơn vị")));
}

fn max_points(n: &Num, st: Style) -> String {
    format!("{} {} {}\n", st.t("max", "tối đa"), st.num(n), st.t("points", "điểm"))
}

/// The explanation of one indicator's score for one unit.
/// `percent` names the inputs and `let`s that are percentages.
pub fn explain(u: &UnitResult, id: &str, rule_text: &str, percent: &VecSet<String>, st: Style) -> Option<String> {
    let i = u.indicators.iter().find(|i| i.id == id)?;
    let mut out = String::new();
    explain_head(&mut out, &format!("{} {}", i.id, i.title), &u.id, st);
    out.push_str(&max_points(&i.max, st));
    if !rule_text.is_empty() {
        out.push_str(st.t("rule:\n", "quy tắc:\n"));
        for l in rule_text.lines() {
            out.push_str(&format!("  | {l}\n"));
        }
    }
    out.push_str(st.t("steps:\n", "các bước:\n"));
    for s in &i.trace {
        let line = match s {
            Step::Input { name, value, description, defaulted } => format!(
                "{} {name} = {}{}{}",
                st.t("input", "đầu vào"),
                st.named(name, value, percent),
                description.as_ref().map_or(String::new(), |d| format!("  ({d})")),
                if *defaulted { st.t("  [default: not reported]", "  [mặc định: không báo cáo]") } else { "" }
            ),
            Step::Let { name, value } => format!("let {name} = {}", st.named(name, value, percent)),
            Step::Branch { taken, .. } => {
                let why = match taken {
                    Taken::Condition(held) => {
                        format!("{} {}", st.t("condition is", "điều kiện"), st.value(&Value::Bool(*held)),)
                    }
                    Taken::Arm { subject, value, pattern } => {
                        let value = st.named(subject, &Value::Num(value.clone()), percent);
                        format!("{subject} = {value} {} `{pattern}`", st.t("matches", "khớp"))
                    }
                    Taken::Choice { subject, option } => format!("{subject} = {option}"),
                };
                format!("{}: {why}", st.t("branch", "nhánh"))
            }
            Step::Part { label, value } => format!("{} \"{label}\" = {}", st.t("part", "phần"), st.num(value)),
            Step::Cohort { function, value, min, max, units, result } => format!(
                "{function}: {} {}, {} {units} {} {} {} {} → {}",
                st.t("value", "giá trị"),
                st.num(value),
                st.t("cohort of", "nhóm"),
                st.t("units from", "đơn vị, từ"),
                st.num(min),
                st.t("to", "đến"),
                st.num(max),
                st.num(result)
            ),
            Step::Clamped { raw, clamped } => format!(
                "{} {}, {}: {} {}",
                st.t("computed", "tính ra"),
                st.num(raw),
                st.t("outside [0, max]", "ngoài [0, tối đa]"),
                st.t("reported as", "ghi nhận"),
                st.num(clamped)
            ),
            Step::SubSum { parts } => format!(
                "{}: {}",
                st.t("sum of sub-indicators", "tổng các chỉ số con"),
                parts.iter().map(|(id, s)| format!("{id} = {}", st.num(s))).collect::<Vec<_>>().join(" + ")
            ),
        };
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str(&outcome(i, st));
    Some(out)
}

/// The last line of an indicator's explanation: its score, or why it has none (and the
/// `assume` its data contradicts, when it does).
fn outcome(i: &IndicatorResult, st: Style) -> String {
    let warning = i.contradicted.as_ref().map_or(String::new(), |a| {
        format!(
            "{} `assume {a}`{}\n",
            st.t("warning: the data contradicts", "cảnh báo: dữ liệu trái với"),
            st.t(": the score rests on a fact the data breaks", ": điểm dựa trên một giả định mà dữ liệu không thỏa")
        )
    });
    warning
        + &match i.status {
            Status::Scored => format!(
                "{} = {} / {}\n",
                st.t("score", "điểm"),
                i.score.as_ref().map_or("-".into(), |s| st.num(s)),
                st.num(&i.max)
            ),
            Status::NotEvaluable => {
                format!("{}: {}\n", st.t("not evaluable", "không tính được"), reason(i, st))
            }
            Status::NotScored => format!("{}\n", st.t("not scored", "không chấm điểm")),
        }
}

/// An indicator as a term of a sum: its id, its score out of its max (or why it has none), and
/// its title.
fn term(i: &IndicatorResult, st: Style) -> [String; 3] {
    let value = match i.status {
        Status::Scored => format!("{} / {}", i.score.as_ref().map_or("-".into(), |s| st.num(s)), st.num(&i.max)),
        Status::NotEvaluable => {
            format!("{}: {}", st.t("not evaluable", "không tính được"), reason(i, st))
        }
        Status::NotScored => st.t("not scored", "không chấm điểm").to_string(),
    };
    [i.id.clone(), value, text::cut(&i.title, TITLE_WIDTH)]
}

/// Terms of a sum, one a line, in aligned columns.
fn terms(rows: &[[String; 3]]) -> String {
    let w0 = rows.iter().map(|r| text::width(&r[0])).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| text::width(&r[1])).max().unwrap_or(0);
    rows.iter()
        .map(|[id, value, title]| format!("  {}  {}  {title}\n", text::pad_right(id, w0), text::pad_right(value, w1)))
        .collect()
}

/// The explanation of a pillar's score: the sum of its indicators.
pub fn explain_pillar(u: &UnitResult, id: &str, st: Style) -> Option<String> {
    let p = u.pillars.iter().find(|p| p.id == id)?;
    let mut out = String::new();
    explain_head(&mut out, &format!("{} {} {}", st.t("pillar", "trụ cột"), p.id, p.title), &u.id, st);
    out.push_str(&max_points(&p.max, st));
    out.push_str(st.t("sum of its indicators:\n", "tổng điểm các chỉ số:\n"));
    let rows: Vec<[String; 3]> = u
        .indicators
        .iter()
        .filter(|i| i.pillar.as_deref() == Some(id) && i.parent.is_none())
        .map(|i| term(i, st))
        .collect();
    out.push_str(&terms(&rows));
    out.push_str(&format!("{} = {} / {}\n", st.t("score", "điểm"), st.num(&p.score), st.num(&p.max)));
    if !p.complete {
        out.push_str(st.t(
            "incomplete: an indicator above is not evaluable and counts 0\n",
            "chưa đủ: chỉ số không tính được ở trên được tính 0 điểm\n",
        ));
    }
    Some(out)
}

/// The explanation of a unit's total (and index and rank): the sum of its pillars.
pub fn explain_total(u: &UnitResult, units: usize, index_rule: Option<&str>, st: Style) -> String {
    let mut out = String::new();
    explain_head(&mut out, st.t("total", "tổng điểm"), &u.id, st);
    let free: Vec<&IndicatorResult> =
        u.indicators.iter().filter(|i| i.pillar.is_none() && i.parent.is_none()).collect();
    let max = u.pillars.iter().map(|p| &p.max).chain(free.iter().map(|i| &i.max)).fold(Num::zero(), |a, m| a.add(m));
    out.push_str(&max_points(&max, st));
    if !u.pillars.is_empty() {
        out.push_str(st.t("sum of the pillars:\n", "tổng điểm các trụ cột:\n"));
        let rows: Vec<[String; 3]> = u
            .pillars
            .iter()
            .map(|p| {
                let value = format!(
                    "{} / {}{}",
                    st.num(&p.score),
                    st.num(&p.max),
                    if p.complete { "" } else { st.t(" (incomplete)", " (chưa đủ)") }
                );
                [p.id.clone(), value, text::cut(&p.title, TITLE_WIDTH)]
            })
            .collect();
        out.push_str(&terms(&rows));
    }
    if !free.is_empty() {
        out.push_str(st.t("indicators outside any pillar:\n", "chỉ số không thuộc trụ cột nào:\n"));
        out.push_str(&terms(&free.iter().map(|i| term(i, st)).collect::<Vec<_>>()));
    }
    out.push_str(&format!("{} = {} / {}\n", st.t("total", "tổng"), st.num(&u.total), st.num(&max)));
    if !u.complete {
        out.push_str(st.t(
            "incomplete: some indicators are not evaluable and count 0\n",
            "chưa đủ: có chỉ số không tính được, được tính 0 điểm\n",
        ));
    }
    if let Some(i) = &u.index {
        let rule = index_rule.map_or(String::new(), |r| format!(" = {r}"));
        out.push_str(&format!("{}{rule} = {}\n", st.t("index", "chỉ số"), st.num(i)));
    }
    out.push_str(&format!("{} {} / {units}\n", st.t("rank", "xếp hạng"), u.rank));
    out
}

/// Why an indicator is not evaluable, in the style's language (CSV keeps the English reason).
fn reason(i: &IndicatorResult, st: Style) -> String {
    i.why.as_ref().map(|why| why.render(st.lang.diag())).or_else(|| i.reason.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::Lines;

    /// A field written by hand is quoted as the csv crate quotes it (`write_csv`).
    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        for f in ["", "a", "Tỉnh An Phú", "a,b", "say \"có\"", "\"", "line\nbreak", "cr\rx", "a,\"b\"\n"] {
            let mut out = String::new();
            super::csv_field(f, &mut out);
            out.push('\n');
            assert_eq!(
                out,
                super::write_csv([[f, "x"]]).unwrap().split_once(",x").map(|(a, _)| format!("{a}\n")).unwrap(),
                "{f:?}"
            );
        }
    }

    /// `chiso eval --format csv` and `--format json` write from the float filter's rounded
    /// scorecards: byte for byte the text of the exact scorecards, on every example and its data,
    /// at several precisions.
    #[test]
    fn rounded_csv_is_the_exact_csv_on_every_example() {
        use chiso::data::{self, Format};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let cases = [
            ("dti-2022/dti-2022.chiso", "dti-2022/data/cohort.csv"),
            ("dti-2022/dti-2022.chiso", "dti-2022/data/incomplete.csv"),
            ("dti-2022/dti-2022.chiso", "dti-2022/data/vi-locale.csv"),
            ("dti-2022/dti-2022.chiso", "dti-2022/data/cohort.json"),
            ("egov-2022/egov-2022.chiso", "egov-2022/data.csv"),
            ("ict-2024/ict-2024.chiso", "ict-2024/data.csv"),
            ("ict-2024/ict-2024.chiso", "ict-2024/data.json"),
            ("starter/starter.chiso", "starter/data.csv"),
        ];
        for (rules, data_file) in cases {
            let text = std::fs::read_to_string(root.join(rules)).unwrap_or_default();
            let mut ws = chiso::Workspace::new(chiso_stdlib::functions());
            let file = ws.add_text(rules, &text);
            let Ok(analysis) = ws.check_alone(file) else { panic!("{rules} does not check") };
            let env = &analysis.checked.env;
            let raw = std::fs::read_to_string(root.join(data_file)).unwrap_or_default();
            let format = if data_file.ends_with(".json") { Format::Json } else { Format::Csv };
            let locale = data_file.contains("vi-").then_some(chiso::Locale::Vi);
            let (columns, diags) = data::load_columns(&raw, format, env, locale);
            assert!(!diags.iter().any(|d| d.is_error()), "{data_file}: {diags:?}");
            assert!(!columns.is_empty(), "{data_file} has no unit");
            for digits in [0, 2, 6, 12] {
                for detail in [super::Detail::Scorecard, super::Detail::Totals] {
                    let mut exact = String::new();
                    ws.score_each(&analysis, &columns, &mut |u| {
                        let text = super::csv_unit(&u, super::Precision::Digits(digits), detail);
                        exact.push_str(&text.unwrap_or_default());
                    });
                    let mut rounded = String::new();
                    ws.score_each_rounded(&analysis, &columns, digits, detail, &mut |u| {
                        super::csv_rounded(u, &mut rounded)
                    });
                    assert_eq!(rounded, exact, "{rules} on {data_file} at {digits} digits, {detail:?}");
                }
                // And the JSON document of each unit (`chiso eval --format json`).
                let json = |w: &chiso::wire::WireUnit| serde_json::to_string(w).unwrap_or_default();
                let mut exact = Vec::new();
                let precision = chiso::wire::Precision::Digits(digits);
                ws.score_each(&analysis, &columns, &mut |u| {
                    exact.push(json(&chiso::wire::WireUnit::with_precision(&u, precision)))
                });
                let mut rounded = Vec::new();
                ws.score_each_rounded(&analysis, &columns, digits, super::Detail::Scorecard, &mut |u| {
                    rounded.push(json(&chiso::wire::WireUnit::from_rounded(u)))
                });
                assert_eq!(rounded, exact, "{rules} on {data_file} at {digits} digits: JSON");
            }
        }
    }

    /// `chiso eval`'s table writes every unit's card from the float filter's scorecards rounded
    /// to [`super::TABLE_DIGITS`]: byte for byte the table of the exact scorecards, in both
    /// languages and both number formats, on every example and every evaluation case of the
    /// corpus (clamps, contradicted assumptions, divisions by zero, no arm matched, missing
    /// data, cohort ties).
    #[test]
    fn rounded_table_is_the_exact_table_on_every_example_and_evaluation_case() {
        use chiso::data::{self, Format};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut cases = vec![
            ("examples/dti-2022/dti-2022.chiso".to_string(), "examples/dti-2022/data/cohort.csv".to_string()),
            ("examples/dti-2022/dti-2022.chiso".into(), "examples/dti-2022/data/incomplete.csv".into()),
            ("examples/dti-2022/dti-2022.chiso".into(), "examples/dti-2022/data/vi-locale.csv".into()),
            ("examples/egov-2022/egov-2022.chiso".into(), "examples/egov-2022/data.csv".into()),
            ("examples/ict-2024/ict-2024.chiso".into(), "examples/ict-2024/data.json".into()),
            ("examples/starter/starter.chiso".into(), "examples/starter/data.csv".into()),
        ];
        let corpus = root.join("tests/corpus/eval");
        let mut names: Vec<_> = std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for rules in names.iter().filter(|p| p.extension().is_some_and(|e| e == "chiso")) {
            for ext in ["csv", "json"] {
                if rules.with_extension(ext).exists() {
                    let at = |p: &std::path::Path| p.strip_prefix(&root).unwrap().display().to_string();
                    cases.push((at(rules), at(&rules.with_extension(ext))));
                }
            }
        }
        let mut compared = 0;
        for (rules, data_file) in &cases {
            let text = std::fs::read_to_string(root.join(rules)).unwrap_or_default();
            let mut ws = chiso::Workspace::new(chiso_stdlib::functions());
            let file = ws.add_text(rules, &text);
            let Ok(analysis) = ws.check_alone(file) else { continue };
            let env = &analysis.checked.env;
            let raw = std::fs::read_to_string(root.join(data_file)).unwrap_or_default();
            let format = if data_file.ends_with(".json") { Format::Json } else { Format::Csv };
            let locale = data_file.contains("vi-").then_some(chiso::Locale::Vi);
            let (columns, diags) = data::load_columns(&raw, format, env, locale);
            if diags.iter().any(|d| d.is_error()) || columns.is_empty() {
                continue;
            }
            for lang in [super::Lang::En, super::Lang::Vi] {
                for locale in [chiso::Locale::En, chiso::Locale::Vi] {
                    let st = super::Style { lang, locale };
                    let mut table = super::Table::new(None, st);
                    let mut exact = String::new();
                    ws.score_each(&analysis, &columns, &mut |u| exact.push_str(&table.unit(&u)));
                    exact.push_str(&table.ranking(None));
                    let mut table = super::Table::new(None, st);
                    let mut rounded = String::new();
                    ws.score_each_rounded(
                        &analysis,
                        &columns,
                        super::TABLE_DIGITS,
                        super::Detail::Scorecard,
                        &mut |u| rounded.push_str(&table.rounded_unit(u)),
                    );
                    rounded.push_str(&table.ranking(None));
                    assert_eq!(rounded, exact, "{rules} on {data_file}, {lang:?}, {locale:?}");
                }
            }
            compared += 1;
        }
        assert!(compared > 25, "only {compared} cases compared");
    }

    /// The line of every offset, counted from the start the way miette counts line breaks.
    fn counted(text: &str, offset: usize) -> usize {
        let mut line = 1;
        let mut bytes = text.as_bytes()[..offset].iter().peekable();
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
        line
    }

    #[test]
    fn lines_count_breaks_as_miette_does_at_every_offset() {
        for text in ["", "a", "a\nb", "a\r\nb\r\n", "\r\r\n\n\r", "Thể chế số\r\nx\ry\n\nz", "\n\r\n\r"] {
            let lines = Lines::new(text);
            for offset in 0..=text.len() {
                assert_eq!(lines.line_of(offset), counted(text, offset), "{text:?} at {offset}");
            }
        }
    }
}
