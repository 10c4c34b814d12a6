//! The call graph of a rulebook's functions: which functions call themselves, and how deep each
//! one is once the functions it calls are written out in its place.
//!
//! The type checker, the policy analysis and the interpreter expand a function's body at every
//! call. The parser bounds each body's own depth, but not a chain of functions calling functions
//! (`fn f2(x) = f1(x) + 1`, `fn f3(x) = f2(x) + 1`, … thousands long), which would overflow the
//! stack of whatever expands it. This graph is computed without recursion, once per symbol table,
//! so the expanders can refuse a function before they start rather than fail half-way.

use crate::map::{VecMap, VecSet};

use crate::syntax::ast::{self, ExprKind};

/// How deep an expression may be once the `let`s and functions it names are written out in its
/// place. The parser limits each expression's own depth to [`crate::syntax::MAX_DEPTH`]; this
/// limits what the checker, the policy analysis and the interpreter recurse through when they
/// follow names.
pub const MAX_INLINED_DEPTH: usize = 2 * crate::syntax::MAX_DEPTH as usize;

/// The most function calls one evaluation of an indicator may make. `let`s are evaluated once,
/// so only calls can make the work grow faster than the rule's size (`fn f2(x) = f1(x) + f1(x)`,
/// `fn f3(x) = f2(x) + f2(x)`, …); real rules make a handful.
pub const MAX_CALLS: usize = 100_000;

/// How many function bodies may be in evaluation inside each other (`f` calls `g` in its body,
/// which calls `h`, …). The interpreter keeps one frame per body; arguments are evaluated before
/// the call, so `f(f(f(x)))` needs one.
pub const MAX_CALL_NESTING: usize = 32;

/// Why a function cannot be expanded at its calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unexpandable {
    /// It calls itself, directly or through other functions (E0206 at its declaration).
    Recursive,
    /// Written out, it is deeper than [`MAX_INLINED_DEPTH`], or its body calls functions more than
    /// [`MAX_CALL_NESTING`] deep (E0104 at its declaration).
    TooDeep,
    /// It calls a function that cannot be expanded; that function is where the error is reported.
    ViaCall,
}

/// What the expanders need to know about the functions in a symbol table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CallGraph {
    /// The depth of each expandable function's body with its calls written out.
    depth: VecMap<String, usize>,
    /// The functions that cannot be expanded, and why.
    unexpandable: crate::sema::table::Table<Unexpandable>,
}

impl CallGraph {
    /// The graph of `fns`.
    pub fn build(fns: &crate::sema::table::Table<ast::FnDecl>) -> CallGraph {
        let names: Vec<&str> = fns.keys().map(String::as_str).collect();
        let index: VecMap<&str, usize> = FromIterator::from_iter(names.iter().enumerate().map(|(i, n)| (*n, i)));
        let callees: Vec<VecSet<usize>> = fns
            .values()
            .map(|f| {
                let mut out = VecSet::new();
                f.body.walk(&mut |e| {
                    if let ExprKind::Call { callee, .. } = &e.kind {
                        if let Some(&j) = index.get(callee.text.as_str()) {
                            out.insert(j);
                        }
                    }
                });
                out
            })
            .collect();
        let on_cycle = on_a_cycle(&callees);

        let mut graph = CallGraph::default();
        // Callees first (Kahn's order): a function is measured once everything it calls is.
        let mut callers: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (i, cs) in callees.iter().enumerate() {
            for &j in cs {
                callers[j].push(i);
            }
        }
        let mut waiting: Vec<usize> = callees.iter().map(VecSet::len).collect();
        let mut ready: Vec<usize> = (0..names.len()).filter(|&i| waiting[i] == 0).collect();
        let mut done = vec![false; names.len()];
        let mut nesting = vec![0usize; names.len()];
        let bodies: Vec<&ast::FnDecl> = fns.values().collect();
        while let Some(i) = ready.pop() {
            done[i] = true;
            let name = names[i].to_string();
            if callees[i].iter().any(|&j| graph.unexpandable.contains_key(names[j])) {
                graph.unexpandable.insert(name, Unexpandable::ViaCall);
            } else {
                let d = inlined_depth(&bodies[i].body, &|_| None, &graph);
                nesting[i] = 1 + callees[i].iter().map(|&j| nesting[j]).max().unwrap_or(0);
                if d > MAX_INLINED_DEPTH || nesting[i] > MAX_CALL_NESTING {
                    graph.unexpandable.insert(name, Unexpandable::TooDeep);
                } else {
                    graph.depth.insert(name, d);
                }
            }
            for &c in &callers[i] {
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    ready.push(c);
                }
            }
        }
        // What is left calls, or is, a function on a cycle.
        for i in (0..names.len()).filter(|&i| !done[i]) {
            let why = if on_cycle[i] { Unexpandable::Recursive } else { Unexpandable::ViaCall };
            graph.unexpandable.insert(names[i].to_string(), why);
        }
        graph
    }

    /// The depth of function `name`'s body with its calls written out, when it can be expanded;
    /// `None` for unknown and unexpandable functions.
    pub fn depth(&self, name: &str) -> Option<usize> {
        self.depth.get(name).copied()
    }

    /// Why function `name` cannot be expanded, if it cannot.
    pub fn unexpandable(&self, name: &str) -> Option<Unexpandable> {
        self.unexpandable.get(name).copied()
    }
}

