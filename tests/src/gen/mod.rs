//! Generators shared by the property tests and the fuzz harness: admissible inputs for any
//! indicator (from its declared domains and its `assume` facts), random well-typed rulebooks
//! rendered as Chiso text, mutations of source files, and helpers that evaluate one indicator.
//!
//! Randomness comes from a *tape* of `u32`s that proptest generates and shrinks, as Hypothesis
//! does: every choice reads the next number, an exhausted tape reads 0, and choice 0 is always the
//! simplest option. Shrinking the tape therefore shrinks the generated program or data, and the
//! generators stay ordinary functions that need no knowledge of proptest.

// clippy suggests dropping the `*` in `*t.pick(&["a", "b"])`, but then `pick` infers `T = str` and
// no longer compiles.
#![allow(clippy::explicit_auto_deref)]

use chiso::map::{VecMap, VecSet};
use std::fmt::Write as _;

use chiso::data::{Dataset, UnitData};
use chiso::eval::{self, IndicatorResult, Value};
use chiso::num::Num;
use chiso::policy::input_domain;
use chiso::sema::{const_value, Env};
use chiso::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, InputModifier, Item, TypeKind, UnOp};

mod compare;
mod evaluate;
mod model;
mod mutate;
mod numbers;
mod rulebook;
mod tape;
mod vocabulary;

pub use compare::*;
pub use evaluate::*;
pub use model::*;
pub use mutate::*;
pub use numbers::*;
pub use rulebook::*;
pub use tape::*;
pub use vocabulary::*;
