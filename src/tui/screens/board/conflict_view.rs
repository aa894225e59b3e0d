//! Drawing a conflict: its branches on the rectification's detail, and the form that settles it.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::conflict::SettleForm;
use super::view::{event_line, form_rows, status_label};
use crate::i18n::Lang;
use crate::rectification::conflict::{Branch, Conflict};
use crate::store::rectifications::Rectification;
use crate::tui::app::App;
use crate::tui::view::styled;

/// `分支 2 → 整改中`, with the deadline when the branch moved it.
fn branch_name(n: usize, b: &Branch, r: &Rectification, lang: Lang) -> String {
    let status = b.status.as_deref().map(|s| status_label(s, lang)).unwrap_or_default();
    let mut name = format!("{} {n} → {status}", lang.pick("分支", "Branch"));
    if let Some(d) = b.deadline.as_deref().filter(|d| *d != r.deadline) {
        name.push_str(&match lang {
            Lang::Zh => format!("，期限 {d}"),
            Lang::En => format!(", deadline {d}"),
        });
    }
    name
}

/// The lines the detail shows for a conflict: what the branches started from, then each branch with its
/// events. `r` holds the state they started from (the fold keeps it while the conflict lasts).
pub(super) fn branch_lines(
    c: &Conflict,
    r: &Rectification,
    files: &[crate::store::fix_evidence::FixFile],
    lang: Lang,
    today: NaiveDate,
) -> Vec<Line<'static>> {
    let status = status_label(&r.status, lang);
    let mut lines = vec![Line::from(Span::styled(
        match lang {
            Lang::Zh => format!("冲突：以下分支都从“{status}”（期限 {}）改起，须科室负责人裁决", r.deadline),
            Lang::En => format!(
                "Conflict: each branch below changed \"{status}\" (deadline {}); a supervisor settles it",
                r.deadline
            ),
        },
        styled::warn(),
    ))];
    for (i, b) in c.branches.iter().enumerate() {
        lines.push(Line::from(Span::styled(branch_name(i + 1, b, r, lang), styled::heading())));
        for e in &b.events {
            lines.push(Line::raw(format!("  {}", event_line(e, lang, today))));
            // A fix reported or verified on a branch, with its proof.
            lines.extend(super::proof_view::event_files(files, &e.id, lang));
        }
    }
    lines
}

/// The settle form over the detail: the branch to take and the note.
pub(super) fn render_settle(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    form: &SettleForm,
    c: &Conflict,
    r: &Rectification,
) {
    let lang = app.lang;
    let title = lang.pick(" 裁决冲突（须填写理由） ", " Settle the conflict (a note is required) ");
    let mut rows = form_rows(frame, area, 72, 2, title);
    if rows.len() < 2 && !form.on_branch {
        // One row only: the note being typed.
        rows.insert(0, Rect::default());
    }
    let name_style = |focused: bool| if focused { styled::key() } else { Style::default() };
    let Some(first) = rows.first().copied() else { return };
    let label_w = (first.width / 4).min(8);
    let [l, v] = Layout::horizontal([Constraint::Length(label_w), Constraint::Min(1)]).areas(first);
    frame.render_widget(
        Paragraph::new(Span::styled(lang.pick("采用", "Take"), name_style(form.on_branch))),
        l,
    );
    let mut choices = Vec::new();
    for (i, b) in c.branches.iter().enumerate() {
        let name = branch_name(i + 1, b, r, lang);
        // Brackets as well as reverse video, so the choice reads without colour too.
        choices.push(if form.branch == Some(i) {
            Span::styled(format!("[{name}]"), styled::selected())
        } else {
            Span::raw(format!(" {name} "))
        });
        choices.push(Span::raw(" "));
    }
    if form.branch.is_none() {
        choices.push(Span::styled(lang.pick("← → 选择", "← → to choose"), styled::dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(choices)), v);
    let Some(second) = rows.get(1).copied() else { return };
    let [l, v] = Layout::horizontal([Constraint::Length(label_w), Constraint::Min(1)]).areas(second);
    frame.render_widget(
        Paragraph::new(Span::styled(lang.pick("理由", "Note"), name_style(!form.on_branch))),
        l,
    );
    form.note.render(frame, v, !form.on_branch);
}
