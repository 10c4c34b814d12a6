//! The float filter's register programs: one indicator's compiled `Code` turned into a straight
//! list of operations over batches of units, each register an array of intervals (`interval.rs`)
//! and a flag per unit.
//!
//! Everything is evaluated for every unit of the batch: `let`s and inputs once, user functions
//! inlined (with the nesting limit), `if` and `when` as selects whose unselected side's flags do
//! not count; a choice input holds its option's position among the declared options, so `match`
//! is a select too. A flag means "this unit's value here may differ from the exact one, or the
//! exact evaluation may fail here": a missing input without default, a text, a choice compared
//! with `==`, a divisor that may be 0, a comparison or a rounding the intervals do not decide
//! (a quotient of integers compared with a constant is decided exactly by cross-multiplying),
//! anything this file does not model. A unit whose result is flagged is scored again by the exact
//! evaluator (`run.rs`), so the filter only ever has to be right where it does not flag.

use super::code::{Code, Compiled, FnCode, InputSlot, Pattern};
use super::interval::lane::{self, Lane};
use super::interval::{self as iv, Iv};
use crate::data::columns::{Cells, Columns};
use crate::eval::Value;
use crate::num::Num;
use crate::sema::calls::{MAX_CALLS, MAX_CALL_NESTING};
use crate::sema::Ty;
use crate::syntax::ast::CmpOp;

/// Units per batch.
pub(super) const LANES: usize = 512;
/// The most operations one indicator's program may have (inlining can grow).
const MAX_OPS: usize = 20_000;
/// The most distinct values of a column whose values an input reads once a batch rather than
/// once a cell (yes/no and option columns have a handful; a column of free texts has many).
#[cfg(not(target_family = "wasm"))]
const SYMBOL_TABLE: usize = 64;

pub(super) type Reg = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Num,
    Bool,
    /// An option of a choice input: its position in the input's declared options (the register's
    /// options are in `Builder::choices`).
    Choice,
    /// A choice, a text, or a value of unknown kind: always flagged.
    Other,
}

/// What a cohort function computes from its site's aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CohortFn {
    MinMax,
    RelativeToBest,
    Rank,
}

