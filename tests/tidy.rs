//! Tidy checks over the repository's own files: conventions that code review would otherwise have
//! to remember. Each check reads files from disk and fails with the list of offenders.
//!
//! - every Rust file opens with a `//!` module doc;
//! - every `allow` of a panic lint outside test code is justified by a `// PANIC SAFETY:` comment;
//! - no test is skipped (`#[ignore]`) or expects a panic (`#[should_panic]`);
//! - no test is commented out, and every known bug (tests/KNOWN-BUGS.md) has its `known_bug_…` test;
//! - no snapshot update was left behind (`*.new`);
//! - the shells do not use the modules `lang` keeps public only for property tests;
//! - every diagnostic code is documented in `spec/diagnostics.md` and shown by a corpus case,
//!   except the codes listed in [`PENDING`] and [`NOT_IN_CORPUS`], each with its reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chiso::Code;
use chiso_tests::root;

/// Codes that are in the code table but not implemented yet, so no corpus case can show them.
/// Remove a code from here as soon as a case shows it (the test below insists).
const PENDING: &[(&str, &str)] = &[];

/// Codes that a corpus case cannot show by design.
const NOT_IN_CORPUS: &[(&str, &str)] = &[(
    "E0804",
    "a failing `test` block fails its corpus case; `chiso test` is checked to report E0804 in \
     cli/tests/cli.rs and spec/diagnostics.md has an executed example",
)];

/// Folders never scanned: build output and version control.
fn skipped_dir(name: &str) -> bool {
    name == "target" || name == "node_modules" || name.starts_with('.')
}

