//! Runs the `test` blocks of a rulebook: `given` values are a small dataset, `expect` compares
//! results. A number is compared at the precision it is written with: `expect 3.1 = 6.03` holds
//! for a score of 6.0285… (rounded half away from zero to 2 places), and `expect 3.1 = 6.029`
//! needs three places to match.

use crate::map::VecMap;

use crate::data::{Dataset, UnitData};
use crate::diag::message::TestGot;
use crate::diag::{Code, Diagnostic, Message};
use crate::eval::{evaluate, literal_value, Status, UnitResult, Value};
use crate::num::Num;
use crate::sema::Lowered;
use crate::syntax::ast::{self, ExpectTarget, Expected, ExprKind, Item, TestStmt};

/// The unit used when a test statement names none.
pub const DEFAULT_UNIT: &str = "test";

/// The outcome of one test block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestOutcome {
    /// The test's title.
    pub title: String,
    /// Number of `expect` statements checked.
    pub expectations: usize,
    /// Failed expectations, as diagnostics (code E0804) on the `expect`.
    pub failures: Vec<Diagnostic>,
    /// One per failure, in the same order: the value it was about with its unit's results, so
    /// that a shell can explain it (`None` for a unit without `given`).
    pub explanations: Vec<Option<FailedValue>>,
}

/// A value an expectation was about, with its unit's results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedValue {
    /// What was expected of: an indicator, a pillar, the total or the index.
    pub subject: Subject,
    /// The unit's results, with the explanation of each indicator.
    pub unit: UnitResult,
}

/// What a value is of.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An indicator's score, by id.
    Indicator(String),
    /// A pillar's score, by id.
    Pillar(String),
    /// The unit's total.
    Total,
    /// The unit's index.
    Index,
}

impl TestOutcome {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every test block of a checked rulebook.
pub fn run_tests(rulebook: &Lowered<'_>) -> Vec<TestOutcome> {
    rulebook
        .file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Test(t) => Some(run_test(rulebook, t)),
            _ => None,
        })
        .collect()
}

fn run_test(rulebook: &Lowered<'_>, test: &ast::TestDecl) -> TestOutcome {
    let mut data = Dataset::default();
    let mut units: VecMap<String, UnitData> = VecMap::new();
    let mut order = Vec::new();
    for stmt in &test.stmts {
        if let TestStmt::Given { unit, target, values, .. } = stmt {
            let u = unit.as_ref().map_or(DEFAULT_UNIT.to_string(), |s| s.value.clone());
            if !units.contains_key(&u) {
                order.push(u.clone());
            }
            let entry = units.entry(u.clone()).or_insert_with(|| UnitData { id: u, values: VecMap::new() });
            let slot = entry.values.entry(target.text.clone()).or_default();
            for (n, v) in values {
                if let Some(value) = literal_value(v) {
                    slot.insert(n.text.clone(), value);
                }
            }
        }
    }
    for u in order {
        if let Some(d) = units.remove(&u) {
            data.units.push(d);
        }
    }
    let results = evaluate(rulebook, &data);
    let mut outcome = TestOutcome {
        title: test.title.value.clone(),
        expectations: 0,
        failures: Vec::new(),
        explanations: Vec::new(),
    };
    for stmt in &test.stmts {
        let TestStmt::Expect { unit, target, expected, span } = stmt else { continue };
        outcome.expectations += 1;
        let u = unit.as_ref().map_or(DEFAULT_UNIT, |s| s.value.as_str());
        let Some(result) = results.units.iter().find(|r| r.id == u) else {
            outcome.failures.push(Diagnostic::new(Code::E0804, *span, Message::NoGivenForUnit { unit: u.to_string() }));
            outcome.explanations.push(None);
            continue;
        };
        let (actual, status, reason): (Option<Num>, Option<Status>, Option<String>) = match target {
            ExpectTarget::Indicator(id) => match result.indicators.iter().find(|r| r.id == id.text) {
                Some(r) => (r.score.clone(), Some(r.status.clone()), r.reason.clone()),
                None => continue, // reported by the checker (E0205)
            },
            ExpectTarget::Pillar(id) => match result.pillars.iter().find(|p| p.id == id.text) {
                Some(p) => (Some(p.score.clone()), None, None),
                None => continue,
            },
            ExpectTarget::Total(_) => (Some(result.total.clone()), None, None),
            ExpectTarget::Index(_) => (result.index.clone(), None, None),
        };
        let failure = match expected {
            Expected::NotEvaluable(_) => (status != Some(Status::NotEvaluable))
                .then(|| Message::TestExpectedStatus { want: "not_evaluable".into(), got: show(&actual, &status) }),
            Expected::NotScored(_) => (status != Some(Status::NotScored))
                .then(|| Message::TestExpectedStatus { want: "not_scored".into(), got: show(&actual, &status) }),
            Expected::Value(e) => {
                let want = literal_value(e);
                let digits = decimals(e);
                match (want, &actual) {
                    (Some(Value::Num(want)), Some(got)) if got.round_to(digits) == want => None,
                    (Some(Value::Num(want)), Some(got)) => Some(Message::TestExpectedValue {
                        want: want.to_string(),
                        got: TestGot::Value(got.to_decimal_string(digits.max(6))),
                    }),
                    (_, None) => Some(Message::TestExpectedValue {
                        want: crate::syntax::expr_to_string(e),
                        got: reason.map_or_else(|| show(&actual, &status), TestGot::Reason),
                    }),
                    _ => Some(Message::TestExpectedNumber),
                }
            }
        };
        if let Some(message) = failure {
            outcome.failures.push(Diagnostic::new(Code::E0804, *span, message));
            let subject = match target {
                ExpectTarget::Indicator(id) => Subject::Indicator(id.text.clone()),
                ExpectTarget::Pillar(id) => Subject::Pillar(id.text.clone()),
                ExpectTarget::Total(_) => Subject::Total,
                ExpectTarget::Index(_) => Subject::Index,
            };
            outcome.explanations.push(Some(FailedValue { subject, unit: result.clone() }));
        }
    }
    outcome
}

fn show(actual: &Option<Num>, status: &Option<Status>) -> TestGot {
    match (actual, status) {
        (Some(n), _) => TestGot::Value(n.to_string()),
        (None, Some(s)) => TestGot::Value(s.as_str().to_string()),
        (None, None) => TestGot::Nothing,
    }
}

/// The number of decimal places an expected value is written with (`80%` counts as `0.80`).
fn decimals(e: &ast::Expr) -> u32 {
    match &e.kind {
        ExprKind::Number { text, unit, .. } => {
            let frac = text.split_once('.').map_or(0, |(_, f)| f.len() as u32);
            if *unit == Some(ast::LitUnit::Percent) {
                frac + 2
            } else {
                frac
            }
        }
        ExprKind::Unary(_, inner) | ExprKind::Paren(inner) => decimals(inner),
        _ => 0,
    }
}
