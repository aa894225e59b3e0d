#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Screen snapshots of the console at 80×24 in Chinese: a real (temporary) database prepared the way the
//! binary prepares it, driven by keys and effect results through `dispatch` as the event loop does, drawn
//! on ratatui's `TestBackend`.

mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use common::console::Console;
use ducha::checklist::AnswerKind;
use ducha::i18n::Lang;
use ducha::inspection::SlotState;
use ducha::tui::action::Action;
use ducha::tui::app::Screen;
use ducha::tui::effect::Effect;
use ducha::tui::screens::inspect::{Entry, Mode, Pane};
use ducha::tui::{keymap, view};

impl Console {
    /// A fresh database, seeded with the shipped checklists and sample sites, on the home screen.
    fn new() -> Self {
        Self::in_language(Lang::Zh)
    }

    fn in_language(lang: Lang) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Console::open(&dir.path().join("ducha.db"), "王芳", lang).holding(dir)
    }

    /// n → domain (first: 养老机构) → site `name`, found with `filter` → the first checklist → inspectors.
    fn start(&mut self, filter: &str, name: &str) {
        self.code(KeyCode::Char('n'));
        self.code(KeyCode::Enter);
        self.chars(filter);
        let Screen::New(new) = &self.app.screen else {
            panic!("not on the new-inspection screen");
        };
        let position = new
            .filtered()
            .iter()
            .position(|s| s.fields.name == name)
            .unwrap_or_else(|| panic!("{name} not found with {filter}"));
        for _ in 0..position {
            self.code(KeyCode::Down);
        }
        self.code(KeyCode::Enter);
        self.code(KeyCode::Enter);
        self.code(KeyCode::Enter);
        assert!(matches!(self.app.screen, Screen::Inspect(_)), "the inspection started");
    }

    /// Jumps through the overview (o, j/k, Enter) to an item's first slot or, for `#section`, to the header
    /// of that repeat section.
    fn jump(&mut self, id: &str) {
        let target = {
            let i = self.inspect();
            let sheet = &i.opened.sheet;
            i.entries
                .iter()
                .position(|e| match e {
                    Entry::Slot(s) => sheet.item(*s).id == id,
                    Entry::Group(si) => id.strip_prefix('#') == Some(&sheet.checklist.sections[*si].id),
                })
                .unwrap_or_else(|| panic!("no entry {id}"))
        };
        self.code(KeyCode::Char('o'));
        while self.inspect().overview_sel < target {
            self.code(KeyCode::Char('j'));
        }
        while self.inspect().overview_sel > target {
            self.code(KeyCode::Char('k'));
        }
        self.code(KeyCode::Enter);
        assert_eq!(self.inspect().cursor, target);
        assert_eq!(self.inspect().pane, Pane::Item);
    }

    fn current_id(&self) -> String {
        let i = self.inspect();
        match i.current() {
            Some(Entry::Slot(s)) => i.opened.sheet.item(s).id.clone(),
            _ => String::new(),
        }
    }

    /// Answers every required item still open, walking the item screen with the answer keys.
    fn answer_all(&mut self) {
        for _ in 0..500 {
            let i = self.inspect();
            let sheet = &i.opened.sheet;
            if sheet.missing().is_empty() {
                return;
            }
            let todo = match i.current() {
                Some(Entry::Slot(s)) if sheet.state(s) == SlotState::Unanswered && sheet.item(s).required => {
                    Some(sheet.item(s).kind.clone())
                }
                _ => None,
            };
            let before = i.cursor;
            match todo {
                None => {
                    self.code(KeyCode::Char('j'));
                    assert_ne!(self.inspect().cursor, before, "stuck with items missing");
                }
                Some(AnswerKind::Check | AnswerKind::Choice(_)) => self.code(KeyCode::Char('1')),
                Some(AnswerKind::MultiChoice(_)) => {
                    self.code(KeyCode::Enter);
                    self.code(KeyCode::Char('3'));
                    self.code(KeyCode::Enter);
                }
                Some(AnswerKind::Text { multiline }) => {
                    self.code(KeyCode::Enter);
                    self.chars("张三");
                    if multiline {
                        self.ctrl('s');
                    } else {
                        self.code(KeyCode::Enter);
                    }
                }
                Some(AnswerKind::Number(_)) => {
                    self.code(KeyCode::Enter);
                    self.chars("30");
                    self.code(KeyCode::Enter);
                }
                Some(AnswerKind::Date | AnswerKind::Time | AnswerKind::DateTime) => {
                    self.code(KeyCode::Enter);
                    self.code(KeyCode::Enter);
                }
            }
            assert!(
                matches!(self.inspect().mode, Mode::Browse),
                "answering {} left a form open",
                self.current_id()
            );
        }
        panic!("answer_all did not finish");
    }

    /// A submitted inspection at 如城街道敬老院 with every answer a pass; back on the home screen.
    fn submitted(&mut self) {
        self.start("rcjd", "如城街道敬老院");
        self.answer_all();
        // The submit form opens on the representative (the inspectors are there).
        self.code(KeyCode::Char('s'));
        self.chars("蔡林");
        self.code(KeyCode::Enter);
        // The confirmation says what submitting does; Enter confirms.
        self.code(KeyCode::Enter);
        assert!(matches!(self.app.screen, Screen::Home(_)), "submitted and home");
    }

    /// Draws the frame at 80×24 and snapshots it (times of stored rows are masked).
    fn snapshot(&self, name: &str) {
        let screen = self.screen_at(80, 24);
        let mut settings = insta::Settings::clone_current();
        // Stored rows show `MM-DD hh:mm` of when they were written; the title line shows the fixed clock.
        settings.add_filter(r"(\s)\d\d-\d\d \d\d:\d\d", "${1}MM-DD hh:mm");
        // Dates of rows written when the test runs (a plan's date), set off by two spaces.
        settings.add_filter(r"(\s\s)\d{4}-\d\d-\d\d(\s\s)", "${1}YYYY-MM-DD${2}");
        settings.bind(|| insta::assert_snapshot!(name, screen));
    }
}

