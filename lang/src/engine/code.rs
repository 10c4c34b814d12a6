//! The compiled form of one indicator's expressions, and the compiler from the syntax tree.
//!
//! Names are resolved once, here, the way the tree-walker resolves them at every evaluation
//! (`eval/expr.rs`, `IndicatorEval::name`): inside a function body a parameter or else a choice
//! option; elsewhere the indicator's first `let` of that name, else its first input of that name,
//! else a choice option. Constant pieces (literals, `default`s, the text of an `assume`, the
//! names a division-by-zero message lists) are worked out here too, so a unit's evaluation does no
//! string work unless it has to report something.

use crate::map::VecMap;

use crate::diag::Span;
use crate::eval::expr::literal_value;
use crate::eval::{short, CohortKey, EvalError, Value};
use crate::sema::Env;
use crate::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, UnOp, WhenPattern};

/// A compiled expression.
#[derive(Clone, Debug)]
pub(super) enum Code {
    /// A literal, or a name that is a choice option.
    Const(Value),
    /// The indicator's max points.
    Max,
    /// Evaluation stops with this error (`total` outside the index, a syntax error, an unknown
    /// function, a missing argument).
    Fail(EvalError),
    /// The indicator's input in this slot.
    Input(usize),
    /// The indicator's `let` in this slot.
    Let(usize),
    /// The current function's parameter in this position.
    Param(usize),
    Neg(Box<Code>),
    Not(Box<Code>),
    And(Box<Code>, Box<Code>),
    Or(Box<Code>, Box<Code>),
    Cmp(CmpOp, Box<Code>, Box<Code>),
    Add(Box<Code>, Box<Code>),
    Sub(Box<Code>, Box<Code>),
    Mul(Box<Code>, Box<Code>),
    Div(Box<Code>, Box<Code>, Box<DivInfo>),
    If(Box<Code>, Box<Code>, Box<Code>),
    When(Box<Code>, Vec<(Pattern, Code)>, Span),
    Match(Box<Code>, Vec<(Option<String>, Code)>, Span),
    /// `min(…)` (true) or `max(…)` (false).
    MinMax(bool, Vec<Code>),
    Abs(Box<Code>),
    Round(Box<Code>, Box<Code>),
    /// `part("label", x)`: the value of `x` (the label only explains).
    Part(Box<Code>),
    /// A cohort function: its name, its argument, the call's index in the program's sites, the
    /// call's span.
    Cohort(&'static str, Box<Code>, usize, Span),
    /// A call of a user function: its index in the program's function table, its arguments.
    Call(usize, Vec<Code>),
}

/// The pattern of a `when` arm.
#[derive(Clone, Debug)]
pub(super) enum Pattern {
    Cmp(CmpOp, Code),
    Range(Code, Code),
    Else,
}

/// What a division by zero reports: the divisor as written and the names it mentions.
#[derive(Clone, Debug)]
pub(super) struct DivInfo {
    pub(super) span: Span,
    pub(super) divisor: String,
    pub(super) names: Vec<String>,
}

/// One input of an indicator, as the tree-walker reads it.
#[derive(Clone, Debug)]
pub(super) struct InputSlot {
    pub(super) name: String,
    pub(super) description: Option<String>,
    /// The declared `default`, when there is one (an unreadable default is an error, raised only
    /// when the default is needed).
    pub(super) default: Option<Result<Value, EvalError>>,
}

/// A user function compiled for calls with a given number of arguments (a call with fewer
/// arguments than parameters leaves the rest unbound, so they read as choice options).
#[derive(Clone, Debug)]
pub(super) struct FnCode {
    pub(super) body: Code,
}

/// The user functions compiled so far, shared by every indicator of a program.
#[derive(Default)]
pub(super) struct FnTable {
    pub(super) code: Vec<FnCode>,
    index: VecMap<(String, usize), usize>,
}

/// The cohort call sites of a program.
#[derive(Default)]
pub(super) struct Sites {
    pub(super) keys: Vec<CohortKey>,
}

/// An indicator's expressions, compiled.
#[derive(Clone, Debug)]
pub(super) struct Compiled {
    pub(super) inputs: Vec<InputSlot>,
    pub(super) lets: Vec<Code>,
    pub(super) score: Option<Code>,
    /// Each `assume`, compiled, with its text.
    pub(super) assumptions: Vec<(Code, String)>,
}

/// Why an indicator is left to the tree-walker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unsupported {
    /// A function it calls (directly or not) calls a cohort function; the checker refuses that.
    CohortInFunction,
    /// Its `let`s refer to each other in a cycle; the checker refuses that too.
    LetCycle,
}

