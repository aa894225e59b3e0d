//! `ducha demo`: fills a new database with a realistic year of a civil-affairs bureau's supervision work —
//! users, sites, inspections against the shipped checklists, the rescue station's duty log shift by shift,
//! and rectifications followed up to verification — for newcomers to explore, for training and for
//! benchmarks. Everything is written through the store functions the console uses, with the store's
//! simulated clock advanced through the twelve months ending today. The same seed gives the same data
//! (apart from ids, which are ULIDs).
//!
//! Generation batches a simulated day per transaction and runs with `synchronous=OFF` and a larger page
//! cache; both are restored when it ends.

mod answers;
mod duty;
mod follow;
mod inspect;
mod people;
mod places;
mod scale;
mod sim;
mod texts;
mod world;

use std::cell::Cell;
use std::path::Path;
use std::time::Instant;

use chrono::{Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

pub use scale::{Params, Scale};

use crate::checklist::{LoadReport, load_shipped};
use crate::i18n::Lang;
use crate::rectification::Status;
use crate::roles::Role;
use crate::store::{self, Store, StoreError};

pub(crate) type Rng8 = ChaCha8Rng;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    pub scale: Scale,
    pub seed: u64,
    /// The last day of the simulated year; work stops at 08:30 that morning.
    pub today: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds {0} inspections")]
    NotEmpty(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("generating demo data needs the admin role; {user} is {}", .role.map_or("not registered", Role::key))]
    NotAdmin { user: String, role: Option<Role> },
    #[error("{0}")]
    Setup(String),
    #[error("the demo made an inspection the console would refuse: {0}")]
    Invalid(String),
}

impl From<rusqlite::Error> for DemoError {
    fn from(e: rusqlite::Error) -> Self {
        DemoError::Store(StoreError::from(e))
    }
}

impl DemoError {
    pub fn message(&self, lang: Lang, db: &Path) -> String {
        match (self, lang) {
            (DemoError::NotEmpty(n), Lang::Zh) => format!(
                "数据库 {} 已有 {n} 条检查记录：演示数据只写入新的数据库，请用 --db 指定一个新文件",
                db.display()
            ),
            (DemoError::NotEmpty(n), Lang::En) => format!(
                "the database {} already holds {n} inspections: demo data only goes into a new database; \
                 give a new file with --db",
                db.display()
            ),
            (DemoError::NotAdmin { user, role }, Lang::Zh) => match role {
                Some(r) => format!("生成演示数据需要管理员角色；{user} 是{}", r.label(Lang::Zh)),
                None => format!("生成演示数据需要管理员角色；用户 {user} 未登记"),
            },
            (e, Lang::Zh) => format!("生成演示数据失败：{e}"),
            (e, Lang::En) => format!("generating the demo data failed: {e}"),
        }
    }
}

/// Where generation stands, after each simulated day.
#[derive(Clone, Debug)]
pub struct Progress {
    pub day: usize,
    pub days: usize,
    pub inspections: u64,
    pub rectifications: u64,
}

/// What the database holds at the end.
#[derive(Clone, Debug)]
pub struct Summary {
    pub sites: i64,
    pub users: i64,
    pub submitted: i64,
    pub drafts: i64,
    pub answers: i64,
    pub evidence: i64,
    /// Rectifications by status, in lifecycle order.
    pub by_status: Vec<(Status, i64)>,
    pub overdue: i64,
    pub elapsed: std::time::Duration,
}

impl Summary {
    pub fn line(&self, lang: Lang, seed: u64) -> String {
        let rects: i64 = self.by_status.iter().map(|(_, n)| n).sum();
        let statuses: Vec<String> =
            self.by_status.iter().map(|(s, n)| format!("{} {n}", s.label(lang))).collect();
        let secs = self.elapsed.as_secs_f64();
        match lang {
            Lang::Zh => format!(
                "演示数据（种子 {seed}）：单位 {} 个，用户 {} 人，检查记录 {} 条（草稿 {}），答案 {} 条，照片 {} 张，\
                 整改 {rects} 条（{}；逾期 {}），用时 {secs:.1} 秒",
                self.sites,
                self.users,
                self.submitted + self.drafts,
                self.drafts,
                self.answers,
                self.evidence,
                statuses.join("、"),
                self.overdue
            ),
            Lang::En => format!(
                "demo data (seed {seed}): {} sites, {} users, {} inspections ({} drafts), {} answers, {} photos, \
                 {rects} rectifications ({}; {} overdue), {secs:.1} s",
                self.sites,
                self.users,
                self.submitted + self.drafts,
                self.drafts,
                self.answers,
                self.evidence,
                statuses.join(", "),
                self.overdue
            ),
        }
    }
}

thread_local! {
    static OFFSET: Cell<Option<FixedOffset>> = const { Cell::new(None) };
}

/// The UTC offset the simulated times carry: the machine's local offset, as the console's own times.
fn offset_at(t: NaiveDateTime) -> FixedOffset {
    chrono::Local.offset_from_utc_datetime(&t).fix()
}

/// Sets the store's simulated clock to `t` (local time).
pub(crate) fn tick(t: NaiveDateTime) {
    let offset = OFFSET.with(Cell::get).unwrap_or_else(|| offset_at(t));
    store::set_clock(offset.from_local_datetime(&t).single());
}

