//! The editor reports what `chiso check` reports, on every `.chiso` file of the repository:
//! rulebooks through the incremental database, plans with the rulebook they name. Checked
//! twice: on the engine's diagnostics (against the front door's check, what the CLI calls), and
//! on the published LSP diagnostics (codes and UTF-16 ranges).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use chiso_lsp::engine::{path_to_uri, Engine};
use common::{repo_root, Client};
use serde_json::json;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() && !name.starts_with('.') && name != "target" && name != "fuzz" && name != "node_modules" {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "chiso") {
            out.push(p);
        }
    }
}

fn files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(&repo_root(), &mut files);
    files.sort();
    assert!(files.len() > 50);
    files
}

/// Reads a plan's rulebook from disk, as the CLI does.
struct Disk;

impl chiso::Resolver for Disk {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }
}

/// What the CLI computes for a file: the front door's check, the plan with the rulebook it names.
fn cli_diagnostics(path: &Path, text: &str) -> Vec<chiso::Diagnostic> {
    let mut ws = chiso::Workspace::new(chiso_stdlib::functions());
    let id = ws.add_text(&path.to_string_lossy(), text);
    ws.check(id, None, &Disk).unwrap().checked.diagnostics
}

/// A diagnostic as a reader sees it: the two workspaces number their files differently, so a
/// span's anchor only says whether it is in the diagnostic's own file or another one.
fn as_seen(d: &chiso::Diagnostic) -> chiso::Diagnostic {
    let own = d.span.anchor;
    d.clone().map_spans(|s| s.with_anchor(chiso::diag::Anchor(u32::from(s.anchor != own))))
}

fn all_as_seen(ds: &[chiso::Diagnostic]) -> Vec<chiso::Diagnostic> {
    ds.iter().map(as_seen).collect()
}

#[test]
fn engine_diagnostics_equal_the_cli_on_every_repository_file() {
    let mut engine = Engine::new();
    let mut problems = Vec::new();
    let mut plans = 0;
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = path_to_uri(&path);
        engine.open(&uri, 1, text.clone());
        let got = engine.findings(&uri).unwrap();
        assert!(got.notes.is_empty(), "{}: {:?}", path.display(), got.notes);
        let want = cli_diagnostics(&path, &text);
        plans += usize::from(text.contains("rulebook \"") && text.contains("plan \""));
        if all_as_seen(&got.diagnostics) != all_as_seen(&want) {
            problems.push(format!("{}:\n  lsp {:?}\n  cli {:?}", path.display(), got.diagnostics, want));
        }
    }
    assert!(plans >= 1, "a plan with a rulebook is among the files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn published_diagnostics_have_the_cli_codes_at_utf16_ranges() {
    let mut c = Client::start(json!({})).await;
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let uri = path_to_uri(&path);
        let got = c.open(&uri, &text).await;
        let want = cli_diagnostics(&path, &text);
        let index = chiso::LineIndex::new(&text);
        let expected: Vec<(String, u64, u64)> = want
            .iter()
            .map(|d| {
                let lc = index.line_col(d.span.start);
                let line_start = text[..d.span.start as usize].rfind('\n').map_or(0, |i| i + 1);
                let col16 = text[line_start..d.span.start as usize].encode_utf16().count();
                (d.code.as_str().to_string(), u64::from(lc.line - 1), col16 as u64)
            })
            .collect();
        let actual: Vec<(String, u64, u64)> = got["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let s = &d["range"]["start"];
                (d["code"].as_str().unwrap().to_string(), s["line"].as_u64().unwrap(), s["character"].as_u64().unwrap())
            })
            .collect();
        assert_eq!(actual, expected, "{}", path.display());
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}})).await;
    }
}

