//! Completion: what may be typed at the cursor, from the text before it on its line.
//!
//! Contexts: after `owner`/`cooperating`/`recipient` the agencies; after `input x:` the units;
//! after `given "…"`/`expect "…"` the indicator ids (and pillars for `expect`); elsewhere the
//! keywords, the inputs and `let`s in scope, the choice options and the functions with their
//! signatures.

use chiso::sema::Env;
use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};

use crate::engine::{Doc, Engine};
use crate::ide;

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem { label: label.to_string(), kind: Some(kind), detail, ..CompletionItem::default() }
}

/// The completion items at a byte offset of a document.
pub fn complete(engine: &Engine, doc: &Doc, env: &Env, offset: usize) -> Vec<CompletionItem> {
    let text = &doc.text;
    let offset = offset.min(text.len());
    let line_start = text.get(..offset).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let prefix = text.get(line_start..offset).unwrap_or("");
    let word_len = prefix
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || ide::is_combining_mark(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let before = prefix.get(..prefix.len() - word_len).unwrap_or("").trim_end();
    let first = before.split_whitespace().next().unwrap_or("");

    let agencies = || {
        env.agencies.iter().map(|(n, a)| item(n, CompletionItemKind::MODULE, Some(a.title.clone()))).collect::<Vec<_>>()
    };
    let indicators = || {
        env.indicator_order
            .iter()
            .filter_map(|id| env.indicators.get(id).map(|i| item(id, CompletionItemKind::CLASS, Some(i.title.clone()))))
            .collect::<Vec<_>>()
    };
    if matches!(first, "owner" | "cooperating" | "recipient") {
        return agencies();
    }
    if first == "input" && before.ends_with(':') {
        return ide::UNITS.iter().map(|u| item(u, CompletionItemKind::TYPE_PARAMETER, None)).collect();
    }
    if first == "given"
        || first == "expect"
        || (first == "indicator" && before.trim() == "indicator" && in_target(engine, doc, offset))
    {
        let mut out = indicators();
        if first == "expect" {
            out.extend(env.pillar_order.iter().map(|p| item(p, CompletionItemKind::ENUM, None)));
            out.push(item("total", CompletionItemKind::KEYWORD, None));
            out.push(item("index", CompletionItemKind::KEYWORD, None));
        }
        return out;
    }

    let parse = engine.parse(doc);
    let mut out: Vec<CompletionItem> = Vec::new();
    for (name, detail) in ide::locals_at(&parse.file, text, offset as u32) {
        out.push(item(&name, CompletionItemKind::VARIABLE, Some(detail)));
    }
    for o in ide::choice_options(&parse.file, offset as u32) {
        out.push(item(&o, CompletionItemKind::ENUM_MEMBER, None));
    }
    for (name, f) in &env.fns {
        let sig = format!("{}({})", name, f.params.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(", "));
        let mut it = item(name, CompletionItemKind::FUNCTION, Some(sig));
        if env.prelude_fns.contains(name) {
            let doc = ide::doc_comment(chiso_stdlib::PRELUDE, f.span.start);
            it.documentation =
                Some(Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: doc }));
        }
        out.push(it);
    }
    for (name, _, _) in crate::engine::builtins() {
        if let Some((sig, doc)) = ide::builtin_doc(name) {
            let mut it = item(name, CompletionItemKind::FUNCTION, Some(sig.to_string()));
            it.documentation = Some(Documentation::String(doc.to_string()));
            out.push(it);
        }
    }
    for k in ide::KEYWORDS {
        if !out.iter().any(|i| i.label == *k) {
            out.push(item(k, CompletionItemKind::KEYWORD, None));
        }
    }
    out
}

fn in_target(engine: &Engine, doc: &Doc, offset: usize) -> bool {
    engine.parse(doc).file.items.iter().any(|i| {
        matches!(i, chiso::syntax::ast::Item::Planning(p) if p.span.start as usize <= offset && offset <= p.span.end as usize)
    })
}
