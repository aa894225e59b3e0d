#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The rules under both faces: a submit needs the site representative's name or a recorded refusal (拒签),
//! kept with the inspection and in its audit entry; a duty log's shift needs neither, and the officers
//! named when a shift starts are the answer to its officers item.

mod common;

use ducha::checklist::{AnswerKind, LoadReport};
use ducha::inspection::record::{self, RecordError};
use ducha::inspection::{Check, SignOff, Value};
use ducha::store::{Store, inspections, sites};

fn setup() -> (tempfile::TempDir, Store, LoadReport) {
    let dir = tempfile::tempdir().unwrap();
    let (store, report) = common::inspection::with_inspector(&dir.path().join("t.db"));
    (dir, store, report)
}

/// A lottery-outlet inspection with every shown item answered as a pass (or a harmless value).
fn answered(store: &mut Store, report: &LoadReport) -> record::Opened {
    let outlet = sites::by_code(store.conn(), "32068001").unwrap().unwrap();
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let id = record::start(store, "王芳", loaded, &outlet, &["王芳".into()]).unwrap();
    let mut opened = record::open(store, &id).unwrap();
    for slot in opened.sheet.slots() {
        if !opened.sheet.visible(slot) {
            continue;
        }
        let item = opened.sheet.item(slot).clone();
        let value = match &item.kind {
            AnswerKind::Check => Value::Check(Check::Pass),
            AnswerKind::Number(spec) => Value::Number(spec.pass_min.unwrap_or(0.0) + 300.0),
            AnswerKind::Choice(opts) => Value::Choice(opts.iter().find(|o| !o.fail).unwrap().key.clone()),
            AnswerKind::MultiChoice(opts) => Value::Multi(vec![opts[0].key.clone()]),
            _ => Value::Text("无".into()),
        };
        let given = record::Given { item: &item, instance: slot.instance, value, note: "", finding: None };
        let a = record::answer(store, "王芳", &id, given).unwrap();
        opened.sheet.answers.insert((item.id.clone(), slot.instance), a);
    }
    opened
}

#[test]
fn a_submit_without_the_representative_or_a_refusal_is_refused() {
    let (_d, mut store, report) = setup();
    let opened = answered(&mut store, &report);
    for blank in ["", "   "] {
        let err = record::submit(&mut store, "王芳", &opened, &["王芳".into()], blank).unwrap_err();
        assert!(matches!(err, RecordError::NoSignOff), "{err:?}");
        assert_eq!(err.message(ducha::i18n::Lang::Zh), "须填写被检查单位代表姓名，或记录拒签");
    }
    let head = inspections::get(store.conn(), &opened.head.id).unwrap().unwrap();
    assert_eq!(head.status, inspections::Status::Draft, "still a draft");
}

#[test]
fn a_refusal_to_sign_is_recorded_with_the_inspection_and_in_the_audit() {
    let (_d, mut store, report) = setup();
    let opened = answered(&mut store, &report);
    let refused = SignOff::Refused("张店主".into()).stored();
    record::submit(&mut store, "王芳", &opened, &["王芳".into()], &refused).unwrap();
    let head = inspections::get(store.conn(), &opened.head.id).unwrap().unwrap();
    assert_eq!(head.site_representative, "张店主（拒签）");
    assert_eq!(SignOff::parse(&head.site_representative), Some(SignOff::Refused("张店主".into())));
    let audited: String = store
        .conn()
        .query_row(
            "SELECT new FROM audit WHERE action = 'inspection.submit' AND entity_id = ?1",
            [&opened.head.id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audited.contains("张店主（拒签）"), "{audited}");
}

#[test]
fn a_duty_log_shift_starts_with_its_officers_answered_and_needs_no_representative() {
    let (_d, mut store, report) = setup();
    let station = sites::by_code(store.conn(), "JZ001").unwrap().unwrap();
    let loaded = report.find("rescue_station_duty_log").unwrap();
    let id = record::start(&mut store, "王芳", loaded, &station, &["王芳".into(), "李强".into()]).unwrap();
    let opened = record::open(&store, &id).unwrap();
    let officers = &loaded.checklist.log.as_ref().unwrap().officers;
    let answer = opened.sheet.answers.get(&(officers.clone(), 0)).expect("the officers item is answered");
    assert_eq!(answer.value, Value::Text("王芳、李强".into()));
    let stored = inspections::latest_answer(store.conn(), &id, officers, 0).unwrap().unwrap();
    assert_eq!((stored.value.as_str(), stored.revision), ("王芳、李强", 1));
    assert!(!record::needs_sign_off(&opened.sheet), "a shift is handed over, not signed by a unit");
}