#[tokio::test]
async fn an_open_plan_is_rechecked_against_the_unsaved_text_of_its_rulebook() {
    let dir = repo_root().join("examples/dti-2022");
    let plan_text = std::fs::read_to_string(dir.join("plan-2022.chiso")).unwrap();
    let rb_text = std::fs::read_to_string(dir.join("dti-2022.chiso")).unwrap();
    let plan_uri = path_to_uri(&dir.join("plan-2022.chiso"));
    let rb_uri = path_to_uri(&dir.join("dti-2022.chiso"));
    let mut c = Client::start(json!({})).await;
    let before = c.open(&plan_uri, &plan_text).await;
    assert!(!before["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "E0202"), "{before}");
    // Open the rulebook and rename an agency the plan uses (without saving).
    c.open(&rb_uri, &rb_text).await;
    // Opening the rulebook re-checks the plan too.
    let reopened = c.diagnostics(&plan_uri).await;
    assert_eq!(reopened["diagnostics"], before["diagnostics"]);
    let renamed = rb_text.replace("agency SoTTTT ", "agency SoTTTT_moi ");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rb_uri, "version": 2}, "contentChanges": [{"text": renamed}]}),
    )
    .await;
    c.diagnostics(&rb_uri).await;
    let after = c.diagnostics(&plan_uri).await;
    assert!(after["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "E0202"), "{after}");
}

#[tokio::test]
async fn a_plan_whose_rulebook_is_missing_says_so_at_the_rulebook_line() {
    let mut c = Client::start(json!({})).await;
    let text = "plan \"Kế hoạch\" {\n  period 2024\n  rulebook \"khong-co.chiso\"\n}\n";
    let d = c.open("file:///tmp/khong/plan.chiso", text).await;
    let diags = d["diagnostics"].as_array().unwrap();
    let note = diags.iter().find(|d| d["message"].as_str().unwrap().contains("khong-co.chiso")).unwrap();
    assert_eq!(note["range"]["start"]["line"], 2, "{d}");
}

#[tokio::test]
async fn an_untitled_plan_is_checked_alone_and_told_why() {
    let mut c = Client::start(json!({})).await;
    let text = "plan \"Kế hoạch\" {\n  period 2024\n  rulebook \"dti-2022.chiso\"\n}\n";
    let d = c.open("untitled:Untitled-1", text).await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert!(diags.iter().any(|d| d["message"].as_str().unwrap().contains("saved in a folder")), "{d}");
}

#[tokio::test]
async fn a_plan_whose_rulebook_on_disk_is_not_utf8_is_still_checked() {
    let dir = std::env::temp_dir().join(format!("chiso-lsp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // "Sở" in Windows-1258-ish bytes: not UTF-8.
    std::fs::write(dir.join("rb.chiso"), b"agency S \"S\xf5\"\nagency T \"T\"\n").unwrap();
    let plan = "plan \"Kế hoạch\" {\n  period 2024\n  rulebook \"rb.chiso\"\n}\n\ntask T1 \"Việc một\" {\n  owner S\n  due 31/12/2024\n}\n\ntask T2 \"Việc hai\" {\n  owner Z\n  due 31/12/2024\n}\n";
    let path = dir.join("plan.chiso");
    let mut c = Client::start(json!({})).await;
    let d = c.open(&path_to_uri(&path), plan).await;
    // The rulebook was read and merged: S is known, Z is not (a plan whose rulebook was not
    // merged reports no unknown agency at all).
    let unknown: Vec<u64> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E0202")
        .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(unknown, vec![11], "{d}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_rulebook_changed_on_disk_rechecks_the_open_plans() {
    let dir = std::env::temp_dir().join(format!("chiso-lsp-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rb.chiso"), "agency S \"Sở\"\n").unwrap();
    let plan = "plan \"Kế hoạch\" {\n  period 2024\n  rulebook \"rb.chiso\"\n}\n\ntask T1 \"Việc một\" {\n  owner S\n  due 31/12/2024\n}\n";
    let uri = path_to_uri(&dir.join("plan.chiso"));
    let mut c = Client::start(json!({})).await;
    let d = c.open(&uri, plan).await;
    assert!(d["diagnostics"].as_array().unwrap().iter().all(|d| d["code"] != "E0202"), "{d}");
    std::fs::write(dir.join("rb.chiso"), "agency S_moi \"Sở\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": path_to_uri(&dir.join("rb.chiso")), "type": 2}]}),
    )
    .await;
    let d = c.diagnostics(&uri).await;
    assert!(d["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "E0202"), "{d}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_plans_label_in_its_rulebook_points_at_the_rulebooks_uri() {
    // E0204 in the plan; "the rulebook declares it here" is related information in the rulebook
    // file, at the rulebook's own (0-based, UTF-16) position.
    let plan = repo_root().join("cli/tests/fixtures/plan-redeclares-agency.chiso");
    let uri = path_to_uri(&plan);
    let mut engine = Engine::new();
    engine.open(&uri, 1, std::fs::read_to_string(&plan).unwrap());
    let findings = engine.findings(&uri).unwrap();
    let d = findings.diagnostics.iter().find(|d| d.code.as_str() == "E0204").expect("E0204");
    let doc = engine.doc(&uri).unwrap();
    let lsp = chiso_lsp::server::to_lsp_diagnostic(doc, d, false, &findings.elsewhere);
    let related = lsp.related_information.expect("related information");
    assert_eq!(related.len(), 1, "{related:?}");
    let at = &related[0].location;
    assert!(at.uri.as_str().ends_with("examples/starter/starter.chiso"), "{}", at.uri.as_str());
    let rulebook = std::fs::read_to_string(repo_root().join("examples/starter/starter.chiso")).unwrap();
    let line = rulebook.lines().position(|l| l.starts_with("agency SoTTTT")).unwrap() as u32;
    assert_eq!((at.range.start.line, at.range.start.character), (line, 7));
    assert_eq!(related[0].message, "the rulebook declares it here");
}
