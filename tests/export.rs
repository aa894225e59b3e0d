#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha export rectifications|findings`: CSV that round-trips through the csv crate, the byte-order
//! mark, the formula guard, XLSX read back with the same rows as the CSV, every filter, masking on and off
//! (and the audit of an unmasked export), and an export reading one snapshot while another connection
//! writes.

mod common;
#[path = "export/fixture.rs"]
mod fixture;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use common::ducha;
use ducha::export::{self, Cell, ExportFilter, Kind, Masking, Options, Sink};
use ducha::i18n::Lang;
use ducha::store::Store;
use fixture::{FORMULA, ID_PROBLEM, PHONE, REQUIREMENT, build, day, today};

/// Reads a CSV export: the byte-order mark checked and removed, the header and the rows.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 byte-order mark");
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
    let headers = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect();
    (headers, rows)
}

fn export_csv(db: &Path, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let out = ducha(db).args(["--lang", "zh", "export"]).args(args).assert().success();
    read_csv(&out.get_output().stdout)
}

fn column(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
}

fn problems(db: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["rectifications"];
    all.extend_from_slice(args);
    let (h, rows) = export_csv(db, &all);
    let p = column(&h, "问题描述");
    let mut v: Vec<String> = rows.iter().map(|r| r[p].clone()).collect();
    v.sort();
    v
}

#[test]
fn the_rectification_list_round_trips_through_csv_with_labels_dates_and_the_guard() {
    let f = build();
    let path = f.dir.path().join("清单.csv");
    let out =
        ducha(&f.db).args(["--lang", "zh", "export", "rectifications", "-o"]).arg(&path).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("已导出整改清单 3 行"), "{stderr}");
    let bytes = std::fs::read(&path).unwrap();
    // CRLF after every record: the header line ends with \r\n and no line ends with a bare \n outside quotes.
    assert!(bytes.windows(2).filter(|w| w == b"\r\n").count() >= 4);
    let (h, rows) = read_csv(&bytes);
    let expected: Vec<&str> = ducha::export::rectification_list::COLUMNS.iter().map(|(zh, _)| *zh).collect();
    assert_eq!(h, expected);
    assert_eq!(rows.len(), 3);
    let col = |name: &str| column(&h, name);
    // Board order: the overdue one first.
    let first = &rows[0];
    assert_eq!(first[col("序号")], "1");
    assert_eq!(first[col("问题描述")], format!("'{FORMULA}"), "the formula guard");
    assert_eq!(first[col("整改要求")], REQUIREMENT, "commas, quotes and a line break survive");
    assert_eq!(first[col("检查领域")], "养老机构");
    assert_eq!(first[col("镇街")], "如城街道");
    assert_eq!(first[col("单位编号")], "YL001");
    assert_eq!(first[col("检查日期")], "2026-03-10");
    assert_eq!(first[col("检查人员")], "检查员甲、科长乙");
    assert_eq!(first[col("隐患等级")], "重大（重大事故隐患）");
    assert_eq!(first[col("整改期限")], day(-5));
    assert_eq!(first[col("状态")], "待整改");
    assert_eq!(first[col("逾期天数")], "5");
    assert_eq!(first[col("联系电话")], "138****5678");
    let remarks = &first[col("备注")];
    assert!(remarks.contains(&format!("延期 {}→{}：材料采购中", day(-10), day(-5))), "{remarks}");
    assert!(remarks.contains("已电话联系 138****5678"), "{remarks}");
    assert!(first[col("复查日期")].is_empty() && first[col("销号日期")].is_empty());

    let verified = rows.iter().find(|r| r[col("状态")] == "已销号").unwrap();
    assert_eq!(verified[col("问题描述")], "老人张某（身份证320682********1234）未做入住评估");
    assert_eq!(verified[col("联系电话")], "0513-****1306");
    assert_eq!(verified[col("复查日期")], today().format("%Y-%m-%d").to_string());
    assert_eq!(verified[col("复查人")], "科长乙");
    assert_eq!(verified[col("复查结论")], "复查通过：现场复查通过");
    assert_eq!(verified[col("销号日期")], today().format("%Y-%m-%d").to_string());
    assert_eq!(verified[col("逾期天数")], "0");
    assert!(verified[col("备注")].contains("退回：评估表未签字"), "{}", verified[col("备注")]);
    assert_eq!(verified[col("隐患等级")], "较重");

    let lottery = rows.iter().find(|r| r[col("检查领域")] == "福利彩票投注站").unwrap();
    assert_eq!(lottery[col("单位编号")], "32068001");
    assert_eq!(lottery[col("问题描述")], "代销证未悬挂, 放在抽屉里");
    assert_eq!(lottery[col("隐患等级")], "一般");
}

