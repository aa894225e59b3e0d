#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha export publication` (抽查结果公示) through the binary: the page and the CSV of a small plan
//! drawn with a fixed seed (some units inspected, one in progress, one not), the XLSX read back, the
//! refusals, and the no-personal-data rule checked on a demo database whose every free-text and person
//! field holds hostile values.

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use std::path::Path;

use calamine::{Reader, Xlsx};
use common::{ducha, run};
use ducha::store::{inspections, plans, sites, snapshots};
use laptops::{ADMIN, INSPECTOR, Place, SUPERVISOR, inspect, office};

/// Draws a plan through the binary as `user`; returns its id (printed on standard error).
fn draw(db: &Path, user: &str, count: &str, seed: &str) -> String {
    let (code, _, err) = run(ducha(db).args(["--lang", "zh", "--user", user, "plan", "random"]).args([
        "--domain",
        "养老机构",
        "--count",
        count,
        "--seed",
        seed,
    ]));
    assert_eq!(code, 0, "{err}");
    err.split("计划编号 ").nth(1).unwrap().trim().to_string()
}

fn link(place: &Place, plan: &str, position: u32, inspection: &str) {
    let mut store = place.open();
    store.write(|tx| plans::link(tx, ADMIN, plan, position, inspection)).unwrap();
}

/// A draft inspection at `site_id`.
fn draft(place: &Place, site_id: &str) -> String {
    let mut store = place.open();
    let snapshot =
        snapshots::list(store.conn()).unwrap().into_iter().find(|s| s.domain == "elderly_care").unwrap();
    store
        .write(|tx| {
            inspections::create(tx, INSPECTOR, site_id, &snapshot.id, &[INSPECTOR.into(), "检查员丙".into()])
        })
        .unwrap()
}

fn sql(place: &Place, statement: &str, id: &str) {
    place.open().conn().execute(statement, [id]).unwrap();
}

/// The office with a plan of six elderly-care units (seed 20261129): 1 without problems, 2 ordered to
/// rectify two (one critical), 3 rectifying (one of three verified), 4 rectified, 5 a draft, 6 not started.
fn fixture() -> (Place, String) {
    let o = office();
    let plan = draw(&o.db, SUPERVISOR, "6", "20261129");
    let items = plans::items(o.open().conn(), &plan).unwrap();
    assert_eq!(items.len(), 6);
    let code = |i: usize| items[i].site_code.clone();
    let (clean, _) = inspect(&o, INSPECTOR, &code(0), &[]);
    link(&o, &plan, 1, &clean);
    let (ordered, rects) = inspect(&o, INSPECTOR, &code(1), &["exit_unblocked", "fire_plan"]);
    sql(&o, "UPDATE rectifications SET severity = 'critical' WHERE id = ?1", &rects[0]);
    link(&o, &plan, 2, &ordered);
    let (fixing, rects) =
        inspect(&o, INSPECTOR, &code(2), &["fire_responsible", "fire_plan", "fire_training"]);
    sql(&o, "UPDATE rectifications SET status = 'verified' WHERE id = ?1", &rects[1]);
    sql(&o, "UPDATE rectifications SET severity = 'minor' WHERE id = ?1", &rects[2]);
    link(&o, &plan, 3, &fixing);
    let (fixed, _) = inspect(&o, INSPECTOR, &code(3), &["fire_archive"]);
    sql(&o, "UPDATE rectifications SET status = 'verified' WHERE inspection_id = ?1", &fixed);
    link(&o, &plan, 4, &fixed);
    let started = draft(&o, &items[4].site_id);
    link(&o, &plan, 5, &started);
    (o, plan)
}