#[test]
fn home_empty() {
    Console::new().snapshot("home_empty");
}

#[test]
fn home_with_a_draft_and_a_submitted_inspection() {
    let mut c = Console::new();
    c.submitted();
    c.start("xyz", "下原镇敬老院");
    c.code(KeyCode::Char('1'));
    c.code(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Home(_)));
    c.snapshot("home_draft_and_submitted");
}

#[test]
fn new_inspection_steps() {
    let mut c = Console::new();
    c.code(KeyCode::Char('n'));
    c.snapshot("new_1_domain");
    c.code(KeyCode::Enter);
    c.chars("jly");
    c.snapshot("new_2_site_filtered");
    c.code(KeyCode::Down);
    c.code(KeyCode::Enter);
    c.snapshot("new_3_checklist");
    c.code(KeyCode::Enter);
    c.snapshot("new_4_inspectors");
}

#[test]
fn item_screen_on_a_check_item() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    assert_eq!(c.current_id(), "fire_responsible");
    c.snapshot("item_check");
}

#[test]
fn item_screen_on_a_choice_item() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.jump("kitchen_type");
    c.code(KeyCode::Char('2'));
    c.jump("kitchen_type");
    c.snapshot("item_choice_answered");
}

#[test]
fn item_screen_on_a_number_item_with_its_editor() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.jump("drill_source");
    c.code(KeyCode::Char('1'));
    c.jump("drill_participants");
    c.code(KeyCode::Enter);
    c.chars("abc");
    c.code(KeyCode::Enter);
    c.snapshot("item_number_editor_error");
    for _ in 0..3 {
        c.code(KeyCode::Backspace);
    }
    c.chars("35");
    c.snapshot("item_number_editor");
}

#[test]
fn item_screen_on_a_hidden_item() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.jump("stairs_smokeproof");
    c.snapshot("item_hidden");
}

#[test]
fn item_screen_on_a_repeat_section_header() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.jump("#drill_groups");
    c.snapshot("item_repeat_header");
    c.code(KeyCode::Char('+'));
    c.snapshot("item_repeat_first_group");
}

#[test]
fn failure_form() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.code(KeyCode::Char('2'));
    assert!(matches!(c.inspect().mode, Mode::Finding(_)));
    c.snapshot("failure_form");
    c.ctrl('s');
    c.snapshot("failure_form_without_problem");
    c.chars("消防安全责任人未书面明确");
    c.ctrl('s');
    assert_eq!(c.current_id(), "fire_plan");
    c.code(KeyCode::Char('k'));
    c.snapshot("item_failed_with_problem");
}

#[test]
fn overview_pane() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.code(KeyCode::Char('1'));
    c.code(KeyCode::Char('2'));
    c.code(KeyCode::Esc);
    c.code(KeyCode::Char('3'));
    c.code(KeyCode::Char('o'));
    c.snapshot("overview");
}

#[test]
fn submit_form_with_missing_items() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.code(KeyCode::Char('1'));
    c.code(KeyCode::Char('2'));
    c.chars("预案未结合本院实际");
    c.snapshot("failure_form_long_prompt_typed");
    c.ctrl('s');
    c.code(KeyCode::Char('s'));
    c.ctrl('s');
    c.snapshot("submit_missing");
}

