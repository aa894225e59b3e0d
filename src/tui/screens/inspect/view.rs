//! Drawing the inspection screen: the item pane, the overview jump list and the modal overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Editor, Entry, Inspect, Mode, Pane};
use crate::checklist::AnswerKind;
use crate::i18n::Lang;
use crate::inspection::{Outcome, Slot, SlotState, Value};
use crate::store::inspections::Status;
use crate::tui::app::App;
use crate::tui::view::{centered, clear_popup, label, progress_bar, short_time, styled, wrapped};

pub(super) fn state_label(state: SlotState, lang: Lang) -> (&'static str, Style) {
    match state {
        SlotState::Hidden => (lang.pick("跳过", "skipped"), styled::dim()),
        SlotState::Unanswered => (lang.pick("未答", "open"), Style::default()),
        SlotState::Answered(Outcome::Fail) => (Outcome::Fail.label(lang), styled::warn()),
        SlotState::Answered(o) => (o.label(lang), styled::good()),
    }
}

/// `text` cut to `width` columns, with `…` when something was cut.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `width` columns, at any character (for Chinese text).
fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width.max(2) {
            lines.push(String::new());
            used = 0;
        }
        if let Some(line) = lines.last_mut() {
            line.push(c);
        }
        used += w;
    }
    lines
}

