//! Inspections and their answers (with revisions); repeat instances are in `repeats`. Every write records its audit row on
//! the same connection, inside the caller's transaction.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::audit::{self, Entry};
pub use super::repeats::{add_instance, instances, remove_instance};
pub use super::seen::{Seen, data_version, row_stamp, stamp};
use super::{Result, StoreError, new_id, now};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Draft,
    Submitted,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    pub id: String,
    pub site_id: String,
    pub snapshot_id: String,
    pub inspectors: Vec<String>,
    pub status: Status,
    pub started_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub created_by: String,
    pub site_representative: String,
    pub resume_at: String,
}

pub(super) const HEAD_COLUMNS: &str = "id, site_id, snapshot_id, inspectors, status, started_at, updated_at, submitted_at, \
                            created_by, site_representative, resume_at";

pub(super) fn row_to_head(r: &Row<'_>) -> rusqlite::Result<Head> {
    let inspectors: String = r.get(3)?;
    let status: String = r.get(4)?;
    Ok(Head {
        id: r.get(0)?,
        site_id: r.get(1)?,
        snapshot_id: r.get(2)?,
        inspectors: serde_json::from_str(&inspectors).unwrap_or_default(),
        status: if status == "submitted" { Status::Submitted } else { Status::Draft },
        started_at: r.get(5)?,
        updated_at: r.get(6)?,
        submitted_at: r.get(7)?,
        created_by: r.get(8)?,
        site_representative: r.get(9)?,
        resume_at: r.get(10)?,
    })
}

pub fn create(
    conn: &Connection,
    actor: &str,
    site_id: &str,
    snapshot_id: &str,
    inspectors: &[String],
) -> Result<String> {
    let id = new_id();
    let at = now();
    let names = serde_json::to_string(inspectors).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at, created_by)
         VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?5, ?6)",
        params![id, site_id, snapshot_id, names, at, actor],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "inspection.create",
            entity: "inspection",
            entity_id: &id,
            old: None,
            new: Some(json!({ "site_id": site_id, "snapshot_id": snapshot_id, "inspectors": inspectors })),
        },
    )?;
    Ok(id)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Head>> {
    let sql = format!("SELECT {HEAD_COLUMNS} FROM inspections WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], row_to_head).optional()?)
}

/// Refuses a write to an inspection that does not exist or is submitted (locked). Reads the status alone,
/// through a cached statement: it runs before every answer saved.
pub(super) fn require_draft(conn: &Connection, id: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT status FROM inspections WHERE id = ?1")?;
    let status: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?;
    match status.as_deref() {
        None => Err(StoreError::Refused(format!("no inspection {id}"))),
        Some("submitted") => Err(StoreError::Refused(format!(
            "inspection {id} is submitted and locked; corrections are amendments with a reason"
        ))),
        Some(_) => Ok(()),
    }
}

pub(super) fn touch(conn: &Connection, id: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE inspections SET updated_at = ?2 WHERE id = ?1")?;
    stmt.execute(params![id, now()])?;
    Ok(())
}

/// What is stored for one answer (the latest revision of an item in an instance).
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerRow {
    pub id: String,
    pub item_id: String,
    pub instance: u32,
    pub revision: u32,
    pub value: String,
    pub outcome: String,
    pub note: String,
    pub reason: String,
    pub finding: Option<FindingRow>,
    pub answered_by: String,
    pub answered_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FindingRow {
    pub problem: String,
    pub severity: String,
    pub requirement: String,
    pub deadline: String,
    pub responsible: String,
}

const ANSWER_COLUMNS: &str = "id, item_id, instance, revision, value, outcome, note, reason, problem, severity, \
                              requirement, deadline, responsible, answered_by, answered_at";

fn row_to_answer(r: &Row<'_>) -> rusqlite::Result<AnswerRow> {
    let problem: Option<String> = r.get(8)?;
    let finding = match problem {
        Some(problem) => Some(FindingRow {
            problem,
            severity: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            requirement: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
            deadline: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            responsible: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(AnswerRow {
        id: r.get(0)?,
        item_id: r.get(1)?,
        instance: r.get(2)?,
        revision: r.get(3)?,
        value: r.get(4)?,
        outcome: r.get(5)?,
        note: r.get(6)?,
        reason: r.get(7)?,
        finding,
        answered_by: r.get(13)?,
        answered_at: r.get(14)?,
    })
}

/// A new or changed answer.
pub struct NewAnswer<'a> {
    pub item_id: &'a str,
    pub instance: u32,
    pub value: &'a str,
    pub outcome: &'a str,
    pub note: &'a str,
    pub finding: Option<&'a FindingRow>,
}

pub(super) fn answer_json(a: &NewAnswer<'_>) -> serde_json::Value {
    json!({
        "item_id": a.item_id, "instance": a.instance, "value": a.value, "outcome": a.outcome, "note": a.note,
        "problem": a.finding.map(|f| &f.problem), "severity": a.finding.map(|f| &f.severity),
        "requirement": a.finding.map(|f| &f.requirement), "deadline": a.finding.map(|f| &f.deadline),
        "responsible": a.finding.map(|f| &f.responsible),
    })
}

fn row_json(a: &AnswerRow) -> serde_json::Value {
    answer_json(&NewAnswer {
        item_id: &a.item_id,
        instance: a.instance,
        value: &a.value,
        outcome: &a.outcome,
        note: &a.note,
        finding: a.finding.as_ref(),
    })
}

/// SQL: the answer `a` is the current revision of its item (highest revision, then highest id).
pub const IS_CURRENT: &str = "a.id = (SELECT b.id FROM answers b WHERE b.inspection_id = a.inspection_id
    AND b.item_id = a.item_id AND b.instance = a.instance ORDER BY b.revision DESC, b.id DESC LIMIT 1)";

pub fn latest_answer(
    conn: &Connection,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
) -> Result<Option<AnswerRow>> {
    // Read before every answer saved (the seen-stamp check): a cached statement, its text built once.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {ANSWER_COLUMNS} FROM answers WHERE inspection_id = ?1 AND item_id = ?2 AND instance = ?3
             ORDER BY revision DESC, id DESC LIMIT 1"
        )
    });
    let mut stmt = conn.prepare_cached(&SQL)?;
    Ok(stmt.query_row(params![inspection_id, item_id, instance], row_to_answer).optional()?)
}

