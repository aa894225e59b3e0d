#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A read never waits on a writer: while another connection holds the write lock (`BEGIN IMMEDIATE`, as a
//! long registry import does), the reading commands and an export finish, and the lock was never theirs.

mod common;

use std::time::{Duration, Instant};

use common::{ducha_process, temp_db};

/// Runs `cmd` to its end, failing the test if it hangs (a generous guard, not a measurement).
fn run_guarded(cmd: &mut std::process::Command) -> std::process::Output {
    let child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let start = Instant::now();
    loop {
        if let Ok(out) = rx.recv_timeout(Duration::from_millis(50)) {
            return out.unwrap();
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{cmd:?} hung while another connection held the write lock");
        }
    }
}

#[test]
fn reading_commands_and_exports_finish_while_another_process_holds_the_write_lock() {
    let (dir, db) = temp_db();
    assert!(run_guarded(ducha_process(&db).arg("status")).status.success());
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE; CREATE TABLE held (x)").unwrap();
    for args in [&["status"][..], &["sites", "list"], &["users", "list"], &["report", "weekly"], &["verify"]]
    {
        let out = run_guarded(ducha_process(&db).args(args));
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let csv = dir.path().join("list.csv");
    let out = run_guarded(ducha_process(&db).args(["export", "rectifications", "-o"]).arg(&csv));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(csv.is_file());
    assert!(err.contains("could not be recorded in the audit log"), "the lock was held: {err}");
    // Still ours: none of them took the write lock (a commit would fail had it been lost).
    writer.execute_batch("INSERT INTO held VALUES (1); COMMIT").unwrap();
}

#[test]
fn the_console_executor_hands_a_write_back_while_another_process_holds_the_write_lock() {
    use ducha::tui::action::Action;
    use ducha::tui::effect::{Effect, Executor};
    let (_dir, db) = temp_db();
    assert!(run_guarded(ducha_process(&db).arg("status")).status.success());
    let store = ducha::store::Store::open(&db).unwrap();
    let mut executor = Executor::new(store, vec![], "王芳".into(), ducha::i18n::Lang::Zh);
    let resume = Effect::Resume { inspection_id: "none".into(), at: "x".into() };
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    match executor.run(resume.clone()) {
        Action::Busy(back) => assert_eq!(*back, resume, "the very write, to run again"),
        other => panic!("expected the write handed back, got {other:?}"),
    }
    assert!(matches!(executor.run(Effect::LoadHome), Action::HomeLoaded(_)), "reads go on");
    writer.execute_batch("COMMIT").unwrap();
    assert!(!matches!(executor.run(resume), Action::Busy(_)), "free again: it runs");
}

#[path = "pty/mod.rs"]
mod pty;

#[test]
fn an_answer_given_while_another_process_writes_is_saved_once_the_database_is_free() {
    use pty::{Console, progress};
    let (_dir, db) = temp_db();
    let mut con = Console::start(&db, &[]);
    con.start_outlet_inspection(pty::OUTLET);
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    con.send("1");
    con.wait_for("数据库正被其他程序写入，正在重试");
    let passes = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM answers WHERE outcome = 'pass'", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(passes(&writer), 0, "not written while the lock is held");
    writer.execute_batch("COMMIT").unwrap();
    con.wait_until("the answer saved", |s| progress(&s.contents()).is_some_and(|p| p.2 == 1));
    assert_eq!(passes(&writer), 1, "saved once the database was free");
    assert!(!con.contents().contains("正在重试"), "the busy message is gone");
    con.send("\x1b");
}
