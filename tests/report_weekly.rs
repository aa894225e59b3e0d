#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The weekly rectification report: ISO weeks at year edges, every figure on a small dataset worked out by
//! hand, and the text, Markdown and CSV output of the binary.

mod common;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use ducha::domain::Domain;
use ducha::rectification::Status;
use ducha::report::weekly::{Figures, OpenAt};
use ducha::report::{IsoWeek, WeekError, weekly_report};
use ducha::store::inspections::{self, NewAnswer, NewRectification};
use ducha::store::{Store, rectifications, set_clock, sites, snapshots};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> DateTime<FixedOffset> {
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&local).unwrap()
}

fn week(s: &str) -> IsoWeek {
    s.parse().unwrap()
}

#[test]
fn iso_weeks_at_year_edges() {
    let w = week("2026-W53");
    assert_eq!((w.monday(), w.sunday()), (d("2026-12-28"), d("2027-01-03")));
    assert_eq!(w.next(), week("2027-W01"));
    assert_eq!(week("2027-W01").monday(), d("2027-01-04"));
    assert_eq!(IsoWeek::of(d("2027-01-01")), w, "New Year's Day 2027 is in 2026's week 53");

    let w = week("2020-W53");
    assert_eq!((w.monday(), w.sunday()), (d("2020-12-28"), d("2021-01-03")));
    let w = week("2021-w01");
    assert_eq!((w.monday(), w.sunday()), (d("2021-01-04"), d("2021-01-10")));
    assert_eq!(w.prev(), week("2020-W53"));
    assert_eq!(w.to_string(), "2021-W01");

    assert_eq!(ducha::report::week::weeks_in_year(2025), 52);
    assert_eq!("2025-W53".parse::<IsoWeek>(), Err(WeekError::NoSuchWeek { year: 2025, week: 53, weeks: 52 }));
    assert!(matches!("2026-W54".parse::<IsoWeek>(), Err(WeekError::NoSuchWeek { .. })));
    assert!(matches!("2026/W48".parse::<IsoWeek>(), Err(WeekError::Format(_))));
}

/// Raises one rectification at `site_code` at time `when`, through an inspection submitted then.
fn raise(store: &mut Store, site_code: &str, when: &str, deadline: &str, problem: &str) -> String {
    set_clock(Some(at(when)));
    let site = sites::by_code(store.conn(), site_code).unwrap().unwrap();
    let snapshot = snapshots::list(store.conn())
        .unwrap()
        .into_iter()
        .find(|s| s.domain == site.fields.kind.key())
        .unwrap();
    let id = store
        .write(|tx| -> ducha::store::Result<String> {
            let insp = inspections::create(tx, "检查员甲", &site.id, &snapshot.id, &["检查员甲".into()])?;
            let answer = inspections::save_answer(
                tx,
                "检查员甲",
                &insp,
                &NewAnswer {
                    item_id: "x",
                    instance: 0,
                    value: "fail",
                    outcome: "fail",
                    note: "",
                    finding: None,
                },
            )?;
            let rect = NewRectification {
                answer_id: &answer,
                item_id: "x",
                instance: 0,
                problem,
                basis: "",
                severity: "major",
                major_hazard: false,
                requirement: "",
                deadline,
                responsible: "",
                phone: "",
            };
            Ok(inspections::submit(tx, "检查员甲", &insp, &["检查员甲".into()], "", &[rect])?.remove(0))
        })
        .unwrap();
    set_clock(None);
    id
}

fn follow(store: &mut Store, id: &str, from: Status, to: Status, when: &str) {
    set_clock(Some(at(when)));
    store.write(|tx| rectifications::set_status(tx, "科长乙", id, from.key(), to.key(), "记录")).unwrap();
    set_clock(None);
}

fn extend(store: &mut Store, id: &str, old: &str, new: &str, when: &str) {
    set_clock(Some(at(when)));
    store.write(|tx| rectifications::extend(tx, "科长乙", id, old, new, "延期")).unwrap();
    set_clock(None);
}

/// Sites: YL001 养老机构 如城街道; 32068001 彩票 东陈镇; 32068002 彩票 长江镇; SO 社会组织 丁堰镇.
const SO: &str = "51320682500618608G";

