//! Rectifications (整改): their lifecycle, roles, overdue arithmetic, the follow-up operations and the
//! branches of a conflict. No terminal UI here.

pub mod conflict;
pub mod lifecycle;
pub mod ops;

pub use lifecycle::{Status, Transition, days_overdue};
pub use ops::FollowError;
