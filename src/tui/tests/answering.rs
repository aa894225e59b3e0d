//! Answering on the item screen: keys, moving on, editors, hidden items.

use super::*;

#[test]
fn opening_a_fresh_draft_stands_on_the_first_item() {
    let app = inspecting();
    assert_eq!(current_id(&app), "exit");
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::ItemCheck, keymap::Ctx::ItemEdit, keymap::Ctx::Item, keymap::Ctx::Global]
    );
}

#[test]
fn a_saved_answer_moves_to_the_next_shown_item() {
    // (item answered, key, where the cursor lands): gas_alarm is shown only for a gas kitchen.
    let cases = [
        ("exit", '1', "kitchen"),
        ("kitchen", '1', "gas_alarm"),
        ("kitchen", '2', "evac"),
        ("gas_alarm", '3', "evac"),
        // Answering group_ok hides group_note: the round is done, back to its section's header (Enter
        // there adds the next round) rather than out of the section.
        ("group_ok", '1', "#header"),
    ];
    for (item, c, expected) in cases {
        let mut app = inspecting();
        if item == "gas_alarm" {
            go_to(&mut app, "kitchen");
            let effects = press_char(&mut app, '1');
            save(&mut app, &effects);
        }
        go_to(&mut app, item);
        let effects = press_char(&mut app, c);
        save(&mut app, &effects);
        assert!(matches!(inspect(&app).mode, Mode::Browse), "{item} {c}");
        assert_eq!(current_id(&app), expected, "{item} answered with {c}");
    }
}

#[test]
fn moving_down_and_up_skips_hidden_items() {
    let mut app = inspecting();
    go_to(&mut app, "kitchen");
    press_char(&mut app, 'j');
    assert_eq!(current_id(&app), "evac", "gas_alarm is hidden while the kitchen is unanswered");
    press_char(&mut app, 'k');
    assert_eq!(current_id(&app), "kitchen");
}

#[test]
fn a_digit_on_a_choice_item_picks_that_option() {
    // (digit, option key chosen, whether a finding is sent, whether the failure form opens after the save)
    let cases = [
        ('1', Some("gas"), false),
        ('2', Some("none"), false),
        ('3', Some("unlicensed"), true),
        ('4', None, false),
        ('9', None, false),
    ];
    for (c, chosen, fails) in cases {
        let mut app = inspecting();
        go_to(&mut app, "kitchen");
        assert_eq!(
            app.contexts(),
            vec![keymap::Ctx::ItemChoice, keymap::Ctx::ItemEdit, keymap::Ctx::Item, keymap::Ctx::Global]
        );
        let effects = press_char(&mut app, c);
        let Some(chosen) = chosen else {
            assert_eq!(effects, vec![], "digit {c}: no such option");
            continue;
        };
        let (value, finding) = answer_value(&effects[0]);
        assert_eq!(value, &Value::Choice(chosen.into()), "digit {c}");
        assert_eq!(finding.is_some(), fails, "digit {c}");
        if let Some(f) = finding {
            assert_eq!(f.severity, Severity::Major, "digit {c}");
            assert_eq!(f.deadline, now().date() + Duration::days(10), "digit {c}");
        }
        save(&mut app, &effects);
        assert_eq!(
            matches!(inspect(&app).mode, Mode::Finding(_)),
            fails,
            "digit {c}: the form opens only for a failing option"
        );
    }
}

