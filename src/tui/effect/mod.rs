//! Effects the reducer asks for, and the executor: the only part of the console that touches the store.

use std::path::{Path, PathBuf};

use chrono::Local;

mod board;
mod count;
mod export;
pub mod folder;
mod forms;
mod print;
mod reload;
mod settings;

pub use board::FollowUp;
pub use export::{default_export_dir, resolve_path};

use super::action::{Action, HomeData};
use crate::checklist::{Item, Loaded};
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::inspection::record::{self, Given};
use crate::inspection::{Finding, Slot, Value};
use crate::store::inspections::{self, Status};
use crate::store::sites;
use crate::store::{Store, evidence, plans};
use crate::tui::screens::inspect::reload::Refused;

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    LoadHome,
    LoadBoard {
        filter: crate::store::board::Filter,
        after: Option<crate::store::board::Cursor>,
        today: String,
        /// Everything after `after` (up to a cap), for the End key; else one page.
        to_end: bool,
    },
    LoadDetail(String),
    /// A town or site typed into the board's filter, resolved against the registry.
    ResolvePlace {
        place: crate::places::Place,
        typed: String,
    },
    LoadWeekly {
        week: crate::report::IsoWeek,
        today: chrono::NaiveDate,
    },
    FollowUp {
        id: String,
        follow_up: FollowUp,
    },
    /// Writes the rectification list or the findings, filtered as the board is, to a file. `path` is as
    /// typed (`~/` and relative paths are resolved by the executor); its extension picks CSV or XLSX.
    Export {
        kind: crate::export::Kind,
        filter: crate::store::board::Filter,
        path: String,
        masking: crate::export::Masking,
        today: chrono::NaiveDate,
    },
    /// Writes the printable rectification notice (整改通知书) of an inspection as HTML, issuing its number on
    /// the first export. `path` is as typed, like an export's.
    ExportNotice {
        inspection_id: String,
        path: String,
        masking: crate::export::Masking,
    },
    /// Writes the printable record (现场检查记录 / 值班记录) of a submitted inspection as HTML to `path` (a full
    /// path), issuing its number on the first export.
    ExportRecord {
        inspection_id: String,
        path: String,
        masking: crate::export::Masking,
    },
    /// Asks how the export running on its thread is doing (its result when it has finished).
    PollExport,
    /// Stops the running export (Esc); the next poll reports it cancelled.
    CancelExport,
    /// Asks whether the board's count, made on its own thread, has come.
    PollCount,
    /// The first page of a kind's sites for the picker (computing missing pinyin initials first).
    LoadSites(Domain),
    /// A page of the picker's matches of `query` among the sites of `kind`, from `offset`.
    FindSites {
        kind: Domain,
        query: String,
        offset: usize,
    },
    /// The names the user last inspected with, and the registered users (to flag other names).
    LoadNames,
    /// A page of the list of all inspections matching `query`.
    LoadInspections {
        query: String,
        offset: usize,
        limit: usize,
    },
    LoadDutyLog,
    LastHandover {
        checklist_id: String,
        site_id: String,
    },
    Start {
        checklist_id: String,
        /// The hash of the checklist text picked (see [`crate::tui::app::ChecklistInfo::hash`]).
        hash: String,
        site_id: String,
        inspectors: Vec<String>,
        /// The planned inspection (plan id, position) this starts, if any.
        plan: Option<(String, u32)>,
    },
    /// Opens the new-inspection flow for a planned inspection.
    StartPlanned(crate::store::plans::Planned),
    Open(String),
    /// Saves an answer; with a reason, as an amendment of a submitted inspection.
    Answer {
        inspection_id: String,
        slot: Slot,
        item: Box<Item>,
        value: Value,
        note: String,
        finding: Option<Finding>,
        reason: Option<String>,
        /// The stamp of the answer the console showed (`None`: none); a draft's save is refused when the
        /// stored answer has changed since (another window).
        seen: Option<String>,
    },
    Clear {
        inspection_id: String,
        slot: Slot,
        item_id: String,
        seen: Option<String>,
    },
    /// Reloads the inspection if another process has written since `seen` (its `data_version`).
    Watch {
        inspection_id: String,
        seen: i64,
    },
    AddInstance {
        inspection_id: String,
        section_id: String,
    },
    RemoveInstance {
        inspection_id: String,
        section_id: String,
        instance: u32,
    },
    Resume {
        inspection_id: String,
        at: String,
    },
    AttachEvidence {
        inspection_id: String,
        slot: Slot,
        item_id: String,
        path: String,
    },
    Submit {
        inspection_id: String,
        inspectors: Vec<String>,
        representative: String,
        /// The answers the user reviewed: refused when the stored ones differ (another window).
        seen: record::Stamps,
    },
    /// Keeps the failure form's fields as typed (a crash then loses nothing).
    SaveFindingDraft {
        inspection_id: String,
        item_id: String,
        instance: u32,
        draft: crate::inspection::draft::FindingDraft,
    },
    /// Drops the failure form's draft (the form was cancelled).
    DiscardFindingDraft {
        inspection_id: String,
        item_id: String,
        instance: u32,
    },
    /// Lists a folder for the evidence picker (`None`: the user's remembered folder, else Pictures);
    /// a folder that lists is remembered for the user.
    ListEvidenceFolder {
        folder: Option<String>,
    },
    /// Takes an evidence file off its item (see `store::evidence::detach`).
    RemoveEvidence {
        inspection_id: String,
        slot: Slot,
        evidence_id: String,
    },
    History {
        inspection_id: String,
        slot: Slot,
        item_id: String,
    },
    /// The bureau's settings, the users and the console user's role, for the settings screen.
    LoadSettings,
    /// Changes a bureau setting through [`crate::bureau::set`] (role check, validation, audit).
    SetSetting {
        key: crate::bureau::Key,
        value: String,
    },
}