pub(crate) fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

/// The first day of the simulated year ending `today`.
pub fn first_day(today: NaiveDate) -> NaiveDate {
    today - Duration::days(365)
}

/// When the simulated year ends: 08:30 on `today`.
pub fn cutoff(today: NaiveDate) -> NaiveDateTime {
    at(today, 8, 30)
}

/// The moment the database is set up (users and registry): a week before the year starts. `ducha demo`
/// also opens (and, when new, seeds) the database at this time.
pub fn setup_time(today: NaiveDate) -> NaiveDateTime {
    at(first_day(today) - Duration::days(7), 9, 0)
}

/// Sets the simulated clock for the first-run seeding of a new database (see [`setup_time`]).
pub fn set_setup_clock(today: NaiveDate) {
    tick(setup_time(today));
}

pub fn clear_clock() {
    store::set_clock(None);
}

/// Refuses a database that already holds inspections: demo data only goes into a new one.
pub fn check_empty(conn: &Connection) -> Result<(), DemoError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM inspections", [], |r| r.get(0))?;
    if n > 0 { Err(DemoError::NotEmpty(n)) } else { Ok(()) }
}

/// Fills `store` (which must hold no inspection) with a year of work; `actor` (an admin) adds the demo's
/// own admin. Clears the simulated clock and restores the connection's settings, also on failure.
pub fn generate(
    store: &mut Store,
    actor: &str,
    opts: &Options,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Summary, DemoError> {
    let started = Instant::now();
    check_empty(store.conn())?;
    let role = crate::store::users::role_of(store.conn(), actor)?;
    if role != Some(Role::Admin) {
        return Err(DemoError::NotAdmin { user: actor.to_string(), role });
    }
    let params = opts.scale.params();
    let conn = store.conn();
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -params.cache_mib * 1024)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    OFFSET.with(|o| o.set(Some(offset_at(cutoff(opts.today)))));
    let evidence_root = store.evidence_root();
    // Unique per run, so that runs in parallel threads (tests) do not remove each other's photos.
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let run_no = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = std::env::temp_dir().join(format!("ducha-demo-{}-{run_no}", std::process::id()));
    let mut photos = inspect::Photos::new(scratch, evidence_root);
    // The same seed gives the same ids too, so two runs write the same rows in the same order.
    store::seed_ids(Some(opts.seed));
    let result = run(store, actor, opts, &params, &mut photos, progress);
    store::seed_ids(None);
    photos.cleanup();
    clear_clock();
    OFFSET.with(|o| o.set(None));
    let conn = store.conn();
    let restored = (|| -> rusqlite::Result<()> {
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "cache_size", -2000)?;
        conn.pragma_update(None, "temp_store", "DEFAULT")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
    })();
    result?;
    restored?;
    summary(store.conn(), opts.today, started)
}

fn run(
    store: &mut Store,
    actor: &str,
    opts: &Options,
    params: &Params,
    photos: &mut inspect::Photos,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), DemoError> {
    let mut rng = Rng8::seed_from_u64(opts.seed);
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    if let Some(f) = report.failed.first() {
        return Err(DemoError::Setup(format!("shipped checklist {} is invalid", f.origin)));
    }
    let first = first_day(opts.today);
    let duty_first = (opts.today - Duration::days(params.duty_days)).max(first);
    tick(setup_time(opts.today));
    let world = store.write(|tx| -> Result<world::World, DemoError> {
        let mut w = world::build(tx, &mut rng, actor, params, &report.loaded)?;
        world::stations(tx, &mut rng, &mut w, params, duty_first, opts.today)?;
        Ok(w)
    })?;
    let visits = world::plan_visits(&mut rng, &world, params, first, opts.today);
    let mut s = sim::Sim {
        world,
        rng,
        photos,
        visits,
        first_day: first,
        duty_first,
        today: opts.today,
        cutoff: cutoff(opts.today),
        progress,
    };
    sim::run(store, &mut s).map(|_| ())
}

fn summary(conn: &Connection, today: NaiveDate, started: Instant) -> Result<Summary, DemoError> {
    let count = |sql: &str| -> Result<i64, DemoError> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let mut by_status = Vec::new();
    for s in Status::ALL {
        let n: i64 =
            conn.query_row("SELECT count(*) FROM rectifications WHERE status = ?1", [s.key()], |r| r.get(0))?;
        by_status.push((s, n));
    }
    let today = today.format("%Y-%m-%d").to_string();
    let overdue: i64 = conn.query_row(
        "SELECT count(*) FROM rectifications WHERE status NOT IN ('verified', 'withdrawn') AND deadline < ?1",
        [&today],
        |r| r.get(0),
    )?;
    Ok(Summary {
        sites: count("SELECT count(*) FROM sites")?,
        users: count("SELECT count(*) FROM users")?,
        submitted: count("SELECT count(*) FROM inspections WHERE status = 'submitted'")?,
        drafts: count("SELECT count(*) FROM inspections WHERE status = 'draft'")?,
        answers: count("SELECT count(*) FROM answers")?,
        evidence: count("SELECT count(*) FROM evidence")?,
        by_status,
        overdue,
        elapsed: started.elapsed(),
    })
}
