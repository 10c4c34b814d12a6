//! The agency view: for each agency, the indicators it owns and cooperates on, its targets, its
//! tasks with their deadlines and its reports — the table the plans print as "Phân công phụ
//! trách".
//!
//! Input: one or more checked files (a rulebook and the plans that use it). Output: one entry per
//! agency, in declaration order; an agency that is named but not declared comes last.

use super::status::bound_text;
use crate::sema::{const_value, Lowered};
use crate::syntax::ast::{self, GoalKind, Item, PlanningKind};
use crate::time::deadline::{deadline_text, deadline_vi, period_text};

/// One responsibility.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    /// The indicator, field, target or task id.
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// What is due: `max 10`, `>= 84% (2024)`, `Quý IV/2022 (Q4/2022)`.
    pub detail: Option<String>,
}

/// Everything one agency is responsible for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencyDuties {
    /// The agency's short name.
    pub agency: String,
    /// Its full name, when declared.
    pub title: Option<String>,
    /// Indicators it owns (cơ quan phụ trách).
    pub indicators: Vec<Duty>,
    /// Indicators it cooperates on (cơ quan phối hợp).
    pub cooperating_indicators: Vec<Duty>,
    /// Data fields it reports.
    pub fields: Vec<Duty>,
    /// Targets it owns.
    pub targets: Vec<Duty>,
    /// Targets it cooperates on.
    pub cooperating_targets: Vec<Duty>,
    /// Tasks it leads (cơ quan chủ trì).
    pub tasks: Vec<Duty>,
    /// Tasks it cooperates on.
    pub cooperating_tasks: Vec<Duty>,
    /// Reports it sends.
    pub reports: Vec<Duty>,
    /// Reports it receives.
    pub receives: Vec<Duty>,
}

impl AgencyDuties {
    /// Whether the agency has no responsibility at all.
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
            && self.cooperating_indicators.is_empty()
            && self.fields.is_empty()
            && self.targets.is_empty()
            && self.cooperating_targets.is_empty()
            && self.tasks.is_empty()
            && self.cooperating_tasks.is_empty()
            && self.reports.is_empty()
            && self.receives.is_empty()
    }
}

/// Which list of an agency's duties.
#[derive(Clone, Copy)]
enum Slot {
    Indicator,
    CoIndicator,
    Field,
    Target,
    CoTarget,
    Task,
    CoTask,
    Report,
    Receive,
}

