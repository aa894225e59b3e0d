#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Black-box tests of the console in a pseudo-terminal: a whole inspection typed in and submitted,
//! answers surviving a SIGKILL and the draft resuming where it was left, and the terminal restored after
//! a panic, SIGTERM or SIGHUP. Bare `ducha` without a terminal prints the status instead.

mod pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use predicates::prelude::*;
use pty::{CTRL_S, Console, ENTER, TIMEOUT, progress};

const SITE_CODE: &str = "32068002";
const CHECKLIST: &str = "lottery_outlet_supervision";
/// The item failed in the end-to-end inspection (a check item with no evidence required on failure).
const FAILED_ITEM: &str = "unified_sign";

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("d.db");
    (dir, db)
}

/// A shipped checklist's items, in order, as TOML tables.
fn checklist_items(id: &str) -> Vec<toml::Table> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("checklists/{id}.toml"));
    let text = std::fs::read_to_string(&path).expect("read the shipped checklist");
    let doc: toml::Table = text.parse().expect("the shipped checklist is TOML");
    doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap().iter())
        .map(|i| i.as_table().unwrap().clone())
        .collect()
}

fn field<'a>(item: &'a toml::Table, key: &str) -> &'a str {
    item[key].as_str().unwrap()
}

fn item<'a>(items: &'a [toml::Table], id: &str) -> &'a toml::Table {
    items.iter().find(|i| field(i, "id") == id).unwrap()
}

/// The start of an item's prompt: short enough never to be wrapped on an 80-column screen.
fn prompt_start(item: &toml::Table) -> String {
    field(item, "prompt").chars().take(12).collect()
}

fn answered(con: &Console) -> usize {
    progress(&con.contents()).map_or(usize::MAX, |p| p.2)
}

fn wait_answered(con: &Console, n: usize) {
    con.wait_until(&format!("{n} answers on the progress gauge"), |s| {
        let text = s.contents();
        progress(&text).is_some_and(|p| p.2 == n) && !text.contains("不合格：记录问题")
    });
}

/// Home → n → the lottery-outlet domain → the site filtered by its code → the checklist → inspectors
/// (prefilled with the user) → the first item.
fn start_inspection(con: &mut Console) {
    con.wait_for("按 n 新建检查");
    con.send("n");
    con.wait_for("选择检查领域");
    con.send("j");
    con.wait_for("> 福利彩票投注站");
    con.send(ENTER);
    con.wait_for("选择被检查单位");
    con.send(SITE_CODE);
    let screen = con.wait_for(&format!("> {SITE_CODE}  中国福利彩票第{SITE_CODE}号投注站"));
    assert_eq!(screen.matches("中国福利彩票第").count(), 1, "the code filter leaves one site:\n{screen}");
    con.send(ENTER);
    con.wait_for("> 福利彩票投注站督查");
    con.send(ENTER);
    con.wait_for("检查人员：王芳");
    con.send(ENTER);
    con.wait_until("the first item of the new inspection", |s| {
        progress(&s.contents()).is_some_and(|p| p.2 == 0)
    });
}

fn kill(con: &Console, signal: &str) {
    let status =
        std::process::Command::new("kill").args([signal, &con.pid().to_string()]).status().expect("run kill");
    assert!(status.success(), "kill {signal} failed");
}

fn open_db(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).expect("open the database")
}

fn count(conn: &rusqlite::Connection, sql: &str, arg: &str) -> i64 {
    conn.query_row(sql, [arg], |r| r.get(0)).unwrap()
}

