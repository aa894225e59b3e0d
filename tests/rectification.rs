#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Rectification follow-up: each transition and its refusals by role, notes required where the lifecycle
//! says, deadline extensions keeping every earlier deadline, settling a conflict, and the audit of it all.

mod common;

use chrono::NaiveDate;
use ducha::i18n::Lang;
use ducha::rectification::ops::{self, FollowError};
use ducha::rectification::{Status, Transition};
use ducha::roles::Role;
use ducha::store::{Store, audit, rectifications, users};

/// A database with one submitted inspection and one open rectification (a major hazard); users of each
/// role.
fn setup() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, id) = common::inspection::one_rectification(&dir.path().join("r.db"), true);
    (dir, store, id)
}

fn status(store: &Store, id: &str) -> String {
    rectifications::get(store.conn(), id).unwrap().unwrap().status
}

#[test]
fn a_rectification_goes_from_open_to_verified_with_who_when_and_notes_recorded() {
    let (dir, mut store, id) = setup();
    assert_eq!(
        ops::transition(&mut store, "检查员甲", &id, Transition::Start, "", Lang::Zh).unwrap(),
        Status::InProgress
    );
    assert_eq!(
        ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "已清理", Lang::Zh).unwrap(),
        Status::FixReported
    );
    assert_eq!(
        ops::transition(&mut store, "科长乙", &id, Transition::Reject, "三楼仍有堆物", Lang::Zh).unwrap(),
        Status::InProgress
    );
    // A major hazard: the second report carries a photo, so verifying it needs no confirmation.
    let photo = dir.path().join("通道.jpg");
    std::fs::write(&photo, b"photo of the cleared corridor").unwrap();
    let proof = ops::Proof { files: vec![photo], confirmed_without_evidence: false };
    ops::transition_with(&mut store, "检查员甲", &id, Transition::ReportFix, "全部清理", &proof, Lang::Zh)
        .unwrap();
    assert_eq!(
        ops::transition(&mut store, "科长乙", &id, Transition::Verify, "现场复查通过", Lang::Zh).unwrap(),
        Status::Verified
    );
    let r = rectifications::get(store.conn(), &id).unwrap().unwrap();
    assert_eq!(r.status, "verified");
    assert!(r.closed_at.is_some());
    let events = rectifications::events(store.conn(), &id).unwrap();
    let path: Vec<(String, String, String)> = events
        .iter()
        .filter(|e| e.kind == "transition")
        .map(|e| (e.to_status.clone().unwrap(), e.actor.clone(), e.note.clone()))
        .collect();
    assert_eq!(
        path,
        vec![
            ("in_progress".into(), "检查员甲".into(), "".into()),
            ("fix_reported".into(), "检查员甲".into(), "已清理".into()),
            ("in_progress".into(), "科长乙".into(), "三楼仍有堆物".into()),
            ("fix_reported".into(), "检查员甲".into(), "全部清理".into()),
            ("verified".into(), "科长乙".into(), "现场复查通过".into()),
        ]
    );
    assert!(events.iter().all(|e| !e.at.is_empty()));
    let audited = audit::for_entity(store.conn(), "rectification", &id).unwrap();
    assert_eq!(audited.iter().filter(|a| a.action == "rectification.transition").count(), 5);
}

#[test]
fn refusals_say_which_role_is_needed_and_change_nothing() {
    let (_d, mut store, id) = setup();
    ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "", Lang::Zh).unwrap();
    let err =
        ops::transition(&mut store, "检查员甲", &id, Transition::Verify, "看过了", Lang::Zh).unwrap_err();
    assert!(
        matches!(
            err,
            FollowError::Role(ducha::roles::RoleError::NeedsRole {
                needs: Role::Supervisor,
                has: Role::Inspector,
                ..
            })
        ),
        "{err:?}"
    );
    assert!(err.message(Lang::Zh).contains("科室负责人"), "{}", err.message(Lang::Zh));
    assert!(err.message(Lang::En).contains("supervisor"), "{}", err.message(Lang::En));
    assert_eq!(status(&store, &id), "fix_reported");

    let err = ops::transition(&mut store, "路人", &id, Transition::Start, "", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::Role(ducha::roles::RoleError::NotRegistered(_))));
    let err = ops::extend(
        &mut store,
        "检查员甲",
        &id,
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        "天气",
        Lang::En,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        FollowError::Role(ducha::roles::RoleError::NeedsRole { needs: Role::Supervisor, .. })
    ));
    // An admin may do what a supervisor may.
    ops::transition(&mut store, "管理员", &id, Transition::Reject, "照片不清楚", Lang::Zh).unwrap();
    assert_eq!(status(&store, &id), "in_progress");
}

