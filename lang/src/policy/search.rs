//! The witness search: admissible inputs, evaluated with the real interpreter, that show a score
//! above its max, below zero, or moving the wrong way. Deterministic: the same rulebook gives
//! the same witnesses.

use crate::map::VecMap;
use std::cell::Cell;

use super::{input_domain, Direction};
use crate::engine::Single;
use crate::eval::expr::{CohortMode, IndicatorEval};
use crate::eval::{CohortStats, Value};
use crate::num::Num;
use crate::sema::Env;
use crate::syntax::ast::{self, ExprKind, TypeKind};

/// Inputs that show a property failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// The inputs.
    pub inputs: Vec<(String, Value)>,
    /// The score they give.
    pub score: Num,
    /// For monotonicity: a larger value of the input and the score it gives.
    pub larger: Option<(Value, Num)>,
}

impl Witness {
    /// The witness as a message shows it; the inputs named in `percent` are shown as percents
    /// (a ratio of 100 is `10000%`, not `100`: what the data file would have to say). `varied`:
    /// the input whose larger value `larger` is.
    pub fn to_message(
        &self,
        percent: &crate::map::VecSet<String>,
        varied: Option<&str>,
    ) -> crate::diag::message::Witness {
        let larger_is_percent = varied.is_some_and(|v| percent.contains(v));
        crate::diag::message::Witness {
            inputs: self.inputs.iter().map(|(n, v)| (n.clone(), shown(v, percent.contains(n)))).collect(),
            score: self.score.clone(),
            larger: self.larger.as_ref().map(|(v, s)| (shown(v, larger_is_percent), s.clone())),
        }
    }
}

/// A value as a message shows it (numbers the reader's way).
fn shown(v: &Value, percent: bool) -> crate::diag::message::Val {
    use crate::diag::message::Val;
    match v {
        Value::Num(n) if percent => Val::Percent(n.clone()),
        Value::Num(n) => Val::Num(n.clone()),
        Value::Bool(b) => Val::Bool(*b),
        Value::Text(t) => Val::Text(t.clone()),
        Value::Choice(c) => Val::Choice(c.clone()),
    }
}

const MAX_COMBOS: usize = 3000;
const MONO_BASES: usize = 48;
/// The most distinct constants of a rule that candidate values are derived from.
const MAX_LITERALS: usize = 256;
/// The most expression nodes one search (for a cap, a floor or one input's direction) may
/// evaluate, counting the whole rule per evaluation. Real rules of a few hundred nodes stay far
/// below it with every combination tried; a `when` of 100,000 arms gets a few evaluations, not
/// thousands of passes over its arms.
const SEARCH_BUDGET: usize = 5_000_000;

pub(super) struct Searcher<'a> {
    env: &'a Env,
    ind: &'a ast::Indicator,
    max: Num,
    /// The indicator compiled once for the thousands of evaluations a search makes (`None`:
    /// left to the tree-walker, as the engine leaves it).
    compiled: Option<Single>,
    /// Candidate values per input, in declaration order, with the input position the name
    /// reads (its first declaration, as names resolve); empty when the indicator cannot be
    /// searched.
    candidates: Vec<(String, usize, Vec<Value>)>,
    /// The input position each name reads (its first declaration, as names resolve), by name:
    /// where a combination puts the value of each candidate list.
    slots: VecMap<String, usize>,
    inputs: usize,
    stats: CohortStats,
    /// Expression nodes in the assumptions, `let`s and score: the most one evaluation visits.
    cost: usize,
    /// Nodes the current search has been charged.
    spent: Cell<usize>,
    /// Whether a search stopped at [`SEARCH_BUDGET`].
    exhausted: Cell<bool>,
}

/// The value of each input, by position (`None`: not given).
type Combo = Vec<Option<Value>>;

