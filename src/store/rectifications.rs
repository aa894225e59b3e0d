//! Rectifications and their follow-up events. Every change writes an event (who, when, note, old and new
//! status or deadline) and an audit row in the caller's transaction.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::fold::{FoldEvent, Folded, fold};
use super::{Result, StoreError, new_id, now};

#[derive(Clone, Debug, PartialEq)]
pub struct Rectification {
    pub id: String,
    pub inspection_id: String,
    pub site_id: String,
    pub item_id: String,
    pub instance: u32,
    pub problem: String,
    pub basis: String,
    pub severity: String,
    pub major_hazard: bool,
    pub requirement: String,
    pub deadline: String,
    pub responsible: String,
    pub phone: String,
    pub status: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
}

pub const COLUMNS: &str = "r.id, r.inspection_id, r.site_id, r.item_id, r.instance, r.problem, r.basis, r.severity, \
                           r.major_hazard, r.requirement, r.deadline, r.responsible, r.phone, r.status, r.created_by, \
                           r.created_at, r.updated_at, r.closed_at";

pub fn row_to_rectification(r: &Row<'_>) -> rusqlite::Result<Rectification> {
    Ok(Rectification {
        id: r.get(0)?,
        inspection_id: r.get(1)?,
        site_id: r.get(2)?,
        item_id: r.get(3)?,
        instance: r.get(4)?,
        problem: r.get(5)?,
        basis: r.get(6)?,
        severity: r.get(7)?,
        major_hazard: r.get::<_, i64>(8)? != 0,
        requirement: r.get(9)?,
        deadline: r.get(10)?,
        responsible: r.get(11)?,
        phone: r.get(12)?,
        status: r.get(13)?,
        created_by: r.get(14)?,
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
        closed_at: r.get(17)?,
    })
}

/// A rectification to create from a failed answer (on submit, or when an amendment makes an item fail).
pub struct NewRectification<'a> {
    pub answer_id: &'a str,
    pub item_id: &'a str,
    pub instance: u32,
    pub problem: &'a str,
    pub basis: &'a str,
    pub severity: &'a str,
    pub major_hazard: bool,
    pub requirement: &'a str,
    pub deadline: &'a str,
    pub responsible: &'a str,
    pub phone: &'a str,
}

/// Creates a rectification with its 'created' event and audit row; returns its id.
pub fn create(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    site_id: &str,
    r: &NewRectification<'_>,
    at: &str,
) -> Result<String> {
    let id = new_id();
    conn.execute(
        "INSERT INTO rectifications (id, inspection_id, answer_id, site_id, item_id, instance, problem, basis,
                severity, major_hazard, requirement, deadline, responsible, phone, status, created_by,
                created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'open', ?15, ?16, ?16)",
        params![
            id, inspection_id, r.answer_id, site_id, r.item_id, r.instance, r.problem, r.basis, r.severity,
            r.major_hazard, r.requirement, r.deadline, r.responsible, r.phone, actor, at
        ],
    )?;
    conn.execute(
        "INSERT INTO rectification_events (id, rectification_id, kind, to_status, new_deadline, note, actor, at)
         VALUES (?1, ?2, 'created', 'open', ?3, '', ?4, ?5)",
        params![new_id(), id, r.deadline, actor, at],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "rectification.create",
            entity: "rectification",
            entity_id: &id,
            old: None,
            new: Some(json!({
                "inspection_id": inspection_id, "item_id": r.item_id, "instance": r.instance, "problem": r.problem,
                "severity": r.severity, "deadline": r.deadline, "responsible": r.responsible
            })),
        },
    )?;
    Ok(id)
}

/// The rectification raised for an item of an inspection that was not withdrawn, if any (an item that fails
/// again after a withdrawal raises a new one).
pub fn for_item(
    conn: &Connection,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM rectifications WHERE inspection_id = ?1 AND item_id = ?2 AND instance = ?3
               AND status <> 'withdrawn' ORDER BY created_at DESC, id DESC LIMIT 1",
            params![inspection_id, item_id, instance],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Rectification>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM rectifications r WHERE r.id = ?1"))?;
    Ok(stmt.query_row([id], row_to_rectification).optional()?)
}

/// A follow-up event in a rectification's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: String,
    pub kind: String,
    /// The state event this one was based on (`None` for 'created').
    pub parent: Option<String>,
    /// For 'settle': the other heads of the conflict it settled.
    pub merges: Vec<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub old_deadline: Option<String>,
    pub new_deadline: Option<String>,
    pub note: String,
    pub actor: String,
    pub at: String,
}

impl Event {
    /// What the fold needs of this event.
    pub fn to_fold(&self) -> FoldEvent {
        FoldEvent {
            id: self.id.clone(),
            kind: self.kind.clone(),
            parent: self.parent.clone(),
            merges: self.merges.clone(),
            to_status: self.to_status.clone(),
            new_deadline: self.new_deadline.clone(),
            at: self.at.clone(),
        }
    }
}

