//! Editor features over one document's tree: hover text, the outline, completion items,
//! semantic tokens, code actions, inlay hints. Input: a tree and its text; output: byte spans and
//! strings (the server converts spans to UTF-16 ranges). Which symbol is where comes from the
//! engine's symbol index (`chiso::sema::symbols`, memoized per file by `chiso-db`): definition,
//! references, rename and highlighting all read it.

use chiso::diag::Span;
use chiso::sema::Env;
use chiso::syntax::ast::{self, IndicatorProp, InputModifier, Item, TypeKind};

use crate::engine;

pub use chiso::sema::symbols::{occurrences, Occ, Sym};

/// Calls `f` on every indicator of a file, nested ones included, in source order.
pub fn ast_indicators<'a>(file: &'a ast::File, f: &mut dyn FnMut(&'a ast::Indicator)) {
    fn rec<'a>(ind: &'a ast::Indicator, f: &mut dyn FnMut(&'a ast::Indicator)) {
        f(ind);
        for s in ind.subs() {
            rec(s, f);
        }
    }
    for item in &file.items {
        match item {
            Item::Indicator(i) => rec(i, f),
            Item::Pillar(p) => p.indicators.iter().for_each(|i| rec(i, f)),
            _ => {}
        }
    }
}

/// The occurrence under a byte offset (the innermost; a cursor just after a name counts).
pub fn occurrence_at(occs: &[Occ], offset: u32) -> Option<&Occ> {
    occs.iter().filter(|o| o.span.start <= offset && offset <= o.span.end).min_by_key(|o| o.span.end - o.span.start)
}

/// The indicator with this id.
pub fn find_indicator<'a>(file: &'a ast::File, id: &str) -> Option<&'a ast::Indicator> {
    let mut found = None;
    ast_indicators(file, &mut |i| {
        if found.is_none() && i.id.text == id {
            found = Some(i);
        }
    });
    found
}

/// The pillar with this id.
pub fn find_pillar<'a>(file: &'a ast::File, id: &str) -> Option<&'a ast::Pillar> {
    file.items.iter().find_map(|i| match i {
        Item::Pillar(p) if p.id.text == id => Some(p),
        _ => None,
    })
}

/// Signatures and descriptions of the built-in functions.
pub fn builtin_doc(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "min" => ("min(x, …)", "The smallest of its arguments (same unit)."),
        "max" => ("max(x, …)", "The largest of its arguments (same unit)."),
        "abs" => ("abs(x)", "The absolute value."),
        "round" => ("round(x, digits)", "`x` rounded half away from zero to `digits` decimals."),
        "part" => ("part(condition, points)", "`points` when the condition holds, else 0: a part of a sum."),
        "minmax" => {
            ("minmax(x)", "Cohort min-max: (x − min) / (max − min) over the units scored together, from 0 to 1.")
        }
        "relative_to_best" => ("relative_to_best(x)", "x divided by the best value of the cohort, from 0 to 1."),
        "rank" => ("rank(x)", "The unit's rank in the cohort, 1 for the largest x."),
        _ => return None,
    })
}

/// The `///` comment lines just above a byte offset of `text`.
pub fn doc_comment(text: &str, offset: u32) -> String {
    let before = text.get(..offset as usize).unwrap_or("");
    let mut lines: Vec<&str> = Vec::new();
    for line in before.lines().rev() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("///") {
            lines.push(rest.trim());
        } else if t.is_empty() && lines.is_empty() {
            continue;
        } else {
            break;
        }
    }
    lines.reverse();
    lines.join("\n")
}

/// Hover text (Markdown) for a symbol, or `None`.
/// The words of the hover cards in the client's language; names, titles and code stay as
/// written.
struct Words {
    max_points: &'static str,
    not_scored: &'static str,
    owner: &'static str,
    no_owner: &'static str,
    cooperating: &'static str,
    inputs: &'static str,
    sub_indicators: &'static str,
    from_rulebook: &'static str,
    sum_to: &'static str,
    indicators: &'static str,
    owns: &'static str,
    function: &'static str,
    standard_library: &'static str,
    built_in: &'static str,
    parameter_of: &'static str,
    input_of: &'static str,
    in_indicator: &'static str,
}

