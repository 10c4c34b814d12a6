//! Random bytes, token soup and mutated files.

use super::*;

#[test]
fn random_bytes_end_in_diagnostics() {
    on_small_stack(|| {
        let mut rng = Rng(0x5eed_c415_0001);
        for case in 0..1500 {
            let len = rng.below(400);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let o = pipeline(&format!("random bytes #{case}"), &text);
            if text.chars().any(|c| !c.is_whitespace()) && !text.trim_start().starts_with("//") {
                assert!(o.has_errors, "random bytes #{case} gave no error: {text:?}");
            }
        }
    });
}

#[test]
fn token_soup_ends_in_diagnostics() {
    on_small_stack(|| {
        let mut rng = Rng(0x5eed_c415_0002);
        for case in 0..3000 {
            let n = rng.below(80);
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(vocabulary()[rng.below(vocabulary().len())]);
                text.push(' ');
            }
            pipeline(&format!("token soup #{case}"), &text);
        }
    });
}

#[test]
fn mutated_files_end_in_diagnostics() {
    on_small_stack(|| {
        let sources = sources();
        let mut rng = Rng(0x5eed_c415_0003);
        for case in 0..1500 {
            let (name, text) = &sources[rng.below(sources.len())];
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(chars.len() + 1);
                match rng.below(4) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 => {
                        let pick: Vec<char> = vocabulary()[rng.below(vocabulary().len())].chars().collect();
                        chars.splice(at..at, pick);
                    }
                    2 if at < chars.len() => chars[at] = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'),
                    _ => {
                        // Duplicate a slice: repeated items, properties and arms.
                        let len = rng.below(200).min(chars.len() - at.min(chars.len()));
                        let slice: Vec<char> = chars[at..at + len].to_vec();
                        chars.splice(at..at, slice);
                    }
                }
            }
            let mutated: String = chars.into_iter().collect();
            pipeline(&format!("mutation #{case} of {name}"), &mutated);
        }
    });
}
