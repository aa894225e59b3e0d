//! Proof of the fix in the note box of a fix report (`r`) or a verification (`v`): below the note, an
//! evidence line that takes a typed path, or opens the inspection form's evidence picker when empty (the
//! same picker: a folder newest first, Space marks several, Enter takes them), and the list of files
//! chosen, where Del drops one. They are attached when the follow-up is saved, in its transaction. Saving
//! the verification of a major hazard with no fix evidence at all asks a second time (the rule is
//! `rectification::lifecycle::needs_confirmation`, which `ops` enforces again on the stored state).

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;

use super::{Board, FollowKind, Prompt};
use crate::rectification::Transition;
use crate::rectification::lifecycle::needs_confirmation;
use crate::rectification::ops::Proof;
use crate::tui::app::App;
use crate::tui::effect::folder::PickFile;
use crate::tui::effect::{Effect, FollowUp};
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};
use crate::tui::screens::finding::{Picker, PickerOutcome};

/// The note box's stops when it takes files.
pub(super) const NOTE: usize = 0;
pub(super) const PATH: usize = 1;
/// The list of files chosen (a stop only when there is one).
pub(super) const FILES: usize = 2;

/// The files chosen as proof, not stored yet.
#[derive(Debug, Default)]
pub struct Chosen {
    /// Paths, in the order chosen.
    pub files: Vec<String>,
    /// A path typed by hand (Enter adds it; Enter on an empty line opens the picker).
    pub path: Field,
    /// The file selected in the list (when the focus is on it).
    pub selected: usize,
    pub picker: Option<Picker>,
    /// The question "verify a major hazard without any fix evidence?" is on screen.
    pub confirming: bool,
}

/// The name of a chosen file, as the box lists it.
pub(super) fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

impl Chosen {
    /// What is given with the transition.
    pub fn given(&self, confirmed: bool) -> Proof {
        Proof { files: self.files.iter().map(PathBuf::from).collect(), confirmed_without_evidence: confirmed }
    }

    /// Adds a path once (the same path twice is one file).
    fn add(&mut self, path: String) {
        if !self.files.contains(&path) {
            self.files.push(path);
        }
    }
}

impl Prompt {
    /// Whether this follow-up takes proof of the fix.
    pub fn takes_files(&self) -> bool {
        matches!(self.kind, FollowKind::ReportFix | FollowKind::Verify)
    }

    fn stops(&self) -> usize {
        if self.proof.files.is_empty() { FILES } else { FILES + 1 }
    }

    fn focus_next(&mut self, step: i32) {
        let n = self.stops() as i32;
        self.focus = usize::try_from((self.focus as i32 + step).rem_euclid(n)).unwrap_or(0);
    }

    /// The key contexts of a note box that takes files, innermost first.
    pub fn proof_contexts(&self) -> Vec<Ctx> {
        if self.proof.confirming {
            return vec![Ctx::Confirm];
        }
        if let Some(p) = &self.proof.picker {
            return p.contexts();
        }
        match self.focus {
            PATH => vec![Ctx::EvidencePath, Ctx::Form, Ctx::Save, Ctx::Editing],
            FILES => vec![Ctx::EvidenceFiles, Ctx::Form, Ctx::Save, Ctx::Editing],
            _ => vec![Ctx::Form, Ctx::Save, Ctx::Editing],
        }
    }

    pub fn proof_key(&mut self, ev: &KeyEvent) {
        if self.proof.confirming {
            return;
        }
        if let Some(p) = &mut self.proof.picker {
            p.key(ev);
            return;
        }
        match self.focus {
            NOTE => self.note.key(ev),
            PATH => self.proof.path.key(ev),
            _ => {}
        }
    }

    pub fn proof_paste(&mut self, text: &str) {
        if let Some(p) = &mut self.proof.picker {
            p.paste(text);
            return;
        }
        match self.focus {
            NOTE => self.note.paste(text),
            PATH => self.proof.path.paste(text),
            _ => {}
        }
    }
}

impl Board {
    /// The note box's commands that concern the proof (the picker, the evidence line and list, the
    /// question before an unproven verification of a major hazard). `None` leaves the command to the
    /// note box itself (cancel, save).
    pub(super) fn proof_command(&mut self, app: &mut App, cmd: Cmd) -> Option<Vec<Effect>> {
        let (Some(p), Some(detail)) = (&mut self.prompt, &self.detail) else { return None };
        if !p.takes_files() {
            return None;
        }
        if p.proof.confirming {
            p.proof.confirming = false;
            return Some(match cmd {
                Cmd::Confirm => {
                    let note = p.note.value().trim().to_string();
                    let follow_up = FollowUp::Transition(Transition::Verify, note, p.proof.given(true));
                    vec![Effect::FollowUp { id: detail.rect.id.clone(), follow_up }]
                }
                // Anything else goes back to the note box, nothing written.
                _ => vec![],
            });
        }
        if let Some(picker) = &mut p.proof.picker {
            match picker.command(cmd) {
                PickerOutcome::Stay => {}
                PickerOutcome::Close => p.proof.picker = None,
                PickerOutcome::List(folder) => {
                    return Some(vec![Effect::ListEvidenceFolder { folder: Some(folder) }]);
                }
                PickerOutcome::Attach(paths) => {
                    p.proof.picker = None;
                    if paths.is_empty() {
                        app.error(app.lang.pick("没有选中文件", "no file chosen"));
                    }
                    for path in paths {
                        p.proof.add(path);
                    }
                }
            }
            return Some(vec![]);
        }
        match (cmd, p.focus) {
            (Cmd::NextPane, _) => p.focus_next(1),
            (Cmd::PrevPane, _) => p.focus_next(-1),
            (Cmd::Enter, PATH) => {
                let typed = p.proof.path.value().trim().to_string();
                if typed.is_empty() {
                    p.proof.picker = Some(Picker::default());
                    return Some(vec![Effect::ListEvidenceFolder { folder: None }]);
                }
                p.proof.add(typed);
                p.proof.path = Field::default();
            }
            (Cmd::Enter, FILES) => p.focus_next(1),
            (Cmd::Down, FILES) => {
                p.proof.selected = (p.proof.selected + 1).min(p.proof.files.len().saturating_sub(1));
            }
            (Cmd::Up, FILES) => p.proof.selected = p.proof.selected.saturating_sub(1),
            (Cmd::Clear, FILES) => {
                if p.proof.selected < p.proof.files.len() {
                    p.proof.files.remove(p.proof.selected);
                }
                p.proof.selected = p.proof.selected.min(p.proof.files.len().saturating_sub(1));
                if p.proof.files.is_empty() {
                    p.focus = PATH;
                }
            }
            (Cmd::Enter, NOTE) | (Cmd::Save, _) => {
                // A verification without its required note goes on to be refused for that, not asked about.
                let files = detail.fix_evidence.len() + p.proof.files.len();
                let unproven = p.kind == FollowKind::Verify
                    && needs_confirmation(Transition::Verify, detail.rect.major_hazard, files);
                if unproven && !p.note.value().trim().is_empty() {
                    p.proof.confirming = true;
                    return Some(vec![]);
                }
                return None;
            }
            _ => return None,
        }
        Some(vec![])
    }

    /// A folder listing for the note box's picker.
    pub(super) fn evidence_folder(&mut self, folder: &str, files: Vec<PickFile>) {
        if let Some(picker) = self.prompt.as_mut().and_then(|p| p.proof.picker.as_mut()) {
            picker.loaded(folder, files);
        }
    }
}