/// Every event of a rectification in time order (the same order in every database it was merged into:
/// by time, 'created' first within a second, then by id).
pub fn events(conn: &Connection, id: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, note, actor, at
         FROM rectification_events WHERE rectification_id = ?1
         ORDER BY at, kind <> 'created', id",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            let merges: Option<String> = r.get(3)?;
            Ok(Event {
                id: r.get(0)?,
                kind: r.get(1)?,
                parent: r.get(2)?,
                merges: merges.and_then(|m| serde_json::from_str(&m).ok()).unwrap_or_default(),
                from_status: r.get(4)?,
                to_status: r.get(5)?,
                old_deadline: r.get(6)?,
                new_deadline: r.get(7)?,
                note: r.get(8)?,
                actor: r.get(9)?,
                at: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many rectifications are open (not verified, not withdrawn), and how many of those are overdue on
/// `today` (YYYY-MM-DD): read from the per-deadline counts that the triggers of the `open_counts` migration keep, one row
/// per deadline day, so the cost does not grow with the table.
pub fn open_counts(conn: &Connection, today: &str) -> Result<(i64, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN deadline < ?1 THEN n END), 0) FROM open_by_deadline",
    )?;
    Ok(stmt.query_row([today], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// The SQL expression for every event of the rectification aliased `r`, as a JSON array of arrays in the
/// order and with the columns of [`events`]. A query that reads many rectifications puts it in its SELECT
/// list and reads each row's history with [`events_from_json`]: one statement for the whole list. (A query
/// per row costs more than it looks: with the planner's statistics, SQLite re-prepares a statement each time
/// a new value is bound to an indexed column, and that parse was a third of the list export.)
pub const EVENTS_JSON_OF_R: &str = "(SELECT json_group_array(json_array(e.id, e.kind, e.parent, e.merges,
        e.from_status, e.to_status, e.old_deadline, e.new_deadline, e.note, e.actor, e.at)
        ORDER BY e.at, e.kind <> 'created', e.id)
    FROM rectification_events e WHERE e.rectification_id = r.id)";

type EventTuple = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

/// The events of one rectification read from [`EVENTS_JSON_OF_R`].
pub fn events_from_json(text: &str) -> Result<Vec<Event>> {
    let rows: Vec<EventTuple> = serde_json::from_str(text)
        .map_err(|e| StoreError::Refused(format!("a rectification's events could not be read: {e}")))?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                kind,
                parent,
                merges,
                from_status,
                to_status,
                old_deadline,
                new_deadline,
                note,
                actor,
                at,
            )| {
                Event {
                    id,
                    kind,
                    parent,
                    merges: merges.and_then(|m| serde_json::from_str(&m).ok()).unwrap_or_default(),
                    from_status,
                    to_status,
                    old_deadline,
                    new_deadline,
                    note,
                    actor,
                    at,
                }
            },
        )
        .collect())
}

/// The rectification's state folded from its events (see [`super::fold`]).
pub fn folded(conn: &Connection, id: &str) -> Result<Folded> {
    let r = get(conn, id)?.ok_or_else(|| StoreError::Refused(format!("no rectification {id}")))?;
    let events: Vec<FoldEvent> = events(conn, id)?.iter().map(Event::to_fold).collect();
    Ok(fold(&events, (&r.status, &r.deadline)))
}

/// Writes the folded state into the rectification's row (status, deadline, closed and updated times,
/// conflict), where the board, reports and exports read it.
pub fn refold(conn: &Connection, id: &str) -> Result<Folded> {
    let f = folded(conn, id)?;
    let mut stmt = conn.prepare_cached(
        // Unchanged rows are not rewritten: a merge refolds every rectification it touched, and most already
        // hold their folded state (the laptop folded the same events), so their indexes are left alone.
        "UPDATE rectifications SET status = ?2, deadline = ?3, closed_at = ?4, updated_at = max(created_at, ?5),
                conflict = ?6
         WHERE id = ?1 AND (status, deadline, closed_at, updated_at, conflict)
               IS NOT (?2, ?3, ?4, max(created_at, ?5), ?6)",
    )?;
    stmt.execute(params![id, f.status, f.deadline, f.closed_at, f.updated_at, f.conflict])?;
    Ok(f)
}

struct NewEvent<'a> {
    kind: &'a str,
    from_status: Option<&'a str>,
    to_status: Option<&'a str>,
    old_deadline: Option<&'a str>,
    new_deadline: Option<&'a str>,
    note: &'a str,
    merges: &'a [String],
}

fn add_event(
    conn: &Connection,
    actor: &str,
    id: &str,
    parent: Option<&str>,
    e: &NewEvent<'_>,
    at: &str,
) -> Result<String> {
    let merges = (!e.merges.is_empty()).then(|| serde_json::to_string(e.merges).unwrap_or_default());
    let event_id = new_id();
    conn.execute(
        "INSERT INTO rectification_events
             (id, rectification_id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, note,
              actor, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            event_id,
            id,
            e.kind,
            parent,
            merges,
            e.from_status,
            e.to_status,
            e.old_deadline,
            e.new_deadline,
            e.note,
            actor,
            at
        ],
    )?;
    let mut new = json!({ "status": e.to_status, "deadline": e.new_deadline, "note": e.note });
    if !e.merges.is_empty() {
        new["settles"] = json!(e.merges);
        new["chosen"] = json!(parent);
    }
    audit::record(
        conn,
        Entry {
            actor,
            action: &format!("rectification.{}", e.kind),
            entity: "rectification",
            entity_id: id,
            old: Some(json!({ "status": e.from_status, "deadline": e.old_deadline })),
            new: Some(new),
        },
    )?;
    refold(conn, id)?;
    Ok(event_id)
}

