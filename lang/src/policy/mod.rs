//! Policy checks: properties of a scoring rule proved from the declared input domains.
//!
//! - bounds (interval arithmetic over exact rationals, refined inside `when` arms) prove that a
//!   score stays within [0, max]; when they cannot, a search over admissible inputs looks for a
//!   witness, evaluated with the real interpreter (W0504, W0505);
//! - a monotonicity analysis proves that the score does not decrease when a more-is-better input
//!   grows; otherwise the search looks for a counter-example (W0506);
//! - the arms of every `when` are compared as sets of values: overlaps with different results,
//!   gaps and unreachable arms (W0501–W0503), and jumps at thresholds next to a sloped arm (W0507);
//! - divisions whose denominator can be zero without a guard (W0508).
//!
//! Invariant: a warning is only given with a witness that the interpreter confirms, or (W0501–
//! W0503, W0507, W0508) with exact values; "proved" verdicts are sound, and property tests hold
//! the checker to both.

mod bands;
mod bounds;
mod divisions;
mod monotone;
mod search;

use bands::{ordered_pieces, Arms};
use monotone::Mono;

use crate::map::{VecMap, VecSet};

use crate::diag::{Code, Diagnostic, Hint, Message, Note, Span};
use crate::num::Num;
use crate::sema::consts::const_value;
use crate::sema::env::Env;
use crate::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, InputModifier, TypeKind, UnOp, WhenPattern};
use crate::syntax::expr_to_string;

pub use crate::sema::range::{input_domain, Range, Set};
pub use search::Witness;

/// Whether a property holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Proved for every admissible input.
    Proved,
    /// A counter-example, confirmed by evaluation.
    Refuted(Box<Witness>),
    /// Neither proved nor refuted.
    Unknown,
}

/// Which way an input should move the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// More is better (the default for numbers).
    More,
    /// `lower_is_better`.
    Less,
    /// `neutral`: not checked.
    Neutral,
}

/// What the policy analysis concluded about one indicator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// The score's proved range.
    pub range: Range,
    /// The score never exceeds max.
    pub cap: Verdict,
    /// The score is never negative.
    pub floor: Verdict,
    /// Per numeric input with a direction: the score moves the right way.
    pub monotone: Vec<(String, Direction, Verdict)>,
}

/// A name in scope during the analysis.
#[derive(Clone)]
enum Var<'a> {
    Input { range: Range, integral: bool, nonzero: bool },
    Let(&'a Expr),
    Param(Range),
}

/// Policy diagnostics for one well-typed indicator.
pub fn check_indicator_policy(env: &Env, ind: &ast::Indicator) -> Vec<Diagnostic> {
    analyze(env, ind).1
}