const EN: Words = Words {
    max_points: "max {} điểm",
    not_scored: "not scored",
    owner: "owner",
    no_owner: "no owner",
    cooperating: "cooperating",
    inputs: "Inputs",
    sub_indicators: "Sub-indicators",
    from_rulebook: "(from the plan's rulebook)",
    sum_to: "indicators sum to",
    indicators: "indicator(s)",
    owns: "Owns {} indicator(s)",
    function: "function",
    standard_library: "standard library",
    built_in: "built-in function",
    parameter_of: "parameter of",
    input_of: "input of",
    in_indicator: "in",
};

const VI: Words = Words {
    max_points: "tối đa {} điểm",
    not_scored: "không tính điểm",
    owner: "chủ trì",
    no_owner: "chưa có cơ quan chủ trì",
    cooperating: "phối hợp",
    inputs: "Đầu vào",
    sub_indicators: "Chỉ số thành phần",
    from_rulebook: "(từ bộ chỉ số của kế hoạch)",
    sum_to: "tổng điểm tối đa các chỉ số",
    indicators: "chỉ số",
    owns: "Chủ trì {} chỉ số",
    function: "hàm",
    standard_library: "thư viện chuẩn",
    built_in: "hàm có sẵn",
    parameter_of: "tham số của",
    input_of: "đầu vào của",
    in_indicator: "trong",
};

fn words(vi: bool) -> &'static Words {
    if vi {
        &VI
    } else {
        &EN
    }
}

/// The hover card of a symbol, in Markdown, its words in Vietnamese when `vi`.
pub fn hover(
    file: &ast::File,
    text: &str,
    env: &Env,
    prelude_text: &str,
    prelude: &[ast::FnDecl],
    sym: &Sym,
    vi: bool,
) -> Option<String> {
    let w = words(vi);
    match sym {
        Sym::Indicator(id) => {
            let Some(ind) = find_indicator(file, id) else {
                let info = env.indicators.get(id)?;
                return Some(format!("**{id}** {}\n\n{}", info.title, w.from_rulebook));
            };
            Some(indicator_hover(ind, text, env, w))
        }
        Sym::Pillar(id) => {
            let p = find_pillar(file, id)?;
            let sum = pillar_sum(p);
            let mut s = format!("**Trụ cột {}** {}\n\n", p.id.text, p.title.value);
            if let Some(m) = &p.max {
                s.push_str(&format!("max {}", m.span.text(text)));
            }
            if let Some(sum) = sum {
                s.push_str(&format!(" · {} {sum}", w.sum_to));
            }
            s.push_str(&format!(" · {} {}", p.indicators.len(), w.indicators));
            Some(s)
        }
        Sym::Agency(name) => {
            let info = env.agencies.get(name)?;
            let mut owned = Vec::new();
            ast_indicators(file, &mut |i| {
                if i.owner().is_some_and(|o| o.text == *name) {
                    owned.push(i.id.text.clone());
                }
            });
            let mut s = format!("**{name}** — {}", info.title);
            if !owned.is_empty() {
                s.push_str(&format!("\n\n{}: {}", w.owns.replace("{}", &owned.len().to_string()), owned.join(", ")));
            }
            Some(s)
        }
        Sym::Fn(name) => {
            if let Some(f) = file.items.iter().find_map(|i| match i {
                Item::Fn(f) if f.name.text == *name => Some(f),
                _ => None,
            }) {
                let doc = doc_comment(text, f.span.start);
                return Some(fn_hover(f, text, &doc, w.function));
            }
            if let Some(f) = prelude.iter().find(|f| f.name.text == *name) {
                let doc = doc_comment(prelude_text, f.span.start);
                return Some(fn_hover(f, prelude_text, &doc, w.standard_library));
            }
            let (sig, doc) = builtin_doc(name)?;
            Some(format!("```chiso\n{sig}\n```\n{}\n\n{doc}", w.built_in))
        }
        Sym::Local { owner, name } => {
            let mut out = None;
            ast_indicators(file, &mut |ind| {
                if ind.span == *owner && out.is_none() {
                    out = local_hover(ind, text, env, name, w);
                }
            });
            if out.is_none() {
                for item in &file.items {
                    match item {
                        Item::Fn(f) if f.span == *owner => {
                            out = Some(format!("`{name}`: {} `fn {}`", w.parameter_of, f.name.text));
                        }
                        Item::Planning(p) if p.span == *owner => {
                            out = p.inputs().find(|i| i.name.text == *name).map(|i| input_line(i, text));
                        }
                        _ => {}
                    }
                }
            }
            out
        }
    }
}

