//! The types of values and their units (count, percent, money, points, choices, …), and how
//! units combine under `+`, `*` and `/`. Inference over expressions is in [`super::infer`].

use crate::diag::message::Unit;
use crate::syntax::ast::{self, TypeKind};

/// The type (and unit) of a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A whole number of things.
    Count,
    /// A plain number: a literal without unit adapts to the other operand.
    Number,
    /// A ratio (`80%`).
    Percent,
    /// Money, in tỷ đồng.
    Money,
    /// Points.
    Points,
    /// Yes or no.
    Bool,
    /// One of the options.
    Choice(Vec<String>),
    /// Text.
    Text,
    /// A date.
    Date,
    /// Unknown because of an earlier error; compatible with everything.
    Error,
}

impl Ty {
    /// The type of a declared input or field.
    pub fn of_type(t: &ast::TypeExpr) -> Ty {
        match &t.kind {
            TypeKind::Count => Ty::Count,
            TypeKind::Number => Ty::Number,
            TypeKind::Percent => Ty::Percent,
            TypeKind::Money => Ty::Money,
            TypeKind::Points => Ty::Points,
            TypeKind::YesNo => Ty::Bool,
            TypeKind::Text => Ty::Text,
            TypeKind::Date => Ty::Date,
            TypeKind::Choice(opts) => Ty::Choice(opts.iter().map(|o| o.text.clone()).collect()),
            TypeKind::Error => Ty::Error,
        }
    }

    /// How the unit is called in messages.
    pub fn describe(&self) -> String {
        match self {
            Ty::Count => "count".into(),
            Ty::Number => "number".into(),
            Ty::Percent => "percent".into(),
            Ty::Money => "money (tỷ đồng)".into(),
            Ty::Points => "points".into(),
            Ty::Bool => "yes/no".into(),
            Ty::Choice(o) => format!("choice {{ {} }}", o.join(", ")),
            Ty::Text => "text".into(),
            Ty::Date => "date".into(),
            Ty::Error => "unknown".into(),
        }
    }

    /// The unit as a message names it.
    pub fn unit(&self) -> Unit {
        match self {
            Ty::Count => Unit::Count,
            Ty::Number => Unit::Number,
            Ty::Percent => Unit::Percent,
            Ty::Money => Unit::Money,
            Ty::Points => Unit::Points,
            Ty::Bool => Unit::YesNo,
            Ty::Choice(o) => Unit::Choice(o.clone()),
            Ty::Text => Unit::Text,
            Ty::Date => Unit::Date,
            Ty::Error => Unit::Unknown,
        }
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Count | Ty::Number | Ty::Percent | Ty::Money | Ty::Points | Ty::Error)
    }
}

/// The unit of `a + b` (and of the branches of `if`/`when`): the same unit on both sides, where a
/// plain number adapts.
pub fn unify(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Error, x) | (x, Ty::Error) => Some(x.clone()),
        (Ty::Number, x) | (x, Ty::Number) if x.is_numeric() => Some(x.clone()),
        (Ty::Choice(x), Ty::Choice(y)) => {
            // An option name used alone has a one-option choice type.
            if y.iter().all(|o| x.contains(o)) {
                Some(a.clone())
            } else if x.iter().all(|o| y.contains(o)) {
                Some(b.clone())
            } else {
                None
            }
        }
        (x, y) if x == y => Some(x.clone()),
        _ => None,
    }
}

pub(crate) fn mul_unit(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
        (Ty::Number | Ty::Percent, x) | (x, Ty::Number | Ty::Percent) if x.is_numeric() => Some(x.clone()),
        (Ty::Count, x) | (x, Ty::Count) if x.is_numeric() => Some(x.clone()),
        _ => None,
    }
}

pub(crate) fn div_unit(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => Some(Ty::Error),
        (Ty::Number, Ty::Number) => Some(Ty::Number),
        (x, y) if x == y && x.is_numeric() => Some(Ty::Percent),
        (x, Ty::Number | Ty::Percent | Ty::Count) if x.is_numeric() => Some(x.clone()),
        _ => None,
    }
}
