//! The failure form (不合格): problem description (required), severity, rectification requirement,
//! deadline, responsible person, and evidence files — typed as a path or picked from a folder — listed by
//! name and removable. Its fields are saved as a draft a second after the inspector stops typing, so a
//! crash loses nothing; the save checks of `inspection::rules` run on Ctrl-S. State and reducer here,
//! drawing in `view`, the folder picker in `picker`.

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

mod picker;
mod view;

pub use picker::{Outcome as PickerOutcome, Picker};

use crate::domain::Severity;
use crate::i18n::Lang;
use crate::inspection::draft::FindingDraft;
use crate::inspection::record::Opened;
use crate::inspection::{Finding, Sheet, Slot, Value, rules};
use crate::store::evidence::EvidenceFile;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::field::{Area, Field};
use crate::tui::keymap::{Cmd, Ctx};
use crate::tui::screens::inspect::{Entry, Mode};

const PROBLEM: usize = 0;
const SEVERITY: usize = 1;
const REQUIREMENT: usize = 2;
const DEADLINE: usize = 3;
const RESPONSIBLE: usize = 4;
const EVIDENCE: usize = 5;
/// The list of attached files (a stop only when there is one).
const FILES: usize = 6;

/// How long typing must pause before the draft is saved.
const DRAFT_IDLE: chrono::Duration = chrono::Duration::seconds(1);

/// When the fields last changed and what was last sent to be saved as a draft.
#[derive(Debug, Default)]
struct DraftClock {
    seen: FindingDraft,
    changed_at: Option<NaiveDateTime>,
    saved: FindingDraft,
    /// Whether a draft row may exist for this slot (restored, or saved since the form opened).
    stored: bool,
}

#[derive(Debug)]
pub struct FindingForm {
    pub slot: Slot,
    pub focus: usize,
    pub problem: Area,
    pub severity: Severity,
    pub requirement: Area,
    pub deadline: Field,
    pub responsible: Field,
    /// A file path typed by hand (Enter attaches it; Enter on an empty field opens the picker).
    pub evidence: Field,
    /// The files attached to the item, oldest first.
    pub files: Vec<EvidenceFile>,
    /// The file selected in the list (when the focus is on it).
    pub file_sel: usize,
    pub evidence_count: usize,
    pub evidence_required: bool,
    pub error: Option<String>,
    /// The failing value being amended into a submitted inspection (not stored yet); `None` when the
    /// finding belongs to the stored answer.
    pub value: Option<Value>,
    /// The day of the inspection: the deadline may not be before it.
    pub inspected: Option<NaiveDate>,
    pub inspection_id: String,
    pub item_id: String,
    pub picker: Option<Picker>,
    draft: DraftClock,
}

impl FindingForm {
    pub fn new(slot: Slot, f: &Finding, evidence_count: usize) -> Self {
        FindingForm {
            slot,
            focus: PROBLEM,
            problem: Area::new(&f.problem),
            severity: f.severity,
            requirement: Area::new(&f.requirement),
            deadline: Field::new(f.deadline.format("%Y-%m-%d").to_string()),
            responsible: Field::new(f.responsible.clone()),
            evidence: Field::default(),
            files: Vec::new(),
            file_sel: 0,
            evidence_count,
            evidence_required: false,
            error: None,
            value: None,
            inspected: None,
            inspection_id: String::new(),
            item_id: String::new(),
            picker: None,
            draft: DraftClock::default(),
        }
    }

