//! The formatter: prints a syntax tree back as canonical Chiso text, keeping comments.
//!
//! Files with syntax errors are not formatted (the caller reports the errors instead), so the
//! printer never meets an `Error` node in practice. Parentheses are kept as written, so the
//! output always parses to the same tree. Comments are placed before the item, property or arm
//! that follows them in the source; a comment at the end of a line stays at the end of that line.

use super::written_dates::{deadline_source, period_source};
use crate::diag::Span;
use crate::syntax::ast::*;
use crate::syntax::Parse;

/// Formats a parsed file. Returns `None` when the file has syntax errors.
pub fn format(text: &str, parse: &Parse) -> Option<String> {
    if !parse.errors.is_empty() {
        return None;
    }
    let mut p =
        Printer { text, out: String::new(), indent: 0, comments: &parse.comments, next_comment: 0, last_end: None };
    for item in &parse.file.items {
        p.item(item);
    }
    p.flush_comments(u32::MAX);
    while p.out.ends_with("\n\n") {
        p.out.pop();
    }
    Some(p.out)
}

/// An expression on one line, as the formatter prints it.
pub fn expr_to_string(e: &Expr) -> String {
    let mut p = Printer { text: "", out: String::new(), indent: 0, comments: &[], next_comment: 0, last_end: None };
    p.expr(e);
    p.out
}

struct Printer<'a> {
    text: &'a str,
    out: String,
    indent: usize,
    comments: &'a [Span],
    next_comment: usize,
    /// Where the last printed line ended in the source, to keep the author's blank lines.
    last_end: Option<u32>,
}

