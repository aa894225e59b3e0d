#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha demo` at the hidden tiny scale: the same seed gives the same content, another seed other
//! content; every rectification status occurs, some overdue; answers are valid for their items; a database
//! with inspections is refused; the audit covers what was written.

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use ducha::checklist::{AnswerKind, Checklist, parse_checklist, sha256_hex};
use ducha::demo::{self, Options, Scale};
use ducha::inspection::Value;
use ducha::store::Store;
use rusqlite::Connection;

const TODAY: &str = "2026-11-29";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

fn run_demo(db: &Path, seed: u64) -> assert_cmd::assert::Assert {
    Command::cargo_bin("ducha")
        .unwrap()
        .args(["--lang", "en", "--user", "管理员", "--db"])
        .arg(db)
        .args(["demo", "--scale", "tiny", "--seed", &seed.to_string(), "--today", TODAY])
        .env("DUCHA_CONFIG", db.with_extension("toml"))
        .assert()
}

/// A digest of the content, ordered by content rather than by ids (ULIDs differ between runs).
fn digest(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    let queries = [
        "SELECT s.code, c.checklist_id, a.item_id, a.instance, a.revision, a.value, a.outcome,
                coalesce(a.problem, ''), coalesce(a.deadline, ''), a.answered_by, a.answered_at
         FROM answers a JOIN inspections i ON i.id = a.inspection_id JOIN sites s ON s.id = i.site_id
         JOIN checklist_snapshots c ON c.id = i.snapshot_id",
        "SELECT s.code, r.item_id, r.instance, r.status, r.deadline, r.problem, r.severity, r.responsible,
                r.created_at, coalesce(r.closed_at, '')
         FROM rectifications r JOIN sites s ON s.id = r.site_id",
        "SELECT s.code, r.item_id, r.created_at, e.kind, coalesce(e.from_status, ''), coalesce(e.to_status, ''),
                coalesce(e.old_deadline, ''), coalesce(e.new_deadline, ''), e.note, e.actor, e.at
         FROM rectification_events e JOIN rectifications r ON r.id = e.rectification_id
         JOIN sites s ON s.id = r.site_id",
        "SELECT s.code, i.status, i.inspectors, i.started_at, coalesce(i.submitted_at, ''), i.site_representative,
                i.resume_at
         FROM inspections i JOIN sites s ON s.id = i.site_id",
        "SELECT code, kind, name, town, address, contact, phone, coalesce(floors, -1), coalesce(beds, -1), license
         FROM sites",
        "SELECT name, role, created_at FROM users",
    ];
    let mut text = String::new();
    for sql in queries {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut fields = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    fields.push(format!("{v:?}"));
                }
                Ok(fields.join("\u{1f}"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.sort();
        assert!(!rows.is_empty(), "no rows for {sql}");
        text.push_str(&rows.join("\n"));
        text.push('\u{1e}');
    }
    sha256_hex(text.as_bytes())
}

#[test]
fn the_same_seed_gives_the_same_content_and_another_seed_other_content() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (dir.path().join("a.db"), dir.path().join("b.db"), dir.path().join("c.db"));
    let out = run_demo(&a, 42).success();
    let line = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(line.contains("seed 42") && line.contains("rectifications"), "{line}");
    run_demo(&b, 42).success();
    run_demo(&c, 43).success();
    assert_eq!(digest(&a), digest(&b));
    assert_ne!(digest(&a), digest(&c));
}

#[test]
fn a_database_with_inspections_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("used.db");
    run_demo(&db, 1).success();
    let out = run_demo(&db, 2).failure().code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains(&db.display().to_string()) && err.contains("--db"), "{err}");
}

/// A tiny demo database made through the library, with its connection.
fn generated(seed: u64) -> (tempfile::TempDir, Store, demo::Summary) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lib.db")).unwrap();
    // Seeded as `ducha demo` seeds a new database: at the simulated setup time.
    demo::set_setup_clock(today());
    ducha::app::seed(&mut store, "管理员").unwrap();
    demo::clear_clock();
    let opts = Options { scale: Scale::Tiny, seed, today: today() };
    let mut days = 0;
    let summary = demo::generate(&mut store, "管理员", &opts, &mut |p| days = p.day).unwrap();
    assert!(days >= 365, "progress reported {days} days");
    (dir, store, summary)
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn every_status_occurs_some_overdue_and_the_clock_is_cleared() {
    let (_d, store, summary) = generated(7);
    let conn = store.conn();
    for (status, n) in &summary.by_status {
        assert!(*n > 0, "no rectification is {}", status.key());
    }
    assert!(summary.overdue > 0, "nothing is overdue");
    let overdue = count(
        conn,
        "SELECT count(*) FROM rectifications WHERE status NOT IN ('verified', 'withdrawn') AND deadline < '2026-11-29'",
    );
    assert_eq!(overdue, summary.overdue);
    // Rejections and extensions are in the history.
    assert!(
        count(
            conn,
            "SELECT count(*) FROM rectification_events WHERE from_status = 'fix_reported' AND to_status = 'in_progress'"
        ) > 0
    );
    assert!(count(conn, "SELECT count(*) FROM rectification_events WHERE kind = 'extend'") > 0);
    assert!(summary.drafts > 0 && summary.submitted > summary.drafts);
    // Everything happened within the simulated year, and the clock is the real one again.
    assert_eq!(count(conn, "SELECT count(*) FROM audit WHERE at > '2026-11-29T08:31'"), 0);
    assert!(count(conn, "SELECT count(*) FROM inspections WHERE started_at < '2026-01-01'") > 0);
    let now = chrono::DateTime::parse_from_rfc3339(&ducha::store::now()).unwrap();
    assert!(
        (chrono::Local::now().fixed_offset() - now).num_seconds().abs() < 60,
        "the clock is still simulated"
    );
    // Enforcement inspections have two inspectors.
    let mut stmt = conn
        .prepare("SELECT i.inspectors FROM inspections i JOIN sites s ON s.id = i.site_id WHERE s.kind = 'social_org'")
        .unwrap();
    let teams: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert!(!teams.is_empty());
    for t in teams {
        assert_eq!(serde_json::from_str::<Vec<String>>(&t).unwrap().len(), 2, "{t}");
    }
}