fn fn_hover(f: &ast::FnDecl, text: &str, doc: &str, kind: &str) -> String {
    let sig =
        format!("fn {}({})", f.name.text, f.params.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(", "));
    let body = f.body.span.text(text);
    let mut s = format!("```chiso\n{sig} = {body}\n```\n{kind}");
    if !doc.is_empty() {
        s.push_str("\n\n");
        s.push_str(doc);
    }
    s
}

fn input_line(i: &ast::InputDecl, text: &str) -> String {
    let mut s = format!("`{}`: {}", i.name.text, i.ty.span.text(text));
    if let Some(d) = &i.description {
        s.push_str(&format!(" — {}", d.value));
    }
    let mods: Vec<&str> = i
        .modifiers
        .iter()
        .map(|m| match m {
            InputModifier::Positive(_) => "positive",
            InputModifier::Neutral(_) => "neutral",
            InputModifier::LowerIsBetter(_) => "lower_is_better",
            InputModifier::Default(_) => "default",
            InputModifier::Min(_) => "min",
            InputModifier::Max(_) => "max",
            InputModifier::Column(_) => "column",
        })
        .collect();
    if !mods.is_empty() {
        s.push_str(&format!(" ({})", mods.join(", ")));
    }
    s
}

fn local_hover(ind: &ast::Indicator, text: &str, env: &Env, name: &str, w: &Words) -> Option<String> {
    if let Some(i) = ind.inputs().find(|i| i.name.text == name) {
        return Some(format!("{} **{}** {}\n\n{}", w.input_of, ind.id.text, ind.title.value, input_line(i, text)));
    }
    let (n, e) = ind.lets().find(|(n, _)| n.text == name)?;
    let units = engine::let_units(env, ind);
    let unit = units.iter().find(|(s, _)| *s == n.span).map(|(_, u)| format!(": {u}")).unwrap_or_default();
    Some(format!(
        "```chiso\nlet {name} = {}\n```\n`{name}`{unit}, {} **{}**",
        e.span.text(text),
        w.in_indicator,
        ind.id.text
    ))
}

fn indicator_hover(ind: &ast::Indicator, text: &str, env: &Env, w: &Words) -> String {
    let mut s = format!("**{}** {}\n\n", ind.id.text, ind.title.value);
    let mut facts = Vec::new();
    if let Some(m) = ind.max() {
        facts.push(w.max_points.replace("{}", m.span.text(text)));
    }
    if ind.is_not_scored() {
        facts.push(w.not_scored.to_string());
    }
    match ind.owner() {
        Some(o) => {
            let title = env.agencies.get(&o.text).map(|a| format!(" ({})", a.title)).unwrap_or_default();
            facts.push(format!("{} **{}**{title}", w.owner, o.text));
        }
        None => facts.push(w.no_owner.to_string()),
    }
    let coop: Vec<&str> = ind.cooperating().map(|n| n.text.as_str()).collect();
    if !coop.is_empty() {
        facts.push(format!("{} {}", w.cooperating, coop.join(", ")));
    }
    s.push_str(&facts.join(" · "));
    let inputs: Vec<String> = ind.inputs().map(|i| format!("- {}", input_line(i, text))).collect();
    if !inputs.is_empty() {
        s.push_str(&format!("\n\n{}:\n", w.inputs));
        s.push_str(&inputs.join("\n"));
    }
    let mut rule = Vec::new();
    for p in &ind.props {
        match p {
            IndicatorProp::Assume(e) => rule.push(format!("assume {}", e.span.text(text))),
            IndicatorProp::Let(n, e) => rule.push(format!("let {} = {}", n.text, e.span.text(text))),
            IndicatorProp::Score(e) => rule.push(format!("score = {}", e.span.text(text))),
            _ => {}
        }
    }
    let subs: Vec<String> = ind.subs().map(|s| format!("- {} {}", s.id.text, s.title.value)).collect();
    if !subs.is_empty() {
        s.push_str(&format!("\n\n{}:\n", w.sub_indicators));
        s.push_str(&subs.join("\n"));
    }
    if !rule.is_empty() {
        s.push_str("\n\n```chiso\n");
        s.push_str(&rule.join("\n"));
        s.push_str("\n```");
    }
    s
}

