//! Conflicts across a merge: a rectification changed on two databases from the same state, an answer
//! amended on both, a site edited on both, a role raised on a laptop. Each is reported, nothing is
//! overwritten, no role rises; a supervisor's settlement travels back. Notice numbers never collide.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use ducha::i18n::Lang;
use ducha::rectification::Transition;
use ducha::rectification::ops;
use ducha::roles::Role;
use ducha::store::inspections::{self, NewAnswer};
use ducha::store::{rectifications, sites, users};
use laptops::{ADMIN, INSPECTOR, Place, SUPERVISOR, inspect, laptop_from, office};

fn status(p: &Place, id: &str) -> (String, bool) {
    let r = rectifications::get(p.open().conn(), id).unwrap().unwrap();
    let conflict = rectifications::folded(p.open().conn(), id).unwrap().conflict;
    (r.status, conflict)
}

fn step(p: &Place, user: &str, id: &str, t: Transition, note: &str) {
    ops::transition(&mut p.open(), user, id, t, note, Lang::En).unwrap();
}

/// 检查员甲 amends the answer to fire_plan of `inspection` at `p` to a pass with `note`, for `reason`;
/// returns the answer's new revision.
fn amend_fire_plan(p: &Place, inspection: &str, note: &str, reason: &str) -> u32 {
    let a =
        NewAnswer { item_id: "fire_plan", instance: 0, value: "pass", outcome: "pass", note, finding: None };
    p.open().write(|tx| inspections::amend(tx, INSPECTOR, inspection, &a, reason)).unwrap()
}

/// An office with one rectification whose fix was reported, and a laptop set up from it.
fn office_and_laptop() -> (Place, Place, String, String) {
    let o = office();
    let (inspection, rects) = inspect(&o, INSPECTOR, "YL001", &["exit_unblocked"]);
    let id = rects[0].clone();
    step(&o, INSPECTOR, &id, Transition::ReportFix, "已清理");
    let laptop = laptop_from(&o.handover("setup.hand"));
    (o, laptop, id, inspection)
}

#[test]
fn a_rectification_verified_at_the_office_and_rejected_on_site_is_a_conflict_until_a_supervisor_settles_it() {
    let (o, laptop, id, _) = office_and_laptop();
    step(&o, SUPERVISOR, &id, Transition::Verify, "现场复查合格");
    step(&laptop, SUPERVISOR, &id, Transition::Reject, "通道仍有杂物");

    let out = o.merge_ok(&[&laptop.handover("field.hand")]);
    assert!(out.contains("rectifications in conflict, to settle: 1"), "{out}");
    // Both branches kept; the state is the one both started from, never the later clock's.
    assert_eq!(status(&o, &id), ("fix_reported".into(), true));
    let events = rectifications::events(o.open().conn(), &id).unwrap();
    assert!(events.iter().any(|e| e.to_status.as_deref() == Some("verified")));
    assert!(events.iter().any(|e| e.to_status.as_deref() == Some("in_progress")));
    // No transition while in conflict.
    let refused = ops::transition(&mut o.open(), SUPERVISOR, &id, Transition::Verify, "再次", Lang::En);
    assert!(refused.is_err());
    // The laptop sees the same conflict from the office's file.
    laptop.merge_ok(&[&o.handover("office2.hand")]);
    assert_eq!(status(&laptop, &id), ("fix_reported".into(), true));

    // A supervisor settles it at the office, taking the site's rejection; the decision travels back.
    let heads = rectifications::folded(o.open().conn(), &id).unwrap().heads;
    let reject = events.iter().find(|e| e.to_status.as_deref() == Some("in_progress")).unwrap().id.clone();
    assert!(heads.contains(&reject));
    o.open().write(|tx| rectifications::settle(tx, SUPERVISOR, &id, &reject, "以现场复查为准")).unwrap();
    assert_eq!(status(&o, &id), ("in_progress".into(), false));
    let settled = ducha::store::audit::for_entity(o.open().conn(), "rectification", &id).unwrap();
    assert!(settled.iter().any(|a| a.action == "rectification.settle" && a.actor == SUPERVISOR));
    laptop.merge_ok(&[&o.handover("office3.hand")]);
    assert_eq!(status(&laptop, &id), ("in_progress".into(), false));
    assert_eq!(o.digests()["rectification_events"], laptop.digests()["rectification_events"]);
}

