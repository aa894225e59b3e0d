//! Drawing the board: the filter line, the urgency-ordered table, the detail view and follow-up prompts
//! (a conflict's branches and its settle form are drawn by `conflict_view`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use super::{Board, FollowKind, STATUS_PRESETS, Typing, conflict_view};
use crate::domain::Severity;
use crate::i18n::Lang;
use crate::rectification::conflict::chosen_branch;
use crate::rectification::{Status, days_overdue};
use crate::store::rectifications::Event;
use crate::tui::app::App;
use crate::tui::view::{centered, clear_popup, label, short_time, styled, wrapped};

pub(super) fn status_label(key: &str, lang: Lang) -> String {
    Status::from_key(key).map_or_else(|| key.to_string(), |s| s.label(lang).to_string())
}

fn severity_label(key: &str, lang: Lang) -> String {
    Severity::from_key(key).map_or_else(|| key.to_string(), |s| s.label(lang).to_string())
}

/// One event of the history: when, who, what, and its note.
pub(super) fn event_line(e: &Event, lang: Lang) -> String {
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
    format!("{}  {}  {what}{note}", short_time(&e.at), e.actor)
}

fn overdue_days(app: &App, status: &str, deadline: &str) -> i64 {
    match (Status::from_key(status), chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d")) {
        (Some(s), Ok(d)) => days_overdue(s, d, app.today()),
        _ => 0,
    }
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
        let lang = app.lang;
        let [filters, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
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
            label(lang.pick("等级 ", "severity ")),
            Span::raw(format!("{}  ", self.severity.map_or(any, |s| s.label(lang)))),
        ];
        if !self.town.is_empty() {
            spans.push(label(lang.pick("镇街 ", "town ")));
            spans.push(Span::raw(format!("{}  ", self.town)));
        }
        if !self.site.is_empty() {
            spans.push(label(lang.pick("单位 ", "site ")));
            spans.push(Span::raw(format!("{}  ", self.site)));
        }
        if !self.search.is_empty() {
            spans.push(label(lang.pick("搜索 ", "search ")));
            spans.push(Span::raw(format!("{}  ", self.search)));
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
        frame.render_widget(Paragraph::new(Line::from(spans)), filters);

        let header = Row::new(match lang {
            Lang::Zh => vec!["逾期", "整改期限", "等级", "状态", "被检查单位", "问题"],
            Lang::En => vec!["late", "deadline", "level", "status", "site", "problem"],
        })
        .style(styled::heading());
        let rows: Vec<Row<'_>> = self
            .rows
            .iter()
            .map(|r| {
                let days = overdue_days(app, &r.status, &r.deadline);
                let late =
                    if days > 0 { Span::styled(days.to_string(), styled::warn()) } else { Span::raw("") };
                let mut level = severity_label(&r.severity, lang);
                if r.major_hazard {
                    level.push('!');
                }
                // The tag leads the problem, so it stays visible however narrow the column gets.
                let mut problem = Vec::new();
                if r.conflict {
                    problem.push(Span::styled(lang.pick("冲突 ", "conflict "), styled::warn()));
                }
                problem.push(Span::raw(r.problem.replace('\n', " ")));
                Row::new(vec![
                    Line::from(late),
                    Line::raw(r.deadline.clone()),
                    Line::raw(level),
                    Line::raw(status_label(&r.status, lang)),
                    Line::raw(r.site_name.clone()),
                    Line::from(problem),
                ])
            })
            .collect();
        let count = match (lang, self.more) {
            (Lang::Zh, true) => format!(" 已显示 {} 条，下移继续读取 ", self.rows.len()),
            (Lang::Zh, false) => format!(" 共 {} 条 ", self.rows.len()),
            (Lang::En, true) => format!(" {} shown; move down for more ", self.rows.len()),
            (Lang::En, false) => format!(" {} in all ", self.rows.len()),
        };
        let title = if self.rows.is_empty() {
            lang.pick(" 整改看板：没有符合条件的整改事项 ", " Board: nothing matches ")
        } else {
            lang.pick(" 整改看板（最紧急的在前） ", " Board (most urgent first) ")
        };
        let widths = [
            Constraint::Length(4),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(18),
            Constraint::Min(10),
        ];
        let table_widget = Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(title).title_bottom(count))
            .row_highlight_style(styled::selected());
        let mut state = TableState::default();
        if !self.rows.is_empty() {
            state.select(Some(self.selected));
        }
        frame.render_stateful_widget(table_widget, table, &mut state);
        if let Some(typing) = &self.typing {
            let (name, field) = match typing {
                Typing::Search(f) => {
                    (lang.pick(" 搜索（问题、单位、编号） ", " Search (problem, site, code) "), f)
                }
                Typing::Town(f) => (lang.pick(" 镇街 ", " Town "), f),
                Typing::Site(f) => (lang.pick(" 单位编号 ", " Site code "), f),
            };
            let popup = centered(area, 50, 3);
            clear_popup(frame, popup);
            let block = Block::bordered().title(name);
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            field.render(frame, inner, true);
        }
        if let Some(form) = &self.export {
            form.render(app, frame, area);
        }
    }

    fn render_detail(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let Some(d) = &self.detail else { return };
        let lang = app.lang;
        let r = &d.rect;
        let days = overdue_days(app, &r.status, &r.deadline);
        let mut deadline = vec![Span::raw(r.deadline.clone())];
        if days > 0 {
            deadline.push(Span::styled(
                match lang {
                    Lang::Zh => format!("（逾期 {days} 天）"),
                    Lang::En => format!(" ({days} days overdue)"),
                },
                styled::warn(),
            ));
        }
        let field = |name: &str, value: String| Line::from(vec![label(name), Span::raw(value)]);
        let mut severity = severity_label(&r.severity, lang);
        if r.major_hazard {
            severity.push_str(lang.pick("（重大事故隐患）", " (major hazard)"));
        }
        let mut lines = vec![
            Line::from(vec![
                Span::styled(d.site_name.clone(), Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(format!("  {}  {}  {}", d.site_code, d.town, short_time(&d.inspected_at))),
            ]),
            field(lang.pick("检查项：", "Item: "), format!("{} {}", r.item_id, d.prompt)),
            field(lang.pick("问题描述：", "Problem: "), r.problem.clone()),
            field(lang.pick("依据条款：", "Basis: "), r.basis.clone()),
            field(lang.pick("隐患等级：", "Severity: "), severity),
            field(lang.pick("整改要求：", "Requirement: "), r.requirement.clone()),
            Line::from([vec![label(lang.pick("整改期限：", "Deadline: "))], deadline].concat()),
            field(lang.pick("责任人：", "Responsible: "), format!("{}  {}", r.responsible, r.phone)),
            Line::from(vec![
                label(lang.pick("状态：", "Status: ")),
                Span::raw(status_label(&r.status, lang)),
                Span::styled(
                    if d.conflict.is_some() {
                        lang.pick("（冲突，待裁决）", " (in conflict)")
                    } else {
                        ""
                    },
                    styled::warn(),
                ),
            ]),
        ];
        if !d.evidence.is_empty() {
            lines.push(field(lang.pick("证据：", "Evidence: "), d.evidence.join("、")));
        }
        // In conflict the branches come first, where they stay on screen; then what they share.
        let history = match &d.conflict {
            Some(c) => {
                lines.extend(conflict_view::branch_lines(c, r, lang));
                lang.pick("分支之前的跟进记录", "History before the branches")
            }
            None => lang.pick("跟进记录", "History"),
        };
        lines.push(Line::from(Span::styled(history, styled::heading())));
        for e in &d.events {
            let (on_branch, start) = match &d.conflict {
                Some(c) => (c.on_branch(&e.id), c.base.as_deref() == Some(e.id.as_str())),
                None => (false, false),
            };
            if on_branch {
                continue;
            }
            let mut line = vec![Span::raw(event_line(e, lang))];
            if start {
                line.push(Span::styled(
                    lang.pick("（分支起点）", " (the branches start here)"),
                    styled::warn(),
                ));
            }
            lines.push(Line::from(line));
        }
        let block = Block::bordered().title(lang.pick(" 整改事项 ", " Rectification "));
        frame.render_widget(wrapped(Text::from(lines)).block(block), area);
        if let Some(p) = &self.prompt {
            self.render_prompt(app, frame, area, p);
        }
        if let (Some(form), Some(c)) = (&self.settle, &d.conflict) {
            conflict_view::render_settle(app, frame, area, form, c, r);
        }
    }

    fn render_prompt(&self, app: &App, frame: &mut Frame<'_>, area: Rect, p: &super::Prompt) {
        let lang = app.lang;
        let (title, note_name) = match p.kind {
            FollowKind::Start => (lang.pick(" 开始整改 ", " Start "), lang.pick("说明", "Note")),
            FollowKind::ReportFix => {
                (lang.pick(" 报告整改完成 ", " Report the fix "), lang.pick("说明", "Note"))
            }
            FollowKind::Verify => (
                lang.pick(" 复查销号（须填写复查结论） ", " Verify (a note is required) "),
                lang.pick("复查结论", "Finding"),
            ),
            FollowKind::Reject => (
                lang.pick(" 退回（须填写原因） ", " Reject (a note is required) "),
                lang.pick("退回原因", "Reason"),
            ),
            FollowKind::Extend => (
                lang.pick(" 延期（须填写理由） ", " Extend (a reason is required) "),
                lang.pick("延期理由", "Reason"),
            ),
            FollowKind::Note => (lang.pick(" 跟进记录 ", " Note "), lang.pick("内容", "Text")),
        };
        let popup = centered(area, 70, if p.kind == FollowKind::Extend { 5 } else { 4 });
        clear_popup(frame, popup);
        let block = Block::bordered().title(title);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let rows = Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(1)])
            .split(inner);
        let mut fields = vec![(note_name, &p.note, p.focus == 0)];
        if p.kind == FollowKind::Extend {
            fields.push((lang.pick("新期限", "New deadline"), &p.date, p.focus == 1));
        }
        for (i, (name, f, focused)) in fields.into_iter().enumerate() {
            let [l, v] = Layout::horizontal([Constraint::Length(12), Constraint::Min(1)]).areas(rows[i]);
            frame.render_widget(
                Paragraph::new(Span::styled(name, if focused { styled::key() } else { Style::default() })),
                l,
            );
            f.render(frame, v, focused);
        }
        if let Some(e) = &p.error {
            let at = if p.kind == FollowKind::Extend { 2 } else { 1 };
            frame.render_widget(Paragraph::new(Span::styled(e.clone(), styled::warn())), rows[at]);
        }
    }
}
