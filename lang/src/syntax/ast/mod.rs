//! The syntax tree. Every node has a span; a piece that failed to parse is an `Error` node, so
//! a tree is always produced and later phases can skip what is broken.
//!
//! Invariant: the tree is a faithful image of the text (the formatter prints it back), and it
//! holds no resolved information: names are plain text, resolved by `check`.

mod planning;

pub use planning::*;

use crate::diag::Span;
use crate::num::Num;

/// A parsed file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct File {
    /// Top-level items in source order.
    pub items: Vec<Item>,
}

/// A name or id with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    /// The text, e.g. `SoTTTT` or `5.12.1`.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Str {
    /// The unescaped text.
    pub value: String,
    /// Where it is written (with its quotes).
    pub span: Span,
}

/// A top-level declaration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// `rulebook "…" { … }`
    Rulebook(Rulebook),
    /// `agency NAME "…"`
    Agency(Agency),
    /// `section A "…" { field … }`
    Section(Section),
    /// `pillar III "…" max 100 { indicator … }`
    Pillar(Pillar),
    /// An indicator outside any pillar.
    Indicator(Indicator),
    /// `fn name(a, b) = expr`
    Fn(FnDecl),
    /// `test "…" { given … expect … }`
    Test(TestDecl),
    /// A planning item: `plan`, `target`, `task` or `schedule` (see `spec/planning.md`).
    Planning(PlanningItem),
    /// `unit P01 "Tỉnh An Phú"`: a reporting unit of the roster.
    Unit(UnitDecl),
    /// Text that could not be parsed as an item.
    Error(Span),
}

impl Item {
    /// The item's whole span.
    pub fn span(&self) -> Span {
        match self {
            Item::Rulebook(x) => x.span,
            Item::Agency(x) => x.span,
            Item::Section(x) => x.span,
            Item::Pillar(x) => x.span,
            Item::Indicator(x) => x.span,
            Item::Fn(x) => x.span,
            Item::Test(x) => x.span,
            Item::Planning(x) => x.span,
            Item::Unit(x) => x.span,
            Item::Error(s) => *s,
        }
    }
}

/// The rulebook header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rulebook {
    /// Its title.
    pub title: Str,
    /// Its properties in source order.
    pub props: Vec<RulebookProp>,
    /// The whole item.
    pub span: Span,
}

/// A property of the rulebook header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RulebookProp {
    /// `source "…"`
    Source(Str),
    /// `period 2022`
    Period(Expr),
    /// `locale vi`
    Locale(Name),
    /// `index = total / 1000`
    Index(Expr),
    /// `units "units.chiso"`: a file of `unit` items, the roster, next to the rulebook.
    Units(Str),
    /// Something unparsable.
    Error(Span),
}

/// `agency SoTTTT "Sở Thông tin và Truyền thông"`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Agency {
    /// Short name used in rules.
    pub name: Name,
    /// Full name.
    pub title: Str,
    /// The whole item.
    pub span: Span,
}

/// `unit P01 "Tỉnh An Phú"` or `unit "Sở Tài chính"`: a unit that reports data (a province, a
/// department), by the code its data rows use and its name. Declaring the units makes a roster:
/// data for any other unit is refused, and a declared unit that sent nothing is reported.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnitDecl {
    /// The code data rows use: an id (`P01`, `KHDT`, `01`) or, for codes with spaces, a string.
    pub code: Name,
    /// Whether the code is written as a string.
    pub quoted: bool,
    /// The unit's name, when it differs from the code.
    pub title: Option<Str>,
    /// The whole item.
    pub span: Span,
}

/// A section of general-information data fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Section {
    /// Its id (`A`), also the key of its fields in data files.
    pub id: Name,
    /// Its title.
    pub title: Str,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The whole item.
    pub span: Span,
}

/// `field 4 "Số lượng dân số": count owner CucTK`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// Its id within the section.
    pub id: Name,
    /// Its title.
    pub title: Str,
    /// Its type.
    pub ty: TypeExpr,
    /// The agency that reports it.
    pub owner: Option<Name>,
    /// The whole field.
    pub span: Span,
}

/// A pillar of indicators with a declared max.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pillar {
    /// Its id (`III`).
    pub id: Name,
    /// Its title.
    pub title: Str,
    /// Declared max points.
    pub max: Option<Expr>,
    /// Its indicators.
    pub indicators: Vec<Indicator>,
    /// Unparsable pieces inside it.
    pub errors: Vec<Span>,
    /// The whole item.
    pub span: Span,
}

/// An indicator.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Indicator {
    /// Its id, compared as text: `3.1`, `5.12.1`.
    pub id: Name,
    /// Its title.
    pub title: Str,
    /// Its properties in source order.
    pub props: Vec<IndicatorProp>,
    /// The whole indicator.
    pub span: Span,
}

