//! The overview jump list: every stop with its state and note, the focused line always in view, and a
//! last line saying that `s` submits.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState};
use unicode_width::UnicodeWidthStr;

use super::view::state_label;
use super::{Entry, Inspect};
use crate::i18n::Lang;
use crate::inspection::{Outcome, SlotState};
use crate::tui::app::App;
use crate::tui::view::{pad, styled};

impl Inspect {
    /// The overview; `bordered` is false on a terminal too low for a frame round it.
    pub(super) fn render_overview(&self, app: &App, frame: &mut Frame<'_>, area: Rect, bordered: bool) {
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
        let mut items: Vec<ListItem<'_>> = self
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
                    let mut spans = vec![
                        Span::styled(pad(word, status_width), style),
                        Span::raw(format!(" {number:>3}. {instance}")),
                        Span::raw(item.prompt.clone()),
                    ];
                    if let Some(note) = sheet.answer(*slot).map(|a| a.note.trim()).filter(|n| !n.is_empty()) {
                        spans.push(Span::styled(
                            format!("  {}{note}", lang.pick("备注：", "note: ")),
                            styled::dim(),
                        ));
                    }
                    ListItem::new(Line::from(spans))
                }
            })
            .collect();
        // The end of the list says how to finish (not a stop: the selection never lands on it).
        if !self.read_only() {
            items.push(ListItem::new(Line::from(Span::styled(
                lang.pick("—— 检查表到此结束：按 s 提交 ——", "—— end of the checklist: s submits ——"),
                styled::key(),
            ))));
        }
        let rows = if bordered { area.height.saturating_sub(2) } else { area.height };
        self.overview_rows.set(usize::from(rows).max(1));
        let mut state = ListState::default();
        state.select(Some(self.overview_sel.min(self.entries.len().saturating_sub(1))));
        // One line of context round the focus where there is room, so the end cue shows when the last item is focused.
        let padding = usize::from(rows >= 5);
        let mut list = List::new(items)
            .highlight_style(styled::selected())
            .style(Style::default())
            .scroll_padding(padding);
        if bordered {
            let title = match lang {
                Lang::Zh => " 总览（Enter 跳转，n 下一未完成） ",
                Lang::En => " Overview (Enter jumps, n next open) ",
            };
            list = list.block(Block::bordered().title(title));
        }
        frame.render_stateful_widget(list, area, &mut state);
    }
}
