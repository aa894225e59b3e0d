//! New inspection: domain → site (filtered as you type, by name, code, town or pinyin initials, in the
//! database a page at a time) → checklist (only those for the site's kind) → inspectors (at least the
//! checklist's minimum; prefilled with the names the user last worked with; names that are not registered
//! users are flagged before the inspection starts).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::home::Home;
use super::inspect::Inspect;
use crate::checklist::Mode;
use crate::domain::Domain;
use unicode_width::UnicodeWidthStr;

use crate::store::sites::{Page, Site};
use crate::tui::action::Action;
use crate::tui::app::{App, ChecklistInfo, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};
use crate::tui::view::{label, pad, styled, wrapped};

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
    /// The loaded page of the sites matching the filter.
    pub sites: Option<Page>,
    /// How many sites of the domain there are (the matches of an empty filter).
    pub all_sites: Option<usize>,
    pub filter: Field,
    /// The selected match, counted over all matches (not only the loaded page).
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
    /// The registered users' names (empty until loaded: then nothing is flagged).
    pub registered: Vec<String>,
    /// The names were typed or changed by the user (a late prefill must not replace them).
    pub names_typed: bool,
    /// The names text whose unregistered names the user was warned about: Enter again starts anyway.
    pub warned: Option<String>,
    pub error: Option<String>,
}

/// How many sites the picker loads at a time.
pub const SITE_PAGE: usize = 100;

/// Names as typed in a list: see [`crate::names::split`] (the rule the command line uses too).
pub fn split_names(text: &str) -> Vec<String> {
    crate::names::split(text)
}

