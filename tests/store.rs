//! The SQLite store through its library API: the audit log, site upserts, checklist snapshots, transactions,
//! foreign keys and concurrent connections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ducha::checklist::{Loaded, parse_checklist, sha256_hex};
use ducha::domain::Domain;
use ducha::store::sites::{self, SiteFields, Upsert};
use ducha::store::{Store, StoreError, audit, snapshots};
use rusqlite::params;

const ACTOR: &str = "测试员";

fn site(code: &str, name: &str) -> SiteFields {
    SiteFields {
        code: code.into(),
        kind: Domain::ElderlyCare,
        name: name.into(),
        town: "如城街道".into(),
        address: "如城街道测试路1号".into(),
        contact: "王芳".into(),
        phone: "0513-80000001".into(),
        floors: Some(3),
        beds: Some(120),
        license: String::new(),
    }
}

fn audit_count(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap()
}

fn json(text: Option<&str>) -> serde_json::Value {
    serde_json::from_str(text.unwrap()).unwrap()
}

#[test]
fn the_audit_table_refuses_update_and_delete() {
    let mut store = Store::open_in_memory().unwrap();
    store.write(|tx| sites::upsert(tx, ACTOR, &site("T001", "甲院"), false)).unwrap();
    let before: (String, String) = store
        .conn()
        .query_row("SELECT actor, action FROM audit", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(before, (ACTOR.to_string(), "site.create".to_string()));

    let update = store.conn().execute("UPDATE audit SET actor = 'someone else'", []).unwrap_err();
    assert!(update.to_string().contains("the audit table is append-only"), "{update}");
    let delete = store.conn().execute("DELETE FROM audit", []).unwrap_err();
    assert!(delete.to_string().contains("the audit table is append-only"), "{delete}");

    let after: (String, String) = store
        .conn()
        .query_row("SELECT actor, action FROM audit", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(after, before);
    assert_eq!(audit_count(&store), 1);
}

#[test]
fn upsert_inserts_then_updates_then_reports_unchanged_with_one_audit_row_per_change() {
    let mut store = Store::open_in_memory().unwrap();
    let first = site("T001", "甲院");
    assert_eq!(store.write(|tx| sites::upsert(tx, ACTOR, &first, false)).unwrap(), Upsert::Inserted);
    let stored = sites::by_code(store.conn(), "T001").unwrap().unwrap();
    assert_eq!(stored.fields, first);
    assert!(!stored.sample);

    let mut changed = first.clone();
    changed.name = "甲院（新）".into();
    changed.beds = None;
    assert_eq!(
        store.write(|tx| sites::upsert(tx, ACTOR, &changed, false)).unwrap(),
        Upsert::Updated(vec![sites::Field::Name, sites::Field::Beds])
    );
    let updated = sites::by_code(store.conn(), "T001").unwrap().unwrap();
    assert_eq!(updated.id, stored.id);
    assert_eq!(updated.fields, changed);

    assert_eq!(store.write(|tx| sites::upsert(tx, ACTOR, &changed, false)).unwrap(), Upsert::Unchanged);

    let rows = audit::for_entity(store.conn(), "site", &stored.id).unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["site.create", "site.update"]);
    assert!(rows.iter().all(|r| r.actor == ACTOR));
    assert_eq!(rows[0].old, None);
    let created = json(rows[0].new.as_deref());
    assert_eq!(created["code"], "T001");
    assert_eq!(created["kind"], "elderly_care");
    assert_eq!(created["sample"], false);
    assert_eq!(json(rows[1].old.as_deref()), serde_json::json!({ "name": "甲院", "beds": 120 }));
    assert_eq!(json(rows[1].new.as_deref()), serde_json::json!({ "name": "甲院（新）", "beds": null }));
    assert_eq!(audit_count(&store), 2);
}

#[test]
fn a_real_import_clears_the_sample_flag_and_a_sample_never_turns_a_real_site_back() {
    let mut store = Store::open_in_memory().unwrap();
    let s = site("YL001", "样例院");
    store.write(|tx| sites::upsert(tx, ACTOR, &s, true)).unwrap();
    assert!(sites::by_code(store.conn(), "YL001").unwrap().unwrap().sample);

    assert_eq!(
        store.write(|tx| sites::upsert(tx, ACTOR, &s, false)).unwrap(),
        Upsert::Updated(vec![sites::Field::Sample])
    );
    let real = sites::by_code(store.conn(), "YL001").unwrap().unwrap();
    assert!(!real.sample);
    let rows = audit::for_entity(store.conn(), "site", &real.id).unwrap();
    assert_eq!(json(rows[1].old.as_deref()), serde_json::json!({ "sample": true }));
    assert_eq!(json(rows[1].new.as_deref()), serde_json::json!({ "sample": false }));

    // Seeding the samples again leaves the real site alone.
    assert_eq!(store.write(|tx| sites::upsert(tx, ACTOR, &s, true)).unwrap(), Upsert::Unchanged);
    assert!(!sites::by_code(store.conn(), "YL001").unwrap().unwrap().sample);
    assert_eq!(sites::count(store.conn()).unwrap(), (1, 0));
}

const CHECKLIST: &str = r#"
id = "store_test"
version = 1
title = "存储测试检查表"
domain = "elderly_care"

[[sections]]
id = "exits"
title = "安全出口"

[[sections.items]]
id = "exit_clear"
prompt = "安全出口是否畅通？"
kind = "check"
"#;

fn loaded(text: &str, origin: &str) -> Loaded {
    let checklist = parse_checklist(text).unwrap_or_else(|d| panic!("{d:?}"));
    Loaded { checklist, origin: origin.into(), text: text.into(), hash: sha256_hex(text.as_bytes()) }
}

#[test]
fn a_checklist_snapshot_is_stored_once_for_the_same_text() {
    let mut store = Store::open_in_memory().unwrap();
    let l = loaded(CHECKLIST, "checklists/store_test.toml");
    let first = store.write(|tx| snapshots::ensure(tx, ACTOR, &l)).unwrap();
    // The same text read from elsewhere is the same snapshot.
    let again = loaded(CHECKLIST, "/elsewhere/store_test.toml");
    let second = store.write(|tx| snapshots::ensure(tx, ACTOR, &again)).unwrap();
    assert_eq!(first, second);

    let all = snapshots::list(store.conn()).unwrap();
    assert_eq!(all.len(), 1);
    let s = &all[0];
    assert_eq!(s.id, first);
    assert_eq!((s.checklist_id.as_str(), s.version), ("store_test", 1));
    assert_eq!(s.source, CHECKLIST);
    assert_eq!(s.hash, sha256_hex(CHECKLIST.as_bytes()));
    assert_eq!(s.title, "存储测试检查表");
    assert_eq!(s.domain, "elderly_care");
    assert_eq!(s.origin, "checklists/store_test.toml");
    let rows = audit::for_entity(store.conn(), "checklist_snapshot", &first).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "checklist.snapshot");
}

