//! Writing an inspection's printable record (现场检查记录, or 值班记录 for a duty shift) from the console.

use std::path::Path;

use super::Executor;
use crate::export::{ExportError, Masking, record};
use crate::tui::action::Action;

impl Executor {
    /// Writes the record of `inspection_id` to `path`; a refusal (a draft, an unregistered user) is shown as
    /// the library words it.
    pub(super) fn export_record(&mut self, inspection_id: &str, path: &str, masking: Masking) -> Action {
        let file = Path::new(path);
        match record::export(&mut self.store, &self.user, inspection_id, self.lang, masking, file) {
            Ok(done) => Action::RecordExported {
                number: done.number,
                path: file.display().to_string(),
                named: done.bureau_named,
            },
            Err(ExportError::Invalid(refused)) => Action::Failed(refused),
            Err(e) => self.fail(e),
        }
    }
}