/// The sum of a pillar's indicator maxima, when every one is a constant.
pub fn pillar_sum(p: &ast::Pillar) -> Option<chiso::Num> {
    let mut sum = chiso::Num::zero();
    for ind in &p.indicators {
        if ind.is_not_scored() {
            continue;
        }
        sum = sum.add(&engine::const_value(ind.max()?)?);
    }
    Some(sum)
}

/// An outline entry.
#[derive(Clone, Debug)]
pub struct Outline {
    /// Its name as shown.
    pub name: String,
    /// A detail (the title).
    pub detail: Option<String>,
    /// What it is.
    pub kind: OutlineKind,
    /// The whole item.
    pub span: Span,
    /// The name to select.
    pub selection: Span,
    /// Nested entries.
    pub children: Vec<Outline>,
}

/// The kinds of outline entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    /// A pillar.
    Pillar,
    /// An indicator.
    Indicator,
    /// An agency.
    Agency,
    /// A function.
    Function,
    /// A test.
    Test,
    /// A plan, target, task or schedule.
    Plan,
    /// The rulebook header or a section.
    Module,
}

/// The document outline: pillar → indicator → sub-indicator, and the other items.
pub fn outline(file: &ast::File) -> Vec<Outline> {
    fn ind(i: &ast::Indicator) -> Outline {
        Outline {
            name: i.id.text.clone(),
            detail: Some(i.title.value.clone()),
            kind: OutlineKind::Indicator,
            span: i.span,
            selection: i.id.span,
            children: i.subs().map(ind).collect(),
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        let entry = match item {
            Item::Pillar(p) => Outline {
                name: p.id.text.clone(),
                detail: Some(p.title.value.clone()),
                kind: OutlineKind::Pillar,
                span: p.span,
                selection: p.id.span,
                children: p.indicators.iter().map(ind).collect(),
            },
            Item::Indicator(i) => ind(i),
            Item::Agency(a) => Outline {
                name: a.name.text.clone(),
                detail: Some(a.title.value.clone()),
                kind: OutlineKind::Agency,
                span: a.span,
                selection: a.name.span,
                children: Vec::new(),
            },
            Item::Fn(f) => Outline {
                name: f.name.text.clone(),
                detail: None,
                kind: OutlineKind::Function,
                span: f.span,
                selection: f.name.span,
                children: Vec::new(),
            },
            Item::Test(t) => Outline {
                name: t.title.value.clone(),
                detail: Some("test".into()),
                kind: OutlineKind::Test,
                span: t.span,
                selection: t.title.span,
                children: Vec::new(),
            },
            Item::Rulebook(r) => Outline {
                name: r.title.value.clone(),
                detail: Some("rulebook".into()),
                kind: OutlineKind::Module,
                span: r.span,
                selection: r.title.span,
                children: Vec::new(),
            },
            Item::Section(s) => Outline {
                name: s.id.text.clone(),
                detail: Some(s.title.value.clone()),
                kind: OutlineKind::Module,
                span: s.span,
                selection: s.id.span,
                children: Vec::new(),
            },
            Item::Planning(p) => Outline {
                name: match &p.id {
                    Some(id) => id.text.clone(),
                    None => p.title.value.clone(),
                },
                detail: Some(format!("{} {}", p.kind.keyword(), p.title.value)),
                kind: OutlineKind::Plan,
                span: p.span,
                selection: p.id.as_ref().map_or(p.title.span, |n| n.span),
                children: Vec::new(),
            },
            Item::Unit(u) => Outline {
                name: u.code.text.clone(),
                detail: u.title.as_ref().map(|t| t.value.clone()),
                kind: OutlineKind::Module,
                span: u.span,
                selection: u.code.span,
                children: Vec::new(),
            },
            Item::Error(_) => continue,
        };
        out.push(entry);
    }
    out
}

/// The call around a byte offset: the function's name and the index of the argument the offset
/// is in, read backwards from the text (the tree of a half-typed call is often an error node).
pub fn call_at(text: &str, offset: usize) -> Option<(String, u32)> {
    let before = text.get(..offset.min(text.len()))?;
    let (mut depth, mut commas) = (0u32, 0u32);
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let head = before.get(..i)?.trim_end();
                let name: String = head
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || is_combining_mark(*c))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                return is_identifier(&name).then_some((name, commas));
            }
            ',' if depth == 0 => commas += 1,
            // A call is written on one line, inside one block.
            '\n' | '{' | '}' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// Names that a rename may give: what the lexer reads as one identifier
