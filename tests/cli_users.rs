#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha users` and role checks through the binary: the first user is admin, only admins manage users and
//! the site registry, refusals name the role needed and exit 1.

mod common;

use common::{ducha, run, temp_db};

#[test]
fn the_first_user_is_admin_and_admins_add_users_with_roles() {
    let (_dir, db) = temp_db();
    let (code, out, _) = run(ducha(&db).args(["users", "list"]));
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("测试员") && l.contains("admin")), "{out}");
    let (code, out, err) = run(ducha(&db).args(["users", "add", "科长乙", "--role", "supervisor"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("科长乙"), "{out}");
    let (code, out, _) =
        run(ducha(&db).args(["--lang", "zh", "users", "add", "检查员甲", "--role", "检查员"]));
    assert_eq!(code, 0);
    assert!(out.contains("检查员甲：检查员"), "{out}");
    let (_, out, _) = run(ducha(&db).args(["users", "list"]));
    assert!(out.lines().any(|l| l.starts_with("科长乙") && l.contains("supervisor")), "{out}");
}

#[test]
fn non_admins_are_refused_with_the_role_they_need() {
    let (dir, db) = temp_db();
    run(ducha(&db).args(["users", "add", "科长乙", "--role", "supervisor"]));
    let (code, _, err) =
        run(ducha(&db).args(["--user", "科长乙", "users", "add", "某人", "--role", "admin"]));
    assert_eq!(code, 1);
    assert!(err.contains("needs the admin role; 科长乙 is supervisor"), "{err}");
    let csv = dir.path().join("s.csv");
    std::fs::write(&csv, "code,kind,name,town\nX1,养老机构,测试院,如城街道\n").unwrap();
    let (code, _, err) =
        run(ducha(&db).args(["--lang", "zh", "--user", "科长乙", "sites", "import"]).arg(&csv));
    assert_eq!(code, 1);
    assert!(err.contains("需要管理员角色"), "{err}");
    let (code, _, err) = run(ducha(&db).args(["--user", "无名氏", "sites", "remove-sample"]));
    assert_eq!(code, 1);
    assert!(err.contains("not registered"), "{err}");
    let (code, _, _) = run(ducha(&db).args(["users", "add", "x", "--role", "boss"]));
    assert_eq!(code, 2, "an unknown role is a usage error");
}

#[test]
fn output_cut_short_by_the_reader_is_not_a_crash() {
    let (dir, db) = temp_db();
    // A registry big enough that the listing overflows the pipe's buffer.
    let mut csv = String::from("code,kind,name,town\n");
    for i in 0..3000 {
        csv.push_str(&format!("T{i:05},彩票投注站,中国福利彩票第{i:05}号投注站（测试）,如城街道\n"));
    }
    let file = dir.path().join("big.csv");
    std::fs::write(&file, csv).unwrap();
    let (code, _, err) = run(ducha(&db).args(["sites", "import"]).arg(&file));
    assert_eq!(code, 0, "{err}");
    // The reader is gone after one line (as with `| head -1`): the rest of the listing meets a closed pipe.
    let (first, out) = common::first_line_then_close(common::ducha_process(&db).args(["sites", "list"]));
    assert!(first.contains("code"), "{first}");
    assert_eq!(out.status.code(), Some(0), "a closed pipe ends the output quietly");
}

#[test]
fn the_last_admin_cannot_be_demoted_and_is_told_why() {
    let (_dir, db) = temp_db();
    // The first user, 测试员, is the only admin: demoting themselves is refused, in both languages.
    let (code, _, err) =
        run(ducha(&db).args(["--lang", "zh", "users", "add", "测试员", "--role", "inspector"]));
    assert_eq!(code, 1);
    assert!(err.contains("测试员 是最后一名管理员"), "{err}");
    let (code, _, err) =
        run(ducha(&db).args(["--lang", "en", "users", "add", "测试员", "--role", "supervisor"]));
    assert_eq!(code, 1);
    assert!(err.contains("测试员 is the last admin"), "{err}");
    let (_, out, _) = run(ducha(&db).args(["users", "list"]));
    assert!(out.lines().any(|l| l.starts_with("测试员") && l.contains("admin")), "unchanged: {out}");

    // With a second admin, one may step down; then the other is the last and may not be demoted by anyone.
    let (code, _, err) = run(ducha(&db).args(["users", "add", "管理员乙", "--role", "admin"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(ducha(&db).args(["users", "add", "测试员", "--role", "supervisor"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        run(ducha(&db).args(["--user", "管理员乙", "users", "add", "管理员乙", "--role", "inspector"]));
    assert_eq!(code, 1);
    assert!(err.contains("管理员乙 is the last admin"), "{err}");
    // Re-stating the admin role is not a demotion.
    let (code, _, err) =
        run(ducha(&db).args(["--user", "管理员乙", "users", "add", "管理员乙", "--role", "admin"]));
    assert_eq!(code, 0, "{err}");
}