impl Inspect {
    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let sheet = &self.opened.sheet;
        if area.width < 20 || area.height < 2 {
            too_small(frame, area, lang);
            return;
        }
        // The failure form needs every line of a low terminal (it scrolls to its focused field itself).
        if let Mode::Finding(form) = &self.mode
            && area.height < 6
        {
            form.render(lang, &sheet.item(form.slot).prompt, frame, area);
            return;
        }
        // A low terminal keeps only the focused part, without the header lines or frames.
        if area.height < 6 {
            self.render_compact(app, frame, area);
            return;
        }
        let [head, gauge, main] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let status = match self.opened.head.status {
            Status::Draft => lang.pick("草稿", "draft"),
            Status::Submitted => lang.pick("已提交", "submitted"),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    self.opened.site.fields.name.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                // The version too: an inspection keeps the version it was started with.
                Span::raw(format!("  {} v{}  ", sheet.checklist.title, sheet.checklist.version)),
                Span::styled(format!("[{status}]"), styled::dim()),
            ])),
            head,
        );
        let p = sheet.progress();
        let ratio = if p.required == 0 { 1.0 } else { p.answered_required as f64 / p.required as f64 };
        let score =
            sheet.score().map(|s| format!("  {}{s:.1}", lang.pick("得分 ", "score "))).unwrap_or_default();
        let text = format!(
            "{}{}/{}  {}{}/{}{score}",
            lang.pick("必填 ", "required "),
            p.answered_required,
            p.required,
            lang.pick("已答 ", "answered "),
            p.answered,
            p.shown
        );
        frame.render_widget(Paragraph::new(progress_bar(ratio, &text, gauge.width)), gauge);
        match self.pane {
            Pane::Item => self.render_item(app, frame, main),
            Pane::Overview => self.render_overview(app, frame, main, true),
        }
        match &self.mode {
            Mode::Finding(form) => {
                let slot = form.slot;
                let item = sheet.item(slot);
                // Below the header while there is room; over the whole screen body in a small terminal,
                // where the form needs every line.
                let at = if main.height >= 12 { main } else { area };
                form.render(lang, &item.prompt, frame, at);
            }
            Mode::Submit(_) if main.height < 7 || main.width < 30 => {
                self.render_submit_compact(app, frame, main)
            }
            Mode::Submit(_) => self.render_submit(app, frame, main),
            Mode::ConfirmPass { slots } => {
                let popup = centered(main, 72, 6);
                clear_popup(frame, popup);
                let text = Text::from(vec![
                    Line::raw(self.mark_pass_question(lang, slots)),
                    Line::from(Span::styled(
                        lang.pick(
                            "每项按普通答案保存，之后仍可逐项修改。",
                            "Each is saved as an ordinary answer and can still be changed.",
                        ),
                        styled::dim(),
                    )),
                    Line::from(Span::styled(
                        lang.pick("Enter 确认    Esc 取消", "Enter confirms    Esc cancels"),
                        styled::key(),
                    )),
                ]);
                frame.render_widget(
                    wrapped(text).block(
                        Block::bordered().title(lang.pick(" 本节其余合格 ", " Rest of section passes ")),
                    ),
                    popup,
                );
            }
            Mode::Note { field, .. } => {
                let popup = centered(main, 70, 4);
                clear_popup(frame, popup);
                let block = Block::bordered().title(
                    lang.pick(" 本项备注（Enter 保存，Esc 取消） ", " Note (Enter saves, Esc cancels) "),
                );
                let inner = block.inner(popup);
                frame.render_widget(block, popup);
                field.render(frame, inner, true);
            }
            Mode::Reason { field, .. } => {
                let popup = centered(main, 70, 5);
                clear_popup(frame, popup);
                let block = Block::bordered().title(
                    lang.pick(" 修改已提交的检查：填写理由 ", " Amend a submitted inspection: reason "),
                );
                let inner = block.inner(popup);
                frame.render_widget(block, popup);
                let [hint, f] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(inner);
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        lang.pick(
                            "原答案保留在修改记录中。Enter 确认",
                            "The old answer stays in the history. Enter confirms",
                        ),
                        styled::dim(),
                    )),
                    hint,
                );
                field.render(frame, f, true);
            }
            Mode::History(rows) => {
                let popup = centered(main, 76, 12);
                clear_popup(frame, popup);
                let widths = [4, 16, 10, 11];
                // What is left for the reason, inside the borders and the column gaps.
                let reason_width = usize::from(popup.width.saturating_sub(2))
                    .saturating_sub(widths.iter().sum::<u16>().into())
                    .saturating_sub(widths.len())
                    .max(8);
                let table_rows: Vec<Row<'_>> = rows
                    .iter()
                    .map(|r| {
                        let item = self.opened.sheet.checklist.item(&r.item_id);
                        let value = item
                            .and_then(|i| Value::decode(&i.kind, &r.value).map(|v| v.display(i, lang)))
                            .unwrap_or_else(|| r.value.clone());
                        let reason = wrap_chars(&r.reason, reason_width);
                        let height = u16::try_from(reason.len()).unwrap_or(1);
                        Row::new(vec![
                            Cell::from(format!("{}", r.revision)),
                            Cell::from(fit(&value, usize::from(widths[1]))),
                            Cell::from(fit(&r.answered_by, usize::from(widths[2]))),
                            Cell::from(short_time(&r.answered_at)),
                            Cell::from(Text::from(reason.into_iter().map(Line::from).collect::<Vec<_>>())),
                        ])
                        .height(height)
                    })
                    .collect();
                let header = Row::new(match lang {
                    Lang::Zh => vec!["版次", "答案", "填写人", "时间", "修改理由"],
                    Lang::En => vec!["rev", "answer", "by", "when", "reason"],
                })
                .style(styled::heading());
                let table = Table::new(
                    table_rows,
                    [
                        Constraint::Length(widths[0]),
                        Constraint::Length(widths[1]),
                        Constraint::Length(widths[2]),
                        Constraint::Length(widths[3]),
                        Constraint::Min(8),
                    ],
                )
                .header(header)
                .block(Block::bordered().title(lang.pick(" 修改记录 ", " History ")));
                frame.render_widget(table, popup);
            }
            Mode::Browse | Mode::Edit { .. } => {}
        }
    }

    fn render_item(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let sheet = &self.opened.sheet;
        let block = Block::bordered();
        let inner = block.inner(area);
        let editing = matches!(self.mode, Mode::Edit { .. });
        let Some(entry) = self.current() else {
            frame.render_widget(block, area);
            return;
        };
        let slot = match entry {
            Entry::Group(si) => {
                let section = &sheet.checklist.sections[si];
                let label_text = section.repeat.as_ref().map(|r| r.label.clone()).filter(|l| !l.is_empty());
                let unit = label_text.unwrap_or_else(|| lang.pick("记录", "entry").to_string());
                let count = sheet.instances_of(si).len();
                let text = match lang {
                    Lang::Zh => format!("{unit}记录：{count}。按 + 或 Enter 新增一条，j/k 浏览。"),
                    Lang::En => format!("{count} {unit}(s) so far. + or Enter adds one; j/k to browse."),
                };
                let body = Text::from(vec![
                    Line::from(label(&section.title)),
                    Line::raw(""),
                    Line::raw(section.description.clone()),
                    Line::raw(text),
                ]);
                frame.render_widget(
                    wrapped(body).block(block.title(lang.pick(" 重复分组 ", " Repeat section "))),
                    area,
                );
                return;
            }
            Entry::Slot(slot) => slot,
        };
        let section = &sheet.checklist.sections[slot.section];
        let item = sheet.item(slot);
        let position = format!(" {}/{} ", slot.item + 1, section.items.len());
        let mut title = format!(" {}", section.title);
        if let Some(r) = &section.repeat {
            title.push_str(&format!(" · {}", repetition_name(&r.label, slot.instance, lang)));
        }
        title.push(' ');
        let mut block = block.title(title).title_bottom(position);
        if self.at_last_stop() && !self.read_only() && !editing {
            let cue = lang.pick(" 最后一项：按 s 提交 ", " last item: s submits ");
            block = block.title_bottom(Line::from(Span::styled(cue, styled::key())).centered());
        }
        // On the border too, so a long list of options filling the pane cannot hide it.
        if let (Some(typed), false) = (&self.typed, editing) {
            let hint = Span::styled(format!(" {} ", super::digits::hint(typed, lang)), styled::warn());
            block = block.title_bottom(Line::from(hint).right_aligned());
        }
        frame.render_widget(block, area);

        let [body, answer_area, editor_area] = Layout::vertical([
            Constraint::Min(3),
            Constraint::Length(self.answer_height(slot)),
            Constraint::Length(if editing { self.editor_height(slot) } else { 0 }),
        ])
        .areas(inner);
        // A severity only on items that can fail: on a text or a date it would mean nothing.
        let mut tags = Vec::new();
        if crate::inspection::can_fail(item) {
            tags.push(Span::styled(format!("[{}] ", item.severity.label(lang)), styled::heading()));
            if item.major_hazard {
                tags.push(Span::styled(
                    format!("[{}] ", lang.pick("重大事故隐患", "major hazard")),
                    styled::warn(),
                ));
            }
        }
        if item.required {
            tags.push(Span::raw(lang.pick("必填", "required")));
        } else {
            tags.push(Span::styled(lang.pick("选填", "optional"), styled::dim()));
        }
        let mut lines = vec![
            Line::from(tags),
            Line::from(Span::styled(item.prompt.clone(), Style::default().add_modifier(Modifier::BOLD))),
        ];
        if !item.guidance.is_empty() {
            lines.push(Line::from(vec![
                label(lang.pick("检查指引：", "Guidance: ")),
                Span::raw(item.guidance.clone()),
            ]));
        }
        if !item.basis.is_empty() {
            lines.push(Line::from(vec![
                label(lang.pick("依据：", "Basis: ")),
                Span::styled(item.basis.clone(), styled::dim()),
            ]));
        }
        frame.render_widget(wrapped(Text::from(lines)), body);
        self.render_answer(app, frame, answer_area, slot);
        if let Mode::Edit { editor, error } = &self.mode {
            self.render_editor(app, frame, editor_area, slot, editor, error.as_deref());
        }
    }

    fn answer_height(&self, slot: Slot) -> u16 {
        let item = self.opened.sheet.item(slot);
        let options = u16::try_from(item.kind.options().len()).unwrap_or(0);
        let answer = self.opened.sheet.answer(slot);
        let finding = u16::from(answer.is_some_and(|a| a.finding.is_some()));
        let note = u16::from(answer.is_some_and(|a| !a.note.trim().is_empty()));
        1 + finding + note + if matches!(item.kind, AnswerKind::Choice(_)) { options } else { 0 }
    }

    fn editor_height(&self, slot: Slot) -> u16 {
        match &self.opened.sheet.item(slot).kind {
            AnswerKind::MultiChoice(opts) => u16::try_from(opts.len()).unwrap_or(0) + 2,
            AnswerKind::Text { multiline: true } => 6,
            _ => 3,
        }
    }

    fn render_answer(&self, app: &App, frame: &mut Frame<'_>, area: Rect, slot: Slot) {
        let lang = app.lang;
        let sheet = &self.opened.sheet;
        let item = sheet.item(slot);
        let state = sheet.state(slot);
        let mut lines = Vec::new();
        let (word, style) = state_label(state, lang);
        let mut first = vec![label(lang.pick("答案：", "Answer: "))];
        match (state, sheet.answer(slot)) {
            (SlotState::Hidden, _) => {
                let cond = item.when.as_ref().map(|c| c.source.clone()).unwrap_or_default();
                first.push(Span::styled(
                    format!("{word}（{}{cond}）", lang.pick("条件不满足：", "condition not met: ")),
                    style,
                ));
            }
            (SlotState::Answered(_), Some(a)) => {
                first.push(Span::styled(a.value.display(item, lang), style));
                if a.revision > 1 {
                    first.push(Span::styled(
                        format!("  ({}{})", lang.pick("修订 ", "revision "), a.revision),
                        styled::dim(),
                    ));
                }
                if a.evidence > 0 {
                    first.push(Span::raw(format!("  {}{}", lang.pick("证据 ", "evidence "), a.evidence)));
                }
            }
            _ => first.push(Span::styled(word, style)),
        }
        lines.push(Line::from(first));
        if let Some(f) = sheet.answer(slot).and_then(|a| a.finding.as_ref()) {
            let problem = if f.problem.is_empty() {
                lang.pick("（未填写，Enter 补充）", "(missing: Enter to add)").to_string()
            } else {
                f.problem.clone()
            };
            lines.push(Line::from(vec![
                label(lang.pick("问题：", "Problem: ")),
                Span::raw(problem),
                Span::styled(format!("  {}{}", lang.pick("期限 ", "due "), f.deadline), styled::dim()),
            ]));
        }
        if let Some(note) = sheet.answer(slot).map(|a| a.note.trim()).filter(|n| !n.is_empty()) {
            lines.push(Line::from(vec![label(lang.pick("备注：", "Note: ")), Span::raw(note.to_string())]));
        }
        if let AnswerKind::Choice(opts) = &item.kind {
            let chosen = sheet.answer(slot).map(|a| a.value.encode());
            for (i, o) in opts.iter().enumerate() {
                let mark = if chosen.as_deref() == Some(o.key.as_str()) { "> " } else { "  " };
                lines.push(Line::from(vec![
                    Span::raw(mark),
                    Span::styled(format!("{} ", i + 1), styled::key()),
                    Span::raw(o.label.clone()),
                ]));
            }
        }
        frame.render_widget(wrapped(Text::from(lines)), area);
    }

    fn render_editor(
        &self,
        app: &App,
        frame: &mut Frame<'_>,
        area: Rect,
        slot: Slot,
        editor: &Editor,
        error: Option<&str>,
    ) {
        let lang = app.lang;
        let item = self.opened.sheet.item(slot);
        let hint = match &item.kind {
            AnswerKind::Number(spec) => {
                let unit = if spec.unit.is_empty() { String::new() } else { format!("（{}）", spec.unit) };
                format!("{}{unit}", lang.pick("输入数字", "enter a number"))
            }
            AnswerKind::Date => lang.pick("日期 YYYY-MM-DD", "date YYYY-MM-DD").into(),
            AnswerKind::Time => lang.pick("时间 HH:MM", "time HH:MM").into(),
            AnswerKind::DateTime => {
                lang.pick("日期时间 YYYY-MM-DD HH:MM", "date and time YYYY-MM-DD HH:MM").into()
            }
            AnswerKind::MultiChoice(_) => {
                lang.pick("数字键勾选，Enter 确定", "digits toggle, Enter confirms").into()
            }
            AnswerKind::Text { multiline: true } => {
                lang.pick("Enter 换行，Ctrl-S 保存", "Enter: new line; Ctrl-S saves").into()
            }
            _ => lang.pick("Enter 保存", "Enter saves").into(),
        };
        let title = match (error, &self.typed) {
            (Some(e), _) => Span::styled(format!(" {e} "), styled::warn()),
            (None, Some(typed)) => {
                Span::styled(format!(" {} ", super::digits::hint(typed, lang)), styled::warn())
            }
            (None, None) => Span::styled(format!(" {hint} "), styled::dim()),
        };
        let block = Block::bordered().title(title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        match editor {
            Editor::Line(f) => f.render(frame, inner, true),
            Editor::Text(a) => a.render(frame, inner, true),
            Editor::Multi { chosen } => {
                let lines: Vec<Line<'_>> = item
                    .kind
                    .options()
                    .iter()
                    .zip(chosen)
                    .enumerate()
                    .map(|(i, (o, c))| {
                        Line::from(vec![
                            Span::raw(if *c { "[x] " } else { "[ ] " }),
                            Span::styled(format!("{} ", i + 1), styled::key()),
                            Span::raw(o.label.clone()),
                        ])
                    })
                    .collect();
                frame.render_widget(Paragraph::new(lines), inner);
            }
        }
    }
}

