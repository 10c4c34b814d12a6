//! The planning half of the syntax tree: plans, targets, tasks and schedules, with their written
//! dates, periods, deadlines and goals. What they mean on the calendar is in `crate::time`.

use super::{CmpOp, Expr, InputDecl, Name, Str, TypeExpr};
use crate::diag::Span;

/// Which planning item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlanningKind {
    /// `plan "…" { period 2024 }`: the plan a file's targets and tasks belong to.
    Plan,
    /// `target ID "…" { goal >= 84% }`: a goal for a measured value.
    Target,
    /// `task ID "…" { owner … due Q4/2022 }`: a piece of work with a deadline.
    Task,
    /// `schedule "…" { due quarterly before day 25 of last month }`: a recurring report.
    Schedule,
}

impl PlanningKind {
    /// The keyword that starts the item.
    pub fn keyword(self) -> &'static str {
        match self {
            PlanningKind::Plan => "plan",
            PlanningKind::Target => "target",
            PlanningKind::Task => "task",
            PlanningKind::Schedule => "schedule",
        }
    }
    /// Whether the item has an id before its title (targets and tasks do).
    pub fn has_id(self) -> bool {
        matches!(self, PlanningKind::Target | PlanningKind::Task)
    }
    /// The property keywords allowed in the item's block.
    pub fn props(self) -> &'static [&'static str] {
        match self {
            PlanningKind::Plan => &["source", "period", "unit", "locale", "rulebook", "note"],
            PlanningKind::Target => &[
                "indicator",
                "measure",
                "input",
                "let",
                "value",
                "baseline",
                "goal",
                "owner",
                "cooperating",
                "period",
                "group",
                "source_id",
                "note",
            ],
            PlanningKind::Task => &["owner", "cooperating", "due", "advances", "group", "source_id", "note"],
            PlanningKind::Schedule => &["owner", "recipient", "due", "period", "note"],
        }
    }
}

/// A planning item: a keyword, an id (targets and tasks), a title and a block of properties.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanningItem {
    /// Which item.
    pub kind: PlanningKind,
    /// The id of a target or task, compared as text like indicator ids.
    pub id: Option<Name>,
    /// The title.
    pub title: Str,
    /// Properties in source order.
    pub props: Vec<PlanningProp>,
    /// The whole item.
    pub span: Span,
}

/// A property of a planning item, with its whole span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanningProp {
    /// What it says.
    pub kind: PropKind,
    /// From its keyword to its end.
    pub span: Span,
}

/// The properties of planning items (which item allows which: [`PlanningKind::props`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PropKind {
    /// `source "Quyết định số 36/QĐ-UBND ngày 12/01/2024"`
    Source(Str),
    /// `period 2024` or `period 2024-01-01..2024-06-30`
    Period(Period),
    /// `unit "NT"`: the data unit whose rows report the plan.
    Unit(Str),
    /// `locale vi`
    Locale(Name),
    /// `rulebook "dti-2022.chiso"`: the rulebook whose agencies and indicators the plan uses.
    Rulebook(Str),
    /// `indicator 3.3`: the rulebook indicator a target is about.
    Indicator(Name),
    /// `measure percent "%"`: the type of a target's value, with the source's unit label.
    Measure(TypeExpr, Option<Str>),
    /// `input a: count "…"`: a reported input of a computed target value.
    Input(InputDecl),
    /// `let ratio = a / b`
    Let(Name, Expr),
    /// `value = a / b`: how a target's value is computed from its inputs.
    Value(Expr),
    /// `baseline 78% in 2023`: the value before the plan.
    Baseline(Expr, Option<Period>),
    /// `goal >= 84%`, `goal in 65%..70%`, `goal level tinh >= 55%, …`, `goal each unit >= 60%`
    Goal(Goal),
    /// `owner SoTTTT, SoTC`: the agencies in charge (cơ quan chủ trì).
    Owner(Vec<Name>),
    /// `cooperating DNVT`: cooperating agencies (cơ quan phối hợp).
    Cooperating(Vec<Name>),
    /// `recipient SoTTTT`: who receives a scheduled report.
    Recipient(Vec<Name>),
    /// `due Q4/2022`, `due ongoing`, `due yearly before 12-20`, …
    Due(Deadline),
    /// `advances 1.4, T1`: the indicators or targets a task helps.
    Advances(Vec<Name>),
    /// `group "PHỤ LỤC 2"`: a heading the item is listed and totalled under.
    Group(Str),
    /// `source_id "A.I.1"`: the number printed in the source.
    SourceId(Str),
    /// `note "…"`
    Note(Str),
    /// Something unparsable.
    Error,
}

