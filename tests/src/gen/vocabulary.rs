//! The words and fragments the generators insert (token soup, mutations): every keyword the lexer
//! reserves, the words the planning grammar recognises in context, and fragments (names, numbers,
//! strings, comments, punctuation, calls) that exercise the lexer's edges. One list, so that a new
//! keyword reaches every generator; `tests/tidy.rs` checks that every word the parser matches is in it.

use std::sync::OnceLock;

/// Words the parser recognises only in planning items (not reserved by the lexer).
pub const PLANNING_WORDS: &[&str] = &[
    "plan",
    "target",
    "task",
    "schedule",
    "goal",
    "measure",
    "advances",
    "baseline",
    "level",
    "due",
    "before",
    "by",
    "each",
    "every",
    "last",
    "day",
    "month",
    "monthly",
    "quarterly",
    "yearly",
    "ongoing",
    "recipient",
    "description",
    "title",
    "group",
    "unit",
    "units",
    "value",
    "of",
    "pt",
    "rulebook",
];

/// Fragments that are not keywords.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    ",",
    ":",
    "=",
    "=>",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "..",
    ";",
    "a",
    "b",
    "ratio",
    "tỷ_lệ",
    "SoTTTT",
    "x",
    "điểm",
    "tỷ",
    "0",
    "1",
    "80",
    "0.5",
    "3.1",
    "5.12.1",
    "100%",
    "\"s\"",
    "\"Sở \\\" x\"",
    "\"unterminated",
    "//c\n",
    "\n",
    " ",
    "minmax",
    "relative_to_best",
    "rank",
    "part",
    "round",
    "abs",
    "capped_linear",
    "\u{feff}",
    "@",
    "#",
    "9999999999999999999999999999999999999999999",
    "0.000000000000000000000000000000000000000001",
    "vi",
    "S",
    "III",
    "10",
    "80%",
    "2 tỷ",
    "1 pt",
    "\"Sở\"",
    "\"chưa đóng",
    "// ghi chú\n",
    "$",
    "×",
    "minmax(",
    "rank(",
    "relative_to_best(",
    "part(\"p\", ",
    "capped_linear(",
    "round(",
];

/// Every keyword, planning word and fragment, once.
pub fn vocabulary() -> &'static [&'static str] {
    static ALL: OnceLock<Vec<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static str> = Vec::new();
        for w in chiso::syntax::lexer::KEYWORDS.iter().chain(PLANNING_WORDS).chain(FRAGMENTS) {
            if !all.contains(w) {
                all.push(w);
            }
        }
        all
    })
}
