//! This database's device: an id made once, when the database is created, a short code printed in the
//! numbers it issues, and the office it follows for reference data (none: it is an office itself).

use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Stored};
use super::{Result, StoreError, new_id, now};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub code: String,
    pub created_at: String,
    /// The device whose hand-overs this database takes users, roles, the registry and checklists from;
    /// `None` for an office (a database made without a hand-over).
    pub office: Option<String>,
}

pub fn get(conn: &Connection) -> Result<Device> {
    let mut stmt = conn.prepare_cached("SELECT id, code, created_at, office FROM device")?;
    stmt.query_row([], |r| {
        Ok(Device { id: r.get(0)?, code: r.get(1)?, created_at: r.get(2)?, office: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| StoreError::Refused("this database has no device row (schema older than 7?)".into()))
}

pub fn id(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare_cached("SELECT id FROM device")?;
    stmt.query_row([], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Refused("this database has no device row (schema older than 7?)".into()))
}

/// The 4-character code of a device id: the last four characters of its ULID (random, Crockford base32,
/// so no I, L, O or U), e.g. `K7QH`.
pub fn code_of(id: &str) -> String {
    let n = id.chars().count();
    id.chars().skip(n.saturating_sub(4)).collect::<String>().to_uppercase()
}

/// Makes this database follow `office` for reference data from now on.
pub fn set_office(conn: &Connection, actor: &str, office: &str) -> Result<()> {
    let old: Option<String> = conn.query_row("SELECT office FROM device", [], |r| r.get(0))?;
    conn.execute("UPDATE device SET office = ?1", [office])?;
    audit::record(
        conn,
        audit::Entry {
            actor,
            action: "device.office",
            entity: "device",
            entity_id: &id(conn)?,
            old: Some(serde_json::json!({ "office": old })),
            new: Some(serde_json::json!({ "office": office })),
        },
    )
}

/// The Rust side of migration 7: makes the device, gives the existing notices to it, and moves the old
/// audit rows, in their order, into the hash-chained table.
pub fn finish_consolidation(conn: &Connection) -> rusqlite::Result<()> {
    // A database that already has a history is named by its first audit entry (a ULID made on that
    // database), so the same old file migrated twice — on open here, and in a temporary copy when a merge
    // upgrades an old hand-over — is the same device, and merging it twice changes nothing.
    let first: Option<String> =
        conn.query_row("SELECT id FROM audit ORDER BY seq LIMIT 1", [], |r| r.get(0)).optional()?;
    let id = first.unwrap_or_else(new_id);
    conn.execute(
        "INSERT INTO device (one, id, code, created_at) VALUES (1, ?1, ?2, ?3)",
        params![id, code_of(&id), now()],
    )?;
    conn.execute("UPDATE notices SET device = ?1", [&id])?;
    let mut read = conn
        .prepare("SELECT seq, id, at, actor, action, entity, entity_id, old, new FROM audit ORDER BY seq")?;
    let mut rows = read.query([])?;
    let mut prev = String::new();
    let mut dseq = 0;
    while let Some(r) = rows.next()? {
        dseq += 1;
        let seq: i64 = r.get(0)?;
        let mut s = Stored {
            id: r.get(1)?,
            device: id.clone(),
            dseq,
            prev: prev.clone(),
            hash: String::new(),
            at: r.get(2)?,
            actor: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            old: r.get(7)?,
            new: r.get(8)?,
        };
        s.hash = s.content_hash();
        audit::insert_into(conn, "audit_v7", Some(seq), &s)?;
        prev = s.hash;
    }
    drop(rows);
    drop(read);
    conn.execute_batch(
        "DROP TABLE audit;
         ALTER TABLE audit_v7 RENAME TO audit;
         CREATE INDEX audit_entity ON audit (entity, entity_id, seq);
         CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;",
    )?;
    Ok(())
}
