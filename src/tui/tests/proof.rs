//! Proof of a fix in the note box, without a database: the evidence line opens the inspection form's
//! picker (several files marked at once), a typed path is taken, a chosen file is dropped with Del, and
//! the files go with the follow-up; verifying a major hazard with no fix evidence at all asks a second
//! time (Esc goes back, Enter confirms), and is not asked with evidence old or new, or for a lesser hazard.

use std::path::PathBuf;

use super::notice::detail;
use super::*;
use crate::rectification::Transition;
use crate::rectification::ops::Proof;
use crate::roles::Role;
use crate::store::fix_evidence::FixFile;
use crate::tui::action::Detail;
use crate::tui::effect::FollowUp;
use crate::tui::effect::folder::PickFile;

fn on_detail(d: Detail) -> App {
    let mut app = app();
    press_char(&mut app, 'b');
    update(
        &mut app,
        Action::BoardPage { rows: vec![], append: false, more: false, conflicts: Some(0), total: None },
    );
    assert_eq!(update(&mut app, Action::BoardDetail(Box::new(d))), vec![]);
    app
}

fn reported(role: Role, major_hazard: bool) -> Detail {
    let mut d = detail("下原镇敬老院");
    d.rect.status = "fix_reported".into();
    d.rect.major_hazard = major_hazard;
    d.role = Some(role);
    d
}

fn pick_file(name: &str) -> PickFile {
    PickFile {
        path: PathBuf::from(format!("/照片/{name}")),
        name: name.into(),
        bytes: 1_000,
        taken: now(),
        exif: true,
    }
}

fn follow_up(effects: &[Effect]) -> (Transition, String, Proof) {
    match effects {
        [Effect::FollowUp { follow_up: FollowUp::Transition(t, note, proof), .. }] => {
            (*t, note.clone(), proof.clone())
        }
        other => panic!("not one transition: {other:?}"),
    }
}

fn chosen(app: &App) -> Vec<String> {
    board(app).prompt.as_ref().unwrap().proof.files.clone()
}

#[test]
fn a_fix_report_takes_several_files_from_the_picker_and_a_typed_path_and_drops_one() {
    let mut app = on_detail(detail("下原镇敬老院"));
    press_char(&mut app, 'r');
    type_text(&mut app, "已清理");
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.contexts()[0], keymap::Ctx::EvidencePath);
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::ListEvidenceFolder { folder: None }]);
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::Picker, keymap::Ctx::Editing],
        "the inspection form's picker"
    );
    update(
        &mut app,
        Action::EvidenceFolder {
            folder: "/照片".into(),
            files: vec![pick_file("安全出口.jpg"), pick_file("杂物.jpg"), pick_file("新许可证.png")],
        },
    );
    press_char(&mut app, ' ');
    press(&mut app, key(KeyCode::Down));
    press_char(&mut app, ' ');
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert_eq!(chosen(&app), vec!["/照片/安全出口.jpg", "/照片/新许可证.png"]);
    // A path typed on the evidence line is taken too.
    type_text(&mut app, "/tmp/整改后.jpg");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(chosen(&app).len(), 3);
    // On the list, Del drops the selected file (nothing is stored yet).
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.contexts()[0], keymap::Ctx::EvidenceFiles);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(press(&mut app, key(KeyCode::Delete)), vec![]);
    assert_eq!(chosen(&app), vec!["/照片/安全出口.jpg", "/tmp/整改后.jpg"]);
    let (t, note, proof) = follow_up(&press(&mut app, ctrl('s')));
    assert_eq!((t, note.as_str()), (Transition::ReportFix, "已清理"));
    assert_eq!(proof.files, vec![PathBuf::from("/照片/安全出口.jpg"), PathBuf::from("/tmp/整改后.jpg")]);
    assert!(!proof.confirmed_without_evidence);
}

#[test]
fn esc_in_the_picker_closes_only_the_picker() {
    let mut app = on_detail(detail("下原镇敬老院"));
    press_char(&mut app, 'r');
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Esc));
    let prompt = board(&app).prompt.as_ref().expect("the note box stays");
    assert!(prompt.proof.picker.is_none() && prompt.proof.files.is_empty());
}