/// The dataset around 2026-W48 (Mon 2026-11-23 .. Sun 2026-11-29; next week 11-30 .. 12-06). Returns the
/// ids r[1]..=r[10] (r[0] unused).
fn dataset(store: &mut Store) -> Vec<String> {
    use Status::*;
    let mut r = vec![String::new()];
    // R1: overdue 9 days on 11-29; rejected the Sunday before the week (not counted).
    r.push(raise(store, "YL001", "2026-11-10 09:00:00", "2026-11-20", "R1"));
    follow(store, &r[1], Open, InProgress, "2026-11-12 09:00:00");
    follow(store, &r[1], InProgress, FixReported, "2026-11-16 09:00:00");
    follow(store, &r[1], FixReported, InProgress, "2026-11-22 23:59:59");
    // R2: new, due next week.
    r.push(raise(store, "32068001", "2026-11-24 10:00:00", "2026-12-02", "R2"));
    // R3: new and closed in the week.
    r.push(raise(store, "32068002", "2026-11-25 10:00:00", "2026-11-27", "R3"));
    follow(store, &r[3], Open, FixReported, "2026-11-26 10:00:00");
    follow(store, &r[3], FixReported, Verified, "2026-11-28 10:00:00");
    // R4: rejected in the week, overdue 1 day.
    r.push(raise(store, SO, "2026-11-02 10:00:00", "2026-11-28", "R4"));
    follow(store, &r[4], Open, FixReported, "2026-11-20 10:00:00");
    follow(store, &r[4], FixReported, InProgress, "2026-11-24 15:00:00");
    // R5: new; its deadline is the report day itself: not overdue.
    r.push(raise(store, "YL001", "2026-11-26 10:00:00", "2026-11-29", "R5"));
    // R6: deadline extended to 12-01 before the report day, and to 12-20 after it: due next week by 12-01.
    r.push(raise(store, "32068001", "2026-10-01 10:00:00", "2026-10-15", "R6"));
    extend(store, &r[6], "2026-10-15", "2026-12-01", "2026-10-14 10:00:00");
    extend(store, &r[6], "2026-12-01", "2026-12-20", "2026-12-03 10:00:00");
    // R7: new late on Sunday, due on next week's Sunday.
    r.push(raise(store, SO, "2026-11-29 23:30:00", "2026-12-06", "R7"));
    // R8: raised after the week: in nothing.
    r.push(raise(store, "YL001", "2026-11-30 00:10:00", "2026-12-01", "R8"));
    // R9: verified just after the week: still overdue (60 days) and awaiting verification on 11-29.
    r.push(raise(store, "32068002", "2026-09-01 10:00:00", "2026-09-30", "R9"));
    follow(store, &r[9], Open, FixReported, "2026-09-25 10:00:00");
    follow(store, &r[9], FixReported, Verified, "2026-11-30 00:05:00");
    // R10: verified at the very start of the week.
    r.push(raise(store, "YL001", "2026-09-05 10:00:00", "2026-09-10", "R10"));
    follow(store, &r[10], Open, FixReported, "2026-09-09 10:00:00");
    follow(store, &r[10], FixReported, Verified, "2026-11-23 00:00:00");
    r
}

fn setup(db: &std::path::Path) -> (Store, Vec<String>) {
    let mut store = Store::open(db).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    let r = dataset(&mut store);
    (store, r)
}

fn figs(new: u64, closed: u64, rejected: u64, overdue: u64, due_next_week: u64) -> Figures {
    Figures { new, closed, rejected, withdrawn: 0, overdue, due_next_week }
}

