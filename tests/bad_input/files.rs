//! Whole files, their prefixes and cuts, and labels that must stay inside the file.

use super::*;

#[test]
fn repository_files_go_through_the_pipeline() {
    on_small_stack(|| {
        for (name, text) in sources() {
            pipeline(&name, &text);
        }
    });
}

#[test]
fn every_prefix_of_small_files_ends_in_diagnostics() {
    on_small_stack(|| {
        let mut checked = 0;
        for (name, text) in sources() {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            // Every character boundary of files up to 2 KiB, about 300 evenly spread cuts of bigger ones.
            let step = if text.len() <= 2048 { 1 } else { boundaries.len() / 300 + 1 };
            for cut in boundaries.iter().step_by(step) {
                pipeline(&format!("{name}[..{cut}]"), &text[..*cut]);
                checked += 1;
            }
        }
        assert!(checked > 10_000, "only {checked} prefixes");
    });
}

#[test]
fn a_cut_inside_an_item_is_an_error() {
    on_small_stack(|| {
        // Cutting right after an opening brace always leaves an unclosed block.
        for (name, text) in sources() {
            for (i, _) in text.match_indices('{').step_by(3) {
                let prefix = &text[..=i];
                if prefix.lines().last().is_some_and(|l| l.contains("//")) {
                    continue; // the brace is inside a comment
                }
                let o = pipeline(&format!("{name}[..={i}]"), prefix);
                assert!(o.has_errors, "{name}: the prefix ending at byte {i} (an open `{{`) has no error");
            }
        }
    });
}

/// Diagnostics found inside a prelude function are reported at the call, and carry no label into
/// the prelude's text (whose offsets would underline unrelated rulebook text).
#[test]
fn prelude_labels_stay_inside_the_rulebook() {
    for score in ["threshold_or_linear(a / 10, 20%, max)", "capped_linear(a, max)"] {
        let text = format!("agency S \"S\"\nindicator 1 \"I\" {{ max 20 owner S input a: count score = {score} }}");
        let checked = chiso::check_with(&chiso::parse(&text), &chiso_stdlib::functions());
        assert!(!checked.diagnostics.is_empty());
        for d in &checked.diagnostics {
            assert_spans(score, &text, d);
        }
    }
}
