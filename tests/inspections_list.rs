#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The store's list of all inspections (paged, newest first, searched by site, code, pinyin initials,
//! checklist and inspector) and the names a user last inspected with.

mod common;

use chrono::{FixedOffset, TimeZone};
use common::temp_db;
use ducha::checklist::{LoadReport, load_shipped};
use ducha::inspection::record;
use ducha::store::listing::{last_inspectors, page};
use ducha::store::{Store, set_clock, sites};

const ADMIN: &str = "测试员";

/// Starts a draft of the first checklist for the site `code` on day `day` of November 2026, as `user`.
fn start(store: &mut Store, report: &LoadReport, user: &str, code: &str, day: u32, names: &[&str]) -> String {
    let at = FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap();
    set_clock(Some(at));
    let site = sites::by_code(store.conn(), code).unwrap().unwrap();
    let loaded = report.loaded.iter().find(|l| l.checklist.site_kinds.contains(&site.fields.kind)).unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    record::start(store, user, loaded, &site, &names).unwrap()
}

fn setup() -> (tempfile::TempDir, Store, Vec<String>) {
    let (dir, db) = temp_db();
    let mut store = Store::open(&db).unwrap();
    ducha::app::seed(&mut store, ADMIN).unwrap();
    store
        .write(|tx| ducha::store::users::upsert(tx, ADMIN, "检查员乙", ducha::roles::Role::Inspector))
        .unwrap();
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    let ids = vec![
        start(&mut store, &report, ADMIN, "YL001", 3, &["王芳", "李强"]),
        start(&mut store, &report, ADMIN, "32068001", 5, &["张伟", "李强"]),
        start(&mut store, &report, "检查员乙", "YL012", 7, &["赵敏", "钱进"]),
        start(&mut store, &report, ADMIN, "YL012", 9, &["王芳", "孙丽"]),
    ];
    set_clock(None);
    (dir, store, ids)
}

fn ids(store: &Store, query: &str) -> Vec<String> {
    page(store.conn(), query, 0, 50).unwrap().rows.into_iter().map(|r| r.head.id).collect()
}

#[test]
fn every_inspection_is_listed_newest_first_a_page_at_a_time_with_the_total() {
    let (_dir, store, ids_started) = setup();
    let newest_first: Vec<String> = ids_started.iter().rev().cloned().collect();
    assert_eq!(ids(&store, ""), newest_first);
    let second = page(store.conn(), "", 1, 2).unwrap();
    assert_eq!((second.total, second.offset), (4, 1));
    assert_eq!(second.rows.iter().map(|r| r.head.id.clone()).collect::<Vec<_>>(), newest_first[1..3]);
    let first = &page(store.conn(), "", 0, 1).unwrap().rows[0];
    assert!(!first.site_name.is_empty() && !first.checklist_title.is_empty());
    assert_eq!(first.head.started_at.get(..10), Some("2026-11-09"));
}

#[test]
fn the_search_matches_site_name_code_initials_checklist_and_inspector() {
    let (_dir, store, started) = setup();
    let site_name = sites::by_code(store.conn(), "YL012").unwrap().unwrap().fields.name;
    assert_eq!(ids(&store, &site_name), [started[3].clone(), started[2].clone()], "by name");
    assert_eq!(ids(&store, "32068001"), [started[1].clone()], "by code");
    assert_eq!(ids(&store, "赵敏"), [started[2].clone()], "by inspector");
    assert_eq!(ids(&store, "王芳 孙丽"), [started[3].clone()], "every word must match");
    let title = page(store.conn(), "32068001", 0, 1).unwrap().rows[0].checklist_title.clone();
    assert_eq!(ids(&store, &title), [started[1].clone()], "by checklist");
    let initials = ducha::search::initials_index(&[&site_name]);
    let word = initials.trim_start_matches('|').split('|').next().unwrap().to_string();
    assert!(ids(&store, &word).contains(&started[2]), "by the pinyin initials {word}");
    assert!(ids(&store, "不存在的单位").is_empty());
    assert_eq!(page(store.conn(), "%", 0, 10).unwrap().total, 0, "% is matched literally");
}

#[test]
fn the_names_last_used_are_those_of_the_users_own_latest_inspection() {
    let (_dir, store, _) = setup();
    assert_eq!(last_inspectors(store.conn(), ADMIN).unwrap(), ["王芳", "孙丽"]);
    assert_eq!(last_inspectors(store.conn(), "检查员乙").unwrap(), ["赵敏", "钱进"]);
    assert!(last_inspectors(store.conn(), "新用户").unwrap().is_empty());
}
