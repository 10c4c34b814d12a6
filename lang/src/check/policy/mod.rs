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

mod range;
mod search;

use std::collections::{BTreeMap, BTreeSet};

use super::consts::const_value;
use super::env::Env;
use crate::diag::{Code, Diagnostic, Hint, Message, Note, Span};
use crate::format::expr_to_string;
use crate::num::Num;
use crate::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, InputModifier, TypeKind, UnOp, WhenPattern};

pub use range::{Range, Set};
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

/// How the score moves when one input grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mono {
    Const,
    Up,
    Down,
    Unknown,
}

impl Mono {
    fn flip(self) -> Mono {
        match self {
            Mono::Up => Mono::Down,
            Mono::Down => Mono::Up,
            m => m,
        }
    }
    fn join(self, o: Mono) -> Mono {
        match (self, o) {
            (Mono::Const, m) | (m, Mono::Const) => m,
            (a, b) if a == b => a,
            _ => Mono::Unknown,
        }
    }
    fn compose(outer: Mono, inner: Mono) -> Mono {
        match (outer, inner) {
            (Mono::Const, _) | (_, Mono::Const) => Mono::Const,
            (Mono::Up, m) => m,
            (Mono::Down, m) => m.flip(),
            _ => Mono::Unknown,
        }
    }
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
    a.check_divisions(score, &BTreeSet::new());
    for (_, e) in ind.lets() {
        a.check_divisions(e, &BTreeSet::new());
    }
    analysis.range = r.clone();
    let searcher = search::Searcher::new(env, ind, &a.max);
    // Witness values of percent inputs are shown as percents, as the data would write them.
    let percent: BTreeSet<String> = ind
        .inputs()
        .filter(|i| crate::check::Ty::of_type(&i.ty) == crate::check::Ty::Percent)
        .map(|i| i.name.text.clone())
        .collect();

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

/// The declared domain of an input: (range, integral, never zero).
pub fn input_domain(input: &ast::InputDecl) -> (Range, bool, bool) {
    let positive = input.modifiers.iter().any(|m| matches!(m, InputModifier::Positive(_)));
    let (mut range, integral) = match input.ty.kind {
        TypeKind::Count => (Range::new(Some(Num::from_i64(i64::from(positive))), None), true),
        TypeKind::Percent | TypeKind::Money | TypeKind::Points => (Range::non_negative(), false),
        _ => (Range::any(), false),
    };
    for m in &input.modifiers {
        match m {
            InputModifier::Min(e) => {
                if let Some(v) = const_value(e) {
                    range = range.intersect(&Range::new(Some(v), None));
                }
            }
            InputModifier::Max(e) => {
                if let Some(v) = const_value(e) {
                    range = range.intersect(&Range::new(None, Some(v)));
                }
            }
            _ => {}
        }
    }
    (range, integral, positive)
}

struct Analyzer<'a> {
    env: &'a Env,
    max: Num,
    scopes: Vec<BTreeMap<String, Var<'a>>>,
    /// `assume X <= Y` as (X, Y) texts.
    facts: Vec<(String, String)>,
    report: bool,
    reported: BTreeSet<(Span, Code)>,
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
    arm_cache: BTreeMap<Span, Arms>,
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
        let mut scope = BTreeMap::new();
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
            reported: BTreeSet::new(),
            call_sites: Vec::new(),
            prelude_depth: 0,
            diags: Vec::new(),
            depth: 0,
            steps: 0,
            max_steps: MAX_STEPS.max(rule_size(ind).saturating_mul(STEPS_PER_NODE)),
            arm_cache: BTreeMap::new(),
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

    /// The range of values `e` can take.
    fn range(&mut self, e: &Expr) -> Range {
        self.steps += 1;
        if self.depth > 64 || self.gave_up() {
            return Range::any();
        }
        self.depth += 1;
        let r = self.range_inner(e);
        self.depth -= 1;
        r
    }

