//! The supervisors' board: rectifications filtered and sorted by urgency — overdue first (most days overdue
//! first), then by deadline, then by severity — one page at a time. Both parts of the order walk the
//! `rectifications_urgency` index (deadline, severity rank, id), so a page never sorts the table: the
//! overdue part is the open rows with a deadline before today; because "days overdue" falls as the
//! deadline rises, the same index order serves it.

use rusqlite::{Connection, params};

use super::Result;

/// What the board shows; empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Status keys to show; empty shows all.
    pub statuses: Vec<String>,
    pub domain: Option<String>,
    pub town: Option<String>,
    /// A site code.
    pub site: Option<String>,
    pub severity: Option<String>,
    pub overdue_only: bool,
    /// Free text, matched in the problem, the site's name and code, and the item id.
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoardRow {
    pub id: String,
    pub inspection_id: String,
    pub site_name: String,
    pub site_code: String,
    pub town: String,
    pub kind: String,
    pub item_id: String,
    pub problem: String,
    pub severity: String,
    pub severity_rank: i64,
    pub major_hazard: bool,
    pub deadline: String,
    pub status: String,
    pub responsible: String,
    /// 0 = overdue part, 1 = the rest.
    pub part: u8,
}

/// Where the next page starts: after this row.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    pub part: u8,
    pub deadline: String,
    pub severity_rank: i64,
    pub id: String,
}

impl BoardRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            part: self.part,
            deadline: self.deadline.clone(),
            severity_rank: self.severity_rank,
            id: self.id.clone(),
        }
    }
}

/// Escapes `%`, `_` and `\\` for a LIKE pattern with `ESCAPE '\\'`.
fn like(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
        .collect();
    format!("%{escaped}%")
}

const SELECT: &str =
    "SELECT r.id, r.inspection_id, s.name, s.code, s.town, s.kind, r.item_id, r.problem, r.severity,
        r.severity_rank, r.major_hazard, r.deadline, r.status, r.responsible
    FROM rectifications r INDEXED BY rectifications_urgency JOIN sites s ON s.id = r.site_id
    WHERE (?2 = '[]' OR r.status IN (SELECT value FROM json_each(?2)))
      AND (?3 IS NULL OR s.kind = ?3)
      AND (?4 IS NULL OR s.town = ?4)
      AND (?5 IS NULL OR s.code = ?5)
      AND (?6 IS NULL OR r.severity = ?6)
      AND (?7 IS NULL OR r.problem LIKE ?7 ESCAPE '\\' OR s.name LIKE ?7 ESCAPE '\\'
           OR s.code LIKE ?7 ESCAPE '\\' OR r.item_id LIKE ?7 ESCAPE '\\')
      AND (?8 IS NULL OR (r.deadline, -r.severity_rank, r.id) > (?8, -?9, ?10))";

/// The overdue part: open rows past their deadline. The rest: everything else.
const OVERDUE: &str = " AND r.status <> 'verified' AND r.deadline < ?1";
const REST: &str = " AND NOT (r.status <> 'verified' AND r.deadline < ?1)";
const ORDER: &str = " ORDER BY r.deadline, r.severity_rank DESC, r.id LIMIT ?11";

fn part(
    conn: &Connection,
    f: &Filter,
    today: &str,
    part: u8,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Vec<BoardRow>> {
    let sql = format!("{SELECT}{}{ORDER}", if part == 0 { OVERDUE } else { REST });
    let statuses = serde_json::to_string(&f.statuses).unwrap_or_else(|_| "[]".into());
    let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(like);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(
            params![
                today,
                statuses,
                f.domain,
                f.town,
                f.site,
                f.severity,
                text,
                after.map(|c| c.deadline.as_str()),
                after.map(|c| c.severity_rank),
                after.map(|c| c.id.as_str()),
                limit as i64
            ],
            |r| {
                Ok(BoardRow {
                    id: r.get(0)?,
                    inspection_id: r.get(1)?,
                    site_name: r.get(2)?,
                    site_code: r.get(3)?,
                    town: r.get(4)?,
                    kind: r.get(5)?,
                    item_id: r.get(6)?,
                    problem: r.get(7)?,
                    severity: r.get(8)?,
                    severity_rank: r.get(9)?,
                    major_hazard: r.get::<_, i64>(10)? != 0,
                    deadline: r.get(11)?,
                    status: r.get(12)?,
                    responsible: r.get(13)?,
                    part,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Up to `limit` rows after `after` (the first page when `None`), in urgency order.
pub fn page(
    conn: &Connection,
    f: &Filter,
    today: &str,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Vec<BoardRow>> {
    let mut rows = Vec::new();
    if after.is_none_or(|c| c.part == 0) {
        rows = part(conn, f, today, 0, after, limit)?;
    }
    if rows.len() < limit && !f.overdue_only {
        let rest_after = after.filter(|c| c.part == 1);
        rows.extend(part(conn, f, today, 1, rest_after, limit - rows.len())?);
    }
    Ok(rows)
}
