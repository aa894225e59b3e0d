//! Saving one answer durably (`cargo bench --bench answer_save`): ducha's store function against a bare
//! rusqlite INSERT + COMMIT of the same row, on the same file and connection (WAL, `synchronous=FULL`, as
//! `Store::open` sets them).
//!
//! A: `store.write(|tx| inspections::save_answer(tx, …))` — what the console's effect executor does for a
//!    new answer: the draft check, the previous answer (the seen-stamp check), the INSERT, its audit entry
//!    (hash-chained to the previous one) and the inspection's `updated_at`, in one IMMEDIATE transaction.
//! B: `BEGIN IMMEDIATE; INSERT INTO answers (…) VALUES (…); COMMIT` with the same values and a fresh id, a
//!    cached prepared statement.
//!
//! C: (not the figure; says where the rest of A's time goes) the same rows A writes, by hand: the
//!    INSERT of B, an audit row of the same size and an UPDATE of the inspection's `updated_at`, in one
//!    IMMEDIATE transaction, cached statements, with the audit row's values made before the clock starts. A
//!    commit of A writes about 10 pages to the WAL, one of B about 3: with a fast fsync the fsync of those
//!    pages, not ducha's code, is most of the difference between A and B. C's rows go to a device chain of
//!    their own, `bench-c` (only the bench database holds it).
//!
//! Alternates A, B and C, one save each, `DUCHA_BENCH_RUNS` times (default 300), in a database made in
//! `DUCHA_BENCH_DIR` (default: the system's temporary directory — put it on the disk you care about). Prints
//! the medians, the 90th percentiles and their ratio, as bench/run.sh reads them
//! (`answer-save-us DUCHA BARE`), and C's median (`answer-save-same-rows-us DUCHA SAME_ROWS`).

use std::time::Instant;

use ducha::domain::Domain;
use ducha::store::inspections::{self, NewAnswer};
use ducha::store::{Store, new_id, now, sites, snapshots};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The answer row both hand-written sides insert.
const INSERT_ANSWER: &str =
    "INSERT INTO answers (id, inspection_id, item_id, instance, revision, value, outcome, note,
                                  answered_by, answered_at)
             VALUES (?1, ?2, ?3, 0, 1, 'pass', 'pass', '', ?4, ?5)";

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or(f64::NAN)
}

fn main() -> Res<()> {
    let runs: usize = std::env::var("DUCHA_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    let base = std::env::var_os("DUCHA_BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    let dir = tempfile::tempdir_in(base)?;
    let mut store = Store::open(&dir.path().join("save.db"))?;
    ducha::app::seed(&mut store, "管理员").map_err(|e| e.to_string())?;
    let filter = sites::Filter { kind: Some(Domain::LotteryOutlet), town: None };
    let site = sites::list(store.conn(), &filter)?.into_iter().next().ok_or("no lottery outlet")?;
    let snapshot = snapshots::list(store.conn())?
        .into_iter()
        .find(|s| s.domain == "lottery_outlet")
        .ok_or("no lottery checklist")?;
    let names = vec!["检查员甲".to_string(), "检查员乙".to_string()];
    let new_inspection = |store: &mut Store| -> Res<String> {
        Ok(store.write(|tx| inspections::create(tx, "管理员", &site.id, &snapshot.id, &names))?)
    };
    let bare_inspection = new_inspection(&mut store)?;
    let same_rows_inspection = new_inspection(&mut store)?;
    let mut inspection = new_inspection(&mut store)?;
    let (mut ducha_us, mut bare_us, mut same_us) = (Vec::new(), Vec::new(), Vec::new());
    let mut prev_hash = String::new();
    for n in 0..runs {
        // Each answer is a new one (the INSERT path): a fresh inspection every 30 items.
        if n > 0 && n % 30 == 0 {
            inspection = new_inspection(&mut store)?;
        }
        let item = format!("item_{}", n % 30);
        let answer = NewAnswer {
            item_id: &item,
            instance: 0,
            value: "pass",
            outcome: "pass",
            note: "",
            finding: None,
        };
        let t = Instant::now();
        store.write(|tx| inspections::save_answer(tx, "检查员甲", &inspection, &answer))?;
        ducha_us.push(t.elapsed().as_secs_f64() * 1e6);

        let conn = store.conn();
        let t = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        conn.prepare_cached(INSERT_ANSWER)?.execute(rusqlite::params![
            new_id(),
            bare_inspection,
            item,
            "检查员甲",
            now()
        ])?;
        conn.execute_batch("COMMIT")?;
        bare_us.push(t.elapsed().as_secs_f64() * 1e6);

        let (answer_id, audit_id, at) = (new_id(), new_id(), now());
        let hash = ducha::checklist::sha256_hex(audit_id.as_bytes());
        let new = serde_json::json!({
            "item_id": item, "instance": 0, "value": "pass", "outcome": "pass", "note": "", "problem": null,
            "severity": null, "requirement": null, "deadline": null, "responsible": null,
        })
        .to_string();
        let t = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        conn.prepare_cached(INSERT_ANSWER)?.execute(rusqlite::params![
            answer_id,
            same_rows_inspection,
            item,
            "检查员甲",
            at
        ])?;
        conn.prepare_cached(
            "INSERT INTO audit (id, device, dseq, prev, hash, at, actor, action, entity, entity_id, old, new)
             VALUES (?1, 'bench-c', ?2, ?3, ?4, ?5, ?6, 'answer.create', 'answer', ?7, NULL, ?8)",
        )?
        .execute(rusqlite::params![
            audit_id,
            i64::try_from(n + 1)?,
            prev_hash,
            hash,
            at,
            "检查员甲",
            answer_id,
            new
        ])?;
        conn.prepare_cached("UPDATE inspections SET updated_at = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![same_rows_inspection, at])?;
        conn.execute_batch("COMMIT")?;
        same_us.push(t.elapsed().as_secs_f64() * 1e6);
        prev_hash = hash;
    }
    let (d50, b50) = (percentile(&mut ducha_us, 0.5), percentile(&mut bare_us, 0.5));
    let (d90, b90) = (percentile(&mut ducha_us, 0.9), percentile(&mut bare_us, 0.9));
    println!(
        "saving one answer (synchronous=FULL): ducha {d50:.0} µs, bare INSERT + COMMIT {b50:.0} µs, ratio {:.2} \
         (90th percentile {d90:.0} µs vs {b90:.0} µs; {runs} runs each, alternating, medians)",
        d50 / b50
    );
    let s50 = percentile(&mut same_us, 0.5);
    println!(
        "the same rows by hand (answer, audit row, updated_at): {s50:.0} µs; ducha ÷ that {:.2}",
        d50 / s50
    );
    println!("answer-save-us {d50:.1} {b50:.1}");
    println!("answer-save-same-rows-us {d50:.1} {s50:.1}");
    Ok(())
}