    fn range_inner(&mut self, e: &Expr) -> Range {
        match &e.kind {
            ExprKind::Number { value, .. } => Range::point(value.clone()),
            ExprKind::Max => Range::point(self.max.clone()),
            ExprKind::Paren(x) => self.range(x),
            ExprKind::Name(n) => match self.lookup(n) {
                Some(Var::Input { range, .. }) | Some(Var::Param(range)) => range,
                Some(Var::Let(x)) => self.range(x),
                None => Range::any(),
            },
            ExprKind::Unary(UnOp::Neg, x) => self.range(x).neg(),
            ExprKind::Binary(op, a, b) => {
                let (ra, rb) = (self.range(a), self.range(b));
                match op {
                    BinOp::Add => ra.add(&rb),
                    BinOp::Sub => ra.sub(&rb),
                    BinOp::Mul => ra.mul(&rb),
                    BinOp::Div => {
                        let q = ra.div(&rb);
                        if ra.is_non_negative() && self.facts.contains(&(key(a), key(b))) {
                            q.intersect(&Range::new(Some(Num::zero()), Some(Num::one())))
                        } else {
                            q
                        }
                    }
                    _ => Range::any(),
                }
            }
            ExprKind::If(_, a, b) => {
                let (ra, rb) = (self.range(a), self.range(b));
                ra.hull(&rb)
            }
            ExprKind::Match { arms, .. } => {
                let mut acc: Option<Range> = None;
                for arm in arms {
                    let r = self.range(&arm.body);
                    acc = Some(acc.map_or(r.clone(), |a| a.hull(&r)));
                }
                acc.unwrap_or_else(Range::any)
            }
            ExprKind::When { scrutinee, arms } => self.when_range(e, scrutinee, arms),
            ExprKind::Call { callee, args } => self.call_range(e, callee, args),
            _ => Range::any(),
        }
    }

    fn call_range(&mut self, e: &Expr, callee: &ast::Name, args: &[Expr]) -> Range {
        let ranges: Vec<Range> = args.iter().map(|a| self.range(a)).collect();
        match callee.text.as_str() {
            "min" => ranges.iter().skip(1).fold(ranges.first().cloned().unwrap_or_else(Range::any), |a, r| a.min(r)),
            "max" => ranges.iter().skip(1).fold(ranges.first().cloned().unwrap_or_else(Range::any), |a, r| a.max(r)),
            "abs" => match ranges.first() {
                Some(r) if r.is_non_negative() => r.clone(),
                Some(r) => {
                    let m = match (&r.lo, &r.hi) {
                        (Some(l), Some(h)) => Some(l.abs().max_of(&h.abs())),
                        _ => None,
                    };
                    Range::new(Some(Num::zero()), m)
                }
                None => Range::any(),
            },
            "round" => {
                let r = ranges.first().cloned().unwrap_or_else(Range::any);
                let half = Range::new(Num::parse_decimal("-0.5").ok(), Num::parse_decimal("0.5").ok());
                let digits = ranges.get(1).and_then(|d| d.as_point()).and_then(Num::to_i64).unwrap_or(0).clamp(0, 12);
                let scale = (0..digits).fold(Num::one(), |s, _| s.mul(&Num::from_i64(10)));
                r.add(&half.div(&Range::point(scale)))
            }
            "part" => ranges.get(1).cloned().unwrap_or_else(Range::any),
            "minmax" => Range::new(Some(Num::zero()), Some(Num::one())),
            // x / highest stays in [0, 1] only when no value is negative: values -2 and -1 give 2.
            "relative_to_best" if ranges.first().is_some_and(Range::is_non_negative) => {
                Range::new(Some(Num::zero()), Some(Num::one()))
            }
            "relative_to_best" => Range::any(),
            "rank" => Range::new(Some(Num::one()), None),
            name => {
                let Some(f) = self.env.fns.get(name) else { return Range::any() };
                if self.scopes.len() > 16 {
                    return Range::any();
                }
                let frame = f.params.iter().zip(ranges).map(|(p, r)| (p.text.clone(), Var::Param(r))).collect();
                self.scopes.push(frame);
                self.call_sites.push(e.span);
                let prelude = usize::from(self.env.prelude_fns.contains(name));
                self.prelude_depth += prelude;
                let r = self.range(&f.body);
                self.prelude_depth -= prelude;
                self.call_sites.pop();
                self.scopes.pop();
                r
            }
        }
    }