impl CohortFn {
    pub(super) fn of(name: &str) -> CohortFn {
        match name {
            "minmax" => CohortFn::MinMax,
            "relative_to_best" => CohortFn::RelativeToBest,
            _ => CohortFn::Rank,
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Const {
        dst: Reg,
        v: Iv,
    },
    Bad {
        dst: Reg,
    },
    /// An input: the indicator's input slot, how it is read, the default when missing
    /// (`None`: none; `Some(None)`: one the filter cannot use).
    Input {
        dst: Reg,
        slot: usize,
        kind: InputKind,
        default: Option<Option<Iv>>,
    },
    Neg {
        dst: Reg,
        a: Reg,
    },
    Not {
        dst: Reg,
        a: Reg,
    },
    And {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Or {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Cmp {
        dst: Reg,
        op: CmpOp,
        a: Reg,
        b: Reg,
    },
    /// `a op n/d` where `a` is the quotient `num / den`: lanes the intervals leave undecided
    /// (data exactly at a threshold) are decided by cross-multiplying when `num` and `den` are
    /// exact integers.
    CmpRatio {
        dst: Reg,
        op: CmpOp,
        a: Reg,
        b: Reg,
        num: Reg,
        den: Reg,
        n: i128,
        d: i128,
    },
    Range {
        dst: Reg,
        v: Reg,
        lo: Reg,
        hi: Reg,
    },
    Add {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Sub {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Mul {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Div {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Min {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Max {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Abs {
        dst: Reg,
        a: Reg,
    },
    Round {
        dst: Reg,
        a: Reg,
        digits: u32,
    },
    Select {
        dst: Reg,
        c: Reg,
        a: Reg,
        b: Reg,
    },
    /// `a`'s value, flagged also where any of `deps` is (arguments a body does not read).
    Strict {
        dst: Reg,
        a: Reg,
        deps: Vec<Reg>,
    },
    Cohort {
        dst: Reg,
        f: CohortFn,
        arg: Reg,
        site: usize,
    },
    /// Whether evaluation reaches the next operand: `guard` reached (true when `None`) and `a`
    /// evaluated without error. 1 yes, 0 no, flagged: unknown.
    GuardOk {
        dst: Reg,
        guard: Option<Reg>,
        a: Reg,
    },
    /// Whether evaluation reaches a branch: `guard` reached and the condition `c` is `want`.
    GuardIf {
        dst: Reg,
        guard: Option<Reg>,
        c: Reg,
        want: bool,
    },
}

/// A cohort site of a collect plan: the site, its argument's register, the register that tells
/// whether it is reached, and the numerator's and denominator's when the argument is a quotient.
pub(super) type SiteRegs = (usize, Reg, Reg, Option<(Reg, Reg)>);

/// One indicator's register program.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    ops: Vec<Op>,
    regs: usize,
    /// The score register (a number), `None` for a parent or an indicator without score.
    pub(super) score: Option<Reg>,
    pub(super) assumptions: Vec<Reg>,
    /// In a collect plan: each cohort site reached.
    pub(super) sites: Vec<SiteRegs>,
    /// Whether the plan runs with bounds (`bounded.rs`) before trying intervals.
    #[cfg(not(target_family = "wasm"))]
    bounded: bool,
}

struct Builder<'p> {
    ind: &'p Compiled,
    fns: &'p [FnCode],
    /// Each input slot's declared type is yes/no (`Some(true)`), a number (`Some(false)`), or
    /// another (`None`).
    input_kinds: Vec<Option<InputKind>>,
    max: Option<Iv>,
    ops: Vec<Op>,
    regs: usize,
    inputs: Vec<Option<(Reg, Kind)>>,
    lets: Vec<Option<(Reg, Kind)>>,
    calls: usize,
    /// Whether cohort calls collect their argument (`Some`: the sites reached) or use aggregates.
    collect: Option<Vec<SiteRegs>>,
    /// Function calls inlined around the code being compiled.
    depth: usize,
    /// Each register that is a quotient, with its numerator's and denominator's.
    quotients: Vec<(Reg, Reg, Reg)>,
    /// Each register that holds a choice input's option, with the declared options.
    choices: Vec<(Reg, Vec<String>)>,
    /// The registers that hold a constant, with its exact value: arithmetic on constants alone
    /// is folded exactly, so `3 / 5 * max` is the point 6, not an interval around it (an
    /// interval around a sum that reaches `max` exactly would send every unit's clamp to the
    /// exact path).
    consts: Vec<(Reg, Num)>,
    /// Each register that is another times a constant (`x * c`): times a constant again, it is
    /// `x` times their product, one operation.
    scaled: Vec<(Reg, Reg, Num)>,
    /// The exact max points.
    max_exact: Num,
    failed: bool,
}

/// How the filter reads an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum InputKind {
    Num,
    Bool,
    /// The position of the option among the declared ones.
    Choice(Vec<String>),
}

/// How the filter reads an input of this type, if it does.
pub(super) fn input_kind(ty: Option<&Ty>) -> Option<InputKind> {
    match ty {
        Some(Ty::Bool) => Some(InputKind::Bool),
        Some(Ty::Count | Ty::Number | Ty::Percent | Ty::Money | Ty::Points) => Some(InputKind::Num),
        Some(Ty::Choice(options)) => Some(InputKind::Choice(options.clone())),
        _ => None,
    }
}

/// A value read as an input of this kind.
fn input_value(v: &Value, kind: &InputKind) -> Option<Iv> {
    match (v, kind) {
        (Value::Num(n), InputKind::Num) => iv::of_num(n),
        (Value::Bool(b), InputKind::Bool) => Some(truth(*b)),
        (Value::Choice(c), InputKind::Choice(options)) => {
            options.iter().position(|o| o == c).map(|k| iv::point(k as f64))
        }
        _ => None,
    }
}

fn value_iv(v: &Value) -> Option<(Iv, Kind)> {
    match v {
        Value::Num(n) => iv::of_num(n).map(|x| (x, Kind::Num)),
        Value::Bool(b) => Some((iv::point(if *b { 1.0 } else { 0.0 }), Kind::Bool)),
        _ => None,
    }
}

/// Compiles one indicator for the filter: `Use` plans (scores and assumptions) or, with
/// `collect`, the plan that gathers its cohort calls' arguments. `None` when the program would
/// be too large or a cohort call sits where the filter cannot tell whether it is reached.
pub(super) fn plan(
    ind: &Compiled,
    fns: &[FnCode],
    input_kinds: Vec<Option<InputKind>>,
    max: &Num,
    collect: bool,
) -> Option<Plan> {
    let mut b = Builder {
        ind,
        fns,
        input_kinds,
        max: iv::of_num(max),
        ops: Vec::new(),
        regs: 0,
        inputs: vec![None; ind.inputs.len()],
        lets: vec![None; ind.lets.len()],
        calls: 0,
        collect: collect.then(Vec::new),
        depth: 0,
        quotients: Vec::new(),
        choices: Vec::new(),
        consts: Vec::new(),
        scaled: Vec::new(),
        max_exact: max.clone(),
        failed: false,
    };
    let mut p = Plan {
        ops: Vec::new(),
        regs: 0,
        score: None,
        assumptions: Vec::new(),
        sites: Vec::new(),
        #[cfg(not(target_family = "wasm"))]
        bounded: false,
    };
    if collect {
        if lets_have_sites(ind) {
            return None;
        }
        if let Some(score) = &ind.score {
            b.reach(score, None, &[])?;
        }
    } else {
        p.score = ind.score.as_ref().map(|s| b.num(s, &[]));
        p.assumptions = ind.assumptions.iter().map(|(a, _)| b.boolean(a, &[])).collect();
    }
    if b.failed || b.ops.len() > MAX_OPS || b.calls > MAX_CALLS {
        return None;
    }
    p.sites = b.collect.take().unwrap_or_default();
    if collect {
        // Every site of the score must be followed (not one inside a construct compiled as
        // flagged without looking inside, such as `match`).
        let mut all = Vec::new();
        if let Some(score) = &ind.score {
            score.walk(&mut |c| {
                if let Code::Cohort(_, _, site, _) = c {
                    all.push(*site);
                }
            });
        }
        if all.iter().any(|s| !p.sites.iter().any(|(x, _, _, _)| x == s)) {
            return None;
        }
    }
    p.ops = b.ops;
    p.regs = b.regs;
    // The browser's module runs the programs as built: pruning makes them faster, not different,
    // and its code would push the module past its size goal.
    #[cfg(not(target_family = "wasm"))]
    {
        p.prune();
        p.bounded = p.boundable();
    }
    Some(p)
}

#[cfg(not(target_family = "wasm"))]
impl Op {
    /// The register the operation writes, and those it reads.
    fn regs_mut(&mut self) -> (&mut Reg, Vec<&mut Reg>) {
        match self {
            Op::Const { dst, .. } | Op::Bad { dst } | Op::Input { dst, .. } => (dst, Vec::new()),
            Op::Neg { dst, a } | Op::Not { dst, a } | Op::Abs { dst, a } | Op::Round { dst, a, .. } => (dst, vec![a]),
            Op::Cohort { dst, arg, .. } => (dst, vec![arg]),
            Op::And { dst, a, b }
            | Op::Or { dst, a, b }
            | Op::Cmp { dst, a, b, .. }
            | Op::Add { dst, a, b }
            | Op::Sub { dst, a, b }
            | Op::Mul { dst, a, b }
            | Op::Div { dst, a, b }
            | Op::Min { dst, a, b }
            | Op::Max { dst, a, b } => (dst, vec![a, b]),
            Op::CmpRatio { dst, a, b, num, den, .. } => (dst, vec![a, b, num, den]),
            Op::Range { dst, v, lo, hi } => (dst, vec![v, lo, hi]),
            Op::Select { dst, c, a, b } => (dst, vec![c, a, b]),
            Op::Strict { dst, a, deps } => (dst, std::iter::once(a).chain(deps.iter_mut()).collect()),
            Op::GuardOk { dst, guard, a } => (dst, guard.iter_mut().chain(std::iter::once(a)).collect()),
            Op::GuardIf { dst, guard, c, .. } => (dst, guard.iter_mut().chain(std::iter::once(c)).collect()),
        }
    }
}

#[cfg(not(target_family = "wasm"))]
impl Plan {
    /// Drops the operations whose result nothing reads (constants folded into others, the
    /// arms of a `when` decided at compile time), and numbers the registers left in order: a
    /// register is `LANES` lanes of three arrays, written for every batch, so a dead one costs
    /// as much as a live one. Registers keep coming after their operands (`dst!`).
    fn prune(&mut self) {
        let roots = self.score.iter().chain(&self.assumptions).copied();
        let sites = self.sites.iter().flat_map(|(_, arg, reached, q)| {
            [Some(*arg), Some(*reached), q.map(|q| q.0), q.map(|q| q.1)].into_iter().flatten()
        });
        let mut live = vec![false; self.regs];
        for r in roots.chain(sites) {
            match live.get_mut(r) {
                Some(l) => *l = true,
                None => return,
            }
        }
        // Every register is written once, after its operands: one pass from the end.
        let mut written = vec![false; self.regs];
        for op in self.ops.iter_mut().rev() {
            let (dst, sources) = op.regs_mut();
            if std::mem::replace(written.get_mut(*dst).unwrap_or(&mut true), true) {
                return;
            }
            if live.get(*dst) == Some(&true) {
                for r in sources {
                    if let Some(l) = live.get_mut(*r) {
                        *l = true;
                    }
                }
            }
        }
        self.ops.retain_mut(|op| live.get(*op.regs_mut().0) == Some(&true));
        let mut number = vec![usize::MAX; self.regs];
        let mut next = 0;
        for op in &mut self.ops {
            let (dst, sources) = op.regs_mut();
            for r in sources {
                *r = number.get(*r).copied().unwrap_or(usize::MAX);
            }
            if let Some(n) = number.get_mut(*dst) {
                *n = next;
            }
            *dst = next;
            next += 1;
        }
        let renumber = |r: &mut Reg| *r = number.get(*r).copied().unwrap_or(usize::MAX);
        self.score.iter_mut().chain(&mut self.assumptions).for_each(renumber);
        for (_, arg, reached, q) in &mut self.sites {
            renumber(arg);
            renumber(reached);
            if let Some((n, d)) = q {
                renumber(n);
                renumber(d);
            }
        }
        self.regs = next;
    }
}

impl Builder<'_> {
    fn reg(&mut self) -> Reg {
        self.regs += 1;
        self.regs - 1
    }

    fn emit(&mut self, f: impl FnOnce(Reg) -> Op) -> Reg {
        let dst = self.reg();
        self.ops.push(f(dst));
        if self.ops.len() > MAX_OPS {
            self.failed = true;
        }
        dst
    }

    /// `a op b` as an exact constant, when both are constants and the result has an enclosure
    /// (a division by zero is left to the operation, which flags it).
    fn fold(&mut self, c: &Code, a: Reg, b: Reg) -> Option<Reg> {
        let value = |r: Reg| self.consts.iter().find(|(k, _)| *k == r).map(|(_, n)| n);
        let (x, y) = (value(a)?, value(b)?);
        let n = match c {
            Code::Add(..) => x.add(y),
            Code::Sub(..) => x.sub(y),
            Code::Mul(..) => x.mul(y),
            _ => x.div_exact(y)?,
        };
        let v = iv::of_num(&n)?;
        let r = self.emit(|dst| Op::Const { dst, v });
        self.constant(r, n);
        Some(r)
    }

    fn is_const(&self, r: Reg) -> bool {
        self.consts.iter().any(|(k, _)| *k == r)
    }

    /// `a * k`, `k` a constant's register; `x * (c * k)` when `a` is `x * c` (the same exact
    /// value, one operation where there were two: `r / 80% * max` is `r * 7.5`).
    fn scale(&mut self, a: Reg, k: Reg) -> Reg {
        let value = |r: Reg| self.consts.iter().find(|(j, _)| *j == r).map(|(_, n)| n.clone());
        let product = self.scaled.iter().find(|(r, _, _)| *r == a).cloned().zip(value(k));
        let (x, k, c) = match product {
            Some(((_, x, c), n)) => {
                let c = c.mul(&n);
                match iv::of_num(&c) {
                    Some(v) => {
                        let k = self.emit(|dst| Op::Const { dst, v });
                        self.constant(k, c.clone());
                        (x, k, c)
                    }
                    None => (a, k, n),
                }
            }
            None => (a, k, value(k).unwrap_or_default()),
        };
        // `x * 1` is `x` (`count * 1 pt`): every value a register holds unflagged is sane, as
        // the product would be.
        if c == Num::from_i64(1) {
            return x;
        }
        let r = self.emit(|dst| Op::Mul { dst, a: x, b: k });
        if self.scaled.len() < 256 {
            self.scaled.push((r, x, c));
        }
        r
    }

    /// A register holding `1 / c` when `r` holds a constant `c` other than 0 with an enclosure.
    fn reciprocal(&mut self, r: Reg) -> Option<Reg> {
        let c = self.consts.iter().find(|(k, _)| *k == r).map(|(_, n)| n)?;
        let inverse = Num::from_i64(1).div_exact(c)?;
        let v = iv::of_num(&inverse)?;
        let inv = self.emit(|dst| Op::Const { dst, v });
        self.constant(inv, inverse);
        Some(inv)
    }

    /// Notes that `r` holds the constant `n` (up to a bound: the list is searched linearly, and
    /// a rulebook's indicator has a handful of constants).
    fn constant(&mut self, r: Reg, n: Num) {
        if self.consts.len() < 256 {
            self.consts.push((r, n));
        }
    }

    fn bad(&mut self) -> Reg {
        self.emit(|dst| Op::Bad { dst })
    }

    /// The value of the first arm whose condition holds (`None`: always), as nested selects;
    /// flagged where none does.
    fn first_arm(&mut self, conds: Vec<(Option<Reg>, Reg)>) -> Reg {
        let mut r = self.bad();
        for (cond, body) in conds.into_iter().rev() {
            r = match cond {
                None => body,
                Some(c) => {
                    let b = r;
                    self.emit(|dst| Op::Select { dst, c, a: body, b })
                }
            };
        }
        r
    }

    /// `c` as a number register (flagged where it is not a number).
    fn num(&mut self, c: &Code, params: &[(Reg, Kind)]) -> Reg {
        match self.expr(c, params) {
            (r, Kind::Num) => r,
            _ => self.bad(),
        }
    }

    fn boolean(&mut self, c: &Code, params: &[(Reg, Kind)]) -> Reg {
        match self.expr(c, params) {
            (r, Kind::Bool) => r,
            _ => self.bad(),
        }
    }

    fn expr(&mut self, c: &Code, params: &[(Reg, Kind)]) -> (Reg, Kind) {
        if self.failed {
            return (0, Kind::Other);
        }
        let num = Kind::Num;
        match c {
            Code::Const(v) => match value_iv(v) {
                Some((iv, k)) => {
                    let r = self.emit(|dst| Op::Const { dst, v: iv });
                    if let Value::Num(n) = v {
                        self.constant(r, n.clone());
                    }
                    (r, k)
                }
                None => (self.bad(), Kind::Other),
            },
            Code::Max => match self.max {
                Some(v) => {
                    let r = self.emit(|dst| Op::Const { dst, v });
                    self.constant(r, self.max_exact.clone());
                    (r, num)
                }
                None => (self.bad(), num),
            },
            Code::Fail(_) => (self.bad(), Kind::Other),
            Code::Input(k) => self.input(*k),
            Code::Let(k) => {
                if let Some(Some(r)) = self.lets.get(*k) {
                    return *r;
                }
                let ind = self.ind;
                let r = match ind.lets.get(*k) {
                    // A `let` is evaluated at the indicator's level: no parameters.
                    Some(code) => self.expr(code, &[]),
                    None => (self.bad(), Kind::Other),
                };
                if let Some(slot) = self.lets.get_mut(*k) {
                    *slot = Some(r);
                }
                r
            }
            Code::Param(k) => match params.get(*k) {
                Some(r) => *r,
                None => (self.bad(), Kind::Other),
            },
            Code::Neg(x) => {
                let a = self.num(x, params);
                (self.emit(|dst| Op::Neg { dst, a }), num)
            }
            Code::Not(x) => {
                let a = self.boolean(x, params);
                (self.emit(|dst| Op::Not { dst, a }), Kind::Bool)
            }
            Code::And(x, y) | Code::Or(x, y) => {
                let a = self.boolean(x, params);
                let b = self.boolean(y, params);
                let and = matches!(c, Code::And(..));
                (self.emit(|dst| if and { Op::And { dst, a, b } } else { Op::Or { dst, a, b } }), Kind::Bool)
            }
            Code::Cmp(op, x, y) => {
                let (a, ka) = self.expr(x, params);
                let (b, kb) = self.expr(y, params);
                let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
                // Choices compare by name, across inputs with other options: left to the exact path.
                let fine = ka == kb && matches!(ka, Kind::Num | Kind::Bool) && !(ordered && ka == Kind::Bool);
                if !fine {
                    return (self.bad(), Kind::Bool);
                }
                (self.compare(*op, a, b, y), Kind::Bool)
            }
            Code::Add(x, y) | Code::Sub(x, y) | Code::Mul(x, y) | Code::Div(x, y, _) => {
                let a = self.num(x, params);
                let b = self.num(y, params);
                if let Some(r) = self.fold(c, a, b) {
                    return (r, num);
                }
                let op = match c {
                    Code::Add(..) => |dst, a, b| Op::Add { dst, a, b },
                    Code::Sub(..) => |dst, a, b| Op::Sub { dst, a, b },
                    Code::Mul(..) => |dst, a, b| Op::Mul { dst, a, b },
                    _ => |dst, a, b| Op::Div { dst, a, b },
                };
                let r = match c {
                    // `x / c` as `x * (1/c)`, the same exact value: a product of doubles costs a
                    // fraction of a quotient's (and `/ 80%` is `* 1.25`, exactly).
                    Code::Div(..) => match self.reciprocal(b) {
                        Some(inverse) => self.scale(a, inverse),
                        None => self.emit(|dst| op(dst, a, b)),
                    },
                    Code::Mul(..) if self.is_const(b) => self.scale(a, b),
                    Code::Mul(..) if self.is_const(a) => self.scale(b, a),
                    _ => self.emit(|dst| op(dst, a, b)),
                };
                if matches!(c, Code::Div(..)) {
                    self.quotients.push((r, a, b));
                }
                (r, num)
            }
            Code::If(cond, x, y) => {
                let c = self.boolean(cond, params);
                let (a, ka) = self.expr(x, params);
                let (b, kb) = self.expr(y, params);
                if ka != kb || ka == Kind::Other {
                    return (self.bad(), Kind::Other);
                }
                (self.emit(|dst| Op::Select { dst, c, a, b }), ka)
            }
            Code::When(s, arms, _) => {
                let v = self.num(s, params);
                let mut conds = Vec::new();
                let mut kind = None;
                for (pattern, body) in arms {
                    let cond = match pattern {
                        Pattern::Else => None,
                        Pattern::Cmp(op, bound) => {
                            let b = self.num(bound, params);
                            Some(self.compare(*op, v, b, bound))
                        }
                        Pattern::Range(lo, hi) => {
                            let lo = self.num(lo, params);
                            let hi = self.num(hi, params);
                            Some(self.emit(|dst| Op::Range { dst, v, lo, hi }))
                        }
                    };
                    let (r, k) = self.expr(body, params);
                    if kind.is_some_and(|x| x != k) || k == Kind::Other {
                        return (self.bad(), Kind::Other);
                    }
                    kind = Some(k);
                    conds.push((cond, r));
                }
                let kind = kind.unwrap_or(Kind::Other);
                // No arm matched: the exact evaluator reports it.
                let r = self.first_arm(conds);
                // The scrutinee's flag counts even when an `else` arm is all there is.
                (self.emit(|dst| Op::Strict { dst, a: r, deps: vec![v] }), kind)
            }
            Code::Match(s, arms, _) => {
                let (v, kind) = self.expr(s, params);
                let options = self.choices.iter().find(|(r, _)| *r == v).map(|(_, o)| o.clone());
                let (Kind::Choice, Some(options)) = (kind, options) else {
                    return (self.bad(), Kind::Other);
                };
                // Arms in order: the first whose option is the value's (or with none) is taken.
                let mut conds = Vec::new();
                let mut body_kind = None;
                for (option, body) in arms {
                    let cond = match option {
                        None => None,
                        Some(o) => {
                            let at = options.iter().position(|x| x == o).map_or(-1.0, |k| k as f64);
                            let b = self.emit(|dst| Op::Const { dst, v: iv::point(at) });
                            Some(self.emit(|dst| Op::Cmp { dst, op: CmpOp::Eq, a: v, b }))
                        }
                    };
                    let (r, k) = self.expr(body, params);
                    if body_kind.is_some_and(|x| x != k) || k == Kind::Other || k == Kind::Choice {
                        return (self.bad(), Kind::Other);
                    }
                    body_kind = Some(k);
                    conds.push((cond, r));
                }
                let r = self.first_arm(conds);
                (self.emit(|dst| Op::Strict { dst, a: r, deps: vec![v] }), body_kind.unwrap_or(Kind::Other))
            }
            Code::MinMax(is_min, args) => {
                let mut acc: Option<Reg> = None;
                for a in args {
                    let x = self.num(a, params);
                    acc = Some(match acc {
                        None => x,
                        Some(a) if *is_min => self.emit(|dst| Op::Min { dst, a, b: x }),
                        Some(a) => self.emit(|dst| Op::Max { dst, a, b: x }),
                    });
                }
                match acc {
                    Some(r) => (r, num),
                    None => (self.bad(), num),
                }
            }
            Code::Abs(x) => {
                let a = self.num(x, params);
                (self.emit(|dst| Op::Abs { dst, a }), num)
            }
            Code::Round(x, d) => {
                let a = self.num(x, params);
                let digits = match &**d {
                    Code::Const(Value::Num(n)) => n.to_i64().and_then(|d| u32::try_from(d).ok()).filter(|d| *d <= 12),
                    _ => None,
                };
                match digits {
                    Some(digits) => (self.emit(|dst| Op::Round { dst, a, digits }), num),
                    None => (self.bad(), num),
                }
            }
            Code::Part(x) => (self.num(x, params), num),
            Code::Cohort(f, arg, site, _) => {
                let a = self.num(arg, params);
                if self.collect.is_some() {
                    // Only `reach` compiles a site while collecting.
                    self.failed = true;
                    return (self.bad(), num);
                }
                let f = CohortFn::of(f);
                (self.emit(|dst| Op::Cohort { dst, f, arg: a, site: *site }), num)
            }
            Code::Call(f, args) => {
                if self.depth >= MAX_CALL_NESTING {
                    return (self.bad(), Kind::Other);
                }
                self.calls += 1;
                let frame: Vec<(Reg, Kind)> = args.iter().map(|a| self.expr(a, params)).collect();
                let fns = self.fns;
                let Some(body) = fns.get(*f).map(|f| &f.body) else {
                    return (self.bad(), Kind::Other);
                };
                self.depth += 1;
                let (r, k) = self.expr(body, &frame);
                self.depth -= 1;
                if frame.is_empty() {
                    return (r, k);
                }
                let deps = frame.iter().map(|(r, _)| *r).collect();
                (self.emit(|dst| Op::Strict { dst, a: r, deps }), k)
            }
        }
    }

    /// `a op b`, where `b` was compiled from `bound`.
    fn compare(&mut self, op: CmpOp, a: Reg, b: Reg, bound: &Code) -> Reg {
        let quotient = self.quotients.iter().find(|(r, _, _)| *r == a).copied();
        let constant = match bound {
            Code::Const(Value::Num(x)) => x.small_parts(),
            _ => None,
        };
        match (quotient, constant) {
            (Some((_, num, den)), Some((n, d))) => self.emit(|dst| Op::CmpRatio { dst, op, a, b, num, den, n, d }),
            _ => self.emit(|dst| Op::Cmp { dst, op, a, b }),
        }
    }

    fn input(&mut self, k: usize) -> (Reg, Kind) {
        if let Some(Some(r)) = self.inputs.get(k) {
            return *r;
        }
        let slot: Option<&InputSlot> = self.ind.inputs.get(k);
        let r = match (slot, self.input_kinds.get(k).cloned().flatten()) {
            (Some(slot), Some(kind)) => {
                let default = slot.default.as_ref().map(|d| match d {
                    Ok(v) => input_value(v, &kind),
                    Err(_) => None,
                });
                let (reg_kind, options) = match &kind {
                    InputKind::Num => (Kind::Num, None),
                    InputKind::Bool => (Kind::Bool, None),
                    InputKind::Choice(options) => (Kind::Choice, Some(options.clone())),
                };
                let r = self.emit(|dst| Op::Input { dst, slot: k, kind, default });
                if let Some(options) = options {
                    self.choices.push((r, options));
                }
                (r, reg_kind)
            }
            _ => (self.bad(), Kind::Other),
        };
        if let Some(s) = self.inputs.get_mut(k) {
            *s = Some(r);
        }
        r
    }

    /// Compiles `c` for the collect phase, recording each cohort site with whether it is
    /// reached: evaluation reaches an operand when `guard` holds and the operands before it did
    /// not fail. `None` when a site sits inside a construct this does not follow.
    fn reach(&mut self, c: &Code, guard: Option<Reg>, params: &[(Reg, Kind)]) -> Option<Reg> {
        if !has_site(c) {
            return Some(self.expr(c, params).0);
        }
        let seq = |b: &mut Self, codes: &[&Code], guard: Option<Reg>| -> Option<Vec<Reg>> {
            let mut g = guard;
            let mut regs = Vec::new();
            for code in codes {
                let r = b.reach(code, g, params)?;
                g = Some(b.emit(|dst| Op::GuardOk { dst, guard: g, a: r }));
                regs.push(r);
            }
            Some(regs)
        };
        match c {
            Code::Cohort(_, arg, site, _) => {
                let a = self.reach(arg, guard, params)?;
                let reached = self.emit(|dst| Op::GuardOk { dst, guard, a });
                let quotient = self.quotients.iter().find(|(r, _, _)| *r == a).map(|(_, n, d)| (*n, *d));
                if let Some(sites) = self.collect.as_mut() {
                    sites.push((*site, a, reached, quotient));
                }
                Some(self.emit(|dst| Op::Const { dst, v: iv::point(0.0) }))
            }
            Code::Neg(x) | Code::Abs(x) | Code::Part(x) => {
                let a = self.reach(x, guard, params)?;
                Some(match c {
                    Code::Neg(_) => self.emit(|dst| Op::Neg { dst, a }),
                    Code::Abs(_) => self.emit(|dst| Op::Abs { dst, a }),
                    _ => a,
                })
            }
            Code::Add(x, y) | Code::Sub(x, y) | Code::Mul(x, y) | Code::Div(x, y, _) => {
                let regs = seq(self, &[x, y], guard)?;
                let (a, b) = (*regs.first()?, *regs.get(1)?);
                Some(match c {
                    Code::Add(..) => self.emit(|dst| Op::Add { dst, a, b }),
                    Code::Sub(..) => self.emit(|dst| Op::Sub { dst, a, b }),
                    Code::Mul(..) => self.emit(|dst| Op::Mul { dst, a, b }),
                    _ => self.emit(|dst| Op::Div { dst, a, b }),
                })
            }
            Code::MinMax(is_min, args) => {
                let codes: Vec<&Code> = args.iter().collect();
                let regs = seq(self, &codes, guard)?;
                let mut acc = *regs.first()?;
                for x in regs.into_iter().skip(1) {
                    let a = acc;
                    acc = if *is_min {
                        self.emit(|dst| Op::Min { dst, a, b: x })
                    } else {
                        self.emit(|dst| Op::Max { dst, a, b: x })
                    };
                }
                Some(acc)
            }
            Code::If(cond, x, y) => {
                let c = self.reach(cond, guard, params)?;
                let gx = self.emit(|dst| Op::GuardIf { dst, guard, c, want: true });
                let gy = self.emit(|dst| Op::GuardIf { dst, guard, c, want: false });
                let a = self.reach(x, Some(gx), params)?;
                let b = self.reach(y, Some(gy), params)?;
                Some(self.emit(|dst| Op::Select { dst, c, a, b }))
            }
            _ => None,
        }
    }
}

/// Whether evaluating `c` may reach a cohort call (not through `let`s or functions: a site in
/// a `let` makes the collect plan give up at the use, and a function cannot hold one).
fn has_site(c: &Code) -> bool {
    let mut found = false;
    c.walk(&mut |x| found |= matches!(x, Code::Cohort(..)));
    found
}

/// Whether any `let` of the indicator calls a cohort function (the collect plan then gives up).
pub(super) fn lets_have_sites(ind: &Compiled) -> bool {
    ind.lets.iter().any(has_site)
}

/// The registers of one run over a batch.
#[derive(Default)]
pub(super) struct Regs {
    lo: Vec<f64>,
    hi: Vec<f64>,
    bad: Vec<bool>,
    /// How far apart the registers lie: the lanes of the last run.
    stride: usize,
    /// Each register's error bound and largest magnitude in a bounded run (`bounded.rs`).
    #[cfg(not(target_family = "wasm"))]
    err: Vec<f64>,
    #[cfg(not(target_family = "wasm"))]
    mag: Vec<f64>,
}

/// What a plan reads: the batch's units and their data, and each site's aggregate enclosure.
pub(super) struct Input<'d> {
    pub(super) columns: &'d Columns,
    /// The column of each input slot of the indicator.
    pub(super) slots: &'d [Option<usize>],
    pub(super) start: usize,
    pub(super) len: usize,
    /// Each cohort site's aggregate, `None` when no unit reached it.
    pub(super) sites: &'d [Option<Site>],
}

/// A cohort site's aggregate as the filter reads it.
#[derive(Clone, Debug)]
pub(super) struct Site {
    /// Enclosures of the exact minimum and maximum.
    pub(super) min: Iv,
    pub(super) max: Iv,
    /// The units whose argument is exactly the minimum, and the maximum, in unit order: their
    /// `minmax` is exactly 0 or 1 (and their `relative_to_best` 1), which no enclosure of the
    /// difference could show (a tie with the extreme would go to the exact path for every unit
    /// that holds it).
    pub(super) at_min: Vec<usize>,
    pub(super) at_max: Vec<usize>,
    /// For `rank`, each unit's rank (worked out exactly in the cohort pass, which sorts the
    /// arguments anyway), by unit: 0 for a unit without one, `u32::MAX` for one met twice.
    pub(super) ranks: Vec<u32>,
}

/// The units among `units` (sorted) in the batch of `len` units from `start`.
fn units_in(units: &[usize], start: usize, len: usize) -> &[usize] {
    let first = units.partition_point(|u| *u < start);
    let end = units.partition_point(|u| *u < start + len);
    units.get(first..end).unwrap_or_default()
}

impl Site {
    /// Unit `u`'s rank, if the cohort pass gave it one.
    fn rank(&self, u: usize) -> Option<f64> {
        self.ranks.get(u).copied().filter(|r| *r != 0 && *r != u32::MAX).map(f64::from)
    }

    /// `f` of each lane's argument `x` (flags and all) into `out`, for the units from `start`:
    /// [`Self::apply`] lane by lane, the aggregate's part worked out once for the batch.
    fn apply_lanes(
        &self,
        f: CohortFn,
        x: (&[f64], &[f64], &[bool]),
        out: (&mut [f64], &mut [f64], &mut [bool]),
        start: usize,
    ) {
        let (xl, xh, xf) = x;
        let (lo, hi, bad) = out;
        let each = lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).zip(xl.iter().zip(xh).zip(xf));
        // The units of this batch among `units` (sorted), with their lane.
        let lanes =
            |units: &[usize]| units_in(units, start, xf.len()).iter().map(|u| u - start).collect::<Vec<usize>>();
        let (ones, zeros) = match f {
            CohortFn::MinMax => {
                // A range that may be 0 is a tie: the exact evaluator decides it.
                let Some(range) = iv::sub(self.max, self.min).filter(|r| r.0 > 0.0) else {
                    bad.fill(true);
                    return;
                };
                for (((lo, hi), bad), ((xl, xh), xf)) in each {
                    let (dl, dh, fine) = lane::sub(*xl, *xh, self.min.0, self.min.1);
                    let (l, h, divided) = lane::div(dl, dh, range.0, range.1);
                    (*lo, *hi, *bad) = (l, h, *xf | !(fine & divided));
                }
                (lanes(&self.at_max), lanes(&self.at_min))
            }
            CohortFn::RelativeToBest => {
                for (((lo, hi), bad), ((xl, xh), xf)) in each {
                    let (l, h, fine) = lane::div(*xl, *xh, self.max.0, self.max.1);
                    (*lo, *hi, *bad) = (l, h, *xf | !fine);
                }
                let nonzero = self.max.0 > 0.0 || self.max.1 < 0.0;
                (if nonzero { lanes(&self.at_max) } else { Vec::new() }, Vec::new())
            }
            // The browser's module leaves every rank to the exact path (it stays under its size
            // goal so).
            CohortFn::Rank if cfg!(target_family = "wasm") => {
                bad.fill(true);
                return;
            }
            CohortFn::Rank => {
                for (l, ((lo, hi), bad)) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).enumerate() {
                    let r = self.rank(start + l);
                    let x = r.unwrap_or(0.0);
                    (*lo, *hi, *bad) = (x, x, r.is_none() | xf.get(l).is_none_or(|f| *f));
                }
                return;
            }
        };
        // The units that hold an extreme are exactly 0 or 1, whatever their enclosure.
        for (units, v) in [(ones, 1.0), (zeros, 0.0)] {
            for l in units {
                if let (Some(lo), Some(hi), Some(bad), Some(f)) =
                    (lo.get_mut(l), hi.get_mut(l), bad.get_mut(l), xf.get(l))
                {
                    (*lo, *hi, *bad) = (v, v, *f);
                }
            }
        }
    }

    /// `f` of the argument `x` of unit `u`, when the enclosures decide it (the reference for
    /// [`Self::apply_lanes`]).
    #[cfg(test)]
    fn apply(&self, f: CohortFn, x: Iv, u: usize) -> Option<Iv> {
        let holds = |units: &[usize]| units.binary_search(&u).is_ok();
        match f {
            CohortFn::MinMax => {
                let range = iv::sub(self.max, self.min)?;
                if range.0 <= 0.0 {
                    return None;
                }
                if holds(&self.at_min) {
                    return Some(iv::point(0.0));
                }
                if holds(&self.at_max) {
                    return Some(iv::point(1.0));
                }
                iv::div(iv::sub(x, self.min)?, range)
            }
            CohortFn::RelativeToBest => {
                let nonzero = self.max.0 > 0.0 || self.max.1 < 0.0;
                if nonzero && holds(&self.at_max) {
                    return Some(iv::point(1.0));
                }
                iv::div(x, self.max)
            }
            CohortFn::Rank => self.rank(u).map(iv::point),
        }
    }
}

impl Regs {
    /// Register `r`'s lanes of the last run: their lower and upper bounds and flags.
    pub(super) fn lanes(&self, r: Reg) -> (&[f64], &[f64], &[bool]) {
        let at = r * self.stride..(r + 1) * self.stride;
        match (self.lo.get(at.clone()), self.hi.get(at.clone()), self.bad.get(at)) {
            (Some(lo), Some(hi), Some(bad)) => (lo, hi, bad),
            _ => (&[], &[], &[]),
        }
    }

    /// Register `r`'s value and flag for lane `l`.
    #[inline]
    pub(super) fn get(&self, r: Reg, l: usize) -> (Iv, bool) {
        let i = r * self.stride + l;
        match (self.lo.get(i), self.hi.get(i), self.bad.get(i)) {
            (Some(lo), Some(hi), Some(bad)) => ((*lo, *hi), *bad),
            _ => ((0.0, 0.0), true),
        }
    }
}

/// Splits off the destination register (always after its operands) from the ones before it.
macro_rules! dst {
    ($regs:expr, $dst:expr, $n:expr) => {{
        // Registers lie `n` apart: a batch of 63 units uses 63 lanes of each, not `LANES`.
        let at = $dst * $n;
        let (lo_before, lo_rest) = $regs.lo.split_at_mut(at);
        let (hi_before, hi_rest) = $regs.hi.split_at_mut(at);
        let (bad_before, bad_rest) = $regs.bad.split_at_mut(at);
        ((&*lo_before, &*hi_before, &*bad_before), (&mut lo_rest[..$n], &mut hi_rest[..$n], &mut bad_rest[..$n]))
    }};
}

#[inline]
fn src<'a>(before: (&'a [f64], &'a [f64], &'a [bool]), r: Reg, n: usize) -> (&'a [f64], &'a [f64], &'a [bool]) {
    let at = r * n;
    let range = at..at + n;
    match (before.0.get(range.clone()), before.1.get(range.clone()), before.2.get(range)) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => (&[], &[], &[]),
    }
}