#[test]
fn two_amendments_of_one_answer_are_both_kept_and_reported() {
    let (o, laptop, _, inspection) = office_and_laptop();
    let amend = |p: &Place, note: &str| amend_fire_plan(p, &inspection, note, "补充检查");
    assert_eq!(amend(&o, "办公室补录"), 1);
    assert_eq!(amend(&laptop, "现场补录"), 1);
    let out = o.merge_ok(&[&laptop.handover("field.hand")]);
    let line = out.lines().find(|l| l.starts_with("answers")).unwrap();
    assert!(line.ends_with(" 1"), "one conflicting answer: {line}");
    let notes: Vec<String> = inspections::history(o.open().conn(), &inspection, "fire_plan", 0)
        .unwrap()
        .into_iter()
        .map(|a| a.note)
        .collect();
    assert_eq!(notes.len(), 2, "both revisions kept: {notes:?}");
    assert!(notes.contains(&"办公室补录".to_string()) && notes.contains(&"现场补录".to_string()));
}

#[test]
fn a_site_edited_on_both_sides_and_a_role_raised_on_a_laptop_are_listed_never_taken_from_the_field() {
    let (o, laptop, _, _) = office_and_laptop();
    let edit = |p: &Place, name: &str| {
        let store = p.open();
        let mut site = sites::by_code(store.conn(), "YL002").unwrap().unwrap().fields;
        site.name = name.into();
        let mut store = store;
        store.write(|tx| sites::upsert(tx, ADMIN, &site, false)).unwrap();
    };
    edit(&o, "如城街道敬老院（办公室）");
    edit(&laptop, "如城街道敬老院（现场）");
    laptop.open().write(|tx| users::upsert(tx, INSPECTOR, INSPECTOR, Role::Admin)).unwrap();

    let out = o.merge_ok(&[&laptop.handover("field.hand")]);
    assert!(out.contains("from a field database"), "{out}");
    let name = |p: &Place| sites::by_code(p.open().conn(), "YL002").unwrap().unwrap().fields.name;
    assert_eq!(name(&o), "如城街道敬老院（办公室）", "the office keeps its registry");
    assert_eq!(users::role_of(o.open().conn(), INSPECTOR).unwrap(), Some(Role::Inspector), "no role rises");
    assert_eq!(
        o.count("SELECT count(*) FROM reference_conflicts WHERE entity = 'site' AND key = 'YL002'"),
        1
    );
    assert_eq!(
        o.count("SELECT count(*) FROM reference_conflicts WHERE entity = 'user' AND key = '检查员甲'"),
        1
    );
    // Merging the same file again lists nothing new.
    o.merge_ok(&[&laptop.handover("field2.hand")]);
    assert_eq!(o.count("SELECT count(*) FROM reference_conflicts"), 2);

    // The laptop follows its office: the office's name and roles replace its own.
    laptop.merge_ok(&[&o.handover("office2.hand")]);
    assert_eq!(name(&laptop), "如城街道敬老院（办公室）");
    assert_eq!(users::role_of(laptop.open().conn(), INSPECTOR).unwrap(), Some(Role::Inspector));
    // An older office file does not undo a newer one.
    let older = o.handover("office-old.hand");
    edit(&o, "如城街道敬老院（新）");
    laptop.merge_ok(&[&o.handover("office3.hand")]);
    let out = laptop.merge_ok(&[&older]);
    assert!(out.contains("not newer"), "{out}");
    assert_eq!(name(&laptop), "如城街道敬老院（新）");
}

