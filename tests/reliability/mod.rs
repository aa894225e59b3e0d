//! Shared by the reliability tests (`tests/reliability_*.rs`): a database with a draft of a long
//! all-check checklist (every `1` answers an item and moves on, so key bursts need no screen reading),
//! what is stored, seeded randomness and the round counts of the reduced (CI) and full forms.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test crate uses part of it

use std::path::{Path, PathBuf};

use ducha::checklist::{LoadReport, Loaded, load_paths};
use ducha::inspection::record;
use ducha::store::Store;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A lottery outlet of the sample registry.
pub const OUTLET: &str = "32068001";
pub const USER: &str = "王芳";
pub const CHECKLIST_ID: &str = "reliability_checks";

/// A checklist of `n` required check items in one section.
pub fn many_checks(n: usize) -> String {
    let mut s = format!(
        "id = \"{CHECKLIST_ID}\"\nversion = 1\ntitle = \"可靠性测试检查表\"\ndomain = \"lottery_outlet\"\n\
         mode = \"inspection\"\nmin_inspectors = 1\nscoring = true\n\n[[sections]]\nid = \"s\"\ntitle = \"检查\"\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "\n  [[sections.items]]\n  id = \"c{i:03}\"\n  prompt = \"第{i}项检查是否合格？\"\n  kind = \"check\"\n  \
             severity = \"minor\"\n  requirement = \"整改\"\n  deadline_days = 7\n"
        ));
    }
    s
}

/// A fresh database (sample registry, user 王芳 an inspector) in its own folder, and the checklist.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub loaded: Loaded,
}

impl Fixture {
    pub fn new(items: usize) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let mut store = Store::open(&db).unwrap();
        ducha::app::seed(&mut store, "管理员").unwrap();
        store
            .write(|tx| ducha::store::users::upsert(tx, "管理员", USER, ducha::roles::Role::Inspector))
            .unwrap();
        let file = dir.path().join("checks.toml");
        std::fs::write(&file, many_checks(items)).unwrap();
        let mut report = LoadReport::default();
        load_paths(&mut report, &[file]);
        assert!(report.failed.is_empty(), "the test checklist loads");
        let loaded = report.loaded.remove(0);
        Fixture { dir, db, loaded }
    }

    /// Starts a new draft (through the library: the console is tested on answering, not on starting).
    pub fn start_draft(&self) -> String {
        let mut store = Store::open(&self.db).unwrap();
        let site = ducha::store::sites::by_code(store.conn(), OUTLET).unwrap().unwrap();
        record::start(&mut store, USER, &self.loaded, &site, &[USER.into()]).unwrap()
    }

    /// Submits a complete draft (through the library), so that the console's home has no draft left.
    pub fn submit(&self, id: &str) {
        let mut store = Store::open(&self.db).unwrap();
        let opened = record::open(&store, id).unwrap();
        record::submit(&mut store, USER, &opened, &[USER.into()], "张店主").unwrap();
    }

    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }
}

/// The item ids answered in an inspection, sorted.
pub fn answered(conn: &rusqlite::Connection, id: &str) -> Vec<String> {
    let mut stmt =
        conn.prepare("SELECT item_id FROM answers WHERE inspection_id = ?1 ORDER BY item_id").unwrap();
    stmt.query_map([id], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// `PRAGMA integrity_check`'s answer (`ok` when sound).
pub fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.join("; ")
}

/// The seed: `DUCHA_RELIABILITY_SEED` when set (to replay a failure), else from the clock.
pub fn seed() -> u64 {
    std::env::var("DUCHA_RELIABILITY_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    })
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// `DUCHA_RELIABILITY_ROUNDS` when set, else `default`.
pub fn rounds(default: usize) -> usize {
    std::env::var("DUCHA_RELIABILITY_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// The peak resident memory of a process in KiB (`VmHWM`), where /proc tells.
pub fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
