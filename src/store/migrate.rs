//! Schema migrations: numbered SQL files embedded in the binary, tracked by `PRAGMA user_version`, each
//! applied in its own transaction. A database from a newer ducha is refused; an existing file is backed up
//! with `VACUUM INTO` before it is migrated.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use super::error::{Result, StoreError};

/// `PRAGMA application_id`: "DUCH" in ASCII, so other SQLite files are not mistaken for ours.
pub const APPLICATION_ID: i64 = 0x4455_4348;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// Rebuilds tables or rewrites ids: applied with foreign keys off, checked with `foreign_key_check`.
    pub rebuilds: bool,
    /// Work the SQL cannot do (ids, hashes), run in the same transaction after it.
    pub finish: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

const fn sql(version: i64, name: &'static str, sql: &'static str) -> Migration {
    Migration { version, name, sql, rebuilds: false, finish: None }
}

/// A migration that rebuilds tables (see [`Migration::rebuilds`]), in SQL alone.
const fn rebuilding(version: i64, name: &'static str, sql: &'static str) -> Migration {
    Migration { version, name, sql, rebuilds: true, finish: None }
}

/// A migration with Rust work after its SQL, that rebuilds no table.
const fn finished(
    version: i64,
    name: &'static str,
    sql: &'static str,
    finish: fn(&Connection) -> rusqlite::Result<()>,
) -> Migration {
    Migration { version, name, sql, rebuilds: false, finish: Some(finish) }
}

pub const MIGRATIONS: &[Migration] = &[
    sql(1, "registry", include_str!("migrations/001_registry.sql")),
    sql(2, "inspections", include_str!("migrations/002_inspections.sql")),
    sql(3, "board_plans", include_str!("migrations/003_board_plans.sql")),
    sql(4, "report_indexes", include_str!("migrations/004_report_indexes.sql")),
    sql(5, "board_by_site", include_str!("migrations/005_board_by_site.sql")),
    sql(6, "notices", include_str!("migrations/006_notices.sql")),
    Migration {
        version: 7,
        name: "consolidation",
        sql: include_str!("migrations/007_consolidation.sql"),
        rebuilds: true,
        finish: Some(super::device::finish_consolidation),
    },
    rebuilding(8, "withdrawn", include_str!("migrations/008_withdrawn.sql")),
    sql(9, "form_drafts", include_str!("migrations/009_form_drafts.sql")),
    finished(
        10,
        "site_initials",
        include_str!("migrations/010_site_initials.sql"),
        super::sites::finish_initials,
    ),
    sql(11, "open_counts", include_str!("migrations/011_open_counts.sql")),
    rebuilding(12, "bureau", include_str!("migrations/012_bureau.sql")),
    sql(13, "rectification_evidence", include_str!("migrations/013_rectification_evidence.sql")),
    sql(14, "text_search", include_str!("migrations/014_text_search.sql")),
    sql(15, "open_urgency", include_str!("migrations/015_open_urgency.sql")),
    finished(16, "write_pages", include_str!("migrations/016_write_pages.sql"), plain_audit_rowid),
    sql(17, "board_facets", include_str!("migrations/017_board_facets.sql")),
];

pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a file that is not a ducha database or was written by a newer ducha, and returns its schema
/// version otherwise. It only reads, so a refused file is left exactly as it was.
pub fn check(conn: &Connection, path: Option<&Path>) -> Result<i64> {
    let display = || path.map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
    let current = user_version(conn)?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StoreError::Foreign { path: display(), found: app_id });
    }
    if current > latest() {
        return Err(StoreError::TooNew { path: display(), found: current, known: latest() });
    }
    Ok(current)
}

