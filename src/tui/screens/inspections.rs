//! All inspections (`i` on home): every inspection of the database, newest first — site, date, checklist,
//! inspectors, status — read from the store a window at a time, with a `/` search over the site's name,
//! code and pinyin initials, the checklist and the inspectors. Enter opens one the way home does: a draft
//! resumes, a submitted one opens read-only (a change then asks for a reason).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::home::Home;
use crate::i18n::Lang;
use crate::store::inspections::{Status, Summary};
use crate::store::listing::InspectionPage;
use crate::tui::action::Action;
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};
use crate::tui::view::{label, styled, thousands};

/// How many rows are read at a time (the window around the selection).
pub const WINDOW: usize = 200;

/// How far PageUp/PageDown move.
pub const PAGE_STEP: usize = 20;

#[derive(Debug, Default)]
pub struct Inspections {
    /// The search applied (`/`), as typed.
    pub query: String,
    /// The search field while it is open.
    pub typing: Option<Field>,
    /// The loaded window of matches.
    pub page: Option<InspectionPage>,
    /// The selected row, counted over all matches.
    pub selected: usize,
}

impl Inspections {
    /// The screen and the effect loading its first window.
    pub fn open() -> (Self, Effect) {
        let screen = Inspections::default();
        let effect = screen.load(0);
        (screen, effect)
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        if self.typing.is_some() { vec![Ctx::Editing] } else { vec![Ctx::Inspections, Ctx::Global] }
    }

    /// The search being typed, or the one applied.
    fn current_query(&self) -> &str {
        self.typing.as_ref().map_or(&self.query, |f| f.value())
    }

    fn load(&self, offset: usize) -> Effect {
        Effect::LoadInspections { query: self.current_query().to_string(), offset, limit: WINDOW }
    }

    fn total(&self) -> usize {
        self.page.as_ref().map_or(0, |p| p.total)
    }

    /// The selected inspection, if its window is loaded.
    pub fn selected_row(&self) -> Option<&Summary> {
        let page = self.page.as_ref()?;
        page.rows.get(self.selected.checked_sub(page.offset)?)
    }

    /// Moves the selection to `to` (clamped), loading the window around it when it is not loaded.
    fn select(&mut self, to: usize) -> Vec<Effect> {
        self.selected = to.min(self.total().saturating_sub(1));
        match &self.page {
            Some(p) if self.selected < p.offset || self.selected >= p.offset + p.rows.len() => {
                vec![self.load(self.selected - self.selected % WINDOW)]
            }
            _ => vec![],
        }
    }

    /// A new search from its first match.
    fn search(&mut self) -> Vec<Effect> {
        self.selected = 0;
        vec![self.load(0)]
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        let effects = match action {
            Action::InspectionsLoaded { query, page } if query == self.current_query() => {
                self.selected = self.selected.min(page.total.saturating_sub(1));
                self.page = Some(page);
                vec![]
            }
            Action::Opened(opened) => {
                let screen = crate::tui::screens::inspect::Inspect::new(*opened, app);
                return (Some(Screen::Inspect(Box::new(screen))), vec![]);
            }
            Action::Key(ev) => match &mut self.typing {
                Some(f) => {
                    let before = f.value().to_string();
                    f.key(&ev);
                    if f.value() != before { self.search() } else { vec![] }
                }
                None => vec![],
            },
            Action::Paste(text) => match &mut self.typing {
                Some(f) => {
                    f.paste(&text);
                    self.search()
                }
                None => vec![],
            },
            Action::Cmd(cmd) if self.typing.is_some() => self.typing_command(cmd),
            Action::Cmd(cmd) => return self.command(app, cmd),
            _ => vec![],
        };
        (None, effects)
    }

