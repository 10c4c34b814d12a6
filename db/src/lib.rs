//! The incremental layer: salsa memoizes `chiso`'s per-item functions over file inputs, so an
//! editor that re-checks on every keystroke re-parses and re-checks only what the edit touched.
//!
//! How: the file is cut into top-level chunks by a byte scan (`chiso::syntax::chunks`); each
//! chunk is interned by its text and parsed alone, so a keystroke re-parses one chunk. When every
//! chunk parses without error, the chunks' trees are the whole-file tree (see `chunks` for why);
//! otherwise (the file has a syntax error) it is parsed and checked whole, as `chiso check` does
//! it, since an item parsed alone need not be the item in the file then. Each item (top-level
//! declaration, and every indicator including nested ones) is then interned by its own text,
//! parsed alone with spans anchored to the item ([`item_anchor`], named by the item's header), so
//! they do not move when an earlier item grows, and checked by a tracked function. The symbol
//! table is built from those item trees; an edit inside one indicator's score leaves it equal, so
//! salsa backdates it and nothing else re-runs. Its spans and the diagnostics' are anchored
//! spans, turned into file positions outside the memoized functions ([`resolve`]): the table and
//! the whole-file check are in one coordinate system, a label may point into another item.
//!
//! `lang` stays free of salsa; this crate is the only place that knows it.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chiso::diag::{self, Anchor, Diagnostic, Span};
use chiso::pipeline::{check_indicator, check_item};
use chiso::sema::Env;
use chiso::syntax::ast::{self, IndicatorProp, Item};
use chiso::syntax::Parse;

/// A rulebook file: the input an editor updates on every keystroke.
#[salsa::input(debug)]
pub struct SourceFile {
    /// The file's text.
    #[returns(ref)]
    pub text: String,
    /// Never set; read by `header` before it interns. An interned value takes the
    /// durability of the function that interns it, and one that read no input (only interned
    /// data, whose reads salsa does not track) has the highest, which salsa never reclaims:
    /// memory would grow with every keystroke. Unchanged, it invalidates nothing.
    #[default]
    pub edit_scoped: (),
}

/// One top-level chunk's text, interned: the same text in the same file is the same chunk.
#[salsa::interned(debug)]
pub struct Chunk<'db> {
    /// The file it belongs to.
    pub file: SourceFile,
    /// Its text, from the start of its first line to the start of the next chunk.
    #[returns(ref)]
    pub text: String,
}

/// One item's text, interned: the same text in the same file is the same item.
#[salsa::interned(debug)]
pub struct ItemSource<'db> {
    /// The file it belongs to.
    pub file: SourceFile,
    /// Its text, from its keyword to its end.
    #[returns(ref)]
    pub text: String,
    /// Whether it is an indicator (checked by `check_indicator`) or another item.
    pub is_indicator: bool,
}

/// The database interface the tracked functions see.
#[salsa::db]
pub trait Db: salsa::Database {
    /// Records that a tracked function ran (for tests and `chiso debug`).
    fn record(&self, event: String);
    /// The file's symbol table when it was last built from these headers, else `build`'s.
    /// `headers` are the top-level items' ids and headers: the same id (an interned text) has the
    /// same header, so only the items an edit replaced are compared.
    fn symbols_cache(
        &self,
        file: SourceFile,
        headers: &[(salsa::Id, &Item)],
        build: &dyn Fn() -> Arc<Symbols>,
    ) -> Arc<Symbols>;
}

/// The last symbol table of each file and the headers it was built from.
type SymbolsCache = HashMap<SourceFile, (Vec<(salsa::Id, Item)>, Arc<Symbols>)>;

/// The database.
#[salsa::db]
#[derive(Default, Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    log: Arc<Mutex<Vec<String>>>,
    symbols: Arc<Mutex<SymbolsCache>>,
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn record(&self, event: String) {
        if let Ok(mut log) = self.log.lock() {
            log.push(event);
        }
    }

    fn symbols_cache(
        &self,
        file: SourceFile,
        headers: &[(salsa::Id, &Item)],
        build: &dyn Fn() -> Arc<Symbols>,
    ) -> Arc<Symbols> {
        if let Ok(cache) = self.symbols.lock() {
            if let Some((kept, symbols)) = cache.get(&file) {
                let same = |((a, x), (b, y)): (&(salsa::Id, Item), &(salsa::Id, &Item))| a == b || x == *y;
                if kept.len() == headers.len() && kept.iter().zip(headers).all(same) {
                    return symbols.clone();
                }
            }
        }
        let symbols = build();
        if let Ok(mut cache) = self.symbols.lock() {
            cache.insert(file, (headers.iter().map(|(id, h)| (*id, (*h).clone())).collect(), symbols.clone()));
        }
        symbols
    }
}

