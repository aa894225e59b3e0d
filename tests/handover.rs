//! `ducha handover`: one consistent file while another process records, never overwriting unless asked,
//! every photo inside and listed by `sqlite3 -A`, no bigger than the database and its evidence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use laptops::{ADMIN, INSPECTOR, demo, inspect, office};

#[test]
fn a_hand_over_taken_while_another_process_records_is_whole_and_merges() {
    let o = office();
    let db = o.db.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let writer = std::thread::spawn(move || {
        let place = laptops::Place { dir: tempfile::tempdir().unwrap(), db };
        let mut n = 0;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) && n < 200 {
            inspect(&place, INSPECTOR, "YL001", &["exit_unblocked"]);
            n += 1;
        }
        n
    });
    let mut files = Vec::new();
    for i in 0..4 {
        files.push(o.handover(&format!("h{i}.hand")));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let recorded = writer.join().unwrap();
    assert!(recorded > 0);
    let target = office();
    for f in &files {
        // Each file is one snapshot: its chain verifies and every inspection in it is whole.
        let out = common::ducha(f).arg("verify").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        target.merge_ok(&[f]);
    }
    let inspections = target.count("SELECT count(*) FROM inspections WHERE status = 'submitted'");
    let rects = target.count("SELECT count(*) FROM rectifications");
    assert_eq!(inspections, rects, "every inspection arrived with its rectification");
}

#[test]
fn an_existing_file_is_replaced_only_when_asked_and_the_file_lists_its_photos() {
    let d = demo(5);
    let out = d.dir.path().join("x.hand");
    std::fs::write(&out, "keep me").unwrap();
    let refused = common::ducha(&d.db).args(["--user", ADMIN, "handover", "-o"]).arg(&out).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let done =
        common::ducha(&d.db).args(["--user", ADMIN, "handover", "--force", "-o"]).arg(&out).output().unwrap();
    assert!(done.status.success());
    let text = String::from_utf8_lossy(&done.stdout).into_owned();
    assert!(text.contains("evidence files:") && text.contains("audit chain heads"), "{text}");

    let photos = d.count("SELECT count(DISTINCT a.inspection_id || e.stored_name) FROM evidence e JOIN answers a ON a.id = e.answer_id");
    assert!(photos > 0);
    let archived: i64 = rusqlite::Connection::open(&out)
        .unwrap()
        .query_row("SELECT count(*) FROM sqlar WHERE name LIKE 'evidence/%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(archived, photos, "every photo inside");
    if let Ok(listed) = std::process::Command::new("sqlite3").arg(&out).args(["-A", "--list"]).output() {
        let names = String::from_utf8_lossy(&listed.stdout);
        assert_eq!(names.lines().count() as i64, photos, "sqlite3 -A lists them");
    }
    // No bigger than the database and its evidence.
    let evidence: u64 = d.count("SELECT coalesce(sum(bytes), 0) FROM (SELECT DISTINCT a.inspection_id, e.stored_name, e.bytes FROM evidence e JOIN answers a ON a.id = e.answer_id)") as u64;
    let db_bytes = std::fs::metadata(&d.db).unwrap().len();
    assert!(std::fs::metadata(&out).unwrap().len() <= db_bytes + evidence + 64 * 1024);
}