    /// Enter keeps the search typed; Esc goes back to the one applied before.
    fn typing_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        match cmd {
            Cmd::Enter | Cmd::Save => {
                if let Some(f) = self.typing.take() {
                    self.query = f.value().trim().to_string();
                }
                vec![]
            }
            Cmd::Back => {
                let changed = self.typing.take().is_some_and(|f| f.value() != self.query);
                if changed { self.search() } else { vec![] }
            }
            Cmd::Down => self.select(self.selected + 1),
            Cmd::Up => self.select(self.selected.saturating_sub(1)),
            _ => vec![],
        }
    }

    fn command(&mut self, app: &App, cmd: Cmd) -> Step {
        let effects = match cmd {
            Cmd::Back => return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]),
            Cmd::Down => self.select(self.selected + 1),
            Cmd::Up => self.select(self.selected.saturating_sub(1)),
            Cmd::PageDown => self.select(self.selected + PAGE_STEP),
            Cmd::PageUp => self.select(self.selected.saturating_sub(PAGE_STEP)),
            Cmd::Top => self.select(0),
            Cmd::Bottom => self.select(self.total().saturating_sub(1)),
            Cmd::Search => {
                self.typing = Some(Field::new(self.query.clone()));
                vec![]
            }
            Cmd::Enter => match self.selected_row() {
                Some(row) => vec![Effect::Open(row.head.id.clone())],
                None => vec![],
            },
            Cmd::PrintRecord | Cmd::PrintRecordUnmasked => match self.selected_row() {
                Some(row) => {
                    let duty = row.checklist_id == "rescue_station_duty_log";
                    vec![crate::tui::screens::record::effect(
                        app,
                        &row.head.id,
                        &row.site_name,
                        &row.head.started_at,
                        duty,
                        crate::tui::screens::record::masking_of(cmd),
                    )]
                }
                None => vec![],
            },
            _ => vec![],
        };
        (None, effects)
    }

    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let [search, list_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let [l, f] = Layout::horizontal([Constraint::Length(10), Constraint::Min(1)]).areas(search);
        frame.render_widget(Paragraph::new(label(lang.pick("搜索：", "Search: "))), l);
        match &self.typing {
            Some(field) => field.render(frame, f, true),
            None if self.query.is_empty() => frame.render_widget(
                Paragraph::new(Span::styled(
                    lang.pick(
                        "（按 / 按单位、编号、检查表或检查人员搜索）",
                        "(/ searches site, code, checklist, inspector)",
                    ),
                    styled::dim(),
                )),
                f,
            ),
            None => frame.render_widget(Paragraph::new(self.query.clone()), f),
        }
        let title = lang.pick(" 全部检查 ", " All inspections ");
        let count = match (&self.page, lang) {
            (None, _) => String::new(),
            (Some(p), Lang::Zh) => format!(" 共 {} 条 ", thousands(p.total)),
            (Some(p), Lang::En) => format!(" {} in all ", thousands(p.total)),
        };
        let block = Block::bordered().title(title).title_bottom(count);
        let Some(page) = &self.page else {
            frame.render_widget(Paragraph::new(lang.pick("正在读取……", "loading…")).block(block), list_area);
            return;
        };
        if page.total == 0 {
            let none = if self.current_query().is_empty() {
                lang.pick("还没有检查记录", "no inspections yet")
            } else {
                lang.pick("没有符合搜索的检查记录", "no inspection matches the search")
            };
            frame.render_widget(Paragraph::new(Span::styled(none, styled::dim())).block(block), list_area);
            return;
        }
        let site_w = page.rows.iter().map(|r| r.site_name.width()).max().unwrap_or(0).min(30);
        let items: Vec<ListItem<'_>> =
            page.rows.iter().map(|r| ListItem::new(row_line(r, site_w, lang))).collect();
        let mut state = ListState::default();
        state.select(self.selected.checked_sub(page.offset).filter(|i| *i < items.len()));
        let list = List::new(items).block(block).highlight_style(styled::selected()).highlight_symbol("> ");
        frame.render_stateful_widget(list, list_area, &mut state);
    }
}

/// `text` cut or padded to `width` display cells.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

fn row_line(s: &Summary, site_w: usize, lang: Lang) -> Line<'static> {
    let date = s.head.started_at.get(..10).unwrap_or(&s.head.started_at).to_string();
    let (status, style) = match s.head.status {
        Status::Draft => (lang.pick("草稿", "draft"), styled::warn()),
        Status::Submitted => (lang.pick("已提交", "submitted"), Style::default()),
    };
    let status_w =
        [lang.pick("草稿", "draft"), lang.pick("已提交", "submitted")].iter().map(|t| t.width()).max();
    // The status before the site, so a narrow terminal still shows it.
    Line::from(vec![
        Span::raw(format!("{date}  ")),
        Span::styled(format!("{}  ", fit(status, status_w.unwrap_or(0))), style),
        Span::styled(fit(&s.site_name, site_w), Style::default().add_modifier(Modifier::BOLD)),
        Span::raw(format!("  {}  {}", s.checklist_title, s.head.inspectors.join("、"))),
    ])
}
