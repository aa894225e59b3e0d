//! The failure form: checks on save, the prefilled problem of a number over its limit, the draft saved
//! once typing pauses, the evidence picker (several files at once) and removing a file, and the words of
//! its hints against the key table.

use std::path::PathBuf;

use super::*;
use crate::inspection::draft::FindingDraft;
use crate::store::evidence::EvidenceFile;
use crate::tui::effect::folder::PickFile;
use crate::tui::screens::finding::FindingForm;

/// The app with the failure form open on `exit` (failed with its defaults and saved).
fn failing() -> App {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    app
}

fn finding_form(app: &App) -> &FindingForm {
    match &inspect(app).mode {
        Mode::Finding(form) => form,
        other => panic!("the failure form is not open: {other:?}"),
    }
}

fn tab_to(app: &mut App, field: usize) {
    while finding_form(app).focus != field {
        press(app, key(KeyCode::Tab));
    }
}

fn clock(app: &mut App, seconds: f64) -> Vec<Effect> {
    let at = now() + Duration::milliseconds((seconds * 1000.0) as i64);
    update(app, Action::Clock(at))
}

fn file(name: &str, id: &str) -> EvidenceFile {
    EvidenceFile {
        id: id.into(),
        answer_id: "a-1".into(),
        stored_name: format!("0123456789ab-{name}"),
        original_name: name.into(),
        bytes: 2_400_000,
        added_at: "2026-11-29T09:31:00+08:00".into(),
    }
}

fn picked(name: &str, day: u32) -> PickFile {
    PickFile {
        path: PathBuf::from(format!("/照片/{name}")),
        name: name.into(),
        bytes: 1_500_000,
        taken: NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(8, 15, 0).unwrap(),
        exif: day.is_multiple_of(2),
    }
}

#[test]
fn the_draft_is_saved_once_typing_pauses_for_a_second_and_only_once() {
    let mut app = failing();
    assert_eq!(clock(&mut app, 0.0), vec![], "nothing typed: no draft");
    type_text(&mut app, "北门上锁");
    assert_eq!(clock(&mut app, 0.25), vec![], "the change is seen");
    assert_eq!(clock(&mut app, 0.75), vec![], "half a second of idle is not enough");
    let effects = clock(&mut app, 1.3);
    let [Effect::SaveFindingDraft { inspection_id, item_id, instance, draft }] = effects.as_slice() else {
        panic!("a second of idle saves the draft: {effects:?}");
    };
    assert_eq!((inspection_id.as_str(), item_id.as_str(), *instance), ("insp-1", "exit", 0));
    assert_eq!(
        draft,
        &FindingDraft {
            problem: "北门上锁".into(),
            severity: "critical".into(),
            requirement: "立即清除堵塞物".into(),
            deadline: "2026-12-02".into(),
            responsible: String::new(),
        }
    );
    assert_eq!(clock(&mut app, 5.0), vec![], "unchanged since: not saved again");
    type_text(&mut app, "，钥匙不在值班室");
    assert_eq!(clock(&mut app, 5.25), vec![]);
    assert!(
        matches!(clock(&mut app, 6.5).as_slice(), [Effect::SaveFindingDraft { .. }]),
        "typing again saves again"
    );
    let effects = press(&mut app, key(KeyCode::Esc));
    assert_eq!(
        effects,
        vec![Effect::DiscardFindingDraft {
            inspection_id: "insp-1".into(),
            item_id: "exit".into(),
            instance: 0
        }],
        "Esc cancels what was typed, draft included"
    );
}

#[test]
fn a_draft_left_by_a_crash_reopens_its_form_as_typed_on_resume() {
    let mut opened = opened(Status::Draft, &[1]);
    let draft = FindingDraft {
        problem: "北门上锁，钥匙不在值班室".into(),
        severity: "major".into(),
        requirement: "立即开锁".into(),
        deadline: "2026-12-0".into(),
        responsible: "刘院长".into(),
    };
    opened.sheet.drafts.insert(("exit".into(), 0), draft);
    let failed = Answer {
        value: Value::Check(Check::Fail),
        outcome: crate::inspection::Outcome::Fail,
        note: String::new(),
        finding: None,
        revision: 1,
        evidence: 0,
    };
    opened.sheet.answers.insert(("exit".into(), 0), failed);
    opened.head.resume_at = "exit#0".into();
    let app = inspecting_with(opened);
    assert_eq!(current_id(&app), "exit", "the resume goes to the item whose form was being typed");
    let form = finding_form(&app);
    assert_eq!(form.problem.text(), "北门上锁，钥匙不在值班室");
    assert_eq!(form.severity, Severity::Major);
    assert_eq!(form.requirement.text(), "立即开锁");
    assert_eq!(form.deadline.value(), "2026-12-0", "kept as typed, even half-typed");
    assert_eq!(form.responsible.value(), "刘院长");

    let mut app = app;
    let effects = press(&mut app, key(KeyCode::Esc));
    assert!(matches!(effects.as_slice(), [Effect::DiscardFindingDraft { .. }]), "{effects:?}");
    assert!(inspect(&app).opened.sheet.drafts.is_empty(), "Esc dropped it");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(finding_form(&app).problem.text(), "", "reopened without the cancelled draft");
}