#[test]
fn a_whole_inspection_typed_into_the_console_is_submitted_with_its_rectification_and_audit_trail() {
    let (_dir, db) = temp_db();
    let items = checklist_items(CHECKLIST);
    let failed = item(&items, FAILED_ITEM);
    let failed_prompt = prompt_start(failed);
    let problem = "门头标识褪色，部分被广告遮挡";
    let mut con = Console::start(&db, &[]);
    start_inspection(&mut con);

    // Answer item by item, reading the screen to see what kind of item is showing.
    let mut given = 0;
    let mut failures = 0;
    for _ in 0..=items.len() * 2 {
        let screen = con.contents();
        let (done, required, shown_answered, _) =
            progress(&screen).unwrap_or_else(|| panic!("no progress gauge:\n{screen}"));
        assert_eq!(shown_answered, given, "the gauge counts what was answered:\n{screen}");
        if done == required {
            break;
        }
        let footer = con.footer();
        if screen.contains("重复分组") {
            // A repeat section's header: add a repetition if there is none yet, else go on.
            con.send(if screen.contains("记录：0。") { "+" } else { "j" });
            con.wait_until("leaving the repeat-section header", |s| !s.contents().contains("重复分组"));
            continue;
        }
        if footer.contains("1 合格") && screen.contains(&failed_prompt) {
            con.send("2");
            con.wait_for("不合格：记录问题");
            con.send(problem);
            con.wait_for(problem);
            con.send(CTRL_S);
            failures += 1;
        } else if footer.contains("1 合格") || footer.contains("1-9 选择") {
            con.send("1");
        } else {
            con.fill_value_editor();
        }
        given += 1;
        wait_answered(&con, given);
    }
    let screen = con.contents();
    let (done, required, _, _) = progress(&screen).unwrap();
    assert_eq!(done, required, "every required item answered:\n{screen}");
    assert_eq!(failures, 1, "the failed item was reached:\n{screen}");
    assert_eq!(
        given,
        items.len(),
        "with these answers every item of the checklist is shown, the conditional ones too"
    );

    con.send("s");
    let screen = con.wait_for("被检查单位代表");
    assert!(screen.contains("发现问题 1 项"), "{screen}");
    assert!(screen.contains(problem), "the problem is listed for the representative:\n{screen}");
    // The form opens on the representative: the inspectors are there.
    con.send("王成兵");
    con.wait_for("王成兵");
    con.send(ENTER);
    // Submitting locks the record: a confirmation says so first.
    con.wait_for("确认提交");
    con.send(ENTER);
    con.wait_for("已提交，生成整改事项 1 条");
    con.send("q");
    let status = con.wait_exit(TIMEOUT);
    assert!(status.success(), "q quits cleanly: {status:?}");

    let conn = open_db(&db);
    let (id, status, submitted_at, started_at, representative): (
        String,
        String,
        Option<String>,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT id, status, submitted_at, started_at, site_representative FROM inspections",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(status, "submitted");
    assert!(submitted_at.as_deref().is_some_and(|s| !s.is_empty()));
    assert_eq!(representative, "王成兵");

    let answers: Vec<(String, String)> = conn
        .prepare("SELECT item_id, outcome FROM answers WHERE inspection_id = ?1 ORDER BY item_id")
        .unwrap()
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(answers.len(), given, "one answer row per answered item: {answers:?}");
    let fails: Vec<&str> = answers.iter().filter(|(_, o)| o == "fail").map(|(i, _)| i.as_str()).collect();
    assert_eq!(fails, [FAILED_ITEM]);

    let rects: Vec<(String, String, String, String, String)> = conn
        .prepare(
            "SELECT item_id, status, problem, basis, deadline FROM rectifications WHERE inspection_id = ?1",
        )
        .unwrap()
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rects.len(), 1, "{rects:?}");
    let (item_id, rstatus, rproblem, basis, deadline) = &rects[0];
    assert_eq!(item_id, FAILED_ITEM);
    assert_eq!(rstatus, "open");
    assert_eq!(rproblem, problem);
    assert_eq!(basis, field(failed, "basis"));
    let days = failed["deadline_days"].as_integer().unwrap();
    let deadline = chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d").expect("a YYYY-MM-DD deadline");
    let started = chrono::DateTime::parse_from_rfc3339(&started_at).unwrap().date_naive();
    let offset = (deadline - started).num_days();
    assert!(
        offset == days || offset == days + 1,
        "the deadline {deadline} is the item's {days} days after {started}"
    );

    let audit = |action: &str| count(&conn, "SELECT count(*) FROM audit WHERE action = ?1", action);
    assert_eq!(audit("inspection.create"), 1);
    assert_eq!(audit("answer.create"), i64::try_from(given).unwrap());
    assert_eq!(audit("inspection.submit"), 1);
    assert_eq!(audit("rectification.create"), 1);
}

