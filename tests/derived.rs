#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Data kept for speed must say what the tables say: the per-deadline open counts (migration `open_counts`) (home
//! screen, `ducha status`), and the histories the rectification list reads in one statement
//! (`EVENTS_JSON_OF_R`), which must be exactly what `rectifications::events` reads one by one — so the export
//! is byte for byte what it was when it read them one by one.

use chrono::NaiveDate;
use ducha::demo::{self, Options, Scale};
use ducha::store::rectifications::{self, EVENTS_JSON_OF_R, events_from_json};
use ducha::store::{Store, migrate};
use rusqlite::Connection;

const TODAY: &str = "2026-11-29";

fn tiny_demo(seed: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("d.db")).unwrap();
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    demo::set_setup_clock(today);
    ducha::app::seed(&mut store, "管理员").unwrap();
    demo::clear_clock();
    let opts = Options { scale: Scale::Tiny, seed, today };
    demo::generate(&mut store, "管理员", &opts, &mut |_| {}).unwrap();
    (dir, store)
}

/// The open counts by deadline as the triggers kept them, and as the table says.
type Counts = Vec<(String, i64)>;

fn kept_and_counted(conn: &Connection) -> (Counts, Counts) {
    let read = |sql: &str| -> Counts {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    (
        read("SELECT deadline, n FROM open_by_deadline ORDER BY deadline"),
        read(
            "SELECT deadline, count(*) FROM rectifications WHERE status NOT IN ('verified', 'withdrawn')
             GROUP BY deadline ORDER BY deadline",
        ),
    )
}

#[test]
fn the_open_counts_follow_a_year_of_work_and_count_what_the_table_holds() {
    let (_dir, store) = tiny_demo(5);
    let conn = store.conn();
    let (kept, counted) = kept_and_counted(conn);
    assert!(!counted.is_empty(), "the demo leaves rectifications open");
    assert_eq!(kept, counted);
    // Every status change the demo made went through the triggers: verified and withdrawn ones left.
    let closed: i64 = conn
        .query_row("SELECT count(*) FROM rectifications WHERE status IN ('verified', 'withdrawn')", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(closed > 0);
    let (open, overdue) = rectifications::open_counts(conn, TODAY).unwrap();
    let (open_direct, overdue_direct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), coalesce(sum(deadline < ?1), 0) FROM rectifications
             WHERE status NOT IN ('verified', 'withdrawn')",
            [TODAY],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((open, overdue), (open_direct, overdue_direct));
    assert!(overdue > 0 && overdue < open, "{overdue} of {open}");
}

#[test]
fn deadline_changes_closing_reopening_and_deleting_keep_the_counts() {
    let (_dir, store) = tiny_demo(6);
    let conn = store.conn();
    let open: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT id FROM rectifications WHERE status NOT IN ('verified', 'withdrawn') ORDER BY id LIMIT 3")
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(open.len(), 3);
    // Raw changes (the triggers do not depend on which code path writes).
    conn.execute("UPDATE rectifications SET deadline = '2031-01-01' WHERE id = ?1", [&open[0]]).unwrap();
    conn.execute("UPDATE rectifications SET status = 'verified' WHERE id = ?1", [&open[1]]).unwrap();
    conn.execute("UPDATE rectifications SET status = 'in_progress' WHERE id = ?1", [&open[1]]).unwrap();
    conn.execute(
        "UPDATE rectifications SET status = 'withdrawn', deadline = '2030-05-05' WHERE id = ?1",
        [&open[2]],
    )
    .unwrap();
    let closed: String = conn
        .query_row("SELECT id FROM rectifications WHERE status = 'verified' LIMIT 1", [], |r| r.get(0))
        .unwrap();
    conn.execute("UPDATE rectifications SET deadline = '2032-02-02' WHERE id = ?1", [&closed]).unwrap();
    conn.execute("UPDATE rectifications SET status = 'fix_reported' WHERE id = ?1", [&closed]).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute("DELETE FROM rectification_events WHERE rectification_id = ?1", [&open[0]]).unwrap();
    let (kept, counted) = kept_and_counted(conn);
    assert_eq!(kept, counted);
    assert!(kept.contains(&("2031-01-01".to_string(), 1)));
    assert!(kept.contains(&("2032-02-02".to_string(), 1)));
    assert!(!kept.iter().any(|(d, _)| d == "2030-05-05"));
    conn.execute("DELETE FROM rectifications WHERE id = ?1", [&open[0]]).unwrap();
    let (kept, counted) = kept_and_counted(conn);
    assert_eq!(kept, counted);
    assert!(!kept.iter().any(|(d, _)| d == "2031-01-01"), "the only one of that day was deleted");
}

#[test]
fn the_migration_counts_the_rectifications_already_there() {
    let mut conn = Connection::open_in_memory().unwrap();
    let open_counts = migrate::MIGRATIONS.iter().find(|m| m.name == "open_counts").unwrap().version;
    migrate::migrate_to(&mut conn, None, open_counts - 1).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for (i, (status, deadline)) in [
        ("open", "2026-11-01"),
        ("in_progress", "2026-11-01"),
        ("fix_reported", "2026-12-20"),
        ("verified", "2026-11-01"),
        ("withdrawn", "2026-12-20"),
    ]
    .into_iter()
    .enumerate()
    {
        conn.execute(
            "INSERT INTO rectifications (id, inspection_id, site_id, item_id, problem, severity, deadline, status,
                created_by, created_at, updated_at)
             VALUES (?1, 'I', 'S', 'item', 'p', 'minor', ?2, ?3, 'x', '2026-10-01', '2026-10-01')",
            rusqlite::params![format!("R{i}"), deadline, status],
        )
        .unwrap();
    }
    migrate::migrate_to(&mut conn, None, open_counts).unwrap();
    let (kept, counted) = kept_and_counted(&conn);
    assert_eq!(kept, counted);
    assert_eq!(kept, vec![("2026-11-01".to_string(), 2), ("2026-12-20".to_string(), 1)]);
    assert_eq!(rectifications::open_counts(&conn, "2026-11-29").unwrap(), (3, 2));
}

#[test]
fn histories_read_in_one_statement_are_the_histories_read_one_by_one() {
    let (_dir, store) = tiny_demo(7);
    let conn = store.conn();
    let sql = format!("SELECT r.id, {EVENTS_JSON_OF_R} FROM rectifications r ORDER BY r.id");
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert!(rows.len() > 100, "{} rectifications", rows.len());
    let mut kinds = std::collections::BTreeSet::new();
    for (id, json) in &rows {
        let together = events_from_json(json).unwrap();
        let one_by_one = rectifications::events(conn, id).unwrap();
        assert_eq!(together, one_by_one, "history of {id}");
        kinds.extend(together.iter().map(|e| e.kind.clone()));
    }
    // The demo's histories have every kind the list export writes a remark for.
    for kind in ["created", "transition", "note", "extend", "withdraw"] {
        assert!(kinds.contains(kind), "no {kind} event in the demo: {kinds:?}");
    }
    // Text that JSON must escape survives: quotes, backslashes, line breaks, control characters.
    let (id, _) = &rows[0];
    let note = "引号\"、反斜杠\\、换行\n制表\t\u{1}结束";
    conn.execute(
        "INSERT INTO rectification_events (id, rectification_id, kind, note, actor, at)
         VALUES ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', ?1, 'note', ?2, '张三', '2099-01-01T00:00:00+08:00')",
        rusqlite::params![id, note],
    )
    .unwrap();
    let json: String = conn
        .query_row(&format!("SELECT {EVENTS_JSON_OF_R} FROM rectifications r WHERE r.id = ?1"), [id], |r| {
            r.get(0)
        })
        .unwrap();
    let together = events_from_json(&json).unwrap();
    assert_eq!(together, rectifications::events(conn, id).unwrap());
    assert_eq!(together.last().unwrap().note, note);
}
