//! Registry files written at test time, and reading the sites back, for the `sites import` tests.
#![allow(dead_code)] // each test crate uses part of it

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use crate::common::ducha;

pub const ZH_HEADER: &str = "编号,类型,名称,镇街,地址,联系人,电话,楼层,床位,证照号";
pub const EN_HEADER: &str = "code,kind,name,town,address,contact,phone,floors,beds,license";

/// Four sites, one of each kind, kinds given as Chinese names (one as the full label 福利彩票投注站); an
/// address with a comma is quoted, and a spreadsheet's trailing blank row is left in.
pub const ZH_ROWS: &str = "\
T001,养老机构,如皋市测试颐养院,如城街道,\"如城街道测试路1号, 2号楼\",王芳,0513-80000001,3,120,养老备字-T001
T002,福利彩票投注站,中国福利彩票第99990002号投注站,城北街道,城北街道测试路2号,李强,13800000002,,,
T003,救助管理站,如皋市救助管理站（测试）,如城街道,如城街道测试路3号,张伟,0513-80000003,2,40,
T004,社会组织,如皋市测试志愿者协会,白蒲镇,白蒲镇测试路4号,赵敏,,,,51320682TEST0004
,,,,,,,,,
";

/// The same four sites with the kinds given as keys.
pub const EN_ROWS: &str = "\
T001,elderly_care,如皋市测试颐养院,如城街道,\"如城街道测试路1号, 2号楼\",王芳,0513-80000001,3,120,养老备字-T001
T002,lottery_outlet,中国福利彩票第99990002号投注站,城北街道,城北街道测试路2号,李强,13800000002,,,
T003,rescue_station,如皋市救助管理站（测试）,如城街道,如城街道测试路3号,张伟,0513-80000003,2,40,
T004,social_org,如皋市测试志愿者协会,白蒲镇,白蒲镇测试路4号,赵敏,,,,51320682TEST0004
";

pub const TEST_CODES: [&str; 4] = ["T001", "T002", "T003", "T004"];

/// (code, kind, name, town, address, contact, phone, floors, beds, license, sample)
pub type SiteRow =
    (String, String, String, String, String, String, String, Option<i64>, Option<i64>, String, i64);

pub fn expected_rows() -> Vec<SiteRow> {
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
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
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

pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn open(db: &Path) -> Connection {
    Connection::open(db).unwrap()
}

pub fn site_row(conn: &Connection, code: &str) -> Option<SiteRow> {
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

pub fn count_codes(db: &Path, codes: &[&str]) -> i64 {
    let conn = open(db);
    codes
        .iter()
        .map(|c| {
            conn.query_row("SELECT count(*) FROM sites WHERE code = ?1", [c], |r| r.get::<_, i64>(0)).unwrap()
        })
        .sum()
}

pub fn site_id(db: &Path, code: &str) -> String {
    open(db).query_row("SELECT id FROM sites WHERE code = ?1", [code], |r| r.get(0)).unwrap()
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Creates and seeds the database, so a later failed import can be checked against it.
pub fn create(db: &Path) {
    ducha(db).arg("status").assert().success();
}
