//! The failure form, submit, amendments and repeat sections.

use super::*;

#[test]
fn check_keys_ask_for_the_answer_and_only_a_failure_carries_a_finding() {
    let cases = [('1', Check::Pass, false), ('2', Check::Fail, true), ('3', Check::Na, false)];
    for (c, check, with_finding) in cases {
        let mut app = inspecting();
        let effects = press_char(&mut app, c);
        assert_eq!(effects.len(), 1, "key {c}");
        let Effect::Answer { inspection_id, slot, item, value, finding, .. } = &effects[0] else {
            panic!("key {c}: {effects:?}");
        };
        assert_eq!(inspection_id, "insp-1", "key {c}");
        assert_eq!(*slot, Slot { section: 0, item: 0, instance: 0 }, "key {c}");
        assert_eq!(item.id, "exit", "key {c}");
        assert_eq!(value, &Value::Check(check), "key {c}");
        assert_eq!(finding.is_some(), with_finding, "key {c}");
        assert!(
            matches!(inspect(&app).mode, Mode::Browse),
            "key {c}: nothing opens before the answer is saved"
        );
        assert_eq!(current_id(&app), "exit", "key {c}: the cursor waits for the save");
    }
}

#[test]
fn a_failure_is_saved_with_the_item_defaults_and_then_opens_the_form() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    let (value, finding) = answer_value(&effects[0]);
    assert_eq!(value, &Value::Check(Check::Fail));
    let finding = finding.expect("a failure carries a finding");
    assert_eq!(finding.problem, "");
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.requirement, "立即清除堵塞物");
    assert_eq!(finding.deadline, now().date() + Duration::days(3));
    save(&mut app, &effects);
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the failure form opens after the save");
    };
    assert_eq!(form.severity, Severity::Critical);
    assert_eq!(form.requirement.text(), "立即清除堵塞物");
    assert_eq!(form.deadline.value(), "2026-12-02");
    assert_eq!(form.problem.text(), "");
    assert_eq!(current_id(&app), "exit", "the cursor stays on the failed item");
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::TextArea, keymap::Ctx::Form, keymap::Ctx::Save, keymap::Ctx::Editing],
        "the problem is a multi-line text: Enter breaks the line"
    );
}

#[test]
fn the_failure_form_needs_a_problem_before_it_saves() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);

    let effects = press(&mut app, ctrl('s'));
    assert_eq!(effects, vec![], "no problem described: nothing is saved");
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error.as_deref(), Some("请填写问题描述"));

    type_text(&mut app, "北门上锁 q");
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error, None, "typing clears the error");
    let effects = press(&mut app, ctrl('s'));
    assert_eq!(effects.len(), 1);
    let (value, finding) = answer_value(&effects[0]);
    assert_eq!(value, &Value::Check(Check::Fail));
    let finding = finding.unwrap();
    assert_eq!(finding.problem, "北门上锁 q");
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.deadline, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    save(&mut app, &effects);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert_eq!(current_id(&app), "kitchen", "a described failure moves on");
    assert!(!app.quit, "q was typed into the problem, not taken as quit");
}

#[test]
fn leaving_the_failure_form_without_a_problem_warns() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    let effects = press(&mut app, key(KeyCode::Esc));
    assert_eq!(effects, vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(error_text(&app).is_some_and(|t| t.contains("问题描述未填写")));
    assert_eq!(current_id(&app), "exit");
}

#[test]
fn the_severity_of_a_finding_can_be_changed_in_the_form() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    type_text(&mut app, "堵塞");
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Right)); // Critical wraps to Minor
    let effects = press(&mut app, ctrl('s'));
    let (_, finding) = answer_value(&effects[0]);
    assert_eq!(finding.unwrap().severity, Severity::Minor);
}

#[test]
fn a_failed_save_keeps_the_typed_input_and_shows_why() {
    let mut app = inspecting();
    go_to(&mut app, "remark");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "消防通道有杂物");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Answer { .. }]));
    assert_eq!(update(&mut app, Action::Failed("保存失败：磁盘已满".into())), vec![]);
    assert_eq!(error_text(&app), Some("保存失败：磁盘已满"));
    let Mode::Edit { editor: Editor::Line(field), .. } = &inspect(&app).mode else {
        panic!("the editor stays open");
    };
    assert_eq!(field.value(), "消防通道有杂物");
    assert_eq!(current_id(&app), "remark");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(effects.len(), 1, "the same input can be sent again");
}

#[test]
fn a_failed_save_keeps_the_failure_form_as_typed() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    type_text(&mut app, "北门上锁");
    assert_eq!(press(&mut app, ctrl('s')).len(), 1);
    update(&mut app, Action::Failed("保存失败：数据库被锁定".into()));
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.problem.text(), "北门上锁");
    assert_eq!(error_text(&app), Some("保存失败：数据库被锁定"));
}

#[test]
fn enter_on_a_hidden_item_of_a_repeat_section_adds_nothing() {
    let mut app = inspecting();
    go_to(&mut app, "group_note");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
}

