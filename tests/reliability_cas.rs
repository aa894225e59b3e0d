#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Two consoles on one draft, at library level: every save carries the stamp of the answer its console
//! showed, and the store refuses (writing nothing) a save, a clear or a submit made on a view that another
//! process has changed since. `data_version` tells a connection that someone else committed.

use ducha::checklist::{LoadReport, load_shipped};
use ducha::inspection::record::{self, Given, RecordError};
use ducha::inspection::{Check, Value};
use ducha::store::{Store, StoreError, inspections};

const OUTLET: &str = "32068001";

fn setup() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    for name in ["王芳", "李强"] {
        store
            .write(|tx| ducha::store::users::upsert(tx, "管理员", name, ducha::roles::Role::Inspector))
            .unwrap();
    }
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let site = ducha::store::sites::by_code(store.conn(), OUTLET).unwrap().unwrap();
    let id = record::start(&mut store, "王芳", loaded, &site, &["王芳".into()]).unwrap();
    (dir, db, id)
}

/// The first check item of the inspection, and its instance.
fn check_item(opened: &record::Opened) -> (ducha::checklist::Item, u32) {
    let sheet = &opened.sheet;
    let slot = sheet
        .slots()
        .into_iter()
        .find(|s| sheet.visible(*s) && sheet.item(*s).kind == ducha::checklist::AnswerKind::Check)
        .unwrap();
    (sheet.item(slot).clone(), slot.instance)
}

fn given(item: &ducha::checklist::Item, instance: u32, v: Check) -> Given<'_> {
    Given { item, instance, value: Value::Check(v), note: "", finding: None }
}

fn stored_value(store: &Store, id: &str, item: &str, instance: u32) -> Option<String> {
    inspections::latest_answer(store.conn(), id, item, instance).unwrap().map(|a| a.value)
}

#[test]
fn a_save_on_a_view_another_window_changed_is_refused_and_writes_nothing() {
    let (_d, db, id) = setup();
    let mut a = Store::open(&db).unwrap();
    let mut b = Store::open(&db).unwrap();
    let view_a = record::open(&a, &id).unwrap();
    let view_b = record::open(&b, &id).unwrap();
    let (item, instance) = check_item(&view_a);
    let key = (item.id.clone(), instance);
    assert_eq!(view_a.stamps.get(&key), None, "nothing answered yet");

    // B answers first, on what it saw (no answer): accepted.
    let saved_b = record::answer_seen(
        &mut b,
        "李强",
        &id,
        given(&item, instance, Check::Fail),
        view_b.stamps.get(&key).map(String::as_str),
    )
    .unwrap();
    assert_eq!(saved_b.value, Value::Check(Check::Fail));
    let audits_before: i64 = a.conn().query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();

    // A still shows no answer: its save is refused, B's answer stays.
    let err =
        record::answer_seen(&mut a, "王芳", &id, given(&item, instance, Check::Pass), None).unwrap_err();
    assert!(err.is_changed(), "{err:?}");
    let RecordError::Store(StoreError::Changed { item_id, current, .. }) = &err else { panic!("{err:?}") };
    assert_eq!(item_id, &item.id);
    assert_eq!(current.as_deref(), Some("fail"), "the refusal names what is stored now");
    assert!(
        err.message(ducha::i18n::Lang::Zh).contains("另一窗口"),
        "{}",
        err.message(ducha::i18n::Lang::Zh)
    );
    assert_eq!(stored_value(&a, &id, &item.id, instance).as_deref(), Some("fail"));
    let audits_after: i64 = a.conn().query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    assert_eq!(audits_before, audits_after, "a refused save leaves no audit row");

    // A clearing what it never saw is refused too.
    let err = record::clear_seen(&mut a, "王芳", &id, &item.id, instance, Some("0000")).unwrap_err();
    assert!(err.is_changed(), "{err:?}");
    assert_eq!(stored_value(&a, &id, &item.id, instance).as_deref(), Some("fail"));

    // After reloading A sees B's answer (its stamp is the one B's console computed) and may change it.
    let reloaded = record::open(&a, &id).unwrap();
    let stamp = reloaded.stamps.get(&key).cloned().unwrap();
    assert_eq!(
        stamp,
        record::stamp_of(&item.id, instance, &saved_b),
        "the saver's stamp is the stored row's"
    );
    record::answer_seen(&mut a, "王芳", &id, given(&item, instance, Check::Pass), Some(&stamp)).unwrap();
    assert_eq!(stored_value(&a, &id, &item.id, instance).as_deref(), Some("pass"));

    // And B, which still shows its own fail, is now refused in turn.
    let err = record::answer_seen(&mut b, "李强", &id, given(&item, instance, Check::Na), Some(&stamp))
        .unwrap_err();
    assert!(err.is_changed());
    assert_eq!(stored_value(&b, &id, &item.id, instance).as_deref(), Some("pass"));
}

