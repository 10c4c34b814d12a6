//! Property tests of the planning layer, through the whole pipeline (plan text and data text in,
//! `plan::status::evaluate` out), against a small independent calendar oracle written here:
//!
//! - **deadlines**: for a random deadline of every form and a random as-of date, the last on-time
//!   day is the one `spec/planning.md` §3 defines (end of the day, month, quarter or year written;
//!   for recurring deadlines, the cutoff day of the window containing the date, `before` strict);
//! - **task states**: an unfinished task is open (days left = due − as-of) until its last on-time
//!   day and overdue (days late = as-of − due) after it, never the other way; a finished task is
//!   on time iff finished by that day, late by exactly the difference otherwise, and a completion
//!   after the as-of date is not counted;
//! - **targets**: a goal `>= g` is met iff the value ≥ g exactly, with gap max(0, g − value), a
//!   goal `<= g` iff the value ≤ g, with gap max(0, value − g), and a goal `in lo..hi` iff
//!   lo ≤ value ≤ hi; the values reported are biased to the bounds (equal to the goal, or to
//!   either end of the range, one case in four each; a hundredth beside them often);
//! - **schedules**: the next reporting deadline is on or after the as-of date and inside the
//!   plan's period.
//!
//! Case counts come from `PROPTEST_CASES` (256 in `scripts/test.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chiso::data::Format;
use chiso::plan::status::{PlanStatus, TargetState, TaskState};
use chiso::plan::Date;
use chiso::{Locale, Num};
use proptest::prelude::*;

// ----- the oracle: the calendar as the spec states it -------------------------------------------

fn leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn month_len(y: u32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date(y: u32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).unwrap_or_else(|| panic!("oracle made a bad date {y}-{m}-{d}"))
}

/// A deadline as written, with the rule the oracle applies to it.
#[derive(Clone, Debug)]
enum Due {
    Day(u32, u32, u32),
    Month(u32, u32),
    Quarter(u32, u32),
    Year(u32),
    Yearly { before: bool, month: u32, day: u32 },
    Quarterly { before: bool, day: u32 },
    Monthly { before: bool, day: u32 },
}

impl Due {
    fn text(&self) -> String {
        let cut = |b: bool| if b { "before" } else { "by" };
        match self {
            Due::Day(y, m, d) => format!("{y}-{m:02}-{d:02}"),
            Due::Month(y, m) => format!("{y}-{m:02}"),
            Due::Quarter(y, q) => format!("Q{q}/{y}"),
            Due::Year(y) => format!("{y}"),
            Due::Yearly { before, month, day } => format!("yearly {} {month:02}-{day:02}", cut(*before)),
            Due::Quarterly { before, day } => format!("quarterly {} day {day} of last month", cut(*before)),
            Due::Monthly { before, day } => format!("monthly {} day {day}", cut(*before)),
        }
    }

    /// The last on-time day of the occurrence that matters on `as_of` (inside the plan's years).
    fn last_day(&self, as_of: Date) -> Date {
        let cut = |before: bool, d: Date| if before { d.add_days(-1).unwrap() } else { d };
        let (y, m) = (as_of.year(), as_of.month());
        let last_month_of_quarter = 3 * m.div_ceil(3);
        match *self {
            Due::Day(y, m, d) => date(y, m, d),
            Due::Month(y, m) => date(y, m, month_len(y, m)),
            Due::Quarter(y, q) => date(y, 3 * q, month_len(y, 3 * q)),
            Due::Year(y) => date(y, 12, 31),
            Due::Yearly { before, month, day } => cut(before, date(y, month, day)),
            Due::Quarterly { before, day } => cut(before, date(y, last_month_of_quarter, day)),
            Due::Monthly { before, day } => cut(before, date(y, m, day)),
        }
    }
}

const FIRST_YEAR: u32 = 2023;
const LAST_YEAR: u32 = 2025;

fn any_day() -> impl Strategy<Value = Date> {
    (FIRST_YEAR..=LAST_YEAR, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| date(y, m, d.min(month_len(y, m))))
}

