//! The rectification board: every rectification, filtered by status, domain, town, severity, overdue,
//! conflict and free text, most urgent first, read a page at a time as the cursor moves down; a detail view
//! with the finding, its basis, evidence and full history, and keys for each transition, extension and
//! note; a rectification in conflict shows its branches and a supervisor settles it (`conflict`); an
//! export form (`export`) writes what the filters select to a CSV or XLSX file, and the same form writes
//! the printable rectification notice (`notice`) of the detail's inspection as HTML.

pub mod conflict;
mod conflict_view;
mod detail_view;
pub mod export;
mod export_view;
mod nav;
pub mod notice;
mod proof;
mod proof_view;
mod view;

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use self::conflict::{SettleForm, settled_message};
use self::export::{ExportForm, exported_message};
use self::notice::notice_message;
use super::home::Home;
use crate::domain::{Domain, Severity};
use crate::places::{Named, Place};
use crate::rectification::{Status, Transition};
use crate::store::board::{BoardRow, Filter};
use crate::tui::action::{Action, Detail};
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::{Effect, FollowUp};
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx, FollowKind};

/// Status filters the `f` key cycles through.
pub const STATUS_PRESETS: [&[Status]; 7] = [
    &[Status::Open, Status::InProgress, Status::FixReported],
    &[],
    &[Status::Open],
    &[Status::InProgress],
    &[Status::FixReported],
    &[Status::Verified],
    &[Status::Withdrawn],
];

/// A text field the list's filters are typed into.
#[derive(Debug)]
pub enum Typing {
    Search(Field),
    Town(Field),
    /// A site code.
    Site(Field),
}

/// A follow-up being written in the detail view.
#[derive(Debug)]
pub struct Prompt {
    pub kind: FollowKind,
    pub note: Field,
    /// The new deadline, for an extension.
    pub date: Field,
    /// 0: the note, 1: the date (extensions only) or, when reporting or verifying a fix, the evidence
    /// path, 2: the files chosen (see `proof`).
    pub focus: usize,
    pub error: Option<String>,
    /// Proof of the fix, for a fix report or a verification: chosen, attached when the follow-up is saved.
    pub proof: proof::Chosen,
}

#[derive(Debug, Default)]
pub struct Board {
    pub status_preset: usize,
    pub domain: Option<Domain>,
    pub severity: Option<Severity>,
    pub town: String,
    pub site: String,
    pub search: String,
    pub overdue_only: bool,
    pub conflict_only: bool,
    /// Rectifications in conflict in the whole database, as of the last first page.
    pub conflicts: u64,
    pub rows: Vec<BoardRow>,
    /// How many rectifications the filters select in all, as of the last first page.
    pub total: Option<u64>,
    /// The total is being counted on its own thread (the first page is already shown).
    pub counting: bool,
    pub selected: usize,
    pub more: bool,
    loading: bool,
    /// End was pressed while the rest was being read: the cursor goes to the last row when it comes.
    to_end: bool,
    /// The first line of the detail on screen.
    pub scroll: usize,
    /// What the last drawing had room for, so paging moves by a screenful and scrolling stops at the end.
    pub(super) drawn: Cell<Drawn>,
    pub typing: Option<Typing>,
    pub detail: Option<Box<Detail>>,
    pub prompt: Option<Prompt>,
    /// The export form, over the list, or the notice form, over the detail.
    pub export: Option<ExportForm>,
    /// The form settling the detail's conflict.
    pub settle: Option<SettleForm>,
}

/// What the last drawing of the board had room for.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Drawn {
    /// Rows of the list on screen.
    pub list_rows: usize,
    /// Lines of the detail on screen, and how many it has at that width.
    pub detail_rows: usize,
    pub detail_lines: usize,
}

fn cycle<T: Copy + PartialEq>(all: &[T], current: Option<T>) -> Option<T> {
    match current.and_then(|c| all.iter().position(|x| *x == c)) {
        None => all.first().copied(),
        Some(i) if i + 1 < all.len() => Some(all[i + 1]),
        Some(_) => None,
    }
}

impl Board {
    /// The board with its default filter (everything not yet verified), asking for the first page.
    pub fn open(app: &App) -> (Board, Effect) {
        let board = Board::default();
        let effect = board.load(app);
        (board, effect)
    }