#[test]
fn standard_output_gets_csv_with_a_bom_unless_told_not_to_and_english_with_lang_en() {
    let f = build();
    let with = ducha(&f.db).args(["export", "rectifications"]).assert().success();
    assert!(with.get_output().stdout.starts_with(b"\xEF\xBB\xBF"));
    let without =
        ducha(&f.db).args(["--lang", "en", "export", "rectifications", "--no-bom", "-o", "-"]).assert();
    let out = without.success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("No.,List no.,Domain,Town,Unit inspected,"), "{text}");
    assert!(
        text.contains("Elderly care")
            && text.contains("critical (major accident hazard)")
            && text.contains("open")
    );
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("exported 3 rows of the rectification list to -"), "{stderr}");
}

/// A cell of an XLSX read back, as the CSV writes it (before the formula guard).
fn xlsx_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => {
            // Excel's day 0 is 1899-12-30 (for dates after February 1900).
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            (epoch + chrono::Days::new(d.as_f64() as u64)).format("%Y-%m-%d").to_string()
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

fn unguard(s: &str) -> String {
    s.strip_prefix('\'')
        .filter(|rest| rest.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .unwrap_or(s)
        .to_string()
}

fn sheet_xml(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn xlsx_reads_back_with_the_same_rows_as_the_csv() {
    let f = build();
    for kind in ["rectifications", "findings"] {
        let csv_path = f.dir.path().join(format!("{kind}.csv"));
        let xlsx_path = f.dir.path().join(format!("{kind}.xlsx"));
        for p in [&csv_path, &xlsx_path] {
            ducha(&f.db).args(["--lang", "zh", "export", kind, "-o"]).arg(p).assert().success();
        }
        let (h, rows) = read_csv(&std::fs::read(&csv_path).unwrap());
        let mut book: Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();
        let sheet_name = if kind == "rectifications" { "整改清单" } else { "检查记录" };
        let range = book.worksheet_range(sheet_name).unwrap();
        let got: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(xlsx_text).collect()).collect();
        assert_eq!(got[0], h, "{kind} headers");
        let csv_rows: Vec<Vec<String>> =
            rows.iter().map(|r| r.iter().map(|c| unguard(c)).collect()).collect();
        assert_eq!(&got[1..], &csv_rows[..], "{kind} rows");
        // Codes that look like numbers stay text; dates are real dates; numbers are numbers.
        if kind == "rectifications" {
            let code = column(&h, "单位编号");
            let lottery = range.rows().find(|r| r[code] == Data::String("32068001".into()));
            assert!(lottery.is_some(), "a numeric-looking code is kept as text");
            let date = column(&h, "整改期限");
            assert!(matches!(range.rows().nth(1).unwrap()[date], Data::DateTime(_)));
            assert!(matches!(range.rows().nth(1).unwrap()[0], Data::Float(_)));
            let problem = column(&h, "问题描述");
            assert_eq!(range.rows().nth(1).unwrap()[problem], Data::String(FORMULA.into()));
        }
        let xml = sheet_xml(&xlsx_path);
        assert!(!xml.contains("<f>"), "no cell is a formula");
        assert!(xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#), "a frozen header row");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "an auto filter");
        assert!(xml.contains("<cols>"), "column widths are set");
    }
}

#[test]
fn column_widths_fit_chinese_text() {
    let f = build();
    let path = f.dir.path().join("w.xlsx");
    ducha(&f.db).args(["--lang", "zh", "export", "rectifications", "-o"]).arg(&path).assert().success();
    let xml = sheet_xml(&path);
    // Column E (被检查单位, "如皋市康乐颐养院": 8 Chinese characters, 16 columns) is wider than A (序号).
    let width = |col: usize| -> f64 {
        let tag = format!(r#"<col min="{col}" max="{col}" width=""#);
        let start = xml.find(&tag).unwrap_or_else(|| panic!("no width for column {col}: {xml}")) + tag.len();
        xml[start..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(width(5) >= 16.0, "unit name column {}", width(5));
    assert!(width(1) < 10.0, "number column {}", width(1));
}

#[test]
fn every_filter_narrows_the_list() {
    let f = build();
    let all = problems(&f.db, &[]);
    assert_eq!(all.len(), 3);
    let lottery = vec!["代销证未悬挂, 放在抽屉里".to_string()];
    let overdue = vec![format!("'{FORMULA}")];
    let verified = vec![ID_PROBLEM.replace("199001011234", "********1234")];
    let cases: Vec<(Vec<&str>, Vec<String>)> = vec![
        (vec!["--status", "open"], {
            let mut v = [overdue.clone(), lottery.clone()].concat();
            v.sort();
            v
        }),
        (vec!["--status", "已销号"], verified.clone()),
        (vec!["--status", "verified,open", "--domain", "lottery_outlet"], lottery.clone()),
        (vec!["--domain", "养老机构"], {
            let mut v = [overdue.clone(), verified.clone()].concat();
            v.sort();
            v
        }),
        (vec!["--town", "东陈镇"], lottery.clone()),
        (vec!["--site", "YL001", "--severity", "重大"], overdue.clone()),
        (vec!["--overdue"], overdue.clone()),
        (vec!["--from", "2026-05-01"], lottery.clone()),
        (vec!["--to", "2026-03-10"], {
            let mut v = [overdue.clone(), verified.clone()].concat();
            v.sort();
            v
        }),
        (vec!["--from", "2026-03-11", "--to", "2026-05-31"], vec![]),
        (vec!["--severity", "minor"], lottery.clone()),
    ];
    for (args, expected) in cases {
        assert_eq!(problems(&f.db, &args), expected, "{args:?}");
    }
}

#[test]
fn bad_filters_and_outputs_are_refused_with_what_and_where() {
    let f = build();
    let refused = |args: &[&str], code: i32, needle: &str| {
        let out =
            ducha(&f.db).args(["--lang", "zh", "export", "rectifications"]).args(args).assert().code(code);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    };
    refused(&["--town", "东陈"], 1, "东陈镇");
    refused(&["--site", "NOPE1"], 1, "NOPE1");
    refused(&["--status", "done"], 2, "待整改");
    refused(&["--from", "2026-13-01"], 2, "2026-13-01");
    refused(&["--from", "2026-05-01", "--to", "2026-04-01"], 1, "2026-05-01");
    let txt = f.dir.path().join("list.txt");
    refused(&["-o", txt.to_str().unwrap()], 1, ".xlsx");
    assert!(!txt.exists());
    let missing = f.dir.path().join("no-such-dir").join("list.csv");
    refused(&["-o", missing.to_str().unwrap()], 1, "no-such-dir");
}

#[test]
fn a_failed_export_leaves_an_earlier_file_as_it_was() {
    let f = build();
    let path = f.dir.path().join("keep.csv");
    std::fs::write(&path, "earlier export").unwrap();
    // An inspector may not export unmasked: refused before anything is written.
    ducha(&f.db)
        .env("DUCHA_USER", "检查员甲")
        .args(["export", "rectifications", "--unmasked", "-o"])
        .arg(&path)
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier export");
    ducha(&f.db).args(["export", "rectifications", "-o"]).arg(&path).assert().success();
    assert!(std::fs::read(&path).unwrap().starts_with(b"\xEF\xBB\xBF"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "an export is readable like any saved file");
    }
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn masking_is_on_by_default_and_off_only_for_supervisors_with_an_audit_row() {
    let f = build();
    let masked = String::from_utf8(
        ducha(&f.db).args(["export", "rectifications"]).assert().success().get_output().stdout.clone(),
    )
    .unwrap();
    assert!(!masked.contains(PHONE) && masked.contains("138****5678"));
    assert!(!masked.contains("320682199001011234") && masked.contains("320682********1234"));

    let refused = ducha(&f.db)
        .env("DUCHA_USER", "检查员甲")
        .args(["--lang", "zh", "export", "rectifications", "--unmasked"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("科室负责人"), "{stderr}");
    assert!(refused.get_output().stdout.is_empty());

    let out = ducha(&f.db)
        .env("DUCHA_USER", "科长乙")
        .args(["export", "findings", "--unmasked"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("13900001111"), "the group leader's phone in a note, unmasked");
    let out = ducha(&f.db)
        .env("DUCHA_USER", "管理员")
        .args(["export", "rectifications", "--unmasked", "--town", "如城街道"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains(PHONE) && text.contains("320682199001011234"));
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("unmasked"));

    let store = Store::open(&f.db).unwrap();
    let rows: Vec<(String, String, String)> = store
        .conn()
        .prepare("SELECT actor, action, new FROM audit WHERE action = 'export.unmasked' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "科长乙");
    assert!(rows[0].2.contains("findings"));
    assert_eq!(rows[1].0, "管理员");
    assert!(rows[1].2.contains("town=如城街道"), "{}", rows[1].2);
}

#[test]
fn findings_have_one_row_per_answer_with_repeat_rows_linked_to_their_inspection() {
    let f = build();
    let (h, rows) = export_csv(&f.db, &["findings"]);
    let col = |name: &str| column(&h, name);
    // Submitted inspections only: elderly 3 answers + 2 failures, lottery 1 failure.
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(rows.iter().all(|r| r[col("检查状态")] == "已提交"));
    let elderly: Vec<&Vec<String>> = rows.iter().filter(|r| r[col("检查编号")] == f.elderly).collect();
    assert_eq!(elderly.len(), 5);
    // The checklist's order: fire_responsible (section 1) before exit_unblocked before the drill groups.
    let items: Vec<&str> = elderly.iter().map(|r| r[col("检查项编号")].as_str()).collect();
    assert_eq!(
        items,
        vec![
            "fire_responsible",
            "exit_unblocked",
            "fire_extinguishers",
            "group_task（第1组）",
            "group_leader（第1组）"
        ]
    );
    let group = elderly.iter().find(|r| r[col("检查项编号")].starts_with("group_task")).unwrap();
    assert_eq!(group[col("重复序号")], "1");
    assert_eq!(group[col("答案")], "灭火行动组", "option label, not key");
    assert_eq!(group[col("分组")], "演练分组");
    let leader = elderly.iter().find(|r| r[col("检查项编号")].starts_with("group_leader")).unwrap();
    assert_eq!(leader[col("备注")], "组长电话 139****1111");
    let exit = elderly.iter().find(|r| r[col("检查项编号")] == "exit_unblocked").unwrap();
    assert_eq!(exit[col("结果")], "不合格");
    assert_eq!(exit[col("整改状态")], "待整改");
    assert!(exit[col("检查项")].starts_with("安全出口"));
    assert_eq!(exit[col("记录人")], "检查员甲");
    assert!(exit[col("记录时间")].starts_with("2026-03-10 09:30"));
    assert_eq!(exit[col("修订")], "1");

    let (_, with_drafts) = export_csv(&f.db, &["findings", "--include-drafts"]);
    assert_eq!(with_drafts.len(), 7);
    assert!(with_drafts.iter().any(|r| r[col("检查编号")] == f.draft && r[col("检查状态")] == "草稿"));
    // Rectification filters keep only answers whose rectification matches.
    let (_, open) = export_csv(&f.db, &["findings", "--status", "open"]);
    assert_eq!(open.len(), 2);
    let (_, town) = export_csv(&f.db, &["findings", "--town", "东陈镇"]);
    assert_eq!(town.len(), 1);
}

/// Exports every rectification from `store` into `sink` in `lang`, masked, from one read transaction.
fn list_into(
    store: &mut Store,
    lang: Lang,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> export::Result<export::Summary> {
    let opts = Options {
        lang,
        today: today(),
        masking: Masking::Masked,
        bom: true,
        include_drafts: false,
        actor: "测试员".into(),
    };
    store.read(|tx| {
        export::write_rows(tx, Kind::Rectifications, &ExportFilter::default(), &opts, sink, progress)
    })
}

/// A sink that keeps rows in memory and, on the first row, lets a second connection write.
struct Interrupted<'a> {
    rows: Vec<Vec<Cell>>,
    on_first: Option<Box<dyn FnOnce() + 'a>>,
}

impl Sink for Interrupted<'_> {
    fn header(&mut self, _: &[&str]) -> export::Result<()> {
        Ok(())
    }
    fn row(&mut self, cells: &[Cell]) -> export::Result<()> {
        if let Some(f) = self.on_first.take() {
            f();
        }
        self.rows.push(cells.to_vec());
        Ok(())
    }
    fn finish(&mut self) -> export::Result<()> {
        Ok(())
    }
}

#[test]
fn an_export_reads_one_snapshot_while_another_connection_writes() {
    let f = build();
    let db = f.db.clone();
    let mut reader = Store::open(&db).unwrap();
    let writer_db = db.clone();
    let mut sink = Interrupted {
        rows: Vec::new(),
        on_first: Some(Box::new(move || {
            // Mid-export, an inspector's laptop closes every rectification and adds a new one.
            let mut w = Store::open(&writer_db).unwrap();
            w.write(|tx| -> ducha::store::Result<()> {
                tx.execute("UPDATE rectifications SET status = 'verified', closed_at = '2026-11-01T00:00:00+08:00'", [])?;
                let id: String = tx.query_row("SELECT id FROM rectifications LIMIT 1", [], |r| r.get(0))?;
                tx.execute(
                    "INSERT INTO rectifications (id, inspection_id, answer_id, site_id, item_id, instance, problem,
                        basis, severity, major_hazard, requirement, deadline, responsible, phone, status, created_by,
                        created_at, updated_at)
                     SELECT 'NEW' || id, inspection_id, NULL, site_id, item_id, 9, 'written during the export', basis,
                        severity, major_hazard, requirement, deadline, responsible, phone, 'open', created_by,
                        created_at, updated_at FROM rectifications WHERE id = ?1",
                    [&id],
                )?;
                Ok(())
            })
            .unwrap();
        })),
    };
    let mut calls = 0;
    let summary = list_into(&mut reader, Lang::Zh, &mut sink, &mut |_, total| {
        calls += 1;
        assert_eq!(total, 3);
    })
    .unwrap();
    assert_eq!(summary.rows, 3);
    assert_eq!(calls, 3);
    let status = ducha::export::rectification_list::COLUMNS.iter().position(|(zh, _)| *zh == "状态").unwrap();
    let statuses: Vec<String> = sink.rows.iter().map(|r| r[status].display()).collect();
    assert_eq!(
        statuses.iter().filter(|s| *s == "待整改").count(),
        2,
        "the snapshot before the write: {statuses:?}"
    );
    // The write did land: a new export sees it.
    let (_, after) = export_csv(&db, &["rectifications"]);
    assert_eq!(after.len(), 4);
}

#[test]
fn an_export_is_not_blocked_by_a_write_in_progress() {
    let f = build();
    let w = Store::open(&f.db).unwrap();
    // Hold the write lock with an uncommitted change while the export runs in another process.
    let tx = w.conn().unchecked_transaction().unwrap();
    tx.execute("UPDATE rectifications SET problem = 'uncommitted'", []).unwrap();
    let (_, rows) = export_csv(&f.db, &["rectifications"]);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| !r.iter().any(|c| c == "uncommitted")));
    tx.rollback().unwrap();
}

#[test]
fn a_reader_that_stops_early_ends_the_export_quietly() {
    let f = build();
    // Enough rows to overflow the pipe's buffer.
    let store = Store::open(&f.db).unwrap();
    store
        .conn()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
             INSERT INTO rectifications (id, inspection_id, answer_id, site_id, item_id, instance, problem, basis,
                severity, major_hazard, requirement, deadline, responsible, phone, status, created_by, created_at,
                updated_at)
             SELECT 'COPY' || n.i, r.inspection_id, NULL, r.site_id, r.item_id, n.i, r.problem, r.basis, r.severity,
                r.major_hazard, r.requirement, r.deadline, r.responsible, r.phone, r.status, r.created_by,
                r.created_at, r.updated_at
             FROM n, (SELECT * FROM rectifications LIMIT 1) r",
        )
        .unwrap();
    drop(store);
    let (first, out) = common::first_line_then_close(
        common::ducha_process(&f.db)
            .args(["--lang", "en", "export", "rectifications"])
            .env("DUCHA_USER", "管理员"),
    );
    assert!(first.contains("List no."), "{first}");
    assert_eq!(out.status.code(), Some(0), "a closed pipe ends the export quietly");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let rows: u64 = stderr.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(u64::MAX);
    assert!(rows < 5003, "stopped when the reader went away: {stderr}");
}

/// A sink that holds two rows at most and records whether anything was written.
struct Capped(bool);

impl Sink for Capped {
    fn header(&mut self, _: &[&str]) -> export::Result<()> {
        self.0 = true;
        Ok(())
    }
    fn row(&mut self, _: &[Cell]) -> export::Result<()> {
        self.0 = true;
        Ok(())
    }
    fn finish(&mut self) -> export::Result<()> {
        Ok(())
    }
    fn capacity(&self) -> Option<u64> {
        Some(2)
    }
}

#[test]
fn more_rows_than_the_format_holds_are_refused_before_anything_is_written() {
    let f = build();
    let mut store = Store::open(&f.db).unwrap();
    let mut sink = Capped(false);
    let err = list_into(&mut store, Lang::En, &mut sink, &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("3 rows are more than an XLSX worksheet holds (2)"), "{err}");
    assert!(!sink.0, "nothing was written");
}

#[test]
fn every_export_is_recorded_in_the_audit_log_with_its_filter_and_rows() {
    let f = build();
    export_csv(&f.db, &["rectifications", "--status", "open"]);
    let store = Store::open(&f.db).unwrap();
    let new: String = store
        .conn()
        .query_row("SELECT new FROM audit WHERE action = 'export.write' ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let new: serde_json::Value = serde_json::from_str(&new).unwrap();
    assert_eq!(new["what"], "rectifications");
    assert_eq!(new["filter"], "status=open");
    assert_eq!(new["masked"], true);
    assert_eq!(new["output"], "-");
    assert!(new["rows"].as_u64().is_some());
}
