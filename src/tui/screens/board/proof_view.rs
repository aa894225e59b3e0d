//! Drawing the proof of a fix: each follow-up's files under it in the detail's history
//! (`name (sha256 prefix)`), the files chosen in the note box, and over the note box the evidence picker
//! or the question asked before a major hazard is verified without any fix evidence.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Prompt;
use super::proof::file_name;
pub(super) use super::proof::{FILES, PATH};
use super::view::form_rows;
use crate::i18n::Lang;
use crate::store::fix_evidence::FixFile;
use crate::tui::view::{styled, wrapped};

/// The line under the event `event_id` in the history naming its files, if it has any.
pub(super) fn event_files(files: &[FixFile], event_id: &str, lang: Lang) -> Option<Line<'static>> {
    let labels: Vec<String> = files.iter().filter(|f| f.event_id == event_id).map(FixFile::label).collect();
    (!labels.is_empty()).then(|| {
        Line::from(vec![
            Span::styled(lang.pick("    附：", "    files: "), styled::dim()),
            Span::raw(labels.join(lang.pick("、", ", "))),
        ])
    })
}

/// The files chosen in the note box, the selected one marked when the list has the focus.
pub(super) fn render_files(lang: Lang, frame: &mut Frame<'_>, row: Rect, p: &Prompt) {
    let files = &p.proof.files;
    if files.is_empty() {
        let text = lang.pick(
            "未选文件：在上一栏按 Enter 选择照片、新证照",
            "no files yet: Enter on the line above picks photos",
        );
        frame.render_widget(Paragraph::new(Span::styled(text, styled::dim())), row);
        return;
    }
    let mut spans = vec![Span::styled(
        match lang {
            Lang::Zh => format!("已选 {} 个：", files.len()),
            Lang::En => format!("{} chosen: ", files.len()),
        },
        styled::dim(),
    )];
    for (i, path) in files.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(lang.pick("、", ", ")));
        }
        let selected = p.focus == FILES && i == p.proof.selected;
        spans.push(if selected {
            Span::styled(file_name(path), styled::selected())
        } else {
            Span::raw(file_name(path))
        });
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), row);
}

/// Draws the picker or the question over the note box; false when neither is open.
pub(super) fn render_over(lang: Lang, frame: &mut Frame<'_>, area: Rect, p: &Prompt) -> bool {
    if let Some(picker) = &p.proof.picker {
        picker.render(lang, frame, area);
        return true;
    }
    if !p.proof.confirming {
        return false;
    }
    let title = lang.pick(" 确认复查销号 ", " Confirm the verification ");
    // Four lines: the whole question at 40 columns in either language.
    let rows = form_rows(frame, area, 60, 4, title);
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return true };
    let text = lang.pick(
        "确认不附任何整改证据复查销号？这是重大事故隐患，还没有照片、新证照等证据。Enter 确认，Esc 返回补充。",
        "Verify without any fix evidence? A major hazard, and no photos or new licence yet. Enter confirms, \
         Esc goes back to add some.",
    );
    let height = last.y + 1 - first.y;
    frame.render_widget(
        wrapped(Span::styled(text, styled::warn())),
        Rect::new(first.x, first.y, first.width, height),
    );
    true
}
