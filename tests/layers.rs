//! The layer rules of `lang`, checked on its source: which module may import which.
//!
//! `lang`'s top-level modules form a stack ([`LAYERS`], bottom first); a module may use only the
//! modules below it, so "the checker never imports the interpreter", "the symbol table never
//! imports the checker" and "the data readers never import the interpreter" hold by construction,
//! and ARCHITECTURE.md's pipeline is literally this list. Inside the crate, no file may reach
//! itself through its imports (no import cycle, at the level of files).
//!
//! Imports are read from the text: `use` trees (braces expanded) and paths written inline
//! (`crate::…`, `super::…`, `self::…`), outside comments and the `#[cfg(test)]` module at the end
//! of a file. A re-export in a `mod.rs` (`pub use env::Env`) is followed to the file that defines
//! the name, so `crate::sema::Env` counts as a use of `sema/env.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `lang`'s top-level modules, bottom first. Each may use only those before it.
const LAYERS: &[(&str, &str)] = &[
    ("sort", "one stable sort"),
    ("map", "ordered maps and sets over sorted vectors"),
    ("hash", "a fast hasher for lookup tables"),
    ("nfc", "Unicode NFC of data texts"),
    ("case", "lower case for matching data against words"),
    ("num", "exact numbers"),
    ("diag", "diagnostics, spans and the typed messages in two languages"),
    ("syntax", "text to tree and back (lexer, parser, tree, printer)"),
    ("time", "civil dates, periods and deadlines"),
    ("sema", "the symbol table, types, constants, call graph, value domains, values"),
    ("check", "the checker: names, units, totals, plans"),
    ("data", "scoring and plan data readers"),
    ("roster", "the units file and the data's units"),
    ("eval", "the interpreter"),
    ("engine", "the compiled evaluator: the lowered rulebook compiled once, run over data columns"),
    ("policy", "proofs about each rule, running the interpreter for witnesses"),
    ("pipeline", "check then policy, for a file or one item"),
    ("plan", "plans evaluated as of a date"),
    ("testing", "`test` blocks"),
    ("wire", "the JSON forms of the results"),
    ("workspace", "the front door: files, requests and their answers"),
];

fn lang_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lang/src")
}

/// A module path such as `["sema", "env"]`, for a file under `lang/src`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(lang_src()).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text of a file that counts for its imports: no comments, no test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string (a URL) is rare in `lang`; an import after a comment never is.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a `use` tree names, braces expanded: `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand(tree: &str) -> Vec<String> {
    // `x as y` names `x`; `@` marks the rename once the spaces are gone.
    let tree: String = tree.replace(" as ", "@").chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    expand_into("", &tree, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let mut depth = 0;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in tree.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&tree[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tree[start..]);
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        match part.find('{') {
            Some(i) if part.ends_with('}') => {
                expand_into(&format!("{prefix}{}", &part[..i]), &part[i + 1..part.len() - 1], out)
            }
            _ => out.push(format!("{prefix}{part}")),
        }
    }
}

/// Every path of a file's code that starts at `crate`, `super` or `self`, as segments.
fn paths_of(code: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let mut used = Vec::new();
    let mut reexported = Vec::new();
    let mut rest = code;
    // `use` statements first (their trees have braces), then the paths written inline.
    let mut inline = String::new();
    while let Some(i) = rest.find("use ") {
        let at_word = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        inline.push_str(&rest[..i]);
        let Some(end) = rest[i..].find(';') else { break };
        if at_word {
            let is_pub = rest[..i].trim_end().ends_with("pub") || rest[..i].trim_end().ends_with(')');
            for p in expand(&rest[i + 4..i + end]) {
                let p = p.split('@').next().unwrap_or("");
                let mut segs: Vec<String> = p.split("::").map(str::to_string).collect();
                if segs.len() > 1 && segs.last().is_some_and(|s| s == "self") {
                    segs.pop();
                }
                if is_pub {
                    reexported.push(segs.clone());
                }
                used.push(segs);
            }
        } else {
            inline.push_str(&rest[i..i + end]);
        }
        rest = &rest[i + end + 1..];
    }
    inline.push_str(rest);
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = inline[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && inline[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String =
                inline[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            used.push(path.trim_end_matches(':').split("::").map(str::to_string).collect());
        }
    }
    (used, reexported)
}

/// A path made absolute (from the crate root) as seen from module `me`; empty for another crate's.
fn absolute(me: &[String], path: &[String], modules: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut base: Vec<String> = me.to_vec();
    let mut segs = path;
    match segs.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            segs = &segs[1..];
        }
        Some("self") => segs = &segs[1..],
        Some("super") => {
            while segs.first().is_some_and(|s| s == "super") {
                base.pop();
                segs = &segs[1..];
            }
        }
        // `use env::Env` inside `sema`: a child module, named relative to this one.
        Some(first) if modules.contains(&[me, &[first.to_string()]].concat()) => {}
        _ => return Vec::new(),
    }
    base.extend(segs.iter().cloned());
    base
}

struct Crate {
    /// Module paths that have a file.
    modules: BTreeSet<Vec<String>>,
    /// `(module, name)` re-exported by a `pub use` → the absolute path it names.
    aliases: BTreeMap<(Vec<String>, String), Vec<String>>,
}

