//! Conflicts on the board: `C` filters the list to them, follow-ups that would build on neither branch are
//! refused before anything is typed, and `m` opens the settle form — for a supervisor only — whose Enter
//! asks for the chosen branch's head with the note.

use super::notice::detail;
use super::*;
use crate::rectification::conflict::branches;
use crate::roles::Role;
use crate::store::rectifications::Event;
use crate::tui::action::Detail;
use crate::tui::effect::FollowUp;

fn event(
    id: &str,
    kind: &str,
    parent: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    actor: &str,
) -> Event {
    Event {
        id: id.into(),
        kind: kind.into(),
        parent: parent.map(Into::into),
        merges: vec![],
        from_status: from.map(Into::into),
        to_status: to.map(Into::into),
        old_deadline: None,
        new_deadline: (kind == "created").then(|| "2026-12-01".into()),
        note: String::new(),
        actor: actor.into(),
        at: format!("2026-11-28T10:{id}:00+08:00"),
    }
}

/// The detail of a rectification the office verified while a laptop rejected it, viewed by `role`.
pub(super) fn in_conflict(role: Role) -> Detail {
    let events = vec![
        event("01", "created", None, None, Some("open"), "王芳"),
        event("02", "transition", Some("01"), Some("open"), Some("fix_reported"), "王芳"),
        event("03", "transition", Some("02"), Some("fix_reported"), Some("verified"), "科长乙"),
        event("04", "transition", Some("02"), Some("fix_reported"), Some("in_progress"), "科长丙"),
    ];
    let mut d = detail("下原镇敬老院");
    d.rect.status = "fix_reported".into();
    d.conflict = Some(branches(&events, &["03".into(), "04".into()]));
    d.events = events;
    d.role = Some(role);
    d
}

fn on_detail(d: Detail) -> App {
    let mut app = app();
    press_char(&mut app, 'b');
    update(
        &mut app,
        Action::BoardPage { rows: vec![], append: false, more: false, conflicts: Some(1), total: None },
    );
    assert_eq!(update(&mut app, Action::BoardDetail(Box::new(d))), vec![]);
    app
}

fn filter_of(effects: &[Effect]) -> &crate::store::board::Filter {
    match effects {
        [Effect::LoadBoard { filter, after: None, .. }] => filter,
        other => panic!("not one first page: {other:?}"),
    }
}

#[test]
fn capital_c_shows_only_conflicts_and_again_everything() {
    let mut app = app();
    press_char(&mut app, 'b');
    update(
        &mut app,
        Action::BoardPage { rows: vec![], append: false, more: false, conflicts: Some(3), total: None },
    );
    assert_eq!(board(&app).conflicts, 3, "counted over the whole database");
    let effects = press_char(&mut app, 'C');
    assert!(filter_of(&effects).conflict_only);
    assert!(board(&app).conflict_only);
    // A later page does not count again; the count stays.
    update(
        &mut app,
        Action::BoardPage { rows: vec![], append: true, more: false, conflicts: None, total: None },
    );
    assert_eq!(board(&app).conflicts, 3);
    let effects = press_char(&mut app, 'C');
    assert!(!filter_of(&effects).conflict_only);
    assert_eq!(press_char(&mut app, 'c'), vec![], "small c is still the site code");
    assert!(board(&app).typing.is_some());
    let help: Vec<&str> =
        keymap::active(&[keymap::Ctx::Board, keymap::Ctx::Global]).iter().map(|b| b.zh).collect();
    assert!(help.contains(&"只看冲突"), "{help:?}");
}

#[test]
fn transitions_and_extensions_are_refused_before_anything_is_typed_notes_are_not() {
    let mut app = on_detail(in_conflict(Role::Supervisor));
    assert_eq!(app.contexts(), vec![keymap::Ctx::Conflict, keymap::Ctx::Detail, keymap::Ctx::Global]);
    for c in ['s', 'r', 'v', 'x', 'e'] {
        app.message = None;
        assert_eq!(press_char(&mut app, c), vec![], "{c}");
        assert!(board(&app).prompt.is_none(), "{c}: no note box opens");
        let error = error_text(&app).unwrap_or_default();
        assert!(error.contains("冲突") && error.contains("科室负责人先裁决"), "{c}: {error}");
    }
    press_char(&mut app, 'n');
    assert!(board(&app).prompt.is_some(), "a note builds on nothing: allowed");
}