/// The answer as it is now, if it is what `seen` says the writer saw; else [`StoreError::Changed`].
fn check_seen(
    conn: &Connection,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
    seen: Seen<'_>,
) -> Result<Option<AnswerRow>> {
    let current = latest_answer(conn, inspection_id, item_id, instance)?;
    let same = match (seen, &current) {
        (Seen::Anything, _) | (Seen::Nothing, None) => true,
        (Seen::Stamp(s), Some(row)) => row_stamp(row) == s,
        _ => false,
    };
    if !same {
        return Err(StoreError::Changed {
            item_id: item_id.into(),
            instance,
            current: current.map(|c| c.value),
        });
    }
    Ok(current)
}

/// Saves an answer of a draft: inserts it, or updates it in place (drafts keep one revision), with an audit
/// row holding the old and new values.
pub fn save_answer(conn: &Connection, actor: &str, inspection_id: &str, a: &NewAnswer<'_>) -> Result<String> {
    save_answer_seen(conn, actor, inspection_id, a, Seen::Anything)
}

/// [`save_answer`] as a compare-and-set: refused with [`StoreError::Changed`] (nothing written) when the
/// stored answer is no longer what the writer saw. Call it inside the write transaction.
pub fn save_answer_seen(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    a: &NewAnswer<'_>,
    seen: Seen<'_>,
) -> Result<String> {
    require_draft(conn, inspection_id)?;
    let at = now();
    let f = a.finding;
    let old = check_seen(conn, inspection_id, a.item_id, a.instance, seen)?;
    let id = match &old {
        Some(old) => {
            conn.prepare_cached(
                "UPDATE answers SET value = ?2, outcome = ?3, note = ?4, problem = ?5, severity = ?6,
                        requirement = ?7, deadline = ?8, responsible = ?9, answered_by = ?10, answered_at = ?11
                 WHERE id = ?1",
            )?
            .execute(params![
                    old.id, a.value, a.outcome, a.note, f.map(|f| &f.problem), f.map(|f| &f.severity),
                    f.map(|f| &f.requirement), f.map(|f| &f.deadline), f.map(|f| &f.responsible), actor, at
                ],
            )?;
            old.id.clone()
        }
        None => {
            let id = new_id();
            conn.prepare_cached(
                "INSERT INTO answers (id, inspection_id, item_id, instance, revision, value, outcome, note, problem,
                                      severity, requirement, deadline, responsible, answered_by, answered_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                    id, inspection_id, a.item_id, a.instance, a.value, a.outcome, a.note, f.map(|f| &f.problem),
                    f.map(|f| &f.severity), f.map(|f| &f.requirement), f.map(|f| &f.deadline),
                    f.map(|f| &f.responsible), actor, at
                ],
            )?;
            id
        }
    };
    let (before, after) = match &old {
        Some(o) => {
            let (b, a) = audit::diff(&row_json(o), &answer_json(a));
            (Some(b), a)
        }
        None => (None, answer_json(a)),
    };
    audit::record(
        conn,
        Entry {
            actor,
            action: if old.is_some() { "answer.update" } else { "answer.create" },
            entity: "answer",
            entity_id: &id,
            old: before,
            new: Some(after),
        },
    )?;
    touch(conn, inspection_id)?;
    Ok(id)
}