    /// The form for `slot` of an opened inspection: the finding as recorded (or the item's defaults), then
    /// a draft left unsaved (after a crash) over it, or, for a number outside its pass range, the problem
    /// text prefilled with the value and the limit. `value` is the failing value when it is not stored yet.
    pub fn open(opened: &Opened, slot: Slot, finding: &Finding, value: Option<&Value>) -> Self {
        let sheet = &opened.sheet;
        let item = sheet.item(slot);
        let key = (item.id.clone(), slot.instance);
        let evidence = sheet.answer(slot).map_or(0, |a| a.evidence);
        let mut form = FindingForm::new(slot, finding, evidence);
        form.evidence_required = item.evidence_on_fail;
        form.inspected = rules::inspection_date(&opened.head.started_at);
        form.inspection_id = opened.head.id.clone();
        form.item_id = item.id.clone();
        form.files = sheet.evidence_files.get(&key).cloned().unwrap_or_default();
        form.evidence_count = form.evidence_count.max(form.files.len());
        let stored = sheet.answer(slot).map(|a| &a.value);
        match sheet.drafts.get(&key) {
            Some(d) if value.is_none() => {
                form.apply(d);
                form.draft.stored = true;
                form.draft.saved = d.clone();
            }
            _ if finding.problem.trim().is_empty() => {
                if let Some(text) = value.or(stored).and_then(|v| rules::threshold_problem(item, v)) {
                    form.problem = Area::new(&text);
                }
            }
            _ => {}
        }
        form.draft.seen = form.draft_fields();
        if form.draft.saved == FindingDraft::default() {
            form.draft.saved = form.draft.seen.clone();
        }
        form
    }

    /// The form for a correction of a submitted inspection that makes the item fail.
    pub fn amending(mut self, value: Value) -> Self {
        self.value = Some(value);
        self
    }

    fn apply(&mut self, d: &FindingDraft) {
        self.problem = Area::new(&d.problem);
        if let Some(s) = Severity::from_key(&d.severity) {
            self.severity = s;
        }
        self.requirement = Area::new(&d.requirement);
        self.deadline = Field::new(d.deadline.clone());
        self.responsible = Field::new(d.responsible.clone());
    }

    /// The fields as typed, as a draft is kept.
    pub fn draft_fields(&self) -> FindingDraft {
        FindingDraft {
            problem: self.problem.text(),
            severity: self.severity.key().into(),
            requirement: self.requirement.text(),
            deadline: self.deadline.value().to_string(),
            responsible: self.responsible.value().to_string(),
        }
    }

    /// Called with the clock (every quarter second of idle and before each key): once the fields have
    /// stayed unchanged for a second since they last changed, asks for them to be saved as a draft.
    /// Amendments of a submitted inspection keep no draft.
    pub fn tick(&mut self, now: NaiveDateTime) -> Option<Effect> {
        if self.value.is_some() || self.inspection_id.is_empty() {
            return None;
        }
        let current = self.draft_fields();
        if current != self.draft.seen {
            self.draft.seen = current;
            self.draft.changed_at = Some(now);
            return None;
        }
        let changed = self.draft.changed_at?;
        if now - changed < DRAFT_IDLE || current == self.draft.saved {
            return None;
        }
        self.draft.changed_at = None;
        self.draft.saved = current.clone();
        self.draft.stored = true;
        Some(Effect::SaveFindingDraft {
            inspection_id: self.inspection_id.clone(),
            item_id: self.item_id.clone(),
            instance: self.slot.instance,
            draft: current,
        })
    }

    /// What leaving the form without saving asks for: its draft is dropped (Esc cancels what was typed).
    pub fn leave(&self) -> Vec<Effect> {
        if !self.draft.stored {
            return vec![];
        }
        vec![Effect::DiscardFindingDraft {
            inspection_id: self.inspection_id.clone(),
            item_id: self.item_id.clone(),
            instance: self.slot.instance,
        }]
    }

    fn stops(&self) -> usize {
        if self.files.is_empty() { FILES } else { FILES + 1 }
    }

    pub fn focus_next(&mut self, step: i32) {
        let n = self.stops() as i32;
        self.focus = usize::try_from((self.focus as i32 + step).rem_euclid(n)).unwrap_or(0);
    }

    pub fn on_evidence(&self) -> bool {
        self.focus == EVIDENCE
    }

