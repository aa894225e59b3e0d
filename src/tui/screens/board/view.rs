//! Drawing the board: the filter line and the urgency-ordered table, with the count of what the filters
//! select; in a small terminal a plain list of the rows around the cursor, and below that a sentence saying
//! the window is too small. The detail is drawn by `detail_view`, a conflict's branches and its settle form
//! by `conflict_view`.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Board, STATUS_PRESETS, Typing};
use crate::domain::Severity;
use crate::i18n::Lang;
use crate::rectification::conflict::chosen_branch;
use crate::rectification::{Status, days_overdue};
use crate::store::board::BoardRow;
use crate::store::rectifications::Event;
use crate::tui::app::App;
use crate::tui::view::{centered, clear_popup, label, styled, thousands, wrapped};

pub(super) fn status_label(key: &str, lang: Lang) -> String {
    Status::from_key(key).map_or_else(|| key.to_string(), |s| s.label(lang).to_string())
}

fn severity_label(key: &str, lang: Lang) -> String {
    Severity::from_key(key).map_or_else(|| key.to_string(), |s| s.label(lang).to_string())
}

/// A day as the board shows it: `12-31` in the current year, `2027-01-15` in any other.
pub(super) fn day(date: &str, today: NaiveDate) -> String {
    match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) if d.year() == today.year() => d.format("%m-%d").to_string(),
        _ => date.to_string(),
    }
}

/// `2026-11-29T10:03:00+08:00` → `11-29 10:03` in the current year, `2025-11-29 10:03` in another.
pub(super) fn stamp(at: &str, today: NaiveDate) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(d), Some(t)) => format!("{} {t}", day(d, today)),
        _ => at.to_string(),
    }
}

/// `text` in at most `width` columns; a long one keeps its start and its end (where outlets' names
/// differ: 中国..32068012号投注站), joined by `..` (ASCII: `…` is two columns on some terminals).
pub(super) fn elide(text: &str, width: usize) -> String {
    if UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let take = |chars: &mut dyn Iterator<Item = char>, budget: usize| {
        let mut used = 0;
        let mut out = Vec::new();
        for c in chars {
            let w = UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > budget {
                break;
            }
            used += w;
            out.push(c);
        }
        out
    };
    if width < 6 {
        return take(&mut text.chars(), width).into_iter().collect();
    }
    let head_budget = (width - 2) / 4;
    let head: String = take(&mut text.chars(), head_budget).into_iter().collect();
    let tail_budget = width - 2 - UnicodeWidthStr::width(head.as_str());
    let mut tail = take(&mut text.chars().rev(), tail_budget);
    tail.reverse();
    format!("{head}..{}", tail.into_iter().collect::<String>())
}

/// One event of the history: when, who, what, and its note.
pub(super) fn event_line(e: &Event, lang: Lang, today: NaiveDate) -> String {
    let status = |s: &Option<String>| s.as_deref().map(|s| status_label(s, lang)).unwrap_or_default();
    let what = match e.kind.as_str() {
        "created" => lang.pick("生成整改", "created").to_string(),
        "transition" => format!("{} → {}", status(&e.from_status), status(&e.to_status)),
        "extend" => format!(
            "{}{} → {}",
            lang.pick("延期 ", "extended "),
            e.old_deadline.clone().unwrap_or_default(),
            e.new_deadline.clone().unwrap_or_default()
        ),
        "settle" => {
            let branch = chosen_branch(e).map(|n| n.to_string()).unwrap_or_default();
            match lang {
                Lang::Zh => format!("裁决冲突：采用分支 {branch}（{}）", status(&e.to_status)),
                Lang::En => format!("settled conflict: branch {branch} ({})", status(&e.to_status)),
            }
        }
        "withdraw" => format!(
            "{} → {}",
            status(&e.from_status),
            lang.pick("撤销（修订后不再不合格）", "withdrawn (amended, no longer failing)")
        ),
        _ => lang.pick("跟进", "note").to_string(),
    };
    let note = if e.note.is_empty() { String::new() } else { format!("：{}", e.note) };
    format!("{}  {}  {what}{note}", stamp(&e.at, today), e.actor)
}

pub(super) fn overdue_days(app: &App, status: &str, deadline: &str) -> i64 {
    match (Status::from_key(status), NaiveDate::parse_from_str(deadline, "%Y-%m-%d")) {
        (Some(s), Ok(d)) => days_overdue(s, d, app.today()),
        _ => 0,
    }
}

