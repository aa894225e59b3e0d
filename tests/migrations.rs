//! Creating, migrating and refusing database files: through the binary, and through the store's API where a
//! database of an older schema has to be built.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{ducha, temp_db};
use ducha::store::{Store, StoreError, migrate};
use rusqlite::Connection;

fn pragma_i64(conn: &Connection, name: &str) -> i64 {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).unwrap()
}

fn user_version(path: &Path) -> i64 {
    pragma_i64(&Connection::open(path).unwrap(), "user_version")
}

fn table_exists(conn: &Connection, name: &str) -> bool {
    conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |r| {
        r.get::<_, i64>(0)
    })
    .unwrap()
        == 1
}

/// Files in `dir` whose name contains `part`.
fn files_containing(dir: &Path, part: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(part))
        .collect();
    found.sort();
    found
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Every file in `dir` (the database and any `-wal`/`-shm` or backup beside it), with its size and SHA-256.
fn db_files(dir: &Path) -> Vec<(String, usize, String)> {
    let mut files: Vec<(String, usize, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                bytes.len(),
                ducha::checklist::sha256_hex(&bytes),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_latest_schema_version_is_the_last_migration_and_migrations_are_numbered_without_gaps() {
    assert_eq!(migrate::latest(), migrate::MIGRATIONS.len() as i64);
    let versions: Vec<i64> = migrate::MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(versions, (1..=migrate::latest()).collect::<Vec<_>>());
}

#[test]
fn the_first_run_creates_the_database_at_the_latest_schema_and_says_where() {
    let (_dir, db) = temp_db();
    let out = ducha(&db).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains(&format!("created the database: {}", db.display())), "{err}");
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(stdout.contains(&format!("(schema version {})", migrate::latest())), "{stdout}");
    assert!(db.is_file());

    let conn = Connection::open(&db).unwrap();
    assert_eq!(pragma_i64(&conn, "user_version"), migrate::latest());
    assert_eq!(pragma_i64(&conn, "application_id"), 0x4455_4348);
    assert_eq!(migrate::APPLICATION_ID, 0x4455_4348);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    for table in ["users", "sites", "checklist_snapshots", "audit", "inspections", "rectifications"] {
        assert!(table_exists(&conn, table), "{table}");
    }
    let sites: i64 = conn.query_row("SELECT count(*) FROM sites", [], |r| r.get(0)).unwrap();

    // The second run neither announces nor seeds anything again.
    let out = ducha(&db).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr_of(&out).contains("created"), "{}", stderr_of(&out));
    let again: i64 = conn.query_row("SELECT count(*) FROM sites", [], |r| r.get(0)).unwrap();
    assert_eq!(again, sites);
}

