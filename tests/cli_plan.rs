#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha plan random` through the binary: reproducible for a seed, the seed printed when not given,
//! stored with the plan and listed as planned inspections; refused below the supervisor role.

mod common;

use common::{ducha, run, temp_db};

const DRAW: [&str; 9] =
    ["plan", "random", "--domain", "社会组织", "--count", "5", "--inspectors", "甲,乙,丙,丁", "--seed"];

#[test]
fn the_same_seed_draws_the_same_plan_on_another_laptop() {
    let (_a, db_a) = temp_db();
    let (_b, db_b) = temp_db();
    let (code, first, _) = run(ducha(&db_a).args(DRAW).arg("20261129"));
    assert_eq!(code, 0);
    let (_, again, _) = run(ducha(&db_b).args(DRAW).arg("20261129"));
    assert_eq!(first, again);
    assert_eq!(first.lines().count(), 6, "a header and five sites:\n{first}");
    let (_, other, _) = run(ducha(&db_b).args(DRAW).arg("7"));
    assert_ne!(first, other);
    let conn = rusqlite::Connection::open(&db_a).unwrap();
    let (seed, count): (String, i64) =
        conn.query_row("SELECT seed, count FROM plans", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((seed.as_str(), count), ("20261129", 5));
    let pairs = pairs(&db_a);
    assert!(pairs.iter().all(|p| serde_json::from_str::<Vec<String>>(p).unwrap().len() == 2), "{pairs:?}");
}

#[test]
fn without_a_seed_one_is_chosen_and_printed_and_the_plan_is_listed() {
    let (_d, db) = temp_db();
    let (code, drawn, err) = run(ducha(&db).args(&DRAW[..8]));
    assert_eq!(code, 0, "{err}");
    let seed: String = err.split("seed ").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    assert!(!seed.is_empty(), "{err}");
    let (_d2, db2) = temp_db();
    let (_, repeated, _) = run(ducha(&db2).args(DRAW).arg(&seed));
    assert_eq!(drawn, repeated, "the printed seed repeats the draw");
    let (code, listed, _) = run(ducha(&db).args(["plan", "list"]));
    assert_eq!(code, 0);
    assert_eq!(listed.lines().count(), 6, "{listed}");
    assert!(listed.contains("Social organisation"), "{listed}");
}

#[test]
fn drawing_is_for_supervisors_and_impossible_draws_are_refused() {
    let (_d, db) = temp_db();
    run(ducha(&db).args(["users", "add", "检查员甲", "--role", "inspector"]));
    let (code, _, err) = run(ducha(&db).args(["--user", "检查员甲"]).args(DRAW).arg("1"));
    assert_eq!(code, 1);
    assert!(err.contains("needs the supervisor role"), "{err}");
    let (code, _, err) =
        run(ducha(&db).args(["plan", "random", "--domain", "rescue_station", "--count", "2", "--seed", "1"]));
    assert_eq!(code, 1);
    assert!(err.contains("only 1 sites"), "{err}");
    let (code, _, err) = run(ducha(&db).args([
        "--lang",
        "zh",
        "plan",
        "random",
        "--domain",
        "养老机构",
        "--count",
        "2",
        "--inspectors",
        "甲",
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("至少需要两人"), "{err}");
}

/// The inspectors of each planned inspection, as stored (JSON arrays).
fn pairs(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.prepare("SELECT inspectors FROM plan_items")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The names drawn into the plan's pairs.
fn drawn_names(db: &std::path::Path) -> std::collections::BTreeSet<String> {
    pairs(db).iter().flat_map(|p| serde_json::from_str::<Vec<String>>(p).unwrap()).collect()
}

#[test]
fn the_default_pool_is_the_registered_inspectors_only() {
    let (_d, db) = temp_db();
    for (name, role) in [("检查员甲", "inspector"), ("检查员乙", "inspector"), ("科长丙", "supervisor")]
    {
        let (code, _, err) = run(ducha(&db).args(["users", "add", name, "--role", role]));
        assert_eq!(code, 0, "{err}");
    }
    let (code, _, err) =
        run(ducha(&db).args(["plan", "random", "--domain", "social_org", "--count", "20", "--seed", "3"]));
    assert_eq!(code, 0, "{err}");
    // Twenty pairs from a pool of two: both inspectors, and neither the admin (测试员) nor the supervisor.
    let names: Vec<String> = drawn_names(&db).into_iter().collect();
    assert_eq!(names, ["检查员乙", "检查员甲"]);
}

#[test]
fn a_pool_is_split_on_chinese_separators_not_spaces_and_unregistered_names_are_warned_about() {
    let (_d, db) = temp_db();
    for name in ["王芳", "李强", "张伟"] {
        run(ducha(&db).args(["users", "add", name, "--role", "inspector"]));
    }
    let (code, _, err) = run(ducha(&db).args([
        "plan",
        "random",
        "--domain",
        "social_org",
        "--count",
        "20",
        "--seed",
        "3",
        "--inspectors",
        "王芳，李强、张伟;王方",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: not registered users: 王方 (did you mean 王芳?)"), "{err}");
    let names: Vec<String> = drawn_names(&db).into_iter().collect();
    assert_eq!(names.len(), 4, "four names in the pool: {names:?}");

    // A space is part of a name: one name is too few for a pair.
    let (code, _, err) = run(ducha(&db).args([
        "plan",
        "random",
        "--domain",
        "social_org",
        "--count",
        "2",
        "--inspectors",
        "王芳 李强",
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("it has 1"), "{err}");
}
