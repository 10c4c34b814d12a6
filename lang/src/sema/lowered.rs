//! The lowered rulebook: a checked file's tree and symbol table, with the decisions the checker
//! made about the tree applied once, so the phases after it (the interpreter, plans, `test`
//! blocks, the agency view) walk a list instead of re-walking the tree and re-deciding.
//!
//! The decisions: an id declared twice is reported once (E0203, E0204) and only its first
//! declaration counts; indicators are listed with their sub-indicators, in source order; the
//! rulebook's `index` is found once.

use crate::map::VecSet;

use super::env::{for_each_indicator, Env};
use crate::syntax::ast::{self, Item};

/// A checked file, lowered for the phases after the checker. Borrowed from the tree and the
/// symbol table; cheap to build (one walk of the items).
#[derive(Clone, Debug)]
pub struct Lowered<'a> {
    /// The tree (for what the lowering does not cover: comments, `test` blocks, spans).
    pub file: &'a ast::File,
    /// The symbol table.
    pub env: &'a Env,
    /// Every indicator that counts, sub-indicators included, in source order: the first
    /// declaration of each id.
    pub indicators: Vec<&'a ast::Indicator>,
    /// Every planning item that counts, in source order: the first declaration of each id (items
    /// without an id, such as schedules, always count).
    pub planning: Vec<&'a ast::PlanningItem>,
    /// The rulebook's `index` expression, if it declares one.
    pub index: Option<&'a ast::Expr>,
}

impl<'a> Lowered<'a> {
    /// Lowers a checked file.
    pub fn lower(file: &'a ast::File, env: &'a Env) -> Lowered<'a> {
        let mut indicators = Vec::new();
        let mut seen = VecSet::new();
        for_each_indicator(file, &mut |i| {
            if seen.insert(i.id.text.as_str()) {
                indicators.push(i);
            }
        });
        let mut planning = Vec::new();
        let mut seen = VecSet::new();
        for item in &file.items {
            if let Item::Planning(p) = item {
                if !p.kind.has_id() || seen.insert(p.id_text()) {
                    planning.push(p);
                }
            }
        }
        let index = file.items.iter().find_map(|i| match i {
            Item::Rulebook(r) => r.props.iter().find_map(|p| match p {
                ast::RulebookProp::Index(e) => Some(e),
                _ => None,
            }),
            _ => None,
        });
        Lowered { file, env, indicators, planning, index }
    }
}
