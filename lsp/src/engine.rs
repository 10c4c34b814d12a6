//! The one door from the language server into the engine (`chiso`, `chiso-db`, `chiso-stdlib`).
//!
//! Every check, format and type query the server makes goes through here, so that switching to
//! `lang`'s `Workspace` façade is a change to this file alone. Input: the open documents (text
//! and version, in the order the client sent the changes). Output: diagnostics with byte spans,
//! formatted text, units of `let`s, plus read access to each document's tree.
//!
//! How a file is checked, exactly as `chiso check` does it: a rulebook goes through the
//! incremental database (`chiso_db::diagnostics`, equal to `chiso::check_with` on every
//! repository file, tested there), so a keystroke re-checks only the items it touched; a plan
//! that names its rulebook (`rulebook "x.chiso"`) goes through `lang`'s front door,
//! `chiso::Workspace::check`, with the open documents added (unsaved text counts) and the disk
//! as the resolver for the rest, relative to the plan's folder. The workspace is built afresh
//! for each plan check, so a rulebook changed on disk is never seen stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chiso::diag::{Diagnostic, Span};
use chiso::sema::{Env, Ty};
use chiso::syntax::ast::{self, IndicatorProp, Item};
use chiso::syntax::Parse;
use chiso_db::{Database, SourceFile};
use salsa::Setter;

use crate::text::LineIndex;

/// An open document.
pub struct Doc {
    /// The URI as the client wrote it.
    pub uri: String,
    /// Its path on disk, when it is a `file:` URI.
    pub path: Option<PathBuf>,
    /// The version of the last change applied.
    pub version: i32,
    /// The current text.
    pub text: String,
    /// Line index of `text`.
    pub index: LineIndex,
    file: SourceFile,
}

/// A finding that has no `chiso` code: the editor-only situations the CLI reports as a fatal
/// error (a plan whose rulebook file is missing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// The diagnostics of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// What `chiso check` reports.
    pub diagnostics: Vec<Diagnostic>,
    /// What the CLI would refuse to run on.
    pub notes: Vec<Note>,
    /// The other files the diagnostics' labels point into (a plan's rulebook).
    pub elsewhere: Vec<Elsewhere>,
}

/// A file other than the document that a label points into: its spans' anchor, its URI and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    /// What the label spans in that file count from.
    pub anchor: chiso::diag::Anchor,
    /// The file's URI.
    pub uri: String,
    /// The file's text (to turn offsets into UTF-16 positions).
    pub text: String,
}

/// The open documents and the incremental database.
#[derive(Default)]
pub struct Engine {
    db: Database,
    docs: BTreeMap<String, Doc>,
    prelude: Vec<ast::FnDecl>,
}

impl Engine {
    /// An engine with no document open.
    pub fn new() -> Engine {
        Engine { prelude: chiso_stdlib::functions(), ..Engine::default() }
    }

