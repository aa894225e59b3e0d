//! The console's state and its top-level reducer. Screens own their state and reducers; this routes
//! actions to the screen on top and handles what is global (help, quit, messages).

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};

use super::action::Action;
use super::effect::Effect;
use super::keymap::{Cmd, Ctx};
use super::screens::board::Board;
use super::screens::duty_log::DutyLog;
use super::screens::home::Home;
use super::screens::inspect::Inspect;
use super::screens::new_inspection::NewInspection;
use super::screens::weekly::Weekly;
use crate::checklist::{Loaded, Mode};
use crate::domain::Domain;
use crate::i18n::Lang;

/// What the console knows of a checklist it can start.
#[derive(Clone, Debug, PartialEq)]
pub struct ChecklistInfo {
    pub id: String,
    pub version: u32,
    /// The SHA-256 of the checklist's text: what a new inspection is started with, so the version picked is
    /// the version recorded (the id alone would find any version loaded).
    pub hash: String,
    pub title: String,
    pub domain: Domain,
    pub site_kinds: Vec<Domain>,
    pub min_inspectors: u8,
    pub mode: Mode,
    /// For duty logs: the item that records the officers on duty.
    pub officers_item: Option<String>,
}

impl From<&Loaded> for ChecklistInfo {
    fn from(l: &Loaded) -> Self {
        let c = &l.checklist;
        ChecklistInfo {
            id: c.id.clone(),
            version: c.version,
            hash: l.hash.clone(),
            title: c.title.clone(),
            domain: c.domain,
            site_kinds: c.site_kinds.clone(),
            min_inspectors: c.min_inspectors,
            mode: c.mode,
            officers_item: c.log.as_ref().map(|l| l.officers.clone()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

#[derive(Debug)]
pub enum Screen {
    Home(Home),
    New(Box<NewInspection>),
    Inspect(Box<Inspect>),
    DutyLog(DutyLog),
    Board(Box<Board>),
    Weekly(Box<Weekly>),
    Inspections(Box<crate::tui::screens::inspections::Inspections>),
    Settings(Box<crate::tui::screens::settings::Settings>),
}

#[derive(Debug)]
pub struct App {
    pub lang: Lang,
    pub user: String,
    pub now: NaiveDateTime,
    pub checklists: Vec<ChecklistInfo>,
    pub screen: Screen,
    pub help: bool,
    pub message: Option<Message>,
    pub quit: bool,
    /// Where exports go unless the user types another path (set by `prepare`: the documents directory,
    /// else home, else the current directory).
    pub export_dir: PathBuf,
    /// Set when the database is opened read-only (read-only media): why answering is off, shown on the
    /// message line whenever no other message is.
    pub read_only: Option<String>,
    /// Writes that met another program's write lock, oldest first, run again on each clock tick; while
    /// any wait, later writes queue behind them so they are saved in the order given.
    pub retry: std::collections::VecDeque<Effect>,
    /// The list export running on its own thread: rows written of the rows selected. While it runs the
    /// console keeps drawing; Esc cancels it and other keys wait.
    pub exporting: Option<(u64, u64)>,
}

impl App {
    pub fn new(lang: Lang, user: String, now: NaiveDateTime, checklists: Vec<ChecklistInfo>) -> Self {
        App {
            lang,
            user,
            now,
            checklists,
            screen: Screen::Home(Home::default()),
            help: false,
            message: None,
            quit: false,
            export_dir: PathBuf::new(),
            read_only: None,
            retry: std::collections::VecDeque::new(),
            exporting: None,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message { text: text.into(), error: false });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message { text: text.into(), error: true });
    }

    /// The key contexts in force, innermost first.
    pub fn contexts(&self) -> Vec<Ctx> {
        if self.help {
            return vec![Ctx::Help];
        }
        match &self.screen {
            Screen::Home(_) => vec![Ctx::Home, Ctx::Global],
            Screen::New(n) => n.contexts(),
            Screen::Inspect(i) => i.contexts(),
            Screen::DutyLog(_) => vec![Ctx::DutyLog, Ctx::Global],
            Screen::Board(b) => b.contexts(),
            Screen::Weekly(_) => vec![Ctx::Weekly, Ctx::Global],
            Screen::Inspections(l) => l.contexts(),
            Screen::Settings(s) => s.contexts(),
        }
    }

    /// Whether `cmd` does something in the current state, for the footer (see `keymap::footer_where`);
    /// screens without a predicate say yes to every binding of their contexts.
    pub fn applies(&self, cmd: Cmd) -> bool {
        match &self.screen {
            Screen::Board(b) => b.applies(self, cmd),
            Screen::Settings(s) => s.applies(cmd),
            _ => true,
        }
    }

    /// What the footer and help need to know about the state beyond the contexts.
    pub fn facts(&self) -> crate::tui::keymap::Facts {
        crate::tui::keymap::Facts {
            root: matches!(self.screen, Screen::Home(_)),
            read_only: matches!(&self.screen, Screen::Inspect(i) if i.read_only()),
            representative: matches!(&self.screen, Screen::Inspect(i) if i.asks_representative()),
            multiline: matches!(&self.screen, Screen::Inspect(i) if i.editing_multiline()),
        }
    }

    /// What a key press means here: its command in the current contexts, else the key itself when a text
    /// field has the keyboard, else nothing. The event loop and every test harness go through this.
    pub fn action_for(&self, key: ratatui::crossterm::event::KeyEvent) -> Option<Action> {
        match crate::tui::keymap::resolve(&self.contexts(), &key) {
            Some(cmd) => Some(Action::Cmd(cmd)),
            None if self.editing() => Some(Action::Key(key)),
            None => None,
        }
    }

    /// Whether a text field has the keyboard (then unbound keys are typed into it).
    pub fn editing(&self) -> bool {
        self.contexts().contains(&Ctx::Editing)
    }

    /// Whether the board waits for its count from the counting thread (the event loop then polls for it
    /// often, and [`crate::tui::dispatch`] waits for it).
    pub fn counting(&self) -> bool {
        matches!(&self.screen, Screen::Board(board) if board.counting)
    }
}

/// What the console says while a write waits for another program to finish writing.
pub fn busy_note(lang: Lang) -> &'static str {
    lang.pick(
        "数据库正被其他程序写入，正在重试…（已填写的内容不会丢失）",
        "database busy: another program is writing; retrying… (nothing given is lost)",
    )
}

/// The reducer: applies an action to the state and returns the effects to run. No I/O here.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let Action::Clock(now) = &action
        && let Some(effect) = app.retry.pop_front()
    {
        // One waiting write is tried again per tick; if the database is still busy it comes back.
        app.now = *now;
        return vec![effect];
    }
    if let Some(effects) = exporting(app, &action) {
        return effects;
    }
    let busy = app.message.as_ref().is_some_and(|m| m.text == busy_note(app.lang));
    if busy && app.retry.is_empty() && !matches!(action, Action::Busy(_) | Action::Clock(_)) {
        // The last waiting write went through: its result is here.
        app.message = None;
    }
    let effects = update_inner(app, action);
    hold_writes(app, effects)
}

/// The running export's share of the reducer: its progress line, Esc to cancel, its end. `None` when the
/// action is not for it (the export's result then goes on to the board, which shows it).
fn exporting(app: &mut App, action: &Action) -> Option<Vec<Effect>> {
    let lang = app.lang;
    match action {
        Action::ExportStarted { .. } => {
            app.exporting = Some((0, 0));
            app.info(export_progress(lang, 0, 0));
            Some(vec![])
        }
        Action::ExportProgress { done, total } => {
            app.exporting = Some((*done, *total));
            app.info(export_progress(lang, *done, *total));
            Some(vec![])
        }
        Action::ExportCancelled => {
            app.exporting = None;
            app.info(lang.pick(
                "已取消导出：未写出文件，原有文件未改动",
                "export cancelled: no file was written; an earlier file is as it was",
            ));
            Some(vec![])
        }
        Action::Exported { .. } | Action::Failed(_) => {
            app.exporting = None;
            None
        }
        _ if app.exporting.is_none() => None,
        Action::Clock(now) => {
            app.now = *now;
            Some(vec![Effect::PollExport])
        }
        Action::Cmd(Cmd::Back) => {
            app.info(lang.pick("正在取消导出…", "cancelling the export…"));
            Some(vec![Effect::CancelExport])
        }
        Action::Cmd(Cmd::ForceQuit) => None,
        // Anything else waits for the export to end (the progress line says Esc cancels).
        Action::Cmd(_) | Action::Key(_) | Action::Paste(_) => Some(vec![]),
        _ => None,
    }
}

/// The progress line of a running export.
pub fn export_progress(lang: Lang, done: u64, total: u64) -> String {
    match lang {
        Lang::Zh => format!("正在导出 {done}/{total} 行…（Esc 取消）"),
        Lang::En => format!("exporting {done}/{total} rows… (Esc cancels)"),
    }
}

/// Writes keep their order: while one waits for the database, later ones wait behind it (the rest run).
pub fn hold_writes(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    if app.retry.is_empty() {
        return effects;
    }
    let (writes, rest): (Vec<Effect>, Vec<Effect>) = effects.into_iter().partition(Effect::writes);
    app.retry.extend(writes);
    rest
}

fn update_inner(app: &mut App, action: Action) -> Vec<Effect> {
    match &action {
        Action::Busy(effect) => {
            app.retry.push_front((**effect).clone());
            app.error(busy_note(app.lang));
            return vec![];
        }
        Action::Clock(now) => {
            app.now = *now;
            // The item screen may have a typed option number waiting for its pause to end.
            if app.help || !matches!(app.screen, Screen::Inspect(_)) {
                return vec![];
            }
        }
        Action::Done => return vec![],
        Action::RecordExported { number, path, named } => {
            app.info(crate::tui::screens::record::message(app.lang, number, path, *named));
            return vec![];
        }
        Action::Failed(text) => {
            // The screen keeps whatever was typed; the message says what went wrong.
            app.error(text.clone());
            return screen_update(app, action);
        }
        Action::Cmd(Cmd::ForceQuit) => {
            app.quit = true;
            return vec![];
        }
        Action::Cmd(Cmd::Help) => {
            // `?` reaches here only outside text fields (inside, it is typed); F1 works everywhere.
            app.help = !app.help;
            return vec![];
        }
        Action::Cmd(Cmd::Back) if app.help => {
            app.help = false;
            return vec![];
        }
        _ if app.help => return vec![],
        Action::Cmd(Cmd::Quit) if !app.editing() => {
            app.quit = true;
            return vec![];
        }
        Action::Cmd(_) | Action::Key(_) | Action::Paste(_) => app.message = None,
        _ => {}
    }
    screen_update(app, action)
}

fn screen_update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut screen = std::mem::replace(&mut app.screen, Screen::Home(Home::default()));
    let (next, effects) = match &mut screen {
        Screen::Home(home) => home.update(app, action),
        Screen::New(new) => new.update(app, action),
        Screen::Inspect(inspect) => inspect.update(app, action),
        Screen::DutyLog(log) => log.update(app, action),
        Screen::Board(board) => board.update(app, action),
        Screen::Weekly(weekly) => weekly.update(app, action),
        Screen::Inspections(list) => list.update(app, action),
        Screen::Settings(settings) => settings.update(app, action),
    };
    app.screen = next.unwrap_or(screen);
    effects
}

/// What a screen's reducer may ask for besides effects: a screen to switch to.
pub type Step = (Option<Screen>, Vec<Effect>);
