//! Arbitrary plan data (target values, task statuses and dates), as CSV and JSON, against a plan
//! with every goal and deadline form: loading never panics, and data without errors is reported
//! on several dates.
#![no_main]

use chiso::data::Format;
use chiso::Locale;
use libfuzzer_sys::fuzz_target;

const PLAN: &str = concat!(
    include_str!("../../tests/corpus/plan/targets.chiso"),
    "\ntask T1 \"Một\" { owner SoTTTT due Q1/2024 }\ntask T2 \"Hai\" { owner SoTTTT due yearly before 12-20 }\n",
    "task T3 \"Ba\" { owner SoTTTT due ongoing }\ntask T4 \"Bốn\" { owner SoTTTT due 2024-02-29 }\n",
);

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let parse = chiso::parse(PLAN);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    for format in [Format::Csv, Format::Json] {
        for locale in [Some(Locale::En), Some(Locale::Vi), None] {
            let (data, diags) = chiso::plan::data::load(&text, format, &checked.env, locale);
            for d in &diags {
                assert!(d.span.end as usize <= text.len(), "span outside the data: {d:?}");
            }
            if !diags.iter().any(chiso::Diagnostic::is_error) {
                for day in ["2024-01-01", "2024-02-29", "2024-12-31", "2025-06-01"] {
                    if let Ok(as_of) = chiso::plan::Date::parse(day) {
                        let _ = chiso::plan::status::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &data, as_of);
                    }
                }
            }
        }
    }
});