    /// Opens (or re-opens) a document.
    pub fn open(&mut self, uri: &str, version: i32, text: String) {
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.version = version;
            set_text(&mut self.db, doc, text);
            return;
        }
        let file = SourceFile::new(&self.db, text.clone());
        let index = LineIndex::new(&text);
        let doc = Doc { uri: uri.to_string(), path: uri_to_path(uri), version, text, index, file };
        self.docs.insert(uri.to_string(), doc);
    }

    /// Replaces a document's text after the client's changes were applied to it.
    pub fn update(&mut self, uri: &str, version: i32, text: String) -> bool {
        let Some(doc) = self.docs.get_mut(uri) else { return false };
        doc.version = version;
        set_text(&mut self.db, doc, text);
        true
    }

    /// Closes a document.
    pub fn close(&mut self, uri: &str) {
        self.docs.remove(uri);
    }

    /// An open document.
    pub fn doc(&self, uri: &str) -> Option<&Doc> {
        self.docs.get(uri)
    }

    /// Every open document.
    pub fn docs(&self) -> impl Iterator<Item = &Doc> {
        self.docs.values()
    }

    /// The document's tree (memoized by the database).
    pub fn parse(&self, doc: &Doc) -> &Parse {
        chiso_db::parse_file(&self.db, doc.file)
    }

    /// Every declaration and use of every name in a document (the engine's symbol index,
    /// memoized by the database).
    pub fn occurrences(&self, doc: &Doc) -> &[chiso::sema::symbols::Occ] {
        chiso_db::symbol_index(&self.db, doc.file)
    }

    /// The prelude's functions (the standard library).
    pub fn prelude(&self) -> &[ast::FnDecl] {
        &self.prelude
    }

    /// The symbol table of a document (with the prelude, and a plan's rulebook merged in).
    pub fn env(&mut self, uri: &str) -> Option<Env> {
        let doc = self.docs.get(uri)?;
        let parse = chiso_db::parse_file(&self.db, doc.file).clone();
        let path = doc.path.clone();
        let (mut env, _) = Env::build(&parse.file);
        env.add_prelude(&self.prelude);
        if let Some(Ok(rb)) = self.plan_rulebook_env(path.as_deref(), &parse) {
            env.merge_rulebook(&rb);
        }
        Some(env)
    }

    /// What `chiso check` reports for a document, plus editor notes.
    pub fn findings(&mut self, uri: &str) -> Option<Findings> {
        let doc = self.docs.get(uri)?;
        // Not the whole-file tree: on a keystroke in a rulebook the database parses only the
        // chunk that changed.
        let top = chiso_db::top_items(&self.db, doc.file);
        let Some((name_span, _)) = plan_rulebook_name_in(top.iter().copied()) else {
            return Some(Findings {
                diagnostics: chiso_db::diagnostics(&self.db, doc.file),
                notes: Vec::new(),
                elsewhere: Vec::new(),
            });
        };
        if doc.path.is_none() {
            // An unsaved, untitled plan has no folder to find its rulebook in.
            let parse = chiso_db::parse_file(&self.db, doc.file);
            let diagnostics = chiso::check_with(parse, &self.prelude).diagnostics;
            let message = "the plan's rulebook cannot be found until the plan is saved in a folder".to_string();
            return Some(Findings {
                diagnostics,
                notes: vec![Note { span: name_span, message }],
                elsewhere: Vec::new(),
            });
        }
        let mut ws = chiso::Workspace::new(self.prelude.clone());
        for d in self.docs.values().filter(|d| d.uri != uri) {
            ws.add_text(&workspace_name(d), &d.text);
        }
        let id = ws.add_text(&workspace_name(doc), &doc.text);
        Some(match ws.check(id, None, &Disk) {
            Ok(analysis) => {
                let own = id.anchor();
                let mut elsewhere: Vec<Elsewhere> = Vec::new();
                for l in analysis.checked.diagnostics.iter().flat_map(|d| &d.labels) {
                    let anchor = l.span.anchor;
                    if anchor == own || elsewhere.iter().any(|e| e.anchor == anchor) {
                        continue;
                    }
                    if let Some(f) = ws.file_of(anchor) {
                        let uri = path_to_uri(Path::new(ws.name(f)));
                        elsewhere.push(Elsewhere { anchor, uri, text: ws.text(f).to_string() });
                    }
                }
                Findings { diagnostics: analysis.checked.diagnostics, notes: Vec::new(), elsewhere }
            }
            // What the CLI refuses to run on: the plan is checked alone and the editor says why.
            Err(refusal) => {
                let message = match &refusal {
                    chiso::workspace::Refusal::RulebookNotFound { path, why, .. } => {
                        format!("the plan's rulebook {path} cannot be read: {why}")
                    }
                    other => other.message(&ws),
                };
                let alone = ws.check_alone(id).map(|a| a.checked.diagnostics).unwrap_or_default();
                Findings { diagnostics: alone, notes: vec![Note { span: name_span, message }], elsewhere: Vec::new() }
            }
        })
    }

    /// The open documents that are plans whose rulebook is `uri` (to re-check them when it changes).
    pub fn dependents(&self, uri: &str) -> Vec<String> {
        let Some(path) = self.docs.get(uri).and_then(|d| d.path.clone()) else { return Vec::new() };
        let path = normalize(&path);
        self.docs
            .values()
            .filter(|d| d.uri != uri)
            .filter(|d| {
                let parse = chiso_db::parse_file(&self.db, d.file);
                match (plan_rulebook_name(parse), &d.path) {
                    (Some((_, name)), Some(p)) => normalize(&p.parent().unwrap_or(Path::new("")).join(name)) == path,
                    _ => false,
                }
            })
            .map(|d| d.uri.clone())
            .collect()
    }

    /// The rulebook a plan names, as a URI and its current text (open document, else disk).
    pub fn rulebook_source(&self, uri: &str) -> Option<(String, String)> {
        let doc = self.docs.get(uri)?;
        let (_, name) = plan_rulebook_name(chiso_db::parse_file(&self.db, doc.file))?;
        let path = normalize(&doc.path.as_deref()?.parent().unwrap_or(Path::new("")).join(name));
        if let Some(d) = self.docs.values().find(|d| d.path.as_deref().map(normalize).as_deref() == Some(&path)) {
            return Some((d.uri.clone(), d.text.clone()));
        }
        let bytes = std::fs::read(&path).ok()?;
        Some((path_to_uri(&path), String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// The symbol table of the rulebook a plan names (headers only: what hover and completion
    /// need). `None` when the file names none; `Err` when it cannot be read.
    fn plan_rulebook_env(&self, plan: Option<&Path>, parse: &Parse) -> Option<Result<Env, String>> {
        let (_, name) = plan_rulebook_name(parse)?;
        let Some(plan) = plan else { return Some(Err(format!("the plan's rulebook {name} cannot be found"))) };
        let path = normalize(&plan.parent().unwrap_or(Path::new("")).join(&name));
        let open = self.docs.values().find(|d| d.path.as_deref().map(normalize).as_deref() == Some(&path));
        let text = match open {
            Some(d) => d.text.clone(),
            None => match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => return Some(Err(format!("the plan's rulebook {} cannot be read: {e}", path.display()))),
            },
        };
        let (mut env, _) = Env::build(&chiso::parse(&text).file);
        env.add_prelude(&self.prelude);
        Some(Ok(env))
    }

    /// The canonical formatting of a document; `None` when it has syntax errors (the formatter
    /// refuses them rather than mangle the file).
    pub fn format(&self, doc: &Doc) -> Option<String> {
        let mut ws = chiso::Workspace::new(Vec::new());
        let id = ws.add_text(&doc.uri, &doc.text);
        ws.format(id).ok()?.ok()
    }
}

/// The unit of each `let` of an indicator (in order), as the checker infers it.
pub fn let_units(env: &Env, ind: &ast::Indicator) -> Vec<(Span, String)> {
    {
        let mut scope = chiso::sema::infer::Scope::new(env, chiso::sema::infer::Context::Indicator);
        let mut sink = Vec::new();
        for input in ind.inputs() {
            if let ast::TypeKind::Choice(opts) = &input.ty.kind {
                scope.options.extend(opts.iter().map(|o| o.text.clone()));
            }
            scope.names.insert(input.name.text.clone(), Ty::of_type(&input.ty));
        }
        let mut out = Vec::new();
        for p in &ind.props {
            if let IndicatorProp::Let(name, e) = p {
                let ty = chiso::sema::infer::infer(&mut scope, e, &mut sink);
                scope.names.insert(name.text.clone(), ty.clone());
                if ty != Ty::Error {
                    out.push((name.span, ty.describe()));
                }
            }
        }
        out
    }
}

/// The disk, for the rulebooks a plan names that are not open.
struct Disk;

impl chiso::Resolver for Disk {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }
}

