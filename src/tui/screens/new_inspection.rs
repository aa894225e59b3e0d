//! New inspection: domain → site (filtered as you type, by name, code, town or pinyin initials) →
//! checklist (only those for the site's kind) → inspectors (at least the checklist's minimum).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::home::Home;
use super::inspect::Inspect;
use crate::checklist::Mode;
use crate::domain::Domain;
use crate::inspection::record::clean_names;
use unicode_width::UnicodeWidthStr;

use crate::search;
use crate::store::sites::Site;
use crate::tui::action::Action;
use crate::tui::app::{App, ChecklistInfo, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};
use crate::tui::view::{label, styled, wrapped};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Domain,
    Site,
    Checklist,
    Inspectors,
}

#[derive(Debug)]
pub struct NewInspection {
    pub step: Pick,
    pub domain_sel: usize,
    pub domain: Option<Domain>,
    pub sites: Vec<Site>,
    pub filter: Field,
    pub site_sel: usize,
    pub site: Option<Site>,
    pub choices: Vec<ChecklistInfo>,
    pub checklist_sel: usize,
    pub checklist: Option<ChecklistInfo>,
    pub inspectors: Field,
    /// The names were prefilled from the last shift's handover.
    pub from_handover: bool,
    /// The planned inspection (plan id, position) being started, if any.
    pub plan: Option<(String, u32)>,
    pub error: Option<String>,
}

/// Names separated by commas (ASCII or Chinese), 、, semicolons or spaces.
pub fn split_names(text: &str) -> Vec<String> {
    let parts: Vec<String> = text
        .split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
        .map(String::from)
        .collect();
    clean_names(&parts)
}

impl NewInspection {
    pub fn new(app: &App) -> Self {
        NewInspection {
            step: Pick::Domain,
            domain_sel: 0,
            domain: None,
            sites: Vec::new(),
            filter: Field::default(),
            site_sel: 0,
            site: None,
            choices: Vec::new(),
            checklist_sel: 0,
            checklist: None,
            inspectors: Field::new(app.user.clone()),
            from_handover: false,
            plan: None,
            error: None,
        }
    }

    /// Starts at the site step of one domain (a new duty-log shift goes straight to the station).
    pub fn for_domain(app: &App, domain: Domain) -> Self {
        let mut screen = NewInspection::new(app);
        screen.domain_sel = Domain::ALL.iter().position(|d| *d == domain).unwrap_or(0);
        screen.domain = Some(domain);
        screen.step = Pick::Site;
        screen
    }

    /// Starts a planned inspection: its site and the drawn pair of inspectors are already chosen.
    pub fn for_plan(app: &App, site: Site, planned: &crate::store::plans::Planned) -> Self {
        let mut screen = NewInspection::for_domain(app, site.fields.kind);
        screen.choices =
            app.checklists.iter().filter(|c| c.site_kinds.contains(&site.fields.kind)).cloned().collect();
        screen.inspectors.set(planned.inspectors.join("、"));
        screen.site = Some(site);
        screen.plan = Some((planned.plan_id.clone(), planned.position));
        screen.step = Pick::Checklist;
        screen
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        match self.step {
            Pick::Domain | Pick::Checklist => vec![Ctx::Pick, Ctx::Global],
            Pick::Site | Pick::Inspectors => vec![Ctx::Editing],
        }
    }

    pub fn filtered(&self) -> Vec<&Site> {
        let q = self.filter.value();
        self.sites
            .iter()
            .filter(|s| search::matches(q, &[&s.fields.name, &s.fields.code, &s.fields.town]))
            .collect()
    }

