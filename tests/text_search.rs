//! The trigram indexes of migration 14 change only how fast the board's free text and the site picker find
//! rows, never which rows: results are compared with the matching rules computed naively from every row
//! (LIKE: a substring, ASCII case-insensitive; the picker's pinyin initials), on demo databases, after
//! writes through every path that changes the indexed values, and after the migration of a database that
//! already holds data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use ducha::domain::Domain;
use ducha::store::board::{self, BoardRow, Filter};
use ducha::store::{Store, migrate, sites};
use laptops::{ADMIN, INSPECTOR};
use rusqlite::Connection;

const TODAY: &str = "2026-11-29";

fn closed(status: &str) -> bool {
    matches!(status, "verified" | "withdrawn")
}

/// LIKE '%q%' as SQLite evaluates it: a substring, with ASCII letters of either case.
fn like(haystack: &str, q: &str) -> bool {
    haystack.to_ascii_lowercase().contains(&q.to_ascii_lowercase())
}

fn all_rows(conn: &Connection, f: &Filter) -> Vec<BoardRow> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut cursor = None;
    loop {
        // Small pages, so that every way of reading a page is read from a cursor too.
        let page = board::page(conn, f, TODAY, cursor.as_ref(), 9).unwrap();
        let Some(last) = page.last() else { return out };
        cursor = Some(last.cursor());
        assert!(page.iter().all(|r| seen.insert(r.id.clone())), "{f:?}: a page repeats a row");
        out.extend(page);
    }
}

/// Queries drawn from the database itself: one, two, three and more characters of problems, site names,
/// codes and item ids, in both cases, plus texts that match nothing and texts with LIKE's and FTS5's
/// special characters.
fn queries(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT r.problem, s.name, s.code, r.item_id FROM rectifications r JOIN sites s ON s.id = r.site_id
             ORDER BY r.id LIMIT 40",
        )
        .unwrap();
    let rows: Vec<[String; 4]> = stmt
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for (i, fields) in rows.iter().enumerate().step_by(7) {
        for field in fields {
            let chars: Vec<char> = field.chars().collect();
            for len in [1, 2, 3, 5] {
                let start = (i * 3) % chars.len().max(1);
                if start + len <= chars.len() {
                    out.push(chars[start..start + len].iter().collect());
                }
            }
        }
        out.push(fields[2].to_lowercase());
        out.push(fields[3].to_uppercase());
    }
    for q in
        ["不存在的问题", "獭", "獭獭", "%", "_", "a\"b", "\"", "Ä", "ＹＬ", "yl0", "消防", "敬老院", "  院 "]
    {
        out.push(q.to_string());
    }
    out.sort();
    out.dedup();
    out
}

fn check_board(conn: &Connection, label: &str, at_least: usize) {
    let everything = all_rows(conn, &Filter::default());
    assert!(everything.len() >= at_least, "{label}: the database has rectifications");
    let open = || vec!["open".to_string(), "in_progress".into(), "fix_reported".into()];
    let (town, code) = everything
        .iter()
        .find(|r| !closed(&r.status))
        .map_or((String::new(), String::new()), |r| (r.town.clone(), r.site_code.clone()));
    let bases = [
        Filter { statuses: open(), town: Some(town.clone()), ..Default::default() },
        Filter {
            statuses: open(),
            site: Some(code.clone()),
            severity: Some("major".into()),
            ..Default::default()
        },
        Filter { town: Some(town), overdue_only: true, ..Default::default() },
        Filter { statuses: open(), site: Some(code.to_lowercase()), ..Default::default() },
        Filter::default(),
        Filter { statuses: vec!["open".into(), "in_progress".into()], ..Default::default() },
        Filter { domain: Some("elderly_care".into()), overdue_only: true, ..Default::default() },
        Filter { severity: Some("major".into()), ..Default::default() },
        // The index of open rows and its facets (migration 17): severity, statuses, domain.
        Filter {
            statuses: open(),
            severity: Some("minor".into()),
            domain: Some("elderly_care".into()),
            ..Default::default()
        },
        Filter { statuses: vec!["fix_reported".into()], ..Default::default() },
        Filter { statuses: vec!["in_progress".into(), "verified".into()], ..Default::default() },
        Filter { statuses: vec!["verified".into()], overdue_only: true, ..Default::default() },
        Filter { severity: Some("critical".into()), overdue_only: true, ..Default::default() },
    ];
    let mut found_some = 0;
    for q in queries(conn) {
        for base in &bases {
            let f = Filter { text: Some(q.clone()), ..base.clone() };
            let t = q.trim();
            let expected: Vec<&str> = all_rows(conn, &Filter { text: None, ..base.clone() })
                .iter()
                .filter(|r| [&r.problem, &r.site_name, &r.site_code, &r.item_id].iter().any(|v| like(v, t)))
                .map(|r| everything.iter().find(|e| e.id == r.id).unwrap().id.as_str())
                .collect();
            let got: Vec<String> = all_rows(conn, &f).into_iter().map(|r| r.id).collect();
            assert_eq!(got, expected, "{label}: text {q:?} with {base:?}");
            assert_eq!(
                board::count(conn, &f, TODAY).unwrap(),
                expected.len() as u64,
                "{label}: count of {q:?}"
            );
            found_some += usize::from(!expected.is_empty());
        }
    }
    assert!(found_some >= at_least.min(20), "{label}: the queries find rows ({found_some})");
}

