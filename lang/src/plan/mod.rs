//! Planning: targets, tasks and reporting schedules evaluated as of a date.
//!
//! `date` is civil-date arithmetic; `deadline` turns written dates and deadlines into calendar
//! rules; `data` reads the reported actuals and task statuses; `status` evaluates a plan as of a
//! date; `owners` lists what each agency is responsible for. Everything is pure: the date a plan
//! is evaluated at is passed in, never read from a clock. Rules: `spec/planning.md`.

pub mod data;
pub mod date;
pub mod deadline;
pub mod owners;
pub mod status;

pub use date::Date;