/// The state a change is based on; refused while the rectification is in conflict.
fn base_for_change(conn: &Connection, id: &str) -> Result<Folded> {
    let f = folded(conn, id)?;
    if f.conflict {
        return Err(StoreError::Refused(format!(
            "rectification {id} was changed on two databases from the same state; a supervisor settles the conflict first"
        )));
    }
    Ok(f)
}

/// Moves a rectification from `from` to `to` (the caller has checked the lifecycle and role); refuses if
/// someone else changed its status meanwhile. Returns the new event's id (what fix evidence is attached to).
pub fn set_status(
    conn: &Connection,
    actor: &str,
    id: &str,
    from: &str,
    to: &str,
    note: &str,
) -> Result<String> {
    let base = base_for_change(conn, id)?;
    if base.status != from {
        return Err(StoreError::Refused(format!("rectification {id} is no longer {from}")));
    }
    let event = NewEvent {
        kind: "transition",
        from_status: Some(from),
        to_status: Some(to),
        old_deadline: None,
        new_deadline: None,
        note,
        merges: &[],
    };
    add_event(conn, actor, id, base.heads.first().map(String::as_str), &event, &now())
}

/// Sets a new deadline with its reason; the event keeps the earlier one.
pub fn extend(conn: &Connection, actor: &str, id: &str, old: &str, new: &str, reason: &str) -> Result<()> {
    let base = base_for_change(conn, id)?;
    if base.deadline != old {
        return Err(StoreError::Refused(format!("the deadline of rectification {id} changed meanwhile")));
    }
    let event = NewEvent {
        kind: "extend",
        from_status: None,
        to_status: None,
        old_deadline: Some(old),
        new_deadline: Some(new),
        note: reason,
        merges: &[],
    };
    add_event(conn, actor, id, base.heads.first().map(String::as_str), &event, &now()).map(drop)
}

pub fn add_note(conn: &Connection, actor: &str, id: &str, note: &str) -> Result<()> {
    let f = folded(conn, id)?;
    let event = NewEvent {
        kind: "note",
        from_status: None,
        to_status: None,
        old_deadline: None,
        new_deadline: None,
        note,
        merges: &[],
    };
    add_event(conn, actor, id, f.heads.first().map(String::as_str), &event, &now()).map(drop)
}

/// Withdraws a rectification (撤销) whose failure an amendment removed: a 'withdraw' event with the
/// amendment's reason, audited. A verified or already withdrawn one is left as it is (returns false).
pub fn withdraw(conn: &Connection, actor: &str, id: &str, reason: &str) -> Result<bool> {
    let base = base_for_change(conn, id)?;
    if matches!(base.status.as_str(), "verified" | "withdrawn") {
        return Ok(false);
    }
    let event = NewEvent {
        kind: "withdraw",
        from_status: Some(&base.status),
        to_status: Some("withdrawn"),
        old_deadline: None,
        new_deadline: None,
        note: reason,
        merges: &[],
    };
    add_event(conn, actor, id, base.heads.first().map(String::as_str), &event, &now())?;
    Ok(true)
}

/// Settles a conflict by taking the branch that ends at `chosen` (one of the heads): a 'settle' event with
/// that branch's status and deadline, joining every head, with the supervisor's note. Returns the status.
pub fn settle(conn: &Connection, actor: &str, id: &str, chosen: &str, note: &str) -> Result<String> {
    let f = folded(conn, id)?;
    if !f.conflict {
        return Err(StoreError::Refused(format!("rectification {id} is not in conflict")));
    }
    if !f.heads.iter().any(|h| h == chosen) {
        return Err(StoreError::Refused(format!(
            "{chosen} is not one of the branches of rectification {id}"
        )));
    }
    let all: Vec<FoldEvent> = events(conn, id)?.iter().map(Event::to_fold).collect();
    let by_id = all.iter().map(|e| (e.id.as_str(), e)).collect();
    let (status, deadline, _) = super::fold::state_at(&by_id, chosen);
    let status = status.unwrap_or_else(|| f.status.clone());
    let deadline = deadline.unwrap_or_else(|| f.deadline.clone());
    let others: Vec<String> = f.heads.iter().filter(|h| *h != chosen).cloned().collect();
    let event = NewEvent {
        kind: "settle",
        from_status: Some(&f.status),
        to_status: Some(&status),
        old_deadline: Some(&f.deadline),
        new_deadline: Some(&deadline),
        note,
        merges: &others,
    };
    add_event(conn, actor, id, Some(chosen), &event, &now())?;
    Ok(status)
}
