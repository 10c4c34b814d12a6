//! The protocol side: `tower-lsp-server`'s `LanguageServer` over the engine and the editor
//! features. Converts byte spans to UTF-16 ranges (`text.rs`) and chiso diagnostics to LSP ones.
//!
//! Ordering: the server is run with a concurrency of one (`lib.rs`), so every message is handled
//! to completion in the order it arrived: a request that follows a `didChange` always sees the
//! changed text, and a request cannot observe a half-applied change. Handlers never await the
//! client while holding the state, and never send the client a request (which, with one handler
//! at a time, would wait on itself).

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use chiso::diag::{Severity, Span};
use chiso::syntax::ast::{self, Item};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::engine::{self, Doc, Engine};
use crate::ide::{self, Occ, OutlineKind, Sym};

/// Diagnostics beyond this many per file are not sent: a pasted megabyte of garbage must not
/// freeze the editor. Files of the repository have a few dozen.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// Documents larger than this are not analysed (only a note is published): the parser is linear,
/// but hover, outline and the like re-walk the tree on each request.
pub const MAX_DOCUMENT: usize = 16 * 1024 * 1024;

/// The semantic token types the server emits, in legend order.
pub const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::NAMESPACE, // agency
    SemanticTokenType::CLASS,     // indicator
    SemanticTokenType::ENUM,      // pillar
    SemanticTokenType::FUNCTION,  // function
    SemanticTokenType::PARAMETER, // input or parameter
    SemanticTokenType::VARIABLE,  // let
];

/// The language server.
pub struct Backend {
    client: Client,
    state: Mutex<State>,
}

struct State {
    engine: Engine,
    /// Whether diagnostic titles are in Vietnamese.
    vietnamese: bool,
    /// The workspace folders, for workspace symbols.
    roots: Vec<PathBuf>,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Backend {
        Backend { client, state: Mutex::new(State { engine: Engine::new(), vietnamese: false, roots: Vec::new() }) }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A handler that panicked cannot have left the engine half-updated in a way later
        // requests could not survive: each change replaces the whole text. Keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Re-checks `uri` and the open plans that use it as their rulebook, then publishes.
    async fn publish(&self, uris: Vec<String>) {
        let mut out = Vec::new();
        {
            let mut st = self.state();
            let vi = st.vietnamese;
            let mut all = uris.clone();
            for u in &uris {
                all.extend(st.engine.dependents(u));
            }
            all.sort();
            all.dedup();
            for u in all {
                if let Some(p) = diagnostics_for(&mut st.engine, &u, vi) {
                    out.push(p);
                }
            }
        }
        for (uri, diags, version) in out {
            if let Ok(uri) = uri.parse::<Uri>() {
                self.client.publish_diagnostics(uri, diags, Some(version)).await;
            }
        }
    }

    async fn publish_all(&self) {
        let uris: Vec<String> = self.state().engine.docs().map(|d| d.uri.clone()).collect();
        self.publish(uris).await;
    }
}

/// The LSP diagnostics of one document, with its version.
pub fn diagnostics_for(engine: &mut Engine, uri: &str, vi: bool) -> Option<(String, Vec<Diagnostic>, i32)> {
    let too_big = engine.doc(uri)?.text.len() > MAX_DOCUMENT;
    // The checker must not panic; if it ever does, the editor says so and the server lives on
    // (a dead server would leave stale diagnostics on screen).
    let checked = if too_big {
        Ok(None)
    } else {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.findings(uri)))
    };
    let doc = engine.doc(uri)?;
    let mut out = Vec::new();
    let findings = match checked {
        Ok(f) => f,
        Err(_) => {
            out.push(Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("chiso".into()),
                message: "internal error: the checker failed on this text (please report it with the file)".into(),
                ..Diagnostic::default()
            });
            return Some((uri.to_string(), out, doc.version));
        }
    };
    let Some(findings) = findings else {
        out.push(Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::WARNING),
            source: Some("chiso".into()),
            message: format!("the file is larger than {} MB and is not checked", MAX_DOCUMENT / (1024 * 1024)),
            ..Diagnostic::default()
        });
        return Some((uri.to_string(), out, doc.version));
    };
    let total = findings.diagnostics.len();
    for d in findings.diagnostics.iter().take(MAX_DIAGNOSTICS) {
        out.push(to_lsp_diagnostic(doc, d, vi, &findings.elsewhere));
    }
    if total > MAX_DIAGNOSTICS {
        out.push(Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::WARNING),
            source: Some("chiso".into()),
            message: format!("{} more diagnostics not shown; run `chiso check` for all", total - MAX_DIAGNOSTICS),
            ..Diagnostic::default()
        });
    }
    for n in &findings.notes {
        out.push(Diagnostic {
            range: doc.index.range(&doc.text, n.span.start, n.span.end),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("chiso".into()),
            message: n.message.clone(),
            ..Diagnostic::default()
        });
    }
    Some((uri.to_string(), out, doc.version))
}