#[test]
fn number_input_is_checked_before_it_is_saved() {
    // (typed, error shown, outcome: Some(finding expected))
    let cases: [(&str, Option<&str>, Option<bool>); 5] = [
        ("abc", Some("“abc”不是数字"), None),
        ("5000", Some("超出允许范围 0–3600"), None),
        ("-1", Some("超出允许范围 0–3600"), None),
        ("200", None, Some(true)),
        ("90", None, Some(false)),
    ];
    for (typed, error, finding) in cases {
        let mut app = inspecting();
        go_to(&mut app, "evac");
        assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "{typed}: Enter opens the editor");
        assert!(app.editing(), "{typed}");
        type_text(&mut app, typed);
        let effects = press(&mut app, key(KeyCode::Enter));
        let Mode::Edit { editor, error: shown } = &inspect(&app).mode else {
            panic!("{typed}: still editing until saved");
        };
        assert_eq!(shown.as_deref(), error, "{typed}");
        let Editor::Line(field) = editor else {
            panic!("{typed}: a line editor");
        };
        assert_eq!(field.value(), typed, "{typed}: the input stays");
        match finding {
            None => assert_eq!(effects, vec![], "{typed}: refused"),
            Some(with_finding) => {
                let (value, f) = answer_value(&effects[0]);
                assert_eq!(value, &Value::Number(typed.parse().unwrap()), "{typed}");
                assert_eq!(f.is_some(), with_finding, "{typed}");
                if let Some(f) = f {
                    assert_eq!(f.requirement, "重新组织演练", "{typed}");
                    assert_eq!(f.deadline, now().date() + Duration::days(30), "{typed}");
                }
                save(&mut app, &effects);
                let mode = &inspect(&app).mode;
                if with_finding {
                    assert!(matches!(mode, Mode::Finding(_)), "{typed}: over pass_max fails");
                } else {
                    assert!(matches!(mode, Mode::Browse), "{typed}");
                    assert_eq!(current_id(&app), "remark", "{typed}");
                }
            }
        }
    }
}

#[test]
fn q_is_typed_into_a_focused_field_and_quits_elsewhere() {
    let mut app = inspecting();
    go_to(&mut app, "remark");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.contexts(), vec![keymap::Ctx::Save, keymap::Ctx::Editing]);
    assert_eq!(keymap::resolve(&app.contexts(), &key(KeyCode::Char('q'))), None);
    press_char(&mut app, 'q');
    assert!(!app.quit, "q typed");
    let Mode::Edit { editor: Editor::Line(field), .. } = &inspect(&app).mode else {
        panic!("still editing");
    };
    assert_eq!(field.value(), "q");
    // ? is text too while editing, not help.
    press_char(&mut app, '?');
    assert!(!app.help);
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(inspect(&app).mode, Mode::Browse), "Esc cancels the editor");
    press_char(&mut app, 'q');
    assert!(app.quit, "q on the item screen quits");
}

#[test]
fn the_overview_jumps_to_the_chosen_entry() {
    let mut app = inspecting();
    press_char(&mut app, 'o');
    assert_eq!(inspect(&app).pane, Pane::Overview);
    for _ in 0..2 {
        press_char(&mut app, 'j');
    }
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(inspect(&app).pane, Pane::Item);
    assert_eq!(current_id(&app), "gas_alarm", "the overview reaches hidden items too");
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::Item, keymap::Ctx::Global],
        "no answer keys on a hidden item"
    );
    assert_eq!(press_char(&mut app, '1'), vec![], "a hidden item cannot be answered");
}

#[test]
fn repetitions_stop_at_the_section_maximum() {
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2, 3]));
    go_to(&mut app, "#header");
    assert_eq!(press_char(&mut app, '+'), vec![]);
    assert_eq!(error_text(&app), Some("已达上限：3"));
}

#[test]
fn removing_a_repetition_asks_for_a_second_press() {
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2]));
    go_to(&mut app, "group_ok");
    assert_eq!(press_char(&mut app, '-'), vec![]);
    assert!(error_text(&app).is_some_and(|t| t.contains("再按一次")));
    assert_eq!(
        press_char(&mut app, '-'),
        vec![Effect::RemoveInstance {
            inspection_id: "insp-1".into(),
            section_id: "groups".into(),
            instance: 1,
        }]
    );
    // Any other key in between cancels the confirmation.
    press_char(&mut app, '-');
    press_char(&mut app, 'k');
    press_char(&mut app, 'j');
    assert_eq!(press_char(&mut app, '-'), vec![]);
}

#[test]
fn names_are_split_on_chinese_and_ascii_separators() {
    let cases = [
        ("王芳、李强", 2),
        ("王芳，李强", 2),
        ("王芳, 李强", 2),
        ("王芳、李强；张伟", 3),
        ("Li Qiang，王芳", 2),
        ("王芳、王芳", 1),
        (" 、 ", 0),
    ];
    for (text, n) in cases {
        assert_eq!(crate::tui::screens::new_inspection::split_names(text).len(), n, "{text:?}");
    }
}