/// (`[\p{L}_][\p{L}\p{N}\p{M}_]*`, so `hồ_sơ` written with combining marks too).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || is_combining_mark(c))
}

/// The combining-mark blocks Vietnamese text uses (tones and vowel marks written apart).
pub fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The keywords of the language, for completion and highlighting.
pub const KEYWORDS: &[&str] = &[
    "rulebook",
    "agency",
    "section",
    "pillar",
    "indicator",
    "fn",
    "test",
    "plan",
    "target",
    "task",
    "schedule",
    "max",
    "owner",
    "cooperating",
    "source_id",
    "note",
    "not_scored",
    "input",
    "assume",
    "let",
    "score",
    "when",
    "match",
    "if",
    "then",
    "else",
    "and",
    "or",
    "not",
    "true",
    "false",
    "given",
    "expect",
    "total",
    "index",
    "source",
    "period",
    "locale",
    "positive",
    "neutral",
    "lower_is_better",
    "default",
    "min",
    "unit",
    "measure",
    "value",
    "baseline",
    "goal",
    "due",
    "advances",
    "group",
    "recipient",
    "units",
];

/// The unit (type) names.
pub const UNITS: &[&str] = &["count", "number", "percent", "money", "points", "yesno", "text", "date", "choice"];

/// The input names and `let`s in scope at `offset`, with a detail each.
pub fn locals_at(file: &ast::File, text: &str, offset: u32) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut best: Option<&ast::Indicator> = None;
    ast_indicators(file, &mut |i| {
        if i.span.start <= offset && offset <= i.span.end {
            best = Some(i);
        }
    });
    if let Some(ind) = best {
        for i in ind.inputs() {
            out.push((i.name.text.clone(), input_line(i, text)));
        }
        for (n, e) in ind.lets() {
            out.push((n.text.clone(), format!("let {} = {}", n.text, e.span.text(text))));
        }
    }
    for item in &file.items {
        if let Item::Fn(f) = item {
            if f.span.start <= offset && offset <= f.span.end {
                out.extend(f.params.iter().map(|p| (p.text.clone(), format!("parameter of {}", f.name.text))));
            }
        }
    }
    out
}

/// The choice options of inputs declared in the indicator around `offset`.
pub fn choice_options(file: &ast::File, offset: u32) -> Vec<String> {
    let mut out = Vec::new();
    ast_indicators(file, &mut |i| {
        if i.span.start <= offset && offset <= i.span.end {
            for input in i.inputs() {
                if let TypeKind::Choice(opts) = &input.ty.kind {
                    out.extend(opts.iter().map(|o| o.text.clone()));
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    const SRC: &str = "agency S \"Sở\"\nindicator 1 \"Một\" {\n  max 1\n  owner S\n  input a: count\n  let r = a / 2\n  score = r * max\n}\nindicator 2 \"Hai\" {\n  max 1\n  owner S\n  input a: count\n  score = capped_linear(a, 1, max)\n}\ntest \"t\" {\n  given \"X\" 1 { a = 1 }\n  expect \"X\" 1 = 0.5\n}\n";

    #[test]
    fn locals_are_scoped_by_their_indicator_and_tests_refer_to_them() {
        let parse = chiso::parse(SRC);
        let occs = occurrences(&parse.file);
        let a1 = SRC.find("input a").unwrap() as u32 + 6;
        let sym = occurrence_at(&occs, a1).unwrap().sym.clone();
        let refs: Vec<&str> = occs.iter().filter(|o| o.sym == sym).map(|o| o.span.text(SRC)).collect();
        // Declaration, use in `let r`, and the `given` value: not indicator 2's `a`.
        assert_eq!(refs, vec!["a", "a", "a"]);
        let given_a = SRC.find("{ a = 1").unwrap() as u32 + 2;
        assert_eq!(occurrence_at(&occs, given_a).unwrap().sym, sym);
        let agency = occs.iter().filter(|o| o.sym == Sym::Agency("S".into())).count();
        assert_eq!(agency, 3);
    }

    #[test]
    fn identifiers_accept_vietnamese_with_combining_marks() {
        assert!(is_identifier("hồ_sơ"));
        assert!(is_identifier("ho\u{302}\u{300}_so\u{31B}"));
        assert!(!is_identifier("a b"));
        assert!(!is_identifier("1a"));
        assert!(!is_identifier("\u{300}a"));
        assert!(!is_identifier(""));
    }
}