/// What the console says while its database is read-only, and when an edit is refused for that reason.
pub fn read_only_note(lang: Lang) -> String {
    lang.pick(
        "只读：数据库所在位置不可写（如光盘、写保护的U盘），可浏览和导出，不能作答或修改",
        "read-only: the database's location cannot be written (a CD?); browse and export only",
    )
    .to_string()
}

impl Effect {
    /// Whether the effect changes the database (refused, with [`read_only_note`], on a read-only one).
    /// An export's audit entry is not counted: the export itself still works and says it went unrecorded.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Effect::FollowUp { .. }
                | Effect::ExportNotice { .. }
                | Effect::ExportRecord { .. }
                | Effect::Start { .. }
                | Effect::Answer { .. }
                | Effect::Clear { .. }
                | Effect::AddInstance { .. }
                | Effect::RemoveInstance { .. }
                | Effect::Resume { .. }
                | Effect::AttachEvidence { .. }
                | Effect::RemoveEvidence { .. }
                | Effect::SaveFindingDraft { .. }
                | Effect::DiscardFindingDraft { .. }
                | Effect::Submit { .. }
                | Effect::SetSetting { .. }
        )
    }

    /// Whether the effect may take seconds (an export of a large database): the console draws its frame,
    /// with the message the reducer left, before running it.
    pub fn is_slow(&self) -> bool {
        matches!(self, Effect::Export { .. } | Effect::ExportNotice { .. } | Effect::ExportRecord { .. })
    }
}

pub struct Executor {
    pub store: Store,
    pub checklists: Vec<Loaded>,
    pub user: String,
    pub lang: Lang,
    /// The list export running on its own thread, if any.
    job: Option<export::ExportJob>,
    /// The board's counting thread.
    counter: count::Side,
}

impl Executor {
    pub fn new(store: Store, checklists: Vec<Loaded>, user: String, lang: Lang) -> Executor {
        Executor { store, checklists, user, lang, job: None, counter: count::Side::NotYet }
    }

    fn evidence_dir(&self) -> PathBuf {
        self.store.evidence_root()
    }

    fn fail(&self, e: impl std::fmt::Display) -> Action {
        Action::Failed(format!("{}{e}", self.lang.pick("出错：", "error: ")))
    }

    fn record_fail(&self, e: &record::RecordError) -> Action {
        Action::Failed(e.message(self.lang))
    }

