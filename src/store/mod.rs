//! The SQLite store. Every connection uses WAL, `synchronous=FULL`, foreign keys and a busy timeout; every
//! write is one short `BEGIN IMMEDIATE` transaction that is durable when it returns, and writes its audit
//! rows in the same transaction. Free of any terminal UI code.

pub mod audit;
pub mod board;
pub mod bureau;
pub mod device;
pub mod duty_log;
mod error;
pub mod evidence;
pub mod fix_evidence;
pub mod fold;
pub mod form_drafts;
pub(crate) mod fts;
pub mod inspections;
pub mod listing;
pub mod migrate;
pub mod notices;
pub mod plans;
pub mod prefs;
pub mod rectifications;
pub mod repeats;
mod seen;
pub mod sites;
pub mod snapshots;
pub mod users;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use error::{Result, StoreError};

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The backup written before migrating this file, if it was migrated on open.
    pub backup: Option<PathBuf>,
    /// Whether the schema was empty before this open (a new file): the caller seeds it.
    pub created: bool,
    /// Opened with [`Store::open_read_only`]: every write fails, nothing is written on close.
    read_only: bool,
}

/// A new id that stays unique across laptops (ULID: sortable by creation time).
pub fn new_id() -> String {
    match CLOCK.with(std::cell::Cell::get) {
        Some(at) => {
            let time = std::time::SystemTime::from(at);
            let seeded = ID_RNG.with(|r| {
                r.borrow_mut().as_mut().map(|rng| {
                    let random = rand::Rng::random::<u128>(rng);
                    let ms = time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
                    ulid::Ulid::from_parts(u64::try_from(ms).unwrap_or(u64::MAX), random)
                })
            });
            seeded.unwrap_or_else(|| ulid::Ulid::from_datetime(time)).to_string()
        }
        None => {
            // Monotonic within the process: two ids made in the same millisecond (two follow-ups saved
            // in a row, each stamped to the second) keep the order they were made in, which is the
            // order a rectification's history is read in for equal times.
            let mut ids = IDS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match ids.generate() {
                Ok(id) => id,
                Err(overflow) => overflow.commit_overflow_increment(),
            }
            .to_string()
        }
    }
}

/// The generator of [`new_id`]'s ids on the real clock.
static IDS: std::sync::Mutex<ulid::Generator> = std::sync::Mutex::new(ulid::Generator::new());

/// Makes the random part of the ids drawn under the simulated clock come from `seed` (or, with `None`,
/// from the system again), so that `ducha demo` with one seed writes the same database, ids included.
pub fn seed_ids(seed: Option<u64>) {
    use rand::SeedableRng;
    ID_RNG.with(|r| *r.borrow_mut() = seed.map(rand_chacha::ChaCha8Rng::seed_from_u64));
}

thread_local! {
    /// A simulated clock, set only by `ducha demo` to write a realistic year of work through the same
    /// functions the console uses.
    static CLOCK: std::cell::Cell<Option<chrono::DateTime<chrono::FixedOffset>>> = const { std::cell::Cell::new(None) };
    /// The random part of ids under the simulated clock, when seeded (see [`seed_ids`]).
    static ID_RNG: std::cell::RefCell<Option<rand_chacha::ChaCha8Rng>> = const { std::cell::RefCell::new(None) };
}

/// Sets (or, with `None`, clears) the simulated clock of this thread.
pub fn set_clock(at: Option<chrono::DateTime<chrono::FixedOffset>>) {
    CLOCK.with(|c| c.set(at));
}

/// The simulated clock of this thread, when set.
fn clock() -> Option<chrono::DateTime<chrono::FixedOffset>> {
    CLOCK.with(std::cell::Cell::get)
}

