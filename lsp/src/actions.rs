//! Code actions computed from the diagnostics under the cursor: the checker's own "did you
//! mean" hint applied, an unknown agency declared, a pillar's max set to the sum of its
//! indicators, an owner added to an indicator without one.

use std::collections::HashMap;

use chiso::diag::{Hint, Span};
use chiso::syntax::ast::{self, IndicatorProp, Item};
use chiso::Code;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};

use crate::engine::{Doc, Engine};
use crate::ide;

/// At most this many "add owner" actions (one per declared agency).
const MAX_OWNER_ACTIONS: usize = 8;

/// The quick fixes for `diags` (diagnostics of `doc`).
pub fn actions(
    engine: &Engine,
    doc: &Doc,
    env: &chiso::sema::Env,
    diags: &[&chiso::Diagnostic],
    vi: bool,
) -> Vec<CodeActionOrCommand> {
    let Ok(uri) = doc.uri.parse::<Uri>() else { return Vec::new() };
    let parse = engine.parse(doc);
    let text = &doc.text;
    let mut out = Vec::new();
    for d in diags {
        let lsp_diag = crate::server::to_lsp_diagnostic(doc, d, vi, &[]);
        let mut push = |title: String, edits: Vec<(Span, String)>, preferred: bool| {
            let edits = edits
                .into_iter()
                .map(|(s, new_text)| TextEdit { range: doc.index.range(text, s.start, s.end), new_text })
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(preferred),
                ..CodeAction::default()
            }));
        };
        // The checker's own suggestion.
        if let Some(best) = d.help.as_deref().and_then(did_you_mean) {
            if ide::is_identifier(best) || best.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_') {
                let title = if vi { format!("Đổi thành `{best}`") } else { format!("Change to `{best}`") };
                push(title, vec![(d.span, best.to_string())], true);
            }
        }
        match d.code {
            Code::E0202 => {
                let name = d.span.text(text);
                if ide::is_identifier(name) {
                    let at = declaration_point(&parse.file);
                    let decl = format!("agency {name} \"{name}\"\n");
                    let (span, new) = match at {
                        Some(end) => (Span::new(end as usize, end as usize), format!("\n{}", decl.trim_end())),
                        None => (Span::default(), format!("{decl}\n")),
                    };
                    let title =
                        if vi { format!("Khai báo cơ quan `{name}`") } else { format!("Declare agency `{name}`") };
                    push(title, vec![(span, new)], false);
                }
            }
            Code::E0401 => {
                for item in &parse.file.items {
                    if let Item::Pillar(p) = item {
                        if let (true, Some(m), Some(sum)) = (d.span.within(p.span), &p.max, ide::pillar_sum(p)) {
                            let title = if vi {
                                format!("Đặt điểm tối đa của trụ cột {} bằng tổng {sum}", p.id.text)
                            } else {
                                format!("Set pillar {}'s max to the sum, {sum}", p.id.text)
                            };
                            push(title, vec![(m.span, sum.to_string())], true);
                        }
                    }
                }
            }
            Code::W0209 => {
                let mut target = None;
                ide::ast_indicators(&parse.file, &mut |i| {
                    if i.id.span == d.span {
                        target = Some(i);
                    }
                });
                if let Some(ind) = target {
                    let (at, indent) = owner_point(ind, text);
                    let agencies: Vec<String> = parse
                        .file
                        .items
                        .iter()
                        .filter_map(|i| match i {
                            Item::Agency(a) => Some(a.name.text.clone()),
                            _ => None,
                        })
                        .take(MAX_OWNER_ACTIONS)
                        .collect();
                    for a in agencies {
                        let title = if vi { format!("Thêm `owner {a}`") } else { format!("Add `owner {a}`") };
                        push(title, vec![(Span::new(at as usize, at as usize), format!("\n{indent}owner {a}"))], false);
                    }
                }
            }
            Code::W0605 => {
                let item = parse.file.items.iter().find_map(|i| match i {
                    Item::Planning(p) if d.span.within(p.span) => Some(p),
                    _ => None,
                });
                if let Some(p) = item {
                    let at = text
                        .get(p.title.span.end as usize..p.span.end as usize)
                        .and_then(|t| t.find('{'))
                        .map_or(p.title.span.end, |i| p.title.span.end + i as u32 + 1);
                    let line_start = text.get(..p.span.start as usize).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
                    let indent: String = text
                        .get(line_start..p.span.start as usize)
                        .unwrap_or("")
                        .chars()
                        .take_while(|c| c.is_whitespace())
                        .collect();
                    // The plan's own agencies and its rulebook's, first declared first.
                    let mut agencies: Vec<(&String, Span)> = env.agencies.iter().map(|(n, a)| (n, a.span)).collect();
                    agencies.sort_by_key(|(_, s)| s.start);
                    for (a, _) in agencies.into_iter().take(MAX_OWNER_ACTIONS) {
                        let title = if vi { format!("Thêm `owner {a}`") } else { format!("Add `owner {a}`") };
                        push(
                            title,
                            vec![(Span::new(at as usize, at as usize), format!("\n{indent}  owner {a}"))],
                            false,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The name a "did you mean" hint suggests.
fn did_you_mean(help: &Hint) -> Option<&str> {
    match help {
        Hint::DidYouMean { best } | Hint::DidYouMeanUnit { best, .. } => Some(best.as_str()).filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// The end of the last agency declaration, else of the rulebook header; `None`: the file start.
fn declaration_point(file: &ast::File) -> Option<u32> {
    let last_agency =
        file.items.iter().filter_map(|i| if let Item::Agency(a) = i { Some(a.span.end) } else { None }).next_back();
    last_agency
        .or_else(|| file.items.iter().find_map(|i| if let Item::Rulebook(r) = i { Some(r.span.end) } else { None }))
}

/// Where to insert an `owner` line in an indicator, and the indentation of its properties:
/// after `max`, else after the opening brace.
fn owner_point(ind: &ast::Indicator, text: &str) -> (u32, String) {
    let indent_of = |at: u32| {
        let line_start = text.get(..at as usize).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        text.get(line_start..at as usize).unwrap_or("").chars().take_while(|c| c.is_whitespace()).collect::<String>()
    };
    if let Some(m) = ind.props.iter().find_map(|p| if let IndicatorProp::Max(e) = p { Some(e) } else { None }) {
        return (m.span.end, indent_of(m.span.start));
    }
    let brace = text
        .get(ind.title.span.end as usize..ind.span.end as usize)
        .and_then(|t| t.find('{'))
        .map_or(ind.title.span.end, |i| ind.title.span.end + i as u32 + 1);
    (brace, format!("{}  ", indent_of(ind.id.span.start)))
}
