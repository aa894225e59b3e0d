#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha status` through the real binary: the device, the office it follows and the last merge of each
//! device, in English and Chinese.

mod common;

use common::{ducha, new_db, own_device, text};
use rusqlite::{Connection, params};

/// A device whose hand-overs were merged here.
const OTHER: &str = "01JB2C3D4E5F6G7H8J9KAMRQXB";

#[test]
fn status_shows_the_device_its_office_and_the_last_merge_of_each_device() {
    let (_dir, db) = new_db();
    let (id, code) = own_device(&db);
    let out = text(&ducha(&db).args(["--lang", "en", "status"]).output().unwrap().stdout);
    assert!(out.contains(&format!("this device: {id} (code {code}), its own office")), "{out}");
    assert!(out.contains("audit chains: 1 (this device: "), "{out}");
    assert!(out.contains("no hand-over file merged yet"), "{out}");
    assert!(out.contains("database: ") && out.contains("stored checklist versions:"), "the old lines: {out}");

    let conn = Connection::open(&db).unwrap();
    let laptop_b = "01JB2C3D4E5F6G7H8J9KBBBBBB";
    for (mid, device, at, by, file) in [
        ("01M1", OTHER, "2026-11-02T17:00:00+08:00", "李强", "/u/王芳-1102.ducha"),
        ("01M2", OTHER, "2026-11-23T17:00:00+08:00", "李强", "/u/王芳-1123.ducha"),
        ("01M3", laptop_b, "2026-11-09T17:00:00+08:00", "张敏", "/u/赵磊-1109.ducha"),
    ] {
        conn.execute(
            "INSERT INTO merges (id, device, file, made_at, merged_at, merged_by, heads, summary)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, '{}', '{}')",
            params![mid, device, file, at, by],
        )
        .unwrap();
    }
    conn.execute("UPDATE device SET office = ?1", [OTHER]).unwrap();
    drop(conn);
    let out = text(&ducha(&db).args(["--lang", "en", "status"]).output().unwrap().stdout);
    assert!(
        out.contains(&format!("this device: {id} (code {code}), follows the office device {OTHER} (RQXB)")),
        "{out}"
    );
    let merges: Vec<&str> =
        out.lines().skip_while(|l| !l.starts_with("last merge per device")).skip(1).collect();
    assert_eq!(
        merges,
        [
            format!(
                "  device {laptop_b} (BBBB)  2026-11-09T17:00:00+08:00  by 张敏  file /u/赵磊-1109.ducha"
            ),
            format!("  device {OTHER} (RQXB)  2026-11-23T17:00:00+08:00  by 李强  file /u/王芳-1123.ducha"),
        ],
        "{out}"
    );
    let out = text(&ducha(&db).args(["--lang", "zh", "status"]).output().unwrap().stdout);
    assert!(out.contains(&format!("本机设备：{id}（代码 {code}），跟随办公室设备 {OTHER}（RQXB）")), "{out}");
    assert!(
        out.contains(&format!(
            "  设备 {OTHER}（RQXB）  2026-11-23T17:00:00+08:00  合并人 李强  文件 /u/王芳-1123.ducha"
        )),
        "{out}"
    );
}