/// A document's name in a `Workspace`: its path (which the workspace joins a plan's reference
/// to), else its URI.
fn workspace_name(doc: &Doc) -> String {
    doc.path.as_ref().map_or_else(|| doc.uri.clone(), |p| p.to_string_lossy().into_owned())
}

fn set_text(db: &mut Database, doc: &mut Doc, text: String) {
    doc.index = LineIndex::new(&text);
    doc.text = text.clone();
    doc.file.set_text(db).to(text);
}

/// The `rulebook "…"` a plan names, with the span of the string.
pub fn plan_rulebook_name(parse: &Parse) -> Option<(Span, String)> {
    plan_rulebook_name_in(parse.file.items.iter().map(|i| (0, i)))
}

/// [`plan_rulebook_name`] over top-level items whose spans are relative to an offset.
fn plan_rulebook_name_in<'a>(items: impl Iterator<Item = (u32, &'a Item)>) -> Option<(Span, String)> {
    items.into_iter().find_map(|(at, i)| match i {
        Item::Planning(p) => p.rulebook().map(|s| (s.span.shifted(at), s.value.clone())),
        _ => None,
    })
}

/// The value of a constant expression (a `max`), as the checker folds it.
pub fn const_value(e: &ast::Expr) -> Option<chiso::Num> {
    chiso::sema::const_value(e)
}

/// The checker's code table: a code's title in English or Vietnamese.
pub fn code_title(code: chiso::Code, vietnamese: bool) -> &'static str {
    if vietnamese {
        code.title_vi()
    } else {
        code.title()
    }
}

/// The names and arities of the built-in functions.
pub fn builtins() -> &'static [(&'static str, usize, usize)] {
    chiso::sema::infer::BUILTINS
}

/// A `file:` URI's path (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = rest.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    let s = String::from_utf8(out).ok()?;
    // `file:///c%3A/x` on Windows; `file:///x` elsewhere.
    Some(PathBuf::from(s))
}

/// A `file:` URI for a path (percent-encoding what a URI cannot hold).
pub fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A path without `.` and `..` components (and canonical when it exists), to compare paths.
fn normalize(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn uris_and_paths_round_trip_with_vietnamese_names() {
        let p = Path::new("/tmp/Bộ chỉ số/dti 2022.chiso");
        let uri = path_to_uri(p);
        assert_eq!(uri, "file:///tmp/B%E1%BB%99%20ch%E1%BB%89%20s%E1%BB%91/dti%202022.chiso");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
    }
}
