//! Typed diagnostic text: what a diagnostic says, as data with its placeholders (names, numbers,
//! units, witnesses), rendered by one function per language (`message/en.rs`, `message/vi.rs`).
//!
//! A diagnostic carries a [`Message`] (its main text), [`Note`]s (the texts of its labels) and an
//! optional [`Hint`]. Each renderer is an exhaustive `match`, so a new kind of text cannot be added
//! without both wordings. English is what the snapshots show; Vietnamese is written the way a
//! Sở's staff write (chỉ số, điểm tối đa, cơ quan chủ trì), with numbers the Vietnamese way
//! (`6,03`, `20.659`). Code quoted between backticks stays as it is written in a rulebook.

mod en;
mod vi;

pub(crate) use vi::num as vietnamese_number;

use std::fmt;

use crate::num::Num;

/// The language a diagnostic is read in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Vietnamese.
    Vi,
}

impl Lang {
    /// Every language, for tests that render every text in each.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Vi];

    /// `en` or `vi`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }
}

/// A unit (type) as messages name it: `percent`, `money (tỷ đồng)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A whole number of things.
    Count,
    /// A plain number.
    Number,
    /// A ratio.
    Percent,
    /// Money, in tỷ đồng.
    Money,
    /// Points.
    Points,
    /// Yes or no.
    YesNo,
    /// One of these options.
    Choice(Vec<String>),
    /// Text.
    Text,
    /// A date.
    Date,
    /// Unknown because of an earlier error.
    Unknown,
}

/// A value shown in a message (a witness's input, a data value): numbers are rendered the
/// reader's way.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Val {
    /// A number.
    Num(Num),
    /// A ratio, shown as a percent: `0.8` is `80%`.
    Percent(Num),
    /// Yes or no.
    Bool(bool),
    /// Text, shown quoted.
    Text(String),
    /// A choice's option.
    Choice(String),
}

/// Inputs that show a property failing, as a message shows them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Witness {
    /// The inputs and their values.
    pub inputs: Vec<(String, Val)>,
    /// The score they give.
    pub score: Num,
    /// For monotonicity: a larger value of the input and the score it gives.
    pub larger: Option<(Val, Num)>,
}

macro_rules! text_kind {
    ($(#[$doc:meta])* $name:ident, $render:ident) => {
        impl $name {
            /// The text in `lang`.
            pub fn render(&self, lang: Lang) -> String {
                match lang {
                    Lang::En => en::$render(self),
                    Lang::Vi => vi::$render(self),
                }
            }
        }

        /// The English text, as snapshots and logs show it.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.render(Lang::En))
            }
        }
    };
}

text_kind!(Message, message);
text_kind!(Note, note);
text_kind!(Hint, hint);

/// A calendar day named in a message: `2024-10-31` in English, `31/10/2024` in Vietnamese.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ymd {
    /// Year.
    pub year: u32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
}

impl BadDate {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::bad_date(self),
            Lang::Vi => vi::bad_date(self),
        }
    }
}

/// The English text, as tests and logs show it.
impl fmt::Display for BadDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&en::bad_date(self))
    }
}

/// What a rulebook or plan declares, as a duplicate declaration names it.
// Ord: each kind of declaration is its own namespace, keyed by it when finding duplicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Thing {
    Unit,
    Agency,
    Section,
    Pillar,
    Function,
    Test,
    Indicator,
    TargetOrTask,
}

/// An arithmetic or comparison that mixes units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Op {
    Add,
    Subtract,
    Multiply,
    Divide,
    Compare,
}