impl Plan {
    /// Runs the plan over one batch; registers are then read with [`Regs::get`].
    pub(super) fn run(&self, input: &Input, regs: &mut Regs) {
        self.run_with(input, regs, false);
    }

    /// [`Self::run`] with one error bound a register where the plan allows it (`bounded.rs`),
    /// natively: cheaper, and the same exact values enclosed, but a lane whose value is exact (a
    /// `when` that picks `max`, a total equal to another) is no longer a point. So only the
    /// unranked sums run it; scorecards need those points for their clamp and raw score, and
    /// ranks to decide ties.
    /// The score register stays bounded where the plan ran so ([`Regs::bounded`]).
    pub(super) fn run_bounded_first(&self, input: &Input, regs: &mut Regs) {
        self.run_with(input, regs, true);
    }

    fn run_with(&self, input: &Input, regs: &mut Regs, bounded: bool) {
        let n = input.len.min(LANES);
        // Each register holds the batch's `n` lanes, so that a small cohort (63 provinces)
        // neither allocates nor runs `LANES` lanes per register.
        regs.stride = n;
        let size = self.regs.max(1) * n;
        if regs.lo.len() < size {
            regs.lo.resize(size, 0.0);
            regs.hi.resize(size, 0.0);
            regs.bad.resize(size, true);
        }
        #[cfg(not(target_family = "wasm"))]
        if bounded && self.bounded && self.run_bounded(input, regs, n) {
            return;
        }
        #[cfg(not(target_family = "wasm"))]
        regs.err.clear();
        #[cfg(target_family = "wasm")]
        let _ = bounded;
        for op in &self.ops {
            run_op(op, input, regs, n);
        }
    }
}

