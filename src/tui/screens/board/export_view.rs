//! Drawing the board's export form: a popup over the list, the filters line above it left visible.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::export::{ExportForm, FORMAT, KIND, MASKING, PATH};
use crate::export::{Format, Kind, Masking};
use crate::tui::app::App;
use crate::tui::view::{centered, clear_popup, styled};

/// `[x] 整改清单  [ ] 检查记录`: the chosen one ticked (and bold).
fn choices(options: &[(&str, bool)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (name, chosen)) in options.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        let (mark, style) = if *chosen {
            ("[x] ", Style::default().add_modifier(Modifier::BOLD))
        } else {
            ("[ ] ", Style::default())
        };
        spans.push(Span::styled(format!("{mark}{name}"), style));
    }
    Line::from(spans)
}

impl ExportForm {
    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let popup = centered(area, 72, 7);
        clear_popup(frame, popup);
        let block = Block::bordered().title(lang.pick(" 导出 ", " Export "));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let rows = Layout::vertical([Constraint::Length(1); 5]).split(inner);
        let names = [
            (KIND, lang.pick("内容", "Export")),
            (PATH, lang.pick("文件", "File")),
            (FORMAT, lang.pick("格式", "Format")),
            (MASKING, lang.pick("打码", "Masking")),
        ];
        for (field, name) in names {
            let focused = self.focus == field;
            let [l, v] = Layout::horizontal([Constraint::Length(9), Constraint::Min(1)]).areas(rows[field]);
            let style = if focused { styled::key() } else { Style::default() };
            frame.render_widget(Paragraph::new(Span::styled(name, style)), l);
            let line = match field {
                KIND => choices(&[
                    (Kind::Rectifications.label(lang), self.kind == Kind::Rectifications),
                    (Kind::Findings.label(lang), self.kind == Kind::Findings),
                ]),
                FORMAT => {
                    choices(&[("XLSX", self.format == Format::Xlsx), ("CSV", self.format == Format::Csv)])
                }
                MASKING => choices(&[
                    (lang.pick("默认打码", "masked"), self.masking == Masking::Masked),
                    (
                        lang.pick("不打码（仅科室负责人、管理员）", "unmasked (supervisors, admins)"),
                        self.masking == Masking::Unmasked,
                    ),
                ]),
                _ => {
                    self.path.render(frame, v, focused);
                    continue;
                }
            };
            frame.render_widget(Paragraph::new(line), v);
        }
        let note = lang.pick(
            "按看板当前的筛选条件导出；身份证号、手机号默认打码",
            "exports what the board's filters select; ID and phone numbers masked by default",
        );
        frame.render_widget(Paragraph::new(Span::styled(note, styled::dim())), rows[4]);
    }
}
