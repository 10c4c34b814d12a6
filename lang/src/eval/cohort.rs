//! The cohort phase: aggregates of each cohort call's argument across the units, and the
//! cohort-relative functions computed from them.

use crate::map::VecMap;

use crate::diag::Span;
use crate::num::Num;

/// Identifies one cohort call in one indicator.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CohortKey {
    /// The indicator.
    pub indicator: String,
    /// The call's span.
    pub call: Span,
}

/// Aggregates over the units where the argument was evaluable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregate {
    /// Lowest value.
    pub min: Num,
    /// Highest value.
    pub max: Num,
    /// All values, sorted descending (for `rank`).
    pub sorted: Vec<Num>,
}

/// Aggregates by call.
pub type CohortStats = VecMap<CohortKey, Aggregate>;

impl Aggregate {
    /// Builds the aggregate of a non-empty list of values.
    pub fn of(mut values: Vec<Num>) -> Option<Aggregate> {
        Num::sort_descending(&mut values);
        let max = values.first()?.clone();
        let min = values.last()?.clone();
        Some(Aggregate { min, max, sorted: values })
    }

    /// `minmax(x)`, `relative_to_best(x)` or `rank(x)` for one unit's value.
    ///
    /// Ties (every unit has the same value) give 1 when that value is above zero and 0 otherwise:
    /// nobody is behind the best, and nobody achieved anything, respectively. The same rule gives
    /// `relative_to_best` its value when the best is 0.
    pub fn apply(&self, function: &str, x: &Num) -> Num {
        match function {
            "minmax" => {
                let range = self.max.sub(&self.min);
                match x.sub(&self.min).div_exact(&range) {
                    Some(v) => v,
                    None => tie_value(&self.max),
                }
            }
            "relative_to_best" => match x.div_exact(&self.max) {
                Some(v) => v,
                None => tie_value(&self.max),
            },
            _ => {
                // 1 + the number of units strictly better.
                let better = self.sorted.partition_point(|v| v > x);
                Num::from_i64(better as i64 + 1)
            }
        }
    }
}

fn tie_value(common: &Num) -> Num {
    if common > &Num::zero() {
        Num::one()
    } else {
        Num::zero()
    }
}
