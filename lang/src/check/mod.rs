//! The checker: names, units, totals and plans, one item at a time, against the symbol table.
//!
//! `build_env` reads the item headers into [`Env`] (in `sema`); `check_item` and
//! `check_indicator` check one item against that table. The incremental layer (`chiso-db`)
//! memoizes exactly these functions (through [`crate::pipeline`], which adds the policy analysis),
//! so editing one indicator re-checks that indicator and what depends on its header.

mod indicator;
pub mod plan;

pub use indicator::{check_indicator, provable};

use crate::map::VecSet;

use crate::diag::{Code, Diagnostic, Hint, Message};
use crate::sema::calls::{Unexpandable, MAX_CALL_NESTING, MAX_INLINED_DEPTH};
use crate::sema::infer::{self as types, infer, Context, Scope};
use crate::sema::ty::Ty;
use crate::sema::Env;
use crate::syntax::ast::{self, Item};

/// The symbol table of a file with `prelude` functions in scope (a rulebook's own `fn` of the
/// same name takes precedence), and the duplicate declarations found building it.
pub fn build_env(file: &ast::File, prelude: &[ast::FnDecl]) -> (Env, Vec<Diagnostic>) {
    let (mut env, diagnostics) = Env::build(file);
    env.add_prelude(prelude);
    (env, diagnostics)
}

/// The symbol table of a plan file that uses the agencies and indicators of `rulebook` (checked on
/// its own before): the plan's own declarations come first.
pub fn build_env_with_rulebook(file: &ast::File, prelude: &[ast::FnDecl], rulebook: &Env) -> (Env, Vec<Diagnostic>) {
    let (mut env, mut diagnostics) = build_env(file, prelude);
    diagnostics.extend(env.merge_rulebook(rulebook));
    (env, diagnostics)
}

/// Checks one item other than its indicators (which `check_indicator` checks one by one).
pub fn check_item(env: &Env, item: &Item) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    match item {
        Item::Rulebook(r) => {
            for p in &r.props {
                if let ast::RulebookProp::Index(e) = p {
                    let mut scope = Scope::new(env, Context::Index);
                    let t = infer(&mut scope, e, &mut diags);
                    if !t.is_numeric() {
                        diags.push(Diagnostic::new(Code::E0302, e.span, Message::IndexNotNumber { found: t.unit() }));
                    }
                }
            }
            if let (Some(scale), Some(total)) = (&env.index_scale, env.pillar_max_total()) {
                if !env.pillars.is_empty() && scale != &total {
                    diags.push(
                        Diagnostic::new(Code::W0403, r.title.span, Message::IndexScale { scale: scale.clone(), total })
                            .with_help(Hint::PillarMaximaAddUp),
                    );
                }
            }
        }
        Item::Section(s) => {
            for f in &s.fields {
                if let Some(o) = &f.owner {
                    check_agency(env, o, &mut diags);
                }
            }
        }
        Item::Pillar(p) => check_pillar_total(env, p, &mut diags),
        Item::Fn(f) => check_fn(env, f, &mut diags),
        Item::Test(t) => check_test(env, t, &mut diags),
        Item::Planning(p) => diags.extend(plan::check_planning(env, p)),
        Item::Agency(_) | Item::Unit(_) | Item::Indicator(_) | Item::Error(_) => {}
    }
    diags
}

fn check_agency(env: &Env, name: &ast::Name, diags: &mut Vec<Diagnostic>) {
    if name.text.is_empty() || env.agencies.contains_key(&name.text) {
        return;
    }
    let mut d = Diagnostic::new(Code::E0202, name.span, Message::UnknownAgency { name: name.text.clone() });
    d = match types::closest(&name.text, env.agencies.keys()) {
        Some(best) => d.with_help(Hint::DidYouMean { best: best.clone() }),
        None => d.with_help(Hint::DeclareAgency { name: name.text.clone() }),
    };
    diags.push(d);
}

