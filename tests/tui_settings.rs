#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The settings screen (局设置) drawn on ratatui's `TestBackend`: a real temporary database prepared as
//! the binary prepares it, driven by keys through `dispatch` as the event loop does. Writes are stamped
//! with a fixed clock so who changed a setting and when shows the same every run.

mod common;

use chrono::TimeZone;
use ratatui::crossterm::event::KeyCode;

use common::console::{Console, now, settings};
use ducha::bureau::Key;
use ducha::i18n::Lang;
use ducha::roles::Role;
use ducha::tui::app::Screen;
use ducha::tui::prepare;

impl Console {
    /// A new database whose first user (its admin) is 王芳, with an inspector holding a certificate, opened
    /// as `user`, on the settings screen.
    fn new(lang: Lang, user: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let stamp = chrono::FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&now()).unwrap();
        ducha::store::set_clock(Some(stamp));
        let db = dir.path().join("ducha.db");
        {
            let (_, mut executor) = prepare(&settings(&db, "王芳", lang)).unwrap();
            let store = &mut executor.store;
            ducha::roles::set_role(store, "王芳", "李强", Role::Inspector, "add").unwrap();
            ducha::roles::set_role(store, "王芳", "赵科长", Role::Supervisor, "add").unwrap();
            ducha::roles::set_cert(store, "王芳", "李强", "JS-3206-0012", "cert").unwrap();
            ducha::bureau::set(store, "王芳", Key::Name, Some("如皋市民政局"), lang).unwrap();
        }
        let mut console = Console::open(&db, user, lang).holding(dir);
        console.code(KeyCode::Char('s'));
        assert!(matches!(console.app.screen, Screen::Settings(_)), "s on home opens the settings");
        console
    }

    fn clear_field(&mut self) {
        self.ctrl('u');
    }

    fn stored(&self, key: Key) -> String {
        ducha::bureau::value(self.executor.store.conn(), key).unwrap()
    }
}

// The store clock is this thread's: reset when the console goes, for the next test on this thread.
impl Drop for Console {
    fn drop(&mut self) {
        ducha::store::set_clock(None);
    }
}

#[test]
fn the_admin_sees_every_setting_with_who_changed_it_and_the_users_certificates() {
    let c = Console::new(Lang::Zh, "王芳");
    let screen = c.screen_at(80, 24);
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
    let screen = c.screen_at(80, 24);
    assert!(screen.contains("否则编号可能重复"), "{screen}");
    insta::assert_snapshot!("settings_refused_80x24", screen);
    assert_eq!(c.stored(Key::NoticeFormat), Key::NoticeFormat.default_value(), "nothing was saved");
    // Fixed and saved, through bureau::set (audited as the console's user).
    c.clear_field();
    c.chars("如民督〔{year}〕{device}{seq:04}号");
    c.code(KeyCode::Enter);
    assert_eq!(c.stored(Key::NoticeFormat), "如民督〔{year}〕{device}{seq:04}号");
    let screen = c.screen_at(80, 24);
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
    assert!(c.screen_at(80, 24).contains("已取消，未保存"));
    assert_eq!(c.stored(Key::Name), "如皋市民政局");
    c.code(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Home(_)), "Esc on the list goes home");
}

#[test]
fn the_settings_in_english() {
    let mut c = Console::new(Lang::En, "王芳");
    c.code(KeyCode::Down);
    c.code(KeyCode::Enter);
    insta::assert_snapshot!("settings_editing_en_80x24", c.screen_at(80, 24));
}

#[test]
fn an_inspector_sees_the_values_read_only_and_enter_is_refused() {
    let mut c = Console::new(Lang::Zh, "李强");
    let screen = c.screen_at(80, 24);
    assert!(screen.contains("只读：只有管理员可以修改局设置（你是检查员）"), "{screen}");
    assert!(!screen.contains("Enter 修改"), "the footer offers no editing: {screen}");
    c.code(KeyCode::Enter);
    assert!(!c.app.editing(), "no field opened");
    let small = c.screen_at(40, 12);
    assert!(small.contains("修改局设置需要管理员角色"), "{small}");
    insta::assert_snapshot!("settings_inspector_40x12", small);
}

#[test]
fn editing_in_a_small_terminal_keeps_the_field_and_its_refusal_in_view() {
    let mut c = Console::new(Lang::Zh, "王芳");
    c.code(KeyCode::Enter);
    c.clear_field();
    c.code(KeyCode::Enter);
    let small = c.screen_at(40, 12);
    assert!(small.contains("局名：") && small.contains("不能为空"), "{small}");
    insta::assert_snapshot!("settings_refused_40x12", small);
}
