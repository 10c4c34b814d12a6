//! Rendering of plans for `chiso status` and `chiso owners`: aligned text tables and CSV. JSON
//! comes from `chiso::wire`. Numbers follow the plan's locale in tables (`96,43%` and `20.659`
//! for `locale vi`) and are plain decimals in CSV.

use chiso::num::{Locale, Num};
use chiso::plan::owners::{AgencyDuties, Duty};
use chiso::plan::status::{Counts, PlanStatus, TargetLine, TargetState, TaskState, TaskStatus, Totals};
use chiso::sema::Ty;

use crate::text::{self, Lang};

/// The widest a title column gets; longer titles end in `…`.
const TITLE_WIDTH: usize = 46;

fn truncate(s: &str, n: usize) -> String {
    text::cut(s, n)
}

/// Rows as columns aligned on display width, two spaces apart, each line indented by two.
fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| text::width(s)).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < r.len() {
                let pad = widths.get(c).copied().unwrap_or(0).saturating_sub(text::width(cell)) + 2;
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
    text::number(n, 2, locale)
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

fn progress_vi(p: chiso::plan::data::Progress) -> &'static str {
    use chiso::plan::data::Progress;
    match p {
        Progress::Done => "đã xong",
        Progress::InProgress => "đang thực hiện",
        Progress::NotStarted => "chưa bắt đầu",
    }
}

fn state_name(state: TargetState, lang: Lang) -> &'static str {
    match state {
        TargetState::Met => lang.pick("met", "đạt"),
        TargetState::NotMet => lang.pick("not met", "chưa đạt"),
        TargetState::NoData => lang.pick("no data", "chưa có số liệu"),
        TargetState::NoGoal => lang.pick("no goal", "không có mục tiêu"),
    }
}

fn target_state(l: &TargetLine, lang: Lang) -> String {
    state_name(l.state, lang).to_string()
}

fn task_state(t: &TaskStatus, lang: Lang) -> String {
    let days = |n: i64| match lang {
        Lang::En if n == 1 => "1 day".to_string(),
        Lang::En => format!("{n} days"),
        Lang::Vi => format!("{n} ngày"),
    };
    let state: String = match (t.state, lang) {
        (TaskState::DoneOnTime, _) => lang.pick("done on time", "hoàn thành đúng hạn").into(),
        (TaskState::DoneLate, Lang::En) => format!("done late ({} late)", days(t.days_late.unwrap_or(0))),
        (TaskState::DoneLate, Lang::Vi) => format!("hoàn thành trễ (trễ {})", days(t.days_late.unwrap_or(0))),
        (TaskState::DoneUndated, _) => lang.pick("done (date not reported)", "hoàn thành (không báo ngày)").into(),
        (TaskState::Open, _) if t.days_remaining == Some(0) => {
            lang.pick("open, due today", "đang thực hiện, hạn hôm nay").into()
        }
        (TaskState::Open, Lang::En) => format!("open ({} left)", days(t.days_remaining.unwrap_or(0))),
        (TaskState::Open, Lang::Vi) => format!("đang thực hiện (còn {})", days(t.days_remaining.unwrap_or(0))),
        (TaskState::Overdue, _) => format!("{} {}", lang.pick("OVERDUE by", "QUÁ HẠN"), days(t.days_late.unwrap_or(0))),
        (TaskState::Ongoing, _) => lang.pick("ongoing", "thường xuyên").into(),
        (TaskState::NoDeadline, _) => lang.pick("no deadline", "không có thời hạn").into(),
    };
    // Why a reported completion was not counted (done after the date, or for an earlier window).
    match &t.remark {
        Some(r) => format!("{state}; {r}"),
        None => state,
    }
}

