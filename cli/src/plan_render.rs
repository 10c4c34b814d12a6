//! Rendering of plans for `chiso status` and `chiso owners`: aligned text tables and CSV. JSON
//! comes from `chiso::wire`. Numbers follow the plan's locale in tables (`96,43%` and `20.659`
//! for `locale vi`) and are plain decimals in CSV.

use chiso::check::Ty;
use chiso::num::{Locale, Num};
use chiso::plan::owners::{AgencyDuties, Duty};
use chiso::plan::status::{Counts, PlanStatus, TargetLine, TargetState, TaskState, TaskStatus, Totals};

/// The widest a title column gets; longer titles end in `…`.
const TITLE_WIDTH: usize = 46;

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Rows as columns aligned on character counts, two spaces apart, each line indented by two.
fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < r.len() {
                let pad = widths.get(c).copied().unwrap_or(0).saturating_sub(cell.chars().count()) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A goal as written (`>= 120450`, `in 65.5%..70%`) with its numbers the locale's way
/// (`>= 120.450`, `in 65,5%..70%`), so it reads like the values next to it.
fn localized_goal(goal: &str, locale: Locale) -> String {
    if locale == Locale::En {
        return goal.to_string();
    }
    let mut out = String::new();
    let mut rest = goal;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let digits = |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let mut end = start + digits(&rest[start..]);
        // A decimal point followed by a digit is part of the number; `..` is a range.
        if rest[end..].starts_with('.') && rest[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            end += 1 + digits(&rest[end + 1..]);
        }
        let text = &rest[start..end];
        match Num::parse_decimal(text) {
            Ok(n) => out.push_str(&number(&n, locale)),
            Err(_) => out.push_str(text),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A number with at most 2 decimals, the locale's way.
fn number(n: &Num, locale: Locale) -> String {
    let s = n.to_decimal_string(2);
    match locale {
        Locale::En => s,
        Locale::Vi => {
            let (sign, body) = s.strip_prefix('-').map_or(("", s.as_str()), |b| ("-", b));
            let (int, frac) = body.split_once('.').unwrap_or((body, ""));
            let mut grouped = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    grouped.push('.');
                }
                grouped.push(c);
            }
            if frac.is_empty() {
                format!("{sign}{grouped}")
            } else {
                format!("{sign}{grouped},{frac}")
            }
        }
    }
}

/// A value of a target's measure.
fn value(n: &Num, ty: &Ty, locale: Locale) -> String {
    match ty {
        Ty::Percent => format!("{}%", number(&n.mul(&Num::from_i64(100)), locale)),
        _ => number(n, locale),
    }
}

fn dash(s: Option<String>) -> String {
    s.unwrap_or_else(|| "-".to_string())
}

fn target_state(l: &TargetLine) -> String {
    match l.state {
        TargetState::Met => "met".into(),
        TargetState::NotMet => "not met".into(),
        TargetState::NoData => "no data".into(),
        TargetState::NoGoal => "no goal".into(),
    }
}

fn task_state(t: &TaskStatus) -> String {
    let days = |n: i64| if n == 1 { "1 day".to_string() } else { format!("{n} days") };
    let state: String = match t.state {
        TaskState::DoneOnTime => "done on time".into(),
        TaskState::DoneLate => format!("done late ({} late)", days(t.days_late.unwrap_or(0))),
        TaskState::DoneUndated => "done (date not reported)".into(),
        TaskState::Open if t.days_remaining == Some(0) => "open, due today".into(),
        TaskState::Open => format!("open ({} left)", days(t.days_remaining.unwrap_or(0))),
        TaskState::Overdue => format!("OVERDUE by {}", days(t.days_late.unwrap_or(0))),
        TaskState::Ongoing => "ongoing".into(),
        TaskState::NoDeadline => "no deadline".into(),
    };
    // Why a reported completion was not counted (done after the date, or for an earlier window).
    match &t.remark {
        Some(r) => format!("{state}; {r}"),
        None => state,
    }
}

/// The status of a plan as text tables.
pub fn status_table(s: &PlanStatus) -> String {
    let loc = s.locale;
    let mut out = String::new();
    out.push_str(&format!("{}\n", s.title.as_deref().unwrap_or("Plan")));
    match &s.period {
        Some(p) => out.push_str(&format!("period {}..{} · status as of {}\n", p.start, p.end, s.as_of)),
        None => out.push_str(&format!("status as of {}\n", s.as_of)),
    }

    if !s.targets.is_empty() {
        out.push_str(&format!("\nTargets ({})\n", s.targets.len()));
        let mut rows = vec![["id", "target", "goal", "baseline", "actual", "ratio", "gap", "status"]
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()];
        let mut group: Option<&String> = None;
        for t in &s.targets {
            if t.group.is_some() && t.group.as_ref() != group {
                group = t.group.as_ref();
                rows.push(vec![String::new(), format!("[{}]", truncate(group.map_or("", |g| g), TITLE_WIDTH))]);
            }
            let baseline = t.baseline.as_ref().map(|(v, p)| match p {
                Some(p) => format!("{} ({p})", value(v, &t.measure, loc)),
                None => value(v, &t.measure, loc),
            });
            let open = |state: String| {
                if t.period_open && t.state == TargetState::NotMet && state == "not met" {
                    match &t.period {
                        Some(p) => format!("not met yet (period open until {})", p.end),
                        None => state,
                    }
                } else {
                    state
                }
            };
            let cells = |l: &TargetLine| {
                vec![
                    dash(l.goal.as_deref().map(|g| localized_goal(g, loc))),
                    dash(l.actual.as_ref().map(|v| value(v, &t.measure, loc))),
                    dash(l.ratio.as_ref().map(|r| format!("{}%", number(&r.mul(&Num::from_i64(100)), loc)))),
                    dash(l.gap.as_ref().map(|g| value(g, &t.measure, loc))),
                ]
            };
            let title = match &t.label {
                Some(label) => format!("{} ({label})", t.title),
                None => t.title.clone(),
            };
            match t.lines.as_slice() {
                [l] if l.part.is_none() => {
                    let c = cells(l);
                    rows.push(vec![
                        t.id.clone(),
                        truncate(&title, TITLE_WIDTH),
                        c[0].clone(),
                        dash(baseline),
                        c[1].clone(),
                        c[2].clone(),
                        c[3].clone(),
                        open(target_state(l)),
                    ]);
                }
                lines => {
                    let state = match t.state {
                        TargetState::Met => "met",
                        TargetState::NotMet => "not met",
                        TargetState::NoData => "no data",
                        TargetState::NoGoal => "no goal",
                    };
                    rows.push(vec![
                        t.id.clone(),
                        truncate(&title, TITLE_WIDTH),
                        String::new(),
                        dash(baseline),
                        String::new(),
                        String::new(),
                        String::new(),
                        open(state.to_string()),
                    ]);
                    for l in lines {
                        let c = cells(l);
                        let mut state = target_state(l);
                        if let (TargetState::NoData, Some(r)) = (l.state, &l.reason) {
                            state = format!("no data: {r}");
                        }
                        rows.push(vec![
                            String::new(),
                            format!("  · {}", l.part.as_deref().unwrap_or("")),
                            c[0].clone(),
                            String::new(),
                            c[1].clone(),
                            c[2].clone(),
                            c[3].clone(),
                            state,
                        ]);
                    }
                }
            }
        }
        out.push_str(&align(&rows));
    }

    if !s.tasks.is_empty() {
        out.push_str(&format!("\nTasks ({})\n", s.tasks.len()));
        let mut rows = vec![["id", "task", "owner", "due", "last day", "progress", "done on", "status"]
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()];
        let mut group: Option<&String> = None;
        for t in &s.tasks {
            if t.group.is_some() && t.group.as_ref() != group {
                group = t.group.as_ref();
                rows.push(vec![String::new(), format!("[{}]", truncate(group.map_or("", |g| g), TITLE_WIDTH))]);
            }
            rows.push(vec![
                t.id.clone(),
                truncate(&t.title, TITLE_WIDTH),
                truncate(&t.owners.join(", "), 24),
                dash(t.due_vi.clone()),
                dash(t.due_date.map(|d| d.to_string())),
                dash(t.progress.map(|p| p.as_str().replace('_', " "))),
                dash(t.done_on.map(|d| d.to_string())),
                task_state(t),
            ]);
        }
        out.push_str(&align(&rows));
    }

    if !s.next_deadlines.is_empty() {
        out.push_str("\nNext reporting deadlines\n");
        let rows: Vec<Vec<String>> = s
            .next_deadlines
            .iter()
            .map(|n| {
                let who = match (n.owners.is_empty(), n.recipients.is_empty()) {
                    (_, true) => n.owners.join(", "),
                    (true, false) => format!("→ {}", n.recipients.join(", ")),
                    (false, false) => format!("{} → {}", n.owners.join(", "), n.recipients.join(", ")),
                };
                vec![
                    n.date.map_or("none in the period".to_string(), |d| d.to_string()),
                    n.days_remaining.map_or(String::new(), |d| match d {
                        0 => "today".to_string(),
                        1 => "in 1 day".to_string(),
                        d => format!("in {d} days"),
                    }),
                    truncate(&n.schedule, TITLE_WIDTH),
                    who,
                    n.rule_vi.clone(),
                ]
            })
            .collect();
        out.push_str(&align(&rows));
    }

    out.push_str("\nTotals\n");
    let header: Vec<String> = [
        "",
        "targets",
        "met",
        "not met",
        "no data",
        "tasks",
        "on time",
        "late",
        "undated",
        "open",
        "overdue",
        "ongoing",
        "no deadline",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let row = |key: String, c: &Counts| -> Vec<String> {
        let mut r = vec![key, c.target_total().to_string()];
        r.extend(
            [TargetState::Met, TargetState::NotMet, TargetState::NoData].iter().map(|st| c.target(*st).to_string()),
        );
        r.push(c.task_total().to_string());
        r.extend(
            [
                TaskState::DoneOnTime,
                TaskState::DoneLate,
                TaskState::DoneUndated,
                TaskState::Open,
                TaskState::Overdue,
                TaskState::Ongoing,
                TaskState::NoDeadline,
            ]
            .iter()
            .map(|st| c.task(*st).to_string()),
        );
        r
    };
    let mut rows = vec![header];
    let key = |t: &Totals| truncate(&t.key, 40);
    rows.extend(s.agencies.iter().map(|t| row(key(t), &t.counts)));
    if !s.groups.is_empty() {
        rows.push(vec![String::new()]);
        rows.extend(s.groups.iter().map(|t| row(format!("[{}]", key(t)), &t.counts)));
    }
    rows.push(vec![String::new()]);
    rows.push(row("all".to_string(), &s.totals));
    out.push_str(&align(&rows));
    out
}

fn q(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The status of a plan as CSV: one row per target line, task and schedule line.
pub fn status_csv(s: &PlanStatus) -> String {
    let mut out = String::from(
        "kind,id,source_id,part,title,group,owners,goal,actual,gap,ratio,ratio_percent,due,due_date,progress,done_on,status,days_remaining,days_late,note\n",
    );
    let dec = |n: &Num| n.to_decimal_string(6);
    let opt = |o: Option<String>| o.unwrap_or_default();
    for t in &s.targets {
        for l in &t.lines {
            let cells = [
                "target".to_string(),
                t.id.clone(),
                String::new(),
                opt(l.part.clone()),
                t.title.clone(),
                opt(t.group.clone()),
                t.owners.join(" "),
                opt(l.goal.clone()),
                opt(l.actual.as_ref().map(dec)),
                opt(l.gap.as_ref().map(dec)),
                opt(l.ratio.as_ref().map(dec)),
                opt(l.ratio.as_ref().map(chiso::wire::percent_2)),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                l.state.as_str().to_string(),
                String::new(),
                String::new(),
                opt(l.reason.clone().or_else(|| t.note.clone())),
            ];
            out.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
    }
    for t in &s.tasks {
        let cells = [
            "task".to_string(),
            t.id.clone(),
            opt(t.source_id.clone()),
            String::new(),
            t.title.clone(),
            opt(t.group.clone()),
            t.owners.join(" "),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            opt(t.due.clone()),
            opt(t.due_date.map(|d| d.to_string())),
            opt(t.progress.map(|p| p.as_str().to_string())),
            opt(t.done_on.map(|d| d.to_string())),
            t.state.as_str().to_string(),
            opt(t.days_remaining.map(|d| d.to_string())),
            opt(t.days_late.map(|d| d.to_string())),
            opt(t.note.clone().or_else(|| t.remark.clone())),
        ];
        out.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    for n in &s.next_deadlines {
        let cells = [
            "deadline".to_string(),
            String::new(),
            String::new(),
            String::new(),
            n.schedule.clone(),
            String::new(),
            n.owners.join(" "),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            n.rule.clone(),
            opt(n.date.map(|d| d.to_string())),
            String::new(),
            String::new(),
            if n.date.is_some() { "upcoming".to_string() } else { "none".to_string() },
            opt(n.days_remaining.map(|d| d.to_string())),
            String::new(),
            String::new(),
        ];
        out.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// The lists of an agency's duties with their headings.
fn sections(a: &AgencyDuties) -> [(&'static str, &'static str, &'static str, &Vec<Duty>); 9] {
    [
        ("owner", "indicator", "indicators (phụ trách)", &a.indicators),
        ("cooperating", "indicator", "indicators (phối hợp)", &a.cooperating_indicators),
        ("owner", "field", "data fields", &a.fields),
        ("owner", "target", "targets (phụ trách)", &a.targets),
        ("cooperating", "target", "targets (phối hợp)", &a.cooperating_targets),
        ("owner", "task", "tasks (chủ trì)", &a.tasks),
        ("cooperating", "task", "tasks (phối hợp)", &a.cooperating_tasks),
        ("owner", "report", "reports sent", &a.reports),
        ("recipient", "report", "reports received", &a.receives),
    ]
}

/// The agency view as text.
pub fn owners_table(view: &[AgencyDuties]) -> String {
    let mut out = String::new();
    for a in view.iter().filter(|a| !a.is_empty()) {
        match &a.title {
            Some(t) => out.push_str(&format!("{} — {}\n", a.agency, t)),
            None => out.push_str(&format!("{} (not declared)\n", a.agency)),
        }
        for (_, _, heading, list) in sections(a) {
            if list.is_empty() {
                continue;
            }
            out.push_str(&format!("  {heading} ({})\n", list.len()));
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|d| {
                    vec![
                        format!("  {}", d.id.clone().unwrap_or_else(|| "·".to_string())),
                        truncate(&d.title, 60),
                        d.detail.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            out.push_str(&align(&rows));
        }
        out.push('\n');
    }
    let idle: Vec<&str> = view.iter().filter(|a| a.is_empty()).map(|a| a.agency.as_str()).collect();
    if !idle.is_empty() {
        out.push_str(&format!("declared, with no duty: {}\n", idle.join(", ")));
    }
    out
}

/// The agency view as CSV: one row per duty.
pub fn owners_csv(view: &[AgencyDuties]) -> String {
    let mut out = String::from("agency,role,kind,id,title,detail\n");
    for a in view {
        for (role, kind, _, list) in sections(a) {
            for d in list {
                let cells = [
                    a.agency.clone(),
                    role.to_string(),
                    kind.to_string(),
                    d.id.clone().unwrap_or_default(),
                    d.title.clone(),
                    d.detail.clone().unwrap_or_default(),
                ];
                out.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
                out.push('\n');
            }
        }
    }
    out
}

/// What no agency owns, as text: a heading of its own after the agencies.
pub fn unowned_table(unowned: &[(&str, Duty)]) -> String {
    if unowned.is_empty() {
        return String::new();
    }
    let mut out = format!("(no owner) — chưa có cơ quan phụ trách ({})\n", unowned.len());
    let rows: Vec<Vec<String>> = unowned
        .iter()
        .map(|(kind, d)| {
            vec![
                format!("  {kind}"),
                d.id.clone().unwrap_or_else(|| "·".to_string()),
                truncate(&d.title, 60),
                d.detail.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&align(&rows));
    out
}

/// What no agency owns, as CSV rows of the agency view: an empty agency, role `none`.
pub fn unowned_csv(unowned: &[(&str, Duty)]) -> String {
    let mut out = String::new();
    for (kind, d) in unowned {
        let cells = [
            String::new(),
            "none".to_string(),
            kind.to_string(),
            d.id.clone().unwrap_or_default(),
            d.title.clone(),
            d.detail.clone().unwrap_or_default(),
        ];
        out.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}
