//! A plan evaluated as of a date: each target met or not, each task on time or late, the next
//! reporting deadlines, and totals per agency, per group and overall.
//!
//! Input: the parsed file, its symbol table, the reported data and the date (passed in: `lang`
//! has no clock). Output: plain data that the shells render as a table, CSV or JSON. The rules
//! (what "on time" means for a month or a quarter, how a done task without a date counts, …) are
//! in `spec/planning.md`; this module is their only implementation.

use crate::map::VecMap;

use super::data::{PlanData, Progress, TaskReport};
use crate::diag::{Code, Diagnostic, Hint, Message};
use crate::eval::expr::{CohortMode, IndicatorEval};
use crate::eval::Value;
use crate::num::{Locale, Num};
use crate::sema::{const_value, Env, Lowered, Ty};
use crate::syntax::ast::{self, CmpOp, GoalBound, GoalKind, Item, PlanningItem, PlanningKind, PropKind};
use crate::time::deadline::{deadline_text, deadline_vi, period_range, DateRange, Rule};
use crate::time::Date;

/// Whether a target is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetState {
    /// The value meets the goal (every level or unit meets its own).
    Met,
    /// The value does not meet the goal.
    NotMet,
    /// No value was reported (for some level or unit).
    NoData,
    /// The target has no goal: its value is only tracked.
    NoGoal,
}

impl TargetState {
    /// `met`, `not_met`, `no_data` or `no_goal`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Met => "met",
            TargetState::NotMet => "not_met",
            TargetState::NoData => "no_data",
            TargetState::NoGoal => "no_goal",
        }
    }
}

/// Where a task stands on the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskState {
    /// Done on or before its last on-time day.
    DoneOnTime,
    /// Done after its last on-time day.
    DoneLate,
    /// Reported done without a date, after its deadline passed: on time or late is unknown.
    DoneUndated,
    /// Not done, deadline not passed (the deadline may be today).
    Open,
    /// Not done, deadline passed.
    Overdue,
    /// `due ongoing` (Thường xuyên): never due.
    Ongoing,
    /// No deadline written.
    NoDeadline,
}

impl TaskState {
    /// Every state, in report order.
    pub const ALL: [TaskState; 7] = [
        TaskState::DoneOnTime,
        TaskState::DoneLate,
        TaskState::DoneUndated,
        TaskState::Open,
        TaskState::Overdue,
        TaskState::Ongoing,
        TaskState::NoDeadline,
    ];
    /// `done_on_time`, `done_late`, `done_undated`, `open`, `overdue`, `ongoing` or `no_deadline`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::DoneOnTime => "done_on_time",
            TaskState::DoneLate => "done_late",
            TaskState::DoneUndated => "done_undated",
            TaskState::Open => "open",
            TaskState::Overdue => "overdue",
            TaskState::Ongoing => "ongoing",
            TaskState::NoDeadline => "no_deadline",
        }
    }
}

/// One line of a target's result: the whole target, one level or one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetLine {
    /// The level or unit, for per-level and per-unit goals.
    pub part: Option<String>,
    /// The goal as written: `>= 84%`, `in 65%..70%`.
    pub goal: Option<String>,
    /// The value.
    pub actual: Option<Num>,
    /// Met or not.
    pub state: TargetState,
    /// How far the value is from the goal (0 when met; in the measure's unit).
    pub gap: Option<Num>,
    /// value / goal, for a goal with one bound (the "thực hiện so với kế hoạch" ratio).
    pub ratio: Option<Num>,
    /// Why there is no value (a missing input, a division by zero).
    pub reason: Option<String>,
}

/// A target's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetStatus {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Group heading.
    pub group: Option<String>,
    /// Owner agencies.
    pub owners: Vec<String>,
    /// Cooperating agencies.
    pub cooperating: Vec<String>,
    /// The rulebook indicator it is about.
    pub indicator: Option<String>,
    /// The type of its value.
    pub measure: Ty,
    /// The source's unit label (`Giờ/năm`).
    pub label: Option<String>,
    /// Baseline value, and the period it is from as written.
    pub baseline: Option<(Num, Option<String>)>,
    /// The period the goal is for (the target's, else the plan's).
    pub period: Option<DateRange>,
    /// Whether that period is still running on the date: a goal not met yet may still be met.
    pub period_open: bool,
    /// The overall state.
    pub state: TargetState,
    /// One line for a plain goal; one per level or unit otherwise.
    pub lines: Vec<TargetLine>,
    /// The note reported with the value.
    pub note: Option<String>,
}

