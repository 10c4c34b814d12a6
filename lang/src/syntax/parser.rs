//! The production parser: hand-written recursive descent over logos tokens, with error recovery.
//!
//! `parse` always returns a tree plus the errors found; a broken property or item becomes an
//! `Error` node and parsing resumes at the next property or item keyword, so one mistake does not
//! hide the rest. Nesting is limited to [`MAX_DEPTH`] so hostile input cannot overflow a small
//! (wasm) stack. `spec/grammar.pest` is the reference grammar; a test checks they agree.

use super::ast::*;
use super::lexer::{is_keyword, lex_anchored, Token, TokenKind as T};
use crate::diag::message::{Found, Wanted};
use crate::diag::{Anchor, Code, Diagnostic, Hint, Message, Span};
use crate::num::{Num, NumError};

/// The deepest nesting of expressions and blocks accepted.
pub const MAX_DEPTH: u32 = 64;

/// Words that start a top-level item; the parser resynchronises on them.
const ITEM_KEYWORDS: &[&str] =
    &["rulebook", "agency", "section", "pillar", "indicator", "fn", "test", "plan", "target", "task", "schedule"];
/// Words that start an indicator property.
const PROP_KEYWORDS: &[&str] =
    &["max", "owner", "cooperating", "source_id", "note", "not_scored", "input", "assume", "let", "score", "indicator"];

/// The result of parsing: a tree, the comments, and the syntax errors.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Parse {
    /// The tree, complete even when there are errors.
    pub file: File,
    /// Spans of `//` comments, for the formatter.
    pub comments: Vec<Span>,
    /// Syntax errors, in source order.
    pub errors: Vec<Diagnostic>,
}

/// Parses a whole file.
pub fn parse(text: &str) -> Parse {
    parse_anchored(text, Anchor::LOCAL)
}

/// [`parse`], with every span of the tree and of its errors counting from `anchor`.
pub fn parse_anchored(text: &str, anchor: Anchor) -> Parse {
    let (tokens, comments) = lex_anchored(text, anchor);
    let mut p = Parser { text, tokens, pos: 0, depth: 0, errors: Vec::new(), bailed: false };
    let mut items = Vec::new();
    while !p.at(T::Eof) {
        let before = p.pos;
        items.push(p.item());
        if p.bailed {
            p.bailed = false;
            p.depth = 0;
            p.recover_to_item();
        }
        if p.pos == before {
            // INVARIANT: every loop iteration consumes a token, so parsing terminates.
            p.bump();
        }
    }
    Parse { file: File { items }, comments, errors: p.errors }
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    pos: usize,
    depth: u32,
    errors: Vec<Diagnostic>,
    /// Set when nesting went too deep: everything unwinds to the item loop.
    bailed: bool,
}

impl<'t> Parser<'t> {
    // ----- token helpers -------------------------------------------------------------------

