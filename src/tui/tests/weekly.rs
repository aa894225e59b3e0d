//! The weekly report's chart: bar heights follow the counts, and only a bar's own cells are painted.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use super::*;
use crate::report::weekly::{Figures, OpenAt};
use crate::report::{IsoWeek, WeeklyReport};
use crate::tui::screens::weekly::Weekly;

fn report(counts: &[u64]) -> WeeklyReport {
    let week = IsoWeek::of(now().date());
    let mut weeks = vec![week];
    while weeks.len() < counts.len() {
        let first = weeks[0].prev();
        weeks.insert(0, first);
    }
    WeeklyReport {
        week,
        report_day: now().date(),
        totals: Figures::default(),
        by_domain: Domain::ALL.iter().map(|d| (*d, Figures::default())).collect(),
        by_town: vec![],
        overdue: vec![],
        due_next_week: vec![],
        open_series: weeks
            .iter()
            .zip(counts)
            .map(|(w, open)| OpenAt { week: *w, at: w.sunday(), open: *open })
            .collect(),
    }
}

/// The screen as text, each cell painted in the bar style shown as `#` so the snapshot shows the bars.
fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| crate::tui::view::render(app, frame)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut skip = 0;
        for x in 0..width {
            let cell = &buf[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let painted = cell.bg == Color::Green || cell.modifier.contains(Modifier::REVERSED);
            let s = if painted { "#" } else { cell.symbol() };
            out.push_str(s);
            skip = s.width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn weekly_app(counts: &[u64]) -> App {
    let mut app = app();
    let mut weekly = Weekly::open(&app).0;
    weekly.report = Some(Box::new(report(counts)));
    app.screen = Screen::Weekly(Box::new(weekly));
    app
}

#[test]
fn the_weekly_bars_follow_the_counts_with_zeros_left_empty() {
    let counts = [0, 0, 3, 1_060, 1_249, 1_100, 0, 600, 1, 1_249, 250, 1_180];
    let app = weekly_app(&counts);
    let text = screen(&app, 80, 24);
    insta::assert_snapshot!("weekly_unequal_bars", text);
    // Column of each bar: its height in painted cells.
    let lines: Vec<&str> = text.lines().collect();
    let height = |i: usize| lines.iter().filter(|l| l.chars().nth(1 + i * 6) == Some('#')).count();
    let heights: Vec<usize> = (0..counts.len()).map(height).collect();
    assert_eq!(heights[0], 0, "a zero has no bar");
    assert_eq!(heights[6], 0);
    assert!(heights[8] >= 1, "a count above zero has at least one row");
    assert!(heights[4] > heights[3], "1,249 is taller than 1,060: {heights:?}");
    assert!(heights[7] < heights[3] && heights[10] < heights[7], "{heights:?}");
}

#[test]
fn the_weekly_chart_draws_at_any_size() {
    let app = weekly_app(&[0, 5, 1_249, 7, 0, 1, 2, 3, 4, 5, 6, 1_000]);
    for (w, h) in [(80, 24), (20, 5), (10, 14), (1, 1), (200, 60), (30, 17)] {
        screen(&app, w, h);
    }
}
