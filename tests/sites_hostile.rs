//! `ducha sites import|list` on hostile registry files: values that must be refused, huge cells, files in
//! UTF-16/UTF-32, escape sequences, unknown towns. A refused file leaves the database's bytes unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{ducha, temp_db};

const ZH_HEADER: &str = "编号,类型,名称,镇街,地址,联系人,电话,楼层,床位,证照号";
const EN_HEADER: &str = "code,kind,name,town,address,contact,phone,floors,beds,license";
/// A good row of the sample registry's town 如城街道.
const GOOD: &str = "H001,养老机构,甲院,如城街道,测试路1号,王芳,0513-80000001,3,120,";

/// Creates and seeds the database, so a refused import can be compared with it byte for byte.
fn create(db: &Path) {
    ducha(db).arg("status").assert().success();
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Imports `bytes` as a registry file that must be refused; checks that nothing changed in the database and
/// returns standard error.
fn refused(name: &str, bytes: &[u8], lang: &str) -> String {
    let (dir, db) = temp_db();
    create(&db);
    let before = std::fs::read(&db).unwrap();
    let file = write(dir.path(), name, bytes);
    let out = ducha(&db).args(["--lang", lang, "sites", "import"]).arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(!err.contains("panicked"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before, "the database changed on a refused file");
    err
}

fn zh_file(rows: &str) -> Vec<u8> {
    format!("{ZH_HEADER}\n{GOOD}\n{rows}\n").into_bytes()
}

#[test]
fn an_embedded_nul_or_escape_sequence_is_refused_naming_the_field_as_the_header_does() {
    let err = refused("nul.csv", &zh_file("H002,养老机构,乙\0院,如城街道,,,,,,"), "en");
    assert!(
        err.contains("nul.csv: line 3: field `名称`: contains the control character NUL: `乙\\u{0}院`"),
        "{err}"
    );
    let err =
        refused("esc.csv", &zh_file("H002,养老机构,\u{1b}[2J\u{1b}]0;HACKED\u{7},如城街道,,,,,,"), "zh");
    assert!(err.contains("第 3 行: 字段 `名称`: 含有控制字符 U+001B"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err}");
}

#[test]
fn full_width_characters_and_ideographic_spaces_in_a_code_are_refused() {
    let err = refused("fw.csv", &zh_file("Ｈ００２,养老机构,乙院,如城街道,,,,,,"), "en");
    assert!(err.contains("line 3: field `编号`: the code contains the full-width character `Ｈ`"), "{err}");
    let err = refused("sp.csv", &zh_file("H002\u{3000},养老机构,乙院,如城街道,,,,,,"), "zh");
    assert!(err.contains("第 3 行: 字段 `编号`: 编号含有全角空格"), "{err}");
}

#[test]
fn a_phone_that_is_not_a_phone_number_is_refused() {
    let err = refused("phone.csv", &zh_file("H002,养老机构,乙院,如城街道,,,请联系王芳,,,"), "en");
    assert!(err.contains("line 3: field `电话`: not a phone number: `请联系王芳`"), "{err}");
}

#[test]
fn extra_fields_on_a_row_are_refused_and_trailing_empty_ones_are_not() {
    let err = refused("extra.csv", &zh_file("H002,养老机构,乙院,如城街道,,,,,,,多余"), "en");
    assert!(
        err.contains(
            "line 3: this row has 11 fields but the header has 10 columns (first extra value: `多余`)"
        ),
        "{err}"
    );
    let (dir, db) = temp_db();
    let file = write(dir.path(), "trailing.csv", &zh_file("H002,养老机构,乙院,如城街道,,,,,,,,"));
    ducha(&db).args(["sites", "import"]).arg(&file).assert().success();
}

#[test]
fn an_unterminated_quote_is_reported_on_the_line_where_it_opens() {
    let err = refused(
        "quote.csv",
        &zh_file("H002,养老机构,\"乙院,如城街道,,,,,,\nH003,养老机构,丙院,如城街道,,,,,,"),
        "en",
    );
    assert!(err.contains("quote.csv: line 3: unterminated quote"), "{err}");
    assert!(!err.contains("must not be empty"), "{err}");
    let err = refused("quote.csv", &zh_file("H002,养老机构,\"乙院,如城街道,,,,,,"), "zh");
    assert!(err.contains("第 3 行: 引号未闭合"), "{err}");
}

#[test]
fn a_huge_cell_gives_a_short_message() {
    let huge = "养".repeat(5_000_000);
    let err = refused("huge.csv", &zh_file(&format!("H002,养老机构,{huge},如城街道,,,,,,")), "en");
    assert!(err.len() < 4096, "{} bytes on stderr", err.len());
    assert!(
        err.contains(&format!(
            "field `名称`: too long (5000000 characters, limit 500): `{}…`",
            "养".repeat(60)
        )),
        "{err}"
    );
    // An unknown kind is echoed short as well (it is not too long for a field, but long for a message).
    let kind = "x".repeat(400);
    let err = refused("kind.csv", &zh_file(&format!("H002,{kind},乙院,如城街道,,,,,,")), "en");
    assert!(err.contains(&format!("unknown kind `{}…`", "x".repeat(60))), "{err}");
    assert!(err.len() < 1024, "{err}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it_all() {
    let (dir, db) = temp_db();
    create(&db);
    let before = std::fs::read(&db).unwrap();
    let file = dir.path().join("big.csv");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: no 200 MB written
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("big.csv: line 1: file too large (over 32 MiB); refused"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before);
}

#[test]
fn many_bad_rows_show_the_first_50_and_count_the_rest() {
    let rows: String = (0..1000).map(|i| format!("B{i},养老机构,乙院,如城街道,,,,x,,\n")).collect();
    let err = refused("many.csv", &zh_file(&rows), "en");
    assert_eq!(err.lines().filter(|l| l.contains("field `楼层`")).count(), 50, "{err}");
    assert!(err.contains("many.csv: and 950 more error(s) not shown"), "{err}");
    assert!(err.contains("1000 error(s); nothing was imported"), "{err}");
}

#[test]
fn utf16_and_utf32_files_are_named_as_such_with_or_without_a_mark() {
    let text = format!("{EN_HEADER}\r\nH002,elderly_care,乙院,如城街道,,,,,,\r\n");
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let err = refused("utf16.csv", &utf16, "en");
    assert!(
        err.contains("utf16.csv: line 1: the file is UTF-16LE: save it from Excel as \"CSV UTF-8"),
        "{err}"
    );
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    utf32.extend(text.chars().flat_map(|c| u32::from(c).to_le_bytes()));
    let err = refused("utf32.csv", &utf32, "zh");
    assert!(err.contains("utf32.csv: 第 1 行: 文件是 UTF-32LE 编码"), "{err}");
}

#[test]
fn mostly_chinese_utf16_and_utf32_files_without_a_mark_are_named_too() {
    // Chinese text in UTF-16 has almost no NUL bytes: the encoding is found by decoding, not by NULs.
    let text = format!("{ZH_HEADER}\r\n{GOOD}\r\nH002,养老机构,乙院敬老院,如城街道,测试路二号,李明,,,,\r\n");
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let high_nuls = utf16le.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    assert!(high_nuls * 10 < utf16le.len() / 2 * 9, "ASCII enough to be found by its NULs");
    let err = refused("utf16.csv", &utf16le, "en");
    assert!(
        err.contains("utf16.csv: line 1: the file is UTF-16LE: save it from Excel as \"CSV UTF-8"),
        "{err}"
    );
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let err = refused("utf16be.csv", &utf16be, "zh");
    assert!(err.contains("utf16be.csv: 第 1 行: 文件是 UTF-16BE 编码"), "{err}");
    let utf32be: Vec<u8> = text.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect();
    let err = refused("utf32.csv", &utf32be, "zh");
    assert!(err.contains("utf32.csv: 第 1 行: 文件是 UTF-32BE 编码"), "{err}");
}

#[test]
fn a_new_town_is_imported_with_a_warning_suggesting_a_close_known_one() {
    let (dir, db) = temp_db();
    create(&db);
    let file = write(
        dir.path(),
        "towns.csv",
        &zh_file("H002,养老机构,乙院,如城街,,,,,,\nH003,养老机构,丙院,新开发区,,,,,,"),
    );
    let out = ducha(&db).args(["sites", "import"]).arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("towns.csv: warning: new town `如城街` (first on line 3); did you mean `如城街道`?"),
        "{err}"
    );
    assert!(err.contains("warning: new town `新开发区` (first on line 4), not yet in the registry"), "{err}");
    assert!(!err.contains("`如城街道` (first"), "a known town is not warned about: {err}");
}

#[test]
fn sites_list_escapes_control_characters_of_names_already_stored() {
    let (dir, db) = temp_db();
    let file = write(dir.path(), "ok.csv", &zh_file(""));
    ducha(&db).args(["sites", "import"]).arg(&file).assert().success();
    // A name stored before imports refused control characters (or written by another tool).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE sites SET name = ?1, town = ?2 WHERE code = 'H001'",
        ["\u{1b}[2J\u{1b}]0;HACKED\u{7}", "如城\n街道"],
    )
    .unwrap();
    drop(conn);
    for lang in ["en", "zh"] {
        let out = ducha(&db).args(["--lang", lang, "sites", "list"]).output().unwrap();
        assert!(out.status.success());
        for stream in [&out.stdout, &out.stderr] {
            assert!(!stream.contains(&0x1b) && !stream.contains(&0x07));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("\\u{1b}[2J\\u{1b}]0;HACKED\\u{7}") && stdout.contains("如城\\n街道"),
            "{stdout}"
        );
    }
}

#[test]
fn other_commands_escape_user_data_too() {
    let (_dir, db) = temp_db();
    let evil = "甲\u{1b}]0;HACKED\u{7}";
    let out = ducha(&db).args(["--user", evil, "status"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out2 = ducha(&db).args(["--user", evil, "users", "list"]).output().unwrap();
    let out3 =
        ducha(&db).args(["--user", evil, "users", "add", evil, "--role", "bogus\u{1b}[2J"]).output().unwrap();
    for o in [&out, &out2, &out3] {
        for stream in [&o.stdout, &o.stderr] {
            assert!(
                !stream.contains(&0x1b) && !stream.contains(&0x07),
                "{}",
                String::from_utf8_lossy(stream)
            );
        }
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("甲\\u{1b}]0;HACKED\\u{7}"));
    assert_eq!(out3.status.code(), Some(2));
}
