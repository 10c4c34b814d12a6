//! Time: civil dates (`date`) and the deadlines, periods and schedules written in plans
//! (`deadline`). Pure: there is no clock; the date a plan is evaluated at is always passed in.

pub mod date;
pub mod deadline;

pub use date::Date;
