#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The settings screen in the real console, in a pseudo-terminal: the admin sets the bureau's name there
//! (`s` on home, Enter, type, Enter) and `ducha settings get` reads the same value back; a value the check
//! refuses is explained under the field and not saved.

mod common;
mod pty;

use pty::{Console, ENTER, TIMEOUT};

#[test]
fn an_admin_sets_the_bureau_name_in_the_console_and_the_command_line_reads_it_back() {
    let (_dir, db) = common::temp_db();
    // The first user of a new database (王芳 in the harness) is its admin.
    let mut con = Console::start(&db, &[]);
    con.wait_for("按 n 新建检查");
    con.send("s");
    con.wait_for("局设置");
    con.wait_for("按 Enter 修改所选设置");
    con.send(ENTER);
    con.wait_for("局名：");
    con.send("如皋市民政局");
    con.send(ENTER);
    con.wait_for("已保存局名：如皋市民政局");

    // A notice format without {device} is refused under the field; Esc leaves it as it was.
    con.send("jj");
    con.send(ENTER);
    con.wait_for("整改通知书文号格式：");
    con.send("\x15督整〔{year}〕第{seq}号");
    con.send(ENTER);
    con.wait_for("否则编号可能重复");
    con.send("\x1b");
    con.wait_for("已取消，未保存");
    con.send("q");
    assert!(con.wait_exit(TIMEOUT).success());

    let get = |key: &str| {
        let out = common::ducha(&db).args(["--lang", "zh", "settings", "get", key]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(get("bureau.name"), "如皋市民政局\n");
    assert_eq!(
        get("notice.format"),
        "督整〔{year}〕第{device}-{seq:03}号\n",
        "the refused value was not saved"
    );
    let list = common::ducha(&db).args(["--lang", "zh", "settings", "list"]).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(
        list.lines().any(|l| l.starts_with("bureau.name") && l.contains("王芳")),
        "audited as 王芳: {list}"
    );
}
