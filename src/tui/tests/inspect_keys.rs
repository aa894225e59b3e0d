//! Keys of the inspection screen added for work on site: overview paging, the next open item, "the rest of
//! this section passes", the item's note, the sign-off (or 拒签) with its confirmation, and footers that
//! only show what works.

use super::*;
use crate::inspection::Outcome;
use crate::tui::keymap::Cmd;

fn overview_sel(app: &App) -> usize {
    inspect(app).overview_sel
}

#[test]
fn the_overview_pages_and_goes_to_the_first_and_last_line() {
    // 5 items, the repeat header, 3 repetitions of 2 items: 12 lines; a page is 10 before the first draw.
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2, 3]));
    press_char(&mut app, 'o');
    assert_eq!(app.contexts(), vec![keymap::Ctx::Overview, keymap::Ctx::Global]);
    assert_eq!(overview_sel(&app), 0);
    let cases: [(KeyEvent, usize); 8] = [
        (key(KeyCode::PageDown), 10),
        (key(KeyCode::PageDown), 11),
        (key(KeyCode::PageUp), 1),
        (key(KeyCode::PageUp), 0),
        (key(KeyCode::End), 11),
        (key(KeyCode::Home), 0),
        (key(KeyCode::Char('G')), 11),
        (key(KeyCode::Char('g')), 0),
    ];
    for (ev, expected) in cases {
        assert_eq!(press(&mut app, ev), vec![], "{ev:?}");
        assert_eq!(overview_sel(&app), expected, "{ev:?}");
    }
}

#[test]
fn n_jumps_to_the_next_unanswered_or_incomplete_item_and_wraps() {
    let mut app = inspecting();
    answer(&mut app, "kitchen", '2');
    go_to(&mut app, "exit");
    // exit → evac (kitchen answered, gas_alarm hidden) → remark → group_ok → back round to exit.
    for expected in ["evac", "remark", "group_ok", "exit"] {
        assert_eq!(press_char(&mut app, 'n'), vec![]);
        assert_eq!(current_id(&app), expected);
    }
    // A failure without its description is still open; answered items are skipped.
    answer(&mut app, "exit", '2');
    assert!(matches!(inspect(&app).mode, Mode::Finding(_)));
    press(&mut app, key(KeyCode::Esc));
    for id in ["evac", "remark", "group_ok"] {
        inspect_mut(&mut app).opened.sheet.answers.insert(
            (id.into(), if id == "group_ok" { 1 } else { 0 }),
            Answer {
                value: Value::Text("x".into()),
                outcome: Outcome::Recorded,
                note: String::new(),
                finding: None,
                revision: 1,
                evidence: 0,
            },
        );
    }
    go_to(&mut app, "kitchen");
    press_char(&mut app, 'n');
    assert_eq!(current_id(&app), "exit", "the undescribed failure");
    // Described: nothing is open, the cursor stays and the message says s submits.
    let a = inspect_mut(&mut app).opened.sheet.answers.get_mut(&("exit".to_string(), 0)).unwrap();
    a.finding.as_mut().unwrap().problem = "安全出口堆放杂物".into();
    press_char(&mut app, 'n');
    assert_eq!(current_id(&app), "exit");
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("按 s 提交")), "{:?}", app.message);
}

#[test]
fn n_in_the_overview_moves_the_selection_to_the_next_open_line() {
    let mut app = inspecting();
    answer(&mut app, "exit", '1');
    go_to(&mut app, "exit");
    press_char(&mut app, 'o');
    press_char(&mut app, 'n');
    let i = inspect(&app);
    assert_eq!(i.entries[i.overview_sel], Entry::Slot(Slot { section: 0, item: 1, instance: 0 }), "kitchen");
    assert_eq!(i.pane, Pane::Overview);
}

