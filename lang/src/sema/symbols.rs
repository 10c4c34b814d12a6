//! The symbol index: every declaration and every use of every name in a file (agencies,
//! indicators, pillars, functions, and the names local to an indicator, a function or a target),
//! with their spans. Definition, references, rename and highlighting in the editor all read it;
//! its spans are anchored like the tree's, so a file parsed by the front door and the editor's
//! items give positions in one coordinate system.
//!
//! Names local to an indicator (inputs, lets), a function (parameters) or a target are keyed by
//! the span of the item that declares them, so `a` in 3.1 and `a` in 3.2 are different symbols,
//! while `given "NT" 3.1 { a = 1 }` in a test refers to 3.1's `a`.

use crate::map::{VecMap, VecSet};

use super::env::for_each_indicator;
use crate::diag::Span;
use crate::syntax::ast::{self, ExpectTarget, Expr, ExprKind, IndicatorProp, InputModifier, Item, PropKind, TestStmt};

/// What a name refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sym {
    /// An agency by short name.
    Agency(String),
    /// An indicator by id.
    Indicator(String),
    /// A pillar by id.
    Pillar(String),
    /// A function (user, prelude or builtin) by name.
    Fn(String),
    /// An input, `let` or parameter, local to the item whose span is `owner`.
    Local {
        /// The declaring item.
        owner: Span,
        /// The name.
        name: String,
    },
}

/// One occurrence of a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occ {
    /// The name as written.
    pub span: Span,
    /// The symbol.
    pub sym: Sym,
    /// Whether this is its declaration.
    pub def: bool,
}

/// Every occurrence of every symbol in a file.
pub fn occurrences(file: &ast::File) -> Vec<Occ> {
    let mut ix = Indexer::default();
    // Inputs named by test blocks: indicator id → its span.
    for_each_indicator(file, &mut |ind| {
        ix.indicator_spans.entry(ind.id.text.clone()).or_insert(ind.span);
    });
    for item in &file.items {
        ix.item(item);
    }
    ix.out
}

#[derive(Default)]
struct Indexer {
    out: Vec<Occ>,
    indicator_spans: VecMap<String, Span>,
}

impl Indexer {
    fn push(&mut self, span: Span, sym: Sym, def: bool) {
        self.out.push(Occ { span, sym, def });
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Agency(a) => self.push(a.name.span, Sym::Agency(a.name.text.clone()), true),
            Item::Pillar(p) => {
                self.push(p.id.span, Sym::Pillar(p.id.text.clone()), true);
                if let Some(m) = &p.max {
                    self.expr(m, Span::default(), &VecSet::new());
                }
                for ind in &p.indicators {
                    self.indicator(ind);
                }
            }
            Item::Indicator(ind) => self.indicator(ind),
            Item::Section(s) => {
                for f in &s.fields {
                    if let Some(o) = &f.owner {
                        self.push(o.span, Sym::Agency(o.text.clone()), false);
                    }
                }
            }
            Item::Fn(f) => {
                self.push(f.name.span, Sym::Fn(f.name.text.clone()), true);
                let mut locals = VecSet::new();
                for p in &f.params {
                    self.push(p.span, local(f.span, &p.text), true);
                    locals.insert(p.text.clone());
                }
                self.expr(&f.body, f.span, &locals);
            }
            Item::Test(t) => {
                for s in &t.stmts {
                    self.test_stmt(s);
                }
            }
            Item::Rulebook(r) => {
                for p in &r.props {
                    if let ast::RulebookProp::Index(e) = p {
                        self.expr(e, Span::default(), &VecSet::new());
                    }
                }
            }
            Item::Planning(p) => self.planning(p),
            Item::Unit(_) | Item::Error(_) => {}
        }
    }

    fn indicator(&mut self, ind: &ast::Indicator) {
        self.push(ind.id.span, Sym::Indicator(ind.id.text.clone()), true);
        let owner = ind.span;
        let mut locals = VecSet::new();
        // Inputs are visible everywhere in the indicator, `let`s from anywhere too (they are lazy).
        for input in ind.inputs() {
            locals.insert(input.name.text.clone());
        }
        for (name, _) in ind.lets() {
            locals.insert(name.text.clone());
        }
        for p in &ind.props {
            match p {
                IndicatorProp::Owner(n) => self.push(n.span, Sym::Agency(n.text.clone()), false),
                IndicatorProp::Cooperating(ns) => {
                    for n in ns {
                        self.push(n.span, Sym::Agency(n.text.clone()), false);
                    }
                }
                IndicatorProp::Input(i) => self.input(i, owner),
                IndicatorProp::Let(n, e) => {
                    self.push(n.span, local(owner, &n.text), true);
                    self.expr(e, owner, &locals);
                }
                IndicatorProp::Max(e) | IndicatorProp::Assume(e) | IndicatorProp::Score(e) => {
                    self.expr(e, owner, &locals)
                }
                IndicatorProp::Sub(s) => self.indicator(s),
                _ => {}
            }
        }
    }

    fn input(&mut self, i: &ast::InputDecl, owner: Span) {
        self.push(i.name.span, local(owner, &i.name.text), true);
        for m in &i.modifiers {
            if let InputModifier::Default(e) | InputModifier::Min(e) | InputModifier::Max(e) = m {
                self.expr(e, Span::default(), &VecSet::new());
            }
        }
    }

    fn expr(&mut self, e: &Expr, owner: Span, locals: &VecSet<String>) {
        let mut found = Vec::new();
        e.walk(&mut |x| match &x.kind {
            ExprKind::Name(n) if locals.contains(n) => found.push((x.span, local(owner, n))),
            ExprKind::Call { callee, .. } => found.push((callee.span, Sym::Fn(callee.text.clone()))),
            _ => {}
        });
        for (span, sym) in found {
            self.push(span, sym, false);
        }
    }

    fn test_stmt(&mut self, s: &TestStmt) {
        match s {
            TestStmt::Given { target, values, .. } => {
                self.push(target.span, Sym::Indicator(target.text.clone()), false);
                if let Some(&owner) = self.indicator_spans.get(&target.text) {
                    for (n, _) in values {
                        self.push(n.span, local(owner, &n.text), false);
                    }
                }
            }
            TestStmt::Expect { target: ExpectTarget::Indicator(n), .. } => {
                self.push(n.span, Sym::Indicator(n.text.clone()), false)
            }
            TestStmt::Expect { target: ExpectTarget::Pillar(n), .. } => {
                self.push(n.span, Sym::Pillar(n.text.clone()), false)
            }
            _ => {}
        }
    }

    fn planning(&mut self, p: &ast::PlanningItem) {
        let owner = p.span;
        let mut locals = VecSet::new();
        for i in p.inputs() {
            locals.insert(i.name.text.clone());
        }
        for prop in &p.props {
            if let PropKind::Let(n, _) = &prop.kind {
                locals.insert(n.text.clone());
            }
        }
        for n in p.owners().chain(p.cooperating()).chain(p.recipients()) {
            self.push(n.span, Sym::Agency(n.text.clone()), false);
        }
        if let Some(n) = p.indicator() {
            self.push(n.span, Sym::Indicator(n.text.clone()), false);
        }
        for prop in &p.props {
            match &prop.kind {
                PropKind::Input(i) => self.input(i, owner),
                PropKind::Let(n, e) => {
                    self.push(n.span, local(owner, &n.text), true);
                    self.expr(e, owner, &locals);
                }
                PropKind::Value(e) => self.expr(e, owner, &locals),
                _ => {}
            }
        }
    }
}

fn local(owner: Span, name: &str) -> Sym {
    Sym::Local { owner, name: name.to_string() }
}
