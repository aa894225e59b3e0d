//! Importing a registry again: sites matched by code, only what changed audited, the summary saying which
//! fields changed, and the columns a file does not have left as stored.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "registry/files.rs"]
mod files;

use common::{ducha, temp_db};
use files::*;
use rusqlite::params;

#[test]
fn importing_again_with_a_changed_name_updates_the_site_by_code_and_audits_only_the_name() {
    let (dir, db) = temp_db();
    let first = write_file(dir.path(), "v1.csv", format!("{EN_HEADER}\n{EN_ROWS}").as_bytes());
    ducha(&db).args(["sites", "import"]).arg(&first).assert().success();
    let id = site_id(&db, "T001");

    let renamed = EN_ROWS.replace("如皋市测试颐养院", "如皋市测试康养中心");
    let second = write_file(dir.path(), "v2.csv", format!("{EN_HEADER}\n{renamed}").as_bytes());
    let out = ducha(&db).args(["sites", "import"]).arg(&second).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        stdout_of(&out).lines().collect::<Vec<_>>(),
        ["imported 4 site(s) (UTF-8): 0 new, 1 updated, 3 unchanged", "fields updated: name 1"]
    );

    assert_eq!(site_id(&db, "T001"), id);
    let conn = open(&db);
    let row = site_row(&conn, "T001").unwrap();
    assert_eq!(row.2, "如皋市测试康养中心");
    assert_eq!(count_codes(&db, &["T001"]), 1);

    let mut stmt = conn
        .prepare(
            "SELECT actor, action, old, new FROM audit WHERE entity = 'site' AND entity_id = ?1 ORDER BY seq",
        )
        .unwrap();
    let audit: Vec<(String, String, Option<String>, Option<String>)> = stmt
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.1.as_str()).collect();
    assert_eq!(actions, ["site.create", "site.update"]);
    let (actor, _, old, new) = &audit[1];
    assert_eq!(actor, "测试员");
    let old: serde_json::Value = serde_json::from_str(old.as_deref().unwrap()).unwrap();
    let new: serde_json::Value = serde_json::from_str(new.as_deref().unwrap()).unwrap();
    assert_eq!(old, serde_json::json!({ "name": "如皋市测试颐养院" }));
    assert_eq!(new, serde_json::json!({ "name": "如皋市测试康养中心" }));

    // The same file once more changes nothing and records nothing.
    let out = ducha(&db).args(["sites", "import"]).arg(&second).output().unwrap();
    assert_eq!(stdout_of(&out).trim(), "imported 4 site(s) (UTF-8): 0 new, 0 updated, 4 unchanged");
    let rows: i64 =
        conn.query_row("SELECT count(*) FROM audit WHERE entity_id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(rows, 2);
}

/// The header and the line of one site in the shipped sample registry.
fn sample_line(code: &str) -> String {
    let text = std::str::from_utf8(ducha::registry::SAMPLE_CSV).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let line = lines.find(|l| l.starts_with(&format!("{code},"))).unwrap();
    format!("{header}\n{line}\n")
}

#[test]
fn a_sample_site_imported_from_a_real_file_stops_being_a_sample() {
    let (dir, db) = temp_db();
    create(&db);
    let conn = open(&db);
    let (total, samples): (i64, i64) = conn
        .query_row("SELECT count(*), sum(sample) FROM sites", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert!(total > 200, "the first run seeds the sample registry, got {total}");
    assert_eq!(samples, total);
    assert_eq!(site_row(&conn, "YL001").unwrap().10, 1);
    let id = site_id(&db, "YL001");

    // The bureau's real file holds the same site, unchanged.
    let file = write_file(dir.path(), "real.csv", sample_line("YL001").as_bytes());
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("0 new, 1 updated, 0 unchanged"), "{}", stdout_of(&out));
    assert!(stdout_of(&out).contains("fields updated: sample flag 1"), "{}", stdout_of(&out));

    assert_eq!(site_row(&conn, "YL001").unwrap().10, 0);
    assert_eq!(site_id(&db, "YL001"), id);
    let (old, new): (String, String) = conn
        .query_row("SELECT old, new FROM audit WHERE entity_id = ?1 AND action = 'site.update'", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&old).unwrap(),
        serde_json::json!({ "sample": true })
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&new).unwrap(),
        serde_json::json!({ "sample": false })
    );

    let listed = stdout_of(&ducha(&db).args(["sites", "list"]).output().unwrap());
    let yl001 = listed.lines().find(|l| l.starts_with("YL001 ")).unwrap();
    let yl002 = listed.lines().find(|l| l.starts_with("YL002 ")).unwrap();
    assert!(!yl001.contains("sample"), "{yl001}");
    assert!(yl002.contains("sample"), "{yl002}");

    // Removing the sample sites keeps it.
    ducha(&db).args(["sites", "remove-sample"]).assert().success();
    assert!(site_row(&conn, "YL001").is_some());
    assert!(site_row(&conn, "YL002").is_none());
}