#[test]
fn a_number_over_its_limit_prefills_the_problem_with_the_value_and_the_limit() {
    let mut app = inspecting();
    go_to(&mut app, "evac");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "240");
    let effects = press(&mut app, key(KeyCode::Enter));
    save(&mut app, &effects);
    assert_eq!(finding_form(&app).problem.text(), "疏散用时 240 秒，超过 180 秒");
    let effects = press(&mut app, ctrl('s'));
    let (_, finding) = answer_value(&effects[0]);
    assert_eq!(
        finding.unwrap().problem,
        "疏散用时 240 秒，超过 180 秒",
        "the prefilled text is a description"
    );
}

/// Replaces the focused one-line field's text (the cursor starts at its end).
fn retype(app: &mut App, text: &str) {
    for _ in 0..40 {
        press(app, key(KeyCode::Backspace));
    }
    type_text(app, text);
}

#[test]
fn a_deadline_before_the_inspection_date_is_refused_on_save() {
    let mut app = failing();
    type_text(&mut app, "北门上锁");
    tab_to(&mut app, 3);
    retype(&mut app, "2026-11-01");
    assert_eq!(finding_form(&app).deadline.value(), "2026-11-01");
    assert_eq!(press(&mut app, ctrl('s')), vec![], "nothing is saved");
    assert_eq!(finding_form(&app).error.as_deref(), Some("整改期限 2026-11-01 早于检查日期 2026-11-29"));
    retype(&mut app, "2026-11-29");
    assert_eq!(press(&mut app, ctrl('s')).len(), 1, "the inspection day itself is allowed");
}

#[test]
fn an_item_that_demands_evidence_is_saved_without_a_file_with_the_warning_at_once() {
    let mut app = inspecting();
    inspect_mut(&mut app).opened.sheet.checklist.sections[0].items[0].evidence_on_fail = true;
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    type_text(&mut app, "北门上锁");
    let effects = press(&mut app, ctrl('s'));
    assert_eq!(effects.len(), 1, "the text is saved");
    assert!(error_text(&app).is_some_and(|e| e.contains("须附证据")), "{:?}", app.message);
    save(&mut app, &effects);
    assert!(error_text(&app).is_some_and(|e| e.contains("须附证据")), "the warning stays after the save");

    let mut app = inspecting();
    inspect_mut(&mut app).opened.sheet.checklist.sections[0].items[0].evidence_on_fail = true;
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    type_text(&mut app, "北门上锁");
    let slot = finding_form(&app).slot;
    update(&mut app, Action::EvidenceAttached { slot, file: file("北门.jpg", "ev-1") });
    assert_eq!(press(&mut app, ctrl('s')).len(), 1);
    assert_eq!(error_text(&app), None, "with a file: no warning");
}

#[test]
fn enter_on_a_typed_path_attaches_it_and_on_an_empty_field_opens_the_picker() {
    let mut app = failing();
    tab_to(&mut app, 5);
    type_text(&mut app, "/tmp/门.jpg");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::AttachEvidence {
            inspection_id: "insp-1".into(),
            slot: Slot { section: 0, item: 0, instance: 0 },
            item_id: "exit".into(),
            path: "/tmp/门.jpg".into(),
        }]
    );
    let slot = finding_form(&app).slot;
    update(&mut app, Action::EvidenceAttached { slot, file: file("门.jpg", "ev-1") });
    assert_eq!(finding_form(&app).evidence.value(), "", "the typed path is cleared");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::ListEvidenceFolder { folder: None }]);
    assert!(finding_form(&app).picker.is_some());
    assert_eq!(app.contexts(), vec![keymap::Ctx::Picker, keymap::Ctx::Editing]);
}

