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

/// The English text, as tests and logs show it.
impl fmt::Display for BadDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&en::bad_date(self))
    }
}

/// What a rulebook or plan declares, as a duplicate declaration names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// The main text of a diagnostic: what was expected and what was found. The placeholders are
/// named as the wordings in `en.rs` and `vi.rs` use them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Message {
    // Names and declarations (check/env.rs, check/mod.rs).
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
    // Units (check/types.rs).
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
    // Policy checks (check/policy/).
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
    /// Text not yet typed (being converted).
    Legacy(String),
}

/// The text of a label: "first declared here".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Note {
    FirstDeclaredHere,
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
    /// Text not yet typed (being converted).
    Legacy(String),
}

/// A suggestion for the fix.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each wording is in en.rs and vi.rs
pub enum Hint {
    /// `did you mean `x`?`: the code action "change to" reads `best` from here.
    DidYouMean {
        best: String,
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
    /// Text not yet typed (being converted).
    Legacy(String),
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::Legacy(s)
    }
}
impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message::Legacy(s.to_string())
    }
}
impl From<String> for Note {
    fn from(s: String) -> Note {
        Note::Legacy(s)
    }
}
impl From<&str> for Note {
    fn from(s: &str) -> Note {
        Note::Legacy(s.to_string())
    }
}
impl From<String> for Hint {
    fn from(s: String) -> Hint {
        Hint::Legacy(s)
    }
}
impl From<&str> for Hint {
    fn from(s: &str) -> Hint {
        Hint::Legacy(s.to_string())
    }
}