impl<'a> Searcher<'a> {
    pub(super) fn new(env: &'a Env, ind: &'a ast::Indicator, max: &Num) -> Searcher<'a> {
        let mut literals = Vec::new();
        let mut cohort = false;
        let mut cost = 0usize;
        let mut visit = |e: &ast::Expr| {
            e.walk(&mut |x| {
                cost += 1;
                match &x.kind {
                    ExprKind::Number { value, .. } => literals.push(value.clone()),
                    ExprKind::Call { callee, .. } if crate::sema::infer::is_cohort_fn(&callee.text) => cohort = true,
                    _ => {}
                }
            })
        };
        for (_, e) in ind.lets() {
            visit(e);
        }
        if let Some(s) = ind.score() {
            visit(s);
        }
        for a in ind.assumptions() {
            a.walk(&mut |_| cost += 1);
        }
        crate::sort::sort_by(&mut literals, Ord::cmp);
        literals.dedup();
        let literals = spread(literals, MAX_LITERALS);
        let mut slots = VecMap::new();
        for (k, i) in ind.inputs().enumerate() {
            slots.entry(i.name.text.clone()).or_insert(k);
        }
        let candidates = if cohort {
            Vec::new()
        } else {
            ind.inputs()
                .map(|i| {
                    let slot = slots.get(&i.name.text).copied().unwrap_or_default();
                    (i.name.text.clone(), slot, candidates_for(i, &literals))
                })
                .collect()
        };
        Searcher {
            env,
            ind,
            max: max.clone(),
            compiled: Single::compile(env, ind, max),
            candidates,
            slots,
            inputs: ind.inputs().count(),
            stats: CohortStats::new(),
            cost,
            spent: Cell::new(0),
            exhausted: Cell::new(false),
        }
    }

    /// Whether a search gave up at its budget, so that its "no witness" proves nothing.
    pub(super) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// Starts a search with a fresh budget.
    fn start(&self) {
        self.spent.set(0);
    }

    fn eval(&self, data: &Combo) -> Option<Num> {
        let spent = self.spent.get().saturating_add(self.cost);
        if spent > SEARCH_BUDGET {
            self.exhausted.set(true);
            return None;
        }
        self.spent.set(spent);
        let score = match &self.compiled {
            Some(single) => {
                if !single.assumptions_hold(data) {
                    return None;
                }
                single.score(data)
            }
            None => {
                let named: VecMap<String, Value> = self.named(data).into_iter().collect();
                let fresh = || {
                    IndicatorEval::new(self.env, self.ind, Some(&named), self.max.clone(), CohortMode::Use(&self.stats))
                };
                for a in self.ind.assumptions() {
                    if fresh().eval(a).ok()? != Value::Bool(true) {
                        return None;
                    }
                }
                fresh().eval(self.ind.score()?)
            }
        };
        match score {
            Ok(Value::Num(n)) => Some(n),
            _ => None,
        }
    }

    /// Sets the input called `name` in `combo`.
    fn set(&self, combo: &mut Combo, name: &str, v: Value) {
        if let Some(slot) = self.slots.get(name).and_then(|k| combo.get_mut(*k)) {
            *slot = Some(v);
        }
    }

    /// The inputs of `combo` by name, in name order.
    fn named(&self, combo: &Combo) -> Vec<(String, Value)> {
        self.slots.iter().filter_map(|(n, k)| combo.get(*k).cloned().flatten().map(|v| (n.clone(), v))).collect()
    }

    /// Deterministic combinations of candidate values: all of them when few, a sample otherwise;
    /// made one at a time as the search asks for them.
    fn combos(&self, limit: usize) -> impl Iterator<Item = Combo> + '_ {
        let searchable = !(self.candidates.is_empty() && self.ind.inputs().next().is_some());
        let total = self.candidates.iter().try_fold(1usize, |acc, (_, _, c)| acc.checked_mul(c.len().max(1)));
        let exhaustive = total.filter(|t| *t <= limit);
        let count = if searchable { exhaustive.unwrap_or(limit) } else { 0 };
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..count).map(move |index| {
            let mut combo: Combo = vec![None; self.inputs];
            let mut i = index;
            for (_, slot, c) in &self.candidates {
                let k = if exhaustive.is_some() {
                    let k = i % c.len().max(1);
                    i /= c.len().max(1);
                    k
                } else {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    ((seed >> 33) as usize) % c.len().max(1)
                };
                if let (Some(v), Some(place)) = (c.get(k), combo.get_mut(*slot)) {
                    *place = Some(v.clone());
                }
            }
            combo
        })
    }

    fn witness(&self, data: &Combo, score: Num) -> Witness {
        Witness { inputs: self.named(data), score, larger: None }
    }

    pub(super) fn find_above(&self, max: &Num) -> Option<Witness> {
        self.start();
        let mut best: Option<(Combo, Num)> = None;
        for c in self.combos(MAX_COMBOS) {
            if self.exhausted() {
                break;
            }
            if let Some(s) = self.eval(&c) {
                if &s > max && best.as_ref().is_none_or(|(_, b)| &s > b) {
                    best = Some((c, s));
                }
            }
        }
        best.map(|(c, s)| self.witness(&c, s))
    }

    pub(super) fn find_below_zero(&self) -> Option<Witness> {
        self.start();
        self.combos(MAX_COMBOS).take_while(|_| !self.exhausted()).find_map(|c| {
            let s = self.eval(&c)?;
            s.is_negative().then(|| self.witness(&c, s))
        })
    }

    pub(super) fn find_wrong_direction(&self, name: &str, direction: Direction) -> Option<Witness> {
        self.start();
        let values: Vec<Value> = self.candidates.iter().find(|(n, _, _)| n == name)?.2.clone();
        let mut sorted: Vec<Num> = values.iter().filter_map(|v| v.as_num().cloned()).collect();
        crate::sort::sort_by(&mut sorted, Ord::cmp);
        sorted.dedup();
        for base in self.combos(MONO_BASES) {
            let mut prev: Option<(Num, Num)> = None;
            for x in &sorted {
                if self.exhausted() {
                    return None;
                }
                let mut data = base.clone();
                self.set(&mut data, name, Value::Num(x.clone()));
                let Some(s) = self.eval(&data) else { continue };
                if let Some((px, ps)) = &prev {
                    let wrong = match direction {
                        Direction::More => &s < ps,
                        _ => &s > ps,
                    };
                    if wrong {
                        self.set(&mut data, name, Value::Num(px.clone()));
                        let mut witness = self.witness(&data, ps.clone());
                        witness.larger = Some((Value::Num(x.clone()), s));
                        return Some(witness);
                    }
                }
                prev = Some((x.clone(), s));
            }
        }
        None
    }
}

