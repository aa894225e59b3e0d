//! The frame: a title line, the screen, a message line and the footer of key hints generated from the
//! keymap; the help overlay on top when asked for.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table};

use ratatui::buffer::Buffer;
use ratatui::text::Text;
use ratatui::widgets::Widget;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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
        if NO_COLOR.load(Ordering::Relaxed) { Style::default() } else { Style::default().fg(c) }
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
    /// The filled part of a progress bar: reverse video, so it needs no block characters.
    pub fn bar() -> Style {
        if NO_COLOR.load(Ordering::Relaxed) {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().bg(Color::Green).fg(Color::Black)
        }
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
    // Below 20×5 no screen can show its focused line with the title, message and footer: say so.
    if super::scroll::too_small(frame, area, 20, 5, app.lang) {
        return;
    }
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
        Screen::Board(b) => b.render(app, frame, body),
        Screen::Weekly(w) => w.render(app, frame, body),
        Screen::Inspections(l) => l.render(app, frame, body),
        Screen::Settings(s) => s.render(app, frame, body),
    }
    if let Some(m) = &app.message {
        let style = if m.error { styled::warn() } else { styled::good() };
        frame.render_widget(Paragraph::new(Span::styled(m.text.clone(), style)), message);
    } else if let Some(why) = &app.read_only {
        frame.render_widget(Paragraph::new(Span::styled(why.clone(), styled::warn())), message);
    }
    render_footer(app, frame, footer);
    if app.help {
        render_help(app, frame, area);
    }
}

fn render_footer(app: &App, frame: &mut Frame<'_>, area: Rect) {
    // As many hints as fit, in table order; help (which lists them all) is always shown, and quit on home.
    // The way back (Esc) and a form's save (Ctrl-S) keep their places whatever else is cut: a screen must
    // always say how to leave it, and a form how to keep what was typed.
    let commands = keymap::footer_commands(&app.contexts(), &app.facts(), app.lang, &|cmd| app.applies(cmd));
    let hints: Vec<_> = commands.iter().map(|(_, h)| *h).collect();
    let width = |(k, t, _): &(&str, &str, bool)| UnicodeWidthStr::width(*k) + UnicodeWidthStr::width(*t) + 3;
    // Pinned hints at the end: quit, then help (where they always stood).
    let mut help: Vec<_> = hints.iter().filter(|h| h.2).copied().collect();
    help.sort_by_key(|h| keymap::BINDINGS.iter().any(|b| b.cmd == keymap::Cmd::Help && b.label == h.0));
    let total = usize::from(area.width);
    let mut reserved: usize = help.iter().map(width).sum();
    // Kept in this order of need, each only while it fits beside help: a question's answer, the way back,
    // a form's save.
    let mut kept: Vec<(&str, &str, bool)> = Vec::new();
    for need in [keymap::Cmd::Confirm, keymap::Cmd::Back, keymap::Cmd::Save] {
        for (_, h) in commands.iter().filter(|(cmd, h)| !h.2 && *cmd == need) {
            if !kept.contains(h) && reserved + width(h) <= total {
                reserved += width(h);
                kept.push(*h);
            }
        }
    }
    let way_back = |h: &(&str, &str, bool)| kept.contains(h);
    let mut budget = total.saturating_sub(reserved);
    let mut shown = Vec::new();
    let mut full = false;
    for hint in hints.iter().filter(|h| !h.2) {
        if way_back(hint) {
            shown.push(*hint);
        } else if !full && width(hint) <= budget {
            budget -= width(hint);
            shown.push(*hint);
        } else {
            full = true;
        }
    }
    shown.extend(help);
    let mut spans = Vec::new();
    for (key, text, _) in shown {
        spans.push(Span::styled(key, styled::key()));
        spans.push(Span::raw(format!(" {text}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The contexts under the help overlay, so help lists what works on this screen.
pub fn help_contexts(app: &App) -> Vec<keymap::Ctx> {
    let mut contexts = match &app.screen {
        Screen::Home(_) => vec![keymap::Ctx::Home, keymap::Ctx::Global],
        Screen::New(n) => n.contexts(),
        Screen::Inspect(i) => i.contexts(),
        Screen::DutyLog(_) => vec![keymap::Ctx::DutyLog, keymap::Ctx::Global],
        Screen::Board(b) => b.contexts(),
        Screen::Weekly(_) => vec![keymap::Ctx::Weekly, keymap::Ctx::Global],
        Screen::Inspections(l) => l.contexts(),
        Screen::Settings(s) => s.contexts(),
    };
    // In a text field the global letters are typed, not obeyed: `q` there is a letter, not quit.
    if !contexts.contains(&keymap::Ctx::Global) && !contexts.contains(&keymap::Ctx::Editing) {
        contexts.push(keymap::Ctx::Global);
    }
    contexts
}

fn render_help(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.lang;
    let contexts = help_contexts(app);
    let bindings = keymap::active_for(&contexts, &app.facts());
    // As tall as the list (within the screen), so no binding is cut off.
    let height = u16::try_from(bindings.len() + 2).unwrap_or(u16::MAX).max(20);
    let popup = centered(area, 70, height);
    clear_popup(frame, popup);
    let rows: Vec<Row<'_>> = bindings
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
        keymap::Key::Char(' ') => "Space".into(),
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
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        },
    }
}

/// Clears a popup, and the column left of it: a wide character cut by the popup's left edge would otherwise
/// stay on screen and hide the border.
pub fn clear_popup(frame: &mut Frame<'_>, popup: Rect) {
    let x = popup.x.saturating_sub(1).max(frame.area().x);
    frame.render_widget(Clear, Rect::new(x, popup.y, popup.width + (popup.x - x), popup.height));
}

/// A progress bar with its label centred on it. The filled part is styled cells, not block characters:
/// `█` is ambiguous-width and some Chinese-locale terminals draw it two cells wide.
pub fn progress_bar(ratio: f64, label: &str, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    let label_w = UnicodeWidthStr::width(label).min(width);
    let left = (width - label_w) / 2;
    let mut cells: Vec<(String, usize)> = Vec::new(); // (text, display column where it starts)
    let mut col = 0;
    while col < left {
        cells.push((" ".into(), col));
        col += 1;
    }
    for c in label.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if col + w > width {
            break;
        }
        cells.push((c.to_string(), col));
        col += w;
    }
    while col < width {
        cells.push((" ".into(), col));
        col += 1;
    }
    let spans: Vec<Span<'static>> = cells
        .into_iter()
        .map(|(t, at)| if at < filled { Span::styled(t, styled::bar()) } else { Span::raw(t) })
        .collect();
    Line::from(spans)
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Text that wraps at the area's width. Chinese has no spaces to break at, so lines break between any two
/// characters by display width; runs of ASCII letters and digits (codes, clause numbers) stay whole when
/// they fit on a line. Wide characters are never cut. No line starts with closing punctuation or ends
/// with opening punctuation (避头尾, see [`crate::linebreak`]).
pub struct Wrapped<'a> {
    text: Text<'a>,
    block: Option<Block<'a>>,
}

pub fn wrapped<'a>(text: impl Into<Text<'a>>) -> Wrapped<'a> {
    Wrapped { text: text.into(), block: None }
}