struct Scope<'f> {
    /// `None` at the indicator's level; the parameters bound by the call inside a function body.
    params: Option<&'f [ast::Name]>,
}

pub(super) struct Compiler<'a, 't> {
    env: &'a Env,
    ind: &'a ast::Indicator,
    fns: &'t mut FnTable,
    sites: &'t mut Sites,
    cohort_fns: &'t crate::map::VecSet<String>,
    unsupported: Option<Unsupported>,
}

/// The user functions whose body calls a cohort function, directly or through other functions.
pub(super) fn functions_with_cohort_calls(env: &Env) -> crate::map::VecSet<String> {
    let mut found = crate::map::VecSet::new();
    loop {
        let mut changed = false;
        for (name, f) in &env.fns {
            if found.contains(name) {
                continue;
            }
            let mut hit = false;
            f.body.walk(&mut |e| {
                if let ExprKind::Call { callee, .. } = &e.kind {
                    if crate::sema::infer::is_cohort_fn(&callee.text) || found.contains(&callee.text) {
                        hit = true;
                    }
                }
            });
            if hit {
                found.insert(name.clone());
                changed = true;
            }
        }
        if !changed {
            return found;
        }
    }
}

impl<'a, 't> Compiler<'a, 't> {
    pub(super) fn new(
        env: &'a Env,
        ind: &'a ast::Indicator,
        fns: &'t mut FnTable,
        sites: &'t mut Sites,
        cohort_fns: &'t crate::map::VecSet<String>,
    ) -> Self {
        Compiler { env, ind, fns, sites, cohort_fns, unsupported: None }
    }

    /// The indicator compiled, or why it is left to the tree-walker.
    pub(super) fn indicator(mut self) -> Result<Compiled, Unsupported> {
        let ind = self.ind;
        if let_cycle(ind) {
            return Err(Unsupported::LetCycle);
        }
        let inputs = ind
            .inputs()
            .map(|i| InputSlot {
                name: i.name.text.clone(),
                description: i.description.as_ref().map(|d| d.value.clone()),
                default: i.modifiers.iter().find_map(|m| match m {
                    ast::InputModifier::Default(e) => {
                        Some(literal_value(e).ok_or_else(|| EvalError::Type("bad default".into())))
                    }
                    _ => None,
                }),
            })
            .collect();
        let top = Scope { params: None };
        let lets = ind.lets().map(|(_, e)| self.expr(e, &top)).collect();
        let score = ind.score().map(|e| self.expr(e, &top));
        let assumptions = ind.assumptions().map(|a| (self.expr(a, &top), crate::syntax::expr_to_string(a))).collect();
        match self.unsupported {
            Some(why) => Err(why),
            None => Ok(Compiled { inputs, lets, score, assumptions }),
        }
    }

    fn boxed(&mut self, e: &Expr, scope: &Scope) -> Box<Code> {
        Box::new(self.expr(e, scope))
    }