/// The current time as stored: RFC 3339 with the local offset, to the second (the simulated clock when set).
pub fn now() -> String {
    match clock() {
        Some(at) => at.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        None => chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Turns on SQLite's query planner stability guarantee: a statement's plan no longer depends on the values
/// bound to it. Without it, the statistics `PRAGMA optimize` gathers (sqlite_stat4) make SQLite re-prepare a
/// cached statement whenever a new value is bound to an indexed column — every query run once per row (an
/// export's evidence of each answer, a merge's lookups) was parsed again each time.
pub fn stable_plans(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Room in each connection's prepared-statement cache (rusqlite's default is 16): the statements that run
/// on every answer saved stay prepared while a session also browses, reports and exports.
const STATEMENT_CACHE: usize = 64;

fn configure(conn: &Connection) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    stable_plans(conn)?;
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
        Ok(Store { conn, path: Some(path.to_path_buf()), backup, created, read_only: false })
    }

    /// Opens an existing database, at the latest schema, for reading only: never creates, migrates or
    /// writes, never takes a write lock, so it never waits on a writer, and works on read-only media.
    /// A database whose schema is older is refused ([`StoreError::NeedsUpgrade`]).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let conn = open_read_only_connection(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = migrate::check(&conn, Some(path))?;
        if version < migrate::latest() {
            return Err(StoreError::NeedsUpgrade {
                path: path.display().to_string(),
                found: version,
                known: migrate::latest(),
            });
        }
        Ok(Store { conn, path: Some(path.to_path_buf()), backup: None, created: false, read_only: true })
    }

    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::migrate_to(&mut conn, None, migrate::latest())?;
        Ok(Store { conn, path: None, backup: None, created: true, read_only: false })
    }

    /// Whether this store was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
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
        self.in_transaction(TransactionBehavior::Immediate, f)
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

    /// Whether a write could start now: takes the write lock (waiting at most a quarter of a second for
    /// another writer) and gives it straight back. `Ok(false)` when another process holds it, e.g. a long
    /// import. A read-only store never can.
    pub fn can_write_now(&mut self) -> Result<bool> {
        if self.read_only {
            return Ok(false);
        }
        self.conn.busy_timeout(Duration::from_millis(250))?;
        let probe = self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK");
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        match probe {
            Ok(()) => Ok(true),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Runs `f` in one read transaction, so everything it reads comes from one consistent snapshot.
    pub fn read<T, E>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        self.in_transaction(TransactionBehavior::Deferred, f)
    }

    /// Runs `f` in one transaction begun with `behavior`, committed when `f` succeeds and rolled back
    /// (dropped) otherwise.
    fn in_transaction<T, E>(
        &mut self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self.conn.transaction_with_behavior(behavior).map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

impl Drop for Store {
    /// Keeps the query planner's statistics current (cheap: SQLite analyses only what needs it), so
    /// filtered board queries pick the selective index. Never waits for it: when another process is
    /// writing, the statistics wait for the next close (a command that only read must not wait out the
    /// busy timeout on its way out). A read-only store writes nothing.
    fn drop(&mut self) {
        if self.read_only {
            return;
        }
        let _ = self.conn.busy_timeout(Duration::ZERO);
        let _ = self.conn.execute_batch("PRAGMA optimize");
    }
}

/// Whether a database file and its folder can be written (probed, not guessed from permission bits: a
/// read-only mount shows writable bits). Both are needed: SQLite keeps its `-wal` and `-shm` files beside
/// the database.
pub fn writable(path: &Path) -> bool {
    let file_ok = std::fs::OpenOptions::new().write(true).open(path).is_ok();
    file_ok && dir_writable(path)
}

/// Whether files can be made in the folder of `path` (an unnamed temporary file, gone when closed).
fn dir_writable(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    tempfile::tempfile_in(dir).is_ok()
}

/// A read-only connection to an existing database file (never created). Where the file and its folder
/// can be written it is opened read-write with `query_only` (so closing removes the `-wal` and `-shm`
/// files opening made, as a read-only connection could not). Elsewhere it is opened read-only; where no
/// `-wal` or `-shm` file can be made beside it (read-only media) and no write-ahead log is left there, it
/// is also opened `immutable`, so SQLite neither tries to make them nor locks. A log left there is read.
pub fn open_read_only_connection(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such database file"),
        });
    }
    let no_mutex = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (uri, flags) = if writable(path) {
        (format!("file:{}", uri_path(path)), OpenFlags::SQLITE_OPEN_READ_WRITE | no_mutex)
    } else {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let immutable = !dir_writable(path) && !Path::new(&wal).exists();
        let mode = if immutable { "?mode=ro&immutable=1" } else { "?mode=ro" };
        (format!("file:{}{mode}", uri_path(path)), OpenFlags::SQLITE_OPEN_READ_ONLY | no_mutex)
    };
    let conn = Connection::open_with_flags(uri, flags)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// A path as the path part of an SQLite `file:` URI: `%`, `?` and `#` percent-encoded (everything else,
/// Chinese included, is taken as it is).
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// Ids made one after another sort in the order they were made, within a millisecond too (thousands
    /// of them fall in one).
    #[test]
    fn ids_made_in_a_row_sort_in_the_order_they_were_made() {
        let ids: Vec<String> = (0..10_000).map(|_| super::new_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids out of order");
        assert!(ids.iter().all(|id| id.len() == 26 && ulid::Ulid::from_string(id).is_ok()));
    }
}
