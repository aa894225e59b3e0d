//! Merging hand-over files: the same content whatever the order and grouping, nothing twice, a new laptop
//! set up from the office's file, laptops' work reaching the office and going back, old files upgraded
//! in a copy. Real databases, real hand-over files, the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use laptops::{ADMIN, INSPECTOR, Place, demo, inspect, laptop_from, office};

#[test]
fn demo_databases_merge_to_the_same_content_in_every_order_and_grouping() {
    // Two laptops' years of work and an office with its own.
    let (a, b, c) = (demo(11), demo(12), office());
    inspect(&c, INSPECTOR, "YL003", &["fire_plan"]);
    let (a_file, b_file) = (a.handover("a.hand"), b.handover("b.hand"));
    let submitted = |p: &Place| p.count("SELECT count(*) FROM inspections WHERE status = 'submitted'");
    let expected = submitted(&a) + submitted(&b) + submitted(&c);

    let ab = c.copy();
    ab.merge_ok(&[&a_file, &b_file]);
    let ba = c.copy();
    ba.merge_ok(&[&b_file]);
    ba.merge_ok(&[&a_file]);
    // Grouping: A merged into B first, then that B into C.
    let b_with_a = b.copy();
    b_with_a.merge_ok(&[&a_file]);
    let grouped_file = b_with_a.handover("ba.hand");
    let grouped = c.copy();
    grouped.merge_ok(&[&grouped_file]);
    // Idempotence: everything again, twice.
    let again = c.copy();
    again.merge_ok(&[&a_file, &b_file]);
    again.merge_ok(&[&b_file, &a_file, &grouped_file]);

    assert_eq!(submitted(&ab), expected, "every submitted inspection once");
    let reference = ab.digests();
    assert_eq!(ba.digests(), reference, "B then A");
    assert_eq!(grouped.digests(), reference, "A into B, then into C");
    assert_eq!(again.digests(), reference, "merged twice");
    assert!(reference["rectification_events"].1 > 0 && reference["evidence"].1 > 0);
    // No duplicates: ids are unique, and every answer revision arrived once.
    let answers = |p: &Place| {
        p.count(
            "SELECT count(*) FROM answers a JOIN inspections i ON i.id = a.inspection_id WHERE i.status = 'submitted'",
        )
    };
    assert_eq!(answers(&again), answers(&a) + answers(&b) + answers(&c));
    // Every audit chain is whole after merging, and every photo arrived with the right bytes.
    common::ducha(&again.db).arg("verify").assert().success();
    let store = again.open();
    assert_eq!(ducha::store::audit::verify(store.conn()).unwrap(), vec![]);
    let mut stmt = store
        .conn()
        .prepare("SELECT a.inspection_id, e.stored_name, e.sha256 FROM evidence e JOIN answers a ON a.id = e.answer_id")
        .unwrap();
    let rows: Vec<(String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    assert!(rows.len() as i64 >= reference["evidence"].1);
    for (inspection, name, sha) in rows {
        let bytes = std::fs::read(store.evidence_root().join(&inspection).join(&name)).unwrap();
        assert_eq!(ducha::checklist::sha256_hex(&bytes), sha, "{inspection}/{name}");
    }
}

#[test]
fn a_new_laptop_is_set_up_from_the_office_file_without_sample_sites_or_conflicts() {
    let o = office();
    // The office's registry differs from the sample: one real site added, the samples that were never
    // inspected removed.
    let csv = o.dir.path().join("real.csv");
    std::fs::write(&csv, "code,kind,name,town\nZZ900,elderly_care,新建敬老院,长江镇\n").unwrap();
    let ok = common::ducha(&o.db).args(["--user", ADMIN, "sites", "import"]).arg(&csv).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    common::ducha(&o.db).args(["--user", ADMIN, "sites", "remove-sample"]).assert().success();
    let file = o.handover("office.hand");

    let laptop = Place::empty();
    let out = laptop.merge_ok(&[&file]);
    assert!(out.contains("from the office"), "{out}");
    assert_eq!(laptop.count("SELECT count(*) FROM sites"), 1, "only the office's registry");
    assert_eq!(laptop.count("SELECT count(*) FROM sites WHERE code = 'ZZ900'"), 1);
    assert_eq!(laptop.count("SELECT count(*) FROM reference_conflicts"), 0);
    assert_eq!(laptop.device().office.as_deref(), Some(o.device().id.as_str()));
    assert_ne!(laptop.device().id, o.device().id, "a device of its own");
    assert_eq!(laptop.count("SELECT count(*) FROM users WHERE role = 'admin'"), 1, "the office's one admin");
    assert_eq!(
        laptop.count("SELECT count(*) FROM checklist_snapshots"),
        o.count("SELECT count(*) FROM checklist_snapshots")
    );
    // Opening it later does not seed the sample registry after all.
    common::ducha(&laptop.db).arg("status").assert().success();
    assert_eq!(laptop.count("SELECT count(*) FROM sites"), 1);
}

#[test]
fn laptops_work_reaches_the_office_in_any_order_and_goes_back_to_the_laptops() {
    let o = office();
    let setup = o.handover("office.hand");
    let (l1, l2) = (laptop_from(&setup), laptop_from(&setup));
    let (i1, r1) = inspect(&l1, INSPECTOR, "YL001", &["exit_unblocked", "fire_plan"]);
    let (i2, _) = inspect(&l2, "检查员丙", "YL002", &["fire_extinguishers"]);
    let (f1, f2) = (l1.handover("l1.hand"), l2.handover("l2.hand"));

    let o2 = o.copy();
    let out = o.merge_ok(&[&f1, &f2]);
    assert!(out.lines().any(|l| l.split_whitespace().eq(["inspections", "1", "0", "0"])), "{out}");
    o2.merge_ok(&[&f2]);
    o2.merge_ok(&[&f1]);
    assert_eq!(o.digests(), o2.digests());
    assert_eq!(o.count("SELECT count(*) FROM rectifications"), 3);
    let merged = o.count("SELECT count(*) FROM merges");
    assert_eq!(merged, 2, "each file remembered");

    // The office's file brings L2's inspection and the open rectifications to L1 for 复查.
    let back = o.handover("office2.hand");
    l1.merge_ok(&[&back]);
    let has = |p: &Place, id: &str| p.count(&format!("SELECT count(*) FROM inspections WHERE id = '{id}'"));
    assert_eq!((has(&l1, &i1), has(&l1, &i2)), (1, 1));
    assert_eq!(l1.count("SELECT count(*) FROM rectifications WHERE status = 'open'"), 3);
    assert!(
        r1.iter().all(|r| l1.count(&format!("SELECT count(*) FROM rectifications WHERE id = '{r}'")) == 1)
    );
    // Status names the last merge per device.
    let status = common::ducha(&o.db).arg("status").output().unwrap();
    assert!(status.status.success());
}

#[test]
fn a_database_of_an_older_schema_is_merged_from_an_upgraded_copy_and_left_as_it_was() {
    // A laptop still on schema 6, with a user, a site and their audit rows written the way schema 6 did.
    let old = Place::empty();
    {
        let store = ducha::store::Store::open_at(&old.db, 6).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO users (name, role, created_at) VALUES ('老检查员', 'admin', '2026-01-05T09:00:00+08:00');
                 INSERT INTO sites (id, code, kind, name, town, created_at, updated_at)
                   VALUES ('01HZZZZZZZZZZZZZZZZZZZZZZZ', 'OLD01', 'lottery_outlet', '老投注站', '磨头镇',
                           '2026-01-05T09:00:00+08:00', '2026-01-05T09:00:00+08:00');
                 INSERT INTO audit (id, at, actor, action, entity, entity_id, old, new)
                   VALUES ('01HYYYYYYYYYYYYYYYYYYYYYYY', '2026-01-05T09:00:00+08:00', '老检查员', 'user.add', 'user',
                           '老检查员', NULL, '{\"role\":\"admin\"}'),
                          ('01HYYYYYYYYYYYYYYYYYYYYYYZ', '2026-01-05T09:01:00+08:00', '老检查员', 'site.create', 'site',
                           '01HZZZZZZZZZZZZZZZZZZZZZZZ', NULL, '{\"code\":\"OLD01\"}');",
            )
            .unwrap();
    }
    let before = std::fs::read(&old.db).unwrap();
    let o = office();
    o.merge_ok(&[&old.db]);
    assert_eq!(std::fs::read(&old.db).unwrap(), before, "the old file is not upgraded in place");
    assert_eq!(o.count("SELECT count(*) FROM sites WHERE id = 'OLD01'"), 1, "known by its code");
    assert_eq!(
        o.count("SELECT count(*) FROM users WHERE name = '老检查员'"),
        0,
        "a field admin is not taken"
    );
    assert_eq!(o.count("SELECT count(*) FROM reference_conflicts WHERE entity = 'user'"), 1);
    let digests = o.digests();
    o.merge_ok(&[&old.db]);
    assert_eq!(o.digests(), digests, "the same old file is the same device the second time");
    assert_eq!(ducha::store::audit::verify(o.open().conn()).unwrap(), vec![]);
}
