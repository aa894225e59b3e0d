//! Inspections recorded through the store's API, for tests that need failed answers and the rectifications
//! they raise: one failed answer, a whole submitted inspection, the usual one open rectification; and a
//! lottery-outlet draft recorded through the inspection record's API.

use std::path::Path;

use ducha::checklist::{LoadReport, Loaded, load_shipped};
use ducha::inspection::record::{self, Given};
use ducha::inspection::{Check, Finding, Slot, Value};
use ducha::roles::Role;
use ducha::store::inspections::{self, NewAnswer, NewRectification};
use ducha::store::{Store, sites, snapshots, users};
use rusqlite::Connection;

/// `actor` answers `item` (instance 0) of inspection `insp` with a fail, no note and no finding; returns
/// the answer's id.
pub fn fail_item(conn: &Connection, actor: &str, insp: &str, item: &str) -> ducha::store::Result<String> {
    let answer =
        NewAnswer { item_id: item, instance: 0, value: "fail", outcome: "fail", note: "", finding: None };
    inspections::save_answer(conn, actor, insp, &answer)
}

/// `actor` inspects the site `site_code` with `team` on the checklist of the site's domain, fails the item
/// of each of `rects` and submits with `representative` signing, raising `rects` (each one's `answer_id` is
/// replaced by its failed answer's). Returns (inspection id, rectification ids in the order of `rects`).
pub fn submit_failed(
    conn: &Connection,
    actor: &str,
    site_code: &str,
    team: &[String],
    representative: &str,
    rects: &[NewRectification<'_>],
) -> ducha::store::Result<(String, Vec<String>)> {
    let site = sites::by_code(conn, site_code)?.expect("the site is in the registry");
    let snapshot = snapshots::list(conn)?
        .into_iter()
        .find(|s| s.domain == site.fields.kind.key())
        .expect("a checklist for the site's domain");
    let insp = inspections::create(conn, actor, &site.id, &snapshot.id, team)?;
    let mut answers = Vec::new();
    for r in rects {
        answers.push(fail_item(conn, actor, &insp, r.item_id)?);
    }
    let raised: Vec<NewRectification<'_>> = rects
        .iter()
        .zip(&answers)
        .map(|(r, answer)| NewRectification {
            answer_id: answer,
            item_id: r.item_id,
            instance: r.instance,
            problem: r.problem,
            basis: r.basis,
            severity: r.severity,
            major_hazard: r.major_hazard,
            requirement: r.requirement,
            deadline: r.deadline,
            responsible: r.responsible,
            phone: r.phone,
        })
        .collect();
    let ids = inspections::submit(conn, actor, &insp, team, representative, &raised)?;
    Ok((insp, ids))
}

/// A new database at `db` seeded by 管理员 (admin), with 检查员甲 (inspector) and 科长乙 (supervisor), and
/// one inspection at 下原镇敬老院 (YL001) submitted by 检查员甲 with one open rectification: the blocked
/// exit 二楼疏散通道堆放杂物, due 2026-12-10, critical and a major hazard or major and not. Returns the
/// store, the inspection's id and the rectification's.
pub fn one_rectification(db: &Path, major_hazard: bool) -> (Store, String, String) {
    let mut store = Store::open(db).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    let (insp, mut ids) = store
        .write(|tx| -> ducha::store::Result<(String, Vec<String>)> {
            users::upsert(tx, "管理员", "检查员甲", Role::Inspector)?;
            users::upsert(tx, "管理员", "科长乙", Role::Supervisor)?;
            let exit = NewRectification {
                answer_id: "",
                item_id: "exit_unblocked",
                instance: 0,
                problem: "二楼疏散通道堆放杂物",
                basis: "GB 38600-2019",
                severity: if major_hazard { "critical" } else { "major" },
                major_hazard,
                requirement: "立即清理",
                deadline: "2026-12-10",
                responsible: "李院长",
                phone: "13900000000",
            };
            submit_failed(tx, "检查员甲", "YL001", &["检查员甲".into()], "", &[exit])
        })
        .unwrap();
    (store, insp, ids.remove(0))
}

/// A new database at `db` seeded by 测试员 (the first user, an admin), with a draft lottery-outlet
/// inspection at 32068001 that 测试员 started. Returns the store and the inspection's id.
pub fn outlet_draft(db: &Path) -> (Store, String) {
    let mut store = Store::open(db).unwrap();
    ducha::app::seed(&mut store, "测试员").unwrap();
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let outlet = sites::by_code(store.conn(), "32068001").unwrap().unwrap();
    let id = record::start(&mut store, "测试员", loaded, &outlet, &["测试员".into()]).unwrap();
    (store, id)
}

/// [`outlet_draft`] with its first item failed by 测试员 ([`fail_first_item`]). Returns the store, the
/// inspection's id and the failed item's.
pub fn outlet_failed_draft(db: &Path) -> (Store, String, String) {
    let (mut store, id) = outlet_draft(db);
    let (_, item) = fail_first_item(&mut store, "测试员", &id);
    (store, id, item)
}

/// `actor` fails the first item of the draft `id` as the form records it: problem 未悬挂代销证, the rest
/// of the finding as the form fills it in today. Returns the item's slot and id.
pub fn fail_first_item(store: &mut Store, actor: &str, id: &str) -> (Slot, String) {
    let opened = record::open(store, id).unwrap();
    let slot = opened.sheet.slots()[0];
    let item = opened.sheet.item(slot).clone();
    let f = Finding {
        problem: "未悬挂代销证".into(),
        ..record::default_finding(&opened.sheet, slot, chrono::Local::now().date_naive())
    };
    let given =
        Given { item: &item, instance: 0, value: Value::Check(Check::Fail), note: "", finding: Some(&f) };
    record::answer(store, actor, id, given).unwrap();
    (slot, item.id)
}

/// A new database at `db` seeded by 管理员 (admin) with 王芳 an inspector, and the shipped checklists
/// loaded.
pub fn with_inspector(db: &Path) -> (Store, LoadReport) {
    let mut store = Store::open(db).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    store.write(|tx| users::upsert(tx, "管理员", "王芳", Role::Inspector)).unwrap();
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    (store, report)
}

/// 王芳 starts a shift of the duty log `loaded` at `station` and types the given (item id, text) answers
/// into it, as the console would (empty texts are left unanswered). Returns the draft's id.
pub fn log_shift(
    store: &mut Store,
    loaded: &Loaded,
    station: &sites::Site,
    answers: &[(&str, &str)],
) -> String {
    let id = record::start(store, "王芳", loaded, station, &["王芳".into()]).unwrap();
    let opened = record::open(store, &id).unwrap();
    for (item_id, text) in answers.iter().filter(|(_, t)| !t.is_empty()) {
        let item = opened.sheet.checklist.item(item_id).unwrap();
        let value = Value::parse_input(&item.kind, text).unwrap();
        record::answer(store, "王芳", &id, Given { item, instance: 0, value, note: "", finding: None })
            .unwrap();
    }
    id
}

/// 王芳 submits the shift `id` at store level: the log's other required items are not the point of the
/// tests that use this.
pub fn submit_shift(store: &mut Store, id: &str) {
    store.write(|tx| inspections::submit(tx, "王芳", id, &["王芳".to_string()], "", &[])).unwrap();
}
