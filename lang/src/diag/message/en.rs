//! The English wording of every diagnostic text. What the snapshots show: a change here is a
//! change users see.

use super::{
    BadDate, BadValue, Bound, Cell, Found, Hint, Message, Note, Op, OutsideDomain, TestGot, Thing, Unit, Val, Wanted,
    Witness, Ymd,
};
use crate::num::Num;

/// The main text.
pub(super) fn message(m: &Message) -> String {
    use Message as M;
    match m {
        M::DeclaredTwice { thing, name } => format!("{} `{name}` is declared twice", self::thing(*thing)),
        M::NameDeclaredTwice { name } => format!("`{name}` is declared twice"),
        M::ParamDeclaredTwice { name } => format!("parameter `{name}` is declared twice"),
        M::FieldDeclaredTwice { field, section } => {
            format!("field `{field}` is declared twice in section `{section}`")
        }
        M::SecondPlan => "a file declares one `plan`; this is a second one".into(),
        M::ColumnTwice { column, first } => {
            format!("column \"{column}\" is already the column of `{first}`: a data file could not tell them apart")
        }
        M::ColumnReserved { column, reader_header: true } => format!(
            "\"{column}\" cannot name an input's column: the data reader reads `unit`, `indicator`, `input` and `value` as its own"
        ),
        M::ColumnReserved { column, reader_header: false } => {
            format!("\"{column}\" cannot name an input's column: a column name needs a letter or a digit")
        }
        M::AgencyInRulebook { name, title } => {
            format!("agency `{name}` is already declared by the plan's rulebook (\"{title}\")")
        }
        M::SourceIdCollides { id, printed, title } => format!(
            "indicator {id} is printed as `{printed}` in the source, which is also the id of indicator {printed} \"{title}\""
        ),
        M::UnknownLocale { name } => format!("unknown locale `{name}`"),
        M::UnknownAgency { name } => format!("unknown agency `{name}`"),
        M::CannotFind { name } => format!("cannot find `{name}` in this scope"),
        M::CannotFindFunction { name } => format!("cannot find function `{name}`"),
        M::NoSuchInput { target, name, inputs } => {
            format!("{target} has no input `{name}` (inputs: {})", inputs.join(", "))
        }
        M::NoPillar { id } => format!("there is no pillar `{id}`"),
        M::NoIndicator { id } => format!("there is no indicator `{id}`"),
        M::NoOwner { id } => format!("indicator {id} has no owner agency"),
        M::NoMax { id } => format!("indicator {id} has no `max`"),
        M::NoScore { id } => format!("indicator {id} has no `score`"),
        M::MaxNotNumber => "`max` must be a number of points".into(),
        M::PillarMaxNotNumber => "a pillar's max must be a number".into(),
        M::IndexNotNumber { found } => format!("the index must be a number, found {}", unit(found)),
        M::IndexScale { scale, total } => {
            format!("the index divides by {scale}, but the pillars' max points add up to {total}")
        }
        M::PillarTotal { pillar, declared, sum } => {
            format!("pillar {pillar} declares max {declared}, but its indicators add up to {sum}")
        }
        M::SubTotal { id, declared, sum } => {
            format!("indicator {id} declares max {declared}, but its sub-indicators add up to {sum}")
        }
        M::InputUnusedInScore { name } => format!("input `{name}` is never used in the score"),
        M::CallsItself { name } => format!("function `{name}` calls itself"),
        M::FunctionTooDeep { name, bodies, steps } => format!(
            "function `{name}` nests too deeply once the functions it calls are written out (more than {bodies} function bodies inside each other, or {steps} nested steps)"
        ),
        M::LetTooDeep { name, steps } => {
            format!("`{name}` is built from more than {steps} nested steps of `let`s, functions and operators")
        }
        M::ScoreTooDeep { steps } => {
            format!("the score is built from more than {steps} nested steps of `let`s, functions and operators")
        }
        M::DefaultOutside { value, name, why } => {
            let why = match why {
                OutsideDomain::NotWhole => "a count is a whole number".to_string(),
                OutsideDomain::NotPositive => "the input is declared `positive`".to_string(),
                OutsideDomain::AtLeast(v) => format!("the input's values are at least {}", val(v)),
                OutsideDomain::AtMost(v) => format!("the input's values are at most {}", val(v)),
            };
            format!("the default {} of `{name}` is outside the input's domain: {why}", val(value))
        }
        M::NestedCohort { outer, inner } => {
            format!("the argument of `{outer}` depends on `{inner}`, which compares units too")
        }
        M::MaxOutsideIndicator => "`max` (the indicator's max points) used outside an indicator".into(),
        M::TotalOutsideIndex => "`total` can only be used in the rulebook's `index`".into(),
        M::CannotNegate { found } => format!("cannot negate {}", unit(found)),
        M::WhenNeedsNumber { found } => format!("`when` compares numbers, but this is {}", unit(found)),
        M::EmptyRange { low, high } => {
            format!("the range {low}..{high} is empty: its lower bound is above its upper bound")
        }
        M::CannotCompare { left, right } => format!("cannot compare {} with {}", unit(left), unit(right)),
        M::MatchNeedsChoice { found } => format!("`match` needs a choice, but this is {}", unit(found)),
        M::NotAnOption { name, options } => format!("`{name}` is not one of the options {{ {} }}", options.join(", ")),
        M::MatchMissing { missing } => format!("`match` does not cover {}", quoted_list(missing)),
        M::WrongArgCount { name, want, at_least, given } => {
            let want = if *at_least { format!("at least {want}") } else { want.to_string() };
            format!("`{name}` takes {want} argument(s), but {given} were given")
        }
        M::CohortOutsideIndicator { name } => {
            format!("`{name}` compares units of a cohort and can only be used in an indicator")
        }
        M::NeedsNumber { name, found } => format!("`{name}` needs a number, but this is {}", unit(found)),
        M::MixedUnitsIn { name, left, right } => format!("`{name}` of {} and {}", unit(left), unit(right)),
        M::PartNeedsLabel => "`part` needs a label string first".into(),
        M::CannotCombine { op, left, right } => {
            let verb = match op {
                Op::Add => "add",
                Op::Subtract => "subtract",
                Op::Multiply => "multiply",
                Op::Divide => "divide",
                Op::Compare => "compare",
            };
            format!("cannot {verb} {} and {}", unit(left), unit(right))
        }
        M::BarePercentBound { text, shown } => {
            format!("a percent compared with the bare number {text}, which means {shown}%")
        }
        M::PercentTimesHundred { expr } => {
            format!("`{expr}` is a percent written as a number of percent points, not points of the indicator")
        }
        M::BranchUnits { left, right } => {
            format!("branches have different units: {} and {}", unit(left), unit(right))
        }
        M::ExpectedCondition { found } => format!("expected a yes/no condition, found {}", unit(found)),
        M::InputValueUnit { name, declared, found } => {
            format!("input `{name}` is {}, but this value is {}", unit(declared), unit(found))
        }
        M::ScoreNotPoints { found } => format!("the score must be in points, but this is {}", unit(found)),
        M::AssumeNeedsComparison => "`assume` needs a comparison, e.g. `assume a <= b`".into(),
        M::PlanItemNoOwner { keyword, id } => format!("{keyword} {id} has no owner agency"),
        M::NoDeadline => "this report has no deadline, so `chiso status` never lists it".into(),
        M::NoSuchDate { why } => format!("this date does not exist: {}", bad_date(why)),
        M::EmptyPeriod { period, end, start } => {
            format!("the period {period} is empty: it ends on {} but starts on {}", ymd(end), ymd(start))
        }
        M::OutsidePeriod { what, end, start, period_end } => format!(
            "this {what} ends on {}, outside the plan's period {}..{}",
            ymd(end),
            ymd(start),
            ymd(period_end)
        ),
        M::NoPlanTarget { or_target, id } => {
            format!("there is no {} `{id}`", if *or_target { "indicator or target" } else { "indicator" })
        }
        M::GivenTwice { word } => format!("`{word}` is given twice"),
        M::LevelGivenTwice { name } => format!("level `{name}` is given twice"),
        M::TargetMeasuresNumber { found } => format!("a target measures a number, but this is {}", unit(found)),
        M::TargetUnit { measure, what, found } => {
            format!("the target measures {}, but this {what} is {}", unit(measure), unit(found))
        }
        M::InputUnusedInValue { name } => format!("input `{name}` is never used in the value"),
        M::InputUnused { name } => format!("input `{name}` is never used"),
        M::TargetConstant { what } => format!("a target's {what} must be a number, such as `84%` or `20659`"),
        M::ScoreAbove { score, max, witness } => format!(
            "the score can reach {score} points, above the max of {max}, e.g. with {}",
            witness_inputs(witness)
        ),
        M::ScoreNegative { score, witness } => {
            format!("the score can be negative ({score}), e.g. with {}", witness_inputs(witness))
        }
        M::WrongDirection { more, name, witness } => {
            let way = if *more { "decreases when" } else { "increases when" };
            format!("the score {way} `{name}` grows: {}", witness_pair(witness, name))
        }
        M::SearchCutShort => "this rule is too large to search for inputs that push the score above max, below 0 or the wrong way; those checks were cut short".into(),
        M::TooComplex { steps } => format!("the policy checks (bounds, arms, monotonicity, divisions) took more than {steps} steps on this rule and were skipped"),
        M::ArmNeverApplies { shown } => format!("this arm never applies: no admissible value of `{shown}` reaches it"),
        M::NoArmMatches { shown, value } => {
            format!("no arm matches `{shown}` = {value}; such a value makes the indicator not evaluable")
        }
        M::ArmsOverlap { shown, value, first, second } => format!("this arm and an earlier one both match `{shown}` = {value}, with different results ({first} and {second}); the earlier one wins"),
        M::ScoreJumps { jump, shown, at, below, above } => {
            format!("the score jumps by {jump} at `{shown}` = {at}: {below} just below, {above} at the threshold")
        }
        M::DenominatorZero { expr } => {
            format!("the denominator `{expr}` can be 0, and the rule does not say what the score is then")
        }
        M::NotValidUtf16 => "the file is not valid UTF-16".into(),
        M::NotValidUtf8 { byte } => format!("the file is not valid UTF-8 (byte {byte})"),
        M::HeaderColumns => "the header must name the columns `unit`, `indicator`, `input` and `value`".into(),
        M::CsvHeaderColumns => "the CSV header must name the columns `unit`, `indicator`, `input` and `value`".into(),
        M::ColumnNotInput { name } => format!(
            "the column `{name}` is not an indicator's input (write `6.12.a`: indicator, then input); it is ignored"
        ),
        M::HeaderNoInputs => "the header has a `unit` column but no `indicator`, `input` and `value` columns, nor input columns such as `6.12.a`".into(),
        M::RowFields { found, header, more: 0 } => format!("this row has {found} fields, but the header has {header}"),
        M::RowFields { found, header, more } => format!(
            "this row has {found} fields, but the header has {header}; {} more row(s) after it do not have {header} either",
            count(*more)
        ),
        M::RowNeedsUnitAnd { plan } => {
            format!("a row needs a unit and {}", if *plan { "a target or task id" } else { "an indicator" })
        }
        M::RowNeedsUnit => "a row needs a unit".into(),
        M::CellsNotReported { count: n } => {
            let cells = if *n == 1 { "1 cell says".to_string() } else { format!("{} cells say", count(*n)) };
            format!("{cells} N/A or -: read as not reported, never as 0; indicators that need them are not evaluable")
        }
        M::QuoteNeverClosed => {
            "this quote opens a field that is never closed: the rest of the file would be read as one value".into()
        }
        M::BadValue { at, unit, id, input, value, ty, why } => format!(
            "{}unit {unit}, {id} / {input}: {} is not a valid {}: {}",
            at_prefix(at),
            cell(value),
            self::unit(ty),
            bad_value(why)
        ),
        M::OutsideBounds { at, unit, id, input, value, why } => {
            let why = match why {
                Bound::Positive => "the input is declared `positive`, so it cannot be 0".to_string(),
                Bound::AtLeast(lo) => format!("the input is declared `at_least {lo}`"),
                Bound::AtMost(hi) => format!("the input is declared `at_most {hi}`"),
            };
            format!("{}unit {unit}, {id} / {input}: {value} is outside the input's domain: {why}", at_prefix(at))
        }
        M::ReportedTwice { at, unit, id, input } => {
            format!("{}unit {unit}, {id} / {input} is reported twice", at_prefix(at))
        }
        M::RowReportedTwice { at, unit, count: n } => format!(
            "{}unit {unit} has a second row: {} of its values are reported twice",
            at_prefix(at),
            count(*n)
        ),
        M::ReportedTwiceAt { unit, id, input, line, column } => {
            format!("unit {unit}, {id} / {input} is reported twice (first at {line}:{column})")
        }
        M::NoInputIgnored { at, id, input, inputs } => format!(
            "{}indicator {id} has no input `{input}` (its inputs: {}); the value is ignored",
            at_prefix(at),
            inputs.join(", ")
        ),
        M::NoFieldIgnored { at, section, field } => {
            format!("{}section {section} has no field `{field}`; the value is ignored", at_prefix(at))
        }
        M::NoIndicatorIgnored { at, id } => {
            format!("{}the rulebook has no indicator `{id}`; the value is ignored", at_prefix(at))
        }
        M::MalformedJson { error } => format!("malformed JSON: {error}"),
        M::JsonShape => "the JSON must be an object with a `units` object".into(),
        M::UnitNotObject { unit, plan } => {
            format!("unit `{unit}` must be an object of {}", if *plan { "targets and tasks" } else { "indicators" })
        }
        M::IdNotObject { unit, id, plan } => {
            format!("`{unit}` / `{id}` must be an object of {}", if *plan { "values" } else { "inputs" })
        }
        M::JsonValueKind { unit, id, input } => {
            format!("`{unit}` / `{id}` / `{input}` must be a number, text or true/false")
        }
        M::KeyTwice { key, unit } => {
            let inside = unit.as_ref().map_or("`units`".to_string(), |u| format!("unit `{u}`"));
            format!("`{key}` appears twice in {inside}; a JSON reader would keep only one of them")
        }
        M::PlanReportedBy { plan_unit, unit } => {
            format!("the plan is reported by unit `{plan_unit}`; this row of unit `{unit}` is ignored")
        }
        M::NoPlanItemIgnored { id } => format!("the plan has no target or task `{id}`; the value is ignored"),
        M::TargetReports { id, inputs, input } => format!(
            "target {id} reports {} (and `note`), not `{input}`; the value is ignored",
            quoted_list(inputs)
        ),
        M::NotTaskStatus { unit, id, value } => {
            format!("unit {unit}, task {id} / status: {} is not a task status", cell(value))
        }
        M::NotADateValue { unit, id, value, why } => {
            format!("unit {unit}, task {id} / done_on: {} is not a date: {}", cell(value), bad_date(why))
        }
        M::TaskNoInput { id, input } => format!(
            "task {id} has no input `{input}` (a task reports `status`, `done_on` and `note`); the value is ignored"
        ),
        M::XlsxUnreadable { error } => format!("not a readable .xlsx workbook: {error}"),
        M::SheetUnreadable { sheet, error } => format!("sheet `{sheet}` cannot be read: {error}"),
        M::DataTooLarge { bytes, max } => format!(
            "the data file has {bytes} bytes, more than the {max} a data file may have (4 GiB); write it one row per unit (unit,6.12.a,…: several times smaller than unit,indicator,input,value) and keep only the columns the rulebook reads; splitting the units over several files would change cohort scores (min-max, rank)"
        ),
        M::SheetTooLarge { sheet, last, max } => format!(
            "sheet `{sheet}` spans A1:{last}, more than {max} cells; delete the stray cells far from the data, or export the data as CSV"
        ),
        M::NoHeaderSheet { rows } => format!(
            "no sheet has a header row with a `unit` column within its first {rows} rows (unit,indicator,input,value, or unit,6.12.a,…)"
        ),
        M::UnitNotInRoster { unit, count: all } => {
            format!("unit `{unit}` is not one of the {} units the rulebook declares", count(*all))
        }
        M::TotalsRow { unit } => format!(
            "`{unit}` is a totals row, not a unit: scored, it would count in the cohort's min, max and ranks"
        ),
        M::MoreNotInRoster { more, count: all } => {
            format!("{} more unit(s) are not among the {} units the rulebook declares", count(*more), count(*all))
        }
        M::SilentUnits { units, more } => format!(
            "{} declared unit(s) sent no data: {}{}; they are not scored or ranked",
            count(units.len() + more),
            units.iter().map(|(c, t)| format!("`{c}`{}", titled(t))).collect::<Vec<_>>().join(", "),
            if *more > 0 { format!(" and {more} more") } else { String::new() }
        ),
        M::SparseUnit { unit, reported, total } => format!("unit `{unit}` reports {reported} of the {total} inputs"),
        M::MoreSparse { more, total } => {
            format!("{} more unit(s) report fewer than half of the {total} inputs", count(*more))
        }
        M::ContradictsAssume { unit, id, assumption, values } => {
            format!("unit {unit}, indicator {id}: the data contradicts `assume {assumption}` ({values})")
        }
        M::MoreContradictAssume { id, more, first } => format!(
            "{} more unit(s) contradict an `assume` of indicator {id} (the first: {first}); each of their scores \
             is marked (`contradicted_assumption`)",
            count(*more)
        ),
        M::NoGivenForUnit { unit } => format!("no `given` for unit \"{unit}\""),
        M::TestExpectedStatus { want, got } | M::TestExpectedValue { want, got } => {
            format!("expected {want}, got {}", test_got(got))
        }
        M::TestExpectedNumber => "expected a number".into(),
        M::AsOfFar { as_of, days, before, edge } => {
            let why = if *before {
                format!("{days} days before the plan's period starts ({})", ymd(edge))
            } else {
                format!("{days} days after the plan's period ends ({})", ymd(edge))
            };
            format!("the status is computed as of {}, {why}", ymd(as_of))
        }
        M::InvalidCharExpected { ch, wanted } => format!("invalid character `{ch}`, expected {}", self::wanted(wanted)),
        M::UnterminatedString => "unterminated string: missing closing `\"` on this line".into(),
        M::ExpectedFound { wanted, found } => {
            format!("expected {}, found {}", self::wanted(wanted), self::found(found))
        }
        M::TooDeepNesting { max } => format!("nesting deeper than {max} levels"),
        M::TooDeepChain { max } => format!("an expression more than {max} operators deep"),
        M::InvalidOperator { written } => format!("invalid character `{written}` in an expression"),
        M::NumberTooLong { max } => format!("number has more than {max} digits"),
        M::NotANumber { text } => format!("`{text}` is not a number"),
        M::IdNotNumber { text } => format!("`{text}` is an id, not a number"),
    }
}