#[test]
fn verifying_or_rejecting_needs_a_note_and_only_applies_to_a_reported_fix() {
    let (_d, mut store, id) = setup();
    let err =
        ops::transition(&mut store, "科长乙", &id, Transition::Verify, "现场看过", Lang::Zh).unwrap_err();
    assert!(
        matches!(err, FollowError::NotAllowed { status: Status::Open, transition: Transition::Verify }),
        "{err:?}"
    );
    ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "", Lang::Zh).unwrap();
    for t in [Transition::Verify, Transition::Reject] {
        let err = ops::transition(&mut store, "科长乙", &id, t, "   ", Lang::Zh).unwrap_err();
        assert!(matches!(err, FollowError::NoteRequired(_)), "{err:?}");
    }
    assert_eq!(status(&store, &id), "fix_reported");
}

#[test]
fn extending_keeps_every_earlier_deadline_and_needs_a_reason_and_a_later_date() {
    let (_d, mut store, id) = setup();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(matches!(
        ops::extend(&mut store, "科长乙", &id, d("2027-01-10"), " ", Lang::Zh),
        Err(FollowError::ReasonRequired)
    ));
    assert!(matches!(
        ops::extend(&mut store, "科长乙", &id, d("2026-12-10"), "x", Lang::Zh),
        Err(FollowError::NotLater { .. })
    ));
    ops::extend(&mut store, "科长乙", &id, d("2026-12-31"), "需采购防火门", Lang::Zh).unwrap();
    ops::extend(&mut store, "科长乙", &id, d("2027-01-15"), "春节前施工队不足", Lang::Zh).unwrap();
    assert_eq!(rectifications::get(store.conn(), &id).unwrap().unwrap().deadline, "2027-01-15");
    let history: Vec<(String, String, String)> = rectifications::events(store.conn(), &id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "extend")
        .map(|e| (e.old_deadline.unwrap(), e.new_deadline.unwrap(), e.note))
        .collect();
    assert_eq!(
        history,
        vec![
            ("2026-12-10".into(), "2026-12-31".into(), "需采购防火门".into()),
            ("2026-12-31".into(), "2027-01-15".into(), "春节前施工队不足".into()),
        ]
    );
}

#[test]
fn any_registered_user_may_add_a_follow_up_note() {
    let (_d, mut store, id) = setup();
    ops::note(&mut store, "检查员甲", &id, "电话催办，院长称下周完成", Lang::Zh).unwrap();
    assert!(matches!(ops::note(&mut store, "检查员甲", &id, "", Lang::Zh), Err(FollowError::EmptyNote)));
    let notes: Vec<String> = rectifications::events(store.conn(), &id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "note")
        .map(|e| e.note)
        .collect();
    assert_eq!(notes, ["电话催办，院长称下周完成"]);
}

#[test]
fn the_first_user_of_a_new_database_is_its_admin() {
    let (_d, store, _id) = setup();
    assert_eq!(users::role_of(store.conn(), "管理员").unwrap(), Some(Role::Admin));
    assert_eq!(users::list(store.conn()).unwrap().len(), 3);
}

/// Reported fixed, then verified here by 科长乙 while 管理员 rejected it on another laptop: a conflict.
/// Returns the verified head (branch 1) and the rejected one (branch 2).
fn conflicted() -> (tempfile::TempDir, Store, String, String, String) {
    let (dir, mut store, id) = setup();
    ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "已清理", Lang::Zh).unwrap();
    // A major hazard verified without fix evidence: confirmed.
    let confirmed = ops::Proof { files: vec![], confirmed_without_evidence: true };
    ops::transition_with(&mut store, "科长乙", &id, Transition::Verify, "现场复查通过", &confirmed, Lang::Zh)
        .unwrap();
    let verified = rectifications::folded(store.conn(), &id).unwrap().heads.remove(0);
    let rejected = common::conflict::fork(store.conn(), &id, "管理员", "in_progress", "三楼仍有堆物");
    (dir, store, id, verified, rejected)
}