/// A binary numeric operation lane by lane: `f` gives each lane's enclosure and whether it
/// holds, with no branch or `Option` per lane, so the loop runs straight (and vectorises).
#[inline(always)]
fn binary(regs: &mut Regs, dst: Reg, a: Reg, b: Reg, n: usize, f: impl Fn(f64, f64, f64, f64) -> Lane) {
    let (before, (lo, hi, bad)) = dst!(regs, dst, n);
    let (alo, ahi, abad) = src(before, a, n);
    let (blo, bhi, bbad) = src(before, b, n);
    // The operands' flags are or-ed in a loop of their own: fewer streams, and of one width, in
    // each loop vectorise better.
    let lanes = lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut());
    for (((lo, hi), bad), ((al, ah), (bl, bh))) in lanes.zip(alo.iter().zip(ahi).zip(blo.iter().zip(bhi))) {
        let (l, h, fine) = f(*al, *ah, *bl, *bh);
        *lo = l;
        *hi = h;
        *bad = !fine;
    }
    for (bad, (ab, bb)) in bad.iter_mut().zip(abad.iter().zip(bbad)) {
        *bad |= *ab | *bb;
    }
}

/// Whether every lane of register `r` is a point (flagged lanes included: their bounds are
/// whatever was left there, which at worst sends the batch to the general kernel).
fn all_points(regs: &Regs, r: Reg, n: usize) -> bool {
    let at = r * n;
    match (regs.lo.get(at..at + n), regs.hi.get(at..at + n)) {
        // One pass without an early exit: the compiler vectorises it.
        (Some(lo), Some(hi)) => lo.iter().zip(hi).fold(true, |all, (l, h)| all & (l == h)),
        _ => false,
    }
}

