//! Explanations: the steps that decided a score, recorded while evaluating.

use crate::diag::Span;
use crate::num::Num;

use crate::sema::value::Value;

/// One step of an explanation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// An input was read.
    Input {
        /// Its name.
        name: String,
        /// Its value.
        value: Value,
        /// Its description.
        description: Option<String>,
        /// Whether the value is the declared default (not reported).
        defaulted: bool,
    },
    /// A `let` was computed.
    Let {
        /// Its name.
        name: String,
        /// Its value.
        value: Value,
    },
    /// A branch was taken (`when`, `if`, `match`).
    Branch {
        /// The arm or branch taken.
        span: Span,
        /// What decided it, as data, for a shell to word in its reader's language and number
        /// style ([`Taken::text`] words it in English). Kept once per unit and branch, so no
        /// ready-made sentence is stored beside it.
        taken: Taken,
    },
    /// A labelled part of a sum.
    Part {
        /// Its label.
        label: String,
        /// Its value.
        value: Num,
    },
    /// A cohort comparison.
    Cohort {
        /// `minmax`, `relative_to_best` or `rank`.
        function: String,
        /// This unit's value.
        value: Num,
        /// The lowest value in the cohort.
        min: Num,
        /// The highest value in the cohort.
        max: Num,
        /// The units compared.
        units: usize,
        /// The result.
        result: Num,
    },
    /// The score was outside [0, max] and was clamped.
    Clamped {
        /// The score as computed.
        raw: Num,
        /// The score reported.
        clamped: Num,
    },
    /// A parent's score is the sum of its sub-indicators.
    SubSum {
        /// (id, score) of each sub-indicator.
        parts: Vec<(String, Num)>,
    },
}

impl Taken {
    /// What decided the branch, in English: `condition is yes`, `ratio = 0.85 matches `>= 80%``.
    pub fn text(&self) -> String {
        match self {
            Taken::Condition(held) => format!("condition is {}", if *held { "yes" } else { "no" }),
            Taken::Arm { subject, value, pattern } => format!("{subject} = {value} matches `{pattern}`"),
            Taken::Choice { subject, option } => format!("{subject} = {option}"),
        }
    }
}

/// What decided a branch.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Taken {
    /// An `if`: whether its condition held.
    Condition(bool),
    /// A `when`: the value compared and the pattern of the arm taken, as written (`>= 80%`,
    /// `in 1..5`, `else`).
    Arm {
        /// The expression compared, as written.
        subject: String,
        /// Its value.
        value: Num,
        /// The arm's pattern.
        pattern: String,
    },
    /// A `match`: the option matched.
    Choice {
        /// The expression matched, as written.
        subject: String,
        /// Its option.
        option: String,
    },
}
