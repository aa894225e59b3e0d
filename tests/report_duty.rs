#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Duty-log coverage: gaps between shifts (overlapping and touching shifts merge, a shift with no end
//! covers nothing, the shift in progress covers until now), shifts without a handover sign-off, drafts
//! marked — in the library and through the binary.

mod common;

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use ducha::checklist::Loaded;
use ducha::report::duty::{Gap, Issue, LogCoverage, ShiftState};
use ducha::report::duty_report;
use ducha::store::{Store, set_clock, sites};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// One shift of the rescue station's log, answered as the console does; submitted unless `draft`.
fn log_shift(store: &mut Store, loaded: &Loaded, answers: &[(&str, &str)], draft: bool) -> String {
    let station = sites::by_code(store.conn(), "JZ001").unwrap().unwrap();
    let id = common::inspection::log_shift(store, loaded, &station, answers);
    if !draft {
        common::inspection::submit_shift(store, &id);
    }
    id
}

/// The station's shifts around 2025-11-01 .. 2025-11-04 (the items are named in the log's [log] table).
fn setup(db: &std::path::Path) -> Store {
    let (mut store, report) = common::inspection::with_inspector(db);
    let loaded = report.find("rescue_station_duty_log").unwrap();
    let log = loaded.checklist.log.clone().unwrap();
    // (start, end, handover, draft)
    let shifts = [
        ("2025-10-20 08:00", "2025-10-20 20:00", "赵敏", false), // before the period
        ("2025-11-01 08:00", "2025-11-01 20:00", "张伟", false),
        ("2025-11-01 20:00", "2025-11-02 08:00", "", false), // touches the one before; not signed
        ("2025-11-02 08:00", "2025-11-02 18:00", "李强", false),
        ("2025-11-02 16:00", "2025-11-02 22:00", "赵敏", false), // overlaps the one before
        ("2025-11-03 08:00", "", "", false),                     // no end recorded
        ("2025-11-03 12:00", "2025-11-03 20:00", "王芳", true),  // a draft covers its time
        ("2025-11-04 08:00", "", "", true),                      // the shift in progress
    ];
    for (start, end, handover, draft) in shifts {
        let answers = [
            (&*log.shift_start, start),
            (&*log.shift_end, end),
            (&*log.officers, "王芳、刘洋"),
            (&*log.handover, handover),
        ];
        log_shift(&mut store, loaded, &answers, draft);
    }
    // A draft begun in the period with no start yet.
    let eight = FixedOffset::east_opt(8 * 3600).unwrap();
    set_clock(Some(eight.from_local_datetime(&t("2025-11-03 09:00")).unwrap()));
    log_shift(&mut store, loaded, &[(&*log.officers, "刘洋")], true);
    set_clock(None);
    store
}

fn station(logs: &[LogCoverage]) -> &LogCoverage {
    let found: Vec<&LogCoverage> = logs.iter().filter(|l| l.site_code == "JZ001").collect();
    assert_eq!(found.len(), 1, "one duty log at the one rescue station");
    found[0]
}

#[test]
fn gaps_are_the_periods_no_shift_covers() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir.path().join("d.db"));
    let rep = duty_report(store.conn(), t("2025-11-01 00:00"), t("2025-11-04 12:00"), t("2025-11-04 12:00"))
        .unwrap();
    let log = station(&rep.logs);
    assert_eq!(log.checklist_id, "rescue_station_duty_log");
    assert_eq!(
        log.gaps,
        vec![
            Gap { from: t("2025-11-01 00:00"), to: t("2025-11-01 08:00") },
            // The 11-03 08:00 shift has no end, so it covers nothing until the draft at 12:00.
            Gap { from: t("2025-11-02 22:00"), to: t("2025-11-03 12:00") },
            Gap { from: t("2025-11-03 20:00"), to: t("2025-11-04 08:00") },
        ]
    );
    assert_eq!(log.gap_minutes(), 8 * 60 + 14 * 60 + 12 * 60);

    let starts: Vec<String> =
        log.shifts.iter().map(|s| s.start.map(|t| t.to_string()).unwrap_or_default()).collect();
    assert_eq!(
        starts,
        [
            "2025-11-01 08:00:00",
            "2025-11-01 20:00:00",
            "2025-11-02 08:00:00",
            "2025-11-02 16:00:00",
            "2025-11-03 08:00:00",
            "2025-11-03 12:00:00",
            "2025-11-04 08:00:00",
            "",
        ],
        "the shift before the period is left out; the one with no start comes last"
    );
    let states: Vec<ShiftState> = log.shifts.iter().map(|s| s.state).collect();
    use ShiftState::*;
    assert_eq!(states, [Submitted, Submitted, Submitted, Submitted, Submitted, Draft, InProgress, Draft]);

    let unsigned: Vec<Option<NaiveDateTime>> = log.without_handover().map(|s| s.start).collect();
    assert_eq!(
        unsigned,
        [Some(t("2025-11-01 20:00")), Some(t("2025-11-03 08:00")), None],
        "the shift in progress has not handed over yet"
    );
    let issues: Vec<(Option<NaiveDateTime>, Issue)> = log.with_issues().map(|(s, i)| (s.start, i)).collect();
    assert_eq!(issues, [(Some(t("2025-11-03 08:00")), Issue::NoEnd), (None, Issue::NoStart)]);
}

