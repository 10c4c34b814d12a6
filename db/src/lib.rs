//! The incremental layer: salsa memoizes `chiso`'s per-item functions over file inputs, so an
//! editor that re-checks on every keystroke re-parses the file (cheap) but re-checks only the
//! items whose text changed, plus the items whose inputs (the symbol table) changed.
//!
//! How: each item (top-level declaration, and every indicator including nested ones) is interned
//! by its own text, parsed alone (so its spans are relative to its start and do not move when an
//! earlier item grows), and checked by a tracked function. The symbol table is built from those
//! item trees; an edit inside one indicator's score leaves it equal, so salsa backdates it and
//! nothing else re-runs. Diagnostics are shifted to file positions outside the memoized
//! functions.
//!
//! `lang` stays free of salsa; this crate is the only place that knows it.

#![forbid(unsafe_code)]

use std::sync::{Arc, Mutex};

use chiso::diag::{self, Diagnostic, Span};
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
}

/// The database.
#[salsa::db]
#[derive(Default, Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    log: Arc<Mutex<Vec<String>>>,
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
}

impl Database {
    /// Takes the record of executions since the last call.
    pub fn take_log(&self) -> Vec<String> {
        self.log.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }
}

/// Parses the whole file (to find the items and the syntax errors).
// `no_eq`: comparing a whole tree with the previous one costs more than parsing it, and any edit
// changes some span, so the comparison would never find them equal.
#[salsa::tracked(returns(ref), no_eq)]
pub fn parse_file(db: &dyn Db, file: SourceFile) -> Parse {
    db.record("parse_file".into());
    chiso::parse(file.text(db))
}

/// An item of a file and where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, salsa::Update)]
pub struct ItemEntry<'db> {
    /// The item.
    pub item: ItemSource<'db>,
    /// Its first byte in the file.
    pub offset: u32,
}

/// The items of a file: top-level declarations and every indicator (nested ones included).
#[salsa::tracked(returns(ref))]
pub fn file_items<'db>(db: &'db dyn Db, file: SourceFile) -> Vec<ItemEntry<'db>> {
    let text = file.text(db);
    let parse = parse_file(db, file);
    let mut out = Vec::new();
    let mut push = |span: Span, is_indicator: bool| {
        let t = span.text(text).to_string();
        out.push(ItemEntry { item: ItemSource::new(db, file, t, is_indicator), offset: span.start });
    };
    fn indicators(ind: &ast::Indicator, push: &mut dyn FnMut(Span, bool)) {
        push(ind.span, true);
        for p in &ind.props {
            if let IndicatorProp::Sub(sub) = p {
                indicators(sub, push);
            }
        }
    }
    for item in &parse.file.items {
        match item {
            Item::Indicator(ind) => indicators(ind, &mut push),
            Item::Pillar(p) => {
                push(p.span, false);
                for ind in &p.indicators {
                    indicators(ind, &mut push);
                }
            }
            Item::Error(_) => {}
            other => push(other.span(), false),
        }
    }
    out
}

/// One item parsed on its own; spans are relative to the item's start.
#[salsa::tracked(returns(ref))]
pub fn item_tree<'db>(db: &'db dyn Db, item: ItemSource<'db>) -> Option<Item> {
    db.record(format!("item_tree {}", headline(item.text(db))));
    chiso::parse(item.text(db)).file.items.into_iter().next()
}

/// The symbol table, built from the item trees. Equal after an edit that changes no header, so
/// salsa backdates it and the checks of other items are reused.
#[salsa::tracked(returns(ref))]
pub fn env(db: &dyn Db, file: SourceFile) -> Env {
    db.record("env".into());
    let items: Vec<&Item> = file_items(db, file)
        .iter()
        .filter(|e| !e.item.is_indicator(db) || is_top_level(db, file, e))
        .filter_map(|e| item_tree(db, e.item).as_ref())
        .collect();
    let (mut env, _) = Env::build_from(&items);
    env.add_prelude(chiso_stdlib::prelude());
    env
}

/// Whether an indicator entry is a top-level item (not inside a pillar or another indicator).
fn is_top_level(db: &dyn Db, file: SourceFile, entry: &ItemEntry<'_>) -> bool {
    parse_file(db, file).file.items.iter().any(|i| matches!(i, Item::Indicator(ind) if ind.span.start == entry.offset))
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

/// Every diagnostic of a file, at file positions: syntax errors, duplicate declarations and each
/// item's own diagnostics.
pub fn diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let parse = parse_file(db, file);
    let mut out = parse.errors.clone();
    // Duplicates need absolute positions of two items; building the headers is cheap.
    let (_, dups) = Env::build(&parse.file);
    out.extend(dups);
    for entry in file_items(db, file) {
        out.extend(item_diagnostics(db, entry.item).iter().cloned().map(|d| d.shifted(entry.offset)));
    }
    diag::sort(&mut out);
    out.dedup();
    out
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

    /// The invariant the editor relies on: item by item, the incremental layer finds exactly what
    /// the whole-file checker finds, on every rule file and plan of the repository.
    #[test]
    fn incremental_diagnostics_equal_the_whole_file_check_on_every_repository_file() {
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
        assert!(files.len() > 50);
        let mut problems = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let db = Database::default();
            let file = SourceFile::new(&db, text.clone());
            let incremental = diagnostics(&db, file);
            let whole = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions()).diagnostics;
            if incremental != whole {
                let show = |v: &[Diagnostic]| {
                    v.iter().map(|d| format!("{} {:?} {}", d.code, d.span, d.message)).collect::<Vec<_>>().join("\n  ")
                };
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
