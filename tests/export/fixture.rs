//! A database for the export tests: three submitted inspections at sites in two towns and two domains,
//! a draft, rectifications in several states (one overdue, one verified after a rejection), and texts that
//! trouble CSV and spreadsheets (commas, quotes, line breaks, a leading `=`), an ID-card and phone numbers.

#![allow(dead_code)] // each test crate uses part of the fixture

use chrono::{Days, Local, NaiveDate, TimeZone};
use ducha::i18n::Lang;
use ducha::rectification::{Transition, ops};
use ducha::roles::Role;
use ducha::store::inspections::{self, NewAnswer, NewRectification};
use ducha::store::{Store, set_clock, sites, snapshots, users};

pub const FORMULA: &str = "=HYPERLINK(\"http://x.invalid\",\"点我\")";
pub const REQUIREMENT: &str = "立即清理, 保持\"畅通\"\n二楼、三楼逐层检查";
pub const ID_PROBLEM: &str = "老人张某（身份证320682199001011234）未做入住评估";
pub const PHONE: &str = "13812345678";
/// The drill group of the elderly-care inspection that is answered and then removed before submitting.
pub const REMOVED_GROUP: u32 = 2;

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub fn day(offset: i64) -> String {
    let t = today();
    let d = if offset >= 0 {
        t.checked_add_days(Days::new(offset as u64))
    } else {
        t.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.unwrap().format("%Y-%m-%d").to_string()
}

fn at(date: &str) {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap().and_hms_opt(9, 30, 0).unwrap();
    set_clock(Some(Local.from_local_datetime(&d).unwrap().fixed_offset()));
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: std::path::PathBuf,
    /// The elderly-care inspection with two rectifications and a repeat section.
    pub elderly: String,
    pub draft: String,
}

struct Failure<'a> {
    item: &'a str,
    instance: u32,
    problem: &'a str,
    severity: &'a str,
    major: bool,
    requirement: &'a str,
    deadline: String,
    phone: &'a str,
}

fn inspect(
    store: &mut Store,
    code: &str,
    domain: &str,
    answers: &[(&str, u32, &str, &str)],
    failures: &[Failure<'_>],
    submit: bool,
) -> (String, Vec<String>) {
    let site = sites::by_code(store.conn(), code).unwrap().unwrap();
    let snapshot = snapshots::list(store.conn()).unwrap().into_iter().find(|s| s.domain == domain).unwrap();
    store
        .write(|tx| -> ducha::store::Result<(String, Vec<String>)> {
            let names = vec!["检查员甲".to_string(), "科长乙".to_string()];
            let id = inspections::create(tx, "检查员甲", &site.id, &snapshot.id, &names)?;
            let mut groups = 0;
            for (item, instance, value, outcome) in answers {
                while groups < *instance {
                    groups = inspections::add_instance(tx, "检查员甲", &id, "drill_groups")?;
                }
                let note = if *item == "group_leader" { "组长电话 13900001111" } else { "" };
                let a = NewAnswer { item_id: item, instance: *instance, value, outcome, note, finding: None };
                inspections::save_answer(tx, "检查员甲", &id, &a)?;
            }
            if groups >= REMOVED_GROUP {
                // A drill group answered and then removed: its answers stay stored but are no longer part
                // of the inspection.
                inspections::remove_instance(tx, "检查员甲", &id, "drill_groups", REMOVED_GROUP)?;
            }
            let mut rects = Vec::new();
            let mut answer_ids = Vec::new();
            for f in failures {
                let a = NewAnswer {
                    item_id: f.item,
                    instance: f.instance,
                    value: "fail",
                    outcome: "fail",
                    note: "现场拍照",
                    finding: None,
                };
                answer_ids.push(inspections::save_answer(tx, "检查员甲", &id, &a)?);
            }
            for (f, answer_id) in failures.iter().zip(&answer_ids) {
                rects.push(NewRectification {
                    answer_id,
                    item_id: f.item,
                    instance: f.instance,
                    problem: f.problem,
                    basis: "GB 38600-2019 第5条",
                    severity: f.severity,
                    major_hazard: f.major,
                    requirement: f.requirement,
                    deadline: &f.deadline,
                    responsible: "李院长",
                    phone: f.phone,
                });
            }
            let ids = if submit {
                inspections::submit(tx, "检查员甲", &id, &names, "王站长", &rects)?
            } else {
                vec![]
            };
            Ok((id, ids))
        })
        .unwrap()
}

pub fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ducha.db");
    let mut store = Store::open(&db).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    store
        .write(|tx| -> ducha::store::Result<()> {
            users::upsert(tx, "管理员", "检查员甲", Role::Inspector)?;
            users::upsert(tx, "管理员", "科长乙", Role::Supervisor).map(|_| ())
        })
        .unwrap();

    at("2026-03-10");
    let (elderly, rects) = inspect(
        &mut store,
        "YL001",
        "elderly_care",
        &[
            ("fire_responsible", 0, "pass", "pass"),
            ("group_task", 1, "firefight", "recorded"),
            ("group_task", 2, "rescue", "recorded"),
            ("group_leader", 1, "赵组长", "recorded"),
        ],
        &[
            Failure {
                item: "exit_unblocked",
                instance: 0,
                problem: FORMULA,
                severity: "critical",
                major: true,
                requirement: REQUIREMENT,
                deadline: day(-10),
                phone: PHONE,
            },
            Failure {
                item: "fire_extinguishers",
                instance: 0,
                problem: ID_PROBLEM,
                severity: "major",
                major: false,
                requirement: "补做评估",
                deadline: day(30),
                phone: "0513-85631306",
            },
        ],
        true,
    );
    at("2026-06-01");
    let (_lottery, _) = inspect(
        &mut store,
        "32068001",
        "lottery_outlet",
        &[],
        &[Failure {
            item: "license_displayed",
            instance: 0,
            problem: "代销证未悬挂, 放在抽屉里",
            severity: "minor",
            major: false,
            requirement: "悬挂代销证原件",
            deadline: day(5),
            phone: "",
        }],
        true,
    );
    at("2026-07-15");
    let (draft, _) =
        inspect(&mut store, "YL004", "elderly_care", &[("fire_responsible", 0, "pass", "pass")], &[], false);
    set_clock(None);

    // The first: a note with a phone number and an extension. The second: rejected once, then verified.
    ops::note(&mut store, "检查员甲", &rects[0], &format!("已电话联系 {PHONE}"), Lang::Zh).unwrap();
    let later = NaiveDate::parse_from_str(&day(-5), "%Y-%m-%d").unwrap();
    ops::extend(&mut store, "科长乙", &rects[0], later, "材料采购中", Lang::Zh).unwrap();
    ops::transition(&mut store, "检查员甲", &rects[1], Transition::ReportFix, "已整改", Lang::Zh).unwrap();
    ops::transition(&mut store, "科长乙", &rects[1], Transition::Reject, "评估表未签字", Lang::Zh).unwrap();
    ops::transition(&mut store, "检查员甲", &rects[1], Transition::ReportFix, "已补签", Lang::Zh).unwrap();
    ops::transition(&mut store, "科长乙", &rects[1], Transition::Verify, "现场复查通过", Lang::Zh).unwrap();
    drop(store);
    Fixture { dir, db, elderly, draft }
}