/// E0401: a pillar's declared max must equal the sum of its indicators' max.
fn check_pillar_total(env: &Env, p: &ast::Pillar, diags: &mut Vec<Diagnostic>) {
    let Some(info) = env.pillars.get(&p.id.text) else { return };
    let Some(declared) = &info.max else {
        if let Some(m) = &p.max {
            diags.push(Diagnostic::new(Code::E0308, m.span, Message::PillarMaxNotNumber));
        }
        return;
    };
    let mut sum = crate::num::Num::zero();
    for id in &info.indicators {
        match env.indicators.get(id).and_then(|i| i.max.as_ref()) {
            Some(m) => sum = sum.add(m),
            None => return, // reported on the indicator
        }
    }
    if &sum != declared {
        let maxima = info
            .indicators
            .iter()
            .filter_map(|id| env.indicators.get(id).and_then(|i| i.max.as_ref()).map(|m| (id.clone(), m.clone())))
            .collect();
        diags.push(
            Diagnostic::new(
                Code::E0401,
                p.max.as_ref().map_or(p.id.span, |m| m.span),
                Message::PillarTotal { pillar: p.id.text.clone(), declared: declared.clone(), sum },
            )
            .with_help(Hint::IndicatorMaxima { maxima }),
        );
    }
}

fn check_fn(env: &Env, f: &ast::FnDecl, diags: &mut Vec<Diagnostic>) {
    let mut seen = VecSet::new();
    for p in &f.params {
        if !seen.insert(p.text.clone()) {
            diags.push(Diagnostic::new(Code::E0204, p.span, Message::ParamDeclaredTwice { name: p.text.clone() }));
        }
    }
    let mut scope = Scope::new(env, Context::Function);
    scope.call_stack.push(f.name.text.clone());
    for p in &f.params {
        scope.names.insert(p.text.clone(), Ty::Error);
    }
    infer(&mut scope, &f.body, diags);
    match env.calls.unexpandable(&f.name.text) {
        Some(Unexpandable::Recursive) => diags.push(
            Diagnostic::new(Code::E0206, f.name.span, Message::CallsItself { name: f.name.text.clone() })
                .with_help(Hint::NoRecursion),
        ),
        Some(Unexpandable::TooDeep) => diags.push(
            Diagnostic::new(
                Code::E0104,
                f.name.span,
                Message::FunctionTooDeep {
                    name: f.name.text.clone(),
                    bodies: MAX_CALL_NESTING,
                    steps: MAX_INLINED_DEPTH,
                },
            )
            .with_help(Hint::FewerCalls),
        ),
        // Reported at the function it calls.
        Some(Unexpandable::ViaCall) | None => {}
    }
}

fn check_test(env: &Env, t: &ast::TestDecl, diags: &mut Vec<Diagnostic>) {
    for stmt in &t.stmts {
        match stmt {
            ast::TestStmt::Given { target, values, .. } => {
                let inputs: Option<Vec<String>> = if let Some(i) = env.indicators.get(&target.text) {
                    Some(i.inputs.iter().map(|(n, _)| n.clone()).collect())
                } else {
                    env.sections.get(&target.text).map(|s| s.fields.iter().map(|(n, _, _)| n.clone()).collect())
                };
                match inputs {
                    None => diags.push(unknown_indicator(env, target)),
                    Some(names) => {
                        for (n, _) in values {
                            if !names.contains(&n.text) {
                                diags.push(Diagnostic::new(
                                    Code::E0201,
                                    n.span,
                                    Message::NoSuchInput {
                                        target: target.text.clone(),
                                        name: n.text.clone(),
                                        inputs: names.clone(),
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            ast::TestStmt::Expect { target, .. } => match target {
                ast::ExpectTarget::Indicator(id) if !env.indicators.contains_key(&id.text) => {
                    diags.push(unknown_indicator(env, id))
                }
                ast::ExpectTarget::Pillar(id) if !env.pillars.contains_key(&id.text) => {
                    diags.push(Diagnostic::new(Code::E0205, id.span, Message::NoPillar { id: id.text.clone() }))
                }
                _ => {}
            },
            ast::TestStmt::Error(_) => {}
        }
    }
}

fn unknown_indicator(env: &Env, id: &ast::Name) -> Diagnostic {
    let d = Diagnostic::new(Code::E0205, id.span, Message::NoIndicator { id: id.text.clone() });
    match types::closest(&id.text, env.indicators.keys()) {
        Some(best) => d.with_help(Hint::DidYouMean { best: best.clone() }),
        None => d,
    }
}
