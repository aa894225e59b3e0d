//! The inspection screen: one item at a time (answer keys move on), an overview jump list, value editors,
//! the failure form, submit, and amendments of a submitted inspection. State and reducer here; the value
//! editors in `edit`, moving about in `jump`, mark-pass and notes in `marking`, the modal forms in `modes`;
//! drawing in `view`, `overview` and `submit_view`.

mod digits;
mod edit;
mod jump;
mod marking;
mod modes;
mod overview;
pub mod reload;
mod submit_view;
mod view;

use super::finding::FindingForm;
use super::home::Home;
use super::submit::SubmitForm;
use crate::checklist::AnswerKind;
use crate::inspection::record::{Opened, default_finding};
use crate::inspection::{Check, Finding, Outcome, Slot, SlotState, Value};
use crate::store::inspections::{AnswerRow, Status};
use crate::tui::action::Action;
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::field::{Area, Field};
use crate::tui::keymap::{Cmd, Ctx};

/// A stop in the item order: a repeat section's header (to add repetitions) or an item slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Group(usize),
    Slot(Slot),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Item,
    Overview,
}

#[derive(Debug)]
pub enum Editor {
    Line(Field),
    Text(Box<Area>),
    Multi { chosen: Vec<bool> },
}

/// An answer waiting for its amendment reason.
#[derive(Debug, Clone)]
pub struct Pending {
    pub slot: Slot,
    pub value: Value,
    pub finding: Option<Finding>,
    pub note: String,
}

#[derive(Debug)]
pub enum Mode {
    Browse,
    Edit {
        editor: Editor,
        error: Option<String>,
    },
    Finding(Box<FindingForm>),
    Submit(Box<SubmitForm>),
    Reason {
        pending: Pending,
        field: Field,
    },
    History(Vec<AnswerRow>),
    /// Asking whether the listed unanswered pass/fail items of a section are all marked as pass.
    ConfirmPass {
        slots: Vec<Slot>,
    },
    /// The item's note being written.
    Note {
        slot: Slot,
        field: Field,
    },
}

/// What to do when the answer being saved comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AfterSave {
    /// Open the failure form if it failed, else move on.
    Answered,
    /// The failure form was saved: move on.
    Finding,
    /// The note was saved: stay on the item.
    Stay,
}

#[derive(Debug)]
pub struct Inspect {
    pub opened: Opened,
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub pane: Pane,
    pub overview_sel: usize,
    pub mode: Mode,
    after_save: Option<(Slot, AfterSave)>,
    confirm_remove: bool,
    /// The start of an option number on a list of 10 or more options (see [`digits`]).
    typed: Option<digits::Typed>,
    /// How many rows the overview showed when last drawn: what PageUp/PageDown move by.
    overview_rows: std::cell::Cell<usize>,
}

/// Digits answer at once on short lists; from 10 options they may take two (see [`digits`]).
fn choice_ctx(options: usize) -> Ctx {
    if options > 9 { Ctx::ItemLongChoice } else { Ctx::ItemChoice }
}

pub fn entries(opened: &Opened) -> Vec<Entry> {
    let sheet = &opened.sheet;
    let mut out = Vec::new();
    for (si, section) in sheet.checklist.sections.iter().enumerate() {
        let instances: Vec<u32> = if section.repeat.is_some() {
            out.push(Entry::Group(si));
            sheet.instances_of(si).to_vec()
        } else {
            vec![0]
        };
        for instance in instances {
            for item in 0..section.items.len() {
                out.push(Entry::Slot(Slot { section: si, item, instance }));
            }
        }
    }
    out
}

