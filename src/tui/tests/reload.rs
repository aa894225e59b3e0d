//! Two consoles on one draft, in the reducer: saves carry the stamp of the answer shown; a refused save
//! or submit comes back as the inspection reloaded, which the screen shows with a message while what the
//! user tried stays visible; idle ticks ask whether another window wrote.

use super::*;
use crate::inspection::Outcome;
use crate::inspection::record::{Stamps, stamp_of};
use crate::tui::screens::inspect::reload::Refused;

/// The inspection as another window left it: `exit` failed, with the stamp the store would hold.
fn changed_elsewhere(data_version: i64) -> Opened {
    let mut o = opened(Status::Draft, &[1]);
    let answer = Answer {
        value: Value::Check(Check::Fail),
        outcome: Outcome::Fail,
        note: String::new(),
        finding: None,
        revision: 1,
        evidence: 0,
    };
    o.stamps.insert(("exit".into(), 0), stamp_of("exit", 0, &answer));
    o.sheet.answers.insert(("exit".into(), 0), answer);
    o.data_version = data_version;
    o
}

fn seen_of(effect: &Effect) -> Option<String> {
    match effect {
        Effect::Answer { seen, .. } | Effect::Clear { seen, .. } => seen.clone(),
        other => panic!("not a save: {other:?}"),
    }
}

#[test]
fn an_idle_tick_asks_whether_another_window_wrote_since_the_inspection_was_read() {
    let mut app = inspecting();
    assert_eq!(
        update(&mut app, Action::Tick),
        vec![Effect::Watch { inspection_id: "insp-1".into(), seen: 0 }]
    );
    update(&mut app, Action::Reloaded { opened: Box::new(changed_elsewhere(7)), refused: None });
    assert_eq!(
        update(&mut app, Action::Tick),
        vec![Effect::Watch { inspection_id: "insp-1".into(), seen: 7 }]
    );
}

#[test]
fn a_save_refused_because_another_window_answered_first_reloads_and_keeps_the_attempt_visible() {
    let mut app = inspecting();
    assert_eq!(current_id(&app), "exit");
    let effects = press_char(&mut app, '1');
    assert_eq!(seen_of(&effects[0]), None, "this console showed no answer for the item");
    // The store refused: the executor answers with the inspection as stored now.
    let effects = update(
        &mut app,
        Action::Reloaded {
            opened: Box::new(changed_elsewhere(3)),
            refused: Some(Refused::Answer {
                slot: Slot { section: 0, item: 0, instance: 0 },
                attempted: Some(Value::Check(Check::Pass)),
            }),
        },
    );
    assert_eq!(effects, vec![]);
    let text = error_text(&app).unwrap_or_default().to_string();
    assert!(text.contains("该项已被另一窗口修改为「不合格」"), "{text}");
    assert!(text.contains("你的「合格」未保存"), "{text}");
    assert_eq!(current_id(&app), "exit", "the cursor stays on the item to answer it again");
    let shown = inspect(&app).opened.sheet.answer(Slot { section: 0, item: 0, instance: 0 }).cloned();
    assert_eq!(shown.map(|a| a.value), Some(Value::Check(Check::Fail)), "the other window's answer shows");
    // Answering again now carries the stamp of what is shown, so the store accepts it.
    let effects = press_char(&mut app, '1');
    let expected = inspect(&app).opened.stamps.get(&("exit".to_string(), 0)).cloned();
    assert!(expected.is_some());
    assert_eq!(seen_of(&effects[0]), expected);
}

#[test]
fn a_change_noticed_while_typing_keeps_the_typed_text_and_names_the_item() {
    let mut app = inspecting();
    go_to(&mut app, "evac");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "240");
    update(&mut app, Action::Reloaded { opened: Box::new(changed_elsewhere(2)), refused: None });
    let text = error_text(&app).unwrap_or_default().to_string();
    assert!(text.contains("另一窗口修改了 1 项（安全出口是否畅通？：不合格），已重新载入"), "{text}");
    assert_eq!(current_id(&app), "evac");
    let Mode::Edit { editor: Editor::Line(f), .. } = &inspect(&app).mode else {
        panic!("still editing: {:?}", inspect(&app).mode);
    };
    assert_eq!(f.value(), "240", "typed input survives the reload");
}

