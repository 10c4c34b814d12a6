//! Division guards: a division whose denominator can be zero on an admissible input, with no
//! guard around it (W0508).

use crate::map::VecSet;

use super::*;

impl<'a> Analyzer<'a> {
    /// W0508: divisions whose denominator can be zero, outside a guard.
    pub(super) fn check_divisions(&mut self, e: &Expr, guarded: &VecSet<String>) {
        match &e.kind {
            ExprKind::Binary(BinOp::Div, a, b) => {
                self.check_divisions(a, guarded);
                self.check_divisions(b, guarded);
                let k = key(b);
                if !guarded.contains(&k) && !self.nonzero(b) && self.range(b).contains_zero() {
                    self.push_diag(
                        Diagnostic::new(Code::W0508, e.span, Message::DenominatorZero { expr: k.clone() })
                            .with_label(b.span, Note::CanBeZero)
                            .with_help(Hint::GuardDivision { expr: k }),
                    );
                }
            }
            ExprKind::If(c, a, b) => {
                self.check_divisions(c, guarded);
                let (mut in_then, mut in_else) = (guarded.clone(), guarded.clone());
                if let ExprKind::Binary(BinOp::Cmp(op), l, r) = &c.unparen().kind {
                    let zero = |x: &Expr| const_value(x).is_some_and(|v| v.is_zero());
                    let subject = if zero(r) {
                        Some(key(l))
                    } else if zero(l) {
                        Some(key(r))
                    } else {
                        None
                    };
                    if let Some(s) = subject {
                        match op {
                            CmpOp::Eq => {
                                in_else.insert(s);
                            }
                            CmpOp::Ne | CmpOp::Gt => {
                                in_then.insert(s);
                            }
                            _ => {}
                        }
                    }
                }
                self.check_divisions(a, &in_then);
                self.check_divisions(b, &in_else);
            }
            ExprKind::Name(n) => {
                if let Some(Var::Let(body)) = self.lookup(n) {
                    // A let is checked where it is declared.
                    let _ = body;
                }
            }
            _ => e.for_each_child(|c| self.check_divisions(c, guarded)),
        }
    }

    pub(super) fn nonzero(&mut self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Number { value, .. } => !value.is_zero(),
            ExprKind::Paren(x) => self.nonzero(x),
            ExprKind::Name(n) => match self.lookup(n) {
                Some(Var::Input { nonzero, .. }) => nonzero,
                Some(Var::Let(x)) => self.nonzero(x),
                _ => false,
            },
            ExprKind::Binary(BinOp::Add, a, b) => {
                (self.nonzero(a) && self.range(b).is_non_negative())
                    || (self.nonzero(b) && self.range(a).is_non_negative())
            }
            ExprKind::Binary(BinOp::Mul, a, b) => self.nonzero(a) && self.nonzero(b),
            _ => !self.range(e).contains_zero(),
        }
    }
}