impl Database {
    /// Takes the record of executions since the last call.
    pub fn take_log(&self) -> Vec<String> {
        self.log.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }
}

/// Parses the whole file: the tree the editor's features read (hover, outline, …), and the
/// source of items and syntax errors when the file does not cut into clean chunks.
// `no_eq`: comparing a whole tree with the previous one costs more than parsing it, and any edit
// changes some span, so the comparison would never find them equal.
#[salsa::tracked(returns(ref), no_eq)]
pub fn parse_file(db: &dyn Db, file: SourceFile) -> Parse {
    db.record("parse_file".into());
    chiso::parse(file.text(db))
}

/// A chunk of a file and where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, salsa::Update)]
pub struct ChunkEntry<'db> {
    /// The chunk.
    pub chunk: Chunk<'db>,
    /// Its first byte in the file.
    pub offset: u32,
}

/// The file cut into top-level chunks (a byte scan, no parsing).
#[salsa::tracked(returns(ref))]
pub fn file_chunks<'db>(db: &'db dyn Db, file: SourceFile) -> Vec<ChunkEntry<'db>> {
    let text = file.text(db);
    let starts = chiso::syntax::chunks::chunk_starts(text);
    let mut out = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        let piece = text.get(start..end).unwrap_or_default();
        out.push(ChunkEntry { chunk: Chunk::new(db, file, piece), offset: start as u32 });
    }
    out
}

/// One chunk parsed alone; spans are relative to the chunk's start.
#[salsa::tracked(returns(ref), no_eq)]
pub fn chunk_parse<'db>(db: &'db dyn Db, chunk: Chunk<'db>) -> Parse {
    db.record("parse chunk".into());
    chiso::parse(chunk.text(db))
}

/// Whether every chunk of the file parses without a syntax error, so that the chunks' trees are
/// the whole file's tree. When not, the file is parsed whole.
#[salsa::tracked]
pub fn chunked(db: &dyn Db, file: SourceFile) -> bool {
    file_chunks(db, file).iter().all(|c| chunk_parse(db, c.chunk).errors.is_empty())
}

/// Where an item of a chunk is, before it is interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ItemSpan {
    /// Its first byte in the chunk.
    pub offset: u32,
    /// The length of its text (see `item_text`).
    pub len: u32,
    /// Whether it is an indicator.
    pub is_indicator: bool,
    /// Whether it is a top-level item (not an indicator inside a pillar or another indicator).
    pub top_level: bool,
}

/// An item and where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, salsa::Update)]
pub struct ItemEntry<'db> {
    /// The item.
    pub item: ItemSource<'db>,
    /// Its first byte in the file.
    pub offset: u32,
    /// Whether it is a top-level item (not an indicator inside a pillar or another indicator).
    pub top_level: bool,
}

/// The items of a chunk (top-level declarations and every indicator, nested ones included),
/// where they are in it. Not interned here: see [`file_items`].
#[salsa::tracked(returns(ref))]
pub fn chunk_items<'db>(db: &'db dyn Db, chunk: Chunk<'db>) -> Vec<ItemSpan> {
    let text = chunk.text(db);
    let mut out = Vec::new();
    let mut push = |span: Span, is_indicator: bool, top_level: bool| {
        let len = item_text(text, span).len() as u32;
        out.push(ItemSpan { offset: span.start, len, is_indicator, top_level });
    };
    fn indicators(ind: &ast::Indicator, top_level: bool, push: &mut dyn FnMut(Span, bool, bool)) {
        push(ind.span, true, top_level);
        for p in &ind.props {
            if let IndicatorProp::Sub(sub) = p {
                indicators(sub, false, push);
            }
        }
    }
    for item in &chunk_parse(db, chunk).file.items {
        match item {
            Item::Indicator(ind) => indicators(ind, true, &mut push),
            Item::Pillar(p) => {
                push(p.span, false, true);
                for ind in &p.indicators {
                    indicators(ind, false, &mut push);
                }
            }
            Item::Error(_) => {}
            other => push(other.span(), false, true),
        }
    }
    out
}

/// The text an item is interned by: from its keyword up to the next token, so that, parsed alone,
/// the item ends where it ends in the file, and the empty span of something missing at its end
/// (`indicator` with no id) is the same.
fn item_text(text: &str, span: Span) -> &str {
    text.get(span.start as usize..trivia_end(text, span.end as usize)).unwrap_or_default()
}

