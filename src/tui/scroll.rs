//! Keeping the focused line on screen, for any list or form, and saying so when the terminal is too small
//! to show anything useful. Pure arithmetic plus one drawing helper, so every screen scrolls the same way.
//!
//! - [`offset`]: for a list of one-line rows with a remembered offset (a `ListState`-like list): the
//!   smallest move of the window that brings the focused row into view.
//! - [`first_row`]: for a form of rows of different heights drawn from scratch each frame: the first row
//!   to draw so that the focused row is whole on screen, as near the top as possible.
//! - [`too_small`]: draws 终端窗口太小 / terminal too small (with the size needed) and returns true when
//!   `area` is below a minimum, so a screen draws that instead of garbage.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::i18n::Lang;

/// The first row to show of a list of `len` one-line rows in `view` lines, moving the window from
/// `previous` as little as needed to show `focus`. Never past the end (no empty lines below the last row
/// while there are rows above).
pub fn offset(previous: usize, focus: usize, len: usize, view: usize) -> usize {
    if view == 0 || len == 0 {
        return 0;
    }
    let focus = focus.min(len - 1);
    let mut first = previous.min(len.saturating_sub(view));
    if focus < first {
        first = focus;
    } else if focus >= first + view {
        first = focus + 1 - view;
    }
    first
}

/// The first row to draw of rows with these `heights` (in lines) in `view` lines so that row `focus` is
/// whole on screen: 0 while everything up to it fits, else the latest start that still ends on it. A
/// focused row taller than the view is drawn first (cut at the bottom; the caller shrinks it).
pub fn first_row(heights: &[u16], focus: usize, view: u16) -> usize {
    let focus = focus.min(heights.len().saturating_sub(1));
    let mut used: u32 = 0;
    let mut first = focus + 1;
    while first > 0 {
        let h = u32::from(heights.get(first - 1).copied().unwrap_or(0));
        if used + h > u32::from(view) && first <= focus {
            break;
        }
        used += h;
        first -= 1;
    }
    first.min(focus)
}

/// How many rows from `first` fit in `view` lines (at least one when any row is left, so the focused row
/// is always drawn, cut if it must be).
pub fn rows_that_fit(heights: &[u16], first: usize, view: u16) -> usize {
    let mut used: u32 = 0;
    let mut n = 0;
    for h in heights.iter().skip(first) {
        if used + u32::from(*h) > u32::from(view) && n > 0 {
            break;
        }
        used += u32::from(*h);
        n += 1;
    }
    n
}

/// Draws the "too small" notice over `area` and returns true when `area` is narrower than `min_width` or
/// lower than `min_height`; returns false (drawing nothing) otherwise.
pub fn too_small(frame: &mut Frame<'_>, area: Rect, min_width: u16, min_height: u16, lang: Lang) -> bool {
    if area.width >= min_width && area.height >= min_height {
        return false;
    }
    if area.width == 0 || area.height == 0 {
        return true;
    }
    let text = match lang {
        Lang::Zh => format!("终端窗口太小（至少 {min_width}×{min_height}）"),
        Lang::En => format!("terminal too small (needs {min_width}×{min_height})"),
    };
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(text, crate::tui::view::styled::warn())))
            .wrap(Wrap { trim: true }),
        area,
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_window_moves_only_as_far_as_the_focus_needs() {
        assert_eq!(offset(0, 3, 10, 5), 0, "visible already");
        assert_eq!(offset(0, 7, 10, 5), 3, "below: the focus becomes the last line");
        assert_eq!(offset(5, 2, 10, 5), 2, "above: the focus becomes the first line");
        assert_eq!(offset(8, 9, 10, 5), 5, "never past the end");
        assert_eq!(offset(4, 0, 0, 5), 0);
        assert_eq!(offset(4, 3, 10, 0), 0);
    }

    #[test]
    fn a_form_starts_drawing_where_the_focused_row_still_fits() {
        let heights = [2, 3, 1, 3, 1, 1, 1];
        assert_eq!(first_row(&heights, 0, 5), 0);
        assert_eq!(first_row(&heights, 2, 6), 0, "2 + 3 + 1 fit");
        assert_eq!(first_row(&heights, 3, 6), 2, "rows 1..=3 take 7 lines: start at 2");
        assert_eq!(first_row(&heights, 6, 3), 4);
        assert_eq!(first_row(&heights, 3, 2), 3, "taller than the view: starts on it");
        assert_eq!(rows_that_fit(&heights, 4, 3), 3);
        assert_eq!(rows_that_fit(&heights, 3, 2), 1, "the focused row is drawn even when cut");
    }
}
