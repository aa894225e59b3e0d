//! The board's exports: the rectification list or the findings, filtered as the board is, written to a CSV
//! or XLSX file, and the printable rectification notice of one inspection as HTML. Unmasked exports are
//! refused unless the user is a supervisor or an admin.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use chrono::NaiveDate;

use super::Executor;
use crate::export::{
    self, Cancel, ExportError, ExportFilter, Kind, Masking, Options, Output, Summary, notice,
};
use crate::store::Store;
use crate::store::board::Filter;
use crate::tui::action::Action;

/// A list export running on a thread of its own with a read connection of its own, so the console keeps
/// drawing (and answers Esc) while a large export is written.
pub(super) struct ExportJob {
    cancel: Arc<Cancel>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    result: mpsc::Receiver<export::Result<Summary>>,
    thread: Option<std::thread::JoinHandle<()>>,
    kind: Kind,
    filter: ExportFilter,
    opts: Options,
    path: PathBuf,
    overwritten: bool,
}

impl Drop for ExportJob {
    /// Leaving with an export running (Ctrl-C, a signal) cancels it and waits for its thread, so its
    /// temporary file is removed rather than left behind.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Where exports go by default: the documents directory when there is one, else home, else the current
/// directory.
pub fn default_export_dir() -> PathBuf {
    let user = directories::UserDirs::new();
    let documents = user.as_ref().and_then(|u| u.document_dir()).filter(|d| d.is_dir());
    let home = user.as_ref().map(directories::UserDirs::home_dir).filter(|d| d.is_dir());
    match documents.or(home) {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    }
}

/// The file a typed path names: `~` and `~/…` start at `home`, relative paths at `cwd`; `.` parts are
/// dropped so the path shown to the user reads cleanly.
pub fn resolve_path(typed: &str, home: Option<&Path>, cwd: &Path) -> PathBuf {
    let typed = typed.trim();
    let path = match (typed.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(typed),
    };
    let path = if path.is_absolute() { path } else { cwd.join(path) };
    path.components().filter(|c| *c != Component::CurDir).collect()
}

/// A typed path resolved against the user's home and the current directory.
fn resolve_typed(typed: &str) -> PathBuf {
    let home = directories::UserDirs::new().map(|u| u.home_dir().to_path_buf());
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    resolve_path(typed, home.as_deref(), &cwd)
}

impl Executor {
    pub(super) fn export(
        &mut self,
        kind: Kind,
        filter: Filter,
        typed: &str,
        masking: Masking,
        today: NaiveDate,
    ) -> Action {
        let path = resolve_typed(typed);
        let shown = path.display().to_string();
        let filter = ExportFilter { board: filter, from: None, to: None };
        if masking == Masking::Unmasked
            && let Err(refused) = export::authorize_unmasked(
                &mut self.store,
                &self.user,
                self.lang,
                kind.key(),
                &filter.describe(),
                &shown,
            )
        {
            return Action::Failed(refused);
        }
        let overwritten = path.is_file();
        let opts = Options {
            lang: self.lang,
            today,
            masking,
            bom: true,
            include_drafts: false,
            actor: self.user.clone(),
        };
        // On its own thread when the database is a file a second connection can read.
        if self.job.is_none()
            && let Some(reader) = self.store.path().and_then(|db| Store::open_read_only(db).ok())
        {
            self.job = Some(spawn(reader, kind, filter, opts, path, overwritten));
            return Action::ExportStarted { path: shown };
        }
        match export::export(&mut self.store, kind, &filter, &opts, &Output::File(path), &mut |_, _| {}) {
            Ok(summary) => Action::Exported { rows: summary.rows, path: shown, overwritten },
            Err(e) => self.fail(e),
        }
    }

