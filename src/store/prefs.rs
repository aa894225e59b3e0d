//! Per-user preferences of this console (kept in the database, so they follow the database to another
//! laptop): e.g. the folder the evidence picker lists.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, now};

/// The folder the evidence picker opens on.
pub const EVIDENCE_FOLDER: &str = "evidence_folder";

pub fn get(conn: &Connection, user: &str, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM user_prefs WHERE user = ?1 AND key = ?2", params![user, key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set(conn: &Connection, user: &str, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO user_prefs (user, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![user, key, value, now()],
    )?;
    Ok(())
}
