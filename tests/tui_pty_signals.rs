#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Environment faults in a pseudo-terminal: SIGINT and SIGQUIT (SIGTERM and SIGHUP are in tui_pty.rs)
//! each close the console with the terminal restored and the answer given kept, and a terminal that goes
//! away without any signal reaching the console (its shell ignores SIGHUP) ends the console instead of
//! leaving it spinning on end-of-file.

mod pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use pty::{Console, TIMEOUT, progress};

const SITE_CODE: &str = "32068002";

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("d.db");
    (dir, db)
}

fn wait_answered(con: &Console, n: usize) {
    con.wait_until(&format!("{n} answers on the progress gauge"), |s| {
        progress(&s.contents()).is_some_and(|p| p.2 == n)
    });
}

/// Home → a new lottery-outlet inspection of one site → its first item, answered 合格.
fn answer_one_item(con: &mut Console) {
    con.start_outlet_inspection(SITE_CODE);
    con.send("1");
    wait_answered(con, 1);
}

fn passes_stored(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    conn.query_row("SELECT count(*) FROM answers WHERE outcome = 'pass'", [], |r| r.get(0)).unwrap()
}

fn signal_restores_the_terminal_and_keeps_the_answer(signal: &str) {
    let (_dir, db) = temp_db();
    let mut con = Console::start(&db, &[]);
    answer_one_item(&mut con);
    assert!(con.with_screen(vt100::Screen::alternate_screen));
    if let Some(cooked) = con.cooked() {
        assert!(!cooked, "the console runs in raw mode");
    }
    let status = std::process::Command::new("kill").args([signal, &con.pid().to_string()]).status().unwrap();
    assert!(status.success(), "kill {signal}");
    let status = con.wait_exit(TIMEOUT);
    assert!(status.success(), "{signal} ends the console cleanly (no core dump, exit 0): {status:?}");
    con.with_screen(|s| {
        assert!(!s.alternate_screen(), "back on the main screen after {signal}");
        assert!(!s.hide_cursor(), "the cursor is visible after {signal}");
    });
    if let Some(cooked) = con.cooked() {
        assert!(cooked, "canonical input and echo are back after {signal}");
    }
    assert_eq!(passes_stored(&db), 1, "the answer given before {signal} is stored");
}

#[test]
fn sigquit_closes_the_console_with_the_terminal_restored_and_the_answer_kept() {
    signal_restores_the_terminal_and_keeps_the_answer("-QUIT");
}

#[test]
fn sigint_closes_the_console_with_the_terminal_restored_and_the_answer_kept() {
    signal_restores_the_terminal_and_keeps_the_answer("-INT");
}

#[test]
fn a_terminal_that_goes_away_without_sighup_ends_the_console_and_keeps_the_answer() {
    let (_dir, db) = temp_db();
    let mut con = Console::start_under_shell_ignoring_hup(&db, &[]);
    answer_one_item(&mut con);
    // `?` opens the help, where the line feed and end-of-file sent as the pty closes do nothing.
    con.hang_up("?");
    // Without the fix the console spins on end-of-file forever and this times out. The shell that ran it
    // exits with its status.
    let status = con.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "the console leaves cleanly when its terminal is gone: {status:?}");
    assert_eq!(passes_stored(&db), 1, "the answer given before the terminal went away is stored");
}
