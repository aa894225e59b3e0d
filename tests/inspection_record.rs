#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The inspection record flow at library level: start, answer, fail with a finding, submit (one
//! rectification per failure, audit rows), lock, amend with a reason.

mod common;

use chrono::NaiveDate;
use common::inspection::{fail_first_item, log_shift, submit_shift};
use ducha::checklist::LoadReport;
use ducha::inspection::record::{self, RecordError};
use ducha::inspection::{Check, Finding, Missing, Value};
use ducha::store::sites::{self, Filter};
use ducha::store::{Store, audit, inspections};

fn setup() -> (tempfile::TempDir, Store, LoadReport) {
    let dir = tempfile::tempdir().unwrap();
    let (store, report) = common::inspection::with_inspector(&dir.path().join("t.db"));
    (dir, store, report)
}

fn site(store: &Store, code: &str) -> sites::Site {
    sites::by_code(store.conn(), code).unwrap().unwrap()
}

#[test]
fn an_enforcement_inspection_needs_two_inspectors() {
    let (_d, mut store, report) = setup();
    let social =
        sites::list(store.conn(), &Filter { kind: Some(ducha::domain::Domain::SocialOrg), town: None })
            .unwrap()
            .remove(0);
    let loaded = report.find("social_org_enforcement").unwrap();
    let err =
        record::start(&mut store, "王芳", loaded, &social, &["王芳".into(), " 王芳 ".into()]).unwrap_err();
    assert!(matches!(err, RecordError::TooFewInspectors { need: 2, have: 1 }), "{err:?}");
    assert!(record::start(&mut store, "王芳", loaded, &social, &["王芳".into(), "李强".into()]).is_ok());
}

#[test]
fn only_registered_users_record_inspections() {
    let (_d, mut store, report) = setup();
    let outlet = site(&store, "32068001");
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let err = record::start(&mut store, "陌生人", loaded, &outlet, &["陌生人".into()]).unwrap_err();
    assert!(matches!(err, RecordError::Role(ducha::roles::RoleError::NotRegistered(_))), "{err:?}");
    assert!(err.message(ducha::i18n::Lang::Zh).contains("ducha users add"));
}

#[test]
fn a_checklist_is_only_offered_for_its_kind_of_site() {
    let (_d, mut store, report) = setup();
    let outlet = site(&store, "32068001");
    let loaded = report.find("elderly_care_safety").unwrap();
    let err = record::start(&mut store, "王芳", loaded, &outlet, &["王芳".into()]).unwrap_err();
    assert!(matches!(err, RecordError::NotApplicable));
}

