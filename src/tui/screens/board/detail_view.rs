//! Drawing a rectification's detail: the finding, its basis and deadline, who is responsible, evidence and
//! the history (a conflict's branches first), scrolled by the keys with the position shown; and the
//! follow-up prompt over it. In a small terminal the frame goes and the lines keep their scroll; where
//! there is no room at all, a sentence says so.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::view::{event_line, form_rows, overdue_days, stamp, status_label, too_small};
use super::{Board, FollowKind, conflict_view, proof_view};
use crate::domain::Severity;
use crate::i18n::Lang;
use crate::store::fix_evidence::FixFile;
use crate::tui::action::Detail;
use crate::tui::app::App;
use crate::tui::view::{label, styled, wrap_line};

fn severity_label(key: &str, lang: Lang) -> String {
    Severity::from_key(key).map_or_else(|| key.to_string(), |s| s.label(lang).to_string())
}

/// `李院长  13900000000`, without the phone when the name already carries it, and the phone alone (under
/// its own label) when nobody is named; `None` when there is neither.
fn responsible(d: &Detail, lang: Lang) -> Option<Line<'static>> {
    let (who, phone) = (d.rect.responsible.trim(), d.rect.phone.trim());
    let field = |name: &str, value: String| Some(Line::from(vec![label(name), Span::raw(value)]));
    match (who.is_empty(), phone.is_empty() || who.contains(phone)) {
        (true, true) => None,
        (true, false) => field(lang.pick("联系电话：", "Phone: "), phone.to_string()),
        (false, true) => field(lang.pick("责任人：", "Responsible: "), who.to_string()),
        (false, false) => field(lang.pick("责任人：", "Responsible: "), format!("{who}  {phone}")),
    }
}