#[test]
fn the_first_run_says_where_the_database_is_in_chinese_too() {
    let (dir, _) = temp_db();
    let db = dir.path().join("子目录").join("督查.db");
    let out = ducha(&db).args(["--lang", "zh", "status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains(&format!("已创建数据库： {}", db.display())), "{err}");
    assert!(db.is_file());
}

#[test]
fn an_older_database_is_migrated_with_its_data_and_a_backup_is_left_beside_it() {
    let (dir, db) = temp_db();
    {
        let store = Store::open_at(&db, 1).unwrap();
        assert_eq!(store.schema_version().unwrap(), 1);
        assert!(!table_exists(store.conn(), "inspections"));
        store
            .conn()
            .execute(
                "INSERT INTO sites (id, code, kind, name, town, floors, beds, sample, created_at, updated_at)
                 VALUES ('01OLDSITE00000000000000000', 'OLD1', 'elderly_care', '如皋市老数据养老院', '如城街道',
                         2, 50, 0, '2024-01-01T08:00:00+08:00', '2024-01-01T08:00:00+08:00')",
                [],
            )
            .unwrap();
    }

    let out = ducha(&db).args(["sites", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("OLD1 "))
        .unwrap_or_else(|| panic!("the old site is not listed:\n{stdout}"));
    assert!(line.ends_with("如皋市老数据养老院"), "{line}");

    let conn = Connection::open(&db).unwrap();
    assert_eq!(pragma_i64(&conn, "user_version"), migrate::latest());
    for table in
        ["inspections", "repeat_instances", "answers", "evidence", "rectifications", "rectification_events"]
    {
        assert!(table_exists(&conn, table), "{table}");
    }

    let backups = files_containing(dir.path(), ".v1-backup-");
    assert_eq!(backups.len(), 1, "{backups:?}");
    let backup = &backups[0];
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("ducha.v1-backup-") && name.ends_with(".db"), "{name}");
    let err = stderr_of(&out);
    assert!(err.contains(&backup.display().to_string()), "{err}");
    assert!(err.contains("database upgraded"), "{err}");

    let old = Connection::open(backup).unwrap();
    assert_eq!(pragma_i64(&old, "user_version"), 1);
    assert!(!table_exists(&old, "inspections"));
    let name: String = old.query_row("SELECT name FROM sites WHERE code = 'OLD1'", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "如皋市老数据养老院");

    // An up-to-date database is not backed up again.
    ducha(&db).arg("status").assert().success();
    assert_eq!(files_containing(dir.path(), "-backup-").len(), 1);
}

#[test]
fn a_database_from_a_newer_ducha_is_refused_and_left_unchanged() {
    let (dir, db) = temp_db();
    ducha(&db).arg("status").assert().success();
    Connection::open(&db).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    let before = db_files(dir.path());

    let out = ducha(&db).args(["sites", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("written by a newer ducha"), "{err}");
    assert!(err.contains("schema version 99"), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(out.stdout.is_empty());

    assert_eq!(db_files(dir.path()), before);
    assert_eq!(user_version(&db), 99);
    assert!(files_containing(dir.path(), "-backup-").is_empty());
}

#[test]
fn a_newer_database_in_rollback_journal_mode_is_not_switched_to_wal() {
    let (dir, db) = temp_db();
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA application_id = {}; PRAGMA user_version = 99;",
            migrate::APPLICATION_ID
        ))
        .unwrap();
    }
    let before = db_files(dir.path());

    let out = ducha(&db).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("written by a newer ducha"), "{}", stderr_of(&out));
    assert_eq!(db_files(dir.path()), before);
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_unchanged() {
    let (dir, db) = temp_db();
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('别人的数据'); PRAGMA application_id = 1234;")
            .unwrap();
    }
    let before = db_files(dir.path());

    let out = ducha(&db).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("is not a ducha database"), "{err}");
    assert!(err.contains("0x4d2"), "{err}");
    assert_eq!(db_files(dir.path()), before);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_without_a_panic() {
    let (dir, db) = temp_db();
    std::fs::write(&db, "编号,类型,名称,镇街\n这不是数据库\n".repeat(50)).unwrap();
    let before = db_files(dir.path());

    let out = ducha(&db).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(db_files(dir.path()), before);
}

#[test]
fn a_failing_migration_is_rolled_back_as_a_whole() {
    let (dir, db) = temp_db();
    {
        let store = Store::open_at(&db, 1).unwrap();
        // A table that migration 2 creates last, so the migration fails after its first statements ran.
        store.conn().execute_batch("CREATE TABLE rectification_events (stray TEXT)").unwrap();
    }

    let result = Store::open(&db);
    assert!(matches!(result, Err(StoreError::Migration { version: 2, .. })), "{:?}", result.as_ref().err());
    drop(result);

    let conn = Connection::open(&db).unwrap();
    assert_eq!(pragma_i64(&conn, "user_version"), 1);
    for table in ["inspections", "repeat_instances", "answers", "evidence", "rectifications"] {
        assert!(!table_exists(&conn, table), "{table} survived the failed migration");
    }
    assert!(table_exists(&conn, "sites"));

    // Through the binary: exit 1 with the migration named, and the file still at version 1.
    let out = ducha(&db).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("migration 2 (inspections) failed"), "{err}");
    assert_eq!(user_version(&db), 1);
    assert!(!table_exists(&conn, "inspections"));
    // The backups written before each attempt are all at version 1.
    let backups = files_containing(dir.path(), ".v1-backup-");
    assert!(!backups.is_empty());
    for b in backups {
        assert_eq!(user_version(&b), 1);
    }
}