/// Why a day, month or quarter does not exist (E0601, and dates in plan data).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum BadDate {
    YearOutOfRange {
        year: u32,
    },
    NoMonth {
        month: u32,
    },
    /// `February 2023 has 28 days`; `leap`: the day was 29 February of a common year.
    MonthOfYearDays {
        month: u32,
        year: u32,
        days: u32,
        leap: bool,
    },
    NoQuarter {
        quarter: u32,
    },
    NotADate,
    /// Text that is not written as a date.
    DateFormat,
    /// A written day that does not exist.
    DayMissing {
        day: Ymd,
        why: Box<BadDate>,
    },
    /// 29 February in a yearly deadline.
    LeapDayYearly,
    MonthDays {
        month: u32,
        days: u32,
    },
    /// Day 31 in a quarterly deadline.
    Day31Quarterly,
    NoDay {
        day: u32,
    },
    NotEveryMonth {
        day: u32,
    },
}

/// Why a `default` lies outside its input's domain (E0309).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum OutsideDomain {
    NotWhole,
    NotPositive,
    AtLeast(Val),
    AtMost(Val),
}

/// A reported cell as a message quotes it (already cut to an excerpt when long).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Cell {
    /// Text or a number as written.
    Text(String),
    /// An Excel number shown as a percent: the stored ratio.
    Ratio(String),
    Bool(bool),
}

/// Why a reported value is refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum BadValue {
    TooManyDigits {
        max: usize,
    },
    /// Not a number in the stated `en` locale.
    ExpectedNumberEn,
    /// Not a number in the stated `vi` locale.
    ExpectedNumberVi,
    /// Reads `vi` in Vietnamese and `en` in English, and the locale is not stated.
    Ambiguous {
        vi: Box<Num>,
        en: Box<Num>,
    },
    ExpectedNumberEither,
    ExpectedNumber,
    /// A percent, money or points below 0.
    BelowZero {
        what: Unit,
    },
    CountWhole,
    /// A bare number for a percent; `ratio`: the percent it is as a ratio (when below 1).
    PercentSign {
        text: String,
        ratio: Option<Num>,
    },
    ExpectedPercent,
    ExpectedYesNo,
    ExpectedOneOf {
        options: Vec<String>,
    },
}

/// The English text, as tests and logs show it.
impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&en::bad_value(self))
    }
}

/// A declared bound a reported value breaks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Bound {
    Positive,
    AtLeast(Num),
    AtMost(Num),
}

/// What a failed test expectation got.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum TestGot {
    /// A value or a status, as written in a test (`6.03`, `not_evaluable`).
    Value(String),
    /// Why the indicator was not evaluable (the evaluator's reason, in English).
    Reason(String),
    Nothing,
}

/// What the parser expected where it stopped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Wanted {
    /// Tokens or keywords as written: `` `,` or `}` ``.
    Tokens(&'static [&'static str]),
    /// One keyword: `` `then` ``.
    Word(String),
    /// The id of a planning item (`target`, `task`, …).
    ItemId {
        keyword: &'static str,
    },
    ItemTitle {
        keyword: &'static str,
    },
    /// One of a planning item's properties, or `}`.
    ItemProperty {
        keyword: &'static str,
        props: &'static [&'static str],
    },
    Agency,
    SourceText,
    NoteText,
    IndicatorOrTargetId,
    Value,
    ValueName,
    Locale,
    UnitsFile,
    PlanUnit,
    UnitCode,
    UnitCodeAsData,
    TestTitle,
    SectionTitle,
    SectionId,
    RulebookTitle,
    RulebookFile,
    PillarTitle,
    PillarId,
    InputName,
    IndicatorTitle,
    IndicatorIdDecl,
    PrintedIdPlan,
    PrintedId,
    GroupHeading,
    FunctionName,
    FieldTitle,
    FieldId,
    AgencyShortName,
    AgencyFullName,
    NoSecondComparison,
    OptionName,
    OptionOrElse,
    InputOrField,
    IndicatorOrSection,
    ExpectTarget,
    IndicatorId,
    Arm,
    Literal,
    Type,
    Str,
    PillarIdRef,
    ParamName,
    LevelName,
    DayOfYear,
    DayOfMonth,
    Date,
    Bound,
    Item,
    IndicatorProperty,
    Deadline,
}

/// What the parser found instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Found {
    Eof,
    InvalidChar(String),
    Keyword(String),
    Name(String),
    Str,
    Number(String),
    Token(String),
}