#[test]
fn a_complete_inspection_with_a_failure_creates_one_rectification_and_locks() {
    let (_d, mut store, report) = setup();
    let outlet = site(&store, "32068001");
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let id = record::start(&mut store, "王芳", loaded, &outlet, &["王芳".into()]).unwrap();
    let opened = record::open(&store, &id).unwrap();
    let mut sheet = opened.sheet.clone();
    let slots = sheet.slots();
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let mut failed_item = String::new();
    // Answer every shown item: the first check item fails, everything else passes or gets a sensible value.
    for slot in slots {
        if !sheet.visible(slot) {
            continue;
        }
        let item = sheet.item(slot).clone();
        let (value, finding) = match &item.kind {
            ducha::checklist::AnswerKind::Check if failed_item.is_empty() && !item.evidence_on_fail => {
                failed_item = item.id.clone();
                let mut f = record::default_finding(&sheet, slot, today);
                f.problem = "未悬挂代销证".into();
                (Value::Check(Check::Fail), Some(f))
            }
            ducha::checklist::AnswerKind::Check => (Value::Check(Check::Pass), None),
            ducha::checklist::AnswerKind::Number(spec) => {
                (Value::Number(spec.pass_min.unwrap_or(0.0) + 300.0), None)
            }
            ducha::checklist::AnswerKind::Choice(opts) => {
                (Value::Choice(opts.iter().find(|o| !o.fail).unwrap().key.clone()), None)
            }
            ducha::checklist::AnswerKind::MultiChoice(opts) => {
                (Value::Multi(vec![opts[0].key.clone()]), None)
            }
            _ => (Value::Text("无".into()), None),
        };
        let a = record::answer(
            &mut store,
            "王芳",
            &id,
            record::Given {
                item: &item,
                instance: slot.instance,
                value,
                note: "",
                finding: finding.as_ref(),
            },
        )
        .unwrap();
        sheet.answers.insert((item.id.clone(), slot.instance), a);
    }
    assert_eq!(sheet.failures().len(), 1);
    // What is stored equals what the sheet holds.
    let reopened = record::open(&store, &id).unwrap();
    assert_eq!(reopened.sheet.answers, sheet.answers);

    let opened = record::Opened { sheet, ..reopened };
    let rects = record::submit(&mut store, "王芳", &opened, &["王芳".into()], "张店主").unwrap();
    assert_eq!(rects.len(), 1);
    let (item_id, status, deadline, problem): (String, String, String, String) = store
        .conn()
        .query_row(
            "SELECT item_id, status, deadline, problem FROM rectifications WHERE id = ?1",
            [&rects[0]],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (item_id.as_str(), status.as_str(), problem.as_str()),
        (failed_item.as_str(), "open", "未悬挂代销证")
    );
    let item = loaded.checklist.item(&failed_item).unwrap();
    assert_eq!(deadline, (today + chrono::Duration::days(i64::from(item.deadline_days))).to_string());
    let audit_rows = audit::for_entity(store.conn(), "inspection", &id).unwrap();
    assert!(audit_rows.iter().any(|r| r.action == "inspection.submit"));
    assert_eq!(audit::for_entity(store.conn(), "rectification", &rects[0]).unwrap().len(), 1);

    // Locked: a plain edit is refused, an amendment needs a reason and keeps the old revision.
    let slot = opened.sheet.failures()[0];
    let err = record::answer(
        &mut store,
        "王芳",
        &id,
        record::Given {
            item: opened.sheet.item(slot),
            instance: slot.instance,
            value: Value::Check(Check::Pass),
            note: "",
            finding: None,
        },
    );
    assert!(err.is_err());
    let mut amend = |reason: &str| {
        store.write(|tx| {
            inspections::amend(
                tx,
                "王芳",
                &id,
                &inspections::NewAnswer {
                    item_id: &failed_item,
                    instance: 0,
                    value: "pass",
                    outcome: "pass",
                    note: "",
                    finding: None,
                },
                reason,
            )
        })
    };
    assert!(amend("  ").is_err());
    assert_eq!(amend("现场复核后确认已悬挂").unwrap(), 2);
    let history = inspections::history(store.conn(), &id, &failed_item, 0).unwrap();
    assert_eq!(history.iter().map(|h| h.value.as_str()).collect::<Vec<_>>(), ["fail", "pass"]);
    assert_eq!(history[1].reason, "现场复核后确认已悬挂");

    // Correcting a passed item into a failure needs its problem, and raises its rectification once.
    let passed = opened.sheet.slots().into_iter().find(|s| {
        opened.sheet.item(*s).kind == ducha::checklist::AnswerKind::Check
            && opened.sheet.answer(*s).is_some_and(|a| a.outcome == ducha::inspection::Outcome::Pass)
    });
    let slot = passed.unwrap();
    let item = opened.sheet.item(slot).clone();
    let fail = |finding| record::Given {
        item: &item,
        instance: 0,
        value: Value::Check(Check::Fail),
        note: "",
        finding,
    };
    let err = record::amend(&mut store, "王芳", &id, fail(None), "复核").unwrap_err();
    assert!(matches!(err, RecordError::NoProblem(_)), "{err:?}");
    let f = Finding {
        problem: "复核发现未公示开奖结果".into(),
        ..record::default_finding(&opened.sheet, slot, today)
    };
    record::amend(&mut store, "王芳", &id, fail(Some(&f)), "复核").unwrap();
    record::amend(&mut store, "王芳", &id, fail(Some(&f)), "再次复核").unwrap();
    let raised: Vec<String> = store
        .conn()
        .prepare("SELECT problem FROM rectifications WHERE inspection_id = ?1 AND item_id = ?2")
        .unwrap()
        .query_map([&id, &item.id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(raised, ["复核发现未公示开奖结果"]);
}

#[test]
fn submit_lists_what_is_missing_and_refuses_undescribed_failures() {
    let (_d, mut store, report) = setup();
    let home = site(&store, "YL001");
    let loaded = report.find("elderly_care_safety").unwrap();
    let id = record::start(&mut store, "王芳", loaded, &home, &["王芳".into()]).unwrap();
    let opened = record::open(&store, &id).unwrap();
    let err = record::submit(&mut store, "王芳", &opened, &["王芳".into()], "").unwrap_err();
    let RecordError::Missing(missing) = err else { panic!("{err:?}") };
    assert!(missing.iter().any(|m| matches!(m, Missing::Item(_))));
    let slot = opened.sheet.slots()[0];
    let f = Finding {
        problem: String::new(),
        ..record::default_finding(&opened.sheet, slot, chrono::Local::now().date_naive())
    };
    let a = record::answer(
        &mut store,
        "王芳",
        &id,
        record::Given {
            item: opened.sheet.item(slot),
            instance: slot.instance,
            value: Value::Check(Check::Fail),
            note: "",
            finding: Some(&f),
        },
    )
    .unwrap();
    let mut sheet = opened.sheet.clone();
    sheet.answers.insert((sheet.item(slot).id.clone(), 0), a);
    assert!(matches!(record::check_submittable(&sheet), Err(RecordError::Missing(_))));
}

#[test]
fn duty_log_shifts_are_listed_by_date_and_a_new_shift_starts_from_the_last_handover() {
    use ducha::store::duty_log::{self, LogItems};
    let (_d, mut store, report) = setup();
    let station = site(&store, "JZ001");
    let loaded = report.find("rescue_station_duty_log").unwrap();
    let log = loaded.checklist.log.clone().unwrap();
    let items = LogItems {
        checklist_id: &loaded.checklist.id,
        shift_start: &log.shift_start,
        shift_end: &log.shift_end,
        officers: &log.officers,
        handover: &log.handover,
    };
    assert_eq!(duty_log::last_handover(store.conn(), &station.id, &items).unwrap(), "");
    // Entered out of order: the list goes by shift start, not by when a shift was entered.
    for (start, end, handover) in [
        ("2026-11-27 08:00", "2026-11-27 20:00", "张伟、刘洋"),
        ("2026-11-28 08:00", "2026-11-28 20:00", ""),
        ("2026-11-26 08:00", "2026-11-26 20:00", "赵敏"),
    ] {
        let answers = [
            (&*log.shift_start, start),
            (&*log.shift_end, end),
            (&*log.officers, "王芳"),
            (&*log.handover, handover),
        ];
        let id = log_shift(&mut store, loaded, &station, &answers);
        submit_shift(&mut store, &id);
    }
    let entries = duty_log::log_entries(store.conn(), &items, 10).unwrap();
    let starts: Vec<&str> = entries.iter().map(|e| e.shift_start.as_str()).collect();
    assert_eq!(starts, ["2026-11-28 08:00", "2026-11-27 08:00", "2026-11-26 08:00"]);
    assert_eq!(entries[0].handover, "", "the newest shift has no handover sign-off");
    assert_eq!(entries[1].handover, "张伟、刘洋");
    // The latest shift had no handover: an older shift's would name the wrong people, so nothing is prefilled.
    assert_eq!(duty_log::last_handover(store.conn(), &station.id, &items).unwrap(), "");
    let id = log_shift(
        &mut store,
        loaded,
        &station,
        &[(&*log.shift_start, "2026-11-29 08:00"), (&*log.handover, "孙丽、周杰")],
    );
    assert_eq!(
        duty_log::last_handover(store.conn(), &station.id, &items).unwrap(),
        "",
        "a draft does not count"
    );
    submit_shift(&mut store, &id);
    assert_eq!(duty_log::last_handover(store.conn(), &station.id, &items).unwrap(), "孙丽、周杰");
    assert_eq!(duty_log::log_entries(store.conn(), &items, 10).unwrap().len(), 4);
}

#[test]
fn evidence_is_copied_beside_the_database_with_its_hash_and_a_missing_file_is_a_clear_error() {
    use ducha::store::evidence;
    let (dir, mut store, report) = setup();
    let outlet = site(&store, "32068001");
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let id = record::start(&mut store, "王芳", loaded, &outlet, &["王芳".into()]).unwrap();
    let (slot, item) = fail_first_item(&mut store, "王芳", &id);
    let photo = dir.path().join("现场照片.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFFfake jpeg bytes").unwrap();
    let evidence_dir = dir.path().join("evidence").join(&id);
    let stored =
        store.write(|tx| evidence::attach(tx, "王芳", &id, &item, 0, &photo, &evidence_dir)).unwrap();
    let copy = evidence_dir.join(&stored);
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&photo).unwrap());
    let sha = ducha::checklist::sha256_hex(&std::fs::read(&photo).unwrap());
    assert!(stored.starts_with(&sha[..12]) && stored.ends_with("现场照片.jpg"), "{stored}");
    let answer = inspections::latest_answer(store.conn(), &id, &item, 0).unwrap().unwrap();
    assert_eq!(evidence::for_answer(store.conn(), &answer.id).unwrap(), vec![(stored.clone(), sha)]);
    assert!(
        audit::for_entity(store.conn(), "answer", &answer.id)
            .unwrap()
            .iter()
            .any(|r| r.action == "evidence.attach")
    );
    // The sheet counts it, so an item that demands evidence can now be submitted.
    assert_eq!(record::open(&store, &id).unwrap().sheet.answer(slot).unwrap().evidence, 1);

    let missing = dir.path().join("不存在.jpg");
    let err =
        store.write(|tx| evidence::attach(tx, "王芳", &id, &item, 0, &missing, &evidence_dir)).unwrap_err();
    assert!(err.to_string().contains("不存在.jpg"), "{err}");
    assert_eq!(
        evidence::for_answer(store.conn(), &answer.id).unwrap().len(),
        1,
        "nothing recorded for the failure"
    );
}