/// A comparison lane by lane: `f` gives each lane's truth and whether the enclosures decide it.
#[inline(always)]
fn compare(regs: &mut Regs, dst: Reg, a: Reg, b: Reg, n: usize, f: impl Fn(f64, f64, f64, f64) -> (bool, bool)) {
    binary(regs, dst, a, b, n, |al, ah, bl, bh| {
        let (v, decided) = f(al, ah, bl, bh);
        let x = f64::from(u8::from(v));
        (x, x, decided)
    });
}

/// `op` lane by lane (a loop per operator: `op` is a constant inside it).
fn compare_op(regs: &mut Regs, dst: Reg, op: CmpOp, a: Reg, b: Reg, n: usize) {
    macro_rules! each {
        ($($op:ident),*) => {
            match op {
                $(CmpOp::$op => compare(regs, dst, a, b, n, |al, ah, bl, bh| lane::cmp(CmpOp::$op, al, ah, bl, bh)),)*
            }
        };
    }
    each!(Lt, Le, Gt, Ge, Eq, Ne)
}

#[inline]
fn unary(regs: &mut Regs, dst: Reg, a: Reg, n: usize, f: impl Fn(Iv) -> Option<Iv>) {
    let (before, (lo, hi, bad)) = dst!(regs, dst, n);
    let (alo, ahi, abad) = src(before, a, n);
    for (((lo, hi), bad), ((al, ah), ab)) in
        lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).zip(alo.iter().zip(ahi).zip(abad))
    {
        match f((*al, *ah)) {
            Some((l, h)) => {
                *lo = l;
                *hi = h;
                *bad = *ab;
            }
            None => *bad = true,
        }
    }
}