/// A task's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskStatus {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Group heading.
    pub group: Option<String>,
    /// The number printed in the source.
    pub source_id: Option<String>,
    /// Owner agencies.
    pub owners: Vec<String>,
    /// Cooperating agencies.
    pub cooperating: Vec<String>,
    /// The deadline as written (`Q4/2022`), if any.
    pub due: Option<String>,
    /// The deadline the source's way (`Quý IV/2022`).
    pub due_vi: Option<String>,
    /// The last on-time day of the occurrence that matters on the date.
    pub due_date: Option<Date>,
    /// The reported progress.
    pub progress: Option<Progress>,
    /// The reported completion day.
    pub done_on: Option<Date>,
    /// Where it stands.
    pub state: TaskState,
    /// Days left until the last on-time day (0: due today), for an open task.
    pub days_remaining: Option<i64>,
    /// Days past the last on-time day: of an overdue task on the date, or of a late completion.
    pub days_late: Option<i64>,
    /// What it advances.
    pub advances: Vec<String>,
    /// The reported note.
    pub note: Option<String>,
    /// Why the state is what it is, when not obvious.
    pub remark: Option<String>,
}

/// The next deadline of one line of a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextDeadline {
    /// The schedule's title.
    pub schedule: String,
    /// Its owner agencies.
    pub owners: Vec<String>,
    /// Its recipients.
    pub recipients: Vec<String>,
    /// The rule as written.
    pub rule: String,
    /// The rule the source's way.
    pub rule_vi: String,
    /// The next last on-time day, if there is one in the period.
    pub date: Option<Date>,
    /// Days until it.
    pub days_remaining: Option<i64>,
}

/// Counts of targets and tasks by state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Targets by state.
    pub targets: VecMap<TargetState, usize>,
    /// Tasks by state.
    pub tasks: VecMap<TaskState, usize>,
}

impl Counts {
    /// Number of targets.
    pub fn target_total(&self) -> usize {
        self.targets.values().sum()
    }
    /// Number of tasks.
    pub fn task_total(&self) -> usize {
        self.tasks.values().sum()
    }
    /// Targets in a state.
    pub fn target(&self, s: TargetState) -> usize {
        self.targets.get(&s).copied().unwrap_or(0)
    }
    /// Tasks in a state.
    pub fn task(&self, s: TaskState) -> usize {
        self.tasks.get(&s).copied().unwrap_or(0)
    }
}

/// Totals for one agency (as owner) or one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// The agency's short name, or the group's heading.
    pub key: String,
    /// The agency's full name.
    pub title: Option<String>,
    /// The counts.
    pub counts: Counts,
}

/// A plan evaluated as of a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStatus {
    /// The plan's title.
    pub title: Option<String>,
    /// The plan's period.
    pub period: Option<DateRange>,
    /// The date of the evaluation.
    pub as_of: Date,
    /// How the plan's data writes numbers (also how tables show them).
    pub locale: Locale,
    /// Targets, in source order.
    pub targets: Vec<TargetStatus>,
    /// Tasks, in source order.
    pub tasks: Vec<TaskStatus>,
    /// The next deadline of every schedule line, soonest first (lines without one last).
    pub next_deadlines: Vec<NextDeadline>,
    /// Totals per owner agency, in declaration order; a task with two owners counts for both.
    pub agencies: Vec<Totals>,
    /// Totals per group, in order of first appearance.
    pub groups: Vec<Totals>,
    /// Totals of the whole plan.
    pub totals: Counts,
}

