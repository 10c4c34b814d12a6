//! Snapshot comparison shared by the corpus runner and the CLI output snapshots.
//!
//! A snapshot is a committed text file (`NAME.out`). When what a test produces differs from it,
//! the test fails with a line diff and writes what it produced beside it as `NAME.out.new`;
//! nothing committed is ever overwritten by a test run. `scripts/snapshots.sh review` shows every
//! pending `.new` file as a diff, `accept` moves them over their snapshots, `reject` deletes them.
//! The tidy test fails while any `.new` file is left in the tree, so an unreviewed update cannot be
//! committed by accident.

use std::path::{Path, PathBuf};

/// Where the pending update of `snapshot` is written: `NAME.out` → `NAME.out.new`.
pub fn pending_path(snapshot: &Path) -> PathBuf {
    let mut name = snapshot.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// Compares `actual` with the snapshot file at `path`.
///
/// Equal (a missing snapshot equals empty output): removes a stale `.new` file left by an earlier run and returns `Ok`. Different (or no
/// snapshot yet): writes `actual` to the `.new` file and returns the diff as the error.
pub fn compare(path: &Path, actual: &str) -> Result<(), String> {
    let pending = pending_path(path);
    let expected = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read snapshot {}: {e}", path.display())),
    };
    // A case with nothing to show needs no snapshot file.
    if expected.as_deref().unwrap_or("") == actual {
        if pending.exists() {
            std::fs::remove_file(&pending).map_err(|e| format!("cannot remove {}: {e}", pending.display()))?;
        }
        return Ok(());
    }
    std::fs::write(&pending, actual).map_err(|e| format!("cannot write {}: {e}", pending.display()))?;
    let what = if expected.is_some() { "differs from" } else { "is new; there is no" };
    Err(format!(
        "the output {what} snapshot {}; review with `scripts/snapshots.sh review`, then `accept` or `reject`\n{}",
        path.display(),
        diff(expected.as_deref().unwrap_or(""), actual)
    ))
}

/// A unified line diff, `-` for the snapshot and `+` for the new output.
pub fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("snapshot", "actual")
        .to_string()
}
