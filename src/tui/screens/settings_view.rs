//! Drawing the settings screen: the settings table, a line for the selected one (its help, or the field
//! being edited with the refusal under it, or the note that only admins change them), and the users with
//! their certificate numbers. Frames are dropped in a short terminal and the users table goes first; the
//! settings and the field being edited always stay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::settings::{Settings, change_label, shown_value};
use crate::bureau::Key;
use crate::i18n::Lang;
use crate::roles::{self, Role};
use crate::tui::app::App;
use crate::tui::view::{short_time, styled};

/// Below this height the tables lose their frames.
const FRAMED: u16 = 16;
/// Below this width the "changed by" column is left out.
const WIDE: u16 = 72;

impl Settings {
    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let Some(data) = &self.data else {
            frame.render_widget(Paragraph::new(lang.pick("正在读取……", "loading…")), area);
            return;
        };
        let framed = area.height >= FRAMED;
        let border = if framed { 2 } else { 0 };
        let table_h = (data.settings.len() as u16 + 1 + border).min(area.height);
        let line_h = 2.min(area.height.saturating_sub(table_h));
        let [table, lines, rest] =
            Layout::vertical([Constraint::Length(table_h), Constraint::Length(line_h), Constraint::Min(0)])
                .areas(area);
        self.settings_table(app, frame, table, framed);
        self.lines(app, frame, lines);
        if rest.height >= 2 + border {
            users_table(app, frame, rest, framed, data);
        }
    }

    fn settings_table(&self, app: &App, frame: &mut Frame<'_>, area: Rect, framed: bool) {
        let lang = app.lang;
        let Some(data) = &self.data else { return };
        let wide = area.width >= WIDE;
        let label_w = Key::ALL.iter().map(|k| k.label(lang).width()).max().unwrap_or(10) as u16 + 1;
        // Narrow, the value keeps the larger share: labels are cut first.
        let label_w = label_w.min(area.width * 2 / 5);
        let header = match lang {
            Lang::Zh => ["设置项", "值", "修改人与时间"],
            Lang::En => ["setting", "value", "changed by, at"],
        };
        let rows: Vec<Row<'_>> = data
            .settings
            .iter()
            .map(|s| {
                let changed = s.changed.as_ref().map_or_else(
                    || lang.pick("（默认）", "(default)").to_string(),
                    |(by, at)| format!("{by} {}", short_time(at)),
                );
                // Wide, the last column says 默认; narrow, the value does.
                let value = if wide { s.value.clone() } else { shown_value(s, lang) };
                let value =
                    if s.changed.is_some() { Span::raw(value) } else { Span::styled(value, styled::dim()) };
                let mut cells = vec![Line::from(s.key.label(lang)), Line::from(value)];
                if wide {
                    cells.push(Line::from(changed));
                }
                Row::new(cells)
            })
            .collect();
        let mut widths = vec![Constraint::Length(label_w), Constraint::Min(8)];
        let mut head: Vec<&str> = header[..2].to_vec();
        if wide {
            widths.push(Constraint::Length(18));
            head.push(header[2]);
        }
        let mut table = Table::new(rows, widths)
            .header(Row::new(head).style(styled::heading()))
            .row_highlight_style(styled::selected())
            .highlight_symbol("> ");
        if framed {
            table = table.block(Block::bordered().title(lang.pick(" 局设置 ", " Bureau settings ")));
        }
        let mut state = TableState::default();
        state.select(Some(self.selected));
        frame.render_stateful_widget(table, area, &mut state);
    }

    /// The two lines under the settings: the field being edited and its refusal or the setting's help;
    /// else the help and, for non-admins, who may change the settings.
    fn lines(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        if area.height == 0 {
            return;
        }
        let lang = app.lang;
        let [first, second] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
        if let Some(editor) = &self.editor {
            let prompt = format!("{}{}", editor.key.label(lang), lang.pick("：", ": "));
            let prompt_w = (prompt.width() as u16).min(first.width / 2);
            let [label, field] =
                Layout::horizontal([Constraint::Length(prompt_w), Constraint::Min(1)]).areas(first);
            frame.render_widget(Paragraph::new(Span::styled(prompt, styled::heading())), label);
            editor.field.render(frame, field, true);
            let under = match &editor.error {
                Some(e) => Span::styled(e.clone(), styled::warn()),
                None => Span::styled(editor.key.help(lang).to_string(), styled::dim()),
            };
            frame.render_widget(Paragraph::new(under), second);
            return;
        }
        let help = self
            .data
            .as_ref()
            .and_then(|d| d.settings.get(self.selected))
            .map(|s| s.key.help(lang).to_string())
            .unwrap_or_default();
        frame.render_widget(Paragraph::new(Span::styled(help, styled::dim())), first);
        let role = self.data.as_ref().and_then(|d| d.role);
        let note = match roles::check(&app.user, role, Role::Admin, change_label(lang)) {
            Ok(_) => Span::raw(lang.pick("按 Enter 修改所选设置", "Enter changes the setting selected")),
            Err(_) => Span::styled(
                match (role, lang) {
                    (Some(r), Lang::Zh) => format!("只读：只有管理员可以修改局设置（你是{}）", r.label(lang)),
                    (Some(r), Lang::En) => {
                        format!("read-only: only admins change the bureau's settings (you are {})", r.label(lang))
                    }
                    (None, _) => lang
                        .pick(
                            "只读：只有管理员可以修改局设置（你未登记为用户）",
                            "read-only: only admins change the bureau's settings (you are not a registered user)",
                        )
                        .to_string(),
                },
                styled::warn(),
            ),
        };
        frame.render_widget(Paragraph::new(Line::from(note)), second);
    }
}

fn users_table(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    framed: bool,
    data: &super::settings::SettingsData,
) {
    let lang = app.lang;
    let header = match lang {
        Lang::Zh => ["姓名", "角色", "执法证号"],
        Lang::En => ["name", "role", "certificate no."],
    };
    let rows: Vec<Row<'_>> = data
        .users
        .iter()
        .map(|u| {
            let cert = if u.cert.is_empty() { lang.pick("（无）", "(none)") } else { u.cert.as_str() };
            Row::new(vec![u.name.clone(), u.role.label(lang).to_string(), cert.to_string()])
        })
        .collect();
    let widths = [Constraint::Length(14), Constraint::Length(12), Constraint::Min(10)];
    let mut table = Table::new(rows, widths).header(Row::new(header.to_vec()).style(styled::heading()));
    if framed {
        let title = match lang {
            Lang::Zh => format!(" 用户与执法证号（共 {} 人，只读；用 ducha users 管理） ", data.users.len()),
            Lang::En => format!(
                " Users and certificates ({}, read-only; managed with ducha users) ",
                data.users.len()
            ),
        };
        table = table.block(Block::bordered().title(title));
    }
    frame.render_widget(table, area);
}