    pub fn on_text_area(&self) -> bool {
        matches!(self.focus, PROBLEM | REQUIREMENT)
    }

    /// The key contexts of the form where the focus is, innermost first.
    pub fn contexts(&self) -> Vec<Ctx> {
        if let Some(p) = &self.picker {
            return p.contexts();
        }
        match self.focus {
            PROBLEM | REQUIREMENT => vec![Ctx::TextArea, Ctx::Form, Ctx::Save, Ctx::Editing],
            SEVERITY => vec![Ctx::Severity, Ctx::Form, Ctx::Save, Ctx::Editing],
            EVIDENCE => vec![Ctx::EvidencePath, Ctx::Form, Ctx::Save, Ctx::Editing],
            FILES => vec![Ctx::EvidenceFiles, Ctx::Form, Ctx::Save, Ctx::Editing],
            _ => vec![Ctx::Form, Ctx::Save, Ctx::Editing],
        }
    }

    pub fn evidence_path(&self) -> Option<String> {
        let p = self.evidence.value().trim();
        (!p.is_empty()).then(|| p.to_string())
    }

    /// A file was attached: listed, counted, and the typed path cleared.
    pub fn attached(&mut self, file: &EvidenceFile) {
        self.files.push(file.clone());
        self.evidence_count += 1;
        self.evidence = Field::default();
    }

    /// A file was removed from the item.
    pub fn removed(&mut self, evidence_id: &str) {
        let before = self.files.len();
        self.files.retain(|f| f.id != evidence_id);
        if self.files.len() < before {
            self.evidence_count = self.evidence_count.saturating_sub(1);
        }
        self.file_sel = self.file_sel.min(self.files.len().saturating_sub(1));
        if self.files.is_empty() && self.focus == FILES {
            self.focus = EVIDENCE;
        }
    }

    fn cycle(&mut self, step: i32) {
        let all = Severity::ALL;
        let i = all.iter().position(|s| *s == self.severity).unwrap_or(0) as i32;
        self.severity = all[usize::try_from((i + step).rem_euclid(all.len() as i32)).unwrap_or(0)];
    }

    pub fn command(&mut self, cmd: Cmd) {
        match (cmd, self.focus) {
            (Cmd::Toggle | Cmd::Right, SEVERITY) => self.cycle(1),
            (Cmd::Left, SEVERITY) => self.cycle(-1),
            // Inside a multi-line field the arrows move between its lines; Tab changes field.
            (Cmd::Down, PROBLEM | REQUIREMENT) => self.key(&KeyEvent::from(KeyCode::Down)),
            (Cmd::Up, PROBLEM | REQUIREMENT) => self.key(&KeyEvent::from(KeyCode::Up)),
            (Cmd::Down, FILES) if self.file_sel + 1 < self.files.len() => self.file_sel += 1,
            (Cmd::Up, FILES) if self.file_sel > 0 => self.file_sel -= 1,
            (Cmd::Down, _) => self.focus_next(1),
            (Cmd::Up, _) => self.focus_next(-1),
            _ => {}
        }
    }