/// A label's text.
pub(super) fn note(n: &Note) -> String {
    match n {
        Note::FirstDeclaredHere => "first declared here".into(),
        Note::RulebookDeclaresItHere => "the rulebook declares it here".into(),
        Note::DeclaredHere { name } => format!("`{name}` is declared here"),
        Note::AlsoIgnored { more: 0 } => "ignored here too".into(),
        Note::AlsoIgnored { more } => format!("ignored here too, and in {} more place(s)", count(*more)),
        Note::FirstGivenHere => "first given here".into(),
        Note::TheFilesPlan => "the file's plan".into(),
        Note::OtherIndicatorWithId => "the other indicator with this id".into(),
        Note::AnotherCohortComparison => "another cohort comparison".into(),
        Note::Unit(u) => unit(u),
        Note::Score => "score".into(),
        Note::EarlierArm => "earlier arm".into(),
        Note::ArmJustBelow => "arm just below the threshold".into(),
        Note::CanBeZero => "can be 0".into(),
    }
}

/// A hint.
pub(super) fn hint(h: &Hint) -> String {
    use Hint as H;
    match h {
        H::DidYouMean { best } => format!("did you mean `{best}`?"),
        H::IdReadAsNumber { typed, meant } => format!(
            "did you mean indicator `{meant}`? Excel reads an id typed as `{meant}` as the number {typed}: format the indicator column as Text, then type the ids again"
        ),
        H::OwnId => "give each declaration its own id".into(),
        H::WriteLocale => "write `locale vi` (6,03 and 20.659) or `locale en` (6.03)".into(),
        H::OnePlanPerFile => "put each plan in its own file".into(),
        H::RemoveAgency => "remove this declaration: the plan uses the rulebook's agencies as they are".into(),
        H::ReportToAuthors => {
            "the source document numbers two indicators the same; report it to the document's authors".into()
        }
        H::DeclareAgency { name } => format!("declare it: `agency {name} \"<full name>\"`"),
        H::DeclareWithInputOrLet => "declare it with `input` or `let` before using it".into(),
        H::PillarMaximaAddUp => "make the pillar maxima add up to the index scale".into(),
        H::IndicatorMaxima { maxima } => {
            let parts = maxima.iter().map(|(id, m)| format!("{id}: {m}")).collect::<Vec<_>>().join(", ");
            format!("indicator maxima: {parts}")
        }
        H::NoRecursion => "Chiso has no recursion, so every rule terminates; write the steps out with `when`".into(),
        H::FewerCalls => "compute it in fewer steps: call fewer functions inside one another".into(),
        H::FewerStepsOrSplit => "compute it in fewer steps, or split the indicator into sub-indicators".into(),
        H::AddOwner => "add `owner <agency>` (Cơ quan phụ trách)".into(),
        H::AddMax => "add `max <points>` (Điểm tối đa)".into(),
        H::AddScore => "add `score = …`, or mark it `not_scored`".into(),
        H::MultiplyByMax => "multiply a ratio by `max`, e.g. `ratio * max`".into(),
        H::UseInScore => "use it in `score` or a `let`, or remove it".into(),
        H::DefaultInsideBounds => "a unit that does not report the input would be scored with a value no unit could report; choose a default inside the declared bounds".into(),
        H::OwnDataComparison => "compare units on values computed from each unit's own data".into(),
        H::PassMaxAsArgument => "pass the max points to the function as an argument".into(),
        H::WhenIsForNumbers => "use `match` for a choice and `if` for yes/no".into(),
        H::MatchIsForChoices => "use `when` for numbers and `if` for yes/no".into(),
        H::WriteRange { low, high } => format!("write `in {low}..{high}`"),
        H::AddArmPerOption => "add an arm for each option, or an `else` arm".into(),
        H::PreludeFunction { name, params } => format!("`{name}({params})` is a prelude function (stdlib/prelude.chiso)"),
        H::DeclaredAs { name, params, count } => {
            format!("`{name}` is declared as `fn {name}({params})`: call it with {count} argument(s)")
        }
        H::CallCohortDirectly => "call it directly in the indicator's `score` or `let`".into(),
        H::PartLabel => "write `part(\"Triển khai\", …)`".into(),
        H::DivideByTotal => "divide by a total to get a percent, e.g. `budget / total_budget`".into(),
        H::ScalePoints => "scale points by a ratio or a number, e.g. `ratio * max`".into(),
        H::BarePercentBound { text, shown } => format!(
            "did you mean `{text}%`? A number without `%` next to a percent is a fraction (0.8 = 80%); write `{shown}%` if {shown}% is meant"
        ),
        H::PercentIsFraction => "a percent is already a fraction of 1: multiply it by `max` (`ratio * max`) for a share of the max points".into(),
        H::CompareIt => "compare it, e.g. `ratio >= 80%`".into(),
        H::AddPlanOwner => {
            "add `owner <agency>` (cơ quan chủ trì): without one, no agency counts it in its totals".into()
        }
        H::AddDue => "add `due quarterly before day 25 of last month`, `due yearly before 12-20`, …".into(),
        H::RealDate => "write a real date: `2024`, `2024-10`, `Q4/2024` or `2024-10-15`".into(),
        H::EarlierDateFirst { first, second } => format!("write the earlier date first: `{first}..{second}`"),
        H::CorrectDate => "correct the date, or move the item to the plan for that period".into(),
        H::NoIndicatorsInFile => {
            "the file declares no indicators: put the plan next to its rulebook with `rulebook \"…\"` in the plan".into()
        }
        H::OnePerItem { keyword, word } => format!("a {keyword} has one `{word}`"),
        H::UseNumericMeasure => "use `count`, `number`, `percent`, `money` or `points`".into(),
        H::MeasureUnit => "write the value in the measure's unit, e.g. `84%` for a percent".into(),
        H::UseInValue => "use it in `value` or a `let`, or remove it".into(),
        H::ComputeValue => "compute the target's value from its inputs: `value = …`".into(),
        H::LowerBoundFirst { low, high } => format!("write the lower bound first: `in {low}..{high}`"),
        H::CapIt => {
            "cap it with `min(…, max)` or fix the rule; evaluation clamps the score to max and shows the raw value".into()
        }
        H::WrapInMaxZero => {
            "wrap it in `max(0, …)` or fix the rule; evaluation reports 0 and shows the raw value".into()
        }
        H::DirectionFix { more } => {
            let fix = if *more {
                "mark it `neutral` or `lower_is_better` if larger is not better"
            } else {
                "remove `lower_is_better` if larger is better"
            };
            format!("inputs are more-is-better unless declared otherwise; {fix}")
        }
        H::SplitLongTable => "the arms and bounds were checked; split a very long table into smaller indicators or functions to have the rest checked too".into(),
        H::WriteMoreDirectly => "each `let` or function that uses the one before several times doubles the work; write the value more directly (e.g. `x * 4` instead of doubling `x` twice)".into(),
        H::AlwaysBetween { shown, low, high } => format!(
            "`{shown}` is always between {} and {}: check the arm's bound and its unit",
            low.as_ref().map_or("-∞".to_string(), Num::to_string),
            high.as_ref().map_or("+∞".to_string(), Num::to_string)
        ),
        H::CheckArmBound => "check the arm's bound and its unit".into(),
        H::EarlierArmsMatch => "earlier arms already match all of its values; reorder or remove it".into(),
        H::AddElseArm => "add an `else` arm or extend the bands so they cover every value".into(),
        H::ExclusiveBands => "make the bands exclusive, e.g. `>= 80%` and `< 80%`".into(),
        H::ScaleByThreshold => "if the rule should be continuous, scale by the threshold: `ratio / T * max`".into(),
        H::GuardDivision { expr } => {
            format!("declare the input `positive` if it can never be 0, or guard: `if {expr} == 0 then … else …`")
        }
        H::ExportUtf16 => "export the sheet again as CSV UTF-8 or Unicode text".into(),
        H::SaveCsvUtf8 => "save the file as CSV UTF-8 (Excel: File → Save As → CSV UTF-8)".into(),
        H::SaveUtf8 => "save the file as UTF-8".into(),
        H::Header { plan: false } => {
            "first line: unit,indicator,input,value (or one row per unit: unit,6.12.a,6.12.b)".into()
        }
        H::Header { plan: true } => "first line: unit,indicator,input,value (indicator: the target or task id)".into(),
        H::JsonExample { plan: false } => r#"{"units": {"P01": {"3.1": {"a": 6029, "b": 10000}}}}"#.into(),
        H::JsonExample { plan: true } => {
            r#"{"units": {"NT": {"155": {"status": "done", "done_on": "2024-01-10"}}}}"#.into()
        }
        H::LeaveEmpty => {
            "leave the cell empty to say the same without this note, or write the value (0 if it is 0)".into()
        }
        H::CloseQuote => {
            "close the quote, or remove it; a quote inside a quoted field is written twice (\"\")".into()
        }
        H::MergeObjects => "merge the two objects into one".into(),
        H::WriteUnit { unit } => format!("write `{unit}` in the unit column"),
        H::TaskStatuses => {
            "write done, in_progress or not_started (or hoàn thành, đang thực hiện, chưa thực hiện)".into()
        }
        H::SaveXlsx => {
            "save the workbook as .xlsx (Excel 2007 or later), or export the sheet as CSV UTF-8".into()
        }
        H::DidYouMeanUnit { best, title } => format!("did you mean `{best}`{}?", titled(title)),
        H::DeclareUnit { code } => format!("correct the code, or declare the unit in the rulebook: `unit {code} \"…\"`"),
        H::AddRowsOrRemove => {
            "add their rows to the data file, or remove them from the roster if they do not report".into()
        }
        H::TypoOf { unit, best, code } => format!(
            "if `{unit}` is `{best}` with a typo, correct the code; declaring the units (`unit {code} \"…\"`) makes unknown codes an error"
        ),
        H::DeleteTotalsRow => "delete the totals row (and any other summary row) from the data file: Chiso adds up the scores itself".into(),
        H::DeclareUnits => "its indicators without data are not evaluable; declare the units (`unit CODE \"name\"`) so that a mistyped code is refused".into(),
        H::AssumeMarked => {
            "the score is computed but marked: the rule relies on this assumption; check the reported values".into()
        }
        H::AsOfBefore => "every task shows as open and no goal as due yet: check the year of `--as-of`".into(),
        H::AsOfAfter => "every unfinished task shows as long overdue: check the year of `--as-of`".into(),
        H::CloseString => "close the string with `\"` before the end of the line".into(),
        H::SplitWithLet => "split the expression with `let` bindings".into(),
        H::WriteInstead { op, written } => format!("write `{op}` instead of `{written}`"),
    }
}