/// Removes a draft answer (the inspector cleared it); the audit keeps the old value.
pub fn clear_answer(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
) -> Result<()> {
    clear_answer_seen(conn, actor, inspection_id, item_id, instance, Seen::Anything)
}

/// [`clear_answer`] as a compare-and-set (see [`save_answer_seen`]).
pub fn clear_answer_seen(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
    seen: Seen<'_>,
) -> Result<()> {
    require_draft(conn, inspection_id)?;
    if let Some(old) = check_seen(conn, inspection_id, item_id, instance, seen)? {
        conn.execute("DELETE FROM evidence WHERE answer_id = ?1", [&old.id])?;
        conn.execute("DELETE FROM answers WHERE id = ?1", [&old.id])?;
        audit::record(
            conn,
            Entry {
                actor,
                action: "answer.clear",
                entity: "answer",
                entity_id: &old.id,
                old: Some(row_json(&old)),
                new: None,
            },
        )?;
        touch(conn, inspection_id)?;
    }
    Ok(())
}

/// Corrects an answer of a submitted inspection: a new revision with a required reason; earlier revisions
/// stay.
pub fn amend(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    a: &NewAnswer<'_>,
    reason: &str,
) -> Result<u32> {
    let base = latest_answer(conn, inspection_id, a.item_id, a.instance)?;
    amend_on(conn, actor, inspection_id, a, reason, base)
}

/// [`amend`] on a chosen earlier revision (`base`, an answer id of the same item): how a supervisor settles
/// two amendments of one revision made on two databases, by amending the one taken.
pub fn amend_from(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    a: &NewAnswer<'_>,
    reason: &str,
    base: &str,
) -> Result<u32> {
    let base =
        history(conn, inspection_id, a.item_id, a.instance)?.into_iter().find(|r| r.id == base).ok_or_else(
            || StoreError::Refused(format!("answer {base} is not a revision of item {}", a.item_id)),
        )?;
    amend_on(conn, actor, inspection_id, a, reason, Some(base))
}

fn amend_on(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    a: &NewAnswer<'_>,
    reason: &str,
    old: Option<AnswerRow>,
) -> Result<u32> {
    let head = get(conn, inspection_id)?
        .ok_or_else(|| StoreError::Refused(format!("no inspection {inspection_id}")))?;
    if head.status != Status::Submitted {
        return Err(StoreError::Refused(
            "only a submitted inspection is amended; a draft is simply edited".into(),
        ));
    }
    if reason.trim().is_empty() {
        return Err(StoreError::Refused("an amendment needs a reason".into()));
    }
    let revision = old.as_ref().map_or(1, |o| o.revision + 1);
    let id = new_id();
    let f = a.finding;
    conn.execute(
        "INSERT INTO answers (id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason,
                              problem, severity, requirement, deadline, responsible, answered_by, answered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            id, inspection_id, a.item_id, a.instance, revision, old.as_ref().map(|o| &o.id), a.value, a.outcome,
            a.note, reason.trim(), f.map(|f| &f.problem), f.map(|f| &f.severity), f.map(|f| &f.requirement),
            f.map(|f| &f.deadline), f.map(|f| &f.responsible), actor, now()
        ],
    )?;
    let mut new = answer_json(a);
    if let Some(o) = new.as_object_mut() {
        o.insert("reason".into(), reason.trim().into());
        o.insert("revision".into(), revision.into());
    }
    audit::record(
        conn,
        Entry {
            actor,
            action: "answer.amend",
            entity: "answer",
            entity_id: &id,
            old: old.as_ref().map(row_json),
            new: Some(new),
        },
    )?;
    Ok(revision)
}