/// A chiso diagnostic as the editor shows it, in the client's language: the code's title, the
/// message, the hint on its own line; labels as related information.
pub fn to_lsp_diagnostic(doc: &Doc, d: &chiso::Diagnostic, vi: bool, elsewhere: &[engine::Elsewhere]) -> Diagnostic {
    let title = engine::code_title(d.code, vi);
    let lang = if vi { chiso::diag::Lang::Vi } else { chiso::diag::Lang::En };
    let mut message = format!("{title}: {}", d.message.render(lang));
    if let Some(h) = &d.help {
        message.push_str(if vi { "\ngợi ý: " } else { "\nhelp: " });
        message.push_str(&h.render(lang));
    }
    let related = doc.uri.parse::<Uri>().ok().map(|uri| {
        // A label in another file (a plan's pointing into its rulebook) points at that file, and
        // is left out when the file is not known (never drawn in this one).
        d.labels
            .iter()
            .filter_map(|l| {
                let location = if l.span.anchor == d.span.anchor {
                    Location { uri: uri.clone(), range: doc.index.range(&doc.text, l.span.start, l.span.end) }
                } else {
                    let other = elsewhere.iter().find(|e| e.anchor == l.span.anchor)?;
                    let range = crate::text::LineIndex::new(&other.text).range(&other.text, l.span.start, l.span.end);
                    Location { uri: other.uri.parse::<Uri>().ok()?, range }
                };
                Some(DiagnosticRelatedInformation { location, message: l.text.render(lang) })
            })
            .collect::<Vec<_>>()
    });
    Diagnostic {
        range: doc.index.range(&doc.text, d.span.start, d.span.end),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("chiso".into()),
        message,
        related_information: related.filter(|r| !r.is_empty()),
        ..Diagnostic::default()
    }
}

/// Whether a locale tag (`vi`, `vi-VN`, `en-us`) asks for Vietnamese.
fn is_vietnamese(tag: &str) -> bool {
    tag.to_ascii_lowercase().starts_with("vi")
}

/// The `locale` setting from initialization options or settings: `{"locale": "vi"}` or
/// `{"chiso": {"locale": "vi"}}`; `auto` (or absent) defers to the client's display language.
fn locale_setting(v: &serde_json::Value) -> Option<String> {
    let l = v.get("locale").or_else(|| v.get("chiso").and_then(|c| c.get("locale")))?.as_str()?;
    (l != "auto" && !l.is_empty()).then(|| l.to_string())
}

fn uri_key(uri: &Uri) -> String {
    uri.as_str().to_string()
}

fn location(doc_uri: &str, text: &str, index: &crate::text::LineIndex, span: Span) -> Option<Location> {
    Some(Location { uri: doc_uri.parse().ok()?, range: index.range(text, span.start, span.end) })
}