/// A calendar date as written: a year, a month, a quarter or a day. The numbers are kept as
/// written; the checker reports those that are not a date (E0601).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateLit {
    /// Which form.
    pub kind: DateKind,
    /// Where it is written.
    pub span: Span,
    /// Written the way the Vietnamese documents write it (`Quý I/2024`, `Tháng 10/2022`,
    /// `Năm 2024`, `31/12/2024`) rather than `Q1/2024`, `2022-10`, `2024`, `2024-12-31`; the
    /// formatter keeps the form.
    pub vietnamese: bool,
}

/// The forms of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// `2024`: the whole year (Năm 2024).
    Year(u32),
    /// `2022-10`: the whole month (Tháng 10/2022).
    Month(u32, u32),
    /// `Q4/2022`: the whole quarter (Quý IV/2022): year, quarter.
    Quarter(u32, u32),
    /// `2022-10-15`: one day.
    Day(u32, u32, u32),
}

/// `2024` or `2024-01-01..2024-06-30`: from the first day of `start` to the last day of `end`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// The first date.
    pub start: DateLit,
    /// The last date, when it differs from `start`.
    pub end: Option<DateLit>,
    /// The whole period.
    pub span: Span,
}

/// A deadline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Deadline {
    /// Which form.
    pub kind: DeadlineKind,
    /// Where it is written.
    pub span: Span,
}

/// `before` (strictly before: "trước ngày 25" is met by the 24th) or `by` (on or before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cutoff {
    /// `before`: the last on-time day is the day before.
    Before,
    /// `by`: the last on-time day is the day itself.
    By,
}

/// The forms of a deadline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DeadlineKind {
    /// `due 2022-10`: by the last day of the date written.
    Date(DateLit),
    /// `due ongoing` (Thường xuyên): never due.
    Ongoing,
    /// `due yearly` (Hàng năm), optionally `before 12-20` / `by 12-20`: once a year.
    Yearly(Option<(Cutoff, MonthDay)>),
    /// `due quarterly`, optionally `before day 25 of last month`: once a quarter.
    Quarterly(Option<(Cutoff, DayOfMonth)>),
    /// `due monthly`, optionally `before day 5`: once a month.
    Monthly(Option<(Cutoff, DayOfMonth)>),
}

/// `12-20`: a day of the year (month, day).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MonthDay {
    /// The month.
    pub month: u32,
    /// The day.
    pub day: u32,
    /// Where it is written.
    pub span: Span,
}

/// `day 25`: a day of the month.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DayOfMonth {
    /// The day.
    pub day: u32,
    /// Where it is written.
    pub span: Span,
}

/// A target's goal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Goal {
    /// Which form.
    pub kind: GoalKind,
    /// Where it is written.
    pub span: Span,
}

/// The forms of a goal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GoalKind {
    /// `goal >= 84%` or `goal in 65%..70%`: the value meets the bound.
    Plain(GoalBound),
    /// `goal level tinh >= 55%, huyen >= 40%`: each level's value meets its own bound.
    Levels(Vec<(Name, GoalBound)>),
    /// `goal each unit >= 60%`: every unit's value meets the bound.
    EachUnit(GoalBound),
}

/// A bound a value must meet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GoalBound {
    /// `>= 84%`
    Cmp(CmpOp, Expr),
    /// `in 65%..70%`, both ends included.
    Range(Expr, Expr),
}