impl NewInspection {
    pub fn new(app: &App) -> Self {
        NewInspection {
            step: Pick::Domain,
            domain_sel: 0,
            domain: None,
            sites: None,
            all_sites: None,
            filter: Field::default(),
            site_sel: 0,
            site: None,
            choices: Vec::new(),
            checklist_sel: 0,
            checklist: None,
            inspectors: Field::new(app.user.clone()),
            from_handover: false,
            plan: None,
            registered: Vec::new(),
            names_typed: false,
            warned: None,
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

    /// The loaded page of matches, in order.
    pub fn filtered(&self) -> Vec<&Site> {
        self.sites.as_ref().map(|p| p.sites.iter().collect()).unwrap_or_default()
    }

    /// How many sites match the filter (0 until the first page is loaded).
    fn matches(&self) -> usize {
        self.sites.as_ref().map_or(0, |p| p.total)
    }

    /// The selected site, if its page is loaded.
    fn selected_site(&self) -> Option<&Site> {
        let page = self.sites.as_ref()?;
        page.sites.get(self.site_sel.checked_sub(page.offset)?)
    }

    /// The search for the current filter from its first match.
    fn search(&mut self) -> Vec<Effect> {
        self.site_sel = 0;
        match self.domain {
            Some(kind) => vec![Effect::FindSites { kind, query: self.filter.value().to_string(), offset: 0 }],
            None => vec![],
        }
    }

    /// Moves the site selection to `sel` (clamped to the matches), loading its page when it is not loaded.
    fn select_site(&mut self, sel: usize) -> Vec<Effect> {
        self.site_sel = sel.min(self.matches().saturating_sub(1));
        match (self.domain, &self.sites) {
            (Some(kind), Some(page))
                if self.site_sel < page.offset || self.site_sel >= page.offset + page.sites.len() =>
            {
                let offset = self.site_sel - self.site_sel % SITE_PAGE;
                vec![Effect::FindSites { kind, query: self.filter.value().to_string(), offset }]
            }
            _ => vec![],
        }
    }

    /// The warning about the names typed that are not registered users (none until the users are loaded).
    /// A planned inspection's drawn pair was checked when the plan was made: it is not flagged again
    /// unless changed.
    pub fn names_warning(&self, lang: crate::i18n::Lang) -> Option<String> {
        if self.registered.is_empty() || (self.plan.is_some() && !self.names_typed) {
            return None;
        }
        let found = crate::names::unregistered(&split_names(self.inspectors.value()), &self.registered);
        crate::names::warning(&found, lang)
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
            Action::SitesFound { query, page } if query == self.filter.value() => {
                if query.is_empty() {
                    self.all_sites = Some(page.total);
                }
                self.site_sel = self.site_sel.min(page.total.saturating_sub(1));
                self.sites = Some(page);
            }
            Action::LastHandover(names) if !names.trim().is_empty() => {
                self.inspectors.set(split_names(&names).join("、"));
                self.from_handover = true;
            }
            Action::NamesLoaded { last, registered } => {
                // The names last used prefill the field, unless a plan, a handover or the user set them;
                // with none, the user's own name if registered (never a bare OS login).
                if self.plan.is_none() && !self.from_handover && !self.names_typed {
                    if !last.is_empty() {
                        self.inspectors.set(last.join("、"));
                    } else if !registered.contains(&app.user) {
                        self.inspectors.set(String::new());
                    }
                }
                self.registered = registered;
            }
            Action::Opened(opened) => {
                return (Some(Screen::Inspect(Box::new(Inspect::new(*opened, app)))), vec![]);
            }
            Action::Cmd(cmd) => return self.command(app, cmd),
            Action::Key(ev) => match self.step {
                Pick::Site => {
                    let before = self.filter.value().to_string();
                    self.filter.key(&ev);
                    if self.filter.value() != before {
                        return (None, self.search());
                    }
                }
                Pick::Inspectors => {
                    self.inspectors.key(&ev);
                    self.names_typed = true;
                }
                _ => {}
            },
            Action::Paste(text) => match self.step {
                Pick::Site => {
                    self.filter.paste(&text);
                    return (None, self.search());
                }
                Pick::Inspectors => {
                    self.inspectors.paste(&text);
                    self.names_typed = true;
                }
                _ => {}
            },
            _ => {}
        }
        (None, vec![])
    }

    fn command(&mut self, app: &mut App, cmd: Cmd) -> Step {
        if self.step == Pick::Site {
            let effects = match cmd {
                Cmd::Down => self.select_site(self.site_sel + 1),
                Cmd::Up => self.select_site(self.site_sel.saturating_sub(1)),
                Cmd::Enter | Cmd::Save => return self.choose(app),
                _ => vec![],
            };
            return (None, effects);
        }
        let len = match self.step {
            Pick::Domain => Domain::ALL.len(),
            Pick::Checklist => self.choices.len(),
            Pick::Site | Pick::Inspectors => 0,
        };
        let sel = match self.step {
            Pick::Domain => &mut self.domain_sel,
            Pick::Checklist => &mut self.checklist_sel,
            Pick::Site | Pick::Inspectors => return self.inspectors_command(app, cmd),
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
                self.sites = None;
                self.all_sites = None;
                self.site_sel = 0;
                self.step = Pick::Site;
                (None, vec![Effect::LoadSites(domain)])
            }
            Pick::Site => {
                let Some(site) = self.selected_site().cloned() else {
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
                // The registered users first, so a handover's officers (loaded next) win over the names
                // last used.
                let mut effects = vec![Effect::LoadNames];
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
        // Officers on duty need not be users of ducha: for a duty log the warning is shown, not asked about.
        let log = checklist.mode == Mode::Log;
        if let Some(warning) = self.names_warning(app.lang).filter(|_| !log) {
            let text = self.inspectors.value().to_string();
            if self.warned.as_deref() != Some(text.as_str()) {
                self.error = Some(format!(
                    "{warning}{}",
                    app.lang
                        .pick("；核对后再按 Enter 仍然开始", "; check them, or press Enter again to start")
                ));
                self.warned = Some(text);
                return (None, vec![]);
            }
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
                let [hint, field, warning] =
                    Layout::vertical([Constraint::Length(2), Constraint::Length(1), Constraint::Min(0)])
                        .areas(main);
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
                if let (Some(w), None) = (self.names_warning(lang), &self.error) {
                    frame.render_widget(wrapped(Line::from(Span::styled(w, styled::warn()))), warning);
                }
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
        // Columns padded by display width (a Chinese character takes two cells), so codes, names and towns
        // of different lengths still line up, and the sample mark after them too.
        let code_w = sites.iter().map(|s| s.fields.code.width()).max().unwrap_or(0);
        let name_w = sites.iter().map(|s| s.fields.name.width()).max().unwrap_or(0);
        let town_w = sites.iter().map(|s| s.fields.town.width()).max().unwrap_or(0);
        let items: Vec<ListItem<'_>> = sites
            .iter()
            .map(|s| {
                let sample = if s.sample { lang.pick("  [示例]", "  [sample]") } else { "" };
                ListItem::new(Line::from(vec![
                    Span::raw(format!("{}  ", pad(&s.fields.code, code_w))),
                    Span::raw(pad(&s.fields.name, name_w)),
                    Span::styled(format!("  {}", pad(&s.fields.town, town_w)), styled::dim()),
                    Span::styled(sample.to_string(), styled::dim()),
                ]))
            })
            .collect();
        let count = match (self.sites.as_ref(), self.all_sites) {
            (None, _) => String::new(),
            (Some(p), Some(all)) if p.total != all || p.capped => format!(" {}/{all} ", matches_label(p)),
            (Some(p), _) => match lang {
                crate::i18n::Lang::Zh => format!(" 共 {} 个 ", matches_label(p)),
                crate::i18n::Lang::En => format!(" {} in all ", matches_label(p)),
            },
        };
        let block = Block::default().title_bottom(count);
        let inner = block.inner(list_area);
        frame.render_widget(block, list_area);
        let offset = self.sites.as_ref().map_or(0, |p| p.offset);
        list(frame, inner, items, self.site_sel.saturating_sub(offset));
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

/// The number of matches as the picker shows it: `1000+` when the store stopped counting at its cap.
fn matches_label(page: &Page) -> String {
    if page.capped { format!("{}+", page.total) } else { page.total.to_string() }
}
