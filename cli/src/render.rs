//! Terminal rendering of diagnostics through miette, and of scorecards as text tables and CSV.

use std::fmt;

use chiso::diag::{Diagnostic, Severity};
use chiso::eval::{Results, Status, Step, UnitResult};
use chiso::num::Num;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

/// A chiso diagnostic dressed for miette.
struct Report<'a> {
    d: &'a Diagnostic,
    src: NamedSource<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
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
        self.d.help.as_ref().map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = |s: chiso::Span| (s.end.saturating_sub(s.start)) as usize;
        let main = LabeledSpan::new_primary_with_span(
            Some(self.d.code.title().to_string()),
            (self.d.span.start as usize, len(self.d.span)),
        );
        let rest = self
            .d
            .labels
            .iter()
            .map(move |l| LabeledSpan::new_with_span(Some(l.text.clone()), (l.span.start as usize, len(l.span))));
        Some(Box::new(std::iter::once(main).chain(rest)))
    }
}

/// Renders diagnostics about `name` (whose text is `text`) for a terminal.
pub fn diagnostics(name: &str, text: &str, diags: &[Diagnostic]) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(110);
    let mut out = String::new();
    for d in diags {
        let r = Report { d, src: NamedSource::new(name, text.to_string()) };
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message));
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
