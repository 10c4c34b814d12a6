// The JSON shapes of Chiso's requests and responses (spec/output.md), generated from the Rust
// types by wasm/tests/types.rs. Do not edit: change the types and accept the snapshot.

/**
 * `chiso check --format json`.
 */
export type CheckReport = { 
/**
 * Every diagnostic, in file and position order.
 */
diagnostics: Array<WireDiagnostic>, 
/**
 * Number of errors.
 */
errors: number, 
/**
 * Number of warnings.
 */
warnings: number, };

/**
 * What a column counts.
 */
export type Columns = "characters" | "utf16";

/**
 * `chiso eval --format json`.
 */
export type EvalReport = { 
/**
 * The rulebook's title.
 */
rulebook: string | null, 
/**
 * One scorecard per unit, in data order.
 */
units: Array<WireUnit>, 
/**
 * Warnings about the rulebook and the data.
 */
diagnostics: Array<WireDiagnostic>, };

/**
 * `chiso owners --format json`: what each agency is responsible for.
 */
export type OwnersReport = { 
/**
 * One entry per agency.
 */
agencies: Array<WireAgencyDuties>, 
/**
 * Indicators, fields, targets and tasks without an owner agency.
 */
unowned: Array<WireUnowned>, };

/**
 * What a client asks the engine: the operations of the CLI, on texts.
 */
export type Request = { "op": "check", 
/**
 * Rulebooks and plans.
 */
files: Array<SourceText>, 
/**
 * What the diagnostics' columns count: `characters` (the default, as the CLI prints)
 * or `utf16` (as a browser editor counts them).
 */
columns?: Columns, } | { "op": "evaluate", 
/**
 * The rulebook.
 */
rulebook: SourceText, 
/**
 * The data (`.csv`, `.json`, or `.xlsx` given in `base64`).
 */
data: SourceText, 
/**
 * Overrides the rulebook's `locale`.
 */
locale?: WireLocale, 
/**
 * Only this unit's scorecard (the cohort is still scored whole).
 */
unit?: string, } | { "op": "explain", 
/**
 * The rulebook.
 */
rulebook: SourceText, 
/**
 * The data.
 */
data: SourceText, 
/**
 * Overrides the rulebook's `locale`.
 */
locale?: WireLocale, 
/**
 * The unit.
 */
unit: string, 
/**
 * The indicator.
 */
indicator: string, } | { "op": "test", 
/**
 * Rulebooks.
 */
files: Array<SourceText>, } | { "op": "status", 
/**
 * The plan.
 */
plan: SourceText, 
/**
 * Its rulebook, when it names one (`rulebook "…"`) or uses one (`--rulebook`).
 */
rulebook?: SourceText, 
/**
 * Reported values and task statuses.
 */
data?: SourceText, 
/**
 * `YYYY-MM-DD`.
 */
as_of: string, 
/**
 * Overrides the plan's `locale`.
 */
locale?: WireLocale, } | { "op": "owners", 
/**
 * Rulebooks and plans (a plan's rulebook among them).
 */
files: Array<SourceText>, } | { "op": "format", 
/**
 * The file.
 */
file: SourceText, };

/**
 * The engine's answer. The body of each kind is the CLI's JSON document for that command.
 */
export type Response = { "kind": "check" } & CheckReport | { "kind": "eval" } & EvalReport | { "kind": "explain" } & WireExplanation | { "kind": "test" } & TestReport | { "kind": "status" } & StatusReport | { "kind": "owners" } & OwnersReport | { "kind": "format", 
/**
 * The canonical text.
 */
text: string, } | { "kind": "refused", 
/**
 * Why.
 */
message: string, 
/**
 * Where (errors of the rulebook, plan or data).
 */
diagnostics: Array<WireDiagnostic>, };

/**
 * A file's name and text (or bytes).
 */
export type SourceText = { 
/**
 * Its name (a path with `/`): it locates diagnostics, resolves `rulebook "…"` references and,
 * for data, gives the format (`.csv`, `.json` or `.xlsx`).
 */
name: string, 
/**
 * Its text.
 */
text: string, 
/**
 * The file's bytes in base64 (RFC 4648), for data that is not UTF-8 text: an Excel workbook
 * (`.xlsx`, read as `chiso eval --data book.xlsx` reads it), or a CSV in UTF-16. When given,
 * `text` is not read.
 */
base64?: string, };

/**
 * `chiso status --format json`: a plan evaluated as of a date.
 */