/// The duties of every agency named in `files`.
pub fn owners(files: &[Lowered<'_>]) -> Vec<AgencyDuties> {
    let mut out: Vec<AgencyDuties> = Vec::new();
    for rb in files {
        let env = rb.env;
        for item in &rb.file.items {
            if let Item::Agency(a) = item {
                if !out.iter().any(|d| d.agency == a.name.text) {
                    out.push(AgencyDuties {
                        agency: a.name.text.clone(),
                        title: env.agencies.get(&a.name.text).map(|i| i.title.clone()),
                        ..AgencyDuties::default()
                    });
                }
            }
        }
    }
    let mut add = |agency: &ast::Name, slot: Slot, duty: Duty| {
        if agency.text.is_empty() {
            return;
        }
        let i = match out.iter().position(|d| d.agency == agency.text) {
            Some(i) => i,
            None => {
                out.push(AgencyDuties { agency: agency.text.clone(), ..AgencyDuties::default() });
                out.len() - 1
            }
        };
        let Some(d) = out.get_mut(i) else { return };
        let list = match slot {
            Slot::Indicator => &mut d.indicators,
            Slot::CoIndicator => &mut d.cooperating_indicators,
            Slot::Field => &mut d.fields,
            Slot::Target => &mut d.targets,
            Slot::CoTarget => &mut d.cooperating_targets,
            Slot::Task => &mut d.tasks,
            Slot::CoTask => &mut d.cooperating_tasks,
            Slot::Report => &mut d.reports,
            Slot::Receive => &mut d.receives,
        };
        list.push(duty);
    };
    for rb in files {
        for ind in rb.indicators.iter().copied() {
            let duty = Duty {
                id: Some(ind.id.text.clone()),
                title: ind.title.value.clone(),
                detail: ind.max().and_then(const_value).map(|m| format!("max {m}")),
            };
            if let Some(o) = ind.owner() {
                add(o, Slot::Indicator, duty.clone());
            }
            for c in ind.cooperating() {
                add(c, Slot::CoIndicator, duty.clone());
            }
        }
        for item in &rb.file.items {
            if let Item::Section(s) = item {
                for f in &s.fields {
                    if let Some(o) = &f.owner {
                        let id = format!("{}.{}", s.id.text, f.id.text);
                        add(o, Slot::Field, Duty { id: Some(id), title: f.title.value.clone(), detail: None });
                    }
                }
            }
        }
        for p in rb.planning.iter().copied() {
            planning_duties(p, &mut add);
        }
    }
    out
}

/// What no agency is responsible for: indicators without `owner` (W0209), fields without
/// owner, and targets and tasks without `owner` (W0605), in file order. The agency view lists
/// them under their own heading, so that a row of the source table that names no agency is not
/// silently missing from "Phân công phụ trách". Each comes with its kind: `indicator`, `field`,
/// `target` or `task`.
pub fn unowned(files: &[Lowered<'_>]) -> Vec<(&'static str, Duty)> {
    let mut out = Vec::new();
    for rb in files {
        for ind in rb.indicators.iter().copied() {
            if ind.owner().is_none() {
                out.push((
                    "indicator",
                    Duty {
                        id: Some(ind.id.text.clone()),
                        title: ind.title.value.clone(),
                        detail: ind.max().and_then(const_value).map(|m| format!("max {m}")),
                    },
                ));
            }
        }
        for item in &rb.file.items {
            match item {
                Item::Section(s) => {
                    for f in s.fields.iter().filter(|f| f.owner.is_none()) {
                        let id = format!("{}.{}", s.id.text, f.id.text);
                        out.push(("field", Duty { id: Some(id), title: f.title.value.clone(), detail: None }));
                    }
                }
                Item::Planning(p)
                    if matches!(p.kind, PlanningKind::Target | PlanningKind::Task) && p.owners().next().is_none() =>
                {
                    out.push((
                        p.kind.keyword(),
                        Duty { id: p.id.as_ref().map(|n| n.text.clone()), title: p.title.value.clone(), detail: None },
                    ));
                }
                _ => {}
            }
        }
    }
    out
}

fn planning_duties(p: &ast::PlanningItem, add: &mut dyn FnMut(&ast::Name, Slot, Duty)) {
    let detail = match p.kind {
        PlanningKind::Plan => return,
        PlanningKind::Target => {
            let goal = p.goal().map(|g| match &g.kind {
                GoalKind::Plain(b) => bound_text(b),
                GoalKind::EachUnit(b) => format!("each unit {}", bound_text(b)),
                GoalKind::Levels(v) => {
                    v.iter().map(|(n, b)| format!("{} {}", n.text, bound_text(b))).collect::<Vec<_>>().join(", ")
                }
            });
            let period = p.period().map(period_text);
            match (goal, period) {
                (Some(g), Some(per)) => Some(format!("{g} ({per})")),
                (g, per) => g.or(per),
            }
        }
        PlanningKind::Task | PlanningKind::Schedule => {
            let due: Vec<String> =
                p.deadlines().map(|d| format!("{} ({})", deadline_vi(d), deadline_text(d))).collect();
            (!due.is_empty()).then(|| due.join("; "))
        }
    };
    let duty = Duty { id: p.id.as_ref().map(|n| n.text.clone()), title: p.title.value.clone(), detail };
    let (own, co) = match p.kind {
        PlanningKind::Target => (Slot::Target, Slot::CoTarget),
        PlanningKind::Task => (Slot::Task, Slot::CoTask),
        _ => (Slot::Report, Slot::Receive),
    };
    for o in p.owners() {
        add(o, own, duty.clone());
    }
    let second: Vec<&ast::Name> =
        if p.kind == PlanningKind::Schedule { p.recipients().collect() } else { p.cooperating().collect() };
    for c in second {
        add(c, co, duty.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_agencys_duties() {
        let rb = r#"
agency S "Sở Thông tin và Truyền thông"
agency D "Doanh nghiệp viễn thông"
indicator 3.1 "Điện thoại thông minh" { max 10 owner S cooperating D input a: count score = 1 pt }
"#;
        let plan = r#"
plan "P" { period 2022 rulebook "rb.chiso" }
agency U "UBND cấp huyện"
target T "Cáp quang" { goal >= 75% owner S cooperating D period 2022 }
task 1 "Chuyên trang" { owner S, U due 2022-10 }
schedule "Báo cáo" { owner U recipient S due yearly before 12-20 }
"#;
        let (p1, p2) = (crate::parse(rb), crate::parse(plan));
        let e1 = crate::check(&p1).env;
        let e2 = crate::pipeline::check_with_rulebook(&p2, &[], &e1).env;
        let view = owners(&[Lowered::lower(&p1.file, &e1), Lowered::lower(&p2.file, &e2)]);
        let names: Vec<&str> = view.iter().map(|d| d.agency.as_str()).collect();
        assert_eq!(names, ["S", "D", "U"]);
        let s = &view[0];
        assert_eq!(s.indicators[0].detail.as_deref(), Some("max 10"));
        assert_eq!(s.targets[0].detail.as_deref(), Some(">= 75% (2022)"));
        assert_eq!(s.tasks[0].detail.as_deref(), Some("Tháng 10/2022 (2022-10)"));
        assert_eq!(s.receives[0].title, "Báo cáo");
        assert_eq!(view[1].cooperating_indicators.len(), 1);
        assert_eq!(view[2].reports[0].detail.as_deref(), Some("Hằng năm (trước ngày 20/12) (yearly before 12-20)"));
    }

    #[test]
    fn lists_what_no_agency_owns() {
        let rb = r#"
agency S "Sở"
indicator 5.12 "Tổng" { max 3 indicator 5.12.1 "Có chủ" { max 1 owner S input a: count score = 1 pt } indicator 5.12.2 "Không chủ" { max 2 input b: count score = 2 pt } }
section A "Chung" { field 1 "Tên": text owner S field 2 "Địa chỉ": text }
"#;
        let p = crate::parse(rb);
        let e = crate::check(&p).env;
        let ids: Vec<Option<String>> = unowned(&[Lowered::lower(&p.file, &e)]).into_iter().map(|(_, d)| d.id).collect();
        assert_eq!(ids, [Some("5.12".to_string()), Some("5.12.2".to_string()), Some("A.2".to_string())]);
    }
}
