//! Drawing the board's export form: a popup over the list, the filters line above it left visible; or, as
//! the notice form, over a rectification's detail.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::export::{ExportForm, FORMAT, KIND, MASKING, PATH, What};
use crate::export::{Format, Kind, Masking};
use crate::i18n::Lang;
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

fn field_name(field: usize, lang: Lang) -> &'static str {
    match field {
        KIND => lang.pick("内容", "Export"),
        PATH => lang.pick("文件", "File"),
        FORMAT => lang.pick("格式", "Format"),
        _ => lang.pick("打码", "Masking"),
    }
}

impl ExportForm {
    /// The popup: for the list, its four fields; for a notice, the inspection, the file and the masking;
    /// a note under them.
    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let (title, info, note) = match &self.what {
            What::List => (
                lang.pick(" 导出 ", " Export "),
                None,
                lang.pick(
                    "按看板当前的筛选条件导出；身份证号、手机号默认打码",
                    "exports what the board's filters select; ID and phone numbers masked by default",
                ),
            ),
            What::Notice(of) => {
                let date = of.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
                (
                    lang.pick(" 整改通知书 ", " Rectification notice "),
                    Some(format!("{}  {date}", of.site_name)),
                    lang.pick(
                        "列出该次检查的全部整改事项；身份证号、手机号默认打码",
                        "every rectification of the inspection; ID and phone numbers masked",
                    ),
                )
            }
        };
        let fields = self.fields();
        let lines = usize::from(info.is_some()) + fields.len() + 1;
        let popup = centered(area, 72, u16::try_from(lines + 2).unwrap_or(u16::MAX));
        clear_popup(frame, popup);
        let block = Block::bordered().title(title);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let rows = Layout::vertical(vec![Constraint::Length(1); lines]).split(inner);
        let row = |at: usize| rows.get(at).copied().unwrap_or_default();
        let split =
            |at: usize| Layout::horizontal([Constraint::Length(9), Constraint::Min(1)]).areas(row(at));
        let mut at = 0;
        if let Some(info) = info {
            let [l, v] = split(at);
            frame.render_widget(Paragraph::new(lang.pick("检查", "Visit")), l);
            frame.render_widget(Paragraph::new(info), v);
            at += 1;
        }
        for &field in fields {
            let focused = self.focus == field;
            let [l, v] = split(at);
            at += 1;
            let style = if focused { styled::key() } else { Style::default() };
            frame.render_widget(Paragraph::new(Span::styled(field_name(field, lang), style)), l);
            match self.choice(field, lang) {
                Some(line) => frame.render_widget(Paragraph::new(line), v),
                None => self.path.render(frame, v, focused),
            }
        }
        frame.render_widget(Paragraph::new(Span::styled(note, styled::dim())), row(at));
    }

    /// A choice's line: the kind, the format or the masking; None for the path.
    fn choice(&self, field: usize, lang: Lang) -> Option<Line<'static>> {
        Some(match field {
            KIND => choices(&[
                (Kind::Rectifications.label(lang), self.kind == Kind::Rectifications),
                (Kind::Findings.label(lang), self.kind == Kind::Findings),
            ]),
            FORMAT => choices(&[("XLSX", self.format == Format::Xlsx), ("CSV", self.format == Format::Csv)]),
            MASKING => choices(&[
                (lang.pick("默认打码", "masked"), self.masking == Masking::Masked),
                (
                    lang.pick("不打码（仅科室负责人、管理员）", "unmasked (supervisors, admins)"),
                    self.masking == Masking::Unmasked,
                ),
            ]),
            PATH => return None,
            _ => Line::default(),
        })
    }
}
