//! What the reducer reacts to: commands from keys, raw keys for a focused field, and the results of
//! effects.

use ratatui::crossterm::event::KeyEvent;

use super::keymap::Cmd;
use crate::inspection::record::Opened;
use crate::inspection::{Answer, Slot};
use crate::store::inspections::{AnswerRow, Summary};
use crate::store::sites::Site;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HomeData {
    pub drafts: Vec<Summary>,
    pub recent: Vec<Summary>,
    /// Planned inspections (双随机) not started yet.
    pub planned: Vec<crate::store::plans::Planned>,
    pub open_rectifications: i64,
    pub overdue_rectifications: i64,
}

/// One rectification with what its detail view shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub rect: crate::store::rectifications::Rectification,
    pub site_name: String,
    pub site_code: String,
    pub town: String,
    pub inspected_at: String,
    /// The failed item's prompt, from the checklist text the inspection used.
    pub prompt: String,
    pub evidence: Vec<String>,
    /// The files given as proof of the fix, each on its follow-up event.
    pub fix_evidence: Vec<crate::store::fix_evidence::FixFile>,
    pub events: Vec<crate::store::rectifications::Event>,
    /// Its branches, while it is in conflict.
    pub conflict: Option<crate::rectification::conflict::Conflict>,
    /// The console user's role when the detail was read (`None`: not registered), so an action the role
    /// does not allow is refused before anything is typed.
    pub role: Option<crate::roles::Role>,
}

#[derive(Clone, Debug)]
pub enum Action {
    Cmd(Cmd),
    /// A key no binding took, for the focused text field.
    Key(KeyEvent),
    /// Pasted text (bracketed paste), for the focused text field.
    Paste(String),
    /// The wall clock, fed in by the event loop so the reducer stays pure.
    Clock(chrono::NaiveDateTime),
    /// Another program held the database for writing beyond a short wait: the write was not run and is
    /// kept, to be run again on the next clock tick (nothing given is lost or refused).
    Busy(Box<super::effect::Effect>),
    HomeLoaded(HomeData),
    DutyLogLoaded(Vec<crate::store::duty_log::LogEntry>),
    /// A page of the board; `append` continues the list, `more` says another page may follow. With the
    /// first page, `conflicts` counts the rectifications in conflict in the whole database.
    BoardPage {
        rows: Vec<crate::store::board::BoardRow>,
        append: bool,
        more: bool,
        conflicts: Option<u64>,
        /// With the first page, how many rectifications the filter selects in all. `None` with a full
        /// first page: the count is being made on its own thread and comes as `BoardCounted`.
        total: Option<u64>,
    },
    /// The count of the board's last first page, made on its own thread, or why it failed.
    BoardCounted {
        total: Result<u64, String>,
    },
    /// A town or site typed into the board's filter, as the registry names it.
    PlaceNamed {
        place: crate::places::Place,
        named: crate::places::Named,
    },
    BoardDetail(Box<Detail>),
    WeeklyLoaded(Box<crate::report::WeeklyReport>),
    /// The site of a planned inspection, to start it.
    PlannedSite {
        site: Box<Site>,
        planned: crate::store::plans::Planned,
    },
    /// A page of the site picker's matches for `query`.
    SitesFound {
        query: String,
        page: crate::store::sites::Page,
    },
    /// The names the user last inspected with, and every registered user's name.
    NamesLoaded {
        last: Vec<String>,
        registered: Vec<String>,
    },
    /// A page of the list of all inspections for `query`.
    InspectionsLoaded {
        query: String,
        page: crate::store::listing::InspectionPage,
    },
    /// The officers of the last handover at a site, to prefill a new shift.
    LastHandover(String),
    Opened(Box<Opened>),
    /// The inspection read again because another window changed it (with what that refused, if anything).
    Reloaded {
        opened: Box<Opened>,
        refused: Option<crate::tui::screens::inspect::reload::Refused>,
    },
    /// The event loop is idle or about to handle a key: a screen may look for changes made elsewhere.
    Tick,
    Saved {
        slot: Slot,
        answer: Answer,
    },
    Cleared {
        slot: Slot,
    },
    InstancesChanged {
        section: String,
        instances: Vec<u32>,
    },
    EvidenceAttached {
        slot: Slot,
        file: crate::store::evidence::EvidenceFile,
    },
    /// An evidence file was taken off its item (the file and the audit log keep it).
    EvidenceRemoved {
        slot: Slot,
        file: crate::store::evidence::EvidenceFile,
    },
    /// The evidence picker's folder, as resolved, and its files newest first.
    EvidenceFolder {
        folder: String,
        files: Vec<super::effect::folder::PickFile>,
    },
    Submitted {
        rectifications: usize,
    },
    History {
        slot: Slot,
        rows: Vec<AnswerRow>,
    },
    /// An export was written: how many rows, the full path, and whether it replaced an existing file.
    Exported {
        rows: u64,
        path: String,
        overwritten: bool,
    },
    /// A list export runs on its own thread, to the full path shown.
    ExportStarted {
        path: String,
    },
    /// How far the running export is: rows written of the rows it selects.
    ExportProgress {
        done: u64,
        total: u64,
    },
    /// The running export stopped on Esc: no file was written, an earlier one is as it was.
    ExportCancelled,
    /// A rectification notice was written: its number, how many rectifications it lists, the full path.
    NoticeExported {
        number: String,
        items: usize,
        path: String,
    },
    /// The bureau's settings, the users and the console user's role, for the settings screen.
    SettingsLoaded(Box<crate::tui::screens::settings::SettingsData>),
    /// A setting was saved (`changed`: it differed from the stored value); `value` is now in force.
    SettingSaved {
        key: crate::bureau::Key,
        changed: bool,
        value: String,
    },
    /// Saving a setting was refused (the role, the value, the database), in the user's language.
    SettingRefused(String),
    /// An inspection record was written: its number, the full path, and whether the bureau's name is set.
    RecordExported {
        number: String,
        path: String,
        named: bool,
    },
    /// An effect succeeded with nothing to report.
    Done,
    /// An effect failed; the message is shown and typed input stays on screen.
    Failed(String),
}