/// A unit as messages name it.
pub(super) fn unit(u: &Unit) -> String {
    match u {
        Unit::Count => "count".into(),
        Unit::Number => "number".into(),
        Unit::Percent => "percent".into(),
        Unit::Money => "money (tỷ đồng)".into(),
        Unit::Points => "points".into(),
        Unit::YesNo => "yes/no".into(),
        Unit::Choice(o) => format!("choice {{ {} }}", o.join(", ")),
        Unit::Text => "text".into(),
        Unit::Date => "date".into(),
        Unit::Unknown => "unknown".into(),
    }
}

fn thing(t: Thing) -> &'static str {
    match t {
        Thing::Unit => "unit",
        Thing::Agency => "agency",
        Thing::Section => "section",
        Thing::Pillar => "pillar",
        Thing::Function => "function",
        Thing::Test => "test",
        Thing::Indicator => "indicator",
        Thing::TargetOrTask => "target or task id",
    }
}

/// A value: `0.8`, `80%`, `yes`, `"text"`, `option`.
fn val(v: &Val) -> String {
    match v {
        Val::Num(n) => n.to_string(),
        Val::Percent(n) => format!("{}%", n.mul(&Num::from_i64(100))),
        Val::Bool(true) => "yes".into(),
        Val::Bool(false) => "no".into(),
        Val::Text(t) => format!("{t:?}"),
        Val::Choice(c) => c.clone(),
    }
}