#[test]
fn settling_is_refused_up_front_for_an_inspector() {
    let mut app = on_detail(in_conflict(Role::Inspector));
    let hints = keymap::footer(&app.contexts(), Lang::Zh);
    assert_eq!(hints.first(), Some(&("m", "裁决", false)), "{hints:?}");
    assert_eq!(press_char(&mut app, 'm'), vec![]);
    assert!(board(&app).settle.is_none(), "no form opens");
    let error = error_text(&app).unwrap_or_default();
    assert!(error.contains("裁决冲突需要科室负责人角色"), "{error}");
    let mut app = on_detail(Detail { role: None, ..in_conflict(Role::Admin) });
    press_char(&mut app, 'm');
    assert!(board(&app).settle.is_none());
    assert!(error_text(&app).unwrap_or_default().contains("未登记"));
}

#[test]
fn a_supervisor_chooses_a_branch_and_writes_why() {
    let mut app = on_detail(in_conflict(Role::Supervisor));
    assert_eq!(press_char(&mut app, 'm'), vec![]);
    let form = board(&app).settle.as_ref().expect("the settle form");
    assert_eq!((form.branch, form.on_branch), (None, true), "nothing is chosen for the supervisor");
    assert_eq!(app.contexts()[..2], [keymap::Ctx::SettleBranch, keymap::Ctx::Settle]);
    let hints = keymap::footer(&app.contexts(), Lang::Zh);
    for hint in [("Left/Right", "选择分支", false), ("Enter", "裁决", false), ("Esc", "取消", false)]
    {
        assert!(hints.contains(&hint), "{hint:?} in {hints:?}");
    }
    assert_eq!(press_char(&mut app, 'q'), vec![]);
    assert!(!app.quit, "q in the form quits nothing");

    // Enter with no branch chosen asks for one and sends nothing.
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert!(error_text(&app).unwrap_or_default().contains("请先选择采用哪个分支"));
    let branch = |app: &App| board(app).settle.as_ref().and_then(|f| f.branch);
    press(&mut app, key(KeyCode::Right));
    assert_eq!(branch(&app), Some(0));
    press(&mut app, key(KeyCode::Right));
    assert_eq!(branch(&app), Some(1));
    press(&mut app, key(KeyCode::Right));
    assert_eq!(branch(&app), Some(0), "round the end");
    press(&mut app, key(KeyCode::Left));
    assert_eq!(branch(&app), Some(1));
    press_char(&mut app, '1');
    assert_eq!(branch(&app), Some(0));
    press_char(&mut app, '9');
    assert_eq!(branch(&app), Some(0), "no branch 9");
    press_char(&mut app, '2');
    assert_eq!(branch(&app), Some(1));

    // On the note, digits are text.
    press(&mut app, key(KeyCode::Tab));
    assert!(!board(&app).settle.as_ref().unwrap().on_branch);
    type_text(&mut app, "以1号复查为准");
    assert_eq!(branch(&app), Some(1));
    let effects = press(&mut app, key(KeyCode::Enter));
    let settle = FollowUp::Settle { head: "04".into(), note: "以1号复查为准".into() };
    assert_eq!(effects, vec![Effect::FollowUp { id: "rect-1".into(), follow_up: settle }]);

    // Refused (say, the note was empty): the form and what was typed stay.
    assert_eq!(update(&mut app, Action::Failed("裁决冲突需要填写理由".into())), vec![]);
    assert_eq!(board(&app).settle.as_ref().unwrap().note.value(), "以1号复查为准");

    // Settled: the detail comes back without the conflict, the form closes, the list reloads.
    let mut settled = in_conflict(Role::Supervisor);
    settled.conflict = None;
    settled.rect.status = "in_progress".into();
    let effects = update(&mut app, Action::BoardDetail(Box::new(settled)));
    assert!(matches!(effects.as_slice(), [Effect::LoadBoard { after: None, .. }]), "{effects:?}");
    assert!(board(&app).settle.is_none());
    assert_eq!(
        app.message.as_ref().map(|m| (m.error, m.text.as_str())),
        Some((false, "已裁决冲突：采用分支 2"))
    );
    assert_eq!(app.contexts(), vec![keymap::Ctx::Detail, keymap::Ctx::Global], "m is gone");
}

#[test]
fn esc_closes_the_form_and_m_means_nothing_without_a_conflict() {
    let mut app = on_detail(in_conflict(Role::Supervisor));
    press_char(&mut app, 'm');
    press(&mut app, key(KeyCode::Esc));
    assert!(board(&app).settle.is_none());
    assert!(board(&app).detail.is_some(), "back on the detail");

    let mut app = on_detail(detail("下原镇敬老院"));
    assert_eq!(press_char(&mut app, 'm'), vec![]);
    assert!(board(&app).settle.is_none());
    assert_eq!(app.message, None);
}
