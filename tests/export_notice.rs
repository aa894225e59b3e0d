#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha export notice`: the printable rectification notice of a submitted inspection — its contents,
//! the stored number (allocated once, reused, counted per year), escaping, masking and the unmasked
//! export's authorisation, id prefixes, and the refusals.

mod common;

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDate, TimeZone};
use common::{ducha, temp_db};
use ducha::checklist::{AnswerKind, LoadReport, load_shipped};
use ducha::export::Masking;
use ducha::export::notice::escape;
use ducha::i18n::Lang;
use ducha::inspection::record::{self, Given};
use ducha::inspection::{Check, Finding, Value};
use ducha::store::{Store, audit, rectifications, sites};

/// The outlet every test inspects (from the sample registry).
const OUTLET: &str = "32068001";
const ADMIN: &str = "测试员";

/// Pins this thread's clock, so stored times (and the ids' time part) are the same on every run: every
/// inspection of a test is started on 2026-11-29.
fn pin_clock() {
    let at = FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, 29, 9, 30, 0).unwrap();
    ducha::store::set_clock(Some(at));
}

/// The notice number `seq` of this year as the database behind `db` prints it (with its device's code):
/// the binary issues notices by its own clock, and they are numbered by the year they are issued in.
fn number(db: &Path, seq: u32) -> String {
    let code: String = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT code FROM device", [], |r| r.get(0))
        .unwrap();
    ducha::store::notices::format_number(&code, this_year(), seq)
}

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Local::now())
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    pin_clock();
    let (dir, db) = temp_db();
    let mut store = Store::open(&db).unwrap();
    ducha::app::seed(&mut store, ADMIN).unwrap();
    (dir, db)
}

fn shipped() -> LoadReport {
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    report
}

/// Records an inspection of the outlet: every shown item answered, the `n`-th plain check item failing
/// with the problem given for `n` (the rest pass); submitted when `submit` is set. Returns its id.
fn inspect(db: &Path, failures: &[(usize, &str)], submit: bool) -> String {
    let report = shipped();
    let loaded = report.find("lottery_outlet_supervision").unwrap();
    let mut store = Store::open(db).unwrap();
    let outlet = sites::by_code(store.conn(), OUTLET).unwrap().unwrap();
    let inspectors = vec![ADMIN.to_string(), "李强".to_string()];
    let id = record::start(&mut store, ADMIN, loaded, &outlet, &inspectors).unwrap();
    let opened = record::open(&store, &id).unwrap();
    let mut sheet = opened.sheet.clone();
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let mut checks = 0;
    for slot in sheet.slots() {
        if !sheet.visible(slot) {
            continue;
        }
        let item = sheet.item(slot).clone();
        let (value, finding) = match &item.kind {
            AnswerKind::Check if !item.evidence_on_fail => {
                checks += 1;
                match failures.iter().find(|(n, _)| *n == checks - 1) {
                    Some((_, problem)) => {
                        let mut f = record::default_finding(&sheet, slot, today);
                        f.problem = (*problem).into();
                        f.responsible = "张店主 13912345678".into();
                        (Value::Check(Check::Fail), Some(f))
                    }
                    None => (Value::Check(Check::Pass), None),
                }
            }
            AnswerKind::Check => (Value::Check(Check::Pass), None),
            AnswerKind::Number(spec) => (Value::Number(spec.pass_min.unwrap_or(0.0) + 300.0), None),
            AnswerKind::Choice(opts) => {
                (Value::Choice(opts.iter().find(|o| !o.fail).unwrap().key.clone()), None)
            }
            AnswerKind::MultiChoice(opts) => (Value::Multi(vec![opts[0].key.clone()]), None),
            _ => (Value::Text("无".into()), None),
        };
        let given =
            Given { item: &item, instance: slot.instance, value, note: "", finding: finding.as_ref() };
        let answer = record::answer(&mut store, ADMIN, &id, given).unwrap();
        sheet.answers.insert((item.id.clone(), slot.instance), answer);
    }
    if submit {
        let opened = record::Opened { sheet, ..record::open(&store, &id).unwrap() };
        record::submit(&mut store, ADMIN, &opened, &inspectors, "张店主").unwrap();
    }
    id
}

