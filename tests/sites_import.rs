//! `ducha sites import|list|remove-sample` through the real binary, with registry files written at test
//! time in every encoding a bureau's spreadsheet may produce.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "registry/files.rs"]
mod files;

use common::{ducha, temp_db};
use files::*;

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