impl<'a> Wrapped<'a> {
    pub fn block(mut self, block: Block<'a>) -> Self {
        self.block = Some(block);
        self
    }
}

impl Widget for Wrapped<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let inner = match &self.block {
            Some(b) => b.inner(area),
            None => area,
        };
        if let Some(b) = self.block {
            b.render(area, buf);
        }
        let width = usize::from(inner.width.max(1));
        let lines: Vec<Line<'static>> = self.text.lines.iter().flat_map(|l| wrap_line(l, width)).collect();
        Paragraph::new(lines).render(inner, buf);
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':')
}

/// Splits one line into lines of at most `width` display columns, keeping each character's style.
pub fn wrap_line(line: &Line<'_>, width: usize) -> Vec<Line<'static>> {
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, line.style.patch(s.style))))
        .collect();
    let cw = |c: char| UnicodeWidthChar::width(c).unwrap_or(0);
    let mut out = Vec::new();
    let mut current: Vec<(char, Style)> = Vec::new();
    let mut used = 0;
    let mut i = 0;
    while i < cells.len() {
        let end = if is_word_char(cells[i].0) {
            (i..cells.len()).find(|j| !is_word_char(cells[*j].0)).unwrap_or(cells.len())
        } else {
            i + 1
        };
        let token = &cells[i..end];
        let token_width: usize = token.iter().map(|(c, _)| cw(*c)).sum();
        if used + token_width > width && used > 0 {
            // 避头尾: closing punctuation does not start the next line, opening punctuation does not end
            // this one; the characters that must go along move down with it.
            let chars: Vec<char> = current.iter().map(|(c, _)| *c).collect();
            let keep = current.len() - crate::linebreak::carry(&chars, token[0].0);
            let carried = current.split_off(keep);
            out.push(to_line(&current));
            used = carried.iter().map(|(c, _)| cw(*c)).sum();
            current = carried;
            if token.len() == 1 && token[0].0 == ' ' && current.is_empty() {
                i = end; // a space that would start the new line is dropped
                continue;
            }
        }
        for cell in token {
            if used + cw(cell.0) > width && used > 0 {
                out.push(to_line(&current));
                current.clear();
                used = 0;
            }
            current.push(*cell);
            used += cw(cell.0);
        }
        i = end;
    }
    out.push(to_line(&current));
    out
}

