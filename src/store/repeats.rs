//! The repetitions of an inspection's repeat sections (e.g. each patrol round of a duty shift). Numbers are
//! never reused and a removed repetition is only marked, so answers stay with their instance. Every write
//! records its audit row inside the caller's transaction.

use rusqlite::{Connection, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::inspections::{require_draft, touch};
use super::{Result, now};

/// Live repetitions of each repeat section: (section id, instance).
pub fn instances(conn: &Connection, inspection_id: &str) -> Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT section_id, instance FROM repeat_instances WHERE inspection_id = ?1 AND removed = 0
         ORDER BY section_id, instance",
    )?;
    let rows = stmt
        .query_map([inspection_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds a repetition of a repeat section; numbers are never reused, so answers stay with their instance.
pub fn add_instance(conn: &Connection, actor: &str, inspection_id: &str, section_id: &str) -> Result<u32> {
    require_draft(conn, inspection_id)?;
    let next: u32 = conn.query_row(
        "SELECT coalesce(max(instance), 0) + 1 FROM repeat_instances WHERE inspection_id = ?1 AND section_id = ?2",
        params![inspection_id, section_id],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO repeat_instances (inspection_id, section_id, instance, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![inspection_id, section_id, next, now()],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "instance.add",
            entity: "inspection",
            entity_id: inspection_id,
            old: None,
            new: Some(json!({ "section_id": section_id, "instance": next })),
        },
    )?;
    touch(conn, inspection_id)?;
    Ok(next)
}

/// Removes a repetition; its answers stay in the database (and the audit) but no longer count.
pub fn remove_instance(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    section_id: &str,
    instance: u32,
) -> Result<()> {
    require_draft(conn, inspection_id)?;
    conn.execute(
        "UPDATE repeat_instances SET removed = 1 WHERE inspection_id = ?1 AND section_id = ?2 AND instance = ?3",
        params![inspection_id, section_id, instance],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "instance.remove",
            entity: "inspection",
            entity_id: inspection_id,
            old: Some(json!({ "section_id": section_id, "instance": instance })),
            new: None,
        },
    )?;
    touch(conn, inspection_id)?;
    Ok(())
}
