#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A conflict settled in the real console in a pseudo-terminal: a database where a rectification was
//! verified here and rejected on a laptop; a supervisor opens the board, filters to conflicts with `C`,
//! opens the detail and sees both branches, settles on the rejection with `m`, and the conflict is gone from
//! the screen and the database.

mod common;
mod pty;

use pty::{Console, ENTER, TAB};

#[test]
fn a_supervisor_settles_a_conflict_typed_into_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = common::conflict::board_database(dir.path());
    let mut con = Console::start(&db, &[("DUCHA_USER", "科长乙")]);
    con.wait_for("整改");
    con.send("b");
    con.wait_for("冲突 1 条（C 查看）");
    con.send("C");
    con.wait_for("只看冲突");
    let list = con.wait_for("共 1 条");
    assert!(list.contains("冲突 二楼疏散通道堆放杂物"), "{list}");
    assert!(!list.contains("灭火器过期"), "{list}");

    con.send(ENTER);
    let detail = con.wait_for("分支之前的跟进记录");
    for text in
        ["分支 1 → 已销号", "现场复查通过", "分支 2 → 整改中", "三楼仍有堆物", "（分支起点）", "m 裁决"]
    {
        assert!(detail.contains(text), "{text} in\n{detail}");
    }
    // A transition is refused before anything is typed.
    con.send("v");
    con.wait_for("须科室负责人先裁决");

    con.send("m");
    con.wait_for("裁决冲突（须填写理由）");
    con.send("2");
    con.wait_for("[分支 2 → 整改中]");
    con.send(TAB);
    con.send("以三楼现场为准");
    con.wait_for("以三楼现场为准");
    con.send(ENTER);
    let settled = con.wait_for("已裁决冲突：采用分支 2");
    assert!(settled.contains("裁决冲突：采用分支 2（整改中）：以三楼现场为准"), "{settled}");
    assert!(settled.contains("状态：整改中"), "{settled}");
    assert!(!settled.contains("分支之前"), "no branches any more:\n{settled}");

    // Back on the list, still filtered to conflicts: none left.
    con.send("\x1b");
    con.wait_for("没有符合条件的整改事项");
    con.send("q");
    con.wait_exit(pty::TIMEOUT);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let (status, conflict): (String, i64) = conn
        .query_row("SELECT status, conflict FROM rectifications WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), conflict), ("in_progress", 0));
}
