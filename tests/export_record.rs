#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha export record` / `export records`: the printable inspection record (现场检查记录) and duty shift
//! record (值班记录) of submitted inspections, on fixture data — repeats, an amendment, a refusal to sign,
//! evidence, certificate numbers —, masking on hostile data, the stored number through the binary and
//! across a merge, and the month's batch with its index.

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDate, TimeZone};
use common::{ducha, temp_db};
use ducha::checklist::{AnswerKind, LoadReport, Loaded, load_paths, load_shipped};
use ducha::export::Masking;
use ducha::export::record;
use ducha::i18n::Lang;
use ducha::inspection::record::{self as recording, Given};
use ducha::inspection::{Check, Value};
use ducha::roles::Role;
use ducha::store::{Store, audit, inspections, sites, users};

const ADMIN: &str = "测试员";
const HOSTILE: &str = "王五 身份证320682199001011234 手机13912345678 座机0513-87654321";

fn pin_clock() {
    let at = FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, 29, 9, 30, 0).unwrap();
    ducha::store::set_clock(Some(at));
}

/// A seeded database with the bureau named, two registered inspectors (one with a certificate number) and
/// a supervisor.
fn setup(named: bool) -> (tempfile::TempDir, PathBuf) {
    pin_clock();
    let (dir, db) = temp_db();
    let mut store = Store::open(&db).unwrap();
    ducha::app::seed(&mut store, ADMIN).unwrap();
    store
        .write(|tx| -> ducha::store::Result<()> {
            users::upsert(tx, ADMIN, "王芳", Role::Inspector)?;
            users::upsert(tx, ADMIN, "李强", Role::Inspector)?;
            users::upsert(tx, ADMIN, "赵科长", Role::Supervisor)?;
            users::set_cert(tx, ADMIN, "王芳", "苏民执字第0012号")?;
            Ok(())
        })
        .unwrap();
    if named {
        ducha::bureau::set(&mut store, ADMIN, ducha::bureau::Key::Name, Some("如皋市民政局"), Lang::Zh)
            .unwrap();
    }
    (dir, db)
}

fn fixture(id: &str) -> Loaded {
    let mut report = LoadReport::default();
    if id == "rescue_station_duty_log" {
        load_shipped(&mut report);
    } else {
        load_paths(&mut report, &[PathBuf::from(format!("tests/fixtures/records/{id}.toml"))]);
    }
    report.find(id).unwrap().clone()
}

/// How a fixture inspection is answered.
struct Plan<'a> {
    checklist: &'a str,
    site: &'a str,
    inspectors: &'a [&'a str],
    /// Items that fail.
    fail: &'a [&'a str],
    /// Free text everywhere (answers, notes, problems, names) holds ID and phone numbers.
    hostile: bool,
    groups: u32,
    representative: &'a str,
    /// An evidence file attached to the first failure: its name.
    evidence: Option<&'a str>,
}

