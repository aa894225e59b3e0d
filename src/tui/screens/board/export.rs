//! The board's export form: what to export (整改清单 or 检查记录), the file, its format and whether personal
//! data is masked. The rows are the board's: whatever filters are on screen when Enter is pressed. The same
//! form, with only the file and the masking, writes a rectification's notice (整改通知书) from its detail.

use std::path::Path;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::Board;
use super::notice::{NoticeOf, is_html};
use crate::export::{Format, Kind, Masking};
use crate::i18n::Lang;
use crate::store::board::Filter;
use crate::tui::action::Detail;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};

/// The form's fields, in the list's Tab order (a notice has only the path and the masking).
pub const KIND: usize = 0;
pub const PATH: usize = 1;
pub const FORMAT: usize = 2;
pub const MASKING: usize = 3;

/// What the form writes.
#[derive(Clone, Debug, PartialEq)]
pub enum What {
    /// The board's list, as `kind` and `format` say, filtered as the board is.
    List,
    /// The printable rectification notice of one inspection, as HTML.
    Notice(NoticeOf),
}

#[derive(Debug)]
pub struct ExportForm {
    pub what: What,
    pub kind: Kind,
    pub format: Format,
    pub masking: Masking,
    pub path: Field,
    pub focus: usize,
    /// The path was changed by hand: the kind no longer renames it, and the format toggle only swaps a
    /// `.csv`/`.xlsx` extension (typing one sets the format).
    pub edited: bool,
    dir: std::path::PathBuf,
    today: NaiveDate,
    lang: Lang,
}

/// The extension of a format, without the dot.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
    }
}

/// The format a path's extension names, if it names one.
fn format_of(path: &str) -> Option<Format> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        _ => None,
    }
}

/// `整改清单-2026-11-29.xlsx` (English: `rectification-list-2026-11-29.xlsx`).
pub fn file_name(kind: Kind, format: Format, today: NaiveDate, lang: Lang) -> String {
    let stem = match kind {
        Kind::Rectifications => lang.pick("整改清单", "rectification-list"),
        Kind::Findings => lang.pick("检查记录", "findings"),
    };
    format!("{stem}-{}.{}", today.format("%Y-%m-%d"), extension(format))
}

impl ExportForm {
    /// The board list's export form, on the kind.
    pub fn new(app: &App) -> Self {
        Self::with(app, What::List, KIND)
    }

    /// The notice form for the inspection of the rectification `detail` shows, on the file.
    pub fn notice(app: &App, detail: &Detail) -> Self {
        Self::with(app, What::Notice(NoticeOf::of(detail)), PATH)
    }

    fn with(app: &App, what: What, focus: usize) -> Self {
        let mut form = ExportForm {
            what,
            kind: Kind::Rectifications,
            format: Format::Xlsx,
            masking: Masking::Masked,
            path: Field::default(),
            focus,
            edited: false,
            dir: app.export_dir.clone(),
            today: app.today(),
            lang: app.lang,
        };
        form.path.set(form.default_path());
        form
    }