/// Where the whitespace and comments that start at `from` end: the next token, or the end.
fn trivia_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let mut i = from;
    loop {
        match b.get(i..) {
            Some([b' ' | b'\t' | b'\r' | b'\n' | 0x0c, ..]) => i += 1,
            Some([0xef, 0xbb, 0xbf, ..]) => i += 3,
            Some([b'/', b'/', ..]) => {
                while b.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            _ => return i.min(text.len()),
        }
    }
}

/// One item parsed on its own; its spans count from the item's start, anchored to the item
/// ([`item_anchor`]).
#[salsa::tracked(returns(ref))]
pub fn item_tree<'db>(db: &'db dyn Db, item: ItemSource<'db>) -> Option<Item> {
    db.record(format!("item_tree {}", headline(item.text(db))));
    let text = item.text(db);
    chiso::syntax::parse_anchored(text, item_anchor(text)).file.items.into_iter().next()
}

/// What an item's spans count from, named by its header: its text up to the first `{` (all of
/// it for an item without a body). An edit inside the body keeps the anchor, and with it every
/// span the symbol table took from the item, so the table stays equal (and is backdated) while
/// its spans still say which item they are in: [`resolve`] turns them into file positions.
pub fn item_anchor(text: &str) -> Anchor {
    let head = text.split('{').next().unwrap_or(text).trim_end();
    // FNV-1a, folded into a range that the front door's file anchors (small numbers),
    // `Anchor::LOCAL` and `Anchor::PRELUDE` never use.
    let mut h: u32 = 0x811c_9dc5;
    for b in head.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    Anchor(0x4000_0000 | (h & 0x3fff_ffff))
}

/// Where each item's anchor starts in the file (the first item, for two with the same header).
pub fn item_offsets(db: &dyn Db, file: SourceFile) -> HashMap<Anchor, u32> {
    offsets_of(&anchored_items(db, file))
}

/// The items of a file with their anchors, each anchor worked out once.
fn anchored_items<'db>(db: &'db dyn Db, file: SourceFile) -> Vec<(Anchor, &'db ItemEntry<'db>)> {
    file_items(db, file).iter().map(|e| (item_anchor(e.item.text(db)), e)).collect()
}

fn offsets_of(items: &[(Anchor, &ItemEntry<'_>)]) -> HashMap<Anchor, u32> {
    let mut out = HashMap::new();
    for (anchor, e) in items {
        out.entry(*anchor).or_insert(e.offset);
    }
    out
}

/// A span of an item tree, or of the symbol table built from them, at its file position
/// (counting from the file's start, `Anchor::LOCAL`); a span of another text (the prelude) as it
/// is.
pub fn resolve(offsets: &HashMap<Anchor, u32>, span: Span) -> Span {
    match offsets.get(&span.anchor) {
        Some(&at) => span.shifted(at).with_anchor(Anchor::LOCAL),
        None => span,
    }
}

/// An indicator as the symbol table reads it (`Env::add_indicator` and the source id check):
/// its scores, `let`s and notes would only take memory.
fn indicator_header(ind: &ast::Indicator) -> ast::Indicator {
    let props = ind
        .props
        .iter()
        .filter_map(|p| match p {
            IndicatorProp::Sub(sub) => Some(IndicatorProp::Sub(indicator_header(sub))),
            IndicatorProp::Max(_)
            | IndicatorProp::Input(_)
            | IndicatorProp::NotScored(_)
            | IndicatorProp::SourceId(_) => Some(p.clone()),
            _ => None,
        })
        .collect();
    ast::Indicator { id: ind.id.clone(), title: ind.title.clone(), props, span: Span::default() }
}

/// A top-level item as the symbol table reads it: an indicator without what the table does not
/// read; a pillar whose indicators are their own trees (spans relative to each indicator), so an
/// edit inside one indicator moves nothing in the others. Whole indicators and pillars have no
/// span here (the table does not read it, and it changes with any edit inside them).
#[salsa::tracked(returns(ref))]
pub fn header<'db>(db: &'db dyn Db, item: ItemSource<'db>) -> Option<Item> {
    item.file(db).edit_scoped(db);
    Some(match item_tree(db, item).as_ref()? {
        Item::Pillar(p) => {
            let text = item.text(db);
            let indicators = p
                .indicators
                .iter()
                .map(|ind| match item_tree(db, ItemSource::new(db, item.file(db), item_text(text, ind.span), true)) {
                    Some(Item::Indicator(own)) => indicator_header(own),
                    _ => indicator_header(ind),
                })
                .collect();
            Item::Pillar(ast::Pillar {
                id: p.id.clone(),
                title: p.title.clone(),
                max: p.max.clone(),
                indicators,
                errors: p.errors.clone(),
                span: Span::default(),
            })
        }
        Item::Indicator(ind) => Item::Indicator(indicator_header(ind)),
        other => other.clone(),
    })
}

/// The items of a file, at file offsets, in order: interned here, on every edit (a hash lookup
/// each). Salsa reclaims interned values by least recent interning; were an item interned only
/// when its chunk changed, items in use would look old and block that (memory would grow with
/// every keystroke).
#[salsa::tracked(returns(ref))]
pub fn file_items<'db>(db: &'db dyn Db, file: SourceFile) -> Vec<ItemEntry<'db>> {
    let mut out = Vec::new();
    for c in file_chunks(db, file) {
        let text = c.chunk.text(db);
        for e in chunk_items(db, c.chunk) {
            let own = text.get(e.offset as usize..(e.offset + e.len) as usize).unwrap_or_default();
            let item = ItemSource::new(db, file, own, e.is_indicator);
            out.push(ItemEntry { item, offset: c.offset + e.offset, top_level: e.top_level });
        }
    }
    out
}

