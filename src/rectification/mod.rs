//! Rectifications (整改): their lifecycle, roles, overdue arithmetic and the follow-up operations. No terminal
//! UI here.

pub mod lifecycle;
pub mod ops;

pub use lifecycle::{Status, Transition, days_overdue};
pub use ops::FollowError;
