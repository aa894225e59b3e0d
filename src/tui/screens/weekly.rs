//! The weekly report in the console: the figures of an ISO week (Monday–Sunday), by domain, and the open
//! count over the last 12 weeks as a bar chart. Left/Right move a week.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::home::Home;
use crate::i18n::Lang;
use crate::report::weekly::{Figure, OpenAt};
use crate::report::{IsoWeek, WeeklyReport};
use crate::tui::action::Action;
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;
use crate::tui::view::styled;

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

        let block = Block::bordered().title(lang.pick(
            " 近 12 周未销号整改数（周末） ",
            " Open rectifications at each week's end, last 12 weeks ",
        ));
        let inner = block.inner(chart);
        frame.render_widget(block, chart);
        draw_bars(frame, inner, &r.open_series);
    }
}

/// Draws one bar per week, its height proportional to the count (from zero, so the heights compare
/// honestly), the count just above it and the week under it. Only a bar's own cells are painted: ratatui's
/// `BarChart` also paints the empty part of each bar with the bar style, which made every bar look full
/// height. A count above zero gets at least one row, so it is never drawn like a zero. Bars are spaces in
/// the bar colour (reverse video without colour): block characters are ambiguous-width and some
/// Chinese-locale terminals draw them two cells wide.
fn draw_bars(frame: &mut Frame<'_>, area: Rect, series: &[OpenAt]) {
    if area.width == 0 || area.height < 2 || series.is_empty() {
        return;
    }
    // Bars 4 wide with a gap of 2 when they fit; narrower otherwise; in a very narrow terminal, the latest
    // weeks that fit with at least one column each.
    let fit = usize::from(area.width / 2).max(1);
    let series = &series[series.len().saturating_sub(fit)..];
    let slot = (area.width / series.len().max(1) as u16).clamp(1, 6);
    let bar_w = if slot >= 6 { 4 } else { slot.saturating_sub(1).max(1) };
    let label_y = area.y + area.height - 1;
    let rows = area.height - 2; // the value row on top and the label row below
    let max = series.iter().map(|p| p.open).max().unwrap_or(0).max(1);
    let buf = frame.buffer_mut();
    for (i, p) in series.iter().enumerate() {
        let x = area.x + i as u16 * slot;
        // Rounded to the nearest row; at least one for a count above zero (`min` last: no rows, no bar).
        let h = if p.open == 0 { 0 } else { ((p.open as f64 / max as f64) * f64::from(rows)).round() as u16 };
        let h = if p.open == 0 { 0 } else { h.max(1).min(rows) };
        for dy in 0..h {
            for dx in 0..bar_w {
                if let Some(cell) = buf.cell_mut((x + dx, label_y - 1 - dy)) {
                    cell.set_symbol(" ").set_style(styled::bar());
                }
            }
        }
        let value_y = label_y - 1 - h;
        buf.set_stringn(x, value_y, p.open.to_string(), usize::from(slot), ratatui::style::Style::default());
        buf.set_stringn(x, label_y, format!("W{:02}", p.week.week()), usize::from(slot), styled::dim());
    }
}

fn load(app: &App, week: IsoWeek) -> Effect {
    Effect::LoadWeekly { week, today: app.today() }
}
