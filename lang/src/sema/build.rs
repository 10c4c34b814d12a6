//! How the symbol table is built from item headers: declarations in order, duplicate
//! declarations (E0203, E0204), a target's header (through [`super::target`]), a plan's rulebook
//! merged in, printed ids that collide (W0210).
//!
//! Apart from [`super::env`] (what the table holds), so that the table's types do not depend on
//! type inference, which itself reads the table.

use crate::map::{VecMap, VecSet};

use super::calls::CallGraph;
use super::consts::const_value;
use super::env::{
    for_each_indicator_of, AgencyInfo, Env, IndicatorInfo, InputBounds, PillarInfo, PlanInfo, SectionInfo, TaskInfo,
    UnitInfo,
};
use super::ty::Ty;
use crate::diag::message::Thing;
use crate::diag::{Anchor, Code, Diagnostic, Hint, Message, Note, Span};
use crate::num::Locale;
use crate::syntax::ast::{self, Item, PlanningKind, PropKind};
use crate::time::deadline::period_range;

/// Reports a duplicate declaration of a name in the namespace of `Thing`; returns whether it was
/// one.
type DupCheck<'a> = dyn FnMut(Thing, &ast::Name, &mut Vec<Diagnostic>) -> bool + 'a;

impl Env {
    /// Builds the table from a file's items, reporting duplicate declarations.
    pub fn build(file: &ast::File) -> (Env, Vec<Diagnostic>) {
        Env::build_from(&file.items.iter().collect::<Vec<_>>())
    }

    /// [`Env::build`] over items that need not be in one file (an editor's database holds each
    /// item's tree on its own).
    pub fn build_from(items: &[&Item]) -> (Env, Vec<Diagnostic>) {
        let mut env = Env::default();
        let mut diags = Vec::new();
        let mut first_span: VecMap<(Thing, String), Span> = VecMap::new();
        let mut dup = |thing: Thing, name: &ast::Name, diags: &mut Vec<Diagnostic>| -> bool {
            if name.text.is_empty() {
                return true;
            }
            if let Some(prev) = first_span.get(&(thing, name.text.clone())) {
                let code = if thing == Thing::Indicator { Code::E0203 } else { Code::E0204 };
                diags.push(
                    Diagnostic::new(code, name.span, Message::DeclaredTwice { thing, name: name.text.clone() })
                        .with_label(*prev, Note::FirstDeclaredHere)
                        .with_help(Hint::OwnId),
                );
                true
            } else {
                first_span.insert((thing, name.text.clone()), name.span);
                false
            }
        };
        let mut units = Vec::new();
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
                    if !dup(Thing::Unit, &u.code, &mut diags) {
                        env.unit_order.push(u.code.text.clone());
                        // Inserted all at once after the loop: a roster may have 100,000 units.
                        units.push((
                            u.code.text.clone(),
                            UnitInfo { title: u.title.as_ref().map(|t| t.value.clone()), span: u.code.span },
                        ));
                    }
                }
                Item::Agency(a) => {
                    if !dup(Thing::Agency, &a.name, &mut diags) {
                        env.agencies.insert(
                            a.name.text.clone(),
                            AgencyInfo { title: a.title.value.clone(), span: a.name.span },
                        );
                    }
                }
                Item::Section(s) => {
                    if !dup(Thing::Section, &s.id, &mut diags) {
                        let mut seen = VecSet::new();
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
                    let is_dup = dup(Thing::Pillar, &p.id, &mut diags);
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
                    if !dup(Thing::Function, &f.name, &mut diags) {
                        env.fns.insert(f.name.text.clone(), f.clone());
                    }
                }
                Item::Test(t) => {
                    let name = ast::Name { text: t.title.value.clone(), span: t.title.span };
                    dup(Thing::Test, &name, &mut diags);
                }
                Item::Planning(p) => env.add_planning(p, &mut dup, &mut diags),
                Item::Error(_) => {}
            }
        }
        env.units.extend(units);
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
        if dup(Thing::Indicator, &ind.id, diags) {
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
        for input in ind.inputs() {
            for m in &input.modifiers {
                if let ast::InputModifier::Column(name) = m {
                    self.add_column(&ind.id.text, &input.name.text, name, diags);
                }
            }
        }
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

    /// Declares `name` the data column of `ind`'s input `input`: E0204 when another input has it,
    /// or when the reader gives it its own meaning.
    fn add_column(&mut self, ind: &str, input: &str, name: &ast::Str, diags: &mut Vec<Diagnostic>) {
        let key = super::env::column_key(&name.value);
        let reserved = super::env::is_reader_header(&key);
        if reserved || !key.chars().any(char::is_alphanumeric) {
            let message = Message::ColumnReserved { column: name.value.clone(), reader_header: reserved };
            diags.push(Diagnostic::new(Code::E0204, name.span, message));
            return;
        }
        if let Some(first) = self.columns.get(&key) {
            let message = Message::ColumnTwice {
                column: name.value.clone(),
                first: format!("{}.{}", first.indicator, first.input),
            };
            let d = Diagnostic::new(Code::E0204, name.span, message).with_label(first.span, Note::FirstDeclaredHere);
            diags.push(d);
            return;
        }
        let column = super::env::DataColumn { indicator: ind.to_string(), input: input.to_string(), span: name.span };
        self.columns.insert(key, column);
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
                if dup(Thing::TargetOrTask, id, diags) {
                    return;
                }
                if p.kind == PlanningKind::Task {
                    self.task_order.push(id.text.clone());
                    self.tasks.insert(id.text.clone(), TaskInfo { title: p.title.value.clone(), span: id.span });
                    return;
                }
                let info = super::target::target_info(self, p);
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
                Some(mine) => {
                    let d = Diagnostic::new(
                        Code::E0204,
                        mine.span,
                        Message::AgencyInRulebook { name: name.clone(), title: a.title.clone() },
                    )
                    .with_help(Hint::RemoveAgency);
                    // Only a span that says which file it is in can point into the rulebook.
                    let in_rulebook = a.span.anchor != Anchor::LOCAL && a.span.anchor != mine.span.anchor;
                    diags.push(if in_rulebook { d.with_label(a.span, Note::RulebookDeclaresItHere) } else { d });
                }
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
}
