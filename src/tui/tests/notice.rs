//! The rectification notice from a rectification's detail: `p` opens the export form as the notice form
//! (file and masking only), Enter asks for the notice of the detail's inspection, and the result is shown.

use std::path::PathBuf;

use super::*;
use crate::export::Masking;
use crate::store::rectifications::Rectification;
use crate::tui::action::Detail;
use crate::tui::screens::board::export::{MASKING, PATH, What};

const DIR: &str = "/home/wang/文档";
const DEFAULT: &str = "/home/wang/文档/整改通知书-下原镇敬老院-2026-11-28.html";

pub(super) fn detail(site_name: &str) -> Detail {
    Detail {
        rect: Rectification {
            id: "rect-1".into(),
            inspection_id: "01KB7INSPECTION000000000000".into(),
            site_id: "site-YL012".into(),
            item_id: "exit".into(),
            instance: 0,
            problem: "二楼疏散通道堆放杂物".into(),
            basis: "GB 38600-2019 第 5.3 条".into(),
            severity: "critical".into(),
            major_hazard: true,
            requirement: "立即清理".into(),
            deadline: "2026-12-01".into(),
            responsible: "李院长".into(),
            phone: "13900000000".into(),
            status: "open".into(),
            created_by: "王芳".into(),
            created_at: "2026-11-28T10:00:00+08:00".into(),
            updated_at: "2026-11-28T10:00:00+08:00".into(),
            closed_at: None,
        },
        site_name: site_name.into(),
        site_code: "YL012".into(),
        town: "下原镇".into(),
        inspected_at: "2026-11-28T09:00:00+08:00".into(),
        prompt: "安全出口是否畅通？".into(),
        evidence: vec![],
        fix_evidence: vec![],
        events: vec![],
        conflict: None,
        role: Some(crate::roles::Role::Inspector),
    }
}

/// An app on the detail of a rectification at `site_name`, exports going to `DIR`.
fn on_detail(site_name: &str) -> App {
    let mut app = app();
    app.export_dir = PathBuf::from(DIR);
    press_char(&mut app, 'b');
    update(
        &mut app,
        Action::BoardPage { rows: vec![], append: false, more: false, conflicts: Some(0), total: None },
    );
    assert_eq!(update(&mut app, Action::BoardDetail(Box::new(detail(site_name)))), vec![]);
    assert_eq!(app.contexts(), vec![keymap::Ctx::Detail, keymap::Ctx::Global]);
    app
}

fn notice_effect(effects: &[Effect]) -> (&str, &str, Masking) {
    match effects {
        [Effect::ExportNotice { inspection_id, path, masking }] => {
            (inspection_id.as_str(), path.as_str(), *masking)
        }
        other => panic!("not one notice: {other:?}"),
    }
}

#[test]
fn p_on_the_detail_opens_the_notice_form_with_the_site_and_date_in_the_file_name() {
    let mut app = on_detail("下原镇敬老院");
    let hints = keymap::footer(&app.contexts(), Lang::Zh);
    assert!(hints.contains(&("p", "通知书", false)), "{hints:?}");
    assert_eq!(press_char(&mut app, 'p'), vec![], "opening the form reads nothing");
    let f = form(&app);
    assert!(matches!(&f.what, What::Notice(of) if of.inspection_id == "01KB7INSPECTION000000000000"));
    assert_eq!((f.masking, f.focus, f.fields()), (Masking::Masked, PATH, &[PATH, MASKING][..]));
    assert_eq!(path(&app), DEFAULT);
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::Notice, keymap::Ctx::Form, keymap::Ctx::Save, keymap::Ctx::Editing]
    );
    let hints = keymap::footer(&app.contexts(), Lang::Zh);
    for hint in [("Enter", "出具", false), ("Tab", "下一栏", false), ("Esc", "取消", false)] {
        assert!(hints.contains(&hint), "{hint:?} in {hints:?}");
    }
    let help: Vec<&str> = keymap::active(&app.contexts()).iter().map(|b| b.zh).collect();
    assert!(!help.iter().any(|h| ["切换等级", "切换格式", "确定", "导出"].contains(h)), "{help:?}");
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(board(&app).export.is_none(), "Esc closes the form");
    assert!(board(&app).detail.is_some(), "and the detail stays");
}