/// Evaluates a checked plan as of `as_of`.
pub fn evaluate(plan: &Lowered<'_>, data: &PlanData, as_of: Date) -> PlanStatus {
    let env = plan.env;
    let period = env.plan.as_ref().and_then(|p| p.period);
    let mut status = PlanStatus {
        title: env.plan.as_ref().map(|p| p.title.clone()),
        period,
        as_of,
        locale: env.locale.unwrap_or_default(),
        targets: Vec::new(),
        tasks: Vec::new(),
        next_deadlines: Vec::new(),
        agencies: Vec::new(),
        groups: Vec::new(),
        totals: Counts::default(),
    };
    for p in plan.planning.iter().copied() {
        match p.kind {
            PlanningKind::Plan => {}
            PlanningKind::Target => status.targets.push(target_status(env, p, data, as_of, period)),
            PlanningKind::Task => {
                let report = data.tasks.get(p.id_text()).cloned().unwrap_or_default();
                status.tasks.push(task_status(p, &report, as_of, period));
            }
            PlanningKind::Schedule => status.next_deadlines.extend(schedule_deadlines(p, as_of, period)),
        }
    }
    crate::sort::sort_by_key(&mut status.next_deadlines, |n| (n.date.is_none(), n.date));
    totals(plan.file, env, &mut status);
    status
}

/// How long after its period a plan is still plausibly reported on (the year-end report of a plan
/// comes in the first months of the next year).
const LATE_REPORT_DAYS: i64 = 366;

/// W0607: the as-of date is before the plan's period starts, or more than a year after it ends —
/// most often a mistyped year (`--as-of 2042-05-27`, or 2023 for a 2024 plan), which would show
/// every task as open with months left, or every one as long overdue. Located at the plan's
/// `period`.
pub fn as_of_warning(file: &ast::File, env: &Env, as_of: Date) -> Option<Diagnostic> {
    let period = env.plan.as_ref()?.period?;
    let span = file.items.iter().find_map(|i| match i {
        Item::Planning(p) if p.kind == PlanningKind::Plan => p.period().map(|per| per.span),
        _ => None,
    })?;
    let (message, help) = if as_of < period.start {
        let days = as_of.days_until(period.start);
        (Message::AsOfFar { as_of: as_of.ymd(), days, before: true, edge: period.start.ymd() }, Hint::AsOfBefore)
    } else if period.end.days_until(as_of) > LATE_REPORT_DAYS {
        let days = period.end.days_until(as_of);
        (Message::AsOfFar { as_of: as_of.ymd(), days, before: false, edge: period.end.ymd() }, Hint::AsOfAfter)
    } else {
        return None;
    };
    Some(Diagnostic::new(Code::W0607, span, message).with_help(help))
}

fn names<'a>(v: impl Iterator<Item = &'a ast::Name>) -> Vec<String> {
    v.map(|n| n.text.clone()).collect()
}

fn target_status(
    env: &Env,
    t: &PlanningItem,
    data: &PlanData,
    as_of: Date,
    plan_period: Option<DateRange>,
) -> TargetStatus {
    let id = t.id_text().to_string();
    let info = env.targets.get(&id);
    let measure = info.map_or(Ty::Number, |i| i.measure.clone());
    let period = t.period().and_then(|p| period_range(p).ok()).or(plan_period);
    let values = data.targets.get(&id);
    let plain = VecMap::new();
    let unit_values = |unit: &str| values.and_then(|u| u.get(unit)).unwrap_or(&plain);
    let mut lines = Vec::new();
    match t.goal().map(|g| &g.kind) {
        None => lines.push(line(env, t, None, None, unit_values(""), None)),
        Some(GoalKind::Plain(b)) => lines.push(line(env, t, None, Some(b), unit_values(""), None)),
        Some(GoalKind::Levels(levels)) => {
            for (level, b) in levels {
                lines.push(line(env, t, Some(level.text.clone()), Some(b), unit_values(""), Some(&level.text)));
            }
        }
        Some(GoalKind::EachUnit(b)) => {
            let units: Vec<&String> = values.map(|u| u.keys().collect()).unwrap_or_default();
            for unit in units {
                lines.push(line(env, t, Some(unit.clone()), Some(b), unit_values(unit), None));
            }
            if lines.is_empty() {
                lines.push(line(env, t, None, Some(b), &plain, None));
            }
        }
    }
    let state = if lines.iter().any(|l| l.state == TargetState::NotMet) {
        TargetState::NotMet
    } else if lines.iter().any(|l| l.state == TargetState::NoData) {
        TargetState::NoData
    } else if lines.iter().all(|l| l.state == TargetState::NoGoal) {
        TargetState::NoGoal
    } else {
        TargetState::Met
    };
    TargetStatus {
        id: id.clone(),
        title: t.title.value.clone(),
        group: t.group().map(|s| s.value.clone()),
        owners: names(t.owners()),
        cooperating: names(t.cooperating()),
        indicator: t.indicator().map(|n| n.text.clone()),
        measure,
        label: t.measure().and_then(|(_, l)| l.map(|s| s.value.clone())),
        baseline: t
            .baseline()
            .and_then(|(e, p)| const_value(e).map(|v| (v, p.map(crate::time::deadline::period_text)))),
        period,
        period_open: period.is_some_and(|p| as_of < p.end),
        state,
        lines,
        note: data.notes.get(&id).cloned(),
    }
}