#[test]
fn notices_issued_on_two_laptops_never_share_a_number_and_a_reprint_keeps_the_first() {
    let o = office();
    let (l1, l2) = {
        let setup = o.handover("setup.hand");
        (laptop_from(&setup), laptop_from(&setup))
    };
    let (i1, _) = inspect(&l1, INSPECTOR, "YL001", &["exit_unblocked"]);
    let (i2, _) = inspect(&l2, INSPECTOR, "YL002", &["exit_unblocked"]);
    let issue = |p: &Place, id: &str| {
        p.open().write(|tx| ducha::store::notices::issue(tx, INSPECTOR, id, 2026)).unwrap().notice.number
    };
    let (n1, n2) = (issue(&l1, &i1), issue(&l2, &i2));
    assert_ne!(n1, n2, "both first of the year, on different devices");
    assert!(n1.contains(&l1.device().code) && n2.contains(&l2.device().code), "{n1} {n2}");
    o.merge_ok(&[&l1.handover("l1.hand"), &l2.handover("l2.hand")]);
    assert_eq!(o.count("SELECT count(DISTINCT number) FROM notices"), 2);
    // A reprint at the office carries the number the unit was given on site.
    assert_eq!(issue(&o, &i1), n1);
    assert_eq!(o.count("SELECT count(*) FROM notices"), 2, "no second number");
}

#[test]
fn an_admin_accepts_or_rejects_reference_conflicts_and_a_supervisor_settles_an_answer() {
    let (o, laptop, _, inspection) = office_and_laptop();
    let mut site = sites::by_code(laptop.open().conn(), "YL002").unwrap().unwrap().fields;
    site.phone = "0513-80000000".into();
    laptop.open().write(|tx| sites::upsert(tx, ADMIN, &site, false)).unwrap();
    laptop.open().write(|tx| users::upsert(tx, INSPECTOR, INSPECTOR, Role::Supervisor)).unwrap();
    for (p, note) in [(&o, "办公室"), (&laptop, "现场")] {
        amend_fire_plan(p, &inspection, note, "补充");
    }
    o.merge_ok(&[&laptop.handover("field.hand")]);
    let id_of = |entity: &str| -> String {
        o.open()
            .conn()
            .query_row("SELECT id FROM reference_conflicts WHERE entity = ?1", [entity], |r| r.get(0))
            .unwrap()
    };
    let run = |user: &str, args: &[&str]| {
        common::ducha(&o.db).args(["--user", user, "conflicts"]).args(args).output().unwrap()
    };
    let listed = run(ADMIN, &["list"]);
    let text = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        text.contains("YL002")
            && text.contains("phone: 0513-81641211 → 0513-80000000")
            && text.contains("--note): 1"),
        "{text}"
    );

    let refused = run(INSPECTOR, &["accept", &id_of("site")[..8]]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("admin"));
    assert!(run(ADMIN, &["accept", &id_of("site")[..8]]).status.success());
    assert_eq!(sites::by_code(o.open().conn(), "YL002").unwrap().unwrap().fields.phone, "0513-80000000");
    assert!(run(ADMIN, &["reject", &id_of("user")]).status.success());
    assert_eq!(users::role_of(o.open().conn(), INSPECTOR).unwrap(), Some(Role::Inspector));
    assert_eq!(o.count("SELECT count(*) FROM reference_conflicts WHERE decision IS NULL"), 0);
    let audited =
        o.count("SELECT count(*) FROM audit WHERE action IN ('conflict.accept', 'conflict.reject')");
    assert_eq!(audited, 2);

    let taken: String = o
        .open()
        .conn()
        .query_row("SELECT id FROM answers WHERE note = '现场' AND item_id = 'fire_plan'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        run(INSPECTOR, &["answer", &taken, "--note", "以现场为准"]).status.code(),
        Some(1),
        "supervisors only"
    );
    let settled = run(SUPERVISOR, &["answer", &taken, "--note", "以现场为准"]);
    assert!(settled.status.success(), "{}", String::from_utf8_lossy(&settled.stderr));
    let current = inspections::latest_answer(o.open().conn(), &inspection, "fire_plan", 0).unwrap().unwrap();
    assert_eq!((current.note.as_str(), current.revision), ("现场", 2));
    assert!(current.reason.contains("以现场为准"));
    assert!(ducha::consolidate::decide::answer_conflicts(o.open().conn()).unwrap().is_empty());
}
