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

/// `v` as a Vietnamese reader reads it in a sentence: `2,039024`, `20.659`, `có`.
fn vietnamese(v: &Value) -> String {
    match v {
        Value::Num(n) => crate::diag::message::vietnamese_number(n),
        Value::Bool(true) => "có".into(),
        Value::Bool(false) => "không".into(),
        other => other.to_string(),
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
        /// The divisor as written (`b - c`).
        divisor: String,
        /// The reported values of the inputs the divisor names, in its order.
        values: Vec<(String, Value)>,
    },
    /// No `when` arm matched the value.
    NoArm {
        /// The `when` expression.
        span: Span,
        /// The value that matched nothing.
        value: Value,
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
    /// A parent indicator whose sub-indicators (these ids) could not be evaluated.
    SubIndicators(Vec<String>),
}

impl EvalError {
    /// Why, in `lang` (the English is the `Display` text that JSON and CSV carry).
    pub fn render(&self, lang: crate::diag::Lang) -> String {
        if lang == crate::diag::Lang::En {
            return self.to_string();
        }
        match self {
            EvalError::Missing { input, description: Some(d) } => format!("chưa báo cáo đầu vào `{input}` ({d})"),
            EvalError::Missing { input, description: None } => format!("chưa báo cáo đầu vào `{input}`"),
            EvalError::DivisionByZero { divisor, values, .. } => {
                // `;` between the values: a Vietnamese decimal has a comma (`b = 2,5; c = 2,5`).
                let values: Vec<String> = values.iter().map(|(n, v)| format!("{n} = {}", vietnamese(v))).collect();
                if values.is_empty() {
                    format!("chia cho 0: `{divisor}` bằng 0")
                } else {
                    format!("chia cho 0: `{divisor}` bằng 0 ({})", values.join("; "))
                }
            }
            EvalError::NoArm { value, .. } => {
                format!("không nhánh `when` nào khớp với giá trị {}", vietnamese(value))
            }
            EvalError::EmptyCohort { .. } => "không đơn vị nào trong nhóm có giá trị để so sánh".to_string(),
            EvalError::Type(m) => format!("lỗi kiểu dữ liệu: {m}"),
            EvalError::TooDeep => "các hàm lồng nhau quá sâu".to_string(),
            EvalError::TooManyCalls => {
                format!("quy tắc gọi hàm quá {} lần; các hàm của nó gọi lẫn nhau quá nhiều", super::calls::MAX_CALLS)
            }
            EvalError::SubIndicators(ids) => format!("không tính được chỉ số thành phần {}", ids.join(", ")),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Missing { input, description: Some(d) } => write!(f, "input `{input}` ({d}) was not reported"),
            EvalError::Missing { input, description: None } => write!(f, "input `{input}` was not reported"),
            EvalError::DivisionByZero { divisor, values, .. } => {
                write!(f, "division by zero: `{divisor}` is 0")?;
                for (k, (n, v)) in values.iter().enumerate() {
                    write!(f, "{}{n} = {v}", if k == 0 { " (" } else { ", " })?;
                }
                if values.is_empty() {
                    Ok(())
                } else {
                    f.write_str(")")
                }
            }
            EvalError::NoArm { value, .. } => write!(f, "no `when` arm matches the value {value}"),
            EvalError::EmptyCohort { .. } => f.write_str("no unit of the cohort has a value to compare with"),
            EvalError::Type(m) => write!(f, "type error: {m}"),
            EvalError::TooDeep => f.write_str("functions nested too deeply"),
            EvalError::TooManyCalls => write!(
                f,
                "the rule makes more than {} function calls; its functions call each other too many times",
                super::calls::MAX_CALLS
            ),
            EvalError::SubIndicators(ids) => write!(f, "sub-indicator(s) {} not evaluable", ids.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;

    fn n(s: &str) -> Value {
        Value::Num(Num::parse_decimal(s).unwrap_or_default())
    }

    /// Every reason reads in Vietnamese, with its placeholders, and differs from the English.
    #[test]
    fn every_reason_renders_in_both_languages() {
        let span = Span::new(0, 1);
        let all = [
            EvalError::Missing { input: "b".into(), description: Some("Số hồ sơ".into()) },
            EvalError::Missing { input: "b".into(), description: None },
            EvalError::DivisionByZero {
                span,
                divisor: "b - c".into(),
                values: vec![("b".into(), n("2.5")), ("c".into(), n("2.5"))],
            },
            EvalError::DivisionByZero { span, divisor: "b".into(), values: Vec::new() },
            EvalError::NoArm { span, value: n("2.039024") },
            EvalError::NoArm { span, value: Value::Bool(true) },
            EvalError::NoArm { span, value: Value::Choice("partial".into()) },
            EvalError::EmptyCohort { span },
            EvalError::Type("x".into()),
            EvalError::TooDeep,
            EvalError::TooManyCalls,
            EvalError::SubIndicators(vec!["6.1.a".into(), "6.1.b".into()]),
        ];
        for e in all {
            let (en, vi) = (e.render(Lang::En), e.render(Lang::Vi));
            assert_eq!(en, e.to_string());
            assert!(!vi.is_empty() && vi != en, "{e:?}: {vi}");
            // A number in a Vietnamese sentence has a decimal comma: `2.039024` would read as
            // two million.
            assert!(!vi.contains("2.039024") && !vi.contains("2.5"), "{e:?}: {vi}");
            for english in ["input", "not", "reported", "division", "arm", "unit", "function", "error", "is", "yes"] {
                let outside_code = vi.split('`').step_by(2).collect::<String>();
                assert!(!outside_code.split(|c: char| !c.is_alphanumeric()).any(|w| w == english), "{e:?}: {vi}");
            }
        }
    }
}