impl Crate {
    /// The file a path leads to: the deepest module with a file, following re-exports.
    fn file_of(&self, path: &[String], hops: usize) -> Vec<String> {
        let mut module: Vec<String> = Vec::new();
        for (i, seg) in path.iter().enumerate() {
            let mut next = module.clone();
            next.push(seg.clone());
            if self.modules.contains(&next) {
                module = next;
                continue;
            }
            if let (Some(target), true) = (self.aliases.get(&(module.clone(), seg.clone())), hops < 8) {
                let mut follow = target.clone();
                follow.extend(path[i + 1..].iter().cloned());
                return self.file_of(&follow, hops + 1);
            }
            break;
        }
        module
    }
}

/// Every file's module and the files it uses.
fn import_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut files = Vec::new();
    rust_files(&lang_src(), &mut files);
    let mut krate = Crate { modules: BTreeSet::new(), aliases: BTreeMap::new() };
    let mut sources = Vec::new();
    for f in &files {
        let me = module_of(f);
        krate.modules.insert(me.clone());
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        sources.push((me, code_of(&text)));
    }
    for (me, code) in &sources {
        for segs in paths_of(code).1 {
            let abs = absolute(me, &segs, &krate.modules);
            if let Some(name) = abs.last() {
                if !abs.is_empty() && !krate.modules.contains(&abs) {
                    krate.aliases.insert((me.clone(), name.clone()), abs);
                }
            }
        }
    }
    let mut graph = BTreeMap::new();
    for (me, code) in &sources {
        let mut uses = BTreeSet::new();
        for segs in paths_of(code).0 {
            let abs = absolute(me, &segs, &krate.modules);
            if abs.is_empty() {
                continue;
            }
            let file = krate.file_of(&abs, 0);
            // A module declaring or re-exporting its own children is not a dependency on them.
            if !file.is_empty() && file != *me && !file.starts_with(me) {
                uses.insert(file);
            }
        }
        graph.insert(me.clone(), uses);
    }
    graph
}

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let graph = import_graph();
    let rank = |m: &[String]| m.first().and_then(|top| LAYERS.iter().position(|(name, _)| name == top));
    let mut offenders = Vec::new();
    for (me, uses) in &graph {
        let Some(mine) = rank(me) else {
            if !me.is_empty() {
                offenders.push(format!("{}: a top-level module missing from LAYERS", show(me)));
            }
            continue;
        };
        for used in uses {
            match rank(used) {
                Some(theirs) if theirs < mine || used.first() == me.first() => {}
                _ => offenders.push(format!("{} uses {} (not below it in LAYERS)", show(me), show(used))),
            }
        }
    }
    assert!(offenders.is_empty(), "layer rules broken:\n{}", offenders.join("\n"));
}

#[test]
fn no_file_reaches_itself_through_its_imports() {
    let graph = import_graph();
    // Depth-first search; a back edge is a cycle.
    fn visit<'a>(
        m: &'a Vec<String>,
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<&'a Vec<String>, u8>,
        stack: &mut Vec<&'a Vec<String>>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(m, 1);
        stack.push(m);
        for next in graph.get(m).into_iter().flatten() {
            match state.get(next) {
                Some(1) => {
                    let from = stack.iter().position(|s| *s == next).unwrap_or(0);
                    let names: Vec<String> = stack[from..].iter().map(|s| show(s)).collect();
                    cycles.push(format!("{} → {}", names.join(" → "), show(next)));
                }
                Some(_) => {}
                None => visit(next, graph, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(m, 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for m in graph.keys() {
        if !state.contains_key(m) {
            visit(m, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles in lang:\n{}", cycles.join("\n"));
}

#[test]
fn the_layer_list_names_every_top_level_module_and_architecture_md_lists_them_in_order() {
    let graph = import_graph();
    let tops: BTreeSet<&str> = graph.keys().filter_map(|m| m.first().map(String::as_str)).collect();
    let listed: BTreeSet<&str> = LAYERS.iter().map(|(n, _)| *n).collect();
    assert_eq!(tops, listed, "LAYERS and lang/src disagree");
    let arch = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md"))
        .unwrap_or_else(|e| panic!("cannot read ARCHITECTURE.md: {e}"));
    let mut at = 0;
    for (name, _) in LAYERS {
        let needle = format!("`{name}`");
        match arch[at..].find(&needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("ARCHITECTURE.md does not list `{name}` after the layers before it"),
        }
    }
}

/// The checks above would pass on an empty graph; make sure they read real imports.
#[test]
fn the_import_reader_sees_known_imports() {
    let graph = import_graph();
    let s = |p: &str| p.split("::").map(str::to_string).collect::<Vec<_>>();
    let uses = |from: &str, to: &str| graph.get(&s(from)).is_some_and(|u| u.contains(&s(to)));
    assert!(uses("eval::expr", "sema::env"), "eval::expr should be seen using sema::env (via crate::sema::Env)");
    assert!(uses("policy::search", "eval::expr"), "policy::search should be seen using eval::expr");
    assert!(uses("sema::build", "sema::target"), "an inline super:: path should count");
    assert!(!uses("sema", "sema::env"), "a module's own children are not its dependencies");
}