impl PlanningItem {
    fn find<'a, T>(&'a self, f: impl Fn(&'a PropKind) -> Option<T>) -> Option<T> {
        self.props.iter().find_map(|p| f(&p.kind))
    }
    /// The id as text, or "" for items without one.
    pub fn id_text(&self) -> &str {
        self.id.as_ref().map_or("", |n| n.text.as_str())
    }
    /// The owner agencies, from every `owner` line.
    pub fn owners(&self) -> impl Iterator<Item = &Name> {
        self.props.iter().filter_map(|p| if let PropKind::Owner(v) = &p.kind { Some(v) } else { None }).flatten()
    }
    /// The cooperating agencies.
    pub fn cooperating(&self) -> impl Iterator<Item = &Name> {
        self.props.iter().filter_map(|p| if let PropKind::Cooperating(v) = &p.kind { Some(v) } else { None }).flatten()
    }
    /// The recipients of a scheduled report.
    pub fn recipients(&self) -> impl Iterator<Item = &Name> {
        self.props.iter().filter_map(|p| if let PropKind::Recipient(v) = &p.kind { Some(v) } else { None }).flatten()
    }
    /// The deadlines (one for a task, any number for a schedule).
    pub fn deadlines(&self) -> impl Iterator<Item = &Deadline> {
        self.props.iter().filter_map(|p| if let PropKind::Due(d) = &p.kind { Some(d) } else { None })
    }
    /// What a task advances.
    pub fn advances(&self) -> impl Iterator<Item = &Name> {
        self.props.iter().filter_map(|p| if let PropKind::Advances(v) = &p.kind { Some(v) } else { None }).flatten()
    }
    /// The declared inputs of a computed target.
    pub fn inputs(&self) -> impl Iterator<Item = &InputDecl> {
        self.props.iter().filter_map(|p| if let PropKind::Input(i) = &p.kind { Some(i) } else { None })
    }
    /// The first `period`.
    pub fn period(&self) -> Option<&Period> {
        self.find(|k| if let PropKind::Period(p) = k { Some(p) } else { None })
    }
    /// The first `goal`.
    pub fn goal(&self) -> Option<&Goal> {
        self.find(|k| if let PropKind::Goal(g) = k { Some(g) } else { None })
    }
    /// The first `value = …`.
    pub fn value(&self) -> Option<&Expr> {
        self.find(|k| if let PropKind::Value(e) = k { Some(e) } else { None })
    }
    /// The first `measure`.
    pub fn measure(&self) -> Option<(&TypeExpr, Option<&Str>)> {
        self.find(|k| if let PropKind::Measure(t, s) = k { Some((t, s.as_ref())) } else { None })
    }
    /// The first `baseline`.
    pub fn baseline(&self) -> Option<(&Expr, Option<&Period>)> {
        self.find(|k| if let PropKind::Baseline(e, p) = k { Some((e, p.as_ref())) } else { None })
    }
    /// The first `indicator` link.
    pub fn indicator(&self) -> Option<&Name> {
        self.find(|k| if let PropKind::Indicator(n) = k { Some(n) } else { None })
    }
    /// The first `group`.
    pub fn group(&self) -> Option<&Str> {
        self.find(|k| if let PropKind::Group(s) = k { Some(s) } else { None })
    }
    /// The first `unit`.
    pub fn unit(&self) -> Option<&Str> {
        self.find(|k| if let PropKind::Unit(s) = k { Some(s) } else { None })
    }
    /// The first `rulebook`.
    pub fn rulebook(&self) -> Option<&Str> {
        self.find(|k| if let PropKind::Rulebook(s) = k { Some(s) } else { None })
    }
    /// The first `source_id`.
    pub fn source_id(&self) -> Option<&Str> {
        self.find(|k| if let PropKind::SourceId(s) = k { Some(s) } else { None })
    }
    /// The notes.
    pub fn notes(&self) -> impl Iterator<Item = &Str> {
        self.props.iter().filter_map(|p| if let PropKind::Note(s) = &p.kind { Some(s) } else { None })
    }
}