impl Inspect {
    pub fn new(opened: Opened, app: &App) -> Self {
        let entries = entries(&opened);
        let mut screen = Inspect {
            opened,
            entries,
            cursor: 0,
            pane: Pane::Item,
            overview_sel: 0,
            mode: Mode::Browse,
            after_save: None,
            confirm_remove: false,
            typed: None,
            overview_rows: std::cell::Cell::new(10),
        };
        screen.cursor = screen.resume_position();
        // A failure form left unsaved (a crash while typing) opens again as it was typed.
        if let Some((i, form)) = super::finding::resume_draft(&screen.opened, &screen.entries, app.today()) {
            screen.cursor = i;
            screen.mode = Mode::Finding(Box::new(form));
        }
        screen.overview_sel = screen.cursor;
        screen
    }

    /// Where a draft was left (the entry after the last answer), else the first unanswered item.
    fn resume_position(&self) -> usize {
        let sheet = &self.opened.sheet;
        if let Some((id, instance)) = self.opened.head.resume_at.split_once('#') {
            let instance: u32 = instance.parse().unwrap_or(0);
            if let Some(i) = self.entries.iter().position(|e| match e {
                Entry::Slot(s) => sheet.item(*s).id == id && s.instance == instance,
                Entry::Group(_) => false,
            }) {
                return self.next_stop(i).unwrap_or(i);
            }
        }
        self.entries
            .iter()
            .position(|e| matches!(e, Entry::Slot(s) if sheet.state(*s) == SlotState::Unanswered))
            .unwrap_or(0)
    }

    pub fn read_only(&self) -> bool {
        self.opened.head.status == Status::Submitted
    }

    pub fn current(&self) -> Option<Entry> {
        self.entries.get(self.cursor).copied()
    }

    pub fn current_slot(&self) -> Option<Slot> {
        match self.current() {
            Some(Entry::Slot(s)) => Some(s),
            _ => None,
        }
    }

    fn shown(&self, i: usize) -> bool {
        match self.entries.get(i) {
            Some(Entry::Slot(s)) => self.opened.sheet.visible(*s),
            Some(Entry::Group(_)) => true,
            None => false,
        }
    }

    fn next_stop(&self, from: usize) -> Option<usize> {
        (from + 1..self.entries.len()).find(|i| self.shown(*i))
    }

    fn prev_stop(&self, from: usize) -> Option<usize> {
        (0..from).rev().find(|i| self.shown(*i))
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        match &self.mode {
            Mode::Browse if self.pane == Pane::Overview => vec![Ctx::Overview, Ctx::Global],
            Mode::Browse => match self.current() {
                Some(Entry::Group(_)) => vec![Ctx::Group, Ctx::Item, Ctx::Global],
                Some(Entry::Slot(s)) if self.opened.sheet.visible(s) => match &self.opened.sheet.item(s).kind
                {
                    AnswerKind::Check => vec![Ctx::ItemCheck, Ctx::ItemEdit, Ctx::Item, Ctx::Global],
                    AnswerKind::Choice(opts) => {
                        vec![choice_ctx(opts.len()), Ctx::ItemEdit, Ctx::Item, Ctx::Global]
                    }
                    _ => vec![Ctx::ItemEdit, Ctx::Item, Ctx::Global],
                },
                // A skipped item: only moving on makes sense.
                _ => vec![Ctx::Item, Ctx::Global],
            },
            Mode::Edit { editor: Editor::Multi { chosen }, .. } => {
                vec![choice_ctx(chosen.len()), Ctx::Editing]
            }
            // A multi-line text: Enter breaks the line, Ctrl-S saves.
            Mode::Edit { editor: Editor::Text(_), .. } => vec![Ctx::TextArea, Ctx::Save, Ctx::Editing],
            Mode::Edit { .. } | Mode::Reason { .. } | Mode::Note { .. } => vec![Ctx::Save, Ctx::Editing],
            Mode::Finding(form) => form.contexts(),
            Mode::Submit(form) => form.contexts(),
            Mode::ConfirmPass { .. } => vec![Ctx::Confirm, Ctx::Global],
            Mode::History(_) => vec![Ctx::Global],
        }
    }

    fn id(&self) -> String {
        self.opened.head.id.clone()
    }