#[test]
fn remove_sample_deletes_the_uninspected_sample_sites_and_keeps_an_inspected_one() {
    let (dir, db) = temp_db();
    let file = write_file(dir.path(), "real.csv", format!("{EN_HEADER}\n{EN_ROWS}").as_bytes());
    ducha(&db).args(["sites", "import"]).arg(&file).assert().success();

    let conn = open(&db);
    let samples: i64 =
        conn.query_row("SELECT count(*) FROM sites WHERE sample = 1", [], |r| r.get(0)).unwrap();
    assert!(samples > 200, "{samples}");
    let snapshot: String = conn
        .query_row("SELECT id FROM checklist_snapshots WHERE checklist_id = 'elderly_care_safety'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let inspected = site_id(&db, "YL002");
    conn.execute(
        "INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at, created_by)
         VALUES ('01TESTINSPECTION0000000000', ?1, ?2, '[\"测试员\"]', 'draft', ?3, ?3, '测试员')",
        params![inspected, snapshot, "2025-03-01T09:30:00+08:00"],
    )
    .unwrap();

    let out = ducha(&db).args(["sites", "remove-sample"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        stdout_of(&out).trim(),
        format!("removed {} sample site(s); kept 1 that have inspections.", samples - 1)
    );

    let left: Vec<(String, i64)> = conn
        .prepare("SELECT code, sample FROM sites ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected: Vec<(String, i64)> =
        TEST_CODES.iter().map(|c| ((*c).to_string(), 0)).chain([("YL002".to_string(), 1)]).collect();
    assert_eq!(left, expected);
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'site.remove_sample' AND actor = '测试员'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, samples - 1);

    // Nothing more to remove the second time.
    let out = ducha(&db).args(["sites", "remove-sample"]).output().unwrap();
    assert_eq!(stdout_of(&out).trim(), "removed 0 sample site(s); kept 1 that have inspections.");
}

#[test]
fn a_file_with_only_the_required_columns_leaves_address_contact_phone_floors_and_beds_alone() {
    let (dir, db) = temp_db();
    let full = write_file(dir.path(), "full.csv", format!("{EN_HEADER}\n{EN_ROWS}").as_bytes());
    ducha(&db).args(["sites", "import"]).arg(&full).assert().success();

    // The town office sends back only the required columns, with one site renamed.
    let short = "编号,类型,名称,镇街\nT001,养老机构,如皋市测试康养中心,如城街道\nT003,救助管理站,如皋市救助管理站（测试）,如城街道\n";
    let file = write_file(dir.path(), "short.csv", short.as_bytes());
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        stdout_of(&out).lines().collect::<Vec<_>>(),
        [
            "imported 2 site(s) (UTF-8): 0 new, 1 updated, 1 unchanged",
            "fields updated: name 1",
            "columns not in the file kept their stored values: address, contact, phone, floors, beds, license",
        ]
    );
    let conn = open(&db);
    let expected = expected_rows();
    let t001 = site_row(&conn, "T001").unwrap();
    let mut renamed = expected[0].clone();
    renamed.2 = "如皋市测试康养中心".into();
    assert_eq!(t001, renamed);
    assert_eq!(site_row(&conn, "T003").unwrap(), expected[2]);
}

#[test]
fn a_column_present_and_empty_clears_the_value_and_the_summary_counts_each_field() {
    let (dir, db) = temp_db();
    let full = write_file(dir.path(), "full.csv", format!("{EN_HEADER}\n{EN_ROWS}").as_bytes());
    ducha(&db).args(["sites", "import"]).arg(&full).assert().success();

    // Phones and floors given, two of them blank; T004 gets a phone.
    let text = "\
code,kind,name,town,phone,floors
T001,elderly_care,如皋市测试颐养院,如城街道,,3
T003,rescue_station,如皋市救助管理站（测试）,如城街道,0513-80000003,
T004,social_org,如皋市测试志愿者协会,白蒲镇,0513-80000004,
";
    let file = write_file(dir.path(), "phones.csv", text.as_bytes());
    let out = ducha(&db).args(["--lang", "zh", "sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        stdout_of(&out).lines().collect::<Vec<_>>(),
        [
            "已导入 3 个单位（UTF-8）：新增 0，更新 3，未变 0",
            "更新的字段：电话 2、楼层 1",
            "文件中没有的列保留原值：地址、联系人、床位、证照号",
        ]
    );
    let conn = open(&db);
    let expected = expected_rows();
    let t001 = site_row(&conn, "T001").unwrap();
    assert_eq!((t001.6.as_str(), t001.7, t001.8), ("", Some(3), Some(120)), "phone cleared, beds kept");
    let t003 = site_row(&conn, "T003").unwrap();
    let mut cleared = expected[2].clone();
    cleared.7 = None;
    assert_eq!(t003, cleared, "floors cleared, the rest kept");
    assert_eq!(site_row(&conn, "T004").unwrap().6, "0513-80000004");
    // Only what changed is audited.
    let id = site_id(&db, "T003");
    let (old, new): (String, String) = conn
        .query_row("SELECT old, new FROM audit WHERE entity_id = ?1 AND action = 'site.update'", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&old).unwrap(), serde_json::json!({ "floors": 2 }));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&new).unwrap(),
        serde_json::json!({ "floors": null })
    );
}

#[test]
fn a_new_site_from_a_short_file_gets_empty_optional_fields() {
    let (dir, db) = temp_db();
    let file = write_file(
        dir.path(),
        "short.csv",
        "code,kind,name,town\nT009,养老机构,新测试院,如城街道\n".as_bytes(),
    );
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let row = site_row(&open(&db), "T009").unwrap();
    assert_eq!((row.4.as_str(), row.6.as_str(), row.7, row.8), ("", "", None, None));
}
