//! The symbol table of a rulebook: what each declaration makes visible to the others.
//!
//! Built from the item headers only (ids, max, inputs and their types, pillar membership), so an
//! edit inside one indicator's score leaves the table unchanged and the other items need no
//! re-check. Duplicate declarations are reported here.

use super::calls::CallGraph;
use super::ty::Ty;
use crate::diag::message::Bound;
use crate::diag::Span;
use crate::num::{Locale, Num};
use crate::syntax::ast::{self, Item};
use crate::time::deadline::DateRange;

/// What the checker and the evaluator know about the declarations of a rulebook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Env {
    /// The rulebook's title.
    pub title: Option<String>,
    /// The data locale declared by the rulebook.
    pub locale: Option<Locale>,
    /// `N` in `index = total / N`, when the index has that shape.
    pub index_scale: Option<Num>,
    /// The declared reporting units (the roster), by code; empty when none is declared.
    pub units: super::table::Table<UnitInfo>,
    /// Their codes in declaration order.
    pub unit_order: Vec<String>,
    /// The file of `unit` items the rulebook names (`units "units.chiso"`), relative to it. The
    /// shell reads it and adds its units with [`Env::add_units`].
    pub units_file: Option<String>,
    /// Agencies by short name.
    pub agencies: super::table::Table<AgencyInfo>,
    /// Indicators by id, including sub-indicators.
    pub indicators: super::table::Table<IndicatorInfo>,
    /// Indicator ids in source order.
    pub indicator_order: Vec<String>,
    /// The declared data columns (`input a: count column "Số hồ sơ"`), by `column_key` of
    /// their names.
    pub columns: super::table::Table<DataColumn>,
    /// Pillars by id.
    pub pillars: super::table::Table<PillarInfo>,
    /// Pillar ids in source order.
    pub pillar_order: Vec<String>,
    /// Sections of data fields by id.
    pub sections: super::table::Table<SectionInfo>,
    /// User functions by name.
    pub fns: super::table::Table<ast::FnDecl>,
    /// The functions that come from the prelude: their spans point into the prelude's text,
    /// not the file being checked.
    pub prelude_fns: crate::map::VecSet<String>,
    /// The file's plan (`plan "…" { … }`), when it declares one.
    pub plan: Option<PlanInfo>,
    /// Targets by id.
    pub targets: super::table::Table<TargetInfo>,
    /// Target ids in source order.
    pub target_order: Vec<String>,
    /// Tasks by id.
    pub tasks: super::table::Table<TaskInfo>,
    /// Task ids in source order.
    pub task_order: Vec<String>,
    /// Whether the agencies and indicators of the plan's rulebook were added (see
    /// [`Env::merge_rulebook`]). A plan naming a rulebook that was not added cannot tell an
    /// unknown agency from one the rulebook declares, so it does not report it.
    pub rulebook_merged: bool,
    /// Which functions call themselves and how deep each is written out; kept in step with `fns`.
    pub calls: CallGraph,
}

/// The header of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanInfo {
    /// Its title.
    pub title: String,
    /// Its period, when written and valid.
    pub period: Option<DateRange>,
    /// The data unit whose rows report the plan, when declared.
    pub unit: Option<String>,
    /// The rulebook file it uses, when declared.
    pub rulebook: Option<String>,
    /// Where its title is written.
    pub span: Span,
}

/// A target's header: what its data rows may say.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TargetInfo {
    /// Title.
    pub title: String,
    /// The type of its value: the `measure`, else the type of `value`, of the goal or of the
    /// baseline, else a number.
    pub measure: Ty,
    /// The level names of a per-level goal.
    pub levels: Vec<String>,
    /// Whether the goal applies to each unit.
    pub each_unit: bool,
    /// The inputs of a computed value, with their types (empty: the value is reported as
    /// `actual`).
    pub inputs: Vec<(String, Ty)>,
    /// Whether the value is computed (`value = …`).
    pub computed: bool,
    /// Where its id is written.
    pub span: Span,
}

/// A task's header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskInfo {
    /// Title.
    pub title: String,
    /// Where its id is written.
    pub span: Span,
}

/// A declared reporting unit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnitInfo {
    /// Its name, when declared.
    pub title: Option<String>,
    /// Where its code is written.
    pub span: Span,
}

/// An agency.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AgencyInfo {
    /// Full name.
    pub title: String,
    /// Where declared.
    pub span: Span,
}

/// A declared data column: the input it holds in a wide data file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataColumn {
    /// The indicator (or section).
    pub indicator: String,
    /// Its input.
    pub input: String,
    /// Where the column's name is written.
    pub span: Span,
}

/// The position of the first header cell, by `keys` (their [`column_key`]s), named one of
/// `names`: the names are tried in their order.
pub fn header_position(keys: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| keys.iter().position(|k| k == name))
}

/// How a declared column name and a data file's header cell are compared: trimmed (a BOM too),
/// in NFC, and ignoring case, as the reader compares its own header names (`unit`, `Mã đơn vị`).
pub fn column_key(name: &str) -> String {
    crate::case::lowercase(&crate::nfc::nfc(name.trim().trim_start_matches('\u{feff}').trim()))
}

