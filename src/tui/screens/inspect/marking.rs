//! Two shortcuts of the item screen: "the rest of this section passes" (after a confirmation that names
//! how many items it marks; each is then saved as an ordinary answer, audited and revised as usual), and
//! the item's note.

use super::{AfterSave, Entry, Inspect, Mode};
use crate::i18n::Lang;
use crate::inspection::Slot;
use crate::inspection::answering::pass_value;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::Cmd;

impl Inspect {
    /// The section (and repetition) the cursor is in, when it stands on an item.
    fn section_here(&self) -> Option<(usize, u32)> {
        match self.current() {
            Some(Entry::Slot(s)) => Some((s.section, s.instance)),
            _ => None,
        }
    }

    pub(super) fn ask_mark_pass(&mut self, app: &mut App) -> Vec<Effect> {
        if self.read_only() {
            app.error(app.lang.pick(
                "此检查已提交并锁定；逐项修改需填写理由",
                "submitted and locked; amend items one by one, with a reason",
            ));
            return vec![];
        }
        let Some((section, instance)) = self.section_here() else {
            app.error(app.lang.pick("请先进入本节的某一项", "stand on an item of the section first"));
            return vec![];
        };
        let slots = self.opened.sheet.passable(section, instance);
        if slots.is_empty() {
            app.info(app.lang.pick("本节没有未答的合格/不合格项", "no unanswered pass/fail item left here"));
            return vec![];
        }
        self.mode = Mode::ConfirmPass { slots };
        vec![]
    }

    /// The question the confirmation asks, naming the section and how many items it marks.
    pub fn mark_pass_question(&self, lang: Lang, slots: &[Slot]) -> String {
        let Some(first) = slots.first() else { return String::new() };
        let title = &self.opened.sheet.checklist.sections[first.section].title;
        let n = slots.len();
        match lang {
            Lang::Zh => format!("将「{title}」中尚未作答的 {n} 个合格/不合格项全部记为合格？"),
            Lang::En => format!("Mark the {n} unanswered pass/fail item(s) of “{title}” as pass?"),
        }
    }

    pub(super) fn confirm_pass_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Mode::ConfirmPass { slots } = &self.mode else { return vec![] };
        match cmd {
            Cmd::Back => {
                self.mode = Mode::Browse;
                app.info(app.lang.pick("未修改", "nothing changed"));
                vec![]
            }
            Cmd::Confirm => {
                let slots = slots.clone();
                self.mode = Mode::Browse;
                self.after_save = None;
                let effects: Vec<Effect> = slots
                    .iter()
                    .map(|slot| Effect::Answer {
                        inspection_id: self.id(),
                        slot: *slot,
                        item: Box::new(self.opened.sheet.item(*slot).clone()),
                        value: pass_value(),
                        note: String::new(),
                        finding: None,
                        reason: None,
                        seen: self.seen(*slot),
                    })
                    .collect();
                // On to what follows the last item marked.
                let last = slots.last().and_then(|l| self.entries.iter().position(|e| *e == Entry::Slot(*l)));
                if let Some(next) = last.and_then(|i| self.next_stop(i)) {
                    self.cursor = next;
                }
                app.info(match app.lang {
                    Lang::Zh => format!("已将 {} 项记为合格（可逐项修改）", slots.len()),
                    Lang::En => format!("{} item(s) marked as pass (each can still be changed)", slots.len()),
                });
                effects
            }
            _ => vec![],
        }
    }

    pub(super) fn open_note(&mut self, app: &mut App, slot: Option<Slot>) -> Vec<Effect> {
        let Some(slot) = slot else { return vec![] };
        match self.opened.sheet.answer(slot) {
            Some(a) => {
                self.mode = Mode::Note { slot, field: Field::new(a.note.clone()) };
            }
            None => app.error(app.lang.pick("请先作答，再写备注", "answer the item first, then add a note")),
        }
        vec![]
    }

    pub(super) fn note_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Mode::Note { slot, field } = &self.mode else { return vec![] };
        let slot = *slot;
        match cmd {
            Cmd::Back => {
                self.mode = Mode::Browse;
                vec![]
            }
            Cmd::Enter | Cmd::Save => {
                let note = field.value().trim().to_string();
                let Some(answer) = self.opened.sheet.answer(slot).cloned() else {
                    self.mode = Mode::Browse;
                    return vec![];
                };
                if note == answer.note {
                    self.mode = Mode::Browse;
                    app.info(app.lang.pick("未修改", "nothing changed"));
                    return vec![];
                }
                self.give_noted(slot, answer.value, answer.finding, AfterSave::Stay, note)
            }
            _ => vec![],
        }
    }
}
