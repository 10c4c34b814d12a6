//! Planning: targets, tasks and reporting schedules evaluated as of a date.
//!
//! `data` reads the reported actuals and task statuses; `status` evaluates a plan as of a
//! date; `owners` lists what each agency is responsible for. Dates and deadlines are in
//! `crate::time`. Everything is pure: the date a plan is evaluated at is passed in, never read
//! from a clock. Rules: `spec/planning.md`.

pub mod data;
pub mod owners;
pub mod status;

pub use crate::time::Date;
