//! Choices of 10 or more options: one or two digits choose, a lone ambiguous digit is taken on Enter or
//! after a pause (the time comes as `Action::Clock`); short lists still answer on one key.

use super::*;
use crate::tui::keymap::footer;

const FIXTURE: &str = include_str!("../../../tests/fixtures/checklists/long_choice/long_choice.toml");

fn long_choice_app() -> App {
    let mut opened = opened(Status::Draft, &[]);
    opened.sheet = Sheet::new(parse_checklist(FIXTURE).unwrap(), SiteFacts::from(&opened.site));
    let mut app = inspecting_with(opened);
    go_to(&mut app, "month");
    app
}

fn chosen(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .map(|e| match answer_value(e).0 {
            Value::Choice(k) => k.clone(),
            Value::Multi(ks) => ks.join(","),
            other => panic!("not a choice: {other:?}"),
        })
        .collect()
}

#[test]
fn one_then_zero_chooses_option_ten() {
    let mut app = long_choice_app();
    assert_eq!(press_char(&mut app, '1'), vec![], "1 may start 10, 11 or 12: it waits");
    assert_eq!(chosen(&press_char(&mut app, '0')), ["m10"]);
    let mut app = long_choice_app();
    press_char(&mut app, '1');
    let effects = press_char(&mut app, '2');
    assert_eq!(chosen(&effects), ["m12"]);
    assert!(answer_value(&effects[0]).1.is_some(), "option 12 fails the item: a finding comes with it");
}

#[test]
fn a_lone_one_is_taken_on_enter_or_after_a_pause() {
    let mut app = long_choice_app();
    press_char(&mut app, '1');
    assert_eq!(chosen(&press(&mut app, key(KeyCode::Enter))), ["m01"]);

    let mut app = long_choice_app();
    press_char(&mut app, '1');
    assert_eq!(update(&mut app, Action::Clock(now() + Duration::milliseconds(500))), vec![], "not yet");
    let effects = update(&mut app, Action::Clock(now() + Duration::milliseconds(1000)));
    assert_eq!(chosen(&effects), ["m01"]);
    assert_eq!(update(&mut app, Action::Clock(now() + Duration::seconds(5))), vec![], "taken once");
}

#[test]
fn digits_that_cannot_start_a_longer_number_answer_at_once() {
    let mut app = long_choice_app();
    assert_eq!(chosen(&press_char(&mut app, '2')), ["m02"], "there is no option 20 to wait for");
    let mut app = long_choice_app();
    press_char(&mut app, '1');
    assert_eq!(press_char(&mut app, '5'), vec![]);
    assert_eq!(error_text(&app), Some("没有第 15 项（共 12 项）"));
    assert_eq!(press_char(&mut app, '0'), vec![], "0 is no option");
}

#[test]
fn esc_or_moving_drops_a_number_being_typed() {
    let mut app = long_choice_app();
    press_char(&mut app, '1');
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(matches!(app.screen, Screen::Inspect(_)), "Esc dropped the number only");
    assert_eq!(update(&mut app, Action::Clock(now() + Duration::seconds(2))), vec![]);
    press_char(&mut app, '1');
    press_char(&mut app, 'j');
    assert_eq!(current_id(&app), "rooms");
    assert_eq!(update(&mut app, Action::Clock(now() + Duration::seconds(2))), vec![], "dropped");
}

#[test]
fn the_multiple_choice_editor_toggles_option_eleven_with_two_digits() {
    let mut app = long_choice_app();
    go_to(&mut app, "rooms");
    press(&mut app, key(KeyCode::Enter));
    press_char(&mut app, '1');
    press_char(&mut app, '1');
    press_char(&mut app, '3');
    press_char(&mut app, '1');
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "Enter takes the lone 1 and does not save");
    assert_eq!(chosen(&press(&mut app, key(KeyCode::Enter))), ["r1,r3,r11"]);
}

#[test]
fn short_lists_still_answer_on_one_key_and_the_footer_says_how() {
    let mut app = long_choice_app();
    let hints = footer(&app.contexts(), Lang::Zh);
    assert!(hints.contains(&("1-99", "序号（1 0 为第10项）", false)), "{hints:?}");
    let hints = footer(&app.contexts(), Lang::En);
    assert!(hints.contains(&("1-99", "number (1 0 is 10)", false)), "{hints:?}");
    go_to(&mut app, "short");
    assert!(footer(&app.contexts(), Lang::Zh).contains(&("1-9", "选择", false)));
    assert_eq!(chosen(&press_char(&mut app, '2')), ["b"]);
}