    pub fn filter(&self) -> Filter {
        let non_empty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            statuses: STATUS_PRESETS[self.status_preset].iter().map(|s| s.key().to_string()).collect(),
            domain: self.domain.map(|d| d.key().to_string()),
            town: non_empty(&self.town),
            site: non_empty(&self.site),
            severity: self.severity.map(|s| s.key().to_string()),
            overdue_only: self.overdue_only,
            conflict_only: self.conflict_only,
            text: non_empty(&self.search),
        }
    }

    fn load(&self, app: &App) -> Effect {
        Effect::LoadBoard {
            filter: self.filter(),
            after: None,
            today: app.today().format("%Y-%m-%d").to_string(),
            to_end: false,
        }
    }

    /// A filter changed: start again from the first page.
    fn reload(&mut self, app: &App) -> Vec<Effect> {
        self.selected = 0;
        self.loading = true;
        self.to_end = false;
        vec![self.load(app)]
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        if let Some(form) = &self.export {
            return form.contexts();
        }
        if let Some(form) = &self.settle {
            return form.contexts();
        }
        match (&self.typing, &self.detail, &self.prompt) {
            (Some(_), _, _) => vec![Ctx::Editing],
            (_, Some(_), Some(p)) if p.kind == FollowKind::Extend => vec![Ctx::Form, Ctx::Save, Ctx::Editing],
            (_, Some(_), Some(p)) if p.takes_files() => p.proof_contexts(),
            (_, Some(_), Some(_)) => vec![Ctx::Save, Ctx::Editing],
            (_, Some(d), None) if d.conflict.is_some() => vec![Ctx::Conflict, Ctx::Detail, Ctx::Global],
            (_, Some(_), None) => vec![Ctx::Detail, Ctx::Global],
            _ => vec![Ctx::Board, Ctx::Global],
        }
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        match action {
            Action::BoardPage { rows, append, more, conflicts, total } => {
                if let Some(n) = conflicts {
                    self.conflicts = n;
                }
                if !append {
                    self.counting = more && total.is_none();
                }
                if total.is_some() || self.counting {
                    self.total = total;
                }
                if append {
                    self.rows.extend(rows);
                } else {
                    self.rows = rows;
                }
                self.more = more;
                self.loading = false;
                if std::mem::take(&mut self.to_end) {
                    self.selected = self.rows.len();
                }
                self.selected = self.selected.min(self.rows.len().saturating_sub(1));
            }
            Action::PlaceNamed { place, named } => return (None, self.named(app, place, named)),
            Action::BoardDetail(detail) => {
                // After a follow-up the detail is shown again, refreshed; the list follows.
                let followed = self.prompt.take().is_some();
                let settled = self.settle.take().map(|f| f.branch.map_or(0, |b| b + 1));
                // A new rectification opens at its top; the same one, refreshed, stays where it was.
                if self.detail.as_ref().is_none_or(|d| d.rect.id != detail.rect.id) {
                    self.scroll = 0;
                }
                self.detail = Some(detail);
                if let Some(branch) = settled {
                    app.info(settled_message(app.lang, branch));
                    return (None, self.reload(app));
                }
                if followed {
                    app.info(app.lang.pick("已记录", "recorded"));
                    return (None, self.reload(app));
                }
            }
            Action::Exported { rows, path, overwritten } => {
                self.export = None;
                app.info(exported_message(app.lang, rows, &path, overwritten));
            }
            Action::NoticeExported { number, items, path } => {
                self.export = None;
                app.info(notice_message(app.lang, &number, items, &path));
            }
            // The count of the last first page read (the executor drops the answers for earlier ones).
            Action::BoardCounted { total } if self.counting => {
                self.counting = false;
                match total {
                    Ok(n) => self.total = Some(n),
                    Err(e) => app.error(e),
                }
            }
            Action::Tick if self.counting => return (None, vec![Effect::PollCount]),
            Action::EvidenceFolder { folder, files } => self.evidence_folder(&folder, files),
            Action::Key(ev) => self.key(&ev),
            Action::Paste(text) => self.paste(&text),
            Action::Cmd(cmd) => return self.command(app, cmd),
            Action::Failed(_) => {
                self.loading = false;
                self.counting = false;
            }
            _ => {}
        }
        (None, vec![])
    }

    fn key(&mut self, ev: &KeyEvent) {
        if let Some(form) = &mut self.export {
            form.key(ev);
            return;
        }
        if let Some(form) = &mut self.settle {
            form.key(ev);
            return;
        }
        match (&mut self.typing, &mut self.prompt) {
            (Some(Typing::Search(f) | Typing::Town(f) | Typing::Site(f)), _) => f.key(ev),
            (None, Some(p)) => {
                p.error = None;
                if p.takes_files() {
                    p.proof_key(ev);
                } else if p.focus == 0 {
                    p.note.key(ev)
                } else {
                    p.date.key(ev)
                }
            }
            _ => {}
        }
    }

    fn paste(&mut self, text: &str) {
        if let Some(form) = &mut self.export {
            form.paste(text);
            return;
        }
        if let Some(form) = &mut self.settle {
            form.paste(text);
            return;
        }
        match (&mut self.typing, &mut self.prompt) {
            (Some(Typing::Search(f) | Typing::Town(f) | Typing::Site(f)), _) => f.paste(text),
            (None, Some(p)) if p.takes_files() => p.proof_paste(text),
            (None, Some(p)) => {
                if p.focus == 0 {
                    p.note.paste(text)
                } else {
                    p.date.paste(text)
                }
            }
            _ => {}
        }
    }

    fn command(&mut self, app: &mut App, cmd: Cmd) -> Step {
        if self.typing.is_some() {
            return (None, self.typing_command(app, cmd));
        }
        if self.settle.is_some() {
            return (None, self.settle_command(app, cmd));
        }
        if self.prompt.is_some() {
            return (None, self.prompt_command(app, cmd));
        }
        if self.export.is_some() {
            return (None, self.export_command(app, cmd));
        }
        if let Some(detail) = &self.detail {
            return match cmd {
                Cmd::Back => {
                    self.detail = None;
                    (None, vec![])
                }
                Cmd::Follow(kind) if detail.conflict.is_some() && kind != FollowKind::Note => {
                    conflict::refuse_follow_up(app);
                    (None, vec![])
                }
                Cmd::Follow(kind) if let Some(why) = nav::refusal(app, detail, kind) => {
                    app.error(why);
                    (None, vec![])
                }
                Cmd::Down | Cmd::Up | Cmd::PageDown | Cmd::PageUp | Cmd::Top | Cmd::Bottom => {
                    self.scroll_detail(cmd);
                    (None, vec![])
                }
                Cmd::Settle => {
                    self.open_settle(app);
                    (None, vec![])
                }
                Cmd::Follow(kind) => {
                    self.prompt = Some(Prompt {
                        kind,
                        note: Field::default(),
                        date: Field::new(detail.rect.deadline.clone()),
                        focus: 0,
                        error: None,
                        proof: proof::Chosen::default(),
                    });
                    (None, vec![])
                }
                Cmd::Notice => {
                    self.export = Some(ExportForm::notice(app, detail));
                    (None, vec![])
                }
                _ => (None, vec![]),
            };
        }
        let effects = match cmd {
            Cmd::Back => return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]),
            Cmd::Down if !self.rows.is_empty() => {
                self.selected = (self.selected + 1).min(self.rows.len() - 1);
                self.next_page(app)
            }
            Cmd::Up => {
                self.selected = self.selected.saturating_sub(1);
                vec![]
            }
            Cmd::PageDown | Cmd::PageUp | Cmd::Top | Cmd::Bottom => self.move_list(app, cmd),
            Cmd::Enter => match self.rows.get(self.selected) {
                Some(row) => vec![Effect::LoadDetail(row.id.clone())],
                None => vec![],
            },
            Cmd::Search => {
                self.typing = Some(Typing::Search(Field::new(self.search.clone())));
                vec![]
            }
            Cmd::TownFilter => {
                self.typing = Some(Typing::Town(Field::new(self.town.clone())));
                vec![]
            }
            Cmd::SiteFilter => {
                self.typing = Some(Typing::Site(Field::new(self.site.clone())));
                vec![]
            }
            Cmd::StatusFilter => {
                self.status_preset = (self.status_preset + 1) % STATUS_PRESETS.len();
                self.reload(app)
            }
            Cmd::DomainFilter => {
                self.domain = cycle(&Domain::ALL, self.domain);
                self.reload(app)
            }
            Cmd::SeverityFilter => {
                self.severity = cycle(&Severity::ALL, self.severity);
                self.reload(app)
            }
            Cmd::OverdueOnly => {
                self.overdue_only = !self.overdue_only;
                self.reload(app)
            }
            Cmd::ConflictOnly => {
                self.conflict_only = !self.conflict_only;
                self.reload(app)
            }
            Cmd::Export => {
                self.export = Some(ExportForm::new(app));
                vec![]
            }
            _ => vec![],
        };
        (None, effects)
    }

    /// Near the end of what is loaded, the next page is read.
    fn next_page(&mut self, app: &App) -> Vec<Effect> {
        if self.more
            && !self.loading
            && self.selected + 10 >= self.rows.len()
            && let Some(last) = self.rows.last()
        {
            self.loading = true;
            let today = app.today().format("%Y-%m-%d").to_string();
            return vec![Effect::LoadBoard {
                filter: self.filter(),
                after: Some(last.cursor()),
                today,
                to_end: false,
            }];
        }
        vec![]
    }

    fn typing_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        match cmd {
            Cmd::Back => {
                self.typing = None;
                vec![]
            }
            Cmd::Enter | Cmd::Save => {
                // A town or site is looked up first: the box stays open until the registry knows it.
                let (place, typed) = match &self.typing {
                    Some(Typing::Town(f)) => (Place::Town, f.value().trim().to_string()),
                    Some(Typing::Site(f)) => (Place::Site, f.value().trim().to_string()),
                    Some(Typing::Search(f)) => {
                        self.search = f.value().to_string();
                        self.typing = None;
                        return self.reload(app);
                    }
                    None => return vec![],
                };
                if typed.is_empty() {
                    self.typing = None;
                    self.set_place(place, String::new());
                    return self.reload(app);
                }
                vec![Effect::ResolvePlace { place, typed }]
            }
            _ => vec![],
        }
    }

    fn set_place(&mut self, place: Place, value: String) {
        match place {
            Place::Town => self.town = value,
            Place::Site => self.site = value,
        }
    }

    /// The registry's answer for a town or site typed into the filter: the filter, or why not (the box
    /// stays open with what was typed).
    fn named(&mut self, app: &mut App, place: Place, named: Named) -> Vec<Effect> {
        let open = matches!(
            (&self.typing, place),
            (Some(Typing::Town(_)), Place::Town) | (Some(Typing::Site(_)), Place::Site)
        );
        if !open {
            return vec![];
        }
        if let Some(why) = named.refusal(place, app.lang) {
            app.error(why);
            return vec![];
        }
        let Named::Known(value) = named else { return vec![] };
        self.typing = None;
        self.set_place(place, value);
        self.reload(app)
    }

    fn prompt_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        if let Some(effects) = self.proof_command(app, cmd) {
            return effects;
        }
        let (Some(p), Some(detail)) = (&mut self.prompt, &self.detail) else { return vec![] };
        match cmd {
            Cmd::Back => {
                self.prompt = None;
                vec![]
            }
            Cmd::NextPane | Cmd::PrevPane if p.kind == FollowKind::Extend => {
                p.focus = 1 - p.focus;
                vec![]
            }
            Cmd::Enter | Cmd::Save => {
                let note = p.note.value().trim().to_string();
                let proof = p.proof.given(false);
                let follow_up = match p.kind {
                    FollowKind::Start => FollowUp::Transition(Transition::Start, note, proof),
                    FollowKind::ReportFix => FollowUp::Transition(Transition::ReportFix, note, proof),
                    FollowKind::Verify => FollowUp::Transition(Transition::Verify, note, proof),
                    FollowKind::Reject => FollowUp::Transition(Transition::Reject, note, proof),
                    FollowKind::Note => FollowUp::Note(note),
                    FollowKind::Extend => {
                        match NaiveDate::parse_from_str(p.date.value().trim(), "%Y-%m-%d") {
                            Ok(date) => FollowUp::Extend(date, note),
                            Err(_) => {
                                p.error = Some(
                                    app.lang
                                        .pick(
                                            "新期限格式应为 2026-12-31",
                                            "the new deadline must look like 2026-12-31",
                                        )
                                        .into(),
                                );
                                p.focus = 1;
                                return vec![];
                            }
                        }
                    }
                };
                vec![Effect::FollowUp { id: detail.rect.id.clone(), follow_up }]
            }
            _ => vec![],
        }
    }
}
