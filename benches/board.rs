//! Board and weekly-report timings at 500,000 rectifications (`cargo bench --bench board`).
//!
//! Builds (once, cached under `target/bench-board.db`) a database of 500,000 rectifications spread over
//! 2,500 sites and a year of deadlines, then times what the console does: the first page of the board, a
//! page deep into the list, filtered pages, and the weekly report. `DUCHA_BENCH_DB=path` measures another
//! database instead (for example one made by `ducha demo --scale province`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ducha::report::{IsoWeek, weekly_report};
use ducha::store::Store;
use ducha::store::board::{self, Filter};
use rusqlite::params;

const RECTIFICATIONS: usize = 500_000;
const SITES: usize = 2_500;

fn build(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open(path)?;
    ducha::app::seed(&mut store, "bench")?;
    let conn = store.conn();
    conn.execute_batch("PRAGMA synchronous = OFF; BEGIN")?;
    let snapshot: String = conn.query_row("SELECT id FROM checklist_snapshots LIMIT 1", [], |r| r.get(0))?;
    let kinds = ["elderly_care", "lottery_outlet", "rescue_station", "social_org"];
    let towns = ["如城街道", "城北街道", "城南街道", "长江镇", "下原镇", "磨头镇", "石庄镇", "白蒲镇"];
    let statuses = ["open", "in_progress", "fix_reported", "verified", "verified", "verified"];
    let severities = ["minor", "minor", "major", "critical"];
    let start = NaiveDate::from_ymd_opt(2025, 12, 1).ok_or("date")?;
    for s in 0..SITES {
        conn.execute(
            "INSERT INTO sites (id, code, kind, name, town, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, '2025-12-01T00:00:00+08:00', '2025-12-01T00:00:00+08:00')",
            params![
                format!("S{s:05}"),
                format!("B{s:05}"),
                kinds[s % 4],
                format!("基准单位{s:05}"),
                towns[s % 8]
            ],
        )?;
        conn.execute(
            "INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at, created_by)
             VALUES (?1, ?2, ?3, '[]', 'submitted', '2025-12-01T00:00:00+08:00', '2025-12-01T00:00:00+08:00', 'bench')",
            params![format!("I{s:05}"), format!("S{s:05}"), snapshot],
        )?;
    }
    let mut insert = conn.prepare(
        "INSERT INTO rectifications (id, inspection_id, site_id, item_id, problem, severity, deadline, status,
                created_by, created_at, updated_at, closed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'bench', ?9, ?9, ?10)",
    )?;
    for i in 0..RECTIFICATIONS {
        let s = (i * 7919) % SITES;
        let created = start + chrono::Duration::days((i % 365) as i64);
        let deadline = created + chrono::Duration::days(7 + (i % 60) as i64);
        let status = statuses[i % statuses.len()];
        let at = format!("{created}T09:00:00+08:00");
        let closed = (status == "verified").then(|| format!("{}T16:00:00+08:00", deadline));
        insert.execute(params![
            format!("R{i:07}"),
            format!("I{s:05}"),
            format!("S{s:05}"),
            format!("item_{}", i % 40),
            format!("问题描述 {i}：疏散通道堆放杂物"),
            severities[i % 4],
            deadline.to_string(),
            status,
            at,
            closed
        ])?;
    }
    drop(insert);
    conn.execute_batch("COMMIT; ANALYZE; PRAGMA synchronous = FULL")?;
    Ok(())
}

fn time<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    samples.sort();
    let median = samples[runs / 2];
    let worst = samples[runs - 1];
    println!("{name:<44} median {:>8.2} ms   worst {:>8.2} ms", ms(median), ms(worst));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = match std::env::var_os("DUCHA_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-board.db");
            if !p.exists() {
                let t = Instant::now();
                build(&p)?;
                println!("built {} rectifications in {:.1} s", RECTIFICATIONS, t.elapsed().as_secs_f64());
            }
            p
        }
    };
    let store = Store::open(&path)?;
    let conn = store.conn();
    let count: i64 = conn.query_row("SELECT count(*) FROM rectifications", [], |r| r.get(0))?;
    println!("database {} with {count} rectifications", path.display());
    let today = "2026-11-29";
    let open = Filter {
        statuses: vec!["open".into(), "in_progress".into(), "fix_reported".into()],
        ..Default::default()
    };
    time("board: first page (not closed)", 20, || board::page(conn, &open, today, None, 100));
    time("board: first page (all)", 20, || board::page(conn, &Filter::default(), today, None, 100));
    let mut cursor = None;
    for _ in 0..50 {
        cursor = board::page(conn, &open, today, cursor.as_ref(), 100)?.last().map(|r| r.cursor());
    }
    time("board: page 51 (after 5,000 rows)", 20, || board::page(conn, &open, today, cursor.as_ref(), 100));
    let town = Filter { town: Some("下原镇".into()), ..open.clone() };
    time("board: first page, one town", 20, || board::page(conn, &town, today, None, 100));
    let domain =
        Filter { domain: Some("social_org".into()), severity: Some("critical".into()), ..open.clone() };
    time("board: first page, domain + severity", 20, || board::page(conn, &domain, today, None, 100));
    let overdue = Filter { overdue_only: true, ..open.clone() };
    time("board: first page, overdue only", 20, || board::page(conn, &overdue, today, None, 100));
    let text = Filter { text: Some("基准单位00042".into()), ..open.clone() };
    time("board: free-text search (one site's rows)", 5, || board::page(conn, &text, today, None, 100));
    time("board: count (not closed)", 20, || board::count(conn, &open, today));
    time("board: count (all)", 20, || board::count(conn, &Filter::default(), today));
    time("board: count, one town", 20, || board::count(conn, &town, today));
    time("board: count, overdue only", 20, || board::count(conn, &overdue, today));
    let day = NaiveDate::from_ymd_opt(2026, 11, 29).ok_or("date")?;
    time("weekly report (2026-W48)", 5, || weekly_report(conn, IsoWeek::of(day), day));
    Ok(())
}
