//! Drawing the failure form. Its rows are laid out top to bottom and scrolled so the focused one is
//! always whole on screen (see `tui::scroll`); below 30×6 the border goes, and an area too small for the
//! focused row and the hint line says so instead.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{DEADLINE, EVIDENCE, FILES, FindingForm, PROBLEM, REQUIREMENT, RESPONSIBLE, SEVERITY};
use crate::domain::Severity;
use crate::i18n::Lang;
use crate::tui::field::Area;
use crate::tui::keymap::{self, Ctx};
use crate::tui::scroll;
use crate::tui::view::styled;

/// What one row of the form shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Row {
    Prompt,
    Field(usize),
    File(usize),
}

/// Lines a text area needs at `width` columns (its lines wrapped), kept between `min` and `max`.
fn area_height(area: &Area, width: u16, min: u16, max: u16) -> u16 {
    let w = usize::from(width.max(1));
    let lines: usize = area.text().split('\n').map(|l| UnicodeWidthStr::width(l).div_ceil(w).max(1)).sum();
    u16::try_from(lines).unwrap_or(max).clamp(min, max)
}

/// `key text` of the footer bindings of one context, from the key table, so the form's hint line says
/// exactly what the keys do.
fn hint(ctx: Ctx, lang: Lang) -> String {
    keymap::footer(&[ctx], lang).iter().map(|(k, t, _)| format!("{k} {t}")).collect::<Vec<_>>().join("  ")
}

impl FindingForm {
    fn evidence_label(&self, lang: Lang) -> String {
        let star = if self.evidence_required { "*" } else { "" };
        format!("{}{star}({})", lang.pick("证据", "Evidence"), self.evidence_count)
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows = vec![Row::Prompt];
        rows.extend((PROBLEM..=EVIDENCE).map(Row::Field));
        rows.extend((0..self.files.len()).map(Row::File));
        rows
    }

    fn focused_row(&self) -> Row {
        if self.focus == FILES { Row::File(self.file_sel) } else { Row::Field(self.focus) }
    }

    fn hint_line(&self, lang: Lang) -> String {
        match self.focus {
            PROBLEM | REQUIREMENT => format!("{}  {}", hint(Ctx::TextArea, lang), hint(Ctx::Save, lang)),
            SEVERITY => hint(Ctx::Severity, lang),
            EVIDENCE => hint(Ctx::EvidencePath, lang),
            FILES => hint(Ctx::EvidenceFiles, lang),
            _ => format!("{}  {}", hint(Ctx::Form, lang), hint(Ctx::Save, lang)),
        }
    }