fn conflict_column(store: &Store, id: &str) -> i64 {
    store.conn().query_row("SELECT conflict FROM rectifications WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

#[test]
fn settling_needs_a_supervisor_a_note_and_a_branch_of_a_real_conflict() {
    let (_d, mut store, id) = setup();
    let head = rectifications::folded(store.conn(), &id).unwrap().heads.remove(0);
    let err = ops::settle(&mut store, "科长乙", &id, &head, "无冲突", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::NotInConflict), "{err:?}");

    let (_d, mut store, id, verified, rejected) = conflicted();
    assert_eq!(status(&store, &id), "fix_reported", "the state both branches started from");
    let err = ops::settle(&mut store, "检查员甲", &id, &verified, "以复查为准", Lang::Zh).unwrap_err();
    assert!(
        matches!(err, FollowError::Role(ducha::roles::RoleError::NeedsRole { needs: Role::Supervisor, .. })),
        "{err:?}"
    );
    assert!(err.message(Lang::Zh).contains("裁决冲突需要科室负责人角色"), "{}", err.message(Lang::Zh));
    let err = ops::settle(&mut store, "检查员甲", &id, &verified, "x", Lang::En).unwrap_err();
    assert!(err.message(Lang::En).contains("settling a conflict needs the supervisor role"), "{err}");
    let err = ops::settle(&mut store, "科长乙", &id, &verified, "  ", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::SettleNoteRequired), "{err:?}");
    assert_eq!(err.message(Lang::Zh), "裁决冲突需要填写理由");
    let created = rectifications::events(store.conn(), &id).unwrap().remove(0).id;
    for unknown in [created.as_str(), "01NOSUCHEVENT0000000000000"] {
        let err = ops::settle(&mut store, "科长乙", &id, unknown, "以复查为准", Lang::Zh).unwrap_err();
        assert!(matches!(err, FollowError::UnknownBranch(_)), "{unknown}: {err:?}");
    }
    let err = ops::settle(&mut store, "科长乙", "no-such-id", &rejected, "x", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::NotFound(_)), "{err:?}");
    assert_eq!(
        (status(&store, &id), conflict_column(&store, &id)),
        ("fix_reported".into(), 1),
        "nothing changed"
    );
    let settles = audit::for_entity(store.conn(), "rectification", &id).unwrap();
    assert!(!settles.iter().any(|a| a.action == "rectification.settle"));
}

#[test]
fn while_in_conflict_transitions_and_extensions_are_refused_for_building_on_neither_branch() {
    let (_d, mut store, id, _, _) = conflicted();
    let err =
        ops::transition(&mut store, "科长乙", &id, Transition::Verify, "再次复查", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::InConflict), "{err:?}");
    assert!(err.message(Lang::Zh).contains("须科室负责人先裁决"), "{}", err.message(Lang::Zh));
    let later = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let err = ops::extend(&mut store, "科长乙", &id, later, "天气", Lang::En).unwrap_err();
    assert!(matches!(err, FollowError::InConflict), "{err:?}");
    ops::note(&mut store, "检查员甲", &id, "电话告知院长", Lang::Zh).unwrap();
    assert_eq!(conflict_column(&store, &id), 1, "a note settles nothing");
}

#[test]
fn settling_takes_the_chosen_branch_clears_the_conflict_is_audited_and_lets_work_go_on() {
    let (_d, mut store, id, verified, rejected) = conflicted();
    let to = ops::settle(&mut store, "科长乙", &id, &rejected, "以三楼现场为准", Lang::Zh).unwrap();
    assert_eq!(to, Status::InProgress);
    assert_eq!((status(&store, &id), conflict_column(&store, &id)), ("in_progress".into(), 0));
    assert!(rectifications::get(store.conn(), &id).unwrap().unwrap().closed_at.is_none());
    let events = rectifications::events(store.conn(), &id).unwrap();
    let last = events.into_iter().find(|e| e.kind == "settle").expect("a settle event");
    assert_eq!(
        (last.kind.as_str(), last.actor.as_str(), last.note.as_str()),
        ("settle", "科长乙", "以三楼现场为准")
    );
    assert_eq!(
        (last.parent.as_deref(), last.merges.clone()),
        (Some(rejected.as_str()), vec![verified.clone()])
    );
    assert_eq!(ducha::rectification::conflict::chosen_branch(&last), Some(2));
    let audited = audit::for_entity(store.conn(), "rectification", &id).unwrap();
    let settle = audited.iter().find(|a| a.action == "rectification.settle").expect("an audit row");
    assert_eq!(settle.actor, "科长乙");
    let new: serde_json::Value = serde_json::from_str(settle.new.as_deref().unwrap()).unwrap();
    assert_eq!(new["chosen"], serde_json::json!(rejected));
    assert_eq!(new["settles"], serde_json::json!([verified]));
    assert_eq!(new["status"], "in_progress");

    let err = ops::settle(&mut store, "科长乙", &id, &verified, "再裁一次", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::NotInConflict), "settled once");
    assert_eq!(
        ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "三楼已清", Lang::Zh).unwrap(),
        Status::FixReported,
        "work goes on from the chosen branch"
    );
}

#[test]
fn settling_on_the_verified_branch_closes_it_when_it_was_verified() {
    let (_d, mut store, id, verified, _) = conflicted();
    assert_eq!(
        ops::settle(&mut store, "管理员", &id, &verified, "以复查为准", Lang::Zh).unwrap(),
        Status::Verified
    );
    let r = rectifications::get(store.conn(), &id).unwrap().unwrap();
    let verified_at =
        rectifications::events(store.conn(), &id).unwrap().into_iter().find(|e| e.id == verified).unwrap().at;
    assert_eq!(r.closed_at, Some(verified_at), "closed when it was verified, not when it was settled");
}
