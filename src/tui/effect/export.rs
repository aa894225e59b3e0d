//! The board's exports: the rectification list or the findings, filtered as the board is, written to a CSV
//! or XLSX file, and the printable rectification notice of one inspection as HTML. Unmasked exports are
//! refused unless the user is a supervisor or an admin.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use super::Executor;
use crate::export::{self, ExportError, ExportFilter, Kind, Masking, Options, Output, notice};
use crate::store::board::Filter;
use crate::tui::action::Action;

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
        match export::export(&mut self.store, kind, &filter, &opts, &Output::File(path), &mut |_, _| {}) {
            Ok(summary) => Action::Exported { rows: summary.rows, path: shown, overwritten },
            Err(e) => self.fail(e),
        }
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