/// Analyzes one indicator: verdicts and the diagnostics they give.
pub fn analyze(env: &Env, ind: &ast::Indicator) -> (Analysis, Vec<Diagnostic>) {
    let mut a = Analyzer::new(env, ind);
    let mut analysis =
        Analysis { range: Range::any(), cap: Verdict::Unknown, floor: Verdict::Unknown, monotone: Vec::new() };
    let Some(score) = ind.score() else { return (analysis, a.diags) };
    // Bounds, and the arms of every `when` (reported while computing ranges).
    a.report = true;
    let r = a.range(score);
    for (_, e) in ind.lets() {
        a.range(e);
    }
    a.report = false;
    if a.gave_up() {
        return (analysis, vec![too_complex(score, a.max_steps)]);
    }
    a.check_divisions(score, &VecSet::new());
    for (_, e) in ind.lets() {
        a.check_divisions(e, &VecSet::new());
    }
    analysis.range = r.clone();
    let searcher = search::Searcher::new(env, ind, &a.max);
    // Witness values of percent inputs are shown as percents, as the data would write them.
    let percent: VecSet<String> = FromIterator::from_iter(
        ind.inputs()
            .filter(|i| crate::sema::Ty::of_type(&i.ty) == crate::sema::Ty::Percent)
            .map(|i| i.name.text.clone()),
    );

    analysis.cap = if r.hi.as_ref().is_some_and(|h| h <= &a.max) {
        Verdict::Proved
    } else {
        searcher.find_above(&a.max).map_or(Verdict::Unknown, |w| Verdict::Refuted(Box::new(w)))
    };
    if let Verdict::Refuted(w) = &analysis.cap {
        a.diags.push(
            Diagnostic::new(
                Code::W0504,
                score.span,
                Message::ScoreAbove {
                    score: w.score.clone(),
                    max: a.max.clone(),
                    witness: w.to_message(&percent, None),
                },
            )
            .with_help(Hint::CapIt),
        );
    }
    analysis.floor = if r.lo.as_ref().is_some_and(|l| !l.is_negative()) {
        Verdict::Proved
    } else {
        searcher.find_below_zero().map_or(Verdict::Unknown, |w| Verdict::Refuted(Box::new(w)))
    };
    if let Verdict::Refuted(w) = &analysis.floor {
        a.diags.push(
            Diagnostic::new(
                Code::W0505,
                score.span,
                Message::ScoreNegative { score: w.score.clone(), witness: w.to_message(&percent, None) },
            )
            .with_help(Hint::WrapInMaxZero),
        );
    }

    for input in ind.inputs() {
        let direction = direction_of(input);
        if direction == Direction::Neutral || !is_numeric_type(&input.ty.kind) {
            continue;
        }
        let name = &input.name.text;
        let m = a.mono(score, name);
        let wanted = if direction == Direction::More { Mono::Up } else { Mono::Down };
        let verdict = if m == wanted || m == Mono::Const {
            Verdict::Proved
        } else {
            searcher.find_wrong_direction(name, direction).map_or(Verdict::Unknown, |w| Verdict::Refuted(Box::new(w)))
        };
        if let Verdict::Refuted(w) = &verdict {
            let more = direction == Direction::More;
            a.diags.push(
                Diagnostic::new(
                    Code::W0506,
                    input.name.span,
                    Message::WrongDirection { more, name: name.clone(), witness: w.to_message(&percent, Some(name)) },
                )
                .with_label(score.span, Note::Score)
                .with_help(Hint::DirectionFix { more }),
            );
        }
        analysis.monotone.push((name.clone(), direction, verdict));
    }
    if a.gave_up() {
        // Verdicts reached past the budget rest on "anything" answers: report none of them.
        analysis.cap = Verdict::Unknown;
        analysis.floor = Verdict::Unknown;
        analysis.monotone.clear();
        return (analysis, vec![too_complex(score, a.max_steps)]);
    }
    if searcher.exhausted() {
        // What was proved or confirmed stands; say that the rest was not looked at.
        a.diags.push(Diagnostic::new(Code::W0510, score.span, Message::SearchCutShort).with_help(Hint::SplitLongTable));
    }
    (analysis, a.diags)
}

/// W0510: the analysis ran out of steps, so the rule is not checked (rather than checked wrongly).
fn too_complex(score: &Expr, max_steps: usize) -> Diagnostic {
    Diagnostic::new(Code::W0510, score.span, Message::TooComplex { steps: max_steps })
        .with_help(Hint::WriteMoreDirectly)
}

/// The declared direction of an input.
pub fn direction_of(input: &ast::InputDecl) -> Direction {
    if input.modifiers.iter().any(|m| matches!(m, InputModifier::Neutral(_))) {
        Direction::Neutral
    } else if input.modifiers.iter().any(|m| matches!(m, InputModifier::LowerIsBetter(_))) {
        Direction::Less
    } else {
        Direction::More
    }
}

fn is_numeric_type(t: &TypeKind) -> bool {
    matches!(t, TypeKind::Count | TypeKind::Number | TypeKind::Percent | TypeKind::Money | TypeKind::Points)
}