#[test]
fn a_different_text_with_the_same_checklist_id_and_version_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let original = store
        .write(|tx| snapshots::ensure(tx, ACTOR, &loaded(CHECKLIST, "checklists/store_test.toml")))
        .unwrap();

    let edited_text = CHECKLIST.replace("安全出口是否畅通？", "疏散通道是否畅通？");
    let edited = loaded(&edited_text, "/admin/store_test.toml");
    let err = store.write(|tx| snapshots::ensure(tx, ACTOR, &edited)).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("store_test"), "{message}");
    assert!(message.contains("/admin/store_test.toml"), "{message}");
    assert!(message.contains("bump its version"), "{message}");
    let all = snapshots::list(store.conn()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].source, CHECKLIST);

    // With the version bumped it is a new snapshot, and the old one stays.
    let bumped_text = edited_text.replace("version = 1", "version = 2");
    let bumped = store
        .write(|tx| snapshots::ensure(tx, ACTOR, &loaded(&bumped_text, "/admin/store_test.toml")))
        .unwrap();
    assert_ne!(bumped, original);
    let versions: Vec<u32> = snapshots::list(store.conn()).unwrap().iter().map(|s| s.version).collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(snapshots::get(store.conn(), &original).unwrap().unwrap().source, CHECKLIST);
}