    /// The range of a `when`, refining the scrutinee inside each arm; reports W0501–W0503 and
    /// W0507 on the way.
    fn when_range(&mut self, e: &Expr, scrutinee: &Expr, arms: &[ast::WhenArm]) -> Range {
        let Arms { conds, regions, covered, domain: dom_set, integral } = self.arm_sets(scrutinee, arms);
        let name = match &scrutinee.unparen().kind {
            ExprKind::Name(n) => Some(n.clone()),
            _ => None,
        };
        let all_known = conds.iter().all(Option::is_some);
        let shown = expr_to_string(scrutinee);
        if self.report && all_known {
            // Unreachable arms.
            for ((arm, region), cond) in arms.iter().zip(&regions).zip(&conds) {
                if region.as_ref().is_some_and(|r| r.is_empty(integral)) {
                    // Only blame earlier arms when there are values of the arm for them to take.
                    let outside = cond.as_ref().is_some_and(|c| c.intersect(&dom_set).is_empty(integral));
                    let help = if outside {
                        match dom_set.hull(integral) {
                            Some(h) => Hint::AlwaysBetween { shown: shown.clone(), low: h.lo, high: h.hi },
                            None => Hint::CheckArmBound,
                        }
                    } else {
                        Hint::EarlierArmsMatch
                    };
                    self.push_diag(
                        Diagnostic::new(Code::W0503, arm.span, Message::ArmNeverApplies { shown: shown.clone() })
                            .with_help(help),
                    );
                }
            }
            // Gaps.
            let gap = dom_set.minus(&covered);
            if let Some(v) = gap.sample(integral) {
                self.push_diag(
                    Diagnostic::new(Code::W0502, e.span, Message::NoArmMatches { shown: shown.clone(), value: v })
                        .with_help(Hint::AddElseArm),
                );
            }
            // Partial overlaps with different results. The sweep finds the few pairs worth
            // comparing; comparing every pair made a `when` of 10,000 arms uncheckable.
            let budget = self.max_steps.saturating_sub(self.steps);
            let Some(pairs) = range::partial_overlap_candidates(&conds, budget) else {
                self.steps = self.max_steps.saturating_add(1);
                return Range::any();
            };
            for (i, j) in pairs {
                self.steps += 1;
                let (Some(Some(si)), Some(Some(sj))) = (conds.get(i), conds.get(j)) else { continue };
                let both = si.intersect(sj).intersect(&dom_set);
                if both.is_empty(integral) || si.subset_of(sj, integral) || sj.subset_of(si, integral) {
                    continue;
                }
                let Some(v) = both.sample(integral) else { continue };
                let (Some(ai), Some(aj)) = (arms.get(i), arms.get(j)) else { continue };
                let (vi, vj) =
                    (self.value_at(&ai.body, name.as_deref(), &v), self.value_at(&aj.body, name.as_deref(), &v));
                if let (Some(vi), Some(vj)) = (vi, vj) {
                    if vi != vj {
                        self.push_diag(
                            Diagnostic::new(
                                Code::W0501,
                                aj.span,
                                Message::ArmsOverlap { shown: shown.clone(), value: v, first: vi, second: vj },
                            )
                            .with_label(ai.span, Note::EarlierArm)
                            .with_help(Hint::ExclusiveBands),
                        );
                    }
                }
            }
            // Jumps next to a sloped arm.
            if let Some(n) = &name {
                for (t, left, right) in self.boundaries(&regions, integral) {
                    let (Some(la), Some(ra)) = (arms.get(left), arms.get(right)) else { continue };
                    let sloped = self.depends_on(&la.body, n) || self.depends_on(&ra.body, n);
                    if !sloped {
                        continue;
                    }
                    if let (Some(lv), Some(rv)) =
                        (self.value_at(&la.body, Some(n), &t), self.value_at(&ra.body, Some(n), &t))
                    {
                        if lv != rv {
                            let jump = rv.sub(&lv);
                            self.push_diag(
                                Diagnostic::new(
                                    Code::W0507,
                                    ra.span,
                                    Message::ScoreJumps {
                                        jump: jump.abs(),
                                        shown: shown.clone(),
                                        at: t,
                                        below: lv,
                                        above: rv,
                                    },
                                )
                                .with_label(la.span, Note::ArmJustBelow)
                                .with_help(Hint::ScaleByThreshold),
                            );
                        }
                    }
                }
            }
        }
        // The range: each arm's body with the scrutinee narrowed to its region.
        let mut acc: Option<Range> = None;
        for (arm, region) in arms.iter().zip(&regions) {
            let hull = match region {
                Some(r) => match r.hull(integral) {
                    Some(h) => Some(h),
                    None => continue, // unreachable arm
                },
                None => None,
            };
            let r = match (&name, hull) {
                (Some(n), Some(h)) => {
                    let mut frame = self.scopes.last().cloned().unwrap_or_default();
                    frame.insert(n.clone(), Var::Param(h));
                    self.scopes.push(frame);
                    let r = self.range(&arm.body);
                    self.scopes.pop();
                    r
                }
                _ => self.range(&arm.body),
            };
            acc = Some(acc.map_or(r.clone(), |a| a.hull(&r)));
        }
        acc.unwrap_or_else(Range::any)
    }