struct Analyzer<'a> {
    env: &'a Env,
    max: Num,
    scopes: Vec<crate::sema::table::Table<Var<'a>>>,
    /// `assume X <= Y` as (X, Y) texts.
    facts: Vec<(String, String)>,
    report: bool,
    reported: VecSet<(Span, Code)>,
    /// The call site to report at while inside a function body.
    call_sites: Vec<Span>,
    /// How many of the calls being followed are to prelude functions.
    prelude_depth: usize,
    diags: Vec<Diagnostic>,
    depth: usize,
    /// Steps of `range` and `mono` taken, against `max_steps`.
    steps: usize,
    /// [`MAX_STEPS`], or more for a large rule: the analysis visits each node a few times per
    /// input, so a long but plain rule (a table of 100,000 arms) is checked, while a rule that
    /// doubles its work with every `let` still stops at the budget.
    max_steps: usize,
    /// [`Arms`] of the `when`s in the indicator's own scope, by scrutinee span.
    arm_cache: VecMap<Span, Arms>,
}

/// The most steps the analysis of one indicator may take. It follows `let`s and function bodies
/// at every use, so a rule built by doubling (`let x2 = x1 + x1`, `let x3 = x2 + x2`, …) would
/// take exponential time; past this budget it gives up (W0510) rather than guess.
pub const MAX_STEPS: usize = 200_000;

/// The steps allowed per expression node of a rule, when that gives more than [`MAX_STEPS`].
const STEPS_PER_NODE: usize = 16;

/// The expression nodes of an indicator's score, `let`s and assumptions.
fn rule_size(ind: &ast::Indicator) -> usize {
    let mut n = 0usize;
    let exprs = ind.score().into_iter().chain(ind.lets().map(|(_, e)| e)).chain(ind.assumptions());
    for e in exprs {
        e.walk(&mut |_| n += 1);
    }
    n
}

impl<'a> Analyzer<'a> {
    fn new(env: &'a Env, ind: &'a ast::Indicator) -> Analyzer<'a> {
        let mut scope = crate::sema::table::Table::default();
        for input in ind.inputs() {
            let (range, integral, nonzero) = input_domain(input);
            scope.insert(input.name.text.clone(), Var::Input { range, integral, nonzero });
        }
        for (n, e) in ind.lets() {
            scope.insert(n.text.clone(), Var::Let(e));
        }
        let mut facts = Vec::new();
        for e in ind.assumptions() {
            if let ExprKind::Binary(BinOp::Cmp(op), l, r) = &e.unparen().kind {
                let (l, r) = (key(l), key(r));
                match op {
                    CmpOp::Le | CmpOp::Lt => facts.push((l, r)),
                    CmpOp::Ge | CmpOp::Gt => facts.push((r, l)),
                    _ => {}
                }
            }
        }
        Analyzer {
            env,
            max: ind.max().and_then(const_value).unwrap_or_default(),
            scopes: vec![scope],
            facts,
            report: false,
            reported: VecSet::new(),
            call_sites: Vec::new(),
            prelude_depth: 0,
            diags: Vec::new(),
            depth: 0,
            steps: 0,
            max_steps: MAX_STEPS.max(rule_size(ind).saturating_mul(STEPS_PER_NODE)),
            arm_cache: VecMap::new(),
        }
    }

    fn gave_up(&self) -> bool {
        self.steps > self.max_steps
    }

    fn lookup(&self, name: &str) -> Option<Var<'a>> {
        self.scopes.last().and_then(|s| s.get(name)).cloned()
    }

    fn push_diag(&mut self, d: Diagnostic) {
        let span = self.call_sites.first().copied().unwrap_or(d.span);
        // Labels found inside a prelude function point into the prelude's text, not the file's.
        let labels = if self.prelude_depth > 0 { Vec::new() } else { d.labels };
        if self.reported.insert((span, d.code)) {
            self.diags.push(Diagnostic { span, labels, ..d });
        }
    }
}

/// The text of an expression without outer parentheses, to match `assume` facts.
fn key(e: &Expr) -> String {
    expr_to_string(e.unparen())
}