impl Printer<'_> {
    fn line_start(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    /// Keeps one blank line where the source has one or more before `pos`.
    fn blank_line_before(&mut self, pos: u32) {
        if let Some(end) = self.last_end {
            let between = self.text.get(end as usize..pos as usize).unwrap_or("");
            if between.matches('\n').count() >= 2 && !self.out.ends_with("\n\n") && !self.out.ends_with("{\n") {
                self.out.push('\n');
            }
        }
    }

    /// Prints every comment that starts before `pos`, each on its own line.
    fn flush_comments(&mut self, pos: u32) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= pos {
                break;
            }
            self.blank_line_before(c.start);
            self.line_start();
            self.out.push_str(c.text(self.text).trim_end());
            self.out.push('\n');
            self.next_comment += 1;
            self.last_end = Some(c.end);
        }
    }

    /// Ends a line, keeping a comment that followed `end` on the same source line.
    fn end_line(&mut self, end: u32) {
        self.last_end = Some(end);
        if let Some(c) = self.comments.get(self.next_comment) {
            let between = self.text.get(end as usize..c.start as usize).unwrap_or("\n");
            if c.start >= end && !between.contains('\n') {
                self.out.push_str("  ");
                self.out.push_str(c.text(self.text).trim_end());
                self.next_comment += 1;
                self.last_end = Some(c.end);
            }
        }
        self.out.push('\n');
    }

    fn begin(&mut self, span: Span) {
        self.flush_comments(span.start);
        self.blank_line_before(span.start);
        self.line_start();
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\t' => self.out.push_str("\\t"),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Rulebook(r) => {
                self.begin(r.span);
                self.out.push_str("rulebook ");
                self.string(&r.title.value);
                self.out.push_str(" {");
                self.end_line(r.title.span.end);
                self.indent += 1;
                for prop in &r.props {
                    match prop {
                        RulebookProp::Source(s) => {
                            self.begin(s.span);
                            self.out.push_str("source ");
                            self.string(&s.value);
                            self.end_line(s.span.end);
                        }
                        RulebookProp::Period(e) => {
                            self.begin(e.span);
                            self.out.push_str("period ");
                            self.expr(e);
                            self.end_line(e.span.end);
                        }
                        RulebookProp::Locale(n) => {
                            self.begin(n.span);
                            self.out.push_str("locale ");
                            self.out.push_str(&n.text);
                            self.end_line(n.span.end);
                        }
                        RulebookProp::Index(e) => {
                            self.begin(e.span);
                            self.out.push_str("index = ");
                            self.expr(e);
                            self.end_line(e.span.end);
                        }
                        RulebookProp::Units(s) => {
                            self.begin(s.span);
                            self.keyword_string("units ", &s.value);
                            self.end_line(s.span.end);
                        }
                        RulebookProp::Error(_) => {}
                    }
                }
                self.close(r.span);
            }
            Item::Unit(u) => {
                self.begin(u.span);
                self.out.push_str("unit ");
                if u.quoted {
                    self.string(&u.code.text);
                } else {
                    self.out.push_str(&u.code.text);
                }
                if let Some(t) = &u.title {
                    self.out.push(' ');
                    self.string(&t.value);
                }
                self.end_line(u.span.end);
            }
            Item::Agency(a) => {
                self.begin(a.span);
                self.out.push_str("agency ");
                self.out.push_str(&a.name.text);
                self.out.push(' ');
                self.string(&a.title.value);
                self.end_line(a.span.end);
            }
            Item::Section(s) => {
                self.begin(s.span);
                self.out.push_str("section ");
                self.out.push_str(&s.id.text);
                self.out.push(' ');
                self.string(&s.title.value);
                self.out.push_str(" {");
                self.end_line(s.title.span.end);
                self.indent += 1;
                for f in &s.fields {
                    self.begin(f.span);
                    self.out.push_str("field ");
                    self.out.push_str(&f.id.text);
                    self.out.push(' ');
                    self.string(&f.title.value);
                    self.out.push_str(": ");
                    self.type_expr(&f.ty);
                    if let Some(o) = &f.owner {
                        self.out.push_str(" owner ");
                        self.out.push_str(&o.text);
                    }
                    self.end_line(f.span.end);
                }
                self.close(s.span);
            }
            Item::Pillar(p) => {
                self.begin(p.span);
                self.out.push_str("pillar ");
                self.out.push_str(&p.id.text);
                self.out.push(' ');
                self.string(&p.title.value);
                if let Some(m) = &p.max {
                    self.out.push_str(" max ");
                    self.expr(m);
                }
                self.out.push_str(" {");
                self.end_line(p.max.as_ref().map_or(p.title.span.end, |m| m.span.end));
                self.indent += 1;
                for ind in &p.indicators {
                    self.indicator(ind);
                }
                self.close(p.span);
            }
            Item::Indicator(i) => self.indicator(i),
            Item::Fn(f) => {
                self.begin(f.span);
                self.out.push_str("fn ");
                self.out.push_str(&f.name.text);
                self.out.push('(');
                let params: Vec<&str> = f.params.iter().map(|p| p.text.as_str()).collect();
                self.out.push_str(&params.join(", "));
                self.out.push_str(") = ");
                self.expr(&f.body);
                self.end_line(f.span.end);
            }
            Item::Test(t) => {
                self.begin(t.span);
                self.out.push_str("test ");
                self.string(&t.title.value);
                self.out.push_str(" {");
                self.end_line(t.title.span.end);
                self.indent += 1;
                for s in &t.stmts {
                    self.test_stmt(s);
                }
                self.close(t.span);
            }
            Item::Planning(p) => self.planning(p),
            Item::Error(_) => {}
        }
    }

    fn planning(&mut self, p: &PlanningItem) {
        self.begin(p.span);
        self.out.push_str(p.kind.keyword());
        self.out.push(' ');
        if let Some(id) = &p.id {
            self.out.push_str(&id.text);
            self.out.push(' ');
        }
        self.string(&p.title.value);
        self.out.push_str(" {");
        self.end_line(p.title.span.end);
        self.indent += 1;
        for prop in &p.props {
            self.planning_prop(prop);
        }
        self.close(p.span);
    }

    fn planning_prop(&mut self, prop: &PlanningProp) {
        let names = |v: &[Name]| v.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join(", ");
        match &prop.kind {
            PropKind::Error => return,
            PropKind::Input(i) => return self.indicator_prop(&IndicatorProp::Input(i.clone())),
            PropKind::Let(n, e) => return self.indicator_prop(&IndicatorProp::Let(n.clone(), e.clone())),
            _ => {}
        }
        self.begin(prop.span);
        match &prop.kind {
            PropKind::Source(s) => self.keyword_string("source ", &s.value),
            PropKind::Period(p) => {
                self.out.push_str("period ");
                self.out.push_str(&period_source(p));
            }
            PropKind::Unit(s) => self.keyword_string("unit ", &s.value),
            PropKind::Locale(n) => {
                self.out.push_str("locale ");
                self.out.push_str(&n.text);
            }
            PropKind::Rulebook(s) => self.keyword_string("rulebook ", &s.value),
            PropKind::Indicator(n) => {
                self.out.push_str("indicator ");
                self.out.push_str(&n.text);
            }
            PropKind::Measure(t, label) => {
                self.out.push_str("measure ");
                self.type_expr(t);
                if let Some(l) = label {
                    self.out.push(' ');
                    self.string(&l.value);
                }
            }
            PropKind::Value(e) => {
                self.out.push_str("value = ");
                self.expr(e);
            }
            PropKind::Baseline(e, period) => {
                self.out.push_str("baseline ");
                self.expr(e);
                if let Some(p) = period {
                    self.out.push_str(" in ");
                    self.out.push_str(&period_source(p));
                }
            }
            PropKind::Goal(g) => {
                self.out.push_str("goal ");
                match &g.kind {
                    GoalKind::Plain(b) => self.goal_bound(b),
                    GoalKind::EachUnit(b) => {
                        self.out.push_str("each unit ");
                        self.goal_bound(b);
                    }
                    GoalKind::Levels(levels) => {
                        self.out.push_str("level ");
                        for (i, (n, b)) in levels.iter().enumerate() {
                            if i > 0 {
                                self.out.push_str(", ");
                            }
                            self.out.push_str(&n.text);
                            self.out.push(' ');
                            self.goal_bound(b);
                        }
                    }
                }
            }
            PropKind::Owner(v) => {
                self.out.push_str("owner ");
                self.out.push_str(&names(v));
            }
            PropKind::Cooperating(v) => {
                self.out.push_str("cooperating ");
                self.out.push_str(&names(v));
            }
            PropKind::Recipient(v) => {
                self.out.push_str("recipient ");
                self.out.push_str(&names(v));
            }
            PropKind::Due(d) => {
                self.out.push_str("due ");
                self.out.push_str(&deadline_source(d));
            }
            PropKind::Advances(v) => {
                self.out.push_str("advances ");
                self.out.push_str(&names(v));
            }
            PropKind::Group(s) => self.keyword_string("group ", &s.value),
            PropKind::SourceId(s) => self.keyword_string("source_id ", &s.value),
            PropKind::Note(s) => self.keyword_string("note ", &s.value),
            PropKind::Error | PropKind::Input(_) | PropKind::Let(..) => {}
        }
        self.end_line(prop.span.end);
    }

    fn keyword_string(&mut self, kw: &str, s: &str) {
        self.out.push_str(kw);
        self.string(s);
    }

    fn goal_bound(&mut self, b: &GoalBound) {
        match b {
            GoalBound::Cmp(op, e) => {
                self.out.push_str(op.as_str());
                self.out.push(' ');
                self.expr(e);
            }
            GoalBound::Range(lo, hi) => {
                self.out.push_str("in ");
                self.expr(lo);
                self.out.push_str("..");
                self.expr(hi);
            }
        }
    }

    /// Prints the closing brace of a block that ends at `span.end`.
    fn close(&mut self, span: Span) {
        self.flush_comments(span.end);
        self.indent = self.indent.saturating_sub(1);
        self.line_start();
        self.out.push('}');
        self.end_line(span.end);
    }

    fn indicator(&mut self, ind: &Indicator) {
        self.begin(ind.span);
        self.out.push_str("indicator ");
        self.out.push_str(&ind.id.text);
        self.out.push(' ');
        self.string(&ind.title.value);
        self.out.push_str(" {");
        self.end_line(ind.title.span.end);
        self.indent += 1;
        for prop in &ind.props {
            self.indicator_prop(prop);
        }
        self.close(ind.span);
    }

    fn indicator_prop(&mut self, prop: &IndicatorProp) {
        match prop {
            IndicatorProp::Max(e) => self.keyword_expr("max ", e),
            IndicatorProp::Owner(n) => {
                self.begin(n.span);
                self.out.push_str("owner ");
                self.out.push_str(&n.text);
                self.end_line(n.span.end);
            }
            IndicatorProp::Cooperating(names) => {
                let span = names.first().map_or(Span::default(), |f| f.span);
                let end = names.last().map_or(span.end, |l| l.span.end);
                self.begin(span);
                self.out.push_str("cooperating ");
                let list: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
                self.out.push_str(&list.join(", "));
                self.end_line(end);
            }
            IndicatorProp::SourceId(s) => {
                self.begin(s.span);
                self.out.push_str("source_id ");
                self.string(&s.value);
                self.end_line(s.span.end);
            }
            IndicatorProp::Note(s) => {
                self.begin(s.span);
                self.out.push_str("note ");
                self.string(&s.value);
                self.end_line(s.span.end);
            }
            IndicatorProp::NotScored(span) => {
                self.begin(*span);
                self.out.push_str("not_scored");
                self.end_line(span.end);
            }
            IndicatorProp::Input(i) => {
                self.begin(i.span);
                self.out.push_str("input ");
                self.out.push_str(&i.name.text);
                self.out.push_str(": ");
                self.type_expr(&i.ty);
                if let Some(d) = &i.description {
                    self.out.push(' ');
                    self.string(&d.value);
                }
                for m in &i.modifiers {
                    self.out.push(' ');
                    match m {
                        InputModifier::Positive(_) => self.out.push_str("positive"),
                        InputModifier::Neutral(_) => self.out.push_str("neutral"),
                        InputModifier::LowerIsBetter(_) => self.out.push_str("lower_is_better"),
                        InputModifier::Default(e) => {
                            self.out.push_str("default ");
                            self.expr(e)
                        }
                        InputModifier::Min(e) => {
                            self.out.push_str("at_least ");
                            self.expr(e)
                        }
                        InputModifier::Max(e) => {
                            self.out.push_str("at_most ");
                            self.expr(e)
                        }
                        InputModifier::Column(s) => {
                            self.out.push_str("column ");
                            self.string(&s.value);
                        }
                    }
                }
                self.end_line(i.span.end);
            }
            IndicatorProp::Assume(e) => self.keyword_expr("assume ", e),
            IndicatorProp::Let(n, e) => {
                self.begin(n.span);
                self.out.push_str("let ");
                self.out.push_str(&n.text);
                self.out.push_str(" = ");
                self.expr(e);
                self.end_line(e.span.end);
            }
            IndicatorProp::Score(e) => self.keyword_expr("score = ", e),
            IndicatorProp::Sub(i) => self.indicator(i),
            IndicatorProp::Error(_) => {}
        }
    }

    fn keyword_expr(&mut self, kw: &str, e: &Expr) {
        self.begin(e.span);
        self.out.push_str(kw);
        self.expr(e);
        self.end_line(e.span.end);
    }

    fn test_stmt(&mut self, s: &TestStmt) {
        match s {
            TestStmt::Given { unit, target, values, span } => {
                self.begin(*span);
                self.out.push_str("given ");
                if let Some(u) = unit {
                    self.string(&u.value);
                    self.out.push(' ');
                }
                self.out.push_str(&target.text);
                self.out.push_str(" { ");
                for (i, (n, v)) in values.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push_str(&n.text);
                    self.out.push_str(" = ");
                    self.expr(v);
                }
                self.out.push_str(" }");
                self.end_line(span.end);
            }
            TestStmt::Expect { unit, target, expected, span } => {
                self.begin(*span);
                self.out.push_str("expect ");
                if let Some(u) = unit {
                    self.string(&u.value);
                    self.out.push(' ');
                }
                match target {
                    ExpectTarget::Indicator(n) => self.out.push_str(&n.text),
                    ExpectTarget::Pillar(n) => {
                        self.out.push_str("pillar ");
                        self.out.push_str(&n.text)
                    }
                    ExpectTarget::Total(_) => self.out.push_str("total"),
                    ExpectTarget::Index(_) => self.out.push_str("index"),
                }
                match expected {
                    Expected::Value(e) => {
                        self.out.push_str(" = ");
                        self.expr(e)
                    }
                    Expected::NotEvaluable(_) => self.out.push_str(" not_evaluable"),
                    Expected::NotScored(_) => self.out.push_str(" not_scored"),
                }
                self.end_line(span.end);
            }
            TestStmt::Error(_) => {}
        }
    }

    fn type_expr(&mut self, t: &TypeExpr) {
        let s = match &t.kind {
            TypeKind::Count => "count",
            TypeKind::Number => "number",
            TypeKind::Percent => "percent",
            TypeKind::Money => "money",
            TypeKind::Points => "points",
            TypeKind::YesNo => "yes_no",
            TypeKind::Text => "text",
            TypeKind::Date => "date",
            TypeKind::Choice(opts) => {
                let list: Vec<&str> = opts.iter().map(|o| o.text.as_str()).collect();
                self.out.push_str("choice { ");
                self.out.push_str(&list.join(", "));
                self.out.push_str(" }");
                return;
            }
            TypeKind::Error => "",
        };
        self.out.push_str(s);
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Number { text, unit, .. } => {
                self.out.push_str(text);
                match unit {
                    Some(LitUnit::Percent) => self.out.push('%'),
                    Some(LitUnit::Points) => self.out.push_str(" pt"),
                    Some(LitUnit::Money) => self.out.push_str(" tỷ"),
                    None => {}
                }
            }
            ExprKind::Str(s) => self.string(s),
            ExprKind::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            ExprKind::Max => self.out.push_str("max"),
            ExprKind::Total => self.out.push_str("total"),
            ExprKind::Name(n) => self.out.push_str(n),
            ExprKind::Call { callee, args } => {
                self.out.push_str(&callee.text);
                self.out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(a);
                }
                self.out.push(')');
            }
            ExprKind::Unary(UnOp::Neg, x) => {
                self.out.push('-');
                self.expr(x)
            }
            ExprKind::Unary(UnOp::Not, x) => {
                self.out.push_str("not ");
                self.expr(x)
            }
            ExprKind::Binary(op, a, b) => {
                self.expr(a);
                // Keep the author's line break before the operator of a long sum.
                let broken =
                    self.text.get(a.span.end as usize..b.span.start as usize).is_some_and(|t| t.contains('\n'));
                if broken {
                    self.out.push('\n');
                    self.indent += 2;
                    self.line_start();
                    self.indent -= 2;
                } else {
                    self.out.push(' ');
                }
                self.out.push_str(op.as_str());
                self.out.push(' ');
                self.expr(b);
            }
            ExprKind::If(c, a, b) => {
                self.out.push_str("if ");
                self.expr(c);
                self.out.push_str(" then ");
                self.expr(a);
                self.out.push_str(" else ");
                self.expr(b);
            }
            ExprKind::Paren(x) => {
                self.out.push('(');
                self.expr(x);
                self.out.push(')');
            }
            ExprKind::When { scrutinee, arms } => {
                self.out.push_str("when ");
                self.expr(scrutinee);
                self.out.push_str(" {");
                self.arms(arms.iter().map(|a| (a.span, Arm::When(a))).collect(), e.span);
            }
            ExprKind::Match { scrutinee, arms } => {
                self.out.push_str("match ");
                self.expr(scrutinee);
                self.out.push_str(" {");
                self.arms(arms.iter().map(|a| (a.span, Arm::Match(a))).collect(), e.span);
            }
            ExprKind::Error => {}
        }
    }

    fn arms(&mut self, arms: Vec<(Span, Arm<'_>)>, whole: Span) {
        if self.text.is_empty() {
            // One-line rendering for explanations.
            for (i, (_, arm)) in arms.iter().enumerate() {
                self.out.push_str(if i == 0 { " " } else { ", " });
                self.arm(arm);
            }
            self.out.push_str(" }");
            return;
        }
        self.out.push('\n');
        self.indent += 1;
        for (span, arm) in &arms {
            self.begin(*span);
            self.arm(arm);
            self.out.push(',');
            self.end_line(span.end);
        }
        self.flush_comments(whole.end);
        self.indent -= 1;
        self.line_start();
        self.out.push('}');
    }

    fn arm(&mut self, arm: &Arm<'_>) {
        match arm {
            Arm::When(a) => {
                match &a.pattern {
                    WhenPattern::Cmp(op, v) => {
                        self.out.push_str(op.as_str());
                        self.out.push(' ');
                        self.expr(v);
                    }
                    WhenPattern::Range(lo, hi) => {
                        self.out.push_str("in ");
                        self.expr(lo);
                        self.out.push_str("..");
                        self.expr(hi);
                    }
                    WhenPattern::Else => self.out.push_str("else"),
                }
                self.out.push_str(" => ");
                self.expr(&a.body);
            }
            Arm::Match(a) => {
                self.out.push_str(a.option.as_ref().map_or("else", |o| o.text.as_str()));
                self.out.push_str(" => ");
                self.expr(&a.body);
            }
        }
    }
}

enum Arm<'a> {
    When(&'a WhenArm),
    Match(&'a MatchArm),
}