#[test]
fn enter_asks_for_the_notice_of_the_details_inspection() {
    let mut app = on_detail("下原镇敬老院");
    press_char(&mut app, 'p');
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(notice_effect(&effects), ("01KB7INSPECTION000000000000", DEFAULT, Masking::Masked));
    assert!(board(&app).export.is_some(), "the form stays until the notice is written");
    // Tab reaches the masking and comes back round to the file; Ctrl-T toggles the masking from anywhere.
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(form(&app).focus, MASKING);
    assert!(app.contexts().starts_with(&[keymap::Ctx::ExportOption, keymap::Ctx::Notice]));
    press(&mut app, key(KeyCode::Right));
    assert_eq!(form(&app).masking, Masking::Unmasked);
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(form(&app).focus, PATH);
    press(&mut app, ctrl('t'));
    press(&mut app, ctrl('t'));
    assert_eq!((form(&app).masking, path(&app).as_str()), (Masking::Unmasked, DEFAULT), "the file stays");
    let effects = press(&mut app, ctrl('s'));
    assert_eq!(notice_effect(&effects).2, Masking::Unmasked);
}

#[test]
fn a_typed_file_gets_html_unless_it_has_it_and_a_directory_gets_the_default_name() {
    let mut app = on_detail("下原镇敬老院");
    press_char(&mut app, 'p');
    for _ in 0..path(&app).chars().count() {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "~/通知/q");
    assert!(!app.quit, "q is typed into the file");
    assert_eq!(notice_effect(&press(&mut app, key(KeyCode::Enter))).1, "~/通知/q.html");
    type_text(&mut app, ".HTM");
    assert_eq!(notice_effect(&press(&mut app, key(KeyCode::Enter))).1, "~/通知/q.HTM");
    for _ in 0..5 {
        press(&mut app, key(KeyCode::Backspace));
    }
    assert_eq!(path(&app), "~/通知/");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(notice_effect(&effects).1, "~/通知/整改通知书-下原镇敬老院-2026-11-28.html");
}

#[test]
fn path_hostile_characters_in_the_site_name_are_replaced() {
    let mut app = on_detail("  福利/彩票:第3206*号?站  ");
    press_char(&mut app, 'p');
    assert_eq!(path(&app), "/home/wang/文档/整改通知书-福利_彩票_第3206_号_站-2026-11-28.html");
    let mut app = on_detail("../..");
    app.lang = Lang::En;
    press_char(&mut app, 'p');
    assert_eq!(path(&app), "/home/wang/文档/rectification-notice-2026-11-28.html");
}

#[test]
fn a_refusal_keeps_the_form_and_a_written_notice_says_its_number_and_file() {
    let mut app = on_detail("下原镇敬老院");
    press_char(&mut app, 'p');
    type_text(&mut app, "x");
    press(&mut app, key(KeyCode::Enter));
    let refusal = "检查 01KB7INSPECTION000000000000 尚未提交（草稿）：提交后才能出具整改通知书";
    assert_eq!(update(&mut app, Action::Failed(refusal.into())), vec![]);
    assert_eq!(error_text(&app), Some(refusal));
    assert_eq!(path(&app), format!("{DEFAULT}x"), "what was typed stays");
    let done = Action::NoticeExported {
        number: "督整〔2026〕第003号".into(),
        items: 4,
        path: "/home/u/通知.html".into(),
    };
    assert_eq!(update(&mut app, done), vec![]);
    assert!(board(&app).export.is_none());
    assert!(board(&app).detail.is_some(), "back on the detail");
    let message = app.message.clone().expect("a message");
    assert!(!message.error);
    assert_eq!(message.text, "已出具整改通知书 督整〔2026〕第003号（4 项）→ /home/u/通知.html");
}

#[test]
fn the_list_export_still_has_its_four_fields() {
    let mut app = on_detail("下原镇敬老院");
    press(&mut app, key(KeyCode::Esc));
    press_char(&mut app, 'x');
    assert_eq!(form(&app).what, What::List);
    assert_eq!(form(&app).fields().len(), 4);
    assert!(app.contexts().contains(&keymap::Ctx::Export));
}