impl Indicator {
    /// The declared max, if any.
    pub fn max(&self) -> Option<&Expr> {
        self.props.iter().find_map(|p| if let IndicatorProp::Max(e) = p { Some(e) } else { None })
    }
    /// The score expression, if any.
    pub fn score(&self) -> Option<&Expr> {
        self.props.iter().find_map(|p| if let IndicatorProp::Score(e) = p { Some(e) } else { None })
    }
    /// Its inputs.
    pub fn inputs(&self) -> impl Iterator<Item = &InputDecl> {
        self.props.iter().filter_map(|p| if let IndicatorProp::Input(i) = p { Some(i) } else { None })
    }
    /// Its `let` bindings.
    pub fn lets(&self) -> impl Iterator<Item = (&Name, &Expr)> {
        self.props.iter().filter_map(|p| if let IndicatorProp::Let(n, e) = p { Some((n, e)) } else { None })
    }
    /// Its sub-indicators.
    pub fn subs(&self) -> impl Iterator<Item = &Indicator> {
        self.props.iter().filter_map(|p| if let IndicatorProp::Sub(i) = p { Some(i) } else { None })
    }
    /// Its `assume` facts.
    pub fn assumptions(&self) -> impl Iterator<Item = &Expr> {
        self.props.iter().filter_map(|p| if let IndicatorProp::Assume(e) = p { Some(e) } else { None })
    }
    /// Whether it is declared `not_scored`.
    pub fn is_not_scored(&self) -> bool {
        self.props.iter().any(|p| matches!(p, IndicatorProp::NotScored(_)))
    }
    /// Its owner agency.
    pub fn owner(&self) -> Option<&Name> {
        self.props.iter().find_map(|p| if let IndicatorProp::Owner(n) = p { Some(n) } else { None })
    }
    /// Its cooperating agencies.
    pub fn cooperating(&self) -> impl Iterator<Item = &Name> {
        self.props.iter().filter_map(|p| if let IndicatorProp::Cooperating(v) = p { Some(v) } else { None }).flatten()
    }
    /// The id printed in the source, when declared.
    pub fn source_id(&self) -> Option<&Str> {
        self.props.iter().find_map(|p| if let IndicatorProp::SourceId(s) = p { Some(s) } else { None })
    }
    /// Its notes.
    pub fn notes(&self) -> impl Iterator<Item = &Str> {
        self.props.iter().filter_map(|p| if let IndicatorProp::Note(s) = p { Some(s) } else { None })
    }
}

/// A property of an indicator.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IndicatorProp {
    /// `max 10`
    Max(Expr),
    /// `owner SoTTTT`
    Owner(Name),
    /// `cooperating A, B`
    Cooperating(Vec<Name>),
    /// `source_id "6.2"`
    SourceId(Str),
    /// `note "…"`
    Note(Str),
    /// `not_scored`
    NotScored(Span),
    /// `input a: count "…" positive`
    Input(InputDecl),
    /// `assume a <= b`
    Assume(Expr),
    /// `let ratio = a / b`
    Let(Name, Expr),
    /// `score = …`
    Score(Expr),
    /// A nested sub-indicator.
    Sub(Indicator),
    /// Something unparsable.
    Error(Span),
}

/// `input a: count "…" positive neutral default 0`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InputDecl {
    /// Its name (the source's letter where it has one).
    pub name: Name,
    /// Its type.
    pub ty: TypeExpr,
    /// Its description.
    pub description: Option<Str>,
    /// Its modifiers.
    pub modifiers: Vec<InputModifier>,
    /// The whole declaration.
    pub span: Span,
}

/// A modifier of an input declaration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InputModifier {
    /// `positive`: never zero.
    Positive(Span),
    /// `default 0`: used when the input is not reported.
    Default(Expr),
    /// `neutral`: larger is neither better nor worse.
    Neutral(Span),
    /// `lower_is_better`.
    LowerIsBetter(Span),
    /// `at_least 0`: declared lower bound.
    Min(Expr),
    /// `at_most 100%`: declared upper bound.
    Max(Expr),
    /// `column "Số hồ sơ trực tuyến"`: the header of the input's column in a wide data file.
    Column(Str),
}

/// A type as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TypeExpr {
    /// Which type.
    pub kind: TypeKind,
    /// Where it is written.
    pub span: Span,
}

/// The types an input or field can have.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A whole number ≥ 0.
    Count,
    /// Any number.
    Number,
    /// A ratio, written with `%`.
    Percent,
    /// Money in tỷ đồng.
    Money,
    /// Points.
    Points,
    /// Yes or no.
    YesNo,
    /// Free text.
    Text,
    /// A date.
    Date,
    /// One of the named options.
    Choice(Vec<Name>),
    /// Unparsable.
    Error,
}

/// `fn capped(ratio, t, full) = …`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FnDecl {
    /// Its name.
    pub name: Name,
    /// Its parameters.
    pub params: Vec<Name>,
    /// Its body.
    pub body: Expr,
    /// The whole item.
    pub span: Span,
}

/// `test "…" { … }`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TestDecl {
    /// Its title.
    pub title: Str,
    /// Its statements.
    pub stmts: Vec<TestStmt>,
    /// The whole item.
    pub span: Span,
}

