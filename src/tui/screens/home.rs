//! Home: drafts in progress (resume with Enter), recently submitted inspections, the counts of open and
//! overdue rectifications, `n` for a new inspection and `i` for the list of all inspections.

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

enum Row<'a> {
    Inspection(&'a Summary),
    Planned(&'a crate::store::plans::Planned),
}

#[derive(Debug, Default)]
pub struct Home {
    pub data: Option<HomeData>,
    pub selected: usize,
}

impl Home {
    /// The selectable rows, top to bottom: drafts, planned inspections, recently submitted.
    fn rows(&self) -> Vec<Row<'_>> {
        let Some(d) = &self.data else { return Vec::new() };
        d.drafts
            .iter()
            .map(Row::Inspection)
            .chain(d.planned.iter().map(Row::Planned))
            .chain(d.recent.iter().map(Row::Inspection))
            .collect()
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
            Action::Cmd(Cmd::Enter) => match self.rows().get(self.selected) {
                Some(Row::Inspection(s)) => return (None, vec![Effect::Open(s.head.id.clone())]),
                Some(Row::Planned(p)) => return (None, vec![Effect::StartPlanned((*p).clone())]),
                None => {}
            },
            Action::PlannedSite { site, planned } => {
                let screen =
                    crate::tui::screens::new_inspection::NewInspection::for_plan(app, *site, &planned);
                return (Some(Screen::New(Box::new(screen))), vec![]);
            }
            Action::Cmd(Cmd::Weekly) => {
                let (weekly, effect) = crate::tui::screens::weekly::Weekly::open(app);
                return (Some(Screen::Weekly(Box::new(weekly))), vec![effect]);
            }
            Action::Cmd(Cmd::Board) => {
                let (board, effect) = crate::tui::screens::board::Board::open(app);
                return (Some(Screen::Board(Box::new(board))), vec![effect]);
            }
            Action::Cmd(Cmd::Inspections) => {
                let (list, effect) = crate::tui::screens::inspections::Inspections::open();
                return (Some(Screen::Inspections(Box::new(list))), vec![effect]);
            }
            Action::Cmd(Cmd::Settings) => {
                let (settings, effect) = crate::tui::screens::settings::Settings::open();
                return (Some(Screen::Settings(Box::new(settings))), vec![effect]);
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
        if !data.planned.is_empty() {
            let title = lang.pick("计划检查（双随机）", "Planned (random)");
            items.push(section(format!("{title} ({})", data.planned.len())));
            for p in &data.planned {
                selectable.push(items.len());
                let domain = crate::domain::Domain::from_key(&p.domain).map_or("", |d| d.label(lang));
                items.push(ListItem::new(Line::from(vec![
                    Span::raw(format!("  {}  ", p.planned_at.get(..10).unwrap_or(""))),
                    Span::styled(p.site_name.clone(), Style::default().add_modifier(Modifier::BOLD)),
                    Span::raw(format!("  {domain}  {}", p.inspectors.join("、"))),
                ])));
            }
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
