//! The failure form's effects: its draft, the evidence picker's folder, removing an evidence file.

use std::path::Path;

use super::Executor;
use crate::inspection::Slot;
use crate::inspection::draft::FindingDraft;
use crate::store::{evidence, form_drafts, prefs};
use crate::tui::action::Action;

impl Executor {
    pub(super) fn save_draft(
        &mut self,
        inspection_id: &str,
        item_id: &str,
        instance: u32,
        d: &FindingDraft,
    ) -> Action {
        let user = self.user.clone();
        let fields = d.to_json();
        match self.store.write(|tx| form_drafts::save(tx, &user, inspection_id, item_id, instance, &fields)) {
            Ok(()) => Action::Done,
            Err(e) => self.fail(e),
        }
    }

    pub(super) fn discard_draft(&mut self, inspection_id: &str, item_id: &str, instance: u32) -> Action {
        match self.store.write(|tx| form_drafts::discard(tx, inspection_id, item_id, instance)) {
            Ok(()) => Action::Done,
            Err(e) => self.fail(e),
        }
    }

    /// Lists `typed` (`~/` and relative paths work), or the user's remembered folder, else Pictures. A
    /// typed folder that lists becomes the remembered one.
    pub(super) fn list_folder(&mut self, typed: Option<&str>) -> Action {
        let home = directories::UserDirs::new().map(|u| u.home_dir().to_path_buf());
        let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
        let remembered = match typed {
            Some(_) => None,
            None => prefs::get(self.store.conn(), &self.user, prefs::EVIDENCE_FOLDER).ok().flatten(),
        };
        let folder = match (typed, remembered) {
            (Some(t), _) if !t.trim().is_empty() => super::resolve_path(t, home.as_deref(), &cwd),
            (_, Some(r)) if Path::new(&r).is_dir() => r.into(),
            _ => super::folder::default_folder(),
        };
        match super::folder::list(&folder) {
            Ok(files) => {
                let shown = folder.display().to_string();
                if typed.is_some() {
                    let user = self.user.clone();
                    // Remembering is a convenience: a failure to store it loses nothing.
                    let _ = self.store.write(|tx| prefs::set(tx, &user, prefs::EVIDENCE_FOLDER, &shown));
                }
                Action::EvidenceFolder { folder: shown, files }
            }
            Err(e) => Action::Failed(match self.lang {
                crate::i18n::Lang::Zh => format!("无法读取文件夹 {}：{e}", folder.display()),
                crate::i18n::Lang::En => format!("cannot read the folder {}: {e}", folder.display()),
            }),
        }
    }

    pub(super) fn remove_evidence(&mut self, inspection_id: &str, slot: Slot, evidence_id: &str) -> Action {
        let user = self.user.clone();
        match self.store.write(|tx| evidence::detach(tx, &user, inspection_id, evidence_id)) {
            Ok(file) => Action::EvidenceRemoved { slot, file },
            Err(e) => self.fail(e),
        }
    }
}
