//! `ducha sites import|list|remove-sample` through the real binary, with registry files written at test
//! time in every encoding a bureau's spreadsheet may produce.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{ducha, temp_db};
use rusqlite::{Connection, OptionalExtension, params};

const ZH_HEADER: &str = "编号,类型,名称,镇街,地址,联系人,电话,楼层,床位,证照号";
const EN_HEADER: &str = "code,kind,name,town,address,contact,phone,floors,beds,license";

/// Four sites, one of each kind, kinds given as Chinese names (one as the full label 福利彩票投注站); an
/// address with a comma is quoted, and a spreadsheet's trailing blank row is left in.
const ZH_ROWS: &str = "\
T001,养老机构,如皋市测试颐养院,如城街道,\"如城街道测试路1号, 2号楼\",王芳,0513-80000001,3,120,养老备字-T001
T002,福利彩票投注站,中国福利彩票第99990002号投注站,城北街道,城北街道测试路2号,李强,13800000002,,,
T003,救助管理站,如皋市救助管理站（测试）,如城街道,如城街道测试路3号,张伟,0513-80000003,2,40,
T004,社会组织,如皋市测试志愿者协会,白蒲镇,白蒲镇测试路4号,赵敏,,,,51320682TEST0004
,,,,,,,,,
";

/// The same four sites with the kinds given as keys.
const EN_ROWS: &str = "\
T001,elderly_care,如皋市测试颐养院,如城街道,\"如城街道测试路1号, 2号楼\",王芳,0513-80000001,3,120,养老备字-T001
T002,lottery_outlet,中国福利彩票第99990002号投注站,城北街道,城北街道测试路2号,李强,13800000002,,,
T003,rescue_station,如皋市救助管理站（测试）,如城街道,如城街道测试路3号,张伟,0513-80000003,2,40,
T004,social_org,如皋市测试志愿者协会,白蒲镇,白蒲镇测试路4号,赵敏,,,,51320682TEST0004
";

const TEST_CODES: [&str; 4] = ["T001", "T002", "T003", "T004"];

/// (code, kind, name, town, address, contact, phone, floors, beds, license, sample)
type SiteRow =
    (String, String, String, String, String, String, String, Option<i64>, Option<i64>, String, i64);

fn expected_rows() -> Vec<SiteRow> {
    let s = |v: &str| v.to_string();
    vec![
        (
            s("T001"),
            s("elderly_care"),
            s("如皋市测试颐养院"),
            s("如城街道"),
            s("如城街道测试路1号, 2号楼"),
            s("王芳"),
            s("0513-80000001"),
            Some(3),
            Some(120),
            s("养老备字-T001"),
            0,
        ),
        (
            s("T002"),
            s("lottery_outlet"),
            s("中国福利彩票第99990002号投注站"),
            s("城北街道"),
            s("城北街道测试路2号"),
            s("李强"),
            s("13800000002"),
            None,
            None,
            s(""),
            0,
        ),
        (
            s("T003"),
            s("rescue_station"),
            s("如皋市救助管理站（测试）"),
            s("如城街道"),
            s("如城街道测试路3号"),
            s("张伟"),
            s("0513-80000003"),
            Some(2),
            Some(40),
            s(""),
            0,
        ),
        (
            s("T004"),
            s("social_org"),
            s("如皋市测试志愿者协会"),
            s("白蒲镇"),
            s("白蒲镇测试路4号"),
            s("赵敏"),
            s(""),
            None,
            None,
            s("51320682TEST0004"),
            0,
        ),
    ]
}

#[derive(Clone, Copy)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::Gb18030 => {
            let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
            assert!(!unmappable);
            // Chinese text in GB18030 is not valid UTF-8, so ducha has to recognise the encoding.
            assert!(std::str::from_utf8(&bytes).is_err());
            bytes.into_owned()
        }
    }
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn open(db: &Path) -> Connection {
    Connection::open(db).unwrap()
}

fn site_row(conn: &Connection, code: &str) -> Option<SiteRow> {
    conn.query_row(
        "SELECT code, kind, name, town, address, contact, phone, floors, beds, license, sample
         FROM sites WHERE code = ?1",
        [code],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ))
        },
    )
    .optional()
    .unwrap()
}

