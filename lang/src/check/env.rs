//! The symbol table of a rulebook: what each declaration makes visible to the others.
//!
//! Built from the item headers only (ids, max, inputs and their types, pillar membership), so an
//! edit inside one indicator's score leaves the table unchanged and the other items need no
//! re-check. Duplicate declarations are reported here.

use std::collections::{BTreeMap, BTreeSet};

use super::calls::CallGraph;
use super::consts::const_value;
use super::types::Ty;
use crate::diag::message::{Bound, Thing};
use crate::diag::{Code, Diagnostic, Hint, Message, Note, Span};
use crate::num::{Locale, Num};
use crate::plan::deadline::{period_range, DateRange};
use crate::syntax::ast::{self, Item, PlanningKind, PropKind};

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
    pub units: BTreeMap<String, UnitInfo>,
    /// Their codes in declaration order.
    pub unit_order: Vec<String>,
    /// The file of `unit` items the rulebook names (`units "units.chiso"`), relative to it. The
    /// shell reads it and adds its units with [`Env::add_units`].
    pub units_file: Option<String>,
    /// Agencies by short name.
    pub agencies: BTreeMap<String, AgencyInfo>,
    /// Indicators by id, including sub-indicators.
    pub indicators: BTreeMap<String, IndicatorInfo>,
    /// Indicator ids in source order.
    pub indicator_order: Vec<String>,
    /// Pillars by id.
    pub pillars: BTreeMap<String, PillarInfo>,
    /// Pillar ids in source order.
    pub pillar_order: Vec<String>,
    /// Sections of data fields by id.
    pub sections: BTreeMap<String, SectionInfo>,
    /// User functions by name.
    pub fns: BTreeMap<String, ast::FnDecl>,
    /// The functions that come from the prelude: their spans point into the prelude's text,
    /// not the file being checked.
    pub prelude_fns: std::collections::BTreeSet<String>,
    /// The file's plan (`plan "…" { … }`), when it declares one.
    pub plan: Option<PlanInfo>,
    /// Targets by id.
    pub targets: BTreeMap<String, TargetInfo>,
    /// Target ids in source order.
    pub target_order: Vec<String>,
    /// Tasks by id.
    pub tasks: BTreeMap<String, TaskInfo>,
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

