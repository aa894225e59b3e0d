//! The console on a real database without a terminal: prepared as the binary prepares it, driven by keys
//! through `dispatch` as the event loop does (the clock first, then the binding or the typed key), and
//! drawn on ratatui's `TestBackend`. Test files add their own steps in an `impl Console` block of theirs.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ducha::config::Settings;
use ducha::i18n::Lang;
use ducha::tui::action::Action;
use ducha::tui::app::{App, Screen};
use ducha::tui::effect::{Effect, Executor};
use ducha::tui::screens::board::Board;
use ducha::tui::screens::inspect::Inspect;
use ducha::tui::{dispatch, prepare, view};

/// The console's clock when it opens: 2026-11-29 09:30.
pub fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

/// The settings the binary would run with for `user` on `db` in `lang`, with no checklist folder and no
/// config file.
pub fn settings(db: &Path, user: &str, lang: Lang) -> Settings {
    Settings { db: db.to_path_buf(), checklists: None, lang, user: user.into(), config_file: None }
}

pub struct Console {
    pub app: App,
    pub executor: Executor,
    /// The database it runs on.
    pub db: PathBuf,
    /// The temporary folder holding the database, when the console keeps it (dropped last).
    folder: Option<tempfile::TempDir>,
}

impl Console {
    /// `user` on `db` (created and seeded if it does not exist) in `lang`, at [`now`], on the home screen.
    pub fn open(db: &Path, user: &str, lang: Lang) -> Console {
        let (mut app, mut executor) = prepare(&settings(db, user, lang)).unwrap();
        app.now = now();
        let first = executor.run(Effect::LoadHome);
        dispatch(&mut app, &mut executor, first);
        Console { app, executor, db: db.to_path_buf(), folder: None }
    }

    /// This console, keeping `folder` (the temporary folder of its database) until it is dropped.
    pub fn holding(mut self, folder: tempfile::TempDir) -> Console {
        self.folder = Some(folder);
        self
    }

    /// The folder of its database (where its evidence goes; a place for a test's files too).
    pub fn dir(&self) -> &Path {
        self.db.parent().expect("a database in a folder")
    }

    pub fn act(&mut self, action: Action) {
        dispatch(&mut self.app, &mut self.executor, action);
    }

    /// A key, as the event loop handles it: the clock (as it stands) first, then the binding or typed key.
    pub fn key(&mut self, ev: KeyEvent) {
        self.act(Action::Clock(self.app.now));
        let Some(action) = self.app.action_for(ev) else { return };
        self.act(action);
    }

    pub fn code(&mut self, code: KeyCode) {
        self.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    pub fn ctrl(&mut self, c: char) {
        self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    pub fn chars(&mut self, text: &str) {
        for c in text.chars() {
            self.code(KeyCode::Char(c));
        }
    }

    /// The frame drawn on a `w`×`h` terminal.
    pub fn screen_at(&self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|frame| view::render(&self.app, frame)).unwrap();
        terminal.backend().to_string()
    }

    /// The message line's (is it an error, text); fails when there is none.
    pub fn message(&self) -> (bool, String) {
        let m = self.app.message.clone().expect("a message");
        (m.error, m.text)
    }

    pub fn board(&self) -> &Board {
        match &self.app.screen {
            Screen::Board(b) => b,
            other => panic!("not on the board: {other:?}"),
        }
    }

    pub fn inspect(&self) -> &Inspect {
        match &self.app.screen {
            Screen::Inspect(i) => i,
            other => panic!("not on the inspection screen: {other:?}"),
        }
    }
}