#[test]
fn migrate_to_applies_each_step_and_stops_at_the_target() {
    let mut conn = Connection::open_in_memory().unwrap();
    assert_eq!(migrate::migrate_to(&mut conn, None, 1).unwrap(), None);
    assert_eq!(migrate::user_version(&conn).unwrap(), 1);
    assert!(table_exists(&conn, "sites"));
    assert!(!table_exists(&conn, "inspections"));
    assert_eq!(pragma_i64(&conn, "application_id"), migrate::APPLICATION_ID);

    migrate::migrate_to(&mut conn, None, 2).unwrap();
    assert_eq!(migrate::user_version(&conn).unwrap(), 2);
    assert!(table_exists(&conn, "inspections"));
    assert!(!table_exists(&conn, "plans"));
    migrate::migrate_to(&mut conn, None, migrate::latest()).unwrap();
    assert_eq!(migrate::user_version(&conn).unwrap(), migrate::latest());
    assert!(table_exists(&conn, "plans"));
    // Already there: nothing to do.
    migrate::migrate_to(&mut conn, None, migrate::latest()).unwrap();
    assert_eq!(migrate::user_version(&conn).unwrap(), migrate::latest());
}

fn schema(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    conn.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_database_migrated_step_by_step_has_the_same_schema_as_a_new_one() {
    let (dir, stepped) = temp_db();
    let fresh = dir.path().join("fresh.db");
    drop(Store::open_at(&stepped, 1).unwrap());
    let migrated = Store::open(&stepped).unwrap();
    assert!(migrated.backup.is_some());
    assert!(!migrated.created);
    let new = Store::open(&fresh).unwrap();
    assert!(new.backup.is_none());
    assert!(new.created);
    assert_eq!(schema(migrated.conn()), schema(new.conn()));
}

#[test]
fn a_first_run_that_stopped_before_seeding_is_seeded_on_the_next_run() {
    let (_dir, db) = temp_db();
    // Migrated but never seeded, as when the first run died between the two steps.
    drop(Store::open(&db).unwrap());
    let out = ducha(&db).args(["sites", "list", "--kind", "rescue_station"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("JZ001"));
    let conn = Connection::open(&db).unwrap();
    let snapshots: i64 =
        conn.query_row("SELECT count(*) FROM checklist_snapshots", [], |r| r.get(0)).unwrap();
    assert_eq!(snapshots, 4);
}

#[test]
fn migration_7_gives_sites_their_code_and_snapshots_their_hash_as_ids_links_events_and_chains_the_audit() {
    let (_dir, db) = temp_db();
    {
        let store = Store::open_at(&db, 6).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO users (name, role, created_at) VALUES ('王芳', 'admin', '2026-01-01T08:00:00+08:00');
                 INSERT INTO sites (id, code, kind, name, town, created_at, updated_at)
                   VALUES ('01HSITE0000000000000000000', 'YL777', 'elderly_care', '测试院', '长江镇', 't', 't');
                 INSERT INTO checklist_snapshots (id, checklist_id, version, hash, title, domain, origin, source, stored_at)
                   VALUES ('01HSNAP0000000000000000000', 'c', 1, 'abc123', 'T', 'elderly_care', 'x', 'src', 't');
                 INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at,
                                          submitted_at, created_by)
                   VALUES ('01HINSP0000000000000000000', '01HSITE0000000000000000000', '01HSNAP0000000000000000000',
                           '[\"王芳\"]', 'submitted', '2026-02-01T09:00:00+08:00', 't', 't', '王芳');
                 INSERT INTO answers (id, inspection_id, item_id, instance, revision, value, outcome, answered_by, answered_at)
                   VALUES ('01HANS10000000000000000000', '01HINSP0000000000000000000', 'a', 0, 1, 'fail', 'fail', '王芳', 't'),
                          ('01HANS20000000000000000000', '01HINSP0000000000000000000', 'a', 0, 2, 'fail', 'fail', '王芳', 't');
                 INSERT INTO rectifications (id, inspection_id, answer_id, site_id, item_id, problem, severity, deadline,
                                             status, created_by, created_at, updated_at)
                   VALUES ('01HRECT0000000000000000000', '01HINSP0000000000000000000', '01HANS20000000000000000000',
                           '01HSITE0000000000000000000', 'a', 'p', 'major', '2026-03-10', 'in_progress', '王芳',
                           '2026-02-01T10:00:00+08:00', '2026-02-05T10:00:00+08:00');
                 INSERT INTO rectification_events (id, rectification_id, kind, from_status, to_status, old_deadline,
                                                   new_deadline, note, actor, at)
                   VALUES ('E1', '01HRECT0000000000000000000', 'created', NULL, 'open', NULL, '2026-03-01', '', '王芳',
                           '2026-02-01T10:00:00+08:00'),
                          ('E2', '01HRECT0000000000000000000', 'transition', 'open', 'in_progress', NULL, NULL, '', '王芳',
                           '2026-02-02T10:00:00+08:00'),
                          ('E3', '01HRECT0000000000000000000', 'note', NULL, NULL, NULL, NULL, 'n', '王芳',
                           '2026-02-03T10:00:00+08:00'),
                          ('E4', '01HRECT0000000000000000000', 'extend', NULL, NULL, '2026-03-01', '2026-03-10', 'r',
                           '王芳', '2026-02-05T10:00:00+08:00');
                 INSERT INTO notices (inspection_id, year, seq, number, issued_by, issued_at)
                   VALUES ('01HINSP0000000000000000000', 2026, 1, '督整〔2026〕第001号', '王芳', 't');
                 INSERT INTO audit (id, at, actor, action, entity, entity_id, old, new)
                   VALUES ('01HAUD10000000000000000000', 't', '王芳', 'user.add', 'user', '王芳', NULL, '{}'),
                          ('01HAUD20000000000000000000', 't', '王芳', 'site.create', 'site', '01HSITE0000000000000000000',
                           NULL, '{}');",
            )
            .unwrap();
    }
    let store = Store::open(&db).unwrap();
    let conn = store.conn();
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT id FROM sites"), "YL777");
    assert_eq!(one("SELECT site_id || ' ' || snapshot_id FROM inspections"), "YL777 abc123");
    assert_eq!(one("SELECT id FROM checklist_snapshots"), "abc123");
    assert_eq!(one("SELECT site_id FROM rectifications"), "YL777");
    assert_eq!(one("SELECT base FROM answers WHERE revision = 2"), "01HANS10000000000000000000");
    let parents: Vec<(String, Option<String>)> = conn
        .prepare("SELECT id, parent FROM rectification_events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected = [("E1", None), ("E2", Some("E1")), ("E3", Some("E2")), ("E4", Some("E2"))];
    let expected: Vec<(String, Option<String>)> =
        expected.iter().map(|(a, b)| (a.to_string(), b.map(str::to_string))).collect();
    assert_eq!(parents, expected);
    let folded = ducha::store::rectifications::folded(conn, "01HRECT0000000000000000000").unwrap();
    assert_eq!(
        (folded.status.as_str(), folded.deadline.as_str(), folded.conflict),
        ("in_progress", "2026-03-10", false)
    );
    // The device is named by the database's first audit entry, and owns the old notices and entries.
    let device = ducha::store::device::get(conn).unwrap();
    assert_eq!(device.id, "01HAUD10000000000000000000");
    assert_eq!(one("SELECT device FROM notices"), device.id);
    assert_eq!(
        one(
            "SELECT group_concat(dseq) FROM (SELECT dseq FROM audit WHERE device = (SELECT id FROM device) ORDER BY dseq LIMIT 2)"
        ),
        "1,2"
    );
    assert_eq!(ducha::store::audit::verify(conn).unwrap(), vec![]);
    let broken: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0);
    assert!(conn.execute("UPDATE audit SET actor = 'x'", []).is_err(), "still append-only");
}
