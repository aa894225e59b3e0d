//! Migration 16 (`write_pages`): what one saved answer writes to the WAL, the audit table without
//! AUTOINCREMENT (edited in place, its rows and chain as they were), and the lists the partial indexes serve.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::temp_db;
use ducha::domain::Domain;
use ducha::store::inspections::{self, NewAnswer, Status};
use ducha::store::{Store, audit, sites, snapshots};
use rusqlite::{Connection, OptionalExtension};

fn seeded(db: &Path, version: i64) -> Store {
    let mut store = Store::open_at(db, version).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    store
}

/// A new draft of the seeded lottery outlet.
fn draft(store: &mut Store) -> String {
    let filter = sites::Filter { kind: Some(Domain::LotteryOutlet), town: None };
    let site = sites::list(store.conn(), &filter).unwrap().into_iter().next().unwrap();
    let snapshot =
        snapshots::list(store.conn()).unwrap().into_iter().find(|s| s.domain == "lottery_outlet").unwrap();
    let names = vec!["检查员甲".to_string()];
    store.write(|tx| inspections::create(tx, "管理员", &site.id, &snapshot.id, &names)).unwrap()
}

fn save(store: &mut Store, inspection: &str, item: &str) -> String {
    let answer =
        NewAnswer { item_id: item, instance: 0, value: "pass", outcome: "pass", note: "", finding: None };
    store.write(|tx| inspections::save_answer(tx, "检查员甲", inspection, &answer)).unwrap()
}

/// WAL frames (pages) one new answer writes, the mean of 30 durable saves into one draft.
fn frames_per_answer(db: &Path, version: i64) -> f64 {
    let mut store = seeded(db, version);
    let inspection = draft(&mut store);
    let page: i64 = store.conn().query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    store.conn().execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    let wal = db.with_file_name(format!("{}-wal", db.file_name().unwrap().to_string_lossy()));
    let size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let before = size();
    for n in 0..30 {
        save(&mut store, &inspection, &format!("item_{n}"));
    }
    // A WAL file starts with a 32-byte header; each frame is a 24-byte header and one page.
    let header = if before == 0 { 32 } else { 0 };
    (size() - before - header) as f64 / (page as f64 + 24.0) / 30.0
}

#[test]
fn a_saved_answer_writes_three_pages_fewer_than_at_schema_15() {
    let (_old_dir, old_db) = temp_db();
    let (_new_dir, new_db) = temp_db();
    let old = frames_per_answer(&old_db, 15);
    let new = frames_per_answer(&new_db, ducha::store::migrate::latest());
    // At schema 15: the answer and its 3 indexes, the audit row and its 3 indexes, sqlite_sequence, the
    // inspection and its (status, updated_at) entry, and a split now and then (10.3 measured). Now the
    // audit's AUTOINCREMENT and entity index and the draft's index entry are gone (7.0 measured).
    assert!(old > 9.5, "schema 15 wrote {old:.2} pages per answer");
    assert!(new < 7.5, "the latest schema wrote {new:.2} pages per answer (schema 15: {old:.2})");
}

/// The text of the first column of the first row, if there is a row (any other failure panics).
fn one(conn: &Connection, sql: &str) -> Option<String> {
    conn.query_row(sql, [], |r| r.get(0)).optional().unwrap()
}