/// `a = 1, b = 2`.
fn witness_inputs(w: &Witness) -> String {
    w.inputs.iter().map(|(n, v)| format!("{n} = {}", val(v))).collect::<Vec<_>>().join(", ")
}

/// `b = 1 gives 10, b = 2 gives 5 (with a = 1)`.
fn witness_pair(w: &Witness, name: &str) -> String {
    let num = |n: &Num| n.to_string();
    let here = w.inputs.iter().find(|(n, _)| n == name).map(|(_, v)| val(v)).unwrap_or_default();
    let others: Vec<String> =
        w.inputs.iter().filter(|(n, _)| n != name).map(|(n, v)| format!("{n} = {}", val(v))).collect();
    let with = if others.is_empty() { String::new() } else { format!(" (with {})", others.join(", ")) };
    match &w.larger {
        Some((v, s)) => format!("{name} = {here} gives {}, {name} = {} gives {}{with}", num(&w.score), val(v), num(s)),
        None => format!("{name} = {here} gives {}{with}", num(&w.score)),
    }
}

/// `` `a`, `b` ``.
fn quoted_list(items: &[impl AsRef<str>]) -> String {
    items.iter().map(|s| format!("`{}`", s.as_ref())).collect::<Vec<_>>().join(", ")
}

fn ymd(d: &Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

fn month_name(month: u32) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        12 => "December",
        _ => "month",
    }
}