/// The status of a plan as text tables.
pub fn status_table(s: &PlanStatus, lang: Lang) -> String {
    let loc = s.locale;
    let tr = |en: &'static str, vi: &'static str| lang.pick(en, vi);
    let headers = |h: &[(&str, &str)]| h.iter().map(|(en, vi)| lang.pick(en, vi).to_string()).collect::<Vec<_>>();
    let mut out = String::new();
    out.push_str(&format!("{}\n", s.title.as_deref().unwrap_or(tr("Plan", "Kế hoạch"))));
    match &s.period {
        Some(p) => out.push_str(&format!(
            "{} {}..{} · {} {}\n",
            tr("period", "kỳ"),
            p.start,
            p.end,
            tr("status as of", "tình hình đến ngày"),
            s.as_of
        )),
        None => out.push_str(&format!("{} {}\n", tr("status as of", "tình hình đến ngày"), s.as_of)),
    }

    if !s.targets.is_empty() {
        out.push_str(&format!("\n{} ({})\n", tr("Targets", "Chỉ tiêu"), s.targets.len()));
        let mut rows = vec![headers(&[
            ("id", "mã"),
            ("target", "chỉ tiêu"),
            ("goal", "mục tiêu"),
            ("baseline", "cơ sở"),
            ("actual", "thực hiện"),
            ("ratio", "tỷ lệ"),
            ("gap", "chênh lệch"),
            ("status", "trạng thái"),
        ])];
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
            // A target not met while its period is still open says so.
            let open = |state: TargetState| match (&t.period, t.period_open && t.state == TargetState::NotMet) {
                (Some(p), true) if state == TargetState::NotMet => match lang {
                    Lang::En => format!("not met yet (period open until {})", p.end),
                    Lang::Vi => format!("chưa đạt (kỳ còn đến {})", p.end),
                },
                _ => state_name(state, lang).to_string(),
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
                        open(l.state),
                    ]);
                }
                lines => {
                    rows.push(vec![
                        t.id.clone(),
                        truncate(&title, TITLE_WIDTH),
                        String::new(),
                        dash(baseline),
                        String::new(),
                        String::new(),
                        String::new(),
                        open(t.state),
                    ]);
                    for l in lines {
                        let c = cells(l);
                        let mut state = target_state(l, lang);
                        if let (TargetState::NoData, Some(r)) = (l.state, &l.reason) {
                            state = format!("{state}: {r}");
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
        out.push_str(&format!("\n{} ({})\n", tr("Tasks", "Nhiệm vụ"), s.tasks.len()));
        let mut rows = vec![headers(&[
            ("id", "mã"),
            ("task", "nhiệm vụ"),
            ("owner", "chủ trì"),
            ("due", "thời hạn"),
            ("last day", "hạn cuối"),
            ("progress", "tiến độ"),
            ("done on", "ngày hoàn thành"),
            ("status", "trạng thái"),
        ])];
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
                dash(t.progress.map(|p| match lang {
                    Lang::En => p.as_str().replace('_', " "),
                    Lang::Vi => progress_vi(p).to_string(),
                })),
                dash(t.done_on.map(|d| d.to_string())),
                task_state(t, lang),
            ]);
        }
        out.push_str(&align(&rows));
    }

    if !s.next_deadlines.is_empty() {
        out.push_str(&format!("\n{}\n", tr("Next reporting deadlines", "Hạn báo cáo sắp tới")));
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
                    n.date.map_or(tr("none in the period", "không còn trong kỳ").to_string(), |d| d.to_string()),
                    n.days_remaining.map_or(String::new(), |d| match (d, lang) {
                        (0, _) => tr("today", "hôm nay").to_string(),
                        (1, Lang::En) => "in 1 day".to_string(),
                        (d, Lang::En) => format!("in {d} days"),
                        (d, Lang::Vi) => format!("còn {d} ngày"),
                    }),
                    truncate(&n.schedule, TITLE_WIDTH),
                    who,
                    n.rule_vi.clone(),
                ]
            })
            .collect();
        out.push_str(&align(&rows));
    }

    out.push_str(&format!("\n{}\n", tr("Totals", "Tổng hợp")));
    let header: Vec<String> = headers(&[
        ("", ""),
        ("targets", "chỉ tiêu"),
        ("met", "đạt"),
        ("not met", "chưa đạt"),
        ("no data", "chưa có số liệu"),
        ("tasks", "nhiệm vụ"),
        ("on time", "đúng hạn"),
        ("late", "trễ hạn"),
        ("undated", "không báo ngày"),
        ("open", "đang thực hiện"),
        ("overdue", "quá hạn"),
        ("ongoing", "thường xuyên"),
        ("no deadline", "không thời hạn"),
    ]);
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
    rows.push(row(tr("all", "tất cả").to_string(), &s.totals));
    out.push_str(&align(&rows));
    out
}

fn q(s: &str) -> String {
    // A lone `\r` ends a line for some CSV readers: quoted too.
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The status of a plan as CSV: one row per target line, task and schedule line (quoted by the
/// csv crate, as `eval`'s).
pub fn status_csv(s: &PlanStatus) -> Result<String, String> {
    let header = "kind,id,source_id,part,title,group,owners,goal,actual,gap,ratio,ratio_percent,due,due_date,progress,done_on,status,days_remaining,days_late,note";
    let mut rows: Vec<Vec<String>> = vec![header.split(',').map(str::to_string).collect()];
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
            rows.push(cells.to_vec());
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
        rows.push(cells.to_vec());
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
        rows.push(cells.to_vec());
    }
    crate::render::write_csv(rows.iter().map(Vec::as_slice))
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