    fn expr(&mut self, e: &Expr, scope: &Scope) -> Code {
        match &e.kind {
            ExprKind::Number { value, .. } => Code::Const(Value::Num(value.clone())),
            ExprKind::Str(s) => Code::Const(Value::Text(s.clone())),
            ExprKind::Bool(b) => Code::Const(Value::Bool(*b)),
            ExprKind::Max => Code::Max,
            ExprKind::Total => Code::Fail(EvalError::Type("`total` outside the index".into())),
            ExprKind::Error => Code::Fail(EvalError::Type("the rule has a syntax error here".into())),
            ExprKind::Paren(inner) => self.expr(inner, scope),
            ExprKind::Name(n) => self.name(n, scope),
            ExprKind::Unary(UnOp::Neg, inner) => Code::Neg(self.boxed(inner, scope)),
            ExprKind::Unary(UnOp::Not, inner) => Code::Not(self.boxed(inner, scope)),
            ExprKind::Binary(op, a, b) => {
                let (x, y) = (self.boxed(a, scope), self.boxed(b, scope));
                match op {
                    BinOp::And => Code::And(x, y),
                    BinOp::Or => Code::Or(x, y),
                    BinOp::Cmp(c) => Code::Cmp(*c, x, y),
                    BinOp::Add => Code::Add(x, y),
                    BinOp::Sub => Code::Sub(x, y),
                    BinOp::Mul => Code::Mul(x, y),
                    BinOp::Div => {
                        let mut names: Vec<String> = Vec::new();
                        b.walk(&mut |x| {
                            if let ExprKind::Name(n) = &x.kind {
                                if !names.contains(n) {
                                    names.push(n.clone());
                                }
                            }
                        });
                        Code::Div(x, y, Box::new(DivInfo { span: e.span, divisor: short(b), names }))
                    }
                }
            }
            ExprKind::If(c, a, b) => Code::If(self.boxed(c, scope), self.boxed(a, scope), self.boxed(b, scope)),
            ExprKind::When { scrutinee, arms } => {
                let s = self.boxed(scrutinee, scope);
                let arms = arms
                    .iter()
                    .map(|arm| {
                        let pattern = match &arm.pattern {
                            WhenPattern::Else => Pattern::Else,
                            WhenPattern::Cmp(op, b) => Pattern::Cmp(*op, self.expr(b, scope)),
                            WhenPattern::Range(lo, hi) => Pattern::Range(self.expr(lo, scope), self.expr(hi, scope)),
                        };
                        (pattern, self.expr(&arm.body, scope))
                    })
                    .collect();
                Code::When(s, arms, e.span)
            }
            ExprKind::Match { scrutinee, arms } => {
                let s = self.boxed(scrutinee, scope);
                let arms = arms
                    .iter()
                    .map(|arm| (arm.option.as_ref().map(|o| o.text.clone()), self.expr(&arm.body, scope)))
                    .collect();
                Code::Match(s, arms, e.span)
            }
            ExprKind::Call { callee, args } => self.call(e, callee, args, scope),
        }
    }

    fn name(&mut self, n: &str, scope: &Scope) -> Code {
        if let Some(params) = scope.params {
            // The frame is a map filled in parameter order: the last parameter of a name wins.
            return match params.iter().rposition(|p| p.text == n) {
                Some(k) => Code::Param(k),
                None => Code::Const(Value::Choice(n.to_string())),
            };
        }
        if let Some(k) = self.ind.lets().position(|(name, _)| name.text == n) {
            return Code::Let(k);
        }
        if let Some(k) = self.ind.inputs().position(|i| i.name.text == n) {
            return Code::Input(k);
        }
        Code::Const(Value::Choice(n.to_string()))
    }

    /// The argument at `i`, or the error the tree-walker raises where it looks for it.
    fn arg(&mut self, args: &[Expr], i: usize, scope: &Scope) -> Code {
        match args.get(i) {
            Some(a) => self.expr(a, scope),
            None => Code::Fail(EvalError::Type("missing argument".into())),
        }
    }

    fn call(&mut self, e: &Expr, callee: &ast::Name, args: &[Expr], scope: &Scope) -> Code {
        let name = callee.text.as_str();
        match name {
            "min" | "max" => Code::MinMax(name == "min", args.iter().map(|a| self.expr(a, scope)).collect()),
            "abs" => Code::Abs(Box::new(self.arg(args, 0, scope))),
            "round" => Code::Round(Box::new(self.arg(args, 0, scope)), Box::new(self.arg(args, 1, scope))),
            "part" => {
                if args.is_empty() {
                    Code::Fail(EvalError::Type("missing argument".into()))
                } else {
                    Code::Part(Box::new(self.arg(args, 1, scope)))
                }
            }
            "minmax" | "relative_to_best" | "rank" => {
                if scope.params.is_some() {
                    self.unsupported = Some(Unsupported::CohortInFunction);
                }
                let function = match name {
                    "minmax" => "minmax",
                    "relative_to_best" => "relative_to_best",
                    _ => "rank",
                };
                let arg = Box::new(self.arg(args, 0, scope));
                let key = CohortKey { indicator: self.ind.id.text.clone(), call: e.span };
                let site = match self.sites.keys.iter().position(|k| *k == key) {
                    Some(k) => k,
                    None => {
                        self.sites.keys.push(key);
                        self.sites.keys.len() - 1
                    }
                };
                Code::Cohort(function, arg, site, e.span)
            }
            _ => {
                let Some(f) = self.env.fns.get(name) else {
                    return Code::Fail(EvalError::Type(format!("unknown function `{name}`")));
                };
                if self.cohort_fns.contains(name) {
                    self.unsupported = Some(Unsupported::CohortInFunction);
                }
                // Only the arguments paired with a parameter are evaluated, as in the tree-walker.
                let bound = f.params.len().min(args.len());
                let compiled_args = args.iter().take(bound).map(|a| self.expr(a, scope)).collect();
                let key = (name.to_string(), bound);
                let index = match self.fns.index.get(&key) {
                    Some(k) => *k,
                    None => {
                        // Reserve the slot first: a recursive function (refused by the checker,
                        // stopped at run time by the nesting limit) refers to itself.
                        let k = self.fns.code.len();
                        self.fns.code.push(FnCode { body: Code::Fail(EvalError::TooDeep) });
                        self.fns.index.insert(key, k);
                        let inner = Scope { params: f.params.get(..bound) };
                        let body = self.expr(&f.body, &inner);
                        if let Some(slot) = self.fns.code.get_mut(k) {
                            slot.body = body;
                        }
                        k
                    }
                };
                Code::Call(index, compiled_args)
            }
        }
    }
}