/// The symbol table, and whether building it reported anything (a duplicate declaration, an
/// unknown locale, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbols {
    /// The symbol table, with the prelude.
    pub env: Env,
    /// What building the table reports (duplicate declarations, colliding source ids, …), at
    /// the items' anchors: a report names two items, and each span says which.
    pub reports: Vec<Diagnostic>,
}

/// The symbol table, built from the headers of the top-level items. Re-run on every edit (the
/// item list changes), but built again only when a header changed: the last table is kept beside
/// the headers it was built from (`Database::symbols_cache`), and returned, the same `Arc`, when
/// they are equal. Salsa then finds the result equal and the checks of other items are reused.
#[salsa::tracked(returns(ref))]
pub fn symbols(db: &dyn Db, file: SourceFile) -> Arc<Symbols> {
    let headers: Vec<(salsa::Id, &Item)> = file_items(db, file)
        .iter()
        .filter(|e| e.top_level)
        .filter_map(|e| Some((salsa::plumbing::AsId::as_id(&e.item), header(db, e.item).as_ref()?)))
        .collect();
    db.symbols_cache(file, &headers, &|| {
        db.record("env".into());
        let items: Vec<&Item> = headers.iter().map(|(_, h)| *h).collect();
        let (mut env, reports) = Env::build_from(&items);
        env.add_prelude(chiso_stdlib::prelude());
        Arc::new(Symbols { env, reports })
    })
}

/// The symbol index of a file (every declaration and use of every name, `chiso::sema::symbols`),
/// at file positions; memoized with the file's text, so definition, references, rename and
/// highlighting read one index however many requests the editor makes.
#[salsa::tracked(returns(ref))]
pub fn symbol_index(db: &dyn Db, file: SourceFile) -> Vec<chiso::sema::symbols::Occ> {
    chiso::sema::symbols::occurrences(&parse_file(db, file).file)
}

/// The symbol table of a file (with the prelude).
pub fn env(db: &dyn Db, file: SourceFile) -> &Env {
    &symbols(db, file).env
}

/// The diagnostics of one item, with spans relative to the item.
#[salsa::tracked(returns(ref))]
pub fn item_diagnostics<'db>(db: &'db dyn Db, item: ItemSource<'db>) -> Vec<Diagnostic> {
    db.record(format!("check {}", headline(item.text(db))));
    let env = env(db, item.file(db));
    match item_tree(db, item) {
        Some(Item::Indicator(ind)) if item.is_indicator(db) => check_indicator(env, ind),
        Some(other) => check_item(env, other),
        None => Vec::new(),
    }
}

/// The top-level items of a file with the offset their spans are relative to: the chunks' trees
/// when the file cuts cleanly, else the whole-file tree (offset 0).
pub fn top_items(db: &dyn Db, file: SourceFile) -> Vec<(u32, &Item)> {
    if chunked(db, file) {
        file_chunks(db, file)
            .iter()
            .flat_map(|c| chunk_parse(db, c.chunk).file.items.iter().map(move |i| (c.offset, i)))
            .collect()
    } else {
        parse_file(db, file).file.items.iter().map(|i| (0, i)).collect()
    }
}