#[test]
fn a_reload_that_changes_nothing_shown_says_nothing() {
    let mut app = inspecting();
    update(&mut app, Action::Reloaded { opened: Box::new(opened(Status::Draft, &[1])), refused: None });
    assert_eq!(app.message, None);
}

#[test]
fn a_refused_submit_reloads_and_says_to_check_again() {
    let mut app = inspecting();
    update(
        &mut app,
        Action::Reloaded { opened: Box::new(changed_elsewhere(4)), refused: Some(Refused::Submit) },
    );
    let text = error_text(&app).unwrap_or_default().to_string();
    assert!(text.contains("另一窗口修改了 1 项，未提交"), "{text}");
    let seen: &Stamps = &inspect(&app).opened.stamps;
    assert_eq!(seen.len(), 1, "the next submit carries what is shown now");
}

#[test]
fn an_inspection_submitted_in_another_window_stops_the_edit_and_says_so() {
    let mut app = inspecting();
    go_to(&mut app, "evac");
    press(&mut app, key(KeyCode::Enter));
    let mut o = changed_elsewhere(5);
    o.head.status = Status::Submitted;
    update(&mut app, Action::Reloaded { opened: Box::new(o), refused: None });
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(error_text(&app).unwrap_or_default().contains("已在另一窗口提交"));
    // Browsing, it is said too; once it is known, later reloads do not repeat it.
    let mut app = inspecting();
    let mut o = changed_elsewhere(5);
    o.head.status = Status::Submitted;
    update(&mut app, Action::Reloaded { opened: Box::new(o.clone()), refused: None });
    assert!(error_text(&app).unwrap_or_default().contains("已在另一窗口提交"));
    app.message = None;
    update(&mut app, Action::Reloaded { opened: Box::new(o), refused: None });
    assert_eq!(app.message, None);
}

#[test]
fn in_english_the_refusal_says_changed_in_another_window() {
    let mut app = inspecting();
    app.lang = crate::i18n::Lang::En;
    update(
        &mut app,
        Action::Reloaded {
            opened: Box::new(changed_elsewhere(3)),
            refused: Some(Refused::Answer {
                slot: Slot { section: 0, item: 0, instance: 0 },
                attempted: None,
            }),
        },
    );
    let text = error_text(&app).unwrap_or_default().to_string();
    assert!(text.starts_with("changed in another window to “fail”, reloaded"), "{text}");
}

#[test]
fn a_failure_being_described_when_another_window_passes_the_item_is_kept_with_its_text() {
    let mut app = inspecting();
    // This console fails `exit` (stored), the failure form opens, a problem is typed.
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    assert!(matches!(inspect(&app).mode, Mode::Finding(_)));
    type_text(&mut app, "安全出口堆放杂物");
    // Another window marks it passed.
    let mut o = opened(Status::Draft, &[1]);
    let pass = passed();
    o.stamps.insert(("exit".into(), 0), stamp_of("exit", 0, &pass));
    o.sheet.answers.insert(("exit".into(), 0), pass);
    o.data_version = 9;
    update(&mut app, Action::Reloaded { opened: Box::new(o), refused: None });
    assert!(error_text(&app).unwrap_or_default().contains("：合格），已重新载入"), "{:?}", app.message);
    // Ctrl-S records the failure again, with the typed problem, on what is shown now.
    let effects = press(&mut app, ctrl('s'));
    let [Effect::Answer { value, finding: Some(finding), seen, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(value, &Value::Check(Check::Fail));
    assert_eq!(finding.problem, "安全出口堆放杂物");
    assert_eq!(seen, &inspect(&app).opened.stamps.get(&("exit".to_string(), 0)).cloned());
}
