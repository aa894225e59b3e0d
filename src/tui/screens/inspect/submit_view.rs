//! Drawing the submit form: everything still open in one list (by prompt), the problems found with their
//! deadlines (what the representative reads before signing), the signatures, and the last confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::view::fit;
use super::{Inspect, Mode};
use crate::i18n::Lang;
use crate::inspection::SignOff;
use crate::tui::app::App;
use crate::tui::screens::submit::SubmitForm;
use crate::tui::view::{centered, clear_popup, styled, wrapped};

impl Inspect {
    pub(super) fn render_submit(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let Mode::Submit(form) = &self.mode else { return };
        let lang = app.lang;
        frame.render_widget(Clear, area);
        let title = if form.log {
            lang.pick(" 交接班：提交本班值班记录 ", " Shift handover: submit this shift ")
        } else {
            lang.pick(" 提交检查 ", " Submit the inspection ")
        };
        let block = Block::bordered().title(title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let fields = if form.log { 1 } else { 2 };
        let [summary, signatures, hint] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(fields), Constraint::Length(1)])
                .areas(inner);
        let lines = self.submit_summary(lang, form, usize::from(summary.width), usize::from(summary.height));
        frame.render_widget(Paragraph::new(lines), summary);
        self.render_signatures(lang, form, frame, signatures);
        let text = form.error.clone().map(|e| Span::styled(e, styled::warn())).unwrap_or_else(|| {
            Span::styled(
                if form.log {
                    lang.pick("Ctrl-S 或 Enter：交班提交", "Ctrl-S or Enter: hand over")
                } else {
                    lang.pick(
                        "Ctrl-R 记录拒签；Ctrl-S 或在最后一栏按 Enter 提交",
                        "Ctrl-R records a refusal; Ctrl-S, or Enter on the last field, submits",
                    )
                },
                styled::dim(),
            )
        });
        frame.render_widget(
            Paragraph::new(fit(&text.content, usize::from(hint.width))).style(text.style),
            hint,
        );
        if form.confirming {
            self.render_submit_confirm(lang, form, frame, area);
        }
    }

    /// The submit form in a terminal too small for its summary: only the focused signature field (its label,
    /// then the field), and the error or the key that submits, with no frame — so the inspector never types
    /// blind. The summary is there again as soon as the terminal is larger.
    pub(super) fn render_submit_compact(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let Mode::Submit(form) = &self.mode else { return };
        let lang = app.lang;
        frame.render_widget(Clear, area);
        let rows =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).split(area);
        let (name, field) = if form.focus == 0 || form.log {
            (
                if form.log {
                    lang.pick("交班值班人员", "Officers")
                } else {
                    lang.pick("检查人员签名", "Inspectors")
                },
                &form.inspectors,
            )
        } else if form.refused {
            (lang.pick("单位代表 [拒签]", "Representative [refused]"), &form.representative)
        } else {
            (lang.pick("被检查单位代表", "Representative"), &form.representative)
        };
        frame.render_widget(
            Paragraph::new(Span::styled(fit(name, usize::from(area.width)), styled::key())),
            rows[0],
        );
        field.render(frame, rows[1], !form.confirming);
        let text = match (&form.error, form.confirming) {
            (Some(e), _) => Span::styled(e.clone(), styled::warn()),
            (None, true) => {
                Span::styled(lang.pick("Enter 确认提交  Esc 返回", "Enter submits  Esc back"), styled::warn())
            }
            (None, false) => Span::styled(lang.pick("Ctrl-S 提交", "Ctrl-S submits"), styled::dim()),
        };
        frame.render_widget(
            Paragraph::new(fit(&text.content, usize::from(area.width))).style(text.style),
            rows[2],
        );
    }

    /// What is still open (all of it, each by prompt), then each problem found with its deadline, cut to
    /// `height` lines.
    fn submit_summary(
        &self,
        lang: Lang,
        form: &SubmitForm,
        width: usize,
        height: usize,
    ) -> Vec<Line<'static>> {
        let sheet = &self.opened.sheet;
        let blockers = sheet.blockers();
        let failures = sheet.failures();
        let bullet = |text: &str| fit(&format!("  - {text}"), width);
        let mut open: Vec<Line<'static>> = Vec::new();
        if !blockers.is_empty() {
            open.push(Line::from(Span::styled(
                fit(
                    &match lang {
                        Lang::Zh => {
                            format!("尚有 {} 项未完成，不能提交（Esc 返回，n 跳到下一项）：", blockers.len())
                        }
                        Lang::En => format!(
                            "{} thing(s) still open; cannot submit (Esc, then n jumps):",
                            blockers.len()
                        ),
                    },
                    width,
                ),
                styled::warn(),
            )));
            open.extend(blockers.iter().map(|b| Line::from(bullet(&b.text(sheet, lang)))));
        }
        let score = sheet.score().map(|score| match lang {
            Lang::Zh => format!("（合规得分 {score:.1}）"),
            Lang::En => format!(" (score {score:.1})"),
        });
        let score = score.unwrap_or_default();
        let mut found: Vec<Line<'static>> = vec![Line::from(fit(
            &match (lang, form.log) {
                (Lang::Zh, false) if failures.is_empty() => format!("未发现问题，不生成整改事项{score}。"),
                (Lang::En, false) if failures.is_empty() => {
                    format!("No problem found: no rectification{score}.")
                }
                (Lang::Zh, true) if failures.is_empty() => "本班无异常。".to_string(),
                (Lang::En, true) if failures.is_empty() => "No irregularity this shift.".to_string(),
                (Lang::Zh, false) => {
                    format!(
                        "发现问题 {} 项，提交后生成 {} 条整改事项{score}：",
                        failures.len(),
                        failures.len()
                    )
                }
                (Lang::Zh, true) => format!("本班异常 {} 项：", failures.len()),
                (Lang::En, false) => format!(
                    "{} problem(s) found; submitting creates {} rectification(s){score}:",
                    failures.len(),
                    failures.len()
                ),
                (Lang::En, true) => format!("{} irregularity(ies) this shift:", failures.len()),
            },
            width,
        ))];
        for slot in &failures {
            let item = sheet.item(*slot);
            let (problem, deadline) = match sheet.answer(*slot).and_then(|a| a.finding.as_ref()) {
                Some(f) if !f.problem.trim().is_empty() => (f.problem.clone(), f.deadline.to_string()),
                Some(f) => (item.prompt.clone(), f.deadline.to_string()),
                None => (item.prompt.clone(), String::new()),
            };
            let text = match lang {
                Lang::Zh => format!("{problem}（整改期限 {deadline}）"),
                Lang::En => format!("{problem} (due {deadline})"),
            };
            found.push(Line::from(Span::styled(bullet(&text), styled::warn())));
        }
        // Both parts in view however long the lists are: the open part first, each cut with "… and n more".
        let more = |n: usize| match lang {
            Lang::Zh => format!("  ……另有 {n} 项"),
            Lang::En => format!("  … and {n} more"),
        };
        let cut = |mut lines: Vec<Line<'static>>, room: usize| {
            if lines.len() > room && room > 0 {
                let hidden = lines.len() - (room - 1);
                lines.truncate(room - 1);
                lines.push(Line::from(more(hidden)));
            } else {
                lines.truncate(room);
            }
            lines
        };
        // The problems keep at least a third of the room (or what they need), the open list the rest.
        let found_min = found.len().min((height / 3).max(3));
        let open_room = open.len().min(height.saturating_sub(found_min));
        let mut out = cut(open, open_room);
        let rest = height.saturating_sub(out.len());
        out.extend(cut(found, rest));
        out
    }

    fn render_signatures(&self, lang: Lang, form: &SubmitForm, frame: &mut Frame<'_>, area: Rect) {
        let rows: Vec<Rect> =
            Layout::vertical(vec![Constraint::Length(1); if form.log { 1 } else { 2 }]).split(area).to_vec();
        let inspectors_label = if form.log {
            lang.pick("交班值班人员", "Officers on duty")
        } else {
            lang.pick("检查人员签名", "Inspectors")
        };
        let mut list = vec![(rows[0], inspectors_label, &form.inspectors, form.focus == 0)];
        if let Some(r) = rows.get(1) {
            list.push((
                *r,
                lang.pick("被检查单位代表", "Site representative"),
                &form.representative,
                form.focus == 1,
            ));
        }
        // Labels as wide as the longest in the language in use, so none is cut.
        let widest = list.iter().map(|(_, name, _, _)| unicode_width::UnicodeWidthStr::width(*name)).max();
        let label_width = u16::try_from(widest.unwrap_or(14) + 2).unwrap_or(16);
        for (i, (row, name, field, focus)) in list.into_iter().enumerate() {
            let [l, f, mark] = Layout::horizontal([
                Constraint::Length(label_width),
                Constraint::Min(1),
                Constraint::Length(if i == 1 { 10 } else { 0 }),
            ])
            .areas(row);
            frame.render_widget(
                Paragraph::new(Span::styled(name, if focus { styled::key() } else { Style::default() })),
                l,
            );
            field.render(frame, f, focus && !form.confirming);
            if i == 1 {
                let text = if form.refused { lang.pick("[拒签]", "[refused]") } else { "" };
                frame.render_widget(Paragraph::new(Span::styled(text, styled::warn())), mark);
            }
        }
    }

    fn render_submit_confirm(&self, lang: Lang, form: &SubmitForm, frame: &mut Frame<'_>, area: Rect) {
        let popup = centered(area, 64, 9);
        clear_popup(frame, popup);
        let failures = self.opened.sheet.failures().len();
        let names = crate::tui::screens::new_inspection::split_names(form.inspectors.value()).join("、");
        let sign = match form.sign_off() {
            Some(SignOff::Signed(name)) => match lang {
                Lang::Zh => format!("单位代表 {name} 签字确认"),
                Lang::En => format!("signed by the site's representative {name}"),
            },
            Some(SignOff::Refused(name)) => match (lang, name.is_empty()) {
                (Lang::Zh, true) => "单位代表拒绝签字（记录为拒签）".to_string(),
                (Lang::Zh, false) => format!("单位代表 {name} 拒绝签字（记录为拒签）"),
                (Lang::En, true) => {
                    "the site's representative refused to sign (recorded as 拒签)".to_string()
                }
                (Lang::En, false) => format!("{name} refused to sign (recorded as 拒签)"),
            },
            None => String::new(),
        };
        let body = match (lang, form.log) {
            (Lang::Zh, false) => format!(
                "提交后本次检查锁定，不能再直接修改（修改须填写理由并留痕）。将生成 {failures} 条整改事项；检查人员 {names}；{sign}。"
            ),
            (Lang::Zh, true) => format!(
                "交接班：提交后本班值班记录锁定，不能再直接修改（修改须填写理由并留痕）。交班人员 {names}。"
            ),
            (Lang::En, false) => format!(
                "Submitting locks this inspection: answers can then only be amended with a reason. It creates {failures} rectification(s); inspectors {names}; {sign}."
            ),
            (Lang::En, true) => format!(
                "Handover: submitting locks this shift's log; it can then only be amended with a reason. Handed over by {names}."
            ),
        };
        let question = match (lang, form.log) {
            (Lang::Zh, false) => "Enter 确认提交    Esc 返回修改",
            (Lang::Zh, true) => "Enter 确认交班    Esc 返回修改",
            (Lang::En, false) => "Enter submits    Esc goes back",
            (Lang::En, true) => "Enter hands over    Esc goes back",
        };
        let text = Text::from(vec![
            Line::raw(body),
            Line::raw(""),
            Line::from(Span::styled(question, styled::key())),
        ]);
        let title = if form.log {
            lang.pick(" 确认交班 ", " Confirm the handover ")
        } else {
            lang.pick(" 确认提交 ", " Confirm the submit ")
        };
        frame.render_widget(wrapped(text).block(Block::bordered().title(title)), popup);
    }
}