#[test]
fn answers_are_valid_for_their_items() {
    let (_d, store, _) = generated(7);
    let conn = store.conn();
    let mut checklists: HashMap<String, Checklist> = HashMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.source, a.item_id, a.value, a.outcome, a.problem, a.deadline, substr(a.answered_at, 1, 10)
             FROM answers a JOIN inspections i ON i.id = a.inspection_id
             JOIN checklist_snapshots c ON c.id = i.snapshot_id",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut n = 0;
    while let Some(r) = rows.next().unwrap() {
        let snapshot: String = r.get(0).unwrap();
        let cl = checklists
            .entry(snapshot)
            .or_insert_with(|| parse_checklist(&r.get::<_, String>(1).unwrap()).unwrap());
        let (item_id, value, outcome): (String, String, String) =
            (r.get(2).unwrap(), r.get(3).unwrap(), r.get(4).unwrap());
        let item = cl.item(&item_id).unwrap_or_else(|| panic!("no item {item_id}"));
        let decoded =
            Value::decode(&item.kind, &value).unwrap_or_else(|| panic!("{item_id}: bad value {value}"));
        assert_eq!(decoded.outcome(item).key(), outcome, "{item_id} = {value}");
        match (&item.kind, &decoded) {
            (AnswerKind::Number(spec), Value::Number(v)) => assert!(spec.allows(*v), "{item_id} = {v}"),
            (AnswerKind::Choice(opts), Value::Choice(k)) => {
                assert!(opts.iter().any(|o| &o.key == k), "{item_id}")
            }
            (AnswerKind::MultiChoice(opts), Value::Multi(keys)) => {
                assert!(keys.iter().all(|k| opts.iter().any(|o| &o.key == k)), "{item_id}")
            }
            (AnswerKind::Text { .. }, Value::Text(t)) => assert!(!t.trim().is_empty(), "{item_id}"),
            _ => {}
        }
        let problem: Option<String> = r.get(5).unwrap();
        if outcome == "fail" {
            // A failure carries a finding, its deadline the item's deadline_days from the day it was found.
            assert!(problem.is_some_and(|p| !p.trim().is_empty()), "{item_id} failed without a problem");
            let deadline = NaiveDate::parse_from_str(&r.get::<_, String>(6).unwrap(), "%Y-%m-%d").unwrap();
            let day = NaiveDate::parse_from_str(&r.get::<_, String>(7).unwrap(), "%Y-%m-%d").unwrap();
            assert_eq!((deadline - day).num_days(), i64::from(item.deadline_days), "{item_id}");
        } else {
            assert!(problem.is_none(), "{item_id} has a problem but {outcome}");
        }
        n += 1;
    }
    assert!(n > 1000, "only {n} answers");
}

#[test]
fn the_audit_covers_what_was_written() {
    let (_d, store, summary) = generated(7);
    let conn = store.conn();
    let pairs = [
        ("inspection.create", "SELECT count(*) FROM inspections"),
        ("inspection.submit", "SELECT count(*) FROM inspections WHERE status = 'submitted'"),
        ("answer.create", "SELECT count(*) FROM answers WHERE base IS NULL"),
        ("answer.amend", "SELECT count(*) FROM answers WHERE base IS NOT NULL"),
        ("rectification.withdraw", "SELECT count(*) FROM rectification_events WHERE kind = 'withdraw'"),
        ("evidence.attach", "SELECT count(*) FROM evidence"),
        ("rectification.create", "SELECT count(*) FROM rectifications"),
        ("rectification.transition", "SELECT count(*) FROM rectification_events WHERE kind = 'transition'"),
        ("rectification.extend", "SELECT count(*) FROM rectification_events WHERE kind = 'extend'"),
        ("rectification.note", "SELECT count(*) FROM rectification_events WHERE kind = 'note'"),
        ("site.create", "SELECT count(*) FROM sites"),
        ("user.add", "SELECT count(*) FROM users"),
    ];
    for (action, sql) in pairs {
        let audited: i64 =
            conn.query_row("SELECT count(*) FROM audit WHERE action = ?1", [action], |r| r.get(0)).unwrap();
        assert_eq!(audited, count(conn, sql), "{action}");
    }
    assert_eq!(summary.answers, count(conn, "SELECT count(*) FROM answers"));
    // Photos were copied beside the database for every failure of an item that demands evidence.
    let stored: i64 = count(conn, "SELECT count(*) FROM evidence");
    assert!(stored > 0);
    let dir = store.path().unwrap().parent().unwrap().join("evidence");
    assert!(dir.is_dir());
}

#[test]
fn only_an_admin_generates_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("roles.db")).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    let opts = Options { scale: Scale::Tiny, seed: 1, today: today() };
    let err = demo::generate(&mut store, "路人", &opts, &mut |_| {}).unwrap_err();
    assert!(matches!(err, demo::DemoError::NotAdmin { role: None, .. }), "{err:?}");
    assert!(err.message(ducha::i18n::Lang::Zh, Path::new("roles.db")).contains("管理员"));
    assert_eq!(count(store.conn(), "SELECT count(*) FROM users"), 1, "nothing was written");
}