export type StatusReport = { 
/**
 * The plan's title.
 */
plan: string | null, 
/**
 * The plan's period.
 */
period: WirePeriod | null, 
/**
 * The date of the evaluation, `YYYY-MM-DD`.
 */
as_of: string, 
/**
 * Targets, in source order.
 */
targets: Array<WireTarget>, 
/**
 * Tasks, in source order.
 */
tasks: Array<WireTask>, 
/**
 * The next deadline of each schedule line, soonest first.
 */
next_deadlines: Array<WireNextDeadline>, 
/**
 * Totals per owner agency.
 */
agencies: Array<WireTotals>, 
/**
 * Totals per group.
 */
groups: Array<WireTotals>, 
/**
 * Totals of the plan.
 */
totals: WireCounts, 
/**
 * Warnings about the plan and the data.
 */
diagnostics: Array<WireDiagnostic>, };

/**
 * The outcomes of `test` blocks.
 */
export type TestReport = { 
/**
 * One entry per test block, in file order.
 */
tests: Array<WireTest>, 
/**
 * Blocks that passed.
 */
passed: number, 
/**
 * Blocks that failed.
 */
failed: number, 
/**
 * Errors of files whose tests could not run.
 */
diagnostics: Array<WireDiagnostic>, };

/**
 * Everything one agency is responsible for.
 */
export type WireAgencyDuties = { 
/**
 * Short name.
 */
agency: string, 
/**
 * Full name.
 */
title: string | null, 
/**
 * Indicators it owns.
 */
indicators: Array<WireDuty>, 
/**
 * Indicators it cooperates on.
 */
cooperating_indicators: Array<WireDuty>, 
/**
 * Data fields it reports.
 */
fields: Array<WireDuty>, 
/**
 * Targets it owns.
 */
targets: Array<WireDuty>, 
/**
 * Targets it cooperates on.
 */
cooperating_targets: Array<WireDuty>, 
/**
 * Tasks it leads.
 */
tasks: Array<WireDuty>, 
/**
 * Tasks it cooperates on.
 */
cooperating_tasks: Array<WireDuty>, 
/**
 * Reports it sends.
 */
reports: Array<WireDuty>, 
/**
 * Reports it receives.
 */
receives: Array<WireDuty>, };

/**
 * Counts of targets and tasks by status.
 */
export type WireCounts = { 
/**
 * Targets by status, every status present.
 */
targets: { [key in string]: number }, 
/**
 * Number of targets.
 */
target_total: number, 
/**
 * Tasks by status, every status present.
 */
tasks: { [key in string]: number }, 
/**
 * Number of tasks.
 */
task_total: number, };

/**
 * One diagnostic.
 */
export type WireDiagnostic = { 
/**
 * `E0301`.
 */
code: string, 
/**
 * `error` or `warning`.
 */
severity: string, 
/**
 * The message.
 */
message: string, 
/**
 * The code's short title in English.
 */
title: string, 
/**
 * The code's short title in Vietnamese.
 */
title_vi: string, 
/**
 * The file.
 */
file: string, 
/**
 * 1-based line of the start.
 */
line: number, 
/**
 * 1-based column (in characters) of the start.
 */
column: number, 
/**
 * 1-based line of the end.
 */
end_line: number, 
/**
 * 1-based column of the end.
 */
end_column: number, 
/**
 * Secondary spans.
 */
labels: Array<WireLabel>, 
/**
 * The hint.
 */
help: string | null, };

/**
 * One responsibility.
 */
export type WireDuty = { 
/**
 * Id.
 */
id: string | null, 
/**
 * Title.
 */
title: string, 
/**
 * What is due.
 */
detail: string | null, };

/**
 * One score explained: the rule, the steps that decided it and the outcome.
 */
export type WireExplanation = { 
/**
 * The unit.
 */
unit: string, 
/**
 * The indicator's id.
 */
indicator: string, 
/**
 * Its title.
 */
title: string, 
/**
 * Its max points.
 */
max: string, 
/**
 * The indicator's source text.
 */
rule: string, 
/**
 * `scored`, `not_evaluable` or `not_scored`.
 */
status: string, 
/**
 * The score.
 */
score: string | null, 
/**
 * Why it is not evaluable.
 */
reason: string | null, 
/**
 * The `assume` the unit's data contradicts, as written (W0823): the score rests on it.
 */
contradicted_assumption: string | null, 
/**
 * The steps, in the order they were taken.
 */
steps: Array<WireStep>, };

