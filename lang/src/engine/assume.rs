//! The `assume` check of loaded data (W0823) through the float filter: [`assume_diagnostics`].
//!
//! `eval::assume::diagnostics` evaluates every assumption of every unit with the tree-walker,
//! a map of the unit's values built per indicator: a tenth of loading 10,000 DTI units. Here each
//! indicator's assumptions are first run a batch of units at a time by its register program
//! (`batch.rs`); a unit whose every assumption the intervals show to hold cannot contradict one,
//! and only the others (an assumption false, or not decided: a missing input, a value at its
//! bound) are checked by the tree-walker, which writes the diagnostic. So the diagnostics are
//! the tree-walker's, in its order, whatever the filter decides.

use super::batch::{Input, Regs, LANES};
use super::Program;
use crate::data::Columns;
use crate::diag::Diagnostic;
use crate::eval;
use crate::sema::Lowered;

/// W0823 for every unit and indicator whose data contradicts an `assume`: exactly what
/// [`eval::assume::diagnostics`] gives for the same data.
pub fn assume_diagnostics(rulebook: &Lowered<'_>, data: &Columns, text: &str) -> Vec<Diagnostic> {
    super::compile(rulebook).assume_diagnostics(rulebook, data, text)
}

impl Program<'_> {
    /// [`assume_diagnostics`] with this program, compiled from `rulebook`.
    pub fn assume_diagnostics(&self, rulebook: &Lowered<'_>, data: &Columns, text: &str) -> Vec<Diagnostic> {
        let prog = self;
        let units = prog.bind(data);
        let n = data.len();
        let mut regs = Regs::default();
        // Per indicator of the rulebook: which units may contradict an assumption (`None`: all).
        let suspects: Vec<Option<Vec<bool>>> = prog
            .compiled
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let c = c.as_ref().ok()?;
                if c.assumptions.is_empty() {
                    return Some(Vec::new());
                }
                let plan = prog.plans().score.get(k)?.as_ref()?;
                let slots = units.slots(k);
                let mut suspect = Vec::with_capacity(n);
                let mut start = 0;
                while start < n {
                    let len = (n - start).min(LANES);
                    plan.run(&Input { columns: data, slots, start, len, sites: &[] }, &mut regs);
                    suspect.extend((0..len).map(|l| {
                        plan.assumptions.iter().any(|r| match regs.get(*r, l) {
                            (_, true) => true,
                            (v, false) => v.0 == 0.0,
                        })
                    }));
                    start += len;
                }
                Some(suspect)
            })
            .collect();
        eval::assume::diagnostics_among(rulebook, data, text, &|u, k| {
            suspects.get(k).is_none_or(|s| s.as_ref().is_none_or(|s| s.get(u).copied().unwrap_or(true)))
        })
    }
}