/// The picker's rule: every word a substring of the name, code or town, or (letters and digits only) of the
/// initials; ordered by town and code.
fn check_picker(conn: &Connection, label: &str) {
    let mut stmt = conn.prepare("SELECT code, kind, name, town, initials FROM sites").unwrap();
    let sites_: Vec<[String; 5]> = stmt
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut qs =
        vec!["j", "jl", "jly", "rcjd jly", "敬", "敬老", "敬老院", "镇", "YL0", "yl01", "x", "不存在", "獭"];
    let names: Vec<String> = sites_.iter().take(30).map(|s| s[2].chars().skip(2).take(2).collect()).collect();
    qs.extend(names.iter().map(String::as_str));
    for kind in [Domain::ElderlyCare, Domain::LotteryOutlet, Domain::SocialOrg] {
        for q in &qs {
            let words = ducha::search::words(q);
            let mut expected: Vec<&[String; 5]> = sites_
                .iter()
                .filter(|s| s[1] == kind.key())
                .filter(|s| {
                    words.iter().all(|w| {
                        like(&s[2], w)
                            || like(&s[0], w)
                            || like(&s[3], w)
                            || (w.chars().all(|c| c.is_ascii_alphanumeric()) && like(&s[4], w))
                    })
                })
                .collect();
            expected.sort_by(|a, b| a[3].cmp(&b[3]).then(a[0].cmp(&b[0])));
            let expected: Vec<&str> = expected.iter().map(|s| s[0].as_str()).collect();
            let mut got = Vec::new();
            let mut offset = 0;
            loop {
                let page = sites::find(conn, kind, q, offset, 7).unwrap();
                if offset == 0 {
                    let total = expected.len().min(sites::COUNT_CAP);
                    assert_eq!(page.total, total, "{label}: count of {q:?}");
                }
                if page.sites.is_empty() {
                    break;
                }
                offset += page.sites.len();
                got.extend(page.sites.into_iter().map(|s| s.fields.code));
            }
            assert_eq!(got, expected, "{label}: picker {q:?} for {kind:?}");
        }
    }
}

#[test]
fn the_board_and_the_picker_find_the_same_rows_with_the_index_as_by_their_rules() {
    let place = laptops::demo(7);
    let store = place.open();
    check_board(store.conn(), "demo", 50);
    check_picker(store.conn(), "demo");
}

#[test]
fn the_migration_indexes_the_rows_a_database_already_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // The tiny demo, written at the schema before the index.
    let before = migrate::MIGRATIONS.iter().find(|m| m.name == "text_search").unwrap().version - 1;
    {
        use ducha::demo::{self, Options, Scale};
        let mut store = Store::open_at(&path, before).unwrap();
        demo::set_setup_clock(laptops::demo_today());
        ducha::app::seed(&mut store, ADMIN).unwrap();
        demo::clear_clock();
        let options = Options { scale: Scale::Tiny, seed: 11, today: laptops::demo_today() };
        demo::generate(&mut store, ADMIN, &options, &mut |_| {}).unwrap();
        assert_eq!(migrate::user_version(store.conn()).unwrap(), before);
        let tables: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'board_text'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0, "no index before migration 14");
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(migrate::user_version(store.conn()).unwrap(), migrate::latest());
    check_board(store.conn(), "migrated", 50);
    check_picker(store.conn(), "migrated");
    // A VACUUM keeps the rows where the index points.
    store.conn().execute_batch("VACUUM").unwrap();
    check_board(store.conn(), "vacuumed", 50);
}

fn texts(conn: &Connection, q: &str) -> Vec<String> {
    all_rows(conn, &Filter { text: Some(q.into()), ..Default::default() }).into_iter().map(|r| r.id).collect()
}

fn picked(conn: &Connection, kind: Domain, q: &str) -> Vec<String> {
    sites::find(conn, kind, q, 0, 100).unwrap().sites.into_iter().map(|s| s.fields.code).collect()
}

