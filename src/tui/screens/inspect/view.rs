//! Drawing the inspection screen: the item pane, the overview jump list and the modal overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Clear, List, ListItem, ListState, Paragraph, Row, Table};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Editor, Entry, Inspect, Mode, Pane};
use crate::checklist::AnswerKind;
use crate::i18n::Lang;
use crate::inspection::{Outcome, Slot, SlotState, Value};
use crate::store::inspections::Status;
use crate::tui::app::App;
use crate::tui::view::{centered, clear_popup, label, progress_bar, short_time, styled, wrapped};

fn state_label(state: SlotState, lang: Lang) -> (&'static str, Style) {
    match state {
        SlotState::Hidden => (lang.pick("跳过", "skipped"), styled::dim()),
        SlotState::Unanswered => (lang.pick("未答", "open"), Style::default()),
        SlotState::Answered(Outcome::Fail) => (Outcome::Fail.label(lang), styled::warn()),
        SlotState::Answered(o) => (o.label(lang), styled::good()),
    }
}

/// `text` padded with spaces to `width` columns (Chinese characters are two columns wide).
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// `text` cut to `width` columns, with `…` when something was cut.
fn fit(text: &str, width: usize) -> String {
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
            Pane::Overview => self.render_overview(app, frame, main),
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
            Mode::Submit(_) => self.render_submit(app, frame, main),
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
            let unit = if r.label.is_empty() { lang.pick("次", "#") } else { r.label.as_str() };
            title.push_str(&match lang {
                Lang::Zh => format!(" · 第 {} {unit}", slot.instance),
                Lang::En => format!(" · {unit} {}", slot.instance),
            });
        }
        title.push(' ');
        let mut block = block.title(title).title_bottom(position);
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
        let mut tags = vec![Span::styled(format!("[{}]", item.severity.label(lang)), styled::heading())];
        if item.major_hazard {
            tags.push(Span::styled(
                format!(" [{}]", lang.pick("重大事故隐患", "major hazard")),
                styled::warn(),
            ));
        }
        if item.required {
            tags.push(Span::raw(format!(" {}", lang.pick("必填", "required"))));
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
        let finding = u16::from(self.opened.sheet.answer(slot).is_some_and(|a| a.finding.is_some()));
        1 + finding + if matches!(item.kind, AnswerKind::Choice(_)) { options } else { 0 }
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
            AnswerKind::Text { multiline: true } => lang.pick("Ctrl-S 保存", "Ctrl-S saves").into(),
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

    fn render_overview(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let sheet = &self.opened.sheet;
        let mut number = 0;
        let status_width = [
            SlotState::Hidden,
            SlotState::Unanswered,
            SlotState::Answered(Outcome::Pass),
            SlotState::Answered(Outcome::Fail),
            SlotState::Answered(Outcome::Na),
            SlotState::Answered(Outcome::Recorded),
        ]
        .iter()
        .map(|s| state_label(*s, lang).0.width())
        .max()
        .unwrap_or(6);
        let items: Vec<ListItem<'_>> = self
            .entries
            .iter()
            .map(|e| match e {
                Entry::Group(si) => {
                    let s = &sheet.checklist.sections[*si];
                    ListItem::new(Line::from(Span::styled(
                        format!("-- {} ({})", s.title, sheet.instances_of(*si).len()),
                        styled::heading(),
                    )))
                }
                Entry::Slot(slot) => {
                    number += 1;
                    let item = sheet.item(*slot);
                    let (word, style) = state_label(sheet.state(*slot), lang);
                    let instance =
                        if slot.instance > 0 { format!("#{} ", slot.instance) } else { String::new() };
                    ListItem::new(Line::from(vec![
                        Span::styled(pad(word, status_width), style),
                        Span::raw(format!(" {number:>3}. {instance}")),
                        Span::raw(item.prompt.clone()),
                    ]))
                }
            })
            .collect();
        let mut state = ListState::default();
        state.select(Some(self.overview_sel.min(self.entries.len().saturating_sub(1))));
        let list = List::new(items)
            .block(Block::bordered().title(lang.pick(" 总览（Enter 跳转） ", " Overview (Enter jumps) ")))
            .highlight_style(styled::selected());
        frame.render_stateful_widget(list, area, &mut state);
    }

    fn render_submit(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let Mode::Submit(form) = &self.mode else { return };
        let lang = app.lang;
        let sheet = &self.opened.sheet;
        frame.render_widget(Clear, area);
        let block = Block::bordered().title(lang.pick(" 提交检查 ", " Submit "));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let missing = sheet.missing();
        let failures = sheet.failures();
        let [summary, inspectors, representative, error] = Layout::vertical([
            Constraint::Min(2),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        // One line per listed item, cut to the width: a long prompt wrapped under its bullet reads badly.
        let width = usize::from(summary.width);
        let bullet = |text: &str| fit(&format!("  - {text}"), width);
        let more = |n: usize| match lang {
            Lang::Zh => format!("  ……另有 {n} 项"),
            Lang::En => format!("  … and {n} more"),
        };
        let mut lines = vec![Line::from(match lang {
            Lang::Zh => format!("不合格 {} 项，提交后生成 {} 条整改事项。", failures.len(), failures.len()),
            Lang::En => format!(
                "{} failure(s); submitting creates {} rectification(s).",
                failures.len(),
                failures.len()
            ),
        })];
        if let Some(score) = sheet.score() {
            lines.push(Line::from(format!("{}{score:.1}", lang.pick("合规得分：", "Compliance score: "))));
        }
        for slot in failures.iter().take(4) {
            lines.push(Line::from(Span::styled(bullet(&sheet.item(*slot).prompt), styled::warn())));
        }
        if failures.len() > 4 {
            lines.push(Line::from(Span::styled(more(failures.len() - 4), styled::warn())));
        }
        if !missing.is_empty() {
            lines.push(Line::from(Span::styled(
                match lang {
                    Lang::Zh => format!(
                        "尚缺 {} 项必填内容，不能提交（Esc 返回后按 o 在总览中查看）：",
                        missing.len()
                    ),
                    Lang::En => format!(
                        "{} required answer(s) missing; cannot submit yet (Esc, then o for the overview):",
                        missing.len()
                    ),
                },
                styled::warn(),
            )));
            for m in missing.iter().take(3) {
                let text = match m {
                    crate::inspection::Missing::Item(s) => sheet.item(*s).prompt.clone(),
                    crate::inspection::Missing::Instances { section, need, .. } => {
                        format!(
                            "{} ({}{need})",
                            sheet.checklist.sections[*section].title,
                            lang.pick("至少 ", "at least ")
                        )
                    }
                };
                lines.push(Line::from(bullet(&text)));
            }
            if missing.len() > 3 {
                lines.push(Line::from(more(missing.len() - 3)));
            }
        }
        frame.render_widget(wrapped(Text::from(lines)), summary);
        for (area, name, field, focus) in [
            (inspectors, lang.pick("检查人员签名", "Inspectors"), &form.inspectors, form.focus == 0),
            (
                representative,
                lang.pick("被检查单位代表", "Site representative"),
                &form.representative,
                form.focus == 1,
            ),
        ] {
            let [l, f] = Layout::horizontal([Constraint::Length(18), Constraint::Min(1)]).areas(area);
            frame.render_widget(
                Paragraph::new(Span::styled(name, if focus { styled::key() } else { Style::default() })),
                l,
            );
            field.render(frame, f, focus);
        }
        let hint = form.error.clone().map(|e| Span::styled(e, styled::warn())).unwrap_or_else(|| {
            Span::styled(
                lang.pick(
                    "Ctrl-S 或在最后一栏按 Enter 提交；提交后锁定",
                    "Ctrl-S, or Enter on the last field, submits; then it is locked",
                ),
                styled::dim(),
            )
        });
        frame.render_widget(Paragraph::new(hint), error);
    }
}