#[test]
fn help_overlay() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.code(KeyCode::Char('?'));
    assert!(c.app.help);
    c.snapshot("help_item_screen");
}

#[test]
fn amendment_reason_and_history() {
    let mut c = Console::new();
    c.submitted();
    c.code(KeyCode::Enter);
    assert!(c.inspect().read_only());
    c.jump("fire_training");
    c.code(KeyCode::Char('3'));
    c.chars("培训记录当场无法核实，改为不适用");
    c.snapshot("amend_reason");
    c.code(KeyCode::Enter);
    assert!(matches!(c.inspect().mode, Mode::Browse));
    c.code(KeyCode::Char('k'));
    assert_eq!(c.current_id(), "fire_training");
    c.code(KeyCode::Char('h'));
    assert!(matches!(c.inspect().mode, Mode::History(_)));
    c.snapshot("history_after_amendment");
}

#[test]
fn duty_log_list_and_a_new_shift() {
    let mut c = Console::new();
    c.code(KeyCode::Char('l'));
    c.snapshot("duty_log_empty");
    c.code(KeyCode::Char('n'));
    c.code(KeyCode::Enter); // the rescue station
    c.code(KeyCode::Enter); // its duty log
    c.snapshot("duty_log_new_shift_officers");
    c.code(KeyCode::Enter);
    // The shift start is the first item; its editor starts at the console's clock.
    c.code(KeyCode::Enter);
    c.code(KeyCode::Enter);
    c.code(KeyCode::Esc);
    c.code(KeyCode::Char('l'));
    let Screen::DutyLog(log) = &c.app.screen else { panic!("not on the duty log") };
    assert_eq!(log.entries.len(), 1);
    assert_eq!(log.entries[0].shift_start, "2026-11-29 09:30");
    c.snapshot("duty_log_one_shift");
}

#[test]
fn the_console_in_english() {
    let mut c = Console::in_language(Lang::En);
    c.snapshot("en_home");
    c.start("xyz", "下原镇敬老院");
    c.snapshot("en_item");
}

#[test]
fn no_color_draws_without_colours() {
    let mut c = Console::new();
    c.start("xyz", "下原镇敬老院");
    c.code(KeyCode::Char('1'));
    let colours = |no_color: bool| {
        view::styled::set_no_color(no_color);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| view::render(&c.app, frame)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        view::styled::set_no_color(false);
        buffer
            .content()
            .iter()
            .filter(|cell| cell.fg != ratatui::style::Color::Reset || cell.bg != ratatui::style::Color::Reset)
            .count()
    };
    assert!(colours(false) > 0, "colours are used normally");
    assert_eq!(colours(true), 0, "NO_COLOR: no foreground or background colour anywhere");
}

#[test]
fn a_planned_inspection_starts_from_home_prefilled_and_is_linked() {
    use ducha::store::plans::{self, NewPlan};
    use ducha::tui::screens::new_inspection::Pick;
    let mut c = Console::new();
    let site = ducha::store::sites::by_code(c.executor.store.conn(), "YL012").unwrap().unwrap();
    let items = vec![(site.id.clone(), ["赵敏".to_string(), "钱进".to_string()])];
    let pool = ["赵敏".to_string(), "钱进".to_string()];
    let plan = NewPlan { domain: "elderly_care", seed: 42, inspectors: &pool, items: &items };
    c.executor.store.write(|tx| plans::create(tx, "王芳", &plan)).unwrap();
    c.act(Action::Cmd(keymap::Cmd::Back)); // any action; then reload home as the console does on return
    let home = c.executor.run(Effect::LoadHome);
    c.act(home);
    c.snapshot("home_planned");
    c.code(KeyCode::Enter); // the planned row comes right after the (empty) drafts
    let Screen::New(new) = &c.app.screen else { panic!("the new-inspection flow opens") };
    assert_eq!(new.step, Pick::Checklist);
    assert_eq!(new.inspectors.value(), "赵敏、钱进");
    c.code(KeyCode::Enter);
    c.code(KeyCode::Enter);
    let Screen::Inspect(i) = &c.app.screen else { panic!("started") };
    assert_eq!(i.opened.head.inspectors, ["赵敏", "钱进"]);
    let linked: Option<String> =
        c.executor.store.conn().query_row("SELECT inspection_id FROM plan_items", [], |r| r.get(0)).unwrap();
    assert_eq!(linked.as_deref(), Some(i.opened.head.id.as_str()));
    assert!(plans::open_items(c.executor.store.conn(), 10).unwrap().is_empty());
}