/// Reports a duplicate declaration of (kind, name); returns whether it was one.
type DupCheck<'a> = dyn FnMut(u8, &ast::Name, Thing, &mut Vec<Diagnostic>) -> bool + 'a;

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
        for code in &other.unit_order {
            if let (false, Some(info)) = (self.units.contains_key(code), other.units.get(code)) {
                self.units.insert(code.clone(), info.clone());
                self.unit_order.push(code.clone());
            }
        }
    }

    /// Builds the table from a file's items, reporting duplicate declarations.
    pub fn build(file: &ast::File) -> (Env, Vec<Diagnostic>) {
        Env::build_from(&file.items.iter().collect::<Vec<_>>())
    }

    /// [`Env::build`] over items that need not be in one file (an editor's database holds each
    /// item's tree on its own).
    pub fn build_from(items: &[&Item]) -> (Env, Vec<Diagnostic>) {
        let mut env = Env::default();
        let mut diags = Vec::new();
        let mut first_span: BTreeMap<(u8, String), Span> = BTreeMap::new();
        let mut dup = |kind: u8, name: &ast::Name, thing: Thing, diags: &mut Vec<Diagnostic>| -> bool {
            if name.text.is_empty() {
                return true;
            }
            if let Some(prev) = first_span.get(&(kind, name.text.clone())) {
                let code = if kind == 0 { Code::E0203 } else { Code::E0204 };
                diags.push(
                    Diagnostic::new(code, name.span, Message::DeclaredTwice { thing, name: name.text.clone() })
                        .with_label(*prev, Note::FirstDeclaredHere)
                        .with_help(Hint::OwnId),
                );
                true
            } else {
                first_span.insert((kind, name.text.clone()), name.span);
                false
            }
        };
        for item in items.iter().copied() {
            match item {
                Item::Rulebook(r) => {
                    env.title = Some(r.title.value.clone());
                    for p in &r.props {
                        match p {
                            ast::RulebookProp::Locale(n) if n.text == "vi" => env.locale = Some(Locale::Vi),
                            ast::RulebookProp::Locale(n) if n.text == "en" => env.locale = Some(Locale::En),
                            ast::RulebookProp::Locale(n) => diags.push(
                                Diagnostic::new(Code::E0201, n.span, Message::UnknownLocale { name: n.text.clone() })
                                    .with_help(Hint::WriteLocale),
                            ),
                            ast::RulebookProp::Units(s) => env.units_file = Some(s.value.clone()),
                            ast::RulebookProp::Index(e) => {
                                if let ast::ExprKind::Binary(ast::BinOp::Div, l, r) = &e.unparen().kind {
                                    if matches!(l.unparen().kind, ast::ExprKind::Total) {
                                        env.index_scale = const_value(r);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Item::Unit(u) => {
                    if !dup(9, &u.code, Thing::Unit, &mut diags) {
                        env.unit_order.push(u.code.text.clone());
                        env.units.insert(
                            u.code.text.clone(),
                            UnitInfo { title: u.title.as_ref().map(|t| t.value.clone()), span: u.code.span },
                        );
                    }
                }
                Item::Agency(a) => {
                    if !dup(1, &a.name, Thing::Agency, &mut diags) {
                        env.agencies.insert(
                            a.name.text.clone(),
                            AgencyInfo { title: a.title.value.clone(), span: a.name.span },
                        );
                    }
                }
                Item::Section(s) => {
                    if !dup(2, &s.id, Thing::Section, &mut diags) {
                        let mut seen = BTreeSet::new();
                        let mut fields = Vec::new();
                        for f in &s.fields {
                            if !seen.insert(f.id.text.clone()) {
                                diags.push(Diagnostic::new(
                                    Code::E0204,
                                    f.id.span,
                                    Message::FieldDeclaredTwice {
                                        field: f.id.text.clone(),
                                        section: s.id.text.clone(),
                                    },
                                ));
                                continue;
                            }
                            fields.push((f.id.text.clone(), f.title.value.clone(), Ty::of_type(&f.ty)));
                        }
                        env.sections.insert(s.id.text.clone(), SectionInfo { title: s.title.value.clone(), fields });
                    }
                }
                Item::Pillar(p) => {
                    let is_dup = dup(3, &p.id, Thing::Pillar, &mut diags);
                    let mut ids = Vec::new();
                    for ind in &p.indicators {
                        if env.add_indicator(ind, Some(&p.id.text), None, &mut dup, &mut diags) {
                            ids.push(ind.id.text.clone());
                        }
                    }
                    if !is_dup {
                        env.pillar_order.push(p.id.text.clone());
                        env.pillars.insert(
                            p.id.text.clone(),
                            PillarInfo {
                                title: p.title.value.clone(),
                                max: p.max.as_ref().and_then(const_value),
                                indicators: ids,
                                span: p.id.span,
                            },
                        );
                    }
                }
                Item::Indicator(ind) => {
                    env.add_indicator(ind, None, None, &mut dup, &mut diags);
                }
                Item::Fn(f) => {
                    if !dup(4, &f.name, Thing::Function, &mut diags) {
                        env.fns.insert(f.name.text.clone(), f.clone());
                    }
                }
                Item::Test(t) => {
                    let name = ast::Name { text: t.title.value.clone(), span: t.title.span };
                    dup(5, &name, Thing::Test, &mut diags);
                }
                Item::Planning(p) => env.add_planning(p, &mut dup, &mut diags),
                Item::Error(_) => {}
            }
        }
        env.check_source_ids(items, &mut diags);
        env.calls = CallGraph::build(&env.fns);
        (env, diags)
    }

    fn add_indicator(
        &mut self,
        ind: &ast::Indicator,
        pillar: Option<&str>,
        parent: Option<&str>,
        dup: &mut DupCheck<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        if dup(0, &ind.id, Thing::Indicator, diags) {
            return false;
        }
        let mut subs = Vec::new();
        for sub in ind.subs() {
            if self.add_indicator(sub, pillar, Some(&ind.id.text), dup, diags) {
                subs.push(sub.id.text.clone());
            }
        }
        let inputs = ind.inputs().map(|i| (i.name.text.clone(), Ty::of_type(&i.ty))).collect();
        let bounds = ind
            .inputs()
            .map(|i| {
                let mut b = InputBounds::default();
                for m in &i.modifiers {
                    match m {
                        ast::InputModifier::Positive(_) => b.positive = true,
                        ast::InputModifier::Min(e) => b.at_least = const_value(e),
                        ast::InputModifier::Max(e) => b.at_most = const_value(e),
                        _ => {}
                    }
                }
                (i.name.text.clone(), b)
            })
            .filter(|(_, b)| b != &InputBounds::default())
            .collect();
        self.indicator_order.push(ind.id.text.clone());
        self.indicators.insert(
            ind.id.text.clone(),
            IndicatorInfo {
                title: ind.title.value.clone(),
                max: ind.max().and_then(const_value),
                pillar: pillar.map(str::to_string),
                parent: parent.map(str::to_string),
                subs,
                inputs,
                bounds,
                not_scored: ind.is_not_scored(),
                span: ind.id.span,
            },
        );
        true
    }

    fn add_planning(&mut self, p: &ast::PlanningItem, dup: &mut DupCheck<'_>, diags: &mut Vec<Diagnostic>) {
        match p.kind {
            PlanningKind::Plan => {
                if let Some(first) = &self.plan {
                    diags.push(
                        Diagnostic::new(Code::E0204, p.title.span, Message::SecondPlan)
                            .with_label(first.span, Note::TheFilesPlan)
                            .with_help(Hint::OnePlanPerFile),
                    );
                    return;
                }
                let mut period = None;
                for prop in &p.props {
                    match &prop.kind {
                        PropKind::Period(per) if period.is_none() => period = Some(period_range(per).ok()),
                        PropKind::Locale(n) => match n.text.as_str() {
                            "vi" => self.locale = Some(Locale::Vi),
                            "en" => self.locale = Some(Locale::En),
                            _ => diags.push(
                                Diagnostic::new(Code::E0201, n.span, Message::UnknownLocale { name: n.text.clone() })
                                    .with_help(Hint::WriteLocale),
                            ),
                        },
                        _ => {}
                    }
                }
                self.plan = Some(PlanInfo {
                    title: p.title.value.clone(),
                    period: period.flatten(),
                    unit: p.unit().map(|s| s.value.clone()),
                    rulebook: p.rulebook().map(|s| s.value.clone()),
                    span: p.title.span,
                });
            }
            PlanningKind::Target | PlanningKind::Task => {
                let Some(id) = &p.id else { return };
                // Targets and tasks share one namespace: a data row names either by its id.
                if dup(6, id, Thing::TargetOrTask, diags) {
                    return;
                }
                if p.kind == PlanningKind::Task {
                    self.task_order.push(id.text.clone());
                    self.tasks.insert(id.text.clone(), TaskInfo { title: p.title.value.clone(), span: id.span });
                    return;
                }
                let info = crate::check::plan::target_info(self, p);
                self.target_order.push(id.text.clone());
                self.targets.insert(id.text.clone(), info);
            }
            PlanningKind::Schedule => {}
        }
    }

    /// Adds the agencies and indicators of `rulebook` that this file does not declare itself, so
    /// that a plan can refer to them.
    /// An agency declared in both is E0204 at the file's declaration: the two files would
    /// otherwise disagree on its full name.
    pub fn merge_rulebook(&mut self, rulebook: &Env) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for (name, a) in &rulebook.agencies {
            match self.agencies.get(name) {
                Some(mine) => diags.push(
                    Diagnostic::new(
                        Code::E0204,
                        mine.span,
                        Message::AgencyInRulebook { name: name.clone(), title: a.title.clone() },
                    )
                    .with_help(Hint::RemoveAgency),
                ),
                None => {
                    self.agencies.insert(name.clone(), a.clone());
                }
            }
        }
        for id in &rulebook.indicator_order {
            if let (false, Some(info)) = (self.indicators.contains_key(id), rulebook.indicators.get(id)) {
                self.indicator_order.push(id.clone());
                self.indicators.insert(id.clone(), info.clone());
            }
        }
        if self.locale.is_none() {
            self.locale = rulebook.locale;
        }
        self.rulebook_merged = true;
        diags
    }

    /// Whether names that this file does not declare may be declared by a rulebook that was not
    /// merged in: the plan names one, but its declarations are not known here.
    pub fn names_are_external(&self) -> bool {
        !self.rulebook_merged && self.plan.as_ref().is_some_and(|p| p.rulebook.is_some())
    }

    /// W0210: an indicator declared with `source_id "6.2"` whose printed id is another
    /// indicator's id: the source document prints the same id twice.
    fn check_source_ids(&self, items: &[&Item], diags: &mut Vec<Diagnostic>) {
        let mut visit = |ind: &ast::Indicator| {
            if let Some(sid) = ind.source_id() {
                if sid.value != ind.id.text {
                    if let Some(other) = self.indicators.get(&sid.value) {
                        diags.push(
                            Diagnostic::new(
                                Code::W0210,
                                sid.span,
                                Message::SourceIdCollides {
                                    id: ind.id.text.clone(),
                                    printed: sid.value.clone(),
                                    title: other.title.clone(),
                                },
                            )
                            .with_label(other.span, Note::OtherIndicatorWithId)
                            .with_help(Hint::ReportToAuthors),
                        );
                    }
                }
            }
        };
        for item in items {
            for_each_indicator_of(item, &mut visit);
        }
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