/**
 * An indicator's result.
 */
export type WireIndicator = { 
/**
 * Id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Pillar id.
 */
pillar: string | null, 
/**
 * Parent id, for a sub-indicator.
 */
parent: string | null, 
/**
 * Max points.
 */
max: string, 
/**
 * `scored`, `not_evaluable` or `not_scored`.
 */
status: string, 
/**
 * Score.
 */
score: string | null, 
/**
 * Score before clamping to [0, max], when different.
 */
raw_score: string | null, 
/**
 * Why not evaluable.
 */
reason: string | null, 
/**
 * The `assume` the unit's data contradicts, when it does.
 */
contradicted_assumption: string | null, };

/**
 * A secondary span.
 */
export type WireLabel = { 
/**
 * The file the label points into, when it is not the diagnostic's own (a plan's diagnostic
 * pointing into its rulebook); its line and column count in that file.
 */
file?: string, 
/**
 * 1-based line.
 */
line: number, 
/**
 * 1-based column.
 */
column: number, 
/**
 * Text.
 */
text: string, };

/**
 * How numbers are written in data: `vi` (`6,03`, `20.659`) or `en`.
 */
export type WireLocale = "vi" | "en";

/**
 * The next deadline of one schedule line.
 */
export type WireNextDeadline = { 
/**
 * The schedule's title.
 */
schedule: string, 
/**
 * Who reports.
 */
owners: Array<string>, 
/**
 * Who receives.
 */
recipients: Array<string>, 
/**
 * The rule as written.
 */
rule: string, 
/**
 * The rule the source's way.
 */
rule_vi: string, 
/**
 * The next last on-time day, if any in the period.
 */
date: string | null, 
/**
 * Days until it.
 */
days_remaining: number | null, };

/**
 * A range of days, both ends included.
 */
export type WirePeriod = { 
/**
 * First day.
 */
start: string, 
/**
 * Last day.
 */
end: string, };

/**
 * A pillar's subtotal.
 */
export type WirePillar = { 
/**
 * Id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Subtotal.
 */
score: string, 
/**
 * Declared max.
 */
max: string, 
/**
 * Whether every indicator was evaluable.
 */
complete: boolean, };

/**
 * One step of an explanation. Values are shown as the explanation text shows them.
 */
export type WireStep = { "step": "input", 
/**
 * Its name.
 */
name: string, 
/**
 * Its value.
 */
value: string, 
/**
 * `percent` when the value is a ratio the rule reads as a percentage (`0.8` is 80%).
 */
unit: string | null, 
/**
 * Its description.
 */
description: string | null, 
/**
 * Whether the declared default stood in for a value not reported.
 */
defaulted: boolean, } | { "step": "let", 
/**
 * Its name.
 */
name: string, 
/**
 * Its value.
 */
value: string, 
/**
 * `percent` when the value is a ratio the rule reads as a percentage.
 */
unit: string | null, } | { "step": "branch", 
/**
 * What decided it, in English (`ratio = 0.85 matches >= 80%`).
 */
text: string, 
/**
 * The expression compared (`when`) or matched (`match`), as written.
 */
subject: string | null, 
/**
 * Its value (`when`).
 */
value: string | null, 
/**
 * `percent` when that value is a percentage.
 */
unit: string | null, 
/**
 * The pattern of the arm taken, as written (`>= 80%`, `else`).
 */
pattern: string | null, 
/**
 * The option matched (`match`).
 */
option: string | null, 
/**
 * Whether the condition held (`if`).
 */
condition: boolean | null, } | { "step": "part", 
/**
 * Its label.
 */
label: string, 
/**
 * Its value.
 */
value: string, } | { "step": "cohort", 
/**
 * `minmax`, `relative_to_best` or `rank`.
 */
function: string, 
/**
 * This unit's value.
 */
value: string, 
/**
 * The lowest value of the cohort.
 */
min: string, 
/**
 * The highest value of the cohort.
 */
max: string, 
/**
 * How many units were compared.
 */
units: number, 
/**
 * The result.
 */
result: string, } | { "step": "clamped", 
/**
 * As computed.
 */
raw: string, 
/**
 * As reported.
 */
clamped: string, } | { "step": "sub_sum", 
/**
 * (id, score) of each.
 */
parts: Array<[string, string]>, };

/**
 * A target's result.
 */
