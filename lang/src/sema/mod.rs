//! The semantic floor under both the checker and the interpreter: the symbol table (`env`),
//! types and units (`types`), constant folding (`consts`), the call graph (`calls`), value
//! domains (`range`), runtime values (`value`) and what a target's header means (`target`).
//!
//! Nothing here imports `check`, `eval`, `data` or `policy`; they all stand on it.

pub(crate) mod build;
pub(crate) mod calls;
pub(crate) mod consts;
pub(crate) mod env;
pub mod infer;
pub(crate) mod lowered;
pub(crate) mod range;
pub mod symbols;
pub mod table;
pub(crate) mod target;
pub(crate) mod ty;
pub(crate) mod value;

pub use consts::{const_value, fold};
pub use env::{
    for_each_indicator, AgencyInfo, Env, IndicatorInfo, InputBounds, PillarInfo, PlanInfo, SectionInfo, TargetInfo,
    TaskInfo, UnitInfo,
};
pub use lowered::Lowered;
pub use range::input_domain;
pub use ty::Ty;
pub use value::{EvalError, Value};
