//! Arbitrary scoring data, as CSV and as JSON, in both locales, against the starter rulebook:
//! loading never panics, and data without errors evaluates.
#![no_main]

use chiso::data::{self, Format};
use chiso::Locale;
use libfuzzer_sys::fuzz_target;

const RULEBOOK: &str = include_str!("../../examples/starter/starter.chiso");

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let parse = chiso::parse(RULEBOOK);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    for format in [Format::Csv, Format::Json] {
        for locale in [Some(Locale::En), Some(Locale::Vi), None] {
            let (dataset, diags) = data::load(&text, format, &checked.env, locale);
            for d in &diags {
                assert!(d.span.end as usize <= text.len(), "span outside the data: {d:?}");
            }
            if !diags.iter().any(chiso::Diagnostic::is_error) {
                let _ = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &dataset);
            }
        }
    }
});
