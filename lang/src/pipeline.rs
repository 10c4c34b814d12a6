//! The pipeline that sequences the layers for one file: the symbol table (`sema`), the checker
//! (`check`), then the policy analysis (`policy`, which runs the interpreter to find witnesses).
//!
//! This is the only place that knows the order; the front door ([`crate::Workspace`]) and the
//! incremental layer (`chiso-db`, through [`check_indicator`] and [`check_item`]) both go through
//! it, so the editor and the CLI report the same diagnostics.

use crate::check as checker;
use crate::diag::{self, Diagnostic};
use crate::policy;
use crate::sema::{for_each_indicator, Env};
use crate::syntax::ast;
use crate::syntax::Parse;

pub use crate::check::check_item;

/// A checked file: its symbol table and every diagnostic (syntax errors included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The symbol table.
    pub env: Env,
    /// Diagnostics sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a parsed file on its own (no prelude).
pub fn check(parse: &Parse) -> Checked {
    check_with(parse, &[])
}

/// Checks a parsed file with `prelude` functions in scope (a rulebook's own `fn` of the same name
/// takes precedence).
pub fn check_with(parse: &Parse, prelude: &[ast::FnDecl]) -> Checked {
    let (env, diagnostics) = checker::build_env(&parse.file, prelude);
    check_env(parse, env, diagnostics)
}

/// Checks a plan file that uses the agencies and indicators of `rulebook` (checked on its own
/// before): the plan's own declarations come first.
pub fn check_with_rulebook(parse: &Parse, prelude: &[ast::FnDecl], rulebook: &Env) -> Checked {
    let (env, diagnostics) = checker::build_env_with_rulebook(&parse.file, prelude, rulebook);
    check_env(parse, env, diagnostics)
}

/// Checks one indicator (not its sub-indicators, which are checked on their own), then proves
/// what can be proved about its rule.
pub fn check_indicator(env: &Env, ind: &ast::Indicator) -> Vec<Diagnostic> {
    let mut diags = checker::check_indicator(env, ind);
    if checker::provable(env, ind, &diags) {
        diags.extend(policy::check_indicator_policy(env, ind));
    }
    diags
}

fn check_env(parse: &Parse, env: Env, mut diagnostics: Vec<Diagnostic>) -> Checked {
    diagnostics.extend(parse.errors.iter().cloned());
    for item in &parse.file.items {
        diagnostics.extend(check_item(&env, item));
    }
    for_each_indicator(&parse.file, &mut |ind| diagnostics.extend(check_indicator(&env, ind)));
    diag::sort(&mut diagnostics);
    diagnostics.dedup_by(|a, b| a.reads_as(b));
    Checked { env, diagnostics }
}
