#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The board's order and pages: overdue first by days overdue, then deadline, then severity; pages of any
//! size concatenate to the same list; every filter narrows it (conflicts only among them).

use ducha::i18n::Lang;
use ducha::places::{self, Match, Named, Place};
use ducha::store::board::{self, Filter};
use ducha::store::inspections::{self, NewAnswer, NewRectification};
use ducha::store::{Store, rectifications, sites, snapshots};

const TODAY: &str = "2026-11-29";

/// 60 rectifications over two sites with varied deadlines, severities and statuses.
fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("b.db")).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    let snapshot = snapshots::list(store.conn()).unwrap().remove(0);
    let home = sites::by_code(store.conn(), "YL001").unwrap().unwrap();
    let outlet = sites::by_code(store.conn(), "32068001").unwrap().unwrap();
    store
        .write(|tx| -> ducha::store::Result<()> {
            for (n, site) in [&home, &outlet].into_iter().enumerate() {
                let insp = inspections::create(tx, "管理员", &site.id, &snapshot.id, &["管理员".into()])?;
                for i in 0..30u32 {
                    let item = format!("item{n}_{i}");
                    let answer = inspections::save_answer(
                        tx,
                        "管理员",
                        &insp,
                        &NewAnswer {
                            item_id: &item,
                            instance: 0,
                            value: "fail",
                            outcome: "fail",
                            note: "",
                            finding: None,
                        },
                    )?;
                    let day = 1 + (i * 7 + n as u32 * 3) % 28;
                    let month = if i % 3 == 0 { "2026-11" } else { "2026-12" };
                    let deadline = format!("{month}-{day:02}");
                    let severity = ["minor", "major", "critical"][(i % 3) as usize];
                    let problem =
                        if i % 5 == 0 { format!("疏散通道堵塞 {i}") } else { format!("问题 {i}") };
                    let r = NewRectification {
                        answer_id: &answer,
                        item_id: &item,
                        instance: 0,
                        problem: &problem,
                        basis: "",
                        severity,
                        major_hazard: false,
                        requirement: "",
                        deadline: &deadline,
                        responsible: "",
                        phone: "",
                    };
                    let id = rectifications::create(
                        tx,
                        "管理员",
                        &insp,
                        &site.id,
                        &r,
                        "2026-11-01T08:00:00+08:00",
                    )?;
                    let status = ["open", "in_progress", "fix_reported", "verified"][(i % 4) as usize];
                    tx.execute("UPDATE rectifications SET status = ?2 WHERE id = ?1", [&id, status])?;
                    if i % 7 == 3 {
                        // As a merge leaves it: changed on two databases from the same state.
                        tx.execute("UPDATE rectifications SET conflict = 1 WHERE id = ?1", [&id])?;
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn rank(severity: &str) -> i64 {
    match severity {
        "critical" => 3,
        "major" => 2,
        _ => 1,
    }
}

/// The order by its definition, computed naively from every row.
fn expected(store: &Store, f: &Filter) -> Vec<String> {
    let mut all = board::page(store.conn(), &Filter { ..Default::default() }, TODAY, None, 10_000).unwrap();
    all.retain(|r| {
        (f.statuses.is_empty() || f.statuses.contains(&r.status))
            && f.domain.as_ref().is_none_or(|d| *d == r.kind)
            && f.town.as_ref().is_none_or(|t| *t == r.town)
            && f.site.as_ref().is_none_or(|s| *s == r.site_code)
            && f.severity.as_ref().is_none_or(|s| *s == r.severity)
            && f.text
                .as_ref()
                .is_none_or(|t| r.problem.contains(t.as_str()) || r.site_name.contains(t.as_str()))
            && (!f.overdue_only || (r.status != "verified" && r.deadline.as_str() < TODAY))
            && (!f.conflict_only || r.conflict)
    });
    let overdue = |r: &board::BoardRow| r.status != "verified" && r.deadline.as_str() < TODAY;
    all.sort_by(|a, b| {
        overdue(b)
            .cmp(&overdue(a))
            .then(a.deadline.cmp(&b.deadline))
            .then(rank(&b.severity).cmp(&rank(&a.severity)))
            .then(a.id.cmp(&b.id))
    });
    all.into_iter().map(|r| r.id).collect()
}

fn paged(store: &Store, f: &Filter, size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = board::page(store.conn(), f, TODAY, cursor.as_ref(), size).unwrap();
        if page.is_empty() {
            return out;
        }
        cursor = page.last().map(|r| r.cursor());
        out.extend(page.into_iter().map(|r| r.id));
        assert!(out.len() <= 1000, "pages never end");
    }
}

#[test]
fn pages_of_any_size_follow_the_urgency_order_under_every_filter() {
    let (_d, store) = setup();
    let filters = [
        Filter::default(),
        Filter { statuses: vec!["open".into(), "in_progress".into()], ..Default::default() },
        Filter { domain: Some("lottery_outlet".into()), ..Default::default() },
        Filter {
            town: sites::by_code(store.conn(), "YL001").unwrap().map(|s| s.fields.town),
            ..Default::default()
        },
        Filter { site: Some("YL001".into()), ..Default::default() },
        Filter { severity: Some("critical".into()), ..Default::default() },
        Filter { overdue_only: true, ..Default::default() },
        Filter { text: Some("疏散通道".into()), ..Default::default() },
        Filter { conflict_only: true, ..Default::default() },
        Filter { conflict_only: true, site: Some("YL001".into()), ..Default::default() },
        Filter { conflict_only: true, overdue_only: true, ..Default::default() },
    ];
    for f in &filters {
        let want = expected(&store, f);
        assert!(!want.is_empty(), "{f:?} selects something");
        for size in [1, 7, 25, 100] {
            assert_eq!(paged(&store, f, size), want, "{f:?}, pages of {size}");
        }
        let total = board::count(store.conn(), f, TODAY).unwrap();
        assert_eq!(total, want.len() as u64, "the count is what the pages add up to, {f:?}");
    }
    assert_eq!(expected(&store, &Filter::default()).len(), 60);
    assert_eq!(expected(&store, &Filter { conflict_only: true, ..Default::default() }).len(), 8);
    assert_eq!(board::conflicts(store.conn()).unwrap(), 8, "counted whatever the filter");
}

/// Every combination of the filters, for each status preset and a few texts: each statement the board may
/// choose (the open rows' index, the urgency order, the sites', the conflicts', the text index's) gives the
/// rows and the count of the naive rule.
#[test]
fn every_combination_of_filters_gives_the_rows_of_the_naive_rule() {
    let (_d, store) = setup();
    // A town of many sites (walked in the order) and one of few (its sites' rows read and ordered).
    let town_of = |code: &str| sites::by_code(store.conn(), code).unwrap().map(|s| s.fields.town);
    let towns = [None, town_of("YL001"), town_of("32068001")];
    let presets: [&[&str]; 4] =
        [&[], &["open", "in_progress", "fix_reported"], &["fix_reported"], &["verified", "open"]];
    let mut checked = 0;
    for statuses in presets {
        for text in [None, Some("疏散通道"), Some("问题 1"), Some("道")] {
            for (bits, town) in
                (0..64u32).filter(|b| b & 2 == 0).flat_map(|b| towns.iter().map(move |t| (b, t)))
            {
                let on = |b: u32| bits & (1 << b) != 0;
                let f = Filter {
                    statuses: statuses.iter().map(|s| s.to_string()).collect(),
                    domain: on(0).then(|| "elderly_care".into()),
                    town: town.clone(),
                    site: on(2).then(|| "YL001".into()),
                    severity: on(3).then(|| "critical".into()),
                    overdue_only: on(4),
                    conflict_only: on(5),
                    text: text.map(str::to_string),
                };
                let want = expected(&store, &f);
                checked += usize::from(!want.is_empty());
                assert_eq!(paged(&store, &f, 3), want, "{f:?}");
                assert_eq!(board::count(store.conn(), &f, TODAY).unwrap(), want.len() as u64, "{f:?}");
            }
        }
    }
    assert!(checked > 250, "most combinations select something: {checked}");
}

#[test]
fn overdue_rows_come_first_most_overdue_first_and_the_deadline_day_is_not_overdue() {
    let (_d, store) = setup();
    let rows = board::page(store.conn(), &Filter::default(), TODAY, None, 100).unwrap();
    let first_rest = rows.iter().position(|r| r.part == 1).unwrap();
    assert!(rows[..first_rest].iter().all(|r| r.status != "verified" && r.deadline.as_str() < TODAY));
    assert!(rows[first_rest..].iter().all(|r| r.status == "verified" || r.deadline.as_str() >= TODAY));
    let deadlines: Vec<&str> = rows[..first_rest].iter().map(|r| r.deadline.as_str()).collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "most days overdue first: {deadlines:?}");
    // On its deadline day a rectification is not overdue.
    let on_the_day = board::page(
        store.conn(),
        &Filter { overdue_only: true, ..Default::default() },
        "2026-11-01",
        None,
        100,
    )
    .unwrap();
    assert!(on_the_day.iter().all(|r| r.deadline.as_str() < "2026-11-01"));
}

#[test]
fn text_filters_treat_percent_and_underscore_literally() {
    let (_d, store) = setup();
    let f = Filter { text: Some("%".into()), ..Default::default() };
    assert!(board::page(store.conn(), &f, TODAY, None, 10).unwrap().is_empty());
}

#[test]
fn towns_are_named_whole_or_by_a_part_only_one_town_has() {
    let (_d, store) = setup();
    let conn = store.conn();
    let town = |typed: &str, m: Match| places::town(conn, typed, m).unwrap();
    assert_eq!(town("下原镇", Match::Exact), Named::Known("下原镇".into()));
    assert_eq!(town(" 下原镇 ", Match::Exact), Named::Known("下原镇".into()), "spaces around do not count");
    assert_eq!(town("下原", Match::Partial), Named::Known("下原镇".into()), "a part one town has");
    assert_eq!(town("xyz", Match::Partial), Named::Known("下原镇".into()), "pinyin initials");
    // The CLI names towns whole: a part is refused with the close names.
    let Named::Unknown { close, .. } = town("下原", Match::Exact) else { panic!("a part is not a town") };
    assert!(close.contains(&"下原镇".to_string()), "{close:?}");
    let Named::Several { matches, .. } = town("城", Match::Partial) else { panic!("several have 城") };
    for t in ["如城街道", "城北街道", "城南街道"] {
        assert!(matches.contains(&t.to_string()), "{t} in {matches:?}");
    }
    let refused = town("城", Match::Partial).refusal(Place::Town, Lang::Zh).unwrap();
    assert!(refused.starts_with("“城”可指 3 个镇街（") && refused.contains("城北街道"), "{refused}");
    let Named::Unknown { close, .. } = town("下源镇", Match::Partial) else { panic!("no such town") };
    assert_eq!(close.first().map(String::as_str), Some("下原镇"), "closest first: {close:?}");
    let refused = town("下源镇", Match::Partial).refusal(Place::Town, Lang::En).unwrap();
    assert!(refused.starts_with("no town \"下源镇\" in the site registry; close names: 下原镇"), "{refused}");
    assert_eq!(town("下原镇", Match::Partial).refusal(Place::Town, Lang::Zh), None);
}

#[test]
fn sites_are_named_by_code_or_by_a_part_of_their_name_or_code() {
    let (_d, store) = setup();
    let conn = store.conn();
    let site = |typed: &str, m: Match| places::site(conn, typed, m).unwrap();
    assert_eq!(site("YL001", Match::Exact), Named::Known("YL001".into()));
    assert_eq!(site("康乐颐养", Match::Partial), Named::Known("YL001".into()), "part of the name");
    assert_eq!(site("8015", Match::Partial), Named::Known("32068015".into()), "part of the code");
    let Named::Several { matches, count, .. } = site("投注站", Match::Partial) else { panic!("outlets") };
    assert_eq!((count, matches.len()), (118, 3), "a few are listed, not 118");
    assert!(matches.iter().all(|m| m.starts_with("3206")), "by code: {matches:?}");
    let refused = site("投注站", Match::Partial).refusal(Place::Site, Lang::Zh).unwrap();
    assert!(refused.starts_with("“投注站”可指 118 个单位（3206") && refused.contains("等）"), "{refused}");
    assert!(unicode_width::UnicodeWidthStr::width(refused.as_str()) <= 80, "one line at 80: {refused}");
    // By code only (the CLI): no guessing, the message the CLI always gave.
    let refused = site("康乐颐养", Match::Exact).refusal(Place::Site, Lang::Zh).unwrap();
    assert_eq!(refused, "单位名录中没有编号为 康乐颐养 的单位（ducha sites list 可查看）");
    let refused = site("如皋市康乐颐养园", Match::Partial).refusal(Place::Site, Lang::Zh).unwrap();
    assert!(refused.contains("相近的有：如皋市康乐颐养院"), "{refused}");
    assert!(unicode_width::UnicodeWidthStr::width(refused.as_str()) <= 80, "one line at 80: {refused}");
}