/// Records and submits an inspection as `plan` says; the last group's check is answered 不适用 and then
/// amended to 合格 with a reason. Returns its id.
fn record_one(db: &Path, plan: &Plan<'_>) -> String {
    let loaded = fixture(plan.checklist);
    let mut store = Store::open(db).unwrap();
    let site = sites::by_code(store.conn(), plan.site).unwrap().unwrap();
    let names: Vec<String> = plan.inspectors.iter().map(|s| s.to_string()).collect();
    let id = recording::start(&mut store, ADMIN, &loaded, &site, &names).unwrap();
    for _ in 0..plan.groups {
        store.write(|tx| inspections::add_instance(tx, ADMIN, &id, "groups")).unwrap();
    }
    let mut sheet = recording::open(&store, &id).unwrap().sheet;
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let text = if plan.hostile { HOSTILE } else { "范队长" };
    for slot in sheet.slots() {
        if !sheet.visible(slot) {
            continue;
        }
        let item = sheet.item(slot).clone();
        let failing = plan.fail.contains(&item.id.as_str());
        let value = match &item.kind {
            AnswerKind::Check if failing => Value::Check(Check::Fail),
            AnswerKind::Check if slot.instance == plan.groups && slot.instance > 0 => Value::Check(Check::Na),
            AnswerKind::Check => Value::Check(Check::Pass),
            AnswerKind::Number(spec) if failing => Value::Number(spec.pass_max.unwrap_or(0.0) + 60.0),
            AnswerKind::Number(_) => Value::Number(150.0),
            AnswerKind::Choice(opts) => Value::Choice(opts[0].key.clone()),
            AnswerKind::MultiChoice(opts) => Value::Multi(vec![opts[0].key.clone()]),
            AnswerKind::DateTime => Value::DateTime(today.and_hms_opt(8, 0, 0).unwrap()),
            AnswerKind::Time => Value::Time(chrono::NaiveTime::from_hms_opt(23, 0, 0).unwrap()),
            AnswerKind::Date => Value::Date(today),
            AnswerKind::Text { .. } => Value::Text(text.into()),
        };
        let finding = failing.then(|| {
            let mut f = recording::default_finding(&sheet, slot, today);
            f.problem =
                if plan.hostile { HOSTILE.into() } else { format!("{}：现场发现问题", item.prompt) };
            f.responsible = text.into();
            f.requirement = if plan.hostile { HOSTILE.into() } else { f.requirement };
            f
        });
        let note = if plan.hostile { HOSTILE } else { "" };
        let given = Given { item: &item, instance: slot.instance, value, note, finding: finding.as_ref() };
        let answer = recording::answer(&mut store, ADMIN, &id, given).unwrap();
        sheet.answers.insert((item.id.clone(), slot.instance), answer);
    }
    if let (Some(name), Some(first)) = (plan.evidence, plan.fail.first()) {
        let file = db.with_file_name(name);
        std::fs::write(&file, b"fixture photo bytes").unwrap();
        let dir = ducha::store::evidence::root_beside(Some(db));
        store.write(|tx| ducha::store::evidence::attach_file(tx, ADMIN, &id, first, 0, &file, &dir)).unwrap();
    }
    let opened = recording::Opened { sheet, ..recording::open(&store, &id).unwrap() };
    recording::submit(&mut store, ADMIN, &opened, &names, plan.representative).unwrap();
    if plan.groups > 0 {
        let item = loaded.checklist.item("group_ready").unwrap().clone();
        let given = Given {
            item: &item,
            instance: plan.groups,
            value: Value::Check(Check::Pass),
            note: "",
            finding: None,
        };
        let reason = if plan.hostile { HOSTILE } else { "复核：该小组当日已到位" };
        recording::amend(&mut store, ADMIN, &id, given, reason).unwrap();
    }
    id
}

const ELDERLY: Plan<'static> = Plan {
    checklist: "record_elderly",
    site: "YL001",
    inspectors: &["王芳", "李强"],
    fail: &["exit_clear", "evac_seconds"],
    hostile: false,
    groups: 2,
    representative: "张主任（拒签）",
    evidence: Some("出口堆物.jpg"),
};

