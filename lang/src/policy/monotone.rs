//! Monotonicity: whether the score moves the right way when one input grows (more is better,
//! `lower_is_better`, `neutral`); W0506 when it may not, confirmed by the witness search.

use super::*;

/// How the score moves when one input grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mono {
    Const,
    Up,
    Down,
    Unknown,
}

impl Mono {
    pub(super) fn flip(self) -> Mono {
        match self {
            Mono::Up => Mono::Down,
            Mono::Down => Mono::Up,
            m => m,
        }
    }
    pub(super) fn join(self, o: Mono) -> Mono {
        match (self, o) {
            (Mono::Const, m) | (m, Mono::Const) => m,
            (a, b) if a == b => a,
            _ => Mono::Unknown,
        }
    }
    pub(super) fn compose(outer: Mono, inner: Mono) -> Mono {
        match (outer, inner) {
            (Mono::Const, _) | (_, Mono::Const) => Mono::Const,
            (Mono::Up, m) => m,
            (Mono::Down, m) => m.flip(),
            _ => Mono::Unknown,
        }
    }
}

impl<'a> Analyzer<'a> {
    /// The value of `e` when `name` is `v`, if that is a single number.
    pub(super) fn value_at(&mut self, e: &Expr, name: Option<&str>, v: &Num) -> Option<Num> {
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

    pub(super) fn depends_on(&mut self, e: &Expr, name: &str) -> bool {
        self.mono(e, name) != Mono::Const
    }

    pub(super) fn integral(&self, e: &Expr) -> bool {
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
    pub(super) fn mono(&mut self, e: &Expr, x: &str) -> Mono {
        self.steps += 1;
        if self.depth > 64 || self.gave_up() {
            return Mono::Unknown;
        }
        self.depth += 1;
        let m = self.mono_inner(e, x);
        self.depth -= 1;
        m
    }

    pub(super) fn mono_inner(&mut self, e: &Expr, x: &str) -> Mono {
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
                    let frame = FromIterator::from_iter(
                        f.params.iter().zip(ranges).map(|(p, r)| (p.text.clone(), Var::Param(r))),
                    );
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
    pub(super) fn when_mono(&mut self, scrutinee: &Expr, arms: &[ast::WhenArm], x: &str) -> Mono {
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
}