    fn peek(&self) -> Token {
        self.nth(0)
    }
    fn nth(&self, n: usize) -> Token {
        // Past the end is the end: the token list always closes with `Eof` (with the anchor).
        let eof = Token { kind: T::Eof, span: Span::new(self.text.len(), self.text.len()) };
        self.tokens.get(self.pos + n).or(self.tokens.last()).copied().unwrap_or(eof)
    }
    fn at(&self, kind: T) -> bool {
        self.peek().kind == kind
    }
    fn at_word(&self, word: &str) -> bool {
        let t = self.peek();
        t.kind == T::Ident && t.span.text(self.text) == word
    }
    fn bump(&mut self) -> Token {
        let t = self.peek();
        if t.kind != T::Eof {
            self.pos += 1;
        }
        t
    }
    fn prev_end(&self) -> Span {
        let end = self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)).map_or(0, |t| t.span.end);
        self.peek().span.at(end)
    }
    fn eat(&mut self, kind: T) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn eat_word(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    #[inline(never)]
    fn describe(&self, t: Token) -> Found {
        let text = || t.span.text(self.text).to_string();
        match t.kind {
            T::Eof => Found::Eof,
            T::Error => Found::InvalidChar(text()),
            T::Ident if is_keyword(t.span.text(self.text)) => Found::Keyword(text()),
            T::Ident => Found::Name(text()),
            T::Str | T::UnterminatedStr => Found::Str,
            T::Number | T::Dotted => Found::Number(text()),
            _ => Found::Token(text()),
        }
    }

    /// Reports "expected X, found Y" at the current token, once per position.
    #[inline(never)]
    fn error_expected(&mut self, wanted: Wanted) {
        let t = self.peek();
        let (code, message) = match t.kind {
            T::Error => (Code::E0103, Message::InvalidCharExpected { ch: t.span.text(self.text).to_string(), wanted }),
            T::UnterminatedStr => (Code::E0102, Message::UnterminatedString),
            _ => (Code::E0101, Message::ExpectedFound { wanted, found: self.describe(t) }),
        };
        if self.errors.last().is_some_and(|d| d.span == t.span) {
            return;
        }
        let mut d = Diagnostic::new(code, t.span, message);
        if code == Code::E0102 {
            d = d.with_help(Hint::CloseString);
        }
        self.errors.push(d);
    }

    #[inline(never)]
    fn expect(&mut self, kind: T, what: Wanted) -> bool {
        if self.eat(kind) {
            true
        } else {
            self.error_expected(what);
            false
        }
    }

    #[inline(never)]
    fn expect_word(&mut self, word: &str) -> bool {
        if self.eat_word(word) {
            true
        } else {
            self.error_expected(Wanted::Word(word.to_string()));
            false
        }
    }

    /// Skips to the next item keyword at brace depth 0 (relative to here).
    fn recover_to_item(&mut self) {
        let mut depth = 0i32;
        loop {
            let t = self.peek();
            match t.kind {
                T::Eof => return,
                T::LBrace => depth += 1,
                T::RBrace => depth -= 1,
                T::Ident if depth <= 0 && ITEM_KEYWORDS.contains(&t.span.text(self.text)) => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips the rest of a broken property: up to the next property keyword or the closing brace
    /// of the enclosing block, stepping over nested braces.
    #[inline(never)]
    fn recover_in_block(&mut self, keywords: &[&str]) {
        let mut depth = 0i32;
        loop {
            let t = self.peek();
            match t.kind {
                T::Eof => return,
                T::LBrace => depth += 1,
                T::RBrace if depth == 0 => return,
                T::RBrace => depth -= 1,
                T::Ident if depth == 0 && keywords.contains(&t.span.text(self.text)) => return,
                _ => {}
            }
            self.bump();
        }
    }

    fn enter(&mut self) -> bool {
        self.enter_as(Message::TooDeepNesting { max: MAX_DEPTH })
    }
    /// One more operator of a chain like `a + b + c`. A chain is a tree as deep as it is long,
    /// and the checker and the interpreter recurse on that tree, so its operators count toward
    /// the same limit as parentheses.
    fn enter_chain(&mut self) -> bool {
        self.enter_as(Message::TooDeepChain { max: MAX_DEPTH })
    }
    fn enter_as(&mut self, message: Message) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            if !self.bailed {
                let span = self.peek().span;
                self.errors.push(Diagnostic::new(Code::E0104, span, message).with_help(Hint::SplitWithLet));
            }
            self.bailed = true;
        }
        !self.bailed
    }
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- leaves --------------------------------------------------------------------------

    fn name(&mut self, what: Wanted) -> Name {
        let t = self.peek();
        if t.kind == T::Ident && !is_keyword(t.span.text(self.text)) {
            self.bump();
            Name { text: t.span.text(self.text).to_string(), span: t.span }
        } else {
            self.error_expected(what);
            Name { text: String::new(), span: t.span.at(t.span.start) }
        }
    }

    /// An id: a name (`III`, `A`), a number (`3.1`, `9`) or a dotted id (`5.12.1`).
    fn id(&mut self, what: Wanted) -> Name {
        let t = self.peek();
        match t.kind {
            T::Number | T::Dotted => {
                self.bump();
                Name { text: t.span.text(self.text).to_string(), span: t.span }
            }
            _ => self.name(what),
        }
    }

    fn string(&mut self, what: Wanted) -> Str {
        let t = self.peek();
        if t.kind == T::Str {
            self.bump();
            Str { value: unescape(t.span.text(self.text)), span: t.span }
        } else {
            self.error_expected(what);
            if t.kind == T::UnterminatedStr {
                self.bump();
            }
            Str { value: String::new(), span: t.span.at(t.span.start) }
        }
    }

    fn opt_string(&mut self) -> Option<Str> {
        (self.at(T::Str) || self.at(T::UnterminatedStr)).then(|| self.string(Wanted::Str))
    }

    // ----- items ---------------------------------------------------------------------------

    fn item(&mut self) -> Item {
        let start = self.peek().span;
        let t = self.peek();
        let word = if t.kind == T::Ident { t.span.text(self.text) } else { "" };
        match word {
            "rulebook" => Item::Rulebook(self.rulebook()),
            "agency" => Item::Agency(self.agency()),
            "section" => Item::Section(self.section()),
            "pillar" => Item::Pillar(self.pillar()),
            "indicator" => Item::Indicator(self.indicator()),
            "fn" => Item::Fn(self.fn_decl()),
            "test" => Item::Test(self.test()),
            "plan" => Item::Planning(self.planning_item(PlanningKind::Plan)),
            "target" => Item::Planning(self.planning_item(PlanningKind::Target)),
            "task" => Item::Planning(self.planning_item(PlanningKind::Task)),
            "schedule" => Item::Planning(self.planning_item(PlanningKind::Schedule)),
            "unit" => Item::Unit(self.unit_decl()),
            _ => {
                self.error_expected(Wanted::Item);
                self.bump();
                self.recover_to_item();
                Item::Error(start.to(self.prev_end()))
            }
        }
    }

    /// Parses `rulebook "title" { source "…" period 2022 locale vi index = total / 1000 }`.
    fn rulebook(&mut self) -> Rulebook {
        let start = self.bump().span;
        let title = self.string(Wanted::RulebookTitle);
        let mut props = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
            const KW: &[&str] = &["source", "period", "locale", "index", "units"];
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let s = self.peek().span;
                if self.eat_word("source") {
                    props.push(RulebookProp::Source(self.string(Wanted::SourceText)));
                } else if self.eat_word("period") {
                    props.push(RulebookProp::Period(self.expr()));
                } else if self.eat_word("locale") {
                    props.push(RulebookProp::Locale(self.name(Wanted::Locale)));
                } else if self.eat_word("index") {
                    self.expect(T::Eq, Wanted::Tokens(&["="]));
                    props.push(RulebookProp::Index(self.expr()));
                } else if self.eat_word("units") {
                    props.push(RulebookProp::Units(self.string(Wanted::UnitsFile)));
                } else {
                    self.error_expected(Wanted::Tokens(&["source", "period", "locale", "index", "units", "}"]));
                    self.bump();
                    self.recover_in_block(KW);
                    props.push(RulebookProp::Error(s.to(self.prev_end())));
                }
            }
            self.expect(T::RBrace, Wanted::Tokens(&["}"]));
        }
        Rulebook { title, props, span: start.to(self.prev_end()) }
    }

    /// Parses `agency SoTTTT "Sở Thông tin và Truyền thông"`.
    fn agency(&mut self) -> Agency {
        let start = self.bump().span;
        let name = self.name(Wanted::AgencyShortName);
        let title = self.string(Wanted::AgencyFullName);
        Agency { name, title, span: start.to(self.prev_end()) }
    }

    /// Parses `unit P01 "Tỉnh An Phú"` or `unit "Sở Tài chính"` (a code with spaces is a string;
    /// the name is optional).
    fn unit_decl(&mut self) -> UnitDecl {
        let start = self.bump().span;
        let (code, quoted) = if self.at(T::Str) {
            let s = self.string(Wanted::UnitCode);
            (Name { text: s.value, span: s.span }, true)
        } else {
            (self.id(Wanted::UnitCodeAsData), false)
        };
        let title = self.opt_string();
        UnitDecl { code, quoted, title, span: start.to(self.prev_end()) }
    }

    /// Parses `section A "THÔNG TIN CHUNG" { field 4 "Số lượng dân số": count owner CucTK … }`.
    fn section(&mut self) -> Section {
        let start = self.bump().span;
        let id = self.id(Wanted::SectionId);
        let title = self.string(Wanted::SectionTitle);
        let mut fields = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let s = self.peek().span;
                if self.eat_word("field") {
                    let id = self.id(Wanted::FieldId);
                    let title = self.string(Wanted::FieldTitle);
                    self.expect(T::Colon, Wanted::Tokens(&[":"]));
                    let ty = self.type_expr();
                    let owner = self.eat_word("owner").then(|| self.name(Wanted::Agency));
                    fields.push(Field { id, title, ty, owner, span: s.to(self.prev_end()) });
                } else {
                    self.error_expected(Wanted::Tokens(&["field", "}"]));
                    self.bump();
                    self.recover_in_block(&["field"]);
                }
            }
            self.expect(T::RBrace, Wanted::Tokens(&["}"]));
        }
        Section { id, title, fields, span: start.to(self.prev_end()) }
    }

    /// Parses `pillar III "HẠ TẦNG SỐ" max 100 { indicator … }`.
    fn pillar(&mut self) -> Pillar {
        let start = self.bump().span;
        let id = self.id(Wanted::PillarId);
        let title = self.string(Wanted::PillarTitle);
        let max = if self.expect_word("max") { Some(self.expr()) } else { None };
        let mut indicators = Vec::new();
        let mut errors = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                if self.at_word("indicator") {
                    indicators.push(self.indicator());
                } else {
                    let s = self.peek().span;
                    self.error_expected(Wanted::Tokens(&["indicator", "}"]));
                    self.bump();
                    self.recover_in_block(&["indicator"]);
                    errors.push(s.to(self.prev_end()));
                }
            }
            self.expect(T::RBrace, Wanted::Tokens(&["}"]));
        }
        Pillar { id, title, max, indicators, errors, span: start.to(self.prev_end()) }
    }

    /// Parses `indicator 3.1 "title" { max 10 owner … input … let … score = … }`.
    fn indicator(&mut self) -> Indicator {
        let start = self.bump().span;
        let id = self.id(Wanted::IndicatorIdDecl);
        let title = self.string(Wanted::IndicatorTitle);
        let mut props = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) && self.enter() {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let before = self.errors.len();
                let s = self.peek().span;
                let prop = self.indicator_prop();
                if self.errors.len() > before && !self.bailed {
                    // A broken property: skip what is left of it, keep what parsed.
                    self.recover_in_block(PROP_KEYWORDS);
                    // A broken `let` still declares its name, so its uses are not reported again.
                    if let Some(IndicatorProp::Let(name, e)) = prop {
                        if !name.text.is_empty() {
                            props.push(IndicatorProp::Let(name, Expr { kind: ExprKind::Error, span: e.span }));
                        }
                    }
                    props.push(IndicatorProp::Error(s.to(self.prev_end())));
                } else if let Some(prop) = prop {
                    props.push(prop);
                }
            }
            self.leave();
            if !self.bailed {
                self.expect(T::RBrace, Wanted::Tokens(&["}"]));
            }
        }
        Indicator { id, title, props, span: start.to(self.prev_end()) }
    }

    fn indicator_prop(&mut self) -> Option<IndicatorProp> {
        let t = self.peek();
        let word = if t.kind == T::Ident { t.span.text(self.text) } else { "" };
        let prop = match word {
            "max" => {
                self.bump();
                IndicatorProp::Max(self.expr())
            }
            "owner" => {
                self.bump();
                IndicatorProp::Owner(self.name(Wanted::Agency))
            }
            "cooperating" => {
                self.bump();
                let mut names = vec![self.name(Wanted::Agency)];
                while self.eat(T::Comma) {
                    names.push(self.name(Wanted::Agency));
                }
                IndicatorProp::Cooperating(names)
            }
            "source_id" => {
                self.bump();
                IndicatorProp::SourceId(self.string(Wanted::PrintedId))
            }
            "note" => {
                self.bump();
                IndicatorProp::Note(self.string(Wanted::NoteText))
            }
            "not_scored" => IndicatorProp::NotScored(self.bump().span),
            "input" => {
                self.bump();
                IndicatorProp::Input(self.input_decl(t.span))
            }
            "assume" => {
                self.bump();
                IndicatorProp::Assume(self.expr())
            }
            "let" => {
                self.bump();
                let name = self.name(Wanted::ValueName);
                self.expect(T::Eq, Wanted::Tokens(&["="]));
                IndicatorProp::Let(name, self.expr())
            }
            "score" => {
                self.bump();
                self.expect(T::Eq, Wanted::Tokens(&["="]));
                IndicatorProp::Score(self.expr())
            }
            "indicator" => IndicatorProp::Sub(self.indicator()),
            _ => {
                self.error_expected(Wanted::IndicatorProperty);
                self.bump();
                return None;
            }
        };
        Some(prop)
    }

    /// Parses `a: count "description" positive neutral default 0 column "Số hồ sơ"`.
    fn input_decl(&mut self, start: Span) -> InputDecl {
        let name = self.name(Wanted::InputName);
        self.expect(T::Colon, Wanted::Tokens(&[":"]));
        let ty = self.type_expr();
        let description = self.opt_string();
        let mut modifiers = Vec::new();
        loop {
            let t = self.peek();
            let word = if t.kind == T::Ident { t.span.text(self.text) } else { "" };
            match word {
                "positive" => modifiers.push(InputModifier::Positive(self.bump().span)),
                "neutral" => modifiers.push(InputModifier::Neutral(self.bump().span)),
                "lower_is_better" => modifiers.push(InputModifier::LowerIsBetter(self.bump().span)),
                "default" => {
                    self.bump();
                    modifiers.push(InputModifier::Default(self.literal()))
                }
                "at_least" => {
                    self.bump();
                    modifiers.push(InputModifier::Min(self.literal()))
                }
                "at_most" => {
                    self.bump();
                    modifiers.push(InputModifier::Max(self.literal()))
                }
                "column" => {
                    self.bump();
                    modifiers.push(InputModifier::Column(self.string(Wanted::Str)))
                }
                _ => break,
            }
        }
        InputDecl { name, ty, description, modifiers, span: start.to(self.prev_end()) }
    }

    fn type_expr(&mut self) -> TypeExpr {
        let t = self.peek();
        let word = if t.kind == T::Ident { t.span.text(self.text) } else { "" };
        let kind = match word {
            "count" => TypeKind::Count,
            "number" => TypeKind::Number,
            "percent" => TypeKind::Percent,
            "money" => TypeKind::Money,
            "points" => TypeKind::Points,
            "yes_no" => TypeKind::YesNo,
            "text" => TypeKind::Text,
            "date" => TypeKind::Date,
            "choice" => {
                self.bump();
                let mut options = Vec::new();
                if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
                    loop {
                        options.push(self.name(Wanted::OptionName));
                        if !self.eat(T::Comma) || self.at(T::RBrace) {
                            break;
                        }
                    }
                    self.expect(T::RBrace, Wanted::Tokens(&["}"]));
                }
                return TypeExpr { kind: TypeKind::Choice(options), span: t.span.to(self.prev_end()) };
            }
            _ => {
                self.error_expected(Wanted::Type);
                return TypeExpr { kind: TypeKind::Error, span: t.span };
            }
        };
        self.bump();
        TypeExpr { kind, span: t.span }
    }

    /// Parses `fn name(a, b) = expr`.
    fn fn_decl(&mut self) -> FnDecl {
        let start = self.bump().span;
        let name = self.name(Wanted::FunctionName);
        let mut params = Vec::new();
        if self.expect(T::LParen, Wanted::Tokens(&["("])) {
            if !self.at(T::RParen) {
                loop {
                    params.push(self.name(Wanted::ParamName));
                    if !self.eat(T::Comma) || self.at(T::RParen) {
                        break;
                    }
                }
            }
            self.expect(T::RParen, Wanted::Tokens(&[")"]));
        }
        self.expect(T::Eq, Wanted::Tokens(&["="]));
        let body = self.expr();
        FnDecl { name, params, body, span: start.to(self.prev_end()) }
    }

    /// Parses `test "title" { given "U" 3.1 { a = 1 } expect "U" 3.1 = 6 }`.
    fn test(&mut self) -> TestDecl {
        let start = self.bump().span;
        let title = self.string(Wanted::TestTitle);
        let mut stmts = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let s = self.peek().span;
                let before = self.errors.len();
                let stmt = if self.eat_word("given") {
                    let unit = self.opt_string();
                    let target = self.id(Wanted::IndicatorOrSection);
                    let mut values = Vec::new();
                    if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
                        while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                            let n = self.id(Wanted::InputOrField);
                            self.expect(T::Eq, Wanted::Tokens(&["="]));
                            let v = self.literal();
                            values.push((n, v));
                            if !self.eat(T::Comma) {
                                break;
                            }
                        }
                        self.expect(T::RBrace, Wanted::Tokens(&["}"]));
                    }
                    TestStmt::Given { unit, target, values, span: s.to(self.prev_end()) }
                } else if self.eat_word("expect") {
                    let unit = self.opt_string();
                    let target = if self.at_word("total") {
                        ExpectTarget::Total(self.bump().span)
                    } else if self.at_word("index") {
                        ExpectTarget::Index(self.bump().span)
                    } else if self.eat_word("pillar") {
                        ExpectTarget::Pillar(self.id(Wanted::PillarIdRef))
                    } else {
                        ExpectTarget::Indicator(self.id(Wanted::ExpectTarget))
                    };
                    let expected = if self.at_word("not_evaluable") {
                        Expected::NotEvaluable(self.bump().span)
                    } else if self.at_word("not_scored") {
                        Expected::NotScored(self.bump().span)
                    } else {
                        self.expect(T::Eq, Wanted::Tokens(&["=", "not_evaluable", "not_scored"]));
                        Expected::Value(self.literal())
                    };
                    TestStmt::Expect { unit, target, expected, span: s.to(self.prev_end()) }
                } else {
                    self.error_expected(Wanted::Tokens(&["given", "expect", "}"]));
                    self.bump();
                    TestStmt::Error(s)
                };
                if self.errors.len() > before && !self.bailed {
                    self.recover_in_block(&["given", "expect"]);
                    stmts.push(TestStmt::Error(s.to(self.prev_end())));
                } else {
                    stmts.push(stmt);
                }
            }
            self.expect(T::RBrace, Wanted::Tokens(&["}"]));
        }
        TestDecl { title, stmts, span: start.to(self.prev_end()) }
    }

    // ----- planning items -------------------------------------------------------------------

    /// Parses `plan "…" { … }`, `target ID "…" { … }`, `task ID "…" { … }` or
    /// `schedule "…" { … }`; the properties allowed depend on the item (`PlanningKind::props`).
    fn planning_item(&mut self, kind: PlanningKind) -> PlanningItem {
        let start = self.bump().span;
        let id = kind.has_id().then(|| self.id(Wanted::ItemId { keyword: kind.keyword() }));
        let title = self.string(Wanted::ItemTitle { keyword: kind.keyword() });
        let mut props = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) && self.enter() {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let before = self.errors.len();
                let s = self.peek().span;
                let prop = self.planning_prop(kind);
                if self.errors.len() > before && !self.bailed {
                    self.recover_in_block(kind.props());
                    props.push(PlanningProp { kind: PropKind::Error, span: s.to(self.prev_end()) });
                } else if let Some(kind) = prop {
                    props.push(PlanningProp { kind, span: s.to(self.prev_end()) });
                }
            }
            self.leave();
            if !self.bailed {
                self.expect(T::RBrace, Wanted::Tokens(&["}"]));
            }
        }
        PlanningItem { kind, id, title, props, span: start.to(self.prev_end()) }
    }

    fn planning_prop(&mut self, item: PlanningKind) -> Option<PropKind> {
        let t = self.peek();
        let word = if t.kind == T::Ident { t.span.text(self.text) } else { "" };
        if !item.props().contains(&word) {
            self.error_expected(Wanted::ItemProperty { keyword: item.keyword(), props: item.props() });
            self.bump();
            return None;
        }
        self.bump();
        let prop = match word {
            "source" => PropKind::Source(self.string(Wanted::SourceText)),
            "period" => PropKind::Period(self.period()),
            "unit" => PropKind::Unit(self.string(Wanted::PlanUnit)),
            "locale" => PropKind::Locale(self.name(Wanted::Locale)),
            "rulebook" => PropKind::Rulebook(self.string(Wanted::RulebookFile)),
            "indicator" => PropKind::Indicator(self.id(Wanted::IndicatorId)),
            "measure" => {
                let ty = self.type_expr();
                PropKind::Measure(ty, self.opt_string())
            }
            "input" => PropKind::Input(self.input_decl(t.span)),
            "let" => {
                let name = self.name(Wanted::ValueName);
                self.expect(T::Eq, Wanted::Tokens(&["="]));
                PropKind::Let(name, self.expr())
            }
            "value" => {
                self.expect(T::Eq, Wanted::Tokens(&["="]));
                PropKind::Value(self.expr())
            }
            "baseline" => {
                let value = self.literal();
                let period = self.eat_word("in").then(|| self.period());
                PropKind::Baseline(value, period)
            }
            "goal" => PropKind::Goal(self.goal()),
            "owner" => PropKind::Owner(self.names(Wanted::Agency)),
            "cooperating" => PropKind::Cooperating(self.names(Wanted::Agency)),
            "recipient" => PropKind::Recipient(self.names(Wanted::Agency)),
            "due" => PropKind::Due(self.deadline()),
            "advances" => {
                let mut ids = vec![self.id(Wanted::IndicatorOrTargetId)];
                while self.eat(T::Comma) {
                    ids.push(self.id(Wanted::IndicatorOrTargetId));
                }
                PropKind::Advances(ids)
            }
            "group" => PropKind::Group(self.string(Wanted::GroupHeading)),
            "source_id" => PropKind::SourceId(self.string(Wanted::PrintedIdPlan)),
            _ => PropKind::Note(self.string(Wanted::NoteText)),
        };
        Some(prop)
    }

    /// `A, B, C`: one or more names separated by commas.
    fn names(&mut self, what: Wanted) -> Vec<Name> {
        let mut names = vec![self.name(what.clone())];
        while self.eat(T::Comma) {
            names.push(self.name(what.clone()));
        }
        names
    }

    /// Whether tokens `n` and `n + 1` (from here) touch, with nothing between them.
    fn touching(&self, n: usize) -> bool {
        self.nth(n).span.end == self.nth(n + 1).span.start
    }

    /// The value of the token `n` ahead when it is a run of 1 to `max_len` ASCII digits.
    fn digits_at(&self, n: usize, max_len: usize) -> Option<u32> {
        let t = self.nth(n);
        let text = t.span.text(self.text);
        (t.kind == T::Number && !text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    }

    /// Whether only spaces or tabs separate tokens `n` and `n + 1`.
    fn spaced(&self, n: usize) -> bool {
        let (a, b) = (self.nth(n).span.end as usize, self.nth(n + 1).span.start as usize);
        a < b && self.text.get(a..b).is_some_and(|gap| gap.bytes().all(|c| c == b' ' || c == b'\t'))
    }

    /// A date the way the Vietnamese documents write it: `Quý I/2024` (or `Quý 1/2024`),
    /// `Tháng 10/2022`, `Năm 2024`, `31/12/2024`. Slashes touch their numbers; one or more
    /// spaces follow `Quý`, `Tháng` and `Năm`.
    fn date_vi(&mut self) -> Option<DateLit> {
        let start = self.peek().span;
        let word = start.text(self.text);
        // `/` at `n`, touching the tokens on both sides.
        let slash = |p: &Self, n: usize| p.nth(n).kind == T::Slash && p.touching(n - 1) && p.touching(n);
        let (kind, tokens) = match word {
            "Quý" if self.spaced(0) && slash(self, 2) => {
                let numeral = self.nth(1).span.text(self.text);
                let q = match numeral {
                    "I" | "1" => 1,
                    "II" | "2" => 2,
                    "III" | "3" => 3,
                    "IV" | "4" => 4,
                    _ => return None,
                };
                (DateKind::Quarter(self.digits_exact(3, 4)?, q), 4)
            }
            "Tháng" if self.spaced(0) && slash(self, 2) => {
                (DateKind::Month(self.digits_exact(3, 4)?, self.digits_at(1, 2)?), 4)
            }
            "Năm" if self.spaced(0) => (DateKind::Year(self.digits_exact(1, 4)?), 2),
            _ if self.peek().kind == T::Number && slash(self, 1) && slash(self, 3) => {
                let (day, month) = (self.digits_at(0, 2)?, self.digits_at(2, 2)?);
                (DateKind::Day(self.digits_exact(4, 4)?, month, day), 5)
            }
            _ => return None,
        };
        for _ in 0..tokens {
            self.bump();
        }
        Some(DateLit { kind, span: start.to(self.prev_end()), vietnamese: true })
    }

    /// Whether the next token starts a date written the Vietnamese way.
    fn at_date_vi(&self) -> bool {
        let t = self.peek();
        matches!(t.span.text(self.text), "Quý" | "Tháng" | "Năm")
            || (t.kind == T::Number && self.nth(1).kind == T::Slash && self.touching(0))
    }

    /// A date: `2024`, `2022-10`, `Q4/2022` or `2022-10-15`, written without spaces, or one of
    /// the Vietnamese forms of [`Parser::date_vi`].
    fn date_lit(&mut self) -> DateLit {
        if let Some(d) = self.date_vi() {
            return d;
        }
        let start = self.peek().span;
        let word = start.text(self.text);
        let quarter = word
            .strip_prefix('Q')
            .filter(|d| d.len() == 1 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|_| self.peek().kind == T::Ident);
        if let Some(q) = quarter {
            if self.nth(1).kind == T::Slash && self.touching(0) && self.touching(1) {
                if let Some(year) = self.digits_exact(2, 4) {
                    self.bump();
                    self.bump();
                    let end = self.bump().span;
                    return DateLit { kind: DateKind::Quarter(year, q), span: start.to(end), vietnamese: false };
                }
            }
        }
        let Some(year) = self.digits_exact(0, 4) else {
            self.error_expected(Wanted::Date);
            return DateLit { kind: DateKind::Year(0), span: start.at(start.start), vietnamese: false };
        };
        // `-` at `n`, touching the digits on both sides, then one or two digits.
        let part = |p: &Self, n: usize| {
            if p.nth(n).kind == T::Minus && p.touching(n - 1) && p.touching(n) {
                p.digits_at(n + 1, 2)
            } else {
                None
            }
        };
        let (kind, tokens) = match part(self, 1) {
            None => (DateKind::Year(year), 1),
            Some(month) => match part(self, 3) {
                None => (DateKind::Month(year, month), 3),
                Some(day) => (DateKind::Day(year, month, day), 5),
            },
        };
        for _ in 0..tokens {
            self.bump();
        }
        DateLit { kind, span: start.to(self.prev_end()), vietnamese: false }
    }

    /// The value of the token `n` ahead when it is exactly `len` ASCII digits.
    fn digits_exact(&self, n: usize, len: usize) -> Option<u32> {
        self.digits_at(n, len).filter(|_| self.nth(n).span.text(self.text).len() == len)
    }

    /// `2024` or `2024-01-01..2024-06-30`.
    fn period(&mut self) -> Period {
        let start = self.date_lit();
        let end = self.eat(T::DotDot).then(|| self.date_lit());
        let span = start.span.to(end.as_ref().map_or(start.span, |e| e.span));
        Period { start, end, span }
    }

    /// `before` or `by`.
    fn cutoff(&mut self) -> Option<Cutoff> {
        if self.eat_word("before") {
            Some(Cutoff::Before)
        } else if self.eat_word("by") {
            Some(Cutoff::By)
        } else {
            None
        }
    }

    /// `day 25`.
    fn day_of_month(&mut self) -> DayOfMonth {
        let start = self.peek().span;
        self.expect_word("day");
        let t = self.peek();
        match self.digits_at(0, 2) {
            Some(day) => {
                self.bump();
                DayOfMonth { day, span: start.to(t.span) }
            }
            None => {
                self.error_expected(Wanted::DayOfMonth);
                DayOfMonth { day: 0, span: start }
            }
        }
    }

    /// A deadline after `due`: a date, `ongoing`, `yearly [before|by MM-DD]`,
    /// `quarterly [before|by day N of last month]` or `monthly [before|by day N]`.
    fn deadline(&mut self) -> Deadline {
        let start = self.peek().span;
        let kind = if self.eat_word("ongoing") {
            DeadlineKind::Ongoing
        } else if self.eat_word("yearly") {
            DeadlineKind::Yearly(self.cutoff().map(|c| {
                let s = self.peek().span;
                let md = match (self.digits_at(0, 2), self.digits_at(2, 2)) {
                    (Some(month), Some(day))
                        if self.nth(1).kind == T::Minus && self.touching(0) && self.touching(1) =>
                    {
                        self.bump();
                        self.bump();
                        self.bump();
                        MonthDay { month, day, span: s.to(self.prev_end()) }
                    }
                    _ => {
                        self.error_expected(Wanted::DayOfYear);
                        MonthDay { month: 0, day: 0, span: s }
                    }
                };
                (c, md)
            }))
        } else if self.eat_word("quarterly") {
            DeadlineKind::Quarterly(self.cutoff().map(|c| {
                let day = self.day_of_month();
                if self.expect_word("of") && self.expect_word("last") {
                    self.expect_word("month");
                }
                (c, day)
            }))
        } else if self.eat_word("monthly") {
            DeadlineKind::Monthly(self.cutoff().map(|c| (c, self.day_of_month())))
        } else {
            let t = self.peek();
            let is_date = t.kind == T::Number
                || (t.kind == T::Ident && t.span.text(self.text).starts_with('Q'))
                || self.at_date_vi();
            if !is_date {
                self.error_expected(Wanted::Deadline);
                return Deadline { kind: DeadlineKind::Ongoing, span: start };
            }
            DeadlineKind::Date(self.date_lit())
        };
        Deadline { kind, span: start.to(self.prev_end()) }
    }

    /// A goal after `goal`: a bound, `level NAME bound, …` or `each unit bound`.
    fn goal(&mut self) -> Goal {
        let start = self.peek().span;
        let kind = if self.eat_word("level") {
            let mut levels = Vec::new();
            loop {
                let name = self.name(Wanted::LevelName);
                levels.push((name, self.goal_bound()));
                if !self.eat(T::Comma) {
                    break;
                }
            }
            GoalKind::Levels(levels)
        } else if self.eat_word("each") {
            self.expect_word("unit");
            GoalKind::EachUnit(self.goal_bound())
        } else {
            GoalKind::Plain(self.goal_bound())
        };
        Goal { kind, span: start.to(self.prev_end()) }
    }

    /// `>= 84%` or `in 65%..70%`.
    fn goal_bound(&mut self) -> GoalBound {
        if self.eat_word("in") {
            let lo = self.binary(Level::Or);
            self.expect(T::DotDot, Wanted::Tokens(&[".."]));
            GoalBound::Range(lo, self.binary(Level::Or))
        } else if let Some(op) = self.cmp_op() {
            GoalBound::Cmp(op, self.binary(Level::Or))
        } else {
            self.error_expected(Wanted::Bound);
            GoalBound::Cmp(CmpOp::Ge, Expr { kind: ExprKind::Error, span: self.peek().span })
        }
    }

    // ----- expressions ---------------------------------------------------------------------

    /// A literal value: a number with optional unit (`-2`, `80%`, `2 tỷ`), a string, `true`,
    /// `false`, or a choice option name.
    fn literal(&mut self) -> Expr {
        let t = self.peek();
        match t.kind {
            T::Number => self.primary(),
            T::Minus if self.nth(1).kind == T::Number => {
                self.bump();
                let inner = self.primary();
                Expr { span: t.span.to(inner.span), kind: ExprKind::Unary(UnOp::Neg, Box::new(inner)) }
            }
            T::Str => {
                self.bump();
                Expr { kind: ExprKind::Str(unescape(t.span.text(self.text))), span: t.span }
            }
            T::Ident if !is_keyword(t.span.text(self.text)) || matches!(t.span.text(self.text), "true" | "false") => {
                self.bump();
                let word = t.span.text(self.text);
                let kind = match word {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    _ => ExprKind::Name(word.to_string()),
                };
                Expr { kind, span: t.span }
            }
            _ => {
                self.error_expected(Wanted::Literal);
                Expr { kind: ExprKind::Error, span: t.span }
            }
        }
    }

    /// Parses an expression: `if`, `when`, `match`, or an `or` chain.
    pub(crate) fn expr(&mut self) -> Expr {
        if !self.enter() {
            return Expr { kind: ExprKind::Error, span: self.peek().span };
        }
        let e = if self.at_word("if") {
            self.if_expr()
        } else if self.at_word("when") {
            self.when_expr()
        } else if self.at_word("match") {
            self.match_expr()
        } else {
            self.binary(Level::Or)
        };
        self.leave();
        e
    }

    /// Parses `if c then a else b`.
    #[inline(never)]
    fn if_expr(&mut self) -> Expr {
        let start = self.bump().span;
        let c = self.expr();
        self.expect_word("then");
        let a = self.expr();
        self.expect_word("else");
        let b = self.expr();
        Expr { span: start.to(self.prev_end()), kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)) }
    }

    /// Parses a tiered score: `when ratio { >= 80% => max, in 10..19 => 5, else => ratio / 80% * max }`.
    #[inline(never)]
    fn when_expr(&mut self) -> Expr {
        let start = self.bump().span;
        let scrutinee = self.binary(Level::Or);
        let mut arms = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let s = self.peek().span;
                let pattern = if self.eat_word("else") {
                    WhenPattern::Else
                } else if self.eat_word("in") {
                    let lo = self.binary(Level::Or);
                    self.expect(T::DotDot, Wanted::Tokens(&[".."]));
                    let hi = self.binary(Level::Or);
                    WhenPattern::Range(lo, hi)
                } else if let Some(op) = self.cmp_op() {
                    WhenPattern::Cmp(op, self.binary(Level::Or))
                } else {
                    self.error_expected(Wanted::Arm);
                    self.recover_in_block(&[]);
                    break;
                };
                self.expect(T::FatArrow, Wanted::Tokens(&["=>"]));
                let body = self.expr();
                arms.push(WhenArm { pattern, body, span: s.to(self.prev_end()) });
                if !self.eat(T::Comma) && !self.at(T::RBrace) {
                    self.error_expected(Wanted::Tokens(&[",", "}"]));
                    self.recover_in_block(&[]);
                }
            }
            self.expect(T::RBrace, Wanted::Tokens(&["}"]));
        }
        Expr { span: start.to(self.prev_end()), kind: ExprKind::When { scrutinee: Box::new(scrutinee), arms } }
    }

    /// Parses categorical tiers: `match level { chair => max, deputy => 1/2 * max, none => 0 }`.
    #[inline(never)]
    fn match_expr(&mut self) -> Expr {
        let start = self.bump().span;
        let scrutinee = self.binary(Level::Or);
        let mut arms = Vec::new();
        if self.expect(T::LBrace, Wanted::Tokens(&["{"])) {
            while !self.at(T::RBrace) && !self.at(T::Eof) && !self.bailed {
                let s = self.peek().span;
                let option = if self.eat_word("else") { None } else { Some(self.name(Wanted::OptionOrElse)) };
                self.expect(T::FatArrow, Wanted::Tokens(&["=>"]));
                let body = self.expr();
                arms.push(MatchArm { option, body, span: s.to(self.prev_end()) });
                if !self.eat(T::Comma) && !self.at(T::RBrace) {
                    self.error_expected(Wanted::Tokens(&[",", "}"]));
                    self.recover_in_block(&[]);
                }
            }
            self.expect(T::RBrace, Wanted::Tokens(&["}"]));
        }
        Expr { span: start.to(self.prev_end()), kind: ExprKind::Match { scrutinee: Box::new(scrutinee), arms } }
    }

    fn cmp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek().kind {
            T::EqEq => CmpOp::Eq,
            T::NotEq => CmpOp::Ne,
            T::Lt => CmpOp::Lt,
            T::Le => CmpOp::Le,
            T::Gt => CmpOp::Gt,
            T::Ge => CmpOp::Ge,
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    /// Binary operators at `level` and tighter (see [`Level`]).
    fn binary(&mut self, level: Level) -> Expr {
        if self.bailed {
            return Expr { kind: ExprKind::Error, span: self.peek().span };
        }
        match level {
            Level::Or | Level::And => {
                let (word, op) = if level == Level::Or { ("or", BinOp::Or) } else { ("and", BinOp::And) };
                let mut lhs = self.tighter_than(level);
                let mut chained = 0;
                while !self.bailed && self.eat_word(word) {
                    chained += 1;
                    if !self.enter_chain() {
                        break;
                    }
                    let rhs = self.tighter_than(level);
                    lhs =
                        Expr { span: lhs.span.to(rhs.span), kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)) };
                }
                (0..chained).for_each(|_| self.leave());
                lhs
            }
            Level::Not => {
                if self.at_word("not") {
                    let start = self.bump().span;
                    let inner = if self.enter() {
                        self.binary(Level::Not)
                    } else {
                        Expr { kind: ExprKind::Error, span: start }
                    };
                    self.leave();
                    Expr { span: start.to(inner.span), kind: ExprKind::Unary(UnOp::Not, Box::new(inner)) }
                } else {
                    self.tighter_than(level)
                }
            }
            Level::Compare => {
                let lhs = self.tighter_than(level);
                if let Some(op) = self.cmp_op() {
                    let rhs = self.tighter_than(level);
                    let e = Expr {
                        span: lhs.span.to(rhs.span),
                        kind: ExprKind::Binary(BinOp::Cmp(op), Box::new(lhs), Box::new(rhs)),
                    };
                    if matches!(self.peek().kind, T::EqEq | T::NotEq | T::Lt | T::Le | T::Gt | T::Ge) {
                        self.error_expected(Wanted::NoSecondComparison);
                    }
                    e
                } else {
                    lhs
                }
            }
            Level::Sum | Level::Product => {
                let mut lhs = self.tighter_than(level);
                let mut chained = 0;
                loop {
                    let op = match (level, self.peek().kind) {
                        (Level::Sum, T::Plus) => BinOp::Add,
                        (Level::Sum, T::Minus) => BinOp::Sub,
                        (Level::Product, T::Star) => BinOp::Mul,
                        (Level::Product, T::Slash) => BinOp::Div,
                        (Level::Product, T::Error) if self.operand_follows_on_this_line() => {
                            lhs = self.invalid_operator(lhs);
                            continue;
                        }
                        _ => break,
                    };
                    if self.bailed {
                        break;
                    }
                    chained += 1;
                    if !self.enter_chain() {
                        break;
                    }
                    self.bump();
                    let rhs = self.tighter_than(level);
                    lhs =
                        Expr { span: lhs.span.to(rhs.span), kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)) };
                }
                (0..chained).for_each(|_| self.leave());
                lhs
            }
        }
    }

    /// An operand of an operator at `level`: an expression at the next tighter level.
    // Inlined so that each nesting level costs the stack what it did before the levels had names
    // (the release test on a 512 KiB stack holds `MAX_DEPTH`).
    #[inline(always)]
    fn tighter_than(&mut self, level: Level) -> Expr {
        match level.tighter() {
            Some(next) => self.binary(next),
            None => self.unary(),
        }
    }

    /// Whether the token after the current one starts on the same line, so that an invalid
    /// character between two operands reads as a mistyped operator (`a / b × max`).
    #[inline(never)]
    fn operand_follows_on_this_line(&self) -> bool {
        let (here, next) = (self.nth(0), self.nth(1));
        next.kind != T::Eof
            && !self.text.get(here.span.end as usize..next.span.start as usize).is_some_and(|gap| gap.contains('\n'))
    }

    /// An invalid character used as an operator, as text copied from a document often has it:
    /// one E0103 with the operator to write instead, and an error node for the whole operation so
    /// that the checker does not report it again.
    #[inline(never)]
    fn invalid_operator(&mut self, lhs: Expr) -> Expr {
        let t = self.bump();
        let written = t.span.text(self.text);
        let instead = match written {
            "×" | "·" => Some("*"),
            "÷" => Some("/"),
            "≥" => Some(">="),
            "≤" => Some("<="),
            "≠" => Some("!="),
            "–" | "—" | "−" => Some("-"),
            _ => None,
        };
        let mut d = Diagnostic::new(Code::E0103, t.span, Message::InvalidOperator { written: written.to_string() });
        if let Some(op) = instead {
            d = d.with_help(Hint::WriteInstead { op: op.to_string(), written: written.to_string() });
        }
        self.errors.push(d);
        let rhs = self.unary();
        Expr { span: lhs.span.to(rhs.span), kind: ExprKind::Error }
    }

    fn unary(&mut self) -> Expr {
        if self.at(T::Minus) {
            let start = self.bump().span;
            if !self.enter() {
                return Expr { kind: ExprKind::Error, span: start };
            }
            let inner = self.unary();
            self.leave();
            return Expr { span: start.to(inner.span), kind: ExprKind::Unary(UnOp::Neg, Box::new(inner)) };
        }
        self.primary()
    }

    fn primary(&mut self) -> Expr {
        let t = self.peek();
        match t.kind {
            T::Number => {
                self.bump();
                let text = t.span.text(self.text);
                let value = match Num::parse_decimal(text) {
                    Ok(v) => v,
                    Err(e) => {
                        let why = match e {
                            NumError::TooLong => Message::NumberTooLong { max: crate::num::MAX_DIGITS },
                            NumError::Invalid => Message::NotANumber { text: text.to_string() },
                        };
                        self.errors.push(Diagnostic::new(Code::E0105, t.span, why));
                        // The unit belongs to the literal even when its digits do not fit.
                        let (_, span) = self.literal_unit(t.span);
                        return Expr { kind: ExprKind::Error, span };
                    }
                };
                let (unit, span) = self.literal_unit(t.span);
                let value = if unit == Some(LitUnit::Percent) {
                    value.div_exact(&Num::from_i64(100)).unwrap_or_default()
                } else {
                    value
                };
                Expr { kind: ExprKind::Number { value, text: text.to_string(), unit }, span }
            }
            T::Dotted => {
                self.bump();
                self.errors.push(Diagnostic::new(
                    Code::E0105,
                    t.span,
                    Message::IdNotNumber { text: t.span.text(self.text).to_string() },
                ));
                Expr { kind: ExprKind::Error, span: t.span }
            }
            T::Str => {
                self.bump();
                Expr { kind: ExprKind::Str(unescape(t.span.text(self.text))), span: t.span }
            }
            T::LParen => {
                self.bump();
                let inner = self.expr();
                self.expect(T::RParen, Wanted::Tokens(&[")"]));
                Expr { span: t.span.to(self.prev_end()), kind: ExprKind::Paren(Box::new(inner)) }
            }
            T::Ident => {
                let word = t.span.text(self.text);
                match word {
                    "true" | "false" => {
                        self.bump();
                        Expr { kind: ExprKind::Bool(word == "true"), span: t.span }
                    }
                    "total" => {
                        self.bump();
                        Expr { kind: ExprKind::Total, span: t.span }
                    }
                    "max" | "min" if self.nth(1).kind == T::LParen => self.call(),
                    "max" => {
                        self.bump();
                        Expr { kind: ExprKind::Max, span: t.span }
                    }
                    "if" | "when" | "match" => self.expr(),
                    _ if is_keyword(word) => {
                        self.error_expected(Wanted::Value);
                        Expr { kind: ExprKind::Error, span: t.span }
                    }
                    _ if self.nth(1).kind == T::LParen => self.call(),
                    _ => {
                        self.bump();
                        Expr { kind: ExprKind::Name(word.to_string()), span: t.span }
                    }
                }
            }
            _ => {
                self.error_expected(Wanted::Value);
                Expr { kind: ExprKind::Error, span: t.span }
            }
        }
    }

    /// The unit after a number literal: `%`, `pt`, `điểm`, `tỷ`.
    #[inline(never)]
    fn literal_unit(&mut self, span: Span) -> (Option<LitUnit>, Span) {
        let t = self.peek();
        let unit = match t.kind {
            T::Percent => Some(LitUnit::Percent),
            T::Ident => match t.span.text(self.text) {
                "pt" | "điểm" => Some(LitUnit::Points),
                "tỷ" => Some(LitUnit::Money),
                _ => None,
            },
            _ => None,
        };
        if unit.is_some() {
            self.bump();
            (unit, span.to(t.span))
        } else {
            (None, span)
        }
    }

    #[inline(never)]
    fn call(&mut self) -> Expr {
        let t = self.bump();
        let callee = Name { text: t.span.text(self.text).to_string(), span: t.span };
        self.bump(); // `(`
        let mut args = Vec::new();
        while !self.at(T::RParen) && !self.at(T::Eof) && !self.bailed {
            args.push(self.expr());
            if !self.eat(T::Comma) {
                break;
            }
        }
        self.expect(T::RParen, Wanted::Tokens(&[",", ")"]));
        Expr { span: t.span.to(self.prev_end()), kind: ExprKind::Call { callee, args } }
    }
}

/// The value of a string literal: quotes removed, `\"`, `\\`, `\n` and `\t` unescaped.
fn unescape(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
/// The precedence levels of expressions, loosest first: `or`, `and`, `not`, a comparison
/// (non-associative: `a < b < c` is an error), `+ -`, `* /`; tighter than all of them, the unary
/// operators and atoms. `binary(Level::Or)` parses a whole expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Or,
    And,
    Not,
    Compare,
    Sum,
    Product,
}

impl Level {
    /// The next tighter level; none after `Product` (unary operators and atoms come next).
    fn tighter(self) -> Option<Level> {
        match self {
            Level::Or => Some(Level::And),
            Level::And => Some(Level::Not),
            Level::Not => Some(Level::Compare),
            Level::Compare => Some(Level::Sum),
            Level::Sum => Some(Level::Product),
            Level::Product => None,
        }
    }
}