#[test]
fn the_same_answer_given_again_elsewhere_is_not_a_conflict_but_a_new_note_is() {
    let (_d, db, id) = setup();
    let mut a = Store::open(&db).unwrap();
    let mut b = Store::open(&db).unwrap();
    let view = record::open(&a, &id).unwrap();
    let (item, instance) = check_item(&view);
    let first = record::answer_seen(&mut a, "王芳", &id, given(&item, instance, Check::Pass), None).unwrap();
    let stamp = record::stamp_of(&item.id, instance, &first);
    // B gives the very same content: what A saw is still what is stored.
    record::answer_seen(&mut b, "李强", &id, given(&item, instance, Check::Pass), Some(&stamp)).unwrap();
    record::answer_seen(&mut a, "王芳", &id, given(&item, instance, Check::Fail), Some(&stamp)).unwrap();
    // B adds a note to the (now failed) answer without having seen the failure: refused.
    let g =
        Given { item: &item, instance, value: Value::Check(Check::Pass), note: "B 的备注", finding: None };
    assert!(record::answer_seen(&mut b, "李强", &id, g, Some(&stamp)).unwrap_err().is_changed());
}

#[test]
fn data_version_moves_only_for_another_connections_commit() {
    let (_d, db, id) = setup();
    let mut a = Store::open(&db).unwrap();
    let mut b = Store::open(&db).unwrap();
    let before = inspections::data_version(a.conn()).unwrap();
    let view = record::open(&a, &id).unwrap();
    assert_eq!(view.data_version, before);
    let (item, instance) = check_item(&view);
    record::answer_seen(&mut a, "王芳", &id, given(&item, instance, Check::Pass), None).unwrap();
    assert_eq!(inspections::data_version(a.conn()).unwrap(), before, "its own write does not count");
    let stamp = record::open(&a, &id).unwrap().stamps[&(item.id.clone(), instance)].clone();
    record::answer_seen(&mut b, "李强", &id, given(&item, instance, Check::Na), Some(&stamp)).unwrap();
    assert_ne!(inspections::data_version(a.conn()).unwrap(), before, "another window's commit is seen");
}

#[test]
fn a_submit_of_answers_changed_since_they_were_reviewed_is_refused() {
    let (_d, db, id) = setup();
    let mut a = Store::open(&db).unwrap();
    let mut b = Store::open(&db).unwrap();
    // Answer everything that is required, as A.
    let mut opened = record::open(&a, &id).unwrap();
    for slot in opened.sheet.slots() {
        let sheet = record::open(&a, &id).unwrap().sheet;
        if !sheet.visible(slot) || sheet.answer(slot).is_some() {
            continue;
        }
        let item = sheet.item(slot).clone();
        let value = match &item.kind {
            ducha::checklist::AnswerKind::Check => Value::Check(Check::Pass),
            ducha::checklist::AnswerKind::Number(spec) => Value::Number(spec.pass_min.unwrap_or(0.0) + 300.0),
            ducha::checklist::AnswerKind::Choice(o) => {
                Value::Choice(o.iter().find(|o| !o.fail).unwrap().key.clone())
            }
            ducha::checklist::AnswerKind::MultiChoice(o) => Value::Multi(vec![o[0].key.clone()]),
            _ => Value::Text("无".into()),
        };
        let g = Given { item: &item, instance: slot.instance, value, note: "", finding: None };
        record::answer(&mut a, "王芳", &id, g).unwrap();
    }
    opened = record::open(&a, &id).unwrap();
    let reviewed = opened.stamps.clone();
    // B passes → n/a one item after A reviewed the summary.
    let (item, instance) = check_item(&opened);
    let stamp = reviewed[&(item.id.clone(), instance)].clone();
    record::answer_seen(&mut b, "李强", &id, given(&item, instance, Check::Na), Some(&stamp)).unwrap();
    let fresh = record::open(&a, &id).unwrap();
    let err =
        record::submit_seen(&mut a, "王芳", &fresh, &["王芳".into()], "张店主", Some(&reviewed)).unwrap_err();
    assert!(err.is_changed(), "{err:?}");
    let status: String =
        a.conn().query_row("SELECT status FROM inspections WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(status, "draft", "nothing was submitted");
    // Reviewed again, it goes through.
    record::submit_seen(&mut a, "王芳", &fresh, &["王芳".into()], "张店主", Some(&fresh.stamps)).unwrap();
}
