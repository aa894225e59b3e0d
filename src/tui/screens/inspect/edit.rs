//! The value editors of the item screen: opening the editor that fits the item's kind (prefilled), and
//! Enter/Ctrl-S turning what was typed into an answer.

use ratatui::crossterm::event::KeyCode;

use super::{AfterSave, Editor, Entry, FindingForm, Inspect, Mode};
use crate::checklist::AnswerKind;
use crate::inspection::{Outcome, Slot, Value};
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::field::{Area, Field};
use crate::tui::keymap::Cmd;

impl Inspect {
    pub(super) fn start_edit(&mut self, app: &mut App, slot: Option<Slot>) -> Vec<Effect> {
        let Some(slot) = slot else {
            // On a repeat section's header, Enter adds a repetition; on a hidden item it does nothing.
            if matches!(self.current(), Some(Entry::Group(_))) {
                return self.add_instance(app);
            }
            return vec![];
        };
        let sheet = &self.opened.sheet;
        let item = sheet.item(slot);
        let answer = sheet.answer(slot);
        let current = answer.map(|a| a.value.encode());
        let editor = match &item.kind {
            AnswerKind::Check | AnswerKind::Choice(_) => {
                if answer.is_some_and(|a| a.outcome == Outcome::Fail) && !self.read_only() {
                    let finding = self.finding_for(app, slot);
                    self.mode =
                        Mode::Finding(Box::new(FindingForm::open(&self.opened, slot, &finding, None)));
                }
                return vec![];
            }
            AnswerKind::MultiChoice(opts) => {
                let chosen = match answer.map(|a| &a.value) {
                    Some(Value::Multi(keys)) => opts.iter().map(|o| keys.contains(&o.key)).collect(),
                    _ => vec![false; opts.len()],
                };
                Editor::Multi { chosen }
            }
            AnswerKind::Text { multiline: true } => {
                Editor::Text(Box::new(Area::new(&current.unwrap_or_default())))
            }
            AnswerKind::Text { .. } => {
                // A new shift's officers start from the inspectors named when it was started.
                let officers = sheet.checklist.log.as_ref().is_some_and(|l| l.officers == item.id);
                let prefill = current.unwrap_or_else(|| {
                    if officers { self.opened.head.inspectors.join("、") } else { String::new() }
                });
                Editor::Line(Field::new(prefill))
            }
            AnswerKind::Date => {
                Editor::Line(Field::new(current.unwrap_or_else(|| app.now.format("%Y-%m-%d").to_string())))
            }
            AnswerKind::Time => {
                Editor::Line(Field::new(current.unwrap_or_else(|| app.now.format("%H:%M").to_string())))
            }
            AnswerKind::DateTime => Editor::Line(Field::new(
                current.unwrap_or_else(|| app.now.format("%Y-%m-%d %H:%M").to_string()),
            )),
            AnswerKind::Number(_) => Editor::Line(Field::new(current.unwrap_or_default())),
        };
        self.mode = Mode::Edit { editor, error: None };
        vec![]
    }

    pub(super) fn edit_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Some(slot) = self.current_slot() else {
            self.mode = Mode::Browse;
            return vec![];
        };
        if cmd == Cmd::Back {
            self.mode = Mode::Browse;
            return vec![];
        }
        let item = self.opened.sheet.item(slot).clone();
        let Mode::Edit { editor, error } = &mut self.mode else {
            return vec![];
        };
        let value = match editor {
            Editor::Multi { chosen } => match cmd {
                Cmd::Enter | Cmd::Save => {
                    let keys = item.kind.options().iter().zip(chosen.iter()).filter(|(_, c)| **c);
                    Value::Multi(keys.map(|(o, _)| o.key.clone()).collect())
                }
                _ => return vec![],
            },
            Editor::Text(area) => match cmd {
                Cmd::Enter => {
                    area.key(&ratatui::crossterm::event::KeyEvent::from(KeyCode::Enter));
                    return vec![];
                }
                Cmd::Save => match Value::parse_input(&item.kind, &area.text()) {
                    Ok(v) => v,
                    Err(e) => {
                        *error = Some(e.text(app.lang).to_string());
                        return vec![];
                    }
                },
                _ => return vec![],
            },
            Editor::Line(field) => match cmd {
                Cmd::Enter | Cmd::Save => match Value::parse_input(&item.kind, field.value()) {
                    Ok(v) => v,
                    Err(e) => {
                        *error = Some(e.text(app.lang).to_string());
                        return vec![];
                    }
                },
                _ => return vec![],
            },
        };
        // An end before its start is refused on save, as submit would (see `inspection::rules`).
        if let Err(rule) = crate::inspection::rules::check_order(&self.opened.sheet, slot, &value, app.lang)
            && let Mode::Edit { error, .. } = &mut self.mode
        {
            *error = Some(rule.message(app.lang));
            return vec![];
        }
        let finding = (value.outcome(&item) == Outcome::Fail).then(|| self.finding_for(app, slot));
        self.give(slot, value, finding, AfterSave::Answered)
    }
}
