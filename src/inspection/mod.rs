//! Inspections as the inspector works through them: answer values and outcomes, conditions, progress,
//! score and what is missing before submit. No terminal UI and no database here.

pub mod answering;
pub mod draft;
pub mod record;
pub mod rules;
pub mod sheet;
pub mod value;

pub use answering::{Blocker, SignOff, can_fail};
pub use sheet::{Answer, Finding, Missing, Progress, Sheet, SiteFacts, Slot, SlotState};
pub use value::{Check, InputError, Outcome, Value};

#[cfg(test)]
mod tests;