fn index_names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn migration_16_takes_autoincrement_off_the_audit_in_place_and_the_chain_goes_on() {
    let (_dir, db) = temp_db();
    let (entries, last) = {
        let store = seeded(&db, 15);
        let conn = store.conn();
        let entries: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
        let last: i64 = conn.query_row("SELECT max(seq) FROM audit", [], |r| r.get(0)).unwrap();
        let kept = one(conn, "SELECT CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = 'audit'");
        assert_eq!(kept, Some(last.to_string()));
        assert!(
            one(conn, "SELECT sql FROM sqlite_schema WHERE name = 'audit'")
                .unwrap()
                .contains("AUTOINCREMENT")
        );
        assert!(index_names(conn).contains(&"audit_entity".to_string()));
        (entries, last)
    };

    let mut store = Store::open(&db).unwrap();
    let conn = store.conn();
    let schema = one(conn, "SELECT sql FROM sqlite_schema WHERE name = 'audit'").unwrap();
    assert!(!schema.contains("AUTOINCREMENT"), "{schema}");
    assert!(schema.contains("seq        INTEGER PRIMARY KEY,"), "{schema}");
    assert_eq!(one(conn, "SELECT CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = 'audit'"), None);
    assert_eq!(one(conn, "PRAGMA integrity_check").as_deref(), Some("ok"));
    let indexes = index_names(conn);
    for gone in ["audit_entity", "inspections_status"] {
        assert!(!indexes.contains(&gone.to_string()), "{gone} is still there: {indexes:?}");
    }
    for made in ["inspections_drafts", "inspections_submitted"] {
        assert!(indexes.contains(&made.to_string()), "{made} is missing: {indexes:?}");
    }
    let count: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    assert_eq!(count, entries);

    // The next entry takes the next seq, and every device's chain still holds.
    let inspection = draft(&mut store);
    let answer = save(&mut store, &inspection, "item_1");
    let conn = store.conn();
    let (seq, entity_id): (i64, String) = conn
        .query_row("SELECT seq, entity_id FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (seq, &entity_id),
        (last + 2, &answer),
        "the draft's entry is last + 1, the answer's last + 2"
    );
    assert_eq!(audit::verify(conn).unwrap(), vec![]);
    // The connection that migrated writes by the new schema at once: no sequence row comes back.
    assert_eq!(one(conn, "SELECT CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = 'audit'"), None);
    assert_eq!(audit::for_entity(conn, "answer", &entity_id).unwrap().len(), 1);
}

#[test]
fn the_drafts_list_is_still_most_recently_touched_first() {
    let (_dir, db) = temp_db();
    let mut store = seeded(&db, ducha::store::migrate::latest());
    let (first, second) = (draft(&mut store), draft(&mut store));
    // Both were started long ago (times are stored to the second); an answer touches the first one, which
    // is then the most recent, although the second one's id is the later.
    store.conn().execute("UPDATE inspections SET updated_at = '2026-01-05T09:00:00+08:00'", []).unwrap();
    save(&mut store, &first, "item_1");
    let drafts: Vec<String> =
        inspections::list(store.conn(), Status::Draft, 10).unwrap().into_iter().map(|s| s.head.id).collect();
    assert_eq!(drafts, vec![first.clone(), second.clone()]);
    assert!(inspections::list(store.conn(), Status::Submitted, 10).unwrap().is_empty());
}

#[test]
fn an_audit_table_migration_16_does_not_recognise_fails_the_migration_and_keeps_the_file_at_15() {
    let (_dir, db) = temp_db();
    let entries = {
        let store = seeded(&db, 15);
        let conn = store.conn();
        // Someone's hand-edited schema: the word AUTOINCREMENT twice (once in a comment), not edited blindly.
        let version: i64 = conn.query_row("PRAGMA schema_version", [], |r| r.get(0)).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, '-- this database', '-- AUTOINCREMENT: this database')
             WHERE name = 'audit';
             PRAGMA schema_version = {};
             PRAGMA writable_schema = OFF;",
            version + 1
        ))
        .unwrap();
        conn.query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0)).unwrap()
    };

    let err = Store::open(&db).err().expect("the migration must fail").to_string();
    assert!(err.contains("16") && err.contains("the audit table is not the one migration 7 made"), "{err}");
    let conn = Connection::open(&db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 15);
    let schema = one(&conn, "SELECT sql FROM sqlite_schema WHERE name = 'audit'").unwrap();
    assert!(schema.contains("PRIMARY KEY AUTOINCREMENT,   -- AUTOINCREMENT: this database"), "{schema}");
    assert!(
        index_names(&conn).contains(&"inspections_status".to_string()),
        "the SQL part is rolled back too"
    );
    let count: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    assert_eq!(count, entries);
}