/// Said in place of a screen that has no room; wrapped, so as much of it shows as fits.
pub(super) fn too_small(lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    let text = lang.pick("终端窗口太小，请放大窗口", "terminal too small: enlarge the window");
    frame.render_widget(wrapped(Line::from(Span::styled(text, styled::warn()))), area);
}

/// `n` one-line rows for a small form over `area`: inside a framed popup of at most `w` columns with
/// `title` where it fits, else on the cleared area itself without a frame (as many rows as there are), so
/// what is typed stays in view at any size.
pub(super) fn form_rows(frame: &mut Frame<'_>, area: Rect, w: u16, n: u16, title: &str) -> Vec<Rect> {
    let framed = area.height >= n + 2 && area.width >= 30;
    let inner = if framed {
        let popup = centered(area, w, n + 2);
        clear_popup(frame, popup);
        let block = Block::bordered().title(title.to_string());
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        inner
    } else {
        clear_popup(frame, area);
        area
    };
    (0..n.min(inner.height)).map(|i| Rect::new(inner.x, inner.y + i, inner.width, 1)).collect()
}

/// The widest of `labels` (and the column's header).
fn widest<'a>(header: &str, labels: impl Iterator<Item = &'a str>) -> u16 {
    let w = labels.map(UnicodeWidthStr::width).max().unwrap_or(0).max(UnicodeWidthStr::width(header));
    u16::try_from(w).unwrap_or(u16::MAX)
}

/// The level with the major-hazard mark, which every width keeps.
fn level(r: &BoardRow, lang: Lang) -> String {
    let mut level = severity_label(&r.severity, lang);
    if r.major_hazard {
        level.push('!');
    }
    level
}

