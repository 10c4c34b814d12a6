//! Constant folding of number expressions, for declared maxima and bounds (`max 1/2 * 10`).

use crate::num::Num;
use crate::syntax::ast::{BinOp, Expr, ExprKind, UnOp};

/// The value of an expression made only of number literals and `+ - * /`, or `None`.
pub fn const_value(e: &Expr) -> Option<Num> {
    fold(e, &|_| None)
}

/// Like [`const_value`], with `leaf` giving the value of other leaves (e.g. `total` in the
/// rulebook's index).
pub fn fold(e: &Expr, leaf: &dyn Fn(&Expr) -> Option<Num>) -> Option<Num> {
    match &e.kind {
        ExprKind::Number { value, .. } => Some(value.clone()),
        ExprKind::Paren(inner) => fold(inner, leaf),
        ExprKind::Unary(UnOp::Neg, inner) => fold(inner, leaf).map(|v| v.neg()),
        ExprKind::Call { callee, args } if callee.text == "round" => {
            let x = fold(args.first()?, leaf)?;
            let digits = fold(args.get(1)?, leaf)?.to_i64().and_then(|d| u32::try_from(d).ok())?;
            Some(x.round_to(digits.min(12)))
        }
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (fold(a, leaf)?, fold(b, leaf)?);
            match op {
                BinOp::Add => Some(a.add(&b)),
                BinOp::Sub => Some(a.sub(&b)),
                BinOp::Mul => Some(a.mul(&b)),
                BinOp::Div => a.div_exact(&b),
                _ => None,
            }
        }
        _ => leaf(e),
    }
}
