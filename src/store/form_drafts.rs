//! Drafts of the failure form: the fields as typed, saved while the inspector types (the console saves one
//! after a second of idle), so a crash loses nothing typed. A draft is work in progress, never a record:
//! saving the finding or cancelling the form removes it, and it is not audited or merged.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, now};

/// One stored draft: the slot it belongs to and its fields as JSON (see `inspection::draft`).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredDraft {
    pub item_id: String,
    pub instance: u32,
    pub fields: String,
    pub saved_at: String,
}

/// Saves (or replaces) the draft of one answer slot.
pub fn save(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
    fields: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO form_drafts (inspection_id, item_id, instance, fields, saved_by, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (inspection_id, item_id, instance)
         DO UPDATE SET fields = excluded.fields, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        params![inspection_id, item_id, instance, fields, actor, now()],
    )?;
    Ok(())
}

/// Removes the draft of one slot (its finding was saved, or the form cancelled); no draft is fine.
pub fn discard(conn: &Connection, inspection_id: &str, item_id: &str, instance: u32) -> Result<()> {
    // Runs before most answers saved (a described finding or a pass supersedes the draft): cached.
    conn.prepare_cached(
        "DELETE FROM form_drafts WHERE inspection_id = ?1 AND item_id = ?2 AND instance = ?3",
    )?
    .execute(params![inspection_id, item_id, instance])?;
    Ok(())
}

/// The draft of one slot, if any.
pub fn get(
    conn: &Connection,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
) -> Result<Option<StoredDraft>> {
    Ok(conn
        .query_row(
            "SELECT item_id, instance, fields, saved_at FROM form_drafts
             WHERE inspection_id = ?1 AND item_id = ?2 AND instance = ?3",
            params![inspection_id, item_id, instance],
            |r| {
                Ok(StoredDraft {
                    item_id: r.get(0)?,
                    instance: r.get(1)?,
                    fields: r.get(2)?,
                    saved_at: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Every draft of an inspection.
pub fn for_inspection(conn: &Connection, inspection_id: &str) -> Result<Vec<StoredDraft>> {
    let mut stmt = conn.prepare(
        "SELECT item_id, instance, fields, saved_at FROM form_drafts WHERE inspection_id = ?1
         ORDER BY item_id, instance",
    )?;
    let rows = stmt
        .query_map([inspection_id], |r| {
            Ok(StoredDraft {
                item_id: r.get(0)?,
                instance: r.get(1)?,
                fields: r.get(2)?,
                saved_at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