/// Why a date does not exist.
pub(super) fn bad_date(b: &BadDate) -> String {
    match b {
        BadDate::YearOutOfRange { year } => format!("year {year} is outside 1–9999"),
        BadDate::NoMonth { month } => format!("there is no month {month}"),
        BadDate::MonthOfYearDays { month, year, days, leap } => {
            let leap = if *leap { " (not a leap year)" } else { "" };
            format!("{} {year} has {days} days{leap}", month_name(*month))
        }
        BadDate::NoQuarter { quarter } => format!("there is no quarter {quarter} (quarters are Q1 to Q4)"),
        BadDate::DateFormat => "expected a date such as 2024-05-27 or 27/05/2024".into(),
        BadDate::DayMissing { day, why } => format!("{} does not exist: {}", ymd(day), bad_date(why)),
        BadDate::NotADate => "not a date".into(),
        BadDate::LeapDayYearly => "29 February exists only in leap years; write `before 03-01` or `by 02-28`".into(),
        BadDate::MonthDays { month, days } => format!("{} has {days} days", month_name(*month)),
        BadDate::Day31Quarterly => "day 31 does not exist in June and September, the last months of Q2 and Q3".into(),
        BadDate::NoDay { day } => format!("there is no day {day} in a month"),
        BadDate::NotEveryMonth { day } => {
            format!("day {day} does not exist in every month (February has 28 days)")
        }
    }
}

