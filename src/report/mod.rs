//! Reports for supervisors: the weekly rectification report (整改周报) and the duty-log coverage of the
//! rescue station (值班记录覆盖情况). Each report is computed from the store into plain data
//! ([`weekly::WeeklyReport`], [`duty::DutyReport`]) and rendered by pure functions, so the console can show
//! the same data. No terminal UI here.

pub mod duty;
mod duty_render;
mod render;
pub mod week;
pub mod weekly;
mod weekly_render;

pub use duty::{DutyReport, duty_report};
pub use duty_render::render_text as render_duty_text;
pub use week::{IsoWeek, WeekError};
pub use weekly::{WeeklyReport, weekly_report};
pub use weekly_render::{render_csv, render_markdown, render_text};

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// A stored value the report cannot read (an unknown key, a malformed date).
    #[error("unexpected stored value: {0}")]
    Data(String),
}

/// How a report is written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Headings and aligned tables 文本
    #[default]
    Text,
    /// Markdown tables
    Md,
    /// One CSV file (UTF-8 with BOM, CRLF) for Excel or WPS
    Csv,
}