export type WireTarget = { 
/**
 * Id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Group heading.
 */
group: string | null, 
/**
 * Owner agencies.
 */
owners: Array<string>, 
/**
 * Cooperating agencies.
 */
cooperating: Array<string>, 
/**
 * The rulebook indicator it is about.
 */
indicator: string | null, 
/**
 * `count`, `number`, `percent`, `money (tỷ đồng)` or `points`.
 */
measure: string, 
/**
 * The source's unit label.
 */
unit_label: string | null, 
/**
 * Baseline value.
 */
baseline: string | null, 
/**
 * The period of the baseline, as written.
 */
baseline_period: string | null, 
/**
 * The period of the goal.
 */
period: WirePeriod | null, 
/**
 * Whether the period is still running on the date.
 */
period_open: boolean, 
/**
 * `met`, `not_met`, `no_data` or `no_goal`.
 */
status: string, 
/**
 * One line for a plain goal, one per level or unit otherwise.
 */
lines: Array<WireTargetLine>, 
/**
 * The reported note.
 */
note: string | null, };

/**
 * One line of a target's result.
 */
export type WireTargetLine = { 
/**
 * Level or unit.
 */
part: string | null, 
/**
 * The goal as written.
 */
goal: string | null, 
/**
 * The value.
 */
actual: string | null, 
/**
 * `met`, `not_met`, `no_data` or `no_goal`.
 */
status: string, 
/**
 * How far from the goal (0 when met).
 */
gap: string | null, 
/**
 * value / goal, to 6 decimal places.
 */
ratio: string | null, 
/**
 * value / goal as a percentage to 2 decimal places, rounded once from the exact ratio (the
 * "(6)/(5)" column of the reports: `49.92` for 10 314 / 20 659).
 */
ratio_percent: string | null, 
/**
 * Why there is no value.
 */
reason: string | null, };

/**
 * A task's result.
 */
export type WireTask = { 
/**
 * Id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Group heading.
 */
group: string | null, 
/**
 * The number printed in the source.
 */
source_id: string | null, 
/**
 * Owner agencies.
 */
owners: Array<string>, 
/**
 * Cooperating agencies.
 */
cooperating: Array<string>, 
/**
 * The deadline as written.
 */
due: string | null, 
/**
 * The deadline the source's way.
 */
due_vi: string | null, 
/**
 * The last on-time day that applies on the date.
 */
due_date: string | null, 
/**
 * `done`, `in_progress` or `not_started`, as reported.
 */
progress: string | null, 
/**
 * The reported completion day.
 */
done_on: string | null, 
/**
 * `done_on_time`, `done_late`, `done_undated`, `open`, `overdue`, `ongoing` or `no_deadline`.
 */
status: string, 
/**
 * Days left (0: due today).
 */
days_remaining: number | null, 
/**
 * Days late.
 */
days_late: number | null, 
/**
 * Indicators and targets it advances.
 */
advances: Array<string>, 
/**
 * The reported note.
 */
note: string | null, 
/**
 * Why the status is what it is, when not obvious.
 */
remark: string | null, };

/**
 * One `test` block's outcome.
 */
export type WireTest = { 
/**
 * The file.
 */
file: string, 
/**
 * The block's title.
 */
title: string, 
/**
 * How many `expect`s were checked.
 */
expectations: number, 
/**
 * Whether all held.
 */
passed: boolean, 
/**
 * The expectations that failed (E0804).
 */
failures: Array<WireDiagnostic>, };

/**
 * Totals of one agency or group.
 */
export type WireTotals = { 
/**
 * The agency's short name or the group's heading.
 */
key: string, 
/**
 * The agency's full name.
 */
title: string | null, 
/**
 * The counts.
 */
counts: WireCounts, };

/**
 * One unit's scorecard.
 */
export type WireUnit = { 
/**
 * Unit id.
 */
id: string, 
/**
 * Total points.
 */
total: string, 
/**
 * The index, when declared.
 */
index: string | null, 
/**
 * Whether every scored indicator was evaluable.
 */
complete: boolean, 
/**
 * 1 = highest total.
 */
rank: number, 
/**
 * Pillars.
 */
pillars: Array<WirePillar>, 
/**
 * Indicators.
 */
indicators: Array<WireIndicator>, };

/**
 * Something no agency is responsible for.
 */
export type WireUnowned = { 
/**
 * `indicator`, `field`, `target` or `task`.
 */
kind: string, 
/**
 * Id.
 */
id: string | null, 
/**
 * Title.
 */
title: string, 
/**
 * What is due.
 */
detail: string | null, };
