//! The inspection screen's modal states: the failure form, submit, and the amendment reason.

use ratatui::crossterm::event::KeyCode;

use super::{AfterSave, Inspect, Mode};
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;

impl Inspect {
    pub(super) fn finding_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Mode::Finding(form) = &mut self.mode else {
            return vec![];
        };
        let slot = form.slot;
        match cmd {
            Cmd::Back => {
                let described = self
                    .opened
                    .sheet
                    .answer(slot)
                    .and_then(|a| a.finding.as_ref())
                    .is_some_and(|f| !f.problem.trim().is_empty());
                if form.value.is_some() {
                    app.info(app.lang.pick("未修改", "nothing changed"));
                } else if !described {
                    app.error(app.lang.pick(
                        "已记为不合格；问题描述未填写，提交前需补充",
                        "recorded as a failure; the problem description is still needed before submit",
                    ));
                }
                self.mode = Mode::Browse;
                vec![]
            }
            Cmd::NextPane => {
                form.focus_next(1);
                vec![]
            }
            Cmd::PrevPane => {
                form.focus_next(-1);
                vec![]
            }
            Cmd::Enter if form.on_evidence() => match form.evidence_path() {
                Some(path) => {
                    let item_id = self.opened.sheet.item(slot).id.clone();
                    vec![Effect::AttachEvidence { inspection_id: self.id(), slot, item_id, path }]
                }
                None => vec![],
            },
            Cmd::Enter if form.on_text_area() => {
                form.key(&ratatui::crossterm::event::KeyEvent::from(KeyCode::Enter));
                vec![]
            }
            Cmd::Enter if !form.on_evidence() => {
                form.focus_next(1);
                vec![]
            }
            Cmd::Enter | Cmd::Save => match form.finding(app.lang) {
                Ok(finding) => {
                    let stored = || self.opened.sheet.answer(slot).map(|a| a.value.clone());
                    let Some(value) = form.value.clone().or_else(stored) else {
                        self.mode = Mode::Browse;
                        return vec![];
                    };
                    self.give(slot, value, Some(finding), AfterSave::Finding)
                }
                Err(message) => {
                    form.error = Some(message);
                    vec![]
                }
            },
            Cmd::Up | Cmd::Down | Cmd::Toggle => {
                form.command(cmd);
                vec![]
            }
            _ => vec![],
        }
    }

    pub(super) fn submit_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Mode::Submit(form) = &mut self.mode else {
            return vec![];
        };
        match cmd {
            Cmd::Back => {
                self.mode = Mode::Browse;
                vec![]
            }
            Cmd::NextPane | Cmd::Down => {
                form.focus_next();
                vec![]
            }
            Cmd::PrevPane | Cmd::Up => {
                form.focus_next();
                vec![]
            }
            Cmd::Enter if form.focus == 0 => {
                form.focus_next();
                vec![]
            }
            Cmd::Enter | Cmd::Save => {
                if let Err(e) = crate::inspection::record::check_submittable(&self.opened.sheet) {
                    form.error = Some(e.message(app.lang));
                    return vec![];
                }
                let inspectors = crate::tui::screens::new_inspection::split_names(form.inspectors.value());
                let need = usize::from(self.opened.sheet.checklist.min_inspectors);
                if inspectors.len() < need {
                    form.error = Some(
                        crate::inspection::record::RecordError::TooFewInspectors {
                            need: self.opened.sheet.checklist.min_inspectors,
                            have: inspectors.len(),
                        }
                        .message(app.lang),
                    );
                    return vec![];
                }
                let representative = form.representative.value().trim().to_string();
                let seen = self.opened.stamps.clone();
                vec![Effect::Submit { inspection_id: self.id(), inspectors, representative, seen }]
            }
            _ => vec![],
        }
    }

    pub(super) fn reason_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Mode::Reason { pending, field } = &mut self.mode else {
            return vec![];
        };
        match cmd {
            Cmd::Back => {
                self.mode = Mode::Browse;
                vec![]
            }
            Cmd::Enter | Cmd::Save => {
                let reason = field.value().trim().to_string();
                if reason.is_empty() {
                    app.error(app.lang.pick("修改已提交的检查必须填写理由", "an amendment needs a reason"));
                    return vec![];
                }
                let pending = pending.clone();
                let item = self.opened.sheet.item(pending.slot).clone();
                let note = self.opened.sheet.answer(pending.slot).map(|a| a.note.clone()).unwrap_or_default();
                self.after_save = Some((pending.slot, AfterSave::Finding));
                vec![Effect::Answer {
                    inspection_id: self.id(),
                    slot: pending.slot,
                    item: Box::new(item),
                    value: pending.value,
                    note,
                    finding: pending.finding,
                    reason: Some(reason),
                    seen: None,
                }]
            }
            _ => vec![],
        }
    }
}