#[test]
fn weekly_figures_of_a_finished_week() {
    let dir = tempfile::tempdir().unwrap();
    let (store, r) = setup(&dir.path().join("w.db"));
    let rep = weekly_report(store.conn(), week("2026-W48"), d("2026-12-10")).unwrap();
    assert_eq!(rep.report_day, d("2026-11-29"));
    assert!(!rep.partial());
    assert_eq!(rep.totals, figs(4, 2, 1, 3, 3));
    assert_eq!(
        rep.by_domain,
        vec![
            (Domain::ElderlyCare, figs(1, 1, 0, 1, 0)),
            (Domain::LotteryOutlet, figs(2, 1, 0, 1, 2)),
            (Domain::RescueStation, figs(0, 0, 0, 0, 0)),
            (Domain::SocialOrg, figs(1, 0, 1, 1, 1)),
        ]
    );
    assert_eq!(
        rep.by_town,
        vec![
            ("丁堰镇".to_string(), figs(1, 0, 1, 1, 1)),
            ("东陈镇".to_string(), figs(1, 0, 0, 0, 2)),
            ("如城街道".to_string(), figs(1, 1, 0, 1, 0)),
            ("长江镇".to_string(), figs(1, 1, 0, 1, 0)),
        ]
    );

    let overdue: Vec<(&str, i64, Status)> =
        rep.overdue.iter().map(|l| (l.problem.as_str(), l.days_overdue, l.status)).collect();
    assert_eq!(
        overdue,
        vec![("R9", 60, Status::FixReported), ("R1", 9, Status::InProgress), ("R4", 1, Status::InProgress)]
    );
    assert_eq!(rep.overdue[0].id, r[9]);
    assert_eq!(rep.overdue[0].site_code, "32068002");
    assert_eq!(rep.overdue[0].deadline, d("2026-09-30"));

    let due: Vec<(&str, NaiveDate)> =
        rep.due_next_week.iter().map(|l| (l.problem.as_str(), l.deadline)).collect();
    assert_eq!(due, vec![("R6", d("2026-12-01")), ("R2", d("2026-12-02")), ("R7", d("2026-12-06"))]);
    assert!(rep.due_next_week.iter().all(|l| l.days_overdue == 0));

    let series: Vec<(String, NaiveDate, u64)> =
        rep.open_series.iter().map(|OpenAt { week, at, open }| (week.to_string(), *at, *open)).collect();
    let expected = [
        ("2026-W37", "2026-09-13", 2),
        ("2026-W38", "2026-09-20", 2),
        ("2026-W39", "2026-09-27", 2),
        ("2026-W40", "2026-10-04", 3),
        ("2026-W41", "2026-10-11", 3),
        ("2026-W42", "2026-10-18", 3),
        ("2026-W43", "2026-10-25", 3),
        ("2026-W44", "2026-11-01", 3),
        ("2026-W45", "2026-11-08", 4),
        ("2026-W46", "2026-11-15", 5),
        ("2026-W47", "2026-11-22", 5),
        ("2026-W48", "2026-11-29", 7),
    ]
    .map(|(w, a, n)| (w.to_string(), d(a), n));
    assert_eq!(series, expected);
}

#[test]
fn in_the_current_week_overdue_and_due_are_taken_today() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = setup(&dir.path().join("w.db"));
    // Wednesday of the week: R3 is two days from its deadline and R4 three, neither counts; R5 and R7 are not
    // raised yet.
    let rep = weekly_report(store.conn(), week("2026-W48"), d("2026-11-25")).unwrap();
    assert_eq!(rep.report_day, d("2026-11-25"));
    assert!(rep.partial());
    let overdue: Vec<(&str, i64)> =
        rep.overdue.iter().map(|l| (l.problem.as_str(), l.days_overdue)).collect();
    assert_eq!(overdue, vec![("R9", 56), ("R1", 5)]);
    let due: Vec<&str> = rep.due_next_week.iter().map(|l| l.problem.as_str()).collect();
    assert_eq!(due, vec!["R6", "R2"]);
    let last = rep.open_series.last().unwrap();
    assert_eq!((last.at, last.open), (d("2026-11-25"), 6));
    assert_eq!(rep.open_series[10].open, 5, "the week before still ends on its Sunday");
}

#[test]
fn a_week_with_nothing_in_it_reports_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = setup(&dir.path().join("w.db"));
    let rep = weekly_report(store.conn(), week("2026-W30"), d("2026-12-10")).unwrap();
    assert_eq!(rep.totals, Figures::default());
    assert!(rep.by_town.is_empty() && rep.overdue.is_empty());
    assert_eq!(rep.by_domain.len(), 4);
    assert!(rep.open_series.iter().all(|p| p.open == 0));
}

fn binary_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = common::temp_db();
    drop(setup(&db));
    (dir, db)
}

fn figures_row(text: &str, first: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .find(|l| l.split_whitespace().next() == Some(first))
        .unwrap_or_else(|| panic!("no row {first} in\n{text}"))
        .split_whitespace()
        .map(String::from)
        .collect()
}