fn to_line(cells: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = cells.first().map(|c| c.1).unwrap_or_default();
    for (c, s) in cells {
        if *s != style {
            spans.push(Span::styled(std::mem::take(&mut text), style));
            style = *s;
        }
        text.push(*c);
    }
    spans.push(Span::styled(text, style));
    Line::from(spans)
}

/// A bold label.
pub fn label(text: &str) -> Span<'static> {
    Span::styled(text.to_string(), Style::default().add_modifier(Modifier::BOLD))
}

/// `text` padded with spaces to `width` columns (Chinese characters are two columns wide).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// A count grouped by thousands: `14030` → `14,030`.
pub fn thousands(n: impl ToString) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod cell_tests {
    use super::{pad, thousands};

    #[test]
    fn counts_are_grouped_by_thousands() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (14030, "14,030"), (1234567, "1,234,567")];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
            assert_eq!(thousands(n as usize), text);
        }
    }

    #[test]
    fn padding_counts_chinese_characters_as_two_columns() {
        assert_eq!(pad("敬老院", 8), "敬老院  ");
        assert_eq!(pad("YL001", 7), "YL001  ");
        assert_eq!(pad("下原镇敬老院", 4), "下原镇敬老院", "never cut");
    }
}

#[cfg(test)]
mod wrap_tests {
    use ratatui::text::Line;
    use unicode_width::UnicodeWidthStr;

    use super::wrap_line;

    fn texts(line: &str, width: usize) -> Vec<String> {
        wrap_line(&Line::raw(line.to_string()), width).iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn chinese_breaks_between_characters_and_codes_stay_whole() {
        let lines = texts("依据：GB 50016-2014 第5.5.13条，建筑高度大于24m的应采用防烟楼梯间", 20);
        assert!(lines.iter().all(|l| UnicodeWidthStr::width(l.as_str()) <= 20), "{lines:?}");
        assert_eq!(lines[0].trim_end(), "依据：GB 50016-2014");
        assert!(lines.iter().any(|l| l.contains("24m")), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "依据：GB50016-2014第5.5.13条，建筑高度大于24m的应采用防烟楼梯间"
        );
    }

    #[test]
    fn no_line_starts_with_closing_punctuation_or_ends_with_opening_punctuation() {
        // 10 cells (five characters) a line: the full stop would start line 2, so 物 goes down with it.
        assert_eq!(texts("二楼通道堆物。请清理", 10), ["二楼通道堆", "物。请清理"]);
        assert_eq!(texts("甲乙丙丁（戊）己", 10), ["甲乙丙丁", "（戊）己"], "（ does not end a line");
        // From three characters a line (in two, 所）， cannot be kept together).
        for width in 6..30 {
            let text = "依据《中华人民共和国消防法》第十六条，单位应当落实消防安全责任制（含“三合一”场所），并定期检查。";
            for line in texts(text, width).iter().skip(1) {
                let first = line.chars().next().unwrap_or(' ');
                assert!(
                    !crate::linebreak::no_line_start(first),
                    "width {width}: {line:?} in {:?}",
                    texts(text, width)
                );
            }
            for line in texts(text, width) {
                let last = line.trim_end().chars().last().unwrap_or(' ');
                assert!(!crate::linebreak::no_line_end(last), "width {width}: {line:?}");
                assert!(UnicodeWidthStr::width(line.as_str()) <= width, "width {width}: {line:?}");
            }
            assert_eq!(texts(text, width).concat(), text, "nothing lost at width {width}");
        }
    }

    #[test]
    fn a_wide_character_is_never_split_across_the_edge() {
        let lines = texts("一二三四五", 5);
        assert_eq!(lines, ["一二", "三四", "五"]);
        assert_eq!(texts("", 10), [""]);
    }
}