fn is_global(sym: &Sym) -> bool {
    !matches!(sym, Sym::Local { .. })
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        {
            let mut st = self.state();
            let option = params.initialization_options.as_ref().and_then(locale_setting);
            st.vietnamese = match option {
                Some(l) => is_vietnamese(&l),
                None => params.locale.as_deref().is_some_and(is_vietnamese),
            };
            for f in params.workspace_folders.iter().flatten() {
                if let Some(p) = engine::uri_to_path(f.uri.as_str()) {
                    st.roots.push(p);
                }
            }
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "chiso".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            capabilities: ServerCapabilities {
                position_encoding: Some(PositionEncodingKind::UTF16),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![" ".into(), ":".into()]),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["(".into(), ",".into()]),
                    ..SignatureHelpOptions::default()
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                    SemanticTokensOptions {
                        legend: SemanticTokensLegend { token_types: TOKEN_TYPES.to_vec(), token_modifiers: vec![] },
                        full: Some(SemanticTokensFullOptions::Bool(true)),
                        range: None,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                ..ServerCapabilities::default()
            },
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = uri_key(&params.text_document.uri);
        self.state().engine.open(&uri, params.text_document.version, params.text_document.text);
        self.publish(vec![uri]).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = uri_key(&params.text_document.uri);
        {
            let mut st = self.state();
            let Some(doc) = st.engine.doc(&uri) else { return };
            // A version older than the one applied is a client bug or a replay: ignore it rather
            // than apply edits to a text they were not computed against.
            if params.text_document.version < doc.version {
                return;
            }
            let mut text = doc.text.clone();
            for c in &params.content_changes {
                crate::text::apply_change(&mut text, c.range, &c.text);
            }
            st.engine.update(&uri, params.text_document.version, text);
        }
        self.publish(vec![uri]).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = uri_key(&params.text_document.uri);
        let dependents = {
            let mut st = self.state();
            let d = st.engine.dependents(&uri);
            st.engine.close(&uri);
            d
        };
        self.client.publish_diagnostics(params.text_document.uri, Vec::new(), None).await;
        self.publish(dependents).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let changed = {
            let mut st = self.state();
            match locale_setting(&params.settings) {
                Some(l) if is_vietnamese(&l) != st.vietnamese => {
                    st.vietnamese = is_vietnamese(&l);
                    true
                }
                _ => false,
            }
        };
        if changed {
            self.publish_all().await;
        }
    }

    /// A `.chiso` file changed on disk (the extension watches them): a plan open in the editor
    /// may name it as its rulebook, so every open document is checked again.
    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.publish_all().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let mut st = self.state();
        let vi = st.vietnamese;
        let uri = uri_key(&p.text_document.uri);
        let Some(env) = st.engine.env(&uri) else { return Ok(None) };
        let engine = &st.engine;
        let Some(doc) = engine.doc(&uri) else { return Ok(None) };
        let parse = engine.parse(doc);
        let offset = doc.index.offset(&doc.text, p.position) as u32;
        let occs = engine.occurrences(doc).to_vec();
        let Some(occ) = ide::occurrence_at(&occs, offset) else { return Ok(None) };
        // A symbol the plan takes from its rulebook is described from the rulebook's text.
        let defined_here = occs.iter().any(|o| o.def && o.sym == occ.sym);
        let text = if !defined_here && matches!(occ.sym, Sym::Indicator(_) | Sym::Pillar(_)) {
            engine.rulebook_source(&uri).map(|(_, t)| t)
        } else {
            None
        };
        let value = match &text {
            Some(t) => {
                let rb = chiso::parse(t);
                ide::hover(&rb.file, t, &env, chiso_stdlib::PRELUDE, engine.prelude(), &occ.sym, vi)
            }
            None => ide::hover(&parse.file, &doc.text, &env, chiso_stdlib::PRELUDE, engine.prelude(), &occ.sym, vi),
        };
        Ok(value.map(|value| Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
            range: Some(doc.index.range(&doc.text, occ.span.start, occ.span.end)),
        }))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let st = self.state();
        let uri = uri_key(&p.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let occs = st.engine.occurrences(doc).to_vec();
        let offset = doc.index.offset(&doc.text, p.position) as u32;
        let Some(occ) = ide::occurrence_at(&occs, offset) else { return Ok(None) };
        if let Some(def) = occs.iter().find(|o| o.def && o.sym == occ.sym) {
            return Ok(location(&uri, &doc.text, &doc.index, def.span).map(GotoDefinitionResponse::Scalar));
        }
        // Declared in the plan's rulebook.
        if is_global(&occ.sym) {
            if let Some((rb_uri, rb_text)) = st.engine.rulebook_source(&uri) {
                let rb = chiso::parse(&rb_text);
                let index = crate::text::LineIndex::new(&rb_text);
                if let Some(def) = ide::occurrences(&rb.file).into_iter().find(|o| o.def && o.sym == occ.sym) {
                    return Ok(location(&rb_uri, &rb_text, &index, def.span).map(GotoDefinitionResponse::Scalar));
                }
            }
        }
        Ok(None)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let include_decl = params.context.include_declaration;
        let st = self.state();
        let uri = uri_key(&p.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let occs = st.engine.occurrences(doc).to_vec();
        let offset = doc.index.offset(&doc.text, p.position) as u32;
        let Some(occ) = ide::occurrence_at(&occs, offset).cloned() else { return Ok(None) };
        let mut out = Vec::new();
        // Agencies, indicators, pillars and functions are shared by a rulebook and its plans:
        // look in every open document.
        let docs: Vec<&Doc> =
            if is_global(&occ.sym) { st.engine.docs().collect() } else { st.engine.doc(&uri).into_iter().collect() };
        for d in docs {
            let occs = if d.uri == uri { occs.clone() } else { st.engine.occurrences(d).to_vec() };
            for o in occs.iter().filter(|o| o.sym == occ.sym && (include_decl || !o.def)) {
                out.extend(location(&d.uri, &d.text, &d.index, o.span));
            }
        }
        Ok(Some(out))
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let st = self.state();
        let uri = uri_key(&p.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let occs = st.engine.occurrences(doc).to_vec();
        let offset = doc.index.offset(&doc.text, p.position) as u32;
        let Some(occ) = ide::occurrence_at(&occs, offset) else { return Ok(None) };
        Ok(Some(
            occs.iter()
                .filter(|o| o.sym == occ.sym)
                .map(|o| DocumentHighlight {
                    range: doc.index.range(&doc.text, o.span.start, o.span.end),
                    kind: Some(if o.def { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
                })
                .collect(),
        ))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let st = self.state();
        let uri = uri_key(&params.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let outline = ide::outline(&st.engine.parse(doc).file);
        #[allow(deprecated)]
        fn conv(doc: &Doc, o: &ide::Outline) -> DocumentSymbol {
            DocumentSymbol {
                name: if o.name.is_empty() { "?".into() } else { o.name.clone() },
                detail: o.detail.clone(),
                kind: symbol_kind(o.kind),
                tags: None,
                deprecated: None,
                range: doc.index.range(&doc.text, o.span.start, o.span.end),
                selection_range: doc.index.range(&doc.text, o.selection.start, o.selection.end),
                children: Some(o.children.iter().map(|c| conv(doc, c)).collect()),
            }
        }
        Ok(Some(DocumentSymbolResponse::Nested(outline.iter().map(|o| conv(doc, o)).collect())))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let st = self.state();
        let mut sources: Vec<(String, String)> = st.engine.docs().map(|d| (d.uri.clone(), d.text.clone())).collect();
        let open: std::collections::BTreeSet<PathBuf> = st.engine.docs().filter_map(|d| d.path.clone()).collect();
        let mut files = Vec::new();
        for r in &st.roots {
            walk(r, &mut files, 0);
        }
        for f in files.into_iter().filter(|f| !open.contains(f)).take(2000) {
            if let Ok(bytes) = std::fs::read(&f) {
                sources.push((engine::path_to_uri(&f), String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
        let mut out = Vec::new();
        for (uri, text) in sources {
            let parse = chiso::parse(&text);
            let index = crate::text::LineIndex::new(&text);
            let mut push = |o: &ide::Outline, container: Option<String>| {
                let name = match &o.detail {
                    Some(d) if o.kind == OutlineKind::Indicator || o.kind == OutlineKind::Pillar => {
                        format!("{} {d}", o.name)
                    }
                    _ => o.name.clone(),
                };
                if name.to_lowercase().contains(&query) {
                    #[allow(deprecated)]
                    out.extend(location(&uri, &text, &index, o.selection).map(|location| SymbolInformation {
                        name,
                        kind: symbol_kind(o.kind),
                        tags: None,
                        deprecated: None,
                        location,
                        container_name: container,
                    }));
                }
            };
            fn rec(o: &ide::Outline, container: Option<String>, push: &mut dyn FnMut(&ide::Outline, Option<String>)) {
                push(o, container);
                for c in &o.children {
                    rec(c, Some(o.name.clone()), push);
                }
            }
            for o in ide::outline(&parse.file) {
                rec(&o, None, &mut push);
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Flat(out)))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = uri_key(&params.text_document.uri);
        let formatted = {
            let st = self.state();
            let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
            match st.engine.format(doc) {
                Some(f) if f == doc.text => Some(Vec::new()),
                Some(f) => {
                    Some(vec![TextEdit { range: doc.index.range(&doc.text, 0, doc.text.len() as u32), new_text: f }])
                }
                None => None,
            }
        };
        if formatted.is_none() {
            self.client
                .show_message(MessageType::WARNING, "chiso: the file has syntax errors; fix them before formatting")
                .await;
        }
        Ok(formatted)
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let st = self.state();
        let uri = uri_key(&params.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let occs = st.engine.occurrences(doc).to_vec();
        let offset = doc.index.offset(&doc.text, params.position) as u32;
        match ide::occurrence_at(&occs, offset) {
            Some(o) if renamable(&occs, o) => {
                Ok(Some(PrepareRenameResponse::Range(doc.index.range(&doc.text, o.span.start, o.span.end))))
            }
            _ => Ok(None),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        if !ide::is_identifier(&params.new_name) {
            return Err(Error::invalid_params(format!("`{}` is not a name", params.new_name)));
        }
        let st = self.state();
        let uri = uri_key(&p.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let occs = st.engine.occurrences(doc).to_vec();
        let offset = doc.index.offset(&doc.text, p.position) as u32;
        let Some(occ) = ide::occurrence_at(&occs, offset) else { return Ok(None) };
        if !renamable(&occs, occ) {
            return Err(Error::invalid_params("only agencies, inputs, lets, parameters and functions can be renamed"));
        }
        let mut changes = std::collections::HashMap::new();
        let docs: Vec<&Doc> =
            if is_global(&occ.sym) { st.engine.docs().collect() } else { st.engine.doc(&uri).into_iter().collect() };
        for d in docs {
            let occs = st.engine.occurrences(d);
            let edits: Vec<TextEdit> = occs
                .iter()
                .filter(|o| o.sym == occ.sym)
                .map(|o| TextEdit {
                    range: d.index.range(&d.text, o.span.start, o.span.end),
                    new_text: params.new_name.clone(),
                })
                .collect();
            if let (false, Ok(u)) = (edits.is_empty(), d.uri.parse::<Uri>()) {
                changes.insert(u, edits);
            }
        }
        Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let mut st = self.state();
        let uri = uri_key(&p.text_document.uri);
        let Some(env) = st.engine.env(&uri) else { return Ok(None) };
        let engine = &st.engine;
        let Some(doc) = engine.doc(&uri) else { return Ok(None) };
        let offset = doc.index.offset(&doc.text, p.position);
        let items = crate::complete::complete(engine, doc, &env, offset);
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let p = params.text_document_position_params;
        let mut st = self.state();
        let uri = uri_key(&p.text_document.uri);
        let Some(env) = st.engine.env(&uri) else { return Ok(None) };
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let offset = doc.index.offset(&doc.text, p.position);
        let Some((name, active)) = ide::call_at(&doc.text, offset) else { return Ok(None) };
        let (label, params, doc_text): (String, Vec<String>, String) = if let Some(f) = env.fns.get(&name) {
            let params: Vec<String> = f.params.iter().map(|p| p.text.clone()).collect();
            let doc_text = if env.prelude_fns.contains(&name) {
                ide::doc_comment(chiso_stdlib::PRELUDE, f.span.start)
            } else {
                ide::doc_comment(&doc.text, f.span.start)
            };
            (format!("{name}({})", params.join(", ")), params, doc_text)
        } else if let Some((sig, d)) = ide::builtin_doc(&name) {
            let inner = sig.trim_start_matches(&*name).trim_start_matches('(').trim_end_matches(')');
            (sig.to_string(), inner.split(", ").map(str::to_string).collect(), d.to_string())
        } else {
            return Ok(None);
        };
        let parameters = params
            .into_iter()
            .map(|p| ParameterInformation { label: ParameterLabel::Simple(p), documentation: None })
            .collect();
        Ok(Some(SignatureHelp {
            signatures: vec![SignatureInformation {
                label,
                documentation: (!doc_text.is_empty()).then_some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: doc_text,
                })),
                parameters: Some(parameters),
                active_parameter: Some(active),
            }],
            active_signature: Some(0),
            active_parameter: Some(active),
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let mut st = self.state();
        let vi = st.vietnamese;
        let uri = uri_key(&params.text_document.uri);
        let Some(findings) = st.engine.findings(&uri) else { return Ok(None) };
        let Some(env) = st.engine.env(&uri) else { return Ok(None) };
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let want = params.range;
        let start = doc.index.offset(&doc.text, want.start) as u32;
        let end = doc.index.offset(&doc.text, want.end) as u32;
        let touching: Vec<&chiso::Diagnostic> =
            findings.diagnostics.iter().filter(|d| d.span.start <= end && start <= d.span.end).collect();
        let actions = crate::actions::actions(&st.engine, doc, &env, &touching, vi);
        Ok(Some(actions))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let mut st = self.state();
        let uri = uri_key(&params.text_document.uri);
        let Some(env) = st.engine.env(&uri) else { return Ok(None) };
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let parse = st.engine.parse(doc);
        let mut out = Vec::new();
        let mut hint = |at: u32, label: String| {
            out.push(InlayHint {
                position: doc.index.position(&doc.text, at),
                label: InlayHintLabel::String(label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        };
        for item in &parse.file.items {
            if let Item::Pillar(p) = item {
                if let (Some(m), Some(sum)) = (&p.max, ide::pillar_sum(p)) {
                    hint(m.span.end, format!("Σ {sum}"));
                }
            }
        }
        ide::ast_indicators(&parse.file, &mut |ind: &ast::Indicator| {
            for (span, unit) in engine::let_units(&env, ind) {
                hint(span.end, format!(": {unit}"));
            }
        });
        let lo = doc.index.offset(&doc.text, params.range.start);
        let hi = doc.index.offset(&doc.text, params.range.end);
        let (lo, hi) = (doc.index.position(&doc.text, lo as u32), doc.index.position(&doc.text, hi as u32));
        out.retain(|h| lo <= h.position && h.position <= hi);
        Ok(Some(out))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let st = self.state();
        let uri = uri_key(&params.text_document.uri);
        let Some(doc) = st.engine.doc(&uri) else { return Ok(None) };
        let parse = st.engine.parse(doc);
        let mut occs = st.engine.occurrences(doc).to_vec();
        occs.sort_by_key(|o| (o.span.start, o.span.end));
        occs.dedup_by_key(|o| o.span.start);
        let mut lets = std::collections::BTreeSet::new();
        ide::ast_indicators(&parse.file, &mut |i| lets.extend(i.lets().map(|(n, _)| (i.span, n.text.clone()))));
        let is_let = |o: &Occ| matches!(&o.sym, Sym::Local { owner, name } if lets.contains(&(*owner, name.clone())));
        let mut data = Vec::new();
        let (mut prev_line, mut prev_col) = (0u32, 0u32);
        for o in &occs {
            let ty = match &o.sym {
                Sym::Agency(_) => 0,
                Sym::Indicator(_) => 1,
                Sym::Pillar(_) => 2,
                Sym::Fn(_) => 3,
                Sym::Local { .. } if is_let(o) => 5,
                Sym::Local { .. } => 4,
            };
            let r = doc.index.range(&doc.text, o.span.start, o.span.end);
            if r.start.line != r.end.line || r.end.character <= r.start.character {
                continue;
            }
            let delta_line = r.start.line - prev_line;
            let delta_start = if delta_line == 0 { r.start.character - prev_col } else { r.start.character };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: r.end.character - r.start.character,
                token_type: ty,
                token_modifiers_bitset: 0,
            });
            (prev_line, prev_col) = (r.start.line, r.start.character);
        }
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    }
}

/// Agencies, inputs, lets, parameters and user functions can be renamed; indicator and pillar
/// ids are the methodology's own numbering, and builtins are the language's.
fn renamable(occs: &[Occ], occ: &Occ) -> bool {
    match &occ.sym {
        Sym::Agency(_) | Sym::Local { .. } => true,
        Sym::Fn(_) => occs.iter().any(|o| o.def && o.sym == occ.sym),
        Sym::Indicator(_) | Sym::Pillar(_) => false,
    }
}

fn symbol_kind(k: OutlineKind) -> SymbolKind {
    match k {
        OutlineKind::Pillar => SymbolKind::NAMESPACE,
        OutlineKind::Indicator => SymbolKind::CLASS,
        OutlineKind::Agency => SymbolKind::CONSTANT,
        OutlineKind::Function => SymbolKind::FUNCTION,
        OutlineKind::Test => SymbolKind::EVENT,
        OutlineKind::Plan => SymbolKind::OBJECT,
        OutlineKind::Module => SymbolKind::MODULE,
    }
}

/// The `.chiso` files under a folder (not in `target`, `node_modules` or hidden folders).
fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 8 || out.len() > 2000 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&p, out, depth + 1);
            }
        } else if p.extension().is_some_and(|x| x == "chiso") {
            out.push(p);
        }
    }
}