/// The data reader's own column names as [`column_key`] gives them, each with the Vietnamese
/// names a sheet may head it with, in the order they are looked for: `mã đơn vị` before `đơn vị`,
/// which a sheet may also give a unit's name.
pub const UNIT_HEADERS: &[&str] = &["unit", "mã đơn vị", "đơn vị"];
/// See [`UNIT_HEADERS`].
pub const INDICATOR_HEADERS: &[&str] = &["indicator", "mã chỉ số", "chỉ số"];
/// See [`UNIT_HEADERS`].
pub const INPUT_HEADERS: &[&str] = &["input", "đầu vào"];
/// See [`UNIT_HEADERS`].
pub const VALUE_HEADERS: &[&str] = &["value", "giá trị"];

/// Whether `key` (a [`column_key`]) is one of the reader's own column names.
pub fn is_reader_header(key: &str) -> bool {
    [UNIT_HEADERS, INDICATOR_HEADERS, INPUT_HEADERS, VALUE_HEADERS].iter().any(|names| names.contains(&key))
}

/// An indicator's header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IndicatorInfo {
    /// Title.
    pub title: String,
    /// Declared max, when it is a constant.
    pub max: Option<Num>,
    /// The pillar it belongs to (for a sub-indicator, its parent's pillar).
    pub pillar: Option<String>,
    /// The parent indicator of a sub-indicator.
    pub parent: Option<String>,
    /// Sub-indicator ids.
    pub subs: Vec<String>,
    /// Inputs with their types, in order.
    pub inputs: Vec<(String, Ty)>,
    /// Declared domains of inputs (`positive`, `at_least`, `at_most`), checked on data.
    pub bounds: Vec<(String, InputBounds)>,
    /// Declared `not_scored`.
    pub not_scored: bool,
    /// Where its id is written.
    pub span: Span,
}

/// The declared domain of a numeric input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct InputBounds {
    /// `positive`: never zero (and, being a count or amount, never negative).
    pub positive: bool,
    /// `at_least N`.
    pub at_least: Option<Num>,
    /// `at_most N`.
    pub at_most: Option<Num>,
}

impl InputBounds {
    /// Why `v` is outside the domain, if it is.
    pub fn violation(&self, v: &Num) -> Option<Bound> {
        if self.positive && (v.is_zero() || v.is_negative()) {
            return Some(Bound::Positive);
        }
        if let Some(lo) = &self.at_least {
            if v < lo {
                return Some(Bound::AtLeast(lo.clone()));
            }
        }
        if let Some(hi) = &self.at_most {
            if v > hi {
                return Some(Bound::AtMost(hi.clone()));
            }
        }
        None
    }
}

/// A pillar's header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PillarInfo {
    /// Title.
    pub title: String,
    /// Declared max.
    pub max: Option<Num>,
    /// Its top-level indicators, in order.
    pub indicators: Vec<String>,
    /// Where its id is written.
    pub span: Span,
}

/// A section of data fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SectionInfo {
    /// Title.
    pub title: String,
    /// Fields: id, title, type.
    pub fields: Vec<(String, String, Ty)>,
}

impl Env {
    /// Adds the units of another checked file (the rulebook's units file) to the roster, after
    /// the rulebook's own; a code declared in both keeps the rulebook's declaration.
    pub fn add_units(&mut self, other: &Env) {
        let new: Vec<(String, UnitInfo)> = other
            .unit_order
            .iter()
            .filter(|code| !self.units.contains_key(*code))
            .filter_map(|code| other.units.get(code).map(|info| (code.clone(), info.clone())))
            .collect();
        self.unit_order.extend(new.iter().map(|(code, _)| code.clone()));
        self.units.extend(new);
    }

    /// Whether names that this file does not declare may be declared by a rulebook that was not
    /// merged in: the plan names one, but its declarations are not known here.
    pub fn names_are_external(&self) -> bool {
        !self.rulebook_merged && self.plan.as_ref().is_some_and(|p| p.rulebook.is_some())
    }

    /// Adds functions that the rulebook does not define itself.
    pub fn add_prelude(&mut self, prelude: &[ast::FnDecl]) {
        for f in prelude {
            if !self.fns.contains_key(&f.name.text) {
                self.fns.insert(f.name.text.clone(), f.clone());
                self.prelude_fns.insert(f.name.text.clone());
            }
        }
        self.calls = CallGraph::build(&self.fns);
    }

    /// The pillar max total, when every pillar max is known.
    pub fn pillar_max_total(&self) -> Option<Num> {
        self.pillars.values().try_fold(Num::zero(), |acc, p| p.max.as_ref().map(|m| acc.add(m)))
    }
}

/// Calls `f` on every indicator of a file, sub-indicators included, in source order.
pub fn for_each_indicator<'a>(file: &'a ast::File, f: &mut dyn FnMut(&'a ast::Indicator)) {
    for item in &file.items {
        for_each_indicator_of(item, f);
    }
}

/// Calls `f` on every indicator of one item (a pillar's, or an indicator and its subs).
pub fn for_each_indicator_of<'a>(item: &'a Item, f: &mut dyn FnMut(&'a ast::Indicator)) {
    fn visit<'a>(ind: &'a ast::Indicator, f: &mut dyn FnMut(&'a ast::Indicator)) {
        f(ind);
        for sub in ind.subs() {
            visit(sub, f);
        }
    }
    match item {
        Item::Pillar(p) => p.indicators.iter().for_each(|i| visit(i, f)),
        Item::Indicator(i) => visit(i, f),
        _ => {}
    }
}
