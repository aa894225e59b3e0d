#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Two real consoles on one draft (two windows of one database, or a laptop shared by two inspectors):
//! each notices the other's answers without a key being pressed, shows them, and what either screen
//! showed as saved is what the database holds in the end. Nothing acknowledged is overwritten unseen.

mod pty;
mod reliability;

use pty::{Console, ENTER, TIMEOUT, progress};
use reliability::Fixture;

fn resume(con: &mut Console) {
    con.wait_for("进行中的草稿 (1)");
    con.send(ENTER);
    con.wait_until("the resumed draft", |s| progress(&s.contents()).is_some());
}

fn wait_answered(con: &Console, n: usize) {
    con.wait_until(&format!("已答 {n}"), |s| progress(&s.contents()).is_some_and(|p| p.2 == n));
}

fn stored(fx: &Fixture, id: &str, item: &str) -> (String, String) {
    fx.conn()
        .query_row(
            "SELECT value, answered_by FROM answers WHERE inspection_id = ?1 AND item_id = ?2",
            [id, item],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn two_consoles_on_one_draft_see_each_others_answers_and_lose_none() {
    let fx = Fixture::new(10);
    let id = fx.start_draft();
    let mut a = Console::start(&fx.db, &[]);
    resume(&mut a);
    let mut b = Console::start(&fx.db, &[("DUCHA_USER", "李强")]);
    resume(&mut b);
    assert!(a.contents().contains("第0项检查是否合格") && b.contents().contains("第0项检查是否合格"));

    // B marks the first item not applicable; A, untouched, notices and shows it.
    b.send("3");
    wait_answered(&b, 1);
    let screen = a.wait_for("另一窗口修改了 1 项（第0项检查是否合格？：不适用），已重新载入");
    assert!(screen.contains("答案：不适用"), "A shows B's answer on the item it stands on:\n{screen}");
    assert_eq!(progress(&screen).map(|p| p.2), Some(1), "{screen}");

    // A, having seen it, changes it to pass; B notices in turn.
    a.send("1");
    wait_answered(&a, 1);
    a.wait_for("第1项检查是否合格");
    let screen = b.wait_for("另一窗口修改了 1 项（第0项检查是否合格？：合格），已重新载入");
    assert!(!screen.contains("答案：不适用"), "B no longer shows its stale answer:\n{screen}");

    // B answers the next item; A sees the count rise without a key.
    b.send("1");
    wait_answered(&b, 2);
    let screen = a.wait_for("另一窗口修改了 1 项（第1项检查是否合格？：合格）");
    assert!(screen.contains("答案：合格"), "{screen}");
    assert_eq!(progress(&screen).map(|p| p.2), Some(2), "{screen}");

    for con in [&mut a, &mut b] {
        con.send("q");
        assert!(con.wait_exit(TIMEOUT).success());
    }
    // Each acknowledged answer is stored: the last one given for each item, by whoever gave it.
    assert_eq!(stored(&fx, &id, "c000"), ("pass".into(), "王芳".into()));
    assert_eq!(stored(&fx, &id, "c001"), ("pass".into(), "李强".into()));
    assert_eq!(reliability::answered(&fx.conn(), &id), ["c000", "c001"]);
    // B's not-applicable was replaced by A only after A's screen showed it (the audit keeps both).
    let updates: i64 = fx
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'answer.update' AND actor = '王芳'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(updates, 1);
}