fn count_codes(db: &Path, codes: &[&str]) -> i64 {
    let conn = open(db);
    codes
        .iter()
        .map(|c| {
            conn.query_row("SELECT count(*) FROM sites WHERE code = ?1", [c], |r| r.get::<_, i64>(0)).unwrap()
        })
        .sum()
}

fn site_id(db: &Path, code: &str) -> String {
    open(db).query_row("SELECT id FROM sites WHERE code = ?1", [code], |r| r.get(0)).unwrap()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Creates and seeds the database, so a later failed import can be checked against it.
fn create(db: &Path) {
    ducha(db).arg("status").assert().success();
}

/// Imports the four test sites from a file in `encoding` with Chinese or English headers, then checks the
/// command's report, `sites list` and the database.
fn imports_all_four_sites(encoding: Encoding, chinese_headers: bool, encoding_label: &str) {
    let (dir, db) = temp_db();
    let text = if chinese_headers {
        format!("{ZH_HEADER}\r\n{}", ZH_ROWS.replace('\n', "\r\n"))
    } else {
        format!("{EN_HEADER}\n{EN_ROWS}")
    };
    let file = write_file(dir.path(), "名录.csv", &encode(&text, encoding));

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr_of(&out));
    assert_eq!(
        stdout_of(&out).trim(),
        format!("imported 4 site(s) ({encoding_label}): 4 new, 0 updated, 0 unchanged")
    );

    let out = ducha(&db).args(["sites", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr_of(&out));
    let listed = stdout_of(&out);
    for (row, kind_label) in expected_rows().iter().zip([
        "Elderly care",
        "Lottery outlet",
        "Rescue station",
        "Social organisation",
    ]) {
        let line = listed
            .lines()
            .find(|l| l.starts_with(&format!("{} ", row.0)))
            .unwrap_or_else(|| panic!("{} is not listed:\n{listed}", row.0));
        assert!(line.ends_with(&row.2), "{line}");
        assert!(line.contains(kind_label), "{line}");
        assert!(line.contains(&row.3), "{line}");
        assert!(!line.contains("sample"), "{line}");
    }

    let conn = open(&db);
    for expected in expected_rows() {
        assert_eq!(site_row(&conn, &expected.0), Some(expected.clone()));
    }
}

#[test]
fn a_utf8_file_with_chinese_headers_and_chinese_kind_names_is_imported() {
    imports_all_four_sites(Encoding::Utf8, true, "UTF-8");
}

#[test]
fn a_utf8_file_with_english_headers_and_kind_keys_is_imported() {
    imports_all_four_sites(Encoding::Utf8, false, "UTF-8");
}

#[test]
fn a_utf8_file_with_a_bom_and_chinese_headers_is_imported() {
    imports_all_four_sites(Encoding::Utf8Bom, true, "UTF-8 (BOM)");
}

#[test]
fn a_utf8_file_with_a_bom_and_english_headers_is_imported() {
    imports_all_four_sites(Encoding::Utf8Bom, false, "UTF-8 (BOM)");
}

#[test]
fn a_gb18030_file_with_chinese_headers_is_imported() {
    imports_all_four_sites(Encoding::Gb18030, true, "GB18030");
}

#[test]
fn a_gb18030_file_with_english_headers_is_imported() {
    imports_all_four_sites(Encoding::Gb18030, false, "GB18030");
}

#[test]
fn a_bad_floors_value_on_line_4_rejects_the_whole_file_naming_the_file_line_and_field() {
    let (dir, db) = temp_db();
    create(&db);
    let text = format!(
        "{ZH_HEADER}\nT001,养老机构,甲院,如城街道,,,,3,120,\nT002,养老机构,乙院,如城街道,,,,2,80,\n\
         T003,养老机构,丙院,如城街道,,,,三层,60,\nT004,社会组织,丁会,白蒲镇,,,,,,\n"
    );
    let file = write_file(dir.path(), "bad-floors.csv", text.as_bytes());

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    // The field is named as the file's header names it.
    assert!(err.contains(&format!("{}: line 4: field `楼层`: `三层`", file.display())), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);

    let out = ducha(&db).args(["--lang", "zh", "sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains(&format!("{}: 第 4 行: 字段 `楼层`: `三层`", file.display())), "{err}");
    assert!(err.contains("未导入任何单位"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn an_unknown_kind_rejects_the_whole_file_naming_the_line_and_the_value() {
    let (dir, db) = temp_db();
    create(&db);
    let text =
        format!("{EN_HEADER}\nT001,elderly_care,甲院,如城街道,,,,,,\nT002,养老院,乙院,如城街道,,,,,,\n");
    let file = write_file(dir.path(), "bad-kind.csv", text.as_bytes());

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!("{}: line 3: field `kind`: unknown kind `养老院`", file.display())),
        "{err}"
    );
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn every_bad_row_is_reported_not_only_the_first() {
    let (dir, db) = temp_db();
    let text = format!(
        "{EN_HEADER}\nT001,elderly_care,,如城街道,,,,,,\nT002,elderly_care,乙院,如城街道,,,,,-5,\n\
         T003,elderly_care,丙院,如城街道,,,,201,,\n"
    );
    let file = write_file(dir.path(), "many.csv", text.as_bytes());

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("line 2: field `name`: must not be empty"), "{err}");
    assert!(err.contains("line 3: field `beds`: `-5`"), "{err}");
    assert!(err.contains("line 4: field `floors`: `201`"), "{err}");
    assert!(err.contains("3 error(s); nothing was imported"), "{err}");
}

#[test]
fn line_numbers_stay_right_with_crlf_line_endings_blank_lines_and_multiline_fields() {
    let (dir, db) = temp_db();
    create(&db);
    // What Excel on Windows saves: CRLF line endings.
    let crlf = format!(
        "{EN_HEADER}\r\nT001,elderly_care,甲院,如城街道,,,,1,,\r\nT002,elderly_care,乙院,如城街道,,,,x,,\r\n"
    );
    let file = write_file(dir.path(), "crlf.csv", crlf.as_bytes());
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("crlf.csv: line 3: field `floors`"), "{err}");

    // A blank line in the middle of a hand-edited file.
    let blank = format!(
        "{EN_HEADER}\nT001,elderly_care,甲院,如城街道,,,,1,,\n\nT002,elderly_care,乙院,如城街道,,,,x,,\n"
    );
    let file = write_file(dir.path(), "blank.csv", blank.as_bytes());
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("blank.csv: line 4: field `floors`"), "{err}");

    // A quoted address over two lines: the next row starts on line 4.
    let multiline = format!(
        "{EN_HEADER}\r\nT001,elderly_care,甲院,如城街道,\"测试路1号\r\n2号楼\",,,1,,\r\nT002,elderly_care,乙院,如城街道,,,,x,,\r\n"
    );
    let file = write_file(dir.path(), "multiline.csv", multiline.as_bytes());
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("multiline.csv: line 4: field `floors`"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn a_duplicate_code_in_one_file_is_an_error_naming_both_lines() {
    let (dir, db) = temp_db();
    create(&db);
    let text = format!(
        "{EN_HEADER}\nT001,elderly_care,甲院,如城街道,,,,,,\nT002,social_org,乙会,如城街道,,,,,,\n\
         T001,social_org,丙会,如城街道,,,,,,\n"
    );
    let file = write_file(dir.path(), "dup.csv", text.as_bytes());

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("dup.csv: line 4: field `code`: code T001 already used on line 2"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn a_missing_required_column_is_an_error_on_line_1_naming_the_column() {
    let (dir, db) = temp_db();
    create(&db);
    let file = write_file(
        dir.path(),
        "no-town.csv",
        "编号,类型,名称,地址\nT001,养老机构,甲院,如城街道测试路1号\n".as_bytes(),
    );

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    // Named in the language of the file's other headers.
    assert!(err.contains("no-town.csv: line 1: field `镇街`: required column missing"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn an_unknown_column_is_an_error_on_line_1_naming_the_column() {
    let (dir, db) = temp_db();
    create(&db);
    let file = write_file(
        dir.path(),
        "extra.csv",
        "编号,类型,名称,镇街,楼高\nT001,养老机构,甲院,如城街道,3\n".as_bytes(),
    );

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("extra.csv: line 1: field `楼高`: unknown column"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn a_failure_while_writing_rolls_back_every_site_of_the_file() {
    let (dir, db) = temp_db();
    create(&db);
    // A trigger makes the third insert fail after the first two succeeded in the same transaction.
    open(&db)
        .execute_batch(
            "CREATE TRIGGER refuse_t003 BEFORE INSERT ON sites WHEN NEW.code = 'T003'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    let audit_before: i64 = open(&db).query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    let file = write_file(dir.path(), "sites.csv", format!("{EN_HEADER}\n{EN_ROWS}").as_bytes());

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("refused by the test"), "{}", stderr_of(&out));
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
    let audit_after: i64 = open(&db).query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    assert_eq!(audit_after, audit_before);
}

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
    assert_eq!(stdout_of(&out).trim(), "imported 4 site(s) (UTF-8): 0 new, 1 updated, 3 unchanged");

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

fn data_lines(listing: &str) -> Vec<&str> {
    listing.lines().skip(1).collect()
}

#[test]
fn sites_list_filters_by_kind_and_town() {
    let (_dir, db) = temp_db();
    create(&db);
    let expected: i64 = open(&db)
        .query_row(
            "SELECT count(*) FROM sites WHERE kind = 'lottery_outlet' AND town = '如城街道'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(expected > 0);

    let out =
        ducha(&db).args(["sites", "list", "--kind", "彩票投注站", "--town", "如城街道"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let listing = stdout_of(&out);
    let lines = data_lines(&listing);
    assert_eq!(lines.len() as i64, expected, "{listing}");
    for line in &lines {
        assert!(line.contains("Lottery outlet") && line.contains("如城街道"), "{line}");
    }
    assert!(stderr_of(&out).contains(&format!("{expected} site(s)")), "{}", stderr_of(&out));

    // The key works as well as the Chinese name.
    let by_key = ducha(&db)
        .args(["sites", "list", "--kind", "lottery_outlet", "--town", "如城街道"])
        .output()
        .unwrap();
    assert_eq!(stdout_of(&by_key), listing);

    // Without filters every site is listed.
    let all = stdout_of(&ducha(&db).args(["sites", "list"]).output().unwrap());
    let total: i64 = open(&db).query_row("SELECT count(*) FROM sites", [], |r| r.get(0)).unwrap();
    assert_eq!(data_lines(&all).len() as i64, total);
}

#[test]
fn an_unknown_kind_filter_is_a_usage_error() {
    let (_dir, db) = temp_db();
    let out = ducha(&db).args(["sites", "list", "--kind", "nonsense"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("unknown kind `nonsense`"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_in_neither_utf8_nor_gb18030_is_refused() {
    let (dir, db) = temp_db();
    create(&db);
    let mut bytes = format!("{EN_HEADER}\nT001,elderly_care,Home A,Rucheng,,,,,,\n").into_bytes();
    bytes.extend_from_slice(b"T002,elderly_care,Home \xFF\xFF\xFF B,Rucheng,,,,,,\n");
    let file = write_file(dir.path(), "latin.csv", &bytes);

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("latin.csv: line 3: unrecognised text encoding (neither UTF-8 nor GB18030)"),
        "{err}"
    );
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn a_gb18030_file_with_a_bad_byte_names_the_line_of_the_bad_byte() {
    let (dir, db) = temp_db();
    let mut bytes = encode(&format!("{ZH_HEADER}\r\n{}", ZH_ROWS.replace('\n', "\r\n")), Encoding::Gb18030);
    bytes.extend_from_slice(b"T005,\xFF\xFF\xFF,x,y,,,,,,\r\n");
    let file = write_file(dir.path(), "gb-bad.csv", &bytes);

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("gb-bad.csv: line 7: unrecognised text encoding"), "{err}");
}

#[test]
fn a_utf16_file_is_refused_with_advice_to_save_it_as_utf8() {
    let (dir, db) = temp_db();
    create(&db);
    let text = format!("{ZH_HEADER}\r\n{}", ZH_ROWS.replace('\n', "\r\n"));
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let file = write_file(dir.path(), "utf16.csv", &bytes);

    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("utf16.csv: line 1: the file is UTF-16"), "{err}");
    assert!(err.contains("CSV UTF-8"), "{err}");
    assert_eq!(count_codes(&db, &TEST_CODES), 0);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let (dir, db) = temp_db();
    let file = dir.path().join("no-such-file.csv");
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains(&file.display().to_string()), "{}", stderr_of(&out));
}
