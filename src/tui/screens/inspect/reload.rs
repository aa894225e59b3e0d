//! Two consoles on one draft: noticing another window's changes and never overwriting them unseen.
//!
//! Every answer save carries the stamp of the answer this console showed (see
//! [`crate::inspection::record::Stamps`]); the store refuses a save whose stamp is no longer current, and
//! the executor then reloads the inspection ([`Action::Reloaded`] with a [`Refused`]). Between keys the
//! console also asks whether anything was committed elsewhere ([`Effect::Watch`], SQLite's cheap
//! `data_version`) so the screen does not keep showing stale answers. Either way the user is told what
//! changed, and what they tried to save stays on screen to be given again.

use super::{Entry, Inspect, Mode, entries};
use crate::i18n::Lang;
use crate::inspection::record::Opened;
use crate::inspection::{Slot, Value};
use crate::tui::app::App;
use crate::tui::effect::Effect;

/// What the store refused because another window had changed the inspection first.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// Saving (`Some`) or clearing (`None`) the answer of `slot`.
    Answer { slot: Slot, attempted: Option<Value> },
    /// Submitting: the answers were not those the user reviewed.
    Submit,
}

/// At most `n` characters of `text`, with an ellipsis when cut.
fn short(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

impl Inspect {
    /// Asks the executor whether another process has written since the inspection was read.
    pub(super) fn watch(&self) -> Vec<Effect> {
        vec![Effect::Watch { inspection_id: self.id(), seen: self.opened.data_version }]
    }

    /// The stamp of the answer of `slot` this console shows, sent with its save.
    pub(super) fn seen(&self, slot: Slot) -> Option<String> {
        self.opened.stamps.get(&(self.opened.sheet.item(slot).id.clone(), slot.instance)).cloned()
    }

    /// The slot of an answer key of the sheet, if the item is shown in this inspection's entries.
    fn slot_of(&self, key: &(String, u32)) -> Option<Slot> {
        self.entries.iter().find_map(|e| match e {
            Entry::Slot(s) if s.instance == key.1 && self.opened.sheet.item(*s).id == key.0 => Some(*s),
            _ => None,
        })
    }

    /// The answer of `slot` as the inspector reads it, or "no answer".
    fn shown_value(&self, slot: Slot, lang: Lang) -> String {
        let item = self.opened.sheet.item(slot);
        match self.opened.sheet.answer(slot) {
            Some(a) => short(&a.value.display(item, lang), 24),
            None => lang.pick("未作答", "no answer").into(),
        }
    }

    /// The failure form describes the stored failing answer; if another window changed that answer, the
    /// form keeps the failure it was opened for, so Ctrl-S records it again with what was typed (the
    /// message has said what the other window stored) instead of dropping the description.
    fn keep_failure_form(&mut self, before: &Opened) {
        let Mode::Finding(form) = &mut self.mode else { return };
        if form.value.is_some() {
            return;
        }
        let old = before.sheet.answer(form.slot).map(|a| a.value.clone());
        let new = self.opened.sheet.answer(form.slot).map(|a| a.value.clone());
        if old != new {
            form.value = old;
        }
    }

    /// Takes the inspection as reloaded from the store: the cursor stays on its item, typed input stays in
    /// its editor, and the message says what another window changed.
    pub(super) fn reloaded(&mut self, app: &mut App, opened: Opened, refused: Option<Refused>) {
        let before = std::mem::replace(&mut self.opened, opened);
        self.keep_failure_form(&before);
        let at = self.current();
        let mut changed: Vec<(String, u32)> = Vec::new();
        for key in before.stamps.keys().chain(self.opened.stamps.keys()) {
            if before.stamps.get(key) != self.opened.stamps.get(key) && !changed.contains(key) {
                changed.push(key.clone());
            }
        }
        self.entries = entries(&self.opened);
        let last = self.entries.len().saturating_sub(1);
        self.cursor =
            at.and_then(|e| self.entries.iter().position(|x| *x == e)).unwrap_or(self.cursor.min(last));
        self.overview_sel = self.overview_sel.min(last);
        let lang = app.lang;
        if self.read_only() && before.head.status != self.opened.head.status {
            if matches!(self.mode, Mode::Submit(_) | Mode::Edit { .. } | Mode::Finding(_)) {
                self.mode = Mode::Browse;
            }
            self.after_save = None;
            app.error(lang.pick(
                "此检查已在另一窗口提交并锁定，已重新载入",
                "submitted in another window and locked; reloaded",
            ));
            return;
        }
        match refused {
            Some(Refused::Answer { slot, attempted }) => {
                self.after_save = None;
                let item = self.opened.sheet.item(slot);
                let attempted = match attempted {
                    Some(v) => short(&v.display(item, lang), 24),
                    None => lang.pick("清除", "clearing it").into(),
                };
                let current = self.shown_value(slot, lang);
                app.error(match lang {
                    Lang::Zh => format!("该项已被另一窗口修改为「{current}」，已重新载入；你的「{attempted}」未保存，请重新作答"),
                    Lang::En => format!("changed in another window to “{current}”, reloaded; your “{attempted}” was not saved: answer again"),
                });
            }
            Some(Refused::Submit) => {
                self.after_save = None;
                let n = changed.len().max(1);
                app.error(match lang {
                    Lang::Zh => format!("另一窗口修改了 {n} 项，未提交；已重新载入，请核对后再提交"),
                    Lang::En => format!(
                        "another window changed {n} item(s): not submitted; reloaded, check and submit again"
                    ),
                });
            }
            None if !changed.is_empty() => {
                let first = changed.iter().find_map(|k| self.slot_of(k));
                let what = first.map(|s| {
                    let prompt = short(&self.opened.sheet.item(s).prompt, 12);
                    format!("{prompt}：{}", self.shown_value(s, lang))
                });
                let n = changed.len();
                app.error(match (lang, what) {
                    (Lang::Zh, Some(w)) => format!("另一窗口修改了 {n} 项（{w}），已重新载入"),
                    (Lang::Zh, None) => format!("另一窗口修改了 {n} 项，已重新载入"),
                    (Lang::En, Some(w)) => format!("changed in another window: {n} item(s) ({w}); reloaded"),
                    (Lang::En, None) => format!("changed in another window: {n} item(s); reloaded"),
                });
            }
            None => {}
        }
    }
}