impl Board {
    fn detail_lines(&self, app: &App, d: &Detail) -> Vec<Line<'static>> {
        let lang = app.lang;
        let today = app.today();
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
        // The item by its prompt; its id only when the checklist text no longer has it.
        let item = if d.prompt.trim().is_empty() { r.item_id.clone() } else { d.prompt.clone() };
        let mut lines = vec![
            Line::from(vec![
                Span::styled(d.site_name.clone(), Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(format!("  {}  {}  {}", d.site_code, d.town, stamp(&d.inspected_at, today))),
            ]),
            field(lang.pick("检查项：", "Item: "), item),
            field(lang.pick("问题描述：", "Problem: "), r.problem.clone()),
            field(lang.pick("依据条款：", "Basis: "), r.basis.clone()),
            field(lang.pick("隐患等级：", "Severity: "), severity),
            field(lang.pick("整改要求：", "Requirement: "), r.requirement.clone()),
            Line::from([vec![label(lang.pick("整改期限：", "Deadline: "))], deadline].concat()),
        ];
        lines.extend(responsible(d, lang));
        lines.push(Line::from(vec![
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
        ]));
        if !d.evidence.is_empty() {
            lines.push(field(lang.pick("证据：", "Evidence: "), d.evidence.join("、")));
        }
        if !d.fix_evidence.is_empty() {
            let names: Vec<&str> = d.fix_evidence.iter().map(FixFile::name).collect();
            lines.push(field(lang.pick("整改证据：", "Fix evidence: "), names.join(lang.pick("、", ", "))));
        }
        // In conflict the branches come first; then what they share.
        let history = match &d.conflict {
            Some(c) => {
                lines.extend(conflict_view::branch_lines(c, r, &d.fix_evidence, lang, today));
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
            let mut line = vec![Span::raw(event_line(e, lang, today))];
            if start {
                line.push(Span::styled(
                    lang.pick("（分支起点）", " (the branches start here)"),
                    styled::warn(),
                ));
            }
            lines.push(Line::from(line));
            lines.extend(proof_view::event_files(&d.fix_evidence, &e.id, lang));
        }
        lines
    }

    pub(super) fn render_detail(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let Some(d) = &self.detail else { return };
        let lang = app.lang;
        if area.width < 20 || area.height < 1 {
            return too_small(lang, frame, area);
        }
        // A frame only where it leaves room for some lines; else the lines and, below, the position.
        let framed = area.height >= 6 && area.width >= 30;
        let block = Block::bordered().title(lang.pick(" 整改事项 ", " Rectification "));
        let (text, position) = if framed {
            (block.inner(area), None)
        } else if area.height >= 2 {
            let [text, position] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
            (text, Some(position))
        } else {
            (area, None)
        };
        let width = usize::from(text.width.max(1));
        let lines: Vec<Line<'static>> =
            self.detail_lines(app, d).iter().flat_map(|l| wrap_line(l, width)).collect();
        let rows = usize::from(text.height);
        let mut drawn = self.drawn.get();
        drawn.detail_rows = rows;
        drawn.detail_lines = lines.len();
        self.drawn.set(drawn);
        let top = self.scroll.min(lines.len().saturating_sub(rows));
        let shown: Vec<Line<'static>> = lines.iter().skip(top).take(rows).cloned().collect();
        let at = if lines.len() > rows {
            let last = (top + rows).min(lines.len());
            match lang {
                Lang::Zh => format!("第 {}-{last} 行，共 {} 行", top + 1, lines.len()),
                Lang::En => format!("lines {}-{last} of {}", top + 1, lines.len()),
            }
        } else {
            String::new()
        };
        if framed {
            let block = if at.is_empty() { block } else { block.title_bottom(format!(" {at} ")) };
            frame.render_widget(block, area);
        }
        frame.render_widget(Paragraph::new(shown), text);
        if let Some(position) = position {
            frame.render_widget(Paragraph::new(Span::styled(at, styled::dim())), position);
        }
        if let Some(p) = &self.prompt {
            self.render_prompt(app, frame, area, p);
        }
        if let (Some(form), Some(c)) = (&self.settle, &d.conflict) {
            conflict_view::render_settle(app, frame, area, form, c, &d.rect);
        }
    }

    fn render_prompt(&self, app: &App, frame: &mut Frame<'_>, area: Rect, p: &super::Prompt) {
        let lang = app.lang;
        if p.takes_files() && proof_view::render_over(lang, frame, area, p) {
            return;
        }
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
        let mut fields = vec![(note_name, &p.note, p.focus == 0)];
        if p.kind == FollowKind::Extend {
            fields.push((lang.pick("新期限", "New deadline"), &p.date, p.focus == 1));
        }
        if p.takes_files() {
            fields.push((lang.pick("整改证据", "Proof"), &p.proof.path, p.focus == proof_view::PATH));
        }
        // A fix report or verification has a line more: the files chosen.
        let listed = u16::from(p.takes_files());
        let n = u16::try_from(fields.len()).unwrap_or(1);
        let rows = form_rows(frame, area, 70, n + listed + 1, title);
        let small = rows.len() < fields.len() + usize::from(listed);
        if small {
            // No room for every field: the focused one.
            fields.retain(|f| f.2);
        }
        let label_w = rows.first().map_or(11, |r| (r.width / 3).min(11));
        for ((name, f, focused), row) in fields.into_iter().zip(&rows) {
            let [l, v] =
                Layout::horizontal([Constraint::Length(label_w), Constraint::Min(1)]).spacing(1).areas(*row);
            frame.render_widget(
                Paragraph::new(Span::styled(name, if focused { styled::key() } else { Style::default() })),
                l,
            );
            f.render(frame, v, focused);
        }
        let files_row = match (small, listed) {
            (_, 0) => None,
            (true, _) => rows.first().filter(|_| p.focus == proof_view::FILES),
            (false, _) => rows.get(usize::from(n)),
        };
        if let Some(row) = files_row {
            proof_view::render_files(lang, frame, *row, p);
        }
        if let (Some(e), Some(row)) = (&p.error, rows.get(usize::from(n + listed))) {
            frame.render_widget(Paragraph::new(Span::styled(e.clone(), styled::warn())), *row);
        }
    }
}
