//! The SQLite store. Every connection uses WAL, `synchronous=FULL`, foreign keys and a busy timeout; every
//! write is one short `BEGIN IMMEDIATE` transaction that is durable when it returns, and writes its audit
//! rows in the same transaction. Free of any terminal UI code.

pub mod audit;
pub mod board;
pub mod device;
pub mod duty_log;
mod error;
pub mod evidence;
pub mod fold;
pub mod inspections;
pub mod migrate;
pub mod notices;
pub mod plans;
pub mod rectifications;
mod seen;
pub mod sites;
pub mod snapshots;
pub mod users;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use error::{Result, StoreError};

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The backup written before migrating this file, if it was migrated on open.
    pub backup: Option<PathBuf>,
    /// Whether the schema was empty before this open (a new file): the caller seeds it.
    pub created: bool,
}

/// A new id that stays unique across laptops (ULID: sortable by creation time).
pub fn new_id() -> String {
    match CLOCK.with(std::cell::Cell::get) {
        Some(at) => ulid::Ulid::from_datetime(std::time::SystemTime::from(at)).to_string(),
        None => ulid::Ulid::generate().to_string(),
    }
}

thread_local! {
    /// A simulated clock, set only by `ducha demo` to write a realistic year of work through the same
    /// functions the console uses.
    static CLOCK: std::cell::Cell<Option<chrono::DateTime<chrono::FixedOffset>>> = const { std::cell::Cell::new(None) };
}

/// Sets (or, with `None`, clears) the simulated clock of this thread.
pub fn set_clock(at: Option<chrono::DateTime<chrono::FixedOffset>>) {
    CLOCK.with(|c| c.set(at));
}

/// The current time as stored: RFC 3339 with the local offset, to the second (the simulated clock when set).
pub fn now() -> String {
    match CLOCK.with(std::cell::Cell::get) {
        Some(at) => at.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        None => chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // journal_mode returns a row, so it is read rather than executed.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database file and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_at(path, migrate::latest())
    }

    /// Opens and migrates to `target`; tests use it to build databases of older schema versions.
    pub fn open_at(path: &Path, target: i64) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Before `configure` switches the file to WAL: a foreign or newer file is refused unchanged.
        // A schema still at version 0 is new (or an earlier first run stopped before migrating).
        let created = migrate::check(&conn, Some(path))? == 0;
        configure(&conn)?;
        let backup = migrate::migrate_to(&mut conn, Some(path), target)?;
        Ok(Store { conn, path: Some(path.to_path_buf()), backup, created })
    }

    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::migrate_to(&mut conn, None, migrate::latest())?;
        Ok(Store { conn, path: None, backup: None, created: true })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The folder of the evidence files: `evidence/` beside the database (of the current folder for an
    /// in-memory one). Each inspection's files are in a folder named by its id.
    pub fn evidence_root(&self) -> PathBuf {
        evidence::root_beside(self.path.as_deref())
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrate::user_version(&self.conn)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction, committed (and durable) when `f` succeeds and rolled
    /// back otherwise.
    pub fn write<T, E>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// [`Store::write`] for a record that must not hold up a read (the audit entry of an export): it waits at
    /// most a quarter of a second for another writer instead of the usual five.
    pub fn write_briefly<T, E>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        self.conn.busy_timeout(Duration::from_millis(250)).map_err(StoreError::from)?;
        let out = self.write(f);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(StoreError::from)?;
        out
    }

    /// Runs `f` in one read transaction, so everything it reads comes from one consistent snapshot.
    pub fn read<T, E>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

impl Drop for Store {
    /// Keeps the query planner's statistics current (cheap: SQLite analyses only what needs it), so
    /// filtered board queries pick the selective index.
    fn drop(&mut self) {
        let _ = self.conn.execute_batch("PRAGMA optimize");
    }
}
