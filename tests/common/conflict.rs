//! Conflicts without a merge: a second change based on the same state as a rectification's latest one,
//! written into its events as a merged database would hold it, then the rectification refolded; and a
//! small board with one such conflict.

use chrono::{DateTime, NaiveDateTime, TimeZone};
use ducha::i18n::Lang;
use ducha::rectification::{Transition, ops};
use ducha::roles::Role;
use ducha::store::inspections::{self, NewRectification};
use ducha::store::{Store, rectifications, set_clock, sites, snapshots, users};
use rusqlite::{Connection, params};

use super::inspection::fail_item;

/// Makes rectification `id` a conflict: `actor` changed the state its latest transition started from to
/// `to`, with `note`, one second after that transition (as another laptop did meanwhile). Returns the new
/// head's id; its ULID is later than the other head's, so it is branch 2.
pub fn fork(conn: &Connection, id: &str, actor: &str, to: &str, note: &str) -> String {
    let folded = rectifications::folded(conn, id).expect("fold the rectification");
    assert_eq!(folded.heads.len(), 1, "one head to fork from: {:?}", folded.heads);
    let events = rectifications::events(conn, id).expect("read the events");
    let head = events.iter().find(|e| e.id == folded.heads[0]).expect("the head event");
    assert_eq!(head.kind, "transition", "fork after a transition");
    let at = DateTime::parse_from_rfc3339(&head.at).expect("a stored time") + chrono::Duration::seconds(1);
    let new = ulid::Ulid::from_datetime(std::time::SystemTime::from(at)).to_string();
    conn.execute(
        "INSERT INTO rectification_events (id, rectification_id, kind, parent, from_status, to_status, note, actor, at)
         VALUES (?1, ?2, 'transition', ?3, ?4, ?5, ?6, ?7, ?8)",
        params![new, id, head.parent, head.from_status, to, note, actor, at.format("%Y-%m-%dT%H:%M:%S%:z").to_string()],
    )
    .expect("insert the other branch's change");
    let refolded = rectifications::refold(conn, id).expect("refold");
    assert!(refolded.conflict, "two heads now");
    new
}

/// Sets this thread's store clock to `at` (+08:00), so events get known times and ids in a known order.
pub fn at(stamp: &str) {
    let t = NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d %H:%M").unwrap();
    set_clock(chrono::FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&t).single());
}

/// Three rectifications at 下原镇敬老院; the most urgent was reported fixed and verified here by 科长乙
/// while 科长丙 rejected it on a laptop (merged: a conflict); users 检查员甲 (inspector), 科长乙 and 科长丙
/// (supervisors). Returns the database and the conflict's id. Leaves the clock unset.
pub fn board_database(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let path = dir.join("ducha.db");
    let mut store = Store::open(&path).unwrap();
    ducha::app::seed(&mut store, "王芳").unwrap();
    let snapshot = snapshots::list(store.conn()).unwrap().remove(0);
    let home = sites::by_code(store.conn(), "YL012").unwrap().unwrap();
    at("2026-11-10 09:00");
    let ids = store
        .write(|tx| -> ducha::store::Result<Vec<String>> {
            users::upsert(tx, "王芳", "检查员甲", Role::Inspector)?;
            users::upsert(tx, "王芳", "科长乙", Role::Supervisor)?;
            users::upsert(tx, "王芳", "科长丙", Role::Supervisor)?;
            let insp = inspections::create(tx, "检查员甲", &home.id, &snapshot.id, &["检查员甲".into()])?;
            let mut ids = Vec::new();
            for (i, (problem, deadline)) in [
                ("二楼疏散通道堆放杂物", "2026-11-20"),
                ("灭火器过期", "2026-11-25"),
                ("未建立值班制度", "2026-12-05"),
            ]
            .into_iter()
            .enumerate()
            {
                let item = format!("item_{i}");
                let answer = fail_item(tx, "检查员甲", &insp, &item)?;
                let r = NewRectification {
                    answer_id: &answer,
                    item_id: &item,
                    instance: 0,
                    problem,
                    basis: "GB 38600-2019 第 5.3 条",
                    severity: ["critical", "major", "minor"][i],
                    major_hazard: i == 0,
                    requirement: "立即清理，保持畅通",
                    deadline,
                    responsible: "李院长",
                    phone: "13900000000",
                };
                ids.push(rectifications::create(
                    tx,
                    "检查员甲",
                    &insp,
                    &home.id,
                    &r,
                    "2026-11-10T09:00:00+08:00",
                )?);
            }
            Ok(ids)
        })
        .unwrap();
    let id = ids[0].clone();
    at("2026-11-27 10:00");
    ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "已清理", Lang::Zh).unwrap();
    at("2026-11-28 09:00");
    // A major hazard verified without fix evidence: confirmed, as the console asks.
    let confirmed = ops::Proof { files: vec![], confirmed_without_evidence: true };
    ops::transition_with(&mut store, "科长乙", &id, Transition::Verify, "现场复查通过", &confirmed, Lang::Zh)
        .unwrap();
    fork(store.conn(), &id, "科长丙", "in_progress", "三楼仍有堆物");
    set_clock(None);
    (path, id)
}