#[test]
fn p_asks_first_then_marks_the_sections_unanswered_checks_as_pass() {
    let mut app = inspecting();
    answer(&mut app, "kitchen", '1'); // a gas kitchen: gas_alarm is shown
    go_to(&mut app, "evac");
    assert_eq!(press_char(&mut app, 'p'), vec![], "nothing is saved before the confirmation");
    let Mode::ConfirmPass { slots } = &inspect(&app).mode else { panic!("p asks first") };
    assert_eq!(slots.len(), 2, "exit and gas_alarm; not the choice, the number or the text");
    let question = inspect(&app).mark_pass_question(Lang::Zh, slots);
    assert!(question.contains("基本情况") && question.contains("2 个"), "{question}");
    assert_eq!(app.contexts(), vec![keymap::Ctx::Confirm, keymap::Ctx::Global]);
    // Esc: nothing changes.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    press_char(&mut app, 'p');
    let effects = press(&mut app, key(KeyCode::Enter));
    let ids: Vec<&str> = effects
        .iter()
        .map(|e| match e {
            Effect::Answer { item, value, reason, note, finding, .. } => {
                assert_eq!(value, &Value::Check(Check::Pass));
                assert_eq!((reason, note.as_str(), finding), (&None, "", &None), "an ordinary answer");
                item.id.as_str()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids, ["exit", "gas_alarm"]);
    for effect in &effects {
        let action = saved(&app, effect);
        assert_eq!(update(&mut app, action), vec![]);
    }
    let sheet = &inspect(&app).opened.sheet;
    assert_eq!(sheet.answer(Slot { section: 0, item: 0, instance: 0 }).unwrap().outcome, Outcome::Pass);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("已将 2 项记为合格")));
    // Nothing left to mark: said, and nothing asked.
    go_to(&mut app, "exit");
    assert_eq!(press_char(&mut app, 'p'), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
}

#[test]
fn p_marks_only_the_current_repetition_and_never_a_submitted_inspection() {
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2]));
    let i = inspect(&app);
    let second =
        i.entries.iter().position(|e| matches!(e, Entry::Slot(s) if s.section == 1 && s.instance == 2));
    inspect_mut(&mut app).cursor = second.unwrap();
    press_char(&mut app, 'p');
    let Mode::ConfirmPass { slots } = &inspect(&app).mode else { panic!("p asks first") };
    assert_eq!(slots, &[Slot { section: 1, item: 0, instance: 2 }]);

    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    assert_eq!(press_char(&mut app, 'p'), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(error_text(&app).is_some_and(|t| t.contains("已提交")));
}

#[test]
fn m_writes_a_note_kept_with_the_answer_and_stays_on_the_item() {
    let mut app = inspecting();
    assert_eq!(press_char(&mut app, 'm'), vec![]);
    assert!(error_text(&app).is_some_and(|t| t.contains("请先作答")), "no note before an answer");
    answer(&mut app, "exit", '1');
    go_to(&mut app, "exit");
    press_char(&mut app, 'm');
    assert!(matches!(inspect(&app).mode, Mode::Note { .. }));
    assert_eq!(app.contexts(), vec![keymap::Ctx::Save, keymap::Ctx::Editing]);
    type_text(&mut app, "门锁已更换 q");
    let effects = press(&mut app, key(KeyCode::Enter));
    let Some(Effect::Answer { note, value, reason, .. }) = effects.first() else { panic!("{effects:?}") };
    assert_eq!((note.as_str(), value, reason), ("门锁已更换 q", &Value::Check(Check::Pass), &None));
    save(&mut app, &effects);
    assert_eq!(current_id(&app), "exit", "the note does not move on");
    assert_eq!(
        inspect(&app).opened.sheet.answer(Slot { section: 0, item: 0, instance: 0 }).unwrap().note,
        "门锁已更换 q"
    );
}

#[test]
fn a_note_on_a_submitted_inspection_is_an_amendment_with_a_reason() {
    let mut o = opened(Status::Submitted, &[1]);
    o.sheet.answers.insert(("exit".into(), 0), passed());
    let mut app = inspecting_with(o);
    go_to(&mut app, "exit");
    press_char(&mut app, 'm');
    type_text(&mut app, "复核补记");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Reason { .. }), "the reason is asked first");
    type_text(&mut app, "补充说明");
    let effects = press(&mut app, key(KeyCode::Enter));
    let Some(Effect::Answer { note, reason, .. }) = effects.first() else { panic!("{effects:?}") };
    assert_eq!((note.as_str(), reason.as_deref()), ("复核补记", Some("补充说明")));
}

fn submit_form(app: &App) -> &crate::tui::screens::submit::SubmitForm {
    match &inspect(app).mode {
        Mode::Submit(form) => form,
        other => panic!("not on the submit form: {other:?}"),
    }
}