    /// The arms of a `when` as sets of scrutinee values. In the indicator's own scope (not inside
    /// a function or a narrowed arm) they do not change, so the bounds and the monotonicity
    /// analyses share one computation.
    fn arm_sets(&mut self, scrutinee: &Expr, arms: &[ast::WhenArm]) -> Arms {
        let cacheable = self.scopes.len() == 1 && self.call_sites.is_empty();
        if cacheable {
            if let Some(a) = self.arm_cache.get(&scrutinee.span) {
                return a.clone();
            }
        }
        let a = self.compute_arm_sets(scrutinee, arms);
        if cacheable {
            self.arm_cache.insert(scrutinee.span, a.clone());
        }
        a
    }

    fn compute_arm_sets(&mut self, scrutinee: &Expr, arms: &[ast::WhenArm]) -> Arms {
        let domain = Set::of_range(&self.range(scrutinee));
        let integral = self.integral(scrutinee);
        let mut conds = Vec::new();
        let mut regions = Vec::new();
        let mut covered = range::Cover::new();
        for arm in arms {
            let cond = match &arm.pattern {
                WhenPattern::Else => Some(Set::all()),
                WhenPattern::Cmp(op, b) => self.range(b).as_point().map(|t| Set::cmp(*op, t)),
                WhenPattern::Range(lo, hi) => {
                    match (self.range(lo).as_point().cloned(), self.range(hi).as_point().cloned()) {
                        (Some(l), Some(h)) => Some(Set::closed(&l, &h)),
                        _ => None,
                    }
                }
            };
            let region = cond.as_ref().map(|c| covered.add(c, &domain));
            conds.push(cond);
            regions.push(region);
        }
        Arms { conds, regions, covered: covered.to_set(), domain, integral }
    }

    /// Thresholds between adjacent arm regions along the axis: (value, arm below, arm at/above).
    fn boundaries(&self, regions: &[Option<Set>], integral: bool) -> Vec<(Num, usize, usize)> {
        let pieces = ordered_pieces(regions, integral);
        let mut out = Vec::new();
        for w in pieces.windows(2) {
            let [(i, p), (j, q)] = w else { continue };
            if i == j || integral {
                continue;
            }
            if let (Some(h), Some(l)) = (&p.hi, &q.lo) {
                if h.value == l.value && h.closed != l.closed {
                    out.push((h.value.clone(), *i, *j));
                }
            }
        }
        out
    }

    /// The value of `e` when `name` is `v`, if that is a single number.
    fn value_at(&mut self, e: &Expr, name: Option<&str>, v: &Num) -> Option<Num> {
        let saved = self.report;
        self.report = false;
        let mut frame = self.scopes.last().cloned().unwrap_or_default();
        if let Some(n) = name {
            frame.insert(n.to_string(), Var::Param(Range::point(v.clone())));
        }
        self.scopes.push(frame);
        let r = self.range(e);
        self.scopes.pop();
        self.report = saved;
        r.as_point().cloned()
    }

    fn depends_on(&mut self, e: &Expr, name: &str) -> bool {
        self.mono(e, name) != Mono::Const
    }

