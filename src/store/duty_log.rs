//! Duty logs (`mode = "log"` checklists): the list of past shifts and the last handover, which a new
//! shift starts from.

use rusqlite::{Connection, params};

use super::Result;
use super::inspections::Status;

/// One shift of a duty log, as the list of past shifts shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub inspection_id: String,
    pub site_id: String,
    pub status: Status,
    pub site_name: String,
    pub shift_start: String,
    pub shift_end: String,
    pub officers: String,
    pub handover: String,
    pub started_at: String,
}

/// The item ids a log keeps its shift bookkeeping in.
pub struct LogItems<'a> {
    pub checklist_id: &'a str,
    pub shift_start: &'a str,
    pub shift_end: &'a str,
    pub officers: &'a str,
    pub handover: &'a str,
}

/// Every shift of a duty log, newest shift first (by shift start, else by when the entry was begun).
pub fn log_entries(conn: &Connection, items: &LogItems<'_>, limit: usize) -> Result<Vec<LogEntry>> {
    let mut stmt = conn.prepare(
        "WITH latest AS (
             SELECT a.inspection_id, a.item_id, a.value FROM answers a
             WHERE a.instance = 0 AND a.id = (SELECT b.id FROM answers b WHERE b.inspection_id = a.inspection_id
                 AND b.item_id = a.item_id AND b.instance = 0 ORDER BY b.revision DESC, b.id DESC LIMIT 1))
         SELECT i.id, i.status, s.name, i.started_at, i.site_id,
                coalesce((SELECT value FROM latest WHERE inspection_id = i.id AND item_id = ?2), ''),
                coalesce((SELECT value FROM latest WHERE inspection_id = i.id AND item_id = ?3), ''),
                coalesce((SELECT value FROM latest WHERE inspection_id = i.id AND item_id = ?4), ''),
                coalesce((SELECT value FROM latest WHERE inspection_id = i.id AND item_id = ?5), '')
         FROM inspections i JOIN checklist_snapshots c ON c.id = i.snapshot_id JOIN sites s ON s.id = i.site_id
         WHERE c.checklist_id = ?1
         ORDER BY coalesce(nullif((SELECT value FROM latest WHERE inspection_id = i.id AND item_id = ?2), ''),
                           substr(i.started_at, 1, 16)) DESC, i.id DESC
         LIMIT ?6",
    )?;
    let rows = stmt
        .query_map(
            params![
                items.checklist_id,
                items.shift_start,
                items.shift_end,
                items.officers,
                items.handover,
                limit as i64
            ],
            |r| {
                let status: String = r.get(1)?;
                Ok(LogEntry {
                    inspection_id: r.get(0)?,
                    status: if status == "submitted" { Status::Submitted } else { Status::Draft },
                    site_name: r.get(2)?,
                    started_at: r.get(3)?,
                    site_id: r.get(4)?,
                    shift_start: r.get(5)?,
                    shift_end: r.get(6)?,
                    officers: r.get(7)?,
                    handover: r.get(8)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The incoming officers signed at the handover of the latest submitted shift at a site (by shift start);
/// empty when there is none or that shift's handover was not signed — an older shift's handover would name
/// the wrong people.
pub fn last_handover(conn: &Connection, site_id: &str, items: &LogItems<'_>) -> Result<String> {
    Ok(log_entries(conn, items, 200)?
        .into_iter()
        .find(|e| e.site_id == site_id && e.status == Status::Submitted)
        .map(|e| e.handover)
        .unwrap_or_default())
}
