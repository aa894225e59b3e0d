//! Duty log: the past shifts of the rescue station's log by date — start, end, officers, whether the
//! handover was signed — opened with Enter; `n` starts a new shift (officers prefilled from the last
//! handover).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Row, Table, TableState};

use super::home::Home;
use super::inspect::Inspect;
use super::new_inspection::NewInspection;
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::store::duty_log::LogEntry;
use crate::store::inspections::Status;
use crate::tui::action::Action;
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;
use crate::tui::view::styled;

#[derive(Debug, Default)]
pub struct DutyLog {
    pub entries: Vec<LogEntry>,
    pub selected: usize,
}

impl DutyLog {
    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        match action {
            Action::DutyLogLoaded(entries) => {
                self.entries = entries;
                self.selected = self.selected.min(self.entries.len().saturating_sub(1));
            }
            Action::Cmd(Cmd::Down) if !self.entries.is_empty() => {
                self.selected = (self.selected + 1).min(self.entries.len() - 1);
            }
            Action::Cmd(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Action::Cmd(Cmd::Enter) => {
                if let Some(e) = self.entries.get(self.selected) {
                    return (None, vec![Effect::Open(e.inspection_id.clone())]);
                }
            }
            Action::Cmd(Cmd::NewInspection) => {
                let screen = NewInspection::for_domain(app, Domain::RescueStation);
                return (Some(Screen::New(Box::new(screen))), vec![Effect::LoadSites(Domain::RescueStation)]);
            }
            Action::Cmd(Cmd::Back) => return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]),
            Action::Opened(opened) => {
                return (Some(Screen::Inspect(Box::new(Inspect::new(*opened, app)))), vec![]);
            }
            _ => {}
        }
        (None, vec![])
    }

    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let header = Row::new(match lang {
            Lang::Zh => vec!["接班时间", "交班时间", "值班人员", "交接签名", "状态"],
            Lang::En => vec!["shift start", "shift end", "on duty", "handover", "status"],
        })
        .style(styled::heading());
        let rows: Vec<Row<'_>> = self
            .entries
            .iter()
            .map(|e| {
                let start = if e.shift_start.is_empty() {
                    format!("({})", e.started_at.get(..16).unwrap_or("").replace('T', " "))
                } else {
                    e.shift_start.clone()
                };
                let handover = if e.handover.trim().is_empty() {
                    Span::styled(lang.pick("未签", "not signed"), styled::warn())
                } else {
                    Span::raw(e.handover.clone())
                };
                let status = match e.status {
                    Status::Draft => lang.pick("填写中", "in progress"),
                    Status::Submitted => lang.pick("已提交", "submitted"),
                };
                Row::new(vec![
                    ratatui::text::Line::raw(start),
                    ratatui::text::Line::raw(e.shift_end.clone()),
                    ratatui::text::Line::raw(e.officers.clone()),
                    ratatui::text::Line::from(handover),
                    ratatui::text::Line::raw(status),
                ])
            })
            .collect();
        let empty = self.entries.is_empty();
        let title = if empty {
            lang.pick(" 值班记录（暂无，按 n 开始新班次） ", " Duty log (none yet: n starts a shift) ")
        } else {
            lang.pick(" 值班记录（按日期） ", " Duty log (by date) ")
        };
        let table = Table::new(
            rows,
            [
                Constraint::Length(17),
                Constraint::Length(17),
                Constraint::Min(10),
                Constraint::Length(12),
                Constraint::Length(8),
            ],
        )
        .header(header)
        .block(Block::bordered().title(title))
        .row_highlight_style(styled::selected());
        let mut state = TableState::default();
        if !empty {
            state.select(Some(self.selected));
        }
        frame.render_stateful_widget(table, area, &mut state);
    }
}