#[test]
fn the_picker_attaches_several_marked_files_at_once() {
    let mut app = failing();
    tab_to(&mut app, 5);
    press(&mut app, key(KeyCode::Enter));
    let files = vec![picked("IMG_3.jpg", 29), picked("IMG_2.jpg", 28), picked("扫描件.pdf", 27)];
    update(&mut app, Action::EvidenceFolder { folder: "/照片".into(), files });
    assert_eq!(press_char(&mut app, ' '), vec![], "Space marks the first and moves on");
    assert_eq!(press_char(&mut app, 'j'), vec![]);
    assert_eq!(press_char(&mut app, ' '), vec![]);
    assert_eq!(press_char(&mut app, 'q'), vec![]);
    assert!(!app.quit, "q is not quit in the picker");
    let effects = press(&mut app, key(KeyCode::Enter));
    let paths: Vec<&str> = effects
        .iter()
        .map(|e| match e {
            Effect::AttachEvidence { path, .. } => path.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(paths, ["/照片/IMG_3.jpg", "/照片/扫描件.pdf"]);
    for (i, name) in ["IMG_3.jpg", "扫描件.pdf"].into_iter().enumerate() {
        let slot = finding_form(&app).slot;
        update(&mut app, Action::EvidenceAttached { slot, file: file(name, &format!("ev-{i}")) });
    }
    assert_eq!(app.message.as_ref().map(|m| m.text.as_str()), Some("已附证据：IMG_3.jpg、扫描件.pdf"));
    assert!(finding_form(&app).picker.is_none(), "the picker closes");

    // Tab to the folder line, type another folder, Enter lists it.
    press(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::EvidenceFolder { folder: "/照片".into(), files: vec![] });
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.contexts(), vec![keymap::Ctx::PickerFolder, keymap::Ctx::Editing]);
    type_text(&mut app, "/手机");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::ListEvidenceFolder { folder: Some("/照片/手机".into()) }]);
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(
        finding_form(&app).picker.is_none() && matches!(inspect(&app).mode, Mode::Finding(_)),
        "Esc closes only the picker"
    );
}

#[test]
fn attached_files_are_listed_by_name_and_a_wrong_one_removed() {
    let mut app = failing();
    let slot = finding_form(&app).slot;
    update(&mut app, Action::EvidenceAttached { slot, file: file("北门.jpg", "ev-1") });
    update(&mut app, Action::EvidenceAttached { slot, file: file("错的.jpg", "ev-2") });
    let names: Vec<&str> = finding_form(&app).files.iter().map(EvidenceFile::name).collect();
    assert_eq!(names, ["北门.jpg", "错的.jpg"]);
    assert_eq!(finding_form(&app).evidence_count, 2);
    tab_to(&mut app, 6);
    assert_eq!(app.contexts()[0], keymap::Ctx::EvidenceFiles);
    let footer = keymap::footer(&app.contexts(), Lang::Zh);
    assert!(footer.contains(&("Del", "移除该文件", false)), "{footer:?}");
    assert!(!footer.contains(&("Enter", "确定", false)), "Enter confirms nothing on a file: {footer:?}");
    press(&mut app, key(KeyCode::Down));
    let effects = press(&mut app, key(KeyCode::Delete));
    assert_eq!(
        effects,
        vec![Effect::RemoveEvidence { inspection_id: "insp-1".into(), slot, evidence_id: "ev-2".into() }]
    );
    update(&mut app, Action::EvidenceRemoved { slot, file: file("错的.jpg", "ev-2") });
    let form = finding_form(&app);
    assert_eq!(form.files.iter().map(EvidenceFile::name).collect::<Vec<_>>(), ["北门.jpg"]);
    assert_eq!(form.evidence_count, 1);
    assert_eq!(inspect(&app).opened.sheet.evidence_files[&("exit".to_string(), 0)].len(), 1);
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("文件仍保留")));
}

#[test]
fn the_form_hints_and_the_footer_say_what_the_keys_do_and_never_q() {
    let mut app = failing();
    for field in 0..6 {
        tab_to(&mut app, field);
        let footer = keymap::footer(&app.contexts(), Lang::Zh);
        assert!(footer.iter().all(|(k, _, _)| *k != "q"), "field {field}: {footer:?}");
        if field == 0 || field == 2 {
            assert!(
                footer.contains(&("Enter", "换行", false)),
                "a multi-line field breaks lines: {footer:?}"
            );
            assert!(footer.contains(&("Ctrl-S", "保存", false)), "and says how to finish: {footer:?}");
        }
        if field == 1 {
            assert!(footer.contains(&("Left/Right", "改等级", false)), "{footer:?}");
            assert!(
                !footer.iter().any(|(k, _, _)| k.contains("Ctrl-T")),
                "one way to change severity: {footer:?}"
            );
            let before = finding_form(&app).severity;
            press(&mut app, key(KeyCode::Left));
            assert_ne!(finding_form(&app).severity, before, "Left does what the hint says");
            press(&mut app, key(KeyCode::Right));
            assert_eq!(finding_form(&app).severity, before, "Right goes back");
        }
    }
}