#[test]
fn a_submitted_inspection_asks_for_a_reason_before_amending() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    let effects = press_char(&mut app, '1');
    assert_eq!(effects, vec![], "nothing is saved before the reason");
    assert!(matches!(inspect(&app).mode, Mode::Reason { .. }));
    assert_eq!(app.contexts(), vec![keymap::Ctx::Save, keymap::Ctx::Editing]);

    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "an empty reason");
    assert_eq!(error_text(&app), Some("修改已提交的检查必须填写理由"));
    type_text(&mut app, "   ");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "a blank reason");

    type_text(&mut app, "现场复核后更正");
    let effects = press(&mut app, key(KeyCode::Enter));
    let [Effect::Answer { inspection_id, value, reason: Some(reason), finding, .. }] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(inspection_id, "insp-1");
    assert_eq!(value, &Value::Check(Check::Pass));
    assert_eq!(reason, "现场复核后更正");
    assert_eq!(finding, &None);
    save(&mut app, &effects);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert_eq!(current_id(&app), "kitchen");
}

#[test]
fn amending_a_submitted_item_into_a_failure_asks_for_the_problem_then_the_reason() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    assert_eq!(press_char(&mut app, '2'), vec![], "nothing is saved yet");
    let Mode::Finding(form) = &inspect(&app).mode else { panic!("the failure form opens first") };
    assert_eq!(form.value, Some(Value::Check(Check::Fail)));
    assert_eq!(press(&mut app, ctrl('s')), vec![], "the problem is required");
    type_text(&mut app, "复核发现安全出口上锁");
    assert_eq!(press(&mut app, ctrl('s')), vec![], "then the reason is asked");
    assert!(matches!(inspect(&app).mode, Mode::Reason { .. }));
    type_text(&mut app, "现场复核");
    let effects = press(&mut app, key(KeyCode::Enter));
    let [Effect::Answer { value, reason: Some(reason), finding: Some(finding), .. }] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(value, &Value::Check(Check::Fail));
    assert_eq!(reason, "现场复核");
    assert_eq!(finding.problem, "复核发现安全出口上锁");
}

#[test]
fn esc_drops_a_pending_amendment() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    press_char(&mut app, '2');
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert_eq!(current_id(&app), "exit");
}

#[test]
fn a_submitted_inspection_cannot_be_submitted_again_or_grown() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    assert_eq!(press_char(&mut app, 's'), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("已提交并锁定")));
    go_to(&mut app, "#header");
    assert_eq!(press_char(&mut app, '+'), vec![]);
}

#[test]
fn submitting_with_missing_items_is_refused_in_the_form() {
    let mut app = inspecting();
    assert_eq!(press_char(&mut app, 's'), vec![]);
    let Mode::Submit(form) = &inspect(&app).mode else {
        panic!("s opens the submit form");
    };
    assert_eq!(form.inspectors.value(), "王芳、李强");
    assert_eq!(app.contexts(), vec![keymap::Ctx::Submit, keymap::Ctx::Save, keymap::Ctx::Editing]);
    for ev in [ctrl('s'), key(KeyCode::Tab), key(KeyCode::Enter)] {
        let effects = press(&mut app, ev);
        assert_eq!(effects, vec![], "{ev:?}");
    }
    let Mode::Submit(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error.as_deref(), Some("还有 4 项未完成（见上方列表），不能提交"));
    assert!(!form.confirming, "nothing to confirm while items are missing");
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(inspect(&app).mode, Mode::Browse));
}

#[test]
fn a_complete_inspection_is_submitted_with_the_signatures() {
    let mut app = complete();

    press_char(&mut app, 's');
    // The inspectors are there: the form opens on the representative.
    assert!(matches!(&inspect(&app).mode, Mode::Submit(f) if f.focus == 1 && f.on_last()));
    type_text(&mut app, "刘院长");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "Enter on the last field asks first");
    let Mode::Submit(form) = &inspect(&app).mode else { panic!("the form stays open") };
    assert!(form.confirming, "the confirmation is on screen");
    assert_eq!(app.contexts(), vec![keymap::Ctx::Confirm, keymap::Ctx::Global]);
    let effects = press(&mut app, key(KeyCode::Enter));
    // The answers the user saw go with the submit, so a change made in another window is refused.
    let seen = inspect(&app).opened.stamps.clone();
    assert_eq!(seen.len(), 4, "the answers saved above: {seen:?}");
    assert_eq!(
        effects,
        vec![Effect::Submit {
            inspection_id: "insp-1".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
            representative: "刘院长".into(),
            seen,
        }]
    );
    let effects = update(&mut app, Action::Submitted { rectifications: 0 });
    assert_eq!(effects, vec![Effect::LoadHome]);
    assert!(matches!(app.screen, Screen::Home(_)));
    assert!(app.message.as_ref().is_some_and(|m| !m.error));
}

#[test]
fn plus_on_a_repeat_header_adds_a_repetition_and_moves_onto_it() {
    for add in [key(KeyCode::Char('+')), key(KeyCode::Enter)] {
        let mut app = inspecting();
        go_to(&mut app, "#header");
        let effects = press(&mut app, add);
        assert_eq!(
            effects,
            vec![Effect::AddInstance { inspection_id: "insp-1".into(), section_id: "groups".into() }],
            "{add:?}"
        );
        let effects =
            update(&mut app, Action::InstancesChanged { section: "groups".into(), instances: vec![1, 2] });
        assert_eq!(effects, vec![]);
        let i = inspect(&app);
        assert_eq!(i.current(), Some(Entry::Slot(Slot { section: 1, item: 0, instance: 2 })), "{add:?}");
        assert_eq!(i.entries.len(), 5 + 1 + 2 * 2, "{add:?}");
    }
}