/// The result of one line: the value (reported or computed) against one bound.
fn line(
    env: &Env,
    t: &PlanningItem,
    part: Option<String>,
    bound: Option<&GoalBound>,
    values: &VecMap<String, Value>,
    level: Option<&str>,
) -> TargetLine {
    let suffix = |name: &str| match level {
        Some(l) => format!("{name}.{l}"),
        None => name.to_string(),
    };
    let (actual, reason) = match t.value() {
        None => match values.get(&suffix("actual")).and_then(Value::as_num) {
            Some(v) => (Some(v.clone()), None),
            None => (None, Some(format!("`{}` was not reported", suffix("actual")))),
        },
        Some(expr) => {
            // The inputs of this line, under their declared names.
            let inputs: VecMap<String, Value> = FromIterator::from_iter(
                t.inputs().filter_map(|i| values.get(&suffix(&i.name.text)).map(|v| (i.name.text.clone(), v.clone()))),
            );
            let mut props: Vec<ast::IndicatorProp> = t.inputs().map(|i| ast::IndicatorProp::Input(i.clone())).collect();
            props.extend(t.props.iter().filter_map(|p| match &p.kind {
                PropKind::Let(n, e) => Some(ast::IndicatorProp::Let(n.clone(), e.clone())),
                _ => None,
            }));
            let ind = ast::Indicator {
                id: t.id.clone().unwrap_or(ast::Name { text: String::new(), span: t.span }),
                title: t.title.clone(),
                props,
                span: t.span,
            };
            let mut store = VecMap::new();
            let mut ev = IndicatorEval::new(env, &ind, Some(&inputs), Num::zero(), CohortMode::Collect(&mut store));
            match ev.eval(expr) {
                Ok(Value::Num(v)) => (Some(v), None),
                Ok(_) => (None, Some("the value is not a number".to_string())),
                Err(e) => (None, Some(e.to_string())),
            }
        }
    };
    let Some(bound) = bound else {
        return TargetLine { part, goal: None, actual, state: TargetState::NoGoal, gap: None, ratio: None, reason };
    };
    let goal = Some(bound_text(bound));
    let Some(v) = actual.clone() else {
        return TargetLine { part, goal, actual, state: TargetState::NoData, gap: None, ratio: None, reason };
    };
    let (met, gap, ratio) = match bound {
        GoalBound::Cmp(op, e) => {
            let g = const_value(e).unwrap_or_default();
            let met = op.holds(&v, &g);
            let short = match op {
                CmpOp::Ge | CmpOp::Gt => g.sub(&v),
                CmpOp::Le | CmpOp::Lt => v.sub(&g),
                CmpOp::Eq | CmpOp::Ne => v.sub(&g).abs(),
            };
            let gap = if met || short.is_negative() { Num::zero() } else { short };
            (met, gap, v.div_exact(&g))
        }
        GoalBound::Range(lo, hi) => {
            let (l, h) = (const_value(lo).unwrap_or_default(), const_value(hi).unwrap_or_default());
            let gap = if v < l {
                l.sub(&v)
            } else if v > h {
                v.sub(&h)
            } else {
                Num::zero()
            };
            (l <= v && v <= h, gap, None)
        }
    };
    let state = if met { TargetState::Met } else { TargetState::NotMet };
    TargetLine { part, goal, actual, state, gap: Some(gap), ratio, reason }
}

