//! Checklists: the TOML format (docs/checklist-format.md), its loader and validator, and diagnostics.
//! Free of any terminal UI code.

mod condition;
mod guard;
mod item;
mod model;
mod parse;
mod problem;
mod reader;
mod source;
mod validate;

pub use guard::MAX_BYTES;
pub use model::*;
pub use parse::{parse_checklist, valid_id};
pub use problem::{Diagnostic, Problem};
pub use reader::did_you_mean;
pub use source::{
    Failed, LoadReport, Loaded, MAX_SHOWN, SHIPPED, hex, load_paths, load_shipped, reject_conflicts,
    sha256_hex,
};
