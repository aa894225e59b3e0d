//! Moving about the inspection: the overview's keys (paging, first and last), the jump to the next item
//! still open, and the cue at the end of the checklist that `s` submits.

use super::{Entry, Inspect, Mode, Pane};
use crate::tui::app::{App, Step};
use crate::tui::keymap::Cmd;

impl Inspect {
    pub(super) fn overview_command(&mut self, app: &mut App, cmd: Cmd) -> Step {
        let last = self.entries.len().saturating_sub(1);
        let page = self.overview_rows.get().max(1);
        match cmd {
            Cmd::Down => self.overview_sel = (self.overview_sel + 1).min(last),
            Cmd::Up => self.overview_sel = self.overview_sel.saturating_sub(1),
            Cmd::PageDown => self.overview_sel = (self.overview_sel + page).min(last),
            Cmd::PageUp => self.overview_sel = self.overview_sel.saturating_sub(page),
            Cmd::Top => self.overview_sel = 0,
            Cmd::Bottom => self.overview_sel = last,
            Cmd::NextOpen => {
                if let Some(next) = self.next_open(app, self.overview_sel) {
                    self.overview_sel = next;
                }
            }
            Cmd::Enter => {
                self.cursor = self.overview_sel;
                self.pane = Pane::Item;
            }
            Cmd::NextPane | Cmd::Back | Cmd::Overview => self.pane = Pane::Item,
            Cmd::PrintRecord | Cmd::PrintRecordUnmasked => {
                let o = &self.opened;
                let duty = o.sheet.checklist.mode == crate::checklist::Mode::Log;
                let effect = crate::tui::screens::record::effect(
                    app,
                    &o.head.id,
                    &o.site.fields.name,
                    &o.head.started_at,
                    duty,
                    crate::tui::screens::record::masking_of(cmd),
                );
                return (None, vec![effect]);
            }
            Cmd::Submit if !self.read_only() => {
                self.pane = Pane::Item;
                self.open_submit();
            }
            _ => {}
        }
        (None, vec![])
    }

    /// The next entry after `from` (wrapping round) whose item is still open: shown and unanswered, or a
    /// failure without its description or evidence. When none is left, says that `s` submits.
    pub(super) fn next_open(&self, app: &mut App, from: usize) -> Option<usize> {
        let sheet = &self.opened.sheet;
        let n = self.entries.len();
        let found = (1..=n).map(|k| (from + k) % n.max(1)).find(|i| match self.entries.get(*i) {
            Some(Entry::Slot(s)) => sheet.open_slot(*s),
            _ => false,
        });
        if found.is_none() {
            app.info(if self.read_only() {
                app.lang.pick("没有未完成的项", "nothing left open")
            } else {
                app.lang.pick("所有项均已完成：按 s 提交", "nothing left open: s submits")
            });
        }
        found
    }

    /// Whether the cursor stands on the last stop of the checklist.
    pub fn at_last_stop(&self) -> bool {
        self.next_stop(self.cursor).is_none()
    }

    /// Said when an answer to the last item leaves nowhere further to go.
    pub(super) fn at_the_end(&self, app: &mut App) {
        if self.read_only() {
            return;
        }
        let open = self.opened.sheet.blockers().len();
        app.info(match (app.lang, open) {
            (crate::i18n::Lang::Zh, 0) => "已到检查表末尾：按 s 提交".to_string(),
            (crate::i18n::Lang::Zh, n) => {
                format!("已到检查表末尾：还有 {n} 项待完成（n 跳转），按 s 提交时列出")
            }
            (crate::i18n::Lang::En, 0) => "end of the checklist: s submits".to_string(),
            (crate::i18n::Lang::En, n) => {
                format!("end of the checklist: {n} still open (n jumps); s lists them")
            }
        });
    }

    /// Whether the submit form is open with the site representative's line.
    pub fn asks_representative(&self) -> bool {
        matches!(&self.mode, Mode::Submit(form) if !form.log)
    }

    /// Whether a multi-line text editor has the keyboard (Enter there is a line break).
    pub fn editing_multiline(&self) -> bool {
        matches!(&self.mode, Mode::Edit { editor: super::Editor::Text(_), .. })
    }

    /// Opens the submit form (the sign-off), with the inspectors named so far.
    pub(super) fn open_submit(&mut self) {
        let log = !crate::inspection::record::needs_sign_off(&self.opened.sheet);
        self.mode = Mode::Submit(Box::new(super::SubmitForm::new(&self.opened.head.inspectors, log)));
    }

    /// After the last shown item of the newest repetition of a repeat section (a patrol round), the cursor
    /// stays in that section: on its header, where Enter adds the next round. Says so.
    pub(super) fn round_done(&self, app: &mut App, slot: crate::inspection::Slot) -> Option<usize> {
        let sheet = &self.opened.sheet;
        let section = &sheet.checklist.sections[slot.section];
        let repeat = section.repeat.as_ref()?;
        if self.read_only() || sheet.instances_of(slot.section).iter().max() != Some(&slot.instance) {
            return None;
        }
        let here = self.entries.iter().position(|e| *e == Entry::Slot(slot))?;
        let later_in_round = self.entries[here + 1..]
            .iter()
            .take_while(
                |e| matches!(e, Entry::Slot(s) if s.section == slot.section && s.instance == slot.instance),
            )
            .any(|e| matches!(e, Entry::Slot(s) if sheet.visible(*s)));
        if later_in_round {
            return None;
        }
        let header = self.entries.iter().position(|e| *e == Entry::Group(slot.section))?;
        let name = super::view::repetition_name(&repeat.label, slot.instance, app.lang);
        app.info(match app.lang {
            crate::i18n::Lang::Zh => format!("{name}已填完：Enter 新增下一次，n 跳到下一未完成项"),
            crate::i18n::Lang::En => {
                format!("{name} done: Enter adds the next, n jumps to the next open item")
            }
        });
        Some(header)
    }
}