    fn integral(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Number { value, .. } => value.is_integer(),
            ExprKind::Paren(x) => self.integral(x),
            ExprKind::Name(n) => match self.lookup(n) {
                Some(Var::Input { integral, .. }) => integral,
                Some(Var::Let(x)) => self.integral(x),
                _ => false,
            },
            ExprKind::Binary(BinOp::Add | BinOp::Sub | BinOp::Mul, a, b) => self.integral(a) && self.integral(b),
            _ => false,
        }
    }

    /// How `e` moves when `x` grows.
    fn mono(&mut self, e: &Expr, x: &str) -> Mono {
        self.steps += 1;
        if self.depth > 64 || self.gave_up() {
            return Mono::Unknown;
        }
        self.depth += 1;
        let m = self.mono_inner(e, x);
        self.depth -= 1;
        m
    }

    fn mono_inner(&mut self, e: &Expr, x: &str) -> Mono {
        match &e.kind {
            ExprKind::Name(n) => {
                if n == x {
                    return Mono::Up;
                }
                match self.lookup(n) {
                    Some(Var::Let(body)) => self.mono(body, x),
                    _ => Mono::Const,
                }
            }
            ExprKind::Paren(a) => self.mono(a, x),
            ExprKind::Unary(UnOp::Neg, a) => self.mono(a, x).flip(),
            ExprKind::Unary(UnOp::Not, a) => match self.mono(a, x) {
                Mono::Const => Mono::Const,
                _ => Mono::Unknown,
            },
            ExprKind::Binary(op, a, b) => {
                let (ma, mb) = (self.mono(a, x), self.mono(b, x));
                match op {
                    BinOp::Add => ma.join(mb),
                    BinOp::Sub => ma.join(mb.flip()),
                    BinOp::Mul => {
                        if ma == Mono::Const && mb == Mono::Const {
                            return Mono::Const;
                        }
                        let (ra, rb) = (self.range(a), self.range(b));
                        if ma == Mono::Const && ra.as_point().is_some() {
                            return if ra.is_non_negative() { mb } else { mb.flip() };
                        }
                        if mb == Mono::Const && rb.as_point().is_some() {
                            return if rb.is_non_negative() { ma } else { ma.flip() };
                        }
                        if ra.is_non_negative() && rb.is_non_negative() {
                            ma.join(mb)
                        } else {
                            Mono::Unknown
                        }
                    }
                    BinOp::Div => {
                        if ma == Mono::Const && mb == Mono::Const {
                            return Mono::Const;
                        }
                        let (ra, rb) = (self.range(a), self.range(b));
                        if mb == Mono::Const && rb.is_non_negative() {
                            return ma;
                        }
                        if ra.is_non_negative() && rb.is_non_negative() {
                            ma.join(mb.flip())
                        } else {
                            Mono::Unknown
                        }
                    }
                    _ => {
                        if ma == Mono::Const && mb == Mono::Const {
                            Mono::Const
                        } else {
                            Mono::Unknown
                        }
                    }
                }
            }
            ExprKind::If(c, a, b) => {
                if self.mono(c, x) != Mono::Const {
                    return Mono::Unknown;
                }
                let (ma, mb) = (self.mono(a, x), self.mono(b, x));
                ma.join(mb)
            }
            ExprKind::Match { scrutinee, arms } => {
                if self.mono(scrutinee, x) != Mono::Const {
                    return Mono::Unknown;
                }
                arms.iter().fold(Mono::Const, |acc, arm| {
                    let m = self.mono(&arm.body, x);
                    acc.join(m)
                })
            }
            ExprKind::When { scrutinee, arms } => self.when_mono(scrutinee, arms, x),
            ExprKind::Call { callee, args } => match callee.text.as_str() {
                "min" | "max" => args.iter().fold(Mono::Const, |acc, a| {
                    let m = self.mono(a, x);
                    acc.join(m)
                }),
                // x / highest falls as x grows when the highest is negative.
                "relative_to_best" if !args.first().is_some_and(|a| self.range(a).is_non_negative()) => Mono::Unknown,
                "round" | "part" | "minmax" | "relative_to_best" => {
                    let i = usize::from(callee.text == "part");
                    args.get(i).map_or(Mono::Const, |a| self.mono(a, x))
                }
                "rank" => args.first().map_or(Mono::Const, |a| self.mono(a, x).flip()),
                "abs" => match args.first() {
                    Some(a) if self.range(a).is_non_negative() => self.mono(a, x),
                    Some(a) if self.mono(a, x) == Mono::Const => Mono::Const,
                    _ => Mono::Unknown,
                },
                name => {
                    let Some(f) = self.env.fns.get(name) else { return Mono::Unknown };
                    if self.scopes.len() > 16 {
                        return Mono::Unknown;
                    }
                    let arg_monos: Vec<Mono> = args.iter().map(|a| self.mono(a, x)).collect();
                    let ranges: Vec<Range> = args.iter().map(|a| self.range(a)).collect();
                    let frame = f.params.iter().zip(ranges).map(|(p, r)| (p.text.clone(), Var::Param(r))).collect();
                    self.scopes.push(frame);
                    let mut acc = Mono::Const;
                    for (p, ma) in f.params.iter().zip(arg_monos) {
                        if ma == Mono::Const {
                            continue;
                        }
                        let mp = self.mono(&f.body, &p.text);
                        acc = acc.join(Mono::compose(mp, ma));
                    }
                    self.scopes.pop();
                    acc
                }
            },
            _ => Mono::Const,
        }
    }

    /// A `when` is monotone in `x` when its scrutinee is, every arm is, and the score does not
    /// drop at any threshold between arms.
    fn when_mono(&mut self, scrutinee: &Expr, arms: &[ast::WhenArm], x: &str) -> Mono {
        let ms = self.mono(scrutinee, x);
        let bodies = arms.iter().fold(Mono::Const, |acc, a| {
            let m = self.mono(&a.body, x);
            acc.join(m)
        });
        if ms == Mono::Const {
            return bodies;
        }
        let ExprKind::Name(n) = &scrutinee.unparen().kind else { return Mono::Unknown };
        if !(ms == Mono::Up || ms == Mono::Down) || !(bodies == ms || bodies == Mono::Const) {
            return Mono::Unknown;
        }
        // Order the arms along the scrutinee and look at every threshold.
        let Arms { conds, regions, integral, .. } = self.arm_sets(scrutinee, arms);
        if conds.iter().any(Option::is_none) {
            return Mono::Unknown;
        }
        let pieces = ordered_pieces(&regions, integral);
        for w in pieces.windows(2) {
            let [(i, p), (j, q)] = w else { continue };
            if i == j {
                continue;
            }
            let (Some(ai), Some(aj)) = (arms.get(*i), arms.get(*j)) else { return Mono::Unknown };
            // Compare the highest value below with the lowest value above the boundary.
            let (Some(below), Some(above)) = (p.hi.as_ref(), q.lo.as_ref()) else { return Mono::Unknown };
            let left = if integral && !below.closed { below.value.sub(&Num::one()) } else { below.value.clone() };
            let right = if integral && !above.closed { above.value.add(&Num::one()) } else { above.value.clone() };
            let (Some(lv), Some(rv)) =
                (self.value_at(&ai.body, Some(n), &left), self.value_at(&aj.body, Some(n), &right))
            else {
                return Mono::Unknown;
            };
            if rv < lv {
                return Mono::Unknown;
            }
        }
        ms
    }

    /// W0508: divisions whose denominator can be zero, outside a guard.
    fn check_divisions(&mut self, e: &Expr, guarded: &BTreeSet<String>) {
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

    fn nonzero(&mut self, e: &Expr) -> bool {
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

/// The arms of a `when` as sets: each arm's condition (`None` when its bounds are not constants)
/// and its first-match region within the scrutinee's domain.
#[derive(Clone)]
struct Arms {
    conds: Vec<Option<Set>>,
    regions: Vec<Option<Set>>,
    covered: Set,
    domain: Set,
    integral: bool,
}

/// The non-empty pieces of the arms' regions, with their arm index, in order along the axis.
fn ordered_pieces(regions: &[Option<Set>], integral: bool) -> Vec<(usize, range::Piece)> {
    let mut pieces: Vec<(usize, range::Piece)> = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        if let Some(r) = r {
            pieces.extend(r.nonempty_pieces(integral).into_iter().map(|p| (i, p)));
        }
    }
    pieces.sort_by(|(_, a), (_, b)| match (&a.lo, &b.lo) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.value.cmp(&y.value).then(y.closed.cmp(&x.closed)),
    });
    pieces
}

/// The text of an expression without outer parentheses, to match `assume` facts.
fn key(e: &Expr) -> String {
    expr_to_string(e.unparen())
}