#[test]
fn answers_survive_a_sigkill_and_the_draft_resumes_after_the_last_answered_item() {
    let (_dir, db) = temp_db();
    let items = checklist_items(CHECKLIST);
    let mut con = Console::start(&db, &[]);
    start_inspection(&mut con);
    // Skip the first item, then answer the next five: the first unanswered item stays the first one,
    // so resuming at the seventh shows the draft remembers where it was left.
    con.send("j");
    con.wait_for(&prompt_start(&items[1]));
    for (n, item) in items[1..6].iter().enumerate() {
        con.wait_for(&prompt_start(item));
        con.send("1");
        wait_answered(&con, n + 1);
    }
    kill(&con, "-9");
    let status = con.wait_exit(TIMEOUT);
    assert!(status.signal().is_some(), "killed by a signal: {status:?}");
    drop(con);

    let conn = open_db(&db);
    let mut stored: Vec<String> = conn
        .prepare("SELECT item_id FROM answers")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    stored.sort();
    let mut expected: Vec<String> = items[1..6].iter().map(|i| field(i, "id").to_string()).collect();
    expected.sort();
    assert_eq!(stored, expected, "every answer given before the kill is stored");
    drop(conn);

    let mut con = Console::start(&db, &[]);
    con.wait_for("进行中的草稿 (1)");
    con.send(ENTER);
    let screen = con.wait_for(&prompt_start(&items[6]));
    assert_eq!(answered(&con), 5, "{screen}");
    assert!(!screen.contains(&prompt_start(&items[0])), "not the first unanswered item:\n{screen}");
    con.send("q");
    assert!(con.wait_exit(TIMEOUT).success());
}

#[test]
fn a_panic_restores_the_terminal_and_shows_its_message() {
    let (_dir, db) = temp_db();
    let mut con = Console::start(&db, &[("DUCHA_TEST_PANIC", "1")]);
    let status = con.wait_exit(TIMEOUT);
    assert_eq!(status.exit_code(), 101, "a panic's exit code: {status:?}");
    assert!(status.signal().is_none(), "{status:?}");
    let output = con.output();
    assert!(output.contains("\x1b[?1049h"), "the console had opened on the alternate screen");
    con.with_screen(|s| {
        assert!(!s.alternate_screen(), "back on the main screen");
        assert!(!s.hide_cursor(), "the cursor is visible again");
        assert!(
            s.contents().contains("DUCHA_TEST_PANIC is set: panicking on purpose"),
            "the panic message is on the restored screen:\n{}",
            s.contents()
        );
    });
    if let Some(cooked) = con.cooked() {
        assert!(cooked, "raw mode was left: canonical input and echo are back");
    }
}

/// Opens the console, answers one item, sends `signal`: the process must exit promptly with the
/// terminal restored and the answer kept.
fn signal_while_open(signal: &str) {
    let (_dir, db) = temp_db();
    let mut con = Console::start(&db, &[]);
    start_inspection(&mut con);
    con.send("1");
    wait_answered(&con, 1);
    assert!(con.with_screen(vt100::Screen::alternate_screen));
    if let Some(cooked) = con.cooked() {
        assert!(!cooked, "the console runs in raw mode");
    }
    kill(&con, signal);
    let status = con.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "{signal} ends the console cleanly: {status:?}");
    con.with_screen(|s| {
        assert!(!s.alternate_screen(), "back on the main screen after {signal}");
        assert!(!s.hide_cursor(), "the cursor is visible after {signal}");
    });
    if let Some(cooked) = con.cooked() {
        assert!(cooked, "raw mode was left after {signal}");
    }
    let conn = open_db(&db);
    let stored = count(&conn, "SELECT count(*) FROM answers WHERE outcome = ?1", "pass");
    assert_eq!(stored, 1, "the answer given before {signal} is stored");
}

#[test]
fn sigterm_closes_the_console_with_the_terminal_restored_and_the_answer_kept() {
    signal_while_open("-TERM");
}

#[test]
fn sighup_closes_the_console_with_the_terminal_restored_and_the_answer_kept() {
    signal_while_open("-HUP");
}

#[test]
fn bare_ducha_without_a_terminal_prints_the_status_instead_of_opening_the_console() {
    let (_dir, db) = temp_db();
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_ducha"))
        .arg("--db")
        .arg(&db)
        .env("DUCHA_CONFIG", "/nonexistent/x.toml")
        .env("DUCHA_USER", "王芳")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("DUCHA_DB")
        .env_remove("DUCHA_LANG")
        .env_remove("DUCHA_CHECKLISTS")
        .env_remove("DUCHA_TEST_PANIC")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .assert()
        .success()
        .stdout(predicate::str::contains(db.display().to_string()))
        .stdout(predicate::str::contains("\x1b[").not())
        .stderr(predicate::str::contains("不是终端"));
}
