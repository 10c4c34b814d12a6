//! Runtime values and the reasons an evaluation can stop.

use std::fmt;

use crate::diag::Span;
use crate::num::Num;

/// A value at run time. Units were checked statically, so values carry none.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// An exact number.
    Num(Num),
    /// Yes or no.
    Bool(bool),
    /// Text.
    Text(String),
    /// A choice option.
    Choice(String),
}

impl Value {
    /// The number inside, if any.
    pub fn as_num(&self) -> Option<&Num> {
        if let Value::Num(n) = self {
            Some(n)
        } else {
            None
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{n}"),
            Value::Bool(true) => f.write_str("yes"),
            Value::Bool(false) => f.write_str("no"),
            Value::Text(t) => write!(f, "{t:?}"),
            Value::Choice(c) => f.write_str(c),
        }
    }
}

/// Why an indicator could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EvalError {
    /// An input was not reported and has no default.
    Missing {
        /// The input's name.
        input: String,
        /// Its description.
        description: Option<String>,
    },
    /// A division by zero.
    DivisionByZero {
        /// The division.
        span: Span,
        /// The division as written, with the values of its inputs.
        detail: String,
    },
    /// No `when` arm matched the value.
    NoArm {
        /// The `when` expression.
        span: Span,
        /// The value that matched nothing.
        value: String,
    },
    /// A cohort function whose argument could not be evaluated for any unit.
    EmptyCohort {
        /// The call.
        span: Span,
    },
    /// Data of the wrong kind reached an operation (a checker error was ignored).
    Type(String),
    /// Functions nested too deeply.
    TooDeep,
    /// More function calls than one indicator may make: a rule whose functions each call the
    /// next several times grows exponentially.
    TooManyCalls,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Missing { input, description: Some(d) } => write!(f, "input `{input}` ({d}) was not reported"),
            EvalError::Missing { input, description: None } => write!(f, "input `{input}` was not reported"),
            EvalError::DivisionByZero { detail, .. } => write!(f, "division by zero: {detail}"),
            EvalError::NoArm { value, .. } => write!(f, "no `when` arm matches the value {value}"),
            EvalError::EmptyCohort { .. } => f.write_str("no unit of the cohort has a value to compare with"),
            EvalError::Type(m) => write!(f, "type error: {m}"),
            EvalError::TooDeep => f.write_str("functions nested too deeply"),
            EvalError::TooManyCalls => write!(
                f,
                "the rule makes more than {} function calls; its functions call each other too many times",
                super::expr::MAX_CALLS
            ),
        }
    }
}
