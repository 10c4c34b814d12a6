//! Policy checks: properties of a scoring rule proved from the declared input domains.
//! (Filled in by the verification work; see spec/diagnostics.md W05xx.)

use super::env::Env;
use crate::diag::Diagnostic;
use crate::syntax::ast;

/// Policy diagnostics for one well-typed indicator.
pub fn check_indicator_policy(_env: &Env, _ind: &ast::Indicator) -> Vec<Diagnostic> {
    Vec::new()
}
