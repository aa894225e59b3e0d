//! The bureau's settings as stored (table `bureau_settings`): one row per key an admin has set; a key
//! without a row is at its default. Keys and checks live in [`crate::bureau`]; this module only reads and
//! writes, and audits every change in the caller's transaction.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::{Result, now};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub value: String,
    pub changed_by: String,
    pub changed_at: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored { key: r.get(0)?, value: r.get(1)?, changed_by: r.get(2)?, changed_at: r.get(3)? })
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<Stored>> {
    Ok(conn
        .query_row(
            "SELECT key, value, changed_by, changed_at FROM bureau_settings WHERE key = ?1",
            [key],
            row,
        )
        .optional()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Stored>> {
    let mut stmt =
        conn.prepare("SELECT key, value, changed_by, changed_at FROM bureau_settings ORDER BY key")?;
    let rows = stmt.query_map([], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Stores `value` for `key` (`None`: removes the row, back to the default), with a `setting.set` or
/// `setting.reset` audit row. Returns whether anything changed. `extra` goes into the audit row's new
/// value (a merge names the file it took the value from).
pub fn set_with(
    conn: &Connection,
    actor: &str,
    key: &str,
    value: Option<&str>,
    extra: Option<(&str, &str)>,
) -> Result<bool> {
    let old = get(conn, key)?.map(|s| s.value);
    if old.as_deref() == value {
        return Ok(false);
    }
    match value {
        Some(v) => conn.execute(
            "INSERT INTO bureau_settings (key, value, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_by = excluded.changed_by,
                                             changed_at = excluded.changed_at",
            params![key, v, actor, now()],
        )?,
        None => conn.execute("DELETE FROM bureau_settings WHERE key = ?1", [key])?,
    };
    let mut new = json!({ "value": value });
    if let Some((k, v)) = extra {
        new[k] = json!(v);
    }
    audit::record(
        conn,
        Entry {
            actor,
            action: if value.is_some() { "setting.set" } else { "setting.reset" },
            entity: "setting",
            entity_id: key,
            old: Some(json!({ "value": old })),
            new: Some(new),
        },
    )?;
    Ok(true)
}

pub fn set(conn: &Connection, actor: &str, key: &str, value: Option<&str>) -> Result<bool> {
    set_with(conn, actor, key, value, None)
}
