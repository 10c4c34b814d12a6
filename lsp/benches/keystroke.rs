//! Keystroke-to-diagnostics figures (printed, not asserted): after a one-character edit inside
//! an indicator's score, how long until the engine has the file's diagnostics again, through
//! the incremental database versus a whole-file check; on the DTI 2022 rulebook and on a
//! generated 1,000-indicator rulebook; one-character replacements (nothing moves) and, on the
//! large file, a space inserted and deleted (everything after it moves). Run:
//! `cargo bench -p chiso-lsp --bench keystroke`.
//!
//! Figures (ms, p50 / p95, release; 2 Dec 2026, this 2-core machine shared with other builds,
//! load average about 6; the old and new code measured back to back, whole-file checks then took
//! ~36 ms where the idle machine takes ~22 ms, so absolute values read high):
//!
//! | keystroke | before chunks (per-item, whole-file parse) | chunks (issue 12) | whole-file check |
//! |---|---:|---:|---:|
//! | DTI 2022 (69 KB), `80%`→`81%` | 1.82 / 6.16 | 1.57 / 5.84 | 23.7 / 37.1 |
//! | 1,000 indicators (301 KB), `80%`→`81%` | 23.29 / 34.50 | 2.45 / 6.73 | 35.1 / 44.0 |
//! | 1,000 indicators, insert/delete a space | 28.31 / 37.19 | 1.41 / 5.36 | 36.0 / 41.9 |
//!
//! Stop 19, after the policy search ran on the compiled evaluator and the symbol table's reports
//! (DTI's W0210) were placed by their anchors instead of a whole-file parse per keystroke:
//! DTI `80%`→`81%` 0.59 / 0.67 (whole-file check 6.00 / 6.37); 1,000 indicators 2.02 / 2.46
//! (whole-file 23.4 / 28.4); a space inserted and deleted 1.31 / 1.67.
//!
//! Resident memory after 10,000 distinct DTI edits: 44 → 44 MB before, 39 → 39 MB now. The last
//! measurement on an idle machine before chunks: DTI 1.54 / 1.80, 1,000 indicators 12.48 / 18.79.
//! DTI stays near 1.5 ms: it has a W0210 (two source ids collide), and reports of the symbol
//! table take the whole-file tree for their positions (parse + table, ~0.5 ms).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use chiso_lsp::engine::Engine;

fn generated(n: usize) -> String {
    let mut s = String::from("agency S \"Sở Thông tin và Truyền thông\"\n\n");
    let per = 10;
    for p in 0..n / per {
        s.push_str(&format!("pillar P{p} \"Trụ cột số {p}\" max {} {{\n", per * 10));
        for i in 0..per {
            s.push_str(&format!(
                "  indicator {p}.{i} \"Tỷ lệ hồ sơ trực tuyến {p}.{i}\" {{\n    max 10\n    owner S\n    input a: count \"Số hồ sơ\"\n    input b: count \"Tổng số\" positive neutral\n    assume a <= b\n    let ratio = a / b\n    score = when ratio {{\n      >= 80% => max,\n      else => ratio / 80% * max,\n    }}\n  }}\n"
            ));
        }
        s.push_str("}\n\n");
    }
    s
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// How the one-character edit is made.
#[derive(Clone, Copy, PartialEq)]
enum Edit {
    /// `80%` and `81%` in turn: nothing moves.
    Replace,
    /// A space inserted before the band and removed again: the text after it moves.
    Insert,
}

fn run(name: &str, text: &str, anchor: &str, edits: usize, how: Edit) {
    let mut engine = Engine::new();
    let uri = "file:///bench.chiso";
    let t = Instant::now();
    engine.open(uri, 1, text.to_string());
    let first = engine.findings(uri).unwrap().diagnostics.len();
    let cold = t.elapsed();
    let at = text.rfind(anchor).unwrap() + anchor.len();
    let mut inc = Vec::new();
    let mut full = Vec::new();
    let mut parse_only = Vec::new();
    let mut headers = Vec::new();
    for k in 0..edits {
        let mut edited = text.to_string();
        match how {
            // Alternate `80%` and `81%` in the last indicator's band: one character.
            Edit::Replace => edited.replace_range(at..at + 1, if k % 2 == 0 { "1" } else { "0" }),
            Edit::Insert if k % 2 == 0 => edited.insert(at - anchor.len(), ' '),
            Edit::Insert => {}
        }
        let t = Instant::now();
        engine.update(uri, k as i32 + 2, edited.clone());
        let n = engine.findings(uri).unwrap().diagnostics.len();
        inc.push(t.elapsed());
        let t = Instant::now();
        let parse = chiso::parse(&edited);
        parse_only.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(chiso::sema::Env::build(&parse.file));
        headers.push(t.elapsed());
        let t = Instant::now();
        let whole = chiso::check_with(&chiso::parse(&edited), &chiso_stdlib::functions());
        full.push(t.elapsed());
        assert_eq!(n, whole.diagnostics.len());
    }
    let edit = if how == Edit::Replace { "a one-character edit" } else { "inserting or deleting a space" };
    println!(
        "{name}: {} bytes, {first} diagnostics, first check {:.1} ms; after {edit}: incremental p50 {:.2} ms p95 {:.2} ms; whole-file check p50 {:.2} ms p95 {:.2} ms; parsing alone p50 {:.2} ms, the symbol table alone p50 {:.2} ms",
        text.len(),
        cold.as_secs_f64() * 1e3,
        pct(&mut inc, 0.5).as_secs_f64() * 1e3,
        pct(&mut inc, 0.95).as_secs_f64() * 1e3,
        pct(&mut full, 0.5).as_secs_f64() * 1e3,
        pct(&mut full, 0.95).as_secs_f64() * 1e3,
        pct(&mut parse_only, 0.5).as_secs_f64() * 1e3,
        pct(&mut headers, 0.5).as_secs_f64() * 1e3,
    );
}

/// The resident memory of this process, in MB (Linux).
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Memory held after `edits` distinct one-indicator edits (each text new, as typing makes it).
fn memory(name: &str, text: &str, anchor: &str, edits: usize) {
    let mut engine = Engine::new();
    let uri = "file:///bench.chiso";
    engine.open(uri, 1, text.to_string());
    engine.findings(uri);
    let before = rss_mb();
    let at = text.rfind(anchor).unwrap();
    for k in 0..edits {
        let mut edited = text.to_string();
        edited.insert_str(at, &format!("{k} * 0 + "));
        engine.update(uri, k as i32 + 2, edited);
        engine.findings(uri);
    }
    println!("{name}: resident memory {before:.0} MB after opening, {:.0} MB after {edits} distinct edits", rss_mb());
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dti = std::fs::read_to_string(root.join("examples/dti-2022/dti-2022.chiso")).unwrap();
    run("DTI 2022", &dti, ">= 8", 100, Edit::Replace);
    run("generated 1,000 indicators", &generated(1000), ">= 8", 50, Edit::Replace);
    run("generated 1,000 indicators", &generated(1000), ">= 8", 50, Edit::Insert);
    memory("DTI 2022", &dti, "ratio / 80% * max", 10_000);
}