    pub fn run(&mut self, effect: Effect) -> Action {
        if self.store.is_read_only() && effect.writes() {
            // Where the inspection resumes is a convenience, not an edit: nothing to refuse.
            if matches!(effect, Effect::Resume { .. }) {
                return Action::Done;
            }
            return Action::Failed(read_only_note(self.lang));
        }
        // A long write by another program (a big registry import) must not make an answer fail: the
        // effect goes back to the reducer, which keeps it and runs it again until the database is free.
        if effect.writes() && matches!(self.store.can_write_now(), Ok(false)) {
            return Action::Busy(Box::new(effect));
        }
        match effect {
            Effect::LoadBoard { filter, after, today, to_end } => {
                self.board_page(&filter, after.as_ref(), &today, to_end)
            }
            Effect::ResolvePlace { place, typed } => self.resolve_place(place, &typed),
            Effect::LoadDetail(id) => self.board_detail(&id),
            Effect::LoadWeekly { week, today } => {
                match crate::report::weekly_report(self.store.conn(), week, today) {
                    Ok(report) => Action::WeeklyLoaded(Box::new(report)),
                    Err(e) => self.fail(e),
                }
            }
            Effect::FollowUp { id, follow_up } => self.follow_up(&id, follow_up),
            Effect::Export { kind, filter, path, masking, today } => {
                self.export(kind, filter, &path, masking, today)
            }
            Effect::ExportNotice { inspection_id, path, masking } => {
                self.export_notice(&inspection_id, &path, masking)
            }
            Effect::ExportRecord { inspection_id, path, masking } => {
                self.export_record(&inspection_id, &path, masking)
            }
            Effect::PollExport => self.poll_export(),
            Effect::CancelExport => self.cancel_export(),
            Effect::PollCount => self.poll_count(),
            Effect::LoadHome => match self.home() {
                Ok(data) => Action::HomeLoaded(data),
                Err(e) => self.fail(e),
            },
            Effect::LoadDutyLog => match self.duty_log() {
                Ok(entries) => Action::DutyLogLoaded(entries),
                Err(e) => self.fail(e),
            },
            Effect::LoadSites(kind) => {
                // Sites copied in by a merge (or renamed) get their pinyin initials before the first search.
                // (A read-only database is searched as it is: by name and code.)
                match sites::initials_missing(self.store.conn()) {
                    Ok(true) if !self.store.is_read_only() => {
                        if let Err(e) = self.store.write(|tx| sites::fill_initials(tx)) {
                            return self.fail(e);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => return self.fail(e),
                }
                self.run(Effect::FindSites { kind, query: String::new(), offset: 0 })
            }
            Effect::FindSites { kind, query, offset } => {
                let limit = crate::tui::screens::new_inspection::SITE_PAGE;
                match sites::find(self.store.conn(), kind, &query, offset, limit) {
                    Ok(page) => Action::SitesFound { query, page },
                    Err(e) => self.fail(e),
                }
            }
            Effect::LoadNames => {
                let conn = self.store.conn();
                let found = crate::store::listing::last_inspectors(conn, &self.user).and_then(|last| {
                    let registered = crate::store::users::list(conn)?.into_iter().map(|u| u.name).collect();
                    Ok((last, registered))
                });
                match found {
                    Ok((last, registered)) => Action::NamesLoaded { last, registered },
                    Err(e) => self.fail(e),
                }
            }
            Effect::LoadInspections { query, offset, limit } => {
                match crate::store::listing::page(self.store.conn(), &query, offset, limit) {
                    Ok(page) => Action::InspectionsLoaded { query, page },
                    Err(e) => self.fail(e),
                }
            }
            Effect::LastHandover { checklist_id, site_id } => {
                match self.last_handover(&checklist_id, &site_id) {
                    Ok(names) => Action::LastHandover(names),
                    Err(e) => self.fail(e),
                }
            }
            Effect::StartPlanned(planned) => match sites::by_id(self.store.conn(), &planned.site_id) {
                Ok(Some(site)) => Action::PlannedSite { site: Box::new(site), planned },
                Ok(None) => self.fail(planned.site_id),
                Err(e) => self.fail(e),
            },
            Effect::Start { checklist_id, hash, site_id, inspectors, plan } => {
                let Some(loaded) = self.checklists.iter().find(|l| l.hash == hash).cloned() else {
                    return self.fail(checklist_id);
                };
                let site = match sites::by_id(self.store.conn(), &site_id) {
                    Ok(Some(s)) => s,
                    Ok(None) => return self.fail(site_id),
                    Err(e) => return self.fail(e),
                };
                match record::start(&mut self.store, &self.user, &loaded, &site, &inspectors) {
                    Ok(id) => {
                        if let Some((plan_id, position)) = plan {
                            let user = self.user.clone();
                            if let Err(e) =
                                self.store.write(|tx| plans::link(tx, &user, &plan_id, position, &id))
                            {
                                return self.fail(e);
                            }
                        }
                        self.open(&id)
                    }
                    Err(e) => self.record_fail(&e),
                }
            }
            Effect::Open(id) => self.open(&id),
            Effect::Answer { inspection_id, slot, item, value, note, finding, reason, seen } => {
                let attempted = value.clone();
                let given = Given {
                    item: &item,
                    instance: slot.instance,
                    value,
                    note: &note,
                    finding: finding.as_ref(),
                };
                let saved = match &reason {
                    Some(reason) => record::amend(&mut self.store, &self.user, &inspection_id, given, reason),
                    None => record::answer_seen(
                        &mut self.store,
                        &self.user,
                        &inspection_id,
                        given,
                        seen.as_deref(),
                    ),
                };
                match saved {
                    Ok(answer) => {
                        if reason.is_none() {
                            // Remembered so the draft resumes here; losing it only costs the position.
                            let at = format!("{}#{}", item.id, slot.instance);
                            let _ = self.store.write(|tx| inspections::set_resume(tx, &inspection_id, &at));
                        }
                        Action::Saved { slot, answer }
                    }
                    Err(e) if e.is_changed() => self
                        .reload(&inspection_id, Some(Refused::Answer { slot, attempted: Some(attempted) })),
                    Err(e) => self.record_fail(&e),
                }
            }
            Effect::Clear { inspection_id, slot, item_id, seen } => {
                let user = &self.user;
                match record::clear_seen(
                    &mut self.store,
                    user,
                    &inspection_id,
                    &item_id,
                    slot.instance,
                    seen.as_deref(),
                ) {
                    Ok(()) => Action::Cleared { slot },
                    Err(e) if e.is_changed() => {
                        self.reload(&inspection_id, Some(Refused::Answer { slot, attempted: None }))
                    }
                    Err(e) => self.record_fail(&e),
                }
            }
            Effect::AddInstance { inspection_id, section_id } => {
                let user = self.user.clone();
                let r =
                    self.store.write(|tx| inspections::add_instance(tx, &user, &inspection_id, &section_id));
                self.instances_changed(r.map(|_| ()), &inspection_id, section_id)
            }
            Effect::RemoveInstance { inspection_id, section_id, instance } => {
                let user = self.user.clone();
                let r = self.store.write(|tx| {
                    inspections::remove_instance(tx, &user, &inspection_id, &section_id, instance)
                });
                self.instances_changed(r, &inspection_id, section_id)
            }
            Effect::Resume { inspection_id, at } => {
                match self.store.write(|tx| inspections::set_resume(tx, &inspection_id, &at)) {
                    Ok(()) => Action::Done,
                    Err(e) => self.fail(e),
                }
            }
            Effect::AttachEvidence { inspection_id, slot, item_id, path } => {
                let dir = self.evidence_dir().join(&inspection_id);
                let user = self.user.clone();
                let r = self.store.write(|tx| {
                    evidence::attach_file(
                        tx,
                        &user,
                        &inspection_id,
                        &item_id,
                        slot.instance,
                        Path::new(path.trim()),
                        &dir,
                    )
                });
                match r {
                    Ok(file) => Action::EvidenceAttached { slot, file },
                    Err(e) => self.fail(e),
                }
            }
            Effect::SaveFindingDraft { inspection_id, item_id, instance, draft } => {
                self.save_draft(&inspection_id, &item_id, instance, &draft)
            }
            Effect::DiscardFindingDraft { inspection_id, item_id, instance } => {
                self.discard_draft(&inspection_id, &item_id, instance)
            }
            Effect::ListEvidenceFolder { folder } => self.list_folder(folder.as_deref()),
            Effect::RemoveEvidence { inspection_id, slot, evidence_id } => {
                self.remove_evidence(&inspection_id, slot, &evidence_id)
            }
            Effect::Watch { inspection_id, seen } => self.watch(&inspection_id, seen),
            Effect::Submit { inspection_id, inspectors, representative, seen } => {
                let opened = match record::open(&self.store, &inspection_id) {
                    Ok(o) => o,
                    Err(e) => return self.record_fail(&e),
                };
                let user = &self.user;
                match record::submit_seen(
                    &mut self.store,
                    user,
                    &opened,
                    &inspectors,
                    &representative,
                    Some(&seen),
                ) {
                    Ok(ids) => Action::Submitted { rectifications: ids.len() },
                    Err(e) if e.is_changed() => self.reload(&inspection_id, Some(Refused::Submit)),
                    Err(e) => self.record_fail(&e),
                }
            }
            Effect::LoadSettings => self.load_settings(),
            Effect::SetSetting { key, value } => self.set_setting(key, &value),
            Effect::History { inspection_id, slot, item_id } => {
                match inspections::history(self.store.conn(), &inspection_id, &item_id, slot.instance) {
                    Ok(rows) => Action::History { slot, rows },
                    Err(e) => self.fail(e),
                }
            }
        }
    }

    fn open(&mut self, id: &str) -> Action {
        match record::open(&self.store, id) {
            Ok(opened) => Action::Opened(Box::new(opened)),
            Err(e) => self.record_fail(&e),
        }
    }

    fn instances_changed(&self, r: crate::store::Result<()>, inspection_id: &str, section: String) -> Action {
        if let Err(e) = r {
            return self.fail(e);
        }
        match inspections::instances(self.store.conn(), inspection_id) {
            Ok(all) => Action::InstancesChanged {
                instances: all.into_iter().filter(|(s, _)| *s == section).map(|(_, i)| i).collect(),
                section,
            },
            Err(e) => self.fail(e),
        }
    }

    fn home(&self) -> crate::store::Result<HomeData> {
        let conn = self.store.conn();
        let today = Local::now().date_naive().format("%Y-%m-%d").to_string();
        let (open, overdue) = crate::store::rectifications::open_counts(conn, &today)?;
        Ok(HomeData {
            drafts: inspections::list(conn, Status::Draft, 50)?,
            recent: inspections::list(conn, Status::Submitted, 20)?,
            planned: plans::open_items(conn, 50)?,
            open_rectifications: open,
            overdue_rectifications: overdue,
        })
    }

    /// The shifts of every duty-log checklist, newest first.
    fn duty_log(&self) -> crate::store::Result<Vec<crate::store::duty_log::LogEntry>> {
        let mut all = Vec::new();
        for l in &self.checklists {
            let Some(log) = &l.checklist.log else { continue };
            all.extend(crate::store::duty_log::log_entries(
                self.store.conn(),
                &log_items(&l.checklist.id, log),
                500,
            )?);
        }
        all.dedup_by(|a, b| a.inspection_id == b.inspection_id);
        Ok(all)
    }

    /// The incoming officers signed at the last submitted shift of this log at this site.
    fn last_handover(&self, checklist_id: &str, site_id: &str) -> crate::store::Result<String> {
        // The latest version's log items, as the picker offers only the latest version.
        let latest = self.checklists.iter().filter(|l| l.checklist.id == checklist_id);
        let Some(loaded) = latest.max_by_key(|l| l.checklist.version) else {
            return Ok(String::new());
        };
        let Some(log) = &loaded.checklist.log else {
            return Ok(String::new());
        };
        crate::store::duty_log::last_handover(
            self.store.conn(),
            site_id,
            &log_items(&loaded.checklist.id, log),
        )
    }
}

fn log_items<'a>(
    checklist_id: &'a str,
    log: &'a crate::checklist::LogSpec,
) -> crate::store::duty_log::LogItems<'a> {
    crate::store::duty_log::LogItems {
        checklist_id,
        shift_start: &log.shift_start,
        shift_end: &log.shift_end,
        officers: &log.officers,
        handover: &log.handover,
    }
}
