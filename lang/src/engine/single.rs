//! One indicator compiled on its own, evaluated on values given by input position: what the
//! policy analysis's witness search runs thousands of times per indicator, without a map of
//! names per evaluation or a name looked up by text.

use crate::map::VecSet;

use super::code::{Compiled, Compiler, FnCode, FnTable, Sites};
use super::run::{Cohort, Data, Run};
use crate::eval::{EvalError, Value};
use crate::num::Num;
use crate::sema::Env;
use crate::syntax::ast;

/// An indicator compiled for evaluation on values by input position, outside any cohort (a
/// cohort function finds no aggregate and fails, as the tree-walker's does with no statistics).
pub(crate) struct Single {
    compiled: Compiled,
    fns: Vec<FnCode>,
    max: Num,
}

impl Single {
    /// `ind` compiled, or `None` when the engine leaves it to the tree-walker (a `let` cycle, a
    /// cohort function inside a user function: both refused by the checker).
    pub(crate) fn compile(env: &Env, ind: &ast::Indicator, max: &Num) -> Option<Single> {
        let mut fns = FnTable::default();
        let mut sites = Sites::default();
        let cohort_fns: VecSet<String> = super::code::functions_with_cohort_calls(env);
        let compiled = Compiler::new(env, ind, &mut fns, &mut sites, &cohort_fns).indicator().ok()?;
        Some(Single { compiled, fns: fns.code, max: max.clone() })
    }

    /// Whether every `assume` holds (is `true`) for `values`, the value of each input in
    /// declaration order (`None`: not reported).
    pub(crate) fn assumptions_hold(&self, values: &[Option<Value>]) -> bool {
        self.compiled.assumptions.iter().all(|(a, _)| {
            let mut run = self.run(values);
            matches!(run.eval(a), Ok(Value::Bool(true)))
        })
    }

    /// The score the rule computes for `values` (before clamping).
    pub(crate) fn score(&self, values: &[Option<Value>]) -> Result<Value, EvalError> {
        match &self.compiled.score {
            Some(score) => self.run(values).eval(score),
            None => Err(EvalError::Type("no score".into())),
        }
    }

    fn run<'s>(&'s self, values: &'s [Option<Value>]) -> Run<'s, 's, 's> {
        Run::new(&self.compiled, &self.fns, Data::Slots(values), &self.max, Cohort::Use(&[]))
    }
}