impl Board {
    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        if self.detail.is_some() {
            self.render_detail(app, frame, area);
            if let Some(form) = &self.export {
                form.render(app, frame, area);
            }
            return;
        }
        if area.width < 20 || area.height < 1 {
            return too_small(app.lang, frame, area);
        }
        if area.width < 50 || area.height < 7 {
            self.render_compact(app, frame, area);
        } else {
            self.render_table(app, frame, area);
        }
        if let Some(typing) = &self.typing {
            let lang = app.lang;
            let (name, field) = match typing {
                Typing::Search(f) => {
                    (lang.pick(" 搜索（问题、单位、编号） ", " Search (problem, site, code) "), f)
                }
                Typing::Town(f) => (lang.pick(" 镇街（名称的一部分即可） ", " Town (part of its name) "), f),
                Typing::Site(f) => {
                    (lang.pick(" 单位（名称或编号的一部分） ", " Site (part of its name or code) "), f)
                }
            };
            if let Some(row) = form_rows(frame, area, 50, 1, name).first() {
                field.render(frame, *row, true);
            }
        }
        if let Some(form) = &self.export {
            form.render(app, frame, area);
        }
    }

    fn remember_rows(&self, rows: usize) {
        let mut drawn = self.drawn.get();
        drawn.list_rows = rows;
        self.drawn.set(drawn);
    }

    /// `共 14,030 条，第 5 条`: what the filters select in all, and where the cursor is. While the total is
    /// being counted, the rows read so far: `共 100+ 条（计数中），第 5 条`.
    fn count(&self, lang: Lang) -> String {
        let read = thousands(u64::try_from(self.rows.len()).unwrap_or(0));
        let total = match (self.total, self.counting, lang) {
            (Some(n), _, Lang::Zh) => format!("共 {} 条", thousands(n)),
            (Some(n), _, Lang::En) => format!("{} in all", thousands(n)),
            (None, true, Lang::Zh) => format!("共 {read}+ 条（计数中）"),
            (None, true, Lang::En) => format!("{read}+ (counting)"),
            (None, false, Lang::Zh) => format!("共 {read} 条"),
            (None, false, Lang::En) => format!("{read} in all"),
        };
        if self.rows.is_empty() {
            return total;
        }
        let at = thousands(u64::try_from(self.selected + 1).unwrap_or(0));
        match lang {
            Lang::Zh => format!("{total}，第 {at} 条"),
            Lang::En => format!("{total}, row {at}"),
        }
    }

    fn filter_line(&self, lang: Lang) -> Line<'static> {
        let statuses = STATUS_PRESETS[self.status_preset];
        let status = match statuses {
            [] => lang.pick("全部", "all").to_string(),
            [_, _, _] => lang.pick("未销号", "not closed").to_string(),
            list => list.iter().map(|s| s.label(lang)).collect::<Vec<_>>().join("/"),
        };
        let any = lang.pick("全部", "all");
        let mut spans = vec![
            label(lang.pick("状态 ", "status ")),
            Span::raw(format!("{status}  ")),
            label(lang.pick("领域 ", "domain ")),
            Span::raw(format!("{}  ", self.domain.map_or(any, |d| d.label(lang)))),
            label(lang.pick("等级 ", "level ")),
            Span::raw(format!("{}  ", self.severity.map_or(any, |s| s.label(lang)))),
        ];
        for (value, name) in [
            (&self.town, lang.pick("镇街 ", "town ")),
            (&self.site, lang.pick("单位 ", "site ")),
            (&self.search, lang.pick("搜索 ", "search ")),
        ] {
            if !value.is_empty() {
                spans.push(label(name));
                spans.push(Span::raw(format!("{value}  ")));
            }
        }
        if self.overdue_only {
            spans.push(Span::styled(lang.pick("只看逾期  ", "overdue only  "), styled::warn()));
        }
        if self.conflict_only {
            spans.push(Span::styled(lang.pick("只看冲突", "conflicts only"), styled::warn()));
        } else if self.conflicts > 0 {
            // Said whatever the other filters are, so a supervisor knows there are conflicts to settle.
            let text = match lang {
                Lang::Zh => format!("冲突 {} 条（C 查看）", self.conflicts),
                Lang::En => format!("{} in conflict (C shows)", self.conflicts),
            };
            spans.push(Span::styled(text, styled::warn()));
        }
        Line::from(spans)
    }

    fn render_table(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let today = app.today();
        // The filter line wraps to a second line rather than cutting off what is filtered.
        let line = self.filter_line(lang);
        let height = if line.width() > usize::from(area.width) && area.height >= 10 { 2 } else { 1 };
        let [filters, table] = Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area);
        frame.render_widget(wrapped(line), filters);
        let headers = match lang {
            Lang::Zh => ["逾期", "期限", "等级", "状态", "被检查单位", "问题"],
            Lang::En => ["late", "due", "level", "status", "site", "problem"],
        };
        // Every column but the site's and the problem's as wide as its longest label in this language.
        let days: Vec<i64> = self.rows.iter().map(|r| overdue_days(app, &r.status, &r.deadline)).collect();
        let late: Vec<String> =
            days.iter().map(|d| if *d > 0 { d.to_string() } else { String::new() }).collect();
        let late_w = widest(headers[0], late.iter().map(String::as_str));
        let dates: Vec<String> = self.rows.iter().map(|r| day(&r.deadline, today)).collect();
        let date_w = widest(headers[1], dates.iter().map(String::as_str).chain(["12-31"]));
        let marked: Vec<String> = Severity::ALL.iter().map(|s| format!("{}!", s.label(lang))).collect();
        let level_w = widest(headers[2], marked.iter().map(String::as_str));
        let status_w = widest(headers[3], Status::ALL.iter().map(|s| s.label(lang)));
        let inner = table.width.saturating_sub(2);
        let fixed = late_w + date_w + level_w + status_w + 5; // five gaps of one column
        let rest = inner.saturating_sub(fixed);
        let longest = widest(headers[4], self.rows.iter().map(|r| r.site_name.as_str()));
        let site_w = (rest / 2).max(10).min(longest).min(rest.saturating_sub(8));
        let header = Row::new(headers.to_vec()).style(styled::heading());
        let rows: Vec<Row<'_>> = self
            .rows
            .iter()
            .zip(days.iter().zip(dates))
            .map(|(r, (days, date))| {
                let late =
                    if *days > 0 { Span::styled(days.to_string(), styled::warn()) } else { Span::raw("") };
                // The tag leads the problem, so it stays visible however narrow the column gets.
                let mut problem = Vec::new();
                if r.conflict {
                    problem.push(Span::styled(lang.pick("冲突 ", "conflict "), styled::warn()));
                }
                problem.push(Span::raw(r.problem.replace('\n', " ")));
                Row::new(vec![
                    Line::from(late),
                    Line::raw(date),
                    Line::raw(level(r, lang)),
                    Line::raw(status_label(&r.status, lang)),
                    Line::raw(elide(&r.site_name, usize::from(site_w))),
                    Line::from(problem),
                ])
            })
            .collect();
        let title = if self.rows.is_empty() {
            lang.pick(" 整改看板：没有符合条件的整改事项 ", " Board: nothing matches ")
        } else {
            lang.pick(" 整改看板（最紧急的在前） ", " Board (most urgent first) ")
        };
        let widths = [
            Constraint::Length(late_w),
            Constraint::Length(date_w),
            Constraint::Length(level_w),
            Constraint::Length(status_w),
            Constraint::Length(site_w),
            Constraint::Min(8),
        ];
        let table_widget = Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(title).title_bottom(format!(" {} ", self.count(lang))))
            .row_highlight_style(styled::selected());
        self.remember_rows(usize::from(table.height.saturating_sub(3)));
        let mut state = TableState::default();
        if !self.rows.is_empty() {
            state.select(Some(self.selected));
        }
        frame.render_stateful_widget(table_widget, table, &mut state);
    }

    /// A small terminal: no frame, no filter line; the rows around the cursor as `level [deadline] site
    /// problem` (overdue levels in red),
    /// and the count on the last line when there is room.
    fn render_compact(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let (list, count) = if area.height >= 3 {
            let [list, count] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
            (list, Some(count))
        } else {
            (area, None)
        };
        let level_w = widest("", Severity::ALL.iter().map(|s| s.label(lang))) + 1;
        let today = app.today();
        let dates: Vec<String> = self.rows.iter().map(|r| day(&r.deadline, today)).collect();
        // The deadline where there is room for it beside the site and the problem.
        let date_w = if list.width >= 46 { widest("", dates.iter().map(String::as_str)) } else { 0 };
        let gaps = if date_w > 0 { 3 } else { 2 };
        let rest = list.width.saturating_sub(level_w + date_w + gaps);
        let site_w = rest / 2;
        let rows: Vec<Row<'_>> = self
            .rows
            .iter()
            .zip(dates)
            .map(|(r, date)| {
                let days = overdue_days(app, &r.status, &r.deadline);
                let lvl = if days > 0 {
                    Span::styled(level(r, lang), styled::warn())
                } else {
                    Span::raw(level(r, lang))
                };
                let mut cells = vec![Line::from(lvl)];
                if date_w > 0 {
                    cells.push(Line::raw(date));
                }
                cells.push(Line::raw(elide(&r.site_name, usize::from(site_w))));
                cells.push(Line::raw(r.problem.replace('\n', " ")));
                Row::new(cells)
            })
            .collect();
        let mut widths = vec![Constraint::Length(level_w)];
        if date_w > 0 {
            widths.push(Constraint::Length(date_w));
        }
        widths.extend([Constraint::Length(site_w), Constraint::Min(1)]);
        self.remember_rows(usize::from(list.height));
        let mut state = TableState::default();
        if self.rows.is_empty() {
            let none = lang.pick("没有符合条件的整改事项", "nothing matches");
            frame.render_widget(wrapped(Line::raw(none)), list);
        } else {
            state.select(Some(self.selected));
            let table = Table::new(rows, widths).row_highlight_style(styled::selected());
            frame.render_stateful_widget(table, list, &mut state);
        }
        if let Some(count) = count {
            frame.render_widget(Paragraph::new(Span::styled(self.count(lang), styled::dim())), count);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{day, elide};
    use chrono::NaiveDate;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn days_carry_the_year_only_outside_this_year() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(day("2026-12-31", today), "12-31");
        assert_eq!(day("2027-01-15", today), "2027-01-15");
        assert_eq!(day("2025-12-31", today), "2025-12-31");
        assert_eq!(day("not a date", today), "not a date");
    }

    #[test]
    fn long_names_keep_their_start_and_their_distinguishing_end() {
        let a = elide("中国福利彩票第32068012号投注站", 22);
        let b = elide("中国福利彩票第32068013号投注站", 22);
        assert_ne!(a, b, "two outlets stay apart");
        assert_eq!(a, "中国..32068012号投注站");
        for w in [0, 3, 6, 10, 22, 40] {
            assert!(UnicodeWidthStr::width(elide("中国福利彩票第32068012号投注站", w).as_str()) <= w, "{w}");
        }
        assert_eq!(elide("下原镇敬老院", 12), "下原镇敬老院");
    }
}