#[test]
fn writes_of_every_kind_keep_the_index_in_step() {
    let place = laptops::demo(3);
    let mut store = place.open();
    let (id, site, problem): (String, String, String) = store
        .conn()
        .query_row("SELECT id, site_id, problem FROM rectifications ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let kind = sites::by_code(store.conn(), &site).unwrap().unwrap().fields.kind;
    // A problem edited: found by its new text (long and short), no longer by a text only the old one had.
    store
        .write(|tx| -> ducha::store::Result<usize> {
            Ok(tx.execute("UPDATE rectifications SET problem = '楼梯间堆放纸箱獭' WHERE id = ?1", [&id])?)
        })
        .unwrap();
    assert_eq!(texts(store.conn(), "纸箱獭"), vec![id.clone()]);
    assert_eq!(texts(store.conn(), "獭"), vec![id.clone()]);
    let old_only = format!("{problem}獭");
    assert!(texts(store.conn(), &old_only).is_empty());
    // Closed, it leaves the index of open rows (still found among all); reopened (a merge's refold can do
    // that), it is back, under its new status.
    let found = |store: &Store, statuses: &[&str], domain: Option<&str>| -> Vec<String> {
        let f = Filter {
            statuses: statuses.iter().map(|s| s.to_string()).collect(),
            domain: domain.map(str::to_string),
            text: Some("纸箱獭".into()),
            ..Default::default()
        };
        all_rows(store.conn(), &f).into_iter().map(|r| r.id).collect()
    };
    let open = ["open", "in_progress", "fix_reported"];
    let set_status = |store: &mut Store, status: &str| {
        store
            .write(|tx| -> ducha::store::Result<usize> {
                Ok(tx.execute("UPDATE rectifications SET status = ?2 WHERE id = ?1", [&id, status])?)
            })
            .unwrap();
    };
    set_status(&mut store, "verified");
    assert!(found(&store, &open, None).is_empty());
    assert_eq!(found(&store, &[], None), vec![id.clone()]);
    set_status(&mut store, "fix_reported");
    assert_eq!(found(&store, &open, None), vec![id.clone()]);
    assert_eq!(found(&store, &["fix_reported"], None), vec![id.clone()]);
    assert!(found(&store, &["open"], None).is_empty());
    // Its site of another kind: found under that domain only.
    let other = if kind == Domain::SocialOrg { Domain::LotteryOutlet } else { Domain::SocialOrg };
    store
        .write(|tx| -> ducha::store::Result<usize> {
            Ok(tx.execute("UPDATE sites SET kind = ?2 WHERE code = ?1", [&site, other.key()])?)
        })
        .unwrap();
    assert_eq!(found(&store, &open, Some(other.key())), vec![id.clone()]);
    assert!(found(&store, &open, Some(kind.key())).is_empty());
    store
        .write(|tx| -> ducha::store::Result<usize> {
            Ok(tx.execute("UPDATE sites SET kind = ?2 WHERE code = ?1", [&site, kind.key()])?)
        })
        .unwrap();
    assert_eq!(found(&store, &open, Some(kind.key())), vec![id.clone()]);
    // A site renamed: its rectifications are found by the new name, its site in the picker too.
    let mut fields = sites::by_code(store.conn(), &site).unwrap().unwrap().fields;
    fields.name = "鳄鱼湾颐养中心".into();
    store.write(|tx| sites::upsert(tx, ADMIN, &fields, false)).unwrap();
    store.write(|tx| sites::fill_initials(tx)).unwrap();
    let of_site: Vec<String> =
        all_rows(store.conn(), &Filter { site: Some(site.clone()), ..Default::default() })
            .into_iter()
            .map(|r| r.id)
            .collect();
    assert!(!of_site.is_empty());
    assert_eq!(texts(store.conn(), "鳄鱼湾"), of_site);
    assert_eq!(texts(store.conn(), "鳄"), of_site);
    assert_eq!(picked(store.conn(), kind, "鳄鱼湾"), vec![site.clone()]);
    assert_eq!(picked(store.conn(), kind, "eyw"), vec![site.clone()], "the new initials are indexed");
    // A site inserted and then removed.
    let new = sites::SiteFields { code: "YL990".into(), name: "鹦鹉螺敬老院".into(), ..fields.clone() };
    store.write(|tx| sites::upsert(tx, ADMIN, &new, true)).unwrap();
    assert_eq!(picked(store.conn(), kind, "鹦鹉螺"), ["YL990"]);
    store.write(|tx| sites::remove_sample(tx, ADMIN)).unwrap();
    assert!(picked(store.conn(), kind, "鹦鹉螺").is_empty());
    // A rectification deleted.
    store
        .write(|tx| -> ducha::store::Result<usize> {
            tx.execute("DELETE FROM rectification_events WHERE rectification_id = ?1", [&id])?;
            Ok(tx.execute("DELETE FROM rectifications WHERE id = ?1", [&id])?)
        })
        .unwrap();
    assert!(texts(store.conn(), "纸箱獭").is_empty());
    check_board(store.conn(), "after writes", 50);
}

#[test]
fn rectifications_merged_from_a_laptop_are_found_by_their_text() {
    let office = laptops::office();
    let hand = office.handover("office.hand");
    let laptop = laptops::laptop_from(&hand);
    let code: String = laptop
        .open()
        .conn()
        .query_row("SELECT code FROM sites WHERE kind = 'elderly_care' ORDER BY code LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let (_, rects) = laptops::inspect(&laptop, INSPECTOR, &code, &["fire_plan"]);
    assert_eq!(rects.len(), 1);
    let back = laptop.handover("laptop.hand");
    office.merge_ok(&[&back]);
    let store = office.open();
    assert_eq!(texts(store.conn(), "现场发现的问题"), rects);
    assert_eq!(texts(store.conn(), "现场"), rects);
    check_board(store.conn(), "merged", 1);
}