/// A bound as written: `>= 84%`, `in 65%..70%`.
pub fn bound_text(b: &GoalBound) -> String {
    match b {
        GoalBound::Cmp(op, e) => format!("{} {}", op.as_str(), crate::syntax::expr_to_string(e)),
        GoalBound::Range(lo, hi) => {
            format!("in {}..{}", crate::syntax::expr_to_string(lo), crate::syntax::expr_to_string(hi))
        }
    }
}

fn task_status(t: &PlanningItem, report: &TaskReport, as_of: Date, plan_period: Option<DateRange>) -> TaskStatus {
    let deadline = t.deadlines().next();
    let rule = deadline.and_then(|d| Rule::of(d).ok());
    let occurrence = rule.and_then(|r| r.occurrence_at(as_of, plan_period));
    let mut remark = None;
    // A completion after the date is not known on the date; one before the occurrence's window
    // belongs to an earlier occurrence of a recurring task.
    let mut done_on = report.done_on;
    let mut done = report.progress == Some(Progress::Done) || report.done_on.is_some();
    if let Some(d) = done_on {
        if d > as_of {
            remark = Some(format!("reported done on {d}, after {as_of}: counted as not done yet"));
            done = false;
            done_on = None;
        } else if let (Some(r), Some(occ)) = (rule, occurrence) {
            if r.is_recurring() && d < occ.window.start {
                remark = Some(format!("done on {d}, for an earlier occurrence"));
                done = false;
                done_on = None;
            }
        }
    }
    let (state, days_remaining, days_late) = match (rule, occurrence) {
        (None, _) if deadline.is_some() => (TaskState::NoDeadline, None, None),
        // Without a deadline, work cannot be late.
        (None, _) => (if done { TaskState::DoneOnTime } else { TaskState::NoDeadline }, None, None),
        (Some(Rule::Ongoing), _) | (Some(_), None) => (TaskState::Ongoing, None, None),
        (Some(_), Some(occ)) => {
            let due = occ.due;
            match (done, done_on) {
                (true, Some(d)) if d <= due => (TaskState::DoneOnTime, None, None),
                (true, Some(d)) => (TaskState::DoneLate, None, Some(due.days_until(d))),
                // Done, no date: before the deadline had passed it can only have been on time.
                (true, None) if as_of <= due => (TaskState::DoneOnTime, None, None),
                (true, None) => (TaskState::DoneUndated, None, None),
                (false, _) if as_of <= due => (TaskState::Open, Some(as_of.days_until(due)), None),
                (false, _) => (TaskState::Overdue, None, Some(due.days_until(as_of))),
            }
        }
    };
    TaskStatus {
        id: t.id_text().to_string(),
        title: t.title.value.clone(),
        group: t.group().map(|s| s.value.clone()),
        source_id: t.source_id().map(|s| s.value.clone()),
        owners: names(t.owners()),
        cooperating: names(t.cooperating()),
        due: deadline.map(deadline_text),
        due_vi: deadline.map(deadline_vi),
        due_date: occurrence.map(|o| o.due),
        progress: report.progress.or(report.done_on.map(|_| Progress::Done)),
        done_on: report.done_on,
        state,
        days_remaining,
        days_late,
        advances: names(t.advances()),
        note: report.note.clone(),
        remark,
    }
}

fn schedule_deadlines(s: &PlanningItem, as_of: Date, plan_period: Option<DateRange>) -> Vec<NextDeadline> {
    let within = s.period().and_then(|p| period_range(p).ok()).or(plan_period);
    s.deadlines()
        .map(|d| {
            let next = Rule::of(d).ok().and_then(|r| r.next_due(as_of, within));
            NextDeadline {
                schedule: s.title.value.clone(),
                owners: names(s.owners()),
                recipients: names(s.recipients()),
                rule: deadline_text(d),
                rule_vi: deadline_vi(d),
                date: next.map(|o| o.due),
                days_remaining: next.map(|o| as_of.days_until(o.due)),
            }
        })
        .collect()
}