/// `Sheet1!B3: ` before a message about a workbook cell; nothing otherwise.
fn at_prefix(at: &Option<String>) -> String {
    at.as_ref().map_or(String::new(), |a| format!("{a}: "))
}

/// A reported cell, quoted.
fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(t) => format!("`{t}`"),
        Cell::Ratio(t) => format!("`{t}` (shown as a percent)"),
        Cell::Bool(b) => format!("`{b}`"),
    }
}

/// Why a reported value is refused.
pub(super) fn bad_value(b: &BadValue) -> String {
    match b {
        BadValue::TooManyDigits { max } => format!("more than {max} digits"),
        BadValue::ExpectedNumberEn => "expected a number such as 6.03 (for 6,03 use --locale vi or `locale vi`)".into(),
        BadValue::ExpectedNumberVi => "expected a number such as 6,03 or 20.659".into(),
        BadValue::Ambiguous { vi, en } => format!(
            "ambiguous: {} in Vietnamese (`,` decimal mark, `.` between thousands) but {en} in English, \
             and the data's locale is not stated; write `locale vi` (or `locale en`) in the \
             rulebook's `rulebook {{ … }}` block, or run with --locale vi (or --locale en)",
            vi.to_vi(6)
        ),
        BadValue::ExpectedNumberEither => "expected a number such as 6.03 or 6,03".into(),
        BadValue::ExpectedNumber => "expected a number".into(),
        BadValue::BelowZero { what } => {
            let what = match what {
                Unit::Percent => "a percent".to_string(),
                Unit::Money => "an amount of money".to_string(),
                other => unit(other),
            };
            format!("{what} cannot be below 0 (declare the input `at_least` a negative bound if it really can)")
        }
        BadValue::CountWhole => "a count must be a whole number ≥ 0".into(),
        BadValue::PercentSign { text, ratio } => {
            let hint = match ratio {
                Some(p) => format!("`{p}%` if `{text}` is a ratio, or `{text}%`"),
                None => format!("`{text}%`"),
            };
            format!("write the percent sign: {hint} (a bare number could be a ratio or a number of percent)")
        }
        BadValue::ExpectedPercent => "expected a percent such as 80%".into(),
        BadValue::ExpectedYesNo => "expected yes/no (true, false, yes, no, có, không)".into(),
        BadValue::ExpectedOneOf { options } => format!("expected one of: {}", options.join(", ")),
    }
}