/// Every diagnostic of a file, at file positions: syntax errors, duplicate declarations and each
/// item's own diagnostics.
pub fn diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if chunked(db, file) {
        let items = anchored_items(db, file);
        let offsets = offsets_of(&items);
        let reports = &symbols(db, file).reports;
        if reports.iter().all(|d| spans_of(d).all(|s| anchored_once(&items, s.anchor))) {
            out.extend(reports.iter().cloned().map(|d| d.map_spans(|s| resolve(&offsets, s))));
        } else {
            // A report in an item whose header another item repeats word for word (a duplicate
            // declaration, typically): the anchor does not say which of them, the whole tree does.
            out.extend(Env::build(&parse_file(db, file).file).1);
        }
        for &(own, entry) in &items {
            // An item's own spans move with it (two items with one header each have theirs); a
            // label into another item is found through its anchor.
            let at = |s: Span| {
                if s.anchor == own {
                    s.shifted(entry.offset).with_anchor(Anchor::LOCAL)
                } else {
                    resolve(&offsets, s)
                }
            };
            out.extend(item_diagnostics(db, entry.item).iter().cloned().map(|d| d.map_spans(at)));
        }
    } else {
        // A syntax error: an item parsed alone can differ from the same item in the file (its
        // parser sees the end of its text where the file's sees the next item), so the file is
        // checked whole, as `chiso check` does.
        return chiso::check_with(parse_file(db, file), chiso_stdlib::prelude()).diagnostics;
    }
    diag::sort(&mut out);
    out.dedup();
    out
}

/// Every span of a diagnostic: its own and its labels'.
fn spans_of(d: &Diagnostic) -> impl Iterator<Item = Span> + '_ {
    std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span))
}

