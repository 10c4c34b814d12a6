//! The TypeScript declarations of the browser package are generated from the Rust types of every
//! request and response (ts-rs), never kept by hand: this test writes them, one declaration per
//! type in name order, and fails with a diff when `wasm/chiso-types.d.ts` is not what the types
//! say (review with `scripts/snapshots.sh review`, take with `accept`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use chiso::workspace::{Request, Response};
use ts_rs::TS;

#[test]
fn typescript_declarations_are_current() {
    let dir = std::env::temp_dir().join(format!("chiso-ts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // Counts are `usize` in Rust and plain JSON numbers on the wire.
    let config = ts_rs::Config::new().with_out_dir(&dir).with_large_int("number");
    Request::export_all(&config).unwrap();
    Response::export_all(&config).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut out = String::from(
        "// The JSON shapes of Chiso's requests and responses (spec/output.md), generated from the Rust\n\
         // types by wasm/tests/types.rs. Do not edit: change the types and accept the snapshot.\n",
    );
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        out.push('\n');
        for line in text.lines() {
            if line.starts_with("import ") || line.starts_with("// This file was generated") || line.is_empty() {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(files.len() > 20, "only {} types exported", files.len());
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("chiso-types.d.ts");
    if let Err(diff) = chiso_tests::snapshot::compare(&committed, &out) {
        panic!("{diff}");
    }
}
