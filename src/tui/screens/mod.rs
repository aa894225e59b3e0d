//! One module per screen: state, reducer and drawing.

pub mod board;
pub mod duty_log;
pub mod finding;
pub mod home;
pub mod inspect;
pub mod inspections;
pub mod new_inspection;
pub mod record;
pub mod settings;
mod settings_view;
pub mod submit;
pub mod weekly;
