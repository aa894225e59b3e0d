//! The weekly report in the console: the figures of an ISO week (Monday–Sunday), by domain, and the open
//! count over the last 12 weeks as a bar chart. Left/Right move a week.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::bar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Row, Table};

use super::home::Home;
use crate::i18n::Lang;
use crate::report::weekly::Figure;
use crate::report::{IsoWeek, WeeklyReport};
use crate::tui::action::Action;
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;
use crate::tui::view::styled;

/// Bars made of spaces: the bar's colour (or reverse video) draws it, so no block characters are needed —
/// they are ambiguous-width and some Chinese-locale terminals draw them two cells wide.
const SPACES: bar::Set = bar::Set {
    full: " ",
    seven_eighths: " ",
    three_quarters: " ",
    five_eighths: " ",
    half: " ",
    three_eighths: " ",
    one_quarter: " ",
    one_eighth: " ",
    empty: " ",
};

#[derive(Debug)]
pub struct Weekly {
    pub week: IsoWeek,
    pub report: Option<Box<WeeklyReport>>,
}

impl Weekly {
    pub fn open(app: &App) -> (Weekly, Effect) {
        let week = IsoWeek::of(app.today());
        (Weekly { week, report: None }, load(app, week))
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        match action {
            Action::WeeklyLoaded(report) => self.report = Some(report),
            Action::Cmd(Cmd::Back) => return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]),
            Action::Cmd(Cmd::Left | Cmd::Up) => {
                self.week = self.week.prev();
                return (None, vec![load(app, self.week)]);
            }
            Action::Cmd(Cmd::Right | Cmd::Down) if self.week < IsoWeek::of(app.today()) => {
                self.week = self.week.next();
                return (None, vec![load(app, self.week)]);
            }
            _ => {}
        }
        (None, vec![])
    }

    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let Some(r) = self.report.as_deref() else {
            frame.render_widget(Paragraph::new(lang.pick("正在统计……", "counting…")), area);
            return;
        };
        let [title, figures, chart] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(7), Constraint::Min(5)]).areas(area);
        let heading = match lang {
            Lang::Zh => format!(
                "{} 周报（{} 至 {}，统计日 {}）",
                r.week,
                r.week.monday().format("%m-%d"),
                r.week.sunday().format("%m-%d"),
                r.report_day.format("%m-%d")
            ),
            Lang::En => format!(
                "Week {} ({} to {}, as of {})",
                r.week,
                r.week.monday().format("%m-%d"),
                r.week.sunday().format("%m-%d"),
                r.report_day.format("%m-%d")
            ),
        };
        frame.render_widget(Paragraph::new(Span::styled(heading, styled::heading())), title);

        let mut header = vec![lang.pick("领域", "domain").to_string()];
        header.extend(Figure::ALL.iter().map(|f| f.label(lang).to_string()));
        let mut rows: Vec<Row<'_>> = r
            .by_domain
            .iter()
            .map(|(d, f)| {
                let mut cells = vec![d.label(lang).to_string()];
                cells.extend(Figure::ALL.iter().map(|x| f.get(*x).to_string()));
                Row::new(cells)
            })
            .collect();
        let mut total = vec![lang.pick("合计", "total").to_string()];
        total.extend(Figure::ALL.iter().map(|x| r.totals.get(*x).to_string()));
        rows.push(Row::new(total).style(styled::heading()));
        let widths = [
            Constraint::Length(16),
            Constraint::Length(8),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(10),
        ];
        frame.render_widget(
            Table::new(rows, widths).header(Row::new(header).style(styled::heading())),
            figures,
        );

        let bars: Vec<Bar<'_>> = r
            .open_series
            .iter()
            .map(|p| {
                Bar::default()
                    .value(p.open)
                    .text_value(p.open.to_string())
                    .label(Line::from(format!("W{:02}", p.week.week())))
            })
            .collect();
        let block = Block::bordered().title(lang.pick(
            " 近 12 周未销号整改数（周末） ",
            " Open rectifications at each week's end, last 12 weeks ",
        ));
        let widget = BarChart::default()
            .block(block)
            .data(BarGroup::default().bars(&bars))
            .bar_width(4)
            .bar_gap(2)
            .bar_set(SPACES)
            .bar_style(styled::bar())
            .value_style(styled::bar());
        frame.render_widget(widget, chart);
    }
}

fn load(app: &App, week: IsoWeek) -> Effect {
    Effect::LoadWeekly { week, today: app.today() }
}