/// The rectifications of an inspection, in the order they were raised.
fn rects(db: &Path, id: &str) -> Vec<rectifications::Rectification> {
    let store = Store::open(db).unwrap();
    let sql = format!(
        "SELECT {} FROM rectifications r WHERE r.inspection_id = ?1 ORDER BY r.created_at, r.rowid",
        rectifications::COLUMNS
    );
    let mut stmt = store.conn().prepare(&sql).unwrap();
    stmt.query_map([id], rectifications::row_to_rectification).unwrap().map(Result::unwrap).collect()
}

/// Runs `ducha export notice ID -o FILE [args]` (global options may come last too) and returns (exit code, stderr, the page if written).
fn export(db: &Path, args: &[&str], id: &str, file: &str) -> (i32, String, Option<String>) {
    let out_path = db.with_file_name(file);
    let out = ducha(db).args(["export", "notice", id, "-o"]).arg(&out_path).args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap(), stderr, std::fs::read_to_string(&out_path).ok())
}

/// The notice number printed on a page.
fn number_of(page: &str) -> String {
    let start = page.find("<p class=\"number\">").unwrap() + "<p class=\"number\">".len();
    page[start..].split("</p>").next().unwrap().to_string()
}

#[test]
fn the_notice_lists_every_failure_with_its_basis_requirement_and_deadline_and_keeps_its_number() {
    let (_dir, db) = setup();
    let id = inspect(&db, &[(0, "未公示开奖结果"), (2, "代销证未悬挂于显著位置")], true);
    let (code, stderr, page) = export(&db, &["--lang", "zh"], &id, "notice.html");
    assert_eq!(code, 0, "{stderr}");
    let page = page.unwrap();
    assert!(stderr.contains(&number(&db, 1)) && stderr.contains("2 项") && stderr.contains("notice.html"));

    let store = Store::open(&db).unwrap();
    let outlet = sites::by_code(store.conn(), OUTLET).unwrap().unwrap();
    assert_eq!(number_of(&page), number(&db, 1));
    for text in [&outlet.fields.name, &outlet.fields.code, &outlet.fields.address, &outlet.fields.town] {
        assert!(page.contains(&escape(text)), "{text} missing:\n{page}");
    }
    assert!(page.contains("2026-11-29") && page.contains("测试员、李强"), "{page}");
    let raised = rects(&db, &id);
    assert_eq!(raised.len(), 2);
    let mut last = 0;
    for r in &raised {
        let at = page.find(&escape(&r.problem)).unwrap_or_else(|| panic!("{} missing", r.problem));
        assert!(at > last, "not in item order");
        last = at;
        for text in [&r.basis, &r.requirement, &r.deadline] {
            assert!(!text.is_empty() && page.contains(&escape(text)), "{text} missing:\n{page}");
        }
    }
    assert!(page.contains("张店主 139****5678"), "the responsible person, masked:\n{page}");
    assert_eq!(page.matches("检查人员签名").count(), 2);
    assert!(page.contains("被检查单位负责人签收") && page.contains("日期："));
    assert!(page.contains("size: A4") && page.contains("page-break-inside: avoid"));
    assert!(!page.contains("http"), "no network resources:\n{page}");
    assert!(!page.contains("src=") && !page.contains("<link") && !page.contains("@import"));

    // A reprint keeps the number (no second allocation); the next inspection gets the next one.
    let (code, stderr, again) = export(&db, &["--lang", "zh"], &id, "again.html");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("沿用已有编号"), "{stderr}");
    assert_eq!(number_of(&again.unwrap()), number(&db, 1));
    let issued: Vec<_> = audit::for_entity(store.conn(), "inspection", &id)
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "notice.issue")
        .collect();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].actor, ADMIN);
    let second = inspect(&db, &[(1, "未按规定张贴禁止未成年人购彩标识")], true);
    let (code, stderr, page) = export(&db, &[], &second, "second.htm");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&number(&db, 2)) && stderr.contains("1 item"), "{stderr}");
    let page = page.unwrap();
    assert_eq!(number_of(&page), number(&db, 2));
    assert!(page.contains("Rectification Notice") && page.contains("Inspector's signature"), "{page}");
    let stored: (i64, i64, String) = store
        .conn()
        .query_row("SELECT year, seq, number FROM notices WHERE inspection_id = ?1", [&second], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(stored, (i64::from(this_year()), 2, number(&db, 2)));
}