pub use crate::inspection::answering::repetition_name;

/// Said instead of a screen that cannot be drawn in the space left.
pub(super) fn too_small(frame: &mut Frame<'_>, area: Rect, lang: Lang) {
    frame.render_widget(Clear, area);
    frame.render_widget(
        wrapped(Span::styled(
            lang.pick("终端窗口太小，请放大窗口", "terminal too small: enlarge it"),
            styled::warn(),
        )),
        area,
    );
}

impl Inspect {
    /// A terminal only a few lines high: the overview without its frame (the focused line in view), or
    /// the item's prompt and answer.
    fn render_compact(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        // A one-line field being typed into keeps its line (and what it is for) however low the terminal.
        let typing = match &self.mode {
            Mode::Submit(_) => {
                self.render_submit_compact(app, frame, area);
                return;
            }
            Mode::Note { field, .. } => Some((lang.pick("本项备注", "Note").to_string(), field)),
            Mode::Reason { field, .. } => {
                Some((lang.pick("修改理由", "Reason for the change").to_string(), field))
            }
            Mode::Edit { editor: Editor::Line(field), error } => {
                let prompt = self.current_slot().map(|s| self.opened.sheet.item(s).prompt.clone());
                Some((error.clone().or(prompt).unwrap_or_default(), field))
            }
            _ => None,
        };
        if let Some((what, field)) = typing {
            let [top, line] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
            frame.render_widget(
                Paragraph::new(Span::styled(fit(&what, usize::from(area.width)), styled::key())),
                top,
            );
            field.render(frame, line, true);
            return;
        }
        if !matches!(self.mode, Mode::Browse) {
            too_small(frame, area, lang);
            return;
        }
        if self.pane == Pane::Overview {
            self.render_overview(app, frame, area, false);
            return;
        }
        let sheet = &self.opened.sheet;
        let Some(Entry::Slot(slot)) = self.current() else {
            if let Some(Entry::Group(si)) = self.current() {
                let title = &sheet.checklist.sections[si].title;
                frame.render_widget(wrapped(Line::from(label(title))), area);
            }
            return;
        };
        let item = sheet.item(slot);
        let (word, style) = state_label(sheet.state(slot), lang);
        let answer = match sheet.answer(slot) {
            Some(a) if sheet.visible(slot) => Span::styled(a.value.display(item, lang), style),
            _ => Span::styled(word, style),
        };
        let text = Text::from(vec![
            Line::from(vec![label(lang.pick("答案：", "Answer: ")), answer]),
            Line::from(Span::styled(item.prompt.clone(), Style::default().add_modifier(Modifier::BOLD))),
        ]);
        frame.render_widget(wrapped(text), area);
    }
}
