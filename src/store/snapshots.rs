//! Checklist snapshots: the exact text, hash and version of each checklist the first time it is used, so an
//! inspection always renders against the text it was answered with.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, Entry};
use super::{Result, StoreError, now};
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

/// The snapshot of a checklist version; when a merge brought in a second text of the same version, the one
/// first stored here (then the lower hash), so the choice does not depend on the order of merges.
pub fn by_version(conn: &Connection, checklist_id: &str, version: u32) -> Result<Option<Snapshot>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM checklist_snapshots WHERE checklist_id = ?1 AND version = ?2
         ORDER BY stored_at, id LIMIT 1"
    );
    Ok(conn.query_row(&sql, params![checklist_id, version], row_to_snapshot).optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Snapshot>> {
    let sql =
        format!("SELECT {COLUMNS} FROM checklist_snapshots ORDER BY checklist_id, version, stored_at, id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], row_to_snapshot)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// (checklist id, version) → (where it was first read, hash), for conflict checks when loading files.
pub fn known(conn: &Connection) -> Result<HashMap<(String, u32), (String, String)>> {
    let mut known = HashMap::new();
    for s in list(conn)? {
        let origin = format!("{} ({})", s.origin, s.stored_at);
        // The text [`by_version`] picks, when a merge brought a second one.
        known.entry((s.checklist_id, s.version)).or_insert((origin, s.hash));
    }
    Ok(known)
}

/// Stores the snapshot of a checklist unless the same text is already stored; returns the snapshot id.
/// A different text under the same id and version is refused: its author must bump the version.
pub fn ensure(conn: &Connection, actor: &str, loaded: &Loaded) -> Result<String> {
    let c = &loaded.checklist;
    if get(conn, &loaded.hash)?.is_some() {
        return Ok(loaded.hash.clone());
    }
    if let Some(existing) = by_version(conn, &c.id, c.version)? {
        return Err(StoreError::Refused(format!(
            "checklist `{}` version {} in {} differs from the one stored from {} on {}: bump its version",
            c.id, c.version, loaded.origin, existing.origin, existing.stored_at
        )));
    }
    // The hash of the text is the id, so the same text has the same id in every database.
    let id = loaded.hash.clone();
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