#[test]
fn rectifications_are_listed_in_checklist_order_even_when_raised_by_a_later_amendment() {
    let (_dir, db) = setup();
    let id = inspect(&db, &[(3, "后面的问题")], true);
    // Correct the first check item into a failure after submitting: its rectification is raised last.
    let mut store = Store::open(&db).unwrap();
    let opened = record::open(&store, &id).unwrap();
    let slot = opened.sheet.slots().into_iter().find(|s| {
        let item = opened.sheet.item(*s);
        item.kind == AnswerKind::Check && !item.evidence_on_fail
    });
    let slot = slot.unwrap();
    let item = opened.sheet.item(slot).clone();
    let f = Finding {
        problem: "前面的问题".into(),
        ..record::default_finding(&opened.sheet, slot, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
    };
    let given =
        Given { item: &item, instance: 0, value: Value::Check(Check::Fail), note: "", finding: Some(&f) };
    record::amend(&mut store, ADMIN, &id, given, "复核发现").unwrap();
    drop(store);
    assert_eq!(
        rects(&db, &id).iter().map(|r| r.problem.as_str()).collect::<Vec<_>>(),
        ["后面的问题", "前面的问题"]
    );

    let (code, stderr, page) = export(&db, &[], &id, "n.html");
    assert_eq!(code, 0, "{stderr}");
    let page = page.unwrap();
    assert!(page.find("前面的问题").unwrap() < page.find("后面的问题").unwrap(), "{page}");
}

#[test]
fn problem_text_is_escaped() {
    let (_dir, db) = setup();
    let id = inspect(&db, &[(0, "墙上贴有<script>alert(\"x\")</script>字样 & 其他")], true);
    let (code, stderr, page) = export(&db, &[], &id, "n.html");
    assert_eq!(code, 0, "{stderr}");
    let page = page.unwrap();
    assert!(!page.contains("<script"), "{page}");
    assert!(
        page.contains("墙上贴有&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;字样 &amp; 其他"),
        "{page}"
    );
}

#[test]
fn phones_and_ids_are_masked_unless_a_supervisor_asks_for_them_unmasked() {
    let (_dir, db) = setup();
    let problem = "站主身份证320682199001011234，电话13812345678，未到场";
    let id = inspect(&db, &[(0, problem)], true);
    let (code, stderr, page) = export(&db, &[], &id, "masked.html");
    assert_eq!(code, 0, "{stderr}");
    let page = page.unwrap();
    assert!(page.contains("站主身份证320682********1234，电话138****5678，未到场"), "{page}");
    assert!(!page.contains("13812345678") && !page.contains("13912345678"));

    // An inspector may print the notice but not unmasked; the refusal writes nothing.
    let out = ducha(&db).args(["users", "add", "检查员乙", "--role", "inspector"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (code, stderr, page) = export(&db, &["--user", "检查员乙", "--unmasked"], &id, "plain.html");
    assert_eq!(code, 1);
    assert!(stderr.contains("supervisor") && stderr.contains("检查员乙"), "{stderr}");
    assert!(page.is_none());
    let (code, stderr, page) = export(&db, &["--user", "检查员乙"], &id, "inspector.html");
    assert_eq!(code, 0, "{stderr}");
    assert!(page.unwrap().contains("138****5678"));

    // The admin may, and the audit log says who exported what, and where to.
    let (code, stderr, page) = export(&db, &["--unmasked"], &id, "plain.html");
    assert_eq!(code, 0, "{stderr}");
    let page = page.unwrap();
    assert!(page.contains(problem) && page.contains("张店主 13912345678"), "{page}");
    let store = Store::open(&db).unwrap();
    let (actor, new): (String, String) = store
        .conn()
        .query_row("SELECT actor, new FROM audit WHERE action = 'export.unmasked'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(actor, ADMIN);
    assert!(new.contains("\"notice\"") && new.contains(&id) && new.contains("plain.html"), "{new}");
}

#[test]
fn an_inspection_is_found_by_a_unique_prefix_in_any_case() {
    let (_dir, db) = setup();
    let first = inspect(&db, &[(0, "问题甲")], true);
    let second = inspect(&db, &[(1, "问题乙")], true);
    // Both were started at the same (pinned) time: their ids share the 10-character time part.
    assert_eq!(first[..10], second[..10]);
    let prefix = first[..16].to_ascii_lowercase();
    let (code, stderr, page) = export(&db, &[], &prefix, "p.html");
    assert_eq!(code, 0, "{stderr}");
    assert!(page.unwrap().contains("问题甲"));

    let (code, stderr, page) = export(&db, &[], &first[..10], "amb.html");
    assert_eq!(code, 1);
    assert!(stderr.contains("matches several inspections") && stderr.contains(&first), "{stderr}");
    assert!(page.is_none());
    let (code, stderr, _) = export(&db, &["--lang", "zh"], &first[..10], "amb.html");
    assert_eq!(code, 1);
    assert!(stderr.contains("对应多条检查记录"), "{stderr}");

    let (code, stderr, _) = export(&db, &[], &first[..5], "short.html");
    assert_eq!(code, 1);
    assert!(stderr.contains("at least 6"), "{stderr}");
}

#[test]
fn unknown_draft_and_clean_inspections_and_other_file_types_are_refused_by_name() {
    let (_dir, db) = setup();
    let (code, stderr, page) = export(&db, &[], "01ZZZZZZZZZZZZ", "x.html");
    assert_eq!((code, page), (1, None));
    assert!(stderr.contains("there is no inspection 01ZZZZZZZZZZZZ"), "{stderr}");
    let (code, stderr, _) = export(&db, &["--lang", "zh"], "01ZZZZZZZZZZZZ", "x.html");
    assert_eq!(code, 1);
    assert!(stderr.contains("找不到检查记录 01ZZZZZZZZZZZZ"), "{stderr}");
    let (code, stderr, _) = export(&db, &[], "01KB'; DROP TABLE x", "x.html");
    assert_eq!(code, 1, "{stderr}");

    let draft = inspect(&db, &[(0, "草稿中的问题")], false);
    let (code, stderr, page) = export(&db, &[], &draft, "d.html");
    assert_eq!((code, page), (1, None));
    assert!(stderr.contains(&draft) && stderr.contains("draft"), "{stderr}");
    let (code, stderr, _) = export(&db, &["--lang", "zh"], &draft, "d.html");
    assert_eq!(code, 1);
    assert!(stderr.contains(&draft) && stderr.contains("尚未提交"), "{stderr}");

    let clean = inspect(&db, &[], true);
    let (code, stderr, page) = export(&db, &[], &clean, "c.html");
    assert_eq!((code, page), (1, None));
    assert!(stderr.contains(&clean) && stderr.contains("no rectification"), "{stderr}");

    let id = inspect(&db, &[(0, "问题")], true);
    let (code, stderr, page) = export(&db, &[], &id, "notice.pdf");
    assert_eq!((code, page), (1, None));
    assert!(stderr.contains(".html or .htm"), "{stderr}");
    let (code, stderr, _) = export(&db, &["--lang", "zh"], &id, "notice.txt");
    assert_eq!(code, 1);
    assert!(stderr.contains("扩展名应为 .html 或 .htm"), "{stderr}");
    // None of the refusals issued a number: the first notice printed is still 第001号.
    let (code, stderr, page) = export(&db, &[], &id, "ok.html");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(number_of(&page.unwrap()), number(&db, 1));
}

#[test]
fn a_user_who_is_not_registered_cannot_issue_a_number() {
    let (_dir, db) = setup();
    let id = inspect(&db, &[(0, "问题")], true);
    let (code, stderr, page) = export(&db, &["--user", "路人"], &id, "n.html");
    assert_eq!((code, page), (1, None));
    assert!(stderr.contains("路人") && stderr.contains("not registered"), "{stderr}");
}

/// Runs `f` with this thread's clock at `y-m-d 10:00` (UTC+8).
fn at_date(y: i32, m: u32, d: u32) {
    let at = FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap();
    ducha::store::set_clock(Some(at));
}

#[test]
fn a_notice_is_numbered_by_the_year_it_is_issued_not_the_year_of_the_inspection_and_keeps_it_on_reprint() {
    let (dir, db) = setup();
    at_date(2025, 12, 30);
    let december = inspect(&db, &[(0, "未公示开奖结果")], true);
    let mut store = Store::open(&db).unwrap();
    let export = |store: &mut Store, id: &str, file: &str| {
        let path = dir.path().join(file);
        ducha::export::notice::export(store, ADMIN, id, Lang::Zh, Masking::Masked, &path).unwrap()
    };
    at_date(2026, 1, 5);
    let issued = export(&mut store, &december, "december.html");
    let code: String = store.conn().query_row("SELECT code FROM device", [], |r| r.get(0)).unwrap();
    assert_eq!(issued.number, ducha::store::notices::format_number(&code, 2026, 1));
    assert!(issued.number.contains("〔2026〕"), "{}", issued.number);

    // An inspection of the new year comes next in the same count.
    at_date(2026, 1, 6);
    let january = inspect(&db, &[(1, "未按规定张贴禁止未成年人购彩标识")], true);
    let second = export(&mut store, &january, "january.html");
    assert_eq!(second.number, ducha::store::notices::format_number(&code, 2026, 2));

    // Reprinted a year later, the December inspection's notice keeps its number.
    at_date(2027, 2, 1);
    let again = export(&mut store, &december, "again.html");
    assert_eq!((again.number.as_str(), again.new_number), (issued.number.as_str(), false));
    let page = std::fs::read_to_string(dir.path().join("again.html")).unwrap();
    assert_eq!(number_of(&page), issued.number);
    assert!(page.contains("2025-12-30"), "the inspection date stays the inspection's:\n{page}");
    let stored: Vec<(i64, i64)> = store
        .conn()
        .prepare("SELECT year, seq FROM notices ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored, [(2026, 1), (2026, 2)]);
}

#[test]
fn the_notice_cites_the_legal_bases_of_the_checklist_items_not_the_checklist_title() {
    let (_dir, db) = setup();
    let id = inspect(&db, &[(0, "未公示开奖结果")], true);
    let (code, stderr, page) = export(&db, &["--lang", "zh"], &id, "notice.html");
    assert_eq!(code, 0, "{stderr}");
    let page = page.unwrap();
    let lead = page.split("<p class=\"lead\">").nth(1).unwrap().split("</p>").next().unwrap();
    let report = shipped();
    let checklist = &report.find("lottery_outlet_supervision").unwrap().checklist;
    assert!(!lead.contains(&format!("《{}》", checklist.title)), "the title is not a regulation: {lead}");
    let bases = ducha::export::notice::legal_bases(
        checklist.sections.iter().flat_map(|s| s.items.iter().map(|i| i.basis.as_str())),
    );
    assert!(bases.len() > 1, "{bases:?}");
    assert!(lead.contains(&format!("依据{}对你单位", escape(&bases.join("、")))), "{lead}");
    assert_eq!(lead.matches("《彩票管理条例》").count(), 1, "each document once: {lead}");
}

#[test]
fn the_notice_carries_the_bureaus_letterhead_and_hints_while_its_name_is_unset() {
    let (_dir, db) = setup();
    let id = inspect(&db, &[(0, "未公示开奖结果")], true);
    let (code, stderr, page) = export(&db, &["--lang", "zh"], &id, "unnamed.html");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("ducha settings set bureau.name"), "{stderr}");
    let page = page.unwrap();
    assert!(page.contains("<div class=\"letterhead blank\"></div>"), "a blank line for the name");
    assert!(page.contains("<span class=\"blank\"></span>（盖章）"), "the seal line keeps its blank");
    let mut store = Store::open(&db).unwrap();
    ducha::bureau::set(&mut store, ADMIN, ducha::bureau::Key::Name, Some("如皋市民政局"), Lang::Zh).unwrap();
    let (code, stderr, page) = export(&db, &["--lang", "zh"], &id, "named.html");
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("bureau.name"), "{stderr}");
    let page = page.unwrap();
    assert!(page.contains("<div class=\"letterhead\">如皋市民政局</div>"), "the name at the head");
    assert!(page.contains("<p>如皋市民政局（盖章）</p>"), "the seal line at the foot");
}
