//! The executor's side of two consoles on one draft: noticing commits made by another process, and
//! reloading the inspection when a save or a submit was refused because of one (see
//! `screens::inspect::reload`).

use super::Executor;
use crate::inspection::record;
use crate::store::inspections;
use crate::tui::action::Action;
use crate::tui::screens::inspect::reload::Refused;

impl Executor {
    /// Reloads the inspection if another process has committed since `seen` (a `data_version`); else
    /// nothing.
    pub(super) fn watch(&self, inspection_id: &str, seen: i64) -> Action {
        match inspections::data_version(self.store.conn()) {
            Ok(now) if now == seen => Action::Done,
            Ok(_) => self.reload(inspection_id, None),
            Err(e) => self.fail(e),
        }
    }

    /// The inspection as stored now, with what was refused.
    pub(super) fn reload(&self, inspection_id: &str, refused: Option<Refused>) -> Action {
        match record::open(&self.store, inspection_id) {
            Ok(opened) => Action::Reloaded { opened: Box::new(opened), refused },
            Err(e) => self.record_fail(&e),
        }
    }
}