/// The main text of a diagnostic: what was expected and what was found. The placeholders are
/// named as the wordings in `en.rs` and `vi.rs` use them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Message {
    // Names and declarations (sema/build.rs, check/mod.rs).
    DeclaredTwice {
        thing: Thing,
        name: String,
    },
    NameDeclaredTwice {
        name: String,
    },
    ParamDeclaredTwice {
        name: String,
    },
    FieldDeclaredTwice {
        field: String,
        section: String,
    },
    SecondPlan,
    /// A `column` name that another input already declared (the names compare as the data
    /// reader compares headers: ignoring case and the spaces around them).
    ColumnTwice {
        column: String,
        /// `INDICATOR.INPUT` of the input that declared it first.
        first: String,
    },
    /// A `column` name the data reader gives its own meaning.
    ColumnReserved {
        column: String,
        /// Whether it is one of the reader's header names (else it has no letter or digit).
        reader_header: bool,
    },
    AgencyInRulebook {
        name: String,
        title: String,
    },
    SourceIdCollides {
        id: String,
        printed: String,
        title: String,
    },
    UnknownLocale {
        name: String,
    },
    UnknownAgency {
        name: String,
    },
    CannotFind {
        name: String,
    },
    CannotFindFunction {
        name: String,
    },
    NoSuchInput {
        target: String,
        name: String,
        inputs: Vec<String>,
    },
    NoPillar {
        id: String,
    },
    NoIndicator {
        id: String,
    },
    NoOwner {
        id: String,
    },
    NoMax {
        id: String,
    },
    NoScore {
        id: String,
    },
    MaxNotNumber,
    PillarMaxNotNumber,
    IndexNotNumber {
        found: Unit,
    },
    IndexScale {
        scale: Num,
        total: Num,
    },
    PillarTotal {
        pillar: String,
        declared: Num,
        sum: Num,
    },
    SubTotal {
        id: String,
        declared: Num,
        sum: Num,
    },
    InputUnusedInScore {
        name: String,
    },
    CallsItself {
        name: String,
    },
    FunctionTooDeep {
        name: String,
        bodies: usize,
        steps: usize,
    },
    LetTooDeep {
        name: String,
        steps: usize,
    },
    ScoreTooDeep {
        steps: usize,
    },
    DefaultOutside {
        value: Val,
        name: String,
        why: OutsideDomain,
    },
    NestedCohort {
        outer: String,
        inner: String,
    },
    // Units (sema/infer.rs).
    MaxOutsideIndicator,
    TotalOutsideIndex,
    CannotNegate {
        found: Unit,
    },
    WhenNeedsNumber {
        found: Unit,
    },
    EmptyRange {
        low: String,
        high: String,
    },
    CannotCompare {
        left: Unit,
        right: Unit,
    },
    MatchNeedsChoice {
        found: Unit,
    },
    NotAnOption {
        name: String,
        options: Vec<String>,
    },
    MatchMissing {
        missing: Vec<String>,
    },
    WrongArgCount {
        name: String,
        want: usize,
        at_least: bool,
        given: usize,
    },
    CohortOutsideIndicator {
        name: String,
    },
    NeedsNumber {
        name: String,
        found: Unit,
    },
    MixedUnitsIn {
        name: String,
        left: Unit,
        right: Unit,
    },
    PartNeedsLabel,
    CannotCombine {
        op: Op,
        left: Unit,
        right: Unit,
    },
    BarePercentBound {
        text: String,
        shown: Num,
    },
    PercentTimesHundred {
        expr: String,
    },
    BranchUnits {
        left: Unit,
        right: Unit,
    },
    ExpectedCondition {
        found: Unit,
    },
    InputValueUnit {
        name: String,
        declared: Unit,
        found: Unit,
    },
    ScoreNotPoints {
        found: Unit,
    },
    AssumeNeedsComparison,
    // Planning (check/plan.rs).
    PlanItemNoOwner {
        keyword: String,
        id: String,
    },
    NoDeadline,
    NoSuchDate {
        why: BadDate,
    },
    EmptyPeriod {
        period: String,
        end: Ymd,
        start: Ymd,
    },
    OutsidePeriod {
        what: String,
        end: Ymd,
        start: Ymd,
        period_end: Ymd,
    },
    NoPlanTarget {
        or_target: bool,
        id: String,
    },
    GivenTwice {
        word: String,
    },
    LevelGivenTwice {
        name: String,
    },
    TargetMeasuresNumber {
        found: Unit,
    },
    TargetUnit {
        measure: Unit,
        what: String,
        found: Unit,
    },
    InputUnusedInValue {
        name: String,
    },
    InputUnused {
        name: String,
    },
    TargetConstant {
        what: String,
    },
    // Policy checks (policy/).
    ScoreAbove {
        score: Num,
        max: Num,
        witness: Witness,
    },
    ScoreNegative {
        score: Num,
        witness: Witness,
    },
    /// `more`: the input is more-is-better and the score decreases.
    WrongDirection {
        more: bool,
        name: String,
        witness: Witness,
    },
    SearchCutShort,
    TooComplex {
        steps: usize,
    },
    ArmNeverApplies {
        shown: String,
    },
    NoArmMatches {
        shown: String,
        value: Num,
    },
    ArmsOverlap {
        shown: String,
        value: Num,
        first: Num,
        second: Num,
    },
    ScoreJumps {
        jump: Num,
        shown: String,
        at: Num,
        below: Num,
        above: Num,
    },
    DenominatorZero {
        expr: String,
    },
    // Data files (data.rs, data/, plan/data.rs). `at`: the sheet and cell (`Sheet1!B3`).
    NotValidUtf16,
    NotValidUtf8 {
        byte: usize,
    },
    HeaderColumns,
    CsvHeaderColumns,
    ColumnNotInput {
        name: String,
    },
    HeaderNoInputs,
    /// `more`: the other rows whose width is not the header's either (reported here, once).
    RowFields {
        found: usize,
        header: usize,
        more: usize,
    },
    /// `plan`: the row names a target or task, not an indicator.
    RowNeedsUnitAnd {
        plan: bool,
    },
    RowNeedsUnit,
    CellsNotReported {
        count: usize,
    },
    QuoteNeverClosed,
    BadValue {
        at: Option<String>,
        unit: String,
        id: String,
        input: String,
        value: Cell,
        ty: Unit,
        why: BadValue,
    },
    OutsideBounds {
        at: Option<String>,
        unit: String,
        id: String,
        input: String,
        value: Num,
        why: Bound,
    },
    ReportedTwice {
        at: Option<String>,
        unit: String,
        id: String,
        input: String,
    },
    /// A wide row of a unit that already has one: `count` of its values were reported before.
    RowReportedTwice {
        at: Option<String>,
        unit: String,
        count: usize,
    },
    ReportedTwiceAt {
        unit: String,
        id: String,
        input: String,
        line: u32,
        column: u32,
    },
    NoInputIgnored {
        at: Option<String>,
        id: String,
        input: String,
        inputs: Vec<String>,
    },
    NoFieldIgnored {
        at: Option<String>,
        section: String,
        field: String,
    },
    NoIndicatorIgnored {
        at: Option<String>,
        id: String,
    },
    MalformedJson {
        error: String,
    },
    JsonShape,
    UnitNotObject {
        unit: String,
        plan: bool,
    },
    IdNotObject {
        unit: String,
        id: String,
        plan: bool,
    },
    JsonValueKind {
        unit: String,
        id: String,
        input: String,
    },
    /// `unit`: the unit whose object repeats the key; `None`: the `units` object.
    KeyTwice {
        key: String,
        unit: Option<String>,
    },
    PlanReportedBy {
        plan_unit: String,
        unit: String,
    },
    NoPlanItemIgnored {
        id: String,
    },
    TargetReports {
        id: String,
        inputs: Vec<String>,
        input: String,
    },
    NotTaskStatus {
        unit: String,
        id: String,
        value: Cell,
    },
    NotADateValue {
        unit: String,
        id: String,
        value: Cell,
        why: BadDate,
    },
    TaskNoInput {
        id: String,
        input: String,
    },
    XlsxUnreadable {
        error: String,
    },
    SheetUnreadable {
        sheet: String,
        error: String,
    },
    /// A data file past the 4 GiB that byte offsets of diagnostics can point into.
    DataTooLarge {
        bytes: u64,
        max: u64,
    },
    SheetTooLarge {
        sheet: String,
        last: String,
        max: u64,
    },
    /// No sheet has a `unit` header cell within its first `rows` rows.
    NoHeaderSheet {
        rows: usize,
    },
    // Roster, assumptions, tests, status (roster.rs, eval/assume.rs, testing.rs, plan/status.rs).
    UnitNotInRoster {
        unit: String,
        count: usize,
    },
    /// A row whose unit is a label of a sum (`Tổng cộng`), not a unit.
    TotalsRow {
        unit: String,
    },
    /// Units past the ones E0820 names one by one.
    MoreNotInRoster {
        more: usize,
        count: usize,
    },
    /// Declared units with no data: code and name (the first few), and how many more.
    SilentUnits {
        units: Vec<(String, Option<String>)>,
        more: usize,
    },
    SparseUnit {
        unit: String,
        reported: usize,
        total: usize,
    },
    MoreSparse {
        more: usize,
        total: usize,
    },
    /// `values`: the inputs as reported, `a = 1, b = 2`.
    ContradictsAssume {
        unit: String,
        id: String,
        assumption: String,
        values: String,
    },
    /// Past the first contradictions shown one by one: how many more units contradict an
    /// `assume` of indicator `id`, and the first of them.
    MoreContradictAssume {
        id: String,
        more: usize,
        first: String,
    },
    NoGivenForUnit {
        unit: String,
    },
    /// `want`: `not_evaluable` or `not_scored`.
    TestExpectedStatus {
        want: String,
        got: TestGot,
    },
    TestExpectedValue {
        want: String,
        got: TestGot,
    },
    TestExpectedNumber,
    /// The as-of date is `days` days before the plan's period starts or after it ends (`edge`).
    AsOfFar {
        as_of: Ymd,
        days: i64,
        before: bool,
        edge: Ymd,
    },
    // Syntax (syntax/parser.rs).
    InvalidCharExpected {
        ch: String,
        wanted: Wanted,
    },
    UnterminatedString,
    ExpectedFound {
        wanted: Wanted,
        found: Found,
    },
    TooDeepNesting {
        max: u32,
    },
    TooDeepChain {
        max: u32,
    },
    InvalidOperator {
        written: String,
    },
    NumberTooLong {
        max: usize,
    },
    NotANumber {
        text: String,
    },
    IdNotNumber {
        text: String,
    },
}

