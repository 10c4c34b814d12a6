//! Bands: the arms of a `when` compared as sets of values, swept along the axis: overlaps with
//! different results, gaps, unreachable arms (W0501–W0503), and the boundaries where a banded
//! score jumps next to a sloped arm (W0507).

use super::*;

/// The arms of a `when` as sets: each arm's condition (`None` when its bounds are not constants)
/// and its first-match region within the scrutinee's domain.
#[derive(Clone)]
pub(super) struct Arms {
    pub(super) conds: Vec<Option<Set>>,
    pub(super) regions: Vec<Option<Set>>,
    pub(super) covered: Set,
    pub(super) domain: Set,
    pub(super) integral: bool,
}

/// The non-empty pieces of the arms' regions, with their arm index, in order along the axis.
pub(super) fn ordered_pieces(regions: &[Option<Set>], integral: bool) -> Vec<(usize, crate::sema::range::Piece)> {
    let mut pieces: Vec<(usize, crate::sema::range::Piece)> = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        if let Some(r) = r {
            pieces.extend(r.nonempty_pieces(integral).into_iter().map(|p| (i, p)));
        }
    }
    crate::sort::sort_by(&mut pieces, |(_, a), (_, b)| match (&a.lo, &b.lo) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.value.cmp(&y.value).then(y.closed.cmp(&x.closed)),
    });
    pieces
}

impl<'a> Analyzer<'a> {
    /// The arms of a `when` as sets of scrutinee values. In the indicator's own scope (not inside
    /// a function or a narrowed arm) they do not change, so the bounds and the monotonicity
    /// analyses share one computation.
    pub(super) fn arm_sets(&mut self, scrutinee: &Expr, arms: &[ast::WhenArm]) -> Arms {
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

    pub(super) fn compute_arm_sets(&mut self, scrutinee: &Expr, arms: &[ast::WhenArm]) -> Arms {
        let domain = Set::of_range(&self.range(scrutinee));
        let integral = self.integral(scrutinee);
        let mut conds = Vec::new();
        let mut regions = Vec::new();
        let mut covered = crate::sema::range::Cover::new();
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
    pub(super) fn boundaries(&self, regions: &[Option<Set>], integral: bool) -> Vec<(Num, usize, usize)> {
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
}
