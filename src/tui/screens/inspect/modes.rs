//! The inspection screen's modal states: the failure form, submit, and the amendment reason.

use ratatui::crossterm::event::KeyCode;

use super::{AfterSave, Inspect, Mode};
use crate::inspection::record::RecordError;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;

impl Inspect {
    pub(super) fn finding_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Mode::Finding(form) = &mut self.mode else {
            return vec![];
        };
        if let Some(effects) = form.own_command(app, cmd) {
            return effects;
        }
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
                let effects = form.leave();
                let key = (form.item_id.clone(), slot.instance);
                self.opened.sheet.drafts.remove(&key);
                self.mode = Mode::Browse;
                effects
            }
            Cmd::NextPane => {
                form.focus_next(1);
                vec![]
            }
            Cmd::PrevPane => {
                form.focus_next(-1);
                vec![]
            }
            Cmd::Enter if form.on_text_area() => {
                form.key(&ratatui::crossterm::event::KeyEvent::from(KeyCode::Enter));
                vec![]
            }
            Cmd::Enter => {
                form.focus_next(1);
                vec![]
            }
            Cmd::Save => match form.finding(app.lang) {
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
        if form.confirming {
            return match cmd {
                Cmd::Confirm => {
                    let inspectors =
                        crate::tui::screens::new_inspection::split_names(form.inspectors.value());
                    let representative = if form.log {
                        String::new()
                    } else {
                        form.sign_off().map(|s| s.stored()).unwrap_or_default()
                    };
                    let seen = self.opened.stamps.clone();
                    vec![Effect::Submit { inspection_id: self.id(), inspectors, representative, seen }]
                }
                Cmd::Back => {
                    form.confirming = false;
                    vec![]
                }
                _ => vec![],
            };
        }
        match cmd {
            Cmd::Back => {
                self.mode = Mode::Browse;
                vec![]
            }
            Cmd::NextPane | Cmd::Down | Cmd::PrevPane | Cmd::Up => {
                form.focus_next();
                vec![]
            }
            Cmd::Refuse => {
                form.toggle_refused();
                vec![]
            }
            Cmd::Enter if !form.on_last() => {
                form.focus_next();
                vec![]
            }
            Cmd::Enter | Cmd::Save => {
                let sheet = &self.opened.sheet;
                let open = sheet.blockers().len();
                if open > 0 {
                    form.error = Some(match app.lang {
                        crate::i18n::Lang::Zh => format!("还有 {open} 项未完成（见上方列表），不能提交"),
                        crate::i18n::Lang::En => {
                            format!("{open} thing(s) still open (listed above): cannot submit")
                        }
                    });
                    return vec![];
                }
                let inspectors = crate::tui::screens::new_inspection::split_names(form.inspectors.value());
                let need = usize::from(sheet.checklist.min_inspectors);
                if inspectors.len() < need {
                    form.error = Some(
                        RecordError::TooFewInspectors {
                            need: sheet.checklist.min_inspectors,
                            have: inspectors.len(),
                        }
                        .message(app.lang),
                    );
                    return vec![];
                }
                if !form.log && form.sign_off().is_none() {
                    form.focus = 1;
                    form.error = Some(RecordError::NoSignOff.message(app.lang));
                    return vec![];
                }
                form.confirming = true;
                vec![]
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
                let note = pending.note;
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
