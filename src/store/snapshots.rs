//! Checklist snapshots: the exact text, hash and version of each checklist the first time it is used, so an
//! inspection always renders against the text it was answered with.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, Entry};
use super::{Result, StoreError, new_id, now};
use crate::checklist::Loaded;

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub id: String,
    pub checklist_id: String,
    pub version: u32,
    pub hash: String,
    pub title: String,
    pub domain: String,
    pub origin: String,
    pub source: String,
    pub stored_at: String,
}

const COLUMNS: &str = "id, checklist_id, version, hash, title, domain, origin, source, stored_at";

fn row_to_snapshot(r: &Row<'_>) -> rusqlite::Result<Snapshot> {
    Ok(Snapshot {
        id: r.get(0)?,
        checklist_id: r.get(1)?,
        version: r.get(2)?,
        hash: r.get(3)?,
        title: r.get(4)?,
        domain: r.get(5)?,
        origin: r.get(6)?,
        source: r.get(7)?,
        stored_at: r.get(8)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Snapshot>> {
    let sql = format!("SELECT {COLUMNS} FROM checklist_snapshots WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], row_to_snapshot).optional()?)
}

pub fn by_version(conn: &Connection, checklist_id: &str, version: u32) -> Result<Option<Snapshot>> {
    let sql = format!("SELECT {COLUMNS} FROM checklist_snapshots WHERE checklist_id = ?1 AND version = ?2");
    Ok(conn.query_row(&sql, params![checklist_id, version], row_to_snapshot).optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Snapshot>> {
    let sql = format!("SELECT {COLUMNS} FROM checklist_snapshots ORDER BY checklist_id, version");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], row_to_snapshot)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// (checklist id, version) → (where it was first read, hash), for conflict checks when loading files.
pub fn known(conn: &Connection) -> Result<HashMap<(String, u32), (String, String)>> {
    Ok(list(conn)?
        .into_iter()
        .map(|s| {
            let origin = format!("{} ({})", s.origin, s.stored_at);
            ((s.checklist_id, s.version), (origin, s.hash))
        })
        .collect())
}

/// Stores the snapshot of a checklist unless the same text is already stored; returns the snapshot id.
/// A different text under the same id and version is refused: its author must bump the version.
pub fn ensure(conn: &Connection, actor: &str, loaded: &Loaded) -> Result<String> {
    let c = &loaded.checklist;
    if let Some(existing) = by_version(conn, &c.id, c.version)? {
        if existing.hash == loaded.hash {
            return Ok(existing.id);
        }
        return Err(StoreError::Refused(format!(
            "checklist `{}` version {} in {} differs from the one stored from {} on {}: bump its version",
            c.id, c.version, loaded.origin, existing.origin, existing.stored_at
        )));
    }
    let id = new_id();
    conn.execute(
        "INSERT INTO checklist_snapshots (id, checklist_id, version, hash, title, domain, origin, source, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id, c.id, c.version, loaded.hash, c.title, c.domain.key(), loaded.origin, loaded.text, now()],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "checklist.snapshot",
            entity: "checklist_snapshot",
            entity_id: &id,
            old: None,
            new: Some(serde_json::json!({
                "checklist_id": c.id, "version": c.version, "hash": loaded.hash, "origin": loaded.origin
            })),
        },
    )?;
    Ok(id)
}