#[test]
fn the_text_report_has_headings_and_aligned_tables_in_both_languages() {
    let (_dir, db) = binary_db();
    let out = common::ducha(&db)
        .args(["--lang", "zh", "report", "weekly", "--week", "2026-w48"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("整改周报 2026-W48（2026-11-23 至 2026-11-29）\n"), "{text}");
    for heading in ["一、本周概况", "二、按检查领域", "三、按镇街", "四、逾期整改（截至 2026-11-29，3 条）"]
    {
        assert!(text.contains(heading), "{heading} in\n{text}");
    }
    assert!(text.contains("五、下周到期（2026-11-30 至 2026-12-06，3 条）"), "{text}");
    assert!(text.contains("六、近 12 周未销号整改数"), "{text}");
    assert_eq!(figures_row(&text, "全部"), ["全部", "4", "2", "1", "0", "3", "3"]);
    assert_eq!(figures_row(&text, "养老机构"), ["养老机构", "1", "1", "0", "0", "1", "0"]);
    assert_eq!(figures_row(&text, "2026-W48")[..3], ["2026-W48", "2026-11-29", "7"]);
    let r9 = figures_row(&text, "60");
    assert_eq!(
        r9[1..6],
        ["2026-09-30", "福利彩票投注站", "长江镇", "中国福利彩票第32068002号投注站", "较重"]
    );

    let out = common::ducha(&db).args(["report", "weekly", "--week", "2026-W48"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("Weekly rectification report 2026-W48 (2026-11-23 to 2026-11-29)\n"), "{text}");
    assert!(text.contains("4. Overdue on 2026-11-29 (3)"), "{text}");
    assert_eq!(figures_row(&text, "all"), ["all", "4", "2", "1", "0", "3", "3"]);
}

#[test]
fn the_markdown_report_has_tables() {
    let (_dir, db) = binary_db();
    let out = common::ducha(&db)
        .args(["--lang", "zh", "report", "weekly", "--week", "2026-W48", "--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(md.starts_with("# 整改周报 2026-W48（2026-11-23 至 2026-11-29）\n"), "{md}");
    assert!(
        md.contains("\n## 三、按镇街\n\n| 镇街 | 新发现 | 销号 | 退回 | 撤销 | 逾期 | 下周到期 |\n|---|"),
        "{md}"
    );
    assert!(md.contains("| 社会组织 | 1 | 0 | 1 | 0 | 1 | 1 |"), "{md}");
    assert!(md.contains("| 2026-W48 | 2026-11-29 | 7 |"), "{md}");
}

#[test]
fn the_csv_report_is_one_file_for_excel_with_a_bom_and_crlf() {
    let (_dir, db) = binary_db();
    let out = common::ducha(&db)
        .args(["--lang", "zh", "report", "weekly", "--week", "2026-W48", "--format", "csv"])
        .assert()
        .success();
    let bytes = out.get_output().stdout.clone();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark first");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "every line ends with CRLF");
    assert!(
        text.starts_with("分区,周次,检查领域,镇街,新发现,销号,退回,撤销,逾期,下周到期,未销号,"),
        "{text}"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let section = |name: &str| rows.iter().filter(|r| &r[0] == name).collect::<Vec<_>>();
    assert_eq!(
        &section("概况")[0].iter().skip(4).take(6).collect::<Vec<_>>(),
        &["4", "2", "1", "0", "3", "3"]
    );
    assert_eq!(section("按检查领域").len(), 4);
    assert_eq!(section("按镇街").len(), 4);
    let overdue = section("逾期");
    assert_eq!(overdue.len(), 3);
    assert_eq!((&overdue[0][11], &overdue[0][16], &overdue[0][17]), ("32068002", "2026-09-30", "60"));
    assert_eq!(section("下周到期").len(), 3);
    let series = section("未销号趋势");
    assert_eq!(series.len(), 12);
    assert_eq!((&series[11][1], &series[11][10]), ("2026-W48", "7"));
}

#[test]
fn a_week_that_does_not_exist_is_a_usage_error() {
    let (_dir, db) = common::temp_db();
    for (arg, says) in
        [("2026-W54", "no week 54"), ("2025-W53", "2025 has 52 ISO weeks"), ("2026-48", "expected a week")]
    {
        let out = common::ducha(&db).args(["report", "weekly", "--week", arg]).assert().code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(says), "{arg}: {err}");
    }
    assert!(!db.exists(), "a usage error touches no database");
}