/// Whether some `let` of the indicator depends on itself.
fn let_cycle(ind: &ast::Indicator) -> bool {
    let lets: Vec<(&ast::Name, &Expr)> = ind.lets().collect();
    // deps[k]: the lets that let k names (the first let of each name, as names resolve).
    let deps: Vec<Vec<usize>> = lets
        .iter()
        .map(|(_, e)| {
            let mut d = Vec::new();
            e.walk(&mut |x| {
                if let ExprKind::Name(n) = &x.kind {
                    if let Some(k) = lets.iter().position(|(name, _)| name.text == *n) {
                        d.push(k);
                    }
                }
            });
            d
        })
        .collect();
    // Colours: 0 unvisited, 1 on the path, 2 done. Iterative, so no depth limit matters.
    let mut colour = vec![0u8; lets.len()];
    for start in 0..lets.len() {
        if colour.get(start) != Some(&0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(c) = colour.get_mut(start) {
            *c = 1;
        }
        while let Some((node, next)) = stack.pop() {
            match deps.get(node).and_then(|d| d.get(next)) {
                Some(&dep) => {
                    stack.push((node, next + 1));
                    match colour.get(dep) {
                        Some(1) => return true,
                        Some(0) => {
                            if let Some(c) = colour.get_mut(dep) {
                                *c = 1;
                            }
                            stack.push((dep, 0));
                        }
                        _ => {}
                    }
                }
                None => {
                    if let Some(c) = colour.get_mut(node) {
                        *c = 2;
                    }
                }
            }
        }
    }
    false
}

impl Code {
    /// Calls `f` on this code and every code inside it (not into called functions' bodies).
    pub(super) fn walk(&self, f: &mut dyn FnMut(&Code)) {
        f(self);
        match self {
            Code::Const(_) | Code::Max | Code::Fail(_) | Code::Input(_) | Code::Let(_) | Code::Param(_) => {}
            Code::Neg(x) | Code::Not(x) | Code::Abs(x) | Code::Part(x) | Code::Cohort(_, x, _, _) => x.walk(f),
            Code::And(a, b)
            | Code::Or(a, b)
            | Code::Cmp(_, a, b)
            | Code::Add(a, b)
            | Code::Sub(a, b)
            | Code::Mul(a, b)
            | Code::Div(a, b, _)
            | Code::Round(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Code::If(c, a, b) => {
                c.walk(f);
                a.walk(f);
                b.walk(f);
            }
            Code::When(s, arms, _) => {
                s.walk(f);
                for (p, body) in arms {
                    match p {
                        Pattern::Cmp(_, b) => b.walk(f),
                        Pattern::Range(lo, hi) => {
                            lo.walk(f);
                            hi.walk(f);
                        }
                        Pattern::Else => {}
                    }
                    body.walk(f);
                }
            }
            Code::Match(s, arms, _) => {
                s.walk(f);
                arms.iter().for_each(|(_, b)| b.walk(f));
            }
            Code::MinMax(_, args) | Code::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
        }
    }
}