    /// Commands the form handles itself: the picker, the evidence field and list, severity. `None` leaves
    /// the command to the inspection screen (saving, leaving, changing field).
    pub fn own_command(&mut self, app: &mut App, cmd: Cmd) -> Option<Vec<Effect>> {
        if self.picker.is_some() {
            return Some(self.picker_command(app, cmd));
        }
        match (cmd, self.focus) {
            (Cmd::Left | Cmd::Right | Cmd::Toggle, SEVERITY) => self.command(cmd),
            (Cmd::Enter, EVIDENCE) => {
                return Some(match self.evidence_path() {
                    Some(path) => vec![self.attach(path)],
                    None => {
                        self.picker = Some(Picker::default());
                        vec![Effect::ListEvidenceFolder { folder: None }]
                    }
                });
            }
            (Cmd::Clear, FILES) => {
                let Some(file) = self.files.get(self.file_sel) else { return Some(vec![]) };
                if self.value.is_some() {
                    self.error = Some(
                        app.lang
                            .pick(
                                "已提交的检查不能移除证据（原证据保留在记录中）",
                                "a submitted inspection keeps its evidence",
                            )
                            .into(),
                    );
                    return Some(vec![]);
                }
                return Some(vec![Effect::RemoveEvidence {
                    inspection_id: self.inspection_id.clone(),
                    slot: self.slot,
                    evidence_id: file.id.clone(),
                }]);
            }
            // A finding that is complete but for the evidence its item demands is saved (the text is
            // worth keeping while the photo is found), with the warning at once rather than at submit.
            (Cmd::Save, _) if self.finding(app.lang).is_ok() => {
                if let Err(rule) = self.evidence_check() {
                    app.error(format!("{}{}", app.lang.pick("已保存。", "saved. "), rule.message(app.lang)));
                }
                return None;
            }
            (Cmd::Up | Cmd::Down, FILES) => self.command(cmd),
            (Cmd::Enter, FILES) => self.focus_next(1),
            _ => return None,
        }
        Some(vec![])
    }

    /// The evidence rule of `inspection::rules` for what is attached now.
    pub fn evidence_check(&self) -> Result<(), rules::Rule> {
        if self.evidence_required && self.evidence_count == 0 { Err(rules::Rule::NoEvidence) } else { Ok(()) }
    }

    fn attach(&self, path: String) -> Effect {
        Effect::AttachEvidence {
            inspection_id: self.inspection_id.clone(),
            slot: self.slot,
            item_id: self.item_id.clone(),
            path,
        }
    }

    fn picker_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let Some(picker) = &mut self.picker else { return vec![] };
        match picker.command(cmd) {
            picker::Outcome::Stay => vec![],
            picker::Outcome::Close => {
                self.picker = None;
                vec![]
            }
            picker::Outcome::List(folder) => vec![Effect::ListEvidenceFolder { folder: Some(folder) }],
            picker::Outcome::Attach(paths) => {
                self.picker = None;
                if paths.is_empty() {
                    app.error(app.lang.pick("没有选中文件", "no file chosen"));
                    return vec![];
                }
                paths.into_iter().map(|p| self.attach(p)).collect()
            }
        }
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        self.error = None;
        if let Some(p) = &mut self.picker {
            p.key(ev);
            return;
        }
        match self.focus {
            PROBLEM => self.problem.key(ev),
            REQUIREMENT => self.requirement.key(ev),
            SEVERITY if ev.code == KeyCode::Char(' ') => self.cycle(1),
            DEADLINE => self.deadline.key(ev),
            RESPONSIBLE => self.responsible.key(ev),
            EVIDENCE => self.evidence.key(ev),
            _ => {}
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(p) = &mut self.picker {
            p.paste(text);
            return;
        }
        match self.focus {
            PROBLEM => self.problem.paste(text),
            REQUIREMENT => self.requirement.paste(text),
            DEADLINE => self.deadline.paste(text),
            RESPONSIBLE => self.responsible.paste(text),
            EVIDENCE => self.evidence.paste(text),
            _ => {}
        }
    }

    /// The finding as filled in, or what is wrong with it (the form stays open): the save checks of
    /// `inspection::rules`, the same that submit makes.
    pub fn finding(&self, lang: Lang) -> Result<Finding, String> {
        let problem = self.problem.text().trim().to_string();
        rules::check_problem(&problem).map_err(|r| r.message(lang))?;
        let deadline = NaiveDate::parse_from_str(self.deadline.value().trim(), "%Y-%m-%d").map_err(|_| {
            lang.pick("整改期限格式应为 2026-12-31", "the deadline must look like 2026-12-31").to_string()
        })?;
        let finding = Finding {
            problem,
            severity: self.severity,
            requirement: self.requirement.text().trim().to_string(),
            deadline,
            responsible: self.responsible.value().trim().to_string(),
        };
        rules::check_deadline(deadline, self.inspected).map_err(|r| r.message(lang))?;
        Ok(finding)
    }
}