fn totals(file: &ast::File, env: &Env, status: &mut PlanStatus) {
    let mut agencies: Vec<Totals> = Vec::new();
    let mut groups: Vec<Totals> = Vec::new();
    let slot = |list: &mut Vec<Totals>, key: &str| -> usize {
        match list.iter().position(|t| t.key == key) {
            Some(i) => i,
            None => {
                list.push(Totals { key: key.to_string(), title: None, counts: Counts::default() });
                list.len() - 1
            }
        }
    };
    // Agencies in declaration order: the file's own, then those of the rulebook (whose spans are
    // offsets in the rulebook's text, so they sort in its declaration order).
    for item in &file.items {
        if let Item::Agency(a) = item {
            slot(&mut agencies, &a.name.text);
        }
    }
    // `slot` keeps the first place of a name, so the file's own agencies stay where they are.
    let mut by_declaration: Vec<(&String, u32)> = env.agencies.iter().map(|(name, a)| (name, a.span.start)).collect();
    crate::sort::sort_by_key(&mut by_declaration, |(_, start)| *start);
    for (name, _) in by_declaration {
        slot(&mut agencies, name);
    }
    // Groups in the order their headings first appear in the file.
    for item in &file.items {
        if let Item::Planning(p) = item {
            if let Some(g) = p.group() {
                slot(&mut groups, &g.value);
            }
        }
    }
    let declared = agencies.len();
    let mut add = |owners: &[String], group: Option<&String>, f: &dyn Fn(&mut Counts)| {
        for o in owners {
            let i = slot(&mut agencies, o);
            if let Some(t) = agencies.get_mut(i) {
                f(&mut t.counts);
            }
        }
        if let Some(g) = group {
            let i = slot(&mut groups, g);
            if let Some(t) = groups.get_mut(i) {
                f(&mut t.counts);
            }
        }
    };
    for t in &status.targets {
        let s = t.state;
        add(&t.owners, t.group.as_ref(), &|c: &mut Counts| *c.targets.entry(s).or_default() += 1);
        *status.totals.targets.entry(s).or_default() += 1;
    }
    for t in &status.tasks {
        let s = t.state;
        add(&t.owners, t.group.as_ref(), &|c: &mut Counts| *c.tasks.entry(s).or_default() += 1);
        *status.totals.tasks.entry(s).or_default() += 1;
    }
    // Declared agencies that own nothing are left out; the rest keep declaration order.
    let mut kept: Vec<Totals> = Vec::new();
    for (i, mut t) in agencies.into_iter().enumerate() {
        if i < declared && t.counts.target_total() + t.counts.task_total() == 0 {
            continue;
        }
        t.title = env.agencies.get(&t.key).map(|a| a.title.clone());
        kept.push(t);
    }
    status.agencies = kept;
    status.groups = groups;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Format;

    const PLAN: &str = r#"
plan "P" { period 2024 unit "NT" }
agency S "Sở"
agency T "Sở khác"
target 4 "Cáp quang" { goal >= 84% owner S }
target R "Tài khoản" { goal in 65%..70% owner T }
target L "Cấp" { measure percent goal level tinh >= 55%, xa >= 20% owner S }
target C "Tính" { input a: count input b: count value = a / b goal >= 50% owner S }
task d "Ngày" { owner S due 2024-05-27 }
task m "Tháng" { owner S due 2024-02 }
task q "Quý" { owner S, T due Q1/2024 }
task y "Năm" { owner S due 2024 }
task o "Thường xuyên" { owner S due ongoing }
task h "Hằng năm" { owner S due yearly before 12-20 }
task n "Không hạn" { owner S }
task late "Trễ" { owner S due Q1/2024 }
schedule "Báo cáo" { owner T due quarterly before day 25 of last month due yearly before 12-20 }
"#;

    fn run(csv: &str, as_of: Date) -> PlanStatus {
        let parse = crate::parse(PLAN);
        let checked = crate::check(&parse);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let (data, diags) = super::super::data::load(csv, Format::Csv, &checked.env, Some(Locale::En));
        assert!(diags.is_empty(), "{diags:?}");
        evaluate(&Lowered::lower(&parse.file, &checked.env), &data, as_of)
    }

    fn date(y: u32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn task<'a>(s: &'a PlanStatus, id: &str) -> &'a TaskStatus {
        s.tasks.iter().find(|t| t.id == id).unwrap()
    }

    const CSV: &str = "unit,indicator,input,value\nNT,4,actual,81%\nNT,R,actual,66%\nNT,L,actual.tinh,56%\n\
        NT,C,a,3\nNT,C,b,4\nNT,m,status,done\nNT,m,done_on,2024-02-29\nNT,q,status,done\nNT,q,done_on,2024-04-01\n\
        NT,late,status,in_progress\nNT,y,status,done\n";

    #[test]
    fn targets() {
        let s = run(CSV, date(2024, 5, 27));
        let t4 = &s.targets[0];
        assert_eq!(t4.state, TargetState::NotMet);
        assert!(t4.period_open);
        assert_eq!(t4.lines[0].ratio.as_ref().unwrap().round_to(4), Num::parse_decimal("0.9643").unwrap());
        assert_eq!(t4.lines[0].gap, Num::parse_decimal("0.03").ok());
        assert_eq!(s.targets[1].state, TargetState::Met);
        assert_eq!(s.targets[2].state, TargetState::NoData);
        assert_eq!(s.targets[2].lines[0].state, TargetState::Met);
        assert_eq!(s.targets[3].state, TargetState::Met);
        assert_eq!(s.targets[3].lines[0].actual, Num::ratio(3, 4));
    }

    #[test]
    fn tasks_on_the_report_date() {
        let s = run(CSV, date(2024, 5, 27));
        // Due today: open, 0 days left.
        assert_eq!((task(&s, "d").state, task(&s, "d").days_remaining), (TaskState::Open, Some(0)));
        // The last day of a leap February is on time.
        assert_eq!(task(&s, "m").state, TaskState::DoneOnTime);
        // A quarter ends on 31 March: 1 April is a day late.
        assert_eq!((task(&s, "q").state, task(&s, "q").days_late), (TaskState::DoneLate, Some(1)));
        assert_eq!((task(&s, "late").state, task(&s, "late").days_late), (TaskState::Overdue, Some(57)));
        // Done without a date before the year is over: on time.
        assert_eq!(task(&s, "y").state, TaskState::DoneOnTime);
        assert_eq!(task(&s, "o").state, TaskState::Ongoing);
        assert_eq!(task(&s, "h").due_date, Some(date(2024, 12, 19)));
        assert_eq!(task(&s, "n").state, TaskState::NoDeadline);
        assert_eq!(s.next_deadlines[0].date, Some(date(2024, 6, 24)));
        assert_eq!(s.next_deadlines[1].date, Some(date(2024, 12, 19)));
        // Totals: `q` has two owners and counts for both.
        let t = s.agencies.iter().find(|a| a.key == "T").unwrap();
        assert_eq!((t.counts.task(TaskState::DoneLate), t.counts.target(TargetState::Met)), (1, 1));
        assert_eq!(s.totals.task_total(), 8);
    }

    #[test]
    fn dates_after_the_report_are_not_known() {
        let s = run(CSV, date(2024, 2, 28));
        assert_eq!(task(&s, "m").state, TaskState::Open);
        assert!(task(&s, "m").remark.is_some());
        let s = run(CSV, date(2025, 1, 5));
        // Done without a date, after the deadline passed: unknown.
        assert_eq!(task(&s, "y").state, TaskState::DoneUndated);
        assert_eq!(task(&s, "h").state, TaskState::Overdue);
        assert!(!s.targets[0].period_open);
        assert_eq!(s.next_deadlines[0].date, None);
    }
}