/// How deep `e` is once the names (`let`s, via `name_depth`) and the functions it calls are
/// written out in its place. Calls to built-ins and to unexpandable functions count as one level.
pub fn inlined_depth(e: &ast::Expr, name_depth: &dyn Fn(&str) -> Option<usize>, calls: &CallGraph) -> usize {
    let own = match &e.kind {
        ExprKind::Name(n) => return name_depth(n).unwrap_or(1),
        ExprKind::Call { callee, .. } => calls.depth(&callee.text).unwrap_or(0),
        _ => 0,
    };
    let mut deepest = own;
    e.for_each_child(|c| deepest = deepest.max(inlined_depth(c, name_depth, calls)));
    deepest + 1
}

/// For each node of the graph, whether it lies on a cycle (a self-call included): Tarjan's
/// strongly connected components, with an explicit stack so thousands of nodes cannot overflow.
fn on_a_cycle(edges: &[VecSet<usize>]) -> Vec<bool> {
    let n = edges.len();
    let succ: Vec<Vec<usize>> = edges.iter().map(|s| s.iter().copied().collect()).collect();
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut result = vec![false; n];
    let mut next = 0;
    for root in 0..n {
        if index[root].is_some() {
            continue;
        }
        // (node, how many of its successors have been visited)
        let mut work = vec![(root, 0)];
        index[root] = Some(next);
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if let Some(&w) = succ[v].get(*k) {
                *k += 1;
                match index[w] {
                    None => {
                        index[w] = Some(next);
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    }
                    Some(iw) if on_stack[w] => low[v] = low[v].min(iw),
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if Some(low[v]) == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                let cyclic = component.len() > 1 || edges[v].contains(&v);
                for w in component {
                    result[w] = cyclic;
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(src: &str) -> CallGraph {
        let parse = crate::syntax::parse(src);
        let fns = parse
            .file
            .items
            .iter()
            .filter_map(|i| if let ast::Item::Fn(f) = i { Some((f.name.text.clone(), f.clone())) } else { None })
            .collect();
        CallGraph::build(&fns)
    }

    #[test]
    fn cycles_and_callers_of_cycles() {
        let g = graph(
            "fn a(x) = b(x)  fn b(x) = a(x)  fn c(x) = a(x) + 1  fn d(x) = d(x)  fn e(x) = x * 2  fn f(x) = e(e(x))",
        );
        assert_eq!(g.unexpandable("a"), Some(Unexpandable::Recursive));
        assert_eq!(g.unexpandable("b"), Some(Unexpandable::Recursive));
        assert_eq!(g.unexpandable("c"), Some(Unexpandable::ViaCall));
        assert_eq!(g.unexpandable("d"), Some(Unexpandable::Recursive));
        assert_eq!(g.unexpandable("e"), None);
        assert_eq!(g.depth("e"), Some(2));
        assert_eq!(g.depth("f"), Some(4));
    }

    #[test]
    fn a_long_chain_is_too_deep_once_and_measured_without_recursion() {
        let mut src = String::from("fn f0(x) = x\n");
        for i in 1..5000 {
            src.push_str(&format!("fn f{i}(x) = f{}(x) + 1\n", i - 1));
        }
        let g = graph(&src);
        let too_deep: Vec<_> =
            (0..5000).filter(|i| g.unexpandable(&format!("f{i}")) == Some(Unexpandable::TooDeep)).collect();
        assert_eq!(too_deep.len(), 1);
        assert_eq!(g.unexpandable("f4999"), Some(Unexpandable::ViaCall));
        assert!(g.depth("f10").is_some());
    }

    #[test]
    fn bodies_nested_deeper_than_the_interpreter_allows_are_too_deep() {
        // Each body is shallow (depth 2), but 40 of them call each other: 40 frames.
        let mut src = String::from("fn g0(x) = x\n");
        for i in 1..40 {
            src.push_str(&format!("fn g{i}(x) = g{}(x)\n", i - 1));
        }
        let g = graph(&src);
        assert!(g.depth(&format!("g{}", MAX_CALL_NESTING - 1)).is_some());
        assert_eq!(g.unexpandable(&format!("g{MAX_CALL_NESTING}")), Some(Unexpandable::TooDeep));
    }
}