/// The failure form to reopen when a draft inspection is opened with a form draft left unsaved (the
/// console died while it was typed): the first such failed item in checklist order, with its entry.
pub fn resume_draft(opened: &Opened, entries: &[Entry], today: NaiveDate) -> Option<(usize, FindingForm)> {
    if opened.head.status != crate::store::inspections::Status::Draft || opened.sheet.drafts.is_empty() {
        return None;
    }
    let sheet = &opened.sheet;
    entries.iter().enumerate().find_map(|(i, e)| {
        let Entry::Slot(slot) = e else { return None };
        let answer = sheet.answer(*slot).filter(|a| a.outcome == crate::inspection::Outcome::Fail)?;
        sheet.drafts.get(&(sheet.item(*slot).id.clone(), slot.instance))?;
        let finding = answer
            .finding
            .clone()
            .unwrap_or_else(|| crate::inspection::record::default_finding(sheet, *slot, today));
        Some((i, FindingForm::open(opened, *slot, &finding, None)))
    })
}

/// What the inspection screen hands to the failure form: the clock (the form saves its draft once
/// typing pauses) and the results of evidence effects, applied to the sheet and to the open form.
pub fn on_action(sheet: &mut Sheet, mode: &mut Mode, app: &mut App, action: &Action) -> Vec<Effect> {
    let form = match mode {
        Mode::Finding(form) => Some(form.as_mut()),
        _ => None,
    };
    if let Action::Clock(now) = action {
        return form.and_then(|f| f.tick(*now)).into_iter().collect();
    }
    on_evidence(sheet, form, app, action);
    vec![]
}

/// The results of evidence effects, applied to the sheet and to the open form (if any). Returns whether
/// the action was one of them.
pub fn on_evidence(
    sheet: &mut Sheet,
    form: Option<&mut FindingForm>,
    app: &mut App,
    action: &Action,
) -> bool {
    match action {
        Action::EvidenceAttached { slot, file } => {
            let key = (sheet.item(*slot).id.clone(), slot.instance);
            if let Some(a) = sheet.answers.get_mut(&key) {
                a.evidence += 1;
            }
            sheet.evidence_files.entry(key).or_default().push(file.clone());
            if let Some(form) = form.filter(|f| f.slot == *slot) {
                form.attached(file);
            }
            // Several files attached at once are named in one message.
            let head = app.lang.pick("已附证据：", "evidence attached: ");
            let text = match app.message.as_ref().filter(|m| !m.error && m.text.starts_with(head)) {
                Some(m) => format!("{}{}{}", m.text, app.lang.pick("、", ", "), file.name()),
                None => format!("{head}{}", file.name()),
            };
            app.info(text);
        }
        Action::EvidenceRemoved { slot, file } => {
            let key = (sheet.item(*slot).id.clone(), slot.instance);
            if let Some(a) = sheet.answers.get_mut(&key) {
                a.evidence = a.evidence.saturating_sub(1);
            }
            if let Some(files) = sheet.evidence_files.get_mut(&key) {
                files.retain(|f| f.id != file.id);
            }
            if let Some(form) = form.filter(|f| f.slot == *slot) {
                form.removed(&file.id);
            }
            app.info(format!(
                "{}{}",
                app.lang.pick(
                    "已移除证据（文件仍保留，审计记录可查）：",
                    "evidence removed (the file and the audit log keep it): "
                ),
                file.name()
            ));
        }
        Action::EvidenceFolder { folder, files } => {
            if let Some(p) = form.and_then(|f| f.picker.as_mut()) {
                p.loaded(folder, files.clone());
            }
        }
        _ => return false,
    }
    true
}
