//! Text fields: single-line ones on tui-input, multi-line ones on ratatui-textarea. Both put the real
//! terminal cursor where typing happens, so a Chinese input method's candidate window follows it.

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// A single-line field.
#[derive(Clone, Debug, Default)]
pub struct Field {
    input: Input,
}

impl Field {
    pub fn new(value: impl Into<String>) -> Self {
        let value: String = value.into();
        Field { input: Input::new(value) }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set(&mut self, value: impl Into<String>) {
        self.input = Input::new(value.into());
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        if let Some(req) = to_input_request(&Event::Key(*ev)) {
            self.input.handle(req);
        }
    }

    pub fn paste(&mut self, text: &str) {
        // One line: newlines in pasted text become spaces.
        for c in text.chars() {
            let c = if c == '\n' || c == '\r' { ' ' } else { c };
            self.input.handle(tui_input::InputRequest::InsertChar(c));
        }
    }

    /// Draws the value (scrolled so the cursor stays visible) and, when focused, places the cursor.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, focused: bool) {
        let width = usize::from(area.width.max(1));
        let scroll = self.input.visual_scroll(width.saturating_sub(1));
        let style =
            if focused { Style::default().add_modifier(Modifier::UNDERLINED) } else { Style::default() };
        let text = Paragraph::new(Line::from(Span::styled(self.input.value().to_string(), style)))
            .scroll((0, u16::try_from(scroll).unwrap_or(0)));
        frame.render_widget(text, area);
        if focused {
            let x = self.input.visual_cursor().saturating_sub(scroll);
            let x = area.x + u16::try_from(x).unwrap_or(0).min(area.width.saturating_sub(1));
            frame.set_cursor_position(Position::new(x, area.y));
        }
    }
}

/// A multi-line field; Enter inserts a new line.
#[derive(Debug)]
pub struct Area {
    textarea: TextArea<'static>,
}

impl Clone for Area {
    fn clone(&self) -> Self {
        Area::new(&self.text())
    }
}

impl Area {
    pub fn new(text: &str) -> Self {
        let lines: Vec<String> =
            if text.is_empty() { vec![String::new()] } else { text.lines().map(String::from).collect() };
        let mut textarea = TextArea::new(lines);
        textarea.set_cursor_line_style(Style::default());
        // Chinese has no spaces between words: wrap at words where there are some, else at characters.
        textarea.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
        textarea.move_cursor(ratatui_textarea::CursorMove::End);
        Area { textarea }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        // Ctrl-S and Tab belong to the form, never to the text.
        if ev.code == KeyCode::Tab
            || (ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char('s'))
        {
            return;
        }
        self.textarea.input(*ev);
    }

    pub fn paste(&mut self, text: &str) {
        self.textarea.insert_str(text);
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, focused: bool) {
        let mut ta = self.textarea.clone();
        ta.set_cursor_style(if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        });
        frame.render_widget(&ta, area);
        if focused {
            let cursor = ta.screen_cursor();
            let (top, left) = ta.scroll_offset();
            let y = cursor.row.saturating_sub(usize::from(top));
            let x = cursor.col.saturating_sub(usize::from(left));
            let x = area.x + u16::try_from(x).unwrap_or(0).min(area.width.saturating_sub(1));
            let y = area.y + u16::try_from(y).unwrap_or(0).min(area.height.saturating_sub(1));
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