    /// The running export's progress, or its result once its thread has finished (recorded in the audit
    /// log here, on the console's own connection).
    pub(super) fn poll_export(&mut self) -> Action {
        let Some(job) = &self.job else { return Action::Done };
        let outcome = match job.result.try_recv() {
            Err(mpsc::TryRecvError::Empty) => {
                let (done, total) = (job.done.load(Ordering::Relaxed), job.total.load(Ordering::Relaxed));
                return Action::ExportProgress { done, total };
            }
            Ok(outcome) => Some(outcome),
            Err(mpsc::TryRecvError::Disconnected) => None,
        };
        let Some(job) = self.job.take() else { return Action::Done };
        match outcome {
            Some(Ok(summary)) => {
                let output = Output::File(job.path.clone());
                let summary =
                    export::record(&mut self.store, job.kind, &job.filter, &job.opts, &output, summary);
                let path = job.path.display().to_string();
                Action::Exported { rows: summary.rows, path, overwritten: job.overwritten }
            }
            Some(Err(ExportError::Cancelled)) => Action::ExportCancelled,
            Some(Err(e)) => self.fail(e),
            None => self.fail(self.lang.pick("导出线程意外结束", "the export thread ended unexpectedly")),
        }
    }

    /// Asks the running export to stop; its next poll says it was cancelled.
    pub(super) fn cancel_export(&mut self) -> Action {
        if let Some(job) = &self.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
        Action::Done
    }

    /// Writes the rectification notice of `inspection_id`; a refusal (a draft, an unregistered user, an
    /// unmasked notice for an inspector, a file not ending in `.html`) is shown as the library words it.
    pub(super) fn export_notice(&mut self, inspection_id: &str, typed: &str, masking: Masking) -> Action {
        let path = resolve_typed(typed);
        match notice::export(&mut self.store, &self.user, inspection_id, self.lang, masking, &path) {
            Ok(done) => Action::NoticeExported {
                number: done.number,
                items: done.items,
                path: path.display().to_string(),
            },
            Err(ExportError::Invalid(refused)) => Action::Failed(refused),
            Err(e) => self.fail(e),
        }
    }
}

/// Starts writing the export on a new thread, reading with `reader`.
fn spawn(
    mut reader: Store,
    kind: Kind,
    filter: ExportFilter,
    opts: Options,
    path: PathBuf,
    overwritten: bool,
) -> ExportJob {
    let cancel = Arc::new(Cancel::new(false));
    let (done, total) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (tx, result) = mpsc::channel();
    let thread = {
        let (cancel, done, total) = (Arc::clone(&cancel), Arc::clone(&done), Arc::clone(&total));
        let (filter, opts, path) = (filter.clone(), opts.clone(), path.clone());
        std::thread::spawn(move || {
            let mut progress = |d: u64, t: u64| {
                done.store(d, Ordering::Relaxed);
                total.store(t, Ordering::Relaxed);
            };
            let outcome =
                export::write_file(&mut reader, kind, &filter, &opts, &path, &mut progress, &cancel);
            let _ = tx.send(outcome);
        })
    };
    ExportJob { cancel, done, total, result, thread: Some(thread), kind, filter, opts, path, overwritten }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_resolve_against_home_and_the_current_directory() {
        let home = Path::new("/home/wang");
        let cwd = Path::new("/work/县局");
        let cases = [
            ("~/整改清单.xlsx", "/home/wang/整改清单.xlsx"),
            ("~", "/home/wang"),
            ("  /tmp/a.csv ", "/tmp/a.csv"),
            ("a.csv", "/work/县局/a.csv"),
            ("./out/a.csv", "/work/县局/out/a.csv"),
            ("~other/a.csv", "/work/县局/~other/a.csv"),
        ];
        for (typed, expected) in cases {
            assert_eq!(resolve_path(typed, Some(home), cwd), PathBuf::from(expected), "{typed}");
        }
        assert_eq!(resolve_path("~/a.csv", None, cwd), PathBuf::from("/work/县局/~/a.csv"), "no home known");
    }
}
