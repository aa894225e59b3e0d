#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real console in a pseudo-terminal: a lottery-outlet inspection answered with "the rest of this
//! section passes" (p, then Enter on its question), and submitted with the representative's refusal to
//! sign (Ctrl-R, 拒签) after the confirmation; the database holds an ordinary, audited answer for each
//! marked item and the refusal.

mod pty;

use pty::{CTRL_S, Console, ENTER, TIMEOUT, progress};

const SITE_CODE: &str = "32068002";
const CTRL_R: &str = "\x12";

fn start_inspection(con: &mut Console) {
    con.start_outlet_inspection(SITE_CODE);
}

fn answered(con: &Console) -> usize {
    progress(&con.contents()).map_or(usize::MAX, |p| p.2)
}

/// The number in "已将 N 项记为合格".
fn marked(screen: &str) -> Option<usize> {
    let start = screen.find("已将 ")? + "已将 ".len();
    let rest = &screen[start..];
    rest[..rest.find(' ')?].parse().ok()
}

#[test]
fn sections_marked_as_passed_and_a_refusal_to_sign_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let mut con = Console::start(&db, &[]);
    start_inspection(&mut con);

    let mut by_p = 0;
    let mut presses_of_p = 0;
    for _ in 0..100 {
        let screen = con.contents();
        let (done, required, given, _) = progress(&screen).unwrap_or_else(|| panic!("no gauge:\n{screen}"));
        if done == required {
            break;
        }
        if !screen.contains("答案：未答") {
            // On an answered or skipped item: on to the next open one.
            let before = con.contents();
            con.send("n");
            con.wait_until("n moves on", |s| s.contents() != before);
            continue;
        }
        let footer = con.footer();
        if footer.contains("1 合格") {
            con.send("p");
            let question = con.wait_for("中尚未作答的");
            assert!(question.contains("Enter 确认"), "{question}");
            con.send(ENTER);
            let screen = con.wait_for("项记为合格");
            let n = marked(&screen).unwrap_or_else(|| panic!("how many were marked:\n{screen}"));
            assert!(n >= 1, "{screen}");
            con.wait_until("the marked answers saved", |s| {
                progress(&s.contents()).is_some_and(|p| p.2 == given + n)
            });
            by_p += n;
            presses_of_p += 1;
        } else if footer.contains("1-9 选择") {
            con.send("1");
            con.wait_until("the choice saved", |s| progress(&s.contents()).is_some_and(|p| p.2 == given + 1));
        } else {
            con.fill_value_editor();
            con.wait_until("the value saved", |s| progress(&s.contents()).is_some_and(|p| p.2 == given + 1));
        }
    }
    assert!(presses_of_p >= 2, "p was used in more than one section");
    let total = answered(&con);

    con.send("s");
    con.wait_for("被检查单位代表");
    con.send(CTRL_S);
    con.wait_for("须填写被检查单位代表姓名，或记录拒签");
    con.send(CTRL_R);
    con.wait_for("[拒签]");
    con.send(CTRL_S);
    let screen = con.wait_for("确认提交");
    assert!(screen.contains("锁定") && screen.contains("拒绝签字"), "{screen}");
    con.send(ENTER);
    con.wait_for("已提交，生成整改事项 0 条");
    con.send("q");
    assert!(con.wait_exit(TIMEOUT).success());

    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, status, representative): (String, String, String) = conn
        .query_row("SELECT id, status, site_representative FROM inspections", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), representative.as_str()), ("submitted", "拒签"));
    let count = |sql: &str| -> i64 { conn.query_row(sql, [&id], |r| r.get(0)).unwrap() };
    let rows = count("SELECT count(*) FROM answers WHERE inspection_id = ?1");
    assert_eq!(usize::try_from(rows).unwrap(), total, "one answer row per answered item");
    let passes = count(
        "SELECT count(*) FROM answers WHERE inspection_id = ?1 AND outcome = 'pass' AND value = 'pass'",
    );
    assert!(usize::try_from(passes).unwrap() >= by_p, "{passes} check passes, {by_p} marked with p");
    let audited: i64 = conn
        .query_row("SELECT count(*) FROM audit WHERE action = 'answer.create'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(usize::try_from(audited).unwrap(), total, "each marked answer is audited like any other");
    let submit: String =
        conn.query_row("SELECT new FROM audit WHERE action = 'inspection.submit'", [], |r| r.get(0)).unwrap();
    assert!(submit.contains("拒签"), "{submit}");
}
