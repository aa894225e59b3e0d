#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The bureau's settings (`ducha settings`) and officers' certificate numbers (`users add --cert`): only
//! admins change them, every change is audited, document numbers follow the formats, and a laptop that
//! merges the office's hand-over takes them while a peer's differences are listed, not taken.

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use common::{ducha, run, temp_db};
use ducha::store::notices;
use laptops::{ADMIN, INSPECTOR, Place, inspect, laptop_from, office};

struct Audited {
    action: String,
    new: Option<String>,
}

fn audited(conn: &rusqlite::Connection, entity: &str, id: &str) -> Vec<Audited> {
    let mut stmt = conn
        .prepare("SELECT action, new FROM audit WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq")
        .unwrap();
    stmt.query_map([entity, id], |r| Ok(Audited { action: r.get(0)?, new: r.get(1)? }))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn settings(db: &std::path::Path, user: &str, args: &[&str]) -> (i32, String, String) {
    run(ducha(db).args(["--lang", "zh", "--user", user, "settings"]).args(args))
}

#[test]
fn an_admin_sets_the_bureau_name_and_it_is_listed_audited_and_read_back() {
    let (_d, db) = temp_db();
    let (code, out, err) = settings(&db, "测试员", &["list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("notice.format") && out.contains("督整〔{year}〕第{device}-{seq:03}号"), "{out}");
    assert!(out.contains("（默认）"), "{out}");
    assert!(err.contains("尚未设置局名"), "a missing name is pointed out: {err}");

    let (code, out, err) = settings(&db, "测试员", &["set", "bureau.name", " 如皋市民政局 "]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已设置 bureau.name（局名）：如皋市民政局"), "{out}");
    let (_, out, _) = settings(&db, "测试员", &["get", "bureau.name"]);
    assert_eq!(out, "如皋市民政局\n");
    let (_, out, err) = settings(&db, "测试员", &["list"]);
    assert!(out.lines().any(|l| l.contains("bureau.name") && l.contains("测试员")), "{out}");
    assert!(!err.contains("尚未设置局名"), "{err}");
    let (_, out, _) = settings(&db, "测试员", &["set", "bureau.name", "如皋市民政局"]);
    assert!(out.contains("未改动"), "{out}");

    let store = ducha::store::Store::open(&db).unwrap();
    let entries = audited(store.conn(), "setting", "bureau.name");
    assert_eq!(entries.len(), 1, "one change, one audit row (the unchanged set wrote none)");
    assert_eq!(entries[0].action, "setting.set");
    assert_eq!(entries[0].new.as_deref(), Some(r#"{"value":"如皋市民政局"}"#));
    drop(store);

    let (code, out, _) = settings(&db, "测试员", &["reset", "bureau.name"]);
    assert_eq!(code, 0);
    assert!(out.contains("已设置"), "{out}");
    let (_, out, _) = settings(&db, "测试员", &["get", "bureau.name"]);
    assert_eq!(out, "\n", "back to the default: not set");
}

#[test]
fn settings_are_refused_to_non_admins_and_bad_values_say_what_is_wrong() {
    let (_d, db) = temp_db();
    run(ducha(&db).args(["users", "add", "科长乙", "--role", "supervisor"]));
    let (code, _, err) = settings(&db, "科长乙", &["set", "bureau.name", "某局"]);
    assert_eq!(code, 1);
    assert!(err.contains("修改局设置需要管理员角色"), "{err}");

    let (code, _, err) = settings(&db, "测试员", &["set", "bureau.nmae", "某局"]);
    assert_eq!(code, 1);
    assert!(err.contains("没有设置项「bureau.nmae」") && err.contains("是否想写 bureau.name"), "{err}");

    let (code, _, err) = settings(&db, "测试员", &["set", "notice.format", "督整〔{year}〕第{seq}号"]);
    assert_eq!(code, 1);
    assert!(err.contains("notice.format：须含 {device}"), "{err}");
    let (code, _, err) =
        run(ducha(&db).args(["--lang", "en", "settings", "set", "record.format", "{yaer}{device}{seq}"]));
    assert_eq!(code, 1);
    assert!(err.contains("unknown placeholder {yaer} (did you mean {year}?)"), "{err}");
    let (_, out, _) = settings(&db, "测试员", &["get", "notice.format"]);
    assert_eq!(out, "督整〔{year}〕第{device}-{seq:03}号\n", "nothing was changed");
}

#[test]
fn notice_and_record_numbers_follow_the_formats_in_force_when_they_are_issued() {
    let o = office();
    let (first, _) = inspect(&o, INSPECTOR, "YL001", &["exit_unblocked"]);
    let (second, _) = inspect(&o, INSPECTOR, "YL002", &["exit_unblocked"]);
    let code = o.device().code;
    let issue = |p: &Place, series, id: &str| {
        p.open().write(|tx| notices::issue_in(tx, series, INSPECTOR, id, 2026)).unwrap().notice.number
    };
    assert_eq!(issue(&o, notices::Series::Notice, &first), format!("督整〔2026〕第{code}-001号"));
    let (c, _, err) = settings(&o.db, ADMIN, &["set", "notice.format", "如民督〔{year}〕{device}{seq:04}号"]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(issue(&o, notices::Series::Notice, &second), format!("如民督〔2026〕{code}0002号"));
    assert_eq!(
        issue(&o, notices::Series::Notice, &first),
        format!("督整〔2026〕第{code}-001号"),
        "a reprint keeps the number it was issued with"
    );
    assert_eq!(issue(&o, notices::Series::Record, &second), format!("督记〔2026〕第{code}-001号"));
    assert_eq!(issue(&o, notices::Series::Record, &first), format!("督记〔2026〕第{code}-002号"));
    let store = o.open();
    let actions: Vec<String> =
        audited(store.conn(), "inspection", &first).into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"record.issue".to_string()), "{actions:?}");
}

/// `users add 检查员甲 --role inspector --cert CERT` as `user`.
fn add_with_cert(db: &std::path::Path, user: &str, cert: &str) -> (i32, String, String) {
    run(ducha(db).args([
        "--lang",
        "zh",
        "--user",
        user,
        "users",
        "add",
        "检查员甲",
        "--role",
        "inspector",
        "--cert",
        cert,
    ]))
}

#[test]
fn certificate_numbers_are_set_by_admins_listed_and_checked() {
    let (_d, db) = temp_db();
    let (code, out, err) = add_with_cert(&db, "测试员", "32068220230017");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已设置用户 检查员甲 的执法证号：32068220230017"), "{out}");
    let (_, out, _) = run(ducha(&db).args(["--lang", "zh", "users", "list"]));
    assert!(out.lines().any(|l| l.starts_with("检查员甲") && l.contains("32068220230017")), "{out}");
    let (code, _, err) = add_with_cert(&db, "测试员", "3206 我的证");
    assert_eq!(code, 1);
    assert!(err.contains("不能含空格或控制字符"), "{err}");
    let (code, _, err) = add_with_cert(&db, "测试员", "苏民执字第0012号");
    assert_eq!(code, 0, "a certificate number as the province prints it: {err}");
    let (code, _, err) = add_with_cert(&db, "检查员甲", "X1");
    assert_eq!(code, 1);
    assert!(err.contains("需要管理员角色"), "{err}");
    let store = ducha::store::Store::open(&db).unwrap();
    assert_eq!(
        ducha::store::users::cert_of(store.conn(), "检查员甲").unwrap().as_deref(),
        Some("苏民执字第0012号")
    );
    let entries = audited(store.conn(), "user", "检查员甲");
    assert!(entries.iter().any(|e| e.action == "user.cert"), "audited");
}

#[test]
fn a_laptop_takes_the_offices_settings_and_certificates_and_a_peers_are_listed_not_taken() {
    let o = office();
    settings(&o.db, ADMIN, &["set", "bureau.name", "如皋市民政局"]);
    let laptop = laptop_from(&o.handover("setup.hand"));
    let (_, out, _) = settings(&laptop.db, ADMIN, &["get", "bureau.name"]);
    assert_eq!(out, "如皋市民政局\n", "a new laptop prints the office's letterhead");

    // The office renames itself and gives an inspector a certificate; the laptop follows on its next merge.
    settings(&o.db, ADMIN, &["set", "bureau.name", "如皋市民政局（监督科）"]);
    settings(&o.db, ADMIN, &["set", "record.format", "如记{year}-{device}-{seq}"]);
    run(ducha(&o.db).args([
        "--user",
        ADMIN,
        "users",
        "add",
        INSPECTOR,
        "--role",
        "inspector",
        "--cert",
        "A-77",
    ]));
    let out = laptop.merge_ok(&[&o.handover("week.hand")]);
    assert!(out.contains("3 settings and certificate numbers taken"), "{out}");
    let (_, out, _) = settings(&laptop.db, ADMIN, &["get", "bureau.name"]);
    assert_eq!(out, "如皋市民政局（监督科）\n");
    let (_, out, _) = settings(&laptop.db, ADMIN, &["get", "record.format"]);
    assert_eq!(out, "如记{year}-{device}-{seq}\n");
    let store = laptop.open();
    assert_eq!(ducha::store::users::cert_of(store.conn(), INSPECTOR).unwrap().as_deref(), Some("A-77"));
    drop(store);

    // A laptop's own change reaches the office as a reference conflict for an admin, not as a change.
    let (c, _, err) = settings(&laptop.db, ADMIN, &["set", "bureau.name", "某某局"]);
    assert_eq!(c, 0, "{err}");
    let out = o.merge_ok(&[&laptop.handover("back.hand")]);
    assert!(out.contains("1 new reference conflicts"), "{out}");
    let (_, out, _) = settings(&o.db, ADMIN, &["get", "bureau.name"]);
    assert_eq!(out, "如皋市民政局（监督科）\n", "a peer never changes the bureau's settings");
    let refs = ducha::consolidate::decide::open_references(o.open().conn()).unwrap();
    let setting = refs.iter().find(|r| r.entity == "setting").expect("listed");
    assert_eq!(setting.key, "bureau.name");
    assert_eq!(setting.theirs, r#"{"value":"某某局"}"#);
    let (code, _, err) = run(ducha(&o.db).args(["--user", ADMIN, "conflicts", "accept", &setting.id[..8]]));
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = settings(&o.db, ADMIN, &["get", "bureau.name"]);
    assert_eq!(out, "某某局\n", "accepted by an admin");
}
