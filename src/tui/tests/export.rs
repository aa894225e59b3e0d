//! The board's export form: opening it, its toggles and path, and the effect Enter asks for.

use std::path::PathBuf;

use super::*;
use crate::export::{Format, Kind, Masking};
use crate::tui::screens::board::export::{FORMAT, KIND, MASKING, PATH};

const DIR: &str = "/home/wang/文档";

/// An app on the board (its first page asked for), exports going to `DIR`.
fn on_board() -> App {
    let mut app = app();
    app.export_dir = PathBuf::from(DIR);
    let effects = press_char(&mut app, 'b');
    assert!(matches!(effects.as_slice(), [Effect::LoadBoard { .. }]));
    update(
        &mut app,
        Action::BoardPage { rows: vec![], append: false, more: false, conflicts: Some(0), total: None },
    );
    app
}

/// Moves the focus to `field` with Tab.
fn focus(app: &mut App, field: usize) {
    for _ in 0..4 {
        if form(app).focus == field {
            return;
        }
        assert_eq!(press(app, key(KeyCode::Tab)), vec![]);
    }
    panic!("field {field} never got the focus");
}

fn export_effect(effects: &[Effect]) -> (Kind, &crate::store::board::Filter, &str, Masking) {
    match effects {
        [Effect::Export { kind, filter, path, masking, today }] => {
            assert_eq!(*today, now().date());
            (*kind, filter, path.as_str(), *masking)
        }
        other => panic!("not one export: {other:?}"),
    }
}

#[test]
fn x_on_the_board_opens_the_form_with_a_dated_default_file() {
    let mut app = on_board();
    assert_eq!(press_char(&mut app, 'x'), vec![], "opening the form reads nothing");
    let f = form(&app);
    assert_eq!(
        (f.kind, f.format, f.masking, f.focus),
        (Kind::Rectifications, Format::Xlsx, Masking::Masked, KIND)
    );
    assert_eq!(path(&app), "/home/wang/文档/整改清单-2026-11-29.xlsx");
    assert_eq!(
        app.contexts(),
        vec![
            keymap::Ctx::ExportOption,
            keymap::Ctx::Export,
            keymap::Ctx::Form,
            keymap::Ctx::Save,
            keymap::Ctx::Editing
        ]
    );
    let hints = keymap::footer(&app.contexts(), Lang::Zh);
    for hint in [
        ("Left/Right", "切换", false),
        ("Enter", "导出", false),
        ("Tab", "下一栏", false),
        ("Esc", "取消", false),
    ] {
        assert!(hints.contains(&hint), "{hint:?} in {hints:?}");
    }
    assert!(!hints.iter().any(|h| h.1 == "切换等级" || h.1 == "确定"), "{hints:?}");
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(board(&app).export.is_none(), "Esc closes the form");
    assert!(matches!(app.screen, Screen::Board(_)), "and stays on the board");
}

#[test]
fn the_default_file_follows_the_kind_and_format_toggles() {
    let mut app = on_board();
    press_char(&mut app, 'x');
    press(&mut app, key(KeyCode::Right));
    assert_eq!(form(&app).kind, Kind::Findings);
    assert_eq!(path(&app), "/home/wang/文档/检查记录-2026-11-29.xlsx");
    focus(&mut app, FORMAT);
    press(&mut app, key(KeyCode::Left));
    assert_eq!(form(&app).format, Format::Csv);
    assert_eq!(path(&app), "/home/wang/文档/检查记录-2026-11-29.csv");
    press_char(&mut app, ' ');
    assert_eq!(path(&app), "/home/wang/文档/检查记录-2026-11-29.xlsx", "Space toggles as well");
    focus(&mut app, MASKING);
    press(&mut app, key(KeyCode::Right));
    assert_eq!(form(&app).masking, Masking::Unmasked);
    assert_eq!(path(&app), "/home/wang/文档/检查记录-2026-11-29.xlsx", "masking leaves the file alone");
    // On the path, Ctrl-T switches the format (arrows move in the text).
    focus(&mut app, PATH);
    assert!(!app.contexts().contains(&keymap::Ctx::ExportOption));
    press(&mut app, ctrl('t'));
    assert_eq!(path(&app), "/home/wang/文档/检查记录-2026-11-29.csv");
    assert!(!form(&app).edited);
}

#[test]
fn a_path_typed_by_hand_is_kept_and_its_extension_sets_the_format() {
    let mut app = on_board();
    press_char(&mut app, 'x');
    focus(&mut app, PATH);
    for _ in 0..path(&app).chars().count() {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "~/督查/本周.csv");
    assert!(form(&app).edited);
    assert_eq!(form(&app).format, Format::Csv, "the typed extension chooses CSV");
    focus(&mut app, KIND);
    press(&mut app, key(KeyCode::Right));
    assert_eq!(path(&app), "~/督查/本周.csv", "the kind no longer renames the file");
    focus(&mut app, FORMAT);
    press(&mut app, key(KeyCode::Right));
    assert_eq!(path(&app), "~/督查/本周.xlsx", "the format toggle swaps the extension");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(export_effect(&effects).2, "~/督查/本周.xlsx");
    // Without an extension, the format's is added; a directory gets the default name.
    focus(&mut app, PATH);
    for _ in 0..12 {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "out/周报");
    assert_eq!(export_effect(&press(&mut app, key(KeyCode::Enter))).2, "out/周报.xlsx");
    type_text(&mut app, "/");
    assert_eq!(export_effect(&press(&mut app, ctrl('s'))).2, "out/周报/检查记录-2026-11-29.xlsx");
}

