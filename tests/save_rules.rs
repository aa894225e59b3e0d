#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The save checks of `inspection::rules` hold at submit too, for answers saved without the console (or
//! before the checks existed): a deadline before the inspection day and an end before its start refuse
//! the submit, naming the item.

use ducha::checklist::{AnswerKind, LoadReport, load_shipped};
use ducha::inspection::record::{self, Given, RecordError};
use ducha::inspection::rules::Rule;
use ducha::inspection::{Check, Finding, Value};
use ducha::store::{Store, sites};

/// A seeded database with an elderly-care draft whose required items are all answered (passes, the drill
/// held on site from 10:00 to `end`), and the first item failed with a deadline `days` after today.
fn answered(dir: &std::path::Path, end: &str, days: i64) -> (Store, String) {
    let mut store = Store::open(&dir.join("d.db")).unwrap();
    ducha::app::seed(&mut store, "测试员").unwrap();
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    let loaded = report.find("elderly_care_safety").unwrap();
    let site = sites::list(
        store.conn(),
        &sites::Filter { kind: Some(ducha::domain::Domain::ElderlyCare), town: None },
    )
    .unwrap()
    .into_iter()
    .next()
    .unwrap();
    let id = record::start(&mut store, "测试员", loaded, &site, &["测试员".into(), "王芳".into()]).unwrap();
    let today = chrono::Local::now().date_naive();
    for _ in 0..4 {
        let opened = record::open(&store, &id).unwrap();
        for slot in opened.sheet.slots() {
            if opened.sheet.answer(slot).is_some() || !opened.sheet.visible(slot) {
                continue;
            }
            let item = opened.sheet.item(slot).clone();
            let first = slot == opened.sheet.slots()[0];
            let value = match (&item.kind, item.id.as_str()) {
                (AnswerKind::Check, _) if first => Value::Check(Check::Fail),
                (AnswerKind::Check, _) => Value::Check(Check::Pass),
                (AnswerKind::Choice(o), "drill_source") => Value::Choice(o[0].key.clone()),
                (AnswerKind::Choice(o), _) => Value::Choice(o.iter().find(|o| !o.fail).unwrap().key.clone()),
                (AnswerKind::MultiChoice(o), _) => Value::Multi(vec![o[0].key.clone()]),
                (kind @ AnswerKind::DateTime, "drill_start") => {
                    Value::parse_input(kind, "2026-11-29 10:00").unwrap()
                }
                (kind @ AnswerKind::DateTime, "drill_end") => Value::parse_input(kind, end).unwrap(),
                (kind @ AnswerKind::DateTime, _) => Value::parse_input(kind, "2026-11-29 10:00").unwrap(),
                (kind @ AnswerKind::Date, _) => Value::parse_input(kind, "2026-11-29").unwrap(),
                (kind @ AnswerKind::Time, _) => Value::parse_input(kind, "10:00").unwrap(),
                (kind @ AnswerKind::Number(_), _) => Value::parse_input(kind, "60").unwrap(),
                (kind, _) => Value::parse_input(kind, "已核实").unwrap(),
            };
            let finding = Finding {
                problem: "未明确消防安全责任人".into(),
                deadline: today + chrono::Duration::days(days),
                ..record::default_finding(&opened.sheet, slot, today)
            };
            let failed = value.outcome(&item) == ducha::inspection::Outcome::Fail;
            let given = Given {
                item: &item,
                instance: slot.instance,
                value,
                note: "",
                finding: failed.then_some(&finding),
            };
            record::answer(&mut store, "测试员", &id, given).unwrap();
        }
    }
    // The first item demands a photo.
    let photo = dir.join("p.jpg");
    std::fs::write(&photo, b"photo").unwrap();
    let first = record::open(&store, &id).unwrap();
    let item = first.sheet.item(first.sheet.slots()[0]).id.clone();
    let folder = store.evidence_root().join(&id);
    store.write(|tx| ducha::store::evidence::attach(tx, "测试员", &id, &item, 0, &photo, &folder)).unwrap();
    (store, id)
}

fn submit(store: &mut Store, id: &str) -> Result<Vec<String>, RecordError> {
    let opened = record::open(store, id).unwrap();
    record::submit(store, "测试员", &opened, &["测试员".into(), "王芳".into()], "院长")
}

#[test]
fn a_deadline_before_the_inspection_day_refuses_the_submit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = answered(dir.path(), "2026-11-29 10:30", -1);
    let err = submit(&mut store, &id).unwrap_err();
    assert!(matches!(&err, RecordError::Rule(_, Rule::DeadlineBeforeInspection { .. })), "{err:?}");
    assert!(
        err.message(ducha::i18n::Lang::Zh).contains("早于检查日期"),
        "{}",
        err.message(ducha::i18n::Lang::Zh)
    );
}

#[test]
fn an_end_before_its_start_refuses_the_submit_and_a_later_one_submits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = answered(dir.path(), "2026-11-29 09:30", 7);
    let err = submit(&mut store, &id).unwrap_err();
    assert!(
        matches!(&err, RecordError::Rule(item, Rule::EndBeforeStart { .. }) if item == "drill_end"),
        "{err:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = answered(dir.path(), "2026-11-29 10:30", 7);
    assert_eq!(submit(&mut store, &id).unwrap().len(), 1, "one rectification for the failure");
}