/// Every file under `dir` (recursively) whose name satisfies `keep`, sorted.
fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if p.is_dir() {
                if !skipped_dir(&name) {
                    stack.push(p);
                }
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rust_files() -> Vec<PathBuf> {
    files(&root(), &|p| p.extension().is_some_and(|x| x == "rs"))
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let offenders: Vec<String> =
        rust_files().into_iter().filter(|p| !read(p).starts_with("//!")).map(|p| rel(&p)).collect();
    assert!(
        offenders.is_empty(),
        "these files do not start with a `//!` module doc (what the file is for, its input and \
         output, its invariants):\n  {}",
        offenders.join("\n  ")
    );
}

/// Whether a file is test code as a whole: the tests crate, integration tests, benches, fuzzing.
fn is_test_file(p: &Path) -> bool {
    let r = rel(p);
    r.starts_with("tests/")
        || r.split('/').any(|part| part == "tests" || part == "benches" || part == "fuzz")
        || r.ends_with("/tests.rs")
}

#[test]
fn panic_lint_allows_are_justified() {
    let lints = ["clippy::unwrap_used", "clippy::expect_used", "clippy::panic", "clippy::indexing_slicing"];
    let mut offenders = Vec::new();
    for p in rust_files() {
        if is_test_file(&p) {
            continue;
        }
        let text = read(&p);
        let lines: Vec<&str> = text.lines().collect();
        // Everything after `#[cfg(test)]` is a test module (they sit at the end of a file).
        let test_start = lines.iter().position(|l| l.trim() == "#[cfg(test)]").unwrap_or(lines.len());
        for (i, line) in lines.iter().enumerate().take(test_start) {
            let code = line.split("//").next().unwrap_or("");
            if !(code.contains("allow(") && lints.iter().any(|l| code.contains(l))) {
                continue;
            }
            let above = &lines[i.saturating_sub(2)..i];
            if !above.iter().any(|l| l.trim_start().starts_with("// PANIC SAFETY:")) {
                offenders.push(format!("{}:{}: {}", rel(&p), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "an `allow` of a panic lint needs a `// PANIC SAFETY:` comment on one of the two lines above \
         it, saying why the code cannot panic:\n  {}",
        offenders.join("\n  ")
    );
}

#[test]
fn no_skipped_or_panic_expecting_tests() {
    // Built from parts so that this file does not match itself.
    let needles = [concat!("#[", "ignore"), concat!("#[", "should_panic")];
    let mut offenders = Vec::new();
    for p in rust_files() {
        for (i, line) in read(&p).lines().enumerate() {
            if needles.iter().any(|n| line.trim_start().starts_with(n)) {
                offenders.push(format!("{}:{}: {}", rel(&p), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "tests must run and must not panic (return a Result or assert on a diagnostic instead):\n  {}",
        offenders.join("\n  ")
    );
}

#[test]
fn no_commented_out_tests() {
    let mut offenders = Vec::new();
    for p in rust_files() {
        for (i, line) in read(&p).lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") && t.trim_start_matches('/').trim_start().starts_with(concat!("#[", "test]")) {
                offenders.push(format!("{}:{}: {}", rel(&p), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "a test is commented out; a known bug is a `known_bug_<n>_…` test listed in tests/KNOWN-BUGS.md \
         instead:\n  {}",
        offenders.join("\n  ")
    );
}

/// Every `## BUG n` of tests/KNOWN-BUGS.md has a `fn known_bug_<n>_…` test, and every such test an entry.
#[test]
fn known_bugs_are_listed_and_tested() {
    let md = read(&root().join("tests/KNOWN-BUGS.md"));
    let listed: Vec<String> = md
        .lines()
        .filter_map(|l| l.strip_prefix("## BUG "))
        .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
        .collect();
    let mut tested = Vec::new();
    for p in rust_files() {
        for line in read(&p).lines() {
            if let Some(rest) = line.trim_start().strip_prefix(concat!("fn known_", "bug_")) {
                tested.push(rest.split('_').next().unwrap_or("").to_string());
            }
        }
    }
    let untested: Vec<&String> = listed.iter().filter(|b| !tested.contains(b)).collect();
    let unlisted: Vec<&String> = tested.iter().filter(|b| !listed.contains(b)).collect();
    assert!(untested.is_empty(), "tests/KNOWN-BUGS.md lists BUG {untested:?} without a `known_bug_<n>_…` test");
    assert!(unlisted.is_empty(), "known-bug tests {unlisted:?} have no `## BUG n` entry in tests/KNOWN-BUGS.md");
}

#[test]
fn no_stray_snapshot_updates() {
    // The name a failing snapshot test writes its output to, so that this check cannot drift from it.
    let pending = chiso_tests::snapshot::pending_path(Path::new("case.out"));
    let suffix = pending.to_str().unwrap().strip_prefix("case.out").unwrap().to_string();
    assert_eq!(suffix, ".new");
    let stray = files(&root(), &|p| p.file_name().and_then(|n| n.to_str()).unwrap_or("").ends_with(&suffix));
    let stray: Vec<String> = stray.iter().map(|p| rel(p)).collect();
    assert!(stray.is_empty(), "review and remove these snapshot updates:\n  {}", stray.join("\n  "));
}

#[test]
fn every_code_is_documented_in_the_spec() {
    let path = root().join("spec/diagnostics.md");
    let md = read(&path);
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !md.lines().any(|l| l.strip_prefix("## ").is_some_and(|h| h.split_whitespace().next() == Some(c))))
        .collect();
    assert!(missing.is_empty(), "spec/diagnostics.md has no `## CODE — title` heading for: {}", missing.join(", "));
}

/// The codes a corpus case shows: announced with `//~` in a `.chiso` file, or printed as
/// `severity[CODE]` in a `.out` snapshot.
fn codes_in_corpus() -> Vec<String> {
    let corpus = root().join("tests/corpus");
    let mut found = Vec::new();
    for p in files(&corpus, &|p| p.extension().is_some_and(|x| x == "chiso" || x == "out")) {
        let text = read(&p);
        for c in Code::ALL {
            let code = c.as_str();
            let shown = if p.extension().is_some_and(|x| x == "out") {
                text.contains(&format!("[{code}]"))
            } else {
                text.lines()
                    .any(|l| l.split("//~").skip(1).any(|a| a.trim_start_matches('^').trim_start().starts_with(code)))
            };
            if shown && !found.iter().any(|f| f == code) {
                found.push(code.to_string());
            }
        }
    }
    found
}

#[test]
fn every_code_has_a_corpus_case() {
    let found = codes_in_corpus();
    let excused = |code: &str| PENDING.iter().chain(NOT_IN_CORPUS).any(|(c, _)| *c == code);
    let missing: Vec<&str> =
        Code::ALL.iter().map(|c| c.as_str()).filter(|c| !found.iter().any(|f| f == c) && !excused(c)).collect();
    assert!(
        missing.is_empty(),
        "no case in tests/corpus shows these codes (announce them with `//~ CODE`, or show data \
         diagnostics in a `.out` snapshot): {}",
        missing.join(", ")
    );
}

#[test]
fn exemptions_are_real_codes_and_still_needed() {
    let found = codes_in_corpus();
    for (code, reason) in PENDING.iter().chain(NOT_IN_CORPUS) {
        assert!(Code::ALL.iter().any(|c| c.as_str() == *code), "{code} is exempted ({reason}) but is not a code");
        assert!(!reason.is_empty(), "{code} is exempted without a reason");
    }
    let covered: Vec<&str> = PENDING.iter().map(|(c, _)| *c).filter(|c| found.iter().any(|f| f == c)).collect();
    assert!(
        covered.is_empty(),
        "a corpus case now shows {}: remove it from PENDING in tests/tidy.rs",
        covered.join(", ")
    );
}

/// The generators (token soup, mutations) insert every word the grammar knows: a keyword added to
/// the parser without reaching `gen::vocabulary` would never be fuzzed.
#[test]
fn every_word_the_parser_matches_is_in_the_generators_vocabulary() {
    let parser = read(&root().join("lang/src/syntax/parser.rs"));
    let vocabulary = chiso_tests::gen::vocabulary();
    let mut missing = Vec::new();
    for quoted in parser.split('"').skip(1).step_by(2) {
        let is_word = quoted.len() > 1 && quoted.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if is_word && !vocabulary.contains(&quoted) && !missing.contains(&quoted) {
            missing.push(quoted);
        }
    }
    assert!(missing.is_empty(), "add to tests/src/gen/vocabulary.rs: {missing:?}");
}

/// The shells (`cli`, `lsp`, `db`, `wasm`, `stdlib`) go through the engine's public layers; the
/// modules `lang` keeps public only for property tests (doc-hidden) are not theirs to use.
#[test]
fn shells_do_not_use_the_modules_kept_for_tests() {
    const FOR_TESTS: &[&str] = &["chiso::policy", "chiso::roster", "chiso::engine"];
    let mut offenders = Vec::new();
    for shell in ["cli/src", "lsp/src", "db/src", "wasm/src", "stdlib/src"] {
        for f in files(&root().join(shell), &|p| p.extension().is_some_and(|x| x == "rs")) {
            let text = read(&f);
            for m in FOR_TESTS {
                if text.contains(m) {
                    offenders.push(format!("{} uses {m}", rel(&f)));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
