//! Hand-over files that must be refused: each is named in a clear message, the exit status is 1, and the
//! database that was to merge it stays byte for byte as it was. A refused file for a database that does
//! not exist yet creates nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use std::path::{Path, PathBuf};

use laptops::{INSPECTOR, Place, inspect, laptop_from, office};
use rusqlite::Connection;

/// Every file of the database's folder (database, -wal, -shm, evidence) with its SHA-256.
fn snapshot(place: &Place) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_none_or(|x| x != "hand") {
                out.push((p.clone(), ducha::checklist::sha256_hex(&std::fs::read(&p).unwrap())));
            }
        }
    }
    let mut out = Vec::new();
    walk(place.dir.path(), &mut out);
    out.sort();
    out
}

/// An office and a good hand-over from a laptop set up from it, with a photo as evidence.
fn office_and_field_file() -> (Place, PathBuf) {
    let o = office();
    let laptop = laptop_from(&o.handover("setup.hand"));
    let (inspection, _) = inspect(&laptop, INSPECTOR, "YL001", &["exit_unblocked"]);
    let photo = laptop.dir.path().join("出口.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 a photo of the exit").unwrap();
    let root = laptop.open().evidence_root().join(&inspection);
    laptop
        .open()
        .write(|tx| {
            ducha::store::evidence::attach(tx, INSPECTOR, &inspection, "exit_unblocked", 0, &photo, &root)
        })
        .unwrap();
    let file = laptop.handover("field.hand");
    let kept = o.dir.path().join("field.hand");
    std::fs::copy(&file, &kept).unwrap();
    (o, kept)
}

fn variant(good: &Path, name: &str, change: impl FnOnce(&Path)) -> PathBuf {
    let path = good.with_file_name(name);
    std::fs::copy(good, &path).unwrap();
    change(&path);
    path
}

fn sql(path: &Path, sql: &str) {
    Connection::open(path).unwrap().execute_batch(sql).unwrap();
}

fn assert_refused(o: &Place, file: &Path, says: &str) {
    let before = snapshot(o);
    let (code, out, err) = o.merge(&[file]);
    assert_eq!(code, 1, "{}: {out}\n{err}", file.display());
    let name = file.file_name().unwrap().to_string_lossy();
    assert!(err.contains(&*name) && err.contains(says), "{name}: expected `{says}` in:\n{err}");
    assert_eq!(snapshot(o), before, "{name}: the office database changed");
}

#[test]
fn damaged_foreign_newer_and_tampered_files_are_refused_and_change_nothing() {
    let (o, good) = office_and_field_file();
    let half = variant(&good, "truncated.hand", |p| {
        let bytes = std::fs::read(p).unwrap();
        std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap();
    });
    assert_refused(&o, &half, "");
    let flipped = variant(&good, "flipped.hand", |p| {
        let mut bytes = std::fs::read(p).unwrap();
        for i in (4096 + 8..bytes.len()).step_by(4096) {
            bytes[i] ^= 0xff;
        }
        std::fs::write(p, &bytes).unwrap();
    });
    assert_refused(&o, &flipped, "");
    let text = variant(&good, "notes.hand", |p| std::fs::write(p, "这不是数据库\n").unwrap());
    assert_refused(&o, &text, "not an SQLite database");
    let foreign = good.with_file_name("foreign.hand");
    sql(&foreign, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    assert_refused(&o, &foreign, "not one of ducha's");
    let newer = variant(&good, "newer.hand", |p| sql(p, "PRAGMA user_version = 99"));
    assert_refused(&o, &newer, "newer ducha");
    let chain = variant(&good, "chain.hand", |p| {
        sql(p, "DROP TRIGGER audit_no_update; UPDATE audit SET new = '{\"role\":\"admin\"}' WHERE dseq = 3;")
    });
    assert_refused(&o, &chain, "audit chain is broken");
    let photo = variant(&good, "photo.hand", |p| {
        sql(p, "UPDATE sqlar SET data = CAST('another photo' AS BLOB), sz = 13")
    });
    assert_refused(&o, &photo, "does not match its SHA-256");
    let missing = variant(&good, "missing.hand", |p| sql(p, "DELETE FROM sqlar"));
    assert_refused(&o, &missing, "is missing from the file");
    let own = o.handover("own.hand");
    assert_refused(&o, &own, "written by this database itself");

    // The good file still merges; then a rewritten copy of a record it brought is refused.
    o.merge_ok(&[&good]);
    let rewritten = variant(&good, "rewritten.hand", |p| {
        sql(p, "UPDATE answers SET note = '改过的' WHERE item_id = 'exit_unblocked'")
    });
    assert_refused(&o, &rewritten, "differs from the same record");
}

#[test]
fn a_copied_database_whose_chain_parts_ways_is_refused() {
    let o = office();
    let laptop = laptop_from(&o.handover("setup.hand"));
    // The laptop's disk copied to a second machine: the same device, then two different histories.
    let clone = laptop.copy();
    inspect(&laptop, INSPECTOR, "YL001", &["exit_unblocked"]);
    inspect(&clone, INSPECTOR, "YL002", &["fire_plan"]);
    o.merge_ok(&[&laptop.handover("laptop.hand")]);
    let fork = clone.handover("clone.hand");
    assert_refused(&o, &fork, "a copied or rewritten database");
}

#[test]
fn a_refused_file_does_not_create_the_database_it_was_to_set_up() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("bad.hand");
    std::fs::write(&text, b"not a database").unwrap();
    let db = dir.path().join("new.db");
    let out = common::ducha(&db).arg("merge").arg(&text).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!db.exists(), "no database created for a refused file");
    let zh = common::ducha(&db).args(["--lang", "zh", "merge"]).arg(&text).output().unwrap();
    let err = String::from_utf8_lossy(&zh.stderr);
    assert!(
        err.contains("已拒绝") && err.contains("bad.hand") && err.contains("不是 SQLite 数据库"),
        "{err}"
    );
}
