//! ducha (督查): a keyboard-driven console for civil-affairs supervisory inspections.
//!
//! Layers: `checklist` (format, loading, validation), `store` (SQLite), domain modules (`registry`, …) and
//! the command line in `cli`. Only the terminal UI may use ratatui.

pub mod app;
pub mod bureau;
pub mod checklist;
pub mod cli;
pub mod config;
pub mod consolidate;
pub mod demo;
pub mod diagnostics;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod inspection;
pub mod linebreak;
pub mod names;
pub mod places;
pub mod plan;
pub mod rectification;
pub mod registry;
pub mod report;
pub mod roles;
pub mod search;
pub mod shown;
pub mod sniff;
pub mod store;
pub mod textable;
pub mod tui;
pub mod verify;
