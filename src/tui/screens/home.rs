//! Home: drafts in progress (resume with Enter), recently submitted inspections, the counts of open and
//! overdue rectifications, and `n` for a new inspection.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::new_inspection::NewInspection;
use crate::store::inspections::Summary;
use crate::tui::action::{Action, HomeData};
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;
use crate::tui::view::{short_time, styled};

#[derive(Debug, Default)]
pub struct Home {
    pub data: Option<HomeData>,
    pub selected: usize,
}

impl Home {
    fn rows(&self) -> Vec<&Summary> {
        self.data.as_ref().map_or_else(Vec::new, |d| d.drafts.iter().chain(d.recent.iter()).collect())
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        let rows = self.rows().len();
        match action {
            Action::HomeLoaded(data) => {
                self.data = Some(data);
                self.selected = self.selected.min(self.rows().len().saturating_sub(1));
            }
            Action::Cmd(Cmd::Down) if rows > 0 => self.selected = (self.selected + 1).min(rows - 1),
            Action::Cmd(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Action::Cmd(Cmd::Enter) => {
                if let Some(row) = self.rows().get(self.selected) {
                    return (None, vec![Effect::Open(row.head.id.clone())]);
                }
            }
            Action::Cmd(Cmd::Board) => {
                let (board, effect) = crate::tui::screens::board::Board::open(app);
                return (Some(Screen::Board(Box::new(board))), vec![effect]);
            }
            Action::Cmd(Cmd::DutyLog) => {
                return (Some(Screen::DutyLog(Default::default())), vec![Effect::LoadDutyLog]);
            }
            Action::Cmd(Cmd::NewInspection) => {
                return (Some(Screen::New(Box::new(NewInspection::new(app)))), vec![]);
            }
            Action::Opened(opened) => {
                let screen = crate::tui::screens::inspect::Inspect::new(*opened, app);
                return (Some(Screen::Inspect(Box::new(screen))), vec![]);
            }
            _ => {}
        }
        (None, vec![])
    }

    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let Some(data) = &self.data else {
            frame.render_widget(Paragraph::new(lang.pick("正在读取……", "loading…")), area);
            return;
        };
        let [counts, lists] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let overdue = if data.overdue_rectifications > 0 { styled::warn() } else { Style::default() };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(lang.pick("未销号整改 ", "open rectifications ")),
                Span::styled(
                    data.open_rectifications.to_string(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(lang.pick("  其中逾期 ", "  overdue ")),
                Span::styled(data.overdue_rectifications.to_string(), overdue),
                Span::raw(lang.pick("    按 n 新建检查", "    press n for a new inspection")),
            ])),
            counts,
        );
        let mut items: Vec<ListItem<'_>> = Vec::new();
        let section = |text: String| ListItem::new(Line::from(Span::styled(text, styled::heading())));
        let mut selectable = Vec::new();
        items.push(section(format!(
            "{} ({})",
            lang.pick("进行中的草稿", "Drafts in progress"),
            data.drafts.len()
        )));
        if data.drafts.is_empty() {
            items.push(ListItem::new(lang.pick("  （无）", "  (none)")));
        }
        for d in &data.drafts {
            selectable.push(items.len());
            items.push(ListItem::new(row_line(d)));
        }
        items.push(section(format!(
            "{} ({})",
            lang.pick("最近提交", "Recently submitted"),
            data.recent.len()
        )));
        if data.recent.is_empty() {
            items.push(ListItem::new(lang.pick("  （无）", "  (none)")));
        }
        for r in &data.recent {
            selectable.push(items.len());
            items.push(ListItem::new(row_line(r)));
        }
        let mut state = ListState::default();
        state.select(selectable.get(self.selected).copied());
        let list = List::new(items)
            .block(Block::bordered().title(lang.pick(" 检查记录 ", " Inspections ")))
            .highlight_style(styled::selected())
            .highlight_symbol("> ");
        frame.render_stateful_widget(list, lists, &mut state);
    }
}

fn row_line(s: &Summary) -> Line<'static> {
    let when = short_time(s.head.submitted_at.as_deref().unwrap_or(&s.head.updated_at));
    let who = s.head.inspectors.join("、");
    Line::from(vec![
        Span::raw(format!("  {when}  ")),
        Span::styled(s.site_name.clone(), Style::default().add_modifier(Modifier::BOLD)),
        Span::raw(format!("  {}  {who}", s.checklist_title)),
    ])
}