#[test]
fn submit_needs_the_representative_or_a_recorded_refusal_and_then_asks() {
    let mut app = complete();
    press_char(&mut app, 's');
    assert_eq!(press(&mut app, ctrl('s')), vec![], "no representative yet");
    assert_eq!(submit_form(&app).error.as_deref(), Some("须填写被检查单位代表姓名，或记录拒签"));
    assert_eq!(submit_form(&app).focus, 1, "the focus goes to the representative");
    assert_eq!(press(&mut app, ctrl('r')), vec![]);
    assert!(submit_form(&app).refused);
    assert_eq!(press(&mut app, ctrl('s')), vec![]);
    assert!(submit_form(&app).confirming);
    // Esc goes back to the form, the refusal still recorded.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(!submit_form(&app).confirming && submit_form(&app).refused);
    press(&mut app, ctrl('s'));
    let effects = press_char(&mut app, 'y');
    // The submit carries what this console showed of every answer (checked against the store).
    let seen = inspect(&app).opened.stamps.clone();
    assert!(!seen.is_empty());
    assert_eq!(
        effects,
        vec![Effect::Submit {
            inspection_id: "insp-1".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
            representative: "拒签".into(),
            seen,
        }]
    );
}

#[test]
fn a_named_representative_who_refuses_is_recorded_with_the_refusal() {
    let mut app = complete();
    press_char(&mut app, 's');
    type_text(&mut app, "刘院长");
    press(&mut app, ctrl('r'));
    press(&mut app, ctrl('r'));
    assert!(!submit_form(&app).refused, "Ctrl-R again takes the refusal back");
    press(&mut app, ctrl('r'));
    press(&mut app, key(KeyCode::Enter));
    let Some(Effect::Submit { representative, .. }) = press(&mut app, key(KeyCode::Enter)).pop() else {
        panic!("Enter on the confirmation submits")
    };
    assert_eq!(representative, "刘院长（拒签）");
}

#[test]
fn the_footer_drops_keys_that_do_nothing_and_keeps_quit() {
    let app = app();
    let home = keymap::footer_for(&app.contexts(), &app.facts(), Lang::Zh);
    assert!(!home.iter().any(|h| h.0 == "Esc"), "Esc goes nowhere on home: {home:?}");
    assert!(home.contains(&("q", "退出", true)), "{home:?}");
    let keys = |app: &App| -> Vec<&str> {
        keymap::footer_for(&app.contexts(), &app.facts(), Lang::Zh).iter().map(|h| h.0).collect()
    };
    assert!(keys(&inspecting()).contains(&"s"));
    let submitted = inspecting_with(opened(Status::Submitted, &[1]));
    assert!(!keys(&submitted).contains(&"s"), "s submits nothing on a submitted inspection");
    let help: Vec<Cmd> =
        keymap::active_for(&submitted.contexts(), &submitted.facts()).iter().map(|b| b.cmd).collect();
    assert!(!help.contains(&Cmd::Submit) && !help.contains(&Cmd::MarkPass), "{help:?}");
    assert!(help.contains(&Cmd::Note) && help.contains(&Cmd::NextOpen));
}

#[test]
fn help_in_a_text_field_does_not_offer_q_to_quit() {
    let mut app = complete();
    press_char(&mut app, 's');
    let contexts = crate::tui::view::help_contexts(&app);
    let cmds: Vec<Cmd> = keymap::active_for(&contexts, &app.facts()).iter().map(|b| b.cmd).collect();
    assert!(!cmds.contains(&Cmd::Quit), "q types a letter here: {cmds:?}");
    assert!(cmds.contains(&Cmd::Refuse) && cmds.contains(&Cmd::Save));
    let browse = crate::tui::view::help_contexts(&inspecting());
    assert!(keymap::active_for(&browse, &Default::default()).iter().any(|b| b.cmd == Cmd::Quit));
}

#[test]
fn a_multi_line_editor_does_not_offer_enter_to_confirm() {
    let mut o = opened(Status::Draft, &[1]);
    let mut checklist = o.sheet.checklist.clone();
    checklist.sections[0].items[4].kind = crate::checklist::AnswerKind::Text { multiline: true };
    o.sheet = Sheet::new(checklist, o.sheet.site.clone());
    let mut app = inspecting_with(o);
    go_to(&mut app, "remark");
    press(&mut app, key(KeyCode::Enter));
    assert!(inspect(&app).editing_multiline());
    let hints = keymap::footer_for(&app.contexts(), &app.facts(), Lang::Zh);
    // Enter is a line break here, and the footer says so (never that Enter confirms).
    let enter: Vec<_> = hints.iter().filter(|h| h.0 == "Enter").collect();
    assert_eq!(enter, vec![&("Enter", "换行", false)], "{hints:?}");
    assert!(hints.contains(&("Ctrl-S", "保存", false)), "{hints:?}");
    // Enter in the field is a line break, not a save.
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Edit { .. }));
}