/// The text of a label: "first declared here".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Note {
    FirstDeclaredHere,
    /// In the plan's rulebook, another file.
    RulebookDeclaresItHere,
    /// The declaration of the name a did-you-mean suggests (in the plan's rulebook, often).
    DeclaredHere {
        name: String,
    },
    /// The same value ignored again (W0803 is given once per input), and how many more times.
    AlsoIgnored {
        more: usize,
    },
    FirstGivenHere,
    TheFilesPlan,
    OtherIndicatorWithId,
    AnotherCohortComparison,
    /// The unit of the labelled expression.
    Unit(Unit),
    Score,
    EarlierArm,
    ArmJustBelow,
    CanBeZero,
}

/// A suggestion for the fix.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Hint {
    /// `did you mean `x`?`: the code action "change to" reads `best` from here.
    DidYouMean {
        best: String,
    },
    /// An indicator id in the data that Excel turned into a number (`6.10` typed in a General
    /// cell is the number 6.1; in a Vietnamese Excel it shows as `6,1`).
    IdReadAsNumber {
        typed: String,
        meant: String,
    },
    OwnId,
    WriteLocale,
    OnePlanPerFile,
    RemoveAgency,
    ReportToAuthors,
    DeclareAgency {
        name: String,
    },
    DeclareWithInputOrLet,
    PillarMaximaAddUp,
    IndicatorMaxima {
        maxima: Vec<(String, Num)>,
    },
    NoRecursion,
    FewerCalls,
    FewerStepsOrSplit,
    AddOwner,
    AddMax,
    AddScore,
    MultiplyByMax,
    UseInScore,
    DefaultInsideBounds,
    OwnDataComparison,
    PassMaxAsArgument,
    WhenIsForNumbers,
    MatchIsForChoices,
    WriteRange {
        low: String,
        high: String,
    },
    AddArmPerOption,
    PreludeFunction {
        name: String,
        params: String,
    },
    DeclaredAs {
        name: String,
        params: String,
        count: usize,
    },
    CallCohortDirectly,
    PartLabel,
    DivideByTotal,
    ScalePoints,
    BarePercentBound {
        text: String,
        shown: Num,
    },
    PercentIsFraction,
    CompareIt,
    // Planning.
    AddPlanOwner,
    AddDue,
    RealDate,
    EarlierDateFirst {
        first: String,
        second: String,
    },
    CorrectDate,
    NoIndicatorsInFile,
    OnePerItem {
        keyword: String,
        word: String,
    },
    UseNumericMeasure,
    MeasureUnit,
    UseInValue,
    ComputeValue,
    LowerBoundFirst {
        low: String,
        high: String,
    },
    // Policy checks.
    CapIt,
    WrapInMaxZero,
    DirectionFix {
        more: bool,
    },
    SplitLongTable,
    WriteMoreDirectly,
    AlwaysBetween {
        shown: String,
        low: Option<Num>,
        high: Option<Num>,
    },
    CheckArmBound,
    EarlierArmsMatch,
    AddElseArm,
    ExclusiveBands,
    ScaleByThreshold,
    GuardDivision {
        expr: String,
    },
    // Data files.
    ExportUtf16,
    SaveCsvUtf8,
    SaveUtf8,
    /// The header a data file needs; `plan`: plan data.
    Header {
        plan: bool,
    },
    /// A JSON data file's shape; `plan`: plan data.
    JsonExample {
        plan: bool,
    },
    LeaveEmpty,
    CloseQuote,
    MergeObjects,
    WriteUnit {
        unit: String,
    },
    TaskStatuses,
    SaveXlsx,
    // Roster, assumptions, status.
    DidYouMeanUnit {
        best: String,
        title: Option<String>,
    },
    DeclareUnit {
        code: String,
    },
    AddRowsOrRemove,
    TypoOf {
        unit: String,
        best: String,
        code: String,
    },
    DeclareUnits,
    /// E0824: delete the summary row.
    DeleteTotalsRow,
    AssumeMarked,
    AsOfBefore,
    AsOfAfter,
    // Syntax.
    CloseString,
    SplitWithLet,
    WriteInstead {
        op: String,
        written: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts of units and rows are grouped as each language writes them (a roster of 100,000
    /// communes), and small counts stay as they are.
    #[test]
    fn counts_are_grouped_as_each_language_writes_them() {
        let m = Message::UnitNotInRoster { unit: "X1".into(), count: 100_000 };
        assert_eq!(m.render(Lang::En), "unit `X1` is not one of the 100,000 units the rulebook declares");
        assert_eq!(m.render(Lang::Vi), "đơn vị `X1` không thuộc 100.000 đơn vị được khai báo trong bộ chỉ số");
        let m = Message::MoreNotInRoster { more: 999, count: 1_000 };
        assert!(m.render(Lang::En).starts_with("999 more unit(s) are not among the 1,000 units"));
        assert!(m.render(Lang::Vi).starts_with("còn 999 đơn vị khác không thuộc 1.000 đơn vị"));
    }
}