#[test]
fn write_rolls_back_everything_when_the_closure_fails() {
    let mut store = Store::open_in_memory().unwrap();
    let result: Result<(), StoreError> = store.write(|tx| {
        sites::upsert(tx, ACTOR, &site("T001", "甲院"), false)?;
        sites::upsert(tx, ACTOR, &site("T002", "乙院"), false)?;
        Err(StoreError::Refused("the caller changed its mind".into()))
    });
    assert!(matches!(result, Err(StoreError::Refused(_))));
    assert!(sites::by_code(store.conn(), "T001").unwrap().is_none());
    assert!(sites::by_code(store.conn(), "T002").unwrap().is_none());
    assert_eq!(audit_count(&store), 0);

    // The store is usable afterwards, and a successful write commits.
    store.write(|tx| sites::upsert(tx, ACTOR, &site("T003", "丙院"), false)).unwrap();
    assert_eq!(sites::count(store.conn()).unwrap(), (1, 0));
}

#[test]
fn foreign_keys_are_enforced() {
    let mut store = Store::open_in_memory().unwrap();
    let fk: i64 = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let snapshot = store
        .write(|tx| snapshots::ensure(tx, ACTOR, &loaded(CHECKLIST, "checklists/store_test.toml")))
        .unwrap();
    let insert = |store: &Store, site_id: &str| {
        store.conn().execute(
            "INSERT INTO inspections (id, site_id, snapshot_id, inspectors, started_at, updated_at, created_by)
             VALUES (?1, ?2, ?3, '[]', '2025-03-01T09:30:00+08:00', '2025-03-01T09:30:00+08:00', ?4)",
            params![ducha::store::new_id(), site_id, snapshot, ACTOR],
        )
    };
    let err = insert(&store, "01NOSUCHSITE00000000000000").unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");

    store.write(|tx| sites::upsert(tx, ACTOR, &site("T001", "甲院"), false)).unwrap();
    let id = sites::by_code(store.conn(), "T001").unwrap().unwrap().id;
    insert(&store, &id).unwrap();
    // A site with an inspection cannot be deleted from under it.
    let err = store.conn().execute("DELETE FROM sites WHERE id = ?1", [&id]).unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn a_file_store_uses_wal_full_sync_and_a_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("ducha.db")).unwrap();
    let conn = store.conn();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let timeout: i64 = conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).unwrap();
    assert!(timeout >= 1000, "busy_timeout {timeout}");
    assert!(store.created);
    assert_eq!(store.path(), Some(dir.path().join("ducha.db").as_path()));
}

#[test]
fn a_commit_on_one_connection_is_visible_on_another() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ducha.db");
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    assert!(a.created);
    assert!(!b.created);

    a.write(|tx| sites::upsert(tx, ACTOR, &site("T001", "甲院"), false)).unwrap();
    let seen = b.read(|tx| sites::by_code(tx, "T001")).unwrap().expect("b sees a's commit");
    assert_eq!(seen.fields.name, "甲院");

    b.write(|tx| sites::upsert(tx, ACTOR, &site("T001", "甲院（改）"), false)).unwrap();
    let seen = a.read(|tx| sites::by_code(tx, "T001")).unwrap().unwrap();
    assert_eq!(seen.fields.name, "甲院（改）");
}

#[test]
fn a_reader_is_not_blocked_by_an_open_write_transaction_on_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ducha.db");
    let mut writer = Store::open(&path).unwrap();
    let mut reader = Store::open(&path).unwrap();
    writer.write(|tx| sites::upsert(tx, ACTOR, &site("T001", "甲院"), false)).unwrap();

    writer
        .write(|tx| -> Result<(), StoreError> {
            sites::upsert(tx, ACTOR, &site("T002", "乙院"), false)?;
            // While the write transaction is open, the other connection reads the last committed state.
            let (during, t002) = reader
                .read(|r| -> Result<_, StoreError> { Ok((sites::count(r)?, sites::by_code(r, "T002")?)) })?;
            assert_eq!(during, (1, 0));
            assert!(t002.is_none());
            Ok(())
        })
        .unwrap();

    let after = reader.read(|r| sites::count(r)).unwrap();
    assert_eq!(after, (2, 0));
}