#[test]
fn enter_exports_with_the_filters_on_screen() {
    let mut app = on_board();
    press_char(&mut app, 'o');
    press_char(&mut app, 'd');
    press_char(&mut app, 't');
    type_text(&mut app, "下原镇");
    press(&mut app, key(KeyCode::Enter));
    // The registry's answer to the typed town (the executor's `ResolvePlace`).
    let named = crate::places::Named::Known("下原镇".into());
    update(&mut app, Action::PlaceNamed { place: crate::places::Place::Town, named });
    press_char(&mut app, 'f'); // every status
    let on_screen = board(&app).filter();
    assert!(on_screen.overdue_only && on_screen.town.as_deref() == Some("下原镇"));
    assert_eq!(on_screen.domain.as_deref(), Some("elderly_care"));
    press_char(&mut app, 'x');
    focus(&mut app, MASKING);
    press(&mut app, key(KeyCode::Right));
    let effects = press(&mut app, key(KeyCode::Enter));
    let (kind, filter, path, masking) = export_effect(&effects);
    assert_eq!(kind, Kind::Rectifications);
    assert_eq!(filter, &on_screen);
    assert_eq!(path, "/home/wang/文档/整改清单-2026-11-29.xlsx");
    assert_eq!(masking, Masking::Unmasked);
    assert!(board(&app).export.is_some(), "the form stays until the export is done");
}

#[test]
fn a_failed_export_keeps_the_form_and_a_done_one_says_where() {
    let mut app = on_board();
    press_char(&mut app, 'x');
    focus(&mut app, PATH);
    type_text(&mut app, "x");
    press(&mut app, key(KeyCode::Enter));
    let refusal = "不打码导出需要科室负责人角色；李强 是检查员";
    assert_eq!(update(&mut app, Action::Failed(refusal.into())), vec![]);
    assert_eq!(error_text(&app), Some(refusal));
    assert_eq!(path(&app), "/home/wang/文档/整改清单-2026-11-29.xlsxx", "what was typed stays");
    let done = Action::Exported { rows: 123, path: "/home/wang/文档/a.xlsx".into(), overwritten: false };
    assert_eq!(update(&mut app, done), vec![]);
    assert!(board(&app).export.is_none());
    assert_eq!(app.message.as_ref().map(|m| m.text.as_str()), Some("已导出 123 行到 /home/wang/文档/a.xlsx"));
    press_char(&mut app, 'x');
    let again = Action::Exported { rows: 0, path: "/tmp/b.csv".into(), overwritten: true };
    update(&mut app, again);
    let message = app.message.clone().unwrap();
    assert!(!message.error);
    assert_eq!(message.text, "已导出 0 行到 /tmp/b.csv（已覆盖原文件）");
}

#[test]
fn an_empty_path_is_asked_for_instead_of_exported() {
    let mut app = on_board();
    press_char(&mut app, 'x');
    focus(&mut app, PATH);
    for _ in 0..60 {
        press(&mut app, key(KeyCode::Backspace));
    }
    focus(&mut app, KIND);
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert_eq!(error_text(&app), Some("请填写导出文件的路径"));
    assert_eq!(form(&app).focus, PATH);
}

#[test]
fn typing_in_the_form_never_quits_or_leaves_the_board() {
    let mut app = on_board();
    press_char(&mut app, 'x');
    for c in ['q', 'b', 'j', '?'] {
        assert_eq!(press_char(&mut app, c), vec![], "{c} on a choice");
    }
    assert!(!app.quit && !app.help);
    assert_eq!(path(&app), "/home/wang/文档/整改清单-2026-11-29.xlsx", "choices take no text");
    assert_eq!(form(&app).kind, Kind::Rectifications);
}

#[test]
fn in_english_the_file_and_message_are_english() {
    let mut app = on_board();
    app.lang = Lang::En;
    press_char(&mut app, 'x');
    assert_eq!(path(&app), "/home/wang/文档/rectification-list-2026-11-29.xlsx");
    press(&mut app, key(KeyCode::Right));
    assert_eq!(path(&app), "/home/wang/文档/findings-2026-11-29.xlsx");
    let hints = keymap::footer(&app.contexts(), Lang::En);
    assert!(hints.contains(&("Enter", "export", false)), "{hints:?}");
    update(&mut app, Action::Exported { rows: 2, path: "/tmp/f.xlsx".into(), overwritten: true });
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("exported 2 rows to /tmp/f.xlsx (the earlier file was overwritten)")
    );
}
