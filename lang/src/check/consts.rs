//! Constant folding of number expressions, for declared maxima and bounds (`max 1/2 * 10`).

use crate::num::Num;
use crate::syntax::ast::{BinOp, Expr, ExprKind, UnOp};

/// The value of an expression made only of number literals and `+ - * /`, or `None`.
pub fn const_value(e: &Expr) -> Option<Num> {
    match &e.kind {
        ExprKind::Number { value, .. } => Some(value.clone()),
        ExprKind::Paren(inner) => const_value(inner),
        ExprKind::Unary(UnOp::Neg, inner) => const_value(inner).map(|v| v.neg()),
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (const_value(a)?, const_value(b)?);
            match op {
                BinOp::Add => Some(a.add(&b)),
                BinOp::Sub => Some(a.sub(&b)),
                BinOp::Mul => Some(a.mul(&b)),
                BinOp::Div => a.div_exact(&b),
                _ => None,
            }
        }
        _ => None,
    }
}
