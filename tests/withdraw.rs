//! Amending a failed item to pass after submit withdraws its rectification (撤销): an event with the
//! amendment's reason, audited, shown in the history, the exports and the weekly figures, left off a
//! reprinted notice; failing again raises a new one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use ducha::checklist::{LoadReport, load_shipped};
use ducha::inspection::record;
use ducha::inspection::{Check, Value};
use ducha::store::rectifications;
use laptops::{INSPECTOR, Place, inspect, office};

fn amend(
    place: &Place,
    inspection: &str,
    item_id: &str,
    value: Value,
    finding: Option<&ducha::inspection::Finding>,
) {
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    let checklist = &report.find("elderly_care_safety").unwrap().checklist;
    let item = checklist.item(item_id).unwrap().clone();
    let given = record::Given { item: &item, instance: 0, value, note: "", finding };
    record::amend(&mut place.open(), INSPECTOR, inspection, given, "复核现场照片，出口实际畅通").unwrap();
}

#[test]
fn a_failure_amended_away_withdraws_its_rectification_visibly_everywhere() {
    let o = office();
    let (inspection, rects) = inspect(&o, INSPECTOR, "YL001", &["exit_unblocked", "fire_plan"]);
    let id = rects[0].clone();
    amend(&o, &inspection, "exit_unblocked", Value::Check(Check::Pass), None);

    let r = rectifications::get(o.open().conn(), &id).unwrap().unwrap();
    assert_eq!(r.status, "withdrawn");
    assert!(r.closed_at.is_some(), "closed, not open");
    let events = rectifications::events(o.open().conn(), &id).unwrap();
    let last = events.last().unwrap();
    assert_eq!((last.kind.as_str(), last.note.as_str()), ("withdraw", "复核现场照片，出口实际畅通"));
    let audited = ducha::store::audit::for_entity(o.open().conn(), "rectification", &id).unwrap();
    assert!(audited.iter().any(|a| a.action == "rectification.withdraw"));
    // Not counted open; not on the board's default list.
    let status = common::ducha(&o.db).arg("status").output().unwrap();
    assert!(String::from_utf8_lossy(&status.stdout).contains("open rectifications: 1"));

    // The rectification list shows it as withdrawn with the reason.
    let out = common::ducha(&o.db)
        .args(["--lang", "zh", "export", "rectifications", "--status", "withdrawn"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(csv.contains("已撤销") && csv.contains("复核现场照片，出口实际畅通"), "{csv}");
    // The weekly report counts it.
    let week =
        common::ducha(&o.db).args(["--lang", "zh", "report", "weekly", "--format", "csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&week.stdout).into_owned();
    let summary = text.lines().find(|l| l.starts_with("概况")).unwrap().to_string();
    assert_eq!(summary.split(',').nth(7), Some("1"), "{text}");
    // A reprinted notice lists only the rectification still to fix.
    let page = o.dir.path().join("n.html");
    let printed = common::ducha(&o.db)
        .args(["--user", INSPECTOR, "export", "notice", &inspection, "-o"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(&rectifications::get(o.open().conn(), &rects[1]).unwrap().unwrap().problem));
    assert_eq!(html.matches("现场发现的问题").count(), 1, "the withdrawn one is left off");

    // Failing again raises a new rectification; the withdrawn one stays in the record.
    let finding = ducha::inspection::Finding {
        problem: "复查时出口再次被杂物堵塞".into(),
        severity: ducha::domain::Severity::Critical,
        requirement: "立即清理".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        responsible: String::new(),
    };
    amend(&o, &inspection, "exit_unblocked", Value::Check(Check::Fail), Some(&finding));
    let all: Vec<String> = o
        .open()
        .conn()
        .prepare("SELECT status FROM rectifications WHERE inspection_id = ?1 AND item_id = 'exit_unblocked' ORDER BY created_at, id")
        .unwrap()
        .query_map([&inspection], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(all, ["withdrawn", "open"]);
}
