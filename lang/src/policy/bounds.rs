//! Bounds: the range of every expression by interval arithmetic over exact rationals, refined
//! inside `when` arms, following `let`s and function bodies (W0504 and W0505 start here when the
//! range leaves [0, max]; the witness search in `search.rs` confirms them).

use super::*;

impl<'a> Analyzer<'a> {
    /// The range of values `e` can take.
    pub(super) fn range(&mut self, e: &Expr) -> Range {
        self.steps += 1;
        if self.depth > 64 || self.gave_up() {
            return Range::any();
        }
        self.depth += 1;
        let r = self.range_inner(e);
        self.depth -= 1;
        r
    }

    pub(super) fn range_inner(&mut self, e: &Expr) -> Range {
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

    pub(super) fn call_range(&mut self, e: &Expr, callee: &ast::Name, args: &[Expr]) -> Range {
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
                let frame =
                    FromIterator::from_iter(f.params.iter().zip(ranges).map(|(p, r)| (p.text.clone(), Var::Param(r))));
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
    pub(super) fn when_range(&mut self, e: &Expr, scrutinee: &Expr, arms: &[ast::WhenArm]) -> Range {
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
            let Some(pairs) = crate::sema::range::partial_overlap_candidates(&conds, budget) else {
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
}
