//! A draft of the failure form: its fields exactly as typed (a deadline may still be half-typed), kept
//! while the inspector types so that a crash loses nothing (see `store::form_drafts`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingDraft {
    pub problem: String,
    /// The severity key (`minor`, `major`, `critical`).
    pub severity: String,
    pub requirement: String,
    pub deadline: String,
    pub responsible: String,
}

impl FindingDraft {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `None` for text that is not a draft (a damaged row is ignored rather than shown half).
    pub fn from_json(text: &str) -> Option<FindingDraft> {
        serde_json::from_str(text).ok()
    }
}
