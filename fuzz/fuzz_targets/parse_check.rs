//! Arbitrary text through the whole pipeline: parse, check (with the prelude), format, and, when
//! the file checks, evaluate it with no data, run its tests and report its plan as of a date.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let parse = chiso::parse(&text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    if parse.errors.is_empty() {
        if let Some(formatted) = chiso::syntax::print::format(&text, &parse) {
            let again = chiso::parse(&formatted);
            assert!(again.errors.is_empty(), "formatted text does not parse:\n{formatted}");
        }
    }
    if !checked.has_errors() {
        let _ = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &chiso::data::Dataset::default());
        let _ = chiso::testing::run_tests(&chiso::sema::Lowered::lower(&parse.file, &checked.env));
        if let Ok(as_of) = chiso::plan::Date::parse("2024-05-27") {
            let data = chiso::plan::data::PlanData::default();
            let _ = chiso::plan::status::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &data, as_of);
        }
    }
});