/// A statement in a test.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TestStmt {
    /// `given "NT" 3.1 { a = 1, b = 2 }`
    Given {
        /// The unit, or the default unit.
        unit: Option<Str>,
        /// The indicator (or section) id.
        target: Name,
        /// Input values.
        values: Vec<(Name, Expr)>,
        /// The whole statement.
        span: Span,
    },
    /// `expect "NT" 3.1 = 6.03`
    Expect {
        /// The unit, or the default unit.
        unit: Option<Str>,
        /// What is checked.
        target: ExpectTarget,
        /// The expected outcome.
        expected: Expected,
        /// The whole statement.
        span: Span,
    },
    /// Something unparsable.
    Error(Span),
}

/// What an `expect` looks at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExpectTarget {
    /// An indicator's score.
    Indicator(Name),
    /// A pillar's subtotal.
    Pillar(Name),
    /// The total.
    Total(Span),
    /// The index.
    Index(Span),
}

/// The expected outcome of an `expect`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// A value.
    Value(Expr),
    /// `not_evaluable`
    NotEvaluable(Span),
    /// `not_scored`
    NotScored(Span),
}

/// An expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Expr {
    /// What kind.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
}

/// A unit written after a number literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LitUnit {
    /// `80%`
    Percent,
    /// `1 pt` or `1 điểm`
    Points,
    /// `2 tỷ` (tỷ đồng)
    Money,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `and`
    And,
    /// `or`
    Or,
    /// A comparison.
    Cmp(CmpOp),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    /// Whether `a op b` holds.
    pub fn holds<T: Ord>(self, a: &T, b: &T) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
}

impl BinOp {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Cmp(c) => c.as_str(),
        }
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `not x`
    Not,
}

/// Kinds of expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExprKind {
    /// A number literal, with its text as written (for the formatter) and its unit.
    Number {
        /// The exact value, already scaled (`80%` is 0.8).
        value: Num,
        /// The digits as written.
        text: String,
        /// The unit suffix.
        unit: Option<LitUnit>,
    },
    /// A string literal.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// The enclosing indicator's max points.
    Max,
    /// The sum of pillar scores (only in the rulebook's `index`).
    Total,
    /// A name: input, let, parameter or choice option.
    Name(String),
    /// A call of a builtin or a `fn`.
    Call {
        /// The function.
        callee: Name,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// A unary operation.
    Unary(UnOp, Box<Expr>),
    /// A binary operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `when x { >= 80% => max, else => … }`
    When {
        /// The value compared.
        scrutinee: Box<Expr>,
        /// The arms, first match wins.
        arms: Vec<WhenArm>,
    },
    /// `match x { a => …, b => … }`
    Match {
        /// The choice value.
        scrutinee: Box<Expr>,
        /// The arms.
        arms: Vec<MatchArm>,
    },
    /// `( … )`, kept so that the formatter prints what was written.
    Paren(Box<Expr>),
    /// Unparsable.
    Error,
}

/// An arm of `when`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WhenArm {
    /// Its condition on the scrutinee.
    pub pattern: WhenPattern,
    /// Its result.
    pub body: Expr,
    /// The whole arm.
    pub span: Span,
}

/// The condition of a `when` arm.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WhenPattern {
    /// `>= 80%`
    Cmp(CmpOp, Expr),
    /// `in 10..19` (both ends included)
    Range(Expr, Expr),
    /// `else`
    Else,
}

/// An arm of `match`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MatchArm {
    /// The option, or `None` for `else`.
    pub option: Option<Name>,
    /// Its result.
    pub body: Expr,
    /// The whole arm.
    pub span: Span,
}

impl Expr {
    /// Calls `f` on each direct child expression.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Expr)) {
        match &self.kind {
            ExprKind::Call { args, .. } => args.iter().for_each(f),
            ExprKind::Unary(_, e) | ExprKind::Paren(e) => f(e),
            ExprKind::Binary(_, a, b) => {
                f(a);
                f(b)
            }
            ExprKind::If(c, a, b) => {
                f(c);
                f(a);
                f(b)
            }
            ExprKind::When { scrutinee, arms } => {
                f(scrutinee);
                for arm in arms {
                    match &arm.pattern {
                        WhenPattern::Cmp(_, e) => f(e),
                        WhenPattern::Range(a, b) => {
                            f(a);
                            f(b)
                        }
                        WhenPattern::Else => {}
                    }
                    f(&arm.body)
                }
            }
            ExprKind::Match { scrutinee, arms } => {
                f(scrutinee);
                arms.iter().for_each(|a| f(&a.body))
            }
            _ => {}
        }
    }

    /// Calls `f` on this expression and every expression inside it, depth first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        self.for_each_child(|c| c.walk(f));
    }

    /// The expression without surrounding parentheses.
    pub fn unparen(&self) -> &Expr {
        match &self.kind {
            ExprKind::Paren(e) => e.unparen(),
            _ => self,
        }
    }
}