/// The page for a snapshot: 26-character ULIDs become `[ID]` and the laptop's code in numbers (`第K7QH-`)
/// `第[DEVICE]-`.
fn stable(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let chars: Vec<char> = page.chars().collect();
    let mut i = 0;
    let is_id = |c: char| c.is_ascii_digit() || c.is_ascii_uppercase();
    while i < chars.len() {
        if chars[i..].len() >= 26
            && chars[i..i + 26].iter().all(|c| is_id(*c))
            && (i == 0 || !is_id(chars[i - 1]))
        {
            out.push_str("[ID]");
            i += 26;
            continue;
        }
        if chars[i] == '第' && chars.get(i + 5) == Some(&'-') && chars[i + 1..i + 5].iter().all(|c| is_id(*c))
        {
            out.push_str("第[DEVICE]-");
            i += 6;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn export(db: &Path, user: &str, id: &str, masking: Masking, lang: Lang) -> (record::Exported, String) {
    let out = db.with_file_name(format!("record-{id}.html"));
    let mut store = Store::open(db).unwrap();
    let done = record::export(&mut store, user, id, lang, masking, &out).unwrap();
    (done, std::fs::read_to_string(&out).unwrap())
}

#[test]
fn a_record_with_repeats_an_amendment_a_refusal_to_sign_and_evidence() {
    let (_dir, db) = setup(true);
    let id = record_one(&db, &ELDERLY);
    let (done, page) = export(&db, ADMIN, &id, Masking::Masked, Lang::Zh);
    assert!(done.new_number && done.bureau_named);
    assert!(page.contains("<h4>第1小组</h4>") && page.contains("<h4>第2小组</h4>"), "{page}");
    assert!(page.contains("第2小组 · 小组是否到位？（修订号 2）"), "the amendment names its item: {page}");
    assert!(page.contains("复核：该小组当日已到位") && page.contains("见证人签名："), "{page}");
    assert!(page.contains("出口堆物.jpg（SHA-256 "), "{page}");
    assert!(page.contains("240 秒"), "the answer as the console shows it, with its unit: {page}");
    insta::assert_snapshot!("record_elderly", stable(&page));
}

#[test]
fn the_proof_of_a_fix_is_printed_under_its_problem() {
    let (dir, db) = setup(true);
    let id = record_one(&db, &ELDERLY);
    let (_, page) = export(&db, ADMIN, &id, Masking::Masked, Lang::Zh);
    assert!(!page.contains("整改证据："), "no fix reported yet: {page}");
    let photo = dir.path().join("通道清理后.jpg");
    std::fs::write(&photo, b"fixed exit").unwrap();
    let mut store = Store::open(&db).unwrap();
    let rect: String = store
        .conn()
        .query_row("SELECT id FROM rectifications WHERE inspection_id = ?1 LIMIT 1", [&id], |r| r.get(0))
        .unwrap();
    let proof = ducha::rectification::ops::Proof { files: vec![photo], confirmed_without_evidence: false };
    for t in [ducha::rectification::Transition::Start, ducha::rectification::Transition::ReportFix] {
        let files =
            if t == ducha::rectification::Transition::ReportFix { proof.clone() } else { Default::default() };
        ducha::rectification::ops::transition_with(&mut store, "王芳", &rect, t, "已清理", &files, Lang::Zh)
            .unwrap();
    }
    drop(store);
    let (_, page) = export(&db, ADMIN, &id, Masking::Masked, Lang::Zh);
    let sha = ducha::checklist::sha256_hex(b"fixed exit");
    assert!(page.contains(&format!("整改证据：</span>通道清理后.jpg ({})", &sha[..12])), "{page}");
}

#[test]
fn a_duty_shift_prints_as_a_duty_record_with_its_handover() {
    let (_dir, db) = setup(true);
    let station = sites::list(Store::open(&db).unwrap().conn(), &sites::Filter::default())
        .unwrap()
        .into_iter()
        .find(|s| s.fields.kind == ducha::domain::Domain::RescueStation)
        .unwrap();
    let plan = Plan {
        checklist: "rescue_station_duty_log",
        site: &station.fields.code,
        inspectors: &["王芳", "李强"],
        fail: &[],
        hostile: false,
        groups: 0,
        representative: "",
        evidence: None,
    };
    let id = record_one(&db, &plan);
    let (done, page) = export(&db, ADMIN, &id, Masking::Masked, Lang::Zh);
    assert_eq!(done.form, record::Form::DutyShift);
    assert!(page.contains("<h1>值班记录</h1>") && page.contains("<h2>交接班</h2>"), "{page}");
    assert!(!page.contains("被检查单位代表"), "{page}");
    insta::assert_snapshot!("record_duty_shift", stable(&page));
}

#[test]
fn an_enforcement_record_carries_the_inspectors_certificate_numbers() {
    let (_dir, db) = setup(true);
    let org = sites::list(Store::open(&db).unwrap().conn(), &sites::Filter::default())
        .unwrap()
        .into_iter()
        .find(|s| s.fields.kind == ducha::domain::Domain::SocialOrg)
        .unwrap();
    let plan = Plan {
        checklist: "record_enforcement",
        site: &org.fields.code,
        inspectors: &["王芳", "李强"],
        fail: &["annual_report"],
        hostile: false,
        groups: 0,
        representative: "陈会长",
        evidence: None,
    };
    let id = record_one(&db, &plan);
    let (_, page) = export(&db, ADMIN, &id, Masking::Masked, Lang::Zh);
    assert!(page.contains("王芳（执法证号：苏民执字第0012号）"), "{page}");
    assert!(page.contains("李强（执法证号：未登记）"), "{page}");
    insta::assert_snapshot!("record_enforcement", stable(&page));
}

#[test]
fn hostile_text_is_masked_unless_a_supervisor_unmasks_it_and_that_is_audited() {
    let (_dir, db) = setup(true);
    {
        let mut store = Store::open(&db).unwrap();
        let mut site = sites::by_code(store.conn(), "YL001").unwrap().unwrap().fields;
        site.address = HOSTILE.into();
        site.contact = HOSTILE.into();
        store.write(|tx| sites::upsert(tx, ADMIN, &site, false)).unwrap();
    }
    let plan = Plan {
        hostile: true,
        representative: "张三13912345678（拒签）",
        evidence: Some("现场13912345678.jpg"),
        ..ELDERLY
    };
    let id = record_one(&db, &plan);
    let (_, masked) = export(&db, ADMIN, &id, Masking::Masked, Lang::Zh);
    for leak in ["320682199001011234", "13912345678", "0513-87654321"] {
        assert!(!masked.contains(leak), "{leak} leaked into the masked record");
    }
    assert!(masked.contains("320682********1234") && masked.contains("139****5678"), "{masked}");
    // Every free-text place held the numbers: each shows them masked.
    assert!(masked.matches("320682********1234").count() >= 8, "{masked}");
    let out = db.with_file_name("unmasked.html");
    let mut store = Store::open(&db).unwrap();
    let refused = record::export(&mut store, "王芳", &id, Lang::Zh, Masking::Unmasked, &out);
    assert!(refused.is_err() && !out.exists(), "an inspector cannot unmask");
    record::export(&mut store, "赵科长", &id, Lang::Zh, Masking::Unmasked, &out).unwrap();
    let unmasked = std::fs::read_to_string(&out).unwrap();
    assert!(unmasked.contains("320682199001011234") && unmasked.contains("13912345678"));
    let audited: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'export.unmasked' AND actor = '赵科长'
             AND new LIKE '%\"record\"%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    assert!(audit::verify(store.conn()).unwrap().is_empty(), "the audit chain is whole");
}

#[test]
fn the_binary_issues_the_number_once_and_a_reprint_prints_the_same() {
    let (_dir, db) = setup(false);
    let id = record_one(&db, &ELDERLY);
    let out = db.with_file_name("记录.html");
    let run =
        || ducha(&db).args(["--lang", "zh", "export", "record", &id[..8], "-o"]).arg(&out).output().unwrap();
    let first = run();
    let stderr = String::from_utf8(first.stderr).unwrap();
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("新编号") && stderr.contains("ducha settings set bureau.name"), "{stderr}");
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.contains("<div class=\"letterhead blank\"></div>"), "unset name keeps a blank line");
    let second = run();
    let again = String::from_utf8(second.stderr).unwrap();
    assert!(second.status.success() && again.contains("沿用已有编号"), "{again}");
    let number =
        |p: &str| p.split("<p class=\"number\">").nth(1).unwrap().split("</p>").next().unwrap().to_string();
    assert_eq!(number(&page), number(&std::fs::read_to_string(&out).unwrap()));
    let store = Store::open(&db).unwrap();
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM records"), 1);
    assert_eq!(count("SELECT count(*) FROM audit WHERE action = 'record.issue'"), 1);
    // A draft has no record yet; a wrong extension is refused before anything is opened.
    let bad = ducha(&db).args(["export", "record", &id, "-o", "x.pdf"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn a_draft_is_refused() {
    let (_dir, db) = setup(true);
    let loaded = fixture("record_elderly");
    let mut store = Store::open(&db).unwrap();
    let site = sites::by_code(store.conn(), "YL001").unwrap().unwrap();
    let id = recording::start(&mut store, ADMIN, &loaded, &site, &["王芳".into(), "李强".into()]).unwrap();
    let out = db.with_file_name("draft.html");
    let err =
        record::export(&mut store, ADMIN, &id, Lang::Zh, Masking::Masked, &out).unwrap_err().to_string();
    assert!(err.contains("尚未提交"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_batch_writes_one_file_per_submitted_inspection_and_an_index_filtered_by_town() {
    let (_dir, db) = setup(true);
    let a = record_one(&db, &ELDERLY);
    let b =
        record_one(&db, &Plan { fail: &[], groups: 0, representative: "张主任", evidence: None, ..ELDERLY });
    let dir = db.with_file_name("归档");
    let run = |extra: &[&str]| {
        ducha(&db)
            .args(["--lang", "zh", "export", "records", "--from", "2026-11-01", "--to", "2026-11-30", "-o"])
            .arg(&dir)
            .args(extra)
            .output()
            .unwrap()
    };
    let done = run(&[]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        assert!(f.starts_with("2026-11-29_YL001_督记2026第") && f.ends_with("号.html"), "{f}");
        assert!(index.contains(&format!("href=\"{f}\"")), "{index}");
        assert!(f.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c)), "{f}");
    }
    for id in [&a, &b] {
        assert!(files.iter().any(|f| std::fs::read_to_string(dir.join(f)).unwrap().contains(id.as_str())));
    }
    // The town is checked by the registry's rule: a typo is refused with the close names.
    let typo = run(&["--town", "如城街"]);
    let stderr = String::from_utf8(typo.stderr).unwrap();
    assert_eq!(typo.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("如城街道"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
    let town = sites::by_code(Store::open(&db).unwrap().conn(), "YL001").unwrap().unwrap().fields.town;
    let other = if town == "如城街道" { "长江镇" } else { "如城街道" };
    assert!(run(&["--town", other]).status.success());
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(index.contains("共 0 份"), "{index}");
}

#[test]
fn a_record_issued_on_a_laptop_keeps_its_number_at_the_office_and_two_laptops_never_share_one() {
    use laptops::{INSPECTOR, inspect, laptop_from, office};
    let o = office();
    let (l1, l2) = {
        let setup = o.handover("setup.hand");
        (laptop_from(&setup), laptop_from(&setup))
    };
    let (i1, _) = inspect(&l1, INSPECTOR, "YL001", &["exit_unblocked"]);
    let (i2, _) = inspect(&l2, INSPECTOR, "YL002", &[]);
    let number = |p: &laptops::Place, id: &str| {
        let out = p.db.with_file_name(format!("{id}.html"));
        record::export(&mut p.open(), INSPECTOR, id, Lang::Zh, Masking::Masked, &out).unwrap().number
    };
    let (n1, n2) = (number(&l1, &i1), number(&l2, &i2));
    assert_ne!(n1, n2, "both the first record of the year, on different laptops");
    assert!(n1.contains(&l1.device().code) && n2.contains(&l2.device().code), "{n1} {n2}");
    o.merge_ok(&[&l1.handover("l1.hand"), &l2.handover("l2.hand")]);
    assert_eq!(o.count("SELECT count(DISTINCT number) FROM records"), 2);
    assert_eq!(number(&o, &i1), n1, "the office reprints the number the unit signed on site");
    assert_eq!(number(&o, &i2), n2);
    assert_eq!(o.count("SELECT count(*) FROM records"), 2, "no second number");
}