/// At most `n` of `values`, evenly spread and keeping the first and last: a table of thousands
/// of thresholds is probed at a sample of them, not at every one (the search evaluates the rule
/// per combination of candidates).
fn spread(values: Vec<Num>, n: usize) -> Vec<Num> {
    let len = values.len();
    if len <= n || n < 2 {
        return values;
    }
    let keep: crate::map::VecSet<usize> = (0..n).map(|k| k * (len - 1) / (n - 1)).collect();
    values.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, v)| v).collect()
}

/// Values worth trying for an input: round numbers, the rule's own constants and values around
/// them (so thresholds are probed from both sides), within the declared domain.
fn candidates_for(input: &ast::InputDecl, literals: &[Num]) -> Vec<Value> {
    let n = |s: &str| Num::parse_decimal(s).unwrap_or_default();
    let (range, integral, positive) = input_domain(input);
    let mut nums: Vec<Num> = Vec::new();
    match &input.ty.kind {
        TypeKind::YesNo => return vec![Value::Bool(false), Value::Bool(true)],
        TypeKind::Choice(opts) => return opts.iter().map(|o| Value::Choice(o.text.clone())).collect(),
        TypeKind::Text | TypeKind::Date | TypeKind::Error => return vec![Value::Text("x".into())],
        TypeKind::Count => {
            for s in [
                "0", "1", "2", "3", "4", "5", "7", "9", "10", "11", "19", "20", "21", "49", "50", "99", "100", "101",
                "1000",
            ] {
                nums.push(n(s));
            }
            for l in literals {
                for scale in [1, 7, 10, 100, 1000] {
                    let v = l.mul(&Num::from_i64(scale));
                    let v = if v.is_integer() { v } else { v.round_to(0) };
                    nums.extend([v.sub(&Num::one()), v.clone(), v.add(&Num::one())]);
                }
            }
        }
        _ => {
            for s in
                ["0", "0.1", "0.25", "0.5", "0.7", "0.8", "0.9", "1", "1.5", "2", "3", "5", "10", "100", "-1", "-10"]
            {
                nums.push(n(s));
            }
            let eps = n("0.001");
            for l in literals {
                nums.extend([l.sub(&eps), l.clone(), l.add(&eps), l.mul(&Num::from_i64(2))]);
            }
        }
    }
    // The declared bounds themselves and values just inside them, so that a narrow domain
    // (`at_least -5 at_most -5`) still has candidates and every witness names every input.
    let inside = if integral { Num::one() } else { n("0.001") };
    if let Some(lo) = &range.lo {
        let lo = if integral { round_up(lo) } else { lo.clone() };
        nums.extend([lo.add(&inside), lo]);
    }
    if let Some(hi) = &range.hi {
        let hi = if integral { round_up(&hi.neg()).neg() } else { hi.clone() };
        nums.extend([hi.sub(&inside), hi]);
    }
    nums.retain(|v| {
        (!integral || v.is_integer())
            && !(positive && (v.is_zero() || v.is_negative()))
            && range.lo.as_ref().is_none_or(|lo| v >= lo)
            && range.hi.as_ref().is_none_or(|hi| v <= hi)
    });
    crate::sort::sort_by(&mut nums, Ord::cmp);
    nums.dedup();
    nums.into_iter().map(Value::Num).collect()
}

/// The smallest integer not below `v`.
fn round_up(v: &Num) -> Num {
    let r = v.round_to(0);
    if &r < v {
        r.add(&Num::one())
    } else {
        r
    }
}