/// Whether lane `k` reaches the guarded code: `Some(true)` without a guard, the guard's truth
/// when it is decided, `None` when it is not.
fn guard_reached(g: Option<(&[f64], &[f64], &[bool])>, k: usize) -> Option<bool> {
    match g {
        None => Some(true),
        Some((gl, _, gb)) => match (gl.get(k), gb.get(k)) {
            (Some(v), Some(false)) => Some(*v != 0.0),
            _ => None,
        },
    }
}

fn truth(b: bool) -> Iv {
    iv::point(if b { 1.0 } else { 0.0 })
}

/// A lane's yes/no: `None` when flagged.
#[inline]
fn yes(v: Iv, bad: bool) -> Option<bool> {
    (!bad).then_some(v.0 != 0.0)
}

fn run_op(op: &Op, input: &Input, regs: &mut Regs, n: usize) {
    match op {
        Op::Const { dst, v } => {
            let (_, (lo, hi, bad)) = dst!(regs, *dst, n);
            lo.fill(v.0);
            hi.fill(v.1);
            bad.fill(false);
        }
        Op::Bad { dst } => {
            let (_, (_, _, bad)) = dst!(regs, *dst, n);
            bad.fill(true);
        }
        Op::Input { dst, slot, kind, default } => {
            let (_, (lo, hi, bad)) = dst!(regs, *dst, n);
            let column = input.slots.get(*slot).copied().flatten().and_then(|c| input.columns.at(c));
            let fallback = |l: &mut f64, h: &mut f64, b: &mut bool| match default {
                Some(Some(v)) => {
                    *l = v.0;
                    *h = v.1;
                    *b = false;
                }
                _ => *b = true,
            };
            let Some(column) = column else {
                for ((l, h), b) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()) {
                    fallback(l, h, b);
                }
                return;
            };
            let cells = column.cells(input.start, n);
            if let (Cells::Num { scale: 0, cells }, InputKind::Num) = (&cells, kind) {
                // Whole numbers (counts): exact points, without a division per cell; a batch
                // without a missing or odd cell (both beyond 2^53) in one straight loop.
                let plain =
                    cells.len() >= lo.len() && cells.iter().fold(true, |all, m| all & (m.unsigned_abs() <= 1 << 53));
                if plain {
                    for (((l, h), b), m) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).zip(cells.iter()) {
                        let x = *m as f64;
                        (*l, *h, *b) = (x, x, false);
                    }
                    return;
                }
                for (k, ((l, h), b)) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).enumerate() {
                    let m = cells.get(k).copied().unwrap_or(Cells::MISSING);
                    if m == Cells::MISSING {
                        fallback(l, h, b);
                    } else if m == Cells::ODD {
                        match column.get(input.start + k).and_then(|v| input_value(&v, kind)) {
                            Some(v) => (*l, *h, *b) = (v.0, v.1, false),
                            None => *b = true,
                        }
                    } else {
                        // Beyond 2^53 the double would round (`iv::decimal`).
                        let x = m as f64;
                        (*l, *h, *b) = (x, x, m.unsigned_abs() > 1 << 53);
                    }
                }
                return;
            }
            // Decimals over one power of ten, looked up once; the values of a column of a few
            // distinct texts (`Có`, an option) read once a batch, not once a cell (natively: the
            // browser's module stays under its size goal without it).
            let ten = match &cells {
                Cells::Num { scale, .. } => iv::pow10(*scale),
                _ => None,
            };
            // Natively, a batch of decimals without a missing or odd cell (both beyond 2^53) in
            // one straight loop, whose divisions the compiler vectorises: one at a time they
            // were a twelfth of scoring 63 DTI provinces.
            #[cfg(not(target_family = "wasm"))]
            if let (Cells::Num { cells, .. }, InputKind::Num, Some(ten)) = (&cells, kind, ten) {
                let plain =
                    cells.len() >= lo.len() && cells.iter().fold(true, |all, m| all & (m.unsigned_abs() <= 1 << 53));
                if plain {
                    for (((l, h), b), m) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).zip(cells.iter()) {
                        let (x0, x1, fine) = lane::div_points(*m as f64, ten);
                        (*l, *h, *b) = (x0, x1, !fine);
                    }
                    return;
                }
            }
            #[cfg(target_family = "wasm")]
            let table: Vec<Option<Iv>> = Vec::new();
            #[cfg(not(target_family = "wasm"))]
            let table: Vec<Option<Iv>> = match &cells {
                Cells::Symbol { symbols, .. } if symbols.len() <= SYMBOL_TABLE => {
                    symbols.iter().map(|v| input_value(v, kind)).collect()
                }
                _ => Vec::new(),
            };
            for (k, ((l, h), b)) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).enumerate() {
                let (m, symbols) = match &cells {
                    Cells::Num { cells, .. } => (cells.get(k).copied(), None),
                    Cells::Symbol { cells, symbols } => (cells.get(k).copied(), Some(*symbols)),
                    Cells::Empty => (None, None),
                };
                let m = m.unwrap_or(Cells::MISSING);
                let value = if m == Cells::MISSING {
                    fallback(l, h, b);
                    continue;
                } else if m == Cells::ODD {
                    column.get(input.start + k).and_then(|v| input_value(&v, kind))
                } else {
                    let s = usize::try_from(m).ok();
                    match (symbols, ten) {
                        (None, Some(ten)) if *kind == InputKind::Num => iv::decimal_over(m, ten),
                        (None, _) => None,
                        (Some(_), _) if !table.is_empty() => s.and_then(|s| table.get(s).copied().flatten()),
                        (Some(symbols), _) => s.and_then(|s| symbols.get(s)).and_then(|v| input_value(v, kind)),
                    }
                };
                match value {
                    Some(v) => {
                        *l = v.0;
                        *h = v.1;
                        *b = false;
                    }
                    None => *b = true,
                }
            }
        }
        Op::Neg { dst, a } => unary(regs, *dst, *a, n, |x| Some(iv::neg(x))),
        Op::Abs { dst, a } => unary(regs, *dst, *a, n, |x| Some(iv::abs(x))),
        Op::Not { dst, a } => unary(regs, *dst, *a, n, |x| Some(truth(x.0 == 0.0))),
        Op::Round { dst, a, digits } => unary(regs, *dst, *a, n, |x| iv::round_to(x, *digits)),
        Op::Add { dst, a, b } => binary(regs, *dst, *a, *b, n, lane::add),
        Op::Sub { dst, a, b } => binary(regs, *dst, *a, *b, n, lane::sub),
        // Quotients and products of exact data (counts) are the common case: a batch of points
        // takes the kernel without the interval corners.
        Op::Mul { dst, a, b } if all_points(regs, *a, n) && all_points(regs, *b, n) => {
            binary(regs, *dst, *a, *b, n, |al, _, bl, _| lane::mul_points(al, bl))
        }
        Op::Mul { dst, a, b } => binary(regs, *dst, *a, *b, n, lane::mul),
        Op::Div { dst, a, b } if all_points(regs, *a, n) && all_points(regs, *b, n) => {
            binary(regs, *dst, *a, *b, n, |al, _, bl, _| lane::div_points(al, bl))
        }
        Op::Div { dst, a, b } => binary(regs, *dst, *a, *b, n, lane::div),
        Op::Min { dst, a, b } => binary(regs, *dst, *a, *b, n, |al, ah, bl, bh| (al.min(bl), ah.min(bh), true)),
        Op::Max { dst, a, b } => binary(regs, *dst, *a, *b, n, |al, ah, bl, bh| (al.max(bl), ah.max(bh), true)),
        Op::Cmp { dst, op, a, b } => compare_op(regs, *dst, *op, *a, *b, n),
        Op::CmpRatio { dst, op, a, b, num, den, n: tn, d: td } => {
            compare_op(regs, *dst, *op, *a, *b, n);
            // Lanes the enclosures leave undecided (data exactly at the threshold), decided
            // exactly by cross-multiplying where the quotient's operands are exact integers.
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let ((_, _, af), (_, _, bf)) = (src(before, *a, n), src(before, *b, n));
            let ((pl, ph, pf), (ql, qh, qf)) = (src(before, *num, n), src(before, *den, n));
            let flags = af.iter().zip(bf).zip(pf.iter().zip(qf));
            let operands = pl.iter().zip(ph).zip(ql.iter().zip(qh));
            for (((lo, hi), bad), (((af, bf), (pf, qf)), ((p0, p1), (q0, q1)))) in
                lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).zip(flags.zip(operands))
            {
                if !*bad || *af || *bf || *pf || *qf {
                    continue;
                }
                if let Some(o) = iv::ratio_cmp((*p0, *p1), (*q0, *q1), *tn, *td) {
                    (*lo, *hi) = truth(op.holds(&o, &std::cmp::Ordering::Equal));
                    *bad = false;
                }
            }
        }
        Op::And { dst, a, b } | Op::Or { dst, a, b } => {
            // Short-circuit: `no and …` is no, `yes or …` is yes, whatever the right side.
            let stop = matches!(op, Op::Or { .. });
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let (alo, _, abad) = src(before, *a, n);
            let (blo, _, bbad) = src(before, *b, n);
            for (k, ((lo, hi), bad)) in lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).enumerate() {
                let x = match (alo.get(k), abad.get(k)) {
                    (Some(v), Some(f)) => yes((*v, *v), *f),
                    _ => None,
                };
                let (v, f) = match x {
                    None => (false, true),
                    Some(x) if x == stop => (stop, false),
                    Some(_) => match (blo.get(k), bbad.get(k)) {
                        (Some(v), Some(f)) => (*v != 0.0, *f),
                        _ => (false, true),
                    },
                };
                let t = truth(v);
                *lo = t.0;
                *hi = t.1;
                *bad = f;
            }
        }
        Op::Range { dst, v, lo: l, hi: h } => {
            // Both bounds are evaluated before comparing: a failing bound fails the arm.
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let (vl, vh, vb) = src(before, *v, n);
            let (ll, lh, lb) = src(before, *l, n);
            let (hl, hh, hb) = src(before, *h, n);
            for k in 0..n {
                let get = |a: &[f64], b: &[f64], f: &[bool]| match (a.get(k), b.get(k), f.get(k)) {
                    (Some(x), Some(y), Some(f)) => ((*x, *y), *f),
                    _ => ((0.0, 0.0), true),
                };
                let ((x, xf), (lo_v, lf), (hi_v, hf)) = (get(vl, vh, vb), get(ll, lh, lb), get(hl, hh, hb));
                let r = match (iv::cmp(CmpOp::Le, lo_v, x), iv::cmp(CmpOp::Le, x, hi_v)) {
                    (Some(a), Some(b)) if !(xf || lf || hf) => Some(a && b),
                    _ => None,
                };
                if let (Some(lo), Some(hi), Some(bad)) = (lo.get_mut(k), hi.get_mut(k), bad.get_mut(k)) {
                    match r {
                        Some(r) => {
                            (*lo, *hi) = truth(r);
                            *bad = false;
                        }
                        None => *bad = true,
                    }
                }
            }
        }
        Op::Select { dst, c, a, b } => {
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let (cl, _, cf) = src(before, *c, n);
            let (al, ah, af) = src(before, *a, n);
            let (bl, bh, bf) = src(before, *b, n);
            let from = cl.iter().zip(cf).zip(al.iter().zip(ah).zip(af).zip(bl.iter().zip(bh).zip(bf)));
            for (((lo, hi), bad), ((c, cf), (((al, ah), af), ((bl, bh), bf)))) in
                lo.iter_mut().zip(hi.iter_mut()).zip(bad.iter_mut()).zip(from)
            {
                // Both sides were computed; a flagged condition flags the lane whichever is taken.
                let pick = *c != 0.0;
                *lo = if pick { *al } else { *bl };
                *hi = if pick { *ah } else { *bh };
                *bad = *cf | if pick { *af } else { *bf };
            }
        }
        Op::Strict { dst, a, deps } => {
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let (al, ah, ab) = src(before, *a, n);
            lo.copy_from_slice(al.get(..n).unwrap_or_default());
            hi.copy_from_slice(ah.get(..n).unwrap_or_default());
            bad.copy_from_slice(ab.get(..n).unwrap_or_default());
            for d in deps {
                let (_, _, db) = src(before, *d, n);
                for (b, d) in bad.iter_mut().zip(db) {
                    *b |= *d;
                }
            }
        }
        Op::Cohort { dst, f, arg, site } => {
            let agg = input.sites.get(*site).and_then(Option::as_ref);
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let x = src(before, *arg, n);
            match agg {
                Some(agg) => agg.apply_lanes(*f, x, (lo, hi, bad), input.start),
                None => bad.fill(true),
            }
        }
        Op::GuardOk { dst, guard, a } => {
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let (_, _, ab) = src(before, *a, n);
            let g = guard.map(|g| src(before, g, n));
            for k in 0..n {
                let reached = guard_reached(g, k);
                let r = match reached {
                    Some(false) => Some(false),
                    Some(true) if ab.get(k) == Some(&false) => Some(true),
                    _ => None,
                };
                if let (Some(lo), Some(hi), Some(bad)) = (lo.get_mut(k), hi.get_mut(k), bad.get_mut(k)) {
                    (*lo, *hi) = truth(r.unwrap_or(false));
                    *bad = r.is_none();
                }
            }
        }
        Op::GuardIf { dst, guard, c, want } => {
            let (before, (lo, hi, bad)) = dst!(regs, *dst, n);
            let (cl, _, cb) = src(before, *c, n);
            let g = guard.map(|g| src(before, g, n));
            for k in 0..n {
                let reached = guard_reached(g, k);
                let r = match reached {
                    Some(false) => Some(false),
                    Some(true) => match (cl.get(k), cb.get(k)) {
                        (Some(v), Some(false)) => Some((*v != 0.0) == *want),
                        _ => None,
                    },
                    None => None,
                };
                if let (Some(lo), Some(hi), Some(bad)) = (lo.get_mut(k), hi.get_mut(k), bad.get_mut(k)) {
                    (*lo, *hi) = truth(r.unwrap_or(false));
                    *bad = r.is_none();
                }
            }
        }
    }
}