#[test]
fn the_shift_in_progress_covers_only_until_now_and_the_period_ends_now() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir.path().join("d.db"));
    // Asked until the end of the 4th at 10:00: the period stops at now and the shift in progress covers it.
    let rep = duty_report(store.conn(), t("2025-11-03 20:00"), t("2025-11-05 00:00"), t("2025-11-04 10:00"))
        .unwrap();
    assert_eq!(rep.to, t("2025-11-04 10:00"));
    let log = station(&rep.logs);
    assert_eq!(log.gaps, vec![Gap { from: t("2025-11-03 20:00"), to: t("2025-11-04 08:00") }]);

    // Earlier, on the 3rd at 15:00, the draft begun at 12:00 (its end, 20:00, still to come) was the shift in
    // progress; the 08:00 shift has no end and covers nothing.
    let rep = duty_report(store.conn(), t("2025-11-03 06:00"), t("2025-11-03 15:00"), t("2025-11-03 15:00"))
        .unwrap();
    let log = station(&rep.logs);
    assert_eq!(log.gaps, vec![Gap { from: t("2025-11-03 06:00"), to: t("2025-11-03 12:00") }]);
    let states: Vec<ShiftState> = log.shifts.iter().map(|s| s.state).collect();
    assert_eq!(states, [ShiftState::Submitted, ShiftState::InProgress, ShiftState::Draft]);
}

#[test]
fn the_duty_report_through_the_binary() {
    let (_dir, db) = common::temp_db();
    drop(setup(&db));
    let out = common::ducha(&db)
        .args(["--lang", "zh", "report", "duty", "--from", "2025-11-01", "--to", "2025-11-04 12:00"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("值班记录覆盖情况：2025-11-01 00:00 至 2025-11-04 12:00\n"), "{text}");
    assert!(text.contains("救助管理站值班记录 · 如皋市救助管理站（JZ001）"), "{text}");
    assert!(text.contains("未覆盖 3 段，共 1天10小时"), "{text}");
    let gap = |from: &str, to: &str, len: &str| {
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == format!("{from} {to} {len}"))
    };
    assert!(gap("2025-11-01 00:00", "2025-11-01 08:00", "8小时"), "{text}");
    assert!(gap("2025-11-02 22:00", "2025-11-03 12:00", "14小时"), "{text}");
    assert!(gap("2025-11-03 20:00", "2025-11-04 08:00", "12小时"), "{text}");
    assert!(text.contains("未交接班签字的班次："), "{text}");
    assert!(text.contains("未填交班时间，只计到接班时刻"), "{text}");
    assert!(text.contains("草稿（进行中）"), "{text}");

    let out = common::ducha(&db)
        .args(["report", "duty", "--from", "2025-11-01", "--to", "2025-11-04 12:00"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("3 uncovered period(s), 1 d 10 h in all"), "{text}");
    assert!(text.contains("no end recorded: counts until its start only"), "{text}");

    let out =
        common::ducha(&db).args(["report", "duty", "--from", "2025-11-04", "--to", "2025-11-01"]).assert();
    let err = String::from_utf8(out.code(1).get_output().stderr.clone()).unwrap();
    assert!(err.contains("is not before the end"), "{err}");
    common::ducha(&db).args(["report", "duty", "--from", "11/01"]).assert().code(2);
}
