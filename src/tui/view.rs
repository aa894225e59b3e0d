//! The frame: a title line, the screen, a message line and the footer of key hints generated from the
//! keymap; the help overlay on top when asked for.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, Wrap};

use unicode_width::UnicodeWidthStr;

use super::app::{App, Screen};
use super::keymap;

/// Styles, with colour only when `NO_COLOR` is not set.
pub mod styled {
    use std::sync::atomic::{AtomicBool, Ordering};

    use ratatui::style::{Color, Modifier, Style};

    static NO_COLOR: AtomicBool = AtomicBool::new(false);

    pub fn set_no_color(no_color: bool) {
        NO_COLOR.store(no_color, Ordering::Relaxed);
    }

    fn color(c: Color) -> Style {
        if NO_COLOR.load(Ordering::Relaxed) {
            Style::default()
        } else {
            Style::default().fg(c)
        }
    }

    pub fn heading() -> Style {
        color(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected() -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn warn() -> Style {
        color(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn good() -> Style {
        color(Color::Green)
    }
    pub fn dim() -> Style {
        color(Color::DarkGray)
    }
    pub fn key() -> Style {
        color(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}

/// `2026-11-29T10:03:00+08:00` → `11-29 10:03`.
pub fn short_time(stamp: &str) -> String {
    match (stamp.get(5..10), stamp.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => stamp.to_string(),
    }
}

pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    let [title, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let lang = app.lang;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(lang.pick("督查 ducha", "ducha 督查"), styled::heading()),
            Span::raw(format!("  {}  {}", app.user, app.now.format("%Y-%m-%d %H:%M"))),
        ])),
        title,
    );
    match &app.screen {
        Screen::Home(h) => h.render(app, frame, body),
        Screen::New(n) => n.render(app, frame, body),
        Screen::Inspect(i) => i.render(app, frame, body),
        Screen::DutyLog(d) => d.render(app, frame, body),
    }
    if let Some(m) = &app.message {
        let style = if m.error { styled::warn() } else { styled::good() };
        frame.render_widget(Paragraph::new(Span::styled(m.text.clone(), style)), message);
    }
    render_footer(app, frame, footer);
    if app.help {
        render_help(app, frame, area);
    }
}

fn render_footer(app: &App, frame: &mut Frame<'_>, area: Rect) {
    // As many hints as fit, in table order; the help key is always shown, since help lists them all.
    let hints = keymap::footer(&app.contexts(), app.lang);
    let width = |(k, t): &(&str, &str)| UnicodeWidthStr::width(*k) + UnicodeWidthStr::width(*t) + 3;
    let help: Vec<_> = hints.iter().filter(|(k, _)| *k == "?").copied().collect();
    let mut budget = usize::from(area.width).saturating_sub(help.iter().map(width).sum());
    let mut shown = Vec::new();
    for hint in hints.iter().filter(|(k, _)| *k != "?") {
        if width(hint) > budget {
            break;
        }
        budget -= width(hint);
        shown.push(*hint);
    }
    shown.extend(help);
    let mut spans = Vec::new();
    for (key, text) in shown {
        spans.push(Span::styled(key, styled::key()));
        spans.push(Span::raw(format!(" {text}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_help(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.lang;
    let popup = centered(area, 70, 20);
    frame.render_widget(Clear, popup);
    // The contexts under the overlay, so help lists what works on this screen.
    let contexts = {
        let mut contexts = match &app.screen {
            Screen::Home(_) => vec![keymap::Ctx::Home, keymap::Ctx::Global],
            Screen::New(n) => n.contexts(),
            Screen::Inspect(i) => i.contexts(),
            Screen::DutyLog(_) => vec![keymap::Ctx::DutyLog, keymap::Ctx::Global],
        };
        if !contexts.contains(&keymap::Ctx::Global) {
            contexts.push(keymap::Ctx::Global);
        }
        contexts
    };
    let rows: Vec<Row<'_>> = keymap::active(&contexts)
        .into_iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(key_name).collect();
            Row::new(vec![keys.join(" / "), lang.pick(b.zh, b.en).to_string()])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Length(22), Constraint::Min(10)]).block(
        Block::bordered()
            .title(lang.pick(" 帮助：按键 ", " Help: keys "))
            .title_bottom(lang.pick(" Esc 或 ? 关闭 ", " Esc or ? closes ")),
    );
    frame.render_widget(table, popup);
}

fn key_name(k: &keymap::Key) -> String {
    use ratatui::crossterm::event::KeyCode;
    match k {
        keymap::Key::Char(c) => c.to_string(),
        keymap::Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
        keymap::Key::Code(code) => match code {
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        },
    }
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A paragraph that wraps (wide characters are never cut).
pub fn wrapped<'a>(text: impl Into<ratatui::text::Text<'a>>) -> Paragraph<'a> {
    Paragraph::new(text).wrap(Wrap { trim: false })
}

/// A bold label.
pub fn label(text: &str) -> Span<'static> {
    Span::styled(text.to_string(), Style::default().add_modifier(Modifier::BOLD))
}