#[cfg(not(target_family = "wasm"))]
mod bounded;
#[cfg(not(target_family = "wasm"))]
pub(super) use bounded::{widened, widened_sum};

#[cfg(test)]
mod tests {
    use super::*;

    /// A cohort function over a batch gives, lane by lane, what it gives one unit at a time:
    /// the extremes' units exactly 0 or 1, ties and flagged arguments flagged.
    #[test]
    fn cohort_lanes_are_the_one_unit_function() {
        let third = iv::div(iv::point(1.0), iv::point(3.0)).unwrap_or_default();
        let sites = [
            Site { min: iv::point(0.25), max: third, at_min: vec![3, 7, 600], at_max: vec![5, 9], ranks: vec![] },
            Site {
                min: iv::point(-2.0),
                max: iv::point(4.0),
                at_min: vec![1],
                at_max: vec![2, 515],
                ranks: (0..600).map(|u| u % 9).collect(),
            },
            // A tie, and a maximum that may be 0.
            Site { min: iv::point(1.0), max: iv::point(1.0), at_min: vec![0], at_max: vec![0], ranks: vec![1; 3] },
            Site { min: (-1e-3, 0.0), max: (-1e-300, 1e-300), at_min: vec![4], at_max: vec![6], ranks: vec![] },
        ];
        let xs: Vec<Iv> = (0..40)
            .map(|k| match k % 5 {
                0 => iv::point(k as f64 / 8.0),
                1 => iv::div(iv::point(k as f64), iv::point(7.0)).unwrap_or_default(),
                2 => (-1.0, 1.0),
                3 => iv::point(-(k as f64)),
                _ => third,
            })
            .collect();
        let flags: Vec<bool> = (0..40).map(|k| k % 7 == 3).collect();
        for site in &sites {
            for f in [CohortFn::MinMax, CohortFn::RelativeToBest, CohortFn::Rank] {
                for start in [0, 1, 500] {
                    let (xl, xh): (Vec<f64>, Vec<f64>) = xs.iter().copied().unzip();
                    let (mut lo, mut hi, mut bad) = (vec![0.0; 40], vec![0.0; 40], vec![false; 40]);
                    site.apply_lanes(f, (&xl, &xh, &flags), (&mut lo, &mut hi, &mut bad), start);
                    for l in 0..40 {
                        let want = site.apply(f, xs[l], start + l);
                        let got = (!bad[l]).then_some((lo[l], hi[l]));
                        let want = want.filter(|_| !flags[l]);
                        assert_eq!(got, want, "{f:?} at unit {} of {site:?}", start + l);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod prune_tests {

    /// Division by a constant is a product (`r / 80% * max` is `r * 7.5`), and `x * 1` is `x`:
    /// the peers' capped and count indicators run one quotient and one product, and none.
    #[test]
    fn constant_factors_are_folded() {
        let parse = crate::parse(include_str!("../../../bench/peers-workload.chiso"));
        let checked = crate::check(&parse);
        let lowered = crate::sema::Lowered::lower(&parse.file, &checked.env);
        let program = super::super::compile(&lowered);
        let plans = program.plans();
        type Is = fn(&super::Op) -> bool;
        let count = |k: usize, f: Is| {
            plans.score.get(k).and_then(Option::as_ref).map(|p| p.ops.iter().filter(|o| f(o)).count())
        };
        let div: Is = |o| matches!(o, super::Op::Div { .. });
        let mul: Is = |o| matches!(o, super::Op::Mul { .. });
        // 1.2: capped at 80%; 2.3: at 90% (a product by the interval around 50/9); 1.5: a count.
        assert_eq!((count(1, div), count(1, mul)), (Some(1), Some(1)));
        assert_eq!((count(7, div), count(7, mul)), (Some(1), Some(1)));
        assert_eq!(count(4, mul), Some(0));
    }

    /// After pruning, every operation of every plan of the DTI 2022 rulebook and of the peers'
    /// workload writes a register that a later operation, the score, an assumption or a site
    /// reads; and registers are numbered in order (each written once, after its operands).
    #[test]
    fn plans_keep_only_what_is_read() {
        let texts = [
            include_str!("../../../examples/dti-2022/dti-2022.chiso"),
            include_str!("../../../bench/peers-workload.chiso"),
        ];
        let mut pruned = 0;
        for text in texts {
            let parse = crate::parse(text);
            let checked = crate::check(&parse);
            let lowered = crate::sema::Lowered::lower(&parse.file, &checked.env);
            let program = super::super::compile(&lowered);
            let plans = program.plans();
            for plan in plans.score.iter().chain(&plans.collect).flatten() {
                let mut plan = plan.clone();
                let mut read = vec![false; plan.regs];
                let roots = plan.score.iter().chain(&plan.assumptions).copied();
                let sites = plan
                    .sites
                    .iter()
                    .flat_map(|(_, a, r, q)| [*a, *r].into_iter().chain(q.map(|q| [q.0, q.1]).into_iter().flatten()));
                for r in roots.chain(sites) {
                    read[r] = true;
                }
                for (k, op) in plan.ops.iter_mut().enumerate() {
                    let (dst, sources) = op.regs_mut();
                    assert_eq!(*dst, k, "registers in order");
                    for r in sources {
                        assert!(*r < k, "an operand after its use");
                        read[*r] = true;
                    }
                }
                assert!(read.iter().all(|r| *r), "a dead operation: {:?}", plan.ops);
                pruned += plan.ops.len();
            }
        }
        assert!(pruned > 100);
    }
}