    /// Sends an answer to be saved (or, once submitted, asks for the amendment reason first).
    fn give(&mut self, slot: Slot, value: Value, finding: Option<Finding>, after: AfterSave) -> Vec<Effect> {
        let note = self.opened.sheet.answer(slot).map(|a| a.note.clone()).unwrap_or_default();
        self.give_noted(slot, value, finding, after, note)
    }

    /// [`Self::give`] with the note to keep with the answer.
    fn give_noted(
        &mut self,
        slot: Slot,
        value: Value,
        finding: Option<Finding>,
        after: AfterSave,
        note: String,
    ) -> Vec<Effect> {
        if self.read_only() {
            // A correction that fails the item is described first (it raises a rectification), then the
            // reason for the amendment is asked.
            self.mode = match (after, finding) {
                (AfterSave::Answered, Some(finding)) => {
                    let form = FindingForm::open(&self.opened, slot, &finding, Some(&value));
                    Mode::Finding(Box::new(form.amending(value)))
                }
                (_, finding) => {
                    Mode::Reason { pending: Pending { slot, value, finding, note }, field: Field::default() }
                }
            };
            return vec![];
        }
        let item = self.opened.sheet.item(slot).clone();
        self.after_save = Some((slot, after));
        vec![Effect::Answer {
            inspection_id: self.id(),
            slot,
            item: Box::new(item),
            value,
            note,
            finding,
            reason: None,
            seen: self.seen(slot),
        }]
    }

