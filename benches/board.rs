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
use ducha::store::board::{self, Filter};
use ducha::store::{Store, migrate};
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

/// The size of the database file and its log, in MB.
fn size_mb(path: &std::path::Path) -> f64 {
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    let len = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
    (len(path) + len(&wal)) as f64 / 1e6
}

/// A database of an older schema is migrated here, in-process and without the console's backup, one step
/// at a time, so the cost of each is seen (the text index of migration 14 in particular).
fn migrate(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = rusqlite::Connection::open(path)?;
    let from = migrate::user_version(&conn)?;
    if from >= migrate::latest() {
        return Ok(());
    }
    println!("migrating {} from schema {from}: {:.0} MB", path.display(), size_mb(path));
    for m in migrate::MIGRATIONS.iter().filter(|m| m.version > from) {
        let t = Instant::now();
        migrate::migrate_to(&mut conn, None, m.version)?;
        let took = t.elapsed().as_secs_f64();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        println!("  migration {} {}: {took:.1} s, {:.0} MB after", m.version, m.name, size_mb(path));
    }
    Ok(())
}

/// p50, p99 and the worst of `samples`, in ms.
fn summary(samples: &mut [Duration]) -> (f64, f64, f64) {
    samples.sort();
    let at = |q: f64| ms(samples[((samples.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.99), at(1.0))
}

/// Every combination of the board's filters (statuses, domain, town, site, severity, overdue only,
/// conflicts only), each with `text`.
fn combinations(text: Option<&str>, town: &str, site: &str) -> Vec<Filter> {
    let mut out = Vec::new();
    for bits in 0..128u32 {
        let on = |b: u32| bits & (1 << b) != 0;
        out.push(Filter {
            statuses: if on(0) {
                vec!["open".into(), "in_progress".into(), "fix_reported".into()]
            } else {
                vec![]
            },
            domain: on(1).then(|| "elderly_care".to_string()),
            town: on(2).then(|| town.to_string()),
            site: on(3).then(|| site.to_string()),
            severity: on(4).then(|| "major".to_string()),
            overdue_only: on(5),
            conflict_only: on(6),
            text: text.map(str::to_string),
        });
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("DUCHA_BENCH_WRITES").is_some() {
        return write_cost();
    }
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
    migrate(&path)?;
    let store = Store::open(&path)?;
    let conn = store.conn();
    let count: i64 = conn.query_row("SELECT count(*) FROM rectifications", [], |r| r.get(0))?;
    println!("database {} with {count} rectifications", path.display());
    let today = std::env::var("DUCHA_BENCH_TODAY").unwrap_or_else(|_| "2026-11-29".into());
    let today = today.as_str();
    if std::env::var_os("DUCHA_BENCH_COMBINATIONS").is_some() {
        return combination_figures(conn, today);
    }
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

/// `DUCHA_BENCH_COMBINATIONS=1`: what a filter change costs the console for every combination of the other
/// filters with each kind of free text: the wait for the first page (the page of 100 and the number of
/// conflicts, as `tui::effect::board` reads them before the page is drawn), and, apart, the count (共 N
/// 条) that the counting thread makes after it (`tui::effect::count`) when the page is full;
/// `DUCHA_BENCH_TEXTS="label=text;…"` replaces the texts (the default ones suit `bench/make-big-db.sh`'s
/// database), `DUCHA_BENCH_RUNS` the runs per combination (3).
fn combination_figures(conn: &rusqlite::Connection, today: &str) -> Result<(), Box<dyn std::error::Error>> {
    let texts = std::env::var("DUCHA_BENCH_TEXTS").unwrap_or_else(|_| {
        "none=;rare 3+ (a site code)=YL013-45;rare 3+ (problem)=通话录音;middle 3+=小太阳;common 3+=灭火器;\
         1 char rare=疾;1 char common=火;2 chars rare=话录;2 chars common=消防;nothing 3+=不存在的问题;\
         nothing 1 char=獭"
            .into()
    });
    let runs: usize = std::env::var("DUCHA_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let (town, site): (String, String) = conn.query_row(
        "SELECT town, code FROM sites WHERE kind = 'elderly_care' ORDER BY code LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    println!("{runs} runs of each of 128 filter combinations (town {town}, site {site}); ms");
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}  worst combination (first page)",
        "free text", "median", "p99", "worst", "count p50", "count p99", "matches"
    );
    for pair in texts.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (label, text) = pair.split_once('=').ok_or("DUCHA_BENCH_TEXTS: label=text")?;
        let text = Some(text).filter(|t| !t.is_empty());
        let (mut samples, mut counts) = (Vec::new(), Vec::new());
        let mut worst: (Duration, String) = (Duration::ZERO, String::new());
        for f in combinations(text, &town, &site) {
            for _ in 0..runs {
                let t = Instant::now();
                let rows = board::page(conn, &f, today, None, 100)?;
                let full = rows.len() == 100;
                std::hint::black_box((rows, board::conflicts(conn)?));
                let took = t.elapsed();
                if full {
                    let t = Instant::now();
                    std::hint::black_box(board::count(conn, &f, today)?);
                    counts.push(t.elapsed());
                }
                if took > Duration::from_millis(16) && std::env::var_os("DUCHA_BENCH_SLOW").is_some() {
                    eprintln!("slow: {label}: {} {:.0} ms", describe(&f), ms(took));
                }
                if took > worst.0 {
                    worst = (took, describe(&f));
                }
                samples.push(took);
            }
        }
        let matches =
            board::count(conn, &Filter { text: text.map(str::to_string), ..Default::default() }, today)?;
        let (p50, p99, max) = summary(&mut samples);
        let (c50, c99) = if counts.is_empty() {
            (0.0, 0.0)
        } else {
            let (a, b, _) = summary(&mut counts);
            (a, b)
        };
        println!(
            "{:<28} {p50:>9.2} {p99:>9.2} {max:>9.2} {c50:>9.2} {c99:>9.2} {matches:>9}  {}",
            format!("{label} `{}`", text.unwrap_or("")),
            worst.1
        );
    }
    Ok(())
}

fn describe(f: &Filter) -> String {
    let mut parts = Vec::new();
    if !f.statuses.is_empty() {
        parts.push("not closed");
    }
    for (on, name) in [
        (f.domain.is_some(), "domain"),
        (f.town.is_some(), "town"),
        (f.site.is_some(), "site"),
        (f.severity.is_some(), "severity"),
        (f.overdue_only, "overdue"),
        (f.conflict_only, "conflicts"),
    ] {
        if on {
            parts.push(name);
        }
    }
    if parts.is_empty() { "no other filter".into() } else { parts.join(" + ") }
}

/// `DUCHA_BENCH_WRITES=1`: what the text indexes add to writing a rectification, in a fresh database with
/// both (migrations 14 and 17), with migration 14's alone, and with neither (alternating, twice each): many rows in one transaction (CPU per row), and single
/// rows each committed durably (`synchronous = FULL`, as the console saves).
fn write_cost() -> Result<(), Box<dyn std::error::Error>> {
    const BATCH: usize = 20_000;
    const DURABLE: usize = 200;
    for round in 0..6 {
        // Both text indexes (migration 17), migration 14's alone, neither.
        let variant = round % 3;
        let dir = tempfile::tempdir()?;
        let mut store = Store::open(&dir.path().join("writes.db"))?;
        ducha::app::seed(&mut store, "bench")?;
        let conn = store.conn();
        let snapshot: String =
            conn.query_row("SELECT id FROM checklist_snapshots LIMIT 1", [], |r| r.get(0))?;
        conn.execute_batch(
            "INSERT INTO sites (id, code, kind, name, town, created_at, updated_at)
             VALUES ('S1', 'S1', 'elderly_care', '如皋市长寿老年公寓', '城北街道', 'x', 'x')",
        )?;
        conn.execute(
            "INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at, created_by)
             VALUES ('I1', 'S1', ?1, '[]', 'submitted', 'x', 'x', 'bench')",
            [snapshot],
        )?;
        if variant >= 1 {
            conn.execute_batch("DROP TRIGGER open_text_insert")?;
        }
        if variant == 2 {
            conn.execute_batch("DROP TRIGGER board_text_insert")?;
        }
        let insert = |i: usize| -> rusqlite::Result<usize> {
            conn.prepare_cached(
                "INSERT INTO rectifications (id, inspection_id, site_id, item_id, problem, severity, deadline, status,
                        created_by, created_at, updated_at)
                 VALUES (?1, 'I1', 'S1', ?2, ?3, 'major', '2026-12-31', 'open', 'bench', 'x', 'x')",
            )?
            .execute(params![
                format!("R{i:07}"),
                format!("fire_item_{}", i % 40),
                format!("问题描述 {i}：疏散通道堆放杂物，消防器材过期未更换")
            ])
        };
        conn.execute_batch("PRAGMA synchronous = FULL; BEGIN")?;
        let t = Instant::now();
        for i in 0..BATCH {
            insert(i)?;
        }
        conn.execute_batch("COMMIT")?;
        let batch = t.elapsed().as_secs_f64() * 1e6 / BATCH as f64;
        let t = Instant::now();
        for i in BATCH..BATCH + DURABLE {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            insert(i)?;
            conn.execute_batch("COMMIT")?;
        }
        let durable = t.elapsed().as_secs_f64() * 1e3 / DURABLE as f64;
        let label = ["with both text indexes", "with board_text only", "without either"][variant];
        println!(
            "insert a rectification, {label:<22} {batch:>7.1} µs a row in a batch, {durable:>6.2} ms durable"
        );
    }
    Ok(())
}