/// Brings the schema up to `target` (normally [`latest`]). `path` is the file, for the backup; `None` for
/// in-memory databases. Returns the backup written, if any.
pub fn migrate_to(conn: &mut Connection, path: Option<&Path>, target: i64) -> Result<Option<PathBuf>> {
    let current = check(conn, path)?;
    if current >= target {
        return Ok(None);
    }
    let backup = match path {
        Some(p) if current > 0 => Some(backup(conn, p, current)?),
        _ => None,
    };
    for m in MIGRATIONS.iter().filter(|m| m.version > current && m.version <= target) {
        let fail = |source| StoreError::Migration { version: m.version, name: m.name, source };
        if m.rebuilds {
            // Only outside a transaction does this pragma take effect.
            conn.pragma_update(None, "foreign_keys", "OFF").map_err(fail)?;
        }
        let result = apply(conn, m);
        if m.rebuilds {
            conn.pragma_update(None, "foreign_keys", "ON").map_err(fail)?;
        }
        result.map_err(fail)?;
    }
    Ok(backup)
}

/// One migration in one transaction: its SQL, its finishing step, the foreign-key check, the version.
fn apply(conn: &mut Connection, m: &Migration) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(m.sql)?;
    if let Some(finish) = m.finish {
        finish(&tx)?;
    }
    if m.rebuilds {
        let broken: Option<String> = tx
            .query_row(
                "SELECT \"table\" || ' row ' || rowid || ' → ' || parent FROM pragma_foreign_key_check",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(row) = broken {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("a foreign key no longer holds: {row}")),
            ));
        }
    }
    // PRAGMA values cannot be bound parameters; both are integers from this file.
    tx.execute_batch(&format!(
        "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
        m.version
    ))?;
    tx.commit()
}

/// Writes `NAME.vN-backup-TIMESTAMP.db` beside the database.
fn backup(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let stem = path.file_stem().map_or_else(|| "ducha".into(), |s| s.to_string_lossy().into_owned());
    let mut target = path.with_file_name(format!("{stem}.v{version}-backup-{stamp}.db"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = path.with_file_name(format!("{stem}.v{version}-backup-{stamp}-{n}.db"));
    }
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
    Ok(target)
}

/// Migration 16: `audit.seq` as a plain INTEGER PRIMARY KEY instead of AUTOINCREMENT, by the procedure of
/// SQLite's ALTER TABLE page for changes that leave the stored rows as they are (`writable_schema`, then a
/// new `schema_version` so every connection reads the schema again). The edited schema is read back in the
/// same transaction: a text SQLite cannot parse fails the migration, and nothing is kept.
fn plain_audit_rowid(conn: &Connection) -> rusqlite::Result<()> {
    const AUTO: &str = "PRIMARY KEY AUTOINCREMENT";
    let schema: String =
        conn.query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'audit'", [], |r| {
            r.get(0)
        })?;
    // SQLite allows AUTOINCREMENT only on the INTEGER PRIMARY KEY, so taking away its one occurrence leaves
    // the stored rows as they are. Any other text (the word twice, say in a comment) is not edited blindly.
    let refuse = |why: String| {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_SCHEMA), Some(why))
    };
    let plain = match (schema.matches("AUTOINCREMENT").count(), schema.matches(AUTO).count()) {
        (0, _) => None,
        (1, 1) => Some(schema.replace(AUTO, "PRIMARY KEY")),
        _ => return Err(refuse(format!("the audit table is not the one migration 7 made: {schema}"))),
    };
    let Some(plain) = plain else { return Ok(()) };
    let version: i64 = conn.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    conn.pragma_update(None, "writable_schema", true)?;
    let edited =
        conn.execute("UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'audit'", [plain]);
    // The schema version is an integer read above: PRAGMA values cannot be bound parameters.
    let bumped = edited.and_then(|_| conn.execute_batch(&format!("PRAGMA schema_version = {}", version + 1)));
    conn.pragma_update(None, "writable_schema", false)?;
    bumped?;
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'audit'", [])?;
    // Read back: a schema SQLite cannot parse fails this statement, and the transaction with it.
    conn.prepare("SELECT seq, id, device, dseq FROM audit LIMIT 1")?;
    Ok(())
}