    pub fn render(&self, lang: Lang, prompt: &str, frame: &mut Frame<'_>, area: Rect) {
        frame.render_widget(Clear, area);
        if let Some(p) = &self.picker {
            p.render(lang, frame, area);
            return;
        }
        let bordered = area.height >= 8 && area.width >= 30;
        let inner = if bordered {
            let block =
                Block::bordered().title(lang.pick(" 不合格：记录问题 ", " Failure: record the problem "));
            let inner = block.inner(area);
            frame.render_widget(block, area);
            inner
        } else {
            area
        };
        if scroll::too_small(frame, inner, 16, 1, lang) {
            return;
        }
        // The widest label of the language and a space, as long as that leaves the field half the width (in a
        // narrow terminal three fifths).
        let labels = [
            lang.pick("问题描述*", "Problem*"),
            lang.pick("整改责任人", "Responsible"),
            lang.pick("整改要求", "Requirement"),
            &self.evidence_label(lang),
        ];
        let widest = labels.iter().map(|l| UnicodeWidthStr::width(*l)).max().unwrap_or(10);
        let cap = if inner.width >= 30 { inner.width / 2 } else { inner.width * 2 / 5 };
        let label_width = u16::try_from(widest + 1).unwrap_or(12).min(cap).max(6);
        let field_width = inner.width.saturating_sub(label_width).max(1);
        let rows = self.rows();
        let mut heights: Vec<u16> = rows
            .iter()
            .map(|r| match r {
                Row::Prompt if UnicodeWidthStr::width(prompt) > usize::from(inner.width) => 2,
                Row::Field(PROBLEM) => area_height(&self.problem, field_width, 2, 4),
                Row::Field(REQUIREMENT) => area_height(&self.requirement, field_width, 2, 3),
                _ => 1,
            })
            .collect();
        // Lines to spare go to the problem description, the field that gets long.
        let total: u16 = heights.iter().sum();
        let spare = inner.height.saturating_sub(total + 1);
        heights[1] += spare.min(8u16.saturating_sub(heights[1]));
        // The hint line repeats the footer: it gives its line to the fields when they must scroll (an
        // error is always shown).
        let total: u32 = heights.iter().map(|h| u32::from(*h)).sum();
        let hint = self.error.is_some() || total < u32::from(inner.height);
        let [body, bottom] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(u16::from(hint))]).areas(inner);
        let focus = rows.iter().position(|r| *r == self.focused_row()).unwrap_or(1);
        let first = scroll::first_row(&heights, focus, body.height);
        let mut y = body.y;
        // From the first row down as far as the lines go; the last one may be cut.
        for (row, h) in rows.iter().zip(&heights).skip(first) {
            let h = (*h).min(body.bottom().saturating_sub(y));
            if h == 0 {
                break;
            }
            let rect = Rect::new(body.x, y, body.width, h);
            self.render_row(lang, prompt, *row, label_width, frame, rect);
            y += h;
        }
        if hint {
            let text = match &self.error {
                Some(e) => Span::styled(e.clone(), styled::warn()),
                None => Span::styled(self.hint_line(lang), styled::dim()),
            };
            frame.render_widget(Paragraph::new(text), bottom);
        }
    }

    fn render_row(&self, lang: Lang, prompt: &str, row: Row, label: u16, frame: &mut Frame<'_>, area: Rect) {
        let labelled = |frame: &mut Frame<'_>, name: &str, focus: bool| -> Rect {
            let [l, f] = Layout::horizontal([Constraint::Length(label), Constraint::Min(1)]).areas(area);
            let style = if focus { styled::key() } else { ratatui::style::Style::default() };
            frame.render_widget(Paragraph::new(Span::styled(name.to_string(), style)), l);
            f
        };
        let on = |i: usize| self.focus == i && self.picker.is_none();
        match row {
            Row::Prompt => frame.render_widget(
                crate::tui::view::wrapped(Span::styled(prompt.to_string(), styled::dim())),
                area,
            ),
            Row::Field(PROBLEM) => {
                let f = labelled(frame, lang.pick("问题描述*", "Problem*"), on(PROBLEM));
                self.problem.render(frame, f, on(PROBLEM));
            }
            Row::Field(SEVERITY) => {
                let f = labelled(frame, lang.pick("隐患等级", "Severity"), on(SEVERITY));
                let levels: Vec<Span<'_>> = Severity::ALL
                    .iter()
                    .flat_map(|s| {
                        let text = format!(" {} ", s.label(lang));
                        let span = if *s == self.severity {
                            Span::styled(text, styled::selected())
                        } else {
                            Span::raw(text)
                        };
                        [span, Span::raw(" ")]
                    })
                    .collect();
                frame.render_widget(Paragraph::new(Line::from(levels)), f);
                if on(SEVERITY) {
                    frame.set_cursor_position(Position::new(f.x, f.y));
                }
            }
            Row::Field(REQUIREMENT) => {
                let f = labelled(frame, lang.pick("整改要求", "Requirement"), on(REQUIREMENT));
                self.requirement.render(frame, f, on(REQUIREMENT));
            }
            Row::Field(DEADLINE) => {
                let f = labelled(frame, lang.pick("整改期限", "Deadline"), on(DEADLINE));
                self.deadline.render(frame, f, on(DEADLINE));
            }
            Row::Field(RESPONSIBLE) => {
                let f = labelled(frame, lang.pick("整改责任人", "Responsible"), on(RESPONSIBLE));
                self.responsible.render(frame, f, on(RESPONSIBLE));
            }
            Row::Field(_) => {
                let f = labelled(frame, &self.evidence_label(lang), on(EVIDENCE));
                if self.evidence.value().is_empty() {
                    let text =
                        lang.pick("Enter 选择文件，或输入文件路径", "Enter picks files, or type a path");
                    frame.render_widget(Paragraph::new(Span::styled(text, styled::dim())), f);
                    if on(EVIDENCE) {
                        frame.set_cursor_position(Position::new(f.x, f.y));
                    }
                } else {
                    self.evidence.render(frame, f, on(EVIDENCE));
                }
            }
            Row::File(i) => {
                let Some(file) = self.files.get(i) else { return };
                let [_, f] = Layout::horizontal([Constraint::Length(label), Constraint::Min(1)]).areas(area);
                let text = format!("{}  {}", file.name(), crate::tui::effect::folder::human_size(file.bytes));
                let selected = self.focus == FILES && self.file_sel == i;
                let style = if selected { styled::selected() } else { styled::dim() };
                frame.render_widget(Paragraph::new(Span::styled(text, style)), f);
                if selected {
                    frame.set_cursor_position(Position::new(f.x, f.y));
                }
            }
        }
    }
}