    fn back(&mut self) -> Step {
        self.error = None;
        match self.step {
            Pick::Domain => (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]),
            Pick::Site => {
                self.step = Pick::Domain;
                (None, vec![])
            }
            Pick::Checklist => {
                self.step = Pick::Site;
                (None, vec![])
            }
            Pick::Inspectors => {
                self.step = Pick::Checklist;
                (None, vec![])
            }
        }
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        match action {
            Action::Cmd(Cmd::Back) => return self.back(),
            Action::SitesLoaded(sites) => {
                self.sites = sites;
                self.site_sel = 0;
            }
            Action::LastHandover(names) if !names.trim().is_empty() => {
                self.inspectors.set(split_names(&names).join("、"));
                self.from_handover = true;
            }
            Action::Opened(opened) => {
                return (Some(Screen::Inspect(Box::new(Inspect::new(*opened, app)))), vec![]);
            }
            Action::Cmd(cmd) => return self.command(app, cmd),
            Action::Key(ev) => match self.step {
                Pick::Site => {
                    self.filter.key(&ev);
                    self.site_sel = 0;
                }
                Pick::Inspectors => self.inspectors.key(&ev),
                _ => {}
            },
            Action::Paste(text) => match self.step {
                Pick::Site => {
                    self.filter.paste(&text);
                    self.site_sel = 0;
                }
                Pick::Inspectors => self.inspectors.paste(&text),
                _ => {}
            },
            _ => {}
        }
        (None, vec![])
    }

    fn command(&mut self, app: &mut App, cmd: Cmd) -> Step {
        let len = match self.step {
            Pick::Domain => Domain::ALL.len(),
            Pick::Site => self.filtered().len(),
            Pick::Checklist => self.choices.len(),
            Pick::Inspectors => 0,
        };
        let sel = match self.step {
            Pick::Domain => &mut self.domain_sel,
            Pick::Site => &mut self.site_sel,
            Pick::Checklist => &mut self.checklist_sel,
            Pick::Inspectors => return self.inspectors_command(app, cmd),
        };
        match cmd {
            Cmd::Down if len > 0 => *sel = (*sel + 1).min(len - 1),
            Cmd::Up => *sel = sel.saturating_sub(1),
            Cmd::Enter | Cmd::Save => return self.choose(app),
            _ => {}
        }
        (None, vec![])
    }

    fn choose(&mut self, app: &mut App) -> Step {
        self.error = None;
        match self.step {
            Pick::Domain => {
                let domain = Domain::ALL[self.domain_sel.min(Domain::ALL.len() - 1)];
                self.domain = Some(domain);
                self.filter = Field::default();
                self.sites.clear();
                self.step = Pick::Site;
                (None, vec![Effect::LoadSites(domain)])
            }
            Pick::Site => {
                let Some(site) = self.filtered().get(self.site_sel).map(|s| (*s).clone()) else {
                    return (None, vec![]);
                };
                self.choices = app
                    .checklists
                    .iter()
                    .filter(|c| c.site_kinds.contains(&site.fields.kind))
                    .cloned()
                    .collect();
                if self.choices.is_empty() {
                    self.error = Some(
                        app.lang
                            .pick("没有适用于此类单位的检查表", "no checklist applies to this kind of site")
                            .into(),
                    );
                    return (None, vec![]);
                }
                self.site = Some(site);
                self.checklist_sel = 0;
                self.step = Pick::Checklist;
                (None, vec![])
            }
            Pick::Checklist => {
                let Some(choice) = self.choices.get(self.checklist_sel).cloned() else {
                    return (None, vec![]);
                };
                let mut effects = vec![];
                if let (Mode::Log, Some(site)) = (choice.mode, &self.site) {
                    effects.push(Effect::LastHandover {
                        checklist_id: choice.id.clone(),
                        site_id: site.id.clone(),
                    });
                }
                self.checklist = Some(choice);
                self.step = Pick::Inspectors;
                (None, effects)
            }
            Pick::Inspectors => self.start(app),
        }
    }

    fn inspectors_command(&mut self, app: &mut App, cmd: Cmd) -> Step {
        match cmd {
            Cmd::Enter | Cmd::Save => self.start(app),
            _ => (None, vec![]),
        }
    }

    fn start(&mut self, app: &mut App) -> Step {
        let (Some(site), Some(checklist)) = (&self.site, &self.checklist) else {
            return (None, vec![]);
        };
        let names = split_names(self.inspectors.value());
        let need = usize::from(checklist.min_inspectors);
        if names.len() < need {
            self.error = Some(match app.lang {
                crate::i18n::Lang::Zh => format!(
                    "此检查表至少需要 {need} 名检查人员（现有 {} 名），姓名之间用逗号或顿号分隔",
                    names.len()
                ),
                crate::i18n::Lang::En => format!(
                    "this checklist needs at least {need} inspectors ({} given); separate names with commas",
                    names.len()
                ),
            });
            return (None, vec![]);
        }
        (
            None,
            vec![Effect::Start {
                plan: self.plan.clone(),
                checklist_id: checklist.id.clone(),
                hash: checklist.hash.clone(),
                site_id: site.id.clone(),
                inspectors: names,
            }],
        )
    }

    pub fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let (n, title) = match self.step {
            Pick::Domain => (1, lang.pick("选择检查领域", "choose the domain")),
            Pick::Site => (2, lang.pick("选择被检查单位", "choose the site")),
            Pick::Checklist => (3, lang.pick("选择检查表", "choose the checklist")),
            Pick::Inspectors if self.checklist.as_ref().is_some_and(|c| c.mode == Mode::Log) => {
                (4, lang.pick("值班人员", "officers on duty"))
            }
            Pick::Inspectors => (4, lang.pick("检查人员", "inspectors")),
        };
        let block =
            Block::bordered().title(format!(" {} {n}/4 · {title} ", lang.pick("新建检查", "New inspection")));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [chosen, main, error] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let mut path = Vec::new();
        if let Some(d) = self.domain {
            path.push(d.label(lang).to_string());
        }
        if let Some(s) = &self.site {
            path.push(s.fields.name.clone());
        }
        if let Some(c) = &self.checklist {
            path.push(c.title.clone());
        }
        frame.render_widget(Paragraph::new(Span::styled(path.join(" > "), styled::dim())), chosen);
        if let Some(e) = &self.error {
            frame.render_widget(Paragraph::new(Span::styled(e.clone(), styled::warn())), error);
        }
        match self.step {
            Pick::Domain => {
                let items: Vec<ListItem<'_>> =
                    Domain::ALL.iter().map(|d| ListItem::new(d.label(lang))).collect();
                list(frame, main, items, self.domain_sel);
            }
            Pick::Site => self.render_sites(app, frame, main),
            Pick::Checklist => {
                let items: Vec<ListItem<'_>> = self
                    .choices
                    .iter()
                    .map(|c| {
                        let extra = match (c.mode, c.min_inspectors) {
                            (Mode::Log, _) => lang
                                .pick("  （值班记录，每班一份）", "  (duty log, one per shift)")
                                .to_string(),
                            (_, n) if n > 1 => format!(
                                "{}{n}{}",
                                lang.pick("  （至少 ", "  (at least "),
                                lang.pick(" 名检查人员）", " inspectors)")
                            ),
                            _ => String::new(),
                        };
                        ListItem::new(format!("{}  v{}{extra}", c.title, c.version))
                    })
                    .collect();
                list(frame, main, items, self.checklist_sel);
            }
            Pick::Inspectors => {
                let [hint, field] =
                    Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(main);
                let need = self.checklist.as_ref().map_or(1, |c| c.min_inspectors);
                let log = self.checklist.as_ref().is_some_and(|c| c.mode == Mode::Log);
                let text = match (lang, log) {
                    (crate::i18n::Lang::Zh, true) => format!(
                        "本班值班人员，用逗号或顿号分隔{}。Enter 开始本班记录。",
                        if self.from_handover { "（已按上一班交接预填）" } else { "" }
                    ),
                    (crate::i18n::Lang::En, true) => format!(
                        "Officers on this shift, separated by commas{}. Enter starts.",
                        if self.from_handover { " (prefilled from the last handover)" } else { "" }
                    ),
                    (crate::i18n::Lang::Zh, false) => {
                        format!("检查人员姓名，用逗号或顿号分隔（至少 {need} 名）。Enter 开始检查。")
                    }
                    (crate::i18n::Lang::En, false) => {
                        format!("Inspectors' names, separated by commas (at least {need}). Enter starts.")
                    }
                };
                frame.render_widget(wrapped(text), hint);
                let [l, f] = Layout::horizontal([Constraint::Length(10), Constraint::Min(1)]).areas(field);
                let name = if log {
                    lang.pick("值班人员：", "On duty: ")
                } else {
                    lang.pick("检查人员：", "Names: ")
                };
                frame.render_widget(Paragraph::new(label(name)), l);
                self.inspectors.render(frame, f, true);
            }
        }
    }

    fn render_sites(&self, app: &App, frame: &mut Frame<'_>, area: Rect) {
        let lang = app.lang;
        let [filter, list_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let [l, f] = Layout::horizontal([Constraint::Length(10), Constraint::Min(1)]).areas(filter);
        frame.render_widget(Paragraph::new(label(lang.pick("筛选：", "Filter: "))), l);
        self.filter.render(frame, f, true);
        let sites = self.filtered();
        // Columns padded by display width, so names of different lengths still line up.
        let code_w = sites.iter().map(|s| s.fields.code.width()).max().unwrap_or(0);
        let name_w = sites.iter().map(|s| s.fields.name.width()).max().unwrap_or(0);
        let pad = |t: &str, w: usize| format!("{t}{}", " ".repeat(w.saturating_sub(t.width())));
        let items: Vec<ListItem<'_>> = sites
            .iter()
            .map(|s| {
                let sample = if s.sample { lang.pick("  [示例]", "  [sample]") } else { "" };
                ListItem::new(Line::from(vec![
                    Span::raw(format!("{}  ", pad(&s.fields.code, code_w))),
                    Span::raw(pad(&s.fields.name, name_w)),
                    Span::styled(format!("  {}{sample}", s.fields.town), styled::dim()),
                ]))
            })
            .collect();
        let count = format!(" {}/{} ", sites.len(), self.sites.len());
        let block = Block::default().title_bottom(count);
        let inner = block.inner(list_area);
        frame.render_widget(block, list_area);
        list(frame, inner, items, self.site_sel);
    }
}

fn list(frame: &mut Frame<'_>, area: Rect, items: Vec<ListItem<'_>>, selected: usize) {
    let mut state = ListState::default();
    if !items.is_empty() {
        state.select(Some(selected.min(items.len() - 1)));
    }
    let list = List::new(items).highlight_style(styled::selected()).highlight_symbol("> ");
    frame.render_stateful_widget(list, area, &mut state);
}
