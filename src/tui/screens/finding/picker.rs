//! The evidence picker: the image and document files of a folder, newest first, with size and time
//! taken; Space marks several, Enter attaches the marked ones (or the one under the cursor); Tab goes to
//! the folder line to type another folder (remembered for this user once it lists).

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::i18n::Lang;
use crate::tui::effect::folder::{PickFile, human_size};
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};
use crate::tui::scroll;
use crate::tui::view::styled;

#[derive(Debug, Default)]
pub struct Picker {
    /// The folder line (typed; Enter lists it).
    pub folder: Field,
    pub files: Vec<PickFile>,
    pub cursor: usize,
    /// Indexes of the files marked with Space.
    pub marked: BTreeSet<usize>,
    /// Whether the folder line has the keys (else the list has).
    pub on_folder: bool,
    /// Whether a listing has come back yet.
    pub loaded: bool,
}

/// What a command in the picker asks of the form.
pub enum Outcome {
    Stay,
    Close,
    /// List this folder (as typed).
    List(String),
    /// Attach these files.
    Attach(Vec<String>),
}

impl Picker {
    pub fn contexts(&self) -> Vec<Ctx> {
        if self.on_folder { vec![Ctx::PickerFolder, Ctx::Editing] } else { vec![Ctx::Picker, Ctx::Editing] }
    }

    /// A listing came back: `folder` is the folder as resolved.
    pub fn loaded(&mut self, folder: &str, files: Vec<PickFile>) {
        self.folder = Field::new(folder);
        self.files = files;
        self.cursor = 0;
        self.marked.clear();
        self.loaded = true;
        self.on_folder = false;
    }

    pub fn command(&mut self, cmd: Cmd) -> Outcome {
        match cmd {
            Cmd::Back => return Outcome::Close,
            Cmd::NextPane | Cmd::PrevPane => self.on_folder = !self.on_folder,
            Cmd::Enter if self.on_folder => return Outcome::List(self.folder.value().trim().to_string()),
            Cmd::Down if !self.on_folder => {
                self.cursor = (self.cursor + 1).min(self.files.len().saturating_sub(1))
            }
            Cmd::Up if !self.on_folder => self.cursor = self.cursor.saturating_sub(1),
            Cmd::Toggle if !self.on_folder && !self.files.is_empty() => {
                if !self.marked.remove(&self.cursor) {
                    self.marked.insert(self.cursor);
                }
                self.cursor = (self.cursor + 1).min(self.files.len().saturating_sub(1));
            }
            Cmd::Enter | Cmd::Save => {
                let chosen: Vec<usize> = if self.marked.is_empty() {
                    vec![self.cursor]
                } else {
                    self.marked.iter().copied().collect()
                };
                let paths = chosen
                    .iter()
                    .filter_map(|i| self.files.get(*i))
                    .map(|f| f.path.display().to_string())
                    .collect();
                return Outcome::Attach(paths);
            }
            _ => {}
        }
        Outcome::Stay
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        if self.on_folder {
            self.folder.key(ev);
        }
    }

    pub fn paste(&mut self, text: &str) {
        if self.on_folder {
            self.folder.paste(text);
        }
    }

    pub fn render(&self, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
        frame.render_widget(Clear, area);
        let bordered = area.height >= 6 && area.width >= 30;
        let inner = if bordered {
            let title = match lang {
                Lang::Zh => format!(" 选择证据文件（已选 {}）", self.marked.len()),
                Lang::En => format!(" Pick evidence files ({} marked) ", self.marked.len()),
            };
            let block = Block::bordered().title(title);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            inner
        } else {
            area
        };
        if scroll::too_small(frame, inner, 12, 2, lang) {
            return;
        }
        let [folder, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        let name = lang.pick("文件夹 ", "Folder ");
        let [l, f] = Layout::horizontal([Constraint::Length(7), Constraint::Min(1)]).areas(folder);
        let style = if self.on_folder { styled::key() } else { ratatui::style::Style::default() };
        frame.render_widget(Paragraph::new(Span::styled(name, style)), l);
        self.folder.render(frame, f, self.on_folder);
        if !self.loaded {
            frame.render_widget(
                Paragraph::new(Span::styled(lang.pick("正在读取…", "reading…"), styled::dim())),
                list,
            );
            return;
        }
        if self.files.is_empty() {
            let text = lang.pick(
                "此文件夹没有图片或文档；Tab 换一个文件夹",
                "no images or documents here; Tab to type another folder",
            );
            frame.render_widget(crate::tui::view::wrapped(Span::styled(text, styled::dim())), list);
            return;
        }
        let view = usize::from(list.height);
        let first = scroll::offset(0, self.cursor, self.files.len(), view);
        let width = usize::from(list.width);
        let lines: Vec<Line<'_>> = self
            .files
            .iter()
            .enumerate()
            .skip(first)
            .take(view)
            .map(|(i, f)| {
                let mark = if self.marked.contains(&i) { "[x] " } else { "[ ] " };
                let when = f.taken.format("%Y-%m-%d %H:%M").to_string();
                let source = if f.exif { lang.pick("拍摄", "taken") } else { lang.pick("修改", "file") };
                let tail = format!("  {:>8}  {when} {source}", human_size(f.bytes));
                let room = width.saturating_sub(4 + unicode_width::UnicodeWidthStr::width(tail.as_str()));
                let name = fit(&f.name, room.max(6));
                let text =
                    if width >= 40 { format!("{mark}{name}{tail}") } else { format!("{mark}{}", f.name) };
                let style = if i == self.cursor && !self.on_folder {
                    styled::selected()
                } else {
                    ratatui::style::Style::default()
                };
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
    }
}

/// `text` cut to `width` display columns (with `~` where it was cut) and padded to it, so the columns
/// after it line up whatever the mix of Chinese and Latin letters.
fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total = unicode_width::UnicodeWidthStr::width(text);
    let mut out = String::new();
    let mut used = 0;
    if total <= width {
        out.push_str(text);
        used = total;
    } else {
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('~');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}