#[test]
fn verifying_a_major_hazard_without_any_fix_evidence_asks_first() {
    let mut app = on_detail(reported(Role::Supervisor, true));
    press_char(&mut app, 'v');
    type_text(&mut app, "现场复查通过");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "asked, nothing written");
    assert_eq!(app.contexts(), vec![keymap::Ctx::Confirm]);
    let screen = {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| crate::tui::view::render(&app, f)).unwrap();
        terminal.backend().to_string()
    };
    assert!(screen.contains("确认不附任何整改证据复查销号？"), "{screen}");
    // Esc goes back to the note box with what was typed; asked again on Enter, confirmed on Enter.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(board(&app).prompt.is_some(), "still in the note box");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    let (t, note, proof) = follow_up(&press(&mut app, key(KeyCode::Enter)));
    assert_eq!((t, note.as_str()), (Transition::Verify, "现场复查通过"));
    assert!(proof.confirmed_without_evidence && proof.files.is_empty());
}

#[test]
fn no_question_with_evidence_old_or_new_or_for_a_lesser_hazard_or_without_the_note() {
    // Evidence from the fix report.
    let mut d = reported(Role::Supervisor, true);
    d.fix_evidence = vec![FixFile {
        id: "f1".into(),
        event_id: "e1".into(),
        rectification_id: d.rect.id.clone(),
        stored_name: "0123456789ab-出口.jpg".into(),
        original_name: "出口.jpg".into(),
        sha256: "0123456789abcdef".into(),
        bytes: 10,
        added_by: "王芳".into(),
        added_at: "2026-11-28T10:00:00+08:00".into(),
    }];
    let mut app = on_detail(d);
    press_char(&mut app, 'v');
    type_text(&mut app, "通过");
    let (_, _, proof) = follow_up(&press(&mut app, key(KeyCode::Enter)));
    assert!(!proof.confirmed_without_evidence);

    // A file chosen now.
    let mut app = on_detail(reported(Role::Supervisor, true));
    press_char(&mut app, 'v');
    type_text(&mut app, "通过");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "/照片/复查.jpg");
    press(&mut app, key(KeyCode::Enter));
    let (_, _, proof) = follow_up(&press(&mut app, ctrl('s')));
    assert_eq!(proof.files, vec![PathBuf::from("/照片/复查.jpg")]);

    // Not a major hazard.
    let mut app = on_detail(reported(Role::Supervisor, false));
    press_char(&mut app, 'v');
    type_text(&mut app, "通过");
    assert_eq!(follow_up(&press(&mut app, key(KeyCode::Enter))).0, Transition::Verify);

    // No note: sent on to be refused for the note, not asked about the evidence.
    let mut app = on_detail(reported(Role::Supervisor, true));
    press_char(&mut app, 'v');
    assert_eq!(follow_up(&press(&mut app, key(KeyCode::Enter))).1, "");
}

#[test]
fn a_branch_of_a_conflict_shows_the_proof_given_on_it() {
    let mut d = super::conflict::in_conflict(Role::Supervisor);
    // Event 03 is the office's verification, on branch 1.
    d.fix_evidence = vec![FixFile {
        id: "f1".into(),
        event_id: "03".into(),
        rectification_id: d.rect.id.clone(),
        stored_name: "0123456789ab-复查.jpg".into(),
        original_name: "复查.jpg".into(),
        sha256: "0123456789abcdef".into(),
        bytes: 10,
        added_by: "科长乙".into(),
        added_at: "2026-11-28T10:03:00+08:00".into(),
    }];
    let app = on_detail(d);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| crate::tui::view::render(&app, f)).unwrap();
    let screen = terminal.backend().to_string();
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| l.contains("待复查 → 已销号")).expect("the verification on branch 1");
    assert!(lines[at + 1].contains("附：复查.jpg (0123456789ab)"), "{screen}");
}

#[test]
fn other_follow_ups_have_no_evidence_line() {
    let mut app = on_detail(reported(Role::Supervisor, true));
    press_char(&mut app, 'x');
    assert_eq!(app.contexts(), vec![keymap::Ctx::Save, keymap::Ctx::Editing], "a rejection: the note only");
    type_text(&mut app, "仍有堆物");
    let (t, _, proof) = follow_up(&press(&mut app, key(KeyCode::Enter)));
    assert_eq!((t, proof), (Transition::Reject, Proof::default()));
}
