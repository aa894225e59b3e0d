#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Concurrency: exports and reports run through the binary in a loop while another connection records
//! answers. No "database is locked" (or any failure) reaches the user, and each export reads one snapshot:
//! the recorder commits its answers two at a time, so a findings export that mixed two points in time
//! could show an odd number of rows; a consistent one never does.
//!
//! Two consoles on one draft are in `reliability_two_consoles.rs`.

mod reliability;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use assert_cmd::Command;
use ducha::inspection::{Check, Value};
use ducha::store::{Store, inspections};
use reliability::{Fixture, USER};

const ITEMS: usize = 120;

fn ducha(fx: &Fixture) -> Command {
    let mut cmd = Command::cargo_bin("ducha").unwrap();
    cmd.env("DUCHA_CONFIG", "/nonexistent/x.toml")
        .env("DUCHA_DB", &fx.db)
        .env("DUCHA_USER", USER)
        .env("DUCHA_LANG", "en")
        .env_remove("DUCHA_CHECKLISTS");
    cmd
}

/// Records every item of the draft, two answers per transaction, then a second pass changing each.
fn record(db: std::path::PathBuf, id: String, done: Arc<AtomicBool>) -> usize {
    let mut store = Store::open(&db).unwrap();
    let opened = ducha::inspection::record::open(&store, &id).unwrap();
    let slots = opened.sheet.slots();
    let mut commits = 0;
    for pass in [Check::Pass, Check::Na] {
        for pair in slots.chunks(2) {
            store
                .write(|tx| {
                    for slot in pair {
                        let item = opened.sheet.item(*slot);
                        let value = Value::Check(pass).encode();
                        let outcome = if pass == Check::Pass { "pass" } else { "na" };
                        let new = inspections::NewAnswer {
                            item_id: &item.id,
                            instance: slot.instance,
                            value: &value,
                            outcome,
                            note: "",
                            finding: None,
                        };
                        inspections::save_answer(tx, USER, &id, &new)?;
                    }
                    Ok::<(), ducha::store::StoreError>(())
                })
                .unwrap();
            commits += 1;
            std::thread::sleep(std::time::Duration::from_millis(15));
        }
    }
    done.store(true, Ordering::SeqCst);
    commits
}

/// The rows of a findings export, and how many of them are n/a.
fn findings(path: &std::path::Path) -> (usize, usize) {
    let mut reader = csv::ReaderBuilder::new().from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let result = headers.iter().position(|h| h == "Result" || h == "结果").expect("a result column");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let na = records.iter().filter(|r| matches!(r.get(result), Some("n/a" | "不适用"))).count();
    (records.len(), na)
}

#[test]
fn exports_and_reports_while_another_connection_records_never_fail_and_read_one_snapshot() {
    let fx = Fixture::new(ITEMS);
    let id = fx.start_draft();
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, id, done) = (fx.db.clone(), id.clone(), Arc::clone(&done));
        std::thread::spawn(move || record(db, id, done))
    };
    let out = fx.dir.path().join("findings.csv");
    let mut exports = 0;
    let mut counts = Vec::new();
    let mut runs = 0;
    while !done.load(Ordering::SeqCst) || exports == 0 {
        let result = ducha(&fx)
            .args(["export", "findings", "--include-drafts", "--site", reliability::OUTLET, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(result.status.success(), "export failed while another connection wrote: {stderr}");
        assert!(!stderr.to_lowercase().contains("locked"), "{stderr}");
        let (rows, na) = findings(&out);
        assert_eq!(rows % 2, 0, "an export saw half of a commit of two new answers: {rows} rows");
        assert_eq!(na % 2, 0, "an export saw half of a commit of two changed answers: {na} n/a");
        counts.push((rows, na));
        exports += 1;
        for args in [&["report", "weekly"][..], &["status"][..], &["export", "rectifications", "-o", "-"][..]]
        {
            let result = ducha(&fx).args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert!(result.status.success(), "{args:?} failed while another connection wrote: {stderr}");
            assert!(!stderr.to_lowercase().contains("locked"), "{args:?}: {stderr}");
            runs += 1;
        }
    }
    let commits = writer.join().unwrap();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "rows only grow: {counts:?}");
    assert!(
        counts.iter().any(|(r, na)| *r > 0 && *na < ITEMS),
        "some export ran while recording: {counts:?}"
    );
    println!(
        "FIGURES concurrency commits={commits} exports={exports} other_commands={runs} rows_and_na_seen={counts:?}"
    );
}
