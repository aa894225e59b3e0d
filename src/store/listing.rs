//! Lists over all inspections: every inspection of the database a page at a time, newest first, searched
//! by site name, code or pinyin initials, checklist title and inspector; and the names a user last worked
//! with.

use rusqlite::{Connection, params_from_iter, types::Value};

use super::inspections::{HEAD_COLUMNS, Summary, row_to_head};
use super::sites::like;
use super::{Result, StoreError};

/// The inspectors of the inspection `user` started last on this database (empty if none).
pub fn last_inspectors(conn: &Connection, user: &str) -> Result<Vec<String>> {
    let names: Option<String> = conn
        .query_row(
            "SELECT inspectors FROM inspections WHERE created_by = ?1 ORDER BY started_at DESC, id DESC LIMIT 1",
            [user],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    Ok(names.and_then(|n| serde_json::from_str(&n).ok()).unwrap_or_default())
}

/// One page of the list of inspections.
#[derive(Clone, Debug, PartialEq)]
pub struct InspectionPage {
    pub rows: Vec<Summary>,
    /// How many inspections match in all.
    pub total: usize,
    /// Where this page starts among them.
    pub offset: usize,
}

/// The most words of a search that are matched.
const MAX_WORDS: usize = 8;

/// Inspections (drafts and submitted) matching every word of `query`, newest started first, `limit` of
/// them from `offset`. A word matches the site's name, code or pinyin initials, the checklist's title or
/// an inspector's name, as a substring.
pub fn page(conn: &Connection, query: &str, offset: usize, limit: usize) -> Result<InspectionPage> {
    let words: Vec<String> = crate::search::words(query).into_iter().take(MAX_WORDS).collect();
    let mut cond = String::new();
    let mut values: Vec<Value> = Vec::new();
    for word in &words {
        let n = values.len() + 1;
        cond.push_str(if cond.is_empty() { " WHERE " } else { " AND " });
        cond.push_str(&format!(
            "(s.name LIKE ?{n} ESCAPE '\\' OR s.code LIKE ?{n} ESCAPE '\\' OR s.initials LIKE ?{n} ESCAPE '\\' \
              OR c.title LIKE ?{n} ESCAPE '\\' OR i.inspectors LIKE ?{n} ESCAPE '\\')"
        ));
        values.push(Value::Text(like(word)));
    }
    let from = "FROM inspections i JOIN sites s ON s.id = i.site_id JOIN checklist_snapshots c ON c.id = i.snapshot_id";
    let total: i64 = if words.is_empty() {
        conn.query_row("SELECT count(*) FROM inspections", [], |r| r.get(0))?
    } else {
        conn.query_row(&format!("SELECT count(*) {from}{cond}"), params_from_iter(values.iter()), |r| {
            r.get(0)
        })?
    };
    let columns = HEAD_COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ");
    let n = values.len();
    let sql = format!(
        "SELECT {columns}, s.name, s.code, c.title, c.checklist_id {from}{cond}
         ORDER BY i.started_at DESC, i.id DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let big = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    values.push(Value::Integer(big(limit)));
    values.push(Value::Integer(big(offset)));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(values.iter()), |r| {
            Ok(Summary {
                head: row_to_head(r)?,
                site_name: r.get(11)?,
                site_code: r.get(12)?,
                checklist_title: r.get(13)?,
                checklist_id: r.get(14)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = usize::try_from(total).map_err(|_| StoreError::Refused("negative count".into()))?;
    Ok(InspectionPage { rows, total, offset })
}
