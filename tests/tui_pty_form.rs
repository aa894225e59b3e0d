#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The failure form in the real binary in a pseudo-terminal: text typed into it and never saved with
//! Ctrl-S survives a SIGKILL (its draft is saved once typing pauses) and is on screen again when the
//! draft inspection is resumed.

mod pty;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pty::{CTRL_S, Console, ENTER, TIMEOUT};

const SITE_CODE: &str = "32068002";
const PROBLEM: &str = "未悬挂代销证，仅有复印件";

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("d.db");
    (dir, db)
}

/// Home → n → lottery outlets → the site by its code → the checklist → inspectors → the first item.
fn start_inspection(con: &mut Console) {
    con.start_outlet_inspection(SITE_CODE);
}

/// The fields of the stored form draft, once there is one (polled: the console saves it a second after
/// typing stops; the loop only guards against a hang).
fn wait_for_draft(db: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(conn) = rusqlite::Connection::open(db)
            && let Ok(fields) =
                conn.query_row("SELECT fields FROM form_drafts", [], |r| r.get::<_, String>(0))
            && fields.contains(PROBLEM)
        {
            return fields;
        }
        assert!(start.elapsed() < TIMEOUT * 3, "no form draft was saved");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn text_typed_into_the_failure_form_survives_a_sigkill_and_is_back_on_resume() {
    let (_dir, db) = temp_db();
    let mut con = Console::start(&db, &[]);
    start_inspection(&mut con);
    con.send("2");
    con.wait_for("不合格：记录问题");
    con.send(PROBLEM);
    con.wait_for(PROBLEM);
    let fields = wait_for_draft(&db);
    assert!(fields.contains("\"severity\""), "{fields}");
    let status = std::process::Command::new("kill").args(["-9", &con.pid().to_string()]).status().unwrap();
    assert!(status.success());
    con.wait_exit(TIMEOUT);
    drop(con);

    let mut con = Console::start(&db, &[]);
    con.wait_for("进行中的草稿 (1)");
    con.send(ENTER);
    let screen = con.wait_for("不合格：记录问题");
    assert!(screen.contains(PROBLEM), "the form reopens with the text typed before the kill:\n{screen}");
    con.send(CTRL_S);
    con.wait_until("the form closed", |s| !s.contents().contains("不合格：记录问题"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let problem: String = conn
        .query_row("SELECT problem FROM answers WHERE item_id = 'license_displayed'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(problem, PROBLEM);
    let drafts: i64 = conn.query_row("SELECT count(*) FROM form_drafts", [], |r| r.get(0)).unwrap();
    assert_eq!(drafts, 0, "the saved finding replaced its draft");
    con.send("q");
    assert!(con.wait_exit(TIMEOUT).success());
}