/// ` (Tỉnh An Phú)` when the unit has a name.
fn titled(title: &Option<String>) -> String {
    title.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()
}

/// What a failed test expectation got.
fn test_got(g: &TestGot) -> String {
    match g {
        TestGot::Value(v) | TestGot::Reason(v) => v.clone(),
        TestGot::Nothing => "nothing".into(),
    }
}

/// What the parser expected.
fn wanted(w: &Wanted) -> String {
    match w {
        Wanted::Tokens(tokens) => {
            let quoted: Vec<String> = tokens.iter().map(|t| format!("`{t}`")).collect();
            match quoted.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            }
        }
        Wanted::Word(w) => format!("`{w}`"),
        Wanted::ItemId { keyword } => format!("the {keyword}'s id"),
        Wanted::ItemTitle { keyword } => format!("the {keyword}'s title"),
        Wanted::ItemProperty { keyword, props } => format!("a {keyword} property ({}) or `}}`", quoted_list(props)),
        Wanted::Agency => "an agency".into(),
        Wanted::SourceText => "the source's text".into(),
        Wanted::NoteText => "the note's text".into(),
        Wanted::IndicatorOrTargetId => "an indicator or target id".into(),
        Wanted::Value => "a value".into(),
        Wanted::ValueName => "a name for the value".into(),
        Wanted::Locale => "a locale (`vi` or `en`)".into(),
        Wanted::UnitsFile => "the units file, e.g. \"units.chiso\"".into(),
        Wanted::PlanUnit => "the unit's id as written in data files, e.g. \"NT\"".into(),
        Wanted::UnitCode => "the unit's code".into(),
        Wanted::UnitCodeAsData => "the unit's code as its data rows write it".into(),
        Wanted::TestTitle => "the test's title".into(),
        Wanted::SectionTitle => "the section's title".into(),
        Wanted::SectionId => "the section's id".into(),
        Wanted::RulebookTitle => "the rulebook's title".into(),
        Wanted::RulebookFile => "the rulebook's file, e.g. \"dti-2022.chiso\"".into(),
        Wanted::PillarTitle => "the pillar's title".into(),
        Wanted::PillarId => "the pillar's id".into(),
        Wanted::InputName => "the input's name (e.g. `a`)".into(),
        Wanted::IndicatorTitle => "the indicator's title".into(),
        Wanted::IndicatorIdDecl => "the indicator's id (e.g. `3.1`)".into(),
        Wanted::PrintedIdPlan => "the id as printed in the source, e.g. \"A.I.1\"".into(),
        Wanted::PrintedId => "the id as printed in the source, e.g. \"6.2\"".into(),
        Wanted::GroupHeading => "the group's heading".into(),
        Wanted::FunctionName => "the function's name".into(),
        Wanted::FieldTitle => "the field's title".into(),
        Wanted::FieldId => "the field's id".into(),
        Wanted::AgencyShortName => "the agency's short name".into(),
        Wanted::AgencyFullName => "the agency's full name".into(),
        Wanted::NoSecondComparison => "no second comparison (write `a <= b and b <= c`)".into(),
        Wanted::OptionName => "an option name".into(),
        Wanted::OptionOrElse => "an option name or `else`".into(),
        Wanted::InputOrField => "an input or field name".into(),
        Wanted::IndicatorOrSection => "an indicator or section id".into(),
        Wanted::ExpectTarget => "an indicator id, `pillar ID`, `total` or `index`".into(),
        Wanted::IndicatorId => "an indicator id (e.g. `3.3`)".into(),
        Wanted::Arm => "an arm (`>= value`, `< value`, `== value`, `in low..high` or `else`)".into(),
        Wanted::Literal => "a value (a number, a string, `true`, `false` or an option name)".into(),
        Wanted::Type => "a type (`count`, `number`, `percent`, `money`, `points`, `yes_no`, `text`, `date`, `choice { … }`)".into(),
        Wanted::Str => "a string".into(),
        Wanted::PillarIdRef => "a pillar id".into(),
        Wanted::ParamName => "a parameter name".into(),
        Wanted::LevelName => "a level name (e.g. `tinh`)".into(),
        Wanted::DayOfYear => "a day of the year as month-day, e.g. `12-20`".into(),
        Wanted::DayOfMonth => "a day of the month (1 to 31)".into(),
        Wanted::Date => "a date (`2024`, `2024-10`, `Q4/2024`, `2024-10-15`, or as the documents write it: `Quý IV/2024`, `Tháng 10/2024`, `Năm 2024`, `15/10/2024`)".into(),
        Wanted::Bound => "a bound (`>= value`, `<= value`, `== value`, `in low..high`, …)".into(),
        Wanted::Item => "an item (`rulebook`, `agency`, `unit`, `section`, `pillar`, `indicator`, `fn`, `test`, `plan`, `target`, `task` or `schedule`)".into(),
        Wanted::IndicatorProperty => "an indicator property (`max`, `owner`, `cooperating`, `input`, `assume`, `let`, `score`, `note`, `source_id`, `not_scored`, `indicator`) or `}`".into(),
        Wanted::Deadline => "a deadline (a date such as `2022-10`, `Q4/2022`, `2024` or `2022-10-15`, or `ongoing`, `yearly`, `quarterly`, `monthly`)".into(),
    }
}

/// What the parser found instead.
fn found(f: &Found) -> String {
    match f {
        Found::Eof => "end of file".into(),
        Found::InvalidChar(c) => format!("invalid character `{c}`"),
        Found::Keyword(k) => format!("keyword `{k}`"),
        Found::Name(n) => format!("name `{n}`"),
        Found::Str => "a string".into(),
        Found::Number(n) => format!("number `{n}`"),
        Found::Token(t) => format!("`{t}`"),
    }
}

/// A count as an English reader writes it: `100,000`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