/// Whether a span at `anchor` has one place: in the prelude, or in exactly one item of the file
/// (a span of no item, such as a whole pillar's, which headers leave empty, has none).
fn anchored_once(items: &[(Anchor, &ItemEntry<'_>)], anchor: Anchor) -> bool {
    anchor == Anchor::PRELUDE || items.iter().filter(|(a, _)| *a == anchor).count() == 1
}

/// The first line of an item, to name it in the execution log.
fn headline(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    line.trim_end_matches('{').trim().to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use salsa::Setter;

    const RULEBOOK: &str = r#"agency S "Sở Thông tin và Truyền thông"

pillar III "Hạ tầng số" max 20 {
  indicator 3.1 "Điện thoại thông minh" {
    max 10
    owner S
    input a: count
    input b: count positive neutral
    assume a <= b
    score = a / b * max
  }
  indicator 3.2 "Cáp quang" {
    max 10
    owner S
    input a: count
    input b: count positive neutral
    assume a <= b
    score = a / b * max
  }
}
"#;

    fn checks(log: &[String]) -> Vec<String> {
        let mut c: Vec<String> = log.iter().filter(|l| l.starts_with("check ")).cloned().collect();
        c.sort();
        c
    }

    #[test]
    fn editing_one_score_rechecks_only_that_indicator_and_its_pillar() {
        let mut db = Database::default();
        let file = SourceFile::new(&db, RULEBOOK.to_string());
        let first = diagnostics(&db, file);
        assert!(first.is_empty(), "{first:?}");
        assert_eq!(checks(&db.take_log()).len(), 4); // agency, pillar, 3.1, 3.2

        // Edit the score of 3.2 so that it is wrong: `a + max` adds a count to points.
        let edited = RULEBOOK.replacen("score = a / b * max\n  }\n}", "score = a / b + max\n  }\n}", 1);
        assert_ne!(edited, RULEBOOK);
        file.set_text(&mut db).to(edited.clone());
        let after = diagnostics(&db, file);
        let log = db.take_log();
        assert_eq!(
            checks(&log),
            vec!["check indicator 3.2 \"Cáp quang\"".to_string(), "check pillar III \"Hạ tầng số\" max 20".to_string()],
            "{log:?}"
        );
        // The error is reported at its file position.
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].code, chiso::Code::E0301);
        assert_eq!(after[0].span.text(&edited), "a / b + max");
        // The whole-file result equals a from-scratch check.
        let scratch = chiso::check_with(&chiso::parse(&edited), &chiso_stdlib::functions());
        assert_eq!(after, scratch.diagnostics);
    }

    #[test]
    fn inserting_text_above_moves_diagnostics_without_rechecking() {
        let mut db = Database::default();
        let broken = RULEBOOK.replacen("score = a / b * max", "score = a / b + max", 1);
        let file = SourceFile::new(&db, broken.clone());
        let before = diagnostics(&db, file);
        assert_eq!(before.len(), 1);
        db.take_log();
        let shifted = format!("// Ghi chú mới ở đầu tệp\n{broken}");
        file.set_text(&mut db).to(shifted.clone());
        let after = diagnostics(&db, file);
        assert!(checks(&db.take_log()).is_empty());
        assert_eq!(after[0].span.text(&shifted), "a / b + max");
    }

    /// The declarations the symbol table records, at file positions.
    fn declared_at(env: &Env, at: &dyn Fn(Span) -> Span) -> Vec<(String, Span)> {
        let mut v: Vec<(String, Span)> =
            env.indicators.iter().map(|(id, i)| (format!("indicator {id}"), at(i.span))).collect();
        v.extend(env.agencies.iter().map(|(n, a)| (format!("agency {n}"), at(a.span))));
        v.extend(env.pillars.iter().map(|(n, p)| (format!("pillar {n}"), at(p.span))));
        v.sort();
        v
    }

    #[test]
    fn the_symbol_table_is_in_one_coordinate_system_with_the_whole_file_check() {
        // Every declaration's span, read from the editor's table (item-anchored, backdated across
        // edits) and resolved, is where the whole-file table (the CLI's) puts it.
        for path in repository_files() {
            let text = std::fs::read_to_string(&path).unwrap();
            if !chiso::parse(&text).errors.is_empty() {
                continue;
            }
            let db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let offsets = item_offsets(&db, file);
            let got = declared_at(env(&db, file), &|s| resolve(&offsets, s));
            let (whole, _) = Env::build(&chiso::parse(&text).file);
            assert_eq!(got, declared_at(&whole, &|s| s), "{}", path.display());
        }
        // After text is inserted above, the table is the same value, and resolves to the new places.
        let mut db = Database::default();
        let file = SourceFile::new(&db, RULEBOOK.to_string());
        let before = env(&db, file).clone();
        let moved = format!("// Ghi chú mới\n{RULEBOOK}");
        file.set_text(&mut db).to(moved.clone());
        assert_eq!(*env(&db, file), before);
        let offsets = item_offsets(&db, file);
        for (name, span) in declared_at(env(&db, file), &|s| resolve(&offsets, s)) {
            let id = name.split(' ').nth(1).unwrap();
            assert_eq!(span.text(&moved), id, "{name}");
        }
    }

    #[test]
    fn the_symbol_index_is_the_front_doors_at_the_same_positions() {
        // The editor's memoized index and the index of the front door's parse (anchored to its
        // file) name the same symbols at the same offsets, on every repository file.
        let anchor = chiso::diag::Anchor(7);
        let local = |o: &chiso::sema::symbols::Occ| {
            let mut o = o.clone();
            o.span = o.span.with_anchor(Anchor::LOCAL);
            if let chiso::sema::symbols::Sym::Local { owner, .. } = &mut o.sym {
                *owner = owner.with_anchor(Anchor::LOCAL);
            }
            o
        };
        for path in repository_files() {
            let text = std::fs::read_to_string(&path).unwrap();
            let db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let front_door: Vec<_> =
                chiso::sema::symbols::occurrences(&chiso::syntax::parse_anchored(&text, anchor).file)
                    .iter()
                    .map(local)
                    .collect();
            assert_eq!(symbol_index(&db, file), &front_door, "{}", path.display());
        }
        // A definition and its uses, found from the index.
        let text =
            std::fs::read_to_string(repository_files().into_iter().find(|p| p.ends_with("dti-2022.chiso")).unwrap())
                .unwrap();
        let db = Database::default();
        let file = SourceFile::new(&db, text.clone());
        let sotttt = chiso::sema::symbols::Sym::Agency("SoTTTT".into());
        let occs: Vec<_> = symbol_index(&db, file).iter().filter(|o| o.sym == sotttt).collect();
        assert_eq!(occs.iter().filter(|o| o.def).count(), 1);
        assert!(occs.len() > 10, "{}", occs.len());
        assert!(occs.iter().all(|o| o.span.text(&text) == "SoTTTT"));
    }

    #[test]
    fn changing_a_header_rechecks_dependents() {
        let mut db = Database::default();
        let file = SourceFile::new(&db, RULEBOOK.to_string());
        diagnostics(&db, file);
        db.take_log();
        // 3.1's max changes: the pillar total is now wrong, and the table changed for everyone.
        let edited = RULEBOOK.replacen("max 10", "max 15", 1);
        file.set_text(&mut db).to(edited);
        let after = diagnostics(&db, file);
        assert!(after.iter().any(|d| d.code == chiso::Code::E0401));
        assert_eq!(checks(&db.take_log()).len(), 4);
    }

    #[test]
    fn the_symbol_tables_reports_are_placed_without_reparsing_unless_two_headers_are_one() {
        let whole = |text: &str| chiso::check_with(&chiso::parse(text), chiso_stdlib::prelude()).diagnostics;
        let ind = |id: &str, title: &str| {
            format!("indicator {id} \"{title}\" {{\n  max 5\n  input a: count \"a\"\n  score = a * 0 pt\n}}\n")
        };
        // Two headers, one id: each anchor names one item, so no whole-file parse is needed.
        let distinct = format!("{}\n{}", ind("1.1", "Một"), ind("1.1", "Hai"));
        // The same header twice: the anchors cannot tell the items apart.
        let same = format!("{}\n{}", ind("1.1", "Một"), ind("1.1", "Một"));
        for (text, reparsed) in [(distinct, false), (same, true)] {
            let db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let got = diagnostics(&db, file);
            assert!(got.iter().any(|d| d.code == chiso::Code::E0203), "{}", show(&got));
            assert_eq!(show(&got), show(&whole(&text)), "{text}");
            assert_eq!(db.take_log().iter().any(|e| e == "parse_file"), reparsed, "{text}");
        }
    }

    fn repository_files() -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                if p.is_dir() && !name.starts_with('.') && name != "target" && name != "fuzz" {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "chiso") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut files = Vec::new();
        walk(root, &mut files);
        files.sort();
        files
    }

    fn show(v: &[Diagnostic]) -> String {
        v.iter().map(|d| format!("{} {:?} {}", d.code, d.span, d.message)).collect::<Vec<_>>().join("\n  ")
    }

    #[test]
    fn a_keystroke_in_a_clean_file_parses_one_chunk_and_not_the_file() {
        let mut db = Database::default();
        let file = SourceFile::new(&db, RULEBOOK.to_string());
        diagnostics(&db, file);
        db.take_log();
        file.set_text(&mut db).to(RULEBOOK.replacen("score = a / b * max", "score = a / b * max * 1", 1));
        diagnostics(&db, file);
        let log = db.take_log();
        assert!(chunked(&db, file));
        assert_eq!(log.iter().filter(|l| *l == "parse chunk").count(), 1, "{log:?}");
        assert!(!log.iter().any(|l| l == "parse_file"), "{log:?}");
    }

    #[test]
    fn typing_inside_one_indicator_of_a_pillar_keeps_the_symbol_table() {
        // An insertion moves the indicators after it inside their pillar; the table holds each
        // indicator's own tree, so it stays equal and the other indicators are not re-checked.
        let mut db = Database::default();
        let file = SourceFile::new(&db, RULEBOOK.to_string());
        diagnostics(&db, file);
        db.take_log();
        file.set_text(&mut db).to(RULEBOOK.replacen("score = a / b * max", "score = a / b * max * 1", 1));
        diagnostics(&db, file);
        assert_eq!(
            checks(&db.take_log()),
            vec![
                "check indicator 3.1 \"Điện thoại thông minh\"".to_string(),
                "check pillar III \"Hạ tầng số\" max 20".to_string()
            ]
        );
    }

    /// The chunks' top-level items are the whole-file parse's, at the same positions, whenever
    /// the file cuts cleanly.
    #[test]
    fn clean_chunks_give_the_whole_file_items_on_every_repository_file() {
        let mut clean = 0;
        for path in repository_files() {
            let text = std::fs::read_to_string(&path).unwrap();
            let db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let whole = chiso::parse(&text);
            assert_eq!(chunked(&db, file), whole.errors.is_empty(), "{}", path.display());
            if !chunked(&db, file) {
                continue;
            }
            clean += 1;
            let spans: Vec<Span> = top_items(&db, file).iter().map(|(at, i)| i.span().shifted(*at)).collect();
            let expected: Vec<Span> = whole.file.items.iter().map(Item::span).collect();
            assert_eq!(spans, expected, "{}", path.display());
        }
        assert!(clean > 50);
    }

    /// A small deterministic generator (xorshift), so a failure replays.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// A random edit of the kind typing makes: an insertion (of braces, quotes, comments, items,
    /// Vietnamese letters), a deletion, a line duplicated or removed.
    fn random_edit(rng: &mut Rng, text: &str) -> String {
        const SNIPPETS: &[&str] = &[
            "{",
            "}",
            "\"",
            "//",
            "\n",
            " ",
            "1",
            "0",
            "%",
            "+",
            "*",
            "ệ",
            "Ư",
            "đ",
            "x",
            "a",
            "max ",
            "score = ",
            "indicator 9.9 \"Chỉ số mới\" {\n  max 1\n  score = 1\n}\n",
            "\nindicator ",
            "\npillar ",
            "\nfn ",
            "\nagency A \"Ả\"\n",
            "\n}\n",
            "tỷ",
            "80%",
            ">= ",
            "let r = a / b\n",
            "input c: count\n",
        ];
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let at = boundaries[rng.below(boundaries.len())];
        let mut out = text.to_string();
        let titles: Vec<usize> = text.match_indices("\" {").map(|(i, _)| i).collect();
        let digits: Vec<usize> = text.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
        match rng.below(16) {
            // Edits that keep the syntax: the chunks stay clean, the meaning changes.
            10 | 11 if !titles.is_empty() => out.insert_str(titles[rng.below(titles.len())], "ữ ệ"),
            12 | 13 if !digits.is_empty() => {
                let i = digits[rng.below(digits.len())];
                out.replace_range(i..i + 1, &rng.below(10).to_string());
            }
            14 | 15 => {
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                out.insert_str(start, "// Ghi chú: chỉ số { chưa \"đóng\n");
            }
            0..=5 => out.insert_str(at, SNIPPETS[rng.below(SNIPPETS.len())]),
            6 | 7 => {
                let k = boundaries.iter().position(|&b| b == at).unwrap();
                let end = boundaries[(k + 1 + rng.below(8)).min(boundaries.len() - 1)];
                out.replace_range(at..end, "");
            }
            _ => {
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                let line = text[start..end].to_string();
                if rng.below(2) == 0 {
                    out.insert_str(start, &line);
                } else {
                    out.replace_range(start..end, "");
                }
            }
        }
        out
    }

    /// After random edits, one after the other in one database (so that memos are reused), the
    /// incremental diagnostics equal the whole-file check's, clean chunks or not.
    #[test]
    fn after_random_edits_incremental_diagnostics_equal_the_whole_file_check() {
        let prelude = chiso_stdlib::functions();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut edits, mut clean) = (0, 0);
        for path in repository_files() {
            let mut text = std::fs::read_to_string(&path).unwrap();
            let mut db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let rounds = if text.len() > 20_000 { 30 } else { 8 };
            for round in 0..rounds {
                // Mostly small edits of the current text; now and then back to the original, as
                // an undo would.
                text =
                    if round % 4 == 3 { std::fs::read_to_string(&path).unwrap() } else { random_edit(&mut rng, &text) };
                file.set_text(&mut db).to(text.clone());
                let incremental = diagnostics(&db, file);
                let whole = chiso::check_with(&chiso::parse(&text), &prelude).diagnostics;
                assert!(
                    incremental == whole,
                    "{} after edit {round}:\n{text}\n whole file:\n  {}\n incremental:\n  {}",
                    path.display(),
                    show(&whole),
                    show(&incremental)
                );
                edits += 1;
                clean += usize::from(chunked(&db, file));
            }
        }
        // Both paths were exercised.
        assert!(edits > 1000 && clean > edits / 4 && clean < edits, "{edits} edits, {clean} clean");
    }

    /// Typing must not grow the database: the items and chunks a keystroke replaces are
    /// reclaimed (salsa reuses their slots), so their number stays that of one version.
    #[test]
    fn memory_stays_flat_while_typing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let text = std::fs::read_to_string(root.join("examples/dti-2022/dti-2022.chiso")).unwrap();
        let at = text.rfind("ratio / 80% * max").unwrap();
        let mut db = Database::default();
        let file = SourceFile::new(&db, text.clone());
        diagnostics(&db, file);
        let count = |db: &Database, name: &str| {
            let info = <dyn salsa::Database>::memory_usage(db);
            info.structs.iter().find(|s| s.debug_name() == name).map_or(0, |s| s.count())
        };
        let (items, chunks) = (count(&db, "ItemSource"), count(&db, "Chunk"));
        for k in 0..300 {
            let mut edited = text.clone();
            edited.insert_str(at, &format!("{k} * 0 + "));
            file.set_text(&mut db).to(edited);
            diagnostics(&db, file);
            db.take_log();
        }
        assert!(count(&db, "ItemSource") < items + 50, "{items} → {}", count(&db, "ItemSource"));
        assert!(count(&db, "Chunk") < chunks + 20, "{chunks} → {}", count(&db, "Chunk"));
    }

    /// The invariant the editor relies on: item by item, the incremental layer finds exactly what
    /// the whole-file checker finds, on every rule file and plan of the repository.
    #[test]
    fn incremental_diagnostics_equal_the_whole_file_check_on_every_repository_file() {
        let files = repository_files();
        assert!(files.len() > 50);
        let mut problems = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let incremental = diagnostics(&db, file);
            let whole = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions()).diagnostics;
            if incremental != whole {
                problems.push(format!(
                    "{}:\n whole file:\n  {}\n incremental:\n  {}",
                    path.display(),
                    show(&whole),
                    show(&incremental)
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