fn export(db: &Path, args: &[&str]) -> (i32, String, String) {
    run(ducha(db).args(["--lang", "zh", "--user", INSPECTOR, "export", "publication"]).args(args))
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\b0[0-9A-HJKMNP-TV-Z]{25}\b", "[ULID]");
    settings.add_filter(r"\d{4}-\d\d-\d\d", "[date]");
    settings.add_filter(r"\d{4}年\d{1,2}月\d{1,2}日", "[日期]");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn the_page_and_the_csv_of_a_plan_list_every_unit_drawn_with_its_result() {
    let (o, plan) = fixture();
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("公示.html");
    // Without a bureau name: a blank on the page and a hint.
    let (code, _, err) = export(&o.db, &["--plan", &plan[..8], "-o", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 个计划，6 个单位") && err.contains("尚未设置局名"), "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<p class=\"bureau\"><span class=\"blank\"></span></p>"), "{page}");

    run(ducha(&o.db).args(["--user", ADMIN, "settings", "set", "bureau.name", "如皋市民政局"]));
    let (code, _, err) = export(&o.db, &["--plan", &plan, "-o", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("尚未设置局名"), "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    for result in
        ["未发现问题", "责令整改 2 项", "整改中（已整改 1/3 项）", "已整改（共 1 项）", "检查中", "未检查"]
    {
        assert!(page.contains(result), "{result}");
    }
    assert!(page.contains("随机种子") && page.contains("20261129") && page.contains("结果与本计划一致"));
    assert!(!page.contains("http") && !page.contains("url(") && !page.contains("<script"));
    snapshot("publication_page", &page);

    let csv = dir.path().join("公示.csv");
    let (code, _, err) = export(&o.db, &["--plan", &plan, "-o", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&csv).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    snapshot("publication_csv", &text);
}

#[test]
fn the_xlsx_holds_the_table_and_its_notes_on_a_second_sheet() {
    let (o, plan) = fixture();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("公示.xlsx");
    let (code, _, err) = export(&o.db, &["--plan", &plan, "-o", xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), vec!["抽查结果公示".to_string(), "说明".to_string()]);
    let table = book.worksheet_range("抽查结果公示").unwrap();
    let rows: Vec<Vec<String>> = table.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 7, "the header and six units");
    assert_eq!(rows[0][10], "检查结果");
    assert_eq!(rows[0][15], "重大问题数");
    assert_eq!(rows[2][3], "20261129", "the seed as text, exact");
    assert_eq!(rows[2][10], "责令整改 2 项");
    assert_eq!((rows[2][11].as_str(), rows[2][15].as_str()), ("2", "1"), "two ordered, one critical");
    assert_eq!(rows[6][10], "未检查");
    assert_eq!(rows[6][9], "", "no inspection date");
    let notes = book.worksheet_range("说明").unwrap();
    let notes: Vec<String> = notes.rows().map(|r| r[0].to_string()).collect();
    assert!(notes.iter().any(|n| n.starts_with("重抽方法")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("随机种子 20261129")), "{notes:?}");
}

#[test]
fn a_period_collects_its_plans_and_a_changed_registry_is_said_not_to_redraw() {
    let (o, plan) = fixture();
    let second = draw(&o.db, SUPERVISOR, "2", "7");
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    let (code, _, err) = export(
        &o.db,
        &[
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--domain",
            "elderly_care",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 个计划，8 个单位"), "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains(&plan) && text.contains(&second));

    // A site added to the registry since: the same seed now draws from 37 sites, not the plan's 36.
    let mut store = o.open();
    let mut fields = sites::by_code(store.conn(), "YL001").unwrap().unwrap().fields;
    fields.code = "YL000".into();
    fields.name = "新登记养老院".into();
    store.write(|tx| sites::upsert(tx, ADMIN, &fields, false)).unwrap();
    drop(store);
    let (code, _, err) = export(&o.db, &["--plan", &plan, "-o", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("单位名录自抽取后已有变动"), "{text}");
}

#[test]
fn refusals_say_what_is_wrong() {
    let (o, plan) = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.html");
    let out = out.to_str().unwrap();
    // One character mistyped: the close id is suggested.
    let mut typo: Vec<char> = plan.chars().collect();
    typo[20] = if typo[20] == 'A' { 'B' } else { 'A' };
    let typo: String = typo.into_iter().collect();
    let (code, _, err) = export(&o.db, &["--plan", &typo, "-o", out]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("找不到抽查计划 {typo}（是否想写 {plan}？）")), "{err}");
    let (code, _, err) = export(&o.db, &["--plan", "ZZZZZZZZ", "-o", out]);
    assert_eq!(code, 1);
    assert!(err.contains("最近的计划") && err.contains(&plan), "the plans there are: {err}");
    let (code, _, err) = export(&o.db, &["--from", "2026-12-01", "--to", "2026-11-01", "-o", out]);
    assert_eq!(code, 1);
    assert!(err.contains("--from 2026-12-01 晚于 --to 2026-11-01"), "{err}");
    let (code, _, err) = export(&o.db, &["--from", "2000-01-01", "--to", "2000-12-31", "-o", out]);
    assert_eq!(code, 1);
    assert!(err.contains("没有抽取") && err.contains("未写出文件"), "{err}");
    let (code, _, err) =
        export(&o.db, &["--from", "2000-01-01", "--to", "2030-01-01", "--domain", "彩票", "-o", out]);
    assert_eq!(code, 2, "a bad domain is a usage error: {err}");
    assert!(err.contains("elderly_care"), "{err}");
    let (code, _, err) = export(&o.db, &["--plan", &plan, "-o", "p.pdf"]);
    assert_eq!(code, 1);
    assert!(err.contains(".csv、.xlsx 或 .html"), "{err}");
    let (code, _, _) = export(&o.db, &["-o", out]);
    assert_eq!(code, 2, "--plan or a period is required");
    assert!(!Path::new(out).exists(), "no refusal wrote a file");
}

/// The ID-card, mobile and landline numbers every hostile value carries.
const ID: &str = "110101199003077777";
const MOBILE: &str = "13812345678";
const LANDLINE: &str = "0513-87654321";

/// Columns that hold no free text and no person, which the publication may read as they are: keys,
/// dates, enumerations, the checklists' text, the seed, what the publication publishes (the unit's code;
/// its name is poisoned separately), and the audit log (append-only).
fn structural(table: &str, column: &str) -> bool {
    let skipped_tables = ["audit", "checklist_snapshots", "device", "bureau_settings", "open_by_deadline"];
    let enums =
        ["status", "kind", "domain", "severity", "outcome", "role", "from_status", "to_status", "decision"];
    skipped_tables.contains(&table)
        || column == "id"
        || column.ends_with("_id")
        || column.ends_with("_at")
        || column.ends_with("deadline")
        || enums.contains(&column)
        || matches!((table, column), ("sites", "code" | "name" | "initials") | ("plans", "seed"))
}

/// Every other text column of every table gets, in every row, a value with a marker naming the column
/// and the ID, mobile and landline numbers (JSON arrays keep their length, so a pool still counts).
fn poison(conn: &rusqlite::Connection) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut markers = Vec::new();
    for table in &tables {
        let columns: Vec<(String, String)> = conn
            .prepare("SELECT name, type FROM pragma_table_info(?1)")
            .unwrap()
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (column, kind) in columns {
            if kind != "TEXT" || structural(table, &column) {
                continue;
            }
            let marker = format!("LEAK{table}{column}").replace('_', "");
            let hostile = format!("{marker} {ID} {MOBILE} {LANDLINE} <script>x</script>");
            let rows: Vec<(i64, Option<String>)> = conn
                .prepare(&format!("SELECT rowid, \"{column}\" FROM \"{table}\""))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            for (rowid, value) in rows {
                let value = match value.as_deref().map(serde_json::from_str::<serde_json::Value>) {
                    Some(Ok(serde_json::Value::Array(a))) => {
                        let hostile: Vec<String> = (0..a.len()).map(|i| format!("{hostile} {i}")).collect();
                        serde_json::to_string(&hostile).unwrap()
                    }
                    _ => format!("{hostile} {rowid}"),
                };
                conn.execute(
                    &format!("UPDATE \"{table}\" SET \"{column}\" = ?1 WHERE rowid = ?2"),
                    rusqlite::params![value, rowid],
                )
                .unwrap();
            }
            markers.push(marker);
        }
    }
    // The units' names are published, masked: their numbers must not show, nor any markup.
    conn.execute(
        "UPDATE sites SET name = '单位' || rowid || ' ' || ?1 || ' ' || ?2 || ' <script>y</script>'",
        [ID, MOBILE],
    )
    .unwrap();
    markers
}

fn xlsx_xml(path: &Path) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = Vec::new();
    for i in 0..archive.len() {
        std::io::Read::read_to_end(&mut archive.by_index(i).unwrap(), &mut all).unwrap();
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn no_personal_data_or_internal_note_reaches_any_of_the_three_outputs() {
    let place = laptops::demo(11);
    let plan = draw(&place.db, ADMIN, "5", "99");
    {
        let store = place.open();
        let conn = store.conn();
        let pick = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        let with_rects = "SELECT i.id FROM inspections i WHERE i.status = 'submitted' AND EXISTS (SELECT 1 FROM rectifications r WHERE r.inspection_id = i.id AND r.status <> 'verified') LIMIT 1";
        let verified = "SELECT i.id FROM inspections i WHERE i.status = 'submitted' AND EXISTS (SELECT 1 FROM rectifications r WHERE r.inspection_id = i.id) AND NOT EXISTS (SELECT 1 FROM rectifications r WHERE r.inspection_id = i.id AND r.status NOT IN ('verified', 'withdrawn')) LIMIT 1";
        let clean = "SELECT i.id FROM inspections i WHERE i.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM rectifications r WHERE r.inspection_id = i.id) LIMIT 1";
        let draft = "SELECT id FROM inspections WHERE status = 'draft' LIMIT 1";
        let ids = [pick(with_rects), pick(verified), pick(clean), pick(draft)];
        drop(store);
        for (i, id) in ids.iter().enumerate() {
            link(&place, &plan, i as u32 + 1, id);
        }
    }
    let markers = poison(place.open().conn());
    assert!(markers.len() >= 30, "every free-text and person column was poisoned: {markers:?}");
    for expected in [
        "LEAKsitescontact",
        "LEAKsitesphone",
        "LEAKrectificationsproblem",
        "LEAKusersname",
        "LEAKplansinspectors",
        "LEAKinspectionssiterepresentative",
        "LEAKanswersnote",
    ] {
        assert!(markers.iter().any(|m| m == expected), "{expected} in {markers:?}");
    }

    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for name in ["p.csv", "p.xlsx", "p.html"] {
        let path = dir.path().join(name);
        let (code, _, err) = run(ducha(&place.db)
            .args(["--lang", "zh", "--user", ADMIN, "export", "publication", "--plan", &plan, "-o"])
            .arg(&path));
        assert_eq!(code, 0, "{name}: {err}");
        let bytes = if name.ends_with("xlsx") { xlsx_xml(&path) } else { std::fs::read(&path).unwrap() };
        outputs.push((name, bytes));
    }
    for (name, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.contains("单位") && text.contains("110101********7777"),
            "{name}: the masked unit names are there"
        );
        for needle in markers.iter().map(String::as_str).chain([ID, MOBILE, "87654321", "LEAK"]) {
            assert!(!contains(bytes, needle), "{name} leaks {needle}");
        }
        if name.ends_with("html") {
            assert!(
                !contains(bytes, "<script>") && contains(bytes, "&lt;script&gt;y"),
                "the page escapes text"
            );
        }
    }
    let (_, html) = &outputs[2];
    let html = String::from_utf8_lossy(html);
    for result in ["未检查", "检查中", "未发现问题", "责令整改"] {
        assert!(html.contains(result), "{result}: the results are there");
    }
}