/// The latest revision of every answer of an inspection.
pub fn answers(conn: &Connection, inspection_id: &str) -> Result<Vec<AnswerRow>> {
    let sql = format!(
        "SELECT {ANSWER_COLUMNS} FROM answers a WHERE inspection_id = ?1 AND {IS_CURRENT}
         ORDER BY answered_at, id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([inspection_id], row_to_answer)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every revision of one answer, oldest first.
pub fn history(
    conn: &Connection,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
) -> Result<Vec<AnswerRow>> {
    let sql = format!(
        "SELECT {ANSWER_COLUMNS} FROM answers WHERE inspection_id = ?1 AND item_id = ?2 AND instance = ?3
         ORDER BY revision, id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![inspection_id, item_id, instance], row_to_answer)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Remembers where the inspector is, so the draft resumes there.
pub fn set_resume(conn: &Connection, inspection_id: &str, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE inspections SET resume_at = ?2 WHERE id = ?1 AND status = 'draft'",
        params![inspection_id, at],
    )?;
    Ok(())
}

pub use super::rectifications::NewRectification;

/// Locks the inspection and creates one rectification per failure, each with its 'created' event.
pub fn submit(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    inspectors: &[String],
    representative: &str,
    rects: &[NewRectification<'_>],
) -> Result<Vec<String>> {
    require_draft(conn, inspection_id)?;
    let head = get(conn, inspection_id)?
        .ok_or_else(|| StoreError::Refused(format!("no inspection {inspection_id}")))?;
    let at = now();
    let names = serde_json::to_string(inspectors).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "UPDATE inspections SET status = 'submitted', submitted_at = ?2, updated_at = ?2, inspectors = ?3,
                site_representative = ?4 WHERE id = ?1",
        params![inspection_id, at, names, representative],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "inspection.submit",
            entity: "inspection",
            entity_id: inspection_id,
            old: Some(json!({ "status": "draft", "inspectors": head.inspectors })),
            new: Some(
                json!({ "status": "submitted", "inspectors": inspectors, "site_representative": representative }),
            ),
        },
    )?;
    let mut ids = Vec::new();
    for r in rects {
        ids.push(super::rectifications::create(conn, actor, inspection_id, &head.site_id, r, &at)?);
    }
    Ok(ids)
}

/// An inspection with what a list shows of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub head: Head,
    pub site_name: String,
    pub site_code: String,
    pub checklist_title: String,
    pub checklist_id: String,
}

/// Inspections of `status`, most recently touched first, at most `?1`. Each status has its partial index
/// (migration 16): the submitted ones are walked newest first, the drafts (a few) are sorted. The status is
/// written into the statement as a constant of this file, not bound: with the planner's stability guarantee
/// on (`store::stable_plans`), a bound value never lets SQLite choose a partial index.
fn list_sql(status: Status) -> String {
    let status = match status {
        Status::Draft => "'draft'",
        Status::Submitted => "'submitted'",
    };
    format!(
        "SELECT {}, s.name, s.code, c.title, c.checklist_id FROM inspections i
         JOIN sites s ON s.id = i.site_id JOIN checklist_snapshots c ON c.id = i.snapshot_id
         WHERE i.status = {status} ORDER BY i.updated_at DESC, i.id DESC LIMIT ?1",
        HEAD_COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ")
    )
}

/// Inspections by status, most recently touched first.
pub fn list(conn: &Connection, status: Status, limit: usize) -> Result<Vec<Summary>> {
    let mut stmt = conn.prepare(&list_sql(status))?;
    let rows = stmt
        .query_map(params![limit as i64], |r| {
            Ok(Summary {
                head: row_to_head(r)?,
                site_name: r.get(11)?,
                site_code: r.get(12)?,
                checklist_title: r.get(13)?,
                checklist_id: r.get(14)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{Status, list_sql};
    use crate::store::Store;

    /// Sorts run by the list's statement, as the store's connections run it.
    fn sorts(conn: &rusqlite::Connection, status: Status) -> i32 {
        let mut stmt = conn.prepare(&list_sql(status)).unwrap();
        let mut rows = stmt.query([20]).unwrap();
        while rows.next().unwrap().is_some() {}
        drop(rows);
        stmt.get_status(rusqlite::StatementStatus::Sort)
    }

    /// The recent list of the home screen walks the submitted inspections newest first, without a sort of
    /// them all: the first frame must not grow with the data. (The drafts, a few, are sorted.)
    #[test]
    fn the_recent_list_walks_the_submitted_index_newest_first() {
        let store = Store::open_in_memory().unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {}", list_sql(Status::Submitted));
        let mut stmt = store.conn().prepare(&sql).unwrap();
        let plan: Vec<String> =
            stmt.query_map([20], |r| r.get(3)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        assert!(plan.iter().any(|l| l.contains("SCAN i USING INDEX inspections_submitted")), "{plan:?}");
        drop(stmt);
        assert_eq!(sorts(store.conn(), Status::Submitted), 0);
        assert_eq!(sorts(store.conn(), Status::Draft), 1);
        // Without the index the same statement sorts every submitted inspection.
        store.conn().execute_batch("DROP INDEX inspections_submitted").unwrap();
        assert_eq!(sorts(store.conn(), Status::Submitted), 1);
    }
}
