//! Schema migrations: numbered SQL files embedded in the binary, tracked by `PRAGMA user_version`, each
//! applied in its own transaction. A database from a newer ducha is refused; an existing file is backed up
//! with `VACUUM INTO` before it is migrated.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::error::{Result, StoreError};

/// `PRAGMA application_id`: "DUCH" in ASCII, so other SQLite files are not mistaken for ours.
pub const APPLICATION_ID: i64 = 0x4455_4348;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "registry", sql: include_str!("migrations/001_registry.sql") },
    Migration { version: 2, name: "inspections", sql: include_str!("migrations/002_inspections.sql") },
    Migration { version: 3, name: "board_plans", sql: include_str!("migrations/003_board_plans.sql") },
    Migration { version: 4, name: "report_indexes", sql: include_str!("migrations/004_report_indexes.sql") },
    Migration { version: 5, name: "board_by_site", sql: include_str!("migrations/005_board_by_site.sql") },
    Migration { version: 6, name: "notices", sql: include_str!("migrations/006_notices.sql") },
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
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(fail)?;
        tx.execute_batch(m.sql).map_err(fail)?;
        // PRAGMA values cannot be bound parameters; both are integers from this file.
        tx.execute_batch(&format!(
            "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
            m.version
        ))
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(backup)
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
