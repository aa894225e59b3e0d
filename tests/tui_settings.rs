#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The settings screen (局设置) drawn on ratatui's `TestBackend`: a real temporary database prepared as
//! the binary prepares it, driven by keys through `dispatch` as the event loop does. Writes are stamped
//! with a fixed clock so who changed a setting and when shows the same every run.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ducha::bureau::Key;
use ducha::config::Settings;
use ducha::i18n::Lang;
use ducha::roles::Role;
use ducha::tui::action::Action;
use ducha::tui::app::{App, Screen};
use ducha::tui::effect::{Effect, Executor};
use ducha::tui::{dispatch, prepare, view};

fn fixed_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

struct Console {
    _dir: tempfile::TempDir,
    app: App,
    executor: Executor,
}

impl Console {
    /// A new database whose first user (its admin) is 王芳, with an inspector holding a certificate, opened
    /// as `user`, on the settings screen.
    fn new(lang: Lang, user: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let stamp =
            chrono::FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&fixed_now()).unwrap();
        ducha::store::set_clock(Some(stamp));
        let db = dir.path().join("ducha.db");
        let settings = |user: &str| Settings {
            db: db.clone(),
            checklists: None,
            lang,
            user: user.into(),
            config_file: None,
        };
        {
            let (_, mut executor) = prepare(&settings("王芳")).unwrap();
            let store = &mut executor.store;
            ducha::roles::set_role(store, "王芳", "李强", Role::Inspector, "add").unwrap();
            ducha::roles::set_role(store, "王芳", "赵科长", Role::Supervisor, "add").unwrap();
            ducha::roles::set_cert(store, "王芳", "李强", "JS-3206-0012", "cert").unwrap();
            ducha::bureau::set(store, "王芳", Key::Name, Some("如皋市民政局"), lang).unwrap();
        }
        let (mut app, mut executor) = prepare(&settings(user)).unwrap();
        app.now = fixed_now();
        let first = executor.run(Effect::LoadHome);
        dispatch(&mut app, &mut executor, first);
        let mut console = Console { _dir: dir, app, executor };
        console.code(KeyCode::Char('s'));
        assert!(matches!(console.app.screen, Screen::Settings(_)), "s on home opens the settings");
        console
    }

    fn key(&mut self, ev: KeyEvent) {
        dispatch(&mut self.app, &mut self.executor, Action::Clock(fixed_now()));
        let Some(action) = self.app.action_for(ev) else { return };
        dispatch(&mut self.app, &mut self.executor, action);
    }

    fn code(&mut self, code: KeyCode) {
        self.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn chars(&mut self, text: &str) {
        for c in text.chars() {
            self.code(KeyCode::Char(c));
        }
    }

    fn clear_field(&mut self) {
        self.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    }

    fn screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| view::render(&self.app, frame)).unwrap();
        terminal.backend().to_string()
    }

    fn stored(&self, key: Key) -> String {
        ducha::bureau::value(self.executor.store.conn(), key).unwrap()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        ducha::store::set_clock(None);
    }
}

#[test]
fn the_admin_sees_every_setting_with_who_changed_it_and_the_users_certificates() {
    let c = Console::new(Lang::Zh, "王芳");
    let screen = c.screen(80, 24);
    assert!(screen.contains("如皋市民政局") && screen.contains("王芳 11-29 09:30"), "{screen}");
    assert!(screen.contains("JS-3206-0012"), "{screen}");
    insta::assert_snapshot!("settings_admin_80x24", screen);
}

#[test]
fn a_format_the_check_refuses_is_explained_under_the_field_and_nothing_is_saved() {
    let mut c = Console::new(Lang::Zh, "王芳");
    c.code(KeyCode::Down);
    c.code(KeyCode::Down);
    c.code(KeyCode::Enter);
    c.clear_field();
    c.chars("督整〔{year}〕第{seq}号");
    c.code(KeyCode::Enter);
    let screen = c.screen(80, 24);
    assert!(screen.contains("否则编号可能重复"), "{screen}");
    insta::assert_snapshot!("settings_refused_80x24", screen);
    assert_eq!(c.stored(Key::NoticeFormat), Key::NoticeFormat.default_value(), "nothing was saved");
    // Fixed and saved, through bureau::set (audited as the console's user).
    c.clear_field();
    c.chars("如民督〔{year}〕{device}{seq:04}号");
    c.code(KeyCode::Enter);
    assert_eq!(c.stored(Key::NoticeFormat), "如民督〔{year}〕{device}{seq:04}号");
    let screen = c.screen(80, 24);
    assert!(screen.contains("已保存整改通知书文号格式"), "{screen}");
    let changes: i64 = c
        .executor
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'setting.set' AND entity_id = 'notice.format' AND actor = '王芳'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changes, 1);
}

#[test]
fn esc_in_the_field_cancels_and_keeps_the_stored_value() {
    let mut c = Console::new(Lang::Zh, "王芳");
    c.code(KeyCode::Enter);
    c.chars("（改）");
    c.code(KeyCode::Esc);
    assert!(c.screen(80, 24).contains("已取消，未保存"));
    assert_eq!(c.stored(Key::Name), "如皋市民政局");
    c.code(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Home(_)), "Esc on the list goes home");
}

#[test]
fn the_settings_in_english() {
    let mut c = Console::new(Lang::En, "王芳");
    c.code(KeyCode::Down);
    c.code(KeyCode::Enter);
    insta::assert_snapshot!("settings_editing_en_80x24", c.screen(80, 24));
}

#[test]
fn an_inspector_sees_the_values_read_only_and_enter_is_refused() {
    let mut c = Console::new(Lang::Zh, "李强");
    let screen = c.screen(80, 24);
    assert!(screen.contains("只读：只有管理员可以修改局设置（你是检查员）"), "{screen}");
    assert!(!screen.contains("Enter 修改"), "the footer offers no editing: {screen}");
    c.code(KeyCode::Enter);
    assert!(!c.app.editing(), "no field opened");
    let small = c.screen(40, 12);
    assert!(small.contains("修改局设置需要管理员角色"), "{small}");
    insta::assert_snapshot!("settings_inspector_40x12", small);
}

#[test]
fn editing_in_a_small_terminal_keeps_the_field_and_its_refusal_in_view() {
    let mut c = Console::new(Lang::Zh, "王芳");
    c.code(KeyCode::Enter);
    c.clear_field();
    c.code(KeyCode::Enter);
    let small = c.screen(40, 12);
    assert!(small.contains("局名：") && small.contains("不能为空"), "{small}");
    insta::assert_snapshot!("settings_refused_40x12", small);
}