    /// The fields this form has, in Tab order.
    pub fn fields(&self) -> &'static [usize] {
        match self.what {
            What::List => &[KIND, PATH, FORMAT, MASKING],
            What::Notice(_) => &[PATH, MASKING],
        }
    }

    /// Moves the focus to the next field (or the previous one), round the end.
    fn step(&mut self, forward: bool) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward { at + 1 } else { at + fields.len() - 1 };
        self.focus = fields[next % fields.len()];
    }

    fn default_name(&self) -> String {
        match &self.what {
            What::List => file_name(self.kind, self.format, self.today, self.lang),
            What::Notice(of) => of.file_name(self.lang),
        }
    }

    fn default_path(&self) -> String {
        self.dir.join(self.default_name()).display().to_string()
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        let own = match self.what {
            What::List => Ctx::Export,
            What::Notice(_) => Ctx::Notice,
        };
        let mut contexts = vec![own, Ctx::Form, Ctx::Save, Ctx::Editing];
        if self.focus != PATH {
            contexts.insert(0, Ctx::ExportOption);
        }
        contexts
    }

    fn toggle(&mut self, field: usize) {
        // The notice has one choice: Ctrl-T, on the file too, changes the masking.
        let field = if matches!(self.what, What::Notice(_)) { MASKING } else { field };
        match field {
            KIND => {
                self.kind = match self.kind {
                    Kind::Rectifications => Kind::Findings,
                    Kind::Findings => Kind::Rectifications,
                };
            }
            FORMAT | PATH => {
                self.format = match self.format {
                    Format::Xlsx => Format::Csv,
                    Format::Csv => Format::Xlsx,
                };
                // A typed path keeps its name; only an extension naming the old format follows the toggle.
                if self.edited && format_of(self.path.value()).is_some() {
                    let swapped = Path::new(self.path.value().trim())
                        .with_extension(extension(self.format))
                        .display()
                        .to_string();
                    self.path.set(swapped);
                }
            }
            _ => {
                self.masking = match self.masking {
                    Masking::Masked => Masking::Unmasked,
                    Masking::Unmasked => Masking::Masked,
                };
            }
        }
        if !self.edited {
            self.path.set(self.default_path());
        }
    }

    fn typed(&mut self, before: String) {
        if self.path.value() != before {
            self.edited = true;
            if self.what == What::List
                && let Some(format) = format_of(self.path.value())
            {
                self.format = format;
            }
        }
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        if self.focus == PATH {
            let before = self.path.value().to_string();
            self.path.key(ev);
            self.typed(before);
        }
    }

    pub fn paste(&mut self, text: &str) {
        if self.focus == PATH {
            let before = self.path.value().to_string();
            self.path.paste(text);
            self.typed(before);
        }
    }

    /// The path to write: as typed, with the default file name when only a directory is given and the
    /// format's extension when it has none of `.csv`/`.xlsx` (for a notice: `.html` unless it ends in
    /// `.html`/`.htm`). None when nothing is typed.
    pub fn target(&self) -> Option<String> {
        let typed = self.path.value().trim();
        if typed.is_empty() {
            return None;
        }
        if typed.ends_with('/') || typed.ends_with(std::path::MAIN_SEPARATOR) || typed == "~" {
            let dir = if typed == "~" { "~/" } else { typed };
            return Some(format!("{dir}{}", self.default_name()));
        }
        let complete = match self.what {
            What::List => format_of(typed).is_some(),
            What::Notice(_) => is_html(typed),
        };
        let ext = match self.what {
            What::List => extension(self.format),
            What::Notice(_) => "html",
        };
        Some(if complete { typed.to_string() } else { format!("{typed}.{ext}") })
    }

    /// What Enter asks the executor for, writing to `path`.
    fn effect(&self, path: String, filter: Filter, today: NaiveDate) -> Effect {
        match &self.what {
            What::List => Effect::Export { kind: self.kind, filter, path, masking: self.masking, today },
            What::Notice(of) => {
                Effect::ExportNotice { inspection_id: of.inspection_id.clone(), path, masking: self.masking }
            }
        }
    }
}

/// The message after an export.
pub fn exported_message(lang: Lang, rows: u64, path: &str, overwritten: bool) -> String {
    match (lang, overwritten) {
        (Lang::Zh, false) => format!("已导出 {rows} 行到 {path}"),
        (Lang::Zh, true) => format!("已导出 {rows} 行到 {path}（已覆盖原文件）"),
        (Lang::En, false) => format!("exported {rows} rows to {path}"),
        (Lang::En, true) => format!("exported {rows} rows to {path} (the earlier file was overwritten)"),
    }
}

impl Board {
    /// A command while the export (or notice) form is open.
    pub(super) fn export_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let filter = self.filter();
        let Some(form) = &mut self.export else { return vec![] };
        match cmd {
            Cmd::Back => self.export = None,
            Cmd::NextPane | Cmd::Down => form.step(true),
            Cmd::PrevPane | Cmd::Up => form.step(false),
            Cmd::Toggle => form.toggle(form.focus),
            Cmd::Enter | Cmd::Save => match form.target() {
                Some(path) => {
                    // Shown while the export runs (the frame is drawn before a slow effect starts).
                    app.info(app.lang.pick("正在导出，请稍候…", "exporting, please wait…"));
                    return vec![form.effect(path, filter, app.today())];
                }
                None => {
                    form.focus = PATH;
                    app.error(app.lang.pick("请填写导出文件的路径", "type the file to export to"));
                }
            },
            _ => {}
        }
        vec![]
    }
}