    /// The finding a failure carries: the one already recorded, else the item's defaults.
    fn finding_for(&self, app: &App, slot: Slot) -> Finding {
        let sheet = &self.opened.sheet;
        sheet
            .answer(slot)
            .and_then(|a| a.finding.clone())
            .unwrap_or_else(|| default_finding(sheet, slot, app.today()))
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        if let Some(effects) = self.number_keys(app, &action) {
            return (None, effects);
        }
        match action {
            Action::Saved { slot, answer } => return self.saved(app, slot, answer),
            Action::Cleared { slot } => {
                let id = self.opened.sheet.item(slot).id.clone();
                self.opened.stamps.remove(&(id.clone(), slot.instance));
                self.opened.sheet.answers.remove(&(id, slot.instance));
            }
            Action::Tick => return (None, self.watch()),
            Action::Reloaded { opened, refused } => self.reloaded(app, *opened, refused),
            Action::InstancesChanged { section, instances } => {
                let added = instances.iter().max().copied();
                self.opened.sheet.instances.insert(section.clone(), instances);
                self.entries = entries(&self.opened);
                let si = self.opened.sheet.checklist.sections.iter().position(|s| s.id == section);
                // Stand on the first item of the newest repetition, or on the section header.
                self.cursor = self
                    .entries
                    .iter()
                    .position(|e| matches!(e, Entry::Slot(s) if Some(s.section) == si && Some(s.instance) == added && s.item == 0))
                    .or_else(|| self.entries.iter().position(|e| matches!(e, Entry::Group(g) if Some(*g) == si)))
                    .unwrap_or(0);
            }
            // The failure form's evidence results and its draft clock.
            Action::EvidenceAttached { .. }
            | Action::EvidenceRemoved { .. }
            | Action::EvidenceFolder { .. }
            | Action::Clock(_) => {
                return (
                    None,
                    super::finding::on_action(&mut self.opened.sheet, &mut self.mode, app, &action),
                );
            }
            Action::History { rows, .. } => self.mode = Mode::History(rows),
            Action::Submitted { rectifications } => {
                app.info(match app.lang {
                    crate::i18n::Lang::Zh => format!("已提交，生成整改事项 {rectifications} 条"),
                    crate::i18n::Lang::En => format!("submitted; {rectifications} rectification(s) created"),
                });
                return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]);
            }
            Action::Failed(_) => self.after_save = None,
            Action::Cmd(cmd) => return self.command(app, cmd),
            Action::Key(ev) => self.key(ev),
            Action::Paste(text) => self.paste(&text),
            _ => {}
        }
        (None, vec![])
    }

    fn saved(&mut self, app: &mut App, slot: Slot, answer: crate::inspection::Answer) -> Step {
        let id = self.opened.sheet.item(slot).id.clone();
        let evidence = self.opened.sheet.answer(slot).map_or(0, |a| a.evidence);
        let failed = answer.outcome == Outcome::Fail;
        if crate::inspection::record::supersedes_draft(answer.outcome, answer.finding.as_ref()) {
            // Saving the answer dropped the failure form's draft of it.
            self.opened.sheet.drafts.remove(&(id.clone(), slot.instance));
        }
        if !self.read_only() {
            let stamp = crate::inspection::record::stamp_of(&id, slot.instance, &answer);
            self.opened.stamps.insert((id.clone(), slot.instance), stamp);
        }
        self.opened
            .sheet
            .answers
            .insert((id, slot.instance), crate::inspection::Answer { evidence, ..answer });
        match self.after_save.take() {
            Some((s, AfterSave::Answered)) if s == slot && failed && !self.read_only() => {
                let finding = self.finding_for(app, slot);
                self.mode = Mode::Finding(Box::new(FindingForm::open(&self.opened, slot, &finding, None)));
            }
            Some((s, AfterSave::Stay)) if s == slot => self.mode = Mode::Browse,
            Some((s, _)) if s == slot => {
                self.mode = Mode::Browse;
                if let Some(header) = self.round_done(app, slot) {
                    self.cursor = header;
                    return (None, vec![]);
                }
                match self.next_stop(self.cursor) {
                    Some(next) => self.cursor = next,
                    None => self.at_the_end(app),
                }
            }
            _ => self.mode = Mode::Browse,
        }
        (None, vec![])
    }

    fn key(&mut self, ev: ratatui::crossterm::event::KeyEvent) {
        match &mut self.mode {
            Mode::Edit { editor: Editor::Line(f), error } => {
                f.key(&ev);
                *error = None;
            }
            Mode::Edit { editor: Editor::Text(a), .. } => a.key(&ev),
            Mode::Finding(form) => form.key(&ev),
            Mode::Submit(form) => form.key(&ev),
            Mode::Reason { field, .. } | Mode::Note { field, .. } => field.key(&ev),
            _ => {}
        }
    }

    fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Edit { editor: Editor::Line(f), .. } => f.paste(text),
            Mode::Edit { editor: Editor::Text(a), .. } => a.paste(text),
            Mode::Finding(form) => form.paste(text),
            Mode::Submit(form) => form.paste(text),
            Mode::Reason { field, .. } | Mode::Note { field, .. } => field.paste(text),
            _ => {}
        }
    }

    fn command(&mut self, app: &mut App, cmd: Cmd) -> Step {
        match &self.mode {
            Mode::Browse => {}
            Mode::Edit { .. } => return (None, self.edit_command(app, cmd)),
            Mode::Finding(_) => return (None, self.finding_command(app, cmd)),
            Mode::Submit(_) => return (None, self.submit_command(app, cmd)),
            Mode::Reason { .. } => return (None, self.reason_command(app, cmd)),
            Mode::ConfirmPass { .. } => return (None, self.confirm_pass_command(app, cmd)),
            Mode::Note { .. } => return (None, self.note_command(app, cmd)),
            Mode::History(_) => {
                if cmd == Cmd::Back {
                    self.mode = Mode::Browse;
                }
                return (None, vec![]);
            }
        }
        if self.pane == Pane::Overview {
            return self.overview_command(app, cmd);
        }
        let confirm_remove = std::mem::take(&mut self.confirm_remove);
        let slot = self.current_slot().filter(|s| self.opened.sheet.visible(*s));
        let effects = match cmd {
            Cmd::Back => {
                return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]);
            }
            Cmd::NextPane | Cmd::Overview => {
                self.pane = Pane::Overview;
                self.overview_sel = self.cursor;
                vec![]
            }
            Cmd::Down => {
                self.cursor = self.next_stop(self.cursor).unwrap_or(self.cursor);
                vec![]
            }
            Cmd::Up => {
                self.cursor = self.prev_stop(self.cursor).unwrap_or(self.cursor);
                vec![]
            }
            Cmd::Pass | Cmd::Fail | Cmd::NotApplicable => match slot {
                Some(slot) if self.opened.sheet.item(slot).kind == AnswerKind::Check => {
                    let (value, finding) = match cmd {
                        Cmd::Pass => (Value::Check(Check::Pass), None),
                        Cmd::Fail => (Value::Check(Check::Fail), Some(self.finding_for(app, slot))),
                        _ => (Value::Check(Check::Na), None),
                    };
                    self.give(slot, value, finding, AfterSave::Answered)
                }
                _ => vec![],
            },
            Cmd::Edit => self.start_edit(app, slot),
            Cmd::Clear => match slot {
                Some(slot) if !self.read_only() && self.opened.sheet.answer(slot).is_some() => {
                    let item_id = self.opened.sheet.item(slot).id.clone();
                    vec![Effect::Clear { inspection_id: self.id(), slot, item_id, seen: self.seen(slot) }]
                }
                _ => vec![],
            },
            Cmd::AddInstance => self.add_instance(app),
            Cmd::RemoveInstance => self.remove_instance(app, confirm_remove),
            Cmd::History => match slot {
                Some(slot) => {
                    let item_id = self.opened.sheet.item(slot).id.clone();
                    vec![Effect::History { inspection_id: self.id(), slot, item_id }]
                }
                None => vec![],
            },
            Cmd::Submit => {
                if self.read_only() {
                    app.info(app.lang.pick(
                        "此检查已提交并锁定；修改答案需填写理由",
                        "submitted and locked; changing an answer asks for a reason",
                    ));
                } else {
                    self.open_submit();
                }
                vec![]
            }
            Cmd::NextOpen => {
                if let Some(next) = self.next_open(app, self.cursor) {
                    self.cursor = next;
                }
                vec![]
            }
            Cmd::MarkPass => self.ask_mark_pass(app),
            Cmd::Note => self.open_note(app, slot),
            _ => vec![],
        };
        (None, effects)
    }

    fn add_instance(&mut self, app: &mut App) -> Vec<Effect> {
        let section = match self.current() {
            Some(Entry::Group(si)) => si,
            Some(Entry::Slot(s)) => s.section,
            None => return vec![],
        };
        let sec = &self.opened.sheet.checklist.sections[section];
        let Some(repeat) = &sec.repeat else { return vec![] };
        if self.read_only() {
            return vec![];
        }
        if self.opened.sheet.instances_of(section).len() >= repeat.max as usize {
            app.error(format!("{}{}", app.lang.pick("已达上限：", "limit reached: "), repeat.max));
            return vec![];
        }
        vec![Effect::AddInstance { inspection_id: self.id(), section_id: sec.id.clone() }]
    }

    fn remove_instance(&mut self, app: &mut App, confirmed: bool) -> Vec<Effect> {
        let Some(slot) = self.current_slot() else {
            return vec![];
        };
        let sec = &self.opened.sheet.checklist.sections[slot.section];
        if sec.repeat.is_none() || self.read_only() {
            return vec![];
        }
        if !confirmed {
            self.confirm_remove = true;
            app.error(app.lang.pick(
                "再按一次 - 删除本次记录（已填内容仍保留在审计记录中）",
                "press - again to remove this repetition (its answers stay in the audit log)",
            ));
            return vec![];
        }
        vec![Effect::RemoveInstance {
            inspection_id: self.id(),
            section_id: sec.id.clone(),
            instance: slot.instance,
        }]
    }
}
