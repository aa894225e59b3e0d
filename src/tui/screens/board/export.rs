//! The board's export form: what to export (整改清单 or 检查记录), the file, its format and whether personal
//! data is masked. The rows are the board's: whatever filters are on screen when Enter is pressed.

use std::path::Path;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::Board;
use crate::export::{Format, Kind, Masking};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};

/// The form's fields, in Tab order.
pub const KIND: usize = 0;
pub const PATH: usize = 1;
pub const FORMAT: usize = 2;
pub const MASKING: usize = 3;
const FIELDS: usize = 4;

#[derive(Debug)]
pub struct ExportForm {
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
    pub fn new(app: &App) -> Self {
        let mut form = ExportForm {
            kind: Kind::Rectifications,
            format: Format::Xlsx,
            masking: Masking::Masked,
            path: Field::default(),
            focus: KIND,
            edited: false,
            dir: app.export_dir.clone(),
            today: app.today(),
            lang: app.lang,
        };
        form.path.set(form.default_path());
        form
    }

    fn default_path(&self) -> String {
        self.dir.join(file_name(self.kind, self.format, self.today, self.lang)).display().to_string()
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        let mut contexts = vec![Ctx::Export, Ctx::Form, Ctx::Save, Ctx::Editing];
        if self.focus != PATH {
            contexts.insert(0, Ctx::ExportOption);
        }
        contexts
    }

    fn toggle(&mut self, field: usize) {
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
            if let Some(format) = format_of(self.path.value()) {
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
    /// format's extension when it has none of `.csv`/`.xlsx`. None when nothing is typed.
    pub fn target(&self) -> Option<String> {
        let typed = self.path.value().trim();
        if typed.is_empty() {
            return None;
        }
        if typed.ends_with('/') || typed.ends_with(std::path::MAIN_SEPARATOR) || typed == "~" {
            let dir = if typed == "~" { "~/" } else { typed };
            return Some(format!("{dir}{}", file_name(self.kind, self.format, self.today, self.lang)));
        }
        match format_of(typed) {
            Some(_) => Some(typed.to_string()),
            None => Some(format!("{typed}.{}", extension(self.format))),
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
    /// A command while the export form is open.
    pub(super) fn export_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let filter = self.filter();
        let Some(form) = &mut self.export else { return vec![] };
        match cmd {
            Cmd::Back => self.export = None,
            Cmd::NextPane | Cmd::Down => form.focus = (form.focus + 1) % FIELDS,
            Cmd::PrevPane | Cmd::Up => form.focus = (form.focus + FIELDS - 1) % FIELDS,
            Cmd::Toggle => form.toggle(form.focus),
            Cmd::Enter | Cmd::Save => match form.target() {
                Some(path) => {
                    return vec![Effect::Export {
                        kind: form.kind,
                        filter,
                        path,
                        masking: form.masking,
                        today: app.today(),
                    }];
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