fn once_due() -> impl Strategy<Value = Due> {
    let year = FIRST_YEAR..=LAST_YEAR;
    prop_oneof![
        any_day().prop_map(|d| Due::Day(d.year(), d.month(), d.day())),
        (year.clone(), 1u32..=12).prop_map(|(y, m)| Due::Month(y, m)),
        (year.clone(), 1u32..=4).prop_map(|(y, q)| Due::Quarter(y, q)),
        year.prop_map(Due::Year),
    ]
}

fn recurring_due() -> impl Strategy<Value = Due> {
    // Days that exist in every occurrence (others are E0601).
    prop_oneof![
        (any::<bool>(), 1u32..=12, 1u32..=28).prop_map(|(before, month, day)| Due::Yearly { before, month, day }),
        (any::<bool>(), 1u32..=30).prop_map(|(before, day)| Due::Quarterly { before, day }),
        (any::<bool>(), 1u32..=28).prop_map(|(before, day)| Due::Monthly { before, day }),
    ]
}

fn any_due() -> impl Strategy<Value = Due> {
    prop_oneof![once_due(), recurring_due()]
}

// ----- the pipeline ------------------------------------------------------------------------------

const HEADER: &str = "plan \"P\" {\n  period 2023-01-01..2025-12-31\n  unit \"NT\"\n}\n\nagency S \"Sở\"\n\n";

fn status(plan: &str, data: &str, as_of: Date) -> PlanStatus {
    let text = format!("{HEADER}{plan}");
    let parse = chiso::parse(&text);
    let checked = chiso::check_with(&parse, &chiso_stdlib::functions());
    assert!(checked.diagnostics.is_empty(), "{text}\n{:?}", checked.diagnostics);
    let (reported, diags) = chiso::plan::data::load(data, Format::Csv, &checked.env, Some(Locale::En));
    assert!(diags.is_empty(), "{data}\n{diags:?}");
    chiso::plan::status::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &reported, as_of)
}

fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn unfinished_tasks_are_open_until_their_last_day_then_overdue(due in any_due(), as_of in any_day()) {
        let plan = format!("task T \"Nhiệm vụ\" {{\n  owner S\n  due {}\n}}\n", due.text());
        let s = status(&plan, "unit,indicator,input,value\nNT,T,status,in_progress\n", as_of);
        let t = &s.tasks[0];
        let last = due.last_day(as_of);
        prop_assert_eq!(t.due_date, Some(last), "{} as of {}", due.text(), as_of);
        if as_of <= last {
            prop_assert_eq!(t.state, TaskState::Open);
            prop_assert_eq!(t.days_remaining, Some(as_of.days_until(last)));
        } else {
            prop_assert_eq!(t.state, TaskState::Overdue);
            prop_assert_eq!(t.days_late, Some(last.days_until(as_of)));
        }
    }

    #[test]
    fn finished_tasks_are_on_time_iff_done_by_their_last_day(
        due in any_due(),
        as_of in any_day(),
        done_on in any_day(),
    ) {
        let plan = format!("task T \"Nhiệm vụ\" {{\n  owner S\n  due {}\n}}\n", due.text());
        let data = format!("unit,indicator,input,value\nNT,T,status,done\nNT,T,done_on,{done_on}\n");
        let s = status(&plan, &data, as_of);
        let t = &s.tasks[0];
        let last = due.last_day(as_of);
        let recurring = matches!(due, Due::Yearly { .. } | Due::Quarterly { .. } | Due::Monthly { .. });
        // The window of this occurrence: a completion before it was for an earlier one.
        let window_start = match due {
            Due::Yearly { .. } => date(as_of.year(), 1, 1),
            Due::Quarterly { .. } => date(as_of.year(), 3 * as_of.quarter() - 2, 1),
            Due::Monthly { .. } => date(as_of.year(), as_of.month(), 1),
            _ => date(FIRST_YEAR, 1, 1),
        };
        if done_on > as_of || (recurring && done_on < window_start) {
            // Not known on the date, or not this occurrence: counted as not done.
            prop_assert!(matches!(t.state, TaskState::Open | TaskState::Overdue), "{:?}", t.state);
            prop_assert!(t.remark.is_some());
        } else if done_on <= last {
            prop_assert_eq!(t.state, TaskState::DoneOnTime);
        } else {
            prop_assert_eq!(t.state, TaskState::DoneLate);
            prop_assert_eq!(t.days_late, Some(last.days_until(done_on)));
        }
    }

    #[test]
    fn overdue_never_turns_back_to_open(due in once_due(), a in any_day(), b in any_day()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        let plan = format!("task T \"Nhiệm vụ\" {{\n  owner S\n  due {}\n}}\n", due.text());
        let data = "unit,indicator,input,value\n";
        let first = status(&plan, data, early).tasks[0].state;
        let second = status(&plan, data, late).tasks[0].state;
        prop_assert!(!(first == TaskState::Overdue && second == TaskState::Open));
    }

    #[test]
    fn goals_are_met_exactly(
        goal in 0u32..=10_000,
        lo in 0u32..=10_000,
        width in 0u32..=2_000,
        // Which values to report: drawn uniformly, a value would equal a bound once in 10,001
        // cases, so `>=` read as `>` would pass; here each bound is hit one case in four.
        pick_g in 0u32..8,
        pick_r in 0u32..8,
        free_g in 0u32..=10_000,
        free_r in 0u32..=10_000,
    ) {
        // Hundredths of a percent: exact decimals around the bounds, `80.00%` against `>= 80%`.
        let pct = |n: u32| format!("{}.{:02}%", n / 100, n % 100);
        let hi = lo + width;
        let near = |pick: u32, at: u32, free: u32| match pick {
            0 | 1 => at,
            2 => at.saturating_sub(1),
            3 => at + 1,
            _ => free,
        };
        // `G >= goal` and `L <= goal` get the same value; `R in lo..hi` its own, at either end.
        let vg = near(pick_g, goal, free_g).min(10_000);
        let vr = match pick_r {
            0 | 1 => lo,
            2 | 3 => hi,
            4 => lo.saturating_sub(1),
            5 => hi + 1,
            _ => free_r,
        }
        .min(10_000);
        let plan = format!(
            "target G \"Ngưỡng\" {{\n  measure percent\n  goal >= {}\n  owner S\n}}\n\
             target L \"Trần\" {{\n  measure percent\n  goal <= {}\n  owner S\n}}\n\
             target R \"Khoảng\" {{\n  measure percent\n  goal in {}..{}\n  owner S\n}}\n",
            pct(goal), pct(goal), pct(lo), pct(hi)
        );
        let data = format!(
            "unit,indicator,input,value\nNT,G,actual,{}\nNT,L,actual,{}\nNT,R,actual,{}\n",
            pct(vg), pct(vg), pct(vr)
        );
        let s = status(&plan, &data, date(2024, 5, 27));
        let (g, l, r) = (&s.targets[0], &s.targets[1], &s.targets[2]);
        let hundredths = |n: u32| Num::from_i64(i64::from(n)).div_exact(&Num::from_i64(10_000)).unwrap();
        prop_assert_eq!(g.state == TargetState::Met, vg >= goal, "{} against >= {}", pct(vg), pct(goal));
        prop_assert_eq!(g.lines[0].gap.clone(), Some(hundredths(goal.saturating_sub(vg))));
        prop_assert_eq!(l.state == TargetState::Met, vg <= goal, "{} against <= {}", pct(vg), pct(goal));
        prop_assert_eq!(l.lines[0].gap.clone(), Some(hundredths(vg.saturating_sub(goal))));
        prop_assert_eq!(
            r.state == TargetState::Met,
            lo <= vr && vr <= hi,
            "{} against {}..{}", pct(vr), pct(lo), pct(hi)
        );
    }

    #[test]
    fn next_reports_are_ahead_and_inside_the_period(due in recurring_due(), as_of in any_day()) {
        let plan = format!("schedule \"Báo cáo\" {{\n  owner S\n  due {}\n}}\n", due.text());
        let s = status(&plan, "unit,indicator,input,value\n", as_of);
        for n in &s.next_deadlines {
            if let Some(d) = n.date {
                prop_assert!(d >= as_of && d <= date(LAST_YEAR, 12, 31), "{} as of {as_of}: {d}", due.text());
                prop_assert_eq!(n.days_remaining, Some(as_of.days_until(d)));
            }
        }
        // Before the period's last year, a later occurrence always falls inside the period.
        if as_of.year() < LAST_YEAR {
            prop_assert!(s.next_deadlines.iter().all(|n| n.date.is_some()), "{} as of {as_of}", due.text());
        }
    }
}
